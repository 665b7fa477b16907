#!/bin/sh
# SPDX-License-Identifier: MIT
# Integration test of vscmi-dtgen (tools/vscmi-dtgen): the partial device
# tree for a Linux guest from a vscmi-backd config. The blob is checked
# with libfdt's own reader (fdtget/dtc, device-tree-compiler) when
# installed, and always through the tool's --dts output. Prints
# "ok NAME" / "not ok NAME".
set -u
: "${O:=build}"
G=$O/bin/vscmi-dtgen
[ -x "$G" ] || { echo "not ok dtgen-binary ($G missing)"; exit 1; }
d=$(mktemp -d /tmp/dtgen-XXXXXX)
trap 'rm -rf "$d"' EXIT
failed=0
ok() { echo "ok $1"; }
nok() { echo "not ok $1${2:+ ($2)}"; failed=1; }
# check NAME COMMAND...: ok when the command succeeds
check() {
	n=$1
	shift
	if "$@" >/dev/null 2>&1; then ok "$n"; else nok "$n"; fi
}
# same NAME GOT WANT
same() { if [ "$2" = "$3" ]; then ok "$1"; else nok "$1" "got '$2', want '$3'"; fi; }
# status NAME WANT COMMAND...: the command's exit status is WANT
status() {
	n=$1 w=$2
	shift 2
	"$@" >"$d/out" 2>"$d/err"
	same "$n" "$?" "$w"
}

cat >"$d/t.cfg" <<'CFG'
vendor = "vscmi"
clocks = [ "name=cam_mclk,rates=24M|27M,rate=24M", "name=pll,rates=100M,rate=100M" ]
power_domains = [ "name=pd_camera,state=off" ]
perf_domains = [ "name=cpu,opps=400M:60mW:100us|800M:130mW:120us,level=400M" ]
sensors = [ "name=board_thermal,type=celsius,scale=-3,source=const:30000" ]
resets = [ "name=rst_camera" ]
voltages = [ "name=vdd_a,levels=600mV-1000mV/10mV,level=800mV", "name=vdd_b,levels=900mV,level=900mV" ]
agents = [ "name=full,domain=guest-full", "name=clk,domain=guest-clk" ]
agent_full = [ "clock:pll:ro", "clock:cam_mclk", "power:pd_camera", "perf:cpu",
	"sensor:board_thermal", "reset:rst_camera", "voltage:vdd_b", "voltage:vdd_a:ro" ]
agent_clk = [ "clock:cam_mclk" ]
CFG

status help 0 "$G" --help
check help-text grep -q '^Usage: vscmi-dtgen' "$d/out"
status usage-no-agent 2 "$G" --config "$d/t.cfg" --dts
status usage-no-output 2 "$G" --config "$d/t.cfg" --agent full
status unknown-agent 1 "$G" --config "$d/t.cfg" --agent nobody --dts
check unknown-agent-message grep -q "no agent or domain named .nobody'" "$d/err"
printf 'clocks = [ "name=x,rates=oops" ]\n' >"$d/bad.cfg"
status bad-config 1 "$G" --config "$d/bad.cfg" --agent full --dts
check bad-config-message grep -q 'bad.cfg:' "$d/err"
status unwritable-output 3 "$G" --config "$d/t.cfg" --agent full --output "$d/no/such/dir.dtb"

status full-dtb 0 "$G" --config "$d/t.cfg" --agent full --output "$d/full.dtb"
status by-domain-name 0 "$G" --config "$d/t.cfg" --agent guest-full --output "$d/full2.dtb"
check domain-name-same-tree cmp -s "$d/full.dtb" "$d/full2.dtb"
same dtb-magic "$(od -An -tx1 -N4 "$d/full.dtb" | tr -d ' ')" d00dfeed
status full-dts 0 "$G" --config "$d/t.cfg" --agent full --dts
cp "$d/out" "$d/full.dts"
status clk-dtb 0 "$G" --config "$d/t.cfg" --agent clk --output "$d/clk.dtb" --dts
cp "$d/out" "$d/clk.dts"

# The tree as the tool prints it: node and property lines.
want_full='/ { #address-cells = <0x2>; #size-cells = <0x2>; passthrough {
compatible = "simple-bus"; ranges; #address-cells = <0x2>; #size-cells = <0x2>;
scmi { compatible = "arm,scmi-virtio"; #address-cells = <0x1>; #size-cells = <0x0>;
protocol@11 { reg = <0x11>; #power-domain-cells = <0x1>; };
protocol@13 { reg = <0x13>; #clock-cells = <0x1>; };
protocol@14 { reg = <0x14>; #clock-cells = <0x1>; };
protocol@15 { reg = <0x15>; #thermal-sensor-cells = <0x1>; };
protocol@16 { reg = <0x16>; #reset-cells = <0x1>; };
protocol@17 { reg = <0x17>; regulators { #address-cells = <0x1>; #size-cells = <0x0>;
regulator@0 { reg = <0x0>; regulator-name = "vdd_b"; };
regulator@1 { reg = <0x1>; regulator-name = "vdd_a"; }; }; }; }; }; };'
flat() { grep -v -e '^/dts-v1/;' -e '^/\*' -e '^$' "$1" | sed 's/^ *//' | tr '\n' ' ' | sed 's/ *$//'; }
same dts-full-agent "$(flat "$d/full.dts")" "$(echo "$want_full" | tr "\n" " " | sed "s/ *$//")"
check dts-clk-agent-has-clock grep -q 'protocol@14' "$d/clk.dts"
if grep -qE 'protocol@1[1356789]' "$d/clk.dts"; then
	nok dts-clk-agent-only-clock "$(grep protocol@ "$d/clk.dts" | tr -d '\n')"
else
	ok dts-clk-agent-only-clock
fi

# The blob through libfdt's tools, when installed.
if command -v fdtget >/dev/null 2>&1 && command -v dtc >/dev/null 2>&1; then
	same fdt-passthrough-compatible "$(fdtget "$d/full.dtb" /passthrough compatible)" simple-bus
	same fdt-scmi-compatible "$(fdtget "$d/full.dtb" /passthrough/scmi compatible)" arm,scmi-virtio
	same fdt-clock-reg "$(fdtget -t x "$d/full.dtb" /passthrough/scmi/protocol@14 reg)" 14
	same fdt-clock-cells "$(fdtget "$d/full.dtb" /passthrough/scmi/protocol@14 '#clock-cells')" 1
	same fdt-reset-cells "$(fdtget "$d/full.dtb" /passthrough/scmi/protocol@16 '#reset-cells')" 1
	same fdt-regulator-1 "$(fdtget "$d/full.dtb" /passthrough/scmi/protocol@17/regulators/regulator@1 regulator-name)" vdd_a
	same fdt-clk-agent-protocols "$(fdtget -l "$d/clk.dtb" /passthrough/scmi | tr '\n' ' ')" "protocol@14 "
	# dtc reads our --dts text back into the very same tree.
	check dtc-reads-dts dtc -q -I dts -O dtb -o "$d/re.dtb" "$d/full.dts"
	dtc -q -I dtb -O dts "$d/full.dtb" >"$d/a.dts" 2>/dev/null
	dtc -q -I dtb -O dts "$d/re.dtb" >"$d/b.dts" 2>/dev/null
	check dts-matches-dtb cmp -s "$d/a.dts" "$d/b.dts"
else
	echo "# fdtget/dtc not installed (device-tree-compiler): blob checks skipped"
fi
exit $failed
