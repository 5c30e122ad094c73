"""Checks of lesson edge.04, scheduling task graphs with HEFT."""

from __future__ import annotations

import numpy as np

from ..checks import close, right, wrong


def _sample():
    from ...edge import load_heft_example

    g, _ = load_heft_example()
    n = g.n_tasks
    preds = {i: [] for i in range(n)}
    succs = {i: [] for i in range(n)}
    data = {}
    for a, b, d in zip(g.src.tolist(), g.dst.tolist(), g.data.tolist()):
        preds[b].append(a)
        succs[a].append(b)
        data[a, b] = d
    return g, preds, succs, data


def _topo(n, preds):
    done, out = set(), []
    while len(out) < n:
        for i in range(n):
            if i not in done and all(j in done for j in preds[i]):
                done.add(i)
                out.append(i)
    return out


def _rank_u(comp, succs, data, topo, scale=1.0):
    wbar = comp.mean(axis=1)
    r = np.zeros(len(comp))
    for i in reversed(topo):
        r[i] = wbar[i] + max([data[i, j] / scale + r[j] for j in succs[i]], default=0.0)
    return r


def _heft(comp, preds, data, order, bw):
    busy = [[] for _ in range(comp.shape[1])]
    proc, fin = {}, {}
    for i in order:
        best = None
        for q in range(comp.shape[1]):
            t = max([fin[j] + (0.0 if proc[j] == q else data[j, i] / bw[proc[j], q]) for j in preds[i]], default=0.0)
            for s, f in sorted(busy[q]):
                if t + comp[i, q] <= s:
                    break
                t = max(t, f)
            if best is None or t + comp[i, q] < best[0]:
                best = (t + comp[i, q], q, t)
        fin[i], proc[i], st = best
        busy[proc[i]].append((st, fin[i]))
    return max(fin.values())


def _num(answer, what):
    try:
        return float(answer)
    except (TypeError, ValueError):
        return wrong(f"{what} should be a number, got {type(answer).__name__}")


def ex1(answer):
    g, preds, succs, data = _sample()
    wbar = g.comp.mean(axis=1)
    want = wbar[6] + data[6, 9] + wbar[9]
    x = _num(answer, "the rank")
    if not isinstance(x, float):
        return x
    if abs(x - (wbar[6] + wbar[9])) < 1e-3:
        return wrong("the communication cost of the edge 7 -> 10 is missing")
    if abs(x - (wbar[6] + data[6, 9])) < 1e-3:
        return wrong("the successor's own rank (task 10's) is missing")
    return close(x, want, atol=1e-3, what="the upward rank")


def ex2(answer):
    g, preds, succs, data = _sample()
    n = g.n_tasks
    wbar = g.comp.mean(axis=1)
    topo = _topo(n, preds)
    want = np.zeros(n)
    for i in topo:
        want[i] = max([want[j] + wbar[j] + data[j, i] for j in preds[i]], default=0.0)
    try:
        got = np.asarray(answer, dtype=float).reshape(-1)
    except (TypeError, ValueError):
        return wrong("give an array of 10 numbers")
    if got.shape != (n,):
        return wrong(f"give one downward rank per task: {n} numbers, not {got.size}")
    if np.allclose(got, _rank_u(g.comp, succs, data, topo), atol=1e-3):
        return wrong("these are the upward ranks; the downward rank runs from the entry to the task")
    if np.allclose(got, want, atol=1e-3):
        return right()
    bad = int(np.argmax(np.abs(got - want) > 1e-3))
    return wrong(f"task {g.names[bad]} is off (entry tasks have rank 0; the task's own cost is not included)")


def _free_makespan():
    g, preds, succs, data = _sample()
    zero = {k: 0.0 for k in data}
    topo = _topo(g.n_tasks, preds)
    r = _rank_u(g.comp, succs, zero, topo)
    order = sorted(range(g.n_tasks), key=lambda i: (-round(r[i], 9), i))
    old = sorted(range(g.n_tasks), key=lambda i: (-round(_rank_u(g.comp, succs, data, topo)[i], 9), i))
    ones = np.ones((3, 3))
    return _heft(g.comp, preds, zero, order, ones), _heft(g.comp, preds, zero, old, ones)


def ex3(answer):
    want, with_old_order = _free_makespan()
    x = _num(answer, "the makespan")
    if not isinstance(x, float):
        return x
    if abs(x - with_old_order) < 1e-6 and abs(want - with_old_order) > 1e-6:
        return wrong("this keeps the old priority order; without communication the upward ranks change too")
    if abs(x - 80) < 1e-6:
        return wrong("that is the makespan with the communication costs")
    return close(x, want, atol=1e-6, what="the makespan")


def ex4(answer):
    from ...edge import cpop, heft, random_dag

    d = random_dag(200, 4, ccr=10.0, seed=7)
    want = cpop(d).makespan / heft(d).makespan
    x = _num(answer, "the ratio")
    if not isinstance(x, float):
        return x
    if abs(x - 1 / want) < 1e-6:
        return wrong("that is HEFT / CPOP; the question asks for CPOP / HEFT")
    return close(x, want, atol=1e-4, what="the ratio")


def _slow_links(old_order=False):
    g, preds, succs, data = _sample()
    bw = np.array([[0, 1, 0.5], [1, 0, 0.5], [0.5, 0.5, 0]])
    topo = _topo(g.n_tasks, preds)
    scale = 1.0 if old_order else bw[~np.eye(3, dtype=bool)].mean()
    r = _rank_u(g.comp, succs, data, topo, scale)
    order = sorted(range(g.n_tasks), key=lambda i: (-round(r[i], 9), i))
    return _heft(g.comp, preds, data, order, bw)


def ex5(answer):
    want = _slow_links()
    x = _num(answer, "the makespan")
    if not isinstance(x, float):
        return x
    if abs(x - 80) < 1e-6:
        return wrong("that is the makespan on unit-bandwidth links; the slow links must slow the transfers")
    alt = _slow_links(old_order=True)
    if abs(x - alt) < 1e-6 and abs(alt - want) > 1e-6:
        return wrong("the ranks should use the mean bandwidth over distinct pairs, which changes the order")
    return close(x, want, atol=1e-6, what="the makespan")


CHECKS = {1: ex1, 2: ex2, 3: ex3, 4: ex4, 5: ex5}


def _wrong_examples():
    g, preds, succs, data = _sample()
    topo = _topo(g.n_tasks, preds)
    want3, old3 = _free_makespan()
    return {
        1: [(11 + 14 + 2 / 3, {}), (28.0, {}), (14.667, {})],
        2: [(_rank_u(g.comp, succs, data, topo), {}), (np.zeros(10), {}), ([0.0, 31.0], {})],
        3: [(old3 if old3 != want3 else want3 + 1, {}), (80.0, {}), (want3 - 2, {})],
        4: [(1.0, {}), (0.5, {}), ("same", {})],
        5: [(80.0, {}), (86.0, {}), (_slow_links() + 3, {})],
    }


WRONG = _wrong_examples
