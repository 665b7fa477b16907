/* SPDX-License-Identifier: MIT */
/*
 * A small first-fit heap with coalescing, on pages from a page allocator.
 * Used by the freestanding OS layer (os/os_freestanding.c) behind
 * os_zalloc/os_free; built alone on the host for its unit test. Not
 * thread-safe: the caller serialises (the freestanding build has one CPU).
 */
#ifndef VSCMI_OS_HEAP_H
#define VSCMI_OS_HEAP_H

#include <vscmi/os.h>

/** Every pointer the heap returns is aligned to this. */
#define OS_HEAP_ALIGN 16u

struct os_heap_arena;
struct os_heap_free;

/** Counters, kept as the heap runs and recomputed by os_heap_check(). */
struct os_heap_stats {
	size_t arenas;		/* arenas currently held */
	size_t arena_bytes;	/* their total size */
	size_t used_blocks;	/* live small allocations */
	size_t used_bytes;	/* bytes in live small blocks, headers included */
	size_t free_blocks;	/* blocks on the free list */
	size_t free_bytes;	/* bytes in them, headers included */
	size_t large_allocs;	/* live allocations served by whole pages */
	size_t large_pages;	/* pages they hold */
	size_t bad_frees;	/* os_heap_free() calls rejected (not counted
				 * by os_heap_check) */
};

/** A heap: page source, arenas and the free list. Zero it, then init. */
struct os_heap {
	void *(*alloc_pages)(size_t npages);
	void (*free_pages)(void *p, size_t npages);
	size_t arena_pages;		/* size of each arena, in pages */
	struct os_heap_arena *arenas;	/* every arena, most recent first */
	struct os_heap_free *free_list;	/* free blocks, LIFO */
	struct os_heap_stats st;
};

/**
 * Prepare @h to take arenas of @arena_pages pages (at least 1) from
 * @alloc_pages; @free_pages gives back an arena that became empty (all but
 * the last one) and every large block.
 */
void os_heap_init(struct os_heap *h, void *(*alloc_pages)(size_t npages),
		  void (*free_pages)(void *p, size_t npages),
		  size_t arena_pages);
/**
 * @size bytes aligned to OS_HEAP_ALIGN, not zeroed; NULL when the page
 * allocator fails or @size is absurd. Requests above half an arena get
 * whole pages of their own.
 */
void *os_heap_alloc(struct os_heap *h, size_t size);
/** Free @p from os_heap_alloc; NULL is fine; a bad pointer is logged. */
void os_heap_free(struct os_heap *h, void *p);
/** Bytes the caller may use at @p (at least what was asked for). */
size_t os_heap_usable_size(const struct os_heap *h, const void *p);
/**
 * Walk every arena and the free list checking the invariants (sizes,
 * boundary tags, no two free neighbours, free list consistent); fill
 * @st (may be NULL) with what was found. 0 or -EFAULT.
 */
int os_heap_check(const struct os_heap *h, struct os_heap_stats *st);
/** Give every empty arena back to the page allocator (the last one too). */
void os_heap_trim(struct os_heap *h);

/**
 * Freestanding builds only (os/os_freestanding.c): the counters of the
 * os_zalloc() heap and the most bytes it ever had in use (small blocks
 * with their headers, plus the pages of large ones), for footprint reports.
 */
void os_heap_usage(struct os_heap_stats *st, size_t *peak_bytes);

#endif /* VSCMI_OS_HEAP_H */
