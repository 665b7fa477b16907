// SPDX-License-Identifier: MIT
/*
 * xensim-xenstored: xensim's xenstore daemon. See docs/xensim.md
 * ("xenstored") and `xensim-xenstored --help`.
 */
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <vscmi/os.h>

#include "server.h"

static struct xsd_server *the_server;

static void on_stop(int sig)
{
	if (the_server)
		xsd_server_stop(the_server);
}

static void on_freeze(int sig)
{
	if (the_server)
		xsd_server_freeze_signal(the_server);
}

static void usage(FILE *f)
{
	fprintf(f,
"Usage: xensim-xenstored --machine DIR [--socket-only] [--daemon]\n"
"\n"
"xenstore daemon of an xensim machine: Xen's xs_wire protocol on the unix\n"
"socket DIR/xenstored.sock for dom0 (use XENSTORED_PATH=DIR/xenstored.sock\n"
"with libxenstore and the xenstore-* tools) and on every introduced\n"
"guest's xenstore ring page and event channel.\n"
"\n"
"  -m, --machine DIR   the machine's state directory (required)\n"
"  -s, --socket-only   serve the socket only, without attaching to an\n"
"                      xensim machine (DIR is any directory)\n"
"  -d, --daemon        detach: return once the socket accepts connections\n"
"                      (exit 0) or starting failed (exit 1), and log to\n"
"                      DIR/xenstored.log\n"
"  -f, --foreground    stay in the foreground, log to stderr (the default;\n"
"                      what `xensim start`, which supervises it, uses)\n"
"  -v, --verbose       log debug messages\n"
"  -h, --help          this text\n"
"\n"
"Writes its pid to DIR/xenstored.pid. SIGTERM/SIGINT stop it; SIGUSR1\n"
"freezes it (fault injection) for the milliseconds written in\n"
"DIR/xenstored.freeze, as does the request CONTROL freeze|MS.\n");
}

static int write_pid(const char *dir)
{
	char path[300], buf[32];
	int fd, n;

	snprintf(path, sizeof(path), "%s/" XSD_PID_NAME, dir);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	n = snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());
	if (write(fd, buf, (size_t)n) != n) {
		close(fd);
		return -EIO;
	}
	close(fd);
	return 0;
}

static void remove_pid(const char *dir)
{
	char path[300];

	snprintf(path, sizeof(path), "%s/" XSD_PID_NAME, dir);
	unlink(path);
}

/*
 * Fork; the parent waits until the child listens (or failed) and exits
 * with its verdict. Before attaching: libxensim must not cross a fork.
 */
static int daemonize(const char *dir, int *ready_fd)
{
	char path[300], verdict = 1;
	int p[2], fd;
	pid_t pid;

	if (pipe(p) < 0)
		return -errno;
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid > 0) {
		close(p[1]);
		if (read(p[0], &verdict, 1) != 1)
			verdict = 1;
		_exit(verdict);
	}
	close(p[0]);
	setsid();
	snprintf(path, sizeof(path), "%s/xenstored.log", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (fd >= 0) {
		dup2(fd, STDERR_FILENO);
		close(fd);
	}
	fd = open("/dev/null", O_RDWR);
	if (fd >= 0) {
		dup2(fd, STDIN_FILENO);
		dup2(fd, STDOUT_FILENO);
		close(fd);
	}
	*ready_fd = p[1];
	return 0;
}

static void tell_parent(int *fd, char verdict)
{
	if (*fd < 0)
		return;
	if (write(*fd, &verdict, 1) != 1) {
		/* the parent is gone: nothing to tell */
	}
	close(*fd);
	*fd = -1;
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "machine", required_argument, NULL, 'm' },
		{ "socket-only", no_argument, NULL, 's' },
		{ "foreground", no_argument, NULL, 'f' },
		{ "daemon", no_argument, NULL, 'd' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct xsd_server_opts o = { 0 };
	struct sigaction sa = { 0 };
	bool foreground = true;
	int opt, rc, ready = -1;
	struct stat st;

	while ((opt = getopt_long(argc, argv, "m:sdfvh", lo, NULL)) != -1) {
		switch (opt) {
		case 'm': o.dir = optarg; break;
		case 's': o.socket_only = true; break;
		case 'd': foreground = false; break;
		case 'f': foreground = true; break;
		case 'v': os_log_set_level(OS_LOG_DEBUG); break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (!o.dir || optind != argc) {
		fprintf(stderr, "xensim-xenstored: %s\n", o.dir ?
			"unexpected argument" : "--machine DIR is required");
		usage(stderr);
		return 2;
	}
	if (stat(o.dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
		fprintf(stderr, "xensim-xenstored: %s is not a directory\n",
			o.dir);
		return 1;
	}
	if (!foreground && daemonize(o.dir, &ready) < 0) {
		fprintf(stderr, "xensim-xenstored: cannot daemonize: %s\n",
			strerror(errno));
		return 1;
	}
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	rc = xsd_server_new(&o, &the_server);
	if (rc) {
		fprintf(stderr, "xensim-xenstored: cannot start: %s\n",
			strerror(-rc));
		tell_parent(&ready, 1);
		return 1;
	}
	sa.sa_handler = on_stop;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = on_freeze;
	sigaction(SIGUSR1, &sa, NULL);
	rc = write_pid(o.dir);
	if (rc)
		os_warn("xenstored: cannot write the pid file: %s",
			strerror(-rc));
	os_info("xenstored: serving %s%s", o.dir,
		o.socket_only ? " (socket only)" : "");
	tell_parent(&ready, 0);
	rc = xsd_server_run(the_server);
	if (rc)
		os_err("xenstored: %s", strerror(-rc));
	remove_pid(o.dir);
	xsd_server_free(the_server);
	the_server = NULL;
	return rc ? 1 : 0;
}
