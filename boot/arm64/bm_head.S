/* SPDX-License-Identifier: MIT */
/*
 * Entry of the bare-metal arm64 Xen guest (docs/baremetal-guest.md): the
 * Linux arm64 Image header that xl's kernel= loader recognises, the boot
 * path (EL1, MMU off, x0 = DTB) up to C, the exception vectors, the MMU
 * switch and the HVC hypercall stubs.
 *
 * Boot: interrupts masked, VBAR set, .bss zeroed, a stack, then
 * bm_early(dtb) (C, strict alignment: it runs with the MMU off, where every
 * data access is Device memory) returns the translation table base, the
 * MMU and caches go on, and bm_main(dtb) runs the program. Nothing returns
 * past bm_main: it ends with SCHEDOP_shutdown.
 */
#include "boot/arm64/arm64.h"

	.section .head.text, "ax"
	.globl	_start
_start:
	/* Image header (Documentation/arch/arm64/booting.rst). */
	b	bm_entry		/* code0 */
	.long	0			/* code1 */
	.quad	BM_TEXT_OFFSET		/* text_offset: load address - RAM base */
	.quad	_image_size		/* image_size: file + bss, from the link */
	.quad	BM_IMAGE_FLAGS		/* flags: little-endian, 4K pages */
	.quad	0, 0, 0			/* res2..res4 */
	.long	0x644d5241		/* magic "ARM\x64" */
	.long	0			/* res5: no PE/COFF header */

	.text
bm_entry:
	msr	daifset, #0xf
	mov	x19, x0			/* the DTB, kept in a callee-saved register */
	/* Linked to run where Xen loads it (RAM base + text_offset). */
	adr	x1, _start
	ldr	x2, =_start
	cmp	x1, x2
	b.ne	bm_hang
	adr	x1, bm_vectors
	msr	vbar_el1, x1
	isb
	/* .bss (16-byte aligned by the linker script), with aligned stores. */
	adrp	x1, __bss_start
	add	x1, x1, :lo12:__bss_start
	adrp	x2, __bss_end
	add	x2, x2, :lo12:__bss_end
1:	cmp	x1, x2
	b.hs	2f
	stp	xzr, xzr, [x1], #16
	b	1b
2:	adrp	x1, bm_stack_top
	add	x1, x1, :lo12:bm_stack_top
	mov	sp, x1
	mov	x0, x19
	bl	bm_early		/* x0 = TTBR0 value (level-1 table) */
	bl	bm_mmu_enable
	mov	x0, x19
	bl	bm_main
bm_hang:
	wfi
	b	bm_hang

/*
 * bm_mmu_enable(ttbr0): MAIR, TCR and TTBR0 as arm64.h describes, then
 * SCTLR.M|C|I. The map is an identity map, so the next instruction is
 * fetched from the same address with translation on.
 */
	.globl	bm_mmu_enable
bm_mmu_enable:
	ldr	x1, =BM_MAIR
	msr	mair_el1, x1
	ldr	x1, =BM_TCR
	msr	tcr_el1, x1
	msr	ttbr0_el1, x0
	isb
	/* No stale translations or instructions from before us. */
	tlbi	vmalle1
	ic	iallu
	dsb	nsh
	isb
	mrs	x1, sctlr_el1
	ldr	x2, =BM_SCTLR_SET
	orr	x1, x1, x2
	ldr	x2, =BM_SCTLR_CLEAR
	bic	x1, x1, x2
	msr	sctlr_el1, x1
	isb
	ic	iallu
	dsb	nsh
	isb
	ret

/*
 * Hypercalls: HVC #0xEA1 with the hypercall number in x16 and the
 * arguments in x0..x4; the result comes back in x0 (Xen's arm ABI).
 * Xen may clobber the argument registers: they are caller-saved in the
 * C ABI anyway.
 */
	.globl	vscmi_plat_hypercall2
vscmi_plat_hypercall2:
	mov	x16, x0
	mov	x0, x1
	mov	x1, x2
	hvc	#0xea1
	ret

	.globl	vscmi_plat_hypercall3
vscmi_plat_hypercall3:
	mov	x16, x0
	mov	x0, x1
	mov	x1, x2
	mov	x2, x3
	hvc	#0xea1
	ret

/*
 * Exception vectors: 16 slots of 128 bytes. Every exception is unexpected
 * (interrupts stay masked: events are polled), so each slot saves x0..x30
 * and calls bm_exception(slot, regs), which reports and never returns.
 */
	.macro	vec slot
	.balign	0x80
	sub	sp, sp, #BM_REGS_SIZE
	stp	x0, x1, [sp, #0]
	mov	x0, #\slot
	b	bm_vec_common
	.endm

	.balign	0x800
	.globl	bm_vectors
bm_vectors:
	vec	0
	vec	1
	vec	2
	vec	3
	vec	4
	vec	5
	vec	6
	vec	7
	vec	8
	vec	9
	vec	10
	vec	11
	vec	12
	vec	13
	vec	14
	vec	15

bm_vec_common:
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x19, [sp, #144]
	stp	x20, x21, [sp, #160]
	stp	x22, x23, [sp, #176]
	stp	x24, x25, [sp, #192]
	stp	x26, x27, [sp, #208]
	stp	x28, x29, [sp, #224]
	str	x30, [sp, #240]
	mov	x1, sp
	bl	bm_exception
	b	bm_hang

	.ltorg

/* The one stack (no threads, no interrupts); bm_main.c reports its depth. */
	.section .bss.stack, "aw", %nobits
	.balign	16
	.globl	bm_stack
bm_stack:
	.space	BM_STACK_SIZE
bm_stack_top:
