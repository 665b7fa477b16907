// SPDX-License-Identifier: MIT
/*
 * Unit tests of the agent's power domain protocol (scmi/agent/power.c)
 * against the scripted fake platform: every command and error status,
 * short replies, sync and async state set, extended names, notification
 * payloads (parsed directly and delivered through the core), describe and
 * for-each.
 */
#include "tests/unit/scmi_proto_test.h"

#define P SCMI_PROTO_POWER

static int c_attrs(struct scmi_handle *h)
{
	struct scmi_power_proto_info pi;

	return scmi_power_protocol_attributes(h, &pi);
}

static int c_attrs_raw(struct scmi_handle *h)
{
	uint32_t w[4];
	size_t got;

	return scmi_protocol_attributes(h, P, w, 4, &got);
}

static int c_dom(struct scmi_handle *h)
{
	struct scmi_power_domain_info d;

	return scmi_power_domain_attributes(h, 1, &d);
}

static int c_set(struct scmi_handle *h)
{
	return scmi_power_state_set(h, 1, SCMI_POWER_STATE_OFF, false);
}

static int c_get(struct scmi_handle *h)
{
	uint32_t s;

	return scmi_power_state_get(h, 1, &s);
}

static int c_notify(struct scmi_handle *h)
{
	return scmi_power_state_notify(h, 1, true);
}

static int c_req_notify(struct scmi_handle *h)
{
	return scmi_power_state_change_requested_notify(h, 1, true);
}

static int c_name(struct scmi_handle *h)
{
	char n[SCMI_NAME_MAX];

	return scmi_power_domain_name_get(h, 1, n);
}

static const struct pt_cmd power_cmds[] = {
	{ "PROTOCOL_VERSION", SCMI_MSG_PROTOCOL_VERSION, c_attrs, 4 },
	{ "PROTOCOL_ATTRIBUTES", SCMI_MSG_PROTOCOL_ATTRIBUTES, c_attrs_raw, 4 },
	{ "POWER_DOMAIN_ATTRIBUTES", SCMI_POWER_DOMAIN_ATTRIBUTES, c_dom, 20 },
	{ "POWER_STATE_SET", SCMI_POWER_STATE_SET, c_set, 0 },
	{ "POWER_STATE_GET", SCMI_POWER_STATE_GET, c_get, 4 },
	{ "POWER_STATE_NOTIFY", SCMI_POWER_STATE_NOTIFY, c_notify, 0 },
	{ "POWER_STATE_CHANGE_REQUESTED_NOTIFY", SCMI_POWER_STATE_CHANGE_REQUESTED_NOTIFY,
	  c_req_notify, 0 },
	{ "POWER_DOMAIN_NAME_GET", SCMI_POWER_DOMAIN_NAME_GET, c_name, 68 },
};

static void test_statuses(void **state)
{
	pt_check_statuses(*state, P, power_cmds, OS_ARRAY_SIZE(power_cmds));
}

static void test_truncated(void **state)
{
	pt_check_truncated(*state, P, power_cmds, OS_ARRAY_SIZE(power_cmds));
}

static void test_commands(void **state)
{
	struct pt *t = *state;
	struct scmi_power_proto_info pi;
	struct scmi_power_domain_info d;
	uint8_t r[20] = { 0 }, nm[68] = { 0 };
	uint32_t s;

	EXPECT_OK(t, P, SCMI_MSG_PROTOCOL_VERSION, EMPTY, WORDS(0x30001));
	EXPECT_OK(t, P, SCMI_MSG_PROTOCOL_ATTRIBUTES, EMPTY, WORDS(0xffff0005, 0x1000, 0x2, 64));
	assert_int_equal(scmi_power_protocol_attributes(t->h, &pi), 0);
	assert_int_equal(pi.version, 0x30001);
	assert_int_equal(pi.num_domains, 5);	/* upper reserved bits ignored */
	assert_true(pi.stats_addr == 0x200001000ull);
	assert_int_equal(pi.stats_len, 64);

	/* a v1 platform's 4-byte attributes are too short for this layout */
	EXPECT_OK(t, P, SCMI_MSG_PROTOCOL_VERSION, EMPTY, WORDS(0x10000));
	EXPECT_OK(t, P, SCMI_MSG_PROTOCOL_ATTRIBUTES, EMPTY, WORDS(5));
	assert_int_equal(scmi_power_protocol_attributes(t->h, &pi), -EPROTO);

	fake_le32(r, SCMI_POWER_DOM_SYNC | SCMI_POWER_DOM_ASYNC | SCMI_POWER_DOM_EXT_NAME |
		     SCMI_POWER_DOM_STATE_CHANGE_NOTIFY);
	memcpy(r + 4, "gpu", 3);
	memcpy(nm + 4, "gpu-power-domain-with-a-long-name", 33);
	EXPECT_OK(t, P, SCMI_POWER_DOMAIN_ATTRIBUTES, WORDS(2), r, sizeof(r));
	EXPECT_OK(t, P, SCMI_POWER_DOMAIN_NAME_GET, WORDS(2), nm, sizeof(nm));
	assert_int_equal(scmi_power_domain_attributes(t->h, 2, &d), 0);
	assert_true(d.sync && d.async && d.notify_state && d.ext_name);
	assert_false(d.notify_change_req);
	assert_string_equal(d.name, "gpu-power-domain-with-a-long-name");

	EXPECT_OK(t, P, SCMI_POWER_STATE_SET, WORDS(0, 2, SCMI_POWER_STATE_OFF), NORESP);
	assert_int_equal(scmi_power_state_set(t->h, 2, SCMI_POWER_STATE_OFF, false), 0);
	/* async: flag set, acknowledged at once (no delayed response exists) */
	EXPECT_OK(t, P, SCMI_POWER_STATE_SET, WORDS(1, 2, SCMI_POWER_STATE_ON), NORESP);
	assert_int_equal(scmi_power_state_set(t->h, 2, SCMI_POWER_STATE_ON, true), 0);

	EXPECT_OK(t, P, SCMI_POWER_STATE_GET, WORDS(2), WORDS(SCMI_POWER_STATE_OFF));
	assert_int_equal(scmi_power_state_get(t->h, 2, &s), 0);
	assert_int_equal(s, SCMI_POWER_STATE_OFF);

	EXPECT_OK(t, P, SCMI_POWER_STATE_NOTIFY, WORDS(2, 1), NORESP);
	assert_int_equal(scmi_power_state_notify(t->h, 2, true), 0);
	EXPECT_OK(t, P, SCMI_POWER_STATE_CHANGE_REQUESTED_NOTIFY, WORDS(2, 0), NORESP);
	assert_int_equal(scmi_power_state_change_requested_notify(t->h, 2, false), 0);
}

struct seen {
	int calls;
	struct scmi_power_state_event ev;
};

static void on_state(struct scmi_handle *h, uint8_t proto, uint8_t evt, const void *payload,
		     size_t len, void *priv)
{
	struct seen *s = priv;

	if (scmi_power_parse_state_event(payload, len, &s->ev) == 0)
		s->calls++;
}

static void test_events(void **state)
{
	struct pt *t = *state;
	struct scmi_power_state_event ev;
	uint32_t p[3] = { 1, 2, SCMI_POWER_STATE_OFF };
	struct seen s = { 0 };

	assert_int_equal(scmi_power_parse_state_event(p, 11, &ev), -EPROTO);
	assert_int_equal(scmi_power_parse_state_event(p, 12, &ev), 0);
	assert_int_equal(ev.domain_id, 2);
	assert_int_equal(ev.power_state, SCMI_POWER_STATE_OFF);

	/* through the core, filtered by source: domain 2 only */
	assert_int_equal(scmi_notify_register(t->h, P, SCMI_POWER_EVT_STATE_CHANGED, 2, on_state,
					      &s), 0);
	fake_notify(t->fp, P, SCMI_POWER_EVT_STATE_CHANGED, p, sizeof(p));
	p[1] = 3;
	fake_notify(t->fp, P, SCMI_POWER_EVT_STATE_CHANGED, p, sizeof(p));
	fake_flush(t->fp);
	scmi_notify_flush(t->h);
	assert_int_equal(s.calls, 1);
	assert_int_equal(s.ev.domain_id, 2);
	assert_int_equal(scmi_notify_unregister(t->h, P, SCMI_POWER_EVT_STATE_CHANGED, 2,
						on_state, &s), 0);
}

static int visit(void *priv, const struct scmi_power_domain_info *d)
{
	int *n = priv;

	assert_int_equal(d->id, (uint32_t)*n);
	assert_int_equal(d->state, *n ? SCMI_POWER_STATE_OFF : SCMI_POWER_STATE_ON);
	(*n)++;
	return *n == 2 ? 42 : 0;	/* stop after two */
}

static void test_for_each(void **state)
{
	struct pt *t = *state;
	uint8_t r[20] = { 0 };
	int n = 0;

	EXPECT_OK(t, P, SCMI_MSG_PROTOCOL_VERSION, EMPTY, WORDS(0x30001));
	EXPECT_OK(t, P, SCMI_MSG_PROTOCOL_ATTRIBUTES, EMPTY, WORDS(3, 0, 0, 0));
	EXPECT_OK(t, P, SCMI_POWER_DOMAIN_ATTRIBUTES, WORDS(0), r, sizeof(r));
	EXPECT_OK(t, P, SCMI_POWER_STATE_GET, WORDS(0), WORDS(SCMI_POWER_STATE_ON));
	EXPECT_OK(t, P, SCMI_POWER_DOMAIN_ATTRIBUTES, WORDS(1), r, sizeof(r));
	EXPECT_OK(t, P, SCMI_POWER_STATE_GET, WORDS(1), WORDS(SCMI_POWER_STATE_OFF));
	assert_int_equal(scmi_power_for_each(t->h, visit, &n), 42);
	assert_int_equal(n, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_statuses, pt_setup, pt_teardown),
		cmocka_unit_test_setup_teardown(test_truncated, pt_setup, pt_teardown),
		cmocka_unit_test_setup_teardown(test_commands, pt_setup, pt_teardown),
		cmocka_unit_test_setup_teardown(test_events, pt_setup, pt_teardown),
		cmocka_unit_test_setup_teardown(test_for_each, pt_setup, pt_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
