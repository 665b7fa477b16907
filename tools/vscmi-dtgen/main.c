// SPDX-License-Identifier: MIT
/*
 * vscmi-dtgen: the partial device tree a Linux guest needs to find its
 * SCMI firmware through virtio-pv (docs/vscmi-dtgen.md).
 *
 * Theory of operation: xl's `device_tree=` option merges a partial device
 * tree into the one libxl generates for an Arm guest; libxl copies only
 * its /passthrough node (and /aliases). This tool reads vscmi-backd's
 * config file with the server's own parser (scmi/server), takes one
 * agent's view of the platform (the resources granted to it, numbered per
 * type in grant order, exactly as vscmi-backd numbers them) and writes,
 * with libfdt, a /passthrough simple-bus holding one "arm,scmi-virtio"
 * node with a protocol subnode per SCMI protocol the agent has resources
 * for. Linux's SCMI core creates its protocol devices (clk, hwmon,
 * regulator, reset, genpd, cpufreq) from those subnodes, and its virtio
 * transport binds the first virtio-scmi device, so one node suffices.
 */
#include <errno.h>
#include <getopt.h>
#include <libfdt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scmi/server/server.h"
#include "scmi/server/srv.h"
#include "vscmi/scmi_wire.h"

#define DTG_FDT_SIZE (64 * 1024)

static const char dtg_usage[] =
"Usage: vscmi-dtgen --config FILE --agent NAME (--output FILE.dtb | --dts)\n"
"Write the partial device tree (for xl's device_tree= option) that lets a\n"
"Linux guest's SCMI drivers use the resources AGENT is granted in FILE\n"
"(vscmi-backd's config) through the virtio-pv front-end module.\n"
"\n"
"  -c, --config FILE   vscmi-backd config file (docs/config.md)\n"
"  -a, --agent NAME    the agent (its name, or the domain it serves)\n"
"  -o, --output FILE   write the device tree blob to FILE\n"
"      --dts           print the tree as device tree source on stdout\n"
"  -h, --help          this text\n"
"\n"
"Exit status: 0 done, 1 bad config or agent, 2 usage, 3 output error.\n";

/* What each resource type becomes in the tree. */
struct dtg_proto {
	enum srv_rtype type;	/* SRV_COUNT-terminated: types of one protocol */
	uint32_t id;		/* SCMI protocol id = the subnode's reg */
	const char *cells;	/* provider property set to <1>, or NULL */
};

static const struct dtg_proto dtg_protos[] = {
	{ SRV_POWER, SCMI_PROTO_POWER, "#power-domain-cells" },
	{ SRV_SYSTEM, SCMI_PROTO_SYSTEM, NULL },
	/* Linux 6.1's scmi-cpufreq takes CPU clocks from the perf provider. */
	{ SRV_PERF, SCMI_PROTO_PERF, "#clock-cells" },
	{ SRV_CLOCK, SCMI_PROTO_CLOCK, "#clock-cells" },
	{ SRV_SENSOR, SCMI_PROTO_SENSOR, "#thermal-sensor-cells" },
	{ SRV_RESET, SCMI_PROTO_RESET, "#reset-cells" },
	{ SRV_VOLTAGE, SCMI_PROTO_VOLTAGE, NULL },	/* + a regulators subnode */
	{ SRV_POWERCAP, SCMI_PROTO_POWERCAP, NULL },
	{ SRV_PIN, SCMI_PROTO_PINCTRL, NULL },	/* pins, groups or functions */
};

static const struct srv_agent_def *dtg_find_agent(const struct scmi_srv_config *cfg,
						  const char *name)
{
	for (unsigned i = 0; i < cfg->n_agent; i++)
		if (!strcmp(cfg->agent[i].name, name))
			return &cfg->agent[i];
	for (unsigned i = 0; i < cfg->n_agent; i++)
		if (!strcmp(cfg->agent[i].domain, name))
			return &cfg->agent[i];
	return NULL;
}

/* Resources of @t granted to @a (pin protocol: pins, groups and functions). */
static unsigned dtg_count(const struct srv_agent_def *a, enum srv_rtype t)
{
	unsigned n = 0;

	for (unsigned j = 0; j < a->n_grant; j++) {
		enum srv_rtype g = (enum srv_rtype)a->grant[j].type;

		if (g == t || (t == SRV_PIN && (g == SRV_GROUP || g == SRV_FUNCTION)))
			n++;
	}
	return n;
}

static int dtg_prop_u32(void *fdt, const char *name, uint32_t v)
{
	return fdt_property_u32(fdt, name, v);
}

/* protocol@17's regulators: one child per voltage domain, reg = local id. */
static int dtg_regulators(void *fdt, const struct scmi_srv_config *cfg,
			  const struct srv_agent_def *a)
{
	unsigned local = 0;
	int r;

	r = fdt_begin_node(fdt, "regulators");
	r = r ?: dtg_prop_u32(fdt, "#address-cells", 1);
	r = r ?: dtg_prop_u32(fdt, "#size-cells", 0);
	for (unsigned j = 0; !r && j < a->n_grant; j++) {
		char name[32];

		if (a->grant[j].type != SRV_VOLTAGE)
			continue;
		snprintf(name, sizeof(name), "regulator@%x", local);
		r = fdt_begin_node(fdt, name);
		r = r ?: dtg_prop_u32(fdt, "reg", local);
		r = r ?: fdt_property_string(fdt, "regulator-name",
					     srv_def(cfg, SRV_VOLTAGE, a->grant[j].idx)->name);
		r = r ?: fdt_end_node(fdt);
		local++;
	}
	return r ?: fdt_end_node(fdt);
}

/* Build the whole partial tree into @fdt (DTG_FDT_SIZE bytes). */
static int dtg_build(void *fdt, const struct scmi_srv_config *cfg,
		     const struct srv_agent_def *a)
{
	int r;

	r = fdt_create(fdt, DTG_FDT_SIZE);
	r = r ?: fdt_finish_reservemap(fdt);
	r = r ?: fdt_begin_node(fdt, "");
	/* The guest's root uses 2 + 2 cells (libxl); keep the same here. */
	r = r ?: dtg_prop_u32(fdt, "#address-cells", 2);
	r = r ?: dtg_prop_u32(fdt, "#size-cells", 2);
	r = r ?: fdt_begin_node(fdt, "passthrough");
	r = r ?: fdt_property_string(fdt, "compatible", "simple-bus");
	r = r ?: fdt_property(fdt, "ranges", NULL, 0);
	r = r ?: dtg_prop_u32(fdt, "#address-cells", 2);
	r = r ?: dtg_prop_u32(fdt, "#size-cells", 2);
	r = r ?: fdt_begin_node(fdt, "scmi");
	r = r ?: fdt_property_string(fdt, "compatible", "arm,scmi-virtio");
	r = r ?: dtg_prop_u32(fdt, "#address-cells", 1);
	r = r ?: dtg_prop_u32(fdt, "#size-cells", 0);
	for (size_t i = 0; !r && i < sizeof(dtg_protos) / sizeof(dtg_protos[0]); i++) {
		const struct dtg_proto *p = &dtg_protos[i];
		char name[32];

		if (!dtg_count(a, p->type))
			continue;
		snprintf(name, sizeof(name), "protocol@%x", (unsigned)p->id);
		r = fdt_begin_node(fdt, name);
		r = r ?: dtg_prop_u32(fdt, "reg", p->id);
		if (!r && p->cells)
			r = dtg_prop_u32(fdt, p->cells, 1);
		if (!r && p->type == SRV_VOLTAGE)
			r = dtg_regulators(fdt, cfg, a);
		r = r ?: fdt_end_node(fdt);
	}
	r = r ?: fdt_end_node(fdt);	/* scmi */
	r = r ?: fdt_end_node(fdt);	/* passthrough */
	r = r ?: fdt_end_node(fdt);	/* root */
	return r ?: fdt_finish(fdt);
}

/* ---- device tree source output ------------------------------------------ */

/* A property that is one or more non-empty printable NUL-terminated strings. */
static bool dtg_is_strings(const char *v, int len)
{
	int start = 0;

	if (len == 0 || v[len - 1])
		return false;
	for (int i = 0; i < len; i++) {
		if (!v[i]) {
			if (i == start)
				return false;
			start = i + 1;
		} else if (v[i] < 0x20 || v[i] > 0x7e || v[i] == '"' || v[i] == '\\') {
			return false;
		}
	}
	return true;
}

static void dtg_print_prop(FILE *o, const char *name, const void *val, int len, int depth)
{
	const unsigned char *b = val;

	fprintf(o, "%*s%s", depth * 8, "", name);
	if (len == 0) {
		fprintf(o, ";\n");
	} else if (dtg_is_strings(val, len)) {
		fprintf(o, " = \"");
		for (int i = 0; i < len - 1; i++)
			fputs(b[i] ? (char[]){ (char)b[i], 0 } : "\", \"", o);
		fprintf(o, "\";\n");
	} else if (len % 4 == 0) {
		fprintf(o, " = <");
		for (int i = 0; i < len; i += 4)
			fprintf(o, "%s0x%x", i ? " " : "",
				(unsigned)b[i] << 24 | (unsigned)b[i + 1] << 16 |
					(unsigned)b[i + 2] << 8 | b[i + 3]);
		fprintf(o, ">;\n");
	} else {
		fprintf(o, " = [");
		for (int i = 0; i < len; i++)
			fprintf(o, "%s%02x", i ? " " : "", b[i]);
		fprintf(o, "];\n");
	}
}

static int dtg_print_node(FILE *o, const void *fdt, int node, int depth)
{
	const char *name = fdt_get_name(fdt, node, NULL);
	int off, child;

	fprintf(o, "%*s%s {\n", depth * 8, "", depth ? name : "/");
	fdt_for_each_property_offset(off, fdt, node) {
		const char *pname;
		int len;
		const void *val = fdt_getprop_by_offset(fdt, off, &pname, &len);

		if (!val)
			return -EINVAL;
		dtg_print_prop(o, pname, val, len, depth + 1);
	}
	fdt_for_each_subnode(child, fdt, node) {
		fprintf(o, "\n");
		if (dtg_print_node(o, fdt, child, depth + 1))
			return -EINVAL;
	}
	fprintf(o, "%*s};\n", depth * 8, "");
	return 0;
}

static int dtg_write_blob(const char *path, const void *fdt)
{
	FILE *f = fopen(path, "wb");
	size_t n = fdt_totalsize(fdt);

	if (!f) {
		fprintf(stderr, "vscmi-dtgen: %s: %s\n", path, strerror(errno));
		return -errno;
	}
	if (fwrite(fdt, 1, n, f) != n || fclose(f)) {
		fprintf(stderr, "vscmi-dtgen: %s: write failed\n", path);
		return -EIO;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "agent", required_argument, NULL, 'a' },
		{ "output", required_argument, NULL, 'o' },
		{ "dts", no_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *config = NULL, *agent = NULL, *output = NULL;
	const struct srv_agent_def *a;
	struct scmi_srv_config *cfg;
	bool dts = false;
	char err[1024];
	void *fdt;
	int c, r, rc = 0;

	while ((c = getopt_long(argc, argv, "c:a:o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'c': config = optarg; break;
		case 'a': agent = optarg; break;
		case 'o': output = optarg; break;
		case 'd': dts = true; break;
		case 'h': fputs(dtg_usage, stdout); return 0;
		default: fputs(dtg_usage, stderr); return 2;
		}
	}
	if (!config || !agent || (!output && !dts) || optind != argc) {
		fputs(dtg_usage, stderr);
		return 2;
	}
	if (scmi_srv_load_config(config, &cfg, err, sizeof(err))) {
		fprintf(stderr, "vscmi-dtgen: %s\n", err);
		return 1;
	}
	a = dtg_find_agent(cfg, agent);
	if (!a) {
		fprintf(stderr, "vscmi-dtgen: %s: no agent or domain named `%s'\n", config, agent);
		scmi_srv_config_free(cfg);
		return 1;
	}
	fdt = calloc(1, DTG_FDT_SIZE);
	if (!fdt) {
		scmi_srv_config_free(cfg);
		return 3;
	}
	r = dtg_build(fdt, cfg, a);
	if (r) {
		fprintf(stderr, "vscmi-dtgen: building the tree: %s\n", fdt_strerror(r));
		rc = 3;
	} else if (output && dtg_write_blob(output, fdt)) {
		rc = 3;
	} else if (dts) {
		printf("/dts-v1/;\n\n/* vscmi-dtgen: agent \"%s\" of %s */\n", a->name, config);
		if (dtg_print_node(stdout, fdt, 0, 0))
			rc = 3;
	}
	free(fdt);
	scmi_srv_config_free(cfg);
	return rc;
}
