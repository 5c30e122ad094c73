"""Experiment records: bit-identical round trips, hashes, versions, atomic writes."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from workbench.records import RecordError, load_record, save_record


def _frame():
    return pd.DataFrame(
        {
            "f": np.array([0.1, -0.0, np.nan, np.inf, -np.inf, 1e-310]),
            "i": np.arange(6, dtype=np.int64) - 3,
            "b": [True, False, True, True, False, False],
            "s": ["a", "bé", "", "d", "e", "f"],
            "c": pd.Categorical(["x", "y", "x", "x", "y", "y"]),
            "t": pd.date_range("2026-01-01", periods=6, freq="h", tz="UTC"),
        },
        index=pd.Index([10, 11, 12, 13, 14, 15], name="row"),
    )


def test_frames_come_back_bit_identical_with_params_seed_and_versions(tmp_path):
    from workbench.sweeps import sweep

    swept = sweep(lambda x, seed: {"y": x / 3 + seed}, {"x": [1, 2, 3]}, seeds=(0, 1), progress=False)
    rec = save_record(tmp_path / "run", {"mixed": _frame(), "sweep": swept}, params={"grid": {"x": [1, 2, 3]}}, seed=7)
    back = load_record(tmp_path / "run")
    for name in ("mixed", "sweep"):
        pd.testing.assert_frame_equal(back.frames[name], rec.frames[name], check_exact=True)
    a, b = back.frames["mixed"].f.to_numpy(), _frame().f.to_numpy()
    assert np.array_equal(a.view(np.int64), b.view(np.int64))  # -0.0, NaN and subnormals bit for bit
    assert back.params == {"grid": {"x": [1, 2, 3]}} and back.seed == 7
    assert back.meta["versions"]["workbench"] and back.meta["versions"]["numba"]
    assert len(back.content_hash) == 64 and back.content_hash == rec.content_hash
    save_record(tmp_path / "same", {"mixed": _frame(), "sweep": swept}, params={"grid": {"x": [1, 2, 3]}}, seed=7)
    assert load_record(tmp_path / "same").content_hash == rec.content_hash  # the hash is of content, not time
    other = save_record(tmp_path / "other", {"mixed": _frame(), "sweep": swept}, params={"grid": {"x": [1, 2]}}, seed=7)
    assert other.content_hash != rec.content_hash


def test_an_existing_record_is_replaced_only_when_asked(tmp_path):
    save_record(tmp_path / "r", pd.DataFrame({"x": [1]}))
    with pytest.raises(RecordError, match="exists"):
        save_record(tmp_path / "r", pd.DataFrame({"x": [2]}))
    save_record(tmp_path / "r", pd.DataFrame({"x": [2]}), overwrite=True)
    assert load_record(tmp_path / "r").frames["results"].x.tolist() == [2]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r"]  # no temporary folders left behind


def test_a_crash_mid_write_leaves_no_record_and_partial_or_altered_records_are_refused(tmp_path, monkeypatch):
    class Unwritable(pd.DataFrame):
        def to_parquet(self, *a, **k):
            raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        save_record(tmp_path / "crash", {"a": pd.DataFrame({"x": [1]}), "b": Unwritable({"x": [2]})})
    assert not (tmp_path / "crash").exists() and list(tmp_path.iterdir()) == []

    rec_dir = tmp_path / "ok"
    save_record(rec_dir, pd.DataFrame({"x": [1.5]}), params={"k": 1})
    partial = tmp_path / ".ok.1234.partial"
    partial.mkdir()
    (partial / "record.json").write_text((rec_dir / "record.json").read_text())
    with pytest.raises(RecordError, match="partially written"):
        load_record(partial)
    with pytest.raises(RecordError, match="not a record"):
        load_record(tmp_path / "nothing")
    doc = json.loads((rec_dir / "record.json").read_text())
    (rec_dir / "record.json").write_text(json.dumps({**doc, "complete": False}))
    with pytest.raises(RecordError, match="not a complete record"):
        load_record(rec_dir)
    (rec_dir / "record.json").write_text(json.dumps({**doc, "params": {"k": 2}}))
    with pytest.raises(RecordError, match="altered"):
        load_record(rec_dir)
    (rec_dir / "record.json").write_text(json.dumps(doc, sort_keys=True, indent=2) + "\n")
    pd.DataFrame({"x": [9.5]}).to_parquet(rec_dir / "results.parquet")
    with pytest.raises(RecordError, match="altered"):
        load_record(rec_dir)
    (rec_dir / "record.json").write_text('{"complete": tr')
    with pytest.raises(RecordError, match="not valid JSON"):
        load_record(rec_dir)


@pytest.mark.parametrize(
    "frames, kw, match",
    [
        ({}, {}, "non-empty dict"),
        ({"bad name": pd.DataFrame()}, {}, "identifiers"),
        ({"a": [1, 2]}, {}, "not a DataFrame"),
        (pd.DataFrame({"x": [1]}), {"params": {"f": object()}}, "would not load back"),
    ],
)
def test_bad_input_is_named(tmp_path, frames, kw, match):
    with pytest.raises(RecordError, match=match):
        save_record(tmp_path / "r", frames, **kw)
