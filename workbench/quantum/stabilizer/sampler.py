"""Sampling detection events, observable flips and measurements with the bit-packed Pauli-frame simulator."""

from __future__ import annotations

import numpy as np

from ...errors import check_memory
from ..circuit import QuantumError
from . import _gates as G
from . import _kernels as K
from .circuit import StabilizerCircuit

__all__ = ["sample_detectors", "sample_measurements", "GATE2_KIND", "BATCH_WORDS"]

GATE2_KIND = np.zeros(len(G.TABLES), dtype=np.int64)
GATE2_KIND[G.GATE_INDEX["CX"]] = 1
GATE2_KIND[G.GATE_INDEX["CZ"]] = 2
GATE2_KIND[G.GATE_INDEX["SWAP"]] = 3
#: words of 64 shots simulated together (the frame of a 100-qubit circuit then fits in the L2 cache)
BATCH_WORDS = 64


def _circuit(circuit) -> StabilizerCircuit:
    if isinstance(circuit, StabilizerCircuit):
        return circuit
    if isinstance(circuit, str):
        return StabilizerCircuit.from_stim(circuit)
    if hasattr(circuit, "ops") or hasattr(circuit, "data"):
        return StabilizerCircuit.from_circuit(circuit)
    raise QuantumError(f"expected a StabilizerCircuit, Stim text or a Clifford circuit, got {type(circuit).__name__}")


#: shots one call may ask for (about a day of sampling at 10^7 shots/s); more means several calls
MAX_SHOTS = 2**40


def _shots(shots) -> int:
    if isinstance(shots, bool) or not isinstance(shots, (int, np.integer)) or not 0 <= shots <= MAX_SHOTS:
        raise QuantumError(f"shots must be a whole number in [0, 2**40], got {shots!r}")
    return int(shots)


def _seed(seed) -> int:
    if isinstance(seed, np.random.Generator):
        return int(seed.integers(0, 2**63 - 1))
    if seed is None:
        return int(np.random.default_rng().integers(0, 2**63 - 1))
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise QuantumError(f"seed must be a whole number >= 0, a numpy Generator or None, got {seed!r}")
    return int(seed) % (2**63)


def packed_samples(program, shots: int, seed: int, keep_measurements: bool = False, randomize: bool = False):
    """Raw kernel output: bit-packed ``det [n_det, words]``, ``obs``, ``meas`` (uint64, shot k is bit k)."""
    n_words = max(1, (shots + 63) // 64)
    return K.frame_sample(
        program.ops,
        program.targets,
        program.args,
        program.meas_start,
        G.TABLE_ARRAY,
        GATE2_KIND,
        max(program.n_qubits, 1),
        program.n_measurements,
        program.n_detectors,
        program.n_observables,
        n_words,
        BATCH_WORDS,
        seed,
        randomize,
        keep_measurements,
    )


def unpack(words: np.ndarray, shots: int) -> np.ndarray:
    """``[rows, words]`` uint64 -> bool ``[shots, rows]``."""
    rows = words.shape[0]
    if rows == 0:
        return np.zeros((shots, 0), dtype=np.bool_)
    bits = np.unpackbits(np.ascontiguousarray(words).view(np.uint8).reshape(rows, -1), axis=1, bitorder="little")
    return bits[:, :shots].T.astype(np.bool_)


def _pack(b: np.ndarray) -> np.ndarray:
    return np.packbits(b, axis=1, bitorder="little")


def sample_detectors(circuit, shots: int, *, seed=None, separate_observables: bool = True, bit_packed: bool = False):
    """Detection events (and observable flips) of ``shots`` noisy runs, as Stim's compiled detector sampler.

    Parameters
    ----------
    circuit : StabilizerCircuit or str
        A circuit with ``DETECTOR`` and ``OBSERVABLE_INCLUDE`` annotations (Stim text is read).
    shots : int
        Number of runs.
    seed : int, numpy.random.Generator or None
        Same seed, same samples.
    separate_observables : bool
        True: return ``(detections, observables)``; False: one array with the observables appended as columns.
    bit_packed : bool
        Return ``uint8`` rows with 8 results per byte (little-endian bit order, as Stim).

    Returns
    -------
    numpy.ndarray or tuple of numpy.ndarray
        ``bool [shots, num_detectors]`` and ``bool [shots, num_observables]``.

    Examples
    --------
    >>> from workbench.quantum.stabilizer import repetition_memory, sample_detectors
    >>> c = repetition_memory(distance=3, rounds=2, after_clifford_depolarization=0.0)
    >>> det, obs = sample_detectors(c, 1000, seed=1)
    >>> det.shape, int(det.sum()), int(obs.sum())
    ((1000, 6), 0, 0)
    """
    c = _circuit(circuit)
    shots = _shots(shots)
    prog = c.program()
    n_out = prog.n_detectors + prog.n_observables
    check_memory(
        f"detection events of {shots} shots", shots * n_out * (1 / 8 if bit_packed else 1.125), error=QuantumError
    )
    # frames randomised as in Stim, so that detectors a circuit leaves random come out random too
    det_w, obs_w, _ = packed_samples(prog, shots, _seed(seed), randomize=True)
    if not separate_observables:
        det_w = np.concatenate([det_w, obs_w], axis=0)
        return K.shot_major(det_w, shots) if bit_packed else unpack(det_w, shots)
    if bit_packed:
        return K.shot_major(det_w, shots), K.shot_major(obs_w, shots)
    return unpack(det_w, shots), unpack(obs_w, shots)


def sample_measurements(circuit, shots: int, *, seed=None, bit_packed: bool = False) -> np.ndarray:
    """Measurement results of ``shots`` noisy runs (``bool [shots, num_measurements]``), as Stim's sampler.

    A noiseless reference run on the tableau simulator fixes one valid record; Pauli frames, randomised after
    every reset and measurement in the measured basis, give the shots' deviations from it.

    Parameters
    ----------
    circuit : StabilizerCircuit, str or Circuit
        The circuit (Stim text is read; a Clifford workbench or Qiskit circuit is converted).
    shots : int
        Number of runs, >= 0.
    seed : int, numpy.random.Generator or None
        Same seed, same samples.
    bit_packed : bool
        Return ``uint8`` rows with 8 results per byte (little-endian bit order, as Stim).

    Returns
    -------
    numpy.ndarray
        ``bool [shots, num_measurements]`` (``uint8 [shots, ceil(num_measurements / 8)]`` when bit-packed),
        inverted targets ``!q`` already applied.

    Raises
    ------
    QuantumError
        If ``circuit`` is of none of these kinds, ``shots`` is not a whole number >= 0, or ``seed`` is invalid.
    StimFormatError
        If ``circuit`` is Stim text that does not parse.

    Examples
    --------
    >>> from workbench.quantum.stabilizer import sample_measurements
    >>> m = sample_measurements("H 0\\nCX 0 1\\nM 0 1", 2000, seed=3)
    >>> bool((m[:, 0] == m[:, 1]).all()), bool(0.45 < m[:, 0].mean() < 0.55)
    (True, True)
    """
    from .tableau import reference_sample

    c = _circuit(circuit)
    shots = _shots(shots)
    prog = c.program()
    check_memory(f"measurements of {shots} shots", shots * prog.n_measurements * 1.25, error=QuantumError)
    ref = reference_sample(c)
    _, _, meas_w = packed_samples(prog, shots, _seed(seed), keep_measurements=True, randomize=True)
    out = unpack(meas_w, shots) ^ ref[None, :]
    return _pack(out) if bit_packed else out
