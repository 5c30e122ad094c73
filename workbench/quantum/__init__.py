"""Quantum computing lab: a fused numba state-vector simulator, a circuit IR with Qiskit and
OpenQASM 2 interoperability, noise (density matrices and trajectories), error correction, and
algorithms: Grover, QFT and phase estimation, Shor, QAOA, VQE (with molecular Hamiltonians of hydrogen computed
from STO-3G integrals), BB84 and a variational classifier."""

from .chem import (
    dissociation_curve,
    h2_hamiltonian,
    hydrogen_hamiltonian,
    pauli_decompose,
    rhf,
    sto3g_integrals,
)
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
from .compiler import BASES, Routed, coupling_map, equivalent, transpile
from .fusion import Block, block_matrix, fuse
from .gates import GATES, controlled, gate_matrix
from .interop import QasmError, from_qasm, from_qiskit, to_qasm, to_qiskit
from .grover import (
    GroverResult,
    grover,
    grover_circuit,
    grover_curve,
    grover_frames,
    optimal_iterations,
    success_probability,
)
from .library import diffuser, ghz, mcz, phase_estimation, phase_oracle, qft, random_layered_circuit
from .qaoa import QAOAResult, brute_force_maxcut, cut_values, optimize_qaoa, qaoa_circuit, qaoa_expectation, qaoa_landscape
from .qec import (
    CSSCode,
    crossing_point,
    decode,
    exact_logical_error,
    logical_error_rates,
    memory_circuit,
    repetition_code,
    steane_code,
)
from .qkd import BB84Result, bb84, binary_entropy
from .qml import VQCResult, classifier_circuit, moons, train_vqc
from .speed import speed_table
from .shor import ShorResult, modmul_matrix, order_finding, order_finding_circuit, shor
from .vqe import CHEMICAL_ACCURACY, VQEResult, ground_energy, load_h2, ry_ansatz, vqe
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
from .statevector import SimResult, bloch_vectors, expectation, pauli_terms, sample_counts, simulate, statevector

__all__ = [
    "Circuit", "NotUnitaryError", "Op", "Parameter", "QuantumError", "QubitError", "TooManyQubitsError",
    "UnboundParameterError",
    "BASES", "Routed", "coupling_map", "equivalent", "transpile",
    "Block", "block_matrix", "fuse",
    "GATES", "controlled", "gate_matrix",
    "QasmError", "from_qasm", "from_qiskit", "to_qasm", "to_qiskit",
    "Channel", "DensityResult", "NoiseModel", "TrajectoryResult", "amplitude_damping", "bit_flip", "depolarizing",
    "kraus", "phase_damping", "phase_flip", "run_trajectories", "simulate_density",
    "GroverResult", "grover", "grover_circuit", "grover_curve", "grover_frames", "optimal_iterations", "success_probability",
    "diffuser", "ghz", "mcz", "phase_estimation", "phase_oracle", "qft", "random_layered_circuit",
    "QAOAResult", "brute_force_maxcut", "cut_values", "optimize_qaoa", "qaoa_circuit", "qaoa_expectation",
    "qaoa_landscape",
    "CSSCode", "crossing_point", "decode", "exact_logical_error", "logical_error_rates", "memory_circuit",
    "repetition_code", "steane_code",
    "BB84Result", "bb84", "binary_entropy",
    "VQCResult", "classifier_circuit", "moons", "train_vqc",
    "speed_table",
    "ShorResult", "modmul_matrix", "order_finding", "order_finding_circuit", "shor",
    "CHEMICAL_ACCURACY", "VQEResult", "ground_energy", "load_h2", "ry_ansatz", "vqe",
    "dissociation_curve", "h2_hamiltonian", "hydrogen_hamiltonian", "pauli_decompose", "rhf", "sto3g_integrals",
    "SimResult", "bloch_vectors", "expectation", "pauli_terms", "sample_counts", "simulate", "statevector",
]
