"""Recurrent layers: a GRU and a plain (Elman) RNN with a dense output layer, trained by backpropagation
through time.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from ..._config import STRICT
from .mlp import optimizer_step, output_loss

# --------------------------------------------------------------------------- recurrent layers
# cell 0, GRU (Cho et al. 2014): z = s(x Wz + h Uz + bz), r = s(x Wr + h Ur + br),
# n = tanh(x Wn + (r*h) Un + bn), h' = (1 - z) n + z h.
# cell 1, plain (Elman) RNN: h' = tanh(x W + h U + b).
# The last hidden state feeds a dense output layer. Flat parameters: the gates' W (D x H each),
# then their U (H x H each), then their b (H each), then Wo (H x K), bo (K).
CELL_GRU = 0
CELL_ELMAN = 1


@njit(cache=True, fastmath=STRICT)
def _gates(cell):
    return 3 if cell == CELL_GRU else 1


@njit(cache=True, fastmath=STRICT)
def rnn_size(D, H, K, cell):
    g = _gates(cell)
    return g * D * H + g * H * H + g * H + H * K + K


@njit(cache=True, fastmath=STRICT)
def _rnn_views(theta, D, H, K, cell):
    g = _gates(cell)
    o = 0
    W = []
    for _ in range(g):
        W.append(theta[o : o + D * H].reshape((D, H)))
        o += D * H
    U = []
    for _ in range(g):
        U.append(theta[o : o + H * H].reshape((H, H)))
        o += H * H
    b = []
    for _ in range(g):
        b.append(theta[o : o + H])
        o += H
    Wo = theta[o : o + H * K].reshape((H, K))
    o += H * K
    bo = theta[o : o + K]
    return W, U, b, Wo, bo


@njit(cache=True, fastmath=STRICT)
def _sigmoid_inplace(a):
    for i in range(a.shape[0]):
        for j in range(a.shape[1]):
            v = a[i, j]
            a[i, j] = 1.0 / (1.0 + math.exp(-v)) if v >= 0.0 else math.exp(v) / (1.0 + math.exp(v))


@njit(cache=True, fastmath=STRICT)
def rnn_forward(theta, D, H, K, X, Hs, Zs, Rs, Ns, cell):
    """X: (B, T, D). Fills hidden states Hs (T+1, B, H) and gates (T, B, H); returns outputs (B, K)."""
    W, U, b, Wo, bo = _rnn_views(theta, D, H, K, cell)
    T = X.shape[1]
    Hs[0] = 0.0
    for t in range(T):
        x = np.ascontiguousarray(X[:, t, :])
        h = Hs[t]
        if cell == CELL_ELMAN:
            n = np.tanh(np.dot(x, W[0]) + np.dot(h, U[0]) + b[0])
            Ns[t] = n
            Hs[t + 1] = n
            continue
        z = np.dot(x, W[0]) + np.dot(h, U[0]) + b[0]
        r = np.dot(x, W[1]) + np.dot(h, U[1]) + b[1]
        _sigmoid_inplace(z)
        _sigmoid_inplace(r)
        n = np.tanh(np.dot(x, W[2]) + np.dot(r * h, U[2]) + b[2])
        Zs[t] = z
        Rs[t] = r
        Ns[t] = n
        Hs[t + 1] = (1.0 - z) * n + z * h
    return np.dot(Hs[T], Wo) + bo


@njit(cache=True, fastmath=STRICT)
def _add_colsum(dst, a):
    for j in range(a.shape[1]):
        s = 0.0
        for i in range(a.shape[0]):
            s += a[i, j]
        dst[j] += s


@njit(cache=True, fastmath=STRICT)
def rnn_backward(theta, D, H, K, X, Hs, Zs, Rs, Ns, G, grad, cell):
    """Backpropagation through time of ``G`` = d loss / d outputs; writes the gradient to ``grad``."""
    W, U, b, Wo, bo = _rnn_views(theta, D, H, K, cell)
    gW, gU, gb, gWo, gbo = _rnn_views(grad, D, H, K, cell)
    grad[:] = 0.0
    T = X.shape[1]
    gWo[:, :] = np.dot(Hs[T].T, G)
    _add_colsum(gbo, G)
    dh = np.dot(G, Wo.T)
    for t in range(T - 1, -1, -1):
        x = np.ascontiguousarray(X[:, t, :])
        h = Hs[t]
        n = Ns[t]
        if cell == CELL_ELMAN:
            dan = dh * (1.0 - n * n)
            gW[0][:, :] += np.dot(x.T, dan)
            gU[0][:, :] += np.dot(h.T, dan)
            _add_colsum(gb[0], dan)
            dh = np.dot(dan, U[0].T)
            continue
        z, r = Zs[t], Rs[t]
        dn = dh * (1.0 - z)
        dz = dh * (h - n)
        dprev = dh * z
        dan = dn * (1.0 - n * n)
        rh = r * h
        gW[2][:, :] += np.dot(x.T, dan)
        gU[2][:, :] += np.dot(rh.T, dan)
        drh = np.dot(dan, U[2].T)
        dr = drh * h
        dprev += drh * r
        daz = dz * z * (1.0 - z)
        dar = dr * r * (1.0 - r)
        gW[0][:, :] += np.dot(x.T, daz)
        gU[0][:, :] += np.dot(h.T, daz)
        gW[1][:, :] += np.dot(x.T, dar)
        gU[1][:, :] += np.dot(h.T, dar)
        dprev += np.dot(daz, U[0].T) + np.dot(dar, U[1].T)
        _add_colsum(gb[0], daz)
        _add_colsum(gb[1], dar)
        _add_colsum(gb[2], dan)
        dh = dprev


@njit(cache=True, fastmath=STRICT)
def _rnn_buffers(B, T, H):
    return np.empty((T + 1, B, H)), np.empty((T, B, H)), np.empty((T, B, H)), np.empty((T, B, H))


@njit(cache=True, fastmath=STRICT)
def rnn_loss_grad(theta, D, H, K, task, X, Y, cell):
    Hs, Zs, Rs, Ns = _rnn_buffers(X.shape[0], X.shape[1], H)
    out = rnn_forward(theta, D, H, K, X, Hs, Zs, Rs, Ns, cell)
    G = np.empty_like(out)
    loss = output_loss(out, Y, task, G)
    grad = np.empty_like(theta)
    rnn_backward(theta, D, H, K, X, Hs, Zs, Rs, Ns, G, grad, cell)
    return loss, grad


@njit(cache=True, fastmath=STRICT)
def rnn_predict(theta, D, H, K, X, cell):
    Hs, Zs, Rs, Ns = _rnn_buffers(X.shape[0], X.shape[1], H)
    return rnn_forward(theta, D, H, K, X, Hs, Zs, Rs, Ns, cell)


@njit(cache=True, fastmath=STRICT)
def rnn_epoch(theta, D, H, K, task, X, Y, batch, lr, m, v, t, clip, cell):
    """One epoch of minibatch Adam with global gradient-norm clipping at ``clip`` (0: none)."""
    N = X.shape[0]
    order = np.random.permutation(N)
    total = 0.0
    for start in range(0, N, batch):
        B = min(batch, N - start)
        Xb = np.empty((B, X.shape[1], X.shape[2]))
        Yb = np.empty((B, Y.shape[1]))
        for i in range(B):
            Xb[i] = X[order[start + i]]
            Yb[i] = Y[order[start + i]]
        loss, grad = rnn_loss_grad(theta, D, H, K, task, Xb, Yb, cell)
        if clip > 0.0:
            nrm = math.sqrt(np.sum(grad * grad))
            if nrm > clip:
                grad *= clip / nrm
        total += loss * B
        t += 1
        optimizer_step(theta, grad, m, v, t, lr, 1, 0.9, 0.999, 1e-8)
    return total / N, t
