"""Dense networks on one flat parameter vector: forward and backward passes, losses, optimizer steps and a
training epoch (the kernels of :class:`workbench.ai.MLPClassifier` and :class:`workbench.ai.MLPRegressor`).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from ..._config import STRICT

# --------------------------------------------------------------------------- neural networks
# Parameters live in one flat float64 vector ``theta``: for each dense layer l the weights
# (sizes[l] x sizes[l+1], row-major) then the biases. Activations: 0 relu, 1 tanh,
# 2 sigmoid, 3 gelu (exact, with erf), 4 identity. Tasks: 0 softmax cross-entropy, 1 MSE.

RELU, TANH, SIGMOID, GELU, IDENTITY = 0, 1, 2, 3, 4
_SQRT1_2 = 0.7071067811865476
_INV_SQRT_2PI = 0.3989422804014327


@njit(cache=True, fastmath=STRICT)
def param_offsets(sizes):
    n = sizes.size - 1
    off = np.empty(n + 1, np.int64)
    off[0] = 0
    for l in range(n):
        off[l + 1] = off[l] + sizes[l] * sizes[l + 1] + sizes[l + 1]
    return off


@njit(cache=True, fastmath=STRICT)
def _activate(z, a, act):
    r, c = z.shape
    for i in range(r):
        for j in range(c):
            v = z[i, j]
            if act == RELU:
                a[i, j] = v if v > 0.0 else 0.0
            elif act == TANH:
                a[i, j] = math.tanh(v)
            elif act == SIGMOID:
                a[i, j] = 1.0 / (1.0 + math.exp(-v)) if v >= 0.0 else math.exp(v) / (1.0 + math.exp(v))
            elif act == GELU:
                a[i, j] = 0.5 * v * (1.0 + math.erf(v * _SQRT1_2))
            else:
                a[i, j] = v


@njit(cache=True, fastmath=STRICT)
def _act_grad(z, a, g, act):
    """g *= act'(z) in place."""
    r, c = z.shape
    for i in range(r):
        for j in range(c):
            if act == RELU:
                if z[i, j] <= 0.0:
                    g[i, j] = 0.0
            elif act == TANH:
                g[i, j] *= 1.0 - a[i, j] * a[i, j]
            elif act == SIGMOID:
                g[i, j] *= a[i, j] * (1.0 - a[i, j])
            elif act == GELU:
                v = z[i, j]
                g[i, j] *= 0.5 * (1.0 + math.erf(v * _SQRT1_2)) + v * _INV_SQRT_2PI * math.exp(-0.5 * v * v)


@njit(cache=True, fastmath=STRICT)
def mlp_forward(theta, sizes, act, X, Z, A, masks, keep):
    """Forward pass. ``Z[l]``/``A[l]`` are (batch, sizes[l+1]) buffers; ``A`` of the last layer
    holds the raw outputs (logits or predictions). ``keep`` < 1 applies inverted dropout to the
    hidden activations with the masks drawn into ``masks[l]``."""
    off = param_offsets(sizes)
    n = sizes.size - 1
    inp = X
    for l in range(n):
        W = theta[off[l] : off[l] + sizes[l] * sizes[l + 1]].reshape((sizes[l], sizes[l + 1]))
        b = theta[off[l] + sizes[l] * sizes[l + 1] : off[l + 1]]
        z = Z[l]
        np.dot(inp, W, z)
        for i in range(z.shape[0]):
            for j in range(z.shape[1]):
                z[i, j] += b[j]
        a = A[l]
        if l < n - 1:
            _activate(z, a, act)
            if keep < 1.0:
                m = masks[l]
                for i in range(a.shape[0]):
                    for j in range(a.shape[1]):
                        m[i, j] = (1.0 / keep) if np.random.random() < keep else 0.0
                        a[i, j] *= m[i, j]
        else:
            a[:, :] = z
        inp = a


@njit(cache=True, fastmath=STRICT)
def output_loss(out, Y, task, G):
    """Mean loss over the batch and its gradient w.r.t. the raw outputs (into ``G``).

    Softmax cross-entropy uses log-sum-exp (no overflow for any logits); ``Y`` holds class
    indices (as float) for task 0 and targets for task 1.
    """
    B, k = out.shape
    loss = 0.0
    if task == 0:
        for i in range(B):
            m = out[i, 0]
            for j in range(1, k):
                if out[i, j] > m:
                    m = out[i, j]
            s = 0.0
            for j in range(k):
                s += math.exp(out[i, j] - m)
            lse = m + math.log(s)
            c = int(Y[i, 0])
            loss += lse - out[i, c]
            for j in range(k):
                G[i, j] = math.exp(out[i, j] - lse) / B
            G[i, c] -= 1.0 / B
    else:
        for i in range(B):
            for j in range(k):
                d = out[i, j] - Y[i, j]
                loss += d * d
                G[i, j] = 2.0 * d / (B * k)
        loss /= k
    return loss / B


@njit(cache=True, fastmath=STRICT)
def mlp_backward(theta, sizes, act, X, Z, A, masks, keep, G, grad, wd):
    """Backpropagate ``G`` (d loss / d outputs); writes the full gradient (plus ``wd * W``) to ``grad``."""
    off = param_offsets(sizes)
    n = sizes.size - 1
    delta = G
    for l in range(n - 1, -1, -1):
        W = theta[off[l] : off[l] + sizes[l] * sizes[l + 1]].reshape((sizes[l], sizes[l + 1]))
        gW = grad[off[l] : off[l] + sizes[l] * sizes[l + 1]].reshape((sizes[l], sizes[l + 1]))
        gb = grad[off[l] + sizes[l] * sizes[l + 1] : off[l + 1]]
        inp = X if l == 0 else A[l - 1]
        np.dot(inp.T, delta, gW)
        if wd > 0.0:
            gW += wd * W
        for j in range(delta.shape[1]):
            s = 0.0
            for i in range(delta.shape[0]):
                s += delta[i, j]
            gb[j] = s
        if l > 0:
            prev = np.dot(delta, W.T)
            if keep < 1.0:
                prev *= masks[l - 1]
            _act_grad(Z[l - 1], A[l - 1], prev, act)
            delta = prev


@njit(cache=True, fastmath=STRICT)
def _buffers(sizes, B):
    n = sizes.size - 1
    Z = [np.empty((B, sizes[l + 1])) for l in range(n)]
    A = [np.empty((B, sizes[l + 1])) for l in range(n)]
    M = [np.ones((B, sizes[l + 1])) for l in range(n)]
    return Z, A, M


@njit(cache=True, fastmath=STRICT)
def mlp_loss_grad(theta, sizes, act, task, X, Y, wd):
    """Loss (with ``0.5 * wd * |W|^2``) and gradient on the whole of X, no dropout (for gradcheck)."""
    Z, A, M = _buffers(sizes, X.shape[0])
    mlp_forward(theta, sizes, act, X, Z, A, M, 1.0)
    G = np.empty_like(A[-1])
    loss = output_loss(A[-1], Y, task, G)
    grad = np.empty_like(theta)
    mlp_backward(theta, sizes, act, X, Z, A, M, 1.0, G, grad, wd)
    if wd > 0.0:
        off = param_offsets(sizes)
        for l in range(sizes.size - 1):
            for i in range(off[l], off[l] + sizes[l] * sizes[l + 1]):
                loss += 0.5 * wd * theta[i] * theta[i]
    return loss, grad


@njit(cache=True, fastmath=STRICT)
def mlp_predict(theta, sizes, act, X):
    """Raw outputs for X and whether every input was finite (no dropout, no buffers kept)."""
    ok = True
    for v in X.ravel():
        if not np.isfinite(v):
            ok = False
    off = param_offsets(sizes)
    n = sizes.size - 1
    h = np.ascontiguousarray(X)
    for l in range(n):
        W = theta[off[l] : off[l] + sizes[l] * sizes[l + 1]].reshape((sizes[l], sizes[l + 1]))
        b = theta[off[l] + sizes[l] * sizes[l + 1] : off[l + 1]]
        if h.shape[0] <= 8:  # a few rows: plain loops beat a BLAS call's overhead
            z = np.empty((h.shape[0], sizes[l + 1]))
            for r in range(h.shape[0]):
                z[r, :] = b
                for i in range(sizes[l]):
                    xi = h[r, i]
                    for j in range(sizes[l + 1]):
                        z[r, j] += xi * W[i, j]
        else:
            z = np.dot(h, W)
            for i in range(z.shape[0]):
                for j in range(z.shape[1]):
                    z[i, j] += b[j]
        if l < n - 1:
            _activate(z, z, act)
        h = z
    return h, ok


@njit(cache=True, fastmath=STRICT)
def mlp_classify(theta, sizes, act, X):
    """Index of the largest output per row (the predicted class) and the finite-input flag."""
    out, ok = mlp_predict(theta, sizes, act, X)
    idx = np.empty(out.shape[0], np.int64)
    for i in range(out.shape[0]):
        b = 0
        for j in range(1, out.shape[1]):
            if out[i, j] > out[i, b]:
                b = j
        idx[i] = b
    return idx, ok


@njit(cache=True, fastmath=STRICT)
def optimizer_step(theta, grad, m, v, t, lr, opt, beta1, beta2, eps):
    """SGD with momentum (``opt`` 0: m = beta1 m + g; theta -= lr m) or Adam (``opt`` 1)."""
    if opt == 0:
        for i in range(theta.size):
            m[i] = beta1 * m[i] + grad[i]
            theta[i] -= lr * m[i]
    else:
        c1 = 1.0 - beta1**t
        c2 = 1.0 - beta2**t
        for i in range(theta.size):
            m[i] = beta1 * m[i] + (1.0 - beta1) * grad[i]
            v[i] = beta2 * v[i] + (1.0 - beta2) * grad[i] * grad[i]
            theta[i] -= lr * (m[i] / c1) / (math.sqrt(v[i] / c2) + eps)


@njit(cache=True, fastmath=STRICT)
def mlp_epoch(theta, sizes, act, task, X, Y, batch, lr, opt, beta1, beta2, eps, wd, keep, m, v, t):
    """One epoch of minibatch training over a random permutation; returns (mean loss, steps taken)."""
    N = X.shape[0]
    order = np.random.permutation(N)
    Z, A, M = _buffers(sizes, batch)
    grad = np.empty_like(theta)
    G = np.empty((batch, sizes[-1]))
    Xb = np.empty((batch, X.shape[1]))
    Yb = np.empty((batch, Y.shape[1]))
    total = 0.0
    for start in range(0, N, batch):
        B = min(batch, N - start)
        for i in range(B):
            Xb[i] = X[order[start + i]]
            Yb[i] = Y[order[start + i]]
        if B < batch:
            Zs, As, Ms = _buffers(sizes, B)
            mlp_forward(theta, sizes, act, Xb[:B], Zs, As, Ms, keep)
            loss = output_loss(As[-1], Yb[:B], task, G[:B])
            mlp_backward(theta, sizes, act, Xb[:B], Zs, As, Ms, keep, G[:B], grad, wd)
        else:
            mlp_forward(theta, sizes, act, Xb, Z, A, M, keep)
            loss = output_loss(A[-1], Yb, task, G)
            mlp_backward(theta, sizes, act, Xb, Z, A, M, keep, G, grad, wd)
        total += loss * B
        t += 1
        optimizer_step(theta, grad, m, v, t, lr, opt, beta1, beta2, eps)
    return total / N, t
