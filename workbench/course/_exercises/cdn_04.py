"""Checks of lesson cdn.04, cache hierarchies and load balancing."""

from __future__ import annotations

import numpy as np

from ..checks import close, equal, wrong


def _number(answer):
    return isinstance(answer, (int, float, np.integer, np.floating)) and not isinstance(answer, bool)


def ex1(answer):
    l_hit, l_miss, target = 12.0, 150.0, 40.0
    want = (l_miss - target) / (l_miss - l_hit)
    fb = close(answer, want, atol=1e-6, what="a hit ratio")
    if not fb.ok and _number(answer):
        if abs(float(answer) - (1 - want)) < 1e-6:
            return wrong("this is the share of misses; the question asks for the edge hit ratio")
        if abs(float(answer) - target / l_miss) < 1e-6 or float(answer) > 1:
            return wrong("solve h * L_hit + (1 - h) * L_miss = target for h")
    return fb


def _jump(key: int, n: int) -> int:
    """Lamping and Veach's loop, written with explicit 64-bit masks."""
    mask = (1 << 64) - 1
    b, j = -1, 0
    while j < n:
        b = j
        key = (key * 2862933555777941757 + 1) & mask
        j = int(float(b + 1) * (float(1 << 31) / float((key >> 33) + 1)))
    return b


def ex2(answer):
    want = _jump(123_456_789, 1000)
    fb = equal(answer, want, what="the bucket")
    if not fb.ok and isinstance(answer, (int, np.integer)) and int(answer) == 123_456_789 % 1000:
        return wrong("this is key % 1000, not jump hash")
    return fb


def ex3(answer):
    from ...cdn import HashRing

    k = np.arange(100_000)
    want = float((HashRing(range(20), 100).assign_index(k) != HashRing(range(21), 100).assign_index(k)).mean())
    fb = close(answer, want, atol=1e-9, what="a share of keys")
    if not fb.ok and _number(answer):
        if abs(float(answer) - 1 / 21) < 1e-9:
            return wrong("1/21 is the ideal share; measure what this ring actually moves")
        if float(answer) > 1:
            return wrong("a share is between 0 and 1, not a count")
    return fb


def _che(p, c):
    lo, hi = 0.0, 1.0
    while np.sum(1 - np.exp(-p * hi)) < c:
        hi *= 2
    for _ in range(200):  # bisection on the characteristic time
        mid = (lo + hi) / 2
        if np.sum(1 - np.exp(-p * mid)) < c:
            lo = mid
        else:
            hi = mid
    t = (lo + hi) / 2
    return float(np.sum(p * (1 - np.exp(-p * t))))


def ex4(answer, n_objects=50_000):
    w = np.arange(1, n_objects + 1, dtype=float) ** -0.8
    p = w / w.sum()
    want = _che(p, 500)
    fb = close(answer, want, atol=1e-4, what="a hit ratio")
    if not fb.ok and _number(answer):
        w9 = np.arange(1, n_objects + 1, dtype=float) ** -0.9
        if abs(float(answer) - _che(w9 / w9.sum(), 500)) < 1e-4:
            return wrong("this is for alpha = 0.9; the question asks for 0.8")
        if abs(float(answer) - p[:500].sum()) < 1e-4:
            return wrong("this is the static top-500 cache, not LRU's characteristic-time approximation")
    return fb


def ex5(answer, n_requests=400_000, n_objects=50_000, n_clients=20_000, seed=1):
    from ...cdn import Tier, load_pops, nearest_pop, sample_clients, simulate_cdn, zipf_trace
    from ...net import LatencyModel

    trace = zipf_trace(n_requests, n_objects, 0.9, seed=seed)
    pops = load_pops("cloudflare")
    cl = sample_clients(n_clients, seed=seed)
    cpop, ckm = nearest_pop(cl.lat, cl.lon, pops)
    who = np.random.default_rng(seed).integers(0, n_clients, trace.n_requests)
    l1, l2, l3 = max(20, n_objects // 250), max(200, n_objects // 25), max(1000, n_objects // 5)
    model = LatencyModel("good", access_ms=2.0)

    def needed(tier2):
        r = simulate_cdn(
            trace, cpop[who], pops, client_km=ckm[who], model=model, l1=Tier("lru", l1), l2=tier2, l3=Tier("lru", l3)
        )
        hit = r.served_by == 1
        lh, lm = r.latency_ms[hit].mean(), r.latency_ms[~hit].mean()
        return (lm - 60) / (lm - lh)

    want = needed(None)
    fb = close(answer, want, atol=1e-6, what="a hit ratio")
    if not fb.ok and _number(answer) and abs(float(answer) - needed(Tier("lru", l2))) < 1e-6:
        return wrong("this is with the regional tier; run again with l2=None")
    return fb


CHECKS = {1: ex1, 2: ex2, 3: ex3, 4: ex4, 5: ex5}


def WRONG():
    small = {"n_requests": 40_000, "n_objects": 5_000, "n_clients": 2_000, "seed": 1}
    return {
        1: [(1 - 110 / 138, {}), (40 / 150, {}), (0.5, {})],
        2: [(789, {}), (-1, {})],
        3: [(1 / 21, {}), (0.5, {})],
        4: [(0.0, {"n_objects": 5_000}), (1.0, {"n_objects": 5_000})],
        5: [(0.0, small), (1.5, small)],
    }
