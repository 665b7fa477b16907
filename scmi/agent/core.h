/* SPDX-License-Identifier: MIT */
/*
 * The SCMI agent core, as the protocol implementations (scmi/agent/<p>.c)
 * and the transports see it: transfers, the five-step command shape, and
 * per-protocol state. The public half is include/vscmi/scmi.h.
 *
 * Every protocol command has the same shape (as Linux's):
 *   scmi_xfer_get_init(h, proto, msg, sizeof(a2p), sizeof(p2a), &x);
 *   fill x->tx.buf with little-endian parameters;
 *   ret = scmi_do_xfer(h, x);            (or _with_response for async)
 *   if (!ret) parse x->rx.buf, checking x->rx.len first (-EPROTO if short);
 *   scmi_xfer_put(h, x);
 */
#ifndef VSCMI_SCMI_AGENT_CORE_H
#define VSCMI_SCMI_AGENT_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <vscmi/os.h>
#include <vscmi/scmi.h>
#include <scmi/agent/transport.h>

/** One command in flight (or in the pool). */
struct scmi_xfer {
	uint8_t protocol_id;
	uint8_t message_id;
	uint16_t token;			/* set by the core */
	struct {
		uint8_t *buf;		/* request payload (after the header) */
		size_t len;
	} tx;
	struct {
		uint8_t *buf;		/* response payload AFTER the status word */
		size_t len;		/* in: max expected; out: actual */
	} rx;
	int32_t status;			/* SCMI status of the response */
	int32_t dresp_status;		/* SCMI status of the delayed response */

	/* ---- for transports ---- */
	uint32_t hdr;			/* packed header (cpu order) */
	size_t rx_max;			/* room for the response payload after status */
	bool poll;			/* polled transfer */
	void *tmsg;			/* transport's message of a polled xfer */

	/* ---- core-private (under the handle's lock) ---- */
	struct scmi_xfer *next_free;
	uint8_t *raw;			/* status word + payload buffer */
	size_t tx_cap, rx_cap;
	unsigned state;			/* SCMI_XS_* bits */
	int err;			/* set when failed by a reset */
	bool async;			/* expects a delayed response */
	bool in_flight;
	unsigned busy;			/* rx callbacks copying into this xfer */
	struct os_completion done;	/* (sync) response */
	struct os_completion dresp_done;	/* delayed response */
};

/* ---- transfers (protocol implementations) ----------------------------------- */

/**
 * Take a transfer from the pool for @msg_id of @proto with @tx_size bytes
 * of parameters (zeroed) and room for @rx_size response bytes after the
 * status word (0: the transport's maximum). Waits up to the handle's
 * timeout for a free transfer. -EMSGSIZE if a size exceeds the transport's
 * maximum, -EBUSY if the pool stayed empty, -ECONNRESET when closing.
 */
int scmi_xfer_get_init(struct scmi_handle *h, uint8_t proto, uint8_t msg_id,
		       size_t tx_size, size_t rx_size, struct scmi_xfer **out);
/**
 * Send @x and wait for its response (timeout / polling from the handle, or
 * @x->poll forced by the caller). 0 for SUCCESS with @x->rx filled; else the
 * converted SCMI status, -ETIMEDOUT, -ECONNRESET, -EPROTO (reply rejected:
 * e.g. longer than @x->rx.len's maximum). Can be called again on the same
 * xfer (pagination: call scmi_xfer_reset_rx first).
 */
int scmi_do_xfer(struct scmi_handle *h, struct scmi_xfer *x);
/**
 * As scmi_do_xfer, for asynchronous commands: also waits for the delayed
 * response; @x->rx then holds the delayed response's payload (after its
 * status word), and its status decides the result. A delayed response that
 * overtakes its synchronous response is accepted (the synchronous one is
 * then implied successful, and consumed silently if it still comes).
 */
int scmi_do_xfer_with_response(struct scmi_handle *h, struct scmi_xfer *x);
/** Set @x->rx.len back to the size asked at get_init. */
void scmi_xfer_reset_rx(struct scmi_handle *h, struct scmi_xfer *x);
/** Return @x to the pool. */
void scmi_xfer_put(struct scmi_handle *h, struct scmi_xfer *x);

/* ---- per-protocol state for the protocol implementations --------------------- */

/** Remember the version negotiated/used for @proto (0: unknown). */
void scmi_proto_version_set(struct scmi_handle *h, uint8_t proto, uint32_t ver);
uint32_t scmi_proto_version_get(struct scmi_handle *h, uint8_t proto);
/**
 * Protocol private data hung on the handle (e.g. cached domain tables);
 * @release is called at scmi_close (or when replaced). Returns the old one.
 */
void *scmi_proto_priv_set(struct scmi_handle *h, uint8_t proto, void *priv,
			  void (*release)(void *priv));
void *scmi_proto_priv_get(struct scmi_handle *h, uint8_t proto);

/* ---- the core as transports create it ----------------------------------------- */

/**
 * Create a core instance over transport @desc (instance data @tpriv): sets
 * up the channels, sizes the transfer pool from get_max_msg. 0 and *@out.
 */
int scmi_core_create(const struct scmi_transport_desc *desc, void *tpriv,
		     struct scmi_handle **out);
/** Fail everything in flight with -ECONNRESET, free channels and memory. */
void scmi_core_destroy(struct scmi_handle *h);
/**
 * The transport lost its peer: fail every transfer in flight with @err
 * (-ECONNRESET) and make new ones fail until scmi_core_set_connected(true).
 */
void scmi_core_disconnect(struct scmi_handle *h, int err);
void scmi_core_set_connected(struct scmi_handle *h, bool connected);
/** The transport's instance data. */
void *scmi_core_tpriv(struct scmi_handle *h);
/**
 * What scmi_close() does instead of scmi_core_destroy(): the virtio
 * transport unbinds its driver there (which destroys the core).
 */
void scmi_core_set_close_hook(struct scmi_handle *h, void (*fn)(void *arg),
			      void *arg);

#endif /* VSCMI_SCMI_AGENT_CORE_H */
