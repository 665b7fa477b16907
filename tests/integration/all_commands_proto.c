// SPDX-License-Identifier: MIT
/*
 * all_commands, the full pass: every public function of the agent's
 * protocol API, protocol by protocol, as agent "alpha" of
 * tests/data/all_commands.cfg, over the real virtio-pv transport. Each
 * function checks values against the config (the names, the local ids of
 * the grant order, rates, levels, caps...), the delayed responses of every
 * async form, the notifications its own commands cause, and the error
 * statuses: DENIED on read-only resources, NOT_FOUND beyond the view,
 * OUT_OF_RANGE / INVALID_PARAMETERS / NOT_SUPPORTED on bad values.
 */
#include <stdio.h>
#include <string.h>

#include <vscmi/os.h>

#include "tests/integration/all_commands.h"

#define EV_WAIT_MS 3000

/* alpha's local ids, in the order of agent_alpha (the config's contract) */
enum { PD_A, PD_RO, PD_SHARED, PD_N };
enum { PERF_A, PERF_RO, PERF_SHARED, PERF_N };
enum { CLK_A, CLK_P1, CLK_P2, CLK_RO, CLK_SHARED, CLK_N };
enum { SENS_A, SENS_ASYNC, SENS_AXES, SENS_SHARED, SENS_N };
enum { RST_A, RST_RO, RST_SHARED, RST_N };
enum { VDD_A, VDD_RO, VDD_SHARED, VDD_N };
enum { CAP_A, CAP_RO, CAP_SHARED, CAP_N };
enum { PIN_A0, PIN_A1, PIN_RO, PIN_SHARED, PIN_N };

void ac_common(struct scmi_handle *h, uint8_t proto, uint8_t n_msg)
{
	/* the first id past the protocol's own (0x10 is NEGOTIATE in every protocol) */
	uint8_t past = n_msg == SCMI_MSG_NEGOTIATE_PROTOCOL_VERSION ? n_msg + 1 : n_msg;
	uint32_t v = 0, attrs, words[4];
	size_t got = 0;
	bool all = true;
	uint8_t m;

	AC_CMD(proto, SCMI_MSG_PROTOCOL_VERSION, 0, scmi_protocol_version(h, proto, &v),
	       "0x%02x PROTOCOL_VERSION", proto);
	AC_CMD(proto, SCMI_MSG_PROTOCOL_ATTRIBUTES, 0,
	       scmi_protocol_attributes(h, proto, words, 4, &got),
	       "0x%02x PROTOCOL_ATTRIBUTES (raw)", proto);
	ac_check(got >= 1, "0x%02x PROTOCOL_ATTRIBUTES returns %zu words", proto, got);
	ac_cover(proto, SCMI_MSG_PROTOCOL_MESSAGE_ATTRIBUTES);
	for (m = 0; m < n_msg; m++)
		all &= scmi_protocol_message_attributes(h, proto, m, &attrs) == 0;
	all &= scmi_protocol_message_attributes(h, proto, SCMI_MSG_NEGOTIATE_PROTOCOL_VERSION,
						&attrs) == 0;
	ac_check(all, "0x%02x PROTOCOL_MESSAGE_ATTRIBUTES: all %u commands implemented", proto,
		 n_msg + 1);
	ac_expect(scmi_protocol_message_attributes(h, proto, past, &attrs), -ENOENT,
		  "0x%02x PROTOCOL_MESSAGE_ATTRIBUTES of command 0x%x: NOT_FOUND", proto, past);
	AC_CMD(proto, SCMI_MSG_NEGOTIATE_PROTOCOL_VERSION, 0,
	       scmi_protocol_negotiate_version(h, proto, v),
	       "0x%02x NEGOTIATE_PROTOCOL_VERSION to the platform's own 0x%x", proto, v);
	ac_expect(scmi_protocol_negotiate_version(h, proto, v + 0x10000), -EOPNOTSUPP,
		  "0x%02x NEGOTIATE_PROTOCOL_VERSION to a newer major: NOT_SUPPORTED", proto);
	ac_expect(scmi_protocol_setup(h, proto, &words[0]), 0, "0x%02x protocol setup", proto);
	ac_check(words[0] == v, "0x%02x setup settles on version 0x%x", proto, words[0]);
	ac_check(scmi_protocol_has_message(h, proto, n_msg - 1) &&
		 !scmi_protocol_has_message(h, proto, past),
		 "0x%02x has_message knows the last command 0x%x and no further", proto, n_msg - 1);
}

/* ---- base ------------------------------------------------------------------- */

static void raw_checks(struct scmi_handle *h)
{
	uint8_t req[20], resp[64], dresp[64];
	struct scmi_raw_xfer x = { .req = req, .resp = resp, .resp_cap = sizeof(resp) };

	scmi_put_le32(req, scmi_hdr_pack(SCMI_MSG_PROTOCOL_VERSION, SCMI_MSG_TYPE_COMMAND,
					 SCMI_PROTO_BASE, 0));
	x.req_len = 4;
	ac_expect(scmi_raw_xfer(h, &x), 0, "raw: BASE PROTOCOL_VERSION answered");
	ac_check(x.resp_len == 12 && (int32_t)scmi_get_le32(resp + 4) == SCMI_SUCCESS &&
		 scmi_get_le32(resp + 8) == SCMI_BASE_VERSION_V3_2,
		 "raw: SUCCESS and version 0x%x (%zu bytes)", scmi_get_le32(resp + 8), x.resp_len);

	scmi_put_le32(req, scmi_hdr_pack(0, SCMI_MSG_TYPE_COMMAND, 0x80, 0));
	ac_expect(scmi_raw_xfer(h, &x), 0, "raw: vendor protocol 0x80 answered");
	ac_check((int32_t)scmi_get_le32(resp + 4) == SCMI_NOT_SUPPORTED,
		 "raw: vendor protocol 0x80 is NOT_SUPPORTED (status %d)",
		 (int32_t)scmi_get_le32(resp + 4));

	/* CLOCK_RATE_GET without its clock id: a bad length */
	scmi_put_le32(req, scmi_hdr_pack(SCMI_CLOCK_RATE_GET, SCMI_MSG_TYPE_COMMAND,
					 SCMI_PROTO_CLOCK, 0));
	ac_expect(scmi_raw_xfer(h, &x), 0, "raw: short CLOCK_RATE_GET answered");
	ac_check((int32_t)scmi_get_le32(resp + 4) == SCMI_PROTOCOL_ERROR,
		 "raw: short CLOCK_RATE_GET is PROTOCOL_ERROR (status %d)",
		 (int32_t)scmi_get_le32(resp + 4));

	/* an async CLOCK_RATE_SET of clk_a (flags, id, rate), with its delayed response */
	scmi_put_le32(req, scmi_hdr_pack(SCMI_CLOCK_RATE_SET, SCMI_MSG_TYPE_COMMAND,
					 SCMI_PROTO_CLOCK, 0));
	scmi_put_le32(req + 4, 1u);	/* async */
	scmi_put_le32(req + 8, CLK_A);
	scmi_put_le32(req + 12, 200000000u);
	scmi_put_le32(req + 16, 0);
	x.req_len = 20;
	x.wait_dresp = true;
	x.dresp = dresp;
	x.dresp_cap = sizeof(dresp);
	ac_expect(scmi_raw_xfer(h, &x), 0, "raw: async CLOCK_RATE_SET with delayed response");
	ac_check((int32_t)scmi_get_le32(resp + 4) == SCMI_SUCCESS && x.dresp_len >= 20 &&
		 SCMI_FIELD_GET(SCMI_HDR_TYPE_MASK, scmi_get_le32(dresp)) ==
		 SCMI_MSG_TYPE_DELAYED_RESP &&
		 scmi_get_le32(dresp + 8) == CLK_A && scmi_get_le32(dresp + 12) == 200000000u,
		 "raw: the delayed response names clock %u at %u Hz", scmi_get_le32(dresp + 8),
		 scmi_get_le32(dresp + 12));
}

void ac_full_base(struct scmi_handle *h)
{
	struct scmi_base_info bi;
	uint32_t np = 0, na = 0, impl = 0, id = 0;
	char name[SCMI_NAME_MAX];
	uint8_t protos[16];
	size_t n = 0;
	bool seq = true;

	ac_common(h, SCMI_PROTO_BASE, SCMI_BASE_MSG_COUNT);
	AC_CMD(SCMI_PROTO_BASE, 1, 0, scmi_base_protocol_attributes(h, &np, &na),
	       "BASE attributes");
	ac_check(np == 9 && na == 1, "alpha sees 9 protocols and 1 agent (itself): %u, %u", np, na);
	AC_CMD(SCMI_PROTO_BASE, SCMI_BASE_DISCOVER_VENDOR, 0, scmi_base_discover_vendor(h, name),
	       "BASE_DISCOVER_VENDOR");
	ac_check(!strcmp(name, "vscmi"), "vendor is vscmi: %s", name);
	AC_CMD(SCMI_PROTO_BASE, SCMI_BASE_DISCOVER_SUB_VENDOR, 0,
	       scmi_base_discover_sub_vendor(h, name), "BASE_DISCOVER_SUB_VENDOR");
	ac_check(!strcmp(name, "allcmds"), "sub-vendor is allcmds: %s", name);
	AC_CMD(SCMI_PROTO_BASE, SCMI_BASE_DISCOVER_IMPLEMENTATION_VERSION, 0,
	       scmi_base_discover_impl_version(h, &impl), "BASE_DISCOVER_IMPLEMENTATION_VERSION");
	ac_check(impl == 0x20260001, "implementation version 0x%x", impl);
	AC_CMD(SCMI_PROTO_BASE, SCMI_BASE_DISCOVER_LIST_PROTOCOLS, 0,
	       scmi_base_discover_list_protocols(h, protos, 16, &n), "BASE_DISCOVER_LIST_PROTOCOLS");
	for (size_t i = 0; i < n; i++)
		seq &= protos[i] == SCMI_PROTO_POWER + i;
	ac_check(n == 9 && seq, "protocols 0x11..0x19 listed (%zu)", n);
	AC_CMD(SCMI_PROTO_BASE, SCMI_BASE_DISCOVER_AGENT, 0,
	       scmi_base_discover_agent(h, SCMI_BASE_AGENT_SELF, &id, name),
	       "BASE_DISCOVER_AGENT self");
	ac_check(id == 1 && !strcmp(name, "alpha"), "self is agent 1 alpha: %u %s", id, name);
	ac_expect(scmi_base_discover_agent(h, 0, &id, name), 0, "BASE_DISCOVER_AGENT 0");
	ac_check(id == 0 && !strcmp(name, "platform"), "agent 0 is the platform: %s", name);
	ac_expect(scmi_base_discover_agent(h, 2, &id, name), -ENOENT,
		  "BASE_DISCOVER_AGENT of another agent: NOT_FOUND for an untrusted agent");
	ac_expect(scmi_base_discover_agent(h, 9, &id, name), -ENOENT,
		  "BASE_DISCOVER_AGENT of no agent: NOT_FOUND");
	AC_CMD(SCMI_PROTO_BASE, SCMI_BASE_NOTIFY_ERRORS, 0, scmi_base_notify_errors(h, true),
	       "BASE_NOTIFY_ERRORS on");
	ac_expect(scmi_base_notify_errors(h, false), 0, "BASE_NOTIFY_ERRORS off");
	AC_CMD(SCMI_PROTO_BASE, SCMI_BASE_SET_DEVICE_PERMISSIONS, -EACCES,
	       scmi_base_set_device_permissions(h, 2, 1, false),
	       "BASE_SET_DEVICE_PERMISSIONS by an untrusted agent: DENIED");
	AC_CMD(SCMI_PROTO_BASE, SCMI_BASE_SET_PROTOCOL_PERMISSIONS, -EACCES,
	       scmi_base_set_protocol_permissions(h, 2, 1, SCMI_PROTO_CLOCK, false),
	       "BASE_SET_PROTOCOL_PERMISSIONS by an untrusted agent: DENIED");
	AC_CMD(SCMI_PROTO_BASE, SCMI_BASE_RESET_AGENT_CONFIGURATION, -EACCES,
	       scmi_base_reset_agent_configuration(h, 2, true),
	       "BASE_RESET_AGENT_CONFIGURATION by an untrusted agent: DENIED");
	ac_expect(scmi_base_describe(h, &bi), 0, "base describe");
	ac_check(bi.agent_id == 1 && !strcmp(bi.agent_name, "alpha") && bi.num_protocols == 9,
		 "describe: agent %u %s, %u protocols", bi.agent_id, bi.agent_name,
		 bi.num_protocols);
	raw_checks(h);
}

/* ---- power ------------------------------------------------------------------ */

static int count_power(void *priv, const struct scmi_power_domain_info *d)
{
	(*(unsigned *)priv)++;
	return 0;
}

void ac_full_power(struct scmi_handle *h)
{
	struct scmi_power_proto_info pi;
	struct scmi_power_domain_info di;
	struct scmi_power_state_event pe;
	struct ac_event ev;
	char name[SCMI_NAME_MAX];
	uint32_t st = 1;
	unsigned n = 0;

	ac_common(h, SCMI_PROTO_POWER, SCMI_POWER_MSG_COUNT);
	AC_CMD(SCMI_PROTO_POWER, 1, 0, scmi_power_protocol_attributes(h, &pi), "POWER attributes");
	ac_check(pi.num_domains == PD_N, "alpha sees %u power domains", pi.num_domains);
	AC_CMD(SCMI_PROTO_POWER, SCMI_POWER_DOMAIN_ATTRIBUTES, 0,
	       scmi_power_domain_attributes(h, PD_A, &di), "POWER_DOMAIN_ATTRIBUTES 0");
	ac_check(!strcmp(di.name, "pd_a") && di.async && di.sync && di.notify_state,
		 "power 0 is pd_a, async, sync, notifies");
	ac_expect(scmi_power_domain_attributes(h, PD_RO, &di), 0, "POWER_DOMAIN_ATTRIBUTES 1");
	ac_check(di.ext_name && !strcmp(di.name, "pd_ro_extended_name"),
		 "power 1 has its extended name: %s", di.name);
	AC_CMD(SCMI_PROTO_POWER, SCMI_POWER_DOMAIN_NAME_GET, 0,
	       scmi_power_domain_name_get(h, PD_RO, name), "POWER_DOMAIN_NAME_GET");
	ac_check(!strcmp(name, "pd_ro_extended_name"), "extended name %s", name);
	ac_expect(scmi_power_domain_attributes(h, PD_N, &di), -ENOENT,
		  "POWER_DOMAIN_ATTRIBUTES beyond the view: NOT_FOUND");

	AC_CMD(SCMI_PROTO_POWER, SCMI_POWER_STATE_SET, 0,
	       scmi_power_state_set(h, PD_A, SCMI_POWER_STATE_ON, false), "POWER_STATE_SET on");
	AC_CMD(SCMI_PROTO_POWER, SCMI_POWER_STATE_GET, 0, scmi_power_state_get(h, PD_A, &st),
	       "POWER_STATE_GET");
	ac_check(st == SCMI_POWER_STATE_ON, "pd_a is on");
	ac_expect(scmi_power_state_set(h, PD_A, SCMI_POWER_STATE_OFF, false), 0,
		  "POWER_STATE_SET off");
	ac_expect(scmi_power_state_get(h, PD_A, &st), 0, "POWER_STATE_GET");
	ac_check(st == SCMI_POWER_STATE_OFF, "pd_a is off");

	/* async: no delayed response; the change is seen through STATE_CHANGED */
	ac_events_clear();
	AC_CMD(SCMI_PROTO_POWER, SCMI_POWER_STATE_NOTIFY, 0, scmi_power_state_notify(h, PD_A, true),
	       "POWER_STATE_NOTIFY on");
	AC_CMD(SCMI_PROTO_POWER, SCMI_POWER_STATE_CHANGE_REQUESTED_NOTIFY, 0,
	       scmi_power_state_change_requested_notify(h, PD_A, true),
	       "POWER_STATE_CHANGE_REQUESTED_NOTIFY on");
	ac_expect(scmi_power_state_set(h, PD_A, SCMI_POWER_STATE_ON, true), 0,
		  "POWER_STATE_SET on, async (5 ms)");
	ac_check(ac_event_wait(SCMI_PROTO_POWER, SCMI_POWER_EVT_STATE_CHANGE_REQUESTED, PD_A,
			       EV_WAIT_MS, &ev) &&
		 !scmi_power_parse_state_event(ev.payload, ev.len, &pe) &&
		 pe.power_state == SCMI_POWER_STATE_ON,
		 "POWER_STATE_CHANGE_REQUESTED notification for pd_a");
	ac_check(ac_event_wait(SCMI_PROTO_POWER, SCMI_POWER_EVT_STATE_CHANGED, PD_A, EV_WAIT_MS,
			       &ev) &&
		 !scmi_power_parse_state_event(ev.payload, ev.len, &pe) &&
		 pe.domain_id == PD_A && pe.power_state == SCMI_POWER_STATE_ON &&
		 pe.agent_id == 1,
		 "POWER_STATE_CHANGED notification: pd_a on, caused by alpha itself (agent 1)");
	ac_expect(scmi_power_state_get(h, PD_A, &st), 0, "POWER_STATE_GET after async");
	ac_check(st == SCMI_POWER_STATE_ON, "pd_a is on after the async set");
	ac_expect(scmi_power_state_notify(h, PD_A, false), 0, "POWER_STATE_NOTIFY off");
	ac_expect(scmi_power_state_change_requested_notify(h, PD_A, false), 0,
		  "POWER_STATE_CHANGE_REQUESTED_NOTIFY off");
	ac_expect(scmi_power_state_set(h, PD_A, SCMI_POWER_STATE_OFF, false), 0, "pd_a off");

	ac_expect(scmi_power_state_set(h, PD_RO, SCMI_POWER_STATE_OFF, false), -EACCES,
		  "POWER_STATE_SET on a read-only domain: DENIED");
	ac_expect(scmi_power_state_get(h, PD_RO, &st), 0, "POWER_STATE_GET on a read-only domain");
	ac_check(st == SCMI_POWER_STATE_ON, "read-only domain keeps its configured state (on)");
	ac_expect(scmi_power_state_set(h, PD_N, SCMI_POWER_STATE_ON, false), -ENOENT,
		  "POWER_STATE_SET beyond the view: NOT_FOUND");
	ac_expect(scmi_power_state_set(h, PD_A, 0x12345, false), -EINVAL,
		  "POWER_STATE_SET to a state that does not exist: INVALID_PARAMETERS");
	ac_expect(scmi_power_state_set(h, PD_SHARED, SCMI_POWER_STATE_ON, true), -EOPNOTSUPP,
		  "POWER_STATE_SET async on a domain without async: NOT_SUPPORTED");
	ac_expect(scmi_power_describe(h, PD_A, &di), 0, "power describe");
	ac_expect(scmi_power_for_each(h, count_power, &n), 0, "power for_each");
	ac_check(n == PD_N, "for_each visits %u domains", n);
}

/* ---- system ------------------------------------------------------------------ */

void ac_full_system(struct scmi_handle *h)
{
	struct scmi_system_info si;
	uint32_t attrs, st = 99;

	ac_common(h, SCMI_PROTO_SYSTEM, SCMI_SYSTEM_MSG_COUNT);
	AC_CMD(SCMI_PROTO_SYSTEM, 1, 0, scmi_system_protocol_attributes(h, &attrs),
	       "SYSTEM attributes");
	ac_expect(scmi_system_describe(h, &si), 0, "system describe");
	ac_check(si.warm_reset && si.suspend, "warm reset and suspend are offered");
	AC_CMD(SCMI_PROTO_SYSTEM, SCMI_SYSTEM_POWER_STATE_NOTIFY, 0,
	       scmi_system_power_state_notify(h, true), "SYSTEM_POWER_STATE_NOTIFY on");
	AC_CMD(SCMI_PROTO_SYSTEM, SCMI_SYSTEM_POWER_STATE_SET, 0,
	       scmi_system_power_state_set(h, SCMI_SYSTEM_WARM_RESET, true),
	       "SYSTEM_POWER_STATE_SET warm reset, graceful (system rw)");
	AC_CMD(SCMI_PROTO_SYSTEM, SCMI_SYSTEM_POWER_STATE_GET, 0,
	       scmi_system_power_state_get(h, &st), "SYSTEM_POWER_STATE_GET");
	ac_check(st == SCMI_SYSTEM_WARM_RESET, "system state is warm reset (%u)", st);
	ac_expect(scmi_system_power_state_set(h, SCMI_SYSTEM_VENDOR_FIRST, false), -EOPNOTSUPP,
		  "SYSTEM_POWER_STATE_SET of a vendor state: NOT_SUPPORTED");
	ac_expect(scmi_system_power_state_set(h, SCMI_SYSTEM_POWER_UP, false), -EINVAL,
		  "SYSTEM_POWER_STATE_SET POWER_UP by an agent: INVALID_PARAMETERS");
	ac_expect(scmi_system_power_state_notify(h, false), 0, "SYSTEM_POWER_STATE_NOTIFY off");
}

/* ---- perf -------------------------------------------------------------------- */

static int count_perf(void *priv, const struct scmi_perf_domain_info *d)
{
	(*(unsigned *)priv)++;
	return 0;
}

void ac_full_perf(struct scmi_handle *h)
{
	static const uint32_t lv[] = { 500000, 1000000, 1500000, 2000000 };
	struct scmi_perf_proto_info pi;
	struct scmi_perf_domain_info di;
	struct scmi_perf_level levels[8];
	struct scmi_perf_level_event le;
	struct scmi_perf_limits_event li;
	struct scmi_fastchannel fc;
	struct ac_event ev;
	char name[SCMI_NAME_MAX];
	uint32_t l = 0, mx = 0, mn = 0;
	size_t n = 0;
	unsigned cnt = 0;
	bool same = true;

	ac_common(h, SCMI_PROTO_PERF, SCMI_PERF_MSG_COUNT);
	AC_CMD(SCMI_PROTO_PERF, 1, 0, scmi_perf_protocol_attributes(h, &pi), "PERF attributes");
	ac_check(pi.num_domains == PERF_N && pi.power_mw, "%u perf domains, power in mW",
		 pi.num_domains);
	AC_CMD(SCMI_PROTO_PERF, SCMI_PERF_DOMAIN_ATTRIBUTES, 0,
	       scmi_perf_domain_attributes(h, PERF_A, &di), "PERFORMANCE_DOMAIN_ATTRIBUTES 0");
	ac_check(!strcmp(di.name, "perf_a") && di.set_level && di.set_limits &&
		 di.rate_limit_us == 1000 && di.sustained_freq_khz == 1500000,
		 "perf 0 is perf_a: settable, rate limit %u us, sustained %u kHz",
		 di.rate_limit_us, di.sustained_freq_khz);
	ac_expect(scmi_perf_domain_attributes(h, PERF_RO, &di), 0,
		  "PERFORMANCE_DOMAIN_ATTRIBUTES 1");
	ac_check(di.ext_name && !strcmp(di.name, "perf_ro_extended_name"), "extended name %s",
		 di.name);
	AC_CMD(SCMI_PROTO_PERF, SCMI_PERF_DOMAIN_NAME_GET, 0,
	       scmi_perf_domain_name_get(h, PERF_RO, name), "PERFORMANCE_DOMAIN_NAME_GET");
	ac_check(!strcmp(name, "perf_ro_extended_name"), "name %s", name);
	AC_CMD(SCMI_PROTO_PERF, SCMI_PERF_DESCRIBE_LEVELS, 0,
	       scmi_perf_describe_levels(h, PERF_A, levels, 8, &n), "PERFORMANCE_DESCRIBE_LEVELS");
	for (size_t i = 0; i < n && i < 4; i++)
		same &= levels[i].level == lv[i];
	ac_check(n == 4 && same && levels[1].power_cost == 120 && levels[3].latency_us == 200,
		 "4 levels 500000..2000000 kHz with their power and latency");
	AC_CMD(SCMI_PROTO_PERF, SCMI_PERF_LEVEL_GET, 0, scmi_perf_level_get(h, PERF_A, &l),
	       "PERFORMANCE_LEVEL_GET");
	ac_check(l == 1000000, "initial level 1000000 (got %u)", l);

	ac_events_clear();
	AC_CMD(SCMI_PROTO_PERF, SCMI_PERF_NOTIFY_LEVEL, 0, scmi_perf_notify_level(h, PERF_A, true),
	       "PERFORMANCE_NOTIFY_LEVEL on");
	AC_CMD(SCMI_PROTO_PERF, SCMI_PERF_NOTIFY_LIMITS, 0,
	       scmi_perf_notify_limits(h, PERF_A, true), "PERFORMANCE_NOTIFY_LIMITS on");
	AC_CMD(SCMI_PROTO_PERF, SCMI_PERF_LEVEL_SET, 0, scmi_perf_level_set(h, PERF_A, 1500000),
	       "PERFORMANCE_LEVEL_SET 1500000");
	ac_check(ac_event_wait(SCMI_PROTO_PERF, SCMI_PERF_EVT_LEVEL_CHANGED, PERF_A, EV_WAIT_MS,
			       &ev) &&
		 !scmi_perf_parse_level_event(ev.payload, ev.len, &le) && le.level == 1500000,
		 "PERFORMANCE_LEVEL_CHANGED notification: 1500000");
	ac_expect(scmi_perf_level_get(h, PERF_A, &l), 0, "PERFORMANCE_LEVEL_GET");
	ac_check(l == 1500000, "level read back 1500000 (got %u)", l);
	AC_CMD(SCMI_PROTO_PERF, SCMI_PERF_LIMITS_SET, 0,
	       scmi_perf_limits_set(h, PERF_A, 1500000, 500000), "PERFORMANCE_LIMITS_SET");
	ac_check(ac_event_wait(SCMI_PROTO_PERF, SCMI_PERF_EVT_LIMITS_CHANGED, PERF_A, EV_WAIT_MS,
			       &ev) &&
		 !scmi_perf_parse_limits_event(ev.payload, ev.len, &li) &&
		 li.range_max == 1500000 && li.range_min == 500000,
		 "PERFORMANCE_LIMITS_CHANGED notification: 500000..1500000");
	AC_CMD(SCMI_PROTO_PERF, SCMI_PERF_LIMITS_GET, 0, scmi_perf_limits_get(h, PERF_A, &mx, &mn),
	       "PERFORMANCE_LIMITS_GET");
	ac_check(mx == 1500000 && mn == 500000, "limits read back %u..%u", mn, mx);
	ac_expect(scmi_perf_level_set(h, PERF_A, 2000000), -ERANGE,
		  "PERFORMANCE_LEVEL_SET above the limits: OUT_OF_RANGE");
	ac_expect(scmi_perf_level_set(h, PERF_A, 12345), -ERANGE,
		  "PERFORMANCE_LEVEL_SET of no OPP: OUT_OF_RANGE");
	ac_expect(scmi_perf_limits_set(h, PERF_A, 500000, 1500000), -EINVAL,
		  "PERFORMANCE_LIMITS_SET with min > max: INVALID_PARAMETERS");
	ac_expect(scmi_perf_notify_level(h, PERF_A, false), 0, "PERFORMANCE_NOTIFY_LEVEL off");
	ac_expect(scmi_perf_notify_limits(h, PERF_A, false), 0, "PERFORMANCE_NOTIFY_LIMITS off");
	ac_expect(scmi_perf_limits_set(h, PERF_A, 2000000, 500000), 0, "limits back to full");

	AC_CMD(SCMI_PROTO_PERF, SCMI_PERF_DESCRIBE_FASTCHANNEL, -EOPNOTSUPP,
	       scmi_perf_describe_fastchannel(h, PERF_A, SCMI_PERF_LEVEL_SET, &fc),
	       "PERFORMANCE_DESCRIBE_FASTCHANNEL: NOT_SUPPORTED over virtio");
	ac_expect(scmi_perf_level_set(h, PERF_RO, 800000), -EACCES,
		  "PERFORMANCE_LEVEL_SET on a read-only domain: DENIED");
	ac_expect(scmi_perf_limits_set(h, PERF_RO, 800000, 400000), -EACCES,
		  "PERFORMANCE_LIMITS_SET on a read-only domain: DENIED");
	ac_expect(scmi_perf_level_get(h, PERF_RO, &l), 0, "read-only domain: level readable");
	ac_expect(scmi_perf_level_get(h, PERF_N, &l), -ENOENT,
		  "PERFORMANCE_LEVEL_GET beyond the view: NOT_FOUND");
	ac_expect(scmi_perf_describe(h, PERF_A, &di), 0, "perf describe");
	ac_expect(scmi_perf_for_each(h, count_perf, &cnt), 0, "perf for_each");
	ac_check(cnt == PERF_N, "for_each visits %u domains", cnt);
}

/* ---- clock ------------------------------------------------------------------- */

static int count_clock(void *priv, const struct scmi_clock_info *c)
{
	(*(unsigned *)priv)++;
	return 0;
}

void ac_full_clock(struct scmi_handle *h)
{
	struct scmi_clock_proto_info pi;
	struct scmi_clock_attrs a;
	struct scmi_clock_info ci;
	struct scmi_clock_rate_event re;
	struct ac_event ev;
	char name[SCMI_NAME_MAX];
	uint64_t rates[8], rate = 0, actual = 0;
	uint32_t parents[8], parent = 99, perms = 0, oem = 0;
	size_t n = 0;
	bool range = false, en = true;
	unsigned cnt = 0;

	ac_common(h, SCMI_PROTO_CLOCK, SCMI_CLOCK_MSG_COUNT);
	AC_CMD(SCMI_PROTO_CLOCK, 1, 0, scmi_clock_protocol_attributes(h, &pi), "CLOCK attributes");
	ac_check(pi.num_clocks == CLK_N && pi.max_async_pending > 0, "%u clocks", pi.num_clocks);
	AC_CMD(SCMI_PROTO_CLOCK, SCMI_CLOCK_ATTRIBUTES, 0, scmi_clock_attributes(h, CLK_A, &a),
	       "CLOCK_ATTRIBUTES 0");
	ac_check(!strcmp(a.name, "clk_a") && a.parents && a.notify_rate && a.get_permissions &&
		 a.enable_delay_us == 30, "clock 0 is clk_a with parents, enable delay %u us",
		 a.enable_delay_us);
	ac_expect(scmi_clock_attributes(h, CLK_RO, &a), 0, "CLOCK_ATTRIBUTES 3");
	ac_check(a.ext_name && !strcmp(a.name, "clk_ro_extended_name") && a.enabled,
		 "clock 3: extended name %s, enabled", a.name);
	AC_CMD(SCMI_PROTO_CLOCK, SCMI_CLOCK_NAME_GET, 0, scmi_clock_name_get(h, CLK_RO, name),
	       "CLOCK_NAME_GET");
	ac_check(!strcmp(name, "clk_ro_extended_name"), "name %s", name);
	AC_CMD(SCMI_PROTO_CLOCK, SCMI_CLOCK_DESCRIBE_RATES, 0,
	       scmi_clock_describe_rates(h, CLK_A, rates, 8, &n, &range),
	       "CLOCK_DESCRIBE_RATES (list)");
	ac_check(!range && n == 4 && rates[0] == 100000000 && rates[3] == 400000000,
		 "clk_a: 4 rates 100..400 MHz");
	ac_expect(scmi_clock_describe_rates(h, CLK_P1, rates, 8, &n, &range), 0,
		  "CLOCK_DESCRIBE_RATES (range)");
	ac_check(range && n == 3 && rates[0] == 100000000 && rates[1] == 1000000000 &&
		 rates[2] == 100000000, "clk_p1: range 100M-1G/100M");

	ac_events_clear();
	AC_CMD(SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_NOTIFY, 0, scmi_clock_rate_notify(h, CLK_A, true),
	       "CLOCK_RATE_NOTIFY on");
	AC_CMD(SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_CHANGE_REQUESTED_NOTIFY, 0,
	       scmi_clock_rate_change_requested_notify(h, CLK_A, true),
	       "CLOCK_RATE_CHANGE_REQUESTED_NOTIFY on");
	AC_CMD(SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_SET, 0,
	       scmi_clock_rate_set(h, CLK_A, 300000000, false), "CLOCK_RATE_SET 300 MHz");
	ac_check(ac_event_wait(SCMI_PROTO_CLOCK, SCMI_CLOCK_EVT_RATE_CHANGE_REQUESTED, CLK_A,
			       EV_WAIT_MS, &ev) &&
		 !scmi_clock_parse_rate_event(ev.payload, ev.len, &re) && re.rate == 300000000,
		 "CLOCK_RATE_CHANGE_REQUESTED notification: 300 MHz");
	ac_check(ac_event_wait(SCMI_PROTO_CLOCK, SCMI_CLOCK_EVT_RATE_CHANGED, CLK_A, EV_WAIT_MS,
			       &ev) &&
		 !scmi_clock_parse_rate_event(ev.payload, ev.len, &re) && re.clock_id == CLK_A &&
		 re.rate == 300000000, "CLOCK_RATE_CHANGED notification: clock 0 at 300 MHz");
	AC_CMD(SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_GET, 0, scmi_clock_rate_get(h, CLK_A, &rate),
	       "CLOCK_RATE_GET");
	ac_check(rate == 300000000, "rate read back 300 MHz");
	ac_expect(scmi_clock_rate_set(h, CLK_A, 400000000, true), 0,
		  "CLOCK_RATE_SET async: waits for CLOCK_RATE_SET_COMPLETE");
	ac_expect(scmi_clock_rate_get(h, CLK_A, &rate), 0, "CLOCK_RATE_GET");
	ac_check(rate == 400000000, "async rate applied: 400 MHz");
	ac_expect(scmi_clock_rate_set_ex(h, CLK_A, 250000000, SCMI_CLOCK_ROUND_UP, true, false,
					 &actual), 0, "CLOCK_RATE_SET async, round up 250 MHz");
	ac_check(actual == 300000000, "delayed response reports 300 MHz (%llu)",
		 (unsigned long long)actual);
	ac_expect(scmi_clock_rate_set_ex(h, CLK_A, 250000000, SCMI_CLOCK_ROUND_DOWN, false, false,
					 NULL), 0, "CLOCK_RATE_SET round down 250 MHz");
	ac_expect(scmi_clock_rate_get(h, CLK_A, &rate), 0, "CLOCK_RATE_GET");
	ac_check(rate == 200000000, "rounded down to 200 MHz");
	ac_expect(scmi_clock_rate_set_ex(h, CLK_A, 100000000, SCMI_CLOCK_ROUND_AUTO, true, true,
					 NULL), 0, "CLOCK_RATE_SET async, ignoring the delayed response");
	for (int i = 0; i < 100 && !scmi_clock_rate_get(h, CLK_A, &rate) && rate != 100000000; i++)
		os_sleep_ns(2 * OS_NSEC_PER_MSEC);
	ac_check(rate == 100000000, "the change is applied without a delayed response");
	ac_expect(scmi_clock_rate_notify(h, CLK_A, false), 0, "CLOCK_RATE_NOTIFY off");
	ac_expect(scmi_clock_rate_change_requested_notify(h, CLK_A, false), 0,
		  "CLOCK_RATE_CHANGE_REQUESTED_NOTIFY off");
	ac_expect(scmi_clock_rate_set(h, CLK_A, 5000000000ull, false), -ERANGE,
		  "CLOCK_RATE_SET beyond the clock's span: OUT_OF_RANGE");
	ac_expect(scmi_clock_rate_set(h, CLK_P2, 24000000, true), -EOPNOTSUPP,
		  "CLOCK_RATE_SET async on a clock without async: NOT_SUPPORTED");

	AC_CMD(SCMI_PROTO_CLOCK, SCMI_CLOCK_CONFIG_SET, 0,
	       scmi_clock_config_set(h, CLK_A, SCMI_CLOCK_ENABLE, 0, 0), "CLOCK_CONFIG_SET enable");
	AC_CMD(SCMI_PROTO_CLOCK, SCMI_CLOCK_CONFIG_GET, 0,
	       scmi_clock_config_get(h, CLK_A, 0, &en, &oem), "CLOCK_CONFIG_GET");
	ac_check(en, "clk_a enabled");
	ac_expect(scmi_clock_enable(h, CLK_A, false), 0, "clock disable");
	ac_expect(scmi_clock_config_get(h, CLK_A, 0, &en, NULL), 0, "CLOCK_CONFIG_GET");
	ac_check(!en, "clk_a disabled");
	ac_expect(scmi_clock_config_set(h, CLK_A, SCMI_CLOCK_KEEP, 5, 1), -EOPNOTSUPP,
		  "CLOCK_CONFIG_SET with an OEM configuration: NOT_SUPPORTED");
	ac_expect(scmi_clock_config_get(h, CLK_A, 5, &en, &oem), -EOPNOTSUPP,
		  "CLOCK_CONFIG_GET of an OEM configuration: NOT_SUPPORTED");

	AC_CMD(SCMI_PROTO_CLOCK, SCMI_CLOCK_POSSIBLE_PARENTS_GET, 0,
	       scmi_clock_possible_parents_get(h, CLK_A, parents, 8, &n),
	       "CLOCK_POSSIBLE_PARENTS_GET");
	ac_check(n == 2 && parents[0] == CLK_P1 && parents[1] == CLK_P2,
		 "parents of clk_a are its local clocks 1 and 2");
	AC_CMD(SCMI_PROTO_CLOCK, SCMI_CLOCK_PARENT_GET, 0, scmi_clock_parent_get(h, CLK_A, &parent),
	       "CLOCK_PARENT_GET");
	ac_check(parent == CLK_P1, "initial parent clk_p1 (%u)", parent);
	AC_CMD(SCMI_PROTO_CLOCK, SCMI_CLOCK_PARENT_SET, 0, scmi_clock_parent_set(h, CLK_A, CLK_P2),
	       "CLOCK_PARENT_SET clk_p2");
	ac_expect(scmi_clock_parent_get(h, CLK_A, &parent), 0, "CLOCK_PARENT_GET");
	ac_check(parent == CLK_P2, "parent read back clk_p2 (%u)", parent);
	ac_expect(scmi_clock_parent_set(h, CLK_A, CLK_SHARED), -EINVAL,
		  "CLOCK_PARENT_SET to a clock that is no parent: INVALID_PARAMETERS");
	ac_expect(scmi_clock_parent_get(h, CLK_SHARED, &parent), -EOPNOTSUPP,
		  "CLOCK_PARENT_GET of a clock without parents: NOT_SUPPORTED");
	AC_CMD(SCMI_PROTO_CLOCK, SCMI_CLOCK_GET_PERMISSIONS, 0,
	       scmi_clock_get_permissions(h, CLK_A, &perms), "CLOCK_GET_PERMISSIONS rw");
	ac_check(perms == (SCMI_CLOCK_PERM_STATE | SCMI_CLOCK_PERM_RATE | SCMI_CLOCK_PERM_PARENT),
		 "rw clock with parents: state, rate and parent (0x%x)", perms);
	ac_expect(scmi_clock_get_permissions(h, CLK_RO, &perms), 0, "CLOCK_GET_PERMISSIONS ro");
	ac_check(perms == 0, "read-only clock: no permission bits (0x%x)", perms);

	ac_expect(scmi_clock_rate_set(h, CLK_RO, 65536, false), -EACCES,
		  "CLOCK_RATE_SET on a read-only clock: DENIED");
	ac_expect(scmi_clock_enable(h, CLK_P1, false), -EACCES,
		  "CLOCK_CONFIG_SET on a read-only clock: DENIED");
	ac_expect(scmi_clock_rate_get(h, CLK_RO, &rate), 0, "read-only clock: rate readable");
	ac_check(rate == 32768, "read-only clock at its configured 32768 Hz");
	ac_expect(scmi_clock_rate_get(h, CLK_N, &rate), -ENOENT,
		  "CLOCK_RATE_GET beyond the view: NOT_FOUND");
	ac_expect(scmi_clock_describe(h, CLK_A, &ci), 0, "clock describe");
	ac_check(ci.nr_rates == 4 && ci.nr_parents == 2 && ci.has_permissions,
		 "describe gathers rates, parents, permissions");
	ac_expect(scmi_clock_for_each(h, count_clock, &cnt), 0, "clock for_each");
	ac_check(cnt == CLK_N, "for_each visits %u clocks", cnt);
}

/* ---- sensor ------------------------------------------------------------------- */

static int count_sensor(void *priv, const struct scmi_sensor_info *s)
{
	(*(unsigned *)priv)++;
	return 0;
}

void ac_full_sensor(struct scmi_handle *h)
{
	struct scmi_sensor_proto_info pi;
	struct scmi_sensor_attrs d[8];
	struct scmi_sensor_axis_info ax[8];
	struct scmi_sensor_intervals iv;
	struct scmi_sensor_value v[8];
	struct scmi_sensor_trip_event te;
	struct scmi_sensor_update_event ue;
	struct scmi_sensor_info si;
	struct ac_event ev;
	char name[SCMI_NAME_MAX];
	uint32_t cfg = 0;
	size_t n = 0;
	unsigned cnt = 0;

	ac_common(h, SCMI_PROTO_SENSOR, SCMI_SENSOR_MSG_COUNT);
	AC_CMD(SCMI_PROTO_SENSOR, 1, 0, scmi_sensor_protocol_attributes(h, &pi),
	       "SENSOR attributes");
	ac_check(pi.num_sensors == SENS_N, "%u sensors", pi.num_sensors);
	AC_CMD(SCMI_PROTO_SENSOR, SCMI_SENSOR_DESCRIPTION_GET, 0,
	       scmi_sensor_description_get(h, d, 8, &n), "SENSOR_DESCRIPTION_GET");
	ac_check(n == SENS_N && d[0].num_trip_points == 2 && d[0].type == 2 && d[0].scale == -3 &&
		 d[0].ext_attrs && d[0].min_range == -40000 && d[0].max_range == 125000,
		 "sens_a: celsius, 10^-3, 2 trip points, range -40000..125000");
	ac_check(n == SENS_N && d[1].async && d[1].ext_name && d[2].num_axes == 3,
		 "sensor 1 async with an extended name, sensor 2 with 3 axes");
	AC_CMD(SCMI_PROTO_SENSOR, SCMI_SENSOR_NAME_GET, 0,
	       scmi_sensor_name_get(h, SENS_ASYNC, name), "SENSOR_NAME_GET");
	ac_check(!strcmp(name, "sens_async_extended_name"), "name %s", name);
	AC_CMD(SCMI_PROTO_SENSOR, SCMI_SENSOR_READING_GET, 0,
	       scmi_sensor_reading_get(h, SENS_A, false, v, 8, &n), "SENSOR_READING_GET");
	ac_check(n == 1 && v[0].value >= 20000 && v[0].value <= 80000,
		 "sens_a reads %lld, within its ramp", (long long)v[0].value);
	ac_expect(scmi_sensor_reading_get(h, SENS_ASYNC, true, v, 8, &n), 0,
		  "SENSOR_READING_GET async: waits for SENSOR_READING_COMPLETE");
	ac_check(n == 1 && v[0].value == 1234, "delayed response carries 1234 (%lld)",
		 (long long)v[0].value);
	ac_expect(scmi_sensor_reading_get(h, SENS_A, true, v, 8, &n), -EOPNOTSUPP,
		  "SENSOR_READING_GET async on a sensor without async: NOT_SUPPORTED");
	ac_expect(scmi_sensor_reading_get(h, SENS_AXES, false, v, 8, &n), 0,
		  "SENSOR_READING_GET of a 3-axis sensor");
	ac_check(n == 3 && v[0].value == 9810, "3 readings, 9810 on x");
	AC_CMD(SCMI_PROTO_SENSOR, SCMI_SENSOR_AXIS_DESCRIPTION_GET, 0,
	       scmi_sensor_axis_description_get(h, SENS_AXES, ax, 8, &n),
	       "SENSOR_AXIS_DESCRIPTION_GET");
	ac_check(n == 3, "3 axes described");
	AC_CMD(SCMI_PROTO_SENSOR, SCMI_SENSOR_AXIS_NAME_GET, 0,
	       scmi_sensor_axis_name_get(h, SENS_AXES, ax, n), "SENSOR_AXIS_NAME_GET");
	ac_check(n == 3 && !strcmp(ax[0].name, "x") && !strcmp(ax[2].name, "z"), "axes x, y, z");
	AC_CMD(SCMI_PROTO_SENSOR, SCMI_SENSOR_LIST_UPDATE_INTERVALS, 0,
	       scmi_sensor_list_update_intervals(h, SENS_A, &iv), "SENSOR_LIST_UPDATE_INTERVALS");
	ac_check(!iv.segmented && iv.count == 3, "sens_a: 3 intervals in a list");
	ac_expect(scmi_sensor_list_update_intervals(h, SENS_AXES, &iv), 0,
		  "SENSOR_LIST_UPDATE_INTERVALS (segment)");
	ac_check(iv.segmented && iv.count == 3, "sens_axes: a low/high/step segment");
	AC_CMD(SCMI_PROTO_SENSOR, SCMI_SENSOR_CONFIG_GET, 0, scmi_sensor_config_get(h, SENS_A, &cfg),
	       "SENSOR_CONFIG_GET");
	cfg |= SCMI_SENSOR_CFG_ENABLED | SCMI_SENSOR_CFG_TSTAMP_ENABLED;
	AC_CMD(SCMI_PROTO_SENSOR, SCMI_SENSOR_CONFIG_SET, 0, scmi_sensor_config_set(h, SENS_A, cfg),
	       "SENSOR_CONFIG_SET enabled, timestamps");
	ac_expect(scmi_sensor_config_get(h, SENS_A, &cfg), 0, "SENSOR_CONFIG_GET");
	ac_check((cfg & SCMI_SENSOR_CFG_ENABLED) && (cfg & SCMI_SENSOR_CFG_TSTAMP_ENABLED),
		 "config read back (0x%x)", cfg);
	ac_expect(scmi_sensor_reading_get(h, SENS_A, false, v, 8, &n), 0, "reading with timestamp");
	ac_check(n == 1 && v[0].timestamp != 0, "the reading carries a timestamp");

	ac_events_clear();
	AC_CMD(SCMI_PROTO_SENSOR, SCMI_SENSOR_TRIP_POINT_NOTIFY, 0,
	       scmi_sensor_trip_point_notify(h, SENS_A, true), "SENSOR_TRIP_POINT_NOTIFY on");
	AC_CMD(SCMI_PROTO_SENSOR, SCMI_SENSOR_TRIP_POINT_CONFIG, 0,
	       scmi_sensor_trip_point_config(h, SENS_A, 1, SCMI_SENSOR_TRIP_BOTH, 50000),
	       "SENSOR_TRIP_POINT_CONFIG trip 1 at 50000, both ways");
	ac_check(ac_event_wait(SCMI_PROTO_SENSOR, SCMI_SENSOR_EVT_TRIP_POINT_EVENT, SENS_A, 5000,
			       &ev) &&
		 !scmi_sensor_parse_trip_event(ev.payload, ev.len, &te) && te.trip_point_id == 1,
		 "SENSOR_TRIP_POINT_EVENT for trip point 1 of the ramp");
	ac_expect(scmi_sensor_trip_point_config(h, SENS_A, 2, SCMI_SENSOR_TRIP_BOTH, 0), -EINVAL,
		  "SENSOR_TRIP_POINT_CONFIG of a third trip point: INVALID_PARAMETERS");
	ac_expect(scmi_sensor_trip_point_notify(h, SENS_A, false), 0,
		  "SENSOR_TRIP_POINT_NOTIFY off");
	AC_CMD(SCMI_PROTO_SENSOR, SCMI_SENSOR_CONTINUOUS_UPDATE_NOTIFY, 0,
	       scmi_sensor_continuous_update_notify(h, SENS_A, true),
	       "SENSOR_CONTINUOUS_UPDATE_NOTIFY on");
	ac_check(ac_event_wait(SCMI_PROTO_SENSOR, SCMI_SENSOR_EVT_UPDATE, SENS_A, 5000, &ev) &&
		 !scmi_sensor_parse_update_event(ev.payload, ev.len, &ue) && ue.nr_readings == 1,
		 "SENSOR_UPDATE notification with one reading");
	ac_expect(scmi_sensor_continuous_update_notify(h, SENS_A, false), 0,
		  "SENSOR_CONTINUOUS_UPDATE_NOTIFY off");

	/* read-only is enough for the agent's own configuration and trip points */
	ac_expect(scmi_sensor_config_set(h, SENS_SHARED, SCMI_SENSOR_CFG_ENABLED), 0,
		  "SENSOR_CONFIG_SET on a read-only sensor (per agent)");
	ac_expect(scmi_sensor_trip_point_config(h, SENS_SHARED, 0, SCMI_SENSOR_TRIP_BOTH, 1), -EINVAL,
		  "sens_shared has no trip point: INVALID_PARAMETERS");
	ac_expect(scmi_sensor_reading_get(h, SENS_SHARED, false, v, 8, &n), 0,
		  "read-only sensor readable");
	ac_check(n == 1 && v[0].value == 3300, "sens_shared reads 3300");
	ac_expect(scmi_sensor_reading_get(h, SENS_N, false, v, 8, &n), -ENOENT,
		  "SENSOR_READING_GET beyond the view: NOT_FOUND");
	ac_expect(scmi_sensor_describe(h, SENS_AXES, &si), 0, "sensor describe");
	ac_check(si.nr_axes == 3 && si.has_intervals, "describe gathers axes and intervals");
	ac_expect(scmi_sensor_for_each(h, count_sensor, &cnt), 0, "sensor for_each");
	ac_check(cnt == SENS_N, "for_each visits %u sensors", cnt);
}

/* ---- reset ------------------------------------------------------------------- */

static int count_reset(void *priv, const struct scmi_reset_domain_info *d)
{
	(*(unsigned *)priv)++;
	return 0;
}

void ac_full_reset(struct scmi_handle *h)
{
	struct scmi_reset_domain_info di;
	struct scmi_reset_event re;
	struct ac_event ev;
	char name[SCMI_NAME_MAX];
	uint32_t ver = 0, num = 0;
	unsigned cnt = 0;

	ac_common(h, SCMI_PROTO_RESET, SCMI_RESET_MSG_COUNT);
	AC_CMD(SCMI_PROTO_RESET, 1, 0, scmi_reset_protocol_attributes(h, &ver, &num),
	       "RESET attributes");
	ac_check(num == RST_N, "%u reset domains", num);
	AC_CMD(SCMI_PROTO_RESET, SCMI_RESET_DOMAIN_ATTRIBUTES, 0,
	       scmi_reset_domain_attributes(h, RST_A, &di), "RESET_DOMAIN_ATTRIBUTES 0");
	ac_check(!strcmp(di.name, "rst_a") && di.async && di.notify && di.latency_us == 10,
		 "reset 0 is rst_a, async, latency %u us", di.latency_us);
	ac_expect(scmi_reset_domain_attributes(h, RST_RO, &di), 0, "RESET_DOMAIN_ATTRIBUTES 1");
	ac_check(di.ext_name && di.latency_us == 0xffffffffu, "reset 1: extended name, latency unknown");
	AC_CMD(SCMI_PROTO_RESET, SCMI_RESET_DOMAIN_NAME_GET, 0,
	       scmi_reset_domain_name_get(h, RST_RO, name), "RESET_DOMAIN_NAME_GET");
	ac_check(!strcmp(name, "rst_ro_extended_name"), "name %s", name);

	ac_events_clear();
	AC_CMD(SCMI_PROTO_RESET, SCMI_RESET_NOTIFY, 0, scmi_reset_notify(h, RST_A, true),
	       "RESET_NOTIFY on");
	AC_CMD(SCMI_PROTO_RESET, SCMI_RESET_RESET, 0,
	       scmi_reset(h, RST_A, SCMI_RESET_MODE_AUTONOMOUS, SCMI_RESET_COLD, false),
	       "RESET autonomous");
	ac_check(ac_event_wait(SCMI_PROTO_RESET, SCMI_RESET_EVT_ISSUED, RST_A, EV_WAIT_MS, &ev) &&
		 !scmi_reset_parse_event(ev.payload, ev.len, &re) && re.domain_id == RST_A,
		 "RESET_ISSUED notification for domain 0");
	ac_expect(scmi_reset(h, RST_A, SCMI_RESET_MODE_AUTONOMOUS, SCMI_RESET_COLD, true), 0,
		  "RESET autonomous async: waits for RESET_COMPLETE");
	ac_expect(scmi_reset(h, RST_A, SCMI_RESET_MODE_ASSERT, SCMI_RESET_COLD, false), 0,
		  "RESET assert");
	ac_expect(scmi_reset(h, RST_A, SCMI_RESET_MODE_DEASSERT, SCMI_RESET_COLD, false), 0,
		  "RESET deassert");
	ac_expect(scmi_reset(h, RST_A, SCMI_RESET_MODE_ASSERT, SCMI_RESET_COLD, true), 0,
		  "RESET assert async");
	ac_expect(scmi_reset(h, RST_A, SCMI_RESET_MODE_DEASSERT, SCMI_RESET_COLD, true), 0,
		  "RESET deassert async");
	ac_expect(scmi_reset_notify(h, RST_A, false), 0, "RESET_NOTIFY off");
	ac_expect(scmi_reset(h, RST_SHARED, SCMI_RESET_MODE_AUTONOMOUS, 0, true), -EOPNOTSUPP,
		  "RESET async on a domain without async: NOT_SUPPORTED");
	ac_expect(scmi_reset(h, RST_A, SCMI_RESET_MODE_AUTONOMOUS, SCMI_RESET_VENDOR | 1, false),
		  -EOPNOTSUPP, "RESET to an implementation-defined state: NOT_SUPPORTED");
	ac_expect(scmi_reset(h, RST_A, SCMI_RESET_MODE_AUTONOMOUS, 1, false), -EINVAL,
		  "RESET to another architectural state: INVALID_PARAMETERS");
	ac_expect(scmi_reset(h, RST_RO, SCMI_RESET_MODE_AUTONOMOUS, 0, false), -EACCES,
		  "RESET of a read-only domain: DENIED");
	ac_expect(scmi_reset(h, RST_N, SCMI_RESET_MODE_AUTONOMOUS, 0, false), -ENOENT,
		  "RESET beyond the view: NOT_FOUND");
	ac_expect(scmi_reset_for_each(h, count_reset, &cnt), 0, "reset for_each");
	ac_check(cnt == RST_N, "for_each visits %u domains", cnt);
}

/* ---- voltage ----------------------------------------------------------------- */

static int count_voltage(void *priv, const struct scmi_voltage_domain_info *d)
{
	(*(unsigned *)priv)++;
	return 0;
}

void ac_full_voltage(struct scmi_handle *h)
{
	struct scmi_voltage_domain_info di;
	char name[SCMI_NAME_MAX];
	int32_t lv[8], uv = 0;
	uint32_t ver = 0, num = 0, cfg = 99;
	size_t n = 0;
	bool range = false;
	unsigned cnt = 0;

	ac_common(h, SCMI_PROTO_VOLTAGE, SCMI_VOLTAGE_MSG_COUNT);
	AC_CMD(SCMI_PROTO_VOLTAGE, 1, 0, scmi_voltage_protocol_attributes(h, &ver, &num),
	       "VOLTAGE attributes");
	ac_check(num == VDD_N, "%u voltage domains", num);
	AC_CMD(SCMI_PROTO_VOLTAGE, SCMI_VOLTAGE_DOMAIN_ATTRIBUTES, 0,
	       scmi_voltage_domain_attributes(h, VDD_A, &di), "VOLTAGE_DOMAIN_ATTRIBUTES 0");
	ac_check(!strcmp(di.name, "vdd_a") && di.async, "voltage 0 is vdd_a, async");
	ac_expect(scmi_voltage_domain_attributes(h, VDD_RO, &di), 0, "VOLTAGE_DOMAIN_ATTRIBUTES 1");
	ac_check(di.ext_name, "voltage 1 has an extended name");
	AC_CMD(SCMI_PROTO_VOLTAGE, SCMI_VOLTAGE_DOMAIN_NAME_GET, 0,
	       scmi_voltage_domain_name_get(h, VDD_RO, name), "VOLTAGE_DOMAIN_NAME_GET");
	ac_check(!strcmp(name, "vdd_ro_extended_name"), "name %s", name);
	AC_CMD(SCMI_PROTO_VOLTAGE, SCMI_VOLTAGE_DESCRIBE_LEVELS, 0,
	       scmi_voltage_describe_levels(h, VDD_A, lv, 8, &n, &range),
	       "VOLTAGE_DESCRIBE_LEVELS (range)");
	ac_check(range && n == 3 && lv[0] == 600000 && lv[1] == 1000000 && lv[2] == 10000,
		 "vdd_a: 600..1000 mV by 10 mV");
	ac_expect(scmi_voltage_describe_levels(h, VDD_RO, lv, 8, &n, &range), 0,
		  "VOLTAGE_DESCRIBE_LEVELS (list)");
	ac_check(!range && n == 2 && lv[0] == 1800000 && lv[1] == 3300000, "vdd_ro: 1.8 V, 3.3 V");
	AC_CMD(SCMI_PROTO_VOLTAGE, SCMI_VOLTAGE_LEVEL_GET, 0, scmi_voltage_level_get(h, VDD_A, &uv),
	       "VOLTAGE_LEVEL_GET");
	ac_check(uv == 800000, "initial 800 mV (%d)", uv);
	AC_CMD(SCMI_PROTO_VOLTAGE, SCMI_VOLTAGE_LEVEL_SET, 0,
	       scmi_voltage_level_set(h, VDD_A, 900000, false), "VOLTAGE_LEVEL_SET 900 mV");
	ac_expect(scmi_voltage_level_get(h, VDD_A, &uv), 0, "VOLTAGE_LEVEL_GET");
	ac_check(uv == 900000, "900 mV read back");
	ac_expect(scmi_voltage_level_set(h, VDD_A, 950000, true), 0,
		  "VOLTAGE_LEVEL_SET async: waits for VOLTAGE_LEVEL_SET_COMPLETE");
	ac_expect(scmi_voltage_level_get(h, VDD_A, &uv), 0, "VOLTAGE_LEVEL_GET");
	ac_check(uv == 950000, "async level applied: 950 mV");
	ac_expect(scmi_voltage_level_set(h, VDD_A, 5000000, false), -ERANGE,
		  "VOLTAGE_LEVEL_SET beyond the range: OUT_OF_RANGE");
	ac_expect(scmi_voltage_level_set(h, VDD_A, 905000, false), -ERANGE,
		  "VOLTAGE_LEVEL_SET between steps: OUT_OF_RANGE");
	ac_expect(scmi_voltage_level_set(h, VDD_SHARED, 900000, true), -EOPNOTSUPP,
		  "VOLTAGE_LEVEL_SET async on a domain without async: NOT_SUPPORTED");
	AC_CMD(SCMI_PROTO_VOLTAGE, SCMI_VOLTAGE_CONFIG_GET, 0,
	       scmi_voltage_config_get(h, VDD_A, &cfg), "VOLTAGE_CONFIG_GET");
	ac_check(cfg == SCMI_VOLTAGE_CFG_ON, "vdd_a on (0x%x)", cfg);
	AC_CMD(SCMI_PROTO_VOLTAGE, SCMI_VOLTAGE_CONFIG_SET, 0,
	       scmi_voltage_config_set(h, VDD_A, SCMI_VOLTAGE_CFG_OFF), "VOLTAGE_CONFIG_SET off");
	ac_expect(scmi_voltage_config_get(h, VDD_A, &cfg), 0, "VOLTAGE_CONFIG_GET");
	ac_check(cfg == SCMI_VOLTAGE_CFG_OFF, "vdd_a off (0x%x)", cfg);
	ac_expect(scmi_voltage_config_set(h, VDD_A, SCMI_VOLTAGE_CFG_ON), 0, "VOLTAGE_CONFIG_SET on");
	ac_expect(scmi_voltage_config_set(h, VDD_A, 0x9), -EOPNOTSUPP,
		  "VOLTAGE_CONFIG_SET implementation-defined mode: NOT_SUPPORTED");
	ac_expect(scmi_voltage_level_set(h, VDD_RO, 1800000, false), -EACCES,
		  "VOLTAGE_LEVEL_SET on a read-only domain: DENIED");
	ac_expect(scmi_voltage_config_set(h, VDD_RO, SCMI_VOLTAGE_CFG_OFF), -EACCES,
		  "VOLTAGE_CONFIG_SET on a read-only domain: DENIED");
	ac_expect(scmi_voltage_level_get(h, VDD_N, &uv), -ENOENT,
		  "VOLTAGE_LEVEL_GET beyond the view: NOT_FOUND");
	ac_expect(scmi_voltage_describe(h, VDD_A, &di), 0, "voltage describe");
	ac_check(di.level_uv == 950000 && di.config == SCMI_VOLTAGE_CFG_ON,
		 "describe: 950 mV, on");
	ac_expect(scmi_voltage_for_each(h, count_voltage, &cnt), 0, "voltage for_each");
	ac_check(cnt == VDD_N, "for_each visits %u domains", cnt);
}

/* ---- powercap --------------------------------------------------------------- */

static int count_powercap(void *priv, const struct scmi_powercap_domain_info *d)
{
	(*(unsigned *)priv)++;
	return 0;
}

void ac_full_powercap(struct scmi_handle *h)
{
	struct scmi_powercap_domain_info di;
	struct scmi_powercap_cap_event ce;
	struct scmi_powercap_meas_event me;
	struct scmi_fastchannel fc;
	struct ac_event ev;
	char name[SCMI_NAME_MAX];
	uint32_t ver = 0, num = 0, cap = 0, applied = 0, pai = 0, power = 0;
	unsigned cnt = 0;

	ac_common(h, SCMI_PROTO_POWERCAP, SCMI_POWERCAP_MSG_COUNT);
	AC_CMD(SCMI_PROTO_POWERCAP, 1, 0, scmi_powercap_protocol_attributes(h, &ver, &num),
	       "POWERCAP attributes");
	ac_check(num == CAP_N, "%u powercap domains", num);
	AC_CMD(SCMI_PROTO_POWERCAP, SCMI_POWERCAP_DOMAIN_ATTRIBUTES, 0,
	       scmi_powercap_domain_attributes(h, CAP_A, &di), "POWERCAP_DOMAIN_ATTRIBUTES 0");
	ac_check(!strcmp(di.name, "cap_a") && di.cap_config && di.pai_config && di.async_cap &&
		 di.unit == SCMI_POWERCAP_UNIT_MW && di.min_cap == 1000 && di.max_cap == 8000 &&
		 di.cap_step == 250 && di.sustainable_power == 5000,
		 "cap_a: mW, 1000..8000 by 250, sustainable 5000, async");
	ac_expect(scmi_powercap_domain_attributes(h, CAP_RO, &di), 0,
		  "POWERCAP_DOMAIN_ATTRIBUTES 1");
	ac_check(di.ext_name && di.unit == SCMI_POWERCAP_UNIT_UW, "powercap 1: extended name, uW");
	AC_CMD(SCMI_PROTO_POWERCAP, SCMI_POWERCAP_DOMAIN_NAME_GET, 0,
	       scmi_powercap_domain_name_get(h, CAP_RO, name), "POWERCAP_DOMAIN_NAME_GET");
	ac_check(!strcmp(name, "cap_ro_extended_name"), "name %s", name);
	AC_CMD(SCMI_PROTO_POWERCAP, SCMI_POWERCAP_CAP_GET, 0, scmi_powercap_cap_get(h, CAP_A, &cap),
	       "POWERCAP_CAP_GET");
	ac_check(cap == 6000, "initial cap 6000 mW (%u)", cap);

	ac_events_clear();
	AC_CMD(SCMI_PROTO_POWERCAP, SCMI_POWERCAP_CAP_NOTIFY, 0,
	       scmi_powercap_cap_notify(h, CAP_A, true), "POWERCAP_CAP_NOTIFY on");
	AC_CMD(SCMI_PROTO_POWERCAP, SCMI_POWERCAP_CAP_SET, 0,
	       scmi_powercap_cap_set(h, CAP_A, 5000, false, NULL), "POWERCAP_CAP_SET 5000 mW");
	ac_check(ac_event_wait(SCMI_PROTO_POWERCAP, SCMI_POWERCAP_EVT_CAP_CHANGED, CAP_A,
			       EV_WAIT_MS, &ev) &&
		 !scmi_powercap_parse_cap_event(ev.payload, ev.len, &ce) && ce.power_cap == 5000,
		 "POWERCAP_CAP_CHANGED notification: 5000 mW");
	ac_expect(scmi_powercap_cap_get(h, CAP_A, &cap), 0, "POWERCAP_CAP_GET");
	ac_check(cap == 5000, "cap read back 5000");
	ac_expect(scmi_powercap_cap_set(h, CAP_A, 4000, true, &applied), 0,
		  "POWERCAP_CAP_SET async: waits for POWERCAP_CAP_SET_COMPLETE");
	ac_check(applied == 4000, "delayed response reports 4000 (%u)", applied);
	ac_expect(scmi_powercap_cap_notify(h, CAP_A, false), 0, "POWERCAP_CAP_NOTIFY off");
	ac_expect(scmi_powercap_cap_set(h, CAP_A, 9000, false, NULL), -ERANGE,
		  "POWERCAP_CAP_SET above max: OUT_OF_RANGE");
	ac_expect(scmi_powercap_cap_set(h, CAP_A, 4100, false, NULL), -ERANGE,
		  "POWERCAP_CAP_SET between steps: OUT_OF_RANGE");
	ac_expect(scmi_powercap_cap_set(h, CAP_SHARED, 5000, true, NULL), -EOPNOTSUPP,
		  "POWERCAP_CAP_SET async on a domain without async: NOT_SUPPORTED");
	ac_expect(scmi_powercap_cap_set(h, CAP_A, 0, false, NULL), 0,
		  "POWERCAP_CAP_SET 0 withdraws the request");
	ac_expect(scmi_powercap_cap_get(h, CAP_A, &cap), 0, "POWERCAP_CAP_GET");
	ac_check(cap == 6000, "back to the configured 6000 (%u)", cap);
	AC_CMD(SCMI_PROTO_POWERCAP, SCMI_POWERCAP_PAI_GET, 0, scmi_powercap_pai_get(h, CAP_A, &pai),
	       "POWERCAP_PAI_GET");
	ac_check(pai == 10000, "initial PAI 10000 us (%u)", pai);
	AC_CMD(SCMI_PROTO_POWERCAP, SCMI_POWERCAP_PAI_SET, 0, scmi_powercap_pai_set(h, CAP_A, 20000),
	       "POWERCAP_PAI_SET 20 ms");
	ac_expect(scmi_powercap_pai_get(h, CAP_A, &pai), 0, "POWERCAP_PAI_GET");
	ac_check(pai == 20000, "PAI read back 20000");
	ac_expect(scmi_powercap_pai_set(h, CAP_A, 500000), -ERANGE,
		  "POWERCAP_PAI_SET above max: OUT_OF_RANGE");
	AC_CMD(SCMI_PROTO_POWERCAP, SCMI_POWERCAP_MEASUREMENTS_GET, 0,
	       scmi_powercap_measurements_get(h, CAP_A, &power, &pai), "POWERCAP_MEASUREMENTS_GET");
	ac_check(power >= 1500 && power <= 6000 && pai == 20000,
		 "measured %u mW within the source and the cap, over %u us", power, pai);
	ac_events_clear();
	AC_CMD(SCMI_PROTO_POWERCAP, SCMI_POWERCAP_MEASUREMENTS_NOTIFY, 0,
	       scmi_powercap_measurements_notify(h, CAP_A, true, 1, 1000),
	       "POWERCAP_MEASUREMENTS_NOTIFY on, thresholds 1..1000 mW");
	ac_check(ac_event_wait(SCMI_PROTO_POWERCAP, SCMI_POWERCAP_EVT_MEASUREMENTS_CHANGED, CAP_A,
			       5000, &ev) &&
		 !scmi_powercap_parse_meas_event(ev.payload, ev.len, &me) && me.power > 1000,
		 "POWERCAP_MEASUREMENTS_CHANGED notification above the threshold");
	ac_expect(scmi_powercap_measurements_notify(h, CAP_A, false, 0, 0), 0,
		  "POWERCAP_MEASUREMENTS_NOTIFY off");
	AC_CMD(SCMI_PROTO_POWERCAP, SCMI_POWERCAP_DESCRIBE_FASTCHANNEL, -EOPNOTSUPP,
	       scmi_powercap_describe_fastchannel(h, CAP_A, SCMI_POWERCAP_CAP_SET, &fc),
	       "POWERCAP_DESCRIBE_FASTCHANNEL: NOT_SUPPORTED over virtio");
	ac_expect(scmi_powercap_cap_set(h, CAP_RO, 1000000, false, NULL), -EACCES,
		  "POWERCAP_CAP_SET on a read-only domain: DENIED");
	ac_expect(scmi_powercap_pai_set(h, CAP_RO, 1000), -EACCES,
		  "POWERCAP_PAI_SET on a read-only domain: DENIED");
	ac_expect(scmi_powercap_cap_get(h, CAP_N, &cap), -ENOENT,
		  "POWERCAP_CAP_GET beyond the view: NOT_FOUND");
	ac_expect(scmi_powercap_describe(h, CAP_A, &di), 0, "powercap describe");
	ac_expect(scmi_powercap_for_each(h, count_powercap, &cnt), 0, "powercap for_each");
	ac_check(cnt == CAP_N, "for_each visits %u domains", cnt);
}

/* ---- pinctrl ------------------------------------------------------------------- */

static int count_pin(void *priv, const struct scmi_pinctrl_info *p)
{
	(*(unsigned *)priv)++;
	return 0;
}

void ac_full_pinctrl(struct scmi_handle *h)
{
	const struct scmi_pinctrl_setting cfg[] = {
		{ SCMI_PINCTRL_CFG_BIAS_PULL_UP, 1 },
		{ SCMI_PINCTRL_CFG_DRIVE_STRENGTH, 4 },
	};
	struct scmi_pinctrl_setting bad = { 30, 1 }, oem = { 200, 1 }, got[8];
	struct scmi_pinctrl_proto_info pi;
	struct scmi_pinctrl_attrs a;
	struct scmi_pinctrl_info info;
	char name[SCMI_NAME_MAX];
	uint32_t ids[8], fn = 0;
	size_t n = 0;
	unsigned cnt;

	ac_common(h, SCMI_PROTO_PINCTRL, SCMI_PINCTRL_MSG_COUNT);
	AC_CMD(SCMI_PROTO_PINCTRL, 1, 0, scmi_pinctrl_protocol_attributes(h, &pi),
	       "PINCTRL attributes");
	ac_check(pi.num_pins == PIN_N && pi.num_groups == 1 && pi.num_functions == 1,
		 "%u pins, %u groups, %u functions", pi.num_pins, pi.num_groups, pi.num_functions);
	AC_CMD(SCMI_PROTO_PINCTRL, SCMI_PINCTRL_ATTRIBUTES, 0,
	       scmi_pinctrl_attributes(h, SCMI_PINCTRL_PIN, PIN_A0, &a), "PINCTRL_ATTRIBUTES pin 0");
	ac_check(!strcmp(a.name, "pin_a0"), "pin 0 is pin_a0 (implied by function fn_a)");
	ac_expect(scmi_pinctrl_attributes(h, SCMI_PINCTRL_PIN, PIN_RO, &a), 0,
		  "PINCTRL_ATTRIBUTES pin 2");
	ac_check(a.ext_name && !strcmp(a.name, "pin_ro_extended_name"), "pin 2: %s", a.name);
	AC_CMD(SCMI_PROTO_PINCTRL, SCMI_PINCTRL_NAME_GET, 0,
	       scmi_pinctrl_name_get(h, SCMI_PINCTRL_PIN, PIN_RO, name), "PINCTRL_NAME_GET");
	ac_check(!strcmp(name, "pin_ro_extended_name"), "name %s", name);
	ac_expect(scmi_pinctrl_attributes(h, SCMI_PINCTRL_GROUP, 0, &a), 0,
		  "PINCTRL_ATTRIBUTES group 0");
	ac_check(!strcmp(a.name, "grp_a") && a.num_elems == 2, "group 0 is grp_a with 2 pins");
	ac_expect(scmi_pinctrl_attributes(h, SCMI_PINCTRL_FUNCTION, 0, &a), 0,
		  "PINCTRL_ATTRIBUTES function 0");
	ac_check(!strcmp(a.name, "fn_a") && a.num_elems == 1, "function 0 is fn_a with 1 group");
	AC_CMD(SCMI_PROTO_PINCTRL, SCMI_PINCTRL_LIST_ASSOCIATIONS, 0,
	       scmi_pinctrl_list_associations(h, SCMI_PINCTRL_GROUP, 0, ids, 8, &n),
	       "PINCTRL_LIST_ASSOCIATIONS of a group");
	ac_check(n == 2 && ids[0] == PIN_A0 && ids[1] == PIN_A1, "grp_a holds pins 0 and 1");
	ac_expect(scmi_pinctrl_list_associations(h, SCMI_PINCTRL_FUNCTION, 0, ids, 8, &n), 0,
		  "PINCTRL_LIST_ASSOCIATIONS of a function");
	ac_check(n == 1 && ids[0] == 0, "fn_a holds group 0");

	AC_CMD(SCMI_PROTO_PINCTRL, SCMI_PINCTRL_REQUEST, 0,
	       scmi_pinctrl_request(h, SCMI_PINCTRL_PIN, PIN_A0), "PINCTRL_REQUEST pin 0");
	AC_CMD(SCMI_PROTO_PINCTRL, SCMI_PINCTRL_SETTINGS_CONFIGURE, 0,
	       scmi_pinctrl_settings_configure(h, SCMI_PINCTRL_PIN, PIN_A0,
					       SCMI_PINCTRL_NO_FUNCTION, cfg, 2),
	       "PINCTRL_SETTINGS_CONFIGURE pull-up, drive strength 4");
	AC_CMD(SCMI_PROTO_PINCTRL, SCMI_PINCTRL_SETTINGS_GET, 0,
	       scmi_pinctrl_settings_get(h, SCMI_PINCTRL_PIN, PIN_A0, SCMI_PINCTRL_MODE_ONE,
					 SCMI_PINCTRL_CFG_DRIVE_STRENGTH, &fn, got, 8, &n),
	       "PINCTRL_SETTINGS_GET one config");
	ac_check(n == 1 && got[0].type == SCMI_PINCTRL_CFG_DRIVE_STRENGTH && got[0].value == 4,
		 "drive strength read back 4");
	ac_expect(scmi_pinctrl_settings_get(h, SCMI_PINCTRL_PIN, PIN_A0, SCMI_PINCTRL_MODE_ALL, 0,
					    &fn, got, 8, &n), 0, "PINCTRL_SETTINGS_GET all configs");
	ac_check(n >= 2, "%zu configs listed", n);
	ac_expect(scmi_pinctrl_settings_configure(h, SCMI_PINCTRL_GROUP, 0, 0, NULL, 0), 0,
		  "PINCTRL_SETTINGS_CONFIGURE group 0 to function 0");
	ac_expect(scmi_pinctrl_settings_get(h, SCMI_PINCTRL_GROUP, 0, SCMI_PINCTRL_MODE_FUNCTION, 0,
					    &fn, got, 8, &n), 0, "PINCTRL_SETTINGS_GET function");
	ac_check(fn == 0, "group 0 runs function 0 (%u)", fn);
	ac_expect(scmi_pinctrl_settings_configure(h, SCMI_PINCTRL_PIN, PIN_A0,
						  SCMI_PINCTRL_NO_FUNCTION, &bad, 1), -EINVAL,
		  "PINCTRL_SETTINGS_CONFIGURE of a reserved type: INVALID_PARAMETERS");
	ac_expect(scmi_pinctrl_settings_configure(h, SCMI_PINCTRL_PIN, PIN_A0,
						  SCMI_PINCTRL_NO_FUNCTION, &oem, 1), -EOPNOTSUPP,
		  "PINCTRL_SETTINGS_CONFIGURE of an OEM type: NOT_SUPPORTED");
	AC_CMD(SCMI_PROTO_PINCTRL, SCMI_PINCTRL_RELEASE, 0,
	       scmi_pinctrl_release(h, SCMI_PINCTRL_PIN, PIN_A0), "PINCTRL_RELEASE pin 0");
	ac_expect(scmi_pinctrl_request(h, SCMI_PINCTRL_PIN, PIN_RO), -EACCES,
		  "PINCTRL_REQUEST of a read-only pin: DENIED");
	ac_expect(scmi_pinctrl_settings_configure(h, SCMI_PINCTRL_PIN, PIN_RO,
						  SCMI_PINCTRL_NO_FUNCTION, cfg, 1), -EACCES,
		  "PINCTRL_SETTINGS_CONFIGURE of a read-only pin: DENIED");
	ac_expect(scmi_pinctrl_attributes(h, SCMI_PINCTRL_PIN, PIN_N, &a), -ENOENT,
		  "PINCTRL_ATTRIBUTES beyond the view: NOT_FOUND");
	AC_CMD(SCMI_PROTO_PINCTRL, SCMI_PINCTRL_SET_PERMISSIONS, -EACCES,
	       scmi_pinctrl_set_permissions(h, 2, SCMI_PINCTRL_PIN, PIN_SHARED, false),
	       "PINCTRL_SET_PERMISSIONS by an untrusted agent: DENIED");
	ac_expect(scmi_pinctrl_describe(h, SCMI_PINCTRL_GROUP, 0, &info), 0, "pinctrl describe");
	ac_check(info.nr_assoc == 2, "describe gathers the group's pins");
	cnt = 0;
	ac_expect(scmi_pinctrl_for_each(h, SCMI_PINCTRL_PIN, count_pin, &cnt), 0,
		  "pinctrl for_each pins");
	ac_check(cnt == PIN_N, "for_each visits %u pins", cnt);
}
