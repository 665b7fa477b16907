// SPDX-License-Identifier: MIT
/*
 * The freestanding heap: first fit over a LIFO free list, boundary tags for
 * constant-time coalescing, arenas of whole pages from the platform.
 *
 * Theory of operation: an arena is a run of pages that starts with a
 * struct os_heap_arena and ends with a sentinel block header that is
 * always "in use" and has size 0. Between them, blocks tile the arena with
 * no gaps. Every block starts with a 16-byte header holding its own size
 * (low bits: flags) and the size of the block just before it (0 for the
 * first), so free() finds both neighbours without searching and merges
 * with whichever is free; two free blocks are therefore never adjacent.
 * A free block also carries the free-list links in its payload, which sets
 * the minimum block size. alloc() takes the first free block that fits and
 * splits off the tail when the rest is big enough to be a block.
 *
 * Requests above half an arena bypass the arenas and get pages of their
 * own, with a header flagged LARGE, so big buffers never fragment the small
 * heap and go back to the platform on free. An arena that becomes wholly
 * free is returned too, unless it is the only one left (so a steady
 * alloc/free pattern does not bounce pages off the platform).
 *
 * Every free checks the pointer first (alignment, the USED flag, inside
 * one of our arenas, both boundary tags agreeing): a double, wild or
 * interior free is logged and ignored rather than corrupting the free
 * list.
 */
#include "os/heap.h"

#define BLK_USED ((size_t)1)
#define BLK_LARGE ((size_t)2)
#define BLK_FLAGS (BLK_USED | BLK_LARGE)

/* Every block starts with this; 16 bytes on 32- and 64-bit targets. */
struct os_heap_blk {
	_Alignas(OS_HEAP_ALIGN) size_t size;	/* bytes incl. header | flags */
	size_t prev_size;	/* previous block's size; 0 if first. For a
				 * LARGE block: its page count. */
};

/* A free block: header, then the list links in the payload. */
struct os_heap_free {
	struct os_heap_blk hdr;
	struct os_heap_free *next, *prev;
};

struct os_heap_arena {
	_Alignas(OS_HEAP_ALIGN) struct os_heap_arena *next;
	struct os_heap_arena *prev;
	size_t npages;
};

#define HDR_SIZE sizeof(struct os_heap_blk)
#define ARENA_HDR OS_ALIGN_UP(sizeof(struct os_heap_arena), (size_t)OS_HEAP_ALIGN)
#define MIN_BLOCK OS_ALIGN_UP(sizeof(struct os_heap_free), (size_t)OS_HEAP_ALIGN)

_Static_assert(sizeof(struct os_heap_blk) == OS_HEAP_ALIGN,
	       "block header must keep payloads aligned");
_Static_assert(OS_PAGE_SIZE % OS_HEAP_ALIGN == 0, "pages must be aligned");

static inline size_t blk_size(const struct os_heap_blk *b)
{
	return b->size & ~BLK_FLAGS;
}

static inline bool blk_used(const struct os_heap_blk *b)
{
	return b->size & BLK_USED;
}

static inline struct os_heap_blk *blk_next(struct os_heap_blk *b)
{
	return (struct os_heap_blk *)(void *)((char *)b + blk_size(b));
}

static inline struct os_heap_blk *blk_prev(struct os_heap_blk *b)
{
	return (struct os_heap_blk *)(void *)((char *)b - b->prev_size);
}

static inline struct os_heap_blk *arena_first(struct os_heap_arena *a)
{
	return (struct os_heap_blk *)(void *)((char *)a + ARENA_HDR);
}

static inline size_t arena_bytes(const struct os_heap_arena *a)
{
	return a->npages * OS_PAGE_SIZE;
}

/* Largest block an arena of @pages pages can hold. */
static inline size_t arena_capacity(size_t pages)
{
	return pages * OS_PAGE_SIZE - ARENA_HDR - HDR_SIZE;
}

static void free_list_push(struct os_heap *h, struct os_heap_blk *b)
{
	struct os_heap_free *f = (struct os_heap_free *)b;

	f->prev = NULL;
	f->next = h->free_list;
	if (f->next)
		f->next->prev = f;
	h->free_list = f;
	h->st.free_blocks++;
	h->st.free_bytes += blk_size(b);
}

static void free_list_remove(struct os_heap *h, struct os_heap_blk *b)
{
	struct os_heap_free *f = (struct os_heap_free *)b;

	if (f->prev)
		f->prev->next = f->next;
	else
		h->free_list = f->next;
	if (f->next)
		f->next->prev = f->prev;
	f->next = f->prev = NULL;
	h->st.free_blocks--;
	h->st.free_bytes -= blk_size(b);
}

void os_heap_init(struct os_heap *h, void *(*alloc_pages)(size_t npages),
		  void (*free_pages)(void *p, size_t npages),
		  size_t arena_pages)
{
	*h = (struct os_heap){
		.alloc_pages = alloc_pages,
		.free_pages = free_pages,
		.arena_pages = arena_pages ? arena_pages : 1,
	};
}

/* Take a new arena from the platform; its one free block goes on the list. */
static int heap_grow(struct os_heap *h)
{
	struct os_heap_arena *a = h->alloc_pages(h->arena_pages);
	struct os_heap_blk *b, *end;

	if (!a)
		return -ENOMEM;
	a->npages = h->arena_pages;
	a->prev = NULL;
	a->next = h->arenas;
	if (a->next)
		a->next->prev = a;
	h->arenas = a;

	b = arena_first(a);
	b->size = arena_capacity(a->npages);
	b->prev_size = 0;
	end = blk_next(b);
	end->size = BLK_USED;	/* the sentinel: size 0, never free */
	end->prev_size = blk_size(b);
	free_list_push(h, b);

	h->st.arenas++;
	h->st.arena_bytes += arena_bytes(a);
	return 0;
}

/* Give arena @a (wholly free: one block, on the free list) back. */
static void heap_release_arena(struct os_heap *h, struct os_heap_arena *a)
{
	free_list_remove(h, arena_first(a));
	if (a->prev)
		a->prev->next = a->next;
	else
		h->arenas = a->next;
	if (a->next)
		a->next->prev = a->prev;
	h->st.arenas--;
	h->st.arena_bytes -= arena_bytes(a);
	h->free_pages(a, a->npages);
}

static void *heap_alloc_large(struct os_heap *h, size_t size)
{
	size_t npages = OS_DIV_ROUND_UP(size + HDR_SIZE, (size_t)OS_PAGE_SIZE);
	struct os_heap_blk *b;

	if (npages > SIZE_MAX / OS_PAGE_SIZE)
		return NULL;
	b = h->alloc_pages(npages);
	if (!b)
		return NULL;
	b->size = (npages * OS_PAGE_SIZE) | BLK_USED | BLK_LARGE;
	b->prev_size = npages;
	h->st.large_allocs++;
	h->st.large_pages += npages;
	return (char *)b + HDR_SIZE;
}

void *os_heap_alloc(struct os_heap *h, size_t size)
{
	struct os_heap_free *f;
	size_t need;

	if (size > SIZE_MAX / 2)
		return NULL;
	need = OS_MAX(OS_ALIGN_UP(size + HDR_SIZE, (size_t)OS_HEAP_ALIGN),
		      (size_t)MIN_BLOCK);
	if (need > arena_capacity(h->arena_pages) / 2)
		return heap_alloc_large(h, size);

	for (;;) {
		for (f = h->free_list; f; f = f->next)
			if (blk_size(&f->hdr) >= need)
				break;
		if (f)
			break;
		if (heap_grow(h))
			return NULL;
	}

	struct os_heap_blk *b = &f->hdr;
	size_t have = blk_size(b);

	free_list_remove(h, b);
	if (have - need >= MIN_BLOCK) {
		/* Split: the tail stays free, behind the block we hand out. */
		struct os_heap_blk *rest = (struct os_heap_blk *)(void *)((char *)b + need);

		rest->size = have - need;
		rest->prev_size = need;
		blk_next(rest)->prev_size = have - need;
		free_list_push(h, rest);
		have = need;
	}
	b->size = have | BLK_USED;
	h->st.used_blocks++;
	h->st.used_bytes += have;
	return (char *)b + HDR_SIZE;
}

/*
 * Is @p a live allocation? A small block must lie inside one of our
 * arenas (checked before its header is read) and agree with both
 * neighbours' boundary tags, which a wild or interior pointer practically
 * never does; anything else must be a large block carrying its own page
 * count. O(arenas).
 */
static bool heap_ptr_sane(const struct os_heap *h, const void *p)
{
	const struct os_heap_blk *b;
	const struct os_heap_arena *a;
	size_t sz;

	if (!p || (uintptr_t)p % OS_HEAP_ALIGN)
		return false;
	b = (const struct os_heap_blk *)(const void *)((const char *)p - HDR_SIZE);

	for (a = h->arenas; a; a = a->next) {
		const char *first = (const char *)a + ARENA_HDR;
		const char *end = (const char *)a + arena_bytes(a) - HDR_SIZE;

		if ((const char *)b < first || (const char *)b >= end)
			continue;
		sz = blk_size(b);
		if (!blk_used(b) || (b->size & BLK_LARGE) || sz < MIN_BLOCK ||
		    sz % OS_HEAP_ALIGN || sz > (size_t)(end - (const char *)b))
			return false;
		/* Both boundary tags must point back at b. */
		if (((const struct os_heap_blk *)(const void *)
		     ((const char *)b + sz))->prev_size != sz)
			return false;
		if (!b->prev_size)
			return (const char *)b == first;
		if (b->prev_size > (size_t)((const char *)b - first))
			return false;
		return blk_size((const struct os_heap_blk *)(const void *)
				((const char *)b - b->prev_size)) == b->prev_size;
	}

	/* Not in an arena: only a large block, page-aligned, is valid. */
	if ((uintptr_t)b % OS_PAGE_SIZE)
		return false;
	sz = blk_size(b);
	return (b->size & BLK_FLAGS) == BLK_FLAGS && sz && sz % OS_PAGE_SIZE == 0 &&
	       b->prev_size == sz / OS_PAGE_SIZE;
}

void os_heap_free(struct os_heap *h, void *p)
{
	struct os_heap_blk *b, *next;

	if (!p)
		return;
	if (!heap_ptr_sane(h, p)) {
		h->st.bad_frees++;
		os_err("heap: free of %p: not a live allocation (double free?)", p);
		return;
	}
	b = (struct os_heap_blk *)(void *)((char *)p - HDR_SIZE);

	if (b->size & BLK_LARGE) {
		size_t npages = b->prev_size;

		b->size = 0;	/* a second free of it fails the check */
		h->st.large_allocs--;
		h->st.large_pages -= npages;
		h->free_pages(b, npages);
		return;
	}

	h->st.used_blocks--;
	h->st.used_bytes -= blk_size(b);
	b->size &= ~BLK_USED;

	next = blk_next(b);
	if (!blk_used(next)) {
		free_list_remove(h, next);
		b->size += blk_size(next);
	}
	if (b->prev_size && !blk_used(blk_prev(b))) {
		struct os_heap_blk *prev = blk_prev(b);

		free_list_remove(h, prev);
		prev->size += blk_size(b);
		b = prev;
	}
	next = blk_next(b);
	next->prev_size = blk_size(b);
	free_list_push(h, b);

	/* Wholly free arena (first block reaches the sentinel)? */
	if (!b->prev_size && next->size == BLK_USED) {
		struct os_heap_arena *a = (struct os_heap_arena *)(void *)
			((char *)b - ARENA_HDR);

		if (h->st.arenas > 1)
			heap_release_arena(h, a);
	}
}

size_t os_heap_usable_size(const struct os_heap *h, const void *p)
{
	const struct os_heap_blk *b;

	if (!heap_ptr_sane(h, p))
		return 0;
	b = (const struct os_heap_blk *)(const void *)((const char *)p - HDR_SIZE);
	return blk_size(b) - HDR_SIZE;
}

void os_heap_trim(struct os_heap *h)
{
	struct os_heap_arena *a = h->arenas, *next;

	for (; a; a = next) {
		struct os_heap_blk *b = arena_first(a);

		next = a->next;
		if (!blk_used(b) && blk_next(b)->size == BLK_USED)
			heap_release_arena(h, a);
	}
}

/* Walk one arena; add what it holds to @st. */
static int heap_check_arena(struct os_heap_arena *a, struct os_heap_stats *st)
{
	char *end = (char *)a + arena_bytes(a) - HDR_SIZE;
	struct os_heap_blk *b = arena_first(a);
	size_t prev_size = 0;
	bool prev_free = false;

	for (;;) {
		size_t sz = blk_size(b);

		if (b->prev_size != prev_size)
			return -EFAULT;
		if ((char *)b == end)
			return b->size == BLK_USED ? 0 : -EFAULT;
		if ((b->size & BLK_LARGE) || sz < MIN_BLOCK ||
		    sz % OS_HEAP_ALIGN || sz > (size_t)(end - (char *)b))
			return -EFAULT;
		if (blk_used(b)) {
			st->used_blocks++;
			st->used_bytes += sz;
			prev_free = false;
		} else {
			if (prev_free)
				return -EFAULT;	/* missed coalesce */
			st->free_blocks++;
			st->free_bytes += sz;
			prev_free = true;
		}
		prev_size = sz;
		b = blk_next(b);
	}
}

int os_heap_check(const struct os_heap *h, struct os_heap_stats *out)
{
	struct os_heap_stats st = {
		.large_allocs = h->st.large_allocs,
		.large_pages = h->st.large_pages,
		.bad_frees = h->st.bad_frees,
	};
	const struct os_heap_arena *prev_a = NULL;
	const struct os_heap_free *f, *prev_f = NULL;
	size_t listed = 0, listed_bytes = 0;
	int ret;

	for (struct os_heap_arena *a = h->arenas; a; prev_a = a, a = a->next) {
		if (a->prev != prev_a || a->npages != h->arena_pages)
			return -EFAULT;
		ret = heap_check_arena(a, &st);
		if (ret)
			return ret;
		st.arenas++;
		st.arena_bytes += arena_bytes(a);
	}
	for (f = h->free_list; f; prev_f = f, f = f->next) {
		if (f->prev != prev_f || blk_used(&f->hdr) || listed > st.free_blocks)
			return -EFAULT;
		listed++;
		listed_bytes += blk_size(&f->hdr);
	}
	if (listed != st.free_blocks || listed_bytes != st.free_bytes)
		return -EFAULT;
	/* The running counters must agree with the walk. */
	if (st.arenas != h->st.arenas || st.arena_bytes != h->st.arena_bytes ||
	    st.used_blocks != h->st.used_blocks ||
	    st.used_bytes != h->st.used_bytes ||
	    st.free_blocks != h->st.free_blocks ||
	    st.free_bytes != h->st.free_bytes)
		return -EFAULT;
	if (out)
		*out = st;
	return 0;
}
