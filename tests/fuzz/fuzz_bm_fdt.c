// SPDX-License-Identifier: MIT
/*
 * Fuzz target for boot/arm64/bm_fdt.c, the bare-metal guest's device tree
 * reader: the input is the DTB, exactly as many bytes as are readable
 * (so ASan flags any read past them). It is parsed into the guest's view
 * and walked with a visitor that reads every name and value byte it is
 * shown; the view's invariants are checked. Seeds: tests/data/bm_fdt/.
 */
#include <stdlib.h>
#include <string.h>

#include <vscmi/os.h>

#include "boot/arm64/bm_fdt.h"
#include "tests/fuzz/fuzz.h"

static unsigned long sink;

static int touch_node(void *priv, int depth, const char *name)
{
	if (depth < 0 || depth >= BM_FDT_MAX_DEPTH)
		abort();
	sink += strlen(name);
	return 0;
}

static int touch_prop(void *priv, int depth, const char *name, const uint8_t *val,
		      uint32_t len)
{
	sink += strlen(name);
	for (uint32_t i = 0; i < len; i++)
		sink += val[i];
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct bm_fdt_visitor v = { touch_node, touch_prop, NULL };
	struct bm_dt_info info;
	struct bm_fdt f;
	/* A private copy of exactly @size bytes: replay buffers may be larger. */
	uint8_t *b = malloc(size ? size : 1);

	if (!b)
		return 0;
	memcpy(b, data, size);
	if (!bm_dt_parse(b, size, &info)) {
		if (!info.nr_banks || info.nr_banks > BM_DT_MAX_BANKS)
			abort();
		for (unsigned i = 0; i < info.nr_banks; i++)
			if (!info.bank[i].size ||
			    info.bank[i].base + info.bank[i].size < info.bank[i].base)
				abort();
		if (strnlen(info.xen_compat, sizeof(info.xen_compat)) >= sizeof(info.xen_compat))
			abort();
	}
	if (!bm_fdt_open(&f, b, size)) {
		if (f.size > size)
			abort();
		bm_fdt_walk(&f, &v, NULL);
	}
	free(b);
	return 0;
}
