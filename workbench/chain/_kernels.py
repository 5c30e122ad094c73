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
    lead = 0          # private branch length beyond the public tip
    tie = False       # state 0': two public branches of length 1 compete
    for i in range(u_miner.shape[0]):
        if u_miner[i] < alpha:  # the pool finds a block
            if tie:
                pool += 2       # publishes and wins the race with both its blocks
                orphans += 1
                tie = False
            else:
                lead += 1
        else:                   # the honest network finds a block
            if tie:
                if u_tie[i] < gamma:   # built on the pool's branch
                    pool += 1
                    honest += 1
                else:                  # built on the honest branch
                    honest += 2
                orphans += 1
                tie = False
            elif lead == 0:
                honest += 1
            elif lead == 1:
                tie = True             # pool publishes its block: a race
                lead = 0
            elif lead == 2:
                pool += 2              # pool publishes both and orphans the honest block
                orphans += 1
                lead = 0
            else:
                pool += 1              # pool reveals one block; it will end on the main chain
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
