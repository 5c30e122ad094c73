"""Routing kernels against scipy.sparse.csgraph and networkx, timed in the same run.

    python benchmarks/bench_net.py [--quick]

Targets (issue: foundation): SSSP and APSP on 10k-node Waxman / random geometric graphs and a
100x100 grid at <= 1.1x scipy's time and >= 15x faster than networkx; batched point-to-point
>= 2x faster than scipy per query; <= 20 us per SSSP call on Zoo graphs of <= 200 nodes.
"""

from __future__ import annotations

import argparse
import math

import networkx as nx
import numpy as np
import scipy.sparse.csgraph as cg
from harness import check, header, race, show, summary

import workbench.net as wn


def graphs(n=10_000):
    side = int(math.isqrt(n))
    return {
        # mean degree ~ 8 for the first two random graphs
        f"Waxman n={n}": wn.waxman_graph(n, alpha=0.0126, beta=0.4, seed=1),
        f"random geometric n={n}": wn.random_geometric_graph(n, radius=math.sqrt(8 / (math.pi * n)), seed=1),
        f"grid {side}x{side}": wn.grid_graph(side, side, seed=1),
        # denser: the lazy heap holds more stale entries, so the margin over scipy shrinks
        f"random geometric n={n}, mean degree 20": wn.random_geometric_graph(
            n, radius=math.sqrt(20 / (math.pi * n)), seed=1
        ),
    }


def bench_sssp(name, G, repeat):
    r = wn.Router(G)
    A = r.csr.to_scipy()
    n = r.csr.n_nodes
    src = np.random.default_rng(0).integers(0, n, 10).tolist()
    labels = [r.nodes[i] for i in src]
    df = race(
        {
            "workbench Router.sssp": lambda: [r.sssp(s) for s in labels],
            "scipy dijkstra": lambda: [cg.dijkstra(A, indices=s, return_predecessors=True) for s in src],
            "networkx dijkstra_predecessor_and_distance": lambda: [
                nx.dijkstra_predecessor_and_distance(G, s) for s in labels[:2]
            ],
        },
        repeat=repeat,
    )
    df.loc[2, ["min_s", "median_s"]] *= 5  # networkx ran 2 sources, the others 10
    df["ratio_min"] = df.min_s / df.min_s[0]
    df["ratio_median"] = df.median_s / df.median_s[0]
    show(f"SSSP with predecessors, {name} ({n} nodes, {r.csr.n_arcs} arcs), 10 sources per call", df)
    check(f"SSSP {name}: <= 1.1x scipy (got {1 / df.ratio_median[1]:.2f}x)", df.ratio_median[1] >= 1 / 1.1)
    check(f"SSSP {name}: >= 15x faster than networkx (got {df.ratio_median[2]:.0f}x)", df.ratio_median[2] >= 15)


def bench_apsp(name, G, repeat, full):
    r = wn.Router(G)
    A = r.csr.to_scipy()
    n = r.csr.n_nodes
    k = n if full else 1000
    src = np.arange(k, dtype=np.int32)
    labels = [r.nodes[i] for i in src]
    df = race(
        {
            "workbench Router.matrix": lambda: r.matrix(labels),
            "workbench Router.matrix float32": lambda: r.matrix(labels, dtype=np.float32),
            "scipy dijkstra(indices=...)": lambda: cg.dijkstra(A, indices=src),
        },
        repeat=repeat,
        warmup=not full,
    )
    show(
        f"{'All-pairs' if full else 'Multi-source'} distances, {name}: {k} sources x {n} nodes",
        df,
        unit=1,
        unit_name="s",
    )
    t_nx = (
        race(
            {"networkx": lambda: [nx.single_source_dijkstra_path_length(G, s) for s in labels[:5]]},
            repeat=max(1, repeat // 2),
            warmup=False,
        ).median_s[0]
        / 5
        * k
    )
    speedup_nx = t_nx / df.median_s[0]
    print(
        f"networkx single_source_dijkstra_path_length, extrapolated from 5 sources to {k}: {t_nx:.1f} s "
        f"({speedup_nx:.0f}x the workbench's time)\n"
    )
    check(
        f"{'APSP' if full else 'multi-source'} {name}: <= 1.1x scipy (got {1 / df.ratio_median[2]:.2f}x)",
        df.ratio_median[2] >= 1 / 1.1,
    )
    check(
        f"{'APSP' if full else 'multi-source'} {name}: >= 15x faster than networkx (got {speedup_nx:.0f}x)",
        speedup_nx >= 15,
    )


def bench_pairs(name, G, repeat):
    r = wn.Router(G)
    A = r.csr.to_scipy()
    n = r.csr.n_nodes
    rng = np.random.default_rng(1)
    s = rng.integers(0, n, 500).astype(np.int32)
    t = rng.integers(0, n, 500).astype(np.int32)
    ref = cg.dijkstra(A, indices=s)[np.arange(s.size), t]
    assert np.allclose(r.pairs_by_index(s, t), ref, rtol=1e-12)
    df = race(
        {
            "workbench Router.pairs_by_index": lambda: r.pairs_by_index(s, t),
            "scipy dijkstra rows, then pick": lambda: cg.dijkstra(A, indices=s)[np.arange(s.size), t],
        },
        repeat=repeat,
    )
    show(f"Batched point-to-point, {name}: 500 random pairs (per batch)", df)
    check(
        f"point-to-point {name}: >= 2x faster than scipy per query (got {df.ratio_median[1]:.2f}x)",
        df.ratio_median[1] >= 2,
    )


def bench_zoo(repeat):
    print("## SSSP per call on Zoo graphs of <= 200 nodes (Router.sssp with a node label, weight length_km)")
    print("| graph | nodes | workbench us/call | scipy us/call | networkx us/call |")
    print("|---|---:|---:|---:|---:|")
    worst = 0.0
    for name in wn.available_topologies():
        G = wn.load_topology(name)
        if G.number_of_nodes() > 200:
            continue
        r = wn.Router(G, weight="length_km")
        A = r.csr.to_scipy()
        nodes = list(G.nodes)
        df = race(
            {
                "ours": lambda: [r.sssp(v) for v in nodes],
                "scipy": lambda: [cg.dijkstra(A, indices=i, return_predecessors=True) for i in range(len(nodes))],
                "networkx": lambda: [nx.dijkstra_predecessor_and_distance(G, v, weight="length_km") for v in nodes],
            },
            repeat=repeat,
        )
        us = df.median_s / len(nodes) * 1e6
        worst = max(worst, us[0])
        print(f"| {name} | {len(nodes)} | {us[0]:.1f} | {us[1]:.1f} | {us[2]:.1f} |")
    print()
    check(f"Zoo SSSP <= 20 us per call (worst median {worst:.1f} us)", worst <= 20)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="fewer rounds, no full 10k x 10k APSP")
    args = ap.parse_args()
    repeat = 3 if args.quick else 7
    header("workbench.net routing benchmark")
    gs = graphs()
    for name, G in gs.items():
        bench_sssp(name, G, repeat)
    for name, G in gs.items():
        bench_apsp(name, G, repeat, full=False)
    if not args.quick:
        for name, G in gs.items():
            bench_apsp(name, G, 1, full=True)
    for name, G in gs.items():
        bench_pairs(name, G, repeat)
    bench_zoo(repeat)
    return summary()


if __name__ == "__main__":
    raise SystemExit(main())
