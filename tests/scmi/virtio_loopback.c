// SPDX-License-Identifier: MIT
/*
 * The loopback virtio transport for tests (see virtio_loopback.h): driver
 * queues and device queues on the same rings, identity DMA, a device thread.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <vscmi/os.h>
#include <vscmi/scmi.h>
#include <vscmi/scmi_wire.h>
#include <vscmi/virtio.h>

#include "virtio_loopback.h"

#define VLOOP_LOG 4096
#define VLOOP_MAX 16

struct vloop_q {
	struct virtq *drv;
	struct virtq_dev *dev;
	void *desc, *avail, *used;
	size_t desc_pages, avail_pages, used_pages;
};

struct vloop {
	struct virtio_dev vdev;
	struct vloop_config cfg;
	unsigned nq;
	struct vloop_q q[2];

	pthread_mutex_t lock;		/* device queues, doorbell, log */
	pthread_cond_t cv;
	unsigned doorbell, seen;
	bool stop, ready, irq;
	pthread_t thread;

	vloop_handler handler;
	void *handler_priv;

	void *log[VLOOP_LOG];
	unsigned nreqs;
};

/* Driver queue -> loopback, for notify (its priv is the driver's). */
static pthread_mutex_t vloops_lock = PTHREAD_MUTEX_INITIALIZER;
static struct vloop *vloops[VLOOP_MAX];

static struct vloop *vloop_of_vq(struct virtq *vq, unsigned *qi)
{
	struct vloop *found = NULL;

	pthread_mutex_lock(&vloops_lock);
	for (unsigned i = 0; i < VLOOP_MAX && !found; i++) {
		struct vloop *vl = vloops[i];

		for (unsigned j = 0; vl && j < 2; j++) {
			if (vl->q[j].drv == vq) {
				found = vl;
				*qi = j;
			}
		}
	}
	pthread_mutex_unlock(&vloops_lock);
	return found;
}

static void vloop_notify(struct virtq *vq, void *priv)
{
	unsigned qi = 0;
	struct vloop *vl = vloop_of_vq(vq, &qi);

	if (!vl || qi != VIRTIO_SCMI_VQ_TX)
		return;		/* eventq kicks: buffers are popped on demand */
	pthread_mutex_lock(&vl->lock);
	vl->doorbell++;
	pthread_cond_broadcast(&vl->cv);
	pthread_mutex_unlock(&vl->lock);
}

static void *vloop_translate(void *ctx, uint64_t dma, uint32_t len, bool write)
{
	return dma ? (void *)(uintptr_t)dma : NULL;
}

static const struct virtq_mem_ops vloop_mem = { .translate = vloop_translate };

/* Interrupt the driver on queue @qi if the device side says so. */
static void vloop_irq(struct vloop *vl, unsigned qi, bool need)
{
	struct virtq *drv;
	bool irq;

	pthread_mutex_lock(&vl->lock);
	drv = vl->q[qi].drv;
	irq = vl->irq && vl->ready;
	pthread_mutex_unlock(&vl->lock);
	if (need && irq && drv)
		virtq_interrupt(drv);
}

int vloop_reply(struct vloop *vl, struct vloop_req *req, const void *bytes,
		size_t len)
{
	struct virtq_dev *dq;
	size_t w;
	bool need = false;
	int ret = -ENODEV;

	pthread_mutex_lock(&vl->lock);
	dq = vl->q[VIRTIO_SCMI_VQ_TX].dev;
	if (dq) {
		w = virtq_dev_write(&req->chain, 0, bytes, len);
		ret = virtq_dev_push(dq, req->chain.head, (uint32_t)w);
		need = virtq_dev_need_interrupt(dq);
	}
	pthread_mutex_unlock(&vl->lock);
	free(req);
	vloop_irq(vl, VIRTIO_SCMI_VQ_TX, need);
	return ret;
}

int vloop_reply_status(struct vloop *vl, struct vloop_req *req, int32_t status,
		       const void *payload, size_t len)
{
	uint8_t buf[8 + 4096];

	if (len > 4096)
		abort();
	scmi_put_le32(buf, req->hdr);
	scmi_put_le32(buf + 4, (uint32_t)status);
	if (len)
		memcpy(buf + 8, payload, len);
	return vloop_reply(vl, req, buf, 8 + len);
}

void vloop_drop(struct vloop *vl, struct vloop_req *req)
{
	free(req);
}

int vloop_p2a(struct vloop *vl, const void *bytes, size_t len)
{
	struct virtq_dev_chain chain;
	struct virtq_dev *dq;
	bool need = false;
	int ret;

	pthread_mutex_lock(&vl->lock);
	dq = vl->nq > 1 ? vl->q[VIRTIO_SCMI_VQ_RX].dev : NULL;
	if (!dq || !vl->ready) {
		pthread_mutex_unlock(&vl->lock);
		return -ENODEV;
	}
	ret = virtq_dev_pop(dq, &chain);
	if (ret == 1) {
		size_t w = virtq_dev_write(&chain, 0, bytes, len);

		ret = virtq_dev_push(dq, chain.head, (uint32_t)w);
		need = virtq_dev_need_interrupt(dq);
	} else if (ret == 0) {
		ret = -ENOSPC;
	}
	pthread_mutex_unlock(&vl->lock);
	vloop_irq(vl, VIRTIO_SCMI_VQ_RX, need);
	return ret;
}

void vloop_set_irq(struct vloop *vl, bool on)
{
	pthread_mutex_lock(&vl->lock);
	vl->irq = on;
	pthread_mutex_unlock(&vl->lock);
	if (on) {
		vloop_irq(vl, VIRTIO_SCMI_VQ_TX, true);
		vloop_irq(vl, VIRTIO_SCMI_VQ_RX, true);
	}
}

static void *vloop_thread(void *arg)
{
	struct vloop *vl = arg;

	pthread_mutex_lock(&vl->lock);
	while (!vl->stop) {
		struct vloop_req *reqs[64];
		unsigned n = 0;
		struct virtq_dev *dq = vl->q[VIRTIO_SCMI_VQ_TX].dev;

		if (vl->seen == vl->doorbell || !dq) {
			pthread_cond_wait(&vl->cv, &vl->lock);
			continue;
		}
		vl->seen = vl->doorbell;
		while (n < 64) {
			struct virtq_dev_chain c;
			struct vloop_req *r;

			if (virtq_dev_pop(dq, &c) != 1) {
				/* Ask for the next kick; a buffer that raced
				 * with that is popped now. */
				if (virtq_dev_enable_notify(dq))
					break;
				continue;
			}
			r = calloc(1, sizeof(*r));
			if (!r)
				abort();
			r->chain = c;
			if (c.nseg > 8)
				abort();
			memcpy(r->segs, c.seg, c.nseg * sizeof(c.seg[0]));
			r->chain.seg = r->segs;
			r->len = virtq_dev_read(&r->chain, 0, r->data, sizeof(r->data));
			r->hdr = r->len >= 4 ? scmi_get_le32(r->data) : 0;
			r->req_addr = c.n_out ? c.seg[0].addr : NULL;
			r->resp_cap = c.in_len;
			vl->log[vl->nreqs % VLOOP_LOG] = r->req_addr;
			vl->nreqs++;
			reqs[n++] = r;
		}
		if (n == 64)
			vl->doorbell++;	/* more may be there: come back */
		pthread_mutex_unlock(&vl->lock);
		for (unsigned i = 0; i < n; i++) {
			if (vl->handler)
				vl->handler(vl, reqs[i], vl->handler_priv);
			else
				vloop_reply_status(vl, reqs[i], SCMI_NOT_SUPPORTED, NULL, 0);
		}
		pthread_mutex_lock(&vl->lock);
	}
	pthread_mutex_unlock(&vl->lock);
	return NULL;
}

/* ---- virtio_dev_ops ---- */

static struct vloop *to_vl(struct virtio_dev *dev)
{
	return dev->transport_priv;
}

static uint64_t vl_get_features(struct virtio_dev *dev)
{
	return to_vl(dev)->cfg.features;
}

static int vl_finalize_features(struct virtio_dev *dev, uint64_t f)
{
	struct vloop *vl = to_vl(dev);

	if (f & ~vl->cfg.features)
		return -EINVAL;
	dev->features = f;
	return 0;
}

static int vl_get_config(struct virtio_dev *dev, unsigned off, void *buf,
			 unsigned len)
{
	return -EINVAL;
}

static unsigned vl_max_queue_size(struct virtio_dev *dev, unsigned index)
{
	return to_vl(dev)->cfg.qsize;
}

static void vl_free_q(struct vloop_q *q)
{
	virtq_destroy(q->drv);
	virtq_dev_destroy(q->dev);
	if (q->desc)
		os_free_pages(q->desc, q->desc_pages);
	if (q->avail)
		os_free_pages(q->avail, q->avail_pages);
	if (q->used)
		os_free_pages(q->used, q->used_pages);
	memset(q, 0, sizeof(*q));
}

static void vl_del_vqs(struct virtio_dev *dev)
{
	struct vloop *vl = to_vl(dev);
	struct vloop_q q[2];

	pthread_mutex_lock(&vl->lock);
	memcpy(q, vl->q, sizeof(q));
	memset(vl->q, 0, sizeof(vl->q));
	vl->nq = 0;
	vl->ready = false;
	pthread_mutex_unlock(&vl->lock);
	vl_free_q(&q[0]);
	vl_free_q(&q[1]);
}

static int vl_find_vqs(struct virtio_dev *dev, unsigned nvqs, unsigned size,
		       struct virtq **vqs, const struct virtio_vq_info *info)
{
	struct vloop *vl = to_vl(dev);
	struct vloop_q q[2];
	int ret = 0;

	if (nvqs > 2)
		return -EINVAL;
	if (!size)
		size = vl->cfg.qsize;
	if (size > vl->cfg.qsize)
		return -EINVAL;
	memset(q, 0, sizeof(q));
	for (unsigned i = 0; i < nvqs && !ret; i++) {
		q[i].desc_pages = OS_DIV_ROUND_UP(virtq_desc_area_size(size), OS_PAGE_SIZE);
		q[i].avail_pages = OS_DIV_ROUND_UP(virtq_avail_area_size(size), OS_PAGE_SIZE);
		q[i].used_pages = OS_DIV_ROUND_UP(virtq_used_area_size(size), OS_PAGE_SIZE);
		q[i].desc = os_alloc_pages(q[i].desc_pages);
		q[i].avail = os_alloc_pages(q[i].avail_pages);
		q[i].used = os_alloc_pages(q[i].used_pages);
		if (!q[i].desc || !q[i].avail || !q[i].used) {
			ret = -ENOMEM;
			break;
		}
		struct virtq_config c = {
			.name = info[i].name,
			.num = size,
			.desc = q[i].desc, .avail = q[i].avail, .used = q[i].used,
			.event_idx = vl->cfg.event_idx,
			.dma = &virtq_dma_identity,
			.notify = vloop_notify,
			.callback = info[i].callback,
			.priv = info[i].priv,
		};
		ret = virtq_create(&c, &q[i].drv);
		if (ret)
			break;
		struct virtq_dev_config dc = {
			.name = info[i].name,
			.num = size,
			.desc = (uintptr_t)q[i].desc,
			.avail = (uintptr_t)q[i].avail,
			.used = (uintptr_t)q[i].used,
			.event_idx = vl->cfg.event_idx,
			.mem = &vloop_mem,
		};
		ret = virtq_dev_create(&dc, &q[i].dev);
	}
	if (ret) {
		vl_free_q(&q[0]);
		vl_free_q(&q[1]);
		return ret;
	}
	pthread_mutex_lock(&vl->lock);
	memcpy(vl->q, q, sizeof(q));
	vl->nq = nvqs;
	pthread_mutex_unlock(&vl->lock);
	for (unsigned i = 0; i < nvqs; i++)
		vqs[i] = q[i].drv;
	return 0;
}

static int vl_ready(struct virtio_dev *dev)
{
	struct vloop *vl = to_vl(dev);

	pthread_mutex_lock(&vl->lock);
	vl->ready = true;
	vl->doorbell++;		/* look at what was queued before DRIVER_OK */
	pthread_cond_broadcast(&vl->cv);
	pthread_mutex_unlock(&vl->lock);
	return 0;
}

static void *vl_dma_alloc(struct virtio_dev *dev, size_t size)
{
	return calloc(1, size);
}

static void vl_dma_free(struct virtio_dev *dev, void *p, size_t size)
{
	free(p);
}

static const struct virtio_dev_ops vl_ops = {
	.get_features = vl_get_features,
	.finalize_features = vl_finalize_features,
	.get_config = vl_get_config,
	.max_queue_size = vl_max_queue_size,
	.find_vqs = vl_find_vqs,
	.del_vqs = vl_del_vqs,
	.ready = vl_ready,
	.dma_alloc = vl_dma_alloc,
	.dma_free = vl_dma_free,
};

struct vloop *vloop_create(const struct vloop_config *cfg)
{
	struct vloop *vl = calloc(1, sizeof(*vl));

	if (!vl)
		return NULL;
	if (cfg)
		vl->cfg = *cfg;
	if (!vl->cfg.features)
		vl->cfg.features = VIRTIO_BIT(VIRTIO_F_VERSION_1) |
				   VIRTIO_BIT(VIRTIO_SCMI_F_P2A_CHANNELS);
	if (!vl->cfg.qsize)
		vl->cfg.qsize = 16;
	vl->irq = true;
	vl->vdev.ops = &vl_ops;
	vl->vdev.device_id = VIRTIO_ID_SCMI;
	vl->vdev.name = "vloop";
	vl->vdev.transport_priv = vl;
	pthread_mutex_init(&vl->lock, NULL);
	pthread_cond_init(&vl->cv, NULL);
	pthread_mutex_lock(&vloops_lock);
	for (unsigned i = 0; i < VLOOP_MAX; i++) {
		if (!vloops[i]) {
			vloops[i] = vl;
			break;
		}
	}
	pthread_mutex_unlock(&vloops_lock);
	pthread_create(&vl->thread, NULL, vloop_thread, vl);
	return vl;
}

void vloop_destroy(struct vloop *vl)
{
	if (!vl)
		return;
	pthread_mutex_lock(&vl->lock);
	vl->stop = true;
	pthread_cond_broadcast(&vl->cv);
	pthread_mutex_unlock(&vl->lock);
	pthread_join(vl->thread, NULL);
	pthread_mutex_lock(&vloops_lock);
	for (unsigned i = 0; i < VLOOP_MAX; i++)
		if (vloops[i] == vl)
			vloops[i] = NULL;
	pthread_mutex_unlock(&vloops_lock);
	vl_del_vqs(&vl->vdev);
	pthread_cond_destroy(&vl->cv);
	pthread_mutex_destroy(&vl->lock);
	free(vl);
}

struct virtio_dev *vloop_dev(struct vloop *vl)
{
	return &vl->vdev;
}

void vloop_set_handler(struct vloop *vl, vloop_handler fn, void *priv)
{
	pthread_mutex_lock(&vl->lock);
	vl->handler = fn;
	vl->handler_priv = priv;
	pthread_mutex_unlock(&vl->lock);
}

int vloop_restart(struct vloop *vl)
{
	scmi_virtio_driver.disconnect(&vl->vdev);
	vl_del_vqs(&vl->vdev);
	return scmi_virtio_driver.restore(&vl->vdev);
}

unsigned vloop_nreqs(struct vloop *vl)
{
	unsigned n;

	pthread_mutex_lock(&vl->lock);
	n = vl->nreqs;
	pthread_mutex_unlock(&vl->lock);
	return n;
}

void *vloop_req_addr(struct vloop *vl, unsigned i)
{
	void *p = NULL;

	pthread_mutex_lock(&vl->lock);
	if (i < vl->nreqs && vl->nreqs - i <= VLOOP_LOG)
		p = vl->log[i % VLOOP_LOG];
	pthread_mutex_unlock(&vl->lock);
	return p;
}

bool vloop_is_ready(struct vloop *vl)
{
	bool r;

	pthread_mutex_lock(&vl->lock);
	r = vl->ready;
	pthread_mutex_unlock(&vl->lock);
	return r;
}
