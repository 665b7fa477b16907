#!/bin/sh
# SPDX-License-Identifier: MIT
# Integration test of the xensim CLI: start, create, run, list, destroy,
# audit, fault, stop, on a private machine. Prints "ok NAME" / "not ok NAME".
set -u
: "${O:=build}"
X=$O/bin/xensim
[ -x "$X" ] || { echo "not ok xensim-binary ($X missing)"; exit 1; }

rt=$(mktemp -d /tmp/xsim-cli-XXXXXX)
chmod 700 "$rt"
export XDG_RUNTIME_DIR=$rt
export XENSIM_MACHINE=clitest
unset XENSIM_DOMID
failed=0
check() {	# check NAME COMMAND... : ok if the command succeeds
	name=$1; shift
	if "$@" >/dev/null 2>&1; then echo "ok $name"; else echo "not ok $name"; failed=1; fi
}
fails() {	# fails NAME COMMAND... : ok if the command fails
	name=$1; shift
	if "$@" >/dev/null 2>&1; then echo "not ok $name"; failed=1; else echo "ok $name"; fi
}
cleanup() {
	"$X" stop >/dev/null 2>&1
	rm -rf "$rt"
}
trap cleanup EXIT

dir=$("$X" start)
check start test -d "$dir" -a "$dir" = "$rt/xensim/clitest"
check state-dir-private sh -c "[ \$(stat -c %a '$dir') = 700 ]"
fails start-twice "$X" start
daemon=$(cat "$dir/xensim.pid")

d1=$("$X" create guest1 --memory 4 --persistent)
check create-prints-domid test "$d1" = 1
fails create-duplicate "$X" create guest1
fails create-bad-name "$X" create 'bad/name'
fails create-bad-memory "$X" create big --memory 100000
check list-shows-domain sh -c "'$X' list | grep -q 'guest1'"

check run-env "$X" run "$d1" -- sh -c 'test "$XENSIM_DOMID" = 1 && test -d "$XENSIM_MACHINE"'
"$X" run "$d1" -- sh -c 'exit 7' >/dev/null 2>&1
check run-exit-status test $? = 7
check persistent-survives sh -c "'$X' list | grep -q 'guest1'"
fails run-no-domain "$X" run 25 -- true
fails run-no-command "$X" run "$d1"

d2=$("$X" create guest2)
check run-nonpersistent "$X" run "$d2" -- true
gone=1
for i in 1 2 3 4 5 6 7 8 9 10; do
	"$X" list | grep -q guest2 || { gone=0; break; }
	sleep 0.2
done
check domain-dies-with-process test $gone = 0

d3=$("$X" create victim)
"$X" run "$d3" -- sleep 30 >/dev/null 2>&1 &
runpid=$!
sleep 0.3
check fault-kill "$X" fault kill "$d3"
wait $runpid
check killed-run-exits-137 test $? = 137
check list-after-kill sh -c "! '$X' list | grep -q victim"

d4=$("$X" create guest4 --persistent)
"$X" run "$d4" -- sleep 30 >/dev/null 2>&1 &
runpid=$!
sleep 0.3
check list-running sh -c "'$X' list | grep guest4 | grep -q running"
check destroy "$X" destroy "$d4"
wait $runpid
runrc=$?
if [ -x "$O/bin/xensim-xenstored" ] && command -v xenstore-exists >/dev/null 2>&1; then
	fails xenstore-released env XENSTORED_PATH="$dir/xenstored.sock" xenstore-exists "/local/domain/$d4"
fi
check destroyed-run-exits test $runrc -ne 0
fails destroy-again "$X" destroy "$d4"
fails destroy-dom0 "$X" destroy 0

check fault-set sh -c "'$X' fault $d1 --drop 2 --delay-us 10 --show | grep -q 'drop 2 dup 0 delay-us 10'"
check fault-maps sh -c "'$X' fault $d1 --fail-maps 1 --status -4 --show | grep -q 'fail-maps 1 status -4'"
check fault-clear sh -c "'$X' fault $d1 --clear --show | grep -q 'drop 0 dup 0 delay-us 0 fail-maps 0'"
fails fault-bad-status "$X" fault "$d1" --fail-maps 1 --status 5
fails fault-no-domain "$X" fault 30 --drop 1

B=$O/bin/xensim-bench
check bench-on-machine sh -c "'$B' --machine clitest 300 | grep -q ratio"
# Senders that may not take the receiver's eventfd get it from the daemon.
check evtchn-via-daemon sh -c "XENSIM_NO_PIDFD=1 '$B' --machine clitest 300 | grep -q ratio"
check bench-domains-gone sh -c "! '$X' list | grep -q bench"
check audit-clean "$X" audit --check

if [ -x "$O/bin/xensim-xenstored" ] && command -v xenstore-read >/dev/null 2>&1; then
	check xenstore-introduced sh -c "XENSTORED_PATH='$dir/xenstored.sock' xenstore-read /local/domain/$d1/name | grep -qx guest1"
else
	echo "ok xenstore-introduced # SKIP no xensim-xenstored"
fi

for c in start create run list destroy audit stop fault; do
	check "help-$c" sh -c "'$X' $c --help | grep -q '^usage: xensim $c'"
done
fails unknown-command "$X" frobnicate

check stop "$X" stop
check stop-removes-dir test ! -e "$dir"
# Gone, or a zombie waiting for an init that may not reap.
check stop-ends-daemon sh -c "s=\$(cut -d' ' -f3 /proc/$daemon/stat 2>/dev/null); [ -z \"\$s\" ] || [ \"\$s\" = Z ]"
fails stop-twice "$X" stop
fails list-no-machine "$X" list
exit $failed
