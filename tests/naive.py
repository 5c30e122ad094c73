"""Deliberately naive reference implementations: obviously right, not fast."""

from __future__ import annotations

import math


def dijkstra(n, arcs, source, limit=math.inf):
    """O(n^2) Dijkstra over a list of (u, v, w) arcs; returns the distance list."""
    adj = [[] for _ in range(n)]
    for u, v, w in arcs:
        adj[u].append((v, w))
    dist = [math.inf] * n
    done = [False] * n
    dist[source] = 0.0
    for _ in range(n):
        u, best = -1, math.inf
        for i in range(n):
            if not done[i] and dist[i] < best:
                u, best = i, dist[i]
        if u < 0:
            break
        done[u] = True
        for v, w in adj[u]:
            if dist[u] + w < dist[v] and dist[u] + w <= limit:
                dist[v] = dist[u] + w
    return dist


def haversine_km(lat1, lon1, lat2, lon2, r=6371.0088):
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))


# --- caches -------------------------------------------------------------------------------
# Each takes a list of keys, a list of sizes and a capacity and returns a list of booleans (hit).


def fifo(keys, sizes, cap):
    from collections import OrderedDict

    q, used, out = OrderedDict(), 0, []
    for k, s in zip(keys, sizes):
        if k in q:
            out.append(True)
            continue
        out.append(False)
        if s > cap:
            continue
        while used + s > cap:
            _, vs = q.popitem(last=False)
            used -= vs
        q[k] = s
        used += s
    return out


def lru(keys, sizes, cap):
    from collections import OrderedDict

    q, used, out = OrderedDict(), 0, []
    for k, s in zip(keys, sizes):
        if k in q:
            q.move_to_end(k)
            out.append(True)
            continue
        out.append(False)
        if s > cap:
            continue
        while used + s > cap:
            _, vs = q.popitem(last=False)
            used -= vs
        q[k] = s
        used += s
    return out


def clock(keys, sizes, cap, max_freq=1):
    """Objects in a list, oldest first; each with [key, size, counter]."""
    q, where, used, out = [], {}, 0, []
    for k, s in zip(keys, sizes):
        if k in where:
            e = where[k]
            e[2] = min(e[2] + 1, max_freq)
            out.append(True)
            continue
        out.append(False)
        if s > cap:
            continue
        while used + s > cap:
            while q[0][2] > 0:
                e = q.pop(0)
                e[2] -= 1
                q.append(e)
            e = q.pop(0)
            del where[e[0]]
            used -= e[1]
        e = [k, s, 0]
        q.append(e)
        where[k] = e
        used += s
    return out


def sieve(keys, sizes, cap):
    """List oldest first; the hand is an index that moves toward newer entries and wraps."""
    q, where, used, out, hand = [], {}, 0, [], None
    for k, s in zip(keys, sizes):
        if k in where:
            where[k][2] = True
            out.append(True)
            continue
        out.append(False)
        if s > cap:
            continue
        while used + s > cap:
            i = hand if hand is not None else 0
            while q[i][2]:
                q[i][2] = False
                i = i + 1 if i + 1 < len(q) else 0
            e = q.pop(i)
            del where[e[0]]
            used -= e[1]
            hand = i if i < len(q) else None  # the entry after the evicted one, or wrap
        e = [k, s, False]
        q.append(e)
        where[k] = e
        used += s
    return out


def s3fifo(keys, sizes, cap, small_ratio=0.1, ghost_ratio=0.9, threshold=2):
    """Three FIFO lists (oldest first) following libCacheSim's S3FIFO.c description."""
    small_cap = int(cap * small_ratio)
    main_cap = cap - small_cap
    ghost_cap = int(cap * ghost_ratio)
    small, main, ghost = [], [], []  # entries [key, size, freq]
    where = {}  # key -> ("small"|"main"|"ghost", entry)
    used = {"small": 0, "main": 0, "ghost": 0}
    has_evicted, out = False, []
    queues = {"small": small, "main": main, "ghost": ghost}

    def remove(name, e):
        queues[name].remove(e)
        used[name] -= e[1]
        del where[e[0]]

    def add(name, e):
        queues[name].append(e)
        used[name] += e[1]
        where[e[0]] = (name, e)

    for k, s in zip(keys, sizes):
        loc = where.get(k)
        if loc and loc[0] in ("small", "main"):
            loc[1][2] += 1
            out.append(True)
            continue
        out.append(False)
        on_ghost = bool(loc)
        if on_ghost:
            remove("ghost", loc[1])
        if s > small_cap:
            continue
        while used["small"] + used["main"] + s > cap:
            has_evicted = True
            if used["main"] > main_cap or used["small"] == 0:
                while main:
                    e = main[0]
                    remove("main", e)
                    if e[2] >= 1:
                        e[2] = min(e[2], 3) - 1
                        add("main", e)
                    else:
                        break
            else:
                while small:
                    e = small[0]
                    remove("small", e)
                    if e[2] >= threshold:
                        e[2] = 0
                        add("main", e)
                    else:
                        if e[1] <= ghost_cap:
                            while used["ghost"] + e[1] > ghost_cap:
                                remove("ghost", ghost[0])
                            add("ghost", [e[0], e[1], 0])
                        break
        if on_ghost:
            add("main", [k, s, 0])
        elif s < small_cap:  # objects as large as the small FIFO are never admitted except from the ghost
            add("main" if not has_evicted and used["small"] >= small_cap else "small", [k, s, 0])
    return out


def belady(keys, sizes, cap, bypass=False):
    """Scan the cached objects for the farthest next use at every eviction (O(n * cap))."""
    n = len(keys)
    nxt, last = [n] * n, {}
    for i in range(n - 1, -1, -1):
        nxt[i] = last.get(keys[i], n)
        last[keys[i]] = i
    cached, used, out = {}, 0, []  # key -> [next_use, size]
    for i, (k, s) in enumerate(zip(keys, sizes)):
        if k in cached:
            cached[k][0] = nxt[i]
            out.append(True)
            continue
        out.append(False)
        if s > cap:
            continue
        if bypass and used + s > cap and cached and nxt[i] >= max(v[0] for v in cached.values()):
            continue
        while used + s > cap:
            victim = max(cached, key=lambda c: cached[c][0])
            used -= cached.pop(victim)[1]
        cached[k] = [nxt[i], s]
        used += s
    return out


def lfu(keys, sizes, cap):
    """Scan for the smallest count; ties go to the object that reached its count first."""
    cached, used, out, clock = {}, 0, [], 0  # key -> [count, time it reached the count, size]
    for k, s in zip(keys, sizes):
        clock += 1
        if k in cached:
            cached[k][0] += 1
            cached[k][1] = clock
            out.append(True)
            continue
        out.append(False)
        if s > cap:
            continue
        while used + s > cap:
            victim = min(cached, key=lambda c: (cached[c][0], cached[c][1]))
            used -= cached.pop(victim)[2]
        cached[k] = [1, clock, s]
        used += s
    return out


def twoq(keys, sizes, cap, in_ratio=0.25, out_ratio=0.5):
    """2Q with lists (oldest first): A1in FIFO, A1out ghost FIFO, Am LRU with its own size."""
    in_cap, out_cap = int(cap * in_ratio), int(cap * out_ratio)
    am_cap = cap - in_cap
    a_in, a_out, am = [], [], []  # [key, size]
    out = []

    def used(lst):
        return sum(e[1] for e in lst)

    def find(lst, k):
        return next((e for e in lst if e[0] == k), None)

    for k, s in zip(keys, sizes):
        if find(a_in, k):
            out.append(True)
            continue
        e = find(am, k)
        if e:
            am.remove(e)
            am.append(e)
            out.append(True)
            continue
        out.append(False)
        g = find(a_out, k)
        if g:
            a_out.remove(g)
        if s > in_cap:
            continue
        while used(a_in) + used(am) + s > cap:
            if used(a_in) > in_cap:
                v = a_in.pop(0)
                if v[1] <= out_cap:
                    while used(a_out) + v[1] > out_cap:
                        a_out.pop(0)
                    a_out.append(v)
            else:
                am.pop(0)
        if g:
            if s <= am_cap:
                while used(am) + s > am_cap:
                    am.pop(0)
                am.append([k, s])
        else:
            a_in.append([k, s])
    return out


def arc(keys, sizes, cap):
    """ARC with four lists (LRU end first) following Megiddo & Modha's pseudo-code, sized in bytes,
    with libCacheSim's choices: real-valued p, REPLACE only when room is needed."""
    T1, T2, B1, B2 = [], [], [], []  # [key, size]
    p, out = 0.0, []

    def used(lst):
        return sum(e[1] for e in lst)

    def find(lst, k):
        return next((e for e in lst if e[0] == k), None)

    def replace(in_b2):
        t1 = used(T1)
        if (t1 > 0 and (t1 > p or (t1 == p and in_b2))) or used(T2) == 0:
            B1.append(T1.pop(0))
        else:
            B2.append(T2.pop(0))

    for k, s in zip(keys, sizes):
        e = find(T1, k) or find(T2, k)
        if e:
            (T1 if e in T1 else T2).remove(e)
            T2.append(e)
            out.append(True)
            continue
        out.append(False)
        in_b1, in_b2 = find(B1, k), find(B2, k)
        if in_b1:
            p = min(p + max(used(B2) / used(B1), 1.0), float(cap))
            B1.remove(in_b1)
        elif in_b2:
            p = max(p - max(used(B1) / used(B2), 1.0), 0.0)
            B2.remove(in_b2)
        if s > cap:
            continue
        while used(T1) + used(T2) + s > cap:
            if in_b1 or in_b2:
                replace(bool(in_b2))
            elif used(T1) + used(B1) + s > cap:
                if B1:
                    B1.pop(0)
                    replace(False)
                else:
                    T1.pop(0)
            else:
                if used(T1) + used(B1) + used(T2) + used(B2) >= 2 * cap and B2:
                    B2.pop(0)
                replace(False)
        (T2 if (in_b1 or in_b2) else T1).append([k, s])
    return out


def lirs(keys, sizes, cap, hirs_ratio=0.01):
    """LIRS with three ordered dicts (first = bottom/oldest), following libCacheSim's LIRS.c: stack S of
    LIR and recent HIR entries with their flags, queue Q of resident HIR blocks, list NH of non-resident
    entries of S (S is bounded to twice the cache size by dropping NH's oldest)."""
    from collections import OrderedDict

    hirs_limit = max(1, int(hirs_ratio * cap))
    lirs_limit = cap - hirs_limit
    S, Q, NH = OrderedDict(), OrderedDict(), OrderedDict()  # S: key -> [lir, resident, size]
    c = {"lir": 0, "hir": 0, "occ": 0, "s": 0}
    out = []

    def drop_s(k):
        c["s"] -= S.pop(k)[2]

    def prune():
        while len(S) > 1:
            k = next(iter(S))
            if S[k][0]:
                break
            NH.pop(k, None)
            drop_s(k)

    def evict_hir():
        if not Q:
            return
        k, sz = Q.popitem(last=False)
        c["hir"] -= sz
        c["occ"] -= sz
        if k in S:
            S[k][1] = False
            NH.pop(k, None)
            NH[k] = sz

    def evict_lir():
        if not S:
            return
        k = next(iter(S))
        sz = S[k][2]
        c["lir"] -= sz
        c["occ"] -= sz
        drop_s(k)
        if sz <= hirs_limit:
            while c["hir"] + sz > hirs_limit and Q:
                evict_hir()
            Q[k] = sz
            c["hir"] += sz
            c["occ"] += sz
        prune()

    def make_lir_room(sz):
        while c["lir"] + sz > lirs_limit and S:
            evict_lir()

    for k, s in zip(keys, sizes):
        in_s, in_q = k in S, k in Q
        if in_s:
            S.move_to_end(k)
        if in_q:
            Q.move_to_end(k)
        if in_s and S[k][0]:  # LIR hit
            prune()
            out.append(True)
        elif in_s and S[k][1]:  # resident HIR in S: becomes LIR
            sz = S[k][2]
            if in_q:
                del Q[k]
                c["hir"] -= sz
                c["occ"] -= sz
            make_lir_room(sz)
            S[k][0] = True
            c["lir"] += sz
            c["occ"] += sz
            out.append(True)
        elif in_q:  # resident HIR only in Q: back on top of S as HIR
            sz = Q[k]
            make_lir_room(sz)
            if k in S:
                S[k][0], S[k][1] = False, True
            else:
                S[k] = [False, True, sz]
                c["s"] += sz
            out.append(True)
        else:
            out.append(False)
            if s > cap:
                pass
            elif in_s:  # non-resident HIR in S: comes back as LIR
                sz = S[k][2]
                make_lir_room(sz)
                NH.pop(k, None)
                while c["occ"] + s > cap and S:
                    while c["hir"] >= hirs_limit and Q:
                        evict_hir()
                    evict_lir()
                S[k][0] = S[k][1] = True
                c["lir"] += sz
                c["occ"] += sz
            elif s <= lirs_limit and s <= hirs_limit:  # new block: LIR while the LIR set has room
                if c["lir"] + s > lirs_limit and c["hir"] + s > hirs_limit:
                    while c["hir"] + s > hirs_limit and Q:
                        evict_hir()
                lir = c["lir"] + s <= lirs_limit
                S[k] = [lir, True, s]
                c["s"] += s
                c["occ"] += s
                if lir:
                    c["lir"] += s
                else:
                    Q[k] = s
                    c["hir"] += s
        while c["s"] > 2 * cap and NH:
            k2, _ = NH.popitem(last=False)
            drop_s(k2)
    return out


# --- scheduling ---------------------------------------------------------------------------


def heft_like(comp, edges, priority, fixed=None, startup=None, bw=None):
    """Insertion-based list scheduling, written plainly: highest-priority ready task first
    (ties lower index), to its earliest-finish processor (ties lower index)."""
    n, p = len(comp), len(comp[0])
    startup = startup or [0.0] * p
    preds = [[] for _ in range(n)]
    succs = [[] for _ in range(n)]
    for a, b, d in edges:
        preds[b].append((a, d))
        succs[a].append(b)
    busy = [[] for _ in range(p)]  # (start, finish) intervals
    proc, start, finish = [None] * n, [0.0] * n, [0.0] * n
    done = set()
    while len(done) < n:
        ready = [i for i in range(n) if i not in done and all(a in done for a, _ in preds[i])]
        i = max(ready, key=lambda t: (priority[t], -t))
        best = None
        for q in range(p) if fixed is None or fixed[i] < 0 else [fixed[i]]:
            drt = 0.0
            for a, d in preds[i]:
                c = 0.0 if proc[a] == q else startup[proc[a]] + d / (1.0 if bw is None else bw[proc[a]][q])
                drt = max(drt, finish[a] + c)
            # earliest gap: try drt and every interval end >= drt, keep the first that fits
            cands = sorted({drt} | {f for _, f in busy[q] if f >= drt})
            for s in cands:
                if all(s + comp[i][q] <= bs or s >= bf for bs, bf in busy[q]):
                    break
            f = s + comp[i][q]
            if best is None or f < best[0]:
                best = (f, s, q)
        f, s, q = best
        busy[q].append((s, f))
        proc[i], start[i], finish[i] = q, s, f
        done.add(i)
    return proc, start, finish


def map_tasks(etc, method, ready=None):
    """The Braun et al. (2001) heuristics in their textbook O(T^2 M) form; ties lowest index."""
    t_n, m = len(etc), len(etc[0])
    ready = list(ready or [0.0] * m)
    mach, fin = [None] * t_n, [0.0] * t_n

    def ct(t, q):
        return ready[q] + etc[t][q]

    def best(t):
        return min(range(m), key=lambda q: (ct(t, q), q))

    def put(t, q):
        ready[q] += etc[t][q]
        mach[t], fin[t] = q, ready[q]

    if method in ("olb", "met", "mct", "round_robin"):
        for t in range(t_n):
            q = {
                "olb": lambda: min(range(m), key=lambda k: (ready[k], k)),
                "met": lambda: min(range(m), key=lambda k: (etc[t][k], k)),
                "mct": lambda: best(t),
                "round_robin": lambda: t % m,
            }[method]()
            put(t, q)
    elif method in ("min_min", "max_min"):
        left = list(range(t_n))
        while left:
            sign = 1 if method == "min_min" else -1
            t = min(left, key=lambda u: (sign * ct(u, best(u)), u))
            put(t, best(t))
            left.remove(t)
    elif method == "sufferage":
        left = list(range(t_n))
        while left:
            holder = {}
            for t in left:
                cts = sorted(ct(t, q) for q in range(m))
                suf = cts[1] - cts[0] if m > 1 else math.inf
                q = best(t)
                if q not in holder or holder[q][1] < suf:
                    holder[q] = (t, suf)
            for q, (t, _) in sorted(holder.items()):
                put(t, q)
            left = [t for t in left if mach[t] is None]
    return mach, fin


# --- discrete-event simulation ---------------------------------------------------------------


class SplitMix64:
    """The engine's random stream, in plain Python."""

    def __init__(self, state):
        self.s = state % 2**64

    def rand(self):
        self.s = (self.s + 0x9E3779B97F4A7C15) % 2**64
        z = self.s
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) % 2**64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) % 2**64
        z ^= z >> 31
        return (z >> 11) / 2.0**53

    def expo(self, mean):
        return -mean * math.log(1.0 - self.rand())


def fcfs_waits(first_arrival, rng_state, lam, mu, c, n, service="exp"):
    """One Poisson source feeding a c-server FCFS queue, drawing from the same stream in the same
    order as the engine (per arrival: its service time, then the next inter-arrival time).
    Waits come from the textbook recursion: each customer takes the server that frees first."""
    rng = SplitMix64(rng_state)
    free = [0.0] * c
    t = first_arrival
    waits = []
    for i in range(n):
        s = rng.expo(1.0 / mu) if service == "exp" else 1.0 / mu
        if i + 1 < n:
            nxt = t + rng.expo(1.0 / lam)
        k = min(range(c), key=lambda j: free[j])
        start = max(t, free[k])
        waits.append(start - t)
        free[k] = start + s
        t = nxt
    return waits


def priority_waits(first_arrival, rng_state, lam, mu, n):
    """A single server taking the shortest waiting task first (non-preemptive SJF; ties: earlier
    arrival), fed the engine's random stream like :func:`fcfs_waits`."""
    rng = SplitMix64(rng_state)
    arrivals, sizes = [], []
    t = first_arrival
    for i in range(n):
        sizes.append(rng.expo(1.0 / mu))
        arrivals.append(t)
        if i + 1 < n:
            t = t + rng.expo(1.0 / lam)
    waits = [0.0] * n
    free, nxt, queue = 0.0, 0, []
    while nxt < n or queue:
        if not queue:  # idle: jump to the next arrival
            free = max(free, arrivals[nxt])
        while nxt < n and arrivals[nxt] <= free:
            queue.append(nxt)
            nxt += 1
        i = min(queue, key=lambda j: (sizes[j], j))
        queue.remove(i)
        waits[i] = free - arrivals[i]
        free += sizes[i]
    return waits


# --- quantum ------------------------------------------------------------------------------


def full_operator(n, qubits, m):
    """The 2**n x 2**n matrix of a gate ``m`` (little-endian over ``qubits``), built entry by entry:
    <i|U|j> = m[sub(i), sub(j)] when i and j agree outside ``qubits``, else 0."""
    import numpy as np

    dim = 1 << n
    rows = np.arange(dim)[:, None]
    cols = np.arange(dim)[None, :]
    mask = sum(1 << q for q in qubits)

    def sub(idx):
        out = np.zeros_like(idx)
        for b, q in enumerate(qubits):
            out |= ((idx >> q) & 1) << b
        return out

    same_outside = ((rows ^ cols) & ~mask) == 0
    return np.where(same_outside, np.asarray(m)[sub(rows), sub(cols)], 0)


def kron_statevector(n, gates, phase=0.0):
    """Multiply |0...0> by each gate's full matrix in turn (gates: (qubits, matrix) pairs)."""
    import numpy as np

    psi = np.zeros(1 << n, complex)
    psi[0] = 1
    for qubits, m in gates:
        psi = full_operator(n, qubits, m) @ psi
    return psi * np.exp(1j * phase)


def merkle_root_naive(leaves):
    """Bitcoin Merkle root by plain recursion: pair up (duplicating an odd last node), hash, repeat."""
    from workbench.chain.hashes import sha256d

    if len(leaves) == 1:
        return leaves[0]
    if len(leaves) % 2:
        leaves = leaves + [leaves[-1]]
    return merkle_root_naive([sha256d(leaves[i] + leaves[i + 1]) for i in range(0, len(leaves), 2)])


def mining_race_naive(delay, shares, times, u, side, cut_start, cut_until):
    """Reference mining race: every block scans all earlier blocks (no 'known to all' shortcut)."""
    import numpy as np

    cum = np.cumsum(np.asarray(shares, float))

    def arrival(t, a, b):
        if side[a] != side[b] and t < cut_until and t + delay[a][b] > cut_start:
            t = cut_until
        return t + delay[a][b]

    miner, height, parent = [], [], []
    for i, t in enumerate(times):
        k = min(int(np.searchsorted(cum, u[i], side="right")), len(cum) - 1)
        best, best_h, best_arr = -1, 0, -np.inf
        for j in range(i):
            a = arrival(times[j], miner[j], k)
            if a <= t and (height[j] > best_h or (height[j] == best_h and a < best_arr)):
                best, best_h, best_arr = j, height[j], a
        miner.append(k)
        height.append(best_h + 1)
        parent.append(best)
    tip = max(range(len(times)), key=lambda i: (height[i], -i))
    on_main = [False] * len(times)
    while tip >= 0:
        on_main[tip] = True
        tip = parent[tip]
    return miner, height, parent, on_main


def mlp_loss_grad_naive(params, X, y_idx, activation):
    """Reference MLP with softmax cross-entropy in plain numpy: loss and per-layer (dW, db).

    ``params`` is a list of (W, b); hidden layers use ``activation`` (relu, tanh, sigmoid, gelu).
    """
    import numpy as np
    from scipy.special import erf

    acts = {
        "relu": (lambda z: np.maximum(z, 0), lambda z, a: (z > 0).astype(float)),
        "tanh": (np.tanh, lambda z, a: 1 - a**2),
        "sigmoid": (lambda z: 1 / (1 + np.exp(-z)), lambda z, a: a * (1 - a)),
        "gelu": (
            lambda z: 0.5 * z * (1 + erf(z / np.sqrt(2))),
            lambda z, a: 0.5 * (1 + erf(z / np.sqrt(2))) + z * np.exp(-(z**2) / 2) / np.sqrt(2 * np.pi),
        ),
    }
    f, df = acts[activation]
    h, zs, hs = X, [], [X]
    for i, (W, b) in enumerate(params):
        z = h @ W + b
        zs.append(z)
        h = f(z) if i < len(params) - 1 else z
        hs.append(h)
    logits = hs[-1]
    p = np.exp(logits - logits.max(1, keepdims=True))
    p /= p.sum(1, keepdims=True)
    n = X.shape[0]
    loss = -np.mean(np.log(p[np.arange(n), y_idx]))
    d = p.copy()
    d[np.arange(n), y_idx] -= 1
    d /= n
    grads = []
    for i in range(len(params) - 1, -1, -1):
        W, _ = params[i]
        grads.append((hs[i].T @ d, d.sum(0)))
        if i:
            d = (d @ W.T) * df(zs[i - 1], hs[i])
    return loss, grads[::-1]


def mlp_adam_epoch_numpy(params, X, y_idx, batch, lr, rng, state):
    """The numpy anchor of one training epoch: ReLU MLP, softmax cross-entropy, Adam, shuffled minibatches."""
    import numpy as np

    n = X.shape[0]
    order = rng.permutation(n)
    m, v, t = state
    for s in range(0, n, batch):
        idx = order[s : s + batch]
        xb, yb = X[idx], y_idx[idx]
        hs = [xb]
        for i, (W, b) in enumerate(params):
            z = hs[-1] @ W + b
            hs.append(np.maximum(z, 0) if i < len(params) - 1 else z)
        p = np.exp(hs[-1] - hs[-1].max(1, keepdims=True))
        p /= p.sum(1, keepdims=True)
        d = p
        d[np.arange(len(idx)), yb] -= 1
        d /= len(idx)
        grads = []
        for i in range(len(params) - 1, -1, -1):
            W, _ = params[i]
            grads.append((hs[i].T @ d, d.sum(0)))
            if i:
                d = (d @ W.T) * (hs[i] > 0)
        t += 1
        for i, (gW, gb) in enumerate(reversed(grads)):
            for k, (p_, g) in enumerate(((params[i][0], gW), (params[i][1], gb))):
                m[i][k] = 0.9 * m[i][k] + 0.1 * g
                v[i][k] = 0.999 * v[i][k] + 0.001 * g * g
                p_ -= lr * (m[i][k] / (1 - 0.9**t)) / (np.sqrt(v[i][k] / (1 - 0.999**t)) + 1e-8)
    return m, v, t


def finite_horizon_naive(P, n_states, n_actions, horizon):
    """Optimal expected return within ``horizon`` steps, straight from a gymnasium ``P`` dict."""
    V = [0.0] * n_states
    for _ in range(horizon):
        V = [
            max(sum(p * (r + (0.0 if d else V[s2])) for p, s2, r, d in P[s][a]) for a in range(n_actions))
            for s in range(n_states)
        ]
    return V


def holt_winters_naive(y, m, alpha, beta, gamma, phi, trend, seasonal, l0, b0, s0):
    """Holt-Winters in textbook form: returns (fitted, sse, level, slope, seasonal states ahead)."""
    level, slope, s = l0, (b0 if trend else 0.0), list(s0)
    fitted, sse = [], 0.0
    for t, yt in enumerate(y):
        base = level + (phi * slope if trend else 0.0)
        seas = s[t % m] if seasonal else (1.0 if seasonal == 2 else 0.0)
        f = base * seas if seasonal == 2 else base + seas
        fitted.append(f)
        sse += (yt - f) ** 2
        if seasonal == 2:
            new = alpha * yt / seas + (1 - alpha) * base
            s[t % m] = gamma * yt / new + (1 - gamma) * seas
        else:
            new = alpha * (yt - seas) + (1 - alpha) * base
            if seasonal:
                s[t % m] = gamma * (yt - new) + (1 - gamma) * seas
        if trend:
            slope = beta * (new - level) + (1 - beta) * phi * slope
        level = new
    return fitted, sse, level, slope, [s[(len(y) + i) % m] for i in range(m)]


def gru_forward_naive(Wz, Wr, Wn, Uz, Ur, Un, bz, br, bn, Wo, bo, X):
    """GRU (Cho et al. 2014) over X (B, T, D) in plain numpy; returns the outputs of the last state."""
    import numpy as np

    sig = lambda a: 1 / (1 + np.exp(-a))  # noqa: E731
    h = np.zeros((X.shape[0], Wz.shape[1]))
    for t in range(X.shape[1]):
        x = X[:, t, :]
        z = sig(x @ Wz + h @ Uz + bz)
        r = sig(x @ Wr + h @ Ur + br)
        n = np.tanh(x @ Wn + (r * h) @ Un + bn)
        h = (1 - z) * n + z * h
    return h @ Wo + bo


def elman_forward_naive(W, U, b, Wo, bo, X):
    """Plain (Elman) RNN h' = tanh(x W + h U + b) over X (B, T, D); returns the outputs of the last state."""
    import numpy as np

    h = np.zeros((X.shape[0], W.shape[1]))
    for t in range(X.shape[1]):
        h = np.tanh(X[:, t, :] @ W + h @ U + b)
    return h @ Wo + bo
