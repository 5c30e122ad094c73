"""secp256k1 keys, ECDSA signatures and public-key recovery (through coincurve/libsecp256k1).

Signatures are deterministic (RFC 6979: the nonce is derived from the key and the message,
so signing twice gives the same bytes and a bad random number generator cannot leak the
key) and always *low-S*. An ECDSA signature ``(r, s)`` has a twin ``(r, n - s)`` that is
equally valid mathematically; before 2015 either could appear on the Bitcoin chain, so a
third party could flip ``s`` and change a transaction's id without touching its meaning
(transaction malleability, blamed in the 2014 Mt. Gox collapse). BIP 62/146 made the low
half canonical; libsecp256k1 only verifies low-S, and :func:`verify` here rejects high-S
unless asked for the legacy rule. Real 2010 signatures, e.g. in Bitcoin block 100000, are
high-S: :func:`normalize_s` maps them to their low twin.

Private keys never appear in a ``repr`` or ``str``: print a key and you see its address.
The teaching implementation of the same algorithms in pure Python is
:mod:`workbench.chain.toy_ecdsa`; it is never used for validation.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

import coincurve

from ..errors import WorkbenchError, is_int, make_rng
from .addresses import to_checksum_address
from .hashes import b58check_decode, b58check_encode, hash160, keccak256

__all__ = [
    "N",
    "HALF_N",
    "PrivateKey",
    "PublicKey",
    "Signature",
    "InvalidKeyError",
    "SignatureError",
    "sign",
    "verify",
    "recover",
    "normalize_s",
    "is_low_s",
    "der_encode",
    "der_decode",
]

#: Order of the secp256k1 group.
N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141
HALF_N = N // 2


class InvalidKeyError(WorkbenchError):
    """A private or public key that is not a valid secp256k1 key."""


class SignatureError(WorkbenchError):
    """A signature that is malformed (wrong length, r or s out of range, bad DER)."""


@dataclass(frozen=True)
class Signature:
    """An ECDSA signature ``(r, s)`` with its recovery id ``v`` in {0, 1} (the parity of R.y).

    ``bytes(sig)`` is the 65-byte ``r || s || v`` form; :meth:`from_bytes` checks ranges.
    """

    r: int
    s: int
    v: int = 0

    def __post_init__(self):
        for name in ("r", "s"):
            val = getattr(self, name)
            if not isinstance(val, int) or not 1 <= val < N:
                raise SignatureError(f"signature {name} must be an integer in [1, n), got {val!r}")
        if self.v not in (0, 1):
            raise SignatureError(f"recovery id v must be 0 or 1, got {self.v!r}")

    def __bytes__(self) -> bytes:
        return self.r.to_bytes(32, "big") + self.s.to_bytes(32, "big") + bytes((self.v,))

    @classmethod
    def from_bytes(cls, data: bytes) -> Signature:
        if not isinstance(data, (bytes, bytearray)) or len(data) != 65:
            raise SignatureError(
                f"a recoverable signature is 65 bytes (r || s || v), got "
                f"{len(data) if isinstance(data, (bytes, bytearray)) else type(data).__name__}"
            )
        return cls(int.from_bytes(data[:32], "big"), int.from_bytes(data[32:64], "big"), data[64])

    @property
    def low_s(self) -> bool:
        return self.s <= HALF_N

    def normalized(self) -> Signature:
        """The low-S twin ``(r, n - s)`` (recovery id flips), or self when already low."""
        return self if self.low_s else Signature(self.r, N - self.s, self.v ^ 1)


class PublicKey:
    """A secp256k1 point, with Bitcoin and Ethereum addresses derived from it."""

    __slots__ = ("_key", "_compressed")

    def __init__(self, data: bytes):
        try:
            self._key = coincurve.PublicKey(bytes(data))
        except (ValueError, TypeError) as exc:
            raise InvalidKeyError(
                f"not a secp256k1 public key (33-byte compressed or 65-byte uncompressed SEC "
                f"encoding of a point on the curve): {exc}"
            ) from None
        self._compressed = len(data) == 33

    @classmethod
    def _wrap(cls, key: coincurve.PublicKey, compressed=True) -> PublicKey:
        obj = cls.__new__(cls)
        obj._key = key
        obj._compressed = compressed
        return obj

    def to_bytes(self, compressed: bool | None = None) -> bytes:
        """SEC encoding: 33 bytes compressed (default as parsed) or 65 bytes uncompressed."""
        return self._key.format(compressed=self._compressed if compressed is None else compressed)

    @property
    def point(self) -> tuple[int, int]:
        return self._key.point()

    def eth_address(self) -> str:
        """EIP-55 checksummed Ethereum address: last 20 bytes of keccak256(x || y)."""
        return to_checksum_address(keccak256(self._key.format(compressed=False)[1:])[-20:])

    def btc_address(self, compressed: bool | None = None) -> str:
        """Pay-to-public-key-hash address, version byte 0x00 (mainnet)."""
        return b58check_encode(b"\x00" + hash160(self.to_bytes(compressed)))

    def __eq__(self, other) -> bool:
        return isinstance(other, PublicKey) and self._key.format() == other._key.format()

    def __hash__(self) -> int:
        return hash(self._key.format())

    def __repr__(self) -> str:
        return f"PublicKey({self.to_bytes().hex()})"


class PrivateKey:
    """A secp256k1 private key. Its secret never appears in ``repr``/``str``.

    Examples
    --------
    >>> key = PrivateKey.from_int(1)
    >>> key
    PrivateKey(<secret>, eth=0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf)
    >>> key.public_key.btc_address()
    '1BgGZ9tcN4rm9KBzDn7KprQz87SZ26SAMH'
    """

    __slots__ = ("_key", "_public")

    def __init__(self, secret: bytes):
        if not isinstance(secret, (bytes, bytearray)) or len(secret) != 32:
            raise InvalidKeyError("a private key is 32 bytes")
        if not 1 <= int.from_bytes(secret, "big") < N:
            raise InvalidKeyError("a private key must be an integer in [1, n) (secp256k1 group order)")
        self._key = coincurve.PrivateKey(bytes(secret))
        self._public = PublicKey._wrap(self._key.public_key)

    @classmethod
    def from_int(cls, value: int) -> PrivateKey:
        if not is_int(value) or not 1 <= value < N:
            raise InvalidKeyError("a private key must be an integer in [1, n) (secp256k1 group order)")
        return cls(int(value).to_bytes(32, "big"))

    @classmethod
    def generate(cls, seed=None) -> PrivateKey:
        """A new key: from the OS CSPRNG, or reproducibly from ``seed`` (for teaching only).

        ``seed`` may be an int or a :class:`numpy.random.Generator`; seeded keys are for
        repeatable notebooks and tests, never for real funds.
        """
        if seed is None:
            return cls(secrets.token_bytes(32))

        rng = make_rng(seed)
        while True:
            secret = rng.bytes(32)
            if 1 <= int.from_bytes(secret, "big") < N:
                return cls(secret)

    @classmethod
    def from_wif(cls, wif: str) -> PrivateKey:
        """A key from wallet import format; errors never quote the text (it is the secret)."""
        if not isinstance(wif, str):
            raise InvalidKeyError(f"a WIF key is a base58check string, got {type(wif).__name__}")
        payload = b58check_decode(wif)
        if payload[:1] != b"\x80" or len(payload) not in (33, 34):
            raise InvalidKeyError("not a mainnet WIF private key (version 0x80, 32 or 33 bytes)")
        return cls(payload[1:33])

    def to_wif(self, compressed: bool = True) -> str:
        """Wallet import format (base58check, version 0x80, 0x01 suffix when compressed)."""
        return b58check_encode(b"\x80" + self._key.secret + (b"\x01" if compressed else b""))

    def secret_bytes(self) -> bytes:
        """The 32 secret bytes. Handle with care: anyone holding them owns the funds."""
        return self._key.secret

    @property
    def public_key(self) -> PublicKey:
        return self._public

    @property
    def address(self) -> str:
        return self._public.eth_address()

    def sign(self, digest: bytes) -> Signature:
        """RFC 6979 deterministic, low-S, recoverable signature of a 32-byte digest."""
        return sign(self, digest)

    def __repr__(self) -> str:
        return f"PrivateKey(<secret>, eth={self.address})"

    __str__ = __repr__

    def __reduce__(self):
        raise TypeError(
            "PrivateKey is not picklable (keeps secrets out of caches and logs); "
            "use workbench.chain.Wallet for an encrypted keystore"
        )


def _check_digest(digest) -> bytes:
    if not isinstance(digest, (bytes, bytearray)) or len(digest) != 32:
        raise SignatureError("ECDSA signs a 32-byte message digest; hash the message first")
    return bytes(digest)


def sign(key: PrivateKey, digest: bytes) -> Signature:
    """Sign a 32-byte digest with RFC 6979 nonces; the result is always low-S.

    >>> from workbench.chain.hashes import sha256
    >>> sig = sign(PrivateKey.from_int(1), sha256(b"Satoshi Nakamoto"))
    >>> hex(sig.r)[:12], sig.low_s
    ('0x934b1ea10a', True)
    """
    if not isinstance(key, PrivateKey):
        raise InvalidKeyError(f"sign needs a workbench.chain.PrivateKey, got {type(key).__name__}")
    raw = key._key.sign_recoverable(_check_digest(digest), hasher=None)
    return Signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:64], "big"), raw[64])


def is_low_s(sig: Signature) -> bool:
    return sig.s <= HALF_N


def normalize_s(sig: Signature) -> Signature:
    """Map a high-S signature to its low-S twin (same validity, different bytes)."""
    return sig.normalized()


def der_encode(sig: Signature) -> bytes:
    """Strict DER encoding ``30 len 02 len r 02 len s`` (BIP 66)."""

    def _int(x: int) -> bytes:
        b = x.to_bytes((x.bit_length() + 8) // 8, "big")  # leading 0x00 keeps it positive
        return b"\x02" + bytes((len(b),)) + b

    body = _int(sig.r) + _int(sig.s)
    return b"\x30" + bytes((len(body),)) + body


def der_decode(data: bytes) -> Signature:
    """Parse a strict-DER ECDSA signature (BIP 66); raises :class:`SignatureError`."""
    d = bytes(data)
    try:
        if d[0] != 0x30 or d[1] != len(d) - 2:
            raise SignatureError("DER signature: bad sequence header or length")
        pos, out = 2, []
        for name in ("r", "s"):
            if d[pos] != 0x02:
                raise SignatureError(f"DER signature: {name} is not an INTEGER")
            ln = d[pos + 1]
            val = d[pos + 2 : pos + 2 + ln]
            if ln == 0 or len(val) != ln:
                raise SignatureError(f"DER signature: {name} has a bad length")
            if val[0] & 0x80 or (ln > 1 and val[0] == 0 and not val[1] & 0x80):
                raise SignatureError(f"DER signature: {name} is negative or not minimally encoded")
            out.append(int.from_bytes(val, "big"))
            pos += 2 + ln
        if pos != len(d):
            raise SignatureError("DER signature: trailing bytes")
    except IndexError:
        raise SignatureError("DER signature: truncated") from None
    return Signature(out[0], out[1])


def verify(public_key: PublicKey, digest: bytes, sig: Signature, *, allow_high_s: bool = False) -> bool:
    """True when ``sig`` signs ``digest`` under ``public_key``.

    High-S signatures are rejected (returns False) unless ``allow_high_s``, the pre-2015
    Bitcoin rule, which checks the low-S twin instead.
    """
    if not isinstance(public_key, PublicKey):
        raise InvalidKeyError(f"verify needs a workbench.chain.PublicKey, got {type(public_key).__name__}")
    if not isinstance(sig, Signature):
        raise SignatureError(f"verify needs a workbench.chain.Signature, got {type(sig).__name__}")
    if not sig.low_s:
        if not allow_high_s:
            return False
        sig = sig.normalized()
    return public_key._key.verify(der_encode(sig), _check_digest(digest), hasher=None)


def recover(digest: bytes, sig: Signature) -> PublicKey:
    """The public key that produced ``sig`` over ``digest`` (Ethereum's ``ecrecover``)."""
    if not isinstance(sig, Signature):
        raise SignatureError(f"recover needs a workbench.chain.Signature, got {type(sig).__name__}")
    try:
        key = coincurve.PublicKey.from_signature_and_message(bytes(sig), _check_digest(digest), hasher=None)
    except ValueError as exc:
        raise SignatureError(f"no public key recovers from this signature: {exc}") from None
    return PublicKey._wrap(key)
