// SPDX-License-Identifier: MIT
/*
 * Unit tests of the SCMI agent core (scmi/agent/core.c) against the
 * scripted fake platform (tests/scmi/fake_transport.c): responses, errors,
 * validation of hostile replies, timeouts and late replies, tokens, delayed
 * responses in both orders, notifications and their flood, polling,
 * concurrency, raw transfers, disconnect.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <vscmi/os.h>
#include <vscmi/scmi.h>
#include <vscmi/scmi_wire.h>
#include <scmi/agent/core.h>
#include <scmi/wire/all.h>

#include "tests/scmi/fake_transport.h"

struct ctx {
	struct fake_platform *fp;
	struct scmi_handle *h;
};

static int setup_mode(void **state, enum fake_delivery mode)
{
	struct ctx *c = calloc(1, sizeof(*c));
	struct fake_config cfg = { .delivery = mode };

	c->fp = fake_create(&cfg);
	assert_non_null(c->fp);
	assert_int_equal(fake_open(c->fp, &c->h), 0);
	scmi_set_timeout_ms(c->h, 5000);
	*state = c;
	return 0;
}

static int setup_sync(void **state) { return setup_mode(state, FAKE_DELIVER_SYNC); }
static int setup_thread(void **state) { return setup_mode(state, FAKE_DELIVER_THREAD); }

static int teardown(void **state)
{
	struct ctx *c = *state;

	scmi_close(c->h);
	fake_destroy(c->fp);
	free(c);
	return 0;
}

static struct scmi_counters counters(struct ctx *c)
{
	struct scmi_counters k;

	scmi_get_counters(c->h, &k);
	return k;
}

/* One CLOCK_RATE_GET with the given script already queued. */
static int rate_get(struct ctx *c, uint32_t id, uint64_t *rate)
{
	struct scmi_xfer *x;
	int ret;

	ret = scmi_xfer_get_init(c->h, SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_GET,
				 sizeof(struct scmi_clock_id_a2p),
				 sizeof(struct scmi_clock_rate_get_p2a), &x);
	if (ret)
		return ret;
	scmi_put_le32(x->tx.buf, id);
	ret = scmi_do_xfer(c->h, x);
	if (!ret) {
		if (x->rx.len < sizeof(struct scmi_clock_rate_get_p2a))
			ret = -EPROTO;
		else
			*rate = (uint64_t)scmi_get_le32(x->rx.buf + 4) << 32 |
				scmi_get_le32(x->rx.buf);
	}
	scmi_xfer_put(c->h, x);
	return ret;
}

static void expect_rate(struct ctx *c, uint32_t id, uint64_t rate, int32_t status)
{
	uint8_t req[4], resp[8];

	fake_le32(req, id);
	fake_le32(resp, (uint32_t)rate);
	fake_le32(resp + 4, (uint32_t)(rate >> 32));
	fake_expect(c->fp, SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_GET, req, 4, status,
		    status ? NULL : resp, status ? 0 : 8);
}

static void test_sync_ok(void **state)
{
	struct ctx *c = *state;
	uint64_t rate = 0;

	expect_rate(c, 3, 0x123456789ull, SCMI_SUCCESS);
	assert_int_equal(rate_get(c, 3, &rate), 0);
	assert_int_equal(rate, 0x123456789ull);
	assert_int_equal(fake_expect_pending(c->fp), 0);
	assert_int_equal(fake_unexpected(c->fp), 0);
	struct scmi_counters k = counters(c);
	assert_int_equal(k.sent, 1);
	assert_int_equal(k.ok, 1);
	assert_int_equal(k.bad_replies, 0);
	/* the header the platform saw */
	const struct fake_cmd *cmd = fake_cmd(c->fp, 0);
	assert_int_equal(cmd->proto, SCMI_PROTO_CLOCK);
	assert_int_equal(cmd->msg_id, SCMI_CLOCK_RATE_GET);
	assert_int_equal(scmi_hdr_type(cmd->hdr), SCMI_MSG_TYPE_COMMAND);
}

static void test_every_status(void **state)
{
	struct ctx *c = *state;
	uint64_t rate;

	for (int32_t st = SCMI_NOT_SUPPORTED; st >= SCMI_IN_USE; st--) {
		expect_rate(c, 1, 0, st);
		assert_int_equal(rate_get(c, 1, &rate), scmi_status_to_errno(st));
	}
	/* a status the spec does not define is a protocol error */
	expect_rate(c, 1, 0, -77);
	assert_int_equal(rate_get(c, 1, &rate), -EPROTO);
	assert_int_equal(counters(c).errors, 12);
}

static void test_oversized_and_short(void **state)
{
	struct ctx *c = *state;
	uint8_t big[12] = { 0 };
	uint64_t rate;

	/* 12 bytes where 8 were allowed: rejected, -EPROTO */
	fake_expect(c->fp, SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_GET, NULL, 0,
		    SCMI_SUCCESS, big, sizeof(big));
	assert_int_equal(rate_get(c, 1, &rate), -EPROTO);
	/* a short payload is accepted by the core, caught by the parser */
	fake_expect(c->fp, SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_GET, NULL, 0,
		    SCMI_SUCCESS, big, 4);
	assert_int_equal(rate_get(c, 1, &rate), -EPROTO);
	assert_int_equal(counters(c).bad_replies, 1);
}

/* Responder that answers with a mangled header, from the test's script. */
static uint32_t mangle_xor;
static size_t mangle_len = 12;
static void mangler(struct fake_platform *fp, const struct fake_cmd *cmd, void *priv)
{
	uint8_t msg[16] = { 0 };

	scmi_put_le32(msg, cmd->hdr ^ mangle_xor);
	fake_reply_raw(fp, cmd, msg, mangle_len);
}

static void test_bad_replies_rejected(void **state)
{
	struct ctx *c = *state;
	uint64_t rate;
	static const uint32_t mangles[] = {
		1u << 18,			/* other token */
		SCMI_MSG_TYPE_NOTIFICATION << 8,	/* wrong type */
		SCMI_MSG_TYPE_DELAYED_RESP << 8,
		1u << 10,			/* other protocol */
		1u,				/* other message */
		1u << 29,			/* reserved bit */
	};

	scmi_set_timeout_ms(c->h, 20);
	fake_set_responder(c->fp, mangler, NULL);
	for (size_t i = 0; i < OS_ARRAY_SIZE(mangles); i++) {
		mangle_xor = mangles[i];
		assert_int_equal(rate_get(c, 1, &rate), -ETIMEDOUT);
	}
	assert_int_equal(counters(c).bad_replies, OS_ARRAY_SIZE(mangles));
	/* no status word at all: -EPROTO at once */
	mangle_xor = 0;
	mangle_len = 6;
	assert_int_equal(rate_get(c, 1, &rate), -EPROTO);
	/* shorter than a header: the transport drops it, counted */
	mangle_len = 2;
	assert_int_equal(rate_get(c, 1, &rate), -ETIMEDOUT);
	mangle_len = 12;
	assert_int_equal(counters(c).bad_replies, OS_ARRAY_SIZE(mangles) + 2);
}

static void double_reply(struct fake_platform *fp, const struct fake_cmd *cmd, void *priv)
{
	uint8_t r[8] = { 1 };

	fake_reply(fp, cmd, SCMI_SUCCESS, r, 8);
	fake_reply(fp, cmd, SCMI_DENIED, NULL, 0);
}

static void test_duplicate_reply(void **state)
{
	struct ctx *c = *state;
	uint64_t rate = 0;

	fake_set_responder(c->fp, double_reply, NULL);
	assert_int_equal(rate_get(c, 1, &rate), 0);
	assert_int_equal(rate, 1);
	assert_int_equal(counters(c).bad_replies, 1);
}

static int held_slot = -1;
static void holder(struct fake_platform *fp, const struct fake_cmd *cmd, void *priv)
{
	held_slot = fake_hold(fp, cmd);
}

static void test_timeout_then_late_reply(void **state)
{
	struct ctx *c = *state;
	uint64_t rate;
	const struct fake_cmd *held;

	scmi_set_timeout_ms(c->h, 20);
	fake_set_responder(c->fp, holder, NULL);
	uint64_t t0 = os_now_ns();
	assert_int_equal(rate_get(c, 1, &rate), -ETIMEDOUT);
	assert_true(os_now_ns() - t0 >= 20 * OS_NSEC_PER_MSEC);
	held = fake_held(c->fp, held_slot);
	assert_non_null(held);
	assert_int_equal(counters(c).timeouts, 1);

	/* the next command gets a different token */
	fake_set_responder(c->fp, NULL, NULL);
	expect_rate(c, 2, 42, SCMI_SUCCESS);
	assert_int_equal(rate_get(c, 2, &rate), 0);
	assert_int_not_equal(fake_cmd(c->fp, 1)->token, held->token);

	/* the late reply is discarded and counted */
	fake_reply(c->fp, held, SCMI_SUCCESS, "\x07\0\0\0\0\0\0\0", 8);
	fake_flush(c->fp);
	assert_int_equal(counters(c).late_replies, 1);
	assert_int_equal(counters(c).bad_replies, 0);
	/* a second copy is no longer "late": unknown token */
	fake_reply(c->fp, held, SCMI_SUCCESS, "\x07\0\0\0\0\0\0\0", 8);
	fake_flush(c->fp);
	assert_int_equal(counters(c).late_replies, 1);
	assert_int_equal(counters(c).bad_replies, 1);
}

/* Answers RATE_GET with the clock id as the rate. */
static void echo8(struct fake_platform *fp, const struct fake_cmd *cmd, void *priv)
{
	uint8_t r[8] = { 0 };

	memcpy(r, cmd->payload, 4);
	fake_reply(fp, cmd, SCMI_SUCCESS, r, 8);
}

static void test_tokens_monotonic_zombie_skipped(void **state)
{
	struct ctx *c = *state;
	uint64_t rate;
	uint16_t zombie;

	scmi_set_timeout_ms(c->h, 10);
	fake_set_responder(c->fp, holder, NULL);
	assert_int_equal(rate_get(c, 1, &rate), -ETIMEDOUT);
	zombie = fake_held(c->fp, held_slot)->token;
	fake_set_responder(c->fp, echo8, NULL);
	scmi_set_timeout_ms(c->h, 1000);
	uint16_t prev = zombie;
	for (unsigned i = 0; i < 1100; i++) {
		assert_int_equal(rate_get(c, i, &rate), 0);
		uint16_t t = fake_cmd(c->fp, i + 1)->token;
		assert_int_not_equal(t, zombie);
		/* monotonic, skipping the zombie */
		uint16_t want = (uint16_t)((prev + 1) % SCMI_TOKEN_MAX);
		if (want == zombie)
			want = (uint16_t)((want + 1) % SCMI_TOKEN_MAX);
		assert_int_equal(t, want);
		prev = t;
	}
	fake_reply(c->fp, fake_held(c->fp, held_slot), SCMI_SUCCESS, NULL, 0);
	fake_flush(c->fp);
	assert_int_equal(counters(c).late_replies, 1);
}

static int async_set(struct ctx *c, uint32_t *out_rate_lo)
{
	struct scmi_xfer *x;
	int ret;

	ret = scmi_xfer_get_init(c->h, SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_SET,
				 sizeof(struct scmi_clock_rate_set_a2p),
				 sizeof(struct scmi_clock_rate_set_complete_p2a), &x);
	if (ret)
		return ret;
	scmi_put_le32(x->tx.buf, SCMI_CLOCK_SET_ASYNC);
	ret = scmi_do_xfer_with_response(c->h, x);
	if (!ret) {
		if (x->rx.len < sizeof(struct scmi_clock_rate_set_complete_p2a))
			ret = -EPROTO;
		else
			*out_rate_lo = scmi_get_le32(x->rx.buf + 4);
	}
	scmi_xfer_put(c->h, x);
	return ret;
}

static void expect_async(struct ctx *c, int32_t st, int32_t dst, bool first,
			 uint32_t rate)
{
	uint8_t d[12];

	fake_le32(d, 7);
	fake_le32(d + 4, rate);
	fake_le32(d + 8, 0);
	fake_expect(c->fp, SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_SET, NULL, 0, st, NULL, 0);
	fake_expect_dresp(c->fp, dst, d, sizeof(d), first);
}

static void test_delayed_response_orders(void **state)
{
	struct ctx *c = *state;
	uint32_t r = 0;

	expect_async(c, SCMI_SUCCESS, SCMI_SUCCESS, false, 1000);
	assert_int_equal(async_set(c, &r), 0);
	assert_int_equal(r, 1000);
	expect_async(c, SCMI_SUCCESS, SCMI_SUCCESS, true, 2000);
	assert_int_equal(async_set(c, &r), 0);
	assert_int_equal(r, 2000);
	/* errors in either message */
	expect_async(c, SCMI_SUCCESS, SCMI_HARDWARE_ERROR, false, 0);
	assert_int_equal(async_set(c, &r), -EREMOTEIO);
	expect_async(c, SCMI_SUCCESS, SCMI_BUSY, true, 0);
	assert_int_equal(async_set(c, &r), -EBUSY);
	fake_expect(c->fp, SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_SET, NULL, 0,
		    SCMI_DENIED, NULL, 0);
	assert_int_equal(async_set(c, &r), -EACCES);
	struct scmi_counters k = counters(c);
	assert_int_equal(k.delayed_responses, 4);
	assert_int_equal(k.bad_replies, 0);
	assert_int_equal(k.late_replies, 0);
}

static void dresp_twice(struct fake_platform *fp, const struct fake_cmd *cmd, void *priv)
{
	uint8_t d[12] = { 0 };

	fake_reply(fp, cmd, SCMI_SUCCESS, NULL, 0);
	fake_dresp(fp, cmd, SCMI_SUCCESS, d, 12);
	fake_dresp(fp, cmd, SCMI_SUCCESS, d, 12);
}

static void test_delayed_response_hostile(void **state)
{
	struct ctx *c = *state;
	uint32_t r;
	uint64_t rate;

	/* a second delayed response is a duplicate */
	fake_set_responder(c->fp, dresp_twice, NULL);
	assert_int_equal(async_set(c, &r), 0);
	assert_int_equal(counters(c).bad_replies, 1);
	/* a delayed response to a synchronous command is rejected */
	assert_int_equal(rate_get(c, 1, &rate), -EPROTO);	/* no payload */
	assert_true(counters(c).bad_replies >= 2);
	/* no delayed response: timeout, then it comes late */
	fake_set_responder(c->fp, NULL, NULL);
	scmi_set_timeout_ms(c->h, 20);
	fake_expect(c->fp, SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_SET, NULL, 0,
		    SCMI_SUCCESS, NULL, 0);
	assert_int_equal(async_set(c, &r), -ETIMEDOUT);
	struct fake_cmd late = *fake_cmd(c->fp, fake_ncmds(c->fp) - 1);
	fake_dresp(c->fp, &late, SCMI_SUCCESS, "\0\0\0\0\0\0\0\0\0\0\0\0", 12);
	fake_flush(c->fp);
	assert_int_equal(counters(c).late_replies, 1);
}

/* ---- notifications ---- */

struct notif_rec {
	pthread_mutex_t m;
	unsigned calls;
	uint32_t last_src;
	size_t last_len;
	atomic_bool block;
};

static void notif_cb(struct scmi_handle *h, uint8_t proto, uint8_t evt,
		     const void *payload, size_t len, void *priv)
{
	struct notif_rec *r = priv;

	while (atomic_load(&r->block))
		os_sleep_ns(100000);
	pthread_mutex_lock(&r->m);
	r->calls++;
	r->last_len = len;
	if (len >= 8)
		r->last_src = scmi_get_le32((const uint8_t *)payload + 4);
	pthread_mutex_unlock(&r->m);
}

static void send_clock_notif(struct ctx *c, uint32_t clk)
{
	uint8_t p[16] = { 0 };

	fake_le32(p + 4, clk);
	fake_notify(c->fp, SCMI_PROTO_CLOCK, SCMI_CLOCK_EVT_RATE_CHANGED, p, sizeof(p));
}

static void test_notifications_routed(void **state)
{
	struct ctx *c = *state;
	struct notif_rec any = { .m = PTHREAD_MUTEX_INITIALIZER };
	struct notif_rec three = { .m = PTHREAD_MUTEX_INITIALIZER };

	assert_int_equal(scmi_notify_register(c->h, SCMI_PROTO_CLOCK,
					      SCMI_CLOCK_EVT_RATE_CHANGED, 3,
					      notif_cb, &three), 0);
	assert_int_equal(scmi_notify_register(c->h, SCMI_PROTO_CLOCK,
					      SCMI_CLOCK_EVT_RATE_CHANGED, 3,
					      notif_cb, &three), -EEXIST);
	send_clock_notif(c, 3);
	send_clock_notif(c, 4);
	fake_notify(c->fp, SCMI_PROTO_RESET, SCMI_RESET_EVT_ISSUED, "\0\0\0\0\1\0\0\0\0\0\0\0", 12);
	fake_flush(c->fp);
	scmi_notify_flush(c->h);
	assert_int_equal(three.calls, 1);
	assert_int_equal(three.last_src, 3);
	assert_int_equal(three.last_len, 16);
	struct scmi_counters k = counters(c);
	assert_int_equal(k.notifications, 3);
	assert_int_equal(k.notifications_unhandled, 2);

	assert_int_equal(scmi_notify_register(c->h, SCMI_PROTO_CLOCK,
					      SCMI_CLOCK_EVT_RATE_CHANGED,
					      SCMI_NOTIFY_SRC_ANY, notif_cb, &any), 0);
	send_clock_notif(c, 9);
	fake_flush(c->fp);
	scmi_notify_flush(c->h);
	assert_int_equal(any.calls, 1);
	assert_int_equal(three.calls, 1);
	assert_int_equal(scmi_notify_unregister(c->h, SCMI_PROTO_CLOCK,
						SCMI_CLOCK_EVT_RATE_CHANGED,
						SCMI_NOTIFY_SRC_ANY, notif_cb, &any), 0);
	assert_int_equal(scmi_notify_unregister(c->h, SCMI_PROTO_CLOCK,
						SCMI_CLOCK_EVT_RATE_CHANGED,
						SCMI_NOTIFY_SRC_ANY, notif_cb, &any), -ENOENT);
	/* a notification on the command channel, or a response type on the
	 * event channel, is rejected */
	uint8_t bad[8];
	scmi_put_le32(bad, scmi_hdr_pack(0, SCMI_MSG_TYPE_COMMAND, SCMI_PROTO_CLOCK, 0));
	fake_p2a_raw(c->fp, bad, 8);
	fake_flush(c->fp);
	assert_int_equal(counters(c).bad_replies, 1);
}

static void test_notification_flood(void **state)
{
	struct ctx *c = *state;
	struct notif_rec rec = { .m = PTHREAD_MUTEX_INITIALIZER, .block = true };
	const unsigned total = 300;

	assert_int_equal(scmi_notify_register(c->h, SCMI_PROTO_CLOCK,
					      SCMI_CLOCK_EVT_RATE_CHANGED,
					      SCMI_NOTIFY_SRC_ANY, notif_cb, &rec), 0);
	/* the first dispatch blocks: the ring fills up */
	for (unsigned i = 0; i < total; i++) {
		send_clock_notif(c, i);
		fake_flush(c->fp);
	}
	struct scmi_counters k = counters(c);
	assert_true(k.notifications_dropped > 0);
	assert_int_equal(k.notifications + k.notifications_dropped, total);
	atomic_store(&rec.block, false);
	scmi_notify_flush(c->h);
	assert_int_equal(rec.calls, k.notifications);
	/* and the core works normally after the flood */
	send_clock_notif(c, 1);
	fake_flush(c->fp);
	scmi_notify_flush(c->h);
	assert_int_equal(rec.calls, k.notifications + 1);
}

/* A callback may issue transfers and use the per-protocol state. */
static struct ctx *cb_ctx;
static atomic_int cb_result = 1;
static void cb_transfer(struct scmi_handle *h, uint8_t proto, uint8_t evt,
			const void *payload, size_t len, void *priv)
{
	uint64_t rate = 0;
	int ret = rate_get(cb_ctx, 4, &rate);

	if (!ret && rate != 44)
		ret = -EBADMSG;
	if (!ret && scmi_proto_version_get(h, SCMI_PROTO_CLOCK) != 0x30000)
		ret = -EBADMSG;
	atomic_store(&cb_result, ret);
}

static void test_callback_issues_transfer(void **state)
{
	struct ctx *c = *state;

	cb_ctx = c;
	scmi_proto_version_set(c->h, SCMI_PROTO_CLOCK, SCMI_CLOCK_VERSION_V3_2);
	expect_rate(c, 4, 44, SCMI_SUCCESS);
	assert_int_equal(scmi_notify_register(c->h, SCMI_PROTO_CLOCK,
					      SCMI_CLOCK_EVT_RATE_CHANGED,
					      SCMI_NOTIFY_SRC_ANY, cb_transfer, NULL), 0);
	send_clock_notif(c, 4);
	fake_flush(c->fp);
	scmi_notify_flush(c->h);
	assert_int_equal(atomic_load(&cb_result), 0);
}

/* ---- polling, threads, raw, disconnect ---- */

static void test_polling_mode(void **state)
{
	struct ctx *c = *state;
	uint64_t rate = 0;
	uint32_t r = 0;

	assert_int_equal(scmi_set_polling(c->h, true), 0);
	assert_true(scmi_get_polling(c->h));
	expect_rate(c, 5, 555, SCMI_SUCCESS);
	assert_int_equal(rate_get(c, 5, &rate), 0);
	assert_int_equal(rate, 555);
	expect_rate(c, 5, 0, SCMI_NOT_FOUND);
	assert_int_equal(rate_get(c, 5, &rate), -ENOENT);
	expect_async(c, SCMI_SUCCESS, SCMI_SUCCESS, false, 77);
	assert_int_equal(async_set(c, &r), 0);
	assert_int_equal(r, 77);
	/* garbage in our own buffer: -EPROTO, not a hang */
	mangle_xor = 1u << 18;
	mangle_len = 12;
	fake_set_responder(c->fp, mangler, NULL);
	assert_int_equal(rate_get(c, 5, &rate), -EPROTO);
	/* polled timeout, then the late reply */
	scmi_set_timeout_ms(c->h, 15);
	fake_set_responder(c->fp, holder, NULL);
	assert_int_equal(rate_get(c, 5, &rate), -ETIMEDOUT);
	fake_reply(c->fp, fake_held(c->fp, held_slot), SCMI_SUCCESS, NULL, 0);
	fake_flush(c->fp);
	assert_int_equal(counters(c).late_replies, 1);
	assert_int_equal(scmi_set_polling(c->h, false), 0);
}

static void test_interrupt_thread_mode(void **state)
{
	struct ctx *c = *state;
	uint64_t rate = 0;
	uint32_t r = 0;

	for (unsigned i = 0; i < 50; i++) {
		expect_rate(c, i, 1000 + i, SCMI_SUCCESS);
		assert_int_equal(rate_get(c, i, &rate), 0);
		assert_int_equal(rate, 1000 + i);
	}
	expect_async(c, SCMI_SUCCESS, SCMI_SUCCESS, true, 9);
	assert_int_equal(async_set(c, &r), 0);
	assert_int_equal(r, 9);
}

struct worker {
	struct ctx *c;
	unsigned id, ok;
	int err;
};

static void *worker_main(void *arg)
{
	struct worker *w = arg;

	for (unsigned i = 0; i < 300; i++) {
		uint64_t rate = 0;
		uint32_t id = w->id << 16 | i;
		int ret = rate_get(w->c, id, &rate);

		/* the echo responder returns the clock id as the rate */
		if (ret || (uint32_t)rate != id) {
			w->err = ret ? ret : -EBADMSG;
			return NULL;
		}
		w->ok++;
	}
	return NULL;
}

static void run_threads(struct ctx *c, bool poll)
{
	enum { N = 12 };	/* more threads than transfers in the pool (8) */
	struct worker w[N];
	pthread_t t[N];

	scmi_set_timeout_ms(c->h, 5000);
	assert_int_equal(scmi_set_polling(c->h, poll), 0);
	fake_set_responder(c->fp, echo8, NULL);
	for (unsigned i = 0; i < N; i++) {
		w[i] = (struct worker){ .c = c, .id = i };
		pthread_create(&t[i], NULL, worker_main, &w[i]);
	}
	for (unsigned i = 0; i < N; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(w[i].err, 0);
		assert_int_equal(w[i].ok, 300);
	}
	struct scmi_counters k = counters(c);
	assert_int_equal(k.ok, N * 300);
	assert_int_equal(k.bad_replies, 0);
	assert_int_equal(k.timeouts, 0);
}

static void test_threads_interrupt(void **state) { run_threads(*state, false); }
static void test_threads_polling(void **state) { run_threads(*state, true); }

static void vendor(struct fake_platform *fp, const struct fake_cmd *cmd, void *priv)
{
	uint8_t r[3] = { 0xa, 0xb, 0xc };

	assert_int_equal(cmd->proto, 0x81);
	fake_reply(fp, cmd, SCMI_BUSY, r, 3);
	if (cmd->msg_id == 9)
		fake_dresp(fp, cmd, SCMI_SUCCESS, "\x11\x22", 2);
}

static void test_raw_vendor(void **state)
{
	struct ctx *c = *state;
	uint8_t req[8], resp[64], dresp[64];
	struct scmi_raw_xfer x = {
		.req = req, .req_len = 8, .resp = resp, .resp_cap = sizeof(resp),
	};

	fake_set_responder(c->fp, vendor, NULL);
	scmi_put_le32(req, scmi_hdr_pack(3, 0, 0x81, 0x3ff));
	scmi_put_le32(req + 4, 0xdeadbeef);
	assert_int_equal(scmi_raw_xfer(c->h, &x), 0);
	assert_int_equal(x.resp_len, 4 + 4 + 3);
	assert_int_equal(scmi_hdr_msg_id(scmi_get_le32(resp)), 3);
	assert_int_equal((int32_t)scmi_get_le32(resp + 4), SCMI_BUSY);
	assert_memory_equal(resp + 8, "\xa\xb\xc", 3);
	const struct fake_cmd *cmd = fake_cmd(c->fp, 0);
	assert_int_equal(cmd->len, 4);
	assert_int_equal(scmi_get_le32(cmd->payload), 0xdeadbeef);

	/* with a delayed response */
	scmi_put_le32(req, scmi_hdr_pack(9, 0, 0x81, 0));
	x.wait_dresp = true;
	x.dresp = dresp;
	x.dresp_cap = sizeof(dresp);
	/* the sync status is BUSY: no delayed response is waited for */
	assert_int_equal(scmi_raw_xfer(c->h, &x), 0);
	assert_int_equal(x.dresp_len, 0);
	/* the delayed response it sent anyway was rejected */
	assert_int_equal(counters(c).bad_replies, 1);
	/* malformed requests */
	scmi_put_le32(req, scmi_hdr_pack(9, SCMI_MSG_TYPE_NOTIFICATION, 0x81, 0));
	assert_int_equal(scmi_raw_xfer(c->h, &x), -EINVAL);
	x.req_len = 2;
	assert_int_equal(scmi_raw_xfer(c->h, &x), -EINVAL);
	scmi_put_le32(req, scmi_hdr_pack(9, SCMI_MSG_TYPE_COMMAND, 0x81, 0));
	x.req_len = 4 + 200;
	assert_int_equal(scmi_raw_xfer(c->h, &x), -EMSGSIZE);
}

static void raw_dresp(struct fake_platform *fp, const struct fake_cmd *cmd, void *priv)
{
	fake_reply(fp, cmd, SCMI_SUCCESS, NULL, 0);
	fake_dresp(fp, cmd, SCMI_SUCCESS, "\x11\x22\x33\x44", 4);
}

static void test_raw_dresp(void **state)
{
	struct ctx *c = *state;
	uint8_t req[4], resp[64], dresp[64];
	struct scmi_raw_xfer x = {
		.req = req, .req_len = 4, .resp = resp, .resp_cap = sizeof(resp),
		.wait_dresp = true, .dresp = dresp, .dresp_cap = sizeof(dresp),
	};

	fake_set_responder(c->fp, raw_dresp, NULL);
	scmi_put_le32(req, scmi_hdr_pack(5, 0, SCMI_PROTO_CLOCK, 0));
	assert_int_equal(scmi_raw_xfer(c->h, &x), 0);
	assert_int_equal(x.resp_len, 8);
	assert_int_equal(x.dresp_len, 12);
	assert_int_equal(scmi_hdr_type(scmi_get_le32(dresp)), SCMI_MSG_TYPE_DELAYED_RESP);
	assert_int_equal(scmi_get_le32(dresp + 8), 0x44332211);
}

static void *disconnector(void *arg)
{
	struct ctx *c = arg;

	os_sleep_ns(20 * OS_NSEC_PER_MSEC);
	scmi_core_disconnect(c->h, -ECONNRESET);
	return NULL;
}

static void test_disconnect_reconnect(void **state)
{
	struct ctx *c = *state;
	pthread_t t;
	uint64_t rate;

	scmi_set_timeout_ms(c->h, 5000);
	fake_set_responder(c->fp, holder, NULL);
	pthread_create(&t, NULL, disconnector, c);
	uint64_t t0 = os_now_ns();
	assert_int_equal(rate_get(c, 1, &rate), -ECONNRESET);
	assert_true(os_now_ns() - t0 < 2000 * OS_NSEC_PER_MSEC);
	pthread_join(t, NULL);
	assert_int_equal(rate_get(c, 1, &rate), -ECONNRESET);
	/* a reply from before the reset is not trusted */
	fake_reply(c->fp, fake_held(c->fp, held_slot), SCMI_SUCCESS, NULL, 0);
	fake_flush(c->fp);
	scmi_core_set_connected(c->h, true);
	fake_set_responder(c->fp, NULL, NULL);
	expect_rate(c, 1, 11, SCMI_SUCCESS);
	assert_int_equal(rate_get(c, 1, &rate), 0);
	assert_int_equal(rate, 11);
	assert_int_equal(counters(c).resets, 1);
}

static void test_pool_and_limits(void **state)
{
	struct ctx *c = *state;
	struct scmi_xfer *x[8], *extra;

	assert_int_equal(scmi_max_msg_size(c->h), 128);
	assert_true(scmi_has_p2a(c->h));
	assert_int_equal(scmi_xfer_get_init(c->h, 0x10, 0, 129, 0, &extra), -EMSGSIZE);
	for (unsigned i = 0; i < 8; i++)
		assert_int_equal(scmi_xfer_get_init(c->h, 0x10, 0, 4, 0, &x[i]), 0);
	scmi_set_timeout_ms(c->h, 10);
	assert_int_equal(scmi_xfer_get_init(c->h, 0x10, 0, 4, 0, &extra), -EBUSY);
	for (unsigned i = 0; i < 8; i++)
		scmi_xfer_put(c->h, x[i]);
	/* versions and protocol private data */
	scmi_proto_version_set(c->h, SCMI_PROTO_PERF, SCMI_PERF_VERSION_V3_2);
	assert_int_equal(scmi_proto_version_get(c->h, SCMI_PROTO_PERF), 0x40000);
	assert_null(scmi_proto_priv_set(c->h, SCMI_PROTO_PERF, malloc(4), free));
	assert_non_null(scmi_proto_priv_get(c->h, SCMI_PROTO_PERF));
	scmi_set_timeout_ms(c->h, 0);
	assert_int_equal(scmi_get_timeout_ms(c->h), CONFIG_SCMI_TIMEOUT_MS);
}

/* A transport momentarily out of buffers: retried within the timeout. */
static void test_send_retried(void **state)
{
	struct ctx *c = *state;
	uint64_t rate = 0;

	fake_fail_sends(c->fp, 3);
	expect_rate(c, 2, 22, SCMI_SUCCESS);
	assert_int_equal(rate_get(c, 2, &rate), 0);
	assert_int_equal(rate, 22);
	scmi_set_timeout_ms(c->h, 20);
	fake_fail_sends(c->fp, ~0u);
	assert_int_equal(rate_get(c, 2, &rate), -ENOBUFS);
	fake_fail_sends(c->fp, 0);
	struct scmi_counters k = counters(c);
	assert_int_equal(k.sent, 1);
	assert_int_equal(k.errors, 1);
	/* the token of the failed send was released, not left a zombie */
	expect_rate(c, 2, 23, SCMI_SUCCESS);
	assert_int_equal(rate_get(c, 2, &rate), 0);
	assert_int_equal(k.late_replies, 0);
}

static void test_no_p2a(void **state)
{
	struct fake_config cfg = { .no_p2a = true, .no_poll = true };
	struct fake_platform *fp = fake_create(&cfg);
	struct scmi_handle *h;
	struct scmi_xfer *x;

	assert_int_equal(fake_open(fp, &h), 0);
	assert_false(scmi_has_p2a(h));
	assert_int_equal(scmi_set_polling(h, true), -EOPNOTSUPP);
	assert_int_equal(scmi_xfer_get_init(h, SCMI_PROTO_CLOCK, 5, 16, 12, &x), 0);
	assert_int_equal(scmi_do_xfer_with_response(h, x), -EOPNOTSUPP);
	scmi_xfer_put(h, x);
	scmi_close(h);
	fake_destroy(fp);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_sync_ok, setup_sync, teardown),
		cmocka_unit_test_setup_teardown(test_every_status, setup_sync, teardown),
		cmocka_unit_test_setup_teardown(test_oversized_and_short, setup_sync, teardown),
		cmocka_unit_test_setup_teardown(test_bad_replies_rejected, setup_sync, teardown),
		cmocka_unit_test_setup_teardown(test_duplicate_reply, setup_sync, teardown),
		cmocka_unit_test_setup_teardown(test_timeout_then_late_reply, setup_sync, teardown),
		cmocka_unit_test_setup_teardown(test_tokens_monotonic_zombie_skipped, setup_sync, teardown),
		cmocka_unit_test_setup_teardown(test_delayed_response_orders, setup_sync, teardown),
		cmocka_unit_test_setup_teardown(test_delayed_response_hostile, setup_sync, teardown),
		cmocka_unit_test_setup_teardown(test_notifications_routed, setup_sync, teardown),
		cmocka_unit_test_setup_teardown(test_notification_flood, setup_sync, teardown),
		cmocka_unit_test_setup_teardown(test_callback_issues_transfer, setup_sync, teardown),
		cmocka_unit_test_setup_teardown(test_polling_mode, setup_sync, teardown),
		cmocka_unit_test_setup_teardown(test_interrupt_thread_mode, setup_thread, teardown),
		cmocka_unit_test_setup_teardown(test_threads_interrupt, setup_thread, teardown),
		cmocka_unit_test_setup_teardown(test_threads_polling, setup_thread, teardown),
		cmocka_unit_test_setup_teardown(test_raw_vendor, setup_sync, teardown),
		cmocka_unit_test_setup_teardown(test_raw_dresp, setup_sync, teardown),
		cmocka_unit_test_setup_teardown(test_disconnect_reconnect, setup_thread, teardown),
		cmocka_unit_test_setup_teardown(test_pool_and_limits, setup_sync, teardown),
		cmocka_unit_test_setup_teardown(test_send_retried, setup_sync, teardown),
		cmocka_unit_test(test_no_p2a),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
