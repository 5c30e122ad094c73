"""Checks of lesson cdn.02, modern eviction: SIEVE, S3-FIFO and the gap to the optimum."""

from __future__ import annotations

import numpy as np

from ..checks import close, right, same_set, wrong

POLICIES = ["fifo", "lru", "clock", "lfu", "2q", "arc", "lirs", "wtinylfu", "sieve", "s3fifo"]


def _trace(name, head):
    from ... import data_path
    from ...cdn import read_cache2k

    return read_cache2k(data_path("traces", f"{name}.trace.xz")).head(head)


def _sieve_final(requests, capacity):
    """SIEVE written as a circular list with the hand as an object, not a position."""
    order, bit, hand = [], {}, None
    for x in requests:
        if x in bit:
            bit[x] = 1
            continue
        if len(order) == capacity:
            i = order.index(hand) if hand in bit else 0
            while bit[order[i]]:
                bit[order[i]] = 0
                i = (i + 1) % len(order)
            victim = order[i]
            hand = order[(i + 1) % len(order)] if i + 1 < len(order) else None
            order.remove(victim)
            del bit[victim]
        order.append(x)
        bit[x] = 0
    return set(order)


def _lru_final(requests, capacity):
    cache = []
    for x in requests:
        if x in cache:
            cache.remove(x)
        elif len(cache) == capacity:
            cache.pop(0)
        cache.append(x)
    return set(cache)


def ex1(answer):
    trace = list("ABCDABEAFCB")
    want = _sieve_final(trace, 3)
    try:
        got = {str(a) for a in answer}
    except TypeError:
        return wrong(f"the answer should be a set of letters, got {type(answer).__name__}")
    if got == want:
        return right()
    if got == _lru_final(trace, 3):
        return wrong("this is what LRU would hold; in SIEVE a hit only sets a bit, and the hand decides")
    if len(got) != 3:
        return wrong(f"a cache of 3 objects holds 3 objects after 11 requests, not {len(got)}")
    return same_set(got, want, what="objects")


def ex2(answer, head=100_000):
    t = _trace("web12", head)
    _, counts = np.unique(t.raw(), return_counts=True)
    want = float((counts == 1).sum()) / t.n_requests
    fb = close(answer, want, atol=1e-6, what="a share of requests")
    if not fb.ok and isinstance(answer, (int, float, np.number)):
        if abs(float(answer) - (counts == 1).mean()) < 1e-6:
            return wrong("this is the share of the objects; the question asks for the share of the requests")
    return fb


def ex3(answer, head=100_000):
    from ...cdn import cache_hits

    t = _trace("web07", head)
    cap = int(0.01 * t.n_objects)
    want = float(cache_hits(t, cap, "s3fifo", move_threshold=1).mean())
    default = float(cache_hits(t, cap, "s3fifo").mean())
    fb = close(answer, want, atol=1e-9, what="a hit ratio")
    if not fb.ok and isinstance(answer, (int, float, np.number)):
        if abs(float(answer) - default) < 1e-9:
            return wrong("this is the default threshold of 2; pass threshold=1")
        if abs(float(answer) - (1 - want)) < 1e-9:
            return wrong("this is the miss ratio; the question asks for the hit ratio")
    return fb


def ex4(answer, head=100_000):
    from ...cdn import cache_hits

    t = _trace("web12", head)
    cap = int(0.03 * t.n_objects)
    m = {p: 1 - float(cache_hits(t, cap, p).mean()) for p in ("lru", "sieve", "opt")}
    want = (m["lru"] - m["sieve"]) / (m["lru"] - m["opt"])
    fb = close(answer, want, atol=1e-6, what="a share of the gap")
    if not fb.ok and isinstance(answer, (int, float, np.number)):
        if abs(float(answer) - (m["lru"] - m["sieve"])) < 1e-6:
            return wrong("this is the miss-ratio difference itself; divide by the LRU-to-OPT gap")
        if abs(float(answer) - (1 - want)) < 1e-6:
            return wrong("this is the share of the gap left open, not the share closed")
    return fb


def ex5(answer, head=100_000):
    from ...cdn import cache_hits

    if not isinstance(answer, str):
        return wrong(f"the answer should be a policy name (a string), got {type(answer).__name__}")
    t = _trace("web07", head)
    cap = int(0.3 * t.n_objects)
    misses = {p: int((~cache_hits(t, cap, p)).sum()) for p in POLICIES}
    best = min(misses.values())
    name = answer.lower().strip()
    if name in ("opt", "belady"):
        return wrong("OPT is not an online policy; the question asks among the others")
    if name not in misses:
        return wrong(f"{answer!r} is not one of the policies compared in section 5")
    if misses[name] == best:
        return right()
    return wrong(f"{name} misses {misses[name] - best} more requests than the best policy at this size")


CHECKS = {1: ex1, 2: ex2, 3: ex3, 4: ex4, 5: ex5}


def WRONG():
    h = {"head": 12_000}
    return {
        1: [({"D", "B", "C"}, {}), ({"A", "B"}, {}), (["X", "Y", "Z"], {})],
        2: [(0.45, h), (1.0, h)],
        3: [(0.99, h), (0.01, h)],
        4: [(1.0, h), (-0.2, h)],
        5: [("opt", h), ("fifo", h), ("random", h)],
    }
