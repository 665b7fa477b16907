/* SPDX-License-Identifier: MIT */
/*
 * vscmi-backd's porting contract: how dom0 maps a guest's grant references
 * and talks over event channels. One implementation is linked in:
 * plat_sim.c (xensim) or plat_xen.c (libxengnttab + libxenevtchn). Xenstore
 * is libxenstore on both (xensim's xenstored speaks the same socket
 * protocol).
 */
#ifndef VSCMI_BACKD_PLAT_H
#define VSCMI_BACKD_PLAT_H

#include <stdbool.h>
#include <stdint.h>

struct bk_plat;

/** Open the platform as the domain this process runs in. */
int bk_plat_open(struct bk_plat **out);
void bk_plat_close(struct bk_plat *p);
/** Our own domain id (the back-end domain). */
int bk_plat_self_domid(struct bk_plat *p, uint16_t *domid);
/** "sim" or "xen". */
const char *bk_plat_name(void);

/** Map one granted page of @domid; NULL and -errno in *@err on failure. */
void *bk_plat_map(struct bk_plat *p, uint16_t domid, uint32_t ref, bool writable,
		  int *err);
int bk_plat_unmap(struct bk_plat *p, void *addr);

/** Bind to @domid's unbound @remote_port; our local port in *@port. */
int bk_plat_evtchn_bind(struct bk_plat *p, uint16_t domid, uint32_t remote_port,
			uint32_t *port);
int bk_plat_evtchn_unbind(struct bk_plat *p, uint32_t port);
int bk_plat_evtchn_notify(struct bk_plat *p, uint32_t port);
/** Readable when a port is pending. */
int bk_plat_evtchn_fd(struct bk_plat *p);
/** Next pending port (then unmask it with bk_plat_evtchn_unmask); -EAGAIN if none. */
int bk_plat_evtchn_pending(struct bk_plat *p, uint32_t *port);
int bk_plat_evtchn_unmask(struct bk_plat *p, uint32_t port);
/** Watch bk_plat_evtchn_fd() edge-triggered? Then call
 *  bk_plat_evtchn_rearm() on every wake-up, before taking pending ports:
 *  the descriptor itself is never read (one system call less per event). */
bool bk_plat_evtchn_edge(struct bk_plat *p);
void bk_plat_evtchn_rearm(struct bk_plat *p);

/** Counters for benchmarks: grant maps/unmaps and event sends so far. */
struct bk_plat_stats {
	uint64_t maps, unmaps, notifies;
};
void bk_plat_get_stats(struct bk_plat *p, struct bk_plat_stats *st);

#endif
