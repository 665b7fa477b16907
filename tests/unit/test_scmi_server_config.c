// SPDX-License-Identifier: MIT
/*
 * Unit tests of the server's config parser: the shipped configs load, every
 * file tests/data/config_bad_*.cfg is rejected with the line and message its
 * header announces ("# expect: LINE: text"), and the values of a good
 * config (units, defaults, implicit grants, local numbering) are right.
 */
#include <dirent.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "scmi/server/srv.h"
#include "tests/unit/scmi_srv_harness.h"

static void test_shipped_configs(void **state)
{
	const char *files[] = { "configs/automotive-soc.cfg", "configs/reference.cfg" };
	char err[512];

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		int r = scmi_srv_check_config(h_path(files[i]), err, sizeof(err));

		if (r)
			fail_msg("%s: %s", files[i], err);
	}
	assert_int_equal(scmi_srv_check_config(h_path("configs/does-not-exist.cfg"), err, sizeof(err)),
			 -ENOENT);
	assert_non_null(strstr(err, "cannot open"));
}

static void test_bad_files(void **state)
{
	DIR *d = opendir(h_path("tests/data"));
	struct dirent *e;
	unsigned n = 0;

	assert_non_null(d);
	while ((e = readdir(d))) {
		char path[600], line[256], want[300], err[512];
		struct scmi_srv_config *cfg;
		unsigned wline;
		FILE *f;
		int r;

		if (strncmp(e->d_name, "config_bad_", 11))
			continue;
		snprintf(path, sizeof(path), "%s", h_path("tests/data"));
		strcat(path, "/");
		strcat(path, e->d_name);
		f = fopen(path, "r");
		assert_non_null(f);
		/* the "# expect:" line is among the first lines (after the SPDX one) */
		do
			assert_non_null(fgets(line, sizeof(line), f));
		while (strncmp(line, "# expect:", 9));
		fclose(f);
		line[strcspn(line, "\n")] = 0;
		if (sscanf(line, "# expect: %u: %299[^\n]", &wline, want) != 2)
			fail_msg("%s: first line is not '# expect: LINE: text'", e->d_name);
		r = scmi_srv_load_config(path, &cfg, err, sizeof(err));
		if (!r)
			fail_msg("%s: accepted", e->d_name);
		assert_null(cfg);
		char at[640];

		snprintf(at, sizeof(at), "%s:%u: ", path, wline);
		if (strncmp(err, at, strlen(at)) || !strstr(err, want))
			fail_msg("%s:\n  got:  %s\n  want: line %u, \"%s\"", e->d_name, err, wline, want);
		n++;
	}
	closedir(d);
	print_message("%u bad config files rejected with the right line and message\n", n);
	assert_true(n >= 20);
}

static void test_values(void **state)
{
	static const char text[] =
		"vendor = \"acme\"\n"
		"async_latency = \"250us\"\n"
		"clocks = [ \"name=c0,rates=1.5G|2G,enabled=yes\" ]\n"
		"perf_domains = [ \"name=p,opps=1.2G:1.5W:20us,rate_limit=1ms\" ]\n"
		"voltages = [ \"name=v,levels=-1V--0.5V/0.1V,level=-0.7V\" ]\n"
		"powercaps = [ \"name=pc,unit=uW,min_cap=1W,max_cap=2W\" ]\n"
		"pins = [ \"name=a\", \"name=b\" ]\n"
		"pin_groups = [ \"name=g,pins=b|a\" ]\n"
		"pin_functions = [ \"name=f,groups=g\" ]\n"
		"agents = [ \"name=x,domain=guest-1.example\" ]\n"
		"agent_x = [ \"function:f:ro\", \"clock:*\" ]\n";
	struct scmi_srv_config *cfg;
	char err[256];

	if (scmi_srv_parse_config("v.cfg", text, strlen(text), &cfg, err, sizeof(err)))
		fail_msg("%s", err);
	assert_string_equal(cfg->vendor, "acme");
	assert_int_equal(cfg->latency_ns, 250000);
	const struct srv_clock_def *c = SRV_DEF(cfg, SRV_CLOCK, struct srv_clock_def, 0);

	assert_int_equal(c->rate[0], 1500000000ull);
	assert_int_equal(c->init_rate, 1500000000ull);
	assert_true(c->enabled);
	const struct srv_perf_def *p = SRV_DEF(cfg, SRV_PERF, struct srv_perf_def, 0);

	assert_int_equal(p->opp[0].level, 1200000);
	assert_int_equal(p->opp[0].power, 1500000);
	assert_int_equal(p->opp[0].latency_us, 20);
	assert_int_equal(p->rate_limit_us, 1000);
	const struct srv_voltage_def *v = SRV_DEF(cfg, SRV_VOLTAGE, struct srv_voltage_def, 0);

	assert_true(v->range);
	assert_int_equal(v->level[0], -1000000);
	assert_int_equal(v->level[1], -500000);
	assert_int_equal(v->init_level, -700000);
	const struct srv_powercap_def *pc = SRV_DEF(cfg, SRV_POWERCAP, struct srv_powercap_def, 0);

	assert_int_equal(pc->min_cap, 1000000);
	assert_int_equal(pc->init_cap, 2000000);
	/* function f:ro grants group g and its pins b, a (in that order), read-only */
	const struct srv_agent_def *a = &cfg->agent[0];

	assert_string_equal(a->domain, "guest-1.example");
	assert_int_equal(a->n_grant, 5);
	assert_int_equal(a->grant[0].type, SRV_FUNCTION);
	assert_int_equal(a->grant[1].type, SRV_GROUP);
	assert_int_equal(a->grant[2].type, SRV_PIN);
	assert_int_equal(a->grant[2].idx, 1);
	assert_int_equal(a->grant[2].access, SRV_ACC_RO);
	assert_int_equal(a->grant[4].type, SRV_CLOCK);
	assert_int_equal(a->grant[4].access, SRV_ACC_RW);
	scmi_srv_config_free(cfg);
}

static void test_describe(void **state)
{
	struct scmi_srv_config *cfg;
	char err[256], *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_int_equal(scmi_srv_load_config(h_path("configs/automotive-soc.cfg"), &cfg, err, sizeof(err)), 0);
	scmi_srv_config_describe(cfg, f);
	fclose(f);
	assert_non_null(strstr(buf, "agent 2 \"cluster\" (domain cluster), trusted"));
	assert_non_null(strstr(buf, "perf      1 = cpu_little           ro"));
	free(buf);
	scmi_srv_config_free(cfg);
}

static void test_syntax_error_from_memory(void **state)
{
	struct scmi_srv_config *cfg;
	char err[256];
	static const char text[] = "agents = [ \"name=a\" ]\nclocks = [ \"x\"\n";

	assert_int_equal(scmi_srv_parse_config("m.cfg", text, strlen(text), &cfg, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "m.cfg:2: config parsing error"));
	/* a NUL byte in the text */
	assert_int_equal(scmi_srv_parse_config("n.cfg", "a = 1\n\0", 7, &cfg, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "n.cfg:2: contains a NUL byte"));
	/* a tiny error buffer is fine */
	assert_int_equal(scmi_srv_parse_config("t.cfg", "x = 1\n", 6, &cfg, err, 4), -EINVAL);
	assert_int_equal(strlen(err), 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shipped_configs),
		cmocka_unit_test(test_bad_files),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_describe),
		cmocka_unit_test(test_syntax_error_from_memory),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
