#!/bin/sh
# SPDX-License-Identifier: MIT
#
# End to end on xensim: vscmi-backd in dom0 with configs/automotive-soc.cfg,
# guests "ivi" and "cluster" using the vscmi CLI over their own virtio-pv
# devices. Every protocol through the real agent, the permission matrix of
# two guests, delayed responses, notifications, the CLI's error paths and
# exit codes, a back-end restart with a guest reconnecting mid-traffic, and
# a guest killed mid-traffic (the audit must be clean afterwards).
#
# Prints "ok N - what" / "not ok N - what" lines.
set -u
TEST_NAME=e2e
BACKD_OPTS="--delay-ms 2 -v"
. tests/lib.sh
check() {	# check "what" command...: ok when the command succeeds
	what=$1; shift
	if "$@" >"$T/out" 2>"$T/err"; then ok "$what"; else
		nok "$what (exit $?)"; sed 's/^/#   /' "$T/out" "$T/err" | head -10; fi
}
expect_rc() {	# expect_rc RC "what" command...
	want=$1 what=$2; shift 2
	"$@" >"$T/out" 2>"$T/err"
	got=$?
	if [ "$got" = "$want" ]; then ok "$what (exit $got)"; else
		nok "$what: exit $got, wanted $want"; sed 's/^/#   /' "$T/out" "$T/err" | head -10; fi
}
contains() {	# contains FILE PATTERN "what"
	if grep -q -- "$2" "$1"; then ok "$3"; else
		nok "$3: '$2' not in output"; sed 's/^/#   /' "$1" | head -10; fi
}
in_ivi() { "$B/xensim" run "$IVI" -- "$B/vscmi" "$@"; }
in_cluster() { "$B/xensim" run "$CLUSTER" -- "$B/vscmi" "$@"; }

machine_up
IVI=$("$B/xensim" create ivi --persistent) && CLUSTER=$("$B/xensim" create cluster --persistent) ||
	{ nok "xensim create"; exit 1; }

# ---- CLI error paths before anything is attached
expect_rc 2 "vscmi with no command is a usage error" in_ivi
expect_rc 2 "vscmi with an unknown command is a usage error" in_ivi frobnicate
expect_rc 2 "a bad rate is a usage error" in_ivi clock set gpu_core fast
expect_rc 2 "missing arguments are a usage error" in_ivi clock set
expect_rc 0 "every subcommand has --help" in_ivi clock set --help
expect_rc 3 "no device attached: exit 3" in_ivi info
contains "$T/err" "no virtio-pv device" "no device: the message says so"

# ---- attach; the back-end is not running yet
check "vscmi-attach ivi" "$B/xensim" run 0 -- "$B/vscmi-attach" ivi
check "vscmi-attach cluster" "$B/xensim" run 0 -- "$B/vscmi-attach" cluster
expect_rc 4 "attaching twice is refused" "$B/xensim" run 0 -- "$B/vscmi-attach" ivi
expect_rc 3 "attaching to a missing domain is refused" "$B/xensim" run 0 -- "$B/vscmi-attach" nosuch
expect_rc 3 "back-end not running: exit 3" in_ivi info
contains "$T/err" "did not connect" "back-end not running: the message says so"

start_backd --pidfile "$T/backd.pid"

# ---- every protocol through the real agent (ivi)
check "info" in_ivi info
contains "$T/out" "guest agent *ivi" "info names the agent"
for p in 0x10 0x11 0x12 0x13 0x14 0x15 0x16 0x17 0x18 0x19; do
	contains "$T/out" "^$p " "info lists protocol $p"
done
for g in clock perf power sensor reset voltage powercap pin; do
	check "$g list" in_ivi --json "$g" list
done
check "clock list (json)" in_ivi --json clock list
[ "$(grep -c '"id"' "$T/out")" = 4 ] && ok "ivi sees exactly its 4 clocks" || nok "ivi sees $(grep -c '"id"' "$T/out") clocks, wanted 4"
check "clock set gpu_core 600MHz" in_ivi clock set gpu_core 600MHz
check "clock get gpu_core" in_ivi --json clock get gpu_core
contains "$T/out" "\"rate_hz\": *600000000" "clock rate read back"
check "clock set --async (delayed response)" in_ivi clock set gpu_core 800MHz --async
contains "$T/out" "800 MHz (delayed response received)" "async rate set completes with its delayed response"
check "clock on" in_ivi clock on gpu_core
check "clock get after on" in_ivi --json clock get gpu_core
contains "$T/out" '"enabled": *true' "clock enable read back"
check "clock off" in_ivi clock off gpu_core
check "clock parents" in_ivi clock parents gpu_core
check "clock parent" in_ivi clock parent gpu_core
check "perf get" in_ivi perf get cpu_big
check "perf set" in_ivi perf set cpu_big 1200000
contains "$T/out" "level now 1200000" "perf level read back"
check "perf limits set" in_ivi perf limits cpu_big 600000 1800000
contains "$T/out" "limits 600000..1800000" "perf limits read back"
expect_rc 5 "perf level outside the OPP table: OUT_OF_RANGE" in_ivi perf set cpu_big 12345
check "power set on (async)" in_ivi power set pd_camera on --async
check "power get" in_ivi power get pd_camera
contains "$T/out" ": on" "power state read back"
check "sensor read" in_ivi sensor read soc_thermal
contains "$T/out" "°C" "sensor reading has its unit"
check "sensor read --async (delayed response)" in_ivi sensor read gpu_thermal --async
check "reset assert" in_ivi reset assert rst_display
check "reset deassert" in_ivi reset deassert rst_display
check "reset cycle, async" in_ivi reset reset rst_camera --async
check "voltage set" in_ivi voltage set vdd_gpu 850mV
contains "$T/out" "850 mV" "voltage read back"
check "powercap get" in_ivi powercap get soc_power
check "raw BASE PROTOCOL_VERSION" in_ivi raw 0x10 0x0
contains "$T/out" "SUCCESS" "raw reply carries its status"
expect_rc 0 "raw command to a vendor protocol is answered" in_ivi raw 0x80 0x0
contains "$T/out" "NOT_SUPPORTED\|NOT_FOUND" "vendor protocol refused with a status"

# ---- permission matrix: cluster against ivi's resources
check "cluster clock list" in_cluster --json clock list
[ "$(grep -c '"id"' "$T/out")" = 2 ] && ok "cluster sees exactly its 2 clocks" || nok "cluster sees $(grep -c '"id"' "$T/out") clocks, wanted 2"
! grep -q gpu_core "$T/out" && ok "cluster cannot see ivi's gpu_core" || nok "cluster sees gpu_core"
expect_rc 4 "cluster: read-only clock refuses a rate change (DENIED)" in_cluster clock set pll_video 1188MHz
contains "$T/err" "guest cluster may not" "the denial names the guest"
expect_rc 5 "cluster: ivi's clock by name does not exist" in_cluster clock set gpu_core 200MHz
expect_rc 5 "cluster: out-of-view id does not exist" in_cluster clock get 7
expect_rc 4 "ivi: read-only perf domain refuses a level (DENIED)" in_ivi perf set cpu_little 400000

# ---- shared resource: notification to the other guest
"$B/xensim" run "$CLUSTER" -- "$B/vscmi" monitor --count 1 --timeout 15 >"$T/mon" 2>&1 &
MON=$!
sleep 1
check "ivi changes the shared pixel clock" in_ivi clock set disp_pixel 74.25MHz
if wait "$MON"; then ok "cluster got the rate-change notification"; else nok "no notification reached cluster"; fi
contains "$T/mon" "disp_pixel" "the notification names the clock"

# ---- back-end restart while a guest is mid-traffic
"$B/xensim" run "$IVI" -- "$B/vscmi-bench" guest --test throughput --depth 1 --seconds 6 \
	--allow-errors >"$T/bench" 2>&1 &
BENCH=$!
sleep 2
stop_backd
sleep 1
start_backd --pidfile "$T/backd.pid"
if wait "$BENCH"; then ok "guest traffic recovered after the back-end restarted"; else
	nok "guest traffic did not recover"; sed 's/^/#   /' "$T/bench" | tail -5; fi
contains "$T/bench" "ok_after_error=[1-9]" "commands completed after the reconnection"
check "a new command after the restart" in_ivi info

# ---- guest killed mid-traffic: nothing left behind
"$B/xensim" run "$CLUSTER" -- "$B/vscmi-bench" guest --test throughput --depth 4 --seconds 20 \
	>/dev/null 2>&1 &
VICTIM=$!
sleep 2
check "destroy cluster mid-traffic" "$B/xensim" destroy "$CLUSTER"
wait "$VICTIM" 2>/dev/null
sleep 1
check "ivi still works after cluster died" in_ivi clock get gpu_core

# ---- SIGHUP reloads the configuration, connections stay
kill -HUP "$(cat "$T/backd.pid")" 2>/dev/null
sleep 0.5
contains "$T/backd.log" "reloaded $CFG" "SIGHUP reloads the configuration"
check "ivi works after the reload" in_ivi clock get gpu_core

# ---- --auto-attach: a domain the config names gets its device by itself
stop_backd
start_backd --pidfile "$T/backd.pid" --auto-attach
CLUSTER=$("$B/xensim" create cluster --persistent) || nok "re-create cluster"
# The daemon attaches on @introduceDomain; a real guest boots meanwhile.
for i in $(seq 50); do
	"$B/xensim" run 0 -- xenstore-read "/local/domain/$CLUSTER/device/virtio-pv/0/backend-id" \
		>/dev/null 2>&1 && break
	sleep 0.1
done
check "auto-attached guest works without vscmi-attach" in_cluster info
contains "$T/backd.log" "auto-attached guest cluster" "the daemon says it auto-attached"
stop_backd
[ ! -e "$T/backd.pid" ] && ok "the pid file is removed at exit" || nok "pid file left behind"
if "$B/xensim" audit --check >"$T/audit" 2>&1; then ok "xensim audit clean after guest death and back-end exit"; else
	nok "xensim audit found leftovers"; sed 's/^/#   /' "$T/audit" | head -20; fi

sanitizer_clean "$T/backd.log" vscmi-backd
finish
