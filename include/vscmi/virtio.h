/* SPDX-License-Identifier: MIT */
/*
 * virtio-core: split virtqueues in both roles, DMA-address ops, feature bits
 * and the virtio device/driver contract between a transport (virtio-pv in
 * xen-frontend, or a test loopback) and a device driver (the SCMI agent's
 * virtio transport).
 *
 * Layering (STYLE.md rule 1):
 *   driver  --virtio_dev_ops-->  transport       (down)
 *   driver  <--virtio_driver---  transport       (up: probe/remove/reset)
 *   virtq   --virtq_dma_ops-->   address space   (down: VA -> device address)
 *   virtq_dev --virtq_mem_ops--> address space   (down: device address -> VA)
 *
 * Locking: a virtqueue does no locking of its own. Each role's user
 * serialises every call on one queue (the SCMI transport holds its channel
 * lock; the back-end runs one queue in one thread).
 */
#ifndef VSCMI_VIRTIO_H
#define VSCMI_VIRTIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <vscmi/errno.h>

/* ---- feature bits and status (virtio 1.x) ------------------------------ */

#define VIRTIO_F_INDIRECT_DESC 28
#define VIRTIO_RING_F_EVENT_IDX 29
#define VIRTIO_F_VERSION_1 32
#define VIRTIO_F_ACCESS_PLATFORM 33
#define VIRTIO_F_RING_PACKED 34

#define VIRTIO_ID_SCMI 32
#define VIRTIO_SCMI_F_P2A_CHANNELS 0
#define VIRTIO_SCMI_F_SHARED_MEMORY 1
#define VIRTIO_SCMI_VQ_TX 0	/* cmdq */
#define VIRTIO_SCMI_VQ_RX 1	/* eventq */

#define VIRTIO_STATUS_ACKNOWLEDGE 1
#define VIRTIO_STATUS_DRIVER 2
#define VIRTIO_STATUS_DRIVER_OK 4
#define VIRTIO_STATUS_FEATURES_OK 8
#define VIRTIO_STATUS_NEEDS_RESET 64
#define VIRTIO_STATUS_FAILED 128

#define VIRTIO_BIT(b) (1ull << (b))
static inline bool virtio_has_feature(uint64_t features, unsigned bit)
{
	return bit < 64 && (features & VIRTIO_BIT(bit));
}

/* ---- split ring layout (virtio 1.x, 2.7) -------------------------------- */

#define VIRTQ_DESC_F_NEXT 1
#define VIRTQ_DESC_F_WRITE 2
#define VIRTQ_DESC_F_INDIRECT 4
#define VIRTQ_AVAIL_F_NO_INTERRUPT 1
#define VIRTQ_USED_F_NO_NOTIFY 1

/* All fields little-endian on the wire. */
struct virtq_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};
struct virtq_avail {
	uint16_t flags;
	uint16_t idx;
	uint16_t ring[];	/* then uint16_t used_event if EVENT_IDX */
};
struct virtq_used_elem {
	uint32_t id;
	uint32_t len;
};
struct virtq_used {
	uint16_t flags;
	uint16_t idx;
	struct virtq_used_elem ring[];	/* then uint16_t avail_event */
};

/** Bytes of each ring area for a queue of @num entries (EVENT_IDX room
 *  always included). Alignment: desc 16, avail 2, used 4. */
size_t virtq_desc_area_size(unsigned num);
size_t virtq_avail_area_size(unsigned num);
size_t virtq_used_area_size(unsigned num);

/** EVENT_IDX: must an event be sent, given the other side asked for one at
 *  @event_idx and we moved our index from @old_idx to @new_idx? */
static inline bool virtq_need_event(uint16_t event_idx, uint16_t new_idx,
				    uint16_t old_idx)
{
	return (uint16_t)(new_idx - event_idx - 1) < (uint16_t)(new_idx - old_idx);
}

/* ---- DMA addresses (driver role) ----------------------------------------- */

/**
 * How the driver turns a buffer into a device address. Identity for tests;
 * xen-frontend's grant-DMA pool returns 1<<63 | gref<<12 | offset.
 */
struct virtq_dma_ops {
	/** Device address of [@va, @va+@len), which must not cross a page
	 *  when the ops' owner says so. @device_writes: the device will write. */
	int (*map)(void *ctx, void *va, uint32_t len, bool device_writes,
		   uint64_t *dma);
	/** Undo map once the device returned the buffer (optional). */
	void (*unmap)(void *ctx, uint64_t dma, uint32_t len, bool device_writes);
};
struct virtq_dma {
	const struct virtq_dma_ops *ops;
	void *ctx;
	/** 0, or a power of two no segment may cross (4096 for grants):
	 *  virtq_add_sgs splits segments at this boundary. */
	uint32_t seg_boundary;
};
/** DMA address == virtual address. */
extern const struct virtq_dma virtq_dma_identity;

/* ---- driver role ----------------------------------------------------------- */

struct virtq;

/** One piece of a buffer, as the driver sees it. */
struct virtq_sg {
	void *addr;
	uint32_t len;
};

struct virtq_config {
	const char *name;
	unsigned num;			/* power of two, <= CONFIG_VIRTQ_MAX_SIZE */
	void *desc, *avail, *used;	/* the ring areas, zeroed by the caller */
	bool event_idx;			/* VIRTIO_RING_F_EVENT_IDX negotiated */
	const struct virtq_dma *dma;
	/** Tell the device there are new buffers (event channel send). */
	void (*notify)(struct virtq *vq, void *priv);
	/** Used buffers arrived (called from virtq_interrupt). */
	void (*callback)(struct virtq *vq, void *priv);
	void *priv;
	/** Ring index the queue starts at: 0 per the spec. Nonzero only to
	 *  test index wrap or to resume a queue; the device must agree. */
	uint16_t start_idx;
};

int virtq_create(const struct virtq_config *cfg, struct virtq **out);
void virtq_destroy(struct virtq *vq);
void *virtq_priv(struct virtq *vq);
const char *virtq_name(struct virtq *vq);
unsigned virtq_size(struct virtq *vq);

/**
 * Expose @out_sgs device-readable then @in_sgs device-writable segments as one
 * chain identified by @token (non-NULL). -ENOSPC when the ring is full,
 * -EIO when the queue is broken.
 */
int virtq_add_sgs(struct virtq *vq, const struct virtq_sg *sgs,
		  unsigned out_sgs, unsigned in_sgs, void *token);
/** Publish added buffers; true if the device must be notified. */
bool virtq_kick_prepare(struct virtq *vq);
/** Notify the device (calls cfg->notify). Touches no queue state: may run
 *  outside the lock that serialises the queue, after virtq_kick_prepare()
 *  said so (as Linux's virtqueue_notify()), while the queue exists. */
void virtq_notify(struct virtq *vq);
/** virtq_kick_prepare + virtq_notify when needed; returns whether it did. */
bool virtq_kick(struct virtq *vq);
/**
 * Next used buffer: its token, and in @len the length the device wrote,
 * clamped to the chain's writable size. NULL if none (or broken).
 */
void *virtq_get_buf(struct virtq *vq, uint32_t *len);
/** Ask the device not to interrupt (best effort). */
void virtq_disable_cb(struct virtq *vq);
/** Re-enable callbacks; returns an opaque index for virtq_poll(). */
unsigned virtq_enable_cb_prepare(struct virtq *vq);
/** True if buffers were used since @last_used_idx was taken. */
bool virtq_poll(struct virtq *vq, unsigned last_used_idx);
/** Re-enable callbacks; false if buffers are already pending (poll again). */
bool virtq_enable_cb(struct virtq *vq);
/** Transport's interrupt entry: runs the callback if anything was used. */
void virtq_interrupt(struct virtq *vq);
/** After a device reset: return buffers never used, one per call; NULL at end. */
void *virtq_detach_unused_buf(struct virtq *vq);
unsigned virtq_num_free(struct virtq *vq);
/** Stats for benchmarks and tests. */
struct virtq_stats {
	uint64_t added, used, notifies, notifies_suppressed, interrupts;
	/** Used lengths the device claimed beyond the chain's writable size
	 *  (clamped, not fatal: the bytes past the buffer were never ours). */
	uint64_t len_clamped;
};
void virtq_get_stats(struct virtq *vq, struct virtq_stats *st);
/** A protocol violation by the device marks the queue broken for good. */
bool virtq_is_broken(struct virtq *vq);
const char *virtq_broken_reason(struct virtq *vq);
void virtq_mark_broken(struct virtq *vq, const char *reason);

/* ---- device role ---------------------------------------------------------- */

/**
 * How the device reaches driver memory: device address -> local pointer for
 * [@dma, @dma+@len), or NULL if the range is not accessible (not granted,
 * read-only when @write, crosses an unmapped page). The returned pointer is
 * valid until the queue is destroyed.
 */
struct virtq_mem_ops {
	void *(*translate)(void *ctx, uint64_t dma, uint32_t len, bool write);
};

struct virtq_dev;

struct virtq_dev_config {
	const char *name;
	unsigned num;
	uint64_t desc, avail, used;	/* device addresses of the ring areas */
	bool event_idx;
	bool indirect;			/* VIRTIO_F_INDIRECT_DESC negotiated */
	const struct virtq_mem_ops *mem;
	void *mem_ctx;
	/** Largest total bytes of one chain accepted (0: no limit). */
	uint32_t max_chain_bytes;
	/** Ring index the queue starts at (see virtq_config.start_idx). */
	uint16_t start_idx;
};

/** One segment of a popped chain, already translated and bounds-checked. */
struct virtq_dev_seg {
	void *addr;
	uint32_t len;
	bool writable;
};

/** A popped chain: readable segments first, then writable ones. */
struct virtq_dev_chain {
	uint16_t head;
	unsigned nseg;
	unsigned n_out;			/* readable segments */
	uint32_t out_len, in_len;	/* total readable / writable bytes */
	struct virtq_dev_seg *seg;	/* owned by the queue; valid until next pop */
};

int virtq_dev_create(const struct virtq_dev_config *cfg, struct virtq_dev **out);
void virtq_dev_destroy(struct virtq_dev *vq);
/**
 * Take the next available chain: 1 with @chain filled, 0 when none,
 * -EIO when the driver broke the protocol (the queue is now broken).
 */
int virtq_dev_pop(struct virtq_dev *vq, struct virtq_dev_chain *chain);
/** Copy out of the readable part of @chain from @off; returns bytes copied. */
size_t virtq_dev_read(const struct virtq_dev_chain *chain, size_t off,
		      void *buf, size_t len);
/** Copy into the writable part of @chain from @off; returns bytes copied. */
size_t virtq_dev_write(const struct virtq_dev_chain *chain, size_t off,
		       const void *buf, size_t len);
/** Return @head to the driver, @written bytes written. */
int virtq_dev_push(struct virtq_dev *vq, uint16_t head, uint32_t written);
/** After pushes: must the driver be interrupted? (flags or EVENT_IDX) */
bool virtq_dev_need_interrupt(struct virtq_dev *vq);
/** Ask the driver not to notify us (while we poll). */
void virtq_dev_disable_notify(struct virtq_dev *vq);
/** Polling hint: has the driver made a chain available? (virtq_dev_pop()
 *  still validates it). One load of the avail index, no barrier. */
bool virtq_dev_has_avail(struct virtq_dev *vq);
/** Ask for notifications again; false if buffers arrived meanwhile. */
bool virtq_dev_enable_notify(struct virtq_dev *vq);
bool virtq_dev_is_broken(struct virtq_dev *vq);
const char *virtq_dev_broken_reason(struct virtq_dev *vq);

/* ---- devices, drivers and transports (driver side) ------------------------ */

struct virtio_dev;

/** One queue a driver asks the transport for. */
struct virtio_vq_info {
	const char *name;
	void (*callback)(struct virtq *vq, void *priv);
	void *priv;
};

/** What a transport provides to the driver bound to its device. */
struct virtio_dev_ops {
	/** Features the device offers. */
	uint64_t (*get_features)(struct virtio_dev *dev);
	/** Accept @features (a subset of the offer); sets FEATURES_OK. */
	int (*finalize_features)(struct virtio_dev *dev, uint64_t features);
	/** Read device config space. */
	int (*get_config)(struct virtio_dev *dev, unsigned off, void *buf,
			  unsigned len);
	/** Largest queue size the device supports for queue @index. */
	unsigned (*max_queue_size)(struct virtio_dev *dev, unsigned index);
	/** Create @nvqs queues of @size entries each (0: device maximum). */
	int (*find_vqs)(struct virtio_dev *dev, unsigned nvqs, unsigned size,
			struct virtq **vqs, const struct virtio_vq_info *info);
	void (*del_vqs)(struct virtio_dev *dev);
	/** Set DRIVER_OK: the device may start using the queues. */
	int (*ready)(struct virtio_dev *dev);
	/** Memory for buffers the device will access (grant-pool backed when
	 *  the transport has one); zeroed. NULL on exhaustion. */
	void *(*dma_alloc)(struct virtio_dev *dev, size_t size);
	void (*dma_free)(struct virtio_dev *dev, void *p, size_t size);
	/** Optional: dma_alloc for memory the device only reads
	 *  (@device_writes false: requests; a grant transport grants it
	 *  read-only) or also writes (responses, events). Free it with
	 *  dma_free. Use it through virtio_dma_alloc(). */
	void *(*dma_alloc_dir)(struct virtio_dev *dev, size_t size,
			       bool device_writes);
	/** Optional: the driver found a queue the device broke (a virtqueue
	 *  protocol violation). The transport resets the device later, from
	 *  its own context, never inside this call: the driver's disconnect(),
	 *  then restore() once the device is back. Safe from queue callbacks
	 *  and any thread; repeated requests before the reset are one. Use it
	 *  through virtio_request_reset(). */
	void (*request_reset)(struct virtio_dev *dev);
};

/** A virtio device as its driver sees it. */
struct virtio_dev {
	const struct virtio_dev_ops *ops;
	uint32_t device_id;
	uint64_t features;	/* negotiated, valid after finalize_features */
	const char *name;
	void *transport_priv;	/* the transport's */
	void *driver_priv;	/* the driver's */
};

/** A driver for one device type. */
struct virtio_driver {
	const char *name;
	uint32_t device_id;
	/** Features the driver understands (the transport adds its own). */
	uint64_t features;
	int (*probe)(struct virtio_dev *dev);
	void (*remove)(struct virtio_dev *dev);
	/**
	 * The back-end went away (restart, reset): fail everything in flight
	 * with -ECONNRESET. The transport deletes the queues after this
	 * returns and calls restore() once the handshake ran again.
	 */
	void (*disconnect)(struct virtio_dev *dev);
	/** The device is back: negotiate and create queues again. */
	int (*restore)(struct virtio_dev *dev);
};

/** Ask the transport to reset a device whose queue broke (if it can). */
static inline void virtio_request_reset(struct virtio_dev *dev)
{
	if (dev->ops->request_reset)
		dev->ops->request_reset(dev);
}

/** Buffer memory with its direction (falls back to dma_alloc). */
static inline void *virtio_dma_alloc(struct virtio_dev *dev, size_t size,
				     bool device_writes)
{
	if (dev->ops->dma_alloc_dir)
		return dev->ops->dma_alloc_dir(dev, size, device_writes);
	return dev->ops->dma_alloc ? dev->ops->dma_alloc(dev, size) : NULL;
}

static inline int virtio_finalize_features(struct virtio_dev *dev, uint64_t f)
{
	return dev->ops->finalize_features ? dev->ops->finalize_features(dev, f)
					   : -ENOSYS;
}

#endif /* VSCMI_VIRTIO_H */
