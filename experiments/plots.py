"""Plots of experiments as matplotlib figures: saved as PNG from the command line, shown inline in a notebook.

Every function returns the :class:`matplotlib.figure.Figure` and, given a
``path``, also saves it as PNG. Figures are made with the object API (no
pyplot state), so they work under the Agg backend on a server.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from matplotlib.figure import Figure

from experiments import palette


def _finish(figure: Figure, path) -> Figure:
    figure.tight_layout()
    if path is not None:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        figure.savefig(path, dpi=120)
    return figure


def strategy_bands(comparison, path=None, low: float = 0.1, high: float = 0.9) -> Figure:
    """Employee believer share per week for each strategy: mean line and ``low``–``high`` quantile band."""
    figure = Figure(figsize=(7.5, 4.5))
    axes = figure.subplots()
    for index, runs in enumerate(comparison):
        colour = palette.strategy_colour(index)
        band = runs.band(low, high)
        axes.fill_between(band["week"], band["low"] * 100, band["high"] * 100, color=colour, alpha=0.2, lw=0)
        axes.plot(band["week"], band["mean"] * 100, color=colour, lw=2, label=runs.strategy)
    for level in (20, 50):
        axes.axhline(level, color=palette.MILESTONE, lw=0.8, ls=":")
    axes.set(xlabel="week", ylabel="employees who believe (%)", ylim=(0, 100),
             title=f"Rollout strategies ({comparison.parameter}), {comparison.replicates} runs each")
    axes.legend(title=f"line: mean; band: {low:.0%}–{high:.0%} of runs", loc="lower right", fontsize=9)
    return _finish(figure, path)


def sensitivity_bars(table, output: str, path=None) -> Figure:
    """Sensitivity indices as bars with their confidence intervals (Sobol: first and total order;
    Morris: μ* and σ), largest first."""
    figure = Figure(figsize=(7.5, 0.4 * len(table) + 1.8))
    axes = figure.subplots()
    names = list(table["parameter"])[::-1]
    y = np.arange(len(names))
    if "ST" in table:
        pairs = (("S1", "S1_conf", "first order"), ("ST", "ST_conf", "total order"))
        xlabel = "Sobol index (share of output variance)"
    else:
        pairs = (("mu_star", "mu_star_conf", "μ* (mean |effect|)"), ("sigma", None, "σ (interactions, non-linearity)"))
        xlabel = f"Morris elementary effect on {output}"
    for offset, (column, conf, label) in zip((0.2, -0.2), pairs):
        values = np.asarray(table[column], dtype=float)[::-1]
        errors = np.asarray(table[conf], dtype=float)[::-1] if conf else None
        axes.barh(y + offset, values, height=0.4, xerr=errors, label=label, capsize=2,
                  color=palette.BELIEVER if offset > 0 else palette.SATISFACTION)
    axes.set_yticks(y, names)
    axes.axvline(0, color="black", lw=0.6)
    axes.set(xlabel=xlabel, title=f"What drives {output}")
    axes.legend(loc="lower right", fontsize=9)
    return _finish(figure, path)


def phase_diagram(grid, path=None) -> Figure:
    """Heat map of an output over two parameters (a :class:`experiments.analysis.PhaseGrid`):
    where the organisation tips."""
    figure = Figure(figsize=(6.5, 5))
    axes = figure.subplots()
    image = axes.pcolormesh(_edges(grid.x_values), _edges(grid.y_values), grid.values, shading="flat",
                            cmap="viridis")
    colourbar = figure.colorbar(image, ax=axes)
    colourbar.set_label(grid.label)
    if grid.values.size <= 144:  # small grids: print the number in each cell
        middle = np.nanmean(grid.values) if np.isfinite(grid.values).any() else 0
        for (i, j), value in np.ndenumerate(grid.values):
            if np.isfinite(value):
                axes.text(grid.x_values[j], grid.y_values[i], f"{value:.2g}", ha="center", va="center",
                          fontsize=8, color="white" if value < middle else "black")
    if len(grid.x_values) <= 12:
        axes.set_xticks(grid.x_values)
    if len(grid.y_values) <= 12:
        axes.set_yticks(grid.y_values)
    axes.set(xlabel=_with_unit(grid.x), ylabel=_with_unit(grid.y), title=f"Where the organisation tips: {grid.output}")
    return _finish(figure, path)


def _with_unit(name: str) -> str:
    """A parameter's axis label with its unit from its declaration, e.g. ``customer_feedback (pressure)``."""
    from adoption.params import SPECS

    unit = SPECS[name].metadata["unit"] if name in SPECS else ""
    return f"{name} ({unit})" if unit else name


def _edges(centres) -> np.ndarray:
    """Cell edges around sorted cell centres (midpoints; half a step beyond the ends)."""
    centres = np.asarray(centres, dtype=float)
    if len(centres) == 1:
        return np.array([centres[0] - 0.5, centres[0] + 0.5])
    middle = (centres[1:] + centres[:-1]) / 2
    return np.concatenate([[2 * centres[0] - middle[0]], middle, [2 * centres[-1] - middle[-1]]])
