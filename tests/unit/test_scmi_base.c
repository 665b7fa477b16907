// SPDX-License-Identifier: MIT
/*
 * Unit tests of the agent's base protocol and of the commands common to
 * every protocol (scmi/agent/base.c, common.c), against the scripted fake
 * platform: every command, every error status, short replies, the
 * BASE_DISCOVER_LIST_PROTOCOLS pagination with counts that lie, and the
 * error notification parser.
 */
#include "tests/unit/scmi_proto_test.h"

#define P SCMI_PROTO_BASE

/* ---- table of every command -------------------------------------------------- */

static int c_version(struct scmi_handle *h)
{
	uint32_t v;

	return scmi_protocol_version(h, P, &v);
}

static int c_attrs(struct scmi_handle *h)
{
	uint32_t np, na;

	return scmi_base_protocol_attributes(h, &np, &na);
}

static int c_msg_attrs(struct scmi_handle *h)
{
	uint32_t a;

	return scmi_protocol_message_attributes(h, P, SCMI_BASE_DISCOVER_AGENT, &a);
}

static int c_negotiate(struct scmi_handle *h)
{
	return scmi_protocol_negotiate_version(h, P, SCMI_VERSION(2, 0));
}

static int c_vendor(struct scmi_handle *h)
{
	char n[SCMI_NAME_MAX];

	return scmi_base_discover_vendor(h, n);
}

static int c_sub_vendor(struct scmi_handle *h)
{
	char n[SCMI_NAME_MAX];

	return scmi_base_discover_sub_vendor(h, n);
}

static int c_impl(struct scmi_handle *h)
{
	uint32_t v;

	return scmi_base_discover_impl_version(h, &v);
}

static int c_agent(struct scmi_handle *h)
{
	char n[SCMI_NAME_MAX];
	uint32_t id;

	return scmi_base_discover_agent(h, 1, &id, n);
}

static int c_notify(struct scmi_handle *h)
{
	return scmi_base_notify_errors(h, true);
}

static int c_dev_perm(struct scmi_handle *h)
{
	return scmi_base_set_device_permissions(h, 1, 2, true);
}

static int c_proto_perm(struct scmi_handle *h)
{
	return scmi_base_set_protocol_permissions(h, 1, 2, SCMI_PROTO_CLOCK, false);
}

static int c_reset_cfg(struct scmi_handle *h)
{
	return scmi_base_reset_agent_configuration(h, 1, true);
}

static const struct pt_cmd base_cmds[] = {
	{ "PROTOCOL_VERSION", SCMI_MSG_PROTOCOL_VERSION, c_version, 4 },
	{ "PROTOCOL_ATTRIBUTES", SCMI_MSG_PROTOCOL_ATTRIBUTES, c_attrs, 4 },
	{ "PROTOCOL_MESSAGE_ATTRIBUTES", SCMI_MSG_PROTOCOL_MESSAGE_ATTRIBUTES, c_msg_attrs, 4 },
	{ "NEGOTIATE_PROTOCOL_VERSION", SCMI_MSG_NEGOTIATE_PROTOCOL_VERSION, c_negotiate, 0 },
	{ "DISCOVER_VENDOR", SCMI_BASE_DISCOVER_VENDOR, c_vendor, 16 },
	{ "DISCOVER_SUB_VENDOR", SCMI_BASE_DISCOVER_SUB_VENDOR, c_sub_vendor, 16 },
	{ "DISCOVER_IMPLEMENTATION_VERSION", SCMI_BASE_DISCOVER_IMPLEMENTATION_VERSION, c_impl, 4 },
	{ "DISCOVER_AGENT", SCMI_BASE_DISCOVER_AGENT, c_agent, 20 },
	{ "NOTIFY_ERRORS", SCMI_BASE_NOTIFY_ERRORS, c_notify, 0 },
	{ "SET_DEVICE_PERMISSIONS", SCMI_BASE_SET_DEVICE_PERMISSIONS, c_dev_perm, 0 },
	{ "SET_PROTOCOL_PERMISSIONS", SCMI_BASE_SET_PROTOCOL_PERMISSIONS, c_proto_perm, 0 },
	{ "RESET_AGENT_CONFIGURATION", SCMI_BASE_RESET_AGENT_CONFIGURATION, c_reset_cfg, 0 },
};

static void test_statuses(void **state)
{
	pt_check_statuses(*state, P, base_cmds, OS_ARRAY_SIZE(base_cmds));
}

static void test_truncated(void **state)
{
	pt_check_truncated(*state, P, base_cmds, OS_ARRAY_SIZE(base_cmds));
}

/* ---- each command's encoding and decoding ------------------------------------------ */

static void test_common_commands(void **state)
{
	struct pt *t = *state;
	uint32_t v, words[4];
	size_t got;

	EXPECT_OK(t, SCMI_PROTO_CLOCK, SCMI_MSG_PROTOCOL_VERSION, EMPTY, WORDS(0x30000));
	assert_int_equal(scmi_protocol_version(t->h, SCMI_PROTO_CLOCK, &v), 0);
	assert_int_equal(v, 0x30000);

	EXPECT_OK(t, SCMI_PROTO_PERF, SCMI_MSG_PROTOCOL_ATTRIBUTES, EMPTY, WORDS(1, 2, 3, 4, 5));
	assert_int_equal(scmi_protocol_attributes(t->h, SCMI_PROTO_PERF, words, 4, &got), 0);
	assert_int_equal(got, 4);
	assert_int_equal(words[3], 4);

	EXPECT_OK(t, SCMI_PROTO_CLOCK, SCMI_MSG_PROTOCOL_MESSAGE_ATTRIBUTES, WORDS(5), WORDS(0x7));
	assert_int_equal(scmi_protocol_message_attributes(t->h, SCMI_PROTO_CLOCK, 5, &v), 0);
	assert_int_equal(v, 7);

	/* Unknown message: NOT_FOUND, and has_message says no. */
	fake_expect(t->fp, SCMI_PROTO_CLOCK, SCMI_MSG_PROTOCOL_MESSAGE_ATTRIBUTES, WORDS(0x42),
		    SCMI_NOT_FOUND, NORESP);
	assert_false(scmi_protocol_has_message(t->h, SCMI_PROTO_CLOCK, 0x42));
	EXPECT_OK(t, SCMI_PROTO_CLOCK, SCMI_MSG_PROTOCOL_MESSAGE_ATTRIBUTES, WORDS(0x4), WORDS(0));
	assert_true(scmi_protocol_has_message(t->h, SCMI_PROTO_CLOCK, 0x4));

	EXPECT_OK(t, SCMI_PROTO_SENSOR, SCMI_MSG_NEGOTIATE_PROTOCOL_VERSION, WORDS(0x30000), NORESP);
	assert_int_equal(scmi_protocol_negotiate_version(t->h, SCMI_PROTO_SENSOR, 0x30000), 0);
	fake_expect(t->fp, SCMI_PROTO_SENSOR, SCMI_MSG_NEGOTIATE_PROTOCOL_VERSION, WORDS(0x90000),
		    SCMI_NOT_SUPPORTED, NORESP);
	assert_int_equal(scmi_protocol_negotiate_version(t->h, SCMI_PROTO_SENSOR, 0x90000),
			 -EOPNOTSUPP);
}

static void test_protocol_setup(void **state)
{
	struct pt *t = *state;
	uint32_t v;

	/* the platform speaks an older minor: used as is, and remembered */
	EXPECT_OK(t, SCMI_PROTO_CLOCK, SCMI_MSG_PROTOCOL_VERSION, EMPTY, WORDS(0x20000));
	assert_int_equal(scmi_protocol_setup(t->h, SCMI_PROTO_CLOCK, &v), 0);
	assert_int_equal(v, 0x20000);
	assert_int_equal(scmi_proto_version_get(t->h, SCMI_PROTO_CLOCK), 0x20000);

	/* newer: negotiated down to ours */
	EXPECT_OK(t, SCMI_PROTO_SENSOR, SCMI_MSG_PROTOCOL_VERSION, EMPTY, WORDS(0x40000));
	EXPECT_OK(t, SCMI_PROTO_SENSOR, SCMI_MSG_NEGOTIATE_PROTOCOL_VERSION,
		  WORDS(SCMI_SENSOR_VERSION_V3_2), NORESP);
	assert_int_equal(scmi_protocol_setup(t->h, SCMI_PROTO_SENSOR, &v), 0);
	assert_int_equal(v, SCMI_SENSOR_VERSION_V3_2);

	/* newer minor, negotiation refused: still usable */
	EXPECT_OK(t, SCMI_PROTO_PERF, SCMI_MSG_PROTOCOL_VERSION, EMPTY, WORDS(0x40005));
	fake_expect(t->fp, SCMI_PROTO_PERF, SCMI_MSG_NEGOTIATE_PROTOCOL_VERSION, ANY,
		    SCMI_NOT_SUPPORTED, NORESP);
	assert_int_equal(scmi_protocol_setup(t->h, SCMI_PROTO_PERF, &v), 0);
	assert_int_equal(v, 0x40005);

	/* newer major, refused: not usable */
	EXPECT_OK(t, SCMI_PROTO_RESET, SCMI_MSG_PROTOCOL_VERSION, EMPTY, WORDS(0x50000));
	fake_expect(t->fp, SCMI_PROTO_RESET, SCMI_MSG_NEGOTIATE_PROTOCOL_VERSION, ANY,
		    SCMI_NOT_SUPPORTED, NORESP);
	assert_int_equal(scmi_protocol_setup(t->h, SCMI_PROTO_RESET, &v), -EPROTONOSUPPORT);

	/* vendor protocols: whatever the platform says */
	EXPECT_OK(t, 0x80, SCMI_MSG_PROTOCOL_VERSION, EMPTY, WORDS(0x90000));
	assert_int_equal(scmi_protocol_setup(t->h, 0x80, &v), 0);
	assert_int_equal(v, 0x90000);
}

static void test_discovery(void **state)
{
	struct pt *t = *state;
	uint8_t vendor[16], agent[20];
	char name[SCMI_NAME_MAX];
	uint32_t a, b;

	EXPECT_OK(t, P, SCMI_MSG_PROTOCOL_ATTRIBUTES, EMPTY, WORDS(0x0305));
	assert_int_equal(scmi_base_protocol_attributes(t->h, &a, &b), 0);
	assert_int_equal(a, 5);
	assert_int_equal(b, 3);

	memset(vendor, 0, sizeof(vendor));
	memcpy(vendor, "vscmi", 5);
	EXPECT_OK(t, P, SCMI_BASE_DISCOVER_VENDOR, EMPTY, vendor, sizeof(vendor));
	assert_int_equal(scmi_base_discover_vendor(t->h, name), 0);
	assert_string_equal(name, "vscmi");

	/* 16 bytes, no NUL: never read past the field, always terminated */
	pt_fill_name(vendor, sizeof(vendor), 'x');
	EXPECT_OK(t, P, SCMI_BASE_DISCOVER_SUB_VENDOR, EMPTY, vendor, sizeof(vendor));
	assert_int_equal(scmi_base_discover_sub_vendor(t->h, name), 0);
	assert_int_equal(strlen(name), 16);

	EXPECT_OK(t, P, SCMI_BASE_DISCOVER_IMPLEMENTATION_VERSION, EMPTY, WORDS(0x1234));
	assert_int_equal(scmi_base_discover_impl_version(t->h, &a), 0);
	assert_int_equal(a, 0x1234);

	memset(agent, 0, sizeof(agent));
	fake_le32(agent, 7);
	memcpy(agent + 4, "guest1", 6);
	EXPECT_OK(t, P, SCMI_BASE_DISCOVER_AGENT, WORDS(0xffffffff), agent, sizeof(agent));
	assert_int_equal(scmi_base_discover_agent(t->h, SCMI_BASE_AGENT_SELF, &a, name), 0);
	assert_int_equal(a, 7);
	assert_string_equal(name, "guest1");
}

static void test_permissions_and_notify(void **state)
{
	struct pt *t = *state;

	EXPECT_OK(t, P, SCMI_BASE_NOTIFY_ERRORS, WORDS(1), NORESP);
	assert_int_equal(scmi_base_notify_errors(t->h, true), 0);
	EXPECT_OK(t, P, SCMI_BASE_NOTIFY_ERRORS, WORDS(0), NORESP);
	assert_int_equal(scmi_base_notify_errors(t->h, false), 0);

	EXPECT_OK(t, P, SCMI_BASE_SET_DEVICE_PERMISSIONS, WORDS(3, 9, 1), NORESP);
	assert_int_equal(scmi_base_set_device_permissions(t->h, 3, 9, true), 0);
	EXPECT_OK(t, P, SCMI_BASE_SET_DEVICE_PERMISSIONS, WORDS(3, 9, 0), NORESP);
	assert_int_equal(scmi_base_set_device_permissions(t->h, 3, 9, false), 0);

	EXPECT_OK(t, P, SCMI_BASE_SET_PROTOCOL_PERMISSIONS, WORDS(3, 9, 0x14, 1), NORESP);
	assert_int_equal(scmi_base_set_protocol_permissions(t->h, 3, 9, 0x14, true), 0);
	/* the base protocol itself can never be denied: refused locally */
	assert_int_equal(scmi_base_set_protocol_permissions(t->h, 3, 9, P, false), -EINVAL);

	EXPECT_OK(t, P, SCMI_BASE_RESET_AGENT_CONFIGURATION, WORDS(3, 1), NORESP);
	assert_int_equal(scmi_base_reset_agent_configuration(t->h, 3, true), 0);
	EXPECT_OK(t, P, SCMI_BASE_RESET_AGENT_CONFIGURATION, WORDS(3, 0), NORESP);
	assert_int_equal(scmi_base_reset_agent_configuration(t->h, 3, false), 0);
}

/* ---- BASE_DISCOVER_LIST_PROTOCOLS pagination ----------------------------------------- */

static void test_list_protocols(void **state)
{
	struct pt *t = *state;
	uint8_t protos[16];
	size_t n;

	/* zero protocols: no list command at all */
	EXPECT_OK(t, P, SCMI_MSG_PROTOCOL_ATTRIBUTES, EMPTY, WORDS(0x0100));
	assert_int_equal(scmi_base_discover_list_protocols(t->h, protos, 16, &n), 0);
	assert_int_equal(n, 0);

	/* one page of five (bytes packed four to a word) */
	EXPECT_OK(t, P, SCMI_MSG_PROTOCOL_ATTRIBUTES, EMPTY, WORDS(0x0105));
	EXPECT_OK(t, P, SCMI_BASE_DISCOVER_LIST_PROTOCOLS, WORDS(0),
		  WORDS(5, 0x14131211, 0x00000015));
	assert_int_equal(scmi_base_discover_list_protocols(t->h, protos, 16, &n), 0);
	assert_int_equal(n, 5);
	assert_int_equal(protos[0], 0x11);
	assert_int_equal(protos[4], 0x15);

	/* three pages: 2 + 2 + 1, each asked from the right skip */
	EXPECT_OK(t, P, SCMI_MSG_PROTOCOL_ATTRIBUTES, EMPTY, WORDS(0x0105));
	EXPECT_OK(t, P, SCMI_BASE_DISCOVER_LIST_PROTOCOLS, WORDS(0), WORDS(2, 0x1211));
	EXPECT_OK(t, P, SCMI_BASE_DISCOVER_LIST_PROTOCOLS, WORDS(2), WORDS(2, 0x1413));
	EXPECT_OK(t, P, SCMI_BASE_DISCOVER_LIST_PROTOCOLS, WORDS(4), WORDS(1, 0x19));
	assert_int_equal(scmi_base_discover_list_protocols(t->h, protos, 16, &n), 0);
	assert_int_equal(n, 5);
	assert_int_equal(protos[2], 0x13);
	assert_int_equal(protos[4], 0x19);

	/* lie: a page that returns nothing while protocols remain */
	EXPECT_OK(t, P, SCMI_MSG_PROTOCOL_ATTRIBUTES, EMPTY, WORDS(0x0103));
	EXPECT_OK(t, P, SCMI_BASE_DISCOVER_LIST_PROTOCOLS, WORDS(0), WORDS(0));
	assert_int_equal(scmi_base_discover_list_protocols(t->h, protos, 16, &n), -EPROTO);

	/* lie: more than announced */
	EXPECT_OK(t, P, SCMI_MSG_PROTOCOL_ATTRIBUTES, EMPTY, WORDS(0x0102));
	EXPECT_OK(t, P, SCMI_BASE_DISCOVER_LIST_PROTOCOLS, WORDS(0), WORDS(3, 0x131211));
	assert_int_equal(scmi_base_discover_list_protocols(t->h, protos, 16, &n), -EPROTO);

	/* lie: a count larger than the bytes that came */
	EXPECT_OK(t, P, SCMI_MSG_PROTOCOL_ATTRIBUTES, EMPTY, WORDS(0x0108));
	EXPECT_OK(t, P, SCMI_BASE_DISCOVER_LIST_PROTOCOLS, WORDS(0), WORDS(8, 0x14131211));
	assert_int_equal(scmi_base_discover_list_protocols(t->h, protos, 16, &n), -EPROTO);

	/* a reserved id (base itself) in the list */
	EXPECT_OK(t, P, SCMI_MSG_PROTOCOL_ATTRIBUTES, EMPTY, WORDS(0x0101));
	EXPECT_OK(t, P, SCMI_BASE_DISCOVER_LIST_PROTOCOLS, WORDS(0), WORDS(1, 0x10));
	assert_int_equal(scmi_base_discover_list_protocols(t->h, protos, 16, &n), -EPROTO);

	/* more than the caller can hold: refused before listing */
	EXPECT_OK(t, P, SCMI_MSG_PROTOCOL_ATTRIBUTES, EMPTY, WORDS(0x0105));
	assert_int_equal(scmi_base_discover_list_protocols(t->h, protos, 4, &n), -ENOBUFS);
}

static void test_describe(void **state)
{
	struct pt *t = *state;
	struct scmi_base_info info;
	uint8_t vendor[16] = "ARM", agent[20] = { 0 };

	memcpy(agent + 4, "me", 2);
	EXPECT_OK(t, P, SCMI_MSG_PROTOCOL_VERSION, EMPTY, WORDS(0x20001));
	EXPECT_OK(t, P, SCMI_MSG_PROTOCOL_ATTRIBUTES, EMPTY, WORDS(0x0209));
	EXPECT_OK(t, P, SCMI_BASE_DISCOVER_VENDOR, EMPTY, vendor, 16);
	EXPECT_OK(t, P, SCMI_BASE_DISCOVER_IMPLEMENTATION_VERSION, EMPTY, WORDS(42));
	/* optional: sub-vendor refused, agent answered */
	fake_expect(t->fp, P, SCMI_BASE_DISCOVER_SUB_VENDOR, EMPTY, SCMI_NOT_SUPPORTED, NORESP);
	EXPECT_OK(t, P, SCMI_BASE_DISCOVER_AGENT, WORDS(0xffffffff), agent, 20);
	assert_int_equal(scmi_base_describe(t->h, &info), 0);
	assert_int_equal(info.version, 0x20001);
	assert_int_equal(info.num_protocols, 9);
	assert_int_equal(info.num_agents, 2);
	assert_string_equal(info.vendor, "ARM");
	assert_string_equal(info.sub_vendor, "");
	assert_int_equal(info.impl_version, 42);
	assert_int_equal(info.agent_id, 0);
	assert_string_equal(info.agent_name, "me");
}

static void test_error_event(void **state)
{
	struct scmi_base_error_event ev;
	uint32_t p[8] = { 4, 0x80000003, 0x11, 0x1, 0x22, 0x2, 0x33, 0x3 };

	assert_int_equal(scmi_base_parse_error_event(p, 7, &ev), -EPROTO);
	assert_int_equal(scmi_base_parse_error_event(p, sizeof(p), &ev), 0);
	assert_int_equal(ev.agent_id, 4);
	assert_true(ev.fatal);
	assert_int_equal(ev.count, 3);
	assert_int_equal(ev.nr_reports, 3);
	assert_true(ev.reports[0] == 0x100000011ull);
	assert_true(ev.reports[2] == 0x300000033ull);
	/* the count says 3, the payload holds 1: keep only what is there */
	assert_int_equal(scmi_base_parse_error_event(p, 16, &ev), 0);
	assert_int_equal(ev.count, 3);
	assert_int_equal(ev.nr_reports, 1);
}

/* A notification delivered through the core reaches a callback that parses it. */
struct evt_seen {
	int calls;
	struct scmi_base_error_event ev;
};

static void on_error_event(struct scmi_handle *h, uint8_t proto, uint8_t evt_id,
			   const void *payload, size_t len, void *priv)
{
	struct evt_seen *s = priv;

	if (scmi_base_parse_error_event(payload, len, &s->ev) == 0)
		s->calls++;
}

static void test_error_event_delivery(void **state)
{
	struct pt *t = *state;
	uint32_t p[4] = { 2, 1, 0xabc, 0 };
	struct evt_seen seen = { 0 };

	assert_int_equal(scmi_notify_register(t->h, P, SCMI_BASE_EVT_ERROR_EVENT,
					      SCMI_NOTIFY_SRC_ANY, on_error_event, &seen), 0);
	fake_notify(t->fp, P, SCMI_BASE_EVT_ERROR_EVENT, p, sizeof(p));
	fake_flush(t->fp);
	scmi_notify_flush(t->h);
	assert_int_equal(seen.calls, 1);
	assert_int_equal(seen.ev.agent_id, 2);
	assert_int_equal(seen.ev.nr_reports, 1);
	assert_true(seen.ev.reports[0] == 0xabc);
	assert_int_equal(scmi_notify_unregister(t->h, P, SCMI_BASE_EVT_ERROR_EVENT,
						SCMI_NOTIFY_SRC_ANY, on_error_event, &seen), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_statuses, pt_setup, pt_teardown),
		cmocka_unit_test_setup_teardown(test_truncated, pt_setup, pt_teardown),
		cmocka_unit_test_setup_teardown(test_common_commands, pt_setup, pt_teardown),
		cmocka_unit_test_setup_teardown(test_protocol_setup, pt_setup, pt_teardown),
		cmocka_unit_test_setup_teardown(test_discovery, pt_setup, pt_teardown),
		cmocka_unit_test_setup_teardown(test_permissions_and_notify, pt_setup,
						pt_teardown),
		cmocka_unit_test_setup_teardown(test_list_protocols, pt_setup, pt_teardown),
		cmocka_unit_test_setup_teardown(test_describe, pt_setup, pt_teardown),
		cmocka_unit_test(test_error_event),
		cmocka_unit_test_setup_teardown(test_error_event_delivery, pt_setup, pt_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
