// SPDX-License-Identifier: MIT
/*
 * vscmi: `info` (who we are and what the platform offers), pins, and `raw`
 * (a hand-made message, for compliance testing and vendor protocols).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <vscmi/os.h>
#include <vscmi/scmi.h>

#include "cli.h"

static const char *proto_name(uint8_t p)
{
	switch (p) {
	case SCMI_PROTO_BASE: return "base";
	case SCMI_PROTO_POWER: return "power domain";
	case SCMI_PROTO_SYSTEM: return "system power";
	case SCMI_PROTO_PERF: return "performance";
	case SCMI_PROTO_CLOCK: return "clock";
	case SCMI_PROTO_SENSOR: return "sensor";
	case SCMI_PROTO_RESET: return "reset";
	case SCMI_PROTO_VOLTAGE: return "voltage";
	case SCMI_PROTO_POWERCAP: return "power capping";
	case SCMI_PROTO_PINCTRL: return "pin control";
	default: return p >= 0x80 ? "vendor" : "unknown";
	}
}

static int info(struct cli *c, int argc, char **argv)
{
	struct scmi_base_info bi;
	uint8_t protos[256];
	size_t n = 0;
	json_object *o, *arr;
	int ret;

	CLI_CONNECT(c);
	ret = scmi_base_describe(c->h, &bi);
	if (!ret)
		ret = scmi_base_discover_list_protocols(c->h, protos, sizeof(protos), &n);
	if (ret)
		return cli_fail(c, ret, "discover the platform");
	o = json_object_new_object();
	json_object_object_add(o, "agent", json_object_new_string(bi.agent_name));
	json_object_object_add(o, "agent_id", json_object_new_int64(bi.agent_id));
	json_object_object_add(o, "vendor", json_object_new_string(bi.vendor));
	json_object_object_add(o, "sub_vendor", json_object_new_string(bi.sub_vendor));
	json_object_object_add(o, "implementation", json_object_new_int64(bi.impl_version));
	json_object_object_add(o, "device", json_object_new_int64(c->devid));
	arr = json_object_new_array();
	for (size_t i = 0; i <= n; i++) {
		/* Base is not in the list; show it first. */
		uint8_t p = i ? protos[i - 1] : SCMI_PROTO_BASE;
		json_object *po = json_object_new_object();
		uint32_t ver = 0;
		char vs[16];

		scmi_protocol_version(c->h, p, &ver);
		snprintf(vs, sizeof(vs), "%u.%u", ver >> 16, ver & 0xffff);
		json_object_object_add(po, "id", json_object_new_int(p));
		json_object_object_add(po, "name", json_object_new_string(proto_name(p)));
		json_object_object_add(po, "version", json_object_new_string(vs));
		json_object_array_add(arr, po);
	}
	if (c->json) {
		json_object_object_add(o, "protocols", arr);
		cli_show_object(c, o, NULL);
		return 0;
	}
	printf("guest agent      %s (agent id %u)\n", bi.agent_name, bi.agent_id);
	printf("platform         %s%s%s, implementation 0x%x\n", bi.vendor,
	       bi.sub_vendor[0] ? " / " : "", bi.sub_vendor, bi.impl_version);
	printf("device           virtio-pv %u, %s, max message %zu bytes\n", c->devid,
	       scmi_has_p2a(c->h) ? "notifications on" : "no notification channel",
	       scmi_max_msg_size(c->h));
	printf("\n");
	json_object_put(o);
	cli_show_table(c, arr, (const struct cli_col[]){
		{ "id", "PROTOCOL", CLI_FMT_HEX }, { "name", "NAME", CLI_FMT_STR },
		{ "version", "VERSION", CLI_FMT_STR }, { NULL, NULL, 0 } });
	return 0;
}

/* ---- pins ------------------------------------------------------------------------ */

static json_object *pin_json(const struct scmi_pinctrl_info *p)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "id", json_object_new_int64(p->attrs.id));
	json_object_object_add(o, "name", json_object_new_string(p->attrs.name));
	if (p->has_settings) {
		json_object *cfg = json_object_new_array();

		if (p->function != 0xffffffffu)
			json_object_object_add(o, "function", json_object_new_int64(p->function));
		for (uint32_t i = 0; i < p->nr_configs; i++) {
			char s[32];

			snprintf(s, sizeof(s), "%u=%u", p->configs[i].type, p->configs[i].value);
			json_object_array_add(cfg, json_object_new_string(s));
		}
		json_object_object_add(o, "config", cfg);
	}
	return o;
}

static int pin_list_one(void *priv, const struct scmi_pinctrl_info *p)
{
	json_object_array_add(priv, pin_json(p));
	return 0;
}

static const struct cli_col pin_cols[] = {
	{ "id", "ID", CLI_FMT_STR }, { "name", "NAME", CLI_FMT_STR },
	{ "function", "FUNCTION", CLI_FMT_STR }, { "config", "CONFIG (type=value)", CLI_FMT_STR },
	{ NULL, NULL, 0 },
};

static int pin_list(struct cli *c, int argc, char **argv)
{
	json_object *arr;
	int ret;

	CLI_CONNECT(c);
	arr = json_object_new_array();
	ret = scmi_pinctrl_for_each(c->h, SCMI_PINCTRL_PIN, pin_list_one, arr);

	if (ret) {
		json_object_put(arr);
		return cli_fail(c, ret, "list pins");
	}
	cli_show_table(c, arr, pin_cols);
	return 0;
}

static int pin_get(struct cli *c, int argc, char **argv)
{
	struct scmi_pinctrl_info p;
	char name[SCMI_NAME_MAX];
	uint32_t id;
	int ret = cli_resolve(c, CLI_PIN, argv[0], &id, name);

	if (ret)
		return ret;
	ret = scmi_pinctrl_describe(c->h, SCMI_PINCTRL_PIN, id, &p);
	if (ret)
		return cli_fail(c, ret, "read pin %u (%s)", id, name);
	cli_show_object(c, pin_json(&p), pin_cols);
	return 0;
}

/* pin set PIN TYPE=VALUE... [function=N] */
static int pin_set(struct cli *c, int argc, char **argv)
{
	struct scmi_pinctrl_setting cfg[16];
	uint32_t function = 0xffffffffu, id;
	char name[SCMI_NAME_MAX];
	size_t n = 0;
	int ret;

	for (int i = 1; i < argc; i++) {
		char *eq = strchr(argv[i], '=');
		uint32_t k, v;

		if (!eq)
			return cli_usage(c, "'%s': settings are TYPE=VALUE or function=N", argv[i]);
		*eq = '\0';
		if (cli_parse_u32(eq + 1, &v))
			return cli_usage(c, "'%s': not a number", eq + 1);
		if (!strcmp(argv[i], "function")) {
			function = v;
			continue;
		}
		if (cli_parse_u32(argv[i], &k) || k > 255 || n == OS_ARRAY_SIZE(cfg))
			return cli_usage(c, "'%s': a pin config type is a number 0..255", argv[i]);
		cfg[n].type = k;
		cfg[n].value = v;
		n++;
	}
	ret = cli_resolve(c, CLI_PIN, argv[0], &id, name);
	if (ret)
		return ret;
	ret = scmi_pinctrl_settings_configure(c->h, SCMI_PINCTRL_PIN, id, function, cfg, n);
	if (ret)
		return cli_fail(c, ret, "configure pin %u (%s)", id, name);
	return pin_get(c, 1, argv);
}

/* ---- raw ----------------------------------------------------------------------------- */

static int hexbytes(const char *s, uint8_t *out, size_t cap, size_t *n)
{
	*n = 0;
	while (*s) {
		unsigned v;

		if (*s == ' ' || *s == ':' || *s == ',') {
			s++;
			continue;
		}
		if (*n == cap || sscanf(s, "%2x", &v) != 1 || !s[1])
			return -EINVAL;
		out[(*n)++] = (uint8_t)v;
		s += 2;
	}
	return 0;
}

static void hexdump(const uint8_t *b, size_t n, char *out, size_t cap)
{
	size_t off = 0;

	out[0] = '\0';
	for (size_t i = 0; i < n && off + 4 < cap; i++)
		off += (size_t)snprintf(out + off, cap - off, "%s%02x", i ? " " : "", b[i]);
}

/* raw PROTO MSG [PAYLOAD-HEX] [--delayed] */
static int raw(struct cli *c, int argc, char **argv)
{
	bool delayed = argc > 0 && !strcmp(argv[argc - 1], "--delayed");
	uint8_t req[512], resp[512], dresp[512];
	struct scmi_raw_xfer x = { .req = req, .resp = resp, .resp_cap = sizeof(resp),
				   .dresp = dresp, .dresp_cap = sizeof(dresp) };
	uint32_t proto, msg, hdr;
	size_t plen = 0;
	char hex[1600];
	json_object *o;
	int ret;

	if (delayed)
		argc--;
	if (argc < 2 || argc > 3 || cli_parse_u32(argv[0], &proto) || proto > 0xff ||
	    cli_parse_u32(argv[1], &msg) || msg > 0xff)
		return cli_usage(c, "raw PROTOCOL MESSAGE [PAYLOAD-HEX] [--delayed] "
				 "(e.g. raw 0x14 0x6 '00000000')");
	if (argc == 3 && hexbytes(argv[2], req + 4, sizeof(req) - 4, &plen))
		return cli_usage(c, "payload must be hex bytes, e.g. '01 00 00 00'");
	CLI_CONNECT(c);
	hdr = scmi_hdr_pack((uint8_t)msg, SCMI_MSG_TYPE_COMMAND, (uint8_t)proto, 0);
	scmi_put_le32(req, hdr);
	x.req_len = 4 + plen;
	x.wait_dresp = delayed;
	ret = scmi_raw_xfer(c->h, &x);
	if (ret)
		return cli_fail(c, ret, "send the raw message");
	o = json_object_new_object();
	hexdump(resp, x.resp_len, hex, sizeof(hex));
	json_object_object_add(o, "response", json_object_new_string(hex));
	if (x.resp_len >= 8)
		json_object_object_add(o, "status", json_object_new_string(
			scmi_status_name((int32_t)scmi_get_le32(resp + 4))));
	if (delayed) {
		char dh[1600];

		hexdump(dresp, x.dresp_len, dh, sizeof(dh));
		json_object_object_add(o, "delayed_response", json_object_new_string(dh));
		cli_show_result(c, o, "response: %s\ndelayed:  %s", hex, dh);
	} else {
		cli_show_result(c, o, "response: %s (%s)", hex,
				x.resp_len >= 8 ?
				scmi_status_name((int32_t)scmi_get_le32(resp + 4)) : "short");
	}
	return 0;
}

const struct cli_cmd cli_misc_cmds[] = {
	{ "info", NULL, "", "agent, platform, protocols and versions", info, 0, 0 },
	{ "pin", "list", "", "every pin this guest sees", pin_list, 0, 0 },
	{ "pin", "get", "PIN", "function and configuration", pin_get, 1, 1 },
	{ "pin", "set", "PIN TYPE=VALUE... [function=N]", "configure the pin", pin_set, 2, 17 },
	{ "raw", NULL, "PROTOCOL MESSAGE [PAYLOAD-HEX] [--delayed]",
	  "send a hand-made command, print the reply bytes", raw, 2, 4 },
	{ NULL, NULL, NULL, NULL, NULL, 0, 0 },
};
