/* SPDX-License-Identifier: MIT */
/*
 * The grant-DMA pool: memory a virtio driver and transport use for rings and
 * message buffers, granted to the back-end domain, with device addresses in
 * Linux's grant-DMA encoding (GDMA_ADDR_BIT | gref << 12 | offset).
 *
 * Persistent mode (default): a page is granted once, when the pool first
 * puts something in it, read-only or writable after the direction of what it
 * holds, and stays granted until the pool is destroyed: zero grant
 * operations per message. Per-message mode (CONFIG_GRANT_PER_MESSAGE):
 * buffers are granted on map and their access ended on unmap, as Linux's
 * grant-dma-ops does; rings stay persistent.
 *
 * No allocation of at most a page crosses a page boundary, and the virtq
 * DMA descriptor says seg_boundary = 4096, so every device address names
 * bytes of one granted page.
 *
 * Thread-safe (one lock per pool).
 */
#ifndef VSCMI_GRANT_DMA_H
#define VSCMI_GRANT_DMA_H

#include <vscmi/os.h>
#include <vscmi/virtio.h>

struct gnttab;
struct gdma_pool;

#define GDMA_ADDR_BIT (1ull << 63)
static inline uint64_t gdma_addr(uint32_t ref, uint32_t off)
{
	return GDMA_ADDR_BIT | (uint64_t)ref << OS_PAGE_SHIFT | off;
}

/** Counters of one pool. grant_ops = grants + ends + refused ends. */
struct gdma_stats {
	uint64_t grant_ops;
	uint64_t grants, ends, end_busy;
	uint64_t maps, unmaps;
	unsigned pages_ro, pages_rw;	/* pages granted now, by permission */
	unsigned pages_total;
};

/**
 * A pool of @npages pages for buffers the back-end domain @domid will
 * access. @per_message: grant on map instead of once (entry platforms only).
 */
int gdma_create(struct gnttab *gt, uint16_t domid, unsigned npages,
		bool per_message, struct gdma_pool **out);
/**
 * End every grant and free the pool. Pages the back-end still maps are
 * quarantined and their memory is never reused (a warning says so).
 * Returns how many grants could not be ended (0: clean). NULL is fine.
 */
unsigned gdma_destroy(struct gdma_pool *p);

/**
 * @size zeroed bytes the device will read (@device_writes false) or also
 * write. At most a page never crosses a page. NULL when the pool is full.
 */
void *gdma_alloc(struct gdma_pool *p, size_t size, bool device_writes);
/** Like gdma_alloc(), always granted persistently (ring areas). */
void *gdma_alloc_ring(struct gdma_pool *p, size_t size, bool device_writes);
void gdma_free(struct gdma_pool *p, void *va, size_t size);

/** Device address of [@va, @va+@len) (inside one page of this pool). */
int gdma_map(struct gdma_pool *p, void *va, uint32_t len, bool device_writes,
	     uint64_t *dma);
void gdma_unmap(struct gdma_pool *p, uint64_t dma, uint32_t len,
		bool device_writes);

/** The virtq DMA descriptor of this pool (seg_boundary 4096). */
const struct virtq_dma *gdma_virtq_dma(struct gdma_pool *p);
void gdma_get_stats(struct gdma_pool *p, struct gdma_stats *st);

#endif /* VSCMI_GRANT_DMA_H */
