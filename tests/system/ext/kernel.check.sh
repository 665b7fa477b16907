# SPDX-License-Identifier: MIT
# shellcheck shell=sh
# System-test extension "kernel", assertions (sourced by check.sh): the
# Linux guest "linux" booted the project's 6.1 kernel, loaded the
# virtio-pv module, and the kernel's own SCMI drivers (probed through it)
# show what vscmi-backd serves agent "linux" (tests/system/systest.cfg);
# the module survived a daemon restart, an unload and a reload.
KL='^\[linux\] @@ KERNEL'
# kval FACT: the rest of the guest's first "@@ KERNEL FACT ..." line
kval() { sed -n "s/^\[linux\] @@ KERNEL $1 *//p" "$TMP/log" | head -n 1; }
# krange DESC FACT MIN MAX: the fact's number lies in [MIN, MAX]
krange() {
	v=$(kval "$2")
	if [ -n "$v" ] && [ "$v" -ge "$3" ] 2>/dev/null && [ "$v" -le "$4" ]; then
		pass "$1 ($v)"
	else
		why_grep "$KL|virtio-pv|scmi"
		fail "$1" "'$2' is '$v', expected $3..$4"
	fi
}

expect_fact "xl create linux (device_tree= from vscmi-dtgen)" '^@@ kernel xl-create rc=0'
expect_fact "guest linux booted the project's 6.1 kernel" "$KL up 6\\.1\\."
expect_fact "the partial device tree put the arm,scmi-virtio node in the guest" \
	"$KL dt-node arm,scmi-virtio protocols protocol@11 protocol@13 protocol@14 protocol@15 protocol@16 protocol@17"
expect_fact "xenbus enumerated the virtio-pv device (auto-attached)" "$KL xenbus virtio-pv-0 present"
expect_fact "insmod virtio-pv-front.ko" "$KL insmod rc=0"
expect_fact "the module connected to vscmi-backd (xenbus Connected)" \
	'^\[linux\] @@ KERNEL dmesg .*virtio-pv.*connected to domain 0: virtio device 32'
expect_fact "the kernel's SCMI core probed through virtio-pv" \
	"$KL scmi-core SCMI Protocol v[0-9.]+ 'vscmi:auto-soc' Firmware version 0x10000"
for d in scmi-clocks scmi-hwmon scmi-power-domain scmi-reset scmi-regulator; do
	expect_fact "SCMI driver $d bound to its protocol device" "$KL scmi-drivers.* $d( |\$)"
done
krange "hwmon: board_thermal reads the ramp dom0 serves (25..35 C)" "first hwmon board_thermal" 25000 35000
krange "hwmon: soc_thermal reads the sine dom0 serves (45..85 C)" "first hwmon soc_thermal" 45000 85000
expect_fact "clk: cam_mclk in the clock tree at 24 MHz" "$KL clk cam_mclk 24000000\$"
expect_fact "clk: disp_pixel (read-only) at 148.5 MHz" "$KL clk disp_pixel 148500000\$"
expect_fact "genpd: SCMI power domain pd_camera registered" "$KL genpd pd_camera (on|off)"
expect_fact "regulator: SCMI voltage domain vdd_gpu at 800 mV" "$KL regulator vdd_gpu 800000 uV"
expect_fact "reset: the SCMI reset controller bound" "$KL reset-controller [1-9]"
if grep -qE "$KL cpufreq absent" "$TMP/log"; then
	echo "SKIP  cpufreq: xl writes the guest's cpu nodes, so they cannot name the SCMI perf domain"
else
	expect_fact "cpufreq driven by the SCMI perf domain" "$KL cpufreq [0-9]+"
fi

expect_fact "dom0 restarted vscmi-backd under the guest" '^@@ kernel backd-term rc='
expect_fact "the module reset the device and reconnected" "$KL reconnected\$"
krange "hwmon after the daemon restart (25..35 C)" "restart hwmon board_thermal" 25000 35000
expect_fact "rmmod: clean removal (detached, SCMI devices gone)" "$KL rmmod rc=0 detached=1 hwmon=0"
expect_fact "insmod again: reconnected" "$KL reloaded\$"
krange "hwmon after reloading the module (25..35 C)" "reload hwmon board_thermal" 25000 35000
expect_fact "no oops, BUG or warning in the guest" "$KL dmesg-problems 0\$"
expect_fact "guest linux finished" '^@@ kernel guest finished'
