"""The stabilizer engine against Stim and PyMatching, same run, one thread.

    python benchmarks/bench_qec.py [--quick] [--only sample|decode|dem|sweep]

Circuits: Stim's ``surface_code:rotated_memory_z`` (our generator gives the same detector error model), rounds = d,
all four noise knobs at 0.001. Goals (issue: QEC at scale): Pauli-frame sampling >= 0.3x Stim's shots/s at
d = 5 and 7 (stretch 0.5x); union-find decoding >= 0.5x PyMatching's shots/s at d = 5 and 7; detector-error-model
extraction of the d = 7 circuit <= 1 s; a 3-distance x 8-rate threshold sweep with 10^6 shots per point <= 5
minutes on 2 cores (``--only sweep``; Dask LocalCluster with 2 workers).

Sampling compares the same output on both sides: shot-major bit-packed detection events and observable flips
(Stim's ``bit_packed=True``; ours: the kernel's detector-major words transposed).
Decoding times our union-find from bit-packed detection events (the sparse pass included) against PyMatching's
``decode_batch`` on Stim's bit-packed shots, on the same samples; the logical error rates are printed beside.
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("NUMBA_NUM_THREADS", "1")

import argparse  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402
import pymatching  # noqa: E402
import stim  # noqa: E402
from harness import check, header, summary  # noqa: E402

from workbench.quantum.stabilizer import (  # noqa: E402
    UnionFindDecoder,
    _uf,  # noqa: E402
    detector_error_model,
    surface_code_memory,
    threshold,
    threshold_sweep,
)
from workbench.quantum.stabilizer import _kernels as K  # noqa: E402
from workbench.quantum.stabilizer.sampler import packed_samples, unpack  # noqa: E402
from workbench.timing import cpu_best  # noqa: E402

P = 0.001


def circuits(d):
    kw = dict(
        distance=d,
        rounds=d,
        after_clifford_depolarization=P,
        before_measure_flip_probability=P,
        after_reset_flip_probability=P,
        before_round_data_depolarization=P,
    )
    ours = surface_code_memory(**kw)
    ref = stim.Circuit.generated("surface_code:rotated_memory_z", **kw)
    return ours, ref


def bench_sample(shots, repeat):
    print(f"## Pauli-frame sampling (shots/s, bit-packed output, CPU time, best of {repeat})")
    print("| d | detectors | ours shots/s | Stim shots/s | ratio (ours / Stim) |")
    print("|---:|---:|---:|---:|---:|")
    for d in (3, 5, 7):
        ours, ref = circuits(d)
        prog = ours.program()
        packed_samples(prog, 64, 1)
        sampler = ref.compile_detector_sampler(seed=1)
        K.shot_major(packed_samples(prog, 64, 1)[0], 64)

        def ours_run():
            det_w, obs_w, _ = packed_samples(prog, shots, 7, randomize=True)
            return K.shot_major(det_w, shots), K.shot_major(obs_w, shots)

        t_ours, _ = cpu_best(ours_run, repeat)
        t_ref, _ = cpu_best(lambda: sampler.sample(shots, separate_observables=True, bit_packed=True), repeat)
        r = t_ref / t_ours
        print(f"| {d} | {prog.n_detectors} | {shots / t_ours:,.0f} | {shots / t_ref:,.0f} | {r:.2f} |")
        if d >= 5:
            check(f"sampling d={d} >= 0.3x Stim (stretch 0.5x): {r:.2f}x", r >= 0.3)
    print()


def bench_decode(shots, repeat):
    print(f"## Decoding at p = 0.001 (shots/s, CPU time, best of {repeat}; the same samples for both)")
    print("| d | union-find shots/s | PyMatching shots/s | ratio | UF logical error | PyMatching logical error |")
    print("|---:|---:|---:|---:|---:|---:|")
    for d in (3, 5, 7):
        ours, ref = circuits(d)
        prog = ours.program()
        dem = detector_error_model(ours, decompose=True)
        uf = UnionFindDecoder(dem)
        # Stim's own model of our circuit (the same mechanisms as Stim's generator; our detector numbering)
        m = pymatching.Matching.from_detector_error_model(
            stim.Circuit(str(ours)).detector_error_model(decompose_errors=True)
        )
        det_w, obs_w, _ = packed_samples(prog, shots, 3)
        packed = K.shot_major(det_w, shots)
        obs = unpack(obs_w, shots)[:, 0]

        def run_uf():
            ptr, flat = _uf.shot_defects(det_w, shots)
            return uf.decode_sparse(ptr, flat, shots)

        run_uf()
        t_uf, pred_uf = cpu_best(run_uf, repeat)
        t_pm, pred_pm = cpu_best(
            lambda: m.decode_batch(packed, bit_packed_shots=True, bit_packed_predictions=True), repeat
        )
        e_uf = np.mean((pred_uf & np.uint64(1)).astype(bool) != obs)
        e_pm = np.mean((pred_pm[:, 0] & 1).astype(bool) != obs)
        r = t_pm / t_uf
        print(f"| {d} | {shots / t_uf:,.0f} | {shots / t_pm:,.0f} | {r:.2f} | {e_uf:.2e} | {e_pm:.2e} |")
        if d >= 5:
            check(f"union-find d={d} >= 0.5x PyMatching: {r:.2f}x", r >= 0.5)
    print()


def bench_dem():
    print("## Detector error model extraction (wall seconds, best of 3)")
    print("| d | mechanisms | ours s | Stim s |")
    print("|---:|---:|---:|---:|")
    for d in (3, 5, 7):
        ours, ref = circuits(d)
        detector_error_model(ours)
        t_ours = min(_timed(lambda: detector_error_model(ours)) for _ in range(3))
        t_ref = min(_timed(lambda: ref.detector_error_model()) for _ in range(3))
        n = len(detector_error_model(ours))
        print(f"| {d} | {n} | {t_ours:.3f} | {t_ref:.3f} |")
        if d == 7:
            check(f"DEM of d=7 <= 1 s: {t_ours:.3f} s", t_ours <= 1.0)
    print()


def _timed(fn):
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def bench_sweep(shots):
    from workbench.sweeps import local_cluster

    rates = list(np.geomspace(0.002, 0.012, 8))
    print(f"## Threshold sweep: d = 3, 5, 7 x 8 rates x {shots:,} shots, union-find, 2 Dask workers")
    with local_cluster(n_workers=2) as client:
        t = time.perf_counter()
        df = threshold_sweep((3, 5, 7), rates, shots=shots, client=client, progress=False)
        wall = time.perf_counter() - t
    print(
        df[["distance", "p", "errors", "logical_error_rate", "ci_low", "ci_high", "seconds"]].to_markdown(
            index=False, floatfmt=".3g"
        )
    )
    print()
    print(threshold(df).to_markdown(index=False, floatfmt=".4g"))
    print(f"\nwall time {wall:.0f} s")
    check(f"threshold sweep 3 x 8 x {shots:,} shots <= 5 min on 2 cores: {wall:.0f} s", wall <= 300)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="fewer shots (a smoke run)")
    ap.add_argument("--only", choices=["sample", "decode", "dem", "sweep"])
    a = ap.parse_args()
    header("Stabilizer engine vs Stim " + stim.__version__ + " and PyMatching " + pymatching.__version__)
    shots = 100_000 if a.quick else 1_000_000
    repeat = 1 if a.quick else 3
    if a.only in (None, "sample"):
        bench_sample(shots, repeat)
    if a.only in (None, "decode"):
        bench_decode(shots, repeat)
    if a.only in (None, "dem"):
        bench_dem()
    if a.only == "sweep":
        bench_sweep(100_000 if a.quick else 1_000_000)
    return summary()


if __name__ == "__main__":
    raise SystemExit(main())
