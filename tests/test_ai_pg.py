"""Policy gradients: the compiled CartPole against gymnasium, the issue's CartPole goals, errors."""

from __future__ import annotations

import gymnasium as gym
import numpy as np
import pytest

from workbench.ai.pg import SOLVED, actor_critic, cartpole_step, reinforce
from workbench.errors import WorkbenchError


@pytest.mark.kernel
def test_cartpole_matches_gymnasium_step_for_step():
    env = gym.make("CartPole-v1").unwrapped
    rng = np.random.default_rng(0)
    for _ in range(20):
        env.reset(seed=int(rng.integers(1000)))
        state = np.array(env.state, dtype=np.float64)
        for _ in range(200):
            a = int(rng.integers(2))
            ours, term = cartpole_step(state, a)
            obs, _, g_term, _, _ = env.step(a)
            np.testing.assert_allclose(ours, np.array(env.state, dtype=np.float64), rtol=1e-12, atol=1e-12)
            assert term == g_term
            state = ours
            if term:
                break


@pytest.mark.kernel
def test_training_kernels_run_and_record():
    r = reinforce(episodes=3, seed=0, stop_when_solved=False)
    a = actor_critic(episodes=2, seed=0)
    assert len(r.returns) == 3 and len(a.returns) == 2
    assert (r.returns["return"] >= 1).all() and r.solved_at is None
    assert r.act(np.zeros(4)) in (0, 1)


@pytest.mark.parametrize("seed", range(3))
def test_goal_reinforce_solves_cartpole_within_500_episodes(seed):
    r = reinforce(500, seed=seed)
    assert r.solved_at is not None and r.solved_at <= 500
    assert r.returns.trailing_mean.iat[-1] >= SOLVED


@pytest.mark.parametrize("seed", range(3))
def test_goal_actor_critic_solves_cartpole_within_3000_episodes(seed):
    a = actor_critic(3000, seed=seed)
    assert a.solved_at is not None and a.solved_at <= 3000


def test_learned_policy_balances_in_gymnasium():
    r = reinforce(500, seed=1)
    env = gym.make("CartPole-v1")
    lengths = []
    for ep in range(10):
        obs, _ = env.reset(seed=100 + ep)
        done, n = False, 0
        while not done:
            obs, _, term, trunc, _ = env.step(r.act(obs))
            n += 1
            done = term or trunc
        lengths.append(n)
    assert np.mean(lengths) >= SOLVED


def test_same_seed_same_run():
    a, b = reinforce(30, seed=5, stop_when_solved=False), reinforce(30, seed=5, stop_when_solved=False)
    assert a.returns.equals(b.returns) and np.array_equal(a.policy, b.policy)


@pytest.mark.parametrize("call, match", [
    (lambda: reinforce(0), "episodes"),
    (lambda: reinforce(10, hidden=0), "hidden"),
    (lambda: actor_critic(10, lr=0), "learning rates"),
    (lambda: reinforce(10, activation="swish"), "unknown activation"),
    (lambda: cartpole_step([0, 0, 0], 1), "4 numbers"),
    (lambda: cartpole_step([0, 0, 0, 0], 2), "action"),
])
def test_bad_input_is_named(call, match):
    with pytest.raises(WorkbenchError, match=match):
        call()
