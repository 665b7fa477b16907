// SPDX-License-Identifier: MIT
/*
 * Fuzz target: vscmi-backd's side of the virtio-pv handshake
 * (tools/vscmi-backd/xenbus_back.c and the connect path of device.c)
 * against a hostile guest's xenstore values: its front-end directory
 * (state, features, num-queues, event-channel, persistent-grants, every
 * queue's size and ring addresses) and the toolstack's nodes a guest could
 * have tampered with (frontend, frontend-id, the domain's name). The fuzzer
 * also drives the front-end state through any sequence of states.
 *
 * The real back-end code runs on this file's xenstore (an in-memory tree
 * in place of libxenstore), platform (grant maps from a small arena, fake
 * event channels) and loop (no timers). Invariants: nothing out of bounds
 * (ASan), nothing undefined (UBSan), and after every device is destroyed
 * every map and every port is released and nothing leaks (LeakSanitizer).
 *
 * Input: a state script (bytes up to the first 0xfe), then records
 * "<key byte><value bytes...>" separated by 0xff; a key byte >= 0x80 marks
 * the node missing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xenstore.h>

#include <vscmi/os.h>

#include "scmi/server/server.h"
#include "tests/fuzz/fuzz.h"
#include "tools/vscmi-attach/attach.h"
#include "tools/vscmi-backd/backd.h"

#define FZ_DOMU 3
#define FZ_FE "/local/domain/3/device/virtio-pv/0"
#define FZ_BE "/local/domain/0/backend/virtio-pv/3/0"
#define FZ_MAX_NODES 96
#define FZ_PAGES 8

struct fz_node {
	char path[160];
	char val[128];
	bool used;
};

static struct fz_node fz_store[FZ_MAX_NODES];
static uint8_t fz_arena[FZ_PAGES][4096] __attribute__((aligned(4096)));
static unsigned fz_maps_live, fz_ports_live;

/* Keys a fuzz record may set: the guest's directory and tampered nodes. */
static const char *const fz_keys[] = {
	FZ_FE "/state", FZ_FE "/features", FZ_FE "/num-queues", FZ_FE "/event-channel",
	FZ_FE "/persistent-grants", FZ_FE "/protocol-version",
	FZ_FE "/queue-0/size", FZ_FE "/queue-0/desc", FZ_FE "/queue-0/driver",
	FZ_FE "/queue-0/device",
	FZ_FE "/queue-1/size", FZ_FE "/queue-1/desc", FZ_FE "/queue-1/driver",
	FZ_FE "/queue-1/device",
	FZ_BE "/frontend", FZ_BE "/frontend-id", "/local/domain/3/name",
};

static struct fz_node *fz_find(const char *path)
{
	for (unsigned i = 0; i < FZ_MAX_NODES; i++)
		if (fz_store[i].used && !strcmp(fz_store[i].path, path))
			return &fz_store[i];
	return NULL;
}

static void fz_set(const char *path, const char *val, size_t len)
{
	struct fz_node *n = fz_find(path);

	for (unsigned i = 0; !n && i < FZ_MAX_NODES; i++)
		if (!fz_store[i].used)
			n = &fz_store[i];
	if (!n)
		return;
	n->used = true;
	snprintf(n->path, sizeof(n->path), "%s", path);
	len = len < sizeof(n->val) - 1 ? len : sizeof(n->val) - 1;
	memcpy(n->val, val, len);
	n->val[len] = '\0';
}

static void fz_del(const char *path)
{
	size_t l = strlen(path);

	for (unsigned i = 0; i < FZ_MAX_NODES; i++)
		if (fz_store[i].used && !strncmp(fz_store[i].path, path, l) &&
		    (fz_store[i].path[l] == '\0' || fz_store[i].path[l] == '/'))
			fz_store[i].used = false;
}

/* ---- libxenstore, as far as the back-end uses it ---- */

void *xs_read(struct xs_handle *h, xs_transaction_t t, const char *path, unsigned int *len)
{
	struct fz_node *n = fz_find(path);
	char *v;

	if (!n)
		return NULL;
	v = strdup(n->val);
	if (v && len)
		*len = (unsigned)strlen(v);
	return v;
}

bool xs_write(struct xs_handle *h, xs_transaction_t t, const char *path, const void *data,
	      unsigned int len)
{
	fz_set(path, data, len);
	return true;
}

bool xs_rm(struct xs_handle *h, xs_transaction_t t, const char *path)
{
	fz_del(path);
	return true;
}

/* Children of @path, as libxenstore returns them: one block to free(). */
char **xs_directory(struct xs_handle *h, xs_transaction_t t, const char *path,
		    unsigned int *num)
{
	char names[FZ_MAX_NODES][64];
	unsigned n = 0;
	size_t l = strlen(path), bytes = 0;
	char **out, *p;

	for (unsigned i = 0; i < FZ_MAX_NODES; i++) {
		const char *c = fz_store[i].path;
		size_t k;
		bool dup = false;

		if (!fz_store[i].used || strncmp(c, path, l) || c[l] != '/')
			continue;
		c += l + 1;
		k = strcspn(c, "/");
		if (k == 0 || k >= 64)
			continue;
		for (unsigned j = 0; j < n; j++)
			dup |= strlen(names[j]) == k && !strncmp(names[j], c, k);
		if (dup)
			continue;
		memcpy(names[n], c, k);
		names[n][k] = '\0';
		bytes += k + 1;
		n++;
	}
	*num = n;
	out = malloc(n * sizeof(char *) + bytes + 1);
	if (!out)
		return NULL;
	p = (char *)(out + n);
	for (unsigned j = 0; j < n; j++) {
		out[j] = p;
		p = stpcpy(p, names[j]) + 1;
	}
	return out;
}

bool xs_watch(struct xs_handle *h, const char *path, const char *token)
{
	return true;
}

bool xs_unwatch(struct xs_handle *h, const char *path, const char *token)
{
	return true;
}

xs_transaction_t xs_transaction_start(struct xs_handle *h)
{
	return 1;
}

bool xs_transaction_end(struct xs_handle *h, xs_transaction_t t, bool abort)
{
	return true;
}

bool xs_is_domain_introduced(struct xs_handle *h, unsigned int domid)
{
	return domid == FZ_DOMU;
}

/* ---- the platform and the loop ---- */

void *bk_plat_map(struct bk_plat *p, uint16_t domid, uint32_t ref, bool writable, int *err)
{
	/* A few references are "not granted"; the rest land in the arena. */
	if (domid != FZ_DOMU || ref % 13 == 12) {
		*err = -EINVAL;
		return NULL;
	}
	fz_maps_live++;
	return fz_arena[ref % FZ_PAGES];
}

int bk_plat_unmap(struct bk_plat *p, void *addr)
{
	FUZZ_CHECK(fz_maps_live > 0);
	fz_maps_live--;
	return 0;
}

int bk_plat_evtchn_bind(struct bk_plat *p, uint16_t domid, uint32_t remote_port,
			uint32_t *port)
{
	if (!remote_port || remote_port >= 4096)
		return -EINVAL;
	fz_ports_live++;
	*port = remote_port + 100;
	return 0;
}

int bk_plat_evtchn_unbind(struct bk_plat *p, uint32_t port)
{
	FUZZ_CHECK(fz_ports_live > 0);
	fz_ports_live--;
	return 0;
}

int bk_plat_evtchn_notify(struct bk_plat *p, uint32_t port)
{
	return 0;
}

int64_t bk_loop_add_timer(struct bk_loop *l, uint64_t delay_ns, bk_timer_fn fn, void *arg)
{
	return -ENOSYS;
}

void bk_loop_cancel_timers(struct bk_loop *l, void *arg)
{
}

/* tools/vscmi-attach/xsdev.c: only for --auto-attach, which is off here. */
int vsa_attach(struct xs_handle *xs, unsigned domid, unsigned be, unsigned devid,
	       char *err, size_t errlen)
{
	return -ENOSYS;
}

/* ---- the target ---- */

static const char fz_config[] =
	"clocks = [ \"name=c0,rates=100M|200M,rate=100M\" ]\n"
	"agents = [ \"name=ivi,domain=ivi\" ]\n"
	"agent_ivi = [ \"clock:c0\" ]\n";

static int fz_send_p2a(void *ctx, struct scmi_srv_agent *a, const void *msg, size_t len)
{
	return -ENOSPC;
}

static const struct scmi_srv_ops fz_srv_ops = { .send_p2a = fz_send_p2a };

static void fz_defaults(void)
{
	static const char *const init[][2] = {
		{ FZ_BE "/frontend", FZ_FE }, { FZ_BE "/frontend-id", "3" },
		{ FZ_BE "/state", "1" }, { FZ_BE "/online", "1" }, { FZ_BE "/device-id", "32" },
		{ "/local/domain/3/name", "ivi" },
		{ FZ_FE "/backend", FZ_BE }, { FZ_FE "/backend-id", "0" },
		{ FZ_FE "/device-id", "32" }, { FZ_FE "/state", "1" },
		{ FZ_FE "/protocol-version", "1" }, { FZ_FE "/features", "0x320000001" },
		{ FZ_FE "/num-queues", "2" }, { FZ_FE "/event-channel", "9" },
		{ FZ_FE "/queue-0/size", "64" }, { FZ_FE "/queue-0/desc", "0x8000000000001000" },
		{ FZ_FE "/queue-0/driver", "0x8000000000002000" },
		{ FZ_FE "/queue-0/device", "0x8000000000003000" },
		{ FZ_FE "/queue-1/size", "64" }, { FZ_FE "/queue-1/desc", "0x8000000000004000" },
		{ FZ_FE "/queue-1/driver", "0x8000000000005000" },
		{ FZ_FE "/queue-1/device", "0x8000000000006000" },
	};

	memset(fz_store, 0, sizeof(fz_store));
	for (unsigned i = 0; i < OS_ARRAY_SIZE(init); i++)
		fz_set(init[i][0], init[i][1], strlen(init[i][1]));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct scmi_srv *srv;
	struct backd bd = { 0 };
	size_t i = 0, script_end;

	if (!srv) {
		struct scmi_srv_config *cfg;
		char err[160];

		FUZZ_CHECK(!scmi_srv_parse_config("fuzz", fz_config, sizeof(fz_config) - 1,
						  &cfg, err, sizeof(err)));
		FUZZ_CHECK(!scmi_srv_create(cfg, &fz_srv_ops, NULL, &srv));
		scmi_srv_config_free(cfg);
	}
	fz_defaults();
	memset(fz_arena, 0, sizeof(fz_arena));
	fz_maps_live = fz_ports_live = 0;

	for (script_end = 0; script_end < size && data[script_end] != 0xfe; script_end++)
		;
	i = script_end + 1;
	while (i < size) {
		uint8_t k = data[i++];
		size_t start = i;

		while (i < size && data[i] != 0xff)
			i++;
		if (k & 0x80)
			fz_del(fz_keys[(k & 0x7f) % OS_ARRAY_SIZE(fz_keys)]);
		else
			fz_set(fz_keys[k % OS_ARRAY_SIZE(fz_keys)], (const char *)data + start,
			       i - start);
		i++;
	}

	bd.srv = srv;
	bd.self = 0;
	snprintf(bd.be_root, sizeof(bd.be_root), "/local/domain/0/backend/virtio-pv");
	bk_xenbus_scan(&bd);
	/* The front-end's state moves as the script says; 0: the value fuzzed. */
	for (size_t s = 0; s < script_end && s < 16 && bd.devs; s++) {
		struct bk_dev *d = bd.devs;
		char v[4];

		if (data[s] % 10) {
			snprintf(v, sizeof(v), "%u", data[s] % 10 - 1);
			fz_set(FZ_FE "/state", v, strlen(v));
		}
		bk_xenbus_watch_fired(&bd, d->fe_state_path, d->watch_token);
		if (d->connected)
			bk_dev_kick(d);
	}
	if (!script_end && bd.devs)
		bk_xenbus_watch_fired(&bd, bd.devs->fe_state_path, bd.devs->watch_token);
	bk_xenbus_stop(&bd);
	FUZZ_CHECK(!bd.devs);
	FUZZ_CHECK(fz_maps_live == 0);
	FUZZ_CHECK(fz_ports_live == 0);
	return 0;
}
