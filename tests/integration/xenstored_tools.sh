#!/bin/sh
# SPDX-License-Identifier: MIT
# Debian's xenstore-* tools (xenstore-utils, real libxenstore) against a
# freshly started xensim-xenstored in socket-only mode on its own temporary
# directory. Prints "ok NAME" / "not ok NAME" lines.
set -u
: "${O:=build}"
BIN=$O/bin/xensim-xenstored
DIR=$(mktemp -d /tmp/xsd-tools-XXXXXX)
export XENSTORED_PATH=$DIR/xenstored.sock

ok() { echo "ok $1"; }
nok() { echo "not ok $1${2:+ # $2}"; }
check() { name=$1; shift; if "$@" >/dev/null 2>&1; then ok "$name"; else nok "$name"; fi; }

cleanup() {
	[ -f "$DIR/xenstored.pid" ] && kill "$(cat "$DIR/xenstored.pid")" 2>/dev/null
	sleep 0.1
	rm -rf "$DIR"
}
trap cleanup EXIT

# Running (a daemon reparented to a lazy init may linger as a zombie).
alive() {
	st=$(sed -n 's/^State:[[:space:]]*\(.\).*/\1/p' "/proc/$1/status" 2>/dev/null)
	[ -n "$st" ] && [ "$st" != Z ]
}
now_ms() { echo $(($(date +%s%N) / 1000000)); }

check help "$BIN" --help
"$BIN" >/dev/null 2>&1
[ $? -eq 2 ] && ok usage-error || nok usage-error

if "$BIN" --machine "$DIR" --socket-only --daemon && [ -S "$XENSTORED_PATH" ] &&
	[ -f "$DIR/xenstored.pid" ]; then
	ok start
else
	nok start; exit 1
fi
PID=$(cat "$DIR/xenstored.pid")

# A second daemon on the same directory refuses to start.
"$BIN" --machine "$DIR" --socket-only --daemon 2>/dev/null && nok second-instance || ok second-instance

check write xenstore-write /vm/name guest /vm/mem 128
[ "$(xenstore-read /vm/name)" = guest ] && ok read || nok read
[ "$(xenstore-read /vm/name /vm/mem | tr '\n' ' ')" = "guest 128 " ] && ok read-many || nok read-many
[ "$(xenstore-list /vm | tr '\n' ' ')" = "name mem " ] && ok list || nok list

out=$(xenstore-ls /vm)
[ "$out" = 'name = "guest"
mem = "128"' ] && ok ls || nok ls "$out"

xenstore-read /vm/none >/dev/null 2>&1 && nok read-missing || ok read-missing
check exists xenstore-exists /vm/name
xenstore-exists /vm/none 2>/dev/null && nok exists-missing || ok exists-missing

check chmod xenstore-chmod /vm n0 r5 b7
perms=$(xenstore-ls -p / | sed -n 's/^vm = .*(\(.*\))$/\1/p')
[ "$perms" = "n0,r5,b7" ] && ok ls-perms || nok ls-perms "$perms"
check chmod-recursive xenstore-chmod -r /vm n3
perms=$(xenstore-ls -p /vm | sed -n 's/.*(\(.*\))$/\1/p' | sort -u | tr '\n' ' ')
[ "$perms" = "n3 " ] && ok chmod-r-perms || nok chmod-r-perms "$perms"

check rm xenstore-rm /vm/mem
[ "$(xenstore-list /vm)" = name ] && ok rm-gone || nok rm-gone
check rm-missing xenstore-rm /vm/mem
xenstore-rm /nothing/here 2>/dev/null && nok rm-no-parent || ok rm-no-parent

# xenstore-watch: the initial event, then one per change below the path.
xenstore-watch -n 3 /w >"$DIR/watch.out" 2>&1 &
wpid=$!
sleep 0.3
xenstore-write /w/a 1
xenstore-write /wx 1
xenstore-write /w/b 2
for i in 1 2 3 4 5 6 7 8 9 10; do
	kill -0 $wpid 2>/dev/null || break
	sleep 0.2
done
kill $wpid 2>/dev/null
got=$(tr '\n' ' ' <"$DIR/watch.out")
[ "$got" = "/w /w/a /w/b " ] && ok watch || nok watch "$got"

# Fault injection: SIGUSR1 freezes for the ms in xenstored.freeze.
echo 400 >"$DIR/xenstored.freeze"
kill -USR1 "$PID"
sleep 0.05
t0=$(now_ms)
xenstore-read /vm/name >/dev/null
t1=$(now_ms)
[ $((t1 - t0)) -ge 250 ] && ok freeze-signal || nok freeze-signal "$((t1 - t0)) ms"
t0=$(now_ms)
xenstore-read /vm/name >/dev/null
t1=$(now_ms)
[ $((t1 - t0)) -lt 250 ] && ok thawed || nok thawed "$((t1 - t0)) ms"

# Stop: SIGTERM removes the socket and the pid file.
kill "$PID"
for i in 1 2 3 4 5 6 7 8 9 10; do
	alive "$PID" || break
	sleep 0.1
done
if ! alive "$PID" && [ ! -e "$XENSTORED_PATH" ] &&
	[ ! -e "$DIR/xenstored.pid" ]; then
	ok stop
else
	nok stop
fi

# A stale socket file (daemon killed hard) is replaced on restart.
"$BIN" --machine "$DIR" --socket-only --daemon && PID=$(cat "$DIR/xenstored.pid")
kill -9 "$PID"
sleep 0.1
if "$BIN" --machine "$DIR" --socket-only --daemon && xenstore-write /again 1; then
	ok restart-stale-socket
else
	nok restart-stale-socket
fi
kill "$(cat "$DIR/xenstored.pid")" 2>/dev/null

# In the foreground (as `xensim start` runs it): SIGTERM ends it with 0.
FG=$DIR/fg
mkdir -p "$FG"
"$BIN" --machine "$FG" --socket-only 2>"$FG/err" &
fpid=$!
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
	[ -S "$FG/xenstored.sock" ] && break
	sleep 0.1
done
if XENSTORED_PATH=$FG/xenstored.sock xenstore-write /fg 1 &&
	[ "$(cat "$FG/xenstored.pid")" = "$fpid" ]; then
	kill $fpid
	wait $fpid && ok foreground || nok foreground "exit $?"
else
	nok foreground "$(cat "$FG/err")"
	kill $fpid
fi
exit 0
