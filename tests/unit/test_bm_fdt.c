// SPDX-License-Identifier: MIT
/*
 * Unit tests of boot/arm64/bm_fdt.c, the bare-metal guest's device tree
 * reader, on blobs compiled by dtc from the .dts files in tests/data/bm_fdt: the
 * libxl-shaped guest tree, one-cell and multi-bank variants, trees it must
 * refuse, and every truncation and single-byte corruption of the guest
 * tree (under ASan in `make test`: nothing may be read out of bounds).
 *
 * The .dtb files are committed next to their sources (no dtc needed to
 * test); after editing a .dts: dtc -I dts -O dtb -o X.dtb X.dts, and copy
 * it to tests/fuzz/corpus/bm_fdt/seed-X.dtb.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>

#include <vscmi/os.h>

#include "boot/arm64/bm_fdt.h"

#ifndef VSCMI_SRCTREE
#define VSCMI_SRCTREE "."
#endif

/* Read tests/data/bm_fdt/@name into a malloc'd buffer of exactly its size. */
static uint8_t *load(const char *name, size_t *len)
{
	char path[512];
	uint8_t *buf;
	FILE *f;
	long n;

	snprintf(path, sizeof(path), "%s/tests/data/bm_fdt/%s", VSCMI_SRCTREE, name);
	f = fopen(path, "rb");
	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n > 0);
	rewind(f);
	buf = malloc((size_t)n);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static void test_xen_guest_tree(void **state)
{
	struct bm_dt_info info;
	size_t len;
	uint8_t *b = load("xen-guest.dtb", &len);

	assert_int_equal(bm_dt_parse(b, len, &info), 0);
	assert_int_equal(info.addr_cells, 2);
	assert_int_equal(info.size_cells, 2);
	assert_int_equal(info.nr_banks, 1);
	assert_int_equal(info.bank[0].base, 0x40000000);
	assert_int_equal(info.bank[0].size, 0x2000000);
	assert_true(info.has_xen);
	assert_string_equal(info.xen_compat, "xen,xen-4.17");
	/* The first reg range; the second is an extended region. */
	assert_int_equal(info.gnttab_base, 0x38000000);
	assert_int_equal(info.gnttab_size, 0x1000000);
	assert_true(info.has_evtchn_irq);
	assert_int_equal(info.evtchn_irq, 31);	/* PPI 15 */
	assert_int_equal(info.timer_freq, 0);
	assert_true(info.has_vtimer_irq);
	assert_int_equal(info.vtimer_irq, 27);	/* PPI 11 */
	assert_true(info.has_gicv3);
	assert_int_equal(info.gicd_base, 0x3001000);
	assert_int_equal(info.gicd_size, 0x10000);
	assert_int_equal(info.gicr_base, 0x3020000);
	assert_int_equal(info.gicr_size, 0x20000);
	assert_int_equal(bm_fdt_peek_size(b, len), len);
	/* A larger readable window changes nothing. */
	uint8_t *big = calloc(1, len + 4096);
	assert_non_null(big);
	memcpy(big, b, len);
	assert_int_equal(bm_dt_parse(big, len + 4096, &info), 0);
	assert_int_equal(info.nr_banks, 1);
	free(big);
	free(b);
}

static void test_two_banks_one_cell(void **state)
{
	struct bm_dt_info info;
	size_t len;
	uint8_t *b = load("two-banks.dtb", &len);

	assert_int_equal(bm_dt_parse(b, len, &info), 0);
	assert_int_equal(info.addr_cells, 1);
	assert_int_equal(info.nr_banks, 3);
	assert_int_equal(info.bank[0].base, 0x40000000);
	assert_int_equal(info.bank[0].size, 0x1000000);
	assert_int_equal(info.bank[1].base, 0x48000000);
	assert_int_equal(info.bank[1].size, 0x800000);
	assert_int_equal(info.bank[2].base, 0x50000000);
	assert_int_equal(info.gnttab_base, 0x38000000);
	assert_int_equal(info.gnttab_size, 0x20000);
	assert_int_equal(info.evtchn_irq, 37);	/* SPI 5 */
	assert_int_equal(info.timer_freq, 62500000);
	assert_false(info.has_vtimer_irq);
	assert_false(info.has_gicv3);
	assert_string_equal(info.xen_compat, "xen,xen");
	free(b);
}

static void test_refused_trees(void **state)
{
	struct bm_dt_info info;
	size_t len;
	uint8_t *b;

	b = load("no-memory.dtb", &len);
	assert_int_equal(bm_dt_parse(b, len, &info), -ENOENT);
	assert_true(info.has_xen);
	free(b);
	b = load("bad-reg.dtb", &len);
	assert_int_equal(bm_dt_parse(b, len, &info), -EINVAL);
	free(b);
	b = load("deep.dtb", &len);
	assert_int_equal(bm_dt_parse(b, len, &info), -EINVAL);
	free(b);
}

/* A visitor that counts, and reads every byte it is shown. */
struct counts {
	unsigned begins, props, ends;
	int max_depth;
	unsigned long sum;
};

static int c_begin(void *priv, int depth, const char *name)
{
	struct counts *c = priv;

	c->begins++;
	c->max_depth = depth > c->max_depth ? depth : c->max_depth;
	c->sum += strlen(name);
	return 0;
}

static int c_prop(void *priv, int depth, const char *name, const uint8_t *val, uint32_t len)
{
	struct counts *c = priv;

	c->props++;
	c->sum += strlen(name);
	for (uint32_t i = 0; i < len; i++)
		c->sum += val[i];
	return 0;
}

static int c_end(void *priv, int depth)
{
	((struct counts *)priv)->ends++;
	return 0;
}

static const struct bm_fdt_visitor counting = { c_begin, c_prop, c_end };

static void test_walk_shape(void **state)
{
	struct counts c = { 0 };
	struct bm_fdt f;
	size_t len;
	uint8_t *b = load("xen-guest.dtb", &len);

	assert_int_equal(bm_fdt_open(&f, b, len), 0);
	assert_int_equal(bm_fdt_walk(&f, &counting, &c), 0);
	/* /, chosen, cpus, cpu@0, psci, memory, gic, timer, hypervisor */
	assert_int_equal(c.begins, 9);
	assert_int_equal(c.ends, 9);
	assert_int_equal(c.max_depth, 2);
	assert_true(c.props >= 25);
	free(b);
}

static int stop_at_memory(void *priv, int depth, const char *name)
{
	return strncmp(name, "memory", 6) ? 0 : 42;
}

static void test_callback_stops_walk(void **state)
{
	const struct bm_fdt_visitor v = { .begin_node = stop_at_memory };
	struct bm_fdt f;
	size_t len;
	uint8_t *b = load("xen-guest.dtb", &len);

	assert_int_equal(bm_fdt_open(&f, b, len), 0);
	assert_int_equal(bm_fdt_walk(&f, &v, NULL), 42);
	free(b);
}

static void test_header_checks(void **state)
{
	struct bm_fdt f;
	size_t len;
	uint8_t *b = load("xen-guest.dtb", &len);

	assert_int_equal(bm_fdt_open(&f, NULL, len), -EINVAL);
	assert_int_equal(bm_fdt_open(&f, b, 39), -EINVAL);
	/* totalsize beyond what may be read */
	assert_int_equal(bm_fdt_open(&f, b, len - 1), -EINVAL);
	assert_int_equal(bm_fdt_peek_size(b, len - 1), 0);
	b[0] ^= 0xff;
	assert_int_equal(bm_fdt_open(&f, b, len), -EINVAL);
	b[0] ^= 0xff;
	b[23] = 15;	/* version 15 */
	assert_int_equal(bm_fdt_open(&f, b, len), -EINVAL);
	free(b);
}

/*
 * Every truncation (the header's totalsize patched to match) and every
 * byte of the blob set to 0x00, 0xff and 0x7f in turn: the reader returns
 * an error or a result, and ASan sees no access outside the blob.
 */
static void test_corruptions(void **state)
{
	struct bm_dt_info info;
	size_t len;
	uint8_t *orig = load("xen-guest.dtb", &len);
	static const uint8_t vals[] = { 0x00, 0xff, 0x7f, 0x04 };
	unsigned ok = 0, bad = 0;

	for (size_t cut = 0; cut < len; cut++) {
		uint8_t *b = malloc(cut ? cut : 1);

		assert_non_null(b);
		memcpy(b, orig, cut);
		if (cut >= 8) {
			b[4] = (uint8_t)(cut >> 24);
			b[5] = (uint8_t)(cut >> 16);
			b[6] = (uint8_t)(cut >> 8);
			b[7] = (uint8_t)cut;
		}
		if (bm_dt_parse(b, cut, &info))
			bad++;
		else
			ok++;
		free(b);
	}
	for (size_t i = 0; i < len; i++) {
		for (size_t v = 0; v < sizeof(vals); v++) {
			uint8_t *b = malloc(len);

			assert_non_null(b);
			memcpy(b, orig, len);
			b[i] = vals[v];
			if (bm_dt_parse(b, len, &info))
				bad++;
			else
				ok++;
			free(b);
		}
	}
	/* Most corruptions of names and values still parse; structure ones do not. */
	assert_true(bad > len);
	assert_true(ok > 0);
	free(orig);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_xen_guest_tree),
		cmocka_unit_test(test_two_banks_one_cell),
		cmocka_unit_test(test_refused_trees),
		cmocka_unit_test(test_walk_shape),
		cmocka_unit_test(test_callback_stops_walk),
		cmocka_unit_test(test_header_checks),
		cmocka_unit_test(test_corruptions),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
