// SPDX-License-Identifier: MIT
/*
 * vscmi-bench: the measuring end of `make bench` (scripts/bench.sh runs the
 * machine and puts the figures together).
 *
 *   vscmi-bench baseline [--n N] [--test wakeup|spin|pinned]
 *       (a) wake-up and (b) spin ping-pong between two processes.
 *   vscmi-bench guest [--test latency|throughput|notify] [--msg perf|base]
 *                     [--poll] [--n N] [--depth D] [--seconds S]
 *                     [--grants pool|per-message] [--start-at NS]
 *       run inside a guest (xensim run ID -- vscmi-bench guest ...):
 *       commands through the whole stack, with the transport's counters.
 *   vscmi-bench now
 *       CLOCK_MONOTONIC in ns, for --start-at (guests of a scaling run start
 *       measuring at the same instant, whenever each one connected).
 *
 * Every result is printed as "key=value" lines, one figure each.
 */
#include <getopt.h>
#include <malloc.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <vscmi/os.h>
#include <vscmi/scmi.h>
#include <vscmi/scmi_protocols.h>
#include <vscmi/virtio_pv.h>
#include <scmi/wire/all.h>

#include "bench.h"

/* Generous: a figure, not a timeout, is wanted even on a crowded machine. */
#define BENCH_SCMI_TIMEOUT_MS 10000
#define BENCH_CONNECT_TIMEOUT_MS 30000

struct bench_conn {
	struct xen_plat *plat;
	struct virtio_pv *pv;
	struct scmi_handle *h;
};

/* The guest's virtio-pv SCMI device 0 with grant policy @grants. */
static int bench_open(enum virtio_pv_grants grants, struct bench_conn *c)
{
	const struct virtio_pv_opts opts = {
		.connect_timeout_ns = BENCH_CONNECT_TIMEOUT_MS * OS_NSEC_PER_MSEC,
		.grants = grants,
	};
	int ret = xen_plat_open(NULL, -1, &c->plat);

	if (ret) {
		fprintf(stderr, "vscmi-bench: cannot reach Xen: %s\n", strerror(-ret));
		return ret;
	}
	ret = virtio_pv_attach(c->plat, 0, &scmi_virtio_driver, &opts, &c->pv);
	if (ret) {
		fprintf(stderr, "vscmi-bench: virtio-pv device 0: %s\n", strerror(-ret));
		goto out_plat;
	}
	c->h = scmi_handle_of(virtio_pv_vdev(c->pv));
	if (!c->h) {
		fprintf(stderr, "vscmi-bench: virtio-pv device 0 is not an SCMI device\n");
		ret = -ENODEV;
		goto out_detach;
	}
	return 0;

out_detach:
	virtio_pv_detach(c->pv);
out_plat:
	xen_plat_close(c->plat);
	return ret;
}

static void bench_close(struct bench_conn *c)
{
	virtio_pv_detach(c->pv);
	xen_plat_close(c->plat);
}

static void print_lat(const char *prefix, const struct bench_lat *l)
{
	printf("%s_n=%u\n%s_median_ns=%llu\n%s_p99_ns=%llu\n%s_p999_ns=%llu\n"
	       "%s_mean_ns=%llu\n%s_per_sec=%.0f\n", prefix, l->n,
	       prefix, (unsigned long long)l->median_ns, prefix,
	       (unsigned long long)l->p99_ns, prefix, (unsigned long long)l->p999_ns,
	       prefix, (unsigned long long)l->mean_ns, prefix, l->per_sec);
}

/* @which: "wakeup", "spin", "pinned" or "both" (perf stat counts one at a
 * time). "pinned": (a) with both processes on CPU 0. */
static int baseline(unsigned n, const char *which)
{
	bool pinned = !strcmp(which, "pinned");
	bool a_too = strcmp(which, "spin"), b_too = !strcmp(which, "spin") || !strcmp(which, "both");
	struct bench_lat a, b;
	int ret = a_too ? bench_wakeup_pingpong(n, pinned ? 0 : -1, &a) : 0;

	if (!ret && b_too)
		ret = bench_spin_pingpong(n, &b);
	if (ret) {
		fprintf(stderr, "vscmi-bench: baseline: %s\n", strerror(-ret));
		return 1;
	}
	if (a_too)
		print_lat(pinned ? "pinned" : "wakeup", &a);
	if (b_too)
		print_lat("spin", &b);
	return 0;
}

/* ---- guest side ---------------------------------------------------------------- */

enum msg_kind { MSG_PERF, MSG_BASE };

static int one_command(struct scmi_handle *h, enum msg_kind k)
{
	uint32_t v;

	return k == MSG_PERF ? scmi_perf_level_get(h, 0, &v) :
			       scmi_protocol_version(h, SCMI_PROTO_BASE, &v);
}

struct worker {
	pthread_t t;
	bool allow_errors;	/* keep going through failures (reconnect tests) */
	uint64_t ok_after_error;
	struct scmi_handle *h;
	enum msg_kind kind;
	uint64_t deadline;
	uint64_t done, failed;
	uint64_t *samples;
	unsigned cap;
};

static void *worker_run(void *arg)
{
	struct worker *w = arg;

	while (os_now_ns() < w->deadline) {
		uint64_t t0 = os_now_ns();

		int ret = one_command(w->h, w->kind);

		if (ret) {
			w->failed++;
			if (!w->allow_errors)
				break;
			/* The back-end is away: do not spin on instant failures. */
			os_sleep_ns(10 * OS_NSEC_PER_MSEC);
			continue;
		}
		if (w->failed)
			w->ok_after_error++;
		if (w->done < w->cap)
			w->samples[w->done] = os_now_ns() - t0;
		w->done++;
	}
	return NULL;
}

struct notify_wait {
	struct os_completion got;
	uint64_t at;
};

static void on_level(struct scmi_handle *h, uint8_t proto, uint8_t evt, const void *p,
		     size_t len, void *priv)
{
	struct notify_wait *nw = priv;

	nw->at = os_now_ns();
	os_complete(&nw->got);
}

static int notify_test(struct scmi_handle *h, unsigned n)
{
	struct notify_wait nw;
	uint64_t *samples = calloc(n, sizeof(*samples));
	struct scmi_perf_level lv[8];
	struct bench_lat l;
	unsigned got = 0;
	size_t nlv = 0;
	int ret;

	if (!samples)
		return -ENOMEM;
	/* Alternate between two real levels: every set is a change. */
	ret = scmi_perf_describe_levels(h, 0, lv, OS_ARRAY_SIZE(lv), &nlv);
	if (!ret && nlv < 2)
		ret = -ERANGE;
	if (ret) {
		free(samples);
		return ret;
	}
	os_completion_init(&nw.got);
	ret = scmi_notify_register(h, SCMI_PROTO_PERF, SCMI_PERF_EVT_LEVEL_CHANGED, 0, on_level,
				   &nw);
	if (!ret)
		ret = scmi_perf_notify_level(h, 0, true);
	for (unsigned i = 0; !ret && i < n; i++) {
		uint64_t t0;

		os_completion_reinit(&nw.got);
		t0 = os_now_ns();
		ret = scmi_perf_level_set(h, 0, lv[i & 1].level);
		if (ret)
			break;
		if (os_completion_wait(&nw.got, OS_NSEC_PER_SEC))
			continue;
		samples[got++] = nw.at - t0;
	}
	scmi_perf_notify_level(h, 0, false);
	scmi_notify_unregister(h, SCMI_PROTO_PERF, SCMI_PERF_EVT_LEVEL_CHANGED, 0, on_level, &nw);
	os_completion_destroy(&nw.got);
	if (!ret) {
		bench_lat_compute(samples, got, &l);
		print_lat("notify", &l);
		printf("notify_lost=%u\n", n - got);
	}
	free(samples);
	return ret;
}

struct guest_opts {
	const char *test;
	enum msg_kind kind;
	bool poll, allow_errors;
	unsigned n, depth, seconds;
	enum virtio_pv_grants grants;
	uint64_t start_at;	/* CLOCK_MONOTONIC ns; 0: right after the warm-up */
};

static int guest(const struct guest_opts *o)
{
	const char *test = o->test;
	enum msg_kind kind = o->kind;
	unsigned n = o->n, depth = o->depth, seconds = o->seconds;
	bool allow_errors = o->allow_errors;
	struct bench_conn conn;
	struct scmi_handle *h;
	struct virtio_pv_stats s0, s1;
	struct scmi_counters c0, c1;
	struct mallinfo2 m0 = mallinfo2(), m1;
	uint64_t msgs = 0, t0, t1;
	int ret = bench_open(o->grants, &conn);

	if (ret)
		return 1;
	h = conn.h;
	/* Failure tests (--allow-errors) keep the agent's own timeout. */
	if (!allow_errors)
		scmi_set_timeout_ms(h, BENCH_SCMI_TIMEOUT_MS);
	/* The agent's and transport's heap for this device (the grant pool's
	 * pages are counted apart: pool_pages). */
	m1 = mallinfo2();
	printf("device_heap_bytes=%zu\n", m1.uordblks - m0.uordblks);
	printf("pool_pages=%u\n", (unsigned)CONFIG_GRANT_POOL_PAGES);
	if (o->poll && scmi_set_polling(h, true)) {
		fprintf(stderr, "vscmi-bench: polling mode not available\n");
		ret = -EOPNOTSUPP;
		goto out;
	}
	/* Warm up: every buffer used once, every page mapped by the back-end. */
	for (unsigned i = 0; i < 2000; i++)
		one_command(h, kind);
	/* Scaling runs: every guest measures the same window. */
	if (o->start_at > os_now_ns())
		os_sleep_ns(o->start_at - os_now_ns());
	else if (o->start_at)
		printf("late_start_ns=%llu\n", (unsigned long long)(os_now_ns() - o->start_at));
	virtio_pv_get_stats(conn.pv, &s0);
	scmi_get_counters(h, &c0);
	t0 = os_now_ns();

	if (!strcmp(test, "latency")) {
		uint64_t *samples = calloc(n, sizeof(*samples));
		struct bench_lat l;

		if (!samples) {
			ret = -ENOMEM;
			goto out;
		}
		for (unsigned i = 0; i < n; i++) {
			uint64_t a = os_now_ns();

			ret = one_command(h, kind);
			if (ret)
				break;
			samples[i] = os_now_ns() - a;
		}
		if (!ret) {
			bench_lat_compute(samples, n, &l);
			print_lat("rt", &l);
		}
		free(samples);
		msgs = n;
	} else if (!strcmp(test, "throughput")) {
		struct worker *w = calloc(depth, sizeof(*w));
		struct bench_lat l;
		uint64_t *all, total = 0, failed = 0, recovered = 0;
		unsigned cap = 200000, k = 0;

		if (!w) {
			ret = -ENOMEM;
			goto out;
		}
		for (unsigned i = 0; i < depth; i++) {
			w[i].h = h;
			w[i].kind = kind;
			w[i].deadline = t0 + (uint64_t)seconds * OS_NSEC_PER_SEC;
			w[i].cap = cap;
			w[i].allow_errors = allow_errors;
			w[i].samples = calloc(cap, sizeof(uint64_t));
			pthread_create(&w[i].t, NULL, worker_run, &w[i]);
		}
		for (unsigned i = 0; i < depth; i++) {
			pthread_join(w[i].t, NULL);
			total += w[i].done;
			failed += w[i].failed;
			recovered += w[i].ok_after_error;
		}
		all = calloc((size_t)depth * cap, sizeof(uint64_t));
		for (unsigned i = 0; all && i < depth; i++)
			for (uint64_t j = 0; j < w[i].done && j < cap; j++)
				all[k++] = w[i].samples[j];
		bench_lat_compute(all, k, &l);
		print_lat("rt", &l);
		printf("failed=%llu\nok_after_error=%llu\n", (unsigned long long)failed,
		       (unsigned long long)recovered);
		for (unsigned i = 0; i < depth; i++)
			free(w[i].samples);
		free(all);
		free(w);
		msgs = total;
		if (failed && (!allow_errors || !recovered))
			ret = -EIO;
	} else if (!strcmp(test, "notify")) {
		ret = notify_test(h, n);
		msgs = 2ull * n;
	} else {
		fprintf(stderr, "vscmi-bench: unknown test '%s'\n", test);
		ret = -EINVAL;
	}
	t1 = os_now_ns();
	virtio_pv_get_stats(conn.pv, &s1);
	scmi_get_counters(h, &c1);
	if (!ret && msgs) {
		printf("msgs=%llu\nseconds=%.3f\nmsgs_per_sec=%.0f\n", (unsigned long long)msgs,
		       (double)(t1 - t0) / 1e9, (double)msgs * 1e9 / (double)(t1 - t0));
		printf("grant_ops_per_msg=%.4f\nevtchn_sends_per_msg=%.4f\n"
		       "evtchn_events_per_msg=%.4f\n",
		       (double)(s1.grant_ops - s0.grant_ops) / (double)msgs,
		       (double)(s1.evtchn_sends - s0.evtchn_sends) / (double)msgs,
		       (double)(s1.evtchn_events - s0.evtchn_events) / (double)msgs);
		printf("timeouts=%llu\n", (unsigned long long)(c1.timeouts - c0.timeouts));
	}
out:
	bench_close(&conn);
	if (ret)
		fprintf(stderr, "vscmi-bench: %s test failed: %s\n", test, strerror(-ret));
	return ret ? 1 : 0;
}

static const char usage[] =
"Usage: vscmi-bench baseline [--n N] [--test wakeup|spin|pinned]   (default: both)\n"
"       vscmi-bench guest [--test latency|throughput|notify] [--msg perf|base]\n"
"                         [--poll] [--n N] [--depth D] [--seconds S]\n"
"                         [--grants pool|per-message] [--start-at NS]\n"
"                         [--allow-errors]   (keep going, e.g. across a back-end restart)\n"
"       vscmi-bench now      (CLOCK_MONOTONIC in ns, for --start-at)\n"
"Measure this machine's limits (baseline) or vscmi's figures from inside a\n"
"guest. `make bench` runs both and writes bench.json; see scripts/bench.sh.\n";

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "n", required_argument, NULL, 'n' },
		{ "test", required_argument, NULL, 't' },
		{ "msg", required_argument, NULL, 'm' },
		{ "poll", no_argument, NULL, 'p' },
		{ "depth", required_argument, NULL, 'd' },
		{ "seconds", required_argument, NULL, 's' },
		{ "allow-errors", no_argument, NULL, 'e' },
		{ "grants", required_argument, NULL, 'g' },
		{ "start-at", required_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct guest_opts go = { .test = "latency", .kind = MSG_PERF };
	uint64_t n = 100000, depth = 16, seconds = 5;
	int c;

	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		fputs(usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	optind = 2;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'n':
			if (os_parse_u64(optarg, 10, 100000000, &n) || !n)
				goto bad;
			break;
		case 't':
			go.test = optarg;
			break;
		case 'm':
			if (!strcmp(optarg, "perf"))
				go.kind = MSG_PERF;
			else if (!strcmp(optarg, "base"))
				go.kind = MSG_BASE;
			else
				goto bad;
			break;
		case 'p':
			go.poll = true;
			break;
		case 'g':
			if (!strcmp(optarg, "pool"))
				go.grants = VIRTIO_PV_GRANTS_PERSISTENT;
			else if (!strcmp(optarg, "per-message"))
				go.grants = VIRTIO_PV_GRANTS_PER_MESSAGE;
			else
				goto bad;
			break;
		case 'a':
			if (os_parse_u64(optarg, 10, UINT64_MAX, &go.start_at))
				goto bad;
			break;
		case 'd':
			if (os_parse_u64(optarg, 10, 256, &depth) || !depth)
				goto bad;
			break;
		case 's':
			if (os_parse_u64(optarg, 10, 3600, &seconds) || !seconds)
				goto bad;
			break;
		case 'e':
			go.allow_errors = true;
			break;
		case 'h':
			fputs(usage, stdout);
			return 0;
		default:
			goto bad;
		}
	}
	os_log_set_level(OS_LOG_WARN);
	if (!strcmp(argv[1], "baseline"))
		return baseline((unsigned)n, strcmp(go.test, "latency") ? go.test : "both");
	if (!strcmp(argv[1], "now")) {
		printf("%llu\n", (unsigned long long)os_now_ns());
		return 0;
	}
	if (!strcmp(argv[1], "guest")) {
		go.n = (unsigned)n;
		go.depth = (unsigned)depth;
		go.seconds = (unsigned)seconds;
		return guest(&go);
	}
bad:
	fputs(usage, stderr);
	return 2;
}
