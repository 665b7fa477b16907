#!/bin/sh
# SPDX-License-Identifier: MIT
# The bare-metal arm64 guest image (boot/arm64, docs/baremetal-guest.md)
# without Xen: build it with arm64_defconfig in $O/arm64-guest, check its
# Linux arm64 Image header against the link, then boot it on a plain
# qemu-system-aarch64 "virt" machine (no hypervisor: QEMU answers HVCs as
# PSCI calls and refuses them) and check from QEMU's exception log that it
# got through the header, entry, device tree, MMU set-up and into C as far
# as its Xen hypercalls (HVC #0xEA1), with no fault on the way. The real
# run is the system test (tests/system/ext/baremetal.*). Prints "ok NAME" /
# "not ok NAME"; skipped when the cross tools are missing.
set -u
: "${O:?}"
here=$(cd "$(dirname "$0")/../.." && pwd)
cd "$here" || exit 1
A=$O/arm64-guest
for tool in aarch64-linux-gnu-gcc aarch64-linux-gnu-ld aarch64-linux-gnu-objcopy \
	aarch64-linux-gnu-nm; do
	if ! command -v $tool >/dev/null 2>&1; then
		echo "ok baremetal_image # SKIP $tool not installed"
		exit 0
	fi
done

# A clean make: not the sanitizer flags of the `make test` that runs us.
mk() { env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make SANITIZE= EXTRA_CFLAGS= "$@"; }
[ -f "$A/.config" ] || mk O="$A" arm64_defconfig >/dev/null || exit 1
if ! mk O="$A" "$A/vscmi-guest.img" >"$A/build.log" 2>&1; then
	tail -n 20 "$A/build.log"
	echo "not ok baremetal_image_build"
	exit 1
fi
echo "ok baremetal_image_build"
img=$A/vscmi-guest.img
elf=$A/vscmi-guest.elf

# u32/u64 little-endian fields of the header
u32() { od -An -tx4 -j"$1" -N4 "$img" | tr -d ' \n'; }
u64() { printf '%s%s' "$(u32 $(($1 + 4)))" "$(u32 "$1")"; }
check() { if [ "$2" = "$3" ]; then echo "ok baremetal_$1"; else echo "not ok baremetal_$1 ($2, want $3)"; fi; }
check image_magic "$(u32 56)" 644d5241
check image_text_offset "$(u64 8)" 0000000000080000
check image_flags "$(u64 24)" 0000000000000002
size=$(aarch64-linux-gnu-nm "$elf" | sed -n 's/^0*\([0-9a-f]*\) [Aa] _image_size$/\1/p')
check image_size "$(printf '%016x' "0x$(u64 16)")" "$(printf '%016x' "0x${size:-0}")"
case $(u32 0) in 14*|15*|16*|17*) echo "ok baremetal_image_branch" ;;
*) echo "not ok baremetal_image_branch (code0 $(u32 0) is not a B)" ;; esac
check elf_no_undefined "$(aarch64-linux-gnu-nm -u "$elf" | wc -l | tr -d ' ')" 0

if ! command -v qemu-system-aarch64 >/dev/null 2>&1; then
	echo "ok baremetal_qemu_boot # SKIP qemu-system-aarch64 not installed"
	exit 0
fi
log=$A/qemu-int.log
rm -f "$log"
timeout 5 qemu-system-aarch64 -M virt -cpu cortex-a57 -m 64 -nographic -nic none \
	-monitor none -serial none -kernel "$img" -d int -D "$log" </dev/null >/dev/null 2>&1
hvc=$(grep -c 'ESR 0x16/0x5a000ea1' "$log" 2>/dev/null)
if [ "${hvc:-0}" -ge 5 ]; then
	echo "ok baremetal_qemu_hypercalls ($hvc HVC #0xEA1)"
else
	echo "not ok baremetal_qemu_hypercalls (${hvc:-0} HVC #0xEA1 in $log)"
fi
if grep -qE 'Abort|Undefined|SError|Illegal' "$log" 2>/dev/null; then
	grep -E 'Abort|Undefined|SError|Illegal' "$log" | head -n 5 | sed 's/^/# /'
	echo "not ok baremetal_qemu_no_fault"
else
	echo "ok baremetal_qemu_no_fault"
fi
