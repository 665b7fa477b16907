/* SPDX-License-Identifier: MIT */
/*
 * SCMI Base protocol (0x10) wire format, DEN0056 v3.2 section 4.2.
 * Conventions: include/vscmi/scmi_wire.h (p2a structs follow the status word).
 */
#ifndef VSCMI_SCMI_WIRE_BASE_H
#define VSCMI_SCMI_WIRE_BASE_H

#include <vscmi/scmi_wire.h>

#define SCMI_BASE_VERSION_V3_2 SCMI_VERSION(2, 1)

/* Message ids (0x0-0x2 and 0x10 are the common ones). */
#define SCMI_BASE_DISCOVER_VENDOR 0x3
#define SCMI_BASE_DISCOVER_SUB_VENDOR 0x4
#define SCMI_BASE_DISCOVER_IMPLEMENTATION_VERSION 0x5
#define SCMI_BASE_DISCOVER_LIST_PROTOCOLS 0x6
#define SCMI_BASE_DISCOVER_AGENT 0x7
#define SCMI_BASE_NOTIFY_ERRORS 0x8
#define SCMI_BASE_SET_DEVICE_PERMISSIONS 0x9
#define SCMI_BASE_SET_PROTOCOL_PERMISSIONS 0xA
#define SCMI_BASE_RESET_AGENT_CONFIGURATION 0xB
#define SCMI_BASE_MSG_COUNT 0xC

/* Notifications. */
#define SCMI_BASE_EVT_ERROR_EVENT 0x0

/* The platform's own agent id (DISCOVER_AGENT 0xFFFFFFFF asks "who am I"). */
#define SCMI_BASE_AGENT_ID_PLATFORM 0u
#define SCMI_BASE_AGENT_ID_SELF 0xFFFFFFFFu

/** PROTOCOL_ATTRIBUTES response. */
struct scmi_base_protocol_attributes_p2a {
	uint32_t attributes;
#define SCMI_BASE_ATTR_NUM_AGENTS SCMI_GENMASK(15, 8)
#define SCMI_BASE_ATTR_NUM_PROTOCOLS SCMI_GENMASK(7, 0)
};
static_assert(sizeof(struct scmi_base_protocol_attributes_p2a) == 4, "size");

/** BASE_DISCOVER_VENDOR / BASE_DISCOVER_SUB_VENDOR response. */
struct scmi_base_discover_vendor_p2a {
	char vendor_identifier[SCMI_SHORT_NAME_LEN];
};
static_assert(sizeof(struct scmi_base_discover_vendor_p2a) == 16, "size");

/** BASE_DISCOVER_IMPLEMENTATION_VERSION response. */
struct scmi_base_discover_implementation_version_p2a {
	uint32_t implementation_version;
};
static_assert(sizeof(struct scmi_base_discover_implementation_version_p2a) == 4, "size");

/** BASE_DISCOVER_LIST_PROTOCOLS command. */
struct scmi_base_discover_list_protocols_a2p {
	uint32_t skip;			/* protocols to skip */
};
static_assert(sizeof(struct scmi_base_discover_list_protocols_a2p) == 4, "size");
/**
 * BASE_DISCOVER_LIST_PROTOCOLS response: @num_protocols ids follow, one byte
 * each, packed four to a word (protocol n in byte n % 4 of word n / 4; the
 * last word zero-padded).
 */
struct scmi_base_discover_list_protocols_p2a {
	uint32_t num_protocols;
	uint8_t protocols[];
};
static_assert(sizeof(struct scmi_base_discover_list_protocols_p2a) == 4, "size");

/** BASE_DISCOVER_AGENT command. */
struct scmi_base_discover_agent_a2p {
	uint32_t agent_id;		/* SCMI_BASE_AGENT_ID_SELF: the caller */
};
static_assert(sizeof(struct scmi_base_discover_agent_a2p) == 4, "size");
struct scmi_base_discover_agent_p2a {
	uint32_t agent_id;
	char name[SCMI_SHORT_NAME_LEN];
};
static_assert(sizeof(struct scmi_base_discover_agent_p2a) == 20, "size");

/** BASE_NOTIFY_ERRORS command. */
struct scmi_base_notify_errors_a2p {
	uint32_t notify_enable;
#define SCMI_BASE_NOTIFY_ERRORS_ENABLE SCMI_BIT(0)
};
static_assert(sizeof(struct scmi_base_notify_errors_a2p) == 4, "size");

/** BASE_SET_DEVICE_PERMISSIONS command. */
struct scmi_base_set_device_permissions_a2p {
	uint32_t agent_id;
	uint32_t device_id;
	uint32_t flags;
#define SCMI_BASE_PERM_ALLOW SCMI_BIT(0)	/* 1 allow, 0 deny */
};
static_assert(sizeof(struct scmi_base_set_device_permissions_a2p) == 12, "size");

/** BASE_SET_PROTOCOL_PERMISSIONS command. */
struct scmi_base_set_protocol_permissions_a2p {
	uint32_t agent_id;
	uint32_t device_id;
	uint32_t command_id;
#define SCMI_BASE_PERM_PROTOCOL_ID SCMI_GENMASK(7, 0)
	uint32_t flags;			/* SCMI_BASE_PERM_ALLOW */
};
static_assert(sizeof(struct scmi_base_set_protocol_permissions_a2p) == 16, "size");

/** BASE_RESET_AGENT_CONFIGURATION command. */
struct scmi_base_reset_agent_configuration_a2p {
	uint32_t agent_id;
	uint32_t flags;
#define SCMI_BASE_RESET_PERMISSIONS SCMI_BIT(0)	/* also reset access permissions */
};
static_assert(sizeof(struct scmi_base_reset_agent_configuration_a2p) == 8, "size");

/** BASE_ERROR_EVENT notification. */
struct scmi_base_error_event_p2a {
	uint32_t agent_id;
	uint32_t error_status;
#define SCMI_BASE_ERR_FATAL SCMI_BIT(31)	/* reports were lost (overrun) */
#define SCMI_BASE_ERR_COUNT SCMI_GENMASK(9, 0)
	uint32_t msg_reports[];		/* ERR_COUNT 64-bit reports, as lo/hi words */
};
static_assert(sizeof(struct scmi_base_error_event_p2a) == 8, "size");

#endif /* VSCMI_SCMI_WIRE_BASE_H */
