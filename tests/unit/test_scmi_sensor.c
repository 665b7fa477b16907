// SPDX-License-Identifier: MIT
/*
 * Unit tests of the agent's sensor protocol (scmi/agent/sensor.c) against
 * the scripted fake platform: every command and error status, short
 * replies, variable-size descriptors (with and without extended
 * attributes) across pages and with lying counts, readings synchronous and
 * asynchronous (delayed response before and after), multi-axis readings,
 * update intervals as a list and a segment, axis names, trip points,
 * notification payloads, describe and for-each.
 */
#include "tests/unit/scmi_proto_test.h"

#define P SCMI_PROTO_SENSOR

static int sensor_setup(void **state)
{
	struct pt *t = pt_open(0);

	scmi_proto_version_set(t->h, P, SCMI_VERSION(3, 1));
	*state = t;
	return 0;
}

static int c_proto(struct scmi_handle *h)
{
	struct scmi_sensor_proto_info pi;

	return scmi_sensor_protocol_attributes(h, &pi);
}

static int c_proto_raw(struct scmi_handle *h)
{
	uint32_t w[4];
	size_t got;

	return scmi_protocol_attributes(h, P, w, 4, &got);
}

static int c_desc(struct scmi_handle *h)
{
	struct scmi_sensor_attrs d[2];
	size_t n;

	return scmi_sensor_description_get(h, d, 2, &n);
}

static int c_tp_notify(struct scmi_handle *h)
{
	return scmi_sensor_trip_point_notify(h, 0, true);
}

static int c_tp_config(struct scmi_handle *h)
{
	return scmi_sensor_trip_point_config(h, 0, 1, SCMI_SENSOR_TRIP_BOTH, 5);
}

static int c_read(struct scmi_handle *h)
{
	struct scmi_sensor_value v[2];
	size_t n;

	return scmi_sensor_reading_get(h, 0, false, v, 2, &n);
}

static int c_axis(struct scmi_handle *h)
{
	struct scmi_sensor_axis_info a[2];
	size_t n;

	return scmi_sensor_axis_description_get(h, 0, a, 2, &n);
}

static int c_intervals(struct scmi_handle *h)
{
	struct scmi_sensor_intervals iv;

	return scmi_sensor_list_update_intervals(h, 0, &iv);
}

static int c_cfg_get(struct scmi_handle *h)
{
	uint32_t c;

	return scmi_sensor_config_get(h, 0, &c);
}

static int c_cfg_set(struct scmi_handle *h)
{
	return scmi_sensor_config_set(h, 0, SCMI_SENSOR_CFG_ENABLED);
}

static int c_cont(struct scmi_handle *h)
{
	return scmi_sensor_continuous_update_notify(h, 0, true);
}

static int c_name(struct scmi_handle *h)
{
	char n[SCMI_NAME_MAX];

	return scmi_sensor_name_get(h, 0, n);
}

static int c_axis_name(struct scmi_handle *h)
{
	struct scmi_sensor_axis_info a[1] = { { .id = 0 } };

	return scmi_sensor_axis_name_get(h, 0, a, 1);
}

static const struct pt_cmd sensor_cmds[] = {
	{ "PROTOCOL_VERSION", SCMI_MSG_PROTOCOL_VERSION, c_proto, 4 },
	{ "PROTOCOL_ATTRIBUTES", SCMI_MSG_PROTOCOL_ATTRIBUTES, c_proto_raw, 4 },
	{ "SENSOR_DESCRIPTION_GET", SCMI_SENSOR_DESCRIPTION_GET, c_desc, 4 },
	{ "SENSOR_TRIP_POINT_NOTIFY", SCMI_SENSOR_TRIP_POINT_NOTIFY, c_tp_notify, 0 },
	{ "SENSOR_TRIP_POINT_CONFIG", SCMI_SENSOR_TRIP_POINT_CONFIG, c_tp_config, 0 },
	{ "SENSOR_READING_GET", SCMI_SENSOR_READING_GET, c_read, 16 },
	{ "SENSOR_AXIS_DESCRIPTION_GET", SCMI_SENSOR_AXIS_DESCRIPTION_GET, c_axis, 4 },
	{ "SENSOR_LIST_UPDATE_INTERVALS", SCMI_SENSOR_LIST_UPDATE_INTERVALS, c_intervals, 4 },
	{ "SENSOR_CONFIG_GET", SCMI_SENSOR_CONFIG_GET, c_cfg_get, 4 },
	{ "SENSOR_CONFIG_SET", SCMI_SENSOR_CONFIG_SET, c_cfg_set, 0 },
	{ "SENSOR_CONTINUOUS_UPDATE_NOTIFY", SCMI_SENSOR_CONTINUOUS_UPDATE_NOTIFY, c_cont, 0 },
	{ "SENSOR_NAME_GET", SCMI_SENSOR_NAME_GET, c_name, 68 },
	{ "SENSOR_AXIS_NAME_GET", SCMI_SENSOR_AXIS_NAME_GET, c_axis_name, 4 },
};

static void test_statuses(void **state)
{
	pt_check_statuses(*state, P, sensor_cmds, OS_ARRAY_SIZE(sensor_cmds));
}

static void test_truncated(void **state)
{
	pt_check_truncated(*state, P, sensor_cmds, OS_ARRAY_SIZE(sensor_cmds));
}

/* Write a sensor descriptor at @p; with @ext also the 24-byte tail. Returns its size. */
static size_t put_desc(uint8_t *p, uint32_t id, uint32_t lo, uint32_t hi, const char *name,
		       bool ext)
{
	memset(p, 0, 52);
	fake_le32(p, id);
	fake_le32(p + 4, lo | (ext ? SCMI_SENSOR_EXT_ATTRS : 0));
	fake_le32(p + 8, hi);
	memcpy(p + 12, name, strlen(name));
	if (!ext)
		return 28;
	fake_le32(p + 28, 250);			/* power, uW */
	fake_le32(p + 32, 3);			/* resolution */
	fake_le32(p + 36, (uint32_t)-40);	/* min = -40 */
	fake_le32(p + 40, 0xffffffff);
	fake_le32(p + 44, 125);			/* max = 125 */
	fake_le32(p + 48, 0);
	return 52;
}

static void test_descriptions(void **state)
{
	struct pt *t = *state;
	struct scmi_sensor_attrs d[4];
	uint8_t page[128];
	size_t len, n;

	/* page 1: a plain descriptor and an extended one; page 2: one more */
	fake_le32(page, 0x10002);
	len = 4 + put_desc(page + 4, 0, SCMI_SENSOR_ASYNC_READ | 2, 0x2 | (0x1f << 11), "temp",
			   false);
	len += put_desc(page + len, 1, SCMI_SENSOR_TSTAMP | (0x1c << 10), 0x5, "volt", true);
	EXPECT_OK(t, P, SCMI_SENSOR_DESCRIPTION_GET, WORDS(0), page, len);
	fake_le32(page, 0x00001);
	len = 4 + put_desc(page + 4, 2, 0, SCMI_SENSOR_AXES | (3 << 16), "accel", false);
	EXPECT_OK(t, P, SCMI_SENSOR_DESCRIPTION_GET, WORDS(2), page, len);
	assert_int_equal(scmi_sensor_description_get(t->h, d, 4, &n), 0);
	assert_int_equal(n, 3);
	assert_string_equal(d[0].name, "temp");
	assert_true(d[0].async);
	assert_int_equal(d[0].num_trip_points, 2);
	assert_int_equal(d[0].type, 2);
	assert_int_equal(d[0].scale, -1);		/* 5-bit two's complement */
	assert_false(d[0].ext_attrs);
	assert_true(d[1].ext_attrs && d[1].timestamp);
	assert_int_equal(d[1].timestamp_exp, -4);
	assert_true(d[1].min_range == -40 && d[1].max_range == 125);
	assert_int_equal(d[1].power_uw, 250);
	assert_true(d[2].has_axes);
	assert_int_equal(d[2].num_axes, 3);

	/* lie: the extended flag set but the tail missing */
	fake_le32(page, 0x00001);
	len = 4 + put_desc(page + 4, 0, 0, 0, "x", true) - 24;
	EXPECT_OK(t, P, SCMI_SENSOR_DESCRIPTION_GET, WORDS(0), page, len);
	assert_int_equal(scmi_sensor_description_get(t->h, d, 4, &n), -EPROTO);

	/* lie: two claimed, one sent */
	fake_le32(page, 0x00002);
	len = 4 + put_desc(page + 4, 0, 0, 0, "x", false);
	EXPECT_OK(t, P, SCMI_SENSOR_DESCRIPTION_GET, WORDS(0), page, len);
	assert_int_equal(scmi_sensor_description_get(t->h, d, 4, &n), -EPROTO);

	/* lie: nothing returned, three remaining */
	EXPECT_OK(t, P, SCMI_SENSOR_DESCRIPTION_GET, WORDS(0), WORDS(0x30000));
	assert_int_equal(scmi_sensor_description_get(t->h, d, 4, &n), -EPROTO);

	/* more sensors than the caller's table */
	fake_le32(page, 0x90001);
	len = 4 + put_desc(page + 4, 0, 0, 0, "x", false);
	EXPECT_OK(t, P, SCMI_SENSOR_DESCRIPTION_GET, WORDS(0), page, len);
	assert_int_equal(scmi_sensor_description_get(t->h, d, 4, &n), -ENOBUFS);
}

static void test_readings(void **state)
{
	struct pt *t = *state;
	struct scmi_sensor_value v[4];
	size_t n;

	/* plain sensor, v3 layout: value + timestamp, negative value */
	EXPECT_OK(t, P, SCMI_SENSOR_READING_GET, WORDS(3, 0),
		  WORDS((uint32_t)-5, 0xffffffff, 1000, 0));
	assert_int_equal(scmi_sensor_reading_get(t->h, 3, false, v, 4, &n), 0);
	assert_int_equal(n, 1);
	assert_true(v[0].value == -5 && v[0].timestamp == 1000);

	/* three axes */
	EXPECT_OK(t, P, SCMI_SENSOR_READING_GET, WORDS(3, 0),
		  WORDS(1, 0, 7, 0, 2, 0, 7, 0, 3, 0, 7, 0));
	assert_int_equal(scmi_sensor_reading_get(t->h, 3, false, v, 4, &n), 0);
	assert_int_equal(n, 3);
	assert_true(v[2].value == 3);
	/* more axes than the caller holds */
	EXPECT_OK(t, P, SCMI_SENSOR_READING_GET, WORDS(3, 0),
		  WORDS(1, 0, 7, 0, 2, 0, 7, 0, 3, 0, 7, 0));
	assert_int_equal(scmi_sensor_reading_get(t->h, 3, false, v, 2, &n), -ENOBUFS);

	/* async, delayed response after then before the response */
	EXPECT_OK(t, P, SCMI_SENSOR_READING_GET, WORDS(3, 1), NORESP);
	fake_expect_dresp(t->fp, SCMI_SUCCESS, WORDS(3, 42, 0, 9, 0), false);
	assert_int_equal(scmi_sensor_reading_get(t->h, 3, true, v, 4, &n), 0);
	assert_true(n == 1 && v[0].value == 42 && v[0].timestamp == 9);
	EXPECT_OK(t, P, SCMI_SENSOR_READING_GET, WORDS(3, 1), NORESP);
	fake_expect_dresp(t->fp, SCMI_SUCCESS, WORDS(3, 43, 0, 10, 0), true);
	assert_int_equal(scmi_sensor_reading_get(t->h, 3, true, v, 4, &n), 0);
	assert_true(v[0].value == 43);
	/* the delayed response is about another sensor / is empty */
	EXPECT_OK(t, P, SCMI_SENSOR_READING_GET, WORDS(3, 1), NORESP);
	fake_expect_dresp(t->fp, SCMI_SUCCESS, WORDS(4, 43, 0, 10, 0), false);
	assert_int_equal(scmi_sensor_reading_get(t->h, 3, true, v, 4, &n), -EPROTO);
	EXPECT_OK(t, P, SCMI_SENSOR_READING_GET, WORDS(3, 1), NORESP);
	fake_expect_dresp(t->fp, SCMI_SUCCESS, WORDS(3), false);
	assert_int_equal(scmi_sensor_reading_get(t->h, 3, true, v, 4, &n), -EPROTO);

	/* a 2.x platform sends just the value */
	scmi_proto_version_set(t->h, P, SCMI_VERSION(2, 0));
	EXPECT_OK(t, P, SCMI_SENSOR_READING_GET, WORDS(3, 0), WORDS(77, 0));
	assert_int_equal(scmi_sensor_reading_get(t->h, 3, false, v, 4, &n), 0);
	assert_true(n == 1 && v[0].value == 77 && v[0].timestamp == 0);
	EXPECT_OK(t, P, SCMI_SENSOR_READING_GET, WORDS(3, 0), WORDS(77));
	assert_int_equal(scmi_sensor_reading_get(t->h, 3, false, v, 4, &n), -EPROTO);
}

static void test_axes(void **state)
{
	struct pt *t = *state;
	struct scmi_sensor_axis_info a[3];
	uint8_t page[128], names[4 + 68 * 1];
	size_t len, n;

	/* x plain, y extended, then z on a second page */
	memset(page, 0, sizeof(page));
	fake_le32(page, (1u << 26) | 2);
	fake_le32(page + 4, 0);
	fake_le32(page + 12, 0x1f << 11 | 3);
	memcpy(page + 16, "x", 1);
	fake_le32(page + 32, 1);
	fake_le32(page + 36, SCMI_SENSOR_AXIS_EXT_ATTRS | SCMI_SENSOR_AXIS_EXT_NAME);
	memcpy(page + 44, "y", 1);
	fake_le32(page + 60, 5);		/* resolution */
	fake_le32(page + 64, 1);		/* min */
	fake_le32(page + 72, 99);		/* max */
	len = 4 + 28 + 48;
	EXPECT_OK(t, P, SCMI_SENSOR_AXIS_DESCRIPTION_GET, WORDS(7, 0), page, len);
	memset(page, 0, sizeof(page));
	fake_le32(page, 1);
	fake_le32(page + 4, 2);
	memcpy(page + 16, "z", 1);
	EXPECT_OK(t, P, SCMI_SENSOR_AXIS_DESCRIPTION_GET, WORDS(7, 2), page, 32);
	assert_int_equal(scmi_sensor_axis_description_get(t->h, 7, a, 3, &n), 0);
	assert_int_equal(n, 3);
	assert_string_equal(a[0].name, "x");
	assert_int_equal(a[0].scale, -1);
	assert_int_equal(a[0].type, 3);
	assert_true(a[1].ext_attrs && a[1].ext_name);
	assert_true(a[1].resolution == 5 && a[1].min_range == 1 && a[1].max_range == 99);
	assert_int_equal(a[2].id, 2);

	/* names are matched by axis id; unknown ids skipped */
	memset(names, 0, sizeof(names));
	fake_le32(names, 1);
	fake_le32(names + 4, 1);
	memcpy(names + 8, "y-axis-with-an-extended-name", 28);
	EXPECT_OK(t, P, SCMI_SENSOR_AXIS_NAME_GET, WORDS(7, 0), names, sizeof(names));
	assert_int_equal(scmi_sensor_axis_name_get(t->h, 7, a, 3), 0);
	assert_string_equal(a[1].name, "y-axis-with-an-extended-name");
	assert_string_equal(a[0].name, "x");
	fake_le32(names + 4, 9);
	EXPECT_OK(t, P, SCMI_SENSOR_AXIS_NAME_GET, WORDS(7, 0), names, sizeof(names));
	assert_int_equal(scmi_sensor_axis_name_get(t->h, 7, a, 3), 0);
	/* a name entry cut short */
	EXPECT_OK(t, P, SCMI_SENSOR_AXIS_NAME_GET, WORDS(7, 0), names, sizeof(names) - 1);
	assert_int_equal(scmi_sensor_axis_name_get(t->h, 7, a, 3), -EPROTO);

	/* lie: one page, remaining does not shrink */
	fake_le32(page, (2u << 26) | 1);
	EXPECT_OK(t, P, SCMI_SENSOR_AXIS_DESCRIPTION_GET, WORDS(7, 0), page, 32);
	EXPECT_OK(t, P, SCMI_SENSOR_AXIS_DESCRIPTION_GET, WORDS(7, 1), page, 32);
	assert_int_equal(scmi_sensor_axis_description_get(t->h, 7, a, 3, &n), -EPROTO);
}

static void test_intervals(void **state)
{
	struct pt *t = *state;
	struct scmi_sensor_intervals iv;

	EXPECT_OK(t, P, SCMI_SENSOR_LIST_UPDATE_INTERVALS, WORDS(1, 0),
		  WORDS(0x10002, 1 << 5, 2 << 5));
	EXPECT_OK(t, P, SCMI_SENSOR_LIST_UPDATE_INTERVALS, WORDS(1, 2), WORDS(1, 5 << 5 | 0x1f));
	assert_int_equal(scmi_sensor_list_update_intervals(t->h, 1, &iv), 0);
	assert_false(iv.segmented);
	assert_int_equal(iv.count, 3);
	assert_int_equal(iv.total, 3);
	assert_int_equal(SCMI_FIELD_GET(SCMI_SENSOR_INTVL_SECS, iv.raw[2]), 5);

	EXPECT_OK(t, P, SCMI_SENSOR_LIST_UPDATE_INTERVALS, WORDS(1, 0),
		  WORDS(0x1003, 1 << 5, 10 << 5, 1 << 5));
	assert_int_equal(scmi_sensor_list_update_intervals(t->h, 1, &iv), 0);
	assert_true(iv.segmented);
	assert_int_equal(iv.count, 3);

	/* a segment with remaining entries is a lie */
	EXPECT_OK(t, P, SCMI_SENSOR_LIST_UPDATE_INTERVALS, WORDS(1, 0),
		  WORDS(0x11003, 1 << 5, 10 << 5, 1 << 5));
	assert_int_equal(scmi_sensor_list_update_intervals(t->h, 1, &iv), -EPROTO);
}

static void test_config_and_trips(void **state)
{
	struct pt *t = *state;
	uint32_t c;

	EXPECT_OK(t, P, SCMI_SENSOR_CONFIG_GET, WORDS(2), WORDS(0x000a0003));
	assert_int_equal(scmi_sensor_config_get(t->h, 2, &c), 0);
	assert_int_equal(c, 0x000a0003);
	EXPECT_OK(t, P, SCMI_SENSOR_CONFIG_SET, WORDS(2, 1), NORESP);
	assert_int_equal(scmi_sensor_config_set(t->h, 2, SCMI_SENSOR_CFG_ENABLED), 0);

	EXPECT_OK(t, P, SCMI_SENSOR_TRIP_POINT_NOTIFY, WORDS(2, 1), NORESP);
	assert_int_equal(scmi_sensor_trip_point_notify(t->h, 2, true), 0);
	/* trip id in bits 11:4, control in 1:0, 64-bit signed value */
	EXPECT_OK(t, P, SCMI_SENSOR_TRIP_POINT_CONFIG, WORDS(2, 0x32, (uint32_t)-3, 0xffffffff),
		  NORESP);
	assert_int_equal(scmi_sensor_trip_point_config(t->h, 2, 3, SCMI_SENSOR_TRIP_NEGATIVE, -3),
			 0);
	assert_int_equal(scmi_sensor_trip_point_config(t->h, 2, 3, (enum scmi_sensor_trip_ctrl)4,
						       0), -EINVAL);
	EXPECT_OK(t, P, SCMI_SENSOR_CONTINUOUS_UPDATE_NOTIFY, WORDS(2, 0), NORESP);
	assert_int_equal(scmi_sensor_continuous_update_notify(t->h, 2, false), 0);
}

static void test_events(void **state)
{
	struct scmi_sensor_trip_event te;
	struct scmi_sensor_update_event ue;
	uint32_t trip[3] = { 1, 2, (1u << 16) | 3 };
	uint32_t upd[2 + 8] = { 1, 2, 10, 0, 100, 0, 20, 0, 200, 0 };

	assert_int_equal(scmi_sensor_parse_trip_event(trip, 11, &te), -EPROTO);
	assert_int_equal(scmi_sensor_parse_trip_event(trip, 12, &te), 0);
	assert_true(te.ascending);
	assert_int_equal(te.trip_point_id, 3);
	assert_int_equal(te.sensor_id, 2);

	assert_int_equal(scmi_sensor_parse_update_event(upd, 8, &ue), -EPROTO);
	assert_int_equal(scmi_sensor_parse_update_event(upd, sizeof(upd), &ue), 0);
	assert_int_equal(ue.nr_readings, 2);
	assert_true(ue.readings[1].value == 20 && ue.readings[1].timestamp == 200);
}

static int visit(void *priv, const struct scmi_sensor_info *s)
{
	int *n = priv;

	assert_string_equal(s->desc.name, "a-long-accelerometer-name");
	assert_int_equal(s->nr_axes, 1);
	assert_string_equal(s->axes[0].name, "x");
	assert_int_equal(s->config, 1);
	assert_true(s->has_intervals);
	assert_int_equal(s->intervals.count, 1);
	(*n)++;
	return 0;
}

static void test_describe(void **state)
{
	struct pt *t = *state;
	uint8_t page[64], nm[68] = { 0 }, ax[32] = { 0 };
	size_t len;
	int n = 0;

	fake_le32(page, 1);
	len = 4 + put_desc(page + 4, 0, SCMI_SENSOR_EXT_NAME, SCMI_SENSOR_AXES | (1 << 16), "acc",
			   false);
	memcpy(nm + 4, "a-long-accelerometer-name", 25);
	fake_le32(ax, 1);
	memcpy(ax + 16, "x", 1);

	EXPECT_OK(t, P, SCMI_MSG_PROTOCOL_VERSION, EMPTY, WORDS(0x30001));
	EXPECT_OK(t, P, SCMI_MSG_PROTOCOL_ATTRIBUTES, EMPTY, WORDS(1, 0, 0, 0));
	EXPECT_OK(t, P, SCMI_SENSOR_DESCRIPTION_GET, WORDS(0), page, len);
	EXPECT_OK(t, P, SCMI_SENSOR_NAME_GET, WORDS(0), nm, sizeof(nm));
	EXPECT_OK(t, P, SCMI_SENSOR_CONFIG_GET, WORDS(0), WORDS(1));
	EXPECT_OK(t, P, SCMI_SENSOR_LIST_UPDATE_INTERVALS, WORDS(0, 0), WORDS(1, 1 << 5));
	EXPECT_OK(t, P, SCMI_SENSOR_AXIS_DESCRIPTION_GET, WORDS(0, 0), ax, sizeof(ax));
	assert_int_equal(scmi_sensor_for_each(t->h, visit, &n), 0);
	assert_int_equal(n, 1);

	/* the descriptor at index 5 is not sensor 5 */
	fake_le32(page, 1);
	put_desc(page + 4, 4, 0, 0, "x", false);
	EXPECT_OK(t, P, SCMI_SENSOR_DESCRIPTION_GET, WORDS(5), page, 32);
	{
		struct scmi_sensor_info info;

		assert_int_equal(scmi_sensor_describe(t->h, 5, &info), -EPROTO);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_statuses, sensor_setup, pt_teardown),
		cmocka_unit_test_setup_teardown(test_truncated, sensor_setup, pt_teardown),
		cmocka_unit_test_setup_teardown(test_descriptions, sensor_setup, pt_teardown),
		cmocka_unit_test_setup_teardown(test_readings, sensor_setup, pt_teardown),
		cmocka_unit_test_setup_teardown(test_axes, sensor_setup, pt_teardown),
		cmocka_unit_test_setup_teardown(test_intervals, sensor_setup, pt_teardown),
		cmocka_unit_test_setup_teardown(test_config_and_trips, sensor_setup, pt_teardown),
		cmocka_unit_test(test_events),
		cmocka_unit_test_setup_teardown(test_describe, sensor_setup, pt_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
