#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Writes the seed corpus of fuzz_scmi_core (tests/fuzz/corpus/scmi_core/).
# Format: see the comment at the top of tests/fuzz/fuzz_scmi_core.c.
import os
import random
import struct

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus", "scmi_core")


def le32(v):
    return struct.pack("<I", v & 0xFFFFFFFF)


def hdr(msg, typ, proto, token):
    return le32(msg | typ << 8 | proto << 10 | token << 18)


def built(p2a=False, typ=0, tok_xor=0, payload=b""):
    kind = 2 | (1 if p2a else 0) | typ << 2 | tok_xor << 4
    return bytes([kind, len(payload)]) + payload


def raw(p2a, data):
    return bytes([1 if p2a else 0, len(data)]) + data


END = b"\xff"
seeds = {
    "sync_ok": b"\x00" + b"\x14\x06\x08" + built(payload=le32(0) + le32(1000) + le32(0)) + END,
    "sync_error": b"\x00" + b"\x14\x06\x08" + built(payload=le32(-3)) + END,
    "wrong_token_then_ok": b"\x00" + b"\x14\x06\x08"
    + built(tok_xor=1, payload=le32(0) + le32(5) + le32(0))
    + built(payload=le32(0) + le32(6) + le32(0)) + END,
    "oversized": b"\x00" + b"\x14\x06\x04" + built(payload=le32(0) + bytes(40)) + END,
    "dresp_after": b"\x02" + b"\x14\x05\x0c" + built(payload=le32(0))
    + built(p2a=True, typ=2, payload=le32(0) + le32(1) + le32(2) + le32(0)) + END,
    "dresp_before": b"\x02" + b"\x14\x05\x0c"
    + built(p2a=True, typ=2, payload=le32(0) + le32(1) + le32(2) + le32(0))
    + built(payload=le32(0)) + END,
    "dresp_twice": b"\x02" + b"\x16\x04\x04" + built(payload=le32(0))
    + built(p2a=True, typ=2, payload=le32(0) + le32(1))
    + built(p2a=True, typ=2, payload=le32(0) + le32(1)) + END,
    "notifications": b"\x00" + b"\x13\x08\x04"
    + raw(True, hdr(1, 3, 0x13, 0) + le32(0) + le32(2) + le32(7))
    + raw(True, hdr(0, 3, 0x10, 0) + le32(1) + le32(3))
    + raw(True, hdr(0, 3, 0x12, 0) + le32(0) + le32(1) + le32(0) + le32(100))
    + raw(True, b"\x01\x02")
    + built(payload=le32(0) + le32(9)) + END,
    "polling": b"\x01" + b"\x14\x06\x08" + built(payload=le32(0) + le32(1) + le32(2)) + END
    + b"\x14\x06\x08" + built(tok_xor=3, payload=le32(0)) + END,
    "raw_vendor": b"\x04" + b"\x80\x01\x00" + built(payload=le32(0)) + END
    + b"\x81\x02\x10" + built(payload=le32(-1) + b"abc") + END,
    "wrong_channel": b"\x00" + b"\x15\x06\x10"
    + built(p2a=True, typ=0, payload=le32(0)) + built(typ=3, payload=le32(0))
    + built(typ=2, payload=le32(0)) + built(payload=le32(0) + bytes(16)) + END,
}
rng = random.Random(32)
seeds["random"] = bytes(rng.randrange(256) for _ in range(200))

os.makedirs(OUT, exist_ok=True)
for name, data in seeds.items():
    with open(os.path.join(OUT, "seed-" + name), "wb") as f:
        f.write(data)
print(f"{len(seeds)} seeds in {OUT}")
