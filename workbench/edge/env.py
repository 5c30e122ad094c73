"""A gymnasium environment over the compiled engine: an agent places each task on a node."""

from __future__ import annotations

import gymnasium as gym
import numpy as np

from ..errors import MAX_COUNT, Int, Real, check
from . import _kernels as K
from .sim import EdgeSimError, Engine, Failures, Scenario

__all__ = ["EdgeSchedulingEnv"]


class EdgeSchedulingEnv(gym.Env):
    """Dispatch each arriving task of a :class:`Scenario` to a node (gymnasium ``Env`` API).

    Observation
        ``(n_nodes, 6)`` float64 array: for the task waiting to be placed, each node's network
        latency (s), load per core, estimated queueing wait (s), execution time (s), cloud flag
        and input transfer time (s) -- the same features :class:`ScoreScheduler` weighs.
    Action
        ``Discrete(n_nodes)``: the node to send the task to (a node known to be down drops it).
    Reward
        minus the response time (s) of every task that finished since the last decision, minus
        ``miss_penalty`` per missed deadline and ``drop_penalty`` per dropped task.
    Episode
        ends when ``n_tasks`` tasks were generated and all have finished (``terminated``).

    Parameters
    ----------
    scenario : Scenario
        The devices, nodes and network simulated (e.g. from :func:`~workbench.edge.build_scenario`).
    n_tasks : int, default 10_000
        Tasks per episode, >= 1.
    failures : Failures or None, default None
        Node and link failures during each episode; None: none.
    miss_penalty : float, default 1.0
        Penalty per missed deadline, in reward units (seconds of response time), >= 0.
    drop_penalty : float, default 10.0
        Penalty per dropped task, in reward units (seconds of response time), >= 0.

    Raises
    ------
    EdgeSimError
        If ``scenario`` is not a Scenario, ``failures`` is not a Failures, or ``n_tasks`` or a penalty is out
        of range.

    Examples
    --------
    >>> from workbench.edge import queue_scenario
    >>> env = EdgeSchedulingEnv(queue_scenario(0.5, 1.0, 2), n_tasks=5)
    >>> obs, info = env.reset(seed=0)
    >>> obs.shape
    (1, 6)
    >>> done = False
    >>> while not done:
    ...     obs, reward, done, truncated, info = env.step(0)
    >>> info["completed"]
    5
    """

    metadata = {"render_modes": []}

    def __init__(
        self,
        scenario: Scenario,
        n_tasks: int = 10_000,
        *,
        failures: Failures | None = None,
        miss_penalty: float = 1.0,
        drop_penalty: float = 10.0,
    ):
        if not isinstance(scenario, Scenario):
            raise EdgeSimError(f"expected a Scenario, got {type(scenario).__name__}")
        self.scenario = scenario
        self.n_tasks = check("n_tasks", n_tasks, Int(1, MAX_COUNT), EdgeSimError)
        if failures is not None and not isinstance(failures, Failures):
            raise EdgeSimError(f"failures must be a Failures, got {type(failures).__name__}")
        self.failures = failures
        self.miss_penalty = check("miss_penalty", miss_penalty, Real(0), EdgeSimError)
        self.drop_penalty = check("drop_penalty", drop_penalty, Real(0), EdgeSimError)
        n = scenario.n_nodes
        self.action_space = gym.spaces.Discrete(n)
        self.observation_space = gym.spaces.Box(0.0, np.inf, shape=(n, K.N_FEATURES), dtype=np.float64)
        self.engine: Engine | None = None

    def _totals(self):
        e = self.engine
        return (e.sf[K.SF_RESP_SUM], int(e.si[K.SI_MISSED]), int(e.si[K.SI_DROPPED]))

    def _info(self):
        e = self.engine
        return {
            "time_s": e.now,
            "generated": int(e.si[K.SI_GEN]),
            "completed": int(e.si[K.SI_DONE]),
            "dropped": int(e.si[K.SI_DROPPED]),
            "missed": int(e.si[K.SI_MISSED]),
        }

    def reset(self, *, seed=None, options=None):
        """Start a new episode and run it up to the first decision.

        Parameters
        ----------
        seed : int or None, default None
            Seed of the env's generator (gymnasium's convention), from which the simulation's seed is drawn;
            the same seed gives the same arrivals. None keeps the current generator going.
        options : dict or None, default None
            Unused (part of the gymnasium API).

        Returns
        -------
        observation : numpy.ndarray of shape (n_nodes, 6)
            The features of each node for the first task to place.
        info : dict
            ``time_s`` (simulated time), ``generated``, ``completed``, ``dropped`` and ``missed`` task counts.
        """
        super().reset(seed=seed)
        s = int(self.np_random.integers(0, 2**62))
        self.engine = Engine(
            self.scenario,
            "external",
            seed=s,
            failures=self.failures,
            horizon_hint_s=self.n_tasks / self.scenario.total_rate(),
        )
        self._last = self._totals()
        st = self.engine.advance(self.n_tasks)
        self._done = st != K.ST_DECIDE
        return self.engine.feats.copy(), self._info()

    def step(self, action):
        """Send the waiting task to node ``action`` and run the simulation up to the next decision.

        Parameters
        ----------
        action : int
            Node index, in [0, n_nodes).

        Returns
        -------
        observation : numpy.ndarray of shape (n_nodes, 6)
            The node features for the next task to place (the last ones once the episode has ended).
        reward : float
            Minus the response time (s) of every task finished since the last decision, minus
            ``miss_penalty`` per missed deadline and ``drop_penalty`` per dropped task.
        terminated : bool
            Whether all ``n_tasks`` tasks were generated and have finished.
        truncated : bool
            Always False.
        info : dict
            ``time_s`` (simulated time), ``generated``, ``completed``, ``dropped`` and ``missed`` task counts.

        Raises
        ------
        EdgeSimError
            If :meth:`reset` was not called, the episode has ended, or ``action`` is not a node index.
        """
        if self.engine is None:
            raise EdgeSimError("call reset() before step()")
        if self._done:
            raise EdgeSimError("the episode has ended; call reset()")
        a = int(action)
        if not 0 <= a < self.scenario.n_nodes:
            raise EdgeSimError(f"action must be a node index in 0..{self.scenario.n_nodes - 1}, got {action!r}")
        st = self.engine.advance(self.n_tasks, action=a)
        self._done = st != K.ST_DECIDE
        now = self._totals()
        reward = -(
            (now[0] - self._last[0])
            + self.miss_penalty * (now[1] - self._last[1])
            + self.drop_penalty * (now[2] - self._last[2])
        )
        self._last = now
        return self.engine.feats.copy(), float(reward), self._done, False, self._info()
