"""Global CDN lab: request traces, cache policies against Belady's optimum, and (next) points of
presence, routing, tiers, monitoring and attacks."""

from .caches import (
    POLICIES,
    CacheSizeError,
    cache_hits,
    compare_policies,
    miss_ratio_curve,
    resolve_capacity,
    simulate,
)
from .traces import (
    Trace,
    TraceFormatError,
    read_cache2k,
    read_csv,
    read_oracle_general,
    write_oracle_general,
)

__all__ = [
    "POLICIES",
    "CacheSizeError",
    "cache_hits",
    "compare_policies",
    "miss_ratio_curve",
    "resolve_capacity",
    "simulate",
    "Trace",
    "TraceFormatError",
    "read_cache2k",
    "read_csv",
    "read_oracle_general",
    "write_oracle_general",
]
