/* SPDX-License-Identifier: MIT */
/*
 * SCMI Performance domain management protocol (0x13) wire format, DEN0056
 * v3.2 section 4.5 (protocol version 4.0: level indexing mode).
 * Conventions: include/vscmi/scmi_wire.h.
 */
#ifndef VSCMI_SCMI_WIRE_PERF_H
#define VSCMI_SCMI_WIRE_PERF_H

#include <vscmi/scmi_wire.h>

#define SCMI_PERF_VERSION_V3_2 SCMI_VERSION(4, 0)

#define SCMI_PERF_DOMAIN_ATTRIBUTES 0x3
#define SCMI_PERF_DESCRIBE_LEVELS 0x4
#define SCMI_PERF_LIMITS_SET 0x5
#define SCMI_PERF_LIMITS_GET 0x6
#define SCMI_PERF_LEVEL_SET 0x7
#define SCMI_PERF_LEVEL_GET 0x8
#define SCMI_PERF_NOTIFY_LIMITS 0x9
#define SCMI_PERF_NOTIFY_LEVEL 0xA
#define SCMI_PERF_DESCRIBE_FASTCHANNEL 0xB
#define SCMI_PERF_DOMAIN_NAME_GET 0xC
#define SCMI_PERF_MSG_COUNT 0xD

#define SCMI_PERF_EVT_LIMITS_CHANGED 0x0
#define SCMI_PERF_EVT_LEVEL_CHANGED 0x1

/** PROTOCOL_ATTRIBUTES response. */
struct scmi_perf_protocol_attributes_p2a {
	uint32_t attributes;
#define SCMI_PERF_ATTR_POWER_MW SCMI_BIT(16)	/* power values in mW (else abstract) */
#define SCMI_PERF_ATTR_POWER_UW SCMI_BIT(17)	/* v4: in microwatts */
#define SCMI_PERF_ATTR_NUM_DOMAINS SCMI_GENMASK(15, 0)
	uint32_t stats_addr_low;
	uint32_t stats_addr_high;
	uint32_t stats_len;
};
static_assert(sizeof(struct scmi_perf_protocol_attributes_p2a) == 16, "size");

/** PERF_DOMAIN_ATTRIBUTES command and response. */
struct scmi_perf_domain_attributes_a2p {
	uint32_t domain_id;
};
static_assert(sizeof(struct scmi_perf_domain_attributes_a2p) == 4, "size");
struct scmi_perf_domain_attributes_p2a {
	uint32_t attributes;
#define SCMI_PERF_DOM_SET_LIMITS SCMI_BIT(31)
#define SCMI_PERF_DOM_SET_LEVEL SCMI_BIT(30)
#define SCMI_PERF_DOM_LIMITS_NOTIFY SCMI_BIT(29)
#define SCMI_PERF_DOM_LEVEL_NOTIFY SCMI_BIT(28)
#define SCMI_PERF_DOM_FASTCHANNEL SCMI_BIT(27)
#define SCMI_PERF_DOM_EXT_NAME SCMI_BIT(26)
#define SCMI_PERF_DOM_LEVEL_INDEXING SCMI_BIT(25)	/* levels are indexes */
	uint32_t rate_limit;
#define SCMI_PERF_RATE_LIMIT_US SCMI_GENMASK(19, 0)
	uint32_t sustained_freq_khz;
	uint32_t sustained_perf_level;
	char name[SCMI_SHORT_NAME_LEN];
};
static_assert(sizeof(struct scmi_perf_domain_attributes_p2a) == 32, "size");

/** PERF_DESCRIBE_LEVELS command. */
struct scmi_perf_describe_levels_a2p {
	uint32_t domain_id;
	uint32_t level_index;
};
static_assert(sizeof(struct scmi_perf_describe_levels_a2p) == 8, "size");
/** One level before protocol 4.0 (12 bytes). */
struct scmi_perf_level_v3 {
	uint32_t perf_level;
	uint32_t power_cost;
	uint32_t attributes;
#define SCMI_PERF_LEVEL_LATENCY_US SCMI_GENMASK(15, 0)
};
static_assert(sizeof(struct scmi_perf_level_v3) == 12, "size");
/** One level from protocol 4.0 on (SCMI v3.2; 20 bytes). */
struct scmi_perf_level_v4 {
	uint32_t perf_level;
	uint32_t power_cost;
	uint32_t attributes;		/* SCMI_PERF_LEVEL_LATENCY_US */
	uint32_t indicative_freq_khz;
	uint32_t level_index;
};
static_assert(sizeof(struct scmi_perf_level_v4) == 20, "size");
/**
 * PERF_DESCRIBE_LEVELS response: NUM_RETURNED levels follow, each a
 * struct scmi_perf_level_v3 or _v4 depending on the negotiated version.
 */
struct scmi_perf_describe_levels_p2a {
	uint32_t num_levels;
#define SCMI_PERF_LEVELS_REMAINING SCMI_GENMASK(31, 16)
#define SCMI_PERF_LEVELS_RETURNED SCMI_GENMASK(11, 0)
	uint32_t levels[];
};
static_assert(sizeof(struct scmi_perf_describe_levels_p2a) == 4, "size");

/** PERF_LIMITS_SET command (range_max comes first, as in the spec). */
struct scmi_perf_limits_set_a2p {
	uint32_t domain_id;
	uint32_t range_max;
	uint32_t range_min;
};
static_assert(sizeof(struct scmi_perf_limits_set_a2p) == 12, "size");

/** PERF_LIMITS_GET / PERF_LEVEL_GET command. */
struct scmi_perf_domain_a2p {
	uint32_t domain_id;
};
static_assert(sizeof(struct scmi_perf_domain_a2p) == 4, "size");
/** PERF_LIMITS_GET response. */
struct scmi_perf_limits_get_p2a {
	uint32_t range_max;
	uint32_t range_min;
};
static_assert(sizeof(struct scmi_perf_limits_get_p2a) == 8, "size");

/** PERF_LEVEL_SET command. */
struct scmi_perf_level_set_a2p {
	uint32_t domain_id;
	uint32_t perf_level;
};
static_assert(sizeof(struct scmi_perf_level_set_a2p) == 8, "size");
/** PERF_LEVEL_GET response. */
struct scmi_perf_level_get_p2a {
	uint32_t perf_level;
};
static_assert(sizeof(struct scmi_perf_level_get_p2a) == 4, "size");

/** PERF_NOTIFY_LIMITS / PERF_NOTIFY_LEVEL command. */
struct scmi_perf_notify_a2p {
	uint32_t domain_id;
	uint32_t notify_enable;		/* SCMI_NOTIFY_ENABLE */
};
static_assert(sizeof(struct scmi_perf_notify_a2p) == 8, "size");

/**
 * PERF_DESCRIBE_FASTCHANNEL command and response. A virtio transport has no
 * shared memory for fast channels: vscmi's server answers NOT_SUPPORTED and
 * the agent treats any reply as "no fast channel".
 */
struct scmi_perf_describe_fastchannel_a2p {
	uint32_t domain_id;
	uint32_t message_id;
};
static_assert(sizeof(struct scmi_perf_describe_fastchannel_a2p) == 8, "size");
struct scmi_perf_describe_fastchannel_p2a {
	uint32_t attributes;
#define SCMI_PERF_FC_DOORBELL SCMI_BIT(0)
#define SCMI_PERF_FC_DOORBELL_WIDTH SCMI_GENMASK(2, 1)
	uint32_t rate_limit;		/* SCMI_PERF_RATE_LIMIT_US */
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
static_assert(sizeof(struct scmi_perf_describe_fastchannel_p2a) == 44, "size");

/** PERF_DOMAIN_NAME_GET: struct scmi_name_get_a2p / _p2a. */

/**
 * PERF_LIMITS_CHANGED notification. Note the order: range_min first here,
 * while LIMITS_SET/GET carry range_max first (the spec does this).
 */
struct scmi_perf_limits_changed_p2a {
	uint32_t agent_id;
	uint32_t domain_id;
	uint32_t range_min;
	uint32_t range_max;
};
static_assert(sizeof(struct scmi_perf_limits_changed_p2a) == 16, "size");

/** PERF_LEVEL_CHANGED notification. */
struct scmi_perf_level_changed_p2a {
	uint32_t agent_id;
	uint32_t domain_id;
	uint32_t perf_level;
};
static_assert(sizeof(struct scmi_perf_level_changed_p2a) == 12, "size");

#endif /* VSCMI_SCMI_WIRE_PERF_H */
