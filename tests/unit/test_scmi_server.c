// SPDX-License-Identifier: MIT
/*
 * Unit tests of the SCMI server: every command of every protocol sent as
 * raw bytes through scmi_srv_handle(), the validator's statuses, delayed
 * responses and notifications through fake daemon ops, the two-agent
 * permission matrix, sharing and reference counting, disconnect and reload.
 * Most tests run on the demo config (configs/automotive-soc.cfg).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "scmi/server/srv.h"
#include "tests/unit/scmi_srv_harness.h"

#define DEMO "configs/automotive-soc.cfg"
#define NOTIF SCMI_MSG_TYPE_NOTIFICATION
#define DRESP SCMI_MSG_TYPE_DELAYED_RESP

/* Two agents sharing everything read-write, deterministic sources. */
static const char shared_cfg[] =
	"async_latency = \"1ms\"\n"
	"perf_domains = [ \"name=cpu,opps=100M:10mW:10us|200M:20mW:10us|300M:30mW:10us|400M:40mW:10us\" ]\n"
	"powercaps = [ \"name=pc,min_cap=1W,max_cap=10W,cap_step=1W,cap=10W,measure=const:4000\" ]\n"
	"sensors = [ \"name=t0,type=celsius,scale=-3,trip_points=2,intervals=100ms|1s,source=ramp:0:1000:100:100ms\",\n"
	"            \"name=acc,axes=x|y,source=const:-7,async=1,latency=2ms\",\n"
	"            \"name=rng,intervals=10ms-1s/10ms,source=const:5,min=0,max=10\" ]\n"
	"voltages = [ \"name=v,levels=900mV|1V,async=1\" ]\n"
	"pins = [ \"name=p0\", \"name=p1\" ]\n"
	"pin_groups = [ \"name=g0,pins=p0|p1\" ]\n"
	"pin_functions = [ \"name=f0,groups=g0\" ]\n"
	"clocks = [ \"name=c,rates=1M|2M\", \"name=a_very_long_clock_name_beyond_sixteen,rates=1M\" ]\n"
	"agents = [ \"name=ivi\", \"name=cluster,trusted=1\" ]\n"
	"agent_ivi = [ \"perf:cpu\", \"powercap:pc\", \"sensor:*\", \"function:f0\", \"voltage:v\", \"clock:*\" ]\n"
	"agent_cluster = [ \"perf:cpu\", \"powercap:pc\", \"sensor:t0\", \"group:g0\", \"clock:c\" ]\n";

static int setup_demo(void **state)
{
	struct h_srv *h = calloc(1, sizeof(*h));

	h_setup(h, DEMO);
	*state = h;
	return 0;
}

static int setup_shared(void **state)
{
	struct h_srv *h = calloc(1, sizeof(*h));

	h_setup_text(h, shared_cfg);
	*state = h;
	return 0;
}

static int teardown(void **state)
{
	struct h_srv *h = *state;

	h_teardown(h);
	free(h);
	return 0;
}

/* ---- the validator --------------------------------------------------------- */

static const struct srv_proto *const all_protocols[] = {
	&srv_proto_base, &srv_proto_power, &srv_proto_system, &srv_proto_perf,
	&srv_proto_clock, &srv_proto_sensor, &srv_proto_reset, &srv_proto_voltage,
	&srv_proto_powercap, &srv_proto_pinctrl,
};

static void test_validator(void **state)
{
	struct h_srv *h = *state;
	uint8_t req[64] = { 0 }, resp[128];
	unsigned checked = 0;

	/* no header: nothing to answer */
	assert_int_equal(scmi_srv_handle(h->s, h->ivi, req, 3, resp, sizeof(resp)), 0);
	assert_int_equal(scmi_srv_handle(h->s, h->ivi, req, 4, resp, 7), 0);
	/* delayed-response / notification types and reserved bits are protocol errors */
	scmi_put_le32(req, scmi_hdr_pack(0, SCMI_MSG_TYPE_DELAYED_RESP, SCMI_PROTO_BASE, 1));
	assert_int_equal(scmi_srv_handle(h->s, h->ivi, req, 4, resp, sizeof(resp)), 8);
	assert_int_equal((int32_t)scmi_get_le32(resp + 4), SCMI_PROTOCOL_ERROR);
	scmi_put_le32(req, scmi_hdr_pack(0, 0, SCMI_PROTO_BASE, 1) | SCMI_BIT(28));
	scmi_srv_handle(h->s, h->ivi, req, 4, resp, sizeof(resp));
	assert_int_equal((int32_t)scmi_get_le32(resp + 4), SCMI_PROTOCOL_ERROR);
	/* protocols that do not exist, vendor ones, ones the agent cannot see */
	assert_int_equal(H_CMD0(h, h->ivi, 0x20, 0), SCMI_NOT_SUPPORTED);
	assert_int_equal(H_CMD0(h, h->ivi, 0x80, 0), SCMI_NOT_SUPPORTED);
	assert_int_equal(H_CMD0(h, h->cluster, SCMI_PROTO_VOLTAGE, 0), SCMI_NOT_SUPPORTED);
	/* unknown message ids */
	assert_int_equal(H_CMD0(h, h->ivi, SCMI_PROTO_BASE, 0xC), SCMI_NOT_FOUND);
	assert_int_equal(H_CMD0(h, h->ivi, SCMI_PROTO_CLOCK, 0x11), SCMI_NOT_FOUND);
	assert_int_equal(H_CMD0(h, h->ivi, SCMI_PROTO_PINCTRL, 0xFF), SCMI_NOT_FOUND);
	/* every message of every protocol: one word short, one word long */
	for (size_t p = 0; p < OS_ARRAY_SIZE(all_protocols); p++) {
		const struct srv_proto *pr = all_protocols[p];

		for (size_t id = 0; id < pr->n_msg; id++) {
			uint16_t sz = pr->size[id] & SRV_SIZE_MASK;

			if (!pr->handler[id])
				continue;
			if (!(pr->size[id] & SRV_VAR)) {
				assert_int_equal(h_raw(h, h->ivi, pr->id, (uint8_t)id, req, sz + 4u),
						 SCMI_PROTOCOL_ERROR);
				checked++;
			}
			if (sz) {
				assert_int_equal(h_raw(h, h->ivi, pr->id, (uint8_t)id, req, sz - 4u),
						 SCMI_PROTOCOL_ERROR);
				checked++;
			}
		}
	}
	assert_true(checked > 150);
	/* a message id without a handler inside a table */
	assert_int_equal(H_CMD0(h, h->ivi, SCMI_PROTO_BASE, 0xD), SCMI_NOT_FOUND);
}

static void test_common_messages(void **state)
{
	struct h_srv *h = *state;

	for (size_t p = 0; p < OS_ARRAY_SIZE(all_protocols); p++) {
		const struct srv_proto *pr = all_protocols[p];

		assert_int_equal(H_CMD0(h, h->ivi, pr->id, SCMI_MSG_PROTOCOL_VERSION), SCMI_SUCCESS);
		assert_int_equal(h_w(h, 0), pr->version);
		assert_int_equal(H_CMD0(h, h->ivi, pr->id, SCMI_MSG_PROTOCOL_ATTRIBUTES), SCMI_SUCCESS);
		for (size_t id = 0; id < pr->n_msg; id++) {
			int32_t st = H_CMD(h, h->ivi, pr->id, SCMI_MSG_PROTOCOL_MESSAGE_ATTRIBUTES,
					   (uint32_t)id);

			assert_int_equal(st, pr->handler[id] ? SCMI_SUCCESS : SCMI_NOT_FOUND);
			if (!st)
				assert_int_equal(h_w(h, 0), 0);	/* no fast channels */
		}
		assert_int_equal(H_CMD(h, h->ivi, pr->id, SCMI_MSG_PROTOCOL_MESSAGE_ATTRIBUTES, 0x42),
				 SCMI_NOT_FOUND);
		/* negotiation: its own version, not a newer one, not another major */
		assert_int_equal(H_CMD(h, h->ivi, pr->id, SCMI_MSG_NEGOTIATE_PROTOCOL_VERSION,
				       pr->version), SCMI_SUCCESS);
		assert_int_equal(H_CMD(h, h->ivi, pr->id, SCMI_MSG_NEGOTIATE_PROTOCOL_VERSION,
				       pr->version + 1), SCMI_NOT_SUPPORTED);
		assert_int_equal(H_CMD(h, h->ivi, pr->id, SCMI_MSG_NEGOTIATE_PROTOCOL_VERSION,
				       pr->version + 0x10000), SCMI_NOT_SUPPORTED);
	}
}

/* ---- base ----------------------------------------------------------------------- */

static void test_base(void **state)
{
	struct h_srv *h = *state;

	assert_int_equal(H_CMD0(h, h->ivi, SCMI_PROTO_BASE, SCMI_MSG_PROTOCOL_ATTRIBUTES), 0);
	assert_int_equal(h_w(h, 0), SCMI_FIELD_PREP(SCMI_BASE_ATTR_NUM_AGENTS, 1) | 9);
	assert_int_equal(H_CMD0(h, h->cluster, SCMI_PROTO_BASE, SCMI_MSG_PROTOCOL_ATTRIBUTES), 0);
	/* cluster: power system perf clock sensor reset powercap pinctrl; 2 agents */
	assert_int_equal(h_w(h, 0), SCMI_FIELD_PREP(SCMI_BASE_ATTR_NUM_AGENTS, 2) | 8);
	assert_int_equal(H_CMD0(h, h->ivi, SCMI_PROTO_BASE, SCMI_BASE_DISCOVER_VENDOR), 0);
	assert_int_equal(h_plen(h), 16);
	assert_string_equal(h_str(h, 0), "vscmi");
	assert_int_equal(H_CMD0(h, h->ivi, SCMI_PROTO_BASE, SCMI_BASE_DISCOVER_SUB_VENDOR), 0);
	assert_string_equal(h_str(h, 0), "auto-soc");
	assert_int_equal(H_CMD0(h, h->ivi, SCMI_PROTO_BASE, SCMI_BASE_DISCOVER_IMPLEMENTATION_VERSION), 0);
	assert_int_equal(h_w(h, 0), 0x10000);

	/* list protocols, whole and paginated */
	struct scmi_base_discover_list_protocols_a2p lp = { .skip = scmi_cpu_to_le32(0) };

	assert_int_equal(h_raw(h, h->ivi, SCMI_PROTO_BASE, SCMI_BASE_DISCOVER_LIST_PROTOCOLS, &lp,
			       sizeof(lp)), 0);
	assert_int_equal(h_w(h, 0), 9);
	assert_int_equal(h_w(h, 1), 0x14131211);
	assert_int_equal(h_w(h, 2), 0x18171615);
	assert_int_equal(h_w(h, 3), 0x19);
	assert_int_equal(h_plen(h), 16);
	h->resp_cap = 8 + 4 + 4;	/* room for one word of ids */
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_BASE, SCMI_BASE_DISCOVER_LIST_PROTOCOLS, 4), 0);
	assert_int_equal(h_w(h, 0), 4);
	assert_int_equal(h_w(h, 1), 0x18171615);
	h->resp_cap = 128;
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_BASE, SCMI_BASE_DISCOVER_LIST_PROTOCOLS, 9), 0);
	assert_int_equal(h_w(h, 0), 0);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_BASE, SCMI_BASE_DISCOVER_LIST_PROTOCOLS, 10),
			 SCMI_INVALID_PARAMETERS);

	/* discover agent: self, platform, others only for the trusted agent */
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_BASE, SCMI_BASE_DISCOVER_AGENT, 0xFFFFFFFF), 0);
	assert_int_equal(h_w(h, 0), 1);
	assert_string_equal(h_str(h, 4), "ivi");
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_BASE, SCMI_BASE_DISCOVER_AGENT, 0), 0);
	assert_string_equal(h_str(h, 4), "platform");
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_BASE, SCMI_BASE_DISCOVER_AGENT, 2), SCMI_NOT_FOUND);
	assert_int_equal(H_CMD(h, h->cluster, SCMI_PROTO_BASE, SCMI_BASE_DISCOVER_AGENT, 1), 0);
	assert_string_equal(h_str(h, 4), "ivi");
	assert_int_equal(H_CMD(h, h->cluster, SCMI_PROTO_BASE, SCMI_BASE_DISCOVER_AGENT, 3), SCMI_NOT_FOUND);

	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_BASE, SCMI_BASE_NOTIFY_ERRORS, 1), 0);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_BASE, SCMI_BASE_NOTIFY_ERRORS, 2),
			 SCMI_INVALID_PARAMETERS);
}

static void test_base_permissions(void **state)
{
	struct h_srv *h = *state;

	/* only the trusted agent may */
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_BASE, SCMI_BASE_SET_DEVICE_PERMISSIONS, 2, 0, 0),
			 SCMI_DENIED);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_BASE, SCMI_BASE_SET_PROTOCOL_PERMISSIONS, 2, 0,
			       SCMI_PROTO_CLOCK, 0), SCMI_DENIED);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_BASE, SCMI_BASE_RESET_AGENT_CONFIGURATION, 2, 0),
			 SCMI_DENIED);
	/* bad agent, device, flags */
	assert_int_equal(H_CMD(h, h->cluster, SCMI_PROTO_BASE, SCMI_BASE_SET_DEVICE_PERMISSIONS, 9, 0, 0),
			 SCMI_NOT_FOUND);
	assert_int_equal(H_CMD(h, h->cluster, SCMI_PROTO_BASE, SCMI_BASE_SET_DEVICE_PERMISSIONS, 1, 3, 0),
			 SCMI_NOT_FOUND);
	assert_int_equal(H_CMD(h, h->cluster, SCMI_PROTO_BASE, SCMI_BASE_SET_DEVICE_PERMISSIONS, 1, 0, 2),
			 SCMI_INVALID_PARAMETERS);

	/* ivi enables the GPU clock; losing the "gpu" device withdraws that */
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_CLOCK, SCMI_CLOCK_CONFIG_SET, 0, 1, 0), 0);
	assert_true(h->s->state[SRV_CLOCK][2].on);
	assert_int_equal(H_CMD(h, h->cluster, SCMI_PROTO_BASE, SCMI_BASE_SET_DEVICE_PERMISSIONS, 1, 0, 0), 0);
	assert_false(h->s->state[SRV_CLOCK][2].on);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_CLOCK, SCMI_CLOCK_ATTRIBUTES, 0), SCMI_DENIED);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_VOLTAGE, SCMI_VOLTAGE_LEVEL_GET, 0), SCMI_DENIED);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_POWER, SCMI_POWER_STATE_GET, 0), SCMI_DENIED);
	/* ids keep their numbers: the next one still works */
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_POWER, SCMI_POWER_STATE_GET, 1), 0);
	assert_int_equal(H_CMD(h, h->cluster, SCMI_PROTO_BASE, SCMI_BASE_SET_DEVICE_PERMISSIONS, 1, 0, 1), 0);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_CLOCK, SCMI_CLOCK_ATTRIBUTES, 0), 0);

	/* protocol permissions: the display's power domain only */
	assert_int_equal(H_CMD(h, h->cluster, SCMI_PROTO_BASE, SCMI_BASE_SET_PROTOCOL_PERMISSIONS, 1, 1,
			       SCMI_PROTO_POWER, 0), 0);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_POWER, SCMI_POWER_STATE_GET, 1), SCMI_DENIED);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_GET, 2), 0);
	assert_int_equal(H_CMD(h, h->cluster, SCMI_PROTO_BASE, SCMI_BASE_SET_PROTOCOL_PERMISSIONS, 1, 1,
			       SCMI_PROTO_BASE, 0), SCMI_INVALID_PARAMETERS);
	assert_int_equal(H_CMD(h, h->cluster, SCMI_PROTO_BASE, SCMI_BASE_SET_PROTOCOL_PERMISSIONS, 1, 1,
			       0x42, 0), SCMI_NOT_SUPPORTED);
	assert_int_equal(H_CMD(h, h->cluster, SCMI_PROTO_BASE, SCMI_BASE_SET_PROTOCOL_PERMISSIONS, 1, 1,
			       0x111, 0), SCMI_INVALID_PARAMETERS);

	/* reset agent configuration: votes gone, permissions back (flag 1) */
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_CLOCK, SCMI_CLOCK_CONFIG_SET, 0, 1, 0), 0);
	assert_int_equal(H_CMD(h, h->cluster, SCMI_PROTO_BASE, SCMI_BASE_RESET_AGENT_CONFIGURATION, 1, 4),
			 SCMI_INVALID_PARAMETERS);
	assert_int_equal(H_CMD(h, h->cluster, SCMI_PROTO_BASE, SCMI_BASE_RESET_AGENT_CONFIGURATION, 7, 0),
			 SCMI_NOT_FOUND);
	assert_int_equal(H_CMD(h, h->cluster, SCMI_PROTO_BASE, SCMI_BASE_RESET_AGENT_CONFIGURATION, 1, 0), 0);
	assert_false(h->s->state[SRV_CLOCK][2].on);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_POWER, SCMI_POWER_STATE_GET, 1), SCMI_DENIED);
	assert_int_equal(H_CMD(h, h->cluster, SCMI_PROTO_BASE, SCMI_BASE_RESET_AGENT_CONFIGURATION, 1, 1), 0);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_POWER, SCMI_POWER_STATE_GET, 1), 0);
}

/* ---- power and system --------------------------------------------------------------- */

static void test_power(void **state)
{
	struct h_srv *h = *state;
	struct scmi_power_state_set_a2p set = {
		.flags = 0, .domain_id = scmi_cpu_to_le32(0), .power_state = scmi_cpu_to_le32(SCMI_POWER_STATE_ON),
	};
	const struct h_p2a *p;

	assert_int_equal(H_CMD0(h, h->ivi, SCMI_PROTO_POWER, SCMI_MSG_PROTOCOL_ATTRIBUTES), 0);
	assert_int_equal(h_plen(h), 16);
	assert_int_equal(h_w(h, 0), 3);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_POWER, SCMI_POWER_DOMAIN_ATTRIBUTES, 2), 0);
	assert_true(h_w(h, 0) & SCMI_POWER_DOM_ASYNC);
	assert_string_equal(h_str(h, 4), "pd_camera");
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_POWER, SCMI_POWER_DOMAIN_ATTRIBUTES, 0), 0);
	assert_false(h_w(h, 0) & SCMI_POWER_DOM_ASYNC);
	assert_true(h_w(h, 0) & SCMI_POWER_DOM_SYNC);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_POWER, SCMI_POWER_DOMAIN_ATTRIBUTES, 3), SCMI_NOT_FOUND);

	assert_int_equal(h_raw(h, h->ivi, SCMI_PROTO_POWER, SCMI_POWER_STATE_SET, &set, sizeof(set)), 0);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_POWER, SCMI_POWER_STATE_GET, 0), 0);
	assert_int_equal(h_w(h, 0), SCMI_POWER_STATE_ON);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_POWER, SCMI_POWER_STATE_SET, 0, 0, 0x40000001),
			 SCMI_INVALID_PARAMETERS);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_POWER, SCMI_POWER_STATE_SET, 2, 0, 0),
			 SCMI_INVALID_PARAMETERS);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_POWER, SCMI_POWER_STATE_SET, 1, 0, 0),
			 SCMI_NOT_SUPPORTED);

	/* shared display domain: on while either wants it; notifications */
	assert_int_equal(H_CMD(h, h->cluster, SCMI_PROTO_POWER, SCMI_POWER_STATE_NOTIFY, 0, 1), 0);
	assert_int_equal(H_CMD(h, h->cluster, SCMI_PROTO_POWER, SCMI_POWER_STATE_CHANGE_REQUESTED_NOTIFY, 0, 1), 0);
	assert_int_equal(H_CMD(h, h->cluster, SCMI_PROTO_POWER, SCMI_POWER_STATE_NOTIFY, 0, 3),
			 SCMI_INVALID_PARAMETERS);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_POWER, SCMI_POWER_STATE_SET, 0, 1, SCMI_POWER_STATE_ON), 0);
	p = h_last_p2a(h, h->cluster, NOTIF, SCMI_PROTO_POWER, SCMI_POWER_EVT_STATE_CHANGE_REQUESTED);
	assert_non_null(p);
	assert_int_equal(p->w[0], 1);	/* the trusted agent learns who asked */
	assert_int_equal(p->w[1], 0);	/* in its own numbering */
	assert_int_equal(p->w[2], SCMI_POWER_STATE_ON);
	p = h_last_p2a(h, h->cluster, NOTIF, SCMI_PROTO_POWER, SCMI_POWER_EVT_STATE_CHANGED);
	assert_non_null(p);
	assert_int_equal(p->n, 3);
	assert_int_equal(H_CMD(h, h->cluster, SCMI_PROTO_POWER, SCMI_POWER_STATE_SET, 0, 0, SCMI_POWER_STATE_ON), 0);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_POWER, SCMI_POWER_STATE_SET, 0, 1, SCMI_POWER_STATE_OFF), 0);
	assert_int_equal(H_CMD(h, h->cluster, SCMI_PROTO_POWER, SCMI_POWER_STATE_GET, 0), 0);
	assert_int_equal(h_w(h, 0), SCMI_POWER_STATE_ON);
	assert_int_equal(H_CMD(h, h->cluster, SCMI_PROTO_POWER, SCMI_POWER_STATE_SET, 0, 0, SCMI_POWER_STATE_OFF), 0);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_POWER, SCMI_POWER_STATE_GET, 1), 0);
	assert_int_equal(h_w(h, 0), SCMI_POWER_STATE_OFF);
	assert_int_equal(h_count_p2a(h, h->cluster, NOTIF, SCMI_PROTO_POWER, SCMI_POWER_EVT_STATE_CHANGED), 2);

	/* asynchronous: no delayed response, the change comes after the latency */
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_POWER, SCMI_POWER_STATE_NOTIFY, 2, 1), 0);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_POWER, SCMI_POWER_STATE_SET, 1, 2, SCMI_POWER_STATE_ON), 0);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_POWER, SCMI_POWER_STATE_GET, 2), 0);
	assert_int_equal(h_w(h, 0), SCMI_POWER_STATE_OFF);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_POWER, SCMI_POWER_STATE_SET, 1, 2, SCMI_POWER_STATE_OFF),
			 SCMI_BUSY);
	h_advance(h, 5 * OS_NSEC_PER_MSEC);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_POWER, SCMI_POWER_STATE_GET, 2), 0);
	assert_int_equal(h_w(h, 0), SCMI_POWER_STATE_ON);
	p = h_last_p2a(h, h->ivi, NOTIF, SCMI_PROTO_POWER, SCMI_POWER_EVT_STATE_CHANGED);
	assert_non_null(p);
	assert_int_equal(p->w[0], 1);	/* its own id: it caused it */
	assert_int_equal(p->w[1], 2);
	assert_int_equal(h_count_p2a(h, NULL, DRESP, -1, -1), 0);

	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_POWER, SCMI_POWER_DOMAIN_NAME_GET, 1), 0);
	assert_int_equal(h_plen(h), 68);
	assert_int_equal(h_w(h, 0), 0);
	assert_string_equal(h_str(h, 4), "pd_display");
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_POWER, SCMI_POWER_DOMAIN_NAME_GET, 3), SCMI_NOT_FOUND);
}

static void test_system(void **state)
{
	struct h_srv *h = *state;
	const struct h_p2a *p;

	assert_int_equal(H_CMD0(h, h->ivi, SCMI_PROTO_SYSTEM, SCMI_MSG_PROTOCOL_ATTRIBUTES), 0);
	assert_int_equal(h_w(h, 0), SCMI_SYSTEM_ATTR_WARM_RESET | SCMI_SYSTEM_ATTR_SUSPEND);
	assert_int_equal(H_CMD0(h, h->ivi, SCMI_PROTO_SYSTEM, SCMI_SYSTEM_POWER_STATE_GET), 0);
	assert_int_equal(h_w(h, 0), SCMI_SYSTEM_POWER_UP);
	/* read-only for ivi */
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_SYSTEM, SCMI_SYSTEM_POWER_STATE_SET, 1, 0), SCMI_DENIED);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_SYSTEM, SCMI_SYSTEM_POWER_STATE_NOTIFY, 1), 0);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_SYSTEM, SCMI_SYSTEM_POWER_STATE_NOTIFY, 2),
			 SCMI_INVALID_PARAMETERS);
	assert_int_equal(H_CMD(h, h->cluster, SCMI_PROTO_SYSTEM, SCMI_SYSTEM_POWER_STATE_SET, 2, 0),
			 SCMI_INVALID_PARAMETERS);
	assert_int_equal(H_CMD(h, h->cluster, SCMI_PROTO_SYSTEM, SCMI_SYSTEM_POWER_STATE_SET, 0, 3),
			 SCMI_INVALID_PARAMETERS);
	assert_int_equal(H_CMD(h, h->cluster, SCMI_PROTO_SYSTEM, SCMI_SYSTEM_POWER_STATE_SET, 0, 0x80000001),
			 SCMI_NOT_SUPPORTED);
	assert_int_equal(H_CMD(h, h->cluster, SCMI_PROTO_SYSTEM, SCMI_SYSTEM_POWER_STATE_SET, 1,
			       SCMI_SYSTEM_SHUTDOWN), 0);
	assert_int_equal(h->sys_calls, 1);
	assert_int_equal(h->sys_state, SCMI_SYSTEM_SHUTDOWN);
	p = h_last_p2a(h, h->ivi, NOTIF, SCMI_PROTO_SYSTEM, SCMI_SYSTEM_EVT_POWER_STATE_NOTIFIER);
	assert_non_null(p);
	assert_int_equal(p->n, 4);
	assert_int_equal(p->w[0], 0);	/* an untrusted agent does not learn who */
	assert_int_equal(p->w[1], 1);
	assert_int_equal(p->w[2], SCMI_SYSTEM_SHUTDOWN);
	assert_int_equal(h_count_p2a(h, h->cluster, NOTIF, -1, -1), 0);
	assert_int_equal(H_CMD0(h, h->ivi, SCMI_PROTO_SYSTEM, SCMI_SYSTEM_POWER_STATE_GET), 0);
	assert_int_equal(h_w(h, 0), SCMI_SYSTEM_SHUTDOWN);
}

/* ---- performance ------------------------------------------------------------------ */

static void test_perf(void **state)
{
	struct h_srv *h = *state;
	struct scmi_perf_describe_levels_a2p dl = { .domain_id = 0, .level_index = 0 };

	assert_int_equal(H_CMD0(h, h->ivi, SCMI_PROTO_PERF, SCMI_MSG_PROTOCOL_ATTRIBUTES), 0);
	assert_int_equal(h_w(h, 0), SCMI_PERF_ATTR_POWER_MW | 2);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_PERF, SCMI_PERF_DOMAIN_ATTRIBUTES, 0), 0);
	assert_int_equal(h_plen(h), 32);
	assert_true(h_w(h, 0) & SCMI_PERF_DOM_SET_LEVEL);
	assert_int_equal(h_w(h, 2), 1800000);
	assert_string_equal(h_str(h, 16), "cpu_big");
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_PERF, SCMI_PERF_DOMAIN_ATTRIBUTES, 1), 0);
	assert_false(h_w(h, 0) & (SCMI_PERF_DOM_SET_LEVEL | SCMI_PERF_DOM_SET_LIMITS));

	assert_int_equal(h_raw(h, h->ivi, SCMI_PROTO_PERF, SCMI_PERF_DESCRIBE_LEVELS, &dl, sizeof(dl)), 0);
	assert_int_equal(h_w(h, 0), 4);
	assert_int_equal(h_w(h, 1), 600000);
	assert_int_equal(h_w(h, 2), 200);	/* mW */
	assert_int_equal(h_w(h, 3), 100);	/* latency us */
	assert_int_equal(h_w(h, 4), 600000);
	assert_int_equal(h_w(h, 5), 0);
	assert_int_equal(h_w(h, 16), 2400000);
	h->resp_cap = 8 + 4 + 2 * 20;
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_PERF, SCMI_PERF_DESCRIBE_LEVELS, 0, 1), 0);
	assert_int_equal(h_w(h, 0), SCMI_FIELD_PREP(SCMI_PERF_LEVELS_REMAINING, 1) | 2);
	assert_int_equal(h_w(h, 1), 1200000);
	h->resp_cap = 128;
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_PERF, SCMI_PERF_DESCRIBE_LEVELS, 0, 4), SCMI_OUT_OF_RANGE);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_PERF, SCMI_PERF_DESCRIBE_LEVELS, 2, 0), SCMI_NOT_FOUND);

	/* levels and limits */
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_PERF, SCMI_PERF_LEVEL_GET, 0), 0);
	assert_int_equal(h_w(h, 0), 600000);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_PERF, SCMI_PERF_NOTIFY_LEVEL, 0, 1), 0);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_PERF, SCMI_PERF_NOTIFY_LIMITS, 0, 1), 0);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_PERF, SCMI_PERF_LEVEL_SET, 0, 1800000), 0);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_PERF, SCMI_PERF_LEVEL_GET, 0), 0);
	assert_int_equal(h_w(h, 0), 1800000);
	assert_non_null(h_last_p2a(h, h->ivi, NOTIF, SCMI_PROTO_PERF, SCMI_PERF_EVT_LEVEL_CHANGED));
	assert_int_equal(h_last_p2a(h, h->ivi, NOTIF, SCMI_PROTO_PERF, SCMI_PERF_EVT_LEVEL_CHANGED)->w[2], 1800000);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_PERF, SCMI_PERF_LEVEL_SET, 0, 1800001), SCMI_OUT_OF_RANGE);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_PERF, SCMI_PERF_LEVEL_SET, 1, 800000), SCMI_DENIED);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_PERF, SCMI_PERF_LIMITS_SET, 0, 1200000, 600000), 0);
	/* the level follows the new maximum */
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_PERF, SCMI_PERF_LEVEL_GET, 0), 0);
	assert_int_equal(h_w(h, 0), 1200000);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_PERF, SCMI_PERF_LIMITS_GET, 0), 0);
	assert_int_equal(h_w(h, 0), 1200000);
	assert_int_equal(h_w(h, 1), 600000);
	const struct h_p2a *p = h_last_p2a(h, h->ivi, NOTIF, SCMI_PROTO_PERF, SCMI_PERF_EVT_LIMITS_CHANGED);

	assert_non_null(p);
	assert_int_equal(p->w[2], 600000);	/* min first in the notification */
	assert_int_equal(p->w[3], 1200000);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_PERF, SCMI_PERF_LEVEL_SET, 0, 2400000), SCMI_OUT_OF_RANGE);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_PERF, SCMI_PERF_LIMITS_SET, 0, 600000, 1200000),
			 SCMI_INVALID_PARAMETERS);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_PERF, SCMI_PERF_LIMITS_SET, 0, 100, 10), SCMI_OUT_OF_RANGE);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_PERF, SCMI_PERF_LIMITS_SET, 1, 1200000, 600000), SCMI_DENIED);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_PERF, SCMI_PERF_DESCRIBE_FASTCHANNEL, 0, SCMI_PERF_LEVEL_SET),
			 SCMI_NOT_SUPPORTED);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_PERF, SCMI_PERF_DESCRIBE_FASTCHANNEL, 5, SCMI_PERF_LEVEL_SET),
			 SCMI_NOT_FOUND);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_PERF, SCMI_PERF_DOMAIN_NAME_GET, 1), 0);
	assert_string_equal(h_str(h, 4), "cpu_little");
	/* version 3: 12-byte levels */
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_PERF, SCMI_MSG_NEGOTIATE_PROTOCOL_VERSION, 0x30000), 0);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_PERF, SCMI_PERF_DESCRIBE_LEVELS, 0, 0), 0);
	assert_int_equal(h_plen(h), 4 + 4 * 12);
	assert_int_equal(h_w(h, 4), 1200000);
}

static void test_perf_arbitration(void **state)
{
	struct h_srv *h = *state;

	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_PERF, SCMI_PERF_LEVEL_SET, 0, 200000), 0);
	assert_int_equal(H_CMD(h, h->cluster, SCMI_PROTO_PERF, SCMI_PERF_LEVEL_SET, 0, 300000), 0);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_PERF, SCMI_PERF_LEVEL_GET, 0), 0);
	assert_int_equal(h_w(h, 0), 300000);	/* the highest request wins */
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_PERF, SCMI_PERF_LIMITS_SET, 0, 200000, 100000), 0);
	assert_int_equal(H_CMD(h, h->cluster, SCMI_PROTO_PERF, SCMI_PERF_LEVEL_GET, 0), 0);
	assert_int_equal(h_w(h, 0), 200000);	/* inside everyone's limits */
	assert_int_equal(H_CMD(h, h->cluster, SCMI_PROTO_PERF, SCMI_PERF_LIMITS_SET, 0, 400000, 300000), 0);
	assert_int_equal(H_CMD(h, h->cluster, SCMI_PROTO_PERF, SCMI_PERF_LIMITS_GET, 0), 0);
	assert_int_equal(h_w(h, 0), 200000);	/* disjoint: the lowest maximum wins */
	assert_int_equal(h_w(h, 1), 200000);
	/* ivi's last device goes: its limits stay until the domain is released */
	scmi_srv_agent_disconnect(h->s, h->ivi);
	h->ivi = NULL;
	assert_int_equal(H_CMD(h, h->cluster, SCMI_PROTO_PERF, SCMI_PERF_LEVEL_GET, 0), 0);
	assert_int_equal(h_w(h, 0), 200000);
	scmi_srv_agent_release(h->s, "ivi");
	assert_int_equal(H_CMD(h, h->cluster, SCMI_PROTO_PERF, SCMI_PERF_LEVEL_GET, 0), 0);
	assert_int_equal(h_w(h, 0), 300000);

	/* power cap: the lowest request wins; 0 withdraws */
	h->ivi = scmi_srv_agent_connect(h->s, "ivi", 5);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_POWERCAP, SCMI_POWERCAP_CAP_SET, 0, 0, 5000), 0);
	assert_int_equal(H_CMD(h, h->cluster, SCMI_PROTO_POWERCAP, SCMI_POWERCAP_CAP_SET, 0, 0, 7000), 0);
	assert_int_equal(H_CMD(h, h->cluster, SCMI_PROTO_POWERCAP, SCMI_POWERCAP_CAP_GET, 0), 0);
	assert_int_equal(h_w(h, 0), 5000);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_POWERCAP, SCMI_POWERCAP_CAP_SET, 0, 0, 0), 0);
	assert_int_equal(H_CMD(h, h->cluster, SCMI_PROTO_POWERCAP, SCMI_POWERCAP_CAP_GET, 0), 0);
	assert_int_equal(h_w(h, 0), 7000);
	/* a measured power never exceeds the cap (source says 4 W) */
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_POWERCAP, SCMI_POWERCAP_MEASUREMENTS_GET, 0), 0);
	assert_int_equal(h_w(h, 0), 4000);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_POWERCAP, SCMI_POWERCAP_CAP_SET, 0, 0, 3000), 0);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_POWERCAP, SCMI_POWERCAP_MEASUREMENTS_GET, 0), 0);
	assert_int_equal(h_w(h, 0), 3000);
}

/* ---- clock --------------------------------------------------------------------------- */

static void test_clock(void **state)
{
	struct h_srv *h = *state;
	struct scmi_clock_rate_set_a2p rs = {
		.flags = 0, .clock_id = scmi_cpu_to_le32(0),
		.rate_lo = scmi_cpu_to_le32(600000000), .rate_hi = 0,
	};

	assert_int_equal(H_CMD0(h, h->ivi, SCMI_PROTO_CLOCK, SCMI_MSG_PROTOCOL_ATTRIBUTES), 0);
	assert_int_equal(h_w(h, 0) & 0xffff, 4);
	assert_int_equal(SCMI_FIELD_GET(SCMI_CLOCK_ATTR_MAX_PENDING, h_w(h, 0)), SRV_MAX_PENDING);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_CLOCK, SCMI_CLOCK_ATTRIBUTES, 1), 0);
	assert_int_equal(h_plen(h), 24);
	assert_true(h_w(h, 0) & SCMI_CLOCK_ENABLED);
	assert_string_equal(h_str(h, 4), "pll_gpu");
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_CLOCK, SCMI_CLOCK_ATTRIBUTES, 0), 0);
	assert_true(h_w(h, 0) & SCMI_CLOCK_PARENT_SUPPORT);
	assert_false(h_w(h, 0) & SCMI_CLOCK_ENABLED);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_CLOCK, SCMI_CLOCK_ATTRIBUTES, 3), 0);
	assert_int_equal(h_w(h, 5), 50);	/* enable delay */
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_CLOCK, SCMI_CLOCK_ATTRIBUTES, 4), SCMI_NOT_FOUND);

	/* rates: list, range, pagination */
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_CLOCK, SCMI_CLOCK_DESCRIBE_RATES, 0, 0), 0);
	assert_int_equal(h_w(h, 0), 4);
	assert_int_equal(h_w(h, 1), 200000000);
	assert_int_equal(h_w(h, 7), 800000000);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_CLOCK, SCMI_CLOCK_DESCRIBE_RATES, 1, 0), 0);
	assert_int_equal(h_w(h, 0), SCMI_CLOCK_RATES_FORMAT_RANGE | 3);
	assert_int_equal(h_w(h, 1), 200000000);
	assert_int_equal(h_w(h, 3), 1600000000);
	assert_int_equal(h_w(h, 5), 100000000);
	h->resp_cap = 8 + 4 + 8 * 3;
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_CLOCK, SCMI_CLOCK_DESCRIBE_RATES, 0, 0), 0);
	assert_int_equal(h_w(h, 0), SCMI_FIELD_PREP(SCMI_CLOCK_RATES_REMAINING, 1) | 3);
	h->resp_cap = 128;
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_CLOCK, SCMI_CLOCK_DESCRIBE_RATES, 0, 3), 0);
	assert_int_equal(h_w(h, 0), 1);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_CLOCK, SCMI_CLOCK_DESCRIBE_RATES, 0, 4), SCMI_OUT_OF_RANGE);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_CLOCK, SCMI_CLOCK_DESCRIBE_RATES, 1, 1), SCMI_OUT_OF_RANGE);

	/* rate set: exact, rounding, out of range, read-only, bad flags */
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_NOTIFY, 0, 1), 0);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_CHANGE_REQUESTED_NOTIFY, 0, 1), 0);
	assert_int_equal(h_raw(h, h->ivi, SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_SET, &rs, sizeof(rs)), 0);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_GET, 0), 0);
	assert_int_equal(h_w(h, 0), 600000000);
	assert_int_equal(h_w(h, 1), 0);
	assert_non_null(h_last_p2a(h, h->ivi, NOTIF, SCMI_PROTO_CLOCK, SCMI_CLOCK_EVT_RATE_CHANGE_REQUESTED));
	assert_int_equal(h_last_p2a(h, h->ivi, NOTIF, SCMI_PROTO_CLOCK, SCMI_CLOCK_EVT_RATE_CHANGED)->w[2],
			 600000000);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_SET, 0, 0, 500000000, 0), 0);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_GET, 0), 0);
	assert_int_equal(h_w(h, 0), 400000000);	/* rounded down */
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_SET, SCMI_CLOCK_SET_ROUND_UP, 0,
			       500000000, 0), 0);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_GET, 0), 0);
	assert_int_equal(h_w(h, 0), 600000000);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_SET, SCMI_CLOCK_SET_ROUND_AUTO, 1,
			       0, 0), SCMI_DENIED);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_SET, 0, 0, 100000000, 0),
			 SCMI_OUT_OF_RANGE);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_SET, 0, 0, 200000000, 1),
			 SCMI_OUT_OF_RANGE);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_SET, 0x10, 0, 200000000, 0),
			 SCMI_INVALID_PARAMETERS);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_SET, 0, 9, 200000000, 0),
			 SCMI_NOT_FOUND);

	/* asynchronous: delayed response after the clock's latency; busy meanwhile */
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_SET, SCMI_CLOCK_SET_ASYNC, 0,
			       800000000, 0), 0);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_SET, SCMI_CLOCK_SET_ASYNC, 0,
			       200000000, 0), SCMI_BUSY);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_SET, 0, 0, 200000000, 0), SCMI_BUSY);
	assert_int_equal(h_count_p2a(h, h->ivi, DRESP, -1, -1), 0);
	h_advance(h, 499000);
	assert_int_equal(h_count_p2a(h, h->ivi, DRESP, -1, -1), 0);
	h_advance(h, 1000);
	const struct h_p2a *d = h_last_p2a(h, h->ivi, DRESP, SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_SET);

	assert_non_null(d);
	assert_int_equal(scmi_hdr_token(d->hdr), 7);
	assert_int_equal(d->n, 4);
	assert_int_equal(d->w[0], SCMI_SUCCESS);
	assert_int_equal(d->w[1], 0);
	assert_int_equal(d->w[2], 800000000);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_GET, 0), 0);
	assert_int_equal(h_w(h, 0), 800000000);
	/* async without delayed response */
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_SET,
			       SCMI_CLOCK_SET_ASYNC | SCMI_CLOCK_SET_IGNORE_DRESP, 0, 200000000, 0), 0);
	h_advance(h, OS_NSEC_PER_MSEC);
	assert_int_equal(h_count_p2a(h, h->ivi, DRESP, -1, -1), 1);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_GET, 0), 0);
	assert_int_equal(h_w(h, 0), 200000000);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_SET, SCMI_CLOCK_SET_ASYNC, 3,
			       24000000, 0), SCMI_NOT_SUPPORTED);

	/* config: the shared pixel clock is reference counted */
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_CLOCK, SCMI_CLOCK_CONFIG_SET, 2, 1, 0), 0);
	assert_int_equal(H_CMD(h, h->cluster, SCMI_PROTO_CLOCK, SCMI_CLOCK_CONFIG_SET, 0, 1, 0), 0);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_CLOCK, SCMI_CLOCK_CONFIG_SET, 2, 0, 0), 0);
	assert_int_equal(H_CMD(h, h->cluster, SCMI_PROTO_CLOCK, SCMI_CLOCK_CONFIG_GET, 0, 0), 0);
	assert_int_equal(h_w(h, 1), SCMI_CLOCK_CONFIG_ENABLED);
	assert_int_equal(H_CMD(h, h->cluster, SCMI_PROTO_CLOCK, SCMI_CLOCK_CONFIG_SET, 0, 0, 0), 0);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_CLOCK, SCMI_CLOCK_CONFIG_GET, 2, 0), 0);
	assert_int_equal(h_w(h, 1), 0);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_CLOCK, SCMI_CLOCK_CONFIG_SET, 2, 3, 0), 0);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_CLOCK, SCMI_CLOCK_CONFIG_SET, 2, 2, 0), SCMI_INVALID_PARAMETERS);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_CLOCK, SCMI_CLOCK_CONFIG_SET, 2, 0x10001, 0), SCMI_NOT_SUPPORTED);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_CLOCK, SCMI_CLOCK_CONFIG_SET, 1, 1, 0), SCMI_DENIED);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_CLOCK, SCMI_CLOCK_CONFIG_GET, 2, 5), SCMI_NOT_SUPPORTED);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_CLOCK, SCMI_CLOCK_CONFIG_GET, 2, 0x100), SCMI_INVALID_PARAMETERS);

	/* parents: only visible ones, in the agent's numbering */
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_CLOCK, SCMI_CLOCK_POSSIBLE_PARENTS_GET, 0, 0), 0);
	assert_int_equal(h_w(h, 0), 1);
	assert_int_equal(h_w(h, 1), 1);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_CLOCK, SCMI_CLOCK_POSSIBLE_PARENTS_GET, 0, 2), SCMI_OUT_OF_RANGE);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_CLOCK, SCMI_CLOCK_POSSIBLE_PARENTS_GET, 3, 0), SCMI_NOT_SUPPORTED);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_CLOCK, SCMI_CLOCK_PARENT_GET, 0), 0);
	assert_int_equal(h_w(h, 0), 1);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_CLOCK, SCMI_CLOCK_PARENT_SET, 0, 1), 0);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_CLOCK, SCMI_CLOCK_PARENT_SET, 0, 3), SCMI_INVALID_PARAMETERS);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_CLOCK, SCMI_CLOCK_PARENT_SET, 0, 9), SCMI_NOT_FOUND);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_CLOCK, SCMI_CLOCK_PARENT_SET, 1, 0), SCMI_DENIED);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_CLOCK, SCMI_CLOCK_PARENT_GET, 2), SCMI_DENIED);
	assert_int_equal(H_CMD(h, h->cluster, SCMI_PROTO_CLOCK, SCMI_CLOCK_PARENT_GET, 0), 0);
	assert_int_equal(h_w(h, 0), 1);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_CLOCK, SCMI_CLOCK_PARENT_GET, 3), SCMI_NOT_SUPPORTED);

	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_CLOCK, SCMI_CLOCK_GET_PERMISSIONS, 0), 0);
	assert_int_equal(h_w(h, 0), SCMI_CLOCK_PERM_STATE | SCMI_CLOCK_PERM_RATE | SCMI_CLOCK_PERM_PARENT);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_CLOCK, SCMI_CLOCK_GET_PERMISSIONS, 1), 0);
	assert_int_equal(h_w(h, 0), 0);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_CLOCK, SCMI_CLOCK_NAME_GET, 3), 0);
	assert_string_equal(h_str(h, 4), "cam_mclk");
}

static void test_clock_ext_name(void **state)
{
	struct h_srv *h = *state;

	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_CLOCK, SCMI_CLOCK_ATTRIBUTES, 1), 0);
	assert_true(h_w(h, 0) & SCMI_CLOCK_EXT_NAME);
	assert_string_equal(h_str(h, 4), "a_very_long_clo");	/* cut to 15 */
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_CLOCK, SCMI_CLOCK_NAME_GET, 1), 0);
	assert_string_equal(h_str(h, 4), "a_very_long_clock_name_beyond_sixteen");
	/* a response buffer too small for the answer */
	h->resp_cap = 8 + 16;
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_CLOCK, SCMI_CLOCK_NAME_GET, 1), SCMI_COMMS_ERROR);
	assert_int_equal(h->resp_len, 8);
}

/* ---- sensor -------------------------------------------------------------------------- */

static void test_sensor(void **state)
{
	struct h_srv *h = *state;
	const struct h_p2a *p;

	assert_int_equal(H_CMD0(h, h->ivi, SCMI_PROTO_SENSOR, SCMI_MSG_PROTOCOL_ATTRIBUTES), 0);
	assert_int_equal(h_w(h, 0) & 0xffff, 3);
	assert_int_equal(h_plen(h), 16);
	/* descriptors: t0 (28), acc (28), rng (52 with extended attributes) */
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_SENSOR, SCMI_SENSOR_DESCRIPTION_GET, 0), 0);
	assert_int_equal(h_w(h, 0), 3);
	assert_int_equal(h_plen(h), 4 + 28 + 28 + 52);
	assert_int_equal(h_w(h, 1), 0);
	assert_int_equal(h_w(h, 2) & SCMI_SENSOR_NUM_TRIP_POINTS, 2);
	assert_int_equal(h_w(h, 3) & SCMI_SENSOR_TYPE, 2);
	assert_int_equal(SCMI_FIELD_GET(SCMI_SENSOR_SCALE, h_w(h, 3)), 0x1d);	/* -3 */
	assert_string_equal(h_str(h, 16), "t0");
	assert_true(h_w(h, 9) & SCMI_SENSOR_ASYNC_READ);
	assert_int_equal(SCMI_FIELD_GET(SCMI_SENSOR_NUM_AXES, h_w(h, 10)), 2);
	assert_true(h_w(h, 16) & SCMI_SENSOR_EXT_ATTRS);
	assert_int_equal(h_w(h, 23), 1);	/* resolution */
	assert_int_equal(h_w(h, 24), 0);	/* min 0 */
	assert_int_equal(h_w(h, 26), 10);	/* max 10 */
	h->resp_cap = 8 + 4 + 28 + 28;
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_SENSOR, SCMI_SENSOR_DESCRIPTION_GET, 1), 0);
	assert_int_equal(h_w(h, 0), SCMI_FIELD_PREP(SCMI_SENSOR_DESC_REMAINING, 1) | 1);
	h->resp_cap = 128;
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_SENSOR, SCMI_SENSOR_DESCRIPTION_GET, 3),
			 SCMI_INVALID_PARAMETERS);

	/* readings: multi-axis, timestamps */
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_SENSOR, SCMI_SENSOR_READING_GET, 1, 0), 0);
	assert_int_equal(h_plen(h), 32);
	assert_int_equal((int32_t)h_w(h, 0), -7);
	assert_int_equal(h_w(h, 1), 0xffffffff);
	assert_int_equal(h_w(h, 2), (uint32_t)h->now);
	assert_int_equal((int32_t)h_w(h, 4), -7);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_SENSOR, SCMI_SENSOR_READING_GET, 1, 2),
			 SCMI_INVALID_PARAMETERS);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_SENSOR, SCMI_SENSOR_READING_GET, 0, 1),
			 SCMI_NOT_SUPPORTED);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_SENSOR, SCMI_SENSOR_READING_GET, 1, 1), 0);
	assert_int_equal(h_plen(h), 0);
	h_advance(h, 2 * OS_NSEC_PER_MSEC);
	p = h_last_p2a(h, h->ivi, DRESP, SCMI_PROTO_SENSOR, SCMI_SENSOR_READING_GET);
	assert_non_null(p);
	assert_int_equal(p->n, 2 + 8);
	assert_int_equal(p->w[0], SCMI_SUCCESS);
	assert_int_equal(p->w[1], 1);
	assert_int_equal((int32_t)p->w[2], -7);

	/* axes */
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_SENSOR, SCMI_SENSOR_AXIS_DESCRIPTION_GET, 1, 0), 0);
	assert_int_equal(h_w(h, 0), 2);
	assert_string_equal(h_str(h, 4 + 12), "x");
	assert_string_equal(h_str(h, 4 + 28 + 12), "y");
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_SENSOR, SCMI_SENSOR_AXIS_DESCRIPTION_GET, 1, 2),
			 SCMI_INVALID_PARAMETERS);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_SENSOR, SCMI_SENSOR_AXIS_DESCRIPTION_GET, 0, 0),
			 SCMI_NOT_SUPPORTED);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_SENSOR, SCMI_SENSOR_AXIS_NAME_GET, 1, 1), 0);
	assert_int_equal(h_w(h, 0), 1);
	assert_int_equal(h_w(h, 1), 1);
	assert_string_equal(h_str(h, 8), "y");
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_SENSOR, SCMI_SENSOR_AXIS_NAME_GET, 0, 0),
			 SCMI_NOT_SUPPORTED);

	/* update intervals: list (100ms, 1s) and range (10ms..1s step 10ms) */
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_SENSOR, SCMI_SENSOR_LIST_UPDATE_INTERVALS, 0, 0), 0);
	assert_int_equal(h_w(h, 0), 2);
	assert_int_equal(h_w(h, 1), (1u << 5) | ((uint32_t)-1 & 0x1f));	/* 1 x 10^-1 s */
	assert_int_equal(h_w(h, 2), 1u << 5);				/* 1 s */
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_SENSOR, SCMI_SENSOR_LIST_UPDATE_INTERVALS, 2, 0), 0);
	assert_int_equal(h_w(h, 0), SCMI_SENSOR_INTVL_FORMAT_RANGE | 3);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_SENSOR, SCMI_SENSOR_LIST_UPDATE_INTERVALS, 0, 2),
			 SCMI_OUT_OF_RANGE);

	/* config: per agent */
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_SENSOR, SCMI_SENSOR_CONFIG_GET, 0), 0);
	assert_int_equal(h_w(h, 0) & 3, 3);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_SENSOR, SCMI_SENSOR_CONFIG_SET, 0,
			       (1u << 16) | SCMI_SENSOR_CFG_ENABLED), 0);	/* 1 s, no timestamps */
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_SENSOR, SCMI_SENSOR_CONFIG_GET, 0), 0);
	assert_int_equal(h_w(h, 0), (1u << 16) | SCMI_SENSOR_CFG_ENABLED);
	assert_int_equal(H_CMD(h, h->cluster, SCMI_PROTO_SENSOR, SCMI_SENSOR_CONFIG_GET, 0), 0);
	assert_int_equal(h_w(h, 0) & 3, 3);	/* the other agent keeps its own */
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_SENSOR, SCMI_SENSOR_CONFIG_SET, 0, 7u << 16 | 1),
			 SCMI_OUT_OF_RANGE);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_SENSOR, SCMI_SENSOR_CONFIG_SET, 0, 0x4),
			 SCMI_INVALID_PARAMETERS);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_SENSOR, SCMI_SENSOR_CONFIG_SET, 0, 3u << 9),
			 SCMI_INVALID_PARAMETERS);
	/* 7 s rounded up is out of the list; 700 ms rounded up is 1 s */
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_SENSOR, SCMI_SENSOR_CONFIG_SET, 0,
			       7u << 16 | 0x1fu << 11 | 1u << 9 | 1), 0);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_SENSOR, SCMI_SENSOR_CONFIG_GET, 0), 0);
	assert_int_equal(h_w(h, 0) >> 16, 1);

	/* continuous updates every interval (1 s), trip points crossed by the ramp */
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_SENSOR, SCMI_SENSOR_CONTINUOUS_UPDATE_NOTIFY, 0, 1), 0);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_SENSOR, SCMI_SENSOR_TRIP_POINT_CONFIG, 0,
			       SCMI_FIELD_PREP(SCMI_SENSOR_TP_ID, 1) | SCMI_SENSOR_TP_POSITIVE, 450, 0), 0);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_SENSOR, SCMI_SENSOR_TRIP_POINT_CONFIG, 0,
			       SCMI_FIELD_PREP(SCMI_SENSOR_TP_ID, 2) | 1, 450, 0), SCMI_INVALID_PARAMETERS);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_SENSOR, SCMI_SENSOR_TRIP_POINT_CONFIG, 0,
			       1u << 2, 450, 0), SCMI_INVALID_PARAMETERS);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_SENSOR, SCMI_SENSOR_TRIP_POINT_NOTIFY, 0, 1), 0);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_SENSOR, SCMI_SENSOR_TRIP_POINT_NOTIFY, 0, 2),
			 SCMI_INVALID_PARAMETERS);
	h_advance(h, 3 * OS_NSEC_PER_SEC);
	unsigned upd = h_count_p2a(h, h->ivi, NOTIF, SCMI_PROTO_SENSOR, SCMI_SENSOR_EVT_UPDATE);

	assert_true(upd >= 3 && upd <= 4);
	p = h_last_p2a(h, h->ivi, NOTIF, SCMI_PROTO_SENSOR, SCMI_SENSOR_EVT_UPDATE);
	assert_int_equal(p->n, 2 + 4);
	assert_int_equal(p->w[1], 0);
	/* the ramp 0..1000 step 100 per 100ms crosses 450 upwards once per second */
	unsigned trips = h_count_p2a(h, h->ivi, NOTIF, SCMI_PROTO_SENSOR, SCMI_SENSOR_EVT_TRIP_POINT_EVENT);

	assert_true(trips >= 2 && trips <= 3);
	p = h_last_p2a(h, h->ivi, NOTIF, SCMI_PROTO_SENSOR, SCMI_SENSOR_EVT_TRIP_POINT_EVENT);
	assert_int_equal(p->w[2], SCMI_SENSOR_TP_EVT_DIRECTION | 1);
	assert_int_equal(h_count_p2a(h, h->cluster, NOTIF, -1, -1), 0);
	/* unsubscribed: the tick stops */
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_SENSOR, SCMI_SENSOR_CONTINUOUS_UPDATE_NOTIFY, 0, 0), 0);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_SENSOR, SCMI_SENSOR_TRIP_POINT_NOTIFY, 0, 0), 0);
	h_advance(h, OS_NSEC_PER_SEC);
	assert_false(srv_model_wants_tick(h->s));
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_SENSOR, SCMI_SENSOR_NAME_GET, 2), 0);
	assert_string_equal(h_str(h, 4), "rng");
	assert_int_equal(H_CMD(h, h->cluster, SCMI_PROTO_SENSOR, SCMI_SENSOR_NAME_GET, 1), SCMI_NOT_FOUND);
}

/* ---- reset and voltage ----------------------------------------------------------------- */

static void test_reset(void **state)
{
	struct h_srv *h = *state;
	struct scmi_reset_reset_a2p r = {
		.domain_id = 0, .flags = scmi_cpu_to_le32(SCMI_RESET_EXPLICIT_ASSERT), .reset_state = 0,
	};
	const struct h_p2a *p;

	assert_int_equal(H_CMD0(h, h->ivi, SCMI_PROTO_RESET, SCMI_MSG_PROTOCOL_ATTRIBUTES), 0);
	assert_int_equal(h_w(h, 0), 2);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_RESET, SCMI_RESET_DOMAIN_ATTRIBUTES, 1), 0);
	assert_true(h_w(h, 0) & SCMI_RESET_DOM_ASYNC);
	assert_int_equal(h_w(h, 1), 100);
	assert_string_equal(h_str(h, 8), "rst_camera");
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_RESET, SCMI_RESET_DOMAIN_ATTRIBUTES, 2), SCMI_NOT_FOUND);

	/* the shared display reset: asserted while either holds it */
	assert_int_equal(H_CMD(h, h->cluster, SCMI_PROTO_RESET, SCMI_RESET_NOTIFY, 0, 1), 0);
	assert_int_equal(h_raw(h, h->ivi, SCMI_PROTO_RESET, SCMI_RESET_RESET, &r, sizeof(r)), 0);
	assert_int_equal(h_count_p2a(h, h->cluster, NOTIF, SCMI_PROTO_RESET, SCMI_RESET_EVT_ISSUED), 1);
	assert_int_equal(H_CMD(h, h->cluster, SCMI_PROTO_RESET, SCMI_RESET_RESET, 0, SCMI_RESET_EXPLICIT_ASSERT, 0), 0);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_RESET, SCMI_RESET_RESET, 0, 0, 0), 0);
	assert_int_equal(h->s->state[SRV_RESET][0].asserted, 1);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_RESET, SCMI_RESET_RESET, 0, SCMI_RESET_EXPLICIT_ASSERT, 0), 0);
	assert_int_equal(h_count_p2a(h, h->cluster, NOTIF, SCMI_PROTO_RESET, SCMI_RESET_EVT_ISSUED), 1);
	assert_int_equal(H_CMD(h, h->cluster, SCMI_PROTO_RESET, SCMI_RESET_RESET, 0, 0, 0), 0);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_RESET, SCMI_RESET_RESET, 0, 0, 0), 0);
	assert_int_equal(h->s->state[SRV_RESET][0].asserted, 0);
	/* autonomous: a full cycle others are told about */
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_RESET, SCMI_RESET_RESET, 0, SCMI_RESET_AUTONOMOUS, 0), 0);
	p = h_last_p2a(h, h->cluster, NOTIF, SCMI_PROTO_RESET, SCMI_RESET_EVT_ISSUED);
	assert_int_equal(h_count_p2a(h, h->cluster, NOTIF, SCMI_PROTO_RESET, SCMI_RESET_EVT_ISSUED), 2);
	assert_int_equal(p->w[0], 1);
	assert_int_equal(p->w[1], 0);
	/* statuses */
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_RESET, SCMI_RESET_RESET, 0, 8, 0), SCMI_INVALID_PARAMETERS);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_RESET, SCMI_RESET_RESET, 0, 1, 0x80000000), SCMI_NOT_SUPPORTED);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_RESET, SCMI_RESET_RESET, 0, 1, 1), SCMI_INVALID_PARAMETERS);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_RESET, SCMI_RESET_RESET, 0, SCMI_RESET_ASYNC | 1, 0),
			 SCMI_NOT_SUPPORTED);
	assert_int_equal(H_CMD(h, h->cluster, SCMI_PROTO_RESET, SCMI_RESET_RESET, 1, 1, 0), SCMI_NOT_FOUND);
	/* asynchronous camera reset: RESET_COMPLETE after 3 ms */
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_RESET, SCMI_RESET_RESET, 1, SCMI_RESET_ASYNC | 1, 0), 0);
	h_advance(h, 2 * OS_NSEC_PER_MSEC);
	assert_null(h_last_p2a(h, h->ivi, DRESP, SCMI_PROTO_RESET, SCMI_RESET_RESET));
	h_advance(h, OS_NSEC_PER_MSEC);
	p = h_last_p2a(h, h->ivi, DRESP, SCMI_PROTO_RESET, SCMI_RESET_RESET);
	assert_non_null(p);
	assert_int_equal(p->n, 2);
	assert_int_equal(p->w[1], 1);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_RESET, SCMI_RESET_DOMAIN_NAME_GET, 0), 0);
	assert_string_equal(h_str(h, 4), "rst_display");
}

static void test_voltage(void **state)
{
	struct h_srv *h = *state;

	assert_int_equal(H_CMD0(h, h->ivi, SCMI_PROTO_VOLTAGE, SCMI_MSG_PROTOCOL_ATTRIBUTES), 0);
	assert_int_equal(h_w(h, 0), 1);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_VOLTAGE, SCMI_VOLTAGE_DOMAIN_ATTRIBUTES, 0), 0);
	assert_int_equal(h_w(h, 0), 0);
	assert_string_equal(h_str(h, 4), "vdd_gpu");
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_VOLTAGE, SCMI_VOLTAGE_DESCRIBE_LEVELS, 0, 0), 0);
	assert_int_equal(h_w(h, 0), SCMI_VOLTAGE_LEVELS_FORMAT_RANGE | 3);
	assert_int_equal(h_w(h, 1), 600000);
	assert_int_equal(h_w(h, 2), 1000000);
	assert_int_equal(h_w(h, 3), 10000);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_VOLTAGE, SCMI_VOLTAGE_DESCRIBE_LEVELS, 0, 1), SCMI_OUT_OF_RANGE);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_VOLTAGE, SCMI_VOLTAGE_LEVEL_GET, 0), 0);
	assert_int_equal(h_w(h, 0), 800000);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_VOLTAGE, SCMI_VOLTAGE_LEVEL_SET, 0, 0, 900000), 0);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_VOLTAGE, SCMI_VOLTAGE_LEVEL_GET, 0), 0);
	assert_int_equal(h_w(h, 0), 900000);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_VOLTAGE, SCMI_VOLTAGE_LEVEL_SET, 0, 0, 905000), SCMI_OUT_OF_RANGE);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_VOLTAGE, SCMI_VOLTAGE_LEVEL_SET, 0, 0, 1100000), SCMI_OUT_OF_RANGE);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_VOLTAGE, SCMI_VOLTAGE_LEVEL_SET, 0, 2, 900000), SCMI_INVALID_PARAMETERS);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_VOLTAGE, SCMI_VOLTAGE_LEVEL_SET, 0, 1, 900000), SCMI_NOT_SUPPORTED);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_VOLTAGE, SCMI_VOLTAGE_CONFIG_GET, 0), 0);
	assert_int_equal(h_w(h, 0), SCMI_VOLTAGE_CFG_ON);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_VOLTAGE, SCMI_VOLTAGE_CONFIG_SET, 0, 0), 0);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_VOLTAGE, SCMI_VOLTAGE_CONFIG_GET, 0), 0);
	assert_int_equal(h_w(h, 0), SCMI_VOLTAGE_CFG_OFF);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_VOLTAGE, SCMI_VOLTAGE_CONFIG_SET, 0, 8), SCMI_NOT_SUPPORTED);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_VOLTAGE, SCMI_VOLTAGE_CONFIG_SET, 0, 2), SCMI_INVALID_PARAMETERS);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_VOLTAGE, SCMI_VOLTAGE_CONFIG_SET, 0, 0x17), SCMI_INVALID_PARAMETERS);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_VOLTAGE, SCMI_VOLTAGE_CONFIG_SET, 1, 7), SCMI_NOT_FOUND);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_VOLTAGE, SCMI_VOLTAGE_DOMAIN_NAME_GET, 0), 0);
	assert_string_equal(h_str(h, 4), "vdd_gpu");
}

static void test_voltage_async(void **state)
{
	struct h_srv *h = *state;
	const struct h_p2a *p;

	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_VOLTAGE, SCMI_VOLTAGE_DESCRIBE_LEVELS, 0, 0), 0);
	assert_int_equal(h_w(h, 0), 2);
	assert_int_equal(h_w(h, 2), 1000000);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_VOLTAGE, SCMI_VOLTAGE_DESCRIBE_LEVELS, 0, 1), 0);
	assert_int_equal(h_w(h, 0), 1);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_VOLTAGE, SCMI_VOLTAGE_LEVEL_SET, 0, 1, 1000000), 0);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_VOLTAGE, SCMI_VOLTAGE_LEVEL_GET, 0), 0);
	assert_int_equal(h_w(h, 0), 900000);
	h_advance(h, OS_NSEC_PER_MSEC);
	p = h_last_p2a(h, h->ivi, DRESP, SCMI_PROTO_VOLTAGE, SCMI_VOLTAGE_LEVEL_SET);
	assert_non_null(p);
	assert_int_equal(p->n, 3);
	assert_int_equal(p->w[2], 1000000);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_VOLTAGE, SCMI_VOLTAGE_LEVEL_GET, 0), 0);
	assert_int_equal(h_w(h, 0), 1000000);
	/* the daemon cannot defer: asynchronous commands are refused */
	h->fail_defer = 1;
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_VOLTAGE, SCMI_VOLTAGE_LEVEL_SET, 0, 1, 900000), SCMI_BUSY);
	h->fail_defer = 0;
	/* the guest's last device goes with a command pending: it still takes
	 * effect, without a delayed response */
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_VOLTAGE, SCMI_VOLTAGE_LEVEL_SET, 0, 1, 900000), 0);
	unsigned before = h_count_p2a(h, NULL, DRESP, -1, -1);

	scmi_srv_agent_disconnect(h->s, h->ivi);
	h->ivi = scmi_srv_agent_connect(h->s, "ivi", 9);
	h_advance(h, 10 * OS_NSEC_PER_MSEC);
	assert_int_equal(h_count_p2a(h, NULL, DRESP, -1, -1), before);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_VOLTAGE, SCMI_VOLTAGE_LEVEL_GET, 0), 0);
	assert_int_equal(h_w(h, 0), 900000);
	/* released (the domain died): a pending command is dropped */
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_VOLTAGE, SCMI_VOLTAGE_LEVEL_SET, 0, 1, 1000000), 0);
	scmi_srv_agent_disconnect(h->s, h->ivi);
	scmi_srv_agent_release(h->s, "ivi");
	h->ivi = scmi_srv_agent_connect(h->s, "ivi", 10);
	h_advance(h, 10 * OS_NSEC_PER_MSEC);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_VOLTAGE, SCMI_VOLTAGE_LEVEL_GET, 0), 0);
	assert_int_equal(h_w(h, 0), 900000);
}

/* ---- powercap ----------------------------------------------------------------------- */

static void test_powercap(void **state)
{
	struct h_srv *h = *state;
	const struct h_p2a *p;

	assert_int_equal(H_CMD0(h, h->ivi, SCMI_PROTO_POWERCAP, SCMI_MSG_PROTOCOL_ATTRIBUTES), 0);
	assert_int_equal(h_w(h, 0), 1);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_POWERCAP, SCMI_POWERCAP_DOMAIN_ATTRIBUTES, 0), 0);
	assert_int_equal(h_plen(h), 56);
	assert_true(h_w(h, 0) & SCMI_POWERCAP_DOM_CAP_CONFIG);
	assert_true(h_w(h, 0) & SCMI_POWERCAP_DOM_PAI_CONFIG);
	assert_true(h_w(h, 0) & SCMI_POWERCAP_DOM_UNIT_MW);
	assert_true(h_w(h, 0) & SCMI_POWERCAP_DOM_ASYNC_CAP_SET);
	assert_string_equal(h_str(h, 4), "soc_power");
	assert_int_equal(h_w(h, 5), 1000);	/* min PAI */
	assert_int_equal(h_w(h, 6), 100000);
	assert_int_equal(h_w(h, 8), 2000);	/* min cap mW */
	assert_int_equal(h_w(h, 9), 15000);
	assert_int_equal(h_w(h, 10), 500);
	assert_int_equal(h_w(h, 11), 10000);
	assert_int_equal(h_w(h, 13), SCMI_POWERCAP_NO_PARENT);
	assert_int_equal(H_CMD(h, h->cluster, SCMI_PROTO_POWERCAP, SCMI_POWERCAP_DOMAIN_ATTRIBUTES, 0), 0);
	assert_false(h_w(h, 0) & SCMI_POWERCAP_DOM_CAP_CONFIG);	/* read-only */

	assert_int_equal(H_CMD(h, h->cluster, SCMI_PROTO_POWERCAP, SCMI_POWERCAP_CAP_NOTIFY, 0, 1), 0);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_POWERCAP, SCMI_POWERCAP_CAP_GET, 0), 0);
	assert_int_equal(h_w(h, 0), 12000);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_POWERCAP, SCMI_POWERCAP_CAP_SET, 0, 0, 8000), 0);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_POWERCAP, SCMI_POWERCAP_CAP_GET, 0), 0);
	assert_int_equal(h_w(h, 0), 8000);
	p = h_last_p2a(h, h->cluster, NOTIF, SCMI_PROTO_POWERCAP, SCMI_POWERCAP_EVT_CAP_CHANGED);
	assert_non_null(p);
	assert_int_equal(p->w[0], 1);
	assert_int_equal(p->w[2], 8000);
	assert_int_equal(p->w[3], 10000);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_POWERCAP, SCMI_POWERCAP_CAP_SET, 0, 0, 8100), SCMI_OUT_OF_RANGE);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_POWERCAP, SCMI_POWERCAP_CAP_SET, 0, 0, 16000), SCMI_OUT_OF_RANGE);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_POWERCAP, SCMI_POWERCAP_CAP_SET, 0, 4, 8000), SCMI_INVALID_PARAMETERS);
	assert_int_equal(H_CMD(h, h->cluster, SCMI_PROTO_POWERCAP, SCMI_POWERCAP_CAP_SET, 0, 0, 8000), SCMI_DENIED);
	/* asynchronous with delayed response */
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_POWERCAP, SCMI_POWERCAP_CAP_SET, 0,
			       SCMI_POWERCAP_SET_ASYNC, 6000), 0);
	h_advance(h, 2 * OS_NSEC_PER_MSEC);
	p = h_last_p2a(h, h->ivi, DRESP, SCMI_PROTO_POWERCAP, SCMI_POWERCAP_CAP_SET);
	assert_non_null(p);
	assert_int_equal(p->n, 3);
	assert_int_equal(p->w[2], 6000);
	/* PAI */
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_POWERCAP, SCMI_POWERCAP_PAI_GET, 0), 0);
	assert_int_equal(h_w(h, 0), 10000);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_POWERCAP, SCMI_POWERCAP_PAI_SET, 0, 0, 20000), 0);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_POWERCAP, SCMI_POWERCAP_PAI_GET, 0), 0);
	assert_int_equal(h_w(h, 0), 20000);
	assert_int_equal(h_last_p2a(h, h->cluster, NOTIF, SCMI_PROTO_POWERCAP, SCMI_POWERCAP_EVT_CAP_CHANGED)->w[3],
			 20000);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_POWERCAP, SCMI_POWERCAP_PAI_SET, 0, 0, 200000), SCMI_OUT_OF_RANGE);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_POWERCAP, SCMI_POWERCAP_PAI_SET, 0, 1, 20000), SCMI_INVALID_PARAMETERS);
	/* measurements, and notifications outside [low, high] */
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_POWERCAP, SCMI_POWERCAP_MEASUREMENTS_GET, 0), 0);
	assert_true(h_w(h, 0) >= 3000 && h_w(h, 0) <= 6000);
	assert_int_equal(h_w(h, 1), 20000);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_POWERCAP, SCMI_POWERCAP_MEASUREMENTS_NOTIFY, 0, 1, 9, 1),
			 SCMI_INVALID_PARAMETERS);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_POWERCAP, SCMI_POWERCAP_MEASUREMENTS_NOTIFY, 0, 1, 0, 0), 0);
	h_advance(h, OS_NSEC_PER_SEC);
	assert_true(h_count_p2a(h, h->ivi, NOTIF, SCMI_PROTO_POWERCAP, SCMI_POWERCAP_EVT_MEASUREMENTS_CHANGED) >= 1);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_POWERCAP, SCMI_POWERCAP_MEASUREMENTS_NOTIFY, 0, 0, 0, 0), 0);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_POWERCAP, SCMI_POWERCAP_DESCRIBE_FASTCHANNEL, 0, 5),
			 SCMI_NOT_SUPPORTED);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_POWERCAP, SCMI_POWERCAP_DESCRIBE_FASTCHANNEL, 1, 5),
			 SCMI_NOT_FOUND);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_POWERCAP, SCMI_POWERCAP_DOMAIN_NAME_GET, 0), 0);
	assert_string_equal(h_str(h, 4), "soc_power");
}

/* ---- pinctrl ---------------------------------------------------------------------- */

static void test_pinctrl(void **state)
{
	struct h_srv *h = *state;
	uint32_t conf[] = { 0, 0, SCMI_PINCTRL_CONF_FUNCTION_VALID |
				      SCMI_FIELD_PREP(SCMI_PINCTRL_CONF_NUM_CONFIGS, 2) | SCMI_PINCTRL_SEL_GROUP,
			    SCMI_PINCTRL_CFG_BIAS_PULL_UP, 1, SCMI_PINCTRL_CFG_DRIVE_STRENGTH, 8 };

	assert_int_equal(H_CMD0(h, h->ivi, SCMI_PROTO_PINCTRL, SCMI_MSG_PROTOCOL_ATTRIBUTES), 0);
	assert_int_equal(h_w(h, 0), SCMI_FIELD_PREP(SCMI_PINCTRL_ATTR_NUM_GROUPS, 1) | 2);
	assert_int_equal(h_w(h, 1), 1);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_PINCTRL, SCMI_PINCTRL_ATTRIBUTES, 0, SCMI_PINCTRL_SEL_GROUP), 0);
	assert_int_equal(h_w(h, 0), 2);
	assert_string_equal(h_str(h, 4), "uart2_grp");
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_PINCTRL, SCMI_PINCTRL_ATTRIBUTES, 1, SCMI_PINCTRL_SEL_PIN), 0);
	assert_string_equal(h_str(h, 4), "uart2_rx");
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_PINCTRL, SCMI_PINCTRL_ATTRIBUTES, 0, 3), SCMI_INVALID_PARAMETERS);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_PINCTRL, SCMI_PINCTRL_ATTRIBUTES, 2, 0), SCMI_NOT_FOUND);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_PINCTRL, SCMI_PINCTRL_LIST_ASSOCIATIONS, 0,
			       SCMI_PINCTRL_SEL_GROUP, 0), 0);
	assert_int_equal(h_w(h, 0), 2);
	assert_int_equal(h_w(h, 1), 0x00010000);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_PINCTRL, SCMI_PINCTRL_LIST_ASSOCIATIONS, 0,
			       SCMI_PINCTRL_SEL_GROUP, 1), 0);
	assert_int_equal(h_w(h, 0), 1);
	assert_int_equal(h_w(h, 1), 1);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_PINCTRL, SCMI_PINCTRL_LIST_ASSOCIATIONS, 0,
			       SCMI_PINCTRL_SEL_FUNCTION, 0), 0);
	assert_int_equal(h_w(h, 0), 1);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_PINCTRL, SCMI_PINCTRL_LIST_ASSOCIATIONS, 0,
			       SCMI_PINCTRL_SEL_PIN, 0), SCMI_INVALID_PARAMETERS);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_PINCTRL, SCMI_PINCTRL_LIST_ASSOCIATIONS, 0,
			       SCMI_PINCTRL_SEL_GROUP, 2), SCMI_OUT_OF_RANGE);

	/* settings: configure the group with its function, read a pin back */
	assert_int_equal(h_cmdv(h, h->ivi, SCMI_PROTO_PINCTRL, SCMI_PINCTRL_SETTINGS_CONFIGURE, conf, 7), 0);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_PINCTRL, SCMI_PINCTRL_SETTINGS_GET, 1,
			       SCMI_FIELD_PREP(SCMI_PINCTRL_GET_CONFIG_TYPE, SCMI_PINCTRL_CFG_DRIVE_STRENGTH)), 0);
	assert_int_equal(h_w(h, 0), 0);		/* function uart2 */
	assert_int_equal(h_w(h, 1), 1);
	assert_int_equal(h_w(h, 2), SCMI_PINCTRL_CFG_DRIVE_STRENGTH);
	assert_int_equal(h_w(h, 3), 8);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_PINCTRL, SCMI_PINCTRL_SETTINGS_GET, 0,
			       SCMI_FIELD_PREP(SCMI_PINCTRL_GET_CONFIG_FLAG, SCMI_PINCTRL_GET_ALL)), 0);
	assert_int_equal(h_w(h, 1), 2);
	assert_int_equal(h_w(h, 2), SCMI_PINCTRL_CFG_BIAS_PULL_UP);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_PINCTRL, SCMI_PINCTRL_SETTINGS_GET, 0,
			       SCMI_FIELD_PREP(SCMI_PINCTRL_GET_CONFIG_FLAG, SCMI_PINCTRL_GET_ALL) |
			       SCMI_FIELD_PREP(SCMI_PINCTRL_GET_SKIP, 1)), 0);
	assert_int_equal(h_w(h, 1), 1);
	assert_int_equal(h_w(h, 2), SCMI_PINCTRL_CFG_DRIVE_STRENGTH);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_PINCTRL, SCMI_PINCTRL_SETTINGS_GET, 0,
			       SCMI_FIELD_PREP(SCMI_PINCTRL_GET_CONFIG_FLAG, SCMI_PINCTRL_GET_FUNCTION)), 0);
	assert_int_equal(h_w(h, 1), 0);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_PINCTRL, SCMI_PINCTRL_SETTINGS_GET, 0, 200), SCMI_NOT_SUPPORTED);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_PINCTRL, SCMI_PINCTRL_SETTINGS_GET, 0, 30), SCMI_INVALID_PARAMETERS);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_PINCTRL, SCMI_PINCTRL_SETTINGS_GET, 0, 3u << 18),
			 SCMI_INVALID_PARAMETERS);
	/* the configuration count must match the length */
	assert_int_equal(h_cmdv(h, h->ivi, SCMI_PROTO_PINCTRL, SCMI_PINCTRL_SETTINGS_CONFIGURE, conf, 5),
			 SCMI_PROTOCOL_ERROR);
	conf[3] = 200;
	assert_int_equal(h_cmdv(h, h->ivi, SCMI_PROTO_PINCTRL, SCMI_PINCTRL_SETTINGS_CONFIGURE, conf, 7),
			 SCMI_NOT_SUPPORTED);
	conf[3] = 30;
	assert_int_equal(h_cmdv(h, h->ivi, SCMI_PROTO_PINCTRL, SCMI_PINCTRL_SETTINGS_CONFIGURE, conf, 7),
			 SCMI_INVALID_PARAMETERS);
	conf[3] = 1;
	conf[1] = 1;	/* no such function */
	assert_int_equal(h_cmdv(h, h->ivi, SCMI_PROTO_PINCTRL, SCMI_PINCTRL_SETTINGS_CONFIGURE, conf, 7),
			 SCMI_NOT_FOUND);

	/* request / release */
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_PINCTRL, SCMI_PINCTRL_REQUEST, 0, SCMI_PINCTRL_SEL_GROUP), 0);
	assert_ptr_equal(h->s->state[SRV_PIN][0].owner, h->ivi);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_PINCTRL, SCMI_PINCTRL_RELEASE, 0, SCMI_PINCTRL_SEL_PIN), 0);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_PINCTRL, SCMI_PINCTRL_RELEASE, 0, SCMI_PINCTRL_SEL_PIN), SCMI_DENIED);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_PINCTRL, SCMI_PINCTRL_REQUEST, 0, SCMI_PINCTRL_SEL_FUNCTION),
			 SCMI_INVALID_PARAMETERS);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_PINCTRL, SCMI_PINCTRL_NAME_GET, 0, SCMI_PINCTRL_SEL_FUNCTION), 0);
	assert_string_equal(h_str(h, 4), "uart2");
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_PINCTRL, SCMI_PINCTRL_NAME_GET, 0, 4), SCMI_INVALID_PARAMETERS);
	/* permissions: trusted only; the identifier is the caller's */
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_PINCTRL, SCMI_PINCTRL_SET_PERMISSIONS, 2, 0, 0), SCMI_DENIED);
	assert_int_equal(H_CMD(h, h->cluster, SCMI_PROTO_PINCTRL, SCMI_PINCTRL_SET_PERMISSIONS, 1, 0, 0), SCMI_NOT_FOUND);
	assert_int_equal(H_CMD(h, h->cluster, SCMI_PROTO_PINCTRL, SCMI_PINCTRL_SET_PERMISSIONS, 1, 0, 8),
			 SCMI_INVALID_PARAMETERS);
	assert_int_equal(H_CMD(h, h->cluster, SCMI_PROTO_PINCTRL, SCMI_PINCTRL_SET_PERMISSIONS, 5, 0, 0), SCMI_NOT_FOUND);
}

static void test_pinctrl_shared(void **state)
{
	struct h_srv *h = *state;

	/* cluster holds group g0; ivi sees it through function f0 */
	assert_int_equal(H_CMD(h, h->cluster, SCMI_PROTO_PINCTRL, SCMI_PINCTRL_REQUEST, 0, SCMI_PINCTRL_SEL_GROUP), 0);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_PINCTRL, SCMI_PINCTRL_REQUEST, 1, SCMI_PINCTRL_SEL_PIN), SCMI_IN_USE);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_PINCTRL, SCMI_PINCTRL_SETTINGS_CONFIGURE, 1, 0, 0), SCMI_DENIED);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_PINCTRL, SCMI_PINCTRL_RELEASE, 0, SCMI_PINCTRL_SEL_GROUP), SCMI_DENIED);
	/* the trusted agent takes pin p1 away from ivi, then gives it back */
	assert_int_equal(H_CMD(h, h->cluster, SCMI_PROTO_PINCTRL, SCMI_PINCTRL_SET_PERMISSIONS, 1, 1,
			       SCMI_PINCTRL_SEL_PIN), 0);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_PINCTRL, SCMI_PINCTRL_NAME_GET, 1, 0), SCMI_DENIED);
	assert_int_equal(H_CMD(h, h->cluster, SCMI_PROTO_PINCTRL, SCMI_PINCTRL_SET_PERMISSIONS, 1, 1,
			       SCMI_PINCTRL_SEL_PIN | SCMI_PINCTRL_PERM_ALLOW), 0);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_PINCTRL, SCMI_PINCTRL_NAME_GET, 1, 0), 0);
	/* the owner leaves: the pins are free again */
	scmi_srv_agent_disconnect(h->s, h->cluster);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_PINCTRL, SCMI_PINCTRL_REQUEST, 1, SCMI_PINCTRL_SEL_PIN),
			 SCMI_IN_USE);	/* until the domain is released */
	scmi_srv_agent_release(h->s, "cluster");
	h->cluster = scmi_srv_agent_connect(h->s, "cluster", 2);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_PINCTRL, SCMI_PINCTRL_REQUEST, 1, SCMI_PINCTRL_SEL_PIN), 0);
}

/* ---- the permission matrix ------------------------------------------------------------ */

struct probe {
	enum srv_rtype type;
	uint8_t proto, name_msg;	/* a read command taking the id in word 0 */
	int pin_sel;			/* pinctrl: selector in word 1, else -1 */
};

static const struct probe probes[] = {
	{ SRV_POWER, SCMI_PROTO_POWER, SCMI_POWER_DOMAIN_NAME_GET, -1 },
	{ SRV_PERF, SCMI_PROTO_PERF, SCMI_PERF_DOMAIN_NAME_GET, -1 },
	{ SRV_CLOCK, SCMI_PROTO_CLOCK, SCMI_CLOCK_NAME_GET, -1 },
	{ SRV_SENSOR, SCMI_PROTO_SENSOR, SCMI_SENSOR_NAME_GET, -1 },
	{ SRV_RESET, SCMI_PROTO_RESET, SCMI_RESET_DOMAIN_NAME_GET, -1 },
	{ SRV_VOLTAGE, SCMI_PROTO_VOLTAGE, SCMI_VOLTAGE_DOMAIN_NAME_GET, -1 },
	{ SRV_POWERCAP, SCMI_PROTO_POWERCAP, SCMI_POWERCAP_DOMAIN_NAME_GET, -1 },
	{ SRV_PIN, SCMI_PROTO_PINCTRL, SCMI_PINCTRL_NAME_GET, SCMI_PINCTRL_SEL_PIN },
	{ SRV_GROUP, SCMI_PROTO_PINCTRL, SCMI_PINCTRL_NAME_GET, SCMI_PINCTRL_SEL_GROUP },
	{ SRV_FUNCTION, SCMI_PROTO_PINCTRL, SCMI_PINCTRL_NAME_GET, SCMI_PINCTRL_SEL_FUNCTION },
};

/* A control command on local id @id of @t; SUCCESS or DENIED expected. */
static int32_t control(struct h_srv *h, struct scmi_srv_agent *a, enum srv_rtype t, uint32_t id)
{
	switch (t) {
	case SRV_POWER:
		return H_CMD(h, a, SCMI_PROTO_POWER, SCMI_POWER_STATE_SET, 0, id, SCMI_POWER_STATE_OFF);
	case SRV_PERF: {
		uint32_t level = 0;

		if (H_CMD(h, a, SCMI_PROTO_PERF, SCMI_PERF_LEVEL_GET, id) == SCMI_SUCCESS)
			level = h_w(h, 0);
		return H_CMD(h, a, SCMI_PROTO_PERF, SCMI_PERF_LEVEL_SET, id, level);
	}
	case SRV_CLOCK:
		return H_CMD(h, a, SCMI_PROTO_CLOCK, SCMI_CLOCK_CONFIG_SET, id, 3, 0);
	case SRV_SENSOR:	/* sensor configuration is per agent: ro suffices */
		return H_CMD(h, a, SCMI_PROTO_SENSOR, SCMI_SENSOR_CONFIG_SET, id, 1);
	case SRV_RESET:
		return H_CMD(h, a, SCMI_PROTO_RESET, SCMI_RESET_RESET, id, 0, 0);
	case SRV_VOLTAGE:
		return H_CMD(h, a, SCMI_PROTO_VOLTAGE, SCMI_VOLTAGE_CONFIG_SET, id, 7);
	case SRV_POWERCAP:
		return H_CMD(h, a, SCMI_PROTO_POWERCAP, SCMI_POWERCAP_CAP_SET, id, 0, 0);
	case SRV_PIN:
	case SRV_GROUP:
		return H_CMD(h, a, SCMI_PROTO_PINCTRL, SCMI_PINCTRL_SETTINGS_CONFIGURE, id, 0,
			     t == SRV_PIN ? 0 : 1);
	default:
		return SCMI_SUCCESS;
	}
}

static void test_permission_matrix(void **state)
{
	struct h_srv *h = *state;
	struct scmi_srv_agent *agents[2] = { h->ivi, h->cluster };
	unsigned checks = 0;

	for (int ai = 0; ai < 2; ai++) {
		struct scmi_srv_agent *a = agents[ai];
		const struct srv_agent_def *def = &h->cfg->agent[ai];

		for (size_t pi = 0; pi < OS_ARRAY_SIZE(probes); pi++) {
			const struct probe *pr = &probes[pi];
			uint32_t local = 0;

			for (unsigned j = 0; j < def->n_grant; j++) {
				const struct srv_grant *g = &def->grant[j];
				const char *name;
				int32_t st;

				if (g->type != pr->type)
					continue;
				name = srv_def(h->cfg, pr->type, g->idx)->name;
				/* local ids are the agent's grant order; names match */
				st = pr->pin_sel < 0 ? H_CMD(h, a, pr->proto, pr->name_msg, local) :
				     H_CMD(h, a, pr->proto, pr->name_msg, local, (uint32_t)pr->pin_sel);
				assert_int_equal(st, SCMI_SUCCESS);
				assert_string_equal(h_str(h, 4), name);
				st = control(h, a, pr->type, local);
				if (g->access == SRV_ACC_RW || pr->type == SRV_SENSOR ||
				    pr->type == SRV_FUNCTION)
					assert_int_equal(st, SCMI_SUCCESS);
				else
					assert_int_equal(st, SCMI_DENIED);
				local++;
				checks += 2;
			}
			/* one past its own resources: another guest's are unreachable */
			if (local) {
				int32_t st = pr->pin_sel < 0 ?
					H_CMD(h, a, pr->proto, pr->name_msg, local) :
					H_CMD(h, a, pr->proto, pr->name_msg, local, (uint32_t)pr->pin_sel);

				assert_int_equal(st, SCMI_NOT_FOUND);
				assert_int_equal(control(h, a, pr->type, local) , pr->type == SRV_FUNCTION ?
						 SCMI_SUCCESS : SCMI_NOT_FOUND);
				checks++;
			} else {
				int32_t st = H_CMD0(h, a, pr->proto, SCMI_MSG_PROTOCOL_VERSION);

				assert_int_equal(st, SCMI_NOT_SUPPORTED);
				checks++;
			}
		}
	}
	print_message("permission matrix: %u checks over 2 agents\n", checks);
	assert_true(checks > 60);
}

/* ---- connections, reload --------------------------------------------------------------- */

static void test_connections(void **state)
{
	struct h_srv *h = *state;
	struct scmi_srv_agent *second;
	struct scmi_srv_agent_stats st;

	assert_null(scmi_srv_agent_connect(h->s, "nobody", 7));
	assert_string_equal(scmi_srv_agent_name(h->ivi), "ivi");
	assert_int_equal(scmi_srv_agent_domid(h->ivi), 1);
	/* a second device of the same guest has its own votes */
	second = scmi_srv_agent_connect(h->s, "ivi", 1);
	assert_non_null(second);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_CLOCK, SCMI_CLOCK_CONFIG_SET, 3, 1, 0), 0);
	assert_int_equal(H_CMD(h, second, SCMI_PROTO_CLOCK, SCMI_CLOCK_CONFIG_SET, 3, 1, 0), 0);
	assert_int_equal(H_CMD(h, second, SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_NOTIFY, 3, 1), 0);
	scmi_srv_agent_disconnect(h->s, h->ivi);
	assert_true(h->s->state[SRV_CLOCK][4].on);
	h->ivi = scmi_srv_agent_connect(h->s, "ivi", 1);
	scmi_srv_agent_disconnect(h->s, second);
	assert_false(h->s->state[SRV_CLOCK][4].on);
	/* the guest's last device goes and comes back: same agent, same requests */
	struct scmi_srv_agent *old = h->ivi;

	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_CLOCK, SCMI_CLOCK_CONFIG_SET, 3, 1, 0), 0);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_NOTIFY, 3, 1), 0);
	scmi_srv_agent_disconnect(h->s, h->ivi);
	assert_true(h->s->state[SRV_CLOCK][4].on);
	scmi_srv_agent_release(h->s, "cluster");	/* not this one: nothing */
	assert_true(h->s->state[SRV_CLOCK][4].on);
	h->ivi = scmi_srv_agent_connect(h->s, "ivi", 3);
	assert_ptr_equal(h->ivi, old);
	assert_int_equal(scmi_srv_agent_domid(h->ivi), 3);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_CLOCK, SCMI_CLOCK_CONFIG_GET, 3, 0), 0);
	assert_int_equal(h_w(h, 1), SCMI_CLOCK_CONFIG_ENABLED);
	/* subscriptions did not survive: no notification for this change */
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_SET, 0, 3, 27000000, 0), 0);
	assert_null(h_last_p2a(h, h->ivi, NOTIF, SCMI_PROTO_CLOCK, SCMI_CLOCK_EVT_RATE_CHANGED));
	/* released while connected: nothing; after the disconnect: withdrawn */
	scmi_srv_agent_release(h->s, "ivi");
	assert_true(h->s->state[SRV_CLOCK][4].on);
	scmi_srv_agent_disconnect(h->s, h->ivi);
	scmi_srv_agent_release(h->s, "ivi");
	assert_false(h->s->state[SRV_CLOCK][4].on);
	h->ivi = scmi_srv_agent_connect(h->s, "ivi", 1);
	/* statistics */
	H_CMD(h, h->ivi, SCMI_PROTO_CLOCK, SCMI_CLOCK_CONFIG_SET, 1, 1, 0);
	H_CMD(h, h->ivi, SCMI_PROTO_CLOCK, SCMI_CLOCK_CONFIG_SET, 1);
	H_CMD(h, h->ivi, SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_GET, 0);
	scmi_srv_agent_get_stats(h->ivi, &st);
	assert_int_equal(st.commands, 3);
	assert_int_equal(st.errors, 2);
	assert_int_equal(st.denied, 1);
	assert_int_equal(st.protocol_errors, 1);
}

static void test_reload(void **state)
{
	struct h_srv *h = *state;
	struct scmi_srv_config *cfg;
	char err[256];
	static const char less[] =
		"clocks = [ \"name=pll_gpu,rates=200M-1600M/100M,rate=800M,enabled=1\", "
		"\"name=disp_pixel,rates=74.25M|148.5M|297M,rate=148.5M\" ]\n"
		"agents = [ \"name=ivi\", \"name=cluster,trusted=1\" ]\n"
		"agent_ivi = [ \"clock:disp_pixel:ro\" ]\n"
		"agent_cluster = [ \"clock:disp_pixel\", \"clock:pll_gpu\" ]\n";

	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_SET, 0, 2, 297000000, 0), 0);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_CLOCK, SCMI_CLOCK_CONFIG_SET, 2, 1, 0), 0);
	assert_int_equal(H_CMD(h, h->cluster, SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_NOTIFY, 0, 1), 0);
	/* the same config again: nothing changes */
	assert_int_equal(scmi_srv_reload(h->s, h->cfg), 0);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_CLOCK, SCMI_CLOCK_CONFIG_GET, 2, 0), 0);
	assert_int_equal(h_w(h, 1), 1);
	/* fewer grants: ivi's control of disp_pixel (now read-only) is dropped */
	assert_int_equal(scmi_srv_parse_config("less.cfg", less, strlen(less), &cfg, err, sizeof(err)), 0);
	assert_int_equal(scmi_srv_reload(h->s, cfg), 0);
	scmi_srv_config_free(cfg);
	assert_int_equal(H_CMD0(h, h->ivi, SCMI_PROTO_CLOCK, SCMI_MSG_PROTOCOL_ATTRIBUTES), 0);
	assert_int_equal(h_w(h, 0) & 0xffff, 1);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_CLOCK, SCMI_CLOCK_CONFIG_GET, 0, 0), 0);
	assert_int_equal(h_w(h, 1), 0);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_CLOCK, SCMI_CLOCK_CONFIG_SET, 0, 1, 0), SCMI_DENIED);
	assert_int_equal(H_CMD0(h, h->ivi, SCMI_PROTO_POWER, SCMI_MSG_PROTOCOL_VERSION), SCMI_NOT_SUPPORTED);
	/* the state of a resource that stayed is kept; subscriptions too */
	assert_int_equal(H_CMD(h, h->cluster, SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_GET, 0), 0);
	assert_int_equal(h_w(h, 0), 297000000);
	assert_int_equal(H_CMD(h, h->cluster, SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_SET, 0, 0, 74250000, 0), 0);
	assert_non_null(h_last_p2a(h, h->cluster, NOTIF, SCMI_PROTO_CLOCK, SCMI_CLOCK_EVT_RATE_CHANGED));
}

static void test_reload_remap(void **state)
{
	static const char a[] =
		"clocks = [ \"name=p0,rates=1M\", \"name=p1,rates=2M\", \"name=c,rates=10M|20M,parents=p0|p1\" ]\n"
		"pins = [ \"name=x\" ]\npin_groups = [ \"name=g,pins=x\" ]\n"
		"pin_functions = [ \"name=f0,groups=g\", \"name=f1,groups=g\" ]\n"
		"agents = [ \"name=ivi\", \"name=cluster\" ]\n"
		"agent_ivi = [ \"clock:*\", \"function:*\" ]\n";
	static const char b[] =
		"clocks = [ \"name=c,rates=10M|30M,parents=p1\", \"name=p1,rates=2M\" ]\n"
		"pins = [ \"name=x\" ]\npin_groups = [ \"name=g,pins=x\" ]\n"
		"pin_functions = [ \"name=f1,groups=g\" ]\n"
		"agents = [ \"name=ivi\", \"name=cluster\" ]\n"
		"agent_ivi = [ \"clock:*\", \"function:*\" ]\n";
	struct h_srv *h = calloc(1, sizeof(*h));
	struct scmi_srv_config *cfg;
	char err[256];

	h_setup_text(h, a);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_CLOCK, SCMI_CLOCK_PARENT_SET, 2, 1), 0);
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_SET, 0, 2, 20000000, 0), 0);
	/* pin x: function f1 (ivi's function 1) */
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_PINCTRL, SCMI_PINCTRL_SETTINGS_CONFIGURE, 0, 1,
			       SCMI_PINCTRL_CONF_FUNCTION_VALID | SCMI_PINCTRL_SEL_PIN), 0);
	assert_int_equal(scmi_srv_parse_config("b.cfg", b, strlen(b), &cfg, err, sizeof(err)), 0);
	assert_int_equal(scmi_srv_reload(h->s, cfg), 0);
	scmi_srv_config_free(cfg);
	/* c is now clock 0; its parent p1 (clock 1) followed by name */
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_CLOCK, SCMI_CLOCK_PARENT_GET, 0), 0);
	assert_int_equal(h_w(h, 0), 1);
	/* 20 MHz is no longer a rate of c: back to its initial rate */
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_GET, 0), 0);
	assert_int_equal(h_w(h, 0), 10000000);
	/* the selected function followed its name (f1 is now function 0) */
	assert_int_equal(H_CMD(h, h->ivi, SCMI_PROTO_PINCTRL, SCMI_PINCTRL_SETTINGS_GET, 0,
			       SCMI_FIELD_PREP(SCMI_PINCTRL_GET_CONFIG_FLAG, SCMI_PINCTRL_GET_FUNCTION)), 0);
	assert_int_equal(h_w(h, 0), 0);
	h_teardown(h);
	free(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_validator, setup_demo, teardown),
		cmocka_unit_test_setup_teardown(test_common_messages, setup_demo, teardown),
		cmocka_unit_test_setup_teardown(test_base, setup_demo, teardown),
		cmocka_unit_test_setup_teardown(test_base_permissions, setup_demo, teardown),
		cmocka_unit_test_setup_teardown(test_power, setup_demo, teardown),
		cmocka_unit_test_setup_teardown(test_system, setup_demo, teardown),
		cmocka_unit_test_setup_teardown(test_perf, setup_demo, teardown),
		cmocka_unit_test_setup_teardown(test_perf_arbitration, setup_shared, teardown),
		cmocka_unit_test_setup_teardown(test_clock, setup_demo, teardown),
		cmocka_unit_test_setup_teardown(test_clock_ext_name, setup_shared, teardown),
		cmocka_unit_test_setup_teardown(test_sensor, setup_shared, teardown),
		cmocka_unit_test_setup_teardown(test_reset, setup_demo, teardown),
		cmocka_unit_test_setup_teardown(test_voltage, setup_demo, teardown),
		cmocka_unit_test_setup_teardown(test_voltage_async, setup_shared, teardown),
		cmocka_unit_test_setup_teardown(test_powercap, setup_demo, teardown),
		cmocka_unit_test_setup_teardown(test_pinctrl, setup_demo, teardown),
		cmocka_unit_test_setup_teardown(test_pinctrl_shared, setup_shared, teardown),
		cmocka_unit_test_setup_teardown(test_permission_matrix, setup_demo, teardown),
		cmocka_unit_test_setup_teardown(test_connections, setup_demo, teardown),
		cmocka_unit_test_setup_teardown(test_reload, setup_demo, teardown),
		cmocka_unit_test(test_reload_remap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
