"""A real Dask cluster: a scheduler and two worker processes over TCP, one of them killed mid-sweep.

The processes are started by the test itself (``python -m dask scheduler`` and
``python -m dask worker``, as on real machines) and ended by it.
"""

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from experiments.spec import load
from experiments.store import Store
from experiments.sweep import run_sweep

SPEC = """# Lost-worker test: enough runs that a worker can be killed half way.
[sweep]
replicates = 40
seed = 5
[base]
employees = 120
customers = 1000
steps = 30
[vary]
initial_believers = [0.05, 0.15]
"""


def start(*args):
    return subprocess.Popen([sys.executable, "-m", "dask", *args], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)


@pytest.fixture
def cluster(tmp_path):
    """``(address, [worker processes])`` of a scheduler and two one-thread workers on 127.0.0.1."""
    from dask.distributed import Client

    started = []
    try:
        file = tmp_path / "scheduler.json"
        started.append(start("scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                             "--scheduler-file", str(file)))
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not (file.is_file() and "address" in file.read_text()):
            time.sleep(0.1)
        address = json.loads(file.read_text())["address"]
        workers = [start("worker", address, "--nthreads", "1", "--no-nanny", "--no-dashboard", "--host",
                         "127.0.0.1", "--name", f"worker-{i}") for i in range(2)]
        started += workers
        with Client(address, timeout=30) as client:
            client.wait_for_workers(2, timeout=60)
        yield address, workers
    finally:
        for process in started:
            if process.poll() is None:
                process.kill()
            process.wait(timeout=30)


def test_a_sweep_survives_a_worker_killed_mid_sweep_with_the_local_table(tmp_path, cluster):
    address, workers = cluster
    spec_file = tmp_path / "lost_worker.toml"
    spec_file.write_text(SPEC)
    out = tmp_path / "cluster"
    sweep = subprocess.Popen([sys.executable, "-m", "adoption.cli", "sweep", str(spec_file), "--out", str(out),
                              "--scheduler", address, "--json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(list((out / "parts").glob("part-*.parquet"))) < 2:
        assert sweep.poll() is None, f"sweep ended before a worker could be killed: {sweep.stderr.read()}"
        time.sleep(0.01)
    os.kill(workers[0].pid, signal.SIGKILL)
    stored_at_kill = len(Store(out).done())
    output, errors = sweep.communicate(timeout=300)
    assert sweep.returncode == 0, errors
    spec = load(spec_file)
    assert stored_at_kill < spec.runs, "the sweep finished before the worker was killed"
    assert workers[0].wait(timeout=10) == -signal.SIGKILL
    report = json.loads(output)
    assert report["new"] == spec.runs and report["failed"] == 0
    table = Store(out).table()
    assert table["run"].to_pylist() == list(range(spec.runs)), "duplicate or missing runs"
    run_sweep(spec, tmp_path / "local", workers=2, progress=False)
    assert table.equals(Store(tmp_path / "local").table()), "the cluster's table differs from the local one"


def test_chunks_are_sized_from_the_cluster_threads():
    """Three threads → about eight chunks per thread, not a guess of eight workers."""
    from dask.distributed import LocalCluster

    from experiments.spec import Spec
    from experiments.sweep import chunk_size, execute_chunks

    spec = Spec.from_dict({"base": {"employees": 40, "customers": 100, "steps": 3}, "sweep": {"replicates": 240}})
    sizes = []
    with LocalCluster(n_workers=1, threads_per_worker=3, processes=False, dashboard_address=None) as local:
        for done in execute_chunks(spec.tasks(), scheduler=local.scheduler_address, progress=False):
            sizes.append(len(done))
    assert sum(sizes) == 240 and max(sizes) == chunk_size(240, 3) == 10, sizes
