"""Memory experiments of the repetition and surface codes, with Stim's four noise knobs.

Each generator builds one round of syndrome extraction (reset, entangling layers, measure-and-reset of the
measurement qubits), repeats it ``rounds`` times, and closes with a transversal measurement of the data. Detectors
compare each stabilizer measurement with the previous one (the first round only where the initial state fixes
it, the last round against the data measurement); the observable is the logical operator read from the data.
The noise knobs are those of Stim's ``Circuit.generated``:

``after_clifford_depolarization``
    ``DEPOLARIZE1``/``DEPOLARIZE2`` after every single- and two-qubit Clifford.
``before_round_data_depolarization``
    ``DEPOLARIZE1`` on every data qubit at the start of each round.
``before_measure_flip_probability``
    A Pauli flip (``X_ERROR`` or ``Z_ERROR`` by basis) just before every measurement.
``after_reset_flip_probability``
    A Pauli flip just after every reset.

The entangling orders are the hook-safe ones (rotated code: the two measurement types visit their four data
neighbours in mirrored N and Z orders), so a memory circuit keeps its full circuit-level distance; the tests check
that the shortest logical error has ``distance`` mechanisms and that the detector error model has the same
mechanisms and probabilities as Stim's generator gives.
"""

from __future__ import annotations

from ...errors import Int, Real, check, check_memory
from ..circuit import QuantumError
from .circuit import StabilizerCircuit, target_rec

__all__ = ["repetition_memory", "surface_code_memory", "generated", "TASKS"]

TASKS = (
    "repetition_code:memory",
    "surface_code:rotated_memory_x",
    "surface_code:rotated_memory_z",
    "surface_code:unrotated_memory_x",
    "surface_code:unrotated_memory_z",
)


def _check(distance, rounds, noise):
    """The sizes and noise knobs, checked with the package's declarative constraints; returns the sizes."""
    distance = check("distance", distance, Int(2, None), QuantumError)
    rounds = check("rounds", rounds, Int(1, None), QuantumError)
    # the generated circuit holds about 200 bytes per qubit and round in Python before it is flattened
    check_memory(
        f"a distance-{distance} memory experiment of {rounds} rounds",
        400.0 * distance**2 * min(rounds, 2),
        error=QuantumError,
    )
    for name, p in noise.items():
        # the two depolarizing knobs stay in DEPOLARIZE1's range [0, 3/4]
        hi = 0.75 if name.endswith("depolarization") else 1.0
        noise[name] = float(check(name, p, Real(0, hi), QuantumError))
    return int(distance), int(rounds)


class _Builder:
    """Appends instructions, skipping zero-probability noise, tracking the measurement count."""

    def __init__(self, noise):
        self.c = StabilizerCircuit()
        self.noise = noise
        self.n_meas = 0

    def add(self, name, targets=(), args=()):
        if targets or name in ("TICK", "SHIFT_COORDS"):
            self.c.append(name, list(targets), list(args))
            if name in ("M", "MR", "MX", "MRX"):
                self.n_meas += len(targets)
        return self

    def noisy(self, name, targets, p):
        if p > 0 and targets:
            self.c.append(name, list(targets), [p])


def _memory(data, checks, layers, x_type, observable, coords, basis, rounds, noise, round_detector_order=None):
    """Shared memory-experiment assembly.

    data: data qubits; checks: measurement qubits (in measurement order); layers: list of CX pair lists (control,
    target); x_type: set of X-type measurement qubits; observable: data qubits of the logical operator;
    coords: qubit -> (x, y); basis: "Z" or "X" (which stabilizers the initial state fixes).
    """
    p1 = noise["after_clifford_depolarization"]
    pd = noise["before_round_data_depolarization"]
    pm = noise["before_measure_flip_probability"]
    pr = noise["after_reset_flip_probability"]
    xs = [q for q in checks if q in x_type]
    flip_data = "X_ERROR" if basis == "Z" else "Z_ERROR"
    fixed = [q for q in checks if (q in x_type) == (basis == "X")]
    nc = len(checks)
    pos = {q: k for k, q in enumerate(checks)}

    head = _Builder(noise)
    for q in sorted(coords):
        head.c.append("QUBIT_COORDS", [q], list(coords[q]))
    head.add("R" if basis == "Z" else "RX", data)
    head.noisy(flip_data, data, pr)
    head.add("R", checks)
    head.noisy("X_ERROR", checks, pr)
    head.add("TICK")

    def round_body(b: _Builder):
        b.noisy("DEPOLARIZE1", data, pd)
        if xs:
            b.add("H", xs)
            b.noisy("DEPOLARIZE1", xs, p1)
        b.add("TICK")
        for layer in layers:
            flat = [q for pair in layer for q in pair]
            b.add("CX", flat)
            b.noisy("DEPOLARIZE2", flat, p1)
            b.add("TICK")
        if xs:
            b.add("H", xs)
            b.noisy("DEPOLARIZE1", xs, p1)
            b.add("TICK")
        b.noisy("X_ERROR", checks, pm)
        b.add("MR", checks)
        b.noisy("X_ERROR", checks, pr)

    round_body(head)
    for q in fixed:
        x, y = coords[q]
        head.c.append("DETECTOR", [target_rec(nc - pos[q])], [x, y, 0])
    c = head.c
    if rounds > 1:
        body = _Builder(noise)
        body.add("TICK")
        round_body(body)
        body.c.append("SHIFT_COORDS", [], [0, 0, 1])
        for q in checks:
            x, y = coords[q]
            body.c.append("DETECTOR", [target_rec(nc - pos[q]), target_rec(2 * nc - pos[q])], [x, y, 0])
        c.append_repeat(rounds - 1, body.c)
    # final data measurement
    if pm > 0:
        c.append(flip_data, data, [pm])
    c.append("M" if basis == "Z" else "MX", data)
    nd = len(data)
    dpos = {q: k for k, q in enumerate(data)}
    for q in fixed:
        x, y = coords[q]
        recs = [target_rec(nd - dpos[dq]) for dq in _support(q, layers)] + [target_rec(nd + nc - pos[q])]
        c.append("DETECTOR", recs, [x, y, 1])
    c.append("OBSERVABLE_INCLUDE", [target_rec(nd - dpos[q]) for q in observable], [0])
    return c


def _support(check, layers):
    out = []
    for layer in layers:
        for a, b in layer:
            if a == check:
                out.append(b)
            elif b == check:
                out.append(a)
    return sorted(out)


def _noise_kw(
    after_clifford_depolarization,
    before_round_data_depolarization,
    before_measure_flip_probability,
    after_reset_flip_probability,
):
    return {
        "after_clifford_depolarization": after_clifford_depolarization,
        "before_round_data_depolarization": before_round_data_depolarization,
        "before_measure_flip_probability": before_measure_flip_probability,
        "after_reset_flip_probability": after_reset_flip_probability,
    }


def repetition_memory(
    distance: int = 3,
    rounds: int = 3,
    *,
    after_clifford_depolarization: float = 0.0,
    before_round_data_depolarization: float = 0.0,
    before_measure_flip_probability: float = 0.0,
    after_reset_flip_probability: float = 0.0,
) -> StabilizerCircuit:
    """A bit-flip repetition-code memory: ``distance`` data qubits on a line, a ZZ check between each pair.

    Qubits alternate data (even) and measurement (odd) along the line, as Stim's ``repetition_code:memory``.

    Parameters
    ----------
    distance : int, default 3
        Data qubits, >= 2.
    rounds : int, default 3
        Rounds of syndrome extraction, >= 1.
    after_clifford_depolarization : float, default 0.0
        ``DEPOLARIZE1``/``DEPOLARIZE2`` after every Clifford gate, at most 3/4.
    before_round_data_depolarization : float, default 0.0
        ``DEPOLARIZE1`` on every data qubit at the start of each round, at most 3/4.
    before_measure_flip_probability : float, default 0.0
        A flip just before every measurement.
    after_reset_flip_probability : float, default 0.0
        A flip just after every reset.

    Returns
    -------
    StabilizerCircuit
        The memory experiment, with qubit coordinates, detectors (with coordinates) and observable 0; rounds after
        the first in one ``REPEAT`` block.

    Raises
    ------
    QuantumError
        If ``distance`` is not a whole number >= 2, ``rounds`` not one >= 1, or a noise knob is out of range.

    Examples
    --------
    >>> from workbench.quantum.stabilizer import repetition_memory
    >>> c = repetition_memory(distance=3, rounds=2, before_measure_flip_probability=0.01)
    >>> c.num_qubits, c.num_detectors, c.num_observables
    (5, 6, 1)
    """
    noise = _noise_kw(
        after_clifford_depolarization,
        before_round_data_depolarization,
        before_measure_flip_probability,
        after_reset_flip_probability,
    )
    distance, rounds = _check(distance, rounds, noise)
    data = list(range(0, 2 * distance - 1, 2))
    checks = list(range(1, 2 * distance - 1, 2))
    layers = [[(q - 1, q) for q in checks], [(q + 1, q) for q in checks]]
    coords = {q: (q, 0) for q in range(2 * distance - 1)}
    return _memory(data, checks, layers, set(), [data[-1]], coords, "Z", rounds, noise)


def surface_code_memory(
    distance: int = 3,
    rounds: int = 3,
    *,
    basis: str = "Z",
    rotated: bool = True,
    after_clifford_depolarization: float = 0.0,
    before_round_data_depolarization: float = 0.0,
    before_measure_flip_probability: float = 0.0,
    after_reset_flip_probability: float = 0.0,
) -> StabilizerCircuit:
    """A surface-code memory experiment (rotated: ``d^2`` data qubits; unrotated: ``d^2 + (d-1)^2``).

    Parameters
    ----------
    distance : int, default 3
        Code distance, >= 2.
    rounds : int, default 3
        Rounds of syndrome extraction, >= 1.
    basis : {"Z", "X"}
        The logical state kept: ``|0_L>`` (Z stabilizers fixed from the start, Z logical read out) or ``|+_L>``.
    rotated : bool, default True
        The rotated layout (``d^2`` data qubits) or the unrotated one (``d^2 + (d-1)^2``).
    after_clifford_depolarization : float, default 0.0
        ``DEPOLARIZE1``/``DEPOLARIZE2`` after every Clifford gate, at most 3/4.
    before_round_data_depolarization : float, default 0.0
        ``DEPOLARIZE1`` on every data qubit at the start of each round, at most 3/4.
    before_measure_flip_probability : float, default 0.0
        A flip just before every measurement.
    after_reset_flip_probability : float, default 0.0
        A flip just after every reset.

    Returns
    -------
    StabilizerCircuit
        The memory experiment, with qubit coordinates, detectors (with coordinates) and observable 0; rounds after
        the first in one ``REPEAT`` block.

    Raises
    ------
    QuantumError
        If ``distance`` is not a whole number >= 2, ``rounds`` not one >= 1, a noise knob is out of range, or
        ``basis`` is not X or Z.

    Examples
    --------
    >>> from workbench.quantum.stabilizer import surface_code_memory
    >>> c = surface_code_memory(distance=3, rounds=3, after_clifford_depolarization=0.001)
    >>> c.num_qubits, c.num_detectors, c.num_observables
    (17, 24, 1)
    """
    noise = _noise_kw(
        after_clifford_depolarization,
        before_round_data_depolarization,
        before_measure_flip_probability,
        after_reset_flip_probability,
    )
    distance, rounds = _check(distance, rounds, noise)
    basis = str(basis).upper()
    if basis not in ("X", "Z"):
        raise QuantumError(f"basis must be 'X' or 'Z', got {basis!r}")
    d = distance
    if rotated:
        data_xy = [(2 * i + 1, 2 * j + 1) for j in range(d) for i in range(d)]
        checks_xy, x_type_xy = [], set()
        for j in range(d + 1):
            for i in range(d + 1):
                x, y = 2 * i, 2 * j
                is_x = (i + j) % 2 == 1
                inside = 0 < x < 2 * d and 0 < y < 2 * d
                top_bottom = (y == 0 or y == 2 * d) and 0 < x < 2 * d and is_x
                left_right = (x == 0 or x == 2 * d) and 0 < y < 2 * d and not is_x
                if inside or top_bottom or left_right:
                    checks_xy.append((x, y))
                    if is_x:
                        x_type_xy.add((x, y))
        x_order = [(1, 1), (-1, 1), (1, -1), (-1, -1)]
        z_order = [(1, 1), (1, -1), (-1, 1), (-1, -1)]
        obs_xy = [(x, 1) for x in range(1, 2 * d, 2)] if basis == "Z" else [(1, y) for y in range(1, 2 * d, 2)]
    else:
        n = 2 * d - 1
        data_xy = [(x, y) for y in range(n) for x in range(n) if (x + y) % 2 == 0]
        checks_xy = [(x, y) for y in range(n) for x in range(n) if (x + y) % 2 == 1]
        x_type_xy = {(x, y) for (x, y) in checks_xy if x % 2 == 1}
        x_order = [(1, 0), (0, 1), (0, -1), (-1, 0)]
        z_order = x_order
        obs_xy = [(x, 0) for x in range(0, n, 2)] if basis == "Z" else [(0, y) for y in range(0, n, 2)]
    all_xy = sorted(data_xy + checks_xy, key=lambda p: (p[1], p[0]))
    index = {p: k for k, p in enumerate(all_xy)}
    data = [index[p] for p in sorted(data_xy, key=lambda p: (p[1], p[0]))]
    checks = [index[p] for p in sorted(checks_xy, key=lambda p: (p[1], p[0]))]
    data_set = set(data_xy)
    layers = []
    for step in range(4):
        layer = []
        for p in sorted(checks_xy, key=lambda p: (p[1], p[0])):
            is_x = p in x_type_xy
            dx, dy = (x_order if is_x else z_order)[step]
            nb = (p[0] + dx, p[1] + dy)
            if nb in data_set:
                layer.append((index[p], index[nb]) if is_x else (index[nb], index[p]))
        layers.append(layer)
    coords = {index[p]: p for p in all_xy}
    return _memory(
        data, checks, layers, {index[p] for p in x_type_xy}, [index[p] for p in obs_xy], coords, basis, rounds, noise
    )


def generated(
    task: str,
    *,
    distance: int,
    rounds: int,
    after_clifford_depolarization: float = 0.0,
    before_round_data_depolarization: float = 0.0,
    before_measure_flip_probability: float = 0.0,
    after_reset_flip_probability: float = 0.0,
) -> StabilizerCircuit:
    """Stim's ``Circuit.generated`` task names (``"surface_code:rotated_memory_z"``, ...) on these generators.

    Parameters
    ----------
    task : str
        One of :data:`TASKS`: ``"repetition_code:memory"`` or ``"surface_code:{rotated,unrotated}_memory_{x,z}"``.
    distance : int
        Code distance, >= 2.
    rounds : int
        Rounds of syndrome extraction, >= 1.
    after_clifford_depolarization : float, default 0.0
        ``DEPOLARIZE1``/``DEPOLARIZE2`` after every Clifford gate, at most 3/4.
    before_round_data_depolarization : float, default 0.0
        ``DEPOLARIZE1`` on every data qubit at the start of each round, at most 3/4.
    before_measure_flip_probability : float, default 0.0
        A flip just before every measurement.
    after_reset_flip_probability : float, default 0.0
        A flip just after every reset.

    Returns
    -------
    StabilizerCircuit
        The memory experiment, with qubit coordinates, detectors (with coordinates) and observable 0; rounds after
        the first in one ``REPEAT`` block.

    Raises
    ------
    QuantumError
        If ``task`` is unknown, or the generator refuses the distance, rounds or a noise knob.

    Examples
    --------
    >>> from workbench.quantum.stabilizer import generated
    >>> c = generated("surface_code:rotated_memory_x", distance=3, rounds=2)
    >>> c.num_qubits, c.num_detectors, c.num_observables
    (17, 16, 1)
    """
    kw = dict(
        after_clifford_depolarization=after_clifford_depolarization,
        before_round_data_depolarization=before_round_data_depolarization,
        before_measure_flip_probability=before_measure_flip_probability,
        after_reset_flip_probability=after_reset_flip_probability,
    )
    if task == "repetition_code:memory":
        return repetition_memory(distance, rounds, **kw)
    if task in TASKS:
        rotated = ":rotated" in task
        return surface_code_memory(distance, rounds, basis=task[-1].upper(), rotated=rotated, **kw)
    raise QuantumError(f"unknown task {task!r}; known: {', '.join(TASKS)}")
