"""Checks of lesson chain.01, hashes, keys and signatures."""

from __future__ import annotations

import hashlib

import numpy as np

from ..checks import equal, right, wrong

# secp256k1 (SEC 2), written out here so that the checks do not depend on the package's constants
_P = 2**256 - 2**32 - 977
_N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141
_G = (
    0x79BE667EF9DCBBAC55A06295CE870B07029BFCDB2DCE28D959F2815B16F81798,
    0x483ADA7726A3C4655DA4FBFC0E1108A8FD17B448A68554199C47D08FFB10D4B8,
)
_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def _add(a, b):
    if a is None:
        return b
    if b is None:
        return a
    if a[0] == b[0] and (a[1] + b[1]) % _P == 0:
        return None
    if a == b:
        lam = 3 * a[0] * a[0] * pow(2 * a[1], -1, _P) % _P
    else:
        lam = (b[1] - a[1]) * pow(b[0] - a[0], -1, _P) % _P
    x = (lam * lam - a[0] - b[0]) % _P
    return x, (lam * (a[0] - x) - a[1]) % _P


def _mul(k, point=_G):
    out = None
    while k:
        if k & 1:
            out = _add(out, point)
        point = _add(point, point)
        k >>= 1
    return out


def _pushes(script: bytes) -> list[bytes]:
    out, pos = [], 0
    while pos < len(script):
        ln = script[pos]
        out.append(script[pos + 1 : pos + 1 + ln])
        pos += 1 + ln
    return out


def _input_pushes(t: int) -> list[bytes]:
    from ...chain.bitcoin import _blocks_json

    raw = bytes.fromhex(_blocks_json()["100000"]["raw"])
    # parse just enough: header (80), tx count (1 byte), then legacy transactions one after another
    pos, txs = 81, []
    for _ in range(raw[80]):
        start = pos
        pos += 4
        n_in = raw[pos]
        pos += 1
        scripts = []
        for _ in range(n_in):
            pos += 36
            ln = raw[pos]
            scripts.append(raw[pos + 1 : pos + 1 + ln])
            pos += 1 + ln + 4
        n_out = raw[pos]
        pos += 1
        for _ in range(n_out):
            pos += 8
            pos += 1 + raw[pos]
        pos += 4
        txs.append((raw[start:pos], scripts))
    return _pushes(txs[t][1][0])


def _der_s(der: bytes) -> int:
    rlen = der[3]
    slen = der[5 + rlen]
    return int.from_bytes(der[6 + rlen : 6 + rlen + slen], "big")


def ex1(answer):
    a = hashlib.sha256(b"block 100000").digest()
    b = hashlib.sha256(b"block 100001").digest()
    want = int.from_bytes(bytes(x ^ y for x, y in zip(a, b)), "big").bit_count()
    if isinstance(answer, (int, np.integer)) and not isinstance(answer, bool):
        hexdiff = sum(x != y for x, y in zip(a.hex(), b.hex()))
        bytediff = sum(x != y for x, y in zip(a, b))
        if answer != want and answer == bytediff:
            return wrong("that is the number of differing bytes; count the differing bits (XOR, then count ones)")
        if answer != want and answer == hexdiff:
            return wrong("that is the number of differing hex digits; count the differing bits")
    return equal(answer, want, what="the number of differing bits")


def ex2(answer):
    s = _der_s(_input_pushes(3)[0][:-1])
    if isinstance(answer, (int, np.integer)) and not isinstance(answer, bool) and int(answer) == s:
        return wrong("this is the signature's own, high s; give the s of its twin")
    fb = equal(answer, _N - s, what="the twin's s")
    if not fb.ok and isinstance(answer, (int, np.integer)) and not isinstance(answer, bool) and answer > _N // 2:
        return wrong("a low-S value is at most n/2; this one is above")
    return fb


def ex3(answer):
    p = 97
    want = 1 + sum((y * y - x**3 - 7) % p == 0 for x in range(p) for y in range(p))
    if isinstance(answer, (int, np.integer)) and not isinstance(answer, bool) and answer == want - 1:
        return wrong("one short: the group also contains the point at infinity")
    return equal(answer, want, what="the group's size")


def _b58check(payload: bytes) -> str:
    data = payload + hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4]
    n, out = int.from_bytes(data, "big"), ""
    while n:
        n, r = divmod(n, 58)
        out = _B58[r] + out
    return "1" * (len(data) - len(data.lstrip(b"\x00"))) + out


def ex4(answer):
    from ...chain.hashes import ripemd160

    pub = _input_pushes(2)[1]
    want = _b58check(b"\x00" + ripemd160(hashlib.sha256(pub).digest()))
    if not isinstance(answer, str):
        return wrong(f"an address is a string, got {type(answer).__name__}")
    if answer == want:
        return right()
    x, y = int.from_bytes(pub[1:33], "big"), int.from_bytes(pub[33:], "big")
    compressed = bytes([2 + (y & 1)]) + x.to_bytes(32, "big")
    if answer == _b58check(b"\x00" + ripemd160(hashlib.sha256(compressed).digest())):
        return wrong("this is the address of the compressed encoding; the key was pushed uncompressed (65 bytes)")
    if answer == _b58check(b"\x00" + hashlib.sha256(pub).digest()[:20]):
        return wrong("hash160 is RIPEMD-160 of the SHA-256 digest, not the SHA-256 digest cut to 20 bytes")
    if not answer.startswith("1"):
        return wrong("a mainnet P2PKH address starts with 1 (the version byte 00)")
    return wrong("not the address of that key; check the input you took and the four steps of section 4")


def ex5(answer, seed=0):
    if not callable(answer):
        return wrong(f"the answer should be a function key_from_reuse(z1, s1, z2, s2, r), got {type(answer).__name__}")
    rng = np.random.default_rng(seed)
    for _ in range(3):
        d = int.from_bytes(rng.bytes(32), "big") % (_N - 1) + 1
        k = int.from_bytes(rng.bytes(32), "big") % (_N - 1) + 1
        z1 = int.from_bytes(hashlib.sha256(rng.bytes(16)).digest(), "big")
        z2 = int.from_bytes(hashlib.sha256(rng.bytes(16)).digest(), "big")
        r = _mul(k)[0] % _N
        s1 = pow(k, -1, _N) * (z1 + r * d) % _N
        s2 = pow(k, -1, _N) * (z2 + r * d) % _N
        got = answer(z1, s1, z2, s2, r)
        if not isinstance(got, (int, np.integer)) or isinstance(got, bool):
            return wrong(f"the function should return an integer, got {type(got).__name__}")
        got = int(got)
        if got == d:
            continue
        if got % _N == d:
            return wrong("right modulo n, but reduce the key into [1, n)")
        if got == k or got % _N == k:
            return wrong("this is the nonce k; one more step gives d from s1 k = z1 + r d")
        return wrong("the function does not return the signer's key on a random example")
    return right("it recovers the key of 3 random signers")


CHECKS = {1: ex1, 2: ex2, 3: ex3, 4: ex4, 5: ex5}


def _wrong_examples():
    a = hashlib.sha256(b"block 100000").digest()
    b = hashlib.sha256(b"block 100001").digest()
    s = _der_s(_input_pushes(3)[0][:-1])
    pub = _input_pushes(2)[1]
    x, y = int.from_bytes(pub[1:33], "big"), int.from_bytes(pub[33:], "big")
    compressed = bytes([2 + (y & 1)]) + x.to_bytes(32, "big")
    from ...chain.hashes import ripemd160

    def nonce_only(z1, s1, z2, s2, r):
        return (z1 - z2) * pow(s1 - s2, -1, _N) % _N

    return {
        1: [(sum(x != y for x, y in zip(a, b)), {}), (128, {}), (sum(x != y for x, y in zip(a.hex(), b.hex())), {})],
        2: [(s, {}), (_N // 2 - s % (_N // 2), {}), (str(_N - s), {})],
        3: [(78, {}), (97, {})],
        4: [
            (_b58check(b"\x00" + ripemd160(hashlib.sha256(compressed).digest())), {}),
            (_b58check(b"\x00" + hashlib.sha256(pub).digest()[:20]), {}),
            (pub.hex(), {}),
        ],
        5: [(nonce_only, {}), (lambda z1, s1, z2, s2, r: 1, {}), (42, {})],
    }


WRONG = _wrong_examples
