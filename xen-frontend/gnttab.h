/* SPDX-License-Identifier: MIT */
/*
 * Grant tables, granting side: reference allocation, granting pages to
 * another domain and ending access with Xen's v1 protocol, with a
 * quarantine for references the other side still maps.
 *
 * Two models (see xen_plat.h): on entry platforms (sim, arm64) every call
 * below works; on the share platform (linux) only gnttab_share() /
 * gnttab_unshare() do, the rest return -EOPNOTSUPP (gnttab_has_entries()
 * tells which).
 *
 * All functions are thread-safe.
 */
#ifndef VSCMI_GNTTAB_H
#define VSCMI_GNTTAB_H

#include <vscmi/os.h>

#include <xen/xen.h>
#include <xen/grant_table.h>

struct xen_plat;
struct gnttab;

/** Counters: every grant operation is one entry write or one end attempt. */
struct gnttab_stats {
	uint64_t grants;		/* entries written (or pages shared) */
	uint64_t ends;			/* accesses ended (or pages unshared) */
	uint64_t end_busy;		/* end attempts refused: still mapped */
	uint64_t quarantined;		/* references in quarantine now */
	uint64_t refs_in_use;		/* allocated references now */
};

/** The platform's grant table (one per platform handle, refcounted). */
int gnttab_open(struct xen_plat *plat, struct gnttab **out);
void gnttab_close(struct gnttab *gt);
bool gnttab_has_entries(struct gnttab *gt);
void gnttab_get_stats(struct gnttab *gt, struct gnttab_stats *st);

/* ---- grantable memory ---- */
void *gnttab_alloc_pages(struct gnttab *gt, size_t npages);
void gnttab_free_pages(struct gnttab *gt, void *va, size_t npages);

/* ---- references ---- */
/**
 * @count consecutive free references, the first in *@first. -ENOSPC (with
 * one log line) when the table cannot grow any further.
 */
int gnttab_alloc_refs(struct gnttab *gt, unsigned count, grant_ref_t *first);
/** Give back references whose access ended (or never started). */
void gnttab_free_refs(struct gnttab *gt, grant_ref_t first, unsigned count);

/** Let @domid map the page at @page (read-only or writable) through @ref. */
int gnttab_grant_access(struct gnttab *gt, grant_ref_t ref, uint16_t domid,
			const void *page, bool readonly);
/**
 * Ending access, v1 protocol: clear the entry unless GTF_reading or
 * GTF_writing is set. 0 ended; -EBUSY still mapped (nothing changed).
 */
int gnttab_end_access(struct gnttab *gt, grant_ref_t ref);

/** Allocate a reference and grant @page through it. */
int gnttab_grant_page(struct gnttab *gt, uint16_t domid, const void *page,
		      bool readonly, grant_ref_t *ref);
/**
 * End access to @ref and free it; if the other side still maps it, the
 * reference goes to quarantine, together with @pages (@npages pages of
 * grantable memory to free once it ended, or NULL), and a deferred retry
 * ends it later. Never blocks. Returns 0 if ended now, -EBUSY if
 * quarantined.
 */
int gnttab_end_page(struct gnttab *gt, grant_ref_t ref, void *pages,
		    size_t npages);
/** Retry the quarantine now; returns how many references remain in it. */
unsigned gnttab_quarantine_retry(struct gnttab *gt);
/** Is @ref waiting in quarantine? */
bool gnttab_in_quarantine(struct gnttab *gt, grant_ref_t ref);

/* ---- share platforms (linux gntalloc) ---- */
int gnttab_share(struct gnttab *gt, uint16_t domid, size_t npages,
		 bool writable, void **va, uint32_t *refs);
int gnttab_unshare(struct gnttab *gt, void *va, size_t npages);

#endif /* VSCMI_GNTTAB_H */
