// SPDX-License-Identifier: MIT
/*
 * Fuzz target: the server's config parser (libxlutil + the schema) fed
 * arbitrary files. A rejected file must come with a one-line message naming
 * the file; an accepted one must build a server every agent can connect to,
 * answer commands and describe itself, and must also be a valid SIGHUP
 * reload of a running demo server (configs/automotive-soc.cfg) whose
 * agents hold clocks, levels, pins and a pending asynchronous command.
 */
#include <string.h>

#include <vscmi/os.h>
#include <vscmi/scmi_wire.h>

#include "scmi/server/server.h"
#include "scmi/server/srv.h"
#include "tests/fuzz/fuzz.h"

/*
 * libxlutil 4.17 leaks the values it had parsed when bison gives up on a
 * syntax error (xlu__cfg_*_mk): known, outside this project, a few bytes per
 * rejected file. Everything else must not leak.
 */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:xlu__cfg_\n";
}

#ifndef VSCMI_SRCTREE
#define VSCMI_SRCTREE "."
#endif

static int fz_send(void *ctx, struct scmi_srv_agent *a, const void *msg, size_t len)
{
	return 0;
}

/* Deferred work is never run: destroy frees it (as the daemon's contract says). */
static int fz_defer(void *ctx, uint64_t delay, void (*fn)(void *), void *arg)
{
	return 0;
}

static const struct scmi_srv_ops fz_ops = { .send_p2a = fz_send, .defer = fz_defer };

static void fz_cmd(struct scmi_srv *s, struct scmi_srv_agent *a, uint8_t proto, uint8_t msg,
		   uint32_t w0, uint32_t w1, uint32_t w2, uint32_t w3, size_t nw)
{
	uint8_t req[20], resp[128];
	uint32_t w[4] = { w0, w1, w2, w3 };

	scmi_put_le32(req, scmi_hdr_pack(msg, 0, proto, 3));
	for (size_t i = 0; i < nw; i++)
		scmi_put_le32(req + 4 + 4 * i, w[i]);
	FUZZ_CHECK(scmi_srv_handle(s, a, req, 4 + 4 * nw, resp, sizeof(resp)) >= 8);
}

/* Every protocol's NAME_GET-like read of id 0 and 1, and a few controls. */
static void fz_poke(struct scmi_srv *s, struct scmi_srv_agent *a)
{
	static const uint8_t name_get[][2] = {
		{ SCMI_PROTO_POWER, SCMI_POWER_DOMAIN_NAME_GET }, { SCMI_PROTO_PERF, SCMI_PERF_DOMAIN_NAME_GET },
		{ SCMI_PROTO_CLOCK, SCMI_CLOCK_NAME_GET }, { SCMI_PROTO_SENSOR, SCMI_SENSOR_NAME_GET },
		{ SCMI_PROTO_RESET, SCMI_RESET_DOMAIN_NAME_GET }, { SCMI_PROTO_VOLTAGE, SCMI_VOLTAGE_DOMAIN_NAME_GET },
		{ SCMI_PROTO_POWERCAP, SCMI_POWERCAP_DOMAIN_NAME_GET }, { SCMI_PROTO_CLOCK, SCMI_CLOCK_PARENT_GET },
		{ SCMI_PROTO_SENSOR, SCMI_SENSOR_READING_GET }, { SCMI_PROTO_PERF, SCMI_PERF_LEVEL_GET },
	};

	fz_cmd(s, a, SCMI_PROTO_BASE, SCMI_BASE_DISCOVER_LIST_PROTOCOLS, 0, 0, 0, 0, 1);
	for (uint32_t id = 0; id < 2; id++) {
		for (size_t i = 0; i < sizeof(name_get) / sizeof(name_get[0]); i++)
			fz_cmd(s, a, name_get[i][0], name_get[i][1], id, 0, 0, 0,
			       name_get[i][1] == SCMI_SENSOR_READING_GET ? 2 : 1);
		fz_cmd(s, a, SCMI_PROTO_PINCTRL, SCMI_PINCTRL_SETTINGS_GET, id, 1u << 18, 0, 0, 2);
		fz_cmd(s, a, SCMI_PROTO_CLOCK, SCMI_CLOCK_CONFIG_SET, id, 1, 0, 0, 3);
		fz_cmd(s, a, SCMI_PROTO_PINCTRL, SCMI_PINCTRL_REQUEST, id, 1, 0, 0, 2);
		fz_cmd(s, a, SCMI_PROTO_POWERCAP, SCMI_POWERCAP_CAP_SET, id, 0, 5000, 0, 3);
	}
}

static struct scmi_srv_config *demo_cfg(void)
{
	static struct scmi_srv_config *cfg;
	char err[512];

	if (!cfg && scmi_srv_load_config(VSCMI_SRCTREE "/configs/automotive-soc.cfg", &cfg, err,
					 sizeof(err)) &&
	    scmi_srv_load_config("configs/automotive-soc.cfg", &cfg, err, sizeof(err))) {
		fprintf(stderr, "fuzz_config: %s\n", err);
		abort();
	}
	return cfg;
}

/* A running demo server with state everywhere, reloaded with @cfg. */
static void fz_reload(const struct scmi_srv_config *cfg)
{
	struct scmi_srv *s;
	struct scmi_srv_agent *ivi, *cl;

	FUZZ_CHECK(scmi_srv_create(demo_cfg(), &fz_ops, NULL, &s) == 0);
	ivi = scmi_srv_agent_connect(s, "ivi", 1);
	cl = scmi_srv_agent_connect(s, "cluster", 2);
	FUZZ_CHECK(ivi && cl);
	fz_cmd(s, ivi, SCMI_PROTO_CLOCK, SCMI_CLOCK_PARENT_SET, 0, 1, 0, 0, 2);
	fz_cmd(s, ivi, SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_SET, 0, 0, 800000000, 0, 4);
	fz_cmd(s, ivi, SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_SET, 1, 0, 200000000, 0, 4);	/* pending */
	fz_cmd(s, ivi, SCMI_PROTO_PERF, SCMI_PERF_LEVEL_SET, 0, 2400000, 0, 0, 2);
	fz_cmd(s, ivi, SCMI_PROTO_PINCTRL, SCMI_PINCTRL_SETTINGS_CONFIGURE, 0, 0, 0x401, 0, 3);
	fz_cmd(s, cl, SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_NOTIFY, 0, 1, 0, 0, 2);
	fz_poke(s, ivi);
	fz_poke(s, cl);
	FUZZ_CHECK(scmi_srv_reload(s, cfg) == 0);
	fz_poke(s, ivi);
	fz_poke(s, cl);
	for (unsigned i = 0; i < cfg->n_agent; i++) {
		struct scmi_srv_agent *a = scmi_srv_agent_connect(s, cfg->agent[i].domain, (uint16_t)i);

		FUZZ_CHECK(a);
		fz_poke(s, a);
	}
	scmi_srv_agent_disconnect(s, ivi);
	FUZZ_CHECK(scmi_srv_reload(s, demo_cfg()) == 0);
	scmi_srv_agent_release(s, "ivi");
	fz_poke(s, cl);
	scmi_srv_destroy(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct scmi_srv_config *cfg;
	char err[256];
	int r;

	os_log_set_level(OS_LOG_ERR);
	memset(err, 'x', sizeof(err));
	r = scmi_srv_parse_config("fuzz.cfg", (const char *)data, size, &cfg, err, sizeof(err));
	if (r) {
		FUZZ_CHECK(!cfg);
		FUZZ_CHECK(memchr(err, 0, sizeof(err)));
		FUZZ_CHECK(!strncmp(err, "fuzz.cfg", 8));
		FUZZ_CHECK(!strchr(err, '\n'));
		return 0;
	}
	FILE *null = fopen("/dev/null", "w");
	struct scmi_srv *s;

	if (null) {
		scmi_srv_config_describe(cfg, null);
		fclose(null);
	}
	FUZZ_CHECK(scmi_srv_create(cfg, &fz_ops, NULL, &s) == 0);
	for (unsigned i = 0; i < cfg->n_agent; i++) {
		struct scmi_srv_agent *a = scmi_srv_agent_connect(s, cfg->agent[i].domain, (uint16_t)i);

		FUZZ_CHECK(a);
		fz_poke(s, a);
	}
	FUZZ_CHECK(scmi_srv_reload(s, cfg) == 0);
	scmi_srv_destroy(s);
	fz_reload(cfg);
	scmi_srv_config_free(cfg);
	return 0;
}
