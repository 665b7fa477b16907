# SPDX-License-Identifier: MIT
# Shared helpers of the integration and robustness scripts (sourced): TAP
# output ("ok N - ..."), a private xensim machine in a private runtime
# directory, vscmi-backd start/stop, key=value extraction.
#   TEST_NAME   names the machine and the scratch directory (default: test)
#   CFG         vscmi-backd's configuration (default: the demo SoC)
#   BACKD_OPTS  extra vscmi-backd options for every start
: "${O:?O must point at the build directory}"
B=$O/bin
R=$O/tests/robust
TEST_NAME=${TEST_NAME:-test}
CFG=${CFG:-configs/automotive-soc.cfg}
BACKD_OPTS=${BACKD_OPTS:-}
T=$(mktemp -d "/tmp/vscmi-$TEST_NAME-XXXXXX")
chmod 700 "$T"
export XDG_RUNTIME_DIR=$T
export XENSIM_MACHINE=$TEST_NAME
unset XENSIM_DOMID
n=0
fails=0
BACKD=""

ok() { n=$((n + 1)); echo "ok $n - $*"; }
nok() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $*"; }
# val FILE KEY: the value of KEY=... in FILE (empty if absent)
val() { sed -n "s/^$2=//p" "$1" | tail -1; }
# expect WHAT COND...: ok when the shell test COND holds
expect() { what=$1; shift; if [ "$@" ]; then ok "$what"; else nok "$what ($*)"; fi; }
show() { sed 's/^/#   /' "$@" | tail -15; }
in_dom() { d=$1; shift; "$B/xensim" run "$d" -- "$@"; }

start_backd() {	# start_backd [more options]
	# shellcheck disable=SC2086
	"$B/xensim" run 0 -- "$B/vscmi-backd" --foreground --config "$CFG" $BACKD_OPTS "$@" \
		2>>"$T/backd.log" &
	BACKD=$!
}
stop_backd() {	# stop_backd [SIGNAL]: KILL goes to the daemon itself
	[ -n "$BACKD" ] || return 0
	if [ "${1:-TERM}" = KILL ]; then
		p=$(backd_pid)
		[ -z "$p" ] || kill -KILL "$p" 2>/dev/null
	fi
	kill -"${1:-TERM}" "$BACKD" 2>/dev/null
	wait "$BACKD" 2>/dev/null
	BACKD=""
}
# child_of PID: a child process of PID, from /proc (no procps needed).
child_of() {
	for s in /proc/[0-9]*/stat; do
		pp=$(sed 's/^.*) [A-Za-z] \([0-9]*\) .*/\1/' "$s" 2>/dev/null) || continue
		[ "$pp" = "$1" ] && { p=${s#/proc/}; echo "${p%/stat}"; return; }
	done
	return 0
}
# The pid of the vscmi-backd process itself (`xensim run` is its parent).
backd_pid() { child_of "$BACKD"; }
machine_up() {
	"$B/xensim" start --name "$TEST_NAME" >/dev/null || { nok "xensim start"; exit 1; }
}
cleanup() {
	stop_backd KILL
	"$B/xensim" stop >/dev/null 2>&1
	rm -rf "$T"
}
trap cleanup EXIT
# a timeout (run-tests.sh) or ^C still stops the machine and the daemon
trap 'exit 1' INT TERM HUP
sanitizer_clean() {	# sanitizer_clean LOG WHAT
	if grep -q "AddressSanitizer\|runtime error\|LeakSanitizer" "$1"; then
		nok "$2 ran clean under the sanitizers"
		grep -A8 "AddressSanitizer\|runtime error\|LeakSanitizer" "$1" | head -20 | sed 's/^/#   /'
	else
		ok "$2 ran clean under the sanitizers"
	fi
}
finish() {
	echo "# $n checks, $fails failed"
	[ "$fails" = 0 ]
}
