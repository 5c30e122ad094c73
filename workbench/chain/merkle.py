r"""Merkle trees with Bitcoin's rules: double SHA-256 nodes, and an odd node paired with itself.

A block header commits to its transactions through one 32-byte root; a light client checks
that a transaction is in a block with a proof of :math:`\lceil \log_2 n \rceil` sibling hashes
instead of downloading all :math:`n` transactions.

The odd-leaf rule has a known flaw (CVE-2012-2459): the lists ``[a, b, c]`` and ``[a, b, c, c]``
have the same root, so a node that caches "this block is invalid" by its header hash could be
fooled by a mutated copy with a duplicated transaction. :func:`is_mutated` detects the
mutation; Bitcoin Core rejects blocks with it (``bad-txns-duplicate``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from ..errors import WorkbenchError, is_int

__all__ = ["MerkleError", "MerkleProof", "merkle_root", "merkle_levels", "merkle_proof", "verify_proof", "is_mutated"]

_sha = hashlib.sha256


class MerkleError(WorkbenchError):
    """Bad input to a Merkle function: no leaves, a leaf that is not 32 bytes, an index out of range.

    A :class:`~workbench.errors.WorkbenchError` (so a :class:`ValueError`).

    Examples
    --------
    >>> from workbench.chain.merkle import MerkleError, merkle_root
    >>> try:
    ...     merkle_root([])
    ... except MerkleError as exc:
    ...     print(exc)
    a Merkle tree needs at least one leaf
    """


def _check_leaves(leaves) -> list[bytes]:
    leaves = list(leaves)
    if not leaves:
        raise MerkleError("a Merkle tree needs at least one leaf")
    for i, leaf in enumerate(leaves):
        if not isinstance(leaf, (bytes, bytearray)) or len(leaf) != 32:
            raise MerkleError(f"leaf {i} must be 32 bytes (a hash in internal byte order)")
    return [bytes(x) for x in leaves]


def _next_level(level: list[bytes]) -> list[bytes]:
    if len(level) % 2:
        level = level + [level[-1]]
    sha = _sha
    return [sha(sha(level[i] + level[i + 1]).digest()).digest() for i in range(0, len(level), 2)]


def merkle_levels(leaves) -> list[list[bytes]]:
    """All levels, leaves first and the root last (each odd level padded implicitly).

    Parameters
    ----------
    leaves : iterable of bytes
        The leaves, at least one, each 32 bytes (bytes or bytearray): txids in internal byte
        order.

    Returns
    -------
    list of list of bytes
        One list of 32-byte nodes per level, from the leaves (a copy, as bytes) to ``[root]``.
        An odd level's last node is paired with itself to build the next level but is not
        stored twice.

    Raises
    ------
    MerkleError
        If there are no leaves or a leaf is not 32 bytes.

    See Also
    --------
    merkle_root : The last level only.

    Examples
    --------
    >>> from workbench.chain import sha256d
    >>> from workbench.chain.merkle import merkle_levels
    >>> leaves = [sha256d(bytes([i])) for i in range(5)]
    >>> [len(level) for level in merkle_levels(leaves)]
    [5, 3, 2, 1]
    """
    levels = [_check_leaves(leaves)]
    while len(levels[-1]) > 1:
        levels.append(_next_level(levels[-1]))
    return levels


def merkle_root(leaves) -> bytes:
    """Root of the tree over 32-byte leaves (txids in internal byte order).

    Each parent is ``sha256d(left + right)``; an odd node is paired with itself. A single leaf
    is its own root.

    Parameters
    ----------
    leaves : iterable of bytes
        The leaves, at least one, each 32 bytes (bytes or bytearray): txids in internal byte
        order.

    Returns
    -------
    bytes
        The 32-byte root, in internal byte order.

    Raises
    ------
    MerkleError
        If there are no leaves or a leaf is not 32 bytes.

    See Also
    --------
    is_mutated : Detect the duplicated-leaf mutation that this rule allows.

    Examples
    --------
    >>> from workbench.chain.hashes import sha256d
    >>> from workbench.chain.merkle import merkle_root
    >>> a, b = sha256d(b"a"), sha256d(b"b")
    >>> merkle_root([a, b]) == sha256d(a + b)
    True
    >>> merkle_root([a, b, a]) == merkle_root([a, b, a, a])   # CVE-2012-2459
    True
    """
    level = _check_leaves(leaves)
    while len(level) > 1:
        level = _next_level(level)
    return level[0]


@dataclass(frozen=True)
class MerkleProof:
    """Sibling hashes from leaf to root; ``index`` says left/right at each level (its bits).

    A frozen dataclass, made by :func:`merkle_proof`; its fields are not validated.

    Parameters
    ----------
    leaf : bytes
        The 32-byte leaf the proof is about.
    index : int
        The leaf's position among the leaves. Bit ``i`` (from the lowest) is 1 when the node
        at level ``i`` is a right child, so its sibling is hashed on the left.
    siblings : tuple of bytes
        One 32-byte sibling hash per level, from the leaf level up (the root excluded).

    See Also
    --------
    merkle_proof : Build a proof.
    verify_proof : Check a proof against a root.

    Examples
    --------
    >>> from workbench.chain import sha256d
    >>> from workbench.chain.merkle import merkle_proof, merkle_root
    >>> leaves = [sha256d(bytes([i])) for i in range(5)]
    >>> proof = merkle_proof(leaves, 3)
    >>> len(proof.siblings), proof.root() == merkle_root(leaves)
    (3, True)
    """

    leaf: bytes
    index: int
    siblings: tuple[bytes, ...]

    def root(self) -> bytes:
        """The root this proof hashes up to, from ``leaf`` through ``siblings``.

        Returns
        -------
        bytes
            The 32-byte root; equal to the tree's root when the proof is valid.
        """
        h, idx = self.leaf, self.index
        for sib in self.siblings:
            h = _sha(_sha(sib + h if idx & 1 else h + sib).digest()).digest()
            idx >>= 1
        return h


def merkle_proof(leaves, index: int) -> MerkleProof:
    """Proof that ``leaves[index]`` is in the tree.

    Parameters
    ----------
    leaves : iterable of bytes
        The leaves, at least one, each 32 bytes (bytes or bytearray): txids in internal byte
        order.
    index : int
        Position of the leaf to prove, in ``[0, len(leaves))``; a Python int.

    Returns
    -------
    MerkleProof
        The leaf, its index and the :math:`\\lceil \\log_2 n \\rceil` sibling hashes (a
        node without a sibling is paired with itself, as the tree is built).

    Raises
    ------
    MerkleError
        If there are no leaves, a leaf is not 32 bytes, or ``index`` is not an int in
        ``[0, len(leaves))``.

    See Also
    --------
    verify_proof : Check the proof against a root.

    Examples
    --------
    >>> from workbench.chain import sha256d
    >>> from workbench.chain.merkle import merkle_proof
    >>> leaves = [sha256d(bytes([i])) for i in range(5)]
    >>> proof = merkle_proof(leaves, 4)
    >>> proof.index, len(proof.siblings), proof.siblings[0] == leaves[4]
    (4, 3, True)
    """
    levels = merkle_levels(leaves)
    n = len(levels[0])
    if not is_int(index) or not 0 <= index < n:
        raise MerkleError(f"leaf index must be in [0, {n}), got {index!r}")
    sibs, idx = [], int(index)
    for level in levels[:-1]:
        j = idx ^ 1
        sibs.append(level[j] if j < len(level) else level[idx])
        idx >>= 1
    return MerkleProof(levels[0][index], index, tuple(sibs))


def verify_proof(proof: MerkleProof, root: bytes) -> bool:
    """True when the proof hashes up to ``root``.

    Parameters
    ----------
    proof : MerkleProof
        The proof, e.g. from :func:`merkle_proof`.
    root : bytes
        The 32-byte root the block header commits to (internal byte order).

    Returns
    -------
    bool
        Whether ``proof.root()`` equals ``root``.

    Examples
    --------
    >>> from workbench.chain import sha256d
    >>> from workbench.chain.merkle import merkle_proof, merkle_root, verify_proof
    >>> leaves = [sha256d(bytes([i])) for i in range(5)]
    >>> proof = merkle_proof(leaves, 3)
    >>> verify_proof(proof, merkle_root(leaves)), verify_proof(proof, sha256d(b"other"))
    (True, False)
    """
    return proof.root() == bytes(root)


def is_mutated(leaves) -> bool:
    """True when some level pairs a node with an equal node: the CVE-2012-2459 mutation.

    Bitcoin Core's ``ComputeMerkleRoot`` runs the same check and rejects such blocks.

    Parameters
    ----------
    leaves : iterable of bytes
        The leaves, at least one, each 32 bytes (bytes or bytearray): txids in internal byte
        order.

    Returns
    -------
    bool
        Whether two adjacent nodes paired at some level (leaves included) are equal.

    Raises
    ------
    MerkleError
        If there are no leaves or a leaf is not 32 bytes.

    Examples
    --------
    >>> from workbench.chain.merkle import is_mutated
    >>> from workbench.chain.hashes import sha256d
    >>> a, b, c = (sha256d(x) for x in (b"a", b"b", b"c"))
    >>> is_mutated([a, b, c]), is_mutated([a, b, c, c])
    (False, True)
    """
    level = _check_leaves(leaves)
    while len(level) > 1:
        if any(level[i] == level[i + 1] for i in range(0, len(level) - 1, 2)):
            return True
        level = _next_level(level)
    return False
