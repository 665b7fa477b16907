/* SPDX-License-Identifier: MIT */
/*
 * SCMI Power capping and monitoring protocol (0x18) wire format, DEN0056
 * v3.2 section 4.10 (protocol version 2.0). Conventions:
 * include/vscmi/scmi_wire.h.
 */
#ifndef VSCMI_SCMI_WIRE_POWERCAP_H
#define VSCMI_SCMI_WIRE_POWERCAP_H

#include <vscmi/scmi_wire.h>

#define SCMI_POWERCAP_VERSION_V3_2 SCMI_VERSION(2, 0)

#define SCMI_POWERCAP_DOMAIN_ATTRIBUTES 0x3
#define SCMI_POWERCAP_CAP_GET 0x4
#define SCMI_POWERCAP_CAP_SET 0x5
#define SCMI_POWERCAP_PAI_GET 0x6
#define SCMI_POWERCAP_PAI_SET 0x7
#define SCMI_POWERCAP_DOMAIN_NAME_GET 0x8
#define SCMI_POWERCAP_MEASUREMENTS_GET 0x9
#define SCMI_POWERCAP_CAP_NOTIFY 0xA
#define SCMI_POWERCAP_MEASUREMENTS_NOTIFY 0xB
#define SCMI_POWERCAP_DESCRIBE_FASTCHANNEL 0xC
#define SCMI_POWERCAP_MSG_COUNT 0xD

#define SCMI_POWERCAP_EVT_CAP_CHANGED 0x0
#define SCMI_POWERCAP_EVT_MEASUREMENTS_CHANGED 0x1
/* Delayed response (same id as the command). */
#define SCMI_POWERCAP_EVT_CAP_SET_COMPLETE SCMI_POWERCAP_CAP_SET

/** PROTOCOL_ATTRIBUTES response. */
struct scmi_powercap_protocol_attributes_p2a {
	uint32_t attributes;
#define SCMI_POWERCAP_ATTR_NUM_DOMAINS SCMI_GENMASK(15, 0)
};
static_assert(sizeof(struct scmi_powercap_protocol_attributes_p2a) == 4, "size");

/** Domain id only: DOMAIN_ATTRIBUTES, CAP_GET, PAI_GET, NAME_GET, MEASUREMENTS_GET. */
struct scmi_powercap_domain_a2p {
	uint32_t domain_id;
};
static_assert(sizeof(struct scmi_powercap_domain_a2p) == 4, "size");

/** POWERCAP_DOMAIN_ATTRIBUTES response. */
struct scmi_powercap_domain_attributes_p2a {
	uint32_t attributes;
#define SCMI_POWERCAP_DOM_CAP_CHANGE_NOTIFY SCMI_BIT(31)
#define SCMI_POWERCAP_DOM_MEASUREMENTS_NOTIFY SCMI_BIT(30)
#define SCMI_POWERCAP_DOM_ASYNC_CAP_SET SCMI_BIT(29)
#define SCMI_POWERCAP_DOM_EXT_NAME SCMI_BIT(28)
#define SCMI_POWERCAP_DOM_CAP_CONFIG SCMI_BIT(27)
#define SCMI_POWERCAP_DOM_MONITORING SCMI_BIT(26)
#define SCMI_POWERCAP_DOM_PAI_CONFIG SCMI_BIT(25)
#define SCMI_POWERCAP_DOM_UNIT_MW SCMI_BIT(24)	/* neither: abstract units */
#define SCMI_POWERCAP_DOM_UNIT_UW SCMI_BIT(23)
#define SCMI_POWERCAP_DOM_FASTCHANNEL SCMI_BIT(22)
	char name[SCMI_SHORT_NAME_LEN];
	uint32_t min_pai_us;
	uint32_t max_pai_us;
	uint32_t pai_step_us;
	uint32_t min_power_cap;
	uint32_t max_power_cap;
	uint32_t power_cap_step;
	uint32_t sustainable_power;
	uint32_t accuracy;
#define SCMI_POWERCAP_ACCURACY_COEFF SCMI_GENMASK(31, 5)
#define SCMI_POWERCAP_ACCURACY_EXP SCMI_GENMASK(4, 0)
	uint32_t parent_id;		/* 0xFFFFFFFF: no parent */
};
static_assert(sizeof(struct scmi_powercap_domain_attributes_p2a) == 56, "size");
#define SCMI_POWERCAP_NO_PARENT 0xFFFFFFFFu

/** POWERCAP_CAP_GET response. */
struct scmi_powercap_cap_get_p2a {
	uint32_t power_cap;
};
static_assert(sizeof(struct scmi_powercap_cap_get_p2a) == 4, "size");

/** POWERCAP_CAP_SET command (power_cap 0 disables capping). */
struct scmi_powercap_cap_set_a2p {
	uint32_t domain_id;
	uint32_t flags;
#define SCMI_POWERCAP_SET_ASYNC SCMI_BIT(1)
#define SCMI_POWERCAP_SET_IGNORE_DRESP SCMI_BIT(0)	/* async without delayed response */
	uint32_t power_cap;
};
static_assert(sizeof(struct scmi_powercap_cap_set_a2p) == 12, "size");
/** POWERCAP_CAP_SET_COMPLETE delayed response (after its status word). */
struct scmi_powercap_cap_set_complete_p2a {
	uint32_t domain_id;
	uint32_t power_cap;
};
static_assert(sizeof(struct scmi_powercap_cap_set_complete_p2a) == 8, "size");

/** POWERCAP_PAI_GET response. */
struct scmi_powercap_pai_get_p2a {
	uint32_t pai_us;
};
static_assert(sizeof(struct scmi_powercap_pai_get_p2a) == 4, "size");
/** POWERCAP_PAI_SET command. */
struct scmi_powercap_pai_set_a2p {
	uint32_t domain_id;
	uint32_t flags;			/* reserved, zero */
	uint32_t pai_us;
};
static_assert(sizeof(struct scmi_powercap_pai_set_a2p) == 12, "size");

/** POWERCAP_DOMAIN_NAME_GET: struct scmi_name_get_a2p / _p2a. */

/** POWERCAP_MEASUREMENTS_GET response. */
struct scmi_powercap_measurements_get_p2a {
	uint32_t power;
	uint32_t pai_us;
};
static_assert(sizeof(struct scmi_powercap_measurements_get_p2a) == 8, "size");

/** POWERCAP_CAP_NOTIFY command. */
struct scmi_powercap_cap_notify_a2p {
	uint32_t domain_id;
	uint32_t notify_enable;		/* SCMI_NOTIFY_ENABLE */
};
static_assert(sizeof(struct scmi_powercap_cap_notify_a2p) == 8, "size");

/** POWERCAP_MEASUREMENTS_NOTIFY command. */
struct scmi_powercap_measurements_notify_a2p {
	uint32_t domain_id;
	uint32_t notify_enable;		/* SCMI_NOTIFY_ENABLE */
	uint32_t power_thresh_low;
	uint32_t power_thresh_high;
};
static_assert(sizeof(struct scmi_powercap_measurements_notify_a2p) == 16, "size");

/** POWERCAP_DESCRIBE_FASTCHANNEL command and response (refused on virtio). */
struct scmi_powercap_describe_fastchannel_a2p {
	uint32_t domain_id;
	uint32_t message_id;
};
static_assert(sizeof(struct scmi_powercap_describe_fastchannel_a2p) == 8, "size");
struct scmi_powercap_describe_fastchannel_p2a {
	uint32_t attributes;
	uint32_t rate_limit;
	uint32_t chan_addr_low;
	uint32_t chan_addr_high;
	uint32_t chan_size;
	uint32_t db_addr_low;
	uint32_t db_addr_high;
	uint32_t db_set_lmask;
	uint32_t db_set_hmask;
	uint32_t db_preserve_lmask;
	uint32_t db_preserve_hmask;
};
static_assert(sizeof(struct scmi_powercap_describe_fastchannel_p2a) == 44, "size");

/** POWERCAP_CAP_CHANGED notification. */
struct scmi_powercap_cap_changed_p2a {
	uint32_t agent_id;
	uint32_t domain_id;
	uint32_t power_cap;
	uint32_t pai_us;
};
static_assert(sizeof(struct scmi_powercap_cap_changed_p2a) == 16, "size");

/** POWERCAP_MEASUREMENTS_CHANGED notification. */
struct scmi_powercap_measurements_changed_p2a {
	uint32_t agent_id;
	uint32_t domain_id;
	uint32_t power;
};
static_assert(sizeof(struct scmi_powercap_measurements_changed_p2a) == 12, "size");

#endif /* VSCMI_SCMI_WIRE_POWERCAP_H */
