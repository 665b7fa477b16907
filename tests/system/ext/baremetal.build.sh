# SPDX-License-Identifier: MIT
# shellcheck shell=bash
# System-test extension "baremetal", build step (sourced by run.sh): the
# bare-metal arm64 guest image (boot/arm64, docs/baremetal-guest.md), built
# with arm64_defconfig in $W/build-baremetal.
BMB=$W/build-baremetal
[ -f "$BMB/.config" ] || make -s -C "$SRC" O="$BMB" arm64_defconfig >/dev/null
if ! make -s -C "$SRC" O="$BMB" -j"$(nproc)" CROSS_COMPILE=aarch64-linux-gnu- all \
	>"$W/build-baremetal.log" 2>&1; then
	tail -n 30 "$W/build-baremetal.log"
	die "build of the bare-metal guest failed (log: $W/build-baremetal.log)"
fi
[ -s "$BMB/vscmi-guest.img" ] || die "bare-metal guest: $BMB/vscmi-guest.img was not built"
t "bare-metal guest image: $(stat -c %s "$BMB/vscmi-guest.img") bytes"
