"""Policy-gradient reinforcement learning: REINFORCE with a learned value baseline, and one-step
actor-critic, both with small MLP policies trained by Adam, on any gymnasium env with a vector
observation and discrete actions; plus :func:`reinforce_scorer` for envs that show one feature
row per action (the edge lab's scheduling env).

The fast path is gymnasium's CartPole-v1 re-implemented as a numba function (same equations,
constants, limits and 500-step cut; tested step for step against gymnasium), so a whole training
run is one compiled call; other envs are stepped from Python with the same compiled updates. "Solved" is
gymnasium's criterion: a mean return of at least 475 over the last 100 episodes.

Examples
--------
>>> r = reinforce(episodes=400, seed=1)
>>> ret = r.returns["return"]
>>> bool(ret.iloc[-100:].mean() > 3 * ret.iloc[:50].mean())   # it learns (solved_at: 475 over 100 episodes)
True
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from numba.typed import List

from ..errors import MAX_COUNT, Int, Optional, Real, WorkbenchError, check, checked, make_rng
from ..results import Result, one_row
from . import _kernels as K
from .nn import ACTIVATIONS

__all__ = [
    "PolicyGradientResult",
    "reinforce",
    "actor_critic",
    "cartpole_step",
    "SOLVED",
    "ScorerResult",
    "reinforce_scorer",
]

SOLVED = 475.0


def cartpole_step(state, action: int) -> tuple[np.ndarray, bool]:
    """One CartPole-v1 step from ``state`` (x, x_dot, theta, theta_dot): (next state, terminated).

    Parameters
    ----------
    state : array-like of shape (4,)
        Cart position (m), cart velocity (m/s), pole angle (rad) and pole angular velocity (rad/s).
    action : {0, 1}
        Push the cart left (0) or right (1).

    Returns
    -------
    next_state : numpy.ndarray of shape (4,)
        The state after one step of 0.02 s (a new array; ``state`` is not changed).
    terminated : bool
        Whether the pole fell past 12 degrees or the cart left [-2.4, 2.4] (gymnasium's limits).

    Raises
    ------
    WorkbenchError
        If ``state`` does not hold 4 numbers or ``action`` is not 0 or 1.

    Examples
    --------
    >>> from workbench.ai.pg import cartpole_step
    >>> s, terminated = cartpole_step([0.0, 0.0, 0.05, 0.0], 1)
    >>> s.round(4).tolist(), terminated
    ([0.0, 0.1944, 0.05, -0.2765], False)
    """
    s = np.array(state, dtype=np.float64)
    if s.shape != (4,) or action not in (0, 1):
        raise WorkbenchError("CartPole takes a state of 4 numbers and an action 0 (push left) or 1 (push right)")
    term = K.cartpole_step(s, int(action))
    return s, bool(term)


@dataclass
class PolicyGradientResult(Result):
    """A policy trained by policy gradients: every episode's return, when it counted as solved, the
    training time and the network; ``summary()`` one row, frame ``returns``, ``params`` the inputs.

    Parameters
    ----------
    returns : pandas.DataFrame
        One row per episode run: episode (from 1), return, trailing_mean (mean of the last 100 returns).
    solved_at : int or None
        The first episode (>= 100) at which the trailing mean reached the target; None if it never did.
    seconds : float
        Training wall-clock time (s).
    policy : numpy.ndarray
        The policy network's parameters, one flat float64 vector.
    sizes : numpy.ndarray
        The policy network's layer widths: observation size, hidden units, actions.
    activation : str, default "tanh"
        The hidden layer's activation (a key of :data:`workbench.ai.ACTIVATIONS`).
    params : dict, optional
        The inputs of the training function. Default: an empty dict.

    Examples
    --------
    >>> from workbench.ai import reinforce
    >>> r = reinforce(episodes=20, seed=0)
    >>> len(r.returns), r.solved_at, r.sizes.tolist()
    (20, None, [4, 32, 2])
    """

    returns: pd.DataFrame
    solved_at: int | None
    seconds: float
    policy: np.ndarray = field(repr=False)
    sizes: np.ndarray = field(repr=False)
    activation: str = "tanh"
    params: dict = field(default_factory=dict, repr=False)
    frames = ("returns",)

    def summary(self) -> pd.DataFrame:
        """One row: episodes, the episode it was solved at (NaN: never), the last 100 episodes' mean return,
        training seconds.

        Returns
        -------
        pandas.DataFrame
            One row with columns episodes, success_iteration, final_return, seconds.
        """
        r = self.returns["return"]
        return one_row(
            episodes=len(r),
            success_iteration=np.nan if self.solved_at is None else self.solved_at,
            final_return=float(r.iloc[-100:].mean()) if len(r) else np.nan,
            seconds=self.seconds,
        )

    def probabilities(self, state) -> np.ndarray:
        """Action probabilities of the learned (stochastic) policy.

        Parameters
        ----------
        state : array-like
            One observation: ``sizes[0]`` numbers (flattened).

        Returns
        -------
        numpy.ndarray of shape (n_actions,)
            The softmax policy's probability of each action; sums to 1.

        Raises
        ------
        WorkbenchError
            If ``state`` does not hold ``sizes[0]`` numbers.
        """
        s = np.asarray(state, dtype=np.float64).ravel()
        if s.size != self.sizes[0]:
            raise WorkbenchError(f"state must have {self.sizes[0]} numbers, got {s.size}")
        out, _ = K.mlp_predict(self.policy, self.sizes, ACTIVATIONS[self.activation], s.reshape(1, -1))
        z = out[0] - out[0].max()
        return np.exp(z) / np.exp(z).sum()

    def act(self, state) -> int:
        """Greedy action of the learned policy.

        Parameters
        ----------
        state : array-like
            One observation: ``sizes[0]`` numbers (flattened).

        Returns
        -------
        int
            The most probable action.

        Raises
        ------
        WorkbenchError
            If ``state`` does not hold ``sizes[0]`` numbers.
        """
        return int(np.argmax(self.probabilities(state)))


def _init(sizes, rng):
    parts = []
    for a, b in zip(sizes[:-1], sizes[1:]):
        lim = np.sqrt(3.0 / a)
        parts += [rng.uniform(-lim, lim, a * b), np.zeros(b)]
    return np.concatenate(parts)


def _check_env(env):
    """A gymnasium env (or an id for gymnasium.make) with a flat Box observation and Discrete actions."""
    import gymnasium as gym

    if isinstance(env, str):
        env = gym.make(env)
    if not isinstance(env, gym.Env):
        raise WorkbenchError(f"env must be a gymnasium Env or an environment id, got {type(env).__name__}")
    if not isinstance(env.action_space, gym.spaces.Discrete):
        raise WorkbenchError(f"policy gradients here need a Discrete action space, got {env.action_space}")
    obs = env.observation_space
    if not isinstance(obs, gym.spaces.Box) or len(obs.shape) != 1:
        raise WorkbenchError(f"policy gradients here need a flat Box observation space (a vector), got {obs}")
    return env, int(obs.shape[0]), int(env.action_space.n)


def _run(kernel, env, episodes, hidden, lr, lr_value, gamma, seed, activation, stop_when_solved, target):
    episodes = check("episodes", episodes, Int(1, 10**8))
    hidden = check("hidden", hidden, Int(1, 4096))
    lr, lr_value = check("lr", lr, Real(0, lo_open=True)), check("lr_value", lr_value, Real(0, lo_open=True))
    gamma = check("gamma", gamma, Real(0, 1, lo_open=True))
    target = check("target", target, Optional(Real(0, lo_open=True)))
    if activation not in ACTIVATIONS:
        raise WorkbenchError(f"unknown activation {activation!r}; choose one of {sorted(ACTIVATIONS)}")
    n_obs, n_act = 4, 2
    if env is not None:
        env, n_obs, n_act = _check_env(env)
        if target is None:
            target = getattr(env.spec, "reward_threshold", None) if env.spec is not None else None
    elif target is None:
        target = SOLVED
    rng = make_rng(seed)
    sp, sv = np.array([n_obs, hidden, n_act], np.int64), np.array([n_obs, hidden, 1], np.int64)
    th_pi, th_v = _init(sp, rng), _init(sv, rng)
    th_pi[-(n_act * hidden + n_act) :] *= 0.01  # start from an almost uniform policy
    returns = np.zeros(int(episodes))
    act = ACTIVATIONS[activation]
    stop = float(target) if (stop_when_solved and target is not None) else 0.0
    t0 = time.perf_counter()
    if env is None:
        n = kernel(
            th_pi,
            sp,
            th_v,
            sv,
            act,
            int(episodes),
            float(gamma),
            float(lr),
            float(lr_value),
            int(rng.integers(2**31)),
            returns,
            stop,
        )
    else:
        n = _run_env(
            kernel,
            env,
            th_pi,
            sp,
            th_v,
            sv,
            act,
            int(episodes),
            float(gamma),
            float(lr),
            float(lr_value),
            rng,
            returns,
            stop,
        )
    seconds = time.perf_counter() - t0
    frame = pd.DataFrame({"episode": np.arange(1, n + 1), "return": returns[:n]})
    frame["trailing_mean"] = frame["return"].rolling(100, min_periods=1).mean()
    hit = (
        np.flatnonzero((frame.trailing_mean >= target) & (frame.episode >= 100))
        if target is not None
        else np.array([], int)
    )
    return PolicyGradientResult(
        frame,
        int(hit[0]) + 1 if hit.size else None,
        seconds,
        th_pi,
        sp,
        activation,
        {
            "kernel": getattr(kernel, "__name__", str(kernel)),
            "env": env,
            "episodes": episodes,
            "hidden": hidden,
            "lr": lr,
            "lr_value": lr_value,
            "gamma": gamma,
            "seed": seed,
            "activation": activation,
            "stop_when_solved": stop_when_solved,
            "target": target,
        },
    )


def _run_env(kernel, env, th_pi, sp, th_v, sv, act, episodes, gamma, lr, lr_value, rng, returns, stop):
    """The same updates as the compiled CartPole loops, stepping a gymnasium env from Python."""
    # typed lists: a Python list of arrays passed to a compiled function is a "reflected list",
    # which numba is deprecating (and warns about when it compiles)
    Z, A, M = (List(b) for b in K._buffers(sp, 1))
    p = np.empty(int(sp[-1]))
    opt = List(K._moments(th_pi, th_v))
    t = 0
    episodic = kernel is K.reinforce_cartpole
    for e in range(episodes):
        obs, _ = env.reset(seed=int(rng.integers(2**31)))
        s = np.asarray(obs, dtype=np.float64)
        states, acts, rewards, total, done = [], [], [], 0.0, False
        while not done:
            K.policy_probs(th_pi, sp, act, s, Z, A, M, p)
            a = min(int(np.searchsorted(np.cumsum(p), rng.random(), side="right")), p.size - 1)
            obs, r, term, trunc, _ = env.step(a)
            nxt = np.asarray(obs, dtype=np.float64)
            total += float(r)
            done = term or trunc
            if episodic:
                states.append(s)
                acts.append(a)
                rewards.append(float(r))
            else:
                t = K.actor_critic_update(
                    th_pi, sp, th_v, sv, act, s, a, float(r), nxt, bool(term), gamma, lr, lr_value, opt, t
                )
            s = nxt
        if episodic:
            t = K.reinforce_update(
                th_pi,
                sp,
                th_v,
                sv,
                act,
                np.array(states),
                np.array(acts, np.int64),
                np.array(rewards),
                gamma,
                lr,
                lr_value,
                opt,
                t,
            )
        returns[e] = total
        if stop and e >= 99 and returns[e - 99 : e + 1].mean() >= stop:
            return e + 1
    return episodes


def reinforce(
    episodes: int = 500,
    *,
    env=None,
    hidden: int = 32,
    lr: float = 0.01,
    lr_value: float = 0.01,
    gamma: float = 0.99,
    seed: int = 0,
    activation: str = "tanh",
    stop_when_solved: bool = True,
    target: float | None = None,
) -> PolicyGradientResult:
    """REINFORCE with a value baseline: one Adam step per episode on the normalized advantages
    ``G_t - V(s_t)`` (Williams 1992), with a softmax policy network and a value network (one
    hidden layer of ``hidden`` units each).

    ``env=None`` trains on the compiled CartPole-v1 (the whole run is one compiled call); any
    gymnasium ``Env`` (or id) with a vector observation and discrete actions is stepped from
    Python with the same compiled updates. ``target`` is the trailing-100 mean return that counts
    as solved (default: the env's ``reward_threshold``; 475 for CartPole-v1).

    Parameters
    ----------
    episodes : int, default 500
        Training episodes, in [1, 10**8] (fewer when ``stop_when_solved`` stops early).
    env : gymnasium.Env, str or None, default None
        None: the compiled CartPole-v1. Otherwise a gymnasium ``Env`` or an id for ``gymnasium.make``, with
        a flat ``Box`` observation and ``Discrete`` actions.
    hidden : int, default 32
        Units of the hidden layer of the policy and of the value network, in [1, 4096].
    lr : float, default 0.01
        Adam step size of the policy, > 0.
    lr_value : float, default 0.01
        Adam step size of the value network, > 0.
    gamma : float, default 0.99
        Discount factor, in (0, 1].
    seed : int, numpy.random.Generator, numpy.random.SeedSequence or None, default 0
        Seed of the initialization, the actions and the env resets; the same seed gives the same run. An
        integer must be >= 0.
    activation : {"relu", "tanh", "sigmoid", "gelu", "identity"}, default "tanh"
        Activation of the hidden layers (:data:`workbench.ai.ACTIVATIONS`).
    stop_when_solved : bool, default True
        Stop once the mean return of the last 100 episodes reaches ``target`` (from episode 100 on).
    target : float or None, default None
        The trailing-100 mean return that counts as solved, > 0; None: the env's ``reward_threshold``
        (475 for the compiled CartPole-v1; an env without one is never counted as solved).

    Returns
    -------
    PolicyGradientResult
        ``returns`` (one row per episode), ``solved_at``, ``seconds``, the trained ``policy`` (with
        ``act`` and ``probabilities``) and ``params``.

    Raises
    ------
    WorkbenchError
        If a parameter is out of range, ``activation`` is unknown, the seed is invalid, or ``env`` is not a
        gymnasium env with a vector observation and discrete actions.

    See Also
    --------
    actor_critic : One-step actor-critic on the same networks.

    Examples
    --------
    >>> from workbench.ai import reinforce
    >>> r = reinforce(episodes=20, seed=0)
    >>> r.returns.columns.tolist(), r.summary().episodes.item()
    (['episode', 'return', 'trailing_mean'], 20)
    """
    return _run(
        K.reinforce_cartpole, env, episodes, hidden, lr, lr_value, gamma, seed, activation, stop_when_solved, target
    )


def actor_critic(
    episodes: int = 3000,
    *,
    env=None,
    hidden: int = 32,
    lr: float = 5e-4,
    lr_value: float = 2e-3,
    gamma: float = 0.99,
    seed: int = 0,
    activation: str = "tanh",
    stop_when_solved: bool = True,
    target: float | None = None,
) -> PolicyGradientResult:
    """One-step actor-critic: the TD error drives both networks after every step (a terminal
    state does not bootstrap; a time-limit truncation does). ``env`` as in :func:`reinforce`.

    Parameters
    ----------
    episodes : int, default 3000
        Training episodes, in [1, 10**8] (fewer when ``stop_when_solved`` stops early).
    env : gymnasium.Env, str or None, default None
        None: the compiled CartPole-v1. Otherwise a gymnasium ``Env`` or an id for ``gymnasium.make``, with
        a flat ``Box`` observation and ``Discrete`` actions.
    hidden : int, default 32
        Units of the hidden layer of the policy and of the value network, in [1, 4096].
    lr : float, default 5e-4
        Adam step size of the policy, > 0.
    lr_value : float, default 2e-3
        Adam step size of the value network, > 0.
    gamma : float, default 0.99
        Discount factor, in (0, 1].
    seed : int, numpy.random.Generator, numpy.random.SeedSequence or None, default 0
        Seed of the initialization, the actions and the env resets; the same seed gives the same run. An
        integer must be >= 0.
    activation : {"relu", "tanh", "sigmoid", "gelu", "identity"}, default "tanh"
        Activation of the hidden layers (:data:`workbench.ai.ACTIVATIONS`).
    stop_when_solved : bool, default True
        Stop once the mean return of the last 100 episodes reaches ``target`` (from episode 100 on).
    target : float or None, default None
        The trailing-100 mean return that counts as solved, > 0; None: the env's ``reward_threshold``
        (475 for the compiled CartPole-v1; an env without one is never counted as solved).

    Returns
    -------
    PolicyGradientResult
        ``returns`` (one row per episode), ``solved_at``, ``seconds``, the trained ``policy`` (with
        ``act`` and ``probabilities``) and ``params``.

    Raises
    ------
    WorkbenchError
        If a parameter is out of range, ``activation`` is unknown, the seed is invalid, or ``env`` is not a
        gymnasium env with a vector observation and discrete actions.

    See Also
    --------
    reinforce : REINFORCE with a value baseline, one update per episode.

    Examples
    --------
    >>> from workbench.ai import actor_critic
    >>> r = actor_critic(episodes=20, seed=0)
    >>> len(r.returns), r.act([0.0, 0.0, 0.05, 0.0]) in (0, 1)
    (20, True)
    """
    return _run(
        K.actor_critic_cartpole, env, episodes, hidden, lr, lr_value, gamma, seed, activation, stop_when_solved, target
    )


@dataclass
class ScorerResult(Result):
    """A linear softmax scoring policy trained by :func:`reinforce_scorer`.

    ``weights`` are in the env's raw feature units: the greedy policy sends each decision to
    ``argmin(obs @ weights)`` (for the edge lab, exactly ``ScoreScheduler(weights)``).
    ``history`` has one row per iteration: the mean cost per decision over its rollouts
    (minus the mean reward) and the wall-clock seconds so far.

    Parameters
    ----------
    weights : numpy.ndarray of shape (n_features,)
        The policy's weights in raw feature units (``theta / feature_scale``).
    theta : numpy.ndarray of shape (n_features,)
        The weights on the standardized features.
    feature_mean : numpy.ndarray of shape (n_features,)
        Per-feature mean used to standardize observations.
    feature_scale : numpy.ndarray of shape (n_features,)
        Per-feature spread used to standardize observations (1 for constant features).
    history : pandas.DataFrame
        One row per iteration: iteration, cost_per_decision, seconds.
    seconds : float
        Training wall-clock time (s).
    params : dict, optional
        The inputs of :func:`reinforce_scorer`. Default: an empty dict.

    Examples
    --------
    >>> from workbench.ai.pg import reinforce_scorer
    >>> from workbench.edge import EdgeSchedulingEnv, build_scenario
    >>> env = EdgeSchedulingEnv(build_scenario("Abilene", 20, 3, 1, rate=2.0, seed=0), n_tasks=20)
    >>> r = reinforce_scorer(env, iterations=2, rollouts=2, seed=0)
    >>> obs, _ = env.reset(seed=0)
    >>> r.history.columns.tolist(), r.probabilities(obs).shape, r.act(obs)
    (['iteration', 'cost_per_decision', 'seconds'], (4,), 3)
    """

    weights: np.ndarray
    theta: np.ndarray
    feature_mean: np.ndarray
    feature_scale: np.ndarray
    history: pd.DataFrame
    seconds: float
    params: dict = field(default_factory=dict, repr=False)
    frames = ("history",)

    def summary(self) -> pd.DataFrame:
        """One row: iterations, the last iteration's cost per decision, training seconds.

        Returns
        -------
        pandas.DataFrame
            One row with columns iterations, final_cost, seconds.
        """
        h = self.history
        return one_row(
            iterations=len(h),
            final_cost=float(h.cost_per_decision.iloc[-1]) if len(h) else np.nan,
            seconds=self.seconds,
        )

    def probabilities(self, obs) -> np.ndarray:
        """The stochastic policy's action probabilities for one observation ``(n_actions, n_features)``.

        Parameters
        ----------
        obs : array-like of shape (n_actions, n_features)
            One feature row per action, in the env's raw units.

        Returns
        -------
        numpy.ndarray of shape (n_actions,)
            Probabilities proportional to ``exp(-phi_a . theta)`` on the standardized features; sums to 1.
        """
        phi = (np.asarray(obs, dtype=np.float64) - self.feature_mean) / self.feature_scale
        return _softmax_scores(phi, self.theta)

    def act(self, obs) -> int:
        """The greedy action: the lowest score ``obs @ weights``.

        Parameters
        ----------
        obs : array-like of shape (n_actions, n_features)
            One feature row per action, in the env's raw units.

        Returns
        -------
        int
            The index of the action (row) with the lowest score.
        """
        return int(np.argmin(np.asarray(obs, dtype=np.float64) @ self.weights))


def _softmax_scores(phi, theta):
    z = -(phi @ theta)
    z -= z.max()
    p = np.exp(z)
    return p / p.sum()


def _check_scorer_env(env):
    import gymnasium as gym

    if not isinstance(env, gym.Env):
        raise WorkbenchError(f"reinforce_scorer needs a gymnasium Env, got {type(env).__name__}")
    obs_sp, act_sp = env.observation_space, env.action_space
    if not isinstance(act_sp, gym.spaces.Discrete):
        raise WorkbenchError(f"reinforce_scorer needs a Discrete action space, got {act_sp}")
    if not isinstance(obs_sp, gym.spaces.Box) or len(obs_sp.shape) != 2 or obs_sp.shape[0] != act_sp.n:
        raise WorkbenchError(
            "reinforce_scorer needs observations of shape (n_actions, n_features): one feature row "
            f"per action; got {obs_sp} with {act_sp}"
        )
    return int(act_sp.n), int(obs_sp.shape[1])


def _rollout(env, seed, theta, mu, scale, rng, greedy=False):
    """One episode: per-step score-function gradients, rewards and raw observations."""
    obs, _ = env.reset(seed=seed)
    grads, rewards, seen = [], [], []
    done = False
    while not done:
        obs = np.asarray(obs, dtype=np.float64)
        seen.append(obs)
        phi = (obs - mu) / scale
        p = _softmax_scores(phi, theta)
        a = int(np.argmax(p)) if greedy else int(rng.choice(p.size, p=p))
        grads.append(p @ phi - phi[a])  # d log pi(a) / d theta for logits -phi @ theta
        obs, r, term, trunc, _ = env.step(a)
        rewards.append(float(r))
        done = term or trunc
    return np.array(grads), np.array(rewards), seen


@checked(
    WorkbenchError,
    iterations=Int(1, MAX_COUNT),
    rollouts=Int(2, MAX_COUNT),
    lr=Real(0, lo_open=True),
    gamma=Real(0, 1, lo_open=True),
)
def reinforce_scorer(
    env,
    *,
    iterations: int = 60,
    rollouts: int = 8,
    lr: float = 0.1,
    gamma: float = 1.0,
    seed=None,
    progress: bool = False,
) -> ScorerResult:
    """Train a linear softmax scoring policy on a gymnasium env whose observation holds one feature
    row per action, by REINFORCE with an input-driven baseline.

    The policy picks action ``a`` with probability proportional to ``exp(-phi_a . theta)``, where
    ``phi`` is the observation standardized per feature (mean and spread from one episode of the
    uniform policy). Each iteration replays ``rollouts`` episodes on one fresh seed (the same
    arrivals, different actions) and uses the mean return-to-go at each step across them as the
    baseline (the variance reduction of DeepRM and Decima for input-driven environments), then
    takes one Adam step. Parameters start at zero: the uniform random policy.

    Parameters
    ----------
    env : gymnasium.Env
        ``Discrete(n)`` actions and ``Box`` observations of shape ``(n, n_features)``, such as
        :class:`workbench.edge.EdgeSchedulingEnv`.
    iterations : int, default 60
        Policy updates (one Adam step each), >= 1.
    rollouts : int, default 8
        Episodes replayed per iteration on one shared seed, >= 2 (their mean is the baseline).
    lr : float, default 0.1
        Adam step size on the standardized weights, > 0.
    gamma : float, default 1.0
        Discount of the return-to-go (1.0: the whole remaining episode), in (0, 1].
    seed : int, numpy.random.Generator, numpy.random.SeedSequence or None, default None
        Seed of the episode seeds and the sampled actions; the same seed gives the same weights. An
        integer must be >= 0.
    progress : bool, default False
        Show a tqdm progress bar.

    Returns
    -------
    ScorerResult
        ``weights`` (raw feature units, for :class:`workbench.edge.ScoreScheduler`), ``history`` (one row
        per iteration), ``seconds`` and the standardization (``theta``, ``feature_mean``, ``feature_scale``).

    Raises
    ------
    WorkbenchError
        If ``iterations``, ``rollouts``, ``lr`` or ``gamma`` is out of range, the seed is invalid, or ``env``
        is not a gymnasium env with ``Discrete(n)`` actions and observations of shape ``(n, n_features)``.

    Examples
    --------
    >>> from workbench.edge import EdgeSchedulingEnv, build_scenario
    >>> env = EdgeSchedulingEnv(build_scenario("Abilene", 50, 3, 1, rate=2.0, seed=0), n_tasks=60)
    >>> r = reinforce_scorer(env, iterations=3, rollouts=2, seed=0)
    >>> r.weights.shape, len(r.history)
    ((6,), 3)
    """
    n_act, n_feat = _check_scorer_env(env)
    rng = make_rng(seed)
    t0 = time.perf_counter()
    theta = np.zeros(n_feat)
    _, _, seen = _rollout(env, int(rng.integers(2**31)), theta, np.zeros(n_feat), np.ones(n_feat), rng)
    f = np.concatenate(seen)
    mu, scale = f.mean(axis=0), f.std(axis=0)
    scale[~(scale > 1e-12 * max(1.0, float(np.abs(mu).max())))] = 1.0  # constant features: leave unscaled
    m, v = np.zeros(n_feat), np.zeros(n_feat)
    rows = []
    steps = range(int(iterations))
    if progress:
        from tqdm.auto import tqdm

        steps = tqdm(steps, desc="reinforce_scorer")
    for it in steps:
        s = int(rng.integers(2**31))
        eps = [_rollout(env, s, theta, mu, scale, rng) for _ in range(int(rollouts))]
        n = min(len(e[1]) for e in eps)  # equal for envs with a fixed number of decisions
        G = np.empty((len(eps), n))
        for k, (_, r, _) in enumerate(eps):
            acc = 0.0
            for i in range(len(r) - 1, -1, -1):
                acc = r[i] + gamma * acc
                if i < n:
                    G[k, i] = acc
        adv = G - G.mean(axis=0)
        sd = adv.std()
        if sd > 0:
            adv /= sd
        g = sum((e[0][:n] * adv[k][:, None]).sum(axis=0) for k, e in enumerate(eps)) / adv.size
        t = it + 1
        m = 0.9 * m + 0.1 * g
        v = 0.999 * v + 0.001 * g * g
        theta = theta + lr * (m / (1 - 0.9**t)) / (np.sqrt(v / (1 - 0.999**t)) + 1e-8)
        cost = -float(np.mean([e[1].sum() / len(e[1]) for e in eps]))
        rows.append({"iteration": t, "cost_per_decision": cost, "seconds": time.perf_counter() - t0})
    return ScorerResult(
        weights=theta / scale,
        theta=theta,
        feature_mean=mu,
        feature_scale=scale,
        history=pd.DataFrame(rows),
        seconds=time.perf_counter() - t0,
        params={"env": env, "iterations": iterations, "rollouts": rollouts, "lr": lr, "gamma": gamma, "seed": seed},
    )
