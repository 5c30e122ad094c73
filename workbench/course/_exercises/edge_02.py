"""Checks of lesson edge.02, a discrete-event simulator of devices and nodes."""

from __future__ import annotations

from math import factorial

import networkx as nx
import numpy as np
import pandas as pd

from ..checks import close, right, wrong


def _wq(lam, mu, c):
    """Mean M/M/c wait from Erlang C written with factorials."""
    if lam <= 0:
        return 0.0
    a = lam / mu
    rho = a / c
    top = a**c / factorial(c) / (1 - rho)
    return top / (sum(a**k / factorial(k) for k in range(c)) + top) / (c * mu - lam)


def _number(answer, what):
    try:
        return float(answer)
    except (TypeError, ValueError):
        return wrong(f"{what} should be a number, got {type(answer).__name__}")


def ex1(answer):
    x = _number(answer, "the delay")
    if not isinstance(x, float):
        return x
    if abs(x - 9.8) < 1e-6:
        return wrong("that is the round trip; the question asks for one way")
    if abs(x - 0.0049) < 1e-9:
        return wrong("that is in seconds; give milliseconds")
    return close(x, 1000 * 4.9 / 1000, rtol=0.01, what="the delay")


def _ny_la():
    from ...net import load_topology

    g = load_topology("Abilene")
    g = g.subgraph(max(nx.connected_components(g), key=len)).copy()
    for _u, _v, w in g.edges(data=True):
        w["w"] = w["length_km"] * 4.9e-3 + 0.1
    by_name = {a["label"]: v for v, a in g.nodes(data=True)}
    ny, la = by_name["New York"], by_name["Los Angeles"]
    return g, ny, la, nx.dijkstra_path_length(g, ny, la, weight="w")


def ex2(answer):
    x = _number(answer, "the latency")
    if not isinstance(x, float):
        return x
    g, ny, la, want = _ny_la()
    if abs(x - 2 * want) < 1e-3:
        return wrong("that is the round trip; the question asks for one way")
    no_hops = nx.dijkstra_path_length(g, ny, la, weight="delay_ms")
    if abs(x - no_hops) < 1e-3:
        return wrong("the 0.1 ms per hop is missing")
    return close(x, want, atol=0.01, what="the latency (ms)")


def _toy(extra_core=True):
    lat = np.array([[0.0, 4.0, 9.0], [4.0, 0.0, 6.0], [9.0, 6.0, 0.0]])
    ap = np.repeat([0, 1, 2], [12, 8, 4])
    cores = np.array([4, 3 if extra_core else 2, 2])
    net = (5.0 + lat[ap][:, [0, 1, 2]]) / 1e3
    k = net.argmin(axis=1)
    lam = np.bincount(k, minlength=3).astype(float)
    mu = 1000.0 / 200.0
    wq = np.array([_wq(lam[i], mu, cores[i]) for i in range(3)])
    return float(np.mean(2 * net[np.arange(len(ap)), k] + wq[k] + 1 / mu))


def ex3(answer):
    x = _number(answer, "the mean response time")
    if not isinstance(x, float):
        return x
    if abs(x - _toy(False)) < 1e-6:
        return wrong("that is the response time before node B got its third core")
    want = _toy(True)
    if x > 10:
        return wrong("the answer should be in seconds, not milliseconds")
    return close(x, want, atol=5e-4, what="the mean response time (s)")


def ex4(answer, n_tasks=100_000, seed=1):
    from ...edge import build_scenario, simulate

    if not isinstance(answer, str):
        return wrong(f"give the node's name as a string such as 'edge0', got {type(answer).__name__}")
    sc = build_scenario("Abilene", 300, 8, 1, rate=0.5, size_mi=200.0, deadline_s=0.2, seed=seed)
    bn = simulate(sc, "nearest", n_tasks=n_tasks, seed=seed).by_node()
    if answer not in set(bn.node):
        return wrong(f"there is no node named {answer!r} in the scenario")
    edge = bn[bn.tier == "edge"]
    if answer not in set(edge.node):
        return wrong("that node is not an edge node")
    best = edge.node.iloc[int(np.argmax(edge.utilisation.to_numpy()))]
    if answer == best:
        return right()
    return wrong("another edge node is busier: compare the utilisation column of by_node()")


def _random_case(rng):
    n_ap = int(rng.integers(2, 5))
    pts = rng.uniform(0, 20, (n_ap, 2))
    lat = np.sqrt(((pts[:, None] - pts[None]) ** 2).sum(-1))
    n_dev = int(rng.integers(5, 15))
    size = float(rng.choice([100.0, 200.0]))
    nodes = pd.DataFrame(
        {
            "ap": rng.permutation(n_ap)[: max(1, n_ap - 1)],
        }
    )
    nodes["cores"] = rng.integers(2, 5, len(nodes))
    nodes["speed_mips"] = 1000.0
    nodes["access_ms"] = rng.uniform(0, 3, len(nodes))
    devices = pd.DataFrame({"ap": rng.integers(0, n_ap, n_dev), "rate": rng.uniform(0.2, 1.0, n_dev), "size_mi": size})
    devices["access_ms"] = rng.uniform(1, 10, n_dev)
    # keep every node stable: scale rates so the busiest node is at most 85% utilised
    one_way = devices.access_ms.to_numpy()[:, None] + lat[np.ix_(devices.ap, nodes.ap)] + nodes.access_ms.to_numpy()
    k = one_way.argmin(axis=1)
    mu = nodes.speed_mips.to_numpy() / size
    lam = np.bincount(k, weights=devices.rate, minlength=len(nodes))
    rho = (lam / (nodes.cores.to_numpy() * mu)).max()
    devices["rate"] *= min(1.0, 0.85 / rho)
    return devices, nodes, lat


def _predict(devices, nodes, lat, both_ways=True, wait=True):
    one_way = (
        devices.access_ms.to_numpy()[:, None] + lat[np.ix_(devices.ap, nodes.ap)] + nodes.access_ms.to_numpy()
    ) / 1e3
    k = one_way.argmin(axis=1)
    mu = nodes.speed_mips.to_numpy() / devices.size_mi.iloc[0]
    lam = np.bincount(k, weights=devices.rate, minlength=len(nodes))
    wq = np.array([_wq(lam[i], mu[i], int(nodes.cores.iloc[i])) for i in range(len(nodes))]) if wait else 0 * mu
    resp = (2 if both_ways else 1) * one_way[np.arange(len(devices)), k] + wq[k] + 1 / mu[k]
    return float(np.average(resp, weights=devices.rate))


def ex5(answer):
    if not callable(answer):
        return wrong(f"the answer should be a function predict(devices, nodes, lat_ms), got {type(answer).__name__}")
    rng = np.random.default_rng(11)
    for case in range(4):
        devices, nodes, lat = _random_case(rng)
        want = _predict(devices, nodes, lat)
        got = float(answer(devices.copy(), nodes.copy(), lat.copy()))
        if abs(got - want) <= 1e-6 + 1e-4 * want:
            continue
        if abs(got - _predict(devices, nodes, lat, both_ways=False)) <= 1e-6 + 1e-4 * want:
            return wrong("the network latency counts twice: the task goes there and its result comes back")
        if abs(got - _predict(devices, nodes, lat, wait=False)) <= 1e-6 + 1e-4 * want:
            return wrong("the waiting time in the node's queue (Erlang C) is missing")
        return wrong(f"on random scenario {case + 1} the prediction is too {'high' if got > want else 'low'}")
    return right("it agrees on four random scenarios")


CHECKS = {1: ex1, 2: ex2, 3: ex3, 4: ex4, 5: ex5}


def _wrong_examples():
    g, ny, la, want = _ny_la()

    def one_way_only(devices, nodes, lat):
        return _predict(devices, nodes, lat, both_ways=False)

    def no_wait(devices, nodes, lat):
        return _predict(devices, nodes, lat, wait=False)

    return {
        1: [(9.8, {}), (0.0049, {}), (4900.0, {})],
        2: [(2 * want, {}), (nx.dijkstra_path_length(g, ny, la, weight="delay_ms"), {}), (want + 5, {})],
        3: [(_toy(False), {}), (1e3 * _toy(True), {}), (0.2, {})],
        4: [("cloud0", {"n_tasks": 2000, "seed": 1}), ("edge99", {"n_tasks": 2000, "seed": 1}), (0, {})],
        5: [(one_way_only, {}), (no_wait, {}), (0.35, {})],
    }


WRONG = _wrong_examples
