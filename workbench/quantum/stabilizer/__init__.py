"""Stabilizer simulation at scale: Stim-format circuits, a bit-packed Pauli-frame sampler, detector error models,
decoders and threshold experiments.

The quantum lab's error-correction toolkit for codes past a handful of qubits. Circuits are read and written in
Stim's text format; memory experiments of the repetition and surface codes are generated with Stim's noise
knobs; the frame sampler draws 64 shots per machine word; :func:`detector_error_model` lists every independent
error mechanism and what it flips; union-find (compiled), PyMatching and lookup decoders predict the logical
flips; :mod:`.experiments` turns them into logical error rates, threshold sweeps and suppression factors.

Examples
--------
>>> from workbench.quantum.stabilizer import surface_code_memory, logical_error_rate
>>> c = surface_code_memory(distance=3, rounds=3, after_clifford_depolarization=0.002)
>>> row = logical_error_rate(c, shots=20_000, seed=1).summary()
>>> float(row.logical_error_rate[0]) < 0.02
True
"""

from .circuit import NonCliffordError, StabilizerCircuit, StimFormatError, target_inv, target_pauli, target_rec
from .decoders import (
    DECODERS,
    LookupDecoder,
    MatchingGraph,
    PyMatchingDecoder,
    UnionFindDecoder,
    compile_decoder,
    decode,
)
from .dem import DemError, DetectorErrorModel, detector_error_model
from .experiments import logical_error_rate, per_round, suppression_factor, threshold, threshold_sweep, wilson_interval
from .generate import TASKS, generated, repetition_memory, surface_code_memory
from .sampler import sample_detectors, sample_measurements
from .tableau import TableauSimulator, measurement_distribution, reference_sample

__all__ = [
    "StabilizerCircuit",
    "StimFormatError",
    "NonCliffordError",
    "target_rec",
    "target_inv",
    "target_pauli",
    "sample_detectors",
    "sample_measurements",
    "TableauSimulator",
    "reference_sample",
    "measurement_distribution",
    "DetectorErrorModel",
    "DemError",
    "detector_error_model",
    "MatchingGraph",
    "UnionFindDecoder",
    "PyMatchingDecoder",
    "LookupDecoder",
    "compile_decoder",
    "decode",
    "DECODERS",
    "repetition_memory",
    "surface_code_memory",
    "generated",
    "TASKS",
    "logical_error_rate",
    "threshold_sweep",
    "threshold",
    "suppression_factor",
    "wilson_interval",
    "per_round",
]
