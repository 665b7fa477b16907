/* SPDX-License-Identifier: MIT */
/*
 * The porting contract of xen-frontend (the "private.h" of Xen's tools
 * libraries): everything the portable code (gnttab.c, grant_dma.c,
 * evtchn.c, xenstore.c, virtio_pv.c) needs from one Xen implementation.
 * Exactly one platform is linked in, chosen by Kconfig in build.mk:
 *
 *   sim    xen_plat_sim.c, gnttab_sim.c, evtchn_sim.c     xensim
 *   linux  xen_plat_linux.c, gnttab_linux.c, evtchn_linux.c,
 *          xenstore_linux.c                               a Linux domU
 *   arm64  xen_plat_arm64.c, gnttab_arm64.c, evtchn_arm64.c
 *                                                         bare metal
 *
 * Grants come in two models. "Entry" platforms (sim, arm64) give the guest
 * its own grant_entry_v1 table and any page of grantable memory may be
 * granted by writing an entry: gnttab.c allocates references and runs Xen's
 * v1 protocol itself. The "share" platform (linux, /dev/xen/gntalloc) has no
 * entry access: the kernel allocates the pages and references together and
 * ending access is unsharing (the kernel defers the end itself while the
 * back-end still maps the page). xen_plat_gnt_table() tells which.
 *
 * Errors are negative errno values; -EOPNOTSUPP for what a platform lacks.
 */
#ifndef VSCMI_XEN_PLAT_H
#define VSCMI_XEN_PLAT_H

#include <vscmi/os.h>

#include <xen/xen.h>
#include <xen/grant_table.h>
#include <xen/io/xs_wire.h>

struct xen_plat;
struct gnttab;

/* ---- the platform handle (public part in include/vscmi/virtio_pv.h) ---- */

/** This domain's id, as the platform knows it. */
uint16_t xen_plat_domid(struct xen_plat *p);
/** "sim", "linux" or "arm64". */
const char *xen_plat_name(void);

/*
 * Per-platform slots the portable modules hang their state on (one of each
 * per platform handle), so that their functions take the platform only.
 */
struct evtchn_table;
struct evtchn_table **xen_plat_evtchn_slot(struct xen_plat *p);
struct gnttab **xen_plat_gnttab_slot(struct xen_plat *p);

/* ---- grantable memory and grant entries (entry platforms) ---------------- */

/** @npages contiguous zeroed pages that may be granted; NULL if none. */
void *xen_plat_gnt_alloc_pages(struct xen_plat *p, size_t npages);
void xen_plat_gnt_free_pages(struct xen_plat *p, void *va, size_t npages);
/**
 * This domain's v1 grant table and its current size in entries; the
 * address stays valid for the platform's lifetime. -EOPNOTSUPP on share
 * platforms.
 */
int xen_plat_gnt_table(struct xen_plat *p, grant_entry_v1_t **table,
		       uint32_t *nr_entries);
/** Grow the table to hold at least @nr_entries (GNTTABOP_setup_table). */
int xen_plat_gnt_grow(struct xen_plat *p, uint32_t nr_entries,
		      uint32_t *new_nr_entries);
/** The frame number to put in a grant entry for the page at @va. */
int xen_plat_gnt_frame(struct xen_plat *p, const void *va, uint32_t *frame);

/* ---- grants (share platforms) ---------------------------------------------- */

/**
 * Allocate @npages zeroed pages granted to @domid (writable or not) in one
 * go; their references in @refs[0..npages-1] (not necessarily consecutive).
 */
int xen_plat_gnt_share(struct xen_plat *p, uint16_t domid, size_t npages,
		       bool writable, void **va, uint32_t *refs);
/** Unshare pages from xen_plat_gnt_share(); the kernel ends access lazily. */
int xen_plat_gnt_unshare(struct xen_plat *p, void *va, size_t npages);

/* ---- event channels ---------------------------------------------------------- */

int xen_plat_evtchn_alloc_unbound(struct xen_plat *p, uint16_t remote,
				  uint32_t *port);
int xen_plat_evtchn_bind_interdomain(struct xen_plat *p, uint16_t remote,
				     uint32_t remote_port, uint32_t *port);
int xen_plat_evtchn_close(struct xen_plat *p, uint32_t port);
int xen_plat_evtchn_send(struct xen_plat *p, uint32_t port);
int xen_plat_evtchn_mask(struct xen_plat *p, uint32_t port);
int xen_plat_evtchn_unmask(struct xen_plat *p, uint32_t port);
/**
 * Start delivering events: each pending port is handed to
 * evtchn_deliver() (a dispatcher thread on sim/linux, os_poll_hook() on
 * arm64). Stop waits for a running delivery to finish.
 */
int xen_plat_evtchn_start(struct xen_plat *p);
void xen_plat_evtchn_stop(struct xen_plat *p);

/* ---- xenstore ring (sim, arm64) ---------------------------------------------- */

/**
 * The guest's xenstore ring page and its (already connected) event
 * channel port. -ENODEV if the platform has none (dom0, or linux).
 */
int xen_plat_xs_ring(struct xen_plat *p, struct xenstore_domain_interface **intf,
		     uint32_t *port);

/* ---- arm64: hypercalls the bare-metal kernel provides ------------------------- */
#ifdef CONFIG_PLATFORM_ARM64
/** HVC #0xEA1 with x16 = @op and x0.. = args; returns x0. */
long vscmi_plat_hypercall2(unsigned long op, unsigned long a1, unsigned long a2);
long vscmi_plat_hypercall3(unsigned long op, unsigned long a1, unsigned long a2,
			   unsigned long a3);
/** HVM params (HVM_PARAM_STORE_PFN, HVM_PARAM_STORE_EVTCHN) from the DT/HVC. */
int vscmi_plat_hvm_param(unsigned idx, uint64_t *value);
/** Map guest frame @gfn at a kernel virtual address (identity on most). */
void *vscmi_plat_gfn_to_va(uint64_t gfn);
uint64_t vscmi_plat_va_to_gfn(const void *va);
/** This domain's shared_info page (mapped with XENMAPSPACE_shared_info). */
struct shared_info *vscmi_plat_shared_info(void);
/**
 * Where the kernel wants the grant-table frames in its physmap (the
 * hypervisor node's region in the device tree): first gfn, frame count.
 */
int vscmi_plat_gnttab_region(uint64_t *first_gfn, unsigned *max_frames);
/** Deliver pending event channels: the kernel's upcall/poll entry calls this. */
void evtchn_arm64_poll(void);
#endif

#endif /* VSCMI_XEN_PLAT_H */
