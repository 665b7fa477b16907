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
IVI=$("$B/xensim" create ivi --memory 16) || exit 1
CLUSTER=$("$B/xensim" create cluster --memory 16) || exit 1
echo "machine $M: dom0, ivi = dom$IVI, cluster = dom$CLUSTER"

say "dom0: vscmi-backd serves $CFG"
"$B/vscmi-backd" --check-config "$CFG" | tail -n 12
"$B/xensim" run 0 -- "$B/vscmi-backd" --foreground --config "$CFG" \
	--delay-ms 5 2>&1 | sed 's/^/    [backd] /' &
BACKD_PID=$!
"$B/xensim" run 0 -- "$B/vscmi-attach" ivi
"$B/xensim" run 0 -- "$B/vscmi-attach" cluster

say "ivi: who am I, what do I see"
guest ivi "$IVI" info
guest ivi "$IVI" clock list
guest ivi "$IVI" perf list
guest ivi "$IVI" power list
guest ivi "$IVI" sensor list

say "ivi: change a rate and a level, read them back"
guest ivi "$IVI" clock set gpu_core 600MHz
guest ivi "$IVI" clock set --async display_pixel 148.5MHz
guest ivi "$IVI" perf set big_cluster 3
guest ivi "$IVI" power set camera on

say "cluster: a different view of the same SoC"
guest cluster "$CLUSTER" clock list
guest cluster "$CLUSTER" voltage list

say "cluster: an action that is not its to take"
guest cluster "$CLUSTER" clock set display_pixel 74.25MHz
echo "(exit status $?: denied, as configured)"

say "ivi: a notification from the platform"
guest ivi "$IVI" sensor watch gpu_thermal --trip 50 --timeout 20

say "Teardown"
kill -TERM "$BACKD_PID" 2>/dev/null
wait "$BACKD_PID" 2>/dev/null
BACKD_PID=
"$B/xensim" audit >/dev/null 2>&1 && echo "xensim audit: clean (no grant, map or port left)"
