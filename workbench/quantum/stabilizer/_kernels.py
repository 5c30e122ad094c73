"""Compiled kernels of the stabilizer engine: the bit-packed Pauli-frame simulator and the tableau simulator.

Pure array functions over :class:`~._program.Program` arrays. The frame simulator keeps, per qubit, the X and Z
parts of 64 shots' Pauli frames in one ``uint64`` word each; gates act on whole words, noise is drawn by
geometric skipping (one random number per error, not per shot and location), and a measurement records the frame
bit that anticommutes with it. The same kernel extracts detector error models: with ``inject`` set, each lane
carries exactly one error mechanism instead of random noise.

The tableau simulator is Aaronson and Gottesman's (2004) destabilizer tableau with signs, one byte per bit.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from ..._config import STRICT

GATE1, GATE2, FEEDBACK, MEASURE, RESET, MPP, NOISE, CORRELATED, DETECTOR, OBSERVABLE, MPAD = range(11)

_ONES = np.uint64(0xFFFFFFFFFFFFFFFF)


# ---------------------------------------------------------------------------------------------- random numbers
@njit(cache=True, fastmath=STRICT)
def _rotl(x, k):
    return (x << np.uint64(k)) | (x >> np.uint64(64 - k))


@njit(cache=True, fastmath=STRICT)
def rng_seed(seed):
    """xoshiro256** state from a 64-bit seed through splitmix64."""
    s = np.empty(4, dtype=np.uint64)
    z = np.uint64(seed)
    for i in range(4):
        z = z + np.uint64(0x9E3779B97F4A7C15)
        t = z
        t = (t ^ (t >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        t = (t ^ (t >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        s[i] = t ^ (t >> np.uint64(31))
    return s


@njit(cache=True, fastmath=STRICT)
def rng_next(s):
    """The next 64 random bits of a xoshiro256** state."""
    result = _rotl(s[1] * np.uint64(5), 7) * np.uint64(9)
    t = s[1] << np.uint64(17)
    s[2] ^= s[0]
    s[3] ^= s[1]
    s[1] ^= s[2]
    s[0] ^= s[3]
    s[2] ^= t
    s[3] = _rotl(s[3], 45)
    return result


@njit(cache=True, fastmath=STRICT)
def rng_uniform(s):
    """A float in (0, 1]."""
    return ((rng_next(s) >> np.uint64(11)) + np.uint64(1)) * (1.0 / 9007199254740992.0)


@njit(cache=True, fastmath=STRICT)
def _gap(s, log1mp):
    """Positions to skip before the next error (geometric), given log(1 - p) < 0."""
    return int(np.floor(np.log(rng_uniform(s)) / log1mp))


@njit(cache=True, fastmath=STRICT)
def _pick(s, probs, a0, a1, total):
    """Index k in [0, a1 - a0) drawn with probability probs[a0 + k] / total."""
    u = rng_uniform(s) * total
    acc = 0.0
    for k in range(a0, a1):
        acc += probs[k]
        if u <= acc and probs[k] > 0:
            return k - a0
    for k in range(a1 - 1, a0 - 1, -1):
        if probs[k] > 0:
            return k - a0
    return 0


# the Pauli code (x + 2z) of "IXYZ"[k]
_CODE_OF = np.array([0, 1, 3, 2], dtype=np.int64)


# ---------------------------------------------------------------------------------------------- frame simulator
@njit(cache=True, fastmath=STRICT)
def _apply_gate1(X, Z, q, tab, nw):
    # images of X (code 1) and Z (code 2) as bit masks
    ix = tab[1, 0]
    iz = tab[2, 0]
    xx = _ONES if ix & 1 else np.uint64(0)
    xz = _ONES if ix & 2 else np.uint64(0)
    zx = _ONES if iz & 1 else np.uint64(0)
    zz = _ONES if iz & 2 else np.uint64(0)
    for w in range(nw):
        x = X[q, w]
        z = Z[q, w]
        X[q, w] = (x & xx) ^ (z & zx)
        Z[q, w] = (x & xz) ^ (z & zz)


@njit(cache=True, fastmath=STRICT)
def _apply_gate2(X, Z, a, b, tab, kind, nw):
    if kind == 1:  # CX
        for w in range(nw):
            X[b, w] ^= X[a, w]
            Z[a, w] ^= Z[b, w]
        return
    if kind == 2:  # CZ
        for w in range(nw):
            Z[a, w] ^= X[b, w]
            Z[b, w] ^= X[a, w]
        return
    if kind == 3:  # SWAP
        for w in range(nw):
            t = X[a, w]
            X[a, w] = X[b, w]
            X[b, w] = t
            t = Z[a, w]
            Z[a, w] = Z[b, w]
            Z[b, w] = t
        return
    # generic: new = sum over generators g of bit_g * image(g); generators X_a (1), Z_a (2), X_b (4), Z_b (8)
    m = np.zeros((4, 4), dtype=np.uint64)  # m[g, out] with out in (x_a, z_a, x_b, z_b)
    for g in range(4):
        img = tab[1 << g, 0]
        for o in range(4):
            if (img >> o) & 1:
                m[g, o] = _ONES
    for w in range(nw):
        v0 = X[a, w]
        v1 = Z[a, w]
        v2 = X[b, w]
        v3 = Z[b, w]
        X[a, w] = (v0 & m[0, 0]) ^ (v1 & m[1, 0]) ^ (v2 & m[2, 0]) ^ (v3 & m[3, 0])
        Z[a, w] = (v0 & m[0, 1]) ^ (v1 & m[1, 1]) ^ (v2 & m[2, 1]) ^ (v3 & m[3, 1])
        X[b, w] = (v0 & m[0, 2]) ^ (v1 & m[1, 2]) ^ (v2 & m[2, 2]) ^ (v3 & m[3, 2])
        Z[b, w] = (v0 & m[0, 3]) ^ (v1 & m[1, 3]) ^ (v2 & m[2, 3]) ^ (v3 & m[3, 3])


@njit(cache=True, fastmath=STRICT)
def _flip_pauli(X, Z, q, code, w, bit):
    if code & 1:
        X[q, w] ^= bit
    if code & 2:
        Z[q, w] ^= bit


@njit(cache=True, fastmath=STRICT)
def _frame_batch(
    ops,
    targets,
    args,
    meas_start,
    tables,
    gate2_kind,
    X,
    Z,
    rec,
    det,
    obs,
    w0,
    nw,
    lanes,
    s,
    randomize,
    inject,
    comp_start,
    comp_end,
    comp_lane,
    comp_t0,
    comp_t1,
    comp_targets,
    fired,
):
    n_ops = ops.shape[0]
    for i in range(n_ops):
        kind = ops[i, 0]
        a = ops[i, 1]
        b = ops[i, 2]
        t0 = ops[i, 3]
        t1 = ops[i, 4]
        a0 = ops[i, 5]
        a1 = ops[i, 6]
        m0 = meas_start[i]
        if kind == GATE1:
            tab = tables[a]
            if tab[1, 0] == 1 and tab[2, 0] == 2:
                continue  # a Pauli or the identity: frames unchanged
            for k in range(t0, t1):
                _apply_gate1(X, Z, targets[k], tab, nw)
        elif kind == GATE2:
            tab = tables[a]
            gk = gate2_kind[a]
            for k in range(t0, t1, 2):
                _apply_gate2(X, Z, targets[k], targets[k + 1], tab, gk, nw)
        elif kind == FEEDBACK:
            m = targets[t0]
            q = targets[t0 + 1]
            for w in range(nw):
                r = rec[m, w]
                if a & 1:
                    X[q, w] ^= r
                if a & 2:
                    Z[q, w] ^= r
        elif kind == MEASURE or kind == RESET:
            for k in range(t0, t1):
                q = targets[k]
                m = m0 + (k - t0)
                for w in range(nw):
                    if kind == MEASURE:
                        if a == 2:
                            rec[m, w] = X[q, w]
                        elif a == 1:
                            rec[m, w] = Z[q, w]
                        else:
                            rec[m, w] = X[q, w] ^ Z[q, w]
                    if kind == RESET or b == 1:
                        X[q, w] = 0
                        Z[q, w] = 0
                    if randomize:
                        r = rng_next(s)
                        # the state is now an eigenstate of the basis Pauli: multiply by it at random
                        if a & 1:
                            X[q, w] ^= r
                        if a & 2:
                            Z[q, w] ^= r
            if kind == MEASURE and a1 > a0 and not inject:
                _flip_records(rec, m0, t1 - t0, args[a0], lanes, s)
        elif kind == MPP:
            k = t0
            m = m0
            while k < t1:
                n = targets[k]
                for w in range(nw):
                    acc = np.uint64(0)
                    for j in range(n):
                        q = targets[k + 1 + 2 * j]
                        c = targets[k + 2 + 2 * j]
                        if c & 1:
                            acc ^= Z[q, w]
                        if c & 2:
                            acc ^= X[q, w]
                    rec[m, w] = acc
                    if randomize:
                        r = rng_next(s)
                        for j in range(n):
                            q = targets[k + 1 + 2 * j]
                            c = targets[k + 2 + 2 * j]
                            if c & 1:
                                X[q, w] ^= r
                            if c & 2:
                                Z[q, w] ^= r
                k += 1 + 2 * n
                m += 1
            if a1 > a0 and not inject:
                _flip_records(rec, m0, m - m0, args[a0], lanes, s)
        elif kind == MPAD:
            for k in range(t0, t1):
                for w in range(nw):
                    rec[m0 + k - t0, w] = 0
            if a1 > a0 and not inject:
                _flip_records(rec, m0, t1 - t0, args[a0], lanes, s)
        elif kind == NOISE:
            if not inject:
                _noise(X, Z, targets, t0, t1, args, a0, a1, a, lanes, s)
        elif kind == CORRELATED:
            if not inject:
                p = args[a0]
                if b == 0:
                    for w in range(nw):
                        fired[w] = 0
                if p > 0:
                    log1mp = np.log1p(-p) if p < 1 else -1e300
                    pos = -1
                    while True:
                        pos += 1 + _gap(s, log1mp)
                        if pos >= lanes:
                            break
                        w = pos >> 6
                        bit = np.uint64(1) << np.uint64(pos & 63)
                        if fired[w] & bit:
                            continue
                        fired[w] |= bit
                        for k in range(t0, t1, 2):
                            _flip_pauli(X, Z, targets[k], targets[k + 1], w, bit)
        elif kind == DETECTOR:
            for w in range(nw):
                acc = np.uint64(0)
                for k in range(t0, t1):
                    acc ^= rec[targets[k], w]
                det[a, w0 + w] = acc
        elif kind == OBSERVABLE:
            for w in range(nw):
                acc = np.uint64(0)
                for k in range(t0, t1):
                    acc ^= rec[targets[k], w]
                obs[a, w0 + w] ^= acc
        if inject:
            for c in range(comp_start[i], comp_end[i]):
                lane = comp_lane[c]
                w = lane >> 6
                bit = np.uint64(1) << np.uint64(lane & 63)
                for k in range(comp_t0[c], comp_t1[c], 2):
                    q = comp_targets[k]
                    code = comp_targets[k + 1]
                    if code < 0:
                        rec[q, w] ^= bit
                    else:
                        _flip_pauli(X, Z, q, code, w, bit)


@njit(cache=True, fastmath=STRICT)
def _flip_records(rec, m0, n, p, lanes, s):
    if p <= 0:
        return
    log1mp = np.log1p(-p) if p < 1 else -1e300
    total = n * lanes
    pos = -1
    while True:
        pos += 1 + _gap(s, log1mp)
        if pos >= total:
            break
        g = pos // lanes
        lane = pos - g * lanes
        rec[m0 + g, lane >> 6] ^= np.uint64(1) << np.uint64(lane & 63)


@njit(cache=True, fastmath=STRICT)
def _noise(X, Z, targets, t0, t1, args, a0, a1, channel, lanes, s):
    group = 2 if (channel == 4 or channel == 6) else 1
    if channel <= 4:
        p = args[a0]
    else:
        p = 0.0
        for k in range(a0, a1):
            p += args[k]
    if p <= 0:
        return
    log1mp = np.log1p(-p) if p < 1 else -1e300
    ngroups = (t1 - t0) // group
    total = ngroups * lanes
    pos = -1
    while True:
        pos += 1 + _gap(s, log1mp)
        if pos >= total:
            break
        g = pos // lanes
        lane = pos - g * lanes
        w = lane >> 6
        bit = np.uint64(1) << np.uint64(lane & 63)
        q = targets[t0 + group * g]
        if channel == 0:
            X[q, w] ^= bit
        elif channel == 1:
            X[q, w] ^= bit
            Z[q, w] ^= bit
        elif channel == 2:
            Z[q, w] ^= bit
        elif channel == 3:
            k = 1 + int(rng_uniform(s) * 3.0 - 1e-12)
            _flip_pauli(X, Z, q, _CODE_OF[k], w, bit)
        elif channel == 5:
            k = 1 + _pick(s, args, a0, a1, p)
            _flip_pauli(X, Z, q, _CODE_OF[k], w, bit)
        else:
            if channel == 4:
                k = 1 + int(rng_uniform(s) * 15.0 - 1e-12)
            else:
                k = 1 + _pick(s, args, a0, a1, p)
            q2 = targets[t0 + group * g + 1]
            _flip_pauli(X, Z, q, _CODE_OF[k >> 2], w, bit)
            _flip_pauli(X, Z, q2, _CODE_OF[k & 3], w, bit)


@njit(cache=True, fastmath=STRICT)
def frame_sample(
    ops,
    targets,
    args,
    meas_start,
    tables,
    gate2_kind,
    n_qubits,
    n_meas,
    n_det,
    n_obs,
    n_words,
    batch_words,
    seed,
    randomize,
    keep_measurements,
):
    """Detection events, observable flips (and measurement flips) of ``64 * n_words`` shots, bit-packed.

    Returns ``det [n_det, n_words]``, ``obs [n_obs, n_words]``, ``meas [n_meas or 0, n_words]`` (uint64).
    """
    s = rng_seed(seed)
    det = np.zeros((n_det, n_words), dtype=np.uint64)
    obs = np.zeros((n_obs, n_words), dtype=np.uint64)
    meas = np.zeros((n_meas if keep_measurements else 0, n_words), dtype=np.uint64)
    bw = min(batch_words, n_words)
    X = np.zeros((n_qubits, bw), dtype=np.uint64)
    Z = np.zeros((n_qubits, bw), dtype=np.uint64)
    rec = np.zeros((n_meas, bw), dtype=np.uint64)
    fired = np.zeros(bw, dtype=np.uint64)
    empty_i = np.zeros(0, dtype=np.int64)
    starts = np.zeros(ops.shape[0], dtype=np.int64)
    w0 = 0
    while w0 < n_words:
        nw = min(bw, n_words - w0)
        X[:] = 0
        Z[:] = 0
        rec[:] = 0
        if randomize:
            # every qubit starts in |0>, a Z eigenstate: a random Z in the frame changes nothing physical
            for q in range(n_qubits):
                for w in range(nw):
                    Z[q, w] = rng_next(s)
        _frame_batch(
            ops,
            targets,
            args,
            meas_start,
            tables,
            gate2_kind,
            X,
            Z,
            rec,
            det,
            obs,
            w0,
            nw,
            nw * 64,
            s,
            randomize,
            False,
            starts,
            starts,
            empty_i,
            empty_i,
            empty_i,
            empty_i,
            fired,
        )
        if keep_measurements:
            for m in range(n_meas):
                for w in range(nw):
                    meas[m, w0 + w] = rec[m, w]
        w0 += nw
    return det, obs, meas


@njit(cache=True, fastmath=STRICT)
def frame_inject(
    ops,
    targets,
    args,
    meas_start,
    tables,
    gate2_kind,
    n_qubits,
    n_meas,
    n_det,
    n_obs,
    n_lanes,
    comp_start,
    comp_end,
    comp_lane,
    comp_t0,
    comp_t1,
    comp_targets,
):
    """Detectors and observables flipped by each single error mechanism (one lane each), bit-packed."""
    n_words = max(1, (n_lanes + 63) // 64)
    det = np.zeros((n_det, n_words), dtype=np.uint64)
    obs = np.zeros((n_obs, n_words), dtype=np.uint64)
    X = np.zeros((n_qubits, n_words), dtype=np.uint64)
    Z = np.zeros((n_qubits, n_words), dtype=np.uint64)
    rec = np.zeros((n_meas, n_words), dtype=np.uint64)
    fired = np.zeros(n_words, dtype=np.uint64)
    s = rng_seed(0)
    _frame_batch(
        ops,
        targets,
        args,
        meas_start,
        tables,
        gate2_kind,
        X,
        Z,
        rec,
        det,
        obs,
        0,
        n_words,
        n_words * 64,
        s,
        False,
        True,
        comp_start,
        comp_end,
        comp_lane,
        comp_t0,
        comp_t1,
        comp_targets,
        fired,
    )
    return det, obs


# ---------------------------------------------------------------------------------------------- tableau
@njit(cache=True, fastmath=STRICT)
def _g(x1, z1, x2, z2):
    """Exponent of i picked up by multiplying Pauli (x1, z1) into (x2, z2) (Aaronson-Gottesman's g)."""
    if x1 == 0 and z1 == 0:
        return 0
    if x1 == 1 and z1 == 1:
        return z2 - x2
    if x1 == 1 and z1 == 0:
        return z2 * (2 * x2 - 1)
    return x2 * (1 - 2 * z2)


@njit(cache=True, fastmath=STRICT)
def tableau_rowsum(tx, tz, tr, h, i, n):
    """Row h <- row i * row h (with the sign)."""
    total = 2 * tr[h] + 2 * tr[i]
    for j in range(n):
        total += _g(tx[i, j], tz[i, j], tx[h, j], tz[h, j])
        tx[h, j] ^= tx[i, j]
        tz[h, j] ^= tz[i, j]
    tr[h] = 1 if (total % 4 + 4) % 4 == 2 else 0


@njit(cache=True, fastmath=STRICT)
def tableau_gate1(tx, tz, tr, q, tab):
    for i in range(tx.shape[0]):
        code = tx[i, q] + 2 * tz[i, q]
        out = tab[code, 0]
        tr[i] ^= tab[code, 1]
        tx[i, q] = out & 1
        tz[i, q] = (out >> 1) & 1


@njit(cache=True, fastmath=STRICT)
def tableau_gate2(tx, tz, tr, a, b, tab):
    for i in range(tx.shape[0]):
        code = tx[i, a] + 2 * tz[i, a] + 4 * tx[i, b] + 8 * tz[i, b]
        out = tab[code, 0]
        tr[i] ^= tab[code, 1]
        tx[i, a] = out & 1
        tz[i, a] = (out >> 1) & 1
        tx[i, b] = (out >> 2) & 1
        tz[i, b] = (out >> 3) & 1


@njit(cache=True, fastmath=STRICT)
def tableau_measure_z(tx, tz, tr, q, n, forced):
    """Measure Z on qubit q. ``forced`` -1: a random outcome draws 50/50 from NumPy's generator; 0/1: chosen.

    Returns (outcome, deterministic).
    """
    p = -1
    for i in range(n, 2 * n):
        if tx[i, q]:
            p = i
            break
    if p >= 0:
        for i in range(2 * n):
            if i != p and tx[i, q]:
                tableau_rowsum(tx, tz, tr, i, p, n)
        for j in range(n):
            tx[p - n, j] = tx[p, j]
            tz[p - n, j] = tz[p, j]
            tx[p, j] = 0
            tz[p, j] = 0
        tr[p - n] = tr[p]
        tz[p, q] = 1
        out = forced if forced >= 0 else (1 if np.random.random() < 0.5 else 0)
        tr[p] = out
        return out, False
    s = 2 * n
    for j in range(n):
        tx[s, j] = 0
        tz[s, j] = 0
    tr[s] = 0
    for i in range(n):
        if tx[i, q]:
            tableau_rowsum(tx, tz, tr, s, i + n, n)
    return tr[s], True


@njit(cache=True, fastmath=STRICT)
def bit_index(low):
    """Position of the single set bit of ``low`` (a power of two), by binary search."""
    b = 0
    y = low
    if y >> np.uint64(32):
        b += 32
        y >>= np.uint64(32)
    if y >> np.uint64(16):
        b += 16
        y >>= np.uint64(16)
    if y >> np.uint64(8):
        b += 8
        y >>= np.uint64(8)
    if y >> np.uint64(4):
        b += 4
        y >>= np.uint64(4)
    if y >> np.uint64(2):
        b += 2
        y >>= np.uint64(2)
    if y >> np.uint64(1):
        b += 1
    return b


@njit(cache=True, fastmath=STRICT)
def shot_major(words, n_shots):
    """Detector-major bit-packed words ``[rows, n_words]`` -> shot-major bytes ``[n_shots, ceil(rows / 8)]``
    (little-endian bit order within a byte, Stim's ``bit_packed`` layout)."""
    rows, n_words = words.shape
    out = np.zeros((n_shots, (rows + 7) // 8), dtype=np.uint8)
    for d in range(rows):
        byte = d >> 3
        mask = np.uint8(1 << (d & 7))
        for w in range(n_words):
            x = words[d, w]
            base = w * 64
            while x:
                low = x & (~x + np.uint64(1))
                b = bit_index(low)
                s = base + b
                if s < n_shots:
                    out[s, byte] |= mask
                x ^= low
    return out
