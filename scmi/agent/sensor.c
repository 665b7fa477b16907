// SPDX-License-Identifier: MIT
/*
 * SCMI sensor protocol (0x15), agent side: sensor and axis descriptors
 * (variable-sized: extended attributes are present only when flagged),
 * readings (synchronous, or asynchronous with SENSOR_READING_COMPLETE; one
 * per axis with timestamps from protocol 3.0), update intervals,
 * configuration, trip points, and the two notifications.
 */
#include "scmi/agent/protocols.h"
#include "scmi/wire/sensor.h"

int scmi_sensor_protocol_attributes(struct scmi_handle *h, struct scmi_sensor_proto_info *info)
{
	uint32_t w[4];
	size_t got;
	int ret;

	ret = scmi_protocol_version(h, SCMI_PROTO_SENSOR, &info->version);
	if (ret)
		return ret;
	ret = scmi_protocol_attributes(h, SCMI_PROTO_SENSOR, w, 4, &got);
	if (ret)
		return ret;
	if (got < 4)
		return -EPROTO;
	info->num_sensors = SCMI_FIELD_GET(SCMI_SENSOR_ATTR_NUM_SENSORS, w[0]);
	info->max_async_pending = SCMI_FIELD_GET(SCMI_SENSOR_ATTR_MAX_PENDING, w[0]);
	info->reg_addr = (uint64_t)w[2] << 32 | w[1];
	info->reg_len = w[3];
	return 0;
}

static int64_t s64_from(const uint8_t *p)
{
	return (int64_t)((uint64_t)scmi_get_le32(p + 4) << 32 | scmi_get_le32(p));
}

/*
 * Decode one sensor descriptor at @e with @avail bytes left in the reply:
 * its size (28 or 52 bytes) or -EPROTO if it does not fit.
 */
static int sensor_parse_desc(const uint8_t *e, size_t avail, struct scmi_sensor_attrs *d)
{
	const struct scmi_sensor_desc *w = (const void *)e;
	uint32_t lo, hi, size;

	if (avail < sizeof(*w))
		return -EPROTO;
	lo = scmi_get_le32(e + offsetof(struct scmi_sensor_desc, attributes_low));
	hi = scmi_get_le32(e + offsetof(struct scmi_sensor_desc, attributes_high));
	size = scmi_sensor_desc_size(lo);
	if (avail < size)
		return -EPROTO;

	memset(d, 0, sizeof(*d));
	d->id = scmi_get_le32(e);
	d->attrs_low = lo;
	d->attrs_high = hi;
	d->async = lo & SCMI_SENSOR_ASYNC_READ;
	d->notify_update = lo & SCMI_SENSOR_CONT_UPDATE_NOTIFY;
	d->ext_name = lo & SCMI_SENSOR_EXT_NAME;
	d->timestamp = lo & SCMI_SENSOR_TSTAMP;
	d->timestamp_exp = (int8_t)scmi_sign_extend(SCMI_FIELD_GET(SCMI_SENSOR_TSTAMP_EXP, lo), 5);
	d->ext_attrs = lo & SCMI_SENSOR_EXT_ATTRS;
	d->num_trip_points = (uint8_t)SCMI_FIELD_GET(SCMI_SENSOR_NUM_TRIP_POINTS, lo);
	d->update_exp = (int8_t)scmi_sign_extend(SCMI_FIELD_GET(SCMI_SENSOR_UPDATE_EXP, hi), 5);
	d->update_scale = (uint8_t)SCMI_FIELD_GET(SCMI_SENSOR_UPDATE_SCALE, hi);
	d->has_axes = hi & SCMI_SENSOR_AXES;
	d->num_axes = d->has_axes ? SCMI_FIELD_GET(SCMI_SENSOR_NUM_AXES, hi) : 0;
	d->scale = (int8_t)scmi_sign_extend(SCMI_FIELD_GET(SCMI_SENSOR_SCALE, hi), 5);
	d->type = (uint8_t)SCMI_FIELD_GET(SCMI_SENSOR_TYPE, hi);
	scmi_copy_name(d->name, w->name, sizeof(w->name));
	if (d->ext_attrs) {
		e += sizeof(*w);
		d->power_uw = scmi_get_le32(e);
		d->resolution = scmi_get_le32(e + 4);
		d->min_range = s64_from(e + 8);
		d->max_range = s64_from(e + 16);
	}
	return (int)size;
}

/* ---- SENSOR_DESCRIPTION_GET ------------------------------------------------------ */

struct desc_priv {
	struct scmi_sensor_attrs *descs;
	size_t cap;
};

static void desc_prepare(uint8_t *tx, uint32_t index, void *priv)
{
	scmi_put_le32(tx, index);
}

static int desc_update(struct scmi_iter_state *st, void *priv)
{
	uint32_t f = scmi_rx_word(st->rx, 0);

	st->returned = SCMI_FIELD_GET(SCMI_SENSOR_DESC_RETURNED, f);
	st->remaining = SCMI_FIELD_GET(SCMI_SENSOR_DESC_REMAINING, f);
	st->item_size = 0;	/* variable: process() sizes each one */
	/* Even the smallest descriptors must all fit. */
	if ((uint64_t)st->returned * sizeof(struct scmi_sensor_desc) > st->rx_len - st->hdr_size)
		return -EPROTO;
	return 0;
}

static int desc_process(struct scmi_iter_state *st, void *priv)
{
	struct desc_priv *p = priv;
	struct scmi_sensor_attrs tmp;
	uint32_t i = st->index + st->loop_idx;

	return sensor_parse_desc(st->rx + st->offset, st->rx_len - st->offset,
				 i < p->cap ? &p->descs[i] : &tmp);
}

static const struct scmi_iter_ops desc_ops = {
	.prepare = desc_prepare,
	.update = desc_update,
	.process = desc_process,
};

int scmi_sensor_description_get(struct scmi_handle *h, struct scmi_sensor_attrs *descs,
				size_t cap, size_t *count)
{
	struct desc_priv p = { .descs = descs, .cap = cap };
	uint32_t total;
	int ret;

	ret = scmi_iter_run(h, SCMI_PROTO_SENSOR, SCMI_SENSOR_DESCRIPTION_GET,
			    sizeof(struct scmi_sensor_description_get_a2p),
			    (uint32_t)OS_MIN(cap, (size_t)UINT32_MAX), -ENOBUFS, &desc_ops, &p,
			    &total);
	if (ret)
		return ret;
	*count = total;
	return 0;
}

/* The descriptor of one sensor: the first one of the page at its index. */
static int sensor_desc_one(struct scmi_handle *h, uint32_t sensor, struct scmi_sensor_attrs *d)
{
	struct scmi_xfer *x;
	uint32_t f;
	int ret;

	ret = scmi_xfer_get_init(h, SCMI_PROTO_SENSOR, SCMI_SENSOR_DESCRIPTION_GET,
				 sizeof(struct scmi_sensor_description_get_a2p), 0, &x);
	if (ret)
		return ret;
	scmi_put_le32(x->tx.buf, sensor);
	ret = scmi_do_xfer(h, x);
	if (ret)
		goto out_put;
	if (x->rx.len < 4) {
		ret = -EPROTO;
		goto out_put;
	}
	f = scmi_rx_word(x->rx.buf, 0);
	if (SCMI_FIELD_GET(SCMI_SENSOR_DESC_RETURNED, f) == 0) {
		ret = SCMI_FIELD_GET(SCMI_SENSOR_DESC_REMAINING, f) ? -EPROTO : -ENOENT;
		goto out_put;
	}
	ret = sensor_parse_desc(x->rx.buf + 4, x->rx.len - 4, d);
	if (ret < 0)
		goto out_put;
	/* Sensor ids are their description indexes (DEN0056 4.7.2.4). */
	ret = d->id == sensor ? 0 : -EPROTO;
out_put:
	scmi_xfer_put(h, x);
	return ret;
}

/* ---- trip points, readings -------------------------------------------------------- */

int scmi_sensor_trip_point_notify(struct scmi_handle *h, uint32_t sensor, bool enable)
{
	uint32_t in[2] = { sensor, enable ? SCMI_SENSOR_TP_NOTIFY_ENABLE : 0 };

	return scmi_cmd_words(h, SCMI_PROTO_SENSOR, SCMI_SENSOR_TRIP_POINT_NOTIFY, in, 2, NULL, 0);
}

int scmi_sensor_trip_point_config(struct scmi_handle *h, uint32_t sensor, uint8_t trip_id,
				  enum scmi_sensor_trip_ctrl ctrl, int64_t value)
{
	uint32_t in[4];

	if ((unsigned)ctrl > SCMI_SENSOR_TRIP_BOTH)
		return -EINVAL;
	in[0] = sensor;
	in[1] = SCMI_FIELD_PREP(SCMI_SENSOR_TP_ID, trip_id) |
		SCMI_FIELD_PREP(SCMI_SENSOR_TP_EV_CTRL, ctrl);
	in[2] = (uint32_t)(uint64_t)value;
	in[3] = (uint32_t)((uint64_t)value >> 32);
	return scmi_cmd_words(h, SCMI_PROTO_SENSOR, SCMI_SENSOR_TRIP_POINT_CONFIG, in, 4, NULL, 0);
}

/* Decode readings at @p (@len bytes) in the layout of protocol @v3 or earlier. */
static int sensor_parse_readings(const uint8_t *p, size_t len, bool v3,
				 struct scmi_sensor_value *r, size_t cap, size_t *count)
{
	size_t i, n;

	if (!v3) {
		if (len < SCMI_SENSOR_READING_V2_SIZE)
			return -EPROTO;
		if (cap < 1)
			return -ENOBUFS;
		r[0].value = s64_from(p);
		r[0].timestamp = 0;
		*count = 1;
		return 0;
	}
	n = len / sizeof(struct scmi_sensor_reading);
	if (n == 0)
		return -EPROTO;
	if (n > cap)
		return -ENOBUFS;
	for (i = 0; i < n; i++) {
		r[i].value = s64_from(p + 16 * i);
		r[i].timestamp = (uint64_t)s64_from(p + 16 * i + 8);
	}
	*count = n;
	return 0;
}

int scmi_sensor_reading_get(struct scmi_handle *h, uint32_t sensor, bool async,
			    struct scmi_sensor_value *r, size_t cap, size_t *count)
{
	struct scmi_sensor_reading_get_a2p *t;
	struct scmi_xfer *x;
	uint32_t version;
	bool v3;
	int ret;

	ret = scmi_proto_version(h, SCMI_PROTO_SENSOR, &version);
	if (ret)
		return ret;
	v3 = SCMI_VERSION_MAJOR(version) >= 3;

	ret = scmi_xfer_get_init(h, SCMI_PROTO_SENSOR, SCMI_SENSOR_READING_GET, sizeof(*t), 0, &x);
	if (ret)
		return ret;
	t = SCMI_TX(x, struct scmi_sensor_reading_get_a2p);
	t->sensor_id = CPU(sensor);
	t->flags = CPU(async ? SCMI_SENSOR_READ_ASYNC : 0);
	if (!async) {
		ret = scmi_do_xfer(h, x);
		if (!ret)
			ret = sensor_parse_readings(x->rx.buf, x->rx.len, v3, r, cap, count);
		goto out_put;
	}
	ret = scmi_do_xfer_with_response(h, x);
	if (ret)
		goto out_put;
	/* SENSOR_READING_COMPLETE: { sensor_id, readings[] } */
	if (x->rx.len < sizeof(struct scmi_sensor_reading_complete_p2a) ||
	    scmi_rx_word(x->rx.buf, 0) != sensor) {
		ret = -EPROTO;
		goto out_put;
	}
	ret = sensor_parse_readings(x->rx.buf + 4, x->rx.len - 4, v3, r, cap, count);
out_put:
	scmi_xfer_put(h, x);
	return ret;
}

/* ---- SENSOR_AXIS_DESCRIPTION_GET ---------------------------------------------------- */

struct axis_priv {
	uint32_t sensor;
	struct scmi_sensor_axis_info *axes;
	size_t cap;
};

static void axis_prepare(uint8_t *tx, uint32_t index, void *priv)
{
	const struct axis_priv *p = priv;

	scmi_put_le32(tx, p->sensor);
	scmi_put_le32(tx + 4, index);
}

static int axis_update(struct scmi_iter_state *st, void *priv)
{
	uint32_t f = scmi_rx_word(st->rx, 0);

	st->returned = SCMI_FIELD_GET(SCMI_SENSOR_AXIS_RETURNED, f);
	st->remaining = SCMI_FIELD_GET(SCMI_SENSOR_AXIS_REMAINING, f);
	st->item_size = 0;
	if ((uint64_t)st->returned * sizeof(struct scmi_sensor_axis_desc) > st->rx_len - st->hdr_size)
		return -EPROTO;
	return 0;
}

static int axis_process(struct scmi_iter_state *st, void *priv)
{
	struct axis_priv *p = priv;
	const uint8_t *e = st->rx + st->offset;
	size_t avail = st->rx_len - st->offset;
	const struct scmi_sensor_axis_desc *w = (const void *)e;
	uint32_t i = st->index + st->loop_idx, lo, hi, size;
	struct scmi_sensor_axis_info *a;

	if (avail < sizeof(*w))
		return -EPROTO;
	lo = scmi_get_le32(e + offsetof(struct scmi_sensor_axis_desc, attributes_low));
	hi = scmi_get_le32(e + offsetof(struct scmi_sensor_axis_desc, attributes_high));
	size = scmi_sensor_axis_desc_size(lo);
	if (avail < size)
		return -EPROTO;
	if (i >= p->cap)
		return (int)size;	/* counted, not kept */

	a = &p->axes[i];
	memset(a, 0, sizeof(*a));
	a->id = scmi_get_le32(e);
	a->attrs_low = lo;
	a->attrs_high = hi;
	a->ext_attrs = lo & SCMI_SENSOR_AXIS_EXT_ATTRS;
	a->ext_name = lo & SCMI_SENSOR_AXIS_EXT_NAME;
	a->type = (uint8_t)SCMI_FIELD_GET(SCMI_SENSOR_TYPE, hi);
	a->scale = (int8_t)scmi_sign_extend(SCMI_FIELD_GET(SCMI_SENSOR_SCALE, hi), 5);
	scmi_copy_name(a->name, w->name, sizeof(w->name));
	if (a->ext_attrs) {
		e += sizeof(*w);
		a->resolution = scmi_get_le32(e);
		a->min_range = s64_from(e + 4);
		a->max_range = s64_from(e + 12);
	}
	return (int)size;
}

static int sensor_axes(struct scmi_handle *h, uint32_t sensor, struct scmi_sensor_axis_info *axes,
		       size_t cap, bool truncate, uint32_t *total)
{
	static const struct scmi_iter_ops ops = {
		.prepare = axis_prepare,
		.update = axis_update,
		.process = axis_process,
	};
	struct axis_priv p = { .sensor = sensor, .axes = axes, .cap = cap };
	uint32_t max = truncate ? UINT32_MAX : (uint32_t)OS_MIN(cap, (size_t)UINT32_MAX);

	return scmi_iter_run(h, SCMI_PROTO_SENSOR, SCMI_SENSOR_AXIS_DESCRIPTION_GET,
			     sizeof(struct scmi_sensor_axis_description_get_a2p), max, -ENOBUFS,
			     &ops, &p, total);
}

int scmi_sensor_axis_description_get(struct scmi_handle *h, uint32_t sensor,
				     struct scmi_sensor_axis_info *axes, size_t cap, size_t *count)
{
	uint32_t total;
	int ret;

	ret = sensor_axes(h, sensor, axes, cap, false, &total);
	if (ret)
		return ret;
	*count = total;
	return 0;
}

/* ---- SENSOR_LIST_UPDATE_INTERVALS ---------------------------------------------------- */

struct intervals_priv {
	uint32_t sensor;
	struct scmi_sensor_intervals *iv;
};

static void intervals_prepare(uint8_t *tx, uint32_t index, void *priv)
{
	const struct intervals_priv *p = priv;

	scmi_put_le32(tx, p->sensor);
	scmi_put_le32(tx + 4, index);
}

static int intervals_update(struct scmi_iter_state *st, void *priv)
{
	struct intervals_priv *p = priv;
	uint32_t f = scmi_rx_word(st->rx, 0);

	st->returned = SCMI_FIELD_GET(SCMI_SENSOR_INTVL_RETURNED, f);
	st->remaining = SCMI_FIELD_GET(SCMI_SENSOR_INTVL_REMAINING, f);
	st->item_size = 4;
	if (f & SCMI_SENSOR_INTVL_FORMAT_RANGE) {
		/* A segment is one {low, high, step} triplet, on page one only. */
		if (st->index != 0 || st->returned != 3 || st->remaining != 0)
			return -EPROTO;
		p->iv->segmented = true;
		st->single_page = true;
	} else if (p->iv->segmented) {
		return -EPROTO;
	}
	return 0;
}

static int intervals_process(struct scmi_iter_state *st, void *priv)
{
	struct intervals_priv *p = priv;
	uint32_t i = st->index + st->loop_idx;

	if (i < OS_ARRAY_SIZE(p->iv->raw)) {
		p->iv->raw[i] = scmi_get_le32(st->rx + st->offset);
		p->iv->count = i + 1;
	}
	return 0;
}

int scmi_sensor_list_update_intervals(struct scmi_handle *h, uint32_t sensor,
				      struct scmi_sensor_intervals *iv)
{
	static const struct scmi_iter_ops ops = {
		.prepare = intervals_prepare,
		.update = intervals_update,
		.process = intervals_process,
	};
	struct scmi_sensor_intervals tmp = { 0 };
	struct intervals_priv p = { .sensor = sensor, .iv = &tmp };
	uint32_t total;
	int ret;

	ret = scmi_iter_run(h, SCMI_PROTO_SENSOR, SCMI_SENSOR_LIST_UPDATE_INTERVALS,
			    sizeof(struct scmi_sensor_list_update_intervals_a2p), UINT32_MAX,
			    -EPROTO, &ops, &p, &total);
	if (ret)
		return ret;
	tmp.total = total;
	*iv = tmp;
	return 0;
}

/* ---- configuration, names, notifications ---------------------------------------------- */

int scmi_sensor_config_get(struct scmi_handle *h, uint32_t sensor, uint32_t *config)
{
	return scmi_cmd_words(h, SCMI_PROTO_SENSOR, SCMI_SENSOR_CONFIG_GET, &sensor, 1, config, 1);
}

int scmi_sensor_config_set(struct scmi_handle *h, uint32_t sensor, uint32_t config)
{
	uint32_t in[2] = { sensor, config };

	return scmi_cmd_words(h, SCMI_PROTO_SENSOR, SCMI_SENSOR_CONFIG_SET, in, 2, NULL, 0);
}

int scmi_sensor_continuous_update_notify(struct scmi_handle *h, uint32_t sensor, bool enable)
{
	return scmi_cmd_notify(h, SCMI_PROTO_SENSOR, SCMI_SENSOR_CONTINUOUS_UPDATE_NOTIFY, sensor,
			       enable);
}

int scmi_sensor_name_get(struct scmi_handle *h, uint32_t sensor, char name[SCMI_NAME_MAX])
{
	return scmi_cmd_ext_name(h, SCMI_PROTO_SENSOR, SCMI_SENSOR_NAME_GET, sensor, false, 0, name);
}

struct axis_name_priv {
	uint32_t sensor;
	struct scmi_sensor_axis_info *axes;
	size_t n;
};

static int axis_name_update(struct scmi_iter_state *st, void *priv)
{
	uint32_t f = scmi_rx_word(st->rx, 0);

	st->returned = SCMI_FIELD_GET(SCMI_SENSOR_AXIS_RETURNED, f);
	st->remaining = SCMI_FIELD_GET(SCMI_SENSOR_AXIS_REMAINING, f);
	st->item_size = sizeof(struct scmi_sensor_axis_name);
	return 0;
}

static int axis_name_process(struct scmi_iter_state *st, void *priv)
{
	struct axis_name_priv *p = priv;
	const struct scmi_sensor_axis_name *e = (const void *)(st->rx + st->offset);
	uint32_t id = scmi_get_le32(st->rx + st->offset);
	size_t i;

	/* Matched by id: a name for an axis we do not know is skipped. */
	for (i = 0; i < p->n; i++) {
		if (p->axes[i].id == id) {
			scmi_copy_name(p->axes[i].name, e->name, sizeof(e->name));
			break;
		}
	}
	return 0;
}

int scmi_sensor_axis_name_get(struct scmi_handle *h, uint32_t sensor,
			      struct scmi_sensor_axis_info *axes, size_t n)
{
	static const struct scmi_iter_ops ops = {
		.prepare = axis_prepare,	/* same { sensor, index } request */
		.update = axis_name_update,
		.process = axis_name_process,
	};
	struct axis_name_priv p = { .sensor = sensor, .axes = axes, .n = n };

	return scmi_iter_run(h, SCMI_PROTO_SENSOR, SCMI_SENSOR_AXIS_NAME_GET,
			     sizeof(struct scmi_sensor_axis_name_get_a2p), UINT32_MAX, -EPROTO,
			     &ops, &p, NULL);
}

int scmi_sensor_parse_trip_event(const void *payload, size_t len,
				 struct scmi_sensor_trip_event *ev)
{
	const uint8_t *p = payload;
	uint32_t desc;

	if (len < sizeof(struct scmi_sensor_trip_point_event_p2a))
		return -EPROTO;
	desc = scmi_get_le32(p + 8);
	ev->agent_id = scmi_get_le32(p);
	ev->sensor_id = scmi_get_le32(p + 4);
	ev->trip_point_desc = desc;
	ev->trip_point_id = SCMI_FIELD_GET(SCMI_SENSOR_TP_EVT_ID, desc);
	ev->ascending = desc & SCMI_SENSOR_TP_EVT_DIRECTION;
	return 0;
}

int scmi_sensor_parse_update_event(const void *payload, size_t len,
				   struct scmi_sensor_update_event *ev)
{
	const uint8_t *p = payload;
	size_t count;
	int ret;

	if (len < sizeof(struct scmi_sensor_update_p2a) + sizeof(struct scmi_sensor_reading))
		return -EPROTO;
	ret = sensor_parse_readings(p + 8, len - 8, true, ev->readings,
				    OS_ARRAY_SIZE(ev->readings), &count);
	if (ret)
		return ret;
	ev->agent_id = scmi_get_le32(p);
	ev->sensor_id = scmi_get_le32(p + 4);
	ev->nr_readings = (uint32_t)count;
	return 0;
}

/* ---- enumeration ------------------------------------------------------------------------ */

int scmi_sensor_describe(struct scmi_handle *h, uint32_t sensor, struct scmi_sensor_info *info)
{
	uint32_t total, i;
	int ret;

	memset(info, 0, sizeof(*info));
	ret = sensor_desc_one(h, sensor, &info->desc);
	if (ret)
		return ret;
	if (info->desc.ext_name)
		(void)scmi_sensor_name_get(h, sensor, info->desc.name);
	ret = scmi_sensor_config_get(h, sensor, &info->config);
	if (ret && !scmi_refused(ret))
		return ret;
	if (ret)
		info->config = 0;
	ret = scmi_sensor_list_update_intervals(h, sensor, &info->intervals);
	if (ret && !scmi_refused(ret))
		return ret;
	info->has_intervals = !ret;
	if (!info->desc.has_axes)
		return 0;
	ret = sensor_axes(h, sensor, info->axes, OS_ARRAY_SIZE(info->axes), true, &total);
	if (ret)
		return ret;
	info->nr_axes = OS_MIN(total, (uint32_t)OS_ARRAY_SIZE(info->axes));
	for (i = 0; i < info->nr_axes; i++) {
		if (info->axes[i].ext_name) {
			(void)scmi_sensor_axis_name_get(h, sensor, info->axes, info->nr_axes);
			break;
		}
	}
	return 0;
}

int scmi_sensor_for_each(struct scmi_handle *h,
			 int (*fn)(void *priv, const struct scmi_sensor_info *s), void *priv)
{
	struct scmi_sensor_proto_info pi;
	struct scmi_sensor_info *info;
	uint32_t i;
	int ret;

	ret = scmi_sensor_protocol_attributes(h, &pi);
	if (ret)
		return ret;
	info = os_zalloc(sizeof(*info));
	if (!info)
		return -ENOMEM;
	for (i = 0; i < pi.num_sensors; i++) {
		ret = scmi_sensor_describe(h, i, info);
		if (!ret)
			ret = fn(priv, info);
		if (ret)
			break;
	}
	os_free(info);
	return ret;
}
