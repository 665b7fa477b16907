/* SPDX-License-Identifier: MIT */
/*
 * Internal interfaces of the bare-metal arm64 guest (boot/arm64): the
 * early boot and MMU (bm_mmu.c), the Xen platform services behind the
 * vscmi_plat_* hooks (bm_plat.c, bm_console.c) and the program (bm_main.c).
 * docs/baremetal-guest.md describes the whole.
 */
#ifndef BM_BM_H
#define BM_BM_H

#include <vscmi/os.h>

#include "boot/arm64/bm_fdt.h"

/* ---- linker symbols (guest.lds) ---- */
extern char _image_start[], _text_end[], _rodata_start[], _file_end[], __bss_start[],
	__bss_end[], _image_end[];

/* ---- early boot and MMU (bm_mmu.c) ---- */

/** What bm_early() learnt from the device tree (valid if bm_dt_err == 0). */
extern struct bm_dt_info bm_dt;
/** bm_dt_parse()'s result, or -EFAULT for a DTB pointer outside RAM. */
extern int bm_dt_err;
/** Where the DTB is and its size, to keep its pages out of the allocator. */
extern uintptr_t bm_dtb_addr;
extern uint32_t bm_dtb_size;

/**
 * Called from bm_head.S with the MMU off: read the device tree, build the
 * identity map (RAM and the grant-table region Normal write-back) and
 * return the level-1 table's address for TTBR0_EL1.
 */
uint64_t bm_early(uintptr_t dtb);
/** bm_head.S: switch the MMU and caches on with @ttbr0. */
void bm_mmu_enable(uint64_t ttbr0);
/**
 * Identity-map [@pa, @pa + @size) in 2 MiB blocks, Normal write-back
 * (@device false) or Device-nGnRnE. Blocks already mapped the same way are
 * left alone. -ERANGE beyond the 4 GiB the tables cover, -EEXIST if a
 * block is mapped with the other type.
 */
int bm_mmu_map(uint64_t pa, uint64_t size, bool device);
/** Blocks mapped, for the footprint report. */
unsigned bm_mmu_blocks(void);

/* ---- Xen services (bm_plat.c, bm_console.c) ---- */

/** Console on the PV console ring (HVM_PARAM_CONSOLE_PFN/_EVTCHN). 0 or -errno. */
int bm_console_init(void);
/** Mask the console's event channel (needs shared_info): we never wait on it. */
int bm_console_mask_events(void);
/** Wait (bounded) until xenconsoled has read everything written so far. */
void bm_console_flush(void);
/** printf to the console (os_snprintf's formats). */
void bm_printf(const char *fmt, ...) OS_PRINTF(1, 2);
/** The page allocator over RAM left after the image and the DTB. */
void bm_pages_init(void);
/** Map shared_info (XENMEM_add_to_physmap); 0 or -errno. */
int bm_xen_init(void);
/** Pages handed out now, at most, and in all. */
void bm_pages_stats(size_t *used, size_t *peak, size_t *total);
/** SCHEDOP_shutdown with @reason (SHUTDOWN_poweroff, _crash); does not return. */
void bm_shutdown(unsigned reason) __attribute__((noreturn));

/* ---- idling (bm_gic.c) ---- */

/** Naps taken and what ended them. */
struct bm_idle_stats {
	uint64_t naps, evtchn_wakes, timer_wakes, other_wakes;
};
/**
 * Set up the GICv3 (device tree's distributor and redistributor) so that
 * WFI wakes on the event-channel PPI and the virtual timer. -ENODEV without
 * a GICv3 (then the guest spins instead of napping).
 */
int bm_gic_init(void);
/** Sleep until an interrupt is pending, at most about 1 ms; false if not set up. */
bool bm_gic_idle(void);
void bm_gic_stats(struct bm_idle_stats *st);

/* ---- exceptions and the program ---- */

/** bm_head.S: every exception vector lands here (@regs: x0..x30). */
void bm_exception(unsigned long slot, const uint64_t *regs) __attribute__((noreturn));
/** The program: never returns. */
void bm_main(uintptr_t dtb) __attribute__((noreturn));

#endif /* BM_BM_H */
