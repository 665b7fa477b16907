/* SPDX-License-Identifier: MIT */
/*
 * SCMI Voltage domain management protocol (0x17) wire format, DEN0056 v3.2
 * section 4.9. Conventions: include/vscmi/scmi_wire.h.
 */
#ifndef VSCMI_SCMI_WIRE_VOLTAGE_H
#define VSCMI_SCMI_WIRE_VOLTAGE_H

#include <vscmi/scmi_wire.h>

#define SCMI_VOLTAGE_VERSION_V3_2 SCMI_VERSION(2, 1)

#define SCMI_VOLTAGE_DOMAIN_ATTRIBUTES 0x3
#define SCMI_VOLTAGE_DESCRIBE_LEVELS 0x4
#define SCMI_VOLTAGE_CONFIG_SET 0x5
#define SCMI_VOLTAGE_CONFIG_GET 0x6
#define SCMI_VOLTAGE_LEVEL_SET 0x7
#define SCMI_VOLTAGE_LEVEL_GET 0x8
#define SCMI_VOLTAGE_DOMAIN_NAME_GET 0x9
#define SCMI_VOLTAGE_MSG_COUNT 0xA

/* Delayed response (same id as the command). */
#define SCMI_VOLTAGE_EVT_LEVEL_SET_COMPLETE SCMI_VOLTAGE_LEVEL_SET

/** PROTOCOL_ATTRIBUTES response. */
struct scmi_voltage_protocol_attributes_p2a {
	uint32_t attributes;
#define SCMI_VOLTAGE_ATTR_NUM_DOMAINS SCMI_GENMASK(15, 0)
};
static_assert(sizeof(struct scmi_voltage_protocol_attributes_p2a) == 4, "size");

/** Domain id only: DOMAIN_ATTRIBUTES, CONFIG_GET, LEVEL_GET, NAME_GET. */
struct scmi_voltage_domain_a2p {
	uint32_t domain_id;
};
static_assert(sizeof(struct scmi_voltage_domain_a2p) == 4, "size");

/** VOLTAGE_DOMAIN_ATTRIBUTES response. */
struct scmi_voltage_domain_attributes_p2a {
	uint32_t attributes;
#define SCMI_VOLTAGE_DOM_ASYNC SCMI_BIT(31)
#define SCMI_VOLTAGE_DOM_EXT_NAME SCMI_BIT(30)
	char name[SCMI_SHORT_NAME_LEN];
};
static_assert(sizeof(struct scmi_voltage_domain_attributes_p2a) == 20, "size");

/** VOLTAGE_DESCRIBE_LEVELS command and response (levels: int32 microvolts). */
struct scmi_voltage_describe_levels_a2p {
	uint32_t domain_id;
	uint32_t level_index;
};
static_assert(sizeof(struct scmi_voltage_describe_levels_a2p) == 8, "size");
struct scmi_voltage_describe_levels_p2a {
	uint32_t flags;
#define SCMI_VOLTAGE_LEVELS_REMAINING SCMI_GENMASK(31, 16)
#define SCMI_VOLTAGE_LEVELS_FORMAT_RANGE SCMI_BIT(12)	/* {min, max, step} */
#define SCMI_VOLTAGE_LEVELS_RETURNED SCMI_GENMASK(11, 0)
	int32_t voltage_uv[];
};
static_assert(sizeof(struct scmi_voltage_describe_levels_p2a) == 4, "size");

/** VOLTAGE_CONFIG_SET command / VOLTAGE_CONFIG_GET response. */
struct scmi_voltage_config_set_a2p {
	uint32_t domain_id;
	uint32_t config;
#define SCMI_VOLTAGE_CFG_MODE SCMI_GENMASK(3, 0)
#define SCMI_VOLTAGE_CFG_IMPL SCMI_BIT(3)	/* implementation-defined mode */
#define SCMI_VOLTAGE_CFG_OFF 0x0u
#define SCMI_VOLTAGE_CFG_ON 0x7u
};
static_assert(sizeof(struct scmi_voltage_config_set_a2p) == 8, "size");
struct scmi_voltage_config_get_p2a {
	uint32_t config;		/* SCMI_VOLTAGE_CFG_* */
};
static_assert(sizeof(struct scmi_voltage_config_get_p2a) == 4, "size");

/** VOLTAGE_LEVEL_SET command. */
struct scmi_voltage_level_set_a2p {
	uint32_t domain_id;
	uint32_t flags;
#define SCMI_VOLTAGE_SET_ASYNC SCMI_BIT(0)
	int32_t voltage_level_uv;
};
static_assert(sizeof(struct scmi_voltage_level_set_a2p) == 12, "size");
/** VOLTAGE_LEVEL_SET_COMPLETE delayed response (after its status word). */
struct scmi_voltage_level_set_complete_p2a {
	uint32_t domain_id;
	int32_t voltage_level_uv;
};
static_assert(sizeof(struct scmi_voltage_level_set_complete_p2a) == 8, "size");

/** VOLTAGE_LEVEL_GET response. */
struct scmi_voltage_level_get_p2a {
	int32_t voltage_level_uv;
};
static_assert(sizeof(struct scmi_voltage_level_get_p2a) == 4, "size");

/** VOLTAGE_DOMAIN_NAME_GET: struct scmi_name_get_a2p / _p2a. */

#endif /* VSCMI_SCMI_WIRE_VOLTAGE_H */
