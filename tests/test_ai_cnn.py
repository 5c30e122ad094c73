"""1-D CNN: convolution and pooling against numpy, gradients against central differences, API."""

from __future__ import annotations

import numpy as np
import pytest

from workbench.ai import _kernels as K
from workbench.ai.cnn import Conv1DClassifier
from workbench.ai.nn import ModelError, gradcheck


@pytest.mark.kernel
def test_convolution_and_pooling_match_numpy():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(3, 2, 17))
    W = rng.normal(size=(4, 2, 5))
    b = rng.normal(size=4)
    y = K.conv1d_forward(x, W, b)
    ref = np.stack([np.stack([sum(np.correlate(x[n, c], W[o, c], mode="valid") for c in range(2)) + b[o]
                              for o in range(4)]) for n in range(3)])
    np.testing.assert_allclose(y, ref, rtol=1e-12)
    pooled, idx = K.relu_pool_forward(y, 3)
    ref_pool = np.maximum(y[:, :, :12].reshape(3, 4, 4, 3).max(axis=3), 0)
    np.testing.assert_allclose(pooled, ref_pool)
    assert idx.shape == pooled.shape


@pytest.mark.kernel
def test_gradients_match_central_differences():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(5, 2, 20))
    y = np.array([0, 1, 2, 1, 0])
    report = gradcheck(Conv1DClassifier(channels=(3, 4), kernel_size=3, pool=2, random_state=0), X, y)
    assert (report.relative_error <= 1e-6).all(), report
    clf = Conv1DClassifier(channels=(2, 2), kernel_size=3, epochs=2, batch_size=4, random_state=0).fit(X, y)
    assert clf.predict(X).shape == (5,) and len(clf.history_) == 2


def test_learns_a_shifted_pattern_and_is_reproducible():
    rng = np.random.default_rng(2)
    X = rng.normal(size=(2500, 40))
    y = rng.integers(0, 2, 2500)
    where = rng.integers(5, 30, 2500)
    for i in np.flatnonzero(y):
        X[i, where[i]:where[i] + 4] += 2.5   # the bump moves: translation invariance is what convolution buys
    a = Conv1DClassifier(channels=(8, 8), epochs=8, random_state=0).fit(X[:2000], y[:2000])
    assert a.score(X[2000:], y[2000:]) >= 0.9
    b = Conv1DClassifier(channels=(8, 8), epochs=8, random_state=0).fit(X[:2000], y[:2000])
    assert np.array_equal(a.theta_, b.theta_)
    np.testing.assert_allclose(a.predict_proba(X[:3]).sum(axis=1), 1.0)


@pytest.mark.parametrize("call, match", [
    (lambda: Conv1DClassifier().fit(np.ones((3, 40)), [0, 1]), "one label per signal"),
    (lambda: Conv1DClassifier().fit(np.ones((2, 6)), [0, 1]), "too short"),
    (lambda: Conv1DClassifier(channels=(0, 4)).fit(np.ones((2, 40)), [0, 1]), "positive"),
    (lambda: Conv1DClassifier().fit(np.full((2, 40), np.inf), [0, 1]), "NaN"),
    (lambda: Conv1DClassifier().predict(np.ones((2, 40))), "not fitted"),
    (lambda: Conv1DClassifier(epochs=1).fit(np.ones((2, 40)), [0, 1]).predict(np.ones((2, 41))), "fitted on"),
])
def test_bad_input_is_named(call, match):
    with pytest.raises(ModelError, match=match):
        call()


def test_mnist1d_is_generated_offline_and_a_small_cnn_learns_it():
    from workbench.ai.datasets import load_mnist1d

    X, y, Xt, yt = load_mnist1d()
    assert X.shape == (4000, 40) and Xt.shape == (1000, 40) and set(np.unique(y)) == set(range(10))
    X2 = load_mnist1d()[0]
    np.testing.assert_array_equal(X, X2)  # the generator is seeded: same data every time
    clf = Conv1DClassifier(channels=(8, 8), epochs=6, random_state=0).fit(X, y)
    assert clf.score(Xt, yt) >= 0.6  # chance is 0.1; the full goal (>= 0.93) runs in benchmarks/bench_ai.py
