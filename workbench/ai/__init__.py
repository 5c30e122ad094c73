"""AI optimization lab: metaheuristics (DE, PSO, GA, SA), multilayer perceptrons, gated recurrent
units and 1-D and 2-D convolutional networks (scikit-learn API, gradcheck), reinforcement learning (tabular
Q-learning and SARSA against exact optima; REINFORCE and actor-critic on a compiled CartPole) and
forecasting (baselines, Holt-Winters, ridge on lags, rolling origin) on numba kernels, with studies
applying them to the other labs (``workbench.ai.studies``)."""

from .cnn import Conv1DClassifier, Conv2DClassifier
from .forecast import (
    FORECASTERS,
    ForecastError,
    ForecastResult,
    compare_forecasts,
    forecast,
    load_series,
    mape,
    rmse,
    rolling_origin,
)
from .nn import ACTIVATIONS, MLPClassifier, MLPRegressor, ModelError, gradcheck
from .optimize import METHODS, TEST_FUNCTIONS, OptimizationError, OptimizeResult, benchmark_function, minimize
from .pg import PolicyGradientResult, actor_critic, reinforce
from .rl import RLError, TabularEnv, TabularResult, q_learning, sarsa
from .rnn import GRUClassifier, GRURegressor, RNNClassifier, RNNRegressor

__all__ = [
    "ACTIVATIONS",
    "MLPClassifier",
    "MLPRegressor",
    "ModelError",
    "gradcheck",
    "GRUClassifier",
    "GRURegressor",
    "RNNClassifier",
    "RNNRegressor",
    "Conv1DClassifier",
    "Conv2DClassifier",
    "METHODS",
    "TEST_FUNCTIONS",
    "OptimizationError",
    "OptimizeResult",
    "benchmark_function",
    "minimize",
    "RLError",
    "TabularEnv",
    "TabularResult",
    "q_learning",
    "sarsa",
    "PolicyGradientResult",
    "actor_critic",
    "reinforce",
    "FORECASTERS",
    "ForecastError",
    "compare_forecasts",
    "forecast",
    "ForecastResult",
    "load_series",
    "mape",
    "rmse",
    "rolling_origin",
]
