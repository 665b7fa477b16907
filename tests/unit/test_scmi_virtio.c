// SPDX-License-Identifier: MIT
/*
 * Unit tests of the SCMI virtio transport (scmi/agent/virtio.c) over the
 * loopback virtio device (tests/scmi/virtio_loopback.c): feature
 * negotiation, commands, events and re-posted event buffers, polling, the
 * pending list, timed-out buffers never reused before the device returns
 * them, hostile device replies, concurrency, disconnect/restore.
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
#include <vscmi/virtio.h>
#include <scmi/agent/core.h>
#include <scmi/wire/all.h>

#include "tests/scmi/virtio_loopback.h"

struct ctx {
	struct vloop *vl;
	struct scmi_handle *h;
	pthread_mutex_t m;
	struct vloop_req *held[8];
	unsigned nheld;
	unsigned hold_next;		/* hold this many of the next requests */
	struct vloop_req *poll_partner;	/* answer before the polled one */
};

/* Answers CLOCK_RATE_GET with rate = clock id; holds requests on demand. */
static void handler(struct vloop *vl, struct vloop_req *r, void *priv)
{
	struct ctx *c = priv;
	uint8_t resp[8] = { 0 };

	pthread_mutex_lock(&c->m);
	if (c->hold_next) {
		c->hold_next--;
		c->held[c->nheld++] = r;
		pthread_mutex_unlock(&c->m);
		return;
	}
	pthread_mutex_unlock(&c->m);
	if (scmi_hdr_msg_id(r->hdr) == SCMI_CLOCK_RATE_SET) {
		/* async: response, then the delayed response on the eventq */
		uint8_t d[16];
		struct vloop_req copy = *r;

		scmi_put_le32(d, scmi_hdr_pack(SCMI_CLOCK_RATE_SET,
					       SCMI_MSG_TYPE_DELAYED_RESP,
					       SCMI_PROTO_CLOCK, scmi_hdr_token(r->hdr)));
		scmi_put_le32(d + 4, SCMI_SUCCESS);
		memcpy(d + 8, copy.data + 8, 4);	/* clock id */
		scmi_put_le32(d + 12, scmi_get_le32(copy.data + 12));	/* rate lo */
		vloop_reply_status(vl, r, SCMI_SUCCESS, NULL, 0);
		vloop_p2a(vl, d, 16);
		return;
	}
	if (scmi_hdr_proto(r->hdr) == 0x80) {
		/* vendor echo: the whole payload back */
		struct vloop_req copy = *r;

		vloop_reply_status(vl, r, SCMI_SUCCESS, copy.data + 4, copy.len - 4);
		return;
	}
	if (r->len >= 8)
		memcpy(resp, r->data + 4, 4);
	vloop_reply_status(vl, r, SCMI_SUCCESS, resp, 8);
}

static int setup_cfg(void **state, const struct vloop_config *cfg)
{
	struct ctx *c = calloc(1, sizeof(*c));

	pthread_mutex_init(&c->m, NULL);
	c->vl = vloop_create(cfg);
	vloop_set_handler(c->vl, handler, c);
	assert_int_equal(scmi_open(vloop_dev(c->vl), &c->h), 0);
	assert_true(vloop_is_ready(c->vl));
	scmi_set_timeout_ms(c->h, 2000);
	*state = c;
	return 0;
}

static int setup(void **state)
{
	return setup_cfg(state, NULL);
}

static int setup_event_idx(void **state)
{
	struct vloop_config cfg = { .event_idx = true, .qsize = 32 };

	return setup_cfg(state, &cfg);
}

static int teardown(void **state)
{
	struct ctx *c = *state;

	scmi_close(c->h);
	for (unsigned i = 0; i < c->nheld; i++)
		if (c->held[i])
			vloop_drop(c->vl, c->held[i]);
	vloop_destroy(c->vl);
	pthread_mutex_destroy(&c->m);
	free(c);
	return 0;
}

static struct scmi_counters counters(struct ctx *c)
{
	struct scmi_counters k;

	scmi_get_counters(c->h, &k);
	return k;
}

static struct scmi_virtio_stats vstats(struct ctx *c)
{
	struct scmi_virtio_stats st;

	assert_int_equal(scmi_virtio_get_stats(vloop_dev(c->vl), &st), 0);
	return st;
}

static int rate_get_poll(struct ctx *c, uint32_t id, uint64_t *rate, bool poll)
{
	struct scmi_xfer *x;
	int ret;

	ret = scmi_xfer_get_init(c->h, SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_GET, 4, 8, &x);
	if (ret)
		return ret;
	x->poll = poll;
	scmi_put_le32(x->tx.buf, id);
	ret = scmi_do_xfer(c->h, x);
	if (!ret)
		*rate = x->rx.len == 8 ? scmi_get_le32(x->rx.buf) : ~0ull;
	scmi_xfer_put(c->h, x);
	return ret;
}

static int rate_get(struct ctx *c, uint32_t id, uint64_t *rate)
{
	return rate_get_poll(c, id, rate, false);
}

static void wait_for_reqs(struct ctx *c, unsigned n)
{
	uint64_t deadline = os_now_ns() + 5 * OS_NSEC_PER_SEC;

	while (vloop_nreqs(c->vl) < n) {
		assert_true(os_now_ns() < deadline);
		os_sleep_ns(100000);
	}
}

static struct vloop_req *take_held(struct ctx *c, unsigned i)
{
	struct vloop_req *r;

	pthread_mutex_lock(&c->m);
	r = c->held[i];
	c->held[i] = NULL;
	pthread_mutex_unlock(&c->m);
	return r;
}

/* ---- negotiation ---- */

static void test_features(void **state)
{
	struct vloop_config cfg = {
		.features = VIRTIO_BIT(VIRTIO_F_VERSION_1) |
			    VIRTIO_BIT(VIRTIO_SCMI_F_P2A_CHANNELS) |
			    VIRTIO_BIT(VIRTIO_SCMI_F_SHARED_MEMORY),
	};
	struct vloop *vl = vloop_create(&cfg);
	struct scmi_handle *h;
	struct scmi_virtio_stats st;

	assert_int_equal(scmi_open(vloop_dev(vl), &h), 0);
	assert_false(virtio_has_feature(vloop_dev(vl)->features,
					VIRTIO_SCMI_F_SHARED_MEMORY));
	assert_true(scmi_has_p2a(h));
	assert_ptr_equal(scmi_handle_of(vloop_dev(vl)), h);
	assert_int_equal(scmi_virtio_get_stats(vloop_dev(vl), &st), 0);
	/* vring 16: two buffers per command, one descriptor each unless
	 * messages are larger than a page */
	unsigned pdu = CONFIG_SCMI_MAX_MSG_SIZE + 8, per_buf = pdu <= 4096 ? 1 : (pdu + 4095) / 4096 + 1;
	assert_int_equal(st.tx_msgs, 16 / (2 * per_buf));
	assert_int_equal(st.tx_free, st.tx_msgs);
	assert_int_equal(st.rx_msgs, 16 / per_buf);	/* every event buffer posted */
	assert_int_equal(st.rx_free, 0);
	assert_int_equal(scmi_max_msg_size(h), CONFIG_SCMI_MAX_MSG_SIZE);
	scmi_close(h);
	assert_int_equal(scmi_virtio_get_stats(vloop_dev(vl), &st), -ENODEV);
	vloop_destroy(vl);

	/* no VERSION_1: refused */
	cfg.features = VIRTIO_BIT(VIRTIO_SCMI_F_P2A_CHANNELS);
	vl = vloop_create(&cfg);
	assert_int_equal(scmi_open(vloop_dev(vl), &h), -EOPNOTSUPP);
	assert_null(vloop_dev(vl)->driver_priv);
	vloop_destroy(vl);

	/* no P2A channel: command queue only */
	cfg.features = VIRTIO_BIT(VIRTIO_F_VERSION_1);
	vl = vloop_create(&cfg);
	assert_int_equal(scmi_open(vloop_dev(vl), &h), 0);
	assert_false(scmi_has_p2a(h));
	scmi_close(h);
	vloop_destroy(vl);

	/* wrong device */
	vl = vloop_create(NULL);
	vloop_dev(vl)->device_id = 3;
	assert_int_equal(scmi_open(vloop_dev(vl), &h), -ENODEV);
	vloop_destroy(vl);
}

/* ---- commands and events ---- */

static void test_commands(void **state)
{
	struct ctx *c = *state;
	uint64_t rate = 0;

	for (unsigned i = 0; i < 200; i++) {
		assert_int_equal(rate_get(c, i, &rate), 0);
		assert_int_equal(rate, i);
	}
	struct scmi_counters k = counters(c);
	assert_int_equal(k.ok, 200);
	assert_int_equal(k.bad_replies, 0);
	assert_int_equal(vstats(c).tx_free, vstats(c).tx_msgs);
}

/* Messages of the configured maximum size, both ways. */
static void test_max_size_messages(void **state)
{
	struct ctx *c = *state;
	size_t max = scmi_max_msg_size(c->h);
	struct scmi_xfer *x;

	assert_int_equal(max, CONFIG_SCMI_MAX_MSG_SIZE);
	for (unsigned round = 0; round < 20; round++) {
		assert_int_equal(scmi_xfer_get_init(c->h, 0x80, 1, max, max, &x), 0);
		for (size_t i = 0; i < max; i++)
			x->tx.buf[i] = (uint8_t)(i * 7 + round);
		assert_int_equal(scmi_do_xfer(c->h, x), 0);
		assert_int_equal(x->rx.len, max);
		for (size_t i = 0; i < max; i++)
			assert_int_equal(x->rx.buf[i], (uint8_t)(i * 7 + round));
		scmi_xfer_put(c->h, x);
	}
	/* one byte more than the transport carries is refused up front */
	assert_int_equal(scmi_xfer_get_init(c->h, 0x80, 1, max + 1, 0, &x), -EMSGSIZE);
}

static void test_delayed_response(void **state)
{
	struct ctx *c = *state;
	struct scmi_xfer *x;

	for (unsigned i = 0; i < 40; i++) {	/* more than the event buffers */
		assert_int_equal(scmi_xfer_get_init(c->h, SCMI_PROTO_CLOCK,
						    SCMI_CLOCK_RATE_SET, 16, 12, &x), 0);
		scmi_put_le32(x->tx.buf, SCMI_CLOCK_SET_ASYNC);
		scmi_put_le32(x->tx.buf + 4, 7);
		scmi_put_le32(x->tx.buf + 8, 1000 + i);
		assert_int_equal(scmi_do_xfer_with_response(c->h, x), 0);
		assert_int_equal(x->rx.len, 8);
		assert_int_equal(scmi_get_le32(x->rx.buf), 7);
		assert_int_equal(scmi_get_le32(x->rx.buf + 4), 1000 + i);
		scmi_xfer_put(c->h, x);
	}
	assert_int_equal(counters(c).delayed_responses, 40);
}

struct nrec {
	atomic_uint calls;
	atomic_uint sum;
};

static void ncb(struct scmi_handle *h, uint8_t proto, uint8_t evt,
		const void *p, size_t len, void *priv)
{
	struct nrec *r = priv;

	atomic_fetch_add(&r->calls, 1);
	atomic_fetch_add(&r->sum, scmi_get_le32((const uint8_t *)p + 4));
}

static void test_notifications_reposted(void **state)
{
	struct ctx *c = *state;
	struct nrec rec = { 0 };
	unsigned sent = 0, sum = 0;
	uint8_t msg[20] = { 0 };

	assert_int_equal(scmi_notify_register(c->h, SCMI_PROTO_PERF,
					      SCMI_PERF_EVT_LEVEL_CHANGED,
					      SCMI_NOTIFY_SRC_ANY, ncb, &rec), 0);
	/* many more than the 16 event buffers: each is re-posted */
	for (unsigned i = 0; i < 500; i++) {
		uint64_t deadline = os_now_ns() + 5 * OS_NSEC_PER_SEC;

		scmi_put_le32(msg, scmi_hdr_pack(SCMI_PERF_EVT_LEVEL_CHANGED,
						 SCMI_MSG_TYPE_NOTIFICATION,
						 SCMI_PROTO_PERF, 0));
		scmi_put_le32(msg + 8, i);
		while (vloop_p2a(c->vl, msg, 16) == -ENOSPC) {
			assert_true(os_now_ns() < deadline);
			os_sleep_ns(100000);
		}
		sent++;
		sum += i;
	}
	uint64_t deadline = os_now_ns() + 5 * OS_NSEC_PER_SEC;
	while (counters(c).notifications + counters(c).notifications_dropped < sent)
		assert_true(os_now_ns() < deadline);
	scmi_notify_flush(c->h);
	struct scmi_counters k = counters(c);
	assert_int_equal(atomic_load(&rec.calls), k.notifications);
	assert_int_equal(k.notifications + k.notifications_dropped, sent);
	if (!k.notifications_dropped)
		assert_int_equal(atomic_load(&rec.sum), sum);
	/* every buffer back with the device */
	deadline = os_now_ns() + 5 * OS_NSEC_PER_SEC;
	while (vstats(c).rx_free)
		assert_true(os_now_ns() < deadline);
	/* short garbage on the eventq is dropped, the buffer re-posted */
	assert_int_equal(vloop_p2a(c->vl, "\1\2", 2), 0);
	deadline = os_now_ns() + 5 * OS_NSEC_PER_SEC;
	while (!vstats(c).dropped)
		assert_true(os_now_ns() < deadline);
	assert_int_equal(vstats(c).rx_free, 0);
}

/* ---- polling ---- */

static void test_polling(void **state)
{
	struct ctx *c = *state;
	uint64_t rate;
	struct scmi_xfer *x;

	assert_int_equal(scmi_set_polling(c->h, true), 0);
	for (unsigned i = 0; i < 100; i++) {
		assert_int_equal(rate_get(c, i, &rate), 0);
		assert_int_equal(rate, i);
	}
	/* with interrupts off altogether */
	vloop_set_irq(c->vl, false);
	for (unsigned i = 0; i < 100; i++) {
		assert_int_equal(rate_get(c, i, &rate), 0);
		assert_int_equal(rate, i);
	}
	/* a delayed response needs the eventq: polled too */
	assert_int_equal(scmi_xfer_get_init(c->h, SCMI_PROTO_CLOCK,
					    SCMI_CLOCK_RATE_SET, 16, 12, &x), 0);
	scmi_put_le32(x->tx.buf + 4, 3);
	scmi_put_le32(x->tx.buf + 8, 33);
	vloop_set_irq(c->vl, true);
	assert_int_equal(scmi_do_xfer_with_response(c->h, x), 0);
	assert_int_equal(scmi_get_le32(x->rx.buf + 4), 33);
	scmi_xfer_put(c->h, x);
	assert_int_equal(scmi_set_polling(c->h, false), 0);
	assert_int_equal(vstats(c).tx_free, vstats(c).tx_msgs);
	assert_int_equal(counters(c).bad_replies, 0);
}

struct bg {
	struct ctx *c;
	uint32_t id;
	uint64_t rate;
	int ret;
};

static void *bg_rate_get(void *arg)
{
	struct bg *b = arg;

	b->ret = rate_get(b->c, b->id, &b->rate);
	return NULL;
}

/* Holds the first request; on the second (polled) one answers the first,
 * then the second: the poller finds the first on the ring. */
static void partner_handler(struct vloop *vl, struct vloop_req *r, void *priv)
{
	struct ctx *c = priv;

	pthread_mutex_lock(&c->m);
	if (!c->poll_partner) {
		c->poll_partner = r;
		pthread_mutex_unlock(&c->m);
		return;
	}
	struct vloop_req *first = c->poll_partner;
	c->poll_partner = NULL;
	pthread_mutex_unlock(&c->m);
	uint8_t resp[8] = { 0 };

	memcpy(resp, first->data + 4, 4);
	vloop_reply_status(vl, first, SCMI_SUCCESS, resp, 8);
	memcpy(resp, r->data + 4, 4);
	vloop_reply_status(vl, r, SCMI_SUCCESS, resp, 8);
}

static void test_pending_list(void **state)
{
	struct ctx *c = *state;
	struct bg b = { .c = c, .id = 77 };
	pthread_t t;
	uint64_t rate;

	vloop_set_handler(c->vl, partner_handler, c);
	vloop_set_irq(c->vl, false);
	pthread_create(&t, NULL, bg_rate_get, &b);
	wait_for_reqs(c, 1);
	/* polled: drains the interrupt-driven reply into the pending list */
	assert_int_equal(rate_get_poll(c, 5, &rate, true), 0);
	assert_int_equal(rate, 5);
	pthread_join(t, NULL);
	assert_int_equal(b.ret, 0);
	assert_int_equal(b.rate, 77);
	assert_true(vstats(c).deferred >= 1);
	vloop_set_irq(c->vl, true);
	assert_int_equal(vstats(c).tx_free, vstats(c).tx_msgs);
}

/* ---- timeouts ---- */

static void check_not_reused(struct ctx *c, bool poll)
{
	uint64_t rate;
	void *held_addr;
	unsigned first;

	scmi_set_timeout_ms(c->h, 30);
	pthread_mutex_lock(&c->m);
	c->hold_next = 1;
	pthread_mutex_unlock(&c->m);
	first = vloop_nreqs(c->vl);
	assert_int_equal(rate_get_poll(c, 1, &rate, poll), -ETIMEDOUT);
	held_addr = vloop_req_addr(c->vl, first);
	assert_non_null(held_addr);
	/* the buffer stays with the device */
	assert_int_equal(vstats(c).tx_free, vstats(c).tx_msgs - 1);
	scmi_set_timeout_ms(c->h, 2000);
	for (unsigned i = 0; i < 5 * vstats(c).tx_msgs; i++) {
		assert_int_equal(rate_get_poll(c, i, &rate, poll), 0);
		assert_int_equal(rate, i);
		assert_ptr_not_equal(vloop_req_addr(c->vl, first + 1 + i), held_addr);
	}
	/* the late reply: discarded, counted, the buffer comes back */
	struct vloop_req *r = take_held(c, c->nheld - 1);
	vloop_reply_status(c->vl, r, SCMI_SUCCESS, "\x09\0\0\0\0\0\0\0", 8);
	if (poll)	/* no other poller: let an interrupt deliver it */
		vloop_set_irq(c->vl, true);
	uint64_t deadline = os_now_ns() + 5 * OS_NSEC_PER_SEC;
	while (counters(c).late_replies < 1 || vstats(c).tx_free != vstats(c).tx_msgs)
		assert_true(os_now_ns() < deadline);
	assert_int_equal(counters(c).late_replies, 1);
	assert_int_equal(counters(c).timeouts, 1);
	if (poll)
		assert_int_equal(vstats(c).late_polled, 1);
	/* and it gets used again */
	bool seen = false;
	first = vloop_nreqs(c->vl);
	for (unsigned i = 0; i < 2 * vstats(c).tx_msgs; i++) {
		assert_int_equal(rate_get_poll(c, i, &rate, poll), 0);
		seen |= vloop_req_addr(c->vl, first + i) == held_addr;
	}
	assert_true(seen);
}

static void test_timeout_buffer_not_reused(void **state)
{
	check_not_reused(*state, false);
}

static void test_timeout_buffer_not_reused_polled(void **state)
{
	check_not_reused(*state, true);
}

/* ---- hostile device ---- */

static unsigned evil_mode;
static void evil_handler(struct vloop *vl, struct vloop_req *r, void *priv)
{
	uint8_t b[12] = { 0 };

	switch (evil_mode) {
	case 0:	/* another token */
		scmi_put_le32(b, r->hdr ^ (1u << 18));
		vloop_reply(vl, r, b, 12);
		break;
	case 1:	/* shorter than a header */
		vloop_reply(vl, r, b, 2);
		break;
	case 2:	/* well-formed again */
		vloop_reply_status(vl, r, SCMI_SUCCESS, b, 8);
		break;
	}
}

static void test_hostile_replies(void **state)
{
	struct ctx *c = *state;
	uint64_t rate;

	vloop_set_handler(c->vl, evil_handler, c);
	scmi_set_timeout_ms(c->h, 30);
	evil_mode = 0;
	assert_int_equal(rate_get(c, 1, &rate), -ETIMEDOUT);
	evil_mode = 1;
	assert_int_equal(rate_get(c, 1, &rate), -ETIMEDOUT);
	/* the device may answer after the timeout on a loaded machine */
	uint64_t deadline = os_now_ns() + 5 * OS_NSEC_PER_SEC;
	while (vstats(c).dropped < 2 || counters(c).bad_replies < 2)
		assert_true(os_now_ns() < deadline);
	assert_int_equal(vstats(c).dropped, 2);
	assert_int_equal(counters(c).bad_replies, 2);
	/* polled: our own buffer with a foreign header is -EPROTO at once */
	evil_mode = 0;
	scmi_set_timeout_ms(c->h, 2000);
	assert_int_equal(rate_get_poll(c, 1, &rate, true), -EPROTO);
	evil_mode = 2;
	assert_int_equal(rate_get(c, 1, &rate), 0);
	assert_int_equal(rate, 0);
	assert_int_equal(vstats(c).tx_free, vstats(c).tx_msgs);
}

/* ---- concurrency ---- */

struct worker {
	struct ctx *c;
	unsigned id, ok;
	bool poll;
	int err;
};

static void *worker_main(void *arg)
{
	struct worker *w = arg;

	for (unsigned i = 0; i < 300; i++) {
		uint64_t rate = 0;
		uint32_t id = w->id << 16 | i;
		int ret = rate_get_poll(w->c, id, &rate, w->poll);

		if (ret || rate != id) {
			w->err = ret ? ret : -EBADMSG;
			return NULL;
		}
		w->ok++;
	}
	return NULL;
}

static void test_threads(void **state)
{
	enum { N = 12 };
	struct ctx *c = *state;
	struct worker w[N];
	pthread_t t[N];

	/* generous: pool waits are not FIFO, sanitizers slow everything */
	scmi_set_timeout_ms(c->h, 20000);
	for (unsigned i = 0; i < N; i++) {
		/* half interrupt-driven, half polled, on one channel */
		w[i] = (struct worker){ .c = c, .id = i, .poll = i & 1 };
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
	assert_int_equal(vstats(c).tx_free, vstats(c).tx_msgs);
}

/* ---- disconnect / restore ---- */

static void test_disconnect_restore(void **state)
{
	struct ctx *c = *state;
	struct bg b = { .c = c, .id = 1 };
	pthread_t t;
	uint64_t rate;

	pthread_mutex_lock(&c->m);
	c->hold_next = 1;
	pthread_mutex_unlock(&c->m);
	pthread_create(&t, NULL, bg_rate_get, &b);
	wait_for_reqs(c, 1);
	vloop_drop(c->vl, take_held(c, 0));
	assert_int_equal(vloop_restart(c->vl), 0);
	pthread_join(t, NULL);
	assert_int_equal(b.ret, -ECONNRESET);
	assert_int_equal(counters(c).resets, 1);
	struct scmi_virtio_stats st = vstats(c);
	assert_true(st.connected);
	assert_int_equal(st.tx_free, st.tx_msgs);
	assert_int_equal(st.rx_free, 0);
	for (unsigned i = 0; i < 50; i++) {
		assert_int_equal(rate_get(c, i, &rate), 0);
		assert_int_equal(rate, i);
	}
	/* events flow again too */
	struct scmi_xfer *x;
	assert_int_equal(scmi_xfer_get_init(c->h, SCMI_PROTO_CLOCK,
					    SCMI_CLOCK_RATE_SET, 16, 12, &x), 0);
	scmi_put_le32(x->tx.buf + 8, 5);
	assert_int_equal(scmi_do_xfer_with_response(c->h, x), 0);
	scmi_xfer_put(c->h, x);
	/* a polled transfer in flight at the reset fails too */
	pthread_mutex_lock(&c->m);
	c->hold_next = 1;
	pthread_mutex_unlock(&c->m);
	assert_int_equal(scmi_set_polling(c->h, true), 0);
	unsigned n = vloop_nreqs(c->vl);
	pthread_create(&t, NULL, bg_rate_get, &b);
	wait_for_reqs(c, n + 1);
	vloop_drop(c->vl, take_held(c, 1));
	assert_int_equal(vloop_restart(c->vl), 0);
	pthread_join(t, NULL);
	assert_int_equal(b.ret, -ECONNRESET);
	assert_int_equal(rate_get(c, 8, &rate), 0);
	assert_int_equal(rate, 8);
	assert_int_equal(vstats(c).tx_free, vstats(c).tx_msgs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_features),
		cmocka_unit_test_setup_teardown(test_commands, setup, teardown),
		cmocka_unit_test_setup_teardown(test_commands, setup_event_idx, teardown),
		cmocka_unit_test_setup_teardown(test_max_size_messages, setup, teardown),
		cmocka_unit_test_setup_teardown(test_delayed_response, setup, teardown),
		cmocka_unit_test_setup_teardown(test_notifications_reposted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_polling, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pending_list, setup, teardown),
		cmocka_unit_test_setup_teardown(test_timeout_buffer_not_reused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_timeout_buffer_not_reused_polled, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hostile_replies, setup, teardown),
		cmocka_unit_test_setup_teardown(test_threads, setup, teardown),
		cmocka_unit_test_setup_teardown(test_threads, setup_event_idx, teardown),
		cmocka_unit_test_setup_teardown(test_disconnect_restore, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
