#!/bin/sh
# SPDX-License-Identifier: MIT
# Tests of scripts/check-freestanding.sh with the host toolchain: a library
# whose members only need each other and vscmi_plat_* hooks passes; one that
# calls into the C library fails and names the symbol, the member and its
# source; one with a symbol defined twice fails; ALLOW widens the accepted
# set; -v prints nm -u.
# Prints "ok NAME" / "not ok NAME" lines.
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
check="$here/scripts/check-freestanding.sh"
CC=${CC:-cc}
export NM=${HOST_NM:-nm}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
mkdir -p obj/sub

result() { if [ "$2" = 0 ]; then echo "ok $1"; else echo "not ok $1"; fi; }

cat >obj/a.c <<'EOF'
void vscmi_plat_poll(void);
int helper(int x);
int entry(int x);
int entry(int x) { vscmi_plat_poll(); return helper(x) + 1; }
EOF
cat >obj/sub/b.c <<'EOF'
int helper(int x);
int helper(int x) { return x * 2; }
EOF
cat >obj/sub/bad.c <<'EOF'
#include <stdio.h>
void noisy(void);
void noisy(void) { puts("hi"); }
EOF
cat >obj/sub/dup.c <<'EOF'
int helper(int x);
int helper(int x) { return x * 3; }
EOF
for f in obj/a obj/sub/b obj/sub/bad obj/sub/dup; do
	$CC -O1 -fno-builtin -fno-stack-protector -fno-pic -c "$f.c" -o "$f.o" || exit 1
done
ar crs good.a obj/a.o obj/sub/b.o
ar crs bad.a obj/a.o obj/sub/b.o obj/sub/bad.o
ar crs dup.a obj/a.o obj/sub/b.o obj/sub/dup.o

out=$(sh "$check" good.a obj 2>&1); rc=$?
echo "$out"
[ $rc = 0 ] && echo "$out" | grep -q 'platform hooks needed: vscmi_plat_poll'
result clean_library_passes $?

out=$(sh "$check" bad.a obj 2>&1); rc=$?
echo "$out"
[ $rc = 1 ] && echo "$out" | grep -Eq 'puts +bad\.o +\(from sub/bad\.c\)'
result libc_call_fails_and_names_source $?

out=$(ALLOW='puts' sh "$check" bad.a obj 2>&1); rc=$?
[ $rc = 0 ]
result allow_widens $?

out=$(sh "$check" -v good.a obj 2>&1); rc=$?
[ $rc = 0 ] && echo "$out" | grep -Eq 'U vscmi_plat_poll'
result verbose_prints_nm $?

sh "$check" missing.a >/dev/null 2>&1
[ $? = 2 ]
result missing_library_is_an_error $?

out=$(sh "$check" dup.a obj 2>&1); rc=$?
echo "$out"
[ $rc = 1 ] && echo "$out" | grep -Eq '^  helper +b\.o +dup\.o'
result duplicate_definition_fails $?
