"""Real Bitcoin data: block headers, the proof-of-work target, legacy transactions and their
signatures, verified with the lab's own code.

Ships two real blocks (``data/chain/bitcoin_blocks.json``): the genesis block and block
100000 (four transactions, three of them spending pay-to-public-key-hash outputs with
2010-era signatures, two of which are high-S).

Examples
--------
>>> blk = load_block(100000)
>>> blk.header.hash_hex
'000000000003ba27aa200b1cecaad478d2b00432346c3f1f3986da1afd33e506'
>>> [tx.txid[:8] for tx in blk.transactions]
['8c14f0db', 'fff2525b', '6359f086', 'e9a66845']
"""

from __future__ import annotations

import json
import struct
from dataclasses import dataclass, field
from functools import cache

import pandas as pd

from .._data import data_path
from ..errors import WorkbenchError, is_int
from .hashes import hash160, read_varint, sha256d, varint
from .keys import PublicKey, SignatureError, der_decode, verify
from .merkle import is_mutated, merkle_root

__all__ = [
    "BitcoinFormatError",
    "BlockHeader",
    "TxIn",
    "TxOut",
    "BtcTransaction",
    "BtcBlock",
    "bits_to_target",
    "target_to_bits",
    "difficulty",
    "parse_block",
    "parse_transaction",
    "legacy_sighash",
    "script_pushes",
    "verify_p2pkh_input",
    "load_block",
    "block_table",
    "SIGHASH_ALL",
]

SIGHASH_ALL = 1
_MAX_TARGET = 0xFFFF * 2**208  # difficulty 1 (bits 0x1d00ffff)


class BitcoinFormatError(WorkbenchError):
    """Bytes that do not parse as a Bitcoin header, transaction or block.

    A :class:`~workbench.errors.WorkbenchError` (so a :class:`ValueError`); also raised for a
    ``bits`` or target out of range, an unsupported hash type, or an input that is not P2PKH.

    Examples
    --------
    >>> from workbench.chain.bitcoin import BitcoinFormatError, parse_transaction
    >>> try:
    ...     parse_transaction(b"\\x01\\x00\\x00\\x00")
    ... except BitcoinFormatError as exc:
    ...     print(exc)
    transaction bytes end early
    """


def bits_to_target(bits: int) -> int:
    """Decode the compact ``bits`` field: ``mantissa * 256**(exponent - 3)``.

    Parameters
    ----------
    bits : int
        The compact form, a Python int in ``[0, 2**32)``: exponent in the top byte, a 23-bit
        mantissa below, the sign bit ``0x00800000`` clear.

    Returns
    -------
    int
        The target; a block hash read as a little-endian integer must be <= it.

    Raises
    ------
    BitcoinFormatError
        If ``bits`` is not an int in ``[0, 2**32)`` or its sign bit is set (a negative target).

    See Also
    --------
    target_to_bits : The inverse.

    Examples
    --------
    >>> from workbench.chain.bitcoin import bits_to_target
    >>> hex(bits_to_target(0x1d00ffff))
    '0xffff0000000000000000000000000000000000000000000000000000'
    """
    if not is_int(bits) or not 0 <= bits < 2**32:
        raise BitcoinFormatError(f"bits is a 32-bit unsigned integer, got {bits!r}")
    bits = int(bits)
    exponent, mantissa = bits >> 24, bits & 0x007FFFFF
    if bits & 0x00800000:
        raise BitcoinFormatError(f"bits 0x{bits:08x} encodes a negative target")
    if exponent <= 3:
        return mantissa >> (8 * (3 - exponent))
    return mantissa << (8 * (exponent - 3))


def target_to_bits(target: int) -> int:
    """Encode a target in compact form (rounds down to 3 significant bytes, as Bitcoin does).

    Parameters
    ----------
    target : int
        The target, a Python int >= 0.

    Returns
    -------
    int
        The compact ``bits``; a mantissa whose top bit would be set is shifted down a byte.

    Raises
    ------
    BitcoinFormatError
        If ``target`` is not a non-negative int.

    See Also
    --------
    bits_to_target : The inverse.

    Examples
    --------
    >>> from workbench.chain.bitcoin import bits_to_target, target_to_bits
    >>> hex(target_to_bits(bits_to_target(0x1b04864c)))
    '0x1b04864c'
    """
    if not is_int(target) or target < 0:
        raise BitcoinFormatError(f"target must be a non-negative integer, got {target!r}")
    target = int(target)
    size = (target.bit_length() + 7) // 8
    mantissa = target >> (8 * (size - 3)) if size > 3 else target << (8 * (3 - size))
    if mantissa & 0x00800000:  # keep the sign bit clear
        mantissa >>= 8
        size += 1
    return (size << 24) | mantissa


def difficulty(bits: int) -> float:
    """Difficulty relative to the genesis target (block 100000: about 14484.16).

    Parameters
    ----------
    bits : int
        The compact target of a header, as for :func:`bits_to_target` (its target must be > 0).

    Returns
    -------
    float
        The difficulty-1 target (bits ``0x1d00ffff``) divided by this target; 1.0 at genesis.

    Raises
    ------
    BitcoinFormatError
        If ``bits`` is not a valid compact target (see :func:`bits_to_target`).

    Examples
    --------
    >>> from workbench.chain.bitcoin import difficulty
    >>> difficulty(0x1D00FFFF), round(difficulty(0x1B04864C), 2)
    (1.0, 14484.16)
    """
    return _MAX_TARGET / bits_to_target(bits)


@dataclass(frozen=True)
class BlockHeader:
    """A Bitcoin block header, the 80 bytes that proof of work hashes.

    A frozen dataclass; its fields are not validated (:meth:`serialize` fails on values that do
    not fit their sizes).

    Parameters
    ----------
    version : int
        Block version, a signed 32-bit integer.
    prev_hash : bytes
        The parent's 32-byte hash, in internal byte order (explorers show it reversed).
    merkle_root : bytes
        The 32-byte Merkle root of the transactions' txids, internal byte order.
    time : int
        Block time, Unix seconds (unsigned 32-bit).
    bits : int
        Compact proof-of-work target (see :func:`bits_to_target`), unsigned 32-bit.
    nonce : int
        The nonce the miner varied, unsigned 32-bit.

    See Also
    --------
    BtcBlock : A header with its transactions.

    Examples
    --------
    >>> from workbench.chain.bitcoin import BlockHeader, load_block
    >>> header = load_block(100000).header
    >>> header.time, hex(header.bits), header.meets_target()
    (1293623863, '0x1b04864c', True)
    >>> BlockHeader.from_bytes(header.serialize()) == header
    True
    """

    version: int
    prev_hash: bytes  # internal byte order
    merkle_root: bytes
    time: int
    bits: int
    nonce: int

    def serialize(self) -> bytes:
        """The 80-byte wire form: version, prev_hash, merkle_root, time, bits, nonce (little-endian).

        Returns
        -------
        bytes
            80 bytes.
        """
        return (
            struct.pack("<i", self.version)
            + self.prev_hash
            + self.merkle_root
            + struct.pack("<III", self.time, self.bits, self.nonce)
        )

    @classmethod
    def from_bytes(cls, raw: bytes) -> BlockHeader:
        """Parse the 80-byte wire form.

        Parameters
        ----------
        raw : bytes
            Exactly 80 bytes.

        Returns
        -------
        BlockHeader
            The header.

        Raises
        ------
        BitcoinFormatError
            If ``raw`` is not 80 bytes long.
        """
        if len(raw) != 80:
            raise BitcoinFormatError(f"a block header is 80 bytes, got {len(raw)}")
        (version,) = struct.unpack_from("<i", raw, 0)
        time, bits, nonce = struct.unpack_from("<III", raw, 68)
        return cls(version, bytes(raw[4:36]), bytes(raw[36:68]), time, bits, nonce)

    @property
    def hash(self) -> bytes:
        """The block hash, ``sha256d`` of the 80 bytes, in internal byte order.

        Returns
        -------
        bytes
            32 bytes (see :attr:`hash_hex` for the form explorers show).
        """
        return sha256d(self.serialize())

    @property
    def hash_hex(self) -> str:
        """Block hash as explorers show it (byte-reversed).

        Returns
        -------
        str
            64 hex digits.
        """
        return self.hash[::-1].hex()

    @property
    def target(self) -> int:
        """The proof-of-work target that :attr:`bits` encodes.

        Returns
        -------
        int
            ``bits_to_target(bits)``.
        """
        return bits_to_target(self.bits)

    def meets_target(self) -> bool:
        """Proof of work: the hash read as a little-endian integer is <= the target.

        Returns
        -------
        bool
            True when the header meets its own target.
        """
        return int.from_bytes(self.hash, "little") <= self.target


@dataclass(frozen=True)
class TxIn:
    """A transaction input: the output it spends and the script that unlocks it.

    A frozen dataclass; its fields are not validated.

    Parameters
    ----------
    prev_txid : bytes
        The 32-byte txid of the transaction whose output is spent, in internal byte order (32
        zero bytes for a coinbase).
    prev_index : int
        The index of the spent output in that transaction (``0xffffffff`` for a coinbase).
    script_sig : bytes
        The unlocking script (for P2PKH: a DER signature with its hash-type byte, then the
        public key).
    sequence : int
        The sequence number, unsigned 32-bit.

    Examples
    --------
    >>> from workbench.chain.bitcoin import load_block
    >>> txin = load_block(100000).transactions[1].inputs[0]
    >>> txin.prev_index, txin.is_coinbase, len(txin.script_sig)
    (0, False, 140)
    """

    prev_txid: bytes  # internal order
    prev_index: int
    script_sig: bytes
    sequence: int

    @property
    def is_coinbase(self) -> bool:
        """Whether the input is a coinbase's: it spends the null outpoint (zero txid, index
        ``0xffffffff``).

        Returns
        -------
        bool
            True for a coinbase input.
        """
        return self.prev_txid == b"\0" * 32 and self.prev_index == 0xFFFFFFFF


@dataclass(frozen=True)
class TxOut:
    """A transaction output: an amount and the script that locks it.

    A frozen dataclass; its fields are not validated.

    Parameters
    ----------
    value : int
        The amount in satoshis (1 BTC = 10**8 satoshis), signed 64-bit on the wire.
    script_pubkey : bytes
        The locking script (for P2PKH: ``OP_DUP OP_HASH160 <20-byte key hash> OP_EQUALVERIFY
        OP_CHECKSIG``).

    Examples
    --------
    >>> from workbench.chain.bitcoin import load_block
    >>> out = load_block(0).transactions[0].outputs[0]
    >>> out.value / 1e8, len(out.script_pubkey)
    (50.0, 67)
    """

    value: int  # satoshis
    script_pubkey: bytes


@dataclass(frozen=True)
class BtcTransaction:
    """A Bitcoin transaction in the legacy (pre-segwit) serialization.

    A frozen dataclass; its fields are not validated. Equality ignores ``raw``.

    Parameters
    ----------
    version : int
        Transaction version, a signed 32-bit integer.
    inputs : tuple of TxIn
        The inputs, in order.
    outputs : tuple of TxOut
        The outputs, in order.
    locktime : int
        The lock time (block height or Unix time), unsigned 32-bit.
    raw : bytes, default b""
        The bytes the transaction was parsed from (empty when built by hand); not compared and
        not shown in ``repr``.

    See Also
    --------
    parse_transaction : Parse one from bytes.

    Examples
    --------
    >>> from workbench.chain.bitcoin import load_block
    >>> tx = load_block(100000).transactions[1]
    >>> tx.txid[:16], len(tx.inputs), len(tx.outputs), tx.serialize() == tx.raw
    ('fff2525b8931402d', 1, 2, True)
    """

    version: int
    inputs: tuple[TxIn, ...]
    outputs: tuple[TxOut, ...]
    locktime: int
    raw: bytes = field(repr=False, compare=False, default=b"")

    def serialize(self, script_sigs=None) -> bytes:
        """The legacy wire form, optionally with every scriptSig replaced (for the sighash).

        Parameters
        ----------
        script_sigs : sequence of bytes or None, default None
            One script per input to write instead of the inputs' own ``script_sig``; None
            writes the transaction as it is.

        Returns
        -------
        bytes
            The serialized transaction.
        """
        parts = [struct.pack("<i", self.version), varint(len(self.inputs))]
        for i, txin in enumerate(self.inputs):
            script = txin.script_sig if script_sigs is None else script_sigs[i]
            parts += [
                txin.prev_txid,
                struct.pack("<I", txin.prev_index),
                varint(len(script)),
                script,
                struct.pack("<I", txin.sequence),
            ]
        parts.append(varint(len(self.outputs)))
        for out in self.outputs:
            parts += [struct.pack("<q", out.value), varint(len(out.script_pubkey)), out.script_pubkey]
        parts.append(struct.pack("<I", self.locktime))
        return b"".join(parts)

    @property
    def txid(self) -> str:
        """The transaction id as explorers show it: ``sha256d`` of the serialization, reversed.

        Returns
        -------
        str
            64 hex digits.
        """
        return sha256d(self.serialize())[::-1].hex()

    @property
    def is_coinbase(self) -> bool:
        """Whether this is a coinbase transaction: a single input that is a coinbase input.

        Returns
        -------
        bool
            True for a coinbase.
        """
        return len(self.inputs) == 1 and self.inputs[0].is_coinbase


def _parse_tx(buf: bytes, pos: int) -> tuple[BtcTransaction, int]:
    start = pos
    (version,) = struct.unpack_from("<i", buf, pos)
    pos += 4
    n_in, pos = read_varint(buf, pos)
    if n_in == 0:
        raise BitcoinFormatError("segwit (BIP 144) serialization is not supported; give the legacy form")
    inputs = []
    for _ in range(n_in):
        prev, idx = buf[pos : pos + 32], struct.unpack_from("<I", buf, pos + 32)[0]
        ln, pos = read_varint(buf, pos + 36)
        script = buf[pos : pos + ln]
        pos += ln
        (seq,) = struct.unpack_from("<I", buf, pos)
        pos += 4
        if len(prev) != 32 or len(script) != ln:
            raise IndexError
        inputs.append(TxIn(bytes(prev), idx, bytes(script), seq))
    n_out, pos = read_varint(buf, pos)
    outputs = []
    for _ in range(n_out):
        (value,) = struct.unpack_from("<q", buf, pos)
        ln, pos = read_varint(buf, pos + 8)
        script = buf[pos : pos + ln]
        if len(script) != ln:
            raise IndexError
        pos += ln
        outputs.append(TxOut(value, bytes(script)))
    (locktime,) = struct.unpack_from("<I", buf, pos)
    pos += 4
    return BtcTransaction(version, tuple(inputs), tuple(outputs), locktime, bytes(buf[start:pos])), pos


def parse_transaction(raw: bytes) -> BtcTransaction:
    """Parse one legacy-serialized transaction; raises :class:`BitcoinFormatError`.

    Parameters
    ----------
    raw : bytes
        The serialized transaction, nothing before or after it.

    Returns
    -------
    BtcTransaction
        The transaction, with ``raw`` set to the bytes given.

    Raises
    ------
    BitcoinFormatError
        If the bytes end early, bytes follow the transaction, or it uses the segwit (BIP 144)
        serialization.

    Examples
    --------
    >>> from workbench.chain.bitcoin import load_block, parse_transaction
    >>> tx = load_block(100000).transactions[1]
    >>> parse_transaction(tx.raw) == tx
    True
    """
    raw = bytes(raw)
    try:
        tx, pos = _parse_tx(raw, 0)
    except (IndexError, struct.error):
        raise BitcoinFormatError("transaction bytes end early") from None
    if pos != len(raw):
        raise BitcoinFormatError(f"{len(raw) - pos} trailing bytes after the transaction")
    return tx


@dataclass(frozen=True)
class BtcBlock:
    """A Bitcoin block: its header, its transactions and, for shipped blocks, the outputs that
    its inputs spend.

    A frozen dataclass; its fields are not validated (:meth:`checks` runs a node's checks).

    Parameters
    ----------
    header : BlockHeader
        The block header.
    transactions : tuple of BtcTransaction
        The transactions, the coinbase first.
    spent_outputs : tuple of tuple of TxOut, default ()
        For each transaction, the outputs its inputs spend, in input order (empty for the
        coinbase); ``()`` when unknown, as from :func:`parse_block`.

    See Also
    --------
    load_block : A shipped real block.
    block_table : Its inputs as a table.

    Examples
    --------
    >>> from workbench.chain.bitcoin import load_block
    >>> block = load_block(100000)
    >>> len(block.transactions), all(block.checks().values())
    (4, True)
    """

    header: BlockHeader
    transactions: tuple[BtcTransaction, ...]
    spent_outputs: tuple[tuple[TxOut, ...], ...] = ()

    def computed_merkle_root(self) -> bytes:
        """The Merkle root of the transactions' txids, computed from the transactions.

        Returns
        -------
        bytes
            32 bytes, internal byte order; equal to ``header.merkle_root`` for a valid block.
        """
        return merkle_root([sha256d(tx.serialize()) for tx in self.transactions])

    def checks(self) -> dict[str, bool]:
        """The context-free checks a node runs on a block, each by name.

        Returns
        -------
        dict of str to bool
            ``proof_of_work`` (the header meets its target), ``merkle_root`` (the header
            commits to these transactions), ``no_merkle_mutation`` (no CVE-2012-2459 duplicate,
            see :func:`~workbench.chain.merkle.is_mutated`) and ``coinbase_first`` (the first
            transaction, and only it, is a coinbase).
        """
        txids = [sha256d(tx.serialize()) for tx in self.transactions]
        return {
            "proof_of_work": self.header.meets_target(),
            "merkle_root": merkle_root(txids) == self.header.merkle_root,
            "no_merkle_mutation": not is_mutated(txids),
            "coinbase_first": self.transactions[0].is_coinbase
            and not any(tx.is_coinbase for tx in self.transactions[1:]),
        }


def parse_block(raw: bytes) -> BtcBlock:
    """Parse a serialized block (header, transaction count, legacy transactions).

    Parameters
    ----------
    raw : bytes
        The serialized block, nothing before or after it.

    Returns
    -------
    BtcBlock
        The block, without ``spent_outputs`` (they are not in the block's bytes).

    Raises
    ------
    BitcoinFormatError
        If the bytes end early, bytes follow the block, it holds no transaction, or a
        transaction uses the segwit serialization.

    Examples
    --------
    >>> from workbench.chain.bitcoin import load_block, parse_block
    >>> block = load_block(100000)
    >>> raw = block.header.serialize() + bytes([4]) + b"".join(tx.raw for tx in block.transactions)
    >>> parse_block(raw).header.hash_hex == block.header.hash_hex
    True
    """
    raw = bytes(raw)
    try:
        header = BlockHeader.from_bytes(raw[:80])
        n, pos = read_varint(raw, 80)
        txs = []
        for _ in range(n):
            tx, pos = _parse_tx(raw, pos)
            txs.append(tx)
    except (IndexError, struct.error):
        raise BitcoinFormatError("block bytes end early") from None
    if pos != len(raw):
        raise BitcoinFormatError(f"{len(raw) - pos} trailing bytes after the block")
    if not txs:
        raise BitcoinFormatError("a block holds at least its coinbase transaction")
    return BtcBlock(header, tuple(txs))


def script_pushes(script: bytes) -> list[bytes]:
    """The data pushes of a push-only script (scriptSig): direct pushes and PUSHDATA1/2.

    Parameters
    ----------
    script : bytes
        The script, e.g. a P2PKH scriptSig (a signature push, then a public-key push).

    Returns
    -------
    list of bytes
        The pushed data, in order.

    Raises
    ------
    BitcoinFormatError
        If an opcode is not a data push, or a push runs past the end of the script.

    Examples
    --------
    >>> script_pushes(bytes([2, 0xAB, 0xCD, 1, 0x01]))
    [b'\\xab\\xcd', b'\\x01']
    """
    out, pos = [], 0
    while pos < len(script):
        op = script[pos]
        if 1 <= op <= 75:
            ln, pos = op, pos + 1
        elif op == 0x4C:
            ln, pos = script[pos + 1], pos + 2
        elif op == 0x4D:
            ln, pos = int.from_bytes(script[pos + 1 : pos + 3], "little"), pos + 3
        else:
            raise BitcoinFormatError(f"opcode 0x{op:02x} in a scriptSig is not a data push")
        if pos + ln > len(script):
            raise BitcoinFormatError("push runs past the end of the script")
        out.append(script[pos : pos + ln])
        pos += ln
    return out


def _check_input_index(tx, index) -> None:
    if not is_int(index) or not 0 <= index < len(tx.inputs):
        raise BitcoinFormatError(f"input index must be an integer in [0, {len(tx.inputs)}), got {index!r}")


def legacy_sighash(tx: BtcTransaction, index: int, script_code: bytes, hashtype: int = SIGHASH_ALL) -> bytes:
    """The digest a pre-segwit input signs (SIGHASH_ALL): the transaction with every
    scriptSig emptied except the signing input's, which holds the spent output's script,
    followed by the 4-byte hash type; double SHA-256.

    Parameters
    ----------
    tx : BtcTransaction
        The spending transaction.
    index : int
        The input being signed, in ``[0, len(tx.inputs))``.
    script_code : bytes
        The script of the output that input spends (its ``script_pubkey``).
    hashtype : int, default SIGHASH_ALL
        The hash type; only :data:`SIGHASH_ALL` (1) is implemented.

    Returns
    -------
    bytes
        The 32-byte digest the input's signature signs.

    Raises
    ------
    BitcoinFormatError
        If ``hashtype`` is not ``SIGHASH_ALL`` or ``index`` is not an input of ``tx``.

    Examples
    --------
    >>> from workbench.chain.bitcoin import legacy_sighash, load_block
    >>> block = load_block(100000)
    >>> legacy_sighash(block.transactions[1], 0, block.spent_outputs[1][0].script_pubkey).hex()[:16]
    '79fef193c917db69'
    """
    if hashtype != SIGHASH_ALL:
        raise BitcoinFormatError(f"only SIGHASH_ALL (1) is implemented, got {hashtype}")
    _check_input_index(tx, index)
    scripts = [b""] * len(tx.inputs)
    scripts[index] = script_code
    return sha256d(tx.serialize(scripts) + struct.pack("<I", hashtype))


def verify_p2pkh_input(tx: BtcTransaction, index: int, prev_script: bytes, *, allow_high_s: bool = True) -> dict:
    """Check a P2PKH input: the pubkey hashes to the spent script's key hash and the
    signature verifies. Returns the facts (``pubkey_matches``, ``high_s``, ``valid``,
    ``valid_under_low_s_rule``).

    Parameters
    ----------
    tx : BtcTransaction
        The spending transaction.
    index : int
        The input to check, in ``[0, len(tx.inputs))``.
    prev_script : bytes
        The ``script_pubkey`` of the output the input spends; must be the 25-byte P2PKH
        script.
    allow_high_s : bool, default True
        Accept high-S signatures for ``valid`` (the rule of 2010, when these blocks were
        mined); ``valid_under_low_s_rule`` always applies today's low-S rule.

    Returns
    -------
    dict
        ``pubkey_matches`` (the scriptSig's public key hashes to the key hash in
        ``prev_script``), ``high_s`` (the signature is high-S), ``valid`` (it verifies under
        ``allow_high_s``) and ``valid_under_low_s_rule`` (it verifies under the low-S relay rule), all
        bool.

    Raises
    ------
    BitcoinFormatError
        If ``index`` is not an input of ``tx``, ``prev_script`` is not P2PKH, the scriptSig is
        not a signature and a public key pushed as data, the signature is not strict DER, or its
        hash type is not ``SIGHASH_ALL``.
    InvalidKeyError
        If the pushed public key is not a valid secp256k1 key.

    Examples
    --------
    >>> from workbench.chain.bitcoin import load_block, verify_p2pkh_input
    >>> block = load_block(100000)
    >>> facts = verify_p2pkh_input(block.transactions[1], 0, block.spent_outputs[1][0].script_pubkey)
    >>> facts["pubkey_matches"], facts["high_s"], facts["valid"], facts["valid_under_low_s_rule"]
    (True, True, True, False)
    """
    if not (len(prev_script) == 25 and prev_script[:3] == b"\x76\xa9\x14" and prev_script[23:] == b"\x88\xac"):
        raise BitcoinFormatError("the spent output is not pay-to-public-key-hash")
    _check_input_index(tx, index)
    pushes = script_pushes(tx.inputs[index].script_sig)
    if len(pushes) != 2 or not pushes[0]:
        raise BitcoinFormatError(
            f"input {index}: a P2PKH scriptSig pushes a signature and a public key, got {len(pushes)} push(es)"
        )
    sig_push, pub = pushes
    try:
        sig = der_decode(sig_push[:-1])
    except SignatureError as exc:
        raise BitcoinFormatError(f"input {index}: {exc}") from None
    digest = legacy_sighash(tx, index, prev_script, sig_push[-1])
    key = PublicKey(pub)
    return {
        "pubkey_matches": hash160(pub) == prev_script[3:23],
        "high_s": not sig.low_s,
        "valid": verify(key, digest, sig, allow_high_s=allow_high_s),
        "valid_under_low_s_rule": verify(key, digest, sig),
    }


@cache
def _blocks_json() -> dict:
    return json.loads(data_path("chain", "bitcoin_blocks.json").read_text())["blocks"]


def load_block(height: int) -> BtcBlock:
    """A shipped real block (0 or 100000) with the outputs its inputs spend.

    Parameters
    ----------
    height : int
        The block height: 0 (genesis) or 100000.

    Returns
    -------
    BtcBlock
        The parsed block, ``spent_outputs`` included (from ``data/chain/bitcoin_blocks.json``).

    Raises
    ------
    WorkbenchError
        If no block of that height is shipped.

    Examples
    --------
    >>> from workbench.chain.bitcoin import load_block
    >>> genesis = load_block(0)
    >>> genesis.header.hash_hex[:16], genesis.transactions[0].is_coinbase
    ('000000000019d668', True)
    """
    blocks = _blocks_json()
    if str(height) not in blocks:
        raise WorkbenchError(f"no shipped Bitcoin block {height!r}; shipped: {', '.join(blocks)}")
    entry = blocks[str(height)]
    blk = parse_block(bytes.fromhex(entry["raw"]))
    spent = tuple(tuple(TxOut(v, bytes.fromhex(s)) for v, s in outs) for outs in entry["spent_outputs"])
    return BtcBlock(blk.header, blk.transactions, spent)


def block_table(block: BtcBlock) -> pd.DataFrame:
    """One row per input of a shipped block: txid, amounts, fee and the signature checks.

    Parameters
    ----------
    block : BtcBlock
        A block with ``spent_outputs`` (as :func:`load_block` gives), whose non-coinbase inputs
        all spend P2PKH outputs.

    Returns
    -------
    pandas.DataFrame
        One row per input (one for the coinbase), columns ``tx`` (index in the block),
        ``txid``, ``input``, ``kind`` (``"coinbase"`` or ``"p2pkh"``), ``in_btc``, ``out_btc``
        and ``fee_btc`` (the whole transaction's amounts in BTC, missing for the coinbase's
        input and fee), and the :func:`verify_p2pkh_input` facts ``pubkey_matches``,
        ``high_s``, ``valid``, ``valid_under_low_s_rule`` (None for the coinbase).

    Raises
    ------
    BitcoinFormatError
        If the block lacks the outputs its inputs spend, or an input does not parse as a P2PKH
        spend (see :func:`verify_p2pkh_input`).

    Examples
    --------
    >>> from workbench.chain.bitcoin import block_table, load_block
    >>> table = block_table(load_block(100000))
    >>> table.shape, table["high_s"].tolist()
    ((4, 11), [None, True, False, True])
    """
    rows = []
    for t, tx in enumerate(block.transactions):
        out_value = sum(o.value for o in tx.outputs)
        if tx.is_coinbase:
            rows.append(
                {
                    "tx": t,
                    "txid": tx.txid,
                    "input": 0,
                    "kind": "coinbase",
                    "in_btc": None,
                    "out_btc": out_value / 1e8,
                    "fee_btc": None,
                    "pubkey_matches": None,
                    "high_s": None,
                    "valid": None,
                    "valid_under_low_s_rule": None,
                }
            )
            continue
        spent = block.spent_outputs[t] if block.spent_outputs else ()
        if len(spent) != len(tx.inputs):
            raise BitcoinFormatError(
                f"transaction {t} has {len(tx.inputs)} input(s) but the block holds {len(spent)} spent output(s) for "
                "it; block_table needs the outputs every input spends (load_block ships them)"
            )
        in_value = sum(o.value for o in spent)
        for i, _txin in enumerate(tx.inputs):
            facts = verify_p2pkh_input(tx, i, spent[i].script_pubkey)
            rows.append(
                {
                    "tx": t,
                    "txid": tx.txid,
                    "input": i,
                    "kind": "p2pkh",
                    "in_btc": in_value / 1e8,
                    "out_btc": out_value / 1e8,
                    "fee_btc": (in_value - out_value) / 1e8,
                    **facts,
                }
            )
    return pd.DataFrame(rows)
