"""A full node of our own chain: consensus (PoW with retargeting, or PoS with
stake-weighted proposers and slashing), fork choice (longest, heaviest, GHOST), reorgs, and
persistence with integrity checks on reload.

Every block is checked in two stages, as real nodes do. On arrival, the *header* checks run
(parent known, height, timestamp against the median of the last 11 blocks, Merkle root,
proof of work and difficulty bits, or the PoS slot and signature); a block on a side branch
stops there. When a branch becomes the best one, its blocks are *connected*: every
transaction is applied to the state (nonces, balances, the PoS proposer's eligibility), and
the state changes are logged so that a reorg can disconnect them again. A block that fails
while connecting is marked invalid with its descendants and the old branch is restored.

Examples
--------
>>> from workbench.chain.keys import PrivateKey
>>> alice, bob, miner = (PrivateKey.from_int(i) for i in (1, 2, 3))
>>> chain = Chain(ChainConfig(chain_id=7, alloc={alice.address: 1000}, difficulty_bits=8))
>>> tx = Transaction(chain_id=7, nonce=0, to=bob.address, value=5, fee=1).sign(alice)
>>> block = chain.mine_block(miner.address, [tx], timestamp_ms=10_000)
>>> chain.add_block(block)
'extended'
>>> chain.balance(bob.address), chain.balance(miner.address), chain.height
(5, 51, 1)
"""

from __future__ import annotations

import hashlib
import json
import os
import struct
from dataclasses import dataclass, field

import pandas as pd

from ..errors import Int, Real, WorkbenchError, check, check_real, is_int
from .bitcoin import bits_to_target, target_to_bits
from .hashes import sha256, sha256d
from .keys import PrivateKey
from .ledger import (
    HEADER_SIZE,
    Block,
    Header,
    State,
    Transaction,
    TxError,
    ValidationError,
    address_bytes,
    address_str,
    tx_merkle_root,
    work_of_target,
)

__all__ = [
    "ChainConfig",
    "Chain",
    "ChainIntegrityError",
    "ConfigError",
    "difficulty_to_bits",
    "double_sign_evidence",
    "proposer_for_slot",
]

FORK_CHOICES = ("longest", "heaviest", "ghost")
MAX_FUTURE_MS = 2 * 3600 * 1000
_POW_LIMIT = 2**255
_NONCE_AT = HEADER_SIZE - 28  # nonce u64 then producer (20 bytes) end the header


class ConfigError(WorkbenchError):
    """A chain configuration that cannot work (unknown consensus, no validators, ...)."""


class ChainIntegrityError(WorkbenchError):
    """A saved chain file that was truncated, altered or is not a chain file."""


def difficulty_to_bits(zero_bits: float) -> int:
    """Compact ``bits`` for a target of ``2**(256 - zero_bits)``: about ``2**zero_bits`` hashes a block.

    >>> hex(difficulty_to_bits(16))
    '0x1f010000'
    """
    zero_bits = check("difficulty_bits", zero_bits, Real(1, 64), ConfigError)
    return target_to_bits(int(2 ** (256 - zero_bits)))


@dataclass
class ChainConfig:
    """Parameters of one chain. Addresses may be given as ``0x`` strings or 20 bytes.

    ``consensus`` is ``"pow"`` (``difficulty_bits`` leading zero bits at genesis, retarget
    every ``retarget_interval`` blocks towards ``block_interval_s``, clamped to a factor
    of 4 as Bitcoin does) or ``"pos"`` (``validators`` maps address to stake; one slot per
    ``block_interval_s``; a double signer loses ``slash_fraction`` of its stake).
    """

    chain_id: int
    consensus: str = "pow"
    alloc: dict = field(default_factory=dict)
    difficulty_bits: float = 12
    block_interval_s: float = 10.0
    retarget_interval: int = 20
    block_reward: int = 50
    min_fee: int = 0
    max_block_txs: int = 2000
    fork_choice: str = "heaviest"
    validators: dict = field(default_factory=dict)
    slash_fraction: float = 0.5
    minter: str | bytes | None = None
    genesis_time_ms: int = 0

    def __post_init__(self):
        self.chain_id = check("chain_id", self.chain_id, Int(0, 2**32 - 1), ConfigError)
        if self.consensus not in ("pow", "pos"):
            raise ConfigError(f"consensus must be 'pow' or 'pos', got {self.consensus!r}")
        if self.fork_choice not in FORK_CHOICES:
            raise ConfigError(f"fork_choice must be one of {FORK_CHOICES}, got {self.fork_choice!r}")
        if self.consensus == "pos" and not self.validators:
            raise ConfigError("a proof-of-stake chain needs validators {address: stake}")
        check_real("block_interval_s", self.block_interval_s, minimum=0, exclusive_min=True, error=ConfigError)
        check_real("slash_fraction", self.slash_fraction, minimum=0, maximum=1, error=ConfigError)
        if not isinstance(self.retarget_interval, int) or self.retarget_interval < 2:
            raise ConfigError("retarget_interval must be an int >= 2")
        if not 0 <= self.slash_fraction <= 1:
            raise ConfigError("slash_fraction must be in [0, 1]")
        self.initial_bits = difficulty_to_bits(self.difficulty_bits)
        for name in ("alloc", "validators"):
            amounts = getattr(self, name)
            if not isinstance(amounts, dict) or not all(is_int(v) for v in amounts.values()):
                raise ConfigError(f"{name} must be a dict {{address: integer amount}}, got {amounts!r}"[:200])
        try:
            self._alloc = {address_bytes(a): int(v) for a, v in self.alloc.items()}
            self._validators = {address_bytes(a): int(v) for a, v in self.validators.items()}
            self._minter = None if self.minter is None else address_bytes(self.minter)
        except TxError as exc:
            raise ConfigError(f"bad address in the configuration: {exc}") from None
        if any(v < 0 for v in self._alloc.values()) or any(v <= 0 for v in self._validators.values()):
            raise ConfigError("balances must be >= 0 and stakes > 0")

    @property
    def interval_ms(self) -> int:
        return int(round(self.block_interval_s * 1000))

    def to_json(self) -> str:
        d = {k: getattr(self, k) for k in self.__dataclass_fields__}
        d["alloc"] = {"0x" + a.hex(): v for a, v in self._alloc.items()}
        d["validators"] = {"0x" + a.hex(): v for a, v in self._validators.items()}
        d["minter"] = None if self._minter is None else "0x" + self._minter.hex()
        return json.dumps(d, sort_keys=True)


def proposer_for_slot(stakes: dict, slot: int, seed: bytes, slashed=()) -> bytes:
    """Stake-weighted proposer of ``slot``: a hash of (seed, slot) picks a point on the stake line.

    Validators are ordered by address; slashed or zero-stake validators are skipped.
    """
    line = [(a, s) for a, s in sorted(stakes.items()) if s > 0 and a not in slashed]
    if not line:
        raise ValidationError("bad-proposer", "no validator has stake left")
    total = sum(s for _, s in line)
    point = int.from_bytes(sha256d(seed + struct.pack(">Q", slot)), "big") % total
    for addr, stake in line:
        if point < stake:
            return addr
        point -= stake
    raise AssertionError("unreachable")  # pragma: no cover


def double_sign_evidence(header_a: Header, header_b: Header) -> bytes:
    """Slashing evidence: two different signed headers of the same slot (put in a SLASH tx's data)."""
    return header_a.serialize() + header_b.serialize()


@dataclass
class _Meta:
    height: int
    work: int  # cumulative chain work (PoW) or block count (PoS)
    parent: bytes
    order: int
    status: str = "header"  # "header" -> "valid" once connected, or "invalid"
    subtree: int = 0  # GHOST weight: work in this block's subtree


class Chain:
    """A node's view of one chain: the block tree, the best tip, and the state at the tip."""

    def __init__(self, config: ChainConfig):
        if not isinstance(config, ChainConfig):
            raise ConfigError("Chain needs a ChainConfig")
        self.config = config
        self.pos = config.consensus == "pos"
        genesis = Block(
            Header(
                config.chain_id, 0, b"\0" * 32, b"\0" * 32, config.genesis_time_ms, config.initial_bits, 0, b"\0" * 20
            )
        )
        self.genesis_hash = genesis.hash
        self.seed = sha256(config.to_json().encode())  # PoS randomness, fixed per chain
        self.blocks: dict[bytes, Block] = {self.genesis_hash: genesis}
        self.meta: dict[bytes, _Meta] = {self.genesis_hash: _Meta(0, 0, b"", 0, "valid")}
        self.children: dict[bytes, list] = {self.genesis_hash: []}
        self.state = State(config._alloc, config._validators)
        self.tip = self.genesis_hash
        self.main = [self.genesis_hash]
        self._undo: dict[bytes, dict] = {}
        self.reorgs: list[dict] = []
        self.disconnected_txs: list[Transaction] = []

    # ------------------------------------------------------------------ queries
    @property
    def height(self) -> int:
        return self.meta[self.tip].height

    def balance(self, addr) -> int:
        return self.state.balance(addr)

    def nonce(self, addr) -> int:
        return self.state.nonce(addr)

    def header(self, h: bytes) -> Header:
        return self.blocks[h].header

    def main_chain(self) -> list[Block]:
        return [self.blocks[h] for h in self.main]

    def is_main(self, block_hash: bytes) -> bool:
        m = self.meta.get(block_hash)
        return m is not None and m.height < len(self.main) and self.main[m.height] == block_hash

    def confirmations(self, txid: bytes) -> int:
        """Blocks on the main chain from the one holding ``txid`` to the tip (0 if not included)."""
        for h in reversed(self.main):
            if any(tx.txid == txid for tx in self.blocks[h].transactions):
                return self.height - self.meta[h].height + 1
        return 0

    def blocks_table(self) -> pd.DataFrame:
        """One row per known block: height, hash, parent, producer, txs, status, on the main chain."""
        rows = []
        for h, m in self.meta.items():
            hd = self.blocks[h].header
            rows.append(
                {
                    "height": m.height,
                    "hash": h.hex()[:16],
                    "parent": m.parent.hex()[:16],
                    "producer": address_str(hd.producer),
                    "timestamp_s": hd.timestamp_ms / 1000,
                    "bits": hex(hd.bits),
                    "txs": len(self.blocks[h].transactions),
                    "status": m.status,
                    "main": self.is_main(h),
                    "work": m.work,
                }
            )
        return pd.DataFrame(rows).sort_values(["height", "main"], ascending=[True, False]).reset_index(drop=True)

    # ------------------------------------------------------------------ consensus rules
    def expected_bits(self, parent_hash: bytes) -> int:
        """Difficulty bits a child of ``parent_hash`` must carry (retarget every interval)."""
        parent = self.header(parent_hash)
        n = self.config.retarget_interval
        if (parent.height + 1) % n:
            return parent.bits
        first = self._ancestor(parent_hash, max(0, parent.height - n))
        # actual vs expected time over the same number of intervals (Bitcoin's rule, without
        # its off-by-one that measures 2015 intervals against 2016)
        expected = (parent.height - self.meta[first].height) * self.config.interval_ms
        span = min(max(parent.timestamp_ms - self.header(first).timestamp_ms, expected // 4), expected * 4)
        target = min(bits_to_target(parent.bits) * span // expected, _POW_LIMIT)
        return target_to_bits(target)

    def _ancestor(self, h: bytes, height: int) -> bytes:
        while self.meta[h].height > height:
            h = self.meta[h].parent
        return h

    def _median_time(self, h: bytes) -> int:
        times = []
        while len(times) < 11:
            times.append(self.header(h).timestamp_ms)
            if h == self.genesis_hash:
                break
            h = self.meta[h].parent
        return sorted(times)[len(times) // 2]

    def _block_work(self, header: Header) -> int:
        return 1 if self.pos else work_of_target(bits_to_target(header.bits))

    def check_header(self, block: Block, now_ms: int | None = None) -> None:
        """Stateless and header checks; raises :class:`ValidationError` with a named reason."""
        hd = block.header
        if hd.chain_id != self.config.chain_id:
            raise ValidationError(
                "wrong-chain-id", f"block is for chain {hd.chain_id}, this chain is {self.config.chain_id}"
            )
        if block.hash in self.meta:
            raise ValidationError("duplicate", f"block {block.hash.hex()[:16]} is already known")
        parent = self.meta.get(hd.prev_hash)
        if parent is None:
            raise ValidationError("unknown-parent", f"parent {hd.prev_hash.hex()[:16]} is unknown")
        if parent.status == "invalid":
            raise ValidationError("invalid-ancestor", "the parent block failed validation")
        if hd.height != parent.height + 1:
            raise ValidationError("bad-height", f"height {hd.height}, parent height {parent.height}")
        if hd.timestamp_ms <= self._median_time(hd.prev_hash):
            raise ValidationError("bad-timestamp", "timestamp is not after the median of the last 11 blocks")
        if now_ms is not None and hd.timestamp_ms > now_ms + MAX_FUTURE_MS:
            raise ValidationError("bad-timestamp", "timestamp more than 2 hours in the future")
        if len(block.transactions) > self.config.max_block_txs:
            raise ValidationError(
                "block-too-large", f"{len(block.transactions)} > {self.config.max_block_txs} transactions"
            )
        if tx_merkle_root(block.transactions) != hd.merkle_root:
            raise ValidationError("bad-merkle-root", "the Merkle root does not match the transactions")
        for tx in block.transactions:
            if tx.chain_id != self.config.chain_id:
                raise TxError(
                    "wrong-chain-id", f"transaction for chain {tx.chain_id} in a block of chain {self.config.chain_id}"
                )
            tx.sender_bytes  # noqa: B018 - recovers the sender: bad signatures fail here
        if self.pos:
            parent_slot = self.header(hd.prev_hash).slot
            if hd.slot <= parent_slot:
                raise ValidationError("bad-slot", f"slot {hd.slot} does not follow the parent's slot {parent_slot}")
            if hd.timestamp_ms != self.config.genesis_time_ms + hd.slot * self.config.interval_ms:
                raise ValidationError("bad-timestamp", "a PoS block's timestamp is its slot's start time")
            if hd.signer() != hd.producer or hd.bits != self.config.initial_bits:
                raise ValidationError("bad-proposer", "the header is not signed by its producer")
        else:
            if hd.signature is not None:
                raise ValidationError("wrong-type", "proof-of-work headers carry no signature")
            bits = self.expected_bits(hd.prev_hash)
            if hd.bits != bits:
                raise ValidationError("bad-bits", f"bits 0x{hd.bits:08x}, the retarget rule gives 0x{bits:08x}")
            if int.from_bytes(block.hash, "little") > bits_to_target(hd.bits):
                raise ValidationError("bad-pow", "the block hash is above the target")

    def _slash_check(self, evidence: bytes):
        size = HEADER_SIZE + 65
        if len(evidence) != 2 * size:
            raise TxError("bad-evidence", f"evidence is two signed headers ({2 * size} bytes)")
        try:
            a, b = Header.parse(evidence[:size], True), Header.parse(evidence[size:], True)
        except ValidationError as exc:
            raise TxError("bad-evidence", f"a header does not parse: {exc}") from None
        if a.chain_id != self.config.chain_id or b.chain_id != self.config.chain_id:
            raise TxError("bad-evidence", "headers from another chain")
        if a.slot != b.slot or a.hash == b.hash:
            raise TxError("bad-evidence", "two different headers of the same slot are needed")
        signer = a.signer()
        if b.signer() != signer or self.state.stakes.get(signer, 0) <= 0:
            raise TxError("bad-evidence", "both headers must be signed by one staked validator")
        return signer, int(self.state.stakes[signer] * self.config.slash_fraction)

    def _connect(self, h: bytes) -> None:
        block = self.blocks[h]
        hd = block.header
        st = self.state
        if self.pos:
            expected = proposer_for_slot(st.stakes, hd.slot, self.seed, st.slashed)
            if hd.producer != expected:
                raise ValidationError("bad-proposer", f"slot {hd.slot} belongs to {address_str(expected)}")
        undo: dict = {}
        fees = 0
        seen = set()
        try:
            for tx in block.transactions:
                key = (tx.sender_bytes, tx.nonce)
                if key in seen:
                    raise TxError("double-spend", f"two transactions from {tx.sender} with nonce {tx.nonce}")
                seen.add(key)
                fees += st.apply_tx(
                    tx,
                    undo,
                    minter=self.config._minter,
                    min_fee=self.config.min_fee,
                    slash=self._slash_check if self.pos else None,
                )
            st.credit(hd.producer, self.config.block_reward + fees, undo)
        except ValidationError:
            st.rollback(undo)
            raise
        self._undo[h] = undo
        self.meta[h].status = "valid"

    def _disconnect(self, h: bytes) -> None:
        self.state.rollback(self._undo.pop(h))

    # ------------------------------------------------------------------ fork choice
    def _best_leaf(self) -> bytes:
        live = [h for h, m in self.meta.items() if m.status != "invalid"]
        if self.config.fork_choice == "ghost":
            h = self.genesis_hash
            while True:
                kids = [c for c in self.children[h] if self.meta[c].status != "invalid"]
                if not kids:
                    return h
                h = max(kids, key=lambda c: (self.meta[c].subtree, -self.meta[c].order))
        if self.config.fork_choice == "longest":
            return max(live, key=lambda c: (self.meta[c].height, -self.meta[c].order))
        return max(live, key=lambda c: (self.meta[c].work, -self.meta[c].order))

    def _switch_to(self, new_tip: bytes) -> int:
        """Disconnect to the fork point and connect the new branch; returns the reorg depth."""
        branch = []
        h = new_tip
        while not self.is_main(h):
            branch.append(h)
            h = self.meta[h].parent
        fork = h
        old = self.main[self.meta[fork].height + 1 :]
        for b in reversed(old):
            self._disconnect(b)
        connected = []
        try:
            for b in reversed(branch):
                self._connect(b)
                connected.append(b)
        except ValidationError:
            for b in reversed(connected):
                self._disconnect(b)
            for b in old:
                self._connect(b)
            self._mark_invalid(branch[len(branch) - 1 - len(connected)])
            raise
        self.main = self.main[: self.meta[fork].height + 1] + list(reversed(branch))
        self.tip = new_tip
        if old:
            mine = {tx.txid for b in branch for tx in self.blocks[b].transactions}
            self.disconnected_txs = [tx for b in old for tx in self.blocks[b].transactions if tx.txid not in mine]
        return len(old)

    def _mark_invalid(self, h: bytes) -> None:
        stack = [h]
        while stack:
            x = stack.pop()
            self.meta[x].status = "invalid"
            stack.extend(self.children[x])

    def add_block(self, block: Block, now_ms: int | None = None) -> str:
        """Validate and store ``block``; returns ``"extended"``, ``"reorg"`` or ``"side"``.

        Raises :class:`ValidationError` (reason named) when the block, or the branch it
        completes, is invalid; the node's state is then unchanged.
        """
        if not isinstance(block, Block):
            raise ValidationError("wrong-type", f"add_block takes a Block, got {type(block).__name__}")
        self.check_header(block, now_ms)
        h, hd = block.hash, block.header
        parent = self.meta[hd.prev_hash]
        work = self._block_work(hd)
        self.blocks[h] = block
        self.meta[h] = _Meta(hd.height, parent.work + work, hd.prev_hash, len(self.meta), "header", work)
        self.children[h] = []
        self.children[hd.prev_hash].append(h)
        x = hd.prev_hash
        while x:
            self.meta[x].subtree += work
            x = self.meta[x].parent
        best = self._best_leaf()
        if best == self.tip:
            return "side"
        if hd.prev_hash == self.tip and best == h:
            try:
                self._connect(h)
            except ValidationError:
                self._forget(h)
                raise
            self.main.append(h)
            self.tip = h
            return "extended"
        old_tip = self.tip
        try:
            depth = self._switch_to(best)
        except ValidationError:
            if self.meta.get(h) is not None and self.meta[h].status == "invalid" and not self.children[h]:
                self._forget(h)
            raise
        self.reorgs.append(
            {"height": self.height, "depth": depth, "old_tip": old_tip.hex()[:16], "new_tip": best.hex()[:16]}
        )
        return "reorg"

    def _forget(self, h: bytes) -> None:
        m = self.meta.pop(h)
        self.blocks.pop(h)
        self.children.pop(h)
        self.children[m.parent].remove(h)
        x = m.parent
        while x:
            self.meta[x].subtree -= m.subtree
            x = self.meta[x].parent

    def sync_from(self, peer: Chain) -> int:
        """State sync: fetch every block ``peer`` knows and this node lacks, parents first, each
        sent as bytes and fully validated here; returns how many blocks were added."""
        if not isinstance(peer, Chain) or peer.genesis_hash != self.genesis_hash:
            raise ConfigError("only nodes of the same chain (same genesis) can sync")
        added = 0
        for _, h in sorted((m.order, h) for h, m in peer.meta.items() if m.status != "invalid" and m.height > 0):
            if h not in self.meta:
                self.add_block(Block.parse(peer.blocks[h].serialize(), signed=self.pos, chain_id=self.config.chain_id))
                added += 1
        return added

    # ------------------------------------------------------------------ producing blocks
    def _template(self, producer: bytes, txs, timestamp_ms, parent, bits, nonce):
        parent = self.tip if parent is None else parent
        if parent not in self.meta:
            raise ValidationError("unknown-parent", "build on a known block")
        try:
            txs = tuple(txs)
        except TypeError:
            raise ValidationError("wrong-type", "txs must be a sequence of Transaction") from None
        if not all(isinstance(tx, Transaction) for tx in txs):
            raise ValidationError("wrong-type", "a block holds Transactions")
        if timestamp_ms is None:
            timestamp_ms = self.header(parent).timestamp_ms + self.config.interval_ms
        timestamp_ms = check("timestamp_ms", timestamp_ms, Int(0, 2**64 - 1), ConfigError)
        return Header(
            self.config.chain_id,
            self.meta[parent].height + 1,
            parent,
            tx_merkle_root(txs),
            timestamp_ms,
            bits if bits is not None else self.expected_bits(parent),
            nonce,
            address_bytes(producer),
        ), txs

    def mine_block(self, producer, txs=(), *, timestamp_ms=None, parent=None, max_tries=2**32) -> Block:
        """Build a PoW block on ``parent`` (default: the tip) and search nonces until it meets the target.

        About ``2**difficulty_bits`` double-SHA-256 evaluations (hashlib; ~1 us each).
        """
        if self.pos:
            raise ConfigError("this is a proof-of-stake chain: use propose_block")
        max_tries = check("max_tries", max_tries, Int(1, 2**64), ConfigError)
        hd, txs = self._template(producer, txs, timestamp_ms, parent, None, 0)
        core = hd.core_bytes()
        pre, post = core[:_NONCE_AT], core[_NONCE_AT + 8 :]
        target = bits_to_target(hd.bits)
        sha = hashlib.sha256
        for nonce in range(max_tries):
            digest = sha(sha(pre + nonce.to_bytes(8, "big") + post).digest()).digest()
            if int.from_bytes(digest, "little") <= target:
                return Block(Header(*_fields(hd, nonce=nonce)), txs)
        raise ValidationError("bad-pow", f"no nonce below {max_tries} meets the target")

    def propose_block(self, key: PrivateKey, slot: int, txs=(), *, parent=None) -> Block:
        """Build and sign a PoS block for ``slot`` (the key must be the slot's proposer to be valid)."""
        if not self.pos:
            raise ConfigError("this is a proof-of-work chain: use mine_block")
        ts = self.config.genesis_time_ms + slot * self.config.interval_ms
        hd, txs = self._template(key.address, txs, ts, parent, self.config.initial_bits, slot)
        return Block(Header(*_fields(hd, signature=key.sign(hd.hash))), txs)

    def proposer(self, slot: int) -> str:
        """Checksummed address of the validator that may propose ``slot`` (state at the tip)."""
        return address_str(proposer_for_slot(self.state.stakes, slot, self.seed, self.state.slashed))

    # ------------------------------------------------------------------ persistence
    _MAGIC = b"WBCHAIN2"
    _TRAILER = struct.Struct(">4sQ32s")  # b"TAIL", number of block records, SHA-256 of every byte before it

    def save(self, path) -> None:
        """Write every known valid block (forks included) with a SHA-256 per record and a trailer
        (the block count and a SHA-256 of the whole file), so that a truncated or altered file is
        refused on load; the file is written beside ``path`` and renamed into place."""
        body = [self._MAGIC]
        cfg = self.config.to_json().encode()
        body += [struct.pack(">I", len(cfg)), cfg, sha256(cfg)]
        order = sorted((m.order, h) for h, m in self.meta.items() if m.status != "invalid" and m.height > 0)
        for _, h in order:
            raw = self.blocks[h].serialize()
            body += [struct.pack(">I", len(raw)), raw, sha256(raw)]
        data = b"".join(body)
        data += self._TRAILER.pack(b"TAIL", len(order), sha256(data))
        tmp = f"{path}.tmp"
        try:
            with open(tmp, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        except OSError as exc:
            raise ChainIntegrityError(f"cannot write the chain to {path}: {exc.strerror or exc}") from None

    @classmethod
    def load(cls, path) -> Chain:
        """Read a saved chain: check the trailer (no byte missing or changed), every record's
        checksum, then re-validate every block. Raises :class:`ChainIntegrityError`."""
        try:
            with open(path, "rb") as fh:
                data = fh.read()
        except OSError as exc:
            raise ChainIntegrityError(f"cannot read {path}: {exc.strerror or exc}") from None
        if data.startswith(b"WBCHAIN1"):
            raise ChainIntegrityError(
                f"{path} was written by an older workbench (format 1, no trailer), so a "
                "truncation could not be detected; save the chain again"
            )
        if not data.startswith(cls._MAGIC):
            raise ChainIntegrityError(f"{path} is not a workbench chain file")
        tsize = cls._TRAILER.size
        if len(data) < len(cls._MAGIC) + tsize:
            raise ChainIntegrityError(f"{path}: file truncated (no trailer)")
        tag, count, digest = cls._TRAILER.unpack_from(data, len(data) - tsize)
        data = data[:-tsize]
        if tag != b"TAIL" or sha256(data) != digest:
            raise ChainIntegrityError(f"{path}: the trailer does not match the file (truncated or altered)")
        pos = len(cls._MAGIC)

        def record(i):
            nonlocal pos
            if pos + 4 > len(data):
                raise ChainIntegrityError(f"record {i}: file truncated")
            (n,) = struct.unpack_from(">I", data, pos)
            raw, digest = data[pos + 4 : pos + 4 + n], data[pos + 4 + n : pos + 36 + n]
            if len(raw) != n or len(digest) != 32:
                raise ChainIntegrityError(f"record {i}: file truncated")
            if sha256(raw) != digest:
                raise ChainIntegrityError(f"record {i}: checksum mismatch (the file was altered)")
            pos += 36 + n
            return raw

        try:
            cfg = json.loads(record(0))
            config = ChainConfig(**{k: v for k, v in cfg.items() if k in ChainConfig.__dataclass_fields__})
        except (ValueError, TypeError, AttributeError) as exc:
            raise ChainIntegrityError(f"record 0: not a chain configuration ({exc})") from None
        chain = cls(config)
        i = 1
        while pos < len(data):
            raw = record(i)
            try:
                chain.add_block(Block.parse(raw, signed=chain.pos, chain_id=config.chain_id))
            except ValidationError as exc:
                raise ChainIntegrityError(f"record {i}: block fails validation on reload ({exc})") from None
            i += 1
        if i - 1 != count:
            raise ChainIntegrityError(f"{path}: {i - 1} block records, the trailer says {count}")
        return chain


def _fields(hd: Header, **changes) -> tuple:
    d = {
        k: getattr(hd, k)
        for k in (
            "chain_id",
            "height",
            "prev_hash",
            "merkle_root",
            "timestamp_ms",
            "bits",
            "nonce",
            "producer",
            "signature",
            "version",
        )
    }
    d.update(changes)
    return tuple(d.values())
