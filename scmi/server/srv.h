/* SPDX-License-Identifier: MIT */
/*
 * Internals of the SCMI server shared by its files: the parsed config (the
 * platform's resource definitions and the agents' grants), the runtime model
 * and the dispatch contract between server.c and the protocol files.
 *
 * Identifiers: every resource has a global index (its position in the
 * config's list of that type) and, for each agent that may see it, a local
 * id (its position in that agent's grants of that type). The wire only ever
 * carries local ids; slot->l2g / slot->g2l translate.
 */
#ifndef VSCMI_SCMI_SRV_H
#define VSCMI_SCMI_SRV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <vscmi/os.h>
#include <vscmi/scmi_wire.h>
#include <scmi/wire/all.h>

#include "scmi/server/server.h"

/* ---- resource types ------------------------------------------------------ */

enum srv_rtype {
	SRV_POWER,
	SRV_PERF,
	SRV_CLOCK,
	SRV_SENSOR,
	SRV_RESET,
	SRV_VOLTAGE,
	SRV_POWERCAP,
	SRV_PIN,
	SRV_GROUP,
	SRV_FUNCTION,
	SRV_SYSTEM,	/* exactly one: the (virtual) system, for SYSTEM_POWER */
	SRV_RTYPE_COUNT
};

/* Configuration limits (documented in docs/config.md). */
#define SRV_NAME_LEN SCMI_EXT_NAME_LEN	/* names: up to 63 characters */
#define SRV_AGENT_NAME_LEN SCMI_SHORT_NAME_LEN	/* agent names: up to 15 */
#define SRV_MAX_RES 1024	/* per resource type */
#define SRV_MAX_AGENTS 64
#define SRV_MAX_DEVICES 256
#define SRV_MAX_RATES 32
#define SRV_MAX_PARENTS 8
#define SRV_MAX_OPPS 32
#define SRV_MAX_INTERVALS 16
#define SRV_MAX_AXES 8
#define SRV_MAX_TRIPS 8
#define SRV_MAX_LEVELS 32
#define SRV_MAX_GROUP_PINS 32
#define SRV_MAX_FUNC_GROUPS 16
#define SRV_MAX_DEV_RES 32
#define SRV_PIN_CFG_TYPES 21	/* architectural config types 0..20 */
#define SRV_MAX_PENDING 16	/* asynchronous commands in flight per agent */

enum srv_access { SRV_ACC_NONE = 0, SRV_ACC_RO = 1, SRV_ACC_RW = 2 };

/* A sensor (or power measurement) value source. */
enum srv_src_kind { SRV_SRC_CONST, SRV_SRC_RAMP, SRV_SRC_SINE, SRV_SRC_WALK, SRV_SRC_FILE };
struct srv_source {
	uint8_t kind;
	int64_t lo, hi;		/* const: lo; ramp/sine/walk: range */
	int64_t step;		/* ramp/walk: step per period */
	uint64_t period_ns;	/* ramp/walk: step period; sine: full period */
	char path[128];		/* file: an integer, e.g. a hwmon node */
};

/* Fields every definition starts with. */
struct srv_res_common {
	char name[SRV_NAME_LEN];
	bool async;		/* asynchronous commands offered */
	uint64_t latency_ns;	/* delay of delayed responses; 0: the global one */
};

struct srv_power_def {
	struct srv_res_common c;
	bool on;		/* initial state (the platform's own vote) */
};

struct srv_opp {
	uint32_t level;		/* performance level value (kHz) */
	uint32_t power;		/* in the domain's power unit */
	uint32_t latency_us;
};
struct srv_perf_def {
	struct srv_res_common c;
	struct srv_opp opp[SRV_MAX_OPPS];	/* ascending by level */
	uint8_t n_opp;
	uint32_t level;		/* initial level */
	uint32_t sustained;	/* sustained level */
	uint32_t rate_limit_us;
};

struct srv_clock_def {
	struct srv_res_common c;
	bool range;		/* rate[0..2] = min, max, step */
	uint64_t rate[SRV_MAX_RATES];	/* list form: ascending */
	uint8_t n_rate;
	uint64_t init_rate;
	bool enabled;		/* initially on: the platform holds a reference */
	uint16_t parent[SRV_MAX_PARENTS];	/* global clock indexes */
	uint8_t n_parent;
	int16_t init_parent;	/* index into parent[], -1: none */
	uint32_t enable_delay_us;
};

enum srv_sensor_type_name { SRV_SENSOR_TYPE_MAX = 0xff };
struct srv_sensor_def {
	struct srv_res_common c;
	uint8_t type;		/* SCMI sensor type (unit) */
	int8_t scale;		/* power of ten of the values */
	uint8_t n_trips;
	uint8_t n_axes;		/* 0: a single value */
	char axis[SRV_MAX_AXES][SCMI_SHORT_NAME_LEN];
	bool ivl_range;		/* ivl_us[0..2] = min, max, step */
	uint32_t ivl_us[SRV_MAX_INTERVALS];
	uint8_t n_ivl;
	struct srv_source src;
	bool has_range;
	int64_t min, max;	/* extended attributes */
};

struct srv_reset_def {
	struct srv_res_common c;
	uint32_t reset_latency_us;	/* reported; UINT32_MAX unknown */
};

struct srv_voltage_def {
	struct srv_res_common c;
	bool range;
	int32_t level[SRV_MAX_LEVELS];	/* microvolts; range: min, max, step */
	uint8_t n_level;
	int32_t init_level;
	bool on;		/* initially on: the platform holds a reference */
};

enum srv_power_unit { SRV_UNIT_MW, SRV_UNIT_UW, SRV_UNIT_ABSTRACT };
struct srv_powercap_def {
	struct srv_res_common c;
	uint8_t unit;		/* enum srv_power_unit */
	uint32_t min_cap, max_cap, cap_step, init_cap, sustainable;
	uint32_t min_pai, max_pai, pai_step, init_pai;	/* microseconds */
	bool cap_config, pai_config;
	struct srv_source measure;	/* the domain's power */
};

struct srv_pin_def {
	struct srv_res_common c;
};
struct srv_group_def {
	struct srv_res_common c;
	uint16_t pin[SRV_MAX_GROUP_PINS];	/* global pin indexes */
	uint8_t n_pin;
};
struct srv_function_def {
	struct srv_res_common c;
	uint16_t group[SRV_MAX_FUNC_GROUPS];	/* global group indexes */
	uint8_t n_group;
};
struct srv_system_def {
	struct srv_res_common c;
};

/* A device (for BASE_SET_DEVICE/PROTOCOL_PERMISSIONS): a set of resources. */
struct srv_res_ref {
	uint8_t type;		/* enum srv_rtype */
	uint16_t idx;		/* global index */
};
struct srv_device_def {
	char name[SRV_NAME_LEN];
	struct srv_res_ref res[SRV_MAX_DEV_RES];
	uint8_t n_res;
};

struct srv_grant {
	uint8_t type;		/* enum srv_rtype */
	uint8_t access;		/* enum srv_access */
	uint16_t idx;		/* global index */
};
struct srv_agent_def {
	char name[SRV_AGENT_NAME_LEN];
	char domain[SRV_NAME_LEN];	/* Xen domain name it serves */
	bool trusted;		/* may use the permission commands */
	struct srv_grant *grant;	/* in grant order: local ids follow it */
	unsigned n_grant;
};

/** The parsed config (struct scmi_srv_config of server.h). */
struct scmi_srv_config {
	char source[256];
	char vendor[SCMI_SHORT_NAME_LEN];
	char sub_vendor[SCMI_SHORT_NAME_LEN];
	uint32_t impl_version;
	uint64_t latency_ns;	/* default delayed-response latency */
	uint64_t tick_ns;	/* sensor / measurement notification period */
	void *def[SRV_RTYPE_COUNT];	/* arrays of struct srv_<type>_def */
	unsigned n[SRV_RTYPE_COUNT];
	struct srv_device_def *device;
	unsigned n_device;
	struct srv_agent_def *agent;
	unsigned n_agent;
};

/** Size of one definition of @type. */
size_t srv_def_size(enum srv_rtype type);
/** Definition @idx of @type (its struct srv_res_common comes first). */
static inline struct srv_res_common *srv_def(const struct scmi_srv_config *cfg,
					     enum srv_rtype type, unsigned idx)
{
	return (struct srv_res_common *)(void *)((char *)cfg->def[type] +
						 srv_def_size(type) * idx);
}
#define SRV_DEF(cfg, type, ctype, idx) ((ctype *)(void *)srv_def((cfg), (type), (idx)))
/** "clock", "perf", ... as in grants. */
const char *srv_rtype_name(enum srv_rtype type);
/** Global index of @name of @type, or -1. */
int srv_find(const struct scmi_srv_config *cfg, enum srv_rtype type, const char *name);
/** Deep copy. */
struct scmi_srv_config *srv_config_dup(const struct scmi_srv_config *cfg);

/* ---- runtime ------------------------------------------------------------- */

/** Per-resource platform state (the arbitrated, effective values). */
struct srv_state {
	uint64_t rate;		/* clock */
	uint32_t level;		/* perf level, powercap cap */
	uint32_t lim_min, lim_max;	/* perf limits */
	uint32_t pai;		/* powercap */
	int32_t volt;		/* voltage level */
	uint16_t parent;	/* clock: index into def->parent[] */
	bool has_parent;
	bool on;		/* clock enabled, power on, voltage on */
	uint16_t asserted;	/* reset: connections holding it asserted */
	uint16_t busy;		/* asynchronous commands in flight */
	struct scmi_srv_agent *owner;	/* pin/group: requested by */
	int16_t function;	/* pin/group: selected function, -1 none */
	uint32_t pin_cfg_set;	/* pin/group: configured types (bit n) */
	uint32_t pin_cfg[SRV_PIN_CFG_TYPES];
	bool inited;		/* initial state applied (kept across reloads) */
	int64_t walk;		/* random walk position */
	uint64_t walk_t;	/* when it last moved */
	bool walk_init;
};

/** One connection's request on a resource (what it voted for). */
struct srv_vote {
	bool on;		/* clock enable / power on / voltage on / reset asserted */
	bool has_value;
	uint64_t value;		/* clock rate, perf level, voltage, powercap cap */
	bool has_limits;
	uint32_t lim_min, lim_max;
	uint8_t notify;		/* bit n: event n subscribed */
	/* sensors: this connection's own sensor configuration */
	bool sensor_cfg;	/* configured (else the defaults) */
	bool sensor_on, tstamp;
	uint32_t ivl_us;
	uint64_t next_update_ns;
	uint32_t pcap_lo, pcap_hi;	/* powercap measurement thresholds */
	uint32_t pcap_last;	/* powercap: last power notified */
	struct {
		uint8_t mode;	/* SCMI_SENSOR_TP_* */
		int64_t value;
		int8_t side;	/* -1 below, 1 above, 0 unknown */
	} trip[SRV_MAX_TRIPS];
};

/** A configured agent at runtime: its view and its permission overlay. */
struct srv_slot {
	const struct srv_agent_def *def;	/* in s->cfg */
	uint32_t agent_id;	/* 1-based (0 is the platform) */
	uint16_t n[SRV_RTYPE_COUNT];	/* resources it sees */
	uint16_t *l2g[SRV_RTYPE_COUNT];	/* local id -> global index */
	int32_t *g2l[SRV_RTYPE_COUNT];	/* global index -> local id or -1 */
	uint8_t *acc[SRV_RTYPE_COUNT];	/* per local id: configured access */
	uint8_t *deny[SRV_RTYPE_COUNT];	/* per local id: SRV_DENY_* */
};
#define SRV_DENY_DEVICE SCMI_BIT(0)	/* BASE_SET_DEVICE_PERMISSIONS */
#define SRV_DENY_PROTOCOL SCMI_BIT(1)	/* BASE_SET_PROTOCOL_PERMISSIONS */
#define SRV_DENY_PINCTRL SCMI_BIT(2)	/* PINCTRL_SET_PERMISSIONS */

/** A connection (struct scmi_srv_agent of server.h). */
struct scmi_srv_agent {
	struct scmi_srv_agent *next;
	struct scmi_srv *s;
	struct srv_slot *slot;	/* NULL: its agent left the config (empty view) */
	char name[SRV_AGENT_NAME_LEN];
	uint16_t domid;
	struct srv_vote *vote[SRV_RTYPE_COUNT];	/* per global index */
	bool notify_errors;
	bool detached;		/* the guest's last device went away; requests kept */
	uint32_t version[SCMI_PROTO_PINCTRL - SCMI_PROTO_BASE + 1];	/* negotiated */
	uint16_t pending;	/* asynchronous commands in flight */
	struct scmi_srv_agent_stats st;
};

struct srv_pending;

/** The server (struct scmi_srv of server.h). */
struct scmi_srv {
	struct scmi_srv_config *cfg;	/* our own copy */
	const struct scmi_srv_ops *ops;
	void *ctx;
	struct srv_slot *slot;		/* [cfg->n_agent] */
	struct srv_state *state[SRV_RTYPE_COUNT];	/* per global index */
	struct scmi_srv_agent *conns;	/* every connection */
	struct srv_pending *pending;	/* deferred work not yet run */
	bool tick_armed;
	uint32_t system_state;
	uint64_t rng;			/* random-walk generator state */
};

/* ---- dispatch ------------------------------------------------------------ */

/** One command being handled: where its handler writes the response. */
struct srv_msg {
	struct scmi_srv *s;
	struct scmi_srv_agent *a;	/* the caller */
	uint8_t proto, msg_id;
	uint16_t token;
	const uint8_t *in;		/* payload (after the header) */
	size_t in_len;
	uint8_t *out;			/* response payload (after the status) */
	size_t out_cap;
	size_t out_len;
	bool overflow;			/* a write did not fit out_cap */
};

/** A handler: reads m->in (length already checked), writes m->out. */
typedef int32_t (*srv_handler_fn)(struct srv_msg *m);

/* Payload size table entries: exact size, or a minimum with SRV_VAR. */
#define SRV_VAR 0x8000u
#define SRV_SIZE_MASK 0x7fffu

struct srv_proto {
	uint8_t id;
	uint32_t version;
	enum srv_rtype rtype;		/* what makes it visible; COUNT: always */
	const srv_handler_fn *handler;	/* indexed by message id */
	const uint16_t *size;		/* parallel: payload size */
	size_t n_msg;
	/** Optional PROTOCOL_MESSAGE_ATTRIBUTES bits of a message. */
	uint32_t (*msg_attributes)(struct srv_msg *m, uint8_t msg_id);
};

#define SRV_PROTO_TABLES(h, sz)                                                      \
	static_assert(OS_ARRAY_SIZE(h) == OS_ARRAY_SIZE(sz),                         \
		      "handler and payload-size tables differ in length")

extern const struct srv_proto srv_proto_base, srv_proto_power, srv_proto_system,
	srv_proto_perf, srv_proto_clock, srv_proto_sensor, srv_proto_reset,
	srv_proto_voltage, srv_proto_powercap, srv_proto_pinctrl;

/** Protocol ids @a may use, ascending, base excluded (DISCOVER_LIST_PROTOCOLS). */
size_t srv_visible_protocols(const struct scmi_srv_agent *a, uint8_t *ids, size_t max);

/** Sample a powercap domain's measured power (in its unit). */
int srv_powercap_measure(struct scmi_srv *s, unsigned g, uint32_t *power);

/** Resolve an id or return its status from the handler. */
#define SRV_LOOKUP(m, type, id, need, g)                                       \
	do {                                                                   \
		int32_t st_ = srv_lookup((m), (type), (id), (need), &(g));      \
		if (st_ != SCMI_SUCCESS)                                       \
			return st_;                                            \
	} while (0)
/** *_NOTIFY commands: {id, enable} words 0 and 1 of the payload. */
int32_t srv_subscribe(struct srv_msg *m, enum srv_rtype type, uint8_t evt);
/** *_NAME_GET commands: id in word 0; flags + 64-byte name. */
int32_t srv_name_get(struct srv_msg *m, enum srv_rtype type);
/** Does a name need the extended *_NAME_GET (longer than 15)? */
static inline bool srv_ext_name(const char *name)
{
	return strlen(name) >= SCMI_SHORT_NAME_LEN;
}
/** Slot of agent id @id (1-based), NULL if none. */
struct srv_slot *srv_slot_by_id(struct scmi_srv *s, uint32_t id);
/** After the trusted agent changed @sl's permissions: drop votes it lost. */
void srv_permissions_changed(struct scmi_srv *s, struct srv_slot *sl);

/* Common handlers (server.c) for message ids 0, 2 and 0x10. */
int32_t srv_common_version(struct srv_msg *m);
int32_t srv_common_msg_attributes(struct srv_msg *m);
int32_t srv_common_negotiate(struct srv_msg *m);

/* Little helpers for handlers. */
static inline uint32_t srv_in32(const struct srv_msg *m, size_t word)
{
	return scmi_get_le32(m->in + 4 * word);
}
/** Append a 32-bit word; false if the response buffer is full. */
static inline bool srv_out32(struct srv_msg *m, uint32_t v)
{
	if (m->out_len + 4 > m->out_cap) {
		m->overflow = true;
		return false;
	}
	scmi_put_le32(m->out + m->out_len, v);
	m->out_len += 4;
	return true;
}
static inline bool srv_out64(struct srv_msg *m, uint64_t v)
{
	return srv_out32(m, (uint32_t)v) && srv_out32(m, (uint32_t)(v >> 32));
}
/** Append a NUL-padded name of @len bytes. */
bool srv_out_name(struct srv_msg *m, const char *name, size_t len);
/** Bytes still free in the response. */
static inline size_t srv_room(const struct srv_msg *m)
{
	return m->out_cap - m->out_len;
}

/**
 * Resolve the caller's local id @id of @type: NOT_FOUND if it has no such
 * resource; DENIED if @need is more than its (effective) access.
 */
int32_t srv_lookup(struct srv_msg *m, enum srv_rtype type, uint32_t id, enum srv_access need,
		   unsigned *gidx);
/** The caller's effective access to global @gidx of @type. */
enum srv_access srv_access_of(const struct scmi_srv_agent *a, enum srv_rtype type,
			      unsigned gidx);
/** The caller's agent id (slot), 0 for an empty view. */
uint32_t srv_agent_id(const struct scmi_srv_agent *a);
/** Caller is the trusted agent. */
bool srv_trusted(const struct scmi_srv_agent *a);
static inline struct srv_state *srv_st(struct scmi_srv *s, enum srv_rtype t, unsigned g)
{
	return &s->state[t][g];
}
static inline struct srv_vote *srv_vote(struct scmi_srv_agent *a, enum srv_rtype t, unsigned g)
{
	return &a->vote[t][g];
}
/** Latency of delayed responses for a resource. */
uint64_t srv_latency(struct scmi_srv *s, const struct srv_res_common *c);
/** Asynchronous commands can be offered at all (the daemon can defer). */
bool srv_can_defer(const struct scmi_srv *s);
uint64_t srv_now(struct scmi_srv *s);

/* ---- platform to agent ------------------------------------------------- */

/**
 * Notify every connection subscribed to event @evt of global resource
 * (@type, @gidx): @payload (whole notification payload, cpu words) whose
 * word 0 is the agent id of the cause and word 1 the resource id, both
 * rewritten per recipient (agent ids are only shown to the trusted agent;
 * others see their own id or 0, the platform).
 */
void srv_notify(struct scmi_srv *s, uint8_t proto, uint8_t evt, enum srv_rtype type,
		unsigned gidx, const struct scmi_srv_agent *cause, uint32_t *words, size_t n);
/** Send one P2A message (header packed here) to @a. */
int srv_send_p2a(struct scmi_srv *s, struct scmi_srv_agent *a, uint8_t proto, uint8_t msg_id,
		 uint8_t type, uint16_t token, const uint32_t *words, size_t n);

/** Completion of an asynchronous command, run after its latency. */
typedef void (*srv_complete_fn)(struct scmi_srv *s, struct scmi_srv_agent *a,
				struct srv_pending *p);
struct srv_pending {
	struct srv_pending *next;
	struct scmi_srv *s;
	struct scmi_srv_agent *a;	/* NULL once the connection is gone */
	srv_complete_fn complete;	/* NULL: the periodic tick */
	uint8_t proto, msg_id;
	uint16_t token;
	uint8_t rtype;
	uint16_t gidx;
	bool send_dresp;		/* else: async without delayed response */
	bool dead;			/* cancelled: free when it fires */
	uint64_t arg;			/* the command's value */
	uint32_t arg2;
};
/**
 * Schedule the completion of an asynchronous command on (@type, @gidx):
 * BUSY if the caller has too many in flight, NOT_SUPPORTED if the daemon
 * cannot defer. The resource stays busy until @fn ran.
 */
int32_t srv_defer_async(struct srv_msg *m, enum srv_rtype type, unsigned gidx,
			uint64_t latency_ns, bool send_dresp, uint64_t arg, uint32_t arg2,
			srv_complete_fn fn);
/** Make sure the periodic tick runs (sensor updates, trip points, measurements). */
void srv_tick_arm(struct scmi_srv *s);

/* ---- model (model.c): arbitration and values ------------------------------- */

/** Initial state of every resource from the config. */
void srv_model_init(struct scmi_srv *s);
/**
 * Recompute the effective value of a resource from every connection's
 * vote (rules in docs/config.md), sending the notifications of what
 * changed. @cause: the connection whose request triggered it (may be NULL).
 */
void srv_clock_refresh(struct scmi_srv *s, unsigned g, struct scmi_srv_agent *cause);
void srv_perf_refresh(struct scmi_srv *s, unsigned g, struct scmi_srv_agent *cause);
void srv_power_refresh(struct scmi_srv *s, unsigned g, struct scmi_srv_agent *cause);
void srv_voltage_refresh(struct scmi_srv *s, unsigned g, struct scmi_srv_agent *cause);
void srv_powercap_refresh(struct scmi_srv *s, unsigned g, struct scmi_srv_agent *cause);
void srv_reset_refresh(struct scmi_srv *s, unsigned g, struct scmi_srv_agent *cause);
/** Refresh every resource (after a disconnect or reload). */
void srv_model_refresh_all(struct scmi_srv *s, struct scmi_srv_agent *cause);
/** Withdraw every vote of @a (disconnect / RESET_AGENT_CONFIGURATION). */
void srv_withdraw_votes(struct scmi_srv *s, struct scmi_srv_agent *a, bool notifications);
/** Sample a source at time @now (file errors: -EIO). */
int srv_source_sample(struct scmi_srv *s, const struct srv_source *src, struct srv_state *st,
		      uint64_t now, int64_t *out);
/** Read sensor @g axis @axis now. */
int srv_sensor_read(struct scmi_srv *s, unsigned g, unsigned axis, int64_t *out);
/** Nearest supported clock rate for a request (flags: SCMI_CLOCK_SET_ROUND_*). */
bool srv_clock_round(const struct srv_clock_def *d, uint64_t req, uint32_t flags,
		     uint64_t *out);
/** The periodic work: continuous sensor updates, trip points, power measurements. */
void srv_model_tick(struct scmi_srv *s);
/** Does any connection want periodic work? */
bool srv_model_wants_tick(const struct scmi_srv *s);
/** Encode an interval in microseconds as SCMI {secs, exp}. */
uint32_t srv_encode_interval(uint32_t us, uint32_t secs_mask, uint32_t exp_mask);
/** Decode it; false if it does not fit 32-bit microseconds. */
bool srv_decode_interval(uint32_t secs, int exp, uint32_t *us);

#endif /* VSCMI_SCMI_SRV_H */
