// SPDX-License-Identifier: MIT
/*
 * vscmi commands for the controllable resources: clocks, performance
 * domains, power domains, reset domains, voltage domains and power caps.
 * Each "set" reads the value back, so the user sees what the platform did.
 */
#include <stdio.h>
#include <string.h>

#include <vscmi/os.h>

#include "cli.h"

/* Remove @flag from argv if present; true if it was. */
static bool take_flag(int *argc, char **argv, const char *flag)
{
	for (int i = 0; i < *argc; i++) {
		if (!strcmp(argv[i], flag)) {
			memmove(&argv[i], &argv[i + 1], (size_t)(*argc - i - 1) * sizeof(*argv));
			(*argc)--;
			return true;
		}
	}
	return false;
}

static json_object *jres(uint32_t id, const char *name)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "id", json_object_new_int64(id));
	json_object_object_add(o, "name", json_object_new_string(name));
	return o;
}

static void jadd_u64(json_object *o, const char *k, uint64_t v)
{
	json_object_object_add(o, k, json_object_new_int64((int64_t)v));
}

static void jadd_str(json_object *o, const char *k, const char *v)
{
	json_object_object_add(o, k, json_object_new_string(v));
}

static void jadd_bool(json_object *o, const char *k, bool v)
{
	json_object_object_add(o, k, json_object_new_boolean(v));
}

/* ---- clock ---------------------------------------------------------------------- */

static void clock_rates_str(const struct scmi_clock_info *ci, char *buf, size_t len)
{
	char a[32], b[32], s[32];
	size_t off = 0;

	if (ci->rates_range) {
		cli_fmt_hz(ci->rates[0], a, sizeof(a));
		cli_fmt_hz(ci->rates[1], b, sizeof(b));
		cli_fmt_hz(ci->rates[2], s, sizeof(s));
		snprintf(buf, len, "%s..%s step %s", a, b, s);
		return;
	}
	buf[0] = '\0';
	for (uint32_t i = 0; i < ci->nr_rates && i < SCMI_CLOCK_INFO_MAX_RATES && off < len; i++) {
		cli_fmt_hz(ci->rates[i], a, sizeof(a));
		off += (size_t)snprintf(buf + off, len - off, "%s%s", i ? ", " : "", a);
	}
	if (ci->nr_rates > SCMI_CLOCK_INFO_MAX_RATES && off < len)
		snprintf(buf + off, len - off, ", ... (%u)", ci->nr_rates);
}

static json_object *clock_json(const struct scmi_clock_info *ci)
{
	json_object *o = jres(ci->attrs.id, ci->attrs.name);
	char rates[512];

	jadd_u64(o, "rate_hz", ci->rate);
	jadd_bool(o, "enabled", ci->attrs.enabled);
	clock_rates_str(ci, rates, sizeof(rates));
	jadd_str(o, "rates", rates);
	if (ci->has_parent)
		jadd_u64(o, "parent", ci->parent);
	if (ci->has_permissions)
		json_object_object_add(o, "permissions",
				       json_object_new_int64(ci->permissions));
	return o;
}

static int clock_list_one(void *priv, const struct scmi_clock_info *ci)
{
	json_object_array_add(priv, clock_json(ci));
	return 0;
}

static const struct cli_col clock_cols[] = {
	{ "id", "ID", CLI_FMT_STR },
	{ "name", "NAME", CLI_FMT_STR },
	{ "rate_hz", "RATE", CLI_FMT_HZ },
	{ "enabled", "STATE", CLI_FMT_ONOFF },
	{ "rates", "SUPPORTED RATES", CLI_FMT_STR },
	{ NULL, NULL, 0 },
};

static int clock_list(struct cli *c, int argc, char **argv)
{
	json_object *arr;
	int ret;

	CLI_CONNECT(c);
	arr = json_object_new_array();
	ret = scmi_clock_for_each(c->h, clock_list_one, arr);

	if (ret) {
		json_object_put(arr);
		return cli_fail(c, ret, "list clocks");
	}
	cli_show_table(c, arr, clock_cols);
	return 0;
}

static int clock_get(struct cli *c, int argc, char **argv)
{
	struct scmi_clock_info ci;
	char name[SCMI_NAME_MAX];
	uint32_t id;
	int ret = cli_resolve(c, CLI_CLOCK, argv[0], &id, name);

	if (ret)
		return ret;
	ret = scmi_clock_describe(c->h, id, &ci);
	if (ret)
		return cli_fail(c, ret, "read clock %u (%s)", id, name);
	cli_show_object(c, clock_json(&ci), clock_cols);
	return 0;
}

static int clock_set(struct cli *c, int argc, char **argv)
{
	bool async = take_flag(&argc, argv, "--async");
	char name[SCMI_NAME_MAX], shown[32];
	uint64_t rate, now;
	uint32_t id;
	int ret;

	if (argc != 2)
		return cli_usage(c, "clock set CLOCK RATE [--async]");
	if (cli_parse_hz(argv[1], &rate))
		return cli_usage(c, "'%s' is not a rate (e.g. 800MHz, 32.768kHz, 1000000)",
				 argv[1]);
	ret = cli_resolve(c, CLI_CLOCK, argv[0], &id, name);
	if (ret)
		return ret;
	ret = scmi_clock_rate_set(c->h, id, rate, async);
	if (ret)
		return cli_fail(c, ret, "set the rate of clock %u (%s)", id, name);
	ret = scmi_clock_rate_get(c->h, id, &now);
	if (ret)
		return cli_fail(c, ret, "read back clock %u (%s)", id, name);
	cli_fmt_hz(now, shown, sizeof(shown));
	{
		json_object *o = jres(id, name);

		jadd_u64(o, "rate_hz", now);
		jadd_bool(o, "async", async);
		cli_show_result(c, o, "clock %u (%s): rate now %s%s", id, name, shown,
				async ? " (delayed response received)" : "");
	}
	return 0;
}

static int clock_onoff(struct cli *c, char **argv, bool on)
{
	char name[SCMI_NAME_MAX];
	uint32_t id;
	int ret = cli_resolve(c, CLI_CLOCK, argv[0], &id, name);

	if (ret)
		return ret;
	ret = scmi_clock_enable(c->h, id, on);
	if (ret)
		return cli_fail(c, ret, "turn clock %u (%s) %s", id, name, on ? "on" : "off");
	{
		json_object *o = jres(id, name);

		jadd_bool(o, "enabled", on);
		cli_show_result(c, o, "clock %u (%s): %s", id, name, on ? "on" : "off");
	}
	return 0;
}

static int clock_on(struct cli *c, int argc, char **argv)
{
	return clock_onoff(c, argv, true);
}

static int clock_off(struct cli *c, int argc, char **argv)
{
	return clock_onoff(c, argv, false);
}

static int clock_parents(struct cli *c, int argc, char **argv)
{
	uint32_t parents[64], id;
	char name[SCMI_NAME_MAX];
	json_object *arr;
	size_t n = 0;
	int ret = cli_resolve(c, CLI_CLOCK, argv[0], &id, name);

	if (ret)
		return ret;
	ret = scmi_clock_possible_parents_get(c->h, id, parents, OS_ARRAY_SIZE(parents), &n);
	if (ret)
		return cli_fail(c, ret, "list the parents of clock %u (%s)", id, name);
	arr = json_object_new_array();
	for (size_t i = 0; i < n; i++) {
		char pname[SCMI_NAME_MAX] = "";

		scmi_clock_name_get(c->h, parents[i], pname);
		json_object_array_add(arr, jres(parents[i], pname));
	}
	cli_show_table(c, arr, (const struct cli_col[]){
		{ "id", "ID", CLI_FMT_STR }, { "name", "PARENT", CLI_FMT_STR },
		{ NULL, NULL, 0 } });
	return 0;
}

static int clock_parent(struct cli *c, int argc, char **argv)
{
	char name[SCMI_NAME_MAX], pname[SCMI_NAME_MAX] = "";
	uint32_t id, parent;
	int ret = cli_resolve(c, CLI_CLOCK, argv[0], &id, name);

	if (ret)
		return ret;
	if (argc == 2) {
		ret = cli_resolve(c, CLI_CLOCK, argv[1], &parent, pname);
		if (ret)
			return ret;
		ret = scmi_clock_parent_set(c->h, id, parent);
		if (ret)
			return cli_fail(c, ret, "set the parent of clock %u (%s)", id, name);
	}
	ret = scmi_clock_parent_get(c->h, id, &parent);
	if (ret)
		return cli_fail(c, ret, "read the parent of clock %u (%s)", id, name);
	scmi_clock_name_get(c->h, parent, pname);
	{
		json_object *o = jres(id, name);

		jadd_u64(o, "parent", parent);
		jadd_str(o, "parent_name", pname);
		cli_show_result(c, o, "clock %u (%s): parent %u (%s)", id, name, parent, pname);
	}
	return 0;
}

/* ---- perf ------------------------------------------------------------------------ */

static json_object *perf_json(const struct scmi_perf_domain_info *d)
{
	json_object *o = jres(d->id, d->name);

	jadd_u64(o, "level", d->level);
	jadd_u64(o, "limit_min", d->limit_min);
	jadd_u64(o, "limit_max", d->limit_max);
	jadd_bool(o, "can_set_level", d->set_level);
	jadd_bool(o, "can_set_limits", d->set_limits);
	if (d->sustained_freq_khz)
		jadd_u64(o, "sustained_hz", (uint64_t)d->sustained_freq_khz * 1000);
	return o;
}

static int perf_list_one(void *priv, const struct scmi_perf_domain_info *d)
{
	json_object_array_add(priv, perf_json(d));
	return 0;
}

static const struct cli_col perf_cols[] = {
	{ "id", "ID", CLI_FMT_STR },
	{ "name", "NAME", CLI_FMT_STR },
	{ "level", "LEVEL", CLI_FMT_STR },
	{ "limit_min", "MIN", CLI_FMT_STR },
	{ "limit_max", "MAX", CLI_FMT_STR },
	{ "sustained_hz", "SUSTAINED", CLI_FMT_HZ },
	{ "can_set_level", "CONTROL", CLI_FMT_YESNO },
	{ NULL, NULL, 0 },
};

static int perf_list(struct cli *c, int argc, char **argv)
{
	json_object *arr;
	int ret;

	CLI_CONNECT(c);
	arr = json_object_new_array();
	ret = scmi_perf_for_each(c->h, perf_list_one, arr);

	if (ret) {
		json_object_put(arr);
		return cli_fail(c, ret, "list performance domains");
	}
	cli_show_table(c, arr, perf_cols);
	return 0;
}

static int perf_get(struct cli *c, int argc, char **argv)
{
	struct scmi_perf_domain_info d;
	struct scmi_perf_level lv[64];
	char name[SCMI_NAME_MAX];
	json_object *o, *levels;
	size_t n = 0;
	uint32_t id;
	int ret = cli_resolve(c, CLI_PERF, argv[0], &id, name);

	if (ret)
		return ret;
	ret = scmi_perf_describe(c->h, id, &d);
	if (!ret)
		ret = scmi_perf_describe_levels(c->h, id, lv, OS_ARRAY_SIZE(lv), &n);
	if (ret)
		return cli_fail(c, ret, "read performance domain %u (%s)", id, name);
	o = perf_json(&d);
	levels = json_object_new_array();
	for (size_t i = 0; i < n; i++) {
		json_object *l = json_object_new_object();

		jadd_u64(l, "level", lv[i].level);
		jadd_u64(l, "power", lv[i].power_cost);
		jadd_u64(l, "latency_us", lv[i].latency_us);
		if (lv[i].indicative_freq_khz)
			jadd_u64(l, "freq_hz", (uint64_t)lv[i].indicative_freq_khz * 1000);
		json_object_array_add(levels, l);
	}
	if (c->json) {
		json_object_object_add(o, "levels", levels);
		cli_show_object(c, o, perf_cols);
		return 0;
	}
	cli_show_object(c, o, perf_cols);
	printf("\n");
	cli_show_table(c, levels, (const struct cli_col[]){
		{ "level", "LEVEL", CLI_FMT_STR }, { "power", "POWER", CLI_FMT_STR },
		{ "latency_us", "LATENCY(us)", CLI_FMT_STR }, { "freq_hz", "FREQ", CLI_FMT_HZ },
		{ NULL, NULL, 0 } });
	return 0;
}

static int perf_set(struct cli *c, int argc, char **argv)
{
	char name[SCMI_NAME_MAX];
	uint32_t id, level, now;
	int ret;

	if (cli_parse_u32(argv[1], &level))
		return cli_usage(c, "'%s' is not a performance level", argv[1]);
	ret = cli_resolve(c, CLI_PERF, argv[0], &id, name);
	if (ret)
		return ret;
	ret = scmi_perf_level_set(c->h, id, level);
	if (ret)
		return cli_fail(c, ret, "set the level of performance domain %u (%s)", id, name);
	ret = scmi_perf_level_get(c->h, id, &now);
	if (ret)
		return cli_fail(c, ret, "read back performance domain %u (%s)", id, name);
	{
		json_object *o = jres(id, name);

		jadd_u64(o, "level", now);
		cli_show_result(c, o, "performance domain %u (%s): level now %u", id, name, now);
	}
	return 0;
}

static int perf_limits(struct cli *c, int argc, char **argv)
{
	char name[SCMI_NAME_MAX];
	uint32_t id, lo, hi;
	int ret;

	if (argc == 2 || argc > 3)
		return cli_usage(c, "perf limits DOMAIN [MIN MAX]");
	if (argc == 3 && (cli_parse_u32(argv[1], &lo) || cli_parse_u32(argv[2], &hi)))
		return cli_usage(c, "limits are performance levels (numbers)");
	ret = cli_resolve(c, CLI_PERF, argv[0], &id, name);
	if (ret)
		return ret;
	if (argc == 3) {
		ret = scmi_perf_limits_set(c->h, id, hi, lo);
		if (ret)
			return cli_fail(c, ret, "set the limits of performance domain %u (%s)",
					id, name);
	}
	ret = scmi_perf_limits_get(c->h, id, &hi, &lo);
	if (ret)
		return cli_fail(c, ret, "read the limits of performance domain %u (%s)", id, name);
	{
		json_object *o = jres(id, name);

		jadd_u64(o, "limit_min", lo);
		jadd_u64(o, "limit_max", hi);
		cli_show_result(c, o, "performance domain %u (%s): limits %u..%u", id, name, lo, hi);
	}
	return 0;
}

/* ---- power ------------------------------------------------------------------------ */

static void power_state_str(uint32_t st, char *buf, size_t len)
{
	if (st == 0)
		snprintf(buf, len, "on");
	else if (st == 0x40000000u)
		snprintf(buf, len, "off");
	else
		snprintf(buf, len, "0x%08x", st);
}

static int power_list_one(void *priv, const struct scmi_power_domain_info *d)
{
	json_object *o = jres(d->id, d->name);
	char st[16];

	power_state_str(d->state, st, sizeof(st));
	jadd_str(o, "state", st);
	jadd_bool(o, "async", d->async);
	json_object_array_add(priv, o);
	return 0;
}

static const struct cli_col power_cols[] = {
	{ "id", "ID", CLI_FMT_STR },
	{ "name", "NAME", CLI_FMT_STR },
	{ "state", "STATE", CLI_FMT_STR },
	{ NULL, NULL, 0 },
};

static int power_list(struct cli *c, int argc, char **argv)
{
	json_object *arr;
	int ret;

	CLI_CONNECT(c);
	arr = json_object_new_array();
	ret = scmi_power_for_each(c->h, power_list_one, arr);

	if (ret) {
		json_object_put(arr);
		return cli_fail(c, ret, "list power domains");
	}
	cli_show_table(c, arr, power_cols);
	return 0;
}

static int power_show(struct cli *c, uint32_t id, const char *name)
{
	char st[16];
	uint32_t state;
	int ret = scmi_power_state_get(c->h, id, &state);

	if (ret)
		return cli_fail(c, ret, "read power domain %u (%s)", id, name);
	power_state_str(state, st, sizeof(st));
	{
		json_object *o = jres(id, name);

		jadd_str(o, "state", st);
		cli_show_result(c, o, "power domain %u (%s): %s", id, name, st);
	}
	return 0;
}

static int power_get(struct cli *c, int argc, char **argv)
{
	char name[SCMI_NAME_MAX];
	uint32_t id;
	int ret = cli_resolve(c, CLI_POWER, argv[0], &id, name);

	return ret ? ret : power_show(c, id, name);
}

static int power_set(struct cli *c, int argc, char **argv)
{
	bool async = take_flag(&argc, argv, "--async");
	char name[SCMI_NAME_MAX];
	uint32_t id, state;
	int ret;

	if (argc != 2)
		return cli_usage(c, "power set DOMAIN on|off|STATE [--async]");
	if (!strcmp(argv[1], "on"))
		state = 0;
	else if (!strcmp(argv[1], "off"))
		state = 0x40000000u;
	else if (cli_parse_u32(argv[1], &state))
		return cli_usage(c, "'%s' is not a power state (on, off or a number)", argv[1]);
	ret = cli_resolve(c, CLI_POWER, argv[0], &id, name);
	if (ret)
		return ret;
	ret = scmi_power_state_set(c->h, id, state, async);
	if (ret)
		return cli_fail(c, ret, "switch power domain %u (%s) %s", id, name, argv[1]);
	/* An asynchronous switch has no delayed response (SCMI): the platform
	 * acknowledged it; wait a little for the domain to get there. */
	for (int i = 0; async && i < 100; i++) {
		uint32_t now;

		if (scmi_power_state_get(c->h, id, &now) || now == state)
			break;
		os_sleep_ns(10 * OS_NSEC_PER_MSEC);
	}
	return power_show(c, id, name);
}

/* ---- reset ------------------------------------------------------------------------- */

static int reset_list_one(void *priv, const struct scmi_reset_domain_info *d)
{
	json_object *o = jres(d->id, d->name);

	jadd_bool(o, "async", d->async);
	if (d->latency_us != 0xffffffffu)
		jadd_u64(o, "latency_us", d->latency_us);
	json_object_array_add(priv, o);
	return 0;
}

static int reset_list(struct cli *c, int argc, char **argv)
{
	json_object *arr;
	int ret;

	CLI_CONNECT(c);
	arr = json_object_new_array();
	ret = scmi_reset_for_each(c->h, reset_list_one, arr);

	if (ret) {
		json_object_put(arr);
		return cli_fail(c, ret, "list reset domains");
	}
	cli_show_table(c, arr, (const struct cli_col[]){
		{ "id", "ID", CLI_FMT_STR }, { "name", "NAME", CLI_FMT_STR },
		{ "async", "ASYNC", CLI_FMT_YESNO }, { "latency_us", "LATENCY(us)", CLI_FMT_STR },
		{ NULL, NULL, 0 } });
	return 0;
}

static int reset_do(struct cli *c, int argc, char **argv, enum scmi_reset_mode mode,
		    const char *verb)
{
	bool async = take_flag(&argc, argv, "--async");
	char name[SCMI_NAME_MAX];
	uint32_t id;
	int ret;

	if (argc != 1)
		return cli_usage(c, "reset %s DOMAIN [--async]", verb);
	ret = cli_resolve(c, CLI_RESET, argv[0], &id, name);
	if (ret)
		return ret;
	ret = scmi_reset(c->h, id, mode, SCMI_RESET_COLD, async);
	if (ret)
		return cli_fail(c, ret, "%s reset domain %u (%s)", verb, id, name);
	{
		json_object *o = jres(id, name);

		jadd_str(o, "done", verb);
		cli_show_result(c, o, "reset domain %u (%s): %s done", id, name, verb);
	}
	return 0;
}

static int reset_assert(struct cli *c, int argc, char **argv)
{
	return reset_do(c, argc, argv, SCMI_RESET_MODE_ASSERT, "assert");
}

static int reset_deassert(struct cli *c, int argc, char **argv)
{
	return reset_do(c, argc, argv, SCMI_RESET_MODE_DEASSERT, "deassert");
}

static int reset_cycle(struct cli *c, int argc, char **argv)
{
	return reset_do(c, argc, argv, SCMI_RESET_MODE_AUTONOMOUS, "reset");
}

/* ---- voltage ------------------------------------------------------------------------ */

static int voltage_list_one(void *priv, const struct scmi_voltage_domain_info *d)
{
	json_object *o = jres(d->id, d->name);

	jadd_u64(o, "level_uv", (uint64_t)d->level_uv);
	jadd_bool(o, "on", d->config == 7);
	json_object_array_add(priv, o);
	return 0;
}

static int voltage_list(struct cli *c, int argc, char **argv)
{
	json_object *arr;
	int ret;

	CLI_CONNECT(c);
	arr = json_object_new_array();
	ret = scmi_voltage_for_each(c->h, voltage_list_one, arr);

	if (ret) {
		json_object_put(arr);
		return cli_fail(c, ret, "list voltage domains");
	}
	cli_show_table(c, arr, (const struct cli_col[]){
		{ "id", "ID", CLI_FMT_STR }, { "name", "NAME", CLI_FMT_STR },
		{ "level_uv", "LEVEL", CLI_FMT_UV }, { "on", "STATE", CLI_FMT_ONOFF },
		{ NULL, NULL, 0 } });
	return 0;
}

static int voltage_show(struct cli *c, uint32_t id, const char *name)
{
	char shown[32];
	int32_t uv;
	int ret = scmi_voltage_level_get(c->h, id, &uv);

	if (ret)
		return cli_fail(c, ret, "read voltage domain %u (%s)", id, name);
	cli_fmt_uv(uv, shown, sizeof(shown));
	{
		json_object *o = jres(id, name);

		jadd_u64(o, "level_uv", (uint64_t)uv);
		cli_show_result(c, o, "voltage domain %u (%s): %s", id, name, shown);
	}
	return 0;
}

static int voltage_get(struct cli *c, int argc, char **argv)
{
	char name[SCMI_NAME_MAX];
	uint32_t id;
	int ret = cli_resolve(c, CLI_VOLTAGE, argv[0], &id, name);

	return ret ? ret : voltage_show(c, id, name);
}

static int voltage_set(struct cli *c, int argc, char **argv)
{
	char name[SCMI_NAME_MAX];
	int64_t uv;
	uint32_t id;
	int ret;

	if (cli_parse_uv(argv[1], &uv))
		return cli_usage(c, "'%s' is not a voltage (e.g. 850mV, 1.1V)", argv[1]);
	ret = cli_resolve(c, CLI_VOLTAGE, argv[0], &id, name);
	if (ret)
		return ret;
	ret = scmi_voltage_level_set(c->h, id, (int32_t)uv, false);
	if (ret)
		return cli_fail(c, ret, "set voltage domain %u (%s)", id, name);
	return voltage_show(c, id, name);
}

/* ---- powercap ------------------------------------------------------------------------- */

static int powercap_list_one(void *priv, const struct scmi_powercap_domain_info *d)
{
	json_object *o = jres(d->id, d->name);

	jadd_u64(o, "cap", d->cap);
	jadd_u64(o, "min_cap", d->min_cap);
	jadd_u64(o, "max_cap", d->max_cap);
	jadd_u64(o, "power", d->power);
	jadd_u64(o, "pai_us", d->pai_us);
	jadd_str(o, "unit", d->unit == SCMI_POWERCAP_UNIT_MW ? "mW" :
			    d->unit == SCMI_POWERCAP_UNIT_UW ? "uW" : "abstract");
	json_object_array_add(priv, o);
	return 0;
}

static const struct cli_col powercap_cols[] = {
	{ "id", "ID", CLI_FMT_STR }, { "name", "NAME", CLI_FMT_STR },
	{ "cap", "CAP", CLI_FMT_STR }, { "power", "POWER", CLI_FMT_STR },
	{ "unit", "UNIT", CLI_FMT_STR }, { "min_cap", "MIN", CLI_FMT_STR },
	{ "max_cap", "MAX", CLI_FMT_STR }, { "pai_us", "PAI(us)", CLI_FMT_STR },
	{ NULL, NULL, 0 },
};

static int powercap_list(struct cli *c, int argc, char **argv)
{
	json_object *arr;
	int ret;

	CLI_CONNECT(c);
	arr = json_object_new_array();
	ret = scmi_powercap_for_each(c->h, powercap_list_one, arr);

	if (ret) {
		json_object_put(arr);
		return cli_fail(c, ret, "list power-capping domains");
	}
	cli_show_table(c, arr, powercap_cols);
	return 0;
}

static int powercap_get(struct cli *c, int argc, char **argv)
{
	struct scmi_powercap_domain_info d;
	char name[SCMI_NAME_MAX];
	json_object *arr;
	uint32_t id;
	int ret = cli_resolve(c, CLI_POWERCAP, argv[0], &id, name);

	if (ret)
		return ret;
	ret = scmi_powercap_describe(c->h, id, &d);
	if (ret)
		return cli_fail(c, ret, "read power-capping domain %u (%s)", id, name);
	arr = json_object_new_array();
	powercap_list_one(arr, &d);
	if (c->json) {
		json_object *o = json_object_get(json_object_array_get_idx(arr, 0));

		json_object_put(arr);
		cli_show_object(c, o, powercap_cols);
	} else {
		cli_show_table(c, arr, powercap_cols);
	}
	return 0;
}

static int powercap_set(struct cli *c, int argc, char **argv)
{
	char name[SCMI_NAME_MAX];
	uint32_t id, cap, applied = 0;
	int ret;

	if (cli_parse_u32(argv[1], &cap))
		return cli_usage(c, "'%s' is not a power cap (a number in the domain's unit)",
				 argv[1]);
	ret = cli_resolve(c, CLI_POWERCAP, argv[0], &id, name);
	if (ret)
		return ret;
	ret = scmi_powercap_cap_set(c->h, id, cap, false, &applied);
	if (!ret)
		ret = scmi_powercap_cap_get(c->h, id, &applied);
	if (ret)
		return cli_fail(c, ret, "set the cap of power-capping domain %u (%s)", id, name);
	{
		json_object *o = jres(id, name);

		jadd_u64(o, "cap", applied);
		cli_show_result(c, o, "power-capping domain %u (%s): cap now %u", id, name,
				applied);
	}
	return 0;
}

const struct cli_cmd cli_res_cmds[] = {
	{ "clock", "list", "", "every clock this guest sees", clock_list, 0, 0 },
	{ "clock", "get", "CLOCK", "rate, state, supported rates", clock_get, 1, 1 },
	{ "clock", "set", "CLOCK RATE [--async]", "set the rate (e.g. 800MHz), read it back",
	  clock_set, 2, 3 },
	{ "clock", "on", "CLOCK", "enable the clock", clock_on, 1, 1 },
	{ "clock", "off", "CLOCK", "disable the clock", clock_off, 1, 1 },
	{ "clock", "parents", "CLOCK", "possible parents", clock_parents, 1, 1 },
	{ "clock", "parent", "CLOCK [PARENT]", "show or set the parent", clock_parent, 1, 2 },
	{ "perf", "list", "", "every performance domain", perf_list, 0, 0 },
	{ "perf", "get", "DOMAIN", "level, limits and the level table", perf_get, 1, 1 },
	{ "perf", "set", "DOMAIN LEVEL", "set the performance level", perf_set, 2, 2 },
	{ "perf", "limits", "DOMAIN [MIN MAX]", "show or set the limits", perf_limits, 1, 3 },
	{ "power", "list", "", "every power domain", power_list, 0, 0 },
	{ "power", "get", "DOMAIN", "the domain's power state", power_get, 1, 1 },
	{ "power", "set", "DOMAIN on|off|STATE [--async]", "switch the domain", power_set, 2, 3 },
	{ "reset", "list", "", "every reset domain", reset_list, 0, 0 },
	{ "reset", "assert", "DOMAIN [--async]", "hold the domain in reset", reset_assert, 1, 2 },
	{ "reset", "deassert", "DOMAIN [--async]", "release the reset", reset_deassert, 1, 2 },
	{ "reset", "reset", "DOMAIN [--async]", "a full reset cycle", reset_cycle, 1, 2 },
	{ "voltage", "list", "", "every voltage domain", voltage_list, 0, 0 },
	{ "voltage", "get", "DOMAIN", "the domain's voltage", voltage_get, 1, 1 },
	{ "voltage", "set", "DOMAIN VOLTAGE", "set the voltage (e.g. 850mV)", voltage_set, 2, 2 },
	{ "powercap", "list", "", "every power-capping domain", powercap_list, 0, 0 },
	{ "powercap", "get", "DOMAIN", "cap, power, limits", powercap_get, 1, 1 },
	{ "powercap", "set", "DOMAIN CAP", "set the power cap", powercap_set, 2, 2 },
	{ NULL, NULL, NULL, NULL, NULL, 0, 0 },
};
