/* SPDX-License-Identifier: MIT */
/*
 * SCMI System power management protocol (0x12) wire format, DEN0056 v3.2
 * section 4.4. Conventions: include/vscmi/scmi_wire.h.
 */
#ifndef VSCMI_SCMI_WIRE_SYSTEM_H
#define VSCMI_SCMI_WIRE_SYSTEM_H

#include <vscmi/scmi_wire.h>

#define SCMI_SYSTEM_VERSION_V3_2 SCMI_VERSION(2, 1)

#define SCMI_SYSTEM_POWER_STATE_SET 0x3
#define SCMI_SYSTEM_POWER_STATE_GET 0x4
#define SCMI_SYSTEM_POWER_STATE_NOTIFY 0x5
#define SCMI_SYSTEM_MSG_COUNT 0x6

#define SCMI_SYSTEM_EVT_POWER_STATE_NOTIFIER 0x0

/* System states; 0x80000000-0xFFFFFFFF are vendor defined. */
#define SCMI_SYSTEM_SHUTDOWN 0u
#define SCMI_SYSTEM_COLD_RESET 1u
#define SCMI_SYSTEM_WARM_RESET 2u
#define SCMI_SYSTEM_POWER_UP 3u
#define SCMI_SYSTEM_SUSPEND 4u
#define SCMI_SYSTEM_VENDOR_FIRST 0x80000000u

/** PROTOCOL_ATTRIBUTES response. */
struct scmi_system_protocol_attributes_p2a {
	uint32_t attributes;
#define SCMI_SYSTEM_ATTR_WARM_RESET SCMI_BIT(31)
#define SCMI_SYSTEM_ATTR_SUSPEND SCMI_BIT(30)
};
static_assert(sizeof(struct scmi_system_protocol_attributes_p2a) == 4, "size");

/** SYSTEM_POWER_STATE_SET command. */
struct scmi_system_power_state_set_a2p {
	uint32_t flags;
#define SCMI_SYSTEM_SET_GRACEFUL SCMI_BIT(0)	/* 0: forceful */
	uint32_t system_state;
};
static_assert(sizeof(struct scmi_system_power_state_set_a2p) == 8, "size");

/** SYSTEM_POWER_STATE_GET response. */
struct scmi_system_power_state_get_p2a {
	uint32_t system_state;
};
static_assert(sizeof(struct scmi_system_power_state_get_p2a) == 4, "size");

/** SYSTEM_POWER_STATE_NOTIFY command. */
struct scmi_system_power_state_notify_a2p {
	uint32_t notify_enable;		/* SCMI_NOTIFY_ENABLE */
};
static_assert(sizeof(struct scmi_system_power_state_notify_a2p) == 4, "size");

/**
 * SYSTEM_POWER_STATE_NOTIFIER notification. @timeout (ms) exists from
 * protocol 2.0 on; a v1 platform sends 12 bytes (agent sees timeout 0).
 */
struct scmi_system_power_state_notifier_p2a {
	uint32_t agent_id;
	uint32_t flags;
#define SCMI_SYSTEM_NOTIFIER_GRACEFUL SCMI_BIT(0)
	uint32_t system_state;
	uint32_t timeout;
};
static_assert(sizeof(struct scmi_system_power_state_notifier_p2a) == 16, "size");
#define SCMI_SYSTEM_NOTIFIER_V1_SIZE 12u

#endif /* VSCMI_SCMI_WIRE_SYSTEM_H */
