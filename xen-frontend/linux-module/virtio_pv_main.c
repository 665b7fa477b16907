// SPDX-License-Identifier: GPL-2.0-only
/*
 * virtio-pv front-end for Linux: the xenbus driver and its state machine.
 *
 * Theory of operation
 *
 * A virtio-pv device (docs/virtio-pv.md of the vscmi project) is a virtio
 * 1.x device whose rings and buffers live in guest pages granted to the
 * back-end domain and whose notifications are one interdomain event
 * channel; the two sides meet in xenstore. This module binds the xenbus
 * devices of type "virtio-pv" and turns each into a Linux virtio device,
 * so an unmodified virtio driver (here: the kernel's virtio-scmi agent,
 * drivers/firmware/arm_scmi/virtio.c) runs over it.
 *
 * Four files below this one: virtio_pv_offer.c reads and validates what
 * the back-end offers, virtio_pv_vdev.c is the virtio transport (features,
 * status, find_vqs/del_vqs, publishing the rings), virtio_pv_dma.c gives
 * the virtio device's parent (the xenbus device) DMA ops producing
 * grant-DMA addresses: rings in pages granted when allocated, buffers
 * bounced through a pool of pages granted once (virtio_pv_pool.c,
 * persistent grants) or, with persistent_grants=0, granted one by one.
 *
 * The state machine runs in one work item (vpv_work), queued by every
 * change in the back-end's directory; it re-reads the back-end's state,
 * since watches coalesce and only the value counts:
 *
 *   Initialising --(back-end InitWait, offer valid)--> register a virtio
 *     device; its driver's find_vqs publishes the rings -> Initialised
 *   Initialised --(back-end Connected)--> Connected
 *   Initialised --(back-end InitWait again)--> rewrite Initialised
 *   Connected/Initialised --(back-end any other state, no error node)-->
 *     back-end reset: break the queues (new requests fail at once), then
 *     unregister the virtio device (its driver is removed; requests in
 *     flight end by the driver's timeout), unpublish, Initialising;
 *     connect again as soon as the back-end is in InitWait
 *   Connected/Initialised --(back-end Closing/Closed with error node)-->
 *     give up: unregister, copy the reason into our error node, Closed;
 *     rebinding the driver (or reloading the module) tries again
 *
 * A fresh virtio device per handshake means a driver never sees a ring
 * whose indices the new back-end does not know. Because the 6.1 SCMI core
 * is not re-probed when its virtio device comes back (its device link to
 * the old one was removed), the module re-attaches the "arm,scmi-virtio"
 * platform device and its protocol devices after a reconnection
 * (vpv_consumer_work).
 *
 * Detach (driver unbind, device removal): unregister the virtio device
 * while the back-end still serves (the driver's teardown may talk to it);
 * its del_vqs closes the port, writes Closing and waits up to 3 s for the
 * back-end to close before the rings' grants end; then our keys go and
 * Closed is written. Grants the back-end still maps are deferred by the
 * grant table with a reference on their page, never reused while mapped.
 */
#include <linux/delay.h>
#include <linux/dma-map-ops.h>
#include <linux/jiffies.h>
#include <linux/module.h>
#include <linux/of.h>
#include <linux/of_platform.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <linux/virtio_ids.h>
#include <xen/page.h>
#include <xen/xen.h>
#include <xen/xenbus.h>

#include "virtio_pv.h"

static bool persistent_grants = true;
module_param(persistent_grants, bool, 0444);
MODULE_PARM_DESC(persistent_grants,
		 "bounce buffers through pages granted once (default) instead of granting each buffer");

/* Log a refusal once per distinct reason; write it into our error node. */
static void vpv_refuse(struct vpv_front *front, int err, const char *why)
{
	if (err != front->last_err || why != front->last_why)
		dev_err(&front->xbdev->dev, "refusing the back-end's offer: %s: error %d\n",
			why, err);
	front->last_err = err;
	front->last_why = why;
	xenbus_printf(XBT_NIL, front->xbdev->nodename, "error",
		      "refused the back-end's offer: %s: error %d", why, err);
}

/*
 * The back-end is gone or reset: nothing will use the rings again. Break
 * the queues first, so that what the driver sends while it is removed
 * fails at once (-EIO) instead of waiting for its own timeout (60 s for
 * virtio-scmi). Requests already in flight still end by that timeout.
 */
static void vpv_break(struct vpv_front *front)
{
	if (front->vdev)
		virtio_break_device(&front->vdev->vdev);
}

/* Tear the device down after a back-end reset; we are Initialising after. */
static void vpv_reset(struct vpv_front *front)
{
	vpv_break(front);
	/* del_vqs unpublishes and writes Initialising when it had published. */
	vpv_vdev_unregister(front);
	if (front->xbdev->state != XenbusStateInitialising)
		vpv_write_state(front, XenbusStateInitialising);
	front->fe_state = VPV_FE_INITIALISING;
}

/* Remove our keys, write @error (if any) and state @state in one transaction. */
static void vpv_close_keys(struct vpv_front *front, const char *error,
			   enum xenbus_state state)
{
	const char *dir = front->xbdev->nodename;
	struct xenbus_transaction xbt;
	int ret, tries = 0;

again:
	if (xenbus_transaction_start(&xbt))
		return;
	vpv_unpublish_keys(xbt, front, front->offer.max_queues);
	ret = error ? xenbus_printf(xbt, dir, "error", "%s", error) : 0;
	ret = ret ?: xenbus_printf(xbt, dir, "state", "%d", state);
	ret = xenbus_transaction_end(xbt, ret ? 1 : 0);
	if (ret == -EAGAIN && ++tries < VPV_XS_RETRIES)
		goto again;
	if (!ret)
		front->xbdev->state = state;
}

/* The back-end gave up on the device (its error node, then Closing). */
static void vpv_give_up(struct vpv_front *front)
{
	char reason[VPV_MAX_ERROR], msg[VPV_MAX_ERROR + 32];

	if (vpv_copy_error(front->xbdev->otherend, reason, sizeof(reason)))
		strscpy(reason, "no reason given", sizeof(reason));
	dev_err(&front->xbdev->dev, "the back-end gave up on the device: %s\n", reason);
	front->closing = true;
	vpv_break(front);
	vpv_vdev_unregister(front);
	front->closing = false;
	snprintf(msg, sizeof(msg), "back-end gave up: %s", reason);
	vpv_close_keys(front, msg, XenbusStateClosed);
	front->fe_state = VPV_FE_CLOSED;
}

/* Validate the offer and register a virtio device for it. */
static void vpv_connect(struct vpv_front *front)
{
	const char *why;
	int ret;

	ret = vpv_read_offer(front, &front->offer, &why);
	if (ret) {
		vpv_refuse(front, ret, why);
		return;
	}
	front->last_err = 0;
	ret = vpv_vdev_register(front);
	if (ret) {
		vpv_refuse(front, ret, "registering the virtio device");
		return;
	}
	if (front->vdev->published)
		front->fe_state = VPV_FE_INITIALISED;
	else
		dev_warn(&front->xbdev->dev,
			 "virtio device %u registered, but no driver set up its queues\n",
			 front->device_id);
}

/*
 * One step of the state machine. Caller holds front->lock. Returns true
 * when the step changed our state and the next one may act at once.
 */
static bool vpv_step(struct vpv_front *front)
{
	const char *be_dir = front->xbdev->otherend;
	enum xenbus_state be;
	bool gave_up;

	if (vpv_read_state(be_dir, &be))
		be = XenbusStateUnknown;	/* missing, malformed or vanished */
	gave_up = (be == XenbusStateClosing || be == XenbusStateClosed) &&
		  xenbus_exists(XBT_NIL, be_dir, "error");
	/* A driver that bound late published its queues outside this worker. */
	if (front->fe_state == VPV_FE_INITIALISING && front->vdev && front->vdev->published)
		front->fe_state = VPV_FE_INITIALISED;

	switch (front->fe_state) {
	case VPV_FE_CLOSED:
		return false;
	case VPV_FE_INITIALISING:
		if (be != XenbusStateInitWait) {
			if (front->vdev)
				vpv_reset(front);
			return false;
		}
		if (!front->vdev)
			vpv_connect(front);
		return false;
	case VPV_FE_INITIALISED:
		if (gave_up) {
			vpv_give_up(front);
			return false;
		}
		if (be == XenbusStateInitWait) {
			/* A back-end that restarted in between needs a watch event. */
			vpv_write_state(front, XenbusStateInitialised);
			return false;
		}
		if (be == XenbusStateConnected) {
			if (vpv_write_state(front, XenbusStateConnected))
				return false;	/* retried on the next event */
			front->fe_state = VPV_FE_CONNECTED;
			dev_info(&front->xbdev->dev,
				 "connected to domain %u: virtio device %u, features 0x%llx\n",
				 front->be_domid, front->device_id,
				 (unsigned long long)front->vdev->vdev.features);
			schedule_work(&front->consumer_work);
			return false;
		}
		dev_info(&front->xbdev->dev, "back-end %s before connecting: resetting\n",
			 xenbus_strstate(be));
		vpv_reset(front);
		return true;
	case VPV_FE_CONNECTED:
		if (be == XenbusStateConnected)
			return false;
		if (gave_up) {
			vpv_give_up(front);
			return false;
		}
		dev_info(&front->xbdev->dev, "back-end %s: resetting the virtio device\n",
			 xenbus_strstate(be));
		vpv_reset(front);
		return true;
	}
	return false;
}

static void vpv_work(struct work_struct *work)
{
	struct vpv_front *front = container_of(work, struct vpv_front, work);
	int pass;

	mutex_lock(&front->lock);
	/* Bounded: a reset may be followed by a connect, nothing more. */
	for (pass = 0; pass < 3 && !front->removing; pass++)
		if (!vpv_step(front))
			break;
	mutex_unlock(&front->lock);
}

/* Bind a driver to an SCMI protocol device left unbound by a reset. */
static int vpv_attach_child(struct device *dev, void *unused)
{
	if (!dev->driver && device_attach(dev) < 0)
		dev_warn(dev, "re-probe failed\n");
	return 0;
}

/*
 * Linux 6.1's SCMI core (the "arm,scmi-virtio" platform device) is unbound
 * when its virtio device goes away and is not probed again when a new one
 * binds; attach it again. Its protocol devices (children: clk, hwmon,
 * regulator...) survive its removal unbound, and a new probe finds them
 * existing and does not register them again: attach their drivers too.
 * The first time, deferred probing does all of it.
 */
static void vpv_consumer_work(struct work_struct *work)
{
	struct vpv_front *front = container_of(work, struct vpv_front, consumer_work);
	struct platform_device *pdev;
	struct device_node *np;
	int ret;

	if (front->device_id != VIRTIO_ID_SCMI)
		return;
	np = of_find_compatible_node(NULL, NULL, "arm,scmi-virtio");
	if (!np)
		return;
	pdev = of_find_device_by_node(np);
	of_node_put(np);
	if (!pdev)
		return;
	if (!pdev->dev.driver) {
		ret = device_attach(&pdev->dev);
		if (ret > 0)
			device_for_each_child(&pdev->dev, NULL, vpv_attach_child);
		dev_info(&front->xbdev->dev, "SCMI node %pOF: re-probed (%d)\n",
			 pdev->dev.of_node, ret);
	}
	put_device(&pdev->dev);
}

/* A grant could not be ended: stop the device from using its queues. */
static void vpv_break_work(struct work_struct *work)
{
	struct vpv_front *front = container_of(work, struct vpv_front, break_work);

	mutex_lock(&front->lock);
	if (front->vdev)
		virtio_break_device(&front->vdev->vdev);
	mutex_unlock(&front->lock);
}

static void vpv_otherend_changed(struct xenbus_device *xbdev, enum xenbus_state state)
{
	struct vpv_front *front = dev_get_drvdata(&xbdev->dev);

	/* The worker re-reads the state itself: only the value counts. */
	queue_work(system_long_wq, &front->work);
}

static int vpv_probe(struct xenbus_device *xbdev, const struct xenbus_device_id *id)
{
	struct vpv_front *front;
	int ret;

	front = kzalloc(sizeof(*front), GFP_KERNEL);
	if (!front)
		return -ENOMEM;
	front->xbdev = xbdev;
	mutex_init(&front->lock);
	INIT_WORK(&front->work, vpv_work);
	INIT_WORK(&front->consumer_work, vpv_consumer_work);
	INIT_WORK(&front->break_work, vpv_break_work);
	xa_init_flags(&front->grants, XA_FLAGS_LOCK_IRQ);
	front->fe_state = VPV_FE_INITIALISING;
	front->offer.max_queues = VPV_MAX_QUEUES;	/* for key removal only */

	ret = vpv_check_paths(front);
	if (ret) {
		dev_err(&xbdev->dev, "%s: backend, backend-id or device-id invalid: %d\n",
			xbdev->nodename, ret);
		xenbus_printf(XBT_NIL, xbdev->nodename, "error",
			      "backend, backend-id or device-id invalid: %d", ret);
		kfree(front);
		return ret;
	}
	if (persistent_grants) {
		front->pool = vpv_pool_create(front, VPV_POOL_PAGES);
		if (!front->pool)
			dev_warn(&xbdev->dev, "no grant pool: granting each buffer instead\n");
	}
	dev_set_drvdata(&xbdev->dev, front);
	xbdev->dev.coherent_dma_mask = DMA_BIT_MASK(64);
	xbdev->dev.dma_mask = &xbdev->dev.coherent_dma_mask;
	set_dma_ops(&xbdev->dev, &vpv_dma_ops);

	/* Start clean: keys a previous instance left, then Initialising. */
	vpv_close_keys(front, NULL, XenbusStateInitialising);
	xenbus_rm(XBT_NIL, xbdev->nodename, "error");
	dev_info(&xbdev->dev, "virtio-pv device %u (virtio id %u), back-end domain %u, %s grants\n",
		 front->devid, front->device_id, front->be_domid,
		 front->pool ? "persistent" : "per-message");
	/* The core watches the back-end after this returns; the watch fires at once. */
	return 0;
}

/**
 * vpv_close_handshake() - write Closing and wait (bounded) for the
 * back-end to reach Closing or Closed, or to vanish. Once per detach.
 * @front: the device
 */
void vpv_close_handshake(struct vpv_front *front)
{
	unsigned long end = jiffies + msecs_to_jiffies(VPV_CLOSE_TIMEOUT_MS);
	enum xenbus_state be;

	if (front->xbdev->state == XenbusStateClosing ||
	    front->xbdev->state == XenbusStateClosed ||
	    !xenbus_exists(XBT_NIL, front->xbdev->nodename, ""))
		return;	/* done, or the toolstack removed our directory */
	vpv_write_state(front, XenbusStateClosing);
	do {
		if (vpv_read_state(front->xbdev->otherend, &be) ||
		    be == XenbusStateClosing || be == XenbusStateClosed)
			return;
		msleep(50);
	} while (time_before(jiffies, end));
	dev_warn(&front->xbdev->dev, "the back-end did not close within %u ms\n",
		 VPV_CLOSE_TIMEOUT_MS);
}

static void vpv_remove(struct xenbus_device *xbdev)
{
	struct vpv_front *front = dev_get_drvdata(&xbdev->dev);
	bool dir_present;

	mutex_lock(&front->lock);
	front->removing = true;
	mutex_unlock(&front->lock);
	cancel_work_sync(&front->work);
	cancel_work_sync(&front->consumer_work);

	mutex_lock(&front->lock);
	front->closing = true;
	vpv_vdev_unregister(front);
	mutex_unlock(&front->lock);
	cancel_work_sync(&front->break_work);

	/* A directory the toolstack removed must not be recreated by our writes. */
	dir_present = xenbus_exists(XBT_NIL, xbdev->nodename, "");
	if (dir_present && front->fe_state != VPV_FE_CLOSED) {
		vpv_close_handshake(front);	/* done already if del_vqs ran */
		vpv_close_keys(front, NULL, XenbusStateClosed);
	}
	vpv_dma_revoke_all(front);
	/* After Closing: the back-end has let go of the pool's pages. */
	vpv_pool_destroy(front->pool);
	front->pool = NULL;
	set_dma_ops(&xbdev->dev, NULL);
	xbdev->dev.dma_mask = NULL;
	dev_set_drvdata(&xbdev->dev, NULL);
	xa_destroy(&front->grants);
	dev_info(&xbdev->dev, "detached\n");
	kfree(front);
}

static const struct xenbus_device_id vpv_ids[] = {
	{ "virtio-pv" },
	{ "" }
};

static struct xenbus_driver vpv_driver = {
	.ids = vpv_ids,
	.probe = vpv_probe,
	.remove = vpv_remove,
	.otherend_changed = vpv_otherend_changed,
	/* We write Closed ourselves; the device may be bound again. */
	.allow_rebind = true,
	.not_essential = true,
};

static int __init vpv_init(void)
{
	/* Grant-DMA addresses and ring layouts assume 4 KiB kernel pages. */
	BUILD_BUG_ON(PAGE_SIZE != XEN_PAGE_SIZE);
	if (!xen_domain())
		return -ENODEV;
	return xenbus_register_frontend(&vpv_driver);
}
module_init(vpv_init);

static void __exit vpv_exit(void)
{
	xenbus_unregister_driver(&vpv_driver);
}
module_exit(vpv_exit);

MODULE_DESCRIPTION("virtio-pv: virtio over Xen grants, event channels and xenstore (front-end)");
MODULE_LICENSE("GPL");
MODULE_ALIAS("xen:virtio-pv");
