"""Forecast from a calibration: when will the majority believe, and what each strategy buys, with honest
uncertainty.

Each forecast run is a posterior particle drawn by weight: a parameter set
*and* the seed of its accepted run, a simulated organisation whose survey
looked like the real one. Running it on past the last survey continues that
history, so the forecast starts from where the organisation is, and its spread
holds both what the surveys left uncertain and the luck of the weeks ahead.
Intervals are 90% predictive intervals over those runs.

With strategies (intervention packages, written as for ``adoption compare``),
every strategy runs on the *same* particles with the *same* seeds as the
baseline (common random numbers) and starts in the week after the last survey
(the decision is taken now): run ``i`` follows the baseline's history exactly
until then, so the paired difference is the effect of the strategy on the
same organisation with the same luck. A strategy that can only act at week 0
(``seeding``) needs ``start=0``: a what-if from the beginning. ``P(helps)`` is the share of draws in which the strategy
reaches the majority earlier than the baseline did. A run that never reaches a
level within the horizon counts as week ``horizon + 1`` (shown as ``>H``), so
that waiting longer than the horizon is never mistaken for arriving early.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from adoption.params import ParamError
from experiments.calibrate import Fit

LEVELS = (0.2, 0.5, 0.8)
INTERVAL = 0.9


@dataclass
class Forecast:
    """Posterior-predictive runs of the baseline and of each strategy (paired by draw)."""

    fit: Fit
    horizon: int
    believers: dict[str, np.ndarray]  # strategy → (draws, horizon + 1) believing share of staff
    customers: np.ndarray  # baseline: (draws, horizon + 1) share of customers expecting the value
    weeks: dict[str, dict[float, np.ndarray]] = field(default_factory=dict)  # strategy → level → week (inf: never)

    @property
    def draws(self) -> int:
        return len(self.customers)

    @property
    def strategies(self) -> list[str]:
        return list(self.believers)

    def milestone(self, level: float, strategy: str = "baseline") -> dict[str, Any]:
        """Week the believing share reaches ``level``: median and 90% interval over draws (``inf``: not
        within the horizon), and the share of draws that reach it."""
        weeks = self.weeks[strategy][level]
        low, median, high = _quantiles(weeks)
        return {"level": level, "median": median, "low": low, "high": high,
                "reached": float(np.isfinite(weeks).mean())}

    def p_majority_by(self, week: int, strategy: str = "baseline") -> float:
        """Probability that the majority believes by ``week``."""
        return float((self.weeks[strategy][0.5] <= week).mean())

    def difference(self, strategy: str, level: float = 0.5) -> dict[str, Any]:
        """Paired difference in weeks to ``level``, strategy minus baseline (negative: earlier), with its
        90% interval, and P(helps) = share of draws in which the strategy got there earlier."""
        cap = self.horizon + 1
        mine = np.minimum(self.weeks[strategy][level], cap)
        theirs = np.minimum(self.weeks["baseline"][level], cap)
        delta = mine - theirs
        low, median, high = _quantiles(delta)
        return {"strategy": strategy, "median": median, "low": low, "high": high,
                "p_helps": float((delta < 0).mean()), "p_hurts": float((delta > 0).mean())}

    def band(self, strategy: str = "baseline") -> dict[str, np.ndarray]:
        """Per-week median and 50%/90% bands of the believing share."""
        q = np.quantile(self.believers[strategy], [0.05, 0.25, 0.5, 0.75, 0.95], axis=0)
        return {"week": np.arange(self.horizon + 1), "p5": q[0], "p25": q[1], "median": q[2], "p75": q[3],
                "p95": q[4]}

    def ranking(self) -> list[dict[str, Any]]:
        """Strategies other than the baseline, earliest majority first (by median paired difference)."""
        rows = [self.difference(name) | {"majority": self.milestone(0.5, name)}
                for name in self.strategies if name != "baseline"]
        return sorted(rows, key=lambda row: (row["median"], -row["p_helps"]))

    def default_weeks(self) -> list[int]:
        """Weeks to ask P(majority by week) for: a quarter, a half and a year after the last survey."""
        last = self.fit.observations.last_week
        return sorted({min(last + months, self.horizon) for months in (13, 26, 52)})

    def to_dict(self, weeks: list[int] | None = None) -> dict[str, Any]:
        weeks = weeks or self.default_weeks()
        band = self.band()
        return {
            "fit": str(self.fit.folder), "draws": self.draws, "horizon": self.horizon,
            "milestones": {f"weeks_to_{round(level * 100)}": _plain(self.milestone(level)) for level in LEVELS},
            "p_majority_by": {str(week): self.p_majority_by(week) for week in weeks},
            "band": {name: values.tolist() for name, values in band.items()},
            "strategies": [_plain(row) for row in self.ranking()],
        }

    def to_text(self, weeks: list[int] | None = None) -> str:
        weeks = weeks or self.default_weeks()
        majority = self.milestone(0.5)
        lines = [f"forecast from {self.fit.folder}: {self.draws} posterior draws, {self.horizon} weeks; "
                 f"{INTERVAL:.0%} intervals", "",
                 f"majority expected in week {_week(majority['median'], self.horizon)} "
                 f"[{_week(majority['low'], self.horizon)}, {_week(majority['high'], self.horizon)}]; "
                 f"reached within {self.horizon} weeks in {majority['reached']:.0%} of draws"]
        for level in LEVELS:
            if level != 0.5:
                m = self.milestone(level)
                lines.append(f"{level:.0%} believe in week {_week(m['median'], self.horizon)} "
                             f"[{_week(m['low'], self.horizon)}, {_week(m['high'], self.horizon)}] "
                             f"(reached in {m['reached']:.0%})")
        lines.append("; ".join(f"P(majority by week {week}) = {self.p_majority_by(week):.2f}" for week in weeks))
        ranking = self.ranking()
        if ranking:
            width = max(len("strategy"), *(len(row["strategy"]) for row in ranking))
            lines += ["", f"{'strategy':<{width}}  {'majority in week':<18}  {'vs baseline (weeks)':<26}  P(helps)",
                      f"{'baseline':<{width}}  {_interval(majority, self.horizon):<18}  {'-':<26}  -"]
            for row in ranking:
                lines.append(f"{row['strategy']:<{width}}  {_interval(row['majority'], self.horizon):<18}  "
                             f"{_shift(row):<26}  {row['p_helps']:.2f}")
            lines += ["", f"in short: {self.headline()}"]
        return "\n".join(lines)

    def headline(self) -> str:
        """The forecast in one sentence: the majority week and what the best strategy buys."""
        text = f"majority expected in week {_interval(self.milestone(0.5), self.horizon)}"
        ranking = self.ranking()
        if ranking:
            best = ranking[0]
            text += f"; {best['strategy']} {_in_words(best)}, P(helps) = {best['p_helps']:.2f}"
        return text

    def plot(self, path=None):
        """The forecast fan (median, 50% and 90% bands) with the surveys of the whole staff, and, with
        strategies, each strategy's paired difference to the baseline."""
        return forecast_figure(self, path)


def forecast(fit: Fit | str | Path, *, draws: int = 200, horizon: int | None = None, strategies=(),
             parameter: str = "seeding", start: int | None = None, seed: int = 0, workers: int | None = 1,
             scheduler=None, progress=False) -> Forecast:
    """Posterior-predictive forecast of a calibration, optionally ranking strategies.

    Parameters
    ----------
    fit : Fit or path
        A calibration (:func:`experiments.calibrate.calibrate`) or its folder.
    draws : int
        Posterior draws (each with its own seed); every strategy reuses them all.
    horizon : int, optional
        Weeks to simulate from week 0 (default: 104, or twice the last survey week if later).
    strategies : sequence of str
        Intervention packages ``name=value+name=value`` or values of ``parameter``;
        ``baseline`` (the fitted organisation unchanged) is always included.
    start : int, optional
        The week strategies start (default: the week after the last survey; 0: from the beginning).
    seed : int
        Root of the draws and their seeds: the same seed gives the same forecast.
    workers, scheduler, progress
        As for :func:`experiments.sweep.execute`.

    Returns
    -------
    Forecast
    """
    from experiments.sweep import execute

    fit = fit if isinstance(fit, Fit) else Fit.load(fit)
    if isinstance(draws, bool) or not isinstance(draws, int) or draws < 2:
        raise ParamError(f"forecast: draws={draws!r}: must be an integer ≥ 2")
    horizon = horizon or max(104, 2 * fit.observations.last_week)
    if isinstance(horizon, bool) or not isinstance(horizon, int) or horizon < 1:
        raise ParamError(f"forecast: horizon={horizon!r}: must be a number of weeks ≥ 1")
    start = fit.observations.last_week + 1 if start is None else start
    if isinstance(start, bool) or not isinstance(start, int) or not 0 <= start <= horizon:
        raise ParamError(f"forecast: start={start!r}: must be a week from 0 to the horizon ({horizon})")
    names = list(dict.fromkeys(["baseline", *(s.strip() for s in strategies if s.strip())]))
    changes = {name: _strategy(fit, name, parameter, start, horizon) for name in names}
    particles = fit.draws(draws, seed)
    tasks = [(s * draws + i, {**fit.base.to_dict(), **theta, **changes[name], "seed": run_seed, "steps": horizon})
             for s, name in enumerate(names) for i, (theta, run_seed) in enumerate(particles)]
    rows = dict(execute(tasks, workers=workers, scheduler=scheduler, series=("believers", "customers_believing"),
                        progress=progress))
    failed = [row["error"] for row in rows.values() if row.get("error")]
    if failed:
        raise RuntimeError(f"forecast: {len(failed)} runs failed: {failed[0]}")
    believers, weeks = {}, {}
    for s, name in enumerate(names):
        mine = [rows[s * draws + i] for i in range(draws)]
        believers[name] = np.array([row["believers"] for row in mine])
        weeks[name] = {level: _first_week(believers[name], level) for level in LEVELS}
    customers = np.array([rows[i]["customers_believing"] for i in range(draws)])
    return Forecast(fit, horizon, believers, customers, weeks)


def _strategy(fit: Fit, name: str, parameter: str, start: int, horizon: int) -> dict[str, Any]:
    """The parameter changes of a strategy: scheduled from ``start`` as interventions (week 0: set)."""
    from adoption.params import as_text
    from experiments.compare import variant

    change = variant(name, parameter)
    fitted = set(change) & set(fit.names)
    if fitted:
        raise ParamError(f"forecast: strategy {name!r} sets {', '.join(sorted(fitted))}, a fitted parameter; "
                         f"a strategy changes what the organisation does, not what the survey measured")
    if start > 0 and change:
        scheduled = tuple(f"{start}:{key}={as_text(key, value)}" for key, value in change.items())
        try:
            change = {"interventions": fit.base.interventions + scheduled}
            fit.base.replace(**change, steps=horizon)
        except ParamError as error:
            raise ParamError(f"forecast: strategy {name!r} from week {start}: {error} (to compare rollouts "
                             f"from the beginning, use start 0: --start 0)") from None
    else:
        fit.base.replace(**change, steps=horizon)  # a bad name or value fails here, naming what is allowed
    return change


def _first_week(shares: np.ndarray, level: float) -> np.ndarray:
    """Per run the first week the share reached ``level`` (inf: never)."""
    hits = shares >= level - 1e-9
    return np.where(hits.any(axis=1), hits.argmax(axis=1), np.inf).astype(float)


def _quantiles(values: np.ndarray) -> tuple[float, float, float]:
    """5%, 50% and 95% empirical quantiles (no interpolation: a week is a whole week, and ``inf`` stays
    ``inf``)."""
    tail = (1 - INTERVAL) / 2
    return tuple(float(np.quantile(values, q, method="inverted_cdf")) for q in (tail, 0.5, 1 - tail))


def _week(value: float, horizon: int) -> str:
    return f">{horizon}" if not math.isfinite(value) or value > horizon else f"{value:.0f}"


def _interval(milestone: dict, horizon: int) -> str:
    return f"{_week(milestone['median'], horizon)} [{_week(milestone['low'], horizon)}, " \
           f"{_week(milestone['high'], horizon)}]"


def _shift(row: dict) -> str:
    """A paired difference in words: ``3 earlier [1, 5]`` or ``2 later [-1, 4]``."""
    median, low, high = (int(round(row[key])) for key in ("median", "low", "high"))  # whole weeks, no "-0"
    if median < 0:
        return f"{-median} earlier [{-high}, {-low}]"
    if median > 0:
        return f"{median} later [{low}, {high}]"
    return f"no change [{low:+d}, {high:+d}]"


def _in_words(row: dict) -> str:
    """The paired difference as a sentence.

    Examples
    --------
    >>> _in_words({"median": -3.0, "low": -5.0, "high": -1.0})
    'brings it 3 weeks earlier [1, 5]'
    >>> _in_words({"median": 0.0, "low": -1.0, "high": 0.0})
    'changes nothing in most draws [-1, +0]'
    """
    shift = _shift(row)
    if shift.startswith("no change"):
        return f"changes nothing in most draws {shift.removeprefix('no change ')}"
    weeks, _, rest = shift.partition(" ")
    return f"brings it {weeks} week{'s' if weeks != '1' else ''} {rest}"


def _plain(row: dict) -> dict:
    """JSON-safe: ``inf`` (never within the horizon) becomes null."""
    return {key: _plain(value) if isinstance(value, dict) else
            (None if isinstance(value, float) and not math.isfinite(value) else value) for key, value in row.items()}


def forecast_figure(result: Forecast, path=None):
    """Fan chart of the believing share with the staff surveys, and the strategies' paired differences."""
    from matplotlib.figure import Figure

    from experiments import palette
    from experiments.calibrate import survey_points
    from experiments.plots import _finish

    ranking = result.ranking()
    figure = Figure(figsize=(12 if ranking else 7.5, 4.6))
    axes = figure.subplots(1, 2 if ranking else 1, squeeze=False)[0]
    ax = axes[0]
    band = result.band()
    ax.fill_between(band["week"], band["p5"] * 100, band["p95"] * 100, color=palette.BELIEVER, alpha=0.15, lw=0,
                    label="90% band")
    ax.fill_between(band["week"], band["p25"] * 100, band["p75"] * 100, color=palette.BELIEVER, alpha=0.3, lw=0,
                    label="50% band")
    ax.plot(band["week"], band["median"] * 100, color=palette.BELIEVER, lw=2, label="median")
    waves = result.fit.observations.waves
    staff = waves[(waves["source"] == "staff") & (waves["group_by"] == "")]
    if len(staff):
        survey_points(ax, staff)
    majority = result.milestone(0.5)
    ax.axhline(50, color=palette.MILESTONE, lw=0.8, ls=":")
    if math.isfinite(majority["median"]):
        ax.axvline(majority["median"], color=palette.MILESTONE, lw=0.8, ls="--",
                   label=f"majority: week {_interval(majority, result.horizon)}")
    ax.set(xlabel="week", ylabel="employees who believe (%)", ylim=(0, 100), xlim=(0, result.horizon),
           title=f"Forecast: {result.draws} posterior draws")
    ax.legend(fontsize=8, loc="lower right")
    if ranking:
        ax = axes[1]
        y = np.arange(len(ranking))[::-1]
        for yi, row, index in zip(y, ranking, range(len(ranking))):
            colour = palette.strategy_colour(index + 1)
            ax.errorbar([row["median"]], [yi], xerr=[[row["median"] - row["low"]], [row["high"] - row["median"]]],
                        fmt="o", color=colour, capsize=3)
            ax.annotate(f"P(helps) = {row['p_helps']:.2f}", (row["high"], yi), xytext=(6, 0),
                        textcoords="offset points", va="center", fontsize=8)
        ax.axvline(0, color=palette.MILESTONE, lw=0.8)
        ax.set_yticks(y, [row["strategy"] for row in ranking], fontsize=8)
        ax.set(xlabel="weeks to majority vs baseline (paired; negative = earlier)",
               title="What each strategy buys (median, 90% interval)")
        ax.margins(x=0.25)
    return _finish(figure, path)
