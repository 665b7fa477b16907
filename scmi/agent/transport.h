/* SPDX-License-Identifier: MIT */
/*
 * The SCMI agent's transport contract (STYLE.md rule 1): one ops table down
 * (struct scmi_transport_ops, modelled on Linux's scmi_transport_ops) and
 * one up-call into the core (scmi_rx_callback). The virtio transport
 * (scmi/agent/virtio.c) and the test fake (tests/scmi/fake_transport.c)
 * implement it.
 *
 * Channels: a transport has one A2P channel (commands and their responses,
 * "tx") and optionally one P2A channel (delayed responses and
 * notifications, "rx"). The core owns a struct scmi_chan_info per channel
 * and hands it to chan_setup(); the transport hangs its own state on
 * cinfo->transport_info.
 *
 * Messages: a transport never interprets payloads. It reports each message
 * that arrives with scmi_rx_callback(cinfo, hdr, msg), where @hdr is the
 * header it read ONCE from the buffer and @msg is its own opaque handle;
 * during that call the core copies the payload out with fetch_response() /
 * fetch_notification() (again exactly once), validates it and decides. The
 * transport reclaims @msg after the callback returns. Nothing the other
 * side wrote is trusted by the transport or kept by reference.
 *
 * Polling: when an xfer is sent with xfer->poll set, the core does not wait
 * for the up-call; it calls poll_done() until it returns true, then
 * fetch_response(cinfo, xfer->tmsg, &hdr, ...) and finally mark_txdone().
 * A transport must not deliver a polled message through scmi_rx_callback().
 */
#ifndef VSCMI_SCMI_AGENT_TRANSPORT_H
#define VSCMI_SCMI_AGENT_TRANSPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct scmi_handle;
struct scmi_xfer;

/** One channel as the core sees it. */
struct scmi_chan_info {
	struct scmi_handle *handle;	/* the core instance */
	bool is_tx;			/* A2P (commands) or P2A (events) */
	void *transport_info;		/* the transport's channel state */
};

struct scmi_transport_ops {
	/** Does the transport have the A2P (@tx) or P2A (!@tx) channel? */
	bool (*chan_available)(void *tpriv, bool tx);
	/** Bind @cinfo to the transport's channel; 0 or negative errno. */
	int (*chan_setup)(void *tpriv, struct scmi_chan_info *cinfo, bool tx);
	/** Unbind; after return no up-call for @cinfo runs or will run. */
	void (*chan_free)(void *tpriv, struct scmi_chan_info *cinfo);
	/** How many commands the A2P channel can have in flight (> 0), or
	 *  negative errno. Sizes the core's transfer pool. */
	int (*get_max_msg)(struct scmi_chan_info *cinfo);
	/**
	 * Send xfer->hdr (cpu order; the transport writes it little-endian)
	 * followed by xfer->tx.buf[0..tx.len), with room for a response of
	 * SCMI_STATUS_SIZE + xfer->rx_max bytes after the header. 0, or
	 * -ENOBUFS (no free message), -ECONNRESET (channel down), -EIO.
	 * If xfer->poll, the transport sets xfer->tmsg for poll_done().
	 */
	int (*send_message)(struct scmi_chan_info *cinfo, struct scmi_xfer *xfer);
	/**
	 * Copy the message @msg after its header: min(@cap, length) bytes into
	 * @buf; *@len gets the full length the other side claimed (bounded
	 * by the buffer). If @hdr is not NULL it gets the header (cpu order).
	 * 0, or -EPROTO if the message is shorter than a header.
	 */
	int (*fetch_response)(struct scmi_chan_info *cinfo, void *msg,
			      uint32_t *hdr, void *buf, size_t cap, size_t *len);
	/** The same for a P2A message (notification or delayed response). */
	int (*fetch_notification)(struct scmi_chan_info *cinfo, void *msg,
				  uint32_t *hdr, void *buf, size_t cap,
				  size_t *len);
	/**
	 * The core is done with @xfer's exchange (@ret: its result; a
	 * -ETIMEDOUT polled xfer leaves its buffer with the device until the
	 * device returns it). Optional.
	 */
	void (*mark_txdone)(struct scmi_chan_info *cinfo, int ret,
			    struct scmi_xfer *xfer);
	/** Polling: has the response to @xfer arrived? Never sleeps. */
	bool (*poll_done)(struct scmi_chan_info *cinfo, struct scmi_xfer *xfer);
};

/** What a transport is: its ops and limits (STYLE.md: limits apart). */
struct scmi_transport_desc {
	const char *name;
	const struct scmi_transport_ops *ops;
	/**
	 * Largest payload of a message, in bytes: a request's after its
	 * header, a response's after its header AND status word (as Linux's
	 * max_msg_size). Buffers hold header + status + this much.
	 */
	size_t max_msg_size;
	/** Polling mode possible (poll_done implemented and meaningful). */
	bool can_poll;
};

/* ---- up-calls into the core (scmi/agent/core.c) --------------------------- */

/**
 * A message arrived on @cinfo: a response (type COMMAND) on the A2P
 * channel, a delayed response or a notification on the P2A channel. @hdr
 * is the header in cpu order, @msg the transport's handle for
 * fetch_response()/fetch_notification() during this call. May run in any
 * thread, concurrently with itself; never sleeps.
 */
void scmi_rx_callback(struct scmi_chan_info *cinfo, uint32_t hdr, void *msg);

/**
 * The transport dropped a message it could not deliver (no buffer, broken
 * queue): counted in the handle's bad_replies. Never sleeps.
 */
void scmi_rx_dropped(struct scmi_chan_info *cinfo);

#endif /* VSCMI_SCMI_AGENT_TRANSPORT_H */
