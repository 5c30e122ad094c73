"""State-vector kernels (no validation here).

A state of n qubits is a contiguous complex array of length 2**n; bit q of an index is the
state of qubit q (little-endian, as in Qiskit). A gate on target qubits ``targets`` (matrix
bit b is ``targets[b]``) with control mask ``cmask`` acts on every group of amplitudes whose
indices differ only in the target bits and whose control bits equal ``cval``. ``gaps`` are
the sorted positions of all qubits the gate touches (targets and controls): a group index
``g`` becomes an amplitude index by inserting a zero bit at each gap.

When the lowest touched qubit is high enough, the groups come in runs of contiguous indices;
the dense kernel then works on a run at a time (a chunk of each of the 2**k input rows, a
matrix-vector product per chunk), which keeps memory access sequential and lets LLVM vectorize.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from .._config import STRICT

#: contiguous run length from which the chunked (vectorizable) path is used
_RUN = 8


@njit(cache=True, fastmath=STRICT, inline="always")
def _insert_zeros(g, gaps):
    for p in gaps:
        low = g & ((np.int64(1) << p) - 1)
        g = low | ((g - low) << 1)
    return g


@njit(cache=True, fastmath=STRICT, inline="always")
def _offsets(targets):
    d = 1 << targets.shape[0]
    off = np.zeros(d, np.int64)
    for c in range(d):
        o = 0
        for b in range(targets.shape[0]):
            if (c >> b) & 1:
                o |= np.int64(1) << targets[b]
        off[c] = o
    return off


@njit(cache=True, fastmath=STRICT)
def apply_dense(psi, m, targets, gaps, cval):
    """Apply the 2**k x 2**k matrix ``m`` (same dtype as ``psi``) in place."""
    n = psi.shape[0]
    k = targets.shape[0]
    d = 1 << k
    off = _offsets(targets)
    ngroups = n >> gaps.shape[0]
    run = np.int64(1) << gaps[0]
    if run >= _RUN:
        ch = min(run, max(16, 4096 // d))
        buf = np.empty((d, ch), psi.dtype)
        for g in range(0, ngroups, run):
            base = _insert_zeros(g, gaps) | cval
            for j0 in range(0, run, ch):
                b0 = base + j0
                if d == 2:
                    i0 = b0 + off[0]
                    i1 = b0 + off[1]
                    m00, m01, m10, m11 = m[0, 0], m[0, 1], m[1, 0], m[1, 1]
                    for j in range(ch):
                        a = psi[i0 + j]
                        b = psi[i1 + j]
                        psi[i0 + j] = m00 * a + m01 * b
                        psi[i1 + j] = m10 * a + m11 * b
                    continue
                for c in range(d):
                    ic = b0 + off[c]
                    for j in range(ch):
                        buf[c, j] = psi[ic + j]
                for r in range(d):
                    ir = b0 + off[r]
                    mr0 = m[r, 0]
                    for j in range(ch):
                        psi[ir + j] = mr0 * buf[0, j]
                    for c in range(1, d):
                        mrc = m[r, c]
                        if mrc != 0:
                            for j in range(ch):
                                psi[ir + j] += mrc * buf[c, j]
        return
    v = np.empty(d, psi.dtype)
    for g in range(ngroups):
        base = _insert_zeros(g, gaps) | cval
        if d == 2:
            i0 = base + off[0]
            i1 = base + off[1]
            a = psi[i0]
            b = psi[i1]
            psi[i0] = m[0, 0] * a + m[0, 1] * b
            psi[i1] = m[1, 0] * a + m[1, 1] * b
            continue
        for c in range(d):
            v[c] = psi[base + off[c]]
        for r in range(d):
            acc = m[r, 0] * v[0]
            for c in range(1, d):
                acc += m[r, c] * v[c]
            psi[base + off[r]] = acc


@njit(cache=True, fastmath=STRICT, inline="always")
def _split_groups(pf, mre, mim, off, gaps, cval, g_start, g_end):
    """Groups ``g_start..g_end-1`` of :func:`apply_dense_split` (each caller has its own buffers)."""
    d = off.shape[0]
    nb_max = 64
    bre = np.empty((d, nb_max), pf.dtype)
    bim = np.empty((d, nb_max), pf.dtype)
    are = np.empty(nb_max, pf.dtype)
    aim = np.empty(nb_max, pf.dtype)
    bases = np.empty(nb_max, np.int64)
    for g0 in range(g_start, g_end, nb_max):
        nb = min(nb_max, g_end - g0)
        for b in range(nb):
            bases[b] = 2 * (_insert_zeros(g0 + b, gaps) | cval)
        for c in range(d):
            o = 2 * off[c]
            for b in range(nb):
                i = bases[b] + o
                bre[c, b] = pf[i]
                bim[c, b] = pf[i + 1]
        for r in range(d):
            for b in range(nb):
                are[b] = 0
                aim[b] = 0
            for c in range(d):
                xr = mre[r, c]
                xi = mim[r, c]
                if xr == 0 and xi == 0:
                    continue
                for b in range(nb):
                    are[b] += xr * bre[c, b] - xi * bim[c, b]
                    aim[b] += xr * bim[c, b] + xi * bre[c, b]
            o = 2 * off[r]
            for b in range(nb):
                i = bases[b] + o
                pf[i] = are[b]
                pf[i + 1] = aim[b]


@njit(cache=True, fastmath=STRICT)
def apply_dense_split(pf, mre, mim, targets, gaps, cval):
    """Apply a dense 2**k x 2**k matrix, given as real and imaginary parts, to the state seen
    as interleaved floats ``pf`` (``psi.view(float)``): the fused-block kernel.

    Groups are processed in batches: each batch's 2**k input rows are gathered into separate
    real/imaginary buffers, so the matrix-vector products run over contiguous float arrays
    (FMA, SIMD) and the results are scattered back.
    """
    ngroups = (pf.shape[0] // 2) >> gaps.shape[0]
    _split_groups(pf, mre, mim, _offsets(targets), gaps, cval, 0, ngroups)


@njit(cache=True, fastmath=STRICT, parallel=True)
def apply_dense_split_threads(pf, mre, mim, targets, gaps, cval, threads):
    """:func:`apply_dense_split` with the groups shared among ``threads`` threads (disjoint amplitudes)."""
    ngroups = (pf.shape[0] // 2) >> gaps.shape[0]
    off = _offsets(targets)
    per = (ngroups + threads - 1) // threads
    for t in prange(threads):
        _split_groups(pf, mre, mim, off, gaps, cval, min(t * per, ngroups), min((t + 1) * per, ngroups))


@njit(cache=True, fastmath=STRICT)
def apply_diagonal(psi, diag, targets, cmask, cval):
    """Multiply each amplitude by ``diag[target bits]`` where the control bits equal ``cval``."""
    n = psi.shape[0]
    k = targets.shape[0]
    if cmask == 0 and k == 1:
        q = targets[0]
        run = np.int64(1) << q
        d0, d1 = diag[0], diag[1]
        for base in range(0, n, 2 * run):
            if d0 != 1:
                for j in range(base, base + run):
                    psi[j] *= d0
            for j in range(base + run, base + 2 * run):
                psi[j] *= d1
        return
    t0 = targets[0]
    consecutive = True
    for b in range(k):
        consecutive = consecutive and targets[b] == t0 + b
    if consecutive and cmask == 0:
        # index bits t0..t0+k-1 are the diagonal index: runs of 2**t0 equal factors
        run = np.int64(1) << t0
        dm = (1 << k) - 1
        for base in range(0, n, run):
            f = diag[(base >> t0) & dm]
            if f != 1:
                for j in range(base, base + run):
                    psi[j] *= f
        return
    # chunks of 2**L amplitudes: the low target bits come from a table, the high ones once per chunk
    L = min(8, int(np.log2(n)))
    size = np.int64(1) << L
    low = np.zeros(size, np.int64)
    for j in range(size):
        if (j & cmask & (size - 1)) != (cval & (size - 1)):
            low[j] = -1
            continue
        for b in range(k):
            if targets[b] < L:
                low[j] |= ((j >> targets[b]) & 1) << b
    hmask = cmask & ~(size - 1)
    hval = cval & ~(size - 1)
    for base in range(0, n, size):
        if (base & hmask) != hval:
            continue
        hi = 0
        for b in range(k):
            if targets[b] >= L:
                hi |= ((base >> targets[b]) & 1) << b
        for j in range(size):
            lj = low[j]
            if lj >= 0:
                psi[base + j] *= diag[hi | lj]


@njit(cache=True, fastmath=STRICT)
def apply_swap(psi, a, b, gaps, cval):
    """Exchange qubits ``a`` and ``b`` (amplitudes with the two bits 01 and 10 trade places)."""
    ngroups = psi.shape[0] >> gaps.shape[0]
    ma = np.int64(1) << a
    mb = np.int64(1) << b
    run = np.int64(1) << gaps[0]
    for g in range(0, ngroups, run):
        base = _insert_zeros(g, gaps) | cval
        i1 = base | ma
        i2 = base | mb
        for j in range(run):
            t = psi[i1 + j]
            psi[i1 + j] = psi[i2 + j]
            psi[i2 + j] = t


@njit(cache=True, fastmath=STRICT, inline="always")
def _run_simple(psi, i, kinds, mats, mat_off, tq, tq_off, gaps, gap_off, cvals, cmasks):
    """Apply operation ``i`` of a program if it is a swap, a diagonal or a one-qubit dense gate;
    False for a dense block of two or more qubits (left to the caller's split-float kernel)."""
    t = tq[tq_off[i] : tq_off[i + 1]]
    d = 1 << t.shape[0]
    if kinds[i] == 2:
        apply_swap(psi, t[0], t[1], gaps[gap_off[i] : gap_off[i + 1]], cvals[i])
    elif kinds[i] == 0 and d == 2:
        m = mats[mat_off[i] : mat_off[i] + 4].reshape((2, 2))
        apply_dense(psi, m, t, gaps[gap_off[i] : gap_off[i + 1]], cvals[i])
    elif kinds[i] == 0:
        return False
    else:
        apply_diagonal(psi, mats[mat_off[i] : mat_off[i] + d], t, cmasks[i], cvals[i])
    return True


@njit(cache=True, fastmath=STRICT, inline="always")
def _split_block(i, mre, mim, mat_off, tq, tq_off, gaps, gap_off):
    """Operation ``i``'s real and imaginary matrices, targets and touched positions."""
    t = tq[tq_off[i] : tq_off[i + 1]]
    d = 1 << t.shape[0]
    a = mat_off[i]
    return mre[a : a + d * d].reshape((d, d)), mim[a : a + d * d].reshape((d, d)), t, gaps[gap_off[i] : gap_off[i + 1]]


@njit(cache=True, fastmath=STRICT)
def run_program(psi, pf, kinds, mats, mre, mim, mat_off, tq, tq_off, gaps, gap_off, cvals, cmasks):
    """Apply a sequence of gates (dense blocks or diagonals) in one call.

    ``pf`` is ``psi`` seen as interleaved floats; ``mre``/``mim`` the real and imaginary
    parts of ``mats`` (blocks of two or more qubits use the split-float kernel).

    Operation ``i`` has kind 0 (dense), 1 (diagonal) or 2 (swap of its two targets), its matrix (row-major) or diagonal at
    ``mats[mat_off[i]:]``, targets ``tq[tq_off[i]:tq_off[i+1]]``, touched positions
    ``gaps[gap_off[i]:gap_off[i+1]]``, control value and mask.
    """
    for i in range(kinds.shape[0]):
        if not _run_simple(psi, i, kinds, mats, mat_off, tq, tq_off, gaps, gap_off, cvals, cmasks):
            mr, mi, t, g = _split_block(i, mre, mim, mat_off, tq, tq_off, gaps, gap_off)
            apply_dense_split(pf, mr, mi, t, g, cvals[i])


@njit(cache=True, fastmath=STRICT)
def run_program_threads(psi, pf, kinds, mats, mre, mim, mat_off, tq, tq_off, gaps, gap_off, cvals, cmasks, threads):
    """:func:`run_program` with the dense blocks of two or more qubits on ``threads`` threads (a
    separate kernel, so that single-threaded use never compiles the parallel one)."""
    for i in range(kinds.shape[0]):
        if not _run_simple(psi, i, kinds, mats, mat_off, tq, tq_off, gaps, gap_off, cvals, cmasks):
            mr, mi, t, g = _split_block(i, mre, mim, mat_off, tq, tq_off, gaps, gap_off)
            apply_dense_split_threads(pf, mr, mi, t, g, cvals[i], threads)


@njit(cache=True, fastmath=STRICT)
def prob_one(psi, q):
    """Probability that qubit ``q`` reads 1."""
    p = 0.0
    bit = np.int64(1) << q
    for i in range(psi.shape[0]):
        if i & bit:
            a = psi[i]
            p += a.real * a.real + a.imag * a.imag
    return p


@njit(cache=True, fastmath=STRICT)
def collapse(psi, q, outcome, scale):
    """Project qubit ``q`` on ``outcome`` and multiply the kept amplitudes by ``scale``."""
    bit = np.int64(1) << q
    want = bit if outcome else 0
    for i in range(psi.shape[0]):
        if (i & bit) == want:
            psi[i] *= scale
        else:
            psi[i] = 0


@njit(cache=True, fastmath=STRICT)
def flip_to_zero(psi, q):
    """Move the amplitudes of qubit ``q`` = 1 onto q = 0 (X after a collapse on 1)."""
    bit = np.int64(1) << q
    for i in range(psi.shape[0]):
        if i & bit:
            psi[i ^ bit] = psi[i]
            psi[i] = 0


@njit(cache=True, fastmath=STRICT, inline="always")
def _parity(x):
    """1 if ``x`` has an odd number of set bits (64-bit fold)."""
    x ^= x >> 32
    x ^= x >> 16
    x ^= x >> 8
    x ^= x >> 4
    x ^= x >> 2
    x ^= x >> 1
    return x & 1


@njit(cache=True, fastmath=STRICT, inline="always")
def _times_i_power(re, im, ny):
    """Real part of (re + i im) * i**ny."""
    k = ny % 4
    if k == 0:
        return re
    if k == 1:
        return -im
    if k == 2:
        return -re
    return im


@njit(cache=True, fastmath=STRICT)
def expect_pauli(psi, xmask, zmask, ny):
    r"""<psi|P|psi> for the Pauli string with X-or-Y bits ``xmask``, Z-or-Y bits ``zmask`` and
    ``ny`` Y factors: :math:`P|i\rangle = i^{n_Y} (-1)^{|i \wedge z|} |i \oplus x\rangle`."""
    acc_re = 0.0
    acc_im = 0.0
    for i in range(psi.shape[0]):
        a = psi[i]
        b = psi[i ^ xmask]
        # conj(b) * a with the sign of the Z part
        re = b.real * a.real + b.imag * a.imag
        im = b.real * a.imag - b.imag * a.real
        if _parity(i & zmask):
            acc_re -= re
            acc_im -= im
        else:
            acc_re += re
            acc_im += im
    return _times_i_power(acc_re, acc_im, ny)


@njit(cache=True, fastmath=STRICT)
def reduced_density(psi, targets, gaps):
    """The reduced density matrix of ``targets`` (little-endian), tracing out every other qubit."""
    k = targets.shape[0]
    d = 1 << k
    off = _offsets(targets)
    rho = np.zeros((d, d), np.complex128)
    ngroups = psi.shape[0] >> gaps.shape[0]
    v = np.empty(d, np.complex128)
    for g in range(ngroups):
        base = _insert_zeros(g, gaps)
        for c in range(d):
            v[c] = psi[base + off[c]]
        for r in range(d):
            vr = v[r]
            for c in range(d):
                rho[r, c] += vr * np.conj(v[c])
    return rho


@njit(cache=True, fastmath=STRICT)
def expect_pauli_density(rho, n, xmask, zmask, ny):
    """Tr(rho P) for a density matrix stored as a vector (index row | col << n)."""
    acc_re = 0.0
    acc_im = 0.0
    for r in range(np.int64(1) << n):
        a = rho[r | ((r ^ xmask) << n)]
        if _parity(r & zmask):
            acc_re -= a.real
            acc_im -= a.imag
        else:
            acc_re += a.real
            acc_im += a.imag
    return _times_i_power(acc_re, acc_im, ny)


@njit(cache=True, fastmath=STRICT)
def apply_pauli_sum(psi, coeffs, xmasks, zmasks, out):
    r"""``out = sum_t coeffs[t] P_t psi`` for Pauli strings with X-or-Y bits ``xmasks[t]`` and Z-or-Y bits
    ``zmasks[t]``, each coefficient already multiplied by :math:`i^{n_Y}` (the convention of
    :func:`expect_pauli`: :math:`P|i\rangle = i^{n_Y} (-1)^{|i \wedge z|} |i \oplus x\rangle`); ``out`` is
    overwritten."""
    for i in range(out.shape[0]):
        out[i] = 0.0
    for t in range(coeffs.shape[0]):
        c = coeffs[t]
        x = xmasks[t]
        z = zmasks[t]
        for i in range(psi.shape[0]):
            v = c * psi[i]
            if _parity(i & z):
                v = -v
            out[i ^ x] += v


@njit(cache=True, fastmath=STRICT)
def adjoint_pass(psi, lam, q, cval, minv, dms, dstart, out):
    """One sweep of adjoint differentiation over the amplitude pairs of target ``q`` (controls ``cval``).

    Undoes ``minv.shape[0]`` one-target gates (``minv[k]`` the inverse of the k-th to undo, the last gate of the
    circuit first) on both ``psi`` and ``lam`` in one pass, and adds, for each angle ``j`` of gate ``k``
    (``dstart[k] <= j < dstart[k + 1]``), :math:`2\\,\\mathrm{Re}\\langle\\lambda|\\partial M|\\psi\\rangle` to
    ``out[j]``, with ``dms[j]`` the derivative of the gate's 2 x 2 matrix, ``psi`` the state before the gate and
    ``lam`` the adjoint state after it. Amplitudes outside the controls are left alone (the gate is the identity
    there, and so is its derivative's contribution).
    """
    n = psi.shape[0]
    ngates = minv.shape[0]
    bit = np.int64(1) << q
    acc = np.zeros(dms.shape[0], np.complex128)
    # diagonal gates (rz, p, and their derivatives, which are diagonal too) skip the off-diagonal products
    diag = np.zeros(ngates, np.bool_)
    for k in range(ngates):
        diag[k] = minv[k, 0, 1] == 0 and minv[k, 1, 0] == 0
        for j in range(dstart[k], dstart[k + 1]):
            if dms[j, 0, 1] != 0 or dms[j, 1, 0] != 0:
                diag[k] = False
    # a lone X (CNOT, Toffoli...) without angles: exchange the pair in both vectors, no arithmetic
    swap = (
        ngates == 1
        and dms.shape[0] == 0
        and minv[0, 0, 0] == 0
        and minv[0, 1, 1] == 0
        and minv[0, 0, 1] == 1
        and minv[0, 1, 0] == 1
    )
    for hi in range(0, n, 2 * bit):
        for lo in range(bit):
            i0 = hi | lo
            if (i0 & cval) != cval:
                continue
            i1 = i0 | bit
            if swap:
                t = psi[i0]
                psi[i0] = psi[i1]
                psi[i1] = t
                t = lam[i0]
                lam[i0] = lam[i1]
                lam[i1] = t
                continue
            a = psi[i0]
            b = psi[i1]
            la = lam[i0]
            lb = lam[i1]
            for k in range(ngates):
                if diag[k]:
                    a = minv[k, 0, 0] * a
                    b = minv[k, 1, 1] * b
                    for j in range(dstart[k], dstart[k + 1]):
                        acc[j] += np.conj(la) * (dms[j, 0, 0] * a) + np.conj(lb) * (dms[j, 1, 1] * b)
                    la = minv[k, 0, 0] * la
                    lb = minv[k, 1, 1] * lb
                    continue
                a2 = minv[k, 0, 0] * a + minv[k, 0, 1] * b
                b = minv[k, 1, 0] * a + minv[k, 1, 1] * b
                a = a2
                for j in range(dstart[k], dstart[k + 1]):
                    acc[j] += np.conj(la) * (dms[j, 0, 0] * a + dms[j, 0, 1] * b) + np.conj(lb) * (
                        dms[j, 1, 0] * a + dms[j, 1, 1] * b
                    )
                la2 = minv[k, 0, 0] * la + minv[k, 0, 1] * lb
                lb = minv[k, 1, 0] * la + minv[k, 1, 1] * lb
                la = la2
            psi[i0] = a
            psi[i1] = b
            lam[i0] = la
            lam[i1] = lb
    for j in range(dms.shape[0]):
        out[j] += 2.0 * acc[j].real
