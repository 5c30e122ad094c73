"""AI optimization lab: metaheuristics (DE, PSO, GA, SA) and multilayer perceptrons on numba
kernels (scikit-learn API, gradcheck); forecasting and reinforcement learning to follow, used to
tune the other labs."""

from .nn import ACTIVATIONS, MLPClassifier, MLPRegressor, ModelError, gradcheck
from .optimize import METHODS, TEST_FUNCTIONS, OptimizationError, OptimizeResult, benchmark_function, minimize

__all__ = [
    "ACTIVATIONS", "MLPClassifier", "MLPRegressor", "ModelError", "gradcheck",
    "METHODS", "TEST_FUNCTIONS", "OptimizationError", "OptimizeResult", "benchmark_function", "minimize",
]
