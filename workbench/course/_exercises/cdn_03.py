"""Checks of lesson cdn.03, points of presence and request routing."""

from __future__ import annotations

import math

import numpy as np

from ..checks import close, equal, wrong

R = 6371.0088  # km


def _hav(lat1, lon1, lat2, lon2):
    """Haversine in km for NumPy arrays (degrees), written independently of the package."""
    a1, a2 = np.radians(lat1), np.radians(lat2)
    h = np.sin((a2 - a1) / 2) ** 2 + np.cos(a1) * np.cos(a2) * np.sin(np.radians(np.subtract(lon2, lon1)) / 2) ** 2
    return 2 * R * np.arcsin(np.sqrt(np.clip(h, 0, 1)))


def _nearest_km(lat, lon, plat, plon):
    """Distance of each point to its nearest PoP, by brute force in chunks."""
    out = np.empty(len(lat))
    for a in range(0, len(lat), 4096):
        d = _hav(lat[a : a + 4096, None], lon[a : a + 4096, None], plat[None, :], plon[None, :])
        out[a : a + 4096] = d.min(axis=1)
    return out


def _number(answer):
    return isinstance(answer, (int, float, np.integer, np.floating)) and not isinstance(answer, bool)


def ex1(answer):
    from ...cdn import load_pops

    aws = load_pops("aws").set_index("code")
    want = float(_hav(aws.lat["SYD"], aws.lon["SYD"], aws.lat["GRU"], aws.lon["GRU"]))
    fb = close(answer, want, atol=1.0, what="a distance in km")
    if not fb.ok and _number(answer):
        if abs(float(answer) - want * 6378.137 / R) < 1 or abs(float(answer) - want * 6356.752 / R) < 1:
            return wrong("close, but with another Earth radius; the package uses the mean radius 6,371.0088 km")
        if float(answer) < 200:
            return wrong("far too small: are the angles in degrees where radians are needed, or the radius missing?")
    return fb


def ex2(answer):
    sigma, km, access = 2.1, 1200.0, 2.0
    want = 2 * (sigma * km * 0.0049 + 2 * access)
    fb = close(answer, want, atol=0.01, what="a round-trip time in ms")
    if not fb.ok and _number(answer):
        x = float(answer)
        if math.isclose(x, want / 2, abs_tol=0.01):
            return wrong("this is the one-way time; a round trip goes there and back")
        if math.isclose(x, 2 * (sigma * km * 0.0049 + access), abs_tol=0.01):
            return wrong("the access delay counts at both ends of the path, in each direction")
        if math.isclose(x, 2 * (1.3 * km * 0.0049 + 2 * access), abs_tol=0.01):
            return wrong("this is the 'good' preset (1.3); the question asks for 'internet'")
    return fb


def ex3(answer, n_clients=100_000, seed=1):
    from ...cdn import load_pops, sample_clients

    cl = sample_clients(n_clients, seed=seed)
    aws = load_pops("aws")
    km = _nearest_km(cl.lat.to_numpy(), cl.lon.to_numpy(), aws.lat.to_numpy(), aws.lon.to_numpy())
    want = float((km < 100).mean())
    fb = close(answer, want, atol=1e-4, what="a share of clients")
    if not fb.ok and _number(answer) and float(answer) > 1:
        return wrong("a share is between 0 and 1, not a count or a percentage")
    return fb


def _anycast_counts(G, sources):
    import networkx as nx

    _, paths = nx.multi_source_dijkstra(G, sources, weight="length_km")
    owners = [paths[v][0] for v in G]
    return {s: owners.count(s) for s in sources}


def ex4(answer):
    from ...net import load_topology

    G = load_topology("Cogentco")
    first = {}
    for v in G:
        first.setdefault(G.nodes[v]["label"], v)
    sites = ["New York", "Chicago", "Dallas", "Los Angeles", "Seattle", "London", "Frankfurt", "Madrid", "Miami"]
    counts = _anycast_counts(G, [first[s] for s in sites])
    want = counts[first["Miami"]]
    fb = equal(answer, want, what="the number of nodes")
    if not fb.ok and isinstance(answer, (int, np.integer)) and int(answer) == want - 1:
        return wrong("one short: the Miami node itself is served by its own PoP")
    return fb


def ex5(answer, n_clients=100_000, seed=1):
    from ...cdn import load_pops, sample_clients

    cl = sample_clients(n_clients, seed=seed)
    cf = load_pops("cloudflare")
    lat, lon = cl.lat.to_numpy(), cl.lon.to_numpy()
    plat, plon = cf.lat.to_numpy(), cf.lon.to_numpy()
    best = np.empty(len(lat), np.int64)
    km = np.empty(len(lat))
    for a in range(0, len(lat), 4096):
        d = _hav(lat[a : a + 4096, None], lon[a : a + 4096, None], plat[None, :], plon[None, :])
        best[a : a + 4096] = d.argmin(axis=1)
        km[a : a + 4096] = d.min(axis=1)
    busiest = np.bincount(best, minlength=len(cf)).argmax()
    moved = best == busiest
    keep = np.arange(len(cf)) != busiest
    after = _nearest_km(lat[moved], lon[moved], plat[keep], plon[keep])
    want = float(after.mean() - km[moved].mean())
    fb = close(answer, want, rtol=0.01, what="the growth in km")
    if not fb.ok and _number(answer):
        if abs(float(answer) - after.mean()) < 0.01 * after.mean():
            return wrong("this is their new mean distance; the question asks how much it grows")
        if abs(float(answer) - (after.mean() - km[moved].mean()) * moved.mean()) < 0.01 * abs(want) + 1e-9:
            return wrong("this is averaged over all clients; average over the clients of the failed PoP only")
    return fb


CHECKS = {1: ex1, 2: ex2, 3: ex3, 4: ex4, 5: ex5}


def WRONG():
    small = {"n_clients": 5000, "seed": 1}
    return {
        1: [(134.0, {}), (5000.0, {}), ("far", {})],
        2: [(16.35, {}), (28.7, {}), (23.29, {})],
        3: [(12.0, small), (0.99, small)],
        4: [(1, {}), (197, {})],
        5: [(0.0, small), (-50.0, small)],
    }
