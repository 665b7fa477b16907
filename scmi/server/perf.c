// SPDX-License-Identifier: MIT
/*
 * Server side of the SCMI Performance domain protocol (0x13). Levels are
 * the OPP frequencies in kHz; power costs are reported in mW. Several
 * connections' level requests and limits are arbitrated in model.c (the
 * highest level wins inside the intersection of the limits). Fast channels
 * need shared memory a virtio transport does not have: refused.
 */
#include "scmi/server/srv.h"

static const struct srv_perf_def *perf_def(struct srv_msg *m, unsigned g)
{
	return SRV_DEF(m->s->cfg, SRV_PERF, struct srv_perf_def, g);
}

static bool perf_v4(const struct srv_msg *m)
{
	return SCMI_VERSION_MAJOR(m->a->version[SCMI_PROTO_PERF - SCMI_PROTO_BASE]) >= 4;
}

static int32_t perf_attributes(struct srv_msg *m)
{
	srv_out32(m, SCMI_PERF_ATTR_POWER_MW |
			     SCMI_FIELD_PREP(SCMI_PERF_ATTR_NUM_DOMAINS, m->a->slot->n[SRV_PERF]));
	srv_out32(m, 0);	/* no statistics shared memory */
	srv_out32(m, 0);
	srv_out32(m, 0);
	return SCMI_SUCCESS;
}

static int32_t perf_domain_attributes(struct srv_msg *m)
{
	const struct srv_perf_def *d;
	unsigned g;
	uint32_t attr = SCMI_PERF_DOM_LIMITS_NOTIFY | SCMI_PERF_DOM_LEVEL_NOTIFY;

	SRV_LOOKUP(m, SRV_PERF, srv_in32(m, 0), SRV_ACC_RO, g);
	d = perf_def(m, g);
	if (srv_access_of(m->a, SRV_PERF, g) == SRV_ACC_RW)
		attr |= SCMI_PERF_DOM_SET_LIMITS | SCMI_PERF_DOM_SET_LEVEL;
	if (srv_ext_name(d->c.name))
		attr |= SCMI_PERF_DOM_EXT_NAME;
	srv_out32(m, attr);
	srv_out32(m, SCMI_FIELD_PREP(SCMI_PERF_RATE_LIMIT_US, d->rate_limit_us));
	srv_out32(m, d->sustained);	/* levels are kHz: the same number */
	srv_out32(m, d->sustained);
	srv_out_name(m, d->c.name, SCMI_SHORT_NAME_LEN);
	return SCMI_SUCCESS;
}

static int32_t perf_describe_levels(struct srv_msg *m)
{
	unsigned g;
	uint32_t idx = srv_in32(m, 1), n, size = perf_v4(m) ? 20 : 12;
	const struct srv_perf_def *d;

	SRV_LOOKUP(m, SRV_PERF, srv_in32(m, 0), SRV_ACC_RO, g);
	d = perf_def(m, g);
	if (idx >= d->n_opp)
		return SCMI_OUT_OF_RANGE;
	n = (uint32_t)OS_MIN(d->n_opp - idx, (srv_room(m) >= 4 ? srv_room(m) - 4 : 0) / size);
	srv_out32(m, SCMI_FIELD_PREP(SCMI_PERF_LEVELS_REMAINING, d->n_opp - idx - n) |
			     SCMI_FIELD_PREP(SCMI_PERF_LEVELS_RETURNED, n));
	for (uint32_t i = idx; i < idx + n; i++) {
		srv_out32(m, d->opp[i].level);
		srv_out32(m, d->opp[i].power / 1000);	/* uW in the config, mW here */
		srv_out32(m, SCMI_FIELD_PREP(SCMI_PERF_LEVEL_LATENCY_US, d->opp[i].latency_us));
		if (size == 20) {
			srv_out32(m, d->opp[i].level);
			srv_out32(m, i);
		}
	}
	return SCMI_SUCCESS;
}

static int32_t perf_limits_set(struct srv_msg *m)
{
	uint32_t max = srv_in32(m, 1), min = srv_in32(m, 2);
	const struct srv_perf_def *d;
	struct srv_vote *v;
	unsigned g;

	SRV_LOOKUP(m, SRV_PERF, srv_in32(m, 0), SRV_ACC_RW, g);
	d = perf_def(m, g);
	if (min > max)
		return SCMI_INVALID_PARAMETERS;
	if (max < d->opp[0].level || min > d->opp[d->n_opp - 1].level)
		return SCMI_OUT_OF_RANGE;
	v = srv_vote(m->a, SRV_PERF, g);
	v->has_limits = true;
	v->lim_min = min;
	v->lim_max = max;
	srv_perf_refresh(m->s, g, m->a);
	return SCMI_SUCCESS;
}

static int32_t perf_limits_get(struct srv_msg *m)
{
	unsigned g;

	SRV_LOOKUP(m, SRV_PERF, srv_in32(m, 0), SRV_ACC_RO, g);
	srv_out32(m, srv_st(m->s, SRV_PERF, g)->lim_max);
	srv_out32(m, srv_st(m->s, SRV_PERF, g)->lim_min);
	return SCMI_SUCCESS;
}

static int32_t perf_level_set(struct srv_msg *m)
{
	uint32_t level = srv_in32(m, 1);
	const struct srv_perf_def *d;
	const struct srv_state *st;
	struct srv_vote *v;
	bool opp = false;
	unsigned g;

	SRV_LOOKUP(m, SRV_PERF, srv_in32(m, 0), SRV_ACC_RW, g);
	d = perf_def(m, g);
	st = srv_st(m->s, SRV_PERF, g);
	for (unsigned i = 0; i < d->n_opp; i++)
		opp |= d->opp[i].level == level;
	/* an unknown level, or one outside the current limits */
	if (!opp || level < st->lim_min || level > st->lim_max)
		return SCMI_OUT_OF_RANGE;
	v = srv_vote(m->a, SRV_PERF, g);
	v->has_value = true;
	v->value = level;
	srv_perf_refresh(m->s, g, m->a);
	return SCMI_SUCCESS;
}

static int32_t perf_level_get(struct srv_msg *m)
{
	unsigned g;

	SRV_LOOKUP(m, SRV_PERF, srv_in32(m, 0), SRV_ACC_RO, g);
	srv_out32(m, srv_st(m->s, SRV_PERF, g)->level);
	return SCMI_SUCCESS;
}

static int32_t perf_notify_limits(struct srv_msg *m)
{
	return srv_subscribe(m, SRV_PERF, SCMI_PERF_EVT_LIMITS_CHANGED);
}

static int32_t perf_notify_level(struct srv_msg *m)
{
	return srv_subscribe(m, SRV_PERF, SCMI_PERF_EVT_LEVEL_CHANGED);
}

static int32_t perf_describe_fastchannel(struct srv_msg *m)
{
	unsigned g;

	SRV_LOOKUP(m, SRV_PERF, srv_in32(m, 0), SRV_ACC_RO, g);
	return SCMI_NOT_SUPPORTED;	/* no shared memory on virtio */
}

static int32_t perf_name_get(struct srv_msg *m)
{
	return srv_name_get(m, SRV_PERF);
}

static const srv_handler_fn perf_handler[] = {
	[SCMI_MSG_PROTOCOL_VERSION] = srv_common_version,
	[SCMI_MSG_PROTOCOL_ATTRIBUTES] = perf_attributes,
	[SCMI_MSG_PROTOCOL_MESSAGE_ATTRIBUTES] = srv_common_msg_attributes,
	[SCMI_PERF_DOMAIN_ATTRIBUTES] = perf_domain_attributes,
	[SCMI_PERF_DESCRIBE_LEVELS] = perf_describe_levels,
	[SCMI_PERF_LIMITS_SET] = perf_limits_set,
	[SCMI_PERF_LIMITS_GET] = perf_limits_get,
	[SCMI_PERF_LEVEL_SET] = perf_level_set,
	[SCMI_PERF_LEVEL_GET] = perf_level_get,
	[SCMI_PERF_NOTIFY_LIMITS] = perf_notify_limits,
	[SCMI_PERF_NOTIFY_LEVEL] = perf_notify_level,
	[SCMI_PERF_DESCRIBE_FASTCHANNEL] = perf_describe_fastchannel,
	[SCMI_PERF_DOMAIN_NAME_GET] = perf_name_get,
	[SCMI_MSG_NEGOTIATE_PROTOCOL_VERSION] = srv_common_negotiate,
};

static const uint16_t perf_size[] = {
	[SCMI_MSG_PROTOCOL_VERSION] = 0,
	[SCMI_MSG_PROTOCOL_ATTRIBUTES] = 0,
	[SCMI_MSG_PROTOCOL_MESSAGE_ATTRIBUTES] = sizeof(struct scmi_protocol_message_attributes_a2p),
	[SCMI_PERF_DOMAIN_ATTRIBUTES] = sizeof(struct scmi_perf_domain_attributes_a2p),
	[SCMI_PERF_DESCRIBE_LEVELS] = sizeof(struct scmi_perf_describe_levels_a2p),
	[SCMI_PERF_LIMITS_SET] = sizeof(struct scmi_perf_limits_set_a2p),
	[SCMI_PERF_LIMITS_GET] = sizeof(struct scmi_perf_domain_a2p),
	[SCMI_PERF_LEVEL_SET] = sizeof(struct scmi_perf_level_set_a2p),
	[SCMI_PERF_LEVEL_GET] = sizeof(struct scmi_perf_domain_a2p),
	[SCMI_PERF_NOTIFY_LIMITS] = sizeof(struct scmi_perf_notify_a2p),
	[SCMI_PERF_NOTIFY_LEVEL] = sizeof(struct scmi_perf_notify_a2p),
	[SCMI_PERF_DESCRIBE_FASTCHANNEL] = sizeof(struct scmi_perf_describe_fastchannel_a2p),
	[SCMI_PERF_DOMAIN_NAME_GET] = sizeof(struct scmi_name_get_a2p),
	[SCMI_MSG_NEGOTIATE_PROTOCOL_VERSION] = sizeof(struct scmi_negotiate_protocol_version_a2p),
};
SRV_PROTO_TABLES(perf_handler, perf_size);

const struct srv_proto srv_proto_perf = {
	.id = SCMI_PROTO_PERF,
	.version = SCMI_PERF_VERSION_V3_2,
	.rtype = SRV_PERF,
	.handler = perf_handler,
	.size = perf_size,
	.n_msg = OS_ARRAY_SIZE(perf_handler),
};
