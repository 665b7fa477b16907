/* SPDX-License-Identifier: MIT */
/*
 * Architecture constants of the bare-metal arm64 guest, shared by bm_head.S
 * and the C files: Image header, translation regime (4 KiB granule, 32-bit
 * input addresses, level 1 and 2 tables, 2 MiB blocks), memory attributes
 * and system register bits. Assembler-safe: macros only.
 */
#ifndef BM_ARM64_H
#define BM_ARM64_H

#ifdef __ASSEMBLER__
#define BM_UL(x) x
#else
#define BM_UL(x) x##ULL
#endif

/* ---- Image header ---- */
#define BM_TEXT_OFFSET 0x80000
/*
 * flags: bit 0 little-endian (0), bits 2:1 page size 4 KiB (1),
 * bit 3 placement: 2 MiB-aligned base (0)
 */
#define BM_IMAGE_FLAGS (1 << 1)

/* ---- translation: TCR_EL1 ---- */
#define BM_VA_BITS 32		/* 4 GiB: guest RAM bank 0, grant table, magic pages, GIC */
#define BM_TCR_T0SZ (64 - BM_VA_BITS)
#define BM_TCR_IRGN0_WBWA (1 << 8)
#define BM_TCR_ORGN0_WBWA (1 << 10)
#define BM_TCR_SH0_INNER (3 << 12)
#define BM_TCR_TG0_4K (0 << 14)
#define BM_TCR_EPD1 (1 << 23)	/* no TTBR1 walks: nothing lives in the upper half */
#define BM_TCR_IPS_40BIT (BM_UL(2) << 32)
#define BM_TCR (BM_TCR_T0SZ | BM_TCR_IRGN0_WBWA | BM_TCR_ORGN0_WBWA | BM_TCR_SH0_INNER | \
		BM_TCR_TG0_4K | BM_TCR_EPD1 | BM_TCR_IPS_40BIT)

/* ---- MAIR_EL1: attribute 0 Normal WB RA/WA, attribute 1 Device-nGnRnE ---- */
#define BM_ATTR_NORMAL 0
#define BM_ATTR_DEVICE 1
#define BM_MAIR (0xff | (0x00 << 8))

/* ---- SCTLR_EL1: MMU, D-cache, I-cache on; alignment checks off ---- */
#define BM_SCTLR_M (1 << 0)
#define BM_SCTLR_A (1 << 1)
#define BM_SCTLR_C (1 << 2)
#define BM_SCTLR_I (1 << 12)
#define BM_SCTLR_EE (1 << 25)
#define BM_SCTLR_SET (BM_SCTLR_M | BM_SCTLR_C | BM_SCTLR_I)
#define BM_SCTLR_CLEAR (BM_SCTLR_A | BM_SCTLR_EE)

/* ---- descriptors (level 1 table, level 2 block) ---- */
#define BM_PT_TABLE 0x3
#define BM_PT_BLOCK 0x1
#define BM_PT_ATTRIDX(i) ((i) << 2)
#define BM_PT_SH_INNER (3 << 8)
#define BM_PT_AF (1 << 10)
#define BM_PT_PXN (BM_UL(1) << 53)
#define BM_PT_UXN (BM_UL(1) << 54)
#define BM_L1_SHIFT 30
#define BM_L2_SHIFT 21
#define BM_BLOCK_SIZE (1 << BM_L2_SHIFT)
#define BM_L1_ENTRIES (1 << (BM_VA_BITS - BM_L1_SHIFT))

/* ---- the stack ---- */
#define BM_STACK_SIZE 16384

/* ---- exception frame: x0..x30 ---- */
#define BM_REGS_SIZE 256

#endif /* BM_ARM64_H */
