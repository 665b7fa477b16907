#!/bin/sh
# SPDX-License-Identifier: MIT
# Build the freestanding OS layer with arm64_defconfig (in $O/arm64-smoke),
# link it with tests/freestanding/smoke.c into a static aarch64 program
# with no C library, run it under qemu-aarch64, and pass on its
# "ok NAME" / "not ok NAME" lines. Also fails if the link needs anything
# beyond those objects (-nostdlib, no libgcc). Skipped (reported as such)
# when aarch64-linux-gnu-gcc or qemu-aarch64 is missing.
set -u
: "${O:?}"
here=$(cd "$(dirname "$0")/../.." && pwd)
cd "$here" || exit 1
A=$O/arm64-smoke
for tool in aarch64-linux-gnu-gcc aarch64-linux-gnu-ld qemu-aarch64; do
	if ! command -v $tool >/dev/null 2>&1; then
		echo "ok freestanding_smoke # SKIP $tool not installed"
		exit 0
	fi
done

# A clean make: not the sanitizer flags of the `make test` that runs us.
mk() { env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make SANITIZE= EXTRA_CFLAGS= "$@"; }
objs="os/os_freestanding.o os/heap.o os/fmt.o os/string.o tests/freestanding/smoke.o"
[ -f "$A/.config" ] || mk O="$A" arm64_defconfig >/dev/null || exit 1
# shellcheck disable=SC2086
if ! mk O="$A" $(for o in $objs; do echo "$A/$o"; done) >"$A/build.log" 2>&1; then
	cat "$A/build.log"
	echo "not ok freestanding_smoke_build"
	exit 1
fi
echo "ok freestanding_smoke_build"

# shellcheck disable=SC2046
if ! aarch64-linux-gnu-ld -static -nostdlib --gc-sections -e _start \
	-o "$A/smoke" $(for o in $objs; do echo "$A/$o"; done); then
	echo "not ok freestanding_smoke_link"
	exit 1
fi
echo "ok freestanding_smoke_link"
aarch64-linux-gnu-size "$A/smoke" | sed 's/^/# /'

out=$(timeout 60 qemu-aarch64 "$A/smoke"); rc=$?
echo "$out"
echo "$out" | grep -q '^vscmi: info: smoke log 42 line$'
if [ $? = 0 ]; then echo "ok freestanding_log_line"; else echo "not ok freestanding_log_line"; fi
if [ $rc = 0 ]; then echo "ok freestanding_smoke_exit"; else echo "not ok freestanding_smoke_exit ($rc)"; fi
