/* SPDX-License-Identifier: MIT */
/*
 * SCMI Reset domain management protocol (0x16) wire format, DEN0056 v3.2
 * section 4.8. Conventions: include/vscmi/scmi_wire.h.
 */
#ifndef VSCMI_SCMI_WIRE_RESET_H
#define VSCMI_SCMI_WIRE_RESET_H

#include <vscmi/scmi_wire.h>

#define SCMI_RESET_VERSION_V3_2 SCMI_VERSION(3, 1)

#define SCMI_RESET_DOMAIN_ATTRIBUTES 0x3
#define SCMI_RESET_RESET 0x4		/* the spec's "RESET" command */
#define SCMI_RESET_NOTIFY 0x5
#define SCMI_RESET_DOMAIN_NAME_GET 0x6
#define SCMI_RESET_MSG_COUNT 0x7

#define SCMI_RESET_EVT_ISSUED 0x0
/* Delayed response (same id as the command). */
#define SCMI_RESET_EVT_COMPLETE SCMI_RESET_RESET

/** PROTOCOL_ATTRIBUTES response. */
struct scmi_reset_protocol_attributes_p2a {
	uint32_t attributes;
#define SCMI_RESET_ATTR_NUM_DOMAINS SCMI_GENMASK(15, 0)
};
static_assert(sizeof(struct scmi_reset_protocol_attributes_p2a) == 4, "size");

/** RESET_DOMAIN_ATTRIBUTES command and response. */
struct scmi_reset_domain_attributes_a2p {
	uint32_t domain_id;
};
static_assert(sizeof(struct scmi_reset_domain_attributes_a2p) == 4, "size");
struct scmi_reset_domain_attributes_p2a {
	uint32_t attributes;
#define SCMI_RESET_DOM_ASYNC SCMI_BIT(31)
#define SCMI_RESET_DOM_NOTIFY SCMI_BIT(30)
#define SCMI_RESET_DOM_EXT_NAME SCMI_BIT(29)
	uint32_t latency_us;		/* 0xFFFFFFFF: unknown */
	char name[SCMI_SHORT_NAME_LEN];
};
static_assert(sizeof(struct scmi_reset_domain_attributes_p2a) == 24, "size");

/** RESET command. */
struct scmi_reset_reset_a2p {
	uint32_t domain_id;
	uint32_t flags;
#define SCMI_RESET_ASYNC SCMI_BIT(2)		/* delayed response RESET_COMPLETE */
#define SCMI_RESET_EXPLICIT_ASSERT SCMI_BIT(1)	/* 1 assert, 0 deassert */
#define SCMI_RESET_AUTONOMOUS SCMI_BIT(0)	/* full cycle; ASSERT ignored */
	uint32_t reset_state;
#define SCMI_RESET_STATE_IMPL SCMI_BIT(31)	/* 1: implementation defined */
#define SCMI_RESET_STATE_ID SCMI_GENMASK(30, 0)	/* 0: architectural cold reset */
};
static_assert(sizeof(struct scmi_reset_reset_a2p) == 12, "size");
/** RESET_COMPLETE delayed response (after its status word). */
struct scmi_reset_complete_p2a {
	uint32_t domain_id;
};
static_assert(sizeof(struct scmi_reset_complete_p2a) == 4, "size");

/** RESET_NOTIFY command. */
struct scmi_reset_notify_a2p {
	uint32_t domain_id;
	uint32_t notify_enable;		/* SCMI_NOTIFY_ENABLE */
};
static_assert(sizeof(struct scmi_reset_notify_a2p) == 8, "size");

/** RESET_DOMAIN_NAME_GET: struct scmi_name_get_a2p / _p2a. */

/** RESET_ISSUED notification. */
struct scmi_reset_issued_p2a {
	uint32_t agent_id;
	uint32_t domain_id;
	uint32_t reset_state;
};
static_assert(sizeof(struct scmi_reset_issued_p2a) == 12, "size");

#endif /* VSCMI_SCMI_WIRE_RESET_H */
