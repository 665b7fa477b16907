// SPDX-License-Identifier: MIT
/*
 * Unit tests of os/heap.c, the freestanding build's allocator, run on the
 * host against a counting page allocator: alignment, splitting,
 * coalescing in every order, arena release, large blocks, bad frees,
 * allocation failure, and a long random workload checked with
 * os_heap_check() and fill patterns.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>

#include <vscmi/os.h>

#include "os/heap.h"

/* ---- a page allocator that counts and can fail ------------------------ */

#define MAX_RUNS 4096

static struct {
	void *p;
	size_t npages;
} runs[MAX_RUNS];
static size_t pages_out;	/* pages currently handed out */
static size_t page_calls;	/* successful alloc_pages calls */
static int fail_after = -1;	/* fail when it reaches 0; -1: never */

static void *fake_alloc_pages(size_t npages)
{
	void *p;

	if (fail_after == 0)
		return NULL;
	if (fail_after > 0)
		fail_after--;
	p = aligned_alloc(OS_PAGE_SIZE, npages * OS_PAGE_SIZE);
	assert_non_null(p);
	/* Dirty, as real free pages would be. */
	memset(p, 0xa5, npages * OS_PAGE_SIZE);
	for (size_t i = 0; i < MAX_RUNS; i++) {
		if (!runs[i].p) {
			runs[i].p = p;
			runs[i].npages = npages;
			pages_out += npages;
			page_calls++;
			return p;
		}
	}
	fail_msg("too many page runs");
	return NULL;
}

static void fake_free_pages(void *p, size_t npages)
{
	for (size_t i = 0; i < MAX_RUNS; i++) {
		if (runs[i].p == p) {
			/* The heap must give back exactly what it took. */
			assert_int_equal(runs[i].npages, npages);
			runs[i].p = NULL;
			pages_out -= npages;
			free(p);
			return;
		}
	}
	fail_msg("free_pages(%p) of pages never handed out", p);
}

static int setup(void **state)
{
	static struct os_heap h;

	memset(runs, 0, sizeof(runs));
	pages_out = 0;
	page_calls = 0;
	fail_after = -1;
	os_heap_init(&h, fake_alloc_pages, fake_free_pages, 4);
	*state = &h;
	return 0;
}

static int teardown(void **state)
{
	struct os_heap *h = *state;

	assert_int_equal(os_heap_check(h, NULL), 0);
	os_heap_trim(h);
	return 0;
}

static void check(struct os_heap *h, struct os_heap_stats *st)
{
	assert_int_equal(os_heap_check(h, st), 0);
}

/* ---- tests ------------------------------------------------------------- */

static void test_alloc_aligned_and_usable(void **state)
{
	struct os_heap *h = *state;
	void *p[64];

	for (size_t i = 0; i < OS_ARRAY_SIZE(p); i++) {
		size_t size = i * 13;

		p[i] = os_heap_alloc(h, size);
		assert_non_null(p[i]);
		assert_int_equal((uintptr_t)p[i] % OS_HEAP_ALIGN, 0);
		assert_true(os_heap_usable_size(h, p[i]) >= size);
		memset(p[i], (int)i, size);
		check(h, NULL);
	}
	for (size_t i = 0; i < OS_ARRAY_SIZE(p); i++) {
		for (size_t j = 0; j < i * 13; j++)
			assert_int_equal(((unsigned char *)p[i])[j], i);
		os_heap_free(h, p[i]);
		check(h, NULL);
	}
	os_heap_free(h, NULL);
}

static void test_coalesce_every_order(void **state)
{
	struct os_heap *h = *state;
	static const int orders[6][3] = {
		{ 0, 1, 2 }, { 0, 2, 1 }, { 1, 0, 2 },
		{ 1, 2, 0 }, { 2, 0, 1 }, { 2, 1, 0 },
	};
	struct os_heap_stats st;

	for (size_t o = 0; o < 6; o++) {
		void *p[3];

		for (int i = 0; i < 3; i++)
			p[i] = os_heap_alloc(h, 100);
		/* Three neighbours from one arena, in address order. */
		assert_true((char *)p[0] < (char *)p[1] &&
			    (char *)p[1] < (char *)p[2]);
		for (int i = 0; i < 3; i++) {
			os_heap_free(h, p[orders[o][i]]);
			check(h, &st);
		}
		/* Everything merged back into the one arena-sized block. */
		assert_int_equal(st.arenas, 1);
		assert_int_equal(st.free_blocks, 1);
		assert_int_equal(st.used_blocks, 0);
		assert_int_equal(st.free_bytes, 4 * OS_PAGE_SIZE - 48);
	}
}

static void test_split_and_reuse(void **state)
{
	struct os_heap *h = *state;
	struct os_heap_stats st;
	void *a = os_heap_alloc(h, 1000);
	void *b = os_heap_alloc(h, 16);
	void *c;

	os_heap_free(h, a);
	/* A smaller request fits the hole a left: first fit takes it. */
	c = os_heap_alloc(h, 500);
	assert_ptr_equal(c, a);
	check(h, &st);
	assert_int_equal(st.used_blocks, 2);
	/* The hole's tail stayed free, separate from the arena's tail. */
	assert_int_equal(st.free_blocks, 2);
	os_heap_free(h, b);
	os_heap_free(h, c);
	check(h, &st);
	assert_int_equal(st.free_blocks, 1);
}

static void test_arena_release(void **state)
{
	struct os_heap *h = *state;
	struct os_heap_stats st;
	void *p[40];

	/* 40 x 1 KiB: several 16 KiB arenas. */
	for (size_t i = 0; i < OS_ARRAY_SIZE(p); i++)
		assert_non_null(p[i] = os_heap_alloc(h, 1024));
	check(h, &st);
	assert_true(st.arenas >= 3);
	assert_int_equal(pages_out, st.arenas * 4);
	for (size_t i = 0; i < OS_ARRAY_SIZE(p); i++)
		os_heap_free(h, p[i]);
	check(h, &st);
	/* Empty arenas went back; the last one is kept for reuse. */
	assert_int_equal(st.arenas, 1);
	assert_int_equal(pages_out, 4);
	os_heap_trim(h);
	check(h, &st);
	assert_int_equal(st.arenas, 0);
	assert_int_equal(pages_out, 0);
	/* And it grows again after a trim. */
	p[0] = os_heap_alloc(h, 10);
	assert_non_null(p[0]);
	os_heap_free(h, p[0]);
}

static void test_large_blocks(void **state)
{
	struct os_heap *h = *state;
	struct os_heap_stats st;
	size_t before = pages_out;
	void *big = os_heap_alloc(h, 3 * OS_PAGE_SIZE);
	void *huge = os_heap_alloc(h, 100000);

	assert_non_null(big);
	assert_non_null(huge);
	/* 3 pages + header -> 4 pages; 100000 + header -> 25 pages. */
	assert_int_equal(pages_out - before, 4 + 25);
	assert_true(os_heap_usable_size(h, big) >= 3 * OS_PAGE_SIZE);
	memset(big, 1, 3 * OS_PAGE_SIZE);
	memset(huge, 2, 100000);
	check(h, &st);
	assert_int_equal(st.large_allocs, 2);
	assert_int_equal(st.large_pages, 29);
	assert_int_equal(st.arenas, 0);
	os_heap_free(h, big);
	os_heap_free(h, huge);
	check(h, &st);
	assert_int_equal(st.large_allocs, 0);
	assert_int_equal(pages_out, before);
}

static int bad_free_logs;

static void count_sink(enum os_log_level level, const char *line)
{
	if (level == OS_LOG_ERR && strstr(line, "double free"))
		bad_free_logs++;
}

static void test_bad_free(void **state)
{
	struct os_heap *h = *state;
	struct os_heap_stats st;
	void *a = os_heap_alloc(h, 64);
	void *b = os_heap_alloc(h, 64);
	void *c = os_heap_alloc(h, 64);
	unsigned char *d = os_heap_alloc(h, 200);

	memset(a, 0, 64);	/* so a + 16 holds no plausible header */
	/* 0x31 repeated reads as an in-use, aligned, plausible size: only
	 * the boundary tags can tell d + 32 is not a block. */
	memset(d, 0x31, 200);
	bad_free_logs = 0;
	os_log_set_sink(count_sink);
	os_heap_free(h, b);
	os_heap_free(h, b);		/* double free */
	os_heap_free(h, (char *)a + 8);	/* misaligned */
	os_heap_free(h, (char *)a + 16);	/* inside a block */
	os_heap_free(h, d + 32);		/* inside, plausible header */
	os_log_set_sink(NULL);
	check(h, &st);
	assert_int_equal(st.bad_frees, 4);
	assert_int_equal(bad_free_logs, 4);
	assert_int_equal(st.used_blocks, 3);
	for (int i = 0; i < 200; i++)
		assert_int_equal(d[i], 0x31);
	os_heap_free(h, a);
	os_heap_free(h, c);
	os_heap_free(h, d);
	check(h, &st);
	assert_int_equal(st.used_blocks, 0);
	assert_int_equal(st.free_blocks, 1);
}

static void test_page_allocator_failure(void **state)
{
	struct os_heap *h = *state;
	struct os_heap_stats st;
	void *p;

	fail_after = 0;
	assert_null(os_heap_alloc(h, 10));
	assert_null(os_heap_alloc(h, 1 << 20));
	check(h, &st);
	assert_int_equal(st.arenas, 0);
	fail_after = 1;
	p = os_heap_alloc(h, 10);
	assert_non_null(p);
	/* One arena was granted; the large block's own pages are not. */
	assert_null(os_heap_alloc(h, 1 << 20));
	os_heap_free(h, p);
	fail_after = -1;
	/* Absurd sizes never reach the page allocator. */
	assert_null(os_heap_alloc(h, SIZE_MAX));
	assert_null(os_heap_alloc(h, SIZE_MAX - 8));
	assert_null(os_heap_alloc(h, SIZE_MAX / 2 + 1));
	check(h, NULL);
}

/* xorshift64*: deterministic, so a failure reproduces. */
static uint64_t rng(void)
{
	static uint64_t s = 0x243f6a8885a308d3ull;

	s ^= s >> 12;
	s ^= s << 25;
	s ^= s >> 27;
	return s * 0x2545f4914f6cdd1dull;
}

static void test_random_workload(void **state)
{
	struct os_heap *h = *state;
	enum { SLOTS = 256, OPS = 200000 };
	static struct {
		unsigned char *p;
		size_t size;
		unsigned char fill;
	} slot[SLOTS];
	struct os_heap_stats st;
	size_t live = 0, peak_arenas = 0;

	for (int op = 0; op < OPS; op++) {
		size_t i = rng() % SLOTS;

		if (slot[i].p) {
			for (size_t j = 0; j < slot[i].size; j++)
				assert_int_equal(slot[i].p[j], slot[i].fill);
			os_heap_free(h, slot[i].p);
			slot[i].p = NULL;
			live--;
		} else {
			uint64_t r = rng();
			/* Mostly small, some medium, a few large. */
			size_t size = r % 100 < 80 ? r % 200 :
				      r % 100 < 97 ? r % 4000 : r % 20000;

			slot[i].p = os_heap_alloc(h, size);
			assert_non_null(slot[i].p);
			assert_int_equal((uintptr_t)slot[i].p % OS_HEAP_ALIGN, 0);
			slot[i].size = size;
			slot[i].fill = (unsigned char)r;
			memset(slot[i].p, slot[i].fill, size);
			live++;
		}
		if (op % 1000 == 0) {
			check(h, &st);
			peak_arenas = OS_MAX(peak_arenas, st.arenas);
			assert_int_equal(st.used_blocks + st.large_allocs, live);
		}
	}
	for (size_t i = 0; i < SLOTS; i++) {
		os_heap_free(h, slot[i].p);
		slot[i].p = NULL;
	}
	check(h, &st);
	assert_int_equal(st.used_blocks, 0);
	assert_int_equal(st.large_allocs, 0);
	assert_true(st.arenas <= 1);
	assert_true(st.free_blocks == st.arenas);
	print_message("random workload: peak %zu arenas, %zu page calls\n",
		      peak_arenas, page_calls);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_alloc_aligned_and_usable, setup, teardown),
		cmocka_unit_test_setup_teardown(test_coalesce_every_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_split_and_reuse, setup, teardown),
		cmocka_unit_test_setup_teardown(test_arena_release, setup, teardown),
		cmocka_unit_test_setup_teardown(test_large_blocks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_free, setup, teardown),
		cmocka_unit_test_setup_teardown(test_page_allocator_failure, setup, teardown),
		cmocka_unit_test_setup_teardown(test_random_workload, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
