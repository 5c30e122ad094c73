"""Checks of lesson edge.03, scheduling independent tasks online."""

from __future__ import annotations

import numpy as np

from ..checks import close, right, wrong

_ETC1 = np.array([[3, 1], [2, 4], [4, 2], [2, 1]], float)


def _online(etc, rule):
    ready = np.zeros(etc.shape[1])
    out = []
    for i, row in enumerate(etc):
        if rule == "mct":
            k = int(np.argmin(ready + row))
        elif rule == "met":
            k = int(np.argmin(row))
        else:  # round robin
            k = i % etc.shape[1]
        ready[k] += row[k]
        out.append(k)
    return out


def _as_list(answer, n):
    try:
        got = [int(x) for x in answer]
    except (TypeError, ValueError):
        return wrong(f"give a list of {n} machine indices")
    if len(got) != n:
        return wrong(f"give one machine per task: {n} indices, not {len(got)}")
    return got


def ex1(answer):
    got = _as_list(answer, 4)
    if not isinstance(got, list):
        return got
    if got == _online(_ETC1, "mct"):
        return right()
    if got == _online(_ETC1, "met"):
        return wrong("this is the fastest machine per task (MET); MCT adds the machine's ready time")
    bad = [i for i, (a, b) in enumerate(zip(got, _online(_ETC1, "mct"))) if a != b]
    return wrong(f"task {bad[0]} goes elsewhere: compare ready time + ETC on both machines")


def _t2(lam):
    return sum(lam ** (2**i - 2) for i in range(1, 30))


def ex2(answer):
    want = _t2(0.97)
    try:
        x = float(answer)
    except (TypeError, ValueError):
        return wrong("give a number (service times)")
    if abs(x - 1 / (1 - 0.97)) < 1e-6:
        return wrong("that is one choice (M/M/1); use the formula for d = 2")
    return close(x, want, atol=0.01, what="the mean response time")


def _makespan(etc, rule):
    m = _online(etc, rule)
    return np.bincount(m, weights=etc[np.arange(len(etc)), m], minlength=etc.shape[1]).max()


def ex3(answer):
    from ...edge import load_braun

    etc = load_braun("u_c_lohi")
    want = _makespan(etc, "met") / _makespan(etc, "mct")
    try:
        x = float(answer)
    except (TypeError, ValueError):
        return wrong("give the ratio as a number")
    if abs(x - 1 / want) < 1e-6 * (1 / want):
        return wrong("that is MCT / MET; the question asks for MET / MCT")
    return close(x, want, atol=0.01, what="the ratio")


def ex4(answer, n_tasks=100_000, seed=1):
    from ...edge import build_scenario, simulate

    try:
        x = float(answer)
    except (TypeError, ValueError):
        return wrong("give the deadline-miss ratio as a number")
    if not 0 <= x <= 1:
        return wrong("a ratio lies between 0 and 1")
    sc = build_scenario("Abilene", 300, 8, 1, rate=1.5, size_mi=200.0, deadline_s=0.3, seed=seed)
    want = simulate(sc, "mct", n_tasks=n_tasks, seed=seed).summary().deadline_miss_ratio.item()
    base = build_scenario("Abilene", 300, 8, 1, rate=1.0, size_mi=200.0, deadline_s=0.3, seed=seed)
    old = simulate(base, "mct", n_tasks=n_tasks, seed=seed).summary().deadline_miss_ratio.item()
    if abs(x - old) < 1e-12 and abs(old - want) > 1e-12:
        return wrong("that is the miss ratio at the old rate of 1.0; rebuild the scenario with rate=1.5")
    return close(x, want, atol=1e-6, what="the deadline-miss ratio")


def _min_min(etc, largest=False):
    ready = np.zeros(etc.shape[1])
    out = [-1] * etc.shape[0]
    left = list(range(etc.shape[0]))
    while left:
        best = None
        for t in left:
            ct = ready + etc[t]
            k = int(np.argmin(ct))
            key = (-ct[k] if largest else ct[k], t)
            if best is None or key < best[0]:
                best = (key, t, k)
        _, t, k = best
        ready[k] += etc[t, k]
        out[t] = k
        left.remove(t)
    return out


def ex5(answer):
    if not callable(answer):
        return wrong(f"the answer should be a function min_min(etc), got {type(answer).__name__}")
    rng = np.random.default_rng(5)
    for case in range(5):
        etc = rng.integers(1, 20, (int(rng.integers(3, 12)), int(rng.integers(2, 5)))).astype(float)
        got = _as_list(answer(etc.copy()), len(etc))
        if not isinstance(got, list):
            return got
        if got == _min_min(etc):
            continue
        if got == _online(etc, "mct"):
            return wrong("this maps the tasks in their given order (online MCT); Min-Min picks the next task itself")
        if got == _min_min(etc, largest=True):
            return wrong("this is Max-Min: take the task with the smallest earliest completion time")
        return wrong(f"on random matrix {case + 1} the mapping differs from Min-Min's")
    return right("it agrees with Min-Min on five random matrices")


CHECKS = {1: ex1, 2: ex2, 3: ex3, 4: ex4, 5: ex5}


def _wrong_examples():
    return {
        1: [(_online(_ETC1, "met"), {}), (_online(_ETC1, "rr"), {}), ([0, 1], {})],
        2: [(1 / (1 - 0.97), {}), (1.0, {}), (_t2(0.97) * 2, {})],
        3: [(1.0, {}), (0.5, {}), ("big", {})],
        4: [(1.5, {"n_tasks": 2000, "seed": 1}), (0.5, {"n_tasks": 2000, "seed": 1}), ("x", {})],
        5: [
            (lambda etc: _online(np.asarray(etc), "mct"), {}),
            (lambda etc: _min_min(np.asarray(etc), True), {}),
            (3, {}),
        ],
    }


WRONG = _wrong_examples
