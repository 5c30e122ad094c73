"""Numba kernels of the CDN lab, one module per topic: pure functions over dense integer arrays (no validation
here; :mod:`workbench.cdn` checks every input first).

Cache replacement kernels over dense integer request arrays (no validation here).

Every policy kernel has the same shape::

    policy(ids, sizes, n_obj, capacity, ...) -> hit   (uint8 per request, 1 = hit)

``ids`` are dense object ids ``0..n_obj-1`` (int32, see :func:`densify`), ``sizes`` the
object size of each request (int64), or an empty array for unit-size objects, and
``capacity`` the cache size in the same unit. A request whose object is larger than the
cache is a miss and is not admitted. Objects keep the size they had when admitted.
Request indices are stored in int32/int64 stamps: traces up to 2**31 - 1 requests.

Semantics follow libCacheSim's implementations (https://github.com/1a1a11a/libCacheSim),
against which the tests compare miss counts request by request.

Modules: :mod:`.trace_ops`, :mod:`.structures`, the policies (:mod:`.fifo_family`, :mod:`.recency`,
:mod:`.lirs`, :mod:`.frequency`, :mod:`.belady`), and :mod:`.hashing`, :mod:`.routing`, :mod:`.rate_limit`.
"""

from __future__ import annotations

from .belady import (  # noqa: F401
    belady,
)
from .fifo_family import (  # noqa: F401
    clock,
    fifo,
    s3fifo,
    sieve,
)
from .frequency import (  # noqa: F401
    lfu,
    wtinylfu,
)
from .hashing import (  # noqa: F401
    balls_into_bins,
    jump_hash,
)
from .lirs import (  # noqa: F401
    lirs,
)
from .rate_limit import (  # noqa: F401
    token_bucket,
)
from .recency import (  # noqa: F401
    arc,
    lru,
    twoq,
)
from .routing import (  # noqa: F401
    assign_latency_aware,
)
from .structures import (  # noqa: F401
    NONE,
)
from .trace_ops import (  # noqa: F401
    densify,
    group_order,
    next_use,
    ttl_versions,
)
