# SPDX-License-Identifier: MIT
# shellcheck shell=sh
# System-test extension "kernel", dom0 phase (sourced by dom0-init.sh,
# busybox sh): boot the Linux guest "linux" (the kernel's SCMI drivers over
# the virtio-pv module), restart vscmi-backd under it once it reports its
# first readings, then wait (bounded) for its "finished" line.
mark "EXT kernel"
say "kernel: xl create linux"
xl create /etc/xen/linux.cfg >/tmp/xl-linux.log 2>&1
rc=$?
mark "kernel xl-create rc=$rc"
[ $rc = 0 ] || sed 's/^/[xl-linux] /' /tmp/xl-linux.log
if [ $rc = 0 ]; then
	relay linux
	# kwait TEXT SECONDS: the guest printed TEXT
	kwait() {
		i=0
		while ! grep -q "$1" /var/log/xen/console/guest-linux.log 2>/dev/null; do
			[ $i -lt $(($2 * 10)) ] || return 1
			sleep 0.1
			i=$((i + 1))
		done
	}
	if kwait "@@ KERNEL ready-for-restart" 200; then
		kill -TERM "$BACKD"
		i=0
		while kill -0 "$BACKD" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
		wait "$BACKD"
		mark "kernel backd-term rc=$? after $((i * 100)) ms"
		start_backd
	else
		mark "kernel guest never reached ready-for-restart"
	fi
	if kwait "@@ KERNEL finished" 200; then
		mark "kernel guest finished"
	else
		mark "kernel guest TIMEOUT"
	fi
	i=0
	while xl domid linux >/dev/null 2>&1 && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
	xl destroy linux >/dev/null 2>&1
fi
