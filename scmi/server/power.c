// SPDX-License-Identifier: MIT
/*
 * Server side of the SCMI Power domain (0x11) and System power (0x12)
 * protocols. Power domains are on while any connection asks for on (see
 * model.c); an asynchronous POWER_STATE_SET has no delayed response, it
 * completes after the domain's latency and is observed through
 * POWER_STATE_CHANGED. SYSTEM_POWER_STATE_SET needs the "system" grant with
 * rw access; the daemon acts on it through ops->system_power and every other
 * agent subscribed is told with SYSTEM_POWER_STATE_NOTIFIER.
 */
#include "scmi/server/srv.h"

static int32_t power_attributes(struct srv_msg *m)
{
	srv_out32(m, SCMI_FIELD_PREP(SCMI_POWER_ATTR_NUM_DOMAINS, m->a->slot->n[SRV_POWER]));
	srv_out32(m, 0);	/* no statistics shared memory on virtio */
	srv_out32(m, 0);
	srv_out32(m, 0);
	return SCMI_SUCCESS;
}

static int32_t power_domain_attributes(struct srv_msg *m)
{
	const struct srv_power_def *d;
	unsigned g;
	uint32_t attr = SCMI_POWER_DOM_STATE_CHANGE_NOTIFY | SCMI_POWER_DOM_SYNC |
			SCMI_POWER_DOM_STATE_CHANGE_REQ_NOTIFY;

	SRV_LOOKUP(m, SRV_POWER, srv_in32(m, 0), SRV_ACC_RO, g);
	d = SRV_DEF(m->s->cfg, SRV_POWER, struct srv_power_def, g);
	if (d->c.async && srv_can_defer(m->s))
		attr |= SCMI_POWER_DOM_ASYNC;
	if (srv_ext_name(d->c.name))
		attr |= SCMI_POWER_DOM_EXT_NAME;
	srv_out32(m, attr);
	srv_out_name(m, d->c.name, SCMI_SHORT_NAME_LEN);
	return SCMI_SUCCESS;
}

static void power_apply(struct scmi_srv *s, struct scmi_srv_agent *a, unsigned g, bool on)
{
	struct srv_vote *v = srv_vote(a, SRV_POWER, g);

	v->has_value = true;
	v->on = on;
	srv_power_refresh(s, g, a);
}

static void power_complete(struct scmi_srv *s, struct scmi_srv_agent *a, struct srv_pending *p)
{
	power_apply(s, a, p->gidx, p->arg != 0);
}

static int32_t power_state_set(struct srv_msg *m)
{
	uint32_t flags = srv_in32(m, 0), state = srv_in32(m, 2);
	const struct srv_power_def *d;
	uint32_t w[3];
	unsigned g;

	if (flags & ~SCMI_POWER_SET_ASYNC)
		return SCMI_INVALID_PARAMETERS;
	SRV_LOOKUP(m, SRV_POWER, srv_in32(m, 1), SRV_ACC_RW, g);
	if (state != SCMI_POWER_STATE_ON && state != SCMI_POWER_STATE_OFF)
		return SCMI_INVALID_PARAMETERS;
	d = SRV_DEF(m->s->cfg, SRV_POWER, struct srv_power_def, g);
	if ((flags & SCMI_POWER_SET_ASYNC) && !d->c.async)
		return SCMI_NOT_SUPPORTED;
	if (srv_st(m->s, SRV_POWER, g)->busy)
		return SCMI_BUSY;
	w[2] = state;
	srv_notify(m->s, SCMI_PROTO_POWER, SCMI_POWER_EVT_STATE_CHANGE_REQUESTED, SRV_POWER, g, m->a,
		   w, 3);
	if (flags & SCMI_POWER_SET_ASYNC)
		return srv_defer_async(m, SRV_POWER, g, srv_latency(m->s, &d->c), false,
				       state == SCMI_POWER_STATE_ON, 0, power_complete);
	power_apply(m->s, m->a, g, state == SCMI_POWER_STATE_ON);
	return SCMI_SUCCESS;
}

static int32_t power_state_get(struct srv_msg *m)
{
	unsigned g;

	SRV_LOOKUP(m, SRV_POWER, srv_in32(m, 0), SRV_ACC_RO, g);
	srv_out32(m, srv_st(m->s, SRV_POWER, g)->on ? SCMI_POWER_STATE_ON : SCMI_POWER_STATE_OFF);
	return SCMI_SUCCESS;
}

static int32_t power_state_notify(struct srv_msg *m)
{
	return srv_subscribe(m, SRV_POWER, SCMI_POWER_EVT_STATE_CHANGED);
}

static int32_t power_change_requested_notify(struct srv_msg *m)
{
	return srv_subscribe(m, SRV_POWER, SCMI_POWER_EVT_STATE_CHANGE_REQUESTED);
}

static int32_t power_name_get(struct srv_msg *m)
{
	return srv_name_get(m, SRV_POWER);
}

static const srv_handler_fn power_handler[] = {
	[SCMI_MSG_PROTOCOL_VERSION] = srv_common_version,
	[SCMI_MSG_PROTOCOL_ATTRIBUTES] = power_attributes,
	[SCMI_MSG_PROTOCOL_MESSAGE_ATTRIBUTES] = srv_common_msg_attributes,
	[SCMI_POWER_DOMAIN_ATTRIBUTES] = power_domain_attributes,
	[SCMI_POWER_STATE_SET] = power_state_set,
	[SCMI_POWER_STATE_GET] = power_state_get,
	[SCMI_POWER_STATE_NOTIFY] = power_state_notify,
	[SCMI_POWER_STATE_CHANGE_REQUESTED_NOTIFY] = power_change_requested_notify,
	[SCMI_POWER_DOMAIN_NAME_GET] = power_name_get,
	[SCMI_MSG_NEGOTIATE_PROTOCOL_VERSION] = srv_common_negotiate,
};

static const uint16_t power_size[] = {
	[SCMI_MSG_PROTOCOL_VERSION] = 0,
	[SCMI_MSG_PROTOCOL_ATTRIBUTES] = 0,
	[SCMI_MSG_PROTOCOL_MESSAGE_ATTRIBUTES] = sizeof(struct scmi_protocol_message_attributes_a2p),
	[SCMI_POWER_DOMAIN_ATTRIBUTES] = sizeof(struct scmi_power_domain_attributes_a2p),
	[SCMI_POWER_STATE_SET] = sizeof(struct scmi_power_state_set_a2p),
	[SCMI_POWER_STATE_GET] = sizeof(struct scmi_power_state_get_a2p),
	[SCMI_POWER_STATE_NOTIFY] = sizeof(struct scmi_power_state_notify_a2p),
	[SCMI_POWER_STATE_CHANGE_REQUESTED_NOTIFY] = sizeof(struct scmi_power_state_notify_a2p),
	[SCMI_POWER_DOMAIN_NAME_GET] = sizeof(struct scmi_name_get_a2p),
	[SCMI_MSG_NEGOTIATE_PROTOCOL_VERSION] = sizeof(struct scmi_negotiate_protocol_version_a2p),
};
SRV_PROTO_TABLES(power_handler, power_size);

const struct srv_proto srv_proto_power = {
	.id = SCMI_PROTO_POWER,
	.version = SCMI_POWER_VERSION_V3_2,
	.rtype = SRV_POWER,
	.handler = power_handler,
	.size = power_size,
	.n_msg = OS_ARRAY_SIZE(power_handler),
};

/* ---- system power ---------------------------------------------------------- */

static int32_t system_attributes(struct srv_msg *m)
{
	srv_out32(m, SCMI_SYSTEM_ATTR_WARM_RESET | SCMI_SYSTEM_ATTR_SUSPEND);
	return SCMI_SUCCESS;
}

static int32_t system_state_set(struct srv_msg *m)
{
	uint32_t flags = srv_in32(m, 0), state = srv_in32(m, 1);
	struct scmi_srv *s = m->s;
	uint32_t w[4];
	unsigned g;

	if (flags & ~SCMI_SYSTEM_SET_GRACEFUL)
		return SCMI_INVALID_PARAMETERS;
	SRV_LOOKUP(m, SRV_SYSTEM, 0, SRV_ACC_RW, g);
	if (state >= SCMI_SYSTEM_VENDOR_FIRST)
		return SCMI_NOT_SUPPORTED;
	if (state != SCMI_SYSTEM_SHUTDOWN && state != SCMI_SYSTEM_COLD_RESET &&
	    state != SCMI_SYSTEM_WARM_RESET && state != SCMI_SYSTEM_SUSPEND)
		return SCMI_INVALID_PARAMETERS;
	if (s->ops->system_power && s->ops->system_power(s->ctx, m->a, flags, state) < 0)
		return SCMI_HARDWARE_ERROR;
	s->system_state = state;
	w[1] = flags & SCMI_SYSTEM_SET_GRACEFUL;
	w[2] = state;
	w[3] = 0;	/* no timeout: agents may take the time they need */
	for (struct scmi_srv_agent *a = s->conns; a; a = a->next) {
		if (a == m->a || srv_access_of(a, SRV_SYSTEM, g) == SRV_ACC_NONE ||
		    !(srv_vote(a, SRV_SYSTEM, g)->notify & 1u))
			continue;
		w[0] = srv_trusted(a) ? srv_agent_id(m->a) : 0;
		srv_send_p2a(s, a, SCMI_PROTO_SYSTEM, SCMI_SYSTEM_EVT_POWER_STATE_NOTIFIER,
			     SCMI_MSG_TYPE_NOTIFICATION, 0, w, 4);
	}
	return SCMI_SUCCESS;
}

static int32_t system_state_get(struct srv_msg *m)
{
	unsigned g;

	SRV_LOOKUP(m, SRV_SYSTEM, 0, SRV_ACC_RO, g);
	srv_out32(m, m->s->system_state);
	return SCMI_SUCCESS;
}

static int32_t system_state_notify(struct srv_msg *m)
{
	uint32_t en = srv_in32(m, 0);
	unsigned g;

	if (en & ~SCMI_NOTIFY_ENABLE)
		return SCMI_INVALID_PARAMETERS;
	SRV_LOOKUP(m, SRV_SYSTEM, 0, SRV_ACC_RO, g);
	srv_vote(m->a, SRV_SYSTEM, g)->notify = (uint8_t)en;
	return SCMI_SUCCESS;
}

static const srv_handler_fn system_handler[] = {
	[SCMI_MSG_PROTOCOL_VERSION] = srv_common_version,
	[SCMI_MSG_PROTOCOL_ATTRIBUTES] = system_attributes,
	[SCMI_MSG_PROTOCOL_MESSAGE_ATTRIBUTES] = srv_common_msg_attributes,
	[SCMI_SYSTEM_POWER_STATE_SET] = system_state_set,
	[SCMI_SYSTEM_POWER_STATE_GET] = system_state_get,
	[SCMI_SYSTEM_POWER_STATE_NOTIFY] = system_state_notify,
	[SCMI_MSG_NEGOTIATE_PROTOCOL_VERSION] = srv_common_negotiate,
};

static const uint16_t system_size[] = {
	[SCMI_MSG_PROTOCOL_VERSION] = 0,
	[SCMI_MSG_PROTOCOL_ATTRIBUTES] = 0,
	[SCMI_MSG_PROTOCOL_MESSAGE_ATTRIBUTES] = sizeof(struct scmi_protocol_message_attributes_a2p),
	[SCMI_SYSTEM_POWER_STATE_SET] = sizeof(struct scmi_system_power_state_set_a2p),
	[SCMI_SYSTEM_POWER_STATE_GET] = 0,
	[SCMI_SYSTEM_POWER_STATE_NOTIFY] = sizeof(struct scmi_system_power_state_notify_a2p),
	[SCMI_MSG_NEGOTIATE_PROTOCOL_VERSION] = sizeof(struct scmi_negotiate_protocol_version_a2p),
};
SRV_PROTO_TABLES(system_handler, system_size);

const struct srv_proto srv_proto_system = {
	.id = SCMI_PROTO_SYSTEM,
	.version = SCMI_SYSTEM_VERSION_V3_2,
	.rtype = SRV_SYSTEM,
	.handler = system_handler,
	.size = system_size,
	.n_msg = OS_ARRAY_SIZE(system_handler),
};
