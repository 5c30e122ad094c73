"""Checks of lesson chain.05, contracts on a real EVM."""

from __future__ import annotations

import numpy as np

from ..checks import equal, right, wrong


def _is_int(x) -> bool:
    return isinstance(x, (int, np.integer)) and not isinstance(x, bool)


def _out(dx, x, y, fee=True):
    return 997 * dx * y // (1000 * x + 997 * dx) if fee else dx * y // (x + dx)


def ex1(answer):
    bal = {"owner": 500, "alice": 0, "bob": 0, "carol": 0}
    bal["owner"] -= 200
    bal["alice"] += 200
    allowed = 150
    allowed -= 120
    bal["alice"] -= 120
    bal["carol"] += 120
    bal["alice"] -= 30
    bal["carol"] += 30
    if _is_int(answer) and answer == 120:
        return wrong("alice's own transfer of 30 goes to carol as well")
    if _is_int(answer) and answer == 30:
        return wrong("bob's transferFrom moves alice's tokens to carol (bob only spends the allowance)")
    return equal(answer, bal["carol"], what="carol's balance")


def ex2(answer):
    from ...chain.hashes import keccak256, sha3_256

    sig = b"transferFrom(address,address,uint256)"
    want = keccak256(sig)[:4].hex()
    if isinstance(answer, (bytes, bytearray)):
        return wrong("give the selector as a string of 8 hexadecimal digits (bytes.hex())")
    if not isinstance(answer, str):
        return wrong(f"the selector should be a string, got {type(answer).__name__}")
    a = answer.lower().removeprefix("0x")
    if a == want:
        return right()
    if a == sha3_256(sig)[:4].hex():
        return wrong("that is SHA3-256; Ethereum uses Keccak-256, which pads differently")
    if a == keccak256(sig).hex():
        return wrong("a selector is only the first 4 bytes of the hash")
    if a == keccak256(b"transferFrom(address, address, uint256)")[:4].hex():
        return wrong("the canonical signature has no spaces")
    return wrong("not the selector of transferFrom(address,address,uint256)")


def ex3(answer):
    dx, x, y = 3 * 10**18, 8 * 10**18, 2 * 10**18
    want = _out(dx, x, y)
    if _is_int(answer):
        if answer == _out(dx, x, y, fee=False):
            return wrong("without the fee; Uniswap v2 counts only 99.7% of the input")
        if answer == _out(dx, y, x):
            return wrong("the reserves are swapped: token 0 goes in, so x is the input reserve")
    return equal(answer, want, what="the output")


def ex4(answer):
    dx, x, y = 3 * 10**18, 8 * 10**18, 2 * 10**18
    single = _out(dx, x, y)
    got, xx, yy = 0, x, y
    for _ in range(3):
        o = _out(dx // 3, xx, yy)
        got, xx, yy = got + o, xx + dx // 3, yy - o
    want = single - got
    if _is_int(answer):
        if answer == -want:
            return wrong("the sign is reversed: the split trade receives less, so single minus split is positive")
        if answer == single - 3 * _out(dx // 3, x, y):
            return wrong("each piece trades against the reserves the previous piece left, not the original ones")
        if answer == 0:
            return wrong("with the fee kept in the reserves, the split trade does receive less")
    return equal(answer, want, what="the difference")


CHECKS = {1: ex1, 2: ex2, 3: ex3, 4: ex4}


def _wrong_examples():
    from ...chain.hashes import keccak256, sha3_256

    sig = b"transferFrom(address,address,uint256)"
    dx, x, y = 3 * 10**18, 8 * 10**18, 2 * 10**18
    single = _out(dx, x, y)
    return {
        1: [(120, {}), (30, {}), ("150", {})],
        2: [(sha3_256(sig)[:4].hex(), {}), (keccak256(sig).hex(), {}), (keccak256(sig)[:4], {})],
        3: [(_out(dx, x, y, fee=False), {}), (_out(dx, y, x), {}), (float(_out(dx, x, y)), {})],
        4: [(0, {}), (single - 3 * _out(dx // 3, x, y), {}), (-1, {})],
    }


WRONG = _wrong_examples
