"""Recurrent networks (GRU, plain RNN): forward against numpy, gradients against central differences, learning, API."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.base import clone

from workbench.ai import _kernels as K
from workbench.ai.nn import ModelError, gradcheck
from workbench.ai.rnn import GRUClassifier, GRURegressor, RNNClassifier, RNNRegressor

from . import naive


@pytest.mark.kernel
def test_forward_matches_numpy_and_gradients_match_central_differences():
    rng = np.random.default_rng(3)
    D, H, Ko = 2, 4, 3
    theta = rng.normal(scale=0.5, size=K.rnn_size(D, H, Ko, K.CELL_GRU))
    X = rng.normal(size=(5, 6, D))
    views = K._rnn_views(theta, D, H, Ko, K.CELL_GRU)
    W, U, b, Wo, bo = views
    ref = naive.gru_forward_naive(W[0], W[1], W[2], U[0], U[1], U[2], b[0], b[1], b[2], Wo, bo, X)
    np.testing.assert_allclose(K.rnn_predict(theta, D, H, Ko, X, K.CELL_GRU), ref, rtol=1e-12, atol=1e-12)
    y = np.array([0, 1, 2, 1, 0])
    report = gradcheck(GRUClassifier(hidden=H, random_state=0), X, y)
    assert (report.relative_error <= 1e-6).all(), report
    assert len(report) == 11
    reg = gradcheck(GRURegressor(hidden=3, random_state=1), X, rng.normal(size=(5, 2)))
    assert (reg.relative_error <= 1e-6).all()


@pytest.mark.kernel
def test_plain_rnn_forward_matches_numpy_and_gradients_match_central_differences():
    rng = np.random.default_rng(4)
    D, H, Ko = 3, 5, 2
    theta = rng.normal(scale=0.5, size=K.rnn_size(D, H, Ko, K.CELL_ELMAN))
    assert theta.size == D * H + H * H + H + H * Ko + Ko
    X = rng.normal(size=(6, 7, D))
    W, U, b, Wo, bo = K._rnn_views(theta, D, H, Ko, K.CELL_ELMAN)
    ref = naive.elman_forward_naive(W[0], U[0], b[0], Wo, bo, X)
    np.testing.assert_allclose(K.rnn_predict(theta, D, H, Ko, X, K.CELL_ELMAN), ref, rtol=1e-12, atol=1e-12)
    report = gradcheck(RNNClassifier(hidden=H, random_state=0), X, np.array([0, 1, 1, 0, 1, 0]))
    assert (report.relative_error <= 1e-6).all(), report
    assert list(report.block) == ["W", "U", "b", "W_out", "b_out"]
    reg = gradcheck(RNNRegressor(hidden=3, random_state=1), X, rng.normal(size=6))
    assert (reg.relative_error <= 1e-6).all()
    m = RNNRegressor(hidden=3, epochs=2, batch_size=4, clip=0.1, random_state=0).fit(X, X[:, -1, 0])
    assert len(m.history_) == 2 and m.predict(X[:2]).shape == (2,)


def test_plain_rnn_remembers_the_first_value_of_a_20_step_sequence():
    rng = np.random.default_rng(5)
    X = 0.3 * rng.normal(size=(1500, 20))
    X[:, 0] = rng.normal(size=1500)
    y = (X[:, 0] > 0).astype(int)  # decided by the first step, read out after the last
    clf = RNNClassifier(hidden=16, epochs=20, learning_rate=0.01, random_state=0).fit(X[:1200], y[:1200])
    assert clf.score(X[1200:], y[1200:]) >= 0.95  # chance: 0.5


@pytest.mark.kernel
def test_training_kernel_with_clipping_runs():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(20, 4))
    m = GRURegressor(hidden=3, epochs=2, batch_size=8, clip=0.1, random_state=0).fit(X, X.sum(axis=1))
    assert len(m.history_) == 2 and m.predict(X[:3]).shape == (3,)


def test_classifies_a_task_that_needs_memory():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(2500, 12))
    y = (X[:, :6].sum(axis=1) > X[:, 6:].sum(axis=1)).astype(int)  # compare the two halves of the sequence
    clf = GRUClassifier(hidden=16, epochs=30, learning_rate=0.01, random_state=0).fit(X[:2000], y[:2000])
    assert clf.score(X[2000:], y[2000:]) >= 0.88  # chance: 0.5
    np.testing.assert_allclose(clf.predict_proba(X[:5]).sum(axis=1), 1.0)


def test_regresses_the_next_value_of_a_noisy_sine():
    rng = np.random.default_rng(2)
    t = np.arange(1200) * 0.3
    s = np.sin(t) + 0.05 * rng.normal(size=t.size)
    X = np.lib.stride_tricks.sliding_window_view(s[:-1], 10)
    y = s[10:]
    reg = GRURegressor(hidden=16, epochs=30, learning_rate=0.01, random_state=0).fit(X[:900], y[:900])
    assert reg.score(X[900:], y[900:]) >= 0.95


def test_reproducible_and_sklearn_compatible():
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(50, 5, 2)), rng.integers(0, 2, 50)
    a = GRUClassifier(hidden=4, epochs=3, random_state=9).fit(X, y)
    b = GRUClassifier(hidden=4, epochs=3, random_state=9).fit(X, y)
    assert np.array_equal(a.theta_, b.theta_) and a.history_.loss.equals(b.history_.loss)
    assert clone(a).get_params()["hidden"] == 4


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: GRUClassifier().fit(np.ones((3, 4)), [0, 1]), "one label per sequence"),
        (lambda: GRUClassifier().fit(np.ones(3), [0, 1, 0]), "n_steps"),
        (lambda: GRUClassifier().fit(np.full((2, 3), np.nan), [0, 1]), "NaN"),
        (lambda: GRUClassifier(hidden=0).fit(np.ones((2, 3)), [0, 1]), "hidden"),
        (lambda: GRUClassifier().predict(np.ones((2, 3))), "not fitted"),
        (lambda: GRUClassifier(epochs=1).fit(np.ones((2, 3)), [0, 1]).predict(np.ones((2, 4))), "fitted on 3 steps"),
        (lambda: GRURegressor().fit(np.ones((2, 3)), [1.0, np.inf]), "finite"),
        (lambda: gradcheck(object(), np.ones((2, 2)), [0, 1]), "MLP or recurrent"),
    ],
)
def test_bad_input_is_named(call, match):
    with pytest.raises(ModelError, match=match):
        call()
