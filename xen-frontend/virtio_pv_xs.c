// SPDX-License-Identifier: MIT
/*
 * virtio-pv transport, the xenstore side (docs/virtio-pv.md, section 2):
 * reading and strictly validating what the back-end offers, publishing our
 * rings and features in one transaction, and our state and error nodes.
 * Every value from the back-end directory is parsed once and bounded here
 * before the state machine (virtio_pv.c) looks at it.
 */
#include "virtio_pv_priv.h"

/* ---- xenstore helpers ------------------------------------------------------------ */

/* The back-end's state; -ENOENT if its directory (or node) is gone. */
int pv_be_state(struct virtio_pv *pv)
{
	uint64_t st;
	int ret = xenbus_read_u64(pv->xb, XENBUS_TX_NONE, pv->be_path, "state", 10,
				  XenbusStateReconfigured, &st);

	/* A removed directory reads as EACCES when its parent is not ours. */
	if (ret == -EACCES)
		ret = -ENOENT;
	return ret ? ret : (int)st;
}

int pv_switch(struct virtio_pv *pv, enum xenbus_state st)
{
	int ret = xenbus_printf(pv->xb, XENBUS_TX_NONE, pv->fe_path, "state", "%d",
				(int)st);

	if (ret)
		os_err("%s: cannot write %s/state: %d", pv->name, pv->fe_path, ret);
	return ret;
}

/* Record a failure for the back-end and the logs. sm_lock held. */
void pv_fail(struct virtio_pv *pv, int err, int be_state, const char *why)
{
	char path[128];

	os_err("%s: %s; device not connected", pv->name, why);
	os_snprintf(path, sizeof(path), "%s/error", pv->fe_path);
	xenbus_write(pv->xb, XENBUS_TX_NONE, path, why);
	pv->err = err;
	pv->fail_be_state = be_state;
	pv->phase = PV_FAILED;
	pv->status |= VIRTIO_STATUS_FAILED;
	os_complete(&pv->settled);
}

static int pv_hex_nibble(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Read and validate everything the back-end offers. Each problem gets its
 * own message; the first one wins. sm_lock held.
 */
int pv_read_offer(struct virtio_pv *pv, char *why, size_t whylen)
{
	struct pv_offer o = { 0 };
	char cfg[2 * PV_MAX_CONFIG + 1];
	uint64_t v;
	int ret;

#define PV_KEY(key, base, max, out, what)					\
	do {									\
		ret = xenbus_read_u64(pv->xb, XENBUS_TX_NONE, pv->be_path, key,	\
				      base, max, &v);				\
		if (ret == -ETIMEDOUT || ret == -EIO || ret == -ENOMEM) {	\
			os_snprintf(why, whylen, "xenstore failed reading %s/%s", \
				    pv->be_path, key);				\
			return ret;						\
		}								\
		if (ret) {							\
			os_snprintf(why, whylen, "back-end %s/%s is %s", pv->be_path, \
				    key, ret == -ENOENT ? "missing" :		\
				    ret == -ERANGE ? "out of range" : "malformed"); \
			return ret == -ENOENT ? -EPROTO : ret == -ERANGE ? -ERANGE : -EINVAL; \
		}								\
		out = what;							\
	} while (0)

	PV_KEY("protocol-version", 10, UINT32_MAX, o.version, (unsigned)v);
	if (o.version < 1) {
		os_snprintf(why, whylen, "back-end protocol-version %u is not supported "
			    "(we speak %d)", o.version, VIRTIO_PV_PROTOCOL_VERSION);
		return -EPROTONOSUPPORT;
	}
	PV_KEY("device-id", 10, UINT32_MAX, v, v);
	if (v != pv->device_id) {
		os_snprintf(why, whylen, "back-end device-id %llu, front-end %u",
			    (unsigned long long)v, pv->device_id);
		return -EPROTO;
	}
	PV_KEY("features", 16, UINT64_MAX, o.features, v);
	if (!virtio_has_feature(o.features, VIRTIO_F_VERSION_1)) {
		os_snprintf(why, whylen, "back-end does not offer VIRTIO_F_VERSION_1 "
			    "(features 0x%llx)", (unsigned long long)o.features);
		return -EPROTO;
	}
	if (!virtio_has_feature(o.features, VIRTIO_F_ACCESS_PLATFORM)) {
		os_snprintf(why, whylen, "back-end does not offer VIRTIO_F_ACCESS_PLATFORM "
			    "(features 0x%llx)", (unsigned long long)o.features);
		return -EPROTO;
	}
	PV_KEY("max-queues", 10, PV_MAX_QUEUES_OFFER, o.max_queues, (unsigned)v);
	if (!o.max_queues) {
		os_snprintf(why, whylen, "back-end max-queues is 0");
		return -EINVAL;
	}
	PV_KEY("max-queue-size", 10, PV_RING_MAX, o.max_queue_size, (unsigned)v);
	if (o.max_queue_size < 2 || (o.max_queue_size & (o.max_queue_size - 1))) {
		os_snprintf(why, whylen, "back-end max-queue-size %u is not a power of "
			    "two in [2, %u]", o.max_queue_size, PV_RING_MAX);
		return -EINVAL;
	}
#undef PV_KEY

	/* config: optional hex bytes (absent or empty: no config space). */
	{
		char path[160];

		os_snprintf(path, sizeof(path), "%s/config", pv->be_path);
		ret = xenbus_read(pv->xb, XENBUS_TX_NONE, path, cfg, sizeof(cfg));
		if (ret == -ENOENT) {
			ret = 0;
			cfg[0] = '\0';
		}
		if (ret == -ETIMEDOUT || ret == -EIO) {
			os_snprintf(why, whylen, "xenstore failed reading %s", path);
			return ret;
		}
		if (ret < 0 || (ret & 1)) {
			os_snprintf(why, whylen, "back-end config is %s",
				    ret == -EOVERFLOW ? "longer than 256 bytes" :
				    "not an even number of hex digits");
			return -EINVAL;
		}
		for (int i = 0; i < ret; i += 2) {
			int hi = pv_hex_nibble(cfg[i]), lo = pv_hex_nibble(cfg[i + 1]);

			if (hi < 0 || lo < 0) {
				os_snprintf(why, whylen, "back-end config is not hex");
				return -EINVAL;
			}
			o.config[i / 2] = (uint8_t)(hi << 4 | lo);
		}
		o.config_len = (unsigned)ret / 2;
	}
	pv->offer = o;
	return 0;
}

/* ---- publishing (ready()) ----------------------------------------------------- */

int pv_publish_tx(struct xenbus *xb, xenbus_tx_t tx, void *arg)
{
	struct virtio_pv *pv = arg;
	char dir[128];
	int ret;

	ret = xenbus_printf(xb, tx, pv->fe_path, "protocol-version", "%d",
			    VIRTIO_PV_PROTOCOL_VERSION);
	if (!ret)
		ret = xenbus_printf(xb, tx, pv->fe_path, "features", "0x%llx",
				    (unsigned long long)pv->acked);
	if (!ret)
		ret = xenbus_printf(xb, tx, pv->fe_path, "num-queues", "%u", pv->nvqs);
	for (unsigned i = 0; !ret && i < pv->nvqs; i++) {
		const struct pv_queue *q = &pv->q[i];

		os_snprintf(dir, sizeof(dir), "%s/queue-%u", pv->fe_path, i);
		ret = xenbus_printf(xb, tx, dir, "size", "%u", q->num);
		if (!ret)
			ret = xenbus_printf(xb, tx, dir, "desc", "0x%llx",
					    (unsigned long long)q->desc_dma);
		if (!ret)
			ret = xenbus_printf(xb, tx, dir, "driver", "0x%llx",
					    (unsigned long long)q->avail_dma);
		if (!ret)
			ret = xenbus_printf(xb, tx, dir, "device", "0x%llx",
					    (unsigned long long)q->used_dma);
	}
	/* A back-end may cache its mappings only of grants that persist. */
	if (!ret)
		ret = xenbus_printf(xb, tx, pv->fe_path, "persistent-grants", "%d",
				    !pv->per_message);
	if (!ret)
		ret = xenbus_printf(xb, tx, pv->fe_path, "event-channel", "%u", pv->port);
	if (!ret)
		ret = xenbus_printf(xb, tx, pv->fe_path, "state", "%d",
				    XenbusStateInitialised);
	return ret;
}

/* Remove what an earlier handshake published (and its error, if @error). */
void pv_unpublish(struct virtio_pv *pv, bool error)
{
	static const char *const keys[] = {
		"features", "num-queues", "event-channel", "protocol-version",
		"persistent-grants", "error",
	};
	char path[160];

	for (unsigned i = 0; i < OS_ARRAY_SIZE(keys) - !error; i++) {
		os_snprintf(path, sizeof(path), "%s/%s", pv->fe_path, keys[i]);
		xenbus_rm(pv->xb, XENBUS_TX_NONE, path);
	}
	for (unsigned i = 0; i < PV_MAX_QUEUES; i++) {
		os_snprintf(path, sizeof(path), "%s/queue-%u", pv->fe_path, i);
		xenbus_rm(pv->xb, XENBUS_TX_NONE, path);
	}
}


/* ---- our directory ------------------------------------------------------------- */

int pv_read_frontend(struct virtio_pv *pv, unsigned devid)
{
	uint16_t self = xen_plat_domid(pv->plat);
	char path[160], expect[128];
	uint64_t v;
	int ret;

	if (self == DOMID_SELF) {
		/* The platform does not know: the toolstack's relative "domid". */
		ret = xenbus_read(pv->xb, XENBUS_TX_NONE, "domid", path, sizeof(path));
		if (ret >= 0)
			ret = xenbus_parse_u64(path, 10, DOMID_FIRST_RESERVED - 1, &v);
		if (ret) {
			os_err("%s: cannot learn our domain id from xenstore", pv->name);
			return ret;
		}
		self = (uint16_t)v;
	}

	os_snprintf(pv->fe_path, sizeof(pv->fe_path),
		    "/local/domain/%u/device/virtio-pv/%u", self, devid);
	ret = xenbus_read_u64(pv->xb, XENBUS_TX_NONE, pv->fe_path, "backend-id", 10,
			      DOMID_FIRST_RESERVED - 1, &v);
	if (ret == -ETIMEDOUT || ret == -EIO || ret == -ENOMEM)
		return ret;		/* xenstore itself failed: logged */
	if (ret) {
		os_err("%s: %s/backend-id %s", pv->name, pv->fe_path,
		       ret == -ENOENT ? "missing (no such device?)" : "malformed");
		return ret == -ENOENT ? -ENOENT : -EINVAL;
	}
	pv->be_domid = (uint16_t)v;
	os_snprintf(path, sizeof(path), "%s/backend", pv->fe_path);
	ret = xenbus_read(pv->xb, XENBUS_TX_NONE, path, pv->be_path,
			  sizeof(pv->be_path));
	if (ret == -ETIMEDOUT || ret == -EIO)
		return ret;
	os_snprintf(expect, sizeof(expect),
		    "/local/domain/%u/backend/virtio-pv/%u/%u", pv->be_domid, self,
		    devid);
	if (ret < 0 || strcmp(pv->be_path, expect)) {
		os_err("%s: %s/backend is %s, expected %s", pv->name, pv->fe_path,
		       ret < 0 ? "missing" : pv->be_path, expect);
		return -EINVAL;
	}
	ret = xenbus_read_u64(pv->xb, XENBUS_TX_NONE, pv->fe_path, "device-id", 10,
			      UINT32_MAX, &v);
	if (ret == -ETIMEDOUT || ret == -EIO)
		return ret;
	if (ret) {
		os_err("%s: %s/device-id missing or malformed", pv->name, pv->fe_path);
		return -EINVAL;
	}
	pv->device_id = (uint32_t)v;
	os_snprintf(pv->be_state_path, sizeof(pv->be_state_path), "%s/state",
		    pv->be_path);
	return 0;
}

bool pv_be_refused(struct virtio_pv *pv, int be_state, char *why, size_t len)
{
	char path[160], err[128];
	int ret;

	if (be_state != XenbusStateClosing && be_state != XenbusStateClosed)
		return false;
	os_snprintf(path, sizeof(path), "%s/error", pv->be_path);
	ret = xenbus_read(pv->xb, XENBUS_TX_NONE, path, err, sizeof(err));
	if (ret == -EOVERFLOW) {
		err[0] = '\0';
		ret = 0;
	}
	if (ret < 0)
		return false;
	/* Shown in our logs: keep it printable. */
	for (char *c = err; *c; c++)
		if (*c < ' ' || *c > '~')
			*c = '?';
	os_snprintf(why, len, "back-end refused the device: %s",
		    err[0] ? err : "(no reason given)");
	return true;
}
