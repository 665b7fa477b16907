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
waitgo() { systest-xs wait data/systest/go "$1" 600 || echo "@@ $ROLE never got phase $1"; }
done_phase() { systest-xs write data/systest/done "$1"; }

# The back-end attaches us when it sees the domain; retry until it has.
connect() {
	i=0
	while [ $i -lt 60 ]; do
		vscmi info >/tmp/info.out 2>&1 && break
		sleep 0.5
		i=$((i + 1))
	done
	echo "@@ BEGIN $ROLE $1"
	cat /tmp/info.out
	vscmi info >/dev/null 2>&1
	echo "@@ END $ROLE $1 rc=$? tries=$i"
}

inventory() {
	for k in clock perf power sensor reset voltage powercap pin; do
		step inv-$k vscmi --json $k list
	done
}

phase1_ivi() {
	connect info
	inventory
	# Round trips: set, then read back through a separate command.
	step set-clock vscmi clock set gpu_core 600MHz
	step get-clock vscmi --json clock get gpu_core
	step set-perf vscmi perf set cpu_big 1800000
	step get-perf vscmi --json perf get cpu_big
	step set-voltage vscmi voltage set vdd_gpu 850mV
	step get-voltage vscmi --json voltage get vdd_gpu
	step power-on vscmi power set pd_gpu on
	step power-get vscmi --json power get pd_gpu
	# Delayed response: gpu_core is async=1 (latency 500us).
	step async-clock vscmi clock set gpu_core 800MHz --async
	step async-get vscmi --json clock get gpu_core
	# Read-only resources: DENIED (exit status 4).
	step deny-pll vscmi clock set pll_gpu 400MHz
	step deny-perf vscmi perf set cpu_little 1200000
	# A notification: a trip point on the 10 C/s ramp.
	step trip vscmi sensor watch test_ramp --trip 40 --timeout 20
}

phase1_cluster() {
	connect info
	inventory
	step set-pixel vscmi clock set disp_pixel 74.25MHz
	step get-pixel vscmi --json clock get disp_pixel
	step deny-video vscmi clock set pll_video 1188MHz
	# ivi's resources: not visible, by name or by number.
	step iso-name vscmi clock get gpu_core
	step iso-set vscmi clock set gpu_core 200MHz
	step iso-num vscmi clock get 2
	step iso-power vscmi power set pd_gpu on
	step iso-sensor vscmi sensor read gpu_thermal
	step iso-perf vscmi perf set cpu_big 600000
}

case $ROLE in
ivi)
	waitgo 1; phase1_ivi; done_phase 1
	waitgo 2
	step notify-set vscmi clock set disp_pixel 297MHz
	done_phase 2
	waitgo 3
	step hostile systest-hostile 0
	# The same device, a well-behaved front-end again.
	step after-hostile vscmi info
	done_phase 3
	waitgo 4
	connect restart-info
	step restart-set vscmi clock set gpu_core 400MHz
	done_phase 4
	waitgo 5
	step bench vscmi-bench guest --test latency --n 2000
	step pingpong pingpong-front 2000
	done_phase 5
	;;
cluster)
	waitgo 1; phase1_cluster; done_phase 1
	waitgo 2
	vscmi monitor --count 1 --timeout 30 >/tmp/monitor.out 2>&1 &
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
		if vscmi clock get disp_pixel >/tmp/c.out 2>&1; then
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
	step restart-get vscmi --json clock get disp_pixel
	done_phase 4
	;;
esac
echo "@@ GUEST $ROLE finished"
while :; do sleep 3600; done
