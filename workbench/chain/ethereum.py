"""Ethereum transaction signing: RLP, EIP-155 replay protection and EIP-1559 (type 2) envelopes.

A legacy EIP-155 transaction signs ``keccak256(rlp([nonce, gasPrice, gas, to, value, data,
chainId, 0, 0]))`` and stores ``v = recid + 35 + 2 * chainId``: the chain id is inside what is
signed, so a transaction signed for one chain does not verify on another. A type-2 (EIP-1559)
transaction signs ``keccak256(0x02 || rlp([chainId, nonce, maxPriorityFee, maxFee, gas, to,
value, data, accessList]))`` and stores the bare recovery id as ``yParity``.

Examples
--------
The EIP-155 example transaction (key ``0x4646...46``):

>>> tx = LegacyTx(nonce=9, gas_price=20 * 10**9, gas=21000, to=bytes.fromhex("35" * 20),
...               value=10**18, data=b"", chain_id=1)
>>> tx.signing_hash().hex()
'daf5a779ae972f972197303d7b574746c7ef83eadac0f2791ad23db92e4c8e53'
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import Int, WorkbenchError, check
from .hashes import keccak256
from .keys import PrivateKey, Signature, recover

__all__ = ["rlp_encode", "LegacyTx", "DynamicFeeTx", "sign_transaction", "recover_sender", "EthTxError"]


class EthTxError(WorkbenchError):
    """An Ethereum transaction field of the wrong type or range."""


def rlp_encode(item) -> bytes:
    """Recursive-length prefix encoding of bytes, non-negative ints and (nested) lists.

    >>> rlp_encode([b"cat", b"dog"]).hex()
    'c88363617483646f67'
    >>> rlp_encode(0), rlp_encode(1024).hex()
    (b'\\x80', '820400')
    """
    if isinstance(item, int) and not isinstance(item, bool):
        if item < 0:
            raise EthTxError(f"RLP encodes non-negative integers only, got {item}")
        item = item.to_bytes((item.bit_length() + 7) // 8, "big")
    if isinstance(item, (bytes, bytearray)):
        item = bytes(item)
        if len(item) == 1 and item[0] < 0x80:
            return item
        return _length_prefix(len(item), 0x80) + item
    if isinstance(item, (list, tuple)):
        body = b"".join(rlp_encode(x) for x in item)
        return _length_prefix(len(body), 0xC0) + body
    raise EthTxError(f"RLP cannot encode {type(item).__name__}")


def _length_prefix(n: int, offset: int) -> bytes:
    if n < 56:
        return bytes((offset + n,))
    ln = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes((offset + 55 + len(ln),)) + ln


def _check(tx) -> None:
    for name, val in vars(tx).items():
        if name in ("to", "data"):
            if not isinstance(val, (bytes, bytearray)) or (name == "to" and len(val) not in (0, 20)):
                raise EthTxError(
                    f"{name} must be bytes{' of length 20 (or empty to create a contract)' if name == 'to' else ''}"
                )
        elif name == "access_list":
            continue
        else:
            check(name, val, Int(0), EthTxError)
    if tx.chain_id < 1:
        raise EthTxError("chain_id must be >= 1 (EIP-155 replay protection)")


@dataclass(frozen=True)
class LegacyTx:
    nonce: int
    gas_price: int
    gas: int
    to: bytes
    value: int
    data: bytes
    chain_id: int

    def __post_init__(self):
        _check(self)

    def _fields(self):
        return [self.nonce, self.gas_price, self.gas, self.to, self.value, self.data]

    def signing_hash(self) -> bytes:
        return keccak256(rlp_encode(self._fields() + [self.chain_id, 0, 0]))

    def encode_signed(self, sig: Signature) -> bytes:
        return rlp_encode(self._fields() + [sig.v + 35 + 2 * self.chain_id, sig.r, sig.s])


@dataclass(frozen=True)
class DynamicFeeTx:
    chain_id: int
    nonce: int
    max_priority_fee_per_gas: int
    max_fee_per_gas: int
    gas: int
    to: bytes
    value: int
    data: bytes = b""
    access_list: tuple = ()

    def __post_init__(self):
        _check(self)

    def _fields(self):
        return [
            self.chain_id,
            self.nonce,
            self.max_priority_fee_per_gas,
            self.max_fee_per_gas,
            self.gas,
            self.to,
            self.value,
            self.data,
            [list(x) for x in self.access_list],
        ]

    def signing_hash(self) -> bytes:
        return keccak256(b"\x02" + rlp_encode(self._fields()))

    def encode_signed(self, sig: Signature) -> bytes:
        return b"\x02" + rlp_encode(self._fields() + [sig.v, sig.r, sig.s])


def sign_transaction(tx, key: PrivateKey) -> tuple[bytes, Signature]:
    """``(raw signed bytes, signature)``; the transaction hash is ``keccak256(raw)``."""
    sig = key.sign(tx.signing_hash())
    return tx.encode_signed(sig), sig


def recover_sender(tx, sig: Signature) -> str:
    """Checksummed address of the signer (what a node does for every incoming transaction)."""
    return recover(tx.signing_hash(), sig).eth_address()
