// SPDX-License-Identifier: MIT
/*
 * Server side of the SCMI Sensor management protocol (0x15, v3.1).
 * Values come from the sensor's source (model.c), one per axis for a
 * multi-axis sensor, with a timestamp in nanoseconds. Each connection has
 * its own sensor configuration (enabled, update interval, timestamps) and
 * its own trip points, so agents never disturb one another: read-only
 * access is enough for all of these. Trip point events and continuous
 * updates come from the periodic tick.
 */
#include "scmi/server/srv.h"

#define SENSOR_TSTAMP_EXP ((uint32_t)-9 & 0x1f)	/* timestamps in ns */

static const struct srv_sensor_def *sensor_def(struct scmi_srv *s, unsigned g)
{
	return SRV_DEF(s->cfg, SRV_SENSOR, struct srv_sensor_def, g);
}

static int32_t sensor_attributes(struct srv_msg *m)
{
	srv_out32(m, SCMI_FIELD_PREP(SCMI_SENSOR_ATTR_MAX_PENDING, SRV_MAX_PENDING) |
			     SCMI_FIELD_PREP(SCMI_SENSOR_ATTR_NUM_SENSORS, m->a->slot->n[SRV_SENSOR]));
	srv_out32(m, 0);	/* no sensor registers shared memory */
	srv_out32(m, 0);
	srv_out32(m, 0);
	return SCMI_SUCCESS;
}

static uint32_t sensor_desc_size(const struct srv_sensor_def *d)
{
	return d->has_range ? 52 : 28;
}

static void sensor_out_desc(struct srv_msg *m, uint32_t id, const struct srv_sensor_def *d)
{
	uint32_t lo = SCMI_SENSOR_CONT_UPDATE_NOTIFY | SCMI_SENSOR_TSTAMP |
		      SCMI_FIELD_PREP(SCMI_SENSOR_TSTAMP_EXP, SENSOR_TSTAMP_EXP) |
		      SCMI_FIELD_PREP(SCMI_SENSOR_NUM_TRIP_POINTS, d->n_trips);
	uint32_t hi = SCMI_FIELD_PREP(SCMI_SENSOR_SCALE, (uint32_t)d->scale & 0x1f) |
		      SCMI_FIELD_PREP(SCMI_SENSOR_TYPE, d->type);
	uint32_t ivl = srv_encode_interval(d->ivl_us[0], SCMI_SENSOR_UPDATE_SCALE,
					   SCMI_SENSOR_UPDATE_EXP);

	if (d->c.async && srv_can_defer(m->s))
		lo |= SCMI_SENSOR_ASYNC_READ;
	if (srv_ext_name(d->c.name))
		lo |= SCMI_SENSOR_EXT_NAME;
	if (d->has_range)
		lo |= SCMI_SENSOR_EXT_ATTRS;
	if (d->n_axes)
		hi |= SCMI_SENSOR_AXES | SCMI_FIELD_PREP(SCMI_SENSOR_NUM_AXES, d->n_axes);
	srv_out32(m, id);
	srv_out32(m, lo);
	srv_out32(m, hi | ivl);
	srv_out_name(m, d->c.name, SCMI_SHORT_NAME_LEN);
	if (d->has_range) {
		srv_out32(m, 0);	/* power drawn by the sensor: unknown */
		srv_out32(m, SCMI_FIELD_PREP(SCMI_SENSOR_RES_VALUE, 1));
		srv_out64(m, (uint64_t)d->min);
		srv_out64(m, (uint64_t)d->max);
	}
}

static int32_t sensor_description_get(struct srv_msg *m)
{
	const struct srv_slot *sl = m->a->slot;
	uint32_t idx = srv_in32(m, 0), n = 0, room;

	if (idx >= sl->n[SRV_SENSOR])
		return SCMI_INVALID_PARAMETERS;
	room = (uint32_t)(srv_room(m) >= 4 ? srv_room(m) - 4 : 0);
	/* descriptors have two sizes: count what fits */
	for (uint32_t i = idx; i < sl->n[SRV_SENSOR]; i++) {
		uint32_t sz = sensor_desc_size(sensor_def(m->s, sl->l2g[SRV_SENSOR][i]));

		if (sz > room || n == SCMI_SENSOR_DESC_RETURNED)
			break;
		room -= sz;
		n++;
	}
	srv_out32(m, SCMI_FIELD_PREP(SCMI_SENSOR_DESC_REMAINING, sl->n[SRV_SENSOR] - idx - n) |
			     SCMI_FIELD_PREP(SCMI_SENSOR_DESC_RETURNED, n));
	for (uint32_t i = idx; i < idx + n; i++)
		sensor_out_desc(m, i, sensor_def(m->s, sl->l2g[SRV_SENSOR][i]));
	return SCMI_SUCCESS;
}

static int32_t sensor_trip_point_notify(struct srv_msg *m)
{
	uint32_t ctl = srv_in32(m, 1);
	struct srv_vote *v;
	unsigned g;

	if (ctl & ~SCMI_SENSOR_TP_NOTIFY_ENABLE)
		return SCMI_INVALID_PARAMETERS;
	SRV_LOOKUP(m, SRV_SENSOR, srv_in32(m, 0), SRV_ACC_RO, g);
	v = srv_vote(m->a, SRV_SENSOR, g);
	if (ctl)
		v->notify |= 1u << SCMI_SENSOR_EVT_TRIP_POINT_EVENT;
	else
		v->notify &= (uint8_t)~(1u << SCMI_SENSOR_EVT_TRIP_POINT_EVENT);
	return SCMI_SUCCESS;
}

static int32_t sensor_trip_point_config(struct srv_msg *m)
{
	uint32_t ctl = srv_in32(m, 1), tp = SCMI_FIELD_GET(SCMI_SENSOR_TP_ID, ctl);
	struct srv_vote *v;
	unsigned g;

	if (ctl & ~(SCMI_SENSOR_TP_ID | SCMI_SENSOR_TP_EV_CTRL))
		return SCMI_INVALID_PARAMETERS;
	SRV_LOOKUP(m, SRV_SENSOR, srv_in32(m, 0), SRV_ACC_RO, g);
	if (tp >= sensor_def(m->s, g)->n_trips)
		return SCMI_INVALID_PARAMETERS;
	v = srv_vote(m->a, SRV_SENSOR, g);
	v->trip[tp].mode = (uint8_t)SCMI_FIELD_GET(SCMI_SENSOR_TP_EV_CTRL, ctl);
	v->trip[tp].value = (int64_t)((uint64_t)srv_in32(m, 3) << 32 | srv_in32(m, 2));
	v->trip[tp].side = 0;	/* the next sample sets the side it is on */
	return SCMI_SUCCESS;
}

/* Append the readings of every axis (or the one value). */
static int32_t sensor_out_readings(struct scmi_srv *s, unsigned g, bool tstamp, uint32_t *w,
				   size_t *n)
{
	const struct srv_sensor_def *d = sensor_def(s, g);
	uint64_t now = srv_now(s);
	int64_t v;

	for (unsigned i = 0; i < (d->n_axes ? d->n_axes : 1u); i++) {
		if (srv_sensor_read(s, g, i, &v))
			return SCMI_HARDWARE_ERROR;
		w[(*n)++] = (uint32_t)v;
		w[(*n)++] = (uint32_t)((uint64_t)v >> 32);
		w[(*n)++] = tstamp ? (uint32_t)now : 0;
		w[(*n)++] = tstamp ? (uint32_t)(now >> 32) : 0;
	}
	return SCMI_SUCCESS;
}

static bool sensor_tstamp(const struct srv_vote *v)
{
	return !v->sensor_cfg || v->tstamp;
}

static void sensor_read_complete(struct scmi_srv *s, struct scmi_srv_agent *a, struct srv_pending *p)
{
	uint32_t w[2 + 4 * SRV_MAX_AXES];
	size_t n = 2;

	if (!p->send_dresp)
		return;	/* its connection went away */
	w[0] = (uint32_t)sensor_out_readings(s, p->gidx, sensor_tstamp(srv_vote(a, SRV_SENSOR, p->gidx)),
					     w, &n);
	w[1] = p->arg2;
	if (w[0] != SCMI_SUCCESS)
		n = 1;	/* an error status only */
	srv_send_p2a(s, a, SCMI_PROTO_SENSOR, SCMI_SENSOR_READING_GET, SCMI_MSG_TYPE_DELAYED_RESP,
		     p->token, w, n);
}

static int32_t sensor_reading_get(struct srv_msg *m)
{
	uint32_t id = srv_in32(m, 0), flags = srv_in32(m, 1);
	uint32_t w[4 * SRV_MAX_AXES];
	const struct srv_sensor_def *d;
	size_t n = 0;
	int32_t st;
	unsigned g;

	if (flags & ~SCMI_SENSOR_READ_ASYNC)
		return SCMI_INVALID_PARAMETERS;
	SRV_LOOKUP(m, SRV_SENSOR, id, SRV_ACC_RO, g);
	d = sensor_def(m->s, g);
	if (flags & SCMI_SENSOR_READ_ASYNC) {
		if (!d->c.async)
			return SCMI_NOT_SUPPORTED;
		return srv_defer_async(m, SRV_SENSOR, g, srv_latency(m->s, &d->c), true, 0, id,
				       sensor_read_complete);
	}
	st = sensor_out_readings(m->s, g, sensor_tstamp(srv_vote(m->a, SRV_SENSOR, g)), w, &n);
	if (st)
		return st;
	for (size_t i = 0; i < n; i++)
		srv_out32(m, w[i]);
	return SCMI_SUCCESS;
}

static int32_t sensor_axis_description_get(struct srv_msg *m)
{
	uint32_t idx = srv_in32(m, 1), n, size;
	const struct srv_sensor_def *d;
	unsigned g;

	SRV_LOOKUP(m, SRV_SENSOR, srv_in32(m, 0), SRV_ACC_RO, g);
	d = sensor_def(m->s, g);
	if (!d->n_axes)
		return SCMI_NOT_SUPPORTED;
	if (idx >= d->n_axes)
		return SCMI_INVALID_PARAMETERS;
	size = d->has_range ? 48 : 28;
	n = (uint32_t)OS_MIN(d->n_axes - idx, (srv_room(m) >= 4 ? srv_room(m) - 4 : 0) / size);
	srv_out32(m, SCMI_FIELD_PREP(SCMI_SENSOR_AXIS_REMAINING, d->n_axes - idx - n) |
			     SCMI_FIELD_PREP(SCMI_SENSOR_AXIS_RETURNED, n));
	for (uint32_t i = idx; i < idx + n; i++) {
		srv_out32(m, i);
		srv_out32(m, d->has_range ? SCMI_SENSOR_AXIS_EXT_ATTRS : 0);
		srv_out32(m, SCMI_FIELD_PREP(SCMI_SENSOR_SCALE, (uint32_t)d->scale & 0x1f) |
				     SCMI_FIELD_PREP(SCMI_SENSOR_TYPE, d->type));
		srv_out_name(m, d->axis[i], SCMI_SHORT_NAME_LEN);
		if (d->has_range) {
			srv_out32(m, SCMI_FIELD_PREP(SCMI_SENSOR_RES_VALUE, 1));
			srv_out64(m, (uint64_t)d->min);
			srv_out64(m, (uint64_t)d->max);
		}
	}
	return SCMI_SUCCESS;
}

static int32_t sensor_list_update_intervals(struct srv_msg *m)
{
	uint32_t idx = srv_in32(m, 1), n;
	const struct srv_sensor_def *d;
	unsigned g;

	SRV_LOOKUP(m, SRV_SENSOR, srv_in32(m, 0), SRV_ACC_RO, g);
	d = sensor_def(m->s, g);
	if (idx >= (d->ivl_range ? 1u : d->n_ivl))
		return SCMI_OUT_OF_RANGE;
	if (d->ivl_range) {
		srv_out32(m, SCMI_SENSOR_INTVL_FORMAT_RANGE |
				     SCMI_FIELD_PREP(SCMI_SENSOR_INTVL_RETURNED, 3));
		for (int i = 0; i < 3; i++)
			srv_out32(m, srv_encode_interval(d->ivl_us[i], SCMI_SENSOR_INTVL_SECS,
							 SCMI_SENSOR_INTVL_EXP));
		return SCMI_SUCCESS;
	}
	n = (uint32_t)OS_MIN(d->n_ivl - idx, (srv_room(m) >= 4 ? srv_room(m) - 4 : 0) / 4);
	srv_out32(m, SCMI_FIELD_PREP(SCMI_SENSOR_INTVL_REMAINING, d->n_ivl - idx - n) |
			     SCMI_FIELD_PREP(SCMI_SENSOR_INTVL_RETURNED, n));
	for (uint32_t i = idx; i < idx + n; i++)
		srv_out32(m, srv_encode_interval(d->ivl_us[i], SCMI_SENSOR_INTVL_SECS,
						 SCMI_SENSOR_INTVL_EXP));
	return SCMI_SUCCESS;
}

static int32_t sensor_config_get(struct srv_msg *m)
{
	const struct srv_vote *v;
	uint32_t cfg;
	unsigned g;

	SRV_LOOKUP(m, SRV_SENSOR, srv_in32(m, 0), SRV_ACC_RO, g);
	v = srv_vote(m->a, SRV_SENSOR, g);
	cfg = srv_encode_interval(v->sensor_cfg && v->ivl_us ? v->ivl_us :
							       sensor_def(m->s, g)->ivl_us[0],
				  SCMI_SENSOR_CFG_UPDATE_SECS, SCMI_SENSOR_CFG_UPDATE_EXP);
	if (!v->sensor_cfg || v->sensor_on)
		cfg |= SCMI_SENSOR_CFG_ENABLED;
	if (sensor_tstamp(v))
		cfg |= SCMI_SENSOR_CFG_TSTAMP_ENABLED;
	srv_out32(m, cfg);
	return SCMI_SUCCESS;
}

/* Supported interval for a request, rounded as asked (0 down, 1 up, 2 auto). */
static bool sensor_round_interval(const struct srv_sensor_def *d, uint32_t us, uint32_t round,
				  uint32_t *out)
{
	struct srv_clock_def tmp;
	uint64_t r;

	/* the clock rounding rules apply as is: reuse them */
	memset(&tmp, 0, sizeof(tmp));
	tmp.range = d->ivl_range;
	tmp.n_rate = d->n_ivl;
	for (unsigned i = 0; i < d->n_ivl; i++)
		tmp.rate[i] = d->ivl_us[i];
	if (!srv_clock_round(&tmp, us,
			     round == 1 ? SCMI_CLOCK_SET_ROUND_UP :
			     round == 2 ? SCMI_CLOCK_SET_ROUND_AUTO : 0, &r))
		return false;
	*out = (uint32_t)r;
	return true;
}

static int32_t sensor_config_set(struct srv_msg *m)
{
	uint32_t cfg = srv_in32(m, 1), round = SCMI_FIELD_GET(SCMI_SENSOR_CFG_ROUND, cfg);
	uint32_t secs = SCMI_FIELD_GET(SCMI_SENSOR_CFG_UPDATE_SECS, cfg), us = 0;
	int exp = (int)SCMI_FIELD_GET(SCMI_SENSOR_CFG_UPDATE_EXP, cfg);
	const struct srv_sensor_def *d;
	struct srv_vote *v;
	unsigned g;

	if ((cfg & SCMI_GENMASK(8, 2)) || round == 3)
		return SCMI_INVALID_PARAMETERS;
	SRV_LOOKUP(m, SRV_SENSOR, srv_in32(m, 0), SRV_ACC_RO, g);
	d = sensor_def(m->s, g);
	v = srv_vote(m->a, SRV_SENSOR, g);
	if (exp & 0x10)
		exp -= 32;	/* signed 5-bit */
	if (secs) {
		if (!srv_decode_interval(secs, exp, &us) || !sensor_round_interval(d, us, round, &us))
			return SCMI_OUT_OF_RANGE;
	} else {
		us = v->sensor_cfg ? v->ivl_us : 0;	/* 0: keep the current interval */
	}
	v->sensor_cfg = true;
	v->ivl_us = us;
	v->sensor_on = cfg & SCMI_SENSOR_CFG_ENABLED;
	v->tstamp = cfg & SCMI_SENSOR_CFG_TSTAMP_ENABLED;
	v->next_update_ns = 0;
	return SCMI_SUCCESS;
}

static int32_t sensor_continuous_update_notify(struct srv_msg *m)
{
	return srv_subscribe(m, SRV_SENSOR, SCMI_SENSOR_EVT_UPDATE);
}

static int32_t sensor_name_get(struct srv_msg *m)
{
	return srv_name_get(m, SRV_SENSOR);
}

static int32_t sensor_axis_name_get(struct srv_msg *m)
{
	uint32_t idx = srv_in32(m, 1), n;
	const struct srv_sensor_def *d;
	unsigned g;

	SRV_LOOKUP(m, SRV_SENSOR, srv_in32(m, 0), SRV_ACC_RO, g);
	d = sensor_def(m->s, g);
	if (!d->n_axes)
		return SCMI_NOT_SUPPORTED;
	if (idx >= d->n_axes)
		return SCMI_INVALID_PARAMETERS;
	n = (uint32_t)OS_MIN(d->n_axes - idx, (srv_room(m) >= 4 ? srv_room(m) - 4 : 0) / 68);
	srv_out32(m, SCMI_FIELD_PREP(SCMI_SENSOR_AXIS_REMAINING, d->n_axes - idx - n) |
			     SCMI_FIELD_PREP(SCMI_SENSOR_AXIS_RETURNED, n));
	for (uint32_t i = idx; i < idx + n; i++) {
		srv_out32(m, i);
		srv_out_name(m, d->axis[i], SCMI_EXT_NAME_LEN);
	}
	return SCMI_SUCCESS;
}

static const srv_handler_fn sensor_handler[] = {
	[SCMI_MSG_PROTOCOL_VERSION] = srv_common_version,
	[SCMI_MSG_PROTOCOL_ATTRIBUTES] = sensor_attributes,
	[SCMI_MSG_PROTOCOL_MESSAGE_ATTRIBUTES] = srv_common_msg_attributes,
	[SCMI_SENSOR_DESCRIPTION_GET] = sensor_description_get,
	[SCMI_SENSOR_TRIP_POINT_NOTIFY] = sensor_trip_point_notify,
	[SCMI_SENSOR_TRIP_POINT_CONFIG] = sensor_trip_point_config,
	[SCMI_SENSOR_READING_GET] = sensor_reading_get,
	[SCMI_SENSOR_AXIS_DESCRIPTION_GET] = sensor_axis_description_get,
	[SCMI_SENSOR_LIST_UPDATE_INTERVALS] = sensor_list_update_intervals,
	[SCMI_SENSOR_CONFIG_GET] = sensor_config_get,
	[SCMI_SENSOR_CONFIG_SET] = sensor_config_set,
	[SCMI_SENSOR_CONTINUOUS_UPDATE_NOTIFY] = sensor_continuous_update_notify,
	[SCMI_SENSOR_NAME_GET] = sensor_name_get,
	[SCMI_SENSOR_AXIS_NAME_GET] = sensor_axis_name_get,
	[SCMI_MSG_NEGOTIATE_PROTOCOL_VERSION] = srv_common_negotiate,
};

static const uint16_t sensor_size[] = {
	[SCMI_MSG_PROTOCOL_VERSION] = 0,
	[SCMI_MSG_PROTOCOL_ATTRIBUTES] = 0,
	[SCMI_MSG_PROTOCOL_MESSAGE_ATTRIBUTES] = sizeof(struct scmi_protocol_message_attributes_a2p),
	[SCMI_SENSOR_DESCRIPTION_GET] = sizeof(struct scmi_sensor_description_get_a2p),
	[SCMI_SENSOR_TRIP_POINT_NOTIFY] = sizeof(struct scmi_sensor_trip_point_notify_a2p),
	[SCMI_SENSOR_TRIP_POINT_CONFIG] = sizeof(struct scmi_sensor_trip_point_config_a2p),
	[SCMI_SENSOR_READING_GET] = sizeof(struct scmi_sensor_reading_get_a2p),
	[SCMI_SENSOR_AXIS_DESCRIPTION_GET] = sizeof(struct scmi_sensor_axis_description_get_a2p),
	[SCMI_SENSOR_LIST_UPDATE_INTERVALS] = sizeof(struct scmi_sensor_list_update_intervals_a2p),
	[SCMI_SENSOR_CONFIG_GET] = sizeof(struct scmi_sensor_id_a2p),
	[SCMI_SENSOR_CONFIG_SET] = sizeof(struct scmi_sensor_config_set_a2p),
	[SCMI_SENSOR_CONTINUOUS_UPDATE_NOTIFY] = sizeof(struct scmi_sensor_continuous_update_notify_a2p),
	[SCMI_SENSOR_NAME_GET] = sizeof(struct scmi_name_get_a2p),
	[SCMI_SENSOR_AXIS_NAME_GET] = sizeof(struct scmi_sensor_axis_name_get_a2p),
	[SCMI_MSG_NEGOTIATE_PROTOCOL_VERSION] = sizeof(struct scmi_negotiate_protocol_version_a2p),
};
SRV_PROTO_TABLES(sensor_handler, sensor_size);

const struct srv_proto srv_proto_sensor = {
	.id = SCMI_PROTO_SENSOR,
	.version = SCMI_SENSOR_VERSION_V3_2,
	.rtype = SRV_SENSOR,
	.handler = sensor_handler,
	.size = sensor_size,
	.n_msg = OS_ARRAY_SIZE(sensor_handler),
};
