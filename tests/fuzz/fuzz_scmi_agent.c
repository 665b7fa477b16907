// SPDX-License-Identifier: MIT
/*
 * Fuzz target for the agent's protocol code: a hostile platform answers
 * every command with fuzzer-chosen bytes, while one API call (chosen by the
 * first input byte) runs -- paginated lists, descriptors of variable size,
 * names, delayed responses. Every notification parser also sees the raw
 * input. The agent must return an error or valid data, never read or write
 * out of bounds (ASan), never loop forever (the replies run out), and every
 * count it reports must fit the caller's buffer.
 *
 * Input: byte 0 = which API; then replies, each [status byte][length byte]
 * [length bytes]; a status byte of 0xff makes that reply also carry a
 * delayed response built from the next chunk. When the chunks run out, the
 * platform answers NOT_FOUND.
 */
#include <string.h>

#include <vscmi/os.h>
#include <vscmi/scmi.h>
#include <vscmi/scmi_protocols.h>
#include <scmi/wire/all.h>

#include "scmi/agent/core.h"
#include "tests/fuzz/fuzz.h"
#include "tests/scmi/fake_transport.h"

struct script {
	const uint8_t *p;
	size_t left;
};

static bool next_chunk(struct script *s, uint8_t *status, const uint8_t **buf, size_t *len)
{
	if (s->left < 2)
		return false;
	*status = s->p[0];
	*len = OS_MIN((size_t)s->p[1], s->left - 2);
	*buf = s->p + 2;
	s->p += 2 + *len;
	s->left -= 2 + *len;
	return true;
}

static void responder(struct fake_platform *fp, const struct fake_cmd *cmd, void *priv)
{
	struct script *s = priv;
	const uint8_t *buf, *dbuf;
	size_t len, dlen;
	uint8_t st, dst;

	if (!next_chunk(s, &st, &buf, &len)) {
		fake_reply(fp, cmd, SCMI_NOT_FOUND, NULL, 0);
		return;
	}
	/* mostly SUCCESS, sometimes an error status */
	fake_reply(fp, cmd, st < 0xe0 ? SCMI_SUCCESS : -(int32_t)(st & 0xf), buf, len);
	if (st == 0xff && next_chunk(s, &dst, &dbuf, &dlen))
		fake_dresp(fp, cmd, SCMI_SUCCESS, dbuf, dlen);
}

/* One do-nothing visitor per enumeration type. */
#define DEFINE_VISIT(type)                                               \
	static int visit_##type(void *priv, const struct type *x)         \
	{                                                                  \
		(void)priv;                                                \
		(void)x;                                                   \
		return 0;                                                  \
	}
DEFINE_VISIT(scmi_clock_info)
DEFINE_VISIT(scmi_perf_domain_info)
DEFINE_VISIT(scmi_sensor_info)
DEFINE_VISIT(scmi_voltage_domain_info)
DEFINE_VISIT(scmi_pinctrl_info)
DEFINE_VISIT(scmi_power_domain_info)
DEFINE_VISIT(scmi_reset_domain_info)
DEFINE_VISIT(scmi_powercap_domain_info)
#define VISIT(type) visit_##type

static void call_api(struct scmi_handle *h, uint8_t which)
{
	union {
		uint64_t rates[8];
		uint32_t ids[8];
		uint8_t protos[8];
		int32_t levels[8];
		struct scmi_perf_level perf[4];
		struct scmi_sensor_attrs sd[4];
		struct scmi_sensor_axis_info ax[4];
		struct scmi_sensor_value sv[4];
		struct scmi_pinctrl_setting pc[4];
	} b;
	struct scmi_sensor_intervals iv;
	struct scmi_base_info bi;
	char name[SCMI_NAME_MAX];
	uint64_t rate;
	uint32_t u;
	size_t n = 0;
	bool range;
	int ret = 0;

	switch (which % 24) {
	case 0:
		ret = scmi_base_discover_list_protocols(h, b.protos, 8, &n);
		FUZZ_CHECK(ret || n <= 8);
		break;
	case 1:
		ret = scmi_base_describe(h, &bi);
		FUZZ_CHECK(ret || strlen(bi.vendor) < SCMI_NAME_MAX);
		break;
	case 2:
		ret = scmi_clock_describe_rates(h, 1, b.rates, 8, &n, &range);
		FUZZ_CHECK(ret || n <= 8);
		FUZZ_CHECK(ret || !range || n == 3);
		break;
	case 3:
		ret = scmi_clock_possible_parents_get(h, 1, b.ids, 8, &n);
		FUZZ_CHECK(ret || n <= 8);
		break;
	case 4:
		scmi_clock_for_each(h, VISIT(scmi_clock_info), NULL);
		break;
	case 5:
		ret = scmi_clock_rate_set_ex(h, 1, 100, SCMI_CLOCK_ROUND_AUTO, true, false, &rate);
		break;
	case 6:
		ret = scmi_perf_describe_levels(h, 1, b.perf, 4, &n);
		FUZZ_CHECK(ret || n <= 4);
		break;
	case 7:
		scmi_perf_for_each(h, VISIT(scmi_perf_domain_info), NULL);
		break;
	case 8:
		ret = scmi_sensor_description_get(h, b.sd, 4, &n);
		FUZZ_CHECK(ret || n <= 4);
		break;
	case 9:
		ret = scmi_sensor_axis_description_get(h, 1, b.ax, 4, &n);
		FUZZ_CHECK(ret || n <= 4);
		break;
	case 10:
		ret = scmi_sensor_reading_get(h, 1, which & 0x80, b.sv, 4, &n);
		FUZZ_CHECK(ret || (n >= 1 && n <= 4));
		break;
	case 11:
		ret = scmi_sensor_list_update_intervals(h, 1, &iv);
		FUZZ_CHECK(ret || iv.count <= SCMI_SENSOR_MAX_READINGS);
		break;
	case 12:
		b.ax[0].id = 0;
		b.ax[1].id = 1;
		ret = scmi_sensor_axis_name_get(h, 1, b.ax, 2);
		break;
	case 13:
		scmi_sensor_for_each(h, VISIT(scmi_sensor_info), NULL);
		break;
	case 14:
		ret = scmi_voltage_describe_levels(h, 1, b.levels, 8, &n, &range);
		FUZZ_CHECK(ret || n <= 8);
		break;
	case 15:
		scmi_voltage_for_each(h, VISIT(scmi_voltage_domain_info), NULL);
		break;
	case 16:
		ret = scmi_pinctrl_list_associations(h, SCMI_PINCTRL_GROUP, 1, b.ids, 8, &n);
		FUZZ_CHECK(ret || n <= 8);
		break;
	case 17:
		ret = scmi_pinctrl_settings_get(h, SCMI_PINCTRL_PIN, 1, SCMI_PINCTRL_MODE_ALL, 0, &u,
						b.pc, 4, &n);
		FUZZ_CHECK(ret || n <= 4);
		break;
	case 18:
		scmi_pinctrl_for_each(h, SCMI_PINCTRL_GROUP, VISIT(scmi_pinctrl_info), NULL);
		break;
	case 19:
		scmi_power_for_each(h, VISIT(scmi_power_domain_info), NULL);
		break;
	case 20:
		scmi_reset_for_each(h, VISIT(scmi_reset_domain_info), NULL);
		ret = scmi_reset(h, 1, SCMI_RESET_MODE_AUTONOMOUS, 0, true);
		break;
	case 21:
		scmi_powercap_for_each(h, VISIT(scmi_powercap_domain_info), NULL);
		break;
	case 22:
		ret = scmi_clock_name_get(h, 1, name);
		FUZZ_CHECK(ret || strlen(name) < SCMI_NAME_MAX);
		break;
	default:
		scmi_base_discover_agent(h, SCMI_BASE_AGENT_SELF, &u, name);
		break;
	}
	(void)ret;
}

static void parse_all(const uint8_t *d, size_t n)
{
	union {
		struct scmi_base_error_event base;
		struct scmi_power_state_event power;
		struct scmi_system_power_event sys;
		struct scmi_perf_limits_event lim;
		struct scmi_perf_level_event lvl;
		struct scmi_clock_rate_event clk;
		struct scmi_sensor_trip_event trip;
		struct scmi_sensor_update_event upd;
		struct scmi_reset_event rst;
		struct scmi_powercap_cap_event cap;
		struct scmi_powercap_meas_event meas;
	} ev;

	if (!scmi_base_parse_error_event(d, n, &ev.base))
		FUZZ_CHECK(ev.base.nr_reports <= SCMI_BASE_ERR_MAX_REPORTS);
	scmi_power_parse_state_event(d, n, &ev.power);
	scmi_system_parse_power_event(d, n, &ev.sys);
	scmi_perf_parse_limits_event(d, n, &ev.lim);
	scmi_perf_parse_level_event(d, n, &ev.lvl);
	scmi_clock_parse_rate_event(d, n, &ev.clk);
	scmi_sensor_parse_trip_event(d, n, &ev.trip);
	if (!scmi_sensor_parse_update_event(d, n, &ev.upd))
		FUZZ_CHECK(ev.upd.nr_readings <= SCMI_SENSOR_MAX_READINGS);
	scmi_reset_parse_event(d, n, &ev.rst);
	scmi_powercap_parse_cap_event(d, n, &ev.cap);
	scmi_powercap_parse_meas_event(d, n, &ev.meas);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fake_config cfg = { .delivery = FAKE_DELIVER_SYNC };
	struct script s;
	struct fake_platform *fp;
	struct scmi_handle *h;
	uint8_t *copy;

	if (size < 1)
		return 0;
	/* An exact-size heap copy, so ASan sees every over-read. */
	copy = malloc(size);
	FUZZ_CHECK(copy != NULL);
	memcpy(copy, data, size);
	parse_all(copy, size);

	fp = fake_create(&cfg);
	FUZZ_CHECK(fp != NULL);
	FUZZ_CHECK(fake_open(fp, &h) == 0);
	scmi_set_timeout_ms(h, 50);
	s.p = copy + 1;
	s.left = size - 1;
	fake_set_responder(fp, responder, &s);
	scmi_proto_version_set(h, SCMI_PROTO_PERF, copy[0] & 0x40 ? SCMI_VERSION(4, 0) :
								   SCMI_VERSION(3, 0));
	scmi_proto_version_set(h, SCMI_PROTO_SENSOR, SCMI_VERSION(3, 1));
	scmi_proto_version_set(h, SCMI_PROTO_CLOCK, SCMI_VERSION(3, 0));
	call_api(h, copy[0]);
	scmi_close(h);
	fake_destroy(fp);
	free(copy);
	return 0;
}
