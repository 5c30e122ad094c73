"""Global CDN lab: real points of presence, routing, load balancing, cache policies measured
against Belady's optimum, a three-tier cache hierarchy with latency, monitoring and attacks."""

from .attacks import Flood, cache_busting_flood, fail_pops, token_bucket
from .balance import HashRing, balls_into_bins, jump_hash, rendezvous
from .caches import (
    POLICIES,
    CacheResult,
    CacheSizeError,
    cache_hits,
    compare_policies,
    miss_ratio_curve,
    resolve_capacity,
    simulate,
)
from .pops import PROVIDERS, load_cities, load_pops, pop_by_code
from .routing import anycast_catchments, k_nearest_pops, latency_aware, nearest_pop, sample_clients
from .tiers import ORIGIN_ASHBURN, CDNResult, Prefetch, Tier, simulate_cdn
from .traces import (
    Trace,
    TraceFormatError,
    read_cache2k,
    read_csv,
    read_oracle_general,
    write_oracle_general,
)
from .workloads import diurnal_traffic, scan_mix, shifting_zipf_trace, zipf_probabilities, zipf_trace

__all__ = [
    "Flood",
    "cache_busting_flood",
    "fail_pops",
    "token_bucket",
    "HashRing",
    "balls_into_bins",
    "jump_hash",
    "rendezvous",
    "POLICIES",
    "CacheSizeError",
    "cache_hits",
    "CacheResult",
    "compare_policies",
    "miss_ratio_curve",
    "resolve_capacity",
    "simulate",
    "PROVIDERS",
    "load_cities",
    "load_pops",
    "pop_by_code",
    "anycast_catchments",
    "k_nearest_pops",
    "latency_aware",
    "nearest_pop",
    "sample_clients",
    "ORIGIN_ASHBURN",
    "CDNResult",
    "Prefetch",
    "Tier",
    "simulate_cdn",
    "Trace",
    "TraceFormatError",
    "read_cache2k",
    "read_csv",
    "read_oracle_general",
    "write_oracle_general",
    "diurnal_traffic",
    "scan_mix",
    "shifting_zipf_trace",
    "zipf_probabilities",
    "zipf_trace",
]
