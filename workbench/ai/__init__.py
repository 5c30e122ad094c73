"""AI optimization lab: metaheuristics (DE, PSO, GA, SA), multilayer perceptrons (scikit-learn API,
gradcheck) and tabular reinforcement learning (Q-learning, SARSA, exact optima) on numba kernels;
convolutional and recurrent networks, forecasting, policy gradients and the cross-lab studies follow."""

from .nn import ACTIVATIONS, MLPClassifier, MLPRegressor, ModelError, gradcheck
from .rl import RLError, TabularEnv, TabularResult, q_learning, sarsa
from .optimize import METHODS, TEST_FUNCTIONS, OptimizationError, OptimizeResult, benchmark_function, minimize

__all__ = [
    "ACTIVATIONS", "MLPClassifier", "MLPRegressor", "ModelError", "gradcheck",
    "METHODS", "TEST_FUNCTIONS", "OptimizationError", "OptimizeResult", "benchmark_function", "minimize",
    "RLError", "TabularEnv", "TabularResult", "q_learning", "sarsa",
]
