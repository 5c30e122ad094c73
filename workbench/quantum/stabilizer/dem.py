"""Detector error models: every independent error mechanism of a noisy circuit and what it flips.

:func:`detector_error_model` follows Stim's ``Circuit.detector_error_model``: each noise channel is split into
independent Pauli mechanisms (a depolarizing channel's disjoint cases become independent ones with adjusted
probabilities), each mechanism's detector and observable flips are found by propagating it through the circuit
(all mechanisms at once, one per lane of the bit-packed frame simulator), mechanisms with identical effects are
merged (``p = p1 (1 - p2) + p2 (1 - p1)``) and those that flip nothing are dropped. With ``decompose=True``
every mechanism that flips more than two detectors is also written as a sum of graphlike parts (at most two
detectors each) taken from the model's own graphlike mechanisms, the form matching decoders need.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..circuit import QuantumError
from . import _gates as G
from . import _kernels as K
from ._program import CORRELATED, MEASURE, MPAD, MPP, NOISE
from .sampler import GATE2_KIND, _circuit, packed_samples

__all__ = ["DetectorErrorModel", "DemError", "detector_error_model"]


class DemError(QuantumError):
    """A circuit whose detector error model cannot be built (non-deterministic detectors, disjoint channels that
    have no independent form, a mechanism that cannot be split into graphlike parts), or malformed model text.

    Examples
    --------
    >>> from workbench.quantum.stabilizer import DemError, detector_error_model
    >>> try:
    ...     detector_error_model("H 0\\nM 0\\nDETECTOR rec[-1]")
    ... except DemError as e:
    ...     print(str(e)[:50])
    detector D0 is not deterministic: without noise it
    """


# ------------------------------------------------------------------------------------------- channel conversion
def depolarize1_independent(p: float) -> float:
    """Probability of each of three independent X, Y, Z mechanisms equivalent to ``DEPOLARIZE1(p)``."""
    return 0.5 - 0.5 * np.sqrt(1 - 4 * p / 3)


def depolarize2_independent(p: float) -> float:
    """Probability of each of fifteen independent two-qubit Pauli mechanisms equivalent to ``DEPOLARIZE2(p)``."""
    return 0.5 - 0.5 * (1 - 16 * p / 15) ** 0.125


def _commutes(a: int, b: int) -> bool:
    """Do two (multi-qubit) Paulis, as per-qubit codes in base 4, commute?"""
    anti = 0
    while a or b:
        ca, cb = a & 3, b & 3
        if ca and cb and ca != cb:
            anti ^= 1
        a >>= 2
        b >>= 2
    return not anti


def _channel_cases(probs, approximate: bool):
    """(independent probabilities, whether they are the disjoint ones taken as independent)."""
    try:
        return pauli_channel_independent(probs, False), False
    except DemError:
        if not approximate:
            raise
        return np.asarray(probs, dtype=float).copy(), True


def pauli_channel_independent(probs, approximate: bool = False) -> np.ndarray:
    """Independent-mechanism probabilities equivalent to a disjoint Pauli channel (3 or 15 probabilities).

    The channel multiplies each Pauli's expectation by an eigenvalue ``lambda_P``; independent mechanisms ``Q``
    multiply ``(1 - 2 q_Q)`` over the Q that anticommute with P. Taking logarithms gives a linear system; when
    it has no solution with every ``q`` in [0, 1/2] the channel has no independent form (``approximate=True``
    then takes the disjoint probabilities as independent ones, as Stim's ``approximate_disjoint_errors``).
    """
    probs = np.asarray(probs, dtype=float)
    n = {3: 1, 15: 2}[len(probs)]
    if np.count_nonzero(probs) <= 1:
        return probs.copy()
    codes = [0] + [sum(_CODE[c] << (2 * k) for k, c in enumerate(pair[:n])) for pair in _labels(n)]
    full = np.r_[1 - probs.sum(), probs]
    m = len(codes)
    lam = np.array([sum(full[j] * (1 if _commutes(codes[i], codes[j]) else -1) for j in range(m)) for i in range(1, m)])
    if np.all(lam > 0):
        A = np.array([[0.0 if _commutes(codes[i], codes[j]) else 1.0 for j in range(1, m)] for i in range(1, m)])
        y = np.linalg.solve(A, np.log(lam))
        q = 0.5 - 0.5 * np.exp(y)
        if np.all(q >= -1e-15) and np.all(q <= 0.5):
            return np.clip(q, 0.0, 0.5)
    if approximate:
        return probs.copy()
    raise DemError(
        f"the Pauli channel {list(probs)} has no equivalent set of independent mechanisms; pass "
        "approximate_disjoint_errors=True to take its probabilities as independent ones"
    )


_CODE = {"I": 0, "X": 1, "Y": 3, "Z": 2}


def _labels(n):
    if n == 1:
        return [("X",), ("Y",), ("Z",)]
    return G.PAIR_PAULIS


# ------------------------------------------------------------------------------------------- the model
@dataclass
class DetectorErrorModel:
    """Independent error mechanisms with the detectors and observables each flips.

    Made by :func:`detector_error_model` or read from Stim's text by :meth:`from_stim`; ``str()`` writes Stim's
    text back and ``len()`` is the number of mechanisms.

    Parameters
    ----------
    probabilities : numpy.ndarray
        Probability of each mechanism.
    detectors : list of tuple of int
        The detectors each mechanism flips (sorted).
    observables : list of tuple of int
        The logical observables each mechanism flips (sorted).
    num_detectors : int
        Detectors of the circuit (some may be flipped by no mechanism).
    num_observables : int
        Logical observables of the circuit.
    detector_coords : dict, optional
        Detector index -> tuple of float coordinates (default: an empty dict).
    parts : list of list of tuple or None, default None
        With ``decompose=True``: each mechanism as graphlike parts ``(detectors, observables)``, each with at
        most two detectors.

    Examples
    --------
    >>> from workbench.quantum.stabilizer import DetectorErrorModel
    >>> dem = DetectorErrorModel.from_stim("error(0.1) D0 D1\\nerror(0.2) D1 L0")
    >>> len(dem), dem.num_detectors, dem.num_observables
    (2, 2, 1)
    >>> dem.as_dict()
    {((0, 1), ()): 0.1, ((1,), (0,)): 0.2}
    """

    probabilities: np.ndarray
    detectors: list
    observables: list
    num_detectors: int
    num_observables: int
    detector_coords: dict = field(default_factory=dict)
    parts: list | None = None

    def __len__(self) -> int:
        return len(self.probabilities)

    def as_dict(self) -> dict:
        """``{(detectors, observables): probability}``.

        Returns
        -------
        dict
            ``(detectors, observables)`` (tuples of int) -> the mechanism's probability (float).
        """
        return {(d, o): float(p) for d, o, p in zip(self.detectors, self.observables, self.probabilities)}

    def frame(self) -> pd.DataFrame:
        """One row per mechanism: probability, detectors, observables, number of detectors, graphlike.

        Returns
        -------
        pandas.DataFrame
            Columns ``probability``, ``detectors`` and ``observables`` (lists of int), ``n_detectors`` and
            ``graphlike`` (at most two detectors).
        """
        return pd.DataFrame(
            {
                "probability": self.probabilities,
                "detectors": [list(d) for d in self.detectors],
                "observables": [list(o) for o in self.observables],
                "n_detectors": [len(d) for d in self.detectors],
                "graphlike": [len(d) <= 2 for d in self.detectors],
            }
        )

    def __str__(self) -> str:
        lines = []
        for k, (p, d, o) in enumerate(zip(self.probabilities, self.detectors, self.observables)):
            if self.parts is not None and len(self.parts[k]) > 1:
                body = " ^ ".join(" ".join([f"D{x}" for x in pd_] + [f"L{x}" for x in po]) for pd_, po in self.parts[k])
            else:
                body = " ".join([f"D{x}" for x in d] + [f"L{x}" for x in o])
            lines.append(f"error({float(p)!r}) {body}")
        for dt in range(self.num_detectors):
            coords = self.detector_coords.get(dt)
            if coords:
                lines.append(f"detector({', '.join(_num(c) for c in coords)}) D{dt}")
            else:
                lines.append(f"detector D{dt}")
        for ob in range(self.num_observables):
            lines.append(f"logical_observable L{ob}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return (
            f"DetectorErrorModel({len(self)} mechanisms, {self.num_detectors} detectors, "
            f"{self.num_observables} observables)"
        )

    @classmethod
    def from_stim(cls, text: str) -> DetectorErrorModel:
        """Read Stim's detector-error-model text (``repeat`` blocks and ``shift_detectors`` are unrolled;
        ``^`` separators become :attr:`parts`).

        Mechanisms with the same detectors and observables are merged as independent ones.

        Parameters
        ----------
        text : str
            Detector-error-model text (``error``, ``detector``, ``logical_observable``, ``shift_detectors``,
            ``repeat`` blocks; ``# comments``).

        Returns
        -------
        DetectorErrorModel
            The model, with :attr:`parts` set from the ``^`` separators.

        Raises
        ------
        DemError
            If a ``repeat`` block is never closed, a line cannot be read, or an instruction is unknown.
        """
        lines = [ln.split("#", 1)[0].strip() for ln in str(text).splitlines()]
        errors: list = []
        coords: dict = {}
        n_det = n_obs = 0

        def run(block, offset, shift):
            nonlocal n_det, n_obs
            i = 0
            while i < len(block):
                ln = block[i]
                if not ln:
                    i += 1
                    continue
                m = re.match(r"^repeat\s+(\d+)\s*\{$", ln)
                if m:
                    depth, j = 1, i + 1
                    while depth:
                        if j >= len(block):
                            raise DemError("a repeat block is never closed")
                        depth += block[j].endswith("{") - (block[j] == "}")
                        j += 1
                    for _ in range(int(m.group(1))):
                        offset, shift = run(block[i + 1 : j - 1], offset, shift)
                    i = j
                    continue
                m = re.match(r"^([a-z_]+)(\[[^\]]*\])?\s*(\(([^)]*)\))?\s*(.*)$", ln)
                if not m:
                    raise DemError(f"cannot read {ln!r}")
                kind, _, _, argtext, rest = m.groups()
                args = [float(a) for a in argtext.split(",")] if argtext else []
                toks = rest.split()
                if kind == "error":
                    parts, cur_d, cur_o = [], [], []
                    for t in toks:
                        if t == "^":
                            parts.append((tuple(cur_d), tuple(cur_o)))
                            cur_d, cur_o = [], []
                        elif t[0] == "D":
                            cur_d.append(int(t[1:]) + offset)
                            n_det = max(n_det, int(t[1:]) + offset + 1)
                        elif t[0] == "L":
                            cur_o.append(int(t[1:]))
                            n_obs = max(n_obs, int(t[1:]) + 1)
                    parts.append((tuple(cur_d), tuple(cur_o)))
                    errors.append((args[0], parts))
                elif kind == "detector":
                    for t in toks:
                        d = int(t[1:]) + offset
                        n_det = max(n_det, d + 1)
                        coords[d] = tuple(a + (shift[k] if k < len(shift) else 0.0) for k, a in enumerate(args))
                elif kind == "logical_observable":
                    for t in toks:
                        n_obs = max(n_obs, int(t[1:]) + 1)
                elif kind == "shift_detectors":
                    shift = [a + (shift[k] if k < len(shift) else 0.0) for k, a in enumerate(args)] + shift[len(args) :]
                    offset += int(toks[0]) if toks else 0
                else:
                    raise DemError(f"unknown detector-error-model instruction {kind!r}")
                i += 1
            return offset, shift

        run(lines, 0, [])
        merged: dict = {}
        parts_of: dict = {}
        for p, parts in errors:
            d = tuple(sorted(_xor(x for x, _ in parts)))
            o = tuple(sorted(_xor(y for _, y in parts)))
            key = (d, o)
            q = merged.get(key, 0.0)
            merged[key] = q * (1 - p) + p * (1 - q)
            parts_of.setdefault(key, parts)
        keys = list(merged)
        return cls(
            np.array([merged[k] for k in keys]),
            [k[0] for k in keys],
            [k[1] for k in keys],
            n_det,
            n_obs,
            coords,
            [parts_of[k] for k in keys],
        )


def _num(c: float) -> str:
    return str(int(c)) if float(c).is_integer() else repr(float(c))


def _xor(sets):
    out: set = set()
    for s in sets:
        out ^= set(s)
    return out


# ------------------------------------------------------------------------------------------- extraction
def _components(prog, approximate: bool):
    """Every independent mechanism of the circuit: (op index, [(qubit or measurement, code or -1)], probability)."""
    comps = []
    chain_none = 1.0
    ops, t, args = prog.ops, prog.targets, prog.args
    for i, (kind, a, b, t0, t1, a0, a1) in enumerate(ops):
        if kind == NOISE:
            p = args[a0:a1]
            qs = [int(q) for q in t[t0:t1]]
            if a <= 2:
                for q in qs:
                    if p[0] > 0:
                        comps.append((i, [(q, [1, 3, 2][a])], float(p[0])))
            elif a == 3:
                q1 = depolarize1_independent(p[0])
                for q in qs:
                    if p[0] > 0:
                        for code in (1, 3, 2):
                            comps.append((i, [(q, code)], q1))
            elif a == 5:
                qs_, added = _channel_cases(p, approximate)
                for q in qs:
                    group = len(comps) if added else -1  # disjoint cases of one application: summed first
                    for code, pr in zip((1, 3, 2), qs_):
                        if pr > 0:
                            comps.append((i, [(q, code)], float(pr), group))
            else:
                qs_, added = (
                    (np.full(15, depolarize2_independent(p[0])), False) if a == 4 else _channel_cases(p, approximate)
                )
                for k in range(0, len(qs), 2):
                    group = len(comps) if added else -1
                    for idx, pr in enumerate(qs_):
                        if pr <= 0:
                            continue
                        pa, pb = G.PAIR_PAULIS[idx]
                        parts = [(qs[k], _CODE[pa]), (qs[k + 1], _CODE[pb])]
                        comps.append((i, [x for x in parts if x[1]], float(pr), group))
        elif kind == CORRELATED:
            if b == 1 and not approximate:
                raise DemError(
                    f"{prog.source[i]}: ELSE_CORRELATED_ERROR chains have no independent form; pass "
                    "approximate_disjoint_errors=True"
                )
            p = float(args[a0])
            if b == 0:
                chain_none = 1.0  # probability that no mechanism of this E / ELSE chain has happened yet
            p_eff = p * chain_none  # an ELSE happens only when its chain has not (Stim's approximation)
            chain_none *= 1 - p
            if p_eff > 0:
                comps.append((i, [(int(t[k]), int(t[k + 1])) for k in range(t0, t1, 2)], p_eff))
        elif kind in (MEASURE, MPP, MPAD) and a1 > a0 and args[a0] > 0:
            m0 = int(prog.meas_start[i])
            n = (t1 - t0) if kind != MPP else _mpp_count(t, t0, t1)
            for k in range(n):
                comps.append((i, [(m0 + k, -1)], float(args[a0])))
    return comps


def _mpp_count(t, t0, t1):
    k, n = t0, 0
    while k < t1:
        k += 1 + 2 * int(t[k])
        n += 1
    return n


def _check_deterministic(prog):
    """Detectors and observables must not depend on random measurement outcomes (Stim's rule)."""
    noiseless = prog.__class__(**{**prog.__dict__})
    keep = prog.ops[:, 0] != NOISE
    keep &= prog.ops[:, 0] != CORRELATED
    noiseless.ops = prog.ops[keep]
    noiseless.meas_start = prog.meas_start[keep]
    noiseless.ops = noiseless.ops.copy()
    # measurement flip probabilities off
    ops = noiseless.ops
    is_m = np.isin(ops[:, 0], [MEASURE, MPP, MPAD])
    ops[is_m, 6] = ops[is_m, 5]
    det, obs, _ = packed_samples(noiseless, 256, 12345, randomize=True)
    bad = np.flatnonzero(det.any(axis=1))
    if len(bad):
        raise DemError(
            f"detector D{bad[0]} is not deterministic: without noise it still fires at random "
            f"({len(bad)} such detector{'s' * (len(bad) > 1)}); a detector must compare measurements whose "
            "parity the circuit fixes"
        )
    bad = np.flatnonzero(obs.any(axis=1))
    if len(bad):
        raise DemError(f"observable L{bad[0]} is not deterministic: without noise it still flips at random")


def detector_error_model(
    circuit, *, decompose: bool = False, approximate_disjoint_errors: bool = False, check: bool = True
) -> DetectorErrorModel:
    """The detector error model of a noisy circuit, as Stim's ``Circuit.detector_error_model``.

    Parameters
    ----------
    circuit : StabilizerCircuit or str
        A noisy circuit with ``DETECTOR`` and ``OBSERVABLE_INCLUDE`` annotations (Stim text is read).
    decompose : bool
        Also split mechanisms with more than two detectors into graphlike parts (:attr:`~DetectorErrorModel.parts`).
    approximate_disjoint_errors : bool
        Take disjoint channel probabilities as independent where no exact independent form exists.
    check : bool
        Refuse circuits whose detectors or observables are not deterministic.

    Returns
    -------
    DetectorErrorModel
        The merged mechanisms, sorted by detectors then observables (those that flip nothing dropped), with the
        circuit's detector coordinates; :attr:`~DetectorErrorModel.parts` set when ``decompose`` is true.

    Raises
    ------
    DemError
        If ``check`` is true and a detector or observable is not deterministic, a disjoint channel has no
        independent form (without ``approximate_disjoint_errors``), or with ``decompose`` a mechanism cannot be
        split into graphlike parts.

    Examples
    --------
    >>> from workbench.quantum.stabilizer import detector_error_model
    >>> dem = detector_error_model('''
    ... R 0 1 2
    ... X_ERROR(0.1) 0 1 2
    ... CX 0 3 1 3
    ... M 0 1 2 3
    ... DETECTOR rec[-1]
    ... OBSERVABLE_INCLUDE(0) rec[-4]
    ... ''')
    >>> print(dem)
    error(0.1) D0
    error(0.1) D0 L0
    detector D0
    logical_observable L0
    """
    c = _circuit(circuit)
    prog = c.program()
    if check:
        _check_deterministic(prog)
    comps = _components(prog, approximate_disjoint_errors)
    n_lanes = len(comps)
    n_ops = len(prog.ops)
    comp_op = np.array([c_[0] for c_ in comps], dtype=np.int64)
    order = np.argsort(comp_op, kind="stable")
    starts = np.searchsorted(comp_op[order], np.arange(n_ops), side="left")
    ends = np.searchsorted(comp_op[order], np.arange(n_ops), side="right")
    flat, t0s, t1s = [], [], []
    for lane in order:
        t0s.append(len(flat))
        for q, code in comps[lane][1]:
            flat += [q, code]
        t1s.append(len(flat))
    det_w, obs_w = K.frame_inject(
        prog.ops,
        prog.targets,
        prog.args,
        prog.meas_start,
        G.TABLE_ARRAY,
        GATE2_KIND,
        max(prog.n_qubits, 1),
        prog.n_measurements,
        prog.n_detectors,
        prog.n_observables,
        n_lanes,
        starts.astype(np.int64),
        ends.astype(np.int64),
        order.astype(np.int64),
        np.array(t0s, dtype=np.int64),
        np.array(t1s, dtype=np.int64),
        np.array(flat, dtype=np.int64),
    )
    probs = np.array([c_[2] for c_ in comps], dtype=float)
    groups = np.array([c_[3] if len(c_) > 3 else -1 for c_ in comps], dtype=np.int64)
    dem = _merge(det_w, obs_w, probs, n_lanes, prog, groups)
    if decompose:
        dem.parts = decompose_graphlike(dem)
    return dem


def _lane_bits(words: np.ndarray, n_lanes: int) -> np.ndarray:
    """``[rows, words]`` -> ``uint8 [n_lanes, ceil(rows / 8)]`` (each lane's row bits packed)."""
    rows = words.shape[0]
    if rows == 0:
        return np.zeros((n_lanes, 0), dtype=np.uint8)
    bits = np.unpackbits(np.ascontiguousarray(words).view(np.uint8).reshape(rows, -1), axis=1, bitorder="little")[
        :, :n_lanes
    ]
    return np.packbits(bits.T, axis=1, bitorder="little")


def _merge(det_w, obs_w, probs, n_lanes, prog, groups=None) -> DetectorErrorModel:
    dbits = _lane_bits(det_w, n_lanes)
    obits = _lane_bits(obs_w, n_lanes)
    key = np.concatenate([dbits, obits], axis=1)
    if n_lanes == 0:
        return DetectorErrorModel(
            np.zeros(0), [], [], prog.n_detectors, prog.n_observables, dict(prog.detector_coords), None
        )
    uniq, inverse = np.unique(key, axis=0, return_inverse=True)
    inverse = inverse.ravel()
    # disjoint cases of one approximated channel application with the same effect add up first (as Stim);
    # then independent mechanisms with the same effect combine as p <- p (1 - q) + q (1 - p), in lane order
    probs = np.asarray(probs, dtype=float).copy()
    if groups is not None and np.any(groups >= 0):
        first: dict = {}
        for lane in np.flatnonzero(groups >= 0):
            key_ = (int(groups[lane]), int(inverse[lane]))
            if key_ in first:
                probs[first[key_]] += probs[lane]
                probs[lane] = 0.0
            else:
                first[key_] = lane
    combined = np.zeros(len(uniq))
    for lane in np.argsort(inverse, kind="stable"):
        u, q = inverse[lane], probs[lane]
        p = combined[u]
        combined[u] = p * (1 - q) + q * (1 - p)
    nd = dbits.shape[1]
    detectors, observables, p_out = [], [], []
    for u in range(len(uniq)):
        d = np.flatnonzero(np.unpackbits(uniq[u, :nd], bitorder="little")[: prog.n_detectors])
        o = np.flatnonzero(np.unpackbits(uniq[u, nd:], bitorder="little")[: prog.n_observables])
        if len(d) == 0 and len(o) == 0:
            continue
        detectors.append(tuple(int(x) for x in d))
        observables.append(tuple(int(x) for x in o))
        p_out.append(combined[u])
    order = sorted(range(len(p_out)), key=lambda k: (detectors[k], observables[k]))
    return DetectorErrorModel(
        np.array([p_out[k] for k in order]),
        [detectors[k] for k in order],
        [observables[k] for k in order],
        prog.n_detectors,
        prog.n_observables,
        dict(prog.detector_coords),
        None,
    )


# ------------------------------------------------------------------------------------------- decomposition
def decompose_graphlike(dem: DetectorErrorModel, *, ignore_failures: bool = False) -> list:
    """Each mechanism as graphlike parts (<= 2 detectors each) whose effects add up to it.

    Parts are drawn from the model's own graphlike mechanisms (their detector pairs and boundary singles, with
    the observables they carry), searched exhaustively over pairings for mechanisms of up to 8 detectors.
    """
    known: dict = {}
    for d, o in zip(dem.detectors, dem.observables):
        if len(d) <= 2 and d:
            known.setdefault(d, set()).add(o)
    parts = []
    for d, o in zip(dem.detectors, dem.observables):
        if len(d) <= 2:
            parts.append([(d, o)])
            continue
        found = _split(list(d), frozenset(o), known) if len(d) <= 8 else None
        if found is None:
            if ignore_failures:
                parts.append([(d, o)])
                continue
            raise DemError(
                f"cannot split the mechanism {' '.join(f'D{x}' for x in d)} "
                f"{' '.join(f'L{x}' for x in o)} into graphlike parts found in the model"
            )
        parts.append(found)
    return parts


def _split(dets: list, obs: frozenset, known: dict):
    if not dets:
        return [] if not obs else None
    first, rest = dets[0], dets[1:]
    options = [((first,), rest)] + [((first, other), [x for x in rest if x != other]) for other in rest]
    for edge, remaining in options:
        for eo in known.get(edge, ()):
            sub = _split(remaining, obs ^ frozenset(eo), known)
            if sub is not None:
                return [(edge, tuple(eo))] + sub
    return None
