"""Sweep throughput at the classroom default: runs/second on 1 and 2 workers, and the cost of the sweep machinery.

Measured in one process, against a bare loop over ``Model.run`` on the same
parameters and seeds, so the ratios hold on any machine even when its
absolute speed varies:

* overhead per run = (1-worker sweep time − bare loop time) / runs: what the
  spec, the row building, Parquet writing and resume bookkeeping cost;
* speed-up = 2-worker rate / 1-worker rate (pool start-up included).

    python benchmarks/sweep_throughput.py [--runs 400] [--repeats 2] [--json]
"""

from __future__ import annotations

import argparse
import json
import math
import tempfile
import time

from adoption import Model, Params
from experiments.scenarios import load
from experiments.spec import Spec
from experiments.sweep import run_sweep


def measure(runs: int, repeats: int = 2) -> dict:
    base = load("default")
    spec = Spec.from_dict({"base": base, "sweep": {"replicates": runs, "seed": 1}})
    params = Params.from_dict(base)

    bare, seconds = math.inf, {1: math.inf, 2: math.inf}
    for _ in range(repeats):  # interleaved, best of each: a shared machine's noise hits all alike
        started = time.perf_counter()
        for index in range(runs):
            Model(params.replace(seed=spec.values(index)["seed"])).run()
        bare = min(bare, time.perf_counter() - started)
        for workers in (1, 2):
            with tempfile.TemporaryDirectory() as folder:
                report = run_sweep(spec, folder, workers=workers, progress=False)
                seconds[workers] = min(seconds[workers], report.seconds)
    return {
        "runs": runs,
        "bare_runs_per_second": runs / bare,
        "sweep_runs_per_second_1_worker": runs / seconds[1],
        "sweep_runs_per_second_2_workers": runs / seconds[2],
        "overhead_ms_per_run": (seconds[1] - bare) / runs * 1000,
        "overhead_ratio_1_worker_vs_bare": seconds[1] / bare,
        "speedup_2_vs_1_workers": seconds[1] / seconds[2],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=400)
    parser.add_argument("--repeats", type=int, default=2, help="best of this many interleaved measurements")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = measure(args.runs, args.repeats)
    if args.json:
        print(json.dumps(result))
        return
    print(f"classroom default (300 employees, 5,000 customers, 52 weeks), {result['runs']} runs")
    print(f"bare loop over Model.run      {result['bare_runs_per_second']:7.1f} runs/s")
    print(f"sweep, 1 worker               {result['sweep_runs_per_second_1_worker']:7.1f} runs/s   "
          f"(overhead {result['overhead_ms_per_run']:+.2f} ms/run, "
          f"ratio {result['overhead_ratio_1_worker_vs_bare']:.2f}× the bare loop)")
    print(f"sweep, 2 workers              {result['sweep_runs_per_second_2_workers']:7.1f} runs/s   "
          f"(speed-up {result['speedup_2_vs_1_workers']:.2f}× over 1 worker)")


if __name__ == "__main__":
    main()
