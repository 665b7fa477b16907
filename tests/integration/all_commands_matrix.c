// SPDX-License-Identifier: MIT
/*
 * all_commands, the permission matrix between guests: the roles of
 * tests/integration/all_commands.sh that need two or three guests at once
 * (notifications another guest causes, arbitration of shared resources,
 * requests that outlive a guest's device or die with its domain, the
 * trusted agent's permission commands), as docs/config.md specifies them.
 * Every role finds the shared resources by name: the same resource has
 * different local ids in each guest.
 */
#include <stdio.h>
#include <string.h>

#include <vscmi/os.h>

#include "tests/integration/all_commands.h"

#define AC_EVENT_WAIT_MS 10000
#define FIND(kind, name) ac_find(h, (kind), (name))

/* ---- roles watch and trigger: notifications across guests -------------------------- */

struct ac_watch {
	enum ac_kind kind;
	const char *name;
	uint8_t proto, evt;
	int (*subscribe)(struct scmi_handle *h, uint32_t id, bool on);
	const char *what;
};

static int ac_sub_sys(struct scmi_handle *h, uint32_t id, bool on)
{
	return scmi_system_power_state_notify(h, on);
}

static const struct ac_watch ac_watches[] = {
	{ AC_CLOCK, "clk_shared", SCMI_PROTO_CLOCK, SCMI_CLOCK_EVT_RATE_CHANGED,
	  scmi_clock_rate_notify, "CLOCK_RATE_CHANGED" },
	{ AC_CLOCK, "clk_shared", SCMI_PROTO_CLOCK, SCMI_CLOCK_EVT_RATE_CHANGE_REQUESTED,
	  scmi_clock_rate_change_requested_notify, "CLOCK_RATE_CHANGE_REQUESTED" },
	{ AC_POWER, "pd_shared", SCMI_PROTO_POWER, SCMI_POWER_EVT_STATE_CHANGED,
	  scmi_power_state_notify, "POWER_STATE_CHANGED" },
	{ AC_POWER, "pd_shared", SCMI_PROTO_POWER, SCMI_POWER_EVT_STATE_CHANGE_REQUESTED,
	  scmi_power_state_change_requested_notify, "POWER_STATE_CHANGE_REQUESTED" },
	{ AC_PERF, "perf_shared", SCMI_PROTO_PERF, SCMI_PERF_EVT_LEVEL_CHANGED,
	  scmi_perf_notify_level, "PERFORMANCE_LEVEL_CHANGED" },
	{ AC_PERF, "perf_shared", SCMI_PROTO_PERF, SCMI_PERF_EVT_LIMITS_CHANGED,
	  scmi_perf_notify_limits, "PERFORMANCE_LIMITS_CHANGED" },
	{ AC_RESET, "rst_shared", SCMI_PROTO_RESET, SCMI_RESET_EVT_ISSUED,
	  scmi_reset_notify, "RESET_ISSUED" },
	{ AC_POWERCAP, "cap_shared", SCMI_PROTO_POWERCAP, SCMI_POWERCAP_EVT_CAP_CHANGED,
	  scmi_powercap_cap_notify, "POWERCAP_CAP_CHANGED" },
	{ AC_KIND_COUNT, "system", SCMI_PROTO_SYSTEM, SCMI_SYSTEM_EVT_POWER_STATE_NOTIFIER,
	  ac_sub_sys, "SYSTEM_POWER_STATE_NOTIFIER" },
};

void ac_role_watch(struct scmi_handle *h, const char *ready)
{
	bool trusted = !strcmp(ac_self, "ctl");
	int ids[OS_ARRAY_SIZE(ac_watches)];
	struct ac_event ev;

	ac_expect(ac_events_register(h), 0, "%s: callbacks registered", ac_self);
	for (size_t i = 0; i < OS_ARRAY_SIZE(ac_watches); i++) {
		const struct ac_watch *w = &ac_watches[i];

		ids[i] = w->kind == AC_KIND_COUNT ? 0 : ac_find(h, w->kind, w->name);
		if (ids[i] < 0)
			continue;
		ac_expect(w->subscribe(h, (uint32_t)ids[i], true), 0, "%s: subscribe to %s of %s",
			  ac_self, w->what, w->name);
	}
	ac_expect(ac_touch(ready), 0, "%s: ready", ac_self);
	for (size_t i = 0; i < OS_ARRAY_SIZE(ac_watches); i++) {
		const struct ac_watch *w = &ac_watches[i];
		bool got;

		if (ids[i] < 0)
			continue;
		got = ac_event_wait(w->proto, w->evt, w->kind == AC_KIND_COUNT ? -1 : ids[i],
				    AC_EVENT_WAIT_MS, &ev);
		ac_check(got, "%s: %s of %s (its local id %d) caused by alpha arrived", ac_self,
			 w->what, w->name, ids[i]);
		if (got)
			ac_check(scmi_get_le32(ev.payload) == (trusted ? 1u : 0u),
				 "%s: the notification names agent %u (%s)", ac_self,
				 scmi_get_le32(ev.payload),
				 trusted ? "the trusted agent learns the cause" :
				 "platform: an untrusted agent is not told who");
	}
	for (size_t i = 0; i < OS_ARRAY_SIZE(ac_watches); i++)
		if (ids[i] >= 0)
			ac_watches[i].subscribe(h, (uint32_t)ids[i], false);
	ac_events_unregister(h);
}

void ac_role_trigger(struct scmi_handle *h)
{
	int clk = FIND(AC_CLOCK, "clk_shared"), pd = FIND(AC_POWER, "pd_shared");
	int perf = FIND(AC_PERF, "perf_shared"), rst = FIND(AC_RESET, "rst_shared");
	int cap = FIND(AC_POWERCAP, "cap_shared");

	ac_check(clk == 4 && pd == 2 && perf == 2 && rst == 2 && cap == 2,
		 "alpha: shared resources at alpha's own ids (clock 4, others 2)");
	ac_expect(scmi_clock_rate_set(h, (uint32_t)clk, 150000000, false), 0,
		  "alpha: clk_shared to 150 MHz");
	ac_expect(scmi_power_state_set(h, (uint32_t)pd, SCMI_POWER_STATE_ON, false), 0,
		  "alpha: pd_shared on");
	ac_expect(scmi_perf_limits_set(h, (uint32_t)perf, 1500000, 1000000), 0,
		  "alpha: perf_shared limits 1000000..1500000");
	ac_expect(scmi_perf_level_set(h, (uint32_t)perf, 1500000), 0,
		  "alpha: perf_shared level 1500000");
	ac_expect(scmi_reset(h, (uint32_t)rst, SCMI_RESET_MODE_AUTONOMOUS, 0, false), 0,
		  "alpha: rst_shared reset");
	ac_expect(scmi_powercap_cap_set(h, (uint32_t)cap, 4000, false, NULL), 0,
		  "alpha: cap_shared 4000 mW");
	ac_expect(scmi_system_power_state_set(h, SCMI_SYSTEM_SUSPEND, true), 0,
		  "alpha: system suspend, graceful");
}

/* ---- roles hold, arb, after: arbitration of shared resources ------------------------ */

struct ac_shared {
	int clk, pd, perf, cap, pin, vdd, rst;
};

static bool ac_shared_find(struct scmi_handle *h, struct ac_shared *s)
{
	s->clk = FIND(AC_CLOCK, "clk_shared");
	s->pd = FIND(AC_POWER, "pd_shared");
	s->perf = FIND(AC_PERF, "perf_shared");
	s->cap = FIND(AC_POWERCAP, "cap_shared");
	s->pin = FIND(AC_PIN, "pin_shared");
	s->vdd = FIND(AC_VOLTAGE, "vdd_shared");
	s->rst = FIND(AC_RESET, "rst_shared");
	return ac_check(s->clk >= 0 && s->pd >= 0 && s->perf >= 0 && s->cap >= 0 && s->pin >= 0 &&
			s->vdd >= 0 && s->rst >= 0, "%s: every shared resource found by name",
			ac_self);
}

void ac_role_hold(struct scmi_handle *h, const char *ready, const char *until)
{
	struct ac_shared s;

	if (!ac_shared_find(h, &s))
		return;
	ac_expect(scmi_clock_enable(h, s.clk, true), 0, "holder: clk_shared enabled");
	ac_expect(scmi_clock_rate_set(h, s.clk, 150000000, false), 0, "holder: clk_shared 150 MHz");
	ac_expect(scmi_power_state_set(h, s.pd, SCMI_POWER_STATE_ON, false), 0, "holder: pd_shared on");
	ac_expect(scmi_perf_level_set(h, s.perf, 1000000), 0, "holder: perf_shared 1000000");
	ac_expect(scmi_powercap_cap_set(h, s.cap, 5000, false, NULL), 0, "holder: cap_shared 5000");
	ac_expect(scmi_pinctrl_request(h, SCMI_PINCTRL_PIN, s.pin), 0, "holder: pin_shared owned");
	ac_expect(scmi_voltage_config_set(h, s.vdd, SCMI_VOLTAGE_CFG_ON), 0, "holder: vdd_shared on");
	ac_expect(scmi_reset(h, s.rst, SCMI_RESET_MODE_ASSERT, 0, false), 0,
		  "holder: rst_shared asserted");
	ac_expect(ac_touch(ready), 0, "holder: ready");
	ac_check(ac_wait_file(until, 120), "holder: released by the script");
}

void ac_role_arb(struct scmi_handle *h)
{
	const char *me = ac_self;
	struct ac_shared s;
	uint32_t st = 0, l = 0, cap = 0, cfg = 0;
	uint64_t rate = 0;
	bool en = false;

	if (!ac_shared_find(h, &s))
		return;
	/* clock enable: reference counted */
	ac_expect(scmi_clock_config_get(h, s.clk, 0, &en, NULL), 0, "%s: clk_shared state", me);
	ac_check(en, "%s: clk_shared is enabled by the holder", me);
	ac_expect(scmi_clock_enable(h, s.clk, false), 0, "%s: asks clk_shared off", me);
	ac_expect(scmi_clock_config_get(h, s.clk, 0, &en, NULL), 0, "%s: clk_shared state", me);
	ac_check(en, "%s: clk_shared stays enabled while the holder wants it (refcount)", me);
	/* clock rate: last writer wins */
	ac_expect(scmi_clock_rate_get(h, s.clk, &rate), 0, "%s: clk_shared rate", me);
	ac_check(rate == 150000000, "%s: the holder's 150 MHz", me);
	ac_expect(scmi_clock_rate_set(h, s.clk, 50000000, false), 0, "%s: clk_shared 50 MHz", me);
	ac_expect(scmi_clock_rate_get(h, s.clk, &rate), 0, "%s: clk_shared rate", me);
	ac_check(rate == 50000000, "%s: last writer wins (50 MHz)", me);
	/* power: reference counted */
	ac_expect(scmi_power_state_set(h, s.pd, SCMI_POWER_STATE_OFF, false), 0,
		  "%s: asks pd_shared off", me);
	ac_expect(scmi_power_state_get(h, s.pd, &st), 0, "%s: pd_shared state", me);
	ac_check(st == SCMI_POWER_STATE_ON, "%s: pd_shared stays on (refcount)", me);
	/* perf: highest request wins */
	ac_expect(scmi_perf_level_set(h, s.perf, 500000), 0, "%s: perf_shared 500000", me);
	ac_expect(scmi_perf_level_get(h, s.perf, &l), 0, "%s: perf_shared level", me);
	ac_check(l == 1000000, "%s: the holder's higher 1000000 wins (%u)", me, l);
	ac_expect(scmi_perf_level_set(h, s.perf, 1500000), 0, "%s: perf_shared 1500000", me);
	ac_expect(scmi_perf_level_get(h, s.perf, &l), 0, "%s: perf_shared level", me);
	ac_check(l == 1500000, "%s: its own higher 1500000 wins (%u)", me, l);
	ac_expect(scmi_perf_level_set(h, s.perf, 500000), 0, "%s: perf_shared back to 500000", me);
	/* power cap: lowest wins */
	ac_expect(scmi_powercap_cap_set(h, s.cap, 8000, false, NULL), 0, "%s: cap_shared 8000", me);
	ac_expect(scmi_powercap_cap_get(h, s.cap, &cap), 0, "%s: cap_shared", me);
	ac_check(cap == 5000, "%s: the holder's lower 5000 wins (%u)", me, cap);
	ac_expect(scmi_powercap_cap_set(h, s.cap, 3000, false, NULL), 0, "%s: cap_shared 3000", me);
	ac_expect(scmi_powercap_cap_get(h, s.cap, &cap), 0, "%s: cap_shared", me);
	ac_check(cap == 3000, "%s: its own lower 3000 wins (%u)", me, cap);
	ac_expect(scmi_powercap_cap_set(h, s.cap, 0, false, NULL), 0, "%s: withdraws its cap", me);
	ac_expect(scmi_powercap_cap_get(h, s.cap, &cap), 0, "%s: cap_shared", me);
	ac_check(cap == 5000, "%s: the holder's 5000 again (%u)", me, cap);
	/* voltage on/off: reference counted */
	ac_expect(scmi_voltage_config_set(h, s.vdd, SCMI_VOLTAGE_CFG_OFF), 0,
		  "%s: asks vdd_shared off", me);
	ac_expect(scmi_voltage_config_get(h, s.vdd, &cfg), 0, "%s: vdd_shared", me);
	ac_check(cfg == SCMI_VOLTAGE_CFG_ON, "%s: vdd_shared stays on (refcount)", me);
	/* pins: owned by the holder's connection */
	ac_expect(scmi_pinctrl_request(h, SCMI_PINCTRL_PIN, s.pin), -EADDRINUSE,
		  "%s: PINCTRL_REQUEST of the held pin: IN_USE", me);
	{
		const struct scmi_pinctrl_setting c = { SCMI_PINCTRL_CFG_BIAS_PULL_DOWN, 1 };

		ac_expect(scmi_pinctrl_settings_configure(h, SCMI_PINCTRL_PIN, s.pin,
							  SCMI_PINCTRL_NO_FUNCTION, &c, 1), -EACCES,
			  "%s: SETTINGS_CONFIGURE of the held pin: DENIED", me);
	}
	/* reset: asserted while any connection holds it; an autonomous reset still pulses */
	ac_expect(scmi_reset(h, s.rst, SCMI_RESET_MODE_DEASSERT, 0, false), 0,
		  "%s: deasserts rst_shared (the holder still holds it)", me);
}

/*
 * Role after (and released): every request withdrawn, so each shared
 * resource is back to its configured state; a clock rate stays at the last
 * writer's @rate. With @wait, the withdrawal comes from the daemon seeing a
 * domain destroyed (@releaseDomain, a xenstore watch): give it 5 s.
 */
void ac_role_after(struct scmi_handle *h, uint64_t last_rate, bool wait)
{
	const char *me = ac_self;
	struct ac_shared s;
	uint32_t st = 0, l = 0, cap = 0, cfg = 99;
	uint64_t rate = 0;
	bool en = true;
	int ret = -1;

	if (!ac_shared_find(h, &s))
		return;
	for (int i = 0; i < (wait ? 50 : 1) && ret; i++) {
		ret = scmi_pinctrl_request(h, SCMI_PINCTRL_PIN, s.pin);
		if (ret)
			os_sleep_ns(100 * OS_NSEC_PER_MSEC);
	}
	ac_expect(ret, 0, "%s: pin_shared free again: its owner's requests were withdrawn", me);
	ac_expect(scmi_pinctrl_release(h, SCMI_PINCTRL_PIN, s.pin), 0, "%s: release it", me);
	ac_expect(scmi_clock_config_get(h, s.clk, 0, &en, NULL), 0, "%s: clk_shared state", me);
	ac_check(!en, "%s: with no vote left clk_shared is back to its configured off", me);
	ac_expect(scmi_clock_rate_get(h, s.clk, &rate), 0, "%s: clk_shared rate", me);
	ac_check(rate == last_rate, "%s: the last writer's rate stays (%llu Hz)", me,
		 (unsigned long long)last_rate);
	ac_expect(scmi_power_state_get(h, s.pd, &st), 0, "%s: pd_shared", me);
	ac_check(st == SCMI_POWER_STATE_OFF, "%s: pd_shared back to its configured off", me);
	ac_expect(scmi_perf_level_get(h, s.perf, &l), 0, "%s: perf_shared", me);
	ac_check(l == 500000, "%s: perf_shared back to its configured 500000 (%u)", me, l);
	ac_expect(scmi_powercap_cap_get(h, s.cap, &cap), 0, "%s: cap_shared", me);
	ac_check(cap == 10000, "%s: cap_shared back to its configured 10000 (%u)", me, cap);
	ac_expect(scmi_voltage_config_get(h, s.vdd, &cfg), 0, "%s: vdd_shared", me);
	ac_check(cfg == SCMI_VOLTAGE_CFG_OFF, "%s: vdd_shared back to its configured off", me);
}

enum { AGENT_ALPHA = 1, AGENT_BETA = 2, AGENT_CTL = 3, DEV_A = 0, DEV_SHARED = 1 };

/*
 * Role kept (beta): the holder's process exited, but that was alpha's last
 * device: its requests stay in force (docs/config.md) until the domain is
 * gone or the trusted agent resets its configuration.
 */
void ac_role_kept(struct scmi_handle *h)
{
	const char *me = ac_self;
	struct ac_shared s;
	uint32_t st = 0, l = 0, cap = 0, cfg = 0;
	bool en = false;

	if (!ac_shared_find(h, &s))
		return;
	ac_expect(scmi_clock_config_get(h, s.clk, 0, &en, NULL), 0, "%s: clk_shared state", me);
	ac_check(en, "%s: alpha's enable outlives its last device (beta asked off)", me);
	ac_expect(scmi_power_state_get(h, s.pd, &st), 0, "%s: pd_shared", me);
	ac_check(st == SCMI_POWER_STATE_ON, "%s: alpha's power-on vote stays in force", me);
	ac_expect(scmi_perf_level_get(h, s.perf, &l), 0, "%s: perf_shared", me);
	ac_check(l == 1000000, "%s: alpha's 1000000 still wins over beta's 500000 (%u)", me, l);
	ac_expect(scmi_powercap_cap_get(h, s.cap, &cap), 0, "%s: cap_shared", me);
	ac_check(cap == 5000, "%s: alpha's cap 5000 stays (%u)", me, cap);
	ac_expect(scmi_voltage_config_get(h, s.vdd, &cfg), 0, "%s: vdd_shared", me);
	ac_check(cfg == SCMI_VOLTAGE_CFG_ON, "%s: alpha's voltage-on vote stays", me);
	ac_expect(scmi_pinctrl_request(h, SCMI_PINCTRL_PIN, s.pin), -EADDRINUSE,
		  "%s: pin_shared still owned by alpha: IN_USE", me);
}

/* Role reowned (alpha, a new process): the next device of the domain gets its requests back. */
void ac_role_reowned(struct scmi_handle *h)
{
	const struct scmi_pinctrl_setting c = { SCMI_PINCTRL_CFG_BIAS_PULL_DOWN, 1 };
	const char *me = ac_self;
	struct ac_shared s;
	bool en = true;

	if (!ac_shared_find(h, &s))
		return;
	ac_expect(scmi_pinctrl_settings_configure(h, SCMI_PINCTRL_PIN, s.pin,
						  SCMI_PINCTRL_NO_FUNCTION, &c, 1), 0,
		  "%s: the new device owns pin_shared again (configure allowed)", me);
	ac_expect(scmi_pinctrl_release(h, SCMI_PINCTRL_PIN, s.pin), 0, "%s: releases it", me);
	ac_expect(scmi_clock_enable(h, s.clk, false), 0, "%s: withdraws its clock enable", me);
	ac_expect(scmi_clock_config_get(h, s.clk, 0, &en, NULL), 0, "%s: clk_shared state", me);
	ac_check(!en, "%s: with both agents asking off, clk_shared is off", me);
}

/* Role forget (ctl): BASE_RESET_AGENT_CONFIGURATION of alpha and beta (requests only). */
void ac_role_forget(struct scmi_handle *h)
{
	ac_expect(scmi_base_reset_agent_configuration(h, AGENT_ALPHA, false), 0,
		  "ctl: withdraw every request of alpha");
	ac_expect(scmi_base_reset_agent_configuration(h, AGENT_BETA, false), 0,
		  "ctl: withdraw every request of beta");
}

/* ---- roles revoke, restore (ctl), revoked, restored (alpha, beta) ------------------- */

void ac_role_revoke(struct scmi_handle *h)
{
	uint32_t np = 0, na = 0, id = 0;
	char name[SCMI_NAME_MAX];
	int pin = FIND(AC_PIN, "pin_shared");

	ac_expect(scmi_base_protocol_attributes(h, &np, &na), 0, "ctl: BASE attributes");
	ac_check(na == 3 && np == 2, "ctl (trusted) sees all 3 agents, and its 2 protocols");
	ac_expect(scmi_base_discover_agent(h, AGENT_ALPHA, &id, name), 0, "ctl: discover agent 1");
	ac_check(!strcmp(name, "alpha"), "ctl: agent 1 is alpha");
	ac_expect(scmi_base_discover_agent(h, AGENT_BETA, &id, name), 0, "ctl: discover agent 2");
	ac_check(!strcmp(name, "beta"), "ctl: agent 2 is beta");
	ac_check(pin == 0, "ctl: pin_shared is ctl's pin 0");

	AC_CMD(SCMI_PROTO_BASE, SCMI_BASE_SET_DEVICE_PERMISSIONS, 0,
	       scmi_base_set_device_permissions(h, AGENT_ALPHA, DEV_A, false),
	       "ctl: deny alpha device dev_a");
	AC_CMD(SCMI_PROTO_BASE, SCMI_BASE_SET_PROTOCOL_PERMISSIONS, 0,
	       scmi_base_set_protocol_permissions(h, AGENT_BETA, DEV_SHARED, SCMI_PROTO_CLOCK, false),
	       "ctl: deny beta the clock protocol on dev_shared");
	AC_CMD(SCMI_PROTO_PINCTRL, SCMI_PINCTRL_SET_PERMISSIONS, 0,
	       scmi_pinctrl_set_permissions(h, AGENT_ALPHA, SCMI_PINCTRL_PIN, (uint32_t)pin, false),
	       "ctl: deny alpha pin_shared (by ctl's own pin id)");
	ac_expect(scmi_base_set_device_permissions(h, 9, DEV_A, false), -ENOENT,
		  "ctl: SET_DEVICE_PERMISSIONS of no agent: NOT_FOUND");
	ac_expect(scmi_base_set_device_permissions(h, AGENT_ALPHA, 7, false), -ENOENT,
		  "ctl: SET_DEVICE_PERMISSIONS of no device: NOT_FOUND");
	ac_expect(scmi_base_set_protocol_permissions(h, AGENT_BETA, DEV_SHARED, SCMI_PROTO_BASE,
						     false), -EINVAL,
		  "ctl: SET_PROTOCOL_PERMISSIONS of the base protocol: INVALID_PARAMETERS");
	ac_expect(scmi_base_set_protocol_permissions(h, AGENT_BETA, DEV_SHARED, 0x80, false),
		  -EOPNOTSUPP, "ctl: SET_PROTOCOL_PERMISSIONS of a vendor protocol: NOT_SUPPORTED");
	ac_expect(scmi_base_reset_agent_configuration(h, 9, false), -ENOENT,
		  "ctl: RESET_AGENT_CONFIGURATION of no agent: NOT_FOUND");
	ac_expect(scmi_pinctrl_set_permissions(h, 9, SCMI_PINCTRL_PIN, (uint32_t)pin, false),
		  -ENOENT, "ctl: PINCTRL_SET_PERMISSIONS of no agent: NOT_FOUND");
	ac_expect(scmi_pinctrl_set_permissions(h, AGENT_ALPHA, SCMI_PINCTRL_PIN, 5, false), -ENOENT,
		  "ctl: PINCTRL_SET_PERMISSIONS beyond ctl's own pins: NOT_FOUND");
	ac_expect(scmi_pinctrl_set_permissions(h, AGENT_CTL, SCMI_PINCTRL_GROUP, 0, false), -ENOENT,
		  "ctl: PINCTRL_SET_PERMISSIONS of a group ctl does not have: NOT_FOUND");
}

void ac_role_revoked(struct scmi_handle *h, bool revoked)
{
	const char *me = ac_self;
	const char *how = revoked ? "revoked: DENIED" : "restored";
	int want = revoked ? -EACCES : 0;
	uint64_t rate = 0;
	uint32_t st = 0;

	if (!strcmp(me, "alpha")) {
		int clk = FIND(AC_CLOCK, "clk_a"), pin = 3;

		/* a revoked resource keeps its id, so look it up by its known id */
		ac_expect(scmi_clock_rate_set(h, 0, 200000000, false), want, "alpha: clk_a rate %s",
			  how);
		ac_expect(scmi_clock_rate_get(h, 0, &rate), want, "alpha: clk_a even read %s", how);
		ac_expect(scmi_power_state_set(h, 0, SCMI_POWER_STATE_OFF, false), want,
			  "alpha: pd_a %s", how);
		ac_expect(scmi_voltage_level_set(h, 0, 800000, false), want, "alpha: vdd_a %s", how);
		ac_expect(scmi_reset(h, 0, SCMI_RESET_MODE_AUTONOMOUS, 0, false), want,
			  "alpha: rst_a %s", how);
		ac_expect(scmi_pinctrl_request(h, SCMI_PINCTRL_PIN, pin), want,
			  "alpha: pin_shared request %s", how);
		if (!revoked)
			ac_expect(scmi_pinctrl_release(h, SCMI_PINCTRL_PIN, pin), 0,
				  "alpha: pin_shared release");
		ac_check(revoked ? clk < 0 : clk == 0,
			 "alpha: clk_a %s by name (its attributes are %s)",
			 revoked ? "not found" : "found again", revoked ? "denied" : "back");
		ac_expect(scmi_clock_rate_set(h, 4, 100000000, false), 0,
			  "alpha: clk_shared (another device) unaffected");
		ac_expect(scmi_perf_level_get(h, 0, &st), 0, "alpha: perf_a (no device) unaffected");
	} else {
		ac_expect(scmi_clock_rate_set(h, 0, 100000000, false), want,
			  "beta: clk_shared (clock protocol of dev_shared) %s", how);
		ac_expect(scmi_power_state_get(h, 0, &st), 0,
			  "beta: pd_shared (power protocol of the same device) unaffected");
		ac_expect(scmi_clock_rate_set(h, 1, 10000000, false), 0,
			  "beta: clk_beta (no device) unaffected");
	}
}

void ac_role_restore(struct scmi_handle *h)
{
	ac_expect(scmi_base_set_device_permissions(h, AGENT_ALPHA, DEV_A, true), 0,
		  "ctl: allow alpha device dev_a again");
	ac_expect(scmi_pinctrl_set_permissions(h, AGENT_ALPHA, SCMI_PINCTRL_PIN, 0, true), 0,
		  "ctl: allow alpha pin_shared again");
	AC_CMD(SCMI_PROTO_BASE, SCMI_BASE_RESET_AGENT_CONFIGURATION, 0,
	       scmi_base_reset_agent_configuration(h, AGENT_BETA, true),
	       "ctl: RESET_AGENT_CONFIGURATION of beta with its permissions");
}
