"""Dominance, Pareto fronts and the exact hypervolume indicator (minimisation throughout).

A point ``a`` *dominates* ``b`` when it is no worse in every objective and better in at least
one. The *Pareto front* of a set is its non-dominated points. The *hypervolume* of a front with
respect to a reference point ``r`` is the volume of the region that the front dominates and that
dominates ``r`` (Zitzler & Thiele 1998): one number that grows when the front moves towards the
ideal and when it spreads out, and the usual way to compare multi-objective searches.

:func:`hypervolume` is exact: a sweep in two dimensions, and slicing along the last objective
(Hypervolume by Slicing Objectives, While et al. 2006) in more, fine for the few hundred points a
design study keeps.

Examples
--------
>>> import numpy as np
>>> P = np.array([[1.0, 3.0], [2.0, 2.0], [3.0, 1.0], [3.0, 3.0]])
>>> pareto_mask(P).tolist()
[True, True, True, False]
>>> hypervolume(P, [4.0, 4.0])
6.0
"""

from __future__ import annotations

import numpy as np

from ..errors import WorkbenchError

__all__ = ["dominates", "pareto_mask", "hypervolume", "hypervolume_history", "ParetoError"]


class ParetoError(WorkbenchError):
    """Objective values or a reference point that the Pareto tools cannot use.

    Examples
    --------
    >>> from workbench.tune import ParetoError, hypervolume
    >>> try:
    ...     hypervolume([[1.0, 2.0]], [3.0])
    ... except ParetoError as exc:
    ...     print(exc)
    the reference point has 1 coordinate(s) but the points have 2 objectives
    """


def _points(points, what: str = "points") -> np.ndarray:
    try:
        P = np.asarray(points, dtype=np.float64)
    except (TypeError, ValueError):
        raise ParetoError(f"{what} must be a 2-D array of numbers (one row per point)") from None
    if P.ndim == 1 and P.size == 0:
        P = P.reshape(0, 1)
    if P.ndim != 2:
        raise ParetoError(f"{what} must be a 2-D array (one row per point, one column per objective), got {P.ndim}-D")
    if P.shape[1] < 1:
        raise ParetoError(f"{what} need at least one objective column")
    if np.isnan(P).any():
        raise ParetoError(f"{what} contain NaN; drop failed evaluations first")
    return P


def dominates(a, b) -> bool:
    """Whether ``a`` dominates ``b`` (minimisation): no worse everywhere, better somewhere.

    Parameters
    ----------
    a, b : array_like of float
        Objective vectors of the same length.

    Returns
    -------
    bool
        True if ``a <= b`` in every objective and ``a < b`` in at least one.

    Raises
    ------
    ParetoError
        If the vectors differ in length or hold NaN.

    Examples
    --------
    >>> from workbench.tune import dominates
    >>> dominates([1, 2], [1, 3]), dominates([1, 3], [2, 2]), dominates([1, 2], [1, 2])
    (True, False, False)
    """
    a, b = np.asarray(a, dtype=np.float64).ravel(), np.asarray(b, dtype=np.float64).ravel()
    if a.shape != b.shape:
        raise ParetoError(f"the vectors have {a.size} and {b.size} objectives")
    if np.isnan(a).any() or np.isnan(b).any():
        raise ParetoError("objective vectors contain NaN")
    return bool(np.all(a <= b) and np.any(a < b))


def pareto_mask(points) -> np.ndarray:
    """Which rows of ``points`` are non-dominated (minimisation; equal rows are all kept).

    Parameters
    ----------
    points : array_like, shape (n, m)
        One row per point, one column per objective (negate a column to maximise it).

    Returns
    -------
    numpy.ndarray of bool, shape (n,)
        True for the points on the Pareto front.

    Raises
    ------
    ParetoError
        If ``points`` is not a 2-D array of numbers or holds NaN.

    Examples
    --------
    >>> from workbench.tune import pareto_mask
    >>> pareto_mask([[1, 5], [2, 2], [3, 3], [2, 2]]).tolist()
    [True, True, False, True]
    """
    P = _points(points)
    n = len(P)
    keep = np.ones(n, dtype=bool)
    for start in range(0, n, 512):  # blocks of rows keep the n x n x m comparison in memory
        B = P[start : start + 512]
        le = np.all(P[None, :, :] <= B[:, None, :], axis=2)
        lt = np.any(P[None, :, :] < B[:, None, :], axis=2)
        keep[start : start + len(B)] = ~np.any(le & lt, axis=1)
    return keep


def _hv2(P: np.ndarray, ref: np.ndarray) -> float:
    order = np.lexsort((P[:, 1], P[:, 0]))
    P = P[order]
    total, best_y = 0.0, ref[1]
    xs = np.append(P[:, 0], ref[0])
    for i in range(len(P)):
        if P[i, 1] < best_y:
            best_y = P[i, 1]
        total += (xs[i + 1] - xs[i]) * (ref[1] - best_y)
    return float(total)


def _hv(P: np.ndarray, ref: np.ndarray) -> float:
    m = P.shape[1]
    if len(P) == 0:
        return 0.0
    if m == 1:
        return float(ref[0] - P[:, 0].min())
    if m == 2:
        return _hv2(P, ref)
    P = P[np.argsort(P[:, -1], kind="mergesort")]
    total = 0.0
    for i in range(len(P)):
        top = P[i + 1, -1] if i + 1 < len(P) else ref[-1]
        depth = top - P[i, -1]
        if depth <= 0:
            continue
        S = P[: i + 1, :-1]
        S = S[pareto_mask(S)]
        total += _hv(S, ref[:-1]) * depth
    return float(total)


def hypervolume(points, reference) -> float:
    """The exact hypervolume that ``points`` dominate up to ``reference`` (minimisation).

    Points that do not strictly dominate the reference point in every objective add nothing
    and are ignored.

    Parameters
    ----------
    points : array_like, shape (n, m)
        Objective vectors, one per row (negate a column to maximise it); ``n`` may be 0.
    reference : array_like, shape (m,)
        The reference point, worse than every point of interest in every objective.

    Returns
    -------
    float
        The Lebesgue measure of the dominated region bounded by ``reference``.

    Raises
    ------
    ParetoError
        If the shapes disagree, or the values hold NaN or the reference is not finite.

    Examples
    --------
    >>> from workbench.tune import hypervolume
    >>> hypervolume([[1, 1, 1]], [2, 3, 4])
    6.0
    >>> hypervolume([[1, 2], [2, 1]], [3, 3])
    3.0
    """
    P = _points(points)
    r = np.asarray(reference, dtype=np.float64).ravel()
    if r.size != P.shape[1]:
        raise ParetoError(f"the reference point has {r.size} coordinate(s) but the points have {P.shape[1]} objectives")
    if not np.isfinite(r).all():
        raise ParetoError(f"the reference point must be finite, got {r.tolist()}")
    P = P[np.all(P < r, axis=1)]
    if len(P) == 0:
        return 0.0
    return _hv(P[pareto_mask(P)], r)


def hypervolume_history(points, reference) -> np.ndarray:
    """The hypervolume of the first ``k`` points, for ``k = 1 .. n`` (a search's progress).

    Parameters
    ----------
    points : array_like, shape (n, m)
        Objective vectors in the order they were evaluated (minimisation).
    reference : array_like, shape (m,)
        The reference point.

    Returns
    -------
    numpy.ndarray of float, shape (n,)
        Non-decreasing hypervolumes.

    Raises
    ------
    ParetoError
        As :func:`hypervolume`.

    Examples
    --------
    >>> from workbench.tune import hypervolume_history
    >>> hypervolume_history([[2, 2], [3, 3], [1, 3]], [4, 4]).tolist()
    [4.0, 4.0, 5.0]
    """
    P = _points(points)
    r = np.asarray(reference, dtype=np.float64).ravel()
    out = np.zeros(len(P))
    front = np.empty((0, P.shape[1]))
    hv = 0.0
    for k in range(len(P)):
        p = P[k]
        if not np.any(np.all(front <= p, axis=1)):  # not weakly dominated: the front changes
            front = np.vstack([front[~np.all(p <= front, axis=1)], p])
            hv = hypervolume(front, r)
        out[k] = hv
    return out
