"""Checks of lesson ai.07, designing the labs: multi-objective studies of five simulators."""

from __future__ import annotations

import numpy as np

from ..checks import close, equal, right, wrong


def _needs(frame, columns, how):
    import pandas as pd

    if not isinstance(frame, pd.DataFrame) or not set(columns) <= set(frame.columns):
        return wrong(f"the check needs the table: {how}")
    return None


def ex1(answer, trials=None):
    miss = _needs(
        trials,
        ["state", "deadline_miss_ratio", "node_energy_kj"],
        "exercise('ai.07', 1, answer_1, trials=edge_study.trials())",
    )
    if miss is not None:
        return miss
    best = np.inf
    for row in trials.itertuples(index=False):
        if row.state == "complete" and row.deadline_miss_ratio <= 0.05:
            best = min(best, float(row.node_energy_kj))
    if not np.isfinite(best):  # pragma: no cover - the lesson's studies have feasible designs
        return wrong("no complete trial of this table meets the constraint")
    fb = close(answer, best, rtol=1e-9, what="an energy in kJ")
    if fb.ok or not isinstance(answer, (int, float, np.integer, np.floating)):
        return fb
    done = trials[trials.state == "complete"]
    if np.isclose(answer, done.node_energy_kj.min()) and not np.isclose(answer, best):
        return wrong("that design breaks the constraint: keep only trials with a deadline-miss ratio of at most 0.05")
    if np.isclose(answer, done.node_energy_kj.max()):
        return wrong("that is the highest energy; the cheapest design has the lowest")
    return fb


def ex2(answer, trials=None, replications=4):
    miss = _needs(trials, ["state", "steps", "cached"], "exercise('ai.07', 2, answer_2, trials=..., replications=...)")
    if miss is not None:
        return miss
    ran = total = pruned = n = 0
    for row in trials.itertuples(index=False):
        if row.state in ("complete", "pruned") and not row.cached:
            ran += int(row.steps)
            total += int(replications)
            pruned += row.state == "pruned"
            n += 1
    want = 1.0 - ran / total
    fb = close(answer, want, atol=1e-9, what="a fraction")
    if fb.ok or not isinstance(answer, (int, float, np.integer, np.floating)):
        return fb
    if not 0 <= answer <= 1:
        return wrong("a fraction of the replications lies between 0 and 1")
    if np.isclose(answer, ran / total):
        return wrong("that is the fraction of replications that ran; the question asks for the ones saved")
    if pruned and np.isclose(answer, pruned / n):
        return wrong(
            "that is the fraction of trials pruned; a pruned trial still ran the replications before it was stopped"
        )
    return fb


def ex3(answer, table=None):
    miss = _needs(table, ["throughput_tps", "stale_ratio"], "exercise('ai.07', 3, answer_3, table=tables['chain'])")
    if miss is not None:
        return miss
    pts = [(-float(a), float(b)) for a, b in zip(table.throughput_tps, table.stale_ratio)]

    def count(points):
        n = 0
        for p in points:
            if not any(q[0] <= p[0] and q[1] <= p[1] and (q[0] < p[0] or q[1] < p[1]) for q in points):
                n += 1
        return n

    want = count(pts)
    if isinstance(answer, (float, np.floating)) and float(answer).is_integer():
        answer = int(answer)
    fb = equal(answer, want, what="the number of Pareto-optimal designs")
    if fb.ok or not isinstance(answer, (int, np.integer)):
        return fb
    if answer == count([(-x, y) for x, y in pts]):
        return wrong("throughput is maximized: negate it before looking for the non-dominated designs")
    if "selfish_threshold" in table:
        three = [(-a, b, -c) for a, b, c in zip(table.throughput_tps, table.stale_ratio, table.selfish_threshold)]
        if answer == sum(not any(_dom(q, p) for q in three) for p in three):
            return wrong("that counts the front of all three objectives; use throughput and stale ratio only")
    return fb


def _dom(a, b) -> bool:
    return all(x <= y for x, y in zip(a, b)) and any(x < y for x, y in zip(a, b))


def _front(trials, objectives, constraints) -> set:
    """Trial numbers of the complete, feasible, non-dominated rows, with plain loops."""
    rows = []
    for row in trials.to_dict("records"):
        if row["state"] != "complete":
            continue
        if any((row[c] > b) if op == "<=" else (row[c] < b) for c, (op, b) in constraints.items()):
            continue
        vec = tuple(float(row[o]) if d == "minimize" else -float(row[o]) for o, d in objectives.items())
        rows.append((int(row["trial"]), vec))
    return {t for t, v in rows if not any(_dom(w, v) for _, w in rows)}


def _tables():
    import pandas as pd

    rng = np.random.default_rng(11)
    n = 30
    t = pd.DataFrame(
        {
            "trial": np.arange(n),
            "state": rng.choice(["complete", "complete", "complete", "failed", "pruned"], n),
            "cost": rng.integers(1, 12, n).astype(float),
            "quality": rng.integers(0, 10, n).astype(float),
            "risk": rng.random(n),
        }
    )
    t.loc[t.state != "complete", ["cost", "quality", "risk"]] = np.nan
    return [
        (t, {"cost": "minimize", "quality": "maximize"}, {"risk": ("<=", 0.6)}),
        (t, {"cost": "minimize", "quality": "maximize", "risk": "minimize"}, {"quality": (">=", 3.0)}),
        (t, {"quality": "maximize", "risk": "minimize"}, {}),
    ]


def ex4(answer, trials=None):
    if not callable(answer):
        return wrong(f"the answer should be a function feasible_front(...), got {type(answer).__name__}")
    cases = list(_tables())
    if trials is not None and {"deadline_miss_ratio", "node_energy_kj", "servers"} <= set(trials.columns):
        objs = {"deadline_miss_ratio": "minimize", "node_energy_kj": "minimize", "servers": "minimize"}
        cases.insert(0, (trials, objs, {"deadline_miss_ratio": ("<=", 0.05)}))
    for table, objs, cons in cases:
        want = _front(table, objs, cons)
        got = answer(table.copy(), dict(objs), dict(cons))
        try:
            got = {int(x) for x in got}
        except (TypeError, ValueError):
            return wrong("feasible_front should return a set of trial numbers")
        if got == want:
            continue
        if got == _front(table, objs, {}) and cons:
            return wrong("some of these trials break a constraint: keep only trials that meet every constraint")
        if got == _front(table, {o: "minimize" for o in objs}, cons):
            return wrong("a maximized objective must be negated before looking for non-dominated trials")
        done = table.state == "complete"
        if not done.all() and got - {int(x) for x in table.trial[done]}:
            return wrong("only complete trials can be on the front; failed and pruned ones have no values")
        return wrong(
            f"{len(want - got)} of the expected trials missing, {len(got - want)} that do not belong "
            f"({len(objs)} objectives, {len(cons)} constraint(s))"
        )
    return right("it agrees with a loop over every pair of feasible trials, on the lesson's study and three tables")


CHECKS = {1: ex1, 2: ex2, 3: ex3, 4: ex4}


def _wrong_examples():
    import pandas as pd

    edge = pd.DataFrame(
        {
            "trial": [0, 1, 2, 3],
            "state": ["complete", "complete", "complete", "failed"],
            "deadline_miss_ratio": [0.02, 0.30, 0.05, np.nan],
            "node_energy_kj": [5.0, 1.0, 4.0, np.nan],
        }
    )
    pruned = pd.DataFrame(
        {
            "state": ["complete", "pruned", "complete", "pruned", "complete", "complete"],
            "steps": [4, 1, 4, 2, 0, 4],
            "cached": [False, False, False, False, True, False],
        }
    )
    chain = pd.DataFrame(
        {
            "throughput_tps": [10.0, 20.0, 30.0, 25.0, 5.0],
            "stale_ratio": [0.01, 0.02, 0.05, 0.06, 0.03],
            "selfish_threshold": [0.30, 0.31, 0.20, 0.33, 0.10],
        }
    )

    def no_constraints(trials, objectives, constraints):
        return _front(trials, objectives, {})

    def all_minimized(trials, objectives, constraints):
        return _front(trials, {o: "minimize" for o in objectives}, constraints)

    return {
        1: [(1.0, {"trials": edge}), (5.0, {"trials": edge}), (4.0, {})],
        2: [(0.75, {"trials": pruned}), (0.4, {"trials": pruned}), (1.5, {"trials": pruned})],
        3: [(2, {"table": chain}), (4, {"table": chain}), (5, {"table": chain}), (3, {})],
        4: [(no_constraints, {}), (all_minimized, {}), ({1, 2}, {})],
    }


WRONG = _wrong_examples
