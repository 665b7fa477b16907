// SPDX-License-Identifier: MIT
/*
 * Server side of the SCMI Base protocol (0x10): discovery, agents and the
 * permission commands. Only the config's trusted agent may change
 * permissions or reset another agent's configuration, and it may only take
 * away (and give back) what the config granted: no command can give an
 * agent a resource the config did not assign to it.
 */
#include "scmi/server/srv.h"

static int32_t base_attributes(struct srv_msg *m)
{
	uint8_t ids[16];
	size_t np = srv_visible_protocols(m->a, ids, sizeof(ids));
	/* other guests are not revealed: an untrusted agent counts only itself */
	uint32_t na = srv_trusted(m->a) ? m->s->cfg->n_agent : 1;

	srv_out32(m, SCMI_FIELD_PREP(SCMI_BASE_ATTR_NUM_AGENTS, na) |
			     SCMI_FIELD_PREP(SCMI_BASE_ATTR_NUM_PROTOCOLS, np));
	return SCMI_SUCCESS;
}

static int32_t base_vendor(struct srv_msg *m)
{
	srv_out_name(m, m->s->cfg->vendor, SCMI_SHORT_NAME_LEN);
	return SCMI_SUCCESS;
}

static int32_t base_sub_vendor(struct srv_msg *m)
{
	srv_out_name(m, m->s->cfg->sub_vendor, SCMI_SHORT_NAME_LEN);
	return SCMI_SUCCESS;
}

static int32_t base_impl_version(struct srv_msg *m)
{
	srv_out32(m, m->s->cfg->impl_version);
	return SCMI_SUCCESS;
}

static int32_t base_list_protocols(struct srv_msg *m)
{
	uint8_t ids[16];
	size_t np = srv_visible_protocols(m->a, ids, sizeof(ids));
	uint32_t skip = srv_in32(m, 0), n;

	if (skip > np)
		return SCMI_INVALID_PARAMETERS;
	n = (uint32_t)OS_MIN(np - skip, (srv_room(m) >= 4 ? srv_room(m) - 4 : 0) & ~(size_t)3);
	srv_out32(m, n);
	for (uint32_t i = 0; i < n; i += 4) {
		uint32_t w = 0;

		for (uint32_t j = 0; j < 4 && i + j < n; j++)
			w |= (uint32_t)ids[skip + i + j] << (8 * j);
		srv_out32(m, w);
	}
	return SCMI_SUCCESS;
}

static int32_t base_discover_agent(struct srv_msg *m)
{
	uint32_t id = srv_in32(m, 0);
	struct srv_slot *sl;

	if (id == SCMI_BASE_AGENT_ID_SELF)
		id = srv_agent_id(m->a);
	if (id == SCMI_BASE_AGENT_ID_PLATFORM) {
		srv_out32(m, 0);
		srv_out_name(m, "platform", SCMI_SHORT_NAME_LEN);
		return SCMI_SUCCESS;
	}
	sl = srv_slot_by_id(m->s, id);
	/* an untrusted agent learns only of itself */
	if (!sl || (id != srv_agent_id(m->a) && !srv_trusted(m->a)))
		return SCMI_NOT_FOUND;
	srv_out32(m, id);
	srv_out_name(m, sl->def->name, SCMI_SHORT_NAME_LEN);
	return SCMI_SUCCESS;
}

static int32_t base_notify_errors(struct srv_msg *m)
{
	uint32_t en = srv_in32(m, 0);

	if (en & ~SCMI_BASE_NOTIFY_ERRORS_ENABLE)
		return SCMI_INVALID_PARAMETERS;
	m->a->notify_errors = en != 0;
	return SCMI_SUCCESS;
}

/* The protocol that controls resources of @t. */
static uint8_t base_rtype_proto(enum srv_rtype t)
{
	static const uint8_t p[SRV_RTYPE_COUNT] = {
		[SRV_POWER] = SCMI_PROTO_POWER, [SRV_PERF] = SCMI_PROTO_PERF,
		[SRV_CLOCK] = SCMI_PROTO_CLOCK, [SRV_SENSOR] = SCMI_PROTO_SENSOR,
		[SRV_RESET] = SCMI_PROTO_RESET, [SRV_VOLTAGE] = SCMI_PROTO_VOLTAGE,
		[SRV_POWERCAP] = SCMI_PROTO_POWERCAP, [SRV_PIN] = SCMI_PROTO_PINCTRL,
		[SRV_GROUP] = SCMI_PROTO_PINCTRL, [SRV_FUNCTION] = SCMI_PROTO_PINCTRL,
		[SRV_SYSTEM] = SCMI_PROTO_SYSTEM,
	};

	return p[t];
}

/*
 * Set or clear @bit on every resource of device @dev (only those of
 * protocol @proto when non-zero) that agent slot @sl was granted.
 */
static void base_apply(struct scmi_srv *s, struct srv_slot *sl, unsigned dev, uint8_t proto,
		       uint8_t bit, bool allow)
{
	const struct srv_device_def *d = &s->cfg->device[dev];

	for (unsigned i = 0; i < d->n_res; i++) {
		enum srv_rtype t = (enum srv_rtype)d->res[i].type;
		int32_t l = sl->g2l[t][d->res[i].idx];

		if (l < 0 || (proto && base_rtype_proto(t) != proto))
			continue;
		if (allow)
			sl->deny[t][l] &= (uint8_t)~bit;
		else
			sl->deny[t][l] |= bit;
	}
	srv_permissions_changed(s, sl);
}

/* Common checks of the permission commands: caller, agent, device, flags. */
static int32_t base_perm_target(struct srv_msg *m, uint32_t agent, uint32_t dev, uint32_t flags,
				struct srv_slot **sl)
{
	if (!srv_trusted(m->a))
		return SCMI_DENIED;
	*sl = srv_slot_by_id(m->s, agent);
	if (!*sl || dev >= m->s->cfg->n_device)
		return SCMI_NOT_FOUND;
	if (flags & ~SCMI_BASE_PERM_ALLOW)
		return SCMI_INVALID_PARAMETERS;
	return SCMI_SUCCESS;
}

static int32_t base_set_device_permissions(struct srv_msg *m)
{
	uint32_t agent = srv_in32(m, 0), dev = srv_in32(m, 1), flags = srv_in32(m, 2);
	struct srv_slot *sl;
	int32_t st = base_perm_target(m, agent, dev, flags, &sl);

	if (st)
		return st;
	base_apply(m->s, sl, dev, 0, SRV_DENY_DEVICE, flags & SCMI_BASE_PERM_ALLOW);
	return SCMI_SUCCESS;
}

static int32_t base_set_protocol_permissions(struct srv_msg *m)
{
	uint32_t agent = srv_in32(m, 0), dev = srv_in32(m, 1), cmd = srv_in32(m, 2);
	uint32_t flags = srv_in32(m, 3);
	uint8_t proto = (uint8_t)SCMI_FIELD_GET(SCMI_BASE_PERM_PROTOCOL_ID, cmd);
	struct srv_slot *sl;
	int32_t st = base_perm_target(m, agent, dev, flags, &sl);

	if (st)
		return st;
	if (cmd & ~SCMI_BASE_PERM_PROTOCOL_ID || proto == SCMI_PROTO_BASE)
		return SCMI_INVALID_PARAMETERS;
	if (proto < SCMI_PROTO_POWER || proto > SCMI_PROTO_PINCTRL)
		return SCMI_NOT_SUPPORTED;
	base_apply(m->s, sl, dev, proto, SRV_DENY_PROTOCOL, flags & SCMI_BASE_PERM_ALLOW);
	return SCMI_SUCCESS;
}

static int32_t base_reset_agent_configuration(struct srv_msg *m)
{
	uint32_t agent = srv_in32(m, 0), flags = srv_in32(m, 1);
	struct srv_slot *sl;

	if (!srv_trusted(m->a))
		return SCMI_DENIED;
	sl = srv_slot_by_id(m->s, agent);
	if (!sl)
		return SCMI_NOT_FOUND;
	if (flags & ~SCMI_BASE_RESET_PERMISSIONS)
		return SCMI_INVALID_PARAMETERS;
	if (flags & SCMI_BASE_RESET_PERMISSIONS)
		for (int t = 0; t < SRV_RTYPE_COUNT; t++)
			memset(sl->deny[t], 0, sl->n[t]);
	/* every connection of that agent loses its requests and subscriptions */
	for (struct scmi_srv_agent *a = m->s->conns; a; a = a->next)
		if (a->slot == sl)
			srv_withdraw_votes(m->s, a, true);
	return SCMI_SUCCESS;
}

static const srv_handler_fn base_handler[] = {
	[SCMI_MSG_PROTOCOL_VERSION] = srv_common_version,
	[SCMI_MSG_PROTOCOL_ATTRIBUTES] = base_attributes,
	[SCMI_MSG_PROTOCOL_MESSAGE_ATTRIBUTES] = srv_common_msg_attributes,
	[SCMI_BASE_DISCOVER_VENDOR] = base_vendor,
	[SCMI_BASE_DISCOVER_SUB_VENDOR] = base_sub_vendor,
	[SCMI_BASE_DISCOVER_IMPLEMENTATION_VERSION] = base_impl_version,
	[SCMI_BASE_DISCOVER_LIST_PROTOCOLS] = base_list_protocols,
	[SCMI_BASE_DISCOVER_AGENT] = base_discover_agent,
	[SCMI_BASE_NOTIFY_ERRORS] = base_notify_errors,
	[SCMI_BASE_SET_DEVICE_PERMISSIONS] = base_set_device_permissions,
	[SCMI_BASE_SET_PROTOCOL_PERMISSIONS] = base_set_protocol_permissions,
	[SCMI_BASE_RESET_AGENT_CONFIGURATION] = base_reset_agent_configuration,
	[SCMI_MSG_NEGOTIATE_PROTOCOL_VERSION] = srv_common_negotiate,
};

static const uint16_t base_size[] = {
	[SCMI_MSG_PROTOCOL_VERSION] = 0,
	[SCMI_MSG_PROTOCOL_ATTRIBUTES] = 0,
	[SCMI_MSG_PROTOCOL_MESSAGE_ATTRIBUTES] = sizeof(struct scmi_protocol_message_attributes_a2p),
	[SCMI_BASE_DISCOVER_VENDOR] = 0,
	[SCMI_BASE_DISCOVER_SUB_VENDOR] = 0,
	[SCMI_BASE_DISCOVER_IMPLEMENTATION_VERSION] = 0,
	[SCMI_BASE_DISCOVER_LIST_PROTOCOLS] = sizeof(struct scmi_base_discover_list_protocols_a2p),
	[SCMI_BASE_DISCOVER_AGENT] = sizeof(struct scmi_base_discover_agent_a2p),
	[SCMI_BASE_NOTIFY_ERRORS] = sizeof(struct scmi_base_notify_errors_a2p),
	[SCMI_BASE_SET_DEVICE_PERMISSIONS] = sizeof(struct scmi_base_set_device_permissions_a2p),
	[SCMI_BASE_SET_PROTOCOL_PERMISSIONS] = sizeof(struct scmi_base_set_protocol_permissions_a2p),
	[SCMI_BASE_RESET_AGENT_CONFIGURATION] = sizeof(struct scmi_base_reset_agent_configuration_a2p),
	[SCMI_MSG_NEGOTIATE_PROTOCOL_VERSION] = sizeof(struct scmi_negotiate_protocol_version_a2p),
};
SRV_PROTO_TABLES(base_handler, base_size);

const struct srv_proto srv_proto_base = {
	.id = SCMI_PROTO_BASE,
	.version = SCMI_BASE_VERSION_V3_2,
	.rtype = SRV_RTYPE_COUNT,
	.handler = base_handler,
	.size = base_size,
	.n_msg = OS_ARRAY_SIZE(base_handler),
};
