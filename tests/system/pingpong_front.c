// SPDX-License-Identifier: MIT
/*
 * pingpong-front (guest side of the raw ping-pong, see pingpong.h): share a
 * page with dom0 through /dev/xen/gntalloc, offer an event channel through
 * /dev/xen/evtchn, publish both in xenstore, then time N round trips
 * (write req, notify, wait for the event, check rsp). Prints the same
 * figures as `vscmi-bench guest --test latency` under the prefix pp_.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <xengnttab.h>
#include <xenstore.h>

#include "pingpong.h"

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static int xs_put(struct xs_handle *xs, const char *key, unsigned long v)
{
	char path[64], val[32];

	snprintf(path, sizeof(path), PP_XS_DIR "/%s", key);
	snprintf(val, sizeof(val), "%lu", v);
	return xs_write(xs, XBT_NULL, path, val, strlen(val)) ? 0 : -1;
}

static int wait_bound(struct xs_handle *xs, int secs)
{
	for (int i = 0; i < secs * 10; i++) {
		unsigned int len;
		char *v = xs_read(xs, XBT_NULL, PP_XS_DIR "/bound", &len);

		free(v);
		if (v)
			return 0;
		struct timespec ts = { 0, 100000000 };
		nanosleep(&ts, NULL);
	}
	return -1;
}

int main(int argc, char **argv)
{
	unsigned n = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 0) : 2000;
	xengntshr_handle *gs = xengntshr_open(NULL, 0);
	xenevtchn_handle *xe = xenevtchn_open(NULL, 0);
	struct xs_handle *xs = xs_open(0);
	volatile struct pp_page *pg;
	uint64_t *lat, sum = 0;
	xenevtchn_port_or_error_t port;
	uint32_t gref;

	if (!gs || !xe || !xs || !n) {
		perror("pingpong-front: open gntalloc/evtchn/xenstore");
		return 1;
	}
	lat = calloc(n, sizeof(*lat));
	pg = xengntshr_share_pages(gs, 0, 1, &gref, 1);
	port = xenevtchn_bind_unbound_port(xe, 0);
	if (!lat || !pg || port < 0) {
		perror("pingpong-front: share page / bind unbound port");
		return 1;
	}
	pg->req = 0;
	pg->rsp = 0;
	if (xs_put(xs, "gref", gref) || xs_put(xs, "port", (unsigned long)port) ||
	    xs_put(xs, "ready", 1) || wait_bound(xs, 30)) {
		fprintf(stderr, "pingpong-front: dom0 did not bind within 30 s\n");
		return 1;
	}
	for (unsigned i = 1; i <= n; i++) {
		uint64_t t0 = now_ns();

		/* dom0 sees req before the event. */
		__atomic_store_n(&pg->req, i, __ATOMIC_RELEASE);
		xenevtchn_notify(xe, (evtchn_port_t)port);
		do {
			if (pp_wait_event(xe, 5000)) {
				fprintf(stderr, "pingpong-front: no answer to %u\n", i);
				return 1;
			}
		} while (__atomic_load_n(&pg->rsp, __ATOMIC_ACQUIRE) != i);
		lat[i - 1] = now_ns() - t0;
		sum += lat[i - 1];
	}
	__atomic_store_n(&pg->req, PP_STOP, __ATOMIC_RELEASE);
	xenevtchn_notify(xe, (evtchn_port_t)port);
	qsort(lat, n, sizeof(*lat), cmp_u64);
	printf("pp_n=%u\npp_median_ns=%llu\npp_p99_ns=%llu\npp_mean_ns=%llu\n", n,
	       (unsigned long long)lat[n / 2], (unsigned long long)lat[(uint64_t)n * 99 / 100],
	       (unsigned long long)(sum / n));
	return 0;
}
