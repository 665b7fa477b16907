#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Cross-build the arm64 Linux 6.1 domU kernel that the virtio-pv module
# (xen-frontend/linux-module) is built against, from Debian's
# linux-source-6.1 package and domu-6.1.fragment (on top of allnoconfig).
#
# Usage: build-kernel.sh DIR
#   DIR/linux-source-6.1_*.deb   the downloaded source package (kept)
#   DIR/src/linux-source-6.1     the unpacked tree (kept)
#   DIR/build                    the kernel build directory (O=): pass it as
#                                KDIR to the module's Makefile
#   DIR/Image                    the kernel image
#   DIR/build-time               seconds the last full build took
# The kernel is rebuilt only when the fragment (or the cross compiler
# prefix) changed: DIR/build/.vscmi-stamp holds their checksum. Host tools come from
# Debian (apt-get install, as root, when missing). Environment:
# CROSS_COMPILE (default aarch64-linux-gnu-), JOBS (default nproc).
set -euo pipefail
K=$(cd "$(dirname "$0")" && pwd)
DIR=${1:?usage: build-kernel.sh DIR}
CROSS_COMPILE=${CROSS_COMPILE:-aarch64-linux-gnu-}
JOBS=${JOBS:-$(nproc)}
FRAG=$K/domu-6.1.fragment
# Options the module and the system test rely on: a build without one of
# them is an error, not a silently smaller kernel.
NEED="XEN HVC_XEN XEN_XENBUS_FRONTEND XEN_DEV_EVTCHN MODULES MODULE_UNLOAD VIRTIO
 DMA_OPS ARM_SCMI_PROTOCOL ARM_SCMI_TRANSPORT_VIRTIO COMMON_CLK_SCMI SENSORS_ARM_SCMI
 REGULATOR_ARM_SCMI RESET_SCMI ARM_SCMI_POWER_DOMAIN ARM_SCMI_CPUFREQ DEBUG_FS"
say() { echo "build-kernel: $*"; }
die() { echo "build-kernel: error: $*" >&2; exit 1; }
mkdir -p "$DIR"
DIR=$(cd "$DIR" && pwd)

# Host tools: Debian packages only.
missing=
for c in flex:flex bison:bison bc:bc make:make gcc:gcc xz:xz-utils perl:perl \
	"${CROSS_COMPILE}gcc:gcc-aarch64-linux-gnu"; do
	command -v "${c%%:*}" >/dev/null || missing="$missing ${c#*:}"
done
# The kernel's host programs (fixdep, kconfig) need the C library headers.
[ -e /usr/include/stdio.h ] || missing="$missing libc6-dev"
if [ -n "$missing" ]; then
	[ "$(id -u)" = 0 ] || die "missing host tools; install:$missing"
	say "apt-get install$missing"
	apt-get update -q >/dev/null
	# shellcheck disable=SC2086
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing \
		>/dev/null || die "apt-get install failed"
fi

# Source: Debian's linux-source-6.1 (one .deb holding a .tar.xz).
SRCDIR=$DIR/src/linux-source-6.1
if [ ! -e "$SRCDIR/.unpacked" ]; then
	if ! ls "$DIR"/linux-source-6.1_*_all.deb >/dev/null 2>&1; then
		say "apt-get download linux-source-6.1"
		# apt's sandbox user may not write DIR: then it downloads as root.
		fetch() {
			(cd "$DIR" && apt-get download -q linux-source-6.1 2>&1 |
				grep -v -e unsandboxed -e '^Get:' -e '^Fetched' || true)
			ls "$DIR"/linux-source-6.1_*_all.deb >/dev/null 2>&1
		}
		# A fresh system (CI) may have no package lists yet.
		fetch || { [ "$(id -u)" = 0 ] && apt-get update -q >/dev/null && fetch; } ||
			die "apt-get download linux-source-6.1 failed"
	fi
	say "unpack $(basename "$(ls "$DIR"/linux-source-6.1_*_all.deb | tail -1)")"
	rm -rf "$DIR/src"
	mkdir -p "$DIR/src"
	dpkg-deb --fsys-tarfile "$(ls "$DIR"/linux-source-6.1_*_all.deb | tail -1)" |
		tar -x --wildcards -O './usr/src/linux-source-6.1.tar.xz' | tar -xJ -C "$DIR/src"
	touch "$SRCDIR/.unpacked"
fi

OUT=$DIR/build
# What the build depends on: the fragment, the compiler prefix, the targets.
STAMP=$( (cat "$FRAG"; echo "allnoconfig Image modules $CROSS_COMPILE") | md5sum | cut -d' ' -f1)
if [ "$(cat "$OUT/.vscmi-stamp" 2>/dev/null)" = "$STAMP" ] && [ -e "$DIR/Image" ]; then
	say "up to date: $DIR/Image (fragment unchanged)"
	exit 0
fi
KMAKE=(make -C "$SRCDIR" O="$OUT" ARCH=arm64 CROSS_COMPILE="$CROSS_COMPILE")
t0=$(date +%s)
rm -rf "$OUT"
mkdir -p "$OUT"
say "configure: allnoconfig + $(basename "$FRAG")"
"${KMAKE[@]}" KCONFIG_ALLCONFIG="$FRAG" allnoconfig >"$DIR/config.log" 2>&1 ||
	{ tail -20 "$DIR/config.log"; die "configuration failed"; }
for o in $NEED; do
	grep -q "^CONFIG_$o=y" "$OUT/.config" || die "CONFIG_$o is not set in $OUT/.config"
done
say "make Image modules (-j$JOBS; log $DIR/build.log)"
"${KMAKE[@]}" -j"$JOBS" Image modules >"$DIR/build.log" 2>&1 ||
	{ tail -30 "$DIR/build.log"; die "kernel build failed"; }
cp "$OUT/arch/arm64/boot/Image" "$DIR/Image"
echo $(($(date +%s) - t0)) >"$DIR/build-time"
echo "$STAMP" >"$OUT/.vscmi-stamp"
say "built $DIR/Image in $(cat "$DIR/build-time") s"
