// SPDX-License-Identifier: MIT
/*
 * Unit tests of the agent's voltage domain protocol (scmi/agent/voltage.c)
 * against the scripted fake platform: every command and error status,
 * short replies, levels as a list over pages and as a segment (with lying
 * counts), configuration, synchronous and asynchronous level set, describe.
 */
#include "tests/unit/scmi_proto_test.h"

#define P SCMI_PROTO_VOLTAGE

static int c_proto(struct scmi_handle *h)
{
	uint32_t v, n;

	return scmi_voltage_protocol_attributes(h, &v, &n);
}

static int c_proto_raw(struct scmi_handle *h)
{
	uint32_t w;
	size_t got;

	return scmi_protocol_attributes(h, P, &w, 1, &got);
}

static int c_dom(struct scmi_handle *h)
{
	struct scmi_voltage_domain_info d;

	return scmi_voltage_domain_attributes(h, 0, &d);
}

static int c_levels(struct scmi_handle *h)
{
	int32_t l[4];
	size_t n;
	bool r;

	return scmi_voltage_describe_levels(h, 0, l, 4, &n, &r);
}

static int c_cfg_set(struct scmi_handle *h)
{
	return scmi_voltage_config_set(h, 0, SCMI_VOLTAGE_CFG_ON);
}

static int c_cfg_get(struct scmi_handle *h)
{
	uint32_t c;

	return scmi_voltage_config_get(h, 0, &c);
}

static int c_lvl_set(struct scmi_handle *h)
{
	return scmi_voltage_level_set(h, 0, 800000, false);
}

static int c_lvl_get(struct scmi_handle *h)
{
	int32_t l;

	return scmi_voltage_level_get(h, 0, &l);
}

static int c_name(struct scmi_handle *h)
{
	char n[SCMI_NAME_MAX];

	return scmi_voltage_domain_name_get(h, 0, n);
}

static const struct pt_cmd voltage_cmds[] = {
	{ "PROTOCOL_VERSION", SCMI_MSG_PROTOCOL_VERSION, c_proto, 4 },
	{ "PROTOCOL_ATTRIBUTES", SCMI_MSG_PROTOCOL_ATTRIBUTES, c_proto_raw, 4 },
	{ "VOLTAGE_DOMAIN_ATTRIBUTES", SCMI_VOLTAGE_DOMAIN_ATTRIBUTES, c_dom, 20 },
	{ "VOLTAGE_DESCRIBE_LEVELS", SCMI_VOLTAGE_DESCRIBE_LEVELS, c_levels, 4 },
	{ "VOLTAGE_CONFIG_SET", SCMI_VOLTAGE_CONFIG_SET, c_cfg_set, 0 },
	{ "VOLTAGE_CONFIG_GET", SCMI_VOLTAGE_CONFIG_GET, c_cfg_get, 4 },
	{ "VOLTAGE_LEVEL_SET", SCMI_VOLTAGE_LEVEL_SET, c_lvl_set, 0 },
	{ "VOLTAGE_LEVEL_GET", SCMI_VOLTAGE_LEVEL_GET, c_lvl_get, 4 },
	{ "VOLTAGE_DOMAIN_NAME_GET", SCMI_VOLTAGE_DOMAIN_NAME_GET, c_name, 68 },
};

static void test_statuses(void **state)
{
	pt_check_statuses(*state, P, voltage_cmds, OS_ARRAY_SIZE(voltage_cmds));
}

static void test_truncated(void **state)
{
	pt_check_truncated(*state, P, voltage_cmds, OS_ARRAY_SIZE(voltage_cmds));
}

static void test_levels(void **state)
{
	struct pt *t = *state;
	int32_t l[4];
	size_t n;
	bool range;

	EXPECT_OK(t, P, SCMI_VOLTAGE_DESCRIBE_LEVELS, WORDS(1, 0), WORDS(0x20001, 700000));
	EXPECT_OK(t, P, SCMI_VOLTAGE_DESCRIBE_LEVELS, WORDS(1, 1),
		  WORDS(0x00002, 800000, (uint32_t)-50000));
	assert_int_equal(scmi_voltage_describe_levels(t->h, 1, l, 4, &n, &range), 0);
	assert_false(range);
	assert_int_equal(n, 3);
	assert_int_equal(l[2], -50000);	/* signed microvolts */

	EXPECT_OK(t, P, SCMI_VOLTAGE_DESCRIBE_LEVELS, WORDS(1, 0),
		  WORDS(0x1003, 600000, 1000000, 12500));
	assert_int_equal(scmi_voltage_describe_levels(t->h, 1, l, 4, &n, &range), 0);
	assert_true(range);
	assert_int_equal(l[2], 12500);

	/* lies */
	EXPECT_OK(t, P, SCMI_VOLTAGE_DESCRIBE_LEVELS, WORDS(1, 0), WORDS(0x1002, 1, 2));
	assert_int_equal(scmi_voltage_describe_levels(t->h, 1, l, 4, &n, &range), -EPROTO);
	EXPECT_OK(t, P, SCMI_VOLTAGE_DESCRIBE_LEVELS, WORDS(1, 0), WORDS(0x1003, 9, 1, 1));
	assert_int_equal(scmi_voltage_describe_levels(t->h, 1, l, 4, &n, &range), -EPROTO);
	EXPECT_OK(t, P, SCMI_VOLTAGE_DESCRIBE_LEVELS, WORDS(1, 0), WORDS(0x00004, 1, 2));
	assert_int_equal(scmi_voltage_describe_levels(t->h, 1, l, 4, &n, &range), -EPROTO);
	EXPECT_OK(t, P, SCMI_VOLTAGE_DESCRIBE_LEVELS, WORDS(1, 0), WORDS(0x10000));
	assert_int_equal(scmi_voltage_describe_levels(t->h, 1, l, 4, &n, &range), -EPROTO);
	EXPECT_OK(t, P, SCMI_VOLTAGE_DESCRIBE_LEVELS, WORDS(1, 0), WORDS(0x40001, 1));
	assert_int_equal(scmi_voltage_describe_levels(t->h, 1, l, 4, &n, &range), -ENOBUFS);
}

static void test_config_and_level(void **state)
{
	struct pt *t = *state;
	uint32_t c;
	int32_t l;

	EXPECT_OK(t, P, SCMI_VOLTAGE_CONFIG_SET, WORDS(1, 7), NORESP);
	assert_int_equal(scmi_voltage_config_set(t->h, 1, SCMI_VOLTAGE_CFG_ON), 0);
	assert_int_equal(scmi_voltage_config_set(t->h, 1, 0x17), -EINVAL);
	EXPECT_OK(t, P, SCMI_VOLTAGE_CONFIG_GET, WORDS(1), WORDS(0xfffffff0));
	assert_int_equal(scmi_voltage_config_get(t->h, 1, &c), 0);
	assert_int_equal(c, SCMI_VOLTAGE_CFG_OFF);	/* reserved bits dropped */

	EXPECT_OK(t, P, SCMI_VOLTAGE_LEVEL_SET, WORDS(1, 0, 900000), NORESP);
	assert_int_equal(scmi_voltage_level_set(t->h, 1, 900000, false), 0);
	EXPECT_OK(t, P, SCMI_VOLTAGE_LEVEL_GET, WORDS(1), WORDS((uint32_t)-1));
	assert_int_equal(scmi_voltage_level_get(t->h, 1, &l), 0);
	assert_int_equal(l, -1);

	/* async: VOLTAGE_LEVEL_SET_COMPLETE after / before the response */
	EXPECT_OK(t, P, SCMI_VOLTAGE_LEVEL_SET, WORDS(1, 1, 950000), NORESP);
	fake_expect_dresp(t->fp, SCMI_SUCCESS, WORDS(1, 950000), false);
	assert_int_equal(scmi_voltage_level_set(t->h, 1, 950000, true), 0);
	EXPECT_OK(t, P, SCMI_VOLTAGE_LEVEL_SET, ANY, NORESP);
	fake_expect_dresp(t->fp, SCMI_SUCCESS, WORDS(1, 950000), true);
	assert_int_equal(scmi_voltage_level_set(t->h, 1, 950000, true), 0);
	EXPECT_OK(t, P, SCMI_VOLTAGE_LEVEL_SET, ANY, NORESP);
	fake_expect_dresp(t->fp, SCMI_SUCCESS, WORDS(2, 950000), false);
	assert_int_equal(scmi_voltage_level_set(t->h, 1, 950000, true), -EPROTO);
	EXPECT_OK(t, P, SCMI_VOLTAGE_LEVEL_SET, ANY, NORESP);
	fake_expect_dresp(t->fp, SCMI_OUT_OF_RANGE, NORESP, false);
	assert_int_equal(scmi_voltage_level_set(t->h, 1, 950000, true), -ERANGE);
}

static void test_describe(void **state)
{
	struct pt *t = *state;
	struct scmi_voltage_domain_info d;
	uint8_t r[20] = { 0 }, nm[68] = { 0 };

	fake_le32(r, SCMI_VOLTAGE_DOM_ASYNC | SCMI_VOLTAGE_DOM_EXT_NAME);
	memcpy(r + 4, "vdd", 3);
	memcpy(nm + 4, "vdd-cpu-cluster-0-long-name", 27);
	EXPECT_OK(t, P, SCMI_VOLTAGE_DOMAIN_ATTRIBUTES, WORDS(0), r, sizeof(r));
	EXPECT_OK(t, P, SCMI_VOLTAGE_DOMAIN_NAME_GET, WORDS(0), nm, sizeof(nm));
	EXPECT_OK(t, P, SCMI_VOLTAGE_DESCRIBE_LEVELS, WORDS(0, 0), WORDS(2, 800000, 900000));
	EXPECT_OK(t, P, SCMI_VOLTAGE_CONFIG_GET, WORDS(0), WORDS(7));
	EXPECT_OK(t, P, SCMI_VOLTAGE_LEVEL_GET, WORDS(0), WORDS(900000));
	assert_int_equal(scmi_voltage_describe(t->h, 0, &d), 0);
	assert_true(d.async);
	assert_string_equal(d.name, "vdd-cpu-cluster-0-long-name");
	assert_int_equal(d.nr_levels, 2);
	assert_int_equal(d.levels[1], 900000);
	assert_int_equal(d.config, 7);
	assert_int_equal(d.level_uv, 900000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_statuses, pt_setup, pt_teardown),
		cmocka_unit_test_setup_teardown(test_truncated, pt_setup, pt_teardown),
		cmocka_unit_test_setup_teardown(test_levels, pt_setup, pt_teardown),
		cmocka_unit_test_setup_teardown(test_config_and_level, pt_setup, pt_teardown),
		cmocka_unit_test_setup_teardown(test_describe, pt_setup, pt_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
