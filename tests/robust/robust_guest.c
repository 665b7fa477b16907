// SPDX-License-Identifier: MIT
/*
 * robust-guest: the guest end of the fault-injection and hostile-peer tests
 * (the scripts in tests/robust/). It runs inside an xensim guest
 * (`xensim run ID -- robust_guest MODE ...`) on the real stack: xen-frontend,
 * the virtio-pv transport and the SCMI agent, through tools/vscmi/open.c.
 *
 *   run   [--n N | --seconds S] [--depth D] [--timeout MS] [--msg perf|base]
 *         Issue commands from D threads and account for every one: each call
 *         returns exactly once, with a result or an error. Prints key=value
 *         lines: calls, ok, failed, the errors by kind, recovered (successes
 *         after a thread's first failure), and the agent's
 *         counters (sent, timeouts, late_replies, bad_replies, resets...).
 *         "accounted=1" when calls == ok + failed and the agent's own
 *         success count equals ours (no command answered twice, none lost).
 *   flood --seconds S
 *         A hostile guest: kick the back-end's event channel of device 0 in
 *         a tight loop, without queueing anything. Prints sends=N.
 *   grant-hog
 *         Take every grant reference the domain's (capped) table holds, then
 *         attach: must fail (-ENOSPC, or -ENOMEM from the grant-DMA pool);
 *         give them back: must attach and serve a command.
 *   stall-events [--n N]
 *         A guest that never consumes its eventq: polls for its replies
 *         with its event channel masked while N perf level changes make
 *         the platform notify it. Every command must still succeed.
 *   xswrite OTHER_DOMID
 *         A hostile guest: try to write and remove xenstore nodes of another
 *         guest, of the back-end and of the toolstack. Prints "denied PATH"
 *         or "ALLOWED PATH" per attempt; exit 1 if anything was allowed.
 *
 * Exit status: 0 success, 1 a failed expectation, 2 usage, 3 no device.
 */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <vscmi/os.h>
#include <vscmi/scmi.h>
#include <vscmi/scmi_protocols.h>
#include <vscmi/virtio_pv.h>
#include <vscmi/xensim.h>
#include <scmi/wire/all.h>

#include "tools/vscmi/conn.h"
#include "xen-frontend/gnttab.h"
#include "xen-frontend/xen_plat.h"
#include "xen-frontend/xenbus.h"

struct rg_stats {
	atomic_ullong calls, ok, failed;
	atomic_ullong etimedout, econnreset, eproto, other;
	atomic_ullong recovered;	/* ok after this thread's first failure */
};

struct rg_worker {
	pthread_t t;
	struct scmi_handle *h;
	bool perf;
	uint64_t deadline;	/* 0: run @n commands */
	uint64_t n;
	struct rg_stats *st;
};

static void rg_count(struct rg_stats *st, int ret, bool *seen_error)
{
	atomic_fetch_add(&st->calls, 1);
	if (!ret) {
		atomic_fetch_add(&st->ok, 1);
		if (*seen_error)
			atomic_fetch_add(&st->recovered, 1);
		return;
	}
	*seen_error = true;
	atomic_fetch_add(&st->failed, 1);
	if (ret == -ETIMEDOUT)
		atomic_fetch_add(&st->etimedout, 1);
	else if (ret == -ECONNRESET)
		atomic_fetch_add(&st->econnreset, 1);
	else if (ret == -EPROTO)
		atomic_fetch_add(&st->eproto, 1);
	else
		atomic_fetch_add(&st->other, 1);
}

static void *rg_worker_run(void *arg)
{
	struct rg_worker *w = arg;
	bool seen_error = false;

	for (uint64_t i = 0; w->deadline ? os_now_ns() < w->deadline : i < w->n; i++) {
		uint32_t v;
		int ret = w->perf ? scmi_perf_level_get(w->h, 0, &v) :
				    scmi_protocol_version(w->h, SCMI_PROTO_BASE, &v);

		rg_count(w->st, ret, &seen_error);
		/* The back-end is away: do not spin on instant failures. */
		if (ret == -ECONNRESET)
			os_sleep_ns(5 * OS_NSEC_PER_MSEC);
	}
	return NULL;
}

static int rg_run(uint64_t n, unsigned seconds, unsigned depth, unsigned timeout_ms, bool perf)
{
	struct rg_stats st = { 0 };
	struct rg_worker *w = calloc(depth, sizeof(*w));
	struct vscmi_conn *conn;
	struct scmi_handle *h;
	struct scmi_counters c;
	struct virtio_pv_stats ps;
	char err[256];
	uint64_t deadline = seconds ? os_now_ns() + (uint64_t)seconds * OS_NSEC_PER_SEC : 0;
	bool accounted;
	int ret;

	if (!w)
		return 1;
	ret = vscmi_conn_open(0, &conn, &h, err, sizeof(err));
	if (ret) {
		fprintf(stderr, "robust-guest: %s\n", err);
		free(w);
		return 3;
	}
	if (timeout_ms)
		scmi_set_timeout_ms(h, timeout_ms);
	scmi_reset_counters(h);
	for (unsigned i = 0; i < depth; i++) {
		w[i] = (struct rg_worker){ .h = h, .perf = perf, .deadline = deadline,
					   .n = n / depth + (i < n % depth), .st = &st };
		if (pthread_create(&w[i].t, NULL, rg_worker_run, &w[i])) {
			depth = i;
			break;
		}
	}
	for (unsigned i = 0; i < depth; i++)
		pthread_join(w[i].t, NULL);
	scmi_get_counters(h, &c);
	accounted = st.calls == st.ok + st.failed && c.ok == st.ok &&
		    (seconds || st.calls == n);
	printf("calls=%llu\nok=%llu\nfailed=%llu\netimedout=%llu\neconnreset=%llu\n"
	       "eproto=%llu\nother_errors=%llu\nrecovered=%llu\n",
	       (unsigned long long)st.calls, (unsigned long long)st.ok,
	       (unsigned long long)st.failed, (unsigned long long)st.etimedout,
	       (unsigned long long)st.econnreset, (unsigned long long)st.eproto,
	       (unsigned long long)st.other, (unsigned long long)st.recovered);
	printf("agent_sent=%llu\nagent_ok=%llu\nagent_errors=%llu\nagent_timeouts=%llu\n"
	       "agent_late_replies=%llu\nagent_bad_replies=%llu\nagent_resets=%llu\n"
	       "agent_notifications_unhandled=%llu\naccounted=%d\n",
	       (unsigned long long)c.sent, (unsigned long long)c.ok,
	       (unsigned long long)c.errors, (unsigned long long)c.timeouts,
	       (unsigned long long)c.late_replies, (unsigned long long)c.bad_replies,
	       (unsigned long long)c.resets, (unsigned long long)c.notifications_unhandled,
	       accounted);
	virtio_pv_get_stats(vscmi_conn_pv(conn), &ps);
	printf("pv_connects=%llu\npv_disconnects=%llu\npv_auto_resets=%llu\n",
	       (unsigned long long)ps.connects, (unsigned long long)ps.disconnects,
	       (unsigned long long)ps.auto_resets);
	fflush(stdout);
	vscmi_conn_close(conn);
	free(w);
	return accounted ? 0 : 1;
}

static int rg_flood(unsigned seconds)
{
	struct vscmi_conn *conn;
	struct scmi_handle *h;
	struct xsim *x;
	struct xsim_domain_info info;
	uint32_t ports[8];
	uint64_t sends = 0, failed = 0, end;
	unsigned np = 0;
	char err[256];
	int ret;

	ret = vscmi_conn_open(0, &conn, &h, err, sizeof(err));
	if (ret) {
		fprintf(stderr, "robust-guest: %s\n", err);
		return 3;
	}
	/*
	 * The device's port, found as a hostile kernel would: every
	 * interdomain port to dom0 but xenstore's. One xenstore client per
	 * ring, so through libxensim (as a holder: it adopts no port).
	 */
	ret = xsim_attach_flags(NULL, -1, XSIM_ATTACH_HOLDER, &x);
	if (!ret)
		ret = xsim_domain_info(x, xsim_domid(x), &info);
	if (ret) {
		fprintf(stderr, "robust-guest: xensim: %s\n", strerror(-ret));
		vscmi_conn_close(conn);
		return 1;
	}
	for (uint32_t p = 1; p < 64 && np < OS_ARRAY_SIZE(ports); p++) {
		struct xsim_evtchn_status st;

		if (p != info.xenstore_port && !xsim_evtchn_status(x, xsim_domid(x), p, &st) &&
		    st.state == XSIM_ECS_INTERDOMAIN && st.remote_dom == 0)
			ports[np++] = p;
	}
	struct xsim_counters c0 = { 0 }, c1 = { 0 };

	/* dom0's wake-ups against our sends: a pending port coalesces kicks. */
	xsim_counters(x, 0, &c0);
	end = os_now_ns() + (uint64_t)seconds * OS_NSEC_PER_SEC;
	while (np && os_now_ns() < end) {
		for (int i = 0; i < 256; i++) {
			if (xsim_evtchn_send(x, ports[i % np]))
				failed++;
			else
				sends++;
		}
	}
	xsim_counters(x, 0, &c1);
	printf("ports=%u\nsends=%llu\nsend_errors=%llu\ndom0_wakeups=%llu\n", np,
	       (unsigned long long)sends, (unsigned long long)failed,
	       (unsigned long long)(c1.evtchn_wakeups - c0.evtchn_wakeups));
	fflush(stdout);
	xsim_detach(x);
	vscmi_conn_close(conn);
	return np ? 0 : 1;
}

/* Find this domain's device ports (interdomain to dom0, not xenstore's). */
static unsigned rg_device_ports(struct xsim *x, uint32_t *ports, unsigned max)
{
	struct xsim_domain_info info;
	unsigned np = 0;

	if (xsim_domain_info(x, xsim_domid(x), &info))
		return 0;
	for (uint32_t p = 1; p < 64 && np < max; p++) {
		struct xsim_evtchn_status st;

		if (p != info.xenstore_port && !xsim_evtchn_status(x, xsim_domid(x), p, &st) &&
		    st.state == XSIM_ECS_INTERDOMAIN && st.remote_dom == 0)
			ports[np++] = p;
	}
	return np;
}

static void rg_on_event(struct scmi_handle *h, uint8_t proto, uint8_t evt, const void *p,
			size_t len, void *priv)
{
	atomic_fetch_add((atomic_ullong *)priv, 1);
}

/*
 * A guest that never consumes its eventq: commands by polling, the event
 * channel masked, while every command makes the platform notify it.
 */
static int rg_stall_events(uint64_t n)
{
	struct vscmi_conn *conn;
	struct scmi_handle *h;
	struct xsim *x;
	uint32_t ports[8];
	unsigned np;
	atomic_ullong events = 0;
	uint64_t ok = 0;
	char err[256];
	int ret;

	ret = vscmi_conn_open(0, &conn, &h, err, sizeof(err));
	if (ret) {
		fprintf(stderr, "robust-guest: %s\n", err);
		return 3;
	}
	ret = scmi_set_polling(h, true);
	if (!ret)
		ret = scmi_notify_register(h, SCMI_PROTO_PERF, SCMI_PERF_EVT_LEVEL_CHANGED, 0,
					   rg_on_event, &events);
	if (!ret)
		ret = scmi_perf_notify_level(h, 0, true);
	if (!ret)
		ret = xsim_attach_flags(NULL, -1, XSIM_ATTACH_HOLDER, &x);
	if (ret) {
		fprintf(stderr, "robust-guest: setup: %s\n", strerror(-ret));
		vscmi_conn_close(conn);
		return 1;
	}
	np = rg_device_ports(x, ports, OS_ARRAY_SIZE(ports));
	for (unsigned i = 0; i < np; i++)
		xsim_evtchn_mask(x, ports[i]);
	for (uint64_t i = 0; i < n; i++) {
		uint32_t level = i & 1 ? 400000 : 800000;

		if (!scmi_perf_level_set(h, 0, level))
			ok++;
	}
	printf("calls=%llu\nok=%llu\nevents_while_masked=%llu\n", (unsigned long long)n,
	       (unsigned long long)ok, (unsigned long long)atomic_load(&events));
	for (unsigned i = 0; i < np; i++)
		xsim_evtchn_unmask(x, ports[i]);
	fflush(stdout);
	xsim_detach(x);
	scmi_notify_unregister(h, SCMI_PROTO_PERF, SCMI_PERF_EVT_LEVEL_CHANGED, 0, rg_on_event,
			       &events);
	vscmi_conn_close(conn);
	return ok == n && np ? 0 : 1;
}

static int rg_xswrite(unsigned other)
{
	struct xen_plat *plat;
	struct xenbus *xb;
	char paths[8][128];
	unsigned me, np = 0;
	int ret, allowed = 0;

	ret = xen_plat_open(NULL, -1, &plat);
	if (!ret)
		ret = xenbus_open(plat, &xb);
	if (ret) {
		fprintf(stderr, "robust-guest: xenstore: %s\n", strerror(-ret));
		return 3;
	}
	me = xen_plat_domid(plat);
	snprintf(paths[np++], 128, "/local/domain/0/backend/virtio-pv/%u/0/state", me);
	snprintf(paths[np++], 128, "/local/domain/0/backend/virtio-pv/%u/0/features", other);
	snprintf(paths[np++], 128, "/local/domain/0/name");
	snprintf(paths[np++], 128, "/local/domain/%u/device/virtio-pv/0/state", other);
	snprintf(paths[np++], 128, "/local/domain/%u/name", other);
	snprintf(paths[np++], 128, "/local/domain/%u/robust-planted", other);
	snprintf(paths[np++], 128, "/vm/robust-planted");
	snprintf(paths[np++], 128, "/local/domain/%u/name", me);
	for (unsigned i = 0; i < np; i++) {
		int w = xenbus_write(xb, 0, paths[i], "6");
		/* A missing path is not an error for rm: ask for an existing one. */
		int r = i < 5 ? xenbus_rm(xb, 0, paths[i]) : -EACCES;

		if (w == -EACCES && r == -EACCES) {
			printf("denied %s\n", paths[i]);
		} else {
			printf("ALLOWED %s (write %d, rm %d)\n", paths[i], w, r);
			allowed++;
		}
	}
	xenbus_close(xb);
	xen_plat_close(plat);
	return allowed ? 1 : 0;
}

/*
 * Grant-table exhaustion: take every grant reference this domain's table
 * can hold (it cannot grow past its cap), then attach: it must fail with
 * -ENOSPC and leave nothing behind; with the references given back, a new
 * attach must work.
 */
static int rg_grant_hog(void)
{
	const struct virtio_pv_opts opts = { .connect_timeout_ns = 5 * OS_NSEC_PER_SEC };
	enum { RG_MAX_HOG = 70000 };
	grant_ref_t *refs = calloc(RG_MAX_HOG, sizeof(*refs));
	struct xen_plat *plat;
	struct gnttab *gt;
	struct virtio_pv *pv = NULL;
	unsigned n = 0;
	int full, after = -EINVAL, cmd = -EINVAL;

	if (!refs || xen_plat_open(NULL, -1, &plat))
		return 3;
	if (gnttab_open(plat, &gt))
		return 3;
	while (n < RG_MAX_HOG && !gnttab_alloc_refs(gt, 1, &refs[n]))
		n++;
	full = virtio_pv_attach(plat, 0, &scmi_virtio_driver, &opts, &pv);
	if (!full) {
		virtio_pv_detach(pv);
		pv = NULL;
	}
	for (unsigned i = 0; i < n; i++)
		gnttab_free_refs(gt, refs[i], 1);
	after = virtio_pv_attach(plat, 0, &scmi_virtio_driver, &opts, &pv);
	if (!after) {
		struct scmi_handle *h = scmi_handle_of(virtio_pv_vdev(pv));
		uint32_t v;

		cmd = h ? scmi_protocol_version(h, SCMI_PROTO_BASE, &v) : -ENODEV;
		virtio_pv_detach(pv);
	}
	printf("hogged=%u\nattach_full=%d\nattach_after=%d\ncommand_after=%d\n", n, full,
	       after, cmd);
	fflush(stdout);
	gnttab_close(gt);
	xen_plat_close(plat);
	free(refs);
	/* The grant-DMA pool reports a failed allocation as -ENOMEM to the
	 * driver; the grant table's own -ENOSPC is in the log line. */
	return (full == -ENOSPC || full == -ENOMEM) && !after && !cmd ? 0 : 1;
}

static const char usage[] =
"Usage: robust_guest run [--n N | --seconds S] [--depth D] [--timeout MS] [--msg perf|base]\n"
"       robust_guest flood --seconds S\n"
"       robust_guest grant-hog\n"
"       robust_guest stall-events [--n N]\n"
"       robust_guest xswrite OTHER_DOMID\n";

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "n", required_argument, NULL, 'n' },
		{ "seconds", required_argument, NULL, 's' },
		{ "depth", required_argument, NULL, 'd' },
		{ "timeout", required_argument, NULL, 't' },
		{ "msg", required_argument, NULL, 'm' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t n = 1000, seconds = 0, depth = 1, timeout = 0, other;
	bool perf = true;
	int c;

	if (argc < 2)
		goto bad;
	optind = 2;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'n':
			if (os_parse_u64(optarg, 10, 100000000, &n) || !n)
				goto bad;
			break;
		case 's':
			if (os_parse_u64(optarg, 10, 3600, &seconds))
				goto bad;
			break;
		case 'd':
			if (os_parse_u64(optarg, 10, 64, &depth) || !depth)
				goto bad;
			break;
		case 't':
			if (os_parse_u64(optarg, 10, 600000, &timeout))
				goto bad;
			break;
		case 'm':
			perf = strcmp(optarg, "base") != 0;
			break;
		default:
			goto bad;
		}
	}
	if (!strcmp(argv[1], "run"))
		return rg_run(n, (unsigned)seconds, (unsigned)depth, (unsigned)timeout, perf);
	if (!strcmp(argv[1], "stall-events"))
		return rg_stall_events(n);
	if (!strcmp(argv[1], "grant-hog"))
		return rg_grant_hog();
	if (!strcmp(argv[1], "flood") && seconds)
		return rg_flood((unsigned)seconds);
	if (!strcmp(argv[1], "xswrite") && optind < argc &&
	    !os_parse_u64(argv[optind], 10, 65535, &other))
		return rg_xswrite((unsigned)other);
bad:
	fputs(usage, stderr);
	return 2;
}
