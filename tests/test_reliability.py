"""Regression tests for the holes an adversarial probe found: crashes, a forgery, data loss and confident wrong
numbers. Each test reproduces one reported case (numbered as in the report) and checks the named error or the
correct answer; the crash-prone ones run in a child process, so a segfault fails the test instead of pytest."""

from __future__ import annotations

import dataclasses
import json
import math
import os
import stat
import subprocess
import sys
import textwrap
from decimal import Decimal, localcontext

import numpy as np
import pandas as pd
import pytest

import workbench
from workbench import ai, cdn, net
from workbench import chain as C
from workbench import edge as E
from workbench import quantum as Q
from workbench.errors import NegativeWeightError, UnknownNodeError, WorkbenchError
from workbench.records import RecordError, RecordWriteError, load_record, save_record
from workbench.sweeps import SweepError

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def in_child(code: str, timeout: float = 120) -> subprocess.CompletedProcess:
    """Run ``code`` in a fresh interpreter (a crash there is a failed assertion here)."""
    env = {**os.environ, "PYTHONPATH": ROOT}
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        cwd=ROOT,
    )


def _named(p: subprocess.CompletedProcess, *names: str) -> None:
    assert p.returncode in (0, 3), f"the child died with {p.returncode}:\n{p.stderr[-2000:]}"
    for name in names:
        assert name in p.stdout, p.stdout + p.stderr[-2000:]


# ------------------------------------------------------------------ 1, 9, 10, 11: the edge engine
def test_01_extreme_times_never_crash_the_engine():
    p = in_child("""
        import workbench.edge as E
        from workbench.errors import WorkbenchError
        def run(f):
            try:
                f(); print("ran")
            except WorkbenchError as e:
                print("named:", type(e).__name__)
        run(lambda: E.simulate(E.queue_scenario(0.5, 1.0), n_tasks=10, seed=0, bucket_s=1e-300))
        run(lambda: E.simulate(E.queue_scenario(1e-300, 1.0), n_tasks=10, seed=0))
        for _ in range(2):
            run(lambda: E.simulate(E.queue_scenario(1.0, 1e-300, 2), n_tasks=20, seed=0))
        import pandas as pd, numpy as np
        dev = pd.DataFrame({"rate": [1.0], "arrival": ["bursty"], "off_s": [1e300]})
        run(lambda: E.simulate(E.Scenario(dev, pd.DataFrame({"cores": [1]}), np.zeros((1, 1))), n_tasks=5, seed=0))
        print("alive")
    """)
    _named(p, "named: EdgeSimError", "alive")
    assert p.stdout.count("ran") >= 3  # tiny rates and huge service times are valid runs


def test_01_huge_service_times_give_a_correct_run():
    r = E.simulate(E.queue_scenario(1.0, 1e-300, 2), n_tasks=20, seed=0)
    s = r.summary().iloc[0]
    assert s.completed == 20 and s.generated == 20 and s.latency_mean_ms > 1e290
    assert len(r.timeline()) > 0


def test_01_a_bucket_width_that_needs_too_many_buckets_is_refused():
    with pytest.raises(E.EdgeSimError, match="timeline buckets"):
        E.simulate(E.queue_scenario(0.5, 1.0), n_tasks=10, seed=0, bucket_s=1e-300)
    with pytest.raises(E.EdgeSimError, match="timeline buckets"):
        E.simulate(E.queue_scenario(0.5, 1.0), duration_s=10.0, seed=0, bucket_s=1e-9)


@pytest.mark.parametrize("cores, match", [(1e30, "whole number"), (0.5, "whole number"), (0, "cores must be > 0")])
def test_09_cores_must_be_whole_and_bounded(cores, match):
    with pytest.raises(E.EdgeSimError, match=match):
        E.Scenario(pd.DataFrame({"rate": [5.0]}), pd.DataFrame({"cores": [cores]}), np.zeros((1, 1)))


def test_10_bursts_that_cannot_hold_a_task_are_refused_not_looped_on():
    dev = pd.DataFrame({"rate": [1.0], "arrival": ["bursty"], "off_s": [0.0], "on_s": [1e-20]})
    with pytest.raises(E.EdgeSimError, match="on/off cycles per task"):
        E.Scenario(dev, pd.DataFrame({"cores": [1]}), np.zeros((1, 1)))


def test_10_long_runs_go_in_slices_that_ctrl_c_can_stop():
    calls = []
    eng_advance = E.Engine.advance

    def spy(self, *a, **k):
        calls.append(k.get("max_events"))
        return eng_advance(self, *a, **k)

    E.Engine.advance = spy
    try:
        E.simulate(E.queue_scenario(0.5, 1.0), n_tasks=1_200_000, seed=0)
    finally:
        E.Engine.advance = eng_advance
    assert len(calls) >= 2 and all(c is not None and c <= 1_000_000 for c in calls)


def test_11_sizes_and_seeds_beyond_int64_are_named_errors():
    with pytest.raises(E.EdgeSimError, match="n_tasks"):
        E.simulate(E.queue_scenario(0.5, 1.0), n_tasks=2**70, duration_s=1.0)
    with pytest.raises(ai.RLError, match="seed"):
        ai.q_learning(ai.TabularEnv.from_gymnasium("FrozenLake-v1"), 100, seed=2**70)
    with pytest.raises(Q.QuantumError, match="1-D vector"):
        Q.bloch_vectors(np.ones((4, 1)) / 2)
    with pytest.raises(E.EdgeSimError, match="tasks"):
        E.simulate(E.queue_scenario(0.5, 1.0), duration_s=1e300)


def test_raw_errors_listed_in_the_report_are_now_named():
    with pytest.raises(E.EdgeSimError, match="duration_s"):
        E.Failures(scheduled=[(0, 1, 1e13)])
    with pytest.raises(E.EdgeSimError, match="max_tries"):
        E.Failures(max_tries=2**64)
    with pytest.raises(WorkbenchError, match="Tier size"):
        cdn.Tier("lru", 1e30)
    with pytest.raises(E.EdgeSimError, match="timeline buckets"):
        E.simulate(E.queue_scenario(0.5, 1.0), n_tasks=10, seed=0, bucket_s=1e-20)
    assert len(ai.MLPRegressor(batch_size=10**9, epochs=1).fit(np.ones((4, 2)), np.ones(4)).history_) == 1  # full batch
    with pytest.raises(WorkbenchError, match="batch_size"):
        ai.MLPRegressor(batch_size=2**63, epochs=1).fit(np.ones((4, 2)), np.ones(4))
    with pytest.raises(Q.QuantumError, match="weight"):
        Q.brute_force_maxcut(__import__("networkx").Graph([(0, 1, {"weight": math.nan}), (1, 2, {})]))
    with pytest.raises(Q.QuantumError, match="non-empty dict"):
        Q.ground_energy({})
    with pytest.raises(Q.QasmError, match="decompose"):
        Q.to_qasm(Q.Circuit(3).unitary(np.eye(2), 1, controls=(0,)))
    pub = C.PrivateKey.from_int(7).public_key
    with pytest.raises(C.SignatureError):
        C.verify(pub, bytes(32), "sig")
    for seed in (-1, -(2**63)):
        for call in (
            lambda: E.build_scenario("Abilene", 10, 2, 1, seed=seed),
            lambda: cdn.zipf_trace(10, 5, seed=seed),
            lambda: Q.random_layered_circuit(3, 2, seed=seed),
            lambda: net.waxman_graph(5, seed=seed),
            lambda: C.p2p_network(10, 3, seed=seed),
            lambda: ai.minimize("sphere", [(0, 1)], seed=seed),
        ):
            with pytest.raises(WorkbenchError, match="seed"):
                call()
    for key in (2**63 - 1, -(2**63)):
        t = cdn.Trace.from_keys([1, key, 5, 1])
        mixed = cdn.scan_mix(t, scan_length=3, every=2, seed=0)
        assert mixed.n_objects == 3 + 2 * 3 and np.isin(t.raw(), mixed.raw()).all()
        flood = cdn.cache_busting_flood(t, [0, 1, 2, 0], 3, share=1.0, seed=0)
        assert flood.trace.n_objects == 3 + 4


# ------------------------------------------------------------------ 2, 3: hand-built public types
def test_02_out_of_range_actions_are_refused_before_the_kernel():
    env = ai.TabularEnv.from_gymnasium("FrozenLake-v1")
    for policy in ([0], [9] * 16, [-1] * 16, [0.5] * 16):
        with pytest.raises(ai.RLError, match="one action"):
            env.rollout(policy, episodes=1000)
    p = in_child("""
        import workbench.ai as ai
        try:
            ai.TabularEnv.from_gymnasium('FrozenLake-v1').rollout([0], episodes=1000)
        except ai.RLError:
            print("named")
    """)
    _named(p, "named")


def test_03_hand_built_types_validate_at_construction_and_before_kernels():
    with pytest.raises(UnknownNodeError, match="arc head"):
        net.CSRGraph(np.array([0, 1]), np.array([2**31 - 1], np.int32), np.array([1.0]), (0,))
    with pytest.raises(NegativeWeightError):
        net.CSRGraph(np.array([0, 1, 2]), np.array([1, 0], np.int32), np.array([-5.0, 1.0]), (0, 1))
    g = net.CSRGraph(np.array([0, 1, 2]), np.array([1, 0], np.int32), np.array([5.0, 1.0]), (0, 1))
    with pytest.raises(ValueError, match="read-only"):
        g.indices[0] = 2**31 - 1  # what was checked is what the kernels see
    with pytest.raises(WorkbenchError, match="ids"):
        cdn.cache_hits(cdn.Trace(np.array([0, 2**30], np.int32), np.array([7])), 1)
    t = cdn.Trace.from_keys([1, 2, 1])
    with pytest.raises(ValueError, match="read-only"):
        t.ids[1] = 99  # the checked arrays are read-only ...
    t.ids.setflags(write=True)
    t.ids[1] = 99  # ... and an edit after making them writeable again is caught before the kernel
    with pytest.raises(WorkbenchError, match="changed after"):
        cdn.cache_hits(t, 1)
    given = np.array([0, 1, 0], np.int32)
    t = cdn.Trace(given, np.array([7, 9]))
    given[0] = 5  # the trace holds its own copy
    assert t.ids.tolist() == [0, 1, 0]
    c = Q.Circuit(2)
    c.ops.append(Q.Op("gate", "x", (40,)))
    with pytest.raises(Q.QubitError, match="qubit 40"):
        Q.simulate(c)
    with pytest.raises(Q.QuantumError):
        Q.Op("gate", "x", (0,), params=(math.nan,))
    env = ai.TabularEnv.from_gymnasium("FrozenLake-v1")
    bad = env.nxt.copy()
    bad[0, 0, 0] = 99
    with pytest.raises(ai.RLError, match="nxt"):
        ai.TabularEnv(env.probs, bad, env.rew, env.done, env.isd, 100)
    env.nxt[0, 0, 0] = -1  # edited in place after construction
    with pytest.raises(ai.RLError, match="nxt"):
        ai.q_learning(env, 10)
    p = in_child("""
        import numpy as np, workbench.net as net, workbench.cdn as cdn, workbench.quantum as Q
        from workbench.errors import WorkbenchError
        for f in (lambda: net.Router(net.CSRGraph(np.array([0, 1]), np.array([2**31 - 1], np.int32), np.array([1.0]), (0,))).distances(0),
                  lambda: cdn.cache_hits(cdn.Trace(np.array([0, 2**30], np.int32), np.array([7])), 1)):
            try:
                f()
            except WorkbenchError:
                print("named")
        c = Q.Circuit(2); c.ops.append(Q.Op('gate', 'x', (40,)))
        try:
            Q.simulate(c)
        except WorkbenchError:
            print("named")
    """)
    assert p.returncode == 0 and p.stdout.count("named") == 3, p.stderr[-2000:]


# ------------------------------------------------------------------ 4: the forgery
A, M = C.PrivateKey.from_int(11), C.PrivateKey.from_int(33)


def _chain():
    return C.Chain(C.ChainConfig(chain_id=1, difficulty_bits=4, alloc={A.address: 1000}))


def _signed():
    return C.Transaction(chain_id=1, nonce=0, to=M.address, value=5, fee=1).sign(A)


def _forgeries():
    from workbench.chain.keys import N

    t = _signed()
    sig = t.signature
    edited = C.Transaction(chain_id=1, nonce=0, to=M.address, value=990, fee=1)
    object.__setattr__(edited, "signature", sig)  # object-level malleation of a frozen dataclass
    raised = C.Transaction(chain_id=1, nonce=0, to=M.address, value=5, fee=1)
    object.__setattr__(raised, "value", 5)
    return {
        "replace(value)": dataclasses.replace(t, value=990),
        "replace(to)": dataclasses.replace(t, to=C.PrivateKey.from_int(99).address),
        "replace(chain_id)": dataclasses.replace(t, chain_id=2),
        "high-S twin": dataclasses.replace(t, signature=C.Signature(sig.r, N - sig.s, sig.v ^ 1)),
        "setattr value": edited,
        "unsigned": raised,
    }


@pytest.mark.parametrize("name", list(_forgeries()))
def test_04_no_forged_transfer_enters_a_mempool_or_a_block(name):
    forged = _forgeries()[name]
    for path in ("mempool", "block"):
        ch = _chain()
        with pytest.raises(C.TxError):
            if path == "mempool":
                C.Mempool(ch).add(forged)
            else:
                ch.add_block(ch.mine_block(M.address, [forged]))
        assert ch.balance(A.address) == 1000 and ch.height == 0


def test_04_the_sender_is_always_the_signer_of_the_exact_fields():
    t = _signed()
    assert t.sender == A.address
    assert dataclasses.replace(t, value=990).sender_bytes != t.sender_bytes  # another (empty) account, never Alice
    with pytest.raises(TypeError):
        C.Transaction(chain_id=1, nonce=0, to=M.address, value=5, fee=1, _sender=bytes(20))
    assert "_sender" not in {f.name for f in dataclasses.fields(C.Transaction)}
    data = bytearray(b"abc")
    t2 = C.Transaction(chain_id=1, nonce=0, to=M.address, value=5, fee=1, data=data).sign(A)
    data[0] = 0  # the caller's buffer changes; the transaction does not
    assert t2.data == b"abc" and t2.sender == A.address


def test_04_a_chain_2_replay_and_a_wrong_chain_block_are_refused():
    t = _signed()
    other = C.Chain(C.ChainConfig(chain_id=2, difficulty_bits=4, alloc={A.address: 1000}))
    with pytest.raises(C.TxError, match="wrong-chain-id"):
        C.Mempool(other).add(t)
    with pytest.raises(C.TxError, match="wrong-chain-id"):
        C.Mempool(other).add(t.serialize())
    with pytest.raises(C.TxError):
        C.Mempool(other).add(dataclasses.replace(t, chain_id=2))  # re-labelled: the signature no longer fits
    with pytest.raises(C.TxError, match="wrong-chain-id"):
        other.add_block(other.mine_block(M.address, [t]))


def test_04_reorged_transactions_are_revalidated_from_their_bytes():
    ch = _chain()
    pool = C.Mempool(ch)
    t = _signed()
    assert pool.add(t) == "pending"
    ch.add_block(ch.mine_block(M.address, pool.select()))
    pool.update()
    assert ch.balance(A.address) == 1000 - 6 and len(pool) == 0
    ch.disconnected_txs = [dataclasses.replace(t, value=990)]  # a tampered object on the reorg path
    pool.update()
    assert len(pool) == 0


# ------------------------------------------------------------------ 5: secrets stay secret
def _secret_forms(key: C.PrivateKey) -> list[str]:
    secret = key.secret_bytes()
    n = int.from_bytes(secret, "big")
    wif = key.to_wif()
    return [secret.hex(), secret.hex().upper(), str(n), wif, key.to_wif(compressed=False), repr(secret)[2:-1]]


def test_05_no_key_material_in_any_message_repr_or_traceback():
    import traceback

    key = C.PrivateKey.generate(seed=12345)
    wif = key.to_wif()
    texts = [repr(key), str(key), repr(C.Wallet(key)), repr(key.public_key)]
    attempts = [
        lambda: C.PrivateKey.from_wif(wif[:-1] + ("2" if wif[-1] != "2" else "3")),
        lambda: C.PrivateKey.from_wif(wif[:10] + "0" + wif[11:]),
        lambda: C.PrivateKey.from_wif(wif[:5]),
        lambda: C.PrivateKey.from_wif(wif.encode()),
        lambda: C.Wallet.from_keystore(C.Wallet(key).to_keystore("pw", kdf="pbkdf2", iterations=2), "wrong"),
        lambda: __import__("pickle").dumps(key),
    ]
    for attempt in attempts:
        try:
            attempt()
        except Exception as exc:  # noqa: BLE001 - every failure is scanned
            texts.append("".join(traceback.format_exception(exc)))
        else:
            raise AssertionError("a malformed key was accepted")
    blob = "\n".join(texts)
    for form in _secret_forms(key):
        assert form not in blob, f"key material leaked: {form[:6]}..."


# ------------------------------------------------------------------ 6, 13, 14: records
def test_06_overwrite_refuses_anything_that_is_not_a_record(tmp_path):
    user = tmp_path / "my_thesis"
    user.mkdir()
    (user / "chapter1.tex").write_text("years of work")
    with pytest.raises(RecordError, match="not a record"):
        save_record(user, pd.DataFrame({"x": [1]}), overwrite=True)
    assert (user / "chapter1.tex").read_text() == "years of work"
    rec = tmp_path / "rec"
    save_record(rec, pd.DataFrame({"x": [1]}))
    (rec / "notes.txt").write_text("mine")
    with pytest.raises(RecordError, match="not part of the record"):
        save_record(rec, pd.DataFrame({"x": [2]}), overwrite=True)
    assert (rec / "notes.txt").exists()
    a_file = tmp_path / "file.csv"
    a_file.write_text("1,2")
    with pytest.raises(RecordError):
        save_record(a_file, pd.DataFrame({"x": [1]}), overwrite=True)
    assert a_file.read_text() == "1,2"


def test_06_leftovers_of_an_interrupted_save_are_cleaned_up(tmp_path):
    save_record(tmp_path / "r", pd.DataFrame({"x": [1]}))
    for suffix in ("1234abcd.partial", "deadbeef.old"):
        (tmp_path / f".r.{suffix}").mkdir()
        (tmp_path / f".r.{suffix}" / "x").write_text("junk")
    (tmp_path / ".other.1234abcd.partial").mkdir()  # another record's: left alone
    save_record(tmp_path / "r", pd.DataFrame({"x": [2]}), overwrite=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".other.1234abcd.partial", "r"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_06_a_read_only_target_is_a_named_error(tmp_path):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        with pytest.raises(RecordWriteError):
            save_record(ro / "r", pd.DataFrame({"x": [1]}))
    finally:
        ro.chmod(stat.S_IRWXU)


def test_06_a_write_the_file_system_refuses_is_a_named_error(tmp_path, monkeypatch):
    def refuse(*a, **k):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("workbench.records.uuid.uuid4", lambda: type("U", (), {"hex": "0" * 32})())
    monkeypatch.setattr("pathlib.Path.mkdir", refuse)
    with pytest.raises(RecordWriteError, match="Permission denied"):
        save_record(tmp_path / "r", pd.DataFrame({"x": [1]}))


def test_13_every_bit_flip_of_record_json_is_refused(tmp_path):
    path = tmp_path / "rec"
    save_record(path, pd.DataFrame({"x": [1.5, 2.5]}), params={"n": 2, "grid": [1, 2]}, seed=3)
    index = path / "record.json"
    original = index.read_bytes()
    loaded = 0
    for i in range(len(original)):
        for bit in range(8):
            flipped = bytearray(original)
            flipped[i] ^= 1 << bit
            index.write_bytes(bytes(flipped))
            try:
                load_record(path)
                loaded += 1
            except RecordError:
                pass
    index.write_bytes(original)
    assert loaded == 0
    assert load_record(path).params == {"n": 2, "grid": [1, 2]}
    for text in ("[1, 2]", '"a string"', "null"):
        index.write_text(text)
        with pytest.raises(RecordError, match="JSON"):
            load_record(path)


@pytest.mark.parametrize(
    "params, match",
    [
        ({1: "a", "b": 2}, "key 1"),
        ({1: "a"}, "key 1"),
        ({"t": (1, 2)}, "tuple"),
        ({"x": np.int64(3)}, "numpy"),
        ({"x": math.nan}, "NaN"),
        ({"x": {"y": [1, (2,)]}}, "tuple"),
        ({"x": math.inf}, "infinity"),
    ],
)
def test_14_parameters_that_would_not_round_trip_are_refused(tmp_path, params, match):
    with pytest.raises(RecordError, match=match):
        save_record(tmp_path / "r", pd.DataFrame({"x": [1]}), params=params)
    assert not (tmp_path / "r").exists()


def test_14_exact_parameters_round_trip(tmp_path):
    params = {"a": 1, "b": 2.5, "c": [1, "x", None, True], "d": {"e": 10**30}, "f": -0.0}
    save_record(tmp_path / "r", pd.DataFrame({"x": [1]}), params=params, seed=2**40)
    back = load_record(tmp_path / "r")
    assert back.params == params and back.seed == 2**40
    assert json.dumps(back.params) == json.dumps(params)


# ------------------------------------------------------------------ 7: Nakamoto's probability
def _nakamoto_exact(q: float, z: int) -> Decimal:
    """Nakamoto's sum in 400-digit decimal arithmetic (no cancellation at this precision)."""
    with localcontext() as ctx:
        ctx.prec = 400
        return _nakamoto_sum(q, z)


def _nakamoto_sum(q, z):
    qd = Decimal(repr(q))
    p = 1 - qd
    lam, r = z * qd / p, qd / p
    total, pois = Decimal(0), (-lam).exp()
    for k in range(z + 1):
        if k:
            pois = pois * lam / k
        total += pois * (1 - r ** (z - k))
    return 1 - total


@pytest.mark.parametrize("q, z", [(0.1, 1), (0.3, 5), (0.1, 10), (0.45, 50), (0.25, 300), (0.3, 1750), (0.49, 2000)])
def test_07_nakamoto_probability_is_stable(q, z):
    got, want = C.nakamoto_probability(q, z), float(_nakamoto_exact(q, z))
    assert got >= 0 and abs(got - want) <= 1e-10 * want + 1e-300
    if (q, z) == (0.3, 1750):
        assert 1e-211 < got < 1e-209


def test_07_nakamoto_probability_is_fast_and_bounded():
    import time

    t = time.process_time()
    assert C.nakamoto_probability(0.4999999, 10**6) > 0.99
    assert C.nakamoto_probability(0.1, 6000) == 0.0  # below the smallest double: 0, never negative
    assert time.process_time() - t < 5


# ------------------------------------------------------------------ 8: sweeps
def test_08_a_seed_in_the_grid_is_a_named_clash():
    with pytest.raises(SweepError, match="seed"):
        workbench.sweep(lambda x, seed: seed, {"x": [1], "seed": [5, 6, 7]}, progress=False)
    df = workbench.sweep(lambda x, seed: seed, {"x": [1], "seed": [5, 6, 7]}, seeds=None, progress=False)
    assert df.value.tolist() == [5, 6, 7]


# ------------------------------------------------------------------ 12: chain files
def test_12_every_truncation_of_a_chain_file_is_refused(tmp_path):
    ch = _chain()
    for i in range(4):
        tx = C.Transaction(chain_id=1, nonce=i, to=M.address, value=5, fee=1).sign(A)
        ch.add_block(ch.mine_block(M.address, [tx]))
    path = tmp_path / "chain.bin"
    ch.save(path)
    data = path.read_bytes()
    for cut in range(len(data)):
        path.write_bytes(data[:cut])
        with pytest.raises(C.ChainIntegrityError):
            C.Chain.load(path)
    path.write_bytes(data)
    assert C.Chain.load(path).tip == ch.tip


# ------------------------------------------------------------------ 15, 16, 18, 19: CDN
def test_15_oracle_general_refuses_what_it_cannot_hold(tmp_path):
    for kw, match in [
        ({"sizes": [2**32 + 5, 10], "times": [0.0, 1.0]}, "uint32"),
        ({"sizes": [2**32, 10], "times": [0.0, 1.0]}, "uint32"),
        ({"sizes": [5, 10], "times": [0.5, 1.7]}, "whole seconds"),
        ({"times": [-1.0, 1.0]}, "whole seconds"),
    ]:
        with pytest.raises(cdn.TraceFormatError, match=match):
            cdn.write_oracle_general(cdn.Trace.from_keys([1, 2], **kw), tmp_path / "t.bin")
    t = cdn.Trace.from_keys([1, 2, 1], sizes=[2**32 - 1, 7, 2**32 - 1], times=[0.0, 5.0, 2**32 - 1.0])
    back = cdn.read_oracle_general(cdn.write_oracle_general(t, tmp_path / "ok.bin"))
    assert back.sizes.tolist() == t.sizes.tolist() and back.times.tolist() == t.times.tolist()


def test_16_jump_hash_is_correct_or_refused():
    out = cdn.jump_hash(np.arange(10000), 2**31 - 1)
    assert out.min() >= 0 and out.max() < 2**31 - 1
    with pytest.raises(WorkbenchError, match="n_buckets"):
        cdn.jump_hash(np.arange(10000), 2**33)


def test_18_cdn_latencies_and_policy_parameters_are_checked():
    t = cdn.zipf_trace(400, 40, seed=0)
    pops = cdn.load_pops("cloudflare").head(4)
    rp = np.arange(400) % 4
    for bad in (-1e6, math.nan, math.inf):
        with pytest.raises(WorkbenchError, match="origin_ms"):
            cdn.simulate_cdn(t, rp, pops, origin_ms=bad)
    for policy, params in (
        ("s3fifo", {"ghost_ratio": math.inf}),
        ("2q", {"out_ratio": math.inf}),
        ("s3fifo", {"small_ratio": 1.0}),
        ("clock", {"bits": 9}),
    ):
        with pytest.raises(WorkbenchError, match=next(iter(params))):
            cdn.cache_hits(t, 10, policy, **params)
        with pytest.raises(WorkbenchError, match=next(iter(params))):
            cdn.Tier(policy, 0.1, params)


def test_19_wtinylfu_on_huge_objects_fits_in_memory():
    hits = cdn.cache_hits(cdn.Trace.from_keys(np.arange(200) % 20, sizes=np.full(200, 10**8)), 0.5, "wtinylfu")
    assert hits.shape == (200,)


# ------------------------------------------------------------------ 17, 20: quantum
def test_17_binding_a_parameter_to_nan_is_a_named_error():
    qc = Q.Circuit(1).rx(Q.Parameter("t"), 0)
    for v in (math.nan, math.inf, "x", None):
        with pytest.raises(Q.QuantumError, match="'t'"):
            Q.statevector(qc.bind(t=v))
    assert np.allclose(Q.statevector(qc.bind(t=np.float32(0.0))), [1, 0])


def test_20_shor_refuses_impossible_sizes_up_front_and_takes_numpy_integers():
    import time

    t = time.process_time()
    with pytest.raises(Q.TooManyQubitsError):
        Q.shor(1000003 * 1000033)
    with pytest.raises(Q.TooManyQubitsError):
        Q.order_finding(2, 1025)
    assert time.process_time() - t < 2
    assert Q.shor(np.int64(15), seed=0).factors == (3, 5)
    assert Q.shor(15, a=np.int64(7)).factors == (3, 5)


# --- found while documenting the API: each was a raw error, a hang or a wrong answer ------------------------


def test_chain_crypto_inputs_are_named_errors():
    from workbench.chain import bitcoin as B
    from workbench.chain import hashes as H
    from workbench.chain import keys as K
    from workbench.chain import toy_ecdsa as T

    with pytest.raises(WorkbenchError, match="k"):
        T.scalar_mult(-1)  # used to loop forever
    block = B.load_block(100000)
    tx, spent = block.transactions[1], block.spent_outputs[1][0].script_pubkey
    for index in (-1, 5, 1.0):
        with pytest.raises(B.BitcoinFormatError, match="input index"):
            B.verify_p2pkh_input(tx, index, spent)
        with pytest.raises(B.BitcoinFormatError, match="input index"):
            B.legacy_sighash(tx, index, spent)
    bad = dataclasses.replace(tx, inputs=(dataclasses.replace(tx.inputs[0], script_sig=b"\x01\x30"),))
    with pytest.raises(B.BitcoinFormatError, match="push"):
        B.verify_p2pkh_input(bad, 0, spent)
    with pytest.raises(B.BitcoinFormatError, match="spent output"):
        B.block_table(B.BtcBlock(block.header, block.transactions, ()))
    assert B.bits_to_target(np.uint32(0x1D00FFFF)) == B.bits_to_target(0x1D00FFFF)
    assert B.target_to_bits(np.int64(2**60)) == B.target_to_bits(2**60)
    # WIF: the byte after the secret, if any, must be the compression flag 0x01
    wif = H.b58check_encode(b"\x80" + bytes(31) + b"\x01" + b"\x02")
    with pytest.raises(K.InvalidKeyError, match="0x01"):
        K.PrivateKey.from_wif(wif)
    # signatures: integers (numpy too) for r and s, exactly 0 or 1 for v
    sig = K.Signature(np.int64(5), np.int64(7), 1)
    assert type(sig.r) is int and len(bytes(sig)) == 65
    for v in (True, 1.0):
        with pytest.raises(K.SignatureError, match="recovery id"):
            K.Signature(5, 7, v)
    key = K.PrivateKey.from_int(3)
    high = K.Signature(5, K.N - 7, 0)
    with pytest.raises(K.SignatureError):
        K.verify(key.public_key, b"short", high, allow_high_s=False)  # the digest is checked first
    assert H.varint(np.int64(300)) == H.varint(300)
    with pytest.raises(WorkbenchError, match="varint"):
        H.varint(2**64)


def test_cdn_and_net_inputs_are_named_errors_and_right_answers(tmp_path):
    trace = cdn.zipf_trace(2_000, 191, seed=0)
    with pytest.raises(WorkbenchError, match="distinct"):
        cdn.compare_policies(trace, [10], ["lru", "lru"])
    df = cdn.compare_policies(trace, [10], ["LRU", "OPT", "fifo"])  # names in any case
    assert sorted(df.policy) == ["fifo", "lru", "opt"]
    with pytest.raises(WorkbenchError, match="same cache size"):
        cdn.compare_policies(trace, [0.1, int(0.1 * trace.footprint)], ["lru"])
    # a failed PoP's clients go to the nearest live PoP, whatever the frame's index
    pops = cdn.load_pops("aws").iloc[50:]
    failed = list(pops.code)[:-1]  # all but one: the fallback search runs
    pop, km = cdn.fail_pops([48.85], [2.35], pops, [0], failed)
    from workbench.net.geo import great_circle_km

    live = pops.iloc[int(pop[0])]
    assert live.code == pops.code.iloc[-1]
    assert km[0] == pytest.approx(great_circle_km(48.85, 2.35, live.lat, live.lon), rel=1e-6)
    one, _ = cdn.fail_pops([48.85], [2.35], pops, [0], pops.code.iloc[0])  # one code as a string
    assert one.shape == (1,)
    router = net.Router(net.load_topology("Abilene"))
    with pytest.raises(WorkbenchError, match="node indices"):
        router.pairs_by_index(np.array([0, 999], np.int32), np.array([1, 2], np.int32))
    with pytest.raises(WorkbenchError, match="differ in length"):
        router.pairs_by_index([0, 1], [1])
    tiers = {f"l{i}": cdn.Tier("lru", 0.1 * i) for i in (1, 2, 3)}
    res = cdn.simulate_cdn(trace, np.arange(2_000) % 4, cdn.load_pops("cloudflare").head(4), **tiers)
    with pytest.raises(WorkbenchError, match="buckets"):
        res.load_by_pop(buckets=0)
    with pytest.raises(WorkbenchError, match="buckets"):
        res.timeline(buckets=-1)
    p = tmp_path / "t.csv"
    p.write_text("key,size,time\n1,1.5,0\n2,3,1\n")
    with pytest.raises(cdn.TraceFormatError, match="whole number"):
        cdn.read_csv(p, "key", "size", "time")
    p.write_text("key,size,time\n1,1,0\n2,3,noon\n")
    with pytest.raises(cdn.TraceFormatError, match="time 'noon'"):
        cdn.read_csv(p, "key", "size", "time")


def test_shared_tools_inputs_are_named_errors(tmp_path):
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook

    from workbench.app import parameterised_copy
    from workbench.errors import UnknownNameError
    from workbench.nbio import NotebookError
    from workbench.report import build_reports
    from workbench.teach import write_student_copies
    from workbench.timing import race, time_call
    from workbench.viz import LiveCurve, route_explorer

    with pytest.raises(WorkbenchError, match="number"):
        time_call(lambda: 1, number=0)
    with pytest.raises(UnknownNameError, match="baseline"):
        race({"a": lambda: 1}, baseline="b")
    with pytest.raises(NotebookError, match="non-empty list"):
        build_reports([], out=tmp_path)
    with pytest.raises(NotebookError, match="non-empty list"):
        write_student_copies([], out=tmp_path)
    nb = tmp_path / "lesson.ipynb"
    nbformat.write(new_notebook(cells=[new_code_cell("N = 1", metadata={"tags": ["parameters"]})]), nb)
    with pytest.raises(NotebookError, match="replace the notebook"):
        parameterised_copy(nb, {"N": 2}, tmp_path)
    assert LiveCurve(show=False).chart().to_dict()  # before the first epoch: an empty chart
    with pytest.raises(UnknownNodeError, match="nope"):
        route_explorer(net.load_topology("Abilene"), source="nope")


def test_quantum_inputs_are_named_errors_and_right_answers():
    from workbench.quantum.circuit import QuantumError

    # a reset mid-circuit collapses differently in each shot: both outcomes of the copied coin appear
    qc = Q.Circuit(2, 2)
    qc.h(0).cx(0, 1).reset(0).cx(1, 0).measure(0, 0).measure(1, 1)
    counts = Q.sample_counts(qc, 2000, seed=1)
    assert set(counts) == {"00", "11"} and 850 < counts["00"] < 1150
    with pytest.raises(QuantumError, match="unitary"):
        Q.equivalent(qc, Q.Circuit(2, 2))
    # passes that merge, cancel or route gates refuse classically conditioned gates instead of dropping them
    from workbench.quantum import passes

    cond = Q.Circuit(2, 1)
    cond.h(0).measure(0, 0)
    cond.if_test(0, 1, Q.Circuit(1).x(0), qubits=[1])
    for p in (passes.cancel_and_merge, passes.optimize_1q, passes.elide_swaps, passes.consolidate_2q):
        with pytest.raises(QuantumError, match="conditioned"):
            p(cond)
    from workbench.quantum.routing import route

    with pytest.raises(QuantumError, match="conditioned"):
        route(cond, Q.coupling_map("line", 2))
    # library gate matrices are read-only from the first call; bad names and angles are named errors
    assert not Q.gate_matrix("h").flags.writeable
    with pytest.raises(WorkbenchError, match="gate"):
        Q.gate_matrix("nope")
    with pytest.raises(WorkbenchError, match="angle"):
        Q.gate_matrix("rx")
    with pytest.raises(WorkbenchError, match="angle"):
        Q.gate_matrix("rx", float("nan"))
    # a measurement has no matrix; probabilities checks the kept qubits
    m = Q.Circuit(1, 1).measure(0, 0)
    with pytest.raises(QuantumError, match="no matrix"):
        m.ops[0].matrix()
    res = Q.simulate(Q.Circuit(2).h(0))
    assert np.allclose(res.probabilities([0]), [0.5, 0.5])
    for bad in ([2], [0, 0], [0.5]):
        with pytest.raises(QuantumError):
            res.probabilities(bad)
    with pytest.raises(QuantumError, match="seed"):
        Q.sample_counts(m, 10, seed="x")
    with pytest.raises(QuantumError, match="at least one"):
        Q.mcz(Q.Circuit(2), [])
    assert Q.qft(3, inverse=True).name == "iqft" and Q.qft(3).name == "qft"
    g = __import__("networkx").Graph([(0, 1), (1, 1)])
    with pytest.raises(QuantumError, match="self-loop"):
        Q.qaoa_circuit(g, 1, [0.1], [0.2])
    with pytest.raises(QuantumError, match="noise model"):
        Q.crossing_point(Q.repetition_code(3), noise="dephasing")


def test_chain_inputs_are_named_errors():
    from workbench.chain.keys import PrivateKey
    from workbench.chain.node import proposer_for_slot

    keys = [PrivateKey.from_int(i + 1) for i in range(3)]
    alloc = {k.address: 1_000 for k in keys}
    for field, bad in (("block_reward", -1), ("max_block_txs", 0), ("min_fee", 1.5), ("retarget_interval", 1)):
        with pytest.raises(C.ConfigError, match=field):
            C.ChainConfig(chain_id=7, alloc=alloc, difficulty_bits=8, **{field: bad})
    stakes = {bytes([i]) * 20: 10 for i in range(1, 4)}
    assert proposer_for_slot(stakes, np.int64(5), b"s") == proposer_for_slot(stakes, 5, b"s")
    for slot in (-1, 2.5):
        with pytest.raises(C.ConfigError, match="slot"):
            proposer_for_slot(stakes, slot, b"s")
    pool = C.Mempool(C.Chain(C.ChainConfig(chain_id=7, alloc=alloc, difficulty_bits=8)))
    assert pool.select(0) == []
    with pytest.raises(WorkbenchError, match="max_txs"):
        pool.select(-1)
    # a PoS chain whose producer entry lacks the slot's proposer: a named error, not a KeyError
    pos = C.Chain(C.ChainConfig(chain_id=8, alloc=alloc, consensus="pos", validators={k.address: 10 for k in keys}))
    with pytest.raises(WorkbenchError, match="no key"):
        C.run_chains({"P": pos}, {"P": {}}, until_s=60)
    # eclipse: interval, confirmations and an honest miner are checked
    D = np.full((4, 4), 50.0)
    np.fill_diagonal(D, 0)
    for kw, match in (({"interval_s": 0}, "interval_s"), ({"confirmations": 0}, "confirmations")):
        with pytest.raises(WorkbenchError, match=match):
            C.eclipse_experiment(D, [0, 0.3, 0.4, 0.3], 0, 1, duration_s=600, **kw)
    with pytest.raises(WorkbenchError, match="honest side"):
        C.eclipse_experiment(D, [0, 1.0, 0, 0], 0, 1, duration_s=600)


def test_ai_and_edge_inputs_are_named_errors():
    with pytest.raises(WorkbenchError, match="target"):
        ai.reinforce(episodes=5, target=0, seed=0)  # a target the kernel would read as "never stop"
    with pytest.raises(E.SchedulingInputError, match="seed"):
        E.random_dag(5, 2, seed="x")
    r = ai.minimize("sphere", [(-5, 5)] * 2, method="de", budget=200, seed=0)
    assert type(r.compiled) is bool
