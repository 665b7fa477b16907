// SPDX-License-Identifier: MIT
/*
 * Early boot and the identity map of the bare-metal guest.
 *
 * bm_early() runs from bm_head.S with the MMU off, so every data access is
 * Device-nGnRnE and must be aligned: this file and bm_fdt.c are built with
 * -mstrict-align (boot/arm64/build.mk). It parses the device tree and
 * builds the translation tables; bm_head.S then enables the MMU and caches.
 *
 * The map: 4 KiB granule, 32-bit input addresses (TCR_EL1.T0SZ = 32), one
 * level-1 table of four 1 GiB entries, each pointing to a level-2 table of
 * 512 2 MiB blocks. Everything is identity-mapped, so a guest frame number
 * is the address shifted, as Xen's hypercalls expect. Guest RAM (from the
 * device tree's memory nodes) and the grant-table region of the `xen,xen`
 * node are Normal write-back cacheable, inner shareable: Xen and dom0 map
 * the same pages cacheable, so both sides agree on attributes. Further
 * blocks (the console and xenstore rings in Xen's "magic" page area) are
 * mapped on first use by bm_mmu_map(). Nothing is mapped executable for EL0.
 */
#include "boot/arm64/arm64.h"
#include "boot/arm64/bm.h"

/* The tables: written before the MMU is on, extended afterwards (one CPU). */
static uint64_t bm_l1[512] __attribute__((aligned(4096)));
static uint64_t bm_l2[BM_L1_ENTRIES][512] __attribute__((aligned(4096)));
static unsigned bm_nr_blocks;

struct bm_dt_info bm_dt;
int bm_dt_err;
uintptr_t bm_dtb_addr;
uint32_t bm_dtb_size;

/* Largest DTB we read before knowing where RAM ends (Linux's limit). */
#define BM_DTB_MAX (2u << 20)

unsigned bm_mmu_blocks(void)
{
	return bm_nr_blocks;
}

int bm_mmu_map(uint64_t pa, uint64_t size, bool device)
{
	const uint64_t normal = BM_PT_BLOCK | BM_PT_ATTRIDX(BM_ATTR_NORMAL) |
				BM_PT_SH_INNER | BM_PT_AF | BM_PT_UXN;
	const uint64_t dev = BM_PT_BLOCK | BM_PT_ATTRIDX(BM_ATTR_DEVICE) | BM_PT_AF |
			     BM_PT_UXN | BM_PT_PXN;
	uint64_t first = pa & ~(uint64_t)(BM_BLOCK_SIZE - 1);
	uint64_t end = pa + size;

	if (!size || end < pa || end > (1ull << BM_VA_BITS))
		return -ERANGE;
	for (uint64_t b = first; b < end; b += BM_BLOCK_SIZE) {
		uint64_t *e = &bm_l2[b >> BM_L1_SHIFT][(b >> BM_L2_SHIFT) & 511];
		uint64_t want = b | (device ? dev : normal);
		uint64_t cur = OS_READ_ONCE(*e);

		if (cur == want)
			continue;
		if (cur)
			return -EEXIST;	/* changing a live block needs break-before-make */
		OS_WRITE_ONCE(*e, want);
		bm_nr_blocks++;
	}
	/* The table walker sees the new entries before any access through them. */
	__asm__ __volatile__("dsb ishst\n\tisb" ::: "memory");
	return 0;
}

/* Invalidate the data cache over [@start, @end): lines written with the MMU off. */
static void dcache_inval(uintptr_t start, uintptr_t end)
{
	uint64_t ctr;
	uintptr_t line;

	__asm__ __volatile__("mrs %0, ctr_el0" : "=r"(ctr));
	line = (uintptr_t)4 << ((ctr >> 16) & 0xf);	/* DminLine, in words */
	for (uintptr_t p = start & ~(line - 1); p < end; p += line)
		__asm__ __volatile__("dc ivac, %0" :: "r"(p) : "memory");
	__asm__ __volatile__("dsb sy" ::: "memory");
}

uint64_t bm_early(uintptr_t dtb)
{
	size_t avail = 0;

	for (unsigned i = 0; i < BM_L1_ENTRIES; i++)
		bm_l1[i] = (uint64_t)(uintptr_t)bm_l2[i] | BM_PT_TABLE;

	/* The DTB is 8-byte aligned in RAM; read no more than Linux would. */
	if (dtb && !(dtb & 7) && dtb < (1ull << BM_VA_BITS))
		avail = (size_t)OS_MIN((uint64_t)BM_DTB_MAX, (1ull << BM_VA_BITS) - dtb);
	bm_dt_err = avail ? bm_dt_parse((const void *)dtb, avail, &bm_dt) : -EFAULT;
	if (!bm_dt_err) {
		bool inside = false;

		bm_dtb_addr = dtb;
		bm_dtb_size = bm_fdt_peek_size((const void *)dtb, avail);
		for (unsigned i = 0; i < bm_dt.nr_banks; i++) {
			uint64_t b = bm_dt.bank[i].base, s = bm_dt.bank[i].size;

			if (dtb >= b && dtb - b <= s && bm_dtb_size <= s - (dtb - b))
				inside = true;
			bm_mmu_map(b, s, false);	/* banks above 4 GiB: not used */
		}
		if (!inside)
			bm_dt_err = -EFAULT;
		if (bm_dt.has_xen && bm_dt.gnttab_size)
			bm_mmu_map(bm_dt.gnttab_base, bm_dt.gnttab_size, false);
	}
	/* Without a usable tree: the image's own 2 MiB blocks, to report the error. */
	if (bm_dt_err)
		bm_mmu_map((uintptr_t)_image_start,
			   (uint64_t)(_image_end - _image_start), false);

	/* .bss (tables, stack, the above) went to memory; drop stale lines. */
	dcache_inval((uintptr_t)__bss_start, (uintptr_t)__bss_end);
	return (uint64_t)(uintptr_t)bm_l1;
}
