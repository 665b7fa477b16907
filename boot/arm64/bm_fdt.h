/* SPDX-License-Identifier: MIT */
/*
 * A small flattened device tree reader for the bare-metal guest: walk the
 * structure block of an untrusted DTB (every offset, length and string is
 * checked against the header and the blob's size before it is read), and
 * pull out what the guest needs from the tree Xen's toolstack builds: the
 * RAM banks, the `xen,xen` hypervisor node (grant-table region, event
 * channel interrupt), the timer (frequency, virtual timer interrupt) and
 * a GICv3's distributor and redistributor.
 *
 * Freestanding C11 (only <vscmi/os.h>); the same file is built on the host
 * for its unit test and fuzz target. Reads bytes only: it runs with the MMU
 * off, where unaligned loads fault.
 */
#ifndef BM_BM_FDT_H
#define BM_BM_FDT_H

#include <vscmi/os.h>

/** Deepest node nesting the walker accepts (Xen's guest trees use 3). */
#define BM_FDT_MAX_DEPTH 16
/** RAM banks kept by bm_dt_parse(). */
#define BM_DT_MAX_BANKS 4

/** A validated blob: offsets are within size, the blocks within the blob. */
struct bm_fdt {
	const uint8_t *base;
	uint32_t size;			/* totalsize from the header */
	uint32_t off_struct, len_struct;
	uint32_t off_strings, len_strings;
};

/** What the walker reports; any callback may be NULL. Non-zero stops. */
struct bm_fdt_visitor {
	int (*begin_node)(void *priv, int depth, const char *name);
	int (*prop)(void *priv, int depth, const char *name, const uint8_t *val,
		    uint32_t len);
	int (*end_node)(void *priv, int depth);
};

/**
 * Check the header of the blob at @blob, of which at most @avail bytes may
 * be read: magic, version >= 16, totalsize <= @avail, both blocks inside
 * totalsize. 0 or -EINVAL.
 */
int bm_fdt_open(struct bm_fdt *f, const void *blob, size_t avail);
/** totalsize of the blob at @blob if its header looks valid (for reserving it), else 0. */
uint32_t bm_fdt_peek_size(const void *blob, size_t avail);
/**
 * Walk the structure block in order. -EINVAL for any malformed token, name,
 * property or nesting (the callbacks may have run for what came before);
 * a callback's non-zero return is passed through.
 */
int bm_fdt_walk(const struct bm_fdt *f, const struct bm_fdt_visitor *v, void *priv);

/** Read a big-endian cell. */
uint32_t bm_fdt_be32(const uint8_t *p);

/** The facts the guest takes from its device tree. */
struct bm_dt_info {
	uint32_t addr_cells, size_cells;	/* of the root (default 2, 1) */
	unsigned nr_banks;
	struct { uint64_t base, size; } bank[BM_DT_MAX_BANKS];
	bool has_xen;				/* a node compatible with "xen,xen" */
	uint64_t gnttab_base, gnttab_size;	/* its first reg range */
	bool has_evtchn_irq;
	uint32_t evtchn_irq;			/* GIC INTID of its first interrupt */
	uint32_t timer_freq;			/* timer clock-frequency, 0 if absent */
	bool has_vtimer_irq;
	uint32_t vtimer_irq;			/* INTID of the virtual timer (3rd) */
	bool has_gicv3;				/* an "arm,gic-v3" node with 2 ranges */
	uint64_t gicd_base, gicd_size;		/* distributor */
	uint64_t gicr_base, gicr_size;		/* first redistributor region */
	char xen_compat[32];			/* first compatible string, e.g. xen,xen-4.17 */
};

/**
 * Parse the blob (at most @avail bytes readable) into @info. Properties of
 * unknown nodes are ignored; malformed known properties are -EINVAL.
 * -ENOENT if there is no memory bank.
 */
int bm_dt_parse(const void *blob, size_t avail, struct bm_dt_info *info);

#endif /* BM_BM_FDT_H */
