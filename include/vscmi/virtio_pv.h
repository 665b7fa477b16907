/* SPDX-License-Identifier: MIT */
/*
 * The guest side of the virtio-pv transport (xen-frontend): virtio devices
 * whose rings and buffers live in pages granted to a back-end domain and
 * whose notifications are Xen event channels, negotiated in xenstore under
 * /local/domain/<domU>/device/virtio-pv/<devid>. docs/virtio-pv.md is the
 * wire protocol.
 *
 * Usage:
 *   xen_plat_open(NULL, -1, &plat);            the Xen this guest runs on
 *   virtio_pv_attach(plat, 0, &scmi_virtio_driver, NULL, &pv);
 *       ... the driver's probe() ran; the device is connected ...
 *   virtio_pv_detach(pv);                      every grant ended
 *   xen_plat_close(plat);
 */
#ifndef VSCMI_VIRTIO_PV_H
#define VSCMI_VIRTIO_PV_H

#include <stdbool.h>
#include <stdint.h>

#include <vscmi/virtio.h>

struct xen_plat;
struct virtio_pv;

/* ---- the platform ---------------------------------------------------------- */

/**
 * Open the Xen platform this build was made for. @where: sim: the xensim
 * machine (name or directory; NULL: $XENSIM_MACHINE or "default") and
 * @domid the domain to attach as (-1: $XENSIM_DOMID); linux and arm64
 * ignore both. Returns 0 or a negative errno.
 */
int xen_plat_open(const char *where, int domid, struct xen_plat **out);
/** Close the platform (every device detached first); NULL is fine. */
void xen_plat_close(struct xen_plat *p);

/* ---- devices ---------------------------------------------------------------- */

/** The virtio-pv protocol version this implementation speaks. */
#define VIRTIO_PV_PROTOCOL_VERSION 1

struct virtio_pv_opts {
	/** How long virtio_pv_attach() waits for Connected (0: 10 s). */
	uint64_t connect_timeout_ns;
	/** Per-request xenstore timeout (0: 10 s). */
	uint64_t xenstore_timeout_ns;
	/** Pages in the grant-DMA pool (0: CONFIG_GRANT_POOL_PAGES). */
	unsigned pool_pages;
	/** Grant policy for buffers: VIRTIO_PV_GRANTS_DEFAULT (Kconfig's
	 *  CONFIG_GRANT_PER_MESSAGE), _PERSISTENT or _PER_MESSAGE (for
	 *  comparisons; not on the linux platform). */
	enum virtio_pv_grants {
		VIRTIO_PV_GRANTS_DEFAULT,
		VIRTIO_PV_GRANTS_PERSISTENT,
		VIRTIO_PV_GRANTS_PER_MESSAGE,
	} grants;
};

/**
 * Attach virtio-pv device @devid (its xenstore directory must exist: the
 * toolstack, e.g. vscmi-attach, creates it), run the handshake with the
 * back-end, bind @drv (probe() runs inside) and wait until the device is
 * Connected. Afterwards the transport follows the back-end: if it restarts,
 * @drv->disconnect() runs (in-flight requests fail with -ECONNRESET), the
 * handshake runs again and @drv->restore() brings the queues back.
 * The driver's callbacks run with the transport's state lock held: they
 * must not call virtio_pv_* functions (only the virtio_dev_ops).
 * Errors: -ENOENT no such device, -EPROTO / -EINVAL the back-end published
 * something invalid (logged), -ENODEV the back-end went away,
 * -ECONNREFUSED the back-end gave up on the device (its reason logged),
 * -ETIMEDOUT,
 * or the driver's probe() error.
 */
int virtio_pv_attach(struct xen_plat *plat, unsigned devid,
		     const struct virtio_driver *drv,
		     const struct virtio_pv_opts *opts, struct virtio_pv **out);
/**
 * Close the device: the driver's remove() runs, the front-end goes Closing
 * then Closed, and every grant is ended. NULL is fine.
 */
void virtio_pv_detach(struct virtio_pv *pv);
/** Front-end reset: disconnect the driver and run the handshake again. */
int virtio_pv_reset(struct virtio_pv *pv);
/** True while the device is Connected (both sides). */
bool virtio_pv_connected(struct virtio_pv *pv);
/** virtio device status (VIRTIO_STATUS_*): DRIVER_OK once Connected,
 *  FAILED after a failed handshake, 0 while waiting for the back-end. */
uint8_t virtio_pv_status(struct virtio_pv *pv);
/** The virtio_dev the driver sees. */
struct virtio_dev *virtio_pv_vdev(struct virtio_pv *pv);
/**
 * Wait up to @timeout_ns for the device to be Connected: 0, -ETIMEDOUT,
 * or the error that keeps it down.
 */
int virtio_pv_wait_connected(struct virtio_pv *pv, uint64_t timeout_ns);

/** Counters since attach, for benchmarks and tests. */
struct virtio_pv_stats {
	uint64_t grant_ops;		/* grant entry writes + end attempts */
	uint64_t grants, ends, end_busy;
	uint64_t evtchn_sends;		/* kicks sent to the back-end */
	uint64_t evtchn_events;		/* events received */
	uint64_t connects, disconnects;	/* handshakes completed / lost */
	uint64_t auto_resets;		/* resets after the driver found a queue broken */
	unsigned pages_ro, pages_rw;	/* pages granted now */
	unsigned quarantined;		/* grants waiting for the back-end */
};
void virtio_pv_get_stats(struct virtio_pv *pv, struct virtio_pv_stats *st);

#endif /* VSCMI_VIRTIO_PV_H */
