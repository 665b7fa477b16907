// SPDX-License-Identifier: MIT
/*
 * SCMI reset domain protocol (0x16), agent side: domain discovery, resets
 * (autonomous cycle, explicit assert or deassert; synchronous, or
 * asynchronous with the RESET_COMPLETE delayed response) and RESET_ISSUED
 * notifications.
 */
#include "scmi/agent/protocols.h"
#include "scmi/wire/reset.h"

int scmi_reset_protocol_attributes(struct scmi_handle *h, uint32_t *version,
				   uint32_t *num_domains)
{
	uint32_t attr;
	size_t got;
	int ret;

	ret = scmi_protocol_version(h, SCMI_PROTO_RESET, version);
	if (ret)
		return ret;
	ret = scmi_protocol_attributes(h, SCMI_PROTO_RESET, &attr, 1, &got);
	if (ret)
		return ret;
	*num_domains = SCMI_FIELD_GET(SCMI_RESET_ATTR_NUM_DOMAINS, attr);
	return 0;
}

int scmi_reset_domain_name_get(struct scmi_handle *h, uint32_t domain, char name[SCMI_NAME_MAX])
{
	return scmi_cmd_ext_name(h, SCMI_PROTO_RESET, SCMI_RESET_DOMAIN_NAME_GET, domain, false, 0,
				 name);
}

int scmi_reset_domain_attributes(struct scmi_handle *h, uint32_t domain,
				 struct scmi_reset_domain_info *info)
{
	struct scmi_reset_domain_attributes_p2a r;
	uint32_t a;
	int ret;

	ret = scmi_cmd_reply(h, SCMI_PROTO_RESET, SCMI_RESET_DOMAIN_ATTRIBUTES,
			     &domain, 1, &r, sizeof(r));
	if (ret)
		return ret;
	a = LE(r.attributes);
	memset(info, 0, sizeof(*info));
	info->id = domain;
	info->attributes = a;
	info->async = a & SCMI_RESET_DOM_ASYNC;
	info->notify = a & SCMI_RESET_DOM_NOTIFY;
	info->ext_name = a & SCMI_RESET_DOM_EXT_NAME;
	info->latency_us = LE(r.latency_us);
	scmi_copy_name(info->name, r.name, sizeof(r.name));
	if (info->ext_name)
		(void)scmi_reset_domain_name_get(h, domain, info->name);
	return 0;
}

int scmi_reset(struct scmi_handle *h, uint32_t domain, enum scmi_reset_mode mode,
	       uint32_t reset_state, bool async)
{
	uint32_t in[3] = { domain, 0, reset_state };
	uint32_t done_domain;
	int ret;

	switch (mode) {
	case SCMI_RESET_MODE_AUTONOMOUS:
		in[1] = SCMI_RESET_AUTONOMOUS;
		break;
	case SCMI_RESET_MODE_ASSERT:
		in[1] = SCMI_RESET_EXPLICIT_ASSERT;
		break;
	case SCMI_RESET_MODE_DEASSERT:
		break;
	default:
		return -EINVAL;
	}
	if (!async)
		return scmi_cmd_words(h, SCMI_PROTO_RESET, SCMI_RESET_RESET, in, 3, NULL, 0);

	in[1] |= SCMI_RESET_ASYNC;
	ret = scmi_cmd_words_async(h, SCMI_PROTO_RESET, SCMI_RESET_RESET, in, 3, &done_domain, 1);
	/* RESET_COMPLETE must be about the domain we reset. */
	if (!ret && done_domain != domain)
		ret = -EPROTO;
	return ret;
}

int scmi_reset_notify(struct scmi_handle *h, uint32_t domain, bool enable)
{
	return scmi_cmd_notify(h, SCMI_PROTO_RESET, SCMI_RESET_NOTIFY, domain, enable);
}

int scmi_reset_parse_event(const void *payload, size_t len, struct scmi_reset_event *ev)
{
	const uint8_t *p = payload;

	if (len < sizeof(struct scmi_reset_issued_p2a))
		return -EPROTO;
	ev->agent_id = scmi_get_le32(p + offsetof(struct scmi_reset_issued_p2a, agent_id));
	ev->domain_id = scmi_get_le32(p + offsetof(struct scmi_reset_issued_p2a, domain_id));
	ev->reset_state = scmi_get_le32(p + offsetof(struct scmi_reset_issued_p2a, reset_state));
	return 0;
}

int scmi_reset_for_each(struct scmi_handle *h,
			int (*fn)(void *priv, const struct scmi_reset_domain_info *d), void *priv)
{
	struct scmi_reset_domain_info d;
	uint32_t version, n, i;
	int ret;

	ret = scmi_reset_protocol_attributes(h, &version, &n);
	if (ret)
		return ret;
	for (i = 0; i < n; i++) {
		ret = scmi_reset_domain_attributes(h, i, &d);
		if (!ret)
			ret = fn(priv, &d);
		if (ret)
			return ret;
	}
	return 0;
}
