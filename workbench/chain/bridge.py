"""Several chains and a lock-and-mint bridge between them, run by a relayer.

A user *locks* coins on the source chain by paying the bridge's lock address with
``data = destination chain id (4 bytes) + recipient (20 bytes)``. The relayer follows the
source chain and, once a lock is ``confirmations`` deep, sends a MINT transaction on the
destination chain, signed with the key the destination trusts as its minter; the mint's
data names the source chain and the lock's txid, and the destination refuses a claim it
has already minted. Every transaction commits to its chain id, so neither a lock nor a mint
can be replayed on another chain (``wrong-chain-id``); a re-sent mint fails on its nonce or
as ``already-claimed``.

Examples
--------
>>> from workbench.chain.keys import PrivateKey
>>> from workbench.chain.node import Chain, ChainConfig
>>> user, relayer, miner = PrivateKey.from_int(11), PrivateKey.from_int(12), PrivateKey.from_int(13)
>>> lock = PrivateKey.from_int(14).address
>>> a = Chain(ChainConfig(chain_id=1, alloc={user.address: 100}, difficulty_bits=6))
>>> b = Chain(ChainConfig(chain_id=2, consensus="pos", validators={miner.address: 1},
...                       alloc={relayer.address: 10}, minter=relayer.address))
>>> bridge = Bridge(a, b, relayer, lock, confirmations=1)
>>> a.add_block(a.mine_block(miner.address, [bridge.lock_tx(user, 40, user.address, fee=1)]))
'extended'
>>> [t.value for t in bridge.pending_mints()]
[40]
"""

from __future__ import annotations

import struct
import time

import pandas as pd

from ..errors import MAX_COUNT, Int, WorkbenchError, check
from .keys import PrivateKey
from .ledger import Transaction, TxType, address_bytes, address_str
from .node import Chain

__all__ = ["Bridge", "BridgeError", "run_chains"]


class BridgeError(WorkbenchError):
    """A bridge that cannot work as configured (its relayer is not the destination's minter, ...).

    Examples
    --------
    >>> from workbench.chain import Bridge, Chain, ChainConfig, PrivateKey
    >>> relayer = PrivateKey.from_int(12)
    >>> a = Chain(ChainConfig(chain_id=1, difficulty_bits=4))
    >>> b = Chain(ChainConfig(chain_id=2, difficulty_bits=4))   # no minter configured
    >>> Bridge(a, b, relayer, PrivateKey.from_int(14).address)
    Traceback (most recent call last):
    ...
    workbench.chain.bridge.BridgeError: the relayer's key must be the destination chain's minter
    """


class Bridge:
    """Lock on ``source``, mint on ``dest``; ``relayer`` must be ``dest``'s configured minter.

    Parameters
    ----------
    source : Chain
        The chain where coins are locked.
    dest : Chain
        The chain where wrapped coins are minted; its chain id differs from ``source``'s.
    relayer : PrivateKey
        The relayer's key, which signs the mints; its address must be ``dest.config.minter``.
    lock_address : str or bytes
        The address locks are paid to (``0x`` hex string or 20 bytes).
    confirmations : int, default 6
        Depth a lock must reach on ``source`` before it is relayed, an integer >= 1.

    Attributes
    ----------
    lock : bytes
        The lock address, 20 bytes.
    relayed : dict
        ``{lock txid: mint Transaction}`` of every lock relayed so far.

    Raises
    ------
    BridgeError
        If ``source`` or ``dest`` is not a :class:`Chain`, both have the same chain id, the
        relayer is not ``dest``'s minter, or ``confirmations`` is not an integer >= 1.
    TxError
        If ``lock_address`` is not an address.

    Examples
    --------
    >>> from workbench.chain import Bridge, Chain, ChainConfig, PrivateKey
    >>> user, relayer, miner = PrivateKey.from_int(11), PrivateKey.from_int(12), PrivateKey.from_int(13)
    >>> a = Chain(ChainConfig(chain_id=1, alloc={user.address: 100}, difficulty_bits=4))
    >>> b = Chain(ChainConfig(chain_id=2, difficulty_bits=4, minter=relayer.address))
    >>> bridge = Bridge(a, b, relayer, PrivateKey.from_int(14).address, confirmations=1)
    >>> a.add_block(a.mine_block(miner.address, [bridge.lock_tx(user, 40, user.address)]))
    'extended'
    >>> b.add_block(b.mine_block(miner.address, bridge.pending_mints()))
    'extended'
    >>> bridge.table()[["value", "confirmations", "minted"]].values.tolist()
    [[40, 1, True]]
    """

    def __init__(self, source: Chain, dest: Chain, relayer: PrivateKey, lock_address, *, confirmations: int = 6):
        if not isinstance(source, Chain) or not isinstance(dest, Chain):
            raise BridgeError("source and dest must be workbench.chain Chain objects")
        if source.config.chain_id == dest.config.chain_id:
            raise BridgeError("a bridge joins two chains with different chain ids")
        if dest.config._minter != address_bytes(relayer.address):
            raise BridgeError("the relayer's key must be the destination chain's minter")
        confirmations = check("confirmations", confirmations, Int(1, MAX_COUNT), BridgeError)
        self.source, self.dest, self.relayer = source, dest, relayer
        self.lock = address_bytes(lock_address)
        self.confirmations = confirmations
        self.relayed: dict[bytes, Transaction] = {}  # lock txid -> mint
        self._next_nonce = None

    def lock_tx(self, key: PrivateKey, value: int, recipient, *, fee: int = 1, nonce: int | None = None) -> Transaction:
        """A signed lock on the source chain paying ``value`` to be minted for ``recipient`` on dest.

        The transaction is returned, not sent: include it in a block of ``source``.

        Parameters
        ----------
        key : PrivateKey
            The user's key on the source chain; it pays ``value + fee``.
        value : int
            Coins locked (and later minted), an integer in [0, 2**64).
        recipient : str or bytes
            Address credited on the destination chain (``0x`` hex string or 20 bytes).
        fee : int, default 1
            Transaction fee on the source chain, an integer in [0, 2**64).
        nonce : int or None, default None
            The user's nonce; None: its next nonce on the source's main chain.

        Returns
        -------
        Transaction
            The signed TRANSFER to the lock address, with ``data`` = destination chain id
            (4 bytes) + ``recipient`` (20 bytes).

        Raises
        ------
        TxError
            If ``recipient`` is not an address or a field is out of range.
        """
        nonce = self.source.nonce(key.address) if nonce is None else nonce
        data = struct.pack(">I", self.dest.config.chain_id) + address_bytes(recipient)
        return Transaction(
            chain_id=self.source.config.chain_id, nonce=nonce, to=self.lock, value=value, fee=fee, data=data
        ).sign(key)

    def locks(self) -> list[tuple[Transaction, int]]:
        """Locks on the source's main chain addressed to ``dest``, with their confirmations.

        Returns
        -------
        list of tuple
            ``(lock Transaction, confirmations)`` pairs in chain order; a lock in the tip has 1.
        """
        want = struct.pack(">I", self.dest.config.chain_id)
        out = []
        tip = self.source.height
        for h in self.source.main[1:]:
            blk = self.source.blocks[h]
            for tx in blk.transactions:
                if tx.to == self.lock and tx.type == TxType.TRANSFER and len(tx.data) == 24 and tx.data[:4] == want:
                    out.append((tx, tip - blk.height + 1))
        return out

    def pending_mints(self) -> list[Transaction]:
        """Signed mints for every lock that is deep enough and not relayed yet.

        Each mint is recorded in :attr:`relayed` when it is made, so a second call does not
        return it again; include the mints in a block of ``dest`` to credit the recipients.

        Returns
        -------
        list of Transaction
            MINT transactions signed by the relayer, consecutive nonces, fee 0, ``data`` =
            source chain id (4 bytes) + lock txid (32 bytes).
        """
        nonce = max(self.dest.nonce(self.relayer.address), self._next_nonce or 0)
        src = struct.pack(">I", self.source.config.chain_id)
        out = []
        for tx, conf in self.locks():
            if conf < self.confirmations or tx.txid in self.relayed:
                continue
            mint = Transaction(
                chain_id=self.dest.config.chain_id,
                nonce=nonce,
                to=tx.data[4:],
                value=tx.value,
                fee=0,
                type=TxType.MINT,
                data=src + tx.txid,
            ).sign(self.relayer)
            self.relayed[tx.txid] = mint
            out.append(mint)
            nonce += 1
        self._next_nonce = nonce
        return out

    def table(self) -> pd.DataFrame:
        """One row per lock: value, recipient, confirmations, relayed, and minted on the destination.

        Returns
        -------
        pandas.DataFrame
            One row per lock on the source's main chain: ``lock_txid`` (first 16 hex digits),
            ``from``, ``recipient``, ``value``, ``confirmations``, ``relayed`` and ``minted``
            (the claim is in the destination's state at its tip).
        """
        src = struct.pack(">I", self.source.config.chain_id)
        rows = []
        for tx, conf in self.locks():
            rows.append(
                {
                    "lock_txid": tx.txid.hex()[:16],
                    "from": tx.sender,
                    "recipient": address_str(tx.data[4:]),
                    "value": tx.value,
                    "confirmations": conf,
                    "relayed": tx.txid in self.relayed,
                    "minted": src + tx.txid in self.dest.state.claims,
                }
            )
        return pd.DataFrame(rows)


def run_chains(chains: dict, producers: dict, until_s: float, *, txs=None) -> pd.DataFrame:
    """Advance several chains side by side on one simulated clock, each at its own block interval.

    ``producers[name]`` is a miner address (PoW) or a dict ``{address: PrivateKey}`` of the
    validators' keys by checksummed address (PoS). ``txs(name, chain)`` may return transactions for the next block.
    Returns one row per produced block (chain, height, time, txs, wall seconds spent).

    Parameters
    ----------
    chains : dict
        ``{name: Chain}``; each starts from its tip's timestamp.
    producers : dict
        ``{name: producer}`` for the same names: a miner address (PoW) or
        ``{checksummed address: PrivateKey}`` of the validators (PoS).
    until_s : float
        End of the simulated clock, s; every block whose time is at most ``until_s`` is produced.
    txs : callable or None, default None
        ``txs(name, chain)`` returns the transactions of that chain's next block; None: empty blocks.

    Returns
    -------
    pandas.DataFrame
        One row per block in clock order: ``chain``, ``chain_id``, ``height``, ``time_s``,
        ``txs``, ``wall_s`` (seconds spent producing it).

    Raises
    ------
    WorkbenchError
        If ``chains`` and ``producers`` do not have the same names, or a PoS slot's proposer has
        no key in its chain's producer entry.
    ValidationError
        If a produced block is invalid (for example a transaction from ``txs`` fails).

    Examples
    --------
    >>> from workbench.chain import Chain, ChainConfig, PrivateKey, run_chains
    >>> miner, v = PrivateKey.from_int(13), PrivateKey.from_int(5)
    >>> a = Chain(ChainConfig(chain_id=1, difficulty_bits=4, block_interval_s=2.0))
    >>> b = Chain(ChainConfig(chain_id=2, consensus="pos", validators={v.address: 1}, block_interval_s=3.0))
    >>> df = run_chains({"a": a, "b": b}, {"a": miner.address, "b": {v.address: v}}, until_s=6)
    >>> df[["chain", "time_s"]].values.tolist()
    [['a', 2.0], ['b', 3.0], ['a', 4.0], ['a', 6.0], ['b', 6.0]]
    """
    if set(chains) != set(producers):
        raise WorkbenchError("give one producer entry per chain")
    rows = []
    clock = {k: c.header(c.tip).timestamp_ms for k, c in chains.items()}
    while True:
        name = min(clock, key=lambda k: clock[k] + chains[k].config.interval_ms)
        chain = chains[name]
        t = clock[name] + chain.config.interval_ms
        if t > until_s * 1000:
            break
        batch = list(txs(name, chain)) if txs else []
        t0 = time.perf_counter()
        if chain.pos:
            slot = (t - chain.config.genesis_time_ms) // chain.config.interval_ms
            proposer = chain.proposer(slot)
            keys = producers[name]
            if not isinstance(keys, dict) or proposer not in keys:
                raise WorkbenchError(
                    f"chain {name!r}: slot {slot}'s proposer {proposer} has no key in producers[{name!r}] "
                    "(a PoS chain's producer entry is a dict {address: PrivateKey} of every validator)"
                )
            key = keys[proposer]
            blk = chain.propose_block(key, slot, batch)
        else:
            blk = chain.mine_block(producers[name], batch, timestamp_ms=t)
        chain.add_block(blk)
        rows.append(
            {
                "chain": name,
                "chain_id": chain.config.chain_id,
                "height": blk.height,
                "time_s": t / 1000,
                "txs": len(batch),
                "wall_s": time.perf_counter() - t0,
            }
        )
        clock[name] = t
    return pd.DataFrame(rows)
