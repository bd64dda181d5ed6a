"""Strategy comparison: which rollout reaches the majority soonest, and how sure we are.

A strategy is a value of one parameter (by default ``seeding``: ``leaders``,
``frontline``, ...) or an intervention package written as assignments joined
by ``+`` (``recognition=0.5+training=0.2``); ``baseline`` is the base
parameters unchanged. So the same comparison answers "whom to convince
first" and "what each intervention buys".

Every strategy runs the same replicates with the same seeds (common random
numbers): replicate ``i`` of every strategy shares its organisation network,
thresholds and customers, so differences come from the strategy, not from luck.

Runs that never reach a level within the horizon are reported honestly: the
mean time to a level is over the runs that reached it (with a 95% Student-t
interval), always shown with the share of runs that reached it (with a 95%
Wilson interval). ``censored_mean`` counts a run that never reached the level
as week ``steps + 1``: a lower bound on the true mean when some runs never get
there.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from adoption.params import SPECS, ParamError, Params, parse_assignment
from experiments.spec import MAX_RUNS, replicate_seed
from experiments.sweep import Progress, execute

LEVELS = (0.2, 0.5)  # the milestones a leadership team asks about: a fifth, and the majority
CONFIDENCE = 0.95


@dataclass(frozen=True)
class Estimate:
    """Weeks to a believer level across replicates.

    ``mean``, ``low`` and ``high`` are over the ``reached`` runs that got there
    (NaN if none did; the interval is NaN with fewer than two); ``share`` of all
    ``runs`` reached it, with a Wilson interval ``share_low``..``share_high``.
    """

    level: float
    mean: float
    low: float
    high: float
    reached: int
    runs: int
    share_low: float
    share_high: float
    censored_mean: float

    @property
    def share(self) -> float:
        return self.reached / self.runs if self.runs else math.nan

    @property
    def half_width(self) -> float:
        return (self.high - self.low) / 2


@dataclass
class StrategyRuns:
    """The replicates of one strategy: flat rows and the believer share of every run, week by week."""

    strategy: str
    rows: list[dict[str, Any]]  # Results.row() per replicate, replicate order
    believers: np.ndarray  # shape (replicates, steps + 1)
    profit: np.ndarray | None = None  # weekly profit per run and week, when the economic loop is on

    @property
    def final_profit(self) -> tuple[float, float, float] | None:
        """Mean last-week profit (a share of the starting weekly revenue) with its 95% interval."""
        return None if self.profit is None else mean_interval(self.profit[:, -1])

    @property
    def steps(self) -> int:
        return self.believers.shape[1] - 1

    def weeks_to(self, level: float) -> np.ndarray:
        """Per-run week the employee believer share first reached ``level`` (NaN: never)."""
        column = f"weeks_to_{round(level * 100)}"
        if self.rows and column in self.rows[0]:
            return np.array([np.nan if row[column] is None else row[column] for row in self.rows], dtype=float)
        hits = self.believers >= level - 1e-9  # a level that is not a standard milestone
        return np.where(hits.any(axis=1), hits.argmax(axis=1), np.nan).astype(float)

    def time_to(self, level: float) -> Estimate:
        """Mean weeks to ``level`` over the runs that reached it, with intervals; see the module note."""
        weeks = self.weeks_to(level)
        reached = weeks[~np.isnan(weeks)]
        mean, low, high = mean_interval(reached)
        share_low, share_high = wilson_interval(len(reached), len(weeks))
        censored = float(np.where(np.isnan(weeks), self.steps + 1, weeks).mean()) if len(weeks) else math.nan
        return Estimate(level, mean, low, high, len(reached), len(weeks), share_low, share_high, censored)

    def band(self, low: float = 0.1, high: float = 0.9) -> dict[str, np.ndarray]:
        """Per-week mean believer share and its ``low``..``high`` quantile band across runs."""
        return {
            "week": np.arange(self.steps + 1),
            "mean": self.believers.mean(axis=0),
            "low": np.quantile(self.believers, low, axis=0),
            "high": np.quantile(self.believers, high, axis=0),
        }


@dataclass
class Comparison:
    """Rollout strategies compared over common replicates; index it by strategy name.

    Examples
    --------
    >>> from adoption import Params
    >>> result = compare(Params(employees=60, customers=300, steps=20), ["random", "frontline"], replicates=3)
    >>> result.seeds == compare(Params(employees=60, customers=300, steps=20), ["leaders"], replicates=3).seeds
    True
    >>> result["frontline"].time_to(0.05).mean
    0.0
    """

    base: Params
    parameter: str
    seeds: tuple[int, ...]
    strategies: dict[str, StrategyRuns] = field(default_factory=dict)

    def __getitem__(self, strategy: str) -> StrategyRuns:
        return self.strategies[strategy]

    def __iter__(self):
        return iter(self.strategies.values())

    @property
    def replicates(self) -> int:
        return len(self.seeds)

    def difference(self, strategy: str, against: str, level: float = 0.5) -> tuple[float, float, float, int]:
        """Paired difference in weeks to ``level``, ``strategy`` minus ``against``: mean, 95% interval, pairs.

        Replicate ``i`` of both shares its seed, so the paired difference is
        much tighter than comparing the two means (common random numbers);
        pairs in which either run never reached the level are left out.
        """
        mine, theirs = self[strategy].weeks_to(level), self[against].weeks_to(level)
        both = ~np.isnan(mine) & ~np.isnan(theirs)
        return (*mean_interval(mine[both] - theirs[both]), int(both.sum()))

    def table(self, levels=LEVELS) -> list[dict[str, Any]]:
        """One row per strategy: estimates per level (``to_20``, ``to_50``, ...) as :class:`Estimate`."""
        return [{"strategy": runs.strategy, **{f"to_{round(level * 100)}": runs.time_to(level) for level in levels}}
                for runs in self]

    def to_text(self, levels=LEVELS) -> str:
        """The comparison as a terminal table: mean weeks [95% interval] and the share that got there."""
        width = max(len("strategy"), *(len(name) for name in self.strategies))
        header = f"{'strategy':<{width}}  " + "  ".join(f"{f'weeks to {level:.0%}':<26}" for level in levels)
        first = next(iter(self.strategies))
        header += f"  {'reached majority':<18}  weeks to 50% vs {first} (paired)"
        lines = [f"{self.base.employees} employees, {self.base.customers} customers, {self.base.steps} weeks, "
                 f"{self.replicates} replicates per strategy (common seeds); "
                 f"means over the runs that reached each level, 95% intervals", "", header]
        for row in self.table(levels):
            cells = [_weeks_cell(row[f"to_{round(level * 100)}"]) for level in levels]
            majority = self[row["strategy"]].time_to(0.5)
            reached = f"{majority.share:.0%} [{majority.share_low:.0%}–{majority.share_high:.0%}]"
            lines.append(f"{row['strategy']:<{width}}  " + "  ".join(f"{cell:<26}" for cell in cells)
                         + f"  {reached:<18}  " + _difference_cell(self, row["strategy"], first))
        return "\n".join(lines)

    def plot(self, path=None, **options):
        """Believer share over time per strategy: mean line and 10–90% band; saved as PNG if ``path``."""
        from experiments.plots import strategy_bands

        return strategy_bands(self, path, **options)


def compare(base: Params, strategies: list[str], replicates: int = 30, parameter: str = "seeding",
            workers: int = 1, progress: bool | Progress | None = False) -> Comparison:
    """Run each strategy ``replicates`` times with common seeds and compare them.

    Parameters
    ----------
    base : Params
        The organisation; its ``seed`` is the root of the replicate seeds.
    strategies : list of str
        Values of ``parameter`` to compare (for seeding: any name in
        ``adoption.seeding.SEEDINGS``, read when called), intervention
        packages such as ``"recognition=0.5+training=0.2"``, or ``"baseline"``.
    replicates : int
        Runs per strategy; replicate ``i`` has the same seed for every strategy.
    parameter : str
        The parameter the strategies are values of (default ``seeding``).
    workers : int
        Local processes (``1``: in this process, best for small comparisons).
    progress : bool or callable
        A tqdm bar (``True``), nothing (``False``), or a callable ``(done, total)``.

    Returns
    -------
    Comparison

    References
    ----------
    Glasserman, P. & Yao, D. D. (1992). Some guidelines and guarantees for
    common random numbers. Management Science 38(6), 884–908.
    """
    changes = variants(base, strategies, replicates, parameter)
    strategies = list(changes)
    seeds = tuple(replicate_seed(base.seed, i) for i in range(replicates))
    tasks = [(s * replicates + i, {**base.to_dict(), **changes[strategy], "seed": seed})
             for s, strategy in enumerate(strategies) for i, seed in enumerate(seeds)]
    series = ("believers", "profit") if base.economics else ("believers",)
    rows: dict[int, dict] = dict(execute(tasks, workers=workers, series=series, progress=progress))
    comparison = Comparison(base, parameter, seeds)
    for s, strategy in enumerate(strategies):
        mine = [rows[s * replicates + i] for i in range(replicates)]
        failed = [row["error"] for row in mine if row["error"]]
        if failed:
            raise RuntimeError(f"compare: {parameter}={strategy}: {len(failed)} runs failed: {failed[0]}")
        believers = np.array([row.pop("believers") for row in mine], dtype=float)
        profit = np.array([row.pop("profit") for row in mine], dtype=float) if base.economics else None
        comparison.strategies[strategy] = StrategyRuns(strategy, mine, believers, profit)
    return comparison


def variants(base: Params, strategies: list[str], replicates: int, parameter: str = "seeding") -> dict[str, dict]:
    """Each strategy's parameter changes, all checked before any run: names, values, network files,
    and the number of runs (at most ``MAX_RUNS``, as a sweep)."""
    from adoption.arguments import shown
    from adoption.cost import available_memory, network_file_memory
    from adoption.networks import read
    from adoption.params import BUILTIN_NETWORKS

    if parameter not in SPECS:
        raise ParamError(f"compare: --parameter {shown(parameter)}: unknown parameter; see `adoption params`")
    strategies = list(dict.fromkeys(strategies))
    if not strategies:
        raise ParamError(f"compare: strategies: give at least one value of {parameter}")
    if isinstance(replicates, bool) or not isinstance(replicates, int) or not 1 <= replicates <= MAX_RUNS:
        raise ParamError(f"compare: replicates={shown(replicates)}: must be an integer from 1 to {MAX_RUNS:,}")
    if replicates * len(strategies) > MAX_RUNS:
        raise ParamError(f"compare: {len(strategies)} strategies × {replicates:,} replicates: more than "
                         f"{MAX_RUNS:,} runs; fewer replicates")
    changes = {strategy: variant(strategy, parameter) for strategy in strategies}
    for change in changes.values():
        network = base.replace(**change).network  # a bad name or value fails here, naming what is allowed
        if network not in BUILTIN_NETWORKS and network_file_memory(network) <= available_memory():
            read(network)  # a file that is not a network fails here, not in every run (a huge one: cost check)
    return changes


def variant(strategy: str, parameter: str = "seeding") -> dict[str, Any]:
    """The parameter changes a strategy stands for.

    Examples
    --------
    >>> variant("frontline")
    {'seeding': 'frontline'}
    >>> variant("recognition=0.5+training=0.2")
    {'recognition': 0.5, 'training': 0.2}
    >>> variant("baseline")
    {}
    """
    if strategy == "baseline":
        return {}
    if "=" in strategy or "+" in strategy:
        parts = strategy.split("+")
        if not all("=" in part for part in parts):
            raise ParamError(f"compare: strategy {strategy!r}: a package is NAME=VALUE parts joined by +, "
                             f"e.g. seeding=leaders+leader_consistency=0.6")
        return dict(parse_assignment(part) for part in parts)
    return {parameter: strategy}


# --- statistics ------------------------------------------------------------------
def mean_interval(values: np.ndarray, confidence: float = CONFIDENCE) -> tuple[float, float, float]:
    """Mean and Student-t confidence interval (NaN interval below two values)."""
    values = np.asarray(values, dtype=float)
    if len(values) == 0:
        return math.nan, math.nan, math.nan
    mean = float(values.mean())
    if len(values) < 2:
        return mean, math.nan, math.nan
    from scipy.stats import t

    half = float(t.ppf(0.5 + confidence / 2, len(values) - 1) * values.std(ddof=1) / math.sqrt(len(values)))
    return mean, mean - half, mean + half


def wilson_interval(successes: int, trials: int, confidence: float = CONFIDENCE) -> tuple[float, float]:
    """Wilson score interval for a share (honest at 0% and 100%, unlike the normal approximation).

    References
    ----------
    Wilson, E. B. (1927). Probable inference, the law of succession, and
    statistical inference. JASA 22(158), 209–212.
    """
    if trials == 0:
        return math.nan, math.nan
    from scipy.stats import norm

    z = float(norm.ppf(0.5 + confidence / 2))
    share = successes / trials
    centre = (share + z * z / (2 * trials)) / (1 + z * z / trials)
    half = z * math.sqrt(share * (1 - share) / trials + z * z / (4 * trials * trials)) / (1 + z * z / trials)
    return max(0.0, centre - half), min(1.0, centre + half)


def _difference_cell(comparison: Comparison, strategy: str, first: str) -> str:
    if strategy == first:
        return "-"
    mean, low, high, pairs = comparison.difference(strategy, first)
    if pairs == 0:
        return "no pair reached 50%"
    text = f"{mean:+.1f}" + (f" [{low:+.1f}, {high:+.1f}]" if not math.isnan(low) else "")
    return text + (f" ({pairs}/{comparison.replicates} pairs)" if pairs < comparison.replicates else "")


def _weeks_cell(estimate: Estimate) -> str:
    if estimate.reached == 0:
        return "never"
    text = f"{estimate.mean:.1f}"
    if not math.isnan(estimate.low):
        text += f" [{estimate.low:.1f}, {estimate.high:.1f}]"
    if estimate.reached < estimate.runs:
        text += f" ({estimate.reached}/{estimate.runs})"
    return text
