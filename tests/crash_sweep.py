"""The crash sweep: every public entry point called with extreme values, in a child process.

Each case is one public function (or public type) called with a small valid baseline in which one
parameter is replaced by an extreme value (0, 1e-300, 1e300, inf, nan, 2**31, 2**63, negatives,
numpy scalar types, None, a string...). A case passes when the call returns or raises a named
:class:`~workbench.errors.WorkbenchError`. A raw exception, a hang, or a crash of the process (a
segfault or abort in compiled code) fails it. The cases run in a child process that the parent
restarts after a crash, so one segfault fails one case instead of killing pytest.

Run by ``tests/test_robustness.py`` (one test per lab), or by hand::

    python tests/crash_sweep.py edge          # prints every failing case
"""

from __future__ import annotations

import inspect
import json
import math
import os
import select
import subprocess
import sys
import time

import numpy as np

# ----------------------------------------------------------------------------- extreme values
# name -> expression evaluated in the child (so numpy types survive as themselves)
VALUES = {
    "0": "0",
    "1": "1",
    "-1": "-1",
    "1.5": "1.5",
    "1e-300": "1e-300",
    "1e300": "1e300",
    "inf": "math.inf",
    "-inf": "-math.inf",
    "nan": "math.nan",
    "2**31": "2**31",
    "2**63": "2**63",
    "-2**63": "-2**63",
    "np.float32(0.5)": "np.float32(0.5)",
    "np.int64(3)": "np.int64(3)",
    "np.uint8(200)": "np.uint8(200)",
    "np.float64(nan)": "np.float64(math.nan)",
    "True": "True",
    "None": "None",
    "'x'": "'x'",
    "[]": "[]",
}
#: values left out for parameters that count work (episodes, tasks, shots...): a valid huge count
#: is a legitimately long run, not a defect
HUGE = ("2**31", "np.uint8(200)")

# ----------------------------------------------------------------------------- fixtures per lab
FIXTURES = {
    "net": """
import networkx as nx
import workbench.net as N
G = nx.path_graph(5)
for u, v in G.edges: G[u][v]["weight"] = 1.0
P = nx.Graph(); P.add_edge("a", "b", weight=2.0); P.add_edge("b", "c", weight=1.0)
""",
    "edge": """
import networkx as nx
import pandas as pd
import workbench.edge as E
QS = E.queue_scenario(0.5, 1.0)
SC = E.build_scenario("Abilene", 12, 2, 1, seed=0)
DAG = E.random_dag(6, 2, seed=0)
ETC = E.load_braun("u_c_hihi")[:8, :3]
DEV = pd.DataFrame({"rate": [1.0], "arrival": ["bursty"]})
NODE = pd.DataFrame({"cores": [2]})
""",
    "cdn": """
import workbench.cdn as C
import workbench.net as N
T = C.zipf_trace(400, 40, seed=0)
TS = C.zipf_trace(400, 40, seed=0, size_range=(1, 1000))
TT = C.Trace.from_keys(T.raw(), times=np.arange(400) * 0.5)
POPS = C.load_pops("cloudflare").head(8)
CL = C.sample_clients(50, seed=0); LAT, LON = CL.lat.to_numpy(), CL.lon.to_numpy()
RP = np.arange(400) % 8
""",
    "chain": """
import networkx as nx
import workbench.chain as C
from workbench.chain.keys import Signature
A, B = C.PrivateKey.from_int(11), C.PrivateKey.from_int(33)
CH = C.Chain(C.ChainConfig(chain_id=1, difficulty_bits=4, alloc={A.address: 1000}))
TX = C.Transaction(chain_id=1, nonce=0, to=B.address, value=5, fee=1).sign(A)
DELAY = np.array([[0.0, 2.0, 3.0], [2.0, 0.0, 2.5], [3.0, 2.5, 0.0]])
SHARES = np.array([0.5, 0.3, 0.2])
GR = nx.random_regular_graph(3, 10, seed=0)
""",
    "quantum": """
import networkx as nx
import workbench.quantum as Q
BELL = Q.Circuit(2, 2).h(0).cx(0, 1).measure(0, 0).measure(1, 1)
GHZ3 = Q.ghz(3)
PSI = Q.statevector(Q.Circuit(2).h(0).cx(0, 1))
RING = nx.cycle_graph(4)
H2 = Q.load_h2()
REP = Q.repetition_code(3)
NM = Q.NoiseModel().add(Q.depolarizing(0.01), ["h", "cx"])
X2, Y2 = Q.moons(20, seed=0)
import workbench.quantum.stabilizer as S
SC = S.surface_code_memory(3, 2, after_clifford_depolarization=0.001)
""",
    "ai": """
import workbench.ai as A
X = np.random.default_rng(0).normal(size=(24, 3))
YC = np.arange(24) % 2
YR = X[:, 0] * 2.0
SEQ = np.random.default_rng(0).normal(size=(16, 5, 2))
IMG = np.random.default_rng(0).normal(size=(16, 1, 6, 6))
Y24 = np.sin(np.arange(48) / 3.0) + 5.0
ENV = A.TabularEnv.from_gymnasium("FrozenLake-v1")


def NXT(s):
    a = ENV.nxt.astype(object)
    a[0, 0, 0] = s
    return a
""",
}

# ----------------------------------------------------------------------------- entry points
# (lab, callable expression, baseline "args" as a call signature, swept parameters, work parameters)
SPECS = [
    # ------------------------------------------------------------------ net
    ("net", "N.Router(G).distances", "0, limit=10.0", ["limit"], []),
    ("net", "N.shortest_path_lengths", "G, 0, limit=5.0", ["limit"], []),
    ("net", "N.distance_matrix", "G, limit=5.0", ["limit"], []),
    ("net", "N.k_nearest", "G, 0, 2", ["k", "limit"], []),
    ("net", "N.nearest_source", "G, [0, 4], limit=3.0", ["limit"], []),
    ("net", "N.great_circle_km", "10.0, 20.0, 30.0, 40.0", ["lat1", "lon1", "lat2", "lon2"], []),
    ("net", "N.propagation_delay_ms", "100.0", ["distance_km", "stretch"], []),
    ("net", "N.LatencyModel", "stretch=1.5, access_ms=1.0, per_hop_ms=0.1", ["stretch", "access_ms", "per_hop_ms"], []),
    (
        "net",
        "N.grid_graph",
        "3, 4, low=1.0, high=5.0, seed=0",
        ["rows", "cols", "low", "high", "seed"],
        ["rows", "cols"],
    ),
    ("net", "N.waxman_graph", "10, 0.4, 0.1, seed=0", ["n", "alpha", "beta", "seed"], ["n"]),
    ("net", "N.random_geometric_graph", "10, 0.3, seed=0", ["n", "radius", "seed"], ["n"]),
    ("net", "N.to_csr", "G, default=1.0", ["default"], []),
    (
        "net",
        "N.route_stretch",
        "N.load_topology('Abilene'), N.route_table(N.load_topology('Abilene'), weight='length_km').head(5), min_km=1.0",
        ["min_km"],
        [],
    ),
    (
        "net",
        "N.CSRGraph",
        "np.array([0, 1, 2]), np.array([1, 0], np.int32), np.array([1.0, 1.0]), (0, 1)",
        ["indptr", "indices", "weights", "nodes"],
        [],
    ),
    # ------------------------------------------------------------------ edge
    (
        "edge",
        "E.simulate",
        "QS, n_tasks=30, seed=0",
        ["n_tasks", "duration_s", "seed", "warmup_s", "bucket_s"],
        ["n_tasks"],
    ),
    ("edge", "E.simulate", "SC, 'mct', duration_s=2.0, seed=0", ["n_tasks", "seed", "warmup_s", "bucket_s"], []),
    ("edge", "E.queue_scenario", "0.5, 1.0, 1", ["lam", "mu", "c"], []),
    (
        "edge",
        "E.build_scenario",
        "'Abilene', 10, 2, 1, seed=0",
        [
            "n_devices",
            "n_edge",
            "n_cloud",
            "rate",
            "size_mi",
            "deadline_s",
            "edge_cores",
            "edge_mips",
            "cloud_cores",
            "cloud_mips",
            "data_in_mb",
            "data_out_mb",
            "cloud_access_ms",
            "per_hop_ms",
            "link_mbps",
            "seed",
        ],
        ["n_devices", "n_edge", "n_cloud"],
    ),
    (
        "edge",
        "E.Failures",
        "mtbf_s=10.0, mttr_s=1.0",
        ["mtbf_s", "mttr_s", "detect_s", "checkpoint_s", "max_tries", "link_mtbf_s", "link_mttr_s"],
        [],
    ),
    (
        "edge",
        "lambda t, d: E.simulate(QS, n_tasks=20, seed=0, failures=E.Failures(scheduled=[(0, t, d)]))",
        "1.0, 2.0",
        ["t", "d"],
        [],
    ),
    (
        "edge",
        "lambda r, on, off: E.simulate(E.Scenario(DEV.assign(rate=[r], on_s=[on], off_s=[off]), NODE, "
        "np.zeros((1, 1))), n_tasks=20, seed=0)",
        "1.0, 1.0, 4.0",
        ["r", "on", "off"],
        [],
    ),
    (
        "edge",
        "lambda c, q, s: E.simulate(E.Scenario(pd.DataFrame({'rate': [1.0]}), pd.DataFrame({'cores': [c], "
        "'queue_cap': [q], 'speed_mips': [s]}), np.zeros((1, 1))), n_tasks=20, seed=0)",
        "2, 10, 100.0",
        ["c", "q", "s"],
        [],
    ),
    (
        "edge",
        "lambda size, dl: E.simulate(E.Scenario(pd.DataFrame({'rate': [1.0], 'size_mi': [size], "
        "'deadline_s': [dl]}), NODE, np.zeros((1, 1))), n_tasks=20, seed=0)",
        "100.0, 1.0",
        ["size", "dl"],
        [],
    ),
    ("edge", "E.ScoreScheduler", "[1, 0, 1, 1, 0, 1]", ["weights"], []),
    (
        "edge",
        "E.random_dag",
        "6, 2, seed=0",
        ["n_tasks", "n_processors", "edge_prob", "ccr", "heterogeneity", "mean_cost", "seed"],
        ["n_tasks", "n_processors"],
    ),
    ("edge", "E.heft", "DAG", [], []),
    ("edge", "E.map_independent", "ETC, 'min_min', seed=0", ["seed"], []),
    ("edge", "E.mmc_wait", "0.5, 1.0, 1", ["lam", "mu", "c"], []),
    ("edge", "E.erlang_c", "0.5, 1.0, 2", ["lam", "mu", "c"], []),
    ("edge", "E.md1_wait", "0.5, 1.0", ["lam", "mu"], []),
    ("edge", "E.mg1_wait", "0.5, 1.0, 2.0", ["lam", "mean_s", "second_moment_s2"], []),
    ("edge", "E.availability", "10.0, 1.0", ["mtbf", "mttr"], []),
    (
        "edge",
        "E.simulate_queue",
        "0.5, 1.0, 1, n_customers=500, seed=0",
        ["lam", "mu", "c", "n_customers", "warmup", "seed"],
        ["n_customers"],
    ),
    ("edge", "E.EdgeSchedulingEnv", "SC, 10", ["n_tasks", "miss_penalty", "drop_penalty"], ["n_tasks"]),
    # ------------------------------------------------------------------ cdn
    ("cdn", "C.cache_hits", "T, 10, 'lru'", ["capacity"], []),
    ("cdn", "C.cache_hits", "TS, 0.1, 'wtinylfu'", ["capacity"], []),
    (
        "cdn",
        "C.cache_hits",
        "T, 10, 's3fifo', small_ratio=0.1, ghost_ratio=0.9",
        ["capacity", "small_ratio", "ghost_ratio"],
        [],
    ),
    ("cdn", "C.cache_hits", "T, 10, '2q', in_ratio=0.25, out_ratio=0.5", ["in_ratio", "out_ratio"], []),
    ("cdn", "C.cache_hits", "T, 10, 'clock', bits=2", ["bits"], []),
    ("cdn", "C.cache_hits", "T, 10, 'lirs'", ["capacity"], []),
    ("cdn", "C.simulate", "T, 10, 'arc'", ["capacity"], []),
    ("cdn", "C.miss_ratio_curve", "T, [5, 10]", ["capacities"], []),
    (
        "cdn",
        "C.zipf_trace",
        "100, 20, 1.0, seed=0",
        ["n_requests", "n_objects", "alpha", "seed"],
        ["n_requests", "n_objects"],
    ),
    ("cdn", "C.zipf_trace", "100, 20, 1.0, seed=0, size_range=(1, 100)", ["size_range"], []),
    ("cdn", "C.zipf_probabilities", "20, 1.0", ["n_objects", "alpha"], ["n_objects"]),
    (
        "cdn",
        "C.shifting_zipf_trace",
        "200, 20, 1.0, seed=0",
        ["n_requests", "n_objects", "alpha", "days", "shift", "flash_crowds", "flash_share", "flash_duration", "seed"],
        ["n_requests", "n_objects", "flash_crowds"],
    ),
    ("cdn", "C.scan_mix", "T, scan_length=10, every=50, seed=0", ["scan_length", "every", "seed"], []),
    ("cdn", "C.Trace.from_keys", "[1, 2, 1], sizes=[5, 6, 5], times=[0.0, 1.0, 2.0]", ["keys", "sizes", "times"], []),
    ("cdn", "C.Trace", "np.array([0, 1, 0], np.int32), np.array([7, 9])", ["ids", "keys", "sizes", "times"], []),
    ("cdn", "lambda k: C.cache_hits(C.Trace([0, k], np.array([7, 8])), 1)", "1", ["k"], []),
    ("cdn", "T.with_ttl", "10.0", ["ttl_seconds"], []),
    ("cdn", "TT.with_ttl", "10.0", ["ttl_seconds"], []),
    ("cdn", "C.jump_hash", "np.arange(20), 10", ["keys", "n_buckets"], []),
    ("cdn", "C.HashRing", "['a', 'b'], vnodes=10, seed=0", ["vnodes", "seed"], []),
    ("cdn", "C.rendezvous", "np.arange(20), ['a', 'b'], seed=0", ["seed"], []),
    ("cdn", "C.balls_into_bins", "100, 10, 2, seed=0", ["n_balls", "n_bins", "d", "seed"], ["n_balls", "n_bins", "d"]),
    (
        "cdn",
        "C.token_bucket",
        "np.arange(10) * 0.1, np.zeros(10, int), 5.0, 2.0",
        ["times", "keys", "rate", "burst"],
        [],
    ),
    (
        "cdn",
        "C.cache_busting_flood",
        "T, np.arange(400) % 20, 20, share=0.3, attackers=2, seed=0",
        ["n_clients", "share", "attackers", "start", "end", "seed"],
        ["n_clients", "attackers"],
    ),
    ("cdn", "C.sample_clients", "20, seed=0", ["n", "jitter_km", "seed"], ["n"]),
    ("cdn", "C.nearest_pop", "LAT, LON, POPS", ["lat", "lon"], []),
    ("cdn", "C.k_nearest_pops", "LAT, LON, POPS, 2", ["k", "lat"], []),
    (
        "cdn",
        "C.latency_aware",
        "LAT, LON, POPS, np.full(8, 100.0), np.full(50, 1.0), k=2, seed=0",
        ["capacity_rps", "rate_rps", "k", "service_ms", "seed"],
        [],
    ),
    ("cdn", "C.Tier", "'lru', 0.01", ["size"], []),
    ("cdn", "C.Prefetch", "10, 100", ["top", "every"], []),
    ("cdn", "C.simulate_cdn", "T, RP, POPS, origin_ms=20.0", ["origin_ms"], []),
    ("cdn", "lambda s: C.simulate_cdn(T, RP, POPS, l1=C.Tier('lru', s))", "0.01", ["s"], []),
    ("cdn", "lambda r: C.simulate_cdn(T, RP, POPS, l1=C.Tier('s3fifo', 0.05, {'ghost_ratio': r}))", "0.9", ["r"], []),
    ("cdn", "lambda r: C.simulate_cdn(T, RP, POPS, l1=C.Tier('2q', 0.05, {'out_ratio': r}))", "0.5", ["r"], []),
    (
        "cdn",
        "C.diurnal_traffic",
        "POPS, 48, seed=0",
        [
            "hours",
            "base_rps",
            "peak_hour",
            "trough_share",
            "weekend",
            "growth_per_week",
            "noise",
            "size_spread",
            "seed",
        ],
        ["hours"],
    ),
    # ------------------------------------------------------------------ chain
    ("chain", "C.nakamoto_probability", "0.3, 5", ["q", "z"], []),
    ("chain", "C.exact_double_spend_probability", "0.3, 5", ["q", "z"], []),
    ("chain", "C.selfish_revenue", "0.3, 0.5", ["alpha", "gamma"], []),
    ("chain", "C.selfish_threshold", "0.5", ["gamma"], []),
    ("chain", "C.simulate_double_spend", "0.3, 2, trials=200, seed=0", ["q", "z", "trials", "seed"], ["trials"]),
    (
        "chain",
        "C.simulate_selfish_mining",
        "0.3, 0.5, events=2000, seed=0",
        ["alpha", "gamma", "events", "seed"],
        ["events"],
    ),
    (
        "chain",
        "C.simulate_mining",
        "DELAY, SHARES, interval_s=10.0, blocks=200, seed=0",
        ["interval_s", "blocks", "seed", "delay", "shares"],
        ["blocks"],
    ),
    (
        "chain",
        "C.stale_rate_table",
        "DELAY, SHARES, intervals_s=(10, 60), blocks=200, seed=0",
        ["blocks", "seed", "intervals_s"],
        ["blocks"],
    ),
    ("chain", "C.p2p_network", "30, 4, seed=0", ["n", "degree", "seed"], ["n"]),
    ("chain", "C.GossipNetwork", "GR, seed=0", ["block_kb", "bandwidth_mbps", "verify_ms", "fanout", "seed"], []),
    (
        "chain",
        "C.ChainConfig",
        "chain_id=1, difficulty_bits=4",
        [
            "chain_id",
            "difficulty_bits",
            "block_interval_s",
            "retarget_interval",
            "block_reward",
            "min_fee",
            "max_block_txs",
            "slash_fraction",
            "genesis_time_ms",
        ],
        [],
    ),
    (
        "chain",
        "C.Transaction",
        "chain_id=1, nonce=0, to=B.address, value=5, fee=1",
        ["chain_id", "nonce", "to", "value", "fee", "data", "type", "signature"],
        [],
    ),
    (
        "chain",
        "lambda v: C.Mempool(CH).add(C.Transaction(chain_id=1, nonce=0, to=B.address, value=v, fee=1).sign(A))",
        "5",
        ["v"],
        [],
    ),
    ("chain", "C.Mempool", "CH, capacity=10", ["capacity"], []),
    ("chain", "C.Signature", "TX.signature.r, TX.signature.s, 0", ["r", "s", "v"], []),
    ("chain", "C.PrivateKey.from_int", "5", ["value"], []),
    ("chain", "C.PrivateKey.from_wif", "A.to_wif()", ["wif"], []),
    ("chain", "C.difficulty_to_bits", "8", ["zero_bits"], []),
    ("chain", "C.amm_amount_out", "100, 10000, 10000", ["amount_in", "reserve_in", "reserve_out"], []),
    ("chain", "C.verify", "A.public_key, bytes(32), TX.signature", ["public_key", "digest", "sig"], []),
    ("chain", "C.MultisigPolicy", "1, (A.public_key, B.public_key)", ["m", "public_keys"], []),
    ("chain", "CH.mine_block", "B.address, [TX], max_tries=1000", ["max_tries", "timestamp_ms"], []),
    (
        "chain",
        "C.eclipse_experiment",
        "DELAY, SHARES, 0, 1, duration_s=600.0, seed=0",
        ["victim", "attacker", "duration_s", "confirmations", "interval_s", "seed"],
        [],
    ),
    # ------------------------------------------------------------------ quantum
    ("quantum", "Q.Circuit", "2, 1", ["n_qubits", "n_clbits"], ["n_qubits"]),
    ("quantum", "lambda t: Q.statevector(Q.Circuit(1).rx(t, 0))", "0.5", ["t"], []),
    ("quantum", "lambda t: Q.statevector(Q.Circuit(1).rx(Q.Parameter('t'), 0).bind(t=t))", "0.5", ["t"], []),
    ("quantum", "lambda q: Q.statevector(Q.Circuit(2).h(q))", "0", ["q"], []),
    ("quantum", "Q.Op", "'gate', 'x', (0,)", ["qubits", "params", "n_controls"], []),
    ("quantum", "lambda q: Q.simulate(Q.Circuit(2, 1).measure(0, 0).compose(Q.Circuit(1).x(0), [q]))", "1", ["q"], []),
    ("quantum", "Q.simulate", "BELL, seed=0", ["fusion", "seed", "threads", "initial_state"], []),
    ("quantum", "Q.sample_counts", "BELL, 100, seed=0", ["shots", "seed", "fusion"], ["shots"]),
    ("quantum", "Q.bloch_vectors", "PSI", ["state"], []),
    ("quantum", "Q.expectation", "PSI, {'ZZ': 1.0}", ["state"], []),
    ("quantum", "lambda t: Q.gradient(Q.Circuit(1).rx(Q.Parameter('t'), 0), 'Z', [t])", "0.5", ["t"], []),
    ("quantum", "lambda o: Q.gradient(Q.Circuit(1).rx(Q.Parameter('t'), 0), o, [0.5])", "'Z'", ["o"], []),
    (
        "quantum",
        "S.surface_code_memory",
        "3, 2, after_clifford_depolarization=0.001",
        ["distance", "rounds", "basis", "after_clifford_depolarization", "before_measure_flip_probability"],
        ["distance", "rounds"],
    ),
    (
        "quantum",
        "S.repetition_memory",
        "3, 2",
        ["distance", "rounds", "after_reset_flip_probability"],
        ["distance", "rounds"],
    ),
    ("quantum", "S.sample_detectors", "SC, 100, seed=0", ["shots", "seed", "circuit"], ["shots"]),
    (
        "quantum",
        "S.logical_error_rate",
        "SC, 1000, seed=0",
        ["shots", "decoder", "batch_shots", "max_errors", "rounds", "seed"],
        ["shots", "batch_shots"],
    ),
    ("quantum", "S.StabilizerCircuit.from_stim", "'H 0'", ["text"], []),
    ("quantum", "S.TableauSimulator", "2, seed=0", ["n_qubits", "seed"], ["n_qubits"]),
    ("quantum", "S.UnionFindDecoder", "SC, resolution=8", ["resolution"], ["resolution"]),
    ("quantum", "S.detector_error_model", "SC", ["circuit"], []),
    ("quantum", "Q.qft", "3", ["n"], ["n"]),
    ("quantum", "Q.ghz", "3", ["n"], ["n"]),
    ("quantum", "Q.grover", "3, [5]", ["n", "marked", "iterations"], ["n", "iterations"]),
    ("quantum", "Q.optimal_iterations", "4, 1", ["n", "n_marked"], []),
    ("quantum", "Q.success_probability", "4, 1, 2", ["n", "n_marked", "k"], []),
    ("quantum", "Q.random_layered_circuit", "3, 2, seed=0", ["n", "layers", "seed"], ["n", "layers"]),
    ("quantum", "Q.shor", "15, 7", ["N", "a"], []),
    ("quantum", "Q.order_finding", "7, 15", ["a", "N", "n_count"], ["N"]),
    ("quantum", "Q.optimize_qaoa", "RING, 1, restarts=1, seed=0", ["p", "restarts", "seed"], ["p", "restarts"]),
    ("quantum", "Q.qaoa_expectation", "RING, [0.5], [0.3]", ["gammas", "betas"], []),
    (
        "quantum",
        "lambda w: Q.brute_force_maxcut(nx.Graph([(0, 1, {'weight': w}), (1, 2, {'weight': 1.0})]))",
        "1.0",
        ["w"],
        [],
    ),
    ("quantum", "Q.vqe", "H2, restarts=1, seed=0", ["restarts", "seed", "shots", "offset"], ["restarts", "shots"]),
    ("quantum", "Q.ground_energy", "H2", ["hamiltonian"], []),
    ("quantum", "Q.h2_hamiltonian", "0.735", ["bond_length"], []),
    (
        "quantum",
        "Q.bb84",
        "200, eve=0.1, seed=0",
        ["n_bits", "eve", "noise", "sample_fraction", "threshold", "seed"],
        ["n_bits"],
    ),
    ("quantum", "Q.binary_entropy", "0.1", ["p"], []),
    ("quantum", "Q.depolarizing", "0.1", ["p", "n_qubits"], []),
    ("quantum", "Q.amplitude_damping", "0.1", ["gamma"], []),
    ("quantum", "Q.run_trajectories", "GHZ3, NM, trajectories=5, seed=0", ["trajectories", "seed"], ["trajectories"]),
    ("quantum", "Q.simulate_density", "GHZ3, NM", ["fusion"], []),
    ("quantum", "Q.logical_error_rates", "REP, [0.1], shots=50, seed=0", ["ps", "shots", "seed"], ["shots"]),
    ("quantum", "Q.exact_logical_error", "REP, 0.1", ["q"], []),
    ("quantum", "Q.repetition_code", "3", ["d"], ["d"]),
    ("quantum", "Q.coupling_map", "'line', 4", ["n"], ["n"]),
    (
        "quantum",
        "Q.transpile",
        "GHZ3, Q.coupling_map('line', 3), seed=0, trials=1",
        ["seed", "trials", "route_trials"],
        ["trials", "route_trials"],
    ),
    (
        "quantum",
        "Q.train_vqc",
        "X2, Y2, layers=1, seed=0, maxiter=5",
        ["n_qubits", "layers", "test_size", "seed", "maxiter"],
        ["maxiter", "layers", "n_qubits"],
    ),
    ("quantum", "Q.moons", "20, 0.1, seed=0", ["n_samples", "noise", "seed"], ["n_samples"]),
    # ------------------------------------------------------------------ ai
    (
        "ai",
        "A.minimize",
        "'sphere', [(-1.0, 1.0)] * 2, method='de', seed=0, budget=100",
        ["seed", "budget", "snapshot_every", "max_snapshots"],
        ["budget"],
    ),
    (
        "ai",
        "A.minimize",
        "'sphere', [(-1.0, 1.0)] * 2, method='pso', seed=0, budget=100",
        ["seed", "budget"],
        ["budget"],
    ),
    ("ai", "lambda lo, hi: A.minimize('sphere', [(lo, hi)], seed=0, budget=100)", "-1.0, 1.0", ["lo", "hi"], []),
    (
        "ai",
        "lambda *a, **k: A.MLPClassifier(**k).fit(X, YC)",
        "hidden=(4,), epochs=2, random_state=0",
        ["hidden", "learning_rate", "batch_size", "epochs", "momentum", "weight_decay", "dropout", "random_state"],
        ["epochs"],
    ),
    (
        "ai",
        "lambda *a, **k: A.MLPRegressor(**k).fit(X, YR)",
        "hidden=(4,), epochs=2, random_state=0",
        ["batch_size", "learning_rate", "random_state"],
        ["epochs"],
    ),
    (
        "ai",
        "lambda *a, **k: A.GRUClassifier(**k).fit(SEQ, np.arange(16) % 2)",
        "hidden=4, epochs=1, random_state=0",
        ["hidden", "learning_rate", "batch_size", "epochs", "clip", "random_state"],
        ["epochs", "hidden"],
    ),
    (
        "ai",
        "lambda *a, **k: A.Conv2DClassifier(**k).fit(IMG, np.arange(16) % 2)",
        "channels=(2,), kernel_size=3, epochs=1, random_state=0",
        ["channels", "kernel_size", "pool", "learning_rate", "batch_size", "epochs", "random_state"],
        ["epochs"],
    ),
    (
        "ai",
        "A.q_learning",
        "ENV, 20, seed=0",
        ["episodes", "alpha", "gamma", "epsilon", "decay", "seed", "Q0"],
        ["episodes"],
    ),
    ("ai", "A.sarsa", "ENV, 20, seed=0", ["episodes", "seed"], ["episodes"]),
    ("ai", "ENV.rollout", "[0] * 16, episodes=10, seed=0", ["policy", "episodes", "seed"], ["episodes"]),
    ("ai", "ENV.optimum", "10", ["horizon"], ["horizon"]),
    ("ai", "lambda s: A.TabularEnv(ENV.probs, NXT(s), ENV.rew, ENV.done, ENV.isd, 10)", "5", ["s"], []),
    (
        "ai",
        "A.reinforce",
        "20, hidden=4, seed=0",
        ["episodes", "hidden", "lr", "lr_value", "gamma", "seed", "target"],
        ["episodes", "hidden"],
    ),
    ("ai", "A.forecast", "Y24, 3, method='holt_winters', m=12", ["horizon", "m"], ["horizon"]),
    ("ai", "A.forecast", "Y24, 3, method='ridge', lags=4, ridge_lambda=1.0", ["lags", "ridge_lambda", "window"], []),
    ("ai", "A.forecast", "Y24, 3, method='moving_average', window=3", ["window", "y"], []),
    ("ai", "A.rolling_origin", "Y24, method='naive', horizon=1, start=30, step=2", ["horizon", "start", "step"], []),
    ("ai", "A.mape", "[1.0, 2.0], [1.1, 1.9]", ["actual", "predicted"], []),
]


def cases(lab: str) -> list[tuple]:
    """Every (spec index, parameter, value name) of a lab, in a fixed order."""
    out = []
    for i, (spec_lab, _, _, params, work) in enumerate(SPECS):
        if spec_lab != lab:
            continue
        for p in params:
            for v in VALUES:
                if p in work and v in HUGE:
                    continue
                out.append((i, p, v))
    return out


# ----------------------------------------------------------------------------- the child
def _child(lab: str, start: int) -> None:  # pragma: no cover - runs in a subprocess
    import signal

    from workbench.errors import WorkbenchError

    ns = {"np": np, "math": math}
    exec(FIXTURES[lab], ns)  # noqa: S102 - test fixtures
    out = sys.stdout

    def alarm(*_):
        raise TimeoutError("no answer")

    signal.signal(signal.SIGALRM, alarm)
    for k, (i, param, vname) in enumerate(cases(lab)):
        if k < start:
            continue
        _, fexpr, base, _, _ = SPECS[i]
        out.write(f"S {k}\n")
        out.flush()
        status, detail = "ok", ""
        t0 = time.perf_counter()
        signal.alarm(60)
        try:
            fn = eval(fexpr, ns)  # noqa: S307
            args, kwargs = eval(f"(lambda *a, **k: (a, k))({base})", ns)  # noqa: S307
            try:
                bound = inspect.signature(fn).bind_partial(*args, **kwargs)
                bound.arguments[param] = eval(VALUES[vname], ns)  # noqa: S307
                args, kwargs = bound.args, bound.kwargs
            except (TypeError, ValueError):  # no signature (builtins) or a var-keyword parameter
                kwargs = {**kwargs, param: eval(VALUES[vname], ns)}  # noqa: S307
            fn(*args, **kwargs)
        except WorkbenchError:
            status = "named"
        except TimeoutError:
            status, detail = "hang", "no answer within 60 s (Python level)"
        except BaseException as exc:  # noqa: BLE001 - every other exception is what the sweep looks for
            status, detail = "raw", f"{type(exc).__name__}: {str(exc)[:200]}"
        finally:
            signal.alarm(0)
        out.write("E " + json.dumps([k, status, detail, time.perf_counter() - t0]) + "\n")
        out.flush()


# ----------------------------------------------------------------------------- the parent
TIMES: list = []


def run(lab: str, *, case_timeout: float = 90.0) -> tuple[int, list[str]]:
    """Run a lab's cases, restarting the child after a crash or hang; returns (cases, failures)."""
    todo = cases(lab)
    failures: list[str] = []
    done = 0
    start = 0
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONWARNINGS": "ignore"}
    while start < len(todo):
        proc = subprocess.Popen(
            [sys.executable, __file__, "--child", lab, str(start)],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
            text=True,
            bufsize=1,
        )
        current = None
        last = time.monotonic()
        buf = ""
        while True:
            ready, _, _ = select.select([proc.stdout], [], [], 1.0)
            if ready:
                chunk = os.read(proc.stdout.fileno(), 65536).decode()
                if not chunk:  # the child exited
                    break
                buf += chunk
                while "\n" in buf:
                    line, buf = buf.split("\n", 1)
                    if line.startswith("S "):
                        current = int(line[2:])
                        last = time.monotonic()
                    elif line.startswith("E "):
                        k, status, detail, seconds = json.loads(line[2:])
                        TIMES.append((seconds, _describe(todo[k], "")))
                        done += 1
                        current = None
                        if status not in ("ok", "named"):
                            failures.append(_describe(todo[k], f"{status}: {detail}"))
            elif current is not None and time.monotonic() - last > case_timeout:
                proc.kill()
                break
        proc.wait()
        if current is None:  # finished (or died between cases: nothing left to blame)
            break
        rc = proc.returncode
        why = (
            f"hang: no answer within {case_timeout:.0f} s (compiled code)"
            if rc == -9
            else f"crash: the process died with {'signal ' + str(-rc) if rc < 0 else 'exit code ' + str(rc)}"
        )
        failures.append(_describe(todo[current], why))
        done += 1
        start = current + 1
    return done, failures


def _describe(case, what: str) -> str:
    i, param, vname = case
    _, fexpr, base, _, _ = SPECS[i]
    return f"{fexpr}({base}) with {param}={vname}: {what}"


if __name__ == "__main__":  # pragma: no cover
    if sys.argv[1:2] == ["--child"]:
        sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        _child(sys.argv[2], int(sys.argv[3]))
    else:
        for lab in sys.argv[1:] or sorted(FIXTURES):
            t0 = time.time()
            n, bad = run(lab)
            print(f"== {lab}: {n} cases, {len(bad)} failures, {time.time() - t0:.0f} s")
            for sec, what in sorted(TIMES, reverse=True)[:8]:
                print(f"   {sec:6.2f} s  {what[:150]}")
            TIMES.clear()
            for b in bad:
                print("  ", b)
