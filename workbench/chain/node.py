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
    """A chain configuration that cannot work (unknown consensus, no validators, ...).

    Examples
    --------
    >>> from workbench.chain import ChainConfig
    >>> ChainConfig(chain_id=1, consensus="pos")
    Traceback (most recent call last):
    ...
    workbench.chain.node.ConfigError: a proof-of-stake chain needs validators {address: stake}
    """


class ChainIntegrityError(WorkbenchError):
    """A saved chain file that was truncated, altered or is not a chain file.

    Examples
    --------
    >>> from workbench.chain import Chain
    >>> Chain.load("no-such-chain.wbc")
    Traceback (most recent call last):
    ...
    workbench.chain.node.ChainIntegrityError: cannot read no-such-chain.wbc: No such file or directory
    """


def difficulty_to_bits(zero_bits: float) -> int:
    """Compact ``bits`` for a target of ``2**(256 - zero_bits)``: about ``2**zero_bits`` hashes a block.

    Parameters
    ----------
    zero_bits : float
        Leading zero bits the target demands, a finite number in [1, 64] (fractions allowed).

    Returns
    -------
    int
        The target in Bitcoin's compact 32-bit ``bits`` encoding (what a header carries).

    Raises
    ------
    ConfigError
        If ``zero_bits`` is not a finite number in [1, 64].

    Examples
    --------
    >>> from workbench.chain import difficulty_to_bits
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

    Parameters
    ----------
    chain_id : int
        Id of the chain, an integer in [0, 2**32 - 1]; every header and transaction commits to it.
    consensus : {"pow", "pos"}, default "pow"
        Proof of work or proof of stake.
    alloc : dict, default {}
        Genesis balances, ``{address: integer amount >= 0}``.
    difficulty_bits : float, default 12
        Leading zero bits of the genesis target, a finite number in [1, 64] (about
        ``2**difficulty_bits`` hashes a block); PoS headers carry these bits without any work.
    block_interval_s : float, default 10.0
        Target block interval in s, > 0: what PoW retargeting aims at, and the length of a PoS slot.
    retarget_interval : int, default 20
        Blocks between two PoW difficulty adjustments, a Python int >= 2.
    block_reward : int, default 50
        Coins credited to each block's producer, on top of the block's fees.
    min_fee : int, default 0
        Smallest fee a transaction may pay to be included (and admitted to a :class:`Mempool`).
    max_block_txs : int, default 2000
        Most transactions one block may hold.
    fork_choice : {"longest", "heaviest", "ghost"}, default "heaviest"
        Rule that picks the best tip: the most blocks, the most cumulative work (the most
        blocks on PoS), or GHOST (from genesis, always the child with the heaviest subtree).
    validators : dict, default {}
        PoS stakes, ``{address: integer stake > 0}``; required (non-empty) when ``consensus="pos"``.
    slash_fraction : float, default 0.5
        Fraction of its stake a validator loses when evidence of a double signature is
        included, a number in [0, 1] (half of the penalty goes to the reporter, half is burned).
    minter : str, bytes or None, default None
        The only address allowed to send MINT transactions (a bridge's relayer); None: nobody.
    genesis_time_ms : int, default 0
        Timestamp of the genesis block in ms; PoS slot ``s`` starts at
        ``genesis_time_ms + s * interval_ms``.

    Attributes
    ----------
    initial_bits : int
        Compact ``bits`` of the genesis target (:func:`difficulty_to_bits` of ``difficulty_bits``).

    Raises
    ------
    ConfigError
        If ``chain_id`` is not an integer in [0, 2**32 - 1], ``consensus`` or ``fork_choice``
        is not one of the names above, a PoS chain has no validators, ``block_interval_s`` is
        not > 0, ``slash_fraction`` is outside [0, 1], ``retarget_interval`` is not an integer
        >= 2, ``block_reward``, ``min_fee`` or ``genesis_time_ms`` is not an integer >= 0,
        ``max_block_txs`` is not an integer >= 1,
        ``difficulty_bits`` is outside [1, 64], ``alloc`` or ``validators`` is not a dict of
        integer amounts, an address is malformed, a balance is negative or a stake is not > 0.

    Examples
    --------
    >>> from workbench.chain import ChainConfig
    >>> cfg = ChainConfig(chain_id=7, difficulty_bits=8)
    >>> hex(cfg.initial_bits), cfg.interval_ms
    ('0x20010000', 10000)
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
        for name, lo in (
            ("retarget_interval", 2),
            ("block_reward", 0),
            ("min_fee", 0),
            ("max_block_txs", 1),
            ("genesis_time_ms", 0),
        ):
            setattr(self, name, check(name, getattr(self, name), Int(lo, 2**63 - 1), ConfigError))
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
        """``block_interval_s`` in whole milliseconds.

        Returns
        -------
        int
            The block interval (or PoS slot length) in ms, rounded.
        """
        return int(round(self.block_interval_s * 1000))

    def to_json(self) -> str:
        """The configuration as JSON: every field, addresses as ``0x`` hex, keys sorted.

        It is the first record of a saved chain, and its SHA-256 seeds the PoS proposer draw.

        Returns
        -------
        str
            A JSON object with one key per field of the dataclass.
        """
        d = {k: getattr(self, k) for k in self.__dataclass_fields__}
        d["alloc"] = {"0x" + a.hex(): v for a, v in self._alloc.items()}
        d["validators"] = {"0x" + a.hex(): v for a, v in self._validators.items()}
        d["minter"] = None if self._minter is None else "0x" + self._minter.hex()
        return json.dumps(d, sort_keys=True)


def proposer_for_slot(stakes: dict, slot: int, seed: bytes, slashed=()) -> bytes:
    """Stake-weighted proposer of ``slot``: a hash of (seed, slot) picks a point on the stake line.

    Validators are ordered by address; slashed or zero-stake validators are skipped.

    Parameters
    ----------
    stakes : dict
        ``{20-byte address: integer stake}`` of the validators.
    slot : int
        The slot, an integer >= 0 (packed as an unsigned 64-bit number).
    seed : bytes
        The chain's randomness (:attr:`Chain.seed`); the same seed and slot give the same proposer.
    slashed : collection of bytes, default ()
        Addresses of slashed validators, which are skipped.

    Returns
    -------
    bytes
        The 20-byte address of the proposer.

    Raises
    ------
    ValidationError
        With reason ``"bad-proposer"`` if no validator has stake left.
    ConfigError
        If ``slot`` is not an integer in ``[0, 2**64)``.

    Examples
    --------
    >>> from workbench.chain.node import proposer_for_slot
    >>> a, b = bytes([1]) * 20, bytes([2]) * 20
    >>> proposer_for_slot({a: 1, b: 3}, 0, b"seed") in (a, b)
    True
    >>> proposer_for_slot({a: 1, b: 3}, 0, b"seed", slashed={b}) == a
    True
    """
    line = [(a, s) for a, s in sorted(stakes.items()) if s > 0 and a not in slashed]
    if not line:
        raise ValidationError("bad-proposer", "no validator has stake left")
    total = sum(s for _, s in line)
    slot = check("slot", slot, Int(0, 2**64 - 1), ConfigError)
    point = int.from_bytes(sha256d(seed + struct.pack(">Q", slot)), "big") % total
    for addr, stake in line:
        if point < stake:
            return addr
        point -= stake
    raise AssertionError("unreachable")  # pragma: no cover


def double_sign_evidence(header_a: Header, header_b: Header) -> bytes:
    """Slashing evidence: two different signed headers of the same slot (put in a SLASH tx's data).

    Parameters
    ----------
    header_a : Header
        A signed PoS header.
    header_b : Header
        Another header of the same slot, signed by the same validator.

    Returns
    -------
    bytes
        The two serialized headers one after the other (2 x 185 bytes for signed headers);
        the chain checks them only when a SLASH transaction carrying them is applied.

    Examples
    --------
    >>> from workbench.chain import Chain, ChainConfig, PrivateKey, Transaction, double_sign_evidence
    >>> v = PrivateKey.from_int(5)
    >>> chain = Chain(ChainConfig(chain_id=3, consensus="pos", validators={v.address: 10}))
    >>> tx = Transaction(chain_id=3, nonce=0, to=v.address, value=0, fee=0).sign(v)
    >>> a, b = chain.propose_block(v, 1), chain.propose_block(v, 1, [tx])   # two blocks, one slot
    >>> len(double_sign_evidence(a.header, b.header))
    370
    """
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
    """A node's view of one chain: the block tree, the best tip, and the state at the tip.

    Parameters
    ----------
    config : ChainConfig
        The chain's rules; the genesis block is built from it.

    Attributes
    ----------
    config : ChainConfig
        The configuration given.
    pos : bool
        Whether the chain runs proof of stake.
    genesis_hash : bytes
        Hash of the genesis block (32 bytes).
    seed : bytes
        SHA-256 of ``config.to_json()``: the PoS proposer randomness, fixed per chain.
    blocks : dict
        Every known block (every branch), ``{hash: Block}``.
    tip : bytes
        Hash of the best block.
    main : list of bytes
        Hashes of the main chain, genesis first (``main[h]`` is at height ``h``).
    state : State
        Balances, nonces, stakes and bridge claims at the tip.
    reorgs : list of dict
        One entry per reorganization: ``height``, ``depth``, ``old_tip``, ``new_tip``.
    disconnected_txs : list of Transaction
        Transactions of the blocks the last reorg disconnected that the new branch does
        not hold (what :meth:`Mempool.update` re-admits).

    Raises
    ------
    ConfigError
        If ``config`` is not a :class:`ChainConfig`.

    Examples
    --------
    >>> from workbench.chain import Chain, ChainConfig, PrivateKey
    >>> miner = PrivateKey.from_int(3)
    >>> chain = Chain(ChainConfig(chain_id=1, difficulty_bits=4))
    >>> chain.add_block(chain.mine_block(miner.address))
    'extended'
    >>> chain.height, chain.balance(miner.address)
    (1, 50)
    """

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
        """Height of the best tip (0 while only genesis is known).

        Returns
        -------
        int
            The tip's height.
        """
        return self.meta[self.tip].height

    def balance(self, addr) -> int:
        """Balance of an account in the state at the tip.

        Parameters
        ----------
        addr : str or bytes
            The account's address, a ``0x`` hex string (any case) or 20 bytes.

        Returns
        -------
        int
            Its balance (0 for an account never seen).

        Raises
        ------
        TxError
            If ``addr`` is not a 20-byte address or a ``0x`` hex string of one.
        """
        return self.state.balance(addr)

    def nonce(self, addr) -> int:
        """Next nonce the chain expects from an account (its transactions on the main chain).

        Parameters
        ----------
        addr : str or bytes
            The account's address, a ``0x`` hex string (any case) or 20 bytes.

        Returns
        -------
        int
            The nonce its next transaction must carry (0 for a new account).

        Raises
        ------
        TxError
            If ``addr`` is not a 20-byte address or a ``0x`` hex string of one.
        """
        return self.state.nonce(addr)

    def header(self, h: bytes) -> Header:
        """Header of a known block.

        Parameters
        ----------
        h : bytes
            The block's 32-byte hash (any branch).

        Returns
        -------
        Header
            Its header.

        Raises
        ------
        KeyError
            If no block with that hash is known.
        """
        return self.blocks[h].header

    def main_chain(self) -> list[Block]:
        """The blocks of the main chain.

        Returns
        -------
        list of Block
            Genesis first, the tip last.
        """
        return [self.blocks[h] for h in self.main]

    def is_main(self, block_hash: bytes) -> bool:
        """Whether a block is on the main chain.

        Parameters
        ----------
        block_hash : bytes
            The block's 32-byte hash.

        Returns
        -------
        bool
            True for a block of the main chain; False for a side-branch or unknown block.
        """
        m = self.meta.get(block_hash)
        return m is not None and m.height < len(self.main) and self.main[m.height] == block_hash

    def confirmations(self, txid: bytes) -> int:
        """Blocks on the main chain from the one holding ``txid`` to the tip (0 if not included).

        Parameters
        ----------
        txid : bytes
            The transaction id (:attr:`Transaction.txid`, 32 bytes).

        Returns
        -------
        int
            1 when the transaction is in the tip, 1 more for every block on top; 0 when
            the main chain does not hold it.
        """
        for h in reversed(self.main):
            if any(tx.txid == txid for tx in self.blocks[h].transactions):
                return self.height - self.meta[h].height + 1
        return 0

    def blocks_table(self) -> pd.DataFrame:
        """One row per known block: height, hash, parent, producer, txs, status, on the main chain.

        Returns
        -------
        pandas.DataFrame
            Columns ``height``, ``hash`` and ``parent`` (first 16 hex digits), ``producer``
            (checksummed address), ``timestamp_s``, ``bits`` (hex), ``txs``, ``status``
            (``"valid"``, ``"header"`` for a side block never connected, or ``"invalid"``),
            ``main`` (on the main chain) and ``work`` (cumulative chain work; the block count
            on PoS); sorted by height, the main-chain block first.
        """
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
        """Difficulty bits a child of ``parent_hash`` must carry (retarget every interval).

        Parameters
        ----------
        parent_hash : bytes
            Hash of a known block.

        Returns
        -------
        int
            Compact ``bits``: the parent's own, except at every ``retarget_interval``-th
            height, where the target scales by the actual over the expected time of the last
            interval (clamped to a factor of 4 either way).

        Raises
        ------
        KeyError
            If ``parent_hash`` is not a known block.
        """
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
        """Stateless and header checks; raises :class:`ValidationError` with a named reason.

        Checks the chain id, that the block is new and its parent known and valid, the height,
        the timestamp (after the median of the last 11 blocks, at most 2 hours ahead of
        ``now_ms``), the size and Merkle root, every transaction's chain id and signature, and
        then the proof of work and difficulty bits (PoW) or the slot, timestamp and
        proposer's signature (PoS). The stake-weighted proposer itself is checked when the
        block is connected. Nothing is stored.

        Parameters
        ----------
        block : Block
            The block to check.
        now_ms : int or None, default None
            The node's clock in ms, for the "not too far in the future" rule; None skips that rule.

        Raises
        ------
        ValidationError
            If a check fails; ``reason`` names it (a :data:`REASONS` key).
        TxError
            If a transaction is for another chain or its signature does not recover a sender.
        """
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

        Parameters
        ----------
        block : Block
            The block, built on any known valid block.
        now_ms : int or None, default None
            The node's clock in ms, passed to :meth:`check_header` (None: no future-time limit).

        Returns
        -------
        str
            ``"extended"`` when the block extends the tip, ``"reorg"`` when it makes another
            branch the best (recorded in :attr:`reorgs`), ``"side"`` when it is stored on a
            branch that is not the best.

        Raises
        ------
        ValidationError
            If the block is not a :class:`Block`, fails :meth:`check_header`, or it or the
            branch it completes fails while its transactions are applied (:class:`TxError`,
            a subclass, for a transaction); a branch that fails is marked invalid and the old
            main chain is kept.
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
        sent as bytes and fully validated here; returns how many blocks were added.

        Parameters
        ----------
        peer : Chain
            Another node of the same chain (same genesis); blocks it marked invalid are not fetched.

        Returns
        -------
        int
            Number of blocks added.

        Raises
        ------
        ConfigError
            If ``peer`` is not a :class:`Chain` with the same genesis block.
        ValidationError
            If a fetched block fails validation here (the blocks added before it stay).
        """
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
        The block is returned, not added: pass it to :meth:`add_block`.

        Parameters
        ----------
        producer : str or bytes
            Address credited with the reward and fees (``0x`` hex string or 20 bytes).
        txs : sequence of Transaction, default ()
            Transactions of the block, in order (not checked against the state here).
        timestamp_ms : int or None, default None
            Block timestamp in ms, an integer in [0, 2**64 - 1]; None: the parent's timestamp
            plus the block interval.
        parent : bytes or None, default None
            Hash of the block to build on; None: the tip.
        max_tries : int, default 2**32
            Nonces to try (0, 1, 2, ...), an integer in [1, 2**64].

        Returns
        -------
        Block
            A block whose hash meets the target of its difficulty bits.

        Raises
        ------
        ConfigError
            If the chain is proof of stake, or ``max_tries`` or ``timestamp_ms`` is out of range.
        ValidationError
            If ``parent`` is unknown, ``txs`` are not Transactions, or no nonce below
            ``max_tries`` meets the target (reason ``"bad-pow"``).
        TxError
            If ``producer`` is not an address.
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
        """Build and sign a PoS block for ``slot`` (the key must be the slot's proposer to be valid).

        The block is returned, not added: pass it to :meth:`add_block`.

        Parameters
        ----------
        key : PrivateKey
            The validator's key; it signs the header and receives the reward and fees.
        slot : int
            The slot (carried in the header's nonce); the timestamp is
            ``genesis_time_ms + slot * interval_ms``.
        txs : sequence of Transaction, default ()
            Transactions of the block, in order (not checked against the state here).
        parent : bytes or None, default None
            Hash of the block to build on; None: the tip.

        Returns
        -------
        Block
            The signed block.

        Raises
        ------
        ConfigError
            If the chain is proof of work, or the slot's timestamp is not in [0, 2**64 - 1].
        ValidationError
            If ``parent`` is unknown or ``txs`` are not Transactions.
        """
        if not self.pos:
            raise ConfigError("this is a proof-of-work chain: use mine_block")
        ts = self.config.genesis_time_ms + slot * self.config.interval_ms
        hd, txs = self._template(key.address, txs, ts, parent, self.config.initial_bits, slot)
        return Block(Header(*_fields(hd, signature=key.sign(hd.hash))), txs)

    def proposer(self, slot: int) -> str:
        """Checksummed address of the validator that may propose ``slot`` (state at the tip).

        Parameters
        ----------
        slot : int
            The slot, an integer >= 0.

        Returns
        -------
        str
            The proposer's checksummed ``0x`` address (:func:`proposer_for_slot` with the
            stakes and slashed validators at the tip).

        Raises
        ------
        ValidationError
            With reason ``"bad-proposer"`` if no validator has stake left.
        """
        return address_str(proposer_for_slot(self.state.stakes, slot, self.seed, self.state.slashed))

    # ------------------------------------------------------------------ persistence
    _MAGIC = b"WBCHAIN2"
    _TRAILER = struct.Struct(">4sQ32s")  # b"TAIL", number of block records, SHA-256 of every byte before it

    def save(self, path) -> None:
        """Write every known valid block (forks included) with a SHA-256 per record and a trailer
        (the block count and a SHA-256 of the whole file), so that a truncated or altered file is
        refused on load; the file is written beside ``path`` and renamed into place.

        Parameters
        ----------
        path : str or os.PathLike
            The file to write (replaced if it exists); ``<path>.tmp`` is used on the way.

        Raises
        ------
        ChainIntegrityError
            If the file cannot be written.
        """
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
        checksum, then re-validate every block. Raises :class:`ChainIntegrityError`.

        Parameters
        ----------
        path : str or os.PathLike
            A file written by :meth:`save`.

        Returns
        -------
        Chain
            A new node holding the saved configuration and blocks, with its state rebuilt.

        Raises
        ------
        ChainIntegrityError
            If the file cannot be read, is not a chain file (or an older format), was
            truncated or altered, its configuration does not load, or a block fails validation.

        Examples
        --------
        >>> import os, tempfile
        >>> from workbench.chain import Chain, ChainConfig, PrivateKey
        >>> chain = Chain(ChainConfig(chain_id=1, difficulty_bits=4))
        >>> _ = chain.add_block(chain.mine_block(PrivateKey.from_int(3).address))
        >>> with tempfile.TemporaryDirectory() as d:
        ...     chain.save(os.path.join(d, "chain.wbc"))
        ...     Chain.load(os.path.join(d, "chain.wbc")).tip == chain.tip
        True
        """
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
