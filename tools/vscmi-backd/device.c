// SPDX-License-Identifier: MIT
/*
 * Serving one guest's virtio-scmi device.
 *
 * Theory of operation: when the front-end reaches Initialised, we read its
 * ring addresses from xenstore, bind its event channel and build a
 * device-role virtqueue per queue. Every address the guest gives us is a
 * grant-DMA address (1<<63 | gref<<12 | offset); we map each referenced page
 * once and keep the mapping in a per-device cache until the device
 * disconnects, so a steady state costs no grant operation. An event on the
 * port drains the cmdq: each chain's request is copied out once, handed to
 * the SCMI server as this guest's agent, and the response copied into the
 * chain's writable part. P2A messages (delayed responses, notifications) take
 * a buffer the guest pre-posted on the eventq, or wait in a short queue.
 * Anything the guest does wrong marks the device broken: it is disconnected
 * with one log line naming the guest, and nobody else is affected.
 */
#include "backd.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include <vscmi/os.h>

#include "scmi/server/server.h"

#define BK_MAP_BUCKETS 256
#define BK_GRANT_DMA_BIT (1ull << 63)

struct bk_map {
	struct bk_map *next;
	uint32_t ref;
	bool writable;
	void *va;
};

/* ---- grant-map cache --------------------------------------------------- */

static struct bk_map *bk_map_find(struct bk_dev *d, uint32_t ref, bool write)
{
	for (struct bk_map *m = d->map_tab[ref % BK_MAP_BUCKETS]; m; m = m->next)
		if (m->ref == ref && (m->writable || !write))
			return m;
	return NULL;
}

/*
 * virtq_mem_ops.translate: a guest address to a pointer into a page we
 * mapped. The result stays valid until bk_dev_disconnect(), as the device
 * role requires.
 */
static void *bk_translate(void *ctx, uint64_t dma, uint32_t len, bool write)
{
	struct bk_dev *d = ctx;
	uint64_t frame = (dma & ~BK_GRANT_DMA_BIT) >> OS_PAGE_SHIFT;
	uint32_t off = (uint32_t)(dma & (OS_PAGE_SIZE - 1));
	struct bk_map *m;
	bool transient;
	int err = 0;

	if (!(dma & BK_GRANT_DMA_BIT) || frame > UINT32_MAX ||
	    len > OS_PAGE_SIZE - off)
		return NULL;
	m = bk_map_find(d, (uint32_t)frame, write);
	if (m)
		return (char *)m->va + off;
	transient = d->per_message && d->rings_mapped;
	for (m = d->transient; transient && m; m = m->next)
		if (m->ref == frame && (m->writable || !write))
			return (char *)m->va + off;
	if (d->nmaps >= BK_MAX_MAPS_PER_DEV) {
		os_warn("guest %s (dom%u): more than %u granted pages in use",
			d->domname, d->domid, BK_MAX_MAPS_PER_DEV);
		return NULL;
	}
	m = calloc(1, sizeof(*m));
	if (!m)
		return NULL;
	m->va = bk_plat_map(d->bd->plat, d->domid, (uint32_t)frame, write, &err);
	if (!m->va) {
		os_warn("guest %s (dom%u): cannot map grant %llu%s: %s", d->domname,
			d->domid, (unsigned long long)frame, write ? " writable" : "",
			strerror(-err));
		free(m);
		return NULL;
	}
	m->ref = (uint32_t)frame;
	m->writable = write;
	if (transient) {
		/* Granted for this message only: unmapped before it goes back. */
		m->next = d->transient;
		d->transient = m;
		d->nmaps++;
		return (char *)m->va + off;
	}
	m->next = d->map_tab[m->ref % BK_MAP_BUCKETS];
	d->map_tab[m->ref % BK_MAP_BUCKETS] = m;
	d->nmaps++;
	return (char *)m->va + off;
}

static const struct virtq_mem_ops bk_mem_ops = {
	.translate = bk_translate,
};

/*
 * Per-message grants: let go of the chain's pages before the chain goes
 * back, so the front-end can end their access as soon as it sees it.
 */
static void bk_unmap_transient(struct bk_dev *d)
{
	while (d->transient) {
		struct bk_map *m = d->transient;

		d->transient = m->next;
		bk_plat_unmap(d->bd->plat, m->va);
		free(m);
		d->nmaps--;
	}
}

static void bk_unmap_all(struct bk_dev *d)
{
	bk_unmap_transient(d);
	if (!d->map_tab)
		return;
	for (unsigned i = 0; i < BK_MAP_BUCKETS; i++) {
		while (d->map_tab[i]) {
			struct bk_map *m = d->map_tab[i];

			d->map_tab[i] = m->next;
			bk_plat_unmap(d->bd->plat, m->va);
			free(m);
		}
	}
	d->nmaps = 0;
}

/* ---- connect / disconnect ------------------------------------------------ */

static int bk_read_queue(struct bk_dev *d, unsigned i, struct virtq_dev_config *cfg)
{
	char dir[192];
	uint64_t size, desc, drv, dev;
	int ret;

	snprintf(dir, sizeof(dir), "%s/queue-%u", d->fe_path, i);
	ret = bk_xs_read_u64(d->bd, dir, "size", 10, BK_MAX_QUEUE_SIZE, &size);
	if (!ret)
		ret = bk_xs_read_u64(d->bd, dir, "desc", 16, UINT64_MAX, &desc);
	if (!ret)
		ret = bk_xs_read_u64(d->bd, dir, "driver", 16, UINT64_MAX, &drv);
	if (!ret)
		ret = bk_xs_read_u64(d->bd, dir, "device", 16, UINT64_MAX, &dev);
	if (ret) {
		bk_dev_fail(d, "queue-%u: missing or malformed key", i);
		return ret;
	}
	if (size < 2 || (size & (size - 1))) {
		bk_dev_fail(d, "queue-%u: size %llu is not a power of two in [2, %u]",
			    i, (unsigned long long)size, BK_MAX_QUEUE_SIZE);
		return -EINVAL;
	}
	cfg->num = (unsigned)size;
	cfg->desc = desc;
	cfg->avail = drv;
	cfg->used = dev;
	return 0;
}

int bk_dev_connect(struct bk_dev *d)
{
	static const char *const qname[BK_MAX_QUEUES] = { "cmdq", "eventq" };
	const uint64_t offered = VIRTIO_BIT(VIRTIO_F_VERSION_1) |
		VIRTIO_BIT(VIRTIO_F_ACCESS_PLATFORM) |
		VIRTIO_BIT(VIRTIO_RING_F_EVENT_IDX) |
		VIRTIO_BIT(VIRTIO_SCMI_F_P2A_CHANNELS);
	uint64_t features, nq, port, persistent = 1;
	int ret;

	ret = bk_xs_read_u64(d->bd, d->fe_path, "features", 16, UINT64_MAX, &features);
	if (ret) {
		bk_dev_fail(d, "front-end features missing or malformed");
		return ret;
	}
	if (features & ~offered) {
		bk_dev_fail(d, "front-end acked features 0x%llx we never offered",
			    (unsigned long long)(features & ~offered));
		return -EINVAL;
	}
	if (!virtio_has_feature(features, VIRTIO_F_VERSION_1) ||
	    !virtio_has_feature(features, VIRTIO_F_ACCESS_PLATFORM)) {
		bk_dev_fail(d, "front-end did not accept VERSION_1 and ACCESS_PLATFORM");
		return -EINVAL;
	}
	ret = bk_xs_read_u64(d->bd, d->fe_path, "num-queues", 10, BK_MAX_QUEUES, &nq);
	if (ret || nq < 1 ||
	    (nq == 2) != virtio_has_feature(features, VIRTIO_SCMI_F_P2A_CHANNELS)) {
		bk_dev_fail(d, "num-queues missing, malformed or not matching P2A_CHANNELS");
		return -EINVAL;
	}
	ret = bk_xs_read_u64(d->bd, d->fe_path, "event-channel", 10, UINT32_MAX, &port);
	if (ret) {
		bk_dev_fail(d, "event-channel missing or malformed");
		return ret;
	}

	/* Optional: absent means persistent (the first front-ends). */
	ret = bk_xs_read_u64(d->bd, d->fe_path, "persistent-grants", 10, 1, &persistent);
	if (ret && ret != -ENOENT) {
		bk_dev_fail(d, "persistent-grants malformed");
		return ret;
	}

	d->map_tab = calloc(BK_MAP_BUCKETS, sizeof(*d->map_tab));
	if (!d->map_tab)
		return -ENOMEM;
	d->features = features;
	d->per_message = !persistent;
	d->rings_mapped = false;
	for (unsigned i = 0; i < nq; i++) {
		struct virtq_dev_config cfg = {
			.name = qname[i],
			.event_idx = virtio_has_feature(features, VIRTIO_RING_F_EVENT_IDX),
			.mem = &bk_mem_ops,
			.mem_ctx = d,
			.max_chain_bytes = 2 * BK_MAX_MSG,
		};

		ret = bk_read_queue(d, i, &cfg);
		if (ret)
			goto out_disconnect;
		ret = virtq_dev_create(&cfg, &d->vq[i]);
		if (ret) {
			bk_dev_fail(d, "%s: rings not accessible (%s)", qname[i],
				    strerror(-ret));
			goto out_disconnect;
		}
		d->nq = i + 1;
	}
	/* The rings stay mapped; from now on, per-message buffers do not. */
	d->rings_mapped = true;
	ret = bk_plat_evtchn_bind(d->bd->plat, d->domid, (uint32_t)port, &d->port);
	if (ret) {
		bk_dev_fail(d, "cannot bind event channel %llu: %s",
			    (unsigned long long)port, strerror(-ret));
		goto out_disconnect;
	}
	d->port_bound = true;
	d->agent = scmi_srv_agent_connect(d->bd->srv, d->domname, d->domid);
	if (!d->agent) {
		bk_dev_fail(d, "no SCMI agent for this domain");
		ret = -ENOMEM;
		goto out_disconnect;
	}
	d->connected = true;
	os_info("guest %s (dom%u) device %u connected: %u queue(s)%s", d->domname,
		d->domid, d->devid, d->nq,
		virtio_has_feature(features, VIRTIO_RING_F_EVENT_IDX) ? ", event-idx" : "");
	/* Requests may already be waiting. */
	bk_dev_kick(d);
	return 0;

out_disconnect:
	bk_dev_disconnect(d);
	return ret;
}

void bk_dev_disconnect(struct bk_dev *d)
{
	if (d->agent) {
		scmi_srv_agent_disconnect(d->bd->srv, d->agent);
		d->agent = NULL;
	}
	bk_loop_cancel_timers(d->bd->loop, d);
	d->serve_scheduled = false;
	if (d->port_bound) {
		bk_plat_evtchn_unbind(d->bd->plat, d->port);
		d->port_bound = false;
	}
	for (unsigned i = 0; i < BK_MAX_QUEUES; i++) {
		virtq_dev_destroy(d->vq[i]);
		d->vq[i] = NULL;
	}
	d->nq = 0;
	/* The queues are gone: nothing can use a mapping any more. */
	bk_unmap_all(d);
	free(d->map_tab);
	d->map_tab = NULL;
	while (d->p2a_head) {
		struct bk_p2a *p = d->p2a_head;

		d->p2a_head = p->next;
		free(p);
	}
	d->p2a_tail = NULL;
	d->p2a_count = 0;
	if (d->connected)
		os_info("guest %s (dom%u) device %u disconnected", d->domname,
			d->domid, d->devid);
	d->connected = false;
}

void bk_dev_fail(struct bk_dev *d, const char *fmt, ...)
{
	char why[256];
	char path[192];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	os_err("guest %s (dom%u) device %u: %s; disconnecting it", d->domname,
	       d->domid, d->devid, why);
	d->broken = true;
	snprintf(path, sizeof(path), "%s/error", d->be_path);
	bk_xs_write(d->bd, path, why);
	bk_xenbus_switch(d, BK_XB_CLOSING);
}

/* ---- the queues ------------------------------------------------------------ */

static void bk_notify_guest(struct bk_dev *d, struct virtq_dev *vq)
{
	/* The used ring and its index are written before we look at used_event. */
	bool need = virtq_dev_need_interrupt(vq);

	os_dbg("guest %s: interrupt %s", d->domname, need ? "sent" : "suppressed");
	if (need) {
		d->st.events_out++;
		bk_plat_evtchn_notify(d->bd->plat, d->port);
	}
}

static void bk_flush_p2a(struct bk_dev *d)
{
	struct virtq_dev *vq = d->vq[VIRTIO_SCMI_VQ_RX];
	struct virtq_dev_chain c;
	bool pushed = false;

	while (d->p2a_head) {
		struct bk_p2a *p = d->p2a_head;
		int r = virtq_dev_pop(vq, &c);
		size_t w;

		if (r < 0) {
			bk_dev_fail(d, "eventq: %s", virtq_dev_broken_reason(vq));
			return;
		}
		if (r == 0)
			break;
		if (c.n_out || c.in_len < p->len) {
			bk_dev_fail(d, "eventq: buffer of %u bytes (%u readable) cannot hold a %u-byte message",
				    (unsigned)c.in_len, (unsigned)c.out_len, (unsigned)p->len);
			return;
		}
		w = virtq_dev_write(&c, 0, p->msg, p->len);
		bk_unmap_transient(d);
		virtq_dev_push(vq, c.head, (uint32_t)w);
		pushed = true;
		d->p2a_head = p->next;
		if (!d->p2a_head)
			d->p2a_tail = NULL;
		d->p2a_count--;
		d->st.p2a_sent++;
		free(p);
	}
	if (pushed)
		bk_notify_guest(d, vq);
}

int bk_dev_send_p2a(struct bk_dev *d, const void *msg, size_t len)
{
	struct bk_p2a *p;

	if (!d->connected || d->nq < 2 || len > BK_MAX_MSG)
		return -ENOTCONN;
	if (d->p2a_count >= BK_MAX_PENDING_P2A) {
		/* A guest that never consumes its eventq only hurts itself. */
		if (!(d->st.p2a_dropped++ % 1000))
			os_warn("guest %s (dom%u): eventq full, dropping notifications (%llu so far)",
				d->domname, d->domid,
				(unsigned long long)d->st.p2a_dropped);
		return -ENOBUFS;
	}
	p = malloc(sizeof(*p) + len);
	if (!p)
		return -ENOMEM;
	p->next = NULL;
	p->len = (uint32_t)len;
	memcpy(p->msg, msg, len);
	if (d->p2a_tail)
		d->p2a_tail->next = p;
	else
		d->p2a_head = p;
	d->p2a_tail = p;
	d->p2a_count++;
	bk_flush_p2a(d);
	return 0;
}

static void bk_serve_later(void *arg);

/* Serve up to BK_SERVE_BUDGET commands; true if more may be waiting. */
static bool bk_serve_cmdq(struct bk_dev *d)
{
	struct virtq_dev *vq = d->vq[VIRTIO_SCMI_VQ_TX];
	static uint8_t req[BK_MAX_MSG], resp[BK_MAX_MSG];
	struct virtq_dev_chain c;
	unsigned served = 0;
	bool more = false;

	for (;;) {
		size_t len, rlen, w;
		int r;

		if (served == BK_SERVE_BUDGET) {
			more = true;
			break;
		}
		r = virtq_dev_pop(vq, &c);
		if (r < 0) {
			bk_dev_fail(d, "cmdq: %s", virtq_dev_broken_reason(vq));
			return false;
		}
		if (r == 0) {
			/* Ask for a kick, then look once more: a request that
			 * raced with enabling is served now, not lost. */
			if (virtq_dev_enable_notify(vq))
				break;
			continue;
		}
		if (!c.in_len) {
			bk_dev_fail(d, "cmdq: request without a response buffer");
			return false;
		}
		/* Copy the request out once; the server never sees guest memory.
		 * An oversized one arrives cut at BK_MAX_MSG, which is already
		 * longer than any command: the server answers PROTOCOL_ERROR. */
		len = virtq_dev_read(&c, 0, req, OS_MIN((size_t)c.out_len, sizeof(req)));
		rlen = scmi_srv_handle(d->bd->srv, d->agent, req, len, resp,
				       OS_MIN((size_t)c.in_len, sizeof(resp)));
		w = virtq_dev_write(&c, 0, resp, rlen);
		bk_unmap_transient(d);
		virtq_dev_push(vq, c.head, (uint32_t)w);
		d->st.commands++;
		served++;
		/* A handler may have broken the connection (e.g. a reset). */
		if (!d->connected)
			return false;
	}
	if (served)
		bk_notify_guest(d, vq);
	/* Found waiting together: the guest has requests in flight at once. */
	d->period_cmds = OS_MAX(d->period_cmds, served);
	os_dbg("guest %s: served %u command(s)", d->domname, served);
	return more;
}

static void bk_serve(struct bk_dev *d)
{
	if (!d->connected || d->broken)
		return;
	if (bk_serve_cmdq(d) && !d->serve_scheduled) {
		/* Yield to other guests, come back on the next loop turn. */
		d->serve_scheduled = true;
		bk_loop_add_timer(d->bd->loop, 0, bk_serve_later, d);
	}
	if (d->connected && d->nq > 1)
		bk_flush_p2a(d);
}

static void bk_serve_later(void *arg)
{
	struct bk_dev *d = arg;

	d->serve_scheduled = false;
	bk_serve(d);
}

void bk_dev_kick(struct bk_dev *d)
{
	d->st.events_in++;
	bk_serve(d);
}

static bool bk_dev_pollable(struct bk_dev *d)
{
	return d->connected && !d->broken && d->vq[VIRTIO_SCMI_VQ_TX];
}

bool bk_dev_poll(struct bk_dev *d)
{
	if (!bk_dev_pollable(d) || !virtq_dev_has_avail(d->vq[VIRTIO_SCMI_VQ_TX]))
		return false;
	d->st.polled++;
	bk_serve(d);
	return true;
}

void bk_dev_quiet(struct bk_dev *d)
{
	if (bk_dev_pollable(d))
		virtq_dev_disable_notify(d->vq[VIRTIO_SCMI_VQ_TX]);
}

bool bk_dev_arm(struct bk_dev *d)
{
	/* enable_notify makes the guest see avail_event before we re-read
	 * its avail idx: a request after this read brings a kick. */
	if (!bk_dev_pollable(d) || virtq_dev_enable_notify(d->vq[VIRTIO_SCMI_VQ_TX]))
		return false;
	return bk_dev_poll(d);
}

struct bk_dev *bk_dev_by_port(struct backd *bd, uint32_t port)
{
	for (struct bk_dev *d = bd->devs; d; d = d->next)
		if (d->port_bound && d->port == port)
			return d;
	return NULL;
}

struct bk_dev *bk_dev_by_agent(struct backd *bd, struct scmi_srv_agent *a)
{
	for (struct bk_dev *d = bd->devs; d; d = d->next)
		if (d->agent == a)
			return d;
	return NULL;
}
