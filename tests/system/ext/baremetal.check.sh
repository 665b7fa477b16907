# SPDX-License-Identifier: MIT
# shellcheck shell=sh
# System-test extension "baremetal", assertions (sourced by check.sh): the
# bare-metal guest "rtos" printed "@@ RTOS ..." result lines on its Xen
# console (relayed as "[rtos] ..."); docs/baremetal-guest.md lists them.
# The expected inventory is vscmi-backd's own view of agent "rtos"
# (the "@@ CONFIG" lines of --check-config).
BM_R='^\[rtos\] @@ RTOS'

expect_fact "rtos: xl create of the bare-metal Image" '^@@ xl-create rtos rc=0'
expect_fact "rtos: booted, console on the PV ring" "$BM_R boot .*console PV ring"
expect_fact "rtos: device tree read (xen,xen node: grant table, event-channel PPI)" \
	"$BM_R dt xen,xen[-0-9.]* ram=0x40000000\\+0x[0-9a-f]+ gnttab=0x[0-9a-f]+\\+0x[0-9a-f]+ evtchn-irq=31 "
expect_fact "rtos: MMU and caches on" "$BM_R mmu on caches on"
expect_fact "rtos: shared_info mapped (XENMEM_add_to_physmap)" "$BM_R shared_info rc=0\$"
expect_fact "rtos: GICv3 set up: idles in WFI until the event-channel PPI or the timer" \
	"$BM_R idle in WFI, woken through the GICv3 \\(event PPI 31, virtual timer PPI 27\\) rc=0\$"
expect_fact "rtos: virtio-pv handshake with vscmi-backd (grants, event channel, xenstore)" \
	"$BM_R attach virtio-pv 0 rc=0 "
expect_fact "vscmi-backd served agent rtos" '^\[backd\] .*agent rtos \(dom[0-9]+\) connected'
expect_fact "rtos: base protocol (vendor, agent name)" \
	"$BM_R base vendor=vscmi sub_vendor=auto-soc impl=0x00010000 agent=rtos "
expect_fact "rtos: protocols power, perf, clock, sensor, reset" \
	"$BM_R protocols 0x11 0x13 0x14 0x15 0x16\$"

# The guest's enumeration, kind by kind, against the daemon's view of rtos.
for bm_kind in power perf clock sensor reset; do
	bm_want=$(config_names rtos "$bm_kind")
	bm_got=$(grep -E "$BM_R $bm_kind [0-9]+ " "$TMP/log" | awk '{ print $6 }' | tr '\n' ' ')
	if [ -n "$bm_want" ] && [ "$bm_got" = "$bm_want" ]; then
		pass "rtos: $bm_kind enumeration matches the rtos agent ($bm_want)"
	else
		why_grep "$BM_R $bm_kind |^@@ CONFIG"
		fail "rtos: $bm_kind enumeration" "guest saw '$bm_got', vscmi-backd grants '$bm_want'"
	fi
done

expect_fact "rtos: clock cam_mclk 24 MHz -> 27 MHz read back" \
	"$BM_R clock cam_mclk set 27000000 got 27000000 rc=0\$"
expect_fact "rtos: clock cam_mclk back to 24 MHz read back" \
	"$BM_R clock cam_mclk set 24000000 got 24000000 rc=0\$"
expect_fact "rtos: power pd_camera on, read back" "$BM_R power pd_camera set on got on rc=0\$"
expect_fact "rtos: POWER_STATE_CHANGED notification for pd_camera on" \
	"$BM_R notify power pd_camera state on after [0-9]+ ms\$"
expect_fact "rtos: power pd_camera off, read back" "$BM_R power pd_camera set off got off rc=0\$"
expect_fact "rtos: reset rst_camera" "$BM_R reset rst_camera autonomous( async)? rc=0\$"
expect_fact "rtos: perf cpu_little level readable" "$BM_R perf cpu_little level [0-9]+ rc=0\$"
expect_fact "rtos: perf cpu_little level set DENIED (read-only)" \
	"$BM_R perf cpu_little set [0-9]+ rc=-13 denied\$"
expect_fact "rtos: a clock it was not given is NOT_FOUND" "$BM_R clock id [0-9]+ rate get rc=-2 not-found\$"
expect_fact "rtos: sensor board_thermal reads 25..35 C" \
	"$BM_R sensor board_thermal reading (2[5-9][0-9]{3}|3[0-4][0-9]{3}|35000) rc=0\$"
expect_fact "rtos: trip-point notification from test_ramp at 40 C" \
	"$BM_R notify sensor test_ramp trip 0 ascending after [0-9]+ ms\$"

# Footprint: printed, and shown here.
# bm_fact SED-EXPR: the first footprint line rewritten by SED-EXPR.
bm_fact() { sed -n "s/^\[rtos\] @@ RTOS footprint $1/p" "$TMP/log" | head -n 1; }
bm_fp=$(bm_fact 'image file=\([0-9]*\).* total=\([0-9]*\)$/image \1 B (\2 B with .bss)')
bm_hp=$(bm_fact 'heap peak=\([0-9]*\).*/heap peak \1 B')
bm_pg=$(bm_fact 'pages used=[0-9]* peak=\([0-9]*\) of=\([0-9]*\).* stack peak=\([0-9]*\).*/\1 of \2 pages, stack \3 B')
if [ -n "$bm_fp" ] && [ -n "$bm_hp" ] && [ -n "$bm_pg" ]; then
	pass "rtos: footprint: $bm_fp, $bm_hp, $bm_pg"
else
	why_grep "$BM_R footprint"
	fail "rtos: footprint" "missing footprint lines"
fi

expect_fact "rtos: naps in WFI were ended by the event-channel interrupt" \
	"$BM_R footprint idle naps=[1-9][0-9]* woken by evtchn=[1-9][0-9]* "

if grep -qE "$BM_R (FAIL|exception)" "$TMP/log"; then
	why_grep "$BM_R (FAIL|exception)|^\[rtos\]    x"
	fail "rtos: no failed step, no exception" "see the lines below"
else
	pass "rtos: no failed step, no exception"
fi
expect_fact "rtos: finished with no failure" "$BM_R finished pass=[0-9]+ fail=0 "
expect_fact "rtos: dom0 saw it finish" '^@@ rtos finished \(waited '

expect_fact "rtos: powered itself off (SCHEDOP_shutdown)" '^@@ rtos powered off$'
