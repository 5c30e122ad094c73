"""Block propagation, stale rates, partitions/eclipse/majority attacks, several chains and a bridge."""

from __future__ import annotations

import struct

import networkx as nx
import numpy as np
import pytest

from workbench.chain import _kernels
from workbench.chain.bridge import Bridge, BridgeError, run_chains
from workbench.chain.keys import PrivateKey
from workbench.chain.ledger import Transaction, TxError, TxType
from workbench.chain.mempool import Mempool
from workbench.chain.network import (
    GossipNetwork,
    NetworkError,
    eclipse_experiment,
    p2p_network,
    partition_experiment,
    simulate_mining,
    stale_rate_table,
)
from workbench.chain.node import Chain, ChainConfig

from . import naive


@pytest.fixture(scope="module")
def net():
    return GossipNetwork(p2p_network(400, degree=8, seed=5), block_kb=1000, bandwidth_mbps=8, verify_ms=200)


@pytest.fixture(scope="module")
def delays(net):
    rng = np.random.default_rng(0)
    miners = rng.choice(len(net.nodes), 12, replace=False)
    return net.delay_matrix(miners), rng.pareto(1.5, 12) + 0.1


def test_p2p_network_shape():
    G = p2p_network(200, degree=8, seed=1)
    assert G.number_of_nodes() == 200 and nx.is_connected(G)
    assert 8 <= 2 * G.number_of_edges() / 200 <= 16
    d = next(iter(G.edges(data=True)))[2]
    assert d["latency_ms"] >= 0 and d["length_km"] >= 0
    assert nx.utils.graphs_equal(G, p2p_network(200, degree=8, seed=1))


def test_flood_arrival_equals_networkx_dijkstra(net):
    G = net.graph
    hop = net.hop_ms + net.verify_ms
    ref = nx.single_source_dijkstra_path_length(G, 3, weight=lambda a, b, d: d["latency_ms"] + hop)
    df = net.propagate(3).set_index("node")
    for v, dist in ref.items():
        expect = 0.0 if v == 3 else dist - net.verify_ms
        assert df.arrival_ms[v] == pytest.approx(expect, rel=1e-12, abs=1e-9)
    assert df.hops.max() == max(nx.single_source_shortest_path_length(G, 3).values()) or df.hops.max() >= 1
    np.testing.assert_allclose(net.arrival_ms(3), df.arrival_ms.to_numpy())


def test_gossip_fanout_is_never_faster_than_flooding(net):
    flood = net.arrival_ms(0)
    G = net.graph
    wide = GossipNetwork(G, fanout=1000, seed=1)
    np.testing.assert_allclose(wide.arrival_ms(0), flood)
    thin = GossipNetwork(G, fanout=2, seed=1).arrival_ms(0)
    reached = np.isfinite(thin)
    assert (thin[reached] >= flood[reached] - 1e-9).all() and thin[reached].mean() > flood.mean()


def test_delay_matrix_rows_match_single_broadcasts(net):
    miners = [5, 17, 99]
    D = net.delay_matrix(miners)
    for i, m in enumerate(miners):
        np.testing.assert_allclose(D[i], [0.0 if x == m else net.arrival_ms(m)[x] for x in miners])


@pytest.mark.kernel
@pytest.mark.parametrize("seed", range(4))
def test_mining_race_kernel_matches_naive(seed):
    rng = np.random.default_rng(seed)
    m, n = int(rng.integers(2, 6)), 300
    D = rng.uniform(0, 3_000, (m, m))
    np.fill_diagonal(D, 0)
    shares = rng.random(m) + 0.05
    shares /= shares.sum()
    times = np.cumsum(rng.exponential(2_000.0, n))
    u = rng.random(n)
    side = rng.integers(0, 2, m)
    cut = (float(times[50]), float(times[120])) if seed % 2 else (0.0, 0.0)
    got = _kernels.mining_race(D, np.cumsum(shares), times, u, side, *cut)
    ref = naive.mining_race_naive(D, shares, times, u, side, *cut)
    for a, b in zip(got, ref):
        assert list(a) == list(b)


def test_stale_rate_trend_and_closed_form(delays):
    D, shares = delays
    df = stale_rate_table(D, shares, intervals_s=(1, 10, 60, 600), blocks=20_000, seed=1)
    assert (np.diff(df.stale_rate) < 0).all()
    assert df.stale_rate.iat[0] > 0.20 and df.stale_rate.iat[-1] < 0.02
    slow = df[df.interval_s >= 60]
    assert (abs(slow.stale_rate / slow.closed_form_pairs - 1) < 0.15).all()
    assert (df.stale_rate < df.closed_form).all()  # the classic form ignores that a miner never races itself


def test_same_seed_same_race(delays):
    D, shares = delays
    a = simulate_mining(D, shares, interval_s=5, blocks=500, seed=3).blocks
    b = simulate_mining(D, shares, interval_s=5, blocks=500, seed=3).blocks
    assert a.equals(b)


def test_partition_and_majority_attack(delays):
    D, shares = delays
    m = len(shares)
    # a 60% private miner (side 1) against 40% honest: its branch wins when it publishes
    sh = np.r_[0.6, np.full(m - 1, 0.4 / (m - 1))]
    side = np.r_[1, np.zeros(m - 1, int)]
    out = partition_experiment(D, sh, side, start_s=3_000, duration_s=60_000, interval_s=600, seed=4).by_side()
    att, hon = out.set_index("side").loc[1], out.set_index("side").loc[0]
    assert att.kept_on_main == att.mined_during_cut and hon.kept_on_main == 0 and hon.orphaned > 10
    # the same attacker with 30%: the honest side keeps its branch
    sh = np.r_[0.3, np.full(m - 1, 0.7 / (m - 1))]
    out = partition_experiment(D, sh, side, start_s=3_000, duration_s=60_000, interval_s=600, seed=4)
    out = out.by_side().set_index("side")
    assert out.loc[1].kept_on_main == 0 and out.loc[0].orphaned == 0


@pytest.mark.kernel
def test_eclipse_double_spend_against_the_victim(delays):
    D, _ = delays
    m = D.shape[0]
    sh = np.r_[0.0, 0.25, np.full(m - 2, 0.75 / (m - 2))]
    res = eclipse_experiment(D, sh, victim=0, attacker=1, duration_s=36_000, seed=2)
    assert res.victim_height == res.attacker_blocks < res.honest_height
    assert res.victim_blocks_dropped == res.victim_height
    assert res.double_spend


def test_network_bad_input(delays):
    D, shares = delays
    with pytest.raises(NetworkError, match="reach"):
        simulate_mining(np.full((2, 2), np.inf), [1, 1])
    with pytest.raises(NetworkError, match="shares"):
        simulate_mining(D, shares[:-1])
    with pytest.raises(NetworkError, match="not in the network"):
        GossipNetwork(p2p_network(20, 3, seed=0)).propagate("nope")
    with pytest.raises(NetworkError):
        p2p_network(5, degree=5)
    with pytest.raises(NetworkError, match="observer"):
        eclipse_experiment(D, shares, 0, 1, duration_s=10)


# ------------------------------------------------------------------ several chains and a bridge

USER, RELAYER, MINER, LOCK = (PrivateKey.from_int(i) for i in (21, 22, 23, 24))
VALS = [PrivateKey.from_int(30 + i) for i in range(3)]


def _chains():
    a = Chain(ChainConfig(chain_id=1, alloc={USER.address: 1_000}, difficulty_bits=6, block_interval_s=10))
    b = Chain(
        ChainConfig(
            chain_id=2,
            consensus="pos",
            validators={k.address: 10 * (i + 1) for i, k in enumerate(VALS)},
            alloc={RELAYER.address: 100},
            minter=RELAYER.address,
            block_interval_s=5,
        )
    )
    c = Chain(
        ChainConfig(
            chain_id=3, alloc={RELAYER.address: 100}, minter=RELAYER.address, difficulty_bits=6, block_interval_s=2
        )
    )
    return {"A": a, "B": b, "C": c}


def test_lock_and_mint_with_replays_rejected():
    chains = _chains()
    a, b, c = chains["A"], chains["B"], chains["C"]
    bridge = Bridge(a, b, RELAYER, LOCK.address, confirmations=3)
    producers = {"A": MINER.address, "B": {k.address: k for k in VALS}, "C": MINER.address}
    pool = Mempool(b)
    sent = []

    def txs(name, chain):
        if name == "A" and not sent:
            sent.append(bridge.lock_tx(USER, 250, USER.address, fee=2))
            return sent
        if name == "B":
            for mint in bridge.pending_mints():
                pool.add(mint)
            pool.update()
            return pool.select()
        return []

    log = run_chains(chains, producers, until_s=120, txs=txs)
    assert set(log.chain) == {"A", "B", "C"} and a.height == 12 and b.height == 24 and c.height == 60
    assert a.balance(LOCK.address) == 250 and a.balance(USER.address) == 1_000 - 252
    assert b.state.wrapped[bytes.fromhex(USER.address[2:])] == 250
    row = bridge.table().iloc[0]
    assert row.minted and row.confirmations >= 3
    mint = bridge.relayed[sent[0].txid]
    with pytest.raises(TxError) as e:  # the same mint replayed on chain C (same minter key)
        Mempool(c).add(mint.serialize())
    assert e.value.reason == "wrong-chain-id"
    with pytest.raises(TxError) as e:  # the user's lock replayed on chain C
        Mempool(c).add(sent[0].serialize())
    assert e.value.reason == "wrong-chain-id"
    with pytest.raises(TxError) as e:  # re-sent on B: its nonce is spent
        Mempool(b).add(mint)
    assert e.value.reason == "nonce-too-low"
    again = Transaction(
        chain_id=2, nonce=b.nonce(RELAYER.address), to=USER.address, value=250, fee=0, type=TxType.MINT, data=mint.data
    ).sign(RELAYER)
    with pytest.raises(TxError) as e:  # re-signed with a fresh nonce: the claim is spent
        b.state.copy().apply_tx(again, {}, minter=b.config._minter)
    assert e.value.reason == "already-claimed"
    forged = Transaction(
        chain_id=2,
        nonce=0,
        to=USER.address,
        value=10**6,
        fee=0,
        type=TxType.MINT,
        data=struct.pack(">I", 1) + bytes(32),
    ).sign(USER)
    with pytest.raises(TxError) as e:
        b.state.copy().apply_tx(forged, {}, minter=b.config._minter)
    assert e.value.reason == "not-minter"


def test_bridge_config_errors():
    chains = _chains()
    with pytest.raises(BridgeError, match="minter"):
        Bridge(chains["A"], chains["B"], USER, LOCK.address)
    with pytest.raises(BridgeError, match="different chain ids"):
        Bridge(chains["B"], chains["B"], RELAYER, LOCK.address)
    with pytest.raises(BridgeError, match="confirmations"):
        Bridge(chains["A"], chains["B"], RELAYER, LOCK.address, confirmations=0)
