// SPDX-License-Identifier: MIT
/*
 * The SCMI agent core: transfers, tokens, responses, delayed responses,
 * notifications and counters, over any transport (scmi/agent/transport.h).
 *
 * Theory of operation
 *
 * A handle owns a pool of transfers (struct scmi_xfer), as many as the
 * transport can have in flight (get_max_msg), each with its own request
 * buffer and response buffer of the transport's max_msg_size. A protocol
 * takes one (scmi_xfer_get_init), fills the request, and scmi_do_xfer()
 * gives it a token, records it in the in-flight table (indexed by token),
 * sends it and sleeps on its completion (or, in polling mode, spins on the
 * transport's poll_done()).
 *
 * Tokens are 10 bits and handed out monotonically: the allocator starts
 * after the last token it gave, so a token only comes back after the other
 * 1023 were used. A transfer that timed out leaves its token as a "zombie":
 * it is skipped by the allocator until the late reply arrives (then it is
 * counted in late_replies, discarded and the token freed), or until nothing
 * else is free. A late reply can therefore never be taken for the answer
 * to a newer command.
 *
 * Every message the transport reports (scmi_rx_callback) is validated
 * before anything is trusted: reserved header bits, the type expected on
 * that channel, a token in flight, the protocol and message ids of the
 * transfer holding the token, the state of that transfer (a second
 * response is a duplicate), and the length (a status word at least; no
 * more than the caller's maximum). The payload is copied exactly once,
 * from the transport into the transfer's private buffer. A rejected
 * message is counted in bad_replies and changes nothing.
 *
 * Asynchronous commands expect a synchronous response and a delayed
 * response (on the P2A channel, same token). They may arrive in either
 * order: a delayed response that overtakes the response completes both
 * (the response is implied successful, as Linux does), and the real
 * response, if it still arrives while the transfer is in flight, is
 * consumed silently.
 *
 * Notifications (notify.c) are copied into a fixed ring of slots (never
 * allocated in the receive path) and dispatched by deferred work (os_work)
 * to the callbacks registered for (protocol, event, source). A full ring drops
 * the notification and counts it; so does one nobody is registered for.
 *
 * Locking: h->lock (spinlock) protects the pool, the in-flight table, the
 * token bitmaps and every transfer's state; it is never held across a
 * transport call that can block. h->nlock protects the notification ring;
 * h->reg_lock (mutex) the registrations, and is held while dispatching;
 * h->plock the per-protocol state, which callbacks may use. Counters are
 * atomics.
 */
#include <vscmi/os.h>
#include <vscmi/scmi.h>
#include <vscmi/scmi_wire.h>

#include <scmi/agent/core.h>
#include <scmi/agent/transport.h>

#include "core_priv.h"

static uint64_t scmi_timeout_ns(struct scmi_handle *h)
{
	return (uint64_t)atomic_load(&h->timeout_ms) * OS_NSEC_PER_MSEC;
}

/* ---- tokens (h->lock held) ------------------------------------------------- */

/* The next token after the last one given that is neither in flight nor a
 * zombie; failing that, the oldest zombie; -EBUSY if all are in flight. */
static int scmi_token_alloc_locked(struct scmi_handle *h)
{
	int zombie = -1;

	for (unsigned i = 0; i < SCMI_TOKEN_MAX; i++) {
		uint16_t t = (uint16_t)((h->next_token + i) % SCMI_TOKEN_MAX);

		if (h->inflight[t])
			continue;
		if (h->zombie[t]) {
			if (zombie < 0)
				zombie = t;
			continue;
		}
		h->next_token = (uint16_t)((t + 1) % SCMI_TOKEN_MAX);
		return t;
	}
	if (zombie < 0)
		return -EBUSY;
	h->zombie[zombie] = 0;
	h->next_token = (uint16_t)((zombie + 1) % SCMI_TOKEN_MAX);
	return zombie;
}

/* Wait until no receive path is copying into @x. Called and returns with
 * h->lock held. */
static void scmi_xfer_wait_idle_locked(struct scmi_handle *h, struct scmi_xfer *x)
{
	while (x->busy) {
		os_spin_unlock(&h->lock);
		os_cpu_relax();
		os_spin_lock(&h->lock);
	}
}

/* Take @x out of the in-flight table; @zombie keeps its token reserved. */
static void scmi_xfer_retire_locked(struct scmi_handle *h, struct scmi_xfer *x,
				    bool zombie)
{
	if (!x->in_flight)
		return;
	if (h->inflight[x->token] == x)
		h->inflight[x->token] = NULL;
	if (zombie)
		h->zombie[x->token] = 1;
	x->in_flight = false;
}

/* ---- the transfer pool ----------------------------------------------------- */

int scmi_xfer_get_init(struct scmi_handle *h, uint8_t proto, uint8_t msg_id,
		       size_t tx_size, size_t rx_size, struct scmi_xfer **out)
{
	uint64_t deadline;
	struct scmi_xfer *x = NULL;

	if (!h || !out)
		return -EINVAL;
	if (tx_size > h->max_msg || rx_size > h->max_msg)
		return -EMSGSIZE;
	deadline = os_now_ns() + scmi_timeout_ns(h);
	for (;;) {
		os_spin_lock(&h->lock);
		if (h->closing) {
			os_spin_unlock(&h->lock);
			return -ECONNRESET;
		}
		x = h->free_list;
		if (x)
			h->free_list = x->next_free;
		os_spin_unlock(&h->lock);
		if (x)
			break;
		if (os_now_ns() > deadline)
			return -EBUSY;
		if (atomic_load(&h->polling))
			os_cpu_relax();
		else
			os_sleep_ns(20 * 1000);
		os_poll_hook();
	}
	x->next_free = NULL;
	x->protocol_id = proto;
	x->message_id = msg_id;
	x->token = 0;
	x->tx.len = tx_size;
	memset(x->tx.buf, 0, h->max_msg);
	x->rx_cap = rx_size ? rx_size : h->max_msg;
	x->rx.len = x->rx_cap;
	x->status = SCMI_SUCCESS;
	x->dresp_status = SCMI_SUCCESS;
	x->poll = false;
	x->tmsg = NULL;
	x->state = 0;
	x->err = 0;
	*out = x;
	return 0;
}

void scmi_xfer_reset_rx(struct scmi_handle *h, struct scmi_xfer *x)
{
	if (x)
		x->rx.len = x->rx_cap;
}

void scmi_xfer_put(struct scmi_handle *h, struct scmi_xfer *x)
{
	if (!h || !x)
		return;
	os_spin_lock(&h->lock);
	scmi_xfer_wait_idle_locked(h, x);
	scmi_xfer_retire_locked(h, x, false);
	x->next_free = h->free_list;
	h->free_list = x;
	os_spin_unlock(&h->lock);
}

/* ---- receive path ------------------------------------------------------------ */

int scmi_fetch(struct scmi_chan_info *cinfo, void *msg, void *buf, size_t cap,
	       size_t *len)
{
	const struct scmi_transport_ops *ops = cinfo->handle->desc->ops;

	*len = 0;
	if (cinfo->is_tx)
		return ops->fetch_response(cinfo, msg, NULL, buf, cap, len);
	return ops->fetch_notification(cinfo, msg, NULL, buf, cap, len);
}

/*
 * Find the transfer a (delayed) response is for and claim it for copying.
 * NULL (and counted) if the message is not acceptable. h->lock held.
 */
static struct scmi_xfer *scmi_claim_locked(struct scmi_handle *h, uint32_t hdr,
					   bool dresp)
{
	uint16_t token = scmi_hdr_token(hdr);
	struct scmi_xfer *x = h->inflight[token];

	if (!x) {
		if (h->zombie[token]) {
			h->zombie[token] = 0;
			scmi_count(h, late_replies);
		} else {
			scmi_count(h, bad_replies);
		}
		return NULL;
	}
	if (x->protocol_id != scmi_hdr_proto(hdr) ||
	    x->message_id != scmi_hdr_msg_id(hdr) || x->busy)
		goto bad;
	if (dresp) {
		if (!x->async || (x->state & (SCMI_XS_DRESP | SCMI_XS_FAILED)))
			goto bad;
		/* A command the platform refused has no delayed response. */
		if ((x->state & SCMI_XS_RESP) && x->status != SCMI_SUCCESS)
			goto bad;
	} else if (x->state & SCMI_XS_RESP) {
		if (x->state & SCMI_XS_RESP_IMPLIED) {
			/* The overtaken response: expected, consumed. */
			x->state &= ~SCMI_XS_RESP_IMPLIED;
			return NULL;
		}
		goto bad;
	} else if (x->state & SCMI_XS_FAILED) {
		goto bad;
	}
	x->busy++;
	return x;
bad:
	scmi_count(h, bad_replies);
	return NULL;
}

/*
 * The reply was for @x (token and ids matched) but is malformed (too short
 * for a status, or longer than the caller allowed): @x fails with -EPROTO
 * now instead of waiting for a timeout. Nothing of it is kept.
 */
static void scmi_fail_bad_locked(struct scmi_handle *h, struct scmi_xfer *x)
{
	scmi_count(h, bad_replies);
	x->err = -EPROTO;
	x->state |= SCMI_XS_FAILED;
	x->rx.len = 0;
	os_complete(&x->done);
	os_complete(&x->dresp_done);
}

static void scmi_handle_response(struct scmi_handle *h,
				 struct scmi_chan_info *cinfo, uint32_t hdr,
				 void *msg)
{
	uint8_t status_only[SCMI_STATUS_SIZE];
	struct scmi_xfer *x;
	uint8_t *buf;
	size_t cap, len;
	int ret;

	os_spin_lock(&h->lock);
	x = scmi_claim_locked(h, hdr, false);
	os_spin_unlock(&h->lock);
	if (!x)
		return;

	/* An async command's response carries nothing we keep beyond the
	 * status: do not let it touch x->raw, where the delayed response
	 * may be landing. */
	buf = x->async ? status_only : x->raw;
	cap = x->async ? sizeof(status_only) : SCMI_STATUS_SIZE + x->rx_max;
	ret = scmi_fetch(cinfo, msg, buf, cap, &len);

	os_spin_lock(&h->lock);
	x->busy--;
	if (ret || len < SCMI_STATUS_SIZE ||
	    len > SCMI_STATUS_SIZE + (x->async ? h->max_msg : x->rx_max)) {
		scmi_fail_bad_locked(h, x);
		os_spin_unlock(&h->lock);
		return;
	}
	x->status = (int32_t)scmi_get_le32(buf);
	if (!x->async)
		x->rx.len = len - SCMI_STATUS_SIZE;
	x->state |= SCMI_XS_RESP;
	/* Completed under the lock: the waiter cannot retire x before. */
	os_complete(&x->done);
	os_spin_unlock(&h->lock);
}

static void scmi_handle_delayed_response(struct scmi_handle *h,
					 struct scmi_chan_info *cinfo,
					 uint32_t hdr, void *msg)
{
	struct scmi_xfer *x;
	size_t len;
	int ret;

	os_spin_lock(&h->lock);
	x = scmi_claim_locked(h, hdr, true);
	os_spin_unlock(&h->lock);
	if (!x)
		return;

	ret = scmi_fetch(cinfo, msg, x->raw, SCMI_STATUS_SIZE + x->rx_max, &len);

	os_spin_lock(&h->lock);
	x->busy--;
	if (ret || len < SCMI_STATUS_SIZE || len > SCMI_STATUS_SIZE + x->rx_max) {
		scmi_fail_bad_locked(h, x);
		os_spin_unlock(&h->lock);
		return;
	}
	x->dresp_status = (int32_t)scmi_get_le32(x->raw);
	x->rx.len = len - SCMI_STATUS_SIZE;
	x->state |= SCMI_XS_DRESP;
	if (!(x->state & SCMI_XS_RESP)) {
		x->state |= SCMI_XS_RESP | SCMI_XS_RESP_IMPLIED;
		x->status = SCMI_SUCCESS;
		os_complete(&x->done);
	}
	scmi_count(h, delayed_responses);
	os_complete(&x->dresp_done);
	os_spin_unlock(&h->lock);
}

void scmi_rx_callback(struct scmi_chan_info *cinfo, uint32_t hdr, void *msg)
{
	struct scmi_handle *h = cinfo->handle;
	uint8_t type = scmi_hdr_type(hdr);

	if (hdr & SCMI_HDR_RESERVED_MASK)
		goto bad;
	if (cinfo->is_tx) {
		if (type != SCMI_MSG_TYPE_COMMAND)
			goto bad;
		scmi_handle_response(h, cinfo, hdr, msg);
		return;
	}
	if (type == SCMI_MSG_TYPE_DELAYED_RESP)
		scmi_handle_delayed_response(h, cinfo, hdr, msg);
	else if (type == SCMI_MSG_TYPE_NOTIFICATION)
		scmi_handle_notification(h, cinfo, hdr, msg);
	else
		goto bad;
	return;
bad:
	scmi_count(h, bad_replies);
}

void scmi_rx_dropped(struct scmi_chan_info *cinfo)
{
	scmi_count(cinfo->handle, bad_replies);
}

/* ---- sending and waiting ------------------------------------------------------- */

/* Spin on the transport until @x's response is in (polling mode). */
static int scmi_poll_wait(struct scmi_handle *h, struct scmi_xfer *x,
			  uint64_t deadline)
{
	const struct scmi_transport_ops *ops = h->desc->ops;

	for (;;) {
		if (os_completion_done(&x->done))
			return 0;
		if (ops->poll_done(&h->tx, x)) {
			uint32_t hdr = 0;
			size_t len;

			/* Our buffer came back: whatever is in it is the answer. */
			if (ops->fetch_response(&h->tx, x->tmsg, &hdr, NULL, 0, &len)) {
				scmi_count(h, bad_replies);
				return -EPROTO;
			}
			scmi_rx_callback(&h->tx, hdr, x->tmsg);
			return os_completion_done(&x->done) ? 0 : -EPROTO;
		}
		if (os_now_ns() > deadline)
			return -ETIMEDOUT;
		os_cpu_relax();
		os_poll_hook();
	}
}

/* Longest spin before sleeping in interrupt mode (0: never spin). */
#ifndef SCMI_WAIT_SPIN_US
#define SCMI_WAIT_SPIN_US 50
#endif

/*
 * Interrupt mode: spin on the completion for a moment before sleeping on
 * it. Where the "interrupt" is another thread (a hosted platform's event
 * dispatcher), a response back within the spin costs this thread no sleep
 * and the dispatcher no wake-up of it: one thread hop less per round trip.
 * Only a transfer waiting alone spins: with others in flight, responses
 * come in batches and the CPU is better left to whoever serves them. The
 * window adapts as KVM's halt polling does: it grows while responses come
 * within the longest window (SCMI_WAIT_SPIN_US) and shrinks to nothing
 * when they do not (a loaded back-end or machine), so spinning never
 * takes CPU time that does not pay.
 */
static int scmi_irq_wait(struct scmi_handle *h, struct scmi_xfer *x,
			 uint64_t timeout_ns)
{
#if SCMI_WAIT_SPIN_US > 0
	const uint64_t max = (uint64_t)SCMI_WAIT_SPIN_US * 1000, min = max / 16;
	uint64_t spin = atomic_load(&h->spin_ns), start = os_now_ns(), waited;
	bool alone = atomic_fetch_add(&h->waiters, 1) == 0;
	int ret;

	while (alone && spin && !os_completion_done(&x->done) && os_now_ns() - start < spin)
		os_cpu_relax();
	ret = os_completion_wait(&x->done, timeout_ns);
	atomic_fetch_sub(&h->waiters, 1);
	if (!alone)
		return ret;	/* a pipelined wait says nothing about the window */
	waited = os_now_ns() - start;
	if (waited <= max)
		spin = OS_MIN(OS_MAX(2 * spin, min), max);
	else
		spin = spin / 2 < min ? 0 : spin / 2;
	atomic_store(&h->spin_ns, spin);
	return ret;
#else
	return os_completion_wait(&x->done, timeout_ns);
#endif
}

static int scmi_wait(struct scmi_handle *h, struct os_completion *c, bool poll,
		     uint64_t timeout_ns)
{
	uint64_t deadline;

	if (!poll)
		return os_completion_wait(c, timeout_ns);
	deadline = os_now_ns() + timeout_ns;
	while (!os_completion_done(c)) {
		if (os_now_ns() > deadline)
			return -ETIMEDOUT;
		os_cpu_relax();
		os_poll_hook();
	}
	return 0;
}

/*
 * Run one exchange. 0 when the response (and, if @with_resp and it was a
 * SUCCESS, the delayed response) was accepted: statuses are in x->status /
 * x->dresp_status. Else -ETIMEDOUT, -ECONNRESET, -EPROTO or a send error.
 */
static int scmi_xfer_run(struct scmi_handle *h, struct scmi_xfer *x,
			 bool with_resp)
{
	const struct scmi_transport_ops *ops = h->desc->ops;
	uint64_t timeout = scmi_timeout_ns(h), deadline;
	bool zombie = false;
	int token, ret;

	if (x->rx.len > x->rx_cap)
		x->rx.len = x->rx_cap;
	if (with_resp && !h->has_rx)
		return -EOPNOTSUPP;
	if (atomic_load(&h->polling) && h->desc->can_poll)
		x->poll = true;
	if (x->poll && !(h->desc->can_poll && ops->poll_done))
		return -EOPNOTSUPP;

	os_spin_lock(&h->lock);
	if (!h->connected || h->closing) {
		os_spin_unlock(&h->lock);
		return -ECONNRESET;
	}
	token = scmi_token_alloc_locked(h);
	if (token < 0) {
		os_spin_unlock(&h->lock);
		return token;
	}
	x->token = (uint16_t)token;
	x->hdr = scmi_hdr_pack(x->message_id, SCMI_MSG_TYPE_COMMAND,
			       x->protocol_id, x->token);
	x->rx_max = x->rx.len;
	x->async = with_resp;
	x->state = 0;
	x->err = 0;
	x->status = SCMI_SUCCESS;
	x->dresp_status = SCMI_SUCCESS;
	x->tmsg = NULL;
	os_completion_reinit(&x->done);
	os_completion_reinit(&x->dresp_done);
	x->in_flight = true;
	h->inflight[token] = x;
	os_spin_unlock(&h->lock);

	/*
	 * -ENOBUFS is transient: a message is still being delivered by the
	 * thread that completed the transfer we replaced, or the device still
	 * holds timed-out ones. Retry within the timeout.
	 */
	deadline = os_now_ns() + timeout;
	while ((ret = ops->send_message(&h->tx, x)) == -ENOBUFS &&
	       os_now_ns() < deadline) {
		if (x->poll)
			os_cpu_relax();
		else
			os_sleep_ns(10 * 1000);
		os_poll_hook();
	}
	if (ret) {
		os_spin_lock(&h->lock);
		scmi_xfer_retire_locked(h, x, false);
		os_spin_unlock(&h->lock);
		return ret;
	}
	scmi_count(h, sent);

	if (x->poll)
		ret = scmi_poll_wait(h, x, os_now_ns() + timeout);
	else
		ret = scmi_irq_wait(h, x, timeout);

	os_spin_lock(&h->lock);
	scmi_xfer_wait_idle_locked(h, x);
	if (x->state & SCMI_XS_FAILED) {
		ret = x->err;
	} else if (x->state & SCMI_XS_RESP) {
		ret = 0;	/* it made it in before we looked */
	} else if (ret == -ETIMEDOUT) {
		zombie = true;
	} else if (!ret) {
		ret = -EPROTO;
	}
	if (ret || !with_resp || x->status != SCMI_SUCCESS)
		scmi_xfer_retire_locked(h, x, zombie);
	os_spin_unlock(&h->lock);

	if (ops->mark_txdone)
		ops->mark_txdone(&h->tx, ret, x);
	if (ret || !with_resp || x->status != SCMI_SUCCESS)
		return ret;

	/* Delayed response: same timeout again, on the P2A channel. */
	ret = scmi_wait(h, &x->dresp_done, x->poll, timeout);
	os_spin_lock(&h->lock);
	scmi_xfer_wait_idle_locked(h, x);
	zombie = false;
	if (x->state & SCMI_XS_FAILED) {
		ret = x->err;
	} else if (x->state & SCMI_XS_DRESP) {
		ret = 0;
	} else {
		ret = -ETIMEDOUT;
		zombie = true;
	}
	scmi_xfer_retire_locked(h, x, zombie);
	os_spin_unlock(&h->lock);
	return ret;
}

static int scmi_xfer_result(struct scmi_handle *h, struct scmi_xfer *x,
			    int ret, bool with_resp)
{
	if (!ret) {
		int32_t st = x->status;

		if (st == SCMI_SUCCESS && with_resp)
			st = x->dresp_status;
		ret = scmi_status_to_errno(st);
	}
	if (!ret)
		scmi_count(h, ok);
	else if (ret == -ETIMEDOUT)
		scmi_count(h, timeouts);
	else
		scmi_count(h, errors);
	if (!ret)
		return 0;
	/* A failed transfer has no payload to parse. */
	x->rx.len = 0;
	return ret;
}

int scmi_do_xfer(struct scmi_handle *h, struct scmi_xfer *x)
{
	if (!h || !x)
		return -EINVAL;
	return scmi_xfer_result(h, x, scmi_xfer_run(h, x, false), false);
}

int scmi_do_xfer_with_response(struct scmi_handle *h, struct scmi_xfer *x)
{
	if (!h || !x)
		return -EINVAL;
	return scmi_xfer_result(h, x, scmi_xfer_run(h, x, true), true);
}

/* ---- raw transfers ----------------------------------------------------------- */

int scmi_raw_xfer(struct scmi_handle *h, struct scmi_raw_xfer *r)
{
	struct scmi_xfer *x;
	uint32_t hdr;
	size_t need;
	int ret;

	if (!h || !r || !r->req || r->req_len < SCMI_HDR_SIZE || !r->resp)
		return -EINVAL;
	hdr = scmi_get_le32(r->req);
	if (scmi_hdr_type(hdr) != SCMI_MSG_TYPE_COMMAND ||
	    (hdr & SCMI_HDR_RESERVED_MASK))
		return -EINVAL;
	if (r->wait_dresp && !r->dresp)
		return -EINVAL;
	r->resp_len = 0;
	r->dresp_len = 0;
	ret = scmi_xfer_get_init(h, scmi_hdr_proto(hdr), scmi_hdr_msg_id(hdr),
				 r->req_len - SCMI_HDR_SIZE, 0, &x);
	if (ret)
		return ret;
	memcpy(x->tx.buf, (const uint8_t *)r->req + SCMI_HDR_SIZE,
	       r->req_len - SCMI_HDR_SIZE);
	ret = scmi_xfer_run(h, x, r->wait_dresp);
	if (ret == 0 || (ret == -ETIMEDOUT && (x->state & SCMI_XS_RESP))) {
		bool have_dresp = r->wait_dresp && (x->state & SCMI_XS_DRESP);
		size_t rlen = r->wait_dresp ? 0 : x->rx.len;

		need = SCMI_HDR_SIZE + SCMI_STATUS_SIZE + rlen;
		if (need > r->resp_cap) {
			ret = -EMSGSIZE;
			goto out;
		}
		scmi_put_le32(r->resp, x->hdr);
		scmi_put_le32((uint8_t *)r->resp + SCMI_HDR_SIZE, (uint32_t)x->status);
		memcpy((uint8_t *)r->resp + SCMI_HDR_SIZE + SCMI_STATUS_SIZE,
		       x->raw + SCMI_STATUS_SIZE, rlen);
		r->resp_len = need;
		if (have_dresp) {
			need = SCMI_HDR_SIZE + SCMI_STATUS_SIZE + x->rx.len;
			if (need > r->dresp_cap) {
				ret = -EMSGSIZE;
				goto out;
			}
			scmi_put_le32(r->dresp,
				      scmi_hdr_pack(x->message_id,
						    SCMI_MSG_TYPE_DELAYED_RESP,
						    x->protocol_id, x->token));
			memcpy((uint8_t *)r->dresp + SCMI_HDR_SIZE, x->raw,
			       SCMI_STATUS_SIZE + x->rx.len);
			r->dresp_len = need;
		}
	}
out:
	if (!ret)
		scmi_count(h, ok);
	else if (ret == -ETIMEDOUT)
		scmi_count(h, timeouts);
	else
		scmi_count(h, errors);
	scmi_xfer_put(h, x);
	return ret;
}

/* ---- settings and counters ----------------------------------------------------- */

void scmi_set_timeout_ms(struct scmi_handle *h, unsigned timeout_ms)
{
	if (h)
		atomic_store(&h->timeout_ms, timeout_ms ? timeout_ms : CONFIG_SCMI_TIMEOUT_MS);
}

unsigned scmi_get_timeout_ms(struct scmi_handle *h)
{
	return h ? atomic_load(&h->timeout_ms) : 0;
}

int scmi_set_polling(struct scmi_handle *h, bool polling)
{
	if (!h)
		return -EINVAL;
	if (polling && !(h->desc->can_poll && h->desc->ops->poll_done))
		return -EOPNOTSUPP;
	atomic_store(&h->polling, polling);
	return 0;
}

bool scmi_get_polling(struct scmi_handle *h)
{
	return h && atomic_load(&h->polling);
}

size_t scmi_max_msg_size(struct scmi_handle *h)
{
	return h ? h->max_msg : 0;
}

bool scmi_has_p2a(struct scmi_handle *h)
{
	return h && h->has_rx;
}

void scmi_get_counters(struct scmi_handle *h, struct scmi_counters *o)
{
	if (!h || !o)
		return;
	o->sent = atomic_load(&h->cnt.sent);
	o->ok = atomic_load(&h->cnt.ok);
	o->errors = atomic_load(&h->cnt.errors);
	o->timeouts = atomic_load(&h->cnt.timeouts);
	o->late_replies = atomic_load(&h->cnt.late_replies);
	o->bad_replies = atomic_load(&h->cnt.bad_replies);
	o->delayed_responses = atomic_load(&h->cnt.delayed_responses);
	o->notifications = atomic_load(&h->cnt.notifications);
	o->notifications_dropped = atomic_load(&h->cnt.notifications_dropped);
	o->notifications_unhandled = atomic_load(&h->cnt.notifications_unhandled);
	o->resets = atomic_load(&h->cnt.resets);
}

void scmi_reset_counters(struct scmi_handle *h)
{
	if (!h)
		return;
	atomic_store(&h->cnt.sent, 0);
	atomic_store(&h->cnt.ok, 0);
	atomic_store(&h->cnt.errors, 0);
	atomic_store(&h->cnt.timeouts, 0);
	atomic_store(&h->cnt.late_replies, 0);
	atomic_store(&h->cnt.bad_replies, 0);
	atomic_store(&h->cnt.delayed_responses, 0);
	atomic_store(&h->cnt.notifications, 0);
	atomic_store(&h->cnt.notifications_dropped, 0);
	atomic_store(&h->cnt.notifications_unhandled, 0);
	atomic_store(&h->cnt.resets, 0);
}

/* ---- per-protocol state ------------------------------------------------------------ */

void scmi_proto_version_set(struct scmi_handle *h, uint8_t proto, uint32_t ver)
{
	if (!h)
		return;
	os_spin_lock(&h->plock);
	h->protos[proto].version = ver;
	os_spin_unlock(&h->plock);
}

uint32_t scmi_proto_version_get(struct scmi_handle *h, uint8_t proto)
{
	uint32_t v;

	if (!h)
		return 0;
	os_spin_lock(&h->plock);
	v = h->protos[proto].version;
	os_spin_unlock(&h->plock);
	return v;
}

void *scmi_proto_priv_set(struct scmi_handle *h, uint8_t proto, void *priv,
			  void (*release)(void *priv))
{
	void *old;

	if (!h)
		return NULL;
	os_spin_lock(&h->plock);
	old = h->protos[proto].priv;
	h->protos[proto].priv = priv;
	h->protos[proto].release = release;
	os_spin_unlock(&h->plock);
	return old;
}

void *scmi_proto_priv_get(struct scmi_handle *h, uint8_t proto)
{
	void *p;

	if (!h)
		return NULL;
	os_spin_lock(&h->plock);
	p = h->protos[proto].priv;
	os_spin_unlock(&h->plock);
	return p;
}

/* ---- lifetime ------------------------------------------------------------------------ */

void scmi_core_disconnect(struct scmi_handle *h, int err)
{
	if (!h)
		return;
	os_spin_lock(&h->lock);
	h->connected = false;
	h->disconnect_err = err;
	for (unsigned t = 0; t < SCMI_TOKEN_MAX; t++) {
		struct scmi_xfer *x = h->inflight[t];

		/* The peer is gone: nothing it owed us will ever come. */
		h->zombie[t] = 0;
		if (!x)
			continue;
		x->err = err;
		x->state |= SCMI_XS_FAILED;
		os_complete(&x->done);
		os_complete(&x->dresp_done);
	}
	os_spin_unlock(&h->lock);
	scmi_count(h, resets);
}

void scmi_core_set_connected(struct scmi_handle *h, bool connected)
{
	if (!h)
		return;
	os_spin_lock(&h->lock);
	h->connected = connected;
	os_spin_unlock(&h->lock);
}

void *scmi_core_tpriv(struct scmi_handle *h)
{
	return h ? h->tpriv : NULL;
}

void scmi_core_set_close_hook(struct scmi_handle *h, void (*fn)(void *arg),
			      void *arg)
{
	if (!h)
		return;
	h->close_fn = fn;
	h->close_arg = arg;
}

static void scmi_core_free(struct scmi_handle *h)
{
	for (unsigned i = 0; i < h->nxfers; i++) {
		struct scmi_xfer *x = &h->xfers[i];

		os_completion_destroy(&x->done);
		os_completion_destroy(&x->dresp_done);
		os_free(x->tx.buf);
		os_free(x->raw);
	}
	os_free(h->xfers);
	for (unsigned i = 0; i < SCMI_NOTIFY_QUEUE_LEN; i++)
		os_free(h->nq[i].buf);
	while (h->regs) {
		struct scmi_notify_reg *r = h->regs;

		h->regs = r->next;
		os_free(r);
	}
	for (unsigned p = 0; p < SCMI_PROTO_COUNT; p++)
		if (h->protos[p].priv && h->protos[p].release)
			h->protos[p].release(h->protos[p].priv);
	os_mutex_destroy(&h->reg_lock);
	os_free(h);
}

int scmi_core_create(const struct scmi_transport_desc *desc, void *tpriv,
		     struct scmi_handle **out)
{
	const struct scmi_transport_ops *ops;
	struct scmi_handle *h;
	int ret, n;

	if (!desc || !desc->ops || !out || desc->max_msg_size < SCMI_STATUS_SIZE)
		return -EINVAL;
	ops = desc->ops;
	if (!ops->chan_available || !ops->chan_setup || !ops->get_max_msg ||
	    !ops->send_message || !ops->fetch_response)
		return -ENOSYS;
	if (!ops->chan_available(tpriv, true))
		return -ENODEV;
	h = os_zalloc(sizeof(*h));
	if (!h)
		return -ENOMEM;
	h->desc = desc;
	h->tpriv = tpriv;
	h->max_msg = desc->max_msg_size;
	os_spin_init(&h->lock);
	os_spin_init(&h->nlock);
	os_spin_init(&h->plock);
	os_mutex_init(&h->reg_lock);
	os_work_init(&h->nwork, scmi_notify_work);
	atomic_store(&h->timeout_ms, CONFIG_SCMI_TIMEOUT_MS);
	h->connected = true;
	h->tx.handle = h;
	h->tx.is_tx = true;
	h->rx.handle = h;

	for (unsigned i = 0; i < SCMI_NOTIFY_QUEUE_LEN; i++) {
		h->nq[i].buf = os_zalloc(h->max_msg);
		if (!h->nq[i].buf) {
			ret = -ENOMEM;
			goto out_free;
		}
	}

	ret = ops->chan_setup(tpriv, &h->tx, true);
	if (ret)
		goto out_free;
	n = ops->get_max_msg(&h->tx);
	if (n <= 0) {
		ret = n < 0 ? n : -EINVAL;
		goto out_free_tx;
	}
	if (n > SCMI_MAX_XFERS)
		n = SCMI_MAX_XFERS;
	h->xfers = os_calloc((size_t)n, sizeof(*h->xfers));
	if (!h->xfers) {
		ret = -ENOMEM;
		goto out_free_tx;
	}
	for (int i = 0; i < n; i++) {
		struct scmi_xfer *x = &h->xfers[i];

		x->tx.buf = os_zalloc(h->max_msg);
		x->raw = os_zalloc(SCMI_STATUS_SIZE + h->max_msg);
		os_completion_init(&x->done);
		os_completion_init(&x->dresp_done);
		h->nxfers++;
		if (!x->tx.buf || !x->raw) {
			ret = -ENOMEM;
			goto out_free_tx;
		}
		x->rx.buf = x->raw + SCMI_STATUS_SIZE;
		x->tx_cap = h->max_msg;
		x->next_free = h->free_list;
		h->free_list = x;
	}

	if (ops->fetch_notification && ops->chan_available(tpriv, false)) {
		ret = ops->chan_setup(tpriv, &h->rx, false);
		if (ret)
			goto out_free_tx;
		h->has_rx = true;
	}
	*out = h;
	return 0;

out_free_tx:
	if (ops->chan_free)
		ops->chan_free(tpriv, &h->tx);
out_free:
	scmi_core_free(h);
	return ret;
}

void scmi_core_destroy(struct scmi_handle *h)
{
	const struct scmi_transport_ops *ops;

	if (!h)
		return;
	ops = h->desc->ops;
	os_spin_lock(&h->lock);
	h->closing = true;
	os_spin_unlock(&h->lock);
	scmi_core_disconnect(h, -ECONNRESET);
	/* After chan_free no up-call runs: then the ring can go. */
	if (h->has_rx && ops->chan_free)
		ops->chan_free(h->tpriv, &h->rx);
	if (ops->chan_free)
		ops->chan_free(h->tpriv, &h->tx);
	os_work_cancel_sync(&h->nwork);
	scmi_core_free(h);
}

void scmi_close(struct scmi_handle *h)
{
	if (!h)
		return;
	if (h->close_fn)
		h->close_fn(h->close_arg);
	else
		scmi_core_destroy(h);
}
