"""PoPs, routing, load balancing, the tier hierarchy, attacks, traces and workloads."""

import math

import numpy as np
import pytest

import workbench.cdn as cdn
import workbench.net as wn
from workbench import data_path
from workbench.errors import UnknownNameError, WorkbenchError

from . import naive

# codes in the PoP lists that are not airports in airportsdata, and why
NOT_AIRPORTS = {
    "YTO": "IATA metropolitan-area code for Toronto",
    "ZDM": "pseudo-code for Ramallah (no airport)",
    "QWJ": "Americana, Brazil: no commercial airport code in airportsdata",
    "XNH": "Nasiriyah air base, not in airportsdata",
    "PNH": "Phnom Penh's airport moved to KTI (Techo International) in 2025",
    "FRU": "Bishkek Manas, listed in airportsdata under its current code",
    "JXG": "Jiaxing has no airport; placed at the city (GeoNames)",
    "KIV": "Chișinău's airport code is RMO since 2021",
}


# --- PoPs and cities ----------------------------------------------------------------------


@pytest.mark.parametrize("provider", ["cloudflare", "aws"])
def test_every_pop_lies_within_50_km_of_its_airport(provider):
    airportsdata = pytest.importorskip("airportsdata")
    airports = airportsdata.load("IATA")
    pops = cdn.load_pops(provider)
    assert pops.lat.notna().all() and pops.lon.notna().all()
    checked = 0
    for p in pops.itertuples():
        if p.code in NOT_AIRPORTS:
            continue
        ap = airports[p.code]
        km = naive.haversine_km(p.lat, p.lon, ap["lat"], ap["lon"])
        assert km <= 50, f"{provider} {p.code} ({p.city}) is {km:.0f} km from its airport"
        checked += 1
    assert checked >= len(pops) - len(NOT_AIRPORTS)


def test_pop_lists_and_fixes():
    cf, aws = cdn.load_pops("cloudflare"), cdn.load_pops("aws")
    assert len(cf) == 339 and len(aws) == 107 and cf.code.is_unique
    fixed = cf[cf.coords_source != "list"]
    assert len(fixed) == 32 and set(fixed.code) >= {"SSA", "KIV", "PKX"}
    assert cdn.pop_by_code(aws, "fra").city == "Frankfurt am Main"
    with pytest.raises(UnknownNameError, match="unknown IATA code 'XXX'"):
        cdn.pop_by_code(aws, "XXX")
    with pytest.raises(UnknownNameError, match="choose one of: aws, cloudflare"):
        cdn.load_pops("akamai")


def test_cities_table():
    c = cdn.load_cities()
    assert len(c) == 3043 and c.population.min() >= 200_000
    assert math.isclose(c.weight.sum(), 1.0)
    assert c.iloc[0]["name"] == "Shanghai"
    with pytest.raises(WorkbenchError):
        cdn.load_cities(1000)


# --- routing ------------------------------------------------------------------------------


def test_nearest_pop_matches_brute_force():
    pops = cdn.load_pops("cloudflare")
    cl = cdn.sample_clients(3000, seed=4)
    idx, km = cdn.nearest_pop(cl.lat, cl.lon, pops)
    full = wn.great_circle_km(
        cl.lat.to_numpy()[:, None], cl.lon.to_numpy()[:, None], pops.lat.to_numpy()[None], pops.lon.to_numpy()[None]
    )
    np.testing.assert_allclose(km, full.min(1), rtol=1e-9, atol=1e-6)
    assert (full[np.arange(len(cl)), idx] <= full.min(1) + 1e-6).all()
    k_idx, k_km = cdn.k_nearest_pops(cl.lat, cl.lon, pops, 3)
    assert k_idx.shape == (3000, 3) and (np.diff(k_km, axis=1) >= 0).all()


def test_routing_bad_input():
    pops = cdn.load_pops("aws")
    with pytest.raises(WorkbenchError, match="NaN coordinates"):
        cdn.nearest_pop([np.nan], [0.0], pops)
    with pytest.raises(WorkbenchError, match=r"\[-90, 90\]"):
        cdn.nearest_pop([95.0], [0.0], pops)
    with pytest.raises(WorkbenchError, match="k must be in 1..107"):
        cdn.k_nearest_pops([0.0], [0.0], pops, 500)


def test_anycast_catchments_on_a_zoo_network():
    G = wn.load_topology("Geant2012")
    pops = [0, 10, 20, 30]
    df = cdn.anycast_catchments(G, pops)
    assert set(df["pop"]) <= set(pops) and (df.detour_km >= -1e-9).all()
    for p in pops:
        row = df[df.node == p].iloc[0]
        assert row["pop"] == p and row.network_km == 0
    ref = wn.nearest_source(G, pops, weight="length_km")
    np.testing.assert_allclose(df.network_km, ref.distance)


def test_latency_aware_spreads_load():
    pops = cdn.load_pops("aws")
    cl = cdn.sample_clients(5000, seed=1)
    choice, lat, load = cdn.latency_aware(cl.lat, cl.lon, pops, capacity_rps=60.0, rate_rps=1.0, k=5, seed=1)
    nearest, _ = cdn.nearest_pop(cl.lat, cl.lon, pops)
    geo_load = np.bincount(nearest, minlength=len(pops))
    assert load.max() < geo_load.max() and np.isclose(load.sum(), 5000)


@pytest.mark.kernel
def test_latency_aware_matches_a_naive_greedy():
    from workbench.cdn import _kernels

    rng = np.random.default_rng(2)
    n, m, k = 300, 12, 3
    cand = np.stack([rng.choice(m, k, replace=False) for _ in range(n)])
    rtt = np.sort(rng.uniform(1, 80, (n, k)), axis=1)
    rate, cap = rng.uniform(0.5, 2, n), rng.uniform(5, 60, m)  # some candidates saturate
    order = rng.permutation(n)
    choice, latency, load = _kernels.assign_latency_aware(cand, rtt, rate, cap, 2.0, order)
    ld = np.zeros(m)
    for i in order:
        options = [
            (rtt[i, j] + 2.0 / (1 - (ld[cand[i, j]] + rate[i]) / cap[cand[i, j]]), j)
            for j in range(k)
            if (ld[cand[i, j]] + rate[i]) / cap[cand[i, j]] < 1
        ]
        j = min(options)[1] if options else min(range(k), key=lambda j: ld[cand[i, j]] / cap[cand[i, j]])
        ld[cand[i, j]] += rate[i]
        assert choice[i] == cand[i, j]
    np.testing.assert_allclose(load, ld)


# --- load balancing -------------------------------------------------------------------------


@pytest.mark.parametrize("d,expected", [(1, {8, 9}), (2, {4}), (3, {3})])
def test_power_of_d_choices_known_max_loads(d, expected):
    loads = cdn.balls_into_bins(10**6, 10**6, d, seed=2024)
    assert loads.sum() == 10**6 and int(loads.max()) in expected


@pytest.mark.parametrize("k", [1, 9, 99])
def test_jump_hash_moves_one_over_k_plus_one(k):
    keys = np.arange(200_000)
    a, b = cdn.jump_hash(keys, k), cdn.jump_hash(keys, k + 1)
    moved = a != b
    assert set(np.unique(b[moved])) <= {k}  # keys only move to the new bucket
    assert abs(moved.mean() - 1 / (k + 1)) < 4 * math.sqrt(1 / (k + 1) / keys.size) + 1e-3
    assert a.min() >= 0 and a.max() < k


@pytest.mark.kernel
def test_jump_hash_reference_values():
    # values from the paper's reference C++ implementation for key 0 are always bucket 0
    assert cdn.jump_hash([0], 100).tolist() == [0]
    assert set(cdn.jump_hash(np.arange(1000), 1).tolist()) == {0}


def test_ring_and_rendezvous_balance_and_minimal_disruption():
    keys = np.arange(100_000)
    ring = cdn.HashRing([f"pop{i}" for i in range(10)], vnodes=200)
    counts = np.bincount(ring.assign_index(keys), minlength=10)
    assert counts.min() > 0.7 * 10_000 and counts.max() < 1.3 * 10_000
    bigger = cdn.HashRing([f"pop{i}" for i in range(11)], vnodes=200)
    before, after = ring.assign(keys), bigger.assign(keys)
    assert set(after[before != after]) == {"pop10"}  # only the new node takes keys
    r10 = cdn.rendezvous(keys, list(range(10)))
    r11 = cdn.rendezvous(keys, list(range(11)))
    assert set(r11[r10 != r11]) == {10}
    assert abs((r10 != r11).mean() - 1 / 11) < 0.01
    with pytest.raises(WorkbenchError):
        cdn.HashRing([])


# --- tiers, attacks ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def small_cdn():
    pops = cdn.load_pops("aws")
    trace = cdn.zipf_trace(60_000, 8_000, 0.9, seed=5)
    cl = cdn.sample_clients(2_000, seed=6)
    cidx, ckm = cdn.nearest_pop(cl.lat, cl.lon, pops)
    rc = np.random.default_rng(7).integers(0, len(cl), trace.n_requests)
    return pops, trace, cl, cidx, ckm, rc


def test_hierarchy_tiers_see_the_misses_of_the_tier_below(small_cdn):
    pops, trace, cl, cidx, ckm, rc = small_cdn
    res = cdn.simulate_cdn(
        trace,
        cidx[rc],
        pops,
        client_km=ckm[rc],
        l1=cdn.Tier("lru", 50),
        l2=cdn.Tier("s3fifo", 500),
        l3=cdn.Tier("lru", 2000),
    )
    # L1 of one PoP is exactly an LRU over that PoP's requests
    p = np.bincount(cidx[rc]).argmax()
    mine = cidx[rc] == p
    solo = cdn.cache_hits(cdn.Trace.from_keys(trace.raw()[mine]), 50, "lru")
    assert np.array_equal(res.served_by[mine] == 1, solo)
    # the shield sees exactly the L2 misses, in order
    reach3 = res.served_by >= 3
    shield = cdn.cache_hits(cdn.Trace.from_keys(trace.raw()[reach3]), 2000, "lru")
    assert np.array_equal(res.served_by[reach3] == 3, shield)
    s = res.summary().iloc[0]
    assert 0 < s.hit_ratio < 1 and s.latency_p50_ms <= s.latency_p95_ms <= s.latency_p99_ms
    assert res.by_tier().requests.sum() == trace.n_requests
    assert res.by_region().requests.sum() == trace.n_requests
    assert len(res.timeline(10)) == 10 and res.by_pop().requests.sum() == trace.n_requests
    per_pop = res.by_pop()
    first = per_pop.iloc[0]
    idx = int(np.flatnonzero(res.pops.code.to_numpy() == first.code)[0])
    assert first.latency_p50_ms == pytest.approx(np.median(res.latency_ms[res.pop == idx]))


def test_latency_model_of_a_single_request():
    pops = cdn.load_pops("aws")
    t = cdn.Trace.from_keys([1, 1])
    fra = int(np.flatnonzero(pops.code == "FRA")[0])
    res = cdn.simulate_cdn(
        t,
        [fra, fra],
        pops,
        client_km=[100.0, 100.0],
        l1=cdn.Tier("lru", 1),
        l2=None,
        l3=None,
        model=wn.LatencyModel(1.0),
        origin=(50.11, 8.68),
        origin_ms=10.0,
    )
    km_origin = wn.great_circle_km(pops.lat[fra], pops.lon[fra], 50.11, 8.68)
    first = 2 * 100 * 4.9e-3 + 2 * km_origin * 4.9e-3 + 10.0
    assert res.served_by.tolist() == [4, 1]
    np.testing.assert_allclose(res.latency_ms, [first, 2 * 100 * 4.9e-3])


def test_flood_hurts_and_rate_limiting_helps(small_cdn):
    pops, trace, cl, cidx, ckm, rc = small_cdn
    t = np.arange(trace.n_requests, dtype=float) / 100.0  # 100 requests per second
    base = cdn.simulate_cdn(trace, cidx[rc], pops, client_km=ckm[rc], l1=cdn.Tier("lru", 100), l2=None, l3=None)
    f = cdn.cache_busting_flood(trace, rc, len(cl), share=0.5, attackers=3, seed=1)
    cl_pop = np.concatenate([cidx, cidx[:3]])
    cl_km = np.concatenate([ckm, ckm[:3]])
    hit = cdn.simulate_cdn(
        f.trace, cl_pop[f.client], pops, client_km=cl_km[f.client], l1=cdn.Tier("lru", 100), l2=None, l3=None
    )
    legit = ~f.attack
    assert (hit.served_by[legit] == 1).mean() < (base.served_by == 1).mean()
    times = np.interp(np.arange(f.trace.n_requests), np.arange(trace.n_requests) * 1.5, t)
    ok = cdn.token_bucket(times, f.client, rate=2.0, burst=10)
    assert ok[legit].mean() > 0.99 and ok[f.attack].mean() < 0.2


@pytest.mark.kernel
def test_token_bucket_matches_a_naive_bucket():
    rng = np.random.default_rng(3)
    times = np.sort(rng.uniform(0, 50, 2000))
    keys = rng.integers(0, 5, 2000)
    tokens, last, want = {}, {}, []
    for t, k in zip(times, keys):
        tok = tokens.get(k, 3.0)
        if k in last:
            tok = min(3.0, tok + (t - last[k]) * 0.5)
        last[k] = t
        want.append(tok >= 1)
        tokens[k] = tok - 1 if tok >= 1 else tok
    assert cdn.token_bucket(times, keys, rate=0.5, burst=3).tolist() == want
    with pytest.raises(WorkbenchError, match="non-decreasing"):
        cdn.token_bucket([1.0, 0.0], [1, 1], 1.0, 1)


def test_pop_failure_shifts_traffic(small_cdn):
    pops, trace, cl, cidx, ckm, rc = small_cdn
    busiest = pops.code[np.bincount(cidx).argmax()]
    pop, km = cdn.fail_pops(cl.lat, cl.lon, pops, rc, [busiest], from_request=trace.n_requests // 2)
    half = trace.n_requests // 2
    assert (pops.code[pop[half:]] != busiest).all()
    assert np.array_equal(pop[:half], cidx[rc[:half]])
    moved = cidx[rc[half:]] != pop[half:]
    assert moved.any() and (km[half:][moved] >= ckm[rc[half:]][moved] - 1e-9).all()
    with pytest.raises(WorkbenchError, match="unknown PoP codes"):
        cdn.fail_pops(cl.lat, cl.lon, pops, rc, ["XYZ"])


# --- traces and workloads ---------------------------------------------------------------------


def test_trace_readers_round_trip_and_errors(tmp_path):
    t = cdn.zipf_trace(5000, 500, 1.0, seed=1, size_range=(10, 1000))
    p = cdn.write_oracle_general(t, tmp_path / "t.bin")
    back = cdn.read_oracle_general(p)
    assert np.array_equal(back.raw(), t.raw()) and np.array_equal(back.sizes, t.sizes)
    (tmp_path / "bad.bin").write_bytes(p.read_bytes()[:-5])
    with pytest.raises(cdn.TraceFormatError, match=r"bad.bin.*byte offset 119976"):
        cdn.read_oracle_general(tmp_path / "bad.bin")
    (tmp_path / "bad.trace").write_bytes(b"\x00\x00\x00\x01\x00\x00")
    with pytest.raises(cdn.TraceFormatError, match="bad.trace: 6 bytes.*byte offset 4"):
        cdn.read_cache2k(tmp_path / "bad.trace")
    (tmp_path / "bad.xz").write_bytes(b"not xz")
    with pytest.raises(cdn.TraceFormatError, match="not a valid xz file"):
        cdn.read_cache2k(tmp_path / "bad.xz")
    with pytest.raises(cdn.TraceFormatError, match="not found"):
        cdn.read_cache2k(tmp_path / "missing")
    csv = tmp_path / "t.csv"
    csv.write_text("url,bytes\n/a,10\n/b,20\n/a,10\n")
    tc = cdn.read_csv(csv, key="url", size="bytes")
    assert tc.ids.tolist() == [0, 1, 0] and tc.sizes.tolist() == [10, 20, 10]
    csv.write_text("url,bytes\n/a,10\n/b,big\n")
    with pytest.raises(cdn.TraceFormatError, match="line 3: size 'big' is not a number"):
        cdn.read_csv(csv, key="url", size="bytes")
    with pytest.raises(cdn.TraceFormatError, match="no column 'size'"):
        cdn.read_csv(csv, key="url", size="size")


def test_real_traces_have_the_documented_shape():
    for name, n, u in [("web07", 76_118, 20_484), ("web12", 95_607, 13_756)]:
        t = cdn.read_cache2k(data_path("traces", f"{name}.trace.xz"))
        assert (t.n_requests, t.n_objects) == (n, u)


def test_zipf_workload_frequencies():
    t = cdn.zipf_trace(400_000, 1000, 1.0, seed=3)
    counts = np.sort(np.bincount(t.ids, minlength=t.n_objects))[::-1]
    p = cdn.zipf_probabilities(1000, 1.0)
    np.testing.assert_allclose(counts[:5] / 400_000, p[:5], rtol=0.05)
    a = cdn.zipf_trace(100, 10, seed=9).raw()
    assert np.array_equal(a, cdn.zipf_trace(100, 10, seed=9).raw())
    with pytest.raises(WorkbenchError, match="alpha"):
        cdn.zipf_trace(10, 10, alpha=-1)


def test_shifting_and_scan_workloads():
    s = cdn.shifting_zipf_trace(50_000, 2000, 1.0, days=2, shift=0.5, flash_crowds=1, seed=1)
    assert s.times is not None and np.all(np.diff(s.times) >= 0)
    first, last = s.raw()[:5000], s.raw()[-5000:]
    top_first = np.bincount(first).argmax()
    assert (last == top_first).mean() < (first == top_first).mean()  # yesterday's hit cooled down
    crowd = s.raw() == 2000  # the flash crowd's object: 30% of the requests in 2% of the run
    assert 200 < crowd.sum() < 400
    assert np.ptp(s.times[crowd]) <= 0.02 * 2 * 86_400
    base = cdn.zipf_trace(20_000, 1000, seed=2)
    mixed = cdn.scan_mix(base, scan_length=500, every=5000)
    assert mixed.n_requests == 22_000
    lru = cdn.simulate(mixed, 200, "lru").miss_ratio
    s3 = cdn.simulate(mixed, 200, "s3fifo").miss_ratio
    assert s3 < lru  # scan resistance


@pytest.mark.kernel
def test_small_kernels_directly():
    from workbench.cdn import _kernels

    choices = np.random.default_rng(1).integers(0, 50, (400, 3))
    want = np.zeros(50, np.int64)
    for c in choices:  # naive: the least loaded of the three, first on ties
        want[min(c, key=lambda b: (want[b], list(c).index(b)))] += 1
    assert _kernels.balls_into_bins(400, 50, 3, choices).tolist() == want.tolist()
    b10 = cdn.jump_hash(np.arange(3000), 10)
    assert b10.min() >= 0 and b10.max() <= 9
    moved = b10 != cdn.jump_hash(np.arange(3000), 11)
    assert set(cdn.jump_hash(np.arange(3000), 11)[moved]) <= {10}
    group = np.array([2, 0, 2, 1, 0, 2], np.int64)
    order, bounds = _kernels.group_order(group, 4)
    assert order.tolist() == [1, 4, 3, 0, 2, 5] and bounds.tolist() == [0, 2, 3, 6, 6]


@pytest.mark.kernel
def test_ttl_versions_objects():
    t = cdn.Trace.from_keys([5, 5, 5, 6, 5], times=[0.0, 3.0, 11.0, 12.0, 12.5]).with_ttl(10)
    # 5 expires at t=10 (first fetched at 0): the request at 11 is a new version, 12.5 still within it
    assert t.ids.tolist() == [0, 0, 1, 2, 1] and t.raw().tolist()[:2] == [5, 5]
    assert cdn.cache_hits(t, 3, "lru").tolist() == [False, True, False, False, True]
    with pytest.raises(WorkbenchError, match="timestamps"):
        cdn.Trace.from_keys([1, 2]).with_ttl(5)
    with pytest.raises(WorkbenchError, match="> 0"):
        t.with_ttl(0)
    s = cdn.shifting_zipf_trace(20_000, 500, 1.0, days=1, seed=3)
    short, long = s.with_ttl(600), s.with_ttl(86_400 * 2)
    assert long.n_objects == s.n_objects < short.n_objects
    assert cdn.simulate(short, 200, "lru").miss_ratio > cdn.simulate(long, 200, "lru").miss_ratio


def test_prefetch_raises_edge_hits_at_a_counted_cost(small_cdn):
    pops, trace, cl, cidx, ckm, rc = small_cdn
    base = cdn.simulate_cdn(trace, cidx[rc], pops, client_km=ckm[rc], l1=cdn.Tier("lru", 100), l2=None, l3=None)
    pf = cdn.simulate_cdn(
        trace,
        cidx[rc],
        pops,
        client_km=ckm[rc],
        l1=cdn.Tier("lru", 100),
        l2=None,
        l3=None,
        prefetch=cdn.Prefetch(top=30, every=5000),
    )
    b, p = base.summary().iloc[0], pf.summary().iloc[0]
    assert p.l1_hit_ratio > b.l1_hit_ratio and p.prefetch_fetches > 0 and b.prefetch_fetches == 0
    assert pf.served_by.size == trace.n_requests
    load = pf.load_by_pop(buckets=6, top=3)
    assert len(load) == 18 and load.requests.sum() <= trace.n_requests
    with pytest.raises(WorkbenchError):
        cdn.Prefetch(top=0)
