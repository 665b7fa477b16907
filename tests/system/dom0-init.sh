#!/bin/sh
# SPDX-License-Identifier: MIT
#
# dom0's /init in the system test (tests/system/run.sh builds it into dom0's
# initramfs). Brings up Debian's Xen toolstack, starts vscmi-backd with
# --auto-attach, creates the guests "ivi" and "cluster" (both run
# domu-init.sh) and walks them through the test's phases. Phases are handed
# out through xenstore: dom0 writes /local/domain/<id>/data/systest/go = N,
# the guest answers data/systest/done = N. Everything the guests print
# reaches this console prefixed "[ivi] " / "[cluster] ", vscmi-backd's log
# "[backd] "; the host checks it all afterwards (check.sh). Lines starting
# with "@@ " are for check.sh.
export PATH=/bin:/sbin:/usr/lib/xen-4.17/bin
export LD_LIBRARY_PATH=/lib/aarch64-linux-gnu
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs tmpfs /var/run
mkdir -p /var/run/xen /var/run/xenstored /dev/pts
mount -t devpts devpts /dev/pts
touch /etc/xen/xl.conf

up() { cut -d' ' -f1 /proc/uptime; }
say() { echo "=== $* (uptime $(up))"; }
mark() { echo "@@ $*"; }

say "DOM0 INIT $(uname -r)"
KV=$(uname -r)
# privcmd before xenfs, or xenstored cannot find its dom0 port.
for m in xen-evtchn xen-privcmd xen-gntdev xen-gntalloc xenfs; do
	insmod /lib/modules/$KV/$m.ko || echo "insmod $m failed"
done
mount -t xenfs xenfs /proc/xen
xenstored --pid-file /var/run/xenstored.pid
sleep 1
xen-init-dom0 >/dev/null
# devpts above, or xenconsoled cannot give guests a console and xl create hangs.
xenconsoled --pid-file=/var/run/xenconsoled.pid --log=guest --log-dir=/var/log/xen/console
mark "xen $(xl info | sed -n 's/^xen_version *: //p')"

CFG=/etc/vscmi/systest.cfg
# The lies of phase 6, in order (hostile_back.c explains each).
HB_MODES="token short badtype biglen badid dupbuf notify features refuse"
touch /var/log/backd.log
tail -f /var/log/backd.log | sed 's/^/[backd] /' &
BACKD=
start_backd() {
	vscmi-backd --foreground --auto-attach --config $CFG >>/var/log/backd.log 2>&1 &
	BACKD=$!
	mark "backd started pid=$BACKD"
}

say "vscmi-backd --check-config"
vscmi-backd --check-config $CFG | sed 's/^/@@ CONFIG /'
start_backd
sleep 1
kill -0 $BACKD 2>/dev/null || { mark "backd died at start"; cat /var/log/backd.log; }

BASE=1
for a in $(cat /proc/cmdline); do
	case $a in systest.base=*) BASE=${a#systest.base=} ;; esac
done
[ "$BASE" = 1 ] || mark "base skipped"

# relay NAME: copy guest NAME's console log to ours, each line prefixed
# "[NAME] " (xenconsoled opens the log some time after xl create returns).
relay() {
	(
		f=/var/log/xen/console/guest-$1.log
		i=0
		while [ ! -e $f ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
		exec tail -n +1 -f $f
	) | while IFS= read -r l; do echo "[$1] $l"; done &
	# (not sed: busybox sed holds a line back until the next one arrives)
}

# Guests: created after the daemon, so --auto-attach sees them appear.
GUESTS="ivi cluster"
[ "$BASE" = 1 ] || GUESTS=
for g in $GUESTS; do
	say "xl create $g"
	xl create /etc/xen/$g.cfg >/tmp/xl-$g.log 2>&1
	rc=$?
	mark "xl-create $g rc=$rc"
	[ $rc = 0 ] || cat /tmp/xl-$g.log
done
IVI=
CL=
if [ "$BASE" = 1 ]; then
	IVI=$(xl domid ivi 2>/dev/null)
	CL=$(xl domid cluster 2>/dev/null)
	mark "domids ivi=$IVI cluster=$CL"
	relay ivi
	relay cluster
fi

# go DOMID PHASE; waitdone NAME DOMID PHASE SECONDS
go() { systest-xs write /local/domain/$1/data/systest/go $2; }
waitdone() {
	if systest-xs wait /local/domain/$2/data/systest/done $3 $4; then
		mark "phase $3 $1 done"
	else
		mark "phase $3 $1 TIMEOUT after $4 s"
	fi
}
backd_alive() {
	if kill -0 "$BACKD" 2>/dev/null; then mark "backd-alive $1 yes"; else mark "backd-alive $1 no"; fi
}

if [ -n "$IVI" ] && [ -n "$CL" ]; then
	# 1: each guest alone: inventory, round trips, denials, isolation, async,
	#    a trip-point notification.
	say "PHASE 1"
	go $IVI 1; go $CL 1
	waitdone ivi $IVI 1 300
	waitdone cluster $CL 1 300
	top -b -n 1 | head -n 15

	# 2: cross-guest notification: cluster's monitor sees ivi's change of
	#    the shared pixel clock.
	say "PHASE 2"
	go $CL 2
	if systest-xs wait /local/domain/$CL/data/systest/monitoring 1 60; then
		go $IVI 2
	else
		mark "phase 2 cluster monitor never started"
		go $IVI 2
	fi
	waitdone ivi $IVI 2 120
	waitdone cluster $CL 2 120

	# 3: a hostile program in ivi while cluster keeps working.
	say "PHASE 3"
	go $CL 3; go $IVI 3
	waitdone ivi $IVI 3 240
	systest-xs write /local/domain/$CL/data/systest/stop3 1
	waitdone cluster $CL 3 60
	backd_alive after-hostile

	# 4: vscmi-backd restarted under both guests.
	say "PHASE 4"
	kill -TERM "$BACKD"
	i=0
	while kill -0 "$BACKD" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
	wait "$BACKD"
	mark "backd-term rc=$? after $((i * 100)) ms"
	start_backd
	go $IVI 4; go $CL 4
	waitdone ivi $IVI 4 120
	waitdone cluster $CL 4 120

	# 5: figures: vscmi's command round trip against a raw grant +
	#    event-channel ping-pong between the same two domains.
	say "PHASE 5"
	pingpong-back $IVI >/tmp/pp-back.log 2>&1 &
	PP=$!
	go $IVI 5
	waitdone ivi $IVI 5 300
	wait $PP
	sed 's/^/[pingpong-back] /' /tmp/pp-back.log
	backd_alive at-end
	kill -USR1 "$BACKD" 2>/dev/null
	sleep 1

	# 6: hostile back-ends. vscmi-backd stops; for each lie, a scripted
	#    malicious back-end (tests/robust/hostile_back.c, built for real
	#    Xen) serves ivi's device while ivi runs vscmi against it; then
	#    vscmi-backd again and ivi must work as before.
	say "PHASE 6"
	kill -TERM "$BACKD"
	wait "$BACKD"
	go $IVI 6
	for m in $HB_MODES; do
		systest-hostile-back $CFG $IVI 0 $m 3 8 >/tmp/hb-$m.log 2>&1 &
		HB=$!
		systest-xs write /local/domain/$IVI/data/systest/hb $m
		systest-xs wait /local/domain/$IVI/data/systest/hbdone $m 120 ||
			mark "hostile-back $m: ivi TIMEOUT"
		kill -TERM $HB
		wait $HB
		mark "hostile-back $m rc=$?"
		sed 's/^/[hostile-back] /' /tmp/hb-$m.log
	done
	start_backd
	systest-xs write /local/domain/$IVI/data/systest/hb end
	waitdone ivi $IVI 6 180
fi

# Extensions: guests of their own (tests/system/ext/*.phase.sh).
for p in /etc/systest.d/*.phase.sh; do
	[ -e "$p" ] || continue
	say "EXTENSION ${p##*/}"
	. "$p"
done

# Let the console relays catch up with the guests' last lines.
for g in $GUESTS; do
	i=0
	while ! grep -q "@@ GUEST $g finished" /var/log/xen/console/guest-$g.log 2>/dev/null &&
		[ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
done
sleep 2
say "xl list"
xl list
say "xl dmesg (tail)"
xl dmesg | tail -15
mark "SYSTEST END"
sleep 1
poweroff -f
