// SPDX-License-Identifier: MIT
/*
 * Unit tests of the agent's reset domain protocol (scmi/agent/reset.c)
 * against the scripted fake platform: every command and error status,
 * short replies, the three reset modes, asynchronous resets with
 * RESET_COMPLETE before and after the response, RESET_ISSUED parsing,
 * for-each.
 */
#include "tests/unit/scmi_proto_test.h"

#define P SCMI_PROTO_RESET

static int c_proto(struct scmi_handle *h)
{
	uint32_t v, n;

	return scmi_reset_protocol_attributes(h, &v, &n);
}

static int c_proto_raw(struct scmi_handle *h)
{
	uint32_t w;
	size_t got;

	return scmi_protocol_attributes(h, P, &w, 1, &got);
}

static int c_dom(struct scmi_handle *h)
{
	struct scmi_reset_domain_info d;

	return scmi_reset_domain_attributes(h, 0, &d);
}

static int c_reset(struct scmi_handle *h)
{
	return scmi_reset(h, 0, SCMI_RESET_MODE_AUTONOMOUS, SCMI_RESET_COLD, false);
}

static int c_notify(struct scmi_handle *h)
{
	return scmi_reset_notify(h, 0, true);
}

static int c_name(struct scmi_handle *h)
{
	char n[SCMI_NAME_MAX];

	return scmi_reset_domain_name_get(h, 0, n);
}

static const struct pt_cmd reset_cmds[] = {
	{ "PROTOCOL_VERSION", SCMI_MSG_PROTOCOL_VERSION, c_proto, 4 },
	{ "PROTOCOL_ATTRIBUTES", SCMI_MSG_PROTOCOL_ATTRIBUTES, c_proto_raw, 4 },
	{ "RESET_DOMAIN_ATTRIBUTES", SCMI_RESET_DOMAIN_ATTRIBUTES, c_dom, 24 },
	{ "RESET", SCMI_RESET_RESET, c_reset, 0 },
	{ "RESET_NOTIFY", SCMI_RESET_NOTIFY, c_notify, 0 },
	{ "RESET_DOMAIN_NAME_GET", SCMI_RESET_DOMAIN_NAME_GET, c_name, 68 },
};

static void test_statuses(void **state)
{
	pt_check_statuses(*state, P, reset_cmds, OS_ARRAY_SIZE(reset_cmds));
}

static void test_truncated(void **state)
{
	pt_check_truncated(*state, P, reset_cmds, OS_ARRAY_SIZE(reset_cmds));
}

static void test_commands(void **state)
{
	struct pt *t = *state;
	struct scmi_reset_domain_info d;
	uint8_t r[24] = { 0 };
	uint32_t v, n;

	EXPECT_OK(t, P, SCMI_MSG_PROTOCOL_VERSION, EMPTY, WORDS(0x30001));
	EXPECT_OK(t, P, SCMI_MSG_PROTOCOL_ATTRIBUTES, EMPTY, WORDS(4));
	assert_int_equal(scmi_reset_protocol_attributes(t->h, &v, &n), 0);
	assert_int_equal(n, 4);

	fake_le32(r, SCMI_RESET_DOM_ASYNC | SCMI_RESET_DOM_NOTIFY);
	fake_le32(r + 4, 150);
	memcpy(r + 8, "eth", 3);
	EXPECT_OK(t, P, SCMI_RESET_DOMAIN_ATTRIBUTES, WORDS(2), r, sizeof(r));
	assert_int_equal(scmi_reset_domain_attributes(t->h, 2, &d), 0);
	assert_true(d.async && d.notify);
	assert_false(d.ext_name);
	assert_int_equal(d.latency_us, 150);
	assert_string_equal(d.name, "eth");

	EXPECT_OK(t, P, SCMI_RESET_RESET, WORDS(2, SCMI_RESET_AUTONOMOUS, 0), NORESP);
	assert_int_equal(scmi_reset(t->h, 2, SCMI_RESET_MODE_AUTONOMOUS, SCMI_RESET_COLD, false), 0);
	EXPECT_OK(t, P, SCMI_RESET_RESET, WORDS(2, SCMI_RESET_EXPLICIT_ASSERT, 0x80000001), NORESP);
	assert_int_equal(scmi_reset(t->h, 2, SCMI_RESET_MODE_ASSERT, 0x80000001, false), 0);
	EXPECT_OK(t, P, SCMI_RESET_RESET, WORDS(2, 0, 0), NORESP);
	assert_int_equal(scmi_reset(t->h, 2, SCMI_RESET_MODE_DEASSERT, 0, false), 0);
	assert_int_equal(scmi_reset(t->h, 2, (enum scmi_reset_mode)9, 0, false), -EINVAL);

	EXPECT_OK(t, P, SCMI_RESET_NOTIFY, WORDS(2, 1), NORESP);
	assert_int_equal(scmi_reset_notify(t->h, 2, true), 0);
}

static void test_async(void **state)
{
	struct pt *t = *state;

	EXPECT_OK(t, P, SCMI_RESET_RESET, WORDS(2, SCMI_RESET_ASYNC | SCMI_RESET_AUTONOMOUS, 0),
		  NORESP);
	fake_expect_dresp(t->fp, SCMI_SUCCESS, WORDS(2), false);
	assert_int_equal(scmi_reset(t->h, 2, SCMI_RESET_MODE_AUTONOMOUS, 0, true), 0);

	EXPECT_OK(t, P, SCMI_RESET_RESET, ANY, NORESP);
	fake_expect_dresp(t->fp, SCMI_SUCCESS, WORDS(2), true);
	assert_int_equal(scmi_reset(t->h, 2, SCMI_RESET_MODE_ASSERT, 0, true), 0);

	/* RESET_COMPLETE for another domain, empty, or failing */
	EXPECT_OK(t, P, SCMI_RESET_RESET, ANY, NORESP);
	fake_expect_dresp(t->fp, SCMI_SUCCESS, WORDS(3), false);
	assert_int_equal(scmi_reset(t->h, 2, SCMI_RESET_MODE_AUTONOMOUS, 0, true), -EPROTO);
	EXPECT_OK(t, P, SCMI_RESET_RESET, ANY, NORESP);
	fake_expect_dresp(t->fp, SCMI_SUCCESS, NORESP, false);
	assert_int_equal(scmi_reset(t->h, 2, SCMI_RESET_MODE_AUTONOMOUS, 0, true), -EPROTO);
	EXPECT_OK(t, P, SCMI_RESET_RESET, ANY, NORESP);
	fake_expect_dresp(t->fp, SCMI_GENERIC_ERROR, NORESP, false);
	assert_int_equal(scmi_reset(t->h, 2, SCMI_RESET_MODE_AUTONOMOUS, 0, true), -EIO);
}

static void test_event(void **state)
{
	struct scmi_reset_event ev;
	uint32_t p[3] = { 1, 2, 0 };

	assert_int_equal(scmi_reset_parse_event(p, 11, &ev), -EPROTO);
	assert_int_equal(scmi_reset_parse_event(p, 12, &ev), 0);
	assert_int_equal(ev.domain_id, 2);
}

static int visit(void *priv, const struct scmi_reset_domain_info *d)
{
	int *n = priv;

	assert_string_equal(d->name, *n ? "b" : "a");
	(*n)++;
	return 0;
}

static void test_for_each(void **state)
{
	struct pt *t = *state;
	uint8_t r[24] = { 0 };
	int n = 0;

	EXPECT_OK(t, P, SCMI_MSG_PROTOCOL_VERSION, EMPTY, WORDS(0x30001));
	EXPECT_OK(t, P, SCMI_MSG_PROTOCOL_ATTRIBUTES, EMPTY, WORDS(2));
	r[8] = 'a';
	EXPECT_OK(t, P, SCMI_RESET_DOMAIN_ATTRIBUTES, WORDS(0), r, sizeof(r));
	r[8] = 'b';
	EXPECT_OK(t, P, SCMI_RESET_DOMAIN_ATTRIBUTES, WORDS(1), r, sizeof(r));
	assert_int_equal(scmi_reset_for_each(t->h, visit, &n), 0);
	assert_int_equal(n, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_statuses, pt_setup, pt_teardown),
		cmocka_unit_test_setup_teardown(test_truncated, pt_setup, pt_teardown),
		cmocka_unit_test_setup_teardown(test_commands, pt_setup, pt_teardown),
		cmocka_unit_test_setup_teardown(test_async, pt_setup, pt_teardown),
		cmocka_unit_test(test_event),
		cmocka_unit_test_setup_teardown(test_for_each, pt_setup, pt_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
