/* SPDX-License-Identifier: MIT */
/*
 * Helpers shared by the agent's protocol files (scmi/agent/<protocol>.c),
 * implemented in scmi/agent/common.c: small fixed-shape commands, extended
 * names, notification enables, name copying, and the paginated-list
 * iterator. Private to scmi/agent.
 */
#ifndef VSCMI_SCMI_AGENT_PROTOCOLS_H
#define VSCMI_SCMI_AGENT_PROTOCOLS_H

#include <vscmi/os.h>
#include <vscmi/scmi_protocols.h>
#include <vscmi/scmi_wire.h>

#include "scmi/agent/core.h"

/**
 * Run one command whose parameters are @nin 32-bit words and whose reply
 * (after the status) starts with at least @nout 32-bit words: get_init,
 * little-endian fill, do_xfer, length-checked parse, put. A shorter reply
 * is -EPROTO; longer replies are accepted (later protocol minors append
 * fields) and the extra bytes ignored. @out may be NULL when @nout is 0.
 */
int scmi_cmd_words(struct scmi_handle *h, uint8_t proto, uint8_t msg, const uint32_t *in,
		   size_t nin, uint32_t *out, size_t nout);

/**
 * Like scmi_cmd_words(), for a reply with a layout of its own (a wire
 * struct): at least @rx_len bytes of it (after the status) are copied to
 * @rx, so the caller parses its own copy of what the platform wrote. A
 * shorter reply is -EPROTO.
 */
int scmi_cmd_reply(struct scmi_handle *h, uint8_t proto, uint8_t msg, const uint32_t *in,
		   size_t nin, void *rx, size_t rx_len);

/**
 * Like scmi_cmd_words() but waits for the delayed response and parses
 * @nout words from it (after its status word).
 */
int scmi_cmd_words_async(struct scmi_handle *h, uint8_t proto, uint8_t msg, const uint32_t *in,
			 size_t nin, uint32_t *out, size_t nout);

/**
 * The version of @proto this handle speaks: the core's cache, else
 * PROTOCOL_VERSION (and the answer is cached). For layouts that changed
 * between versions.
 */
int scmi_proto_version(struct scmi_handle *h, uint8_t proto, uint32_t *version);

/** A *_NOTIFY command of the common { id, notify_enable } shape. */
int scmi_cmd_notify(struct scmi_handle *h, uint8_t proto, uint8_t msg, uint32_t id, bool enable);

/**
 * A *_NAME_GET command: { id [, @extra] } in, { flags, name[64] } out.
 * @has_extra sends the second word (pinctrl's selector flags).
 */
int scmi_cmd_ext_name(struct scmi_handle *h, uint8_t proto, uint8_t msg, uint32_t id,
		      bool has_extra, uint32_t extra, char name[SCMI_NAME_MAX]);

/**
 * A *_DESCRIBE_FASTCHANNEL command { domain, msg_id } and its 44-byte reply
 * (the same layout in performance and powercap).
 */
int scmi_cmd_describe_fastchannel(struct scmi_handle *h, uint8_t proto, uint8_t msg,
				  uint32_t domain, uint8_t msg_id, struct scmi_fastchannel *fc);

/**
 * Copy a platform name field of @srclen bytes into @dst (SCMI_NAME_MAX
 * bytes): stops at the first NUL or at @srclen, always terminates, never
 * reads past @srclen.
 */
void scmi_copy_name(char *dst, const char *src, size_t srclen);

/**
 * True for the errors that mean "the platform will not tell this agent"
 * (not implemented, denied, no such thing): the describe helpers skip the
 * optional part they were fetching instead of failing.
 */
static inline bool scmi_refused(int err)
{
	return err == -EOPNOTSUPP || err == -EACCES || err == -ENOENT;
}

/** Sign-extend the low @bits of @v. */
static inline int32_t scmi_sign_extend(uint32_t v, unsigned bits)
{
	uint32_t m = 1u << (bits - 1);

	v &= (bits >= 32) ? ~0u : ((1u << bits) - 1);
	return (int32_t)((v ^ m) - m);
}

/** The reply of @x seen as a wire struct (after checking its length!). */
#define SCMI_RX(x, type) ((const type *)(const void *)(x)->rx.buf)
/** The request of @x seen as a wire struct. */
#define SCMI_TX(x, type) ((type *)(void *)(x)->tx.buf)
/** Little-endian field -> cpu. */
#define LE(v) scmi_le32_to_cpu(v)
/** cpu -> little-endian field. */
#define CPU(v) scmi_cpu_to_le32(v)

/** Read the little-endian word @i of a reply buffer. */
static inline uint32_t scmi_rx_word(const uint8_t *buf, size_t i)
{
	return scmi_get_le32(buf + 4 * i);
}

/* ---- the paginated-list iterator ------------------------------------------- */

/**
 * State of one walk through a paginated SCMI list. The iterator owns every
 * count and bound; a protocol only says how a page is requested and how
 * its header and items read.
 */
struct scmi_iter_state {
	uint32_t index;		/* items consumed before this page */
	uint32_t returned;	/* items in this page (set by ops->update) */
	uint32_t remaining;	/* items after this page (set by ops->update) */
	uint32_t loop_idx;	/* item of this page being processed */
	size_t hdr_size;	/* bytes before the first item (4 unless _run_hdr) */
	size_t item_size;	/* bytes per item; 0: variable (ops->process says) */
	size_t offset;		/* byte offset of the current item in the reply */
	const uint8_t *rx;	/* this page's reply (after the status word) */
	size_t rx_len;		/* its length */
	bool single_page;	/* ops->update: this reply is complete, stop after it */
};

struct scmi_iter_ops {
	/** Fill the @tx request of the page starting at item @index. */
	void (*prepare)(uint8_t *tx, uint32_t index, void *priv);
	/**
	 * Decode the page header of st->rx (at least hdr_size bytes): set
	 * returned, remaining and item_size. May reject the page (-EPROTO).
	 */
	int (*update)(struct scmi_iter_state *st, void *priv);
	/**
	 * Consume item st->loop_idx at st->rx + st->offset (st->rx_len bounds
	 * it). Returns the bytes it used (> 0) or a negative errno; with a
	 * fixed item_size the return may be 0 to mean "item_size".
	 */
	int (*process)(struct scmi_iter_state *st, void *priv);
};

/**
 * Walk every page of list command (@proto, @msg) with a @tx_size request.
 * Validates what the platform claims: a page returning nothing while more
 * remain, more items than fit in the reply, a remaining count that does
 * not go down by exactly what was returned, or a total above @max_items
 * are -EPROTO (the caller picks @max_items: a count announced elsewhere,
 * or its buffer capacity, in which case it maps the overflow itself via
 * @overflow_err). *@total gets the number of items processed.
 */
int scmi_iter_run(struct scmi_handle *h, uint8_t proto, uint8_t msg, size_t tx_size,
		  uint32_t max_items, int overflow_err, const struct scmi_iter_ops *ops,
		  void *priv, uint32_t *total);

/** scmi_iter_run() for lists whose page header is @hdr_size bytes, not 4. */
int scmi_iter_run_hdr(struct scmi_handle *h, uint8_t proto, uint8_t msg, size_t tx_size,
		      size_t hdr_size, uint32_t max_items, int overflow_err,
		      const struct scmi_iter_ops *ops, void *priv, uint32_t *total);

#endif /* VSCMI_SCMI_AGENT_PROTOCOLS_H */
