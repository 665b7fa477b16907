// SPDX-License-Identifier: MIT
/*
 * The parsed config as data: sizes and names of the resource types, lookup
 * by name, deep copy, free and the human description --check-config prints.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scmi/server/srv.h"

static const struct {
	const char *name;
	size_t size;
} rtypes[SRV_RTYPE_COUNT] = {
	[SRV_POWER] = { "power", sizeof(struct srv_power_def) },
	[SRV_PERF] = { "perf", sizeof(struct srv_perf_def) },
	[SRV_CLOCK] = { "clock", sizeof(struct srv_clock_def) },
	[SRV_SENSOR] = { "sensor", sizeof(struct srv_sensor_def) },
	[SRV_RESET] = { "reset", sizeof(struct srv_reset_def) },
	[SRV_VOLTAGE] = { "voltage", sizeof(struct srv_voltage_def) },
	[SRV_POWERCAP] = { "powercap", sizeof(struct srv_powercap_def) },
	[SRV_PIN] = { "pin", sizeof(struct srv_pin_def) },
	[SRV_GROUP] = { "group", sizeof(struct srv_group_def) },
	[SRV_FUNCTION] = { "function", sizeof(struct srv_function_def) },
	[SRV_SYSTEM] = { "system", sizeof(struct srv_system_def) },
};

size_t srv_def_size(enum srv_rtype type)
{
	return rtypes[type].size;
}

const char *srv_rtype_name(enum srv_rtype type)
{
	return type < SRV_RTYPE_COUNT ? rtypes[type].name : "?";
}

int srv_find(const struct scmi_srv_config *cfg, enum srv_rtype type, const char *name)
{
	for (unsigned i = 0; i < cfg->n[type]; i++)
		if (!strcmp(srv_def(cfg, type, i)->name, name))
			return (int)i;
	return -1;
}

void scmi_srv_config_free(struct scmi_srv_config *cfg)
{
	if (!cfg)
		return;
	for (int t = 0; t < SRV_RTYPE_COUNT; t++)
		free(cfg->def[t]);
	free(cfg->device);
	for (unsigned i = 0; cfg->agent && i < cfg->n_agent; i++)
		free(cfg->agent[i].grant);
	free(cfg->agent);
	free(cfg);
}

static void *dup_mem(const void *p, size_t n)
{
	void *q;

	if (!p || !n)
		return NULL;
	q = malloc(n);
	if (q)
		memcpy(q, p, n);
	return q;
}

struct scmi_srv_config *srv_config_dup(const struct scmi_srv_config *cfg)
{
	struct scmi_srv_config *c = dup_mem(cfg, sizeof(*cfg));

	if (!c)
		return NULL;
	memset(c->def, 0, sizeof(c->def));
	c->device = NULL;
	c->agent = NULL;
	c->n_agent = 0;
	for (int t = 0; t < SRV_RTYPE_COUNT; t++) {
		c->def[t] = dup_mem(cfg->def[t], cfg->n[t] * srv_def_size((enum srv_rtype)t));
		if (cfg->n[t] && !c->def[t])
			goto fail;
	}
	c->device = dup_mem(cfg->device, cfg->n_device * sizeof(*cfg->device));
	if (cfg->n_device && !c->device)
		goto fail;
	c->agent = calloc(cfg->n_agent + 1, sizeof(*c->agent));
	if (!c->agent)
		goto fail;
	c->n_agent = cfg->n_agent;
	for (unsigned i = 0; i < cfg->n_agent; i++) {
		c->agent[i] = cfg->agent[i];
		c->agent[i].grant = dup_mem(cfg->agent[i].grant,
					    cfg->agent[i].n_grant * sizeof(struct srv_grant));
		if (cfg->agent[i].n_grant && !c->agent[i].grant)
			goto fail;
	}
	return c;
fail:
	scmi_srv_config_free(c);
	return NULL;
}

/* ---- describe ------------------------------------------------------------- */

static void print_rate(FILE *o, uint64_t hz)
{
	if (hz >= 1000000000 && !(hz % 1000000))
		fprintf(o, "%g GHz", (double)hz / 1e9);
	else if (hz >= 1000000 && !(hz % 1000))
		fprintf(o, "%g MHz", (double)hz / 1e6);
	else if (hz >= 1000)
		fprintf(o, "%g kHz", (double)hz / 1e3);
	else
		fprintf(o, "%llu Hz", (unsigned long long)hz);
}

static const char *const src_kind[] = { "const", "ramp", "sine", "walk", "file" };

static void print_source(FILE *o, const struct srv_source *s)
{
	if (s->kind == SRV_SRC_FILE)
		fprintf(o, "file %s", s->path);
	else if (s->kind == SRV_SRC_CONST)
		fprintf(o, "const %lld", (long long)s->lo);
	else
		fprintf(o, "%s %lld..%lld", src_kind[s->kind], (long long)s->lo, (long long)s->hi);
}

static void describe_res(const struct scmi_srv_config *cfg, FILE *o, enum srv_rtype t, unsigned g)
{
	const struct srv_res_common *c = srv_def(cfg, t, g);

	fprintf(o, "  %-8s %-20s", srv_rtype_name(t), c->name);
	switch (t) {
	case SRV_CLOCK: {
		const struct srv_clock_def *d = (const void *)c;

		if (d->range) {
			print_rate(o, d->rate[0]);
			fprintf(o, " .. ");
			print_rate(o, d->rate[1]);
			fprintf(o, " step ");
			print_rate(o, d->rate[2]);
		} else {
			fprintf(o, "%u rates", d->n_rate);
		}
		fprintf(o, ", at ");
		print_rate(o, d->init_rate);
		fprintf(o, "%s", d->enabled ? ", on" : "");
		for (unsigned i = 0; i < d->n_parent; i++)
			fprintf(o, "%s%s", i ? "|" : ", parents ",
				srv_def(cfg, SRV_CLOCK, d->parent[i])->name);
		break;
	}
	case SRV_PERF: {
		const struct srv_perf_def *d = (const void *)c;

		fprintf(o, "%u OPPs %u..%u kHz, at %u kHz", d->n_opp, d->opp[0].level,
			d->opp[d->n_opp - 1].level, d->level);
		break;
	}
	case SRV_POWER:
		fprintf(o, "%s", ((const struct srv_power_def *)(const void *)c)->on ? "on" : "off");
		break;
	case SRV_SENSOR: {
		const struct srv_sensor_def *d = (const void *)c;

		fprintf(o, "type %u scale %d, %u trip points, %u axes, ", d->type, d->scale,
			d->n_trips, d->n_axes);
		print_source(o, &d->src);
		break;
	}
	case SRV_VOLTAGE: {
		const struct srv_voltage_def *d = (const void *)c;

		fprintf(o, "%s%d uV%s", d->range ? "range, at " : "at ", d->init_level,
			d->on ? ", on" : ", off");
		break;
	}
	case SRV_POWERCAP: {
		const struct srv_powercap_def *d = (const void *)c;

		fprintf(o, "cap %u..%u (at %u) %s, pai %u..%u us, ", d->min_cap, d->max_cap,
			d->init_cap, d->unit == SRV_UNIT_MW ? "mW" : d->unit == SRV_UNIT_UW ? "uW" : "units",
			d->min_pai, d->max_pai);
		print_source(o, &d->measure);
		break;
	}
	case SRV_GROUP: {
		const struct srv_group_def *d = (const void *)c;

		for (unsigned i = 0; i < d->n_pin; i++)
			fprintf(o, "%s%s", i ? "|" : "pins ", srv_def(cfg, SRV_PIN, d->pin[i])->name);
		break;
	}
	case SRV_FUNCTION: {
		const struct srv_function_def *d = (const void *)c;

		for (unsigned i = 0; i < d->n_group; i++)
			fprintf(o, "%s%s", i ? "|" : "groups ",
				srv_def(cfg, SRV_GROUP, d->group[i])->name);
		break;
	}
	default:
		break;
	}
	if (c->async)
		fprintf(o, ", async");
	fprintf(o, "\n");
}

void scmi_srv_config_describe(const struct scmi_srv_config *cfg, FILE *o)
{
	if (!cfg)
		return;
	fprintf(o, "%s: vendor \"%s\" / \"%s\", implementation %u\n", cfg->source, cfg->vendor,
		cfg->sub_vendor, cfg->impl_version);
	fprintf(o, "platform:\n");
	for (int t = 0; t < SRV_SYSTEM; t++)
		for (unsigned g = 0; g < cfg->n[t]; g++)
			describe_res(cfg, o, (enum srv_rtype)t, g);
	for (unsigned i = 0; i < cfg->n_device; i++) {
		fprintf(o, "  device   %-20s", cfg->device[i].name);
		for (unsigned j = 0; j < cfg->device[i].n_res; j++)
			fprintf(o, " %s:%s", srv_rtype_name(cfg->device[i].res[j].type),
				srv_def(cfg, cfg->device[i].res[j].type, cfg->device[i].res[j].idx)->name);
		fprintf(o, "\n");
	}
	for (unsigned i = 0; i < cfg->n_agent; i++) {
		const struct srv_agent_def *a = &cfg->agent[i];

		fprintf(o, "agent %u \"%s\" (domain %s)%s:\n", i + 1, a->name, a->domain,
			a->trusted ? ", trusted" : "");
		for (int t = 0; t < SRV_RTYPE_COUNT; t++) {
			unsigned local = 0;

			for (unsigned j = 0; j < a->n_grant; j++) {
				const struct srv_grant *gr = &a->grant[j];

				if (gr->type != t)
					continue;
				fprintf(o, "  %-8s %2u = %-20s %s\n", srv_rtype_name((enum srv_rtype)t),
					local++, srv_def(cfg, (enum srv_rtype)t, gr->idx)->name,
					gr->access == SRV_ACC_RW ? "rw" : "ro");
			}
		}
	}
}
