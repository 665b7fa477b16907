# SPDX-License-Identifier: MIT
# shellcheck shell=sh
# System-test extension "baremetal", dom0 phase (sourced by dom0-init.sh,
# busybox sh): boot the bare-metal guest "rtos" against the running
# vscmi-backd, relay its console, wait (bounded) for its "finished" line
# (or an exception report), then for it to power itself off.
mark "EXT baremetal"
say "xl create rtos (bare-metal arm64 guest)"
xl create /etc/xen/rtos.cfg >/tmp/xl-rtos.log 2>&1
rc=$?
mark "xl-create rtos rc=$rc"
[ $rc = 0 ] || cat /tmp/xl-rtos.log
mark "domid rtos=$(xl domid rtos 2>/dev/null)"
relay rtos
f=/var/log/xen/console/guest-rtos.log
i=0
cpu=?
while ! grep -qE '@@ RTOS (finished|exception)' $f 2>/dev/null && [ $i -lt 1200 ]; do
	# The guest's CPU time so far (it naps in WFI while it waits).
	[ $((i % 10)) != 0 ] || cpu=$(xl list rtos 2>/dev/null | awk 'NR == 2 { print $6 }')
	sleep 0.1
	i=$((i + 1))
done
if grep -q '@@ RTOS finished' $f 2>/dev/null; then
	mark "rtos finished (waited $((i / 10)) s; vCPU time ${cpu:-?} s at the last look)"
else
	if grep -q '@@ RTOS exception' $f 2>/dev/null; then
		mark "rtos took an exception after $((i / 10)) s"
		sleep 1
	else
		mark "rtos TIMEOUT after $((i / 10)) s"
	fi
	xl list
	# Where it is (a preserved crash or a hang): registers and symbols.
	xenctx -a -s /root/baremetal/System.map "$(xl domid rtos)" 0 2>&1 | sed 's/^/[rtos-ctx] /'
	xl dmesg | grep -E '\(d[1-9]|d[1-9]v' | tail -n 20
fi
# It powers itself off (on_poweroff = destroy); wait for that, briefly.
i=0
while xl list rtos 2>/dev/null | awk 'NR == 2 && $5 !~ /[cs]/ { ok = 1 } END { exit !ok }' &&
	[ $i -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
if xl domid rtos >/dev/null 2>&1; then
	mark "rtos still there: $(xl list rtos 2>/dev/null | tail -n 1)"
	xl destroy rtos
else
	mark "rtos powered off"
fi
sleep 1
