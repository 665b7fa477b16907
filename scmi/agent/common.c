// SPDX-License-Identifier: MIT
/*
 * What every SCMI protocol shares on the agent side: the commands common to
 * all protocols (PROTOCOL_VERSION, PROTOCOL_ATTRIBUTES,
 * PROTOCOL_MESSAGE_ATTRIBUTES, NEGOTIATE_PROTOCOL_VERSION), the fixed-shape
 * command helpers the protocol files build on, and the paginated-list
 * iterator.
 *
 * Theory of operation: every command has the same five steps -- take an
 * xfer from the core (scmi_xfer_get_init), write its parameters as
 * little-endian words, run it (scmi_do_xfer or, for asynchronous commands,
 * scmi_do_xfer_with_response), parse the reply only after checking its
 * length, and give the xfer back (scmi_xfer_put). The core has already
 * turned a non-SUCCESS status into a negative errno. Replies come from the
 * platform and are hostile: a reply shorter than the fields read is
 * -EPROTO, every count is bounded by the bytes actually received, and
 * nothing is written to the caller before the whole reply has validated.
 *
 * Lists longer than one message are paginated by the platform: the agent
 * asks for the items from index N, the platform answers with how many it
 * returned and how many remain. scmi_iter_run() drives that loop for every
 * list command and enforces that the counts are consistent, so a platform
 * that lies (zero progress, more items than the reply holds, "remaining"
 * that does not go down) cannot make the agent loop forever or read out of
 * bounds.
 */
#include "scmi/agent/protocols.h"
#include "scmi/wire/all.h"

void scmi_copy_name(char *dst, const char *src, size_t srclen)
{
	size_t n = 0;

	while (n < srclen && n < SCMI_NAME_MAX - 1 && src[n] != '\0') {
		dst[n] = src[n];
		n++;
	}
	dst[n] = '\0';
}

/* Words in, at least @rx_len bytes of the (delayed) response copied out. */
static int cmd_xfer(struct scmi_handle *h, uint8_t proto, uint8_t msg, const uint32_t *in,
		    size_t nin, void *rx, size_t rx_len, bool with_response)
{
	struct scmi_xfer *x;
	size_t i;
	int ret;

	ret = scmi_xfer_get_init(h, proto, msg, nin * 4, 0, &x);
	if (ret)
		return ret;
	for (i = 0; i < nin; i++)
		scmi_put_le32(x->tx.buf + 4 * i, in[i]);

	ret = with_response ? scmi_do_xfer_with_response(h, x) : scmi_do_xfer(h, x);
	if (!ret && x->rx.len < rx_len)
		ret = -EPROTO;
	if (!ret && rx_len)
		memcpy(rx, x->rx.buf, rx_len);
	scmi_xfer_put(h, x);
	return ret;
}

static int cmd_words(struct scmi_handle *h, uint8_t proto, uint8_t msg, const uint32_t *in,
		     size_t nin, uint32_t *out, size_t nout, bool with_response)
{
	int ret = cmd_xfer(h, proto, msg, in, nin, out, nout * 4, with_response);

	/* In place: each word is read before it is overwritten. */
	for (size_t i = 0; !ret && i < nout; i++)
		out[i] = scmi_get_le32((const uint8_t *)&out[i]);
	return ret;
}

int scmi_cmd_reply(struct scmi_handle *h, uint8_t proto, uint8_t msg, const uint32_t *in,
		   size_t nin, void *rx, size_t rx_len)
{
	return cmd_xfer(h, proto, msg, in, nin, rx, rx_len, false);
}

int scmi_cmd_words(struct scmi_handle *h, uint8_t proto, uint8_t msg, const uint32_t *in,
		   size_t nin, uint32_t *out, size_t nout)
{
	return cmd_words(h, proto, msg, in, nin, out, nout, false);
}

int scmi_cmd_words_async(struct scmi_handle *h, uint8_t proto, uint8_t msg, const uint32_t *in,
			 size_t nin, uint32_t *out, size_t nout)
{
	return cmd_words(h, proto, msg, in, nin, out, nout, true);
}

int scmi_cmd_notify(struct scmi_handle *h, uint8_t proto, uint8_t msg, uint32_t id, bool enable)
{
	uint32_t in[2] = { id, enable ? SCMI_NOTIFY_ENABLE : 0 };

	return scmi_cmd_words(h, proto, msg, in, 2, NULL, 0);
}

int scmi_cmd_ext_name(struct scmi_handle *h, uint8_t proto, uint8_t msg, uint32_t id,
		      bool has_extra, uint32_t extra, char name[SCMI_NAME_MAX])
{
	uint32_t in[2] = { id, extra };
	struct scmi_name_get_p2a r;
	int ret;

	ret = scmi_cmd_reply(h, proto, msg, in, has_extra ? 2 : 1, &r, sizeof(r));
	if (!ret)
		scmi_copy_name(name, r.name, sizeof(r.name));
	return ret;
}

int scmi_cmd_describe_fastchannel(struct scmi_handle *h, uint8_t proto, uint8_t msg,
				  uint32_t domain, uint8_t msg_id, struct scmi_fastchannel *fc)
{
	uint32_t in[2] = { domain, msg_id };
	uint32_t w[11];
	int ret;

	ret = scmi_cmd_words(h, proto, msg, in, 2, w, OS_ARRAY_SIZE(w));
	if (ret)
		return ret;	/* -EOPNOTSUPP: the expected refusal over virtio */
	fc->attributes = w[0];
	fc->rate_limit_us = SCMI_FIELD_GET(SCMI_PERF_RATE_LIMIT_US, w[1]);
	fc->chan_addr = (uint64_t)w[3] << 32 | w[2];
	fc->chan_size = w[4];
	fc->db_addr = (uint64_t)w[6] << 32 | w[5];
	fc->db_set_mask = (uint64_t)w[8] << 32 | w[7];
	fc->db_preserve_mask = (uint64_t)w[10] << 32 | w[9];
	return 0;
}

/* ---- commands common to every protocol -------------------------------------- */

int scmi_protocol_version(struct scmi_handle *h, uint8_t proto, uint32_t *version)
{
	return scmi_cmd_words(h, proto, SCMI_MSG_PROTOCOL_VERSION, NULL, 0, version, 1);
}

int scmi_proto_version(struct scmi_handle *h, uint8_t proto, uint32_t *version)
{
	uint32_t v = scmi_proto_version_get(h, proto);
	int ret;

	if (v) {
		*version = v;
		return 0;
	}
	ret = scmi_protocol_version(h, proto, &v);
	if (ret)
		return ret;
	scmi_proto_version_set(h, proto, v);
	*version = v;
	return 0;
}

int scmi_protocol_attributes(struct scmi_handle *h, uint8_t proto, uint32_t *words,
			     size_t nwords, size_t *got)
{
	struct scmi_xfer *x;
	size_t i, n;
	int ret;

	ret = scmi_xfer_get_init(h, proto, SCMI_MSG_PROTOCOL_ATTRIBUTES, 0, 0, &x);
	if (ret)
		return ret;
	ret = scmi_do_xfer(h, x);
	if (ret)
		goto out_put;
	/* every protocol's attributes start with one word */
	if (x->rx.len < 4) {
		ret = -EPROTO;
		goto out_put;
	}
	n = OS_MIN(x->rx.len / 4, nwords);
	for (i = 0; i < n; i++)
		words[i] = scmi_rx_word(x->rx.buf, i);
	*got = n;
out_put:
	scmi_xfer_put(h, x);
	return ret;
}

int scmi_protocol_message_attributes(struct scmi_handle *h, uint8_t proto, uint8_t msg_id,
				     uint32_t *attrs)
{
	uint32_t in = msg_id;

	return scmi_cmd_words(h, proto, SCMI_MSG_PROTOCOL_MESSAGE_ATTRIBUTES, &in, 1, attrs, 1);
}

int scmi_protocol_negotiate_version(struct scmi_handle *h, uint8_t proto, uint32_t version)
{
	return scmi_cmd_words(h, proto, SCMI_MSG_NEGOTIATE_PROTOCOL_VERSION, &version, 1, NULL, 0);
}

/* The version of each standard protocol this agent implements (SCMI v3.2). */
static uint32_t agent_version(uint8_t proto)
{
	switch (proto) {
	case SCMI_PROTO_BASE:
		return SCMI_BASE_VERSION_V3_2;
	case SCMI_PROTO_POWER:
		return SCMI_POWER_VERSION_V3_2;
	case SCMI_PROTO_SYSTEM:
		return SCMI_SYSTEM_VERSION_V3_2;
	case SCMI_PROTO_PERF:
		return SCMI_PERF_VERSION_V3_2;
	case SCMI_PROTO_CLOCK:
		return SCMI_CLOCK_VERSION_V3_2;
	case SCMI_PROTO_SENSOR:
		return SCMI_SENSOR_VERSION_V3_2;
	case SCMI_PROTO_RESET:
		return SCMI_RESET_VERSION_V3_2;
	case SCMI_PROTO_VOLTAGE:
		return SCMI_VOLTAGE_VERSION_V3_2;
	case SCMI_PROTO_POWERCAP:
		return SCMI_POWERCAP_VERSION_V3_2;
	case SCMI_PROTO_PINCTRL:
		return SCMI_PINCTRL_VERSION_V3_2;
	default:
		return 0;	/* vendor protocols: whatever the platform speaks */
	}
}

int scmi_protocol_setup(struct scmi_handle *h, uint8_t proto, uint32_t *version)
{
	uint32_t plat, mine = agent_version(proto);
	int ret;

	ret = scmi_protocol_version(h, proto, &plat);
	if (ret)
		return ret;
	if (!mine || plat <= mine)
		goto use_platform;
	/*
	 * The platform is newer than this agent: ask it to speak ours. A
	 * platform that cannot is still usable when only the minor differs
	 * (minors are backward compatible, DEN0056 4.1.3); a newer major is not.
	 */
	ret = scmi_protocol_negotiate_version(h, proto, mine);
	if (ret == 0) {
		plat = mine;
		goto use_platform;
	}
	if (ret != -EOPNOTSUPP && ret != -EINVAL && ret != -ENOENT)
		return ret;
	if (SCMI_VERSION_MAJOR(plat) != SCMI_VERSION_MAJOR(mine)) {
		os_warn("scmi: protocol 0x%x version 0x%x is newer than 0x%x and not negotiable",
			proto, (unsigned)plat, (unsigned)mine);
		return -EPROTONOSUPPORT;
	}
use_platform:
	scmi_proto_version_set(h, proto, plat);
	*version = plat;
	return 0;
}

bool scmi_protocol_has_message(struct scmi_handle *h, uint8_t proto, uint8_t msg_id)
{
	uint32_t attrs;

	return scmi_protocol_message_attributes(h, proto, msg_id, &attrs) == 0;
}

/* ---- paginated lists ----------------------------------------------------------- */

/* Check one page's counts against what came before; 0 or -EPROTO/@overflow_err. */
static int iter_check_page(const struct scmi_iter_state *st, bool first, uint32_t prev_remaining,
			   uint32_t max_items, int overflow_err)
{
	size_t room;

	if (!first && (uint64_t)st->returned + st->remaining != prev_remaining)
		return -EPROTO;				/* the total changed under us */
	if (st->returned == 0)
		return st->remaining ? -EPROTO : 0;	/* no progress is a lie */
	if ((uint64_t)st->index + st->returned + st->remaining > max_items)
		return overflow_err;
	if (st->item_size) {
		room = (st->rx_len - st->hdr_size) / st->item_size;
		if (st->returned > room)
			return -EPROTO;			/* claims more than it sent */
	}
	return 0;
}

int scmi_iter_run(struct scmi_handle *h, uint8_t proto, uint8_t msg, size_t tx_size,
		  uint32_t max_items, int overflow_err, const struct scmi_iter_ops *ops,
		  void *priv, uint32_t *total)
{
	return scmi_iter_run_hdr(h, proto, msg, tx_size, 4, max_items, overflow_err, ops, priv,
				 total);
}

int scmi_iter_run_hdr(struct scmi_handle *h, uint8_t proto, uint8_t msg, size_t tx_size,
		      size_t hdr_size, uint32_t max_items, int overflow_err,
		      const struct scmi_iter_ops *ops, void *priv, uint32_t *total)
{
	struct scmi_iter_state st = { .hdr_size = hdr_size };
	uint32_t prev_remaining = 0;
	struct scmi_xfer *x;
	bool first = true;
	int ret, used;

	ret = scmi_xfer_get_init(h, proto, msg, tx_size, 0, &x);
	if (ret)
		return ret;

	for (;;) {
		ops->prepare(x->tx.buf, st.index, priv);
		scmi_xfer_reset_rx(h, x);
		ret = scmi_do_xfer(h, x);
		if (ret)
			break;

		st.rx = x->rx.buf;
		st.rx_len = x->rx.len;
		st.returned = st.remaining = 0;
		st.single_page = false;
		if (st.rx_len < st.hdr_size) {
			ret = -EPROTO;
			break;
		}
		ret = ops->update(&st, priv);
		if (ret)
			break;
		ret = iter_check_page(&st, first, prev_remaining, max_items, overflow_err);
		if (ret == -EPROTO)
			os_warn("scmi: proto 0x%x msg 0x%x: page at %u claims %u returned, %u "
				"remaining in %zu bytes: rejected", proto, msg, (unsigned)st.index,
				(unsigned)st.returned, (unsigned)st.remaining, st.rx_len);
		if (ret || st.returned == 0)
			break;

		st.offset = st.hdr_size;
		for (st.loop_idx = 0; st.loop_idx < st.returned; st.loop_idx++) {
			if (st.offset >= st.rx_len) {
				ret = -EPROTO;
				break;
			}
			used = ops->process(&st, priv);
			if (used < 0) {
				ret = used;
				break;
			}
			if (used == 0)
				used = (int)st.item_size;
			if (used <= 0 || (size_t)used > st.rx_len - st.offset) {
				ret = -EPROTO;
				break;
			}
			st.offset += (size_t)used;
		}
		if (ret)
			break;

		st.index += st.returned;
		if (st.remaining == 0 || st.single_page)
			break;
		prev_remaining = st.remaining;
		first = false;
	}

	scmi_xfer_put(h, x);
	if (!ret && total)
		*total = st.index;
	return ret;
}
