"""Checks of lesson chain.02, blocks, Merkle trees and proof of work."""

from __future__ import annotations

import hashlib

import numpy as np

from ..checks import close, equal, right, wrong


def _d(data: bytes) -> bytes:
    return hashlib.sha256(hashlib.sha256(data).digest()).digest()


def _levels(leaves, duplicate=True):
    levels = [list(leaves)]
    while len(levels[-1]) > 1:
        lv = levels[-1]
        if len(lv) % 2:
            if duplicate:
                lv = lv + [lv[-1]]
            else:  # promote the lone node unchanged (a common wrong rule)
                levels.append([_d(lv[i] + lv[i + 1]) for i in range(0, len(lv) - 1, 2)] + [lv[-1]])
                continue
        levels.append([_d(lv[i] + lv[i + 1]) for i in range(0, len(lv), 2)])
    return levels


def _proof(levels, i):
    sibs = []
    for lv in levels[:-1]:
        j = i ^ 1
        sibs.append(lv[j] if j < len(lv) else lv[i])
        i >>= 1
    return sibs


def _is_int(x) -> bool:
    return isinstance(x, (int, np.integer)) and not isinstance(x, bool)


def _genesis_header() -> bytes:
    from ...chain.bitcoin import _blocks_json

    return bytes.fromhex(_blocks_json()["0"]["raw"])[:80]


def ex1(answer):
    leaves = [_d(f"tx{i}".encode()) for i in range(5)]
    want = _levels(leaves)[-1][0]
    if not isinstance(answer, (bytes, bytearray)):
        return wrong(f"the root should be 32 bytes (bytes), got {type(answer).__name__}")
    answer = bytes(answer)
    if len(answer) != 32:
        return wrong(f"a root is 32 bytes, not {len(answer)}")
    if answer == want:
        return right()
    if answer == want[::-1]:
        return wrong("the bytes are reversed: give the root in internal byte order, as sha256d returns it")
    if answer == _levels(leaves, duplicate=False)[-1][0]:
        return wrong("an odd level's last node is hashed with a copy of itself, not carried up unchanged")
    return wrong("not the root of those five leaves; check the leaves (sha256d of b'tx0' ...) and the pairing")


def ex2(answer):
    bits = 0x1A05DB8B
    e, m = bits >> 24, bits & 0xFFFFFF
    want = m << (8 * (e - 3))
    if _is_int(answer):
        if answer == m * 256**e:
            return wrong("the exponent counts bytes beyond the 3-byte mantissa: 256 ** (e - 3)")
        if answer == m << (e - 3):
            return wrong("256 ** (e - 3) shifts by whole bytes, 8 bits each")
    return equal(answer, want, what="the target")


def ex3(answer):
    from ...chain.bitcoin import _blocks_json

    bits = int.from_bytes(bytes.fromhex(_blocks_json()["0"]["raw"])[72:76], "little")
    target = (bits & 0xFFFFFF) << (8 * ((bits >> 24) - 3))
    want = 2**256 / (target + 1)
    try:
        x = float(answer)
    except (TypeError, ValueError):
        return wrong(f"the answer should be a number, got {type(answer).__name__}")
    if x == 2.0**32 and want != 2.0**32:
        return wrong("2^32 is the usual approximation (difficulty x 2^32); compute 2^256 / (T + 1) exactly")
    if abs(x - 1) < 1e-9:
        return wrong("that is the difficulty, not the expected number of hashes")
    return close(x, want, rtol=1e-6, what="the expected number of hashes")


def ex4(answer, seed=0):
    if not callable(answer):
        return wrong(
            f"the answer should be a function verify(leaf, index, siblings, root), got {type(answer).__name__}"
        )
    rng = np.random.default_rng(seed)
    for n in (1, 2, 3, 5, 8, 13):
        leaves = [_d(rng.bytes(8)) for _ in range(n)]
        levels = _levels(leaves)
        root = levels[-1][0]
        for i in range(n):
            sibs = _proof(levels, i)
            if answer(leaves[i], i, list(sibs), root) is not True:
                return wrong(f"a right proof is refused (tree of {n} leaves, leaf {i})")
            if sibs:
                bad = sibs[:-1] + [bytes([sibs[-1][0] ^ 1]) + sibs[-1][1:]]
                if answer(leaves[i], i, bad, root) is not False:
                    return wrong(f"a proof with a changed sibling is accepted (tree of {n} leaves, leaf {i})")
            if (i ^ 1) < n and answer(leaves[i], i ^ 1, list(sibs), root) is not False:
                return wrong(f"a proof is accepted at the wrong position (tree of {n} leaves, leaf {i})")
    return right("it accepts every right proof and refuses changed ones on trees of 1 to 13 leaves")


def ex5(answer):
    if not _is_int(answer) or not 0 <= answer < 2**32:
        return wrong("the nonce is an integer in [0, 2^32)")
    h = _d(_genesis_header()[:76] + int(answer).to_bytes(4, "little"))
    target = 2 ** (256 - 16)
    if int.from_bytes(h, "little") <= target:
        return right()
    if int.from_bytes(h, "big") <= target:
        return wrong("this nonce works only if the hash is read big-endian; Bitcoin reads it little-endian")
    return wrong("with this nonce the hash is above the target")


CHECKS = {1: ex1, 2: ex2, 3: ex3, 4: ex4, 5: ex5}


def _wrong_examples():
    leaves = [_d(f"tx{i}".encode()) for i in range(5)]
    bits = 0x1A05DB8B
    e, m = bits >> 24, bits & 0xFFFFFF
    prefix = _genesis_header()[:76]
    big_endian_nonce = next(
        n
        for n in range(2**32)
        if int.from_bytes(_d(prefix + n.to_bytes(4, "little")), "big") <= 2 ** (256 - 16)
        and int.from_bytes(_d(prefix + n.to_bytes(4, "little")), "little") > 2 ** (256 - 16)
    )

    def no_index(leaf, index, siblings, root):
        h = leaf
        for s in siblings:
            h = _d(h + s)
        return h == root

    return {
        1: [(_levels(leaves)[-1][0][::-1], {}), (_levels(leaves, duplicate=False)[-1][0], {}), (leaves[0], {})],
        2: [(m * 256**e, {}), (m << (e - 3), {}), (float(m << (8 * (e - 3))) * 2, {})],
        3: [(2.0**32, {}), (1.0, {}), (2.0**224, {})],
        4: [(no_index, {}), (lambda leaf, index, siblings, root: True, {}), ("verify", {})],
        5: [(0, {}), (big_endian_nonce, {}), (-1, {})],
    }


WRONG = _wrong_examples
