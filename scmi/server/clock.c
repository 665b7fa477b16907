// SPDX-License-Identifier: MIT
/*
 * Server side of the SCMI Clock protocol (0x14). A clock is enabled while
 * any connection has it enabled (reference counted through the votes); its
 * rate and parent follow the last successful request. Asynchronous rate
 * changes complete after the clock's latency with CLOCK_RATE_SET_COMPLETE.
 * Parents an agent cannot see are left out of its parent list.
 */
#include "scmi/server/srv.h"

static const struct srv_clock_def *clock_def(struct scmi_srv *s, unsigned g)
{
	return SRV_DEF(s->cfg, SRV_CLOCK, struct srv_clock_def, g);
}

static int32_t clock_attributes(struct srv_msg *m)
{
	srv_out32(m, SCMI_FIELD_PREP(SCMI_CLOCK_ATTR_MAX_PENDING, SRV_MAX_PENDING) |
			     SCMI_FIELD_PREP(SCMI_CLOCK_ATTR_NUM_CLOCKS, m->a->slot->n[SRV_CLOCK]));
	return SCMI_SUCCESS;
}

static int32_t clock_clock_attributes(struct srv_msg *m)
{
	const struct srv_clock_def *d;
	uint32_t attr = SCMI_CLOCK_RATE_CHANGED_NOTIFY | SCMI_CLOCK_RATE_CHANGE_REQ_NOTIFY |
			SCMI_CLOCK_GET_PERMISSIONS_SUPPORT;
	unsigned g;

	SRV_LOOKUP(m, SRV_CLOCK, srv_in32(m, 0), SRV_ACC_RO, g);
	d = clock_def(m->s, g);
	if (srv_ext_name(d->c.name))
		attr |= SCMI_CLOCK_EXT_NAME;
	if (d->n_parent)
		attr |= SCMI_CLOCK_PARENT_SUPPORT;
	if (srv_st(m->s, SRV_CLOCK, g)->on)
		attr |= SCMI_CLOCK_ENABLED;
	srv_out32(m, attr);
	srv_out_name(m, d->c.name, SCMI_SHORT_NAME_LEN);
	srv_out32(m, d->enable_delay_us);
	return SCMI_SUCCESS;
}

static int32_t clock_describe_rates(struct srv_msg *m)
{
	uint32_t idx = srv_in32(m, 1), n;
	const struct srv_clock_def *d;
	unsigned g;

	SRV_LOOKUP(m, SRV_CLOCK, srv_in32(m, 0), SRV_ACC_RO, g);
	d = clock_def(m->s, g);
	if (d->range) {
		if (idx)
			return SCMI_OUT_OF_RANGE;
		srv_out32(m, SCMI_CLOCK_RATES_FORMAT_RANGE | SCMI_FIELD_PREP(SCMI_CLOCK_RATES_RETURNED, 3));
		for (int i = 0; i < 3; i++)
			srv_out64(m, d->rate[i]);
		return SCMI_SUCCESS;
	}
	if (idx >= d->n_rate)
		return SCMI_OUT_OF_RANGE;
	n = (uint32_t)OS_MIN(d->n_rate - idx, (srv_room(m) >= 4 ? srv_room(m) - 4 : 0) / 8);
	srv_out32(m, SCMI_FIELD_PREP(SCMI_CLOCK_RATES_REMAINING, d->n_rate - idx - n) |
			     SCMI_FIELD_PREP(SCMI_CLOCK_RATES_RETURNED, n));
	for (uint32_t i = idx; i < idx + n; i++)
		srv_out64(m, d->rate[i]);
	return SCMI_SUCCESS;
}

/* Set the rate, notify CLOCK_RATE_CHANGED if it changed. */
static void clock_apply_rate(struct scmi_srv *s, struct scmi_srv_agent *a, unsigned g, uint64_t rate)
{
	struct srv_state *st = srv_st(s, SRV_CLOCK, g);
	uint32_t w[4];

	if (st->rate == rate)
		return;
	st->rate = rate;
	w[2] = (uint32_t)rate;
	w[3] = (uint32_t)(rate >> 32);
	srv_notify(s, SCMI_PROTO_CLOCK, SCMI_CLOCK_EVT_RATE_CHANGED, SRV_CLOCK, g, a, w, 4);
}

static void clock_rate_complete(struct scmi_srv *s, struct scmi_srv_agent *a, struct srv_pending *p)
{
	uint32_t w[4];

	clock_apply_rate(s, a, p->gidx, p->arg);
	if (!p->send_dresp)
		return;
	w[0] = SCMI_SUCCESS;
	w[1] = p->arg2;		/* the agent's own clock id */
	w[2] = (uint32_t)p->arg;
	w[3] = (uint32_t)(p->arg >> 32);
	srv_send_p2a(s, a, SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_SET, SCMI_MSG_TYPE_DELAYED_RESP,
		     p->token, w, 4);
}

static int32_t clock_rate_set(struct srv_msg *m)
{
	uint32_t flags = srv_in32(m, 0), id = srv_in32(m, 1);
	uint64_t req = (uint64_t)srv_in32(m, 3) << 32 | srv_in32(m, 2), rate;
	const struct srv_clock_def *d;
	uint32_t w[4];
	unsigned g;

	if (flags & ~(SCMI_CLOCK_SET_ASYNC | SCMI_CLOCK_SET_IGNORE_DRESP | SCMI_CLOCK_SET_ROUND_UP |
		      SCMI_CLOCK_SET_ROUND_AUTO))
		return SCMI_INVALID_PARAMETERS;
	SRV_LOOKUP(m, SRV_CLOCK, id, SRV_ACC_RW, g);
	d = clock_def(m->s, g);
	if (!srv_clock_round(d, req, flags, &rate))
		return SCMI_OUT_OF_RANGE;
	if ((flags & SCMI_CLOCK_SET_ASYNC) && !d->c.async)
		return SCMI_NOT_SUPPORTED;
	if (srv_st(m->s, SRV_CLOCK, g)->busy)
		return SCMI_BUSY;
	w[2] = (uint32_t)rate;
	w[3] = (uint32_t)(rate >> 32);
	srv_notify(m->s, SCMI_PROTO_CLOCK, SCMI_CLOCK_EVT_RATE_CHANGE_REQUESTED, SRV_CLOCK, g, m->a,
		   w, 4);
	if (flags & SCMI_CLOCK_SET_ASYNC)
		return srv_defer_async(m, SRV_CLOCK, g, srv_latency(m->s, &d->c),
				       !(flags & SCMI_CLOCK_SET_IGNORE_DRESP), rate, id,
				       clock_rate_complete);
	clock_apply_rate(m->s, m->a, g, rate);
	return SCMI_SUCCESS;
}

static int32_t clock_rate_get(struct srv_msg *m)
{
	unsigned g;

	SRV_LOOKUP(m, SRV_CLOCK, srv_in32(m, 0), SRV_ACC_RO, g);
	srv_out64(m, srv_st(m->s, SRV_CLOCK, g)->rate);
	return SCMI_SUCCESS;
}

static int32_t clock_config_set(struct srv_msg *m)
{
	uint32_t attr = srv_in32(m, 1), state = SCMI_FIELD_GET(SCMI_CLOCK_CFG_STATE, attr);
	struct srv_vote *v;
	unsigned g;

	if (attr & ~(SCMI_CLOCK_CFG_STATE | SCMI_CLOCK_CFG_OEM_TYPE) || state == 2)
		return SCMI_INVALID_PARAMETERS;
	SRV_LOOKUP(m, SRV_CLOCK, srv_in32(m, 0), SRV_ACC_RW, g);
	if (SCMI_FIELD_GET(SCMI_CLOCK_CFG_OEM_TYPE, attr))
		return SCMI_NOT_SUPPORTED;	/* no OEM specific configuration */
	if (state == SCMI_CLOCK_CFG_UNCHANGED)
		return SCMI_SUCCESS;
	v = srv_vote(m->a, SRV_CLOCK, g);
	v->has_value = true;
	v->on = state == SCMI_CLOCK_CFG_ENABLE;
	srv_clock_refresh(m->s, g, m->a);
	return SCMI_SUCCESS;
}

static int32_t clock_name_get(struct srv_msg *m)
{
	return srv_name_get(m, SRV_CLOCK);
}

static int32_t clock_rate_notify(struct srv_msg *m)
{
	return srv_subscribe(m, SRV_CLOCK, SCMI_CLOCK_EVT_RATE_CHANGED);
}

static int32_t clock_rate_change_requested_notify(struct srv_msg *m)
{
	return srv_subscribe(m, SRV_CLOCK, SCMI_CLOCK_EVT_RATE_CHANGE_REQUESTED);
}

static int32_t clock_config_get(struct srv_msg *m)
{
	uint32_t flags = srv_in32(m, 1);
	unsigned g;

	if (flags & ~SCMI_CLOCK_CFG_GET_OEM_TYPE)
		return SCMI_INVALID_PARAMETERS;
	SRV_LOOKUP(m, SRV_CLOCK, srv_in32(m, 0), SRV_ACC_RO, g);
	if (flags)
		return SCMI_NOT_SUPPORTED;
	srv_out32(m, 0);
	srv_out32(m, srv_st(m->s, SRV_CLOCK, g)->on ? SCMI_CLOCK_CONFIG_ENABLED : 0);
	srv_out32(m, 0);
	return SCMI_SUCCESS;
}

static int32_t clock_possible_parents_get(struct srv_msg *m)
{
	uint32_t skip = srv_in32(m, 1), vis[SRV_MAX_PARENTS], nv = 0, n;
	const struct srv_clock_def *d;
	unsigned g;

	SRV_LOOKUP(m, SRV_CLOCK, srv_in32(m, 0), SRV_ACC_RO, g);
	d = clock_def(m->s, g);
	if (!d->n_parent)
		return SCMI_NOT_SUPPORTED;
	for (unsigned i = 0; i < d->n_parent; i++) {
		int32_t l = m->a->slot->g2l[SRV_CLOCK][d->parent[i]];

		if (l >= 0)
			vis[nv++] = (uint32_t)l;
	}
	if (skip > nv)
		return SCMI_OUT_OF_RANGE;
	n = (uint32_t)OS_MIN(nv - skip, (srv_room(m) >= 4 ? srv_room(m) - 4 : 0) / 4);
	srv_out32(m, SCMI_FIELD_PREP(SCMI_CLOCK_PARENTS_REMAINING, nv - skip - n) |
			     SCMI_FIELD_PREP(SCMI_CLOCK_PARENTS_RETURNED, n));
	for (uint32_t i = skip; i < skip + n; i++)
		srv_out32(m, vis[i]);
	return SCMI_SUCCESS;
}

static int32_t clock_parent_set(struct srv_msg *m)
{
	const struct srv_clock_def *d;
	struct srv_state *st;
	unsigned g, pg;

	SRV_LOOKUP(m, SRV_CLOCK, srv_in32(m, 0), SRV_ACC_RW, g);
	d = clock_def(m->s, g);
	if (!d->n_parent)
		return SCMI_NOT_SUPPORTED;
	SRV_LOOKUP(m, SRV_CLOCK, srv_in32(m, 1), SRV_ACC_RO, pg);
	st = srv_st(m->s, SRV_CLOCK, g);
	for (unsigned i = 0; i < d->n_parent; i++) {
		if (d->parent[i] == pg) {
			st->parent = (uint16_t)i;
			st->has_parent = true;
			return SCMI_SUCCESS;
		}
	}
	return SCMI_INVALID_PARAMETERS;	/* not one of its possible parents */
}

static int32_t clock_parent_get(struct srv_msg *m)
{
	const struct srv_clock_def *d;
	const struct srv_state *st;
	unsigned g;
	int32_t l;

	SRV_LOOKUP(m, SRV_CLOCK, srv_in32(m, 0), SRV_ACC_RO, g);
	d = clock_def(m->s, g);
	st = srv_st(m->s, SRV_CLOCK, g);
	if (!d->n_parent || !st->has_parent)
		return SCMI_NOT_SUPPORTED;
	l = m->a->slot->g2l[SRV_CLOCK][d->parent[st->parent]];
	if (l < 0)
		return SCMI_DENIED;	/* its parent is not visible to this agent */
	srv_out32(m, (uint32_t)l);
	return SCMI_SUCCESS;
}

static int32_t clock_get_permissions(struct srv_msg *m)
{
	unsigned g;

	SRV_LOOKUP(m, SRV_CLOCK, srv_in32(m, 0), SRV_ACC_RO, g);
	if (srv_access_of(m->a, SRV_CLOCK, g) == SRV_ACC_RW)
		srv_out32(m, SCMI_CLOCK_PERM_STATE | SCMI_CLOCK_PERM_RATE |
				     (clock_def(m->s, g)->n_parent ? SCMI_CLOCK_PERM_PARENT : 0));
	else
		srv_out32(m, 0);
	return SCMI_SUCCESS;
}

static const srv_handler_fn clock_handler[] = {
	[SCMI_MSG_PROTOCOL_VERSION] = srv_common_version,
	[SCMI_MSG_PROTOCOL_ATTRIBUTES] = clock_attributes,
	[SCMI_MSG_PROTOCOL_MESSAGE_ATTRIBUTES] = srv_common_msg_attributes,
	[SCMI_CLOCK_ATTRIBUTES] = clock_clock_attributes,
	[SCMI_CLOCK_DESCRIBE_RATES] = clock_describe_rates,
	[SCMI_CLOCK_RATE_SET] = clock_rate_set,
	[SCMI_CLOCK_RATE_GET] = clock_rate_get,
	[SCMI_CLOCK_CONFIG_SET] = clock_config_set,
	[SCMI_CLOCK_NAME_GET] = clock_name_get,
	[SCMI_CLOCK_RATE_NOTIFY] = clock_rate_notify,
	[SCMI_CLOCK_RATE_CHANGE_REQUESTED_NOTIFY] = clock_rate_change_requested_notify,
	[SCMI_CLOCK_CONFIG_GET] = clock_config_get,
	[SCMI_CLOCK_POSSIBLE_PARENTS_GET] = clock_possible_parents_get,
	[SCMI_CLOCK_PARENT_SET] = clock_parent_set,
	[SCMI_CLOCK_PARENT_GET] = clock_parent_get,
	[SCMI_CLOCK_GET_PERMISSIONS] = clock_get_permissions,
	[SCMI_MSG_NEGOTIATE_PROTOCOL_VERSION] = srv_common_negotiate,
};

static const uint16_t clock_size[] = {
	[SCMI_MSG_PROTOCOL_VERSION] = 0,
	[SCMI_MSG_PROTOCOL_ATTRIBUTES] = 0,
	[SCMI_MSG_PROTOCOL_MESSAGE_ATTRIBUTES] = sizeof(struct scmi_protocol_message_attributes_a2p),
	[SCMI_CLOCK_ATTRIBUTES] = sizeof(struct scmi_clock_id_a2p),
	[SCMI_CLOCK_DESCRIBE_RATES] = sizeof(struct scmi_clock_describe_rates_a2p),
	[SCMI_CLOCK_RATE_SET] = sizeof(struct scmi_clock_rate_set_a2p),
	[SCMI_CLOCK_RATE_GET] = sizeof(struct scmi_clock_id_a2p),
	[SCMI_CLOCK_CONFIG_SET] = sizeof(struct scmi_clock_config_set_a2p),
	[SCMI_CLOCK_NAME_GET] = sizeof(struct scmi_name_get_a2p),
	[SCMI_CLOCK_RATE_NOTIFY] = sizeof(struct scmi_clock_notify_a2p),
	[SCMI_CLOCK_RATE_CHANGE_REQUESTED_NOTIFY] = sizeof(struct scmi_clock_notify_a2p),
	[SCMI_CLOCK_CONFIG_GET] = sizeof(struct scmi_clock_config_get_a2p),
	[SCMI_CLOCK_POSSIBLE_PARENTS_GET] = sizeof(struct scmi_clock_possible_parents_get_a2p),
	[SCMI_CLOCK_PARENT_SET] = sizeof(struct scmi_clock_parent_set_a2p),
	[SCMI_CLOCK_PARENT_GET] = sizeof(struct scmi_clock_id_a2p),
	[SCMI_CLOCK_GET_PERMISSIONS] = sizeof(struct scmi_clock_id_a2p),
	[SCMI_MSG_NEGOTIATE_PROTOCOL_VERSION] = sizeof(struct scmi_negotiate_protocol_version_a2p),
};
SRV_PROTO_TABLES(clock_handler, clock_size);

const struct srv_proto srv_proto_clock = {
	.id = SCMI_PROTO_CLOCK,
	.version = SCMI_CLOCK_VERSION_V3_2,
	.rtype = SRV_CLOCK,
	.handler = clock_handler,
	.size = clock_size,
	.n_msg = OS_ARRAY_SIZE(clock_handler),
};
