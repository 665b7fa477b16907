#!/bin/sh
# SPDX-License-Identifier: MIT
#
# `make bench`: vscmi's figures as ratios to this machine's own limits, all
# measured in this one run (absolute times on a shared machine are noise).
#   (a) wake-up ping-pong (eventfd, 128 bytes through shm) - floor for blocking
#   (b) spin ping-pong on a shared cache line             - floor for polling
# then, guest and vscmi-backd as separate processes on xensim:
#   1 round trip at depth 1, interrupt mode   2 the same, polling
#   3 grant operations / event sends per message
#   4 throughput at depth 16                  5 per-message grants vs the pool
#   6 scaling over 1/4/16/32 guests           7 notification latency
#   8 footprint of the guest libraries for arm64 (-Os, every protocol)
# Prints a table; writes bench.json (every figure, its baseline, the ratio).
set -u
O=${O:-build/release}
PM_O=${PM_O:-$O-pergrant}
ARM_O=${ARM_O:-$O-arm64}
N=${BENCH_N:-100000}
SECS=${BENCH_SECONDS:-3}
OUT=${BENCH_OUT:-bench.json}
B=$O/bin
T=$(mktemp -d)
M=vscmi-bench-$$
export XENSIM_MACHINE=$M
BACKD=""

cleanup() {
	[ -n "$BACKD" ] && kill -TERM "$BACKD" 2>/dev/null && wait "$BACKD" 2>/dev/null
	"$B/xensim" stop >/dev/null 2>&1
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

val() { sed -n "s/^$2=//p" "$1" | tail -1; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 == 0) print "null"; else printf "%.3f", a / b }'; }

start_machine() {	# start_machine BIN_DIR NGUESTS
	bin=$1
	"$bin/xensim" start --name "$M" >/dev/null || exit 1
	"$bin/xensim" run 0 -- "$bin/vscmi-backd" --foreground --quiet \
		--config configs/bench.cfg 2>"$T/backd.log" &
	BACKD=$!
	i=1
	while [ "$i" -le "$2" ]; do
		id=$("$bin/xensim" create "g$i" --memory 8) || exit 1
		echo "$id" >"$T/g$i.id"
		"$bin/xensim" run 0 -- "$bin/vscmi-attach" "g$i" >/dev/null || exit 1
		i=$((i + 1))
	done
}

stop_machine() {
	kill -TERM "$BACKD" 2>/dev/null
	wait "$BACKD" 2>/dev/null
	BACKD=""
	"$1/xensim" stop >/dev/null 2>&1
}

in_guest() {	# in_guest BIN_DIR N ARGS... > file
	bin=$1 g=$2
	shift 2
	"$bin/xensim" run "$(cat "$T/g$g.id")" -- "$bin/vscmi-bench" guest "$@"
}

echo "vscmi bench: release build $O, $N round trips per latency figure"

# ---- (a), (b)
"$B/vscmi-bench" baseline --n "$N" >"$T/base" || exit 1

# ---- 1-4, 7 with one guest
start_machine "$B" 1
in_guest "$B" 1 --test latency --msg perf --n "$N" >"$T/lat_perf" || exit 1
in_guest "$B" 1 --test latency --msg base --n "$N" >"$T/lat_base" || exit 1
in_guest "$B" 1 --test latency --msg perf --n "$N" --poll >"$T/poll" || exit 1
in_guest "$B" 1 --test throughput --depth 16 --seconds "$SECS" >"$T/tput" || exit 1
in_guest "$B" 1 --test throughput --depth 1 --seconds "$SECS" >"$T/tput1" || exit 1
in_guest "$B" 1 --test notify --n 2000 >"$T/notify" || exit 1
stop_machine "$B"

# ---- 6 scaling
for G in 1 4 16 32; do
	start_machine "$B" "$G"
	i=1
	while [ "$i" -le "$G" ]; do
		in_guest "$B" "$i" --test throughput --depth 1 --seconds "$SECS" >"$T/scale$G.$i" &
		i=$((i + 1))
	done
	wait_ok=1
	for j in $(jobs -p); do [ "$j" = "$BACKD" ] || wait "$j" || wait_ok=0; done
	[ $wait_ok = 1 ] || { echo "bench: a guest failed at $G guests" >&2; exit 1; }
	stop_machine "$B"
	cat "$T"/scale"$G".* | awk -F= -v g="$G" '
		/^msgs_per_sec=/ { s += $2; if (min == "" || $2 < min) min = $2; if ($2 > max) max = $2 }
		/^rt_p99_ns=/ { if ($2 > p99) p99 = $2 }
		END { printf "agg=%d\nmin=%d\nmax=%d\nworst_p99=%d\n", s, min, max, p99 }' >"$T/scale$G"
done

# ---- 5 per-message grants (a second build)
if [ ! -x "$PM_O/bin/vscmi-bench" ]; then
	mkdir -p "$PM_O"
	cp "$O/.config" "$PM_O/.config"
	echo "CONFIG_GRANT_PER_MESSAGE=y" >>"$PM_O/.config"
	make -s O="$PM_O" olddefconfig >/dev/null && make -s O="$PM_O" -j2 >/dev/null || exit 1
fi
start_machine "$PM_O/bin" 1
in_guest "$PM_O/bin" 1 --test latency --msg perf --n "$((N / 4))" >"$T/pergrant" || exit 1
stop_machine "$PM_O/bin"

# ---- 8 footprint
if make -s O="$ARM_O" arm64_defconfig >/dev/null 2>&1 && make -s O="$ARM_O" -j2 >/dev/null 2>&1; then
	aarch64-linux-gnu-size -t "$ARM_O/libvscmi.a" | tail -1 >"$T/size"
	read -r text data bss _ <"$T/size"
else
	text=0 data=0 bss=0
fi

# ---- report
wm=$(val "$T/base" wakeup_median_ns); wp=$(val "$T/base" wakeup_p99_ns)
wr=$(val "$T/base" wakeup_per_sec); sm=$(val "$T/base" spin_median_ns)
lm=$(val "$T/lat_perf" rt_median_ns); lp=$(val "$T/lat_perf" rt_p99_ns)
lq=$(val "$T/lat_perf" rt_p999_ns)
bm=$(val "$T/lat_base" rt_median_ns); bp=$(val "$T/lat_base" rt_p99_ns)
pm=$(val "$T/poll" rt_median_ns); pp=$(val "$T/poll" rt_p99_ns)
gops=$(val "$T/lat_perf" grant_ops_per_msg); ev=$(val "$T/lat_perf" evtchn_sends_per_msg)
evin=$(val "$T/lat_perf" evtchn_events_per_msg)
tp=$(val "$T/tput" msgs_per_sec); tev=$(val "$T/tput" evtchn_sends_per_msg)
tp1=$(val "$T/tput1" msgs_per_sec)
nm=$(val "$T/notify" notify_median_ns); np=$(val "$T/notify" notify_p99_ns)
gm=$(val "$T/pergrant" rt_median_ns); ggops=$(val "$T/pergrant" grant_ops_per_msg)
a1=$(val "$T/scale1" agg); a32=$(val "$T/scale32" agg)
mn32=$(val "$T/scale32" min); mx32=$(val "$T/scale32" max)

row() { printf '%-44s %12s %14s %8s %s\n' "$1" "$2" "$3" "$4" "$5"; }
echo
row "figure" "value" "baseline" "ratio" "target"
row "1 PERF_LEVEL_GET median (ns), irq" "$lm" "(a) $wm" "$(ratio "$lm" "$wm")" "<= 1.3"
row "1 PERF_LEVEL_GET p99 (ns), irq" "$lp" "(a) $wp" "$(ratio "$lp" "$wp")" "<= 1.5"
row "1 PERF_LEVEL_GET p99.9 (ns), irq" "$lq" "(a) $(val "$T/base" wakeup_p999_ns)" \
	"$(ratio "$lq" "$(val "$T/base" wakeup_p999_ns)")" ""
row "1 BASE_PROTOCOL_VERSION median (ns)" "$bm" "(a) $wm" "$(ratio "$bm" "$wm")" "<= 1.3"
row "1 BASE_PROTOCOL_VERSION p99 (ns)" "$bp" "(a) $wp" "$(ratio "$bp" "$wp")" "<= 1.5"
row "2 PERF_LEVEL_GET median (ns), polling" "$pm" "(b) $sm" "$(ratio "$pm" "$sm")" "<= 3"
row "3 grant ops per message (pool)" "$gops" "0" "" "0"
row "3 event sends per message (guest->dom0)" "$ev" "1" "" "<= 1"
row "3 events received per message (dom0->guest)" "$evin" "1" "" "<= 1"
row "4 throughput depth 16 (msg/s)" "$tp" "(a) $wr" "$(ratio "$tp" "$wr")" ">= 5"
row "4 event sends per message, depth 16" "$tev" "" "" "<= 0.2"
row "5 per-message grants median (ns)" "$gm" "pool $lm" "$(ratio "$gm" "$lm")" "report"
row "5 grant ops per message, per-message mode" "$ggops" "" "" ""
row "6 aggregate 32 guests (msg/s)" "$a32" "1 guest $a1" "$(ratio "$a32" "$a1")" ">= 0.8"
row "6 slowest/fastest guest at 32" "$mn32" "$mx32" "$(ratio "$mn32" "$mx32")" ">= 0.5"
row "7 notification median (ns)" "$nm" "(a) $wm" "$(ratio "$nm" "$wm")" ""
row "8 arm64 .text/.data/.bss (bytes)" "$text/$data/$bss" "49152" "$(ratio "$text" 49152)" "<= 1"
for G in 1 4 16 32; do
	row "6 $G guests: aggregate / min / max / worst p99" \
		"$(val "$T/scale$G" agg)" "$(val "$T/scale$G" min)/$(val "$T/scale$G" max)" "" \
		"$(val "$T/scale$G" worst_p99) ns"
done

fig() {	# fig NAME VALUE BASELINE_NAME BASELINE TARGET
	printf '    {"figure": "%s", "value": %s, "baseline": "%s", "baseline_value": %s, "ratio": %s, "target": "%s"}' \
		"$1" "${2:-null}" "$3" "${4:-null}" "$(ratio "${2:-0}" "${4:-0}")" "$5"
}
{
	echo "{"
	echo "  \"machine\": {\"cpus\": $(nproc), \"kernel\": \"$(uname -r)\"},"
	echo "  \"figures\": ["
	fig "rt_perf_level_get_median_ns" "$lm" "wakeup_pingpong_median_ns" "$wm" "<=1.3"; echo ","
	fig "rt_perf_level_get_p99_ns" "$lp" "wakeup_pingpong_p99_ns" "$wp" "<=1.5"; echo ","
	fig "rt_perf_level_get_p999_ns" "$lq" "wakeup_pingpong_p999_ns" "$(val "$T/base" wakeup_p999_ns)" ""; echo ","
	fig "rt_base_version_median_ns" "$bm" "wakeup_pingpong_median_ns" "$wm" "<=1.3"; echo ","
	fig "rt_base_version_p99_ns" "$bp" "wakeup_pingpong_p99_ns" "$wp" "<=1.5"; echo ","
	fig "rt_polling_median_ns" "$pm" "spin_pingpong_median_ns" "$sm" "<=3"; echo ","
	fig "rt_polling_p99_ns" "$pp" "spin_pingpong_p99_ns" "$(val "$T/base" spin_p99_ns)" ""; echo ","
	fig "grant_ops_per_msg" "$gops" "zero" "0" "0"; echo ","
	fig "evtchn_sends_per_msg_depth1" "$ev" "one" "1" "<=1"; echo ","
	fig "evtchn_events_per_msg_depth1" "$evin" "one" "1" "<=1"; echo ","
	fig "throughput_depth16_msgs_per_sec" "$tp" "wakeup_pingpong_per_sec" "$wr" ">=5"; echo ","
	fig "throughput_depth1_msgs_per_sec" "$tp1" "wakeup_pingpong_per_sec" "$wr" ""; echo ","
	fig "evtchn_sends_per_msg_depth16" "$tev" "one" "1" "<=0.2"; echo ","
	fig "per_message_grants_median_ns" "$gm" "persistent_pool_median_ns" "$lm" "report"; echo ","
	fig "per_message_grant_ops_per_msg" "$ggops" "persistent_pool" "$gops" ""; echo ","
	fig "notify_median_ns" "$nm" "wakeup_pingpong_median_ns" "$wm" ""; echo ","
	fig "notify_p99_ns" "$np" "wakeup_pingpong_p99_ns" "$wp" ""; echo ","
	for G in 1 4 16 32; do
		fig "scale_${G}_aggregate_msgs_per_sec" "$(val "$T/scale$G" agg)" "scale_1_aggregate" "$a1" ">=0.8 at 32"; echo ","
		fig "scale_${G}_min_over_max" "$(val "$T/scale$G" min)" "max_guest" "$(val "$T/scale$G" max)" ">=0.5 at 32"; echo ","
		fig "scale_${G}_worst_p99_ns" "$(val "$T/scale$G" worst_p99)" "wakeup_pingpong_p99_ns" "$wp" ""; echo ","
	done
	fig "arm64_text_bytes" "$text" "target_bytes" "49152" "<=1"; echo ","
	fig "arm64_data_bytes" "$data" "none" "null" ""; echo ","
	fig "arm64_bss_bytes" "$bss" "none" "null" ""; echo
	echo "  ]"
	echo "}"
} >"$OUT"
echo
echo "wrote $OUT"
