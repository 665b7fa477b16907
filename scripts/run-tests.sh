#!/bin/sh
# SPDX-License-Identifier: MIT
# Run every test of the build in $O and print one summary; the last line of
# the output is "N passed, N failed".
#   TESTS   cmocka programs (relative to $O); each test case counts
#   FUZZ    fuzz targets; every corpus file is replayed, one count per target
#   ITESTS  integration scripts; each "ok NAME" / "not ok NAME" line counts,
#           and a non-zero exit with no "not ok" line counts as one failure
set -u
: "${O:?}"
passed=0
failed=0
failures=""
log=$O/test-logs
rm -rf "$log"; mkdir -p "$log"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

note_fail() { failed=$((failed + $1)); failures="$failures\n  $2"; }

for t in $TESTS; do
	name=$(basename "$t")
	out=$log/$name.log
	CMOCKA_MESSAGE_OUTPUT=stdout timeout 600 "$O/$t" >"$out" 2>&1
	rc=$?
	p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$out" | tail -1)
	f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$out" | tail -1)
	p=${p:-0}; f=${f:-0}
	if [ $rc -ne 0 ] && [ "$f" = 0 ]; then f=1; fi
	passed=$((passed + p))
	if [ "$f" != 0 ]; then
		note_fail "$f" "$name (log: $out)"
		grep -E '^\[  (FAILED|ERROR) |ERROR: |runtime error' "$out" | head -5 | sed 's/^/      /'
	fi
	printf '  %-34s %3s passed, %s failed\n' "$name" "$p" "$f"
done

for f in $FUZZ; do
	dir=tests/fuzz/corpus/$f
	out=$log/fuzz_$f.log
	n=$(find "$dir" -type f 2>/dev/null | wc -l)
	if timeout 600 "$O/tests/fuzz/replay_$f" "$dir" >"$out" 2>&1; then
		passed=$((passed + 1))
		printf '  %-34s replayed %s inputs\n' "fuzz:$f" "$n"
	else
		note_fail 1 "fuzz:$f (log: $out)"
		printf '  %-34s FAILED (log: %s)\n' "fuzz:$f" "$out"
		tail -5 "$out" | sed 's/^/      /'
	fi
done

for s in $ITESTS; do
	name=$(basename "$s" .sh)
	out=$log/$name.log
	O=$O timeout 900 sh "$s" >"$out" 2>&1
	rc=$?
	p=$(grep -c '^ok ' "$out")
	f=$(grep -c '^not ok ' "$out")
	if [ $rc -ne 0 ] && [ "$f" = 0 ]; then f=1; fi
	passed=$((passed + p))
	if [ "$f" != 0 ]; then
		note_fail "$f" "$name (log: $out)"
		grep '^not ok ' "$out" | head -5 | sed 's/^/      /'
		tail -5 "$out" | sed 's/^/      /'
	fi
	printf '  %-34s %3s passed, %s failed\n' "$name" "$p" "$f"
done

if [ $failed -ne 0 ]; then
	printf 'Failures:%b\n' "$failures"
fi
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
