/* SPDX-License-Identifier: MIT */
/*
 * vscmi, the guest-side command line: shared state and helpers.
 *
 * Every command builds its result as a json-c object; out.c renders it
 * either as JSON (--json) or as a table with units, from the same data, so
 * the two outputs cannot disagree.
 */
#ifndef VSCMI_CLI_H
#define VSCMI_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <json-c/json.h>

#include <vscmi/scmi_protocols.h>
#include <scmi/wire/all.h>

#include "conn.h"

struct scmi_handle;
struct vscmi_conn;

/* Exit codes (documented in vscmi(1)). */
enum cli_exit {
	CLI_OK = 0,
	CLI_EFAIL = 1,		/* the platform refused or failed otherwise */
	CLI_EUSAGE = 2,		/* bad command line */
	CLI_ENODEV = 3,		/* no device, back-end not there */
	CLI_EDENIED = 4,	/* DENIED: not this guest's to control */
	CLI_ENOTFOUND = 5,	/* no such resource, or value out of range */
	CLI_ETIMEOUT = 6,	/* no answer, or the back-end went away */
	CLI_EPROTO = 7,		/* the back-end broke the protocol */
};

struct cli {
	struct vscmi_conn *conn;
	struct scmi_handle *h;
	unsigned devid;
	bool json;
	uint64_t timeout_ms;	/* 0: the library default */
	bool poll;
	char agent[SCMI_NAME_MAX];	/* our agent (guest) name */
	uint32_t agent_id;
	const char *prog;
};

/** One subcommand: "clock list", "perf set"... */
struct cli_cmd {
	const char *group;	/* "clock" */
	const char *name;	/* "list" (NULL: the group itself, e.g. "info") */
	const char *args;	/* usage of the arguments */
	const char *help;	/* one line */
	int (*run)(struct cli *c, int argc, char **argv);
	int min_args, max_args;
};

/* The command tables of each file, NULL-terminated by .group == NULL. */
extern const struct cli_cmd cli_res_cmds[];
extern const struct cli_cmd cli_sensor_cmds[];
extern const struct cli_cmd cli_misc_cmds[];

/**
 * Open the device on first use, after the command checked its arguments
 * (a usage error never waits for a back-end). 0 or an exit code.
 */
int cli_connect(struct cli *c);
#define CLI_CONNECT(c) do { int r_ = cli_connect(c); if (r_) return r_; } while (0)

/* ---- output (out.c) --------------------------------------------------------- */

/** How a column's value is shown in a table. */
enum cli_fmt {
	CLI_FMT_STR,		/* as is */
	CLI_FMT_HZ,		/* 800000000 -> 800 MHz */
	CLI_FMT_UV,		/* microvolts -> mV / V */
	CLI_FMT_MW,		/* milliwatts (or "abstract") */
	CLI_FMT_ONOFF,		/* bool -> on / off */
	CLI_FMT_YESNO,		/* bool -> yes / no */
	CLI_FMT_HEX,		/* 0x... */
};

struct cli_col {
	const char *key;	/* JSON member */
	const char *header;
	enum cli_fmt fmt;
};

/** Print @obj: JSON, or one "key: value" line per column. */
void cli_show_object(struct cli *c, json_object *obj, const struct cli_col *cols);
/** Print @arr of objects: JSON, or a table with @cols. Takes ownership. */
void cli_show_table(struct cli *c, json_object *arr, const struct cli_col *cols);
/** Print a one-line human message, or @obj as JSON. Takes ownership. */
void cli_show_result(struct cli *c, json_object *obj, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/** Format @hz with the best unit ("800 MHz", "32.768 kHz"). */
void cli_fmt_hz(uint64_t hz, char *buf, size_t len);
/** Format microvolts ("850 mV", "1.2 V"). */
void cli_fmt_uv(int64_t uv, char *buf, size_t len);
/** Format a sensor value with its SCMI unit and power-of-ten scale. */
void cli_fmt_sensor(int64_t value, int8_t scale, uint8_t unit, char *buf, size_t len);
/** Name of SCMI sensor unit type @unit ("°C", "V", ...). */
const char *cli_sensor_unit(uint8_t unit);

/** Parse "800MHz", "1.2 GHz", "32768" (Hz) -> Hz. 0 or -EINVAL/-ERANGE. */
int cli_parse_hz(const char *s, uint64_t *hz);
/** Parse "850mV", "1.1V", "850000" (uV) -> microvolts. */
int cli_parse_uv(const char *s, int64_t *uv);
/** Parse a plain unsigned number (decimal or 0x hex). */
int cli_parse_u32(const char *s, uint32_t *v);

/* ---- errors ------------------------------------------------------------------ */

/**
 * Report that @what failed with @err ("guest ivi may not control clock 3
 * (gpu_core): DENIED") and return the matching exit code.
 */
int cli_fail(struct cli *c, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/** Report a usage problem and return CLI_EUSAGE. */
int cli_usage(struct cli *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/** "DENIED", "NOT_FOUND"... for a negative errno from the agent. */
const char *cli_err_name(int err);

/* ---- resources --------------------------------------------------------------- */

/** Resource kinds a name or number on the command line can refer to. */
enum cli_kind {
	CLI_CLOCK, CLI_PERF, CLI_POWER, CLI_SENSOR, CLI_RESET, CLI_VOLTAGE,
	CLI_POWERCAP, CLI_PIN, CLI_KIND_COUNT
};
/** "clock", "performance domain"... */
const char *cli_kind_name(enum cli_kind k);
/** The command group of kind @k: "clock", "perf"... */
const char *cli_kind_group(enum cli_kind k);
/**
 * Turn @arg (a number or a name) into the resource id of kind @k; the name
 * goes to @name. Reports the error itself: returns 0 or an exit code.
 */
int cli_resolve(struct cli *c, enum cli_kind k, const char *arg, uint32_t *id,
		char name[SCMI_NAME_MAX]);
/** How many resources of kind @k this guest sees. */
int cli_count(struct cli *c, enum cli_kind k, uint32_t *n);

#endif
