"""A mempool with fee priority and nonce ordering, and block building from it.

Each sender's transactions must execute in nonce order, so the pool keeps one queue per
sender. A transaction whose nonce is the sender's next one is *pending* (executable);
later nonces wait as *queued* until the gap fills. A block template takes, greedily, the
highest-fee transaction among every sender's next executable one (a heap), then that
sender's following nonce becomes a candidate: fee priority that never breaks nonce order.
A pending transaction is replaced by one with the same sender and nonce only if its fee is
at least 10% higher (Ethereum clients' replace-by-fee rule).

Examples
--------
>>> from workbench.chain.keys import PrivateKey
>>> from workbench.chain.node import Chain, ChainConfig
>>> a, b = PrivateKey.from_int(1), PrivateKey.from_int(2)
>>> chain = Chain(ChainConfig(chain_id=1, alloc={a.address: 100, b.address: 100}))
>>> pool = Mempool(chain)
>>> for key, nonce, fee in [(a, 1, 9), (a, 0, 1), (b, 0, 5)]:
...     _ = pool.add(Transaction(chain_id=1, nonce=nonce, to=b.address, value=1, fee=fee).sign(key))
>>> [(tx.nonce, tx.fee) for tx in pool.select(3)]   # a's nonce 1 waits for nonce 0
[(0, 5), (0, 1), (1, 9)]
"""

from __future__ import annotations

import heapq

import pandas as pd

from ..errors import WorkbenchError
from .ledger import Transaction, TxError, ValidationError

__all__ = ["Mempool", "MempoolFullError"]


class MempoolFullError(WorkbenchError):
    """The pool is at capacity and the new transaction pays less than the cheapest one held."""


class Mempool:
    """Transactions waiting for a block, checked against ``chain``'s state at its tip."""

    def __init__(self, chain, capacity: int = 100_000):
        if not isinstance(capacity, int) or capacity < 1:
            raise WorkbenchError(f"capacity must be an int >= 1, got {capacity!r}")
        self.chain = chain
        self.capacity = capacity
        self._by_sender: dict[bytes, dict[int, Transaction]] = {}
        self._count = 0

    def __len__(self) -> int:
        return self._count

    def add(self, tx) -> str:
        """Add a transaction (object or serialized bytes); returns ``"pending"``, ``"queued"`` or ``"replaced"``.

        Rejects, with a named :class:`~workbench.chain.ledger.TxError`, anything a block could
        never include: wrong chain id, bad or high-S signature, a used nonce, a fee below the
        minimum or an overspend of the sender's balance counting its earlier pending ones.
        """
        cfg = self.chain.config
        if isinstance(tx, (bytes, bytearray)):
            tx = Transaction.parse(tx, cfg.chain_id)
        elif not isinstance(tx, Transaction):
            raise TxError("wrong-type", f"a mempool takes a Transaction or its bytes, got {type(tx).__name__}")
        elif tx.chain_id != cfg.chain_id:
            raise TxError("wrong-chain-id", f"transaction is for chain {tx.chain_id}, this chain is {cfg.chain_id}")
        else:  # the same checks as bytes from the wire, and from here on the parsed copy
            tx = Transaction.parse(tx.serialize(), cfg.chain_id)
        sender = tx.sender_bytes
        state_nonce = self.chain.state.nonces.get(sender, 0)
        if tx.nonce < state_nonce:
            raise TxError("nonce-too-low", f"nonce {tx.nonce} already used; next is {state_nonce}")
        if tx.fee < cfg.min_fee:
            raise TxError("fee-too-low", f"fee {tx.fee} below the minimum {cfg.min_fee}")
        queue = self._by_sender.setdefault(sender, {})
        old = queue.get(tx.nonce)
        if old is not None and tx.fee * 10 < old.fee * 11:
            raise TxError("replacement-underpriced", f"fee {tx.fee} must be >= 1.1 x {old.fee}")
        spend = sum(t.value + t.fee for n, t in queue.items() if n < tx.nonce)
        balance = self.chain.state.balances.get(sender, 0)
        if tx.type == 1 and spend + tx.value + tx.fee > balance:
            raise TxError(
                "insufficient-balance", f"value + fee {tx.value + tx.fee} plus {spend} pending > balance {balance}"
            )
        if old is None and self._count >= self.capacity:
            cheapest = min(self.transactions(), key=lambda t: t.fee)
            if tx.fee <= cheapest.fee:
                raise MempoolFullError(f"the pool holds {self.capacity} transactions paying at least {cheapest.fee}")
            self._drop(cheapest)
        queue[tx.nonce] = tx
        if old is not None:
            return "replaced"
        self._count += 1
        nxt = state_nonce
        while nxt in queue and nxt != tx.nonce:
            nxt += 1
        return "pending" if nxt == tx.nonce else "queued"

    def _drop(self, tx: Transaction) -> None:
        queue = self._by_sender[tx.sender_bytes]
        del queue[tx.nonce]
        self._count -= 1
        if not queue:
            del self._by_sender[tx.sender_bytes]

    def transactions(self) -> list[Transaction]:
        return [tx for q in self._by_sender.values() for tx in q.values()]

    def select(self, max_txs: int | None = None) -> list[Transaction]:
        """Greedy block template: highest fee first among each sender's next executable nonce."""
        limit = self.chain.config.max_block_txs if max_txs is None else int(max_txs)
        nonces = self.chain.state.nonces
        heap = []
        for sender, queue in self._by_sender.items():
            n = nonces.get(sender, 0)
            if n in queue:
                heap.append((-queue[n].fee, queue[n].txid, sender, n))
        heapq.heapify(heap)
        out = []
        while heap and len(out) < limit:
            _, _, sender, n = heapq.heappop(heap)
            out.append(self._by_sender[sender][n])
            nxt = self._by_sender[sender].get(n + 1)
            if nxt is not None:
                heapq.heappush(heap, (-nxt.fee, nxt.txid, sender, n + 1))
        return out

    def update(self) -> int:
        """After the chain moved: drop included/stale nonces, re-admit reorged-out transactions.

        Returns how many transactions were dropped.
        """
        for tx in self.chain.disconnected_txs:
            try:
                self.add(tx)
            except (ValidationError, MempoolFullError):
                pass
        self.chain.disconnected_txs = []
        dropped = 0
        nonces = self.chain.state.nonces
        for sender in list(self._by_sender):
            n = nonces.get(sender, 0)
            for tx in [t for k, t in self._by_sender[sender].items() if k < n]:
                self._drop(tx)
                dropped += 1
        return dropped

    def table(self) -> pd.DataFrame:
        """One row per transaction, with its status (pending/queued)."""
        rows = []
        nonces = self.chain.state.nonces
        for sender, queue in self._by_sender.items():
            n = nonces.get(sender, 0)
            for k in sorted(queue):
                row = queue[k].to_dict()
                row["status"] = "pending" if k == n else "queued"
                if k == n:
                    n += 1
                rows.append(row)
        return pd.DataFrame(rows)
