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
    n_tasks : int
        Tasks per episode.
    failures : Failures, optional
    miss_penalty, drop_penalty : float

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
