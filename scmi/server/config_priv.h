/* SPDX-License-Identifier: MIT */
/*
 * Private to the config parser (config.c, config_schema.c): the parsing
 * context, the line scanner's results and the value helpers. Every helper
 * that finds a problem records the first error ("FILE:LINE: ...") in the
 * context and returns false / a negative value; callers stop at c->rc.
 */
#ifndef VSCMI_SCMI_SRV_CONFIG_PRIV_H
#define VSCMI_SCMI_SRV_CONFIG_PRIV_H

#include <libxlutil.h>

#include "scmi/server/srv.h"

/* A setting as the scanner saw it: its line and each list item's line. */
struct cfg_key {
	char name[64];
	unsigned line;
	unsigned n_item;
	unsigned *item_line;
};

struct cfg_scan {
	struct cfg_key *key;
	unsigned n;
};

struct cfg_ctx {
	const char *file;
	XLU_Config *x;
	struct cfg_scan scan;
	struct scmi_srv_config *cfg;
	char *err;
	size_t errlen;
	int rc;			/* first error */
	/* the item being parsed, for messages */
	const char *setting;
	unsigned item;
	unsigned line;
	char what[96];
};

/* A unit suffix and its multiplier to the base unit. */
struct cfg_unit {
	const char *suffix;
	uint64_t mult;
};
extern const struct cfg_unit srv_cfg_units_hz[], srv_cfg_units_time_us[], srv_cfg_units_power[],
	srv_cfg_units_volt[], srv_cfg_units_none[];

/* An item string split into key=value pairs (modified copy in buf). */
#define KV_MAX 24
struct kv {
	char buf[1024];
	unsigned n;
	char *k[KV_MAX], *v[KV_MAX];
	bool used[KV_MAX];
};

/** Record the first error, at @line. */
void srv_cfg_err(struct cfg_ctx *c, unsigned line, const char *fmt, ...) OS_PRINTF(3, 4);
/** The same about the current item: "SETTING item N (NAME): ...". */
void srv_cfg_item_err(struct cfg_ctx *c, const char *fmt, ...) OS_PRINTF(2, 3);
/** Line of a setting (1 if absent) / of item @i of it. */
unsigned srv_cfg_key_line(struct cfg_ctx *c, const char *key);
unsigned srv_cfg_item_line(struct cfg_ctx *c, const char *key, unsigned i);
/** "[-]DIGITS[.DIGITS]SUFFIX" -> base units; -EINVAL / -ERANGE. */
int srv_cfg_parse_scaled(const char *s, const struct cfg_unit *u, bool sign, int64_t *out);
bool srv_cfg_kv_split(struct cfg_ctx *c, const char *s, struct kv *kv);
/** Value of @key (marking it used), NULL if absent. */
const char *srv_cfg_kv_get(struct kv *kv, const char *key);
/** Every key was used; else an error listing @allowed. */
bool srv_cfg_kv_check_unused(struct cfg_ctx *c, struct kv *kv, const char *allowed);
/** Optional scaled value in [@min, @max]; *out unchanged if absent. */
bool srv_cfg_get_scaled(struct cfg_ctx *c, struct kv *kv, const char *key,
			const struct cfg_unit *u, const char *unit_help, int64_t min, int64_t max,
			int64_t *out);
bool srv_cfg_get_bool(struct cfg_ctx *c, struct kv *kv, const char *key, bool *out);
bool srv_cfg_valid_name(const char *n, size_t max);
/** name (required, unique), async, latency: the keys of every resource. */
bool srv_cfg_get_common(struct cfg_ctx *c, struct kv *kv, enum srv_rtype t, unsigned idx,
			struct srv_res_common *rc);
/** Split @v at '|' in place; -1 beyond @max parts. */
int srv_cfg_split_list(char *v, char **part, int max);
/** "V1|V2|..." ascending, or "MIN-MAX/STEP" (*range; out[0..2]). */
bool srv_cfg_get_value_list(struct cfg_ctx *c, struct kv *kv, const char *key,
			    const struct cfg_unit *u, const char *help, bool sign, int64_t min,
			    int64_t max, int maxn, int64_t *out, int *n, bool *range);
/** const:/ramp:/sine:/walk:/file: value sources. */
bool srv_cfg_get_source(struct cfg_ctx *c, struct kv *kv, const char *key, struct srv_source *src);
/** "A|B" names of resources of @t -> global indexes. */
bool srv_cfg_get_refs(struct cfg_ctx *c, struct kv *kv, const char *key, enum srv_rtype t,
		      uint16_t *out, uint8_t *n, int max);

/* config_schema.c: the sections, in the order parse_all() calls them. */
void srv_cfg_parse_resources(struct cfg_ctx *c, enum srv_rtype t);
void srv_cfg_resolve_parents(struct cfg_ctx *c);
void srv_cfg_parse_devices(struct cfg_ctx *c);
void srv_cfg_parse_agents(struct cfg_ctx *c);

#endif /* VSCMI_SCMI_SRV_CONFIG_PRIV_H */
