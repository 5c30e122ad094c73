"""Numba kernels of the blockchain lab: pure functions over arrays (no validation here)."""

from __future__ import annotations

import numpy as np
from numba import njit

from .._config import STRICT


@njit(cache=True, fastmath=STRICT)
def selfish_mining_run(u_miner, u_tie, alpha, gamma):
    """Eyal-Sirer selfish-mining state machine over one event per entry of ``u_miner``.

    ``u_miner[i] < alpha`` means the pool finds the i-th block, otherwise the honest network
    does; ``u_tie[i] < gamma`` decides which branch an honest miner extends in a tie.
    Returns ``(pool_blocks, honest_blocks, orphaned_blocks)`` on the main chain at the end
    (a private lead still held at the end is published and counted for the pool).
    """
    pool = 0
    honest = 0
    orphans = 0
    lead = 0  # private branch length beyond the public tip
    tie = False  # state 0': two public branches of length 1 compete
    for i in range(u_miner.shape[0]):
        if u_miner[i] < alpha:  # the pool finds a block
            if tie:
                pool += 2  # publishes and wins the race with both its blocks
                orphans += 1
                tie = False
            else:
                lead += 1
        else:  # the honest network finds a block
            if tie:
                if u_tie[i] < gamma:  # built on the pool's branch
                    pool += 1
                    honest += 1
                else:  # built on the honest branch
                    honest += 2
                orphans += 1
                tie = False
            elif lead == 0:
                honest += 1
            elif lead == 1:
                tie = True  # pool publishes its block: a race
                lead = 0
            elif lead == 2:
                pool += 2  # pool publishes both and orphans the honest block
                orphans += 1
                lead = 0
            else:
                pool += 1  # pool reveals one block; it will end on the main chain
                orphans += 1
                lead -= 1
    pool += lead
    return pool, honest, orphans


@njit(cache=True, fastmath=STRICT)
def double_spend_race(q, z, trials, seed, max_deficit):
    """Monte Carlo of the double-spend race; returns the number of attacker wins.

    Per trial: blocks arrive one at a time, the attacker's with probability ``q``, until the
    honest chain holds ``z`` confirmations; the attacker, ``z - k`` behind with ``k`` secret
    blocks, then races (a random walk) and wins on catching up. A deficit of ``max_deficit``
    counts as a loss (the chance to come back from it is ``(q/p)**max_deficit``).
    """
    np.random.seed(seed)
    wins = 0
    for _ in range(trials):
        honest = 0
        attacker = 0
        while honest < z:
            if np.random.random() < q:
                attacker += 1
            else:
                honest += 1
        deficit = z - attacker
        while 0 < deficit < max_deficit:
            if np.random.random() < q:
                deficit -= 1
            else:
                deficit += 1
        if deficit <= 0:
            wins += 1
    return wins


@njit(cache=True, fastmath=STRICT)
def _arrival(t_block, src, dst, delay, side, cut_start, cut_until):
    """When participant ``dst`` receives a block mined by ``src`` at ``t_block`` (ms).

    While a partition is in force (``cut_start <= t < cut_until``), messages between
    different ``side`` values wait until ``cut_until``.
    """
    t = t_block
    if side[src] != side[dst] and t < cut_until and t + delay[src, dst] > cut_start:
        t = cut_until
    return t + delay[src, dst]


@njit(cache=True, fastmath=STRICT)
def mining_race(delay, cum_share, times, u, side, cut_start, cut_until):
    """Blocks mined by competing participants who see each other's blocks after a delay.

    Block ``i`` is found at ``times[i]`` (ms, increasing) by the participant that ``u[i]``
    selects on the cumulative hash shares; it extends the highest block that participant
    knows at that moment (ties: the one it received first). ``delay[a, b]`` is the
    propagation delay (ms) from ``a`` to ``b``. Returns ``miner, height, parent, on_main``
    (``parent`` -1 is genesis; the main chain ends at the highest block, earliest on ties).
    """
    n = times.shape[0]
    m = delay.shape[0]
    miner = np.empty(n, np.int64)
    height = np.empty(n, np.int64)
    parent = np.empty(n, np.int64)
    known_all = np.empty(n)  # when the last participant receives block i
    old = np.empty(64, np.int64)  # highest blocks every participant already has
    n_old = 0
    old_h = 0
    ptr = 0
    for i in range(n):
        t = times[i]
        k = 0
        while k < m - 1 and u[i] >= cum_share[k]:
            k += 1
        miner[i] = k
        while ptr < i and known_all[ptr] <= t:
            if height[ptr] > old_h:
                old_h = height[ptr]
                n_old = 0
            if height[ptr] == old_h and n_old < 64:
                old[n_old] = ptr
                n_old += 1
            ptr += 1
        best = -1
        best_h = 0
        best_arr = -np.inf
        for c in range(n_old):
            j = old[c]
            a = _arrival(times[j], miner[j], k, delay, side, cut_start, cut_until)
            if height[j] > best_h or (height[j] == best_h and a < best_arr):
                best, best_h, best_arr = j, height[j], a
        for j in range(ptr, i):
            a = _arrival(times[j], miner[j], k, delay, side, cut_start, cut_until)
            if a <= t and (height[j] > best_h or (height[j] == best_h and a < best_arr)):
                best, best_h, best_arr = j, height[j], a
        parent[i] = best
        height[i] = best_h + 1
        last = 0.0
        for d in range(m):
            a = _arrival(t, k, d, delay, side, cut_start, cut_until)
            if a > last:
                last = a
        known_all[i] = last
    on_main = np.zeros(n, np.bool_)
    tip = -1
    for i in range(n):
        if tip < 0 or height[i] > height[tip]:
            tip = i
    while tip >= 0:
        on_main[tip] = True
        tip = parent[tip]
    return miner, height, parent, on_main


@njit(cache=True, fastmath=STRICT)
def best_known(times, miner, height, delay, side, cut_start, cut_until, who, t):
    """Index of the block participant ``who`` would build on at time ``t`` (-1: genesis)."""
    best = -1
    best_h = 0
    best_arr = -np.inf
    for j in range(times.shape[0]):
        if times[j] > t:
            break
        a = _arrival(times[j], miner[j], who, delay, side, cut_start, cut_until)
        if a <= t and (height[j] > best_h or (height[j] == best_h and a < best_arr)):
            best, best_h, best_arr = j, height[j], a
    return best
