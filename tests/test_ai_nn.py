"""Multilayer perceptrons: gradients against numpy and central differences, the digits goal,
scikit-learn compatibility, reproducibility and named errors."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.datasets import load_digits
from sklearn.model_selection import cross_val_score, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from workbench.ai import _kernels as K
from workbench.ai.nn import ACTIVATIONS, MLPClassifier, MLPRegressor, ModelError, gradcheck

from . import naive


@pytest.fixture(scope="module")
def digits():
    X, y = load_digits(return_X_y=True)
    return X / 16.0, y


@pytest.mark.kernel
@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid", "gelu"])
def test_gradient_matches_numpy_reference_and_central_differences(activation):
    rng = np.random.default_rng(1)
    X = rng.normal(size=(9, 5))
    y = rng.integers(0, 3, 9)
    y[:3] = [0, 1, 2]
    sizes = np.array([5, 6, 4, 3], np.int64)
    theta = rng.normal(scale=0.5, size=int(K.param_offsets(sizes)[-1]))
    loss, g = K.mlp_loss_grad(theta, sizes, ACTIVATIONS[activation], 0, X, y.astype(float).reshape(-1, 1), 0.0)
    off = K.param_offsets(sizes)
    params = [
        (theta[off[l] : off[l] + a * b].reshape(a, b), theta[off[l] + a * b : off[l + 1]])
        for l, (a, b) in enumerate(zip(sizes[:-1], sizes[1:]))
    ]
    ref_loss, ref = naive.mlp_loss_grad_naive(params, X, y, activation)
    assert loss == pytest.approx(ref_loss, rel=1e-12)
    for l, (dW, db) in enumerate(ref):
        a, b = sizes[l], sizes[l + 1]
        np.testing.assert_allclose(g[off[l] : off[l] + a * b].reshape(a, b), dW, rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(g[off[l] + a * b : off[l + 1]], db, rtol=1e-9, atol=1e-12)
    report = gradcheck(MLPClassifier(hidden=(6, 4), activation=activation, random_state=0), X, y, weight_decay=1e-2)
    assert (report.relative_error <= 1e-6).all(), report


@pytest.mark.kernel
def test_regressor_gradcheck_and_training_kernels():
    rng = np.random.default_rng(2)
    X = rng.uniform(-2, 2, (40, 2))
    y = np.sin(X[:, 0]) + 0.5 * X[:, 1]
    assert (
        gradcheck(MLPRegressor(hidden=(5,), activation="tanh", random_state=0), X[:10], y[:10]).relative_error <= 1e-6
    ).all()
    for opt, drop in (("adam", 0.0), ("sgd", 0.2)):
        m = MLPRegressor(
            hidden=(8,),
            activation="tanh",
            optimizer=opt,
            learning_rate=0.01,
            epochs=3,
            batch_size=16,
            dropout=drop,
            random_state=0,
        ).fit(X, y)
        assert m.history_.loss.iat[-1] < m.history_.loss.iat[0]
        np.testing.assert_allclose(m.predict(X[:3]), m.predict(X)[:3], rtol=1e-12)  # loop path == BLAS path
    clf = MLPClassifier(hidden=(4,), epochs=2, random_state=0).fit(X, (y > 0).astype(int))
    assert set(clf.predict(X[:2])) <= {0, 1} and clf.predict(X).shape == (40,)


def test_softmax_cross_entropy_is_stable_for_huge_logits():
    G = np.empty((1, 3))
    loss = K.output_loss(np.array([[1000.0, -1000.0, 0.0]]), np.array([[1.0]]), 0, G)
    assert loss == pytest.approx(2000.0) and np.isfinite(G).all()


@pytest.mark.parametrize("seed", range(3))
def test_digits_mlp_goal(digits, seed):
    X, y = digits
    Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.2, stratify=y, random_state=seed)
    clf = MLPClassifier(hidden=(128,), optimizer="adam", epochs=50, random_state=seed).fit(Xtr, ytr)
    assert clf.score(Xte, yte) >= 0.97
    assert list(clf.history_.columns) == ["epoch", "loss", "seconds"] and len(clf.history_) == 50
    assert [c.shape for c in clf.coefs_] == [(64, 128), (128, 10)]


def test_same_seed_identical_weights_and_curve(digits):
    X, y = digits
    a = MLPClassifier(hidden=(32,), epochs=3, dropout=0.1, random_state=7).fit(X, y)
    b = MLPClassifier(hidden=(32,), epochs=3, dropout=0.1, random_state=7).fit(X, y)
    c = MLPClassifier(hidden=(32,), epochs=3, dropout=0.1, random_state=8).fit(X, y)
    assert np.array_equal(a.theta_, b.theta_) and a.history_.loss.equals(b.history_.loss)
    assert not np.array_equal(a.theta_, c.theta_)


def test_scikit_learn_pipeline_and_cross_validation(digits):
    X, y = digits
    import warnings

    from sklearn.neural_network import MLPClassifier as SklearnMLP

    pipe = make_pipeline(StandardScaler(), MLPClassifier(hidden=(32,), epochs=30, random_state=0))
    scores = cross_val_score(pipe, X[:600], y[:600], cv=3)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # sklearn warns that 30 iterations did not converge
        ref = cross_val_score(
            make_pipeline(StandardScaler(), SklearnMLP((32,), max_iter=30, batch_size=32, random_state=0)),
            X[:600],
            y[:600],
            cv=3,
        )
    assert scores.mean() > ref.mean() - 0.05 and scores.mean() > 0.75
    clf = clone(MLPClassifier(hidden=(5,), activation="gelu"))
    assert clf.get_params()["activation"] == "gelu" and not hasattr(clf, "theta_")
    fitted = MLPClassifier(hidden=(16,), epochs=5, random_state=0).fit(X, y)
    p = fitted.predict_proba(X[:4])
    np.testing.assert_allclose(p.sum(axis=1), 1.0)
    # a few rows take plain loops, many rows BLAS: the same numbers either way
    np.testing.assert_allclose(p, fitted.predict_proba(X[:40])[:4], rtol=1e-12)
    assert (fitted.predict(X[:40]) == np.concatenate([fitted.predict(X[i : i + 1]) for i in range(40)])).all()
    with pytest.raises(ModelError, match="NaN"):
        fitted.predict(np.full((1, 64), np.nan))


def test_labels_keep_their_type():
    X = np.array([[0.0], [1.0], [0.1], [0.9]])
    clf = MLPClassifier(hidden=(4,), epochs=200, learning_rate=0.05, random_state=0).fit(X, ["no", "yes", "no", "yes"])
    assert list(clf.predict([[0.05], [0.95]])) == ["no", "yes"]


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: MLPClassifier().fit(np.ones((3, 2)), [0, 1]), "one label per row"),
        (lambda: MLPClassifier().fit(np.array([[np.nan, 1.0], [0.0, 1.0]]), [0, 1]), "NaN"),
        (lambda: MLPClassifier().fit(np.empty((0, 2)), []), "empty"),
        (lambda: MLPClassifier().fit(np.ones(3), [0, 1, 0]), "2-D"),
        (lambda: MLPClassifier(activation="swish").fit(np.ones((2, 2)), [0, 1]), "relu"),
        (lambda: MLPClassifier(optimizer="lbfgs").fit(np.ones((2, 2)), [0, 1]), "adam"),
        (lambda: MLPClassifier(hidden=(0,)).fit(np.ones((2, 2)), [0, 1]), "a layer width"),
        (lambda: MLPClassifier(dropout=1.0).fit(np.ones((2, 2)), [0, 1]), "dropout"),
        (lambda: MLPClassifier().fit(np.ones((2, 2)), [1, 1]), "two classes"),
        (lambda: MLPClassifier().predict(np.ones((2, 2))), "not fitted"),
        (lambda: MLPClassifier(epochs=1).fit(np.ones((2, 2)), [0, 1]).predict(np.ones((2, 3))), "3 features"),
        (lambda: MLPRegressor().fit(np.ones((2, 2)), ["a", "b"]), "numeric"),
    ],
)
def test_bad_input_is_named(call, match):
    with pytest.raises(ModelError, match=match):
        call()


def test_a_live_curve_follows_training_without_changing_it():
    from sklearn.datasets import load_digits

    from workbench.viz import LiveCurve

    X, y = load_digits(return_X_y=True)
    X = X / 16
    curve = LiveCurve(X[1200:], y[1200:], show=False)
    with_cb = MLPClassifier(hidden=(32,), epochs=6, random_state=0, callback=curve).fit(X[:1200], y[:1200])
    plain = MLPClassifier(hidden=(32,), epochs=6, random_state=0).fit(X[:1200], y[:1200])
    assert np.array_equal(with_cb.theta_, plain.theta_)
    df = curve.frame
    assert list(df.epoch) == list(range(1, 7)) and np.allclose(df.loss, plain.history_.loss)
    assert df["validation score"].iloc[-1] > df["validation score"].iloc[0] + 0.3
    assert curve.chart().to_dict()["encoding"]["row"]["field"] == "series"
