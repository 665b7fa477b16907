// SPDX-License-Identifier: MIT
/*
 * Event channels on a Linux domU's userspace (/dev/xen/evtchn via
 * libxenevtchn) and the dispatcher thread. The device masks a port when it
 * reports it, so the thread unmasks it after the handler ran. The device
 * has no mask call: xen_plat_evtchn_mask() only stops our delivery (the
 * handler table drops events of unbound ports).
 */
#include <poll.h>
#include <unistd.h>

#include "evtchn.h"
#include "plat_linux.h"

int xen_plat_evtchn_alloc_unbound(struct xen_plat *p, uint16_t remote,
				  uint32_t *port)
{
	xenevtchn_port_or_error_t r = xenevtchn_bind_unbound_port(p->xce, remote);

	if (r < 0)
		return -errno;
	*port = (uint32_t)r;
	return 0;
}

int xen_plat_evtchn_bind_interdomain(struct xen_plat *p, uint16_t remote,
				     uint32_t remote_port, uint32_t *port)
{
	xenevtchn_port_or_error_t r =
		xenevtchn_bind_interdomain(p->xce, remote, remote_port);

	if (r < 0)
		return -errno;
	*port = (uint32_t)r;
	return 0;
}

int xen_plat_evtchn_close(struct xen_plat *p, uint32_t port)
{
	return xenevtchn_unbind(p->xce, port) ? -errno : 0;
}

int xen_plat_evtchn_send(struct xen_plat *p, uint32_t port)
{
	return xenevtchn_notify(p->xce, port) ? -errno : 0;
}

int xen_plat_evtchn_mask(struct xen_plat *p, uint32_t port)
{
	return 0;
}

int xen_plat_evtchn_unmask(struct xen_plat *p, uint32_t port)
{
	return xenevtchn_unmask(p->xce, port) ? -errno : 0;
}

static void *evtchn_linux_thread(void *arg)
{
	struct xen_plat *p = arg;
	struct pollfd fds[2] = {
		{ .fd = xenevtchn_fd(p->xce), .events = POLLIN },
		{ .fd = p->stop_pipe[0], .events = POLLIN },
	};

	for (;;) {
		if (poll(fds, 2, -1) < 0 && errno != EINTR)
			break;
		if (fds[1].revents)
			break;
		if (fds[0].revents) {
			xenevtchn_port_or_error_t port = xenevtchn_pending(p->xce);

			if (port < 0)
				continue;
			evtchn_deliver(p, (uint32_t)port);
			xenevtchn_unmask(p->xce, (evtchn_port_t)port);
		}
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
	ret = pthread_create(&p->thread, NULL, evtchn_linux_thread, p);
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
		os_err("linux: cannot stop the event-channel thread");
	pthread_join(p->thread, NULL);
	close(p->stop_pipe[0]);
	close(p->stop_pipe[1]);
	p->stop_pipe[0] = p->stop_pipe[1] = -1;
	p->running = false;
}
