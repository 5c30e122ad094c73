"""Hash functions over integer keys (vectorised numpy), shared by sketches and load balancing."""

from __future__ import annotations

import numpy as np

__all__ = ["xxh64"]

_P1 = np.uint64(0x9E3779B185EBCA87)
_P2 = np.uint64(0xC2B2AE3D27D4EB4F)
_P3 = np.uint64(0x165667B19E3779F9)
_P4 = np.uint64(0x85EBCA77C2B2AE63)
_P5 = np.uint64(0x27D4EB2F165667C5)


def _rotl(x, r):
    return (x << np.uint64(r)) | (x >> np.uint64(64 - r))


def xxh64(keys, seed: int = 0) -> np.ndarray:
    """XXH64 of each key's 8 little-endian bytes (the int64 in memory), as uint64.

    The same value as ``xxhash.xxh64_intdigest(key.to_bytes(8, "little", signed=True), seed)``;
    arithmetic wraps modulo 2**64 as the algorithm specifies.

    Parameters
    ----------
    keys : array_like of int
        Keys to hash, converted to int64 (any shape).
    seed : int, default 0
        Seed of the hash, taken modulo 2**64.

    Returns
    -------
    numpy.ndarray of uint64
        The hash of each key, in the shape of ``keys``.

    Examples
    --------
    >>> int(xxh64([0], seed=0)[0])
    3803688792395291579
    """
    k = np.asarray(keys, dtype=np.int64).astype(np.uint64)
    h = np.full(k.shape, np.uint64(int(seed) & 0xFFFFFFFFFFFFFFFF), np.uint64) + _P5 + np.uint64(8)
    h ^= _rotl(k * _P2, 31) * _P1
    h = _rotl(h, 27) * _P1 + _P4
    h ^= h >> np.uint64(33)
    h *= _P2
    h ^= h >> np.uint64(29)
    h *= _P3
    h ^= h >> np.uint64(32)
    return h
