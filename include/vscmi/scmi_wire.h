/* SPDX-License-Identifier: MIT */
/*
 * SCMI (Arm DEN0056, v3.2) wire format shared by the agent (guest) and the
 * server (dom0): the message header, protocol ids, the ids common to every
 * protocol, status codes and the little-endian accessors. Per-protocol
 * message ids and payload structs live in scmi/wire/<protocol>.h; include
 * <scmi/wire/all.h> for every protocol at once.
 *
 * Conventions of every payload struct in scmi/wire/:
 * - `_a2p`: agent to platform (command parameters); `_p2a`: platform to
 *   agent (response, delayed response or notification payload).
 * - Every field is little-endian on the wire: read and write it through
 *   scmi_le32_to_cpu()/scmi_cpu_to_le32() (or scmi_get_le32()/scmi_put_le32()
 *   on a byte pointer). Structs are naturally aligned 32-bit words, checked
 *   with static_assert, so no packing attribute is needed.
 * - The 32-bit header is NOT part of any struct.
 * - A response's int32 status word is NOT part of its `_p2a` struct either:
 *   the struct describes the bytes that follow the status word, which is
 *   what the agent core hands to a protocol (xfer->rx) and what the server
 *   writes after the status. Delayed responses likewise (status word first,
 *   then the struct). Notifications have no status word: the struct is the
 *   whole payload.
 * - Variable-length tails are flexible array members; the static_assert
 *   covers the fixed part.
 */
#ifndef VSCMI_SCMI_WIRE_H
#define VSCMI_SCMI_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* C11 spells it _Static_assert; <assert.h> is not freestanding. */
#ifndef static_assert
#define static_assert _Static_assert
#endif

/* ---- bits ----------------------------------------------------------------- */

#define SCMI_BIT(n) (1u << (n))
/** Mask of bits @h..@l inclusive of a 32-bit word. */
#define SCMI_GENMASK(h, l) ((uint32_t)((~0u >> (31 - (h))) & (~0u << (l))))
/** Extract / place a field described by a contiguous mask. */
#define SCMI_FIELD_GET(mask, v) (((uint32_t)(v) & (mask)) / ((mask) & -(mask)))
#define SCMI_FIELD_PREP(mask, v) (((uint32_t)(v) * ((mask) & -(mask))) & (mask))

/* ---- little-endian accessors ------------------------------------------------ */

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
static inline uint32_t scmi_cpu_to_le32(uint32_t v) { return __builtin_bswap32(v); }
static inline uint16_t scmi_cpu_to_le16(uint16_t v) { return __builtin_bswap16(v); }
#else
static inline uint32_t scmi_cpu_to_le32(uint32_t v) { return v; }
static inline uint16_t scmi_cpu_to_le16(uint16_t v) { return v; }
#endif
static inline uint32_t scmi_le32_to_cpu(uint32_t v) { return scmi_cpu_to_le32(v); }
static inline uint16_t scmi_le16_to_cpu(uint16_t v) { return scmi_cpu_to_le16(v); }

/** Read a little-endian 32-bit value at any alignment. */
static inline uint32_t scmi_get_le32(const void *p)
{
	const uint8_t *b = (const uint8_t *)p;

	return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 |
	       (uint32_t)b[3] << 24;
}
/** Write a little-endian 32-bit value at any alignment. */
static inline void scmi_put_le32(void *p, uint32_t v)
{
	uint8_t *b = (uint8_t *)p;

	b[0] = (uint8_t)v;
	b[1] = (uint8_t)(v >> 8);
	b[2] = (uint8_t)(v >> 16);
	b[3] = (uint8_t)(v >> 24);
}
static inline uint16_t scmi_get_le16(const void *p)
{
	const uint8_t *b = (const uint8_t *)p;

	return (uint16_t)(b[0] | b[1] << 8);
}
static inline void scmi_put_le16(void *p, uint16_t v)
{
	uint8_t *b = (uint8_t *)p;

	b[0] = (uint8_t)v;
	b[1] = (uint8_t)(v >> 8);
}
/** A 64-bit value carried as two little-endian words (low first). */
static inline uint64_t scmi_u64_from_words(uint32_t le_lo, uint32_t le_hi)
{
	return (uint64_t)scmi_le32_to_cpu(le_hi) << 32 | scmi_le32_to_cpu(le_lo);
}

/* ---- message header (DEN0056 4.1.2) ------------------------------------------ */

/*
 * bits 31:28 reserved (must be zero), 27:18 token, 17:10 protocol id,
 * 9:8 message type, 7:0 message id.
 */
#define SCMI_HDR_MSG_ID_MASK SCMI_GENMASK(7, 0)
#define SCMI_HDR_TYPE_MASK SCMI_GENMASK(9, 8)
#define SCMI_HDR_PROTO_MASK SCMI_GENMASK(17, 10)
#define SCMI_HDR_TOKEN_MASK SCMI_GENMASK(27, 18)
#define SCMI_HDR_RESERVED_MASK SCMI_GENMASK(31, 28)
#define SCMI_HDR_SIZE 4u
#define SCMI_TOKEN_BITS 10
#define SCMI_TOKEN_MAX (1u << SCMI_TOKEN_BITS)	/* tokens are 0..1023 */
#define SCMI_STATUS_SIZE 4u

enum scmi_msg_type {
	SCMI_MSG_TYPE_COMMAND = 0,	/* commands and their (sync) responses */
	SCMI_MSG_TYPE_FASTCHANNEL = 1,	/* reserved for fast channels; never on virtio */
	SCMI_MSG_TYPE_DELAYED_RESP = 2,
	SCMI_MSG_TYPE_NOTIFICATION = 3,
};

static inline uint32_t scmi_hdr_pack(uint8_t msg_id, uint8_t type,
				     uint8_t proto, uint16_t token)
{
	return SCMI_FIELD_PREP(SCMI_HDR_MSG_ID_MASK, msg_id) |
	       SCMI_FIELD_PREP(SCMI_HDR_TYPE_MASK, type) |
	       SCMI_FIELD_PREP(SCMI_HDR_PROTO_MASK, proto) |
	       SCMI_FIELD_PREP(SCMI_HDR_TOKEN_MASK, token);
}

static inline void scmi_hdr_unpack(uint32_t hdr, uint8_t *msg_id, uint8_t *type,
				   uint8_t *proto, uint16_t *token)
{
	if (msg_id)
		*msg_id = (uint8_t)SCMI_FIELD_GET(SCMI_HDR_MSG_ID_MASK, hdr);
	if (type)
		*type = (uint8_t)SCMI_FIELD_GET(SCMI_HDR_TYPE_MASK, hdr);
	if (proto)
		*proto = (uint8_t)SCMI_FIELD_GET(SCMI_HDR_PROTO_MASK, hdr);
	if (token)
		*token = (uint16_t)SCMI_FIELD_GET(SCMI_HDR_TOKEN_MASK, hdr);
}
static inline uint8_t scmi_hdr_msg_id(uint32_t hdr) { return (uint8_t)SCMI_FIELD_GET(SCMI_HDR_MSG_ID_MASK, hdr); }
static inline uint8_t scmi_hdr_type(uint32_t hdr) { return (uint8_t)SCMI_FIELD_GET(SCMI_HDR_TYPE_MASK, hdr); }
static inline uint8_t scmi_hdr_proto(uint32_t hdr) { return (uint8_t)SCMI_FIELD_GET(SCMI_HDR_PROTO_MASK, hdr); }
static inline uint16_t scmi_hdr_token(uint32_t hdr) { return (uint16_t)SCMI_FIELD_GET(SCMI_HDR_TOKEN_MASK, hdr); }

/* ---- protocol ids ------------------------------------------------------------ */

#define SCMI_PROTO_BASE 0x10
#define SCMI_PROTO_POWER 0x11
#define SCMI_PROTO_SYSTEM 0x12
#define SCMI_PROTO_PERF 0x13
#define SCMI_PROTO_CLOCK 0x14
#define SCMI_PROTO_SENSOR 0x15
#define SCMI_PROTO_RESET 0x16
#define SCMI_PROTO_VOLTAGE 0x17
#define SCMI_PROTO_POWERCAP 0x18
#define SCMI_PROTO_PINCTRL 0x19
#define SCMI_PROTO_VENDOR_FIRST 0x80
#define SCMI_PROTO_VENDOR_LAST 0xFF

/* ---- messages common to every protocol --------------------------------------- */

#define SCMI_MSG_PROTOCOL_VERSION 0x0
#define SCMI_MSG_PROTOCOL_ATTRIBUTES 0x1
#define SCMI_MSG_PROTOCOL_MESSAGE_ATTRIBUTES 0x2
#define SCMI_MSG_NEGOTIATE_PROTOCOL_VERSION 0x10

/* Protocol versions: bits 31:16 major, 15:0 minor. */
#define SCMI_VERSION(major, minor) ((uint32_t)(major) << 16 | (uint16_t)(minor))
#define SCMI_VERSION_MAJOR(v) ((uint16_t)((v) >> 16))
#define SCMI_VERSION_MINOR(v) ((uint16_t)(v))

/* Names: short ones are 16 bytes, extended (*_NAME_GET) 64, NUL-terminated. */
#define SCMI_SHORT_NAME_LEN 16
#define SCMI_EXT_NAME_LEN 64

/** PROTOCOL_VERSION response. */
struct scmi_protocol_version_p2a {
	uint32_t version;
};
/** PROTOCOL_MESSAGE_ATTRIBUTES command. */
struct scmi_protocol_message_attributes_a2p {
	uint32_t message_id;
};
/** PROTOCOL_MESSAGE_ATTRIBUTES response (meaning of bits is per message). */
struct scmi_protocol_message_attributes_p2a {
	uint32_t attributes;
};
/** NEGOTIATE_PROTOCOL_VERSION command; the response is the status only. */
struct scmi_negotiate_protocol_version_a2p {
	uint32_t version;
};
/** Common *_NOTIFY command shape: { id, notify_enable }. */
struct scmi_notify_a2p {
	uint32_t id;
	uint32_t notify_enable;
#define SCMI_NOTIFY_ENABLE SCMI_BIT(0)
};
/** Common *_NAME_GET command (id only) and its response. */
struct scmi_name_get_a2p {
	uint32_t id;
};
struct scmi_name_get_p2a {
	uint32_t flags;				/* reserved, zero */
	char name[SCMI_EXT_NAME_LEN];		/* NUL-terminated */
};

/* ---- status codes (DEN0056 4.1.4) ---------------------------------------------- */

enum scmi_status {
	SCMI_SUCCESS = 0,
	SCMI_NOT_SUPPORTED = -1,
	SCMI_INVALID_PARAMETERS = -2,
	SCMI_DENIED = -3,
	SCMI_NOT_FOUND = -4,
	SCMI_OUT_OF_RANGE = -5,
	SCMI_BUSY = -6,
	SCMI_COMMS_ERROR = -7,
	SCMI_GENERIC_ERROR = -8,
	SCMI_HARDWARE_ERROR = -9,
	SCMI_PROTOCOL_ERROR = -10,
	SCMI_IN_USE = -11,
};

/**
 * SCMI status -> negative errno (0 for SUCCESS). The one place the agent
 * converts: NOT_SUPPORTED -EOPNOTSUPP, INVALID_PARAMETERS -EINVAL, DENIED
 * -EACCES, NOT_FOUND -ENOENT, OUT_OF_RANGE -ERANGE, BUSY -EBUSY, COMMS_ERROR
 * -ECOMM, GENERIC_ERROR -EIO, HARDWARE_ERROR -EREMOTEIO, PROTOCOL_ERROR
 * -EPROTO, IN_USE -EADDRINUSE (distinct from BUSY so the mapping is
 * one-to-one); any other value (unknown, positive) -EPROTO.
 */
int scmi_status_to_errno(int32_t status);
/**
 * Negative errno -> SCMI status: the one place the server converts. The
 * inverse of scmi_status_to_errno() on its image; other errors map to the
 * nearest status (e.g. -ENOMEM GENERIC_ERROR, -ETIMEDOUT BUSY).
 */
int32_t scmi_errno_to_status(int err);
/** "SUCCESS", "DENIED", ...; "UNKNOWN" for values outside the table. */
const char *scmi_status_name(int32_t status);
/** "base", "clock", ... or "vendor"/"unknown". */
const char *scmi_protocol_name(uint8_t proto);

#endif /* VSCMI_SCMI_WIRE_H */
