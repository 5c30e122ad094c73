"""Multilayer perceptrons on numba kernels with a scikit-learn API.

:class:`MLPClassifier` (softmax cross-entropy) and :class:`MLPRegressor` (mean squared error)
train with minibatch SGD + momentum or Adam, optional weight decay and inverted dropout, all
parameters in one flat float64 vector. They follow scikit-learn's conventions
(``fit``/``predict``/``score``, ``random_state``, learned attributes ending in ``_``), so they
work in pipelines and cross-validation; ``history_`` is the training curve as a DataFrame.
:func:`gradcheck` compares the analytic gradient with central differences.

Examples
--------
>>> from sklearn.datasets import load_iris
>>> X, y = load_iris(return_X_y=True)
>>> clf = MLPClassifier(hidden=(16,), epochs=200, learning_rate=0.01, random_state=0).fit(X / 8, y)
>>> bool(clf.score(X / 8, y) > 0.95), clf.coefs_[0].shape
(True, (4, 16))
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin

from ..errors import Bool, Int, Options, Real, Seed, WorkbenchError, check, check_memory, make_rng, validate_params
from . import _kernels as K

__all__ = ["MLPClassifier", "MLPRegressor", "gradcheck", "ModelError", "ACTIVATIONS"]

ACTIVATIONS = {"relu": K.RELU, "tanh": K.TANH, "sigmoid": K.SIGMOID, "gelu": K.GELU, "identity": K.IDENTITY}
OPTIMIZERS = {"sgd": 0, "adam": 1}


class ModelError(WorkbenchError):
    """Bad data or hyperparameters for a model (shapes, NaN, unknown names, not fitted).

    A :class:`~workbench.errors.WorkbenchError` (so a :class:`ValueError`), raised by the networks of
    :mod:`workbench.ai.nn`, :mod:`workbench.ai.rnn` and :mod:`workbench.ai.cnn` and by :func:`gradcheck`.

    Examples
    --------
    >>> from workbench.ai import MLPClassifier, ModelError
    >>> try:
    ...     MLPClassifier().predict([[1.0, 2.0]])
    ... except ModelError as err:
    ...     print(err)
    this MLPClassifier is not fitted yet; call fit first
    """


def _check_X(X, n_features=None) -> np.ndarray:
    try:
        X = np.asarray(X, dtype=np.float64)
    except (TypeError, ValueError):
        raise ModelError("X must be numeric") from None
    if X.ndim != 2:
        raise ModelError(f"X must be 2-D (n_samples, n_features), got shape {X.shape}")
    if X.shape[0] == 0 or X.shape[1] == 0:
        raise ModelError(f"X is empty (shape {X.shape})")
    if not np.isfinite(X).all():
        raise ModelError("X contains NaN or infinity")
    if n_features is not None and X.shape[1] != n_features:
        raise ModelError(f"X has {X.shape[1]} features, the model was fitted with {n_features}")
    return np.ascontiguousarray(X)


def encode_labels(est, y, n: int, unit: str) -> np.ndarray:
    """Class indices of ``y`` (as an (n, 1) float array) and ``est.classes_``, shared by the classifiers."""
    y = np.asarray(y)
    if y.ndim != 1 or y.shape[0] != n:
        raise ModelError(f"y must be 1-D with one label per {unit} ({n}), got shape {y.shape}")
    est.classes_, idx = np.unique(y, return_inverse=True)
    if len(est.classes_) < 2:
        raise ModelError("y needs at least two classes")
    return idx.astype(np.float64).reshape(-1, 1)


def softmax_rows(z: np.ndarray) -> np.ndarray:
    """Row-wise softmax of raw scores (shifted by the row maximum: no overflow)."""
    p = np.exp(z - z.max(axis=1, keepdims=True))
    return p / p.sum(axis=1, keepdims=True)


class _MLP(BaseEstimator):
    _task = 0
    _parameter_constraints = {
        "activation": Options(*ACTIVATIONS),
        "optimizer": Options(*OPTIMIZERS),
        "learning_rate": Real(0, lo_open=True),
        "batch_size": Int(1, 2**62),
        "epochs": Int(1, 10**7),
        "momentum": Real(0, 1),
        "weight_decay": Real(0),
        "dropout": Real(0, 1, hi_open=True),
        "random_state": Seed(),
        "verbose": Bool(),
    }

    def __init__(
        self,
        hidden=(100,),
        activation="relu",
        optimizer="adam",
        learning_rate=1e-3,
        batch_size=32,
        epochs=50,
        momentum=0.9,
        weight_decay=0.0,
        dropout=0.0,
        random_state=None,
        verbose=False,
        callback=None,
    ):
        self.hidden = hidden
        self.activation = activation
        self.optimizer = optimizer
        self.learning_rate = learning_rate
        self.batch_size = batch_size
        self.epochs = epochs
        self.momentum = momentum
        self.weight_decay = weight_decay
        self.dropout = dropout
        self.random_state = random_state
        self.verbose = verbose
        self.callback = callback

    # ------------------------------------------------------------------ checks
    def _check_params(self):
        self.params_ = validate_params(self, self._parameter_constraints, ModelError)
        hidden = tuple(self.hidden) if np.iterable(self.hidden) and not isinstance(self.hidden, str) else (self.hidden,)
        if not hidden:
            raise ModelError(f"hidden must be a tuple of layer widths (integers in [1, 2**20]), got {self.hidden!r}")
        return tuple(check(f"hidden[{i}] (a layer width)", h, Int(1, 2**20), ModelError) for i, h in enumerate(hidden))

    def _init_theta(self, sizes, rng):
        parts = []
        for a, b in zip(sizes[:-1], sizes[1:]):
            gain = 2.0 if self.activation in ("relu", "gelu") else 1.0  # He for ReLU-like, Glorot-style else
            limit = np.sqrt(3.0 * gain / a)
            parts += [rng.uniform(-limit, limit, a * b), np.zeros(b)]
        return np.concatenate(parts)

    # ------------------------------------------------------------------ training
    def fit(self, X, y):
        """Train for ``epochs`` passes over (X, y); same ``random_state``, identical weights.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training inputs, finite numbers.
        y : array-like
            Class labels of shape (n_samples,) for the classifier (at least two classes); finite targets of
            shape (n_samples,) or (n_samples, n_outputs) for the regressor.

        Returns
        -------
        self
            The fitted model (``coefs_``, ``intercepts_``, ``history_``, ``n_iter_`` set).

        Raises
        ------
        ModelError
            If a hyper-parameter is out of range, ``X`` or ``y`` have the wrong shape or non-finite values,
            the network would not fit in memory, or the loss diverges (NaN or infinite).
        """
        hidden = self._check_params()
        X = _check_X(X)
        Y = self._encode(y, X.shape[0])
        rng = make_rng(self.random_state, "random_state")
        self.n_features_in_ = X.shape[1]
        self.sizes_ = np.array([X.shape[1], *hidden, Y.shape[1] if self._task == 1 else len(self.classes_)], np.int64)
        check_memory(
            f"an MLP with layer widths {tuple(self.sizes_)}",
            32.0 * sum(int(a) * int(b) for a, b in zip(self.sizes_[:-1], self.sizes_[1:])),
            error=ModelError,
        )
        theta = self._init_theta(self.sizes_, rng)
        K.seed(int(rng.integers(2**31)))
        m, v = np.zeros_like(theta), np.zeros_like(theta)
        act, opt = ACTIVATIONS[self.activation], OPTIMIZERS[self.optimizer]
        beta1 = self.momentum if opt == 0 else 0.9
        keep = 1.0 - float(self.dropout)
        t = 0
        rows = []
        t0 = time.perf_counter()
        for epoch in range(1, int(self.epochs) + 1):
            # a batch never holds more than the data: batch_size=10**9 is full-batch training, not 10**9 rows of buffers
            loss, t = K.mlp_epoch(
                theta,
                self.sizes_,
                act,
                self._task,
                X,
                Y,
                min(int(self.batch_size), X.shape[0]),
                float(self.learning_rate),
                opt,
                beta1,
                0.999,
                1e-8,
                float(self.weight_decay),
                keep,
                m,
                v,
                t,
            )
            rows.append({"epoch": epoch, "loss": loss, "seconds": time.perf_counter() - t0})
            if self.verbose:
                print(f"epoch {epoch}: loss {loss:.5f}")
            if not np.isfinite(loss):
                raise ModelError(f"training diverged at epoch {epoch} (loss {loss}); lower the learning rate")
            if self.callback is not None:  # e.g. workbench.viz.LiveCurve: sees the current weights
                self.theta_ = theta
                self.callback(epoch, loss, self)
        self.theta_ = theta
        self.history_ = pd.DataFrame(rows)
        self.n_iter_ = int(self.epochs)
        return self

    @property
    def coefs_(self):
        """The weight matrices, one ``(n_in, n_out)`` array per layer (views of the parameter vector).

        Returns
        -------
        list of numpy.ndarray
            One matrix per layer, input layer first.
        """
        self._check_fitted()
        off = K.param_offsets(self.sizes_)
        return [
            self.theta_[off[l] : off[l] + a * b].reshape(a, b)
            for l, (a, b) in enumerate(zip(self.sizes_[:-1], self.sizes_[1:]))
        ]

    @property
    def intercepts_(self):
        """The bias vectors, one per layer (views of the parameter vector).

        Returns
        -------
        list of numpy.ndarray
            One vector of length ``n_out`` per layer, input layer first.
        """
        self._check_fitted()
        off = K.param_offsets(self.sizes_)
        return [
            self.theta_[off[l] + a * b : off[l + 1]] for l, (a, b) in enumerate(zip(self.sizes_[:-1], self.sizes_[1:]))
        ]

    def _gradcheck_setup(self, X, y, weight_decay):
        hidden = self._check_params()
        X = _check_X(X)
        Y = self._encode(y, X.shape[0])
        if hasattr(self, "theta_"):
            sizes, theta = self.sizes_, self.theta_.copy()
        else:
            sizes = np.array([X.shape[1], *hidden, Y.shape[1] if self._task == 1 else len(self.classes_)], np.int64)
            theta = self._init_theta(sizes, make_rng(self.random_state, "random_state"))
        wd = float(self.weight_decay if weight_decay is None else weight_decay)
        act = ACTIVATIONS[self.activation]
        off = K.param_offsets(sizes)
        blocks = []
        for l in range(len(sizes) - 1):
            w_end = off[l] + sizes[l] * sizes[l + 1]
            blocks += [
                ({"layer": l, "kind": "weights"}, slice(off[l], w_end)),
                ({"layer": l, "kind": "biases"}, slice(w_end, off[l + 1])),
            ]
        return theta, lambda th: K.mlp_loss_grad(th, sizes, act, self._task, X, Y, wd), blocks

    def _check_fitted(self):
        if not hasattr(self, "theta_"):
            raise ModelError(f"this {type(self).__name__} is not fitted yet; call fit first")

    def _raw(self, X, kernel=K.mlp_predict):
        if not hasattr(self, "theta_"):
            self._check_fitted()
        if not (
            type(X) is np.ndarray
            and X.dtype == np.float64
            and X.ndim == 2
            and X.shape[0]
            and X.shape[1] == self.n_features_in_
            and X.flags.c_contiguous
        ):
            X = _check_X(X, self.n_features_in_)  # the fast path above skips only the conversions
        out, ok = kernel(self.theta_, self.sizes_, ACTIVATIONS[self.activation], X)
        if not ok:
            raise ModelError("X contains NaN or infinity")
        return out


class MLPClassifier(ClassifierMixin, _MLP):
    """Multilayer perceptron classifier (softmax cross-entropy), numba-trained.

    Parameters
    ----------
    hidden : tuple of int, default (100,)
        Widths of the hidden layers, each an integer in [1, 2**20]; a single integer is one layer.
    activation : {"relu", "tanh", "sigmoid", "gelu", "identity"}, default "relu"
        Activation of the hidden layers (:data:`ACTIVATIONS`).
    optimizer : {"sgd", "adam"}, default "adam"
        Minibatch SGD with momentum, or Adam.
    learning_rate : float, default 1e-3
        Step size, > 0.
    batch_size : int, default 32
        Samples per minibatch, >= 1 (a batch never holds more than the training set).
    epochs : int, default 50
        Passes over the training data, in [1, 10**7].
    momentum : float, default 0.9
        Momentum of ``"sgd"``, in [0, 1] (Adam uses its own first-moment decay, 0.9).
    weight_decay : float, default 0.0
        L2 penalty ``0.5 * weight_decay * |W|^2`` on the weight matrices (not the biases), >= 0.
    dropout : float, default 0.0
        Probability of zeroing each hidden unit during training (inverted dropout), in [0, 1).
    random_state : int, numpy.random.Generator, numpy.random.SeedSequence or None, default None
        Seed of the initialization, shuffling and dropout; the same seed gives the same weights. An integer
        must be >= 0.
    verbose : bool, default False
        Print the loss after every epoch.
    callback : callable or None, default None
        Called as ``callback(epoch, loss, model)`` after every epoch, with ``model.theta_`` holding the
        current weights (e.g. :class:`workbench.viz.LiveCurve`).

    Attributes
    ----------
    classes_ : numpy.ndarray
        The class labels seen by ``fit``, in sorted order.
    coefs_ : list of numpy.ndarray
        The weight matrices, one per layer.
    intercepts_ : list of numpy.ndarray
        The bias vectors, one per layer.
    history_ : pandas.DataFrame
        The training curve: one row per epoch (epoch, loss, seconds).
    n_features_in_ : int
        Features seen by ``fit``.
    n_iter_ : int
        Epochs run.

    Notes
    -----
    Following scikit-learn, the constructor only stores the hyper-parameters; ``fit`` checks them and
    raises :class:`ModelError` for an out-of-range value or an unknown name.

    Examples
    --------
    >>> import numpy as np
    >>> from workbench.ai import MLPClassifier
    >>> X = np.random.default_rng(0).normal(size=(40, 3))
    >>> y = (X[:, 0] > 0).astype(int)
    >>> clf = MLPClassifier(hidden=(8,), epochs=20, learning_rate=0.01, random_state=0).fit(X, y)
    >>> clf.predict_proba(X[:2]).shape, [w.shape for w in clf.coefs_]
    ((2, 2), [(3, 8), (8, 2)])
    """

    _task = 0

    def _encode(self, y, n):
        return encode_labels(self, y, n, "row of X")

    def predict_proba(self, X):
        """Class probabilities (softmax of the output layer).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Inputs, finite numbers, with the features seen by ``fit``.

        Returns
        -------
        numpy.ndarray of shape (n_samples, n_classes)
            One row per sample, columns in the order of ``classes_``; each row sums to 1.

        Raises
        ------
        ModelError
            If the model is not fitted, or ``X`` is not 2-D, finite and with ``n_features_in_`` columns.
        """
        return softmax_rows(self._raw(X))

    def predict(self, X):
        """Predicted class of each sample (the most probable one).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Inputs, finite numbers, with the features seen by ``fit``.

        Returns
        -------
        numpy.ndarray of shape (n_samples,)
            Labels taken from ``classes_``.

        Raises
        ------
        ModelError
            If the model is not fitted, or ``X`` is not 2-D, finite and with ``n_features_in_`` columns.
        """
        idx = self._raw(X, K.mlp_classify)
        return self.classes_[idx]


class MLPRegressor(RegressorMixin, _MLP):
    """Multilayer perceptron regressor (mean squared error), numba-trained.

    Parameters
    ----------
    hidden : tuple of int, default (100,)
        Widths of the hidden layers, each an integer in [1, 2**20]; a single integer is one layer.
    activation : {"relu", "tanh", "sigmoid", "gelu", "identity"}, default "relu"
        Activation of the hidden layers (:data:`ACTIVATIONS`).
    optimizer : {"sgd", "adam"}, default "adam"
        Minibatch SGD with momentum, or Adam.
    learning_rate : float, default 1e-3
        Step size, > 0.
    batch_size : int, default 32
        Samples per minibatch, >= 1 (a batch never holds more than the training set).
    epochs : int, default 50
        Passes over the training data, in [1, 10**7].
    momentum : float, default 0.9
        Momentum of ``"sgd"``, in [0, 1] (Adam uses its own first-moment decay, 0.9).
    weight_decay : float, default 0.0
        L2 penalty ``0.5 * weight_decay * |W|^2`` on the weight matrices (not the biases), >= 0.
    dropout : float, default 0.0
        Probability of zeroing each hidden unit during training (inverted dropout), in [0, 1).
    random_state : int, numpy.random.Generator, numpy.random.SeedSequence or None, default None
        Seed of the initialization, shuffling and dropout; the same seed gives the same weights. An integer
        must be >= 0.
    verbose : bool, default False
        Print the loss after every epoch.
    callback : callable or None, default None
        Called as ``callback(epoch, loss, model)`` after every epoch, with ``model.theta_`` holding the
        current weights (e.g. :class:`workbench.viz.LiveCurve`).

    Attributes
    ----------
    coefs_ : list of numpy.ndarray
        The weight matrices, one per layer.
    intercepts_ : list of numpy.ndarray
        The bias vectors, one per layer.
    history_ : pandas.DataFrame
        The training curve: one row per epoch (epoch, loss, seconds).
    n_features_in_ : int
        Features seen by ``fit``.
    n_iter_ : int
        Epochs run.

    Notes
    -----
    Following scikit-learn, the constructor only stores the hyper-parameters; ``fit`` checks them and
    raises :class:`ModelError` for an out-of-range value or an unknown name.

    Examples
    --------
    >>> import numpy as np
    >>> from workbench.ai import MLPRegressor
    >>> X = np.random.default_rng(0).normal(size=(40, 3))
    >>> reg = MLPRegressor(hidden=(8,), epochs=20, learning_rate=0.01, random_state=0).fit(X, X.sum(axis=1))
    >>> reg.predict(X[:5]).shape, len(reg.history_)
    ((5,), 20)
    """

    _task = 1

    def _encode(self, y, n):
        try:
            y = np.asarray(y, dtype=np.float64)
        except (TypeError, ValueError):
            raise ModelError("y must be numeric for regression") from None
        if y.shape[0] != n or y.ndim not in (1, 2):
            raise ModelError(f"y must have one row per row of X ({n}), got shape {y.shape}")
        if not np.isfinite(y).all():
            raise ModelError("y contains NaN or infinity")
        self._y_1d = y.ndim == 1
        return np.ascontiguousarray(y.reshape(n, -1))

    def predict(self, X):
        """Predicted targets.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Inputs, finite numbers, with the features seen by ``fit``.

        Returns
        -------
        numpy.ndarray
            Shape (n_samples,) if ``fit`` saw a 1-D ``y``, else (n_samples, n_outputs).

        Raises
        ------
        ModelError
            If the model is not fitted, or ``X`` is not 2-D, finite and with ``n_features_in_`` columns.
        """
        out = self._raw(X)
        return out[:, 0] if self._y_1d else out


def _central_differences(fun, theta, h):
    num = np.empty_like(theta)
    for i in range(theta.size):
        old = theta[i]
        theta[i] = old + h
        fp = fun(theta)[0]
        theta[i] = old - h
        fm = fun(theta)[0]
        theta[i] = old
        num[i] = (fp - fm) / (2 * h)
    return num


def gradcheck(model, X, y, *, h: float = 1e-6, weight_decay: float | None = None) -> pd.DataFrame:
    """Compare the analytic gradient of ``model``'s loss on (X, y) with central differences.

    Works for :class:`MLPClassifier`, :class:`MLPRegressor`, the recurrent models of
    :mod:`workbench.ai.rnn` and the convolutional ones of :mod:`workbench.ai.cnn`. The model's current
    parameters are used (fit it first, or it is initialized from its ``random_state``). Returns one row
    per parameter block with the relative error ``|g_analytic - g_numeric| / (|g_analytic| + |g_numeric|)``
    (vector norms). The loss is taken on all of (X, y) without dropout; the model is not changed.

    Parameters
    ----------
    model : estimator
        The model whose gradient is checked: an :class:`MLPClassifier`, :class:`MLPRegressor`,
        ``GRUClassifier``, ``GRURegressor``, ``RNNClassifier``, ``RNNRegressor``, ``Conv1DClassifier`` or
        ``Conv2DClassifier``.
    X : array-like
        Inputs, of the shape the model's ``fit`` takes.
    y : array-like
        Targets, as for the model's ``fit``.
    h : float, default 1e-6
        Step of the central differences.
    weight_decay : float or None, default None
        The MLPs' L2 penalty in the checked loss (None: the model's own ``weight_decay``); the recurrent
        and convolutional models have none and ignore it.

    Returns
    -------
    pandas.DataFrame
        One row per parameter block (MLPs: layer and kind, weights or biases; the others: block), with
        ``parameters`` (its size) and ``relative_error`` (about 1e-7 or less for a correct gradient).

    Raises
    ------
    ModelError
        If ``model`` is not one of the workbench's networks, or ``X``, ``y`` or its hyper-parameters are
        invalid (as in ``fit``).

    Examples
    --------
    >>> import numpy as np
    >>> from workbench.ai import MLPClassifier, gradcheck
    >>> X = np.random.default_rng(0).normal(size=(20, 3))
    >>> df = gradcheck(MLPClassifier(hidden=(4,), random_state=0), X, (X[:, 0] > 0).astype(int))
    >>> df.kind.tolist(), bool((df.relative_error < 1e-6).all())
    (['weights', 'biases', 'weights', 'biases'], True)
    """
    if not hasattr(model, "_gradcheck_setup"):
        raise ModelError("gradcheck takes a workbench.ai MLP or recurrent model")
    theta, fun, blocks = model._gradcheck_setup(X, y, weight_decay)
    _, g = fun(theta)
    num = _central_differences(fun, theta, h)
    rows = []
    for label, sl in blocks:
        a, n = g[sl], num[sl]
        denom = np.linalg.norm(a) + np.linalg.norm(n)
        rows.append(
            {
                **label,
                "parameters": a.size,
                "relative_error": float(np.linalg.norm(a - n) / denom) if denom > 0 else 0.0,
            }
        )
    return pd.DataFrame(rows)
