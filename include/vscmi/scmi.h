/* SPDX-License-Identifier: MIT */
/*
 * The guest's SCMI agent: public handle API.
 *
 * One handle per virtio-scmi device. Open it on the struct virtio_dev a
 * virtio transport (virtio-pv, or a test loopback) presents; every protocol
 * call (include/vscmi/scmi_protocols.h) takes the handle. This header adds
 * the generic pieces: timeouts and polling, notification subscription, a raw
 * transfer for compliance testing and vendor protocols (0x80-0xFF), and
 * counters.
 *
 * Errors are negative errno values. An SCMI status is converted by
 * scmi_status_to_errno() (include/vscmi/scmi_wire.h): DENIED -EACCES,
 * NOT_FOUND -ENOENT, ... Transfers additionally fail with -ETIMEDOUT (no
 * response in time), -ECONNRESET (the back-end went away while the command
 * was in flight, or is still away), -EPROTO (the platform sent a reply that
 * violated the protocol; it was counted and not trusted).
 *
 * Thread safety: every function may be called from any thread at once,
 * except scmi_close(), which must be the last call on a handle.
 */
#ifndef VSCMI_SCMI_H
#define VSCMI_SCMI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <vscmi/scmi_wire.h>

struct scmi_handle;
struct virtio_dev;

/* ---- handle ---------------------------------------------------------------- */

/**
 * Open the SCMI agent on virtio device @dev (device id 32). Binds the
 * virtio-scmi driver to @dev (scmi_virtio_driver) unless the transport did
 * already, negotiates features, creates the command queue and, with
 * VIRTIO_SCMI_F_P2A_CHANNELS, the event queue. 0 and *@out, or -ENODEV
 * (wrong device), -EOPNOTSUPP (no VIRTIO_F_VERSION_1), -ENOMEM, ...
 */
int scmi_open(struct virtio_dev *dev, struct scmi_handle **out);

/**
 * Close @h: fails transfers still in flight with -ECONNRESET, waits for
 * running notification callbacks, releases the device (driver remove when
 * scmi_open bound it). NULL is fine.
 */
void scmi_close(struct scmi_handle *h);

/** The handle bound to @dev by the virtio-scmi driver, or NULL. */
struct scmi_handle *scmi_handle_of(struct virtio_dev *dev);

/** Timeout of synchronous transfers in ms (default CONFIG_SCMI_TIMEOUT_MS;
 *  0 restores the default). Delayed responses wait the same again. */
void scmi_set_timeout_ms(struct scmi_handle *h, unsigned timeout_ms);
unsigned scmi_get_timeout_ms(struct scmi_handle *h);

/**
 * Polling mode: transfers busy-wait for their response instead of
 * sleeping on a completion (for callers that cannot sleep). -EOPNOTSUPP
 * if the transport cannot poll.
 */
int scmi_set_polling(struct scmi_handle *h, bool polling);
bool scmi_get_polling(struct scmi_handle *h);

/** Largest payload the transport carries: request bytes after the header,
 *  response bytes after the header and the status word. */
size_t scmi_max_msg_size(struct scmi_handle *h);

/** Does the device have a P2A channel (notifications, delayed responses)? */
bool scmi_has_p2a(struct scmi_handle *h);

/* ---- the virtio-scmi driver ------------------------------------------------ */

struct virtio_driver;
/**
 * The virtio driver for device id 32 (register it with a virtio transport,
 * e.g. virtio-pv, which then probes, disconnects and restores it; or let
 * scmi_open() bind it). Its disconnect() fails transfers in flight with
 * -ECONNRESET; restore() brings the channels back.
 */
extern const struct virtio_driver scmi_virtio_driver;

/** The virtio transport's own view, for tests and diagnostics. */
struct scmi_virtio_stats {
	unsigned tx_msgs, tx_free;	/* command messages, free ones */
	unsigned rx_msgs, rx_free;	/* event buffers, not posted */
	uint64_t late_polled;		/* polled messages back after their timeout */
	uint64_t dropped;		/* returned buffers not delivered (bad header, short) */
	uint64_t deferred;		/* replies delivered by the deferred work */
	bool connected;
};
/** -ENODEV if @dev has no virtio-scmi driver bound. */
int scmi_virtio_get_stats(struct virtio_dev *dev, struct scmi_virtio_stats *st);

/* ---- raw transfers --------------------------------------------------------- */

/**
 * One raw exchange. @req is a full message: a header (little-endian; its
 * type must be COMMAND, its token is ignored and replaced by the core's)
 * then the payload. On success @resp gets the full response: the header as
 * received (with the core's token), the status word, the payload; and if
 * @wait_dresp, @dresp gets the delayed response the same way.
 */
struct scmi_raw_xfer {
	const void *req;
	size_t req_len;			/* >= 4 */
	void *resp;
	size_t resp_cap;
	size_t resp_len;		/* out */
	bool wait_dresp;		/* wait for a delayed response too */
	void *dresp;
	size_t dresp_cap;
	size_t dresp_len;		/* out */
};

/**
 * Send @x->req and wait (timeout, polling settings of @h). Returns 0 when
 * a well-formed response arrived, whatever its SCMI status (read it at
 * @x->resp + 4); -EINVAL for a malformed request, -EMSGSIZE if it or the
 * response does not fit, -ETIMEDOUT, -ECONNRESET, -EPROTO. Works for every
 * protocol, including vendor ones 0x80-0xFF.
 */
int scmi_raw_xfer(struct scmi_handle *h, struct scmi_raw_xfer *x);

/* ---- notifications ---------------------------------------------------------- */

/**
 * Called from the handle's deferred work (never from the transport's
 * interrupt context) for every notification matching a registration.
 * @payload/@len: the notification's payload (after the header), valid for
 * the call only. Must not call scmi_notify_register/unregister or
 * scmi_close; may issue transfers.
 */
typedef void (*scmi_notify_cb)(struct scmi_handle *h, uint8_t proto,
			       uint8_t evt_id, const void *payload, size_t len,
			       void *priv);

/** Any source id. */
#define SCMI_NOTIFY_SRC_ANY (-1)

/**
 * Call @cb for notifications @evt_id of protocol @proto from source
 * @src_id (the domain/clock/sensor... id the notification names; for
 * BASE_ERROR_EVENT the agent id; SYSTEM_POWER_STATE_NOTIFIER has none and
 * matches any) or SCMI_NOTIFY_SRC_ANY. The platform still has to be asked
 * to send them (the protocol's *_NOTIFY command). -EEXIST if the same
 * (proto, evt, src, cb, priv) is registered, -ENOMEM.
 */
int scmi_notify_register(struct scmi_handle *h, uint8_t proto, uint8_t evt_id,
			 int32_t src_id, scmi_notify_cb cb, void *priv);
/** Remove a registration; -ENOENT if there is none. Waits for a running
 *  dispatch to finish. */
int scmi_notify_unregister(struct scmi_handle *h, uint8_t proto,
			   uint8_t evt_id, int32_t src_id, scmi_notify_cb cb,
			   void *priv);
/** Wait until every notification queued so far was dispatched. */
void scmi_notify_flush(struct scmi_handle *h);

/* ---- counters ---------------------------------------------------------------- */

struct scmi_counters {
	uint64_t sent;			/* commands handed to the transport */
	uint64_t ok;			/* completed with SUCCESS */
	uint64_t errors;		/* completed with another status, or failed */
	uint64_t timeouts;		/* no (delayed) response in time */
	uint64_t late_replies;		/* replies to timed-out commands, discarded */
	uint64_t bad_replies;		/* rejected: length, type, token, ids, duplicate */
	uint64_t delayed_responses;	/* accepted delayed responses */
	uint64_t notifications;		/* notifications queued */
	uint64_t notifications_dropped;	/* lost because the queue was full */
	uint64_t notifications_unhandled; /* dispatched to nobody */
	uint64_t resets;		/* transport resets (disconnect) */
};
void scmi_get_counters(struct scmi_handle *h, struct scmi_counters *out);
void scmi_reset_counters(struct scmi_handle *h);

#endif /* VSCMI_SCMI_H */
