"""AI optimization lab: metaheuristics (DE, PSO, GA, SA) on numba kernels, with neural networks,
forecasting and reinforcement learning to follow, used to tune the other labs."""

from .optimize import METHODS, TEST_FUNCTIONS, OptimizationError, OptimizeResult, minimize, test_function

__all__ = ["METHODS", "TEST_FUNCTIONS", "OptimizationError", "OptimizeResult", "minimize", "test_function"]
