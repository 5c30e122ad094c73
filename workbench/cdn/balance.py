r"""Load balancing: consistent hashing (ring, jump, rendezvous) and the power of d choices.

* **Ring** (Karger et al., STOC 1997): servers and keys hashed onto a circle; a key goes
  to the next server clockwise. Virtual nodes even out the arcs.
* **Jump hash** (Lamping & Veach, 2014): no memory; adding bucket :math:`k+1` moves exactly
  the keys that now land on it, about :math:`1/(k+1)` of them.
* **Rendezvous** (highest random weight, Thaler & Ravishankar 1998): a key goes to the server
  with the largest hash of (key, server).
* **Power of d choices** (Azar et al. 1994; Mitzenmacher 2001): each ball picks the least
  loaded of ``d`` random bins. With :math:`n` balls into :math:`n` bins the maximum load
  drops from :math:`\Theta(\log n / \log\log n)` (d = 1) to
  :math:`\log\log n / \log d + O(1)` (d >= 2).
"""

from __future__ import annotations

import numpy as np

from ..errors import Array, Int, WorkbenchError, check, check_int, check_memory, checked, make_rng
from . import _kernels
from .hashing import xxh64

__all__ = ["jump_hash", "HashRing", "rendezvous", "balls_into_bins"]


def _keys(keys):
    return check("keys", keys, Array("int64", ndim=1, integer=True))


def _n(name, v, minimum=1):
    return check_int(name, v, minimum=minimum)


def jump_hash(keys, n_buckets: int) -> np.ndarray:
    """Jump consistent hash of each key into ``0..n_buckets-1``.

    As in Lamping and Veach's reference code, ``n_buckets`` is a 32-bit signed integer (at most
    2**31 - 1): beyond it the jump arithmetic would overflow.

    Parameters
    ----------
    keys : array_like of int
        1-D object keys (int64; whole-valued floats are accepted).
    n_buckets : int
        Number of buckets, an integer in [1, 2**31 - 1].

    Returns
    -------
    numpy.ndarray of int32
        The bucket of each key, in ``0..n_buckets-1``.

    Raises
    ------
    WorkbenchError
        If ``keys`` is not a 1-D array of integers or ``n_buckets`` is out of range.

    Examples
    --------
    >>> jump_hash([1, 2, 3], 10).tolist() == jump_hash([1, 2, 3], 10).tolist()
    True
    """
    n = check("n_buckets", n_buckets, Int(1, 2**31 - 1))
    return _kernels.jump_hash(_keys(keys), np.int64(n))


class HashRing:
    """Consistent-hash ring with ``vnodes`` virtual nodes per server.

    Parameters
    ----------
    nodes : iterable of str or int
        Server labels, at least one, all distinct (other hashable labels are hashed by their
        ``str``).
    vnodes : int, default 100
        Virtual nodes (points on the ring) per server, an integer in [1, 2**31 - 1].
    seed : int, default 0
        Seed of the hashes, an integer in [0, 2**63 - 3]; the same seed gives the same ring.

    Attributes
    ----------
    nodes : list
        The server labels; :meth:`assign_index` indexes this list.
    vnodes : int
        Virtual nodes per server.
    seed : int
        Seed of the hashes.

    Raises
    ------
    WorkbenchError
        If ``nodes`` is empty or repeats a label, or ``vnodes`` or ``seed`` is out of range.
    OutOfMemoryError
        If the ring would not fit in the memory available.

    Examples
    --------
    >>> ring = HashRing(["a", "b", "c"], vnodes=100)
    >>> sorted(set(ring.assign(range(1000)).tolist()))
    ['a', 'b', 'c']
    """

    def __init__(self, nodes, vnodes: int = 100, seed: int = 0):
        self.nodes = list(nodes)
        if not self.nodes:
            raise WorkbenchError("a hash ring needs at least one node")
        if len(set(self.nodes)) != len(self.nodes):
            raise WorkbenchError("ring nodes must be distinct")
        self.vnodes = check("vnodes", vnodes, Int(1, 2**31 - 1))
        self.seed = check("seed", seed, Int(0, 2**63 - 3))
        check_memory(f"a ring of {len(self.nodes)} x {self.vnodes} virtual nodes", 40 * len(self.nodes) * self.vnodes)
        node_keys = np.array([int(xxh64([hash_label(v)], seed)[0] >> np.uint64(1)) for v in self.nodes], np.int64)
        owner = np.repeat(np.arange(len(self.nodes)), self.vnodes)
        points = xxh64(node_keys[owner] * 1_000_003 + np.tile(np.arange(self.vnodes), len(self.nodes)), seed + 1)
        order = np.argsort(points, kind="stable")
        self._points = points[order]
        self._owner = owner[order]

    def assign_index(self, keys) -> np.ndarray:
        """Index (into ``nodes``) of the server each key maps to.

        Parameters
        ----------
        keys : array_like of int
            1-D object keys (int64; whole-valued floats are accepted).

        Returns
        -------
        numpy.ndarray of int64
            For each key, the index of the server owning the next ring point clockwise.

        Raises
        ------
        WorkbenchError
            If ``keys`` is not a 1-D array of integers.
        """
        h = xxh64(_keys(keys), self.seed + 2)
        pos = np.searchsorted(self._points, h, side="left") % self._points.size
        return self._owner[pos]

    def assign(self, keys) -> np.ndarray:
        """Server of each key (an object array of node labels).

        Parameters
        ----------
        keys : array_like of int
            1-D object keys (int64; whole-valued floats are accepted).

        Returns
        -------
        numpy.ndarray of object
            The label of the server each key maps to.

        Raises
        ------
        WorkbenchError
            If ``keys`` is not a 1-D array of integers.
        """
        return np.asarray(self.nodes, dtype=object)[self.assign_index(keys)]


def hash_label(label) -> int:
    """A stable 63-bit integer for a node label (str or int), independent of Python's hash seed."""
    if isinstance(label, (int, np.integer)):
        return int(label) & 0x7FFFFFFFFFFFFFFF
    h = 1469598103934665603
    for byte in str(label).encode():
        h = ((h ^ byte) * 1099511628211) & 0xFFFFFFFFFFFFFFFF
    return h & 0x7FFFFFFFFFFFFFFF


@checked(seed=Int(0, 2**63 - 3))
def rendezvous(keys, nodes, seed: int = 0) -> np.ndarray:
    """Highest-random-weight hashing: the index of the node with the largest hash(key, node).

    Parameters
    ----------
    keys : array_like of int
        1-D object keys (int64; whole-valued floats are accepted).
    nodes : sequence of str or int
        Server labels, at least one (other labels are hashed by their ``str``).
    seed : int, default 0
        Seed of the hashes, an integer in [0, 2**63 - 3].

    Returns
    -------
    numpy.ndarray of int64
        For each key, the index into ``nodes`` of the server it goes to.

    Raises
    ------
    WorkbenchError
        If ``nodes`` is empty, ``keys`` is not a 1-D array of integers, or ``seed`` is out of range.

    Examples
    --------
    >>> rendezvous([1, 2, 3], ["a", "b"]).shape
    (3,)
    """
    k = _keys(keys)
    labels = np.array([hash_label(v) for v in nodes], np.int64)
    if labels.size == 0:
        raise WorkbenchError("rendezvous hashing needs at least one node")
    best = np.zeros(k.size, np.uint64)
    arg = np.zeros(k.size, np.int64)
    kh = xxh64(k, seed)
    for j, lab in enumerate(labels):
        w = xxh64((kh ^ np.uint64(lab)).view(np.int64), seed + 1)
        better = w > best
        best[better] = w[better]
        arg[better] = j
    return arg


def balls_into_bins(n_balls: int, n_bins: int, d: int = 1, seed=None) -> np.ndarray:
    """Throw balls one by one, each into the least loaded of ``d`` bins chosen uniformly at random.

    Returns the load of every bin. With ``n_balls = n_bins = 10**6`` the maximum load is
    about 8-9 for ``d = 1``, 4 for ``d = 2`` and 3 for ``d = 3``.

    Parameters
    ----------
    n_balls : int
        Balls to throw, an integer >= 0.
    n_bins : int
        Bins, an integer >= 1.
    d : int, default 1
        Bins sampled (with replacement) per ball, an integer >= 1; the ball goes to the least
        loaded of them.
    seed : int, numpy.random.Generator or None, default None
        Seed of the random stream; the same seed gives the same loads.

    Returns
    -------
    numpy.ndarray of int64
        The number of balls in each bin, shape ``(n_bins,)``.

    Raises
    ------
    WorkbenchError
        If a count is not an integer in range, or the seed is invalid.
    OutOfMemoryError
        If the random choices would not fit in the memory available.

    Examples
    --------
    >>> int(balls_into_bins(1000, 1000, d=2, seed=1).max()) <= 4
    True
    """
    n_balls, n_bins, d = _n("n_balls", n_balls, 0), _n("n_bins", n_bins), _n("d", d)
    check_memory(f"{n_balls:,} balls with {d} choices into {n_bins:,} bins", 8 * (n_balls * d + n_bins))
    rng = make_rng(seed)
    choices = rng.integers(0, n_bins, size=(n_balls, d))
    return _kernels.balls_into_bins(n_balls, n_bins, d, choices)
