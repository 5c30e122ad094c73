"""Policy-gradient reinforcement learning on a compiled CartPole: REINFORCE with a learned value
baseline, and one-step actor-critic, both with small MLP policies trained by Adam.

The environment is gymnasium's CartPole-v1 re-implemented as a numba function (same equations,
constants, limits and 500-step cut; tested step for step against gymnasium), so a whole training
run is one compiled call. "Solved" is gymnasium's criterion: a mean return of at least 475 over
the last 100 episodes.

Examples
--------
>>> r = reinforce(episodes=400, seed=1)
>>> r.solved_at is not None and r.solved_at <= 400
True
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import WorkbenchError
from . import _kernels as K
from .nn import ACTIVATIONS

__all__ = ["PolicyGradientResult", "reinforce", "actor_critic", "cartpole_step", "SOLVED"]

SOLVED = 475.0


def cartpole_step(state, action: int) -> tuple[np.ndarray, bool]:
    """One CartPole-v1 step from ``state`` (x, x_dot, theta, theta_dot): (next state, terminated)."""
    s = np.array(state, dtype=np.float64)
    if s.shape != (4,) or action not in (0, 1):
        raise WorkbenchError("CartPole takes a state of 4 numbers and an action 0 (push left) or 1 (push right)")
    term = K.cartpole_step(s, int(action))
    return s, bool(term)


@dataclass
class PolicyGradientResult:
    returns: pd.DataFrame
    solved_at: int | None
    seconds: float
    policy: np.ndarray
    sizes: np.ndarray
    activation: str

    def act(self, state) -> int:
        """Greedy action of the learned policy."""
        out, _ = K.mlp_predict(self.policy, self.sizes, ACTIVATIONS[self.activation],
                               np.asarray(state, dtype=np.float64).reshape(1, 4))
        return int(out[0, 1] > out[0, 0])


def _init(sizes, rng):
    parts = []
    for a, b in zip(sizes[:-1], sizes[1:]):
        lim = np.sqrt(3.0 / a)
        parts += [rng.uniform(-lim, lim, a * b), np.zeros(b)]
    return np.concatenate(parts)


def _run(kernel, episodes, hidden, lr, lr_value, gamma, seed, activation, stop_when_solved):
    for name, v in (("episodes", episodes), ("hidden", hidden)):
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < 1:
            raise WorkbenchError(f"{name} must be an int >= 1, got {v!r}")
    if not (lr > 0 and lr_value > 0 and 0 < gamma <= 1):
        raise WorkbenchError("learning rates must be > 0 and gamma in (0, 1]")
    if activation not in ACTIVATIONS:
        raise WorkbenchError(f"unknown activation {activation!r}; choose one of {sorted(ACTIVATIONS)}")
    rng = np.random.default_rng(seed)
    sp, sv = np.array([4, hidden, 2], np.int64), np.array([4, hidden, 1], np.int64)
    th_pi, th_v = _init(sp, rng), _init(sv, rng)
    th_pi[-(2 * hidden + 2):] *= 0.01  # start from an almost uniform policy
    returns = np.zeros(int(episodes))
    t0 = time.perf_counter()
    n = kernel(th_pi, sp, th_v, sv, ACTIVATIONS[activation], int(episodes), float(gamma), float(lr), float(lr_value),
               int(rng.integers(2 ** 31)), returns, SOLVED if stop_when_solved else 0.0)
    seconds = time.perf_counter() - t0
    frame = pd.DataFrame({"episode": np.arange(1, n + 1), "return": returns[:n]})
    frame["trailing_mean"] = frame["return"].rolling(100, min_periods=1).mean()
    hit = np.flatnonzero((frame.trailing_mean >= SOLVED) & (frame.episode >= 100))
    return PolicyGradientResult(frame, int(hit[0]) + 1 if hit.size else None, seconds, th_pi, sp, activation)


def reinforce(episodes: int = 500, *, hidden: int = 32, lr: float = 0.01, lr_value: float = 0.01,
              gamma: float = 0.99, seed: int = 0, activation: str = "tanh",
              stop_when_solved: bool = True) -> PolicyGradientResult:
    """REINFORCE with a value baseline on CartPole-v1: one Adam step per episode on the
    normalized advantages ``G_t - V(s_t)`` (Williams 1992)."""
    return _run(K.reinforce_cartpole, episodes, hidden, lr, lr_value, gamma, seed, activation, stop_when_solved)


def actor_critic(episodes: int = 3000, *, hidden: int = 32, lr: float = 5e-4, lr_value: float = 2e-3,
                 gamma: float = 0.99, seed: int = 0, activation: str = "tanh",
                 stop_when_solved: bool = True) -> PolicyGradientResult:
    """One-step actor-critic on CartPole-v1: the TD error drives both networks after every step."""
    return _run(K.actor_critic_cartpole, episodes, hidden, lr, lr_value, gamma, seed, activation, stop_when_solved)
