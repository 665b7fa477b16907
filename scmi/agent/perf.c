// SPDX-License-Identifier: MIT
/*
 * SCMI performance domain protocol (0x13), agent side: DVFS domains, their
 * level tables (12-byte entries before protocol 4.0, 20-byte ones with the
 * indicative frequency and level index from 4.0), limits and levels, the
 * two notifications, and fast channels -- which virtio-scmi cannot use: the
 * description can be asked for (the platform is expected to refuse), but
 * every level and limit goes through messages.
 */
#include "scmi/agent/protocols.h"
#include "scmi/wire/perf.h"

int scmi_perf_protocol_attributes(struct scmi_handle *h, struct scmi_perf_proto_info *info)
{
	uint32_t w[4];
	size_t got;
	int ret;

	ret = scmi_protocol_version(h, SCMI_PROTO_PERF, &info->version);
	if (ret)
		return ret;
	ret = scmi_protocol_attributes(h, SCMI_PROTO_PERF, w, 4, &got);
	if (ret)
		return ret;
	if (got < 4)
		return -EPROTO;
	info->num_domains = SCMI_FIELD_GET(SCMI_PERF_ATTR_NUM_DOMAINS, w[0]);
	info->power_mw = w[0] & SCMI_PERF_ATTR_POWER_MW;
	info->power_uw = w[0] & SCMI_PERF_ATTR_POWER_UW;
	info->stats_addr = (uint64_t)w[2] << 32 | w[1];
	info->stats_len = w[3];
	return 0;
}

int scmi_perf_domain_name_get(struct scmi_handle *h, uint32_t domain, char name[SCMI_NAME_MAX])
{
	return scmi_cmd_ext_name(h, SCMI_PROTO_PERF, SCMI_PERF_DOMAIN_NAME_GET, domain, false, 0,
				 name);
}

int scmi_perf_domain_attributes(struct scmi_handle *h, uint32_t domain,
				struct scmi_perf_domain_info *info)
{
	struct scmi_perf_domain_attributes_p2a r;
	uint32_t a;
	int ret;

	ret = scmi_cmd_reply(h, SCMI_PROTO_PERF, SCMI_PERF_DOMAIN_ATTRIBUTES,
			     &domain, 1, &r, sizeof(r));
	if (ret)
		return ret;
	a = LE(r.attributes);
	memset(info, 0, sizeof(*info));
	info->id = domain;
	info->attributes = a;
	info->set_limits = a & SCMI_PERF_DOM_SET_LIMITS;
	info->set_level = a & SCMI_PERF_DOM_SET_LEVEL;
	info->notify_limits = a & SCMI_PERF_DOM_LIMITS_NOTIFY;
	info->notify_level = a & SCMI_PERF_DOM_LEVEL_NOTIFY;
	info->fastchannel = a & SCMI_PERF_DOM_FASTCHANNEL;
	info->ext_name = a & SCMI_PERF_DOM_EXT_NAME;
	info->level_indexing = a & SCMI_PERF_DOM_LEVEL_INDEXING;
	info->rate_limit_us = SCMI_FIELD_GET(SCMI_PERF_RATE_LIMIT_US, LE(r.rate_limit));
	info->sustained_freq_khz = LE(r.sustained_freq_khz);
	info->sustained_level = LE(r.sustained_perf_level);
	scmi_copy_name(info->name, r.name, sizeof(r.name));
	if (info->ext_name)
		(void)scmi_perf_domain_name_get(h, domain, info->name);
	return 0;
}

/* ---- PERFORMANCE_DESCRIBE_LEVELS ------------------------------------------- */

struct levels_priv {
	uint32_t domain;
	bool v4;
	struct scmi_perf_level *levels;
};

static void levels_prepare(uint8_t *tx, uint32_t index, void *priv)
{
	const struct levels_priv *p = priv;

	scmi_put_le32(tx + offsetof(struct scmi_perf_describe_levels_a2p, domain_id), p->domain);
	scmi_put_le32(tx + offsetof(struct scmi_perf_describe_levels_a2p, level_index), index);
}

static int levels_update(struct scmi_iter_state *st, void *priv)
{
	const struct levels_priv *p = priv;
	uint32_t f = scmi_rx_word(st->rx, 0);

	st->returned = SCMI_FIELD_GET(SCMI_PERF_LEVELS_RETURNED, f);
	st->remaining = SCMI_FIELD_GET(SCMI_PERF_LEVELS_REMAINING, f);
	st->item_size = p->v4 ? sizeof(struct scmi_perf_level_v4) : sizeof(struct scmi_perf_level_v3);
	return 0;
}

static int levels_process(struct scmi_iter_state *st, void *priv)
{
	const struct levels_priv *p = priv;
	const uint8_t *e = st->rx + st->offset;
	struct scmi_perf_level *l = &p->levels[st->index + st->loop_idx];

	l->level = scmi_get_le32(e);
	l->power_cost = scmi_get_le32(e + 4);
	l->latency_us = SCMI_FIELD_GET(SCMI_PERF_LEVEL_LATENCY_US, scmi_get_le32(e + 8));
	if (p->v4) {
		l->indicative_freq_khz = scmi_get_le32(e + 12);
		l->level_index = scmi_get_le32(e + 16);
	} else {
		l->indicative_freq_khz = 0;
		l->level_index = st->index + st->loop_idx;
	}
	return 0;
}

int scmi_perf_describe_levels(struct scmi_handle *h, uint32_t domain,
			      struct scmi_perf_level *levels, size_t cap, size_t *count)
{
	static const struct scmi_iter_ops ops = {
		.prepare = levels_prepare,
		.update = levels_update,
		.process = levels_process,
	};
	struct levels_priv p = { .domain = domain, .levels = levels };
	uint32_t version, total;
	int ret;

	/* The entry layout depends on the version the platform speaks. */
	ret = scmi_proto_version(h, SCMI_PROTO_PERF, &version);
	if (ret)
		return ret;
	p.v4 = SCMI_VERSION_MAJOR(version) >= 4;
	ret = scmi_iter_run(h, SCMI_PROTO_PERF, SCMI_PERF_DESCRIBE_LEVELS,
			    sizeof(struct scmi_perf_describe_levels_a2p),
			    (uint32_t)OS_MIN(cap, (size_t)UINT32_MAX), -ENOBUFS, &ops, &p, &total);
	if (ret)
		return ret;
	*count = total;
	return 0;
}

/* ---- limits, levels, notifications --------------------------------------------- */

int scmi_perf_limits_set(struct scmi_handle *h, uint32_t domain, uint32_t range_max,
			 uint32_t range_min)
{
	uint32_t in[3] = { domain, range_max, range_min };

	if (range_min > range_max)
		return -EINVAL;
	return scmi_cmd_words(h, SCMI_PROTO_PERF, SCMI_PERF_LIMITS_SET, in, 3, NULL, 0);
}

int scmi_perf_limits_get(struct scmi_handle *h, uint32_t domain, uint32_t *range_max,
			 uint32_t *range_min)
{
	uint32_t out[2];
	int ret;

	ret = scmi_cmd_words(h, SCMI_PROTO_PERF, SCMI_PERF_LIMITS_GET, &domain, 1, out, 2);
	if (ret)
		return ret;
	*range_max = out[0];
	*range_min = out[1];
	return 0;
}

int scmi_perf_level_set(struct scmi_handle *h, uint32_t domain, uint32_t level)
{
	uint32_t in[2] = { domain, level };

	return scmi_cmd_words(h, SCMI_PROTO_PERF, SCMI_PERF_LEVEL_SET, in, 2, NULL, 0);
}

int scmi_perf_level_get(struct scmi_handle *h, uint32_t domain, uint32_t *level)
{
	return scmi_cmd_words(h, SCMI_PROTO_PERF, SCMI_PERF_LEVEL_GET, &domain, 1, level, 1);
}

int scmi_perf_notify_limits(struct scmi_handle *h, uint32_t domain, bool enable)
{
	return scmi_cmd_notify(h, SCMI_PROTO_PERF, SCMI_PERF_NOTIFY_LIMITS, domain, enable);
}

int scmi_perf_notify_level(struct scmi_handle *h, uint32_t domain, bool enable)
{
	return scmi_cmd_notify(h, SCMI_PROTO_PERF, SCMI_PERF_NOTIFY_LEVEL, domain, enable);
}

int scmi_perf_describe_fastchannel(struct scmi_handle *h, uint32_t domain, uint8_t msg_id,
				   struct scmi_fastchannel *fc)
{
	/* Fast channels exist only for these four commands. */
	if (msg_id != SCMI_PERF_LIMITS_SET && msg_id != SCMI_PERF_LIMITS_GET &&
	    msg_id != SCMI_PERF_LEVEL_SET && msg_id != SCMI_PERF_LEVEL_GET)
		return -EINVAL;
	return scmi_cmd_describe_fastchannel(h, SCMI_PROTO_PERF, SCMI_PERF_DESCRIBE_FASTCHANNEL,
					     domain, msg_id, fc);
}

int scmi_perf_parse_limits_event(const void *payload, size_t len,
				 struct scmi_perf_limits_event *ev)
{
	const uint8_t *p = payload;

	if (len < sizeof(struct scmi_perf_limits_changed_p2a))
		return -EPROTO;
	ev->agent_id = scmi_get_le32(p + offsetof(struct scmi_perf_limits_changed_p2a, agent_id));
	ev->domain_id = scmi_get_le32(p + offsetof(struct scmi_perf_limits_changed_p2a, domain_id));
	ev->range_min = scmi_get_le32(p + offsetof(struct scmi_perf_limits_changed_p2a, range_min));
	ev->range_max = scmi_get_le32(p + offsetof(struct scmi_perf_limits_changed_p2a, range_max));
	return 0;
}

int scmi_perf_parse_level_event(const void *payload, size_t len,
				struct scmi_perf_level_event *ev)
{
	const uint8_t *p = payload;

	if (len < sizeof(struct scmi_perf_level_changed_p2a))
		return -EPROTO;
	ev->agent_id = scmi_get_le32(p + offsetof(struct scmi_perf_level_changed_p2a, agent_id));
	ev->domain_id = scmi_get_le32(p + offsetof(struct scmi_perf_level_changed_p2a, domain_id));
	ev->level = scmi_get_le32(p + offsetof(struct scmi_perf_level_changed_p2a, perf_level));
	return 0;
}

int scmi_perf_describe(struct scmi_handle *h, uint32_t domain, struct scmi_perf_domain_info *info)
{
	int ret;

	ret = scmi_perf_domain_attributes(h, domain, info);
	if (!ret)
		ret = scmi_perf_level_get(h, domain, &info->level);
	if (!ret)
		ret = scmi_perf_limits_get(h, domain, &info->limit_max, &info->limit_min);
	return ret;
}

int scmi_perf_for_each(struct scmi_handle *h,
		       int (*fn)(void *priv, const struct scmi_perf_domain_info *d), void *priv)
{
	struct scmi_perf_proto_info pi;
	struct scmi_perf_domain_info d;
	uint32_t i;
	int ret;

	ret = scmi_perf_protocol_attributes(h, &pi);
	if (ret)
		return ret;
	for (i = 0; i < pi.num_domains; i++) {
		ret = scmi_perf_describe(h, i, &d);
		if (!ret)
			ret = fn(priv, &d);
		if (ret)
			return ret;
	}
	return 0;
}
