/* SPDX-License-Identifier: MIT */
/*
 * The SCMI server: a platform model (clocks, performance, power, sensors,
 * resets, voltages, power caps, pins) described by a config file, shared by
 * several agents (guests) with per-agent views and permissions, answering
 * SCMI commands as raw bytes. The daemon (tools/vscmi-backd) owns transport,
 * timers and event loop; the server owns everything SCMI.
 *
 * Threading: one scmi_srv is used from one thread (the daemon's event loop).
 * None of these functions blocks; up-calls (ops) are made from inside
 * scmi_srv_handle() or from the deferred functions the server scheduled.
 *
 * Errors are negative errno values.
 */
#ifndef VSCMI_SCMI_SERVER_H
#define VSCMI_SCMI_SERVER_H

#include <stdbool.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct scmi_srv;		/* the platform model + its agents */
struct scmi_srv_agent;		/* one connected guest (a connection) */
struct scmi_srv_config;		/* a parsed and validated config file */

/** Up-calls from the server to its daemon. */
struct scmi_srv_ops {
	/**
	 * Queue a platform-to-agent message (delayed response or
	 * notification: header word + payload, little-endian) on @agent's
	 * event queue. The server keeps no pointer to @msg after the call.
	 * An error only counts the message as dropped.
	 */
	int (*send_p2a)(void *ctx, struct scmi_srv_agent *agent, const void *msg, size_t len);
	/**
	 * Call @fn(@arg) once, @delay_ns from now, from the event loop (never
	 * from inside this call). Required for delayed responses and periodic
	 * notifications; without it asynchronous commands are refused and no
	 * periodic notification is sent. Functions still pending when the
	 * server is destroyed must not be run afterwards.
	 */
	int (*defer)(void *ctx, uint64_t delay_ns, void (*fn)(void *arg), void *arg);
	/** Optional: monotonic nanoseconds (default os_now_ns()); tests pin it. */
	uint64_t (*now_ns)(void *ctx);
	/**
	 * Optional: @agent asked SYSTEM_POWER_STATE_SET(@flags, @state) and
	 * was allowed to; the daemon may act on the guest (e.g. shut it
	 * down). A negative return is answered as HARDWARE_ERROR.
	 */
	int (*system_power)(void *ctx, struct scmi_srv_agent *agent, uint32_t flags,
			    uint32_t state);
};

/* ---- configuration ------------------------------------------------------- */

/**
 * Parse and validate the config file @path (xl-config syntax, see
 * docs/config.md). On error returns a negative errno and writes one line
 * "FILE:LINE: what is wrong" to @err (the first error found).
 */
int scmi_srv_load_config(const char *path, struct scmi_srv_config **cfg, char *err,
			 size_t errlen);
/** The same from memory; @name is used in messages (fuzzing, tests). */
int scmi_srv_parse_config(const char *name, const char *data, size_t len,
			  struct scmi_srv_config **cfg, char *err, size_t errlen);
/** --check-config: load, validate, free. 0 when valid. */
int scmi_srv_check_config(const char *path, char *err, size_t errlen);
/** Print a human summary of the platform model and each agent's view. */
void scmi_srv_config_describe(const struct scmi_srv_config *cfg, FILE *out);
/** Free a config; NULL is fine. */
void scmi_srv_config_free(struct scmi_srv_config *cfg);

/* ---- server life cycle -------------------------------------------------- */

/**
 * Build the platform model from @cfg (copied: the caller may free @cfg at
 * once). @ops and @ctx must outlive the server.
 */
int scmi_srv_create(const struct scmi_srv_config *cfg, const struct scmi_srv_ops *ops,
		    void *ctx, struct scmi_srv **out);
/** Disconnect every agent and free everything; NULL is fine. */
void scmi_srv_destroy(struct scmi_srv *s);
/**
 * Apply a new config (SIGHUP). Connections stay; each is re-bound to the
 * agent of the same name in @cfg (or gets an empty view if it is gone);
 * resource state, requests and subscriptions are carried over by resource
 * name; permissions become those of @cfg.
 */
int scmi_srv_reload(struct scmi_srv *s, const struct scmi_srv_config *cfg);

/* ---- agents ------------------------------------------------------------- */

/**
 * A guest's device connected: returns its agent (the config's agent whose
 * domain is @domain_name), or NULL if the config has none (logged) or on
 * allocation failure. A domain may connect several times (several devices);
 * each connection has its own requests and subscriptions.
 */
struct scmi_srv_agent *scmi_srv_agent_connect(struct scmi_srv *s, const char *domain_name,
					      uint16_t domid);
/**
 * The connection is gone. Its subscriptions and pending delayed responses
 * are dropped at once. Its requests (clock enables, perf levels, power
 * votes, asserted resets, pin ownership...) are withdrawn and arbitrated
 * again when another device of the same guest stays connected; when it was
 * the guest's last one, they stay in force: the next connect of that
 * domain gets the same agent back with them (a guest tool that opens the
 * device per command keeps its clock on), until scmi_srv_agent_release().
 * @a must not be used afterwards (except as returned again by connect).
 */
void scmi_srv_agent_disconnect(struct scmi_srv *s, struct scmi_srv_agent *a);
/**
 * Domain @domain_name is gone (destroyed, @releaseDomain): withdraw the
 * requests its disconnected agent left behind, arbitrate and notify.
 * Nothing happens while one of its devices is still connected.
 */
void scmi_srv_agent_release(struct scmi_srv *s, const char *domain_name);
/**
 * Does the configuration have an agent for Xen domain @domain_name
 * (vscmi-backd --auto-attach asks before creating a device)?
 */
bool scmi_srv_has_agent(const struct scmi_srv *s, const char *domain_name);
/** The agent's configured name ("ivi"). */
const char *scmi_srv_agent_name(const struct scmi_srv_agent *a);
/** The domain id given at connect time. */
uint16_t scmi_srv_agent_domid(const struct scmi_srv_agent *a);

/** Per-connection counters (SIGUSR1 dumps). */
struct scmi_srv_agent_stats {
	uint64_t commands;	/* A2P commands answered */
	uint64_t errors;	/* of which answered with a status other than SUCCESS */
	uint64_t denied;	/* of which DENIED */
	uint64_t protocol_errors; /* of which PROTOCOL_ERROR (malformed) */
	uint64_t delayed;	/* delayed responses sent */
	uint64_t notifications;	/* notifications sent */
	uint64_t p2a_dropped;	/* P2A messages send_p2a refused */
};
void scmi_srv_agent_get_stats(const struct scmi_srv_agent *a, struct scmi_srv_agent_stats *st);

/* ---- commands ----------------------------------------------------------- */

/** Smallest response buffer scmi_srv_handle() can always answer into. */
#define SCMI_SRV_MIN_RESP 128u

/**
 * One A2P command (@req: header word + payload, as on the wire) from @a;
 * writes the response (header + status + payload) to @resp and returns its
 * length. Paginated replies are sized to fit @resp_cap. Returns 0 only when
 * there is nothing to answer: @req_len < 4 (no header) or @resp_cap < 8.
 */
size_t scmi_srv_handle(struct scmi_srv *s, struct scmi_srv_agent *a, const void *req,
		       size_t req_len, void *resp, size_t resp_cap);

#endif /* VSCMI_SCMI_SERVER_H */
