"""Datasets of the AI lab, all offline: scikit-learn's bundled sets, the shipped time series
(:func:`workbench.ai.forecast.load_series`) and MNIST-1D generated locally.

MNIST-1D (Greydanus 2020) is a procedurally generated 1-D analogue of MNIST: ten 1-D digit
templates, padded, shifted, scaled, sheared and noised into 40-sample signals, 4,000 for training
and 1,000 for testing. :func:`load_mnist1d` calls the ``mnist1d`` package's ``make_dataset`` with
its published default arguments; it never uses the package's downloader.
"""

from __future__ import annotations

import numpy as np

from ..errors import WorkbenchError

__all__ = ["load_mnist1d"]


def load_mnist1d(seed: int | None = None):
    """``(X_train, y_train, X_test, y_test)`` of MNIST-1D, generated (``seed`` None: the paper's 42).

    Parameters
    ----------
    seed : int or None, default None
        Seed of the generator; None keeps the package's published default (42, the paper's data set).
        The same seed gives the same data.

    Returns
    -------
    X_train : numpy.ndarray of shape (4000, 40)
        Training signals (float64).
    y_train : numpy.ndarray of shape (4000,)
        Their digit labels, integers 0-9.
    X_test : numpy.ndarray of shape (1000, 40)
        Test signals (float64).
    y_test : numpy.ndarray of shape (1000,)
        Their digit labels.

    Raises
    ------
    WorkbenchError
        If the ``mnist1d`` package is not installed.

    Examples
    --------
    >>> from workbench.ai.datasets import load_mnist1d
    >>> X, y, X_test, y_test = load_mnist1d()
    >>> X.shape, X_test.shape, sorted(set(y.tolist())) == list(range(10))
    ((4000, 40), (1000, 40), True)
    """
    try:
        from mnist1d.data import get_dataset_args, make_dataset
    except ImportError:
        raise WorkbenchError(
            "MNIST-1D needs the mnist1d package (pip install mnist1d; part of the test setup)"
        ) from None
    args = get_dataset_args()
    if seed is not None:
        args.seed = int(seed)
    d = make_dataset(args)
    return (np.asarray(d["x"], float), np.asarray(d["y"]), np.asarray(d["x_test"], float), np.asarray(d["y_test"]))
