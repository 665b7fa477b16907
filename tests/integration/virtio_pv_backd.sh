#!/bin/sh
# SPDX-License-Identifier: MIT
# Interoperability of the virtio-pv front-end (xen-frontend, through the
# vscmi CLI) with the real back-end (vscmi-backd) on a private xensim
# machine: handshake, SCMI round trips, Closed after each guest process,
# a clean grant audit, a back-end restart, detach.
# Prints "ok NAME" / "not ok NAME".
set -u
: "${O:=build}"
B=$O/bin
for t in xensim vscmi-backd vscmi vscmi-attach vscmi-detach; do
	[ -x "$B/$t" ] || { echo "not ok binaries ($B/$t missing)"; exit 1; }
done
CFG=${CFG:-configs/automotive-soc.cfg}
[ -f "$CFG" ] || { echo "not ok config ($CFG missing)"; exit 1; }

rt=$(mktemp -d /tmp/xf-itest-XXXXXX)
chmod 700 "$rt"
export XDG_RUNTIME_DIR=$rt
export XENSIM_MACHINE=xfit
unset XENSIM_DOMID
BACKD=""
failed=0

result() { if [ "$2" = 0 ]; then echo "ok $1"; else echo "not ok $1"; failed=1; fi; }
backd_start() {
	"$B/xensim" run 0 -- "$B/vscmi-backd" --foreground --config "$CFG" \
		>>"$rt/backd.log" 2>&1 &
	BACKD=$!
}
backd_stop() {	# SIGNAL: sent to vscmi-backd itself (not the xensim run wrapper)
	[ -n "$BACKD" ] || return 0
	kids=$(pgrep -P "$BACKD" 2>/dev/null)
	kill -"$1" $kids "$BACKD" 2>/dev/null
	wait "$BACKD" 2>/dev/null
	BACKD=""
}
cleanup() {
	backd_stop TERM
	"$B/xensim" stop >/dev/null 2>&1
	[ "$failed" = 0 ] || { echo "--- vscmi-backd log"; tail -40 "$rt/backd.log"; }
	rm -rf "$rt"
}
trap cleanup EXIT
guest() { timeout 30 "$B/xensim" run "$ID" -- "$B/vscmi" "$@"; }
xs() { "$B/xensim" run 0 -- "$@"; }

"$B/xensim" start >/dev/null 2>&1
result machine $?
# "ivi" is an agent of the configuration; "stranger" is not.
ID=$("$B/xensim" create ivi --memory 16 --persistent 2>/dev/null)
result guest $?
SID=$("$B/xensim" create stranger --memory 16 --persistent 2>/dev/null)
backd_start
xs "$B/vscmi-attach" ivi >/dev/null 2>&1
result attach $?

out=$(guest info 2>&1)
echo "$out" | grep -q 'virtio-pv 0'
result info_over_virtio_pv $?

guest clock set gpu_core 600MHz >/dev/null 2>&1 &&
	guest clock get gpu_core 2>&1 | grep -q '600 MHz'
result clock_set_get_roundtrip $?

st=$(xs xenstore-read "/local/domain/$ID/device/virtio-pv/0/state" 2>/dev/null)
[ "$st" = 6 ]
result frontend_closed_after_process_exit $?

"$B/xensim" audit --check >"$rt/audit" 2>&1
result audit_clean $?
! grep -Eq "^ *dom$ID .*ref" "$rt/audit" 2>/dev/null
result no_grants_left $?

# A new back-end process: the next guest process handshakes with it.
backd_stop TERM
backd_start
guest clock get gpu_core 2>&1 | grep -q '600 MHz'
result after_backend_restart $?

backd_stop KILL
backd_start
guest info >/dev/null 2>&1
result after_backend_crash $?

# A guest the back-end refuses: a clear error, and no retry storm.
xs "$B/vscmi-attach" stranger >/dev/null 2>&1
out=$(timeout 30 "$B/xensim" run "$SID" -- "$B/vscmi" info 2>&1)
rc=$?
[ $rc != 0 ] && echo "$out" | grep -q 'refused'
result refused_guest_gets_clear_error $?
sleep 1
[ "$(grep -c 'stranger.*no SCMI agent for this domain; disconnecting' "$rt/backd.log")" -le 2 ]
result refused_guest_no_retry_storm $?

xs "$B/vscmi-detach" ivi >/dev/null 2>&1
result detach $?
guest info >/dev/null 2>&1
[ $? != 0 ]
result no_device_after_detach $?

exit "$failed"
