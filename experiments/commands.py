"""Command-line subcommands of the experiment layer (sweeps, results, analysis, comparison).

Parsing and printing only: the work is done by :mod:`experiments.sweep`,
:mod:`experiments.analysis` and :mod:`experiments.compare`, the same API a
notebook uses. Bad input raises :class:`adoption.params.ParamError`, which the
``adoption`` command prints as one line with exit code 2.
"""

from __future__ import annotations

import argparse
import json
import math
import sys

from adoption.params import ParamError


def register(subparsers) -> None:
    """Add the experiment subcommands to the ``adoption`` command."""
    from adoption.arguments import add_force_argument, add_run_arguments

    sweep = subparsers.add_parser("sweep", help="run a sweep spec on all cores or a Dask cluster, into Parquet")
    sweep.add_argument("spec", metavar="SPEC", help="built-in spec name (demo, sobol) or a TOML file "
                                                   "(see experiments/sweeps/demo.toml)")
    sweep.add_argument("--out", required=True, metavar="DIR", help="results folder (Parquet, written as runs finish)")
    sweep.add_argument("--workers", type=int, metavar="N", help="local worker processes (default: all cores)")
    sweep.add_argument("--scheduler", metavar="ADDRESS", help="run on a Dask cluster, e.g. tcp://host:8786")
    sweep.add_argument("--resume", action="store_true", help="finish an interrupted sweep: only missing runs")
    sweep.add_argument("--json", action="store_true", help="print one JSON object; no progress bar")
    add_force_argument(sweep)
    sweep.set_defaults(handler=cmd_sweep)

    results = subparsers.add_parser("results", help="summarise a sweep's results (DuckDB over its Parquet)")
    results.add_argument("folder", metavar="DIR")
    results.add_argument("--by", nargs="*", metavar="PARAM", help="group by these parameters (default: varied)")
    results.add_argument("--json", action="store_true", help="print the rows of the summary as JSON")
    results.set_defaults(handler=cmd_results)

    analyse = subparsers.add_parser("analyse", aliases=["analyze"],
                                    help="sensitivity indices (Sobol/Morris) and phase diagrams")
    analyse.add_argument("folder", metavar="DIR")
    analyse.add_argument("--output", default="weeks_to_50",
                         help="output column, e.g. weeks_to_50, final_employees (default weeks_to_50)")
    analyse.add_argument("--phase", nargs=2, metavar=("X", "Y"), help="heat map of the output over two parameters")
    analyse.add_argument("--where", action="append", default=[], metavar="NAME=VALUE",
                         help="phase diagram: only runs with this value (repeatable)")
    analyse.add_argument("--plots", metavar="DIR", help="where to save PNGs (default DIR/plots)")
    analyse.add_argument("--json", action="store_true", help="print the tables as JSON")
    analyse.set_defaults(handler=cmd_analyse)

    compare = subparsers.add_parser("compare", help="compare rollout strategies or interventions over common "
                                                    "replicates")
    add_run_arguments(compare)
    compare.add_argument("--strategies", required=True, metavar="A,B,...",
                         help="comma-separated values of --parameter, e.g. leaders,frontline,random, or "
                              "intervention packages, e.g. baseline,recognition=0.5,training=0.2+empowerment=0.9")
    compare.add_argument("--parameter", default="seeding", help="the parameter the strategies set (default seeding)")
    compare.add_argument("--replicates", type=int, default=30, help="runs per strategy (default 30)")
    compare.add_argument("--workers", type=int, default=None, metavar="N", help="local processes (default all cores)")
    compare.add_argument("--plot", metavar="PNG", help="save the plot there (default: no plot)")
    compare.add_argument("--json", action="store_true", help="print one JSON object; no progress bar")
    compare.set_defaults(handler=cmd_compare)

    from experiments.calibration_commands import register as register_calibration

    register_calibration(subparsers)


def cmd_sweep(args: argparse.Namespace) -> int:
    from adoption import cost
    from adoption.arguments import read_text, writable_folder
    from experiments.spec import load, locate
    from experiments.sweep import checked_workers, run_sweep

    spec = load(args.spec)
    workers = checked_workers(args.workers)
    writable_folder(args.out, "--out")
    if args.scheduler is None:  # a cluster's memory is its own
        estimate = cost.estimate(({**spec.base, **point} for point in spec.points), spec.replicates, workers)
        cost.check(estimate, args.force, "this sweep")
        if estimate.seconds > 10 and not args.json:
            print(f"adoption: estimated {estimate}", file=sys.stderr)
    report = run_sweep(spec, args.out, workers=workers, scheduler=args.scheduler, resume=args.resume,
                       progress=False if args.json else None, spec_text=read_text(locate(args.spec), "sweep spec"))
    if args.json:
        print(json.dumps(report.to_dict()))
        return 0
    for path in report.damaged:
        print(f"{path}: damaged; deleted and its runs computed again")
    where = f"on {args.scheduler}" if args.scheduler else \
        f"on {report.workers} local worker{'s' if report.workers != 1 else ''}"
    print(f"{spec.name}: {report.runs:,} runs ({len(spec.points):,} points × {spec.replicates} replicates); "
          f"{report.new:,} computed now {where}" + (f", {report.before:,} already stored" if report.before else ""))
    if report.new:
        print(f"{report.seconds:.1f} s, {report.rate:.1f} runs/s")
    if report.failed:
        print(f"{report.failed} runs failed: see the error column (`adoption results {args.out}`)")
    print(f"results: {report.folder / 'results.parquet'}")
    return 0


def cmd_results(args: argparse.Namespace) -> int:
    from experiments.analysis import _store

    store = _store(args.folder)
    meta = store.meta
    table = store.table()
    by = args.by if args.by is not None else [name for name in meta["varied"]][:3]
    for name in by:
        if name not in table.column_names:
            raise ParamError(f"--by {name}: not a column of this sweep")
    outputs = [name for name in ("weeks_to_20", "weeks_to_50", "final_employees", "final_customers")
               if name in table.column_names]
    failed = table["error"].drop_null().__len__() if "error" in table.column_names else 0
    group = ", ".join(f'"{name}"' for name in by)
    measures = ["count(*) as runs"]
    for name in outputs:
        if name.startswith("weeks_to_"):
            measures.append(f'avg("{name}") as "{name}"')
            measures.append(f'avg(("{name}" is not null)::int) as "reached_{name.removeprefix("weeks_to_")}"')
        else:
            measures.append(f'avg("{name}") as "{name}"')
    query = f"select {', '.join(([group] if by else []) + measures)} from runs where error is null"
    if by:
        query += f" group by {group} order by {group}"
    relation = store.sql(query) if "error" in table.column_names else store.sql(query.replace(" where error is null", ""))
    rows = relation.fetchall()
    columns = relation.columns
    if args.json:
        print(json.dumps({"sweep": meta["name"], "runs": table.num_rows, "planned": meta["runs"], "failed": failed,
                          "rows": [dict(zip(columns, row)) for row in rows]}))
        return 0
    print(f"{meta['name']}: {table.num_rows:,} of {meta['runs']:,} runs stored, {failed} failed"
          f"{'' if table.num_rows == meta['runs'] else ' (incomplete: resume with --resume)'}")
    if meta.get("description"):
        print(meta["description"])
    print("weeks_to_*: mean week over runs that reached the level; reached_*: share of runs that did\n")
    print(_text_table(columns, rows))
    return 0


def cmd_analyse(args: argparse.Namespace) -> int:
    from adoption.params import parse_assignment
    from experiments import analysis, plots

    from adoption.arguments import writable_folder

    store = analysis._store(args.folder)
    meta = store.meta
    plot_folder = writable_folder(args.plots if args.plots else store.folder / "plots", "--plots")
    report: dict = {"sweep": meta["name"], "output": args.output, "plots": []}
    lines = []
    if meta["method"] in ("sobol", "morris"):
        table = analysis.sensitivity(store, args.output)
        title = "Sobol' indices (first order S1, total ST, 95% intervals)" if meta["method"] == "sobol" \
            else "Morris elementary effects (μ*: importance, σ: interactions)"
        lines += [f"{title} of {args.output}, {meta['points']} points × {meta['replicates']} replicates", "",
                  analysis.format_table(table), ""]
        path = plot_folder / f"sensitivity_{args.output}.png"
        plots.sensitivity_bars(table, args.output, path)
        report["sensitivity"] = table.to_dict(orient="records")
        report["plots"].append(str(path))
    elif not args.phase:
        raise ParamError(f"{store.folder}: a {meta['method']} sweep has no sensitivity indices (needs a sobol or "
                         f"morris [sample]); ask for a phase diagram with --phase X Y")
    if args.phase:
        where = dict(parse_assignment(text) for text in args.where)
        grid = analysis.phase(store, *args.phase, output=args.output, where=where)
        path = plot_folder / f"phase_{args.output}_{args.phase[0]}_{args.phase[1]}.png"
        plots.phase_diagram(grid, path)
        report["phase"] = {"x": grid.x, "y": grid.y, "x_values": grid.x_values.tolist(),
                           "y_values": grid.y_values.tolist(),
                           "values": [[None if math.isnan(v) else v for v in row] for row in grid.values.tolist()]}
        report["plots"].append(str(path))
        lines += [f"Phase diagram: mean {grid.label}", _grid_text(grid), ""]
    if args.json:
        print(json.dumps(report))
        return 0
    lines += [f"plots: {', '.join(report['plots'])}"]
    print("\n".join(lines))
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    from adoption import cost
    from adoption.arguments import params_from_args, writable_file
    from experiments.compare import compare, variants
    from experiments.sweep import checked_workers

    params = params_from_args(args)
    strategies = [name.strip() for name in args.strategies.split(",") if name.strip()]
    checked_workers(args.workers)
    if args.plot:
        writable_file(args.plot, "--plot")
    changes = variants(params, strategies, args.replicates, args.parameter)  # every strategy checked first
    runs = args.replicates * len(strategies)
    workers = args.workers if args.workers is not None else (1 if runs < 200 else None)
    estimate = cost.estimate([{**params.to_dict(), **change} for change in changes.values()], args.replicates,
                             checked_workers(workers))
    cost.check(estimate, args.force, "this comparison")
    if estimate.seconds > 10 and not args.json:
        print(f"adoption: estimated {estimate}", file=sys.stderr)
    result = compare(params, strategies, replicates=args.replicates, parameter=args.parameter, workers=workers,
                     progress=False if args.json else None)
    if args.plot:
        result.plot(args.plot)
    if args.json:
        print(json.dumps({
            "params": params.to_dict(), "parameter": args.parameter, "replicates": args.replicates,
            "strategies": {row["strategy"]: {key: vars(value) | {"share": value.share}
                                             for key, value in row.items() if key != "strategy"}
                                            | {"paired_vs_first_to_50": dict(zip(
                                                ("mean", "low", "high", "pairs"),
                                                result.difference(row["strategy"], strategies[0])))}
                           for row in result.table()},
            "plot": args.plot or None,
        }, default=_json_number))
        return 0
    print(result.to_text())
    if args.plot:
        print(f"\nplot: {args.plot}")
    return 0


# --- text helpers -------------------------------------------------------------------
def _json_number(value):
    return None if isinstance(value, float) and math.isnan(value) else float(value)


def _text_table(columns, rows) -> str:
    def cell(value):
        if value is None:
            return "-"
        if isinstance(value, float):
            return f"{value:.3g}" if abs(value) < 1 else f"{value:.1f}"
        return str(value)

    cells = [list(columns)] + [[cell(value) for value in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(columns))]
    return "\n".join("  ".join(value.rjust(width) for value, width in zip(row, widths)) for row in cells)


def _grid_text(grid) -> str:
    header = [f"{grid.y} \\ {grid.x}"] + [f"{value:.3g}" for value in grid.x_values]
    rows = [[f"{y:.3g}"] + ["-" if math.isnan(v) else f"{v:.3g}" for v in grid.values[i]]
            for i, y in reversed(list(enumerate(grid.y_values)))]
    return _text_table(header, rows)
