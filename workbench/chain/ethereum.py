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
    """An Ethereum transaction field of the wrong type or range.

    Examples
    --------
    >>> from workbench.chain.ethereum import LegacyTx
    >>> LegacyTx(nonce=0, gas_price=1, gas=21000, to=b"", value=0, data=b"", chain_id=0)
    Traceback (most recent call last):
    ...
    workbench.chain.ethereum.EthTxError: chain_id must be >= 1 (EIP-155 replay protection)
    """


def rlp_encode(item) -> bytes:
    """Recursive-length prefix encoding of bytes, non-negative ints and (nested) lists.

    Parameters
    ----------
    item : bytes, bytearray, int, list or tuple
        What to encode: a byte string, an integer >= 0 (big-endian, no leading zeros; 0 is
        the empty string), or a list or tuple of such items, nested to any depth.

    Returns
    -------
    bytes
        The RLP encoding.

    Raises
    ------
    EthTxError
        If an integer is negative or an item is of another type (booleans and strings included).

    Examples
    --------
    >>> from workbench.chain.ethereum import rlp_encode
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
    """A legacy Ethereum transaction with EIP-155 replay protection (frozen).

    Parameters
    ----------
    nonce : int
        The sender's transaction count, an integer >= 0.
    gas_price : int
        Price of one unit of gas in wei, >= 0.
    gas : int
        Gas limit, >= 0.
    to : bytes
        Recipient, 20 bytes; ``b""`` creates a contract.
    value : int
        Wei sent, >= 0.
    data : bytes
        Call data (or contract code).
    chain_id : int
        Chain id, >= 1 (1 is Ethereum mainnet); it is part of what is signed.

    Raises
    ------
    EthTxError
        If an integer field is not an integer >= 0, ``chain_id`` < 1, ``to`` is not 20 or 0
        bytes, or ``data`` is not bytes.

    Examples
    --------
    The EIP-155 example transaction, signed with its key ``0x4646...46``:

    >>> from workbench.chain import PrivateKey
    >>> from workbench.chain.ethereum import LegacyTx, sign_transaction
    >>> tx = LegacyTx(nonce=9, gas_price=20 * 10**9, gas=21000, to=bytes.fromhex("35" * 20),
    ...               value=10**18, data=b"", chain_id=1)
    >>> raw, sig = sign_transaction(tx, PrivateKey(bytes.fromhex("46" * 32)))
    >>> raw.hex()[:24], sig.v + 35 + 2 * tx.chain_id
    ('f86c098504a817c800825208', 37)
    """

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
        """The digest to sign: ``keccak256(rlp([nonce, gasPrice, gas, to, value, data, chainId, 0, 0]))``.

        Returns
        -------
        bytes
            The 32-byte EIP-155 signing hash.
        """
        return keccak256(rlp_encode(self._fields() + [self.chain_id, 0, 0]))

    def encode_signed(self, sig: Signature) -> bytes:
        """The raw signed transaction: ``rlp([nonce, gasPrice, gas, to, value, data, v, r, s])``.

        Parameters
        ----------
        sig : Signature
            Signature of :meth:`signing_hash`; its recovery id becomes ``v = recid + 35 + 2 * chainId``.

        Returns
        -------
        bytes
            The bytes to broadcast; their keccak-256 is the transaction hash.
        """
        return rlp_encode(self._fields() + [sig.v + 35 + 2 * self.chain_id, sig.r, sig.s])


@dataclass(frozen=True)
class DynamicFeeTx:
    """An EIP-1559 (type 2) Ethereum transaction (frozen).

    Parameters
    ----------
    chain_id : int
        Chain id, >= 1 (1 is Ethereum mainnet); it is part of what is signed.
    nonce : int
        The sender's transaction count, an integer >= 0.
    max_priority_fee_per_gas : int
        Tip per unit of gas to the block producer, wei, >= 0.
    max_fee_per_gas : int
        Most the sender pays per unit of gas (base fee plus tip), wei, >= 0.
    gas : int
        Gas limit, >= 0.
    to : bytes
        Recipient, 20 bytes; ``b""`` creates a contract.
    value : int
        Wei sent, >= 0.
    data : bytes, default b""
        Call data (or contract code).
    access_list : tuple, default ()
        EIP-2930 entries ``(address, storage_keys)``, each RLP-encoded as a list (not checked).

    Raises
    ------
    EthTxError
        If an integer field is not an integer >= 0, ``chain_id`` < 1, ``to`` is not 20 or 0
        bytes, or ``data`` is not bytes.

    Examples
    --------
    >>> from workbench.chain import PrivateKey
    >>> from workbench.chain.ethereum import DynamicFeeTx, recover_sender, sign_transaction
    >>> key = PrivateKey.from_int(1)
    >>> tx = DynamicFeeTx(chain_id=1, nonce=0, max_priority_fee_per_gas=10**9, max_fee_per_gas=3 * 10**10,
    ...                   gas=21000, to=bytes.fromhex("35" * 20), value=1)
    >>> raw, sig = sign_transaction(tx, key)
    >>> raw[:1].hex(), recover_sender(tx, sig) == key.address
    ('02', True)
    """

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
        """The digest to sign: ``keccak256(0x02 || rlp([chainId, nonce, ..., data, accessList]))``.

        Returns
        -------
        bytes
            The 32-byte EIP-1559 signing hash.
        """
        return keccak256(b"\x02" + rlp_encode(self._fields()))

    def encode_signed(self, sig: Signature) -> bytes:
        """The raw signed transaction: ``0x02 || rlp([chainId, ..., accessList, yParity, r, s])``.

        Parameters
        ----------
        sig : Signature
            Signature of :meth:`signing_hash`; its recovery id is stored as ``yParity``.

        Returns
        -------
        bytes
            The typed-envelope bytes to broadcast; their keccak-256 is the transaction hash.
        """
        return b"\x02" + rlp_encode(self._fields() + [sig.v, sig.r, sig.s])


def sign_transaction(tx, key: PrivateKey) -> tuple[bytes, Signature]:
    """``(raw signed bytes, signature)``; the transaction hash is ``keccak256(raw)``.

    Parameters
    ----------
    tx : LegacyTx or DynamicFeeTx
        The transaction.
    key : PrivateKey
        The sender's key; it signs :meth:`~LegacyTx.signing_hash` (RFC 6979, low-S).

    Returns
    -------
    tuple of (bytes, Signature)
        The encoded signed transaction and the signature.

    Examples
    --------
    >>> from workbench.chain import PrivateKey, keccak256
    >>> from workbench.chain.ethereum import LegacyTx, sign_transaction
    >>> tx = LegacyTx(nonce=9, gas_price=20 * 10**9, gas=21000, to=bytes.fromhex("35" * 20),
    ...               value=10**18, data=b"", chain_id=1)
    >>> raw, sig = sign_transaction(tx, PrivateKey(bytes.fromhex("46" * 32)))
    >>> keccak256(raw).hex()   # the transaction hash
    '33469b22e9f636356c4160a87eb19df52b7412e8eac32a4a55ffe88ea8350788'
    """
    sig = key.sign(tx.signing_hash())
    return tx.encode_signed(sig), sig


def recover_sender(tx, sig: Signature) -> str:
    """Checksummed address of the signer (what a node does for every incoming transaction).

    Parameters
    ----------
    tx : LegacyTx or DynamicFeeTx
        The transaction, as signed.
    sig : Signature
        Its signature.

    Returns
    -------
    str
        The ``0x`` checksummed address whose key signed ``tx``'s signing hash (a changed
        transaction recovers a different address).

    Raises
    ------
    SignatureError
        If ``sig`` is not a :class:`Signature` or no public key recovers from it.

    Examples
    --------
    >>> from workbench.chain import PrivateKey
    >>> from workbench.chain.ethereum import LegacyTx, recover_sender, sign_transaction
    >>> tx = LegacyTx(nonce=9, gas_price=20 * 10**9, gas=21000, to=bytes.fromhex("35" * 20),
    ...               value=10**18, data=b"", chain_id=1)
    >>> _, sig = sign_transaction(tx, PrivateKey(bytes.fromhex("46" * 32)))
    >>> recover_sender(tx, sig)
    '0x9d8A62f656a8d1615C1294fd71e9CFb3E4855A4F'
    """
    return recover(tx.signing_hash(), sig).eth_address()
