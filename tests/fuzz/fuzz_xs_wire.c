// SPDX-License-Identifier: MIT
/*
 * Fuzz target for xenstored's xs_wire parser and dispatcher
 * (tools/xenstored): arbitrary byte streams from two dom0 connections and
 * two unprivileged guests, several messages per input, on one engine.
 *
 * Input: records of [conn selector: 1 byte][length: 2 bytes LE][bytes];
 * selector & 3 picks dom0 A, dom0 B, domain 5 or domain 6 (introduced by
 * the setup; a guest released by the input stays gone). A short last
 * record takes what is left. Every output message is checked for framing
 * (payload <= XENSTORE_PAYLOAD_MAX, a known type) and the engine's
 * invariants (tree shape, accounting) must hold at the end.
 * tests/fuzz/make_xs_wire_seeds.py writes the seed corpus.
 */
#include <string.h>

#include <vscmi/os.h>

#include "tests/fuzz/fuzz.h"
#include "tools/xenstored/xenstored.h"

static struct xsd_engine *eng;
static struct xsd_conn *guest[8];

static struct xsd_conn *fz_introduce(void *arg, uint16_t domid, uint64_t mfn,
				     uint32_t port, int *err)
{
	if (domid >= 8) {
		*err = ENOENT;	/* no such domain in this machine */
		return NULL;
	}
	guest[domid] = xsd_conn_new(eng, domid);
	return guest[domid];
}

static void fz_gone(void *arg, struct xsd_conn *c)
{
	guest[xsd_conn_domid(c)] = NULL;
}

static void fz_freeze(void *arg, unsigned ms)
{
}

static void drain(struct xsd_conn *c)
{
	const void *p;
	size_t n;

	while ((n = xsd_conn_out_peek(c, &p))) {
		struct xsd_sockmsg h;

		FUZZ_CHECK(n >= sizeof(h));
		memcpy(&h, p, sizeof(h));
		FUZZ_CHECK(h.len <= XENSTORE_PAYLOAD_MAX);
		FUZZ_CHECK(n == sizeof(h) + h.len);
		FUZZ_CHECK(h.type < XS_TYPE_COUNT);
		if (h.type == XS_WATCH_EVENT)
			FUZZ_CHECK(h.req_id == 0 && h.tx_id == 0);
		xsd_conn_out_consume(c, n);
	}
}

static void send_setup(struct xsd_conn *c, uint32_t type, const char *a,
		       size_t len)
{
	struct xsd_sockmsg h = { .type = type, .len = (uint32_t)len };

	xsd_conn_feed(c, &h, sizeof(h));
	xsd_conn_feed(c, a, len);
	drain(c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct xsd_engine_cb cb = {
		.introduce = fz_introduce, .conn_gone = fz_gone,
		.freeze = fz_freeze,
	};
	struct xsd_quota q = XSD_QUOTA_DEFAULT;
	struct xsd_conn *dom0[2];
	size_t off = 0;
	unsigned i;

	/* Dropped connections are expected here: keep the log quiet. */
	os_log_set_level(OS_LOG_ERR);
	/* Small quotas so that inputs reach them. */
	q.nodes = 64;
	q.watches = 8;
	q.transactions = 3;
	q.txn_nodes = 128;
	q.out_bytes = 16384;
	memset(guest, 0, sizeof(guest));
	eng = xsd_engine_new(&q, &cb);
	FUZZ_CHECK(eng);
	dom0[0] = xsd_conn_new(eng, 0);
	dom0[1] = xsd_conn_new(eng, 0);
	FUZZ_CHECK(dom0[0] && dom0[1]);
	/* A toolstack's setup: domain dirs owned by the guests. */
	send_setup(dom0[0], XS_MKDIR, "/local/domain/5", 16);
	send_setup(dom0[0], XS_SET_PERMS, "/local/domain/5\0n5\0r6", 22);
	send_setup(dom0[0], XS_MKDIR, "/local/domain/6", 16);
	send_setup(dom0[0], XS_SET_PERMS, "/local/domain/6\0n6", 19);
	send_setup(dom0[0], XS_INTRODUCE, "5\0" "0\0" "3", 6);
	send_setup(dom0[0], XS_INTRODUCE, "6\0" "0\0" "3", 6);
	FUZZ_CHECK(guest[5] && guest[6]);

	while (off + 3 <= size) {
		unsigned sel = data[off] & 3;
		size_t len = (size_t)data[off + 1] | (size_t)data[off + 2] << 8;
		struct xsd_conn *c;

		off += 3;
		if (len > size - off)
			len = size - off;
		if (sel < 2) {
			c = dom0[sel];
			if (xsd_conn_broken(c)) {
				/* A socket client reconnects. */
				xsd_conn_free(c);
				c = dom0[sel] = xsd_conn_new(eng, 0);
				FUZZ_CHECK(c);
			}
		} else {
			c = guest[sel + 3];
		}
		if (c)
			xsd_conn_feed(c, data + off, len);
		off += len;
		for (i = 0; i < 2; i++)
			drain(dom0[i]);
		for (i = 0; i < 8; i++)
			if (guest[i])
				drain(guest[i]);
	}
	FUZZ_CHECK(xsd_engine_check(eng) == 0);
	xsd_engine_free(eng);
	eng = NULL;
	return 0;
}
