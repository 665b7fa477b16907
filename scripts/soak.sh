#!/bin/sh
# SPDX-License-Identifier: MIT
#
# The soak (`make soak`): many guests x many commands against one
# vscmi-backd on xensim, twice:
#   1. ASan + UBSan build ($SAN_O): SOAK_GUESTS guests (default 32) x
#      SOAK_CMDS commands each (default 100000);
#   2. release build ($O) under valgrind: vscmi-backd and one guest (with
#      SOAK_VG_CMDS commands, default 3000) under valgrind
#      --error-exitcode, while SOAK_VG_GUESTS other guests run natively.
# Pass: every command of every guest accounted for and successful, no
# sanitizer or valgrind error, no leak, a clean xensim audit, and a flat
# vscmi-backd RSS (sampled from /proc every second; first, last and peak
# are printed; "first" is taken a tenth into the run, once every guest is
# connected; the last may exceed it by at most SOAK_RSS_SLACK_KB, default
# 4096).
#
# Prints "ok N - what" / "not ok N - what" lines and the figures as
# "# key=value".
set -u
: "${O:?O must point at the release build}" "${SAN_O:?SAN_O must point at the sanitizer build}"
: "${SOAK_GUESTS:=32}" "${SOAK_CMDS:=100000}" "${SOAK_VG_CMDS:=3000}" "${SOAK_VG_GUESTS:=4}"
: "${SOAK_RSS_SLACK_KB:=4096}"
T=$(mktemp -d /tmp/vscmi-soak-XXXXXX)
chmod 700 "$T"
export XDG_RUNTIME_DIR=$T
export XENSIM_MACHINE=soak
unset XENSIM_DOMID
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
n=0
fails=0
BACKD=""
ok() { n=$((n + 1)); echo "ok $n - $*"; }
nok() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $*"; }
val() { sed -n "s/^$2=//p" "$1" | tail -1; }
cleanup() {
	[ -z "$BACKD" ] || kill -TERM "$BACKD" 2>/dev/null
	[ -z "$BACKD" ] || wait "$BACKD" 2>/dev/null
	[ -z "${XS:-}" ] || "$XS" stop >/dev/null 2>&1
	rm -rf "$T"
}
trap cleanup EXIT

# A config with one agent per guest, each with a read-only view of a perf
# domain (what robust_guest's commands read).
cfg=$T/soak.cfg
{
	sed -n '1,/^agents *=/p' configs/automotive-soc.cfg | sed '$d'
	echo 'agents = ['
	i=1; while [ $i -le "$SOAK_GUESTS" ]; do printf '    "name=g%02d,domain=g%02d",\n' $i $i; i=$((i + 1)); done
	echo ']'
	i=1; while [ $i -le "$SOAK_GUESTS" ]; do printf 'agent_g%02d = [ "perf:cpu_big:ro" ]\n' $i; i=$((i + 1)); done
} >"$cfg"
"$O/bin/vscmi-backd" --check-config "$cfg" >"$T/check" 2>&1 ||
	{ echo "not ok 1 - soak config"; sed 's/^/#   /' "$T/check"; exit 1; }

rss_sampler() {	# rss_sampler PID FILE: VmRSS (kB) every second until PID exits
	while [ -d "/proc/$1" ]; do
		awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null >>"$2"
		sleep 1
	done
}
# The real vscmi-backd process under `xensim run` (and valgrind).
backd_child() {
	for i in 1 2 3 4 5 6 7 8 9 10; do
		p=""
		for s in /proc/[0-9]*/stat; do
			pp=$(sed 's/^.*) [A-Za-z] \([0-9]*\) .*/\1/' "$s" 2>/dev/null) || continue
			[ "$pp" = "$BACKD" ] && { p=${s#/proc/}; p=${p%/stat}; break; }
		done
		[ -n "$p" ] && { echo "$p"; return; }
		sleep 0.2
	done
}

# phase BUILD LABEL GUESTS CMDS VG: one machine, backd, GUESTS guests
phase() {
	bo=$1 label=$2 ng=$3 cmds=$4 vg=$5
	XS=$bo/bin/xensim
	wrap=""
	[ "$vg" = 1 ] && wrap="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect"
	"$XS" start --name soak >/dev/null || { nok "$label: xensim start"; return; }
	doms=""
	i=1; while [ $i -le "$ng" ]; do
		d=$("$XS" create "$(printf g%02d $i)" --persistent) || { nok "$label: create guest $i"; return; }
		"$XS" run 0 -- "$bo/bin/vscmi-attach" "$(printf g%02d $i)" >/dev/null || { nok "$label: attach $i"; return; }
		doms="$doms $d"; i=$((i + 1))
	done
	"$XS" run 0 -- $wrap "$bo/bin/vscmi-backd" --foreground -q --config "$cfg" 2>"$T/$label.backd" &
	BACKD=$!
	sleep 2
	bp=$(backd_child)
	: >"$T/$label.rss"
	[ -z "$bp" ] || rss_sampler "$bp" "$T/$label.rss" &
	t0=$(date +%s)
	pids=""
	k=0
	for d in $doms; do
		k=$((k + 1))
		if [ "$vg" = 1 ] && [ $k = 1 ]; then
			"$XS" run "$d" -- $wrap "$bo/tests/robust/robust_guest" run --n "$SOAK_VG_CMDS" --timeout 5000 \
				>"$T/$label.g$d" 2>&1 &
		else
			"$XS" run "$d" -- "$bo/tests/robust/robust_guest" run --n "$cmds" --timeout 5000 \
				>"$T/$label.g$d" 2>&1 &
		fi
		pids="$pids $!"
	done
	bad=0; total=0; okc=0; k=0
	for p in $pids; do
		k=$((k + 1))
		wait "$p"; rc=$?
		set -- $doms; eval "d=\${$k}"
		f=$T/$label.g$d
		total=$((total + $(val "$f" calls || echo 0)))
		okc=$((okc + $(val "$f" ok || echo 0)))
		if [ $rc != 0 ] || [ "$(val "$f" failed)" != 0 ] || [ "$(val "$f" accounted)" != 1 ]; then
			bad=$((bad + 1)); echo "#   guest $d: exit $rc"; tail -5 "$f" | sed 's/^/#     /'
		fi
	done
	t1=$(date +%s)
	kill -TERM "$BACKD" 2>/dev/null; wait "$BACKD"; brc=$?; BACKD=""
	wait 2>/dev/null
	echo "# ${label}_guests=$ng"
	echo "# ${label}_commands=$total"
	echo "# ${label}_ok=$okc"
	echo "# ${label}_seconds=$((t1 - t0))"
	if [ -s "$T/$label.rss" ]; then
		# "first": once every guest runs (a tenth into the run, >= 3 s).
		ns=$(wc -l <"$T/$label.rss"); w=$((ns / 10)); [ $w -ge 3 ] || w=3
		first=$(sed -n "${w}p" "$T/$label.rss"); first=${first:-$(head -1 "$T/$label.rss")}
		mid=$(sed -n "$((ns / 2))p" "$T/$label.rss")
		last=$(tail -1 "$T/$label.rss")
		peak=$(sort -n "$T/$label.rss" | tail -1)
		echo "# ${label}_backd_rss_kb_first=$first"
		echo "# ${label}_backd_rss_kb_mid=${mid:-$first}"
		echo "# ${label}_backd_rss_kb_last=$last"
		echo "# ${label}_backd_rss_kb_peak=$peak"
		echo "# ${label}_backd_rss_samples=$(wc -l <"$T/$label.rss")"
		[ "$last" -le $((first + SOAK_RSS_SLACK_KB)) ] &&
			ok "$label: vscmi-backd RSS flat (${first} kB after warm-up, ${last} kB at the end)" ||
			nok "$label: vscmi-backd RSS grew from ${first} kB to ${last} kB"
	else
		nok "$label: no RSS samples"
	fi
	[ $bad = 0 ] && ok "$label: $ng guests, every command accounted for and successful ($okc of $total)" ||
		nok "$label: $bad guest(s) failed"
	[ "$brc" = 0 ] && ok "$label: vscmi-backd exited cleanly (exit $brc)" ||
		{ nok "$label: vscmi-backd exit $brc"; tail -30 "$T/$label.backd" | sed 's/^/#   /'; }
	if cat "$T/$label".* | grep -q "AddressSanitizer\|LeakSanitizer\|runtime error\|== *[A-Z].*\(Invalid\|uninitialised\|definitely lost\)"; then
		nok "$label: sanitizer/valgrind errors"
		cat "$T/$label".* | grep -A10 "AddressSanitizer\|LeakSanitizer\|runtime error\|Invalid\|uninitialised\|definitely lost" | head -40 | sed 's/^/#   /'
	else
		ok "$label: no sanitizer or valgrind error, no leak"
	fi
	"$XS" audit --check >"$T/$label.audit" 2>&1 && ok "$label: xensim audit clean" ||
		{ nok "$label: audit"; tail -10 "$T/$label.audit" | sed 's/^/#   /'; }
	"$XS" stop >/dev/null 2>&1
	XS=""
}

phase "$SAN_O" asan "$SOAK_GUESTS" "$SOAK_CMDS" 0
phase "$O" valgrind $((SOAK_VG_GUESTS + 1)) "$SOAK_CMDS" 1
echo "# $n checks, $fails failed"
[ "$fails" = 0 ]
