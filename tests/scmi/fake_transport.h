/* SPDX-License-Identifier: MIT */
/*
 * A scripted fake SCMI platform at the transport-ops level, for unit tests
 * of the agent core and of every protocol (hosted, pthreads).
 *
 * Two ways to script it, mixable:
 *  1. Expectations, in order: fake_expect(fp, proto, msg, req, req_len,
 *     status, resp, resp_len) says "the next command must be proto/msg with
 *     this payload (NULL: any); answer status + resp". Add a delayed response
 *     to the same expectation with fake_expect_dresp(). A command that
 *     does not match the next expectation (and has no responder) is
 *     counted (fake_unexpected()) and left unanswered: the transfer times
 *     out, and the test sees it.
 *  2. A responder callback, called for every command (after expectations
 *     ran out, or always if no expectation was queued): it answers with
 *     fake_reply(), fake_reply_raw(), fake_dresp(), fake_notify(),
 *     fake_hold() (keep the command to answer later: timeouts, late replies).
 *
 * Delivery: FAKE_DELIVER_SYNC delivers every message the script produced
 * right after the command was sent, in the order produced (so a delayed
 * response queued before the response overtakes it); FAKE_DELIVER_THREAD
 * delivers from a separate thread, like interrupts; FAKE_DELIVER_MANUAL
 * queues until fake_flush(). Polled transfers get their response through
 * poll_done() as a real transport would.
 */
#ifndef VSCMI_TESTS_FAKE_TRANSPORT_H
#define VSCMI_TESTS_FAKE_TRANSPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <vscmi/scmi.h>

struct fake_platform;

enum fake_delivery {
	FAKE_DELIVER_SYNC,
	FAKE_DELIVER_THREAD,
	FAKE_DELIVER_MANUAL,
};

struct fake_config {
	unsigned max_msg;		/* commands in flight; 0: 8 */
	size_t max_msg_size;		/* payload bytes; 0: 128 */
	bool no_p2a;			/* no P2A channel */
	bool no_poll;			/* transport cannot poll */
	enum fake_delivery delivery;
};

/** A command as the platform received it. */
struct fake_cmd {
	uint32_t hdr;
	uint8_t proto, msg_id;
	uint16_t token;
	uint8_t payload[4096];
	size_t len;
};

/**
 * Called for each command no expectation consumed. Answer with the
 * functions below (any number, any order) or not at all.
 */
typedef void (*fake_responder_fn)(struct fake_platform *fp,
				  const struct fake_cmd *cmd, void *priv);

/** Create a fake platform (@cfg NULL: defaults). */
struct fake_platform *fake_create(const struct fake_config *cfg);
/** Create the SCMI core on it (scmi_core_create). Close with scmi_close(). */
int fake_open(struct fake_platform *fp, struct scmi_handle **out);
/** Destroy after scmi_close(). */
void fake_destroy(struct fake_platform *fp);

void fake_set_responder(struct fake_platform *fp, fake_responder_fn fn, void *priv);

/* ---- expectations ---- */
/** Queue an expectation; @req NULL matches any payload. */
void fake_expect(struct fake_platform *fp, uint8_t proto, uint8_t msg_id,
		 const void *req, size_t req_len, int32_t status,
		 const void *resp, size_t resp_len);
/** Make the last expectation also send a delayed response (after the
 *  response, or before it with @before_resp). */
void fake_expect_dresp(struct fake_platform *fp, int32_t status,
		       const void *payload, size_t len, bool before_resp);
/** Make the last expectation not answer at all (timeout test). */
void fake_expect_no_reply(struct fake_platform *fp);
/** Expectations not consumed yet. */
unsigned fake_expect_pending(struct fake_platform *fp);
/** Commands that matched no expectation and had no responder. */
unsigned fake_unexpected(struct fake_platform *fp);

/* ---- answering (from a responder, or later for held commands) ---- */
/** Response: @cmd's header, @status, @payload. */
void fake_reply(struct fake_platform *fp, const struct fake_cmd *cmd,
		int32_t status, const void *payload, size_t len);
/** Any bytes (header included) on the A2P channel: garbage, wrong token... */
void fake_reply_raw(struct fake_platform *fp, const struct fake_cmd *cmd,
		    const void *msg, size_t len);
/** Delayed response to @cmd on the P2A channel. */
void fake_dresp(struct fake_platform *fp, const struct fake_cmd *cmd,
		int32_t status, const void *payload, size_t len);
/** Notification @evt of @proto with @payload on the P2A channel. */
void fake_notify(struct fake_platform *fp, uint8_t proto, uint8_t evt,
		 const void *payload, size_t len);
/** Any bytes (header included) on the P2A channel. */
void fake_p2a_raw(struct fake_platform *fp, const void *msg, size_t len);
/** Keep a copy of @cmd to answer later (returns its slot, 0..15), -1 full. */
int fake_hold(struct fake_platform *fp, const struct fake_cmd *cmd);
/** The held command @slot (NULL if none). */
const struct fake_cmd *fake_held(struct fake_platform *fp, int slot);
/** Make the next @n sends fail with -ENOBUFS (a transport out of buffers). */
void fake_fail_sends(struct fake_platform *fp, unsigned n);
/** Deliver queued messages now (MANUAL mode, or from a test thread). */
void fake_flush(struct fake_platform *fp);

/* ---- inspection ---- */
/** Commands received so far. */
unsigned fake_ncmds(struct fake_platform *fp);
/** The @i-th command received (the last 64 are kept), NULL if gone. */
const struct fake_cmd *fake_cmd(struct fake_platform *fp, unsigned i);

/** Little-endian word helpers for building payloads in tests. */
static inline void fake_le32(void *p, uint32_t v)
{
	uint8_t *b = (uint8_t *)p;

	b[0] = (uint8_t)v;
	b[1] = (uint8_t)(v >> 8);
	b[2] = (uint8_t)(v >> 16);
	b[3] = (uint8_t)(v >> 24);
}

#endif /* VSCMI_TESTS_FAKE_TRANSPORT_H */
