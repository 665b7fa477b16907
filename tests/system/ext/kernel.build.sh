# SPDX-License-Identifier: MIT
# shellcheck shell=bash
# System-test extension "kernel", build step (sourced by run.sh): the Linux
# guest "linux" that drives vscmi-backd through the kernel's own SCMI stack.
#   - an arm64 6.1 kernel from Debian's linux-source-6.1 with
#     xen-frontend/linux-module/kernel/domu-6.1.fragment, cached in
#     $W/kernel (rebuilt only when the fragment changes; build-time kept);
#   - the virtio-pv front-end module built against it;
#   - vscmi-dtgen built for the host, and the guest's partial device tree
#     (agent "linux" of systest.cfg);
#   - the guest's initramfs: static busybox, the module, an /init that
#     loads it and prints "@@ KERNEL ..." facts (kernel.check.sh);
#   - systest-khostile, the hostile back-end dom0 runs against the guest.
KW=$W/kernel
LM=$SRC/xen-frontend/linux-module
t "kernel: arm64 6.1 domU kernel in $KW"
bash "$LM/kernel/build-kernel.sh" "$KW" >"$W/kernel-build.log" 2>&1 ||
	{ tail -n 30 "$W/kernel-build.log"; die "kernel: build failed (log: $W/kernel-build.log)"; }
sed 's/^/    /' "$W/kernel-build.log"
t "kernel: Image $(stat -c %s "$KW/Image") bytes, last full build $(cat "$KW/build-time" 2>/dev/null || echo '?') s"

# The module: built in a copy, so the source tree stays clean.
rm -rf "$KW/module"
mkdir -p "$KW/module"
cp "$LM"/Kbuild "$LM"/Makefile "$LM"/*.c "$LM"/*.h "$KW/module/"
make -C "$KW/module" KDIR="$KW/build" ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- \
	>"$W/kernel-module.log" 2>&1 ||
	{ tail -n 30 "$W/kernel-module.log"; die "kernel: module build failed (log: $W/kernel-module.log)"; }
t "kernel: module virtio-pv-front.ko $(stat -c %s "$KW/module/virtio-pv-front.ko") bytes"

# vscmi-dtgen runs on the host (libfdt-dev, device-tree-compiler).
for p in libfdt-dev:/usr/include/libfdt.h device-tree-compiler:/usr/bin/dtc; do
	[ -e "${p#*:}" ] && continue
	[ "$(id -u)" = 0 ] || die "kernel: install ${p%%:*}"
	apt_update
	apt-get install -y -q --no-install-recommends "${p%%:*}" >/dev/null ||
		die "kernel: apt-get install ${p%%:*} failed"
done
# The host build itself (libxen-dev for libxlutil...): scripts/check-deps.sh.
sh "$SRC/scripts/check-deps.sh" build || die "kernel: host build dependencies missing"
HB=$W/build-host
[ -f "$HB/.config" ] || make -s -C "$SRC" O="$HB" sim_defconfig >/dev/null
make -s -C "$SRC" O="$HB" -j"$(nproc)" "$HB/bin/vscmi-dtgen" >"$W/build-host.log" 2>&1 ||
	{ tail -n 30 "$W/build-host.log"; die "kernel: vscmi-dtgen build failed"; }
"$HB/bin/vscmi-dtgen" --config "$S/systest.cfg" --agent linux --output "$KW/linux.dtb" ||
	die "kernel: vscmi-dtgen failed"
dtc -q -I dtb -O dts "$KW/linux.dtb" >"$KW/linux.dts" || die "kernel: dtc cannot read linux.dtb"

# The hostile back-end dom0 runs against the guest (tests/system/kernel_hostile.c).
helper kernel_hostile systest-khostile

# The guest's initramfs.
G=$KW/initramfs
rm -rf "$G"
mkdir -p "$G"/{bin,proc,sys,dev,tmp}
cp "$R/bin/busybox" "$G/bin/"
for a in sh mount cat ls grep insmod rmmod sleep echo dmesg readlink basename tr head \
	tail sort wc test poweroff uname cut sed; do
	ln -s busybox "$G/bin/$a"
done
cp "$KW/module/virtio-pv-front.ko" "$G/"
cat >"$G/init" <<'INIT'
#!/bin/sh
# /init of the system test's "linux" guest: load the virtio-pv module and
# look at what the kernel's SCMI drivers made of vscmi-backd's platform.
# Every fact is one "@@ KERNEL ..." line (tests/system/ext/kernel.check.sh).
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t debugfs debugfs /sys/kernel/debug
k() { echo "@@ KERNEL $*"; }
# waitfor SECONDS COMMAND...: poll COMMAND every 0.2 s until it succeeds.
waitfor() {
	n=$(($1 * 5))
	shift
	while ! "$@" 2>/dev/null; do
		n=$((n - 1))
		[ $n -gt 0 ] || return 1
		sleep 0.2
	done
}
hwmon() {
	for h in /sys/class/hwmon/hwmon*; do
		[ "$(cat "$h/name" 2>/dev/null)" = scmi_sensors ] && echo "$h"
	done
}
# sensor LABEL: the hwmon value of the SCMI sensor LABEL
sensor() {
	for l in $(hwmon)/temp*_label; do
		[ "$(cat "$l" 2>/dev/null)" = "$1" ] && cat "${l%_label}_input" 2>/dev/null
	done
}
have_sensor() { [ -n "$(sensor board_thermal)" ]; }
connects() { dmesg | grep -c 'virtio-pv.*connected to domain'; }
more_connects() { [ "$(connects)" -gt "$1" ] && have_sensor; }
xenbus_dev() { [ -e /sys/bus/xen/devices/virtio-pv-0 ]; }
cs() { echo "$1" | tr -d . | sed 's/^0*//'; }
latency() {	# latency MODE: a figure, SCMI round trips through hwmon (builtin reads)
	f=
	for l in $(hwmon)/temp*_label; do
		[ "$(cat "$l" 2>/dev/null)" = board_thermal ] && f=${l%_label}_input
	done
	[ -n "$f" ] || return
	t0=$(cut -d' ' -f1 /proc/uptime)
	i=0
	while [ $i -lt 200 ] && read -r v <"$f"; do i=$((i + 1)); done
	t1=$(cut -d' ' -f1 /proc/uptime)
	ms=$((($(cs "$t1") - $(cs "$t0")) * 10))
	k "latency $i hwmon reads in $ms ms: $((ms * 1000 / (i > 0 ? i : 1))) us each ($1)"
}
report() {	# report TAG: what the SCMI drivers show
	k "$1 hwmon board_thermal $(sensor board_thermal)"
	k "$1 hwmon soc_thermal $(sensor soc_thermal)"
}

k "up $(uname -r)"
k "dt-node $(tr -d '\0' </proc/device-tree/passthrough/scmi/compatible 2>/dev/null)" \
	"protocols $(ls /proc/device-tree/passthrough/scmi 2>/dev/null | grep protocol | tr '\n' ' ')"
if waitfor 30 xenbus_dev; then k "xenbus virtio-pv-0 present"; else k "xenbus virtio-pv-0 missing"; fi
insmod /virtio-pv-front.ko
k "insmod rc=$?"
if waitfor 60 have_sensor; then k "scmi up"; else k "scmi not up after 60 s"; fi
dmesg | grep -E 'virtio-pv|scmi|SCMI' | sed 's/^/@@ KERNEL dmesg /'
k "scmi-core $(dmesg | grep -o "SCMI Protocol v[0-9.]* '[^']*' Firmware version 0x[0-9a-f]*" | tail -n 1)"
S=/sys/bus/platform/devices/passthrough:scmi
k "scmi-sysfs version $(cat $S/protocol_version 2>/dev/null) vendor $(cat $S/vendor_id 2>/dev/null)" \
	"sub-vendor $(cat $S/sub_vendor_id 2>/dev/null) firmware $(cat $S/firmware_version 2>/dev/null)"
# Every protocol device the SCMI core created: its DT node and its driver.
drv=
devs=
for d in /sys/bus/scmi_protocol/devices/*; do
	l=$(readlink "$d/driver" 2>/dev/null)
	n=$(readlink "$d/of_node" 2>/dev/null)
	drv="$drv ${l##*/}"
	devs="$devs ${n##*/}:${l##*/}"
done
k "scmi-drivers$(echo "$drv" | tr ' ' '\n' | sort | tr '\n' ' ')"
k "scmi-devices$(echo "$devs" | tr ' ' '\n' | sort | tr '\n' ' ')"
report first
latency "persistent grants"
k "clk cam_mclk $(cat /sys/kernel/debug/clk/cam_mclk/clk_rate 2>/dev/null)"
k "clk disp_pixel $(cat /sys/kernel/debug/clk/disp_pixel/clk_rate 2>/dev/null)"
k "genpd $(grep -o 'pd_camera *[a-z]*' /sys/kernel/debug/pm_genpd/pm_genpd_summary 2>/dev/null)"
for r in /sys/class/regulator/regulator.*; do
	[ "$(cat "$r/name" 2>/dev/null)" = vdd_gpu ] &&
		k "regulator vdd_gpu $(cat "$r/microvolts" 2>/dev/null) uV"
done
k "reset-controller $(ls /sys/bus/scmi_protocol/drivers/scmi-reset 2>/dev/null | grep -c scmi_dev)"
if [ -d /sys/devices/system/cpu/cpu0/cpufreq ]; then
	k "cpufreq $(cat /sys/devices/system/cpu/cpu0/cpufreq/scaling_cur_freq)"
else
	k "cpufreq absent"
fi

# dom0 restarts vscmi-backd: the module resets the device and reconnects.
c=$(connects)
k "ready-for-restart connects=$c uptime $(cut -d" " -f1 /proc/uptime)"
if waitfor 90 more_connects "$c"; then k "reconnected"; else k "no reconnection in 90 s"; fi
report restart

# dom0 pushes a used element for a descriptor that does not exist onto the
# eventq ("rx", systest-khostile ring): the ring must refuse it at the next
# interrupt (any command's answer) and the command queue keep working.
k "ready-for-ring-hostile"
poke() {
	sensor board_thermal >/dev/null
	dmesg | grep -q 'id 9999 out of range'
}
if waitfor 60 poke; then
	k "ring-hostile refused: $(dmesg | grep 'id 9999 out of range' | tail -n 1 | sed 's/^\[[ 0-9.]*\] //')"
else
	k "ring-hostile not refused in 60 s"
fi
report ring

# Clean removal (xenbus holds the module while a device is bound: unbind
# first), then load again, granting each buffer this time.
echo virtio-pv-0 >/sys/bus/xen/drivers/virtio-pv/unbind
k "unbind rc=$? detached=$(dmesg | grep -c 'virtio-pv.*detached') hwmon=$(hwmon | wc -l)"
rmmod virtio-pv-front
k "rmmod rc=$?"
c=$(connects)
insmod /virtio-pv-front.ko persistent_grants=0
k "insmod-again rc=$?"
if waitfor 60 more_connects "$c"; then k "reloaded"; else k "not reloaded in 60 s"; fi
report reload
latency "per-message grants"

# dom0 stops vscmi-backd and offers bad virtio-pv devices (systest-khostile):
# the module must refuse each; at last that back-end gives up on it, which
# leaves it Closed until the driver is bound again; then it must connect to
# the restarted daemon.
gave_up() { dmesg | grep -q 'virtio-pv.*the back-end gave up on the device'; }
c=$(connects)
k "ready-for-hostile connects=$c"
if waitfor 200 gave_up; then k "saw the back-end give up"; else k "no give-up seen"; fi
echo virtio-pv-0 >/sys/bus/xen/drivers/virtio-pv/unbind
echo virtio-pv-0 >/sys/bus/xen/drivers/virtio-pv/bind
k "rebind rc=$?"
if waitfor 120 more_connects "$c"; then k "after-hostile reconnected"; else k "no reconnection after hostile"; fi
report hostile

# dom0 swaps vscmi-backd for the hostile back-end of the robustness tests
# (systest-hostile-back, tests/robust/hostile_back.c: the real SCMI server,
# honest for 8 replies, then a lie every third) with the lies a guest must
# absorb: used lengths far beyond the buffer (biglen); bogus notifications
# and delayed responses on the eventq after every reply (notify). Every
# hwmon read must still succeed. dom0 starts each back-end only after the
# guest's "ready-for-lie" line, and no back-end runs in between, so the
# connection counted is the hostile one.
for m in biglen notify; do
	c=$(connects)
	k "ready-for-lie $m"
	if waitfor 90 more_connects "$c"; then
		ok=0
		bad=0
		for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
			if [ -n "$(sensor board_thermal)" ]; then ok=$((ok + 1)); else bad=$((bad + 1)); fi
		done
		k "lie $m reads ok=$ok failed=$bad"
	else
		k "lie $m: no connection to the hostile back-end in 90 s"
	fi
	k "lie-done $m"
done
c=$(connects)
k "ready-for-lies-end"
if waitfor 120 more_connects "$c"; then k "after-lies reconnected"; else k "no reconnection after the lies"; fi
report lies

# Linux 6.1's genpd has no release() for its struct device: removing the
# SCMI power domains (on every reset) warns once per domain. Known, counted
# apart; any other warning is a problem.
genpd=$(dmesg | grep -c "Device 'pd_[a-z_]*' does not have a release() function")
bad=$(dmesg | grep -cE 'Oops|BUG:|Kernel panic|WARNING:|Unable to handle')
k "dmesg-problems $((bad - genpd)) genpd-release-warnings $genpd"
[ "$bad" = "$genpd" ] || dmesg | grep -E -A 20 'Oops|BUG:|Kernel panic|WARNING:|Unable to handle' |
	grep -v 'device_release+' | head -n 80 | sed 's/^/@@ KERNEL problem /'
dmesg | grep -E 'virtio-pv|scmi|SCMI' | tail -n 40 | sed 's/^/@@ KERNEL dmesg-end /'
k "finished"
sleep 1
poweroff -f
INIT
chmod 755 "$G/init"
(cd "$G" && find . | cpio -o -H newc --quiet | gzip -1) >"$KW/initrd.cpio.gz"
t "kernel: guest initramfs $(stat -c %s "$KW/initrd.cpio.gz") bytes"
