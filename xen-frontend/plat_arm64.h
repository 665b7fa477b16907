/* SPDX-License-Identifier: MIT */
/*
 * The arm64 platform's handle (a bare-metal or RTOS domU kernel, one
 * instance), shared by xen_plat_arm64.c, gnttab_arm64.c, evtchn_arm64.c.
 * Freestanding: os.h, Xen public headers and vscmi_plat_* hooks only.
 */
#ifndef VSCMI_PLAT_ARM64_H
#define VSCMI_PLAT_ARM64_H

#include "xen_plat.h"

#include <xen/event_channel.h>
#include <xen/memory.h>

struct xen_plat {
	uint16_t domid;			/* DOMID_SELF until known */
	struct evtchn_table *evtchn;
	struct gnttab *gnttab;
	bool running;
	grant_entry_v1_t *table;
	uint64_t table_gfn;
	unsigned nr_frames, max_frames;
};

extern struct xen_plat xen_plat_arm64;

#endif /* VSCMI_PLAT_ARM64_H */
