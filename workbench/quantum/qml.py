r"""A variational quantum classifier (quantum machine learning on a small offline dataset).

Each sample :math:`x \in \mathbb{R}^2` (scaled to :math:`[0, \pi]`) is encoded by angle encoding,
``ry(x_j)`` on qubit :math:`j \bmod n`, repeated between trainable layers (data re-uploading);
trainable layers are ``ry``/``rz`` on every qubit and a CNOT ring. The model output is
:math:`f(x) = \langle Z_0 \rangle \in [-1, 1]`, the predicted class is :math:`[f(x) < 0]`, and
training minimises the mean squared error to labels :math:`\pm 1` with scipy. scikit-learn's
logistic regression and an RBF support-vector machine on the same split are the classical
reference points.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import Array, Int, KernelSeed, Options, Real, check, checked, make_rng
from ..results import Result, one_row
from .circuit import Circuit, Parameter, QuantumError
from .gradients import gradient
from .statevector import expectation, simulate

__all__ = ["classifier_circuit", "VQCResult", "train_vqc", "moons"]


@checked(QuantumError, n_samples=Int(2, 10**7), noise=Real(0), seed=KernelSeed())
def moons(n_samples: int = 200, noise: float = 0.15, seed=0):
    """scikit-learn's two-moons dataset, features scaled to [0, pi].

    Parameters
    ----------
    n_samples : int, default 200
        Samples, in [2, 10**7], split evenly between the two moons.
    noise : float, default 0.15
        Standard deviation of the Gaussian noise added to the points (before scaling), >= 0.
    seed : int, default 0
        ``random_state`` of :func:`sklearn.datasets.make_moons`, in [0, 2**32); the same seed gives
        the same data.

    Returns
    -------
    X : numpy.ndarray
        Features, (n_samples, 2), each column scaled to [0, pi].
    y : numpy.ndarray
        Labels 0 and 1, (n_samples,).

    Raises
    ------
    QuantumError
        If an argument is not a number in its range.

    Examples
    --------
    >>> from workbench.quantum import moons
    >>> X, y = moons(20, seed=1)
    >>> X.shape, round(float(X.max()), 3), sorted(set(y.tolist()))
    ((20, 2), 3.142, [0, 1])
    """
    from sklearn.datasets import make_moons

    X, y = make_moons(n_samples=n_samples, noise=noise, random_state=seed)
    X = (X - X.min(0)) / (X.max(0) - X.min(0)) * np.pi
    return X, y


@checked(QuantumError, n_qubits=Int(1, 20), layers=Int(1, 1000), n_features=Int(1, 1000))
def classifier_circuit(n_qubits: int = 2, layers: int = 3, n_features: int = 2) -> Circuit:
    """Data re-uploading classifier: features ``x0..`` and weights ``w0..`` as parameters.

    Each layer uploads the features (``ry(x_j)`` on qubit ``j mod n_qubits``, features repeated
    when there are more qubits than features), then applies ``ry`` and ``rz`` with trainable
    weights on every qubit and a CNOT ring (one CNOT for two qubits, none for one).

    Parameters
    ----------
    n_qubits : int, default 2
        Qubits, in [1, 20].
    layers : int, default 3
        Layers, in [1, 1000].
    n_features : int, default 2
        Features of a sample, in [1, 1000].

    Returns
    -------
    Circuit
        A circuit named ``"vqc"`` with parameters ``x0`` .. ``x<n_features - 1>`` and
        ``2 * n_qubits * layers`` weights ``w0``, ``w1``, ...

    Raises
    ------
    QuantumError
        If an argument is not an integer in its range.

    Examples
    --------
    >>> from workbench.quantum import classifier_circuit
    >>> qc = classifier_circuit(3, 1, 2)
    >>> qc.parameters, qc.count_ops()
    (['w0', 'w1', 'w2', 'w3', 'w4', 'w5', 'x0', 'x1'], {'ry': 6, 'rz': 3, 'cx': 3})
    """
    qc = Circuit(n_qubits, name="vqc")
    k = 0
    for _ in range(layers):
        for j in range(max(n_features, n_qubits)):
            qc.ry(Parameter(f"x{j % n_features}"), j % n_qubits)
        for q in range(n_qubits):
            qc.ry(Parameter(f"w{k}"), q).rz(Parameter(f"w{k + 1}"), q)
            k += 2
        ring = [(q, (q + 1) % n_qubits) for q in range(n_qubits)] if n_qubits > 2 else [(0, 1)] * (n_qubits == 2)
        for a, b in ring:
            qc.cx(a, b)
    return qc


@dataclass
class VQCResult(Result):
    """A trained variational classifier: its weights and accuracies next to scikit-learn baselines;
    ``summary()`` one row, frames ``baselines`` and ``history``, ``params`` the inputs.

    Returned by :func:`train_vqc`.

    Parameters
    ----------
    weights : numpy.ndarray
        The trained weights, in the order ``w0``, ``w1``, ...
    train_accuracy : float
        Accuracy on the training split.
    test_accuracy : float
        Accuracy on the test split.
    baselines : pandas.DataFrame
        scikit-learn's logistic regression and RBF SVM on the same split: columns ``model``,
        ``train_accuracy`` and ``test_accuracy``.
    history : pandas.DataFrame
        Every loss evaluation: columns ``evaluation`` and ``loss`` (mean squared error).
    circuit : Circuit
        The classifier circuit (:func:`classifier_circuit`).
    params : dict, optional
        The inputs: ``X``, ``y``, ``n_qubits``, ``layers``, ``test_size``, ``seed``, ``maxiter`` and
        ``method`` (default: an empty dict).

    Examples
    --------
    >>> from workbench.quantum import moons, train_vqc
    >>> X, y = moons(20, seed=1)
    >>> r = train_vqc(X, y, layers=1, maxiter=10, seed=1)
    >>> r.weights.shape, len(r.history) <= 12, r.baselines.model.tolist()
    ((4,), True, ['logistic regression', 'RBF SVM'])
    >>> (r.decision_function(X[:3]) > 0).tolist()
    [True, False, True]
    """

    weights: np.ndarray
    train_accuracy: float
    test_accuracy: float
    baselines: pd.DataFrame = field(repr=False)
    history: pd.DataFrame = field(repr=False)
    circuit: Circuit = field(repr=False)
    params: dict = field(default_factory=dict, repr=False)
    frames = ("baselines", "history")

    def summary(self) -> pd.DataFrame:
        """One row: qubits, weights, train and test accuracy, evaluations.

        Returns
        -------
        pandas.DataFrame
            Columns ``n_qubits``, ``weights``, ``train_accuracy``, ``test_accuracy`` and
            ``evaluations``.
        """
        return one_row(
            n_qubits=self.circuit.n_qubits,
            weights=len(self.weights),
            train_accuracy=self.train_accuracy,
            test_accuracy=self.test_accuracy,
            evaluations=len(self.history),
        )

    def decision_function(self, X) -> np.ndarray:
        """The model output :math:`f(x) = \\langle Z_0 \\rangle` of each sample.

        Parameters
        ----------
        X : array_like
            Samples, (samples, features), with the features the classifier was trained on
            (scaled like the training data).

        Returns
        -------
        numpy.ndarray
            One value in [-1, 1] per sample; a negative value predicts class 1.
        """
        return _outputs(self.circuit, self.weights, np.asarray(X, float))


def _outputs(qc, w, X):
    names = qc.parameters
    out = np.empty(len(X))
    wd = {f"w{i}": v for i, v in enumerate(w)}
    for i, x in enumerate(X):
        vals = {**wd, **{f"x{j}": v for j, v in enumerate(x)}}
        out[i] = expectation(simulate(qc.bind({k: vals[k] for k in names})).state, "I" * (qc.n_qubits - 1) + "Z")
    return out


@checked(
    QuantumError,
    n_qubits=Int(1, 20),
    layers=Int(1, 1000),
    test_size=Real(0, 1, lo_open=True, hi_open=True),
    seed=KernelSeed(),
    maxiter=Int(1, 10**6),
    method=Options("L-BFGS-B", "BFGS", "COBYLA"),
)
def train_vqc(
    X,
    y,
    *,
    n_qubits: int = 2,
    layers: int = 3,
    test_size: float = 0.3,
    seed=0,
    maxiter: int = 150,
    method: str = "L-BFGS-B",
) -> VQCResult:
    """Train the classifier on a split of (X, y) and compare with scikit-learn baselines.

    The weights start uniform in [-pi, pi] and the optimizer minimises the mean squared error between
    :math:`\\langle Z_0 \\rangle` and the targets :math:`1 - 2y`. The gradient-based methods get the exact
    gradient of the loss: per training sample, one adjoint sweep (:func:`~workbench.quantum.gradient`) gives
    :math:`\\partial\\langle Z_0\\rangle/\\partial w`, and
    :math:`\\partial L/\\partial w = \\tfrac{2}{m}\\sum_i (\\langle Z_0\\rangle_i - t_i)\\,\\partial\\langle Z_0\\rangle_i/\\partial w`.

    Parameters
    ----------
    X : array_like
        Features, (samples, features), finite numbers, at least 4 entries; used as rotation
        angles as they are (scale them to [0, pi], as :func:`moons` does).
    y : array_like
        Binary labels 0/1, one per sample.
    n_qubits : int, default 2
        Qubits, in [1, 20].
    layers : int, default 3
        Layers of the classifier, in [1, 1000].
    test_size : float, default 0.3
        Share of the samples held out for testing (stratified split), in (0, 1).
    seed : int, default 0
        Seed of the split and of the initial weights, in [0, 2**32); the same seed gives the same
        result.
    maxiter : int, default 150
        Most iterations of the optimizer, in [1, 10**6].
    method : {"L-BFGS-B", "BFGS", "COBYLA"}, default "L-BFGS-B"
        SciPy's optimizer: the first two with the adjoint gradient, COBYLA without derivatives.

    Returns
    -------
    VQCResult
        ``weights``, ``train_accuracy``, ``test_accuracy``, the ``baselines`` and ``history``
        frames, ``decision_function()`` and ``summary()``.

    Raises
    ------
    QuantumError
        If an argument is out of range, ``X`` is not a 2-d array of finite numbers, ``y`` is not
        0/1 labels of the same length, or the split is impossible (too few samples of a class).

    Examples
    --------
    >>> from workbench.quantum import moons, train_vqc
    >>> X, y = moons(60, seed=1)
    >>> r = train_vqc(X, y, maxiter=40, seed=1)
    >>> r.test_accuracy > 0.75
    True
    """
    from scipy.optimize import minimize
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import train_test_split
    from sklearn.svm import SVC

    X = check("X", X, Array(ndim=2, min_size=4), QuantumError)
    y = np.asarray(y)
    if X.ndim != 2 or len(X) != len(y) or set(np.unique(y)) - {0, 1}:
        raise QuantumError("X must be (samples, features) and y binary labels 0/1 of the same length")
    try:
        Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=test_size, random_state=seed, stratify=y)
    except ValueError as exc:  # too few samples of a class for this split
        raise QuantumError(f"cannot split {len(y)} samples with test_size={test_size}: {exc}") from None
    qc = classifier_circuit(n_qubits, layers, X.shape[1])
    n_w = sum(1 for p in qc.parameters if p.startswith("w"))
    rng = make_rng(seed, error=QuantumError)
    target = 1 - 2 * ytr
    history = []

    def loss(w):
        v = float(np.mean((_outputs(qc, w, Xtr) - target) ** 2))
        history.append({"evaluation": len(history), "loss": v})
        return v

    names = qc.parameters
    w_index = [names.index(f"w{i}") for i in range(n_w)]
    x_index = [names.index(f"x{j}") for j in range(X.shape[1])]
    label = "I" * (qc.n_qubits - 1) + "Z"

    def loss_and_grad(w):
        vals = np.zeros(len(names))
        vals[w_index] = w
        outs, grads = np.empty(len(Xtr)), np.empty((len(Xtr), n_w))
        for i, x in enumerate(Xtr):
            vals[x_index] = x
            outs[i], g = gradient(qc, label, vals)
            grads[i] = g[w_index]
        r = outs - target
        v = float(np.mean(r**2))
        history.append({"evaluation": len(history), "loss": v})
        return v, 2.0 * (r @ grads) / len(r)

    w0 = rng.uniform(-np.pi, np.pi, n_w)
    if method == "COBYLA":
        res = minimize(loss, w0, method="COBYLA", options={"maxiter": maxiter})
    else:
        res = minimize(loss_and_grad, w0, jac=True, method=method, options={"maxiter": maxiter})
    acc = lambda Xs, ys: float(np.mean((_outputs(qc, res.x, Xs) < 0).astype(int) == ys))  # noqa: E731
    base = []
    for name, model in (("logistic regression", LogisticRegression()), ("RBF SVM", SVC())):
        model.fit(Xtr, ytr)
        base.append({"model": name, "train_accuracy": model.score(Xtr, ytr), "test_accuracy": model.score(Xte, yte)})
    return VQCResult(
        res.x,
        acc(Xtr, ytr),
        acc(Xte, yte),
        pd.DataFrame(base),
        pd.DataFrame(history),
        qc,
        {
            "X": X,
            "y": y,
            "n_qubits": n_qubits,
            "layers": layers,
            "test_size": test_size,
            "seed": seed,
            "maxiter": maxiter,
            "method": method,
        },
    )
