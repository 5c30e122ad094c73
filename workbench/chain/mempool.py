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

from ..errors import Int, WorkbenchError, check, is_int
from .ledger import Transaction, TxError, ValidationError

__all__ = ["Mempool", "MempoolFullError"]


class MempoolFullError(WorkbenchError):
    """The pool is at capacity and the new transaction pays less than the cheapest one held.

    Examples
    --------
    >>> from workbench.chain import Chain, ChainConfig, Mempool, PrivateKey, Transaction
    >>> a, b = PrivateKey.from_int(1), PrivateKey.from_int(2)
    >>> pool = Mempool(Chain(ChainConfig(chain_id=1, alloc={a.address: 100, b.address: 100})), capacity=1)
    >>> pool.add(Transaction(chain_id=1, nonce=0, to=b.address, value=1, fee=5).sign(a))
    'pending'
    >>> pool.add(Transaction(chain_id=1, nonce=0, to=a.address, value=1, fee=2).sign(b))
    Traceback (most recent call last):
    ...
    workbench.chain.mempool.MempoolFullError: the pool holds 1 transactions paying at least 5
    """


class Mempool:
    """Transactions waiting for a block, checked against ``chain``'s state at its tip.

    Parameters
    ----------
    chain : Chain
        The node whose state, chain id and ``min_fee`` the transactions are checked against.
    capacity : int, default 100_000
        Most transactions held, an int >= 1; when full, a new one must pay more than the
        cheapest held, which it evicts.

    Raises
    ------
    WorkbenchError
        If ``capacity`` is not an int >= 1.

    Examples
    --------
    >>> from workbench.chain import Chain, ChainConfig, Mempool, PrivateKey, Transaction
    >>> a, b = PrivateKey.from_int(1), PrivateKey.from_int(2)
    >>> pool = Mempool(Chain(ChainConfig(chain_id=1, alloc={a.address: 100})))
    >>> pool.add(Transaction(chain_id=1, nonce=1, to=b.address, value=1, fee=1).sign(a))   # nonce 0 missing
    'queued'
    >>> pool.add(Transaction(chain_id=1, nonce=0, to=b.address, value=1, fee=1).sign(a))
    'pending'
    >>> len(pool), [tx.nonce for tx in pool.select()]
    (2, [0, 1])
    """

    def __init__(self, chain, capacity: int = 100_000):
        if not is_int(capacity) or capacity < 1:
            raise WorkbenchError(f"capacity must be an int >= 1, got {capacity!r}")
        self.chain = chain
        self.capacity = int(capacity)
        self._by_sender: dict[bytes, dict[int, Transaction]] = {}
        self._count = 0

    def __len__(self) -> int:
        return self._count

    def add(self, tx) -> str:
        """Add a transaction (object or serialized bytes); returns ``"pending"``, ``"queued"`` or ``"replaced"``.

        Rejects, with a named :class:`~workbench.chain.ledger.TxError`, anything a block could
        never include: wrong chain id, bad or high-S signature, a used nonce, a fee below the
        minimum or an overspend of the sender's balance counting its earlier pending ones.

        Parameters
        ----------
        tx : Transaction or bytes
            A signed transaction, or its serialized bytes; either is parsed and checked as
            bytes from the wire.

        Returns
        -------
        str
            ``"pending"`` when it is executable now (its nonce is the sender's next one,
            counting the pool's earlier nonces), ``"queued"`` when it waits for a nonce gap to
            fill, ``"replaced"`` when it replaced a transaction with the same sender and nonce.

        Raises
        ------
        TxError
            With its reason: ``wrong-type``, ``wrong-length``, ``wrong-chain-id``,
            ``bad-signature``, ``high-s``, ``nonce-too-low``, ``fee-too-low``,
            ``replacement-underpriced`` (a replacement needs a fee at least 10% higher) or
            ``insufficient-balance``.
        MempoolFullError
            If the pool is full and ``tx`` pays no more than the cheapest transaction held.
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
        """Every transaction held, pending and queued.

        Returns
        -------
        list of Transaction
            Grouped by sender.
        """
        return [tx for q in self._by_sender.values() for tx in q.values()]

    def select(self, max_txs: int | None = None) -> list[Transaction]:
        """Greedy block template: highest fee first among each sender's next executable nonce.

        The pool is not changed; call :meth:`update` once the chain has moved.

        Parameters
        ----------
        max_txs : int or None, default None
            Most transactions to take; None: the chain's ``max_block_txs``.

        Returns
        -------
        list of Transaction
            In block order; each sender's transactions in consecutive nonces from its next one.

        Raises
        ------
        WorkbenchError
            If ``max_txs`` is not None or an integer >= 0.
        """
        limit = (
            self.chain.config.max_block_txs if max_txs is None else check("max_txs", max_txs, Int(0), WorkbenchError)
        )
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

        Returns
        -------
        int
            Transactions dropped because the chain has used their nonce (the re-admitted ones
            that fail again are discarded silently and not counted).
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
        """One row per transaction, with its status (pending/queued).

        Returns
        -------
        pandas.DataFrame
            The columns of :meth:`Transaction.to_dict` (``txid``, ``type``, ``chain_id``,
            ``sender``, ``nonce``, ``to``, ``value``, ``fee``, ``data_bytes``) and ``status``;
            grouped by sender, nonces ascending (empty, without columns, when the pool is).
        """
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
