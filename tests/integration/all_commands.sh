#!/bin/sh
# SPDX-License-Identifier: MIT
#
# Every command of every SCMI protocol end to end on xensim, over the real
# transport: vscmi-backd in dom0 with tests/data/all_commands.cfg, three
# guests (alpha, beta, and the trusted ctl) each with its own virtio-pv
# device, running all-commands (tests/integration/all_commands.c) in the
# roles below; the permission matrix of the guests; notifications across
# guests; arbitration of shared resources between connections of the same
# and of different guests; the trusted agent's permission commands. Ends
# with `xensim audit --check`.
#
# Prints "ok N - what" / "not ok N - what" lines (each guest program's lines
# are relayed, prefixed with the step), then the per-protocol command
# coverage as "#" lines.
set -u
TEST_NAME=allcmds
CFG=tests/data/all_commands.cfg
BACKD_OPTS=-v
. tests/lib.sh
AC=$B/all-commands

# relay STEP RC: the TAP lines of $T/STEP.out under our numbering
relay() {
	step=$1 rc=$2 before=$fails
	while IFS= read -r line; do
		case $line in
		"ok "*) ok "$step: ${line#* - }" ;;
		"not ok "*) nok "$step: ${line#* - }" ;;
		"# cover "*) echo "${line#\# cover }" >>"$T/cover" ;;
		"#"*) echo "$line" ;;
		esac
	done <"$T/$step.out"
	if [ "$rc" != 0 ] && [ "$fails" = "$before" ]; then
		nok "$step: all-commands exited $rc"; show "$T/$step.err"
	elif [ "$fails" != "$before" ]; then
		show "$T/$step.err"
	fi
}
# step NAME DOMID ROLE [ARGS]: run all-commands in a guest, relay its lines
step() {
	name=$1 dom=$2; shift 2
	"$B/xensim" run "$dom" -- "$AC" --role "$@" >"$T/$name.out" 2>"$T/$name.err"
	relay "$name" $?
}
# bg_step NAME DOMID ROLE [ARGS]: the same in the background; fg_step NAME ends it
bg_step() {
	name=$1 dom=$2; shift 2
	"$B/xensim" run "$dom" -- "$AC" --role "$@" >"$T/$name.out" 2>"$T/$name.err" &
	eval "PID_$name=$!"
}
fg_step() {
	eval "pid=\$PID_$1"
	wait "$pid"
	relay "$1" $?
}
wait_file() {	# wait_file FILE SECONDS
	i=0
	while [ ! -e "$1" ] && [ $i -lt $(($2 * 10)) ]; do sleep 0.1; i=$((i + 1)); done
	[ -e "$1" ]
}

machine_up
ALPHA=$("$B/xensim" create alpha --persistent) && BETA=$("$B/xensim" create beta --persistent) &&
	CTL=$("$B/xensim" create ctl --persistent) || { nok "xensim create"; exit 1; }
for g in alpha beta ctl; do
	if "$B/xensim" run 0 -- "$B/vscmi-attach" "$g" >"$T/attach" 2>&1; then ok "vscmi-attach $g"; else
		nok "vscmi-attach $g"; show "$T/attach"; fi
done
start_backd

# ---- every command, alpha's view; beta's view
step full "$ALPHA" full
step beta "$BETA" beta

# ---- notifications across guests: beta and ctl watch, alpha acts
bg_step watch_beta "$BETA" watch --ready "$T/ready.beta"
bg_step watch_ctl "$CTL" watch --ready "$T/ready.ctl"
if wait_file "$T/ready.beta" 20 && wait_file "$T/ready.ctl" 20; then ok "watchers subscribed"; else
	nok "watchers did not get ready"; fi
step trigger "$ALPHA" trigger
fg_step watch_beta
fg_step watch_ctl

# ---- arbitration. alpha's requests outlive its processes (the last device
# of a guest going away keeps them, docs/config.md): ctl withdraws those of
# the trigger step first. Then a connection of alpha holds and beta
# contends; once the holder is gone its requests stay (kept), a new process
# of alpha gets them back (reowned), ctl withdraws them (forget) and
# everything is back to its configured state (after). One xensim guest runs
# one process on its xenstore ring at a time, as one kernel would.
step forget_trigger "$CTL" forget
bg_step hold "$ALPHA" hold --ready "$T/ready.hold" --until "$T/release"
if wait_file "$T/ready.hold" 20; then ok "holder ready"; else nok "holder did not get ready"; fi
step arb_beta "$BETA" arb
: >"$T/release"
fg_step hold
step kept_beta "$BETA" kept
step reowned_alpha "$ALPHA" reowned
step forget "$CTL" forget
step after_beta "$BETA" after

# ---- the trusted agent's permission commands
step revoke "$CTL" revoke
step revoked_alpha "$ALPHA" revoked
step revoked_beta "$BETA" revoked
step restore "$CTL" restore
step restored_alpha "$ALPHA" restored
step restored_beta "$BETA" restored

# ---- a guest destroyed while it holds: @releaseDomain withdraws everything
bg_step hold_beta "$BETA" hold --ready "$T/ready.hb" --until "$T/never"
if wait_file "$T/ready.hb" 20; then ok "beta holds the shared resources"; else
	nok "beta did not get ready"; fi
if "$B/xensim" destroy "$BETA" >"$T/destroy" 2>&1; then ok "destroy beta while it holds"; else
	nok "destroy beta"; show "$T/destroy"; fi
eval "wait \$PID_hold_beta"
# its last line ("released by the script") never comes: relay the rest
grep -v "released by the script" "$T/hold_beta.out" >"$T/hold_beta.tmp"
mv "$T/hold_beta.tmp" "$T/hold_beta.out"
relay hold_beta 0
step released_alpha "$ALPHA" released

stop_backd
if "$B/xensim" audit --check >"$T/audit" 2>&1; then ok "xensim audit clean"; else
	nok "xensim audit found leftovers"; show "$T/audit"; fi
sanitizer_clean "$T/backd.log" vscmi-backd

# ---- per-protocol coverage: distinct commands exercised / commands in the protocol
echo "# command coverage (commands exercised end to end / commands in the protocol)"
for p in "0x10 base 13" "0x11 power 10" "0x12 system 7" "0x13 perf 14" "0x14 clock 17" \
	"0x15 sensor 15" "0x16 reset 8" "0x17 voltage 11" "0x18 powercap 14" "0x19 pinctrl 12"; do
	set -- $p
	got=$(grep "^$1 " "$T/cover" 2>/dev/null | sort -u | wc -l)
	echo "#   $1 $2: $got/$3"
done
finish
