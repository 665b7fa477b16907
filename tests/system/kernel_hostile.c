// SPDX-License-Identifier: MIT
/*
 * systest-khostile: a hostile virtio-pv back-end for the system test's
 * Linux guest (tests/system/ext/kernel.*). Run in dom0 while vscmi-backd
 * is stopped and the guest's virtio-pv-front module waits in Initialising:
 * for each case it publishes an offer with one bad key (docs/virtio-pv.md
 * section 6) and InitWait, and checks that the front-end refuses it with
 * the documented error in its `error` key and never publishes its rings.
 * Then an honest offer with small limits, whose answer must follow the
 * protocol (features, queue sizes, grant-DMA ring addresses inside one
 * page, persistent-grants 0), and the back-end giving up on it: the
 * front-end must copy the reason and go Closed. The guest's kernel must
 * not oops (kernel.check.sh looks).
 *
 * With "ring", it misbehaves in shared memory instead, next to a running
 * vscmi-backd: it maps the guest's eventq device (used) area through the
 * grant the front-end published and pushes a used element naming a
 * descriptor that does not exist (id 9999, length 0xffffffff). The
 * guest's virtio ring must refuse it (and mark the queue broken) at its
 * next interrupt.
 *
 *   systest-khostile DOMID        prints "@@ KHOSTILE ok|not ok CASE ..." lines
 *   systest-khostile ring DOMID   prints "@@ KHOSTILE ring ..."
 */
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <sys/mman.h>
#include <time.h>
#include <xengnttab.h>
#include <xenstore.h>

/* Linux errno values the front-end writes ("... error -N"). */
#define L_EINVAL 22
#define L_ERANGE 34
#define L_EPROTO 71
#define L_EPROTONOSUPPORT 93

struct kh_case {
	const char *name;
	const char *key;	/* the offer key to spoil */
	const char *value;	/* its bad value; NULL: remove it */
	int err;		/* the error the front-end must report */
};

static const struct kh_case kh_cases[] = {
	{ "protocol-version-0", "protocol-version", "0", L_EPROTONOSUPPORT },
	{ "protocol-version-junk", "protocol-version", "1x", L_EINVAL },
	{ "protocol-version-missing", "protocol-version", NULL, L_EPROTO },
	{ "device-id-other", "device-id", "5", L_EPROTO },
	{ "features-missing", "features", NULL, L_EPROTO },
	{ "features-no-access-platform", "features", "0x100000001", L_EPROTO },
	{ "features-over-64-bits", "features", "0x1ffffffffffffffff", L_ERANGE },
	{ "features-not-hex", "features", "0xfeatures", L_EINVAL },
	{ "max-queues-0", "max-queues", "0", L_EINVAL },
	{ "max-queues-65", "max-queues", "65", L_ERANGE },
	{ "max-queues-signed", "max-queues", "+2", L_EINVAL },
	{ "max-queue-size-3", "max-queue-size", "3", L_EINVAL },
	{ "max-queue-size-512", "max-queue-size", "512", L_ERANGE },
	{ "max-queue-size-huge", "max-queue-size", "99999999999999999999999", L_ERANGE },
	{ "max-queue-size-space", "max-queue-size", " 64", L_EINVAL },
	{ "config-odd", "config", "abc", L_EINVAL },
	{ "config-not-hex", "config", "zz", L_EINVAL },
	{ "config-too-long", "config", "", L_ERANGE },	/* 600 digits, below */
};

static struct xs_handle *xs;
static char be[128], fe[128];

static double kh_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char *kh_read(const char *dir, const char *key)
{
	char path[256];
	unsigned int len;

	snprintf(path, sizeof(path), "%s/%s", dir, key);
	return xs_read(xs, XBT_NULL, path, &len);
}

static bool kh_write(xs_transaction_t t, const char *dir, const char *key, const char *v)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", dir, key);
	return xs_write(xs, t, path, v, strlen(v));
}

static void kh_rm(xs_transaction_t t, const char *dir, const char *key)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", dir, key);
	xs_rm(xs, t, path);
}

/* A good offer with one key spoilt, then InitWait, in one transaction. */
static int kh_offer(const struct kh_case *c)
{
	static char longcfg[601];
	const char *keys[][2] = {
		{ "protocol-version", "1" }, { "device-id", "32" },
		{ "features", "0x320000001" }, { "max-queues", "2" },
		{ "max-queue-size", "256" }, { "config", "" },
	};

	memset(longcfg, 'a', 600);
	for (int tries = 0; tries < 16; tries++) {
		xs_transaction_t t = xs_transaction_start(xs);
		bool ok = t != XBT_NULL;

		for (size_t i = 0; ok && i < sizeof(keys) / sizeof(keys[0]); i++) {
			const char *v = keys[i][1];

			if (c && !strcmp(c->key, keys[i][0])) {
				if (!c->value) {
					kh_rm(t, be, keys[i][0]);
					continue;
				}
				v = strcmp(c->name, "config-too-long") ? c->value : longcfg;
			}
			ok = kh_write(t, be, keys[i][0], v);
		}
		kh_rm(t, be, "error");
		ok = ok && kh_write(t, be, "state", "2");
		if (!ok) {
			xs_transaction_end(xs, t, true);
			return -EIO;
		}
		if (xs_transaction_end(xs, t, false))
			return 0;
		if (errno != EAGAIN)
			return -errno;
	}
	return -EAGAIN;
}

/* Wait for the front-end's error key; NULL after @secs. */
static char *kh_wait_error(double secs)
{
	double end = kh_now() + secs;

	for (;;) {
		char *e = kh_read(fe, "error");

		if (e)
			return e;
		if (kh_now() > end)
			return NULL;
		poll(NULL, 0, 50);
	}
}

/* Wait until the front-end's state reads @want; false after @secs. */
static bool kh_wait_state(const char *want, double secs)
{
	double end = kh_now() + secs;

	for (;;) {
		char *st = kh_read(fe, "state");
		bool ok = st && !strcmp(st, want);

		free(st);
		if (ok)
			return true;
		if (kh_now() > end)
			return false;
		poll(NULL, 0, 50);
	}
}

/* Read @key of the front-end as a number (base 0); false if missing/junk. */
static bool kh_num(const char *key, unsigned long long *v)
{
	char *s = kh_read(fe, key), *end = NULL;
	bool ok = s && *s;

	if (ok) {
		errno = 0;
		*v = strtoull(s, &end, 0);
		ok = !errno && !*end;
	}
	free(s);
	return ok;
}

/*
 * An honest offer with small limits (2 queues of at most 16): what the
 * front-end publishes must follow docs/virtio-pv.md sections 2 and 5.
 */
static int kh_conformance(void)
{
	static const struct kh_case honest = { "honest", "max-queue-size", "16", 0 };
	unsigned long long feat, nq, size, port, pg, addr;
	char key[32], why[96] = "";

	kh_write(XBT_NULL, be, "state", "1");
	poll(NULL, 0, 200);
	if (kh_offer(&honest) || !kh_wait_state("3", 15)) {
		printf("@@ KHOSTILE not ok conformance (no Initialised after an honest offer)\n");
		return 1;
	}
	if (!kh_num("features", &feat) || (feat & ~0x320000001ULL) ||
	    !(feat & (1ULL << 32)) || !(feat & (1ULL << 33)))
		snprintf(why, sizeof(why), "features");
	else if (!kh_num("num-queues", &nq) || nq != 2)
		snprintf(why, sizeof(why), "num-queues");
	else if (!kh_num("event-channel", &port) || port == 0)
		snprintf(why, sizeof(why), "event-channel");
	else if (!kh_num("persistent-grants", &pg) || pg != 0)
		snprintf(why, sizeof(why), "persistent-grants");
	for (unsigned q = 0; !why[0] && q < nq; q++) {
		static const char *const area[] = { "desc", "driver", "device" };
		unsigned long long len[3];

		snprintf(key, sizeof(key), "queue-%u/size", q);
		if (!kh_num(key, &size) || size < 2 || size > 16 || (size & (size - 1))) {
			snprintf(why, sizeof(why), "%s", key);
			break;
		}
		len[0] = 16 * size;
		len[1] = 6 + 2 * size;
		len[2] = 6 + 8 * size;
		for (int a = 0; a < 3; a++) {
			snprintf(key, sizeof(key), "queue-%u/%s", q, area[a]);
			if (!kh_num(key, &addr) || !(addr >> 63) || (addr & 0xfff) + len[a] > 4096) {
				snprintf(why, sizeof(why), "%s", key);
				break;
			}
		}
	}
	if (why[0]) {
		printf("@@ KHOSTILE not ok conformance (bad or missing %s)\n", why);
		return 1;
	}
	printf("@@ KHOSTILE ok conformance (features 0x%llx, 2 queues of %llu, port %llu, "
	       "grant-DMA ring addresses inside one page)\n", feat, size, port);
	return 0;
}

/*
 * The back-end gives up (its error node, then Closing) on a front-end in
 * Initialised: the front-end must tear down, copy the reason and go Closed.
 */
static int kh_give_up(void)
{
	const char *reason = "hostile back-end gives up";
	char *err;
	int ret = 1;

	kh_write(XBT_NULL, be, "error", reason);
	kh_write(XBT_NULL, be, "state", "5");
	if (kh_wait_state("6", 15)) {
		err = kh_read(fe, "error");
		if (err && strstr(err, reason)) {
			printf("@@ KHOSTILE ok give-up (front-end Closed, error: %s)\n", err);
			ret = 0;
		} else {
			printf("@@ KHOSTILE not ok give-up (front-end Closed, error: %s)\n",
			       err ? err : "none");
		}
		free(err);
	} else {
		printf("@@ KHOSTILE not ok give-up (front-end not Closed)\n");
	}
	/* The real back-end takes over from a clean directory state. */
	kh_rm(XBT_NULL, be, "error");
	kh_write(XBT_NULL, be, "state", "6");
	return ret;
}

/* A used element for a descriptor that does not exist, on queue 1. */
static int kh_ring(uint32_t domid)
{
	unsigned long long addr, size;
	volatile uint16_t *used_idx;
	volatile uint32_t *elem;
	xengnttab_handle *g;
	uint32_t gref, off;
	uint16_t idx;
	char *page;

	if (!kh_num("queue-1/device", &addr) || !kh_num("queue-1/size", &size) ||
	    !(addr >> 63) || !size || (size & (size - 1))) {
		printf("@@ KHOSTILE ring not ok (no eventq published)\n");
		return 1;
	}
	gref = (uint32_t)((addr & ~(1ULL << 63)) >> 12);
	off = (uint32_t)(addr & 0xfff);
	g = xengnttab_open(NULL, 0);
	page = g ? xengnttab_map_grant_ref(g, domid, gref, PROT_READ | PROT_WRITE) : NULL;
	if (!page) {
		printf("@@ KHOSTILE ring not ok (cannot map grant %u: %s)\n", gref, strerror(errno));
		if (g)
			xengnttab_close(g);
		return 1;
	}
	/* Split-ring device area: flags, idx, then (id, len) elements; LE. */
	used_idx = (volatile uint16_t *)(void *)(page + off + 2);
	idx = *used_idx;
	elem = (volatile uint32_t *)(void *)(page + off + 4 + 8 * (idx % size));
	elem[0] = 9999;
	elem[1] = 0xffffffffu;
	/* The guest sees the element before the index that publishes it. */
	__atomic_thread_fence(__ATOMIC_RELEASE);
	*used_idx = (uint16_t)(idx + 1);
	printf("@@ KHOSTILE ring pushed used id 9999 len 0xffffffff on queue 1 (grant %u, used idx %u -> %u)\n",
	       gref, idx, (uint16_t)(idx + 1));
	xengnttab_unmap(g, page, 1);
	xengnttab_close(g);
	return 0;
}

int main(int argc, char **argv)
{
	const char *dom = argv[argc - 1];
	bool ring = argc == 3 && !strcmp(argv[1], "ring");
	int failed = 0;

	if (argc != 2 && !ring) {
		fprintf(stderr, "usage: systest-khostile [ring] DOMID\n");
		return 2;
	}
	xs = xs_open(0);
	if (!xs) {
		perror("xs_open");
		return 1;
	}
	snprintf(be, sizeof(be), "/local/domain/0/backend/virtio-pv/%s/0", dom);
	snprintf(fe, sizeof(fe), "/local/domain/%s/device/virtio-pv/0", dom);
	if (ring) {
		failed = kh_ring((uint32_t)strtoul(dom, NULL, 10));
		xs_close(xs);
		return failed;
	}
	for (size_t i = 0; i < sizeof(kh_cases) / sizeof(kh_cases[0]); i++) {
		const struct kh_case *c = &kh_cases[i];
		char want[32], *err, *st;
		int ret;

		kh_rm(XBT_NULL, fe, "error");
		/* Leave InitWait first, so every case is a fresh offer. */
		kh_write(XBT_NULL, be, "state", "1");
		poll(NULL, 0, 200);
		ret = kh_offer(c);
		if (ret) {
			printf("@@ KHOSTILE not ok %s (cannot write the offer: %d)\n", c->name, ret);
			failed = 1;
			continue;
		}
		err = kh_wait_error(15);
		st = kh_read(fe, "state");
		snprintf(want, sizeof(want), "error -%d", c->err);
		if (err && strstr(err, want) && st && strcmp(st, "3") && strcmp(st, "4")) {
			printf("@@ KHOSTILE ok %s (front-end state %s, error: %s)\n", c->name, st, err);
		} else {
			printf("@@ KHOSTILE not ok %s (front-end state %s, error: %s; want %s)\n",
			       c->name, st ? st : "?", err ? err : "none", want);
			failed = 1;
		}
		free(err);
		free(st);
	}
	if (kh_conformance())
		failed = 1;
	if (kh_give_up())
		failed = 1;
	printf("@@ KHOSTILE done %s\n", failed ? "with failures" : "all refused");
	xs_close(xs);
	return failed;
}
