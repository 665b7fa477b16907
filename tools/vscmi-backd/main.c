// SPDX-License-Identifier: MIT
/*
 * vscmi-backd: the dom0 SCMI server for Xen guests. It watches xenstore for
 * virtio-pv devices whose back-end is this domain, serves each as one SCMI
 * agent from the platform model of its configuration file, and runs every
 * guest in one event loop.
 */
#include "backd.h"

#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/signalfd.h>
#include <syslog.h>
#include <unistd.h>
#include <xenstore.h>

#include <vscmi/os.h>

#include "scmi/server/server.h"

#define BK_DEFAULT_CONFIG "/etc/vscmi/backd.cfg"

static const char usage[] =
"Usage: vscmi-backd [OPTION]... [--config FILE]\n"
"       vscmi-backd --check-config FILE\n"
"\n"
"Serve Arm SCMI to Xen guests over virtio-pv (grants + event channels).\n"
"Each guest with a virtio-pv device whose back-end is this domain is one\n"
"SCMI agent, named by its domain name in the configuration file.\n"
"\n"
"  -c, --config FILE      platform model and agents (default " BK_DEFAULT_CONFIG ")\n"
"      --check-config FILE  validate FILE, explain errors, exit 0 if valid\n"
"  -f, --foreground       stay in the foreground, log to stderr\n"
"  -p, --pidfile FILE     write our pid to FILE\n"
"      --syslog           log to syslog (default when in the background)\n"
"      --delay-ms N       latency of delayed (async) responses (default 1)\n"
"      --auto-attach      attach every domain the configuration names as soon\n"
"                         as it appears (needs no vscmi-attach)\n"
"      --no-poll          never poll the command queues between events\n"
"                         (every request then costs the guest a kick)\n"
"      --busy-poll        always poll 50 us before sleeping, even for one\n"
"                         request at a time (for guests in polling mode:\n"
"                         trades a CPU for latency)\n"
"  -v, --verbose          more log output (repeat for debug)\n"
"  -q, --quiet            errors only\n"
"  -h, --help             this help\n"
"\n"
"Signals: SIGTERM/SIGINT close every device and exit; SIGHUP reloads the\n"
"configuration keeping connections; SIGUSR1 logs per-guest counters.\n"
"Platform: %s. See vscmi-backd(8) and docs/config.md.\n";

static bool use_syslog;

static void bk_syslog_sink(enum os_log_level level, const char *line)
{
	static const int prio[] = { LOG_ERR, LOG_WARNING, LOG_INFO, LOG_DEBUG };

	syslog(prio[level & 3], "%s", line);
}

static void bk_stderr_sink(enum os_log_level level, const char *line)
{
	static const char *const tag[] = { "error", "warning", "info", "debug" };

	fprintf(stderr, "vscmi-backd: %s: %s\n", tag[level & 3], line);
}

/* ---- server up-calls ------------------------------------------------------ */

static int bk_srv_send_p2a(void *ctx, struct scmi_srv_agent *agent, const void *msg,
			   size_t len)
{
	struct bk_dev *d = bk_dev_by_agent(ctx, agent);

	return d ? bk_dev_send_p2a(d, msg, len) : -ENOTCONN;
}

static int bk_srv_defer(void *ctx, uint64_t delay_ns, void (*fn)(void *arg), void *arg)
{
	struct backd *bd = ctx;
	int64_t id = bk_loop_add_timer(bd->loop, delay_ns, fn, arg);

	return id < 0 ? (int)id : 0;
}

static const struct scmi_srv_ops bk_srv_ops = {
	.send_p2a = bk_srv_send_p2a,
	.defer = bk_srv_defer,
};

/* ---- event sources -------------------------------------------------------- */

static void bk_on_evtchn(void *arg, uint32_t events)
{
	struct backd *bd = arg;
	uint32_t port;

	struct bk_dev *kicked[64];
	unsigned n;

	bk_plat_evtchn_rearm(bd->plat);
	/*
	 * Each pending port once; the device drains everything queued. Take
	 * the ports first and serve from a rotating start: ports come out
	 * lowest first, and under load the guest served first each round
	 * would otherwise also be the first to have its next request in.
	 */
	do {
		n = 0;
		while (n < OS_ARRAY_SIZE(kicked) &&
		       bk_plat_evtchn_pending(bd->plat, &port) == 0) {
			struct bk_dev *d = bk_dev_by_port(bd, port);

			os_dbg("event on port %u (%s)", port, d ? d->domname : "no device");
			bk_plat_evtchn_unmask(bd->plat, port);
			if (d)
				kicked[n++] = d;
		}
		for (unsigned i = 0; i < n; i++) {
			struct bk_dev *d = kicked[(bd->rr + i) % n];

			/* A device failed by an earlier one's serve is still
			 * on the list: bk_serve() checks connected/broken. */
			bk_dev_kick(d);
		}
		bd->rr++;
	} while (n == OS_ARRAY_SIZE(kicked));
}

/* The first device goes last: polling rounds start with each in turn. */
static void bk_rotate_devs(struct backd *bd)
{
	struct bk_dev *first = bd->devs, *last = first;

	if (!first || !first->next)
		return;
	while (last->next)
		last = last->next;
	bd->devs = first->next;
	first->next = NULL;
	last->next = first;
}

/*
 * Before the loop sleeps: poll every command queue for a while with the
 * guests' kicks turned off. Under load the next request comes within
 * microseconds; taken without a kick, it saves the guest an event send and
 * us a wake-up. The window adapts as KVM's halt polling does: it grows
 * when what woke us came soon enough after we went idle for the longest
 * window to have caught it, and shrinks (to nothing: we then sleep at
 * once) when it did not. It only polls while some guest pipelines its
 * requests (BK_POLL_MIN_BATCH of them waiting together), or always with
 * --busy-poll (guests in polling mode: both sides then spin, as in the
 * benchmark's baseline (b)). Each call is bounded by the window, so
 * descriptors and timers wait at most that.
 */
static bool bk_idle(void *arg)
{
	struct backd *bd = arg;
	uint64_t now = os_now_ns(), end;
	bool found = false, pipelined;

	if (bd->slept_at) {
		if (now - bd->slept_at <= BK_POLL_MAX_NS)
			bd->poll_ns = OS_MIN(OS_MAX(2 * bd->poll_ns, (uint64_t)BK_POLL_MIN_NS),
					     (uint64_t)BK_POLL_MAX_NS);
		else
			bd->poll_ns = bd->poll_ns / 2 < BK_POLL_MIN_NS ? 0 : bd->poll_ns / 2;
		bd->slept_at = 0;
	}
	if (bd->busy_poll)
		bd->poll_ns = BK_POLL_MAX_NS;
	pipelined = bd->pipelined || bd->busy_poll;
	for (struct bk_dev *d = bd->devs; d && !pipelined; d = d->next)
		pipelined = d->period_cmds >= BK_POLL_MIN_BATCH;
	if (bd->poll_ns && pipelined) {
		bk_rotate_devs(bd);
		for (struct bk_dev *d = bd->devs; d; d = d->next)
			bk_dev_quiet(d);
		end = now + bd->poll_ns;
		do {
			for (struct bk_dev *d = bd->devs; d; d = d->next)
				found |= bk_dev_poll(d);
			if (found)
				return true;	/* peek at the descriptors, then poll on */
			os_cpu_relax();
		} while (os_now_ns() < end);
	}
	/* Kicks on again; whatever came in meanwhile is served first. */
	for (struct bk_dev *d = bd->devs; d; d = d->next)
		found |= bk_dev_arm(d);
	if (found)
		return true;
	/* From here: would a window of BK_POLL_MAX_NS have caught the next? */
	bd->slept_at = pipelined ? now : 0;
	/* This wake period decides whether the next one polls. */
	bd->pipelined = false;
	for (struct bk_dev *d = bd->devs; d; d = d->next) {
		bd->pipelined |= d->period_cmds >= BK_POLL_MIN_BATCH;
		d->period_cmds = 0;
	}
	return false;
}

static void bk_on_xenstore(void *arg, uint32_t events)
{
	struct backd *bd = arg;
	char **w;

	while ((w = xs_check_watch(bd->xs))) {
		bk_xenbus_watch_fired(bd, w[XS_WATCH_PATH], w[XS_WATCH_TOKEN]);
		free(w);
	}
	if (errno != EAGAIN) {
		os_err("lost the connection to xenstore: %s", strerror(errno));
		bk_loop_stop(bd->loop);
	}
}

static int bk_reload(struct backd *bd)
{
	struct scmi_srv_config *cfg;
	char err[512];
	int ret = scmi_srv_load_config(bd->config_path, &cfg, err, sizeof(err));

	if (ret) {
		os_err("reload: %s; keeping the running configuration", err);
		return ret;
	}
	ret = scmi_srv_reload(bd->srv, cfg);
	scmi_srv_config_free(cfg);
	if (ret)
		os_err("reload of %s failed: %s", bd->config_path, strerror(-ret));
	else
		os_info("reloaded %s", bd->config_path);
	return ret;
}

static void bk_on_signal(void *arg, uint32_t events)
{
	struct backd *bd = arg;
	struct signalfd_siginfo si;

	while (read(bd->sigfd, &si, sizeof(si)) == sizeof(si)) {
		switch (si.ssi_signo) {
		case SIGTERM:
		case SIGINT:
			os_info("signal %u: closing every device", si.ssi_signo);
			bd->stopping = true;
			bk_loop_stop(bd->loop);
			break;
		case SIGHUP:
			bk_reload(bd);
			break;
		case SIGUSR1:
			for (struct bk_dev *d = bd->devs; d; d = d->next)
				os_info("guest %s (dom%u) dev %u: %s, %llu commands, "
					"%llu p2a sent, %llu dropped, %llu events in, %llu out, "
					"%llu polled, %u maps",
					d->domname, d->domid, d->devid,
					d->connected ? "connected" : "down",
					(unsigned long long)d->st.commands,
					(unsigned long long)d->st.p2a_sent,
					(unsigned long long)d->st.p2a_dropped,
					(unsigned long long)d->st.events_in,
					(unsigned long long)d->st.events_out,
					(unsigned long long)d->st.polled, d->nmaps);
			break;
		}
	}
}

/* ---- main ------------------------------------------------------------------- */

static int bk_check_config(const char *path)
{
	struct scmi_srv_config *cfg;
	char err[1024];
	int ret = scmi_srv_load_config(path, &cfg, err, sizeof(err));

	if (ret) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	scmi_srv_config_describe(cfg, stdout);
	scmi_srv_config_free(cfg);
	printf("%s: valid\n", path);
	return 0;
}

static int bk_write_pidfile(const char *path)
{
	FILE *f = fopen(path, "w");

	if (!f) {
		os_err("cannot write pid file %s: %s", path, strerror(errno));
		return -errno;
	}
	fprintf(f, "%ld\n", (long)getpid());
	fclose(f);
	return 0;
}

static int bk_daemonize(void)
{
	pid_t pid = fork();
	int fd;

	if (pid < 0)
		return -errno;
	if (pid > 0)
		_exit(0);
	setsid();
	fd = open("/dev/null", O_RDWR);
	if (fd >= 0) {
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		if (fd > 2)
			close(fd);
	}
	return 0;
}

static int bk_setup_signals(struct backd *bd)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	bd->sigfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	return bd->sigfd < 0 ? -errno : 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "check-config", required_argument, NULL, 'C' },
		{ "foreground", no_argument, NULL, 'f' },
		{ "pidfile", required_argument, NULL, 'p' },
		{ "syslog", no_argument, NULL, 'S' },
		{ "delay-ms", required_argument, NULL, 'D' },
		{ "auto-attach", no_argument, NULL, 'A' },
		{ "no-poll", no_argument, NULL, 'P' },
		{ "busy-poll", no_argument, NULL, 'B' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct backd bd = { .config_path = BK_DEFAULT_CONFIG, .delay_ns = OS_NSEC_PER_MSEC,
			    .sigfd = -1 };
	struct scmi_srv_config *cfg = NULL;
	const char *pidfile = NULL;
	bool foreground = false;
	int level = CONFIG_LOG_LEVEL;
	char err[1024];
	int c, ret, status = 1;
	uint64_t ms;

	while ((c = getopt_long(argc, argv, "c:fp:vqh", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			bd.config_path = optarg;
			break;
		case 'C':
			return bk_check_config(optarg);
		case 'f':
			foreground = true;
			break;
		case 'p':
			pidfile = optarg;
			break;
		case 'S':
			use_syslog = true;
			break;
		case 'D':
			if (os_parse_u64(optarg, 10, 600000, &ms)) {
				fprintf(stderr, "vscmi-backd: --delay-ms wants 0..600000, not '%s'\n",
					optarg);
				return 2;
			}
			bd.delay_ns = ms * OS_NSEC_PER_MSEC;
			break;
		case 'A':
			bd.auto_attach = true;
			break;
		case 'P':
			bd.no_poll = true;
			break;
		case 'B':
			bd.busy_poll = true;
			break;
		case 'v':
			level = level < OS_LOG_DEBUG ? level + 1 : level;
			break;
		case 'q':
			level = OS_LOG_ERR;
			break;
		case 'h':
			printf(usage, bk_plat_name());
			return 0;
		default:
			fprintf(stderr, "Try 'vscmi-backd --help'.\n");
			return 2;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "vscmi-backd: unexpected argument '%s'\nTry 'vscmi-backd --help'.\n",
			argv[optind]);
		return 2;
	}
	os_log_set_level((enum os_log_level)level);
	if (!foreground)
		use_syslog = true;
	if (use_syslog) {
		openlog("vscmi-backd", LOG_PID, LOG_DAEMON);
		os_log_set_sink(bk_syslog_sink);
	} else {
		os_log_set_sink(bk_stderr_sink);
	}

	ret = scmi_srv_load_config(bd.config_path, &cfg, err, sizeof(err));
	if (ret) {
		fprintf(stderr, "vscmi-backd: %s\n", err);
		return 1;
	}
	if (!foreground && bk_daemonize()) {
		fprintf(stderr, "vscmi-backd: cannot go to the background: %s\n",
			strerror(errno));
		goto out_cfg;
	}
	if (pidfile && bk_write_pidfile(pidfile))
		goto out_cfg;

	ret = bk_setup_signals(&bd);
	if (!ret)
		ret = bk_loop_create(&bd.loop);
	if (ret) {
		os_err("cannot set up the event loop: %s", strerror(-ret));
		goto out_cfg;
	}
	ret = scmi_srv_create(cfg, &bk_srv_ops, &bd, &bd.srv);
	if (ret) {
		os_err("cannot build the platform model: %s", strerror(-ret));
		goto out_loop;
	}
	ret = bk_plat_open(&bd.plat);
	if (ret)
		goto out_srv;
	bd.xs = xs_open(0);
	if (!bd.xs) {
		os_err("cannot connect to xenstore: %s (is xenstored running? "
		       "XENSTORED_PATH=%s)", strerror(errno),
		       getenv("XENSTORED_PATH") ? getenv("XENSTORED_PATH") : "unset");
		goto out_plat;
	}
	ret = bk_plat_self_domid(bd.plat, &bd.self);
	if (ret) {
		os_err("cannot find our own domain id: %s", strerror(-ret));
		goto out_xs;
	}
	if (bk_loop_add_fd(bd.loop, bd.sigfd, bk_on_signal, &bd) ||
	    bk_loop_add_fd(bd.loop, xs_fileno(bd.xs), bk_on_xenstore, &bd) ||
	    (bk_plat_evtchn_edge(bd.plat) ?
	     bk_loop_add_fd_edge : bk_loop_add_fd)(bd.loop, bk_plat_evtchn_fd(bd.plat),
						   bk_on_evtchn, &bd))
		goto out_xs;
	ret = bk_xenbus_start(&bd);
	if (ret)
		goto out_xs;
	if (!bd.no_poll)
		bk_loop_set_idle(bd.loop, bk_idle, &bd);
	os_info("serving SCMI from %s as dom%u (%s platform)", bd.config_path, bd.self,
		bk_plat_name());

	ret = bk_loop_run(bd.loop);
	if (ret)
		os_err("event loop: %s", strerror(-ret));
	else
		status = 0;
	bk_xenbus_stop(&bd);
out_xs:
	xs_close(bd.xs);
out_plat:
	bk_plat_close(bd.plat);
out_srv:
	scmi_srv_destroy(bd.srv);
out_loop:
	bk_loop_destroy(bd.loop);
out_cfg:
	scmi_srv_config_free(cfg);
	if (pidfile && status == 0)
		unlink(pidfile);
	if (bd.sigfd >= 0)
		close(bd.sigfd);
	return status;
}
