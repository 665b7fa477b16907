// SPDX-License-Identifier: GPL-2.0-only
/*
 * virtio-pv front-end for Linux: persistent grants (a bounce pool).
 *
 * With persistent grants (module parameter persistent_grants, the
 * default), buffers are not granted one by one: a pool of pages is granted
 * to the back-end once, when the device is probed, and every streaming
 * mapping takes slots of 256 bytes inside one pool page; data the device
 * reads is copied in at map time, data it writes is copied out at unmap.
 * The device is told `persistent-grants = 1`, so the back-end maps each
 * pool page once and keeps it until it disconnects: zero grant operations
 * per message on either side, and the driver's own memory is never shared
 * (a late write by the back-end cannot reach a buffer already returned).
 * The pool's grants end when the device is detached, after the back-end
 * closed; one still mapped is deferred with its page.
 */
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <xen/grant_table.h>
#include <xen/page.h>

#include "virtio_pv.h"

#define VPV_POOL_SLOT		256
#define VPV_POOL_SLOTS		(PAGE_SIZE / VPV_POOL_SLOT)	/* per page: 16 */

/** Where a slot's data goes back at unmap. */
struct vpv_pool_slot {
	void *orig;		/**< driver's buffer (linear map address) */
	u32 len;		/**< bytes mapped; 0: not the first slot of a mapping */
};

/** The bounce pool of one device. */
struct vpv_pool {
	struct vpv_front *front;
	void *va;			/**< npages pages, virtually contiguous */
	unsigned int npages;
	grant_ref_t first;		/**< consecutive references, one per page */
	spinlock_t lock;		/**< protects used[] and slot[] */
	u16 *used;			/**< per page: one bit per slot */
	struct vpv_pool_slot *slot;	/**< npages * VPV_POOL_SLOTS */
};

/**
 * vpv_pool_create() - allocate @npages pages and grant them (writable) to
 * the back-end domain.
 * @front: the device
 * @npages: pool size
 *
 * Return: the pool or NULL.
 */
struct vpv_pool *vpv_pool_create(struct vpv_front *front, unsigned int npages)
{
	struct vpv_pool *pool = kzalloc(sizeof(*pool), GFP_KERNEL);
	unsigned int i;

	BUILD_BUG_ON(VPV_POOL_SLOTS > 16);
	if (!pool)
		return NULL;
	pool->front = front;
	pool->npages = npages;
	spin_lock_init(&pool->lock);
	pool->used = kcalloc(npages, sizeof(*pool->used), GFP_KERNEL);
	pool->slot = kcalloc(npages * VPV_POOL_SLOTS, sizeof(*pool->slot), GFP_KERNEL);
	pool->va = alloc_pages_exact(npages << PAGE_SHIFT, GFP_KERNEL | __GFP_ZERO);
	if (!pool->used || !pool->slot || !pool->va)
		goto out_free;
	if (gnttab_alloc_grant_reference_seq(npages, &pool->first))
		goto out_free;
	for (i = 0; i < npages; i++)
		gnttab_grant_foreign_access_ref(pool->first + i, front->be_domid,
						xen_page_to_gfn(virt_to_page(pool->va +
									     i * PAGE_SIZE)),
						0);
	return pool;

out_free:
	if (pool->va)
		free_pages_exact(pool->va, npages << PAGE_SHIFT);
	kfree(pool->slot);
	kfree(pool->used);
	kfree(pool);
	return NULL;
}

/**
 * vpv_pool_destroy() - end the pool's grants and free it. A page the
 * back-end still maps is handed to the grant table's deferred list.
 * @pool: the pool, or NULL
 */
void vpv_pool_destroy(struct vpv_pool *pool)
{
	unsigned int i, kept = 0;

	if (!pool)
		return;
	for (i = 0; i < pool->npages; i++) {
		struct page *page = virt_to_page(pool->va + i * PAGE_SIZE);

		if (!gnttab_try_end_foreign_access(pool->first + i)) {
			kept++;
			gnttab_end_foreign_access(pool->first + i, page);	/* takes it */
		} else {
			put_page(page);
		}
	}
	if (kept)
		dev_warn(&pool->front->xbdev->dev,
			 "%u pool pages still mapped by the back-end: kept until released\n", kept);
	kfree(pool->slot);
	kfree(pool->used);
	kfree(pool);
}

/**
 * vpv_pool_map() - bounce a buffer of at most one page through the pool.
 * @pool: the pool
 * @cpu: the driver's buffer (linear map)
 * @size: its length
 * @dir: DMA direction; the data is copied in unless DMA_FROM_DEVICE
 *
 * Return: its grant-DMA address, or DMA_MAPPING_ERROR when the pool is full.
 */
dma_addr_t vpv_pool_map(struct vpv_pool *pool, void *cpu, size_t size,
			enum dma_data_direction dir)
{
	unsigned int n = DIV_ROUND_UP(size, VPV_POOL_SLOT);
	u16 mask = (u16)((1U << n) - 1);
	unsigned long flags;
	unsigned int p, s;

	if (!size || size > PAGE_SIZE)
		return DMA_MAPPING_ERROR;
	spin_lock_irqsave(&pool->lock, flags);
	for (p = 0; p < pool->npages; p++)
		for (s = 0; s + n <= VPV_POOL_SLOTS; s++)
			if (!(pool->used[p] & (mask << s)))
				goto found;
	spin_unlock_irqrestore(&pool->lock, flags);
	dev_warn_ratelimited(&pool->front->xbdev->dev, "grant pool full (%u pages)\n",
			     pool->npages);
	return DMA_MAPPING_ERROR;

found:
	pool->used[p] |= mask << s;
	pool->slot[p * VPV_POOL_SLOTS + s].orig = cpu;
	pool->slot[p * VPV_POOL_SLOTS + s].len = size;
	spin_unlock_irqrestore(&pool->lock, flags);
	if (dir != DMA_FROM_DEVICE)
		memcpy(pool->va + p * PAGE_SIZE + s * VPV_POOL_SLOT, cpu, size);
	return VPV_DMA_GRANT_BIT | ((u64)(pool->first + p) << XEN_PAGE_SHIFT) |
	       (s * VPV_POOL_SLOT);
}

/**
 * vpv_pool_unmap() - return a pool mapping; copy the device's data out.
 * @pool: the pool
 * @dma: the address vpv_pool_map() gave
 * @dir: DMA direction; the data is copied out unless DMA_TO_DEVICE
 *
 * Return: true if @dma was a pool address (handled), false otherwise.
 */
bool vpv_pool_unmap(struct vpv_pool *pool, dma_addr_t dma, enum dma_data_direction dir)
{
	u64 gref = (dma & ~VPV_DMA_GRANT_BIT) >> XEN_PAGE_SHIFT;
	unsigned int off = dma & ~PAGE_MASK;
	struct vpv_pool_slot sl;
	unsigned long flags;
	unsigned int p, s;

	if (!(dma & VPV_DMA_GRANT_BIT) || gref < pool->first ||
	    gref >= (u64)pool->first + pool->npages)
		return false;
	p = gref - pool->first;
	s = off / VPV_POOL_SLOT;
	spin_lock_irqsave(&pool->lock, flags);
	sl = pool->slot[p * VPV_POOL_SLOTS + s];
	if (off % VPV_POOL_SLOT || !sl.len || !(pool->used[p] & BIT(s))) {
		spin_unlock_irqrestore(&pool->lock, flags);
		dev_warn_ratelimited(&pool->front->xbdev->dev,
				     "unmap of a pool address not mapped: %pad\n", &dma);
		return true;
	}
	pool->slot[p * VPV_POOL_SLOTS + s].len = 0;
	/* Copy out before the slots can be reused. */
	if (dir != DMA_TO_DEVICE)
		memcpy(sl.orig, pool->va + p * PAGE_SIZE + off, sl.len);
	pool->used[p] &= ~(u16)(((1U << DIV_ROUND_UP(sl.len, VPV_POOL_SLOT)) - 1) << s);
	spin_unlock_irqrestore(&pool->lock, flags);
	return true;
}

/**
 * vpv_pool_reset() - forget every mapping (the queues were deleted; their
 * buffers will not be unmapped).
 * @pool: the pool, or NULL
 */
void vpv_pool_reset(struct vpv_pool *pool)
{
	unsigned long flags;

	if (!pool)
		return;
	spin_lock_irqsave(&pool->lock, flags);
	memset(pool->used, 0, pool->npages * sizeof(*pool->used));
	memset(pool->slot, 0, pool->npages * VPV_POOL_SLOTS * sizeof(*pool->slot));
	spin_unlock_irqrestore(&pool->lock, flags);
}
