"""workbench.sweep: grids, seeds and tidy results, in-process and on a 2-worker Dask LocalCluster."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import workbench
from workbench.edge.queueing import simulate_queue
from workbench.sweeps import SweepError, grid_cells, local_cluster, sweep


def test_a_grid_times_seeds_gives_one_tidy_row_each_in_grid_order():
    df = sweep(simulate_queue, {"lam": [0.5, 0.8], "mu": [1.0]}, seeds=(1, 2), progress=False)
    assert list(df.columns[:3]) == ["lam", "mu", "seed"] and len(df) == 4
    assert df[["lam", "seed"]].values.tolist() == [[0.5, 1], [0.5, 2], [0.8, 1], [0.8, 2]]
    again = simulate_queue(0.8, 1.0, seed=2)
    assert df.iloc[3].wait_mean_s == again.wait_mean_s  # each row is exactly the function's own result
    assert (df.groupby("lam").wait_mean_s.mean().diff().dropna() > 0).all()  # busier queue, longer wait
    assert workbench.sweep is sweep


def test_results_may_be_numbers_series_or_frames_and_seeds_optional():
    frames = sweep(
        lambda n, seed: pd.DataFrame({"i": range(n), "r": np.random.default_rng(seed).random(n)}),
        {"n": [2, 3]},
        seeds=(0,),
        progress=False,
    )
    assert len(frames) == 5 and list(frames.columns) == ["n", "seed", "i", "r"]
    plain = sweep(lambda a, b: a * b, [{"a": 2, "b": 3}, {"a": 4, "b": 5}], seeds=None, progress=False)
    assert plain.value.tolist() == [6, 20] and "seed" not in plain
    series = sweep(lambda x, seed: pd.Series({"twice": 2 * x}), {"x": [1]}, progress=False)
    assert series.twice.tolist() == [2]


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: sweep(simulate_queue, {"lam": 0.5}), "must be a list of values"),
        (lambda: sweep(simulate_queue, {"lam": []}), "is empty"),
        (lambda: sweep(simulate_queue, "lam"), "grid must be"),
        (lambda: sweep(simulate_queue, {"lam": [0.5]}, seeds=[1.5]), "seeds must be"),
        (lambda: sweep(simulate_queue, {"lam": [0.5]}, seeds=[]), "seeds must be"),
        (lambda: sweep(42, {"x": [1]}), "callable"),
        (lambda: sweep(lambda x, seed: object(), {"x": [1]}, progress=False), "returned object"),
        (lambda: sweep(lambda x, seed: {"x": x + 1}, {"x": [1]}, progress=False), "differs from the parameter"),
    ],
)
def test_bad_grids_and_results_are_named(call, match):
    with pytest.raises(SweepError, match=match):
        call()


def test_grid_cells():
    assert grid_cells({"a": [1, 2], "b": ["x"]}) == [{"a": 1, "b": "x"}, {"a": 2, "b": "x"}]
    assert grid_cells({}) == [{}]


def test_the_same_grid_gives_identical_results_on_a_local_dask_cluster():
    pytest.importorskip("distributed")
    grid = {"lam": [0.5, 0.9], "mu": [1.0], "c": [1, 2]}
    serial = sweep(simulate_queue, grid, seeds=(3, 4), progress=False)
    with local_cluster(2) as client:
        assert client.cluster.scheduler_address.startswith("tcp://127.0.0.1")
        threads = client.run(lambda: __import__("os").environ.get("NUMBA_NUM_THREADS"))
        assert set(threads.values()) == {"1"} and len(threads) == 2
        distributed = sweep(simulate_queue, grid, seeds=(3, 4), client=client, progress=False)
    pd.testing.assert_frame_equal(serial, distributed)
    with pytest.raises(SweepError, match="n_workers"):
        local_cluster(0)


def test_closing_the_client_stops_its_workers():
    pytest.importorskip("distributed")
    client = local_cluster(1)
    cluster = client.cluster
    assert len(client.scheduler_info()["workers"]) == 1 and client.dashboard_link.startswith("http://127.0.0.1")
    client.close()
    assert cluster.status.name == "closed"


def test_a_sweep_can_be_recorded_and_reloaded_bit_identical(tmp_path):
    from workbench.records import load_record

    df = sweep(simulate_queue, {"lam": [0.5, 0.7], "mu": [1.0]}, seeds=(1,), progress=False, record=tmp_path / "q")
    back = load_record(tmp_path / "q")
    pd.testing.assert_frame_equal(back.frames["results"], df, check_exact=True)
    assert back.params["function"].endswith("simulate_queue") and back.params["seeds"] == [1]
    assert back.params["grid"] == [{"lam": 0.5, "mu": 1.0}, {"lam": 0.7, "mu": 1.0}] and len(back.content_hash) == 64
    assert not df.attrs  # nothing rides in .attrs
