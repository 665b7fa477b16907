#!/bin/sh
# SPDX-License-Identifier: MIT
# Build every fuzz target with clang's libFuzzer (+ ASan, UBSan) and run it
# for FUZZ_SECONDS. Each target fuzzes a scratch corpus in
# $FUZZ_O/corpus/<name>/ seeded from tests/fuzz/corpus/<name>/; afterwards
# the two are merged (-merge=1; -set_cover_merge=1 when that leaves more than
# FUZZ_MAX_FILES) into a fresh, minimal corpus, which replaces the committed
# one (hand-written seed-* files are always kept). Prints runs, exec/s and
# corpus size per target; a crash leaves its reproducer in $FUZZ_O.
#   FUZZ_TARGETS   names (tests/fuzz/fuzz_<name>.c), required
#   FUZZ_SECONDS   run time per target (default 60)
#   FUZZ_PARALLEL  1: run all targets at the same time (default: one by one)
#   FUZZ_UPDATE    0: leave tests/fuzz/corpus alone (default 1)
#   FUZZ_MAX_FILES corpus size to aim for per target (default 200)
set -eu
: "${FUZZ_O:?}" "${FUZZ_TARGETS:?}" "${FUZZ_SECONDS:=60}"
: "${FUZZ_PARALLEL:=0}" "${FUZZ_UPDATE:=1}" "${FUZZ_MAX_FILES:=200}"
sh scripts/check-deps.sh fuzz
mkdir -p "$FUZZ_O"
[ -f "$FUZZ_O/.config" ] || make -s O="$FUZZ_O" sim_defconfig >/dev/null
# clang's -Wformat-nonliteral also fires on v*printf wrappers without a
# format attribute, which gcc accepts; it must not stop a fuzzing run.
fl="-fsanitize=fuzzer-no-link,address,undefined -Wno-error=unused-command-line-argument -Wno-error=format-nonliteral"
make -s O="$FUZZ_O" CC=clang EXTRA_CFLAGS="$fl" libs
libs=$(make -s --no-print-directory O="$FUZZ_O" print-libs 2>/dev/null || true)

for t in $FUZZ_TARGETS; do
	make -s O="$FUZZ_O" CC=clang EXTRA_CFLAGS="$fl" "$FUZZ_O/tests/fuzz/fuzz_$t.o"
	extra=$(make -s --no-print-directory O="$FUZZ_O" print-fuzz-objs-$t 2>/dev/null || true)
	[ -z "$extra" ] || make -s O="$FUZZ_O" CC=clang EXTRA_CFLAGS="$fl" $extra
	clang -fsanitize=fuzzer,address,undefined -o "$FUZZ_O/fuzz_$t" \
		"$FUZZ_O/tests/fuzz/fuzz_$t.o" $extra \
		-Wl,--start-group "$FUZZ_O"/*.a -Wl,--end-group $libs -pthread -lrt
done

run_one() {
	t=$1
	repo=tests/fuzz/corpus/$t
	work=$FUZZ_O/corpus/$t
	log=$FUZZ_O/fuzz_$t.log
	mkdir -p "$repo" "$work"
	# New inputs go to the first directory (scratch); the repo's is read.
	set +e
	"$FUZZ_O/fuzz_$t" -max_total_time="$FUZZ_SECONDS" -print_final_stats=1 \
		-artifact_prefix="$FUZZ_O/$t-" "$work" "$repo" >"$log" 2>&1
	rc=$?
	set -e
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
	if [ $rc -ne 0 ]; then
		echo "== fuzz $t: FAILED (exit $rc), see $log; reproducer: $(ls "$FUZZ_O/$t-"* 2>/dev/null | head -1)"
		grep -E 'ERROR|SUMMARY|invariant' "$log" | head -5 || true
		return 1
	fi
	# Minimise: everything found plus the committed corpus, into a fresh dir.
	fresh=$FUZZ_O/corpus-min/$t
	rm -rf "$fresh"; mkdir -p "$fresh"
	"$FUZZ_O/fuzz_$t" -merge=1 "$fresh" "$repo" "$work" >"$FUZZ_O/merge_$t.log" 2>&1
	n=$(find "$fresh" -type f | wc -l)
	if [ "$n" -gt "$FUZZ_MAX_FILES" ]; then
		# Too many: a greedy set cover keeps the same features in fewer files.
		rm -rf "$fresh"; mkdir -p "$fresh"
		"$FUZZ_O/fuzz_$t" -set_cover_merge=1 "$fresh" "$repo" "$work" \
			>>"$FUZZ_O/merge_$t.log" 2>&1
		n=$(find "$fresh" -type f | wc -l)
	fi
	if [ "$FUZZ_UPDATE" = 1 ]; then
		find "$repo" -type f ! -name 'seed-*' -delete
		for f in "$fresh"/*; do
			[ -f "$f" ] || continue
			dup=0
			for s in "$repo"/seed-*; do
				[ -f "$s" ] && cmp -s "$f" "$s" && { dup=1; break; }
			done
			[ $dup = 1 ] || cp "$f" "$repo/"
		done
	fi
	total=$(find "$repo" -type f | wc -l)
	echo "== fuzz $t: ${FUZZ_SECONDS}s, ${execs:-?} runs, ${rate:-?} exec/s, minimised corpus $n inputs, $repo now $total files"
	[ "$total" -le "$FUZZ_MAX_FILES" ] ||
		echo "   warning: $repo holds more than $FUZZ_MAX_FILES files"
}

failed=0
if [ "$FUZZ_PARALLEL" = 1 ]; then
	pids=""
	for t in $FUZZ_TARGETS; do
		run_one "$t" >"$FUZZ_O/summary_$t.txt" 2>&1 &
		pids="$pids $!"
	done
	for p in $pids; do wait "$p" || failed=1; done
	for t in $FUZZ_TARGETS; do cat "$FUZZ_O/summary_$t.txt"; done
else
	for t in $FUZZ_TARGETS; do run_one "$t" || failed=1; done
fi
exit $failed
