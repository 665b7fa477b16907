#!/bin/sh
# SPDX-License-Identifier: MIT
#
# Check that a freestanding libvscmi.a needs nothing from outside the
# project: every undefined symbol of every member must be defined by
# another member of the library, or be a platform hook the bare-metal
# environment provides (vscmi_plat_*: console, time, polling, pages,
# hypercalls, HVM params, gfn <-> va). Anything else (a libc function, a
# libgcc helper, a stray extern) is reported with the member that needs it,
# and the script exits 1. So is a symbol defined by two members.
#
#   usage: check-freestanding.sh [-v] LIB [OBJDIR]
#     -v      also print `nm -u` of the whole library first
#     LIB     the archive, e.g. build/libvscmi.a
#     OBJDIR  the build directory, to name each offender's source file
#             (default: the archive's directory)
#   env: NM (default aarch64-linux-gnu-nm), ALLOW (extra extended regex of
#        symbols to accept, matched against the whole name)
set -eu

verbose=0
if [ "${1:-}" = -v ]; then
	verbose=1
	shift
fi
lib=${1:?usage: check-freestanding.sh [-v] LIB [OBJDIR]}
objdir=${2:-$(dirname "$lib")}
NM=${NM:-aarch64-linux-gnu-nm}
allow='vscmi_plat_[A-Za-z0-9_]+'
[ -z "${ALLOW:-}" ] || allow="$allow|$ALLOW"

[ -f "$lib" ] || { echo "check-freestanding: no $lib" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if [ $verbose = 1 ]; then
	echo "== $NM -u $lib"
	"$NM" -u "$lib"
fi

# Defined (global or weak) anywhere in the library.
"$NM" -g --defined-only "$lib" 2>/dev/null |
	awk 'NF >= 3 { print $3 }' | sort -u >"$tmp/defined"
# "member symbol" for every undefined reference.
"$NM" -A -u "$lib" 2>/dev/null |
	awk '{ n = split($1, p, ":"); print p[n - 1], $NF }' | sort -u >"$tmp/undef"

# Undefined, not satisfied inside the library, not an allowed hook.
awk 'NR == FNR { def[$1] = 1; next } !($2 in def)' "$tmp/defined" "$tmp/undef" |
	grep -Ev " ($allow)\$" >"$tmp/bad" || true

hooks=$(awk 'NR == FNR { def[$1] = 1; next } !($2 in def) { print $2 }' \
	"$tmp/defined" "$tmp/undef" | grep -E "^($allow)\$" | sort -u | tr '\n' ' ')
echo "check-freestanding: $lib: platform hooks needed: ${hooks:-none}"

# A strong symbol defined by two members: the linker would silently take
# whichever member it pulls first.
"$NM" -A -g --defined-only "$lib" 2>/dev/null |
	awk '$2 ~ /^[TDRBG]$/ { n = split($1, p, ":"); print $3, p[n - 1] }' |
	sort | awk '{ c[$1]++; m[$1] = m[$1] " " $2 }
		END { for (s in c) if (c[s] > 1) print s, m[s] }' >"$tmp/dup"

source_of() {
	(cd "$objdir" 2>/dev/null && find . -name "$1" 2>/dev/null |
		sed -e 's|^\./||' -e 's|\.o$|.c|' | tr '\n' ' ' | sed 's/ $//')
}

if [ ! -s "$tmp/bad" ] && [ ! -s "$tmp/dup" ]; then
	echo "check-freestanding: OK: no undefined symbols outside the project"
	exit 0
fi

if [ -s "$tmp/bad" ]; then
	echo "check-freestanding: FAIL: undefined symbols the project does not provide:"
	while read -r member sym; do
		src=$(source_of "$member")
		printf '  %-28s %-24s %s\n' "$sym" "$member" "${src:+(from $src)}"
	done <"$tmp/bad"
fi
if [ -s "$tmp/dup" ]; then
	echo "check-freestanding: FAIL: symbols defined by more than one member:"
	sed 's/^/  /' "$tmp/dup"
fi
exit 1
