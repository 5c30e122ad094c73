"""Tabular reinforcement learning on numba: Q-learning and SARSA on any gymnasium environment
with discrete states and actions, next to the exact optimum.

A gymnasium toy-text environment (FrozenLake, Taxi, CliffWalking, ...) exposes its full
transition table ``P[s][a] = [(prob, next, reward, done), ...]``. :class:`TabularEnv` turns it
into arrays, so learning runs compiled (hundreds of times gymnasium's step rate), and dynamic
programming on the same table gives the exact optimum within the episode limit: results read
as "% of optimal" with no sampling noise, because the learned greedy policy is also evaluated
exactly.

Examples
--------
>>> env = TabularEnv.from_gymnasium("FrozenLake-v1", is_slippery=True)
>>> round(env.optimum(), 4)        # best success rate within the 100-step limit
0.7442
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import MAX_COUNT, Array, Int, KernelSeed, Real, WorkbenchError, check, check_memory, check_real
from ..results import Result, one_row
from . import _kernels as K

__all__ = ["RLError", "TabularEnv", "TabularResult", "q_learning", "sarsa"]


class RLError(WorkbenchError):
    """An environment or setting the tabular methods cannot use (continuous spaces, bad rates, ...).

    A :class:`~workbench.errors.WorkbenchError` (so a :class:`ValueError`) whose message says what is allowed.

    Examples
    --------
    >>> from workbench.ai import RLError, TabularEnv
    >>> try:
    ...     TabularEnv.from_gymnasium("CartPole-v1")
    ... except RLError as err:
    ...     print(str(err)[:59])
    tabular methods need Discrete observation and action spaces
    """


@dataclass
class TabularEnv:
    """A finite MDP as arrays: outcome ``k`` of action ``a`` in state ``s`` has probability
    ``probs[s, a, k]``, leads to ``nxt[s, a, k]`` with reward ``rew[s, a, k]`` and ends the episode
    when ``done[s, a, k]``; episodes start from ``isd`` and stop after ``max_steps``.

    Parameters
    ----------
    probs : numpy.ndarray of shape (n_states, n_actions, n_outcomes)
        Outcome probabilities, in [0, 1], summing to 1 over the outcomes of each (state, action) (to 1e-6).
    nxt : numpy.ndarray of shape (n_states, n_actions, n_outcomes)
        Next state of each outcome, integers in [0, n_states).
    rew : numpy.ndarray of shape (n_states, n_actions, n_outcomes)
        Reward of each outcome, finite.
    done : numpy.ndarray of shape (n_states, n_actions, n_outcomes)
        Whether each outcome ends the episode (booleans or integers).
    isd : numpy.ndarray of shape (n_states,)
        Initial state distribution, >= 0 and summing to 1 (to 1e-6).
    max_steps : int
        Episode length limit, in [1, 2**31 - 1].
    name : str, default "env"
        A label (:meth:`from_gymnasium` uses the env's id).

    Raises
    ------
    RLError
        If an array has the wrong shape, type or values (probabilities that do not sum to 1, a next state
        out of range, a start distribution that does not sum to 1), or ``max_steps`` is out of range. The
        arrays are checked again before each use.

    Examples
    --------
    >>> import numpy as np
    >>> from workbench.ai import TabularEnv
    >>> bandit = TabularEnv(                      # one state; action 1 pays 1 and ends the episode
    ...     np.ones((1, 2, 1)), np.zeros((1, 2, 1), int), np.array([[[0.0], [1.0]]]),
    ...     np.ones((1, 2, 1), bool), np.ones(1), max_steps=10)
    >>> bandit.n_states, bandit.n_actions, bandit.optimum(), bandit.policy_value(np.array([0]))
    (1, 2, 1.0, 0.0)
    """

    probs: np.ndarray
    nxt: np.ndarray
    rew: np.ndarray
    done: np.ndarray
    isd: np.ndarray
    max_steps: int
    name: str = "env"

    def __post_init__(self):
        self._validate()

    def _validate(self) -> None:
        """Check the arrays the compiled kernels index without bounds checks (again before each use:
        the arrays of a dataclass can be replaced or edited in place)."""
        probs = check("probs", self.probs, Array(ndim=3, lo=0, hi=1), RLError)
        S, A, Kk = probs.shape
        if S < 1 or A < 1 or Kk < 1:
            raise RLError(f"probs must have shape (states, actions, outcomes) with each >= 1, got {probs.shape}")
        nxt = check("nxt", self.nxt, Array("int64", shape=probs.shape, lo=0, hi=S - 1, integer=True), RLError)
        rew = check("rew", self.rew, Array(shape=probs.shape), RLError)
        done = np.asarray(self.done)
        if done.shape != probs.shape or done.dtype.kind not in "biu":
            raise RLError(f"done must be a boolean array of shape {probs.shape}, got {done.dtype} {done.shape}")
        if not np.allclose(probs.sum(axis=2), 1.0, atol=1e-6):
            s, a = np.argwhere(~np.isclose(probs.sum(axis=2), 1.0, atol=1e-6))[0]
            raise RLError(f"the outcome probabilities of state {s}, action {a} sum to {probs[s, a].sum():g}, not 1")
        isd = check("isd", self.isd, Array(shape=(S,), lo=0), RLError)
        if not abs(isd.sum() - 1.0) <= 1e-6:
            raise RLError(f"isd (the start distribution) must sum to 1, got {isd.sum():g}")
        self.max_steps = check("max_steps", self.max_steps, Int(1, 2**31 - 1), RLError)
        self.probs, self.nxt, self.rew, self.done, self.isd = probs, nxt, rew, done.astype(np.bool_), isd

    def _policy(self, policy) -> np.ndarray:
        pol = np.asarray(policy)
        if pol.shape != (self.n_states,) or pol.dtype.kind not in "iu" or pol.min() < 0 or pol.max() >= self.n_actions:
            raise RLError(
                f"a policy gives one action (an integer in [0, {self.n_actions})) for each of {self.n_states} "
                f"states, got {pol.dtype} array of shape {pol.shape}"
            )
        return pol.astype(np.int64)

    def _horizon(self, horizon) -> int:
        return self.max_steps if horizon is None else check("horizon", horizon, Int(1, 2**31 - 1), RLError)

    @property
    def n_states(self) -> int:
        """Number of states.

        Returns
        -------
        int
            ``probs.shape[0]``.
        """
        return self.probs.shape[0]

    @property
    def n_actions(self) -> int:
        """Number of actions.

        Returns
        -------
        int
            ``probs.shape[1]``.
        """
        return self.probs.shape[1]

    @classmethod
    def from_gymnasium(cls, env, **kwargs) -> TabularEnv:
        """From a gymnasium env (or its id plus ``gymnasium.make`` keyword arguments).

        Parameters
        ----------
        env : gymnasium.Env or str
            An env with ``Discrete`` observation and action spaces and a transition table ``P`` (the
            toy-text envs), or its id.
        **kwargs
            Keyword arguments of ``gymnasium.make`` when ``env`` is an id (e.g. ``is_slippery=False``).

        Returns
        -------
        TabularEnv
            The env's table as arrays; ``max_steps`` is the env's ``max_episode_steps`` (1000 if it has
            none) and ``name`` its id.

        Raises
        ------
        RLError
            If gymnasium cannot make the env, ``env`` is neither an Env nor an id, its spaces are not
            ``Discrete``, or it has no transition table.

        Examples
        --------
        >>> from workbench.ai import TabularEnv
        >>> env = TabularEnv.from_gymnasium("FrozenLake-v1", is_slippery=False)
        >>> env.n_states, env.n_actions, env.max_steps, env.optimum()
        (16, 4, 100, 1.0)
        """
        import gymnasium as gym

        if isinstance(env, str):
            try:
                env = gym.make(env, **kwargs)
            except gym.error.Error as err:
                raise RLError(f"gymnasium cannot make {env!r}: {err}") from None
        elif not isinstance(env, gym.Env):
            raise RLError(f"expected a gymnasium Env or its id, got {type(env).__name__}")
        u = env.unwrapped
        if not (
            isinstance(env.observation_space, gym.spaces.Discrete) and isinstance(env.action_space, gym.spaces.Discrete)
        ):
            raise RLError(
                "tabular methods need Discrete observation and action spaces, got "
                f"{env.observation_space} and {env.action_space}"
            )
        P = getattr(u, "P", None)
        if P is None:
            raise RLError(f"{type(u).__name__} has no transition table P; tabular methods need one")
        S, A = env.observation_space.n, env.action_space.n
        Kmax = max(len(P[s][a]) for s in range(S) for a in range(A))
        probs, nxt = np.zeros((S, A, Kmax)), np.zeros((S, A, Kmax), np.int64)
        rew, done = np.zeros((S, A, Kmax)), np.zeros((S, A, Kmax), np.bool_)
        for s in range(S):
            for a in range(A):
                for k, (p, s2, r, d) in enumerate(P[s][a]):
                    probs[s, a, k], nxt[s, a, k], rew[s, a, k], done[s, a, k] = p, s2, r, d
        isd = np.asarray(getattr(u, "initial_state_distrib", np.eye(S)[0]), dtype=np.float64)
        steps = env.spec.max_episode_steps if env.spec and env.spec.max_episode_steps else 1000
        return cls(probs, nxt, rew, done, isd / isd.sum(), int(steps), env.spec.id if env.spec else type(u).__name__)

    def optimum(self, horizon: int | None = None) -> float:
        """Best expected (undiscounted) return within ``horizon`` steps (default: the episode limit).

        Parameters
        ----------
        horizon : int or None, default None
            Steps, in [1, 2**31 - 1]; None: ``max_steps``.

        Returns
        -------
        float
            The optimal expected return from the start distribution, by dynamic programming.

        Raises
        ------
        RLError
            If ``horizon`` is out of range or the arrays are no longer valid.
        """
        self._validate()
        V, _ = K.finite_horizon(
            self.probs, self.nxt, self.rew, self.done, self._horizon(horizon), np.empty(0, np.int64)
        )
        return float(self.isd @ V)

    def policy_value(self, policy, horizon: int | None = None) -> float:
        """Exact expected return of a deterministic policy (one action per state) within ``horizon`` steps.

        Parameters
        ----------
        policy : array-like of int, shape (n_states,)
            The action taken in each state, integers in [0, n_actions).
        horizon : int or None, default None
            Steps, in [1, 2**31 - 1]; None: ``max_steps``.

        Returns
        -------
        float
            The policy's expected undiscounted return from the start distribution.

        Raises
        ------
        RLError
            If ``policy`` is not one valid action per state, ``horizon`` is out of range, or the arrays are
            no longer valid.
        """
        self._validate()
        pol = self._policy(policy)
        V, _ = K.finite_horizon(self.probs, self.nxt, self.rew, self.done, self._horizon(horizon), pol)
        return float(self.isd @ V)

    def rollout(self, policy, episodes: int = 1000, seed: int = 0) -> np.ndarray:
        """Sampled returns of a deterministic policy (compiled).

        Parameters
        ----------
        policy : array-like of int, shape (n_states,)
            The action taken in each state, integers in [0, n_actions).
        episodes : int, default 1000
            Episodes to sample, >= 1 (each at most ``max_steps`` steps).
        seed : int, default 0
            Seed of the sampling, in [0, 2**32); the same seed gives the same returns.

        Returns
        -------
        numpy.ndarray of shape (episodes,)
            The undiscounted return of each episode.

        Raises
        ------
        RLError
            If ``policy``, ``episodes`` or ``seed`` is invalid, the returns would not fit in memory, or the
            arrays are no longer valid.
        """
        self._validate()
        pol = self._policy(policy)
        episodes = check("episodes", episodes, Int(1, MAX_COUNT), RLError)
        seed = check("seed", seed, KernelSeed(), RLError)
        check_memory(f"the returns of {episodes:,} episodes", 8 * episodes, error=RLError)
        out, _ = K.rollouts(self.probs, self.nxt, self.rew, self.done, self.isd, pol, episodes, self.max_steps, seed)
        return out


@dataclass
class TabularResult(Result):
    """A learned Q table, its greedy policy, the exact value of that policy and the optimum; ``summary()``
    one row, frame ``returns`` (every episode), ``params`` the inputs.

    Parameters
    ----------
    Q : numpy.ndarray of shape (n_states, n_actions)
        The learned action values.
    policy : numpy.ndarray of shape (n_states,)
        The greedy policy of ``Q`` (the first best action in each state).
    value : float, default 0.0
        The exact expected return of ``policy`` within the episode limit.
    optimum : float, default 0.0
        The best expected return possible within the episode limit.
    returns : pandas.DataFrame, optional
        One row per training episode: episode, return, trailing_mean (over the last 100 episodes, or
        fewer). Default None.
    params : dict, optional
        The inputs of the training function. Default: an empty dict.

    Examples
    --------
    >>> from workbench.ai import q_learning
    >>> r = q_learning("FrozenLake-v1", 500, seed=0)
    >>> r.Q.shape, r.policy.shape, len(r.returns), r.optimum > 0
    ((16, 4), (16,), 500, True)
    """

    Q: np.ndarray = field(repr=False)
    policy: np.ndarray = field(repr=False)
    value: float = 0.0
    optimum: float = 0.0
    returns: pd.DataFrame = field(default=None, repr=False)
    params: dict = field(default_factory=dict, repr=False)
    frames = ("returns",)

    def summary(self) -> pd.DataFrame:
        """One row: episodes, the greedy policy's exact value, the optimum and the percentage reached.

        Returns
        -------
        pandas.DataFrame
            One row with columns episodes, value, optimum, percent_of_optimal.
        """
        return one_row(
            episodes=len(self.returns),
            value=self.value,
            optimum=self.optimum,
            percent_of_optimal=self.percent_of_optimal,
        )

    @property
    def percent_of_optimal(self) -> float:
        """The greedy policy's exact value as a percentage of the optimum.

        Returns
        -------
        float
            ``100 * value / optimum``; NaN when the optimum is 0.
        """
        return 100.0 * self.value / self.optimum if self.optimum else float("nan")


def _td(env, episodes, sarsa_, *, alpha, alpha_min, gamma, epsilon, epsilon_min, decay, seed, Q0):
    if not isinstance(env, TabularEnv):
        env = TabularEnv.from_gymnasium(env)
    env._validate()
    episodes = check("episodes", episodes, Int(1, 2**31 - 1), RLError)
    seed = check("seed", seed, KernelSeed(), RLError)
    Q0 = check("Q0", Q0, Real(), RLError)
    check_memory(f"the returns of {episodes:,} episodes", 40 * episodes, error=RLError)
    for name, v, lo, hi in (
        ("alpha", alpha, 0, 1),
        ("alpha_min", alpha_min, 0, 1),
        ("gamma", gamma, 0, 1),
        ("epsilon", epsilon, 0, 1),
        ("epsilon_min", epsilon_min, 0, 1),
        ("decay", decay, 0, 1),
    ):
        check_real(name, v, minimum=lo, maximum=hi, error=RLError)
    Q = np.full((env.n_states, env.n_actions), float(Q0))
    returns = np.empty(int(episodes))
    K.td_control(
        env.probs,
        env.nxt,
        env.rew,
        env.done,
        env.isd,
        Q,
        int(episodes),
        env.max_steps,
        float(alpha),
        float(alpha_min),
        float(gamma),
        float(epsilon),
        float(epsilon_min),
        int(decay * episodes),
        bool(sarsa_),
        int(seed),
        returns,
    )
    policy = np.argmax(Q, axis=1)
    frame = pd.DataFrame({"episode": np.arange(1, episodes + 1), "return": returns})
    frame["trailing_mean"] = frame["return"].rolling(min(100, int(episodes)), min_periods=1).mean()
    return TabularResult(
        Q,
        policy,
        env.policy_value(policy),
        env.optimum(),
        frame,
        {
            "env": env,
            "episodes": episodes,
            "sarsa": sarsa_,
            "alpha": alpha,
            "alpha_min": alpha_min,
            "gamma": gamma,
            "epsilon": epsilon,
            "epsilon_min": epsilon_min,
            "decay": decay,
            "seed": seed,
            "Q0": Q0,
        },
    )


def q_learning(
    env,
    episodes: int = 10_000,
    *,
    alpha: float = 0.1,
    alpha_min: float = 0.01,
    gamma: float = 0.99,
    epsilon: float = 1.0,
    epsilon_min: float = 0.01,
    decay: float = 0.8,
    seed: int = 0,
    Q0: float = 0.0,
) -> TabularResult:
    """Q-learning (Watkins 1989): off-policy TD control with an epsilon-greedy behaviour policy.

    Epsilon and the step size fall linearly to their minimum over the first ``decay`` fraction
    of the episodes. The greedy policy of the final Q table is evaluated exactly.

    Parameters
    ----------
    env : TabularEnv, gymnasium.Env or str
        The environment; a gymnasium env or id goes through :meth:`TabularEnv.from_gymnasium` (use it
        directly to pass ``gymnasium.make`` arguments).
    episodes : int, default 10_000
        Training episodes, in [1, 2**31 - 1].
    alpha : float, default 0.1
        Initial step size, in [0, 1].
    alpha_min : float, default 0.01
        Final step size, in [0, 1].
    gamma : float, default 0.99
        Discount factor of the TD target, in [0, 1] (the reported values are undiscounted).
    epsilon : float, default 1.0
        Initial exploration rate of the epsilon-greedy behaviour, in [0, 1].
    epsilon_min : float, default 0.01
        Final exploration rate, in [0, 1].
    decay : float, default 0.8
        Fraction of the episodes over which ``epsilon`` and ``alpha`` fall linearly to their minimum, in
        [0, 1].
    seed : int, default 0
        Seed of the compiled run, in [0, 2**32); the same seed gives the same Q table.
    Q0 : float, default 0.0
        Initial value of every Q entry (optimistic values encourage exploration), finite.

    Returns
    -------
    TabularResult
        ``Q``, the greedy ``policy``, its exact ``value``, the ``optimum``, ``percent_of_optimal`` and the
        ``returns`` frame (one row per episode).

    Raises
    ------
    RLError
        If the env cannot be used (see :class:`TabularEnv`) or a parameter is out of range.

    See Also
    --------
    sarsa : The on-policy counterpart.

    Examples
    --------
    >>> from workbench.ai import TabularEnv, q_learning
    >>> env = TabularEnv.from_gymnasium("FrozenLake-v1", is_slippery=False)
    >>> r = q_learning(env, 2000, seed=0)
    >>> r.value, r.optimum, r.percent_of_optimal
    (1.0, 1.0, 100.0)
    """
    return _td(
        env,
        episodes,
        False,
        alpha=alpha,
        alpha_min=alpha_min,
        gamma=gamma,
        epsilon=epsilon,
        epsilon_min=epsilon_min,
        decay=decay,
        seed=seed,
        Q0=Q0,
    )


def sarsa(
    env,
    episodes: int = 10_000,
    *,
    alpha: float = 0.1,
    alpha_min: float = 0.01,
    gamma: float = 0.99,
    epsilon: float = 1.0,
    epsilon_min: float = 0.01,
    decay: float = 0.8,
    seed: int = 0,
    Q0: float = 0.0,
) -> TabularResult:
    """SARSA (Rummery & Niranjan 1994): on-policy TD control; same schedule as :func:`q_learning`.

    Parameters
    ----------
    env : TabularEnv, gymnasium.Env or str
        The environment; a gymnasium env or id goes through :meth:`TabularEnv.from_gymnasium` (use it
        directly to pass ``gymnasium.make`` arguments).
    episodes : int, default 10_000
        Training episodes, in [1, 2**31 - 1].
    alpha : float, default 0.1
        Initial step size, in [0, 1].
    alpha_min : float, default 0.01
        Final step size, in [0, 1].
    gamma : float, default 0.99
        Discount factor of the TD target, in [0, 1] (the reported values are undiscounted).
    epsilon : float, default 1.0
        Initial exploration rate of the epsilon-greedy behaviour, in [0, 1].
    epsilon_min : float, default 0.01
        Final exploration rate, in [0, 1].
    decay : float, default 0.8
        Fraction of the episodes over which ``epsilon`` and ``alpha`` fall linearly to their minimum, in
        [0, 1].
    seed : int, default 0
        Seed of the compiled run, in [0, 2**32); the same seed gives the same Q table.
    Q0 : float, default 0.0
        Initial value of every Q entry (optimistic values encourage exploration), finite.

    Returns
    -------
    TabularResult
        ``Q``, the greedy ``policy``, its exact ``value``, the ``optimum``, ``percent_of_optimal`` and the
        ``returns`` frame (one row per episode).

    Raises
    ------
    RLError
        If the env cannot be used (see :class:`TabularEnv`) or a parameter is out of range.

    See Also
    --------
    q_learning : The off-policy counterpart.

    Examples
    --------
    >>> from workbench.ai import TabularEnv, sarsa
    >>> env = TabularEnv.from_gymnasium("FrozenLake-v1", is_slippery=False)
    >>> r = sarsa(env, 2000, seed=0)
    >>> r.summary().percent_of_optimal.item()
    100.0
    """
    return _td(
        env,
        episodes,
        True,
        alpha=alpha,
        alpha_min=alpha_min,
        gamma=gamma,
        epsilon=epsilon,
        epsilon_min=epsilon_min,
        decay=decay,
        seed=seed,
        Q0=Q0,
    )
