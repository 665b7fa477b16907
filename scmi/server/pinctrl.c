// SPDX-License-Identifier: MIT
/*
 * Server side of the SCMI Pin control protocol (0x19, v1.0). Pins, groups
 * and functions each have their own id space per agent. A connection may
 * request a pin or group for itself (a group takes its pins with it); while
 * one holds it, others get IN_USE on request and DENIED on configuration.
 * Settings of a group apply to each of its pins. The trusted agent may
 * revoke (and give back) another agent's access to a pin or group.
 */
#include "scmi/server/srv.h"

static enum srv_rtype pin_rtype(uint32_t sel)
{
	return sel == SCMI_PINCTRL_SEL_PIN ? SRV_PIN :
	       sel == SCMI_PINCTRL_SEL_GROUP ? SRV_GROUP : SRV_FUNCTION;
}

static const struct srv_group_def *group_def(struct scmi_srv *s, unsigned g)
{
	return SRV_DEF(s->cfg, SRV_GROUP, struct srv_group_def, g);
}

static const struct srv_function_def *func_def(struct scmi_srv *s, unsigned g)
{
	return SRV_DEF(s->cfg, SRV_FUNCTION, struct srv_function_def, g);
}

static int32_t pinctrl_attributes(struct srv_msg *m)
{
	const struct srv_slot *sl = m->a->slot;

	srv_out32(m, SCMI_FIELD_PREP(SCMI_PINCTRL_ATTR_NUM_GROUPS, sl->n[SRV_GROUP]) |
			     SCMI_FIELD_PREP(SCMI_PINCTRL_ATTR_NUM_PINS, sl->n[SRV_PIN]));
	srv_out32(m, SCMI_FIELD_PREP(SCMI_PINCTRL_ATTR_NUM_FUNCTIONS, sl->n[SRV_FUNCTION]));
	return SCMI_SUCCESS;
}

static int32_t pinctrl_elem_attributes(struct srv_msg *m)
{
	uint32_t flags = srv_in32(m, 1), sel = SCMI_FIELD_GET(SCMI_PINCTRL_FLAGS_SELECTOR, flags);
	uint32_t attr = 0, n = 0;
	enum srv_rtype t;
	const char *name;
	unsigned g;

	if (flags & ~SCMI_PINCTRL_FLAGS_SELECTOR || sel > SCMI_PINCTRL_SEL_FUNCTION)
		return SCMI_INVALID_PARAMETERS;
	t = pin_rtype(sel);
	SRV_LOOKUP(m, t, srv_in32(m, 0), SRV_ACC_RO, g);
	name = srv_def(m->s->cfg, t, g)->name;
	if (t == SRV_GROUP)
		n = group_def(m->s, g)->n_pin;
	else if (t == SRV_FUNCTION)
		n = func_def(m->s, g)->n_group;
	if (srv_ext_name(name))
		attr |= SCMI_PINCTRL_EXT_NAME;
	srv_out32(m, attr | SCMI_FIELD_PREP(SCMI_PINCTRL_NUM_ELEMS, n));
	srv_out_name(m, name, SCMI_SHORT_NAME_LEN);
	return SCMI_SUCCESS;
}

static int32_t pinctrl_list_associations(struct srv_msg *m)
{
	uint32_t flags = srv_in32(m, 1), idx = srv_in32(m, 2), sel, total, n;
	const uint16_t *elems;
	enum srv_rtype et;
	unsigned g;

	sel = SCMI_FIELD_GET(SCMI_PINCTRL_FLAGS_SELECTOR, flags);
	if (flags & ~SCMI_PINCTRL_FLAGS_SELECTOR ||
	    (sel != SCMI_PINCTRL_SEL_GROUP && sel != SCMI_PINCTRL_SEL_FUNCTION))
		return SCMI_INVALID_PARAMETERS;
	SRV_LOOKUP(m, pin_rtype(sel), srv_in32(m, 0), SRV_ACC_RO, g);
	if (sel == SCMI_PINCTRL_SEL_GROUP) {
		elems = group_def(m->s, g)->pin;
		total = group_def(m->s, g)->n_pin;
		et = SRV_PIN;
	} else {
		elems = func_def(m->s, g)->group;
		total = func_def(m->s, g)->n_group;
		et = SRV_GROUP;
	}
	if (idx >= total)
		return SCMI_OUT_OF_RANGE;
	n = (uint32_t)OS_MIN(total - idx, ((srv_room(m) >= 4 ? srv_room(m) - 4 : 0) / 4) * 2);
	srv_out32(m, SCMI_FIELD_PREP(SCMI_PINCTRL_ASSOC_REMAINING, total - idx - n) |
			     SCMI_FIELD_PREP(SCMI_PINCTRL_ASSOC_RETURNED, n));
	/* granting a group or function grants what it contains: all visible */
	for (uint32_t i = 0; i < n; i += 2) {
		uint32_t lo = (uint32_t)m->a->slot->g2l[et][elems[idx + i]] & 0xffff, hi = 0;

		if (i + 1 < n)
			hi = (uint32_t)m->a->slot->g2l[et][elems[idx + i + 1]] & 0xffff;
		srv_out32(m, lo | hi << 16);
	}
	return SCMI_SUCCESS;
}

static int32_t pin_function_local(struct srv_msg *m, int16_t f)
{
	return f < 0 ? -1 : m->a->slot->g2l[SRV_FUNCTION][f];
}

static int32_t pinctrl_settings_get(struct srv_msg *m)
{
	uint32_t attr = srv_in32(m, 1);
	uint32_t flag = SCMI_FIELD_GET(SCMI_PINCTRL_GET_CONFIG_FLAG, attr);
	uint32_t sel = SCMI_FIELD_GET(SCMI_PINCTRL_GET_SELECTOR, attr);
	uint32_t skip = SCMI_FIELD_GET(SCMI_PINCTRL_GET_SKIP, attr);
	uint32_t type = SCMI_FIELD_GET(SCMI_PINCTRL_GET_CONFIG_TYPE, attr);
	const struct srv_state *st;
	int32_t fl;
	unsigned g;

	if (attr & SCMI_GENMASK(31, 20) || flag == 3 || sel > SCMI_PINCTRL_SEL_GROUP)
		return SCMI_INVALID_PARAMETERS;
	SRV_LOOKUP(m, pin_rtype(sel), srv_in32(m, 0), SRV_ACC_RO, g);
	st = srv_st(m->s, pin_rtype(sel), g);
	fl = pin_function_local(m, st->function);
	srv_out32(m, fl < 0 ? SCMI_PINCTRL_NO_FUNCTION : (uint32_t)fl);
	if (flag == SCMI_PINCTRL_GET_FUNCTION) {
		srv_out32(m, 0);
		return SCMI_SUCCESS;
	}
	if (flag == SCMI_PINCTRL_GET_ONE) {
		if (type >= SCMI_PINCTRL_CFG_OEM_FIRST)
			return SCMI_NOT_SUPPORTED;
		if (type >= SRV_PIN_CFG_TYPES)
			return SCMI_INVALID_PARAMETERS;
		srv_out32(m, SCMI_FIELD_PREP(SCMI_PINCTRL_CONFIGS_RETURNED, 1));
		srv_out32(m, type);
		srv_out32(m, st->pin_cfg[type]);
		return SCMI_SUCCESS;
	}
	/* every configured type, from @skip on */
	uint32_t total = 0, n = 0, room = (uint32_t)((srv_room(m) >= 4 ? srv_room(m) - 4 : 0) / 8);
	size_t at = m->out_len;

	for (uint32_t t = 0; t < SRV_PIN_CFG_TYPES; t++)
		total += (st->pin_cfg_set >> t) & 1;
	if (skip > total)
		return SCMI_OUT_OF_RANGE;
	srv_out32(m, 0);
	for (uint32_t t = 0, seen = 0; t < SRV_PIN_CFG_TYPES && n < room; t++) {
		if (!((st->pin_cfg_set >> t) & 1) || seen++ < skip)
			continue;
		srv_out32(m, t);
		srv_out32(m, st->pin_cfg[t]);
		n++;
	}
	scmi_put_le32(m->out + at, SCMI_FIELD_PREP(SCMI_PINCTRL_CONFIGS_REMAINING, total - skip - n) |
					   SCMI_FIELD_PREP(SCMI_PINCTRL_CONFIGS_RETURNED, n));
	return SCMI_SUCCESS;
}

/* May @a change pin/group @g of @t: not held by another connection. */
static bool pin_free_for(struct scmi_srv *s, struct scmi_srv_agent *a, enum srv_rtype t, unsigned g)
{
	const struct srv_state *st = srv_st(s, t, g);

	if (st->owner && st->owner != a)
		return false;
	if (t == SRV_GROUP)
		for (unsigned i = 0; i < group_def(s, g)->n_pin; i++)
			if (!pin_free_for(s, a, SRV_PIN, group_def(s, g)->pin[i]))
				return false;
	return true;
}

/* Does function @f offer pin/group @g of @t? */
static bool func_has(struct scmi_srv *s, unsigned f, enum srv_rtype t, unsigned g)
{
	const struct srv_function_def *fd = func_def(s, f);

	for (unsigned i = 0; i < fd->n_group; i++) {
		if (t == SRV_GROUP && fd->group[i] == g)
			return true;
		if (t == SRV_PIN)
			for (unsigned j = 0; j < group_def(s, fd->group[i])->n_pin; j++)
				if (group_def(s, fd->group[i])->pin[j] == g)
					return true;
	}
	return false;
}

static void pin_configure(struct scmi_srv *s, enum srv_rtype t, unsigned g, int16_t func,
			  const uint8_t *cfg, uint32_t ncfg)
{
	struct srv_state *st = srv_st(s, t, g);

	if (func >= 0)
		st->function = func;
	for (uint32_t i = 0; i < ncfg; i++) {
		uint32_t type = scmi_get_le32(cfg + 8 * i) & 0xff;

		st->pin_cfg[type] = scmi_get_le32(cfg + 8 * i + 4);
		st->pin_cfg_set |= 1u << type;
	}
	if (t == SRV_GROUP)
		for (unsigned i = 0; i < group_def(s, g)->n_pin; i++)
			pin_configure(s, SRV_PIN, group_def(s, g)->pin[i], func, cfg, ncfg);
}

static int32_t pinctrl_settings_configure(struct srv_msg *m)
{
	uint32_t attr = srv_in32(m, 2), sel = SCMI_FIELD_GET(SCMI_PINCTRL_CONF_SELECTOR, attr);
	uint32_t ncfg = SCMI_FIELD_GET(SCMI_PINCTRL_CONF_NUM_CONFIGS, attr);
	const uint8_t *cfg = m->in + 12;
	int16_t func = -1;
	enum srv_rtype t;
	unsigned g, fg;

	if (m->in_len != 12 + 8 * (size_t)ncfg)
		return SCMI_PROTOCOL_ERROR;
	if (attr & SCMI_GENMASK(31, 11) || sel > SCMI_PINCTRL_SEL_GROUP)
		return SCMI_INVALID_PARAMETERS;
	t = pin_rtype(sel);
	SRV_LOOKUP(m, t, srv_in32(m, 0), SRV_ACC_RW, g);
	if (!pin_free_for(m->s, m->a, t, g))
		return SCMI_DENIED;
	if (attr & SCMI_PINCTRL_CONF_FUNCTION_VALID) {
		SRV_LOOKUP(m, SRV_FUNCTION, srv_in32(m, 1), SRV_ACC_RO, fg);
		if (!func_has(m->s, fg, t, g))
			return SCMI_INVALID_PARAMETERS;
		func = (int16_t)fg;
	}
	/* check every configuration before applying any */
	for (uint32_t i = 0; i < ncfg; i++) {
		uint32_t type = scmi_get_le32(cfg + 8 * i);

		if (type & ~0xffu)
			return SCMI_INVALID_PARAMETERS;
		if (type >= SCMI_PINCTRL_CFG_OEM_FIRST)
			return SCMI_NOT_SUPPORTED;
		if (type >= SRV_PIN_CFG_TYPES)
			return SCMI_INVALID_PARAMETERS;
	}
	pin_configure(m->s, t, g, func, cfg, ncfg);
	return SCMI_SUCCESS;
}

static void pin_set_owner(struct scmi_srv *s, enum srv_rtype t, unsigned g, struct scmi_srv_agent *a)
{
	srv_st(s, t, g)->owner = a;
	if (t == SRV_GROUP)
		for (unsigned i = 0; i < group_def(s, g)->n_pin; i++)
			srv_st(s, SRV_PIN, group_def(s, g)->pin[i])->owner = a;
}

static int32_t pinctrl_request(struct srv_msg *m)
{
	uint32_t flags = srv_in32(m, 1), sel = SCMI_FIELD_GET(SCMI_PINCTRL_FLAGS_SELECTOR, flags);
	unsigned g;

	if (flags & ~SCMI_PINCTRL_FLAGS_SELECTOR || sel > SCMI_PINCTRL_SEL_GROUP)
		return SCMI_INVALID_PARAMETERS;
	SRV_LOOKUP(m, pin_rtype(sel), srv_in32(m, 0), SRV_ACC_RW, g);
	if (!pin_free_for(m->s, m->a, pin_rtype(sel), g))
		return SCMI_IN_USE;
	pin_set_owner(m->s, pin_rtype(sel), g, m->a);
	return SCMI_SUCCESS;
}

static int32_t pinctrl_release(struct srv_msg *m)
{
	uint32_t flags = srv_in32(m, 1), sel = SCMI_FIELD_GET(SCMI_PINCTRL_FLAGS_SELECTOR, flags);
	unsigned g;

	if (flags & ~SCMI_PINCTRL_FLAGS_SELECTOR || sel > SCMI_PINCTRL_SEL_GROUP)
		return SCMI_INVALID_PARAMETERS;
	SRV_LOOKUP(m, pin_rtype(sel), srv_in32(m, 0), SRV_ACC_RW, g);
	if (srv_st(m->s, pin_rtype(sel), g)->owner != m->a)
		return SCMI_DENIED;	/* not requested by this agent */
	pin_set_owner(m->s, pin_rtype(sel), g, NULL);
	return SCMI_SUCCESS;
}

static int32_t pinctrl_name_get(struct srv_msg *m)
{
	uint32_t flags = srv_in32(m, 1), sel = SCMI_FIELD_GET(SCMI_PINCTRL_FLAGS_SELECTOR, flags);
	unsigned g;

	if (flags & ~SCMI_PINCTRL_FLAGS_SELECTOR || sel > SCMI_PINCTRL_SEL_FUNCTION)
		return SCMI_INVALID_PARAMETERS;
	SRV_LOOKUP(m, pin_rtype(sel), srv_in32(m, 0), SRV_ACC_RO, g);
	srv_out32(m, 0);
	srv_out_name(m, srv_def(m->s->cfg, pin_rtype(sel), g)->name, SCMI_EXT_NAME_LEN);
	return SCMI_SUCCESS;
}

static int32_t pinctrl_set_permissions(struct srv_msg *m)
{
	uint32_t agent = srv_in32(m, 0), flags = srv_in32(m, 2);
	uint32_t sel = SCMI_FIELD_GET(SCMI_PINCTRL_PERM_SELECTOR, flags);
	struct srv_slot *sl;
	enum srv_rtype t;
	unsigned g;
	int32_t l;

	if (!srv_trusted(m->a))
		return SCMI_DENIED;
	if (flags & ~(SCMI_PINCTRL_PERM_SELECTOR | SCMI_PINCTRL_PERM_ALLOW) ||
	    sel > SCMI_PINCTRL_SEL_GROUP)
		return SCMI_INVALID_PARAMETERS;
	sl = srv_slot_by_id(m->s, agent);
	if (!sl)
		return SCMI_NOT_FOUND;
	t = pin_rtype(sel);
	/* the identifier is the trusted agent's own; the target must have it too */
	SRV_LOOKUP(m, t, srv_in32(m, 1), SRV_ACC_RO, g);
	l = sl->g2l[t][g];
	if (l < 0)
		return SCMI_NOT_FOUND;
	if (flags & SCMI_PINCTRL_PERM_ALLOW)
		sl->deny[t][l] &= (uint8_t)~SRV_DENY_PINCTRL;
	else
		sl->deny[t][l] |= SRV_DENY_PINCTRL;
	srv_permissions_changed(m->s, sl);
	return SCMI_SUCCESS;
}

static const srv_handler_fn pinctrl_handler[] = {
	[SCMI_MSG_PROTOCOL_VERSION] = srv_common_version,
	[SCMI_MSG_PROTOCOL_ATTRIBUTES] = pinctrl_attributes,
	[SCMI_MSG_PROTOCOL_MESSAGE_ATTRIBUTES] = srv_common_msg_attributes,
	[SCMI_PINCTRL_ATTRIBUTES] = pinctrl_elem_attributes,
	[SCMI_PINCTRL_LIST_ASSOCIATIONS] = pinctrl_list_associations,
	[SCMI_PINCTRL_SETTINGS_GET] = pinctrl_settings_get,
	[SCMI_PINCTRL_SETTINGS_CONFIGURE] = pinctrl_settings_configure,
	[SCMI_PINCTRL_REQUEST] = pinctrl_request,
	[SCMI_PINCTRL_RELEASE] = pinctrl_release,
	[SCMI_PINCTRL_NAME_GET] = pinctrl_name_get,
	[SCMI_PINCTRL_SET_PERMISSIONS] = pinctrl_set_permissions,
	[SCMI_MSG_NEGOTIATE_PROTOCOL_VERSION] = srv_common_negotiate,
};

static const uint16_t pinctrl_size[] = {
	[SCMI_MSG_PROTOCOL_VERSION] = 0,
	[SCMI_MSG_PROTOCOL_ATTRIBUTES] = 0,
	[SCMI_MSG_PROTOCOL_MESSAGE_ATTRIBUTES] = sizeof(struct scmi_protocol_message_attributes_a2p),
	[SCMI_PINCTRL_ATTRIBUTES] = sizeof(struct scmi_pinctrl_id_a2p),
	[SCMI_PINCTRL_LIST_ASSOCIATIONS] = sizeof(struct scmi_pinctrl_list_associations_a2p),
	[SCMI_PINCTRL_SETTINGS_GET] = sizeof(struct scmi_pinctrl_settings_get_a2p),
	[SCMI_PINCTRL_SETTINGS_CONFIGURE] =
		SRV_VAR | sizeof(struct scmi_pinctrl_settings_configure_a2p),
	[SCMI_PINCTRL_REQUEST] = sizeof(struct scmi_pinctrl_id_a2p),
	[SCMI_PINCTRL_RELEASE] = sizeof(struct scmi_pinctrl_id_a2p),
	[SCMI_PINCTRL_NAME_GET] = sizeof(struct scmi_pinctrl_id_a2p),
	[SCMI_PINCTRL_SET_PERMISSIONS] = sizeof(struct scmi_pinctrl_set_permissions_a2p),
	[SCMI_MSG_NEGOTIATE_PROTOCOL_VERSION] = sizeof(struct scmi_negotiate_protocol_version_a2p),
};
SRV_PROTO_TABLES(pinctrl_handler, pinctrl_size);

const struct srv_proto srv_proto_pinctrl = {
	.id = SCMI_PROTO_PINCTRL,
	.version = SCMI_PINCTRL_VERSION_V3_2,
	.rtype = SRV_PIN,
	.handler = pinctrl_handler,
	.size = pinctrl_size,
	.n_msg = OS_ARRAY_SIZE(pinctrl_handler),
};
