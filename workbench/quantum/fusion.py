"""Gate fusion: merge runs of gates into dense blocks of at most ``k`` qubits.

A state-vector simulator is limited by memory bandwidth: every gate reads and writes the
whole vector. Fusing gates into one ``2**k x 2**k`` block replaces several sweeps by one
(at the price of ``2**k`` multiply-adds per amplitude), so the best ``k`` balances memory and
arithmetic (about 4 on a laptop-class CPU).

The fuser walks the circuit once and keeps, for every qubit, the *open* block that last
touched it. A gate joins that block when all its qubits are open there (or untouched so
far) and the block stays within ``k`` qubits; open blocks that no later block depends on
merge when a gate spans them. Otherwise the gate starts a new block, which *seals* the
qubits it takes over in the older blocks (nothing may join them on those qubits again, since
the new block must come after). Blocks are emitted in order of creation, which respects every
dependency. Gates on more than ``k`` qubits (large multi-controlled gates) stay on their own.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from . import _kernels
from .circuit import Op

__all__ = ["Block", "fuse", "block_matrix"]


@dataclass
class Block:
    """Gates fused into one operation on ``qubits`` (sorted).

    Made by :func:`fuse`; :func:`block_matrix` gives its matrix.

    Parameters
    ----------
    qubits : tuple of int
        The qubits the block acts on, sorted; every gate of ``ops`` acts within them.
    ops : list of Op, default []
        The gates, in the order they apply (a new empty list when not given).

    Examples
    --------
    >>> from workbench.quantum import Block, Circuit
    >>> b = Block((0, 1), Circuit(2).h(0).cx(0, 1).ops)
    >>> len(b.ops), b.diagonal
    (2, False)
    """

    qubits: tuple
    ops: list = field(default_factory=list)

    @property
    def diagonal(self) -> bool:
        """Whether every gate of the block is diagonal (then the block is a table of phases).

        Returns
        -------
        bool
            ``True`` if all of ``ops`` are diagonal (also for an empty block).
        """
        return all(op.diagonal for op in self.ops)


@dataclass
class _Open:
    key: int
    qubits: set
    ops: list
    sealed: set = field(default_factory=set)
    frozen: bool = False
    diag: bool = True


def fuse(ops: list[Op], max_qubits: int = 4, max_diagonal: int = 10) -> list[Block]:
    """Fuse a sequence of gate :class:`Op` into blocks of at most ``max_qubits`` qubits.

    Blocks made only of diagonal gates may grow to ``max_diagonal`` qubits: a diagonal costs
    one pass over the state whatever its width (a table of phases), and diagonal gates all
    commute, so long cascades of controlled phases (the QFT's) collapse into few passes.

    Parameters
    ----------
    ops : list of Op
        Gates in program order (measurements and resets cut a circuit before fusion; classical
        conditions are not looked at).
    max_qubits : int, default 4
        Widest block that holds a non-diagonal gate; a gate wider than its limit (this, or
        ``max_diagonal`` for a diagonal gate) gets a block of its own.
    max_diagonal : int, default 10
        Widest block of diagonal gates (raised to ``max_qubits`` if smaller).

    Returns
    -------
    list of Block
        The blocks, in an order that respects every dependency; together they hold each gate once.

    Examples
    --------
    >>> from workbench.quantum import Circuit
    >>> qc = Circuit(3).h(0).h(1).cx(0, 1).h(2).cx(1, 2)
    >>> [b.qubits for b in fuse(qc.ops, 2)]
    [(0, 1), (1, 2)]
    """
    blocks: dict[int, _Open] = {}
    frontier: dict[int, _Open] = {}
    counter = 0

    max_diagonal = max(max_diagonal, max_qubits)

    def limit(diag):
        return max_diagonal if diag else max_qubits

    def new_block(qubits, ops, frozen=False):
        nonlocal counter
        b = _Open(counter, set(qubits), list(ops), frozen=frozen, diag=all(o.diagonal for o in ops))
        counter += 1
        blocks[b.key] = b
        for q in b.qubits:
            frontier[q] = b
        return b

    for op in ops:
        g = set(op.qubits)
        cands = {id(frontier[q]): frontier[q] for q in g if q in frontier}.values()
        cands = sorted(cands, key=lambda b: b.key)
        od = op.diagonal
        if len(g) > limit(od):
            for b in cands:
                b.sealed |= g & b.qubits
            new_block(g, [op], frozen=True)
            continue
        if len(cands) == 1 and not cands[0].frozen:
            b = cands[0]
            if (
                not (g & b.sealed)
                and len(b.qubits | g) <= limit(b.diag and od)
                and all(q not in frontier or frontier[q] is b for q in g)
            ):
                b.qubits |= g
                b.ops.append(op)
                b.diag = b.diag and od
                for q in g:
                    frontier[q] = b
                continue
        union = set(g).union(*(b.qubits for b in cands)) if cands else set(g)
        if (
            cands
            and len(union) <= limit(od and all(b.diag for b in cands))
            and all(not b.sealed and not b.frozen for b in cands)
        ):
            merged = [o for b in cands for o in b.ops] + [op]
            for b in cands:
                del blocks[b.key]
            new_block(union, merged)
            continue
        # a new block: absorb open blocks nothing depends on while they fit, seal the rest
        take, qs = [], set(g)
        diag = od
        for b in cands:
            if not b.sealed and not b.frozen and len(qs | b.qubits) <= limit(diag and b.diag):
                take.append(b)
                qs |= b.qubits
                diag = diag and b.diag
        for b in cands:
            if b not in take:
                b.sealed |= g & b.qubits
        for b in take:
            del blocks[b.key]
        new_block(qs, [o for b in take for o in b.ops] + [op])
    return [Block(tuple(sorted(b.qubits)), b.ops) for _, b in sorted(blocks.items())]


def block_matrix(block: Block) -> np.ndarray:
    """The dense matrix of a block, little-endian over ``block.qubits``.

    The block's gates are applied, with the state-vector kernel, to the identity seen as a
    vector of 2k qubits (row bits low), which builds the product of their embedded matrices.

    Parameters
    ----------
    block : Block
        Gates whose qubits all lie in ``block.qubits``, with every angle bound.

    Returns
    -------
    numpy.ndarray
        The complex128 ``2**k x 2**k`` matrix for the block's ``k`` qubits (bit ``b`` of the index is
        ``block.qubits[b]``), the product of the gates in order.

    Raises
    ------
    UnboundParameterError
        If a gate still has a :class:`~workbench.quantum.Parameter` angle.

    Examples
    --------
    >>> from workbench.quantum import Block, Circuit, block_matrix
    >>> block_matrix(Block((0, 1), Circuit(2).cx(0, 1).ops)).real.astype(int).tolist()
    [[1, 0, 0, 0], [0, 0, 0, 1], [0, 0, 1, 0], [0, 1, 0, 0]]
    """
    k = len(block.qubits)
    d = 1 << k
    pos = {q: i for i, q in enumerate(block.qubits)}
    t = np.eye(d, dtype=np.complex128).ravel()  # t[col * d + row]: row bits are the low k qubits
    for op in block.ops:
        local = np.array([pos[q] for q in op.qubits], np.int64)
        _kernels.apply_dense(t, op.matrix(), local, np.sort(local), 0)
    return t.reshape(d, d).T.copy()


def block_diagonal(block: Block) -> np.ndarray:
    """The diagonal of an all-diagonal block, little-endian over ``block.qubits``."""
    k = len(block.qubits)
    idx = np.arange(1 << k)
    diag = np.ones(1 << k, dtype=np.complex128)
    pos = {q: i for i, q in enumerate(block.qubits)}
    for op in block.ops:
        sub = np.zeros_like(idx)
        for b, q in enumerate(op.qubits):
            sub |= ((idx >> pos[q]) & 1) << b
        diag *= np.diag(op.matrix())[sub]
    return diag
