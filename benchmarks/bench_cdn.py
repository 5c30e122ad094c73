"""Cache kernels against libCacheSim, and the CDN pipeline, timed in the same run.

    python benchmarks/bench_cdn.py [--requests N]

Workload (issue: CDN lab): Zipf(1.0), 10M requests over 1M objects, unit size, cache = 10% of the
objects. Throughput is requests per second of CPU time (``time.process_time``; both sides are
single-threaded). libCacheSim replays the same trace from an oracleGeneral file with its C reader.
Goals: LRU on raw ids >= 2x libCacheSim; on dense ids FIFO >= 100, SIEVE >= 80, LRU >= 60,
S3-FIFO >= 40, ARC/2Q/W-TinyLFU >= 20 M req/s and each >= 1.5x libCacheSim's same policy; OPT
including its next-use precompute >= 10 M req/s; the 3-tier hierarchy with routing over 10M
requests <= 3 s; nearest PoP for 1M clients x 339 PoPs <= 1 s.
"""

from __future__ import annotations

import argparse
import os
import tempfile

import numpy as np
from harness import check, header, summary

import workbench.cdn as cdn
from workbench.cdn import _kernels
from workbench.timing import cpu_best as cpu

GOALS = {"fifo": 100, "sieve": 80, "lru": 60, "s3fifo": 40, "arc": 20, "2q": 20, "wtinylfu": 20}
LCS = {
    "fifo": "FIFO",
    "lru": "LRU",
    "clock": "Clock",
    "sieve": "Sieve",
    "s3fifo": "S3FIFO",
    "lfu": "LFU",
    "2q": "TwoQ",
    "arc": "ARC",
    "wtinylfu": "WTinyLFU",
    "lirs": "LIRS",
    "belady": "Belady",
}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--requests", type=int, default=10_000_000)
    ap.add_argument("--objects", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    header("workbench.cdn cache and CDN benchmark")
    import libcachesim as lcs

    trace = cdn.zipf_trace(args.requests, args.objects, 1.0, seed=1)
    cap = int(0.1 * trace.n_objects)
    n = trace.n_requests
    print(f"trace: {trace}; cache {cap:,} objects (10%)\n")
    tmp = tempfile.mkdtemp()
    path = cdn.write_oracle_general(trace, os.path.join(tmp, "zipf.oracleGeneral"))

    def lcs_run(name):
        reader = lcs.TraceReader(str(path), lcs.TraceType.ORACLE_GENERAL_TRACE)
        cache = getattr(lcs, LCS[name])(cache_size=cap)
        return cache.process_trace(reader)[0]

    print("| policy | workbench M req/s | libCacheSim M req/s | speed-up | miss ratio (ours / lcs) |")
    print("|---|---:|---:|---:|---:|")
    results = {}
    for name in LCS:
        pol = "opt" if name == "belady" else name
        cdn.cache_hits(trace.head(1000), 10, pol)  # compile / load
        t_ours, hit = cpu(lambda: cdn.cache_hits(trace, cap, name), args.repeat)
        t_lcs, mr = cpu(lambda: lcs_run(name), 1 if name in ("belady", "lfu") else args.repeat)
        ours_mr = 1 - hit.mean()
        results[name] = (n / t_ours / 1e6, n / t_lcs / 1e6)
        print(
            f"| {name} | {n / t_ours / 1e6:.1f} | {n / t_lcs / 1e6:.1f} | {t_lcs / t_ours:.2f}x | "
            f"{ours_mr:.5f} / {mr:.5f} |"
        )
    print()
    raw = trace.raw()
    sizes = np.ones(n, np.int64)

    def lru_raw():
        ids, uniq = _kernels.densify(raw)
        return _kernels.lru(ids, sizes, uniq.size, np.int64(cap))

    t_raw, _ = cpu(lru_raw, args.repeat)
    raw_rate = n / t_raw / 1e6
    print(f"LRU on raw ids (hash-densify + LRU): {raw_rate:.1f} M req/s\n")
    check(
        f"LRU on raw ids >= 2x libCacheSim (got {raw_rate / results['lru'][1]:.2f}x)", raw_rate >= 2 * results["lru"][1]
    )
    for name, goal in GOALS.items():
        ours, theirs = results[name]
        check(f"{name} >= {goal} M req/s on dense ids (got {ours:.1f})", ours >= goal)
        check(f"{name} >= 1.5x libCacheSim (got {ours / theirs:.2f}x)", ours >= 1.5 * theirs)
    ours, theirs = results["lirs"]
    check(f"lirs >= 1.5x libCacheSim (got {ours / theirs:.2f}x; no absolute goal)", ours >= 1.5 * theirs)
    check(
        f"OPT incl. next-use precompute >= 10 M req/s (got {results['belady'][0]:.1f}; demand-paging Belady)",
        results["belady"][0] >= 10,
    )

    # the CDN pipeline: routing 1M clients, then a 3-tier hierarchy over all requests
    pops = cdn.load_pops("cloudflare")
    clients = cdn.sample_clients(1_000_000, seed=2)
    cdn.nearest_pop(clients.lat[:10], clients.lon[:10], pops)
    t_route, (cidx, ckm) = cpu(lambda: cdn.nearest_pop(clients.lat, clients.lon, pops), args.repeat)
    print(f"\nnearest PoP, 1M clients x {len(pops)} PoPs: {t_route:.2f} s CPU")
    check(f"nearest PoP for 1M clients <= 1 s (got {t_route:.2f} s)", t_route <= 1.0)
    rc = np.random.default_rng(3).integers(0, len(clients), n)

    def pipeline():
        return cdn.simulate_cdn(
            trace,
            cidx[rc],
            pops,
            client_km=ckm[rc],
            l1=cdn.Tier("lru", 0.001),
            l2=cdn.Tier("lru", 0.01),
            l3=cdn.Tier("lru", 0.05),
        )

    cdn.simulate_cdn(trace.head(10_000), cidx[rc[:10_000]], pops, client_km=ckm[rc[:10_000]])  # load kernels
    t_cdn, res = cpu(pipeline, 2)
    print(f"3-tier hierarchy over {n:,} requests: {t_cdn:.2f} s CPU; hit ratio {res.summary().hit_ratio.item():.3f}")
    check(f"3-tier hierarchy over 10M requests <= 3 s (got {t_cdn * 1e7 / n:.2f} s scaled)", t_cdn * 1e7 / n <= 3)
    return summary()


if __name__ == "__main__":
    raise SystemExit(main())
