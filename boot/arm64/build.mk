# SPDX-License-Identifier: MIT
# boot/arm64: the bare-metal arm64 Xen guest (docs/baremetal-guest.md). A
# program, not part of libvscmi.a: its own entry, MMU set-up, FDT reader,
# console and the vscmi_plat_* hooks, linked against the freestanding
# libvscmi.a into $(O)/vscmi-guest.img (a Linux arm64 Image that xl's
# kernel= boots). Built by `make` with CONFIG_BAREMETAL_GUEST (arm64).
bm-objs := boot/arm64/bm_head.o boot/arm64/bm_mmu.o boot/arm64/bm_fdt.o \
	boot/arm64/bm_plat.o boot/arm64/bm_console.o boot/arm64/bm_gic.o boot/arm64/bm_main.o

ifeq ($(CONFIG_BAREMETAL_GUEST),y)
extra-all-y += $(O)/vscmi-guest.img
# Run with the MMU off: no unaligned access may be generated.
bm_mmu-cflags := -mstrict-align
bm_fdt-cflags := -mstrict-align

BM_LD := $(CROSS_COMPILE)ld
BM_OBJCOPY := $(CROSS_COMPILE)objcopy

$(O)/boot/arm64/%.o: boot/arm64/%.S boot/arm64/arm64.h $(O)/include/config/auto.conf
	$(quiet) AS $@
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CPPFLAGS) -D__ASSEMBLER__ -MMD -MP -c -o $@ $<

$(O)/vscmi-guest.elf: $(addprefix $(O)/,$(bm-objs)) $(O)/libvscmi.a boot/arm64/guest.lds
	$(quiet) LD $@
	$(Q)$(BM_LD) -static -nostdlib --gc-sections -z max-page-size=4096 --no-warn-rwx-segments \
		-T boot/arm64/guest.lds -Map $(O)/vscmi-guest.map -o $@ \
		$(filter %.o,$^) $(O)/libvscmi.a

$(O)/vscmi-guest.img: $(O)/vscmi-guest.elf
	$(quiet) OBJCOPY $@
	$(Q)$(BM_OBJCOPY) -O binary $< $@
	$(Q)[ "$$(od -An -tx4 -j56 -N4 $@ | tr -d ' ')" = 644d5241 ] || \
		{ echo "$@: no arm64 Image magic at offset 56" >&2; rm -f $@; exit 1; }
	$(Q)printf '  %-8s %s: %s bytes (file), %s bytes loaded with .bss\n' IMAGE $@ \
		$$(stat -c %s $@) \
		$$(printf '%d' 0x$$($(NM) $< | sed -n 's/ [Aa] _image_size$$//p'))
endif

# The FDT reader on the host: unit test on dtc-compiled trees, fuzz target.
ifneq ($(CONFIG_FREESTANDING),y)
tests-y += tests/unit/test_bm_fdt
test_bm_fdt-objs := boot/arm64/bm_fdt.o
test_bm_fdt-cflags := -DVSCMI_SRCTREE='"$(srctree)"'
fuzz-y += bm_fdt
fuzz_bm_fdt-objs := boot/arm64/bm_fdt.o
# The image built with arm64_defconfig: header checks, a boot on plain QEMU.
itests-y += tests/integration/baremetal_image.sh
endif
