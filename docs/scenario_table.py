"""Print the README's table of built-in scenarios: mean weeks to 20/50/80% over 10 seeds (runs that got there),
final believing and acting staff, and the share of conversions made by customers.

    python docs/scenario_table.py            # paste the output into README.md
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from adoption import Model, Params  # noqa: E402
from experiments.scenarios import available, load  # noqa: E402

SEEDS = 10
LARGE = {"sas_airline": 3}  # seeds for scenarios too large for ten runs in a table refresh


def row(name: str) -> str:
    seeds = range(LARGE.get(name, SEEDS))
    params = Params.from_dict(load(name))
    runs = [Model(params.replace(seed=seed)).run() for seed in seeds]
    cells = []
    for level in ("0.2", "0.5", "0.8"):
        weeks = [r.milestones[level] for r in runs if r.milestones[level] is not None]
        cells.append(f"{np.mean(weeks):.1f} ({len(weeks)}/{len(runs)})" if weeks else "never")
    final = np.mean([r.final["employees"] for r in runs])
    acting = np.mean([r.series["acting"][-1] for r in runs])
    by_customers = np.mean([r.conversions["customer"] / max(sum(r.conversions.values()), 1) for r in runs])
    label = f"`{name}`" + (f" ({params.steps} weeks)" if params.steps != 52 else "") + \
        (f" ({len(runs)} seeds)" if len(runs) != SEEDS else "")
    return f"| {label} | {' | '.join(cells)} | {final:.0%} ({acting:.0%} act) | {by_customers:.0%} |"


if __name__ == "__main__":
    print("| scenario | 20% | 50% | 80% | final (acting) | convinced by customers |")
    print("| --- | --- | --- | --- | --- | --- |")
    for name in available():
        print(row(name), flush=True)
