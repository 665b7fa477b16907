# SPDX-License-Identifier: MIT
# The OS layer: POSIX threads, or freestanding single-CPU polling. The
# formatting helpers (fmt.c) are the same code in both builds.
front-y += os/fmt.o
ifeq ($(CONFIG_FREESTANDING),y)
front-y += os/os_freestanding.o os/heap.o os/string.o
# A freestanding `make` ends with the footprint and fails if libvscmi.a
# needs any symbol beyond its own and the vscmi_plat_* hooks.
extra-all-y += size-report check-freestanding
else
front-y += os/os_posix.o
endif

# gcc must not turn string.c's loops back into calls to memcpy/memset.
string-cflags := -fno-builtin -fno-tree-loop-distribute-patterns

# Host tests. The freestanding OS layer and the string functions are built
# into hosted test programs unchanged: os_freestanding.c against a fake
# platform (compiled -ffreestanding, as is its test, so both see the same
# os.h), string.c under renamed symbols.
ifneq ($(CONFIG_FREESTANDING),y)
tests-y += tests/unit/test_fmt tests/unit/test_heap
test_heap-objs := os/heap.o
tests-y += tests/unit/test_os_freestanding
test_os_freestanding-objs := os/os_freestanding.o os/heap.o
os_freestanding-cflags := -ffreestanding
test_os_freestanding-cflags := -ffreestanding
tests-y += tests/unit/test_string
test_string-cflags := -fno-builtin -fno-tree-loop-distribute-patterns
# os_snprintf against the C library's snprintf; os_parse_u64 against strtoull.
fuzz-y += fmt
# The heap under any alloc/free/bad-free sequence, checked after each step.
fuzz-y += heap
fuzz_heap-objs := os/heap.o
itests-y += tests/integration/check_freestanding.sh
# The freestanding objects on real aarch64 code: arm64_defconfig, -nostdlib,
# run under qemu-aarch64 (tests/freestanding/smoke.c).
itests-y += tests/integration/freestanding_smoke.sh
endif
