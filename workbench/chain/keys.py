"""secp256k1 keys, ECDSA signatures and public-key recovery (through coincurve/libsecp256k1).

Signatures are deterministic (RFC 6979: the nonce is derived from the key and the message,
so signing twice gives the same bytes and a bad random number generator cannot leak the
key) and always *low-S*. An ECDSA signature ``(r, s)`` has a twin ``(r, n - s)`` that is
equally valid mathematically; before 2015 either could appear on the Bitcoin chain, so a
third party could flip ``s`` and change a transaction's id without touching its meaning
(transaction malleability, blamed in the 2014 Mt. Gox collapse). Since Bitcoin Core 0.11.1
nodes relay only low-S signatures (a standardness rule; BIP 62, which proposed it, was
withdrawn, and BIP 146, which would make it consensus, is a draft), so high-S stays valid by
consensus in legacy scripts. libsecp256k1 only verifies low-S, and :func:`verify` here follows
that stricter policy unless asked to accept high-S. Real 2010 signatures, e.g. in Bitcoin block 100000, are
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
    """A private or public key that is not a valid secp256k1 key.

    A :class:`~workbench.errors.WorkbenchError` (so a :class:`ValueError`); its message never
    quotes a secret.

    Examples
    --------
    >>> from workbench.chain import InvalidKeyError, PrivateKey
    >>> try:
    ...     PrivateKey.from_int(0)
    ... except InvalidKeyError as exc:
    ...     print(exc)
    a private key must be an integer in [1, n) (secp256k1 group order)
    """


class SignatureError(WorkbenchError):
    """A signature that is malformed (wrong length, r or s out of range, bad DER).

    A :class:`~workbench.errors.WorkbenchError` (so a :class:`ValueError`); also raised for a
    digest that is not 32 bytes and when no public key recovers from a signature.

    Examples
    --------
    >>> from workbench.chain import Signature, SignatureError
    >>> try:
    ...     Signature(0, 1)
    ... except SignatureError as exc:
    ...     print(exc)
    signature r must be an integer in [1, n), got 0
    """


@dataclass(frozen=True)
class Signature:
    """An ECDSA signature ``(r, s)`` with its recovery id ``v`` in {0, 1} (the parity of R.y).

    ``bytes(sig)`` is the 65-byte ``r || s || v`` form; :meth:`from_bytes` checks ranges.

    A frozen dataclass; the constructor checks ``r``, ``s`` and ``v`` as well.

    Parameters
    ----------
    r : int
        The x coordinate of the nonce point R, mod n; a Python int in ``[1, N)``.
    s : int
        The proof scalar, a Python int in ``[1, N)``; low-S when ``s <= HALF_N``.
    v : {0, 1}, default 0
        The recovery id: the parity of R's y coordinate (used by :func:`recover`).

    Raises
    ------
    SignatureError
        If ``r`` or ``s`` is not an int in ``[1, N)`` or ``v`` is not 0 or 1.

    See Also
    --------
    sign : Make a signature.
    der_encode : Bitcoin's DER form (without ``v``).

    Examples
    --------
    >>> from workbench.chain import PrivateKey, Signature, sha256
    >>> sig = PrivateKey.from_int(1).sign(sha256(b"Satoshi Nakamoto"))
    >>> sig.v, sig.low_s, len(bytes(sig)), Signature.from_bytes(bytes(sig)) == sig
    (1, True, 65, True)
    """

    r: int
    s: int
    v: int = 0

    def __post_init__(self):
        for name in ("r", "s"):
            val = getattr(self, name)
            if not is_int(val) or not 1 <= val < N:
                raise SignatureError(f"signature {name} must be an integer in [1, n), got {val!r}")
            object.__setattr__(self, name, int(val))
        if not is_int(self.v) or self.v not in (0, 1):
            raise SignatureError(f"recovery id v must be 0 or 1, got {self.v!r}")
        object.__setattr__(self, "v", int(self.v))

    def __bytes__(self) -> bytes:
        return self.r.to_bytes(32, "big") + self.s.to_bytes(32, "big") + bytes((self.v,))

    @classmethod
    def from_bytes(cls, data: bytes) -> Signature:
        """Parse the 65-byte ``r || s || v`` form that ``bytes(sig)`` gives.

        Parameters
        ----------
        data : bytes
            65 bytes (bytes or bytearray): ``r`` and ``s`` as 32 big-endian bytes each, then ``v``.

        Returns
        -------
        Signature
            The signature, its ranges checked.

        Raises
        ------
        SignatureError
            If ``data`` is not 65 bytes, ``r`` or ``s`` is outside ``[1, N)``, or ``v`` is not
            0 or 1.
        """
        if not isinstance(data, (bytes, bytearray)) or len(data) != 65:
            raise SignatureError(
                f"a recoverable signature is 65 bytes (r || s || v), got "
                f"{len(data) if isinstance(data, (bytes, bytearray)) else type(data).__name__}"
            )
        return cls(int.from_bytes(data[:32], "big"), int.from_bytes(data[32:64], "big"), data[64])

    @property
    def low_s(self) -> bool:
        """Whether ``s`` is in the low half (``s <= HALF_N``), the only form Bitcoin nodes relay.

        Returns
        -------
        bool
            True for a canonical low-S signature.
        """
        return self.s <= HALF_N

    def normalized(self) -> Signature:
        """The low-S twin ``(r, n - s)`` (recovery id flips), or self when already low.

        Returns
        -------
        Signature
            A low-S signature, valid for the same key and digest.
        """
        return self if self.low_s else Signature(self.r, N - self.s, self.v ^ 1)


class PublicKey:
    """A secp256k1 point, with Bitcoin and Ethereum addresses derived from it.

    Two keys are equal when they are the same point, whatever encoding they were parsed from.

    Parameters
    ----------
    data : bytes
        The SEC encoding of a point on the curve: 33 bytes compressed (``02``/``03`` prefix)
        or 65 bytes uncompressed (``04`` prefix). The form given is the default of
        :meth:`to_bytes` and :meth:`btc_address`.

    Raises
    ------
    InvalidKeyError
        If ``data`` is not the SEC encoding of a point on the curve.

    See Also
    --------
    PrivateKey.public_key : The public key of a private key.
    recover : The public key behind a signature.

    Examples
    --------
    >>> from workbench.chain import PrivateKey, PublicKey
    >>> pub = PublicKey(PrivateKey.from_int(1).public_key.to_bytes(compressed=False))
    >>> len(pub.to_bytes()), pub.btc_address()
    (65, '1EHNa6Q4Jz2uvNExL497mE43ikXhwF6kZm')
    >>> pub == PrivateKey.from_int(1).public_key
    True
    """

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
        """SEC encoding: 33 bytes compressed (default as parsed) or 65 bytes uncompressed.

        Parameters
        ----------
        compressed : bool or None, default None
            True for the 33-byte form, False for the 65-byte form; None keeps the form the key
            was parsed from (compressed for keys made by :class:`PrivateKey` or :func:`recover`).

        Returns
        -------
        bytes
            The SEC-encoded point.
        """
        return self._key.format(compressed=self._compressed if compressed is None else compressed)

    @property
    def point(self) -> tuple[int, int]:
        """The affine coordinates of the point.

        Returns
        -------
        tuple of (int, int)
            ``(x, y)``, each in ``[0, p)``.
        """
        return self._key.point()

    def eth_address(self) -> str:
        """EIP-55 checksummed Ethereum address: last 20 bytes of keccak256(x || y).

        Returns
        -------
        str
            ``0x`` and 40 hex digits in EIP-55 mixed case.
        """
        return to_checksum_address(keccak256(self._key.format(compressed=False)[1:])[-20:])

    def btc_address(self, compressed: bool | None = None) -> str:
        """Pay-to-public-key-hash address, version byte 0x00 (mainnet).

        Parameters
        ----------
        compressed : bool or None, default None
            Hash the compressed (True) or uncompressed (False) encoding; None uses the form the
            key was parsed from. The two forms give different addresses.

        Returns
        -------
        str
            The base58check address (starts with ``1``).
        """
        return b58check_encode(b"\x00" + hash160(self.to_bytes(compressed)))

    def __eq__(self, other) -> bool:
        return isinstance(other, PublicKey) and self._key.format() == other._key.format()

    def __hash__(self) -> int:
        return hash(self._key.format())

    def __repr__(self) -> str:
        return f"PublicKey({self.to_bytes().hex()})"


class PrivateKey:
    """A secp256k1 private key. Its secret never appears in ``repr``/``str``.

    It cannot be pickled; :meth:`from_int`, :meth:`generate` and :meth:`from_wif` are the
    other ways to make one.

    Parameters
    ----------
    secret : bytes
        The 32 secret bytes (bytes or bytearray), a big-endian integer in ``[1, N)``.

    Raises
    ------
    InvalidKeyError
        If ``secret`` is not 32 bytes or its integer is outside ``[1, N)``.

    See Also
    --------
    sign : Sign a digest with a key.

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
        """A key from its integer (small integers are for teaching: anyone can guess them).

        Parameters
        ----------
        value : int
            The secret scalar, in ``[1, N)`` (numpy integers accepted).

        Returns
        -------
        PrivateKey
            The key.

        Raises
        ------
        InvalidKeyError
            If ``value`` is not an integer in ``[1, N)``.
        """
        if not is_int(value) or not 1 <= value < N:
            raise InvalidKeyError("a private key must be an integer in [1, n) (secp256k1 group order)")
        return cls(int(value).to_bytes(32, "big"))

    @classmethod
    def generate(cls, seed=None) -> PrivateKey:
        """A new key: from the OS CSPRNG, or reproducibly from ``seed`` (for teaching only).

        ``seed`` may be an int or a :class:`numpy.random.Generator`; seeded keys are for
        repeatable notebooks and tests, never for real funds.

        Parameters
        ----------
        seed : int, numpy.random.SeedSequence, numpy.random.Generator or None, default None
            None draws the secret from :func:`secrets.token_bytes`; anything else seeds
            :func:`~workbench.errors.make_rng` (an integer >= 0, a SeedSequence or a Generator)
            and the same seed gives the same key.

        Returns
        -------
        PrivateKey
            A key with a secret in ``[1, N)`` (out-of-range draws are redrawn).

        Raises
        ------
        WorkbenchError
            If ``seed`` is not None, an integer >= 0, a SeedSequence or a Generator.
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
        """A key from wallet import format; errors never quote the text (it is the secret).

        Parameters
        ----------
        wif : str
            A mainnet WIF key: base58check of version ``0x80``, the 32 secret bytes and an
            optional compression flag byte. The flag is not kept.

        Returns
        -------
        PrivateKey
            The key.

        Raises
        ------
        InvalidKeyError
            If ``wif`` is not a str, its payload is not version ``0x80`` with 32 bytes after it
            (and optionally the compression flag ``0x01``), or the secret is outside ``[1, N)``.
        Base58Error
            If ``wif`` is not valid base58check (a foreign character, a checksum mismatch).
        """
        if not isinstance(wif, str):
            raise InvalidKeyError(f"a WIF key is a base58check string, got {type(wif).__name__}")
        payload = b58check_decode(wif)
        if payload[:1] != b"\x80" or len(payload) not in (33, 34) or (len(payload) == 34 and payload[33] != 1):
            raise InvalidKeyError(
                "not a mainnet WIF private key (version 0x80, 32 bytes, then 0x01 for a compressed public key)"
            )
        return cls(payload[1:33])

    def to_wif(self, compressed: bool = True) -> str:
        """Wallet import format (base58check, version 0x80, 0x01 suffix when compressed).

        The result is the secret: anyone holding it owns the funds.

        Parameters
        ----------
        compressed : bool, default True
            Append the ``0x01`` flag that tells wallets to use the compressed public key
            (WIF starting with ``K`` or ``L``; without it, ``5``).

        Returns
        -------
        str
            The WIF text.
        """
        return b58check_encode(b"\x80" + self._key.secret + (b"\x01" if compressed else b""))

    def secret_bytes(self) -> bytes:
        """The 32 secret bytes. Handle with care: anyone holding them owns the funds.

        Returns
        -------
        bytes
            The secret, 32 big-endian bytes.
        """
        return self._key.secret

    @property
    def public_key(self) -> PublicKey:
        """The matching public key, ``secret * G``.

        Returns
        -------
        PublicKey
            The public key, in compressed form by default.
        """
        return self._public

    @property
    def address(self) -> str:
        """The Ethereum address of the key (what ``repr`` shows), as the ledger uses it.

        Returns
        -------
        str
            ``0x`` and 40 hex digits in EIP-55 mixed case.
        """
        return self._public.eth_address()

    def sign(self, digest: bytes) -> Signature:
        """RFC 6979 deterministic, low-S, recoverable signature of a 32-byte digest.

        Parameters
        ----------
        digest : bytes
            The 32-byte message digest (bytes or bytearray); hash the message first.

        Returns
        -------
        Signature
            The signature, with its recovery id ``v``.

        Raises
        ------
        SignatureError
            If ``digest`` is not 32 bytes.
        """
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

    Parameters
    ----------
    key : PrivateKey
        The signing key.
    digest : bytes
        The 32-byte message digest (bytes or bytearray); hash the message first.

    Returns
    -------
    Signature
        The recoverable signature ``(r, s, v)``; signing twice gives the same one.

    Raises
    ------
    InvalidKeyError
        If ``key`` is not a :class:`PrivateKey`.
    SignatureError
        If ``digest`` is not 32 bytes.

    See Also
    --------
    verify : Check a signature.
    recover : The public key behind a signature.

    Examples
    --------
    >>> from workbench.chain import PrivateKey, sign
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
    """Whether a signature is low-S, ``s <= HALF_N`` (the same as ``sig.low_s``).

    Parameters
    ----------
    sig : Signature
        The signature.

    Returns
    -------
    bool
        True when ``s`` is in the low half of the group order.

    Examples
    --------
    >>> from workbench.chain import PrivateKey, Signature, sha256
    >>> from workbench.chain.keys import N, is_low_s
    >>> sig = PrivateKey.from_int(1).sign(sha256(b"Satoshi Nakamoto"))
    >>> is_low_s(sig), is_low_s(Signature(sig.r, N - sig.s))
    (True, False)
    """
    return sig.s <= HALF_N


def normalize_s(sig: Signature) -> Signature:
    """Map a high-S signature to its low-S twin (same validity, different bytes).

    Parameters
    ----------
    sig : Signature
        The signature, high-S or low-S.

    Returns
    -------
    Signature
        ``(r, N - s)`` with the recovery id flipped when ``sig`` is high-S; ``sig`` itself when
        it is already low-S.

    Examples
    --------
    >>> from workbench.chain import PrivateKey, Signature, normalize_s, sha256
    >>> from workbench.chain.keys import N
    >>> sig = PrivateKey.from_int(1).sign(sha256(b"Satoshi Nakamoto"))
    >>> twin = Signature(sig.r, N - sig.s, sig.v ^ 1)
    >>> twin.low_s, normalize_s(twin) == sig
    (False, True)
    """
    return sig.normalized()


def der_encode(sig: Signature) -> bytes:
    """Strict DER encoding ``30 len 02 len r 02 len s`` (BIP 66).

    Parameters
    ----------
    sig : Signature
        The signature; its recovery id ``v`` is not encoded.

    Returns
    -------
    bytes
        The DER bytes (up to 72), each integer minimal with a ``0x00`` byte where its top bit
        is set.

    See Also
    --------
    der_decode : The inverse.

    Examples
    --------
    >>> from workbench.chain import PrivateKey, sha256
    >>> from workbench.chain.keys import der_encode
    >>> der = der_encode(PrivateKey.from_int(1).sign(sha256(b"Satoshi Nakamoto")))
    >>> len(der), der[:2].hex()
    (71, '3045')
    """

    def _int(x: int) -> bytes:
        b = x.to_bytes((x.bit_length() + 8) // 8, "big")  # leading 0x00 keeps it positive
        return b"\x02" + bytes((len(b),)) + b

    body = _int(sig.r) + _int(sig.s)
    return b"\x30" + bytes((len(body),)) + body


def der_decode(data: bytes) -> Signature:
    """Parse a strict-DER ECDSA signature (BIP 66); raises :class:`SignatureError`.

    Parameters
    ----------
    data : bytes
        The DER bytes (without Bitcoin's trailing hash-type byte).

    Returns
    -------
    Signature
        The signature, with recovery id ``v = 0`` (DER does not carry it).

    Raises
    ------
    SignatureError
        If the bytes are truncated, have a bad header, length or trailing bytes, an integer
        that is negative or not minimally encoded, or ``r`` or ``s`` outside ``[1, N)``.

    See Also
    --------
    der_encode : The inverse.

    Examples
    --------
    >>> from workbench.chain import PrivateKey, Signature, sha256
    >>> from workbench.chain.keys import der_decode, der_encode
    >>> sig = PrivateKey.from_int(1).sign(sha256(b"Satoshi Nakamoto"))
    >>> der_decode(der_encode(sig)) == Signature(sig.r, sig.s)
    True
    """
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

    High-S signatures are rejected (returns False) unless ``allow_high_s``, which checks the
    low-S twin instead (Bitcoin's consensus rule for legacy scripts; nodes only refuse to relay
    high-S).

    Parameters
    ----------
    public_key : PublicKey
        The signer's public key.
    digest : bytes
        The 32-byte message digest that was signed (bytes or bytearray).
    sig : Signature
        The signature; its recovery id ``v`` is ignored.
    allow_high_s : bool, default False
        Accept a high-S signature (valid by consensus, not relayed) by verifying its low-S twin.

    Returns
    -------
    bool
        True when the signature is valid for ``digest`` under ``public_key``.

    Raises
    ------
    InvalidKeyError
        If ``public_key`` is not a :class:`PublicKey`.
    SignatureError
        If ``sig`` is not a :class:`Signature`, or ``digest`` is not 32 bytes.

    Examples
    --------
    >>> from workbench.chain import PrivateKey, Signature, sha256, verify
    >>> from workbench.chain.keys import N
    >>> key, digest = PrivateKey.from_int(1), sha256(b"Satoshi Nakamoto")
    >>> sig = key.sign(digest)
    >>> high = Signature(sig.r, N - sig.s, sig.v ^ 1)
    >>> verify(key.public_key, digest, sig), verify(key.public_key, digest, high)
    (True, False)
    >>> verify(key.public_key, digest, high, allow_high_s=True)
    True
    """
    if not isinstance(public_key, PublicKey):
        raise InvalidKeyError(f"verify needs a workbench.chain.PublicKey, got {type(public_key).__name__}")
    if not isinstance(sig, Signature):
        raise SignatureError(f"verify needs a workbench.chain.Signature, got {type(sig).__name__}")
    digest = _check_digest(digest)
    if not sig.low_s:
        if not allow_high_s:
            return False
        sig = sig.normalized()
    return public_key._key.verify(der_encode(sig), digest, hasher=None)


def recover(digest: bytes, sig: Signature) -> PublicKey:
    """The public key that produced ``sig`` over ``digest`` (Ethereum's ``ecrecover``).

    Parameters
    ----------
    digest : bytes
        The 32-byte message digest that was signed (bytes or bytearray).
    sig : Signature
        The signature, with the recovery id ``v`` that :func:`sign` sets.

    Returns
    -------
    PublicKey
        The recovered key (compressed form by default).

    Raises
    ------
    SignatureError
        If ``sig`` is not a :class:`Signature`, ``digest`` is not 32 bytes, or no public key
        recovers from the signature.

    Examples
    --------
    >>> from workbench.chain import PrivateKey, recover, sha256
    >>> key, digest = PrivateKey.from_int(1), sha256(b"Satoshi Nakamoto")
    >>> recover(digest, key.sign(digest)) == key.public_key
    True
    """
    if not isinstance(sig, Signature):
        raise SignatureError(f"recover needs a workbench.chain.Signature, got {type(sig).__name__}")
    try:
        key = coincurve.PublicKey.from_signature_and_message(bytes(sig), _check_digest(digest), hasher=None)
    except ValueError as exc:
        raise SignatureError(f"no public key recovers from this signature: {exc}") from None
    return PublicKey._wrap(key)
