// SPDX-License-Identifier: MIT
/*
 * Unit tests of the agent's clock protocol (scmi/agent/clock.c) against the
 * scripted fake platform: every command and error status, short replies,
 * rates in list and range form over several pages with lying counts, the
 * asynchronous rate set with its delayed response before and after the
 * response, parents, configuration across protocol versions, notification
 * parsing, and the describe / for-each helpers.
 */
#include <pthread.h>

#include "tests/unit/scmi_proto_test.h"

#define P SCMI_PROTO_CLOCK

static int clock_setup(void **state)
{
	struct pt *t = pt_open(0);

	/* CLOCK_CONFIG_SET's layout depends on the version: say 3.0 */
	scmi_proto_version_set(t->h, P, SCMI_VERSION(3, 0));
	*state = t;
	return 0;
}

/* ---- table of every command --------------------------------------------------- */

static int c_version(struct scmi_handle *h)
{
	struct scmi_clock_proto_info pi;

	return scmi_clock_protocol_attributes(h, &pi);
}

static int c_attrs_raw(struct scmi_handle *h)
{
	uint32_t w;
	size_t got;

	return scmi_protocol_attributes(h, P, &w, 1, &got);
}

static int c_attributes(struct scmi_handle *h)
{
	struct scmi_clock_attrs a;

	return scmi_clock_attributes(h, 0, &a);
}

static int c_rates(struct scmi_handle *h)
{
	uint64_t r[8];
	size_t n;
	bool range;

	return scmi_clock_describe_rates(h, 0, r, 8, &n, &range);
}

static int c_rate_set(struct scmi_handle *h)
{
	return scmi_clock_rate_set(h, 0, 1000, false);
}

static int c_rate_get(struct scmi_handle *h)
{
	uint64_t r;

	return scmi_clock_rate_get(h, 0, &r);
}

static int c_config_set(struct scmi_handle *h)
{
	return scmi_clock_enable(h, 0, true);
}

static int c_name(struct scmi_handle *h)
{
	char n[SCMI_NAME_MAX];

	return scmi_clock_name_get(h, 0, n);
}

static int c_rate_notify(struct scmi_handle *h)
{
	return scmi_clock_rate_notify(h, 0, true);
}

static int c_rate_req_notify(struct scmi_handle *h)
{
	return scmi_clock_rate_change_requested_notify(h, 0, true);
}

static int c_config_get(struct scmi_handle *h)
{
	bool en;
	uint32_t v;

	return scmi_clock_config_get(h, 0, 0, &en, &v);
}

static int c_parents(struct scmi_handle *h)
{
	uint32_t p[8];
	size_t n;

	return scmi_clock_possible_parents_get(h, 0, p, 8, &n);
}

static int c_parent_set(struct scmi_handle *h)
{
	return scmi_clock_parent_set(h, 0, 1);
}

static int c_parent_get(struct scmi_handle *h)
{
	uint32_t p;

	return scmi_clock_parent_get(h, 0, &p);
}

static int c_perms(struct scmi_handle *h)
{
	uint32_t p;

	return scmi_clock_get_permissions(h, 0, &p);
}

static const struct pt_cmd clock_cmds[] = {
	{ "PROTOCOL_VERSION", SCMI_MSG_PROTOCOL_VERSION, c_version, 4 },
	{ "PROTOCOL_ATTRIBUTES", SCMI_MSG_PROTOCOL_ATTRIBUTES, c_attrs_raw, 4 },
	{ "CLOCK_ATTRIBUTES", SCMI_CLOCK_ATTRIBUTES, c_attributes, 20 },
	{ "CLOCK_DESCRIBE_RATES", SCMI_CLOCK_DESCRIBE_RATES, c_rates, 4 },
	{ "CLOCK_RATE_SET", SCMI_CLOCK_RATE_SET, c_rate_set, 0 },
	{ "CLOCK_RATE_GET", SCMI_CLOCK_RATE_GET, c_rate_get, 8 },
	{ "CLOCK_CONFIG_SET", SCMI_CLOCK_CONFIG_SET, c_config_set, 0 },
	{ "CLOCK_NAME_GET", SCMI_CLOCK_NAME_GET, c_name, 68 },
	{ "CLOCK_RATE_NOTIFY", SCMI_CLOCK_RATE_NOTIFY, c_rate_notify, 0 },
	{ "CLOCK_RATE_CHANGE_REQUESTED_NOTIFY", SCMI_CLOCK_RATE_CHANGE_REQUESTED_NOTIFY,
	  c_rate_req_notify, 0 },
	{ "CLOCK_CONFIG_GET", SCMI_CLOCK_CONFIG_GET, c_config_get, 12 },
	{ "CLOCK_POSSIBLE_PARENTS_GET", SCMI_CLOCK_POSSIBLE_PARENTS_GET, c_parents, 4 },
	{ "CLOCK_PARENT_SET", SCMI_CLOCK_PARENT_SET, c_parent_set, 0 },
	{ "CLOCK_PARENT_GET", SCMI_CLOCK_PARENT_GET, c_parent_get, 4 },
	{ "CLOCK_GET_PERMISSIONS", SCMI_CLOCK_GET_PERMISSIONS, c_perms, 4 },
};

static void test_statuses(void **state)
{
	pt_check_statuses(*state, P, clock_cmds, OS_ARRAY_SIZE(clock_cmds));
}

static void test_truncated(void **state)
{
	pt_check_truncated(*state, P, clock_cmds, OS_ARRAY_SIZE(clock_cmds));
}

/* ---- encodings ---------------------------------------------------------------------- */

static void test_attributes(void **state)
{
	struct pt *t = *state;
	struct scmi_clock_proto_info pi;
	struct scmi_clock_attrs a;
	uint8_t r[24] = { 0 }, nm[68] = { 0 };

	EXPECT_OK(t, P, SCMI_MSG_PROTOCOL_VERSION, EMPTY, WORDS(0x30000));
	EXPECT_OK(t, P, SCMI_MSG_PROTOCOL_ATTRIBUTES, EMPTY, WORDS(0x00040007));
	assert_int_equal(scmi_clock_protocol_attributes(t->h, &pi), 0);
	assert_int_equal(pi.num_clocks, 7);
	assert_int_equal(pi.max_async_pending, 4);

	/* short name, enabled, parents + permissions, with enable delay */
	fake_le32(r, SCMI_CLOCK_ENABLED | SCMI_CLOCK_PARENT_SUPPORT |
		     SCMI_CLOCK_GET_PERMISSIONS_SUPPORT | SCMI_CLOCK_RATE_CHANGED_NOTIFY);
	memcpy(r + 4, "uart", 4);
	fake_le32(r + 20, 25);
	EXPECT_OK(t, P, SCMI_CLOCK_ATTRIBUTES, WORDS(3), r, sizeof(r));
	assert_int_equal(scmi_clock_attributes(t->h, 3, &a), 0);
	assert_string_equal(a.name, "uart");
	assert_true(a.enabled && a.parents && a.get_permissions && a.notify_rate);
	assert_false(a.notify_rate_req || a.ext_name || a.ext_config);
	assert_int_equal(a.enable_delay_us, 25);

	/* pre-2.0 reply without the enable delay is still fine */
	EXPECT_OK(t, P, SCMI_CLOCK_ATTRIBUTES, WORDS(3), r, 20);
	assert_int_equal(scmi_clock_attributes(t->h, 3, &a), 0);
	assert_int_equal(a.enable_delay_us, 0);

	/* extended name: CLOCK_NAME_GET follows and wins */
	fake_le32(r, SCMI_CLOCK_EXT_NAME);
	memcpy(nm + 4, "a-very-long-clock-name-beyond-sixteen", 37);
	EXPECT_OK(t, P, SCMI_CLOCK_ATTRIBUTES, WORDS(3), r, sizeof(r));
	EXPECT_OK(t, P, SCMI_CLOCK_NAME_GET, WORDS(3), nm, sizeof(nm));
	assert_int_equal(scmi_clock_attributes(t->h, 3, &a), 0);
	assert_string_equal(a.name, "a-very-long-clock-name-beyond-sixteen");

	/* NAME_GET refused: the short name stays */
	EXPECT_OK(t, P, SCMI_CLOCK_ATTRIBUTES, WORDS(3), r, sizeof(r));
	fake_expect(t->fp, P, SCMI_CLOCK_NAME_GET, WORDS(3), SCMI_DENIED, NORESP);
	assert_int_equal(scmi_clock_attributes(t->h, 3, &a), 0);
	assert_string_equal(a.name, "uart");

	/* a 64-byte name with no NUL is cut, terminated, never over-read */
	pt_fill_name(nm + 4, 64, 'n');
	EXPECT_OK(t, P, SCMI_CLOCK_NAME_GET, WORDS(3), nm, sizeof(nm));
	assert_int_equal(scmi_clock_name_get(t->h, 3, a.name), 0);
	assert_int_equal(strlen(a.name), 64);
}

static void test_rates_list(void **state)
{
	struct pt *t = *state;
	uint64_t r[8];
	size_t n;
	bool range;

	/* zero rates */
	EXPECT_OK(t, P, SCMI_CLOCK_DESCRIBE_RATES, WORDS(1, 0), WORDS(0));
	assert_int_equal(scmi_clock_describe_rates(t->h, 1, r, 8, &n, &range), 0);
	assert_int_equal(n, 0);
	assert_false(range);

	/* one rate, above 4 GHz (both words used) */
	EXPECT_OK(t, P, SCMI_CLOCK_DESCRIBE_RATES, WORDS(1, 0), WORDS(1, 0x2a05f200, 1));
	assert_int_equal(scmi_clock_describe_rates(t->h, 1, r, 8, &n, &range), 0);
	assert_int_equal(n, 1);
	assert_true(r[0] == 5000000000ull);

	/* many, over three pages: 2 (3 left), 2 (1 left), 1 */
	EXPECT_OK(t, P, SCMI_CLOCK_DESCRIBE_RATES, WORDS(1, 0), WORDS(0x30002, 10, 0, 20, 0));
	EXPECT_OK(t, P, SCMI_CLOCK_DESCRIBE_RATES, WORDS(1, 2), WORDS(0x10002, 30, 0, 40, 0));
	EXPECT_OK(t, P, SCMI_CLOCK_DESCRIBE_RATES, WORDS(1, 4), WORDS(0x00001, 50, 0));
	assert_int_equal(scmi_clock_describe_rates(t->h, 1, r, 8, &n, &range), 0);
	assert_int_equal(n, 5);
	assert_true(r[0] == 10 && r[2] == 30 && r[4] == 50);

	/* more than the caller holds: -ENOBUFS after the first page says so */
	EXPECT_OK(t, P, SCMI_CLOCK_DESCRIBE_RATES, WORDS(1, 0), WORDS(0x30002, 10, 0, 20, 0));
	assert_int_equal(scmi_clock_describe_rates(t->h, 1, r, 4, &n, &range), -ENOBUFS);
}

static void test_rates_lies(void **state)
{
	struct pt *t = *state;
	uint64_t r[8];
	size_t n;
	bool range;

	/* nothing returned yet some remain: would loop forever */
	EXPECT_OK(t, P, SCMI_CLOCK_DESCRIBE_RATES, WORDS(1, 0), WORDS(0x50000));
	assert_int_equal(scmi_clock_describe_rates(t->h, 1, r, 8, &n, &range), -EPROTO);

	/* returned count larger than the reply holds */
	EXPECT_OK(t, P, SCMI_CLOCK_DESCRIBE_RATES, WORDS(1, 0), WORDS(3, 10, 0, 20, 0));
	assert_int_equal(scmi_clock_describe_rates(t->h, 1, r, 8, &n, &range), -EPROTO);

	/* remaining does not go down by what was returned */
	EXPECT_OK(t, P, SCMI_CLOCK_DESCRIBE_RATES, WORDS(1, 0), WORDS(0x20001, 10, 0));
	EXPECT_OK(t, P, SCMI_CLOCK_DESCRIBE_RATES, WORDS(1, 1), WORDS(0x20001, 20, 0));
	assert_int_equal(scmi_clock_describe_rates(t->h, 1, r, 8, &n, &range), -EPROTO);

	/* an empty page that ends the list early */
	EXPECT_OK(t, P, SCMI_CLOCK_DESCRIBE_RATES, WORDS(1, 0), WORDS(0x20001, 10, 0));
	EXPECT_OK(t, P, SCMI_CLOCK_DESCRIBE_RATES, WORDS(1, 1), WORDS(0));
	assert_int_equal(scmi_clock_describe_rates(t->h, 1, r, 8, &n, &range), -EPROTO);

	/* remaining grows */
	EXPECT_OK(t, P, SCMI_CLOCK_DESCRIBE_RATES, WORDS(1, 0), WORDS(0x10001, 10, 0));
	EXPECT_OK(t, P, SCMI_CLOCK_DESCRIBE_RATES, WORDS(1, 1), WORDS(0x30001, 20, 0));
	assert_int_equal(scmi_clock_describe_rates(t->h, 1, r, 8, &n, &range), -EPROTO);

	/* a range that is not a single triplet */
	EXPECT_OK(t, P, SCMI_CLOCK_DESCRIBE_RATES, WORDS(1, 0),
		  WORDS(0x11003, 1, 0, 2, 0, 3, 0));
	assert_int_equal(scmi_clock_describe_rates(t->h, 1, r, 8, &n, &range), -EPROTO);
	EXPECT_OK(t, P, SCMI_CLOCK_DESCRIBE_RATES, WORDS(1, 0), WORDS(0x1002, 1, 0, 2, 0));
	assert_int_equal(scmi_clock_describe_rates(t->h, 1, r, 8, &n, &range), -EPROTO);

	/* a range whose min is above its max */
	EXPECT_OK(t, P, SCMI_CLOCK_DESCRIBE_RATES, WORDS(1, 0), WORDS(0x1003, 9, 0, 2, 0, 1, 0));
	assert_int_equal(scmi_clock_describe_rates(t->h, 1, r, 8, &n, &range), -EPROTO);

	/* the list switches to a range on page two */
	EXPECT_OK(t, P, SCMI_CLOCK_DESCRIBE_RATES, WORDS(1, 0), WORDS(0x30001, 10, 0));
	EXPECT_OK(t, P, SCMI_CLOCK_DESCRIBE_RATES, WORDS(1, 1),
		  WORDS(0x1003, 1, 0, 2, 0, 1, 0));
	assert_int_equal(scmi_clock_describe_rates(t->h, 1, r, 8, &n, &range), -EPROTO);
}

static void test_rates_range(void **state)
{
	struct pt *t = *state;
	uint64_t r[3];
	size_t n;
	bool range;

	EXPECT_OK(t, P, SCMI_CLOCK_DESCRIBE_RATES, WORDS(2, 0),
		  WORDS(0x1003, 1000, 0, 0x2a05f200, 1, 500, 0));
	assert_int_equal(scmi_clock_describe_rates(t->h, 2, r, 3, &n, &range), 0);
	assert_true(range);
	assert_int_equal(n, 3);
	assert_true(r[0] == 1000 && r[1] == 5000000000ull && r[2] == 500);

	/* a range needs three slots */
	EXPECT_OK(t, P, SCMI_CLOCK_DESCRIBE_RATES, WORDS(2, 0),
		  WORDS(0x1003, 1000, 0, 2000, 0, 500, 0));
	assert_int_equal(scmi_clock_describe_rates(t->h, 2, r, 2, &n, &range), -ENOBUFS);
}

static void test_rate_set_get(void **state)
{
	struct pt *t = *state;
	uint64_t rate;

	/* sync, rounding auto by default; 64-bit rate split low word first */
	EXPECT_OK(t, P, SCMI_CLOCK_RATE_SET, WORDS(SCMI_CLOCK_SET_ROUND_AUTO, 4, 0x2a05f200, 1),
		  NORESP);
	assert_int_equal(scmi_clock_rate_set(t->h, 4, 5000000000ull, false), 0);

	EXPECT_OK(t, P, SCMI_CLOCK_RATE_SET, WORDS(0, 4, 100, 0), NORESP);
	assert_int_equal(scmi_clock_rate_set_ex(t->h, 4, 100, SCMI_CLOCK_ROUND_DOWN, false, false,
						NULL), 0);
	EXPECT_OK(t, P, SCMI_CLOCK_RATE_SET, WORDS(SCMI_CLOCK_SET_ROUND_UP, 4, 100, 0), NORESP);
	assert_int_equal(scmi_clock_rate_set_ex(t->h, 4, 100, SCMI_CLOCK_ROUND_UP, false, false,
						NULL), 0);
	assert_int_equal(scmi_clock_rate_set_ex(t->h, 4, 100, (enum scmi_clock_round)7, false,
						false, NULL), -EINVAL);

	EXPECT_OK(t, P, SCMI_CLOCK_RATE_GET, WORDS(4), WORDS(0x2a05f200, 1));
	assert_int_equal(scmi_clock_rate_get(t->h, 4, &rate), 0);
	assert_true(rate == 5000000000ull);
}

static void test_rate_set_async(void **state)
{
	struct pt *t = *state;
	uint64_t actual = 0;

	/* delayed response after the response */
	EXPECT_OK(t, P, SCMI_CLOCK_RATE_SET,
		  WORDS(SCMI_CLOCK_SET_ASYNC | SCMI_CLOCK_SET_ROUND_AUTO, 4, 1000, 0), NORESP);
	fake_expect_dresp(t->fp, SCMI_SUCCESS, WORDS(4, 999, 0), false);
	assert_int_equal(scmi_clock_rate_set_ex(t->h, 4, 1000, SCMI_CLOCK_ROUND_AUTO, true, false,
						&actual), 0);
	assert_true(actual == 999);

	/* delayed response overtaking the response */
	EXPECT_OK(t, P, SCMI_CLOCK_RATE_SET, ANY, NORESP);
	fake_expect_dresp(t->fp, SCMI_SUCCESS, WORDS(4, 998, 0), true);
	assert_int_equal(scmi_clock_rate_set_ex(t->h, 4, 1000, SCMI_CLOCK_ROUND_AUTO, true, false,
						&actual), 0);
	assert_true(actual == 998);

	/* the plain API waits too */
	EXPECT_OK(t, P, SCMI_CLOCK_RATE_SET, ANY, NORESP);
	fake_expect_dresp(t->fp, SCMI_SUCCESS, WORDS(4, 1000, 0), false);
	assert_int_equal(scmi_clock_rate_set(t->h, 4, 1000, true), 0);

	/* the delayed response reports failure */
	EXPECT_OK(t, P, SCMI_CLOCK_RATE_SET, ANY, NORESP);
	fake_expect_dresp(t->fp, SCMI_HARDWARE_ERROR, NORESP, false);
	assert_int_equal(scmi_clock_rate_set(t->h, 4, 1000, true), -EREMOTEIO);

	/* the delayed response names another clock, or is short */
	EXPECT_OK(t, P, SCMI_CLOCK_RATE_SET, ANY, NORESP);
	fake_expect_dresp(t->fp, SCMI_SUCCESS, WORDS(5, 1000, 0), false);
	assert_int_equal(scmi_clock_rate_set(t->h, 4, 1000, true), -EPROTO);
	EXPECT_OK(t, P, SCMI_CLOCK_RATE_SET, ANY, NORESP);
	fake_expect_dresp(t->fp, SCMI_SUCCESS, WORDS(4, 1000), false);
	assert_int_equal(scmi_clock_rate_set(t->h, 4, 1000, true), -EPROTO);

	/* the command itself refused: no delayed response is waited for */
	fake_expect(t->fp, P, SCMI_CLOCK_RATE_SET, ANY, SCMI_BUSY, NORESP);
	assert_int_equal(scmi_clock_rate_set(t->h, 4, 1000, true), -EBUSY);

	/* async without a delayed response */
	EXPECT_OK(t, P, SCMI_CLOCK_RATE_SET,
		  WORDS(SCMI_CLOCK_SET_ASYNC | SCMI_CLOCK_SET_IGNORE_DRESP | SCMI_CLOCK_SET_ROUND_UP,
			4, 7, 0), NORESP);
	assert_int_equal(scmi_clock_rate_set_ex(t->h, 4, 7, SCMI_CLOCK_ROUND_UP, true, true, NULL),
			 0);
}

static void test_config(void **state)
{
	struct pt *t = *state;
	uint32_t v;
	bool en;

	EXPECT_OK(t, P, SCMI_CLOCK_CONFIG_SET, WORDS(2, 1, 0), NORESP);
	assert_int_equal(scmi_clock_enable(t->h, 2, true), 0);
	EXPECT_OK(t, P, SCMI_CLOCK_CONFIG_SET, WORDS(2, 0, 0), NORESP);
	assert_int_equal(scmi_clock_enable(t->h, 2, false), 0);
	/* OEM config with the state left alone */
	EXPECT_OK(t, P, SCMI_CLOCK_CONFIG_SET, WORDS(2, 0x00800003, 0x55), NORESP);
	assert_int_equal(scmi_clock_config_set(t->h, 2, SCMI_CLOCK_KEEP, 0x80, 0x55), 0);
	assert_int_equal(scmi_clock_config_set(t->h, 2, (enum scmi_clock_state)2, 0, 0), -EINVAL);

	EXPECT_OK(t, P, SCMI_CLOCK_CONFIG_GET, WORDS(2, 0x80), WORDS(0, 1, 0x66));
	assert_int_equal(scmi_clock_config_get(t->h, 2, 0x80, &en, &v), 0);
	assert_true(en);
	assert_int_equal(v, 0x66);

	/* a 2.x platform gets the two-word form, and no OEM configs */
	scmi_proto_version_set(t->h, P, SCMI_VERSION(2, 0));
	EXPECT_OK(t, P, SCMI_CLOCK_CONFIG_SET, WORDS(2, 1), NORESP);
	assert_int_equal(scmi_clock_enable(t->h, 2, true), 0);
	assert_int_equal(scmi_clock_config_set(t->h, 2, SCMI_CLOCK_KEEP, 0x80, 1), -EOPNOTSUPP);
}

static void test_parents_and_perms(void **state)
{
	struct pt *t = *state;
	uint32_t p[4], v;
	size_t n;

	EXPECT_OK(t, P, SCMI_CLOCK_POSSIBLE_PARENTS_GET, WORDS(6, 0), WORDS(0x01000002, 10, 11));
	EXPECT_OK(t, P, SCMI_CLOCK_POSSIBLE_PARENTS_GET, WORDS(6, 2), WORDS(0x00000001, 12));
	assert_int_equal(scmi_clock_possible_parents_get(t->h, 6, p, 4, &n), 0);
	assert_int_equal(n, 3);
	assert_int_equal(p[2], 12);

	/* a parent page that claims more than it carries */
	EXPECT_OK(t, P, SCMI_CLOCK_POSSIBLE_PARENTS_GET, WORDS(6, 0), WORDS(0x00000003, 10));
	assert_int_equal(scmi_clock_possible_parents_get(t->h, 6, p, 4, &n), -EPROTO);

	EXPECT_OK(t, P, SCMI_CLOCK_PARENT_SET, WORDS(6, 11), NORESP);
	assert_int_equal(scmi_clock_parent_set(t->h, 6, 11), 0);
	EXPECT_OK(t, P, SCMI_CLOCK_PARENT_GET, WORDS(6), WORDS(11));
	assert_int_equal(scmi_clock_parent_get(t->h, 6, &v), 0);
	assert_int_equal(v, 11);

	EXPECT_OK(t, P, SCMI_CLOCK_GET_PERMISSIONS, WORDS(6),
		  WORDS(SCMI_CLOCK_PERM_STATE | SCMI_CLOCK_PERM_RATE));
	assert_int_equal(scmi_clock_get_permissions(t->h, 6, &v), 0);
	assert_int_equal(v, SCMI_CLOCK_PERM_STATE | SCMI_CLOCK_PERM_RATE);

	EXPECT_OK(t, P, SCMI_CLOCK_RATE_NOTIFY, WORDS(6, 1), NORESP);
	assert_int_equal(scmi_clock_rate_notify(t->h, 6, true), 0);
	EXPECT_OK(t, P, SCMI_CLOCK_RATE_CHANGE_REQUESTED_NOTIFY, WORDS(6, 0), NORESP);
	assert_int_equal(scmi_clock_rate_change_requested_notify(t->h, 6, false), 0);
}

static void test_rate_event(void **state)
{
	struct scmi_clock_rate_event ev;
	uint32_t p[4] = { 1, 6, 0x2a05f200, 1 };

	assert_int_equal(scmi_clock_parse_rate_event(p, 15, &ev), -EPROTO);
	assert_int_equal(scmi_clock_parse_rate_event(p, sizeof(p), &ev), 0);
	assert_int_equal(ev.agent_id, 1);
	assert_int_equal(ev.clock_id, 6);
	assert_true(ev.rate == 5000000000ull);
}

/* describe = attributes + all rate pages (kept: 16) + rate + parents + perms */
static void script_describe(struct pt *t, uint32_t clk)
{
	uint8_t r[24] = { 0 };

	fake_le32(r, SCMI_CLOCK_PARENT_SUPPORT | SCMI_CLOCK_GET_PERMISSIONS_SUPPORT);
	memcpy(r + 4, "c", 1);
	EXPECT_OK(t, P, SCMI_CLOCK_ATTRIBUTES, WORDS(clk), r, sizeof(r));
	EXPECT_OK(t, P, SCMI_CLOCK_DESCRIBE_RATES, WORDS(clk, 0), WORDS(0x1003, 1, 0, 9, 0, 1, 0));
	EXPECT_OK(t, P, SCMI_CLOCK_RATE_GET, WORDS(clk), WORDS(5, 0));
	EXPECT_OK(t, P, SCMI_CLOCK_POSSIBLE_PARENTS_GET, WORDS(clk, 0), WORDS(1, 7));
	EXPECT_OK(t, P, SCMI_CLOCK_PARENT_GET, WORDS(clk), WORDS(7));
	EXPECT_OK(t, P, SCMI_CLOCK_GET_PERMISSIONS, WORDS(clk), WORDS(SCMI_CLOCK_PERM_RATE));
}

static int count_clock(void *priv, const struct scmi_clock_info *c)
{
	int *n = priv;

	assert_int_equal(c->attrs.id, (uint32_t)*n);
	assert_true(c->rates_range);
	assert_true(c->rate == 5);
	(*n)++;
	return 0;
}

static void test_describe_and_for_each(void **state)
{
	struct pt *t = *state;
	struct scmi_clock_info info;
	int n = 0;

	script_describe(t, 0);
	assert_int_equal(scmi_clock_describe(t->h, 0, &info), 0);
	assert_true(info.rates_range);
	assert_int_equal(info.nr_rates, 3);
	assert_true(info.rates[1] == 9);
	assert_true(info.has_parent && info.parent == 7);
	assert_int_equal(info.nr_parents, 1);
	assert_int_equal(info.parent_ids[0], 7);
	assert_true(info.has_permissions);

	EXPECT_OK(t, P, SCMI_MSG_PROTOCOL_VERSION, EMPTY, WORDS(0x30000));
	EXPECT_OK(t, P, SCMI_MSG_PROTOCOL_ATTRIBUTES, EMPTY, WORDS(2));
	script_describe(t, 0);
	script_describe(t, 1);
	assert_int_equal(scmi_clock_for_each(t->h, count_clock, &n), 0);
	assert_int_equal(n, 2);
}

/* parents and permissions withheld from this agent: described without them */
static void test_describe_withheld(void **state)
{
	struct pt *t = *state;
	struct scmi_clock_info info;
	uint8_t r[24] = { 0 };

	fake_le32(r, SCMI_CLOCK_PARENT_SUPPORT | SCMI_CLOCK_GET_PERMISSIONS_SUPPORT);
	EXPECT_OK(t, P, SCMI_CLOCK_ATTRIBUTES, WORDS(2), r, sizeof(r));
	EXPECT_OK(t, P, SCMI_CLOCK_DESCRIBE_RATES, WORDS(2, 0), WORDS(1, 5, 0));
	EXPECT_OK(t, P, SCMI_CLOCK_RATE_GET, WORDS(2), WORDS(5, 0));
	EXPECT_OK(t, P, SCMI_CLOCK_POSSIBLE_PARENTS_GET, WORDS(2, 0), WORDS(1, 7));
	fake_expect(t->fp, P, SCMI_CLOCK_PARENT_GET, WORDS(2), SCMI_DENIED, NORESP);
	fake_expect(t->fp, P, SCMI_CLOCK_GET_PERMISSIONS, WORDS(2), SCMI_NOT_SUPPORTED, NORESP);
	assert_int_equal(scmi_clock_describe(t->h, 2, &info), 0);
	assert_false(info.has_parent);
	assert_false(info.has_permissions);
	assert_int_equal(info.nr_parents, 1);

	/* but a real failure still fails */
	EXPECT_OK(t, P, SCMI_CLOCK_ATTRIBUTES, WORDS(2), r, sizeof(r));
	EXPECT_OK(t, P, SCMI_CLOCK_DESCRIBE_RATES, WORDS(2, 0), WORDS(1, 5, 0));
	EXPECT_OK(t, P, SCMI_CLOCK_RATE_GET, WORDS(2), WORDS(5, 0));
	EXPECT_OK(t, P, SCMI_CLOCK_POSSIBLE_PARENTS_GET, WORDS(2, 0), WORDS(1, 7));
	fake_expect(t->fp, P, SCMI_CLOCK_PARENT_GET, WORDS(2), SCMI_HARDWARE_ERROR, NORESP);
	assert_int_equal(scmi_clock_describe(t->h, 2, &info), -EREMOTEIO);
}

/* describe keeps the first 16 of a long list and counts the rest */
static void test_describe_truncates(void **state)
{
	struct pt *t = *state;
	struct scmi_clock_info info;
	uint32_t page[1 + 2 * 10];
	uint8_t r[24] = { 0 };
	unsigned i, pg;

	EXPECT_OK(t, P, SCMI_CLOCK_ATTRIBUTES, WORDS(0), r, sizeof(r));
	for (pg = 0; pg < 3; pg++) {
		uint32_t left = 30 - 10 * (pg + 1);

		page[0] = left << 16 | 10;
		for (i = 0; i < 10; i++) {
			page[1 + 2 * i] = 100 + 10 * pg + i;
			page[2 + 2 * i] = 0;
		}
		EXPECT_OK(t, P, SCMI_CLOCK_DESCRIBE_RATES, WORDS(0, 10 * pg), page, sizeof(page));
	}
	EXPECT_OK(t, P, SCMI_CLOCK_RATE_GET, WORDS(0), WORDS(100, 0));
	assert_int_equal(scmi_clock_describe(t->h, 0, &info), 0);
	assert_int_equal(info.nr_rates, 30);
	assert_true(info.rates[15] == 115);
}

/* A platform whose clock N runs at N MHz, answering from its own thread. */
static void rate_responder(struct fake_platform *fp, const struct fake_cmd *cmd, void *priv)
{
	uint32_t clk, r[2];

	if (cmd->proto != P || cmd->msg_id != SCMI_CLOCK_RATE_GET || cmd->len != 4) {
		fake_reply(fp, cmd, SCMI_NOT_SUPPORTED, NULL, 0);
		return;
	}
	clk = scmi_get_le32(cmd->payload);
	r[0] = clk * 1000000u;
	r[1] = 0;
	fake_reply(fp, cmd, SCMI_SUCCESS, r, sizeof(r));
}

struct worker {
	struct scmi_handle *h;
	uint32_t clk;
	int errors;
};

static void *worker_fn(void *arg)
{
	struct worker *w = arg;
	uint64_t rate;
	int i;

	for (i = 0; i < 200; i++) {
		if (scmi_clock_rate_get(w->h, w->clk, &rate) || rate != w->clk * 1000000ull)
			w->errors++;
	}
	return NULL;
}

/* Several threads on one handle, replies delivered like interrupts. */
static void test_concurrent(void **state)
{
	struct fake_config cfg = { .delivery = FAKE_DELIVER_THREAD };
	struct worker w[6];
	pthread_t th[6];
	struct fake_platform *fp;
	struct scmi_handle *h;
	int i;

	fp = fake_create(&cfg);
	assert_non_null(fp);
	assert_int_equal(fake_open(fp, &h), 0);
	fake_set_responder(fp, rate_responder, NULL);
	for (i = 0; i < 6; i++) {
		w[i] = (struct worker){ .h = h, .clk = (uint32_t)i + 1 };
		assert_int_equal(pthread_create(&th[i], NULL, worker_fn, &w[i]), 0);
	}
	for (i = 0; i < 6; i++) {
		pthread_join(th[i], NULL);
		assert_int_equal(w[i].errors, 0);
	}
	assert_int_equal(fake_ncmds(fp), 6 * 200);
	scmi_close(h);
	fake_destroy(fp);
}

/* The same commands in polling mode (callers that cannot sleep). */
static void test_polling(void **state)
{
	struct pt *t = *state;
	uint64_t rate;

	assert_int_equal(scmi_set_polling(t->h, true), 0);
	fake_set_responder(t->fp, rate_responder, NULL);
	assert_int_equal(scmi_clock_rate_get(t->h, 7, &rate), 0);
	assert_true(rate == 7000000);
	EXPECT_OK(t, P, SCMI_CLOCK_RATE_SET, ANY, NORESP);
	fake_expect_dresp(t->fp, SCMI_SUCCESS, WORDS(4, 1000, 0), false);
	assert_int_equal(scmi_clock_rate_set(t->h, 4, 1000, true), 0);
	fake_set_responder(t->fp, NULL, NULL);
	assert_int_equal(scmi_set_polling(t->h, false), 0);
}

static int big_setup(void **state)
{
	struct pt *t = pt_open(256);

	scmi_proto_version_set(t->h, P, SCMI_VERSION(3, 0));
	*state = t;
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_statuses, clock_setup, pt_teardown),
		cmocka_unit_test_setup_teardown(test_truncated, clock_setup, pt_teardown),
		cmocka_unit_test_setup_teardown(test_attributes, clock_setup, pt_teardown),
		cmocka_unit_test_setup_teardown(test_rates_list, clock_setup, pt_teardown),
		cmocka_unit_test_setup_teardown(test_rates_lies, clock_setup, pt_teardown),
		cmocka_unit_test_setup_teardown(test_rates_range, clock_setup, pt_teardown),
		cmocka_unit_test_setup_teardown(test_rate_set_get, clock_setup, pt_teardown),
		cmocka_unit_test_setup_teardown(test_rate_set_async, clock_setup, pt_teardown),
		cmocka_unit_test_setup_teardown(test_config, clock_setup, pt_teardown),
		cmocka_unit_test_setup_teardown(test_parents_and_perms, clock_setup, pt_teardown),
		cmocka_unit_test(test_rate_event),
		cmocka_unit_test_setup_teardown(test_describe_and_for_each, clock_setup,
						pt_teardown),
		cmocka_unit_test_setup_teardown(test_describe_withheld, clock_setup, pt_teardown),
		cmocka_unit_test_setup_teardown(test_describe_truncates, big_setup, pt_teardown),
		cmocka_unit_test(test_concurrent),
		cmocka_unit_test_setup_teardown(test_polling, clock_setup, pt_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
