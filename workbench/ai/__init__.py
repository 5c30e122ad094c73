"""AI optimization lab: metaheuristics (DE, PSO, GA, SA), multilayer perceptrons (scikit-learn API,
gradcheck), tabular reinforcement learning (Q-learning, SARSA, exact optima) and forecasting
(baselines, Holt-Winters, ridge on lags, rolling origin) on numba kernels; convolutional and
recurrent networks, policy gradients and the cross-lab studies follow."""

from .forecast import FORECASTERS, ForecastError, compare_forecasts, forecast, load_series, mape, rmse, rolling_origin
from .nn import ACTIVATIONS, MLPClassifier, MLPRegressor, ModelError, gradcheck
from .rl import RLError, TabularEnv, TabularResult, q_learning, sarsa
from .optimize import METHODS, TEST_FUNCTIONS, OptimizationError, OptimizeResult, benchmark_function, minimize

__all__ = [
    "ACTIVATIONS", "MLPClassifier", "MLPRegressor", "ModelError", "gradcheck",
    "METHODS", "TEST_FUNCTIONS", "OptimizationError", "OptimizeResult", "benchmark_function", "minimize",
    "RLError", "TabularEnv", "TabularResult", "q_learning", "sarsa",
    "FORECASTERS", "ForecastError", "compare_forecasts", "forecast", "load_series", "mape", "rmse", "rolling_origin",
]
