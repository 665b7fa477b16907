/* SPDX-License-Identifier: MIT */
/*
 * The agent core's private state, shared by its two files: core.c
 * (transfers, tokens, responses, lifetime) and notify.c (notification
 * registry, queue and dispatch). Nothing outside scmi/agent/core*.c and
 * notify.c includes this.
 */
#ifndef VSCMI_SCMI_AGENT_CORE_PRIV_H
#define VSCMI_SCMI_AGENT_CORE_PRIV_H

#include <vscmi/os.h>
#include <vscmi/scmi.h>
#include <vscmi/scmi_wire.h>

#include <scmi/agent/core.h>
#include <scmi/agent/transport.h>

#ifndef CONFIG_SCMI_TIMEOUT_MS
#define CONFIG_SCMI_TIMEOUT_MS 1000
#endif

/* Transfer state bits (struct scmi_xfer.state). */
#define SCMI_XS_RESP 0x1u		/* response accepted (or implied) */
#define SCMI_XS_RESP_IMPLIED 0x2u	/* implied by an early delayed response */
#define SCMI_XS_DRESP 0x4u		/* delayed response accepted */
#define SCMI_XS_FAILED 0x8u		/* failed by a transport reset */

#define SCMI_NOTIFY_QUEUE_LEN 64u	/* slots of the notification ring */
#define SCMI_MAX_XFERS 256		/* leaves tokens for zombies */
#define SCMI_PROTO_COUNT 256

struct scmi_notify_reg {
	struct scmi_notify_reg *next;
	uint8_t proto, evt;
	int32_t src;
	scmi_notify_cb cb;
	void *priv;
};

struct scmi_notify_slot {
	uint32_t hdr;
	size_t len;
	bool ready;			/* filled; under nlock */
	bool bad;			/* fetch failed: consume without dispatch */
	uint8_t *buf;
};

struct scmi_proto_state {
	uint32_t version;
	void *priv;
	void (*release)(void *priv);
};

struct scmi_handle {
	const struct scmi_transport_desc *desc;
	void *tpriv;
	struct scmi_chan_info tx, rx;
	bool has_rx;
	size_t max_msg;			/* payload bytes (desc->max_msg_size) */

	os_spinlock_t lock;		/* protects everything up to "nlock" */
	bool connected;
	int disconnect_err;
	bool closing;
	struct scmi_xfer *xfers;
	unsigned nxfers;
	struct scmi_xfer *free_list;
	struct scmi_xfer *inflight[SCMI_TOKEN_MAX];
	uint8_t zombie[SCMI_TOKEN_MAX];
	uint16_t next_token;

	os_spinlock_t nlock;		/* protects the notification ring */
	struct scmi_notify_slot nq[SCMI_NOTIFY_QUEUE_LEN];
	unsigned nq_head, nq_tail;	/* free-running */
	struct os_work nwork;

	struct os_mutex reg_lock;	/* protects regs; held while dispatching */
	struct scmi_notify_reg *regs;

	os_spinlock_t plock;		/* protects protos[] (callbacks may read them) */
	struct scmi_proto_state protos[SCMI_PROTO_COUNT];

	atomic_uint timeout_ms;
	atomic_bool polling;
	/* Interrupt mode: how long a waiter spins before it sleeps (adaptive,
	 * scmi_irq_wait()), and how many transfers are waiting. */
	atomic_uint_fast64_t spin_ns;
	atomic_uint waiters;

	struct {
		atomic_uint_fast64_t sent, ok, errors, timeouts, late_replies,
			bad_replies, delayed_responses, notifications,
			notifications_dropped, notifications_unhandled, resets;
	} cnt;

	void (*close_fn)(void *arg);
	void *close_arg;
};

#define scmi_count(h, name) atomic_fetch_add(&(h)->cnt.name, 1)

/** Copy a message's payload out of the transport (the one fetch). */
int scmi_fetch(struct scmi_chan_info *cinfo, void *msg, void *buf, size_t cap,
	       size_t *len);
/** A notification arrived on the P2A channel: queue it (notify.c). */
void scmi_handle_notification(struct scmi_handle *h, struct scmi_chan_info *cinfo,
			      uint32_t hdr, void *msg);
/** The deferred work dispatching queued notifications (notify.c). */
void scmi_notify_work(struct os_work *w);

#endif /* VSCMI_SCMI_AGENT_CORE_PRIV_H */
