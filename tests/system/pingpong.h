/* SPDX-License-Identifier: MIT */
/*
 * The raw grant + event-channel ping-pong of the system test: the floor
 * under vscmi's command round trip on the same two domains. The guest
 * shares one page with gntalloc; word 0 is its request sequence number,
 * word 1 the back-end's answer. Each side notifies the other over one
 * interdomain event channel.
 */
#ifndef SYSTEST_PINGPONG_H
#define SYSTEST_PINGPONG_H

#include <poll.h>
#include <stdint.h>
#include <xenevtchn.h>

#define PP_XS_DIR "data/pingpong"	/* under the guest's /local/domain/<id> */
#define PP_STOP 0xffffffffu		/* request word that ends the back-end */

struct pp_page {
	uint32_t req;	/* written by the guest */
	uint32_t rsp;	/* written by the back-end */
};

/* Wait up to @ms for an event on @xe; 0 on an event, -1 on timeout or error. */
static inline int pp_wait_event(xenevtchn_handle *xe, int ms)
{
	struct pollfd pfd = { .fd = xenevtchn_fd(xe), .events = POLLIN };
	xenevtchn_port_or_error_t p;

	if (poll(&pfd, 1, ms) <= 0)
		return -1;
	p = xenevtchn_pending(xe);
	if (p < 0)
		return -1;
	return xenevtchn_unmask(xe, (evtchn_port_t)p) < 0 ? -1 : 0;
}

#endif
