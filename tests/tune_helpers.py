"""Module-level functions for the tune tests that Dask workers import."""

from __future__ import annotations

import numpy as np


def noisy_design(x: int, policy: str, seed: int = 0) -> dict:
    """A seeded stand-in simulation: the same (x, policy, seed) gives the same values anywhere."""
    rng = np.random.default_rng([seed, x, "abc".index(policy)])
    noise = rng.normal(0.0, 0.1, size=64).mean()
    return {"cost": (x - 7) ** 2 / 10 + "abc".index(policy) + noise, "area": x + 2.0 * (policy == "a")}
