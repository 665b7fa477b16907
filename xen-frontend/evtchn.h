/* SPDX-License-Identifier: MIT */
/*
 * Event channels, guest side: allocate an unbound port for a remote domain,
 * bind a handler, send, mask/unmask, close. evtchn.c keeps the handler
 * table and the counters; the platform file (evtchn_sim.c, evtchn_linux.c,
 * evtchn_arm64.c) moves the events: a dispatcher thread on sim and linux,
 * polling from os_poll_hook() on arm64.
 *
 * Handlers run in the dispatch context, one event at a time; they must not
 * sleep for long (queue work instead).
 */
#ifndef VSCMI_EVTCHN_H
#define VSCMI_EVTCHN_H

#include <vscmi/os.h>

struct xen_plat;

typedef void (*evtchn_handler_fn)(uint32_t port, void *priv);

/** Counters (benchmarks need "event sends per message"). */
struct evtchn_stats {
	uint64_t sends, events, spurious;
};

/** Start delivering this platform's events (idempotent per platform). */
int evtchn_open(struct xen_plat *plat);
/** Stop delivery; every handler must already be unbound. */
void evtchn_close_all(struct xen_plat *plat);

/** A new port @remote may bind to; not bound to a handler yet. */
int evtchn_alloc_unbound(struct xen_plat *plat, uint16_t remote, uint32_t *port);
/** Deliver @port's events to @fn(port, @priv) and unmask it. */
int evtchn_bind(struct xen_plat *plat, uint32_t port, evtchn_handler_fn fn,
		void *priv);
/**
 * Stop delivering @port's events; when it returns, the handler is not
 * running and will not run again (do not call it from that handler).
 */
void evtchn_unbind(struct xen_plat *plat, uint32_t port);
/** Unbind and close @port (the remote end sees it closed). */
void evtchn_close(struct xen_plat *plat, uint32_t port);
/** Notify the remote end of @port. */
int evtchn_send(struct xen_plat *plat, uint32_t port);
int evtchn_mask(struct xen_plat *plat, uint32_t port);
int evtchn_unmask(struct xen_plat *plat, uint32_t port);
void evtchn_get_stats(struct xen_plat *plat, struct evtchn_stats *st);

/**
 * Called by the platform's dispatch context for each pending @port:
 * runs its handler (if bound) then unmasks it.
 */
void evtchn_deliver(struct xen_plat *plat, uint32_t port);

#endif /* VSCMI_EVTCHN_H */
