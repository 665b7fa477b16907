// SPDX-License-Identifier: MIT
/*
 * xen-frontend on xensim: grants (allocator, v1 end-access, quarantine),
 * the grant-DMA pool, and the virtio-pv transport against a loopback
 * back-end process: handshake, every failure path, reconnection, reset,
 * the grant audit, and the steady-state cost per message.
 *
 * The test process is the guest (xen_plat_open as a fresh domU per test)
 * and also dom0's toolstack (simenv: xenstored on a thread, libxenstore on
 * its socket); `test_xenfront --peer ...` is the loopback back-end.
 */
#include <errno.h>
#include <stdatomic.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <xenstore.h>
#include <cmocka.h>

#include <vscmi/os.h>
#include <vscmi/virtio.h>
#include <vscmi/virtio_pv.h>
#include <vscmi/xensim.h>

#include "xen-frontend/gnttab.h"
#include "xen-frontend/grant_dma.h"
#include "xen-frontend/xenbus.h"

#include "loopback.h"
#include "simenv.h"

struct xsim *xen_plat_sim_xsim(struct xen_plat *p);

static struct simenv env;
static const char *self_exe;

/* ---- a tiny virtio driver: requests on the cmdq, answered by the peer ---- */

#define NSLOT 8
#define MSG 128

struct slot {
	void *req, *resp;
	bool busy, done;
	int status;
	uint32_t len;
};

struct echo {
	struct virtio_dev *dev;
	struct virtq *vq[2];
	unsigned nq;
	pthread_mutex_t lock;
	pthread_cond_t cv;
	struct slot slot[NSLOT];
	void *ev[4];
	int probes, restores, disconnects, removes;
};

static struct echo g;

static void echo_cb(struct virtq *vq, void *priv)
{
	struct echo *e = priv;
	struct slot *s;
	uint32_t len;

	pthread_mutex_lock(&e->lock);
	while ((s = virtq_get_buf(vq, &len))) {
		if (s >= e->slot && s < e->slot + NSLOT) {
			s->done = true;
			s->status = 0;
			s->len = len;
		}
	}
	pthread_cond_broadcast(&e->cv);
	pthread_mutex_unlock(&e->lock);
}

static int echo_setup(struct virtio_dev *dev)
{
	struct echo *e = &g;
	struct virtio_vq_info info[2] = {
		{ "cmdq", echo_cb, e }, { "eventq", echo_cb, e },
	};
	int ret;

	ret = virtio_finalize_features(dev, VIRTIO_BIT(VIRTIO_SCMI_F_P2A_CHANNELS));
	if (ret)
		return ret;
	e->nq = virtio_has_feature(dev->features, VIRTIO_SCMI_F_P2A_CHANNELS) ? 2 : 1;
	ret = dev->ops->find_vqs(dev, e->nq, 0, e->vq, info);
	if (ret)
		return ret;
	if (!e->slot[0].req) {
		for (int i = 0; i < NSLOT; i++) {
			e->slot[i].req = virtio_dma_alloc(dev, MSG, false);
			e->slot[i].resp = virtio_dma_alloc(dev, MSG, true);
			if (!e->slot[i].req || !e->slot[i].resp)
				return -ENOMEM;
		}
		for (int i = 0; i < 4; i++)
			e->ev[i] = virtio_dma_alloc(dev, MSG, true);
	}
	if (e->nq > 1) {
		for (int i = 0; i < 4; i++) {
			struct virtq_sg sg = { e->ev[i], MSG };

			virtq_add_sgs(e->vq[1], &sg, 0, 1, e->ev[i]);
		}
		virtq_kick(e->vq[1]);
	}
	return dev->ops->ready(dev);
}

static int echo_probe(struct virtio_dev *dev)
{
	pthread_mutex_lock(&g.lock);
	g.dev = dev;
	g.probes++;
	pthread_mutex_unlock(&g.lock);
	return echo_setup(dev);
}

static int echo_restore(struct virtio_dev *dev)
{
	pthread_mutex_lock(&g.lock);
	g.restores++;
	pthread_mutex_unlock(&g.lock);
	return echo_setup(dev);
}

static void echo_disconnect(struct virtio_dev *dev)
{
	pthread_mutex_lock(&g.lock);
	for (int i = 0; i < NSLOT; i++) {
		if (g.slot[i].busy && !g.slot[i].done) {
			g.slot[i].done = true;
			g.slot[i].status = -ECONNRESET;
		}
	}
	g.vq[0] = g.vq[1] = NULL;
	g.disconnects++;
	pthread_cond_broadcast(&g.cv);
	pthread_mutex_unlock(&g.lock);
}

static void echo_remove(struct virtio_dev *dev)
{
	pthread_mutex_lock(&g.lock);
	g.removes++;
	g.vq[0] = g.vq[1] = NULL;
	pthread_mutex_unlock(&g.lock);
	dev->ops->del_vqs(dev);
	for (int i = 0; i < NSLOT; i++) {
		dev->ops->dma_free(dev, g.slot[i].req, MSG);
		dev->ops->dma_free(dev, g.slot[i].resp, MSG);
		g.slot[i].req = g.slot[i].resp = NULL;
	}
	for (int i = 0; i < 4; i++) {
		dev->ops->dma_free(dev, g.ev[i], MSG);
		g.ev[i] = NULL;
	}
}

static const struct virtio_driver echo_driver = {
	.name = "echo",
	.device_id = 32,
	.probe = echo_probe,
	.remove = echo_remove,
	.disconnect = echo_disconnect,
	.restore = echo_restore,
};

/* One request in slot @i; the answer must be @msg inverted. */
static int echo_xfer(int i, const uint8_t *msg, size_t len, int timeout_ms)
{
	struct slot *s = &g.slot[i];
	struct virtq_sg sg[2];
	struct timespec ts;
	int ret;

	pthread_mutex_lock(&g.lock);
	if (!g.vq[0]) {
		pthread_mutex_unlock(&g.lock);
		return -ENOTCONN;
	}
	memcpy(s->req, msg, len);
	memset(s->resp, 0, MSG);
	sg[0] = (struct virtq_sg){ s->req, (uint32_t)len };
	sg[1] = (struct virtq_sg){ s->resp, MSG };
	s->busy = true;
	s->done = false;
	ret = virtq_add_sgs(g.vq[0], sg, 1, 1, s);
	if (ret) {
		s->busy = false;
		pthread_mutex_unlock(&g.lock);
		return ret;
	}
	virtq_kick(g.vq[0]);
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += timeout_ms / 1000;
	ts.tv_nsec += (long)(timeout_ms % 1000) * 1000000;
	if (ts.tv_nsec >= 1000000000) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000;
	}
	while (!s->done)
		if (pthread_cond_timedwait(&g.cv, &g.lock, &ts) == ETIMEDOUT)
			break;
	ret = s->done ? s->status : -ETIMEDOUT;
	if (!ret) {
		if (s->len != len)
			ret = -EPROTO;
		for (size_t k = 0; !ret && k < len; k++) {
			unsigned want = 0xffu ^ msg[k];
			unsigned got = ((uint8_t *)s->resp)[k];

			if (got != want)
				ret = -EBADMSG;
		}
	}
	s->busy = false;
	pthread_mutex_unlock(&g.lock);
	return ret;
}

/* NSLOT requests behind one kick; all answers checked. */
static int echo_batch(const uint8_t *msg, size_t len)
{
	struct timespec ts;
	int ret = 0;

	pthread_mutex_lock(&g.lock);
	for (int i = 0; i < NSLOT; i++) {
		struct slot *s = &g.slot[i];
		struct virtq_sg sg[2] = { { s->req, (uint32_t)len }, { s->resp, MSG } };

		memcpy(s->req, msg, len);
		((uint8_t *)s->req)[0] = (uint8_t)i;
		s->busy = true;
		s->done = false;
		if (virtq_add_sgs(g.vq[0], sg, 1, 1, s))
			ret = -ENOSPC;
	}
	virtq_kick(g.vq[0]);
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += 2;
	for (int i = 0; i < NSLOT; i++) {
		struct slot *s = &g.slot[i];

		while (!s->done)
			if (pthread_cond_timedwait(&g.cv, &g.lock, &ts) == ETIMEDOUT)
				break;
		if (!s->done || s->status || s->len != len ||
		    ((uint8_t *)s->resp)[0] != (uint8_t)(0xffu ^ (unsigned)i))
			ret = -EIO;
		s->busy = false;
	}
	pthread_mutex_unlock(&g.lock);
	return ret;
}

/* ---- per-test guest ------------------------------------------------------ */

struct tctx {
	uint16_t domid;
	struct xen_plat *plat;
	struct virtio_pv *pv;
	pid_t peer;
	char fe[96], be[96];
};

static int guest_counter;

static struct tctx *guest_up(const char *peer_mode)
{
	struct tctx *t = calloc(1, sizeof(*t));
	char name[32];

	assert_non_null(t);
	memset(&g.slot, 0, sizeof(g.slot));
	g.probes = g.restores = g.disconnects = g.removes = 0;
	snprintf(name, sizeof(name), "xfguest%d", ++guest_counter);
	assert_int_equal(simenv_guest_new(&env, name, &t->domid), 0);
	assert_int_equal(simenv_device_add(&env, t->domid, 0), 0);
	simenv_fe_path(t->domid, 0, t->fe, sizeof(t->fe));
	simenv_be_path(t->domid, 0, t->be, sizeof(t->be));
	if (peer_mode)
		t->peer = simenv_peer_start(&env, t->domid, 0, peer_mode);
	assert_int_equal(xen_plat_open(env.dir, t->domid, &t->plat), 0);
	return t;
}

static void guest_down(struct tctx *t)
{
	virtio_pv_detach(t->pv);
	xen_plat_close(t->plat);
	simenv_peer_stop(&env, t->peer, SIGKILL);
	simenv_guest_destroy(&env, t->domid);
	free(t);
}

/* Grant entries of @domid's table in use (refs past the reserved ones). */
static void count_grants(struct tctx *t, unsigned *ro, unsigned *rw)
{
	unsigned nr = 0;
	grant_entry_v1_t *tab = xsim_gnttab_table(xen_plat_sim_xsim(t->plat), &nr);

	*ro = *rw = 0;
	for (unsigned r = GNTTAB_NR_RESERVED_ENTRIES; r < nr; r++) {
		uint16_t f = __atomic_load_n(&tab[r].flags, __ATOMIC_ACQUIRE);

		if ((f & GTF_type_mask) != GTF_permit_access)
			continue;
		if (f & GTF_readonly)
			(*ro)++;
		else
			(*rw)++;
	}
}

/* The grant entry that lets the back-end reach @va: its flags, or -1. */
static int grant_flags_of(struct tctx *t, const void *va)
{
	struct xsim *x = xen_plat_sim_xsim(t->plat);
	unsigned nr = 0;
	grant_entry_v1_t *tab = xsim_gnttab_table(x, &nr);
	uint64_t gfn;

	if (xsim_va_to_gfn(x, va, &gfn))
		return -1;
	for (unsigned r = GNTTAB_NR_RESERVED_ENTRIES; r < nr; r++)
		if ((tab[r].flags & GTF_type_mask) == GTF_permit_access &&
		    tab[r].frame == gfn)
			return tab[r].flags;
	return -1;
}

/* Persistent grants whatever CONFIG_GRANT_PER_MESSAGE says (allyesconfig). */
static const struct virtio_pv_opts quick = {
	.connect_timeout_ns = 5 * OS_NSEC_PER_SEC,
	.grants = VIRTIO_PV_GRANTS_PERSISTENT,
};

/* ---- grants ------------------------------------------------------------------ */

static void test_gnttab_refs(void **state)
{
	struct tctx *t = guest_up(NULL);
	struct gnttab *gt;
	grant_ref_t a, b, runs[64];
	unsigned nruns = 0;
	int ret;

	assert_int_equal(gnttab_open(t->plat, &gt), 0);
	assert_true(gnttab_has_entries(gt));
	assert_int_equal(gnttab_alloc_refs(gt, 1, &a), 0);
	assert_true(a >= GNTTAB_NR_RESERVED_ENTRIES);
	assert_int_equal(gnttab_alloc_refs(gt, 16, &b), 0);
	assert_true(b + 16 <= a || b > a);
	gnttab_free_refs(gt, a, 1);
	gnttab_free_refs(gt, b, 16);
	/* Runs of 1024 until the table (grown on demand) is exhausted. */
	while ((ret = gnttab_alloc_refs(gt, 1024, &runs[nruns])) == 0)
		assert_true(++nruns < 64);
	assert_int_equal(ret, -ENOSPC);
	assert_true(nruns >= 8);
	/* Singles still fit in the gaps left by the reserved refs. */
	assert_int_equal(gnttab_alloc_refs(gt, 1, &a), 0);
	gnttab_free_refs(gt, a, 1);
	while (nruns--)
		gnttab_free_refs(gt, runs[nruns], 1024);
	assert_int_equal(gnttab_alloc_refs(gt, 1024, &a), 0);
	gnttab_free_refs(gt, a, 1024);
	gnttab_close(gt);
	guest_down(t);
}

static void test_gnttab_quarantine(void **state)
{
	struct tctx *t = guest_up(NULL);
	struct gnttab *gt;
	struct gnttab_stats st;
	grant_ref_t ref, other[32];
	int16_t status = 0;
	void *page, *map;

	assert_int_equal(gnttab_open(t->plat, &gt), 0);
	page = gnttab_alloc_pages(gt, 1);
	assert_non_null(page);
	memcpy(page, "hello", 6);
	assert_int_equal(gnttab_grant_page(gt, 0, page, true, &ref), 0);
	/* dom0 maps it, read-only as granted; a writable map is refused. */
	assert_null(xsim_gnttab_map(env.dom0, t->domid, ref, false, &status));
	map = xsim_gnttab_map(env.dom0, t->domid, ref, true, &status);
	assert_non_null(map);
	assert_string_equal(map, "hello");
	/* Ending access fails while mapped: quarantined, page kept. */
	assert_int_equal(gnttab_end_page(gt, ref, page, 1), -EBUSY);
	assert_true(gnttab_in_quarantine(gt, ref));
	gnttab_get_stats(gt, &st);
	assert_int_equal(st.quarantined, 1);
	assert_true(st.end_busy >= 1);
	/* The reference is never handed out again meanwhile. */
	for (int i = 0; i < 32; i++) {
		assert_int_equal(gnttab_alloc_refs(gt, 1, &other[i]), 0);
		assert_int_not_equal(other[i], ref);
	}
	assert_int_equal(gnttab_quarantine_retry(gt), 1);
	assert_string_equal(map, "hello");	/* still the page it was */
	assert_int_equal(xsim_gnttab_unmap(env.dom0, map), 0);
	/* The deferred retry (or this one) releases it. */
	for (int i = 0; i < 100 && gnttab_in_quarantine(gt, ref); i++) {
		gnttab_quarantine_retry(gt);
		usleep(2000);
	}
	assert_false(gnttab_in_quarantine(gt, ref));
	gnttab_get_stats(gt, &st);
	assert_int_equal(st.quarantined, 0);
	for (int i = 0; i < 32; i++)
		gnttab_free_refs(gt, other[i], 1);
	gnttab_close(gt);
	assert_int_equal(simenv_audit(&env), 0);
	guest_down(t);
}

static void test_gdma_pool(void **state)
{
	struct tctx *t = guest_up(NULL);
	struct gnttab *gt;
	struct gdma_pool *p;
	struct gdma_stats st;
	uint64_t dma;
	void *ro, *rw, *big, *bufs[64];
	unsigned n = 0, fro, frw;

	assert_int_equal(gnttab_open(t->plat, &gt), 0);
	assert_int_equal(gdma_create(gt, 0, 4, false, &p), 0);
	assert_int_equal(gdma_virtq_dma(p)->seg_boundary, 4096);
	ro = gdma_alloc(p, 100, false);
	rw = gdma_alloc(p, 100, true);
	assert_non_null(ro);
	assert_non_null(rw);
	assert_true(((uintptr_t)ro & ~4095ul) != ((uintptr_t)rw & ~4095ul));
	assert_int_equal(gdma_map(p, ro, 100, false, &dma), 0);
	assert_true(dma & GDMA_ADDR_BIT);
	assert_int_equal(dma & 4095, (uintptr_t)ro & 4095);
	assert_int_equal(gdma_map(p, ro, 100, true, &dma), -EACCES);
	assert_int_equal(gdma_map(p, rw, 100, true, &dma), 0);
	assert_int_equal(gdma_map(p, (char *)ro + 4000, 200, false, &dma), -EINVAL);
	count_grants(t, &fro, &frw);
	assert_int_equal(fro, 1);
	assert_int_equal(frw, 1);
	/* A 256-entry descriptor table is exactly one page: page-aligned. */
	big = gdma_alloc_ring(p, virtq_desc_area_size(256), false);
	assert_non_null(big);
	assert_int_equal(virtq_desc_area_size(256), 4096);
	assert_int_equal((uintptr_t)big & 4095, 0);
	gdma_free(p, big, 4096);
	/* 4000 bytes never straddle a page; the pool runs out cleanly. */
	big = gdma_alloc(p, 4000, true);
	assert_non_null(big);
	assert_true(((uintptr_t)big & 4095) + 4000 <= 4096);
	while (n < 64 && (bufs[n] = gdma_alloc(p, 1024, true)))
		n++;
	assert_true(n >= 1 && n < 64);
	while (n--)
		gdma_free(p, bufs[n], 1024);
	gdma_free(p, big, 4000);
	gdma_free(p, ro, 100);
	gdma_free(p, rw, 100);
	/* Persistent: freeing keeps the grants; no grant op per reuse. */
	gdma_get_stats(p, &st);
	{
		uint64_t before = st.grant_ops;

		for (int i = 0; i < 100; i++) {
			void *b = gdma_alloc(p, 128, false);

			assert_int_equal(gdma_map(p, b, 128, false, &dma), 0);
			gdma_unmap(p, dma, 128, false);
			gdma_free(p, b, 128);
		}
		gdma_get_stats(p, &st);
		assert_int_equal(st.grant_ops, before);
	}
	assert_int_equal(gdma_destroy(p), 0);
	count_grants(t, &fro, &frw);
	assert_int_equal(fro + frw, 0);

	/* Per-message: one grant at map, one end at unmap. */
	assert_int_equal(gdma_create(gt, 0, 4, true, &p), 0);
	ro = gdma_alloc(p, 128, false);
	count_grants(t, &fro, &frw);
	assert_int_equal(fro + frw, 0);
	assert_int_equal(gdma_map(p, ro, 128, false, &dma), 0);
	count_grants(t, &fro, &frw);
	assert_int_equal(fro, 1);
	gdma_unmap(p, dma, 128, false);
	gdma_get_stats(p, &st);
	assert_int_equal(st.grants, 1);
	assert_int_equal(st.ends, 1);
	assert_int_equal(st.grant_ops, 2);
	gdma_free(p, ro, 128);
	assert_int_equal(gdma_destroy(p), 0);
	gnttab_close(gt);
	guest_down(t);
}

/* ---- virtio-pv: the happy path ------------------------------------------------- */

static void test_connect_traffic_audit(void **state)
{
	struct tctx *t = guest_up("normal");
	struct virtio_pv_stats s0, s1;
	unsigned ro, rw;
	uint8_t msg[64];
	const int N = 2000;

	assert_int_equal(virtio_pv_attach(t->plat, 0, &echo_driver, &quick, &t->pv), 0);
	assert_true(virtio_pv_connected(t->pv));
	assert_int_equal(virtio_pv_status(t->pv),
			 VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER |
			 VIRTIO_STATUS_FEATURES_OK | VIRTIO_STATUS_DRIVER_OK);
	assert_int_equal(g.probes, 1);
	/* What the front-end published (docs/virtio-pv.md). */
	assert_int_equal(simenv_read_num(&env, t->fe, "state"), 4);
	assert_int_equal(simenv_read_num(&env, t->fe, "protocol-version"), 1);
	assert_int_equal(simenv_read_num(&env, t->fe, "num-queues"), 2);
	{
		long long f = simenv_read_num(&env, t->fe, "features");

		assert_true(f & (long long)VIRTIO_BIT(VIRTIO_F_VERSION_1));
		assert_true(f & (long long)VIRTIO_BIT(VIRTIO_F_ACCESS_PLATFORM));
		assert_true(f & (long long)VIRTIO_BIT(VIRTIO_SCMI_F_P2A_CHANNELS));
	}
	{
		char q0[128];

		snprintf(q0, sizeof(q0), "%s/queue-0", t->fe);
		assert_int_equal(simenv_read_num(&env, q0, "size"), 64);
		assert_true((unsigned long long)simenv_read_num(&env, q0, "desc") >> 63);
	}
	for (int i = 0; i < 64; i++)
		msg[i] = (uint8_t)(i * 7);
	assert_int_equal(echo_xfer(0, msg, sizeof(msg), 2000), 0);

	/* Steady state: N requests, zero grant operations. */
	virtio_pv_get_stats(t->pv, &s0);
	for (int i = 0; i < N; i++) {
		msg[0] = (uint8_t)i;
		assert_int_equal(echo_xfer(i % NSLOT, msg, sizeof(msg), 2000), 0);
	}
	virtio_pv_get_stats(t->pv, &s1);
	assert_int_equal(s1.grant_ops - s0.grant_ops, 0);
	print_message("steady state, %d requests: %.3f grant ops/msg, %.3f event "
		      "sends/msg, %.3f events received/msg\n", N,
		      (double)(s1.grant_ops - s0.grant_ops) / N,
		      (double)(s1.evtchn_sends - s0.evtchn_sends) / N,
		      (double)(s1.evtchn_events - s0.evtchn_events) / N);
	assert_true(s1.evtchn_sends - s0.evtchn_sends <= (uint64_t)N);

	/* Batches of NSLOT requests behind one kick: EVENT_IDX saves events. */
	virtio_pv_get_stats(t->pv, &s0);
	for (int r = 0; r < N / NSLOT; r++)
		assert_int_equal(echo_batch(msg, sizeof(msg)), 0);
	virtio_pv_get_stats(t->pv, &s1);
	assert_int_equal(s1.grant_ops - s0.grant_ops, 0);
	print_message("batches of %d, %d requests: %.3f grant ops/msg, %.3f event "
		      "sends/msg, %.3f events received/msg\n", NSLOT, N,
		      (double)(s1.grant_ops - s0.grant_ops) / N,
		      (double)(s1.evtchn_sends - s0.evtchn_sends) / N,
		      (double)(s1.evtchn_events - s0.evtchn_events) / N);
	assert_true(s1.evtchn_sends - s0.evtchn_sends <= (uint64_t)(N / NSLOT));

	/* Audit: exactly the pool's pages are granted, with their flags. */
	count_grants(t, &ro, &rw);
	assert_int_equal(ro, s1.pages_ro);
	assert_int_equal(rw, s1.pages_rw);
	assert_true(ro >= 1 && rw >= 1);
	assert_true(ro + rw <= 4);
	for (int i = 0; i < NSLOT; i++) {
		int fr = grant_flags_of(t, g.slot[i].req);
		int fw = grant_flags_of(t, g.slot[i].resp);

		assert_true(fr >= 0 && (fr & GTF_readonly));
		assert_true(fw >= 0 && !(fw & GTF_readonly));
	}
	/* Ring areas: desc and driver read-only, device writable, to dom0. */
	for (int q = 0; q < 2; q++) {
		static const char *const area[] = { "desc", "driver", "device" };
		unsigned nr = 0;
		grant_entry_v1_t *tab = xsim_gnttab_table(xen_plat_sim_xsim(t->plat), &nr);
		char qd[128];

		snprintf(qd, sizeof(qd), "%s/queue-%d", t->fe, q);
		for (int a = 0; a < 3; a++) {
			uint64_t addr = (uint64_t)simenv_read_num(&env, qd, area[a]);
			uint64_t ref = (addr & ~GDMA_ADDR_BIT) >> 12;

			assert_true(addr & GDMA_ADDR_BIT);
			assert_true(ref < nr);
			assert_int_equal(tab[ref].flags & GTF_type_mask, GTF_permit_access);
			assert_int_equal(tab[ref].domid, 0);
			assert_int_equal(!!(tab[ref].flags & GTF_readonly), a < 2);
			/* ... and each area inside its page. */
			assert_true((addr & 4095) + (a == 0 ? 64 * 16 : a == 1 ? 6 + 2 * 64 :
						     6 + 8 * 64) <= 4096);
		}
	}
	assert_int_equal(simenv_audit(&env), 0);

	virtio_pv_detach(t->pv);
	t->pv = NULL;
	assert_int_equal(g.removes, 1);
	count_grants(t, &ro, &rw);
	assert_int_equal(ro + rw, 0);
	assert_int_equal(simenv_read_num(&env, t->fe, "state"), 6);
	assert_int_equal(simenv_audit(&env), 0);
	guest_down(t);
}

/* ---- failure paths ------------------------------------------------------------ */

struct bad_offer {
	const char *key, *val;		/* val NULL: key removed */
	int err;
};

static void fake_offer(struct tctx *t, const struct bad_offer *b)
{
	static const char *const keys[][2] = {
		{ "protocol-version", "1" }, { "device-id", "32" },
		{ "features", "0x320000001" }, { "max-queues", "2" },
		{ "max-queue-size", "64" }, { "config", "" },
	};

	for (unsigned i = 0; i < OS_ARRAY_SIZE(keys); i++) {
		if (b && !strcmp(b->key, keys[i][0]))
			continue;
		assert_int_equal(simenv_write(&env, t->be, keys[i][0], keys[i][1]), 0);
	}
	if (b && b->val)
		assert_int_equal(simenv_write(&env, t->be, b->key, b->val), 0);
	assert_int_equal(simenv_write(&env, t->be, "state", "2"), 0);
}

static void test_bad_offers(void **state)
{
	static const struct bad_offer cases[] = {
		{ "features", "0x220000001", -EPROTO },		/* no VERSION_1 */
		{ "features", "0x120000001", -EPROTO },		/* no ACCESS_PLATFORM */
		{ "features", NULL, -EPROTO },
		{ "features", "0xzz", -EINVAL },
		{ "features", "0x1000000000000000000", -ERANGE },
		{ "max-queue-size", "3", -EINVAL },
		{ "max-queue-size", "0", -EINVAL },
		{ "max-queue-size", "1024", -ERANGE },
		{ "max-queue-size", "-4", -EINVAL },
		{ "max-queue-size", NULL, -EPROTO },
		{ "max-queues", "0", -EINVAL },
		{ "max-queues", "100000", -ERANGE },
		{ "protocol-version", "0", -EPROTONOSUPPORT },
		{ "protocol-version", "one", -EINVAL },
		{ "protocol-version", NULL, -EPROTO },
		{ "device-id", "33", -EPROTO },
		{ "config", "abc", -EINVAL },
		{ "config", "zz", -EINVAL },
	};

	for (unsigned i = 0; i < OS_ARRAY_SIZE(cases); i++) {
		struct tctx *t = guest_up(NULL);
		unsigned ro, rw;
		char err[256], path[160];
		unsigned int len;
		char *v;

		fake_offer(t, &cases[i]);
		assert_int_equal(virtio_pv_attach(t->plat, 0, &echo_driver, &quick,
						  &t->pv), cases[i].err);
		assert_null(t->pv);
		assert_int_equal(g.probes, 0);
		/* The reason is in the front-end's error node. */
		snprintf(path, sizeof(path), "%s/error", t->fe);
		v = xs_read(env.xs, XBT_NULL, path, &len);
		assert_non_null(v);
		snprintf(err, sizeof(err), "%s", v);
		free(v);
		assert_true(strlen(err) > 10);
		count_grants(t, &ro, &rw);
		assert_int_equal(ro + rw, 0);
		guest_down(t);
	}
}

static void test_minimal_offer_no_connect(void **state)
{
	struct tctx *t = guest_up(NULL);
	struct bad_offer b = { "features", "0x300000000", 0 };	/* no P2A, no EVENT_IDX */

	fake_offer(t, &b);
	/* The driver copes with one queue; the back-end never connects. */
	struct virtio_pv_opts o = { .connect_timeout_ns = 300 * OS_NSEC_PER_MSEC };

	assert_int_equal(virtio_pv_attach(t->plat, 0, &echo_driver, &o, &t->pv),
			 -ETIMEDOUT);
	assert_int_equal(g.probes, 1);
	assert_int_equal(g.removes, 1);
	assert_int_equal(simenv_read_num(&env, t->fe, "state"), 6);
	guest_down(t);
}

static void test_no_backend_dir(void **state)
{
	struct tctx *t = guest_up(NULL);
	char path[128];

	snprintf(path, sizeof(path), "%s", t->be);
	assert_true(xs_rm(env.xs, XBT_NULL, path));
	assert_int_equal(virtio_pv_attach(t->plat, 0, &echo_driver, &quick, &t->pv),
			 -ENODEV);
	guest_down(t);
}

static void test_no_device(void **state)
{
	struct tctx *t = guest_up(NULL);

	assert_int_equal(virtio_pv_attach(t->plat, 7, &echo_driver, &quick, &t->pv),
			 -ENOENT);
	guest_down(t);
}

static void test_backend_silent(void **state)
{
	struct tctx *t = guest_up(NULL);
	struct virtio_pv_opts o = { .connect_timeout_ns = 300 * OS_NSEC_PER_MSEC };

	assert_int_equal(virtio_pv_attach(t->plat, 0, &echo_driver, &o, &t->pv),
			 -ETIMEDOUT);
	guest_down(t);
}

/* The back-end disappears once the front-end published its rings. */
struct vanisher {
	struct tctx *t;
	pthread_t th;
	bool done;
};

static void *vanish_thread(void *arg)
{
	struct vanisher *v = arg;
	struct xs_handle *xs = xs_open(0);

	for (int i = 0; i < 5000 && xs; i++) {
		if (simenv_read_num(&env, v->t->fe, "state") == 3) {
			xs_rm(xs, XBT_NULL, v->t->be);
			v->done = true;
			break;
		}
		usleep(1000);
	}
	if (xs)
		xs_close(xs);
	return NULL;
}

static void test_backend_vanishes(void **state)
{
	struct tctx *t = guest_up(NULL);
	struct vanisher v = { .t = t };
	unsigned ro, rw;

	fake_offer(t, NULL);
	pthread_create(&v.th, NULL, vanish_thread, &v);
	assert_int_equal(virtio_pv_attach(t->plat, 0, &echo_driver, &quick, &t->pv),
			 -ENODEV);
	pthread_join(v.th, NULL);
	assert_true(v.done);
	assert_int_equal(g.probes, 1);
	assert_int_equal(g.removes, 1);
	count_grants(t, &ro, &rw);
	assert_int_equal(ro + rw, 0);
	guest_down(t);
}

static void test_xenstore_unavailable(void **state)
{
	struct tctx *t = guest_up("normal");
	struct virtio_pv_opts o = {
		.connect_timeout_ns = 2 * OS_NSEC_PER_SEC,
		.xenstore_timeout_ns = 200 * OS_NSEC_PER_MSEC,
	};

	assert_int_equal(simenv_freeze_xenstored(&env, 800), 0);
	usleep(50 * 1000);
	assert_int_equal(virtio_pv_attach(t->plat, 0, &echo_driver, &o, &t->pv),
			 -ETIMEDOUT);
	usleep(900 * 1000);
	guest_down(t);
}

/* ---- reconnection ------------------------------------------------------------ */

struct async_xfer {
	pthread_t th;
	int ret;
};

static void *stalled_xfer(void *arg)
{
	struct async_xfer *a = arg;
	uint8_t m[16] = { 0xEE, 1, 2, 3 };

	a->ret = echo_xfer(1, m, sizeof(m), 5000);
	return NULL;
}

static void test_backend_restart(void **state)
{
	struct tctx *t = guest_up("stall");
	struct virtio_pv_stats st;
	struct async_xfer a;
	uint8_t m[32] = { 1, 2, 3 };
	unsigned ro, rw, ro2, rw2;

	assert_int_equal(virtio_pv_attach(t->plat, 0, &echo_driver, &quick, &t->pv), 0);
	assert_int_equal(echo_xfer(0, m, sizeof(m), 2000), 0);
	count_grants(t, &ro, &rw);
	/* A request the back-end will never answer... */
	pthread_create(&a.th, NULL, stalled_xfer, &a);
	usleep(100 * 1000);
	/* ...then it dies and a new one starts. */
	simenv_peer_stop(&env, t->peer, SIGKILL);
	t->peer = simenv_peer_start(&env, t->domid, 0, "normal");
	pthread_join(a.th, NULL);
	assert_int_equal(a.ret, -ECONNRESET);
	assert_int_equal(virtio_pv_wait_connected(t->pv, 5 * OS_NSEC_PER_SEC), 0);
	assert_int_equal(g.disconnects, 1);
	assert_int_equal(g.restores, 1);
	assert_int_equal(echo_xfer(0, m, sizeof(m), 2000), 0);
	virtio_pv_get_stats(t->pv, &st);
	assert_int_equal(st.connects, 2);
	assert_int_equal(st.disconnects, 1);
	/* The persistent pool survived: same pages granted, no more. */
	count_grants(t, &ro2, &rw2);
	assert_int_equal(ro2, ro);
	assert_int_equal(rw2, rw);
	assert_int_equal(simenv_audit(&env), 0);
	guest_down(t);
}

/* The back-end says Closing (a clean restart): the front-end goes back to
 * Initialising and reconnects as soon as the back-end offers again. */
static void test_backend_closing_reconnects(void **state)
{
	struct tctx *t = guest_up("normal");
	uint8_t m[8] = { 7 };

	assert_int_equal(virtio_pv_attach(t->plat, 0, &echo_driver, &quick, &t->pv), 0);
	assert_int_equal(echo_xfer(0, m, sizeof(m), 2000), 0);
	assert_int_equal(simenv_write(&env, t->be, "state", "5"), 0);
	for (int i = 0; i < 2000 && g.disconnects < 1; i++)
		usleep(1000);
	assert_int_equal(g.disconnects, 1);
	assert_int_equal(virtio_pv_wait_connected(t->pv, 5 * OS_NSEC_PER_SEC), 0);
	assert_int_equal(g.restores, 1);
	assert_int_equal(echo_xfer(0, m, sizeof(m), 2000), 0);
	guest_down(t);
}

/* The back-end gives up on us: a clear error, and no endless retry. */
static void test_backend_refuses(void **state)
{
	struct tctx *t = guest_up("refuse");
	char path[160];
	unsigned int len;
	char *v;

	assert_int_equal(virtio_pv_attach(t->plat, 0, &echo_driver, &quick, &t->pv),
			 -ECONNREFUSED);
	assert_int_equal(g.probes, 1);
	assert_int_equal(g.removes, 1);
	assert_int_equal(simenv_read_num(&env, t->fe, "state"), 6);
	snprintf(path, sizeof(path), "%s/error", t->fe);
	v = xs_read(env.xs, XBT_NULL, path, &len);
	assert_non_null(v);
	assert_non_null(strstr(v, "no SCMI agent"));
	free(v);
	/* Nobody starts over: the back-end stays down. */
	usleep(300 * 1000);
	assert_true(simenv_read_num(&env, t->be, "state") >= 5);
	guest_down(t);
}

static void test_frontend_reset(void **state)
{
	struct tctx *t = guest_up("normal");
	uint8_t m[8] = { 9 };

	assert_int_equal(virtio_pv_attach(t->plat, 0, &echo_driver, &quick, &t->pv), 0);
	assert_int_equal(echo_xfer(0, m, sizeof(m), 2000), 0);
	assert_int_equal(virtio_pv_reset(t->pv), 0);
	assert_int_equal(virtio_pv_wait_connected(t->pv, 5 * OS_NSEC_PER_SEC), 0);
	assert_int_equal(g.disconnects, 1);
	assert_int_equal(g.restores, 1);
	assert_int_equal(echo_xfer(0, m, sizeof(m), 2000), 0);
	guest_down(t);
}

static void test_detach_lingering_backend(void **state)
{
	struct tctx *t = guest_up("linger");
	struct gnttab *gt;
	struct gnttab_stats st;
	uint8_t m[8] = { 5 };
	unsigned ro, rw;

	assert_int_equal(gnttab_open(t->plat, &gt), 0);
	assert_int_equal(virtio_pv_attach(t->plat, 0, &echo_driver, &quick, &t->pv), 0);
	assert_int_equal(echo_xfer(0, m, sizeof(m), 2000), 0);
	virtio_pv_detach(t->pv);
	t->pv = NULL;
	/* The back-end still mapped the pages at Closing: quarantined, then
	 * released once it let go; nothing leaked, nothing granted. */
	gnttab_get_stats(gt, &st);
	assert_true(st.end_busy >= 1);
	assert_int_equal(st.quarantined, 0);
	count_grants(t, &ro, &rw);
	assert_int_equal(ro + rw, 0);
	assert_int_equal(simenv_audit(&env), 0);
	gnttab_close(gt);
	guest_down(t);
}

static void test_per_message_grants(void **state)
{
	struct tctx *t = guest_up("nocache");
	struct virtio_pv_opts o = quick;
	struct virtio_pv_stats s0, s1;
	uint8_t m[32] = { 3 };
	unsigned ro, rw, ro2, rw2;
	const int N = 500;

	o.grants = VIRTIO_PV_GRANTS_PER_MESSAGE;
	assert_int_equal(virtio_pv_attach(t->plat, 0, &echo_driver, &o, &t->pv), 0);
	assert_int_equal(echo_xfer(0, m, sizeof(m), 2000), 0);
	count_grants(t, &ro, &rw);
	virtio_pv_get_stats(t->pv, &s0);
	for (int i = 0; i < N; i++)
		assert_int_equal(echo_xfer(i % NSLOT, m, sizeof(m), 2000), 0);
	virtio_pv_get_stats(t->pv, &s1);
	print_message("per-message grants, %d requests: %.3f grant ops/msg, %.3f "
		      "event sends/msg\n", N, (double)(s1.grant_ops - s0.grant_ops) / N,
		      (double)(s1.evtchn_sends - s0.evtchn_sends) / N);
	/* Request and response: one grant and one end each. */
	assert_int_equal(s1.grant_ops - s0.grant_ops, 4 * N);
	assert_int_equal(s1.end_busy, 0);
	/* Only the rings (and posted event buffers) stay granted between messages. */
	count_grants(t, &ro2, &rw2);
	assert_int_equal(ro2 + rw2, ro + rw);
	assert_int_equal(simenv_audit(&env), 0);
	guest_down(t);
}

/* ---- the xenstore client ---------------------------------------------------- */

static atomic_int watch_hits;
static char watch_last[128];

static void count_watch(struct xenbus_watch *w, const char *path)
{
	snprintf(watch_last, sizeof(watch_last), "%s", path);
	atomic_fetch_add(&watch_hits, 1);
}

struct tx_arg {
	char dir[64];
	char path[96];
	int runs;
	bool interfere;
};

static int tx_body(struct xenbus *xb, xenbus_tx_t tx, void *arg)
{
	struct tx_arg *a = arg;
	char v[32];
	int ret;

	a->runs++;
	ret = xenbus_read(xb, tx, a->path, v, sizeof(v));
	if (ret < 0)
		return ret;
	if (a->interfere && a->runs == 1)	/* another writer, outside */
		simenv_write(&env, a->dir, "s", "other");
	return xenbus_write(xb, tx, a->path, "mine");
}

static void test_xenbus_client(void **state)
{
	struct tctx *t = guest_up(NULL);
	struct xenbus_watch w = { .fn = count_watch };
	struct xenbus *xb;
	struct tx_arg a = { .interfere = true };
	char dir[64], path[96], buf[256];
	xenbus_tx_t tx;
	uint64_t v;
	int n;

	assert_int_equal(xenbus_open(t->plat, &xb), 0);
	snprintf(dir, sizeof(dir), "/local/domain/%u/data", t->domid);
	assert_int_equal(xenbus_mkdir(xb, XENBUS_TX_NONE, dir), 0);
	assert_int_equal(xenbus_printf(xb, XENBUS_TX_NONE, dir, "n", "0x%x", 42), 0);
	assert_int_equal(xenbus_read_u64(xb, XENBUS_TX_NONE, dir, "n", 16, 100, &v), 0);
	assert_int_equal(v, 42);
	assert_int_equal(xenbus_read_u64(xb, XENBUS_TX_NONE, dir, "n", 10, 100, &v), -EINVAL);
	assert_int_equal(xenbus_read_u64(xb, XENBUS_TX_NONE, dir, "n", 16, 10, &v), -ERANGE);
	assert_int_equal(xenbus_read_u64(xb, XENBUS_TX_NONE, dir, "none", 10, 10, &v), -ENOENT);
	assert_int_equal(xenbus_printf(xb, XENBUS_TX_NONE, dir, "s", "%s", "hello"), 0);
	snprintf(path, sizeof(path), "%s/s", dir);
	assert_int_equal(xenbus_read(xb, XENBUS_TX_NONE, path, buf, sizeof(buf)), 5);
	assert_string_equal(buf, "hello");
	assert_int_equal(xenbus_read(xb, XENBUS_TX_NONE, path, buf, 3), -EOVERFLOW);
	n = xenbus_directory(xb, XENBUS_TX_NONE, dir, buf, sizeof(buf));
	assert_int_equal(n, 2);
	assert_true((!strcmp(buf, "n") && !strcmp(buf + 2, "s")) ||
		    (!strcmp(buf, "s") && !strcmp(buf + 2, "n")));
	/* Not ours: dom0's directory. */
	assert_int_equal(xenbus_write(xb, XENBUS_TX_NONE, "/local/domain/0/x", "1"),
			 -EACCES);

	/* Watches: fire once when set, then on each change below the path. */
	atomic_store(&watch_hits, 0);
	assert_int_equal(xenbus_watch(xb, &w, dir), 0);
	for (int i = 0; i < 500 && atomic_load(&watch_hits) < 1; i++)
		usleep(1000);
	assert_int_equal(atomic_load(&watch_hits), 1);
	assert_int_equal(simenv_write(&env, dir, "s", "changed"), 0);
	for (int i = 0; i < 500 && atomic_load(&watch_hits) < 2; i++)
		usleep(1000);
	assert_int_equal(atomic_load(&watch_hits), 2);
	assert_string_equal(watch_last, path);
	xenbus_unwatch(xb, &w);
	assert_int_equal(simenv_write(&env, dir, "s", "again"), 0);
	usleep(50 * 1000);
	assert_int_equal(atomic_load(&watch_hits), 2);

	/* Transactions: a conflicting writer makes the commit fail with
	 * EAGAIN; the helper runs the body again and the second try wins. */
	assert_int_equal(xenbus_transaction_start(xb, &tx), 0);
	assert_int_equal(xenbus_write(xb, tx, path, "tx"), 0);
	assert_int_equal(xenbus_transaction_end(xb, tx, true), 0);
	assert_int_equal(xenbus_read(xb, XENBUS_TX_NONE, path, buf, sizeof(buf)), 5);
	snprintf(a.path, sizeof(a.path), "%s", path);
	snprintf(a.dir, sizeof(a.dir), "%s", dir);
	assert_int_equal(xenbus_transact(xb, 4, tx_body, &a), 0);
	assert_int_equal(a.runs, 2);
	assert_int_equal(xenbus_read(xb, XENBUS_TX_NONE, path, buf, sizeof(buf)), 4);
	assert_string_equal(buf, "mine");

	assert_int_equal(xenbus_rm(xb, XENBUS_TX_NONE, dir), 0);
	assert_int_equal(xenbus_rm(xb, XENBUS_TX_NONE, dir), 0);
	assert_int_equal(xenbus_read(xb, XENBUS_TX_NONE, path, buf, sizeof(buf)), -ENOENT);
	xenbus_close(xb);
	guest_down(t);
}

static int group_setup(void **state)
{
	os_log_set_level(getenv("XF_VERBOSE") ? OS_LOG_DEBUG : OS_LOG_ERR);
	pthread_mutex_init(&g.lock, NULL);
	pthread_cond_init(&g.cv, NULL);
	return simenv_up(&env, self_exe) ? -1 : 0;
}

static int group_teardown(void **state)
{
	simenv_down(&env);
	return 0;
}

int main(int argc, char **argv)
{
	static char exe[4096];
	ssize_t n;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_xenbus_client),
		cmocka_unit_test(test_gnttab_refs),
		cmocka_unit_test(test_gnttab_quarantine),
		cmocka_unit_test(test_gdma_pool),
		cmocka_unit_test(test_connect_traffic_audit),
		cmocka_unit_test(test_bad_offers),
		cmocka_unit_test(test_minimal_offer_no_connect),
		cmocka_unit_test(test_no_backend_dir),
		cmocka_unit_test(test_no_device),
		cmocka_unit_test(test_backend_silent),
		cmocka_unit_test(test_backend_vanishes),
		cmocka_unit_test(test_xenstore_unavailable),
		cmocka_unit_test(test_backend_restart),
		cmocka_unit_test(test_backend_closing_reconnects),
		cmocka_unit_test(test_backend_refuses),
		cmocka_unit_test(test_frontend_reset),
		cmocka_unit_test(test_detach_lingering_backend),
		cmocka_unit_test(test_per_message_grants),
	};

	if (argc > 1 && !strcmp(argv[1], "--peer"))
		return loopback_main(argc, argv);
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		return 1;
	exe[n] = '\0';
	self_exe = exe;
	if (getenv("XF_FILTER"))
		cmocka_set_test_filter(getenv("XF_FILTER"));
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
