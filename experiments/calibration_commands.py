"""The ``adoption calibrate`` and ``adoption forecast`` subcommands: parsing and printing only.

The work is done by :func:`experiments.calibrate.calibrate` and
:func:`experiments.forecast.forecast`, the API a notebook uses.
"""

from __future__ import annotations

import argparse
import json
import sys

from adoption.params import ParamError


def register(subparsers) -> None:
    """Add ``calibrate`` and ``forecast`` to the ``adoption`` command."""
    from adoption.arguments import add_force_argument, add_run_arguments

    calibrate = subparsers.add_parser(
        "calibrate", help="fit parameters to pulse surveys (ABC-SMC): a posterior, a summary and a fit figure",
        description="Fit chosen parameters to what the organisation observed. Example: adoption calibrate "
                    "--survey pulse.csv --fit leader_influence=0:2 --fit customer_feedback --out fit/")
    add_run_arguments(calibrate)
    calibrate.add_argument("--survey", metavar="FILE", help="staff pulse survey: week, respondents, agree "
                                                            "(+ optional unit or role column); CSV/Parquet/XLSX")
    calibrate.add_argument("--customers", metavar="FILE", help="customer survey: week, respondents, expect")
    calibrate.add_argument("--adoption", metavar="FILE", help="individual adoption times: person, week")
    calibrate.add_argument("--fit", action="append", default=[], required=True, metavar="NAME[=LOW:HIGH]",
                           help="a parameter to fit, with its uniform prior range (default: its declared range); "
                                "repeatable")
    calibrate.add_argument("--out", required=True, metavar="DIR",
                           help="results folder; run again with the same arguments to resume after a kill")
    calibrate.add_argument("--population", type=int, default=100, help="particles per generation (default 100)")
    calibrate.add_argument("--generations", type=int, default=8, help="at most this many generations (default 8)")
    calibrate.add_argument("--min-acceptance", type=float, default=0.02,
                           help="stop when a generation accepts fewer than this share of runs (default 0.02)")
    calibrate.add_argument("--workers", type=int, metavar="N", help="local processes (default all cores)")
    calibrate.add_argument("--scheduler", metavar="ADDRESS", help="run on a Dask cluster, e.g. tcp://host:8786")
    calibrate.add_argument("--json", action="store_true", help="print one JSON object; no progress bar")
    calibrate.set_defaults(handler=cmd_calibrate)

    forecast = subparsers.add_parser(
        "forecast", help="forecast a calibration: majority week with intervals, ranked strategies",
        description="Posterior-predictive forecast of a calibration folder. Example: adoption forecast fit/ "
                    "--strategies recognition=0.5,seeding=leaders")
    forecast.add_argument("fit", metavar="FIT_DIR", help="a folder written by `adoption calibrate`")
    forecast.add_argument("--strategies", default="", metavar="A,B,...",
                          help="rollout strategies or packages to rank against the baseline, e.g. "
                               "leaders,recognition=0.5,training=0.2+empowerment=0.9")
    forecast.add_argument("--parameter", default="seeding", help="the parameter plain strategy names set "
                                                                 "(default seeding)")
    forecast.add_argument("--start", type=int, metavar="WEEK",
                          help="week the strategies start (default: the week after the last survey; 0 for a "
                               "rollout what-if from the beginning, e.g. seeding strategies)")
    forecast.add_argument("--draws", type=int, default=200, help="posterior draws (default 200)")
    forecast.add_argument("--horizon", type=int, help="weeks to simulate (default 104)")
    forecast.add_argument("--week", type=int, action="append", metavar="W",
                          help="report P(majority by week W) (repeatable)")
    forecast.add_argument("--seed", type=int, default=0, help="root seed of the draws (default 0)")
    forecast.add_argument("--workers", type=int, metavar="N", help="local processes (default all cores)")
    forecast.add_argument("--scheduler", metavar="ADDRESS", help="run on a Dask cluster")
    forecast.add_argument("--plot", metavar="PNG", help="where to save the figure (default FIT_DIR/forecast.png; "
                                                        "'' for none)")
    forecast.add_argument("--json", action="store_true", help="print one JSON object; no progress bar")
    add_force_argument(forecast)
    forecast.set_defaults(handler=cmd_forecast)


def cmd_calibrate(args: argparse.Namespace) -> int:
    from adoption import cost
    from adoption.arguments import params_from_args
    from experiments.sweep import default_workers
    from experiments.calibrate import calibrate, parse_prior
    from experiments.observations import Observations

    seed = args.seed if args.seed is not None else 0
    args.seed = None  # the calibration's seed; every simulation draws its own model seed
    base = params_from_args(args)
    priors = [parse_prior(text) for text in args.fit]
    observations = Observations.read(staff=args.survey, customers=args.customers, adoption=args.adoption)
    cost.check(cost.estimate([{**base.to_dict(), "steps": observations.last_week}], 1,
                             args.workers or default_workers()), args.force, "this calibration")
    if not args.json:
        import time

        from experiments.calibrate import survey_truth

        middle = base.replace(**{p.name: (p.low + p.high) / 2 for p in priors})
        survey_truth(middle, observations.waves)  # the first run imports the model, loads its kernels and files
        started = time.perf_counter()  # the second costs what a simulation costs in the (forked) workers
        survey_truth(middle, observations.waves)
        seconds = time.perf_counter() - started
        workers = args.workers or default_workers()
        print(f"fitting {', '.join(p.name for p in priors)} to {len(observations)} survey waves: at most "
              f"{args.generations} generations of {args.population} particles; one run takes {cost.duration(seconds)}, "
              f"so the prior sample takes about {cost.duration(args.population * seconds / workers)} on {workers} "
              f"workers and "
              f"each later generation needs more runs than the last (at most {1 / args.min_acceptance:.0f} per "
              f"particle); results in {args.out}")
    fit = calibrate(observations, base, priors, args.out, population=args.population, generations=args.generations,
                    min_acceptance=args.min_acceptance, seed=seed, workers=args.workers, scheduler=args.scheduler,
                    progress=False if args.json else None)
    if args.json:
        print(json.dumps({"folder": str(fit.folder), "parameters": fit.summary(), "generations": fit.generations}))
        return 0
    print(fit.to_text())
    print(f"\nposterior: {fit.folder / 'posterior.parquet'}; fit figure: {fit.folder / 'fit.png'}\n"
          f"next: adoption forecast {fit.folder} --strategies recognition=0.5,communication=0.3")
    return 0


def cmd_forecast(args: argparse.Namespace) -> int:
    from pathlib import Path

    from adoption import cost
    from experiments.calibrate import Fit
    from experiments.forecast import forecast
    from experiments.sweep import default_workers

    if args.workers is not None and args.workers < 1:
        raise ParamError(f"--workers {args.workers}: must be at least 1")
    strategies = [name.strip() for name in args.strategies.split(",") if name.strip()]
    fit = Fit.load(args.fit)
    horizon = args.horizon or max(104, 2 * fit.observations.last_week)
    estimate = cost.estimate([{**fit.base.to_dict(), "steps": horizon}], args.draws * (len(strategies) + 1),
                             args.workers or default_workers())
    cost.check(estimate, args.force, "this forecast")
    if estimate.seconds > 10 and not args.json:
        print(f"adoption: estimated {estimate}", file=sys.stderr)
    result = forecast(fit, draws=args.draws, horizon=horizon, strategies=strategies,
                      parameter=args.parameter, start=args.start, seed=args.seed, workers=args.workers,
                      scheduler=args.scheduler, progress=False if args.json else None)
    plot = Path(args.fit) / "forecast.png" if args.plot is None else (Path(args.plot) if args.plot else None)
    if plot:
        result.plot(plot)
    if args.json:
        print(json.dumps(result.to_dict(args.week) | {"plot": str(plot) if plot else None}))
        return 0
    print(result.to_text(args.week))
    if plot:
        print(f"\nfigure: {plot}")
    return 0
