"""The app's charts as matplotlib figures: organisation, the arc, conversions by source, moments of truth.

Each function takes a :class:`Snapshot` (a copy of the run at one week, so a
chart never reads arrays the model is writing) and returns a Figure with a
title and axis labels with units; :data:`CAPTIONS` holds the sentence a
teacher can read out under each chart. Figures are made with the object API
(no pyplot state), so the drawing thread and the stepping thread never share
anything.
"""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass, field

import matplotlib
import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter, MaxNLocator, PercentFormatter

from adoption.results import MILESTONES
from adoption.results import DIRECT_SOURCES
from adoption.rules.base import SOURCES
from agents.roles import ROLES
from experiments import palette

STYLE = {"font.size": 11.5, "axes.labelsize": 12, "xtick.labelsize": 11, "ytick.labelsize": 11,
         "legend.fontsize": 10.5, "axes.titlesize": 14, "axes.titleweight": "bold"}


def _styled(chart):
    """Draw a chart with the app's font sizes (readable from the back of a classroom)."""
    @functools.wraps(chart)
    def styled(*args, **kwargs):
        with matplotlib.rc_context(STYLE):
            return chart(*args, **kwargs)
    return styled
DPI = 100

CAPTIONS = {
    "organisation": "Each dot is an employee, blue if they believe the value and orange if they doubt it; "
                    "ringed circles are the front line who meet customers, stars the executives.",
    "organisation_units": "Each dot is a team, sized by head count and coloured by the share of its "
                          "members who believe (blue) or doubt (orange).",
    "arc": "Blue is the share of staff who believe, green the share of customers who expect the value; "
           "dotted lines mark 5%, 20%, 50% and 80% and the week each was reached; a dashed line marks a "
           "lever moved during the run.",
    "conversions": "Each bar is one week's new believers, coloured by who convinced them: when green appears, "
                   "customers have started persuading the staff.",
    "economics": "The black line is the weekly profit as a share of the starting weekly revenue (below zero: a "
                 "loss); purple is staff morale and the dashed green line the customers kept (100% = the start).",
    "moments": "Grey bars count the moments of truth each week; the blue line is the share that served the "
               "customer well, which rises as believers reach the front line.",
}


@dataclass(frozen=True)
class Snapshot:
    """The run at one week, copied so that charts can be drawn while the model steps on."""

    step: int
    planned: int  # weeks the run will last (the x axis is fixed to it)
    series: dict
    conviction: np.ndarray
    unit: np.ndarray
    milestones: dict = field(default_factory=dict)
    changes: list = field(default_factory=list)  # (week, {parameter: value}) interventions so far

    @property
    def believers(self) -> float:
        return float(self.series["believers"][-1])

    @property
    def customers(self) -> float:
        return float(self.series["customers_believing"][-1])


def take_snapshot(model) -> Snapshot:
    """Copy what the charts need from ``model`` (call it while holding the run's lock)."""
    series = {name: list(values) for name, values in model.results.series.items()}
    return Snapshot(int(model.steps), max(int(model.params.steps), int(model.steps)), series,
                    model.state.conviction.copy(), model.organisation.unit, model.results.milestones,
                    list(model.changes))


def png(figure: Figure) -> bytes:
    """The figure as PNG bytes (for the page and for the PNG download)."""
    buffer = io.BytesIO()
    with matplotlib.rc_context(STYLE):
        figure.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()


def _figure(width: float, height: float) -> Figure:
    figure = Figure(figsize=(width, height), dpi=DPI, layout="constrained")
    return figure


def _weeks_axis(axes, snapshot: Snapshot) -> np.ndarray:
    axes.set_xlim(-0.5, snapshot.planned + 0.5)
    axes.set_xlabel("week (one step = one week)")
    axes.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=10))
    axes.grid(True, axis="y", alpha=0.3)
    axes.spines[["top", "right"]].set_visible(False)
    return np.arange(len(snapshot.series["believers"]))


@_styled
def organisation(view, snapshot: Snapshot) -> Figure:
    """The organisation network coloured by conviction, shaped by role (or by unit when large)."""
    figure = _figure(5.4, 5.0)
    axes = figure.add_subplot()
    axes.add_collection(LineCollection(view.segments, colors=palette.EDGE, linewidths=0.5, alpha=0.35, zorder=1))
    values = view.shares(snapshot.conviction, snapshot.unit)
    if view.kind == "employees":
        shrink = min(1.0, np.sqrt(400 / max(view.employees, 1)))  # smaller dots for bigger organisations
        for code, role in enumerate(ROLES):
            mask = view.role == code
            if not mask.any():
                continue
            front = role == "front_line"
            mask = np.flatnonzero(mask)[np.argsort(values[mask], kind="stable")]  # believers drawn on top
            axes.scatter(view.xy[mask, 0], view.xy[mask, 1], c=values[mask], cmap=palette.CONVICTION,
                         vmin=0, vmax=1, marker=palette.ROLE_MARKERS[role], s=palette.ROLE_SIZES[role] * shrink,
                         edgecolors=palette.INK, linewidths=1.1 if front or role == "leader" else 0.3,
                         zorder=3 if role in ("leader", "manager") else 2)
        handles = [Line2D([], [], marker=palette.ROLE_MARKERS[role], linestyle="", markersize=11 if role == "leader"
                          else 8, markerfacecolor="white", markeredgecolor=palette.INK,
                          markeredgewidth=1.3 if role in ("front_line", "leader") else 0.6,
                          label=palette.ROLE_LABELS[role]) for role in ROLES if (view.role == ROLES.index(role)).any()]
        axes.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.01), ncols=2, frameon=False,
                    fontsize=10.5)
        title = f"Who believes, week {snapshot.step}: {view.employees} employees"
    else:
        sizes = 30 + 300 * view.size / max(view.size.max(), 1)
        front = view.role == ROLES.index("front_line")
        axes.scatter(view.xy[:, 0], view.xy[:, 1], c=values, cmap=palette.CONVICTION, vmin=0, vmax=1, s=sizes,
                     edgecolors=palette.INK, linewidths=np.where(front, 1.4, 0.3), zorder=2)
        handles = [Line2D([], [], marker="o", linestyle="", markersize=9, markerfacecolor="white",
                          markeredgecolor=palette.INK, markeredgewidth=width, label=text)
                   for width, text in ((1.4, "front-line team (meets customers)"), (0.3, "other team"))]
        axes.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.01), ncols=2, frameon=False)
        shown = f"{len(view.members)} largest teams" if len(view.members) < view.units else f"{view.units} teams"
        title = f"Who believes, week {snapshot.step}:\n{shown} of {view.employees:,} employees"
    axes.set_title(title)
    colourbar = figure.colorbar(axes.collections[-1], ax=axes, fraction=0.04, pad=0.01, shrink=0.8)
    colourbar.set_label("conviction (0 doubter – 1 believer)" if view.kind == "employees"
                        else "share of the team who believe")
    axes.set_aspect("equal", adjustable="datalim")
    axes.autoscale_view()
    axes.set_axis_off()
    return figure


@_styled
def arc(snapshot: Snapshot) -> Figure:
    """Employee and customer believer shares with the 5/20/50/80% milestones."""
    figure = _figure(5.4, 3.1)
    axes = figure.add_subplot()
    weeks = _weeks_axis(axes, snapshot)
    series = snapshot.series
    for level in MILESTONES:
        axes.axhline(level, color=palette.MILESTONE, linestyle=":", linewidth=0.9, zorder=1)
        week = snapshot.milestones.get(str(level))
        label = f"{level:.0%}" + (f" · week {week}" if week is not None else "")
        axes.text(snapshot.planned + 0.5, level, " " + label, va="center", ha="left", fontsize=10,
                  color=palette.MILESTONE, clip_on=False)
        if week is not None:
            axes.plot([week], [level], marker="o", color=palette.BELIEVER, markersize=6, zorder=4)
    for week, changes in snapshot.changes:  # interventions: where a lever moved
        axes.axvline(week - 0.5, color=palette.INK, linestyle="--", linewidth=0.9, zorder=1)
        axes.text(week - 0.9, 0.03, "\n".join(f"{name}={value}" for name, value in changes.items()),
                  rotation=90, va="bottom", ha="right", fontsize=8, color=palette.INK, clip_on=True,
                  in_layout=False)
    axes.plot(weeks, series["believers"], color=palette.BELIEVER, linewidth=2.6, label="staff who believe")
    axes.plot(weeks, series["customers_believing"], color=palette.CUSTOMER, linewidth=2.2,
              label="customers who expect it")
    axes.set_ylim(0, 1.02)
    axes.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    axes.set_ylabel("share of people (%)")
    axes.set_title("The arc: staff and customers who believe", pad=26)
    axes.legend(loc="lower left", bbox_to_anchor=(0.0, 1.0), ncols=2, frameon=False, fontsize=10.5)
    return figure


@_styled
def conversions(snapshot: Snapshot) -> Figure:
    """New believers per week, stacked by the channel that convinced them."""
    figure = _figure(5.4, 3.4)
    axes = figure.add_subplot()
    weeks = _weeks_axis(axes, snapshot)
    bottom = np.zeros(len(weeks))
    for source in (*SOURCES, *DIRECT_SOURCES):
        counts = np.asarray(snapshot.series[f"conversions_{source}"], dtype=float)
        total = int(counts.sum())
        if source in DIRECT_SOURCES and total == 0:
            continue  # hires, training and innovators appear only where a lever or rule makes them
        axes.bar(weeks, counts, bottom=bottom, width=0.85, color=palette.SOURCE_COLOURS[source],
                 label=f"{palette.SOURCE_LABELS[source]}: {total}")
        bottom += counts
    axes.set_ylim(0, max(4, bottom.max() * 1.15))
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_ylabel("new believers per week")
    axes.set_title("Who convinced the new believers", pad=62)
    axes.legend(loc="lower left", bbox_to_anchor=(0.0, 1.0), ncols=2, frameon=False, fontsize=10,
                title="convinced by (total)", title_fontsize=10.5)  # above the bars, never over them
    return figure


@_styled
def moments(snapshot: Snapshot) -> Figure:
    """Moments of truth per week and the share that served the customer well."""
    figure = _figure(5.4, 2.9)
    axes = figure.add_subplot()
    weeks = _weeks_axis(axes, snapshot)
    counts = np.asarray(snapshot.series["moments_of_truth"], dtype=float)
    axes.bar(weeks, counts, width=0.85, color=palette.MOMENTS, alpha=0.45)
    axes.set_ylabel("moments per week", color=palette.INK)
    axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:,.0f}"))  # 1,000,000, not a 1e6 offset
    axes.set_ylim(0, max(1, counts.max() * 1.1))
    share = axes.twinx()
    satisfaction = np.asarray(snapshot.series["satisfaction"], dtype=float)
    share.plot(weeks[1:], satisfaction[1:], color=palette.SATISFACTION, linewidth=2.4, marker="o", markersize=3)
    share.set_ylim(0, 1.02)
    share.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    share.set_ylabel("served well (%)", color=palette.SATISFACTION)
    share.spines[["top"]].set_visible(False)
    total = int(snapshot.series["moments_of_truth_total"][-1])
    axes.set_title(f"Moments of truth: {total:,} so far")
    return figure


@_styled
def strategy_bands(comparison) -> Figure:
    """Believer share per strategy: the mean over replicates and a 10–90% band of the runs."""
    figure = _figure(7.2, 3.4)
    axes = figure.add_subplot()
    steps = 0
    for index, runs in enumerate(comparison):
        band = runs.band(0.1, 0.9)
        colour = palette.strategy_colour(index)
        axes.fill_between(band["week"], band["low"], band["high"], color=colour, alpha=0.18, linewidth=0)
        axes.plot(band["week"], band["mean"], color=colour, linewidth=2.4, label=_wrapped(runs.strategy))
        steps = max(steps, runs.steps)
    for level in MILESTONES[1:]:
        axes.axhline(level, color=palette.MILESTONE, linestyle=":", linewidth=0.9)
    axes.set_xlim(0, steps)
    axes.set_ylim(0, 1.02)
    axes.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    axes.set_xlabel("week (one step = one week)")
    axes.set_ylabel("staff who believe (%)")
    axes.grid(True, axis="y", alpha=0.3)
    axes.spines[["top", "right"]].set_visible(False)
    axes.set_title(f"Strategies compared: {comparison.replicates} runs each")
    axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=10, title="strategy",
                title_fontsize=10.5)  # beside the plot, never over the curves
    return figure


def _wrapped(strategy: str) -> str:
    """An intervention package on several lines, one change a line."""
    return strategy.replace("+", " +\n")


@_styled
def time_to_majority(comparison, level: float = 0.5) -> Figure:
    """Mean weeks to ``level`` per strategy with its 95% interval, and the share of runs that got there."""
    rows = [(runs.strategy, runs.time_to(level)) for runs in comparison]
    figure = _figure(5.6, 1.0 + 0.5 * len(rows))
    axes = figure.add_subplot()
    steps = max(runs.steps for runs in comparison)
    for y, (index, (name, estimate)) in zip(range(len(rows))[::-1], enumerate(rows)):
        colour = palette.strategy_colour(index)
        if estimate.reached:
            low = estimate.low if not np.isnan(estimate.low) else estimate.mean
            high = estimate.high if not np.isnan(estimate.high) else estimate.mean
            axes.plot([low, high], [y, y], color=colour, linewidth=3, solid_capstyle="butt")
            axes.plot([estimate.mean], [y], "o", color=colour, markersize=9)
            text = f"{estimate.mean:.1f} weeks [{low:.1f}–{high:.1f}]"
            if estimate.reached < estimate.runs:
                text += f", {estimate.reached} of {estimate.runs} runs"
            axes.text(high + steps * 0.015, y, text, va="center", fontsize=10.5)
        else:
            axes.text(0, y, f"never within {steps} weeks ({estimate.runs} runs)", va="center", fontsize=10.5)
    axes.set_yticks(range(len(rows))[::-1], [_wrapped(name) for name, _ in rows])
    reached_high = [estimate.high if not np.isnan(estimate.high) else estimate.mean
                    for _, estimate in rows if estimate.reached]
    axes.set_xlim(0, max([steps * 1.35, *(high + steps * 0.8 for high in reached_high)]))
    axes.set_ylim(-0.7, len(rows) - 0.3)
    axes.set_xlabel(f"weeks to {level:.0%} believing (mean, 95% interval)")
    axes.grid(True, axis="x", alpha=0.3)
    axes.spines[["top", "right"]].set_visible(False)
    axes.set_title(f"Time to a {level:.0%} majority")
    return figure


CAPTIONS["bands"] = ("Each line is the average of the runs for one strategy (a way of choosing the first "
                     "believers, or an intervention package); the shaded band holds the middle 80% of runs, so "
                     "overlap means the difference is uncertain.")
CAPTIONS["majority"] = ("The dot is the average number of weeks until half the staff believe, the bar its 95% "
                        "interval; a strategy whose bar lies further left wins the majority sooner.")
