// SPDX-License-Identifier: MIT
/*
 * Grants on arm64: an entry platform. The grant table frames are put into
 * the guest's own physmap (XENMEM_add_to_physmap, XENMAPSPACE_grant_table)
 * at the gfns the device tree's hypervisor node reserves, and written
 * directly, as on xensim. Growing asks Xen for the next frames the same way
 * (up to GNTTABOP_query_size's maximum).
 */
#include "plat_arm64.h"

static long gnttab_arm64_query(struct xen_plat *p)
{
	struct gnttab_query_size q = { .dom = DOMID_SELF };
	long rc = vscmi_plat_hypercall3(__HYPERVISOR_grant_table_op,
					GNTTABOP_query_size, (unsigned long)&q, 1);

	if (rc || q.status != GNTST_okay)
		return rc ? rc : -EIO;
	p->max_frames = q.max_nr_frames;
	return 0;
}

/* Map table frames [p->nr_frames, @frames) into the physmap. */
static int gnttab_arm64_map(struct xen_plat *p, unsigned frames)
{
	while (p->nr_frames < frames) {
		struct xen_add_to_physmap xatp = {
			.domid = DOMID_SELF,
			.space = XENMAPSPACE_grant_table,
			.idx = p->nr_frames,
			.gpfn = p->table_gfn + p->nr_frames,
		};
		long rc = vscmi_plat_hypercall2(__HYPERVISOR_memory_op,
						XENMEM_add_to_physmap,
						(unsigned long)&xatp);

		if (rc)
			return (int)rc;
		p->nr_frames++;
	}
	return 0;
}

void *xen_plat_gnt_alloc_pages(struct xen_plat *p, size_t npages)
{
	return vscmi_plat_alloc_pages(npages);
}

void xen_plat_gnt_free_pages(struct xen_plat *p, void *va, size_t npages)
{
	vscmi_plat_free_pages(va, npages);
}

int xen_plat_gnt_table(struct xen_plat *p, grant_entry_v1_t **table,
		       uint32_t *nr_entries)
{
	unsigned region = 0;
	int ret;

	if (!p->table) {
		ret = vscmi_plat_gnttab_region(&p->table_gfn, &region);
		if (ret)
			return ret;
		ret = (int)gnttab_arm64_query(p);
		if (ret)
			return ret;
		if (region < p->max_frames)
			p->max_frames = region;
		ret = gnttab_arm64_map(p, 1);
		if (ret)
			return ret;
		p->table = vscmi_plat_gfn_to_va(p->table_gfn);
		if (!p->table)
			return -ENOMEM;
	}
	*table = p->table;
	*nr_entries = p->nr_frames * (uint32_t)(OS_PAGE_SIZE / sizeof(grant_entry_v1_t));
	return 0;
}

int xen_plat_gnt_grow(struct xen_plat *p, uint32_t nr_entries,
		      uint32_t *new_nr_entries)
{
	const uint32_t per = (uint32_t)(OS_PAGE_SIZE / sizeof(grant_entry_v1_t));
	unsigned frames = (unsigned)OS_DIV_ROUND_UP(nr_entries, per);
	int ret;

	if (frames > p->max_frames)
		frames = p->max_frames;
	ret = gnttab_arm64_map(p, frames);
	*new_nr_entries = p->nr_frames * per;
	return ret;
}

int xen_plat_gnt_frame(struct xen_plat *p, const void *va, uint32_t *frame)
{
	uint64_t gfn = vscmi_plat_va_to_gfn(va);

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
