// SPDX-License-Identifier: MIT
/*
 * Grants on a Linux domU's userspace: the share platform. /dev/xen/gntalloc
 * (xengntshr) allocates pages and grant references together and gives us
 * no access to grant entries: sharing is granting, unsharing is ending
 * access. Unlike the entry platforms, the kernel itself defers the end of
 * a reference the back-end still maps (gntalloc keeps it until the
 * back-end unmaps), so the page is never reused while mapped, but we cannot
 * see or count that quarantine. References are not consecutive, which is
 * why nothing in the protocol relies on consecutive references.
 */
#include "plat_linux.h"

void *xen_plat_gnt_alloc_pages(struct xen_plat *p, size_t npages)
{
	return NULL;
}

void xen_plat_gnt_free_pages(struct xen_plat *p, void *va, size_t npages)
{
}

int xen_plat_gnt_table(struct xen_plat *p, grant_entry_v1_t **table,
		       uint32_t *nr_entries)
{
	return -EOPNOTSUPP;
}

int xen_plat_gnt_grow(struct xen_plat *p, uint32_t nr_entries,
		      uint32_t *new_nr_entries)
{
	return -EOPNOTSUPP;
}

int xen_plat_gnt_frame(struct xen_plat *p, const void *va, uint32_t *frame)
{
	return -EOPNOTSUPP;
}

int xen_plat_gnt_share(struct xen_plat *p, uint16_t domid, size_t npages,
		       bool writable, void **va, uint32_t *refs)
{
	void *m = xengntshr_share_pages(p->xgs, domid, (int)npages, refs, writable);

	if (!m) {
		int ret = -errno;

		os_err("linux: gntalloc cannot share %zu page(s) with dom%u: %s",
		       npages, domid, strerror(-ret));
		return ret ? ret : -ENOMEM;
	}
	*va = m;
	return 0;
}

int xen_plat_gnt_unshare(struct xen_plat *p, void *va, size_t npages)
{
	return xengntshr_unshare(p->xgs, va, (int)npages) ? -errno : 0;
}
