// SPDX-License-Identifier: MIT
/*
 * SCMI clock protocol (0x14), agent side: clock discovery, rates (a
 * paginated discrete list, or a {min, max, step} range), rate set in its
 * synchronous and asynchronous (delayed response) forms, enable and OEM
 * configuration, parents, permissions and the two rate notifications.
 */
#include "scmi/agent/protocols.h"
#include "scmi/wire/clock.h"

int scmi_clock_protocol_attributes(struct scmi_handle *h, struct scmi_clock_proto_info *info)
{
	uint32_t attr;
	size_t got;
	int ret;

	ret = scmi_protocol_version(h, SCMI_PROTO_CLOCK, &info->version);
	if (ret)
		return ret;
	ret = scmi_protocol_attributes(h, SCMI_PROTO_CLOCK, &attr, 1, &got);
	if (ret)
		return ret;
	info->num_clocks = SCMI_FIELD_GET(SCMI_CLOCK_ATTR_NUM_CLOCKS, attr);
	info->max_async_pending = SCMI_FIELD_GET(SCMI_CLOCK_ATTR_MAX_PENDING, attr);
	return 0;
}

int scmi_clock_name_get(struct scmi_handle *h, uint32_t clk, char name[SCMI_NAME_MAX])
{
	return scmi_cmd_ext_name(h, SCMI_PROTO_CLOCK, SCMI_CLOCK_NAME_GET, clk, false, 0, name);
}

int scmi_clock_attributes(struct scmi_handle *h, uint32_t clk, struct scmi_clock_attrs *attrs)
{
	const struct scmi_clock_attributes_p2a *r;
	struct scmi_xfer *x;
	uint32_t a;
	int ret;

	ret = scmi_xfer_get_init(h, SCMI_PROTO_CLOCK, SCMI_CLOCK_ATTRIBUTES,
				 sizeof(struct scmi_clock_id_a2p), 0, &x);
	if (ret)
		return ret;
	SCMI_TX(x, struct scmi_clock_id_a2p)->clock_id = CPU(clk);
	ret = scmi_do_xfer(h, x);
	if (ret)
		goto out_put;
	/* enable_delay_us arrived with clock 2.0: older replies stop before it */
	if (x->rx.len < offsetof(struct scmi_clock_attributes_p2a, enable_delay_us)) {
		ret = -EPROTO;
		goto out_put;
	}
	r = SCMI_RX(x, struct scmi_clock_attributes_p2a);
	a = LE(r->attributes);
	memset(attrs, 0, sizeof(*attrs));
	attrs->id = clk;
	attrs->attributes = a;
	attrs->enabled = a & SCMI_CLOCK_ENABLED;
	attrs->get_permissions = a & SCMI_CLOCK_GET_PERMISSIONS_SUPPORT;
	attrs->notify_rate = a & SCMI_CLOCK_RATE_CHANGED_NOTIFY;
	attrs->notify_rate_req = a & SCMI_CLOCK_RATE_CHANGE_REQ_NOTIFY;
	attrs->ext_name = a & SCMI_CLOCK_EXT_NAME;
	attrs->parents = a & SCMI_CLOCK_PARENT_SUPPORT;
	attrs->ext_config = a & SCMI_CLOCK_EXT_CONFIG;
	if (x->rx.len >= sizeof(*r))
		attrs->enable_delay_us = LE(r->enable_delay_us);
	scmi_copy_name(attrs->name, r->name, sizeof(r->name));
out_put:
	scmi_xfer_put(h, x);
	if (!ret && attrs->ext_name)
		(void)scmi_clock_name_get(h, clk, attrs->name);
	return ret;
}

/* ---- CLOCK_DESCRIBE_RATES ------------------------------------------------------ */

struct rates_priv {
	uint32_t clk;
	uint64_t *rates;
	size_t cap;		/* entries kept; the walk goes on past it if truncate */
	bool is_range;
};

static void rates_prepare(uint8_t *tx, uint32_t index, void *priv)
{
	const struct rates_priv *p = priv;

	scmi_put_le32(tx + offsetof(struct scmi_clock_describe_rates_a2p, clock_id), p->clk);
	scmi_put_le32(tx + offsetof(struct scmi_clock_describe_rates_a2p, rate_index), index);
}

static int rates_update(struct scmi_iter_state *st, void *priv)
{
	struct rates_priv *p = priv;
	uint32_t f = scmi_rx_word(st->rx, 0);

	st->returned = SCMI_FIELD_GET(SCMI_CLOCK_RATES_RETURNED, f);
	st->remaining = SCMI_FIELD_GET(SCMI_CLOCK_RATES_REMAINING, f);
	st->item_size = sizeof(struct scmi_clock_rate);
	if (f & SCMI_CLOCK_RATES_FORMAT_RANGE) {
		/* A range is one self-contained triplet, only ever on page one. */
		if (st->index != 0 || st->returned != 3 || st->remaining != 0)
			return -EPROTO;
		p->is_range = true;
		st->single_page = true;
	} else if (p->is_range) {
		return -EPROTO;
	}
	return 0;
}

static int rates_process(struct scmi_iter_state *st, void *priv)
{
	struct rates_priv *p = priv;
	uint32_t i = st->index + st->loop_idx;
	const uint8_t *e = st->rx + st->offset;

	if (i < p->cap)
		p->rates[i] = (uint64_t)scmi_get_le32(e + 4) << 32 | scmi_get_le32(e);
	return 0;
}

/* Walk every page; keep @cap rates. Without @truncate more than @cap is -ENOBUFS. */
static int clock_rates(struct scmi_handle *h, uint32_t clk, uint64_t *rates, size_t cap,
		       bool truncate, uint32_t *total, bool *is_range)
{
	static const struct scmi_iter_ops ops = {
		.prepare = rates_prepare,
		.update = rates_update,
		.process = rates_process,
	};
	struct rates_priv p = { .clk = clk, .rates = rates, .cap = cap };
	uint32_t max = truncate ? UINT32_MAX : (uint32_t)OS_MIN(cap, (size_t)UINT32_MAX);
	int ret;

	ret = scmi_iter_run(h, SCMI_PROTO_CLOCK, SCMI_CLOCK_DESCRIBE_RATES,
			    sizeof(struct scmi_clock_describe_rates_a2p), max, -ENOBUFS, &ops, &p,
			    total);
	if (ret)
		return ret;
	/* A range must at least be ordered; a step of 0 means "any rate". */
	if (p.is_range && cap >= 2 && rates[0] > rates[1])
		return -EPROTO;
	*is_range = p.is_range;
	return 0;
}

int scmi_clock_describe_rates(struct scmi_handle *h, uint32_t clk, uint64_t *rates, size_t cap,
			      size_t *count, bool *is_range)
{
	uint32_t total;
	int ret;

	ret = clock_rates(h, clk, rates, cap, false, &total, is_range);
	if (ret)
		return ret;
	*count = total;
	return 0;
}

/* ---- rates -------------------------------------------------------------------- */

int scmi_clock_rate_set_ex(struct scmi_handle *h, uint32_t clk, uint64_t rate,
			   enum scmi_clock_round round, bool async, bool ignore_dresp,
			   uint64_t *actual)
{
	const struct scmi_clock_rate_set_complete_p2a *r;
	struct scmi_clock_rate_set_a2p *t;
	bool wait_dresp = async && !ignore_dresp;
	struct scmi_xfer *x;
	uint32_t flags = 0;
	int ret;

	switch (round) {
	case SCMI_CLOCK_ROUND_DOWN:
		break;
	case SCMI_CLOCK_ROUND_UP:
		flags |= SCMI_CLOCK_SET_ROUND_UP;
		break;
	case SCMI_CLOCK_ROUND_AUTO:
		flags |= SCMI_CLOCK_SET_ROUND_AUTO;
		break;
	default:
		return -EINVAL;
	}
	if (async)
		flags |= SCMI_CLOCK_SET_ASYNC;
	if (async && ignore_dresp)
		flags |= SCMI_CLOCK_SET_IGNORE_DRESP;

	ret = scmi_xfer_get_init(h, SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_SET, sizeof(*t), 0, &x);
	if (ret)
		return ret;
	t = SCMI_TX(x, struct scmi_clock_rate_set_a2p);
	t->flags = CPU(flags);
	t->clock_id = CPU(clk);
	t->rate_lo = CPU((uint32_t)rate);
	t->rate_hi = CPU((uint32_t)(rate >> 32));

	if (!wait_dresp) {
		ret = scmi_do_xfer(h, x);
		goto out_put;
	}
	ret = scmi_do_xfer_with_response(h, x);
	if (ret)
		goto out_put;
	/* CLOCK_RATE_SET_COMPLETE: must name our clock */
	if (x->rx.len < sizeof(*r)) {
		ret = -EPROTO;
		goto out_put;
	}
	r = SCMI_RX(x, struct scmi_clock_rate_set_complete_p2a);
	if (LE(r->clock_id) != clk) {
		ret = -EPROTO;
		goto out_put;
	}
	if (actual)
		*actual = scmi_u64_from_words(r->rate_lo, r->rate_hi);
out_put:
	scmi_xfer_put(h, x);
	return ret;
}

int scmi_clock_rate_set(struct scmi_handle *h, uint32_t clk, uint64_t rate, bool async)
{
	return scmi_clock_rate_set_ex(h, clk, rate, SCMI_CLOCK_ROUND_AUTO, async, false, NULL);
}

int scmi_clock_rate_get(struct scmi_handle *h, uint32_t clk, uint64_t *rate)
{
	uint32_t out[2];
	int ret;

	ret = scmi_cmd_words(h, SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_GET, &clk, 1, out, 2);
	if (ret)
		return ret;
	*rate = (uint64_t)out[1] << 32 | out[0];
	return 0;
}

/* ---- configuration -------------------------------------------------------------- */

int scmi_clock_config_set(struct scmi_handle *h, uint32_t clk, enum scmi_clock_state state,
			  uint8_t oem_type, uint32_t oem_val)
{
	uint32_t in[3], version;
	int ret;

	if (state != SCMI_CLOCK_DISABLE && state != SCMI_CLOCK_ENABLE && state != SCMI_CLOCK_KEEP)
		return -EINVAL;
	ret = scmi_proto_version(h, SCMI_PROTO_CLOCK, &version);
	if (ret)
		return ret;
	in[0] = clk;
	in[1] = SCMI_FIELD_PREP(SCMI_CLOCK_CFG_STATE, state);
	if (SCMI_VERSION_MAJOR(version) < 3) {
		/* Before 3.0: { id, attributes bit 0 = enable } and nothing else. */
		if (state == SCMI_CLOCK_KEEP || oem_type)
			return -EOPNOTSUPP;
		return scmi_cmd_words(h, SCMI_PROTO_CLOCK, SCMI_CLOCK_CONFIG_SET, in, 2, NULL, 0);
	}
	in[1] |= SCMI_FIELD_PREP(SCMI_CLOCK_CFG_OEM_TYPE, oem_type);
	in[2] = oem_type ? oem_val : 0;
	return scmi_cmd_words(h, SCMI_PROTO_CLOCK, SCMI_CLOCK_CONFIG_SET, in, 3, NULL, 0);
}

int scmi_clock_enable(struct scmi_handle *h, uint32_t clk, bool enable)
{
	return scmi_clock_config_set(h, clk, enable ? SCMI_CLOCK_ENABLE : SCMI_CLOCK_DISABLE, 0, 0);
}

int scmi_clock_config_get(struct scmi_handle *h, uint32_t clk, uint8_t oem_type, bool *enabled,
			  uint32_t *oem_val)
{
	uint32_t in[2] = { clk, SCMI_FIELD_PREP(SCMI_CLOCK_CFG_GET_OEM_TYPE, oem_type) };
	uint32_t out[3];
	int ret;

	ret = scmi_cmd_words(h, SCMI_PROTO_CLOCK, SCMI_CLOCK_CONFIG_GET, in, 2, out, 3);
	if (ret)
		return ret;
	*enabled = out[1] & SCMI_CLOCK_CONFIG_ENABLED;
	if (oem_val)
		*oem_val = out[2];
	return 0;
}

int scmi_clock_rate_notify(struct scmi_handle *h, uint32_t clk, bool enable)
{
	return scmi_cmd_notify(h, SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_NOTIFY, clk, enable);
}

int scmi_clock_rate_change_requested_notify(struct scmi_handle *h, uint32_t clk, bool enable)
{
	return scmi_cmd_notify(h, SCMI_PROTO_CLOCK, SCMI_CLOCK_RATE_CHANGE_REQUESTED_NOTIFY, clk,
			       enable);
}

/* ---- parents --------------------------------------------------------------------- */

struct parents_priv {
	uint32_t clk;
	uint32_t *parents;
	size_t cap;
};

static void parents_prepare(uint8_t *tx, uint32_t index, void *priv)
{
	const struct parents_priv *p = priv;

	scmi_put_le32(tx + offsetof(struct scmi_clock_possible_parents_get_a2p, clock_id), p->clk);
	scmi_put_le32(tx + offsetof(struct scmi_clock_possible_parents_get_a2p, skip_parents),
		      index);
}

static int parents_update(struct scmi_iter_state *st, void *priv)
{
	uint32_t f = scmi_rx_word(st->rx, 0);

	st->returned = SCMI_FIELD_GET(SCMI_CLOCK_PARENTS_RETURNED, f);
	st->remaining = SCMI_FIELD_GET(SCMI_CLOCK_PARENTS_REMAINING, f);
	st->item_size = 4;
	return 0;
}

static int parents_process(struct scmi_iter_state *st, void *priv)
{
	struct parents_priv *p = priv;
	uint32_t i = st->index + st->loop_idx;

	if (i < p->cap)
		p->parents[i] = scmi_get_le32(st->rx + st->offset);
	return 0;
}

static int clock_parents(struct scmi_handle *h, uint32_t clk, uint32_t *parents, size_t cap,
			 bool truncate, uint32_t *total)
{
	static const struct scmi_iter_ops ops = {
		.prepare = parents_prepare,
		.update = parents_update,
		.process = parents_process,
	};
	struct parents_priv p = { .clk = clk, .parents = parents, .cap = cap };
	uint32_t max = truncate ? UINT32_MAX : (uint32_t)OS_MIN(cap, (size_t)UINT32_MAX);

	return scmi_iter_run(h, SCMI_PROTO_CLOCK, SCMI_CLOCK_POSSIBLE_PARENTS_GET,
			     sizeof(struct scmi_clock_possible_parents_get_a2p), max, -ENOBUFS,
			     &ops, &p, total);
}

int scmi_clock_possible_parents_get(struct scmi_handle *h, uint32_t clk, uint32_t *parents,
				    size_t cap, size_t *count)
{
	uint32_t total;
	int ret;

	ret = clock_parents(h, clk, parents, cap, false, &total);
	if (ret)
		return ret;
	*count = total;
	return 0;
}

int scmi_clock_parent_set(struct scmi_handle *h, uint32_t clk, uint32_t parent)
{
	uint32_t in[2] = { clk, parent };

	return scmi_cmd_words(h, SCMI_PROTO_CLOCK, SCMI_CLOCK_PARENT_SET, in, 2, NULL, 0);
}

int scmi_clock_parent_get(struct scmi_handle *h, uint32_t clk, uint32_t *parent)
{
	return scmi_cmd_words(h, SCMI_PROTO_CLOCK, SCMI_CLOCK_PARENT_GET, &clk, 1, parent, 1);
}

int scmi_clock_get_permissions(struct scmi_handle *h, uint32_t clk, uint32_t *perms)
{
	return scmi_cmd_words(h, SCMI_PROTO_CLOCK, SCMI_CLOCK_GET_PERMISSIONS, &clk, 1, perms, 1);
}

int scmi_clock_parse_rate_event(const void *payload, size_t len,
				struct scmi_clock_rate_event *ev)
{
	const uint8_t *p = payload;

	if (len < sizeof(struct scmi_clock_rate_notification_p2a))
		return -EPROTO;
	ev->agent_id = scmi_get_le32(p);
	ev->clock_id = scmi_get_le32(p + 4);
	ev->rate = (uint64_t)scmi_get_le32(p + 12) << 32 | scmi_get_le32(p + 8);
	return 0;
}

/* ---- enumeration ------------------------------------------------------------------ */

int scmi_clock_describe(struct scmi_handle *h, uint32_t clk, struct scmi_clock_info *info)
{
	uint32_t total;
	int ret;

	memset(info, 0, sizeof(*info));
	ret = scmi_clock_attributes(h, clk, &info->attrs);
	if (ret)
		return ret;
	ret = clock_rates(h, clk, info->rates, SCMI_CLOCK_INFO_MAX_RATES, true, &total,
			  &info->rates_range);
	if (ret)
		return ret;
	info->nr_rates = total;
	ret = scmi_clock_rate_get(h, clk, &info->rate);
	if (ret)
		return ret;
	/* Parents and permissions may be withheld from this agent: skip them. */
	if (info->attrs.parents) {
		ret = clock_parents(h, clk, info->parent_ids, SCMI_CLOCK_INFO_MAX_PARENTS, true,
				    &total);
		if (ret && !scmi_refused(ret))
			return ret;
		info->nr_parents = ret ? 0 : total;
		ret = scmi_clock_parent_get(h, clk, &info->parent);
		if (ret && !scmi_refused(ret))
			return ret;
		info->has_parent = !ret;
	}
	if (info->attrs.get_permissions) {
		ret = scmi_clock_get_permissions(h, clk, &info->permissions);
		if (ret && !scmi_refused(ret))
			return ret;
		info->has_permissions = !ret;
	}
	return 0;
}

int scmi_clock_for_each(struct scmi_handle *h,
			int (*fn)(void *priv, const struct scmi_clock_info *c), void *priv)
{
	struct scmi_clock_proto_info pi;
	struct scmi_clock_info *info;
	uint32_t i;
	int ret;

	ret = scmi_clock_protocol_attributes(h, &pi);
	if (ret)
		return ret;
	/* Large enough not to live on a freestanding kernel's small stack. */
	info = os_zalloc(sizeof(*info));
	if (!info)
		return -ENOMEM;
	for (i = 0; i < pi.num_clocks; i++) {
		ret = scmi_clock_describe(h, i, info);
		if (!ret)
			ret = fn(priv, info);
		if (ret)
			break;
	}
	os_free(info);
	return ret;
}
