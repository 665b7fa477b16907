/* SPDX-License-Identifier: MIT */
/*
 * libxensim: the simulated Xen machine, as seen by one process.
 *
 * A machine is a state directory (see xsim_machine_create()) holding a
 * shared-memory file with the "hypervisor" state: the domain table, every
 * domain's v1 grant-table frames and map-tracking records, and every
 * domain's event-channel ports. Each domain's guest memory is its own shared
 * file (the arena). A process joins the machine as one domain with
 * xsim_attach(); the hypervisor logic runs inside the library, in the
 * calling process, under a process-shared robust mutex, so there is no
 * hypervisor process on any fast path.
 *
 * Faithfulness to Xen is the point: grant entries are struct
 * grant_entry_v1 written by the granting domain itself, maps set
 * GTF_reading/GTF_writing with the same atomic protocol as Xen, errors are
 * Xen's GNTST_* and errno values. docs/xensim.md has the details and the
 * known differences.
 *
 * Error convention: every int-returning function returns 0 (or a positive
 * value where documented) on success and a negative errno on failure; the
 * grant map/copy functions also report a GNTST_* status as Xen does.
 *
 * Thread safety: one struct xsim may be used by several threads of the
 * process. It must not be used across fork(): attach again in the child.
 */
#ifndef VSCMI_XENSIM_H
#define VSCMI_XENSIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <xen/xen.h>
#include <xen/grant_table.h>
#include <xen/event_channel.h>
#include <xen/io/xs_wire.h>

struct xsim;	/* this process attached to a machine as one domain */

/* ------------------------------------------------------------------ */
/* Limits of the simulated machine */

#define XSIM_PAGE_SHIFT		12
#define XSIM_PAGE_SIZE		(1u << XSIM_PAGE_SHIFT)
#define XSIM_MAX_DOMAINS	64	/* domids 0 .. XSIM_MAX_DOMAINS-1 (<= 64: xsim_reap's bitmap) */
#define XSIM_GNTTAB_MAX_FRAMES	64	/* hard cap of --max-grant-frames */
#define XSIM_GNTTAB_DEF_FRAMES	32	/* default max: 16384 v1 entries */
#define XSIM_GNTTAB_INIT_FRAMES	1	/* frames a new domain starts with */
#define XSIM_ENTRIES_PER_FRAME	(XSIM_PAGE_SIZE / sizeof(grant_entry_v1_t))
#define XSIM_NR_PORTS		1024	/* event channel ports per domain */
#define XSIM_MAX_MAPS		8192	/* live grant maps, machine-wide */
#define XSIM_MAX_ATTACH		128	/* attached processes, machine-wide */
#define XSIM_MAX_MEMORY_MIB	256	/* largest arena */
#define XSIM_DEF_MEMORY_MIB	16
#define XSIM_NAME_MAX		32	/* domain name incl. NUL */

/*
 * Guest arena layout, as a toolstack sets up a PV/HVM guest: gfn 0 is the
 * xenstore ring page (struct xenstore_domain_interface), granted to dom0 in
 * grant ref GNTTAB_RESERVED_XENSTORE. Refs below GNTTAB_NR_RESERVED_ENTRIES
 * are the toolstack's; a guest allocates from GNTTAB_NR_RESERVED_ENTRIES up.
 * Pages handed out by xsim_alloc_pages() start at XSIM_FIRST_FREE_GFN.
 */
#define XSIM_XENSTORE_GFN	0
#define XSIM_FIRST_FREE_GFN	1

/* ------------------------------------------------------------------ */
/* Machine lifetime (used by the `xensim` CLI and by tests) */

/** Options of a new machine; zeroed fields take the defaults. */
struct xsim_machine_opts {
	unsigned dom0_memory_mib;	/* dom0's arena (default 16) */
	unsigned dom0_max_grant_frames;	/* default XSIM_GNTTAB_DEF_FRAMES */
};

/**
 * xsim_machine_path() - resolve a machine name to its state directory.
 * @machine: a name ("default" if NULL and $XENSIM_MACHINE is unset), or a
 *           path containing '/', which is used as is.
 * Names live under $XDG_RUNTIME_DIR/xensim/<name>, else /tmp/xensim-<uid>/.
 * Returns 0, -ENAMETOOLONG, or -EINVAL for a bad name.
 */
int xsim_machine_path(const char *machine, char *buf, size_t len);

/**
 * xsim_machine_create() - create a machine's state directory and dom0.
 * Creates the directory (mode 0700; every existing parent component that
 * we create or use must be ours and not group/world-writable), the state
 * file and dom0's arena. Fails with -EEXIST if a live machine is there.
 * Does not start the daemon (the CLI's `xensim start` does).
 */
int xsim_machine_create(const char *machine, const struct xsim_machine_opts *o);

/**
 * xsim_machine_remove() - delete a machine's files (state, arenas, sockets,
 * pid files, log, the directory). Callers stop the processes first.
 */
int xsim_machine_remove(const char *machine);

/* ------------------------------------------------------------------ */
/* Attaching */

/**
 * xsim_attach() - join a machine as a domain.
 * @machine: name or directory; NULL means $XENSIM_MACHINE (or "default").
 * @domid:   the domain to be; -1 means $XENSIM_DOMID (or 0 if unset).
 * The domain must exist (xsim_domain_create()). Registers this process in
 * the machine's attachment table, creates its wake-up eventfd, adopts the
 * domain's unowned event-channel ports (those the toolstack allocated
 * before the domain ran, e.g. the xenstore port) and, if the machine daemon
 * runs, registers with it so that the process's death is cleaned up.
 * Returns 0, -ENOENT (no machine), -ESRCH (no such domain), -EPERM (the
 * state directory fails the owner check), -ENOSPC (attachment table full).
 */
int xsim_attach(const char *machine, int domid, struct xsim **out);

/* xsim_attach_flags() flags */
#define XSIM_ATTACH_HOLDER	0x1	/* hold the domain alive (`xensim run`):
					 * adopts no ports, no eventfd */

/**
 * xsim_attach_flags() - xsim_attach() with XSIM_ATTACH_* @flags.
 * A domU lives as long as one process is attached to it (once one was):
 * `xensim run` attaches as its holder, so a domain outlives the single
 * commands run inside it, as a guest kernel outlives its processes.
 */
int xsim_attach_flags(const char *machine, int domid, unsigned flags,
		      struct xsim **out);

/**
 * xsim_detach() - leave the machine: unmap every grant this process mapped,
 * close the event-channel ports it owns, drop the attachment. NULL is OK.
 * A domU whose processes are all gone is destroyed by the next
 * xsim_reap() (the daemon's), unless it is persistent (see docs).
 */
void xsim_detach(struct xsim *x);

/** xsim_domid() - the domain this process is. */
uint16_t xsim_domid(struct xsim *x);
/** xsim_machine_dir() - the machine's state directory. */
const char *xsim_machine_dir(struct xsim *x);

/* ------------------------------------------------------------------ */
/* Domains */

enum xsim_dom_state {
	XSIM_DOM_FREE = 0,	/* slot unused */
	XSIM_DOM_CREATED,	/* exists, no process has attached yet */
	XSIM_DOM_RUNNING,	/* at least one process attached */
	XSIM_DOM_DYING,		/* destroyed; others still map its pages */
};

/** A snapshot of one domain's record. */
struct xsim_domain_info {
	uint16_t domid;
	enum xsim_dom_state state;
	char name[XSIM_NAME_MAX];
	unsigned memory_pages;		/* arena size */
	unsigned nr_grant_frames;	/* current table size */
	unsigned max_grant_frames;
	unsigned nr_attached;		/* live processes attached */
	int32_t pid;			/* first attached process, 0 if none */
	bool persistent;		/* xsim_domain_set_persistent() */
	uint32_t xenstore_port;		/* 0 for dom0 */
	uint32_t xenstore_gfn;
};

/**
 * xsim_domain_name() - name of @domid ("Domain-0" for dom0).
 * Returns 0, -ESRCH, or -ENAMETOOLONG if @len is too small.
 */
int xsim_domain_name(struct xsim *x, uint16_t domid, char *buf, size_t len);

/** xsim_domain_info() - snapshot of @domid's record; -ESRCH if free. */
int xsim_domain_info(struct xsim *x, uint16_t domid,
		     struct xsim_domain_info *info);

/**
 * xsim_domain_list() - snapshot every existing domain into @out (up to
 * @max). Returns the number of domains found (may exceed @max).
 */
int xsim_domain_list(struct xsim *x, struct xsim_domain_info *out, unsigned max);

/**
 * xsim_domain_create() - dom0 only: create a domain, as a toolstack does.
 * @name: unique, [A-Za-z0-9_.-]+, < XSIM_NAME_MAX.
 * @memory_mib: arena size (0: default); @max_grant_frames: 0: default.
 * Creates the arena, the grant table (1 frame, ref GNTTAB_RESERVED_XENSTORE
 * seeded for dom0), and an unbound event channel for the xenstore ring
 * (remote dom0). Does not talk to xenstored: the caller introduces the
 * domain (xs_introduce_domain(), as the CLI does).
 * Returns 0, -EPERM (not dom0), -EEXIST (name taken), -ENOSPC, -EINVAL.
 */
int xsim_domain_create(struct xsim *x, const char *name, unsigned memory_mib,
		       unsigned max_grant_frames, uint16_t *domid);

/**
 * xsim_domain_set_persistent() - dom0 only: with @on, @domid survives its
 * processes (xl's on_poweroff=preserve): when the last one goes, their
 * maps and ports are cleaned up and the domain returns to CREATED, ready
 * for the next `xensim run`. Default off: the domain is destroyed.
 */
int xsim_domain_set_persistent(struct xsim *x, uint16_t domid, bool on);

/**
 * xsim_domain_destroy() - dom0 only: destroy @domid as Xen does. Sends
 * SIGKILL to its processes, releases every map it holds, closes its ports
 * (interdomain peers become unbound), revokes its grant table. If other
 * domains still map its pages the domain stays DYING until they unmap (a
 * "zombie", as on Xen); otherwise its slot and arena are freed.
 * Does not talk to xenstored (the caller sends RELEASE).
 * Returns 0, -EPERM, -ESRCH, -EINVAL (dom0).
 */
int xsim_domain_destroy(struct xsim *x, uint16_t domid);

/**
 * xsim_reap() - clean up after processes that died attached (their maps
 * and ports), and destroy domUs that had processes and now have none.
 * The machine daemon calls this; tests without a daemon call it directly.
 * @destroyed: if not NULL, receives a bitmap of domids destroyed (bit n =
 * domid n), so the caller can release them in xenstored.
 * Returns the number of attachments reaped.
 */
int xsim_reap(struct xsim *x, uint64_t *destroyed);

/* ------------------------------------------------------------------ */
/* Memory: this domain's arena. Only arena pages can be granted. */

/** xsim_alloc_pages() - @n contiguous zeroed arena pages; NULL if none. */
void *xsim_alloc_pages(struct xsim *x, unsigned n);
/** xsim_free_pages() - give back what xsim_alloc_pages() returned. */
void xsim_free_pages(struct xsim *x, void *p, unsigned n);
/** xsim_va_to_gfn() - guest frame number of an arena address; -EFAULT. */
int xsim_va_to_gfn(struct xsim *x, const void *va, uint64_t *gfn);
/** xsim_gfn_to_va() - the address of this domain's arena page @gfn. */
void *xsim_gfn_to_va(struct xsim *x, uint64_t gfn);

/* ------------------------------------------------------------------ */
/* Grant tables: the granting side */

/**
 * xsim_gnttab_table() - this domain's v1 grant table, shared with the
 * hypervisor, written directly as a guest kernel does: fill frame and domid,
 * then (after a write barrier: "the mapper sees frame/domid before the
 * flags") set flags = GTF_permit_access [| GTF_readonly].
 * @nr_entries: receives the current number of entries.
 * The table address stays valid across xsim_gnttab_grow().
 */
grant_entry_v1_t *xsim_gnttab_table(struct xsim *x, unsigned *nr_entries);

/**
 * xsim_gnttab_grow() - GNTTABOP_setup_table: make the table @frames frames
 * big (it never shrinks). Returns 0, or -EINVAL/-ENOSPC beyond the max
 * (@status, if not NULL, gets GNTST_general_error as Xen reports).
 */
int xsim_gnttab_grow(struct xsim *x, unsigned frames, int16_t *status);

/** xsim_gnttab_query_size() - GNTTABOP_query_size for this domain. */
int xsim_gnttab_query_size(struct xsim *x, unsigned *nr_frames,
			   unsigned *max_frames);

/**
 * xsim_gnttab_end_access() - the guest-kernel side of ending access with
 * Xen's v1 protocol: atomically set flags to 0 unless GTF_reading or
 * GTF_writing is set. Returns 0, or -EBUSY while the grant is mapped
 * (the caller must not reuse the ref or the page; retry later).
 * Provided for convenience; a front-end may do the same cmpxchg itself.
 */
int xsim_gnttab_end_access(struct xsim *x, grant_ref_t ref);

/* ------------------------------------------------------------------ */
/* Grant tables: the mapping side (the domain named in the entry) */

/**
 * xsim_gnttab_map() - GNTTABOP_map_grant_ref: map page @ref of @granter.
 * Validates as Xen does: the entry must be GTF_permit_access for our
 * domid (else GNTST_general_error, as Xen), writable unless @readonly
 * (else GNTST_general_error), @ref in range (GNTST_bad_gntref), @granter
 * alive (GNTST_bad_domain), map tracking not full (GNTST_no_device_space).
 * The first map of an entry sets GTF_reading (and GTF_writing if rw) with
 * cmpxchg. Read-only maps are mapped PROT_READ.
 * Returns the address, or NULL with *@status set to the GNTST_* code.
 */
void *xsim_gnttab_map(struct xsim *x, uint16_t granter, grant_ref_t ref,
		      bool readonly, int16_t *status);

/**
 * xsim_gnttab_unmap() - GNTTABOP_unmap_grant_ref for an address returned by
 * xsim_gnttab_map(). The last map of an entry clears GTF_writing /
 * GTF_reading. Returns 0 or -EINVAL (not a grant mapping of this process).
 */
int xsim_gnttab_unmap(struct xsim *x, void *addr);

/**
 * xsim_gnttab_copy() - GNTTABOP_copy on @count ops (struct gnttab_copy of
 * <xen/grant_table.h>). Each side is either a grant ref of that domid
 * (GNTCOPY_source_gref / GNTCOPY_dest_gref) or a gmfn of the caller's own
 * domain (DOMID_SELF or its domid). Entries are pinned (GTF_reading /
 * GTF_writing) for the duration of the copy, as Xen does. Per-op status in
 * op->status; returns 0 (the hypercall itself succeeded) or -EINVAL.
 */
int xsim_gnttab_copy(struct xsim *x, struct gnttab_copy *ops, unsigned count);

/* ------------------------------------------------------------------ */
/* Event channels (xen/event_channel.h semantics) */

/*
 * Ports belong to the attachment (process) that allocated or bound them,
 * as with /dev/xen/evtchn, and notifications wake that process only.
 * Ports a toolstack allocated for a domain before it ran are adopted by
 * the domain's first process. Port 0 is reserved, as in Xen.
 */

/** EVTCHNOP_alloc_unbound: a new port that @remote may bind. */
int xsim_evtchn_alloc_unbound(struct xsim *x, uint16_t remote, uint32_t *port);

/**
 * EVTCHNOP_bind_interdomain: connect to @remote's unbound @remote_port
 * (which must name us as its remote). As Xen, the new local port is left
 * pending so that no notification is lost. -ESRCH no domain, -EINVAL bad
 * or non-unbound remote port, -ENOSPC no free port.
 */
int xsim_evtchn_bind_interdomain(struct xsim *x, uint16_t remote,
				 uint32_t remote_port, uint32_t *port);

/**
 * EVTCHNOP_send: set the peer's port pending and, unless masked, wake the
 * process owning it. As Xen: 0 on an unbound port (notification dropped),
 * -EINVAL on a closed/free port or a port out of range.
 */
int xsim_evtchn_send(struct xsim *x, uint32_t port);

/**
 * EVTCHNOP_close: free @port; an interdomain peer's port becomes unbound
 * (remote = us), as in Xen. -EINVAL if not open.
 */
int xsim_evtchn_close(struct xsim *x, uint32_t port);

/** Set the mask bit of @port (events stay pending, no wake-up). */
int xsim_evtchn_mask(struct xsim *x, uint32_t port);
/** Clear the mask bit; if the port is pending, wake its owner (as Xen). */
int xsim_evtchn_unmask(struct xsim *x, uint32_t port);
/** Clear the pending bit of @port. */
int xsim_evtchn_clear(struct xsim *x, uint32_t port);

enum xsim_evtchn_state {
	XSIM_ECS_FREE = 0,	/* EVTCHNSTAT_closed */
	XSIM_ECS_RESERVED,	/* port 0 */
	XSIM_ECS_UNBOUND,	/* EVTCHNSTAT_unbound */
	XSIM_ECS_INTERDOMAIN,	/* EVTCHNSTAT_interdomain */
};

/** EVTCHNOP_status, for a port of any domain (dom0) or our own. */
struct xsim_evtchn_status {
	enum xsim_evtchn_state state;
	uint16_t remote_dom;	/* unbound: who may bind; interdomain: peer */
	uint32_t remote_port;	/* interdomain only */
	bool pending, masked;
};
int xsim_evtchn_status(struct xsim *x, uint16_t domid, uint32_t port,
		       struct xsim_evtchn_status *st);

/**
 * xsim_evtchn_fd() - a file descriptor that poll(2) reports readable when
 * a port owned by this process may have become pending. After it fires,
 * call xsim_evtchn_next_pending() until -EAGAIN. Do not read it yourself.
 */
int xsim_evtchn_fd(struct xsim *x);

/**
 * xsim_evtchn_next_pending() - take one pending, unmasked port owned by
 * this process and clear its pending bit. -EAGAIN if there is none.
 */
int xsim_evtchn_next_pending(struct xsim *x, uint32_t *port);

/**
 * xsim_evtchn_wait() - block until a port owned by this process is pending
 * and unmasked, or @timeout_ns passes (UINT64_MAX: forever). Does not
 * consume the event. Returns 0 or -ETIMEDOUT (or -EINTR).
 */
int xsim_evtchn_wait(struct xsim *x, uint64_t timeout_ns);

/**
 * xsim_evtchn_block() - for a dispatcher thread: sleep in one read(2) of
 * the wake-up descriptor until a wake-up comes, then let senders wake us
 * again. A port may or may not be pending after it: take them with
 * xsim_evtchn_next_pending(). A write of 1 to xsim_evtchn_fd() by this
 * process ends the sleep (to stop the thread). 0 or -errno.
 */
int xsim_evtchn_block(struct xsim *x);

/**
 * xsim_evtchn_rearm() - for an edge-triggered poller of xsim_evtchn_fd()
 * (EPOLLET), which never reads it: let senders wake us again. Call it after
 * each wake-up, before xsim_evtchn_next_pending().
 */
void xsim_evtchn_rearm(struct xsim *x);

/* ------------------------------------------------------------------ */
/* xenstore */

/**
 * xsim_xenstore_ring() - a guest's xenstore ring page (arena gfn
 * XSIM_XENSTORE_GFN) and its event channel, as Xen's HVM params
 * HVM_PARAM_STORE_PFN / HVM_PARAM_STORE_EVTCHN give them. NULL for dom0.
 */
struct xenstore_domain_interface *xsim_xenstore_ring(struct xsim *x,
						     uint32_t *port);

/**
 * xsim_xenstored_socket() - path of xenstored's unix socket, for dom0
 * tools: export XENSTORED_PATH=<this> to make libxenstore use it.
 */
const char *xsim_xenstored_socket(struct xsim *x);

/**
 * xsim_xenstore_map_ring() - dom0 only (xenstored): map domain @domid's
 * xenstore ring read-write, as xenstored maps GNTTAB_RESERVED_XENSTORE.
 * @port, if not NULL, receives the domain's xenstore port (the domU side:
 * bind it with xsim_evtchn_bind_interdomain()). Unmap with
 * xsim_gnttab_unmap(). NULL with *@status as xsim_gnttab_map().
 */
struct xenstore_domain_interface *xsim_xenstore_map_ring(struct xsim *x,
		uint16_t domid, uint32_t *port, int16_t *status);

/*
 * Freezing xenstored (fault injection) is xenstored's own business: the
 * CLI's `xensim fault xenstored-freeze MS` sends SIGUSR1 to the pid written
 * in <machine dir>/xenstored.pid with the milliseconds in the file
 * <machine dir>/xenstored.freeze; xenstored (H3) stops answering for that
 * long. xsim_fault_xenstored_freeze() does the same from C.
 */
int xsim_fault_xenstored_freeze(struct xsim *x, unsigned ms);

/* ------------------------------------------------------------------ */
/* Counters, for benchmarks and tests (per domain, monotonic) */

struct xsim_counters {
	uint64_t grant_maps;		/* successful maps by this domain */
	uint64_t grant_unmaps;
	uint64_t grant_map_failures;
	uint64_t grant_copies;		/* copy ops (segments) */
	uint64_t evtchn_sends;		/* sends from this domain */
	uint64_t evtchn_wakeups;	/* wake-ups written to its processes */
	uint64_t evtchn_dropped;	/* dropped by fault injection */
};
int xsim_counters(struct xsim *x, uint16_t domid, struct xsim_counters *c);

/* ------------------------------------------------------------------ */
/* Fault injection (dom0 only; also `xensim fault ...`) */

/** Per-domain fault plan; counts are decremented as faults fire. */
struct xsim_fault {
	uint32_t evt_port;		/* 0: every port of the domain */
	uint32_t evt_drop;		/* drop the next N sends from the domain */
	uint32_t evt_dup;		/* deliver the next N sends twice (the
					 * copy once the first was taken) */
	uint32_t evt_delay_us;		/* delay every send by this much (the
					 * sender sleeps before notifying) */
	uint32_t map_fail;		/* fail the next N maps by/of the domain */
	int16_t map_fail_status;	/* ... with this GNTST_* code */
	uint16_t grant_frames_cap;	/* 0: none; else grow beyond fails */
};

/** xsim_fault_set() - replace @domid's fault plan (zeroed: no faults). */
int xsim_fault_set(struct xsim *x, uint16_t domid, const struct xsim_fault *f);
/** xsim_fault_get() - read @domid's current fault plan. */
int xsim_fault_get(struct xsim *x, uint16_t domid, struct xsim_fault *f);

/* ------------------------------------------------------------------ */
/* Audit */

/**
 * xsim_audit() - print, per domain, live grant entries, maps (who maps
 * which ref, ro/rw) and open ports to @out (may be NULL), and check the
 * invariants: no map, port or pin refers to a dead or dying domain or a
 * dead process, and GTF_reading/GTF_writing match the live maps.
 * Returns the number of problems found (0: clean) or a negative errno.
 */
int xsim_audit(struct xsim *x, FILE *out);

#endif /* VSCMI_XENSIM_H */
