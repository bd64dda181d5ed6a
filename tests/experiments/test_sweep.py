"""Sweeps: the same rows on 1 or 2 workers or a Dask cluster, nothing lost when killed, errors recorded."""

import os
import signal
import subprocess
import sys
import time

import pytest

from experiments.spec import Spec
from experiments.store import Store
from experiments.sweep import run_sweep

TINY = {"employees": 60, "customers": 300, "steps": 20}


def grid_spec(replicates=3):
    return Spec.from_dict({"base": TINY, "sweep": {"replicates": replicates, "seed": 11, "series": ["believers"]},
                           "vary": {"initial_believers": [0.05, 0.15], "customer_feedback": [0.0, 1.0, 2.0]}})


def test_one_and_two_workers_give_bit_identical_tables(tmp_path):
    spec = grid_spec()
    run_sweep(spec, tmp_path / "one", workers=1, progress=False)
    report = run_sweep(spec, tmp_path / "two", workers=2, chunk=2, progress=False)
    one, two = Store(tmp_path / "one").table(), Store(tmp_path / "two").table()
    assert report.new == spec.runs == one.num_rows
    assert one.equals(two), "1-worker and 2-worker sweeps differ"
    assert one["run"].to_pylist() == list(range(spec.runs))
    assert len(set(one["seed"].to_pylist())) == 3  # one seed per replicate


def test_dask_local_cluster_equals_the_local_run(tmp_path):
    from dask.distributed import LocalCluster

    spec = grid_spec(replicates=2)
    run_sweep(spec, tmp_path / "local", workers=1, progress=False)
    with LocalCluster(n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None) as cluster:
        report = run_sweep(spec, tmp_path / "dask", scheduler=cluster.scheduler_address, progress=False)
    assert report.new == spec.runs
    assert Store(tmp_path / "dask").table().equals(Store(tmp_path / "local").table())


def test_resume_after_kill_9_computes_only_the_missing_runs(tmp_path):
    """Really kill a sweep (SIGKILL) half way; --resume finishes it; the table equals an uninterrupted one."""
    spec_file = tmp_path / "spec.toml"
    spec_file.write_text(
        "[sweep]\nreplicates = 12\nseed = 3\n[base]\nemployees = 60\ncustomers = 300\nsteps = 20\n"
        "[vary]\ninitial_believers = [0.05, 0.1, 0.15, 0.2, 0.25]\ncustomer_feedback = [0.0, 1.0, 2.0]\n")
    out = tmp_path / "killed"
    child = subprocess.Popen([sys.executable, "-m", "adoption.cli", "sweep", str(spec_file), "--out", str(out),
                              "--workers", "1", "--json"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(list((out / "parts").glob("part-*.parquet"))) < 3:
        if child.poll() is not None:
            pytest.fail(f"sweep ended before it could be killed: {child.stderr.read().decode()}")
        time.sleep(0.01)
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL
    from experiments.spec import load

    spec = load(spec_file)
    stored = Store(out).done()
    assert 0 < len(stored) < spec.runs, f"kill landed at {len(stored)} of {spec.runs} runs"

    report = run_sweep(spec, out, workers=2, resume=True, progress=False)
    assert report.before == len(stored) and report.new == spec.runs - len(stored)
    resumed = Store(out).table()
    run_sweep(spec, tmp_path / "whole", workers=1, progress=False)
    whole = Store(tmp_path / "whole").table()
    assert resumed["run"].to_pylist() == list(range(spec.runs)), "duplicate or missing runs"
    assert resumed.equals(whole)


def test_a_run_that_raises_is_recorded_not_fatal(tmp_path, monkeypatch):
    from adoption import model

    real = model.Model.run

    def run(self):  # a model bug in one corner of parameter space
        if self.params.customer_feedback > 1.5:
            raise ZeroDivisionError("a corner of parameter space")
        return real(self)
    monkeypatch.setattr(model.Model, "run", run)
    spec = Spec.from_dict({"base": TINY, "vary": {"customer_feedback": [1.0, 2.0]}})
    report = run_sweep(spec, tmp_path / "out", workers=1, progress=False)
    table = Store(tmp_path / "out").table()
    assert report.failed == 1 and table.num_rows == 2
    errors = table["error"].to_pylist()
    assert errors[0] is None and errors[1] == "ZeroDivisionError: a corner of parameter space", errors
    assert table["final_employees"].to_pylist()[1] is None


def test_a_bad_network_file_stops_the_sweep_before_any_run(tmp_path):
    from adoption import ParamError

    broken = tmp_path / "broken.graphml"
    broken.write_text("this is not a graph")
    with pytest.raises(ParamError, match="broken.graphml"):
        Spec.from_dict({"base": TINY, "vary": {"network": ["org_chart", str(broken)]}})


def test_an_existing_sweep_is_not_overwritten_nor_resumed_with_another_spec(tmp_path):
    from adoption import ParamError

    run_sweep(grid_spec(1), tmp_path / "out", workers=1, progress=False)
    with pytest.raises(ParamError, match="already holds a sweep; add --resume"):
        run_sweep(grid_spec(1), tmp_path / "out", workers=1, progress=False)
    with pytest.raises(ParamError, match="holds a different sweep"):
        run_sweep(grid_spec(2), tmp_path / "out", workers=1, resume=True, progress=False)
    assert run_sweep(grid_spec(1), tmp_path / "out", workers=1, resume=True, progress=False).new == 0


def test_outputs_keep_only_the_named_summaries(tmp_path):
    spec = Spec.from_dict({"base": TINY, "sweep": {"outputs": ["weeks_to_50"]}, "vary": {"threshold": [0.3, 0.5]}})
    run_sweep(spec, tmp_path / "out", workers=1, progress=False)
    columns = Store(tmp_path / "out").table().column_names
    assert "weeks_to_50" in columns and "final_employees" not in columns and "threshold" in columns


def alive(pid):
    """A process that exists and is not a zombie."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_pool_workers_die_with_their_parent_on_kill_9(tmp_path):
    """kill -9 of a sweep left both pool workers running (one pair 20 minutes later)."""
    spec_file = tmp_path / "spec.toml"
    spec_file.write_text("[sweep]\nreplicates = 400\n[base]\nemployees = 60\ncustomers = 300\nsteps = 20\n"
                         "[vary]\ninitial_believers = [0.05, 0.1]\n")
    out = tmp_path / "out"
    child = subprocess.Popen([sys.executable, "-m", "adoption.cli", "sweep", str(spec_file), "--out", str(out),
                              "--workers", "2", "--json"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not list((out / "parts").glob("part-*.parquet")):
        if child.poll() is not None:
            pytest.fail(f"sweep ended before it could be killed: {child.stderr.read().decode()}")
        time.sleep(0.01)
    with open(f"/proc/{child.pid}/task/{child.pid}/children") as children:
        workers = [int(pid) for pid in children.read().split()]
    assert len(workers) == 2, workers
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=30)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(alive(pid) for pid in workers):
        time.sleep(0.05)
    survivors = [pid for pid in workers if alive(pid)]
    for pid in survivors:  # do not leave them to the rest of the suite
        os.kill(pid, signal.SIGKILL)
    assert not survivors, f"workers {survivors} outlived their parent"


def threads_of_a_run(values, series=()):
    """A sweep runner that reports how many threads a run in this worker would step on."""
    from adoption.compiled import threads

    return {**values, "threads": threads(), "error": None}


def test_pool_workers_step_their_runs_on_one_thread_each(tmp_path, monkeypatch):
    """The workers already use the cores: a large run inside one does not start threads of its own."""
    monkeypatch.delenv("ADOPTION_THREADS", raising=False)
    spec = Spec.from_dict({"base": TINY, "vary": {"initial_believers": [0.05, 0.1, 0.15, 0.2]}})
    run_sweep(spec, tmp_path, workers=2, chunk=1, runner=threads_of_a_run, progress=False)
    assert Store(tmp_path).table()["threads"].to_pylist() == [1, 1, 1, 1]
