r"""ECDSA on secp256k1 in plain Python, for reading and stepping through: **a teaching toy**.

Everything the lab validates goes through libsecp256k1 (:mod:`workbench.chain.keys`). This
module spells the same mathematics out in a few dozen lines so a student can print every
intermediate value; the tests check it against libsecp256k1 on random keys. It is slow and
not constant-time (its timing leaks the key): never use it for real keys.

The curve is :math:`y^2 = x^3 + 7` over :math:`\mathbb{F}_p`. To sign a digest :math:`z` with
key :math:`d`: pick the nonce :math:`k` (RFC 6979), :math:`R = kG`, :math:`r = R_x \bmod n`,
:math:`s = k^{-1}(z + r d) \bmod n`. To verify with :math:`Q = dG`: :math:`u_1 = z s^{-1}`,
:math:`u_2 = r s^{-1}`, accept if :math:`(u_1 G + u_2 Q)_x \equiv r`. Reusing :math:`k` for
two messages reveals :math:`d` (:func:`recover_key_from_nonce_reuse`; the 2010 PlayStation 3
break).
"""

from __future__ import annotations

import hashlib
import hmac

from ..errors import Int, WorkbenchError, check

__all__ = [
    "P",
    "N",
    "G",
    "point_add",
    "scalar_mult",
    "public_point",
    "rfc6979_nonce",
    "sign",
    "verify",
    "recover_key_from_nonce_reuse",
]

P = 2**256 - 2**32 - 977
N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141
G = (
    0x79BE667EF9DCBBAC55A06295CE870B07029BFCDB2DCE28D959F2815B16F81798,
    0x483ADA7726A3C4655DA4FBFC0E1108A8FD17B448A68554199C47D08FFB10D4B8,
)


def point_add(a, b):
    """Add two points (``None`` is the point at infinity).

    The chord-and-tangent rule over :math:`\\mathbb{F}_p`; doubling when ``a == b``. The points
    are not checked to lie on the curve.

    Parameters
    ----------
    a : tuple of (int, int) or None
        The first point ``(x, y)``, coordinates in ``[0, P)``, or ``None`` for infinity.
    b : tuple of (int, int) or None
        The second point, likewise.

    Returns
    -------
    tuple of (int, int) or None
        The sum ``(x, y)``, or ``None`` when it is the point at infinity (``b == -a``).

    Examples
    --------
    >>> from workbench.chain.toy_ecdsa import G, P, point_add, scalar_mult
    >>> point_add(G, G) == scalar_mult(2), point_add(G, None) == G
    (True, True)
    >>> point_add(G, (G[0], P - G[1])) is None
    True
    """
    if a is None:
        return b
    if b is None:
        return a
    if a[0] == b[0] and (a[1] + b[1]) % P == 0:
        return None
    if a == b:
        lam = 3 * a[0] * a[0] * pow(2 * a[1], -1, P) % P
    else:
        lam = (b[1] - a[1]) * pow(b[0] - a[0], -1, P) % P
    x = (lam * lam - a[0] - b[0]) % P
    return x, (lam * (a[0] - x) - a[1]) % P


def scalar_mult(k: int, point=G):
    """``k * point`` by double-and-add.

    Parameters
    ----------
    k : int
        The scalar, >= 0.
    point : tuple of (int, int) or None, default G
        The point to multiply; the generator :data:`G` by default.

    Returns
    -------
    tuple of (int, int) or None
        The point ``k * point``, or ``None`` (infinity) for ``k == 0`` or a multiple of the
        point's order.

    Raises
    ------
    WorkbenchError
        If ``k`` is not an integer >= 0.

    Examples
    --------
    >>> from workbench.chain.toy_ecdsa import G, N, scalar_mult
    >>> hex(scalar_mult(2)[0])[:12]
    '0xc6047f9441'
    >>> scalar_mult(N) is None, scalar_mult(N + 1) == G
    (True, True)
    """
    k = check("the scalar k", k, Int(0), WorkbenchError)
    result, addend = None, point
    while k:
        if k & 1:
            result = point_add(result, addend)
        addend = point_add(addend, addend)
        k >>= 1
    return result


def public_point(d: int):
    """The public key ``Q = dG`` of private key ``d``, as a curve point.

    Parameters
    ----------
    d : int
        The private key, in ``[1, N)`` (not checked).

    Returns
    -------
    tuple of (int, int)
        The point ``(x, y)``; ``None`` if ``d`` is a multiple of :data:`N`.

    Examples
    --------
    >>> from workbench.chain.toy_ecdsa import G, public_point
    >>> public_point(1) == G, hex(public_point(2)[0])[:12]
    (True, '0xc6047f9441')
    """
    return scalar_mult(d, G)


def rfc6979_nonce(d: int, digest: bytes) -> int:
    """Deterministic nonce of RFC 6979 section 3.2 with HMAC-SHA256.

    Parameters
    ----------
    d : int
        The private key, in ``[1, N)``; written as 32 big-endian bytes.
    digest : bytes
        The 32-byte message digest being signed.

    Returns
    -------
    int
        The nonce ``k``, in ``[1, N)``; the same key and digest always give the same nonce.

    Examples
    --------
    >>> from workbench.chain.hashes import sha256
    >>> from workbench.chain.toy_ecdsa import rfc6979_nonce
    >>> hex(rfc6979_nonce(1, sha256(b"Satoshi Nakamoto")))[:12]
    '0x8f8a276c19'
    """
    x = d.to_bytes(32, "big")
    h = (int.from_bytes(digest, "big") % N).to_bytes(32, "big")
    v, k = b"\x01" * 32, b"\x00" * 32
    k = hmac.new(k, v + b"\x00" + x + h, hashlib.sha256).digest()
    v = hmac.new(k, v, hashlib.sha256).digest()
    k = hmac.new(k, v + b"\x01" + x + h, hashlib.sha256).digest()
    v = hmac.new(k, v, hashlib.sha256).digest()
    while True:
        v = hmac.new(k, v, hashlib.sha256).digest()
        cand = int.from_bytes(v, "big")
        if 1 <= cand < N:
            return cand
        k = hmac.new(k, v + b"\x00", hashlib.sha256).digest()
        v = hmac.new(k, v, hashlib.sha256).digest()


def sign(d: int, digest: bytes, k: int | None = None, *, low_s: bool = True) -> tuple[int, int]:
    """Sign a 32-byte digest; returns ``(r, s)``. ``k`` overrides the RFC 6979 nonce (for the
    nonce-reuse lesson).

    Nothing is validated: this is the textbook formula, for reading.

    Parameters
    ----------
    d : int
        The private key, in ``[1, N)``.
    digest : bytes
        The 32-byte message digest, read as the big-endian integer :math:`z`.
    k : int or None, default None
        The nonce, in ``[1, N)``; None derives it with :func:`rfc6979_nonce`. Never reuse one.
    low_s : bool, default True
        Replace ``s`` by ``N - s`` when ``s > N // 2`` (the low-S relay rule).

    Returns
    -------
    r : int
        The x coordinate of :math:`kG`, mod :data:`N`.
    s : int
        :math:`k^{-1}(z + r d) \\bmod N`, low-S when ``low_s``.

    See Also
    --------
    workbench.chain.sign : The libsecp256k1 signer the lab validates with.

    Examples
    --------
    >>> from workbench.chain.hashes import sha256
    >>> from workbench.chain.toy_ecdsa import sign
    >>> r, s = sign(1, sha256(b"Satoshi Nakamoto"))
    >>> hex(r)[:12]
    '0x934b1ea10a'
    """
    z = int.from_bytes(digest, "big")
    k = rfc6979_nonce(d, digest) if k is None else k
    r = scalar_mult(k)[0] % N
    s = pow(k, -1, N) * (z + r * d) % N
    if low_s and s > N // 2:
        s = N - s
    return r, s


def verify(q, digest: bytes, r: int, s: int) -> bool:
    """Whether ``(r, s)`` is a valid signature of ``digest`` under the public point ``q``.

    Accepts when :math:`(u_1 G + u_2 Q)_x \\equiv r \\pmod N`, with :math:`u_1 = z s^{-1}` and
    :math:`u_2 = r s^{-1}`. High-S signatures verify too (no low-S rule here).

    Parameters
    ----------
    q : tuple of (int, int)
        The signer's public point, e.g. from :func:`public_point`.
    digest : bytes
        The 32-byte message digest that was signed.
    r : int
        The signature's ``r``.
    s : int
        The signature's ``s``.

    Returns
    -------
    bool
        True when the signature verifies; False when ``r`` or ``s`` is outside ``[1, N)`` or it
        does not verify.

    Examples
    --------
    >>> from workbench.chain.hashes import sha256
    >>> from workbench.chain.toy_ecdsa import public_point, sign, verify
    >>> z = sha256(b"Satoshi Nakamoto")
    >>> r, s = sign(1, z)
    >>> verify(public_point(1), z, r, s), verify(public_point(2), z, r, s)
    (True, False)
    """
    if not (1 <= r < N and 1 <= s < N):
        return False
    z = int.from_bytes(digest, "big")
    w = pow(s, -1, N)
    x = point_add(scalar_mult(z * w % N), scalar_mult(r * w % N, q))
    return x is not None and x[0] % N == r


def recover_key_from_nonce_reuse(z1: int, s1: int, z2: int, s2: int, r: int) -> list[int]:
    """Two signatures sharing ``r`` (same nonce) give the private key: ``k = (z1-z2)/(s1-s2)``,
    ``d = (s1 k - z1)/r``. Both signs of each ``s`` are tried (low-S may have flipped one);
    the candidates are returned and the caller checks them against the public key.

    Parameters
    ----------
    z1 : int
        The first signed digest, as a big-endian integer.
    s1 : int
        The first signature's ``s``.
    z2 : int
        The second signed digest, as a big-endian integer; must differ from ``z1``.
    s2 : int
        The second signature's ``s``.
    r : int
        The ``r`` both signatures share.

    Returns
    -------
    list of int
        Up to four candidate private keys (one per sign combination whose ``s`` values differ;
        the true key may appear twice). Keep the one whose :func:`public_point` is the signer's.

    Examples
    --------
    >>> from workbench.chain.hashes import sha256
    >>> from workbench.chain.toy_ecdsa import recover_key_from_nonce_reuse, sign
    >>> z1, z2 = sha256(b"first"), sha256(b"second")
    >>> (r, s1), (_, s2) = sign(12345, z1, k=999), sign(12345, z2, k=999)   # the same nonce twice
    >>> i1, i2 = int.from_bytes(z1, "big"), int.from_bytes(z2, "big")
    >>> 12345 in recover_key_from_nonce_reuse(i1, s1, i2, s2, r)
    True
    """
    out = []
    for s2_ in (s2, N - s2):
        for s1_ in (s1, N - s1):
            if (s1_ - s2_) % N == 0:
                continue
            k = (z1 - z2) * pow(s1_ - s2_, -1, N) % N
            out.append((s1_ * k - z1) * pow(r, -1, N) % N)
    return out
