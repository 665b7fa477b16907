#!/bin/bash
# SPDX-License-Identifier: MIT
#
# `make system-test`: vscmi on real Xen. Debian's Xen 4.17 for arm64 boots
# under qemu-system-aarch64 (TCG) with a Linux dom0 running vscmi-backd and
# two Linux guests, "ivi" and "cluster", running the vscmi CLI over
# /dev/xen/gntalloc, /dev/xen/evtchn and xenstore. Everything comes from
# Debian's archive: host tools are installed, arm64 packages are only
# downloaded and unpacked (never installed). See docs/system-test.md.
#
# Steps (each prints a stamped line):
#   1. host tools (apt-get install, as root, when missing)
#   2. arm64 .debs: apt-get download into $W/debs (kept between runs)
#   3. unpack into $W/root (the kernel: only itself and its Xen modules)
#   4. cross-build vscmi (xen_defconfig) for arm64 in $W/build-arm64 against
#      the unpacked Xen libraries, and the test's own programs
#      (tests/system/*.c); the guests get the same shared libraries as dom0
#   5. dom0 and guest initramfs
#   6. boot; serial log with wall-clock stamps in $W/serial.log
#   7. check.sh: PASS/FAIL per assertion, "N passed, N failed"
#
# Environment: SYSTEST_WORK (work directory, default build/system-test),
# SYSTEST_TIMEOUT (seconds for the boot, default 600), SYSTEST_CPU
# (QEMU -cpu, default cortex-a57), SYSTEST_SKIP_BOOT=1 (check an existing
# serial.log only), SYSTEST_BASE=0 (skip the two vscmi CLI guests and
# their five phases), SYSTEST_EXT="a b" (run only these extensions).
#
# Extensions: tests/system/ext/<name>.*.sh add guests of their own.
#   <name>.build.sh  sourced after step 4 (S SRC W R DEV LIBDIR KV B set;
#                    t and die available): builds the extension's files
#   <name>.dom0.sh   sourced in step 5 with D = dom0's rootfs directory
#   <name>.phase.sh  copied to dom0's /etc/systest.d/ and sourced by
#                    dom0-init.sh after the base phases (say, mark, go,
#                    waitdone, relay available); it must print "@@ EXT <name>"
#   <name>.check.sh  sourced by check.sh when the log has "@@ EXT <name>"
set -euo pipefail
S=$(cd "$(dirname "$0")" && pwd)
SRC=$(cd "$S/../.." && pwd)
W=${SYSTEST_WORK:-$SRC/build/system-test}
TMO=${SYSTEST_TIMEOUT:-600}
CPU=${SYSTEST_CPU:-cortex-a57}
LOG=$W/serial.log
T0=$(date +%s)
t() { echo "[$(date +%T)] +$(($(date +%s) - T0))s system-test: $*"; }
die() { echo "system-test: FAIL: $*" >&2; echo "0 passed, 1 failed"; exit 1; }
# This script may run from make: the parent's flags are not for our builds.
unset MAKEFLAGS MAKELEVEL MFLAGS
export DEBIAN_FRONTEND=noninteractive
mkdir -p "$W"

# The arm64 packages: the hypervisor and toolstack, a kernel, busybox, the
# C library and the Xen libraries (run time, for xl in dom0 and for vscmi
# everywhere), and the -dev packages vscmi builds against.
#
# Linked dynamically on purpose: Debian's static libxenstore.a is built
# without USE_PTHREAD, so it has no reader thread, and a reply read while a
# watch event is queued fails with EINVAL (xs_watch, xs_read...). Every
# program here mixes watches and requests on one handle; only the shared
# libxenstore.so.4 works (see docs/system-test.md).
ARM64_RUN="xen-hypervisor-4.17-arm64 xen-utils-4.17 busybox-static
 libc6 libgcc-s1 libjson-c5 libuuid1 libfdt1 libyajl2 zlib1g liblzma5 libbz2-1.0 liblzo2-2 libzstd1
 libxencall1 libxendevicemodel1 libxenevtchn1 libxenforeignmemory1 libxengnttab1
 libxenhypfs1 libxenmisc4.17 libxenstore4 libxentoolcore1 libxentoollog1"
ARM64_DEV="libxen-dev libjson-c-dev libfdt-dev"
HOST_PKGS="qemu-system-arm gcc-aarch64-linux-gnu libc6-dev-arm64-cross cpio gzip perl make
 kconfig-frontends jq"

######## 1. host tools ########
have_host_tools() {
	local c
	for c in qemu-system-aarch64 aarch64-linux-gnu-gcc cpio gzip perl dpkg-deb make \
		kconfig-conf jq; do
		command -v $c >/dev/null || return 1
	done
	[ -e /usr/aarch64-linux-gnu/lib/libc.so ]
}
APT_UPDATED=
apt_update() { [ -n "$APT_UPDATED" ] || apt-get update -q >/dev/null; APT_UPDATED=1; }
if ! have_host_tools; then
	[ "$(id -u)" = 0 ] || die "missing host tools and not root; install:" $HOST_PKGS
	t "apt-get install $(echo $HOST_PKGS)"
	apt_update
	# shellcheck disable=SC2086
	apt-get install -y -q --no-install-recommends $HOST_PKGS >/dev/null ||
		die "apt-get install failed"
fi

######## 2. arm64 packages ########
mkdir -p "$W/debs"
want="$(echo $ARM64_RUN $ARM64_DEV)"
if [ "$(cat "$W/debs/.list" 2>/dev/null)" != "$want" ]; then
	[ "$(id -u)" = 0 ] || die "need root to fetch the arm64 packages (apt-get download)"
	if ! dpkg --print-foreign-architectures | grep -qx arm64; then
		t "dpkg --add-architecture arm64"
		dpkg --add-architecture arm64
		APT_UPDATED=
	fi
	apt_update
	KPKG=$(apt-cache depends linux-image-arm64:arm64 |
		awk '/Depends: linux-image-/{print $2; exit}')
	[ -n "$KPKG" ] || die "no arm64 kernel package in the apt lists"
	t "apt-get download arm64: $KPKG $want"
	rm -f "$W"/debs/*.deb
	# apt's sandbox user cannot write $W: the download then runs as root, say so once.
	(cd "$W/debs" && apt-get download -q $KPKG $(for p in $want; do echo "$p:arm64"; done) \
		2>&1 | grep -v -e unsandboxed -e '^Get:' -e '^Fetched' || true)
	ls "$W"/debs/linux-image-*.deb >/dev/null 2>&1 || die "apt-get download failed"
	rm -rf "$W/root"
	echo "$want" >"$W/debs/.list"
fi

######## 3. unpack ########
if [ ! -e "$W/root/.done" ]; then
	t "unpack"
	rm -rf "$W/root"
	mkdir -p "$W/root"
	for d in "$W"/debs/*.deb; do
		case ${d##*/} in
		linux-image-*) # the kernel and the Xen driver modules only
			dpkg-deb --fsys-tarfile "$d" | tar -x -C "$W/root" \
				--wildcards './boot/vmlinuz-*' './lib/modules/*/kernel/drivers/xen/*' ;;
		*) dpkg-deb -x "$d" "$W/root" ;;
		esac
	done
	touch "$W/root/.done"
fi
R=$W/root
DEV=$R/usr
LIBDIR=$DEV/lib/aarch64-linux-gnu
KV=$(ls "$R/lib/modules" | head -1)

######## 4. cross-build ########
B=$W/build-arm64
t "cross-build vscmi (xen_defconfig, arm64) in $B"
# The Xen libraries' own dependencies resolve inside $R (-rpath-link).
LINKFLAGS="-L$LIBDIR -Wl,-rpath-link,$R/lib/aarch64-linux-gnu:$LIBDIR"
[ -f "$B/.config" ] || make -s -C "$SRC" O="$B" xen_defconfig >/dev/null
rm -f "$B"/bin/* "$B"/tests/robust/hostile_back	# make does not relink when only LDFLAGS change
if ! make -s -C "$SRC" O="$B" -j"$(nproc)" CROSS_COMPILE=aarch64-linux-gnu- \
	EXTRA_CFLAGS="-isystem $DEV/include" LDFLAGS="$LINKFLAGS" all >"$W/build.log" 2>&1; then
	tail -n 30 "$W/build.log"
	die "cross-build of vscmi failed (log: $W/build.log)"
fi
for b in bin/vscmi bin/vscmi-bench bin/vscmi-backd bin/vscmi-attach tests/robust/hostile_back; do
	[ -x "$B/$b" ] || die "cross-build: $B/$b was not built"
done
mkdir -p "$W/bin"
helper() { # helper SOURCE PROGRAM: one of the test's own programs
	aarch64-linux-gnu-gcc -std=c11 -D_GNU_SOURCE -O2 -Wall -Wextra -Werror \
		-isystem "$DEV/include" -o "$W/bin/$2" "$S/$1.c" $LINKFLAGS \
		-lxenstore -lxengnttab -lxenevtchn ||
		die "cross-build of tests/system/$1.c failed"
}
helper systest_xs systest-xs
helper hostile systest-hostile
helper pingpong_front pingpong-front
helper pingpong_back pingpong-back

######## 4b. extensions ########
# ext_enabled NAME: the extension is selected (SYSTEST_EXT unset: all).
ext_enabled() {
	[ -z "${SYSTEST_EXT+x}" ] && return 0
	case " $SYSTEST_EXT " in *" $1 "*) return 0 ;; esac
	return 1
}
EXTS=
for e in "$S"/ext/*.build.sh; do
	[ -e "$e" ] || continue
	n=${e##*/}
	n=${n%.build.sh}
	ext_enabled "$n" || continue
	EXTS="$EXTS $n"
	t "extension $n: build"
	# shellcheck disable=SC1090
	. "$e"
done

######## 5. initramfs ########
t "initramfs (kernel $KV)"
M=$R/lib/modules/$KV/kernel/drivers/xen
# add_libs ROOTFS: the C library and every Xen library (+ their dependencies).
add_libs() {
	local l d
	mkdir -p "$1/lib/aarch64-linux-gnu"
	for l in ld-linux-aarch64.so.1 libc.so.6 libm.so.6 libuuid.so.1 libz.so.1 liblzma.so.5 \
		libbz2.so.1.0 liblzo2.so.2 libzstd.so.1 libyajl.so.2 libfdt.so.1 libgcc_s.so.1 \
		libjson-c.so.5; do
		for d in "$R/lib/aarch64-linux-gnu" "$R/usr/lib/aarch64-linux-gnu"; do
			[ ! -e "$d/$l" ] || cp -L "$d/$l" "$1/lib/aarch64-linux-gnu/"
		done
	done
	cp -L "$R"/usr/lib/aarch64-linux-gnu/libxen*.so.[0-9]* \
		"$R"/usr/lib/aarch64-linux-gnu/libxlutil*.so.[0-9]* "$1/lib/aarch64-linux-gnu/"
	ln -sf aarch64-linux-gnu/ld-linux-aarch64.so.1 "$1/lib/ld-linux-aarch64.so.1"
}
# A guest: static busybox, the Xen user-device modules, vscmi and the libraries.
D=$W/domu-rootfs
rm -rf "$D"
mkdir -p "$D"/{bin,proc,sys,dev,tmp,lib/modules/$KV}
add_libs "$D"
cp "$R/bin/busybox" "$D/bin/"
for a in sh mount echo cat ls sleep uname grep cut tr insmod; do ln -s busybox "$D/bin/$a"; done
cp "$M/xen-evtchn.ko" "$M/xen-gntalloc.ko" "$D/lib/modules/$KV/"
cp "$B/bin/vscmi" "$B/bin/vscmi-bench" "$W/bin/systest-xs" "$W/bin/systest-hostile" \
	"$W/bin/pingpong-front" "$D/bin/"
install -m 755 "$S/domu-init.sh" "$D/init"
(cd "$D" && find . | cpio -o -H newc --quiet | gzip -1) >"$W/domu-initrd.cpio.gz"

# dom0: busybox, Debian's xl/xenstored/xenconsoled with their shared
# libraries, vscmi-backd, and the guests' kernel, initramfs and xl configs.
D=$W/dom0-rootfs
rm -rf "$D"
mkdir -p "$D"/{bin,sbin,proc,sys,dev,tmp,root,etc/xen,etc/vscmi,lib/aarch64-linux-gnu} \
	"$D"/{usr/lib/xen-4.17/bin,var/lib/xen,var/lib/xenstored,var/run,var/log/xen/console} \
	"$D/lib/modules/$KV"
cp "$R/bin/busybox" "$D/bin/"
for a in sh mount umount echo cat ls poweroff sleep uname insmod mkdir grep ps kill tail \
	head sed cut touch top; do
	ln -sf busybox "$D/bin/$a"
done
XB=$R/usr/lib/xen-4.17/bin
for b in xl xenstored xenconsoled xen-init-dom0 libxl-save-helper; do cp "$XB/$b" "$D/usr/lib/xen-4.17/bin/"; done
add_libs "$D"
cp "$M/xen-evtchn.ko" "$M/xen-gntdev.ko" "$M/xen-gntalloc.ko" "$M/xen-privcmd.ko" \
	"$M/xenfs/xenfs.ko" "$D/lib/modules/$KV/"
cp "$R/boot/vmlinuz-$KV" "$D/root/Image"
cp "$W/domu-initrd.cpio.gz" "$D/root/"
for g in ivi cluster; do
	cat >"$D/etc/xen/$g.cfg" <<EOF
name = "$g"
memory = 192
vcpus = 1
kernel = "/root/Image"
ramdisk = "/root/domu-initrd.cpio.gz"
extra = "console=hvc0 rdinit=/init quiet loglevel=3 systest.role=$g"
on_poweroff = "destroy"
on_crash = "destroy"
EOF
done
cp "$S/systest.cfg" "$D/etc/vscmi/"
cp "$B/bin/vscmi-backd" "$B/bin/vscmi-attach" "$W/bin/systest-xs" "$W/bin/pingpong-back" \
	"$D/bin/"
cp "$B/tests/robust/hostile_back" "$D/bin/systest-hostile-back"
mkdir -p "$D/etc/systest.d"
for n in $EXTS; do
	# shellcheck disable=SC1090
	[ ! -e "$S/ext/$n.dom0.sh" ] || . "$S/ext/$n.dom0.sh"
	[ ! -e "$S/ext/$n.phase.sh" ] || cp "$S/ext/$n.phase.sh" "$D/etc/systest.d/"
done
install -m 755 "$S/dom0-init.sh" "$D/init"
(cd "$D" && find . | cpio -o -H newc --quiet | gzip -1) >"$W/dom0-initrd.cpio.gz"

######## 6. boot ########
if [ "${SYSTEST_SKIP_BOOT:-0}" != 1 ]; then
	t "boot Xen + dom0 + guests ($([ "${SYSTEST_BASE:-1}" = 1 ] && echo "ivi cluster ")extensions:${EXTS:- none}) under qemu-system-aarch64 (TCG, -cpu $CPU, timeout ${TMO}s); log $LOG"
	# -nic none: otherwise QEMU looks for an efi-virtio.rom it does not need.
	# dom0_max_vcpus=1: a second dom0 vCPU sometimes loses its timer under
	# TCG (RCU stalls, vscmi-backd frozen for tens of seconds).
	set +e
	timeout -k 5 "$TMO" qemu-system-aarch64 \
		-machine virt,virtualization=on,gic-version=3 \
		-cpu "$CPU" -smp 2 -m 2048 \
		-nographic -nic none -monitor none -serial stdio -no-reboot \
		-kernel "$R/boot/xen-4.17-arm64" \
		-append "console=dtuart dom0_mem=1024M,max:1024M dom0_max_vcpus=1 loglvl=all guest_loglvl=all bootscrub=0" \
		-device guest-loader,addr=0x49000000,kernel="$R/boot/vmlinuz-$KV",bootargs="console=hvc0 earlycon=xenboot rdinit=/init loglevel=4 systest.base=${SYSTEST_BASE:-1}" \
		-device guest-loader,addr=0x50000000,initrd="$W/dom0-initrd.cpio.gz" \
		</dev/null 2>&1 |
		perl -MTime::HiRes=time -ne 'BEGIN{$|=1; $s=time} s/\r//g; printf "[%7.2f] %s", time-$s, $_' >"$LOG"
	rc=${PIPESTATUS[0]}
	set -e
	t "QEMU exited with status $rc$([ "$rc" = 124 ] && echo ' (timeout)')"
fi

######## 7. check ########
t "check $LOG"
set +e
sh "$S/check.sh" "$LOG"
rc=$?
t "done in $(($(date +%s) - T0)) s"
exit $rc
