"""Convolutional networks on numba kernels with a scikit-learn API.

:class:`Conv1DClassifier` stacks two blocks of (valid convolution, ReLU, max pooling) and a dense
softmax layer, the architecture of the MNIST-1D paper's CNN (Greydanus 2020); inputs are
``(n_samples, length)`` or ``(n_samples, channels, length)``. :class:`Conv2DClassifier` does the
same on images ``(n_samples, height, width)`` or ``(n_samples, channels, height, width)`` with
square kernels and pools, with one block or two. Both run on the same kernels (a signal is an
image of height 1, convolutions are im2col matrix products); training is minibatch Adam;
:func:`workbench.ai.gradcheck` checks the gradient.

Examples
--------
>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> X = rng.normal(size=(400, 32))
>>> y = rng.integers(0, 2, 400)
>>> X[y == 1, 10:14] += 3.0                      # class 1 carries a bump somewhere in the middle
>>> clf = Conv1DClassifier(channels=(8, 8), epochs=15, random_state=0).fit(X[:300], y[:300])
>>> bool(clf.score(X[300:], y[300:]) > 0.9)
True
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin

from ..errors import Int, Real, Seed, WorkbenchError, make_rng, validate_params
from . import _kernels as K
from .nn import ModelError, encode_labels, softmax_rows

__all__ = ["Conv1DClassifier", "Conv2DClassifier"]


def _check_input(X, ndim, what, shape=None) -> np.ndarray:
    """As (n, C, H, W); ``ndim`` is 1 for signals, 2 for images."""
    try:
        X = np.asarray(X, dtype=np.float64)
    except (TypeError, ValueError):
        raise ModelError(f"X must be numeric {what}s") from None
    if X.ndim == ndim + 1:
        X = X[:, None]
    if X.ndim != ndim + 2 or 0 in X.shape:
        dims = "length" if ndim == 1 else "height, width"
        raise ModelError(f"X must be (n_samples, {dims}) or (n_samples, channels, {dims}), got {X.shape}")
    if not np.isfinite(X).all():
        raise ModelError("X contains NaN or infinity")
    if ndim == 1:
        X = X[:, :, None, :]
    if shape is not None and X.shape[1:] != shape:
        raise ModelError(f"X has {what}s of shape {X.shape[1:]}, the model was fitted on {shape}")
    return np.ascontiguousarray(X)


class _ConvNet(ClassifierMixin, BaseEstimator):
    _ndim = 1
    _what = "signal"
    _parameter_constraints = {
        "kernel_size": Int(1, 1024),
        "pool": Int(1, 1024),
        "learning_rate": Real(0, lo_open=True),
        "batch_size": Int(1, 2**62),
        "epochs": Int(1, 10**7),
        "random_state": Seed(),
    }
    _min_blocks = 2

    def _dims(self, C0, H0, W0, n_classes):
        try:
            ch = [Int(1, 4096).check("channels", c, ModelError) for c in self.channels]
        except (TypeError, WorkbenchError):
            ch = []
        if not self._min_blocks <= len(ch) <= 2 or min(ch) < 1:
            allowed = "two" if self._min_blocks == 2 else "one or two"
            raise ModelError(f"channels must be {allowed} positive ints, got {self.channels!r}")
        C1, C2 = ch[0], (ch[1] if len(ch) == 2 else 0)
        validate_params(self, self._parameter_constraints, ModelError)
        k, p = int(self.kernel_size), int(self.pool)
        kh, ph = (1, 1) if self._ndim == 1 else (k, p)
        H1, W1, H2, W2, F, n = K.cnn_sizes(C0, H0, W0, C1, C2, kh, k, ph, p, n_classes)
        if min(H2, W2) < 1:
            raise ModelError(
                f"{self._what}s of shape {(H0, W0) if self._ndim == 2 else W0} are too short for "
                f"{1 + (C2 > 0)} blocks of kernel {k} and pooling {p}"
            )
        return K.CNNShape(int(C0), int(H0), int(W0), C1, C2, kh, k, ph, p, int(n_classes)), F, n

    def _init(self, dims, F, n, rng):
        C0, H0, W0, C1, C2, kh, kw, ph, pw, Kc = dims
        theta = np.zeros(n)
        o = 0
        layers = [(C0 * kh * kw, C1 * C0 * kh * kw, C1)]
        if C2:
            layers.append((C1 * kh * kw, C2 * C1 * kh * kw, C2))
        for fan_in, count, bias in layers + [(F, F * Kc, Kc)]:
            lim = np.sqrt(6.0 / fan_in)
            theta[o : o + count] = rng.uniform(-lim, lim, count)
            o += count + bias
        return theta

    def _encode(self, y, n):
        return encode_labels(self, y, n, self._what)

    def fit(self, X, y):
        """Train for ``epochs`` passes; same ``random_state``, identical weights and curve.

        Parameters
        ----------
        X : array-like
            Training inputs: signals ``(n_samples, length)`` or ``(n_samples, channels, length)`` for
            :class:`Conv1DClassifier`, images ``(n_samples, height, width)`` or
            ``(n_samples, channels, height, width)`` for :class:`Conv2DClassifier`; finite numbers.
        y : array-like of shape (n_samples,)
            Class labels, at least two distinct ones.

        Returns
        -------
        self
            The fitted classifier (``classes_``, ``history_``, ``input_shape_`` set).

        Raises
        ------
        ModelError
            If ``X`` or ``y`` have the wrong shape or non-finite values, ``y`` holds fewer than two
            classes, a hyper-parameter is out of range, the inputs are too short for the blocks, or the
            loss diverges (NaN or infinite).
        """
        X = _check_input(X, self._ndim, self._what)
        Y = self._encode(y, X.shape[0])
        validate_params(self, self._parameter_constraints, ModelError)
        dims, F, n = self._dims(*X.shape[1:], len(self.classes_))
        rng = make_rng(self.random_state, "random_state")
        theta = self._init(dims, F, n, rng)
        K.seed(int(rng.integers(2**31)))
        m, v = np.zeros_like(theta), np.zeros_like(theta)
        t, rows, t0 = 0, [], time.perf_counter()
        for epoch in range(1, int(self.epochs) + 1):
            loss, t = K.cnn_epoch(
                theta, dims, 0, X, Y, min(int(self.batch_size), X.shape[0]), float(self.learning_rate), m, v, t
            )
            rows.append({"epoch": epoch, "loss": loss, "seconds": time.perf_counter() - t0})
            if not np.isfinite(loss):
                raise ModelError(f"training diverged at epoch {epoch}; lower the learning rate")
        self.dims_, self.theta_, self.history_ = dims, theta, pd.DataFrame(rows)
        self.input_shape_ = X.shape[1:]
        return self

    def _raw(self, X):
        if not hasattr(self, "theta_"):
            raise ModelError(f"this {type(self).__name__} is not fitted yet; call fit first")
        X = _check_input(X, self._ndim, self._what, self.input_shape_)
        Y = np.zeros((X.shape[0], 1))
        return K.cnn_loss_grad(self.theta_, self.dims_, 0, X, Y, False)[2]

    def predict_proba(self, X):
        """Class probabilities (softmax of the dense layer's scores).

        Parameters
        ----------
        X : array-like
            Inputs of the shape the model was fitted on (see :meth:`fit`).

        Returns
        -------
        numpy.ndarray of shape (n_samples, n_classes)
            One row per sample, columns in the order of ``classes_``; each row sums to 1.

        Raises
        ------
        ModelError
            If the model is not fitted, or ``X`` is not numeric, finite and of the fitted shape.
        """
        return softmax_rows(self._raw(X))

    def predict(self, X):
        """Predicted class of each sample (the most probable one).

        Parameters
        ----------
        X : array-like
            Inputs of the shape the model was fitted on (see :meth:`fit`).

        Returns
        -------
        numpy.ndarray of shape (n_samples,)
            Labels taken from ``classes_``.

        Raises
        ------
        ModelError
            If the model is not fitted, or ``X`` is not numeric, finite and of the fitted shape.
        """
        scores = self._raw(X)
        return self.classes_[np.argmax(scores, axis=1)]

    def _gradcheck_setup(self, X, y, weight_decay):
        X = _check_input(X, self._ndim, self._what)
        Y = self._encode(y, X.shape[0])
        dims, F, n = self._dims(*X.shape[1:], len(self.classes_))
        theta = (
            self.theta_.copy()
            if hasattr(self, "theta_")
            else self._init(dims, F, n, make_rng(self.random_state, "random_state"))
        )
        C0, H0, W0, C1, C2, kh, kw, ph, pw, Kc = dims
        sizes = [("conv1 W", C1 * C0 * kh * kw), ("conv1 b", C1)]
        if C2:
            sizes += [("conv2 W", C2 * C1 * kh * kw), ("conv2 b", C2)]
        sizes += [("dense W", F * Kc), ("dense b", Kc)]
        blocks, o = [], 0
        for name, cnt in sizes:
            blocks.append(({"block": name}, slice(o, o + cnt)))
            o += cnt
        return theta, lambda th: K.cnn_loss_grad(th, dims, 0, X, Y, True)[:2], blocks


class Conv1DClassifier(_ConvNet):
    """conv(k) -> ReLU -> maxpool(p) -> conv(k) -> ReLU -> maxpool(p) -> dense softmax, on signals.

    Parameters
    ----------
    channels : tuple of int, default (32, 32)
        Output channels of the two convolution blocks: exactly two integers in [1, 4096].
    kernel_size : int, default 5
        Length of the (valid) convolution kernels, in [1, 1024].
    pool : int, default 2
        Width of the non-overlapping max pooling, in [1, 1024].
    learning_rate : float, default 3e-3
        Adam step size, > 0.
    batch_size : int, default 32
        Samples per minibatch, >= 1 (a batch never holds more than the training set).
    epochs : int, default 20
        Passes over the training data, in [1, 10**7].
    random_state : int, numpy.random.Generator, numpy.random.SeedSequence or None, default None
        Seed of the weight initialization and the minibatch shuffling; the same seed gives the same
        weights and training curve. An integer must be >= 0.

    Attributes
    ----------
    classes_ : numpy.ndarray
        The class labels seen by :meth:`fit`, in sorted order.
    history_ : pandas.DataFrame
        The training curve: one row per epoch (epoch, loss, seconds).
    input_shape_ : tuple of int
        The ``(channels, height, width)`` of the training inputs (a signal is an image of height 1).

    Notes
    -----
    Following scikit-learn, the constructor only stores the hyper-parameters; :meth:`fit` checks them and
    raises :class:`~workbench.ai.ModelError` for an out-of-range value.

    Examples
    --------
    >>> import numpy as np
    >>> from workbench.ai import Conv1DClassifier
    >>> X = np.random.default_rng(0).normal(size=(60, 16))
    >>> y = (X[:, 4:8].mean(axis=1) > 0).astype(int)
    >>> clf = Conv1DClassifier(channels=(4, 4), kernel_size=3, epochs=3, random_state=0).fit(X, y)
    >>> clf.predict_proba(X[:2]).shape, len(clf.history_)
    ((2, 2), 3)
    """

    def __init__(
        self, channels=(32, 32), kernel_size=5, pool=2, learning_rate=3e-3, batch_size=32, epochs=20, random_state=None
    ):
        self.channels = channels
        self.kernel_size = kernel_size
        self.pool = pool
        self.learning_rate = learning_rate
        self.batch_size = batch_size
        self.epochs = epochs
        self.random_state = random_state


class Conv2DClassifier(_ConvNet):
    """One or two blocks of conv(k x k) -> ReLU -> maxpool(p x p), then dense softmax, on images.

    Parameters
    ----------
    channels : tuple of int, default (32,)
        Output channels of the convolution blocks: one or two integers in [1, 4096] (one block or two).
    kernel_size : int, default 3
        Side of the square (valid) convolution kernels, in [1, 1024].
    pool : int, default 2
        Side of the square, non-overlapping max pooling, in [1, 1024].
    learning_rate : float, default 3e-3
        Adam step size, > 0.
    batch_size : int, default 32
        Samples per minibatch, >= 1 (a batch never holds more than the training set).
    epochs : int, default 20
        Passes over the training data, in [1, 10**7].
    random_state : int, numpy.random.Generator, numpy.random.SeedSequence or None, default None
        Seed of the weight initialization and the minibatch shuffling; the same seed gives the same
        weights and training curve. An integer must be >= 0.

    Attributes
    ----------
    classes_ : numpy.ndarray
        The class labels seen by :meth:`fit`, in sorted order.
    history_ : pandas.DataFrame
        The training curve: one row per epoch (epoch, loss, seconds).
    input_shape_ : tuple of int
        The ``(channels, height, width)`` of the training inputs.

    Notes
    -----
    Following scikit-learn, the constructor only stores the hyper-parameters; :meth:`fit` checks them and
    raises :class:`~workbench.ai.ModelError` for an out-of-range value.

    Examples
    --------
    >>> from sklearn.datasets import load_digits
    >>> X, y = load_digits(return_X_y=True)
    >>> clf = Conv2DClassifier(channels=(8,), epochs=5, random_state=0).fit(X[:1000].reshape(-1, 8, 8) / 16, y[:1000])
    >>> bool(clf.score(X[1000:].reshape(-1, 8, 8) / 16, y[1000:]) > 0.85)
    True
    """

    _ndim = 2
    _what = "image"
    _min_blocks = 1

    def __init__(
        self, channels=(32,), kernel_size=3, pool=2, learning_rate=3e-3, batch_size=32, epochs=20, random_state=None
    ):
        self.channels = channels
        self.kernel_size = kernel_size
        self.pool = pool
        self.learning_rate = learning_rate
        self.batch_size = batch_size
        self.epochs = epochs
        self.random_state = random_state
