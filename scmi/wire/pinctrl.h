/* SPDX-License-Identifier: MIT */
/*
 * SCMI Pin control protocol (0x19) wire format, DEN0056 v3.2 section 4.11
 * (protocol version 1.0, new in v3.2). Conventions: include/vscmi/scmi_wire.h.
 */
#ifndef VSCMI_SCMI_WIRE_PINCTRL_H
#define VSCMI_SCMI_WIRE_PINCTRL_H

#include <vscmi/scmi_wire.h>

#define SCMI_PINCTRL_VERSION_V3_2 SCMI_VERSION(1, 0)

#define SCMI_PINCTRL_ATTRIBUTES 0x3
#define SCMI_PINCTRL_LIST_ASSOCIATIONS 0x4
#define SCMI_PINCTRL_SETTINGS_GET 0x5
#define SCMI_PINCTRL_SETTINGS_CONFIGURE 0x6
#define SCMI_PINCTRL_REQUEST 0x7
#define SCMI_PINCTRL_RELEASE 0x8
#define SCMI_PINCTRL_NAME_GET 0x9
#define SCMI_PINCTRL_SET_PERMISSIONS 0xA
#define SCMI_PINCTRL_MSG_COUNT 0xB

/* Selector: what an identifier names (flags/attributes bits 1:0 mostly). */
#define SCMI_PINCTRL_SEL_PIN 0u
#define SCMI_PINCTRL_SEL_GROUP 1u
#define SCMI_PINCTRL_SEL_FUNCTION 2u

/* Configuration types (SETTINGS_GET / SETTINGS_CONFIGURE). */
enum scmi_pinctrl_config_type {
	SCMI_PINCTRL_CFG_DEFAULT = 0,
	SCMI_PINCTRL_CFG_BIAS_BUS_HOLD = 1,
	SCMI_PINCTRL_CFG_BIAS_DISABLE = 2,
	SCMI_PINCTRL_CFG_BIAS_HIGH_IMPEDANCE = 3,
	SCMI_PINCTRL_CFG_BIAS_PULL_UP = 4,
	SCMI_PINCTRL_CFG_BIAS_PULL_DEFAULT = 5,
	SCMI_PINCTRL_CFG_BIAS_PULL_DOWN = 6,
	SCMI_PINCTRL_CFG_DRIVE_OPEN_DRAIN = 7,
	SCMI_PINCTRL_CFG_DRIVE_OPEN_SOURCE = 8,
	SCMI_PINCTRL_CFG_DRIVE_PUSH_PULL = 9,
	SCMI_PINCTRL_CFG_DRIVE_STRENGTH = 10,
	SCMI_PINCTRL_CFG_INPUT_DEBOUNCE = 11,
	SCMI_PINCTRL_CFG_INPUT_MODE = 12,
	SCMI_PINCTRL_CFG_PULL_MODE = 13,
	SCMI_PINCTRL_CFG_INPUT_VALUE = 14,
	SCMI_PINCTRL_CFG_INPUT_SCHMITT = 15,
	SCMI_PINCTRL_CFG_LOW_POWER_MODE = 16,
	SCMI_PINCTRL_CFG_OUTPUT_MODE = 17,
	SCMI_PINCTRL_CFG_OUTPUT_VALUE = 18,
	SCMI_PINCTRL_CFG_POWER_SOURCE = 19,
	SCMI_PINCTRL_CFG_SLEW_RATE = 20,
	SCMI_PINCTRL_CFG_OEM_FIRST = 192,
	SCMI_PINCTRL_CFG_OEM_LAST = 255,
};

/** PROTOCOL_ATTRIBUTES response. */
struct scmi_pinctrl_protocol_attributes_p2a {
	uint32_t attributes_low;
#define SCMI_PINCTRL_ATTR_NUM_GROUPS SCMI_GENMASK(31, 16)
#define SCMI_PINCTRL_ATTR_NUM_PINS SCMI_GENMASK(15, 0)
	uint32_t attributes_high;
#define SCMI_PINCTRL_ATTR_NUM_FUNCTIONS SCMI_GENMASK(15, 0)
};
static_assert(sizeof(struct scmi_pinctrl_protocol_attributes_p2a) == 8, "size");

/** Identifier + selector: PINCTRL_ATTRIBUTES, REQUEST, RELEASE, NAME_GET. */
struct scmi_pinctrl_id_a2p {
	uint32_t identifier;
	uint32_t flags;
#define SCMI_PINCTRL_FLAGS_SELECTOR SCMI_GENMASK(1, 0)
};
static_assert(sizeof(struct scmi_pinctrl_id_a2p) == 8, "size");

/** PINCTRL_ATTRIBUTES response. */
struct scmi_pinctrl_attributes_p2a {
	uint32_t attributes;
#define SCMI_PINCTRL_EXT_NAME SCMI_BIT(31)
#define SCMI_PINCTRL_NUM_ELEMS SCMI_GENMASK(15, 0)	/* pins of a group, groups of a function */
	char name[SCMI_SHORT_NAME_LEN];
};
static_assert(sizeof(struct scmi_pinctrl_attributes_p2a) == 20, "size");

/** PINCTRL_LIST_ASSOCIATIONS command and response (16-bit identifiers). */
struct scmi_pinctrl_list_associations_a2p {
	uint32_t identifier;
	uint32_t flags;			/* SCMI_PINCTRL_FLAGS_SELECTOR: group or function */
	uint32_t index;
};
static_assert(sizeof(struct scmi_pinctrl_list_associations_a2p) == 12, "size");
struct scmi_pinctrl_list_associations_p2a {
	uint32_t flags;
#define SCMI_PINCTRL_ASSOC_REMAINING SCMI_GENMASK(31, 16)
#define SCMI_PINCTRL_ASSOC_RETURNED SCMI_GENMASK(11, 0)
	uint16_t array[];		/* padded to a word */
};
static_assert(sizeof(struct scmi_pinctrl_list_associations_p2a) == 4, "size");

/** One configuration: {type, value}. */
struct scmi_pinctrl_config {
	uint32_t type;			/* bits 7:0: enum scmi_pinctrl_config_type */
	uint32_t value;
};
static_assert(sizeof(struct scmi_pinctrl_config) == 8, "size");

/** PINCTRL_SETTINGS_GET command and response. */
struct scmi_pinctrl_settings_get_a2p {
	uint32_t identifier;
	uint32_t attributes;
#define SCMI_PINCTRL_GET_CONFIG_FLAG SCMI_GENMASK(19, 18)
#define SCMI_PINCTRL_GET_ONE 0u		/* the CONFIG_TYPE given */
#define SCMI_PINCTRL_GET_ALL 1u		/* all, from SKIP on */
#define SCMI_PINCTRL_GET_FUNCTION 2u	/* only the selected function */
#define SCMI_PINCTRL_GET_SELECTOR SCMI_GENMASK(17, 16)
#define SCMI_PINCTRL_GET_SKIP SCMI_GENMASK(15, 8)
#define SCMI_PINCTRL_GET_CONFIG_TYPE SCMI_GENMASK(7, 0)
};
static_assert(sizeof(struct scmi_pinctrl_settings_get_a2p) == 8, "size");
struct scmi_pinctrl_settings_get_p2a {
	uint32_t function_selected;	/* 0xFFFFFFFF: none */
	uint32_t num_configs;
#define SCMI_PINCTRL_CONFIGS_REMAINING SCMI_GENMASK(31, 24)
#define SCMI_PINCTRL_CONFIGS_RETURNED SCMI_GENMASK(7, 0)
	struct scmi_pinctrl_config configs[];
};
static_assert(sizeof(struct scmi_pinctrl_settings_get_p2a) == 8, "size");
#define SCMI_PINCTRL_NO_FUNCTION 0xFFFFFFFFu

/** PINCTRL_SETTINGS_CONFIGURE command. */
struct scmi_pinctrl_settings_configure_a2p {
	uint32_t identifier;
	uint32_t function_id;		/* used when FUNCTION_VALID */
	uint32_t attributes;
#define SCMI_PINCTRL_CONF_FUNCTION_VALID SCMI_BIT(10)
#define SCMI_PINCTRL_CONF_NUM_CONFIGS SCMI_GENMASK(9, 2)
#define SCMI_PINCTRL_CONF_SELECTOR SCMI_GENMASK(1, 0)
	struct scmi_pinctrl_config configs[];
};
static_assert(sizeof(struct scmi_pinctrl_settings_configure_a2p) == 12, "size");

/** PINCTRL_NAME_GET response (command: struct scmi_pinctrl_id_a2p). */
struct scmi_pinctrl_name_get_p2a {
	uint32_t flags;			/* reserved */
	char name[SCMI_EXT_NAME_LEN];
};
static_assert(sizeof(struct scmi_pinctrl_name_get_p2a) == 68, "size");

/** PINCTRL_SET_PERMISSIONS command. */
struct scmi_pinctrl_set_permissions_a2p {
	uint32_t agent_id;
	uint32_t identifier;
	uint32_t flags;
#define SCMI_PINCTRL_PERM_ALLOW SCMI_BIT(2)	/* 1 allow, 0 deny */
#define SCMI_PINCTRL_PERM_SELECTOR SCMI_GENMASK(1, 0)	/* pin or group */
};
static_assert(sizeof(struct scmi_pinctrl_set_permissions_a2p) == 12, "size");

#endif /* VSCMI_SCMI_WIRE_PINCTRL_H */
