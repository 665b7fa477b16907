// SPDX-License-Identifier: MIT
/*
 * SCMI power capping and monitoring protocol (0x18), agent side: domain
 * discovery, power caps (synchronous, or asynchronous with
 * POWERCAP_CAP_SET_COMPLETE), the averaging interval (PAI), measurements,
 * and the cap / measurement notifications.
 */
#include "scmi/agent/protocols.h"
#include "scmi/wire/powercap.h"

int scmi_powercap_protocol_attributes(struct scmi_handle *h, uint32_t *version,
				      uint32_t *num_domains)
{
	uint32_t attr;
	size_t got;
	int ret;

	ret = scmi_protocol_version(h, SCMI_PROTO_POWERCAP, version);
	if (ret)
		return ret;
	ret = scmi_protocol_attributes(h, SCMI_PROTO_POWERCAP, &attr, 1, &got);
	if (ret)
		return ret;
	*num_domains = SCMI_FIELD_GET(SCMI_POWERCAP_ATTR_NUM_DOMAINS, attr);
	return 0;
}

int scmi_powercap_domain_name_get(struct scmi_handle *h, uint32_t domain,
				  char name[SCMI_NAME_MAX])
{
	return scmi_cmd_ext_name(h, SCMI_PROTO_POWERCAP, SCMI_POWERCAP_DOMAIN_NAME_GET, domain,
				 false, 0, name);
}

int scmi_powercap_domain_attributes(struct scmi_handle *h, uint32_t domain,
				    struct scmi_powercap_domain_info *info)
{
	struct scmi_powercap_domain_attributes_p2a r;
	uint32_t a;
	int ret;

	ret = scmi_cmd_reply(h, SCMI_PROTO_POWERCAP, SCMI_POWERCAP_DOMAIN_ATTRIBUTES,
			     &domain, 1, &r, sizeof(r));
	if (ret)
		return ret;
	a = LE(r.attributes);
	memset(info, 0, sizeof(*info));
	info->id = domain;
	info->attributes = a;
	info->notify_cap = a & SCMI_POWERCAP_DOM_CAP_CHANGE_NOTIFY;
	info->notify_measurements = a & SCMI_POWERCAP_DOM_MEASUREMENTS_NOTIFY;
	info->async_cap = a & SCMI_POWERCAP_DOM_ASYNC_CAP_SET;
	info->ext_name = a & SCMI_POWERCAP_DOM_EXT_NAME;
	info->cap_config = a & SCMI_POWERCAP_DOM_CAP_CONFIG;
	info->monitoring = a & SCMI_POWERCAP_DOM_MONITORING;
	info->pai_config = a & SCMI_POWERCAP_DOM_PAI_CONFIG;
	info->fastchannel = a & SCMI_POWERCAP_DOM_FASTCHANNEL;
	if (a & SCMI_POWERCAP_DOM_UNIT_MW)
		info->unit = SCMI_POWERCAP_UNIT_MW;
	else if (a & SCMI_POWERCAP_DOM_UNIT_UW)
		info->unit = SCMI_POWERCAP_UNIT_UW;
	else
		info->unit = SCMI_POWERCAP_UNIT_ABSTRACT;
	scmi_copy_name(info->name, r.name, sizeof(r.name));
	info->min_pai_us = LE(r.min_pai_us);
	info->max_pai_us = LE(r.max_pai_us);
	info->pai_step_us = LE(r.pai_step_us);
	info->min_cap = LE(r.min_power_cap);
	info->max_cap = LE(r.max_power_cap);
	info->cap_step = LE(r.power_cap_step);
	info->sustainable_power = LE(r.sustainable_power);
	info->accuracy = LE(r.accuracy);
	info->parent_id = LE(r.parent_id);
	/* Both unit bits at once is not a unit. */
	if ((a & SCMI_POWERCAP_DOM_UNIT_MW) && (a & SCMI_POWERCAP_DOM_UNIT_UW))
		return -EPROTO;
	if (info->ext_name)
		(void)scmi_powercap_domain_name_get(h, domain, info->name);
	return 0;
}

int scmi_powercap_cap_get(struct scmi_handle *h, uint32_t domain, uint32_t *cap)
{
	return scmi_cmd_words(h, SCMI_PROTO_POWERCAP, SCMI_POWERCAP_CAP_GET, &domain, 1, cap, 1);
}

int scmi_powercap_cap_set(struct scmi_handle *h, uint32_t domain, uint32_t cap, bool async,
			  uint32_t *applied)
{
	uint32_t in[3] = { domain, async ? SCMI_POWERCAP_SET_ASYNC : 0, cap };
	uint32_t out[2];
	int ret;

	if (!async) {
		ret = scmi_cmd_words(h, SCMI_PROTO_POWERCAP, SCMI_POWERCAP_CAP_SET, in, 3, NULL, 0);
		if (!ret && applied)
			*applied = cap;
		return ret;
	}
	ret = scmi_cmd_words_async(h, SCMI_PROTO_POWERCAP, SCMI_POWERCAP_CAP_SET, in, 3, out, 2);
	if (ret)
		return ret;
	/* POWERCAP_CAP_SET_COMPLETE must be about our domain. */
	if (out[0] != domain)
		return -EPROTO;
	if (applied)
		*applied = out[1];
	return 0;
}

int scmi_powercap_pai_get(struct scmi_handle *h, uint32_t domain, uint32_t *pai_us)
{
	return scmi_cmd_words(h, SCMI_PROTO_POWERCAP, SCMI_POWERCAP_PAI_GET, &domain, 1, pai_us, 1);
}

int scmi_powercap_pai_set(struct scmi_handle *h, uint32_t domain, uint32_t pai_us)
{
	uint32_t in[3] = { domain, 0, pai_us };

	return scmi_cmd_words(h, SCMI_PROTO_POWERCAP, SCMI_POWERCAP_PAI_SET, in, 3, NULL, 0);
}

int scmi_powercap_measurements_get(struct scmi_handle *h, uint32_t domain, uint32_t *power,
				   uint32_t *pai_us)
{
	uint32_t out[2];
	int ret;

	ret = scmi_cmd_words(h, SCMI_PROTO_POWERCAP, SCMI_POWERCAP_MEASUREMENTS_GET, &domain, 1,
			     out, 2);
	if (ret)
		return ret;
	*power = out[0];
	if (pai_us)
		*pai_us = out[1];
	return 0;
}

int scmi_powercap_describe_fastchannel(struct scmi_handle *h, uint32_t domain, uint8_t msg_id,
				       struct scmi_fastchannel *fc)
{
	if (msg_id != SCMI_POWERCAP_CAP_GET && msg_id != SCMI_POWERCAP_CAP_SET &&
	    msg_id != SCMI_POWERCAP_PAI_GET && msg_id != SCMI_POWERCAP_PAI_SET)
		return -EINVAL;
	return scmi_cmd_describe_fastchannel(h, SCMI_PROTO_POWERCAP,
					     SCMI_POWERCAP_DESCRIBE_FASTCHANNEL, domain, msg_id, fc);
}

int scmi_powercap_cap_notify(struct scmi_handle *h, uint32_t domain, bool enable)
{
	return scmi_cmd_notify(h, SCMI_PROTO_POWERCAP, SCMI_POWERCAP_CAP_NOTIFY, domain, enable);
}

int scmi_powercap_measurements_notify(struct scmi_handle *h, uint32_t domain, bool enable,
				      uint32_t low, uint32_t high)
{
	uint32_t in[4] = { domain, enable ? SCMI_NOTIFY_ENABLE : 0, low, high };

	if (enable && low > high)
		return -EINVAL;
	return scmi_cmd_words(h, SCMI_PROTO_POWERCAP, SCMI_POWERCAP_MEASUREMENTS_NOTIFY, in, 4,
			      NULL, 0);
}

int scmi_powercap_parse_cap_event(const void *payload, size_t len,
				  struct scmi_powercap_cap_event *ev)
{
	const uint8_t *p = payload;

	if (len < sizeof(struct scmi_powercap_cap_changed_p2a))
		return -EPROTO;
	ev->agent_id = scmi_get_le32(p);
	ev->domain_id = scmi_get_le32(p + 4);
	ev->power_cap = scmi_get_le32(p + 8);
	ev->pai = scmi_get_le32(p + 12);
	return 0;
}

int scmi_powercap_parse_meas_event(const void *payload, size_t len,
				   struct scmi_powercap_meas_event *ev)
{
	const uint8_t *p = payload;

	if (len < sizeof(struct scmi_powercap_measurements_changed_p2a))
		return -EPROTO;
	ev->agent_id = scmi_get_le32(p);
	ev->domain_id = scmi_get_le32(p + 4);
	ev->power = scmi_get_le32(p + 8);
	return 0;
}

int scmi_powercap_describe(struct scmi_handle *h, uint32_t domain,
			   struct scmi_powercap_domain_info *info)
{
	uint32_t pai;
	int ret;

	ret = scmi_powercap_domain_attributes(h, domain, info);
	if (!ret)
		ret = scmi_powercap_cap_get(h, domain, &info->cap);
	if (!ret)
		ret = scmi_powercap_pai_get(h, domain, &info->pai_us);
	if (!ret && info->monitoring)
		ret = scmi_powercap_measurements_get(h, domain, &info->power, &pai);
	return ret;
}

int scmi_powercap_for_each(struct scmi_handle *h,
			   int (*fn)(void *priv, const struct scmi_powercap_domain_info *d),
			   void *priv)
{
	struct scmi_powercap_domain_info d;
	uint32_t version, n, i;
	int ret;

	ret = scmi_powercap_protocol_attributes(h, &version, &n);
	if (ret)
		return ret;
	for (i = 0; i < n; i++) {
		ret = scmi_powercap_describe(h, i, &d);
		if (!ret)
			ret = fn(priv, &d);
		if (ret)
			return ret;
	}
	return 0;
}
