/* SPDX-License-Identifier: MIT */
/*
 * SCMI Clock management protocol (0x14) wire format, DEN0056 v3.2 section
 * 4.6 (protocol version 3.0). Conventions: include/vscmi/scmi_wire.h.
 */
#ifndef VSCMI_SCMI_WIRE_CLOCK_H
#define VSCMI_SCMI_WIRE_CLOCK_H

#include <vscmi/scmi_wire.h>

#define SCMI_CLOCK_VERSION_V3_2 SCMI_VERSION(3, 0)

#define SCMI_CLOCK_ATTRIBUTES 0x3
#define SCMI_CLOCK_DESCRIBE_RATES 0x4
#define SCMI_CLOCK_RATE_SET 0x5
#define SCMI_CLOCK_RATE_GET 0x6
#define SCMI_CLOCK_CONFIG_SET 0x7
#define SCMI_CLOCK_NAME_GET 0x8
#define SCMI_CLOCK_RATE_NOTIFY 0x9
#define SCMI_CLOCK_RATE_CHANGE_REQUESTED_NOTIFY 0xA
#define SCMI_CLOCK_CONFIG_GET 0xB
#define SCMI_CLOCK_POSSIBLE_PARENTS_GET 0xC
#define SCMI_CLOCK_PARENT_SET 0xD
#define SCMI_CLOCK_PARENT_GET 0xE
#define SCMI_CLOCK_GET_PERMISSIONS 0xF
#define SCMI_CLOCK_MSG_COUNT 0x10

/* Notifications. */
#define SCMI_CLOCK_EVT_RATE_CHANGED 0x0
#define SCMI_CLOCK_EVT_RATE_CHANGE_REQUESTED 0x1
/* Delayed response (same id as the command). */
#define SCMI_CLOCK_EVT_RATE_SET_COMPLETE SCMI_CLOCK_RATE_SET

/** PROTOCOL_ATTRIBUTES response. */
struct scmi_clock_protocol_attributes_p2a {
	uint32_t attributes;
#define SCMI_CLOCK_ATTR_MAX_PENDING SCMI_GENMASK(23, 16)	/* async rate changes */
#define SCMI_CLOCK_ATTR_NUM_CLOCKS SCMI_GENMASK(15, 0)
};
static_assert(sizeof(struct scmi_clock_protocol_attributes_p2a) == 4, "size");

/** Clock id only: ATTRIBUTES, RATE_GET, NAME_GET, PARENT_GET, GET_PERMISSIONS. */
struct scmi_clock_id_a2p {
	uint32_t clock_id;
};
static_assert(sizeof(struct scmi_clock_id_a2p) == 4, "size");

/** CLOCK_ATTRIBUTES response (enable_delay from protocol 2.0 on). */
struct scmi_clock_attributes_p2a {
	uint32_t attributes;
#define SCMI_CLOCK_RATE_CHANGED_NOTIFY SCMI_BIT(31)
#define SCMI_CLOCK_RATE_CHANGE_REQ_NOTIFY SCMI_BIT(30)
#define SCMI_CLOCK_EXT_NAME SCMI_BIT(29)
#define SCMI_CLOCK_PARENT_SUPPORT SCMI_BIT(28)
#define SCMI_CLOCK_EXT_CONFIG SCMI_BIT(27)
#define SCMI_CLOCK_GET_PERMISSIONS_SUPPORT SCMI_BIT(1)
#define SCMI_CLOCK_ENABLED SCMI_BIT(0)
	char name[SCMI_SHORT_NAME_LEN];
	uint32_t enable_delay_us;	/* 0: unknown */
};
static_assert(sizeof(struct scmi_clock_attributes_p2a) == 24, "size");

/** CLOCK_DESCRIBE_RATES command. */
struct scmi_clock_describe_rates_a2p {
	uint32_t clock_id;
	uint32_t rate_index;
};
static_assert(sizeof(struct scmi_clock_describe_rates_a2p) == 8, "size");
/** One rate as two words. */
struct scmi_clock_rate {
	uint32_t rate_lo;
	uint32_t rate_hi;
};
static_assert(sizeof(struct scmi_clock_rate) == 8, "size");
/**
 * CLOCK_DESCRIBE_RATES response. List form: RETURNED rates. Range form
 * (FORMAT_RANGE set): exactly three, {min, max, step}, and REMAINING 0.
 */
struct scmi_clock_describe_rates_p2a {
	uint32_t num_rates_flags;
#define SCMI_CLOCK_RATES_REMAINING SCMI_GENMASK(31, 16)
#define SCMI_CLOCK_RATES_FORMAT_RANGE SCMI_BIT(12)
#define SCMI_CLOCK_RATES_RETURNED SCMI_GENMASK(11, 0)
	struct scmi_clock_rate rates[];
};
static_assert(sizeof(struct scmi_clock_describe_rates_p2a) == 4, "size");

/** CLOCK_RATE_SET command. */
struct scmi_clock_rate_set_a2p {
	uint32_t flags;
#define SCMI_CLOCK_SET_ASYNC SCMI_BIT(0)
#define SCMI_CLOCK_SET_IGNORE_DRESP SCMI_BIT(1)	/* async without delayed response */
#define SCMI_CLOCK_SET_ROUND_UP SCMI_BIT(2)	/* else round down */
#define SCMI_CLOCK_SET_ROUND_AUTO SCMI_BIT(3)	/* platform rounds to closest */
	uint32_t clock_id;
	uint32_t rate_lo;
	uint32_t rate_hi;
};
static_assert(sizeof(struct scmi_clock_rate_set_a2p) == 16, "size");
/** CLOCK_RATE_SET_COMPLETE delayed response (after its status word). */
struct scmi_clock_rate_set_complete_p2a {
	uint32_t clock_id;
	uint32_t rate_lo;
	uint32_t rate_hi;
};
static_assert(sizeof(struct scmi_clock_rate_set_complete_p2a) == 12, "size");

/** CLOCK_RATE_GET response. */
struct scmi_clock_rate_get_p2a {
	uint32_t rate_lo;
	uint32_t rate_hi;
};
static_assert(sizeof(struct scmi_clock_rate_get_p2a) == 8, "size");

/** CLOCK_CONFIG_SET command (3.0 layout; v1/v2 send only id + attributes). */
struct scmi_clock_config_set_a2p {
	uint32_t clock_id;
	uint32_t attributes;
#define SCMI_CLOCK_CFG_OEM_TYPE SCMI_GENMASK(23, 16)	/* 0: no OEM config */
#define SCMI_CLOCK_CFG_STATE SCMI_GENMASK(1, 0)
#define SCMI_CLOCK_CFG_DISABLE 0u
#define SCMI_CLOCK_CFG_ENABLE 1u
#define SCMI_CLOCK_CFG_UNCHANGED 3u			/* 2 is reserved */
	uint32_t oem_config_val;
};
static_assert(sizeof(struct scmi_clock_config_set_a2p) == 12, "size");
#define SCMI_CLOCK_CONFIG_SET_V2_SIZE 8u

/** CLOCK_CONFIG_GET command and response. */
struct scmi_clock_config_get_a2p {
	uint32_t clock_id;
	uint32_t flags;
#define SCMI_CLOCK_CFG_GET_OEM_TYPE SCMI_GENMASK(7, 0)	/* 0: none */
};
static_assert(sizeof(struct scmi_clock_config_get_a2p) == 8, "size");
struct scmi_clock_config_get_p2a {
	uint32_t attributes;		/* reserved */
	uint32_t config;
#define SCMI_CLOCK_CONFIG_ENABLED SCMI_BIT(0)
	uint32_t oem_config_val;
};
static_assert(sizeof(struct scmi_clock_config_get_p2a) == 12, "size");

/** CLOCK_NAME_GET: struct scmi_name_get_a2p / _p2a. */

/** CLOCK_RATE_NOTIFY / CLOCK_RATE_CHANGE_REQUESTED_NOTIFY command. */
struct scmi_clock_notify_a2p {
	uint32_t clock_id;
	uint32_t notify_enable;		/* SCMI_NOTIFY_ENABLE */
};
static_assert(sizeof(struct scmi_clock_notify_a2p) == 8, "size");

/** CLOCK_POSSIBLE_PARENTS_GET command and response. */
struct scmi_clock_possible_parents_get_a2p {
	uint32_t clock_id;
	uint32_t skip_parents;
};
static_assert(sizeof(struct scmi_clock_possible_parents_get_a2p) == 8, "size");
struct scmi_clock_possible_parents_get_p2a {
	uint32_t num_parent_flags;
#define SCMI_CLOCK_PARENTS_REMAINING SCMI_GENMASK(31, 24)
#define SCMI_CLOCK_PARENTS_RETURNED SCMI_GENMASK(7, 0)
	uint32_t possible_parents[];
};
static_assert(sizeof(struct scmi_clock_possible_parents_get_p2a) == 4, "size");

/** CLOCK_PARENT_SET command. */
struct scmi_clock_parent_set_a2p {
	uint32_t clock_id;
	uint32_t parent_id;
};
static_assert(sizeof(struct scmi_clock_parent_set_a2p) == 8, "size");
/** CLOCK_PARENT_GET response. */
struct scmi_clock_parent_get_p2a {
	uint32_t parent_id;
};
static_assert(sizeof(struct scmi_clock_parent_get_p2a) == 4, "size");

/** CLOCK_GET_PERMISSIONS response. */
struct scmi_clock_get_permissions_p2a {
	uint32_t permissions;
#define SCMI_CLOCK_PERM_STATE SCMI_BIT(31)	/* may enable/disable */
#define SCMI_CLOCK_PERM_PARENT SCMI_BIT(30)	/* may change the parent */
#define SCMI_CLOCK_PERM_RATE SCMI_BIT(29)	/* may change the rate */
};
static_assert(sizeof(struct scmi_clock_get_permissions_p2a) == 4, "size");

/** CLOCK_RATE_CHANGED / CLOCK_RATE_CHANGE_REQUESTED notification. */
struct scmi_clock_rate_notification_p2a {
	uint32_t agent_id;
	uint32_t clock_id;
	uint32_t rate_lo;
	uint32_t rate_hi;
};
static_assert(sizeof(struct scmi_clock_rate_notification_p2a) == 16, "size");

#endif /* VSCMI_SCMI_WIRE_CLOCK_H */
