"""Holt-Winters exponential smoothing (additive trend and season, optional damping)."""

from __future__ import annotations

import numpy as np
from numba import njit

from ..._config import STRICT

# --------------------------------------------------------------------------- exponential smoothing


@njit(cache=True, fastmath=STRICT)
def holt_winters(y, m, alpha, beta, gamma, phi, trend, seasonal, l0, b0, s0, fitted):
    """Holt-Winters recursions (error-correction form). ``trend``: 0 none, 1 additive (damped by
    ``phi``); ``seasonal``: 0 none, 1 additive, 2 multiplicative (period ``m``, initial ``s0``).
    Writes one-step fitted values and returns (SSE, level, trend, last m seasonal states)."""
    level = l0
    slope = b0 if trend else 0.0
    s = s0.copy()
    sse = 0.0
    for t in range(y.size):
        si = s[t % m] if seasonal else 0.0
        base = level + (phi * slope if trend else 0.0)
        if seasonal == 2:
            f = base * s[t % m]
        elif seasonal == 1:
            f = base + si
        else:
            f = base
        fitted[t] = f
        e = y[t] - f
        sse += e * e
        if seasonal == 2:
            new_level = alpha * (y[t] / s[t % m]) + (1.0 - alpha) * base
        elif seasonal == 1:
            new_level = alpha * (y[t] - si) + (1.0 - alpha) * base
        else:
            new_level = alpha * y[t] + (1.0 - alpha) * base
        if trend:
            slope = beta * (new_level - level) + (1.0 - beta) * phi * slope
        if seasonal == 2:
            s[t % m] = gamma * (y[t] / new_level) + (1.0 - gamma) * s[t % m]
        elif seasonal == 1:
            s[t % m] = gamma * (y[t] - new_level) + (1.0 - gamma) * s[t % m]
        level = new_level
    out = np.empty(m)
    for i in range(m):
        out[i] = s[(y.size + i) % m]
    return sse, level, slope, out
