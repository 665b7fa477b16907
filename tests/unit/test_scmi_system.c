// SPDX-License-Identifier: MIT
/*
 * Unit tests of the agent's system power protocol (scmi/agent/system.c)
 * against the scripted fake platform: every command and error status,
 * short replies, the notifier payload in its v1 and v2 sizes, describe.
 */
#include "tests/unit/scmi_proto_test.h"

#define P SCMI_PROTO_SYSTEM

static int c_attrs(struct scmi_handle *h)
{
	uint32_t a;

	return scmi_system_protocol_attributes(h, &a);
}

static int c_set(struct scmi_handle *h)
{
	return scmi_system_power_state_set(h, SCMI_SYSTEM_COLD_RESET, true);
}

static int c_get(struct scmi_handle *h)
{
	uint32_t s;

	return scmi_system_power_state_get(h, &s);
}

static int c_notify(struct scmi_handle *h)
{
	return scmi_system_power_state_notify(h, true);
}

static int c_version(struct scmi_handle *h)
{
	struct scmi_system_info info;

	return scmi_system_describe(h, &info);
}

static const struct pt_cmd system_cmds[] = {
	{ "PROTOCOL_VERSION", SCMI_MSG_PROTOCOL_VERSION, c_version, 4 },
	{ "PROTOCOL_ATTRIBUTES", SCMI_MSG_PROTOCOL_ATTRIBUTES, c_attrs, 4 },
	{ "SYSTEM_POWER_STATE_SET", SCMI_SYSTEM_POWER_STATE_SET, c_set, 0 },
	{ "SYSTEM_POWER_STATE_GET", SCMI_SYSTEM_POWER_STATE_GET, c_get, 4 },
	{ "SYSTEM_POWER_STATE_NOTIFY", SCMI_SYSTEM_POWER_STATE_NOTIFY, c_notify, 0 },
};

static void test_statuses(void **state)
{
	pt_check_statuses(*state, P, system_cmds, OS_ARRAY_SIZE(system_cmds));
}

static void test_truncated(void **state)
{
	pt_check_truncated(*state, P, system_cmds, OS_ARRAY_SIZE(system_cmds));
}

static void test_commands(void **state)
{
	struct pt *t = *state;
	struct scmi_system_info info;
	uint32_t s;

	EXPECT_OK(t, P, SCMI_SYSTEM_POWER_STATE_SET, WORDS(1, SCMI_SYSTEM_SHUTDOWN), NORESP);
	assert_int_equal(scmi_system_power_state_set(t->h, SCMI_SYSTEM_SHUTDOWN, true), 0);
	EXPECT_OK(t, P, SCMI_SYSTEM_POWER_STATE_SET, WORDS(0, SCMI_SYSTEM_WARM_RESET), NORESP);
	assert_int_equal(scmi_system_power_state_set(t->h, SCMI_SYSTEM_WARM_RESET, false), 0);

	EXPECT_OK(t, P, SCMI_SYSTEM_POWER_STATE_GET, EMPTY, WORDS(SCMI_SYSTEM_POWER_UP));
	assert_int_equal(scmi_system_power_state_get(t->h, &s), 0);
	assert_int_equal(s, SCMI_SYSTEM_POWER_UP);

	EXPECT_OK(t, P, SCMI_SYSTEM_POWER_STATE_NOTIFY, WORDS(1), NORESP);
	assert_int_equal(scmi_system_power_state_notify(t->h, true), 0);
	EXPECT_OK(t, P, SCMI_SYSTEM_POWER_STATE_NOTIFY, WORDS(0), NORESP);
	assert_int_equal(scmi_system_power_state_notify(t->h, false), 0);

	/* optional states: on the message attributes of STATE_SET */
	EXPECT_OK(t, P, SCMI_MSG_PROTOCOL_VERSION, EMPTY, WORDS(0x20001));
	EXPECT_OK(t, P, SCMI_MSG_PROTOCOL_ATTRIBUTES, EMPTY, WORDS(0));
	EXPECT_OK(t, P, SCMI_MSG_PROTOCOL_MESSAGE_ATTRIBUTES, WORDS(SCMI_SYSTEM_POWER_STATE_SET),
		  WORDS(SCMI_SYSTEM_ATTR_SUSPEND));
	assert_int_equal(scmi_system_describe(t->h, &info), 0);
	assert_int_equal(info.version, 0x20001);
	assert_true(info.suspend);
	assert_false(info.warm_reset);

	/* ... or on the protocol attributes */
	EXPECT_OK(t, P, SCMI_MSG_PROTOCOL_VERSION, EMPTY, WORDS(0x20001));
	EXPECT_OK(t, P, SCMI_MSG_PROTOCOL_ATTRIBUTES, EMPTY, WORDS(SCMI_SYSTEM_ATTR_WARM_RESET));
	EXPECT_OK(t, P, SCMI_MSG_PROTOCOL_MESSAGE_ATTRIBUTES, WORDS(SCMI_SYSTEM_POWER_STATE_SET),
		  WORDS(0));
	assert_int_equal(scmi_system_describe(t->h, &info), 0);
	assert_true(info.warm_reset);
	assert_false(info.suspend);
}

static void test_notifier(void **state)
{
	struct scmi_system_power_event ev;
	uint32_t p[4] = { 0, 1, SCMI_SYSTEM_SHUTDOWN, 3000 };

	assert_int_equal(scmi_system_parse_power_event(p, 11, &ev), -EPROTO);
	assert_int_equal(scmi_system_parse_power_event(p, 12, &ev), 0);
	assert_true(ev.graceful);
	assert_false(ev.has_timeout);
	assert_int_equal(ev.timeout_ms, 0);
	assert_int_equal(scmi_system_parse_power_event(p, 16, &ev), 0);
	assert_true(ev.has_timeout);
	assert_int_equal(ev.timeout_ms, 3000);
	assert_int_equal(ev.system_state, SCMI_SYSTEM_SHUTDOWN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_statuses, pt_setup, pt_teardown),
		cmocka_unit_test_setup_teardown(test_truncated, pt_setup, pt_teardown),
		cmocka_unit_test_setup_teardown(test_commands, pt_setup, pt_teardown),
		cmocka_unit_test(test_notifier),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
