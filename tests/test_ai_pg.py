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


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: reinforce(0), "episodes"),
        (lambda: reinforce(10, hidden=0), "hidden"),
        (lambda: actor_critic(10, lr=0), "lr must be a finite number > 0"),
        (lambda: reinforce(10, activation="swish"), "unknown activation"),
        (lambda: cartpole_step([0, 0, 0], 1), "4 numbers"),
        (lambda: cartpole_step([0, 0, 0, 0], 2), "action"),
    ],
)
def test_bad_input_is_named(call, match):
    with pytest.raises(WorkbenchError, match=match):
        call()


class _Bandit(gym.Env):
    """Each step shows 5 candidates with 3 features; choosing one costs ``features @ W``."""

    W = np.array([1.0, -2.0, 0.5])

    def __init__(self, steps=20, box=True):
        self.steps = steps
        self.action_space = gym.spaces.Discrete(5)
        shape = (5, 3) if box else (15,)
        self.observation_space = gym.spaces.Box(-np.inf, np.inf, shape=shape)

    def reset(self, *, seed=None, options=None):
        super().reset(seed=seed)
        self.t = 0
        self.obs = self.np_random.normal(size=(5, 3))
        return self.obs, {}

    def step(self, a):
        cost = float(self.obs[a] @ self.W)
        self.t += 1
        self.obs = self.np_random.normal(size=(5, 3))
        return self.obs, -cost, self.t >= self.steps, False, {}


def test_reinforce_scorer_learns_the_cost_direction_of_a_contextual_bandit():
    from workbench.ai.pg import reinforce_scorer

    r = reinforce_scorer(_Bandit(), iterations=60, rollouts=4, lr=0.1, seed=0)
    cos = r.weights @ _Bandit.W / np.linalg.norm(r.weights) / np.linalg.norm(_Bandit.W)
    assert cos > 0.95
    rng = np.random.default_rng(1)
    obs = [rng.normal(size=(5, 3)) for _ in range(500)]
    agree = np.mean([r.act(o) == np.argmin(o @ _Bandit.W) for o in obs])
    assert agree > 0.9
    assert r.history.cost_per_decision.iloc[-10:].mean() < r.history.cost_per_decision.iloc[:3].mean() - 1.0
    p = r.probabilities(obs[0])
    assert p.shape == (5,) and abs(p.sum() - 1) < 1e-12
    again = reinforce_scorer(_Bandit(), iterations=5, rollouts=2, seed=3)
    assert np.array_equal(again.weights, reinforce_scorer(_Bandit(), iterations=5, rollouts=2, seed=3).weights)


def test_reinforce_scorer_names_unsupported_envs_and_parameters():
    from workbench.ai.pg import reinforce_scorer

    with pytest.raises(WorkbenchError, match="one feature row per action"):
        reinforce_scorer(_Bandit(box=False))
    with pytest.raises(WorkbenchError, match="Discrete action space"):
        reinforce_scorer(gym.make("MountainCarContinuous-v0"))
    with pytest.raises(WorkbenchError, match="gymnasium Env"):
        reinforce_scorer("CartPole")
    with pytest.raises(WorkbenchError, match="rollouts must be an integer >= 2"):
        reinforce_scorer(_Bandit(), rollouts=1)
    with pytest.raises(WorkbenchError, match="gamma"):
        reinforce_scorer(_Bandit(), gamma=0.0)


def test_policy_gradients_train_on_any_gymnasium_env():
    r = reinforce(500, env="CartPole-v1", seed=0)  # gymnasium's own CartPole, stepped from Python
    assert r.solved_at is not None and r.solved_at <= 500, r.returns.trailing_mean.max()
    assert r.returns["return"].max() == 500 and r.act(np.zeros(4)) in (0, 1)

    class Corridor(gym.Env):
        """Three actions; the reward is +1 for the action named by the one-hot observation."""

        observation_space = gym.spaces.Box(0.0, 1.0, shape=(3,), dtype=np.float64)
        action_space = gym.spaces.Discrete(3)

        def reset(self, *, seed=None, options=None):
            super().reset(seed=seed)
            self.t, self.k = 0, int(self.np_random.integers(3))
            return np.eye(3)[self.k], {}

        def step(self, a):
            r = 1.0 if a == self.k else 0.0
            self.t += 1
            self.k = int(self.np_random.integers(3))
            return np.eye(3)[self.k], r, False, self.t >= 20, {}

    for algo in (reinforce, actor_critic):
        res = algo(300, env=Corridor(), seed=1, lr=0.01, target=19.0)
        first, last = res.returns["return"].iloc[:3].mean(), res.returns["return"].iloc[-20:].mean()
        assert last > 17 and last > first + 5, (first, last)  # chance: about 6.7 of 20
        assert [res.act(np.eye(3)[k]) for k in range(3)] == [0, 1, 2]
        p = res.probabilities(np.eye(3)[0])
        assert p.shape == (3,) and abs(p.sum() - 1) < 1e-12
    with pytest.raises(WorkbenchError, match="Discrete action space"):
        reinforce(5, env="MountainCarContinuous-v0")
    with pytest.raises(WorkbenchError, match="flat Box observation"):
        reinforce(5, env="FrozenLake-v1")
