"""Checks of lesson chain.03, consensus."""

from __future__ import annotations

from itertools import product

import numpy as np

from ..checks import equal, right, wrong

TOY_POOL = [("A", 0, 5), ("A", 1, 30), ("B", 0, 10), ("B", 1, 1), ("C", 1, 50), ("D", 0, 8)]
ROOM = 3


def _queues():
    q: dict = {}
    for s, n, f in TOY_POOL:
        q.setdefault(s, {})[n] = f
    return q


def _greedy() -> int:
    q = _queues()
    nxt, total = dict.fromkeys(q, 0), 0
    for _ in range(ROOM):
        cands = [q[s][nxt[s]] for s in q if nxt[s] in q[s]]
        if not cands:
            break
        best = max(cands)
        s = next(s for s in q if nxt[s] in q[s] and q[s][nxt[s]] == best)
        total += best
        nxt[s] += 1
    return total


def _best() -> int:
    q = _queues()
    best = 0
    for counts in product(range(ROOM + 1), repeat=len(q)):
        if sum(counts) <= ROOM and all(all(i in qs for i in range(c)) for qs, c in zip(q.values(), counts)):
            best = max(best, sum(qs[i] for qs, c in zip(q.values(), counts) for i in range(c)))
    return best


def _top_fees_ignoring_nonces() -> int:
    return sum(sorted((f for _, _, f in TOY_POOL), reverse=True)[:ROOM])


def ex1(answer):
    if answer == _top_fees_ignoring_nonces() and answer != _greedy():
        return wrong("the three highest fees ignore nonce order: a sender's nonce 1 needs its nonce 0 first")
    if answer == _best() and answer != _greedy():
        return wrong("that is the best possible block; the greedy rule takes the best *next* transaction each time")
    return equal(answer, _greedy(), what="the greedy block's total fee")


def ex2(answer):
    if answer == _top_fees_ignoring_nonces() and answer != _best():
        return wrong("that block ignores nonce order (sender C's nonce 0 is missing, so C's transaction never fits)")
    if answer == _greedy() and answer != _best():
        return wrong("that is the greedy block; a different choice of 3 collects more")
    return equal(answer, _best(), what="the best block's total fee")


def ex3(answer):
    old, expected, actual = 2**240, 20 * 10, 30
    want = old * min(max(actual, expected // 4), 4 * expected) // expected
    if isinstance(answer, (int, np.integer)) and not isinstance(answer, bool):
        if answer == old * actual // expected:
            return wrong("the factor actual/expected is clamped to at least 1/4")
        if answer == old * expected // actual or answer == old * 4:
            return wrong("fast blocks must make the target smaller (harder), not larger")
    return equal(answer, want, what="the new target")


def _ghost(parent, work):
    kids = {b: [c for c, p in parent.items() if p == b] for b in parent}
    memo: dict = {}

    def weight(b):
        if b not in memo:
            memo[b] = work[b] + sum(weight(c) for c in kids[b])
        return memo[b]

    b = next(b for b, p in parent.items() if p is None)
    while kids[b]:
        b = max(kids[b], key=weight)
    return b


def _path_work(parent, work, b):
    total = 0
    while b is not None:
        total += work[b]
        b = parent[b]
    return total


def _random_tree(rng, n):
    parent, work = {"g": None}, {"g": 0}
    names = ["g"]
    for i in range(n):
        name = f"b{i}"
        parent[name] = names[int(rng.integers(len(names)))] if rng.random() < 0.7 else names[-1]
        work[name] = int(rng.integers(1, 4))
        names.append(name)
    return parent, work


def ex4(answer, seed=0):
    if not callable(answer):
        return wrong(f"the answer should be a function ghost_tip(parent, work), got {type(answer).__name__}")
    rng = np.random.default_rng(seed)
    for trial in range(30):
        parent, work = _random_tree(rng, 4 + trial % 12)
        want = _ghost(parent, work)
        got = answer(dict(parent), dict(work))
        if got != want:
            kids = {b: [c for c, p in parent.items() if p == b] for b in parent}
            tips = [b for b in parent if not kids[b]]

            if got == max(tips, key=lambda b, parent=parent, work=work: _path_work(parent, work, b)):
                return wrong("this is the heaviest chain's tip; GHOST compares whole subtrees at each step")
            if got not in tips:
                return wrong("GHOST walks down to a block without children; the result should be a tip")
            return wrong(f"a different tip than GHOST's on a random tree of {len(parent)} blocks")
    return right("it agrees with GHOST on 30 random trees")


CHECKS = {1: ex1, 2: ex2, 3: ex3, 4: ex4}


def _wrong_examples():
    def heaviest(parent, work):
        kids = {b: [c for c, p in parent.items() if p == b] for b in parent}

        def path_work(b):
            return 0 if b is None else work[b] + path_work(parent[b])

        return max((b for b in parent if not kids[b]), key=path_work)

    def root_only(parent, work):
        return next(b for b, p in parent.items() if p is None)

    return {
        1: [(_top_fees_ignoring_nonces(), {}), (_best(), {}), (float(_greedy()), {})],
        2: [(_greedy(), {}), (_top_fees_ignoring_nonces(), {})],
        3: [(2**240 * 30 // 200, {}), (2**240 * 200 // 30, {}), (2**240, {})],
        4: [(heaviest, {}), (root_only, {}), ("ghost", {})],
    }


WRONG = _wrong_examples
