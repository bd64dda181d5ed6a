"""The results folder: damaged files are named and recomputed, holes are filled, no temporary file stays."""

import json

import pyarrow.parquet as pq
import pytest

from adoption import ParamError
from adoption.cli import main
from experiments.spec import Spec
from experiments.store import Store
from experiments.sweep import run_sweep

TINY = {"employees": 40, "customers": 100, "steps": 8}


def spec():
    return Spec.from_dict({"base": TINY, "sweep": {"replicates": 2, "seed": 4},
                           "vary": {"initial_believers": [0.05, 0.1, 0.2]}})


def whole_table(tmp_path):
    run_sweep(spec(), tmp_path / "whole", workers=1, progress=False)
    return Store(tmp_path / "whole").table()


def test_resume_fills_a_store_with_holes(tmp_path):
    """Runs 0, 2 and 5 stored (not a prefix): resume computes exactly 1, 3, 4 and the table is whole."""
    whole = whole_table(tmp_path)
    store = Store.create(tmp_path / "holes", spec())
    for run in (0, 2, 5):
        store.append([whole.slice(run, 1).to_pylist()[0]])
    assert store.done() == {0, 2, 5}
    report = run_sweep(spec(), tmp_path / "holes", workers=1, resume=True, progress=False)
    assert (report.before, report.new) == (3, 3)
    resumed = Store(tmp_path / "holes").table()
    assert resumed["run"].to_pylist() == list(range(6)) and resumed.equals(whole)


def torn(path):
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def flipped(path):
    data = bytearray(path.read_bytes())
    data[len(data) // 3] ^= 0xFF  # inside a data page: only the page checksum notices
    path.write_bytes(bytes(data))


def no_run_column(path):
    table = pq.read_table(path)
    pq.write_table(table.drop_columns(["run"]), path)


@pytest.mark.parametrize("damage", [torn, flipped, no_run_column, lambda path: path.write_bytes(b"")])
def test_a_damaged_part_is_named_by_results_and_analyse_and_recomputed_by_resume(tmp_path, capsys, damage):
    whole = whole_table(tmp_path)
    out = tmp_path / "out"
    store = Store.create(out, spec())
    for run in range(6):  # one part per run, as a sweep killed before compaction leaves them
        store.append([whole.slice(run, 1).to_pylist()[0]])
    victim = sorted((out / "parts").glob("part-*.parquet"))[3]
    damage(victim)
    for command in (["results", str(out)], ["analyse", str(out), "--phase", "initial_believers", "seed"]):
        assert main(command) == 2
        error = capsys.readouterr().err
        assert victim.name in error and "damaged" in error and "--resume" in error, error
        assert len(error.strip().splitlines()) == 1
    report = run_sweep(spec(), out, workers=1, resume=True, progress=False)
    assert report.damaged == [str(victim)] and report.new == 1
    assert Store(out).table().equals(whole)


def test_a_damaged_results_file_and_sweep_json_are_clear_errors(tmp_path, capsys):
    whole_table(tmp_path)
    out = tmp_path / "whole"
    torn(out / "results.parquet")
    assert main(["results", str(out)]) == 2
    assert "results.parquet: damaged (torn" in capsys.readouterr().err
    assert run_sweep(spec(), out, workers=1, resume=True, progress=False).new == 6
    (out / "sweep.json").write_text("{not json")
    assert main(["results", str(out)]) == 2
    assert "sweep.json: damaged" in capsys.readouterr().err
    (out / "sweep.json").write_text(json.dumps({"name": "x", "runs": "many"}))
    assert main(["analyse", str(out)]) == 2
    assert "sweep.json: damaged" in capsys.readouterr().err
    with pytest.raises(ParamError, match="sweep.json: damaged"):
        run_sweep(spec(), out, workers=1, resume=True, progress=False)


def test_no_temporary_file_outlives_a_compaction(tmp_path):
    """A kill during compaction left a 0-byte .tmp-results-*.parquet for good."""
    out = tmp_path / "out"
    run_sweep(spec(), out, workers=1, progress=False)
    (out / ".tmp-results-deadbeef.parquet").write_bytes(b"")
    (out / "parts" / ".tmp-part-00000000-00000001-deadbeef.parquet").write_bytes(b"PAR1")
    Store(out).compact()
    assert not list(out.rglob(".tmp-*"))
    assert Store(out).table().num_rows == 6
