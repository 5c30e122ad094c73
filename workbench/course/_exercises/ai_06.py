"""Checks of lesson ai.06, multi-objective search: Pareto fronts and the hypervolume."""

from __future__ import annotations

import numpy as np

from ..checks import close, equal, right, wrong

#: Exercise 1's twelve designs (three objectives, minimized).
P12 = [
    [2, 9, 4],
    [3, 3, 8],
    [5, 5, 5],
    [5, 5, 6],
    [4, 7, 3],
    [6, 2, 9],
    [7, 6, 2],
    [3, 9, 5],
    [8, 8, 8],
    [2, 9, 5],
    [9, 1, 7],
    [6, 5, 5],
]
#: Exercise 2's six points and reference point.
Q6 = [[1, 7], [2, 4], [4, 3], [3, 5], [6, 1], [9, 0]]
REF6 = (8.0, 8.0)
#: The lesson's ten designs (latency ms, cost $/h) and reference point.
TEN = {
    "A": (20, 7.0),
    "B": (12, 9.0),
    "C": (25, 3.0),
    "D": (16, 6.5),
    "E": (18, 5.5),
    "F": (45, 2.0),
    "G": (15, 6.5),
    "H": (40, 2.0),
    "I": (35, 3.5),
    "J": (27, 2.6),
}
REF10 = (50.0, 10.0)


def _dominates(a, b) -> bool:
    return all(x <= y for x, y in zip(a, b)) and any(x < y for x, y in zip(a, b))


def _area(points, ref) -> float:
    """Area of the union of the boxes [p, ref] (two objectives), by strips between distinct first coordinates:
    a different algorithm from the lesson's sort-and-sum, so that the two check each other."""
    pts = [(float(x), float(y)) for x, y in points if x < ref[0] and y < ref[1]]
    xs = sorted({x for x, _ in pts} | {float(ref[0])})
    total = 0.0
    for x0, x1 in zip(xs[:-1], xs[1:]):
        ys = [y for x, y in pts if x <= x0]  # every box that covers the strip [x0, x1]
        if ys:
            total += (x1 - x0) * (ref[1] - min(ys))
    return total


def ex1(answer):
    want = sum(not any(_dominates(q, p) for q in P12) for p in P12)
    if isinstance(answer, (float, np.floating)) and float(answer).is_integer():
        answer = int(answer)
    fb = equal(answer, want, what="the number of Pareto-optimal designs")
    if fb.ok or not isinstance(answer, (int, np.integer)):
        return fb
    strict = sum(not any(all(x < y for x, y in zip(q, p)) for q in P12) for p in P12)
    if answer == strict:
        return wrong(
            "you counted a design as dominated only when another is strictly better in every objective; "
            "no worse everywhere and better somewhere is enough"
        )
    two = sum(not any(_dominates(q[:2], p[:2]) for q in P12) for p in P12)
    if answer == len(P12) - want or answer == two:
        return wrong("that is too few: count the non-dominated designs, using all three objectives")
    return fb


def ex2(answer):
    want = _area(Q6, REF6)
    fb = close(answer, want, atol=1e-9, what="an area")
    if fb.ok or not isinstance(answer, (int, float, np.integer, np.floating)):
        return fb
    inside = [(x, y) for x, y in Q6 if x < REF6[0] and y < REF6[1]]
    boxes = sum((REF6[0] - x) * (REF6[1] - y) for x, y in inside)
    if np.isclose(answer, boxes):
        return wrong("the boxes of the points overlap; summing them counts the overlaps several times")
    front = sorted(p for p in inside if not any(_dominates(q, p) for q in inside))
    no_tail = sum((front[k + 1][0] - front[k][0]) * (REF6[1] - front[k][1]) for k in range(len(front) - 1))
    if np.isclose(answer, no_tail):
        return wrong("the last rectangle is missing: after the last point the strip runs to the reference point")
    return fb


def ex3(answer):
    names = list(TEN)
    full = _area(TEN.values(), REF10)
    loss = {n: full - _area([TEN[m] for m in names if m != n], REF10) for n in names}
    want = max(loss, key=loss.get)
    if not isinstance(answer, str):
        return wrong(f"the answer should be a design's letter (a string), got {type(answer).__name__}")
    answer = answer.strip().upper()
    if answer == want:
        return right("its exclusive contribution, the part of the region no other design covers, is the largest")
    if answer not in TEN:
        return wrong(f"the designs are the letters A to J, not {answer!r}")
    if loss[answer] <= 1e-12:
        return wrong("that design is dominated: removing it loses no hypervolume at all")
    boxes = {n: (REF10[0] - x) * (REF10[1] - y) for n, (x, y) in TEN.items()}
    if answer == max(boxes, key=boxes.get):
        return wrong(
            "that design has the largest box of its own, but most of its box is also covered by its neighbours"
        )
    return wrong("removing that design loses less than removing another one; compare the losses of all ten")


def ex4(answer, trials=None):
    import pandas as pd

    if not isinstance(trials, pd.DataFrame):
        return wrong("the check needs the study's trials: exercise('ai.06', 4, answer_4, trials=study.trials())")
    best, best_tps = None, -np.inf
    for row in trials.itertuples(index=False):
        if row.state == "complete" and row.stale_ratio <= 0.02 and row.throughput_tps > best_tps:
            best, best_tps = int(row.trial), float(row.throughput_tps)
    if best is None:  # pragma: no cover - the lesson's studies always have a feasible design
        return wrong("no complete trial meets the constraint in this table")
    if isinstance(answer, (float, np.floating)) and float(answer).is_integer():
        answer = int(answer)
    if isinstance(answer, (bool, np.bool_)) or not isinstance(answer, (int, np.integer)):
        return wrong(f"the answer should be a trial number (an integer), got {type(answer).__name__}")
    if int(answer) == best:
        return right()
    match = trials[trials.trial == int(answer)]
    if match.empty:
        return wrong("there is no trial with that number in the table")
    row = match.iloc[0]
    if row.state != "complete":
        return wrong("that trial did not complete")
    if row.stale_ratio > 0.02:
        return wrong("that design breaks the constraint: its stale ratio is above 0.02")
    return wrong("that design meets the constraint, but another feasible design has a higher throughput")


def _random_sets(seed=0):
    rng = np.random.default_rng(seed)
    sets = []
    for n in (1, 5, 12, 30):
        pts = rng.integers(0, 12, size=(n, 2)).astype(float)
        if n > 1:
            pts[-1] = pts[0]  # a repeated point
        sets.append((pts, np.array([10.0, 10.0])))  # some points lie beyond the reference
    sets.append((rng.random((40, 2)), np.array([1.1, 1.1])))
    sets.append((np.array([[2.0, 3.0], [2.0, 1.0], [5.0, 1.0], [1.0, 4.0]]), np.array([6.0, 6.0])))  # ties
    # beyond the reference: (12, 1) is lower than every point but lies outside, (3, 11) above it
    sets.append((np.array([[2.0, 5.0], [12.0, 1.0], [4.0, 3.0], [3.0, 11.0]]), np.array([10.0, 10.0])))
    return sets


def ex5(answer):
    if not callable(answer):
        return wrong(f"the answer should be a function hv2(points, ref), got {type(answer).__name__}")
    for pts, ref in _random_sets():
        want = _area(pts.tolist(), ref.tolist())
        got = answer(pts.copy(), ref.copy())
        try:
            got = float(got)
        except (TypeError, ValueError):
            return wrong(f"hv2 should return a number, got {type(got).__name__}")
        if np.isclose(got, want, rtol=1e-9, atol=1e-12):
            continue
        inside = pts[np.all(pts < ref, axis=1)]
        if len(inside) < len(pts) and np.isclose(got, _area_unfiltered(pts, ref)):
            return wrong("points that are not better than the reference in both objectives must add nothing")
        if len(inside) and np.isclose(got, float(np.prod(ref - inside, axis=1).sum())):
            return wrong("summing the boxes counts their overlaps several times")
        return wrong(f"hv2 differs from an independent computation on a set of {len(pts)} points")
    return right("it agrees with an independent computation on seven sets, with ties, repeats and outliers")


def _area_unfiltered(points, ref):
    """What a sort-and-sum gives when points beyond the reference are not dropped."""
    P = np.asarray(points, dtype=float)
    P = P[np.lexsort((P[:, 1], P[:, 0]))]
    area, best = 0.0, ref[1]
    for k in range(len(P)):
        best = min(best, P[k, 1])
        nxt = P[k + 1, 0] if k + 1 < len(P) else ref[0]
        area += (nxt - P[k, 0]) * (ref[1] - best)
    return area


CHECKS = {1: ex1, 2: ex2, 3: ex3, 4: ex4, 5: ex5}


def _wrong_examples():
    import pandas as pd

    trials = pd.DataFrame(
        {
            "trial": [0, 1, 2, 3, 4],
            "state": ["complete", "complete", "complete", "failed", "complete"],
            "throughput_tps": [50.0, 120.0, 80.0, np.nan, 20.0],
            "stale_ratio": [0.01, 0.08, 0.015, np.nan, 0.001],
        }
    )

    def boxes(points, ref):
        P = np.asarray(points, dtype=float)
        P = P[np.all(P < ref, axis=1)]
        return float(np.prod(ref - P, axis=1).sum())

    def unfiltered(points, ref):
        return _area_unfiltered(points, ref)

    def unsorted(points, ref):  # assumes the points come sorted and non-dominated
        P = np.asarray(points, dtype=float)
        P = P[np.all(P < ref, axis=1)]
        xs = np.append(P[:, 0], ref[0])
        return float(sum((xs[k + 1] - xs[k]) * (ref[1] - P[k, 1]) for k in range(len(P))))

    return {
        1: [(11, {}), (5, {}), ("7", {})],
        2: [(80.0, {}), (19.0, {}), (33.5, {})],
        3: [("C", {}), ("A", {}), ("B", {}), (3, {})],
        4: [(1, {"trials": trials}), (4, {"trials": trials}), (0, {"trials": trials}), (2, {})],
        5: [(boxes, {}), (unfiltered, {}), (unsorted, {}), (235.2, {})],
    }


WRONG = _wrong_examples
