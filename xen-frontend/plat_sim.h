/* SPDX-License-Identifier: MIT */
/*
 * The sim platform's handle, shared by xen_plat_sim.c, gnttab_sim.c and
 * evtchn_sim.c (hosted: these three may use libc and pthreads).
 */
#ifndef VSCMI_PLAT_SIM_H
#define VSCMI_PLAT_SIM_H

#include <pthread.h>
#include <stdatomic.h>

#include <vscmi/xensim.h>

#include "xen_plat.h"

struct xen_plat {
	struct xsim *x;
	struct evtchn_table *evtchn;
	struct gnttab *gnttab;
	/* Event dispatcher thread (evtchn_sim.c). */
	pthread_t thread;
	bool running;
	atomic_bool stopping;		/* set, then a wake-up, to end the thread */
};

#endif /* VSCMI_PLAT_SIM_H */
