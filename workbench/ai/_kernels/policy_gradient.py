"""CartPole-v1 as a numba function and policy-gradient learners on it (REINFORCE with a value baseline,
one-step actor-critic).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from ..._config import STRICT
from .mlp import _buffers, mlp_backward, mlp_forward, optimizer_step, output_loss
from .tabular_rl import _sample

# --------------------------------------------------------------------------- CartPole and policy gradients
# CartPole-v1 exactly as gymnasium's classic-control CartPoleEnv (Barto, Sutton & Anderson 1983;
# Euler integration, tau = 0.02 s, failure beyond 12 degrees or 2.4 m, 500-step limit).

_THETA_LIMIT = 12.0 * 2.0 * math.pi / 360.0


@njit(cache=True, fastmath=STRICT)
def cartpole_step(state, action):
    """Advance ``state`` (x, x_dot, theta, theta_dot) in place by one step; returns terminated."""
    x, x_dot, theta, theta_dot = state[0], state[1], state[2], state[3]
    force = 10.0 if action == 1 else -10.0
    costheta = math.cos(theta)
    sintheta = math.sin(theta)
    temp = (force + 0.05 * theta_dot * theta_dot * sintheta) / 1.1
    thetaacc = (9.8 * sintheta - costheta * temp) / (0.5 * (4.0 / 3.0 - 0.1 * costheta * costheta / 1.1))
    xacc = temp - 0.05 * thetaacc * costheta / 1.1
    state[0] = x + 0.02 * x_dot
    state[1] = x_dot + 0.02 * xacc
    state[2] = theta + 0.02 * theta_dot
    state[3] = theta_dot + 0.02 * thetaacc
    return state[0] < -2.4 or state[0] > 2.4 or state[2] < -_THETA_LIMIT or state[2] > _THETA_LIMIT


@njit(cache=True, fastmath=STRICT)
def _adam(theta, grad, m, v, t, lr):
    optimizer_step(theta, grad, m, v, t, lr, 1, 0.9, 0.999, 1e-8)


@njit(cache=True, fastmath=STRICT)
def _softmax_row(out, t, p):
    """Softmax of row ``t`` of ``out`` into ``p`` (shifted by the row maximum)."""
    K = out.shape[1]
    mx = out[t, 0]
    for k in range(1, K):
        if out[t, k] > mx:
            mx = out[t, k]
    tot = 0.0
    for k in range(K):
        p[k] = math.exp(out[t, k] - mx)
        tot += p[k]
    for k in range(K):
        p[k] /= tot


@njit(cache=True, fastmath=STRICT)
def policy_probs(theta, sizes, act, s, Z, A, M, p):
    """Action probabilities of the softmax policy network for one state ``s`` (into ``p``)."""
    mlp_forward(theta, sizes, act, s.reshape((1, s.size)), Z, A, M, 1.0)
    _softmax_row(A[-1], 0, p)


@njit(cache=True, fastmath=STRICT)
def reinforce_update(th_pi, sizes_pi, th_v, sizes_v, act, X, acts, rewards, gamma, lr_pi, lr_v, opt, t):
    """One REINFORCE step with a learned value baseline (Williams 1992; Sutton & Barto 2018, 13.4)
    from one episode (states X, actions, rewards): Adam on the normalized advantages
    ``G_t - V(s_t)``, and the value network regressed on the returns-to-go. ``opt`` holds the
    Adam moments (m_pi, v_pi, m_v, v_v); returns the new step count."""
    T = X.shape[0]
    K = sizes_pi[sizes_pi.size - 1]
    G = np.empty((T, 1))
    run = 0.0
    for i in range(T - 1, -1, -1):
        run = rewards[i] + gamma * run
        G[i, 0] = run
    Zv, Av, Mv = _buffers(sizes_v, T)
    mlp_forward(th_v, sizes_v, act, X, Zv, Av, Mv, 1.0)
    adv = np.empty(T)
    for i in range(T):
        adv[i] = G[i, 0] - Av[-1][i, 0]
    mu = adv.mean()
    sd = adv.std() + 1e-8
    Zp, Ap, Mp = _buffers(sizes_pi, T)
    mlp_forward(th_pi, sizes_pi, act, X, Zp, Ap, Mp, 1.0)
    Gp = np.empty((T, K))
    p = np.empty(K)
    for i in range(T):
        _softmax_row(Ap[-1], i, p)
        w = (adv[i] - mu) / sd / T
        for k in range(K):
            Gp[i, k] = (p[k] - (1.0 if acts[i] == k else 0.0)) * w
    g_pi, g_v = np.empty_like(th_pi), np.empty_like(th_v)
    mlp_backward(th_pi, sizes_pi, act, X, Zp, Ap, Mp, 1.0, Gp, g_pi, 0.0)
    t += 1
    _adam(th_pi, g_pi, opt[0], opt[1], t, lr_pi)
    Gv = np.empty((T, 1))
    output_loss(Av[-1], G, 1, Gv)
    mlp_backward(th_v, sizes_v, act, X, Zv, Av, Mv, 1.0, Gv, g_v, 0.0)
    _adam(th_v, g_v, opt[2], opt[3], t, lr_v)
    return t


@njit(cache=True, fastmath=STRICT)
def actor_critic_update(th_pi, sizes_pi, th_v, sizes_v, act, s, a, r, s_next, terminal, gamma, lr_pi, lr_v, opt, t):
    """One-step actor-critic (Sutton & Barto 2018, 13.5) after one transition: the TD error
    ``delta = r + gamma V(s') - V(s)`` (no bootstrap from a terminal state) updates the critic by
    ``-delta`` and the actor by ``delta * grad log pi(a | s)``; returns the new step count."""
    K = sizes_pi[sizes_pi.size - 1]
    Zv, Av, Mv = _buffers(sizes_v, 1)
    v_next = 0.0
    if not terminal:
        mlp_forward(th_v, sizes_v, act, s_next.reshape((1, s_next.size)), Zv, Av, Mv, 1.0)
        v_next = Av[-1][0, 0]
    x = s.reshape((1, s.size))
    mlp_forward(th_v, sizes_v, act, x, Zv, Av, Mv, 1.0)
    delta = r + gamma * v_next - Av[-1][0, 0]
    Gv = np.empty((1, 1))
    Gv[0, 0] = -delta
    g_pi, g_v = np.empty_like(th_pi), np.empty_like(th_v)
    mlp_backward(th_v, sizes_v, act, x, Zv, Av, Mv, 1.0, Gv, g_v, 0.0)
    t += 1
    _adam(th_v, g_v, opt[2], opt[3], t, lr_v)
    Zp, Ap, Mp = _buffers(sizes_pi, 1)
    mlp_forward(th_pi, sizes_pi, act, x, Zp, Ap, Mp, 1.0)
    p = np.empty(K)
    _softmax_row(Ap[-1], 0, p)
    Gp = np.empty((1, K))
    for k in range(K):
        Gp[0, k] = (p[k] - (1.0 if a == k else 0.0)) * delta
    mlp_backward(th_pi, sizes_pi, act, x, Zp, Ap, Mp, 1.0, Gp, g_pi, 0.0)
    _adam(th_pi, g_pi, opt[0], opt[1], t, lr_pi)
    return t


@njit(cache=True, fastmath=STRICT)
def _solved(returns, e, target):
    if target <= 0.0 or e < 99:
        return False
    s = 0.0
    for k in range(e - 99, e + 1):
        s += returns[k]
    return s / 100.0 >= target


@njit(cache=True, fastmath=STRICT)
def _moments(th_pi, th_v):
    return [np.zeros_like(th_pi), np.zeros_like(th_pi), np.zeros_like(th_v), np.zeros_like(th_v)]


@njit(cache=True, fastmath=STRICT)
def reinforce_cartpole(th_pi, sizes_pi, th_v, sizes_v, act, episodes, gamma, lr_pi, lr_v, seed, returns, target):
    """REINFORCE with a value baseline on the compiled CartPole-v1, one :func:`reinforce_update`
    per episode. ``returns[e]`` is episode e's length (= return). Stops once the mean of the last
    100 returns reaches ``target`` (> 0); returns the episodes run."""
    np.random.seed(seed)
    T_MAX = 500
    S = np.empty((T_MAX, 4))
    acts = np.empty(T_MAX, np.int64)
    ones = np.ones(T_MAX)
    Z1, A1, M1 = _buffers(sizes_pi, 1)
    p = np.empty(2)
    opt = _moments(th_pi, th_v)
    t = 0
    state = np.empty(4)
    for e in range(episodes):
        for j in range(4):
            state[j] = np.random.uniform(-0.05, 0.05)
        T = 0
        while T < T_MAX:
            S[T] = state
            policy_probs(th_pi, sizes_pi, act, state, Z1, A1, M1, p)
            a = _sample(p, np.random.random())
            acts[T] = a
            T += 1
            if cartpole_step(state, a):
                break
        returns[e] = T
        t = reinforce_update(
            th_pi, sizes_pi, th_v, sizes_v, act, S[:T].copy(), acts[:T], ones[:T], gamma, lr_pi, lr_v, opt, t
        )
        if _solved(returns, e, target):
            return e + 1
    return episodes


@njit(cache=True, fastmath=STRICT)
def actor_critic_cartpole(th_pi, sizes_pi, th_v, sizes_v, act, episodes, gamma, lr_pi, lr_v, seed, returns, target):
    """One-step actor-critic on the compiled CartPole-v1, one :func:`actor_critic_update` per step
    (a failure is terminal; the 500-step cut is not)."""
    np.random.seed(seed)
    Z1, A1, M1 = _buffers(sizes_pi, 1)
    p = np.empty(2)
    opt = _moments(th_pi, th_v)
    t = 0
    state = np.empty(4)
    nxt = np.empty(4)
    for e in range(episodes):
        for j in range(4):
            state[j] = np.random.uniform(-0.05, 0.05)
        T = 0
        while T < 500:
            policy_probs(th_pi, sizes_pi, act, state, Z1, A1, M1, p)
            a = _sample(p, np.random.random())
            nxt[:] = state
            term = cartpole_step(nxt, a)
            T += 1
            t = actor_critic_update(
                th_pi, sizes_pi, th_v, sizes_v, act, state, a, 1.0, nxt, term, gamma, lr_pi, lr_v, opt, t
            )
            state[:] = nxt
            if term:
                break
        returns[e] = T
        if _solved(returns, e, target):
            return e + 1
    return episodes
