// SPDX-License-Identifier: MIT
/*
 * The agent core's notifications: a fixed ring of slots filled from the
 * receive path (never allocating there), drained by deferred work (os_work)
 * that calls the callbacks registered for (protocol, event, source). A full
 * ring drops the notification and counts it; one nobody registered for is
 * counted as unhandled. Locking: see core.c's theory of operation.
 */
#include "core_priv.h"

void scmi_handle_notification(struct scmi_handle *h, struct scmi_chan_info *cinfo,
			      uint32_t hdr, void *msg)
{
	struct scmi_notify_slot *slot;
	size_t len = 0;
	int ret;

	os_spin_lock(&h->nlock);
	if (h->nq_tail - h->nq_head >= SCMI_NOTIFY_QUEUE_LEN) {
		os_spin_unlock(&h->nlock);
		scmi_count(h, notifications_dropped);
		return;
	}
	slot = &h->nq[h->nq_tail % SCMI_NOTIFY_QUEUE_LEN];
	h->nq_tail++;
	slot->ready = false;
	os_spin_unlock(&h->nlock);

	ret = scmi_fetch(cinfo, msg, slot->buf, h->max_msg, &len);

	os_spin_lock(&h->nlock);
	slot->hdr = hdr;
	slot->bad = ret || len > h->max_msg;
	slot->len = slot->bad ? 0 : len;
	slot->ready = true;
	os_spin_unlock(&h->nlock);
	if (slot->bad)
		scmi_count(h, bad_replies);
	else
		scmi_count(h, notifications);
	os_work_queue(&h->nwork);
}

/* ---- notifications --------------------------------------------------------------- */

/*
 * Which source a notification names: the agent for BASE_ERROR_EVENT, none
 * for SYSTEM_POWER_STATE_NOTIFIER, otherwise the second word (every other
 * standard notification is {agent_id, <domain/clock/sensor> id, ...}).
 */
static bool scmi_notify_source(uint8_t proto, uint8_t evt, const uint8_t *p,
			       size_t len, int32_t *src)
{
	size_t off = 4;

	if (proto == SCMI_PROTO_BASE)
		off = 0;
	else if (proto == SCMI_PROTO_SYSTEM)
		return false;
	if (len < off + 4)
		return false;
	*src = (int32_t)scmi_get_le32(p + off);
	return true;
}

static void scmi_notify_dispatch(struct scmi_handle *h,
				 struct scmi_notify_slot *slot)
{
	uint8_t proto = scmi_hdr_proto(slot->hdr), evt = scmi_hdr_msg_id(slot->hdr);
	int32_t src = 0;
	bool has_src = scmi_notify_source(proto, evt, slot->buf, slot->len, &src);
	unsigned delivered = 0;

	os_mutex_lock(&h->reg_lock);
	for (struct scmi_notify_reg *r = h->regs; r; r = r->next) {
		if (r->proto != proto || r->evt != evt)
			continue;
		if (r->src != SCMI_NOTIFY_SRC_ANY && has_src && r->src != src)
			continue;
		r->cb(h, proto, evt, slot->buf, slot->len, r->priv);
		delivered++;
	}
	os_mutex_unlock(&h->reg_lock);
	if (!delivered)
		scmi_count(h, notifications_unhandled);
}

void scmi_notify_work(struct os_work *w)
{
	struct scmi_handle *h = os_container_of(w, struct scmi_handle, nwork);

	for (;;) {
		struct scmi_notify_slot *slot;

		os_spin_lock(&h->nlock);
		slot = &h->nq[h->nq_head % SCMI_NOTIFY_QUEUE_LEN];
		if (h->nq_head == h->nq_tail || !slot->ready) {
			os_spin_unlock(&h->nlock);
			return;
		}
		os_spin_unlock(&h->nlock);
		if (!slot->bad)
			scmi_notify_dispatch(h, slot);
		os_spin_lock(&h->nlock);
		slot->ready = false;
		h->nq_head++;
		os_spin_unlock(&h->nlock);
	}
}

int scmi_notify_register(struct scmi_handle *h, uint8_t proto, uint8_t evt_id,
			 int32_t src_id, scmi_notify_cb cb, void *priv)
{
	struct scmi_notify_reg *r, **pp;

	if (!h || !cb || src_id < SCMI_NOTIFY_SRC_ANY)
		return -EINVAL;
	os_mutex_lock(&h->reg_lock);
	for (r = h->regs; r; r = r->next) {
		if (r->proto == proto && r->evt == evt_id && r->src == src_id &&
		    r->cb == cb && r->priv == priv) {
			os_mutex_unlock(&h->reg_lock);
			return -EEXIST;
		}
	}
	r = os_zalloc(sizeof(*r));
	if (!r) {
		os_mutex_unlock(&h->reg_lock);
		return -ENOMEM;
	}
	r->proto = proto;
	r->evt = evt_id;
	r->src = src_id;
	r->cb = cb;
	r->priv = priv;
	/* Append: callbacks run in registration order. */
	for (pp = &h->regs; *pp; pp = &(*pp)->next)
		;
	*pp = r;
	os_mutex_unlock(&h->reg_lock);
	return 0;
}

int scmi_notify_unregister(struct scmi_handle *h, uint8_t proto, uint8_t evt_id,
			   int32_t src_id, scmi_notify_cb cb, void *priv)
{
	int ret = -ENOENT;

	if (!h)
		return -EINVAL;
	os_mutex_lock(&h->reg_lock);
	for (struct scmi_notify_reg **pp = &h->regs; *pp; pp = &(*pp)->next) {
		struct scmi_notify_reg *r = *pp;

		if (r->proto == proto && r->evt == evt_id && r->src == src_id &&
		    r->cb == cb && r->priv == priv) {
			*pp = r->next;
			os_free(r);
			ret = 0;
			break;
		}
	}
	os_mutex_unlock(&h->reg_lock);
	return ret;
}

void scmi_notify_flush(struct scmi_handle *h)
{
	if (!h)
		return;
	for (;;) {
		bool empty;

		os_work_flush(&h->nwork);
		os_spin_lock(&h->nlock);
		empty = h->nq_head == h->nq_tail;
		os_spin_unlock(&h->nlock);
		if (empty)
			return;
		/* A slot is still being filled; its producer queues the work. */
		os_work_queue(&h->nwork);
		os_cpu_relax();
		os_poll_hook();
	}
}
