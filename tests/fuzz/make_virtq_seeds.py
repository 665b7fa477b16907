#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Write the hand-made seed inputs of the virtqueue fuzz targets.

Each seed is a small scenario in the input format documented at the top of
tests/fuzz/fuzz_virtq_device.c and tests/fuzz/fuzz_virtq_driver.c: valid
traffic (so the fuzzer starts from deep states) and one example of each
violation. Run from the repository root; files are named seed-<what>.
"""
import os
import struct

BASE = 0x100000
AVAIL, USED, RD, WR = 0x100, 0x140, 0x200, 0x1000
NEXT, WRITE, INDIRECT = 1, 2, 4


def desc(addr, length, flags=0, nxt=0):
    return struct.pack('<QIHH', addr, length, flags, nxt)


class Image:
    """Guest memory image for the device target."""

    def __init__(self, size=0x240):
        self.b = bytearray(size)

    def put(self, off, data):
        self.b[off:off + len(data)] = data

    def desc(self, i, *a, table=0):
        self.put(table + 16 * i, desc(*a))

    def avail(self, idx, ring, flags=0):
        self.put(AVAIL, struct.pack('<HH', flags, idx))
        for k, h in enumerate(ring):
            self.put(AVAIL + 4 + 2 * k, struct.pack('<H', h))


def device_seed(cfg, start, img, ops=b''):
    n = (len(img.b) + 15) // 16
    data = bytes(img.b) + bytes(16 * n - len(img.b))
    return bytes([cfg]) + struct.pack('<H', start) + bytes([n]) + data + ops


# device ops: 0 pop, 1 push (odd high bits: full length), 2 avail idx,
# 3 avail ring entry, 4 poke, 5 need_interrupt, 6 enable, 7 disable
def device_seeds():
    s = {}
    # 8 entries (cfg bits 0-1 = 2), one request/response chain.
    img = Image()
    img.desc(0, BASE + RD, 16, NEXT, 1)
    img.desc(1, BASE + WR, 32, WRITE)
    img.avail(1, [0])
    ops = bytes([0, 9, 5, 6, 0])
    s['req-resp'] = device_seed(2, 0, img, ops)
    s['req-resp-event-idx'] = device_seed(2 | 4, 0, img, ops + bytes([7, 5]))
    s['req-resp-size2'] = device_seed(0, 0, img, ops)
    s['req-resp-size16'] = device_seed(3, 0, img, ops)
    s['byte-limit'] = device_seed(2 | 0x10, 0, img, ops)
    # Several chains, out-of-order pushes, driver keeps adding.
    img = Image()
    for k in range(4):
        img.desc(2 * k, BASE + RD + 32 * k, 8 + k, NEXT, 2 * k + 1)
        img.desc(2 * k + 1, BASE + WR + 64 * k, 64, WRITE)
    img.avail(3, [0, 2, 4])
    ops = bytes([0, 0, 1, 0, 9, 1, 5, 3, 3]) + struct.pack('<H', 6) + \
        bytes([2]) + struct.pack('<H', 4) + bytes([0, 9, 5, 6])
    s['multi'] = device_seed(2 | 4, 0, img, ops)
    # Across the index wrap.
    img.avail(2, [0, 2, 4, 6, 0, 0, 0, 0])
    img.put(AVAIL + 4 + 2 * 7, struct.pack('<H', 6))
    img.put(AVAIL + 4 + 2 * 6, struct.pack('<H', 4))
    img.put(AVAIL + 4 + 2 * 0, struct.pack('<H', 2))
    img.put(AVAIL + 4 + 2 * 1, struct.pack('<H', 0))
    s['wrap'] = device_seed(2 | 4, 65534, img, bytes([0, 0, 0, 0, 1, 1, 1, 1, 5]))
    # Indirect table at RD: readable, then writable.
    img = Image(0x280)
    img.desc(0, BASE + 0x240, 48, INDIRECT)
    img.put(0x240, desc(BASE + RD, 8, NEXT, 1) + desc(BASE + WR, 8, WRITE | NEXT, 2) +
            desc(BASE + WR + 8, 8, WRITE))
    img.avail(1, [0])
    s['indirect'] = device_seed(2 | 8, 0, img, bytes([0, 9, 5]))
    s['indirect-not-negotiated'] = device_seed(2, 0, img, bytes([0]))
    # Violations, one each.
    def one(name, build, cfg=2):
        im = Image(0x280)
        build(im)
        s[name] = device_seed(cfg, 0, im, bytes([0, 9, 0]))
    one('bad-head', lambda im: im.avail(1, [9]))
    one('bad-next', lambda im: (im.desc(0, BASE + RD, 4, NEXT, 8), im.avail(1, [0])))
    one('loop', lambda im: (im.desc(0, BASE + RD, 4, NEXT, 1),
                            im.desc(1, BASE + RD, 4, NEXT, 0), im.avail(1, [0])))
    one('zero-len', lambda im: (im.desc(0, BASE + RD, 0), im.avail(1, [0])))
    one('read-after-write', lambda im: (im.desc(0, BASE + WR, 4, WRITE | NEXT, 1),
                                        im.desc(1, BASE + RD, 4), im.avail(1, [0])))
    one('addr-overflow', lambda im: (im.desc(0, 2**64 - 8, 64), im.avail(1, [0])))
    one('write-readonly', lambda im: (im.desc(0, BASE + RD, 4, WRITE), im.avail(1, [0])))
    one('unmapped', lambda im: (im.desc(0, 0x1234, 4), im.avail(1, [0])))
    one('avail-jump', lambda im: im.avail(40, [0]))
    one('head-twice', lambda im: (im.desc(0, BASE + RD, 4), im.avail(2, [0, 0])))
    one('len-overflow', lambda im: (im.desc(0, BASE + RD, 0x80000000, NEXT, 1),
                                    im.desc(1, BASE + WR, 0x80000000, WRITE),
                                    im.avail(1, [0])))
    one('indirect-nested', lambda im: (im.desc(0, BASE + 0x240, 16, INDIRECT),
                                       im.put(0x240, desc(BASE + 0x240, 16, INDIRECT)),
                                       im.avail(1, [0])), cfg=2 | 8)
    one('indirect-loop', lambda im: (im.desc(0, BASE + 0x240, 32, INDIRECT),
                                     im.put(0x240, desc(BASE + RD, 4, NEXT, 1) +
                                            desc(BASE + RD, 4, NEXT, 0)),
                                     im.avail(1, [0])), cfg=2 | 8)
    one('indirect-badlen', lambda im: (im.desc(0, BASE + 0x240, 20, INDIRECT),
                                       im.avail(1, [0])), cfg=2 | 8)
    # A driver scribbling over a descriptor after publishing it.
    img = Image()
    img.desc(0, BASE + RD, 16, NEXT, 1)
    img.desc(1, BASE + WR, 32, WRITE)
    img.avail(1, [0])
    poke = bytes([4]) + struct.pack('<H', 16) + bytes([16]) + desc(BASE + RD, 8, NEXT, 1)
    s['scribble'] = device_seed(2, 0, img, poke + bytes([0, 9]))
    return s


# driver ops: 0 add(b, then off/len per segment), 1 used elem(slot, id, len),
# 2 used idx, 3 used idx++, 4 get_buf, 5 kick, 6 disable_cb,
# 7 enable_cb_prepare+poll, 8 enable_cb, 9 interrupt, 10 avail_event,
# 11 used flags, 12 honest device (26: with a length), 13 reset
def add(nout, nin, segs):
    b = bytes([0, nout | nin << 2])
    for off, ln in segs:
        b += bytes([off, ln])
    return b


def honest(length=None):
    if length is None:
        return bytes([12])
    return bytes([26]) + struct.pack('<I', length)


def used_elem(slot, id_, ln):
    return bytes([1, slot]) + struct.pack('<II', id_, ln)


def driver_seed(cfg, start, ops):
    return bytes([cfg]) + struct.pack('<H', start) + b'\0' + ops


def driver_seeds():
    s = {}
    rr = add(1, 1, [(0, 16), (64, 100)])
    s['one'] = driver_seed(2, 0, rr + bytes([5]) + honest(20) + bytes([9, 4]))
    s['one-event-idx'] = driver_seed(2 | 4, 0, rr + bytes([5]) + honest(20) +
                                     bytes([7, 4, 8]))
    s['split'] = driver_seed(2 | 8, 0, add(2, 2, [(1, 150), (100, 90), (150, 200),
                                                  (200, 10)]) + bytes([5]) +
                             honest(500) + bytes([4]))
    many = b''.join(rr for _ in range(6)) + bytes([5])
    many += b''.join(honest(k) for k in range(6)) + bytes([4] * 6)
    s['full'] = driver_seed(3, 0, many + rr * 9)
    s['wrap'] = driver_seed(1 | 4, 65533, (rr + bytes([5]) + honest(3) + bytes([4])) * 6)
    s['poll'] = driver_seed(2 | 4, 0, bytes([6]) + rr + rr + bytes([5, 7]) + honest(1) +
                            bytes([7, 8, 4, 8, 4]))
    s['suppress'] = driver_seed(2, 0, bytes([11, 1]) + rr + bytes([5, 11, 0]) + rr +
                                bytes([5, 10, 0, 0]))
    s['reset'] = driver_seed(2, 0, rr + rr + rr + bytes([5]) + honest(4) + bytes([13]))
    # Hostile used rings.
    s['id-range'] = driver_seed(2, 0, rr + used_elem(0, 200, 1) + bytes([3, 4, 4]))
    s['id-middle'] = driver_seed(2, 0, rr + used_elem(0, 1, 1) + bytes([3, 4]))
    s['id-free'] = driver_seed(2, 0, rr + used_elem(0, 5, 1) + bytes([3, 4]))
    s['twice'] = driver_seed(2, 0, rr + rr + honest(1) + bytes([4]) +
                             used_elem(1, 0, 1) + bytes([3, 4, 4]))
    s['len-huge'] = driver_seed(2, 0, rr + used_elem(0, 0, 0xffffffff) + bytes([3, 4]))
    s['idx-jump'] = driver_seed(2, 0, rr + bytes([2]) + struct.pack('<H', 40) +
                                bytes([4, 9, 7]))
    s['idx-back'] = driver_seed(2 | 4, 100, rr + bytes([2]) + struct.pack('<H', 99) +
                                bytes([4]))
    s['map-fails'] = driver_seed(2 | 8, 0, add(1, 1, [(0, 150), (64, 150)])[:1] +
                                 bytes([0x80 | 0x10 | 1 | 4]) + bytes([0, 150, 64, 150]) +
                                 rr + bytes([5]) + honest(1) + bytes([4]))
    s['out-only'] = driver_seed(2, 0, add(1, 0, [(0, 10)]) + used_elem(0, 0, 50) +
                                bytes([3, 4]))
    return s


def write(dirname, seeds):
    os.makedirs(dirname, exist_ok=True)
    for name, data in seeds.items():
        with open(os.path.join(dirname, 'seed-' + name), 'wb') as f:
            f.write(data)


if __name__ == '__main__':
    write('tests/fuzz/corpus/virtq_device', device_seeds())
    write('tests/fuzz/corpus/virtq_driver', driver_seeds())
