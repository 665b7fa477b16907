// SPDX-License-Identifier: MIT
/*
 * Server side of the SCMI Reset domain (0x16) and Voltage domain (0x17)
 * protocols. A reset line is asserted while any connection holds it
 * asserted; an autonomous reset is a full cycle that every other subscribed
 * agent sees as RESET_ISSUED. A voltage domain is on while any connection
 * wants it on; its level follows the last successful request.
 */
#include "scmi/server/srv.h"

/* ---- reset ----------------------------------------------------------------- */

static int32_t reset_attributes(struct srv_msg *m)
{
	srv_out32(m, SCMI_FIELD_PREP(SCMI_RESET_ATTR_NUM_DOMAINS, m->a->slot->n[SRV_RESET]));
	return SCMI_SUCCESS;
}

static int32_t reset_domain_attributes(struct srv_msg *m)
{
	const struct srv_reset_def *d;
	uint32_t attr = SCMI_RESET_DOM_NOTIFY;
	unsigned g;

	SRV_LOOKUP(m, SRV_RESET, srv_in32(m, 0), SRV_ACC_RO, g);
	d = SRV_DEF(m->s->cfg, SRV_RESET, struct srv_reset_def, g);
	if (d->c.async && srv_can_defer(m->s))
		attr |= SCMI_RESET_DOM_ASYNC;
	if (srv_ext_name(d->c.name))
		attr |= SCMI_RESET_DOM_EXT_NAME;
	srv_out32(m, attr);
	srv_out32(m, d->reset_latency_us);
	srv_out_name(m, d->c.name, SCMI_SHORT_NAME_LEN);
	return SCMI_SUCCESS;
}

/* Apply a reset request; p_flags as in the command. */
static void reset_apply(struct scmi_srv *s, struct scmi_srv_agent *a, unsigned g, uint32_t flags)
{
	struct srv_vote *v = srv_vote(a, SRV_RESET, g);
	uint32_t w[3];

	if (flags & SCMI_RESET_AUTONOMOUS) {
		w[2] = 0;
		srv_notify(s, SCMI_PROTO_RESET, SCMI_RESET_EVT_ISSUED, SRV_RESET, g, a, w, 3);
		return;
	}
	v->on = flags & SCMI_RESET_EXPLICIT_ASSERT;
	srv_reset_refresh(s, g, a);
}

static void reset_complete(struct scmi_srv *s, struct scmi_srv_agent *a, struct srv_pending *p)
{
	uint32_t w[2];

	reset_apply(s, a, p->gidx, (uint32_t)p->arg);
	if (!p->send_dresp)
		return;
	w[0] = SCMI_SUCCESS;
	w[1] = p->arg2;
	srv_send_p2a(s, a, SCMI_PROTO_RESET, SCMI_RESET_RESET, SCMI_MSG_TYPE_DELAYED_RESP, p->token,
		     w, 2);
}

static int32_t reset_reset(struct srv_msg *m)
{
	uint32_t id = srv_in32(m, 0), flags = srv_in32(m, 1), state = srv_in32(m, 2);
	const struct srv_reset_def *d;
	unsigned g;

	if (flags & ~(SCMI_RESET_ASYNC | SCMI_RESET_EXPLICIT_ASSERT | SCMI_RESET_AUTONOMOUS))
		return SCMI_INVALID_PARAMETERS;
	SRV_LOOKUP(m, SRV_RESET, id, SRV_ACC_RW, g);
	if (state & SCMI_RESET_STATE_IMPL)
		return SCMI_NOT_SUPPORTED;	/* only the architectural cold reset */
	if (state)
		return SCMI_INVALID_PARAMETERS;
	d = SRV_DEF(m->s->cfg, SRV_RESET, struct srv_reset_def, g);
	if (flags & SCMI_RESET_ASYNC) {
		if (!d->c.async)
			return SCMI_NOT_SUPPORTED;
		return srv_defer_async(m, SRV_RESET, g, srv_latency(m->s, &d->c), true, flags, id,
				       reset_complete);
	}
	if (srv_st(m->s, SRV_RESET, g)->busy)
		return SCMI_BUSY;
	reset_apply(m->s, m->a, g, flags);
	return SCMI_SUCCESS;
}

static int32_t reset_notify(struct srv_msg *m)
{
	return srv_subscribe(m, SRV_RESET, SCMI_RESET_EVT_ISSUED);
}

static int32_t reset_name_get(struct srv_msg *m)
{
	return srv_name_get(m, SRV_RESET);
}

static const srv_handler_fn reset_handler[] = {
	[SCMI_MSG_PROTOCOL_VERSION] = srv_common_version,
	[SCMI_MSG_PROTOCOL_ATTRIBUTES] = reset_attributes,
	[SCMI_MSG_PROTOCOL_MESSAGE_ATTRIBUTES] = srv_common_msg_attributes,
	[SCMI_RESET_DOMAIN_ATTRIBUTES] = reset_domain_attributes,
	[SCMI_RESET_RESET] = reset_reset,
	[SCMI_RESET_NOTIFY] = reset_notify,
	[SCMI_RESET_DOMAIN_NAME_GET] = reset_name_get,
	[SCMI_MSG_NEGOTIATE_PROTOCOL_VERSION] = srv_common_negotiate,
};

static const uint16_t reset_size[] = {
	[SCMI_MSG_PROTOCOL_VERSION] = 0,
	[SCMI_MSG_PROTOCOL_ATTRIBUTES] = 0,
	[SCMI_MSG_PROTOCOL_MESSAGE_ATTRIBUTES] = sizeof(struct scmi_protocol_message_attributes_a2p),
	[SCMI_RESET_DOMAIN_ATTRIBUTES] = sizeof(struct scmi_reset_domain_attributes_a2p),
	[SCMI_RESET_RESET] = sizeof(struct scmi_reset_reset_a2p),
	[SCMI_RESET_NOTIFY] = sizeof(struct scmi_reset_notify_a2p),
	[SCMI_RESET_DOMAIN_NAME_GET] = sizeof(struct scmi_name_get_a2p),
	[SCMI_MSG_NEGOTIATE_PROTOCOL_VERSION] = sizeof(struct scmi_negotiate_protocol_version_a2p),
};
SRV_PROTO_TABLES(reset_handler, reset_size);

const struct srv_proto srv_proto_reset = {
	.id = SCMI_PROTO_RESET,
	.version = SCMI_RESET_VERSION_V3_2,
	.rtype = SRV_RESET,
	.handler = reset_handler,
	.size = reset_size,
	.n_msg = OS_ARRAY_SIZE(reset_handler),
};

/* ---- voltage --------------------------------------------------------------- */

static const struct srv_voltage_def *volt_def(struct scmi_srv *s, unsigned g)
{
	return SRV_DEF(s->cfg, SRV_VOLTAGE, struct srv_voltage_def, g);
}

static int32_t volt_attributes(struct srv_msg *m)
{
	srv_out32(m, SCMI_FIELD_PREP(SCMI_VOLTAGE_ATTR_NUM_DOMAINS, m->a->slot->n[SRV_VOLTAGE]));
	return SCMI_SUCCESS;
}

static int32_t volt_domain_attributes(struct srv_msg *m)
{
	const struct srv_voltage_def *d;
	uint32_t attr = 0;
	unsigned g;

	SRV_LOOKUP(m, SRV_VOLTAGE, srv_in32(m, 0), SRV_ACC_RO, g);
	d = volt_def(m->s, g);
	if (d->c.async && srv_can_defer(m->s))
		attr |= SCMI_VOLTAGE_DOM_ASYNC;
	if (srv_ext_name(d->c.name))
		attr |= SCMI_VOLTAGE_DOM_EXT_NAME;
	srv_out32(m, attr);
	srv_out_name(m, d->c.name, SCMI_SHORT_NAME_LEN);
	return SCMI_SUCCESS;
}

static int32_t volt_describe_levels(struct srv_msg *m)
{
	uint32_t idx = srv_in32(m, 1), n;
	const struct srv_voltage_def *d;
	unsigned g;

	SRV_LOOKUP(m, SRV_VOLTAGE, srv_in32(m, 0), SRV_ACC_RO, g);
	d = volt_def(m->s, g);
	if (idx >= (d->range ? 1u : d->n_level))
		return SCMI_OUT_OF_RANGE;
	if (d->range) {
		srv_out32(m, SCMI_VOLTAGE_LEVELS_FORMAT_RANGE |
				     SCMI_FIELD_PREP(SCMI_VOLTAGE_LEVELS_RETURNED, 3));
		for (int i = 0; i < 3; i++)
			srv_out32(m, (uint32_t)d->level[i]);
		return SCMI_SUCCESS;
	}
	n = (uint32_t)OS_MIN(d->n_level - idx, (srv_room(m) >= 4 ? srv_room(m) - 4 : 0) / 4);
	srv_out32(m, SCMI_FIELD_PREP(SCMI_VOLTAGE_LEVELS_REMAINING, d->n_level - idx - n) |
			     SCMI_FIELD_PREP(SCMI_VOLTAGE_LEVELS_RETURNED, n));
	for (uint32_t i = idx; i < idx + n; i++)
		srv_out32(m, (uint32_t)d->level[i]);
	return SCMI_SUCCESS;
}

static int32_t volt_config_set(struct srv_msg *m)
{
	uint32_t cfg = srv_in32(m, 1);
	struct srv_vote *v;
	unsigned g;

	if (cfg & ~SCMI_VOLTAGE_CFG_MODE)
		return SCMI_INVALID_PARAMETERS;
	SRV_LOOKUP(m, SRV_VOLTAGE, srv_in32(m, 0), SRV_ACC_RW, g);
	if (cfg & SCMI_VOLTAGE_CFG_IMPL)
		return SCMI_NOT_SUPPORTED;	/* no implementation-defined modes */
	if (cfg != SCMI_VOLTAGE_CFG_OFF && cfg != SCMI_VOLTAGE_CFG_ON)
		return SCMI_INVALID_PARAMETERS;
	v = srv_vote(m->a, SRV_VOLTAGE, g);
	v->on = cfg == SCMI_VOLTAGE_CFG_ON;
	v->has_value = true;	/* an explicit off is a request too */
	srv_voltage_refresh(m->s, g, m->a);
	return SCMI_SUCCESS;
}

static int32_t volt_config_get(struct srv_msg *m)
{
	unsigned g;

	SRV_LOOKUP(m, SRV_VOLTAGE, srv_in32(m, 0), SRV_ACC_RO, g);
	srv_out32(m, srv_st(m->s, SRV_VOLTAGE, g)->on ? SCMI_VOLTAGE_CFG_ON : SCMI_VOLTAGE_CFG_OFF);
	return SCMI_SUCCESS;
}

static bool volt_valid(const struct srv_voltage_def *d, int32_t uv)
{
	if (d->range)
		return uv >= d->level[0] && uv <= d->level[1] &&
		       ((int64_t)uv - d->level[0]) % d->level[2] == 0;
	for (unsigned i = 0; i < d->n_level; i++)
		if (d->level[i] == uv)
			return true;
	return false;
}

static void volt_complete(struct scmi_srv *s, struct scmi_srv_agent *a, struct srv_pending *p)
{
	uint32_t w[3];

	srv_st(s, SRV_VOLTAGE, p->gidx)->volt = (int32_t)(uint32_t)p->arg;
	if (!p->send_dresp)
		return;
	w[0] = SCMI_SUCCESS;
	w[1] = p->arg2;
	w[2] = (uint32_t)p->arg;
	srv_send_p2a(s, a, SCMI_PROTO_VOLTAGE, SCMI_VOLTAGE_LEVEL_SET, SCMI_MSG_TYPE_DELAYED_RESP,
		     p->token, w, 3);
}

static int32_t volt_level_set(struct srv_msg *m)
{
	uint32_t id = srv_in32(m, 0), flags = srv_in32(m, 1);
	int32_t uv = (int32_t)srv_in32(m, 2);
	const struct srv_voltage_def *d;
	unsigned g;

	if (flags & ~SCMI_VOLTAGE_SET_ASYNC)
		return SCMI_INVALID_PARAMETERS;
	SRV_LOOKUP(m, SRV_VOLTAGE, id, SRV_ACC_RW, g);
	d = volt_def(m->s, g);
	if (!volt_valid(d, uv))
		return SCMI_OUT_OF_RANGE;
	if (flags & SCMI_VOLTAGE_SET_ASYNC) {
		if (!d->c.async)
			return SCMI_NOT_SUPPORTED;
		return srv_defer_async(m, SRV_VOLTAGE, g, srv_latency(m->s, &d->c), true,
				       (uint32_t)uv, id, volt_complete);
	}
	if (srv_st(m->s, SRV_VOLTAGE, g)->busy)
		return SCMI_BUSY;
	srv_st(m->s, SRV_VOLTAGE, g)->volt = uv;
	return SCMI_SUCCESS;
}

static int32_t volt_level_get(struct srv_msg *m)
{
	unsigned g;

	SRV_LOOKUP(m, SRV_VOLTAGE, srv_in32(m, 0), SRV_ACC_RO, g);
	srv_out32(m, (uint32_t)srv_st(m->s, SRV_VOLTAGE, g)->volt);
	return SCMI_SUCCESS;
}

static int32_t volt_name_get(struct srv_msg *m)
{
	return srv_name_get(m, SRV_VOLTAGE);
}

static const srv_handler_fn volt_handler[] = {
	[SCMI_MSG_PROTOCOL_VERSION] = srv_common_version,
	[SCMI_MSG_PROTOCOL_ATTRIBUTES] = volt_attributes,
	[SCMI_MSG_PROTOCOL_MESSAGE_ATTRIBUTES] = srv_common_msg_attributes,
	[SCMI_VOLTAGE_DOMAIN_ATTRIBUTES] = volt_domain_attributes,
	[SCMI_VOLTAGE_DESCRIBE_LEVELS] = volt_describe_levels,
	[SCMI_VOLTAGE_CONFIG_SET] = volt_config_set,
	[SCMI_VOLTAGE_CONFIG_GET] = volt_config_get,
	[SCMI_VOLTAGE_LEVEL_SET] = volt_level_set,
	[SCMI_VOLTAGE_LEVEL_GET] = volt_level_get,
	[SCMI_VOLTAGE_DOMAIN_NAME_GET] = volt_name_get,
	[SCMI_MSG_NEGOTIATE_PROTOCOL_VERSION] = srv_common_negotiate,
};

static const uint16_t volt_size[] = {
	[SCMI_MSG_PROTOCOL_VERSION] = 0,
	[SCMI_MSG_PROTOCOL_ATTRIBUTES] = 0,
	[SCMI_MSG_PROTOCOL_MESSAGE_ATTRIBUTES] = sizeof(struct scmi_protocol_message_attributes_a2p),
	[SCMI_VOLTAGE_DOMAIN_ATTRIBUTES] = sizeof(struct scmi_voltage_domain_a2p),
	[SCMI_VOLTAGE_DESCRIBE_LEVELS] = sizeof(struct scmi_voltage_describe_levels_a2p),
	[SCMI_VOLTAGE_CONFIG_SET] = sizeof(struct scmi_voltage_config_set_a2p),
	[SCMI_VOLTAGE_CONFIG_GET] = sizeof(struct scmi_voltage_domain_a2p),
	[SCMI_VOLTAGE_LEVEL_SET] = sizeof(struct scmi_voltage_level_set_a2p),
	[SCMI_VOLTAGE_LEVEL_GET] = sizeof(struct scmi_voltage_domain_a2p),
	[SCMI_VOLTAGE_DOMAIN_NAME_GET] = sizeof(struct scmi_name_get_a2p),
	[SCMI_MSG_NEGOTIATE_PROTOCOL_VERSION] = sizeof(struct scmi_negotiate_protocol_version_a2p),
};
SRV_PROTO_TABLES(volt_handler, volt_size);

const struct srv_proto srv_proto_voltage = {
	.id = SCMI_PROTO_VOLTAGE,
	.version = SCMI_VOLTAGE_VERSION_V3_2,
	.rtype = SRV_VOLTAGE,
	.handler = volt_handler,
	.size = volt_size,
	.n_msg = OS_ARRAY_SIZE(volt_handler),
};
