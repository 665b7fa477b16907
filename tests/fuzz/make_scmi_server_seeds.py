#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Seeds for fuzz_scmi_server: command streams that walk every message of
# every protocol against the demo config (record format in the target).
import os
import struct
import sys

out = sys.argv[1] if len(sys.argv) > 1 else "tests/fuzz/corpus/scmi_server"
os.makedirs(out, exist_ok=True)

def rec(agent, proto, msg, words=(), advance=0, reconnect=False, room=0):
    ctl = agent | (2 if advance else 0) | (4 if reconnect else 0) | (room << 4)
    payload = b"".join(struct.pack("<I", w & 0xffffffff) for w in words)
    b1 = advance if advance else (proto - 0x10)
    if advance:
        # advance uses byte 1 as milliseconds: send a no-op first
        return bytes([ctl, advance, 0, 0]) + rec(agent, proto, msg, words)
    return bytes([ctl, b1, msg, len(payload)]) + payload

P = dict(base=0x10, power=0x11, system=0x12, perf=0x13, clock=0x14,
         sensor=0x15, reset=0x16, voltage=0x17, powercap=0x18, pinctrl=0x19)

streams = {
    "base": [rec(0, P["base"], m) for m in (0, 1, 3, 4, 5)] +
            [rec(0, P["base"], 2, [6]), rec(0, P["base"], 6, [0]), rec(0, P["base"], 7, [0xffffffff]),
             rec(1, P["base"], 7, [1]), rec(0, P["base"], 8, [1]),
             rec(1, P["base"], 9, [1, 0, 0]), rec(0, P["clock"], 3, [0]),
             rec(1, P["base"], 10, [1, 1, 0x11, 0]), rec(1, P["base"], 11, [1, 1]),
             rec(0, P["base"], 0x10, [0x20001])],
    "power": [rec(0, P["power"], 1), rec(0, P["power"], 3, [2]), rec(1, P["power"], 6, [0, 1]),
              rec(1, P["power"], 7, [0, 1]), rec(0, P["power"], 4, [0, 1, 0]),
              rec(0, P["power"], 4, [1, 2, 0]), rec(0, P["power"], 5, [2], advance=6),
              rec(0, P["power"], 8, [1])],
    "system": [rec(0, P["system"], 1), rec(0, P["system"], 5, [1]), rec(1, P["system"], 3, [1, 2]),
               rec(0, P["system"], 4)],
    "perf": [rec(0, P["perf"], 1), rec(0, P["perf"], 3, [0]), rec(0, P["perf"], 4, [0, 0]),
             rec(0, P["perf"], 4, [0, 2], room=4), rec(0, P["perf"], 9, [0, 1]), rec(0, P["perf"], 10, [0, 1]),
             rec(0, P["perf"], 5, [0, 1800000, 600000]), rec(0, P["perf"], 6, [0]),
             rec(0, P["perf"], 7, [0, 1200000]), rec(0, P["perf"], 8, [0]), rec(0, P["perf"], 11, [0, 7]),
             rec(0, P["perf"], 12, [1]), rec(0, P["perf"], 0x10, [0x30000]), rec(0, P["perf"], 4, [0, 0])],
    "clock": [rec(0, P["clock"], 1), rec(0, P["clock"], 3, [0]), rec(0, P["clock"], 4, [0, 0]),
              rec(0, P["clock"], 4, [1, 0]), rec(0, P["clock"], 9, [0, 1]), rec(0, P["clock"], 10, [0, 1]),
              rec(0, P["clock"], 5, [1, 0, 800000000, 0]), rec(0, P["clock"], 6, [0], advance=1),
              rec(0, P["clock"], 5, [4, 0, 500000000, 0]), rec(0, P["clock"], 7, [2, 1, 0]),
              rec(1, P["clock"], 7, [0, 1, 0]), rec(0, P["clock"], 11, [2, 0]), rec(0, P["clock"], 8, [3]),
              rec(0, P["clock"], 12, [0, 0]), rec(0, P["clock"], 13, [0, 1]), rec(0, P["clock"], 14, [0]),
              rec(0, P["clock"], 15, [1]), rec(0, P["clock"], 7, [2, 0, 0], reconnect=True)],
    "sensor": [rec(0, P["sensor"], 1), rec(0, P["sensor"], 3, [0]), rec(0, P["sensor"], 3, [1], room=6),
               rec(0, P["sensor"], 5, [0, 0x11, 60000, 0]), rec(0, P["sensor"], 4, [0, 1]),
               rec(0, P["sensor"], 11, [2, 1]), rec(0, P["sensor"], 6, [2, 0]), rec(0, P["sensor"], 6, [1, 1]),
               rec(0, P["sensor"], 7, [2, 0]), rec(0, P["sensor"], 8, [1, 0]), rec(0, P["sensor"], 8, [0, 0]),
               rec(0, P["sensor"], 9, [0]), rec(0, P["sensor"], 10, [2, (1 << 16) | (0x1e << 11) | 3]),
               rec(0, P["sensor"], 12, [0]), rec(0, P["sensor"], 13, [2, 0]),
               rec(0, P["sensor"], 9, [0], advance=250), rec(0, P["sensor"], 9, [0], advance=250)],
    "reset": [rec(0, P["reset"], 1), rec(0, P["reset"], 3, [1]), rec(1, P["reset"], 5, [0, 1]),
              rec(0, P["reset"], 4, [0, 2, 0]), rec(1, P["reset"], 4, [0, 2, 0]), rec(0, P["reset"], 4, [0, 0, 0]),
              rec(0, P["reset"], 4, [0, 1, 0]), rec(0, P["reset"], 4, [1, 5, 0]), rec(0, P["reset"], 6, [1], advance=5)],
    "voltage": [rec(0, P["voltage"], 1), rec(0, P["voltage"], 3, [0]), rec(0, P["voltage"], 4, [0, 0]),
                rec(0, P["voltage"], 5, [0, 0]), rec(0, P["voltage"], 6, [0]), rec(0, P["voltage"], 7, [0, 0, 900000]),
                rec(0, P["voltage"], 8, [0]), rec(0, P["voltage"], 9, [0])],
    "powercap": [rec(0, P["powercap"], 1), rec(0, P["powercap"], 3, [0]), rec(1, P["powercap"], 10, [0, 1]),
                 rec(0, P["powercap"], 4, [0]), rec(0, P["powercap"], 5, [0, 0, 8000]),
                 rec(0, P["powercap"], 5, [0, 2, 6000]), rec(0, P["powercap"], 6, [0]),
                 rec(0, P["powercap"], 7, [0, 0, 20000]), rec(0, P["powercap"], 8, [0]),
                 rec(0, P["powercap"], 9, [0]), rec(0, P["powercap"], 11, [0, 1, 0, 0]),
                 rec(0, P["powercap"], 12, [0, 5]), rec(0, P["powercap"], 4, [0], advance=200)],
    "pinctrl": [rec(0, P["pinctrl"], 1), rec(0, P["pinctrl"], 3, [0, 1]), rec(0, P["pinctrl"], 4, [0, 1, 0]),
                rec(0, P["pinctrl"], 4, [0, 2, 0]), rec(0, P["pinctrl"], 6, [0, 0, (1 << 10) | (1 << 2) | 1, 4, 1]),
                rec(0, P["pinctrl"], 5, [0, 1 << 18]), rec(0, P["pinctrl"], 5, [1, 10]),
                rec(0, P["pinctrl"], 7, [0, 1]), rec(0, P["pinctrl"], 8, [0, 1]), rec(0, P["pinctrl"], 9, [0, 2]),
                rec(1, P["pinctrl"], 10, [1, 0, 4]), rec(1, P["pinctrl"], 7, [2, 0])],
}
for name, recs in streams.items():
    with open(os.path.join(out, "seed-" + name), "wb") as f:
        f.write(b"".join(recs))
with open(os.path.join(out, "seed-all"), "wb") as f:
    f.write(b"".join(b"".join(r) for r in streams.values()))
