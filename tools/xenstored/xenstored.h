/* SPDX-License-Identifier: MIT */
/*
 * xensim's xenstored: the store engine (node tree, permissions, watches,
 * transactions, quotas, the xs_wire request dispatcher) and the server that
 * puts it behind a unix socket (dom0) and the guests' xenstore rings.
 *
 * The engine knows nothing about sockets or rings: a front door creates one
 * struct xsd_conn per client, feeds it the bytes the client sent
 * (xsd_conn_feed()) and drains what the engine queued for it
 * (xsd_conn_out_peek() / xsd_conn_out_consume()). Requests are answered
 * as Xen's C xenstored answers them: same payloads, same errno strings,
 * same permission and watch semantics (docs/xensim.md, "xenstored").
 *
 * Threading: an engine and its connections are driven by one thread at a
 * time; nothing here locks.
 *
 * Errors are negative errno values.
 */
#ifndef VSCMI_XENSTORED_H
#define VSCMI_XENSTORED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <vscmi/errno.h>	/* before xs_wire.h: it defines xsd_errors[] */
#include <xen/io/xs_wire.h>

struct xsd_engine;
struct xsd_conn;

/** Quotas, enforced for unprivileged domains only (as Xen does). */
struct xsd_quota {
	unsigned nodes;		/* nodes owned per domain (ENOSPC) */
	unsigned node_size;	/* value + child names + perms (ENOSPC) */
	unsigned watches;	/* watches per domain (E2BIG) */
	unsigned transactions;	/* open transactions per connection (ENOSPC) */
	unsigned perms;		/* permission entries per node (ENOSPC) */
	unsigned path_len;	/* path length below /local/domain/N (EINVAL) */
	unsigned txn_nodes;	/* nodes a transaction may touch (ENOSPC) */
	unsigned out_bytes;	/* queued output before watch events drop */
};

/** Xen 4.17's defaults. */
#define XSD_QUOTA_DEFAULT { \
	.nodes = 1000, .node_size = 2048, .watches = 128, .transactions = 10, \
	.perms = 5, .path_len = XENSTORE_REL_PATH_MAX, .txn_nodes = 1024, \
	.out_bytes = 256 * 1024 }

/**
 * Up-calls from the engine to whoever embeds it (the server, a test, the
 * fuzzer). Every member may be NULL.
 */
struct xsd_engine_cb {
	/**
	 * INTRODUCE(@domid, @mfn, @port) from dom0: connect to the domain's
	 * ring and return a new connection made with xsd_conn_new(), or
	 * NULL with *@err a positive errno (reported to the caller as Xen's
	 * string). Without this hook INTRODUCE creates a connection that
	 * has no transport (queued output is simply kept).
	 */
	struct xsd_conn *(*introduce)(void *arg, uint16_t domid, uint64_t mfn,
				      uint32_t port, int *err);
	/** INTRODUCE of an already introduced domain: rebind @port. */
	void (*reintroduce)(void *arg, struct xsd_conn *conn, uint32_t port);
	/** The engine is about to free @conn (RELEASE, domain death). */
	void (*conn_gone)(void *arg, struct xsd_conn *conn);
	/** CONTROL freeze|MS from dom0: stop serving for @ms. */
	void (*freeze)(void *arg, unsigned ms);
	void *arg;
};

/** Counters, for tests and `CONTROL stats`. */
struct xsd_stats {
	uint64_t requests;
	uint64_t errors;		/* ERROR replies */
	uint64_t watch_events;		/* WATCH_EVENT messages queued */
	uint64_t watch_events_dropped;	/* over the output quota */
	uint64_t txn_commits;
	uint64_t txn_conflicts;		/* commits answered EAGAIN */
	unsigned nodes;			/* nodes in the store */
};

/** xsd_engine_new() - a store with Xen's initial nodes. NULL on ENOMEM. */
struct xsd_engine *xsd_engine_new(const struct xsd_quota *quota,
				  const struct xsd_engine_cb *cb);
/** xsd_engine_free() - free the store and every connection. NULL is OK. */
void xsd_engine_free(struct xsd_engine *e);
/** xsd_engine_stats() - a snapshot of the counters. */
void xsd_engine_stats(struct xsd_engine *e, struct xsd_stats *st);
/**
 * xsd_engine_check() - check the engine's invariants (tree shape, per
 * domain accounting, watch counts). Returns 0 or -EIO, logging why.
 */
int xsd_engine_check(struct xsd_engine *e);

/**
 * xsd_conn_new() - a client connection of domain @domid. dom0 connections
 * (the socket) are privileged; domain connections resolve relative paths
 * against /local/domain/<domid>.
 */
struct xsd_conn *xsd_conn_new(struct xsd_engine *e, uint16_t domid);
/**
 * xsd_conn_free() - drop a connection with its watches and transactions.
 * For an introduced domain's connection the domain stays introduced but
 * without a connection (use RELEASE to forget it).
 */
void xsd_conn_free(struct xsd_conn *c);
/** xsd_conn_domid() - the domain behind @c. */
uint16_t xsd_conn_domid(const struct xsd_conn *c);
/** Opaque pointer for the front door. */
void xsd_conn_set_priv(struct xsd_conn *c, void *priv);
void *xsd_conn_priv(const struct xsd_conn *c);

/**
 * xsd_conn_feed() - bytes received from the client. Complete messages are
 * processed at once; a partial one is kept for the next call. Returns 0,
 * or -EPROTO once the client sent a header with len > XENSTORE_PAYLOAD_MAX
 * (the connection is then dead, as in Xen: its input is ignored).
 */
int xsd_conn_feed(struct xsd_conn *c, const void *buf, size_t len);
/** True once the connection broke the protocol. */
bool xsd_conn_broken(const struct xsd_conn *c);
/**
 * xsd_conn_reset() - forget watches, transactions and buffered input and
 * output (a ring reconnect).
 */
void xsd_conn_reset(struct xsd_conn *c);

/**
 * xsd_conn_out_peek() - the next queued output bytes (the rest of the
 * first queued message). Returns their number (0: nothing queued).
 */
size_t xsd_conn_out_peek(struct xsd_conn *c, const void **data);
/** xsd_conn_out_consume() - @n bytes of the peeked data were sent. */
void xsd_conn_out_consume(struct xsd_conn *c, size_t n);
/** xsd_conn_out_pending() - total bytes queued for the client. */
size_t xsd_conn_out_pending(const struct xsd_conn *c);

/**
 * xsd_domain_release() - forget an introduced domain as RELEASE does (its
 * connection, the nodes it owns), firing @releaseDomain. The server calls
 * it when it sees the domain die. -ENOENT if not introduced.
 */
int xsd_domain_release(struct xsd_engine *e, uint16_t domid);
/** xsd_domain_introduced() - is @domid introduced? */
bool xsd_domain_introduced(struct xsd_engine *e, uint16_t domid);
/**
 * xsd_domain_list() - the introduced domains' ids into @out (up to @max).
 * Returns how many there are.
 */
unsigned xsd_domain_list(struct xsd_engine *e, uint16_t *out, unsigned max);

#endif /* VSCMI_XENSTORED_H */
