// SPDX-License-Identifier: MIT
/*
 * Event channels on xensim, and the dispatcher thread: it sleeps in one
 * read(2) of xensim's wake-up descriptor (xsim_evtchn_block()) and hands
 * every pending port to evtchn_deliver(), one at a time. One system call
 * per wake-up: the read both sleeps and consumes it.
 */
#include <stdatomic.h>
#include <unistd.h>

#include "evtchn.h"
#include "plat_sim.h"

int xen_plat_evtchn_alloc_unbound(struct xen_plat *p, uint16_t remote,
				  uint32_t *port)
{
	return xsim_evtchn_alloc_unbound(p->x, remote, port);
}

int xen_plat_evtchn_bind_interdomain(struct xen_plat *p, uint16_t remote,
				     uint32_t remote_port, uint32_t *port)
{
	return xsim_evtchn_bind_interdomain(p->x, remote, remote_port, port);
}

int xen_plat_evtchn_close(struct xen_plat *p, uint32_t port)
{
	return xsim_evtchn_close(p->x, port);
}

int xen_plat_evtchn_send(struct xen_plat *p, uint32_t port)
{
	return xsim_evtchn_send(p->x, port);
}

int xen_plat_evtchn_mask(struct xen_plat *p, uint32_t port)
{
	return xsim_evtchn_mask(p->x, port);
}

int xen_plat_evtchn_unmask(struct xen_plat *p, uint32_t port)
{
	return xsim_evtchn_unmask(p->x, port);
}

static void *evtchn_sim_thread(void *arg)
{
	struct xen_plat *p = arg;

	for (;;) {
		uint32_t port;
		int ret;

		/* Drain first: a wake-up may have come before we slept. */
		while (xsim_evtchn_next_pending(p->x, &port) == 0)
			evtchn_deliver(p, port);
		if (atomic_load(&p->stopping))
			break;
		ret = xsim_evtchn_block(p->x);
		if (ret && ret != -EINTR) {
			os_err("sim: event-channel wait failed: %d", ret);
			break;
		}
	}
	return NULL;
}

int xen_plat_evtchn_start(struct xen_plat *p)
{
	int ret;

	if (p->running)
		return 0;
	if (xsim_evtchn_fd(p->x) < 0)
		return -ENODEV;
	atomic_store(&p->stopping, false);
	ret = pthread_create(&p->thread, NULL, evtchn_sim_thread, p);
	if (ret)
		return -ret;
	p->running = true;
	return 0;
}

void xen_plat_evtchn_stop(struct xen_plat *p)
{
	static const uint64_t one = 1;

	if (!p->running)
		return;
	/* The thread sees stopping before the wake-up that ends its read. */
	atomic_store(&p->stopping, true);
	if (write(xsim_evtchn_fd(p->x), &one, sizeof(one)) != sizeof(one))
		os_err("sim: cannot stop the event-channel thread");
	pthread_join(p->thread, NULL);
	p->running = false;
}
