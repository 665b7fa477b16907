// SPDX-License-Identifier: MIT
/*
 * Unit tests of the agent's pin control protocol (scmi/agent/pinctrl.c)
 * against the scripted fake platform: every command and error status,
 * short replies, associations (16-bit ids, pages, lies), the three
 * settings-get modes, settings configure split over several messages,
 * request / release / permissions, selector checks, describe and for-each.
 */
#include "tests/unit/scmi_proto_test.h"

#define P SCMI_PROTO_PINCTRL

static int c_proto(struct scmi_handle *h)
{
	struct scmi_pinctrl_proto_info pi;

	return scmi_pinctrl_protocol_attributes(h, &pi);
}

static int c_proto_raw(struct scmi_handle *h)
{
	uint32_t w[2];
	size_t got;

	return scmi_protocol_attributes(h, P, w, 2, &got);
}

static int c_attrs(struct scmi_handle *h)
{
	struct scmi_pinctrl_attrs a;

	return scmi_pinctrl_attributes(h, SCMI_PINCTRL_GROUP, 0, &a);
}

static int c_assoc(struct scmi_handle *h)
{
	uint32_t ids[4];
	size_t n;

	return scmi_pinctrl_list_associations(h, SCMI_PINCTRL_GROUP, 0, ids, 4, &n);
}

static int c_get(struct scmi_handle *h)
{
	struct scmi_pinctrl_setting c[4];
	uint32_t f;
	size_t n;

	return scmi_pinctrl_settings_get(h, SCMI_PINCTRL_PIN, 0, SCMI_PINCTRL_MODE_ALL, 0, &f, c,
					 4, &n);
}

static int c_conf(struct scmi_handle *h)
{
	struct scmi_pinctrl_setting c = { SCMI_PINCTRL_CFG_BIAS_PULL_UP, 1 };

	return scmi_pinctrl_settings_configure(h, SCMI_PINCTRL_PIN, 0, SCMI_PINCTRL_NO_FUNCTION,
					       &c, 1);
}

static int c_req(struct scmi_handle *h)
{
	return scmi_pinctrl_request(h, SCMI_PINCTRL_PIN, 0);
}

static int c_rel(struct scmi_handle *h)
{
	return scmi_pinctrl_release(h, SCMI_PINCTRL_PIN, 0);
}

static int c_name(struct scmi_handle *h)
{
	char n[SCMI_NAME_MAX];

	return scmi_pinctrl_name_get(h, SCMI_PINCTRL_FUNCTION, 0, n);
}

static int c_perm(struct scmi_handle *h)
{
	return scmi_pinctrl_set_permissions(h, 2, SCMI_PINCTRL_PIN, 0, true);
}

static const struct pt_cmd pinctrl_cmds[] = {
	{ "PROTOCOL_VERSION", SCMI_MSG_PROTOCOL_VERSION, c_proto, 4 },
	{ "PROTOCOL_ATTRIBUTES", SCMI_MSG_PROTOCOL_ATTRIBUTES, c_proto_raw, 4 },
	{ "PINCTRL_ATTRIBUTES", SCMI_PINCTRL_ATTRIBUTES, c_attrs, 20 },
	{ "PINCTRL_LIST_ASSOCIATIONS", SCMI_PINCTRL_LIST_ASSOCIATIONS, c_assoc, 4 },
	{ "PINCTRL_SETTINGS_GET", SCMI_PINCTRL_SETTINGS_GET, c_get, 8 },
	{ "PINCTRL_SETTINGS_CONFIGURE", SCMI_PINCTRL_SETTINGS_CONFIGURE, c_conf, 0 },
	{ "PINCTRL_REQUEST", SCMI_PINCTRL_REQUEST, c_req, 0 },
	{ "PINCTRL_RELEASE", SCMI_PINCTRL_RELEASE, c_rel, 0 },
	{ "PINCTRL_NAME_GET", SCMI_PINCTRL_NAME_GET, c_name, 68 },
	{ "PINCTRL_SET_PERMISSIONS", SCMI_PINCTRL_SET_PERMISSIONS, c_perm, 0 },
};

static void test_statuses(void **state)
{
	pt_check_statuses(*state, P, pinctrl_cmds, OS_ARRAY_SIZE(pinctrl_cmds));
}

static void test_truncated(void **state)
{
	pt_check_truncated(*state, P, pinctrl_cmds, OS_ARRAY_SIZE(pinctrl_cmds));
}

static void test_attributes(void **state)
{
	struct pt *t = *state;
	struct scmi_pinctrl_proto_info pi;
	struct scmi_pinctrl_attrs a;
	uint8_t r[20] = { 0 }, nm[68] = { 0 };

	EXPECT_OK(t, P, SCMI_MSG_PROTOCOL_VERSION, EMPTY, WORDS(0x10000));
	EXPECT_OK(t, P, SCMI_MSG_PROTOCOL_ATTRIBUTES, EMPTY, WORDS(0x00040020, 3));
	assert_int_equal(scmi_pinctrl_protocol_attributes(t->h, &pi), 0);
	assert_int_equal(pi.num_pins, 32);
	assert_int_equal(pi.num_groups, 4);
	assert_int_equal(pi.num_functions, 3);

	fake_le32(r, SCMI_PINCTRL_EXT_NAME | 6);
	memcpy(r + 4, "uart", 4);
	memcpy(nm + 4, "uart0-with-flow-control-function", 32);
	EXPECT_OK(t, P, SCMI_PINCTRL_ATTRIBUTES, WORDS(1, SCMI_PINCTRL_SEL_FUNCTION), r, sizeof(r));
	EXPECT_OK(t, P, SCMI_PINCTRL_NAME_GET, WORDS(1, SCMI_PINCTRL_SEL_FUNCTION), nm, sizeof(nm));
	assert_int_equal(scmi_pinctrl_attributes(t->h, SCMI_PINCTRL_FUNCTION, 1, &a), 0);
	assert_int_equal(a.num_elems, 6);
	assert_true(a.ext_name);
	assert_string_equal(a.name, "uart0-with-flow-control-function");

	assert_int_equal(scmi_pinctrl_attributes(t->h, (enum scmi_pinctrl_type)3, 1, &a), -EINVAL);
}

static void test_associations(void **state)
{
	struct pt *t = *state;
	uint32_t ids[8];
	size_t n;

	/* three 16-bit pins (padded to a word), then two more */
	EXPECT_OK(t, P, SCMI_PINCTRL_LIST_ASSOCIATIONS, WORDS(2, SCMI_PINCTRL_SEL_GROUP, 0),
		  WORDS(0x20003, 0x00110010, 0x00000012));
	EXPECT_OK(t, P, SCMI_PINCTRL_LIST_ASSOCIATIONS, WORDS(2, SCMI_PINCTRL_SEL_GROUP, 3),
		  WORDS(0x00002, 0x00140013));
	assert_int_equal(scmi_pinctrl_list_associations(t->h, SCMI_PINCTRL_GROUP, 2, ids, 8, &n),
			 0);
	assert_int_equal(n, 5);
	assert_int_equal(ids[0], 0x10);
	assert_int_equal(ids[2], 0x12);
	assert_int_equal(ids[4], 0x14);

	/* lies: more than fits; no progress */
	EXPECT_OK(t, P, SCMI_PINCTRL_LIST_ASSOCIATIONS, ANY, WORDS(0x00003, 0x00110010));
	assert_int_equal(scmi_pinctrl_list_associations(t->h, SCMI_PINCTRL_GROUP, 2, ids, 8, &n),
			 -EPROTO);
	EXPECT_OK(t, P, SCMI_PINCTRL_LIST_ASSOCIATIONS, ANY, WORDS(0x10000));
	assert_int_equal(scmi_pinctrl_list_associations(t->h, SCMI_PINCTRL_GROUP, 2, ids, 8, &n),
			 -EPROTO);
	/* pins have no associations */
	assert_int_equal(scmi_pinctrl_list_associations(t->h, SCMI_PINCTRL_PIN, 2, ids, 8, &n),
			 -EINVAL);
}

static void test_settings_get(void **state)
{
	struct pt *t = *state;
	struct scmi_pinctrl_setting c[4];
	uint32_t f;
	size_t n;

	/* one config type */
	EXPECT_OK(t, P, SCMI_PINCTRL_SETTINGS_GET,
		  WORDS(5, (0u << 18) | (0u << 16) | SCMI_PINCTRL_CFG_DRIVE_STRENGTH),
		  WORDS(2, 1, SCMI_PINCTRL_CFG_DRIVE_STRENGTH, 8));
	assert_int_equal(scmi_pinctrl_settings_get(t->h, SCMI_PINCTRL_PIN, 5, SCMI_PINCTRL_MODE_ONE,
						   SCMI_PINCTRL_CFG_DRIVE_STRENGTH, &f, c, 4, &n),
			 0);
	assert_int_equal(f, 2);
	assert_int_equal(n, 1);
	assert_int_equal(c[0].value, 8);
	/* ... answered with another type */
	EXPECT_OK(t, P, SCMI_PINCTRL_SETTINGS_GET, ANY,
		  WORDS(2, 1, SCMI_PINCTRL_CFG_SLEW_RATE, 8));
	assert_int_equal(scmi_pinctrl_settings_get(t->h, SCMI_PINCTRL_PIN, 5, SCMI_PINCTRL_MODE_ONE,
						   SCMI_PINCTRL_CFG_DRIVE_STRENGTH, &f, c, 4, &n),
			 -EPROTO);

	/* all, two pages, group selector, SKIP in bits 15:8 */
	EXPECT_OK(t, P, SCMI_PINCTRL_SETTINGS_GET, WORDS(1, (1u << 18) | (1u << 16) | (0u << 8)),
		  WORDS(0xffffffff, 0x01000002, 4, 1, 10, 3));
	EXPECT_OK(t, P, SCMI_PINCTRL_SETTINGS_GET, WORDS(1, (1u << 18) | (1u << 16) | (2u << 8)),
		  WORDS(0xffffffff, 0x00000001, 20, 0));
	assert_int_equal(scmi_pinctrl_settings_get(t->h, SCMI_PINCTRL_GROUP, 1,
						   SCMI_PINCTRL_MODE_ALL, 0, &f, c, 4, &n), 0);
	assert_int_equal(f, SCMI_PINCTRL_NO_FUNCTION);
	assert_int_equal(n, 3);
	assert_int_equal(c[1].type, 10);
	assert_int_equal(c[2].type, 20);
	/* ... with a lie on page two */
	EXPECT_OK(t, P, SCMI_PINCTRL_SETTINGS_GET, ANY, WORDS(0, 0x01000002, 4, 1, 10, 3));
	EXPECT_OK(t, P, SCMI_PINCTRL_SETTINGS_GET, ANY, WORDS(0, 0x01000001, 20, 0));
	assert_int_equal(scmi_pinctrl_settings_get(t->h, SCMI_PINCTRL_GROUP, 1,
						   SCMI_PINCTRL_MODE_ALL, 0, &f, c, 4, &n),
			 -EPROTO);

	/* only the function */
	EXPECT_OK(t, P, SCMI_PINCTRL_SETTINGS_GET, WORDS(5, 2u << 18), WORDS(7, 0));
	assert_int_equal(scmi_pinctrl_settings_get(t->h, SCMI_PINCTRL_PIN, 5,
						   SCMI_PINCTRL_MODE_FUNCTION, 0, &f, NULL, 0, &n),
			 0);
	assert_int_equal(f, 7);
	assert_int_equal(n, 0);

	/* functions have no settings */
	assert_int_equal(scmi_pinctrl_settings_get(t->h, SCMI_PINCTRL_FUNCTION, 5,
						   SCMI_PINCTRL_MODE_FUNCTION, 0, &f, NULL, 0, &n),
			 -EINVAL);
}

/* SKIP is 8 bits: a walk that would need index 256+ stops with -EOVERFLOW. */
static void test_settings_skip_overflow(void **state)
{
	struct pt *t = *state;
	static struct scmi_pinctrl_setting c[300];
	uint32_t page[2 + 2 * 14], f;
	unsigned pg, i;
	size_t n;

	/* 269 configs, 14 a page: page 19 ends at 266 with 3 left to skip to */
	for (pg = 0; pg < 19; pg++) {
		page[0] = 0;
		page[1] = (269u - 14 * (pg + 1)) << 24 | 14;
		for (i = 0; i < 14; i++) {
			page[2 + 2 * i] = 1;
			page[3 + 2 * i] = pg;
		}
		EXPECT_OK(t, P, SCMI_PINCTRL_SETTINGS_GET, ANY, page, sizeof(page));
	}
	assert_int_equal(scmi_pinctrl_settings_get(t->h, SCMI_PINCTRL_PIN, 0,
						   SCMI_PINCTRL_MODE_ALL, 0, &f, c, 300, &n),
			 -EOVERFLOW);
	assert_int_equal(scmi_get_le32(fake_cmd(t->fp, fake_ncmds(t->fp) - 1)->payload + 4),
			 (1u << 18) | (252u << 8));
}

static void test_settings_configure(void **state)
{
	struct pt *t = *state;
	struct scmi_pinctrl_setting c[20];
	const struct fake_cmd *cmd;
	unsigned i, first;

	for (i = 0; i < 20; i++) {
		c[i].type = i + 1;
		c[i].value = 100 + i;
	}
	/* 128-byte messages hold 14 configs: 14 + 6, function with the first */
	first = fake_ncmds(t->fp);
	EXPECT_OK(t, P, SCMI_PINCTRL_SETTINGS_CONFIGURE, ANY, NORESP);
	EXPECT_OK(t, P, SCMI_PINCTRL_SETTINGS_CONFIGURE, ANY, NORESP);
	assert_int_equal(scmi_pinctrl_settings_configure(t->h, SCMI_PINCTRL_GROUP, 3, 9, c, 20), 0);
	cmd = fake_cmd(t->fp, first);
	assert_non_null(cmd);
	assert_int_equal(cmd->len, 12 + 14 * 8);
	assert_int_equal(scmi_get_le32(cmd->payload), 3);
	assert_int_equal(scmi_get_le32(cmd->payload + 4), 9);
	assert_int_equal(scmi_get_le32(cmd->payload + 8), (1u << 10) | (14u << 2) | 1);
	assert_int_equal(scmi_get_le32(cmd->payload + 12 + 13 * 8 + 4), 113);
	cmd = fake_cmd(t->fp, first + 1);
	assert_non_null(cmd);
	assert_int_equal(cmd->len, 12 + 6 * 8);
	assert_int_equal(scmi_get_le32(cmd->payload + 8), (6u << 2) | 1);
	assert_int_equal(scmi_get_le32(cmd->payload + 12), 15);

	/* function only */
	EXPECT_OK(t, P, SCMI_PINCTRL_SETTINGS_CONFIGURE, WORDS(3, 9, (1u << 10) | 1), NORESP);
	assert_int_equal(scmi_pinctrl_settings_configure(t->h, SCMI_PINCTRL_GROUP, 3, 9, NULL, 0),
			 0);
	/* nothing to do, or a function selector */
	assert_int_equal(scmi_pinctrl_settings_configure(t->h, SCMI_PINCTRL_GROUP, 3,
							 SCMI_PINCTRL_NO_FUNCTION, NULL, 0),
			 -EINVAL);
	assert_int_equal(scmi_pinctrl_settings_configure(t->h, SCMI_PINCTRL_FUNCTION, 3, 9, c, 1),
			 -EINVAL);
	/* the second message fails: the error is reported */
	EXPECT_OK(t, P, SCMI_PINCTRL_SETTINGS_CONFIGURE, ANY, NORESP);
	fake_expect(t->fp, P, SCMI_PINCTRL_SETTINGS_CONFIGURE, ANY, SCMI_INVALID_PARAMETERS,
		    NORESP);
	assert_int_equal(scmi_pinctrl_settings_configure(t->h, SCMI_PINCTRL_PIN, 3,
							 SCMI_PINCTRL_NO_FUNCTION, c, 20),
			 -EINVAL);
}

static void test_request_release_perms(void **state)
{
	struct pt *t = *state;

	EXPECT_OK(t, P, SCMI_PINCTRL_REQUEST, WORDS(4, SCMI_PINCTRL_SEL_GROUP), NORESP);
	assert_int_equal(scmi_pinctrl_request(t->h, SCMI_PINCTRL_GROUP, 4), 0);
	EXPECT_OK(t, P, SCMI_PINCTRL_RELEASE, WORDS(4, SCMI_PINCTRL_SEL_PIN), NORESP);
	assert_int_equal(scmi_pinctrl_release(t->h, SCMI_PINCTRL_PIN, 4), 0);
	assert_int_equal(scmi_pinctrl_request(t->h, SCMI_PINCTRL_FUNCTION, 4), -EINVAL);

	EXPECT_OK(t, P, SCMI_PINCTRL_SET_PERMISSIONS,
		  WORDS(2, 4, SCMI_PINCTRL_PERM_ALLOW | SCMI_PINCTRL_SEL_GROUP), NORESP);
	assert_int_equal(scmi_pinctrl_set_permissions(t->h, 2, SCMI_PINCTRL_GROUP, 4, true), 0);
	EXPECT_OK(t, P, SCMI_PINCTRL_SET_PERMISSIONS, WORDS(2, 4, SCMI_PINCTRL_SEL_PIN), NORESP);
	assert_int_equal(scmi_pinctrl_set_permissions(t->h, 2, SCMI_PINCTRL_PIN, 4, false), 0);
	assert_int_equal(scmi_pinctrl_set_permissions(t->h, 2, SCMI_PINCTRL_FUNCTION, 4, true),
			 -EINVAL);
}

static int visit(void *priv, const struct scmi_pinctrl_info *p)
{
	int *n = priv;

	assert_int_equal(p->nr_assoc, 2);
	assert_int_equal(p->assoc[1], 6);
	assert_true(p->has_settings);
	assert_int_equal(p->nr_configs, 1);
	(*n)++;
	return 0;
}

static void test_describe(void **state)
{
	struct pt *t = *state;
	struct scmi_pinctrl_info info;
	uint8_t r[20] = { 0 };
	int n = 0;

	fake_le32(r, 2);
	memcpy(r + 4, "g0", 2);
	EXPECT_OK(t, P, SCMI_MSG_PROTOCOL_VERSION, EMPTY, WORDS(0x10000));
	EXPECT_OK(t, P, SCMI_MSG_PROTOCOL_ATTRIBUTES, EMPTY, WORDS(0x00010008, 0));
	EXPECT_OK(t, P, SCMI_PINCTRL_ATTRIBUTES, WORDS(0, SCMI_PINCTRL_SEL_GROUP), r, sizeof(r));
	EXPECT_OK(t, P, SCMI_PINCTRL_LIST_ASSOCIATIONS, WORDS(0, SCMI_PINCTRL_SEL_GROUP, 0),
		  WORDS(2, 0x00060005));
	EXPECT_OK(t, P, SCMI_PINCTRL_SETTINGS_GET, ANY, WORDS(1, 1, 4, 1));
	assert_int_equal(scmi_pinctrl_for_each(t->h, SCMI_PINCTRL_GROUP, visit, &n), 0);
	assert_int_equal(n, 1);

	/* a pin whose settings are private is still described */
	EXPECT_OK(t, P, SCMI_PINCTRL_ATTRIBUTES, WORDS(3, SCMI_PINCTRL_SEL_PIN), r, sizeof(r));
	fake_expect(t->fp, P, SCMI_PINCTRL_SETTINGS_GET, ANY, SCMI_DENIED, NORESP);
	assert_int_equal(scmi_pinctrl_describe(t->h, SCMI_PINCTRL_PIN, 3, &info), 0);
	assert_false(info.has_settings);
	assert_string_equal(info.attrs.name, "g0");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_statuses, pt_setup, pt_teardown),
		cmocka_unit_test_setup_teardown(test_truncated, pt_setup, pt_teardown),
		cmocka_unit_test_setup_teardown(test_attributes, pt_setup, pt_teardown),
		cmocka_unit_test_setup_teardown(test_associations, pt_setup, pt_teardown),
		cmocka_unit_test_setup_teardown(test_settings_get, pt_setup, pt_teardown),
		cmocka_unit_test_setup_teardown(test_settings_skip_overflow, pt_setup, pt_teardown),
		cmocka_unit_test_setup_teardown(test_settings_configure, pt_setup, pt_teardown),
		cmocka_unit_test_setup_teardown(test_request_release_perms, pt_setup, pt_teardown),
		cmocka_unit_test_setup_teardown(test_describe, pt_setup, pt_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
