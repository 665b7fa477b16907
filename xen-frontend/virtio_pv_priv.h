/* SPDX-License-Identifier: MIT */
/*
 * virtio-pv transport internals shared by virtio_pv.c (the device, its
 * virtio_dev_ops and state machine) and virtio_pv_xs.c (everything it
 * reads from and writes to xenstore).
 */
#ifndef VSCMI_VIRTIO_PV_PRIV_H
#define VSCMI_VIRTIO_PV_PRIV_H

#include <vscmi/virtio_pv.h>

#include "evtchn.h"
#include "gnttab.h"
#include "grant_dma.h"
#include "xen_plat.h"
#include "xenbus.h"

#include <xen/io/xenbus.h>

#define PV_MAX_QUEUES 8
#define PV_MAX_QUEUES_OFFER 64		/* more than this is absurd */
#define PV_RING_MAX 256			/* protocol: ring areas within a page */
#define PV_MAX_CONFIG 256		/* bytes of device config space */
#define PV_TIMEOUT_NS (10 * OS_NSEC_PER_SEC)
#define PV_CLOSE_WAIT_NS (3 * OS_NSEC_PER_SEC)
/* Resets the driver may ask for (a queue broke) within PV_RESET_WINDOW_NS;
 * one more and the device stays FAILED until virtio_pv_reset(). */
#define PV_RESET_BURST 4
#define PV_RESET_WINDOW_NS (10 * OS_NSEC_PER_SEC)
#define PV_TRANSPORT_FEATURES (VIRTIO_BIT(VIRTIO_F_VERSION_1) | \
			       VIRTIO_BIT(VIRTIO_F_ACCESS_PLATFORM))

enum pv_phase {
	PV_WAIT_BACKEND,
	PV_INITIALISED,
	PV_CONNECTED,
	PV_FAILED,
	PV_CLOSED,
};

struct pv_queue {
	struct virtq *vq;
	unsigned num;
	void *desc, *avail, *used;
	size_t desc_sz, avail_sz, used_sz;
	uint64_t desc_dma, avail_dma, used_dma;
};

/* What the back-end offered, after validation. */
struct pv_offer {
	unsigned version;
	uint64_t features;
	unsigned max_queues, max_queue_size;
	uint8_t config[PV_MAX_CONFIG];
	unsigned config_len;
};

struct virtio_pv {
	struct virtio_dev vdev;
	const struct virtio_driver *drv;
	struct xen_plat *plat;
	struct xenbus *xb;
	struct gnttab *gt;
	struct gdma_pool *pool;
	bool per_message;		/* buffers granted per message (pool mode otherwise) */
	uint16_t be_domid;
	uint32_t device_id;
	char fe_path[96];
	char be_path[128];
	char be_state_path[144];
	char name[32];
	struct xenbus_watch be_watch;
	uint64_t connect_timeout_ns;

	/* Serialises pv_step(), attach, reset, detach; protects all below. */
	struct os_mutex sm_lock;
	enum pv_phase phase;
	bool attaching;			/* attach() runs the machine itself */
	bool detaching;
	bool probed;			/* probe() succeeded: restore() next time */
	bool refused;			/* the back-end gave up on us: no retry */
	int err;			/* why FAILED, or 0 */
	int fail_be_state;		/* back-end state when we failed */
	struct pv_offer offer;
	uint64_t acked;
	uint8_t status;
	unsigned nvqs;
	struct pv_queue q[PV_MAX_QUEUES];
	uint32_t port;			/* 0: none */
	bool published;			/* rings published since the last close */
	uint64_t connects, disconnects;
	uint64_t auto_resets;
	uint64_t reset_at[PV_RESET_BURST];	/* when the last resets ran (ring) */
	atomic_uint_least64_t kicks, events;	/* on our port only */

	/* A reset the driver asked for (request_reset); runs pv_reset_work(). */
	struct os_work reset_work;

	/* Signalled by the watch (attach waits on it). */
	struct os_completion kick;
	/* Signalled when Connected or FAILED (virtio_pv_wait_connected()). */
	struct os_completion settled;
};

static inline struct virtio_pv *to_pv(struct virtio_dev *dev)
{
	return dev->transport_priv;
}

/* virtio_pv_xs.c: xenstore side. sm_lock held for all of these. */

/** The back-end's state; -ENOENT if its directory (or node) is gone. */
int pv_be_state(struct virtio_pv *pv);
/** Write our state. */
int pv_switch(struct virtio_pv *pv, enum xenbus_state st);
/** Record a failure (log, error node, FAILED phase, settled). */
void pv_fail(struct virtio_pv *pv, int err, int be_state, const char *why);
/** Read and validate the back-end's offer into pv->offer; @why says why not. */
int pv_read_offer(struct virtio_pv *pv, char *why, size_t whylen);
/** xenbus_transact() body publishing rings, features and Initialised. */
int pv_publish_tx(struct xenbus *xb, xenbus_tx_t tx, void *arg);
/** Remove what an earlier handshake published (and the error, if @error). */
void pv_unpublish(struct virtio_pv *pv, bool error);
/**
 * Did the back-end give up on us (state Closing/Closed with its error node
 * set)? Then @why holds its reason.
 */
bool pv_be_refused(struct virtio_pv *pv, int be_state, char *why, size_t len);
/** Read and check our front-end directory (backend, backend-id, device-id). */
int pv_read_frontend(struct virtio_pv *pv, unsigned devid);

#endif /* VSCMI_VIRTIO_PV_PRIV_H */
