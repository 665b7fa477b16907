// SPDX-License-Identifier: MIT
/*
 * The virtio-pv transport, guest side: a virtio device whose discovery and
 * negotiation happen in xenstore, whose rings and buffers sit in pages
 * granted to the back-end domain (grant_dma.c) and whose notifications are
 * one interdomain event channel. docs/virtio-pv.md is the protocol.
 *
 * Theory of operation: one state machine per device, pv_step(), runs under
 * sm_lock whenever the back-end's state node changes (a xenstore watch) and
 * from the calls that start or stop the device. It reads the back-end's
 * state and acts on it together with our phase:
 *
 *   WAIT_BACKEND  we wrote Initialising; at the back-end's InitWait we read
 *                 and validate its offer, then run the driver's probe()
 *                 (first time) or restore() (after a reconnection). The
 *                 driver negotiates features, creates its queues (ring
 *                 areas from the pool, granted once) and calls ready():
 *                 we publish features, queues and event channel in one
 *                 transaction and switch to Initialised.
 *   INITIALISED   at the back-end's Connected we set DRIVER_OK and switch
 *                 to Connected.
 *   CONNECTED     steady state. If the back-end leaves Connected (it
 *                 restarted: InitWait, Initialising, Closing, Closed, or its
 *                 directory vanished) the driver's disconnect() fails what is
 *                 in flight with -ECONNRESET, the queues and the event
 *                 channel are torn down, we write Initialising and the
 *                 handshake runs again; the pool's grants persist.
 *                 The same reset runs when the driver finds a queue the
 *                 back-end broke (request_reset, deferred work): at most
 *                 PV_RESET_BURST per PV_RESET_WINDOW_NS, then FAILED.
 *   FAILED        the back-end published something invalid: logged, our
 *                 error node says why, and we wait until its state moves.
 *
 * Everything read from the back-end directory is parsed strictly and
 * bounded (pv_read_offer() in virtio_pv_xs.c); nothing from it is trusted
 * before that. virtio_pv_attach() runs the machine in the caller's thread
 * (the watch only wakes it) until the first Connected; after that the
 * watch callback (deferred work) runs it, so a reconnection calls the
 * driver's disconnect() and restore() from there.
 *
 * Locking: sm_lock (mutex) serialises pv_step(), attach, reset and detach;
 * the driver's probe/restore/disconnect/remove run under it and call our
 * virtio_dev_ops, which therefore never take it. The event-channel handler
 * takes nothing: it only runs virtq_interrupt() on queues that exist while
 * the port is bound (del_vqs unbinds first, and evtchn_unbind() waits for a
 * running handler).
 */
#include "virtio_pv_priv.h"

/* ---- virtio_dev_ops ------------------------------------------------------------------ */

static uint64_t pv_get_features(struct virtio_dev *dev)
{
	return to_pv(dev)->offer.features;
}

static int pv_finalize_features(struct virtio_dev *dev, uint64_t features)
{
	struct virtio_pv *pv = to_pv(dev);
	uint64_t mine = PV_TRANSPORT_FEATURES;
	uint64_t acked;

#ifdef CONFIG_VIRTQ_EVENT_IDX
	mine |= VIRTIO_BIT(VIRTIO_RING_F_EVENT_IDX);
#endif
	/* Device-specific bits are the driver's; transport bits are ours. */
	acked = ((features & ~(VIRTIO_BIT(VIRTIO_RING_F_EVENT_IDX) |
			       VIRTIO_BIT(VIRTIO_F_INDIRECT_DESC) |
			       VIRTIO_BIT(VIRTIO_F_RING_PACKED))) | mine) &
		pv->offer.features;
	if ((acked & PV_TRANSPORT_FEATURES) != PV_TRANSPORT_FEATURES)
		return -EINVAL;
	pv->acked = acked;
	dev->features = acked;
	pv->status |= VIRTIO_STATUS_FEATURES_OK;
	return 0;
}

static int pv_get_config(struct virtio_dev *dev, unsigned off, void *buf,
			 unsigned len)
{
	struct virtio_pv *pv = to_pv(dev);

	if (off > pv->offer.config_len || len > pv->offer.config_len - off)
		return -EINVAL;
	memcpy(buf, pv->offer.config + off, len);
	return 0;
}

static unsigned pv_max_queue_size(struct virtio_dev *dev, unsigned index)
{
	struct virtio_pv *pv = to_pv(dev);

	if (index >= pv->offer.max_queues)
		return 0;
	return OS_MIN(pv->offer.max_queue_size, (unsigned)CONFIG_VIRTQ_MAX_SIZE);
}

/*
 * virtq_config has one priv, and it is the driver's (its callback gets it
 * and virtq_priv() returns it), so a kick finds its device here instead.
 */
#define PV_VQ_SLOTS 64
static struct {
	struct virtq *vq;
	struct virtio_pv *pv;
} pv_vq_owner[PV_VQ_SLOTS];
static os_spinlock_t pv_vq_owner_lock = OS_SPINLOCK_INIT;	/* protects pv_vq_owner */

static int pv_vq_own(struct virtq *vq, struct virtio_pv *pv)
{
	int ret = -ENOSPC;

	os_spin_lock(&pv_vq_owner_lock);
	for (unsigned i = 0; i < PV_VQ_SLOTS; i++) {
		if (!pv_vq_owner[i].vq) {
			pv_vq_owner[i].vq = vq;
			pv_vq_owner[i].pv = pv;
			ret = 0;
			break;
		}
	}
	os_spin_unlock(&pv_vq_owner_lock);
	return ret;
}

static void pv_vq_disown(struct virtq *vq)
{
	os_spin_lock(&pv_vq_owner_lock);
	for (unsigned i = 0; i < PV_VQ_SLOTS; i++)
		if (pv_vq_owner[i].vq == vq)
			pv_vq_owner[i].vq = NULL;
	os_spin_unlock(&pv_vq_owner_lock);
}

static struct virtio_pv *pv_vq_find(struct virtq *vq)
{
	struct virtio_pv *pv = NULL;

	os_spin_lock(&pv_vq_owner_lock);
	for (unsigned i = 0; i < PV_VQ_SLOTS && !pv; i++)
		if (pv_vq_owner[i].vq == vq)
			pv = pv_vq_owner[i].pv;
	os_spin_unlock(&pv_vq_owner_lock);
	return pv;
}

static void pv_notify(struct virtq *vq, void *priv)
{
	struct virtio_pv *pv = pv_vq_find(vq);

	if (!pv)
		return;

	/* The device sees the avail index (virtq_kick_prepare) before this event. */
	if (pv->port) {
		atomic_fetch_add(&pv->kicks, 1);
		evtchn_send(pv->plat, pv->port);
	}
}

static void pv_interrupt(uint32_t port, void *priv)
{
	struct virtio_pv *pv = priv;

	atomic_fetch_add(&pv->events, 1);
	for (unsigned i = 0; i < pv->nvqs; i++)
		if (pv->q[i].vq)
			virtq_interrupt(pv->q[i].vq);
}

static void pv_free_queue(struct virtio_pv *pv, struct pv_queue *q)
{
	if (q->vq)
		pv_vq_disown(q->vq);
	virtq_destroy(q->vq);
	gdma_free(pv->pool, q->desc, q->desc_sz);
	gdma_free(pv->pool, q->avail, q->avail_sz);
	gdma_free(pv->pool, q->used, q->used_sz);
	*q = (struct pv_queue){ 0 };
}

static void pv_del_vqs(struct virtio_dev *dev)
{
	struct virtio_pv *pv = to_pv(dev);

	if (pv->port) {
		evtchn_close(pv->plat, pv->port);
		pv->port = 0;
	}
	for (unsigned i = 0; i < pv->nvqs; i++)
		pv_free_queue(pv, &pv->q[i]);
	pv->nvqs = 0;
}

static int pv_setup_queue(struct virtio_pv *pv, unsigned i, unsigned num,
			  const struct virtio_vq_info *info, struct virtq **out)
{
	struct pv_queue *q = &pv->q[i];
	struct virtq_config cfg = {
		.name = info->name,
		.num = num,
		.event_idx = virtio_has_feature(pv->acked, VIRTIO_RING_F_EVENT_IDX),
		.dma = gdma_virtq_dma(pv->pool),
		.notify = pv_notify,
		.callback = info->callback,
		.priv = info->priv,
	};
	int ret;

	q->num = num;
	q->desc_sz = virtq_desc_area_size(num);
	q->avail_sz = virtq_avail_area_size(num);
	q->used_sz = virtq_used_area_size(num);
	/* The device only reads descriptors and the avail ring. */
	q->desc = gdma_alloc_ring(pv->pool, q->desc_sz, false);
	q->avail = gdma_alloc_ring(pv->pool, q->avail_sz, false);
	q->used = gdma_alloc_ring(pv->pool, q->used_sz, true);
	if (!q->desc || !q->avail || !q->used) {
		ret = -ENOMEM;
		goto out_free;
	}
	ret = gdma_map(pv->pool, q->desc, (uint32_t)q->desc_sz, false, &q->desc_dma);
	if (!ret)
		ret = gdma_map(pv->pool, q->avail, (uint32_t)q->avail_sz, false,
			       &q->avail_dma);
	if (!ret)
		ret = gdma_map(pv->pool, q->used, (uint32_t)q->used_sz, true,
			       &q->used_dma);
	if (ret)
		goto out_free;
	cfg.desc = q->desc;
	cfg.avail = q->avail;
	cfg.used = q->used;
	ret = virtq_create(&cfg, &q->vq);
	if (ret)
		goto out_free;
	ret = pv_vq_own(q->vq, pv);
	if (ret) {
		virtq_destroy(q->vq);
		q->vq = NULL;
		goto out_free;
	}
	*out = q->vq;
	return 0;

out_free:
	pv_free_queue(pv, q);
	return ret;
}

static int pv_find_vqs(struct virtio_dev *dev, unsigned nvqs, unsigned size,
		       struct virtq **vqs, const struct virtio_vq_info *info)
{
	struct virtio_pv *pv = to_pv(dev);
	unsigned max = pv_max_queue_size(dev, 0);
	int ret;

	if (!(pv->status & VIRTIO_STATUS_FEATURES_OK))
		return -EINVAL;
	if (!nvqs || nvqs > pv->offer.max_queues || nvqs > PV_MAX_QUEUES)
		return -EINVAL;
	if (!size)
		size = max;
	if (size < 2 || size > max || (size & (size - 1)))
		return -EINVAL;
	if (pv->nvqs)
		pv_del_vqs(dev);

	ret = evtchn_alloc_unbound(pv->plat, pv->be_domid, &pv->port);
	if (ret) {
		pv->port = 0;
		return ret;
	}
	for (unsigned i = 0; i < nvqs; i++) {
		ret = pv_setup_queue(pv, i, size, &info[i], &vqs[i]);
		if (ret)
			goto out_del;
		pv->nvqs = i + 1;
	}
	ret = evtchn_bind(pv->plat, pv->port, pv_interrupt, pv);
	if (ret)
		goto out_del;
	return 0;

out_del:
	pv_del_vqs(dev);
	return ret;
}

static int pv_ready(struct virtio_dev *dev)
{
	struct virtio_pv *pv = to_pv(dev);
	int ret;

	if (!pv->nvqs || !pv->port)
		return -EINVAL;
	ret = xenbus_transact(pv->xb, 16, pv_publish_tx, pv);
	if (ret) {
		os_err("%s: cannot publish the rings in xenstore: %d", pv->name, ret);
		return ret;
	}
	pv->phase = PV_INITIALISED;
	pv->published = true;
	return 0;
}

static void *pv_dma_alloc(struct virtio_dev *dev, size_t size)
{
	/* Direction unknown: writable, so a response or event fits. */
	return gdma_alloc(to_pv(dev)->pool, size, true);
}

static void *pv_dma_alloc_dir(struct virtio_dev *dev, size_t size,
			      bool device_writes)
{
	return gdma_alloc(to_pv(dev)->pool, size, device_writes);
}

static void pv_dma_free(struct virtio_dev *dev, void *p, size_t size)
{
	gdma_free(to_pv(dev)->pool, p, size);
}

/* Any context: the reset itself runs from deferred work (pv_reset_work). */
static void pv_request_reset(struct virtio_dev *dev)
{
	os_work_queue(&to_pv(dev)->reset_work);
}

static const struct virtio_dev_ops pv_dev_ops = {
	.get_features = pv_get_features,
	.finalize_features = pv_finalize_features,
	.get_config = pv_get_config,
	.max_queue_size = pv_max_queue_size,
	.find_vqs = pv_find_vqs,
	.del_vqs = pv_del_vqs,
	.ready = pv_ready,
	.dma_alloc = pv_dma_alloc,
	.dma_free = pv_dma_free,
	.dma_alloc_dir = pv_dma_alloc_dir,
	.request_reset = pv_request_reset,
};

/* ---- the state machine ---------------------------------------------------------- */

/* The back-end is in InitWait: validate its offer, then probe or restore. */
static void pv_handshake(struct virtio_pv *pv, int be_state)
{
	char why[192];
	int ret;

	ret = pv_read_offer(pv, why, sizeof(why));
	if (ret) {
		pv_fail(pv, ret, be_state, why);
		return;
	}
	pv->status = VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER;
	pv->acked = 0;
	pv->vdev.features = 0;
	if (!pv->probed) {
		ret = pv->drv->probe ? pv->drv->probe(&pv->vdev) : -ENOSYS;
		if (!ret)
			pv->probed = true;
	} else {
		ret = pv->drv->restore ? pv->drv->restore(&pv->vdev) : -ENOSYS;
	}
	if (ret) {
		pv_del_vqs(&pv->vdev);
		os_snprintf(why, sizeof(why), "driver %s failed to %s the device: %d",
			    pv->drv->name, pv->probed ? "restore" : "probe", ret);
		pv_fail(pv, ret, be_state, why);
		return;
	}
	/* A driver that did not call ready() gets it now, as virtio does. */
	if (pv->phase == PV_WAIT_BACKEND) {
		ret = pv_ready(&pv->vdev);
		if (ret)
			pv_fail(pv, ret, be_state, "cannot publish the rings");
	}
}

/* Tear down after the back-end went away (sm_lock held). */
static void pv_lose_backend(struct virtio_pv *pv, int be_state)
{
	bool was_connected = pv->phase == PV_CONNECTED;

	os_info("%s: back-end %s (state %d); %s", pv->name,
		be_state == -ENOENT ? "vanished" : "reset", be_state,
		was_connected ? "reconnecting" : "restarting the handshake");
	os_completion_reinit(&pv->settled);
	if (pv->probed && pv->drv->disconnect)
		pv->drv->disconnect(&pv->vdev);
	pv_del_vqs(&pv->vdev);
	pv->status = 0;
	if (was_connected)
		pv->disconnects++;
	pv->phase = PV_WAIT_BACKEND;
	pv_unpublish(pv, true);
	pv_switch(pv, XenbusStateInitialising);
	os_completion_reinit(&pv->settled);
	/* The back-end may hold pages until it notices: retry now and later. */
	gnttab_quarantine_retry(pv->gt);
}

/*
 * The back-end gave up on this device (it wrote its error node and
 * Closing; @err -ECONNREFUSED), or we give up on a back-end that keeps
 * breaking the queues (-EPROTO): tear down as for a reset, but write Closed
 * and stay FAILED, because going back to Initialising would make it try,
 * and fail, again forever. Only virtio_pv_reset() (or a new attach) tries
 * again.
 */
static void pv_give_up(struct virtio_pv *pv, int err, int be_state, const char *why)
{
	if (pv->phase == PV_CONNECTED)
		pv->disconnects++;
	/* Also while attaching: the driver holds the queues pv_del_vqs() frees. */
	if (pv->probed && pv->drv->disconnect)
		pv->drv->disconnect(&pv->vdev);
	pv_del_vqs(&pv->vdev);
	pv_unpublish(pv, true);
	pv_switch(pv, XenbusStateClosed);
	pv->status = 0;
	pv->refused = true;
	pv_fail(pv, err, be_state, why);
}

static void pv_step(struct virtio_pv *pv)
{
	char why[192];

	for (int rounds = 0; rounds < 4; rounds++) {
		int be = pv_be_state(pv);
		enum pv_phase before = pv->phase;

		if (pv->detaching || pv->phase == PV_CLOSED)
			return;
		if (be == -ETIMEDOUT || be == -EIO) {
			/* xenstore itself is unreachable: nothing to decide. */
			if (pv->attaching)
				pv_fail(pv, be, be, "xenstore does not answer");
			return;
		}
		switch (pv->phase) {
		case PV_WAIT_BACKEND:
			if (be == XenbusStateInitWait)
				pv_handshake(pv, be);
			else if (be < 0 && pv->attaching)
				pv_fail(pv, be == -ENOENT ? -ENODEV : -EINVAL, be,
					be == -ENOENT ? "back-end state missing"
						      : "back-end state malformed");
			break;
		case PV_INITIALISED:
			if (be == XenbusStateConnected) {
				pv->status |= VIRTIO_STATUS_DRIVER_OK;
				pv->phase = PV_CONNECTED;
				pv->connects++;
				pv_switch(pv, XenbusStateConnected);
				os_info("%s: connected to dom%u (%u queue(s) of %u, "
					"features 0x%llx)", pv->name, pv->be_domid,
					pv->nvqs, pv->nvqs ? pv->q[0].num : 0,
					(unsigned long long)pv->acked);
				os_complete(&pv->settled);
			} else if (be == XenbusStateInitWait) {
				/* A back-end that restarted while we were
				 * Initialised waits for our state to move: nudge. */
				pv_switch(pv, XenbusStateInitialised);
			} else if (pv_be_refused(pv, be, why, sizeof(why))) {
				pv_give_up(pv, -ECONNREFUSED, be, why);
			} else if (be != XenbusStateInitialised) {
				if (pv->attaching && be < 0) {
					pv_fail(pv, -ENODEV, be,
						"back-end vanished during the handshake");
					break;
				}
				pv_lose_backend(pv, be);
			}
			break;
		case PV_CONNECTED:
			if (be == XenbusStateConnected)
				break;
			if (pv_be_refused(pv, be, why, sizeof(why)))
				pv_give_up(pv, -ECONNREFUSED, be, why);
			else
				pv_lose_backend(pv, be);
			break;
		case PV_FAILED:
			/* Try again once the back-end moved on (unless it refused). */
			if (be != pv->fail_be_state && !pv->attaching && !pv->refused) {
				pv->phase = PV_WAIT_BACKEND;
				pv->status = 0;
				pv->err = 0;
				os_completion_reinit(&pv->settled);
			}
			break;
		case PV_CLOSED:
			break;
		}
		if (pv->phase == before)
			return;
	}
}

/*
 * The driver found a queue the back-end broke: reset the device (the
 * driver's disconnect(), a new handshake, restore()), as if the back-end
 * had restarted. A back-end that breaks the queues again and again gets
 * PV_RESET_BURST resets per PV_RESET_WINDOW_NS; the next request leaves
 * the device FAILED (error node, Closed) until virtio_pv_reset().
 */
static void pv_reset_work(struct os_work *w)
{
	struct virtio_pv *pv = os_container_of(w, struct virtio_pv, reset_work);
	unsigned slot;
	uint64_t now;

	os_mutex_lock(&pv->sm_lock);
	/* Only a connected device: otherwise a reset is already under way
	 * (the queues went with it) or the device is going away. */
	if (pv->phase != PV_CONNECTED || pv->detaching || pv->attaching)
		goto out;
	now = os_now_ns();
	slot = (unsigned)(pv->auto_resets % PV_RESET_BURST);
	if (pv->auto_resets >= PV_RESET_BURST && now - pv->reset_at[slot] < PV_RESET_WINDOW_NS) {
		char why[128];

		os_snprintf(why, sizeof(why), "the back-end broke a virtqueue %u times "
			    "within %u s", PV_RESET_BURST + 1,
			    (unsigned)(PV_RESET_WINDOW_NS / OS_NSEC_PER_SEC));
		pv_give_up(pv, -EPROTO, pv_be_state(pv), why);
		goto out;
	}
	pv->reset_at[slot] = now;
	pv->auto_resets++;
	os_warn("%s: the driver found a virtqueue broken by dom%u; resetting the device",
		pv->name, pv->be_domid);
	pv_lose_backend(pv, XenbusStateUnknown);
	pv_step(pv);
out:
	os_mutex_unlock(&pv->sm_lock);
}

static void pv_be_changed(struct xenbus_watch *w, const char *path)
{
	struct virtio_pv *pv = w->priv;

	os_mutex_lock(&pv->sm_lock);
	if (pv->attaching)
		os_complete(&pv->kick);
	else
		pv_step(pv);
	os_mutex_unlock(&pv->sm_lock);
}

/* ---- attach / detach --------------------------------------------------------------- */


/*
 * Wait (polling xenstore, not the watch) for the back-end to let go. The
 * poll backs off from 1 ms to 32 ms: on real Xen every read is a round
 * trip through dom0's xenstored, and a tight poll from closing guests
 * starves the very back-end that has to answer (docs/xensim.md).
 */
static void pv_wait_backend_closed(struct virtio_pv *pv)
{
	uint64_t end = os_now_ns() + PV_CLOSE_WAIT_NS;
	uint64_t pause = OS_NSEC_PER_MSEC;

	while (os_now_ns() < end) {
		int be = pv_be_state(pv);

		if (be < 0 || be == XenbusStateClosing || be == XenbusStateClosed ||
		    be == XenbusStateInitialising || be == XenbusStateInitWait)
			return;
		os_sleep_ns(pause);
		if (pause < 32 * OS_NSEC_PER_MSEC)
			pause *= 2;
	}
	os_warn("%s: back-end did not acknowledge Closing", pv->name);
}

/* Everything after the watch is gone. sm_lock held. */
static void pv_teardown(struct virtio_pv *pv)
{
	unsigned stuck;

	if (pv->probed && pv->drv->remove)
		pv->drv->remove(&pv->vdev);
	pv->probed = false;
	pv_del_vqs(&pv->vdev);
	if (pv->xb) {
		if (!pv_switch(pv, XenbusStateClosing) && pv->published)
			pv_wait_backend_closed(pv);
		pv->published = false;
		pv_unpublish(pv, false);
		pv_switch(pv, XenbusStateClosed);
	}
	pv->phase = PV_CLOSED;
	/* The back-end unmapped at Closing; gdma_destroy() waits for a late one. */
	stuck = gdma_destroy(pv->pool);
	pv->pool = NULL;
	if (stuck)
		os_warn("%s: %u grant(s) still mapped by dom%u after detach",
			pv->name, stuck, pv->be_domid);
}

static void pv_free(struct virtio_pv *pv)
{
	/* The driver is gone and the port unbound: nobody queues it again. */
	os_work_cancel_sync(&pv->reset_work);
	gnttab_close(pv->gt);
	xenbus_close(pv->xb);
	evtchn_close_all(pv->plat);
	os_completion_destroy(&pv->kick);
	os_completion_destroy(&pv->settled);
	os_mutex_destroy(&pv->sm_lock);
	os_free(pv);
}

int virtio_pv_attach(struct xen_plat *plat, unsigned devid,
		     const struct virtio_driver *drv,
		     const struct virtio_pv_opts *opts, struct virtio_pv **out)
{
	struct virtio_pv_opts o = opts ? *opts : (struct virtio_pv_opts){ 0 };
	struct virtio_pv *pv;
	uint64_t deadline;
	bool per_message;
	int ret;

	if (!drv || !drv->probe)
		return -EINVAL;
	pv = os_zalloc(sizeof(*pv));
	if (!pv)
		return -ENOMEM;
	pv->plat = plat;
	pv->drv = drv;
	pv->connect_timeout_ns = o.connect_timeout_ns ? o.connect_timeout_ns
						      : PV_TIMEOUT_NS;
	os_snprintf(pv->name, sizeof(pv->name), "virtio-pv/%u", devid);
	os_mutex_init(&pv->sm_lock);
	os_completion_init(&pv->kick);
	os_completion_init(&pv->settled);
	os_work_init(&pv->reset_work, pv_reset_work);
	pv->vdev.ops = &pv_dev_ops;
	pv->vdev.name = pv->name;
	pv->vdev.transport_priv = pv;
	pv->phase = PV_WAIT_BACKEND;
	pv->attaching = true;

	ret = evtchn_open(plat);
	if (ret)
		goto out_free;
	ret = xenbus_open(plat, &pv->xb);
	if (ret) {
		os_err("%s: no xenstore: %d", pv->name, ret);
		goto out_free;
	}
	if (o.xenstore_timeout_ns)
		xenbus_set_timeout(pv->xb, o.xenstore_timeout_ns);
	ret = pv_read_frontend(pv, devid);
	if (ret)
		goto out_free;
	pv->vdev.device_id = pv->device_id;
	if (drv->device_id != pv->device_id) {
		os_err("%s: device-id %u is not driver %s's (%u)", pv->name,
		       pv->device_id, drv->name, drv->device_id);
		ret = -ENODEV;
		goto out_free;
	}
	ret = gnttab_open(plat, &pv->gt);
	if (ret)
		goto out_free;
#ifdef CONFIG_GRANT_PER_MESSAGE
	per_message = o.grants != VIRTIO_PV_GRANTS_PERSISTENT;
#else
	per_message = o.grants == VIRTIO_PV_GRANTS_PER_MESSAGE;
#endif
	ret = gdma_create(pv->gt, pv->be_domid,
			  o.pool_pages ? o.pool_pages : CONFIG_GRANT_POOL_PAGES,
			  per_message, &pv->pool);
	if (ret)
		goto out_free;
	pv->per_message = per_message;

	/* A fresh start: drop leftovers of an earlier run, then Initialising. */
	pv_unpublish(pv, true);
	ret = pv_switch(pv, XenbusStateInitialising);
	if (ret)
		goto out_destroy;
	pv->be_watch.fn = pv_be_changed;
	pv->be_watch.priv = pv;
	ret = xenbus_watch(pv->xb, &pv->be_watch, pv->be_state_path);
	if (ret)
		goto out_destroy;

	/* Run the handshake here, woken by the watch, until settled. */
	deadline = os_now_ns() + pv->connect_timeout_ns;
	os_mutex_lock(&pv->sm_lock);
	for (;;) {
		uint64_t now;

		os_completion_reinit(&pv->kick);
		pv_step(pv);
		if (pv->phase == PV_CONNECTED || pv->phase == PV_FAILED)
			break;
		now = os_now_ns();
		if (now >= deadline) {
			pv_fail(pv, -ETIMEDOUT, pv_be_state(pv),
				"back-end did not connect in time");
			break;
		}
		os_mutex_unlock(&pv->sm_lock);
		os_completion_wait(&pv->kick, OS_MIN(deadline - now,
						     100 * OS_NSEC_PER_MSEC));
		os_mutex_lock(&pv->sm_lock);
	}
	pv->attaching = false;
	ret = pv->phase == PV_CONNECTED ? 0 : pv->err;
	os_mutex_unlock(&pv->sm_lock);
	if (ret) {
		pv->detaching = true;
		xenbus_unwatch(pv->xb, &pv->be_watch);
		goto out_destroy;
	}
	*out = pv;
	return 0;

out_destroy:
	os_mutex_lock(&pv->sm_lock);
	pv_teardown(pv);
	os_mutex_unlock(&pv->sm_lock);
out_free:
	gdma_destroy(pv->pool);
	pv_free(pv);
	return ret;
}

void virtio_pv_detach(struct virtio_pv *pv)
{
	if (!pv)
		return;
	os_mutex_lock(&pv->sm_lock);
	pv->detaching = true;
	os_mutex_unlock(&pv->sm_lock);
	/* No watch callback runs after this; it may need sm_lock to finish. */
	xenbus_unwatch(pv->xb, &pv->be_watch);
	os_mutex_lock(&pv->sm_lock);
	pv_teardown(pv);
	os_mutex_unlock(&pv->sm_lock);
	pv_free(pv);
}

int virtio_pv_reset(struct virtio_pv *pv)
{
	os_mutex_lock(&pv->sm_lock);
	if (pv->phase == PV_CLOSED || pv->detaching) {
		os_mutex_unlock(&pv->sm_lock);
		return -ENODEV;
	}
	if (pv->phase == PV_FAILED) {
		pv->phase = PV_WAIT_BACKEND;
		pv->refused = false;
		pv->status = 0;
		pv->err = 0;
		os_completion_reinit(&pv->settled);
		pv_switch(pv, XenbusStateInitialising);
	} else {
		pv_lose_backend(pv, XenbusStateUnknown);
	}
	pv_step(pv);
	os_mutex_unlock(&pv->sm_lock);
	return 0;
}

bool virtio_pv_connected(struct virtio_pv *pv)
{
	bool c;

	os_mutex_lock(&pv->sm_lock);
	c = pv->phase == PV_CONNECTED;
	os_mutex_unlock(&pv->sm_lock);
	return c;
}

int virtio_pv_wait_connected(struct virtio_pv *pv, uint64_t timeout_ns)
{
	uint64_t deadline = os_now_ns() + timeout_ns;

	for (;;) {
		uint64_t now = os_now_ns();
		enum pv_phase ph;
		int err;

		os_completion_wait(&pv->settled, deadline > now ? deadline - now : 0);
		os_mutex_lock(&pv->sm_lock);
		ph = pv->phase;
		err = pv->err;
		os_mutex_unlock(&pv->sm_lock);
		if (ph == PV_CONNECTED)
			return 0;
		if (ph == PV_FAILED || ph == PV_CLOSED)
			return err ? err : -ENODEV;
		if (os_now_ns() >= deadline)
			return -ETIMEDOUT;
		/* Settled by an earlier connection, not this one yet. */
		os_sleep_ns(OS_NSEC_PER_MSEC);
	}
}

uint8_t virtio_pv_status(struct virtio_pv *pv)
{
	uint8_t st;

	os_mutex_lock(&pv->sm_lock);
	st = pv->status;
	os_mutex_unlock(&pv->sm_lock);
	return st;
}

struct virtio_dev *virtio_pv_vdev(struct virtio_pv *pv)
{
	return &pv->vdev;
}

void virtio_pv_get_stats(struct virtio_pv *pv, struct virtio_pv_stats *st)
{
	struct gdma_stats gs = { 0 };
	struct gnttab_stats ts;

	if (pv->pool)
		gdma_get_stats(pv->pool, &gs);
	gnttab_get_stats(pv->gt, &ts);
	*st = (struct virtio_pv_stats){
		.grant_ops = gs.grant_ops,
		.grants = gs.grants,
		.ends = gs.ends,
		.end_busy = gs.end_busy,
		.evtchn_sends = atomic_load(&pv->kicks),
		.evtchn_events = atomic_load(&pv->events),
		.connects = pv->connects,
		.disconnects = pv->disconnects,
		.auto_resets = pv->auto_resets,
		.pages_ro = gs.pages_ro,
		.pages_rw = gs.pages_rw,
		.quarantined = (unsigned)ts.quarantined,
	};
}
