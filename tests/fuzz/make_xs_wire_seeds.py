#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Write the seed inputs of the xs_wire fuzz target (tests/fuzz/fuzz_xs_wire.c).

Each seed is a short session in the target's record format: a connection
selector (0, 1: dom0 A/B; 2, 3: domains 5/6), a 2-byte little-endian
length, then xs_wire bytes. One seed per request type, from dom0 and from a
guest, plus transactions, watches, special watches and a few violations.
Run from the repository root; files are named seed-<what>.
"""
import os
import struct

T = dict(CONTROL=0, DIRECTORY=1, READ=2, GET_PERMS=3, WATCH=4, UNWATCH=5,
         TRANSACTION_START=6, TRANSACTION_END=7, INTRODUCE=8, RELEASE=9,
         GET_DOMAIN_PATH=10, WRITE=11, MKDIR=12, RM=13, SET_PERMS=14,
         WATCH_EVENT=15, ERROR=16, IS_DOMAIN_INTRODUCED=17, RESUME=18,
         SET_TARGET=19, RESET_WATCHES=21, DIRECTORY_PART=22)


def msg(kind, *args, tx=0, req=1, raw=None):
    payload = raw if raw is not None else b''.join(
        (a if isinstance(a, bytes) else a.encode()) + b'\0' for a in args)
    return struct.pack('<IIII', T[kind], req, tx, len(payload)) + payload


def rec(conn, data):
    return struct.pack('<BH', conn, len(data)) + data


def seed(name, *records):
    d = 'tests/fuzz/corpus/xs_wire'
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, 'seed-' + name), 'wb') as f:
        f.write(b''.join(records))


def write(path, value, tx=0):
    return msg('WRITE', raw=path.encode() + b'\0' + value.encode(), tx=tx)


D0, D0B, G5, G6 = 0, 1, 2, 3
seed('read-write', rec(D0, write('/a/b', 'v') + msg('READ', '/a/b') +
                        msg('DIRECTORY', '/a') + msg('MKDIR', '/a/c') +
                        msg('RM', '/a/b')))
seed('guest-rel', rec(G5, write('data/x', '1') + msg('READ', 'data/x') +
                        msg('DIRECTORY', '') + msg('GET_PERMS', 'data/x')))
seed('perms', rec(D0, msg('MKDIR', '/s') + msg('SET_PERMS', '/s', 'n0', 'b5')),
     rec(G5, write('/s/g', 'x') + msg('SET_PERMS', '/s/g', 'n5', 'r6') +
         msg('SET_PERMS', '/s/g', 'n6')),
     rec(G6, msg('READ', '/s/g') + write('/s/g', 'y')))
seed('denied', rec(G5, msg('READ', '/tool') + write('/tool/x', 'y') +
                   msg('INTRODUCE', '7', '0', '3') +
                   msg('CONTROL', 'check')))
seed('watch', rec(D0, msg('WATCH', '/w', 't') + write('/w/x', '1') +
                  msg('UNWATCH', '/w', 't') + msg('RESET_WATCHES', '')))
seed('guest-watch', rec(G5, msg('WATCH', 'data', 'rel') +
                        msg('WATCH', '@releaseDomain', 'r')),
     rec(D0, write('/local/domain/5/data/z', 'q') +
         msg('SET_PERMS', '@releaseDomain', 'n0', 'r5') +
         msg('RELEASE', '6')))
seed('special', rec(D0, msg('WATCH', '@introduceDomain', 'i') +
                    msg('INTRODUCE', '7', '1', '3') +
                    msg('IS_DOMAIN_INTRODUCED', '7') +
                    msg('SET_TARGET', '7', '5') + msg('RESUME', '7') +
                    msg('RELEASE', '7') + msg('GET_DOMAIN_PATH', '7')))
seed('txn', rec(D0, msg('TRANSACTION_START', '') + write('/t/a', '1', tx=1) +
                msg('READ', '/t/a', tx=1) + msg('RM', '/t', tx=1) +
                msg('TRANSACTION_END', 'T', tx=1)))
seed('txn-conflict', rec(D0, msg('TRANSACTION_START', '') +
                         msg('READ', '/x', tx=1) + write('/y', '1', tx=1)),
     rec(D0B, write('/x', 'other')),
     rec(D0, msg('TRANSACTION_END', 'T', tx=1)))
seed('guest-txn', rec(G5, msg('TRANSACTION_START', '') +
                      write('data/a', '1', tx=1) + msg('MKDIR', 'data/b', tx=1) +
                      msg('TRANSACTION_END', 'F', tx=1) +
                      msg('TRANSACTION_START', '') +
                      msg('DIRECTORY', 'data', tx=2) +
                      msg('TRANSACTION_END', 'T', tx=2)))
seed('dirpart', rec(D0, b''.join(write('/big/n%03d' % i, '') for i in range(40)) +
                    msg('DIRECTORY_PART', '/big', '0') +
                    msg('DIRECTORY_PART', '/big', '100')))
seed('control', rec(D0, msg('CONTROL', 'help') + msg('CONTROL', 'stats') +
                    msg('CONTROL', 'freeze', '1') + msg('CONTROL', 'quota')))
seed('bad-type', rec(D0, msg('WATCH_EVENT', 'x') + msg('ERROR', 'x') +
                     struct.pack('<IIII', 99, 1, 0, 0)))
seed('too-long', rec(G6, struct.pack('<IIII', 2, 1, 0, 5000)))
seed('split', rec(D0, write('/p', 'q')[:7]), rec(G5, msg('READ', 'data')),
     rec(D0, write('/p', 'q')[7:]))
