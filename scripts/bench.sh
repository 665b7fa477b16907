#!/bin/sh
# SPDX-License-Identifier: MIT
#
# `make bench`: vscmi's figures as ratios to this machine's own limits, all
# measured in this one run (absolute times on a shared machine are noise).
#   (a) wake-up ping-pong (eventfd, 128 bytes through shm) - floor for blocking
#   (a') the same, both processes on one CPU (no idle-CPU wake from halt)
#   (b) spin ping-pong on a shared cache line             - floor for polling
# then, guest and vscmi-backd as separate processes on xensim:
#   1 round trip at depth 1, interrupt mode   2 the same, polling (and
#                                               vscmi-backd --busy-poll)
#   3 grant operations / event sends per message
#   4 throughput at depth 16                  5 per-message grants vs the pool
#   6 scaling over 1/4/16/32 guests           7 notification latency
#   8 footprint of the guest libraries for arm64 (-Os, every protocol), RAM
#     per device
# Cost per message (3, 4) also from perf stat where it runs: system calls,
# context switches and CPU time of the guest and of vscmi-backd.
# Environment: BENCH_N (round trips per latency figure), BENCH_SECONDS
# (per throughput figure), BENCH_OUT (bench.json), O (the release build).
# Prints a table; writes bench.json (every figure, its baseline, the ratio).
set -u
O=${O:-build/release}
ARM_O=${ARM_O:-$O-arm64}
N=${BENCH_N:-100000}
SECS=${BENCH_SECONDS:-3}
OUT=${BENCH_OUT:-bench.json}
B=$O/bin
T=$(mktemp -d)
M=vscmi-bench-$$
export XENSIM_MACHINE=$M
BACKD=""
PERF=""
command -v perf >/dev/null 2>&1 && perf stat -e raw_syscalls:sys_enter true >/dev/null 2>&1 &&
	PERF=perf
# xensim has domids 0 .. XSIM_MAX_DOMAINS-1: dom0 and at most that many guests.
MAXDOM=$(sed -n 's/^#define XSIM_MAX_DOMAINS[[:space:]]*\([0-9]*\).*/\1/p' include/vscmi/xensim.h)
GMAX=32
[ "${MAXDOM:-33}" -le 32 ] && GMAX=$((MAXDOM - 1))

cleanup() {
	[ -n "$BACKD" ] && kill -TERM "$BACKD" 2>/dev/null && wait "$BACKD" 2>/dev/null
	"$B/xensim" stop >/dev/null 2>&1
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

val() { sed -n "s/^$2=//p" "$1" 2>/dev/null | tail -1; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b + 0 == 0) print "null"; else printf "%.3f", a / b }'; }
per() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b + 0 == 0) print ""; else printf "%.2f", a / b }'; }
# perf stat -x, output: the count of event $2
pcount() { awk -F, -v e="$2" '$3 == e || $3 ~ "^"e"[:/]" { print $1 + 0 }' "$1" 2>/dev/null | head -1; }

start_machine() {	# start_machine NGUESTS [vscmi-backd options]
	"$B/xensim" start --name "$M" >/dev/null || exit 1
	"$B/xensim" run 0 -- "$B/vscmi-backd" --foreground --quiet \
		--config configs/bench.cfg ${2:-} 2>"$T/backd.log" &
	BACKD=$!
	i=1
	while [ "$i" -le "$1" ]; do
		id=$("$B/xensim" create "g$i" --memory 8 --persistent) || exit 1
		echo "$id" >"$T/g$i.id"
		"$B/xensim" run 0 -- "$B/vscmi-attach" "g$i" >/dev/null || exit 1
		i=$((i + 1))
	done
}

stop_machine() {
	kill -TERM "$BACKD" 2>/dev/null
	wait "$BACKD" 2>/dev/null
	BACKD=""
	"$B/xensim" stop >/dev/null 2>&1
}

in_guest() {	# in_guest N ARGS... > file
	g=$1
	shift
	"$B/xensim" run "$(cat "$T/g$g.id")" -- "$B/vscmi-bench" guest "$@"
}

# measured NAME ARGS...: in_guest 1 ARGS >$T/NAME, with perf stat counting
# system calls, context switches and CPU time of the guest and of backd.
measured() {
	name=$1
	shift
	if [ -z "$PERF" ]; then
		in_guest 1 "$@" >"$T/$name" || exit 1
		return
	fi
	# `xensim run` forks vscmi-backd: count the daemon itself.
	bpid=$(ps -o pid= --ppid "$BACKD" 2>/dev/null | head -1 | tr -d ' ')
	$PERF stat -x, -e raw_syscalls:sys_enter,context-switches,task-clock \
		-o "$T/$name.pb" -p "${bpid:-$BACKD}" 2>/dev/null &
	pb=$!
	sleep 0.2
	$PERF stat -x, -e raw_syscalls:sys_enter,context-switches,task-clock \
		-o "$T/$name.pg" -- "$B/xensim" run "$(cat "$T/g1.id")" -- \
		"$B/vscmi-bench" guest "$@" >"$T/$name" || exit 1
	kill -INT "$pb" 2>/dev/null
	wait "$pb" 2>/dev/null
}

LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)	# before we add ours
echo "vscmi bench: release build $O, $N round trips per latency figure," \
	"$(nproc) CPUs, load $LOAD0"

# ---- (a), (b); (a) once more under perf stat, for its cost per round trip
"$B/vscmi-bench" baseline --n "$N" >"$T/base" || exit 1
# (a') the same with both processes on one CPU: on a VM, waking an idle
# vCPU from halt can cost ten times a context switch, and (a) then
# measures that; (a') is the pure cost of the two sleeps and wake-ups.
"$B/vscmi-bench" baseline --test pinned --n "$((N / 2))" >>"$T/base" || exit 1
[ -n "$PERF" ] && $PERF stat -x, -e raw_syscalls:sys_enter,context-switches,task-clock \
	-o "$T/base.pa" -- "$B/vscmi-bench" baseline --test wakeup --n "$((N / 4))" >/dev/null

# ---- 1-5, 7 with one guest
start_machine 1
measured lat_perf --test latency --msg perf --n "$N"
in_guest 1 --test latency --msg base --n "$N" >"$T/lat_base" || exit 1
measured tput --test throughput --depth 16 --seconds "$SECS"
in_guest 1 --test throughput --depth 1 --seconds "$SECS" >"$T/tput1" || exit 1
in_guest 1 --test notify --n 2000 >"$T/notify" || exit 1
in_guest 1 --test latency --msg perf --n "$((N / 4))" --grants per-message >"$T/pergrant" ||
	exit 1
stop_machine

# ---- 2 polling: the guest spins on its used ring and vscmi-backd on its
# command queues (--busy-poll), as both sides of (b) spin
start_machine 1 --busy-poll
in_guest 1 --test latency --msg perf --n "$N" --poll >"$T/poll" || exit 1
stop_machine

# ---- 6 scaling: every guest measures the same window (--start-at)
for G in 1 4 16 $GMAX; do
	start_machine "$G"
	at=$(( $("$B/vscmi-bench" now) + 1000000000 + G * 150000000 ))
	i=1
	pids=""
	while [ "$i" -le "$G" ]; do
		in_guest "$i" --test throughput --depth 1 --seconds "$SECS" --start-at "$at" \
			>"$T/scale$G.$i" &
		pids="$pids $!"
		i=$((i + 1))
	done
	wait_ok=1
	for j in $pids; do wait "$j" || wait_ok=0; done
	[ $wait_ok = 1 ] || { echo "bench: a guest failed at $G guests" >&2; exit 1; }
	stop_machine
	cat "$T"/scale"$G".* | awk -F= '
		/^msgs_per_sec=/ { s += $2; if (min == "" || $2 < min) min = $2; if ($2 > max) max = $2 }
		/^rt_p99_ns=/ { if ($2 > p99) p99 = $2 }
		/^late_start_ns=/ { late++ }
		END { printf "agg=%d\nmin=%d\nmax=%d\nworst_p99=%d\nlate=%d\n", s, min, max, p99, late }' \
		>"$T/scale$G"
done

# ---- 8 footprint: the guest library for arm64 at -Os, every protocol
text="" data="" bss=""
if [ ! -f "$ARM_O/.config" ]; then
	make -s O="$ARM_O" arm64_defconfig >/dev/null 2>&1
	echo "CONFIG_OPTIMIZE_SIZE=y" >>"$ARM_O/.config"
	make -s O="$ARM_O" olddefconfig >/dev/null 2>&1
fi
if make -s O="$ARM_O" -j2 "$ARM_O/libvscmi.a" >/dev/null 2>&1; then
	aarch64-linux-gnu-size -t "$ARM_O/libvscmi.a" | tail -1 >"$T/size"
	read -r text data bss _ <"$T/size"
fi

# ---- report
wm=$(val "$T/base" wakeup_median_ns); wp=$(val "$T/base" wakeup_p99_ns)
wq=$(val "$T/base" wakeup_p999_ns)
wr=$(val "$T/base" wakeup_per_sec); sm=$(val "$T/base" spin_median_ns)
sp=$(val "$T/base" spin_p99_ns)
pm1=$(val "$T/base" pinned_median_ns); pp1=$(val "$T/base" pinned_p99_ns)
lm=$(val "$T/lat_perf" rt_median_ns); lp=$(val "$T/lat_perf" rt_p99_ns)
lq=$(val "$T/lat_perf" rt_p999_ns)
bm=$(val "$T/lat_base" rt_median_ns); bp=$(val "$T/lat_base" rt_p99_ns)
pm=$(val "$T/poll" rt_median_ns); pp=$(val "$T/poll" rt_p99_ns)
gops=$(val "$T/lat_perf" grant_ops_per_msg); ev=$(val "$T/lat_perf" evtchn_sends_per_msg)
evin=$(val "$T/lat_perf" evtchn_events_per_msg)
tp=$(val "$T/tput" msgs_per_sec); tev=$(val "$T/tput" evtchn_sends_per_msg)
tevin=$(val "$T/tput" evtchn_events_per_msg)
tp1=$(val "$T/tput1" msgs_per_sec)
nm=$(val "$T/notify" notify_median_ns); np=$(val "$T/notify" notify_p99_ns)
gm=$(val "$T/pergrant" rt_median_ns); ggops=$(val "$T/pergrant" grant_ops_per_msg)
a1=$(val "$T/scale1" agg); aG=$(val "$T/scale$GMAX" agg)
mnG=$(val "$T/scale$GMAX" min); mxG=$(val "$T/scale$GMAX" max)
heap=$(val "$T/lat_perf" device_heap_bytes); pool=$(val "$T/lat_perf" pool_pages)
ram=""
[ -n "$heap" ] && [ -n "$pool" ] && ram=$((heap + pool * 4096))
# Cost per message from perf stat (whole process lifetime / messages run,
# the warm-up of 2000 included; set-up is noise next to N).
cost() {	# cost FILE.pX EVENT TEST_FILE -> per message (task-clock: ns)
	c=$(pcount "$1" "$2")
	m=$(val "$3" msgs)
	[ "$2" = task-clock ] && c=$(awk -v c="$c" 'BEGIN { if (c != "") printf "%.0f", c * 1e6 }')
	[ -n "$c" ] && [ -n "$m" ] && per "$c" "$((m + 2000))"
}
# (a)'s own cost per round trip (its warm-up is 1000 round trips)
acost() {
	c=$(pcount "$T/base.pa" "$1")
	[ "$1" = task-clock ] && c=$(awk -v c="$c" 'BEGIN { if (c != "") printf "%.0f", c * 1e6 }')
	[ -n "$c" ] && per "$c" "$((N / 4 + 1000))"
}
as=$(acost raw_syscalls:sys_enter); ac=$(acost context-switches); au=$(acost task-clock)
[ -n "$as" ] || as=4
[ -n "$ac" ] || ac=2
lsg=$(cost "$T/lat_perf.pg" raw_syscalls:sys_enter "$T/lat_perf")
lsb=$(cost "$T/lat_perf.pb" raw_syscalls:sys_enter "$T/lat_perf")
lcg=$(cost "$T/lat_perf.pg" context-switches "$T/lat_perf")
lcb=$(cost "$T/lat_perf.pb" context-switches "$T/lat_perf")
lug=$(cost "$T/lat_perf.pg" task-clock "$T/lat_perf")
lub=$(cost "$T/lat_perf.pb" task-clock "$T/lat_perf")
tsg=$(cost "$T/tput.pg" raw_syscalls:sys_enter "$T/tput")
tsb=$(cost "$T/tput.pb" raw_syscalls:sys_enter "$T/tput")
tcg=$(cost "$T/tput.pg" context-switches "$T/tput")
tcb=$(cost "$T/tput.pb" context-switches "$T/tput")
tug=$(cost "$T/tput.pg" task-clock "$T/tput")
tub=$(cost "$T/tput.pb" task-clock "$T/tput")
sum() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "") print ""; else printf "%.6g", a + b }'; }
ls_all=$(sum "$lsg" "$lsb"); lc_all=$(sum "$lcg" "$lcb"); lu_all=$(sum "$lug" "$lub")
ts_all=$(sum "$tsg" "$tsb"); tc_all=$(sum "$tcg" "$tcb"); tu_all=$(sum "$tug" "$tub")

row() { printf '%-46s %12s %16s %8s %s\n' "$1" "$2" "$3" "$4" "$5"; }
echo
row "figure" "value" "baseline" "ratio" "target"
row "1 PERF_LEVEL_GET median (ns), irq" "$lm" "(a) $wm" "$(ratio "$lm" "$wm")" "<= 1.3"
row "1 PERF_LEVEL_GET p99 (ns), irq" "$lp" "(a) $wp" "$(ratio "$lp" "$wp")" "<= 1.5"
row "1 PERF_LEVEL_GET p99.9 (ns), irq" "$lq" "(a) $wq" "$(ratio "$lq" "$wq")" ""
row "1 PERF_LEVEL_GET median, vs one-CPU (a')" "$lm" "(a') $pm1" "$(ratio "$lm" "$pm1")" "(info)"
row "1 PERF_LEVEL_GET p99, vs one-CPU (a')" "$lp" "(a') $pp1" "$(ratio "$lp" "$pp1")" "(info)"
row "1 BASE_PROTOCOL_VERSION median (ns)" "$bm" "(a) $wm" "$(ratio "$bm" "$wm")" "<= 1.3"
row "1 BASE_PROTOCOL_VERSION p99 (ns)" "$bp" "(a) $wp" "$(ratio "$bp" "$wp")" "<= 1.5"
row "2 PERF_LEVEL_GET median (ns), polling" "$pm" "(b) $sm" "$(ratio "$pm" "$sm")" "<= 3"
row "2 PERF_LEVEL_GET p99 (ns), polling" "$pp" "(b) $sp" "$(ratio "$pp" "$sp")" ""
row "3 grant ops per message (pool)" "$gops" "0" "" "0"
row "3 event sends per message (guest->dom0)" "$ev" "1" "$(ratio "$ev" 1)" "<= 1"
row "3 events received per message (dom0->guest)" "$evin" "1" "$(ratio "$evin" 1)" "<= 1"
row "3 syscalls per message, guest+backd" "$ls_all" "(a) $as" "$(ratio "$ls_all" "$as")" "(g $lsg, b $lsb)"
row "3 context switches per message, guest+backd" "$lc_all" "(a) $ac" "$(ratio "$lc_all" "$ac")" "(g $lcg, b $lcb)"
row "3 CPU ns per message, guest+backd" "$lu_all" "(a) $au" "$(ratio "$lu_all" "$au")" "(g $lug, b $lub)"
row "4 throughput depth 16 (msg/s)" "$tp" "(a) $wr" "$(ratio "$tp" "$wr")" ">= 5"
row "4 event sends per message, depth 16" "$tev" "1" "$(ratio "$tev" 1)" "<= 0.2"
row "4 events received per message, depth 16" "$tevin" "1" "$(ratio "$tevin" 1)" ""
row "4 syscalls per message, depth 16" "$ts_all" "(a) $as" "$(ratio "$ts_all" "$as")" "(g $tsg, b $tsb)"
row "4 context switches per message, depth 16" "$tc_all" "(a) $ac" "$(ratio "$tc_all" "$ac")" "(g $tcg, b $tcb)"
row "4 CPU ns per message, depth 16" "$tu_all" "(a) $au" "$(ratio "$tu_all" "$au")" "(g $tug, b $tub)"
row "4 throughput depth 1 (msg/s)" "$tp1" "(a) $wr" "$(ratio "$tp1" "$wr")" ""
row "5 per-message grants median (ns)" "$gm" "pool $lm" "$(ratio "$gm" "$lm")" "report"
row "5 grant ops per message, per-message mode" "$ggops" "pool $gops" "" ""
row "6 aggregate $GMAX guests (msg/s)" "$aG" "1 guest $a1" "$(ratio "$aG" "$a1")" ">= 0.8"
row "6 slowest/fastest guest at $GMAX" "$mnG" "$mxG" "$(ratio "$mnG" "$mxG")" ">= 0.5"
for G in 1 4 16 $GMAX; do
	row "6 $G guests: aggregate / min..max / worst p99" \
		"$(val "$T/scale$G" agg)" "$(val "$T/scale$G" min)..$(val "$T/scale$G" max)" \
		"$(ratio "$(val "$T/scale$G" agg)" "$a1")" "$(val "$T/scale$G" worst_p99) ns"
done
row "7 notification median (ns)" "$nm" "(a) $wm" "$(ratio "$nm" "$wm")" ""
row "7 notification p99 (ns)" "$np" "(a) $wp" "$(ratio "$np" "$wp")" ""
row "8 arm64 -Os .text (bytes)" "$text" "49152" "$(ratio "$text" 49152)" "<= 1"
row "8 arm64 -Os .data/.bss (bytes)" "$data/$bss" "" "" ""
row "8 RAM per device, guest (bytes)" "$ram" "" "" "heap $heap + $pool pages"
[ "$GMAX" = 32 ] || echo "note: xensim allows $((MAXDOM - 1)) guests (XSIM_MAX_DOMAINS=$MAXDOM): scaled to $GMAX"
[ -z "$PERF" ] && echo "note: perf not available: no system call / context switch counts"

fig() {	# fig NAME VALUE BASELINE_NAME BASELINE TARGET
	printf '    {"figure": "%s", "value": %s, "baseline": "%s", "baseline_value": %s, "ratio": %s, "target": "%s"}' \
		"$1" "${2:-null}" "$3" "${4:-null}" "$(ratio "${2:-}" "${4:-0}")" "$5"
}
{
	echo "{"
	echo "  \"machine\": {\"cpus\": $(nproc), \"kernel\": \"$(uname -r)\", \"loadavg_at_start\": \"$LOAD0\", \"max_guests\": $GMAX},"
	echo "  \"figures\": ["
	fig "rt_perf_level_get_median_ns" "$lm" "wakeup_pingpong_median_ns" "$wm" "<=1.3"; echo ","
	fig "rt_perf_level_get_p99_ns" "$lp" "wakeup_pingpong_p99_ns" "$wp" "<=1.5"; echo ","
	fig "rt_perf_level_get_p999_ns" "$lq" "wakeup_pingpong_p999_ns" "$wq" ""; echo ","
	fig "rt_perf_level_get_median_vs_pinned_ns" "$lm" "wakeup_pingpong_one_cpu_median_ns" "$pm1" ""; echo ","
	fig "rt_perf_level_get_p99_vs_pinned_ns" "$lp" "wakeup_pingpong_one_cpu_p99_ns" "$pp1" ""; echo ","
	fig "rt_base_version_median_ns" "$bm" "wakeup_pingpong_median_ns" "$wm" "<=1.3"; echo ","
	fig "rt_base_version_p99_ns" "$bp" "wakeup_pingpong_p99_ns" "$wp" "<=1.5"; echo ","
	fig "rt_polling_median_ns" "$pm" "spin_pingpong_median_ns" "$sm" "<=3"; echo ","
	fig "rt_polling_p99_ns" "$pp" "spin_pingpong_p99_ns" "$sp" ""; echo ","
	fig "grant_ops_per_msg" "$gops" "zero" "0" "0"; echo ","
	fig "evtchn_sends_per_msg_depth1" "$ev" "one" "1" "<=1"; echo ","
	fig "evtchn_events_per_msg_depth1" "$evin" "one" "1" "<=1"; echo ","
	fig "syscalls_per_msg_depth1" "$ls_all" "wakeup_pingpong_syscalls_per_rt" "$as" ""; echo ","
	fig "syscalls_per_msg_depth1_guest" "$lsg" "wakeup_pingpong_syscalls_per_rt" "$as" ""; echo ","
	fig "syscalls_per_msg_depth1_backd" "$lsb" "wakeup_pingpong_syscalls_per_rt" "$as" ""; echo ","
	fig "context_switches_per_msg_depth1" "$lc_all" "wakeup_pingpong_context_switches_per_rt" "$ac" ""; echo ","
	fig "cpu_ns_per_msg_depth1" "$lu_all" "wakeup_pingpong_cpu_ns_per_rt" "$au" ""; echo ","
	fig "throughput_depth16_msgs_per_sec" "$tp" "wakeup_pingpong_per_sec" "$wr" ">=5"; echo ","
	fig "throughput_depth1_msgs_per_sec" "$tp1" "wakeup_pingpong_per_sec" "$wr" ""; echo ","
	fig "evtchn_sends_per_msg_depth16" "$tev" "one" "1" "<=0.2"; echo ","
	fig "evtchn_events_per_msg_depth16" "$tevin" "one" "1" ""; echo ","
	fig "syscalls_per_msg_depth16" "$ts_all" "wakeup_pingpong_syscalls_per_rt" "$as" ""; echo ","
	fig "context_switches_per_msg_depth16" "$tc_all" "wakeup_pingpong_context_switches_per_rt" "$ac" ""; echo ","
	fig "cpu_ns_per_msg_depth16" "$tu_all" "wakeup_pingpong_cpu_ns_per_rt" "$au" ""; echo ","
	fig "per_message_grants_median_ns" "$gm" "persistent_pool_median_ns" "$lm" "report"; echo ","
	fig "per_message_grant_ops_per_msg" "$ggops" "persistent_pool" "$gops" ""; echo ","
	fig "notify_median_ns" "$nm" "wakeup_pingpong_median_ns" "$wm" ""; echo ","
	fig "notify_p99_ns" "$np" "wakeup_pingpong_p99_ns" "$wp" ""; echo ","
	for G in 1 4 16 $GMAX; do
		tg=""
		[ "$G" = "$GMAX" ] && tg=">=0.8"
		fig "scale_${G}_aggregate_msgs_per_sec" "$(val "$T/scale$G" agg)" "scale_1_aggregate" "$a1" "$tg"; echo ","
		[ "$G" = "$GMAX" ] && tg=">=0.5"
		fig "scale_${G}_min_over_max" "$(val "$T/scale$G" min)" "max_guest" "$(val "$T/scale$G" max)" "$tg"; echo ","
		fig "scale_${G}_worst_p99_ns" "$(val "$T/scale$G" worst_p99)" "wakeup_pingpong_p99_ns" "$wp" ""; echo ","
	done
	fig "arm64_text_bytes" "$text" "target_bytes" "49152" "<=1"; echo ","
	fig "arm64_data_bytes" "$data" "none" "null" ""; echo ","
	fig "arm64_bss_bytes" "$bss" "none" "null" ""; echo ","
	fig "ram_per_device_guest_bytes" "$ram" "none" "null" ""; echo
	echo "  ]"
	echo "}"
} >"$OUT"
echo
echo "wrote $OUT"
