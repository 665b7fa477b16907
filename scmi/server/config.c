// SPDX-License-Identifier: MIT
/*
 * The server's config file: xl-config syntax (the Xen toolstack's, parsed
 * by libxlutil), schema in docs/config.md. This file: reading, the line
 * scanner, errors, values with units and item strings; the resource kinds,
 * devices and agents are in config_schema.c.
 *
 * libxlutil does the lexing and parsing and reports syntax errors with their
 * line. It has no way to list the settings of a file nor to tell the line of
 * a list item, so a small scanner (cfg_scan) walks the same text once more to
 * find each setting's line and each list item's line: unknown settings are
 * errors and every semantic error names the exact line of the item. Items
 * are "key=value,key=value" strings, as xl's disk and vif specifications.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scmi/server/config_priv.h"

/* ---- the scanner: settings and list items with their lines ----------------- */


static void cfg_scan_free(struct cfg_scan *sc)
{
	for (unsigned i = 0; i < sc->n; i++)
		free(sc->key[i].item_line);
	free(sc->key);
	sc->key = NULL;
	sc->n = 0;
}

static struct cfg_key *cfg_scan_key(struct cfg_scan *sc, const char *name)
{
	for (unsigned i = 0; i < sc->n; i++)
		if (!strcmp(sc->key[i].name, name))
			return &sc->key[i];
	return NULL;
}

static int cfg_scan_add_item(struct cfg_key *k, unsigned line)
{
	if (!(k->n_item & (k->n_item + 1))) {	/* grow at 0, 1, 3, 7, ... */
		unsigned *n = realloc(k->item_line, sizeof(*n) * (k->n_item + 1) * 2);

		if (!n)
			return -ENOMEM;
		k->item_line = n;
	}
	k->item_line[k->n_item++] = line;
	return 0;
}

/* Run only on text libxlutil accepted, so it may be lenient. */
static int cfg_scan(struct cfg_scan *sc, const char *d, size_t len)
{
	unsigned line = 1, depth = 0;
	struct cfg_key *cur = NULL;
	size_t i = 0;

	while (i < len) {
		char c = d[i];

		if (c == '\n') {
			line++;
			i++;
		} else if (c == '#') {
			while (i < len && d[i] != '\n')
				i++;
		} else if (c == '"' || c == '\'') {
			if (depth == 1 && cur && cfg_scan_add_item(cur, line))
				return -ENOMEM;
			for (i++; i < len && d[i] != c; i++) {
				if (d[i] == '\\' && c == '"' && i + 1 < len)
					i++;
				if (d[i] == '\n')
					line++;
			}
			i++;
		} else if (c == '[') {
			if (depth == 1 && cur && cfg_scan_add_item(cur, line))
				return -ENOMEM;
			depth++;
			i++;
		} else if (c == ']') {
			if (depth)
				depth--;
			i++;
		} else if (depth == 0 && (isalpha((unsigned char)c) || c == '_')) {
			size_t s = i, n;
			bool append;

			while (i < len && (isalnum((unsigned char)d[i]) || d[i] == '_'))
				i++;
			n = i - s;
			while (i < len && (d[i] == ' ' || d[i] == '\t'))
				i++;
			append = i < len && d[i] == '+';
			if (n >= sizeof(cur->name))
				n = sizeof(cur->name) - 1;
			char name[64];

			memcpy(name, d + s, n);
			name[n] = 0;
			cur = cfg_scan_key(sc, name);
			if (!cur) {
				struct cfg_key *k = realloc(sc->key, sizeof(*k) * (sc->n + 1));

				if (!k)
					return -ENOMEM;
				sc->key = k;
				cur = &k[sc->n++];
				memset(cur, 0, sizeof(*cur));
				memcpy(cur->name, name, n + 1);
				cur->line = line;
			} else if (!append) {
				cur->n_item = 0;	/* '=' replaces, '+=' appends */
				cur->line = line;
			}
		} else if (isalnum((unsigned char)c) || c == '-' || c == '.') {
			/* a number (an item when inside a list) */
			if (depth == 1 && cur && cfg_scan_add_item(cur, line))
				return -ENOMEM;
			while (i < len && (isalnum((unsigned char)d[i]) || strchr("._-+", d[i])))
				i++;
		} else {
			i++;
		}
	}
	return 0;
}

/* ---- parsing context and errors -------------------------------------------- */


void srv_cfg_err(struct cfg_ctx *c, unsigned line, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (c->rc)
		return;
	c->rc = -EINVAL;
	if (!c->errlen)
		return;
	n = snprintf(c->err, c->errlen, "%s:%u: ", c->file, line);
	if (n < 0 || (size_t)n >= c->errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(c->err + n, c->errlen - (size_t)n, fmt, ap);
	va_end(ap);
	/* values are quoted as written: keep the message one printable line */
	for (char *p = c->err; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
}

/* An error about the current list item: "FILE:LINE: clocks item 2 (gpu): ..." */
void srv_cfg_item_err(struct cfg_ctx *c, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (c->what[0])
		srv_cfg_err(c, c->line, "%s item %u (%s): %s", c->setting, c->item + 1, c->what, msg);
	else
		srv_cfg_err(c, c->line, "%s item %u: %s", c->setting, c->item + 1, msg);
}

unsigned srv_cfg_key_line(struct cfg_ctx *c, const char *key)
{
	struct cfg_key *k = cfg_scan_key(&c->scan, key);

	return k ? k->line : 1;	/* a missing setting: the top of the file */
}

unsigned srv_cfg_item_line(struct cfg_ctx *c, const char *key, unsigned i)
{
	struct cfg_key *k = cfg_scan_key(&c->scan, key);

	if (!k)
		return 0;
	return i < k->n_item ? k->item_line[i] : k->line;
}

/* ---- values with units ------------------------------------------------------ */


const struct cfg_unit srv_cfg_units_hz[] = {
	{ "", 1 }, { "Hz", 1 }, { "k", 1000 }, { "K", 1000 }, { "kHz", 1000 }, { "KHz", 1000 },
	{ "M", 1000000 }, { "MHz", 1000000 }, { "G", 1000000000 }, { "GHz", 1000000000 }, { NULL, 0 }
};
const struct cfg_unit srv_cfg_units_time_us[] = {	/* base: microseconds */
	{ "us", 1 }, { "ms", 1000 }, { "s", 1000000 }, { NULL, 0 }
};
const struct cfg_unit srv_cfg_units_power[] = {	/* base: microwatts */
	{ "uW", 1 }, { "mW", 1000 }, { "W", 1000000 }, { NULL, 0 }
};
const struct cfg_unit srv_cfg_units_volt[] = {	/* base: microvolts */
	{ "uV", 1 }, { "mV", 1000 }, { "V", 1000000 }, { NULL, 0 }
};
const struct cfg_unit srv_cfg_units_none[] = { { "", 1 }, { NULL, 0 } };

/*
 * "[-]DIGITS[.DIGITS]SUFFIX" -> integer in base units; -EINVAL on syntax, an
 * unknown suffix or a fraction finer than the base unit, -ERANGE on overflow.
 */
int srv_cfg_parse_scaled(const char *s, const struct cfg_unit *u, bool sign, int64_t *out)
{
	uint64_t ip = 0, fp = 0, fdiv = 1;
	bool neg = false, digits = false;
	const char *p = s;

	if (sign && *p == '-') {
		neg = true;
		p++;
	}
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		char *end;
		unsigned long long v = strtoull(p, &end, 16);

		if (end == p + 2 || *end || v > INT64_MAX)
			return -EINVAL;
		*out = neg ? -(int64_t)v : (int64_t)v;
		return 0;
	}
	for (; isdigit((unsigned char)*p); p++, digits = true) {
		if (ip > (UINT64_MAX - 9) / 10)
			return -ERANGE;
		ip = ip * 10 + (uint64_t)(*p - '0');
	}
	if (*p == '.') {
		for (p++; isdigit((unsigned char)*p); p++, digits = true) {
			if (fdiv > UINT64_MAX / 100)
				return -EINVAL;
			fp = fp * 10 + (uint64_t)(*p - '0');
			fdiv *= 10;
		}
	}
	if (!digits)
		return -EINVAL;
	for (; u->suffix; u++) {
		if (strcmp(p, u->suffix))
			continue;
		if (ip > INT64_MAX / u->mult)
			return -ERANGE;
		if ((fp * u->mult) % fdiv)
			return -EINVAL;
		uint64_t v = ip * u->mult + fp * u->mult / fdiv;

		if (v > INT64_MAX)
			return -ERANGE;
		*out = neg ? -(int64_t)v : (int64_t)v;
		return 0;
	}
	return -EINVAL;
}

/* ---- "key=value,..." items -------------------------------------------------- */


bool srv_cfg_kv_split(struct cfg_ctx *c, const char *s, struct kv *kv)
{
	char *p, *save = NULL;

	memset(kv, 0, sizeof(*kv));
	if (strlen(s) >= sizeof(kv->buf)) {
		srv_cfg_item_err(c, "longer than %zu characters", sizeof(kv->buf) - 1);
		return false;
	}
	strcpy(kv->buf, s);
	for (p = strtok_r(kv->buf, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(p, '=');

		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			continue;
		if (!eq) {
			srv_cfg_item_err(c, "`%s' is not key=value", p);
			return false;
		}
		*eq = 0;
		for (char *e = eq - 1; e >= p && (*e == ' ' || *e == '\t'); e--)
			*e = 0;
		if (kv->n == KV_MAX) {
			srv_cfg_item_err(c, "more than %d keys", KV_MAX);
			return false;
		}
		for (unsigned i = 0; i < kv->n; i++) {
			if (!strcmp(kv->k[i], p)) {
				srv_cfg_item_err(c, "key `%s' given twice", p);
				return false;
			}
		}
		kv->k[kv->n] = p;
		kv->v[kv->n++] = eq + 1;
	}
	return true;
}

const char *srv_cfg_kv_get(struct kv *kv, const char *key)
{
	for (unsigned i = 0; i < kv->n; i++) {
		if (!strcmp(kv->k[i], key)) {
			kv->used[i] = true;
			return kv->v[i];
		}
	}
	return NULL;
}

bool srv_cfg_kv_check_unused(struct cfg_ctx *c, struct kv *kv, const char *allowed)
{
	for (unsigned i = 0; i < kv->n; i++) {
		if (!kv->used[i]) {
			srv_cfg_item_err(c, "unknown key `%s' (known: %s)", kv->k[i], allowed);
			return false;
		}
	}
	return true;
}

bool srv_cfg_get_scaled(struct cfg_ctx *c, struct kv *kv, const char *key,
		       const struct cfg_unit *u, const char *unit_help, int64_t min, int64_t max,
		       int64_t *out)
{
	const char *v = srv_cfg_kv_get(kv, key);
	int64_t x;

	if (!v)
		return true;
	if (srv_cfg_parse_scaled(v, u, min < 0, &x)) {
		srv_cfg_item_err(c, "%s: `%s' is not a valid value%s%s", key, v, unit_help ? " " : "",
			 unit_help ? unit_help : "");
		return false;
	}
	if (x < min || x > max) {
		srv_cfg_item_err(c, "%s: %s is out of range (%lld..%lld)", key, v, (long long)min,
			 (long long)max);
		return false;
	}
	*out = x;
	return true;
}

bool srv_cfg_get_bool(struct cfg_ctx *c, struct kv *kv, const char *key, bool *out)
{
	const char *v = srv_cfg_kv_get(kv, key);

	if (!v)
		return true;
	if (!strcmp(v, "1") || !strcmp(v, "yes") || !strcmp(v, "on") || !strcmp(v, "true")) {
		*out = true;
	} else if (!strcmp(v, "0") || !strcmp(v, "no") || !strcmp(v, "off") ||
		   !strcmp(v, "false")) {
		*out = false;
	} else {
		srv_cfg_item_err(c, "%s: `%s' is not a boolean (0/1, yes/no, on/off)", key, v);
		return false;
	}
	return true;
}

bool srv_cfg_valid_name(const char *n, size_t max)
{
	size_t len = strlen(n);

	if (!len || len >= max)
		return false;
	for (; *n; n++)
		if (!isgraph((unsigned char)*n) || strchr(",:|=*\"'", *n))
			return false;
	return true;
}

/*
 * The keys every resource has: name (required, unique), async, latency.
 * Sets c->what for the messages that follow.
 */
bool srv_cfg_get_common(struct cfg_ctx *c, struct kv *kv, enum srv_rtype t, unsigned idx,
		       struct srv_res_common *rc)
{
	const char *name = srv_cfg_kv_get(kv, "name");
	int64_t lat = 0;

	if (!name) {
		srv_cfg_item_err(c, "no name= given");
		return false;
	}
	if (!srv_cfg_valid_name(name, SRV_NAME_LEN)) {
		srv_cfg_item_err(c, "name `%s' is invalid (1..%d printable characters, none of , : | = * quotes)",
			 name, SRV_NAME_LEN - 1);
		return false;
	}
	snprintf(c->what, sizeof(c->what), "%s", name);
	for (unsigned i = 0; i < idx; i++) {
		if (!strcmp(srv_def(c->cfg, t, i)->name, name)) {
			srv_cfg_item_err(c, "a %s named `%s' already exists (item %u)", srv_rtype_name(t),
				 name, i + 1);
			return false;
		}
	}
	strcpy(rc->name, name);
	if (!srv_cfg_get_bool(c, kv, "async", &rc->async))
		return false;
	if (!srv_cfg_get_scaled(c, kv, "latency", srv_cfg_units_time_us, "(a time: us, ms or s)", 0,
			60 * 1000000LL, &lat))
		return false;
	rc->latency_ns = (uint64_t)lat * 1000;
	return true;
}

/* "a|b|c" or "min-max/step" lists of scaled values. */
int srv_cfg_split_list(char *v, char **part, int max)
{
	int n = 0;
	char *save = NULL;

	for (char *p = strtok_r(v, "|", &save); p; p = strtok_r(NULL, "|", &save)) {
		if (n == max)
			return -1;
		part[n++] = p;
	}
	return n;
}

/*
 * A value list: "v1|v2|..." (ascending, distinct) or a range "min-max/step".
 * @range: out, whether it was a range (then out[0..2] = min, max, step).
 */
bool srv_cfg_get_value_list(struct cfg_ctx *c, struct kv *kv, const char *key,
			   const struct cfg_unit *u, const char *help, bool sign, int64_t min,
			   int64_t max, int maxn, int64_t *out, int *n, bool *range)
{
	const char *v0 = srv_cfg_kv_get(kv, key);
	char v[512], *part[64];
	char *slash, *dash;
	int cnt;

	if (!v0)
		return true;
	if (strlen(v0) >= sizeof(v)) {
		srv_cfg_item_err(c, "%s: too long", key);
		return false;
	}
	strcpy(v, v0);
	slash = strchr(v, '/');
	dash = strchr(v + (v[0] == '-'), '-');	/* a leading '-' is a sign */
	if (slash || (dash && !strchr(v, '|'))) {
		if (!slash || !dash || dash > slash) {
			srv_cfg_item_err(c, "%s: `%s' is not a range MIN-MAX/STEP", key, v0);
			return false;
		}
		*dash = 0;
		*slash = 0;
		if (srv_cfg_parse_scaled(v, u, sign, &out[0]) || srv_cfg_parse_scaled(dash + 1, u, sign, &out[1]) ||
		    srv_cfg_parse_scaled(slash + 1, u, false, &out[2])) {
			srv_cfg_item_err(c, "%s: `%s' is not a range MIN-MAX/STEP %s", key, v0, help);
			return false;
		}
		if (out[0] < min || out[1] > max || out[0] >= out[1] || out[2] <= 0 ||
		    (out[1] - out[0]) % out[2]) {
			srv_cfg_item_err(c, "%s: range `%s' needs MIN < MAX, STEP > 0 dividing MAX - MIN, within %lld..%lld",
				 key, v0, (long long)min, (long long)max);
			return false;
		}
		*n = 3;
		*range = true;
		return true;
	}
	cnt = srv_cfg_split_list(v, part, 64);
	if (cnt < 1 || cnt > maxn) {
		srv_cfg_item_err(c, "%s: between 1 and %d values separated by |", key, maxn);
		return false;
	}
	for (int i = 0; i < cnt; i++) {
		if (srv_cfg_parse_scaled(part[i], u, sign, &out[i])) {
			srv_cfg_item_err(c, "%s: `%s' is not a valid value %s", key, part[i], help);
			return false;
		}
		if (out[i] < min || out[i] > max) {
			srv_cfg_item_err(c, "%s: %s is out of range (%lld..%lld)", key, part[i],
				 (long long)min, (long long)max);
			return false;
		}
		if (i && out[i] <= out[i - 1]) {
			srv_cfg_item_err(c, "%s: values must be ascending and distinct (%s)", key, part[i]);
			return false;
		}
	}
	*n = cnt;
	*range = false;
	return true;
}

/*
 * A value source: const:V | ramp:LO:HI:STEP[:PERIOD] | sine:LO:HI:PERIOD |
 * walk:LO:HI:STEP[:PERIOD] | file:PATH
 */
bool srv_cfg_get_source(struct cfg_ctx *c, struct kv *kv, const char *key, struct srv_source *src)
{
	const char *v0 = srv_cfg_kv_get(kv, key);
	char v[256], *f[6] = { 0 }, *save = NULL;
	int n = 0;

	if (!v0)
		return true;
	if (!strncmp(v0, "file:", 5)) {
		if (!v0[5] || strlen(v0 + 5) >= sizeof(src->path)) {
			srv_cfg_item_err(c, "%s: file: needs a path of at most %zu characters", key,
				 sizeof(src->path) - 1);
			return false;
		}
		src->kind = SRV_SRC_FILE;
		strcpy(src->path, v0 + 5);
		return true;
	}
	if (strlen(v0) >= sizeof(v))
		goto bad;
	strcpy(v, v0);
	for (char *p = strtok_r(v, ":", &save); p && n < 6; p = strtok_r(NULL, ":", &save))
		f[n++] = p;
	int64_t per = 1000000;	/* 1 s */

	if (!n)
		goto bad;
	memset(src, 0, sizeof(*src));
	if (!strcmp(f[0], "const") && n == 2) {
		src->kind = SRV_SRC_CONST;
		if (srv_cfg_parse_scaled(f[1], srv_cfg_units_none, true, &src->lo))
			goto bad;
		return true;
	}
	if (n < 4)
		goto bad;
	if (srv_cfg_parse_scaled(f[1], srv_cfg_units_none, true, &src->lo) ||
	    srv_cfg_parse_scaled(f[2], srv_cfg_units_none, true, &src->hi) || src->lo >= src->hi)
		goto bad;
	if (!strcmp(f[0], "sine") && n == 4) {
		src->kind = SRV_SRC_SINE;
		if (srv_cfg_parse_scaled(f[3], srv_cfg_units_time_us, false, &per) || per <= 0)
			goto bad;
	} else if ((!strcmp(f[0], "ramp") || !strcmp(f[0], "walk")) && (n == 4 || n == 5)) {
		src->kind = f[0][0] == 'r' ? SRV_SRC_RAMP : SRV_SRC_WALK;
		if (srv_cfg_parse_scaled(f[3], srv_cfg_units_none, false, &src->step) || src->step <= 0 ||
		    src->step > src->hi - src->lo)
			goto bad;
		if (n == 5 && (srv_cfg_parse_scaled(f[4], srv_cfg_units_time_us, false, &per) || per <= 0))
			goto bad;
	} else {
		goto bad;
	}
	src->period_ns = (uint64_t)per * 1000;
	return true;
bad:
	srv_cfg_item_err(c, "%s: `%s' is not a source (const:V, ramp:LO:HI:STEP[:PERIOD], "
		 "sine:LO:HI:PERIOD, walk:LO:HI:STEP[:PERIOD] or file:PATH; LO < HI, STEP > 0)",
		 key, v0);
	return false;
}

/* Names "a|b|c" of resources of @t -> global indexes. */
bool srv_cfg_get_refs(struct cfg_ctx *c, struct kv *kv, const char *key, enum srv_rtype t,
		     uint16_t *out, uint8_t *n, int max)
{
	const char *v0 = srv_cfg_kv_get(kv, key);
	char v[1024], *part[64];
	int cnt;

	if (!v0)
		return true;
	if (strlen(v0) >= sizeof(v)) {
		srv_cfg_item_err(c, "%s: too long", key);
		return false;
	}
	strcpy(v, v0);
	cnt = srv_cfg_split_list(v, part, 64);
	if (cnt < 1 || cnt > max) {
		srv_cfg_item_err(c, "%s: between 1 and %d names separated by |", key, max);
		return false;
	}
	for (int i = 0; i < cnt; i++) {
		int g = srv_find(c->cfg, t, part[i]);

		if (g < 0) {
			srv_cfg_item_err(c, "%s: no %s named `%s'", key, srv_rtype_name(t), part[i]);
			return false;
		}
		for (int j = 0; j < i; j++) {
			if (out[j] == g) {
				srv_cfg_item_err(c, "%s: `%s' listed twice", key, part[i]);
				return false;
			}
		}
		out[i] = (uint16_t)g;
	}
	*n = (uint8_t)cnt;
	return true;
}

/* ---- global settings ----------------------------------------------------------- */

static void get_global_string(struct cfg_ctx *c, const char *key, char *out, size_t max)
{
	const char *v;
	int r = xlu_cfg_get_string(c->x, key, &v, 1);

	if (r == ESRCH)
		return;
	if (r || strlen(v) >= max)
		srv_cfg_err(c, srv_cfg_key_line(c, key), "`%s' must be a string of at most %zu characters", key,
			max - 1);
	else
		strcpy(out, v);
}

static void get_global_time(struct cfg_ctx *c, const char *key, uint64_t *ns, int64_t min_us)
{
	const char *v;
	int64_t us;
	int r = xlu_cfg_get_string(c->x, key, &v, 1);

	if (r == ESRCH)
		return;
	if (r || srv_cfg_parse_scaled(v, srv_cfg_units_time_us, false, &us) || us < min_us || us > 3600000000LL)
		srv_cfg_err(c, srv_cfg_key_line(c, key),
			"`%s' must be a time such as \"500us\", \"2ms\" or \"1s\" (at least %lldus)",
			key, (long long)min_us);
	else
		*ns = (uint64_t)us * 1000;
}

static const char *const known_settings[] = {
	"vendor", "sub_vendor", "impl_version", "async_latency", "tick",
	"power_domains", "perf_domains", "clocks", "sensors", "resets", "voltages",
	"powercaps", "pins", "pin_groups", "pin_functions", "devices", "agents",
};

static void check_settings(struct cfg_ctx *c)
{
	for (unsigned i = 0; i < c->scan.n && !c->rc; i++) {
		const char *k = c->scan.key[i].name;
		bool ok = false;

		for (size_t j = 0; j < OS_ARRAY_SIZE(known_settings); j++)
			ok |= !strcmp(k, known_settings[j]);
		for (unsigned j = 0; !ok && !strncmp(k, "agent_", 6) && j < c->cfg->n_agent; j++)
			ok = !strcmp(k + 6, c->cfg->agent[j].name);
		if (!ok && !strncmp(k, "agent_", 6))
			srv_cfg_err(c, c->scan.key[i].line,
				"`%s': no agent named `%s' in agents = [...]", k, k + 6);
		else if (!ok)
			srv_cfg_err(c, c->scan.key[i].line, "unknown setting `%s'", k);
	}
}

static void parse_all(struct cfg_ctx *c)
{
	struct scmi_srv_config *cfg = c->cfg;
	long v;
	int r;

	strcpy(cfg->vendor, "vscmi");
	strcpy(cfg->sub_vendor, "xen");
	cfg->impl_version = 1;
	cfg->latency_ns = 1000000;	/* 1 ms */
	cfg->tick_ns = 100000000;	/* 100 ms */
	get_global_string(c, "vendor", cfg->vendor, sizeof(cfg->vendor));
	get_global_string(c, "sub_vendor", cfg->sub_vendor, sizeof(cfg->sub_vendor));
	r = xlu_cfg_get_bounded_long(c->x, "impl_version", 0, UINT32_MAX, &v, 1);
	if (r == 0)
		cfg->impl_version = (uint32_t)v;
	else if (r != ESRCH)
		srv_cfg_err(c, srv_cfg_key_line(c, "impl_version"), "`impl_version' must be an integer 0..4294967295");
	get_global_time(c, "async_latency", &cfg->latency_ns, 0);
	get_global_time(c, "tick", &cfg->tick_ns, 1000);
	cfg->n[SRV_SYSTEM] = 1;
	cfg->def[SRV_SYSTEM] = calloc(1, sizeof(struct srv_system_def));
	if (!cfg->def[SRV_SYSTEM]) {
		c->rc = -ENOMEM;
		return;
	}
	strcpy(srv_def(cfg, SRV_SYSTEM, 0)->name, "system");
	for (int t = 0; t < SRV_SYSTEM && !c->rc; t++)
		srv_cfg_parse_resources(c, (enum srv_rtype)t);
	if (!c->rc)
		srv_cfg_resolve_parents(c);
	if (!c->rc)
		srv_cfg_parse_devices(c);
	if (!c->rc)
		srv_cfg_parse_agents(c);
	if (!c->rc)
		check_settings(c);
	if (!c->rc && !cfg->n_agent)
		srv_cfg_err(c, srv_cfg_key_line(c, "agents"), "no agents: nothing would be served (agents = [ \"name=...\" ])");
}

/* ---- entry points ---------------------------------------------------------------- */

int scmi_srv_parse_config(const char *name, const char *data, size_t len,
			  struct scmi_srv_config **out, char *err, size_t errlen)
{
	struct cfg_ctx c = { .file = name, .err = err, .errlen = errlen };
	char *rep = NULL;
	size_t rep_len = 0;
	FILE *report;
	int r;

	*out = NULL;
	if (errlen)
		err[0] = 0;
	if (len > 1 << 20) {
		srv_cfg_err(&c, 0, "larger than 1 MiB");
		return c.rc;
	}
	report = open_memstream(&rep, &rep_len);
	if (!report)
		return -ENOMEM;
	c.x = xlu_cfg_init(report, name);
	c.cfg = calloc(1, sizeof(*c.cfg));
	if (!c.x || !c.cfg) {
		c.rc = -ENOMEM;
		goto out;
	}
	snprintf(c.cfg->source, sizeof(c.cfg->source), "%s", name);
	if (memchr(data, 0, len)) {
		unsigned line = 1;

		for (const char *p = data; *p; p++)
			line += *p == '\n';
		srv_cfg_err(&c, line, "contains a NUL byte: not a text file");
		goto out;
	}
	r = xlu_cfg_readdata(c.x, data, (int)len);
	if (r) {
		fflush(report);
		if (rep_len && errlen) {
			/* libxlutil's own "FILE:LINE: ..." line; keep the first */
			char *nl = strchr(rep, '\n');

			if (nl)
				*nl = 0;
			snprintf(err, errlen, "%s", rep);
			for (char *p = err; *p; p++)
				if ((unsigned char)*p < 0x20 || *p == 0x7f)
					*p = '?';
			c.rc = -EINVAL;
		} else {
			srv_cfg_err(&c, 0, "cannot parse: %s", strerror(r));
		}
		goto out;
	}
	if (cfg_scan(&c.scan, data, len)) {
		c.rc = -ENOMEM;
		goto out;
	}
	parse_all(&c);
out:
	if (c.x)
		xlu_cfg_destroy(c.x);
	fclose(report);
	free(rep);
	cfg_scan_free(&c.scan);
	if (c.rc) {
		if (c.rc == -ENOMEM && errlen)
			snprintf(err, errlen, "%s: out of memory", name);
		scmi_srv_config_free(c.cfg);
		return c.rc;
	}
	*out = c.cfg;
	return 0;
}

int scmi_srv_load_config(const char *path, struct scmi_srv_config **cfg, char *err,
			 size_t errlen)
{
	FILE *f = fopen(path, "r");
	char *data = NULL;
	size_t len = 0, cap = 0;
	int ret;

	*cfg = NULL;
	if (!f) {
		ret = -errno;
		snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
		return ret;
	}
	for (;;) {
		if (len == cap) {
			char *n = cap > (1 << 20) ? NULL : realloc(data, cap = cap ? cap * 2 : 4096);

			if (!n) {
				free(data);
				fclose(f);
				snprintf(err, errlen, "%s: too large or out of memory", path);
				return -EFBIG;
			}
			data = n;
		}
		size_t r = fread(data + len, 1, cap - len, f);

		if (!r)
			break;
		len += r;
	}
	if (ferror(f)) {
		ret = -EIO;
		snprintf(err, errlen, "%s: read error", path);
	} else {
		ret = scmi_srv_parse_config(path, data, len, cfg, err, errlen);
	}
	fclose(f);
	free(data);
	return ret;
}

int scmi_srv_check_config(const char *path, char *err, size_t errlen)
{
	struct scmi_srv_config *cfg;
	int ret = scmi_srv_load_config(path, &cfg, err, errlen);

	scmi_srv_config_free(cfg);
	return ret;
}
