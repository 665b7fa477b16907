/* SPDX-License-Identifier: MIT */
/*
 * SCMI Sensor management protocol (0x15) wire format, DEN0056 v3.2 section
 * 4.7 (protocol version 3.1). Conventions: include/vscmi/scmi_wire.h.
 */
#ifndef VSCMI_SCMI_WIRE_SENSOR_H
#define VSCMI_SCMI_WIRE_SENSOR_H

#include <vscmi/scmi_wire.h>

#define SCMI_SENSOR_VERSION_V3_2 SCMI_VERSION(3, 1)

#define SCMI_SENSOR_DESCRIPTION_GET 0x3
#define SCMI_SENSOR_TRIP_POINT_NOTIFY 0x4
#define SCMI_SENSOR_TRIP_POINT_CONFIG 0x5
#define SCMI_SENSOR_READING_GET 0x6
#define SCMI_SENSOR_AXIS_DESCRIPTION_GET 0x7
#define SCMI_SENSOR_LIST_UPDATE_INTERVALS 0x8
#define SCMI_SENSOR_CONFIG_GET 0x9
#define SCMI_SENSOR_CONFIG_SET 0xA
#define SCMI_SENSOR_CONTINUOUS_UPDATE_NOTIFY 0xB
#define SCMI_SENSOR_NAME_GET 0xC
#define SCMI_SENSOR_AXIS_NAME_GET 0xD
#define SCMI_SENSOR_MSG_COUNT 0xE

/* Notifications. */
#define SCMI_SENSOR_EVT_TRIP_POINT_EVENT 0x0
#define SCMI_SENSOR_EVT_UPDATE 0x1
/* Delayed response (same id as the command). */
#define SCMI_SENSOR_EVT_READING_COMPLETE SCMI_SENSOR_READING_GET

/** PROTOCOL_ATTRIBUTES response. */
struct scmi_sensor_protocol_attributes_p2a {
	uint32_t attributes;
#define SCMI_SENSOR_ATTR_MAX_PENDING SCMI_GENMASK(23, 16)
#define SCMI_SENSOR_ATTR_NUM_SENSORS SCMI_GENMASK(15, 0)
	uint32_t reg_addr_low;
	uint32_t reg_addr_high;
	uint32_t reg_len;
};
static_assert(sizeof(struct scmi_sensor_protocol_attributes_p2a) == 16, "size");

/** Sensor id only: CONFIG_GET, NAME_GET. */
struct scmi_sensor_id_a2p {
	uint32_t sensor_id;
};
static_assert(sizeof(struct scmi_sensor_id_a2p) == 4, "size");

/** SENSOR_DESCRIPTION_GET command. */
struct scmi_sensor_description_get_a2p {
	uint32_t desc_index;
};
static_assert(sizeof(struct scmi_sensor_description_get_a2p) == 4, "size");

/*
 * A sensor descriptor: 28 bytes, plus 24 bytes of extended attributes
 * (power .. max_range) only when attributes_low has EXT_ATTRS set (v3.0+).
 * Descriptors are therefore variable-size: walk them with
 * scmi_sensor_desc_size().
 */
struct scmi_sensor_desc {
	uint32_t sensor_id;
	uint32_t attributes_low;
#define SCMI_SENSOR_ASYNC_READ SCMI_BIT(31)
#define SCMI_SENSOR_CONT_UPDATE_NOTIFY SCMI_BIT(30)
#define SCMI_SENSOR_EXT_NAME SCMI_BIT(29)
#define SCMI_SENSOR_TSTAMP_EXP SCMI_GENMASK(14, 10)
#define SCMI_SENSOR_TSTAMP SCMI_BIT(9)
#define SCMI_SENSOR_EXT_ATTRS SCMI_BIT(8)
#define SCMI_SENSOR_NUM_TRIP_POINTS SCMI_GENMASK(7, 0)
	uint32_t attributes_high;
#define SCMI_SENSOR_UPDATE_EXP SCMI_GENMASK(31, 27)	/* signed 5-bit */
#define SCMI_SENSOR_UPDATE_SCALE SCMI_GENMASK(26, 22)
#define SCMI_SENSOR_NUM_AXES SCMI_GENMASK(21, 16)
#define SCMI_SENSOR_SCALE SCMI_GENMASK(15, 11)		/* signed 5-bit power of ten */
#define SCMI_SENSOR_AXES SCMI_BIT(8)			/* multi-axis sensor */
#define SCMI_SENSOR_TYPE SCMI_GENMASK(7, 0)
	char name[SCMI_SHORT_NAME_LEN];
};
static_assert(sizeof(struct scmi_sensor_desc) == 28, "size");
/** The optional tail of a descriptor (EXT_ATTRS). */
struct scmi_sensor_desc_ext {
	uint32_t power;			/* microwatts */
	uint32_t resolution;
#define SCMI_SENSOR_RES_EXP SCMI_GENMASK(31, 27)
#define SCMI_SENSOR_RES_VALUE SCMI_GENMASK(26, 0)
	uint32_t min_range_low;
	uint32_t min_range_high;
	uint32_t max_range_low;
	uint32_t max_range_high;
};
static_assert(sizeof(struct scmi_sensor_desc_ext) == 24, "size");
/** Bytes one descriptor occupies, given its attributes_low (cpu order). */
static inline uint32_t scmi_sensor_desc_size(uint32_t attributes_low)
{
	return (uint32_t)sizeof(struct scmi_sensor_desc) +
	       ((attributes_low & SCMI_SENSOR_EXT_ATTRS) ?
			(uint32_t)sizeof(struct scmi_sensor_desc_ext) : 0u);
}
/** SENSOR_DESCRIPTION_GET response. */
struct scmi_sensor_description_get_p2a {
	uint32_t num_desc_flags;
#define SCMI_SENSOR_DESC_REMAINING SCMI_GENMASK(31, 16)
#define SCMI_SENSOR_DESC_RETURNED SCMI_GENMASK(11, 0)
	uint32_t desc[];		/* RETURNED variable-size descriptors */
};
static_assert(sizeof(struct scmi_sensor_description_get_p2a) == 4, "size");

/** SENSOR_TRIP_POINT_NOTIFY command. */
struct scmi_sensor_trip_point_notify_a2p {
	uint32_t sensor_id;
	uint32_t event_control;
#define SCMI_SENSOR_TP_NOTIFY_ENABLE SCMI_BIT(0)
};
static_assert(sizeof(struct scmi_sensor_trip_point_notify_a2p) == 8, "size");

/** SENSOR_TRIP_POINT_CONFIG command. */
struct scmi_sensor_trip_point_config_a2p {
	uint32_t sensor_id;
	uint32_t trip_point_ev_ctrl;
#define SCMI_SENSOR_TP_ID SCMI_GENMASK(11, 4)
#define SCMI_SENSOR_TP_EV_CTRL SCMI_GENMASK(1, 0)
#define SCMI_SENSOR_TP_DISABLED 0u
#define SCMI_SENSOR_TP_POSITIVE 1u
#define SCMI_SENSOR_TP_NEGATIVE 2u
#define SCMI_SENSOR_TP_BOTH 3u
	uint32_t value_low;
	uint32_t value_high;
};
static_assert(sizeof(struct scmi_sensor_trip_point_config_a2p) == 16, "size");

/** SENSOR_READING_GET command. */
struct scmi_sensor_reading_get_a2p {
	uint32_t sensor_id;
	uint32_t flags;
#define SCMI_SENSOR_READ_ASYNC SCMI_BIT(0)
};
static_assert(sizeof(struct scmi_sensor_reading_get_a2p) == 8, "size");
/** One reading (v3.0+: one per axis, timestamp when supported, else 0). */
struct scmi_sensor_reading {
	uint32_t value_low;
	uint32_t value_high;
	uint32_t timestamp_low;
	uint32_t timestamp_high;
};
static_assert(sizeof(struct scmi_sensor_reading) == 16, "size");
/**
 * SENSOR_READING_GET response: v3.0+ an array of struct scmi_sensor_reading
 * (one per axis, or one); before v3.0 only {value_low, value_high}.
 */
struct scmi_sensor_reading_get_p2a {
	struct scmi_sensor_reading readings[1];
};
static_assert(sizeof(struct scmi_sensor_reading_get_p2a) == 16, "size");
#define SCMI_SENSOR_READING_V2_SIZE 8u
/** SENSOR_READING_COMPLETE delayed response (after its status word). */
struct scmi_sensor_reading_complete_p2a {
	uint32_t sensor_id;
	struct scmi_sensor_reading readings[];	/* v2: value_low/high only */
};
static_assert(sizeof(struct scmi_sensor_reading_complete_p2a) == 4, "size");

/** SENSOR_AXIS_DESCRIPTION_GET command. */
struct scmi_sensor_axis_description_get_a2p {
	uint32_t sensor_id;
	uint32_t axis_desc_index;
};
static_assert(sizeof(struct scmi_sensor_axis_description_get_a2p) == 8, "size");
/** Axis descriptor: 28 bytes, plus 20 (resolution .. max_range) with EXT_ATTRS. */
struct scmi_sensor_axis_desc {
	uint32_t axis_id;
	uint32_t attributes_low;
#define SCMI_SENSOR_AXIS_EXT_NAME SCMI_BIT(9)
#define SCMI_SENSOR_AXIS_EXT_ATTRS SCMI_BIT(8)
	uint32_t attributes_high;	/* SCMI_SENSOR_SCALE, SCMI_SENSOR_TYPE */
	char name[SCMI_SHORT_NAME_LEN];
};
static_assert(sizeof(struct scmi_sensor_axis_desc) == 28, "size");
struct scmi_sensor_axis_desc_ext {
	uint32_t resolution;		/* SCMI_SENSOR_RES_* */
	uint32_t min_range_low;
	uint32_t min_range_high;
	uint32_t max_range_low;
	uint32_t max_range_high;
};
static_assert(sizeof(struct scmi_sensor_axis_desc_ext) == 20, "size");
static inline uint32_t scmi_sensor_axis_desc_size(uint32_t attributes_low)
{
	return (uint32_t)sizeof(struct scmi_sensor_axis_desc) +
	       ((attributes_low & SCMI_SENSOR_AXIS_EXT_ATTRS) ?
			(uint32_t)sizeof(struct scmi_sensor_axis_desc_ext) : 0u);
}
struct scmi_sensor_axis_description_get_p2a {
	uint32_t num_axis_flags;
#define SCMI_SENSOR_AXIS_REMAINING SCMI_GENMASK(31, 26)
#define SCMI_SENSOR_AXIS_RETURNED SCMI_GENMASK(5, 0)
	uint32_t desc[];
};
static_assert(sizeof(struct scmi_sensor_axis_description_get_p2a) == 4, "size");

/** SENSOR_LIST_UPDATE_INTERVALS command and response. */
struct scmi_sensor_list_update_intervals_a2p {
	uint32_t sensor_id;
	uint32_t index;
};
static_assert(sizeof(struct scmi_sensor_list_update_intervals_a2p) == 8, "size");
struct scmi_sensor_list_update_intervals_p2a {
	uint32_t num_intervals_flags;
#define SCMI_SENSOR_INTVL_REMAINING SCMI_GENMASK(31, 16)
#define SCMI_SENSOR_INTVL_FORMAT_RANGE SCMI_BIT(12)	/* {min, max, step} */
#define SCMI_SENSOR_INTVL_RETURNED SCMI_GENMASK(11, 0)
	uint32_t intervals[];
/* Each interval: seconds and a signed power-of-ten exponent. */
#define SCMI_SENSOR_INTVL_SECS SCMI_GENMASK(20, 5)
#define SCMI_SENSOR_INTVL_EXP SCMI_GENMASK(4, 0)
};
static_assert(sizeof(struct scmi_sensor_list_update_intervals_p2a) == 4, "size");

/** SENSOR_CONFIG_GET response / SENSOR_CONFIG_SET command. */
struct scmi_sensor_config_get_p2a {
	uint32_t sensor_config;
#define SCMI_SENSOR_CFG_UPDATE_SECS SCMI_GENMASK(31, 16)
#define SCMI_SENSOR_CFG_UPDATE_EXP SCMI_GENMASK(15, 11)
#define SCMI_SENSOR_CFG_ROUND SCMI_GENMASK(10, 9)	/* 0 down, 1 up, 2 auto */
#define SCMI_SENSOR_CFG_TSTAMP_ENABLED SCMI_BIT(1)
#define SCMI_SENSOR_CFG_ENABLED SCMI_BIT(0)
};
static_assert(sizeof(struct scmi_sensor_config_get_p2a) == 4, "size");
struct scmi_sensor_config_set_a2p {
	uint32_t sensor_id;
	uint32_t sensor_config;		/* SCMI_SENSOR_CFG_* */
};
static_assert(sizeof(struct scmi_sensor_config_set_a2p) == 8, "size");

/** SENSOR_CONTINUOUS_UPDATE_NOTIFY command. */
struct scmi_sensor_continuous_update_notify_a2p {
	uint32_t sensor_id;
	uint32_t notify_enable;		/* SCMI_NOTIFY_ENABLE */
};
static_assert(sizeof(struct scmi_sensor_continuous_update_notify_a2p) == 8, "size");

/** SENSOR_NAME_GET: struct scmi_name_get_a2p / _p2a. */

/** SENSOR_AXIS_NAME_GET command and response. */
struct scmi_sensor_axis_name_get_a2p {
	uint32_t sensor_id;
	uint32_t axis_name_index;
};
static_assert(sizeof(struct scmi_sensor_axis_name_get_a2p) == 8, "size");
struct scmi_sensor_axis_name {
	uint32_t axis_id;
	char name[SCMI_EXT_NAME_LEN];
};
static_assert(sizeof(struct scmi_sensor_axis_name) == 68, "size");
struct scmi_sensor_axis_name_get_p2a {
	uint32_t num_axis_flags;	/* SCMI_SENSOR_AXIS_REMAINING / _RETURNED */
	struct scmi_sensor_axis_name names[];
};
static_assert(sizeof(struct scmi_sensor_axis_name_get_p2a) == 4, "size");

/** SENSOR_TRIP_POINT_EVENT notification. */
struct scmi_sensor_trip_point_event_p2a {
	uint32_t agent_id;
	uint32_t sensor_id;
	uint32_t trip_point_desc;
#define SCMI_SENSOR_TP_EVT_DIRECTION SCMI_BIT(16)	/* 1: crossed going up */
#define SCMI_SENSOR_TP_EVT_ID SCMI_GENMASK(7, 0)
};
static_assert(sizeof(struct scmi_sensor_trip_point_event_p2a) == 12, "size");

/** SENSOR_UPDATE notification. */
struct scmi_sensor_update_p2a {
	uint32_t agent_id;
	uint32_t sensor_id;
	struct scmi_sensor_reading readings[];
};
static_assert(sizeof(struct scmi_sensor_update_p2a) == 8, "size");

#endif /* VSCMI_SCMI_WIRE_SENSOR_H */
