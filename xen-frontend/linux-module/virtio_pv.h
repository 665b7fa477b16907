/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * virtio-pv front-end for Linux: private declarations shared by the
 * module's files (xenbus state machine, offer parsing, virtio transport,
 * grant DMA). The protocol is docs/virtio-pv.md of the vscmi project.
 */
#ifndef VIRTIO_PV_H
#define VIRTIO_PV_H

#include <linux/dma-direction.h>
#include <linux/mutex.h>
#include <linux/types.h>
#include <linux/virtio.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>
#include <xen/events.h>
#include <xen/xenbus.h>

#define VPV_PROTOCOL_VERSION	1
/* Limits of protocol version 1 (docs/virtio-pv.md, section 2). */
#define VPV_MAX_QUEUES		64
#define VPV_MAX_QUEUE_SIZE	256
#define VPV_MAX_CONFIG		256
/* Our own cap: a split ring of 128 entries fits in one 4 KiB page. */
#define VPV_QUEUE_SIZE_CAP	128
/* Longest back-end error text we copy into our own `error` node. */
#define VPV_MAX_ERROR		128
/* Pages of the persistent-grant bounce pool (16 buffers of 256 bytes each). */
#define VPV_POOL_PAGES		32
/* Transactions retried on -EAGAIN at most this often. */
#define VPV_XS_RETRIES		16
/* How long detach waits for the back-end to acknowledge Closing. */
#define VPV_CLOSE_TIMEOUT_MS	3000

/* Grant-DMA address: (1 << 63) | (gref << 12) | offset (Linux xen-grant-dma). */
#define VPV_DMA_GRANT_BIT	(1ULL << 63)

/** What the back-end offers, read once from its directory and validated. */
struct vpv_offer {
	u32 version;		/**< protocol-version (>= 1) */
	u64 features;		/**< features offered */
	u32 max_queues;		/**< 1..VPV_MAX_QUEUES */
	u32 max_queue_size;	/**< power of two, 2..VPV_MAX_QUEUE_SIZE */
	u32 config_len;		/**< bytes of config space, 0..VPV_MAX_CONFIG */
	u8 config[VPV_MAX_CONFIG];
};

struct vpv_pool;

/** One registered virtio device; a new one per handshake. */
struct vpv_vdev {
	struct virtio_device vdev;
	struct vpv_front *front;	/**< owner; outlives the registration */
	u8 status;			/**< virtio device status byte */
	unsigned int nvqs;		/**< queues find_vqs created */
	struct virtqueue *vqs[VPV_MAX_QUEUES];
	evtchn_port_t port;		/**< unbound port allocated for the back-end */
	int irq;			/**< its irq, or -1 */
	bool published;			/**< our keys + Initialised are in xenstore */
};

/** Front-end state of the xenbus handshake, as we last wrote it. */
enum vpv_fe_state {
	VPV_FE_INITIALISING,	/**< no rings published; waiting for an offer */
	VPV_FE_INITIALISED,	/**< rings published; waiting for Connected */
	VPV_FE_CONNECTED,	/**< the back-end mapped and bound */
	VPV_FE_CLOSED,		/**< gave up (the back-end's error) or detached */
};

/** One xenbus device of type "virtio-pv". */
struct vpv_front {
	struct xenbus_device *xbdev;
	u32 devid;			/**< last component of our node name */
	u32 device_id;			/**< virtio device id (front-end's device-id) */
	domid_t be_domid;		/**< backend-id, validated */

	/*
	 * lock: serialises the state machine (vpv_work, probe, remove).
	 * Protects fe_state, vdev, offer, last_err/why, removing, closing.
	 * Held across register/unregister_virtio_device, so the virtio ops
	 * below it never take it.
	 */
	struct mutex lock;
	struct work_struct work;	/**< runs the state machine */
	struct work_struct consumer_work; /**< re-probes the SCMI node */
	enum vpv_fe_state fe_state;
	struct vpv_vdev *vdev;		/**< registered virtio device or NULL */
	struct vpv_offer offer;		/**< valid while vdev != NULL */
	int last_err;			/**< last refusal, to log it once */
	const char *last_why;		/**< its key (a static string) */
	bool removing;			/**< detaching: the worker does nothing */
	bool closing;			/**< del_vqs must not write Initialising */

	/*
	 * grants: every streaming grant handed to the back-end (index: gref),
	 * so a device reset can end access to buffers the driver never
	 * unmapped. Uses the xarray's own irq-safe spinlock.
	 */
	struct xarray grants;
	struct work_struct break_work;	/**< breaks the device after a leak */
	/** Persistent-grant bounce pool (virtio_pv_pool.c), or NULL: per-message grants. */
	struct vpv_pool *pool;
};

/* virtio_pv_offer.c: strict parsing of the xenstore keys. */
int vpv_parse_dec(const char *s, u64 max, u64 *out);
int vpv_parse_hex(const char *s, u64 *out);
int vpv_read_u64(const char *dir, const char *key, bool hex, u64 max, u64 *out);
int vpv_read_state(const char *dir, enum xenbus_state *state);
int vpv_read_offer(struct vpv_front *front, struct vpv_offer *offer,
		   const char **why);
int vpv_check_paths(struct vpv_front *front);
int vpv_copy_error(const char *dir, char *buf, size_t len);

/* virtio_pv_main.c */
void vpv_close_handshake(struct vpv_front *front);

/* virtio_pv_vdev.c: the virtio transport. */
int vpv_vdev_register(struct vpv_front *front);
void vpv_vdev_unregister(struct vpv_front *front);
int vpv_write_state(struct vpv_front *front, enum xenbus_state state);
void vpv_unpublish_keys(struct xenbus_transaction xbt, struct vpv_front *front,
			unsigned int nvqs);

/* virtio_pv_pool.c: persistent grants through a bounce pool. */
struct vpv_pool *vpv_pool_create(struct vpv_front *front, unsigned int npages);
void vpv_pool_destroy(struct vpv_pool *pool);
dma_addr_t vpv_pool_map(struct vpv_pool *pool, void *cpu, size_t size,
			enum dma_data_direction dir);
bool vpv_pool_unmap(struct vpv_pool *pool, dma_addr_t dma, enum dma_data_direction dir);
void vpv_pool_reset(struct vpv_pool *pool);

/* virtio_pv_dma.c: grant-DMA ops on the xenbus device. */
extern const struct dma_map_ops vpv_dma_ops;
void vpv_dma_revoke_all(struct vpv_front *front);

#endif /* VIRTIO_PV_H */
