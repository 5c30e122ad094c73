"""Checks of lesson cdn.05, monitoring, freshness and attacks."""

from __future__ import annotations

import numpy as np

from ..checks import close, equal, wrong


def _number(answer):
    return isinstance(answer, (int, float, np.integer, np.floating)) and not isinstance(answer, bool)


def _bucket(times, keys, rate, burst):
    """Per-key token buckets, written with arrays indexed by key."""
    keys = np.asarray(keys)
    uniq, dense = np.unique(keys, return_inverse=True)
    tokens = np.full(uniq.size, float(burst))
    last = np.full(uniq.size, np.nan)
    out = np.zeros(len(times), bool)
    for i, (t, k) in enumerate(zip(times, dense)):
        if not np.isnan(last[k]):
            tokens[k] = min(burst, tokens[k] + (t - last[k]) * rate)
        last[k] = t
        if tokens[k] >= 1:
            tokens[k] -= 1
            out[i] = True
    return out


def ex1(answer):
    want = 120  # s-maxage applies to shared caches and beats max-age and Expires (RFC 9111, 4.2.1)
    fb = equal(answer, want, what="the lifetime")
    if not fb.ok and _number(answer):
        if float(answer) == 86400:
            return wrong("this is max-age; a shared cache gives s-maxage precedence")
        if float(answer) == 3600:
            return wrong("Expires is used only when there is no max-age or s-maxage")
    if not fb.ok and isinstance(answer, float) and answer == want:
        return wrong("give the number of seconds as an integer")
    return fb


def ex2(answer):
    times = [0.2 * i for i in range(20)]
    want = int(_bucket(times, [1] * 20, 2.0, 4).sum())
    fb = equal(answer, want, what="the number of requests that pass")
    if not fb.ok and isinstance(answer, (int, np.integer)) and int(answer) == 20 - want:
        return wrong("this is the number refused; the question asks how many pass")
    return fb


def ex3(answer):
    request_time, response_time, now, date, age = 1000, 1003, 1500, 1001, 100
    apparent = max(0, response_time - date)
    corrected = age + (response_time - request_time)
    want = max(apparent, corrected) + (now - response_time)
    fb = close(answer, want, atol=1e-9, what="an age in seconds")
    if not fb.ok and _number(answer):
        if float(answer) == age + now - response_time:
            return wrong("the response delay (response time - request time) is added to the Age header")
        if float(answer) == now - date:
            return wrong("the Age header says the response was already 100 s old when it left the other cache")
    return fb


def _flood(n_requests, n_objects, n_clients, seed):
    from ...cdn import cache_busting_flood, zipf_trace

    base = zipf_trace(n_requests, n_objects, 0.9, seed=seed)
    who = np.random.default_rng(seed).integers(0, n_clients, base.n_requests)
    return cache_busting_flood(base, who, n_clients, share=0.3, attackers=5, seed=seed)


def ex4(answer, n_requests=300_000, n_objects=30_000, n_clients=20_000, seed=1):
    flood = _flood(n_requests, n_objects, n_clients, seed)
    times = np.arange(flood.trace.n_requests) / 2000.0
    att = flood.attack
    want = float(_bucket(times[att], flood.client[att], 1.0, 5)[:].mean())  # only attackers' buckets matter
    fb = close(answer, want, atol=1e-6, what="a share of the attack")
    if not fb.ok and _number(answer):
        loose = float(_bucket(times[att], flood.client[att], 5.0, 20).mean())
        if abs(float(answer) - loose) < 1e-6:
            return wrong("this is the limit of section 3 (5 per second, bursts of 20); use 1 per second and 5")
        if float(answer) > 1:
            return wrong("a share is between 0 and 1, not a count")
    return fb


def ex5(answer, n_requests=300_000, n_objects=30_000, seed=1):
    from ...cdn import cache_hits, shifting_zipf_trace

    day = shifting_zipf_trace(
        n_requests, n_objects, 0.9, days=1, shift=0.5, flash_crowds=1, flash_share=0.3, flash_duration=0.03, seed=seed
    )
    cap = n_objects // 30
    m_none = 1 - float(cache_hits(day, cap, "s3fifo").mean())
    m_ttl = 1 - float(cache_hits(day.with_ttl(300), cap, "s3fifo").mean())
    want = m_ttl - m_none
    fb = close(answer, want, atol=1e-6, what="a difference of miss ratios")
    if not fb.ok and _number(answer):
        if abs(float(answer) - m_ttl) < 1e-6:
            return wrong("this is the miss ratio with the TTL; subtract the one without")
        m_lru = (1 - float(cache_hits(day.with_ttl(300), cap, "lru").mean())) - (
            1 - float(cache_hits(day, cap, "lru").mean())
        )
        if abs(float(answer) - m_lru) < 1e-6:
            return wrong("this is with LRU; the question asks for S3-FIFO")
        if float(answer) < 0:
            return wrong("a TTL can only add misses: the sign is reversed")
    return fb


CHECKS = {1: ex1, 2: ex2, 3: ex3, 4: ex4, 5: ex5}


def WRONG():
    small = {"n_requests": 30_000, "n_objects": 3_000, "n_clients": 2_000, "seed": 1}
    day = {"n_requests": 30_000, "n_objects": 3_000, "seed": 1}
    return {
        1: [(86400, {}), (3600, {}), ("120", {})],
        2: [(20, {}), (4, {})],
        3: [(597, {}), (499, {})],
        4: [(0.5, small), (1000, small)],
        5: [(-0.01, day), (0.9, day)],
    }
