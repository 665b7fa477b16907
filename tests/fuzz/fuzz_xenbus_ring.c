// SPDX-License-Identifier: MIT
/*
 * Fuzz target: xen-frontend's xenstore ring client (xen-frontend/xenstore.c)
 * against a hostile xenstore daemon. The fuzzer's bytes script the daemon:
 * for each request the client makes, one control byte picks a well-formed
 * reply with fuzzed type and payload, raw bytes straight into the ring, a
 * watch event, or a bogus rsp_prod. The client must never crash, read or
 * write out of bounds, or hang; a broken ring must fail cleanly.
 *
 * This file is the platform (xen_plat.h) for the client: the ring is a
 * static page and "sending" on the xenstore port runs the fake daemon.
 */
#include <vscmi/os.h>

#include "tests/fuzz/fuzz.h"
#include "xen-frontend/evtchn.h"
#include "xen-frontend/xen_plat.h"
#include "xen-frontend/xenbus.h"

#define FZ_PORT 5

struct xen_plat {
	struct evtchn_table *evtchn;
	struct gnttab *gnttab;
};

static struct xen_plat fz_plat;
static struct xenstore_domain_interface fz_ring;
static const uint8_t *fz_in;
static size_t fz_len, fz_pos;
static bool fz_in_daemon;

static int fz_byte(void)
{
	return fz_pos < fz_len ? fz_in[fz_pos++] : -1;
}

/* ---- the platform ---- */
uint16_t xen_plat_domid(struct xen_plat *p) { return 1; }
const char *xen_plat_name(void) { return "fuzz"; }
struct evtchn_table **xen_plat_evtchn_slot(struct xen_plat *p) { return &p->evtchn; }
struct gnttab **xen_plat_gnttab_slot(struct xen_plat *p) { return &p->gnttab; }
int xen_plat_evtchn_alloc_unbound(struct xen_plat *p, uint16_t r, uint32_t *port) { return -ENOSYS; }
int xen_plat_evtchn_bind_interdomain(struct xen_plat *p, uint16_t r, uint32_t rp,
				     uint32_t *port) { return -ENOSYS; }
int xen_plat_evtchn_close(struct xen_plat *p, uint32_t port) { return 0; }
int xen_plat_evtchn_mask(struct xen_plat *p, uint32_t port) { return 0; }
int xen_plat_evtchn_unmask(struct xen_plat *p, uint32_t port) { return 0; }
int xen_plat_evtchn_start(struct xen_plat *p) { return 0; }
void xen_plat_evtchn_stop(struct xen_plat *p) { }

int xen_plat_xs_ring(struct xen_plat *p, struct xenstore_domain_interface **intf,
		     uint32_t *port)
{
	*intf = &fz_ring;
	*port = FZ_PORT;
	return 0;
}

/* Put @n bytes into the rsp ring, letting the client drain it as needed. */
static void fz_emit(const void *data, size_t n)
{
	const uint8_t *b = data;

	while (n) {
		uint32_t used = fz_ring.rsp_prod - fz_ring.rsp_cons;
		size_t room = used >= XENSTORE_RING_SIZE ? 0 : XENSTORE_RING_SIZE - used;
		size_t k = OS_MIN(n, room);

		for (size_t i = 0; i < k; i++)
			fz_ring.rsp[MASK_XENSTORE_IDX(fz_ring.rsp_prod + i)] = (char)b[i];
		fz_ring.rsp_prod += (uint32_t)k;
		b += k;
		n -= k;
		evtchn_deliver(&fz_plat, FZ_PORT);
		if (!k && fz_ring.rsp_prod - fz_ring.rsp_cons >= XENSTORE_RING_SIZE)
			break;	/* the client stopped draining (broken ring) */
	}
}

/* The daemon's turn: eat the request, answer as the input says. */
static void fz_daemon(void)
{
	struct xsd_sockmsg req = { 0 }, rsp;
	uint8_t payload[XENSTORE_PAYLOAD_MAX];
	uint32_t avail = fz_ring.req_prod - fz_ring.req_cons;
	int c, n;

	if (avail >= sizeof(req))
		for (size_t i = 0; i < sizeof(req); i++)
			((char *)&req)[i] = fz_ring.req[MASK_XENSTORE_IDX(fz_ring.req_cons + i)];
	fz_ring.req_cons = fz_ring.req_prod;
	c = fz_byte();
	if (c < 0)
		return;		/* silence: the client times out */
	switch (c & 3) {
	case 0:		/* well-formed header, fuzzed type/length/payload */
	case 2:		/* watch event for our first watch, fuzzed path */
		n = fz_byte();
		if (n < 0)
			n = 0;
		if (c & 0x40)
			n = n * 16 + 15;	/* long payloads too */
		n = (int)OS_MIN((size_t)n, fz_len - fz_pos);
		n = OS_MIN(n, (int)sizeof(payload) - 12);
		memcpy(payload, fz_in + fz_pos, (size_t)n);
		fz_pos += (size_t)n;
		rsp.req_id = (c & 0x80) ? req.req_id ^ 1 : req.req_id;
		rsp.tx_id = req.tx_id;
		if ((c & 3) == 2) {
			static const char tok[] = "vscmi-w1";

			payload[n++] = 0;
			memcpy(payload + n, tok, sizeof(tok));
			n += (int)sizeof(tok);
			rsp.type = XS_WATCH_EVENT;
		} else {
			rsp.type = (c & 0x20) ? XS_ERROR : (c & 0x10) ? (uint32_t)c >> 2 : req.type;
		}
		rsp.len = (c & 0x08) ? (uint32_t)n + 1 : (uint32_t)n;
		fz_emit(&rsp, sizeof(rsp));
		fz_emit(payload, (size_t)n);
		break;
	case 1:		/* raw bytes */
		n = fz_byte();
		n = (int)OS_MIN((size_t)(n < 0 ? 0 : n), fz_len - fz_pos);
		fz_emit(fz_in + fz_pos, (size_t)n);
		fz_pos += (size_t)n;
		break;
	case 3:		/* a daemon moving rsp_prod wherever it likes */
		fz_ring.rsp_prod += (uint32_t)(c >> 2) * 97u;
		evtchn_deliver(&fz_plat, FZ_PORT);
		break;
	}
}

int xen_plat_evtchn_send(struct xen_plat *p, uint32_t port)
{
	/* The client also notifies after draining replies: only requests count. */
	if (port == FZ_PORT && !fz_in_daemon &&
	    fz_ring.req_prod != fz_ring.req_cons) {
		fz_in_daemon = true;
		fz_daemon();
		fz_in_daemon = false;
	}
	return 0;
}

static void fz_watch_fn(struct xenbus_watch *w, const char *path)
{
	FUZZ_CHECK(strlen(path) < XENSTORE_PAYLOAD_MAX);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct xenbus_watch w = { .fn = fz_watch_fn };
	struct xenbus *xb;
	char buf[256];
	xenbus_tx_t tx = 0;
	uint64_t v;

	memset(&fz_ring, 0, sizeof(fz_ring));
	fz_in = data;
	fz_len = size;
	fz_pos = 0;
	os_log_set_level(OS_LOG_ERR);
	FUZZ_CHECK(evtchn_open(&fz_plat) == 0);
	FUZZ_CHECK(xenbus_open(&fz_plat, &xb) == 0);
	xenbus_set_timeout(xb, 200 * 1000);	/* 0.2 ms: silence ends fast */

	xenbus_watch(xb, &w, "/local/domain/1/x");
	if (xenbus_read(xb, XENBUS_TX_NONE, "/a", buf, sizeof(buf)) >= 0)
		FUZZ_CHECK(strlen(buf) < sizeof(buf));
	xenbus_directory(xb, XENBUS_TX_NONE, "/d", buf, sizeof(buf));
	if (!xenbus_transaction_start(xb, &tx)) {
		xenbus_write(xb, tx, "/a/b", "value");
		xenbus_read_u64(xb, tx, "/a", "n", 16, UINT64_MAX, &v);
		xenbus_transaction_end(xb, tx, false);
	}
	xenbus_mkdir(xb, XENBUS_TX_NONE, "/m");
	xenbus_rm(xb, XENBUS_TX_NONE, "/m");
	xenbus_unwatch(xb, &w);
	xenbus_close(xb);
	evtchn_close_all(&fz_plat);
	return 0;
}
