// SPDX-License-Identifier: MIT
/*
 * systest-hostile: a guest program that drives its virtio-pv front-end
 * directory (docs/virtio-pv.md) the way a compromised guest would, to show
 * that vscmi-backd disconnects it and keeps serving everyone else.
 *
 * It shares one real page with /dev/xen/gntalloc and offers a real event
 * channel, so the back-end gets as far as the attack needs, then for each
 * attack: resets the device (Initialising), waits for the back-end's offer
 * (InitWait), publishes its keys and goes Initialised, and reports whether
 * the back-end gave up on it (Closing or Closed, with its `error` node).
 *
 *   garbage   ring addresses that are not grant-DMA addresses at all
 *   badgref   well-formed grant-DMA addresses of grant references that
 *             were never granted
 *   badport   real rings, an event channel number that is not ours
 *   ringidx   real rings and port; once Connected, the avail index jumps
 *             far past the queue size and the back-end is kicked
 *   ringdesc  real rings and port; once Connected, a descriptor points at
 *             a grant reference that was never granted, length 4 GiB - 1
 *
 * Output, one line per attack:
 *   HOSTILE <attack> disconnected state=<be state> error=<be error>
 *   HOSTILE <attack> NOT-DISCONNECTED state=<be state>
 * Exit status: 0 when every attack was disconnected, 1 otherwise, 2 when the
 * program itself could not run. At the end the device is left Closed, so
 * the next well-behaved front-end starts a clean handshake.
 *
 * usage: systest-hostile [DEVID] [ATTACK...]
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <xenevtchn.h>
#include <xengnttab.h>
#include <xenstore.h>

enum { XB_INITIALISING = 1, XB_INITWAIT = 2, XB_INITIALISED = 3, XB_CONNECTED = 4,
       XB_CLOSING = 5, XB_CLOSED = 6 };

#define F_VERSION_1 (1ull << 32)
#define F_ACCESS_PLATFORM (1ull << 33)
#define QSIZE 16u
#define GDMA(gref, off) ((1ull << 63) | ((uint64_t)(gref) << 12) | (off))
#define BOGUS_GREF 0xfff00u	/* far above anything a small guest grants */

/* The split-ring layout inside the shared page (virtio 1.2, 2.7). */
struct vring_desc { uint64_t addr; uint32_t len; uint16_t flags, next; };
#define DESC_OFF 0u
#define AVAIL_OFF 512u	/* flags, idx, ring[QSIZE] */
#define USED_OFF 1024u

struct hostile {
	struct xs_handle *xs;
	xengntshr_handle *gs;
	xenevtchn_handle *xe;
	char fe[96], be[128];
	unsigned be_id;
	uint8_t *page;
	uint32_t gref;
	int port;
};

static void sleep_ms(unsigned ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

static char *rd(struct hostile *h, const char *dir, const char *key)
{
	char path[192];
	unsigned int len;

	snprintf(path, sizeof(path), "%s/%s", dir, key);
	return xs_read(h->xs, XBT_NULL, path, &len);
}

static int be_state(struct hostile *h)
{
	char *s = rd(h, h->be, "state");
	int v = s ? atoi(s) : -1;

	free(s);
	return v;
}

/* Wait up to @ms for the back-end state to satisfy @lo <= state <= @hi. */
static int wait_be(struct hostile *h, int lo, int hi, unsigned ms)
{
	int s = -1;

	for (unsigned t = 0; t < ms; t += 50) {
		s = be_state(h);
		if (s >= lo && s <= hi)
			return s;
		sleep_ms(50);
	}
	return -s - 100;	/* negative: timed out, encodes the last state */
}

static int put(struct hostile *h, xs_transaction_t t, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int put(struct hostile *h, xs_transaction_t t, const char *key, const char *fmt, ...)
{
	char path[192], val[64];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(val, sizeof(val), fmt, ap);
	va_end(ap);
	snprintf(path, sizeof(path), "%s/%s", h->fe, key);
	return xs_write(h->xs, t, path, val, strlen(val)) ? 0 : -1;
}

static void remove_keys(struct hostile *h)
{
	static const char *const keys[] = { "protocol-version", "features", "num-queues",
					    "event-channel", "queue-0" };
	char path[192];

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", h->fe, keys[i]);
		xs_rm(h->xs, XBT_NULL, path);
	}
}

/* Reset the device and wait for the back-end's offer. */
static int reset(struct hostile *h)
{
	remove_keys(h);
	put(h, XBT_NULL, "state", "%d", XB_INITIALISING);
	return wait_be(h, XB_INITWAIT, XB_INITWAIT, 10000) == XB_INITWAIT ? 0 : -1;
}

static int publish(struct hostile *h, uint64_t desc, uint64_t avail, uint64_t used, int port)
{
	char *s = rd(h, h->be, "features");
	uint64_t offered = s ? strtoull(s, NULL, 16) : 0;
	uint64_t acked = offered & (F_VERSION_1 | F_ACCESS_PLATFORM);
	xs_transaction_t t;

	free(s);
	for (int tries = 0; tries < 5; tries++) {
		t = xs_transaction_start(h->xs);
		if (t == XBT_NULL)
			return -1;
		if (put(h, t, "protocol-version", "1") ||
		    put(h, t, "features", "0x%" PRIx64, acked) ||
		    put(h, t, "num-queues", "1") ||
		    put(h, t, "queue-0/size", "%u", QSIZE) ||
		    put(h, t, "queue-0/desc", "0x%" PRIx64, desc) ||
		    put(h, t, "queue-0/driver", "0x%" PRIx64, avail) ||
		    put(h, t, "queue-0/device", "0x%" PRIx64, used) ||
		    put(h, t, "event-channel", "%d", port) ||
		    put(h, t, "state", "%d", XB_INITIALISED)) {
			xs_transaction_end(h->xs, t, true);
			return -1;
		}
		if (xs_transaction_end(h->xs, t, false))
			return 0;
		if (errno != EAGAIN)
			return -1;
	}
	return -1;
}

static void publish_real(struct hostile *h, int port)
{
	memset(h->page, 0, 4096);
	publish(h, GDMA(h->gref, DESC_OFF), GDMA(h->gref, AVAIL_OFF), GDMA(h->gref, USED_OFF),
		port);
}

/* Once Connected, corrupt the ring and kick the back-end. */
static void ring_attack(struct hostile *h, const char *attack)
{
	volatile struct vring_desc *d = (volatile void *)(h->page + DESC_OFF);
	volatile uint16_t *avail = (volatile void *)(h->page + AVAIL_OFF);

	if (wait_be(h, XB_CONNECTED, XB_CONNECTED, 10000) != XB_CONNECTED)
		return;	/* already refused: reported by the caller */
	put(h, XBT_NULL, "state", "%d", XB_CONNECTED);
	if (!strcmp(attack, "ringidx")) {
		avail[1] = 0x8000;
	} else {
		d[0].addr = GDMA(BOGUS_GREF, 0);
		d[0].len = 0xffffffffu;
		d[0].flags = 0;
		avail[2] = 0;
		/* The back-end sees the descriptor before the index. */
		__atomic_thread_fence(__ATOMIC_RELEASE);
		avail[1] = 1;
	}
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	xenevtchn_notify(h->xe, (evtchn_port_t)h->port);
}

static int attack_one(struct hostile *h, const char *attack)
{
	char *err;
	int s;

	if (reset(h)) {
		printf("HOSTILE %s SETUP-FAILED back-end never offered (state=%d)\n", attack,
		       be_state(h));
		return 1;
	}
	if (!strcmp(attack, "garbage"))
		publish(h, 0x1234, 0xdeadbeef000ull, 0x10, h->port);
	else if (!strcmp(attack, "badgref"))
		publish(h, GDMA(BOGUS_GREF, 0), GDMA(BOGUS_GREF + 1, 0), GDMA(BOGUS_GREF + 2, 0),
			h->port);
	else if (!strcmp(attack, "badport"))
		publish_real(h, h->port + 1000);
	else if (!strcmp(attack, "ringidx") || !strcmp(attack, "ringdesc")) {
		publish_real(h, h->port);
		ring_attack(h, attack);
	} else {
		printf("HOSTILE %s UNKNOWN-ATTACK\n", attack);
		return 1;
	}
	s = wait_be(h, XB_CLOSING, XB_CLOSED, 10000);
	err = rd(h, h->be, "error");
	if (s > 0)
		printf("HOSTILE %s disconnected state=%d error=%s\n", attack, s,
		       err ? err : "(none)");
	else
		printf("HOSTILE %s NOT-DISCONNECTED state=%d\n", attack, -s - 100);
	fflush(stdout);
	free(err);
	return s > 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
	static const char *const all[] = { "garbage", "badgref", "badport", "ringidx",
					   "ringdesc" };
	struct hostile h = { .port = -1 };
	unsigned devid = argc > 1 ? (unsigned)atoi(argv[1]) : 0;
	char *s;
	int failed = 0;

	h.xs = xs_open(0);
	h.gs = xengntshr_open(NULL, 0);
	h.xe = xenevtchn_open(NULL, 0);
	if (!h.xs || !h.gs || !h.xe) {
		perror("systest-hostile: open xenstore/gntalloc/evtchn");
		return 2;
	}
	snprintf(h.fe, sizeof(h.fe), "device/virtio-pv/%u", devid);
	s = rd(&h, h.fe, "backend");
	if (!s) {
		fprintf(stderr, "systest-hostile: no %s/backend\n", h.fe);
		return 2;
	}
	snprintf(h.be, sizeof(h.be), "%s", s);
	free(s);
	s = rd(&h, h.fe, "backend-id");
	h.be_id = s ? (unsigned)atoi(s) : 0;
	free(s);
	h.page = xengntshr_share_pages(h.gs, h.be_id, 1, &h.gref, 1);
	h.port = xenevtchn_bind_unbound_port(h.xe, h.be_id);
	if (!h.page || h.port < 0) {
		perror("systest-hostile: share a page / offer a port");
		return 2;
	}
	if (argc > 2) {
		for (int i = 2; i < argc; i++)
			failed |= attack_one(&h, argv[i]);
	} else {
		for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
			failed |= attack_one(&h, all[i]);
	}
	/* Leave the device Closed: the next front-end starts from scratch. */
	remove_keys(&h);
	put(&h, XBT_NULL, "state", "%d", XB_CLOSED);
	wait_be(&h, XB_CLOSED, XB_CLOSED, 3000);
	xengntshr_unshare(h.gs, h.page, 1);
	xenevtchn_close(h.xe);
	xengntshr_close(h.gs);
	xs_close(h.xs);
	return failed;
}
