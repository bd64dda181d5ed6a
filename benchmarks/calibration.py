"""Calibration speed: three parameters of the default 300-person scenario fitted to six survey waves.

Target (issue 14): at most 2 minutes on 2 cores. The survey is drawn from the
model at known values (seeded), then calibrated with the command's defaults
(100 particles, at most 8 generations, stop below 2% acceptance) on 2 worker
processes. Printed against a baseline measured in the same run: the time of a
bare loop of model runs to the last survey week, so that

* overhead = calibration time × workers / (simulations × bare time per run):
  1.0 would be a perfectly busy pool with free inference (pyabc's kernel
  fits, the SQLite history, pickling and the seeded batches cost the rest).

    python benchmarks/calibration.py [--workers 2] [--population 100] [--json]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time

import numpy as np

from adoption import Model, Params
from experiments.calibrate import calibrate, draw_survey, survey_truth
from experiments.observations import Observations
from experiments.scenarios import load

TRUTH = {"leader_influence": 0.3, "customer_feedback": 1.0, "threshold": 0.4}
PRIORS = ["leader_influence=0:1.5", "customer_feedback=0:3", "threshold=0.1:0.8"]
WEEKS = [4, 8, 12, 16, 20, 24]
RESPONDENTS = 80


def measure(workers: int = 2, population: int = 100, generations: int = 8) -> dict:
    base = Params.from_dict(load("default"))
    plan = Observations.from_counts(WEEKS, [RESPONDENTS] * len(WEEKS), [0] * len(WEEKS))
    believing, size = survey_truth(base.replace(**TRUTH, seed=11), plan.waves)
    agree = draw_survey(believing, size, plan.waves["respondents"], np.random.default_rng(11))
    survey = Observations.from_counts(WEEKS, [RESPONDENTS] * len(WEEKS), agree)

    started = time.perf_counter()
    for seed in range(40):
        Model(base.replace(seed=seed, steps=max(WEEKS))).run()
    bare = (time.perf_counter() - started) / 40

    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        fit = calibrate(survey, base, PRIORS, folder, population=population, generations=generations,
                        workers=workers, seed=1, progress=False, figure=False)
        seconds = time.perf_counter() - started
    abandoned = fit.stopped["simulations"] if fit.stopped else 0  # a last generation below the acceptance floor
    simulations = sum(g["simulations"] for g in fit.generations) + population + abandoned  # + the prior sample
    return {
        "workers": workers, "population": population, "generations": len(fit.generations),
        "simulations": simulations, "abandoned": abandoned, "seconds": seconds, "target_seconds": 120,
        "bare_seconds_per_run": bare,
        "overhead_vs_busy_pool": seconds * workers / (simulations * bare),
        "truth": TRUTH, "posterior": fit.summary(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--population", type=int, default=100)
    parser.add_argument("--generations", type=int, default=8)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = measure(args.workers, args.population, args.generations)
    if args.json:
        print(json.dumps(result))
        return
    print(f"calibrated 3 parameters to {len(WEEKS)} waves in {result['seconds']:.0f} s on {args.workers} workers "
          f"(target ≤ {result['target_seconds']} s): {result['generations']} generations, "
          f"{result['simulations']:,} simulations ({result['abandoned']:,} of them in a last generation abandoned "
          f"below the acceptance floor); a bare run takes {result['bare_seconds_per_run'] * 1000:.0f} ms; "
          f"overhead vs a busy pool ×{result['overhead_vs_busy_pool']:.2f}")
    for row in result["posterior"]:
        print(f"  {row['parameter']:<18} truth {TRUTH[row['parameter']]:<5} median {row['median']:.3g} "
              f"[{row['low']:.3g}, {row['high']:.3g}]{'' if row['pinned'] else '  (not pinned down)'}")


if __name__ == "__main__":
    main()
