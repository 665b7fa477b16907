// SPDX-License-Identifier: MIT
/*
 * SCMI voltage domain protocol (0x17), agent side: domain discovery, the
 * supported levels (a paginated list, or a {min, max, step} segment, in
 * signed microvolts), the on/off configuration, and levels set
 * (synchronously, or asynchronously with VOLTAGE_LEVEL_SET_COMPLETE) and get.
 */
#include "scmi/agent/protocols.h"
#include "scmi/wire/voltage.h"

int scmi_voltage_protocol_attributes(struct scmi_handle *h, uint32_t *version,
				     uint32_t *num_domains)
{
	uint32_t attr;
	size_t got;
	int ret;

	ret = scmi_protocol_version(h, SCMI_PROTO_VOLTAGE, version);
	if (ret)
		return ret;
	ret = scmi_protocol_attributes(h, SCMI_PROTO_VOLTAGE, &attr, 1, &got);
	if (ret)
		return ret;
	*num_domains = SCMI_FIELD_GET(SCMI_VOLTAGE_ATTR_NUM_DOMAINS, attr);
	return 0;
}

int scmi_voltage_domain_name_get(struct scmi_handle *h, uint32_t domain, char name[SCMI_NAME_MAX])
{
	return scmi_cmd_ext_name(h, SCMI_PROTO_VOLTAGE, SCMI_VOLTAGE_DOMAIN_NAME_GET, domain, false,
				 0, name);
}

int scmi_voltage_domain_attributes(struct scmi_handle *h, uint32_t domain,
				   struct scmi_voltage_domain_info *info)
{
	struct scmi_voltage_domain_attributes_p2a r;
	uint32_t a;
	int ret;

	ret = scmi_cmd_reply(h, SCMI_PROTO_VOLTAGE, SCMI_VOLTAGE_DOMAIN_ATTRIBUTES,
			     &domain, 1, &r, sizeof(r));
	if (ret)
		return ret;
	a = LE(r.attributes);
	memset(info, 0, sizeof(*info));
	info->id = domain;
	info->attributes = a;
	info->async = a & SCMI_VOLTAGE_DOM_ASYNC;
	info->ext_name = a & SCMI_VOLTAGE_DOM_EXT_NAME;
	scmi_copy_name(info->name, r.name, sizeof(r.name));
	if (info->ext_name)
		(void)scmi_voltage_domain_name_get(h, domain, info->name);
	return 0;
}

/* ---- VOLTAGE_DESCRIBE_LEVELS ------------------------------------------------------ */

struct levels_priv {
	uint32_t domain;
	int32_t *levels;
	size_t cap;
	bool is_range;
};

static void levels_prepare(uint8_t *tx, uint32_t index, void *priv)
{
	const struct levels_priv *p = priv;

	scmi_put_le32(tx, p->domain);
	scmi_put_le32(tx + 4, index);
}

static int levels_update(struct scmi_iter_state *st, void *priv)
{
	struct levels_priv *p = priv;
	uint32_t f = scmi_rx_word(st->rx, 0);

	st->returned = SCMI_FIELD_GET(SCMI_VOLTAGE_LEVELS_RETURNED, f);
	st->remaining = SCMI_FIELD_GET(SCMI_VOLTAGE_LEVELS_REMAINING, f);
	st->item_size = 4;
	if (f & SCMI_VOLTAGE_LEVELS_FORMAT_RANGE) {
		if (st->index != 0 || st->returned != 3 || st->remaining != 0)
			return -EPROTO;
		p->is_range = true;
		st->single_page = true;
	} else if (p->is_range) {
		return -EPROTO;
	}
	return 0;
}

static int levels_process(struct scmi_iter_state *st, void *priv)
{
	struct levels_priv *p = priv;
	uint32_t i = st->index + st->loop_idx;

	if (i < p->cap)
		p->levels[i] = (int32_t)scmi_get_le32(st->rx + st->offset);
	return 0;
}

static int voltage_levels(struct scmi_handle *h, uint32_t domain, int32_t *levels, size_t cap,
			  bool truncate, uint32_t *total, bool *is_range)
{
	static const struct scmi_iter_ops ops = {
		.prepare = levels_prepare,
		.update = levels_update,
		.process = levels_process,
	};
	struct levels_priv p = { .domain = domain, .levels = levels, .cap = cap };
	uint32_t max = truncate ? UINT32_MAX : (uint32_t)OS_MIN(cap, (size_t)UINT32_MAX);
	int ret;

	ret = scmi_iter_run(h, SCMI_PROTO_VOLTAGE, SCMI_VOLTAGE_DESCRIBE_LEVELS,
			    sizeof(struct scmi_voltage_describe_levels_a2p), max, -ENOBUFS, &ops,
			    &p, total);
	if (ret)
		return ret;
	if (p.is_range && cap >= 2 && levels[0] > levels[1])
		return -EPROTO;
	*is_range = p.is_range;
	return 0;
}

int scmi_voltage_describe_levels(struct scmi_handle *h, uint32_t domain, int32_t *levels_uv,
				 size_t cap, size_t *count, bool *is_range)
{
	uint32_t total;
	int ret;

	ret = voltage_levels(h, domain, levels_uv, cap, false, &total, is_range);
	if (ret)
		return ret;
	*count = total;
	return 0;
}

/* ---- configuration and levels ---------------------------------------------------------- */

int scmi_voltage_config_set(struct scmi_handle *h, uint32_t domain, uint32_t config)
{
	uint32_t in[2] = { domain, config & SCMI_VOLTAGE_CFG_MODE };

	if (config & ~SCMI_VOLTAGE_CFG_MODE)
		return -EINVAL;
	return scmi_cmd_words(h, SCMI_PROTO_VOLTAGE, SCMI_VOLTAGE_CONFIG_SET, in, 2, NULL, 0);
}

int scmi_voltage_config_get(struct scmi_handle *h, uint32_t domain, uint32_t *config)
{
	uint32_t out;
	int ret;

	ret = scmi_cmd_words(h, SCMI_PROTO_VOLTAGE, SCMI_VOLTAGE_CONFIG_GET, &domain, 1, &out, 1);
	if (ret)
		return ret;
	*config = out & SCMI_VOLTAGE_CFG_MODE;
	return 0;
}

int scmi_voltage_level_set(struct scmi_handle *h, uint32_t domain, int32_t level_uv, bool async)
{
	uint32_t in[3] = { domain, async ? SCMI_VOLTAGE_SET_ASYNC : 0, (uint32_t)level_uv };
	uint32_t out[2];
	int ret;

	if (!async)
		return scmi_cmd_words(h, SCMI_PROTO_VOLTAGE, SCMI_VOLTAGE_LEVEL_SET, in, 3, NULL, 0);
	ret = scmi_cmd_words_async(h, SCMI_PROTO_VOLTAGE, SCMI_VOLTAGE_LEVEL_SET, in, 3, out, 2);
	/* VOLTAGE_LEVEL_SET_COMPLETE must be about our domain. */
	if (!ret && out[0] != domain)
		ret = -EPROTO;
	return ret;
}

int scmi_voltage_level_get(struct scmi_handle *h, uint32_t domain, int32_t *level_uv)
{
	uint32_t out;
	int ret;

	ret = scmi_cmd_words(h, SCMI_PROTO_VOLTAGE, SCMI_VOLTAGE_LEVEL_GET, &domain, 1, &out, 1);
	if (ret)
		return ret;
	*level_uv = (int32_t)out;
	return 0;
}

/* ---- enumeration -------------------------------------------------------------------------- */

int scmi_voltage_describe(struct scmi_handle *h, uint32_t domain,
			  struct scmi_voltage_domain_info *info)
{
	uint32_t total;
	int ret;

	ret = scmi_voltage_domain_attributes(h, domain, info);
	if (!ret)
		ret = voltage_levels(h, domain, info->levels, OS_ARRAY_SIZE(info->levels), true,
				     &total, &info->levels_range);
	if (ret)
		return ret;
	info->nr_levels = total;
	ret = scmi_voltage_config_get(h, domain, &info->config);
	if (!ret)
		ret = scmi_voltage_level_get(h, domain, &info->level_uv);
	return ret;
}

int scmi_voltage_for_each(struct scmi_handle *h,
			  int (*fn)(void *priv, const struct scmi_voltage_domain_info *d),
			  void *priv)
{
	struct scmi_voltage_domain_info d;
	uint32_t version, n, i;
	int ret;

	ret = scmi_voltage_protocol_attributes(h, &version, &n);
	if (ret)
		return ret;
	for (i = 0; i < n; i++) {
		ret = scmi_voltage_describe(h, i, &d);
		if (!ret)
			ret = fn(priv, &d);
		if (ret)
			return ret;
	}
	return 0;
}
