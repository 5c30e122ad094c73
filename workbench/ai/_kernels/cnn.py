"""Convolutional networks: im2col convolutions, ReLU and max pooling, one or two blocks and a dense output
layer; the layer sizes travel as one shape record.
"""

from __future__ import annotations

from collections import namedtuple

import numpy as np
from numba import njit

from ..._config import STRICT
from .mlp import optimizer_step, output_loss

# --------------------------------------------------------------------------- convolution
# Blocks of conv (valid, stride 1) -> ReLU -> max pool, then a dense softmax/linear layer, on
# inputs (B, C, H, W); a 1-D signal is an image of height 1 with kernels (1, k) and pools (1, p).
# Flat parameters: W1 (C1, C0, kh, kw), b1 (C1), [W2 (C2, C1, kh, kw), b2 (C2)], Wd (F, K), bd (K).


@njit(cache=True, fastmath=STRICT)
def _im2col(x, kh, kw):
    """Rows (n, i, j) of the valid windows: cols[(n Ho + i) Wo + j, (c kh + a) kw + b] = x[n, c, i + a, j + b]."""
    B, Ci, Hh, Ww = x.shape
    Ho, Wo = Hh - kh + 1, Ww - kw + 1
    cols = np.empty((B * Ho * Wo, Ci * kh * kw))
    for n in range(B):
        for c in range(Ci):
            for i in range(Ho):
                for j in range(Wo):
                    r = (n * Ho + i) * Wo + j
                    for a in range(kh):
                        for b in range(kw):
                            cols[r, (c * kh + a) * kw + b] = x[n, c, i + a, j + b]
    return cols


@njit(cache=True, fastmath=STRICT)
def conv2d_forward(x, W, b):
    """Valid, stride-1 convolution (cross-correlation) of x (B, Ci, H, W) with W (Co, Ci, kh, kw) plus
    b: (B, Co, H - kh + 1, W - kw + 1), as one matrix product over the im2col windows."""
    B, Ci, Hh, Ww = x.shape
    Co, _, kh, kw = W.shape
    Ho, Wo = Hh - kh + 1, Ww - kw + 1
    yf = np.dot(_im2col(x, kh, kw), np.ascontiguousarray(W.reshape((Co, Ci * kh * kw)).T))
    y = np.empty((B, Co, Ho, Wo))
    for n in range(B):
        for o in range(Co):
            for i in range(Ho):
                for j in range(Wo):
                    y[n, o, i, j] = yf[(n * Ho + i) * Wo + j, o] + b[o]
    return y


@njit(cache=True, fastmath=STRICT)
def _conv2d_backward(x, W, dy, dW, db, need_dx):
    B, Ci, Hh, Ww = x.shape
    Co, _, kh, kw = W.shape
    Ho, Wo = dy.shape[2], dy.shape[3]
    g = np.empty((B * Ho * Wo, Co))
    for n in range(B):
        for o in range(Co):
            for i in range(Ho):
                for j in range(Wo):
                    v = dy[n, o, i, j]
                    g[(n * Ho + i) * Wo + j, o] = v
                    db[o] += v
    dWf = dW.reshape((Co, Ci * kh * kw))
    dWf += np.dot(g.T, _im2col(x, kh, kw))
    dx = np.zeros_like(x)
    if need_dx:
        dcols = np.dot(g, np.ascontiguousarray(W.reshape((Co, Ci * kh * kw))))
        for n in range(B):
            for c in range(Ci):
                for i in range(Ho):
                    for j in range(Wo):
                        r = (n * Ho + i) * Wo + j
                        for a in range(kh):
                            for b in range(kw):
                                dx[n, c, i + a, j + b] += dcols[r, (c * kh + a) * kw + b]
    return dx


@njit(cache=True, fastmath=STRICT)
def conv2d_backward(x, W, dy, dW, db):
    """Accumulates dW, db and returns dx for y = conv2d(x, W) + b."""
    return _conv2d_backward(x, W, dy, dW, db, True)


@njit(cache=True, fastmath=STRICT)
def conv1d_forward(x, W, b):
    """Valid convolution of signals x (B, Ci, L) with W (Co, Ci, k): a height-1 image."""
    B, Ci, L = x.shape
    Co, _, k = W.shape
    y = conv2d_forward(
        np.ascontiguousarray(x).reshape((B, Ci, 1, L)), np.ascontiguousarray(W).reshape((Co, Ci, 1, k)), b
    )
    return y.reshape((B, Co, L - k + 1))


@njit(cache=True, fastmath=STRICT)
def relu_pool2d_forward(y, ph, pw):
    """ReLU then non-overlapping (ph, pw) max pooling; returns the pooled output and each window's
    argmax as a flat index ``i * W + j`` into the input plane."""
    B, C, Hh, Ww = y.shape
    Hp, Wp = Hh // ph, Ww // pw
    out = np.empty((B, C, Hp, Wp))
    idx = np.empty((B, C, Hp, Wp), np.int64)
    for n in range(B):
        for c in range(C):
            for i in range(Hp):
                for j in range(Wp):
                    bi, bj = i * ph, j * pw
                    for a in range(i * ph, i * ph + ph):
                        for b in range(j * pw, j * pw + pw):
                            if y[n, c, a, b] > y[n, c, bi, bj]:
                                bi, bj = a, b
                    v = y[n, c, bi, bj]
                    out[n, c, i, j] = v if v > 0.0 else 0.0
                    idx[n, c, i, j] = bi * Ww + bj
    return out, idx


@njit(cache=True, fastmath=STRICT)
def relu_pool2d_backward(dout, idx, y):
    B, C, Hp, Wp = dout.shape
    Ww = y.shape[3]
    dy = np.zeros_like(y)
    for n in range(B):
        for c in range(C):
            for i in range(Hp):
                for j in range(Wp):
                    f = idx[n, c, i, j]
                    a, b = f // Ww, f % Ww
                    if y[n, c, a, b] > 0.0:
                        dy[n, c, a, b] += dout[n, c, i, j]
    return dy


@njit(cache=True, fastmath=STRICT)
def relu_pool_forward(y, p):
    """ReLU then max pooling of width ``p`` over signals (B, C, L); argmax positions along L."""
    B, C, L = y.shape
    out, idx = relu_pool2d_forward(np.ascontiguousarray(y).reshape((B, C, 1, L)), 1, p)
    return out.reshape((B, C, L // p)), idx.reshape((B, C, L // p))


#: The layer sizes of a network, passed to the kernels as one record instead of ten arguments:
#: input channels, height and width, the two blocks' channels (C2 = 0: one block), kernel and pool
#: height and width, and the number of outputs.
CNNShape = namedtuple("CNNShape", ["C0", "H0", "W0", "C1", "C2", "kh", "kw", "ph", "pw", "K"])


@njit(cache=True, fastmath=STRICT)
def cnn_sizes(C0, H0, W0, C1, C2, kh, kw, ph, pw, K):
    """Plane sizes after each block and the parameter count; ``C2 = 0`` means one block."""
    H1, W1 = (H0 - kh + 1) // ph, (W0 - kw + 1) // pw
    if C2 > 0:
        H2, W2 = (H1 - kh + 1) // ph, (W1 - kw + 1) // pw
        F = C2 * H2 * W2
        n = C1 * C0 * kh * kw + C1 + C2 * C1 * kh * kw + C2 + F * K + K
    else:
        H2, W2 = H1, W1
        F = C1 * H1 * W1
        n = C1 * C0 * kh * kw + C1 + F * K + K
    return H1, W1, H2, W2, F, n


@njit(cache=True, fastmath=STRICT)
def _cnn_views(theta, C0, C1, C2, kh, kw, F, K):
    o = 0
    W1 = theta[o : o + C1 * C0 * kh * kw].reshape((C1, C0, kh, kw))
    o += C1 * C0 * kh * kw
    b1 = theta[o : o + C1]
    o += C1
    W2 = theta[o : o + C2 * C1 * kh * kw].reshape((C2, C1, kh, kw))
    o += C2 * C1 * kh * kw
    b2 = theta[o : o + C2]
    o += C2
    Wd = theta[o : o + F * K].reshape((F, K))
    o += F * K
    bd = theta[o : o + K]
    return W1, b1, W2, b2, Wd, bd


@njit(cache=True, fastmath=STRICT)
def cnn_loss_grad(theta, shape, task, X, Y, want_grad):
    """Loss (and gradient when ``want_grad``) of the one- or two-block CNN on X (B, C0, H0, W0)."""
    C0, H0, W0, C1, C2, kh, kw, ph, pw, K = shape
    H1, W1_, H2, W2_, F, n = cnn_sizes(C0, H0, W0, C1, C2, kh, kw, ph, pw, K)
    W1, b1, W2, b2, Wd, bd = _cnn_views(theta, C0, C1, C2, kh, kw, F, K)
    B = X.shape[0]
    y1 = conv2d_forward(X, W1, b1)
    h1, i1 = relu_pool2d_forward(y1, ph, pw)
    if C2 > 0:
        y2 = conv2d_forward(h1, W2, b2)
        h2, i2 = relu_pool2d_forward(y2, ph, pw)
    else:
        y2, h2, i2 = y1, h1, i1
    flat = np.ascontiguousarray(h2).reshape((B, F))
    out = np.dot(flat, Wd)
    for i in range(B):
        for j in range(K):
            out[i, j] += bd[j]
    G = np.empty_like(out)
    loss = output_loss(out, Y, task, G)
    grad = np.zeros_like(theta)
    if want_grad:
        gW1, gb1, gW2, gb2, gWd, gbd = _cnn_views(grad, C0, C1, C2, kh, kw, F, K)
        gWd[:, :] = np.dot(flat.T, G)
        for j in range(K):
            s = 0.0
            for i in range(B):
                s += G[i, j]
            gbd[j] = s
        dh = np.dot(G, Wd.T).reshape(h2.shape)
        if C2 > 0:
            dy2 = relu_pool2d_backward(dh, i2, y2)
            dh = _conv2d_backward(h1, W2, dy2, gW2, gb2, True)
        dy1 = relu_pool2d_backward(dh, i1, y1)
        _conv2d_backward(X, W1, dy1, gW1, gb1, False)  # no gradient for the input
    return loss, grad, out


@njit(cache=True, fastmath=STRICT)
def cnn_epoch(theta, shape, task, X, Y, batch, lr, m, v, t):
    N = X.shape[0]
    order = np.random.permutation(N)
    total = 0.0
    for start in range(0, N, batch):
        B = min(batch, N - start)
        Xb = np.empty((B, shape.C0, shape.H0, shape.W0))
        Yb = np.empty((B, Y.shape[1]))
        for i in range(B):
            Xb[i] = X[order[start + i]]
            Yb[i] = Y[order[start + i]]
        loss, grad, _ = cnn_loss_grad(theta, shape, task, Xb, Yb, True)
        total += loss * B
        t += 1
        optimizer_step(theta, grad, m, v, t, lr, 1, 0.9, 0.999, 1e-8)
    return total / N, t
