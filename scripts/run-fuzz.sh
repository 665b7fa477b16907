#!/bin/sh
# SPDX-License-Identifier: MIT
# Build every fuzz target with clang's libFuzzer and run it for FUZZ_SECONDS,
# growing its corpus in tests/fuzz/corpus/<name>/.
set -eu
: "${FUZZ_O:?}" "${FUZZ_TARGETS:?}" "${FUZZ_SECONDS:=60}"
sh scripts/check-deps.sh fuzz
mkdir -p "$FUZZ_O"
[ -f "$FUZZ_O/.config" ] || make -s O="$FUZZ_O" sim_defconfig >/dev/null
fl="-fsanitize=fuzzer-no-link,address,undefined"
make -s O="$FUZZ_O" CC=clang EXTRA_CFLAGS="$fl -Wno-error=unused-command-line-argument" libs
for t in $FUZZ_TARGETS; do
	make -s O="$FUZZ_O" CC=clang EXTRA_CFLAGS="$fl" "$FUZZ_O/tests/fuzz/fuzz_$t.o"
	extra=$(make -s --no-print-directory O="$FUZZ_O" print-fuzz-objs-$t 2>/dev/null || true)
	clang -fsanitize=fuzzer,address,undefined -o "$FUZZ_O/fuzz_$t" \
		"$FUZZ_O/tests/fuzz/fuzz_$t.o" $extra \
		-Wl,--start-group "$FUZZ_O"/*.a -Wl,--end-group -pthread -lrt
	mkdir -p "tests/fuzz/corpus/$t"
	echo "== fuzz $t for ${FUZZ_SECONDS}s"
	"$FUZZ_O/fuzz_$t" -max_total_time="$FUZZ_SECONDS" -print_final_stats=1 \
		"tests/fuzz/corpus/$t" 2>&1 | grep -E 'stat::|ERROR|SUMMARY|Done' || true
done
