/* SPDX-License-Identifier: MIT */
/*
 * The SCMI agent's protocol API: one typed function per command of every
 * standard protocol of SCMI v3.2 (DEN0056E), the typed parsers of every
 * notification payload, and enumeration helpers that gather what a tool
 * wants to print about one resource (name, rates, levels, state ...).
 *
 * Conventions, for every function below:
 *  - @h is a handle from scmi_open() (include/vscmi/scmi.h).
 *  - Return 0 or a negative errno. An SCMI status from the platform maps to
 *    errno through the core's single conversion, scmi_status_to_errno()
 *    (NOT_SUPPORTED -EOPNOTSUPP, INVALID_PARAMETERS -EINVAL, DENIED -EACCES,
 *    NOT_FOUND -ENOENT, OUT_OF_RANGE -ERANGE, BUSY -EBUSY, COMMS_ERROR
 *    -ECOMM, GENERIC_ERROR -EIO, HARDWARE_ERROR -EREMOTEIO, PROTOCOL_ERROR
 *    -EPROTO, IN_USE -EADDRINUSE; table in docs/scmi-agent.md).
 *    A reply that is too short, or whose counts do not add up, is -EPROTO
 *    and nothing of it is returned; -ETIMEDOUT and -ECONNRESET come from
 *    the transport.
 *  - Scalar outputs are written only on success; a list buffer or a
 *    describe struct may hold partial data when a later command fails.
 *  - Names are NUL-terminated, at most SCMI_NAME_MAX - 1 characters (the
 *    platform's 16- or 64-byte fields are never trusted to be terminated).
 *  - A protocol compiled out by Kconfig (CONFIG_SCMI_PROTO_<X>=n) keeps its
 *    prototypes as static inline stubs returning -EOPNOTSUPP.
 *  - List functions fill at most @cap entries and set *@count to how many
 *    were written; when the platform has more than @cap they fail with
 *    -ENOBUFS (nothing partial is reported as complete).
 *  - "async" commands wait for the delayed response before returning, so a
 *    successful return means the operation has completed on the platform
 *    (except POWER_STATE_SET, which has no delayed response, and
 *    scmi_clock_rate_set_ex() with @ignore_dresp).
 */
#ifndef VSCMI_SCMI_PROTOCOLS_H
#define VSCMI_SCMI_PROTOCOLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <vscmi/errno.h>
#include <vscmi/scmi_wire.h>

struct scmi_handle;

/** Buffer size of every name returned (64-byte SCMI extended name + NUL). */
#define SCMI_NAME_MAX 65

/*
 * One macro per optional protocol turns a prototype into either a
 * declaration or a static inline -EOPNOTSUPP stub.
 */
#define SCMI_FN_ON(...) __VA_ARGS__;
#define SCMI_FN_OFF(...) static inline __VA_ARGS__ { return -EOPNOTSUPP; }
#ifdef CONFIG_SCMI_PROTO_POWER
#define SCMI_POWER_FN SCMI_FN_ON
#else
#define SCMI_POWER_FN SCMI_FN_OFF
#endif
#ifdef CONFIG_SCMI_PROTO_SYSTEM
#define SCMI_SYSTEM_FN SCMI_FN_ON
#else
#define SCMI_SYSTEM_FN SCMI_FN_OFF
#endif
#ifdef CONFIG_SCMI_PROTO_PERF
#define SCMI_PERF_FN SCMI_FN_ON
#else
#define SCMI_PERF_FN SCMI_FN_OFF
#endif
#ifdef CONFIG_SCMI_PROTO_CLOCK
#define SCMI_CLOCK_FN SCMI_FN_ON
#else
#define SCMI_CLOCK_FN SCMI_FN_OFF
#endif
#ifdef CONFIG_SCMI_PROTO_SENSOR
#define SCMI_SENSOR_FN SCMI_FN_ON
#else
#define SCMI_SENSOR_FN SCMI_FN_OFF
#endif
#ifdef CONFIG_SCMI_PROTO_RESET
#define SCMI_RESET_FN SCMI_FN_ON
#else
#define SCMI_RESET_FN SCMI_FN_OFF
#endif
#ifdef CONFIG_SCMI_PROTO_VOLTAGE
#define SCMI_VOLTAGE_FN SCMI_FN_ON
#else
#define SCMI_VOLTAGE_FN SCMI_FN_OFF
#endif
#ifdef CONFIG_SCMI_PROTO_POWERCAP
#define SCMI_POWERCAP_FN SCMI_FN_ON
#else
#define SCMI_POWERCAP_FN SCMI_FN_OFF
#endif
#ifdef CONFIG_SCMI_PROTO_PINCTRL
#define SCMI_PINCTRL_FN SCMI_FN_ON
#else
#define SCMI_PINCTRL_FN SCMI_FN_OFF
#endif

/* ======================================================================
 * Commands common to every protocol (scmi/agent/common.c)
 * ==================================================================== */

/**
 * What a *_DESCRIBE_FASTCHANNEL command returned. virtio-scmi has no shared
 * memory, so this agent never uses one: the description is for inspection.
 */
struct scmi_fastchannel {
	uint32_t attributes;
	uint32_t rate_limit_us;
	uint64_t chan_addr;
	uint32_t chan_size;
	uint64_t db_addr;
	uint64_t db_set_mask;
	uint64_t db_preserve_mask;
};


/** PROTOCOL_VERSION of protocol @proto: *@version = major << 16 | minor. */
int scmi_protocol_version(struct scmi_handle *h, uint8_t proto, uint32_t *version);
/**
 * PROTOCOL_ATTRIBUTES of @proto, raw: up to @nwords little-endian words
 * after the status are copied to @words; *@got says how many came. Every
 * protocol also has a typed wrapper below.
 */
int scmi_protocol_attributes(struct scmi_handle *h, uint8_t proto, uint32_t *words,
			     size_t nwords, size_t *got);
/**
 * PROTOCOL_MESSAGE_ATTRIBUTES of (@proto, @msg_id): 0 and *@attrs if the
 * platform implements the command, -ENOENT if it does not (NOT_FOUND).
 */
int scmi_protocol_message_attributes(struct scmi_handle *h, uint8_t proto, uint8_t msg_id,
				     uint32_t *attrs);
/**
 * NEGOTIATE_PROTOCOL_VERSION: ask the platform to speak @version of @proto
 * to this agent. -EOPNOTSUPP if the platform cannot.
 */
int scmi_protocol_negotiate_version(struct scmi_handle *h, uint8_t proto, uint32_t version);
/**
 * Settle the version this handle speaks for @proto and remember it (the
 * layouts that changed between versions follow it): PROTOCOL_VERSION, and
 * when the platform is newer than this agent (SCMI v3.2 versions),
 * NEGOTIATE_PROTOCOL_VERSION down to ours. A refused negotiation is fine
 * for a newer minor, -EPROTONOSUPPORT for a newer major. *@version gets the
 * version in use. Without this call the first command that needs the
 * version asks PROTOCOL_VERSION and uses the platform's.
 */
int scmi_protocol_setup(struct scmi_handle *h, uint8_t proto, uint32_t *version);
/** True if PROTOCOL_MESSAGE_ATTRIBUTES says @msg_id of @proto exists. */
bool scmi_protocol_has_message(struct scmi_handle *h, uint8_t proto, uint8_t msg_id);

/* ======================================================================
 * Base protocol 0x10 (always built)
 * ==================================================================== */

/** What the base protocol says about the platform. */
struct scmi_base_info {
	uint32_t version;		/* base protocol version */
	uint32_t num_protocols;		/* protocols other than base */
	uint32_t num_agents;
	char vendor[SCMI_NAME_MAX];
	char sub_vendor[SCMI_NAME_MAX];
	uint32_t impl_version;		/* vendor-defined */
	uint32_t agent_id;		/* this agent's id (DISCOVER_AGENT 0xffffffff) */
	char agent_name[SCMI_NAME_MAX];
};

/** Agent id meaning "the calling agent" in BASE_DISCOVER_AGENT. */
#define SCMI_BASE_AGENT_SELF 0xffffffffu
/** Most command timestamps a base error event can report. */
#define SCMI_BASE_ERR_MAX_REPORTS 32

/** PROTOCOL_ATTRIBUTES: number of protocols (besides base) and agents. */
int scmi_base_protocol_attributes(struct scmi_handle *h, uint32_t *num_protocols,
				  uint32_t *num_agents);
/** BASE_DISCOVER_VENDOR. */
int scmi_base_discover_vendor(struct scmi_handle *h, char vendor[SCMI_NAME_MAX]);
/** BASE_DISCOVER_SUB_VENDOR. */
int scmi_base_discover_sub_vendor(struct scmi_handle *h, char sub_vendor[SCMI_NAME_MAX]);
/** BASE_DISCOVER_IMPLEMENTATION_VERSION. */
int scmi_base_discover_impl_version(struct scmi_handle *h, uint32_t *impl_version);
/**
 * BASE_DISCOVER_LIST_PROTOCOLS, every page: the protocol ids this agent may
 * use, in the platform's order. The count is checked against
 * PROTOCOL_ATTRIBUTES (a platform listing more than it announced is -EPROTO).
 */
int scmi_base_discover_list_protocols(struct scmi_handle *h, uint8_t *protos, size_t cap,
				      size_t *count);
/**
 * BASE_DISCOVER_AGENT: name of agent @agent_id (SCMI_BASE_AGENT_SELF for
 * the caller); *@id_out gets the id the platform answered with.
 */
int scmi_base_discover_agent(struct scmi_handle *h, uint32_t agent_id, uint32_t *id_out,
			     char name[SCMI_NAME_MAX]);
/** BASE_NOTIFY_ERRORS: ask for BASE_ERROR_EVENT notifications. */
int scmi_base_notify_errors(struct scmi_handle *h, bool enable);
/** BASE_SET_DEVICE_PERMISSIONS: let @agent_id use @device_id, or not. */
int scmi_base_set_device_permissions(struct scmi_handle *h, uint32_t agent_id,
				     uint32_t device_id, bool allow);
/** BASE_SET_PROTOCOL_PERMISSIONS: let @agent_id use @proto on @device_id, or not. */
int scmi_base_set_protocol_permissions(struct scmi_handle *h, uint32_t agent_id,
				       uint32_t device_id, uint8_t proto, bool allow);
/**
 * BASE_RESET_AGENT_CONFIGURATION: reset the configuration @agent_id made;
 * with @reset_permissions also its access permissions.
 */
int scmi_base_reset_agent_configuration(struct scmi_handle *h, uint32_t agent_id,
					bool reset_permissions);
/** Everything the base protocol can describe, in one call. */
int scmi_base_describe(struct scmi_handle *h, struct scmi_base_info *info);

/** BASE_ERROR_EVENT payload. */
struct scmi_base_error_event {
	uint32_t agent_id;
	bool fatal;			/* error_status bit 31 */
	uint32_t count;			/* commands in error (bits 9:0) */
	uint32_t nr_reports;		/* timestamps present (<= count, <= MAX_REPORTS) */
	uint64_t reports[SCMI_BASE_ERR_MAX_REPORTS];
};
/** Parse a BASE_ERROR_EVENT payload of @len bytes. */
int scmi_base_parse_error_event(const void *payload, size_t len,
				struct scmi_base_error_event *ev);

/* ======================================================================
 * Power domain protocol 0x11
 * ==================================================================== */

/* Power states: SCMI_POWER_STATE_ON / _OFF, see scmi/wire/power.h. */

struct scmi_power_proto_info {
	uint32_t version;
	uint32_t num_domains;
	uint64_t stats_addr;		/* shared-memory statistics (0: none) */
	uint32_t stats_len;
};

struct scmi_power_domain_info {
	uint32_t id;
	uint32_t attributes;		/* raw */
	bool notify_state;		/* POWER_STATE_NOTIFY supported */
	bool async;			/* asynchronous state set supported */
	bool sync;			/* synchronous state set supported */
	bool notify_change_req;		/* POWER_STATE_CHANGE_REQUESTED_NOTIFY supported */
	bool ext_name;
	char name[SCMI_NAME_MAX];	/* the extended name when there is one */
	uint32_t state;			/* current state (describe only) */
};

/** Typed notification payload (POWER_STATE_CHANGED and ..._REQUESTED). */
struct scmi_power_state_event {
	uint32_t agent_id;
	uint32_t domain_id;
	uint32_t power_state;
};

/** PROTOCOL_ATTRIBUTES. */
SCMI_POWER_FN(int scmi_power_protocol_attributes(struct scmi_handle *h,
						 struct scmi_power_proto_info *info))
/** POWER_DOMAIN_ATTRIBUTES (+ POWER_DOMAIN_NAME_GET when the name is extended). */
SCMI_POWER_FN(int scmi_power_domain_attributes(struct scmi_handle *h, uint32_t domain,
					       struct scmi_power_domain_info *info))
/**
 * POWER_STATE_SET. With @async the platform acknowledges at once and moves
 * the domain later (the spec defines no delayed response for it; subscribe
 * to POWER_STATE_CHANGED to learn when it is done).
 */
SCMI_POWER_FN(int scmi_power_state_set(struct scmi_handle *h, uint32_t domain,
				       uint32_t state, bool async))
/** POWER_STATE_GET. */
SCMI_POWER_FN(int scmi_power_state_get(struct scmi_handle *h, uint32_t domain,
				       uint32_t *state))
/** POWER_STATE_NOTIFY. */
SCMI_POWER_FN(int scmi_power_state_notify(struct scmi_handle *h, uint32_t domain, bool enable))
/** POWER_STATE_CHANGE_REQUESTED_NOTIFY. */
SCMI_POWER_FN(int scmi_power_state_change_requested_notify(struct scmi_handle *h,
							   uint32_t domain, bool enable))
/** POWER_DOMAIN_NAME_GET: the extended (up to 64-byte) name. */
SCMI_POWER_FN(int scmi_power_domain_name_get(struct scmi_handle *h, uint32_t domain,
					     char name[SCMI_NAME_MAX]))
/** Parse POWER_STATE_CHANGED or POWER_STATE_CHANGE_REQUESTED. */
SCMI_POWER_FN(int scmi_power_parse_state_event(const void *payload, size_t len,
					       struct scmi_power_state_event *ev))
/** Attributes, name and current state of @domain. */
SCMI_POWER_FN(int scmi_power_describe(struct scmi_handle *h, uint32_t domain,
				      struct scmi_power_domain_info *info))
/** Call @fn for every power domain; stops at the first non-zero return. */
SCMI_POWER_FN(int scmi_power_for_each(struct scmi_handle *h,
				      int (*fn)(void *priv, const struct scmi_power_domain_info *d),
				      void *priv))

/* ======================================================================
 * System power protocol 0x12
 * ==================================================================== */

/* System states: SCMI_SYSTEM_SHUTDOWN ... _SUSPEND, see scmi/wire/system.h. */

struct scmi_system_info {
	uint32_t version;
	uint32_t attributes;		/* PROTOCOL_ATTRIBUTES (reserved in v2.x) */
	bool warm_reset;		/* SYSTEM_POWER_STATE_SET message attributes bit 31 */
	bool suspend;			/* ... bit 30 */
};

/** SYSTEM_POWER_STATE_NOTIFIER payload. */
struct scmi_system_power_event {
	uint32_t agent_id;
	bool graceful;			/* flags bit 0 */
	uint32_t system_state;
	bool has_timeout;		/* v2.0+ payloads carry a timeout */
	uint32_t timeout_ms;
};

/** PROTOCOL_ATTRIBUTES (raw attributes word). */
SCMI_SYSTEM_FN(int scmi_system_protocol_attributes(struct scmi_handle *h, uint32_t *attrs))
/** SYSTEM_POWER_STATE_SET: @graceful asks the OSPM of other agents to shut down cleanly. */
SCMI_SYSTEM_FN(int scmi_system_power_state_set(struct scmi_handle *h, uint32_t state,
					       bool graceful))
/** SYSTEM_POWER_STATE_GET. */
SCMI_SYSTEM_FN(int scmi_system_power_state_get(struct scmi_handle *h, uint32_t *state))
/** SYSTEM_POWER_STATE_NOTIFY. */
SCMI_SYSTEM_FN(int scmi_system_power_state_notify(struct scmi_handle *h, bool enable))
/** Parse SYSTEM_POWER_STATE_NOTIFIER (12 bytes, or 16 with the timeout). */
SCMI_SYSTEM_FN(int scmi_system_parse_power_event(const void *payload, size_t len,
						 struct scmi_system_power_event *ev))
/** Version, attributes, and which optional states SYSTEM_POWER_STATE_SET accepts. */
SCMI_SYSTEM_FN(int scmi_system_describe(struct scmi_handle *h, struct scmi_system_info *info))

/* ======================================================================
 * Performance domain protocol 0x13
 * ==================================================================== */

struct scmi_perf_proto_info {
	uint32_t version;
	uint32_t num_domains;
	bool power_mw;			/* power costs in milliwatts (else abstract) */
	bool power_uw;			/* v4: power costs in microwatts */
	uint64_t stats_addr;
	uint32_t stats_len;
};

struct scmi_perf_domain_info {
	uint32_t id;
	uint32_t attributes;		/* raw */
	bool set_limits, set_level;	/* the agent may change limits / level */
	bool notify_limits, notify_level;
	bool fastchannel;		/* platform advertises fastchannels */
	bool ext_name;
	bool level_indexing;		/* v4: levels are addressed by index */
	uint32_t rate_limit_us;
	uint32_t sustained_freq_khz;
	uint32_t sustained_level;
	char name[SCMI_NAME_MAX];
	/* describe only: */
	uint32_t level, limit_max, limit_min;
};

struct scmi_perf_level {
	uint32_t level;			/* performance level value */
	uint32_t power_cost;
	uint32_t latency_us;		/* worst-case transition latency */
	uint32_t indicative_freq_khz;	/* v4; 0 before */
	uint32_t level_index;		/* v4; position before */
};


struct scmi_perf_limits_event {
	uint32_t agent_id;
	uint32_t domain_id;
	uint32_t range_max;
	uint32_t range_min;
};

struct scmi_perf_level_event {
	uint32_t agent_id;
	uint32_t domain_id;
	uint32_t level;
};

/** PROTOCOL_ATTRIBUTES. */
SCMI_PERF_FN(int scmi_perf_protocol_attributes(struct scmi_handle *h,
					       struct scmi_perf_proto_info *info))
/** PERFORMANCE_DOMAIN_ATTRIBUTES (+ DOMAIN_NAME_GET for an extended name). */
SCMI_PERF_FN(int scmi_perf_domain_attributes(struct scmi_handle *h, uint32_t domain,
					     struct scmi_perf_domain_info *info))
/** PERFORMANCE_DESCRIBE_LEVELS, every page (12-byte entries before v4, 20 from v4). */
SCMI_PERF_FN(int scmi_perf_describe_levels(struct scmi_handle *h, uint32_t domain,
					   struct scmi_perf_level *levels, size_t cap,
					   size_t *count))
/** PERFORMANCE_LIMITS_SET. */
SCMI_PERF_FN(int scmi_perf_limits_set(struct scmi_handle *h, uint32_t domain,
				      uint32_t range_max, uint32_t range_min))
/** PERFORMANCE_LIMITS_GET. */
SCMI_PERF_FN(int scmi_perf_limits_get(struct scmi_handle *h, uint32_t domain,
				      uint32_t *range_max, uint32_t *range_min))
/** PERFORMANCE_LEVEL_SET. */
SCMI_PERF_FN(int scmi_perf_level_set(struct scmi_handle *h, uint32_t domain, uint32_t level))
/** PERFORMANCE_LEVEL_GET. */
SCMI_PERF_FN(int scmi_perf_level_get(struct scmi_handle *h, uint32_t domain, uint32_t *level))
/** PERFORMANCE_NOTIFY_LIMITS. */
SCMI_PERF_FN(int scmi_perf_notify_limits(struct scmi_handle *h, uint32_t domain, bool enable))
/** PERFORMANCE_NOTIFY_LEVEL. */
SCMI_PERF_FN(int scmi_perf_notify_level(struct scmi_handle *h, uint32_t domain, bool enable))
/**
 * PERFORMANCE_DESCRIBE_FASTCHANNEL for @msg_id (LIMITS_SET/GET, LEVEL_SET/GET).
 * virtio-scmi has no shared memory, so a refusal (NOT_SUPPORTED) is the
 * expected answer: -EOPNOTSUPP. A description that does come back is parsed
 * and returned for inspection only; this agent always uses messages.
 */
SCMI_PERF_FN(int scmi_perf_describe_fastchannel(struct scmi_handle *h, uint32_t domain,
						uint8_t msg_id,
						struct scmi_fastchannel *fc))
/** PERFORMANCE_DOMAIN_NAME_GET. */
SCMI_PERF_FN(int scmi_perf_domain_name_get(struct scmi_handle *h, uint32_t domain,
					   char name[SCMI_NAME_MAX]))
/** Parse PERFORMANCE_LIMITS_CHANGED. */
SCMI_PERF_FN(int scmi_perf_parse_limits_event(const void *payload, size_t len,
					      struct scmi_perf_limits_event *ev))
/** Parse PERFORMANCE_LEVEL_CHANGED. */
SCMI_PERF_FN(int scmi_perf_parse_level_event(const void *payload, size_t len,
					     struct scmi_perf_level_event *ev))
/** Attributes, name, current level and limits. */
SCMI_PERF_FN(int scmi_perf_describe(struct scmi_handle *h, uint32_t domain,
				    struct scmi_perf_domain_info *info))
/** Call @fn for every performance domain. */
SCMI_PERF_FN(int scmi_perf_for_each(struct scmi_handle *h,
				    int (*fn)(void *priv, const struct scmi_perf_domain_info *d),
				    void *priv))

/* ======================================================================
 * Clock protocol 0x14
 * ==================================================================== */

/** CLOCK_RATE_SET rounding (flags bits 3:2). */
enum scmi_clock_round {
	SCMI_CLOCK_ROUND_DOWN = 0,
	SCMI_CLOCK_ROUND_UP = 1,
	SCMI_CLOCK_ROUND_AUTO = 2,
};

/** CLOCK_CONFIG_SET enable state (attributes bits 1:0). */
enum scmi_clock_state {
	SCMI_CLOCK_DISABLE = 0,
	SCMI_CLOCK_ENABLE = 1,
	SCMI_CLOCK_KEEP = 3,		/* leave the state, change only the OEM config */
};

/* CLOCK_GET_PERMISSIONS bits: SCMI_CLOCK_PERM_*, see scmi/wire/clock.h. */

/** Most rates / parents kept in a struct scmi_clock_info. */
#define SCMI_CLOCK_INFO_MAX_RATES 16
#define SCMI_CLOCK_INFO_MAX_PARENTS 16

struct scmi_clock_proto_info {
	uint32_t version;
	uint32_t num_clocks;
	uint32_t max_async_pending;	/* concurrent async rate changes */
};

struct scmi_clock_attrs {
	uint32_t id;
	uint32_t attributes;		/* raw */
	bool enabled;			/* bit 0 */
	bool get_permissions;		/* bit 1: CLOCK_GET_PERMISSIONS usable */
	bool notify_rate;		/* bit 31 */
	bool notify_rate_req;		/* bit 30 */
	bool ext_name;			/* bit 29 */
	bool parents;			/* bit 28: parent clock support */
	bool ext_config;		/* bit 27: OEM configurations */
	uint32_t enable_delay_us;	/* 0 when not reported */
	char name[SCMI_NAME_MAX];
};

/** Everything about one clock (scmi_clock_describe). */
struct scmi_clock_info {
	struct scmi_clock_attrs attrs;
	bool rates_range;		/* rates[0..2] = min, max, step */
	uint32_t nr_rates;		/* total; only the first MAX_RATES kept */
	uint64_t rates[SCMI_CLOCK_INFO_MAX_RATES];
	uint64_t rate;			/* current rate, Hz */
	bool has_parent;		/* false: no parents, or withheld from us */
	uint32_t parent;
	uint32_t nr_parents;		/* total; only the first MAX_PARENTS kept */
	uint32_t parent_ids[SCMI_CLOCK_INFO_MAX_PARENTS];
	bool has_permissions;
	uint32_t permissions;
};

/** CLOCK_RATE_CHANGED / CLOCK_RATE_CHANGE_REQUESTED payload. */
struct scmi_clock_rate_event {
	uint32_t agent_id;
	uint32_t clock_id;
	uint64_t rate;
};

/** PROTOCOL_ATTRIBUTES. */
SCMI_CLOCK_FN(int scmi_clock_protocol_attributes(struct scmi_handle *h,
						 struct scmi_clock_proto_info *info))
/** CLOCK_ATTRIBUTES (+ CLOCK_NAME_GET for an extended name). */
SCMI_CLOCK_FN(int scmi_clock_attributes(struct scmi_handle *h, uint32_t clk,
					struct scmi_clock_attrs *attrs))
/**
 * CLOCK_DESCRIBE_RATES, every page. A discrete list fills @rates in
 * ascending platform order; the range form sets *@is_range and fills
 * exactly three: min, max, step (so @cap must be >= 3).
 */
SCMI_CLOCK_FN(int scmi_clock_describe_rates(struct scmi_handle *h, uint32_t clk,
					    uint64_t *rates, size_t cap, size_t *count,
					    bool *is_range))
/**
 * CLOCK_RATE_SET, rounding automatically. With @async the call waits for
 * CLOCK_RATE_SET_COMPLETE (the delayed response).
 */
SCMI_CLOCK_FN(int scmi_clock_rate_set(struct scmi_handle *h, uint32_t clk, uint64_t rate,
				      bool async))
/**
 * CLOCK_RATE_SET with every option: @round; @async waits for the delayed
 * response and stores the rate it reports in *@actual (may be NULL);
 * @async with @ignore_dresp returns after the immediate reply.
 */
SCMI_CLOCK_FN(int scmi_clock_rate_set_ex(struct scmi_handle *h, uint32_t clk, uint64_t rate,
					 enum scmi_clock_round round, bool async,
					 bool ignore_dresp, uint64_t *actual))
/** CLOCK_RATE_GET. */
SCMI_CLOCK_FN(int scmi_clock_rate_get(struct scmi_handle *h, uint32_t clk, uint64_t *rate))
/**
 * CLOCK_CONFIG_SET: @state, and OEM configuration @oem_type (0: none) with
 * @oem_val. Before clock v3.0 only the enable bit is sent.
 */
SCMI_CLOCK_FN(int scmi_clock_config_set(struct scmi_handle *h, uint32_t clk,
					enum scmi_clock_state state, uint8_t oem_type,
					uint32_t oem_val))
/** CLOCK_CONFIG_SET shorthand: enable or disable. */
SCMI_CLOCK_FN(int scmi_clock_enable(struct scmi_handle *h, uint32_t clk, bool enable))
/**
 * CLOCK_CONFIG_GET (v3.0): enable state, and the value of OEM configuration
 * @oem_type (0: none; *@oem_val may be NULL).
 */
SCMI_CLOCK_FN(int scmi_clock_config_get(struct scmi_handle *h, uint32_t clk, uint8_t oem_type,
					bool *enabled, uint32_t *oem_val))
/** CLOCK_NAME_GET. */
SCMI_CLOCK_FN(int scmi_clock_name_get(struct scmi_handle *h, uint32_t clk,
				      char name[SCMI_NAME_MAX]))
/** CLOCK_RATE_NOTIFY. */
SCMI_CLOCK_FN(int scmi_clock_rate_notify(struct scmi_handle *h, uint32_t clk, bool enable))
/** CLOCK_RATE_CHANGE_REQUESTED_NOTIFY. */
SCMI_CLOCK_FN(int scmi_clock_rate_change_requested_notify(struct scmi_handle *h, uint32_t clk,
							  bool enable))
/** CLOCK_POSSIBLE_PARENTS_GET, every page. */
SCMI_CLOCK_FN(int scmi_clock_possible_parents_get(struct scmi_handle *h, uint32_t clk,
						  uint32_t *parents, size_t cap, size_t *count))
/** CLOCK_PARENT_SET. */
SCMI_CLOCK_FN(int scmi_clock_parent_set(struct scmi_handle *h, uint32_t clk, uint32_t parent))
/** CLOCK_PARENT_GET. */
SCMI_CLOCK_FN(int scmi_clock_parent_get(struct scmi_handle *h, uint32_t clk, uint32_t *parent))
/** CLOCK_GET_PERMISSIONS: SCMI_CLOCK_PERM_* bits. */
SCMI_CLOCK_FN(int scmi_clock_get_permissions(struct scmi_handle *h, uint32_t clk,
					     uint32_t *perms))
/** Parse CLOCK_RATE_CHANGED or CLOCK_RATE_CHANGE_REQUESTED. */
SCMI_CLOCK_FN(int scmi_clock_parse_rate_event(const void *payload, size_t len,
					      struct scmi_clock_rate_event *ev))
/** Attributes, name, rates, current rate, parents and permissions of @clk. */
SCMI_CLOCK_FN(int scmi_clock_describe(struct scmi_handle *h, uint32_t clk,
				      struct scmi_clock_info *info))
/** Call @fn for every clock. */
SCMI_CLOCK_FN(int scmi_clock_for_each(struct scmi_handle *h,
				      int (*fn)(void *priv, const struct scmi_clock_info *c),
				      void *priv))

/* ======================================================================
 * Sensor protocol 0x15
 * ==================================================================== */

/** Most axes / intervals kept in the describe structures. */
#define SCMI_SENSOR_MAX_AXES 8
#define SCMI_SENSOR_MAX_READINGS 16

struct scmi_sensor_proto_info {
	uint32_t version;
	uint32_t num_sensors;
	uint32_t max_async_pending;
	uint64_t reg_addr;		/* shared-memory sensor registers (0: none) */
	uint32_t reg_len;
};

/** A sensor, from SENSOR_DESCRIPTION_GET (and SENSOR_NAME_GET). */
struct scmi_sensor_attrs {
	uint32_t id;
	uint32_t attrs_low, attrs_high;	/* raw */
	bool async;			/* asynchronous reads */
	bool notify_update;		/* continuous update notifications */
	bool ext_name;
	bool timestamp;			/* readings carry timestamps */
	int8_t timestamp_exp;		/* power-of-ten of the timestamp unit (s) */
	bool ext_attrs;			/* resolution and range below are valid */
	uint8_t num_trip_points;
	uint8_t type;			/* SCMI unit type */
	int8_t scale;			/* power-of-ten multiplier of values */
	int8_t update_exp;		/* attributes_high 31:27 (signed) */
	uint8_t update_scale;		/* attributes_high 26:22 */
	uint32_t power_uw;		/* ext attrs: sensor power */
	bool has_axes;
	uint32_t num_axes;
	uint32_t resolution;
	int64_t min_range, max_range;
	char name[SCMI_NAME_MAX];
};

/** An axis, from SENSOR_AXIS_DESCRIPTION_GET (and SENSOR_AXIS_NAME_GET). */
struct scmi_sensor_axis_info {
	uint32_t id;
	uint32_t attrs_low, attrs_high;
	bool ext_attrs;
	bool ext_name;
	uint8_t type;
	int8_t scale;
	uint32_t resolution;
	int64_t min_range, max_range;
	char name[SCMI_NAME_MAX];
};

/** One reading (one per axis for a multi-axis sensor). */
struct scmi_sensor_value {
	int64_t value;
	uint64_t timestamp;		/* 0 when the platform gave none (v1) */
};

/** Update intervals: a list, or a segment (low, high, step). */
struct scmi_sensor_intervals {
	bool segmented;
	uint32_t count;			/* entries in raw[] */
	uint32_t total;			/* entries the platform has (list form) */
	uint32_t raw[SCMI_SENSOR_MAX_READINGS];	/* SCMI_SENSOR_INTVL_SECS / _EXP fields */
};

/* SENSOR_CONFIG_GET / SET word: SCMI_SENSOR_CFG_*, see scmi/wire/sensor.h. */

/** SENSOR_TRIP_POINT_CONFIG event control (trip_point_ev_ctrl bits 1:0). */
enum scmi_sensor_trip_ctrl {
	SCMI_SENSOR_TRIP_DISABLE = 0,
	SCMI_SENSOR_TRIP_POSITIVE = 1,
	SCMI_SENSOR_TRIP_NEGATIVE = 2,
	SCMI_SENSOR_TRIP_BOTH = 3,
};

/** SENSOR_TRIP_POINT_EVENT payload. */
struct scmi_sensor_trip_event {
	uint32_t agent_id;
	uint32_t sensor_id;
	uint32_t trip_point_desc;	/* raw */
	uint32_t trip_point_id;		/* bits 7:0 */
	bool ascending;			/* bit 16: crossed going up */
};

/** SENSOR_UPDATE payload. */
struct scmi_sensor_update_event {
	uint32_t agent_id;
	uint32_t sensor_id;
	uint32_t nr_readings;
	struct scmi_sensor_value readings[SCMI_SENSOR_MAX_READINGS];
};

/** All about a sensor (scmi_sensor_describe). */
struct scmi_sensor_info {
	struct scmi_sensor_attrs desc;
	uint32_t config;		/* SENSOR_CONFIG_GET (0 if refused) */
	bool has_intervals;		/* false: the platform did not say */
	struct scmi_sensor_intervals intervals;
	uint32_t nr_axes;		/* axes kept (<= MAX_AXES) */
	struct scmi_sensor_axis_info axes[SCMI_SENSOR_MAX_AXES];
};

/** PROTOCOL_ATTRIBUTES. */
SCMI_SENSOR_FN(int scmi_sensor_protocol_attributes(struct scmi_handle *h,
						   struct scmi_sensor_proto_info *info))
/**
 * SENSOR_DESCRIPTION_GET, every page: descriptors are variable-sized (the
 * extended attributes are present only when flagged) and each is bounds
 * checked. Extended names are not fetched here (see scmi_sensor_name_get).
 */
SCMI_SENSOR_FN(int scmi_sensor_description_get(struct scmi_handle *h,
					       struct scmi_sensor_attrs *descs, size_t cap,
					       size_t *count))
/** SENSOR_TRIP_POINT_NOTIFY: enable trip point events of @sensor globally. */
SCMI_SENSOR_FN(int scmi_sensor_trip_point_notify(struct scmi_handle *h, uint32_t sensor,
						 bool enable))
/** SENSOR_TRIP_POINT_CONFIG: arm trip point @trip_id at @value, firing on @ctrl. */
SCMI_SENSOR_FN(int scmi_sensor_trip_point_config(struct scmi_handle *h, uint32_t sensor,
						 uint8_t trip_id, enum scmi_sensor_trip_ctrl ctrl,
						 int64_t value))
/**
 * SENSOR_READING_GET: one reading per axis (1 for a plain sensor) into
 * @r[0..cap), *@count of them. @async waits for SENSOR_READING_COMPLETE.
 */
SCMI_SENSOR_FN(int scmi_sensor_reading_get(struct scmi_handle *h, uint32_t sensor, bool async,
					   struct scmi_sensor_value *r, size_t cap,
					   size_t *count))
/** SENSOR_AXIS_DESCRIPTION_GET, every page. */
SCMI_SENSOR_FN(int scmi_sensor_axis_description_get(struct scmi_handle *h, uint32_t sensor,
						    struct scmi_sensor_axis_info *axes, size_t cap,
						    size_t *count))
/** SENSOR_LIST_UPDATE_INTERVALS, every page. */
SCMI_SENSOR_FN(int scmi_sensor_list_update_intervals(struct scmi_handle *h, uint32_t sensor,
						     struct scmi_sensor_intervals *iv))
/** SENSOR_CONFIG_GET: the SCMI_SENSOR_CFG_* word. */
SCMI_SENSOR_FN(int scmi_sensor_config_get(struct scmi_handle *h, uint32_t sensor,
					  uint32_t *config))
/** SENSOR_CONFIG_SET. */
SCMI_SENSOR_FN(int scmi_sensor_config_set(struct scmi_handle *h, uint32_t sensor,
					  uint32_t config))
/** SENSOR_CONTINUOUS_UPDATE_NOTIFY. */
SCMI_SENSOR_FN(int scmi_sensor_continuous_update_notify(struct scmi_handle *h,
							uint32_t sensor, bool enable))
/** SENSOR_NAME_GET. */
SCMI_SENSOR_FN(int scmi_sensor_name_get(struct scmi_handle *h, uint32_t sensor,
					char name[SCMI_NAME_MAX]))
/**
 * SENSOR_AXIS_NAME_GET, every page: names of @axes[i].id for i < @n are
 * filled in (entries are matched by axis id, not position).
 */
SCMI_SENSOR_FN(int scmi_sensor_axis_name_get(struct scmi_handle *h, uint32_t sensor,
					     struct scmi_sensor_axis_info *axes, size_t n))
/** Parse SENSOR_TRIP_POINT_EVENT. */
SCMI_SENSOR_FN(int scmi_sensor_parse_trip_event(const void *payload, size_t len,
						struct scmi_sensor_trip_event *ev))
/** Parse SENSOR_UPDATE. */
SCMI_SENSOR_FN(int scmi_sensor_parse_update_event(const void *payload, size_t len,
						  struct scmi_sensor_update_event *ev))
/** Descriptor (with extended names), config, update intervals and axes of @sensor. */
SCMI_SENSOR_FN(int scmi_sensor_describe(struct scmi_handle *h, uint32_t sensor,
					struct scmi_sensor_info *info))
/** Call @fn for every sensor. */
SCMI_SENSOR_FN(int scmi_sensor_for_each(struct scmi_handle *h,
					int (*fn)(void *priv, const struct scmi_sensor_info *s),
					void *priv))

/* ======================================================================
 * Reset domain protocol 0x16
 * ==================================================================== */

/** Reset state (reset_state word): bit 31 vendor-defined, 30:0 type. */
#define SCMI_RESET_COLD 0x00000000u
#define SCMI_RESET_VENDOR (1u << 31)

enum scmi_reset_mode {
	SCMI_RESET_MODE_AUTONOMOUS,	/* full reset cycle by the platform */
	SCMI_RESET_MODE_ASSERT,		/* explicit assert; stays in reset */
	SCMI_RESET_MODE_DEASSERT,	/* explicit deassert */
};

struct scmi_reset_domain_info {
	uint32_t id;
	uint32_t attributes;
	bool async, notify, ext_name;
	uint32_t latency_us;		/* 0xffffffff: unknown */
	char name[SCMI_NAME_MAX];
};

/** RESET_ISSUED payload. */
struct scmi_reset_event {
	uint32_t agent_id;
	uint32_t domain_id;
	uint32_t reset_state;
};

/** PROTOCOL_ATTRIBUTES: number of reset domains. */
SCMI_RESET_FN(int scmi_reset_protocol_attributes(struct scmi_handle *h, uint32_t *version,
						 uint32_t *num_domains))
/** RESET_DOMAIN_ATTRIBUTES (+ RESET_DOMAIN_NAME_GET for an extended name). */
SCMI_RESET_FN(int scmi_reset_domain_attributes(struct scmi_handle *h, uint32_t domain,
					       struct scmi_reset_domain_info *info))
/**
 * RESET of @domain in @mode with @reset_state. @async waits for
 * RESET_COMPLETE (the delayed response).
 */
SCMI_RESET_FN(int scmi_reset(struct scmi_handle *h, uint32_t domain, enum scmi_reset_mode mode,
			     uint32_t reset_state, bool async))
/** RESET_NOTIFY. */
SCMI_RESET_FN(int scmi_reset_notify(struct scmi_handle *h, uint32_t domain, bool enable))
/** RESET_DOMAIN_NAME_GET. */
SCMI_RESET_FN(int scmi_reset_domain_name_get(struct scmi_handle *h, uint32_t domain,
					     char name[SCMI_NAME_MAX]))
/** Parse RESET_ISSUED. */
SCMI_RESET_FN(int scmi_reset_parse_event(const void *payload, size_t len,
					 struct scmi_reset_event *ev))
/** Call @fn for every reset domain. */
SCMI_RESET_FN(int scmi_reset_for_each(struct scmi_handle *h,
				      int (*fn)(void *priv, const struct scmi_reset_domain_info *d),
				      void *priv))

/* ======================================================================
 * Voltage domain protocol 0x17
 * ==================================================================== */

/* VOLTAGE_CONFIG_SET / GET modes: SCMI_VOLTAGE_CFG_OFF / _ON, scmi/wire/voltage.h. */

#define SCMI_VOLTAGE_INFO_MAX_LEVELS 16

struct scmi_voltage_domain_info {
	uint32_t id;
	uint32_t attributes;
	bool async, ext_name;
	char name[SCMI_NAME_MAX];
	/* describe only: */
	bool levels_range;		/* levels[0..2] = min, max, step (uV) */
	uint32_t nr_levels;		/* total; first MAX_LEVELS kept */
	int32_t levels[SCMI_VOLTAGE_INFO_MAX_LEVELS];
	uint32_t config;
	int32_t level_uv;
};

/** PROTOCOL_ATTRIBUTES: number of voltage domains. */
SCMI_VOLTAGE_FN(int scmi_voltage_protocol_attributes(struct scmi_handle *h, uint32_t *version,
						     uint32_t *num_domains))
/** VOLTAGE_DOMAIN_ATTRIBUTES (+ VOLTAGE_DOMAIN_NAME_GET for an extended name). */
SCMI_VOLTAGE_FN(int scmi_voltage_domain_attributes(struct scmi_handle *h, uint32_t domain,
						   struct scmi_voltage_domain_info *info))
/** VOLTAGE_DESCRIBE_LEVELS, every page (microvolts; range form: min, max, step). */
SCMI_VOLTAGE_FN(int scmi_voltage_describe_levels(struct scmi_handle *h, uint32_t domain,
						 int32_t *levels_uv, size_t cap, size_t *count,
						 bool *is_range))
/** VOLTAGE_CONFIG_SET. */
SCMI_VOLTAGE_FN(int scmi_voltage_config_set(struct scmi_handle *h, uint32_t domain,
					    uint32_t config))
/** VOLTAGE_CONFIG_GET. */
SCMI_VOLTAGE_FN(int scmi_voltage_config_get(struct scmi_handle *h, uint32_t domain,
					    uint32_t *config))
/** VOLTAGE_LEVEL_SET; @async waits for VOLTAGE_LEVEL_SET_COMPLETE. */
SCMI_VOLTAGE_FN(int scmi_voltage_level_set(struct scmi_handle *h, uint32_t domain,
					   int32_t level_uv, bool async))
/** VOLTAGE_LEVEL_GET. */
SCMI_VOLTAGE_FN(int scmi_voltage_level_get(struct scmi_handle *h, uint32_t domain,
					   int32_t *level_uv))
/** VOLTAGE_DOMAIN_NAME_GET. */
SCMI_VOLTAGE_FN(int scmi_voltage_domain_name_get(struct scmi_handle *h, uint32_t domain,
						 char name[SCMI_NAME_MAX]))
/** Attributes, name, levels, config and level of @domain. */
SCMI_VOLTAGE_FN(int scmi_voltage_describe(struct scmi_handle *h, uint32_t domain,
					  struct scmi_voltage_domain_info *info))
/** Call @fn for every voltage domain. */
SCMI_VOLTAGE_FN(int scmi_voltage_for_each(struct scmi_handle *h,
					  int (*fn)(void *priv,
						    const struct scmi_voltage_domain_info *d),
					  void *priv))

/* ======================================================================
 * Power capping protocol 0x18
 * ==================================================================== */

enum scmi_powercap_unit {
	SCMI_POWERCAP_UNIT_ABSTRACT = 0,
	SCMI_POWERCAP_UNIT_UW = 1,
	SCMI_POWERCAP_UNIT_MW = 2,
};

struct scmi_powercap_domain_info {
	uint32_t id;
	uint32_t attributes;
	bool notify_cap, notify_measurements, async_cap, ext_name;
	bool cap_config, monitoring, pai_config, fastchannel;
	enum scmi_powercap_unit unit;
	char name[SCMI_NAME_MAX];
	uint32_t min_pai_us, max_pai_us, pai_step_us;
	uint32_t min_cap, max_cap, cap_step;
	uint32_t sustainable_power;
	uint32_t accuracy;		/* 0.001 % */
	uint32_t parent_id;		/* 0xffffffff: none */
	/* describe only: */
	uint32_t cap, pai_us;
	uint32_t power;
};

/** POWERCAP_CAP_CHANGED payload. */
struct scmi_powercap_cap_event {
	uint32_t agent_id;
	uint32_t domain_id;
	uint32_t power_cap;
	uint32_t pai;
};

/** POWERCAP_MEASUREMENTS_CHANGED payload. */
struct scmi_powercap_meas_event {
	uint32_t agent_id;
	uint32_t domain_id;
	uint32_t power;
};

/** PROTOCOL_ATTRIBUTES: number of powercap domains. */
SCMI_POWERCAP_FN(int scmi_powercap_protocol_attributes(struct scmi_handle *h,
						       uint32_t *version, uint32_t *num_domains))
/** POWERCAP_DOMAIN_ATTRIBUTES (+ POWERCAP_DOMAIN_NAME_GET for an extended name). */
SCMI_POWERCAP_FN(int scmi_powercap_domain_attributes(struct scmi_handle *h, uint32_t domain,
						     struct scmi_powercap_domain_info *info))
/** POWERCAP_CAP_GET. */
SCMI_POWERCAP_FN(int scmi_powercap_cap_get(struct scmi_handle *h, uint32_t domain,
					   uint32_t *cap))
/**
 * POWERCAP_CAP_SET; @async waits for POWERCAP_CAP_SET_COMPLETE and stores
 * the cap it reports in *@applied (may be NULL).
 */
SCMI_POWERCAP_FN(int scmi_powercap_cap_set(struct scmi_handle *h, uint32_t domain,
					   uint32_t cap, bool async, uint32_t *applied))
/** POWERCAP_PAI_GET (microseconds). */
SCMI_POWERCAP_FN(int scmi_powercap_pai_get(struct scmi_handle *h, uint32_t domain,
					   uint32_t *pai_us))
/** POWERCAP_PAI_SET. */
SCMI_POWERCAP_FN(int scmi_powercap_pai_set(struct scmi_handle *h, uint32_t domain,
					   uint32_t pai_us))
/**
 * POWERCAP_DESCRIBE_FASTCHANNEL for @msg_id (CAP_GET/SET, PAI_GET/SET): as
 * for performance, -EOPNOTSUPP is the expected answer over virtio.
 */
SCMI_POWERCAP_FN(int scmi_powercap_describe_fastchannel(struct scmi_handle *h, uint32_t domain,
							uint8_t msg_id,
							struct scmi_fastchannel *fc))
/** POWERCAP_DOMAIN_NAME_GET. */
SCMI_POWERCAP_FN(int scmi_powercap_domain_name_get(struct scmi_handle *h, uint32_t domain,
						   char name[SCMI_NAME_MAX]))
/** POWERCAP_MEASUREMENTS_GET: average power and the PAI it was taken over. */
SCMI_POWERCAP_FN(int scmi_powercap_measurements_get(struct scmi_handle *h, uint32_t domain,
						    uint32_t *power, uint32_t *pai_us))
/** POWERCAP_CAP_NOTIFY. */
SCMI_POWERCAP_FN(int scmi_powercap_cap_notify(struct scmi_handle *h, uint32_t domain,
					      bool enable))
/** POWERCAP_MEASUREMENTS_NOTIFY: notify when power leaves [@low, @high]. */
SCMI_POWERCAP_FN(int scmi_powercap_measurements_notify(struct scmi_handle *h,
						       uint32_t domain, bool enable,
						       uint32_t low, uint32_t high))
/** Parse POWERCAP_CAP_CHANGED. */
SCMI_POWERCAP_FN(int scmi_powercap_parse_cap_event(const void *payload, size_t len,
						   struct scmi_powercap_cap_event *ev))
/** Parse POWERCAP_MEASUREMENTS_CHANGED. */
SCMI_POWERCAP_FN(int scmi_powercap_parse_meas_event(const void *payload, size_t len,
						    struct scmi_powercap_meas_event *ev))
/** Attributes, name, cap, PAI and measured power. */
SCMI_POWERCAP_FN(int scmi_powercap_describe(struct scmi_handle *h, uint32_t domain,
					    struct scmi_powercap_domain_info *info))
/** Call @fn for every powercap domain. */
SCMI_POWERCAP_FN(int scmi_powercap_for_each(struct scmi_handle *h,
					    int (*fn)(void *priv,
						      const struct scmi_powercap_domain_info *d),
					    void *priv))

/* ======================================================================
 * Pin control protocol 0x19
 * ==================================================================== */

enum scmi_pinctrl_type {
	SCMI_PINCTRL_PIN = 0,
	SCMI_PINCTRL_GROUP = 1,
	SCMI_PINCTRL_FUNCTION = 2,
};

/** PINCTRL_SETTINGS_GET modes (attributes bits 19:18). */
enum scmi_pinctrl_get_mode {
	SCMI_PINCTRL_MODE_ONE = 0,	/* the value of one config type */
	SCMI_PINCTRL_MODE_ALL = 1,	/* every config (paginated) */
	SCMI_PINCTRL_MODE_FUNCTION = 2,	/* only the selected function */
};

/* Function id meaning "no function": SCMI_PINCTRL_NO_FUNCTION, scmi/wire/pinctrl.h. */
/** Most configs kept per pin in a struct scmi_pinctrl_info. */
#define SCMI_PINCTRL_INFO_MAX_CONFIGS 16
#define SCMI_PINCTRL_INFO_MAX_ASSOC 32

struct scmi_pinctrl_proto_info {
	uint32_t version;
	uint32_t num_pins, num_groups, num_functions;
};

struct scmi_pinctrl_setting {
	uint32_t type;			/* SCMI pin config type (bits 7:0) */
	uint32_t value;
};

struct scmi_pinctrl_attrs {
	uint32_t id;
	enum scmi_pinctrl_type type;
	uint32_t attributes;
	bool ext_name;
	uint32_t num_elems;		/* pins of a group, groups of a function */
	char name[SCMI_NAME_MAX];
};

/** One pin, group or function (scmi_pinctrl_describe). */
struct scmi_pinctrl_info {
	struct scmi_pinctrl_attrs attrs;
	uint32_t nr_assoc;		/* associated ids kept */
	uint32_t assoc[SCMI_PINCTRL_INFO_MAX_ASSOC];
	bool has_settings;
	uint32_t function;		/* selected function */
	uint32_t nr_configs;
	struct scmi_pinctrl_setting configs[SCMI_PINCTRL_INFO_MAX_CONFIGS];
};

/** PROTOCOL_ATTRIBUTES: counts of pins, groups and functions. */
SCMI_PINCTRL_FN(int scmi_pinctrl_protocol_attributes(struct scmi_handle *h,
						     struct scmi_pinctrl_proto_info *info))
/** PINCTRL_ATTRIBUTES (+ PINCTRL_NAME_GET for an extended name). */
SCMI_PINCTRL_FN(int scmi_pinctrl_attributes(struct scmi_handle *h, enum scmi_pinctrl_type type,
					    uint32_t id, struct scmi_pinctrl_attrs *attrs))
/**
 * PINCTRL_LIST_ASSOCIATIONS, every page: the pins of group @id, or the
 * groups of function @id.
 */
SCMI_PINCTRL_FN(int scmi_pinctrl_list_associations(struct scmi_handle *h,
						   enum scmi_pinctrl_type type, uint32_t id,
						   uint32_t *ids, size_t cap, size_t *count))
/**
 * PINCTRL_SETTINGS_GET. @mode MODE_ONE asks for config type @config_type,
 * MODE_ALL pages through every config, MODE_FUNCTION returns only *@function.
 */
SCMI_PINCTRL_FN(int scmi_pinctrl_settings_get(struct scmi_handle *h,
					      enum scmi_pinctrl_type type, uint32_t id,
					      enum scmi_pinctrl_get_mode mode, uint8_t config_type,
					      uint32_t *function, struct scmi_pinctrl_setting *configs,
					      size_t cap, size_t *count))
/**
 * PINCTRL_SETTINGS_CONFIGURE: select @function (SCMI_PINCTRL_NO_FUNCTION:
 * leave it) and apply @n configs, split over as many messages as the
 * message size needs.
 */
SCMI_PINCTRL_FN(int scmi_pinctrl_settings_configure(struct scmi_handle *h,
						    enum scmi_pinctrl_type type, uint32_t id,
						    uint32_t function,
						    const struct scmi_pinctrl_setting *configs,
						    size_t n))
/** PINCTRL_REQUEST: take exclusive use of a pin or group. */
SCMI_PINCTRL_FN(int scmi_pinctrl_request(struct scmi_handle *h, enum scmi_pinctrl_type type,
					 uint32_t id))
/** PINCTRL_RELEASE. */
SCMI_PINCTRL_FN(int scmi_pinctrl_release(struct scmi_handle *h, enum scmi_pinctrl_type type,
					 uint32_t id))
/** PINCTRL_NAME_GET. */
SCMI_PINCTRL_FN(int scmi_pinctrl_name_get(struct scmi_handle *h, enum scmi_pinctrl_type type,
					  uint32_t id, char name[SCMI_NAME_MAX]))
/** PINCTRL_SET_PERMISSIONS: let @agent_id use pin/group @id, or not. */
SCMI_PINCTRL_FN(int scmi_pinctrl_set_permissions(struct scmi_handle *h, uint32_t agent_id,
						 enum scmi_pinctrl_type type, uint32_t id,
						 bool allow))
/** Attributes, associations and (pins, groups) settings of one element. */
SCMI_PINCTRL_FN(int scmi_pinctrl_describe(struct scmi_handle *h, enum scmi_pinctrl_type type,
					  uint32_t id, struct scmi_pinctrl_info *info))
/** Call @fn for every element of @type. */
SCMI_PINCTRL_FN(int scmi_pinctrl_for_each(struct scmi_handle *h, enum scmi_pinctrl_type type,
					  int (*fn)(void *priv, const struct scmi_pinctrl_info *p),
					  void *priv))

#endif /* VSCMI_SCMI_PROTOCOLS_H */
