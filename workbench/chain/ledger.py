"""A chain of our own, account model: transactions, block headers, blocks and the state
transition, with full validation that names the reason of every rejection.

Wire formats (all integers big-endian, every field fixed-size except ``data``):

* transaction: ``type u8 | chain_id u32 | nonce u64 | to 20 | value u64 | fee u64 |
  data_len u16 | data | r 32 | s 32 | v u8``. The signature covers
  ``sha256d`` of everything before ``r`` (the *signing digest*), which includes the chain
  id, so a transaction signed for one chain is invalid on every other (replay protection,
  as EIP-155 does for Ethereum). The sender is not in the bytes: it is *recovered* from
  the signature, and its address is the last 20 bytes of keccak-256 of the public key,
  as on Ethereum. The transaction id is ``sha256d`` of the full signed bytes.
* header: ``version u32 | chain_id u32 | height u64 | prev_hash 32 | merkle_root 32 |
  timestamp_ms u64 | bits u32 | nonce u64 | producer 20`` (120 bytes), followed on
  proof-of-stake chains by the proposer's 65-byte signature of the header hash. The block
  hash is ``sha256d`` of the 120 bytes; PoW compares it (little-endian, as Bitcoin does)
  with the target that ``bits`` encodes; on PoS chains ``nonce`` carries the slot.
* block: ``header | tx_count u32 | (tx_len u16 | tx)*``.

Rejections raise :class:`ValidationError` (or its subclass :class:`TxError`) whose
``reason`` is one of :data:`REASONS`.

Examples
--------
>>> from workbench.chain.keys import PrivateKey
>>> alice, bob = PrivateKey.from_int(1), PrivateKey.from_int(2)
>>> tx = Transaction(chain_id=7, nonce=0, to=bob.address, value=5, fee=1).sign(alice)
>>> tx.sender == alice.address, len(tx.serialize())
(True, 116)
>>> Transaction.parse(tx.serialize(), chain_id=8)
Traceback (most recent call last):
...
workbench.chain.ledger.TxError: wrong-chain-id: transaction is for chain 7, this chain is 8
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, replace
from functools import lru_cache

import coincurve

from ..errors import WorkbenchError, is_int
from .addresses import to_checksum_address
from .hashes import keccak256, sha256d
from .keys import HALF_N, N, PrivateKey, Signature
from .merkle import merkle_root

__all__ = [
    "REASONS",
    "ValidationError",
    "TxError",
    "TxType",
    "Transaction",
    "Header",
    "Block",
    "State",
    "address_bytes",
    "address_str",
    "tx_merkle_root",
    "work_of_target",
]

#: Every reason a transaction or block can be rejected for.
REASONS = {
    "wrong-type": "a field or the transaction type has the wrong kind or an unknown value",
    "wrong-length": "the bytes are shorter or longer than the format says",
    "bad-signature": "r or s out of range, v not 0/1, or no public key recovers",
    "high-s": "the signature's s is in the upper half (malleable twin); only low-S is accepted",
    "wrong-chain-id": "signed for another chain (replay protection)",
    "nonce-too-low": "the sender's nonce was already used on this chain (a replay)",
    "nonce-gap": "the nonce skips ahead of the sender's next nonce",
    "double-spend": "two transactions in the block spend the same (sender, nonce)",
    "insufficient-balance": "value + fee exceeds the sender's balance (overspend)",
    "fee-too-low": "fee below the chain's minimum",
    "replacement-underpriced": "replacing a pending transaction needs a fee at least 10% higher",
    "not-minter": "a mint or slash that the sender may not issue",
    "already-claimed": "a bridge claim that was already minted",
    "bad-evidence": "slashing evidence that does not prove a double signature",
    "bad-merkle-root": "the header's Merkle root does not commit to the block's transactions",
    "bad-pow": "the header hash is above the target",
    "bad-bits": "the header's difficulty bits differ from the retargeting rule",
    "bad-proposer": "not the stake-weighted proposer of this slot, or its signature fails",
    "bad-slot": "a PoS slot that does not increase",
    "bad-prev-hash": "the parent hash does not match",
    "unknown-parent": "the parent block is unknown",
    "bad-height": "height is not parent height + 1",
    "bad-timestamp": "timestamp not after the median of the last 11 blocks, or too far in the future",
    "bad-version": "unknown header version",
    "block-too-large": "more transactions than the chain allows",
    "duplicate": "the block is already known",
    "invalid-ancestor": "the block builds on a block that failed validation",
}


class ValidationError(WorkbenchError):
    """A transaction or block that fails validation; ``reason`` is a key of :data:`REASONS`.

    A :class:`~workbench.errors.WorkbenchError` (so a :class:`ValueError`); its message is
    ``"<reason>: <detail>"``.

    Parameters
    ----------
    reason : str
        Why, one of the keys of :data:`REASONS` (e.g. ``"nonce-gap"``).
    detail : str, default ""
        Specifics for the message; empty uses the reason's description in :data:`REASONS`.

    Attributes
    ----------
    reason : str
        The ``reason`` given, for code that reacts to the kind of rejection.
    detail : str
        The ``detail`` given.

    Examples
    --------
    >>> from workbench.chain import ValidationError
    >>> err = ValidationError("bad-pow")
    >>> err.reason, str(err)
    ('bad-pow', 'bad-pow: the header hash is above the target')
    """

    def __init__(self, reason: str, detail: str = ""):
        if reason not in REASONS:  # pragma: no cover - programming error
            raise KeyError(reason)
        self.reason = reason
        self.detail = detail
        super().__init__(f"{reason}: {detail or REASONS[reason]}")

    def __reduce__(self):
        return (type(self), (self.reason, self.detail))


class TxError(ValidationError):
    """A transaction rejected by parsing or by the state transition.

    A :class:`ValidationError`, so ``except ValidationError`` catches both.

    Parameters
    ----------
    reason : str
        Why, one of the keys of :data:`REASONS` (e.g. ``"nonce-gap"``).
    detail : str, default ""
        Specifics for the message; empty uses the reason's description in :data:`REASONS`.

    Attributes
    ----------
    reason : str
        The ``reason`` given, for code that reacts to the kind of rejection.
    detail : str
        The ``detail`` given.

    Examples
    --------
    >>> from workbench.chain import PrivateKey, Transaction, TxError
    >>> tx = Transaction(chain_id=7, nonce=0, to=PrivateKey.from_int(2).address, value=5, fee=1)
    >>> try:
    ...     tx.serialize()
    ... except TxError as exc:
    ...     print(exc.reason)
    bad-signature
    """


class TxType:
    """The transaction types (the ``type`` byte of a transaction), as integer constants.

    Attributes
    ----------
    TRANSFER : int
        1: move ``value`` from the sender to ``to``.
    MINT : int
        2: a bridge mint of wrapped tokens to ``to``, only from the chain's minter; ``data`` is
        the source chain id (u32) and the source txid (32 bytes).
    SLASH : int
        3: evidence of a double signature (``data`` is two signed headers of one slot); half the
        penalty goes to the sender.
    ALL : tuple of int
        Every valid type, ``(1, 2, 3)``.

    Examples
    --------
    >>> from workbench.chain import TxType
    >>> TxType.TRANSFER, TxType.ALL
    (1, (1, 2, 3))
    """

    TRANSFER = 1
    MINT = 2  # bridge mint, only from the chain's minter; data = src chain id u32 + src txid
    SLASH = 3  # evidence of a double signature: data = two signed headers of one slot
    ALL = (1, 2, 3)


_U64 = 2**64


def address_bytes(addr) -> bytes:
    """A 20-byte address from bytes or a ``0x`` hex string (any case).

    Parameters
    ----------
    addr : bytes or str
        20 bytes (bytes or bytearray), or 40 hex digits with an optional ``0x``/``0X`` prefix.
        The EIP-55 checksum of a mixed-case string is not checked.

    Returns
    -------
    bytes
        The 20 address bytes.

    Raises
    ------
    TxError
        With reason ``"wrong-length"`` if the address is not 20 bytes, ``"wrong-type"`` if a
        string is not hex or ``addr`` is neither bytes nor str.

    See Also
    --------
    address_str : The inverse.

    Examples
    --------
    >>> from workbench.chain.ledger import address_bytes
    >>> address_bytes("0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf").hex()
    '7e5f4552091a69125d5dfcb7b8c2659029395bdf'
    """
    if isinstance(addr, (bytes, bytearray)):
        if len(addr) != 20:
            raise TxError("wrong-length", f"an address is 20 bytes, got {len(addr)}")
        return bytes(addr)
    if isinstance(addr, str):
        text = addr[2:] if addr[:2] in ("0x", "0X") else addr
        try:
            raw = bytes.fromhex(text)
        except ValueError:
            raise TxError("wrong-type", f"address {addr!r} is not hex") from None
        return address_bytes(raw)
    raise TxError("wrong-type", f"an address is 20 bytes or a 0x-hex string, got {type(addr).__name__}")


def address_str(addr: bytes) -> str:
    """The EIP-55 checksummed text of a 20-byte address.

    Parameters
    ----------
    addr : bytes
        The 20 address bytes.

    Returns
    -------
    str
        ``0x`` and 40 hex digits in EIP-55 mixed case.

    Raises
    ------
    AddressError
        If ``addr`` is not 20 bytes long.

    See Also
    --------
    address_bytes : The inverse.

    Examples
    --------
    >>> from workbench.chain.ledger import address_str
    >>> address_str(bytes.fromhex("7e5f4552091a69125d5dfcb7b8c2659029395bdf"))
    '0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf'
    """
    return to_checksum_address("0x" + addr.hex())


def _what(v) -> str:
    return f"{len(v)} bytes" if isinstance(v, (bytes, bytearray)) else type(v).__name__


def _check_uint(name, value, bits, error=None):
    error = error or TxError
    if not is_int(value):
        raise error("wrong-type", f"{name} must be an int, got {type(value).__name__}")
    if not 0 <= value < 2**bits:
        raise error("wrong-type", f"{name} must be in [0, 2**{bits}), got {value}")
    return value


_TX_HEAD = struct.Struct(">BIQ20sQQH")
_TX_MIN = _TX_HEAD.size + 65


def _sender_address(pub: coincurve.PublicKey) -> bytes:
    return keccak256(pub.format(compressed=False)[1:])[12:]


@dataclass(frozen=True)
class Transaction:
    """A signed (or unsigned, before :meth:`sign`) account-model transaction.

    Nothing about the sender is stored: :attr:`sender` is always recovered from the signature
    over the exact fields the object holds (memoised by those bytes), so a copy with any field
    changed (``dataclasses.replace``, a constructor call, a hand-edited object) has a different
    sender or none, never the original signer's.

    A frozen dataclass; the constructor checks every field's type and range.

    Parameters
    ----------
    chain_id : int
        The chain the transaction is for (replay protection), in ``[0, 2**32)``.
    nonce : int
        The sender's sequence number, in ``[0, 2**64)``; the first transaction of an account
        has nonce 0.
    to : bytes or str
        The recipient: 20 bytes or a ``0x`` hex string (stored as 20 bytes).
    value : int
        Amount moved (or minted), in ``[0, 2**64)``.
    fee : int
        Fee paid to the block producer, in ``[0, 2**64)``.
    data : bytes, default b""
        Payload (bytes or bytearray, stored as bytes), at most 65535 bytes.
    type : int, default TxType.TRANSFER
        One of :attr:`TxType.ALL`.
    signature : Signature or None, default None
        The sender's signature over :meth:`signing_digest`; None for an unsigned transaction
        (use :meth:`sign`).

    Raises
    ------
    TxError
        With reason ``"wrong-type"`` for a field of the wrong type or out of range, an unknown
        ``type`` or a bad ``to``; ``"wrong-length"`` for a ``to`` that is not 20 bytes or
        ``data`` of 65536 bytes or more.

    See Also
    --------
    State.apply_tx : Apply a transaction to balances and nonces.

    Examples
    --------
    >>> from workbench.chain import PrivateKey, Transaction
    >>> alice, bob = PrivateKey.from_int(1), PrivateKey.from_int(2)
    >>> tx = Transaction(chain_id=7, nonce=0, to=bob.address, value=5, fee=1).sign(alice)
    >>> tx.sender == alice.address, len(tx.serialize()), tx.txid.hex()[:16]
    (True, 116, '57f23d0331a9a1da')
    """

    chain_id: int
    nonce: int
    to: bytes
    value: int
    fee: int
    data: bytes = b""
    type: int = TxType.TRANSFER
    signature: Signature | None = None

    def __post_init__(self):
        object.__setattr__(self, "to", address_bytes(self.to))
        if self.signature is not None and not isinstance(self.signature, Signature):
            raise TxError(
                "wrong-type", f"signature must be a workbench.chain.Signature, got {type(self.signature).__name__}"
            )
        _check_uint("type", self.type, 8)
        if self.type not in TxType.ALL:
            raise TxError("wrong-type", f"unknown transaction type {self.type} (allowed {TxType.ALL})")
        _check_uint("chain_id", self.chain_id, 32)
        _check_uint("nonce", self.nonce, 64)
        _check_uint("value", self.value, 64)
        _check_uint("fee", self.fee, 64)
        if not isinstance(self.data, (bytes, bytearray)):
            raise TxError("wrong-type", f"data must be bytes, got {type(self.data).__name__}")
        object.__setattr__(self, "data", bytes(self.data))  # immutable: a bytearray could change after signing
        if len(self.data) >= 2**16:
            raise TxError("wrong-length", "data is at most 65535 bytes")

    def signing_bytes(self) -> bytes:
        """The wire fields before the signature: ``type | chain_id | nonce | to | value | fee |
        data_len | data``.

        Returns
        -------
        bytes
            51 bytes plus ``len(data)``, integers big-endian.
        """
        return _TX_HEAD.pack(
            self.type, self.chain_id, self.nonce, self.to, self.value, self.fee, len(self.data)
        ) + bytes(self.data)

    def signing_digest(self) -> bytes:
        """The digest the sender signs: ``sha256d(signing_bytes())``.

        Returns
        -------
        bytes
            32 bytes.
        """
        return sha256d(self.signing_bytes())

    def sign(self, key: PrivateKey) -> Transaction:
        """A copy signed by ``key`` (RFC 6979, low-S).

        Parameters
        ----------
        key : PrivateKey
            The sender's key; the sender is the key's address.

        Returns
        -------
        Transaction
            The same fields with :attr:`signature` set (any earlier signature replaced).

        Raises
        ------
        TxError
            With reason ``"wrong-type"`` if ``key`` is not a :class:`~workbench.chain.PrivateKey`.
        """
        if not isinstance(key, PrivateKey):
            raise TxError("wrong-type", "sign with a workbench.chain.PrivateKey")
        return replace(self, signature=key.sign(self.signing_digest()))

    def serialize(self) -> bytes:
        """The wire form: :meth:`signing_bytes` then ``r | s | v`` (65 bytes).

        Returns
        -------
        bytes
            ``116 + len(data)`` bytes.

        Raises
        ------
        TxError
            With reason ``"bad-signature"`` if the transaction is not signed.
        """
        if self.signature is None:
            raise TxError("bad-signature", "the transaction is not signed")
        return self.signing_bytes() + bytes(self.signature)

    @property
    def txid(self) -> bytes:
        """The transaction id, ``sha256d`` of the signed wire bytes (internal byte order).

        Returns
        -------
        bytes
            32 bytes; reading it raises :class:`TxError` (``"bad-signature"``) when unsigned.
        """
        return sha256d(self.serialize())

    @property
    def sender(self) -> str:
        """Checksummed address recovered from the signature.

        Returns
        -------
        str
            The EIP-55 address; reading it raises :class:`TxError` like :attr:`sender_bytes`.
        """
        return address_str(self.sender_bytes)

    @property
    def sender_bytes(self) -> bytes:
        """The sender's 20-byte address, recovered from the signature over this object's fields
        (a wrong, high-S or missing signature raises :class:`TxError`).

        Returns
        -------
        bytes
            The 20 address bytes.
        """
        return _recover_sender(self.signing_digest(), self.signature)

    @classmethod
    def parse(cls, raw: bytes, chain_id: int | None = None) -> Transaction:
        """Parse and check a serialized transaction: format, signature, chain id (stateless checks).

        Parameters
        ----------
        raw : bytes
            The wire bytes (bytes or bytearray), as :meth:`serialize` gives them.
        chain_id : int or None, default None
            The chain parsing it; a transaction for another chain is rejected. None skips the
            check.

        Returns
        -------
        Transaction
            The transaction, its sender already recovered.

        Raises
        ------
        TxError
            With reason ``"wrong-type"`` (not bytes, unknown type), ``"wrong-length"`` (too
            short, or a length that disagrees with ``data_len``), ``"wrong-chain-id"``,
            ``"bad-signature"`` (``r``, ``s`` or ``v`` out of range, no key recovers) or
            ``"high-s"``.
        """
        if not isinstance(raw, (bytes, bytearray)):
            raise TxError("wrong-type", f"a serialized transaction is bytes, got {type(raw).__name__}")
        if len(raw) < _TX_MIN:
            raise TxError("wrong-length", f"a transaction is at least {_TX_MIN} bytes, got {len(raw)}")
        typ, cid, nonce, to, value, fee, dlen = _TX_HEAD.unpack_from(raw, 0)
        if typ not in TxType.ALL:
            raise TxError("wrong-type", f"unknown transaction type {typ} (allowed {TxType.ALL})")
        end = _TX_HEAD.size + dlen
        if len(raw) != end + 65:
            raise TxError("wrong-length", f"data length {dlen} implies {end + 65} bytes, got {len(raw)}")
        if chain_id is not None and cid != chain_id:
            raise TxError("wrong-chain-id", f"transaction is for chain {cid}, this chain is {chain_id}")
        r = int.from_bytes(raw[end : end + 32], "big")
        s = int.from_bytes(raw[end + 32 : end + 64], "big")
        v = raw[end + 64]
        if not (0 < r < N and 0 < s < N) or v > 1:
            raise TxError("bad-signature", "r and s must be in [1, n) and v in {0, 1}")
        if s > HALF_N:
            raise TxError("high-s", "s is in the upper half of the group order (malleable); use its low-S twin")
        tx = cls(cid, nonce, to, value, fee, bytes(raw[_TX_HEAD.size : end]), typ, Signature(r, s, v))
        tx.sender_bytes  # noqa: B018 - recovers (and memoises) the sender: a bad signature fails here
        return tx

    def to_dict(self) -> dict:
        """The transaction as plain values, e.g. for a table row.

        Returns
        -------
        dict
            ``txid`` (hex), ``type``, ``chain_id``, ``sender`` and ``to`` (EIP-55 addresses),
            ``nonce``, ``value``, ``fee`` and ``data_bytes`` (the length of ``data``).

        Raises
        ------
        TxError
            With reason ``"bad-signature"`` if the transaction is unsigned or its signature
            recovers no key, ``"high-s"`` for a high-S signature.
        """
        return {
            "txid": self.txid.hex(),
            "type": self.type,
            "chain_id": self.chain_id,
            "sender": self.sender,
            "nonce": self.nonce,
            "to": address_str(self.to),
            "value": self.value,
            "fee": self.fee,
            "data_bytes": len(self.data),
        }


def _recover_sender(digest: bytes, sig: Signature | None) -> bytes:
    """The address that signed ``digest``: the same checks for objects as for bytes from the wire
    (r and s in range, v in {0, 1}, low-S only), then public-key recovery."""
    if sig is None:
        raise TxError("bad-signature", "the transaction is not signed")
    if not isinstance(sig, Signature):
        raise TxError("wrong-type", f"signature must be a Signature, got {type(sig).__name__}")
    r, s, v = sig.r, sig.s, sig.v
    if not (is_int(r) and is_int(s) and is_int(v)) or not (0 < r < N and 0 < s < N) or v not in (0, 1):
        raise TxError("bad-signature", "r and s must be in [1, n) and v in {0, 1}")
    r, s, v = int(r), int(s), int(v)
    if s > HALF_N:
        raise TxError("high-s", "s is in the upper half of the group order (malleable); use its low-S twin")
    return _recover_cached(digest, r, s, v)


@lru_cache(maxsize=65536)
def _recover_cached(digest: bytes, r: int, s: int, v: int) -> bytes:
    """Public-key recovery memoised by (digest, signature): the key is what was signed, so the
    cache can never attribute a changed transaction to its original signer."""
    raw = r.to_bytes(32, "big") + s.to_bytes(32, "big") + bytes((v,))
    try:
        pub = coincurve.PublicKey.from_signature_and_message(raw, digest, hasher=None)
    except ValueError:
        raise TxError("bad-signature", "no public key recovers from this signature") from None
    return _sender_address(pub)


# --------------------------------------------------------------------------- headers and blocks

_HEADER = struct.Struct(">IIQ32s32sQIQ20s")
HEADER_SIZE = _HEADER.size  # 120
VERSION = 1


def work_of_target(target: int) -> int:
    """Expected hashes to meet ``target``: ``2**256 // (target + 1)`` (Bitcoin's chainwork).

    Parameters
    ----------
    target : int
        The proof-of-work target, >= 0 (a hash read as an integer must be <= it).

    Returns
    -------
    int
        The work a block at this target adds to its chain.

    Examples
    --------
    >>> from workbench.chain.ledger import work_of_target
    >>> work_of_target(2**240 - 1)   # 16 leading zero bits
    65536
    """
    return 2**256 // (target + 1)


@dataclass(frozen=True)
class Header:
    """A block header: the fields a block's hash commits to, and the proposer's signature on
    proof-of-stake chains.

    A frozen dataclass; the constructor checks every field. The wire format is in the module
    docstring.

    Parameters
    ----------
    chain_id : int
        The chain, in ``[0, 2**32)``.
    height : int
        Blocks since genesis (genesis is 0), in ``[0, 2**64)``.
    prev_hash : bytes
        The parent block's 32-byte hash.
    merkle_root : bytes
        The 32-byte :func:`tx_merkle_root` of the block's transactions.
    timestamp_ms : int
        Block time in milliseconds, in ``[0, 2**64)``.
    bits : int
        Compact proof-of-work target (Bitcoin's encoding), in ``[0, 2**32)``.
    nonce : int
        Proof-of-work nonce, or the slot on proof-of-stake chains, in ``[0, 2**64)``.
    producer : bytes
        The 20-byte address of the miner or proposer (credited the reward and fees).
    signature : Signature or None, default None
        The proposer's signature of :attr:`hash` on proof-of-stake chains; None on
        proof-of-work chains.
    version : int, default VERSION
        Header version, in ``[0, 2**32)``; :meth:`parse` accepts only ``VERSION`` (1).

    Raises
    ------
    ValidationError
        With reason ``"wrong-type"`` for an integer field of the wrong type or range, a hash or
        ``producer`` of the wrong size, or a ``signature`` that is not a Signature.

    Examples
    --------
    >>> from workbench.chain import Header
    >>> hd = Header(chain_id=7, height=1, prev_hash=bytes(32), merkle_root=bytes(32),
    ...             timestamp_ms=0, bits=0x1F00FFFF, nonce=0, producer=bytes(20))
    >>> len(hd.serialize()), hd.slot, hd.hash.hex()[:16]
    (120, 0, 'cbfb96368baa6815')
    """

    chain_id: int
    height: int
    prev_hash: bytes
    merkle_root: bytes
    timestamp_ms: int
    bits: int
    nonce: int
    producer: bytes
    signature: Signature | None = None
    version: int = VERSION

    def __post_init__(self):
        for name, bits in (
            ("version", 32),
            ("chain_id", 32),
            ("height", 64),
            ("timestamp_ms", 64),
            ("bits", 32),
            ("nonce", 64),
        ):
            _check_uint(name, getattr(self, name), bits, ValidationError)
        for name, size in (("prev_hash", 32), ("merkle_root", 32), ("producer", 20)):
            v = getattr(self, name)
            if not isinstance(v, (bytes, bytearray)) or len(v) != size:
                raise ValidationError("wrong-type", f"header {name} must be {size} bytes, got {_what(v)}")
            object.__setattr__(self, name, bytes(v))
        if self.signature is not None and not isinstance(self.signature, Signature):
            raise ValidationError("wrong-type", f"header signature must be a Signature, got {_what(self.signature)}")

    def core_bytes(self) -> bytes:
        """The header without its signature: the bytes :attr:`hash` hashes.

        Returns
        -------
        bytes
            ``HEADER_SIZE`` (120) bytes, integers big-endian.
        """
        return _HEADER.pack(
            self.version,
            self.chain_id,
            self.height,
            self.prev_hash,
            self.merkle_root,
            self.timestamp_ms,
            self.bits,
            self.nonce,
            self.producer,
        )

    def serialize(self) -> bytes:
        """The wire form: :meth:`core_bytes`, then the 65-byte signature when there is one.

        Returns
        -------
        bytes
            120 bytes, or 185 for a signed (proof-of-stake) header.
        """
        core = self.core_bytes()
        return core + bytes(self.signature) if self.signature is not None else core

    @property
    def hash(self) -> bytes:
        """The block hash, ``sha256d(core_bytes())`` (the signature is not hashed).

        Returns
        -------
        bytes
            32 bytes; proof of work reads them as a little-endian integer.
        """
        return sha256d(self.core_bytes())

    @property
    def slot(self) -> int:
        """The proof-of-stake slot, carried in :attr:`nonce`.

        Returns
        -------
        int
            The slot number.
        """
        return self.nonce

    def signer(self) -> bytes:
        """Address that signed this (PoS) header.

        Returns
        -------
        bytes
            The 20-byte address recovered from :attr:`signature` over :attr:`hash`.

        Raises
        ------
        ValidationError
            With reason ``"bad-proposer"`` if the header is unsigned or its signature is
            malformed, high-S or recovers no key.
        """
        if self.signature is None:
            raise ValidationError("bad-proposer", "a proof-of-stake header must be signed")
        try:
            return _recover_sender(self.hash, self.signature)
        except TxError as exc:
            raise ValidationError("bad-proposer", str(exc)) from None

    @classmethod
    def parse(cls, raw: bytes, signed: bool) -> Header:
        """Parse a header from its wire form.

        Parameters
        ----------
        raw : bytes
            Exactly the header's bytes: 120, or 185 when ``signed``.
        signed : bool
            Whether a 65-byte signature follows (proof-of-stake chains).

        Returns
        -------
        Header
            The header (its signature is range-checked, not recovered).

        Raises
        ------
        ValidationError
            With reason ``"wrong-length"`` if ``raw`` has the wrong size, ``"bad-version"`` for
            a version other than ``VERSION``, ``"bad-proposer"`` for a malformed or high-S
            signature.
        """
        size = HEADER_SIZE + (65 if signed else 0)
        if len(raw) != size:
            raise ValidationError("wrong-length", f"a header is {size} bytes here, got {len(raw)}")
        fields = _HEADER.unpack_from(raw, 0)
        if fields[0] != VERSION:
            raise ValidationError("bad-version", f"header version {fields[0]}, expected {VERSION}")
        sig = None
        if signed:
            r = int.from_bytes(raw[HEADER_SIZE : HEADER_SIZE + 32], "big")
            s = int.from_bytes(raw[HEADER_SIZE + 32 : HEADER_SIZE + 64], "big")
            v = raw[HEADER_SIZE + 64]
            if not (0 < r < N and 0 < s <= HALF_N) or v > 1:
                raise ValidationError("bad-proposer", "the header signature is malformed or high-S")
            sig = Signature(r, s, v)
        return cls(*fields[1:], signature=sig, version=fields[0])


def tx_merkle_root(txs) -> bytes:
    """Merkle root (Bitcoin's rule) over the txids; 32 zero bytes for an empty block.

    Parameters
    ----------
    txs : iterable of Transaction
        The block's signed transactions, in block order.

    Returns
    -------
    bytes
        The 32-byte root, the value of :attr:`Header.merkle_root`.

    Raises
    ------
    TxError
        With reason ``"bad-signature"`` if a transaction is unsigned (it has no txid).

    Examples
    --------
    >>> from workbench.chain import PrivateKey, Transaction
    >>> from workbench.chain.ledger import tx_merkle_root
    >>> tx = Transaction(chain_id=7, nonce=0, to=PrivateKey.from_int(2).address, value=5, fee=1)
    >>> tx = tx.sign(PrivateKey.from_int(1))
    >>> tx_merkle_root([tx]) == tx.txid, tx_merkle_root([]) == bytes(32)
    (True, True)
    """
    ids = [tx.txid for tx in txs]
    return merkle_root(ids) if ids else b"\0" * 32


@dataclass(frozen=True)
class Block:
    """A header and its transactions.

    A frozen dataclass; the constructor checks types (not the Merkle root: the node does).

    Parameters
    ----------
    header : Header
        The block header.
    transactions : iterable of Transaction, default ()
        The block's transactions, in order; stored as a tuple.

    Raises
    ------
    ValidationError
        With reason ``"wrong-type"`` if ``header`` is not a :class:`Header`, ``transactions``
        is not iterable or holds something that is not a :class:`Transaction`.

    Examples
    --------
    >>> from workbench.chain import Block, Header
    >>> hd = Header(chain_id=7, height=1, prev_hash=bytes(32), merkle_root=bytes(32),
    ...             timestamp_ms=0, bits=0x1F00FFFF, nonce=0, producer=bytes(20))
    >>> block = Block(hd)
    >>> block.height, len(block.serialize()), Block.parse(block.serialize(), signed=False) == block
    (1, 124, True)
    """

    header: Header
    transactions: tuple = ()

    def __post_init__(self):
        if not isinstance(self.header, Header):
            raise ValidationError("wrong-type", f"a block's header must be a Header, got {_what(self.header)}")
        try:
            txs = tuple(self.transactions)
        except TypeError:
            raise ValidationError("wrong-type", "a block's transactions must be a sequence of Transaction") from None
        for tx in txs:
            if not isinstance(tx, Transaction):
                raise ValidationError("wrong-type", f"a block holds Transactions, got {_what(tx)}")
        object.__setattr__(self, "transactions", txs)

    @property
    def hash(self) -> bytes:
        """The block hash, the header's :attr:`Header.hash`.

        Returns
        -------
        bytes
            32 bytes.
        """
        return self.header.hash

    @property
    def height(self) -> int:
        """The header's height.

        Returns
        -------
        int
            Blocks since genesis.
        """
        return self.header.height

    def serialize(self) -> bytes:
        """The wire form: header, ``tx_count`` (u32), then each transaction as ``tx_len`` (u16)
        and its bytes.

        Returns
        -------
        bytes
            The serialized block.

        Raises
        ------
        TxError
            With reason ``"bad-signature"`` if a transaction is unsigned.
        """
        parts = [self.header.serialize(), struct.pack(">I", len(self.transactions))]
        for tx in self.transactions:
            raw = tx.serialize()
            parts.append(struct.pack(">H", len(raw)))
            parts.append(raw)
        return b"".join(parts)

    @classmethod
    def parse(cls, raw: bytes, *, signed: bool, chain_id: int | None = None) -> Block:
        """Parse a block; every transaction is parsed and signature-checked (stateless).

        Parameters
        ----------
        raw : bytes
            The wire bytes (bytes or bytearray), as :meth:`serialize` gives them.
        signed : bool
            Whether the header carries a signature (proof-of-stake chains).
        chain_id : int or None, default None
            The chain parsing it; a block for another chain is rejected. None skips the check
            (transactions are still checked against the header's chain id).

        Returns
        -------
        Block
            The block.

        Raises
        ------
        ValidationError
            With reason ``"wrong-type"`` if ``raw`` is not bytes, ``"wrong-length"`` if it is
            truncated or has trailing bytes, ``"wrong-chain-id"``, or any reason of
            :meth:`Header.parse`.
        TxError
            For a transaction that :meth:`Transaction.parse` rejects.
        """
        if not isinstance(raw, (bytes, bytearray)):
            raise ValidationError("wrong-type", f"a serialized block is bytes, got {type(raw).__name__}")
        hsize = HEADER_SIZE + (65 if signed else 0)
        if len(raw) < hsize + 4:
            raise ValidationError("wrong-length", f"a block is at least {hsize + 4} bytes, got {len(raw)}")
        header = Header.parse(raw[:hsize], signed)
        if chain_id is not None and header.chain_id != chain_id:
            raise ValidationError("wrong-chain-id", f"block is for chain {header.chain_id}, this chain is {chain_id}")
        (count,) = struct.unpack_from(">I", raw, hsize)
        pos, txs = hsize + 4, []
        for i in range(count):
            if pos + 2 > len(raw):
                raise ValidationError("wrong-length", f"block ends before transaction {i} of {count}")
            (ln,) = struct.unpack_from(">H", raw, pos)
            if pos + 2 + ln > len(raw):
                raise ValidationError("wrong-length", f"transaction {i} runs past the end of the block")
            txs.append(Transaction.parse(raw[pos + 2 : pos + 2 + ln], header.chain_id))
            pos += 2 + ln
        if pos != len(raw):
            raise ValidationError("wrong-length", f"{len(raw) - pos} trailing bytes after {count} transactions")
        return cls(header, tuple(txs))


# --------------------------------------------------------------------------- state


class State:
    """Account balances and nonces (plus stakes, wrapped bridge balances and claims).

    ``apply_tx`` checks a transaction against the state and applies it, recording the old
    values in ``undo`` (a dict) so that a block can be rolled back on a reorg.

    Parameters
    ----------
    balances : dict or None, default None
        Starting balances, ``{20-byte address: amount}``; copied. None starts empty.
    stakes : dict or None, default None
        Starting proof-of-stake stakes, ``{20-byte address: amount}``; copied. None starts
        empty.

    Attributes
    ----------
    balances : dict of bytes to int
        Spendable balance by address.
    nonces : dict of bytes to int
        Next nonce by address (absent means 0).
    stakes : dict of bytes to int
        Stake by validator address.
    wrapped : dict of bytes to int
        Bridge-minted (wrapped) balance by address.
    claims : set of bytes
        The bridge claims already minted (source chain id and source txid).
    slashed : set of bytes
        Validators already slashed.

    Examples
    --------
    >>> from workbench.chain import PrivateKey, State, Transaction
    >>> from workbench.chain.ledger import address_bytes
    >>> alice, bob = PrivateKey.from_int(1), PrivateKey.from_int(2)
    >>> state = State({address_bytes(alice.address): 100})
    >>> tx = Transaction(chain_id=7, nonce=0, to=bob.address, value=5, fee=1).sign(alice)
    >>> undo = {}
    >>> state.apply_tx(tx, undo), state.balance(alice.address), state.balance(bob.address)
    (1, 94, 5)
    >>> state.rollback(undo)
    >>> state.balance(alice.address), state.nonce(alice.address)
    (100, 0)
    """

    __slots__ = ("balances", "nonces", "stakes", "wrapped", "claims", "slashed")

    def __init__(self, balances=None, stakes=None):
        self.balances: dict[bytes, int] = dict(balances or {})
        self.nonces: dict[bytes, int] = {}
        self.stakes: dict[bytes, int] = dict(stakes or {})
        self.wrapped: dict[bytes, int] = {}
        self.claims: set = set()
        self.slashed: set = set()

    def copy(self) -> State:
        """An independent copy (every dict and set copied).

        Returns
        -------
        State
            The copy; changing it leaves this state unchanged.
        """
        new = State(self.balances, self.stakes)
        new.nonces = dict(self.nonces)
        new.wrapped = dict(self.wrapped)
        new.claims = set(self.claims)
        new.slashed = set(self.slashed)
        return new

    def _save(self, undo, table, key):
        k = (table, key)
        if k not in undo:
            store = getattr(self, table)
            undo[k] = (key in store) if isinstance(store, set) else store.get(key)

    def _set(self, undo, table, key, value):
        self._save(undo, table, key)
        getattr(self, table)[key] = value

    def credit(self, addr: bytes, amount: int, undo: dict) -> None:
        """Add ``amount`` to the balance of ``addr`` (a block reward, fees), recording the old
        balance in ``undo``.

        Parameters
        ----------
        addr : bytes
            The 20-byte address.
        amount : int
            The amount to add (not checked).
        undo : dict
            The undo log of the block being applied; see :meth:`rollback`.
        """
        self._set(undo, "balances", addr, self.balances.get(addr, 0) + amount)

    def apply_tx(
        self, tx: Transaction, undo: dict, *, minter: bytes | None = None, min_fee: int = 0, slash=None
    ) -> int:
        """Check ``tx`` against this state and apply it; returns the fee collected.

        The sender (recovered from the signature) must use its next nonce and afford
        ``value + fee`` (a transfer) or ``fee`` (a mint or slash). A transfer moves ``value`` to
        ``to``; a mint adds ``value`` to ``wrapped[to]`` and records the claim; a slash lowers
        the offender's stake by the penalty and credits half of it to the sender. The fee
        leaves the sender's balance; the caller credits it to the block producer. A rejected
        transaction leaves the state unchanged.

        Parameters
        ----------
        tx : Transaction
            A signed transaction.
        undo : dict
            The undo log of the block being applied: the first old value of every entry this
            call changes is recorded in it, for :meth:`rollback`.
        minter : bytes or None, default None
            The 20-byte address allowed to mint (the bridge's); None means no one may.
        min_fee : int, default 0
            The smallest fee accepted.
        slash : callable or None, default None
            On proof-of-stake chains, ``slash(evidence) -> (offender, penalty)``: checks the
            evidence bytes (``tx.data``) and returns the offender's 20-byte address and the
            stake it loses, raising :class:`TxError` for bad evidence. None refuses slashing.

        Returns
        -------
        int
            The fee collected, ``tx.fee``.

        Raises
        ------
        TxError
            With reason ``"nonce-too-low"``, ``"nonce-gap"``, ``"fee-too-low"``,
            ``"insufficient-balance"``, ``"not-minter"`` (a mint not from ``minter``, or a
            slash with no ``slash``), ``"wrong-length"`` (a mint's data is not 36 bytes),
            ``"already-claimed"``, ``"bad-evidence"`` (the offender was already slashed, or
            from ``slash``), or a signature reason from :attr:`Transaction.sender_bytes`.
        """
        sender = tx.sender_bytes
        expected = self.nonces.get(sender, 0)
        if tx.nonce < expected:
            raise TxError("nonce-too-low", f"nonce {tx.nonce} already used; next is {expected}")
        if tx.nonce > expected:
            raise TxError("nonce-gap", f"nonce {tx.nonce} but the sender's next nonce is {expected}")
        if tx.fee < min_fee:
            raise TxError("fee-too-low", f"fee {tx.fee} below the minimum {min_fee}")
        balance = self.balances.get(sender, 0)
        if tx.type == TxType.TRANSFER:
            if tx.value + tx.fee > balance:
                raise TxError("insufficient-balance", f"value {tx.value} + fee {tx.fee} > balance {balance}")
            self._set(undo, "balances", sender, balance - tx.value - tx.fee)
            self.credit(tx.to, tx.value, undo)
        else:
            if tx.fee > balance:
                raise TxError("insufficient-balance", f"fee {tx.fee} > balance {balance}")
            if tx.type == TxType.MINT:
                if minter is None or sender != minter:
                    raise TxError("not-minter", "only this chain's bridge minter may mint")
                if len(tx.data) != 36:
                    raise TxError("wrong-length", "a mint's data is source chain id (4) + source txid (32)")
                if tx.data in self.claims:
                    raise TxError("already-claimed", f"claim {tx.data.hex()[:16]}... was already minted")
                self._save(undo, "claims", tx.data)
                self.claims.add(tx.data)
                self._set(undo, "wrapped", tx.to, self.wrapped.get(tx.to, 0) + tx.value)
            else:  # SLASH
                if slash is None:
                    raise TxError("not-minter", "this chain has no stake to slash (not proof of stake)")
                offender, penalty = slash(tx.data)
                if offender in self.slashed:
                    raise TxError("bad-evidence", "this validator was already slashed")
                self._save(undo, "slashed", offender)
                self.slashed.add(offender)
                self._set(undo, "stakes", offender, self.stakes.get(offender, 0) - penalty)
                self.credit(sender, penalty // 2, undo)  # half to the reporter, half burned
            self._set(undo, "balances", sender, self.balances.get(sender, 0) - tx.fee)
        self._set(undo, "nonces", sender, expected + 1)
        return tx.fee

    def rollback(self, undo: dict) -> None:
        """Restore every value recorded in ``undo`` (undo a block on a reorg).

        Parameters
        ----------
        undo : dict
            The undo log filled by :meth:`apply_tx` and :meth:`credit`.
        """
        for (table, key), old in undo.items():
            store = getattr(self, table)
            if isinstance(store, set):
                if old:
                    store.add(key)
                else:
                    store.discard(key)
            elif old is None:
                store.pop(key, None)
            else:
                store[key] = old

    def balance(self, addr) -> int:
        """The spendable balance of an address.

        Parameters
        ----------
        addr : bytes or str
            20 bytes or a ``0x`` hex string.

        Returns
        -------
        int
            The balance; 0 for an unknown address.

        Raises
        ------
        TxError
            If ``addr`` is not an address (see :func:`address_bytes`).
        """
        return self.balances.get(address_bytes(addr), 0)

    def nonce(self, addr) -> int:
        """The next nonce an address must use.

        Parameters
        ----------
        addr : bytes or str
            20 bytes or a ``0x`` hex string.

        Returns
        -------
        int
            The number of transactions the address has applied; 0 for an unknown address.

        Raises
        ------
        TxError
            If ``addr`` is not an address (see :func:`address_bytes`).
        """
        return self.nonces.get(address_bytes(addr), 0)
