// SPDX-License-Identifier: MIT
/*
 * SCMI power domain protocol (0x11), agent side: domain discovery, state
 * set (synchronous or asynchronous) and get, and the two notifications.
 *
 * An asynchronous POWER_STATE_SET has no delayed response in the
 * specification: the platform acknowledges the request and completes it
 * later; POWER_STATE_CHANGED tells subscribers when it is done.
 */
#include "scmi/agent/protocols.h"
#include "scmi/wire/power.h"

int scmi_power_protocol_attributes(struct scmi_handle *h, struct scmi_power_proto_info *info)
{
	uint32_t w[4];
	size_t got;
	int ret;

	ret = scmi_protocol_version(h, SCMI_PROTO_POWER, &info->version);
	if (ret)
		return ret;
	ret = scmi_protocol_attributes(h, SCMI_PROTO_POWER, w, 4, &got);
	if (ret)
		return ret;
	if (got < 4)
		return -EPROTO;
	info->num_domains = SCMI_FIELD_GET(SCMI_POWER_ATTR_NUM_DOMAINS, w[0]);
	info->stats_addr = (uint64_t)w[2] << 32 | w[1];
	info->stats_len = w[3];
	return 0;
}

int scmi_power_domain_name_get(struct scmi_handle *h, uint32_t domain, char name[SCMI_NAME_MAX])
{
	return scmi_cmd_ext_name(h, SCMI_PROTO_POWER, SCMI_POWER_DOMAIN_NAME_GET, domain, false, 0,
				 name);
}

int scmi_power_domain_attributes(struct scmi_handle *h, uint32_t domain,
				 struct scmi_power_domain_info *info)
{
	struct scmi_power_domain_attributes_p2a r;
	uint32_t a;
	int ret;

	ret = scmi_cmd_reply(h, SCMI_PROTO_POWER, SCMI_POWER_DOMAIN_ATTRIBUTES,
			     &domain, 1, &r, sizeof(r));
	if (ret)
		return ret;
	a = LE(r.attributes);
	memset(info, 0, sizeof(*info));
	info->id = domain;
	info->attributes = a;
	info->notify_state = a & SCMI_POWER_DOM_STATE_CHANGE_NOTIFY;
	info->async = a & SCMI_POWER_DOM_ASYNC;
	info->sync = a & SCMI_POWER_DOM_SYNC;
	info->notify_change_req = a & SCMI_POWER_DOM_STATE_CHANGE_REQ_NOTIFY;
	info->ext_name = a & SCMI_POWER_DOM_EXT_NAME;
	scmi_copy_name(info->name, r.name, sizeof(r.name));
	/* A failing NAME_GET keeps the short name, as the spec allows. */
	if (info->ext_name)
		(void)scmi_power_domain_name_get(h, domain, info->name);
	return 0;
}

int scmi_power_state_set(struct scmi_handle *h, uint32_t domain, uint32_t state, bool async)
{
	uint32_t in[3] = { async ? SCMI_POWER_SET_ASYNC : 0, domain, state };

	return scmi_cmd_words(h, SCMI_PROTO_POWER, SCMI_POWER_STATE_SET, in, 3, NULL, 0);
}

int scmi_power_state_get(struct scmi_handle *h, uint32_t domain, uint32_t *state)
{
	return scmi_cmd_words(h, SCMI_PROTO_POWER, SCMI_POWER_STATE_GET, &domain, 1, state, 1);
}

int scmi_power_state_notify(struct scmi_handle *h, uint32_t domain, bool enable)
{
	return scmi_cmd_notify(h, SCMI_PROTO_POWER, SCMI_POWER_STATE_NOTIFY, domain, enable);
}

int scmi_power_state_change_requested_notify(struct scmi_handle *h, uint32_t domain, bool enable)
{
	return scmi_cmd_notify(h, SCMI_PROTO_POWER, SCMI_POWER_STATE_CHANGE_REQUESTED_NOTIFY, domain,
			       enable);
}

int scmi_power_parse_state_event(const void *payload, size_t len,
				 struct scmi_power_state_event *ev)
{
	const uint8_t *p = payload;

	if (len < sizeof(struct scmi_power_state_changed_p2a))
		return -EPROTO;
	ev->agent_id = scmi_get_le32(p + offsetof(struct scmi_power_state_changed_p2a, agent_id));
	ev->domain_id = scmi_get_le32(p + offsetof(struct scmi_power_state_changed_p2a, domain_id));
	ev->power_state =
		scmi_get_le32(p + offsetof(struct scmi_power_state_changed_p2a, power_state));
	return 0;
}

int scmi_power_describe(struct scmi_handle *h, uint32_t domain,
			struct scmi_power_domain_info *info)
{
	int ret;

	ret = scmi_power_domain_attributes(h, domain, info);
	if (ret)
		return ret;
	return scmi_power_state_get(h, domain, &info->state);
}

int scmi_power_for_each(struct scmi_handle *h,
			int (*fn)(void *priv, const struct scmi_power_domain_info *d), void *priv)
{
	struct scmi_power_proto_info pi;
	struct scmi_power_domain_info d;
	uint32_t i;
	int ret;

	ret = scmi_power_protocol_attributes(h, &pi);
	if (ret)
		return ret;
	for (i = 0; i < pi.num_domains; i++) {
		ret = scmi_power_describe(h, i, &d);
		if (ret)
			return ret;
		ret = fn(priv, &d);
		if (ret)
			return ret;
	}
	return 0;
}
