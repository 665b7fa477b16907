// SPDX-License-Identifier: MIT
/*
 * Fuzz target: the agent core's handling of what the platform sends
 * (scmi/agent/core.c) -- responses, delayed responses and notifications with
 * hostile headers (any type, token, protocol, message id, reserved bits),
 * any length, duplicates, replies on the wrong channel -- through the
 * scripted fake transport. (Protocol payload parsing is fuzz_scmi_agent.)
 *
 * Checked: a transfer ends with 0 or a negative errno, never with more
 * response bytes than the caller allowed; every transfer is counted once
 * (ok + errors + timeouts); notification callbacks never see more than the
 * transport's maximum; after the run every transfer is back in the pool.
 *
 * Input: [0] flags (bit 0 polling, bit 1 async commands, bit 2 a raw
 * transfer every other command), then commands: [proto] [msg] [rx max], each
 * followed by its platform messages [kind] [len] [len bytes], ended by a
 * kind 0xff. kind bit 0: on the P2A channel; bit 1: header built from the
 * command's (type = bits 2-3, token xor = bits 4-6) instead of taken from
 * the first four bytes.
 */
#include <string.h>

#include <vscmi/os.h>
#include <vscmi/scmi.h>
#include <vscmi/scmi_wire.h>

#include "scmi/agent/core.h"
#include "tests/fuzz/fuzz.h"
#include "tests/scmi/fake_transport.h"

#define FZ_MAX_CMDS 8
#define FZ_MAX_MSGS 8

struct fz {
	const uint8_t *p;
	size_t left;
	uint64_t cb_calls;
	size_t max_msg;
};

static bool fz_byte(struct fz *f, uint8_t *b)
{
	if (!f->left)
		return false;
	*b = *f->p++;
	f->left--;
	return true;
}

static void fz_responder(struct fake_platform *fp, const struct fake_cmd *cmd,
			 void *priv)
{
	struct fz *f = priv;
	uint8_t kind, len, msg[4 + 255];

	for (unsigned n = 0; n < FZ_MAX_MSGS; n++) {
		size_t take, total;

		if (!fz_byte(f, &kind) || kind == 0xff || !fz_byte(f, &len))
			return;
		take = OS_MIN((size_t)len, f->left);
		if (kind & 2) {
			uint32_t hdr = scmi_hdr_pack(cmd->msg_id, (kind >> 2) & 3,
						     cmd->proto,
						     (uint16_t)(cmd->token ^ ((kind >> 4) & 7)));

			scmi_put_le32(msg, hdr);
			memcpy(msg + 4, f->p, take);
			total = take + 4;
		} else {
			memcpy(msg, f->p, take);
			total = take;
		}
		f->p += take;
		f->left -= take;
		if (kind & 1)
			fake_p2a_raw(fp, msg, total);
		else
			fake_reply_raw(fp, cmd, msg, total);
	}
}

static void fz_notify_cb(struct scmi_handle *h, uint8_t proto, uint8_t evt,
			 const void *payload, size_t len, void *priv)
{
	struct fz *f = priv;

	FUZZ_CHECK(len <= f->max_msg);
	if (len) {
		/* every byte we were given is readable (ASan) */
		volatile uint8_t last = ((const uint8_t *)payload)[len - 1];

		(void)last;
	}
	f->cb_calls++;
}

static void fz_quiet(enum os_log_level level, const char *line)
{
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fake_config cfg = { .delivery = FAKE_DELIVER_SYNC, .max_msg = 4 };
	struct fz f = { .p = data, .left = size };
	struct fake_platform *fp;
	struct scmi_handle *h;
	struct scmi_counters k;
	struct scmi_xfer *pool[4];
	uint64_t issued = 0;
	uint8_t flags = 0;

	os_log_set_sink(fz_quiet);
	fz_byte(&f, &flags);
	fp = fake_create(&cfg);
	FUZZ_CHECK(fp);
	FUZZ_CHECK(fake_open(fp, &h) == 0);
	f.max_msg = scmi_max_msg_size(h);
	scmi_set_timeout_ms(h, 1);
	if (flags & 1)
		FUZZ_CHECK(scmi_set_polling(h, true) == 0);
	fake_set_responder(fp, fz_responder, &f);
	for (unsigned p = SCMI_PROTO_BASE; p <= SCMI_PROTO_PINCTRL; p++)
		FUZZ_CHECK(scmi_notify_register(h, (uint8_t)p, 0, SCMI_NOTIFY_SRC_ANY,
						fz_notify_cb, &f) == 0);

	for (unsigned i = 0; i < FZ_MAX_CMDS; i++) {
		uint8_t proto, msg, rxmax;
		struct scmi_xfer *x;
		int ret;

		if (!fz_byte(&f, &proto) || !fz_byte(&f, &msg) || !fz_byte(&f, &rxmax))
			break;
		if ((flags & 4) && (i & 1)) {
			uint8_t req[8], resp[4 + 4 + 128], dresp[4 + 4 + 128];
			struct scmi_raw_xfer r = {
				.req = req, .req_len = sizeof(req),
				.resp = resp, .resp_cap = sizeof(resp),
				.wait_dresp = flags & 2, .dresp = dresp,
				.dresp_cap = sizeof(dresp),
			};

			scmi_put_le32(req, scmi_hdr_pack(msg, 0, proto, 0));
			scmi_put_le32(req + 4, rxmax);
			ret = scmi_raw_xfer(h, &r);
			FUZZ_CHECK(ret <= 0);
			FUZZ_CHECK(r.resp_len <= sizeof(resp));
			FUZZ_CHECK(r.dresp_len <= sizeof(dresp));
			issued++;
			continue;
		}
		rxmax = (uint8_t)OS_MIN((size_t)rxmax, f.max_msg);
		ret = scmi_xfer_get_init(h, proto, msg, 4, rxmax, &x);
		FUZZ_CHECK(ret == 0);
		scmi_put_le32(x->tx.buf, i);
		if (flags & 2)
			ret = scmi_do_xfer_with_response(h, x);
		else
			ret = scmi_do_xfer(h, x);
		issued++;
		FUZZ_CHECK(ret <= 0);
		FUZZ_CHECK(x->rx.len <= (rxmax ? rxmax : f.max_msg));
		if (ret)
			FUZZ_CHECK(x->rx.len == 0);
		scmi_xfer_put(h, x);
	}
	/* Anything left over arrives late, as notifications or replies. */
	fake_flush(fp);
	scmi_notify_flush(h);
	scmi_get_counters(h, &k);
	FUZZ_CHECK(k.ok + k.errors + k.timeouts == issued);
	FUZZ_CHECK(k.notifications_unhandled <= k.notifications);
	FUZZ_CHECK(f.cb_calls <= k.notifications);
	/* every transfer is back in the pool */
	scmi_set_timeout_ms(h, 1);
	for (unsigned i = 0; i < OS_ARRAY_SIZE(pool); i++)
		FUZZ_CHECK(scmi_xfer_get_init(h, 0x10, 0, 0, 0, &pool[i]) == 0);
	for (unsigned i = 0; i < OS_ARRAY_SIZE(pool); i++)
		scmi_xfer_put(h, pool[i]);
	scmi_close(h);
	fake_destroy(fp);
	os_log_set_sink(NULL);
	return 0;
}
