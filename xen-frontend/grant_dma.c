// SPDX-License-Identifier: MIT
/*
 * The grant-DMA pool (see grant_dma.h).
 *
 * Theory of operation: the pool is a row of page slots. On entry platforms
 * (sim, arm64) they are one contiguous block of grantable memory allocated
 * up front; on the share platform (linux gntalloc) each slot gets its page
 * when first used, already granted by the kernel. Each page is given a
 * class the first time something is allocated in it: read-only or
 * writable for the device, and persistent (granted once, kept until the
 * pool dies) or per-message (never granted as a page; each map grants the
 * page anew and unmap ends that access). A page keeps its class, and its
 * grant, when it becomes empty, so a steady stream of allocate/free costs
 * no grant operation. Inside a page, space is handed out in 16-byte chunks
 * (a bitmap per page), which is the alignment every ring area needs; an
 * allocation of up to a page never straddles two pages, larger ones take
 * whole consecutive pages (entry platforms only).
 *
 * Read-only pages carry what the device only reads: descriptor tables,
 * avail rings, requests. Writable pages carry used rings, responses and
 * event buffers; a device-readable map of a writable page is allowed (a
 * buffer whose direction the allocator was not told), the reverse is a
 * driver bug and fails with -EACCES.
 */
#include "grant_dma.h"
#include "gnttab.h"

#define GDMA_CHUNK 16u
#define GDMA_CHUNKS (OS_PAGE_SIZE / GDMA_CHUNK)	/* 256 per page */
#define GDMA_WORDS (GDMA_CHUNKS / 64)
/* How long destroy waits for a back-end still unmapping. */
#define GDMA_DESTROY_WAIT_NS (2 * OS_NSEC_PER_SEC)

enum gdma_class {
	GDMA_UNUSED = 0,	/* never used: no grant, no class */
	GDMA_RO,		/* persistent, device reads */
	GDMA_RW,		/* persistent, device writes */
	GDMA_PER_MSG,		/* granted per map */
	GDMA_LOST,		/* its grant could not be ended: never reused */
};

struct gdma_page {
	void *va;			/* NULL on share platforms until used */
	enum gdma_class cls;
	bool granted;
	grant_ref_t ref;		/* the persistent grant, if granted */
	unsigned nalloc;		/* live allocations in the page */
	uint64_t bits[GDMA_WORDS];	/* used 16-byte chunks */
};

/* A per-message grant whose end was refused: its page must outlive it. */
struct gdma_stuck {
	struct gdma_stuck *next;
	grant_ref_t ref;
};

struct gdma_pool {
	struct gnttab *gt;
	bool entries;			/* entry platform: contiguous base */
	bool per_message;
	struct virtq_dma dma;

	/* Protects everything below. */
	os_spinlock_t lock;
	uint16_t domid;
	void *base;			/* entry platforms */
	unsigned npages;
	struct gdma_page *page;
	struct gdma_stuck *stuck;
	bool leak;			/* a stuck grant we could not record */
	struct gdma_stats st;
};

static const struct virtq_dma_ops gdma_virtq_ops;

/* ---- chunks ------------------------------------------------------------------ */

static bool chunk_used(const struct gdma_page *pg, unsigned c)
{
	return pg->bits[c / 64] & (1ull << (c % 64));
}

static void chunks_set(struct gdma_page *pg, unsigned first, unsigned n, bool on)
{
	for (unsigned c = first; c < first + n; c++) {
		if (on)
			pg->bits[c / 64] |= 1ull << (c % 64);
		else
			pg->bits[c / 64] &= ~(1ull << (c % 64));
	}
}

/* First run of @n free chunks in @pg, or GDMA_CHUNKS. */
static unsigned chunk_find(const struct gdma_page *pg, unsigned n)
{
	unsigned run = 0;

	for (unsigned c = 0; c < GDMA_CHUNKS; c++) {
		run = chunk_used(pg, c) ? 0 : run + 1;
		if (run == n)
			return c + 1 - n;
	}
	return GDMA_CHUNKS;
}

/* ---- grants of whole pages ------------------------------------------------------ */

/* Give slot @i a page and, for a persistent class, its grant. Lock held. */
static int gdma_page_take(struct gdma_pool *p, unsigned i, enum gdma_class cls)
{
	struct gdma_page *pg = &p->page[i];
	bool writable = cls == GDMA_RW;
	int ret;

	if (!p->entries) {
		uint32_t ref;

		/* gntalloc: the kernel picks page and reference together. */
		ret = gnttab_share(p->gt, p->domid, 1, writable, &pg->va, &ref);
		if (ret)
			return ret;
		pg->ref = ref;
		pg->granted = true;
		p->st.grants++;
		p->st.grant_ops++;
	} else if (cls == GDMA_RO || cls == GDMA_RW) {
		ret = gnttab_grant_page(p->gt, p->domid, pg->va, !writable, &pg->ref);
		if (ret)
			return ret;
		pg->granted = true;
		p->st.grants++;
		p->st.grant_ops++;
	}
	if (cls == GDMA_RO)
		p->st.pages_ro++;
	else if (cls == GDMA_RW)
		p->st.pages_rw++;
	pg->cls = cls;
	return 0;
}

/* Remember a grant whose end was refused: the pool's memory must outlive it. */
static void gdma_note_stuck(struct gdma_pool *p, grant_ref_t ref)
{
	struct gdma_stuck *s = os_zalloc(sizeof(*s));

	if (!s) {
		p->leak = true;
		return;
	}
	s->ref = ref;
	s->next = p->stuck;
	p->stuck = s;
}

/* End the persistent grant of slot @i. Lock held. Returns -EBUSY if stuck. */
static int gdma_page_release(struct gdma_pool *p, unsigned i)
{
	struct gdma_page *pg = &p->page[i];
	int ret = 0;

	if (pg->cls == GDMA_RO)
		p->st.pages_ro--;
	else if (pg->cls == GDMA_RW)
		p->st.pages_rw--;
	if (pg->granted && !p->entries) {
		gnttab_unshare(p->gt, pg->va, 1);
		pg->va = NULL;
		p->st.ends++;
		p->st.grant_ops++;
	} else if (pg->granted) {
		p->st.grant_ops++;
		/* The page is the pool's: quarantine the ref only. */
		ret = gnttab_end_page(p->gt, pg->ref, NULL, 0);
		if (ret) {
			p->st.end_busy++;
			gdma_note_stuck(p, pg->ref);
		} else {
			p->st.ends++;
		}
	}
	pg->granted = false;
	pg->cls = ret ? GDMA_LOST : GDMA_UNUSED;
	return ret;
}

/* ---- allocation ------------------------------------------------------------------ */

static void *gdma_alloc_class(struct gdma_pool *p, size_t size, enum gdma_class cls)
{
	unsigned n = (unsigned)OS_DIV_ROUND_UP(size ? size : 1, GDMA_CHUNK);
	void *va = NULL;

	os_spin_lock(&p->lock);
	if (size <= OS_PAGE_SIZE) {
		/* A page of the same class with room, else a fresh one. */
		for (int pass = 0; pass < 2 && !va; pass++) {
			for (unsigned i = 0; i < p->npages; i++) {
				struct gdma_page *pg = &p->page[i];
				unsigned c;

				if (pass == 0 && pg->cls != cls)
					continue;
				if (pass == 1 && (pg->cls != GDMA_UNUSED ||
						  gdma_page_take(p, i, cls)))
					continue;
				c = chunk_find(pg, n);
				if (c == GDMA_CHUNKS)
					continue;
				chunks_set(pg, c, n, true);
				pg->nalloc++;
				va = (char *)pg->va + c * GDMA_CHUNK;
				break;
			}
		}
	} else if (p->entries) {
		unsigned np = (unsigned)OS_DIV_ROUND_UP(size, OS_PAGE_SIZE);

		for (unsigned i = 0; i + np <= p->npages && !va; i++) {
			unsigned j;

			for (j = 0; j < np; j++)
				if (p->page[i + j].cls != GDMA_UNUSED)
					break;
			if (j < np)
				continue;
			for (j = 0; j < np; j++) {
				if (gdma_page_take(p, i + j, cls))
					break;
				chunks_set(&p->page[i + j], 0, GDMA_CHUNKS, true);
				p->page[i + j].nalloc++;
			}
			if (j < np) {
				while (j--) {
					chunks_set(&p->page[i + j], 0, GDMA_CHUNKS, false);
					p->page[i + j].nalloc--;
				}
				break;
			}
			va = p->page[i].va;
		}
	}
	os_spin_unlock(&p->lock);
	if (!va)
		os_warn("grant-dma: pool of %u pages cannot hold %zu more bytes",
			p->npages, size);
	else
		memset(va, 0, size);
	return va;
}

void *gdma_alloc(struct gdma_pool *p, size_t size, bool device_writes)
{
	if (p->per_message)
		return gdma_alloc_class(p, size, GDMA_PER_MSG);
	return gdma_alloc_class(p, size, device_writes ? GDMA_RW : GDMA_RO);
}

void *gdma_alloc_ring(struct gdma_pool *p, size_t size, bool device_writes)
{
	return gdma_alloc_class(p, size, device_writes ? GDMA_RW : GDMA_RO);
}

/* Slot of the page holding @va, or -1. Lock held. */
static int gdma_page_of(struct gdma_pool *p, const void *va)
{
	uintptr_t a = (uintptr_t)va;

	if (p->entries) {
		uintptr_t b = (uintptr_t)p->base;

		if (a < b || a >= b + (uintptr_t)p->npages * OS_PAGE_SIZE)
			return -1;
		return (int)((a - b) / OS_PAGE_SIZE);
	}
	for (unsigned i = 0; i < p->npages; i++) {
		uintptr_t b = (uintptr_t)p->page[i].va;

		if (p->page[i].va && a >= b && a < b + OS_PAGE_SIZE)
			return (int)i;
	}
	return -1;
}

void gdma_free(struct gdma_pool *p, void *va, size_t size)
{
	size_t left = size ? size : 1;
	char *cur = va;
	int i;

	if (!va)
		return;
	os_spin_lock(&p->lock);
	i = gdma_page_of(p, va);
	if (i < 0) {
		os_spin_unlock(&p->lock);
		os_err("grant-dma: free of %p, which is not in the pool", va);
		return;
	}
	/* A page keeps its class and grant when it empties (persistent). */
	while (left && (unsigned)i < p->npages) {
		struct gdma_page *pg = &p->page[i];
		unsigned off = (unsigned)((uintptr_t)cur & (OS_PAGE_SIZE - 1));
		size_t here = OS_MIN(left, (size_t)(OS_PAGE_SIZE - off));
		unsigned c = off / GDMA_CHUNK;
		unsigned n = (unsigned)OS_DIV_ROUND_UP(here, GDMA_CHUNK);

		if (size > OS_PAGE_SIZE)
			n = OS_MIN(GDMA_CHUNKS, (unsigned)OS_DIV_ROUND_UP(size, GDMA_CHUNK));
		chunks_set(pg, c, OS_MIN(n, GDMA_CHUNKS - c), false);
		if (pg->nalloc)
			pg->nalloc--;
		left -= here;
		cur += here;
		i++;
	}
	os_spin_unlock(&p->lock);
}

/* ---- mapping -------------------------------------------------------------------- */

int gdma_map(struct gdma_pool *p, void *va, uint32_t len, bool device_writes,
	     uint64_t *dma)
{
	uint32_t off = (uint32_t)((uintptr_t)va & (OS_PAGE_SIZE - 1));
	struct gdma_page *pg;
	grant_ref_t ref;
	int i, ret;

	if (!len || len > OS_PAGE_SIZE - off)
		return -EINVAL;
	os_spin_lock(&p->lock);
	i = gdma_page_of(p, va);
	if (i < 0) {
		os_spin_unlock(&p->lock);
		return -EFAULT;
	}
	pg = &p->page[i];
	p->st.maps++;
	switch (pg->cls) {
	case GDMA_RO:
		if (device_writes) {
			os_spin_unlock(&p->lock);
			os_err("grant-dma: device-writable map of a read-only page");
			return -EACCES;
		}
		/* fall through */
	case GDMA_RW:
		ref = pg->ref;
		break;
	case GDMA_PER_MSG:
		ret = gnttab_grant_page(p->gt, p->domid, pg->va, !device_writes, &ref);
		if (ret) {
			os_spin_unlock(&p->lock);
			return ret;
		}
		p->st.grants++;
		p->st.grant_ops++;
		break;
	default:
		os_spin_unlock(&p->lock);
		return -EFAULT;
	}
	os_spin_unlock(&p->lock);
	*dma = gdma_addr(ref, off);
	return 0;
}

void gdma_unmap(struct gdma_pool *p, uint64_t dma, uint32_t len,
		bool device_writes)
{
	grant_ref_t ref = (grant_ref_t)((dma & ~GDMA_ADDR_BIT) >> OS_PAGE_SHIFT);

	os_spin_lock(&p->lock);
	p->st.unmaps++;
	if (!p->per_message) {
		os_spin_unlock(&p->lock);
		return;
	}
	for (unsigned i = 0; i < p->npages; i++) {
		if (p->page[i].granted && p->page[i].ref == ref) {
			/* A ring page: persistent even in per-message mode. */
			os_spin_unlock(&p->lock);
			return;
		}
	}
	p->st.grant_ops++;
	if (gnttab_end_page(p->gt, ref, NULL, 0)) {
		p->st.end_busy++;
		gdma_note_stuck(p, ref);
	} else {
		p->st.ends++;
	}
	os_spin_unlock(&p->lock);
}

static int gdma_vq_map(void *ctx, void *va, uint32_t len, bool device_writes,
		       uint64_t *dma)
{
	return gdma_map(ctx, va, len, device_writes, dma);
}

static void gdma_vq_unmap(void *ctx, uint64_t dma, uint32_t len, bool device_writes)
{
	gdma_unmap(ctx, dma, len, device_writes);
}

static const struct virtq_dma_ops gdma_virtq_ops = {
	.map = gdma_vq_map,
	.unmap = gdma_vq_unmap,
};

const struct virtq_dma *gdma_virtq_dma(struct gdma_pool *p)
{
	return &p->dma;
}

void gdma_get_stats(struct gdma_pool *p, struct gdma_stats *st)
{
	os_spin_lock(&p->lock);
	*st = p->st;
	st->pages_total = p->npages;
	os_spin_unlock(&p->lock);
}

/* ---- lifetime ------------------------------------------------------------------- */

int gdma_create(struct gnttab *gt, uint16_t domid, unsigned npages,
		bool per_message, struct gdma_pool **out)
{
	struct gdma_pool *p;

	if (!npages)
		return -EINVAL;
	if (per_message && !gnttab_has_entries(gt)) {
		os_err("grant-dma: per-message grants need grant-entry access, "
		       "which this platform (gntalloc) does not give");
		return -EOPNOTSUPP;
	}
	p = os_zalloc(sizeof(*p));
	if (!p)
		return -ENOMEM;
	p->page = os_calloc(npages, sizeof(*p->page));
	if (!p->page) {
		os_free(p);
		return -ENOMEM;
	}
	p->gt = gt;
	p->entries = gnttab_has_entries(gt);
	p->per_message = per_message;
	p->domid = domid;
	p->npages = npages;
	os_spin_init(&p->lock);
	p->dma = (struct virtq_dma){
		.ops = &gdma_virtq_ops,
		.ctx = p,
		.seg_boundary = OS_PAGE_SIZE,
	};
	if (p->entries) {
		p->base = gnttab_alloc_pages(gt, npages);
		if (!p->base) {
			os_err("grant-dma: cannot allocate %u grantable pages", npages);
			os_free(p->page);
			os_free(p);
			return -ENOMEM;
		}
		for (unsigned i = 0; i < npages; i++)
			p->page[i].va = (char *)p->base + (size_t)i * OS_PAGE_SIZE;
	}
	*out = p;
	return 0;
}

/* End every grant; returns how many stay mapped. Lock held. */
static unsigned gdma_release_all(struct gdma_pool *p)
{
	unsigned stuck = 0;

	for (unsigned i = 0; i < p->npages; i++) {
		struct gdma_page *pg = &p->page[i];

		if (pg->cls == GDMA_LOST) {
			stuck++;
			continue;
		}
		if (pg->cls != GDMA_UNUSED && gdma_page_release(p, i))
			stuck++;
		memset(pg->bits, 0, sizeof(pg->bits));
		pg->nalloc = 0;
	}
	return stuck;
}

/* How many grants in p->stuck are still refused; drops the released ones. */
static unsigned gdma_count_stuck(struct gdma_pool *p)
{
	struct gdma_stuck **pp = &p->stuck, *s;
	unsigned n = 0;

	gnttab_quarantine_retry(p->gt);
	while ((s = *pp)) {
		if (gnttab_in_quarantine(p->gt, s->ref)) {
			n++;
			pp = &s->next;
		} else {
			*pp = s->next;
			os_free(s);
		}
	}
	return n;
}

unsigned gdma_destroy(struct gdma_pool *p)
{
	uint64_t deadline = os_now_ns() + GDMA_DESTROY_WAIT_NS;
	unsigned stuck;

	if (!p)
		return 0;
	os_spin_lock(&p->lock);
	gdma_release_all(p);
	os_spin_unlock(&p->lock);
	/* A back-end that is still tearing down gets a moment to unmap. */
	while ((stuck = gdma_count_stuck(p)) && os_now_ns() < deadline)
		os_sleep_ns(5 * OS_NSEC_PER_MSEC);
	if (p->leak)
		stuck++;
	if (stuck && p->entries) {
		os_warn("grant-dma: %u grant(s) still mapped by dom%u; leaking the "
			"pool's %u pages rather than reusing them", stuck, p->domid,
			p->npages);
	} else if (p->entries) {
		gnttab_free_pages(p->gt, p->base, p->npages);
	}
	while (p->stuck) {
		struct gdma_stuck *s = p->stuck;

		p->stuck = s->next;
		os_free(s);
	}
	os_free(p->page);
	os_free(p);
	return stuck;
}
