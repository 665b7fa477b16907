// SPDX-License-Identifier: MIT
/* Unit tests of the SCMI wire helpers: header packing, status <-> errno. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <vscmi/errno.h>
#include <vscmi/scmi_wire.h>
#include <scmi/wire/all.h>

static void test_hdr_roundtrip(void **state)
{
	uint8_t id, type, proto;
	uint16_t tok;
	uint32_t h = scmi_hdr_pack(0x5, SCMI_MSG_TYPE_DELAYED_RESP, SCMI_PROTO_CLOCK, 0x3ff);

	assert_int_equal(h, 0x5u | 2u << 8 | 0x14u << 10 | 0x3ffu << 18);
	scmi_hdr_unpack(h, &id, &type, &proto, &tok);
	assert_int_equal(id, 5);
	assert_int_equal(type, SCMI_MSG_TYPE_DELAYED_RESP);
	assert_int_equal(proto, SCMI_PROTO_CLOCK);
	assert_int_equal(tok, 0x3ff);
	/* Tokens wider than 10 bits are truncated, never leak into reserved bits. */
	h = scmi_hdr_pack(0xff, 3, 0xff, 0xffff);
	assert_int_equal(h & SCMI_HDR_RESERVED_MASK, 0);
	assert_int_equal(scmi_hdr_token(h), 0x3ff);
}

static void test_status_errno(void **state)
{
	for (int32_t s = SCMI_SUCCESS; s >= SCMI_IN_USE; s--) {
		int err = scmi_status_to_errno(s);

		assert_true(err <= 0);
		assert_int_equal(scmi_errno_to_status(err), s);
		assert_string_not_equal(scmi_status_name(s), "UNKNOWN");
	}
	assert_int_equal(scmi_status_to_errno(SCMI_DENIED), -EACCES);
	assert_int_equal(scmi_status_to_errno(SCMI_NOT_SUPPORTED), -EOPNOTSUPP);
	assert_int_equal(scmi_status_to_errno(-12), -EPROTO);
	assert_int_equal(scmi_status_to_errno(7), -EPROTO);
	assert_string_equal(scmi_status_name(-12), "UNKNOWN");
	assert_int_equal(scmi_errno_to_status(-ENOMEM), SCMI_GENERIC_ERROR);
	assert_int_equal(scmi_errno_to_status(-ENODEV), SCMI_NOT_FOUND);
	assert_string_equal(scmi_protocol_name(SCMI_PROTO_PINCTRL), "pinctrl");
	assert_string_equal(scmi_protocol_name(0x90), "vendor");
}

static void test_fields(void **state)
{
	assert_int_equal(SCMI_GENMASK(31, 16), 0xffff0000u);
	assert_int_equal(SCMI_FIELD_GET(SCMI_CLOCK_RATES_REMAINING, 0x00050003u), 5);
	assert_int_equal(SCMI_FIELD_PREP(SCMI_PINCTRL_CONF_NUM_CONFIGS, 3), 3u << 2);
	assert_int_equal(scmi_sensor_desc_size(SCMI_SENSOR_EXT_ATTRS), 52);
	assert_int_equal(scmi_sensor_desc_size(0), 28);
	uint8_t b[4];
	scmi_put_le32(b, 0x11223344);
	assert_int_equal(b[0], 0x44);
	assert_int_equal(scmi_get_le32(b), 0x11223344);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hdr_roundtrip),
		cmocka_unit_test(test_status_errno),
		cmocka_unit_test(test_fields),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
