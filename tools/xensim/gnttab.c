// SPDX-License-Identifier: MIT
/*
 * xensim grant tables and guest memory: the arena allocator, the granting
 * side (the guest's own v1 table, setup/query size, end access) and the
 * mapping side (map, unmap, copy) with Xen's v1 pinning protocol.
 *
 * Theory of operation: each domain's table lives in the state file and is
 * written by the granting process directly, exactly as a guest kernel
 * writes its shared grant frames. A map validates the entry and sets
 * GTF_reading (plus GTF_writing for a writable map) with a compare-and-swap
 * of the 32-bit flags+domid word, as Xen's _set_status_v1() does; the
 * granter ends access with a compare-and-swap of flags to 0 that fails
 * while either bit is set. Both sides race on the same word, so the
 * end-access versus map race resolves as on Xen: exactly one wins. The
 * hypervisor's private state (pin counts, the frame read at first pin, who
 * maps what) is the "active" table and the map records, changed under the
 * machine lock. The page itself is mmap()ed from the granter's arena file.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "xsim_priv.h"

#define PIN_RETRIES 4	/* an entry changing under us this often is bad */

grant_entry_v1_t *xsim_gnttab_of(struct xsim_shm *s, uint16_t domid)
{
	return (grant_entry_v1_t *)(void *)((uint8_t *)s + XSIM_GNTTAB_OFF +
					    domid * XSIM_GNTTAB_DOM_SIZE);
}

struct xsim_active *xsim_active_of(struct xsim_shm *s, uint16_t domid)
{
	return (struct xsim_active *)(void *)((uint8_t *)s + XSIM_ACTIVE_OFF +
					      domid * XSIM_ACTIVE_DOM_SIZE);
}

/* The combined flags (low 16 bits) and domid (high 16) word of an entry. */
static uint32_t *entry_word(grant_entry_v1_t *e)
{
	return (uint32_t *)(void *)e;
}

/* ------------------------------------------------------------------ */
/* Memory */

void *xsim_alloc_pages(struct xsim *x, unsigned n)
{
	struct xsim_dom *d = &x->shm->dom[x->domid];
	unsigned run = 0, g;
	void *p = NULL;

	if (!n || xsim_lock(x->shm))
		return NULL;
	for (g = XSIM_FIRST_FREE_GFN; g < d->memory_pages; g++) {
		run = d->page_used[g / 8] & (1u << (g % 8)) ? 0 : run + 1;
		if (run == n)
			break;
	}
	if (run == n) {
		unsigned first = g + 1 - n;

		for (g = first; g < first + n; g++)
			d->page_used[g / 8] |= 1u << (g % 8);
		p = x->arena + (size_t)first * XSIM_PAGE_SIZE;
	}
	xsim_unlock(x->shm);
	if (p)
		memset(p, 0, (size_t)n * XSIM_PAGE_SIZE);
	return p;
}

void xsim_free_pages(struct xsim *x, void *p, unsigned n)
{
	struct xsim_dom *d = &x->shm->dom[x->domid];
	uint64_t gfn;

	if (!p || xsim_va_to_gfn(x, p, &gfn) || gfn < XSIM_FIRST_FREE_GFN ||
	    gfn + n > d->memory_pages || xsim_lock(x->shm))
		return;
	for (uint64_t g = gfn; g < gfn + n; g++)
		d->page_used[g / 8] &= (uint8_t)~(1u << (g % 8));
	xsim_unlock(x->shm);
}

int xsim_va_to_gfn(struct xsim *x, const void *va, uint64_t *gfn)
{
	const uint8_t *p = va;

	if (!x->arena || p < x->arena || p >= x->arena + x->arena_size)
		return -EFAULT;
	*gfn = (uint64_t)(p - x->arena) >> XSIM_PAGE_SHIFT;
	return 0;
}

void *xsim_gfn_to_va(struct xsim *x, uint64_t gfn)
{
	if (!x->arena || gfn >= x->arena_size / XSIM_PAGE_SIZE)
		return NULL;
	return x->arena + gfn * XSIM_PAGE_SIZE;
}

/* ------------------------------------------------------------------ */
/* Granting side */

grant_entry_v1_t *xsim_gnttab_table(struct xsim *x, unsigned *nr_entries)
{
	if (nr_entries)
		*nr_entries = atomic_load(&x->shm->dom[x->domid].nr_frames) *
			      XSIM_ENTRIES_PER_FRAME;
	return xsim_gnttab_of(x->shm, x->domid);
}

int xsim_gnttab_grow(struct xsim *x, unsigned frames, int16_t *status)
{
	struct xsim_dom *d = &x->shm->dom[x->domid];
	unsigned cap = atomic_load(&d->fault.grant_frames_cap);
	unsigned max = d->max_frames;

	if (cap && cap < max)
		max = cap;
	if (frames > max) {
		if (status)
			*status = GNTST_general_error;
		return -ENOSPC;
	}
	if (xsim_lock(x->shm))
		return -EIO;
	if (frames > atomic_load(&d->nr_frames))
		atomic_store(&d->nr_frames, frames);
	xsim_unlock(x->shm);
	if (status)
		*status = GNTST_okay;
	return 0;
}

int xsim_gnttab_query_size(struct xsim *x, unsigned *nr_frames, unsigned *max_frames)
{
	struct xsim_dom *d = &x->shm->dom[x->domid];

	*nr_frames = atomic_load(&d->nr_frames);
	*max_frames = d->max_frames;
	return 0;
}

int xsim_gnttab_end_access(struct xsim *x, grant_ref_t ref)
{
	unsigned nr;
	grant_entry_v1_t *gt = xsim_gnttab_table(x, &nr);
	uint16_t flags;

	if (ref >= nr)
		return -EINVAL;
	flags = __atomic_load_n(&gt[ref].flags, __ATOMIC_ACQUIRE);
	do {
		if (flags & (GTF_reading | GTF_writing))
			return -EBUSY;
	} while (!__atomic_compare_exchange_n(&gt[ref].flags, &flags, 0, false,
					      __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE));
	return 0;
}

/* ------------------------------------------------------------------ */
/* Pinning: Xen's active entries. Machine lock held. */

static int16_t pin_locked(struct xsim *x, uint16_t granter, grant_ref_t ref,
			  bool rw, uint32_t *frame)
{
	struct xsim_shm *s = x->shm;
	struct xsim_dom *g = &s->dom[granter];
	grant_entry_v1_t *e = &xsim_gnttab_of(s, granter)[ref];
	struct xsim_active *act = &xsim_active_of(s, granter)[ref];
	bool pinned = act->ro_pins + act->rw_pins > 0;
	uint32_t want = GTF_reading | (rw ? GTF_writing : 0);
	int tries;

	if (pinned && act->domid != x->domid)
		return GNTST_general_error;
	if (!pinned || (rw && !act->rw_pins)) {
		uint32_t old = __atomic_load_n(entry_word(e), __ATOMIC_ACQUIRE);

		for (tries = 0; tries < PIN_RETRIES; tries++) {
			uint16_t fl = (uint16_t)old, dom = (uint16_t)(old >> 16);

			if ((fl & GTF_type_mask) != GTF_permit_access || dom != x->domid)
				return GNTST_general_error;
			if (rw && (fl & GTF_readonly))
				return GNTST_general_error;
			if (__atomic_compare_exchange_n(entry_word(e), &old, old | want,
							false, __ATOMIC_ACQ_REL,
							__ATOMIC_ACQUIRE))
				break;
		}
		if (tries == PIN_RETRIES)
			return GNTST_general_error;	/* entry unstable */
		if (!pinned) {
			/* The frame is read once, after the flags say we
			 * hold it: the granter cannot end access under us. */
			uint32_t f = __atomic_load_n(&e->frame, __ATOMIC_ACQUIRE);

			if (f >= g->memory_pages) {
				__atomic_fetch_and(&e->flags, (uint16_t)~want,
						   __ATOMIC_ACQ_REL);
				return GNTST_general_error;
			}
			act->frame = f;
			act->domid = x->domid;
		}
	}
	if (rw)
		act->rw_pins++;
	else
		act->ro_pins++;
	*frame = act->frame;
	return GNTST_okay;
}

static void unpin_locked(struct xsim_shm *s, uint16_t granter, grant_ref_t ref, bool rw)
{
	grant_entry_v1_t *e = &xsim_gnttab_of(s, granter)[ref];
	struct xsim_active *act = &xsim_active_of(s, granter)[ref];

	if (rw && act->rw_pins)
		act->rw_pins--;
	else if (!rw && act->ro_pins)
		act->ro_pins--;
	if (!act->rw_pins)
		__atomic_fetch_and(&e->flags, (uint16_t)~GTF_writing, __ATOMIC_ACQ_REL);
	if (!act->rw_pins && !act->ro_pins)
		__atomic_fetch_and(&e->flags, (uint16_t)~GTF_reading, __ATOMIC_ACQ_REL);
}

/* A fault plan on the mapper or the granter fails this map. */
static int16_t map_fault(struct xsim_shm *s, uint16_t a, uint16_t b)
{
	uint16_t doms[2] = { a, b };

	for (int i = 0; i < 2; i++) {
		struct xsim_fault_state *f = &s->dom[doms[i]].fault;
		uint32_t n = atomic_load(&f->map_fail);

		while (n && !atomic_compare_exchange_weak(&f->map_fail, &n, n - 1))
			;
		if (n)
			return (int16_t)atomic_load(&f->map_fail_status);
	}
	return GNTST_okay;
}

/* An fd on @domid's arena, as of domain generation @gen. */
static int arena_fd(struct xsim *x, uint16_t domid, uint32_t gen)
{
	char path[PATH_MAX];
	int fd;

	pthread_mutex_lock(&x->lock);
	fd = x->arena_fd[domid].fd;
	if (fd < 0 || x->arena_fd[domid].gen != gen) {
		if (fd >= 0)
			close(fd);
		fd = -1;
		if (xsim_arena_path(x->dir, domid, path, sizeof(path)) == 0)
			fd = open(path, O_RDWR | O_CLOEXEC);
		x->arena_fd[domid].fd = fd;
		x->arena_fd[domid].gen = gen;
	}
	pthread_mutex_unlock(&x->lock);
	return fd;
}

void xsim_map_release_locked(struct xsim *x, uint32_t handle)
{
	struct xsim_shm *s = x->shm;
	struct xsim_map_rec *m = &s->maps[handle];
	uint16_t granter = m->granter;

	if (!m->in_use)
		return;
	unpin_locked(s, granter, m->ref, !m->readonly);
	atomic_fetch_add(&s->dom[m->mapper].ctr.grant_unmaps, 1);
	m->in_use = 0;
	xsim_dom_maybe_free(x, granter);
}

static int local_add(struct xsim *x, void *addr, uint32_t handle)
{
	int rc = 0;

	pthread_mutex_lock(&x->lock);
	if (x->nr_maps == x->cap_maps) {
		unsigned cap = x->cap_maps ? 2 * x->cap_maps : 64;
		struct xsim_local_map *n = realloc(x->maps, cap * sizeof(*n));

		if (!n) {
			rc = -ENOMEM;
			goto out;
		}
		x->maps = n;
		x->cap_maps = cap;
	}
	x->maps[x->nr_maps].addr = addr;
	x->maps[x->nr_maps].handle = handle;
	x->nr_maps++;
out:
	pthread_mutex_unlock(&x->lock);
	return rc;
}

/* Remove @addr from the local list; its handle, or -1 if absent. */
static int64_t local_del(struct xsim *x, void *addr)
{
	int64_t h = -1;

	pthread_mutex_lock(&x->lock);
	for (unsigned i = x->nr_maps; i-- > 0;) {
		if (x->maps[i].addr == addr) {
			h = x->maps[i].handle;
			x->maps[i] = x->maps[--x->nr_maps];
			break;
		}
	}
	pthread_mutex_unlock(&x->lock);
	return h;
}

static void release_handle(struct xsim *x, uint32_t h)
{
	struct xsim_map_rec *m = &x->shm->maps[h];

	if (xsim_lock(x->shm))
		return;
	/* The daemon may have reaped us already: only release our own. */
	if (m->in_use && m->att == x->att)
		xsim_map_release_locked(x, h);
	xsim_unlock(x->shm);
}

void xsim_local_maps_free(struct xsim *x)
{
	for (unsigned i = 0; i < x->nr_maps; i++) {
		munmap(x->maps[i].addr, XSIM_PAGE_SIZE);
		release_handle(x, x->maps[i].handle);
	}
	x->nr_maps = 0;
}

/* ------------------------------------------------------------------ */
/* Mapping side */

void *xsim_gnttab_map(struct xsim *x, uint16_t granter, grant_ref_t ref,
		      bool readonly, int16_t *status)
{
	struct xsim_shm *s = x->shm;
	struct xsim_dom *g;
	int16_t st = GNTST_okay;
	uint32_t frame = 0, gen = 0, h = 0;
	void *addr;
	int fd;

	if (granter >= XSIM_MAX_DOMAINS) {
		st = GNTST_bad_domain;
		goto out_count;
	}
	if (xsim_lock(s)) {
		st = GNTST_general_error;
		goto out_count;
	}
	g = &s->dom[granter];
	if (!xsim_dom_live(g)) {
		st = GNTST_bad_domain;
		goto out_unlock;
	}
	st = map_fault(s, x->domid, granter);
	if (st != GNTST_okay)
		goto out_unlock;
	if (ref >= atomic_load(&g->nr_frames) * XSIM_ENTRIES_PER_FRAME) {
		st = GNTST_bad_gntref;
		goto out_unlock;
	}
	for (h = 0; h < XSIM_MAX_MAPS && s->maps[h].in_use; h++)
		;
	if (h == XSIM_MAX_MAPS) {
		st = GNTST_no_device_space;
		goto out_unlock;
	}
	st = pin_locked(x, granter, ref, !readonly, &frame);
	if (st != GNTST_okay)
		goto out_unlock;
	s->maps[h] = (struct xsim_map_rec){
		.in_use = 1, .readonly = readonly, .mapper = x->domid,
		.granter = granter, .att = (int16_t)x->att, .ref = ref,
	};
	gen = g->gen;
out_unlock:
	xsim_unlock(s);
	if (st != GNTST_okay)
		goto out_count;

	fd = arena_fd(x, granter, gen);
	addr = fd < 0 ? MAP_FAILED :
		mmap(NULL, XSIM_PAGE_SIZE, readonly ? PROT_READ : PROT_READ | PROT_WRITE,
		     MAP_SHARED, fd, (off_t)frame * XSIM_PAGE_SIZE);
	if (addr == MAP_FAILED) {
		st = GNTST_general_error;
		goto out_release;
	}
	if (local_add(x, addr, h)) {
		munmap(addr, XSIM_PAGE_SIZE);
		st = GNTST_no_device_space;
		goto out_release;
	}
	atomic_fetch_add(&s->dom[x->domid].ctr.grant_maps, 1);
	if (status)
		*status = GNTST_okay;
	return addr;

out_release:
	release_handle(x, h);
out_count:
	atomic_fetch_add(&s->dom[x->domid].ctr.grant_map_failures, 1);
	if (status)
		*status = st;
	return NULL;
}

int xsim_gnttab_unmap(struct xsim *x, void *addr)
{
	int64_t h = local_del(x, addr);

	if (h < 0)
		return -EINVAL;
	munmap(addr, XSIM_PAGE_SIZE);
	release_handle(x, (uint32_t)h);
	return 0;
}

/* One side of a copy, resolved and pinned. */
struct copy_side {
	uint16_t domid;
	bool gref, pinned;
	grant_ref_t ref;
	uint64_t frame;
	uint32_t gen;
};

static int16_t copy_resolve(struct xsim *x, struct copy_side *c, bool is_gref,
			    uint16_t domid, uint64_t ref_or_gmfn, bool rw)
{
	struct xsim_dom *d;
	uint32_t frame;
	int16_t st;

	c->gref = is_gref;
	c->pinned = false;
	c->domid = domid == DOMID_SELF ? x->domid : domid;
	if (c->domid >= XSIM_MAX_DOMAINS)
		return GNTST_bad_domain;
	d = &x->shm->dom[c->domid];
	if (!xsim_dom_live(d))
		return GNTST_bad_domain;
	c->gen = d->gen;
	if (!is_gref) {
		/* Copy by frame number only from or to ourselves. */
		if (c->domid != x->domid)
			return GNTST_permission_denied;
		if (ref_or_gmfn >= d->memory_pages)
			return GNTST_bad_page;
		c->frame = ref_or_gmfn;
		return GNTST_okay;
	}
	if (ref_or_gmfn >= atomic_load(&d->nr_frames) * XSIM_ENTRIES_PER_FRAME)
		return GNTST_bad_gntref;
	c->ref = (grant_ref_t)ref_or_gmfn;
	st = pin_locked(x, c->domid, c->ref, rw, &frame);
	if (st == GNTST_okay) {
		c->pinned = true;
		c->frame = frame;
	}
	return st;
}

static int16_t copy_one(struct xsim *x, struct gnttab_copy *op)
{
	struct copy_side src = { 0 }, dst = { 0 };
	uint8_t buf[XSIM_PAGE_SIZE];
	int16_t st;
	int sfd, dfd;

	if (op->len > XSIM_PAGE_SIZE || op->source.offset + op->len > XSIM_PAGE_SIZE ||
	    op->dest.offset + op->len > XSIM_PAGE_SIZE)
		return GNTST_bad_copy_arg;
	if (xsim_lock(x->shm))
		return GNTST_general_error;
	st = copy_resolve(x, &src, op->flags & GNTCOPY_source_gref, op->source.domid,
			  op->flags & GNTCOPY_source_gref ? op->source.u.ref :
			  op->source.u.gmfn, false);
	if (st == GNTST_okay)
		st = copy_resolve(x, &dst, op->flags & GNTCOPY_dest_gref, op->dest.domid,
				  op->flags & GNTCOPY_dest_gref ? op->dest.u.ref :
				  op->dest.u.gmfn, true);
	xsim_unlock(x->shm);

	if (st == GNTST_okay) {
		sfd = arena_fd(x, src.domid, src.gen);
		dfd = arena_fd(x, dst.domid, dst.gen);
		if (sfd < 0 || dfd < 0 ||
		    pread(sfd, buf, op->len, (off_t)(src.frame * XSIM_PAGE_SIZE +
						     op->source.offset)) != op->len ||
		    pwrite(dfd, buf, op->len, (off_t)(dst.frame * XSIM_PAGE_SIZE +
						      op->dest.offset)) != op->len)
			st = GNTST_general_error;
	}

	if (src.pinned || dst.pinned) {
		if (xsim_lock(x->shm) == 0) {
			if (src.pinned)
				unpin_locked(x->shm, src.domid, src.ref, false);
			if (dst.pinned)
				unpin_locked(x->shm, dst.domid, dst.ref, true);
			xsim_unlock(x->shm);
		}
	}
	return st;
}

int xsim_gnttab_copy(struct xsim *x, struct gnttab_copy *ops, unsigned count)
{
	if (!ops && count)
		return -EINVAL;
	for (unsigned i = 0; i < count; i++) {
		ops[i].status = copy_one(x, &ops[i]);
		if (ops[i].status == GNTST_okay)
			atomic_fetch_add(&x->shm->dom[x->domid].ctr.grant_copies, 1);
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* xenstore rings */

struct xenstore_domain_interface *xsim_xenstore_ring(struct xsim *x, uint32_t *port)
{
	if (x->domid == 0)
		return NULL;
	if (port)
		*port = x->shm->dom[x->domid].xs_port;
	return xsim_gfn_to_va(x, XSIM_XENSTORE_GFN);
}

struct xenstore_domain_interface *xsim_xenstore_map_ring(struct xsim *x,
		uint16_t domid, uint32_t *port, int16_t *status)
{
	if (x->domid != 0 || domid == 0 || domid >= XSIM_MAX_DOMAINS) {
		if (status)
			*status = x->domid ? GNTST_permission_denied : GNTST_bad_domain;
		return NULL;
	}
	if (port)
		*port = x->shm->dom[domid].xs_port;
	return xsim_gnttab_map(x, domid, GNTTAB_RESERVED_XENSTORE, false, status);
}
