// SPDX-License-Identifier: MIT
/*
 * Fuzz target: the guest's side of the virtio-pv handshake
 * (xen-frontend/virtio_pv_xs.c) against hostile xenstore values. The
 * fuzzer's bytes are the contents of the xenstore nodes the front-end
 * reads: its own directory as the toolstack wrote it (backend, backend-id,
 * device-id, domid) and the back-end's offer (protocol-version, device-id,
 * features, max-queues, max-queue-size, config, state, error). Each node
 * may also be missing, unreadable (xenstore timing out or failing), or too
 * long for the reader's buffer.
 *
 * The real pv_read_frontend(), pv_read_offer(), pv_be_state() and
 * pv_be_refused() run on top of this file's xenbus (it replaces
 * xen-frontend/xenstore.c: only the parsers are under test). Invariants: an
 * accepted offer is within the protocol's limits (docs/virtio-pv.md
 * section 2); a refusal's reason is printable and NUL-terminated; nothing
 * reads or writes out of bounds (ASan) and nothing is undefined (UBSan).
 *
 * Input: records "<key-index byte><mode byte><value bytes...>" separated
 * by 0xff bytes; a later record for the same key wins.
 */
#include <vscmi/os.h>
#include <vscmi/scmi_wire.h>

#include "tests/fuzz/fuzz.h"
#include "xen-frontend/virtio_pv_priv.h"
#include "xen-frontend/xen_plat.h"
#include "xen-frontend/xenbus.h"

enum fz_key {
	FZ_DOMID, FZ_BACKEND, FZ_BACKEND_ID, FZ_FE_DEVICE_ID,
	FZ_VERSION, FZ_BE_DEVICE_ID, FZ_FEATURES, FZ_MAX_QUEUES, FZ_MAX_QUEUE_SIZE,
	FZ_CONFIG, FZ_STATE, FZ_ERROR,
	FZ_KEY_COUNT,
};

static const char *const fz_names[FZ_KEY_COUNT] = {
	"domid", "backend", "backend-id", "device-id",
	"protocol-version", "device-id", "features", "max-queues", "max-queue-size",
	"config", "state", "error",
};

enum fz_mode { FZ_PRESENT, FZ_MISSING, FZ_TIMEOUT, FZ_IO, FZ_DENIED, FZ_MODE_COUNT };

struct fz_node {
	enum fz_mode mode;
	char val[600];
	size_t len;
};

static struct fz_node fz_nodes[FZ_KEY_COUNT];
static uint16_t fz_self;

#define FZ_FE "/local/domain/%u/device/virtio-pv/0"
#define FZ_BE "/local/domain/0/backend/virtio-pv/%u/0"

/* Which node @path is, or -1 (a path nobody scripted: missing). */
static int fz_lookup(const char *path)
{
	char dir[128], full[192];
	unsigned self = fz_self;

	/* Asked for "domid": the front-end directory is under that value. */
	if (self == DOMID_SELF) {
		const struct fz_node *d = &fz_nodes[FZ_DOMID];

		self = 0;
		for (size_t i = 0; i < d->len && d->val[i] >= '0' && d->val[i] <= '9'; i++)
			self = (self * 10 + (unsigned)(d->val[i] - '0')) % 100000;
	}
	for (int k = 0; k < FZ_KEY_COUNT; k++) {
		if (k == FZ_DOMID) {
			if (!strcmp(path, "domid"))
				return k;
			continue;
		}
		os_snprintf(dir, sizeof(dir), k <= FZ_FE_DEVICE_ID ? FZ_FE : FZ_BE, self);
		os_snprintf(full, sizeof(full), "%s/%s", dir, fz_names[k]);
		if (!strcmp(path, full))
			return k;
	}
	return -1;
}

/* ---- the xenbus this target links instead of xen-frontend/xenstore.c ---- */

int xenbus_read(struct xenbus *xb, xenbus_tx_t tx, const char *path, char *buf, size_t size)
{
	int k = fz_lookup(path);
	const struct fz_node *n;

	FUZZ_CHECK(size > 0);
	if (k < 0)
		return -ENOENT;
	n = &fz_nodes[k];
	switch (n->mode) {
	case FZ_MISSING:
		return -ENOENT;
	case FZ_TIMEOUT:
		return -ETIMEDOUT;
	case FZ_IO:
		return -EIO;
	case FZ_DENIED:
		return -EACCES;
	default:
		break;
	}
	/* As the real client: values may hold any byte but NUL ends them. */
	if (n->len >= size)
		return -EOVERFLOW;
	memcpy(buf, n->val, n->len);
	buf[n->len] = '\0';
	return (int)strlen(buf);
}

int xenbus_write(struct xenbus *xb, xenbus_tx_t tx, const char *path, const char *val)
{
	FUZZ_CHECK(strlen(path) < 4096 && strlen(val) < 4096);
	return 0;
}

int xenbus_rm(struct xenbus *xb, xenbus_tx_t tx, const char *path)
{
	return 0;
}

int xenbus_transaction_start(struct xenbus *xb, xenbus_tx_t *tx)
{
	*tx = 1;
	return 0;
}

int xenbus_transaction_end(struct xenbus *xb, xenbus_tx_t tx, bool abort)
{
	return 0;
}

uint16_t xen_plat_domid(struct xen_plat *p)
{
	return fz_self;
}

/* ---- the target ---- */

static void fz_parse(const uint8_t *data, size_t size)
{
	size_t i = 0;

	for (int k = 0; k < FZ_KEY_COUNT; k++)
		fz_nodes[k] = (struct fz_node){ .mode = FZ_MISSING };
	while (i + 2 <= size) {
		struct fz_node *n = &fz_nodes[data[i] % FZ_KEY_COUNT];

		n->mode = (enum fz_mode)(data[i + 1] % FZ_MODE_COUNT);
		n->len = 0;
		for (i += 2; i < size && data[i] != 0xff; i++)
			if (n->len < sizeof(n->val))
				n->val[n->len++] = (char)data[i];
		i++;	/* the separator */
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct virtio_pv pv;
	char why[192];
	int ret, st;

	if (size < 1)
		return 0;
	/* The first byte picks who we are; DOMID_SELF makes us ask xenstore. */
	fz_self = data[0] == 0xff ? DOMID_SELF : (uint16_t)(1 + data[0] % 40);
	fz_parse(data + 1, size - 1);

	memset(&pv, 0, sizeof(pv));
	os_snprintf(pv.name, sizeof(pv.name), "virtio-pv/0");
	os_completion_init(&pv.settled);
	pv.device_id = VIRTIO_ID_SCMI;

	ret = pv_read_frontend(&pv, 0);
	if (!ret) {
		FUZZ_CHECK(memchr(pv.be_path, '\0', sizeof(pv.be_path)));
		FUZZ_CHECK(memchr(pv.fe_path, '\0', sizeof(pv.fe_path)));
	} else {
		/* Go on with the path the toolstack should have written. */
		uint16_t self = fz_self == DOMID_SELF ? 1 : fz_self;

		fz_self = self;
		os_snprintf(pv.fe_path, sizeof(pv.fe_path), FZ_FE, self);
		os_snprintf(pv.be_path, sizeof(pv.be_path), FZ_BE, self);
	}
	pv.device_id = VIRTIO_ID_SCMI;

	why[0] = '\0';
	ret = pv_read_offer(&pv, why, sizeof(why));
	FUZZ_CHECK(memchr(why, '\0', sizeof(why)));
	if (!ret) {
		const struct pv_offer *o = &pv.offer;

		FUZZ_CHECK(o->version >= 1);
		FUZZ_CHECK(virtio_has_feature(o->features, VIRTIO_F_VERSION_1));
		FUZZ_CHECK(virtio_has_feature(o->features, VIRTIO_F_ACCESS_PLATFORM));
		FUZZ_CHECK(o->max_queues >= 1 && o->max_queues <= PV_MAX_QUEUES_OFFER);
		FUZZ_CHECK(o->max_queue_size >= 2 && o->max_queue_size <= PV_RING_MAX &&
			   !(o->max_queue_size & (o->max_queue_size - 1)));
		FUZZ_CHECK(o->config_len <= PV_MAX_CONFIG);
	} else {
		FUZZ_CHECK(ret < 0 && why[0]);
	}

	st = pv_be_state(&pv);
	FUZZ_CHECK(st < 0 || st <= XenbusStateReconfigured);
	for (int s = XenbusStateClosing; s <= XenbusStateClosed; s++) {
		why[0] = '\0';
		if (pv_be_refused(&pv, s, why, sizeof(why))) {
			FUZZ_CHECK(memchr(why, '\0', sizeof(why)));
			for (const char *c = why; *c; c++)
				FUZZ_CHECK(*c >= ' ' && *c <= '~');
		}
	}
	os_completion_destroy(&pv.settled);
	return 0;
}
