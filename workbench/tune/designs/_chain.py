"""The chain design: block interval, block size, peer degree -> throughput, stale rate, selfish-mining threshold."""

from __future__ import annotations

import functools

import networkx as nx
import numpy as np

# ============================================================================================
# 1. Blockchain: interval, block size, peer degree -> throughput, stale ratio, selfish threshold
# ============================================================================================


@functools.lru_cache(maxsize=1)
def _tx_bytes() -> float:
    """Mean serialized size of the non-coinbase transactions of the shipped Bitcoin block 100000."""
    from ...chain.bitcoin import load_block

    txs = [t for t in load_block(100000).transactions if not t.is_coinbase]
    return float(np.mean([len(t.raw) for t in txs]))


@functools.lru_cache(maxsize=64)
def _overlay(nodes: int, degree: int, seed: int) -> nx.Graph:
    """The lab's overlay (deterministic for an integer seed); cached, never mutated."""
    from ...chain import p2p_network

    return p2p_network(nodes, degree=degree, seed=seed)


def _gamma_from_delays(D: np.ndarray) -> float:
    """Eyal-Sirer's gamma implied by a miner-to-miner delay matrix (ms), equal hash shares.

    Each miner in turn plays the selfish pool ``p``. When honest miner ``h`` finds a block, the
    pool hears it after ``D[h, p]`` and releases its withheld block at once; honest miner ``j``
    mines on whichever block it receives first: the honest one after ``D[h, j]``, the pool's
    after ``D[h, p] + D[p, j]`` (ties count half). The finder ``h`` stays on its own block.
    gamma is the hash-weighted fraction of honest miners on the pool's branch, averaged over
    pools and finders. (Relays validate before forwarding, the pool does not wait to validate
    the honest block, so the pool wins the nodes whose fastest path from ``h`` runs through it,
    and near-ties within one validation time.)
    """
    m = D.shape[0]
    # diff[p, h, j] = D[h, p] + D[p, j] - D[h, j]
    diff = D.T[:, :, None] + D[:, None, :] - D[None, :, :]
    scale = max(1.0, float(np.abs(D).max()))
    win = (diff < -1e-12 * scale) + 0.5 * (np.abs(diff) <= 1e-12 * scale)
    idx = np.arange(m)
    mask = np.ones((m, m, m), bool)
    mask[idx, idx, :] = False  # the finder is not the pool
    mask[idx, :, idx] = False  # the pool is not an honest observer
    mask[:, idx, idx] = False  # the finder mines on its own block (counts 0)
    # per (pool, finder): m - 1 honest miners (finder included, with 0)
    return float((win * mask).sum() / (m * (m - 1) * (m - 1)))


def _threshold_under_stale(gamma: float, stale: float) -> float:
    """Smallest pool share alpha for which selfish mining beats honest mining, given gamma and
    the honest network's stale ratio.

    The pool mines its private branch alone (no stale blocks of its own), while a fraction
    ``stale`` of honest work is wasted on forks, so the selfish race of Eyal and Sirer is played
    with the effective share ``a' = alpha / (alpha + (1 - alpha)(1 - stale))``; selfish mining pays
    when ``selfish_revenue(a', gamma) > alpha`` (honest mining earns the share alpha when every
    miner loses the same fraction of its blocks). With ``stale = 0`` this is exactly
    ``selfish_threshold(gamma) = (1 - gamma) / (3 - 2 gamma)``.
    """
    from scipy.optimize import brentq

    from ...chain import selfish_revenue, selfish_threshold

    if stale <= 0.0:
        return float(selfish_threshold(gamma))
    keep = 1.0 - min(stale, 1.0 - 1e-12)

    def f(a):
        a_eff = a / (a + (1.0 - a) * keep)
        return selfish_revenue(min(a_eff, 0.5 - 1e-12), gamma) - a

    a_max = 0.5 * keep / (0.5 + 0.5 * keep) - 1e-9  # where a' reaches 0.5 (revenue 1 > a)
    grid = np.linspace(1e-6, a_max, 200)
    vals = np.array([f(a) for a in grid])
    if vals[0] > 0:
        return 0.0
    k = int(np.argmax(vals > 0))
    if vals[k] <= 0:
        return float(a_max)
    return float(brentq(f, grid[k - 1], grid[k], xtol=1e-10))


def chain_design(
    interval_s: float = 600.0,
    block_size_kb: float = 1000.0,
    peer_degree: int = 8,
    *,
    seed: int = 0,
    nodes: int = 1000,
    miners: int = 30,
    blocks: int = 5000,
    replications: int = 4,
    bandwidth_mbps: float = 8.0,
    uplink_mbps: float | None = None,
    verify_ms: float = 200.0,
    tx_bytes: float | None = None,
    report=None,
) -> dict:
    """Throughput, stale ratio and selfish-mining threshold of a Bitcoin-like design.

    Each replication ``k`` draws (from ``SeedSequence(seed).spawn``) one overlay
    ``p2p_network(nodes, degree=peer_degree)``, ``miners`` miners of equal hash power on its
    largest component, the per-hop model ``GossipNetwork(block_kb=block_size_kb, ...)`` and its
    ``delay_matrix``, then one race ``simulate_mining(D, shares, interval_s, blocks)``. The same
    seed gives the same overlays and race streams to every design (common random numbers).

    Parameters
    ----------
    interval_s : float
        Mean block interval, s (> 0).
    block_size_kb : float
        Block size in kB (1000 bytes), every block full.
    peer_degree : int
        Outbound connections per node (>= 2; about ``2 * peer_degree`` neighbours).
    seed : int
        Seed of everything random.
    nodes, miners, blocks, replications : int
        Overlay size, mining participants, blocks per race, races.
    bandwidth_mbps : float
        Per-link bandwidth (the lab's default 8 Mbit/s), used when ``uplink_mbps`` is None.
    uplink_mbps : float or None
        If given, a node's uplink shared by its outbound connections: per-link bandwidth
        ``uplink_mbps / peer_degree`` (a cost of high degree the lab's per-link model lacks).
    verify_ms : float
        Validation time per relay (lab default 200 ms).
    tx_bytes : float or None
        Bytes per transaction; None uses the mean size of the non-coinbase transactions of the
        shipped Bitcoin block 100000 (``load_block(100000)``: 247 bytes).
    report : callable or None
        ``report(throughput_tps_so_far, step)`` after each replication (step = 0, 1, ...).

    Returns
    -------
    dict
        ``throughput_tps`` (transactions per second on the final main chain: main-chain bytes per
        second of simulated time, divided by ``tx_bytes``; the network model has no transactions,
        so this is bytes/s in units of a typical transaction), ``throughput_Bps`` (bytes/s),
        ``stale_ratio`` (stale blocks / blocks, pooled over replications), ``selfish_threshold``
        (pool share above which selfish mining pays, with gamma from the delays and the stale
        ratio, see :func:`_threshold_under_stale`), ``selfish_threshold_es`` (Eyal-Sirer's
        ``(1 - gamma)/(3 - 2 gamma)`` with that gamma, ignoring stale blocks), ``gamma``,
        ``stale_ratio_closed_form`` (lab's ``1 - exp(-D/T)``, mean over replications) and
        ``mean_delay_ms``.

    Examples
    --------
    >>> from workbench.tune.designs import chain_design
    >>> r = chain_design(600.0, 1000.0, 8, nodes=100, miners=10, blocks=1000, replications=1)
    >>> 0 <= r["stale_ratio"] < 0.05, 0.2 < r["selfish_threshold"] <= 1 / 3
    (True, True)
    """
    from ...chain import GossipNetwork, simulate_mining

    interval_s = float(interval_s)
    block_size_kb = float(block_size_kb)
    peer_degree = int(peer_degree)
    tx = _tx_bytes() if tx_bytes is None else float(tx_bytes)
    bw = float(bandwidth_mbps) if uplink_mbps is None else float(uplink_mbps) / peer_degree
    children = np.random.SeedSequence(int(seed)).spawn(int(replications))
    main_blocks = stale_blocks = 0
    elapsed_s = 0.0
    gammas, closed, delays = [], [], []
    value = float("nan")
    for k, child in enumerate(children, start=1):
        graph_seed, race_seed = (int(x) for x in child.generate_state(2))
        G = _overlay(int(nodes), peer_degree, graph_seed)
        comp = sorted(max(nx.connected_components(G), key=len))
        rng = np.random.default_rng(race_seed)
        who = rng.choice(comp, size=int(miners), replace=False)
        net = GossipNetwork(G, block_kb=block_size_kb, bandwidth_mbps=bw, verify_ms=float(verify_ms))
        D = net.delay_matrix(who)
        r = simulate_mining(D, np.ones(len(who)), interval_s=interval_s, blocks=int(blocks), seed=rng)
        on_main = int(r.blocks.on_main.sum())
        main_blocks += on_main
        stale_blocks += len(r.blocks) - on_main
        elapsed_s += float(r.blocks.time_ms.iloc[-1]) / 1000.0
        gammas.append(_gamma_from_delays(D))
        closed.append(r.closed_form)
        delays.append(r.mean_delay_ms)
        value = main_blocks * block_size_kb * 1000.0 / elapsed_s / tx
        if report is not None:
            report(value, k - 1)
    from ...chain import selfish_threshold

    stale = stale_blocks / max(main_blocks + stale_blocks, 1)
    gamma = float(np.mean(gammas))
    return {
        "throughput_tps": float(value),
        "throughput_Bps": float(value * tx),
        "stale_ratio": float(stale),
        "selfish_threshold": _threshold_under_stale(gamma, stale),
        "selfish_threshold_es": float(selfish_threshold(gamma)),
        "gamma": gamma,
        "stale_ratio_closed_form": float(np.mean(closed)),
        "mean_delay_ms": float(np.mean(delays)),
    }


CHAIN_OBJECTIVES = {"throughput_tps": "maximize", "stale_ratio": "minimize", "selfish_threshold": "maximize"}
# 7 x 8 x 4 = 224 points
CHAIN_GRID = {
    "interval_s": [2.0, 5.0, 15.0, 30.0, 60.0, 150.0, 600.0],
    "block_size_kb": [50.0, 125.0, 250.0, 500.0, 1000.0, 2000.0, 4000.0, 8000.0],
    "peer_degree": [2, 4, 8, 16],
}
#: keyword settings for a fast (< 50 ms warm) evaluation in tests
CHAIN_SMALL = {"nodes": 100, "miners": 10, "blocks": 1000, "replications": 1}
