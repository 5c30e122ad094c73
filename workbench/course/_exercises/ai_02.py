"""Checks of lesson ai.02, neural networks from scratch."""

from __future__ import annotations

import numpy as np

from ..checks import equal, right, wrong


def ex1(answer):
    sizes = [64, 32, 10]
    want = sum(a * b + b for a, b in zip(sizes[:-1], sizes[1:]))
    fb = equal(answer, want, what="the parameter count")
    if not fb.ok and isinstance(answer, (int, np.integer)):
        if answer == sum(a * b for a, b in zip(sizes[:-1], sizes[1:])):
            return wrong("the biases are missing: each layer has one bias per output unit")
    return fb


def ex2(answer):
    want = 8 * 3 * 5 * 5 + 8
    fb = equal(answer, want, what="the parameter count")
    if not fb.ok and isinstance(answer, (int, np.integer)):
        if answer == 8 * 5 * 5 + 8:
            return wrong("each filter has one 5 x 5 kernel per input channel, and the image has 3 channels")
        if answer == 8 * 3 * 5 * 5:
            return wrong("each filter also has a bias")
    return fb


def _softmax(z):
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def _xent(Z, y):
    P = _softmax(Z)
    return -np.mean(np.log(P[np.arange(len(y)), y]))


def _numeric(fun, arrays, eps=1e-6):
    out = []
    for a in arrays:
        g = np.zeros_like(a)
        for idx in np.ndindex(a.shape):
            old = a[idx]
            a[idx] = old + eps
            up = fun()
            a[idx] = old - eps
            down = fun()
            a[idx] = old
            g[idx] = (up - down) / (2 * eps)
        out.append(g)
    return out


def ex3(answer, seed=0):
    if not callable(answer):
        return wrong(f"the answer should be a function logit_gradient(Z, y), got {type(answer).__name__}")
    rng = np.random.default_rng(seed)
    for n, k in ((5, 3), (7, 4)):
        Z = rng.normal(size=(n, k)) * 2
        y = rng.integers(0, k, n)
        (want,) = _numeric(lambda Z=Z, y=y: _xent(Z, y), [Z])
        got = np.asarray(answer(Z.copy(), y.copy()), float)
        if got.shape != Z.shape:
            return wrong(f"the gradient should have the shape of Z, {Z.shape}, not {got.shape}")
        if np.allclose(got, want, atol=1e-6):
            continue
        if np.allclose(got, want * n, atol=1e-5):
            return wrong("too large by a factor n: the loss is a mean over the rows")
        if np.allclose(got, _softmax(Z) / n, atol=1e-6) or np.allclose(got, _softmax(Z), atol=1e-6):
            return wrong("the one-hot labels are not subtracted")
        return wrong(f"does not match central differences for {n} rows and {k} classes")
    return right("it matches central differences")


def _corr(x, w):
    kh, kw = w.shape
    H, W = x.shape[0] - kh + 1, x.shape[1] - kw + 1
    return np.array(
        [[sum(w[a, b] * x[i + a, j + b] for a in range(kh) for b in range(kw)) for j in range(W)] for i in range(H)]
    )


def ex4(answer, digit=None):
    if digit is None:
        from sklearn.datasets import load_digits
        from sklearn.model_selection import train_test_split

        X, y = load_digits(return_X_y=True)
        digit = train_test_split(X / 16.0, y, test_size=0.2, stratify=y, random_state=0)[0][0].reshape(8, 8)
    digit = np.asarray(digit, float)
    w = np.array([[1.0, 0.0, -1.0]] * 3).T
    want = _corr(digit, w)
    try:
        got = np.asarray(answer, float)
    except (TypeError, ValueError):
        return wrong("the answer should be a 2-D array")
    if got.shape != want.shape:
        return wrong(f"a valid 3 x 3 filter on an 8 x 8 image gives shape {want.shape}, not {got.shape}")
    if np.allclose(got, want):
        return right()
    if np.allclose(got, _corr(digit, w[::-1, ::-1])):
        return wrong("the filter is flipped: that is the mathematical convolution, not the cross-correlation used here")
    if np.allclose(got, _corr(digit, w.T)):
        return wrong("this is the vertical-edge filter; transpose it")
    return wrong("not the response of the horizontal-edge filter")


def ex5(answer, seed=0):
    if not callable(answer):
        return wrong(f"the answer should be a function relu_grads(...), got {type(answer).__name__}")
    rng = np.random.default_rng(seed)
    n, d, m, k, lam = 9, 3, 5, 3, 0.1
    X = rng.normal(size=(n, d))
    Y = np.eye(k)[rng.integers(0, k, n)]
    W1, b1 = rng.normal(size=(d, m)), rng.normal(size=m) * 0.5
    W2, b2 = rng.normal(size=(m, k)), rng.normal(size=k) * 0.5

    def L():
        h = np.maximum(X @ W1 + b1, 0)
        P = _softmax(h @ W2 + b2)
        return -np.mean(np.sum(Y * np.log(P), axis=1)) + lam / 2 * (np.sum(W1**2) + np.sum(W2**2))

    want = _numeric(L, [W1, b1, W2, b2])
    got = answer(X.copy(), Y.copy(), W1.copy(), b1.copy(), W2.copy(), b2.copy(), lam)
    try:
        got = [np.asarray(g, float) for g in got]
    except (TypeError, ValueError):
        return wrong("return the tuple (dW1, db1, dW2, db2)")
    if len(got) != 4:
        return wrong("return the tuple (dW1, db1, dW2, db2)")
    names = ["dW1", "db1", "dW2", "db2"]
    for name, g, w in zip(names, got, want):
        if g.shape != w.shape:
            return wrong(f"{name} should have the shape of its parameter, {w.shape}, not {g.shape}")
    bad = [name for name, g, w in zip(names, got, want) if not np.allclose(g, w, atol=1e-5)]
    if not bad:
        return right("all four gradients match central differences")
    if bad == ["dW1", "dW2"] or bad == ["dW2", "dW1"]:
        return wrong("the weight gradients are off but the biases are right: look at the weight-decay term")
    return wrong(f"{', '.join(bad)} do not match central differences")


CHECKS = {1: ex1, 2: ex2, 3: ex3, 4: ex4, 5: ex5}


def _wrong_examples():
    def no_onehot(Z, y):
        return _softmax(Z) / len(Z)

    def no_mean(Z, y):
        return _softmax(Z) - np.eye(Z.shape[1])[y]

    def no_decay(X, Y, W1, b1, W2, b2, lam):
        a = X @ W1 + b1
        h = np.maximum(a, 0)
        G = (_softmax(h @ W2 + b2) - Y) / len(X)
        Gh = (G @ W2.T) * (a > 0)
        return X.T @ Gh, Gh.sum(0), h.T @ G, G.sum(0)

    def tanh_deriv(X, Y, W1, b1, W2, b2, lam):
        a = X @ W1 + b1
        h = np.maximum(a, 0)
        G = (_softmax(h @ W2 + b2) - Y) / len(X)
        Gh = (G @ W2.T) * (1 - h**2)
        return X.T @ Gh + lam * W1, Gh.sum(0), h.T @ G + lam * W2, G.sum(0)

    digit = np.random.default_rng(3).random((8, 8))
    w = np.array([[1.0, 0.0, -1.0]] * 3)
    ctx = {"digit": digit}
    return {
        1: [(64 * 32 + 32 * 10, {}), (2410.0, {}), (2000, {})],
        2: [(8 * 25 + 8, {}), (8 * 75, {}), (608.0, {})],
        3: [(no_onehot, {}), (no_mean, {}), ("grad", {})],
        4: [(_corr(digit, w), ctx), (_corr(digit, w.T[::-1, ::-1]), ctx), (np.zeros((8, 8)), ctx)],
        5: [(no_decay, {}), (tanh_deriv, {}), (42, {})],
    }


WRONG = _wrong_examples
