// SPDX-License-Identifier: MIT
/*
 * vscmi: what a Xen guest can see and do through SCMI, from its shell.
 * Global options, the command tables, --help for every subcommand, and
 * opening the device.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <vscmi/os.h>
#include <vscmi/scmi.h>

#include "cli.h"

static const struct cli_cmd *const tables[] = {
	cli_misc_cmds, cli_res_cmds, cli_sensor_cmds,
};

static void print_cmd(const struct cli_cmd *cmd)
{
	char head[64];

	snprintf(head, sizeof(head), "%s%s%s", cmd->group, cmd->name ? " " : "",
		 cmd->name ? cmd->name : "");
	printf("  %-16s %-28s %s\n", head, cmd->args, cmd->help);
}

static void usage(void)
{
	printf("Usage: vscmi [--device N] [--json] [--timeout MS] [--poll] COMMAND [ARGS]\n"
	       "Control this guest's clocks, performance and power domains, sensors,\n"
	       "resets, voltages, power caps and pins through SCMI, served by dom0.\n"
	       "Resources are named by number or by name.\n\n"
	       "Options:\n"
	       "  -d, --device N     virtio-pv device number (default 0)\n"
	       "  -j, --json         machine-readable output\n"
	       "  -t, --timeout MS   command timeout (default %u)\n"
	       "  -p, --poll         busy-poll for replies instead of sleeping\n"
	       "  -v, --verbose      log what the transport does\n"
	       "  -h, --help         this help; COMMAND --help for one command\n\n"
	       "Commands:\n", CONFIG_SCMI_TIMEOUT_MS);
	for (size_t t = 0; t < OS_ARRAY_SIZE(tables); t++)
		for (const struct cli_cmd *cmd = tables[t]; cmd->group; cmd++)
			print_cmd(cmd);
	printf("\nUnits: rates take Hz/kHz/MHz/GHz (800MHz), voltages uV/mV/V (850mV).\n"
	       "Exit status: 0 ok, 1 failed, 2 usage, 3 no device or back-end,\n"
	       "4 denied, 5 no such resource or bad value, 6 timeout or back-end gone,\n"
	       "7 protocol violation by the back-end. See vscmi(1).\n");
}

/* Print the commands of @group (for "vscmi clock --help" or a bad subcommand). */
static bool group_usage(const char *group, FILE *out)
{
	bool any = false;

	for (size_t t = 0; t < OS_ARRAY_SIZE(tables); t++) {
		for (const struct cli_cmd *cmd = tables[t]; cmd->group; cmd++) {
			if (strcmp(cmd->group, group))
				continue;
			if (!any)
				fprintf(out, "Usage:\n");
			fprintf(out, "  vscmi %s%s%s %s\n      %s\n", cmd->group,
				cmd->name ? " " : "", cmd->name ? cmd->name : "", cmd->args,
				cmd->help);
			any = true;
		}
	}
	return any;
}

static const struct cli_cmd *find_cmd(const char *group, const char *name)
{
	for (size_t t = 0; t < OS_ARRAY_SIZE(tables); t++)
		for (const struct cli_cmd *cmd = tables[t]; cmd->group; cmd++)
			if (!strcmp(cmd->group, group) &&
			    (!cmd->name || (name && !strcmp(cmd->name, name))))
				return cmd;
	return NULL;
}

int cli_connect(struct cli *c)
{
	char err[256];
	int ret;

	if (c->h)
		return 0;
	ret = vscmi_conn_open(c->devid, &c->conn, &c->h, err, sizeof(err));
	if (ret) {
		fprintf(stderr, "vscmi: %s\n", err);
		return CLI_ENODEV;
	}
	if (c->timeout_ms)
		scmi_set_timeout_ms(c->h, (unsigned)c->timeout_ms);
	if (c->poll && scmi_set_polling(c->h, true))
		fprintf(stderr, "vscmi: polling not available; using interrupts\n");
	/* Who we are, for error messages ("guest ivi may not ..."). */
	if (scmi_base_discover_agent(c->h, SCMI_BASE_AGENT_SELF, &c->agent_id, c->agent))
		c->agent[0] = '\0';
	return 0;
}

static bool wants_help(int argc, char **argv)
{
	for (int i = 0; i < argc; i++)
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return true;
	return false;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "device", required_argument, NULL, 'd' },
		{ "json", no_argument, NULL, 'j' },
		{ "timeout", required_argument, NULL, 't' },
		{ "poll", no_argument, NULL, 'p' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct cli c = { .prog = "vscmi" };
	const struct cli_cmd *cmd;
	int opt, ret, level = OS_LOG_WARN;
	uint32_t v;

	/* Options stop at the command; the rest belongs to it. */
	while ((opt = getopt_long(argc, argv, "+d:jt:pvh", opts, NULL)) != -1) {
		switch (opt) {
		case 'd':
			if (cli_parse_u32(optarg, &v) || v > 0xffff)
				return cli_usage(&c, "--device wants a number 0..65535");
			c.devid = v;
			break;
		case 'j':
			c.json = true;
			break;
		case 't':
			if (cli_parse_u32(optarg, &v) || !v)
				return cli_usage(&c, "--timeout wants milliseconds > 0");
			c.timeout_ms = v;
			break;
		case 'p':
			c.poll = true;
			break;
		case 'v':
			level = level < OS_LOG_DEBUG ? level + 1 : level;
			break;
		case 'h':
			usage();
			return 0;
		default:
			return cli_usage(&c, "unknown option");
		}
	}
	argc -= optind;
	argv += optind;
	if (!argc)
		return cli_usage(&c, "name a command");

	cmd = find_cmd(argv[0], argc > 1 ? argv[1] : NULL);
	if (!cmd) {
		if (group_usage(argv[0], stderr))
			return argc > 1 && !wants_help(argc - 1, argv + 1) ?
			       cli_usage(&c, "unknown %s command '%s'", argv[0], argv[1]) :
			       (argc > 1 ? 0 : CLI_EUSAGE);
		return cli_usage(&c, "unknown command '%s'", argv[0]);
	}
	argc -= cmd->name ? 2 : 1;
	argv += cmd->name ? 2 : 1;
	if (wants_help(argc, argv)) {
		printf("Usage: vscmi %s%s%s %s\n%s\n", cmd->group, cmd->name ? " " : "",
		       cmd->name ? cmd->name : "", cmd->args, cmd->help);
		return 0;
	}
	if (argc < cmd->min_args || argc > cmd->max_args)
		return cli_usage(&c, "usage: vscmi %s%s%s %s", cmd->group, cmd->name ? " " : "",
				 cmd->name ? cmd->name : "", cmd->args);

	os_log_set_level((enum os_log_level)level);
	ret = cmd->run(&c, argc, argv);
	vscmi_conn_close(c.conn);
	return ret;
}
