"""The results of one run: per-step series, milestones, attribution, and the parameters that made them."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from adoption.rules.base import SOURCES
from agents.roles import ROLES

MILESTONES = (0.05, 0.2, 0.5, 0.8)  # employee believer shares the story passes through
DIRECT_SOURCES = ("hiring", "training", "innovation")  # conversions by levers or a rule's own mechanism

SERIES = (
    "believers",  # share of employees who believe (conviction ≥ ½)
    *(f"believers_{role}" for role in ROLES),  # the same share within each role
    "acting",  # share of employees who act on the value (believers and compliers)
    "conviction",  # mean conviction of employees
    "customers_believing",  # share of customers who expect the value
    "satisfaction",  # share of this week's moments of truth that served the customer well
    "moments_of_truth",  # moments of truth this week
    "moments_of_truth_total",  # moments of truth so far
    *(f"conversions_{source}" for source in (*SOURCES, *DIRECT_SOURCES)),  # new believers this week, by cause
    "lapses",  # believers who stopped believing this week
    "departures",  # believers who left the organisation this week (turnover)
    "customer_base",  # economics: customers kept, 1 = at the start (NaN when economics is off)
    "profit",  # economics: weekly profit as a share of the starting weekly revenue
    "morale",  # economics: staff morale 0..1, following pay and investment in people
)

_BELIEVERS, _CUSTOMERS_BELIEVING = SERIES.index("believers"), SERIES.index("customers_believing")

OUTPUTS = (  # the summary columns of a run's row, after its parameters
    *(f"weeks_to_{round(level * 100)}" for level in MILESTONES),
    "final_employees", "final_customers",
    *(f"conversions_{source}" for source in (*SOURCES, *DIRECT_SOURCES)),
    "lapses", "departures", "moments_of_truth",
)


@dataclass
class Results:
    """Everything a run produced: series (one value per step, step 0 first) and derived summaries.

    Examples
    --------
    >>> from adoption import run
    >>> results = run(employees=100, customers=500, steps=5, seed=2)
    >>> len(results.series["believers"])
    6
    >>> sorted(results.milestones)
    ['0.05', '0.2', '0.5', '0.8']
    """

    params: dict[str, Any]
    unit_names: list[str] | None = None  # an organisation from files: its units, for the per-unit table
    unit_sizes: np.ndarray | None = None
    unit_believers: list = field(default_factory=list)  # believers per unit, one array per step
    # one tuple per step, its values in the order of SERIES: a week records in one append instead of two
    # dozen (a classroom week is tens of µs); read by series, as lists
    _rows: list = field(default_factory=list, init=False, repr=False)
    _series: dict[str, list] | None = field(default=None, init=False, repr=False)

    def record(self, **values) -> None:
        """Record one step, every series by name."""
        self.record_row([values[name] for name in SERIES])

    def record_row(self, row) -> None:
        """Record one step: its values in the order of :data:`SERIES`."""
        self._rows.append(row)
        self._series = None

    @property
    def series(self) -> dict[str, list]:
        """Each series by name, one value per step (step 0 first)."""
        if self._series is None:
            columns = zip(*self._rows) if self._rows else ([] for _ in SERIES)
            self._series = {name: list(values) for name, values in zip(SERIES, columns)}
        return self._series

    @property
    def units(self) -> list[dict[str, Any]] | None:
        """Per unit of an organisation read from files: its people, final believer share and the first
        week it reached a majority (None if never): which teams lead and which lag."""
        if self.unit_names is None:
            return None
        shares = np.asarray(self.unit_believers) / np.maximum(self.unit_sizes, 1)
        majority = shares >= 0.5 - 1e-9
        first = np.where(majority.any(axis=0), majority.argmax(axis=0), -1)
        return [{"unit": name, "people": int(size), "final_believers": float(share),
                 "weeks_to_50": int(week) if week >= 0 else None}
                for name, size, share, week in zip(self.unit_names, self.unit_sizes, shares[-1], first)]

    @property
    def steps(self) -> int:
        return len(self._rows) - 1

    @property
    def milestones(self) -> dict[str, int | None]:
        """First step at which the employee believer share reached each milestone (None if never)."""
        shares = np.asarray(self.series["believers"])
        reached = {}
        for level in MILESTONES:
            hits = np.flatnonzero(shares >= level - 1e-9)
            reached[str(level)] = int(hits[0]) if len(hits) else None
        return reached

    @property
    def conversions(self) -> dict[str, int]:
        """New believers over the whole run, by the channel that convinced them."""
        return {source: int(sum(self.series[f"conversions_{source}"])) for source in (*SOURCES, *DIRECT_SOURCES)}

    @property
    def final(self) -> dict[str, float]:
        last = self._rows[-1]  # without building every series (a sweep asks this of each run)
        return {"employees": last[_BELIEVERS], "customers": last[_CUSTOMERS_BELIEVING]}

    @property
    def moments_of_truth(self) -> int:
        return int(self.series["moments_of_truth_total"][-1])

    def summary(self) -> dict[str, Any]:
        """The run in one flat-ish mapping: the CLI's JSON without series."""
        return {
            "params": self.params,
            "steps": self.steps,
            "milestones": self.milestones,
            "final": self.final,
            "conversions": self.conversions,
            "lapses": int(sum(self.series["lapses"])),
            "departures": int(sum(self.series["departures"])),
            "moments_of_truth": self.moments_of_truth,
        }

    def row(self) -> dict[str, Any]:
        """The run as one flat table row (a sweep's Parquet row): every parameter by its own name,
        then the :data:`OUTPUTS`: ``weeks_to_<level%>`` per milestone (None if never reached),
        ``final_employees``, ``final_customers``, ``conversions_<source>``, ``lapses``,
        ``departures`` and ``moments_of_truth`` (total).

        Examples
        --------
        >>> from adoption import run
        >>> row = run(employees=100, customers=500, steps=5, seed=2).row()
        >>> row["employees"], row["weeks_to_5"], "conversions_customer" in row
        (100, 0, True)
        """
        summary = self.summary()
        out = dict(summary["params"])
        out.update({f"weeks_to_{round(float(level) * 100)}": week for level, week in summary["milestones"].items()})
        out.update({f"final_{name}": float(share) for name, share in summary["final"].items()})
        out.update({f"conversions_{source}": count for source, count in summary["conversions"].items()})
        out.update({name: summary[name] for name in ("lapses", "departures", "moments_of_truth")})
        return out

    def to_dict(self, series: bool = False) -> dict[str, Any]:
        out = self.summary()
        if self.unit_names is not None:
            out["units"] = self.units
        if series:
            out["series"] = {name: [_plain(v) for v in values] for name, values in self.series.items()}
        return out

    def to_json(self, series: bool = False, **dump_options) -> str:
        return json.dumps(self.to_dict(series), **dump_options)


def _plain(value):
    """JSON-safe scalar: NaN (e.g. satisfaction in a week without moments) becomes null."""
    if isinstance(value, float) and math.isnan(value):
        return None
    return value
