"""Tabular RL: the table against gymnasium, exact optima against a naive DP, the issue's goals, errors."""

from __future__ import annotations

import gymnasium as gym
import numpy as np
import pytest

from workbench.ai import _kernels as K
from workbench.ai.rl import RLError, TabularEnv, q_learning, sarsa

from . import naive


@pytest.fixture(scope="module")
def lake():
    return TabularEnv.from_gymnasium("FrozenLake-v1", is_slippery=True)


@pytest.mark.kernel
def test_optimum_matches_naive_dp_on_gymnasium_table(lake):
    env = gym.make("FrozenLake-v1", is_slippery=True)
    V = naive.finite_horizon_naive(env.unwrapped.P, 16, 4, 100)
    ref = float(np.dot(env.unwrapped.initial_state_distrib, V))
    assert lake.optimum() == pytest.approx(ref, rel=1e-12)
    assert lake.optimum() == pytest.approx(0.744, abs=5e-4)  # the known 100-step optimum
    assert lake.max_steps == 100 and lake.n_states == 16 and lake.n_actions == 4


@pytest.mark.kernel
def test_sampled_transitions_follow_the_table(lake):
    K.seed(0)
    counts = np.zeros(16)
    n = 20_000
    for _ in range(n):
        s2, _, _ = K.table_step(lake.probs, lake.nxt, lake.rew, lake.done, 5 + 1, 1)
        counts[s2] += 1
    expect = np.zeros(16)
    for k in range(lake.probs.shape[2]):
        expect[lake.nxt[6, 1, k]] += lake.probs[6, 1, k]
    se = np.sqrt(expect * (1 - expect) / n)
    assert (np.abs(counts / n - expect) <= 4 * se + 1e-12).all()


@pytest.mark.kernel
def test_sampling_rounding_and_greedy_ties():
    p = np.array([0.5, 0.5 - 1e-17, 0.0])  # sums to just under 1
    assert K._sample(p, 0.9999999999999999) == 1
    assert K._sample(np.zeros(2), 0.5) == 0
    K.seed(0)
    Q = np.array([[0.0, 2.0, 1.0]])
    assert K._egreedy(Q, 0, 0.0) == 1


@pytest.mark.kernel
def test_exact_policy_value_agrees_with_rollouts_and_learning_runs(lake):
    r = q_learning(lake, 300, seed=1)
    rets = lake.rollout(r.policy, episodes=4000, seed=2)
    assert abs(rets.mean() - r.value) <= 4 * rets.std() / np.sqrt(len(rets)) + 1e-9
    s = sarsa(lake, 300, seed=1)
    assert s.Q.shape == (16, 4) and len(s.returns) == 300
    assert r.value <= r.optimum + 1e-12


@pytest.mark.parametrize("seed", range(3))
def test_goal_frozenlake_4x4(lake, seed):
    r = q_learning(lake, 10_000, seed=seed)
    assert r.value >= 0.73 and r.percent_of_optimal > 98


@pytest.mark.parametrize("seed", range(3))
def test_goal_frozenlake_8x8(seed):
    env = TabularEnv.from_gymnasium("FrozenLake8x8-v1", is_slippery=True)
    assert env.optimum() == pytest.approx(0.913, abs=5e-4)
    assert q_learning(env, 100_000, gamma=0.999, seed=seed).value >= 0.85


@pytest.mark.parametrize("seed", range(3))
def test_goal_taxi(seed):
    env = TabularEnv.from_gymnasium("Taxi-v4")
    assert env.optimum() == pytest.approx(7.93, abs=0.01)
    r = q_learning(env, 2_000, alpha=1.0, alpha_min=0.5, decay=0.6, seed=seed)  # deterministic moves: big steps
    assert r.value >= 7.8


def test_sarsa_learns_frozenlake(lake):
    assert sarsa(lake, 10_000, seed=0).value >= 0.70


def test_same_seed_same_table(lake):
    a, b = q_learning(lake, 500, seed=4), q_learning(lake, 500, seed=4)
    assert np.array_equal(a.Q, b.Q) and a.returns.equals(b.returns)


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda env: TabularEnv.from_gymnasium("CartPole-v1"), "Discrete"),
        (lambda env: q_learning(env, 0), "episodes"),
        (lambda env: q_learning(env, 10, alpha=1.5), "alpha"),
        (lambda env: q_learning(env, 10, gamma=-0.1), "gamma"),
        (lambda env: env.policy_value([0, 1]), "one action"),
        (lambda env: env.policy_value(np.full(16, 7)), "one action"),
    ],
)
def test_bad_input_is_named(lake, call, match):
    with pytest.raises(RLError, match=match):
        call(lake)
