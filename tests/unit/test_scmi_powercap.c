// SPDX-License-Identifier: MIT
/*
 * Unit tests of the agent's power capping protocol (scmi/agent/powercap.c)
 * against the scripted fake platform: every command and error status,
 * short replies, the domain attributes and units, synchronous and
 * asynchronous cap set, PAI, measurements, notification payloads, describe.
 */
#include "tests/unit/scmi_proto_test.h"

#define P SCMI_PROTO_POWERCAP

static int c_proto(struct scmi_handle *h)
{
	uint32_t v, n;

	return scmi_powercap_protocol_attributes(h, &v, &n);
}

static int c_proto_raw(struct scmi_handle *h)
{
	uint32_t w;
	size_t got;

	return scmi_protocol_attributes(h, P, &w, 1, &got);
}

static int c_dom(struct scmi_handle *h)
{
	struct scmi_powercap_domain_info d;

	return scmi_powercap_domain_attributes(h, 0, &d);
}

static int c_cap_get(struct scmi_handle *h)
{
	uint32_t c;

	return scmi_powercap_cap_get(h, 0, &c);
}

static int c_cap_set(struct scmi_handle *h)
{
	return scmi_powercap_cap_set(h, 0, 1000, false, NULL);
}

static int c_pai_get(struct scmi_handle *h)
{
	uint32_t p;

	return scmi_powercap_pai_get(h, 0, &p);
}

static int c_pai_set(struct scmi_handle *h)
{
	return scmi_powercap_pai_set(h, 0, 100);
}

static int c_name(struct scmi_handle *h)
{
	char n[SCMI_NAME_MAX];

	return scmi_powercap_domain_name_get(h, 0, n);
}

static int c_meas(struct scmi_handle *h)
{
	uint32_t p, a;

	return scmi_powercap_measurements_get(h, 0, &p, &a);
}

static int c_cap_notify(struct scmi_handle *h)
{
	return scmi_powercap_cap_notify(h, 0, true);
}

static int c_meas_notify(struct scmi_handle *h)
{
	return scmi_powercap_measurements_notify(h, 0, true, 10, 20);
}

static int c_fc(struct scmi_handle *h)
{
	struct scmi_fastchannel fc;

	return scmi_powercap_describe_fastchannel(h, 0, SCMI_POWERCAP_CAP_SET, &fc);
}

static const struct pt_cmd powercap_cmds[] = {
	{ "PROTOCOL_VERSION", SCMI_MSG_PROTOCOL_VERSION, c_proto, 4 },
	{ "PROTOCOL_ATTRIBUTES", SCMI_MSG_PROTOCOL_ATTRIBUTES, c_proto_raw, 4 },
	{ "POWERCAP_DOMAIN_ATTRIBUTES", SCMI_POWERCAP_DOMAIN_ATTRIBUTES, c_dom, 56 },
	{ "POWERCAP_CAP_GET", SCMI_POWERCAP_CAP_GET, c_cap_get, 4 },
	{ "POWERCAP_CAP_SET", SCMI_POWERCAP_CAP_SET, c_cap_set, 0 },
	{ "POWERCAP_PAI_GET", SCMI_POWERCAP_PAI_GET, c_pai_get, 4 },
	{ "POWERCAP_PAI_SET", SCMI_POWERCAP_PAI_SET, c_pai_set, 0 },
	{ "POWERCAP_DOMAIN_NAME_GET", SCMI_POWERCAP_DOMAIN_NAME_GET, c_name, 68 },
	{ "POWERCAP_MEASUREMENTS_GET", SCMI_POWERCAP_MEASUREMENTS_GET, c_meas, 8 },
	{ "POWERCAP_CAP_NOTIFY", SCMI_POWERCAP_CAP_NOTIFY, c_cap_notify, 0 },
	{ "POWERCAP_MEASUREMENTS_NOTIFY", SCMI_POWERCAP_MEASUREMENTS_NOTIFY, c_meas_notify, 0 },
	{ "POWERCAP_DESCRIBE_FASTCHANNEL", SCMI_POWERCAP_DESCRIBE_FASTCHANNEL, c_fc, 44 },
};

static void test_statuses(void **state)
{
	pt_check_statuses(*state, P, powercap_cmds, OS_ARRAY_SIZE(powercap_cmds));
}

static void test_truncated(void **state)
{
	pt_check_truncated(*state, P, powercap_cmds, OS_ARRAY_SIZE(powercap_cmds));
}

static void put_dom(uint8_t *r, uint32_t attrs, const char *name)
{
	memset(r, 0, 56);
	fake_le32(r, attrs);
	memcpy(r + 4, name, strlen(name));
	fake_le32(r + 20, 100);		/* min pai */
	fake_le32(r + 24, 10000);	/* max pai */
	fake_le32(r + 28, 100);		/* pai step */
	fake_le32(r + 32, 5000);	/* min cap */
	fake_le32(r + 36, 50000);	/* max cap */
	fake_le32(r + 40, 500);		/* cap step */
	fake_le32(r + 44, 30000);	/* sustainable */
	fake_le32(r + 48, 0x321);	/* accuracy */
	fake_le32(r + 52, SCMI_POWERCAP_NO_PARENT);
}

static void test_attributes(void **state)
{
	struct pt *t = *state;
	struct scmi_powercap_domain_info d;
	uint8_t r[56];

	put_dom(r, SCMI_POWERCAP_DOM_CAP_CONFIG | SCMI_POWERCAP_DOM_MONITORING |
		   SCMI_POWERCAP_DOM_UNIT_MW | SCMI_POWERCAP_DOM_ASYNC_CAP_SET, "soc");
	EXPECT_OK(t, P, SCMI_POWERCAP_DOMAIN_ATTRIBUTES, WORDS(1), r, sizeof(r));
	assert_int_equal(scmi_powercap_domain_attributes(t->h, 1, &d), 0);
	assert_true(d.cap_config && d.monitoring && d.async_cap);
	assert_false(d.pai_config || d.fastchannel || d.notify_cap);
	assert_int_equal(d.unit, SCMI_POWERCAP_UNIT_MW);
	assert_string_equal(d.name, "soc");
	assert_int_equal(d.max_cap, 50000);
	assert_int_equal(d.parent_id, SCMI_POWERCAP_NO_PARENT);
	assert_int_equal(d.accuracy, 0x321);

	put_dom(r, SCMI_POWERCAP_DOM_UNIT_UW, "x");
	EXPECT_OK(t, P, SCMI_POWERCAP_DOMAIN_ATTRIBUTES, WORDS(1), r, sizeof(r));
	assert_int_equal(scmi_powercap_domain_attributes(t->h, 1, &d), 0);
	assert_int_equal(d.unit, SCMI_POWERCAP_UNIT_UW);

	/* both unit bits: no such unit */
	put_dom(r, SCMI_POWERCAP_DOM_UNIT_UW | SCMI_POWERCAP_DOM_UNIT_MW, "x");
	EXPECT_OK(t, P, SCMI_POWERCAP_DOMAIN_ATTRIBUTES, WORDS(1), r, sizeof(r));
	assert_int_equal(scmi_powercap_domain_attributes(t->h, 1, &d), -EPROTO);
}

static void test_cap_pai_meas(void **state)
{
	struct pt *t = *state;
	uint32_t v, a;

	EXPECT_OK(t, P, SCMI_POWERCAP_CAP_GET, WORDS(1), WORDS(20000));
	assert_int_equal(scmi_powercap_cap_get(t->h, 1, &v), 0);
	assert_int_equal(v, 20000);
	EXPECT_OK(t, P, SCMI_POWERCAP_CAP_SET, WORDS(1, 0, 25000), NORESP);
	assert_int_equal(scmi_powercap_cap_set(t->h, 1, 25000, false, &v), 0);
	assert_int_equal(v, 25000);

	/* async with POWERCAP_CAP_SET_COMPLETE, after then before */
	EXPECT_OK(t, P, SCMI_POWERCAP_CAP_SET, WORDS(1, SCMI_POWERCAP_SET_ASYNC, 26000), NORESP);
	fake_expect_dresp(t->fp, SCMI_SUCCESS, WORDS(1, 25500), false);
	assert_int_equal(scmi_powercap_cap_set(t->h, 1, 26000, true, &v), 0);
	assert_int_equal(v, 25500);
	EXPECT_OK(t, P, SCMI_POWERCAP_CAP_SET, ANY, NORESP);
	fake_expect_dresp(t->fp, SCMI_SUCCESS, WORDS(1, 26000), true);
	assert_int_equal(scmi_powercap_cap_set(t->h, 1, 26000, true, &v), 0);
	assert_int_equal(v, 26000);
	EXPECT_OK(t, P, SCMI_POWERCAP_CAP_SET, ANY, NORESP);
	fake_expect_dresp(t->fp, SCMI_SUCCESS, WORDS(2, 26000), false);
	assert_int_equal(scmi_powercap_cap_set(t->h, 1, 26000, true, &v), -EPROTO);
	EXPECT_OK(t, P, SCMI_POWERCAP_CAP_SET, ANY, NORESP);
	fake_expect_dresp(t->fp, SCMI_SUCCESS, WORDS(1), false);
	assert_int_equal(scmi_powercap_cap_set(t->h, 1, 26000, true, &v), -EPROTO);

	EXPECT_OK(t, P, SCMI_POWERCAP_PAI_GET, WORDS(1), WORDS(1000));
	assert_int_equal(scmi_powercap_pai_get(t->h, 1, &v), 0);
	assert_int_equal(v, 1000);
	EXPECT_OK(t, P, SCMI_POWERCAP_PAI_SET, WORDS(1, 0, 2000), NORESP);
	assert_int_equal(scmi_powercap_pai_set(t->h, 1, 2000), 0);

	EXPECT_OK(t, P, SCMI_POWERCAP_MEASUREMENTS_GET, WORDS(1), WORDS(18000, 2000));
	assert_int_equal(scmi_powercap_measurements_get(t->h, 1, &v, &a), 0);
	assert_int_equal(v, 18000);
	assert_int_equal(a, 2000);

	EXPECT_OK(t, P, SCMI_POWERCAP_CAP_NOTIFY, WORDS(1, 1), NORESP);
	assert_int_equal(scmi_powercap_cap_notify(t->h, 1, true), 0);
	EXPECT_OK(t, P, SCMI_POWERCAP_MEASUREMENTS_NOTIFY, WORDS(1, 1, 100, 200), NORESP);
	assert_int_equal(scmi_powercap_measurements_notify(t->h, 1, true, 100, 200), 0);
	assert_int_equal(scmi_powercap_measurements_notify(t->h, 1, true, 200, 100), -EINVAL);
}

static void test_fastchannel(void **state)
{
	struct pt *t = *state;
	struct scmi_fastchannel fc;

	fake_expect(t->fp, P, SCMI_POWERCAP_DESCRIBE_FASTCHANNEL, WORDS(1, SCMI_POWERCAP_PAI_GET),
		    SCMI_NOT_SUPPORTED, NORESP);
	assert_int_equal(scmi_powercap_describe_fastchannel(t->h, 1, SCMI_POWERCAP_PAI_GET, &fc),
			 -EOPNOTSUPP);
	assert_int_equal(scmi_powercap_describe_fastchannel(t->h, 1, SCMI_POWERCAP_CAP_NOTIFY,
							    &fc), -EINVAL);
}

static void test_events(void **state)
{
	struct scmi_powercap_cap_event ce;
	struct scmi_powercap_meas_event me;
	uint32_t cap[4] = { 1, 2, 3000, 100 }, meas[3] = { 1, 2, 2500 };

	assert_int_equal(scmi_powercap_parse_cap_event(cap, 15, &ce), -EPROTO);
	assert_int_equal(scmi_powercap_parse_cap_event(cap, 16, &ce), 0);
	assert_int_equal(ce.power_cap, 3000);
	assert_int_equal(ce.pai, 100);
	assert_int_equal(scmi_powercap_parse_meas_event(meas, 11, &me), -EPROTO);
	assert_int_equal(scmi_powercap_parse_meas_event(meas, 12, &me), 0);
	assert_int_equal(me.power, 2500);
}

static int visit(void *priv, const struct scmi_powercap_domain_info *d)
{
	int *n = priv;

	assert_int_equal(d->cap, 7);
	assert_int_equal(d->pai_us, 8);
	assert_int_equal(d->power, 9);
	(*n)++;
	return 0;
}

static void test_for_each(void **state)
{
	struct pt *t = *state;
	uint8_t r[56];
	int n = 0;

	put_dom(r, SCMI_POWERCAP_DOM_MONITORING, "d");
	EXPECT_OK(t, P, SCMI_MSG_PROTOCOL_VERSION, EMPTY, WORDS(0x20000));
	EXPECT_OK(t, P, SCMI_MSG_PROTOCOL_ATTRIBUTES, EMPTY, WORDS(1));
	EXPECT_OK(t, P, SCMI_POWERCAP_DOMAIN_ATTRIBUTES, WORDS(0), r, sizeof(r));
	EXPECT_OK(t, P, SCMI_POWERCAP_CAP_GET, WORDS(0), WORDS(7));
	EXPECT_OK(t, P, SCMI_POWERCAP_PAI_GET, WORDS(0), WORDS(8));
	EXPECT_OK(t, P, SCMI_POWERCAP_MEASUREMENTS_GET, WORDS(0), WORDS(9, 8));
	assert_int_equal(scmi_powercap_for_each(t->h, visit, &n), 0);
	assert_int_equal(n, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_statuses, pt_setup, pt_teardown),
		cmocka_unit_test_setup_teardown(test_truncated, pt_setup, pt_teardown),
		cmocka_unit_test_setup_teardown(test_attributes, pt_setup, pt_teardown),
		cmocka_unit_test_setup_teardown(test_cap_pai_meas, pt_setup, pt_teardown),
		cmocka_unit_test_setup_teardown(test_fastchannel, pt_setup, pt_teardown),
		cmocka_unit_test(test_events),
		cmocka_unit_test_setup_teardown(test_for_each, pt_setup, pt_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
