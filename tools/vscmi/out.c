// SPDX-License-Identifier: MIT
/*
 * vscmi output: tables with units or JSON from the same json-c objects,
 * unit formatting and parsing, error messages and exit codes, and resolving
 * resource names.
 */
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <vscmi/os.h>
#include <vscmi/scmi.h>

#include "cli.h"

/* ---- units ------------------------------------------------------------------ */

/* Trim a printed decimal's trailing zeros: "1.500" -> "1.5", "2.000" -> "2". */
static void trim_zeros(char *s)
{
	char *dot = strchr(s, '.');
	char *end;

	if (!dot)
		return;
	end = s + strlen(s) - 1;
	while (end > dot && *end == '0')
		*end-- = '\0';
	if (end == dot)
		*end = '\0';
}

static void fmt_scaled(double v, const char *const units[], const double steps[],
		       unsigned n, char *buf, size_t len)
{
	unsigned i = 0;
	char num[64];

	while (i + 1 < n && fabs(v) >= steps[i + 1])
		i++;
	snprintf(num, sizeof(num), "%.3f", v / steps[i]);
	trim_zeros(num);
	snprintf(buf, len, "%s %s", num, units[i]);
}

void cli_fmt_hz(uint64_t hz, char *buf, size_t len)
{
	static const char *const u[] = { "Hz", "kHz", "MHz", "GHz" };
	static const double s[] = { 1, 1e3, 1e6, 1e9 };

	fmt_scaled((double)hz, u, s, 4, buf, len);
}

void cli_fmt_uv(int64_t uv, char *buf, size_t len)
{
	static const char *const u[] = { "uV", "mV", "V" };
	static const double s[] = { 1, 1e3, 1e6 };

	fmt_scaled((double)uv, u, s, 3, buf, len);
}

const char *cli_sensor_unit(uint8_t unit)
{
	/* SCMI sensor unit types (DEN0056 table "Sensor Unit Type Values"). */
	switch (unit) {
	case 2: return "°C";
	case 3: return "°F";
	case 4: return "K";
	case 5: return "V";
	case 6: return "A";
	case 7: return "W";
	case 8: return "J";
	case 9: return "C";
	case 10: return "VA";
	case 11: return "nit";
	case 12: return "lm";
	case 13: return "lx";
	case 14: return "cd";
	case 15: return "kPa";
	case 16: return "PSI";
	case 17: return "N";
	case 18: return "CFM";
	case 19: return "RPM";
	case 20: return "Hz";
	case 21: return "s";
	case 22: return "min";
	case 23: return "h";
	case 24: return "d";
	case 25: return "week";
	case 26: return "mil";
	case 27: return "in";
	case 28: return "ft";
	case 29: return "cu in";
	case 30: return "cu ft";
	case 31: return "m";
	case 32: return "cu cm";
	case 33: return "cu m";
	case 34: return "L";
	case 35: return "fl oz";
	case 36: return "rad";
	case 37: return "sr";
	case 38: return "rev";
	case 39: return "cycles";
	case 40: return "g";
	case 41: return "oz";
	case 42: return "ohm";
	case 43: return "Vs";
	case 44: return "W/m²";
	case 45: return "%";
	case 46: return "%";
	case 65: return "m/s²";
	case 66: return "rad/s²";
	case 67: return "m/s";
	case 68: return "rad/s";
	default: return "";
	}
}

void cli_fmt_sensor(int64_t value, int8_t scale, uint8_t unit, char *buf, size_t len)
{
	char num[64];

	snprintf(num, sizeof(num), "%.*f", scale < 0 ? -scale : 0,
		 (double)value * pow(10.0, scale));
	trim_zeros(num);
	snprintf(buf, len, "%s%s%s", num, *cli_sensor_unit(unit) ? " " : "",
		 cli_sensor_unit(unit));
}

/* A number with an optional fraction and a unit from @units (multipliers). */
static int parse_scaled(const char *s, const char *const units[], const double mult[],
			unsigned n, double *out)
{
	char *end;
	double v;

	while (isspace((unsigned char)*s))
		s++;
	if (!*s || *s == '+')
		return -EINVAL;
	v = strtod(s, &end);
	if (end == s || !isfinite(v))
		return -EINVAL;
	while (isspace((unsigned char)*end))
		end++;
	if (!*end) {
		*out = v * mult[0];
		return 0;
	}
	for (unsigned i = 0; i < n; i++) {
		if (!strcasecmp(end, units[i])) {
			*out = v * mult[i];
			return 0;
		}
	}
	return -EINVAL;
}

int cli_parse_hz(const char *s, uint64_t *hz)
{
	static const char *const u[] = { "hz", "khz", "mhz", "ghz", "k", "m", "g" };
	static const double m[] = { 1, 1e3, 1e6, 1e9, 1e3, 1e6, 1e9 };
	double v;
	int ret = parse_scaled(s, u, m, OS_ARRAY_SIZE(u), &v);

	if (ret)
		return ret;
	if (v < 0 || v > 1.8e19 || v != floor(v))
		return -ERANGE;
	*hz = (uint64_t)v;
	return 0;
}

int cli_parse_uv(const char *s, int64_t *uv)
{
	static const char *const u[] = { "uv", "mv", "v" };
	static const double m[] = { 1, 1e3, 1e6 };
	double v;
	int ret = parse_scaled(s, u, m, OS_ARRAY_SIZE(u), &v);

	if (ret)
		return ret;
	v = round(v);
	if (v < INT32_MIN || v > INT32_MAX)
		return -ERANGE;
	*uv = (int64_t)v;
	return 0;
}

int cli_parse_u32(const char *s, uint32_t *v)
{
	uint64_t x;
	int ret = os_parse_u64(s, 0, UINT32_MAX, &x);

	if (!ret)
		*v = (uint32_t)x;
	return ret;
}

/* ---- rendering --------------------------------------------------------------- */

static void fmt_value(json_object *v, enum cli_fmt fmt, char *buf, size_t len)
{
	if (!v) {
		snprintf(buf, len, "-");
		return;
	}
	switch (fmt) {
	case CLI_FMT_HZ:
		if (json_object_is_type(v, json_type_int))
			cli_fmt_hz((uint64_t)json_object_get_int64(v), buf, len);
		else
			snprintf(buf, len, "%s", json_object_get_string(v));
		return;
	case CLI_FMT_UV:
		if (json_object_is_type(v, json_type_int))
			cli_fmt_uv(json_object_get_int64(v), buf, len);
		else
			snprintf(buf, len, "%s", json_object_get_string(v));
		return;
	case CLI_FMT_MW:
		snprintf(buf, len, "%s mW", json_object_get_string(v));
		return;
	case CLI_FMT_ONOFF:
		snprintf(buf, len, "%s", json_object_get_boolean(v) ? "on" : "off");
		return;
	case CLI_FMT_YESNO:
		snprintf(buf, len, "%s", json_object_get_boolean(v) ? "yes" : "no");
		return;
	case CLI_FMT_HEX:
		snprintf(buf, len, "0x%llx", (unsigned long long)json_object_get_int64(v));
		return;
	case CLI_FMT_STR:
	default:
		if (json_object_is_type(v, json_type_array)) {
			size_t n = json_object_array_length(v), off = 0;

			buf[0] = '\0';
			for (size_t i = 0; i < n && off < len; i++)
				off += (size_t)snprintf(buf + off, len - off, "%s%s",
					i ? "," : "",
					json_object_get_string(json_object_array_get_idx(v, i)));
			return;
		}
		snprintf(buf, len, "%s", json_object_get_string(v));
		return;
	}
}

/* Columns a UTF-8 string takes on a terminal (one per code point here). */
static size_t display_width(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

/* Print @cell left-aligned in @width columns, then @sep. */
static void print_cell(const char *cell, size_t width, const char *sep)
{
	size_t w = display_width(cell);

	fputs(cell, stdout);
	if (*sep != '\n')
		for (; w < width; w++)
			putchar(' ');
	fputs(sep, stdout);
}

static void print_json(json_object *obj)
{
	puts(json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PRETTY |
						JSON_C_TO_STRING_NOSLASHESCAPE));
}

void cli_show_object(struct cli *c, json_object *obj, const struct cli_col *cols)
{
	if (c->json) {
		print_json(obj);
	} else {
		for (const struct cli_col *col = cols; col->key; col++) {
			json_object *v;
			char buf[512];

			if (!json_object_object_get_ex(obj, col->key, &v))
				continue;
			fmt_value(v, col->fmt, buf, sizeof(buf));
			printf("%-16s %s\n", col->header, buf);
		}
	}
	json_object_put(obj);
}

void cli_show_table(struct cli *c, json_object *arr, const struct cli_col *cols)
{
	size_t rows = json_object_array_length(arr), ncol = 0;
	size_t width[32];
	char cell[512];

	if (c->json) {
		print_json(arr);
		json_object_put(arr);
		return;
	}
	while (cols[ncol].key && ncol < OS_ARRAY_SIZE(width))
		ncol++;
	for (size_t j = 0; j < ncol; j++)
		width[j] = strlen(cols[j].header);
	for (size_t i = 0; i < rows; i++) {
		json_object *row = json_object_array_get_idx(arr, i);

		for (size_t j = 0; j < ncol; j++) {
			json_object *v = NULL;

			json_object_object_get_ex(row, cols[j].key, &v);
			fmt_value(v, cols[j].fmt, cell, sizeof(cell));
			width[j] = OS_MAX(width[j], display_width(cell));
		}
	}
	for (size_t j = 0; j < ncol; j++)
		print_cell(cols[j].header, width[j], j + 1 < ncol ? "  " : "\n");
	for (size_t i = 0; i < rows; i++) {
		json_object *row = json_object_array_get_idx(arr, i);

		for (size_t j = 0; j < ncol; j++) {
			json_object *v = NULL;

			json_object_object_get_ex(row, cols[j].key, &v);
			fmt_value(v, cols[j].fmt, cell, sizeof(cell));
			print_cell(cell, width[j], j + 1 < ncol ? "  " : "\n");
		}
	}
	if (!rows)
		printf("(none visible to this guest)\n");
	json_object_put(arr);
}

void cli_show_result(struct cli *c, json_object *obj, const char *fmt, ...)
{
	va_list ap;

	if (c->json) {
		print_json(obj);
	} else {
		va_start(ap, fmt);
		vprintf(fmt, ap);
		va_end(ap);
		putchar('\n');
	}
	json_object_put(obj);
}

/* ---- errors ------------------------------------------------------------------- */

const char *cli_err_name(int err)
{
	switch (err) {
	case -EACCES: return "DENIED";
	case -ENOENT: return "NOT_FOUND";
	case -ERANGE: return "OUT_OF_RANGE";
	case -EINVAL: return "INVALID_PARAMETERS";
	case -EOPNOTSUPP: return "NOT_SUPPORTED";
	case -EBUSY: return "BUSY";
	case -EADDRINUSE: return "IN_USE";
	case -ECOMM: return "COMMS_ERROR";
	case -EIO: return "GENERIC_ERROR";
	case -EREMOTEIO: return "HARDWARE_ERROR";
	case -EPROTO: return "PROTOCOL_ERROR";
	case -ETIMEDOUT: return "timed out: the back-end did not answer";
	case -ECONNRESET: return "the back-end went away";
	case -ENOTCONN: return "not connected to a back-end";
	case -ENODEV: return "no such device";
	default: return strerror(-err);
	}
}

static int exit_code(int err)
{
	switch (err) {
	case -EACCES: return CLI_EDENIED;
	case -ENOENT:
	case -ERANGE:
	case -EINVAL: return CLI_ENOTFOUND;
	case -ETIMEDOUT:
	case -ECONNRESET: return CLI_ETIMEOUT;
	case -ENOTCONN:
	case -ENODEV: return CLI_ENODEV;
	case -EPROTO:
	case -EBADMSG: return CLI_EPROTO;
	default: return CLI_EFAIL;
	}
}

int cli_fail(struct cli *c, int err, const char *fmt, ...)
{
	char what[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (err == -EACCES)
		fprintf(stderr, "%s: guest %s may not %s: DENIED\n", c->prog,
			c->agent[0] ? c->agent : "(this guest)", what);
	else
		fprintf(stderr, "%s: cannot %s: %s\n", c->prog, what, cli_err_name(err));
	return exit_code(err);
}

int cli_usage(struct cli *c, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", c->prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry '%s --help'.\n", c->prog);
	return CLI_EUSAGE;
}

/* ---- resources ------------------------------------------------------------------ */

const char *cli_kind_name(enum cli_kind k)
{
	static const char *const names[CLI_KIND_COUNT] = {
		[CLI_CLOCK] = "clock", [CLI_PERF] = "performance domain",
		[CLI_POWER] = "power domain", [CLI_SENSOR] = "sensor",
		[CLI_RESET] = "reset domain", [CLI_VOLTAGE] = "voltage domain",
		[CLI_POWERCAP] = "power-capping domain", [CLI_PIN] = "pin",
	};

	return k < CLI_KIND_COUNT ? names[k] : "resource";
}

const char *cli_kind_group(enum cli_kind k)
{
	static const char *const groups[CLI_KIND_COUNT] = {
		[CLI_CLOCK] = "clock", [CLI_PERF] = "perf", [CLI_POWER] = "power",
		[CLI_SENSOR] = "sensor", [CLI_RESET] = "reset", [CLI_VOLTAGE] = "voltage",
		[CLI_POWERCAP] = "powercap", [CLI_PIN] = "pin",
	};

	return k < CLI_KIND_COUNT ? groups[k] : "";
}

int cli_count(struct cli *c, enum cli_kind k, uint32_t *n)
{
	uint32_t ver;

	if (cli_connect(c))
		return -ENOTCONN;
	switch (k) {
	case CLI_CLOCK: {
		struct scmi_clock_proto_info i;
		int r = scmi_clock_protocol_attributes(c->h, &i);

		*n = r ? 0 : i.num_clocks;
		return r;
	}
	case CLI_PERF: {
		struct scmi_perf_proto_info i;
		int r = scmi_perf_protocol_attributes(c->h, &i);

		*n = r ? 0 : i.num_domains;
		return r;
	}
	case CLI_POWER: {
		struct scmi_power_proto_info i;
		int r = scmi_power_protocol_attributes(c->h, &i);

		*n = r ? 0 : i.num_domains;
		return r;
	}
	case CLI_SENSOR: {
		struct scmi_sensor_proto_info i;
		int r = scmi_sensor_protocol_attributes(c->h, &i);

		*n = r ? 0 : i.num_sensors;
		return r;
	}
	case CLI_RESET:
		return scmi_reset_protocol_attributes(c->h, &ver, n);
	case CLI_VOLTAGE:
		return scmi_voltage_protocol_attributes(c->h, &ver, n);
	case CLI_POWERCAP:
		return scmi_powercap_protocol_attributes(c->h, &ver, n);
	case CLI_PIN: {
		struct scmi_pinctrl_proto_info i;
		int r = scmi_pinctrl_protocol_attributes(c->h, &i);

		*n = r ? 0 : i.num_pins;
		return r;
	}
	default:
		return -EINVAL;
	}
}

static int name_of(struct cli *c, enum cli_kind k, uint32_t id, char name[SCMI_NAME_MAX])
{
	switch (k) {
	case CLI_CLOCK: return scmi_clock_name_get(c->h, id, name);
	case CLI_PERF: return scmi_perf_domain_name_get(c->h, id, name);
	case CLI_POWER: return scmi_power_domain_name_get(c->h, id, name);
	case CLI_SENSOR: return scmi_sensor_name_get(c->h, id, name);
	case CLI_RESET: return scmi_reset_domain_name_get(c->h, id, name);
	case CLI_VOLTAGE: return scmi_voltage_domain_name_get(c->h, id, name);
	case CLI_POWERCAP: return scmi_powercap_domain_name_get(c->h, id, name);
	case CLI_PIN: return scmi_pinctrl_name_get(c->h, SCMI_PINCTRL_PIN, id, name);
	default: return -EINVAL;
	}
}

int cli_resolve(struct cli *c, enum cli_kind k, const char *arg, uint32_t *id,
		char name[SCMI_NAME_MAX])
{
	uint32_t n, i;
	int ret;

	CLI_CONNECT(c);
	if (cli_parse_u32(arg, id) == 0) {
		ret = name_of(c, k, *id, name);
		if (ret == -ENOENT || ret == -EINVAL || ret == -ERANGE) {
			fprintf(stderr, "%s: guest %s sees no %s %u\n", c->prog, c->agent,
				cli_kind_name(k), *id);
			return CLI_ENOTFOUND;
		}
		if (ret)
			return cli_fail(c, ret, "read the name of %s %u", cli_kind_name(k), *id);
		return 0;
	}
	ret = cli_count(c, k, &n);
	if (ret)
		return cli_fail(c, ret, "list %ss", cli_kind_name(k));
	for (i = 0; i < n; i++) {
		if (name_of(c, k, i, name) == 0 && !strcmp(name, arg)) {
			*id = i;
			return 0;
		}
	}
	fprintf(stderr, "%s: guest %s sees no %s named '%s' (try '%s %s list')\n",
		c->prog, c->agent, cli_kind_name(k), arg, c->prog, cli_kind_group(k));
	return CLI_ENOTFOUND;
}
