/* SPDX-License-Identifier: MIT */
/*
 * A loopback virtio transport for tests: a struct virtio_dev whose queues
 * are served, in the same process, by virtio-core device-role queues on the
 * same rings and a device thread running a scripted SCMI platform. The
 * driver (scmi_virtio_driver) runs unchanged on top of it.
 *
 * The device thread pops every command chain and calls the handler with a
 * struct vloop_req; the handler answers at once (vloop_reply*) or keeps the
 * request and answers later from any thread (holds, late replies). Events
 * (notifications, delayed responses) go into the eventq buffers the driver
 * posted (vloop_p2a). Interrupts can be switched off to exercise polling.
 */
#ifndef VSCMI_TESTS_VIRTIO_LOOPBACK_H
#define VSCMI_TESTS_VIRTIO_LOOPBACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <vscmi/virtio.h>

struct vloop;

/** One command chain popped from the cmdq. */
struct vloop_req {
	uint32_t hdr;			/* the request's header (cpu order) */
	uint8_t data[4200];		/* readable bytes, header included */
	size_t len;
	void *req_addr;			/* address of the request buffer */
	uint32_t resp_cap;		/* writable bytes */
	/* private */
	struct virtq_dev_chain chain;
	struct virtq_dev_seg segs[8];
};

typedef void (*vloop_handler)(struct vloop *vl, struct vloop_req *req,
			      void *priv);

struct vloop_config {
	uint64_t features;		/* offered; 0: VERSION_1 | P2A_CHANNELS */
	unsigned qsize;			/* 0: 16 */
	bool event_idx;
};

struct vloop *vloop_create(const struct vloop_config *cfg);
void vloop_destroy(struct vloop *vl);
struct virtio_dev *vloop_dev(struct vloop *vl);
void vloop_set_handler(struct vloop *vl, vloop_handler fn, void *priv);

/** Write @len bytes as the response of @req, return it, free @req. */
int vloop_reply(struct vloop *vl, struct vloop_req *req, const void *bytes,
		size_t len);
/** Response with @req's header, @status and @payload. */
int vloop_reply_status(struct vloop *vl, struct vloop_req *req, int32_t status,
		       const void *payload, size_t len);
/** Forget @req without answering (the device keeps the buffer). */
void vloop_drop(struct vloop *vl, struct vloop_req *req);
/** A P2A message into the next posted eventq buffer: 0, -ENOSPC. */
int vloop_p2a(struct vloop *vl, const void *bytes, size_t len);
/** Interrupts to the driver on/off; turning them on raises one. */
void vloop_set_irq(struct vloop *vl, bool on);
/**
 * Simulate a back-end restart: the driver's disconnect(), the queues
 * deleted, then restore(). Requests held by the test become invalid: drop
 * them before. Returns restore()'s result.
 */
int vloop_restart(struct vloop *vl);

/** Commands seen, and the request buffer address of the @i-th (last 4096). */
unsigned vloop_nreqs(struct vloop *vl);
void *vloop_req_addr(struct vloop *vl, unsigned i);
/** Was the driver told DRIVER_OK? */
bool vloop_is_ready(struct vloop *vl);

#endif /* VSCMI_TESTS_VIRTIO_LOOPBACK_H */
