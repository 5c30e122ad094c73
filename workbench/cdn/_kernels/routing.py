"""Latency-aware request routing: each client's nearest PoP with spare capacity, in a given order."""

from __future__ import annotations

import numpy as np
from numba import njit

from ..._config import STRICT


@njit(cache=True, fastmath=STRICT)
def assign_latency_aware(cand, rtt, rate, cap, service_ms, order):
    """Greedy assignment: each client (in ``order``) takes the candidate PoP with the lowest
    RTT plus M/M/1 sojourn time ``service_ms / (1 - rho)`` at the load placed so far."""
    n, k = cand.shape
    load = np.zeros(cap.shape[0])
    choice = np.empty(n, np.int64)
    latency = np.empty(n)
    for t in range(n):
        i = order[t]
        best = -1
        best_t = np.inf
        for j in range(k):
            p = cand[i, j]
            rho = (load[p] + rate[i]) / cap[p]
            if rho >= 1.0:
                continue
            tt = rtt[i, j] + service_ms / (1.0 - rho)
            if tt < best_t:
                best_t = tt
                best = j
        if best < 0:  # every candidate is saturated: take the least loaded relative to capacity
            best = 0
            for j in range(1, k):
                if load[cand[i, j]] / cap[cand[i, j]] < load[cand[i, best]] / cap[cand[i, best]]:
                    best = j
            best_t = np.inf
        p = cand[i, best]
        load[p] += rate[i]
        choice[i] = p
        latency[i] = best_t
    return choice, latency, load
