// SPDX-License-Identifier: MIT
/*
 * Fuzz target for os/heap.c, the freestanding allocator: the input is a
 * script of allocations (sizes from tiny to several pages) and frees (in
 * any order, including bad pointers: double frees and interior pointers),
 * on a page allocator that fails when the script says so. After every step
 * os_heap_check() must hold, every live block must keep its fill pattern,
 * and at the end everything is given back to the page allocator.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <vscmi/os.h>

#include "os/heap.h"
#include "tests/fuzz/fuzz.h"

#define SLOTS 32

static size_t pages_out;
static bool fail_next;

static void *page_alloc(size_t npages)
{
	void *p;

	if (fail_next) {
		fail_next = false;
		return NULL;
	}
	p = aligned_alloc(OS_PAGE_SIZE, npages * OS_PAGE_SIZE);
	FUZZ_CHECK(p != NULL);
	pages_out += npages;
	return p;
}

static void page_free(void *p, size_t npages)
{
	FUZZ_CHECK(pages_out >= npages);
	pages_out -= npages;
	free(p);
}

static void quiet_sink(enum os_log_level level, const char *line)
{
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct {
		unsigned char *p;
		size_t size;
		unsigned char fill;
	} slot[SLOTS];
	struct os_heap h;
	struct os_heap_stats st;
	size_t i = 0;

	os_log_set_sink(quiet_sink);	/* bad frees log by design */
	os_heap_init(&h, page_alloc, page_free, 1 + (size ? data[0] % 4 : 0));
	memset(slot, 0, sizeof(slot));
	while (i + 2 < size) {
		uint8_t op = data[i], a = data[i + 1], b = data[i + 2];
		unsigned s = op % SLOTS;

		i += 3;
		switch (op >> 5) {
		case 0: case 1: case 2: case 3: {	/* allocate */
			size_t n = (op & 0x80) ? (size_t)a * 256 + b : (size_t)a % 64 * 4 + b % 4;

			if (slot[s].p)
				break;
			fail_next = (b == 0xff);
			slot[s].p = os_heap_alloc(&h, n);
			fail_next = false;
			if (!slot[s].p)
				break;
			FUZZ_CHECK((uintptr_t)slot[s].p % OS_HEAP_ALIGN == 0);
			FUZZ_CHECK(os_heap_usable_size(&h, slot[s].p) >= n);
			slot[s].size = n;
			slot[s].fill = a ^ b;
			memset(slot[s].p, slot[s].fill, n);
			break;
		}
		case 4: case 5:				/* free */
			if (!slot[s].p)
				break;
			for (size_t j = 0; j < slot[s].size; j++)
				FUZZ_CHECK(slot[s].p[j] == slot[s].fill);
			os_heap_free(&h, slot[s].p);
			slot[s].p = NULL;
			break;
		case 6:					/* interior pointer */
			/* Aligned, so only the header checks can refuse it;
			 * the fill pattern is what it finds there. */
			if (slot[s].p && slot[s].size >= 16u * (a % 8 + 1) + 16)
				os_heap_free(&h, slot[s].p + 16 * (a % 8 + 1));
			break;
		default:				/* trim */
			os_heap_trim(&h);
			break;
		}
		FUZZ_CHECK(os_heap_check(&h, &st) == 0);
	}
	for (unsigned s = 0; s < SLOTS; s++) {
		if (!slot[s].p)
			continue;
		for (size_t j = 0; j < slot[s].size; j++)
			FUZZ_CHECK(slot[s].p[j] == slot[s].fill);
		os_heap_free(&h, slot[s].p);
	}
	FUZZ_CHECK(os_heap_check(&h, &st) == 0);
	FUZZ_CHECK(st.used_blocks == 0 && st.large_allocs == 0);
	os_heap_trim(&h);
	FUZZ_CHECK(pages_out == 0);
	os_log_set_sink(NULL);
	return 0;
}
