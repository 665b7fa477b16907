#!/bin/sh
# SPDX-License-Identifier: MIT
#
# A hostile back-end (tests/robust/hostile_back.c) against the real guest
# stack (xen-frontend + virtio-pv + SCMI agent, in robust_guest): for each
# lie it tells, the guest must not crash (ASan + UBSan in `make test`), must
# account for every command (a result or an error, each exactly once), and
# must count what it rejected. The machine's audit must be clean after.
#
# Prints "ok N - what" / "not ok N - what" lines.
set -u
TEST_NAME=robust-hostile-backend
. tests/lib.sh

machine_up
G=$("$B/xensim" create ivi --persistent) || { nok "xensim create"; exit 1; }
in_dom 0 "$B/vscmi-attach" ivi >/dev/null || { nok "vscmi-attach"; exit 1; }

# hostile MODE [K]: run hostile_back in MODE and one guest session against it
hostile() {
	mode=$1
	"$B/xensim" run 0 -- "$R/hostile_back" "$CFG" "$G" 0 "$@" >"$T/hb.$mode" 2>&1 &
	HB=$!
	timeout 120 "$B/xensim" run "$G" -- "$R/robust_guest" run --n "${NCMD:-200}" \
		--timeout 100 >"$T/g.$mode" 2>&1
	grc=$?
	kill -TERM "$HB" 2>/dev/null
	wait "$HB" 2>/dev/null
	g=$T/g.$mode
	if [ "$grc" -ge 124 ]; then
		nok "$mode: the guest survived (exit $grc)"; show "$g"; return
	fi
	ok "$mode: the guest survived (exit $grc)"
	sanitizer_clean "$g" "$mode: the guest"
	[ "$mode" = refuse ] ||
	expect "$mode: every command accounted for ($(val "$g" calls) calls, $(val "$g" ok) ok, $(val "$g" failed) failed)" \
		"$(val "$g" accounted)" = 1
	lies=$(sed -n 's/.* lies=\([0-9]*\).*/\1/p' "$T/hb.$mode")
	[ "$mode" = honest ] ||
	expect "$mode: the back-end told its lies (${lies:-none})" "${lies:-0}" -gt 0
}

hostile honest
expect "honest: no error at all" "$(val "$T/g.honest" failed)" = 0
expect "honest: nothing rejected" "$(val "$T/g.honest" agent_bad_replies)" = 0

hostile token
expect "token: replies with another command's token rejected and counted ($(val "$T/g.token" agent_bad_replies))" \
	"$(val "$T/g.token" agent_bad_replies)" -gt 0
expect "token: their commands failed with -ETIMEDOUT ($(val "$T/g.token" etimedout))" \
	"$(val "$T/g.token" etimedout)" -gt 0

hostile short
expect "short: 2-byte replies fail their commands ($(val "$T/g.short" failed))" \
	"$(val "$T/g.short" failed)" -gt 0

hostile badtype
expect "badtype: replies typed as P2A messages rejected ($(val "$T/g.badtype" agent_bad_replies))" \
	"$(val "$T/g.badtype" agent_bad_replies)" -gt 0

hostile biglen
expect "biglen: used lengths beyond the buffer clamped, replies still good" \
	"$(val "$T/g.biglen" failed)" = 0

# broken QUEUE-LIE: the lie breaks the command queue; the guest reports it,
# resets the device itself (commands succeed again after each reset: the
# back-end answers K-1 honestly between lies) and gives up on a back-end
# that keeps breaking it (PV_RESET_BURST resets per 10 s); nothing hangs.
broken() {
	g=$T/g.$1
	grep -q "broken" "$g" && ok "$1: $2 breaks the queue, reported" ||
		{ nok "$1: no broken queue reported"; show "$g"; }
	expect "$1: the guest reset the device itself ($(val "$g" pv_auto_resets) resets)" \
		"$(val "$g" pv_auto_resets)" -ge 1
	# 64 honest discovery replies, then K-1 = 4 good ones before the first
	# lie: more than 68 successes means commands worked after a reset.
	expect "$1: commands succeed after a reset ($(val "$g" ok) ok, 68 before the first lie)" \
		"$(val "$g" ok)" -gt 68
	grep -q "broke a virtqueue .* times" "$g" &&
		ok "$1: a back-end that keeps breaking the queue is given up" ||
		{ nok "$1: no give-up after repeated breakage"; show "$g"; }
	expect "$1: later commands fail, none hangs ($(val "$g" failed) failed)" \
		"$(val "$g" failed)" -gt 0
}
hostile badid
broken badid "an out-of-range used id"
hostile dupbuf
broken dupbuf "a buffer returned twice"

hostile notify
expect "notify: delayed responses to nothing rejected ($(val "$T/g.notify" agent_bad_replies))" \
	"$(val "$T/g.notify" agent_bad_replies)" -gt 0
expect "notify: notifications of unknown protocols counted, not dispatched ($(val "$T/g.notify" agent_notifications_unhandled))" \
	"$(val "$T/g.notify" agent_notifications_unhandled)" -gt 0
expect "notify: commands unaffected" "$(val "$T/g.notify" failed)" = 0

hostile refuse
grep -q "refused the device" "$T/g.refuse" && ok "refuse: the guest reports the back-end's refusal" ||
	{ nok "refuse: refusal not reported"; show "$T/g.refuse"; }

# features: one session per offer, plus restarts with a new offer every
# 100 commands inside each session (P2A channel lost, VERSION_1 gone...).
"$B/xensim" run 0 -- "$R/hostile_back" "$CFG" "$G" 0 features >"$T/hb.features" 2>&1 &
HB=$!
frc=0
for i in 1 2 3 4 5; do
	timeout 120 "$B/xensim" run "$G" -- "$R/robust_guest" run --n 300 --timeout 100 \
		>"$T/g.features.$i" 2>&1
	rc=$?
	[ "$rc" -lt 124 ] || frc=$rc
	if grep -q "AddressSanitizer\|runtime error" "$T/g.features.$i"; then frc=99; show "$T/g.features.$i"; fi
	[ "$rc" != 0 ] || [ "$(val "$T/g.features.$i" accounted)" = 1 ] || frc=98
done
kill -TERM "$HB" 2>/dev/null
wait "$HB" 2>/dev/null
expect "features flipping on every (re)connection: 5 sessions survived, all accounted" "$frc" = 0
cat "$T"/g.features.* | grep -q "VERSION_1\|P2A channel lost" &&
	ok "features: the guest refused the bad offers and said why" ||
	nok "features: no refusal reported"

if "$B/xensim" audit --check >"$T/audit" 2>&1; then ok "xensim audit clean after the hostile back-end"; else
	nok "xensim audit found leftovers"; show "$T/audit"; fi
finish
