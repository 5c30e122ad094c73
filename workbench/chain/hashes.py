"""Hash functions and encodings used by Bitcoin and Ethereum.

* :func:`sha256d` -- Bitcoin's double SHA-256 (block hashes, txids, Merkle nodes, checksums);
* :func:`hash160` -- RIPEMD-160 of SHA-256 (Bitcoin addresses);
* :func:`keccak256` -- Ethereum's hash. It is the *original* Keccak submission with padding
  byte ``0x01``; the standardised SHA3-256 (:func:`sha3_256`) pads with ``0x06`` and gives a
  different digest. Mixing them up is a classic bug:

  >>> keccak256(b"").hex()[:16], sha3_256(b"").hex()[:16]
  ('c5d2460186f7233c', 'a7ffc6f8bf1ed766')

* base58check (Bitcoin addresses, WIF keys) and Bitcoin's variable-length integers.
"""

from __future__ import annotations

import hashlib

from Crypto.Hash import RIPEMD160, keccak

from ..errors import WorkbenchError, is_int

__all__ = [
    "sha256",
    "sha256d",
    "hash160",
    "ripemd160",
    "keccak256",
    "sha3_256",
    "b58encode",
    "b58decode",
    "b58check_encode",
    "b58check_decode",
    "Base58Error",
    "varint",
    "read_varint",
]

_sha256 = hashlib.sha256


class Base58Error(WorkbenchError):
    """A base58 string holds a character outside the alphabet or fails its checksum.

    A :class:`~workbench.errors.WorkbenchError` (so a :class:`ValueError`). Its message never
    quotes the text, which may be a secret (a WIF private key).

    Examples
    --------
    >>> from workbench.chain.hashes import Base58Error, b58decode
    >>> try:
    ...     b58decode("0abc")
    ... except Base58Error as exc:
    ...     print(exc)
    the character at position 0 of 4 is not base58 (0, O, I and l are excluded)
    """


def _as_bytes(data, name="data") -> bytes:
    if isinstance(data, (bytes, bytearray, memoryview)):
        return bytes(data)
    raise TypeError(f"{name} must be bytes, got {type(data).__name__}")


def sha256(data: bytes) -> bytes:
    """SHA-256 digest (32 bytes).

    Parameters
    ----------
    data : bytes, bytearray or memoryview
        The message to hash.

    Returns
    -------
    bytes
        The 32-byte digest.

    Raises
    ------
    TypeError
        If ``data`` is not bytes, bytearray or memoryview (a str must be encoded first).

    See Also
    --------
    sha256d : Bitcoin's double SHA-256.

    Examples
    --------
    >>> from workbench.chain import sha256
    >>> sha256(b"abc").hex()[:8]
    'ba7816bf'
    """
    return _sha256(_as_bytes(data)).digest()


def sha256d(data: bytes) -> bytes:
    """Double SHA-256, ``sha256(sha256(data))``, in internal byte order.

    Bitcoin displays block hashes and txids byte-reversed: ``sha256d(header)[::-1].hex()``.

    Parameters
    ----------
    data : bytes, bytearray or memoryview
        The message to hash.

    Returns
    -------
    bytes
        The 32-byte digest, in internal byte order (not reversed for display).

    Raises
    ------
    TypeError
        If ``data`` is not bytes, bytearray or memoryview.

    Examples
    --------
    >>> from workbench.chain import sha256d
    >>> sha256d(b"hello").hex()[:16]
    '9595c9df90075148'
    """
    return _sha256(_sha256(_as_bytes(data)).digest()).digest()


def ripemd160(data: bytes) -> bytes:
    """RIPEMD-160 digest (20 bytes; pycryptodome's, as OpenSSL 3 may lack it).

    Parameters
    ----------
    data : bytes, bytearray or memoryview
        The message to hash.

    Returns
    -------
    bytes
        The 20-byte digest.

    Raises
    ------
    TypeError
        If ``data`` is not bytes, bytearray or memoryview.

    Examples
    --------
    >>> from workbench.chain import ripemd160
    >>> ripemd160(b"").hex()
    '9c1185a5c5e9fc54612808977ee8f548b2258d31'
    """
    return RIPEMD160.new(_as_bytes(data)).digest()


def hash160(data: bytes) -> bytes:
    """``ripemd160(sha256(data))``: the 20-byte key hash inside P2PKH and P2SH addresses.

    Parameters
    ----------
    data : bytes, bytearray or memoryview
        The message to hash: a SEC-encoded public key or a redeem script.

    Returns
    -------
    bytes
        The 20-byte hash.

    Raises
    ------
    TypeError
        If ``data`` is not bytes, bytearray or memoryview.

    Examples
    --------
    >>> from workbench.chain import hash160
    >>> hash160(b"").hex()
    'b472a266d0bd89c13706a4132ccfb16f7c3b9fcb'
    """
    return ripemd160(sha256(data))


def keccak256(data: bytes) -> bytes:
    """Ethereum's Keccak-256 (not SHA3-256; see the module docstring).

    Parameters
    ----------
    data : bytes, bytearray or memoryview
        The message to hash.

    Returns
    -------
    bytes
        The 32-byte digest (original Keccak padding ``0x01``).

    Raises
    ------
    TypeError
        If ``data`` is not bytes, bytearray or memoryview.

    See Also
    --------
    sha3_256 : The standardised FIPS-202 hash, which gives a different digest.

    Examples
    --------
    >>> from workbench.chain import keccak256
    >>> keccak256(b"").hex()
    'c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470'
    """
    return keccak.new(data=_as_bytes(data), digest_bits=256).digest()


def sha3_256(data: bytes) -> bytes:
    """FIPS-202 SHA3-256 (hashlib), shown for contrast with :func:`keccak256`.

    Parameters
    ----------
    data : bytes, bytearray or memoryview
        The message to hash.

    Returns
    -------
    bytes
        The 32-byte digest (SHA-3 padding ``0x06``).

    Raises
    ------
    TypeError
        If ``data`` is not bytes, bytearray or memoryview.

    See Also
    --------
    keccak256 : Ethereum's hash, the original Keccak padding.

    Examples
    --------
    >>> from workbench.chain import keccak256, sha3_256
    >>> sha3_256(b"").hex()[:16], sha3_256(b"") == keccak256(b"")
    ('a7ffc6f8bf1ed766', False)
    """
    return hashlib.sha3_256(_as_bytes(data)).digest()


_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_B58_INDEX = {c: i for i, c in enumerate(_B58)}


def b58encode(data: bytes) -> str:
    """Base58 (Bitcoin alphabet); each leading zero byte becomes a leading ``1``.

    Parameters
    ----------
    data : bytes, bytearray or memoryview
        The bytes to encode.

    Returns
    -------
    str
        The base58 text (no checksum; see :func:`b58check_encode`).

    Raises
    ------
    TypeError
        If ``data`` is not bytes, bytearray or memoryview.

    See Also
    --------
    b58decode : The inverse.

    Examples
    --------
    >>> from workbench.chain.hashes import b58encode
    >>> b58encode(b"\\x00\\x00hello")
    '11Cn8eVZg'
    """
    data = _as_bytes(data)
    n = int.from_bytes(data, "big")
    out = []
    while n:
        n, r = divmod(n, 58)
        out.append(_B58[r])
    pad = len(data) - len(data.lstrip(b"\0"))
    return "1" * pad + "".join(reversed(out))


def b58decode(text: str) -> bytes:
    """Inverse of :func:`b58encode`; raises :class:`Base58Error` on a foreign character.

    Messages never quote the text or its characters: base58 strings are often secrets (WIF keys).

    Parameters
    ----------
    text : str
        Base58 text in the Bitcoin alphabet; each leading ``1`` becomes a zero byte.

    Returns
    -------
    bytes
        The decoded bytes (no checksum is checked; see :func:`b58check_decode`).

    Raises
    ------
    Base58Error
        If ``text`` is not a str or holds a character outside the alphabet (``0``, ``O``,
        ``I`` and ``l`` are excluded).

    Examples
    --------
    >>> from workbench.chain.hashes import b58decode
    >>> b58decode("11Cn8eVZg")
    b'\\x00\\x00hello'
    """
    if not isinstance(text, str):
        raise Base58Error(f"base58 text must be str, got {type(text).__name__}")
    n = 0
    for pos, c in enumerate(text):
        try:
            n = n * 58 + _B58_INDEX[c]
        except KeyError:
            raise Base58Error(
                f"the character at position {pos} of {len(text)} is not base58 (0, O, I and l are excluded)"
            ) from None
    body = n.to_bytes((n.bit_length() + 7) // 8, "big")
    pad = len(text) - len(text.lstrip("1"))
    return b"\0" * pad + body


def b58check_encode(payload: bytes) -> str:
    """Base58 of ``payload + sha256d(payload)[:4]`` (addresses, WIF keys).

    Parameters
    ----------
    payload : bytes, bytearray or memoryview
        The bytes to encode, version byte included (e.g. ``0x00`` and a 20-byte key hash).

    Returns
    -------
    str
        The base58check text.

    Raises
    ------
    TypeError
        If ``payload`` is not bytes, bytearray or memoryview.

    Examples
    --------
    >>> from workbench.chain.hashes import b58check_encode
    >>> b58check_encode(bytes(21))   # version 0x00 and an all-zero key hash
    '1111111111111111111114oLvT2'
    """
    payload = _as_bytes(payload, "payload")
    return b58encode(payload + sha256d(payload)[:4])


def b58check_decode(text: str) -> bytes:
    """Decode base58check and verify its 4-byte checksum; returns the payload.

    Parameters
    ----------
    text : str
        Base58check text (an address or a WIF key).

    Returns
    -------
    bytes
        The payload, without its 4-byte checksum.

    Raises
    ------
    Base58Error
        If ``text`` is not a str, holds a character outside the alphabet, is too short to
        hold a checksum, or its checksum does not match. Messages never quote ``text``.

    Examples
    --------
    >>> from workbench.chain.hashes import b58check_decode
    >>> b58check_decode("1111111111111111111114oLvT2") == bytes(21)
    True
    """
    raw = b58decode(text)
    if len(raw) < 4:
        raise Base58Error(f"a base58check string of {len(text)} characters is too short to hold a checksum")
    payload, check = raw[:-4], raw[-4:]
    if sha256d(payload)[:4] != check:
        raise Base58Error(f"base58check checksum mismatch in a string of {len(text)} characters (a typo?)")
    return payload


def varint(n: int) -> bytes:
    """Bitcoin's CompactSize unsigned integer.

    One byte below ``0xfd``; otherwise a marker byte (``0xfd``, ``0xfe``, ``0xff``) and the
    value in 2, 4 or 8 little-endian bytes.

    Parameters
    ----------
    n : int
        The value, in ``[0, 2**64)``.

    Returns
    -------
    bytes
        The encoding: 1, 3, 5 or 9 bytes.

    Raises
    ------
    WorkbenchError
        If ``n`` is not an integer in ``[0, 2**64)``.

    See Also
    --------
    read_varint : The inverse.

    Examples
    --------
    >>> from workbench.chain.hashes import varint
    >>> varint(252).hex(), varint(253).hex(), varint(70000).hex()
    ('fc', 'fdfd00', 'fe70110100')
    """
    if not is_int(n) or not 0 <= n < 2**64:
        raise WorkbenchError(f"a varint encodes an integer in [0, 2**64), got {n!r}")
    n = int(n)
    if n < 0xFD:
        return bytes((n,))
    if n <= 0xFFFF:
        return b"\xfd" + n.to_bytes(2, "little")
    if n <= 0xFFFFFFFF:
        return b"\xfe" + n.to_bytes(4, "little")
    return b"\xff" + n.to_bytes(8, "little")


def read_varint(buf: bytes, pos: int) -> tuple[int, int]:
    """Read a CompactSize at ``pos``; returns ``(value, new_pos)``. Raises IndexError if short.

    Parameters
    ----------
    buf : bytes
        The buffer to read from.
    pos : int
        Offset of the CompactSize's first byte in ``buf``.

    Returns
    -------
    value : int
        The decoded integer.
    new_pos : int
        The offset just after the CompactSize.

    Raises
    ------
    IndexError
        If ``pos`` is past the end of ``buf`` or the value runs past it.

    See Also
    --------
    varint : The encoder.

    Examples
    --------
    >>> from workbench.chain.hashes import read_varint, varint
    >>> read_varint(b"\\x00" + varint(70000), 1)
    (70000, 6)
    """
    first = buf[pos]
    if first < 0xFD:
        return first, pos + 1
    size = {0xFD: 2, 0xFE: 4, 0xFF: 8}[first]
    end = pos + 1 + size
    if end > len(buf):
        raise IndexError("varint runs past the end of the buffer")
    return int.from_bytes(buf[pos + 1 : end], "little"), end
