// SPDX-License-Identifier: MIT
/*
 * xensim grant tables, across processes: map/unmap, read-only, permission
 * and range checks with Xen's GNTST_* codes, end access while mapped, the
 * end-access versus map race, GNTTABOP_copy, growth, fault injection and
 * the cleanup of a dead domain (audit clean).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "xsim_test_util.h"

struct fixture {
	struct xt_machine m;
	uint16_t d1, d2;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	assert_int_equal(xt_machine_start(&f->m), 0);
	assert_int_equal(xsim_domain_create(f->m.dom0, "guest1", 4, 0, &f->d1), 0);
	assert_int_equal(xsim_domain_create(f->m.dom0, "guest2", 4, 4, &f->d2), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	xt_machine_stop(&f->m);
	free(f);
	return 0;
}

/* Grant one fresh page to @to, filled with @fill; returns the ref. */
static grant_ref_t grant_page(struct xsim *x, uint16_t to, bool ro, uint8_t fill,
			      grant_ref_t ref, uint8_t **page)
{
	unsigned nr;
	grant_entry_v1_t *gt = xsim_gnttab_table(x, &nr);
	uint64_t gfn;

	*page = xsim_alloc_pages(x, 1);
	if (!*page || xsim_va_to_gfn(x, *page, &gfn) || ref >= nr)
		return 0;
	memset(*page, fill, XSIM_PAGE_SIZE);
	gt[ref].domid = to;
	gt[ref].frame = (uint32_t)gfn;
	/* The mapper sees frame and domid before the flags. */
	__atomic_store_n(&gt[ref].flags, GTF_permit_access | (ro ? GTF_readonly : 0),
			 __ATOMIC_RELEASE);
	return ref;
}

static uint16_t flags_of(struct xsim *x, grant_ref_t ref)
{
	return __atomic_load_n(&xsim_gnttab_table(x, NULL)[ref].flags, __ATOMIC_ACQUIRE);
}

/* Child (granter): grant ref 8 rw to dom0, then follow the parent's steps. */
static int granter_rw(struct xsim *x, struct xt_chan *c, void *arg)
{
	uint8_t *page;
	grant_ref_t ref = grant_page(x, 0, false, 0x5a, 8, &page);

	XT_CHECK(ref == 8);
	XT_CHECK(xt_send(c, 0, ref) == 0);
	XT_CHECK(xt_recv(c, 0) == 1);			/* parent mapped */
	XT_CHECK((flags_of(x, ref) & (GTF_reading | GTF_writing)) ==
		 (GTF_reading | GTF_writing));
	XT_CHECK(xsim_gnttab_end_access(x, ref) == -EBUSY);
	XT_CHECK(flags_of(x, ref) & GTF_permit_access);	/* still granted */
	XT_CHECK(xt_send(c, 0, 2) == 0);
	XT_CHECK(xt_recv(c, 0) == 3);			/* parent wrote, unmapped */
	XT_CHECK(page[100] == 0xa5);
	XT_CHECK((flags_of(x, ref) & (GTF_reading | GTF_writing)) == 0);
	XT_CHECK(xsim_gnttab_end_access(x, ref) == 0);
	XT_CHECK(flags_of(x, ref) == 0);
	XT_CHECK(xt_send(c, 0, 4) == 0);
	XT_CHECK(xt_recv(c, 0) == 5);
	return 0;
}

static void test_map_unmap_end_access(void **state)
{
	struct fixture *f = *state;
	struct xt_chan c;
	int16_t st = 99;
	pid_t pid = xt_spawn(f->m.dir, f->d1, &c, granter_rw, NULL);
	int64_t ref = xt_recv(&c, 1);
	uint8_t *p;
	struct xsim_counters k0, k1;

	assert_int_equal(ref, 8);
	xsim_counters(f->m.dom0, 0, &k0);
	p = xsim_gnttab_map(f->m.dom0, f->d1, (grant_ref_t)ref, false, &st);
	assert_non_null(p);
	assert_int_equal(st, GNTST_okay);
	assert_int_equal(p[0], 0x5a);
	assert_int_equal(p[4095], 0x5a);
	xt_send(&c, 1, 1);
	assert_int_equal(xt_recv(&c, 1), 2);	/* end access refused */
	p[100] = 0xa5;
	assert_int_equal(xsim_gnttab_unmap(f->m.dom0, p), 0);
	assert_int_equal(xsim_gnttab_unmap(f->m.dom0, p), -EINVAL);
	xt_send(&c, 1, 3);
	assert_int_equal(xt_recv(&c, 1), 4);	/* access ended */
	/* Ended: the same ref no longer maps. */
	assert_null(xsim_gnttab_map(f->m.dom0, f->d1, (grant_ref_t)ref, true, &st));
	assert_int_equal(st, GNTST_general_error);
	xsim_counters(f->m.dom0, 0, &k1);
	assert_int_equal(k1.grant_maps - k0.grant_maps, 1);
	assert_int_equal(k1.grant_unmaps - k0.grant_unmaps, 1);
	xt_send(&c, 1, 5);
	assert_int_equal(xt_wait(pid), 0);
	assert_int_equal(xsim_audit(f->m.dom0, NULL), 0);
}

/* Child: grant ref 9 read-only and ref 10 to dom2 (not us), then wait. */
static int granter_ro(struct xsim *x, struct xt_chan *c, void *arg)
{
	uint8_t *p1, *p2;

	XT_CHECK(grant_page(x, 0, true, 0x11, 9, &p1) == 9);
	XT_CHECK(grant_page(x, 2, false, 0x22, 10, &p2) == 10);
	XT_CHECK(xt_send(c, 0, 1) == 0);
	XT_CHECK(xt_recv(c, 0) == 2);
	XT_CHECK(p1[0] == 0x11);
	XT_CHECK(xsim_gnttab_end_access(x, 9) == 0);
	XT_CHECK(xsim_gnttab_end_access(x, 10) == 0);
	return 0;
}

static void test_readonly_and_denials(void **state)
{
	struct fixture *f = *state;
	struct xt_chan c;
	int16_t st;
	pid_t pid = xt_spawn(f->m.dir, f->d1, &c, granter_ro, NULL), w;
	uint8_t *p;
	unsigned nr;

	assert_int_equal(xt_recv(&c, 1), 1);
	/* Xen refuses to write-pin a read-only entry. */
	assert_null(xsim_gnttab_map(f->m.dom0, f->d1, 9, false, &st));
	assert_int_equal(st, GNTST_general_error);
	p = xsim_gnttab_map(f->m.dom0, f->d1, 9, true, &st);
	assert_non_null(p);
	assert_int_equal(p[7], 0x11);
	assert_int_equal(flags_of(f->m.dom0, 0) & 0, 0);
	/* The mapping is really read-only: a write faults. */
	fflush(NULL);
	w = fork();
	if (w == 0) {
		signal(SIGSEGV, SIG_DFL);	/* not cmocka's handler */
		((volatile uint8_t *)p)[0] = 1;
		_exit(0);
	}
	assert_int_equal(xt_wait(w), 1000 + SIGSEGV);
	assert_int_equal(xsim_gnttab_unmap(f->m.dom0, p), 0);

	/* Granted to dom2: dom0 may not map it (Xen: GNTST_general_error). */
	assert_null(xsim_gnttab_map(f->m.dom0, f->d1, 10, true, &st));
	assert_int_equal(st, GNTST_general_error);
	/* Never granted, out of range, no such domain. */
	assert_null(xsim_gnttab_map(f->m.dom0, f->d1, 11, true, &st));
	assert_int_equal(st, GNTST_general_error);
	xsim_domain_info(f->m.dom0, f->d1, &(struct xsim_domain_info){ 0 });
	nr = XSIM_ENTRIES_PER_FRAME * XSIM_GNTTAB_INIT_FRAMES;
	assert_null(xsim_gnttab_map(f->m.dom0, f->d1, nr, true, &st));
	assert_int_equal(st, GNTST_bad_gntref);
	assert_null(xsim_gnttab_map(f->m.dom0, 25, 8, true, &st));
	assert_int_equal(st, GNTST_bad_domain);
	assert_null(xsim_gnttab_map(f->m.dom0, 999, 8, true, &st));
	assert_int_equal(st, GNTST_bad_domain);

	xt_send(&c, 1, 2);
	assert_int_equal(xt_wait(pid), 0);
	assert_int_equal(xsim_audit(f->m.dom0, NULL), 0);
}

#define RACE_ROUNDS 3000

/* Busy-wait, so that the window the mapper races against varies. */
static void spin_ns(uint64_t ns)
{
	struct timespec a, b;

	clock_gettime(CLOCK_MONOTONIC, &a);
	do
		clock_gettime(CLOCK_MONOTONIC, &b);
	while ((uint64_t)(b.tv_sec - a.tv_sec) * 1000000000ull +
	       (uint64_t)(b.tv_nsec - a.tv_nsec) < ns);
}

/* Child (granter): grant, then end access as fast as it may, RACE_ROUNDS
 * times. page[1] is 1 while the mapper holds the page; it must never be 1
 * once end access succeeded. */
static int race_granter(struct xsim *x, struct xt_chan *c, void *arg)
{
	unsigned nr;
	grant_entry_v1_t *gt = xsim_gnttab_table(x, &nr);
	volatile uint8_t *page = xsim_alloc_pages(x, 1);
	uint64_t gfn, busy = 0;

	XT_CHECK(page && xsim_va_to_gfn(x, (void *)page, &gfn) == 0);
	gt[12].domid = 0;
	gt[12].frame = (uint32_t)gfn;
	XT_CHECK(xt_send(c, 0, 12) == 0);
	for (int i = 0; i < RACE_ROUNDS; i++) {
		__atomic_store_n(&gt[12].flags, GTF_permit_access, __ATOMIC_RELEASE);
		spin_ns((uint64_t)(i % 16) * 2000);
		while (xsim_gnttab_end_access(x, 12) == -EBUSY)
			busy++;
		/* Ended: no mapper may hold it now. */
		XT_CHECK(__atomic_load_n(&page[1], __ATOMIC_ACQUIRE) == 0);
		XT_CHECK(gt[12].flags == 0);
	}
	XT_CHECK(xt_send(c, 0, busy) == 0);
	XT_CHECK(xt_recv(c, 0) == 1);
	return 0;
}

static void test_end_access_map_race(void **state)
{
	struct fixture *f = *state;
	struct xt_chan c;
	pid_t pid = xt_spawn(f->m.dir, f->d1, &c, race_granter, NULL);
	uint64_t maps = 0, fails = 0;
	int64_t busy;
	int status;

	assert_int_equal(xt_recv(&c, 1), 12);
	/* Map and unmap until the granter is done. */
	while (waitpid(pid, &status, WNOHANG) == 0) {
		int16_t st;
		volatile uint8_t *p = xsim_gnttab_map(f->m.dom0, f->d1, 12, false, &st);

		if (!p) {
			assert_int_equal(st, GNTST_general_error);
			fails++;
			/* Has the child finished its rounds? */
			struct timeval tv = { 0, 0 };
			fd_set rf;

			FD_ZERO(&rf);
			FD_SET(c.to_parent[0], &rf);
			if (select(c.to_parent[0] + 1, &rf, NULL, NULL, &tv) > 0)
				break;
			continue;
		}
		__atomic_store_n(&p[1], 1, __ATOMIC_RELEASE);
		p[2]++;
		__atomic_store_n(&p[1], 0, __ATOMIC_RELEASE);
		assert_int_equal(xsim_gnttab_unmap(f->m.dom0, (void *)p), 0);
		maps++;
	}
	busy = xt_recv(&c, 1);
	assert_true(busy >= 0);
	xt_send(&c, 1, 1);
	assert_int_equal(xt_wait(pid), 0);
	print_message("race: %llu maps, %llu refused maps, %lld refused end-access\n",
		      (unsigned long long)maps, (unsigned long long)fails, (long long)busy);
	/* Both sides must have won some rounds for the race to mean much. */
	assert_true(maps > 0);
	assert_true(fails > 0);
	assert_int_equal(xsim_audit(f->m.dom0, NULL), 0);
}

static int granter_copy(struct xsim *x, struct xt_chan *c, void *arg)
{
	uint8_t *src, *dst;

	XT_CHECK(grant_page(x, 0, true, 0x33, 13, &src) == 13);
	XT_CHECK(grant_page(x, 0, false, 0x00, 14, &dst) == 14);
	memcpy(src + 10, "hello xen", 9);
	XT_CHECK(xt_send(c, 0, 1) == 0);
	XT_CHECK(xt_recv(c, 0) == 2);
	XT_CHECK(memcmp(dst + 100, "hello xen", 9) == 0);
	XT_CHECK(dst[99] == 0 && dst[109] == 0);
	XT_CHECK(xsim_gnttab_end_access(x, 13) == 0);
	XT_CHECK(xsim_gnttab_end_access(x, 14) == 0);
	return 0;
}

static void test_copy(void **state)
{
	struct fixture *f = *state;
	struct xt_chan c;
	pid_t pid = xt_spawn(f->m.dir, f->d1, &c, granter_copy, NULL);
	uint8_t *mine = xsim_alloc_pages(f->m.dom0, 1);
	uint64_t gfn;
	struct gnttab_copy ops[5];

	assert_non_null(mine);
	assert_int_equal(xsim_va_to_gfn(f->m.dom0, mine, &gfn), 0);
	assert_int_equal(xt_recv(&c, 1), 1);
	memset(ops, 0, sizeof(ops));
	/* 0: their gref 13 -> our gmfn */
	ops[0].source.u.ref = 13; ops[0].source.domid = f->d1; ops[0].source.offset = 10;
	ops[0].dest.u.gmfn = gfn; ops[0].dest.domid = DOMID_SELF; ops[0].dest.offset = 0;
	ops[0].len = 9; ops[0].flags = GNTCOPY_source_gref;
	/* 1: our gmfn -> their gref 14 */
	ops[1].source.u.gmfn = gfn; ops[1].source.domid = DOMID_SELF;
	ops[1].dest.u.ref = 14; ops[1].dest.domid = f->d1; ops[1].dest.offset = 100;
	ops[1].len = 9; ops[1].flags = GNTCOPY_dest_gref;
	/* 2: write into a read-only grant */
	ops[2] = ops[1]; ops[2].dest.u.ref = 13;
	/* 3: crossing the page end */
	ops[3] = ops[0]; ops[3].source.offset = 4090;
	/* 4: a foreign gmfn */
	ops[4] = ops[0]; ops[4].flags = 0; ops[4].source.u.gmfn = 1;
	assert_int_equal(xsim_gnttab_copy(f->m.dom0, ops, 2), 0);
	assert_int_equal(ops[0].status, GNTST_okay);
	assert_int_equal(ops[1].status, GNTST_okay);
	assert_memory_equal(mine, "hello xen", 9);
	assert_int_equal(xsim_gnttab_copy(f->m.dom0, &ops[2], 3), 0);
	assert_int_equal(ops[2].status, GNTST_general_error);
	assert_int_equal(ops[3].status, GNTST_bad_copy_arg);
	assert_int_equal(ops[4].status, GNTST_permission_denied);
	xt_send(&c, 1, 2);
	assert_int_equal(xt_wait(pid), 0);
	xsim_free_pages(f->m.dom0, mine, 1);
	assert_int_equal(xsim_audit(f->m.dom0, NULL), 0);
}

static int grow_child(struct xsim *x, struct xt_chan *c, void *arg)
{
	unsigned nr, fr, max;
	int16_t st;

	XT_CHECK(xsim_gnttab_query_size(x, &fr, &max) == 0);
	XT_CHECK(fr == 1 && max == 4);
	xsim_gnttab_table(x, &nr);
	XT_CHECK(nr == XSIM_ENTRIES_PER_FRAME);
	XT_CHECK(xsim_gnttab_grow(x, 3, &st) == 0 && st == GNTST_okay);
	xsim_gnttab_table(x, &nr);
	XT_CHECK(nr == 3 * XSIM_ENTRIES_PER_FRAME);
	XT_CHECK(xsim_gnttab_grow(x, 2, &st) == 0);	/* never shrinks */
	xsim_gnttab_table(x, &nr);
	XT_CHECK(nr == 3 * XSIM_ENTRIES_PER_FRAME);
	XT_CHECK(xsim_gnttab_grow(x, 5, &st) == -ENOSPC && st == GNTST_general_error);
	XT_CHECK(xt_send(c, 0, 1) == 0);
	XT_CHECK(xt_recv(c, 0) == 2);	/* parent capped us at 3 frames */
	XT_CHECK(xsim_gnttab_grow(x, 4, &st) == -ENOSPC);
	return 0;
}

static void test_grow_and_exhaust(void **state)
{
	struct fixture *f = *state;
	struct xt_chan c;
	pid_t pid = xt_spawn(f->m.dir, f->d2, &c, grow_child, NULL);
	struct xsim_fault fl = { .grant_frames_cap = 3 };

	assert_int_equal(xt_recv(&c, 1), 1);
	assert_int_equal(xsim_fault_set(f->m.dom0, f->d2, &fl), 0);
	xt_send(&c, 1, 2);
	assert_int_equal(xt_wait(pid), 0);
}

static int granter_fault(struct xsim *x, struct xt_chan *c, void *arg)
{
	uint8_t *p;

	XT_CHECK(grant_page(x, 0, false, 1, 15, &p) == 15);
	XT_CHECK(xt_send(c, 0, 1) == 0);
	XT_CHECK(xt_recv(c, 0) == 2);
	XT_CHECK(xsim_gnttab_end_access(x, 15) == 0);
	return 0;
}

static void test_fault_map_fail(void **state)
{
	struct fixture *f = *state;
	struct xt_chan c;
	pid_t pid = xt_spawn(f->m.dir, f->d1, &c, granter_fault, NULL);
	struct xsim_fault fl = { .map_fail = 2, .map_fail_status = GNTST_no_device_space };
	int16_t st;
	void *p;

	assert_int_equal(xt_recv(&c, 1), 1);
	assert_int_equal(xsim_fault_set(f->m.dom0, f->d1, &fl), 0);
	for (int i = 0; i < 2; i++) {
		assert_null(xsim_gnttab_map(f->m.dom0, f->d1, 15, false, &st));
		assert_int_equal(st, GNTST_no_device_space);
	}
	p = xsim_gnttab_map(f->m.dom0, f->d1, 15, false, &st);
	assert_non_null(p);
	assert_int_equal(xsim_gnttab_unmap(f->m.dom0, p), 0);
	xt_send(&c, 1, 2);
	assert_int_equal(xt_wait(pid), 0);
}

/* Child: map a page dom0 granted, hold it, and die without cleaning up. */
static int dying_mapper(struct xsim *x, struct xt_chan *c, void *arg)
{
	int16_t st;
	uint8_t *p;
	int64_t ref = xt_recv(c, 0);

	p = xsim_gnttab_map(x, 0, (grant_ref_t)ref, false, &st);
	XT_CHECK(p && st == GNTST_okay);
	p[0] = 0x77;
	XT_CHECK(xt_send(c, 0, 1) == 0);
	return -1;	/* exit with the map in place */
}

static void test_domain_death_cleanup(void **state)
{
	struct fixture *f = *state;
	struct xt_chan c;
	uint16_t d3;
	pid_t pid;
	uint8_t *page;
	uint64_t destroyed;

	assert_int_equal(xsim_domain_create(f->m.dom0, "doomed", 2, 0, &d3), 0);
	assert_int_equal(grant_page(f->m.dom0, d3, false, 0, 20, &page), 20);
	pid = xt_spawn(f->m.dir, d3, &c, dying_mapper, NULL);
	xt_send(&c, 1, 20);
	assert_int_equal(xt_recv(&c, 1), 1);
	assert_int_equal(xt_wait(pid), 0);
	assert_int_equal(page[0], 0x77);
	/* The dead process still pins our grant until someone reaps it. */
	assert_int_equal(xsim_gnttab_end_access(f->m.dom0, 20), -EBUSY);
	assert_true(xsim_audit(f->m.dom0, NULL) > 0);
	assert_int_equal(xsim_reap(f->m.dom0, &destroyed), 1);
	assert_int_equal(destroyed, 1ull << d3);
	assert_int_equal(xsim_domain_info(f->m.dom0, d3, &(struct xsim_domain_info){ 0 }),
			 -ESRCH);
	assert_int_equal(xsim_gnttab_end_access(f->m.dom0, 20), 0);
	assert_int_equal(xsim_audit(f->m.dom0, NULL), 0);
	xsim_free_pages(f->m.dom0, page, 1);
}

/* Child: grant a page to dom0, then wait to be killed. */
static int zombie_granter(struct xsim *x, struct xt_chan *c, void *arg)
{
	uint8_t *p;

	XT_CHECK(grant_page(x, 0, false, 0x44, 21, &p) == 21);
	XT_CHECK(xt_send(c, 0, 1) == 0);
	xt_recv(c, 0);
	return -1;
}

static void test_destroy_while_mapped(void **state)
{
	struct fixture *f = *state;
	struct xt_chan c;
	uint16_t d4;
	struct xsim_domain_info info;
	pid_t pid;
	int16_t st;
	uint8_t *p;

	assert_int_equal(xsim_domain_create(f->m.dom0, "zombie", 2, 0, &d4), 0);
	pid = xt_spawn(f->m.dir, d4, &c, zombie_granter, NULL);
	assert_int_equal(xt_recv(&c, 1), 1);
	p = xsim_gnttab_map(f->m.dom0, d4, 21, false, &st);
	assert_non_null(p);
	assert_int_equal(xsim_domain_destroy(f->m.dom0, d4), 0);
	assert_int_equal(xt_wait(pid), 1000 + SIGKILL);
	/* As on Xen, the page outlives the domain while mapped. */
	assert_int_equal(xsim_domain_info(f->m.dom0, d4, &info), 0);
	assert_int_equal(info.state, XSIM_DOM_DYING);
	assert_int_equal(p[0], 0x44);
	assert_true(xsim_audit(f->m.dom0, NULL) > 0);
	assert_null(xsim_gnttab_map(f->m.dom0, d4, 21, false, &st));
	assert_int_equal(st, GNTST_bad_domain);
	assert_int_equal(xsim_gnttab_unmap(f->m.dom0, p), 0);
	assert_int_equal(xsim_domain_info(f->m.dom0, d4, &info), -ESRCH);
	assert_int_equal(xsim_audit(f->m.dom0, NULL), 0);
	assert_int_equal(xsim_domain_destroy(f->m.dom0, d4), -ESRCH);
	assert_int_equal(xsim_domain_destroy(f->m.dom0, 0), -EINVAL);
}

static void test_xenstore_ring(void **state)
{
	struct fixture *f = *state;
	struct xenstore_domain_interface *ring;
	uint32_t port = 0;
	int16_t st;
	struct xsim_evtchn_status es;

	assert_null(xsim_xenstore_ring(f->m.dom0, &port));
	ring = xsim_xenstore_map_ring(f->m.dom0, f->d2, &port, &st);
	assert_non_null(ring);
	assert_int_equal(st, GNTST_okay);
	assert_true(port > 0);
	assert_int_equal(xsim_evtchn_status(f->m.dom0, f->d2, port, &es), 0);
	assert_int_equal(es.state, XSIM_ECS_UNBOUND);
	assert_int_equal(es.remote_dom, 0);
	ring->req_prod = 0;
	assert_int_equal(xsim_gnttab_unmap(f->m.dom0, ring), 0);
	assert_true(strstr(xsim_xenstored_socket(f->m.dom0), "xenstored.sock") != NULL);
}

static void test_machine_checks(void **state)
{
	struct fixture *f = *state;
	struct xsim *x;
	uint16_t id;
	char name[XSIM_NAME_MAX];
	struct xsim_domain_info list[XSIM_MAX_DOMAINS];

	assert_int_equal(xsim_attach(f->m.dir, 30, &x), -ESRCH);
	assert_int_equal(xsim_attach("/nonexistent/xsim", 0, &x), -ENOENT);
	assert_int_equal(xsim_attach("bad name!", 0, &x), -EINVAL);
	assert_int_equal(xsim_domain_create(f->m.dom0, "guest1", 1, 0, &id), -EEXIST);
	assert_int_equal(xsim_domain_create(f->m.dom0, "bad/name", 1, 0, &id), -EINVAL);
	assert_int_equal(xsim_domain_create(f->m.dom0, "huge", 100000, 0, &id), -EINVAL);
	assert_int_equal(xsim_domain_name(f->m.dom0, 0, name, sizeof(name)), 0);
	assert_string_equal(name, "Domain-0");
	assert_int_equal(xsim_domain_name(f->m.dom0, 0, name, 3), -ENAMETOOLONG);
	assert_int_equal(xsim_domain_list(f->m.dom0, list, XSIM_MAX_DOMAINS), 3);
	assert_int_equal(xsim_machine_create(f->m.dir, NULL), -EEXIST);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_map_unmap_end_access, setup, teardown),
		cmocka_unit_test_setup_teardown(test_readonly_and_denials, setup, teardown),
		cmocka_unit_test_setup_teardown(test_end_access_map_race, setup, teardown),
		cmocka_unit_test_setup_teardown(test_copy, setup, teardown),
		cmocka_unit_test_setup_teardown(test_grow_and_exhaust, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fault_map_fail, setup, teardown),
		cmocka_unit_test_setup_teardown(test_domain_death_cleanup, setup, teardown),
		cmocka_unit_test_setup_teardown(test_destroy_while_mapped, setup, teardown),
		cmocka_unit_test_setup_teardown(test_xenstore_ring, setup, teardown),
		cmocka_unit_test_setup_teardown(test_machine_checks, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
