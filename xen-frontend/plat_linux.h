/* SPDX-License-Identifier: MIT */
/*
 * The linux platform's handle (a Linux domU's userspace), shared by
 * xen_plat_linux.c, gnttab_linux.c and evtchn_linux.c. Hosted: these use
 * libxenevtchn, libxengnttab (gntshr) and pthreads.
 */
#ifndef VSCMI_PLAT_LINUX_H
#define VSCMI_PLAT_LINUX_H

#include <pthread.h>
#include <xenevtchn.h>
#include <xengnttab.h>

#include "xen_plat.h"

struct xen_plat {
	xenevtchn_handle *xce;
	xengntshr_handle *xgs;
	uint16_t domid;
	struct evtchn_table *evtchn;
	struct gnttab *gnttab;
	pthread_t thread;
	bool running;
	int stop_pipe[2];
};

#endif /* VSCMI_PLAT_LINUX_H */
