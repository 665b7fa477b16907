// SPDX-License-Identifier: GPL-2.0-only
/*
 * virtio-pv front-end for Linux: the virtio transport (virtio_config_ops).
 *
 * One struct vpv_vdev is registered per handshake with the back-end and
 * unregistered when the back-end goes away, so a driver always starts
 * from a freshly reset device. find_vqs creates the split rings in memory
 * granted to the back-end (virtio_pv_dma.c), allocates the event channel
 * and then publishes everything with state Initialised in one xenstore
 * transaction; del_vqs undoes it and writes Initialising again. Features
 * and config space come from the offer the state machine validated before
 * registering the device.
 */
#include <linux/interrupt.h>
#include <linux/slab.h>
#include <linux/virtio_config.h>
#include <linux/virtio_ring.h>
#include <xen/events.h>
#include <xen/xenbus.h>

#include "virtio_pv.h"

#define to_vpv(v) container_of(v, struct vpv_vdev, vdev)

/*
 * Transport features we pass through (docs/virtio-pv.md section 4): the
 * device-specific bits, EVENT_IDX, VERSION_1 and ACCESS_PLATFORM; never
 * INDIRECT_DESC or RING_PACKED.
 */
#define VPV_FEATURES_KEPT (GENMASK_ULL(23, 0) | BIT_ULL(VIRTIO_RING_F_EVENT_IDX) | \
			   BIT_ULL(VIRTIO_F_VERSION_1) | BIT_ULL(VIRTIO_F_ACCESS_PLATFORM))

/**
 * vpv_write_state() - write our xenbus state (always written, even when
 * unchanged: a rewrite is how a restarted back-end gets a watch event).
 * @front: the device
 * @state: the new state
 *
 * Return: 0 or a negative errno from xenstore.
 */
int vpv_write_state(struct vpv_front *front, enum xenbus_state state)
{
	int ret = xenbus_printf(XBT_NIL, front->xbdev->nodename, "state", "%d", state);

	if (!ret)
		front->xbdev->state = state;
	return ret;
}

static void vpv_get(struct virtio_device *vdev, unsigned int offset, void *buf,
		    unsigned int len)
{
	struct vpv_front *front = to_vpv(vdev)->front;

	if (offset > front->offer.config_len || len > front->offer.config_len - offset) {
		dev_warn_ratelimited(&vdev->dev, "config read %u+%u beyond %u bytes\n",
				     offset, len, front->offer.config_len);
		memset(buf, 0, len);
		return;
	}
	memcpy(buf, front->offer.config + offset, len);
}

static void vpv_set(struct virtio_device *vdev, unsigned int offset, const void *buf,
		    unsigned int len)
{
	/* Protocol version 1 has no way to write the device's config space. */
	dev_warn_ratelimited(&vdev->dev, "config write %u+%u ignored\n", offset, len);
}

static u32 vpv_generation(struct virtio_device *vdev)
{
	return 0;	/* the config space never changes while registered */
}

static u8 vpv_get_status(struct virtio_device *vdev)
{
	return to_vpv(vdev)->status;
}

static void vpv_set_status(struct virtio_device *vdev, u8 status)
{
	/* Status bits have no wire form: the handshake is in xenstore. */
	to_vpv(vdev)->status = status;
}

static void vpv_reset(struct virtio_device *vdev)
{
	/*
	 * The queues' grants bound what the back-end can touch; del_vqs ends
	 * them and unpublishes the rings. Nothing else to reset here.
	 */
	to_vpv(vdev)->status = 0;
}

static u64 vpv_get_features(struct virtio_device *vdev)
{
	return to_vpv(vdev)->front->offer.features & VPV_FEATURES_KEPT;
}

static int vpv_finalize_features(struct virtio_device *vdev)
{
	vring_transport_features(vdev);
	if (!__virtio_test_bit(vdev, VIRTIO_F_VERSION_1) ||
	    !__virtio_test_bit(vdev, VIRTIO_F_ACCESS_PLATFORM)) {
		dev_err(&vdev->dev, "VERSION_1 and ACCESS_PLATFORM are mandatory\n");
		return -ENODEV;
	}
	return 0;
}

static const char *vpv_bus_name(struct virtio_device *vdev)
{
	return dev_name(&to_vpv(vdev)->front->xbdev->dev);
}

/* Kick: one event means "look at every queue" (protocol section 5). */
static bool vpv_notify(struct virtqueue *vq)
{
	struct vpv_vdev *v = to_vpv(vq->vdev);

	/*
	 * The back-end sees the avail index before the event: the ring code
	 * wrote it, with its barrier, before calling us.
	 */
	notify_remote_via_evtchn(v->port);
	return true;
}

static irqreturn_t vpv_interrupt(int irq, void *data)
{
	struct vpv_vdev *v = data;
	irqreturn_t ret = IRQ_NONE;
	unsigned int i;

	for (i = 0; i < v->nvqs; i++)
		if (vring_interrupt(irq, v->vqs[i]) == IRQ_HANDLED)
			ret = IRQ_HANDLED;
	return ret;
}

static void vpv_synchronize_cbs(struct virtio_device *vdev)
{
	struct vpv_vdev *v = to_vpv(vdev);

	if (v->irq >= 0)
		synchronize_irq(v->irq);
}

/* Each ring area must lie inside one page (protocol section 5). */
static bool vpv_area_ok(dma_addr_t addr, size_t len)
{
	return (addr & VPV_DMA_GRANT_BIT) && (addr & ~PAGE_MASK) + len <= PAGE_SIZE;
}

/**
 * vpv_unpublish_keys() - remove every key we publish (not state, backend,
 * backend-id or device-id), for queues 0..@nvqs-1.
 * @xbt: the caller's transaction
 * @front: the device
 * @nvqs: queues whose keys to remove
 */
void vpv_unpublish_keys(struct xenbus_transaction xbt, struct vpv_front *front,
			unsigned int nvqs)
{
	const char *dir = front->xbdev->nodename;
	static const char * const keys[] = {
		"protocol-version", "features", "num-queues", "event-channel",
		"persistent-grants",
	};
	char node[24];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(keys); i++)
		xenbus_rm(xbt, dir, keys[i]);
	for (i = 0; i < nvqs; i++) {
		snprintf(node, sizeof(node), "queue-%u", i);
		xenbus_rm(xbt, dir, node);
	}
}

/* Our keys and state Initialised, in one transaction (retried on -EAGAIN). */
static int vpv_publish(struct vpv_vdev *v)
{
	struct vpv_front *front = v->front;
	const char *dir = front->xbdev->nodename;
	struct xenbus_transaction xbt;
	char node[32];
	unsigned int i;
	int ret, tries = 0;

again:
	ret = xenbus_transaction_start(&xbt);
	if (ret)
		return ret;
	ret = xenbus_printf(xbt, dir, "protocol-version", "%u", front->offer.version);
	ret = ret ?: xenbus_printf(xbt, dir, "features", "0x%llx",
				   (unsigned long long)v->vdev.features);
	ret = ret ?: xenbus_printf(xbt, dir, "num-queues", "%u", v->nvqs);
	for (i = 0; !ret && i < v->nvqs; i++) {
		struct virtqueue *vq = v->vqs[i];

		snprintf(node, sizeof(node), "queue-%u/size", i);
		ret = xenbus_printf(xbt, dir, node, "%u", virtqueue_get_vring_size(vq));
		snprintf(node, sizeof(node), "queue-%u/desc", i);
		ret = ret ?: xenbus_printf(xbt, dir, node, "0x%llx",
					   (unsigned long long)virtqueue_get_desc_addr(vq));
		snprintf(node, sizeof(node), "queue-%u/driver", i);
		ret = ret ?: xenbus_printf(xbt, dir, node, "0x%llx",
					   (unsigned long long)virtqueue_get_avail_addr(vq));
		snprintf(node, sizeof(node), "queue-%u/device", i);
		ret = ret ?: xenbus_printf(xbt, dir, node, "0x%llx",
					   (unsigned long long)virtqueue_get_used_addr(vq));
	}
	ret = ret ?: xenbus_printf(xbt, dir, "event-channel", "%u", v->port);
	/*
	 * Pool pages are granted for good and may stay mapped; per-message
	 * grants end at unmap, so the back-end must not keep those mappings.
	 */
	ret = ret ?: xenbus_printf(xbt, dir, "persistent-grants", "%d", front->pool ? 1 : 0);
	if (!ret)
		xenbus_rm(xbt, dir, "error");
	ret = ret ?: xenbus_printf(xbt, dir, "state", "%d", XenbusStateInitialised);
	if (ret) {
		xenbus_transaction_end(xbt, 1);
		return ret;
	}
	ret = xenbus_transaction_end(xbt, 0);
	if (ret == -EAGAIN && ++tries < VPV_XS_RETRIES)
		goto again;
	if (!ret)
		front->xbdev->state = XenbusStateInitialised;
	return ret;
}

/* Remove our keys and go back to Initialising, in one transaction. */
static void vpv_unpublish(struct vpv_vdev *v)
{
	struct vpv_front *front = v->front;
	struct xenbus_transaction xbt;
	int ret, tries = 0;

again:
	if (xenbus_transaction_start(&xbt))
		return;
	vpv_unpublish_keys(xbt, front, v->nvqs);
	ret = xenbus_printf(xbt, front->xbdev->nodename, "state", "%d",
			    XenbusStateInitialising);
	ret = xenbus_transaction_end(xbt, ret ? 1 : 0);
	if (ret == -EAGAIN && ++tries < VPV_XS_RETRIES)
		goto again;
	if (!ret)
		front->xbdev->state = XenbusStateInitialising;
}

static void vpv_del_vqs(struct virtio_device *vdev)
{
	struct vpv_vdev *v = to_vpv(vdev);
	unsigned int i;

	/* Unbinding closes our port: no more upcalls, the back-end's sends fail. */
	if (v->irq >= 0)
		unbind_from_irqhandler(v->irq, v);
	else if (v->port)
		xenbus_free_evtchn(v->front->xbdev, v->port);
	v->irq = -1;
	v->port = 0;
	/*
	 * Detaching from a live back-end: Closing first, so that it unmaps
	 * the rings before we end their grants (protocol section 3).
	 */
	if (v->published && v->front->closing)
		vpv_close_handshake(v->front);
	for (i = 0; i < v->nvqs; i++)
		vring_del_virtqueue(v->vqs[i]);
	vpv_dma_revoke_all(v->front);
	/* Detaching or giving up: the caller writes Closing/Closed itself. */
	if (v->published && !v->front->closing)
		vpv_unpublish(v);
	v->published = false;
	v->nvqs = 0;
}

static int vpv_find_vqs(struct virtio_device *vdev, unsigned int nvqs,
			struct virtqueue *vqs[], vq_callback_t *callbacks[],
			const char * const names[], const bool *ctx,
			struct irq_affinity *desc)
{
	struct vpv_vdev *v = to_vpv(vdev);
	struct vpv_front *front = v->front;
	unsigned int i, num;
	int ret;

	if (!nvqs || nvqs > front->offer.max_queues || nvqs > VPV_MAX_QUEUES) {
		dev_err(&vdev->dev, "%u queues requested, the back-end offers %u\n",
			nvqs, front->offer.max_queues);
		return -ENOENT;
	}
	num = min_t(unsigned int, front->offer.max_queue_size, VPV_QUEUE_SIZE_CAP);
	v->irq = -1;
	for (i = 0; i < nvqs; i++) {
		struct virtqueue *vq;
		unsigned int n;

		/* Queues count from 0 without gaps: no unnamed (unused) queues. */
		if (!names[i]) {
			ret = -EINVAL;
			goto out_del;
		}
		vq = vring_create_virtqueue(i, num, SMP_CACHE_BYTES, vdev, true, true,
					    ctx ? ctx[i] : false, vpv_notify,
					    callbacks[i], names[i]);
		if (!vq) {
			ret = -ENOMEM;
			goto out_del;
		}
		v->vqs[v->nvqs++] = vq;
		vqs[i] = vq;
		n = virtqueue_get_vring_size(vq);
		if (!vpv_area_ok(virtqueue_get_desc_addr(vq), 16 * n) ||
		    !vpv_area_ok(virtqueue_get_avail_addr(vq), 6 + 2 * n) ||
		    !vpv_area_ok(virtqueue_get_used_addr(vq), 6 + 8 * n)) {
			dev_err(&vdev->dev, "queue %u: a ring area crosses a page\n", i);
			ret = -EINVAL;
			goto out_del;
		}
	}

	ret = xenbus_alloc_evtchn(front->xbdev, &v->port);
	if (ret)
		goto out_del;
	ret = bind_evtchn_to_irqhandler(v->port, vpv_interrupt, 0, "virtio-pv", v);
	if (ret < 0)
		goto out_del;
	v->irq = ret;

	ret = vpv_publish(v);
	if (ret) {
		dev_err(&vdev->dev, "cannot publish the rings in xenstore: %d\n", ret);
		goto out_del;
	}
	v->published = true;
	dev_info(&front->xbdev->dev, "%u queue(s) of %u, event channel %u: Initialised\n",
		 v->nvqs, num, v->port);
	return 0;

out_del:
	vpv_del_vqs(vdev);
	return ret;
}

static const struct virtio_config_ops vpv_config_ops = {
	.get = vpv_get,
	.set = vpv_set,
	.generation = vpv_generation,
	.get_status = vpv_get_status,
	.set_status = vpv_set_status,
	.reset = vpv_reset,
	.find_vqs = vpv_find_vqs,
	.del_vqs = vpv_del_vqs,
	.synchronize_cbs = vpv_synchronize_cbs,
	.get_features = vpv_get_features,
	.finalize_features = vpv_finalize_features,
	.bus_name = vpv_bus_name,
};

static void vpv_vdev_release(struct device *dev)
{
	kfree(to_vpv(dev_to_virtio(dev)));
}

/**
 * vpv_vdev_register() - register a fresh virtio device for front->offer.
 * @front: the device; caller holds front->lock
 *
 * A driver that binds runs find_vqs, which publishes the rings.
 *
 * Return: 0 or a negative errno.
 */
int vpv_vdev_register(struct vpv_front *front)
{
	struct vpv_vdev *v;
	int ret;

	v = kzalloc(sizeof(*v), GFP_KERNEL);
	if (!v)
		return -ENOMEM;
	v->front = front;
	v->irq = -1;
	v->vdev.dev.parent = &front->xbdev->dev;
	v->vdev.dev.release = vpv_vdev_release;
	v->vdev.config = &vpv_config_ops;
	v->vdev.id.device = front->device_id;
	v->vdev.id.vendor = 0;
	front->vdev = v;
	ret = register_virtio_device(&v->vdev);
	if (ret) {
		front->vdev = NULL;
		put_device(&v->vdev.dev);
	}
	return ret;
}

/**
 * vpv_vdev_unregister() - unregister the current virtio device: its driver
 * is removed (deleting the queues) and every grant ends.
 * @front: the device; caller holds front->lock
 */
void vpv_vdev_unregister(struct vpv_front *front)
{
	struct vpv_vdev *v = front->vdev;

	if (!v)
		return;
	unregister_virtio_device(&v->vdev);
	/* A driver that never bound left nothing published. */
	front->vdev = NULL;
}
