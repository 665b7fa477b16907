# SPDX-License-Identifier: MIT
# shellcheck shell=sh
# System-test extension "baremetal", assertions (sourced by check.sh): the
# bare-metal guest "rtos" printed "@@ RTOS ..." result lines on its Xen
# console (relayed as "[rtos] ..."); docs/baremetal-guest.md lists them.
# The expected inventory is vscmi-backd's own view of agent "rtos"
# (the "@@ CONFIG" lines of --check-config).
R='^\[rtos\] @@ RTOS'

expect_fact "rtos: xl create of the bare-metal Image" '^@@ xl-create rtos rc=0'
expect_fact "rtos: booted, console on the PV ring" "$R boot .*console PV ring"
expect_fact "rtos: device tree read (xen,xen node: grant table, event-channel PPI)" \
	"$R dt xen,xen[-0-9.]* ram=0x40000000\\+0x[0-9a-f]+ gnttab=0x[0-9a-f]+\\+0x[0-9a-f]+ evtchn-irq=31 "
expect_fact "rtos: MMU and caches on" "$R mmu on caches on"
expect_fact "rtos: shared_info mapped (XENMEM_add_to_physmap)" "$R shared_info rc=0\$"
expect_fact "rtos: virtio-pv handshake with vscmi-backd (grants, event channel, xenstore)" \
	"$R attach virtio-pv 0 rc=0 "
expect_fact "vscmi-backd served agent rtos" '^\[backd\] .*agent rtos \(dom[0-9]+\) connected'
expect_fact "rtos: base protocol (vendor, agent name)" \
	"$R base vendor=vscmi sub_vendor=auto-soc impl=0x00010000 agent=rtos "
expect_fact "rtos: protocols power, perf, clock, sensor, reset" \
	"$R protocols 0x11 0x13 0x14 0x15 0x16\$"

# The guest's enumeration, kind by kind, against the daemon's view of rtos.
for kind in power perf clock sensor reset; do
	want=$(config_names rtos "$kind")
	got=$(grep -E "$R $kind [0-9]+ " "$TMP/log" | awk '{ print $6 }' | tr '\n' ' ')
	if [ -n "$want" ] && [ "$got" = "$want" ]; then
		pass "rtos: $kind enumeration matches the rtos agent ($want)"
	else
		why_grep "$R $kind |^@@ CONFIG"
		fail "rtos: $kind enumeration" "guest saw '$got', vscmi-backd grants '$want'"
	fi
done

expect_fact "rtos: clock cam_mclk 24 MHz -> 27 MHz read back" \
	"$R clock cam_mclk set 27000000 got 27000000 rc=0\$"
expect_fact "rtos: clock cam_mclk back to 24 MHz read back" \
	"$R clock cam_mclk set 24000000 got 24000000 rc=0\$"
expect_fact "rtos: power pd_camera on, read back" "$R power pd_camera set on got on rc=0\$"
expect_fact "rtos: power pd_camera off, read back" "$R power pd_camera set off got off rc=0\$"
expect_fact "rtos: reset rst_camera" "$R reset rst_camera autonomous( async)? rc=0\$"
expect_fact "rtos: perf cpu_little level readable" "$R perf cpu_little level [0-9]+ rc=0\$"
expect_fact "rtos: perf cpu_little level set DENIED (read-only)" \
	"$R perf cpu_little set [0-9]+ rc=-13 denied\$"
expect_fact "rtos: a clock it was not given is NOT_FOUND" "$R clock id [0-9]+ rate get rc=-2 not-found\$"
expect_fact "rtos: sensor board_thermal reads 25..35 C" \
	"$R sensor board_thermal reading (2[5-9][0-9]{3}|3[0-4][0-9]{3}|35000) rc=0\$"
expect_fact "rtos: trip-point notification from test_ramp at 40 C" \
	"$R notify sensor test_ramp trip 0 ascending after [0-9]+ ms\$"

# Footprint: printed, and shown here.
fp=$(sed -n 's/^\[rtos\] @@ RTOS footprint image file=\([0-9]*\).* total=\([0-9]*\)$/image \1 B (\2 B with .bss)/p' "$TMP/log" | head -n 1)
hp=$(sed -n 's/^\[rtos\] @@ RTOS footprint heap peak=\([0-9]*\).*/heap peak \1 B/p' "$TMP/log" | head -n 1)
pg=$(sed -n 's/^\[rtos\] @@ RTOS footprint pages used=[0-9]* peak=\([0-9]*\) of=\([0-9]*\).* stack peak=\([0-9]*\).*/\1 of \2 pages, stack \3 B/p' "$TMP/log" | head -n 1)
if [ -n "$fp" ] && [ -n "$hp" ] && [ -n "$pg" ]; then
	pass "rtos: footprint: $fp, $hp, $pg"
else
	why_grep "$R footprint"
	fail "rtos: footprint" "missing footprint lines"
fi

if grep -qE "$R (FAIL|exception)" "$TMP/log"; then
	why_grep "$R (FAIL|exception)|^\[rtos\]    x"
	fail "rtos: no failed step, no exception" "see the lines below"
else
	pass "rtos: no failed step, no exception"
fi
expect_fact "rtos: finished with no failure" "$R finished pass=[0-9]+ fail=0 "
expect_fact "rtos: powered itself off (SCHEDOP_shutdown)" '^@@ rtos powered off$'
