"""Checks of lesson cdn.01, caches and Belady's optimum."""

from __future__ import annotations

import numpy as np

from ..checks import close, equal, right, wrong


def _lru_misses(requests, capacity) -> list[bool]:
    """Miss flags of LRU, with a plain list ordered from least to most recently used."""
    cache, out = [], []
    for x in requests:
        if x in cache:
            cache.remove(x)
            out.append(False)
        else:
            if len(cache) == capacity:
                cache.pop(0)
            out.append(True)
        cache.append(x)
    return out


def _fifo_misses(requests, capacity) -> list[bool]:
    cache, out = [], []
    for x in requests:
        if x in cache:
            out.append(False)
            continue
        if len(cache) == capacity:
            cache.pop(0)
        cache.append(x)
        out.append(True)
    return out


def _opt_misses(requests, capacity) -> list[bool]:
    """Belady's MIN with bypass: every object's request times, and a scan of the cache at every miss."""
    requests = list(requests)
    times: dict = {}
    for t, x in enumerate(requests):
        times.setdefault(x, []).append(t)
    seen = dict.fromkeys(times, 0)  # how many requests of each object have passed
    cache, out = set(), []
    for x in requests:
        seen[x] += 1
        if x in cache:
            out.append(False)
            continue
        out.append(True)
        if len(cache) < capacity:
            cache.add(x)
            continue
        far = {y: times[y][seen[y]] if seen[y] < len(times[y]) else len(requests) for y in cache | {x}}
        victim = max(cache, key=far.get)
        if far[x] < far[victim]:
            cache.discard(victim)
            cache.add(x)
    return out


def _pair(answer, what):
    try:
        a, b = answer
        return int(a), int(b), a, b
    except (TypeError, ValueError):
        return wrong(f"the answer should be a tuple of two integers ({what})")


def ex1(answer):
    trace = [1, 2, 3, 1, 4, 2, 1, 5, 1, 2, 3, 1]
    hit_ratio = 1 - np.mean(_lru_misses(trace, 3))
    fifo = 1 - np.mean(_fifo_misses(trace, 3))
    fb = close(answer, hit_ratio, atol=1e-9, what="a hit ratio")
    if not fb.ok and isinstance(answer, (int, float, np.number)) and abs(float(answer) - (1 - hit_ratio)) < 1e-9:
        return wrong("this is the miss ratio; the question asks for hits per request")
    if not fb.ok and isinstance(answer, (int, float, np.number)) and abs(float(answer) - fifo) < 1e-9:
        return wrong("this is what FIFO gives; in LRU a hit moves the object to the most recently used end")
    return fb


def ex2(answer, capacity=8, passes=20):
    got = _pair(answer, "LRU misses, OPT misses")
    if not isinstance(got, tuple):
        return got
    lru, opt = got[:2]
    loop = list(range(capacity + 1)) * passes
    want_lru, want_opt = sum(_lru_misses(loop, capacity)), sum(_opt_misses(loop, capacity))
    if (lru, opt) == (want_lru, want_opt):
        return right()
    if (opt, lru) == (want_lru, want_opt):
        return wrong("the two numbers are in the wrong order: LRU first, then OPT")
    if lru != want_lru:
        return wrong(f"the LRU count is too {'high' if lru > want_lru else 'low'}; which object does LRU evict?")
    if opt == passes:
        return wrong("the OPT count misses the first pass, where every object is new")
    return wrong(f"the OPT count is too {'high' if opt > want_opt else 'low'}")


def ex3(answer):
    got = _pair(answer, "misses with 3, misses with 4")
    if not isinstance(got, tuple):
        return got
    trace = [1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5]
    want = (sum(_fifo_misses(trace, 3)), sum(_fifo_misses(trace, 4)))
    if got[:2] == want:
        return right("the larger FIFO cache misses once more: Belady's anomaly")
    if got[:2] == (sum(_lru_misses(trace, 3)), sum(_lru_misses(trace, 4))):
        return wrong("these are LRU's counts; FIFO does not reorder on a hit")
    if got[:2] == want[::-1]:
        return wrong("the two numbers are in the wrong order: 3 objects first")
    return wrong("at least one count is off; replay the trace with a queue, evicting the oldest arrival")


def ex4(answer, n_requests=200_000, n_objects=10_000, alpha=0.9, seed=7):
    from ...cdn import zipf_trace

    requests = zipf_trace(n_requests, n_objects, alpha, seed=seed).raw()[:5000].tolist()
    want = 1 - np.mean(_opt_misses(requests, 50))
    fb = close(answer, want, atol=1e-9, what="a hit ratio")
    if not fb.ok and isinstance(answer, (int, float, np.number)) and abs(float(answer) - (1 - want)) < 1e-9:
        return wrong("this is the miss ratio; the question asks for the hit ratio")
    if not fb.ok and isinstance(answer, (int, float, np.number)) and float(answer) < want:
        return wrong("too low for OPT: did you use LRU, FIFO or MIN without bypass, or the whole trace?")
    return fb


def ex5(answer, n_objects=10_000, alpha=0.9):
    w = np.arange(1, n_objects + 1, dtype=float) ** -float(alpha)
    share = np.cumsum(w) / w.sum()
    want = int(np.searchsorted(share, 0.5)) + 1
    fb = equal(answer, want, what="the cache size")
    if not fb.ok and isinstance(answer, (int, np.integer)) and int(answer) == want - 1:
        return wrong("one too small: an index counts from 0, a number of objects from 1")
    return fb


CHECKS = {1: ex1, 2: ex2, 3: ex3, 4: ex4, 5: ex5}


def WRONG():
    return {
        1: [(1 - 5 / 12, {}), (0.25, {}), ("half", {})],
        2: [
            ((180, 20), {"capacity": 8, "passes": 20}),
            ((28, 180), {"capacity": 8, "passes": 20}),
            ((180, 23), {"capacity": 8, "passes": 20}),
        ],
        3: [((10, 9), {}), ((10, 8), {}), (9, {})],
        4: [
            (0.1, {"n_requests": 20_000, "n_objects": 2000, "alpha": 0.9, "seed": 7}),
            (0.9, {"n_requests": 20_000, "n_objects": 2000, "alpha": 0.9, "seed": 7}),
        ],
        5: [
            (74, {"n_objects": 2000, "alpha": 0.9}),
            (1000, {"n_objects": 2000, "alpha": 0.9}),
            (75.0, {"n_objects": 2000, "alpha": 0.9}),
        ],
    }
