// SPDX-License-Identifier: MIT
/*
 * Grants on xensim: an entry platform. The table is this domain's v1 grant
 * table shared with the simulated hypervisor, written directly, as an arm64
 * guest writes the table frames it put in its own physmap. Only arena
 * pages can be granted (xsim_alloc_pages()).
 */
#include "plat_sim.h"

void *xen_plat_gnt_alloc_pages(struct xen_plat *p, size_t npages)
{
	return xsim_alloc_pages(p->x, (unsigned)npages);
}

void xen_plat_gnt_free_pages(struct xen_plat *p, void *va, size_t npages)
{
	xsim_free_pages(p->x, va, (unsigned)npages);
}

int xen_plat_gnt_table(struct xen_plat *p, grant_entry_v1_t **table,
		       uint32_t *nr_entries)
{
	unsigned nr = 0;

	*table = xsim_gnttab_table(p->x, &nr);
	*nr_entries = nr;
	return *table ? 0 : -ENODEV;
}

int xen_plat_gnt_grow(struct xen_plat *p, uint32_t nr_entries,
		      uint32_t *new_nr_entries)
{
	unsigned frames = (unsigned)OS_DIV_ROUND_UP(nr_entries, XSIM_ENTRIES_PER_FRAME);
	unsigned cur = 0, max = 0;
	int ret;

	ret = xsim_gnttab_query_size(p->x, &cur, &max);
	if (ret)
		return ret;
	if (frames > max)
		frames = max;
	if (frames > cur) {
		ret = xsim_gnttab_grow(p->x, frames, NULL);
		if (ret)
			return ret;
		cur = frames;
	}
	*new_nr_entries = cur * (uint32_t)XSIM_ENTRIES_PER_FRAME;
	return 0;
}

int xen_plat_gnt_frame(struct xen_plat *p, const void *va, uint32_t *frame)
{
	uint64_t gfn;
	int ret = xsim_va_to_gfn(p->x, va, &gfn);

	if (ret)
		return ret;
	if (gfn > UINT32_MAX)
		return -ERANGE;
	*frame = (uint32_t)gfn;
	return 0;
}

int xen_plat_gnt_share(struct xen_plat *p, uint16_t domid, size_t npages,
		       bool writable, void **va, uint32_t *refs)
{
	return -EOPNOTSUPP;
}

int xen_plat_gnt_unshare(struct xen_plat *p, void *va, size_t npages)
{
	return -EOPNOTSUPP;
}
