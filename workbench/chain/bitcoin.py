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
from ..errors import WorkbenchError
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
    "verify_p2pkh_input",
    "load_block",
    "block_table",
    "SIGHASH_ALL",
]

SIGHASH_ALL = 1
_MAX_TARGET = 0xFFFF * 2**208  # difficulty 1 (bits 0x1d00ffff)


class BitcoinFormatError(WorkbenchError):
    """Bytes that do not parse as a Bitcoin header, transaction or block."""


def bits_to_target(bits: int) -> int:
    """Decode the compact ``bits`` field: ``mantissa * 256**(exponent - 3)``.

    >>> hex(bits_to_target(0x1d00ffff))
    '0xffff0000000000000000000000000000000000000000000000000000'
    """
    if not isinstance(bits, int) or not 0 <= bits < 2**32:
        raise BitcoinFormatError(f"bits is a 32-bit unsigned integer, got {bits!r}")
    exponent, mantissa = bits >> 24, bits & 0x007FFFFF
    if bits & 0x00800000:
        raise BitcoinFormatError(f"bits 0x{bits:08x} encodes a negative target")
    if exponent <= 3:
        return mantissa >> (8 * (3 - exponent))
    return mantissa << (8 * (exponent - 3))


def target_to_bits(target: int) -> int:
    """Encode a target in compact form (rounds down to 3 significant bytes, as Bitcoin does).

    >>> hex(target_to_bits(bits_to_target(0x1b04864c)))
    '0x1b04864c'
    """
    if not isinstance(target, int) or target < 0:
        raise BitcoinFormatError(f"target must be a non-negative integer, got {target!r}")
    size = (target.bit_length() + 7) // 8
    mantissa = target >> (8 * (size - 3)) if size > 3 else target << (8 * (3 - size))
    if mantissa & 0x00800000:  # keep the sign bit clear
        mantissa >>= 8
        size += 1
    return (size << 24) | mantissa


def difficulty(bits: int) -> float:
    """Difficulty relative to the genesis target (block 100000: about 14484.16)."""
    return _MAX_TARGET / bits_to_target(bits)


@dataclass(frozen=True)
class BlockHeader:
    version: int
    prev_hash: bytes  # internal byte order
    merkle_root: bytes
    time: int
    bits: int
    nonce: int

    def serialize(self) -> bytes:
        return (
            struct.pack("<i", self.version)
            + self.prev_hash
            + self.merkle_root
            + struct.pack("<III", self.time, self.bits, self.nonce)
        )

    @classmethod
    def from_bytes(cls, raw: bytes) -> BlockHeader:
        if len(raw) != 80:
            raise BitcoinFormatError(f"a block header is 80 bytes, got {len(raw)}")
        (version,) = struct.unpack_from("<i", raw, 0)
        time, bits, nonce = struct.unpack_from("<III", raw, 68)
        return cls(version, bytes(raw[4:36]), bytes(raw[36:68]), time, bits, nonce)

    @property
    def hash(self) -> bytes:
        return sha256d(self.serialize())

    @property
    def hash_hex(self) -> str:
        """Block hash as explorers show it (byte-reversed)."""
        return self.hash[::-1].hex()

    @property
    def target(self) -> int:
        return bits_to_target(self.bits)

    def meets_target(self) -> bool:
        """Proof of work: the hash read as a little-endian integer is <= the target."""
        return int.from_bytes(self.hash, "little") <= self.target


@dataclass(frozen=True)
class TxIn:
    prev_txid: bytes  # internal order
    prev_index: int
    script_sig: bytes
    sequence: int

    @property
    def is_coinbase(self) -> bool:
        return self.prev_txid == b"\0" * 32 and self.prev_index == 0xFFFFFFFF


@dataclass(frozen=True)
class TxOut:
    value: int  # satoshis
    script_pubkey: bytes


@dataclass(frozen=True)
class BtcTransaction:
    version: int
    inputs: tuple[TxIn, ...]
    outputs: tuple[TxOut, ...]
    locktime: int
    raw: bytes = field(repr=False, compare=False, default=b"")

    def serialize(self, script_sigs=None) -> bytes:
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
        return sha256d(self.serialize())[::-1].hex()

    @property
    def is_coinbase(self) -> bool:
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
    """Parse one legacy-serialized transaction; raises :class:`BitcoinFormatError`."""
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
    header: BlockHeader
    transactions: tuple[BtcTransaction, ...]
    spent_outputs: tuple[tuple[TxOut, ...], ...] = ()

    def computed_merkle_root(self) -> bytes:
        return merkle_root([sha256d(tx.serialize()) for tx in self.transactions])

    def checks(self) -> dict[str, bool]:
        """The context-free checks a node runs on a block, each by name."""
        txids = [sha256d(tx.serialize()) for tx in self.transactions]
        return {
            "proof_of_work": self.header.meets_target(),
            "merkle_root": merkle_root(txids) == self.header.merkle_root,
            "no_merkle_mutation": not is_mutated(txids),
            "coinbase_first": self.transactions[0].is_coinbase
            and not any(tx.is_coinbase for tx in self.transactions[1:]),
        }


def parse_block(raw: bytes) -> BtcBlock:
    """Parse a serialized block (header, transaction count, legacy transactions)."""
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
    """The data pushes of a push-only script (scriptSig): direct pushes and PUSHDATA1/2."""
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


def legacy_sighash(tx: BtcTransaction, index: int, script_code: bytes, hashtype: int = SIGHASH_ALL) -> bytes:
    """The digest a pre-segwit input signs (SIGHASH_ALL): the transaction with every
    scriptSig emptied except the signing input's, which holds the spent output's script,
    followed by the 4-byte hash type; double SHA-256."""
    if hashtype != SIGHASH_ALL:
        raise BitcoinFormatError(f"only SIGHASH_ALL (1) is implemented, got {hashtype}")
    scripts = [b""] * len(tx.inputs)
    scripts[index] = script_code
    return sha256d(tx.serialize(scripts) + struct.pack("<I", hashtype))


def verify_p2pkh_input(tx: BtcTransaction, index: int, prev_script: bytes, *, allow_high_s: bool = True) -> dict:
    """Check a P2PKH input: the pubkey hashes to the spent script's key hash and the
    signature verifies. Returns the facts (``pubkey_matches``, ``high_s``, ``valid``)."""
    if not (len(prev_script) == 25 and prev_script[:3] == b"\x76\xa9\x14" and prev_script[23:] == b"\x88\xac"):
        raise BitcoinFormatError("the spent output is not pay-to-public-key-hash")
    sig_push, pub = script_pushes(tx.inputs[index].script_sig)
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
    """A shipped real block (0 or 100000) with the outputs its inputs spend."""
    blocks = _blocks_json()
    if str(height) not in blocks:
        raise WorkbenchError(f"no shipped Bitcoin block {height!r}; shipped: {', '.join(blocks)}")
    entry = blocks[str(height)]
    blk = parse_block(bytes.fromhex(entry["raw"]))
    spent = tuple(tuple(TxOut(v, bytes.fromhex(s)) for v, s in outs) for outs in entry["spent_outputs"])
    return BtcBlock(blk.header, blk.transactions, spent)


def block_table(block: BtcBlock) -> pd.DataFrame:
    """One row per input of a shipped block: txid, amounts, fee and the signature checks."""
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
