// SPDX-License-Identifier: MIT
/*
 * Unit tests of the agent's performance protocol (scmi/agent/perf.c)
 * against the scripted fake platform: every command and error status,
 * short replies, level tables in the v3 (12-byte) and v4 (20-byte) layouts
 * over several pages with lying counts, limits and levels, the fast-channel
 * refusal virtio expects, notification payloads, describe and for-each.
 */
#include "tests/unit/scmi_proto_test.h"

#define P SCMI_PROTO_PERF

static int perf_setup(void **state)
{
	struct pt *t = pt_open(0);

	scmi_proto_version_set(t->h, P, SCMI_VERSION(4, 0));
	*state = t;
	return 0;
}

static int c_proto(struct scmi_handle *h)
{
	struct scmi_perf_proto_info pi;

	return scmi_perf_protocol_attributes(h, &pi);
}

static int c_proto_raw(struct scmi_handle *h)
{
	uint32_t w[4];
	size_t got;

	return scmi_protocol_attributes(h, P, w, 4, &got);
}

static int c_dom(struct scmi_handle *h)
{
	struct scmi_perf_domain_info d;

	return scmi_perf_domain_attributes(h, 0, &d);
}

static int c_levels(struct scmi_handle *h)
{
	struct scmi_perf_level l[4];
	size_t n;

	return scmi_perf_describe_levels(h, 0, l, 4, &n);
}

static int c_lim_set(struct scmi_handle *h)
{
	return scmi_perf_limits_set(h, 0, 10, 1);
}

static int c_lim_get(struct scmi_handle *h)
{
	uint32_t a, b;

	return scmi_perf_limits_get(h, 0, &a, &b);
}

static int c_lvl_set(struct scmi_handle *h)
{
	return scmi_perf_level_set(h, 0, 5);
}

static int c_lvl_get(struct scmi_handle *h)
{
	uint32_t l;

	return scmi_perf_level_get(h, 0, &l);
}

static int c_n_lim(struct scmi_handle *h)
{
	return scmi_perf_notify_limits(h, 0, true);
}

static int c_n_lvl(struct scmi_handle *h)
{
	return scmi_perf_notify_level(h, 0, true);
}

static int c_fc(struct scmi_handle *h)
{
	struct scmi_fastchannel fc;

	return scmi_perf_describe_fastchannel(h, 0, SCMI_PERF_LEVEL_SET, &fc);
}

static int c_name(struct scmi_handle *h)
{
	char n[SCMI_NAME_MAX];

	return scmi_perf_domain_name_get(h, 0, n);
}

static const struct pt_cmd perf_cmds[] = {
	{ "PROTOCOL_VERSION", SCMI_MSG_PROTOCOL_VERSION, c_proto, 4 },
	{ "PROTOCOL_ATTRIBUTES", SCMI_MSG_PROTOCOL_ATTRIBUTES, c_proto_raw, 4 },
	{ "PERFORMANCE_DOMAIN_ATTRIBUTES", SCMI_PERF_DOMAIN_ATTRIBUTES, c_dom, 32 },
	{ "PERFORMANCE_DESCRIBE_LEVELS", SCMI_PERF_DESCRIBE_LEVELS, c_levels, 4 },
	{ "PERFORMANCE_LIMITS_SET", SCMI_PERF_LIMITS_SET, c_lim_set, 0 },
	{ "PERFORMANCE_LIMITS_GET", SCMI_PERF_LIMITS_GET, c_lim_get, 8 },
	{ "PERFORMANCE_LEVEL_SET", SCMI_PERF_LEVEL_SET, c_lvl_set, 0 },
	{ "PERFORMANCE_LEVEL_GET", SCMI_PERF_LEVEL_GET, c_lvl_get, 4 },
	{ "PERFORMANCE_NOTIFY_LIMITS", SCMI_PERF_NOTIFY_LIMITS, c_n_lim, 0 },
	{ "PERFORMANCE_NOTIFY_LEVEL", SCMI_PERF_NOTIFY_LEVEL, c_n_lvl, 0 },
	{ "PERFORMANCE_DESCRIBE_FASTCHANNEL", SCMI_PERF_DESCRIBE_FASTCHANNEL, c_fc, 44 },
	{ "PERFORMANCE_DOMAIN_NAME_GET", SCMI_PERF_DOMAIN_NAME_GET, c_name, 68 },
};

static void test_statuses(void **state)
{
	pt_check_statuses(*state, P, perf_cmds, OS_ARRAY_SIZE(perf_cmds));
}

static void test_truncated(void **state)
{
	pt_check_truncated(*state, P, perf_cmds, OS_ARRAY_SIZE(perf_cmds));
}

static void test_attributes(void **state)
{
	struct pt *t = *state;
	struct scmi_perf_proto_info pi;
	struct scmi_perf_domain_info d;
	uint8_t r[32] = { 0 };

	EXPECT_OK(t, P, SCMI_MSG_PROTOCOL_VERSION, EMPTY, WORDS(0x40000));
	EXPECT_OK(t, P, SCMI_MSG_PROTOCOL_ATTRIBUTES, EMPTY, WORDS(0x10003, 0, 0, 0));
	assert_int_equal(scmi_perf_protocol_attributes(t->h, &pi), 0);
	assert_int_equal(pi.num_domains, 3);
	assert_true(pi.power_mw);
	assert_false(pi.power_uw);

	fake_le32(r, SCMI_PERF_DOM_SET_LEVEL | SCMI_PERF_DOM_LEVEL_NOTIFY |
		     SCMI_PERF_DOM_LEVEL_INDEXING);
	fake_le32(r + 4, 0xfff00000 | 500);	/* reserved bits above the 20-bit limit */
	fake_le32(r + 8, 1800000);
	fake_le32(r + 12, 7);
	memcpy(r + 16, "cpu0", 4);
	EXPECT_OK(t, P, SCMI_PERF_DOMAIN_ATTRIBUTES, WORDS(1), r, sizeof(r));
	assert_int_equal(scmi_perf_domain_attributes(t->h, 1, &d), 0);
	assert_true(d.set_level && d.notify_level && d.level_indexing);
	assert_false(d.set_limits || d.notify_limits || d.fastchannel || d.ext_name);
	assert_int_equal(d.rate_limit_us, 500);
	assert_int_equal(d.sustained_freq_khz, 1800000);
	assert_int_equal(d.sustained_level, 7);
	assert_string_equal(d.name, "cpu0");
}

static void test_levels_v4(void **state)
{
	struct pt *t = *state;
	struct scmi_perf_level l[8];
	size_t n;

	/* two pages of v4 entries: {level, cost, latency, freq, index} */
	EXPECT_OK(t, P, SCMI_PERF_DESCRIBE_LEVELS, WORDS(1, 0),
		  WORDS(0x10002, 100, 10, 0xffff0030, 500000, 0, 200, 20, 40, 1000000, 1));
	EXPECT_OK(t, P, SCMI_PERF_DESCRIBE_LEVELS, WORDS(1, 2),
		  WORDS(0x00001, 300, 30, 50, 1500000, 2));
	assert_int_equal(scmi_perf_describe_levels(t->h, 1, l, 8, &n), 0);
	assert_int_equal(n, 3);
	assert_int_equal(l[0].level, 100);
	assert_int_equal(l[0].latency_us, 0x30);	/* bits 15:0 only */
	assert_int_equal(l[1].indicative_freq_khz, 1000000);
	assert_int_equal(l[2].level_index, 2);

	/* zero levels */
	EXPECT_OK(t, P, SCMI_PERF_DESCRIBE_LEVELS, WORDS(1, 0), WORDS(0));
	assert_int_equal(scmi_perf_describe_levels(t->h, 1, l, 8, &n), 0);
	assert_int_equal(n, 0);

	/* lies: v3-sized entries while speaking v4 do not fit */
	EXPECT_OK(t, P, SCMI_PERF_DESCRIBE_LEVELS, WORDS(1, 0), WORDS(2, 1, 1, 1, 2, 2, 2));
	assert_int_equal(scmi_perf_describe_levels(t->h, 1, l, 8, &n), -EPROTO);
	/* lies: no progress */
	EXPECT_OK(t, P, SCMI_PERF_DESCRIBE_LEVELS, WORDS(1, 0), WORDS(0x40000));
	assert_int_equal(scmi_perf_describe_levels(t->h, 1, l, 8, &n), -EPROTO);
	/* lies: remaining stuck */
	EXPECT_OK(t, P, SCMI_PERF_DESCRIBE_LEVELS, WORDS(1, 0), WORDS(0x10001, 1, 1, 1, 1, 0));
	EXPECT_OK(t, P, SCMI_PERF_DESCRIBE_LEVELS, WORDS(1, 1), WORDS(0x10001, 2, 2, 2, 2, 1));
	assert_int_equal(scmi_perf_describe_levels(t->h, 1, l, 8, &n), -EPROTO);
	/* more than the caller's table */
	EXPECT_OK(t, P, SCMI_PERF_DESCRIBE_LEVELS, WORDS(1, 0), WORDS(0x90001, 1, 1, 1, 1, 0));
	assert_int_equal(scmi_perf_describe_levels(t->h, 1, l, 8, &n), -ENOBUFS);
}

static void test_levels_v3(void **state)
{
	struct pt *t = *state;
	struct scmi_perf_level l[4];
	size_t n;

	scmi_proto_version_set(t->h, P, SCMI_VERSION(3, 0));
	EXPECT_OK(t, P, SCMI_PERF_DESCRIBE_LEVELS, WORDS(0, 0),
		  WORDS(0x00002, 100, 10, 5, 200, 20, 6));
	assert_int_equal(scmi_perf_describe_levels(t->h, 0, l, 4, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(l[1].level, 200);
	assert_int_equal(l[1].latency_us, 6);
	assert_int_equal(l[1].indicative_freq_khz, 0);
	assert_int_equal(l[1].level_index, 1);
}

static void test_levels_and_limits(void **state)
{
	struct pt *t = *state;
	uint32_t a, b;

	EXPECT_OK(t, P, SCMI_PERF_LIMITS_SET, WORDS(1, 900, 100), NORESP);
	assert_int_equal(scmi_perf_limits_set(t->h, 1, 900, 100), 0);
	assert_int_equal(scmi_perf_limits_set(t->h, 1, 100, 900), -EINVAL);
	EXPECT_OK(t, P, SCMI_PERF_LIMITS_GET, WORDS(1), WORDS(900, 100));
	assert_int_equal(scmi_perf_limits_get(t->h, 1, &a, &b), 0);
	assert_int_equal(a, 900);
	assert_int_equal(b, 100);

	EXPECT_OK(t, P, SCMI_PERF_LEVEL_SET, WORDS(1, 300), NORESP);
	assert_int_equal(scmi_perf_level_set(t->h, 1, 300), 0);
	EXPECT_OK(t, P, SCMI_PERF_LEVEL_GET, WORDS(1), WORDS(300));
	assert_int_equal(scmi_perf_level_get(t->h, 1, &a), 0);
	assert_int_equal(a, 300);

	EXPECT_OK(t, P, SCMI_PERF_NOTIFY_LIMITS, WORDS(1, 1), NORESP);
	assert_int_equal(scmi_perf_notify_limits(t->h, 1, true), 0);
	EXPECT_OK(t, P, SCMI_PERF_NOTIFY_LEVEL, WORDS(1, 0), NORESP);
	assert_int_equal(scmi_perf_notify_level(t->h, 1, false), 0);
}

static void test_fastchannel(void **state)
{
	struct pt *t = *state;
	struct scmi_fastchannel fc;

	/* what a virtio platform answers */
	fake_expect(t->fp, P, SCMI_PERF_DESCRIBE_FASTCHANNEL, WORDS(1, SCMI_PERF_LEVEL_GET),
		    SCMI_NOT_SUPPORTED, NORESP);
	assert_int_equal(scmi_perf_describe_fastchannel(t->h, 1, SCMI_PERF_LEVEL_GET, &fc),
			 -EOPNOTSUPP);
	/* only four commands have fast channels */
	assert_int_equal(scmi_perf_describe_fastchannel(t->h, 1, SCMI_PERF_NOTIFY_LEVEL, &fc),
			 -EINVAL);
	/* a description that does come back is decoded, for inspection */
	EXPECT_OK(t, P, SCMI_PERF_DESCRIBE_FASTCHANNEL, WORDS(1, SCMI_PERF_LEVEL_SET),
		  WORDS(1, 1000, 0x1000, 0x1, 8, 0x2000, 0, 0xff, 0, 0, 0xffffffff));
	assert_int_equal(scmi_perf_describe_fastchannel(t->h, 1, SCMI_PERF_LEVEL_SET, &fc), 0);
	assert_true(fc.chan_addr == 0x100001000ull);
	assert_int_equal(fc.chan_size, 8);
	assert_true(fc.db_set_mask == 0xff);
	assert_true(fc.db_preserve_mask == 0xffffffff00000000ull);
}

static void test_events(void **state)
{
	struct scmi_perf_limits_event le;
	struct scmi_perf_level_event ve;
	uint32_t lim[4] = { 1, 2, 100, 900 }, lvl[3] = { 1, 2, 300 };

	assert_int_equal(scmi_perf_parse_limits_event(lim, 15, &le), -EPROTO);
	assert_int_equal(scmi_perf_parse_limits_event(lim, 16, &le), 0);
	assert_int_equal(le.range_min, 100);	/* min first in the notification */
	assert_int_equal(le.range_max, 900);
	assert_int_equal(scmi_perf_parse_level_event(lvl, 11, &ve), -EPROTO);
	assert_int_equal(scmi_perf_parse_level_event(lvl, 12, &ve), 0);
	assert_int_equal(ve.domain_id, 2);
	assert_int_equal(ve.level, 300);
}

static int visit(void *priv, const struct scmi_perf_domain_info *d)
{
	int *n = priv;

	assert_int_equal(d->level, 5);
	assert_int_equal(d->limit_max, 9);
	(*n)++;
	return 0;
}

static void test_for_each(void **state)
{
	struct pt *t = *state;
	uint8_t r[32] = { 0 };
	int n = 0;

	EXPECT_OK(t, P, SCMI_MSG_PROTOCOL_VERSION, EMPTY, WORDS(0x40000));
	EXPECT_OK(t, P, SCMI_MSG_PROTOCOL_ATTRIBUTES, EMPTY, WORDS(1, 0, 0, 0));
	EXPECT_OK(t, P, SCMI_PERF_DOMAIN_ATTRIBUTES, WORDS(0), r, sizeof(r));
	EXPECT_OK(t, P, SCMI_PERF_LEVEL_GET, WORDS(0), WORDS(5));
	EXPECT_OK(t, P, SCMI_PERF_LIMITS_GET, WORDS(0), WORDS(9, 1));
	assert_int_equal(scmi_perf_for_each(t->h, visit, &n), 0);
	assert_int_equal(n, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_statuses, perf_setup, pt_teardown),
		cmocka_unit_test_setup_teardown(test_truncated, perf_setup, pt_teardown),
		cmocka_unit_test_setup_teardown(test_attributes, perf_setup, pt_teardown),
		cmocka_unit_test_setup_teardown(test_levels_v4, perf_setup, pt_teardown),
		cmocka_unit_test_setup_teardown(test_levels_v3, perf_setup, pt_teardown),
		cmocka_unit_test_setup_teardown(test_levels_and_limits, perf_setup, pt_teardown),
		cmocka_unit_test_setup_teardown(test_fastchannel, perf_setup, pt_teardown),
		cmocka_unit_test(test_events),
		cmocka_unit_test_setup_teardown(test_for_each, perf_setup, pt_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
