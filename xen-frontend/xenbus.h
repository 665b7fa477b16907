/* SPDX-License-Identifier: MIT */
/*
 * The xenstore client of xen-frontend ("xenbus" as in Linux): read, write,
 * mkdir, rm, directory, watches and transactions. Two implementations with
 * the same API, chosen at link time: xenstore.c speaks xs_wire over the
 * guest's xenstore ring page and event channel (sim, arm64);
 * xenstore_linux.c sits on libxenstore (linux).
 *
 * Every call may sleep (it waits for the daemon's reply) and is safe from
 * any thread. Watch callbacks run later, in deferred work (os_work), never
 * in the caller's context: they may call xenbus_* themselves, but must not
 * call xenbus_unwatch() or xenbus_close().
 */
#ifndef VSCMI_XENBUS_H
#define VSCMI_XENBUS_H

#include <vscmi/os.h>

struct xen_plat;
struct xenbus;

/** A transaction id; XENBUS_TX_NONE runs a request outside any transaction. */
typedef uint32_t xenbus_tx_t;
#define XENBUS_TX_NONE 0u

/** Longest path or value the client handles (xs_wire's payload limit). */
#define XENBUS_MAX_PAYLOAD 4096u

struct xenbus_watch;
/** A watched path (or one below it) changed, or the watch was just set. */
typedef void (*xenbus_watch_fn)(struct xenbus_watch *w, const char *path);

/** One watch; owned by the caller, registered by xenbus_watch(). */
struct xenbus_watch {
	xenbus_watch_fn fn;
	void *priv;
	/* the client's: */
	char token[24];
	char *path;
	struct xenbus_watch *next;	/* protected by the client's watch lock */
};

/** Counters (tests, benchmarks). */
struct xenbus_stats {
	uint64_t requests, errors, timeouts, watch_events;
};

/** Connect to the platform's xenstore. -ENODEV if it has none. */
int xenbus_open(struct xen_plat *plat, struct xenbus **out);
/** Drop every watch and disconnect; NULL is fine. */
void xenbus_close(struct xenbus *xb);
/** How long one request waits for its reply (default 10 s). */
void xenbus_set_timeout(struct xenbus *xb, uint64_t timeout_ns);
void xenbus_get_stats(struct xenbus *xb, struct xenbus_stats *st);

/**
 * Read @path into @buf (NUL-terminated). Returns the value's length, or
 * -ENOENT, -EACCES, -EOVERFLOW (does not fit @size), -ETIMEDOUT, -EIO.
 */
int xenbus_read(struct xenbus *xb, xenbus_tx_t tx, const char *path,
		char *buf, size_t size);
/** Write @val to @path (creating parents). */
int xenbus_write(struct xenbus *xb, xenbus_tx_t tx, const char *path,
		 const char *val);
/** Write @dir/@key = formatted value. */
int xenbus_printf(struct xenbus *xb, xenbus_tx_t tx, const char *dir,
		  const char *key, const char *fmt, ...) OS_PRINTF(5, 6);
int xenbus_mkdir(struct xenbus *xb, xenbus_tx_t tx, const char *path);
/** Remove @path and everything below it; a missing path is not an error. */
int xenbus_rm(struct xenbus *xb, xenbus_tx_t tx, const char *path);
/**
 * List @path's children into @buf as consecutive NUL-terminated names;
 * returns how many (>= 0) or -errno.
 */
int xenbus_directory(struct xenbus *xb, xenbus_tx_t tx, const char *path,
		     char *buf, size_t size);

/**
 * Read @dir/@key as an unsigned number <= @max in @base (10 or 16; a 0x
 * prefix is accepted for 16). -ENOENT missing, -EINVAL malformed, -ERANGE.
 */
int xenbus_read_u64(struct xenbus *xb, xenbus_tx_t tx, const char *dir,
		    const char *key, unsigned base, uint64_t max, uint64_t *out);

/** Watch @path; @w->fn and @w->priv set by the caller. Fires once at once. */
int xenbus_watch(struct xenbus *xb, struct xenbus_watch *w, const char *path);
/** Remove @w; no callback of it runs after this returns. */
void xenbus_unwatch(struct xenbus *xb, struct xenbus_watch *w);

int xenbus_transaction_start(struct xenbus *xb, xenbus_tx_t *tx);
/** Commit (or abort with @abort); -EAGAIN when another writer interfered. */
int xenbus_transaction_end(struct xenbus *xb, xenbus_tx_t tx, bool abort);
/**
 * Run @fn inside a transaction, retrying on -EAGAIN up to @tries times.
 * @fn returning non-zero aborts the transaction with that value.
 */
int xenbus_transact(struct xenbus *xb, unsigned tries,
		    int (*fn)(struct xenbus *xb, xenbus_tx_t tx, void *arg),
		    void *arg);

/* Shared by both implementations (xenbus_common.c). */
int xenbus_parse_u64(const char *s, unsigned base, uint64_t max, uint64_t *out);

#endif /* VSCMI_XENBUS_H */
