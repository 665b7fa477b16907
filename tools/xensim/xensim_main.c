// SPDX-License-Identifier: MIT
/*
 * xensim: command-line front of the simulated Xen machine, the toolstack
 * (start, create, run, list, destroy, audit, stop, fault). See
 * docs/xensim.md.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "xensim_cli.h"
#include "xsim_priv.h"

static const char *machine;	/* --machine, or NULL: $XENSIM_MACHINE */

static int err(const char *what, int rc)
{
	fprintf(stderr, "xensim: %s: %s\n", what, strerror(rc < 0 ? -rc : rc));
	return 1;
}

static int usage_err(const char *cmd, const char *msg)
{
	fprintf(stderr, "xensim %s: %s (try 'xensim %s --help')\n", cmd, msg, cmd);
	return 2;
}

static bool parse_uint(const char *s, unsigned long max, unsigned long *out)
{
	char *end;
	unsigned long v;

	if (!s || !*s || *s == '-')
		return false;
	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || *end || v > max)
		return false;
	*out = v;
	return true;
}

static bool want_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--"))
			return false;
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return true;
	}
	return false;
}

/* Attach as dom0 with a clear message when there is no machine. */
static int attach0(struct xsim **x, bool holder)
{
	int rc = xsim_attach_flags(machine, 0, holder ? XSIM_ATTACH_HOLDER : 0, x);
	char dir[PATH_MAX];

	if (rc == -ENOENT) {
		xsim_machine_path(machine, dir, sizeof(dir));
		fprintf(stderr, "xensim: no machine at %s (run 'xensim start' first)\n", dir);
		return 1;
	}
	if (rc == -EPERM) {
		xsim_machine_path(machine, dir, sizeof(dir));
		fprintf(stderr, "xensim: %s is not ours or is group/world-writable\n", dir);
		return 1;
	}
	return rc ? err("attach", rc) : 0;
}

/* ------------------------------------------------------------------ */

static const char start_help[] =
	"usage: xensim start [--name M] [--memory MiB] [--max-grant-frames N]\n"
	"Create machine M (default: $XENSIM_MACHINE or 'default') with dom0,\n"
	"start its daemon and its xenstored, print the state directory.\n";

static int cmd_start(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "name", required_argument, NULL, 'n' },
		{ "memory", required_argument, NULL, 'm' },
		{ "max-grant-frames", required_argument, NULL, 'g' },
		{ 0 },
	};
	struct xsim_machine_opts mo = { 0 };
	char dir[PATH_MAX], self[PATH_MAX], xsd[PATH_MAX + 32], *slash;
	unsigned long v;
	int c, pfd[2], rc;
	pid_t pid;
	char ok;

	while ((c = getopt_long(argc, argv, "n:m:g:", opts, NULL)) != -1) {
		switch (c) {
		case 'n': machine = optarg; break;
		case 'm':
			if (!parse_uint(optarg, XSIM_MAX_MEMORY_MIB, &v) || !v)
				return usage_err("start", "--memory wants 1..256 MiB");
			mo.dom0_memory_mib = (unsigned)v;
			break;
		case 'g':
			if (!parse_uint(optarg, XSIM_GNTTAB_MAX_FRAMES, &v) || !v)
				return usage_err("start", "--max-grant-frames wants 1..64");
			mo.dom0_max_grant_frames = (unsigned)v;
			break;
		default: return usage_err("start", "bad option");
		}
	}
	if (optind != argc)
		return usage_err("start", "unexpected argument");
	rc = xsim_machine_path(machine, dir, sizeof(dir));
	if (rc)
		return err("machine name", rc);
	rc = xsim_machine_create(dir, &mo);
	if (rc == -EEXIST) {
		fprintf(stderr, "xensim: machine %s is already running\n", dir);
		return 1;
	}
	if (rc)
		return err(dir, rc);

	/* xensim-xenstored lives next to us. */
	rc = (int)readlink("/proc/self/exe", self, sizeof(self) - 1);
	self[rc > 0 ? rc : 0] = '\0';
	slash = strrchr(self, '/');
	if (slash)
		*slash = '\0';
	snprintf(xsd, sizeof(xsd), "%s/xensim-xenstored", self);

	if (pipe(pfd) < 0)
		return err("pipe", -errno);
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return err("fork", -errno);
	if (pid == 0) {
		char log[PATH_MAX + 16];
		int fd;

		close(pfd[0]);
		setsid();
		snprintf(log, sizeof(log), "%s/xensim.log", dir);
		fd = open("/dev/null", O_RDONLY);
		if (fd >= 0) {
			dup2(fd, 0);
			close(fd);
		}
		fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0600);
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
			close(fd);
		}
		xsim_daemon_main(dir, xsd, pfd[1]);
	}
	close(pfd[1]);
	{
		struct pollfd p = { .fd = pfd[0], .events = POLLIN };

		if (poll(&p, 1, 10000) != 1 || read(pfd[0], &ok, 1) != 1) {
			fprintf(stderr, "xensim: the machine daemon did not start (see %s/xensim.log)\n", dir);
			return 1;
		}
	}
	close(pfd[0]);
	printf("%s\n", dir);
	return 0;
}

static const char create_help[] =
	"usage: xensim create NAME [--memory MiB] [--max-grant-frames N] [--persistent]\n"
	"Create a domain (arena of MiB, default 16, max 256; grant table of up\n"
	"to N frames, default 32, max 64), introduce it to xenstored and print\n"
	"its domid. A domain is destroyed when its last process exits, unless\n"
	"--persistent (xl's on_poweroff=preserve): then it waits for the next run.\n";

static int cmd_create(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "memory", required_argument, NULL, 'm' },
		{ "max-grant-frames", required_argument, NULL, 'g' },
		{ "persistent", no_argument, NULL, 'p' },
		{ 0 },
	};
	unsigned mib = 0, frames = 0;
	bool persistent = false;
	unsigned long v;
	struct xsim *x;
	uint16_t domid;
	int c, rc;

	while ((c = getopt_long(argc, argv, "m:g:p", opts, NULL)) != -1) {
		switch (c) {
		case 'p': persistent = true; break;
		case 'm':
			if (!parse_uint(optarg, XSIM_MAX_MEMORY_MIB, &v) || !v)
				return usage_err("create", "--memory wants 1..256 MiB");
			mib = (unsigned)v;
			break;
		case 'g':
			if (!parse_uint(optarg, XSIM_GNTTAB_MAX_FRAMES, &v) || !v)
				return usage_err("create", "--max-grant-frames wants 1..64");
			frames = (unsigned)v;
			break;
		default: return usage_err("create", "bad option");
		}
	}
	if (optind != argc - 1)
		return usage_err("create", "want exactly one NAME");
	if (attach0(&x, true))
		return 1;
	rc = xsim_domain_create(x, argv[optind], mib, frames, &domid);
	if (rc) {
		xsim_detach(x);
		if (rc == -EEXIST)
			fprintf(stderr, "xensim: a domain named '%s' exists\n", argv[optind]);
		else if (rc == -EINVAL)
			fprintf(stderr, "xensim: bad domain name '%s' (use [A-Za-z0-9_.-], < %d chars)\n",
				argv[optind], XSIM_NAME_MAX);
		else if (rc == -ENOSPC)
			fprintf(stderr, "xensim: no free domain id (max %d domains)\n", XSIM_MAX_DOMAINS);
		else
			err("create", rc);
		return 1;
	}
	if (persistent)
		xsim_domain_set_persistent(x, domid, true);
	rc = xsim_ts_introduce(x, domid);
	if (rc == -ENOENT)
		fprintf(stderr, "xensim: warning: xenstored is not running; dom%u not introduced\n", domid);
	else if (rc)
		fprintf(stderr, "xensim: warning: introducing dom%u to xenstored: %s\n",
			domid, strerror(-rc));
	xsim_detach(x);
	printf("%u\n", domid);
	return 0;
}

static const char run_help[] =
	"usage: xensim run DOMID -- CMD [ARG...]\n"
	"Run CMD as domain DOMID (XENSIM_MACHINE, XENSIM_DOMID and, for dom0,\n"
	"XENSTORED_PATH are set). The domain lives while this command runs; a\n"
	"domU is destroyed when its last process is gone. Exits with CMD's status.\n";

static pid_t run_child;

static void forward(int sig)
{
	if (run_child > 0)
		kill(run_child, sig);
}

static int cmd_run(int argc, char **argv)
{
	unsigned long domid;
	struct xsim *x;
	char val[16];
	int rc, st, first = 1;

	if (argc > 1 && !strcmp(argv[1], "--"))
		return usage_err("run", "want DOMID before --");
	if (argc < 2 || !parse_uint(argv[1], XSIM_MAX_DOMAINS - 1, &domid))
		return usage_err("run", "want a DOMID");
	first = 2;
	if (first < argc && !strcmp(argv[first], "--"))
		first++;
	if (first >= argc)
		return usage_err("run", "want a command after --");
	rc = xsim_attach_flags(machine, (int)domid, XSIM_ATTACH_HOLDER, &x);
	if (rc == -ESRCH) {
		fprintf(stderr, "xensim: no domain %lu\n", domid);
		return 1;
	}
	if (rc) {
		if (rc == -ENOENT || rc == -EPERM)
			return attach0(&x, true);
		return err("attach", rc);
	}
	setenv("XENSIM_MACHINE", xsim_machine_dir(x), 1);
	snprintf(val, sizeof(val), "%lu", domid);
	setenv("XENSIM_DOMID", val, 1);
	if (domid == 0)
		setenv("XENSTORED_PATH", xsim_xenstored_socket(x), 1);
	fflush(NULL);
	run_child = fork();
	if (run_child < 0)
		return err("fork", -errno);
	if (run_child == 0) {
		execvp(argv[first], &argv[first]);
		fprintf(stderr, "xensim: %s: %s\n", argv[first], strerror(errno));
		_exit(127);
	}
	signal(SIGINT, forward);
	signal(SIGTERM, forward);
	signal(SIGHUP, forward);
	while (waitpid(run_child, &st, 0) < 0)
		if (errno != EINTR)
			return err("waitpid", -errno);
	xsim_detach(x);
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return WEXITSTATUS(st);
}

static const char list_help[] =
	"usage: xensim list\nList the machine's domains.\n";

static int cmd_list(int argc, char **argv)
{
	static const char *const st[] = { "free", "created", "running", "dying" };
	struct xsim_domain_info d[XSIM_MAX_DOMAINS];
	struct xsim *x;
	int n;

	if (argc != 1)
		return usage_err("list", "unexpected argument");
	if (attach0(&x, true))
		return 1;
	n = xsim_domain_list(x, d, XSIM_MAX_DOMAINS);
	printf("%-5s %-20s %-8s %7s %11s %5s %8s %7s\n", "ID", "NAME", "STATE",
	       "MEM-MiB", "GNT-FRAMES", "PROCS", "PID", "XS-PORT");
	for (int i = 0; i < n && i < XSIM_MAX_DOMAINS; i++) {
		char frames[24];

		snprintf(frames, sizeof(frames), "%u/%u", d[i].nr_grant_frames,
			 d[i].max_grant_frames);
		/* The tool's own holder attachment is not a process of dom0. */
		printf("%-5u %-20s %-8s %7u %11s %5u %8d %7u\n", d[i].domid, d[i].name,
		       st[d[i].state], d[i].memory_pages / 256, frames,
		       d[i].nr_attached - (d[i].domid == 0), d[i].domid == 0 ? 0 : d[i].pid,
		       d[i].xenstore_port);
	}
	xsim_detach(x);
	return 0;
}

static const char destroy_help[] =
	"usage: xensim destroy DOMID\n"
	"Kill the domain's processes, release its grants, maps and ports, and\n"
	"release it in xenstored (@releaseDomain fires).\n";

static int destroy(unsigned long domid, const char *cmd)
{
	struct xsim *x;
	int rc;

	if (attach0(&x, true))
		return 1;
	rc = xsim_domain_destroy(x, (uint16_t)domid);
	if (rc == -ESRCH) {
		fprintf(stderr, "xensim: no domain %lu\n", domid);
	} else if (rc == -EINVAL) {
		fprintf(stderr, "xensim: dom0 cannot be destroyed (use 'xensim stop')\n");
	} else if (rc) {
		err(cmd, rc);
	} else {
		rc = xsim_ts_release(x, (uint16_t)domid);
		if (rc && rc != -ENOENT)
			fprintf(stderr, "xensim: warning: releasing dom%lu in xenstored: %s\n",
				domid, strerror(-rc));
		rc = 0;
	}
	xsim_detach(x);
	return rc ? 1 : 0;
}

static int cmd_destroy(int argc, char **argv)
{
	unsigned long domid;

	if (argc != 2 || !parse_uint(argv[1], XSIM_MAX_DOMAINS - 1, &domid))
		return usage_err("destroy", "want one DOMID");
	return destroy(domid, "destroy");
}

static const char audit_help[] =
	"usage: xensim audit [--check] [--quiet]\n"
	"Print live grants, maps and ports per domain, and problems (anything\n"
	"left by dead processes or domains, inconsistent pins). --check: exit 1\n"
	"if there is any problem. --quiet: print only problems' count.\n";

static int cmd_audit(int argc, char **argv)
{
	bool check = false, quiet = false;
	struct xsim *x;
	int problems;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--check"))
			check = true;
		else if (!strcmp(argv[i], "--quiet") || !strcmp(argv[i], "-q"))
			quiet = true;
		else
			return usage_err("audit", "bad option");
	}
	if (attach0(&x, true))
		return 1;
	problems = xsim_audit(x, quiet ? NULL : stdout);
	xsim_detach(x);
	if (problems < 0)
		return err("audit", problems);
	printf("%d problem(s)\n", problems);
	return check && problems ? 1 : 0;
}

static const char stop_help[] =
	"usage: xensim stop\n"
	"Stop the machine: its domains' processes, xenstored and the daemon;\n"
	"remove its state directory.\n";

static bool dir_gone(const char *dir)
{
	return access(dir, F_OK) < 0 && errno == ENOENT;
}

static int cmd_stop(int argc, char **argv)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char dir[PATH_MAX];
	int fd, rc, daemon_pid = 0;

	if (argc != 1)
		return usage_err("stop", "unexpected argument");
	rc = xsim_machine_path(machine, dir, sizeof(dir));
	if (rc)
		return err("machine name", rc);
	if (dir_gone(dir)) {
		fprintf(stderr, "xensim: no machine at %s\n", dir);
		return 1;
	}
	{
		char path[PATH_MAX + 16], buf[32];
		int pfd, n;

		snprintf(path, sizeof(path), "%s/" XSIM_DAEMON_PID, dir);
		pfd = open(path, O_RDONLY | O_CLOEXEC);
		if (pfd >= 0) {
			n = (int)read(pfd, buf, sizeof(buf) - 1);
			buf[n > 0 ? n : 0] = '\0';
			daemon_pid = atoi(buf);
			close(pfd);
		}
	}
	rc = snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/" XSIM_DAEMON_SOCK, dir);
	fd = rc < 0 || (size_t)rc >= sizeof(sa.sun_path) ? -1 :
		socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0 &&
	    send(fd, "stop", 4, MSG_NOSIGNAL) == 4) {
		for (int i = 0; i < 1000 && !dir_gone(dir); i++)
			usleep(10000);
		/* ... and until the daemon itself is gone (or a zombie). */
		for (int i = 0; i < 500 && xsim_pid_starttime(daemon_pid); i++)
			usleep(10000);
		close(fd);
		if (dir_gone(dir))
			return 0;
		fprintf(stderr, "xensim: the daemon did not stop in time\n");
		return 1;
	}
	if (fd >= 0)
		close(fd);
	/* No daemon: take it down ourselves. */
	{
		struct xsim *x;

		if (xsim_attach_flags(dir, 0, XSIM_ATTACH_HOLDER, &x) == 0) {
			for (int a = 0; a < XSIM_MAX_ATTACH; a++) {
				struct xsim_att *att = &x->shm->att[a];

				if (att->in_use && att->pid != getpid() &&
				    xsim_pid_alive(att->pid, att->starttime))
					kill(att->pid, SIGKILL);
			}
			xsim_detach(x);
		}
	}
	rc = xsim_machine_remove(dir);
	if (rc)
		return err(dir, rc);
	fprintf(stderr, "xensim: warning: no daemon was running; removed %s\n", dir);
	return 0;
}

static const char fault_help[] =
	"usage: xensim fault DOMID [--port P] [--drop N] [--dup N] [--delay-us US]\n"
	"                          [--fail-maps N [--status GNTST]] [--grant-frames-cap N]\n"
	"                          [--clear] [--show]\n"
	"       xensim fault kill DOMID\n"
	"       xensim fault xenstored-freeze MS\n"
	"Event faults apply to sends from DOMID (all its ports or port P): drop\n"
	"the next N, deliver the next N twice, delay every send by US.\n"
	"--fail-maps: the next N grant maps by or of DOMID fail with GNTST\n"
	"(a negative GNTST_* number, default -1 = GNTST_general_error).\n"
	"--grant-frames-cap: the grant table cannot grow beyond N frames\n"
	"(exhausts grant references). Options not given keep their value.\n"
	"kill: destroy the domain with SIGKILL to its processes.\n"
	"xenstored-freeze: xenstored stops answering for MS milliseconds.\n";

static int cmd_fault(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "port", required_argument, NULL, 'p' },
		{ "drop", required_argument, NULL, 'd' },
		{ "dup", required_argument, NULL, 'u' },
		{ "delay-us", required_argument, NULL, 'w' },
		{ "fail-maps", required_argument, NULL, 'f' },
		{ "status", required_argument, NULL, 's' },
		{ "grant-frames-cap", required_argument, NULL, 'g' },
		{ "clear", no_argument, NULL, 'c' },
		{ "show", no_argument, NULL, 'S' },
		{ 0 },
	};
	struct xsim_fault f;
	unsigned long domid, v;
	bool show = false;
	struct xsim *x;
	int c, rc;

	if (argc >= 2 && !strcmp(argv[1], "kill")) {
		if (argc != 3 || !parse_uint(argv[2], XSIM_MAX_DOMAINS - 1, &domid))
			return usage_err("fault", "kill wants one DOMID");
		return destroy(domid, "fault kill");
	}
	if (argc >= 2 && !strcmp(argv[1], "xenstored-freeze")) {
		if (argc != 3 || !parse_uint(argv[2], 3600000, &v))
			return usage_err("fault", "xenstored-freeze wants MS");
		if (attach0(&x, true))
			return 1;
		rc = xsim_fault_xenstored_freeze(x, (unsigned)v);
		xsim_detach(x);
		if (rc == -ESRCH) {
			fprintf(stderr, "xensim: xenstored is not running\n");
			return 1;
		}
		return rc ? err("xenstored-freeze", rc) : 0;
	}
	if (argc < 2 || !parse_uint(argv[1], XSIM_MAX_DOMAINS - 1, &domid))
		return usage_err("fault", "want DOMID, 'kill' or 'xenstored-freeze'");
	if (attach0(&x, true))
		return 1;
	rc = xsim_fault_get(x, (uint16_t)domid, &f);
	optind = 2;
	while (!rc && (c = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
		long sv;
		char *end;

		if (c == 'c') {
			memset(&f, 0, sizeof(f));
			continue;
		}
		if (c == 'S') {
			show = true;
			continue;
		}
		if (c == 's') {
			sv = strtol(optarg, &end, 0);
			if (*end || sv > -1 || sv < -16) {
				xsim_detach(x);
				return usage_err("fault", "--status wants a GNTST_* code, -1..-16");
			}
			f.map_fail_status = (int16_t)sv;
			continue;
		}
		if (c == '?' || !parse_uint(optarg, UINT32_MAX, &v)) {
			xsim_detach(x);
			return usage_err("fault", "bad option or number");
		}
		switch (c) {
		case 'p': f.evt_port = (uint32_t)v; break;
		case 'd': f.evt_drop = (uint32_t)v; break;
		case 'u': f.evt_dup = (uint32_t)v; break;
		case 'w': f.evt_delay_us = (uint32_t)v; break;
		case 'f': f.map_fail = (uint32_t)v; break;
		case 'g': f.grant_frames_cap = (uint16_t)(v > XSIM_GNTTAB_MAX_FRAMES ?
				XSIM_GNTTAB_MAX_FRAMES + 1 : v); break;
		}
	}
	if (!rc && optind != argc) {
		xsim_detach(x);
		return usage_err("fault", "unexpected argument");
	}
	if (!rc)
		rc = xsim_fault_set(x, (uint16_t)domid, &f);
	if (!rc && show)
		printf("dom%lu: port %u drop %u dup %u delay-us %u fail-maps %u status %d "
		       "grant-frames-cap %u\n", domid, f.evt_port, f.evt_drop, f.evt_dup,
		       f.evt_delay_us, f.map_fail, f.map_fail_status ? f.map_fail_status : -1,
		       f.grant_frames_cap);
	xsim_detach(x);
	if (rc == -ESRCH) {
		fprintf(stderr, "xensim: no domain %lu\n", domid);
		return 1;
	}
	return rc ? err("fault", rc) : 0;
}

/* ------------------------------------------------------------------ */

static const struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
} commands[] = {
	{ "start", cmd_start, start_help },
	{ "create", cmd_create, create_help },
	{ "run", cmd_run, run_help },
	{ "list", cmd_list, list_help },
	{ "destroy", cmd_destroy, destroy_help },
	{ "audit", cmd_audit, audit_help },
	{ "stop", cmd_stop, stop_help },
	{ "fault", cmd_fault, fault_help },
};

static void usage(FILE *out)
{
	fprintf(out,
		"usage: xensim [--machine M] COMMAND [ARGS]\n"
		"A simulated Xen machine: domains are processes, with v1 grant tables,\n"
		"event channels and xenstore. Commands:\n"
		"  start [--name M]          create and start a machine (dom0, xenstored)\n"
		"  create NAME [--memory MiB] [--max-grant-frames N] [--persistent]\n"
		"                            create a domain\n"
		"  run DOMID -- CMD...       run CMD as that domain\n"
		"  list                      list domains\n"
		"  destroy DOMID             destroy a domain\n"
		"  audit [--check]           live grants, maps and ports; problems\n"
		"  fault ...                 fault injection\n"
		"  stop                      stop the machine and remove its files\n"
		"M defaults to $XENSIM_MACHINE, else 'default'. 'xensim COMMAND --help'\n"
		"for details; docs/xensim.md for everything.\n");
}

int main(int argc, char **argv)
{
	int i = 1;

	while (i < argc && argv[i][0] == '-') {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			return 0;
		}
		if ((!strcmp(argv[i], "--machine") || !strcmp(argv[i], "-m")) && i + 1 < argc) {
			machine = argv[i + 1];
			i += 2;
			continue;
		}
		fprintf(stderr, "xensim: unknown option %s\n", argv[i]);
		usage(stderr);
		return 2;
	}
	if (i >= argc) {
		usage(stderr);
		return 2;
	}
	for (size_t c = 0; c < sizeof(commands) / sizeof(commands[0]); c++) {
		if (strcmp(argv[i], commands[c].name))
			continue;
		if (want_help(argc - i, argv + i)) {
			fputs(commands[c].help, stdout);
			return 0;
		}
		optind = 1;
		return commands[c].fn(argc - i, argv + i);
	}
	fprintf(stderr, "xensim: unknown command '%s'\n", argv[i]);
	usage(stderr);
	return 2;
}
