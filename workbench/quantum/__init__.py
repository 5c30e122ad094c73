"""Quantum computing lab: a fused numba state-vector simulator, a circuit IR with Qiskit and
OpenQASM 2 interoperability, Pauli expectations and shot sampling."""

from .circuit import (
    Circuit,
    NotUnitaryError,
    Op,
    Parameter,
    QuantumError,
    QubitError,
    TooManyQubitsError,
    UnboundParameterError,
)
from .fusion import Block, block_matrix, fuse
from .gates import GATES, controlled, gate_matrix
from .interop import QasmError, from_qasm, from_qiskit, to_qasm, to_qiskit
from .noise import (
    Channel,
    DensityResult,
    NoiseModel,
    TrajectoryResult,
    amplitude_damping,
    bit_flip,
    depolarizing,
    kraus,
    phase_damping,
    phase_flip,
    run_trajectories,
    simulate_density,
)
from .statevector import SimResult, expectation, pauli_terms, sample_counts, simulate, statevector

__all__ = [
    "Circuit", "NotUnitaryError", "Op", "Parameter", "QuantumError", "QubitError", "TooManyQubitsError",
    "UnboundParameterError",
    "Block", "block_matrix", "fuse",
    "GATES", "controlled", "gate_matrix",
    "QasmError", "from_qasm", "from_qiskit", "to_qasm", "to_qiskit",
    "Channel", "DensityResult", "NoiseModel", "TrajectoryResult", "amplitude_damping", "bit_flip", "depolarizing",
    "kraus", "phase_damping", "phase_flip", "run_trajectories", "simulate_density",
    "SimResult", "expectation", "pauli_terms", "sample_counts", "simulate", "statevector",
]
