"""Tabular reinforcement learning on a finite MDP's arrays: Q-learning and SARSA, exact finite-horizon
values and sampled rollouts.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from ..._config import STRICT

# --------------------------------------------------------------------------- tabular reinforcement learning
# An environment is a table: probs[s, a, k], nxt[s, a, k], rew[s, a, k], done[s, a, k] for the k-th outcome
# of action a in state s (unused outcomes have probability 0), and the start distribution isd.


@njit(cache=True, fastmath=STRICT)
def _sample(p, u):
    c = 0.0
    for k in range(p.size):
        c += p[k]
        if u < c:
            return k
    for k in range(p.size - 1, -1, -1):  # rounding: the last outcome with probability > 0
        if p[k] > 0.0:
            return k
    return 0


@njit(cache=True, fastmath=STRICT)
def table_step(probs, nxt, rew, done, s, a):
    k = _sample(probs[s, a], np.random.random())
    return nxt[s, a, k], rew[s, a, k], done[s, a, k]


@njit(cache=True, fastmath=STRICT)
def _egreedy(Q, s, eps):
    if np.random.random() < eps:
        return np.random.randint(Q.shape[1])
    b = 0
    for a in range(1, Q.shape[1]):
        if Q[s, a] > Q[s, b]:
            b = a
    return b


@njit(cache=True, fastmath=STRICT)
def td_control(
    probs,
    nxt,
    rew,
    done,
    isd,
    Q,
    episodes,
    max_steps,
    alpha0,
    alpha_min,
    gamma,
    eps0,
    eps_min,
    decay_episodes,
    sarsa,
    seed,
    returns,
):
    """Q-learning (``sarsa`` False) or SARSA on a tabular environment, in place on ``Q``.

    Epsilon and the step size decay linearly from ``eps0``/``alpha0`` to their minimum over
    ``decay_episodes``. ``returns[e]`` receives episode e's undiscounted return.
    """
    np.random.seed(seed)
    for e in range(episodes):
        frac = min(1.0, e / max(decay_episodes, 1))
        eps = eps0 + (eps_min - eps0) * frac
        alpha = alpha0 + (alpha_min - alpha0) * frac
        s = _sample(isd, np.random.random())
        a = _egreedy(Q, s, eps)
        total = 0.0
        for _ in range(max_steps):
            s2, r, d = table_step(probs, nxt, rew, done, s, a)
            total += r
            a2 = _egreedy(Q, s2, eps)
            if d:
                target = r
            elif sarsa:
                target = r + gamma * Q[s2, a2]
            else:
                best = Q[s2, 0]
                for b in range(1, Q.shape[1]):
                    if Q[s2, b] > best:
                        best = Q[s2, b]
                target = r + gamma * best
            Q[s, a] += alpha * (target - Q[s, a])
            s, a = s2, a2
            if d:
                break
        returns[e] = total


@njit(cache=True, fastmath=STRICT)
def finite_horizon(probs, nxt, rew, done, horizon, policy):
    """Expected undiscounted return within ``horizon`` steps from every state: optimal
    (``policy`` empty) or of a fixed deterministic ``policy``. Returns (V, greedy policy at the first step)."""
    S, A, Kk = probs.shape
    V = np.zeros(S)
    act = np.zeros(S, np.int64)
    for _ in range(horizon):
        V2 = np.empty(S)
        for s in range(S):
            best = -np.inf
            for a in range(A):
                if policy.size and a != policy[s]:
                    continue
                q = 0.0
                for k in range(Kk):
                    p = probs[s, a, k]
                    if p > 0.0:
                        q += p * (rew[s, a, k] + (0.0 if done[s, a, k] else V[nxt[s, a, k]]))
                if q > best:
                    best = q
                    act[s] = a
            V2[s] = best
        V = V2
    return V, act


@njit(cache=True, fastmath=STRICT)
def rollouts(probs, nxt, rew, done, isd, policy, episodes, max_steps, seed):
    """Undiscounted returns of ``episodes`` episodes under a deterministic policy (steps counted too)."""
    np.random.seed(seed)
    out = np.empty(episodes)
    steps = 0
    for e in range(episodes):
        s = _sample(isd, np.random.random())
        total = 0.0
        for _ in range(max_steps):
            s, r, d = table_step(probs, nxt, rew, done, s, policy[s])
            total += r
            steps += 1
            if d:
                break
        out[e] = total
    return out, steps
