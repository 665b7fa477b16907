# SPDX-License-Identifier: MIT
# shellcheck shell=sh
# System-test extension "baremetal", dom0 phase (sourced by dom0-init.sh,
# busybox sh): boot the bare-metal guest "rtos" against the running
# vscmi-backd, relay its console, wait (bounded) for its "finished" line.
mark "EXT baremetal"
say "xl create rtos (bare-metal arm64 guest)"
xl create /etc/xen/rtos.cfg >/tmp/xl-rtos.log 2>&1
rc=$?
mark "xl-create rtos rc=$rc"
[ $rc = 0 ] || cat /tmp/xl-rtos.log
mark "domid rtos=$(xl domid rtos 2>/dev/null)"
relay rtos
i=0
f=/var/log/xen/console/guest-rtos.log
while ! grep -q '@@ RTOS finished' $f 2>/dev/null && [ $i -lt 1200 ]; do
	sleep 0.1
	i=$((i + 1))
done
if grep -q '@@ RTOS finished' $f 2>/dev/null; then
	mark "rtos finished after $((i / 10)) s"
else
	mark "rtos TIMEOUT after $((i / 10)) s"
	xl list
	xenctx -a -s /root/baremetal/System.map "$(xl domid rtos)" 0 2>&1 | sed 's/^/[rtos-ctx] /'
	xl dmesg | grep -E '\(d[1-9]|d[1-9]v' | tail -n 20
	od -c $f 2>/dev/null | head -n 20
fi
# It powers itself off (on_poweroff = destroy); wait for that, briefly.
i=0
while xl domid rtos >/dev/null 2>&1 && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
if xl domid rtos >/dev/null 2>&1; then
	mark "rtos still running: $(xl list rtos 2>/dev/null | tail -n 1)"
	xl destroy rtos
else
	mark "rtos powered off"
fi
sleep 1
