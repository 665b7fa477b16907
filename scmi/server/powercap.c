// SPDX-License-Identifier: MIT
/*
 * Server side of the SCMI Power capping and monitoring protocol (0x18,
 * v2.0). The effective cap is the lowest one any connection asked for
 * (power cap 0 withdraws the request); the averaging interval (PAI) follows
 * the last request. The measured power comes from the domain's source,
 * never above the cap. Fast channels are refused (no shared memory).
 */
#include "scmi/server/srv.h"

static const struct srv_powercap_def *pcap_def(struct scmi_srv *s, unsigned g)
{
	return SRV_DEF(s->cfg, SRV_POWERCAP, struct srv_powercap_def, g);
}

static int32_t pcap_attributes(struct srv_msg *m)
{
	srv_out32(m, SCMI_FIELD_PREP(SCMI_POWERCAP_ATTR_NUM_DOMAINS, m->a->slot->n[SRV_POWERCAP]));
	return SCMI_SUCCESS;
}

static int32_t pcap_domain_attributes(struct srv_msg *m)
{
	const struct srv_powercap_def *d;
	bool rw;
	uint32_t attr = SCMI_POWERCAP_DOM_CAP_CHANGE_NOTIFY | SCMI_POWERCAP_DOM_MEASUREMENTS_NOTIFY |
			SCMI_POWERCAP_DOM_MONITORING;
	unsigned g;

	SRV_LOOKUP(m, SRV_POWERCAP, srv_in32(m, 0), SRV_ACC_RO, g);
	d = pcap_def(m->s, g);
	rw = srv_access_of(m->a, SRV_POWERCAP, g) == SRV_ACC_RW;
	if (d->c.async && srv_can_defer(m->s))
		attr |= SCMI_POWERCAP_DOM_ASYNC_CAP_SET;
	if (srv_ext_name(d->c.name))
		attr |= SCMI_POWERCAP_DOM_EXT_NAME;
	if (d->cap_config && rw)
		attr |= SCMI_POWERCAP_DOM_CAP_CONFIG;
	if (d->pai_config && rw)
		attr |= SCMI_POWERCAP_DOM_PAI_CONFIG;
	if (d->unit == SRV_UNIT_MW)
		attr |= SCMI_POWERCAP_DOM_UNIT_MW;
	else if (d->unit == SRV_UNIT_UW)
		attr |= SCMI_POWERCAP_DOM_UNIT_UW;
	srv_out32(m, attr);
	srv_out_name(m, d->c.name, SCMI_SHORT_NAME_LEN);
	srv_out32(m, d->min_pai);
	srv_out32(m, d->max_pai);
	srv_out32(m, d->pai_step);
	srv_out32(m, d->min_cap);
	srv_out32(m, d->max_cap);
	srv_out32(m, d->cap_step);
	srv_out32(m, d->sustainable);
	srv_out32(m, 0);	/* accuracy: not reported */
	srv_out32(m, SCMI_POWERCAP_NO_PARENT);
	return SCMI_SUCCESS;
}

static int32_t pcap_cap_get(struct srv_msg *m)
{
	unsigned g;

	SRV_LOOKUP(m, SRV_POWERCAP, srv_in32(m, 0), SRV_ACC_RO, g);
	srv_out32(m, srv_st(m->s, SRV_POWERCAP, g)->level);
	return SCMI_SUCCESS;
}

static void pcap_apply(struct scmi_srv *s, struct scmi_srv_agent *a, unsigned g, uint32_t cap)
{
	struct srv_vote *v = srv_vote(a, SRV_POWERCAP, g);

	v->has_value = cap != 0;
	v->value = cap;
	srv_powercap_refresh(s, g, a);
}

static void pcap_complete(struct scmi_srv *s, struct scmi_srv_agent *a, struct srv_pending *p)
{
	uint32_t w[3];

	pcap_apply(s, a, p->gidx, (uint32_t)p->arg);
	if (!p->send_dresp)
		return;
	w[0] = SCMI_SUCCESS;
	w[1] = p->arg2;
	w[2] = srv_st(s, SRV_POWERCAP, p->gidx)->level;
	srv_send_p2a(s, a, SCMI_PROTO_POWERCAP, SCMI_POWERCAP_CAP_SET, SCMI_MSG_TYPE_DELAYED_RESP,
		     p->token, w, 3);
}

static int32_t pcap_cap_set(struct srv_msg *m)
{
	uint32_t id = srv_in32(m, 0), flags = srv_in32(m, 1), cap = srv_in32(m, 2);
	const struct srv_powercap_def *d;
	unsigned g;

	if (flags & ~(SCMI_POWERCAP_SET_ASYNC | SCMI_POWERCAP_SET_IGNORE_DRESP))
		return SCMI_INVALID_PARAMETERS;
	SRV_LOOKUP(m, SRV_POWERCAP, id, SRV_ACC_RW, g);
	d = pcap_def(m->s, g);
	if (!d->cap_config)
		return SCMI_NOT_SUPPORTED;
	if (cap && (cap < d->min_cap || cap > d->max_cap || (cap - d->min_cap) % d->cap_step))
		return SCMI_OUT_OF_RANGE;
	if (flags & SCMI_POWERCAP_SET_ASYNC) {
		if (!d->c.async)
			return SCMI_NOT_SUPPORTED;
		return srv_defer_async(m, SRV_POWERCAP, g, srv_latency(m->s, &d->c),
				       !(flags & SCMI_POWERCAP_SET_IGNORE_DRESP), cap, id, pcap_complete);
	}
	if (srv_st(m->s, SRV_POWERCAP, g)->busy)
		return SCMI_BUSY;
	pcap_apply(m->s, m->a, g, cap);
	return SCMI_SUCCESS;
}

static int32_t pcap_pai_get(struct srv_msg *m)
{
	unsigned g;

	SRV_LOOKUP(m, SRV_POWERCAP, srv_in32(m, 0), SRV_ACC_RO, g);
	srv_out32(m, srv_st(m->s, SRV_POWERCAP, g)->pai);
	return SCMI_SUCCESS;
}

static int32_t pcap_pai_set(struct srv_msg *m)
{
	uint32_t pai = srv_in32(m, 2), w[4];
	const struct srv_powercap_def *d;
	struct srv_state *st;
	unsigned g;

	if (srv_in32(m, 1))
		return SCMI_INVALID_PARAMETERS;
	SRV_LOOKUP(m, SRV_POWERCAP, srv_in32(m, 0), SRV_ACC_RW, g);
	d = pcap_def(m->s, g);
	if (!d->pai_config)
		return SCMI_NOT_SUPPORTED;
	if (pai < d->min_pai || pai > d->max_pai || (pai - d->min_pai) % d->pai_step)
		return SCMI_OUT_OF_RANGE;
	st = srv_st(m->s, SRV_POWERCAP, g);
	if (st->pai != pai) {
		st->pai = pai;
		w[2] = st->level;
		w[3] = pai;
		srv_notify(m->s, SCMI_PROTO_POWERCAP, SCMI_POWERCAP_EVT_CAP_CHANGED, SRV_POWERCAP, g,
			   m->a, w, 4);
	}
	return SCMI_SUCCESS;
}

static int32_t pcap_name_get(struct srv_msg *m)
{
	return srv_name_get(m, SRV_POWERCAP);
}

static int32_t pcap_measurements_get(struct srv_msg *m)
{
	uint32_t p;
	unsigned g;

	SRV_LOOKUP(m, SRV_POWERCAP, srv_in32(m, 0), SRV_ACC_RO, g);
	if (srv_powercap_measure(m->s, g, &p))
		return SCMI_HARDWARE_ERROR;
	srv_out32(m, p);
	srv_out32(m, srv_st(m->s, SRV_POWERCAP, g)->pai);
	return SCMI_SUCCESS;
}

static int32_t pcap_cap_notify(struct srv_msg *m)
{
	return srv_subscribe(m, SRV_POWERCAP, SCMI_POWERCAP_EVT_CAP_CHANGED);
}

static int32_t pcap_measurements_notify(struct srv_msg *m)
{
	uint32_t lo = srv_in32(m, 2), hi = srv_in32(m, 3);
	struct srv_vote *v;
	int32_t st;
	unsigned g;

	if (lo > hi)
		return SCMI_INVALID_PARAMETERS;
	st = srv_subscribe(m, SRV_POWERCAP, SCMI_POWERCAP_EVT_MEASUREMENTS_CHANGED);
	if (st)
		return st;
	SRV_LOOKUP(m, SRV_POWERCAP, srv_in32(m, 0), SRV_ACC_RO, g);
	v = srv_vote(m->a, SRV_POWERCAP, g);
	v->pcap_lo = lo;
	v->pcap_hi = hi;
	v->pcap_last = UINT32_MAX;
	return SCMI_SUCCESS;
}

static int32_t pcap_describe_fastchannel(struct srv_msg *m)
{
	unsigned g;

	SRV_LOOKUP(m, SRV_POWERCAP, srv_in32(m, 0), SRV_ACC_RO, g);
	return SCMI_NOT_SUPPORTED;
}

static const srv_handler_fn pcap_handler[] = {
	[SCMI_MSG_PROTOCOL_VERSION] = srv_common_version,
	[SCMI_MSG_PROTOCOL_ATTRIBUTES] = pcap_attributes,
	[SCMI_MSG_PROTOCOL_MESSAGE_ATTRIBUTES] = srv_common_msg_attributes,
	[SCMI_POWERCAP_DOMAIN_ATTRIBUTES] = pcap_domain_attributes,
	[SCMI_POWERCAP_CAP_GET] = pcap_cap_get,
	[SCMI_POWERCAP_CAP_SET] = pcap_cap_set,
	[SCMI_POWERCAP_PAI_GET] = pcap_pai_get,
	[SCMI_POWERCAP_PAI_SET] = pcap_pai_set,
	[SCMI_POWERCAP_DOMAIN_NAME_GET] = pcap_name_get,
	[SCMI_POWERCAP_MEASUREMENTS_GET] = pcap_measurements_get,
	[SCMI_POWERCAP_CAP_NOTIFY] = pcap_cap_notify,
	[SCMI_POWERCAP_MEASUREMENTS_NOTIFY] = pcap_measurements_notify,
	[SCMI_POWERCAP_DESCRIBE_FASTCHANNEL] = pcap_describe_fastchannel,
	[SCMI_MSG_NEGOTIATE_PROTOCOL_VERSION] = srv_common_negotiate,
};

static const uint16_t pcap_size[] = {
	[SCMI_MSG_PROTOCOL_VERSION] = 0,
	[SCMI_MSG_PROTOCOL_ATTRIBUTES] = 0,
	[SCMI_MSG_PROTOCOL_MESSAGE_ATTRIBUTES] = sizeof(struct scmi_protocol_message_attributes_a2p),
	[SCMI_POWERCAP_DOMAIN_ATTRIBUTES] = sizeof(struct scmi_powercap_domain_a2p),
	[SCMI_POWERCAP_CAP_GET] = sizeof(struct scmi_powercap_domain_a2p),
	[SCMI_POWERCAP_CAP_SET] = sizeof(struct scmi_powercap_cap_set_a2p),
	[SCMI_POWERCAP_PAI_GET] = sizeof(struct scmi_powercap_domain_a2p),
	[SCMI_POWERCAP_PAI_SET] = sizeof(struct scmi_powercap_pai_set_a2p),
	[SCMI_POWERCAP_DOMAIN_NAME_GET] = sizeof(struct scmi_name_get_a2p),
	[SCMI_POWERCAP_MEASUREMENTS_GET] = sizeof(struct scmi_powercap_domain_a2p),
	[SCMI_POWERCAP_CAP_NOTIFY] = sizeof(struct scmi_powercap_cap_notify_a2p),
	[SCMI_POWERCAP_MEASUREMENTS_NOTIFY] = sizeof(struct scmi_powercap_measurements_notify_a2p),
	[SCMI_POWERCAP_DESCRIBE_FASTCHANNEL] = sizeof(struct scmi_powercap_describe_fastchannel_a2p),
	[SCMI_MSG_NEGOTIATE_PROTOCOL_VERSION] = sizeof(struct scmi_negotiate_protocol_version_a2p),
};
SRV_PROTO_TABLES(pcap_handler, pcap_size);

const struct srv_proto srv_proto_powercap = {
	.id = SCMI_PROTO_POWERCAP,
	.version = SCMI_POWERCAP_VERSION_V3_2,
	.rtype = SRV_POWERCAP,
	.handler = pcap_handler,
	.size = pcap_size,
	.n_msg = OS_ARRAY_SIZE(pcap_handler),
};
