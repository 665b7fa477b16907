#!/bin/sh
# SPDX-License-Identifier: MIT
#
# A guest's /init in the system test: the same initramfs for "ivi" and
# "cluster", the role comes from the kernel command line (systest.role=).
# Runs vscmi (the guest CLI, linux platform: /dev/xen/gntalloc,
# /dev/xen/evtchn, xenstore) phase by phase as dom0 hands the phases out
# (dom0-init.sh). Every command runs inside a block
#     @@ BEGIN <role> <step>
#     ...its output...
#     @@ END <role> <step> rc=<exit status>
# which tests/system/check.sh reads from the serial log. The guest asserts
# nothing itself.
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /tmp
mount -t tmpfs tmpfs /tmp
export PATH=/bin
export LD_LIBRARY_PATH=/lib/aarch64-linux-gnu

ROLE=unknown
for a in $(cat /proc/cmdline); do
	case $a in systest.role=*) ROLE=${a#systest.role=} ;; esac
done
KV=$(uname -r)
# Debian's kernel has the Xen user devices as modules.
for m in xen-evtchn xen-gntalloc; do
	insmod /lib/modules/$KV/$m.ko || echo "insmod $m failed"
done
echo "@@ GUEST $ROLE up $(cut -d' ' -f1 /proc/uptime) s, $(ls /dev/xen | tr '\n' ' ')"

# step NAME CMD...: one command in a block, its exit status in the END line.
step() {
	_n=$1
	shift
	echo "@@ BEGIN $ROLE $_n"
	"$@" 2>&1
	_rc=$?
	echo "@@ END $ROLE $_n rc=$_rc"
	return $_rc
}
# Every command gets 5 s per SCMI command: TCG on a busy host is slow. Each
# vscmi run is a whole xenbus handshake, which a loaded host can stretch
# past the front-end's 10 s connect timeout: exit status 3 (no back-end)
# and 6 (timeout) are retried, twice, each retry logged as "@@ RETRY" for
# check.sh to count. Commands that wait for notifications use W (no retry).
V() {
	_t=0
	while :; do
		vscmi --timeout 5000 "$@"
		_r=$?
		case $_r in 3 | 6) ;; *) return $_r ;; esac
		[ $_t -lt 2 ] || return $_r
		_t=$((_t + 1))
		echo "@@ RETRY $ROLE rc=$_r: vscmi $*"
		sleep 1
	done
}
W() { vscmi --timeout 5000 "$@"; }
waitgo() { systest-xs wait data/systest/go "$1" 600 || echo "@@ $ROLE never got phase $1"; }
done_phase() { systest-xs write data/systest/done "$1"; }

# The back-end attaches us when it sees the domain (or comes back after a
# restart); retry until it has, at most 10 times.
connect() {
	i=1
	while :; do
		V info >/tmp/info.out 2>&1
		rc=$?
		if [ $rc = 0 ] || [ $i -ge 10 ]; then break; fi
		sleep 0.5
		i=$((i + 1))
	done
	echo "@@ BEGIN $ROLE $1"
	cat /tmp/info.out
	echo "@@ END $ROLE $1 rc=$rc tries=$i"
}

inventory() {
	for k in clock perf power sensor reset voltage powercap pin; do
		step inv-$k V --json $k list
	done
}

phase1_ivi() {
	connect info
	inventory
	# Round trips: set, then read back through a separate command.
	step set-clock V clock set gpu_core 600MHz
	step get-clock V --json clock get gpu_core
	step set-perf V perf set cpu_big 1800000
	step get-perf V --json perf get cpu_big
	step set-voltage V voltage set vdd_gpu 850mV
	step get-voltage V --json voltage get vdd_gpu
	step power-on V power set pd_gpu on
	step power-get V --json power get pd_gpu
	# Delayed response: gpu_core is async=1 (latency 500us).
	step async-clock V clock set gpu_core 800MHz --async
	step async-get V --json clock get gpu_core
	# Read-only resources: DENIED (exit status 4).
	step deny-pll V clock set pll_gpu 400MHz
	step deny-perf V perf set cpu_little 1200000
	# A notification: a trip point on the 10 C/s ramp.
	step trip W sensor watch test_ramp --trip 40 --timeout 20
}

phase1_cluster() {
	connect info
	inventory
	step set-pixel V clock set disp_pixel 74.25MHz
	step get-pixel V --json clock get disp_pixel
	step deny-video V clock set pll_video 1188MHz
	# ivi's resources: not visible, by name or by number.
	step iso-name V clock get gpu_core
	step iso-set V clock set gpu_core 200MHz
	step iso-num V clock get 2
	step iso-power V power set pd_gpu on
	step iso-sensor V sensor read gpu_thermal
	step iso-perf V perf set cpu_big 600000
}

case $ROLE in
ivi)
	waitgo 1; phase1_ivi; done_phase 1
	waitgo 2
	step notify-set V clock set disp_pixel 297MHz
	done_phase 2
	waitgo 3
	step hostile systest-hostile 0
	# The same device, a well-behaved front-end again.
	step after-hostile V info
	done_phase 3
	waitgo 4
	connect restart-info
	step restart-set V clock set gpu_core 400MHz
	done_phase 4
	waitgo 5
	step bench vscmi-bench guest --test latency --n 2000
	step pingpong pingpong-front 2000
	done_phase 5
	waitgo 6
	# Hostile back-ends, one lie each (dom0 names it in data/systest/hb):
	# plain vscmi runs (no retries) must each end, with any exit status
	# but a signal, within their timeout.
	while :; do
		systest-xs wait data/systest/hb '*' 300 >/dev/null 2>&1
		m=$(systest-xs read data/systest/hb)
		[ "$m" != end ] || break
		for i in 1 2 3; do
			step hb-$m-$i vscmi --timeout 2000 info
		done
		step hb-$m-4 vscmi --timeout 2000 clock get gpu_core
		systest-xs write data/systest/hbdone "$m"
		while [ "$(systest-xs read data/systest/hb)" = "$m" ]; do sleep 0.2; done
	done
	connect after-hb
	done_phase 6
	;;
cluster)
	waitgo 1; phase1_cluster; done_phase 1
	waitgo 2
	W monitor --count 1 --timeout 60 >/tmp/monitor.out 2>&1 &
	MON=$!
	i=0
	while ! grep -q monitoring /tmp/monitor.out && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	systest-xs write data/systest/monitoring 1
	wait $MON
	rc=$?
	echo "@@ BEGIN $ROLE monitor"
	cat /tmp/monitor.out
	echo "@@ END $ROLE monitor rc=$rc"
	done_phase 2
	waitgo 3
	# Keep working while ivi's hostile program attacks the back-end.
	echo "@@ BEGIN $ROLE during-hostile"
	# Until dom0 says ivi is done (data/systest/stop3), at least 5 commands.
	ok=0 bad=0 n=0
	while [ $n -lt 5 ] || { [ $n -lt 300 ] && ! systest-xs read data/systest/stop3 >/dev/null 2>&1; }; do
		if V clock get disp_pixel >/tmp/c.out 2>&1; then
			ok=$((ok + 1))
		else
			bad=$((bad + 1))
			cat /tmp/c.out
		fi
		n=$((n + 1))
		sleep 0.3
	done
	echo "ok=$ok failed=$bad"
	echo "@@ END $ROLE during-hostile rc=$bad"
	done_phase 3
	waitgo 4
	connect restart-info
	step restart-get V --json clock get disp_pixel
	done_phase 4
	;;
esac
echo "@@ GUEST $ROLE finished"
while :; do sleep 3600; done
