// SPDX-License-Identifier: MIT
/*
 * The bare-metal guest's device tree reader (see fdt.h). Debian ships no
 * libfdt built for a freestanding arm64 target, and the guest needs a
 * walk over one blob and four node types, so this is a reader of its own:
 * a bounds-checked token walker and a parser on top of it.
 *
 * The blob is untrusted (the toolstack writes it, but nothing in it is
 * taken on faith): every offset is checked against the header's totalsize,
 * which is itself checked against what the caller says is readable; every
 * name must end with a NUL inside its block; nesting is bounded; every
 * token moves forward, so a walk always ends. tests/fuzz/fuzz_bm_fdt.c
 * feeds it arbitrary bytes.
 */
#include "boot/arm64/bm_fdt.h"

#define FDT_MAGIC 0xd00dfeedu
#define FDT_HDR_SIZE 40u
#define FDT_BEGIN_NODE 1u
#define FDT_END_NODE 2u
#define FDT_PROP 3u
#define FDT_NOP 4u
#define FDT_END 9u

uint32_t bm_fdt_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Length of the NUL-terminated string at @s with at most @max bytes, or -1. */
static long bounded_strlen(const uint8_t *s, size_t max)
{
	for (size_t i = 0; i < max; i++)
		if (!s[i])
			return (long)i;
	return -1;
}

uint32_t bm_fdt_peek_size(const void *blob, size_t avail)
{
	struct bm_fdt f;

	return bm_fdt_open(&f, blob, avail) ? 0 : f.size;
}

int bm_fdt_open(struct bm_fdt *f, const void *blob, size_t avail)
{
	const uint8_t *b = blob;
	uint32_t version;

	if (!b || avail < FDT_HDR_SIZE || bm_fdt_be32(b) != FDT_MAGIC)
		return -EINVAL;
	f->base = b;
	f->size = bm_fdt_be32(b + 4);
	f->off_struct = bm_fdt_be32(b + 8);
	f->off_strings = bm_fdt_be32(b + 12);
	version = bm_fdt_be32(b + 20);
	f->len_strings = bm_fdt_be32(b + 32);
	if (version < 16 || f->size < FDT_HDR_SIZE || f->size > avail)
		return -EINVAL;
	if (f->off_struct > f->size || f->off_strings > f->size || (f->off_struct & 3))
		return -EINVAL;
	/* size_dt_struct exists from version 17; before, the block runs to the end. */
	f->len_struct = version >= 17 ? bm_fdt_be32(b + 36) : f->size - f->off_struct;
	if (f->len_struct > f->size - f->off_struct ||
	    f->len_strings > f->size - f->off_strings)
		return -EINVAL;
	return 0;
}

int bm_fdt_walk(const struct bm_fdt *f, const struct bm_fdt_visitor *v, void *priv)
{
	const uint8_t *s = f->base + f->off_struct;
	const uint8_t *strs = f->base + f->off_strings;
	const size_t len = f->len_struct;
	size_t pos = 0;
	int depth = 0, ret;
	bool root_done = false;

	while (len - pos >= 4) {
		uint32_t tok = bm_fdt_be32(s + pos);
		long nlen;

		pos += 4;
		switch (tok) {
		case FDT_BEGIN_NODE:
			nlen = bounded_strlen(s + pos, len - pos);
			if (nlen < 0 || root_done || depth >= BM_FDT_MAX_DEPTH)
				return -EINVAL;
			if (v->begin_node) {
				ret = v->begin_node(priv, depth, (const char *)(s + pos));
				if (ret)
					return ret;
			}
			depth++;
			pos = OS_ALIGN_UP(pos + (size_t)nlen + 1, 4);
			break;
		case FDT_END_NODE:
			if (!depth)
				return -EINVAL;
			depth--;
			if (v->end_node) {
				ret = v->end_node(priv, depth);
				if (ret)
					return ret;
			}
			root_done = depth == 0;
			break;
		case FDT_PROP: {
			uint32_t plen, nameoff;

			if (!depth || len - pos < 8)
				return -EINVAL;
			plen = bm_fdt_be32(s + pos);
			nameoff = bm_fdt_be32(s + pos + 4);
			pos += 8;
			if (plen > len - pos || nameoff >= f->len_strings ||
			    bounded_strlen(strs + nameoff, f->len_strings - nameoff) < 0)
				return -EINVAL;
			if (v->prop) {
				ret = v->prop(priv, depth - 1, (const char *)(strs + nameoff),
					      s + pos, plen);
				if (ret)
					return ret;
			}
			pos = OS_ALIGN_UP(pos + plen, 4);
			break;
		}
		case FDT_NOP:
			break;
		case FDT_END:
			return root_done ? 0 : -EINVAL;
		default:
			return -EINVAL;
		}
		if (pos > len)
			return -EINVAL;
	}
	return -EINVAL;
}

/* ---- the guest's view of its tree ----------------------------------------- */

/* Parser state: the depth-1 node being read (memory, hypervisor, timer). */
struct dt_state {
	struct bm_dt_info *info;
	bool is_memory, is_xen, is_timer, is_gicv3;
	const uint8_t *reg, *irq;
	uint32_t reg_len, irq_len;
	uint32_t clock_freq;
};

static bool str_eq(const uint8_t *val, uint32_t len, const char *s)
{
	size_t n = strlen(s) + 1;

	return len >= n && !memcmp(val, s, n);
}

/* Does the stringlist @val contain @want? Also copies the first string. */
static bool compat_has(const uint8_t *val, uint32_t len, const char *want,
		       char *first, size_t first_cap)
{
	bool found = false;
	uint32_t i = 0;

	while (i < len) {
		long n = bounded_strlen(val + i, len - i);

		if (n < 0)
			break;
		if (i == 0 && first_cap) {
			size_t c = OS_MIN((size_t)n, first_cap - 1);

			memcpy(first, val, c);
			first[c] = '\0';
		}
		if (!strcmp((const char *)(val + i), want))
			found = true;
		i += (uint32_t)n + 1;
	}
	return found;
}

/* A number of @cells big-endian cells (1 or 2). */
static uint64_t read_cells(const uint8_t *p, uint32_t cells)
{
	uint64_t v = 0;

	for (uint32_t i = 0; i < cells; i++)
		v = v << 32 | bm_fdt_be32(p + 4 * i);
	return v;
}

static int dt_begin(void *priv, int depth, const char *name)
{
	struct dt_state *st = priv;

	if (depth == 1) {
		struct bm_dt_info *info = st->info;

		memset(st, 0, sizeof(*st));
		st->info = info;
		st->is_memory = !strncmp(name, "memory", 6) && (name[6] == '\0' || name[6] == '@');
	}
	return 0;
}

static int dt_prop(void *priv, int depth, const char *name, const uint8_t *val, uint32_t len)
{
	struct dt_state *st = priv;
	struct bm_dt_info *info = st->info;
	char first[sizeof(info->xen_compat)];

	if (depth == 0) {
		if (!strcmp(name, "#address-cells") && len == 4)
			info->addr_cells = bm_fdt_be32(val);
		else if (!strcmp(name, "#size-cells") && len == 4)
			info->size_cells = bm_fdt_be32(val);
		return 0;
	}
	if (depth != 1)
		return 0;
	if (!strcmp(name, "device_type")) {
		st->is_memory = str_eq(val, len, "memory");
	} else if (!strcmp(name, "compatible")) {
		if (compat_has(val, len, "xen,xen", first, sizeof(first))) {
			st->is_xen = true;
			memcpy(info->xen_compat, first, sizeof(first));
		}
		st->is_timer = compat_has(val, len, "arm,armv8-timer", NULL, 0);
		st->is_gicv3 = compat_has(val, len, "arm,gic-v3", NULL, 0);
	} else if (!strcmp(name, "reg")) {
		st->reg = val;
		st->reg_len = len;
	} else if (!strcmp(name, "interrupts")) {
		st->irq = val;
		st->irq_len = len;
	} else if (!strcmp(name, "clock-frequency") && len == 4) {
		st->clock_freq = bm_fdt_be32(val);
	}
	return 0;
}

/* GIC binding: <type number flags>; PPIs start at INTID 16, SPIs at 32. */
static bool gic_intid(const uint8_t *cells, uint32_t *intid)
{
	uint32_t type = bm_fdt_be32(cells), nr = bm_fdt_be32(cells + 4);

	if ((type == 0 && nr < 988) || (type == 1 && nr < 16)) {
		*intid = nr + (type ? 16 : 32);
		return true;
	}
	return false;
}

static int dt_end(void *priv, int depth)
{
	struct dt_state *st = priv;
	struct bm_dt_info *info = st->info;
	uint32_t ac = info->addr_cells, sc = info->size_cells, entry;

	if (depth != 1)
		return 0;
	if ((st->is_memory || st->is_xen || st->is_gicv3) && st->reg) {
		if (ac < 1 || ac > 2 || sc < 1 || sc > 2)
			return -EINVAL;
		entry = 4 * (ac + sc);
		if (!st->reg_len || st->reg_len % entry)
			return -EINVAL;
		for (uint32_t off = 0; off < st->reg_len; off += entry) {
			uint64_t base = read_cells(st->reg + off, ac);
			uint64_t size = read_cells(st->reg + off + 4 * ac, sc);

			if (st->is_xen) {
				info->gnttab_base = base;
				info->gnttab_size = size;
				break;	/* further ranges: extended regions */
			}
			if (st->is_gicv3) {
				/* reg: distributor, then redistributor regions */
				if (!off) {
					info->gicd_base = base;
					info->gicd_size = size;
				} else {
					info->gicr_base = base;
					info->gicr_size = size;
					info->has_gicv3 = info->gicd_size && size;
					break;
				}
				continue;
			}
			if (size && base + size > base && info->nr_banks < BM_DT_MAX_BANKS) {
				info->bank[info->nr_banks].base = base;
				info->bank[info->nr_banks].size = size;
				info->nr_banks++;
			}
		}
	}
	if (st->is_xen) {
		info->has_xen = true;
		if (st->irq && st->irq_len >= 12)
			info->has_evtchn_irq = gic_intid(st->irq, &info->evtchn_irq);
	}
	if (st->is_timer) {
		if (st->clock_freq)
			info->timer_freq = st->clock_freq;
		/* secure, non-secure physical, virtual, hypervisor: the third */
		if (st->irq && st->irq_len >= 36)
			info->has_vtimer_irq = gic_intid(st->irq + 24, &info->vtimer_irq);
	}
	st->is_memory = st->is_xen = st->is_timer = st->is_gicv3 = false;
	return 0;
}

int bm_dt_parse(const void *blob, size_t avail, struct bm_dt_info *info)
{
	static const struct bm_fdt_visitor visit = {
		.begin_node = dt_begin, .prop = dt_prop, .end_node = dt_end,
	};
	struct dt_state st = { .info = info };
	struct bm_fdt f;
	int ret;

	memset(info, 0, sizeof(*info));
	info->addr_cells = 2;
	info->size_cells = 1;
	ret = bm_fdt_open(&f, blob, avail);
	if (!ret)
		ret = bm_fdt_walk(&f, &visit, &st);
	if (ret)
		return ret;
	return info->nr_banks ? 0 : -ENOENT;
}
