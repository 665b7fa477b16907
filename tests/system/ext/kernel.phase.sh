# SPDX-License-Identifier: MIT
# shellcheck shell=sh
# System-test extension "kernel", dom0 phase (sourced by dom0-init.sh,
# busybox sh): boot the Linux guest "linux" (the kernel's SCMI drivers over
# the virtio-pv module), restart vscmi-backd under it once it reports its
# first readings, later stop it and run the hostile back-ends against the
# module (systest-khostile: bad offers; systest-hostile-back: ring lies),
# then wait (bounded) for the guest's "finished" line.
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
			[ $i -lt $(($2 * 4)) ] || return 1
			sleep 0.25
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
	# Ring misbehaviour next to the running daemon.
	if kwait "@@ KERNEL ready-for-ring-hostile" 200; then
		systest-khostile ring "$(xl domid linux)"
		mark "kernel khostile-ring rc=$?"
	else
		mark "kernel guest never reached ready-for-ring-hostile"
	fi
	# Hostile back-end: with the daemon stopped, bad offers to the module.
	if kwait "@@ KERNEL ready-for-hostile" 250; then
		kill -TERM "$BACKD"
		wait "$BACKD"
		LD=$(xl domid linux)
		if systest-xs wait "/local/domain/$LD/device/virtio-pv/0/state" 1 30; then
			systest-khostile "$LD"
			mark "kernel khostile rc=$?"
		else
			mark "kernel front-end never went back to Initialising"
		fi
		start_backd
	else
		mark "kernel guest never reached ready-for-hostile"
	fi
	# Ring lies the guest must absorb, from the hostile back-end of
	# tests/robust (the guest's /init explains the handshake).
	for m in biglen notify; do
		if kwait "@@ KERNEL ready-for-lie $m" 250; then
			if kill -0 "$BACKD" 2>/dev/null; then
				kill -TERM "$BACKD"
				wait "$BACKD"
			fi
			systest-hostile-back /etc/vscmi/systest.cfg "$(xl domid linux)" 0 $m 3 8 \
				>/tmp/khb-$m.log 2>&1 &
			HB=$!
			kwait "@@ KERNEL lie-done $m" 150 || mark "kernel lie $m: guest TIMEOUT"
			kill -TERM $HB
			wait $HB
			mark "kernel hostile-back $m rc=$?"
			sed 's/^/[khostile-back] /' /tmp/khb-$m.log
		else
			mark "kernel guest never reached ready-for-lie $m"
		fi
	done
	kwait "@@ KERNEL ready-for-lies-end" 60 || mark "kernel guest never reached ready-for-lies-end"
	kill -0 "$BACKD" 2>/dev/null || start_backd
	if kwait "@@ KERNEL finished" 250; then
		mark "kernel guest finished"
	else
		mark "kernel guest TIMEOUT"
	fi
	i=0
	while xl domid linux >/dev/null 2>&1 && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
	xl destroy linux >/dev/null 2>&1
fi
