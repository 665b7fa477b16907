// SPDX-License-Identifier: MIT
/*
 * Fuzz target: a stateful stream of SCMI commands from the two agents of the
 * demo config (configs/automotive-soc.cfg) against one server, with time
 * passing, delayed responses and notifications flowing, disconnects and a
 * reload in between. Each record of the input:
 *   byte 0: bit 0 agent (ivi / cluster), bit 1 advance time by byte 1 ms
 *           first, bit 2 reconnect that agent first (released in between
 *           when the message id is odd), bit 3 use protocol
 *           byte raw (else 0x10 + byte % 10), bits 7:4 response room / 8
 *           (0: 128 bytes)
 *   byte 1: protocol, byte 2: message id, byte 3: payload length (% 64)
 *   then that many payload bytes.
 * Invariants: every answer has the command's header, a status from the
 * specification, no payload unless SUCCESS, and fits the room offered.
 */
#include <stdbool.h>
#include <string.h>

#include <vscmi/scmi_wire.h>
#include <vscmi/os.h>

#include "scmi/server/server.h"
#include "tests/fuzz/fuzz.h"

#ifndef VSCMI_SRCTREE
#define VSCMI_SRCTREE "."
#endif

#define MAX_TIMERS 256

static struct {
	uint64_t now;
	unsigned n;
	struct {
		void (*fn)(void *);
		void *arg;
		uint64_t due;
	} t[MAX_TIMERS];
	unsigned p2a;
} fz;

static int fz_send(void *ctx, struct scmi_srv_agent *a, const void *msg, size_t len)
{
	FUZZ_CHECK(len >= 4 && len <= 4 + 40 * 4);
	fz.p2a++;
	return 0;
}

static int fz_defer(void *ctx, uint64_t delay, void (*fn)(void *), void *arg)
{
	if (fz.n == MAX_TIMERS)
		return -ENOMEM;
	fz.t[fz.n].fn = fn;
	fz.t[fz.n].arg = arg;
	fz.t[fz.n].due = fz.now + delay;
	fz.n++;
	return 0;
}

static uint64_t fz_now(void *ctx)
{
	return fz.now;
}

static const struct scmi_srv_ops fz_ops = {
	.send_p2a = fz_send,
	.defer = fz_defer,
	.now_ns = fz_now,
};

/* Run every timer due by now + @ns, in order (they may add timers). */
static void fz_advance(uint64_t ns)
{
	uint64_t end = fz.now + ns;

	for (;;) {
		unsigned best = fz.n;

		for (unsigned i = 0; i < fz.n; i++)
			if (fz.t[i].due <= end && (best == fz.n || fz.t[i].due < fz.t[best].due))
				best = i;
		if (best == fz.n)
			break;
		void (*fn)(void *) = fz.t[best].fn;
		void *arg = fz.t[best].arg;

		if (fz.t[best].due > fz.now)
			fz.now = fz.t[best].due;
		fz.t[best] = fz.t[--fz.n];
		fn(arg);
	}
	fz.now = end;
}

static struct scmi_srv_config *demo_cfg(void)
{
	static struct scmi_srv_config *cfg;
	char err[512];

	if (!cfg && scmi_srv_load_config(VSCMI_SRCTREE "/configs/automotive-soc.cfg", &cfg, err,
					 sizeof(err)) &&
	    scmi_srv_load_config("configs/automotive-soc.cfg", &cfg, err, sizeof(err))) {
		fprintf(stderr, "fuzz_scmi_server: %s\n", err);
		abort();
	}
	return cfg;
}

static void check_response(const uint8_t *req, const uint8_t *resp, size_t len, size_t cap)
{
	uint32_t hdr = scmi_get_le32(req), rh;
	int32_t st;

	FUZZ_CHECK(len >= 8 && len <= cap);
	rh = scmi_get_le32(resp);
	FUZZ_CHECK(scmi_hdr_msg_id(rh) == scmi_hdr_msg_id(hdr));
	FUZZ_CHECK(scmi_hdr_proto(rh) == scmi_hdr_proto(hdr));
	FUZZ_CHECK(scmi_hdr_token(rh) == scmi_hdr_token(hdr));
	FUZZ_CHECK(scmi_hdr_type(rh) == SCMI_MSG_TYPE_COMMAND);
	st = (int32_t)scmi_get_le32(resp + 4);
	FUZZ_CHECK(st <= 0 && st >= SCMI_IN_USE);
	FUZZ_CHECK(st == SCMI_SUCCESS || len == 8);
	FUZZ_CHECK(len % 4 == 0 || (scmi_hdr_proto(hdr) == SCMI_PROTO_BASE));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct scmi_srv_config *cfg = demo_cfg();
	struct scmi_srv_agent *ag[2];
	static const char *const names[2] = { "ivi", "cluster" };
	struct scmi_srv *s;
	size_t off = 0;
	unsigned cmds = 0;

	os_log_set_level(OS_LOG_ERR);
	memset(&fz, 0, sizeof(fz));
	fz.now = 1000000000ull;
	FUZZ_CHECK(scmi_srv_create(cfg, &fz_ops, NULL, &s) == 0);
	ag[0] = scmi_srv_agent_connect(s, "ivi", 1);
	ag[1] = scmi_srv_agent_connect(s, "cluster", 2);
	FUZZ_CHECK(ag[0] && ag[1]);
	while (off + 4 <= size && cmds++ < 512) {
		uint8_t ctl = data[off], proto = data[off + 1], msg = data[off + 2];
		size_t len = data[off + 3] % 64, cap = (ctl >> 4) ? (size_t)(ctl >> 4) * 8 : 128;
		uint8_t req[4 + 64] = { 0 }, resp[256];
		int w = ctl & 1;
		size_t n;

		off += 4;
		if (ctl & 2)
			fz_advance((uint64_t)proto * OS_NSEC_PER_MSEC);
		if (ctl & 4) {
			scmi_srv_agent_disconnect(s, ag[w]);
			if (msg & 1)	/* the guest died: its requests go */
				scmi_srv_agent_release(s, names[w]);
			ag[w] = scmi_srv_agent_connect(s, names[w], (uint16_t)(w + 1));
			FUZZ_CHECK(ag[w]);
		}
		if (!(ctl & 8))
			proto = (uint8_t)(SCMI_PROTO_BASE + proto % 10);
		if (len > size - off)
			len = size - off;
		scmi_put_le32(req, scmi_hdr_pack(msg, SCMI_MSG_TYPE_COMMAND, proto, (uint16_t)cmds));
		memcpy(req + 4, data + off, len);
		off += len;
		n = scmi_srv_handle(s, ag[w], req, 4 + len, resp, cap);
		if (cap >= 8)
			check_response(req, resp, n, cap);
		else
			FUZZ_CHECK(n == 0);
		if (cmds == 200)
			FUZZ_CHECK(scmi_srv_reload(s, cfg) == 0);
	}
	fz_advance(10 * OS_NSEC_PER_SEC);
	scmi_srv_agent_disconnect(s, ag[0]);
	fz_advance(OS_NSEC_PER_SEC);
	scmi_srv_destroy(s);
	return 0;
}
