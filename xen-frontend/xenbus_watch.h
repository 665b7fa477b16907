/* SPDX-License-Identifier: MIT */
/*
 * The xenstore clients' shared watch bookkeeping: registered watches, the
 * queue of events waiting for delivery, and their in-order delivery from
 * deferred work. Both clients (the ring one in xenstore.c and the
 * libxenstore one in xenstore_linux.c) differ only in how events arrive.
 */
#ifndef VSCMI_XENBUS_WATCH_H
#define VSCMI_XENBUS_WATCH_H

#include <vscmi/os.h>

#include "xenbus.h"

struct xb_event;

struct xb_watchset {
	/* Protects watches, the event queue and next_id. */
	os_spinlock_t lock;
	struct xenbus_watch *watches;
	struct xb_event *ev_head, *ev_tail;
	uint32_t next_id;
	struct os_work work;	/* runs the callbacks */
};

void xb_watchset_init(struct xb_watchset *ws);
/** Register @w under a fresh token. */
void xb_watchset_add(struct xb_watchset *ws, struct xenbus_watch *w);
/**
 * Forget @w and drop its undelivered events; true if it was registered.
 * The caller then waits for a running callback with xb_watchset_flush().
 */
bool xb_watchset_remove(struct xb_watchset *ws, struct xenbus_watch *w);
/**
 * An event for @token on @path (@plen bytes, not counting the NUL) arrived:
 * queue it for the watch that owns @token. Returns 1 if queued, 0 if no
 * watch has that token (an event racing with unwatch), -ENOMEM.
 */
int xb_watchset_event(struct xb_watchset *ws, const char *token, const char *path,
		      size_t plen);
/** Wait until no callback runs. Not from a callback. */
void xb_watchset_flush(struct xb_watchset *ws);
/** Stop delivery and free queued events (after every watch was removed). */
void xb_watchset_destroy(struct xb_watchset *ws);

#endif
