// SPDX-License-Identifier: MIT
/*
 * SCMI system power protocol (0x12), agent side: request shutdown, reset or
 * suspend of the system, read its state, and hear about requests others
 * make (SYSTEM_POWER_STATE_NOTIFIER).
 */
#include "scmi/agent/protocols.h"
#include "scmi/wire/system.h"

int scmi_system_protocol_attributes(struct scmi_handle *h, uint32_t *attrs)
{
	size_t got;

	return scmi_protocol_attributes(h, SCMI_PROTO_SYSTEM, attrs, 1, &got);
}

int scmi_system_power_state_set(struct scmi_handle *h, uint32_t state, bool graceful)
{
	uint32_t in[2] = { graceful ? SCMI_SYSTEM_SET_GRACEFUL : 0, state };

	return scmi_cmd_words(h, SCMI_PROTO_SYSTEM, SCMI_SYSTEM_POWER_STATE_SET, in, 2, NULL, 0);
}

int scmi_system_power_state_get(struct scmi_handle *h, uint32_t *state)
{
	return scmi_cmd_words(h, SCMI_PROTO_SYSTEM, SCMI_SYSTEM_POWER_STATE_GET, NULL, 0, state, 1);
}

int scmi_system_power_state_notify(struct scmi_handle *h, bool enable)
{
	uint32_t in = enable ? SCMI_NOTIFY_ENABLE : 0;

	return scmi_cmd_words(h, SCMI_PROTO_SYSTEM, SCMI_SYSTEM_POWER_STATE_NOTIFY, &in, 1, NULL, 0);
}

int scmi_system_parse_power_event(const void *payload, size_t len,
				  struct scmi_system_power_event *ev)
{
	const uint8_t *p = payload;

	if (len < SCMI_SYSTEM_NOTIFIER_V1_SIZE)
		return -EPROTO;
	ev->agent_id = scmi_get_le32(p);
	ev->graceful = scmi_get_le32(p + 4) & SCMI_SYSTEM_NOTIFIER_GRACEFUL;
	ev->system_state = scmi_get_le32(p + 8);
	ev->has_timeout = len >= sizeof(struct scmi_system_power_state_notifier_p2a);
	ev->timeout_ms = ev->has_timeout ? scmi_get_le32(p + 12) : 0;
	return 0;
}

int scmi_system_describe(struct scmi_handle *h, struct scmi_system_info *info)
{
	uint32_t mattr;
	int ret;

	memset(info, 0, sizeof(*info));
	ret = scmi_protocol_version(h, SCMI_PROTO_SYSTEM, &info->version);
	if (!ret)
		ret = scmi_system_protocol_attributes(h, &info->attributes);
	if (ret)
		return ret;
	/*
	 * DEN0056 advertises the optional states on PROTOCOL_MESSAGE_ATTRIBUTES
	 * of SYSTEM_POWER_STATE_SET; some platforms (and scmi/wire/system.h)
	 * put the same bits in PROTOCOL_ATTRIBUTES. Accept either.
	 */
	ret = scmi_protocol_message_attributes(h, SCMI_PROTO_SYSTEM, SCMI_SYSTEM_POWER_STATE_SET,
					       &mattr);
	if (ret)
		return ret;
	mattr |= info->attributes;
	info->warm_reset = mattr & SCMI_SYSTEM_ATTR_WARM_RESET;
	info->suspend = mattr & SCMI_SYSTEM_ATTR_SUSPEND;
	return 0;
}
