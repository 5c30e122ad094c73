"""Checks of lesson ai.04, reinforcement learning."""

from __future__ import annotations

import numpy as np

from ..checks import close, right, wrong


def _lake_P():
    """gymnasium's FrozenLake 4x4 (slippery) transition table, as a dict P[s][a] = [(p, s2, r, done), ...]."""
    import gymnasium as gym

    return gym.make("FrozenLake-v1", is_slippery=True).unwrapped.P


def _backup(P, V, policy=None, gamma=1.0):
    out = np.zeros(len(P))
    for s in P:
        vals = []
        for a in P[s]:
            if policy is not None and a != policy[s]:
                continue
            vals.append(sum(p * (r + (0.0 if d else gamma * V[s2])) for p, s2, r, d in P[s][a]))
        out[s] = max(vals)
    return out


def _success(P, horizon, policy=None):
    V = np.zeros(len(P))
    for _ in range(horizon):
        V = _backup(P, V, policy)
    return V[0]  # FrozenLake always starts in state 0


def ex1(answer):
    want = 0.5 + 0.1 * (0.0 + 0.9 * 0.8 - 0.5)
    fb = close(answer, want, atol=1e-9, what="a number")
    if not fb.ok and isinstance(answer, (int, float, np.floating)):
        if np.isclose(answer, 0.5 + 0.1 * (0.8 - 0.5)):
            return wrong("the discount gamma multiplies max Q(s', a')")
        if np.isclose(answer, 0.1 * 0.9 * 0.8):
            return wrong("the update moves the old value towards the target; it does not replace it")
    return fb


def ex2(answer):
    P = _lake_P()
    want = sum(p for p, _s2, _r, d in P[6][1] if d)
    fb = close(answer, want, atol=1e-9, what="a probability")
    if not fb.ok and isinstance(answer, (int, float, np.floating)) and np.isclose(answer, 1 - want):
        return wrong("that is the probability that the episode goes on")
    return fb


def ex3(answer):
    P = _lake_P()
    want = _success(P, 10)
    fb = close(answer, want, rtol=1e-6, what="a probability")
    if not fb.ok and isinstance(answer, (int, float, np.floating)) and np.isclose(answer, _success(P, 100)):
        return wrong("that is the value within 100 steps; the deadline here is 10")
    return fb


def ex4(answer, seed=0):
    from ...ai import TabularEnv

    if not callable(answer):
        return wrong(f"the answer should be a function evaluate(env, policy, horizon), got {type(answer).__name__}")
    P = _lake_P()
    env = TabularEnv.from_gymnasium("FrozenLake-v1", is_slippery=True)
    rng = np.random.default_rng(seed)
    for horizon in (7, 30, 100):
        policy = rng.integers(0, 4, 16)
        want = _success(P, horizon, policy)
        got = float(answer(env, policy.copy(), horizon))
        if not np.isclose(got, want, atol=1e-9):
            best = _success(P, horizon)
            if np.isclose(got, best):
                return wrong("that is the optimum: the action must be the policy's, not the best one")
            return wrong(f"wrong value for a random policy within {horizon} steps")
    return right("it matches a reference on three random policies")


def ex5(answer):
    P = _lake_P()
    V = np.zeros(16)
    for _ in range(10_000):
        new = _backup(P, V, gamma=0.5)
        if np.max(np.abs(new - V)) < 1e-14:
            break
        V = new
    policy = [
        int(np.argmax([sum(p * (r + (0.0 if d else 0.5 * V[s2])) for p, s2, r, d in P[s][a]) for a in range(4)]))
        for s in range(16)
    ]
    want = _success(P, 100, policy)
    fb = close(answer, want, rtol=1e-6, what="a probability")
    if not fb.ok and isinstance(answer, (int, float, np.floating)):
        if np.isclose(answer, _success(P, 100)):
            return wrong("that is the undiscounted optimum; the greedy policy of the discounted values does worse")
        if np.isclose(answer, V[0]):
            return wrong("that is the discounted value of the start state, not the policy's success probability")
    return fb


CHECKS = {1: ex1, 2: ex2, 3: ex3, 4: ex4, 5: ex5}


def _wrong_examples():
    def optimum(env, policy, horizon):
        return env.optimum(horizon)

    def one_step(env, policy, horizon):
        return 0.0 * horizon + 0.5

    return {
        1: [(0.53, {}), (0.072, {}), ("0.522", {})],
        2: [(1 / 3, {}), (0.0, {}), (1.0, {})],
        3: [(0.7441902878292689, {}), (0.5, {}), (0.0, {})],
        4: [(optimum, {}), (one_step, {}), (7, {})],
        5: [(0.7441902878292689, {}), (1.0, {}), ([0.4], {})],
    }


WRONG = _wrong_examples
