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
expect_fact "sysfs: the SCMI core's version and vendor" \
	"$KL scmi-sysfs version 2\\.1 vendor vscmi sub-vendor auto-soc firmware 0x10000"
for p in 11 13 14 15 16 17; do
	expect_fact "sysfs: an SCMI protocol device for protocol@$p" "$KL scmi-devices.* protocol@$p:"
done
for d in scmi-clocks scmi-hwmon scmi-power-domain scmi-reset scmi-regulator; do
	expect_fact "SCMI driver $d bound to its protocol device" "$KL scmi-drivers.* $d( |\$)"
done
krange "hwmon: board_thermal reads the ramp dom0 serves (25..35 C)" "first hwmon board_thermal" 25000 35000
krange "hwmon: soc_thermal reads the sine dom0 serves (45..85 C)" "first hwmon soc_thermal" 45000 85000
expect_fact "clk: cam_mclk in the clock tree at 24 MHz" "$KL clk cam_mclk 24000000\$"
expect_fact "clk: disp_pixel (read-only) at 148.5 MHz" "$KL clk disp_pixel 148500000\$"
expect_fact "genpd: SCMI power domain pd_camera registered" "$KL genpd pd_camera +(on|off)"
expect_fact "regulator: SCMI voltage domain vdd_gpu at 800 mV" "$KL regulator vdd_gpu 800000 uV"
expect_fact "reset: the SCMI reset controller bound" "$KL reset-controller [1-9]"
if grep -qE "$KL cpufreq absent" "$TMP/log"; then
	echo "SKIP  cpufreq: xl writes the guest's cpu nodes, so they cannot name the SCMI perf domain"
else
	expect_fact "cpufreq driven by the SCMI perf domain" "$KL cpufreq [0-9]+"
fi

sed -n "s/^\[linux\] @@ KERNEL latency /NOTE  figure: /p" "$TMP/log"
expect_fact "first load: persistent grants (bounce pool)" \
	'^\[linux\] @@ KERNEL dmesg .*virtio-pv-0: virtio-pv device 0 .*, persistent grants'
expect_fact "dom0 restarted vscmi-backd under the guest" '^@@ kernel backd-term rc='
expect_fact "the module reset the device and reconnected" "$KL reconnected\$"
krange "hwmon after the daemon restart (25..35 C)" "restart hwmon board_thermal" 25000 35000
expect_fact "ring misbehaviour: dom0 pushed a used element for no descriptor" '^@@ kernel khostile-ring rc=0'
expect_fact "the guest's virtio ring refused it (queue broken, no crash)" \
	"$KL ring-hostile refused: .*rx:id 9999 out of range"
krange "hwmon still reads over the command queue (25..35 C)" "ring hwmon board_thermal" 25000 35000
expect_fact "unbind: clean removal (detached, SCMI devices gone)" "$KL unbind rc=0 detached=1 hwmon=0"
expect_fact "rmmod virtio-pv-front" "$KL rmmod rc=0"
expect_fact "insmod again (persistent_grants=0): reconnected" "$KL reloaded\$"
krange "hwmon after reloading the module (25..35 C)" "reload hwmon board_thermal" 25000 35000
echo "-- hostile back-end (systest-khostile: bad offers, daemon stopped)"
n=$(grep -c '^@@ KHOSTILE ok ' "$TMP/log")
bad=$(grep -c '^@@ KHOSTILE not ok ' "$TMP/log")
if [ "$n" -ge 20 ] && [ "$bad" = 0 ]; then
	pass "the module refused all 18 bad offers with the documented errors, answered an honest one per the protocol, went Closed when that back-end gave up ($n checks)"
else
	why_grep '^@@ KHOSTILE|^@@ kernel'
	fail "the module refused the bad offers" "$n refused as documented, $bad not"
fi
expect_fact "the guest saw the back-end give up (dmesg)" "$KL saw the back-end give up"
expect_fact "after the hostile back-end: reconnected to vscmi-backd" "$KL after-hostile reconnected\$"
krange "hwmon after the hostile back-end (25..35 C)" "hostile hwmon board_thermal" 25000 35000
echo "-- hostile back-end (systest-hostile-back: ring lies the guest must absorb)"
for m in biglen notify; do
	lies=$(sed -n "s/^\[khostile-back\] hostile_back mode=$m .* lies=\([0-9]*\).*/\1/p" "$TMP/log")
	if [ "${lies:-0}" -gt 0 ] && grep -q "$KL lie $m reads ok=20 failed=0\$" "$TMP/log"; then
		pass "'$m' ($lies lies): the module connected to the hostile back-end, 20 of 20 hwmon reads good"
	else
		why_grep "KERNEL (ready-for-)?lie|hostile-back|kernel lie"
		fail "'$m' lies absorbed" "lies='$lies', or not every hwmon read succeeded"
	fi
done
expect_fact "after the ring lies: reconnected to vscmi-backd" "$KL after-lies reconnected\$"
krange "hwmon after the ring lies (25..35 C)" "lies hwmon board_thermal" 25000 35000
expect_fact "no oops, BUG or warning in the guest (6.1's genpd release warning apart)" \
	"$KL dmesg-problems 0 "
expect_fact "guest linux finished" '^@@ kernel guest finished'
