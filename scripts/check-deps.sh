#!/bin/sh
# SPDX-License-Identifier: MIT
# Check (or with --install, install) the Debian packages a make target needs.
# Usage: check-deps.sh [--install] build|test|fuzz|run|cross|all
# (make system-test installs its own: tests/system/run.sh.)
set -eu
install=0
if [ "${1:-}" = "--install" ]; then install=1; shift; fi
what=${1:-all}

build="make gcc libc6-dev kconfig-frontends pkg-config libxen-dev libjson-c-dev libfdt-dev"
cross="gcc-aarch64-linux-gnu libc6-dev-arm64-cross"
# The freestanding checks run arm64 objects under qemu-user and boot the
# bare-metal guest image on qemu-system-aarch64; vscmi-dtgen's test reads
# its output with dtc.
test="$build libcmocka-dev xenstore-utils qemu-user qemu-system-arm device-tree-compiler $cross"
fuzz="$build clang"
case "$what" in
	build) pkgs=$build ;;
	test|run) pkgs=$test ;;
	fuzz) pkgs=$fuzz ;;
	cross) pkgs="$build $cross" ;;
	all) pkgs="$test clang valgrind" ;;
	*) echo "check-deps: unknown target '$what'" >&2; exit 2 ;;
esac

missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ $install = 1 ] || [ "${VSCMI_AUTO_INSTALL:-1}" = 1 ] && [ "$(id -u)" = 0 ]; then
	echo "Installing Debian packages:$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $missing >/dev/null
	exit 0
fi
echo "Missing Debian packages:$missing" >&2
echo "Install them with: sudo apt-get install$missing   (or: sudo make deps)" >&2
exit 1
