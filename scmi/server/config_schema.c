// SPDX-License-Identifier: MIT
/*
 * The config schema (docs/config.md): one parser per resource kind, the
 * resource lists, clock parents, devices, agents and their grants. The
 * values and errors come from config.c.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scmi/server/config_priv.h"

/* ---- one parser per resource type --------------------------------------------- */

static bool parse_power(struct cfg_ctx *c, struct kv *kv, unsigned idx, void *def)
{
	struct srv_power_def *d = def;
	const char *st;

	if (!srv_cfg_get_common(c, kv, SRV_POWER, idx, &d->c))
		return false;
	st = srv_cfg_kv_get(kv, "state");
	d->on = false;
	if (st && !strcmp(st, "on")) {
		d->on = true;
	} else if (st && strcmp(st, "off")) {
		srv_cfg_item_err(c, "state: `%s' is neither on nor off", st);
		return false;
	}
	return srv_cfg_kv_check_unused(c, kv, "name, state, async, latency");
}

static bool parse_perf(struct cfg_ctx *c, struct kv *kv, unsigned idx, void *def)
{
	struct srv_perf_def *d = def;
	const char *v0;
	char v[1024], *part[64];
	int n;
	int64_t x;

	if (!srv_cfg_get_common(c, kv, SRV_PERF, idx, &d->c))
		return false;
	v0 = srv_cfg_kv_get(kv, "opps");
	if (!v0 || strlen(v0) >= sizeof(v)) {
		srv_cfg_item_err(c, "opps: a list FREQ:POWER:LATENCY|... is required (at most %zu characters)",
			 sizeof(v) - 1);
		return false;
	}
	strcpy(v, v0);
	n = srv_cfg_split_list(v, part, 64);
	if (n < 1 || n > SRV_MAX_OPPS) {
		srv_cfg_item_err(c, "opps: between 1 and %d operating points", SRV_MAX_OPPS);
		return false;
	}
	for (int i = 0; i < n; i++) {
		char *f1 = strchr(part[i], ':'), *f2 = f1 ? strchr(f1 + 1, ':') : NULL;
		int64_t fr, pw, lat;

		if (!f2)
			goto bad_opp;
		*f1 = 0;
		*f2 = 0;
		if (srv_cfg_parse_scaled(part[i], srv_cfg_units_hz, false, &fr) || fr < 1000 ||
		    fr / 1000 > UINT32_MAX || fr % 1000 ||
		    srv_cfg_parse_scaled(f1 + 1, srv_cfg_units_power, false, &pw) || pw > UINT32_MAX ||
		    srv_cfg_parse_scaled(f2 + 1, srv_cfg_units_time_us, false, &lat) || lat > 65535)
			goto bad_opp;
		d->opp[i].level = (uint32_t)(fr / 1000);
		d->opp[i].power = (uint32_t)pw;
		d->opp[i].latency_us = (uint32_t)lat;
		if (i && d->opp[i].level <= d->opp[i - 1].level) {
			srv_cfg_item_err(c, "opps: operating points must be in ascending frequency");
			return false;
		}
		continue;
bad_opp:
		srv_cfg_item_err(c, "opps: operating point %d is not FREQ:POWER:LATENCY "
			 "(e.g. 1200M:350mW:200us; whole kHz, latency <= 65535us)", i + 1);
		return false;
	}
	d->n_opp = (uint8_t)n;
	d->level = d->opp[0].level;
	d->sustained = d->opp[n - 1].level;
	x = (int64_t)d->level * 1000;
	if (!srv_cfg_get_scaled(c, kv, "level", srv_cfg_units_hz, "(a frequency)", 0, INT64_MAX, &x))
		return false;
	d->level = (uint32_t)(x / 1000);
	x = (int64_t)d->sustained * 1000;
	if (!srv_cfg_get_scaled(c, kv, "sustained", srv_cfg_units_hz, "(a frequency)", 0, INT64_MAX, &x))
		return false;
	d->sustained = (uint32_t)(x / 1000);
	bool lv = false, su = false;

	for (int i = 0; i < n; i++) {
		lv |= d->opp[i].level == d->level;
		su |= d->opp[i].level == d->sustained;
	}
	if (!lv || !su) {
		srv_cfg_item_err(c, "%s: must be the frequency of one of the opps", lv ? "sustained" : "level");
		return false;
	}
	x = 0;
	if (!srv_cfg_get_scaled(c, kv, "rate_limit", srv_cfg_units_time_us, "(a time)", 0, 0xfffff, &x))
		return false;
	d->rate_limit_us = (uint32_t)x;
	return srv_cfg_kv_check_unused(c, kv, "name, opps, level, sustained, rate_limit, async, latency");
}

static bool parse_clock(struct cfg_ctx *c, struct kv *kv, unsigned idx, void *def)
{
	struct srv_clock_def *d = def;
	int64_t r[SRV_MAX_RATES], x;
	int n = 0;
	bool range = false;

	if (!srv_cfg_get_common(c, kv, SRV_CLOCK, idx, &d->c))
		return false;
	if (!srv_cfg_kv_get(kv, "rates")) {
		srv_cfg_item_err(c, "rates: required (R1|R2|... or MIN-MAX/STEP, in Hz, K, M or G)");
		return false;
	}
	if (!srv_cfg_get_value_list(c, kv, "rates", srv_cfg_units_hz, "(a frequency: Hz, K, M, G)", false, 1,
			    INT64_MAX, SRV_MAX_RATES, r, &n, &range))
		return false;
	d->range = range;
	d->n_rate = (uint8_t)n;
	for (int i = 0; i < n; i++)
		d->rate[i] = (uint64_t)r[i];
	x = r[0];
	if (!srv_cfg_get_scaled(c, kv, "rate", srv_cfg_units_hz, "(a frequency)", 0, INT64_MAX, &x))
		return false;
	d->init_rate = (uint64_t)x;
	uint64_t got;

	if (!srv_clock_round(d, d->init_rate, SCMI_CLOCK_SET_ROUND_AUTO, &got) ||
	    got != d->init_rate) {
		srv_cfg_item_err(c, "rate: %llu Hz is not one of the clock's rates", (unsigned long long)x);
		return false;
	}
	d->enabled = false;
	if (!srv_cfg_get_bool(c, kv, "enabled", &d->enabled))
		return false;
	x = 0;
	if (!srv_cfg_get_scaled(c, kv, "enable_delay", srv_cfg_units_time_us, "(a time)", 0, UINT32_MAX, &x))
		return false;
	d->enable_delay_us = (uint32_t)x;
	/* parents are resolved once every clock is known: see srv_cfg_resolve_parents() */
	srv_cfg_kv_get(kv, "parents");
	srv_cfg_kv_get(kv, "parent");
	return srv_cfg_kv_check_unused(c, kv,
			       "name, rates, rate, enabled, parents, parent, enable_delay, async, latency");
}

static const struct {
	const char *name;
	uint8_t type;
} sensor_types[] = {
	{ "none", 0 }, { "unspec", 1 }, { "celsius", 2 }, { "fahrenheit", 3 }, { "kelvin", 4 },
	{ "volts", 5 }, { "amps", 6 }, { "watts", 7 }, { "joules", 8 }, { "coulombs", 9 },
	{ "va", 10 }, { "nits", 11 }, { "lumens", 12 }, { "lux", 13 }, { "candelas", 14 },
	{ "kpa", 15 }, { "psi", 16 }, { "newtons", 17 }, { "cfm", 18 }, { "rpm", 19 },
	{ "hertz", 20 },
};

static bool parse_sensor(struct cfg_ctx *c, struct kv *kv, unsigned idx, void *def)
{
	struct srv_sensor_def *d = def;
	const char *v;
	int64_t x, iv[SRV_MAX_INTERVALS];
	int n = 0;
	bool range = false;

	if (!srv_cfg_get_common(c, kv, SRV_SENSOR, idx, &d->c))
		return false;
	v = srv_cfg_kv_get(kv, "type");
	d->type = 1;
	if (v) {
		bool found = false;

		for (size_t i = 0; i < OS_ARRAY_SIZE(sensor_types); i++) {
			if (!strcmp(v, sensor_types[i].name)) {
				d->type = sensor_types[i].type;
				found = true;
			}
		}
		if (!found && (srv_cfg_parse_scaled(v, srv_cfg_units_none, false, &x) || x > 255)) {
			srv_cfg_item_err(c, "type: `%s' is not a sensor type (celsius, volts, amps, watts, "
				 "joules, rpm, ... or an SCMI type number 0..255)", v);
			return false;
		}
		if (!found)
			d->type = (uint8_t)x;
	}
	x = 0;
	if (!srv_cfg_get_scaled(c, kv, "scale", srv_cfg_units_none, "(a power of ten)", -16, 15, &x))
		return false;
	d->scale = (int8_t)x;
	x = 0;
	if (!srv_cfg_get_scaled(c, kv, "trip_points", srv_cfg_units_none, "(a count)", 0, SRV_MAX_TRIPS, &x))
		return false;
	d->n_trips = (uint8_t)x;
	v = srv_cfg_kv_get(kv, "axes");
	if (v) {
		char buf[256], *part[SRV_MAX_AXES + 1];
		int na;

		snprintf(buf, sizeof(buf), "%s", v);
		na = srv_cfg_split_list(buf, part, SRV_MAX_AXES + 1);
		if (na < 1 || na > SRV_MAX_AXES) {
			srv_cfg_item_err(c, "axes: 1 to %d axis names separated by |", SRV_MAX_AXES);
			return false;
		}
		for (int i = 0; i < na; i++) {
			if (!srv_cfg_valid_name(part[i], SCMI_SHORT_NAME_LEN)) {
				srv_cfg_item_err(c, "axes: `%s' is not a name of 1..15 characters", part[i]);
				return false;
			}
			strcpy(d->axis[i], part[i]);
		}
		d->n_axes = (uint8_t)na;
	}
	iv[0] = 1000000;
	n = 1;
	if (!srv_cfg_get_value_list(c, kv, "intervals", srv_cfg_units_time_us, "(a time: us, ms, s)", false, 1,
			    UINT32_MAX, SRV_MAX_INTERVALS, iv, &n, &range))
		return false;
	d->ivl_range = range;
	d->n_ivl = (uint8_t)n;
	for (int i = 0; i < n; i++)
		d->ivl_us[i] = (uint32_t)iv[i];
	d->src.kind = SRV_SRC_CONST;
	if (!srv_cfg_get_source(c, kv, "source", &d->src))
		return false;
	if (srv_cfg_kv_get(kv, "min") || srv_cfg_kv_get(kv, "max")) {
		d->has_range = true;
		d->min = INT32_MIN;
		d->max = INT32_MAX;
		if (!srv_cfg_get_scaled(c, kv, "min", srv_cfg_units_none, "(an integer)", INT64_MIN + 1, INT64_MAX,
				&d->min) ||
		    !srv_cfg_get_scaled(c, kv, "max", srv_cfg_units_none, "(an integer)", INT64_MIN + 1, INT64_MAX,
				&d->max))
			return false;
		if (d->min >= d->max) {
			srv_cfg_item_err(c, "min must be below max");
			return false;
		}
	}
	return srv_cfg_kv_check_unused(c, kv,
			       "name, type, scale, trip_points, axes, intervals, source, min, max, async, latency");
}

static bool parse_reset(struct cfg_ctx *c, struct kv *kv, unsigned idx, void *def)
{
	struct srv_reset_def *d = def;
	int64_t x = -1;

	if (!srv_cfg_get_common(c, kv, SRV_RESET, idx, &d->c))
		return false;
	if (!srv_cfg_get_scaled(c, kv, "reset_latency", srv_cfg_units_time_us, "(a time)", 0, UINT32_MAX - 1, &x))
		return false;
	d->reset_latency_us = x < 0 ? UINT32_MAX : (uint32_t)x;
	return srv_cfg_kv_check_unused(c, kv, "name, reset_latency, async, latency");
}

static bool parse_voltage(struct cfg_ctx *c, struct kv *kv, unsigned idx, void *def)
{
	struct srv_voltage_def *d = def;
	int64_t l[SRV_MAX_LEVELS], x;
	int n = 0;
	bool range = false;

	if (!srv_cfg_get_common(c, kv, SRV_VOLTAGE, idx, &d->c))
		return false;
	if (!srv_cfg_kv_get(kv, "levels")) {
		srv_cfg_item_err(c, "levels: required (V1|V2|... or MIN-MAX/STEP, in uV, mV or V)");
		return false;
	}
	if (!srv_cfg_get_value_list(c, kv, "levels", srv_cfg_units_volt, "(a voltage: uV, mV, V)", true, INT32_MIN,
			    INT32_MAX, SRV_MAX_LEVELS, l, &n, &range))
		return false;
	d->range = range;
	d->n_level = (uint8_t)n;
	for (int i = 0; i < n; i++)
		d->level[i] = (int32_t)l[i];
	x = l[0];
	if (!srv_cfg_get_scaled(c, kv, "level", srv_cfg_units_volt, "(a voltage)", INT32_MIN, INT32_MAX, &x))
		return false;
	d->init_level = (int32_t)x;
	bool ok = false;

	if (range)
		ok = x >= l[0] && x <= l[1] && (x - l[0]) % l[2] == 0;
	for (int i = 0; !range && i < n; i++)
		ok |= l[i] == x;
	if (!ok) {
		srv_cfg_item_err(c, "level: %lld uV is not one of the levels", (long long)x);
		return false;
	}
	d->on = true;
	if (!srv_cfg_get_bool(c, kv, "enabled", &d->on))
		return false;
	return srv_cfg_kv_check_unused(c, kv, "name, levels, level, enabled, async, latency");
}

static bool parse_powercap(struct cfg_ctx *c, struct kv *kv, unsigned idx, void *def)
{
	struct srv_powercap_def *d = def;
	const struct cfg_unit *u = srv_cfg_units_power;
	const char *unit;
	int64_t div = 1000;	/* config values in uW, wire in mW */

	if (!srv_cfg_get_common(c, kv, SRV_POWERCAP, idx, &d->c))
		return false;
	unit = srv_cfg_kv_get(kv, "unit");
	d->unit = SRV_UNIT_MW;
	if (unit && !strcmp(unit, "uW")) {
		d->unit = SRV_UNIT_UW;
		div = 1;
	} else if (unit && !strcmp(unit, "abstract")) {
		d->unit = SRV_UNIT_ABSTRACT;
		u = srv_cfg_units_none;
		div = 1;
	} else if (unit && strcmp(unit, "mW")) {
		srv_cfg_item_err(c, "unit: `%s' is not mW, uW or abstract", unit);
		return false;
	}
	const char *help = d->unit == SRV_UNIT_ABSTRACT ? "(an integer)" : "(a power: uW, mW, W)";
	int64_t mn = -1, mx = -1, st = -1, cap = -1, su = -1;

	if (!srv_cfg_get_scaled(c, kv, "min_cap", u, help, 0, INT64_MAX, &mn) ||
	    !srv_cfg_get_scaled(c, kv, "max_cap", u, help, 0, INT64_MAX, &mx) ||
	    !srv_cfg_get_scaled(c, kv, "cap_step", u, help, 1, INT64_MAX, &st) ||
	    !srv_cfg_get_scaled(c, kv, "cap", u, help, 0, INT64_MAX, &cap) ||
	    !srv_cfg_get_scaled(c, kv, "sustainable", u, help, 0, INT64_MAX, &su))
		return false;
	if (mn < 0 || mx < 0 || mn % div || mx % div || mn / div == 0 || mx < mn ||
	    mx / div > UINT32_MAX) {
		srv_cfg_item_err(c, "min_cap and max_cap are required, 0 < min_cap <= max_cap, in whole %s",
			 d->unit == SRV_UNIT_MW ? "mW" : "units");
		return false;
	}
	d->min_cap = (uint32_t)(mn / div);
	d->max_cap = (uint32_t)(mx / div);
	d->cap_step = st < 0 ? 1 : (uint32_t)(st / div);
	d->init_cap = cap < 0 ? d->max_cap : (uint32_t)(cap / div);
	d->sustainable = su < 0 ? d->max_cap : (uint32_t)(su / div);
	if (!d->cap_step || (d->max_cap - d->min_cap) % d->cap_step ||
	    d->init_cap < d->min_cap || d->init_cap > d->max_cap ||
	    (d->init_cap - d->min_cap) % d->cap_step) {
		srv_cfg_item_err(c, "cap_step must divide max_cap - min_cap and cap be a step within them");
		return false;
	}
	d->cap_config = d->min_cap != d->max_cap;
	int64_t p[3] = { 1000, 1000, 1 }, pai = -1;
	int n = 0;
	bool range = true;

	if (!srv_cfg_get_value_list(c, kv, "pai", srv_cfg_units_time_us, "(a time)", false, 1, UINT32_MAX, 3, p,
			    &n, &range) ||
	    !srv_cfg_get_scaled(c, kv, "pai_init", srv_cfg_units_time_us, "(a time)", 1, UINT32_MAX, &pai))
		return false;
	if (n && !range) {
		if (n != 1) {
			srv_cfg_item_err(c, "pai: one interval or a range MIN-MAX/STEP");
			return false;
		}
		p[1] = p[0];
		p[2] = 1;
	}
	d->min_pai = (uint32_t)p[0];
	d->max_pai = (uint32_t)p[1];
	d->pai_step = (uint32_t)p[2];
	d->init_pai = pai < 0 ? d->min_pai : (uint32_t)pai;
	d->pai_config = d->min_pai != d->max_pai;
	if (d->init_pai < d->min_pai || d->init_pai > d->max_pai ||
	    (d->init_pai - d->min_pai) % d->pai_step) {
		srv_cfg_item_err(c, "pai_init must be one of the pai values");
		return false;
	}
	d->measure.kind = SRV_SRC_CONST;
	d->measure.lo = d->init_cap;
	if (!srv_cfg_get_source(c, kv, "measure", &d->measure))
		return false;
	return srv_cfg_kv_check_unused(c, kv,
			       "name, unit, min_cap, max_cap, cap_step, cap, sustainable, pai, pai_init, measure, async, latency");
}

static bool parse_pin(struct cfg_ctx *c, struct kv *kv, unsigned idx, void *def)
{
	struct srv_pin_def *d = def;

	if (!srv_cfg_get_common(c, kv, SRV_PIN, idx, &d->c))
		return false;
	return srv_cfg_kv_check_unused(c, kv, "name");
}

static bool parse_group(struct cfg_ctx *c, struct kv *kv, unsigned idx, void *def)
{
	struct srv_group_def *d = def;

	if (!srv_cfg_get_common(c, kv, SRV_GROUP, idx, &d->c))
		return false;
	if (!srv_cfg_get_refs(c, kv, "pins", SRV_PIN, d->pin, &d->n_pin, SRV_MAX_GROUP_PINS))
		return false;
	if (!d->n_pin) {
		srv_cfg_item_err(c, "pins: required (names of pins separated by |)");
		return false;
	}
	return srv_cfg_kv_check_unused(c, kv, "name, pins");
}

static bool parse_function(struct cfg_ctx *c, struct kv *kv, unsigned idx, void *def)
{
	struct srv_function_def *d = def;

	if (!srv_cfg_get_common(c, kv, SRV_FUNCTION, idx, &d->c))
		return false;
	if (!srv_cfg_get_refs(c, kv, "groups", SRV_GROUP, d->group, &d->n_group, SRV_MAX_FUNC_GROUPS))
		return false;
	if (!d->n_group) {
		srv_cfg_item_err(c, "groups: required (names of groups separated by |)");
		return false;
	}
	return srv_cfg_kv_check_unused(c, kv, "name, groups");
}

/* ---- sections ---------------------------------------------------------------- */

typedef bool (*res_parse_fn)(struct cfg_ctx *c, struct kv *kv, unsigned idx, void *def);

static const struct {
	const char *setting;
	res_parse_fn parse;
} res_section[SRV_RTYPE_COUNT] = {
	[SRV_POWER] = { "power_domains", parse_power },
	[SRV_PERF] = { "perf_domains", parse_perf },
	[SRV_CLOCK] = { "clocks", parse_clock },
	[SRV_SENSOR] = { "sensors", parse_sensor },
	[SRV_RESET] = { "resets", parse_reset },
	[SRV_VOLTAGE] = { "voltages", parse_voltage },
	[SRV_POWERCAP] = { "powercaps", parse_powercap },
	[SRV_PIN] = { "pins", parse_pin },
	[SRV_GROUP] = { "pin_groups", parse_group },
	[SRV_FUNCTION] = { "pin_functions", parse_function },
};

/* Get list @setting (absent: 0 items). */
static int srv_cfg_get_list(struct cfg_ctx *c, const char *setting, XLU_ConfigList **l)
{
	int n = 0, r = xlu_cfg_get_list(c->x, setting, l, &n, 1);

	if (r == ESRCH)
		return 0;
	if (r) {
		srv_cfg_err(c, srv_cfg_key_line(c, setting), "`%s' must be a list [ \"...\", ... ]", setting);
		return -1;
	}
	return n;
}

/* Start item @i of @setting: its string, or NULL after an error. */
static const char *srv_cfg_item_start(struct cfg_ctx *c, const char *setting, XLU_ConfigList *l,
			      unsigned i)
{
	const char *s = xlu_cfg_get_listitem(l, (int)i);

	c->setting = setting;
	c->item = i;
	c->line = srv_cfg_item_line(c, setting, i);
	c->what[0] = 0;
	if (!s)
		srv_cfg_item_err(c, "is a list; expected a string \"key=value,...\"");
	return s;
}

void srv_cfg_parse_resources(struct cfg_ctx *c, enum srv_rtype t)
{
	const char *setting = res_section[t].setting;
	XLU_ConfigList *l = NULL;
	int n = srv_cfg_get_list(c, setting, &l);
	struct kv kv;

	if (n <= 0)
		return;
	if (n > SRV_MAX_RES) {
		srv_cfg_err(c, srv_cfg_key_line(c, setting), "%s: more than %d items", setting, SRV_MAX_RES);
		return;
	}
	c->cfg->def[t] = calloc((size_t)n, srv_def_size(t));
	if (!c->cfg->def[t]) {
		c->rc = -ENOMEM;
		return;
	}
	for (unsigned i = 0; i < (unsigned)n && !c->rc; i++) {
		const char *s = srv_cfg_item_start(c, setting, l, i);

		c->cfg->n[t] = i;	/* srv_find sees only the ones before */
		if (s && srv_cfg_kv_split(c, s, &kv))
			res_section[t].parse(c, &kv, i, srv_def(c->cfg, t, i));
	}
	c->cfg->n[t] = (unsigned)n;
}

void srv_cfg_resolve_parents(struct cfg_ctx *c)
{
	XLU_ConfigList *l = NULL;
	int n = srv_cfg_get_list(c, "clocks", &l);
	struct kv kv;

	for (unsigned i = 0; i < (unsigned)n && !c->rc; i++) {
		struct srv_clock_def *d = SRV_DEF(c->cfg, SRV_CLOCK, struct srv_clock_def, i);
		const char *s = srv_cfg_item_start(c, "clocks", l, i), *p;

		if (!s || !srv_cfg_kv_split(c, s, &kv))
			return;
		snprintf(c->what, sizeof(c->what), "%s", d->c.name);
		d->init_parent = -1;
		if (!srv_cfg_get_refs(c, &kv, "parents", SRV_CLOCK, d->parent, &d->n_parent,
			      SRV_MAX_PARENTS))
			return;
		for (unsigned j = 0; j < d->n_parent; j++) {
			if (d->parent[j] == i) {
				srv_cfg_item_err(c, "parents: a clock cannot be its own parent");
				return;
			}
		}
		p = srv_cfg_kv_get(&kv, "parent");
		if (d->n_parent)
			d->init_parent = 0;
		if (p) {
			int g = srv_find(c->cfg, SRV_CLOCK, p);

			d->init_parent = -1;
			for (unsigned j = 0; g >= 0 && j < d->n_parent; j++)
				if (d->parent[j] == g)
					d->init_parent = (int16_t)j;
			if (d->init_parent < 0) {
				srv_cfg_item_err(c, "parent: `%s' is not one of parents=", p);
				return;
			}
		}
	}
}

void srv_cfg_parse_devices(struct cfg_ctx *c)
{
	XLU_ConfigList *l = NULL;
	int n = srv_cfg_get_list(c, "devices", &l);
	struct kv kv;

	if (n <= 0)
		return;
	if (n > SRV_MAX_DEVICES) {
		srv_cfg_err(c, srv_cfg_key_line(c, "devices"), "devices: more than %d items", SRV_MAX_DEVICES);
		return;
	}
	c->cfg->device = calloc((size_t)n, sizeof(*c->cfg->device));
	if (!c->cfg->device) {
		c->rc = -ENOMEM;
		return;
	}
	c->cfg->n_device = (unsigned)n;
	for (unsigned i = 0; i < (unsigned)n && !c->rc; i++) {
		struct srv_device_def *d = &c->cfg->device[i];
		const char *s = srv_cfg_item_start(c, "devices", l, i), *name, *res;
		char buf[1024], *part[64];
		int np;

		if (!s || !srv_cfg_kv_split(c, s, &kv))
			return;
		name = srv_cfg_kv_get(&kv, "name");
		res = srv_cfg_kv_get(&kv, "resources");
		if (!name || !srv_cfg_valid_name(name, SRV_NAME_LEN)) {
			srv_cfg_item_err(c, "name: required, 1..63 printable characters");
			return;
		}
		snprintf(c->what, sizeof(c->what), "%s", name);
		for (unsigned j = 0; j < i; j++) {
			if (!strcmp(c->cfg->device[j].name, name)) {
				srv_cfg_item_err(c, "a device named `%s' already exists", name);
				return;
			}
		}
		strcpy(d->name, name);
		if (!res || strlen(res) >= sizeof(buf)) {
			srv_cfg_item_err(c, "resources: required, TYPE:NAME|TYPE:NAME|...");
			return;
		}
		strcpy(buf, res);
		np = srv_cfg_split_list(buf, part, 64);
		if (np < 1 || np > SRV_MAX_DEV_RES) {
			srv_cfg_item_err(c, "resources: 1 to %d TYPE:NAME separated by |", SRV_MAX_DEV_RES);
			return;
		}
		for (int j = 0; j < np; j++) {
			char *colon = strchr(part[j], ':');
			int t = -1, g = -1;

			if (colon) {
				*colon = 0;
				for (int k = 0; k < SRV_SYSTEM; k++)
					if (!strcmp(part[j], srv_rtype_name((enum srv_rtype)k)))
						t = k;
				if (t >= 0)
					g = srv_find(c->cfg, (enum srv_rtype)t, colon + 1);
			}
			if (g < 0) {
				srv_cfg_item_err(c, "resources: `%s%s%s' is not TYPE:NAME of an existing resource",
					 part[j], colon ? ":" : "", colon ? colon + 1 : "");
				return;
			}
			d->res[j].type = (uint8_t)t;
			d->res[j].idx = (uint16_t)g;
		}
		d->n_res = (uint8_t)np;
		srv_cfg_kv_check_unused(c, &kv, "name, resources");
	}
}

static bool agent_add_grant(struct srv_agent_def *a, enum srv_rtype t, unsigned g,
			    enum srv_access acc, bool implicit, bool *dup)
{
	for (unsigned i = 0; i < a->n_grant; i++) {
		if (a->grant[i].type == t && a->grant[i].idx == g) {
			*dup = !implicit;
			return true;
		}
	}
	struct srv_grant *n = realloc(a->grant, sizeof(*n) * (a->n_grant + 1));

	if (!n)
		return false;
	a->grant = n;
	n[a->n_grant].type = (uint8_t)t;
	n[a->n_grant].idx = (uint16_t)g;
	n[a->n_grant].access = (uint8_t)acc;
	a->n_grant++;
	return true;
}

/* A grant and what it implies: a group its pins, a function its groups. */
static bool agent_grant(struct cfg_ctx *c, struct srv_agent_def *a, enum srv_rtype t, unsigned g,
			enum srv_access acc, bool implicit)
{
	bool dup = false;

	if (!agent_add_grant(a, t, g, acc, implicit, &dup)) {
		c->rc = -ENOMEM;
		return false;
	}
	if (dup) {
		srv_cfg_item_err(c, "%s `%s' is granted twice", srv_rtype_name(t),
			 srv_def(c->cfg, t, g)->name);
		return false;
	}
	if (t == SRV_GROUP) {
		struct srv_group_def *gd = SRV_DEF(c->cfg, SRV_GROUP, struct srv_group_def, g);

		for (unsigned i = 0; i < gd->n_pin; i++)
			if (!agent_grant(c, a, SRV_PIN, gd->pin[i], acc, true))
				return false;
	} else if (t == SRV_FUNCTION) {
		struct srv_function_def *fd = SRV_DEF(c->cfg, SRV_FUNCTION, struct srv_function_def, g);

		for (unsigned i = 0; i < fd->n_group; i++)
			if (!agent_grant(c, a, SRV_GROUP, fd->group[i], acc, true))
				return false;
	}
	return true;
}

static void parse_agent_grants(struct cfg_ctx *c, struct srv_agent_def *a)
{
	char setting[64];
	XLU_ConfigList *l = NULL;
	int n;

	snprintf(setting, sizeof(setting), "agent_%s", a->name);
	n = srv_cfg_get_list(c, setting, &l);
	for (unsigned i = 0; i < (unsigned)n && !c->rc; i++) {
		const char *s = srv_cfg_item_start(c, setting, l, i);
		char buf[256], *f[4], *save = NULL;
		int nf = 0, t = -1;
		enum srv_access acc = SRV_ACC_RW;

		if (!s)
			return;
		if (strlen(s) >= sizeof(buf)) {
			srv_cfg_item_err(c, "too long");
			return;
		}
		strcpy(buf, s);
		for (char *p = strtok_r(buf, ":", &save); p && nf < 4; p = strtok_r(NULL, ":", &save))
			f[nf++] = p;
		for (int k = 0; nf && k < SRV_RTYPE_COUNT; k++)
			if (!strcmp(f[0], srv_rtype_name((enum srv_rtype)k)))
				t = k;
		if (t < 0) {
			srv_cfg_item_err(c, "`%s' is not TYPE:NAME[:ro|rw] (TYPE: power, perf, clock, sensor, "
				 "reset, voltage, powercap, pin, group, function; or system[:ro|rw])", s);
			return;
		}
		/* "system" takes no name */
		int nameless = t == SRV_SYSTEM;
		int accf = nameless ? 1 : 2;

		if (nf > accf + 1 || (!nameless && nf < 2)) {
			srv_cfg_item_err(c, "`%s' is not %s", s,
				 nameless ? "system[:ro|rw]" : "TYPE:NAME[:ro|rw]");
			return;
		}
		if (nf == accf + 1) {
			if (!strcmp(f[accf], "ro")) {
				acc = SRV_ACC_RO;
			} else if (strcmp(f[accf], "rw")) {
				srv_cfg_item_err(c, "access `%s' is neither ro nor rw", f[accf]);
				return;
			}
		}
		if (nameless) {
			if (!agent_grant(c, a, SRV_SYSTEM, 0, acc, false))
				return;
			continue;
		}
		if (!strcmp(f[1], "*")) {
			for (unsigned g = 0; g < c->cfg->n[t]; g++)
				if (!agent_grant(c, a, (enum srv_rtype)t, g, acc, true))
					return;
			continue;
		}
		int g = srv_find(c->cfg, (enum srv_rtype)t, f[1]);

		if (g < 0) {
			srv_cfg_item_err(c, "no %s named `%s'", f[0], f[1]);
			return;
		}
		if (!agent_grant(c, a, (enum srv_rtype)t, (unsigned)g, acc, false))
			return;
	}
}

void srv_cfg_parse_agents(struct cfg_ctx *c)
{
	XLU_ConfigList *l = NULL;
	int n = srv_cfg_get_list(c, "agents", &l);
	struct kv kv;

	if (n < 0)
		return;
	if (n > SRV_MAX_AGENTS) {
		srv_cfg_err(c, srv_cfg_key_line(c, "agents"), "agents: more than %d", SRV_MAX_AGENTS);
		return;
	}
	c->cfg->agent = calloc((size_t)n + 1, sizeof(*c->cfg->agent));
	if (!c->cfg->agent) {
		c->rc = -ENOMEM;
		return;
	}
	c->cfg->n_agent = (unsigned)n;
	for (unsigned i = 0; i < (unsigned)n && !c->rc; i++) {
		struct srv_agent_def *a = &c->cfg->agent[i];
		const char *s = srv_cfg_item_start(c, "agents", l, i), *name, *dom;

		if (!s || !srv_cfg_kv_split(c, s, &kv))
			return;
		name = srv_cfg_kv_get(&kv, "name");
		if (!name || !*name || strlen(name) >= SRV_AGENT_NAME_LEN ||
		    strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") !=
			    strlen(name)) {
			srv_cfg_item_err(c, "name: required, 1..15 letters, digits or _ (it names the setting agent_NAME)");
			return;
		}
		snprintf(c->what, sizeof(c->what), "%s", name);
		strcpy(a->name, name);
		dom = srv_cfg_kv_get(&kv, "domain");
		if (dom && !srv_cfg_valid_name(dom, SRV_NAME_LEN)) {
			srv_cfg_item_err(c, "domain: `%s' is not a domain name", dom);
			return;
		}
		snprintf(a->domain, sizeof(a->domain), "%s", dom ? dom : name);
		if (!srv_cfg_get_bool(c, &kv, "trusted", &a->trusted) ||
		    !srv_cfg_kv_check_unused(c, &kv, "name, domain, trusted"))
			return;
		for (unsigned j = 0; j < i; j++) {
			if (!strcmp(c->cfg->agent[j].name, a->name)) {
				srv_cfg_item_err(c, "an agent named `%s' already exists", a->name);
				return;
			}
			if (!strcmp(c->cfg->agent[j].domain, a->domain)) {
				srv_cfg_item_err(c, "agent `%s' already serves domain `%s'",
					 c->cfg->agent[j].name, a->domain);
				return;
			}
		}
	}
	for (unsigned i = 0; i < (unsigned)n && !c->rc; i++)
		parse_agent_grants(c, &c->cfg->agent[i]);
}

