// SPDX-License-Identifier: MIT
/*
 * Event channels on xensim, and the dispatcher thread: it sleeps in poll()
 * on xensim's wake-up descriptor (and a pipe that stops it) and hands every
 * pending port to evtchn_deliver(), one at a time.
 */
#include <poll.h>
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
	struct pollfd fds[2] = {
		{ .fd = xsim_evtchn_fd(p->x), .events = POLLIN },
		{ .fd = p->stop_pipe[0], .events = POLLIN },
	};

	for (;;) {
		uint32_t port;

		/* Drain first: a wake-up may have come before we polled. */
		while (xsim_evtchn_next_pending(p->x, &port) == 0)
			evtchn_deliver(p, port);
		if (poll(fds, 2, -1) < 0 && errno != EINTR)
			break;
		if (fds[1].revents)
			break;
	}
	return NULL;
}

int xen_plat_evtchn_start(struct xen_plat *p)
{
	int ret;

	if (p->running)
		return 0;
	if (pipe(p->stop_pipe))
		return -errno;
	ret = pthread_create(&p->thread, NULL, evtchn_sim_thread, p);
	if (ret) {
		close(p->stop_pipe[0]);
		close(p->stop_pipe[1]);
		p->stop_pipe[0] = p->stop_pipe[1] = -1;
		return -ret;
	}
	p->running = true;
	return 0;
}

void xen_plat_evtchn_stop(struct xen_plat *p)
{
	if (!p->running)
		return;
	if (write(p->stop_pipe[1], "x", 1) != 1)
		os_err("sim: cannot stop the event-channel thread");
	pthread_join(p->thread, NULL);
	close(p->stop_pipe[0]);
	close(p->stop_pipe[1]);
	p->stop_pipe[0] = p->stop_pipe[1] = -1;
	p->running = false;
}
