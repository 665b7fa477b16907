// SPDX-License-Identifier: MIT
/*
 * Grant tables, granting side (the portable part).
 *
 * Theory of operation: on entry platforms the guest owns its v1 grant
 * table. A reference is granted by writing frame and domid, then (after a
 * write barrier) the flags; the hypervisor checks those on every map and
 * sets GTF_reading/GTF_writing while the entry is mapped. Access ends with
 * one atomic compare-and-exchange of the flags to zero that fails while
 * either bit is set: a reference still mapped by the back-end is neither
 * reused nor its page freed; it sits in the quarantine list, and a deferred
 * work item (also poked by every later end) retries until the back-end lets
 * go. The reference allocator is a bitmap over the table, grown with
 * xen_plat_gnt_grow() on demand; refs below GNTTAB_NR_RESERVED_ENTRIES are
 * the toolstack's and never handed out.
 */
#include "gnttab.h"
#include "xen_plat.h"

/* Largest table we grow to: 64 frames of 512 v1 entries. */
#define GNTTAB_MAX_ENTRIES (64u * (OS_PAGE_SIZE / sizeof(grant_entry_v1_t)))
#define GNTTAB_BITS 64u

struct gnttab_quarantine {
	struct gnttab_quarantine *next;
	grant_ref_t ref;
	void *pages;			/* to free once ended, or NULL */
	size_t npages;
};

struct gnttab {
	struct xen_plat *plat;
	unsigned opens;			/* protected by lock */
	grant_entry_v1_t *table;	/* NULL on share platforms */

	/* Protects nr_entries, used[], the quarantine and stats. */
	os_spinlock_t lock;
	uint32_t nr_entries;
	uint64_t used[GNTTAB_MAX_ENTRIES / GNTTAB_BITS];
	bool exhausted_logged;
	struct gnttab_quarantine *quarantine;
	struct gnttab_stats st;

	struct os_work retry_work;
};

static bool ref_used(const struct gnttab *gt, uint32_t ref)
{
	return gt->used[ref / GNTTAB_BITS] & (1ull << (ref % GNTTAB_BITS));
}

static void ref_set(struct gnttab *gt, uint32_t ref, bool on)
{
	if (on)
		gt->used[ref / GNTTAB_BITS] |= 1ull << (ref % GNTTAB_BITS);
	else
		gt->used[ref / GNTTAB_BITS] &= ~(1ull << (ref % GNTTAB_BITS));
}

static void gnttab_retry_work(struct os_work *w);

int gnttab_open(struct xen_plat *plat, struct gnttab **out)
{
	struct gnttab **slot = xen_plat_gnttab_slot(plat);
	struct gnttab *gt = *slot;
	int ret;

	if (gt) {
		os_spin_lock(&gt->lock);
		gt->opens++;
		os_spin_unlock(&gt->lock);
		*out = gt;
		return 0;
	}
	gt = os_zalloc(sizeof(*gt));
	if (!gt)
		return -ENOMEM;
	gt->plat = plat;
	gt->opens = 1;
	os_spin_init(&gt->lock);
	os_work_init(&gt->retry_work, gnttab_retry_work);
	ret = xen_plat_gnt_table(plat, &gt->table, &gt->nr_entries);
	if (ret == -EOPNOTSUPP) {
		gt->table = NULL;
		gt->nr_entries = 0;
	} else if (ret) {
		os_free(gt);
		return ret;
	}
	if (gt->nr_entries > GNTTAB_MAX_ENTRIES)
		gt->nr_entries = GNTTAB_MAX_ENTRIES;
	/* The toolstack's references (xenstore, console) are never ours. */
	for (uint32_t r = 0; r < GNTTAB_NR_RESERVED_ENTRIES; r++)
		ref_set(gt, r, true);
	*slot = gt;
	*out = gt;
	return 0;
}

void gnttab_close(struct gnttab *gt)
{
	unsigned left;
	bool last;

	if (!gt)
		return;
	os_spin_lock(&gt->lock);
	last = --gt->opens == 0;
	os_spin_unlock(&gt->lock);
	if (!last)
		return;
	os_work_cancel_sync(&gt->retry_work);
	left = gnttab_quarantine_retry(gt);
	if (left) {
		/* Their pages stay allocated: the back-end may still use them. */
		os_warn("gnttab: %u grant reference(s) still mapped by a back-end "
			"at close; their pages are leaked, not reused", left);
		while (gt->quarantine) {
			struct gnttab_quarantine *q = gt->quarantine;

			gt->quarantine = q->next;
			os_free(q);
		}
	}
	*xen_plat_gnttab_slot(gt->plat) = NULL;
	os_free(gt);
}

bool gnttab_has_entries(struct gnttab *gt)
{
	return gt->table != NULL;
}

void gnttab_get_stats(struct gnttab *gt, struct gnttab_stats *st)
{
	os_spin_lock(&gt->lock);
	*st = gt->st;
	os_spin_unlock(&gt->lock);
}

void *gnttab_alloc_pages(struct gnttab *gt, size_t npages)
{
	return gt->table ? xen_plat_gnt_alloc_pages(gt->plat, npages) : NULL;
}

void gnttab_free_pages(struct gnttab *gt, void *va, size_t npages)
{
	if (va)
		xen_plat_gnt_free_pages(gt->plat, va, npages);
}

/* First run of @count free refs in [0, nr), or UINT32_MAX. Lock held. */
static uint32_t gnttab_find_run(struct gnttab *gt, unsigned count)
{
	uint32_t run = 0;

	for (uint32_t r = 0; r < gt->nr_entries; r++) {
		if (!(r % GNTTAB_BITS) && gt->used[r / GNTTAB_BITS] == UINT64_MAX) {
			run = 0;
			r += GNTTAB_BITS - 1;
			continue;
		}
		run = ref_used(gt, r) ? 0 : run + 1;
		if (run == count)
			return r + 1 - count;
	}
	return UINT32_MAX;
}

int gnttab_alloc_refs(struct gnttab *gt, unsigned count, grant_ref_t *first)
{
	uint32_t start;

	if (!gt->table)
		return -EOPNOTSUPP;
	if (!count || count > GNTTAB_MAX_ENTRIES)
		return -EINVAL;
	os_spin_lock(&gt->lock);
	start = gnttab_find_run(gt, count);
	while (start == UINT32_MAX && gt->nr_entries < GNTTAB_MAX_ENTRIES) {
		uint32_t grown = 0;
		uint32_t want = OS_MIN(gt->nr_entries * 2, GNTTAB_MAX_ENTRIES);

		/* Growing is a hypercall: not under a spinlock on real Xen,
		 * but cheap and non-blocking on every platform we have. */
		if (xen_plat_gnt_grow(gt->plat, want, &grown) || grown <= gt->nr_entries)
			break;
		gt->nr_entries = OS_MIN(grown, GNTTAB_MAX_ENTRIES);
		start = gnttab_find_run(gt, count);
	}
	if (start == UINT32_MAX) {
		bool log = !gt->exhausted_logged;

		gt->exhausted_logged = true;
		os_spin_unlock(&gt->lock);
		if (log)
			os_err("gnttab: out of grant references (%u in use of %u, "
			       "%u wanted consecutively, %llu in quarantine)",
			       (unsigned)gt->st.refs_in_use, (unsigned)gt->nr_entries,
			       count, (unsigned long long)gt->st.quarantined);
		return -ENOSPC;
	}
	for (uint32_t r = start; r < start + count; r++)
		ref_set(gt, r, true);
	gt->st.refs_in_use += count;
	os_spin_unlock(&gt->lock);
	*first = start;
	return 0;
}

void gnttab_free_refs(struct gnttab *gt, grant_ref_t first, unsigned count)
{
	os_spin_lock(&gt->lock);
	for (uint32_t r = first; r < first + count && r < gt->nr_entries; r++) {
		if (r < GNTTAB_NR_RESERVED_ENTRIES || !ref_used(gt, r))
			continue;
		ref_set(gt, r, false);
		gt->st.refs_in_use--;
	}
	gt->exhausted_logged = false;
	os_spin_unlock(&gt->lock);
}

int gnttab_grant_access(struct gnttab *gt, grant_ref_t ref, uint16_t domid,
			const void *page, bool readonly)
{
	grant_entry_v1_t *e;
	uint32_t frame;
	int ret;

	if (!gt->table)
		return -EOPNOTSUPP;
	if (ref >= gt->nr_entries || ref < GNTTAB_NR_RESERVED_ENTRIES)
		return -EINVAL;
	ret = xen_plat_gnt_frame(gt->plat, page, &frame);
	if (ret)
		return ret;
	e = &gt->table[ref];
	OS_WRITE_ONCE(e->frame, frame);
	OS_WRITE_ONCE(e->domid, domid);
	/* The hypervisor sees frame and domid before the flags that let a map in. */
	os_wmb();
	__atomic_store_n(&e->flags,
			 (uint16_t)(GTF_permit_access | (readonly ? GTF_readonly : 0)),
			 __ATOMIC_RELEASE);
	os_spin_lock(&gt->lock);
	gt->st.grants++;
	os_spin_unlock(&gt->lock);
	return 0;
}

int gnttab_end_access(struct gnttab *gt, grant_ref_t ref)
{
	grant_entry_v1_t *e;
	uint16_t flags;

	if (!gt->table)
		return -EOPNOTSUPP;
	if (ref >= gt->nr_entries)
		return -EINVAL;
	e = &gt->table[ref];
	flags = __atomic_load_n(&e->flags, __ATOMIC_ACQUIRE);
	do {
		if (flags & (GTF_reading | GTF_writing)) {
			os_spin_lock(&gt->lock);
			gt->st.end_busy++;
			os_spin_unlock(&gt->lock);
			return -EBUSY;
		}
		/* Fails, reloading flags, if the hypervisor set a bit meanwhile. */
	} while (!__atomic_compare_exchange_n(&e->flags, &flags, 0, false,
					      __ATOMIC_SEQ_CST, __ATOMIC_ACQUIRE));
	os_spin_lock(&gt->lock);
	gt->st.ends++;
	os_spin_unlock(&gt->lock);
	return 0;
}

int gnttab_grant_page(struct gnttab *gt, uint16_t domid, const void *page,
		      bool readonly, grant_ref_t *ref)
{
	int ret = gnttab_alloc_refs(gt, 1, ref);

	if (ret)
		return ret;
	ret = gnttab_grant_access(gt, *ref, domid, page, readonly);
	if (ret)
		gnttab_free_refs(gt, *ref, 1);
	return ret;
}

int gnttab_end_page(struct gnttab *gt, grant_ref_t ref, void *pages,
		    size_t npages)
{
	struct gnttab_quarantine *q;

	if (!gnttab_end_access(gt, ref)) {
		gnttab_free_refs(gt, ref, 1);
		gnttab_free_pages(gt, pages, npages);
		return 0;
	}
	q = os_zalloc(sizeof(*q));
	if (!q) {
		/* Cannot even remember it: leak the ref and the page, safely. */
		os_err("gnttab: out of memory quarantining ref %u; leaking it", ref);
		return -EBUSY;
	}
	q->ref = ref;
	q->pages = pages;
	q->npages = npages;
	os_spin_lock(&gt->lock);
	q->next = gt->quarantine;
	gt->quarantine = q;
	gt->st.quarantined++;
	os_spin_unlock(&gt->lock);
	os_warn("gnttab: ref %u is still mapped by its back-end; quarantined "
		"(not reused) until it lets go", ref);
	os_work_queue(&gt->retry_work);
	return -EBUSY;
}

unsigned gnttab_quarantine_retry(struct gnttab *gt)
{
	struct gnttab_quarantine *list, *q, *keep = NULL;
	unsigned left = 0;

	os_spin_lock(&gt->lock);
	list = gt->quarantine;
	gt->quarantine = NULL;
	os_spin_unlock(&gt->lock);

	while ((q = list)) {
		list = q->next;
		if (gnttab_end_access(gt, q->ref)) {
			q->next = keep;
			keep = q;
			left++;
			continue;
		}
		os_info("gnttab: quarantined ref %u released", q->ref);
		gnttab_free_refs(gt, q->ref, 1);
		gnttab_free_pages(gt, q->pages, q->npages);
		os_spin_lock(&gt->lock);
		gt->st.quarantined--;
		os_spin_unlock(&gt->lock);
		os_free(q);
	}
	if (keep) {
		os_spin_lock(&gt->lock);
		for (q = keep; q->next; q = q->next)
			;
		q->next = gt->quarantine;
		gt->quarantine = keep;
		os_spin_unlock(&gt->lock);
	}
	return left;
}

bool gnttab_in_quarantine(struct gnttab *gt, grant_ref_t ref)
{
	bool found = false;

	os_spin_lock(&gt->lock);
	for (struct gnttab_quarantine *q = gt->quarantine; q && !found; q = q->next)
		found = q->ref == ref;
	os_spin_unlock(&gt->lock);
	return found;
}

/*
 * Deferred retry. While something stays mapped it runs again after a short
 * pause (hosted) or at the next poll (freestanding), so a back-end that
 * unmaps late is noticed without anybody asking.
 */
static void gnttab_retry_work(struct os_work *w)
{
	struct gnttab *gt = os_container_of(w, struct gnttab, retry_work);

	if (!gnttab_quarantine_retry(gt))
		return;
#if __STDC_HOSTED__
	os_sleep_ns(2 * OS_NSEC_PER_MSEC);
#endif
	os_work_queue(&gt->retry_work);
}

int gnttab_share(struct gnttab *gt, uint16_t domid, size_t npages,
		 bool writable, void **va, uint32_t *refs)
{
	int ret = xen_plat_gnt_share(gt->plat, domid, npages, writable, va, refs);

	if (!ret) {
		os_spin_lock(&gt->lock);
		gt->st.grants += npages;
		gt->st.refs_in_use += npages;
		os_spin_unlock(&gt->lock);
	}
	return ret;
}

int gnttab_unshare(struct gnttab *gt, void *va, size_t npages)
{
	int ret = xen_plat_gnt_unshare(gt->plat, va, npages);

	if (!ret) {
		os_spin_lock(&gt->lock);
		gt->st.ends += npages;
		gt->st.refs_in_use -= npages;
		os_spin_unlock(&gt->lock);
	}
	return ret;
}
