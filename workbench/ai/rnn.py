"""Recurrent networks on numba kernels with a scikit-learn API: gated recurrent units (Cho et al.
2014) and, for teaching, the plain (Elman) RNN ``h' = tanh(x W + h U + b)``.

:class:`GRUClassifier`, :class:`GRURegressor`, :class:`RNNClassifier` and :class:`RNNRegressor`
read sequences ``X`` of shape ``(n_samples, n_steps)`` or ``(n_samples, n_steps, n_features)`` and
predict from the last hidden state through a dense layer. Training is minibatch Adam with backpropagation
through time and gradient-norm clipping; :func:`workbench.ai.gradcheck` checks the gradient.

Examples
--------
>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> X = rng.normal(size=(300, 8))
>>> y = (X.sum(axis=1) > 0).astype(int)          # needs memory of the whole sequence
>>> clf = GRUClassifier(hidden=16, epochs=30, learning_rate=0.01, random_state=0).fit(X, y)
>>> bool(clf.score(X, y) > 0.9)
True
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin

from ..errors import Int, Real, Seed, make_rng, validate_params
from . import _kernels as K
from .nn import ModelError, encode_labels, softmax_rows

__all__ = ["GRUClassifier", "GRURegressor", "RNNClassifier", "RNNRegressor"]


def _check_seq(X, n_features=None, n_steps=None) -> np.ndarray:
    try:
        X = np.asarray(X, dtype=np.float64)
    except (TypeError, ValueError):
        raise ModelError("X must be numeric sequences") from None
    if X.ndim == 2:
        X = X[:, :, None]
    if X.ndim != 3 or 0 in X.shape:
        raise ModelError(f"X must be (n_samples, n_steps) or (n_samples, n_steps, n_features), got {X.shape}")
    if not np.isfinite(X).all():
        raise ModelError("X contains NaN or infinity")
    if n_features is not None and (X.shape[2] != n_features or X.shape[1] != n_steps):
        raise ModelError(
            f"X has {X.shape[1]} steps of {X.shape[2]} features; the model was fitted on "
            f"{n_steps} steps of {n_features}"
        )
    return np.ascontiguousarray(X)


class _Recurrent(BaseEstimator):
    _task = 0
    _cell = K.CELL_GRU
    _parameter_constraints = {
        "hidden": Int(1, 4096),
        "learning_rate": Real(0, lo_open=True),
        "batch_size": Int(1, 2**62),
        "epochs": Int(1, 10**7),
        "clip": Real(0),
        "random_state": Seed(),
    }

    def __init__(self, hidden=32, learning_rate=5e-3, batch_size=32, epochs=30, clip=5.0, random_state=None):
        self.hidden = hidden
        self.learning_rate = learning_rate
        self.batch_size = batch_size
        self.epochs = epochs
        self.clip = clip
        self.random_state = random_state

    def _check_params(self):
        self.params_ = validate_params(self, self._parameter_constraints, ModelError)

    def _init(self, D, K_out, rng):
        H = int(self.hidden)
        g = K._gates(self._cell)
        theta = np.empty(K.rnn_size(D, H, K_out, self._cell))
        o = 0
        for fan_in, count in ((D, g * D * H), (H, g * H * H)):
            lim = np.sqrt(3.0 / fan_in)
            theta[o : o + count] = rng.uniform(-lim, lim, count)
            o += count
        theta[o : o + g * H] = 0.0
        o += g * H
        lim = np.sqrt(3.0 / H)
        theta[o : o + H * K_out] = rng.uniform(-lim, lim, H * K_out)
        theta[o + H * K_out :] = 0.0
        return theta

    def fit(self, X, y):
        """Train for ``epochs`` passes; same ``random_state``, identical weights and curve.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_steps) or (n_samples, n_steps, n_features)
            Training sequences, finite numbers.
        y : array-like
            Class labels of shape (n_samples,) for the classifiers (at least two classes); finite targets of
            shape (n_samples,) or (n_samples, n_outputs) for the regressors.

        Returns
        -------
        self
            The fitted model (``history_``, ``n_steps_``, ``n_features_in_`` set).

        Raises
        ------
        ModelError
            If a hyper-parameter is out of range, ``X`` or ``y`` have the wrong shape or non-finite values,
            or the loss diverges (NaN or infinite).
        """
        self._check_params()
        X = _check_seq(X)
        Y = self._encode(y, X.shape[0])
        rng = make_rng(self.random_state, "random_state")
        self.n_steps_, self.n_features_in_ = X.shape[1], X.shape[2]
        self.n_outputs_ = Y.shape[1] if self._task == 1 else len(self.classes_)
        theta = self._init(self.n_features_in_, self.n_outputs_, rng)
        K.seed(int(rng.integers(2**31)))
        m, v = np.zeros_like(theta), np.zeros_like(theta)
        t, rows, t0 = 0, [], time.perf_counter()
        for epoch in range(1, int(self.epochs) + 1):
            loss, t = K.rnn_epoch(
                theta,
                self.n_features_in_,
                int(self.hidden),
                self.n_outputs_,
                self._task,
                X,
                Y,
                min(int(self.batch_size), X.shape[0]),
                float(self.learning_rate),
                m,
                v,
                t,
                float(self.clip),
                self._cell,
            )
            rows.append({"epoch": epoch, "loss": loss, "seconds": time.perf_counter() - t0})
            if not np.isfinite(loss):
                raise ModelError(f"training diverged at epoch {epoch}; lower the learning rate")
        self.theta_ = theta
        self.history_ = pd.DataFrame(rows)
        return self

    def _raw(self, X):
        if not hasattr(self, "theta_"):
            raise ModelError(f"this {type(self).__name__} is not fitted yet; call fit first")
        X = _check_seq(X, self.n_features_in_, self.n_steps_)
        return K.rnn_predict(self.theta_, self.n_features_in_, int(self.hidden), self.n_outputs_, X, self._cell)

    def _gradcheck_setup(self, X, y, weight_decay):
        self._check_params()
        X = _check_seq(X)
        Y = self._encode(y, X.shape[0])
        D, H = X.shape[2], int(self.hidden)
        K_out = Y.shape[1] if self._task == 1 else len(self.classes_)
        theta = (
            self.theta_.copy()
            if hasattr(self, "theta_")
            else self._init(D, K_out, make_rng(self.random_state, "random_state"))
        )
        gates = ("_z", "_r", "_n") if self._cell == K.CELL_GRU else ("",)
        sizes = (
            [("W" + g, D * H) for g in gates]
            + [("U" + g, H * H) for g in gates]
            + [("b" + g, H) for g in gates]
            + [("W_out", H * K_out), ("b_out", K_out)]
        )
        blocks, o = [], 0
        for name, n in sizes:
            blocks.append(({"block": name}, slice(o, o + n)))
            o += n
        return theta, lambda th: K.rnn_loss_grad(th, D, H, K_out, self._task, X, Y, self._cell), blocks


class GRUClassifier(ClassifierMixin, _Recurrent):
    """Sequence classifier: GRU, last hidden state, softmax.

    Parameters
    ----------
    hidden : int, default 32
        Units of the hidden state, in [1, 4096].
    learning_rate : float, default 5e-3
        Adam step size, > 0.
    batch_size : int, default 32
        Sequences per minibatch, >= 1 (a batch never holds more than the training set).
    epochs : int, default 30
        Passes over the training data, in [1, 10**7].
    clip : float, default 5.0
        Threshold of the global gradient-norm clipping, >= 0 (0: no clipping).
    random_state : int, numpy.random.Generator, numpy.random.SeedSequence or None, default None
        Seed of the initialization and the minibatch shuffling; the same seed gives the same weights and
        training curve. An integer must be >= 0.

    Attributes
    ----------
    classes_ : numpy.ndarray
        The class labels seen by ``fit``, in sorted order.
    history_ : pandas.DataFrame
        The training curve: one row per epoch (epoch, loss, seconds).
    n_steps_ : int
        Sequence length seen by ``fit`` (predictions need the same).
    n_features_in_ : int
        Features per step seen by ``fit``.

    Notes
    -----
    Following scikit-learn, the constructor only stores the hyper-parameters; ``fit`` checks them and
    raises :class:`~workbench.ai.ModelError` for an out-of-range value.

    Examples
    --------
    >>> import numpy as np
    >>> from workbench.ai import GRUClassifier
    >>> X = np.random.default_rng(0).normal(size=(40, 6))
    >>> clf = GRUClassifier(hidden=4, epochs=3, random_state=0).fit(X, X[:, 0] > 0)
    >>> clf.predict_proba(X[:2]).shape, clf.classes_.tolist()
    ((2, 2), [False, True])
    """

    _task = 0

    def _encode(self, y, n):
        return encode_labels(self, y, n, "sequence")

    def predict_proba(self, X):
        """Class probabilities (softmax of the output layer at the last step).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_steps) or (n_samples, n_steps, n_features)
            Sequences of the length and width seen by ``fit``, finite numbers.

        Returns
        -------
        numpy.ndarray of shape (n_samples, n_classes)
            One row per sequence, columns in the order of ``classes_``; each row sums to 1.

        Raises
        ------
        ModelError
            If the model is not fitted, or ``X`` is not numeric, finite and of the fitted shape.
        """
        return softmax_rows(self._raw(X))

    def predict(self, X):
        """Predicted class of each sequence (the most probable one).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_steps) or (n_samples, n_steps, n_features)
            Sequences of the length and width seen by ``fit``, finite numbers.

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


class GRURegressor(RegressorMixin, _Recurrent):
    """Sequence regressor: GRU, last hidden state, linear output, mean squared error.

    Parameters
    ----------
    hidden : int, default 32
        Units of the hidden state, in [1, 4096].
    learning_rate : float, default 5e-3
        Adam step size, > 0.
    batch_size : int, default 32
        Sequences per minibatch, >= 1 (a batch never holds more than the training set).
    epochs : int, default 30
        Passes over the training data, in [1, 10**7].
    clip : float, default 5.0
        Threshold of the global gradient-norm clipping, >= 0 (0: no clipping).
    random_state : int, numpy.random.Generator, numpy.random.SeedSequence or None, default None
        Seed of the initialization and the minibatch shuffling; the same seed gives the same weights and
        training curve. An integer must be >= 0.

    Attributes
    ----------
    history_ : pandas.DataFrame
        The training curve: one row per epoch (epoch, loss, seconds).
    n_steps_ : int
        Sequence length seen by ``fit`` (predictions need the same).
    n_features_in_ : int
        Features per step seen by ``fit``.

    Notes
    -----
    Following scikit-learn, the constructor only stores the hyper-parameters; ``fit`` checks them and
    raises :class:`~workbench.ai.ModelError` for an out-of-range value.

    Examples
    --------
    >>> import numpy as np
    >>> from workbench.ai import GRURegressor
    >>> X = np.random.default_rng(0).normal(size=(40, 6))
    >>> reg = GRURegressor(hidden=4, epochs=3, random_state=0).fit(X, X.sum(axis=1))
    >>> reg.predict(X[:5]).shape, len(reg.history_)
    ((5,), 3)
    """

    _task = 1

    def _encode(self, y, n):
        try:
            y = np.asarray(y, dtype=np.float64)
        except (TypeError, ValueError):
            raise ModelError("y must be numeric for regression") from None
        if y.shape[0] != n or y.ndim not in (1, 2) or not np.isfinite(y).all():
            raise ModelError(f"y must be finite with one row per sequence ({n}), got shape {y.shape}")
        self._y_1d = y.ndim == 1
        return np.ascontiguousarray(y.reshape(n, -1))

    def predict(self, X):
        """Predicted targets.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_steps) or (n_samples, n_steps, n_features)
            Sequences of the length and width seen by ``fit``, finite numbers.

        Returns
        -------
        numpy.ndarray
            Shape (n_samples,) if ``fit`` saw a 1-D ``y``, else (n_samples, n_outputs).

        Raises
        ------
        ModelError
            If the model is not fitted, or ``X`` is not numeric, finite and of the fitted shape.
        """
        out = self._raw(X)
        return out[:, 0] if self._y_1d else out


class RNNClassifier(GRUClassifier):
    """Sequence classifier: plain (Elman) RNN ``h' = tanh(x W + h U + b)``, last hidden state, softmax.

    The teaching counterpart of :class:`GRUClassifier`: without gates, gradients through many
    steps shrink or blow up (Bengio, Simard & Frasconi 1994), so long-range memory is hard to learn.

    Parameters
    ----------
    hidden : int, default 32
        Units of the hidden state, in [1, 4096].
    learning_rate : float, default 5e-3
        Adam step size, > 0.
    batch_size : int, default 32
        Sequences per minibatch, >= 1 (a batch never holds more than the training set).
    epochs : int, default 30
        Passes over the training data, in [1, 10**7].
    clip : float, default 5.0
        Threshold of the global gradient-norm clipping, >= 0 (0: no clipping).
    random_state : int, numpy.random.Generator, numpy.random.SeedSequence or None, default None
        Seed of the initialization and the minibatch shuffling; the same seed gives the same weights and
        training curve. An integer must be >= 0.

    Attributes
    ----------
    classes_ : numpy.ndarray
        The class labels seen by ``fit``, in sorted order.
    history_ : pandas.DataFrame
        The training curve: one row per epoch (epoch, loss, seconds).
    n_steps_ : int
        Sequence length seen by ``fit`` (predictions need the same).
    n_features_in_ : int
        Features per step seen by ``fit``.

    Notes
    -----
    Following scikit-learn, the constructor only stores the hyper-parameters; ``fit`` checks them and
    raises :class:`~workbench.ai.ModelError` for an out-of-range value.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.random.default_rng(0).normal(size=(200, 5))
    >>> clf = RNNClassifier(hidden=8, epochs=40, learning_rate=0.01, random_state=0).fit(X, X[:, -1] > 0)
    >>> clf.score(X, X[:, -1] > 0) > 0.9
    True
    """

    _cell = K.CELL_ELMAN


class RNNRegressor(GRURegressor):
    """Sequence regressor: plain (Elman) RNN, last hidden state, linear output, mean squared error.

    Parameters
    ----------
    hidden : int, default 32
        Units of the hidden state, in [1, 4096].
    learning_rate : float, default 5e-3
        Adam step size, > 0.
    batch_size : int, default 32
        Sequences per minibatch, >= 1 (a batch never holds more than the training set).
    epochs : int, default 30
        Passes over the training data, in [1, 10**7].
    clip : float, default 5.0
        Threshold of the global gradient-norm clipping, >= 0 (0: no clipping).
    random_state : int, numpy.random.Generator, numpy.random.SeedSequence or None, default None
        Seed of the initialization and the minibatch shuffling; the same seed gives the same weights and
        training curve. An integer must be >= 0.

    Attributes
    ----------
    history_ : pandas.DataFrame
        The training curve: one row per epoch (epoch, loss, seconds).
    n_steps_ : int
        Sequence length seen by ``fit`` (predictions need the same).
    n_features_in_ : int
        Features per step seen by ``fit``.

    Notes
    -----
    Following scikit-learn, the constructor only stores the hyper-parameters; ``fit`` checks them and
    raises :class:`~workbench.ai.ModelError` for an out-of-range value.

    Examples
    --------
    >>> import numpy as np
    >>> from workbench.ai import RNNRegressor
    >>> X = np.random.default_rng(0).normal(size=(40, 6))
    >>> reg = RNNRegressor(hidden=4, epochs=3, random_state=0).fit(X, X[:, -1])
    >>> reg.predict(X[:5]).shape, reg.n_steps_
    ((5,), 6)
    """

    _cell = K.CELL_ELMAN
