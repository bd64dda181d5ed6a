"""The ``adoption`` command: argument parsing and error reporting only.

Exit codes: 0 ok, 2 bad input (one clear line, no traceback), 1 a bug.
Subcommands of the experiment layer and the app register themselves through
``experiments.commands.register`` and ``app.commands.register``; the arguments
they share live in :mod:`adoption.arguments`, so no command module imports this one.
"""

from __future__ import annotations

import argparse
import itertools
import math
import shutil
import sys
import textwrap
import warnings

from adoption.arguments import add_run_arguments, params_from_args, shown
from adoption.params import SPECS, ParamError, as_text, describe
from adoption.rules.base import SOURCES

MESSAGE_LENGTH = 300  # characters of an error line, whatever values it quotes


def main(argv: list[str] | None = None) -> int:
    warnings.formatwarning = lambda message, *rest, **keywords: f"adoption: warning: {message}\n"
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except ParamError as error:  # argparse's own complaints, as one line (see Parser.error)
        return fail(error)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    try:
        return args.handler(args) or 0
    except ParamError as error:
        return fail(error)
    except KeyboardInterrupt:
        print("adoption: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # e.g. `adoption run --json | head`
        return 0


def fail(error: Exception) -> int:
    """Print a bad input as one line (long values cut, see :func:`one_line`) and return exit code 2."""
    print(f"adoption: {one_line(str(error))}", file=sys.stderr)
    return 2


def one_line(message: str) -> str:
    """``message`` on one line, each word cut to ``SHOWN`` characters and the whole to ``MESSAGE_LENGTH``.

    Examples
    --------
    >>> one_line("network=" + "a" * 1000 + ":\\nunknown")
    'network=aaaaaaaaaaaaaaaaaaaaaa…[1,009 characters]…aaaaaaaaaaaaaaaaaaaaaaaaaaaaa: unknown'
    """
    text = " ".join(shown(word) for word in message.split())
    return text if len(text) <= MESSAGE_LENGTH else text[:MESSAGE_LENGTH - 1] + "…"


class Parser(argparse.ArgumentParser):
    """argparse with errors as one line and exit code 2 through :func:`main` (no usage block)."""

    def error(self, message: str):
        raise ParamError(f"{self.prog.removeprefix('adoption ')}: {message} (see --help)")


def build_parser() -> argparse.ArgumentParser:
    from app.commands import register as register_app
    from experiments.commands import register as register_experiments

    parser = Parser(
        prog="adoption", description="How 'the customer comes first' spreads through an organisation: run "
        "scenarios, compare strategies and interventions, sweep parameters, or serve the web app.",
        epilog="Start with `adoption run` (the seed story) or `adoption app`; `adoption COMMAND --help` for more.")
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")

    run = sub.add_parser("run", help="run one scenario and print its milestones")
    add_run_arguments(run)
    run.add_argument("--json", action="store_true", help="print one JSON object (params, milestones, final, ...)")
    run.add_argument("--series", action="store_true", help="with --json: add the per-step series")
    run.set_defaults(handler=cmd_run)

    scenarios = sub.add_parser("scenarios", help="list the built-in scenarios")
    scenarios.set_defaults(handler=cmd_scenarios)

    params = sub.add_parser("params", help="list every parameter: default, unit, range, meaning")
    params.add_argument("--markdown", action="store_true", help="as a Markdown table (for the README)")
    params.set_defaults(handler=cmd_params)

    rules = sub.add_parser("rules", help="list the influence rules and the parameters each reads")
    rules.set_defaults(handler=cmd_rules)

    register_experiments(sub)
    register_app(sub)
    return parser


def cmd_run(args: argparse.Namespace) -> int:
    from adoption import cost

    params = params_from_args(args)
    estimate = cost.estimate([params.to_dict()])
    cost.check(estimate, args.force, "this run")
    from adoption.model import Model  # after the checks: bad input is refused without importing Mesa

    if estimate.seconds > 10 and not args.json:
        print(f"adoption: estimated {estimate}", file=sys.stderr)
    results = Model(params).run()
    if args.json:
        print(results.to_json(series=args.series))
    else:
        print(human_summary(results))
    return 0


def human_summary(results) -> str:
    params, milestones = results.params, results.milestones
    lines = [f"{params['employees']:,} employees, {params['customers']:,} customers, {results.steps} weeks, "
             f"rule {params['rule']}, seeding {params['seeding']}, seed {params['seed']}", ""]
    lines.append("believers reached   " + "   ".join(
        f"{float(level):.0%}: {'week ' + str(step) if step is not None else 'never'}"
        for level, step in milestones.items()))
    final = results.final
    series = results.series
    satisfied = series["satisfaction"][-1]
    lines.append(f"final               employees {percent_down(final['employees'])} believe "
                 f"({percent_down(series['acting'][-1])} act on it)"
                 + (f", customers {final['customers']:.0%}, satisfied moments {satisfied:.0%}"
                    if results.moments_of_truth else ", no customers met"))
    conversions = results.conversions
    total = sum(conversions.values()) or 1
    shown = {source: count for source, count in conversions.items() if count or source in SOURCES}
    lines.append("convinced by        " + ", ".join(
        f"{source} {count} ({count / total:.0%})" for source, count in shown.items()))
    lines.append(f"moments of truth    {results.moments_of_truth:,}")
    if params.get("economics"):
        profit, morale, kept = (series[name][-1] for name in ("profit", "morale", "customer_base"))
        lines.append(f"economics           weekly {'profit' if profit >= 0 else 'loss'} {profit:+.1%} of revenue "
                     f"(week 1: {series['profit'][1]:+.1%}), staff morale {morale:.0%}, customers kept {kept:.0%}")
    if results.units and len(results.units) > 1:
        units = sorted(results.units, key=lambda unit: (unit["final_believers"], -unit["people"]))
        lines.append(f"lagging units       " + ", ".join(
            f"{unit['unit'][:32]} {percent_down(unit['final_believers'])} of {unit['people']}" for unit in units[:3])
            + f" (of {len(units)} units; --json lists all)")
    lines += ["", sparkline_chart(results)]
    return "\n".join(lines)


def percent_down(share: float) -> str:
    """A believer share in whole percent, rounded down: 49.7% is "49%", never "50%" beside "50%: never".

    Examples
    --------
    >>> percent_down(0.497), percent_down(0.5), percent_down(0.29)
    ('49%', '50%', '29%')
    """
    return f"{math.floor(share * 100 + 1e-9)}%"


def sparkline_chart(results, width: int = 52) -> str:
    """A small text plot of believer shares: what a terminal can show of the arc."""
    blocks = " ▁▂▃▄▅▆▇█"
    rows = []
    for label, name in (("employees", "believers"), ("customers", "customers_believing")):
        values = results.series[name]
        picks = [values[round(i * (len(values) - 1) / max(width - 1, 1))] for i in range(min(width, len(values)))]
        rows.append(f"{label:<10} |" + "".join(blocks[min(8, int(v * 8 + 0.5))] for v in picks) + "| 0–100%")
    return "\n".join(rows)


def cmd_scenarios(args: argparse.Namespace) -> int:
    from experiments.scenarios import available

    for name, description in available().items():
        print(f"{name:<20} {description}")
    return 0


def cmd_params(args: argparse.Namespace) -> int:
    rows = [describe(name) for name in SPECS]
    if args.markdown:
        print("| parameter | default | unit | allowed | meaning |\n| --- | --- | --- | --- | --- |")
        for row in rows:
            print(f"| `{row['name']}` | {default(row)} | {row['unit']} | {allowed(row)} | {row['meaning']} |")
    else:
        print(params_text(rows, shutil.get_terminal_size((100, 24)).columns))
    return 0


def params_text(rows: list[dict], width: int = 100) -> str:
    """The parameter list as aligned columns; long allowed values and meanings wrap within their column."""
    widths = (24, 12, 30)
    meaning_width = max(30, width - sum(widths) - len(widths))
    lines = []
    for row in rows:
        cells = [[row["name"]], [default(row)], textwrap.wrap(allowed(row), widths[2], break_on_hyphens=False) or [""],
                 textwrap.wrap(row["meaning"], meaning_width, break_on_hyphens=False)]
        for parts in itertools.zip_longest(*cells, fillvalue=""):
            lines.append(" ".join(f"{part:<{w}}" for part, w in zip(parts, widths)) + " " + parts[-1])
    return "\n".join(line.rstrip() for line in lines)


def default(row: dict) -> str:
    return as_text(row["name"], row["default"]) or "none"


def allowed(row: dict) -> str:
    if row["kind"] == "flag":
        return "true or false"
    if row["kind"] == "weeks":
        return "week numbers, e.g. 4,12"
    if row["kind"] == "schedule":
        return "WEEK:NAME=VALUE entries, `;` between (CLI)"
    if row["choices"]:
        return ", ".join(row["choices"]) + (" or a file" if row["name"] in ("network", "people") else "")
    if row["low"] is None:
        return "a file (.csv, .parquet, .xlsx) or empty"
    if row["integer"]:
        return f"integer {row['low']:,}–{row['high']:,}"
    return f"number {row['low']:g}–{row['high']:g}"


def cmd_rules(args: argparse.Namespace) -> int:
    from adoption.rules import RULES

    for name, rule in RULES.items():
        summary = (rule.__doc__ or "").strip().splitlines()[0]
        print(f"{name:<12} {summary}\n{'':<12} parameters: {', '.join(rule.parameters) or '-'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
