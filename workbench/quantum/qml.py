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

from ..errors import Array, Int, KernelSeed, Real, check, checked, make_rng
from ..results import Result, one_row
from .circuit import Circuit, Parameter, QuantumError
from .statevector import expectation, simulate

__all__ = ["classifier_circuit", "VQCResult", "train_vqc", "moons"]


@checked(QuantumError, n_samples=Int(2, 10**7), noise=Real(0), seed=KernelSeed())
def moons(n_samples: int = 200, noise: float = 0.15, seed=0):
    """scikit-learn's two-moons dataset, features scaled to [0, pi]."""
    from sklearn.datasets import make_moons

    X, y = make_moons(n_samples=n_samples, noise=noise, random_state=seed)
    X = (X - X.min(0)) / (X.max(0) - X.min(0)) * np.pi
    return X, y


@checked(QuantumError, n_qubits=Int(1, 20), layers=Int(1, 1000), n_features=Int(1, 1000))
def classifier_circuit(n_qubits: int = 2, layers: int = 3, n_features: int = 2) -> Circuit:
    """Data re-uploading classifier: features ``x0..`` and weights ``w0..`` as parameters."""
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
    ``summary()`` one row, frames ``baselines`` and ``history``, ``params`` the inputs."""

    weights: np.ndarray
    train_accuracy: float
    test_accuracy: float
    baselines: pd.DataFrame = field(repr=False)
    history: pd.DataFrame = field(repr=False)
    circuit: Circuit = field(repr=False)
    params: dict = field(default_factory=dict, repr=False)
    frames = ("baselines", "history")

    def summary(self) -> pd.DataFrame:
        """One row: qubits, weights, train and test accuracy, evaluations."""
        return one_row(
            n_qubits=self.circuit.n_qubits,
            weights=len(self.weights),
            train_accuracy=self.train_accuracy,
            test_accuracy=self.test_accuracy,
            evaluations=len(self.history),
        )

    def decision_function(self, X) -> np.ndarray:
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
)
def train_vqc(
    X, y, *, n_qubits: int = 2, layers: int = 3, test_size: float = 0.3, seed=0, maxiter: int = 150
) -> VQCResult:
    """Train the classifier on a split of (X, y) and compare with scikit-learn baselines.

    Examples
    --------
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
    rng = make_rng(seed)
    target = 1 - 2 * ytr
    history = []

    def loss(w):
        v = float(np.mean((_outputs(qc, w, Xtr) - target) ** 2))
        history.append({"evaluation": len(history), "loss": v})
        return v

    res = minimize(loss, rng.uniform(-np.pi, np.pi, n_w), method="COBYLA", options={"maxiter": maxiter})
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
        },
    )
