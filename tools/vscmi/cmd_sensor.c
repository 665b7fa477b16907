// SPDX-License-Identifier: MIT
/*
 * vscmi commands that read or wait: sensors (list, read, watch) and
 * `monitor`, which subscribes to every notification the guest can get and
 * prints each as it arrives.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include <vscmi/os.h>
#include <vscmi/scmi.h>

#include "cli.h"

static volatile sig_atomic_t interrupted;

static void on_sigint(int sig)
{
	interrupted = 1;
}

static void catch_sigint(void)
{
	struct sigaction sa = { .sa_handler = on_sigint };

	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

/* Parse "--name VALUE" out of argv; NULL if absent. */
static const char *take_opt(int *argc, char **argv, const char *opt)
{
	for (int i = 0; i + 1 < *argc; i++) {
		if (!strcmp(argv[i], opt)) {
			const char *v = argv[i + 1];

			memmove(&argv[i], &argv[i + 2], (size_t)(*argc - i - 2) * sizeof(*argv));
			*argc -= 2;
			return v;
		}
	}
	return NULL;
}

/* ---- sensors ------------------------------------------------------------------- */

static int sensor_list_one(void *priv, const struct scmi_sensor_info *s)
{
	json_object *o = json_object_new_object();
	char range[112] = "";

	json_object_object_add(o, "id", json_object_new_int64(s->desc.id));
	json_object_object_add(o, "name", json_object_new_string(s->desc.name));
	json_object_object_add(o, "unit", json_object_new_string(cli_sensor_unit(s->desc.type)));
	json_object_object_add(o, "unit_type", json_object_new_int(s->desc.type));
	json_object_object_add(o, "scale", json_object_new_int(s->desc.scale));
	json_object_object_add(o, "trip_points", json_object_new_int(s->desc.num_trip_points));
	json_object_object_add(o, "axes", json_object_new_int64(s->desc.has_axes ?
								s->desc.num_axes : 0));
	json_object_object_add(o, "async", json_object_new_boolean(s->desc.async));
	if (s->desc.ext_attrs) {
		char lo[48], hi[48];

		cli_fmt_sensor(s->desc.min_range, s->desc.scale, s->desc.type, lo, sizeof(lo));
		cli_fmt_sensor(s->desc.max_range, s->desc.scale, s->desc.type, hi, sizeof(hi));
		snprintf(range, sizeof(range), "%s..%s", lo, hi);
	}
	json_object_object_add(o, "range", json_object_new_string(range));
	json_object_array_add(priv, o);
	return 0;
}

static int sensor_list(struct cli *c, int argc, char **argv)
{
	json_object *arr;
	int ret;

	CLI_CONNECT(c);
	arr = json_object_new_array();
	ret = scmi_sensor_for_each(c->h, sensor_list_one, arr);

	if (ret) {
		json_object_put(arr);
		return cli_fail(c, ret, "list sensors");
	}
	cli_show_table(c, arr, (const struct cli_col[]){
		{ "id", "ID", CLI_FMT_STR }, { "name", "NAME", CLI_FMT_STR },
		{ "unit", "UNIT", CLI_FMT_STR }, { "range", "RANGE", CLI_FMT_STR },
		{ "trip_points", "TRIPS", CLI_FMT_STR }, { "async", "ASYNC", CLI_FMT_YESNO },
		{ NULL, NULL, 0 } });
	return 0;
}

static int sensor_read_one(struct cli *c, uint32_t id, const char *name,
			   const struct scmi_sensor_attrs *a, bool async)
{
	struct scmi_sensor_value v[SCMI_SENSOR_MAX_READINGS];
	char shown[64];
	size_t n = 0;
	json_object *o, *vals;
	int ret = scmi_sensor_reading_get(c->h, id, async, v, OS_ARRAY_SIZE(v), &n);

	if (ret)
		return cli_fail(c, ret, "read sensor %u (%s)", id, name);
	o = json_object_new_object();
	vals = json_object_new_array();
	json_object_object_add(o, "id", json_object_new_int64(id));
	json_object_object_add(o, "name", json_object_new_string(name));
	for (size_t i = 0; i < n; i++)
		json_object_array_add(vals, json_object_new_int64(v[i].value));
	json_object_object_add(o, "values", vals);
	json_object_object_add(o, "scale", json_object_new_int(a->scale));
	json_object_object_add(o, "unit", json_object_new_string(cli_sensor_unit(a->type)));
	cli_fmt_sensor(n ? v[0].value : 0, a->scale, a->type, shown, sizeof(shown));
	if (n > 1) {
		size_t off = strlen(shown);

		for (size_t i = 1; i < n && off < sizeof(shown); i++) {
			char more[48];

			cli_fmt_sensor(v[i].value, a->scale, a->type, more, sizeof(more));
			off += (size_t)snprintf(shown + off, sizeof(shown) - off, ", %s", more);
		}
	}
	cli_show_result(c, o, "sensor %u (%s): %s", id, name, shown);
	fflush(stdout);
	return 0;
}

static int sensor_attrs(struct cli *c, uint32_t id, const char *name,
			struct scmi_sensor_attrs *a)
{
	struct scmi_sensor_info info;
	int ret = scmi_sensor_describe(c->h, id, &info);

	if (ret)
		return cli_fail(c, ret, "describe sensor %u (%s)", id, name);
	*a = info.desc;
	return 0;
}

static int sensor_read(struct cli *c, int argc, char **argv)
{
	struct scmi_sensor_attrs a;
	char name[SCMI_NAME_MAX];
	bool async = argc > 1 && !strcmp(argv[1], "--async");
	uint32_t id;
	int ret;

	if (argc > 1 && !async)
		return cli_usage(c, "sensor read SENSOR [--async]");
	ret = cli_resolve(c, CLI_SENSOR, argv[0], &id, name);
	if (!ret)
		ret = sensor_attrs(c, id, name, &a);
	return ret ? ret : sensor_read_one(c, id, name, &a, async);
}

struct trip_wait {
	struct os_completion done;
	struct scmi_sensor_trip_event ev;
};

static void on_trip(struct scmi_handle *h, uint8_t proto, uint8_t evt, const void *payload,
		    size_t len, void *priv)
{
	struct trip_wait *tw = priv;

	if (scmi_sensor_parse_trip_event(payload, len, &tw->ev) == 0)
		os_complete(&tw->done);
}

/*
 * sensor watch SENSOR [--interval MS] [--count N]: print a reading every
 * interval. With --trip VALUE: arm trip point 0 at VALUE (in the sensor's
 * unit) and wait for the platform's notification that it was crossed.
 */
static int sensor_watch(struct cli *c, int argc, char **argv)
{
	const char *interval = take_opt(&argc, argv, "--interval");
	const char *count = take_opt(&argc, argv, "--count");
	const char *trip = take_opt(&argc, argv, "--trip");
	const char *wait = take_opt(&argc, argv, "--timeout");
	uint32_t ms = 1000, n = UINT32_MAX, wait_s = 30, id;
	struct scmi_sensor_attrs a;
	char name[SCMI_NAME_MAX];
	int ret;

	if (argc != 1 || (interval && cli_parse_u32(interval, &ms)) ||
	    (count && cli_parse_u32(count, &n)) || (wait && cli_parse_u32(wait, &wait_s)))
		return cli_usage(c, "sensor watch SENSOR [--interval MS] [--count N] "
				 "[--trip VALUE [--timeout S]]");
	ret = cli_resolve(c, CLI_SENSOR, argv[0], &id, name);
	if (!ret)
		ret = sensor_attrs(c, id, name, &a);
	if (ret)
		return ret;
	catch_sigint();
	if (trip) {
		struct trip_wait tw;
		double v;
		int64_t raw;
		char shown[64];

		if (sscanf(trip, "%lf", &v) != 1)
			return cli_usage(c, "--trip wants a value in the sensor's unit");
		for (int8_t s = a.scale; s > 0; s--)
			v /= 10;
		for (int8_t s = a.scale; s < 0; s++)
			v *= 10;
		raw = (int64_t)v;
		os_completion_init(&tw.done);
		ret = scmi_notify_register(c->h, SCMI_PROTO_SENSOR, SCMI_SENSOR_EVT_TRIP_POINT_EVENT,
					   (int32_t)id, on_trip, &tw);
		if (!ret)
			ret = scmi_sensor_trip_point_config(c->h, id, 0, SCMI_SENSOR_TRIP_BOTH, raw);
		if (!ret)
			ret = scmi_sensor_trip_point_notify(c->h, id, true);
		if (ret) {
			os_completion_destroy(&tw.done);
			return cli_fail(c, ret, "arm a trip point on sensor %u (%s)", id, name);
		}
		cli_fmt_sensor(raw, a.scale, a.type, shown, sizeof(shown));
		if (!c->json)
			printf("sensor %u (%s): waiting for it to cross %s\n", id, name, shown);
		fflush(stdout);
		ret = -ETIMEDOUT;
		for (uint32_t t = 0; t < wait_s * 10 && !interrupted; t++) {
			ret = os_completion_wait(&tw.done, 100 * OS_NSEC_PER_MSEC);
			if (!ret)
				break;
		}
		scmi_sensor_trip_point_notify(c->h, id, false);
		scmi_notify_unregister(c->h, SCMI_PROTO_SENSOR, SCMI_SENSOR_EVT_TRIP_POINT_EVENT,
				       (int32_t)id, on_trip, &tw);
		os_completion_destroy(&tw.done);
		if (ret) {
			fprintf(stderr, "%s: no trip notification from sensor %u (%s) within %u s\n",
				c->prog, id, name, wait_s);
			return CLI_ETIMEOUT;
		}
		{
			json_object *o = json_object_new_object();

			json_object_object_add(o, "event", json_object_new_string("trip_point"));
			json_object_object_add(o, "sensor", json_object_new_int64(id));
			json_object_object_add(o, "name", json_object_new_string(name));
			json_object_object_add(o, "trip_point",
					       json_object_new_int64(tw.ev.trip_point_id));
			json_object_object_add(o, "direction", json_object_new_string(
						       tw.ev.ascending ? "up" : "down"));
			cli_show_result(c, o, "notification: sensor %u (%s) crossed trip point %u going %s",
					id, name, tw.ev.trip_point_id,
					tw.ev.ascending ? "up" : "down");
		}
		return sensor_read_one(c, id, name, &a, false);
	}
	for (uint32_t i = 0; i < n && !interrupted; i++) {
		ret = sensor_read_one(c, id, name, &a, false);
		if (ret)
			return ret;
		if (i + 1 < n)
			os_sleep_ns((uint64_t)ms * OS_NSEC_PER_MSEC);
	}
	return 0;
}

/* ---- monitor ---------------------------------------------------------------------- */

struct monitor {
	struct cli *c;
	atomic_uint seen;
	struct os_completion enough;
	uint32_t limit;
};

static void monitor_print(struct monitor *m, json_object *o, const char *line)
{
	if (m->c->json)
		puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
	else
		printf("%s\n", line);
	fflush(stdout);
	json_object_put(o);
	if (atomic_fetch_add(&m->seen, 1) + 1 >= m->limit)
		os_complete(&m->enough);
}

/* "gpu_core" for clock 0: callbacks may issue commands. */
static const char *event_src_name(struct scmi_handle *h, enum cli_kind k, uint32_t id,
				  char name[SCMI_NAME_MAX])
{
	int ret;

	switch (k) {
	case CLI_CLOCK: ret = scmi_clock_name_get(h, id, name); break;
	case CLI_PERF: ret = scmi_perf_domain_name_get(h, id, name); break;
	case CLI_POWER: ret = scmi_power_domain_name_get(h, id, name); break;
	case CLI_SENSOR: ret = scmi_sensor_name_get(h, id, name); break;
	case CLI_RESET: ret = scmi_reset_domain_name_get(h, id, name); break;
	case CLI_POWERCAP: ret = scmi_powercap_domain_name_get(h, id, name); break;
	default: ret = -EINVAL; break;
	}
	if (ret)
		snprintf(name, SCMI_NAME_MAX, "?");
	return name;
}

static void on_event(struct scmi_handle *h, uint8_t proto, uint8_t evt, const void *payload,
		     size_t len, void *priv)
{
	struct monitor *m = priv;
	json_object *o = json_object_new_object();
	char line[256], v[48], nm[SCMI_NAME_MAX];

	json_object_object_add(o, "protocol", json_object_new_int(proto));
	json_object_object_add(o, "event", json_object_new_int(evt));
	snprintf(line, sizeof(line), "protocol 0x%02x event %u (%zu bytes)", proto, evt, len);
	switch (proto) {
	case SCMI_PROTO_CLOCK: {
		struct scmi_clock_rate_event e;

		if (!scmi_clock_parse_rate_event(payload, len, &e)) {
			cli_fmt_hz(e.rate, v, sizeof(v));
			snprintf(line, sizeof(line), "clock %u (%s): rate %s %s", e.clock_id,
				 event_src_name(h, CLI_CLOCK, e.clock_id, nm),
				 evt == SCMI_CLOCK_EVT_RATE_CHANGED ? "changed to" : "change requested to",
				 v);
			json_object_object_add(o, "clock", json_object_new_int64(e.clock_id));
			json_object_object_add(o, "rate_hz", json_object_new_int64((int64_t)e.rate));
		}
		break;
	}
	case SCMI_PROTO_PERF:
		if (evt == SCMI_PERF_EVT_LEVEL_CHANGED) {
			struct scmi_perf_level_event e;

			if (!scmi_perf_parse_level_event(payload, len, &e)) {
				snprintf(line, sizeof(line), "performance domain %u (%s): level %u",
					 e.domain_id, event_src_name(h, CLI_PERF, e.domain_id, nm),
					 e.level);
				json_object_object_add(o, "domain", json_object_new_int64(e.domain_id));
				json_object_object_add(o, "level", json_object_new_int64(e.level));
			}
		} else {
			struct scmi_perf_limits_event e;

			if (!scmi_perf_parse_limits_event(payload, len, &e)) {
				snprintf(line, sizeof(line), "performance domain %u (%s): limits %u..%u",
					 e.domain_id, event_src_name(h, CLI_PERF, e.domain_id, nm),
					 e.range_min, e.range_max);
				json_object_object_add(o, "domain", json_object_new_int64(e.domain_id));
				json_object_object_add(o, "min", json_object_new_int64(e.range_min));
				json_object_object_add(o, "max", json_object_new_int64(e.range_max));
			}
		}
		break;
	case SCMI_PROTO_POWER: {
		struct scmi_power_state_event e;

		if (!scmi_power_parse_state_event(payload, len, &e)) {
			snprintf(line, sizeof(line), "power domain %u (%s): state %s%s", e.domain_id,
				 event_src_name(h, CLI_POWER, e.domain_id, nm),
				 e.power_state == SCMI_POWER_STATE_ON ? "on" :
				 e.power_state == SCMI_POWER_STATE_OFF ? "off" : "changed",
				 evt == SCMI_POWER_EVT_STATE_CHANGE_REQUESTED ? " requested" : "");
			json_object_object_add(o, "domain", json_object_new_int64(e.domain_id));
			json_object_object_add(o, "state", json_object_new_int64(e.power_state));
		}
		break;
	}
	case SCMI_PROTO_SENSOR:
		if (evt == SCMI_SENSOR_EVT_TRIP_POINT_EVENT) {
			struct scmi_sensor_trip_event e;

			if (!scmi_sensor_parse_trip_event(payload, len, &e)) {
				snprintf(line, sizeof(line), "sensor %u (%s): trip point %u crossed going %s",
					 e.sensor_id, event_src_name(h, CLI_SENSOR, e.sensor_id, nm),
					 e.trip_point_id, e.ascending ? "up" : "down");
				json_object_object_add(o, "sensor", json_object_new_int64(e.sensor_id));
				json_object_object_add(o, "trip_point",
						       json_object_new_int64(e.trip_point_id));
			}
		} else {
			struct scmi_sensor_update_event e;

			if (!scmi_sensor_parse_update_event(payload, len, &e) && e.nr_readings) {
				snprintf(line, sizeof(line), "sensor %u: reading %lld", e.sensor_id,
					 (long long)e.readings[0].value);
				json_object_object_add(o, "sensor", json_object_new_int64(e.sensor_id));
				json_object_object_add(o, "value",
						       json_object_new_int64(e.readings[0].value));
			}
		}
		break;
	case SCMI_PROTO_RESET: {
		struct scmi_reset_event e;

		if (!scmi_reset_parse_event(payload, len, &e)) {
			snprintf(line, sizeof(line), "reset domain %u (%s): reset issued", e.domain_id,
				 event_src_name(h, CLI_RESET, e.domain_id, nm));
			json_object_object_add(o, "domain", json_object_new_int64(e.domain_id));
		}
		break;
	}
	case SCMI_PROTO_POWERCAP:
		if (evt == SCMI_POWERCAP_EVT_CAP_CHANGED) {
			struct scmi_powercap_cap_event e;

			if (!scmi_powercap_parse_cap_event(payload, len, &e)) {
				snprintf(line, sizeof(line), "power-capping domain %u: cap %u",
					 e.domain_id, e.power_cap);
				json_object_object_add(o, "domain", json_object_new_int64(e.domain_id));
				json_object_object_add(o, "cap", json_object_new_int64(e.power_cap));
			}
		} else {
			struct scmi_powercap_meas_event e;

			if (!scmi_powercap_parse_meas_event(payload, len, &e)) {
				snprintf(line, sizeof(line), "power-capping domain %u: power %u",
					 e.domain_id, e.power);
				json_object_object_add(o, "domain", json_object_new_int64(e.domain_id));
				json_object_object_add(o, "power", json_object_new_int64(e.power));
			}
		}
		break;
	case SCMI_PROTO_SYSTEM: {
		struct scmi_system_power_event e;

		if (!scmi_system_parse_power_event(payload, len, &e)) {
			snprintf(line, sizeof(line), "system: power state 0x%x requested%s",
				 e.system_state, e.graceful ? " (graceful)" : "");
			json_object_object_add(o, "system_state",
					       json_object_new_int64(e.system_state));
		}
		break;
	}
	default:
		break;
	}
	json_object_object_add(o, "text", json_object_new_string(line));
	monitor_print(m, o, line);
}

/* Subscribe to @evt of @proto and ask the platform for it on every resource. */
static unsigned monitor_enable(struct cli *c, struct monitor *m, enum cli_kind k,
			       uint8_t proto, const uint8_t *evts, unsigned nevts,
			       int (*enable)(struct scmi_handle *, uint32_t, bool))
{
	uint32_t n = 0, on = 0;

	for (unsigned e = 0; e < nevts; e++)
		scmi_notify_register(c->h, proto, evts[e], SCMI_NOTIFY_SRC_ANY, on_event, m);
	if (cli_count(c, k, &n))
		return 0;
	for (uint32_t i = 0; i < n; i++)
		on += enable(c->h, i, true) == 0;
	return on;
}

static int enable_perf(struct scmi_handle *h, uint32_t id, bool on)
{
	int a = scmi_perf_notify_level(h, id, on), b = scmi_perf_notify_limits(h, id, on);

	return a && b ? a : 0;
}

static int enable_power(struct scmi_handle *h, uint32_t id, bool on)
{
	return scmi_power_state_notify(h, id, on);
}

static int enable_sensor(struct scmi_handle *h, uint32_t id, bool on)
{
	return scmi_sensor_trip_point_notify(h, id, on);
}

static int enable_powercap(struct scmi_handle *h, uint32_t id, bool on)
{
	return scmi_powercap_cap_notify(h, id, on);
}

static int monitor(struct cli *c, int argc, char **argv)
{
	const char *count = take_opt(&argc, argv, "--count");
	const char *wait = take_opt(&argc, argv, "--timeout");
	static const uint8_t clk_evts[] = { SCMI_CLOCK_EVT_RATE_CHANGED,
					    SCMI_CLOCK_EVT_RATE_CHANGE_REQUESTED };
	static const uint8_t perf_evts[] = { SCMI_PERF_EVT_LEVEL_CHANGED,
					     SCMI_PERF_EVT_LIMITS_CHANGED };
	static const uint8_t pow_evts[] = { SCMI_POWER_EVT_STATE_CHANGED };
	static const uint8_t sen_evts[] = { SCMI_SENSOR_EVT_TRIP_POINT_EVENT,
					    SCMI_SENSOR_EVT_UPDATE };
	static const uint8_t rst_evts[] = { SCMI_RESET_EVT_ISSUED };
	static const uint8_t pc_evts[] = { SCMI_POWERCAP_EVT_CAP_CHANGED,
					   SCMI_POWERCAP_EVT_MEASUREMENTS_CHANGED };
	struct monitor m = { .c = c, .limit = UINT32_MAX };
	uint32_t wait_s = 0;
	unsigned subs = 0;

	if (argc || (count && cli_parse_u32(count, &m.limit)) ||
	    (wait && cli_parse_u32(wait, &wait_s)))
		return cli_usage(c, "monitor [--count N] [--timeout S]");
	CLI_CONNECT(c);
	if (!scmi_has_p2a(c->h)) {
		fprintf(stderr, "%s: the device has no notification channel (no P2A eventq)\n",
			c->prog);
		return CLI_EFAIL;
	}
	os_completion_init(&m.enough);
	atomic_init(&m.seen, 0);
	subs += monitor_enable(c, &m, CLI_CLOCK, SCMI_PROTO_CLOCK, clk_evts, 2,
			       scmi_clock_rate_notify);
	subs += monitor_enable(c, &m, CLI_PERF, SCMI_PROTO_PERF, perf_evts, 2, enable_perf);
	subs += monitor_enable(c, &m, CLI_POWER, SCMI_PROTO_POWER, pow_evts, 1, enable_power);
	subs += monitor_enable(c, &m, CLI_SENSOR, SCMI_PROTO_SENSOR, sen_evts, 2, enable_sensor);
	subs += monitor_enable(c, &m, CLI_RESET, SCMI_PROTO_RESET, rst_evts, 1,
			       scmi_reset_notify);
	subs += monitor_enable(c, &m, CLI_POWERCAP, SCMI_PROTO_POWERCAP, pc_evts, 2,
			       enable_powercap);
	if (!c->json)
		printf("monitoring %u resources; Ctrl-C to stop\n", subs);
	fflush(stdout);
	catch_sigint();
	for (uint64_t t = 0; !interrupted && (!wait_s || t < (uint64_t)wait_s * 10); t++)
		if (!os_completion_wait(&m.enough, 100 * OS_NSEC_PER_MSEC))
			break;
	/* Callbacks may still run: unsubscribe before m goes away. */
	scmi_notify_flush(c->h);
	for (unsigned p = 0; p < 6; p++) {
		static const uint8_t protos[] = { SCMI_PROTO_CLOCK, SCMI_PROTO_PERF,
			SCMI_PROTO_POWER, SCMI_PROTO_SENSOR, SCMI_PROTO_RESET, SCMI_PROTO_POWERCAP };

		for (uint8_t e = 0; e < 2; e++)
			scmi_notify_unregister(c->h, protos[p], e, SCMI_NOTIFY_SRC_ANY, on_event, &m);
	}
	os_completion_destroy(&m.enough);
	if (wait_s && m.limit != UINT32_MAX && atomic_load(&m.seen) < m.limit) {
		fprintf(stderr, "%s: %u of %u notifications within %u s\n", c->prog,
			atomic_load(&m.seen), m.limit, wait_s);
		return CLI_ETIMEOUT;
	}
	return 0;
}

const struct cli_cmd cli_sensor_cmds[] = {
	{ "sensor", "list", "", "every sensor this guest sees", sensor_list, 0, 0 },
	{ "sensor", "read", "SENSOR [--async]", "one reading, with its unit", sensor_read, 1, 2 },
	{ "sensor", "watch", "SENSOR [--interval MS] [--count N] [--trip VALUE [--timeout S]]",
	  "readings every interval, or wait for a trip-point notification", sensor_watch, 1, 9 },
	{ "monitor", NULL, "[--count N] [--timeout S]",
	  "print every notification as it arrives, until Ctrl-C", monitor, 0, 4 },
	{ NULL, NULL, NULL, NULL, NULL, 0, 0 },
};
