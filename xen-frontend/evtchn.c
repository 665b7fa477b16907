// SPDX-License-Identifier: MIT
/*
 * Event channels, the portable half: which handler serves which port, the
 * counters, and the calls every platform shares. The platform file moves
 * the events (xen_plat_evtchn_start()) and calls evtchn_deliver() for each
 * pending port.
 *
 * A binding is looked up under the table lock and marked running before
 * its handler is called without the lock; evtchn_unbind() removes it and
 * then waits for running to drop to zero, so once it returns the handler's
 * private data may be freed.
 */
#include "evtchn.h"
#include "xen_plat.h"

#define EVTCHN_MAX_BOUND 64

struct evtchn_binding {
	uint32_t port;			/* 0: slot free */
	evtchn_handler_fn fn;
	void *priv;
	atomic_uint running;		/* deliveries in progress */
};

struct evtchn_table {
	/* Protects bind[] and opens. */
	os_spinlock_t lock;
	unsigned opens;
	struct evtchn_binding bind[EVTCHN_MAX_BOUND];
	atomic_uint_least64_t sends, events, spurious;
};

static struct evtchn_table *evtchn_tab(struct xen_plat *plat)
{
	return *xen_plat_evtchn_slot(plat);
}

int evtchn_open(struct xen_plat *plat)
{
	struct evtchn_table **slot = xen_plat_evtchn_slot(plat);
	struct evtchn_table *t = *slot;
	int ret;

	if (t) {
		os_spin_lock(&t->lock);
		t->opens++;
		os_spin_unlock(&t->lock);
		return 0;
	}
	t = os_zalloc(sizeof(*t));
	if (!t)
		return -ENOMEM;
	os_spin_init(&t->lock);
	t->opens = 1;
	*slot = t;
	ret = xen_plat_evtchn_start(plat);
	if (ret) {
		*slot = NULL;
		os_free(t);
	}
	return ret;
}

void evtchn_close_all(struct xen_plat *plat)
{
	struct evtchn_table **slot = xen_plat_evtchn_slot(plat);
	struct evtchn_table *t = *slot;
	bool last;

	if (!t)
		return;
	os_spin_lock(&t->lock);
	last = --t->opens == 0;
	os_spin_unlock(&t->lock);
	if (!last)
		return;
	xen_plat_evtchn_stop(plat);
	*slot = NULL;
	os_free(t);
}

int evtchn_alloc_unbound(struct xen_plat *plat, uint16_t remote, uint32_t *port)
{
	return xen_plat_evtchn_alloc_unbound(plat, remote, port);
}

int evtchn_bind(struct xen_plat *plat, uint32_t port, evtchn_handler_fn fn,
		void *priv)
{
	struct evtchn_table *t = evtchn_tab(plat);
	struct evtchn_binding *free_b = NULL;

	if (!t || !port || !fn)
		return -EINVAL;
	os_spin_lock(&t->lock);
	for (unsigned i = 0; i < EVTCHN_MAX_BOUND; i++) {
		struct evtchn_binding *b = &t->bind[i];

		if (b->port == port) {
			os_spin_unlock(&t->lock);
			return -EEXIST;
		}
		if (!b->port && !free_b && !atomic_load(&b->running))
			free_b = b;
	}
	if (!free_b) {
		os_spin_unlock(&t->lock);
		os_err("evtchn: more than %u ports bound", EVTCHN_MAX_BOUND);
		return -ENOSPC;
	}
	free_b->fn = fn;
	free_b->priv = priv;
	free_b->port = port;
	os_spin_unlock(&t->lock);
	return xen_plat_evtchn_unmask(plat, port);
}

void evtchn_unbind(struct xen_plat *plat, uint32_t port)
{
	struct evtchn_table *t = evtchn_tab(plat);
	struct evtchn_binding *b = NULL;

	if (!t || !port)
		return;
	xen_plat_evtchn_mask(plat, port);
	os_spin_lock(&t->lock);
	for (unsigned i = 0; i < EVTCHN_MAX_BOUND; i++) {
		if (t->bind[i].port == port) {
			b = &t->bind[i];
			b->port = 0;
			break;
		}
	}
	os_spin_unlock(&t->lock);
	/* Wait for a delivery that found the binding before we removed it. */
	while (b && atomic_load(&b->running))
		os_sleep_ns(20 * 1000);
}

void evtchn_close(struct xen_plat *plat, uint32_t port)
{
	if (!port)
		return;
	evtchn_unbind(plat, port);
	xen_plat_evtchn_close(plat, port);
}

int evtchn_send(struct xen_plat *plat, uint32_t port)
{
	struct evtchn_table *t = evtchn_tab(plat);

	if (t)
		atomic_fetch_add(&t->sends, 1);
	return xen_plat_evtchn_send(plat, port);
}

int evtchn_mask(struct xen_plat *plat, uint32_t port)
{
	return xen_plat_evtchn_mask(plat, port);
}

int evtchn_unmask(struct xen_plat *plat, uint32_t port)
{
	return xen_plat_evtchn_unmask(plat, port);
}

void evtchn_get_stats(struct xen_plat *plat, struct evtchn_stats *st)
{
	struct evtchn_table *t = evtchn_tab(plat);

	*st = (struct evtchn_stats){ 0 };
	if (!t)
		return;
	st->sends = atomic_load(&t->sends);
	st->events = atomic_load(&t->events);
	st->spurious = atomic_load(&t->spurious);
}

void evtchn_deliver(struct xen_plat *plat, uint32_t port)
{
	struct evtchn_table *t = evtchn_tab(plat);
	struct evtchn_binding *b = NULL;

	if (!t)
		return;
	os_spin_lock(&t->lock);
	for (unsigned i = 0; i < EVTCHN_MAX_BOUND; i++) {
		if (t->bind[i].port == port) {
			b = &t->bind[i];
			atomic_fetch_add(&b->running, 1);
			break;
		}
	}
	os_spin_unlock(&t->lock);
	if (!b) {
		/* Raced with evtchn_unbind(), or a port nobody bound. */
		atomic_fetch_add(&t->spurious, 1);
		return;
	}
	atomic_fetch_add(&t->events, 1);
	b->fn(port, b->priv);
	atomic_fetch_sub(&b->running, 1);
}
