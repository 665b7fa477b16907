// SPDX-License-Identifier: MIT
/*
 * The scripted fake SCMI platform (see fake_transport.h): implements
 * struct scmi_transport_ops in memory, with expectations, a responder
 * callback and three delivery modes.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <vscmi/os.h>
#include <vscmi/scmi_wire.h>
#include <scmi/agent/core.h>
#include <scmi/agent/transport.h>

#include "fake_transport.h"

#define FAKE_LOG 64
#define FAKE_HOLD 16
#define FAKE_EXPECT 256

struct fake_msg {
	struct fake_msg *next;
	bool p2a;
	bool ready;			/* polled slot: response arrived */
	size_t len;			/* bytes in data, header included */
	uint8_t data[];
};

struct fake_expectation {
	uint8_t proto, msg_id;
	bool any_req, no_reply;
	uint8_t req[512];
	size_t req_len;
	int32_t status;
	uint8_t resp[512];
	size_t resp_len;
	bool dresp, dresp_first;
	int32_t dresp_status;
	uint8_t dresp_payload[512];
	size_t dresp_len;
};

struct fake_platform {
	struct fake_config cfg;
	struct scmi_transport_desc desc;
	struct scmi_chan_info *tx, *rx;

	pthread_mutex_t lock;		/* everything below */
	pthread_cond_t cv;
	struct fake_msg *outq, **outq_tail;	/* to deliver */
	unsigned inflight;
	struct fake_msg *polled_slot;	/* set by the script for a polled cmd */
	bool cur_polled;

	struct fake_expectation *exp;
	unsigned nexp, exp_next;
	unsigned unexpected;
	unsigned fail_sends;		/* next sends failing with -ENOBUFS */
	fake_responder_fn responder;
	void *responder_priv;

	struct fake_cmd log[FAKE_LOG];
	unsigned ncmds;
	struct fake_cmd held[FAKE_HOLD];
	bool held_used[FAKE_HOLD];

	pthread_t thread;
	bool thread_run, stop;
	pthread_mutex_t deliver_lock;	/* one delivery at a time (ordering) */
};

static struct fake_msg *fake_msg_new(size_t cap)
{
	struct fake_msg *m = calloc(1, sizeof(*m) + cap);

	if (!m)
		abort();
	return m;
}

/* Queue a message produced by the script. fp->lock held. */
static void fake_queue_locked(struct fake_platform *fp, bool p2a,
			      const void *bytes, size_t len)
{
	struct fake_msg *m;

	/* A polled command's own response goes into its slot. */
	if (!p2a && fp->cur_polled && fp->polled_slot && !fp->polled_slot->ready) {
		m = fp->polled_slot;
		m->len = len < SCMI_HDR_SIZE + 4096 + 8 ? len : 0;
		memcpy(m->data, bytes, m->len);
		m->ready = true;
		return;
	}
	m = fake_msg_new(len);
	m->p2a = p2a;
	m->len = len;
	memcpy(m->data, bytes, len);
	*fp->outq_tail = m;
	fp->outq_tail = &m->next;
	pthread_cond_broadcast(&fp->cv);
}

static void fake_queue(struct fake_platform *fp, bool p2a, const void *bytes,
		       size_t len)
{
	pthread_mutex_lock(&fp->lock);
	fake_queue_locked(fp, p2a, bytes, len);
	pthread_mutex_unlock(&fp->lock);
}

static void fake_build(uint8_t *buf, uint32_t hdr, int32_t status,
		       const void *payload, size_t len, size_t *out_len)
{
	scmi_put_le32(buf, hdr);
	scmi_put_le32(buf + 4, (uint32_t)status);
	if (len)
		memcpy(buf + 8, payload, len);
	*out_len = 8 + len;
}

void fake_reply(struct fake_platform *fp, const struct fake_cmd *cmd,
		int32_t status, const void *payload, size_t len)
{
	uint8_t buf[8 + 4096];
	size_t n;

	if (len > 4096)
		abort();
	fake_build(buf, cmd->hdr, status, payload, len, &n);
	fake_queue(fp, false, buf, n);
}

void fake_reply_raw(struct fake_platform *fp, const struct fake_cmd *cmd,
		    const void *msg, size_t len)
{
	fake_queue(fp, false, msg, len);
}

void fake_dresp(struct fake_platform *fp, const struct fake_cmd *cmd,
		int32_t status, const void *payload, size_t len)
{
	uint8_t buf[8 + 4096];
	size_t n;

	if (len > 4096)
		abort();
	fake_build(buf, scmi_hdr_pack(cmd->msg_id, SCMI_MSG_TYPE_DELAYED_RESP,
				      cmd->proto, cmd->token),
		   status, payload, len, &n);
	fake_queue(fp, true, buf, n);
}

void fake_notify(struct fake_platform *fp, uint8_t proto, uint8_t evt,
		 const void *payload, size_t len)
{
	uint8_t buf[4 + 4096];

	if (len > 4096)
		abort();
	scmi_put_le32(buf, scmi_hdr_pack(evt, SCMI_MSG_TYPE_NOTIFICATION, proto, 0));
	if (len)
		memcpy(buf + 4, payload, len);
	fake_queue(fp, true, buf, 4 + len);
}

void fake_p2a_raw(struct fake_platform *fp, const void *msg, size_t len)
{
	fake_queue(fp, true, msg, len);
}

int fake_hold(struct fake_platform *fp, const struct fake_cmd *cmd)
{
	int slot = -1;

	pthread_mutex_lock(&fp->lock);
	for (int i = 0; i < FAKE_HOLD; i++) {
		if (!fp->held_used[i]) {
			fp->held_used[i] = true;
			fp->held[i] = *cmd;
			slot = i;
			break;
		}
	}
	pthread_mutex_unlock(&fp->lock);
	return slot;
}

const struct fake_cmd *fake_held(struct fake_platform *fp, int slot)
{
	if (slot < 0 || slot >= FAKE_HOLD || !fp->held_used[slot])
		return NULL;
	return &fp->held[slot];
}

/* Deliver everything queued, in order, through the core's up-call. */
void fake_flush(struct fake_platform *fp)
{
	pthread_mutex_lock(&fp->deliver_lock);
	for (;;) {
		struct fake_msg *m;
		uint32_t hdr;

		pthread_mutex_lock(&fp->lock);
		m = fp->outq;
		if (m) {
			fp->outq = m->next;
			if (!fp->outq)
				fp->outq_tail = &fp->outq;
		}
		pthread_mutex_unlock(&fp->lock);
		if (!m)
			break;
		if (!(m->p2a ? fp->rx : fp->tx)) {
			/* Channel gone (closing) or absent: lost. */
		} else if (m->len < SCMI_HDR_SIZE) {
			/* Shorter than a header: a real transport drops it. */
			if (fp->tx)
				scmi_rx_dropped(fp->tx);
		} else {
			hdr = scmi_get_le32(m->data);
			scmi_rx_callback(m->p2a ? fp->rx : fp->tx, hdr, m);
		}
		free(m);
	}
	pthread_mutex_unlock(&fp->deliver_lock);
}

static void *fake_thread(void *arg)
{
	struct fake_platform *fp = arg;

	pthread_mutex_lock(&fp->lock);
	while (!fp->stop) {
		if (!fp->outq) {
			pthread_cond_wait(&fp->cv, &fp->lock);
			continue;
		}
		pthread_mutex_unlock(&fp->lock);
		fake_flush(fp);
		pthread_mutex_lock(&fp->lock);
	}
	pthread_mutex_unlock(&fp->lock);
	return NULL;
}

/* ---- expectations ---- */

void fake_expect(struct fake_platform *fp, uint8_t proto, uint8_t msg_id,
		 const void *req, size_t req_len, int32_t status,
		 const void *resp, size_t resp_len)
{
	struct fake_expectation *e;

	pthread_mutex_lock(&fp->lock);
	if (fp->nexp >= FAKE_EXPECT || req_len > sizeof(e->req) ||
	    resp_len > sizeof(e->resp))
		abort();
	e = &fp->exp[fp->nexp++];
	memset(e, 0, sizeof(*e));
	e->proto = proto;
	e->msg_id = msg_id;
	e->any_req = !req;
	if (req)
		memcpy(e->req, req, req_len);
	e->req_len = req_len;
	e->status = status;
	if (resp_len)
		memcpy(e->resp, resp, resp_len);
	e->resp_len = resp_len;
	pthread_mutex_unlock(&fp->lock);
}

void fake_expect_dresp(struct fake_platform *fp, int32_t status,
		       const void *payload, size_t len, bool before_resp)
{
	struct fake_expectation *e;

	pthread_mutex_lock(&fp->lock);
	if (!fp->nexp || len > sizeof(e->dresp_payload))
		abort();
	e = &fp->exp[fp->nexp - 1];
	e->dresp = true;
	e->dresp_first = before_resp;
	e->dresp_status = status;
	if (len)
		memcpy(e->dresp_payload, payload, len);
	e->dresp_len = len;
	pthread_mutex_unlock(&fp->lock);
}

void fake_expect_no_reply(struct fake_platform *fp)
{
	pthread_mutex_lock(&fp->lock);
	if (!fp->nexp)
		abort();
	fp->exp[fp->nexp - 1].no_reply = true;
	pthread_mutex_unlock(&fp->lock);
}

unsigned fake_expect_pending(struct fake_platform *fp)
{
	unsigned n;

	pthread_mutex_lock(&fp->lock);
	n = fp->nexp - fp->exp_next;
	pthread_mutex_unlock(&fp->lock);
	return n;
}

unsigned fake_unexpected(struct fake_platform *fp)
{
	unsigned n;

	pthread_mutex_lock(&fp->lock);
	n = fp->unexpected;
	pthread_mutex_unlock(&fp->lock);
	return n;
}

unsigned fake_ncmds(struct fake_platform *fp)
{
	unsigned n;

	pthread_mutex_lock(&fp->lock);
	n = fp->ncmds;
	pthread_mutex_unlock(&fp->lock);
	return n;
}

const struct fake_cmd *fake_cmd(struct fake_platform *fp, unsigned i)
{
	if (i >= fp->ncmds || fp->ncmds - i > FAKE_LOG)
		return NULL;
	return &fp->log[i % FAKE_LOG];
}

void fake_fail_sends(struct fake_platform *fp, unsigned n)
{
	pthread_mutex_lock(&fp->lock);
	fp->fail_sends = n;
	pthread_mutex_unlock(&fp->lock);
}

void fake_set_responder(struct fake_platform *fp, fake_responder_fn fn, void *priv)
{
	pthread_mutex_lock(&fp->lock);
	fp->responder = fn;
	fp->responder_priv = priv;
	pthread_mutex_unlock(&fp->lock);
}

/* Run the script for @cmd. Called without fp->lock. */
static void fake_script(struct fake_platform *fp, const struct fake_cmd *cmd)
{
	struct fake_expectation e;
	bool have = false, match = false;
	fake_responder_fn fn;
	void *priv;

	pthread_mutex_lock(&fp->lock);
	if (fp->exp_next < fp->nexp) {
		e = fp->exp[fp->exp_next++];
		have = true;
		match = e.proto == cmd->proto && e.msg_id == cmd->msg_id &&
			(e.any_req || (e.req_len == cmd->len &&
				       !memcmp(e.req, cmd->payload, cmd->len)));
	}
	fn = fp->responder;
	priv = fp->responder_priv;
	if (have && !match)
		fp->unexpected++;
	if (!have && !fn)
		fp->unexpected++;
	pthread_mutex_unlock(&fp->lock);

	if (have) {
		if (!match || e.no_reply)
			return;
		if (e.dresp && e.dresp_first)
			fake_dresp(fp, cmd, e.dresp_status, e.dresp_payload, e.dresp_len);
		fake_reply(fp, cmd, e.status, e.resp, e.resp_len);
		if (e.dresp && !e.dresp_first)
			fake_dresp(fp, cmd, e.dresp_status, e.dresp_payload, e.dresp_len);
		return;
	}
	if (fn)
		fn(fp, cmd, priv);
}

/* ---- transport ops ---- */

static bool fake_chan_available(void *tpriv, bool tx)
{
	struct fake_platform *fp = tpriv;

	return tx || !fp->cfg.no_p2a;
}

static int fake_chan_setup(void *tpriv, struct scmi_chan_info *cinfo, bool tx)
{
	struct fake_platform *fp = tpriv;

	cinfo->transport_info = fp;
	if (tx)
		fp->tx = cinfo;
	else
		fp->rx = cinfo;
	return 0;
}

static void fake_chan_free(void *tpriv, struct scmi_chan_info *cinfo)
{
	struct fake_platform *fp = tpriv;

	/* No up-call may run after this: drain the delivery path. */
	pthread_mutex_lock(&fp->deliver_lock);
	if (cinfo == fp->tx)
		fp->tx = NULL;
	else
		fp->rx = NULL;
	pthread_mutex_unlock(&fp->deliver_lock);
}

static int fake_get_max_msg(struct scmi_chan_info *cinfo)
{
	struct fake_platform *fp = cinfo->transport_info;

	return (int)fp->cfg.max_msg;
}

static int fake_send_message(struct scmi_chan_info *cinfo, struct scmi_xfer *x)
{
	struct fake_platform *fp = cinfo->transport_info;
	struct fake_cmd *cmd = calloc(1, sizeof(*cmd));
	struct fake_msg *slot = NULL;

	if (!cmd)
		return -ENOMEM;
	pthread_mutex_lock(&fp->lock);
	if (fp->fail_sends) {
		fp->fail_sends--;
		pthread_mutex_unlock(&fp->lock);
		free(cmd);
		return -ENOBUFS;
	}
	pthread_mutex_unlock(&fp->lock);
	cmd->hdr = x->hdr;
	scmi_hdr_unpack(x->hdr, &cmd->msg_id, NULL, &cmd->proto, &cmd->token);
	cmd->len = x->tx.len;
	memcpy(cmd->payload, x->tx.buf, x->tx.len);
	if (x->poll)
		slot = fake_msg_new(SCMI_HDR_SIZE + 4096 + 8);

	pthread_mutex_lock(&fp->lock);
	fp->log[fp->ncmds % FAKE_LOG] = *cmd;
	fp->ncmds++;
	/* The script runs in the sender's context: serialise scripts so a
	 * polled command's slot is not confused with another's. */
	pthread_mutex_unlock(&fp->lock);

	pthread_mutex_lock(&fp->deliver_lock);
	pthread_mutex_lock(&fp->lock);
	fp->cur_polled = x->poll;
	fp->polled_slot = slot;
	pthread_mutex_unlock(&fp->lock);
	x->tmsg = slot;
	fake_script(fp, cmd);
	pthread_mutex_lock(&fp->lock);
	fp->cur_polled = false;
	fp->polled_slot = NULL;
	pthread_mutex_unlock(&fp->lock);
	pthread_mutex_unlock(&fp->deliver_lock);

	if (fp->cfg.delivery == FAKE_DELIVER_SYNC)
		fake_flush(fp);
	free(cmd);
	return 0;
}

static int fake_fetch(struct scmi_chan_info *cinfo, void *msg, uint32_t *hdr,
		      void *buf, size_t cap, size_t *len)
{
	struct fake_msg *m = msg;
	size_t n;

	if (m->len < SCMI_HDR_SIZE)
		return -EPROTO;
	if (hdr)
		*hdr = scmi_get_le32(m->data);
	n = m->len - SCMI_HDR_SIZE;
	*len = n;
	if (buf && cap)
		memcpy(buf, m->data + SCMI_HDR_SIZE, n < cap ? n : cap);
	return 0;
}

static bool fake_poll_done(struct scmi_chan_info *cinfo, struct scmi_xfer *x)
{
	struct fake_platform *fp = cinfo->transport_info;
	struct fake_msg *m = x->tmsg;
	bool ready;

	if (!m)
		return false;
	pthread_mutex_lock(&fp->lock);
	ready = m->ready;
	pthread_mutex_unlock(&fp->lock);
	return ready;
}

static void fake_mark_txdone(struct scmi_chan_info *cinfo, int ret,
			     struct scmi_xfer *x)
{
	free(x->tmsg);
	x->tmsg = NULL;
}

static const struct scmi_transport_ops fake_ops = {
	.chan_available = fake_chan_available,
	.chan_setup = fake_chan_setup,
	.chan_free = fake_chan_free,
	.get_max_msg = fake_get_max_msg,
	.send_message = fake_send_message,
	.fetch_response = fake_fetch,
	.fetch_notification = fake_fetch,
	.mark_txdone = fake_mark_txdone,
	.poll_done = fake_poll_done,
};

struct fake_platform *fake_create(const struct fake_config *cfg)
{
	struct fake_platform *fp = calloc(1, sizeof(*fp));

	if (!fp)
		return NULL;
	if (cfg)
		fp->cfg = *cfg;
	if (!fp->cfg.max_msg)
		fp->cfg.max_msg = 8;
	if (!fp->cfg.max_msg_size)
		fp->cfg.max_msg_size = 128;
	fp->exp = calloc(FAKE_EXPECT, sizeof(*fp->exp));
	pthread_mutex_init(&fp->lock, NULL);
	pthread_mutex_init(&fp->deliver_lock, NULL);
	pthread_cond_init(&fp->cv, NULL);
	fp->outq_tail = &fp->outq;
	fp->desc.name = "fake";
	fp->desc.ops = &fake_ops;
	fp->desc.max_msg_size = fp->cfg.max_msg_size;
	fp->desc.can_poll = !fp->cfg.no_poll;
	if (fp->cfg.delivery == FAKE_DELIVER_THREAD) {
		fp->thread_run = true;
		pthread_create(&fp->thread, NULL, fake_thread, fp);
	}
	return fp;
}

int fake_open(struct fake_platform *fp, struct scmi_handle **out)
{
	return scmi_core_create(&fp->desc, fp, out);
}

void fake_destroy(struct fake_platform *fp)
{
	if (!fp)
		return;
	if (fp->thread_run) {
		pthread_mutex_lock(&fp->lock);
		fp->stop = true;
		pthread_cond_broadcast(&fp->cv);
		pthread_mutex_unlock(&fp->lock);
		pthread_join(fp->thread, NULL);
	}
	while (fp->outq) {
		struct fake_msg *m = fp->outq;

		fp->outq = m->next;
		free(m);
	}
	pthread_cond_destroy(&fp->cv);
	pthread_mutex_destroy(&fp->deliver_lock);
	pthread_mutex_destroy(&fp->lock);
	free(fp->exp);
	free(fp);
}
