#!/bin/sh
# SPDX-License-Identifier: MIT
#
# `make run`: an automotive SoC on a simulated Xen machine. dom0 runs
# vscmi-backd with configs/automotive-soc.cfg; two guests, "ivi" (the
# infotainment system) and "cluster" (the instrument cluster), each run the
# vscmi CLI over their own virtio-pv SCMI device: inventory, a change read
# back, an action that is denied, and a notification. Then everything is
# torn down. Ctrl-C at any point leaves nothing behind.
set -u
B=${O:-build}/bin
CFG=${DEMO_CONFIG:-configs/automotive-soc.cfg}
M=vscmi-demo-$$
export XENSIM_MACHINE=$M
started=""
LOG=""

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
guest() {
	# guest NAME DOMID ARGS...: run the CLI inside the guest
	name=$1 id=$2; shift 2
	printf '\033[36m%s$ vscmi %s\033[0m\n' "$name" "$*"
	"$B/xensim" run "$id" -- "$B/vscmi" "$@"
}
cleanup() {
	trap - EXIT INT TERM
	[ -n "$started" ] || exit "${1:-0}"
	if [ -n "${BACKD_PID:-}" ]; then
		kill -TERM "$BACKD_PID" 2>/dev/null
		wait "$BACKD_PID" 2>/dev/null
	fi
	"$B/xensim" stop >/dev/null 2>&1
	rm -f "$LOG"
	exit "${1:-0}"
}
trap 'cleanup 130' INT TERM
trap 'cleanup $?' EXIT

for t in xensim xensim-xenstored vscmi-backd vscmi vscmi-attach; do
	[ -x "$B/$t" ] || { echo "demo: $B/$t is missing; run make first" >&2; exit 1; }
done

say "A simulated Xen machine with dom0 and its xenstored"
"$B/xensim" start --name "$M" || exit 1
started=1
# --persistent: a guest lives on between the commands run in it
IVI=$("$B/xensim" create ivi --memory 16 --persistent) || exit 1
CLUSTER=$("$B/xensim" create cluster --memory 16 --persistent) || exit 1
echo "machine $M: dom0, ivi = dom$IVI, cluster = dom$CLUSTER"

say "dom0: vscmi-backd serves $CFG"
"$B/vscmi-backd" --check-config "$CFG" | tail -n 1 || exit 1
LOG=$(mktemp /tmp/vscmi-demo-backd.XXXXXX)
"$B/xensim" run 0 -- "$B/vscmi-backd" --foreground --config "$CFG" 2>"$LOG" &
BACKD_PID=$!
"$B/xensim" run 0 -- "$B/vscmi-attach" ivi || exit 1
"$B/xensim" run 0 -- "$B/vscmi-attach" cluster || exit 1

say "ivi (infotainment): who am I, what do I see"
guest ivi "$IVI" info
guest ivi "$IVI" clock list
guest ivi "$IVI" perf list
guest ivi "$IVI" sensor list

say "ivi: change a rate, a level and a power state; each is read back"
guest ivi "$IVI" clock set gpu_core 600MHz
guest ivi "$IVI" clock set gpu_core 800MHz --async
guest ivi "$IVI" perf set cpu_big 1800000
guest ivi "$IVI" power set pd_camera on --async

say "cluster (instrument cluster): a different view of the same SoC"
guest cluster "$CLUSTER" clock list
guest cluster "$CLUSTER" perf list

say "cluster: actions that are not its to take"
guest cluster "$CLUSTER" clock set pll_video 1188MHz
echo "(exit status $?: DENIED, pll_video is read-only for cluster)"
guest cluster "$CLUSTER" clock set gpu_core 200MHz
echo "(exit status $?: cluster cannot even see ivi's GPU clock)"

say "A notification: cluster watches, ivi changes the shared pixel clock"
"$B/xensim" run "$CLUSTER" -- "$B/vscmi" monitor --count 1 --timeout 20 2>&1 |
	sed 's/^/    [cluster monitor] /' &
MON=$!
sleep 1
guest ivi "$IVI" clock set disp_pixel 297MHz
wait "$MON"

say "Teardown"
kill -TERM "$BACKD_PID" 2>/dev/null
wait "$BACKD_PID" 2>/dev/null
BACKD_PID=
echo "vscmi-backd served $(grep -c ' connected:' "$LOG") device connections" \
	"(each vscmi command connects, works and detaches); notable log lines:"
grep -v 'connected\|found virtio-pv' "$LOG" | sed 's/^vscmi-backd: /    /'
if "$B/xensim" audit --check >/dev/null 2>&1; then
	echo "xensim audit: clean (no grant, map or port of a guest device left)"
else
	echo "xensim audit found leftovers:"; "$B/xensim" audit
fi
