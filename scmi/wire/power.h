/* SPDX-License-Identifier: MIT */
/*
 * SCMI Power domain management protocol (0x11) wire format, DEN0056 v3.2
 * section 4.3. Conventions: include/vscmi/scmi_wire.h.
 */
#ifndef VSCMI_SCMI_WIRE_POWER_H
#define VSCMI_SCMI_WIRE_POWER_H

#include <vscmi/scmi_wire.h>

#define SCMI_POWER_VERSION_V3_2 SCMI_VERSION(3, 1)

#define SCMI_POWER_DOMAIN_ATTRIBUTES 0x3
#define SCMI_POWER_STATE_SET 0x4
#define SCMI_POWER_STATE_GET 0x5
#define SCMI_POWER_STATE_NOTIFY 0x6
#define SCMI_POWER_STATE_CHANGE_REQUESTED_NOTIFY 0x7
#define SCMI_POWER_DOMAIN_NAME_GET 0x8
#define SCMI_POWER_MSG_COUNT 0x9

#define SCMI_POWER_EVT_STATE_CHANGED 0x0
#define SCMI_POWER_EVT_STATE_CHANGE_REQUESTED 0x1

/*
 * Power state encoding: bit 30 type (0 operational/on, 1 off/retention),
 * bits 27:0 state id; bits 31, 29:28 reserved. ON = 0, OFF = 1 << 30.
 */
#define SCMI_POWER_STATE_TYPE_OFF SCMI_BIT(30)
#define SCMI_POWER_STATE_ID SCMI_GENMASK(27, 0)
#define SCMI_POWER_STATE_ON 0x00000000u
#define SCMI_POWER_STATE_OFF 0x40000000u

/** PROTOCOL_ATTRIBUTES response. */
struct scmi_power_protocol_attributes_p2a {
	uint32_t attributes;
#define SCMI_POWER_ATTR_NUM_DOMAINS SCMI_GENMASK(15, 0)
	uint32_t stats_addr_low;
	uint32_t stats_addr_high;
	uint32_t stats_len;
};
static_assert(sizeof(struct scmi_power_protocol_attributes_p2a) == 16, "size");

/** POWER_DOMAIN_ATTRIBUTES command and response. */
struct scmi_power_domain_attributes_a2p {
	uint32_t domain_id;
};
static_assert(sizeof(struct scmi_power_domain_attributes_a2p) == 4, "size");
struct scmi_power_domain_attributes_p2a {
	uint32_t attributes;
#define SCMI_POWER_DOM_STATE_CHANGE_NOTIFY SCMI_BIT(31)
#define SCMI_POWER_DOM_ASYNC SCMI_BIT(30)
#define SCMI_POWER_DOM_SYNC SCMI_BIT(29)
#define SCMI_POWER_DOM_STATE_CHANGE_REQ_NOTIFY SCMI_BIT(28)
#define SCMI_POWER_DOM_EXT_NAME SCMI_BIT(27)
	char name[SCMI_SHORT_NAME_LEN];
};
static_assert(sizeof(struct scmi_power_domain_attributes_p2a) == 20, "size");

/**
 * POWER_STATE_SET command. Async (flags bit 0): the platform answers at once
 * and there is NO delayed response; completion is observed with
 * POWER_STATE_CHANGED notifications (the spec defines no delayed response
 * for this command).
 */
struct scmi_power_state_set_a2p {
	uint32_t flags;
#define SCMI_POWER_SET_ASYNC SCMI_BIT(0)
	uint32_t domain_id;
	uint32_t power_state;
};
static_assert(sizeof(struct scmi_power_state_set_a2p) == 12, "size");

/** POWER_STATE_GET command and response. */
struct scmi_power_state_get_a2p {
	uint32_t domain_id;
};
static_assert(sizeof(struct scmi_power_state_get_a2p) == 4, "size");
struct scmi_power_state_get_p2a {
	uint32_t power_state;
};
static_assert(sizeof(struct scmi_power_state_get_p2a) == 4, "size");

/** POWER_STATE_NOTIFY / POWER_STATE_CHANGE_REQUESTED_NOTIFY command. */
struct scmi_power_state_notify_a2p {
	uint32_t domain_id;
	uint32_t notify_enable;		/* SCMI_NOTIFY_ENABLE */
};
static_assert(sizeof(struct scmi_power_state_notify_a2p) == 8, "size");

/** POWER_DOMAIN_NAME_GET: struct scmi_name_get_a2p / _p2a. */

/** POWER_STATE_CHANGED and POWER_STATE_CHANGE_REQUESTED notifications. */
struct scmi_power_state_changed_p2a {
	uint32_t agent_id;
	uint32_t domain_id;
	uint32_t power_state;
};
static_assert(sizeof(struct scmi_power_state_changed_p2a) == 12, "size");

#endif /* VSCMI_SCMI_WIRE_POWER_H */
