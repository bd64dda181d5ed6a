"""What leaves the page: the run's series as CSV and the command that reproduces it."""

from __future__ import annotations

import csv
import io
import math
import shlex

from adoption.params import SPECS, Params, as_text


def series_csv(series: dict[str, list]) -> str:
    """One row per week, one column per series (the names of ``Results.series``), blank for NaN."""
    names = list(series)
    weeks = len(series[names[0]]) if names else 0
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["week", *names])
    for week in range(weeks):
        row = [series[name][week] for name in names]
        writer.writerow([week, *("" if isinstance(v, float) and math.isnan(v) else v for v in row)])
    return buffer.getvalue()


def command(scenario: str, scenario_values: dict, params: Params) -> str:
    """``adoption run SCENARIO --set ... --seed S``: the shortest command that gives this run again.

    Only parameters that differ from the scenario (or, where the scenario is
    silent, from the defaults) are set.

    Examples
    --------
    >>> command("default", {"employees": 300}, Params(employees=300, peer_influence=0.8, seed=3))
    'adoption run default --set peer_influence=0.8 --seed 3'
    """
    baseline = Params.from_dict(scenario_values)
    parts = ["adoption", "run", scenario]
    for name in SPECS:
        if name in ("seed", "steps"):
            continue
        value = getattr(params, name)
        if value != getattr(baseline, name):
            parts += ["--set", f"{name}={as_text(name, value)}"]
    if params.steps != baseline.steps:
        parts += ["--steps", str(params.steps)]
    parts += ["--seed", str(params.seed)]
    return " ".join(shlex.quote(part) for part in parts)
