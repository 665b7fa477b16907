// SPDX-License-Identifier: GPL-2.0-only
/*
 * virtio-pv front-end for Linux: DMA through Xen grants.
 *
 * The virtio ring code maps every buffer with the DMA API of the virtio
 * device's parent, our xenbus device. These ops grant the page to the
 * back-end domain and hand out the grant-DMA address
 * (1 << 63) | (gref << 12) | offset that docs/virtio-pv.md section 1 and
 * Linux's xen-grant-dma use, so the back-end can reach only what is in
 * flight:
 *
 *  - coherent allocations (the rings): whole pages, consecutive grant
 *    references (the ring code adds offsets to the base address), granted
 *    writable; access ends when the ring is freed;
 *  - streaming maps (request, response and event buffers): with
 *    persistent grants (the default) bounced through pages granted once
 *    (virtio_pv_pool.c); otherwise one grant per mapping, read-only for
 *    DMA_TO_DEVICE, ended at unmap, and the mapping must stay inside one
 *    page: the protocol gives each descriptor one grant.
 *
 * A grant the back-end still maps when access should end is handed to the
 * grant table's deferred list with a reference on its page, so the page
 * is never reused while mapped; the device is then marked broken, as
 * Linux's own grant DMA does. Every streaming grant is also recorded in
 * front->grants, so that a device reset ends access to buffers the driver
 * left in the rings (virtio drivers do not unmap those on removal).
 */
#include <linux/dma-map-ops.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/scatterlist.h>
#include <xen/grant_table.h>
#include <xen/page.h>

#include "virtio_pv.h"

static inline dma_addr_t vpv_grant_to_dma(grant_ref_t ref, unsigned long offset)
{
	return VPV_DMA_GRANT_BIT | ((u64)ref << XEN_PAGE_SHIFT) | offset;
}

static inline grant_ref_t vpv_dma_to_grant(dma_addr_t dma)
{
	return (grant_ref_t)((dma & ~VPV_DMA_GRANT_BIT) >> XEN_PAGE_SHIFT);
}

static struct vpv_front *vpv_dma_front(struct device *dev)
{
	return dev_get_drvdata(dev);
}

static void vpv_dma_break(struct vpv_front *front, grant_ref_t ref)
{
	dev_err_ratelimited(&front->xbdev->dev,
			    "grant %u still mapped by the back-end: device broken\n", ref);
	schedule_work(&front->break_work);
}

/*
 * End access to @ref; a grant still mapped is deferred with its page. A
 * buffer (@buffer) the back-end still maps after returning it is a
 * protocol violation: the device is broken. A ring page still mapped only
 * means the back-end has not let go yet: the page waits for it.
 */
static void vpv_end_grant(struct vpv_front *front, grant_ref_t ref, struct page *page,
			  bool buffer)
{
	if (gnttab_try_end_foreign_access(ref)) {
		if (page)
			put_page(page);
		return;
	}
	if (buffer)
		vpv_dma_break(front, ref);
	else
		dev_warn_ratelimited(&front->xbdev->dev,
				     "ring grant %u still mapped by the back-end: page kept until released\n",
				     ref);
	/* Keeps (or takes, with page == NULL) a page reference until released. */
	gnttab_end_foreign_access(ref, page);
}

static void *vpv_dma_alloc(struct device *dev, size_t size, dma_addr_t *dma_handle,
			   gfp_t gfp, unsigned long attrs)
{
	struct vpv_front *front = vpv_dma_front(dev);
	unsigned int i, n = PFN_UP(size);
	grant_ref_t first;
	void *va;

	if (!front || !n)
		return NULL;
	/* Split pages: each can be freed (or deferred) on its own. */
	va = alloc_pages_exact(n << PAGE_SHIFT,
			       (gfp & ~(__GFP_HIGHMEM | __GFP_COMP)) | __GFP_ZERO);
	if (!va)
		return NULL;
	if (gnttab_alloc_grant_reference_seq(n, &first)) {
		free_pages_exact(va, n << PAGE_SHIFT);
		return NULL;
	}
	for (i = 0; i < n; i++)
		gnttab_grant_foreign_access_ref(first + i, front->be_domid,
						xen_page_to_gfn(virt_to_page(va + i * PAGE_SIZE)),
						0);
	*dma_handle = vpv_grant_to_dma(first, 0);
	return va;
}

static void vpv_dma_free(struct device *dev, size_t size, void *va,
			 dma_addr_t dma_handle, unsigned long attrs)
{
	struct vpv_front *front = vpv_dma_front(dev);
	unsigned int i, n = PFN_UP(size);
	grant_ref_t first = vpv_dma_to_grant(dma_handle);

	if (WARN_ON(!front || !(dma_handle & VPV_DMA_GRANT_BIT)))
		return;	/* not ours: leak rather than free a granted page */
	for (i = 0; i < n; i++)
		vpv_end_grant(front, first + i, virt_to_page(va + i * PAGE_SIZE), false);
}

static dma_addr_t vpv_dma_map_page(struct device *dev, struct page *page,
				   unsigned long offset, size_t size,
				   enum dma_data_direction dir, unsigned long attrs)
{
	struct vpv_front *front = vpv_dma_front(dev);
	unsigned long flags;
	int ref, ret;

	if (!front || dir == DMA_NONE)
		return DMA_MAPPING_ERROR;
	if (front->pool)
		return vpv_pool_map(front->pool, page_address(page) + offset, size, dir);
	page += offset >> PAGE_SHIFT;
	offset &= ~PAGE_MASK;
	if (!size || offset + size > PAGE_SIZE) {
		dev_warn_ratelimited(dev, "DMA buffer of %zu bytes at offset %lu crosses a page\n",
				     size, offset);
		return DMA_MAPPING_ERROR;
	}
	ref = gnttab_grant_foreign_access(front->be_domid, xen_page_to_gfn(page),
					  dir == DMA_TO_DEVICE);
	if (ref < 0)
		return DMA_MAPPING_ERROR;
	xa_lock_irqsave(&front->grants, flags);
	ret = xa_err(__xa_store(&front->grants, ref, xa_mk_value(1), GFP_ATOMIC));
	xa_unlock_irqrestore(&front->grants, flags);
	if (ret) {
		/* Not yet visible to the back-end: ending access cannot fail. */
		vpv_end_grant(front, ref, NULL, true);
		return DMA_MAPPING_ERROR;
	}
	return vpv_grant_to_dma(ref, offset);
}

static void vpv_dma_unmap_page(struct device *dev, dma_addr_t dma, size_t size,
			       enum dma_data_direction dir, unsigned long attrs)
{
	struct vpv_front *front = vpv_dma_front(dev);
	grant_ref_t ref = vpv_dma_to_grant(dma);
	unsigned long flags;
	void *was;

	if (!front || !(dma & VPV_DMA_GRANT_BIT))
		return;
	if (front->pool && vpv_pool_unmap(front->pool, dma, dir))
		return;
	xa_lock_irqsave(&front->grants, flags);
	was = __xa_erase(&front->grants, ref);
	xa_unlock_irqrestore(&front->grants, flags);
	if (!was) {
		/* Already ended by a device reset, or never ours. */
		return;
	}
	vpv_end_grant(front, ref, NULL, true);
}

static int vpv_dma_map_sg(struct device *dev, struct scatterlist *sgl, int nents,
			  enum dma_data_direction dir, unsigned long attrs)
{
	struct scatterlist *sg;
	int i;

	for_each_sg(sgl, sg, nents, i) {
		sg->dma_address = vpv_dma_map_page(dev, sg_page(sg), sg->offset,
						   sg->length, dir, attrs);
		if (sg->dma_address == DMA_MAPPING_ERROR)
			goto out_unmap;
		sg_dma_len(sg) = sg->length;
	}
	return nents;

out_unmap:
	{
		struct scatterlist *s;
		int j;

		for_each_sg(sgl, s, i, j)
			vpv_dma_unmap_page(dev, s->dma_address, sg_dma_len(s), dir, attrs);
	}
	return -EIO;
}

static void vpv_dma_unmap_sg(struct device *dev, struct scatterlist *sgl, int nents,
			     enum dma_data_direction dir, unsigned long attrs)
{
	struct scatterlist *sg;
	int i;

	for_each_sg(sgl, sg, nents, i)
		vpv_dma_unmap_page(dev, sg->dma_address, sg_dma_len(sg), dir, attrs);
}

static int vpv_dma_supported(struct device *dev, u64 mask)
{
	return mask == DMA_BIT_MASK(64);
}

static size_t vpv_dma_max_mapping_size(struct device *dev)
{
	return PAGE_SIZE;
}

/** DMA ops installed on the xenbus device, the virtio device's parent. */
const struct dma_map_ops vpv_dma_ops = {
	.alloc = vpv_dma_alloc,
	.free = vpv_dma_free,
	.map_page = vpv_dma_map_page,
	.unmap_page = vpv_dma_unmap_page,
	.map_sg = vpv_dma_map_sg,
	.unmap_sg = vpv_dma_unmap_sg,
	.dma_supported = vpv_dma_supported,
	.max_mapping_size = vpv_dma_max_mapping_size,
};

/**
 * vpv_dma_revoke_all() - end access to every streaming grant still
 * outstanding (buffers a removed driver left in its queues).
 * @front: the device
 *
 * Called after the queues are deleted, so nothing maps or unmaps
 * concurrently.
 */
void vpv_dma_revoke_all(struct vpv_front *front)
{
	unsigned long ref, flags;
	unsigned int n = 0;
	void *entry;

	xa_lock_irqsave(&front->grants, flags);
	xa_for_each(&front->grants, ref, entry) {
		__xa_erase(&front->grants, ref);
		xa_unlock_irqrestore(&front->grants, flags);
		/* Left in a queue: the back-end may not have returned it yet. */
		vpv_end_grant(front, ref, NULL, false);
		n++;
		xa_lock_irqsave(&front->grants, flags);
	}
	xa_unlock_irqrestore(&front->grants, flags);
	if (n)
		dev_dbg(&front->xbdev->dev, "ended %u grants left in the queues\n", n);
	vpv_pool_reset(front->pool);
}
