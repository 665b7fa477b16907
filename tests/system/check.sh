#!/bin/sh
# SPDX-License-Identifier: MIT
#
# check.sh SERIAL_LOG: the system test's assertions, read from the serial
# log of one boot (tests/system/run.sh). Prints one PASS or FAIL line per
# assertion, the log lines behind every FAIL, the round-trip ratio, and
# "N passed, N failed" last. Exit status 0 when nothing failed.
#
# The guests print each command inside "@@ BEGIN <role> <step>" ..
# "@@ END <role> <step> rc=N" (domu-init.sh); dom0 prints "@@ ..." facts
# (dom0-init.sh) and the daemon's view of the configuration as
# "@@ CONFIG ..." (vscmi-backd --check-config), from which the expected
# inventory of each guest is taken.
LOG=$1
[ -r "$LOG" ] || { echo "check.sh: no log '$LOG'"; echo "0 passed, 1 failed"; exit 1; }
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
npass=0
nfail=0

# The log without QEMU's wall-clock stamps.
sed 's/^\[ *[0-9.]*\] //' "$LOG" >"$TMP/log"

pass() { echo "PASS  $1"; npass=$((npass + 1)); }
fail() {
	echo "FAIL  $1: $2"
	nfail=$((nfail + 1))
	if [ -s "$TMP/why" ]; then
		sed 's/^/      | /' "$TMP/why" | head -n 40
	fi
	: >"$TMP/why"
}

# block ROLE STEP: the output of one guest step (END line last), or nothing.
block() {
	awk -v role="$1" -v step="$2" '
	BEGIN { p = "[" role "] "; b = "@@ BEGIN " role " " step; e = "@@ END " role " " step " rc=" }
	substr($0, 1, length(p)) != p { next }
	{ l = substr($0, length(p) + 1) }
	l == b { inb = 1; out = ""; next }
	inb && index(l, e) == 1 { printf "%s%s\n", out, l; found = 1; exit }
	inb { out = out l "\n" }
	' "$TMP/log"
}
# rc ROLE STEP: the step's exit status, or "none" when it never finished.
rc() {
	block "$1" "$2" | sed -n 's/^@@ END .* rc=\([0-9]*\).*/\1/p' | grep . || echo none
}
# body ROLE STEP: the output without the END and RETRY lines.
body() { block "$1" "$2" | grep -v '^@@ '; }
# json ROLE STEP: the JSON output (vscmi's messages of retried runs dropped).
json() { body "$1" "$2" | grep -v '^vscmi: '; }
why_step() {
	echo "[$1 $2]" >"$TMP/why"
	block "$1" "$2" >>"$TMP/why"
	[ -s "$TMP/why" ] && [ "$(wc -l <"$TMP/why")" -gt 1 ] ||
		echo "(no output: the step never ran or never finished)" >>"$TMP/why"
}
why_grep() { grep -E "$1" "$TMP/log" | head -n 30 >"$TMP/why"; }

# expect_rc NAME ROLE STEP RC: the step ended with exit status RC.
expect_rc() {
	r=$(rc "$2" "$3")
	if [ "$r" = "$4" ]; then
		pass "$1"
	else
		why_step "$2" "$3"
		fail "$1" "$2 '$3' exit status $r, expected $4"
	fi
}
# expect_json NAME ROLE STEP JQ-FILTER: exit status 0 and the filter is true.
expect_json() {
	r=$(rc "$2" "$3")
	if [ "$r" = 0 ] && json "$2" "$3" | jq -e "$4" >/dev/null 2>&1; then
		pass "$1"
	else
		why_step "$2" "$3"
		fail "$1" "$2 '$3' (exit status $r) does not satisfy: $4"
	fi
}
# expect_out NAME ROLE STEP RC REGEX: exit status RC and a line matching REGEX.
expect_out() {
	r=$(rc "$2" "$3")
	if [ "$r" = "$4" ] && body "$2" "$3" | grep -qE "$5"; then
		pass "$1"
	else
		why_step "$2" "$3"
		fail "$1" "$2 '$3' exit status $r (expected $4), output must match /$5/"
	fi
}
# expect_fact NAME REGEX: dom0 printed a line matching REGEX.
expect_fact() {
	if grep -qE "$2" "$TMP/log"; then
		pass "$1"
	else
		why_grep "${3:-^@@ [^C]|vscmi-backd|^=== }"
		fail "$1" "no line matches /$2/"
	fi
}

# config_names AGENT KIND: names the daemon grants AGENT, in id order.
config_names() {
	awk -v agent="$1" -v kind="$2" '
	/^@@ CONFIG agent / { inagent = index($0, "\"" agent "\"") > 0; next }
	/^@@ CONFIG .*: valid$/ { inagent = 0 }
	inagent && $3 == kind && $5 == "=" { print $6 }
	' "$TMP/log" | tr '\n' ' '
}

echo "== boot"
expect_fact "Xen 4.17 booted dom0" '^@@ xen 4\.17'
expect_fact "vscmi-backd accepted the test configuration" '^@@ CONFIG .*systest.cfg: valid$'
expect_fact "vscmi-backd started (--auto-attach)" '^@@ backd started pid='
BASE=1
! grep -q '^@@ base skipped' "$TMP/log" || BASE=0
if [ "$BASE" = 1 ]; then
expect_fact "xl create ivi" '^@@ xl-create ivi rc=0'
expect_fact "xl create cluster" '^@@ xl-create cluster rc=0'
for g in ivi cluster; do
	expect_fact "guest $g booted with /dev/xen/gntalloc and evtchn" \
		"^\[$g\] @@ GUEST $g up .*evtchn gntalloc"
	expect_out "guest $g: vscmi info over gntalloc/evtchn/xenstore (auto-attached)" \
		$g info 0 "^guest agent +$g "
done

echo "== inventory: each guest sees exactly its assignment"
for g in ivi cluster; do
	for k in clock perf power sensor reset voltage powercap pin; do
		want=$(config_names $g $k)
		got=$(json $g inv-$k | jq -r '.[].name' 2>/dev/null | tr '\n' ' ')
		if [ "$(rc $g inv-$k)" = 0 ] && [ "$got" = "$want" ]; then
			pass "$g $k list = [ $want]"
		elif [ -z "$want" ] && [ "$(rc $g inv-$k)" = 1 ] &&
			body $g inv-$k | grep -q NOT_SUPPORTED; then
			# No resource of a kind: the protocol is not offered at all.
			pass "$g $k list: none assigned, protocol not offered (NOT_SUPPORTED)"
		else
			why_step $g inv-$k
			fail "$g $k list" "got [ $got], assigned [ $want]"
		fi
	done
done

echo "== set / get round trips"
expect_rc "ivi clock set gpu_core 600MHz" ivi set-clock 0
expect_json "ivi clock get gpu_core reads 600 MHz" ivi get-clock '.rate_hz == 600000000'
# Performance levels and power states are requests arbitrated between
# connections (docs/config.md, SHARING): `set` reads its result back on its
# own connection. Whether a request outlives the vscmi run that made it is
# the server's policy (it is changing: a guest that reconnects finds the
# requests it left behind); the next run must read either the request or
# the configured state, nothing else.
expect_out "ivi perf set cpu_big 1800000 (read back on the same connection)" ivi set-perf 0 \
	'level now 1800000$'
expect_json "ivi perf get cpu_big: the request (1800000) or the configured 600000" \
	ivi get-perf '.level == 1800000 or .level == 600000'
expect_rc "ivi voltage set vdd_gpu 850mV" ivi set-voltage 0
expect_json "ivi voltage get vdd_gpu reads 850 mV" ivi get-voltage \
	'[.. | numbers] | index(850000) != null'
expect_out "ivi power set pd_gpu on (read back on the same connection)" ivi power-on 0 \
	'\(pd_gpu\): on$'
expect_json "ivi power get pd_gpu: the request (on) or the configured off" \
	ivi power-get '.state == "on" or .state == "off"'
expect_rc "cluster clock set disp_pixel 74.25MHz" cluster set-pixel 0
expect_json "cluster clock get disp_pixel reads 74.25 MHz" cluster get-pixel \
	'.rate_hz == 74250000'

echo "== delayed response"
expect_out "ivi clock set gpu_core 800MHz --async: delayed response" ivi async-clock 0 \
	'delayed response'
expect_json "ivi clock get gpu_core reads 800 MHz after the delayed response" ivi async-get \
	'.rate_hz == 800000000'

echo "== denied actions (exit status 4)"
expect_rc "ivi may not set the read-only pll_gpu" ivi deny-pll 4
expect_rc "ivi may not set the read-only cpu_little" ivi deny-perf 4
expect_rc "cluster may not set the read-only pll_video" cluster deny-video 4

echo "== isolation: cluster cannot see or touch ivi's resources (exit status 5)"
expect_rc "cluster: clock get gpu_core (ivi's, by name)" cluster iso-name 5
expect_rc "cluster: clock set gpu_core 200MHz" cluster iso-set 5
expect_rc "cluster: clock get 2 (ivi has a clock 2, cluster only 0..1)" cluster iso-num 5
expect_rc "cluster: power set pd_gpu on" cluster iso-power 5
expect_rc "cluster: sensor read gpu_thermal" cluster iso-sensor 5
expect_rc "cluster: perf set cpu_big" cluster iso-perf 5

echo "== notifications"
expect_out "ivi: sensor trip-point notification (test_ramp crosses 40 C)" ivi trip 0 \
	'crossed trip point'
expect_rc "ivi changes the shared disp_pixel" ivi notify-set 0
expect_out "cluster: monitor sees ivi's disp_pixel change" cluster monitor 0 'disp_pixel'

echo "== hostile guest"
for a in garbage badgref badport ringidx ringdesc; do
	if body ivi hostile | grep -qE "^HOSTILE $a disconnected"; then
		pass "hostile front-end '$a' disconnected by vscmi-backd"
	else
		why_step ivi hostile
		fail "hostile front-end '$a'" "not disconnected"
	fi
done
expect_fact "vscmi-backd survived the hostile front-end" '^@@ backd-alive after-hostile yes'
expect_out "cluster kept working during the attack (every command ok)" cluster during-hostile 0 \
	'^ok=[1-9][0-9]* failed=0$'
expect_out "ivi: a well-behaved vscmi works again after the attack" ivi after-hostile 0 \
	'^guest agent +ivi '

echo "== vscmi-backd restarted"
expect_fact "vscmi-backd exits 0 on SIGTERM" '^@@ backd-term rc=0 '
expect_out "ivi reconnects to the new vscmi-backd" ivi restart-info 0 '^guest agent +ivi '
expect_rc "ivi: a change after the restart" ivi restart-set 0
expect_out "cluster reconnects to the new vscmi-backd" cluster restart-info 0 \
	'^guest agent +cluster '
expect_json "cluster: a read after the restart" cluster restart-get '.rate_hz > 0'

echo "== hostile back-ends: ivi's vscmi against each lie (tests/robust/hostile_back.c)"
for m in token short badtype biglen badid dupbuf notify features refuse; do
	bad=
	for i in 1 2 3 4; do
		r=$(rc ivi hb-$m-$i)
		if [ "$r" = none ]; then
			bad="$bad run $i never ended;"
		elif [ "$r" -ge 128 ]; then
			bad="$bad run $i killed by signal $((r - 128));"
		fi
		# Lies the agent absorbs (clamped lengths, bogus P2A messages) must
		# not cost a command; a refused device is "no back-end" (3).
		case $m:$r in
		biglen:[1-9]* | notify:[1-9]*) bad="$bad run $i exit status $r, expected 0;" ;;
		refuse:[0-24-9]*) bad="$bad run $i exit status $r, expected 3;" ;;
		esac
	done
	lies=$(sed -n "s/^\[hostile-back\] hostile_back mode=$m .* lies=\([0-9]*\).*/\1/p" "$TMP/log")
	if [ -z "$bad" ] && [ "${lies:-0}" -gt 0 ]; then
		pass "hostile back-end '$m' told $lies lie(s): every vscmi run ended, none crashed"
	else
		for i in 1 2 3 4; do block ivi hb-$m-$i; done >"$TMP/why"
		grep -E "^\[hostile-back\]|hostile-back $m" "$TMP/log" >>"$TMP/why"
		fail "hostile back-end '$m'" "${bad:-no lie told (lies='$lies')}"
	fi
done
expect_out "ivi works with vscmi-backd again after the hostile back-ends" ivi after-hb 0 \
	'^guest agent +ivi '

echo "== figures (TCG-emulated arm64: compare ratios, not times)"
rt=$(body ivi bench | sed -n 's/^rt_median_ns=//p')
pp=$(body ivi pingpong | sed -n 's/^pp_median_ns=//p')
if [ -n "$rt" ] && [ -n "$pp" ] && [ "$pp" -gt 0 ]; then
	pass "vscmi-bench latency (n=2000) and the raw ping-pong both ran"
	ratio=$(awk -v a="$rt" -v b="$pp" 'BEGIN { printf "%.2f", a / b }')
	echo "      median vscmi command round trip / median raw gntalloc+evtchn ping-pong = $ratio"
	echo "SYSTEST-RATIO $ratio"
else
	why_step ivi bench
	block ivi pingpong >>"$TMP/why"
	fail "figures" "vscmi-bench rt_median_ns='$rt', ping-pong pp_median_ns='$pp'"
fi

else
	echo "SKIP  the vscmi CLI guests ivi and cluster (SYSTEST_BASE=0)"
fi

# Extensions (tests/system/ext/<name>.check.sh), each when it ran.
for e in "$(dirname "$0")"/ext/*.check.sh; do
	[ -e "$e" ] || continue
	n=${e##*/}
	n=${n%.check.sh}
	if grep -q "^@@ EXT $n\$" "$TMP/log"; then
		echo "== extension $n"
		# shellcheck disable=SC1090
		. "$e"
	fi
done

echo "== end"
expect_fact "the run reached its end" '^@@ SYSTEST END'
if grep -qE 'Kernel panic|Oops|BUG:|\(XEN\).*(Panic|FATAL)' "$TMP/log"; then
	why_grep 'Kernel panic|Oops|BUG:|\(XEN\).*(Panic|FATAL)'
	fail "no kernel or hypervisor crash" "see the lines below"
else
	pass "no kernel or hypervisor crash"
fi

retries=$(grep -c '^\[[a-z]*\] @@ RETRY ' "$TMP/log")
if [ "$retries" -gt 0 ]; then
	echo "NOTE  $retries vscmi command(s) were retried after exit status 3 or 6 (slow host):"
	grep '^\[[a-z]*\] @@ RETRY ' "$TMP/log" | head -n 10 | sed 's/^/      | /'
fi
echo "$npass passed, $nfail failed"
[ "$nfail" = 0 ]
