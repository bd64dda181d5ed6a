"""Analysis of a finished sweep: sensitivity indices (SALib) and phase diagrams.

Outputs are read from the sweep's rows by column name (``weeks_to_50``,
``final_employees``, ...). A milestone never reached within the run counts
as week ``steps + 1`` (right-censored at the horizon), so that every point has
a number and slow corners of parameter space are not silently dropped; a run
that failed (``error`` set) is left out of phase diagrams and stops a
sensitivity analysis, which needs every point of its sample.

References
----------
Saltelli, A. et al. (2010). Variance based sensitivity analysis of model
output. Computer Physics Communications 181(2), 259–270.
Campolongo, F., Cariboni, J. & Saltelli, A. (2007). An effective screening
design for sensitivity analysis of large models. Environmental Modelling &
Software 22(10), 1509–1518.
Ishigami, T. & Homma, T. (1990). An importance quantification technique in
uncertainty analysis for computer models. ISUMA '90, 398–403.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from adoption.params import ParamError, _did_you_mean
from experiments.store import Store


def outcome(table, output: str, steps: int | None) -> np.ndarray:
    """One number per run for ``output``: milestones never reached count as ``steps + 1``; failed runs NaN."""
    if output not in table.column_names:
        names = [name for name in table.column_names if name not in ("run", "point", "replicate", "error")]
        raise ParamError(f"--output {output}: not a column of this sweep{_did_you_mean(output, names)}; "
                         f"e.g. weeks_to_50, final_employees, conversions_customer")
    values = np.array([np.nan if value is None else value for value in table[output].to_pylist()], dtype=float)
    if output.startswith("weeks_to_"):
        horizon = np.array(table["steps"].to_pylist(), dtype=float) if "steps" in table.column_names else steps
        censored = np.isnan(values)
        values = np.where(censored, np.asarray(horizon, dtype=float) + 1, values)
    if "error" in table.column_names:
        values[np.array([error is not None for error in table["error"].to_pylist()])] = np.nan
    return values


def point_means(store: Store, output: str) -> np.ndarray:
    """The mean of ``output`` over the replicates of each point, in point order."""
    meta, table = store.meta, store.table()
    values = outcome(table, output, meta.get("steps"))
    points = np.array(table["point"].to_pylist(), dtype=int)
    counts = np.bincount(points, minlength=meta["points"])
    if len(points) < meta["runs"] or np.any(counts == 0):
        raise ParamError(f"{store.folder}: {meta['runs'] - len(points)} of {meta['runs']} runs missing; "
                         f"finish it with `adoption sweep SPEC --out {store.folder} --resume`")
    failed = np.isnan(values)
    if failed.any():
        first = table["error"][int(np.flatnonzero(failed)[0])].as_py() if "error" in table.column_names else "NaN"
        raise ParamError(f"{store.folder}: {int(failed.sum())} runs have no {output} (first: {first}); "
                         f"a sensitivity analysis needs every point")
    return np.bincount(points, weights=values, minlength=meta["points"]) / counts


def _problem(store: Store, methods: tuple[str, ...]) -> dict[str, Any]:
    meta = store.meta
    if meta.get("method") not in methods:
        raise ParamError(f"{store.folder}: a {meta.get('method')} sweep; this analysis needs a "
                         f"{' or '.join(methods)} sample ([sample] method in the spec)")
    return meta["problem"]


def sobol(folder, output: str = "weeks_to_50", seed: int = 0):
    """Sobol' first-order and total indices of ``output`` with 95% bootstrap intervals, largest total first.

    Returns
    -------
    pandas.DataFrame
        Columns ``parameter``, ``S1``, ``S1_conf``, ``ST``, ``ST_conf``.
    """
    import pandas as pd
    from SALib.analyze import sobol as salib_sobol

    store = _store(folder)
    problem = _problem(store, ("sobol",))
    means = point_means(store, output)
    second = store.meta["options"].get("second_order", False)
    indices = salib_sobol.analyze(problem, means, calc_second_order=second, seed=seed)
    table = pd.DataFrame({"parameter": problem["names"], "S1": indices["S1"], "S1_conf": indices["S1_conf"],
                          "ST": indices["ST"], "ST_conf": indices["ST_conf"]})
    return table.sort_values("ST", ascending=False, ignore_index=True)


def morris(folder, output: str = "weeks_to_50", seed: int = 0):
    """Morris elementary effects of ``output``: μ* (importance), σ (interactions), largest μ* first.

    Returns
    -------
    pandas.DataFrame
        Columns ``parameter``, ``mu_star``, ``mu_star_conf``, ``mu``, ``sigma``.
    """
    import pandas as pd
    from SALib.analyze import morris as salib_morris

    store = _store(folder)
    problem = _problem(store, ("morris",))
    means = point_means(store, output)
    sample = np.asarray(store.meta["sample"], dtype=float)
    levels = store.meta["options"].get("levels", 4)
    indices = salib_morris.analyze(problem, sample, means, num_levels=levels, seed=seed)
    table = pd.DataFrame({"parameter": problem["names"], "mu_star": indices["mu_star"],
                          "mu_star_conf": indices["mu_star_conf"], "mu": indices["mu"], "sigma": indices["sigma"]})
    return table.sort_values("mu_star", ascending=False, ignore_index=True)


def sensitivity(folder, output: str = "weeks_to_50", seed: int = 0):
    """Sobol' or Morris indices, whichever the sweep's sample supports."""
    store = _store(folder)
    method = store.meta.get("method")
    if method == "morris":
        return morris(store, output, seed)
    return sobol(store, output, seed)


@dataclass
class PhaseGrid:
    """Mean of an output over cells of two parameters: ``values[i, j]`` at ``y_values[i]``, ``x_values[j]``."""

    x: str
    y: str
    x_values: np.ndarray
    y_values: np.ndarray
    values: np.ndarray
    counts: np.ndarray
    output: str

    @property
    def label(self) -> str:
        if self.output.startswith("weeks_to_"):
            return f"weeks to {self.output.removeprefix('weeks_to_')}% believers (never: horizon + 1)"
        if self.output.startswith("final_"):
            return f"final share of {self.output.removeprefix('final_')} who believe"
        return self.output


def phase(folder, x: str, y: str, output: str = "final_employees", bins: int = 10,
          where: dict[str, Any] | None = None) -> PhaseGrid:
    """A phase diagram: the mean of ``output`` over ``x`` × ``y`` (the grid's values, or ``bins``
    equal bins of a sampled sweep), averaged over replicates and any other varied parameter not
    fixed by ``where``.

    Examples
    --------
    >>> import tempfile
    >>> from experiments.spec import Spec
    >>> from experiments.sweep import run_sweep
    >>> spec = Spec.from_dict({"base": {"employees": 50, "customers": 200, "steps": 10},
    ...     "vary": {"initial_believers": [0.05, 0.3], "customer_feedback": [0.0, 2.0]}})
    >>> grid = phase(run_sweep(spec, tempfile.mkdtemp(), workers=1).folder, "initial_believers", "customer_feedback")
    >>> grid.values.shape
    (2, 2)
    """
    store = _store(folder)
    table = store.table()
    for name in (x, y, *(where or {})):
        if name not in table.column_names:
            raise ParamError(f"--phase {name}: not a parameter of this sweep"
                             f"{_did_you_mean(name, store.meta.get('varied', []))}; "
                             f"varied: {', '.join(store.meta.get('varied', []))}")
    keep = np.ones(table.num_rows, dtype=bool)
    for name, value in (where or {}).items():
        column = table[name].to_pylist()
        if value not in column:
            raise ParamError(f"--where {name}={value}: no run has it; values: "
                             f"{', '.join(map(str, sorted(set(column), key=str)))}")
        keep &= np.array([item == value for item in column])
    values = outcome(table, output, store.meta.get("steps"))
    keep &= ~np.isnan(values)
    x_index, x_values = _cells(table[x].to_pylist(), bins, x)
    y_index, y_values = _cells(table[y].to_pylist(), bins, y)
    shape = (len(y_values), len(x_values))
    flat = np.ravel_multi_index((y_index[keep], x_index[keep]), shape)
    counts = np.bincount(flat, minlength=shape[0] * shape[1]).reshape(shape)
    sums = np.bincount(flat, weights=values[keep], minlength=shape[0] * shape[1]).reshape(shape)
    with np.errstate(invalid="ignore", divide="ignore"):
        means = np.where(counts > 0, sums / counts, np.nan)
    return PhaseGrid(x, y, x_values, y_values, means, counts, output)


def _cells(column: list, bins: int, name: str) -> tuple[np.ndarray, np.ndarray]:
    """Cell index of each run and the cell centres: distinct values when few, else equal bins."""
    if not all(isinstance(value, (int, float)) and not isinstance(value, bool) for value in column):
        raise ParamError(f"--phase {name}: a phase diagram needs numeric parameters")
    values = np.asarray(column, dtype=float)
    distinct = np.unique(values)
    if len(distinct) <= max(bins, 25):
        return np.searchsorted(distinct, values), distinct
    edges = np.linspace(distinct[0], distinct[-1], bins + 1)
    index = np.clip(np.searchsorted(edges, values, side="right") - 1, 0, bins - 1)
    return index, (edges[1:] + edges[:-1]) / 2


def _store(folder) -> Store:
    if isinstance(folder, Store):
        return folder
    from adoption.arguments import is_dir

    if not is_dir(folder):
        raise ParamError(f"{folder}: no such sweep folder")
    return Store(folder)


# --- a toy function with known indices, to check the analysis end to end ------------------
ISHIGAMI = {"x1": 0.0, "x2": 0.0, "x3": 0.0}  # parameters of the Ishigami function, each uniform on [-π, π]


def ishigami(values: dict[str, float], series=(), a: float = 7.0, b: float = 0.1) -> dict[str, Any]:
    """The Ishigami–Homma test function as a sweep runner: ``y = sin x1 + a sin² x2 + b x3⁴ sin x1``.

    With a = 7, b = 0.1 its Sobol' indices are known analytically:
    S1 = (0.314, 0.442, 0), ST = (0.558, 0.442, 0.244).
    """
    x1, x2, x3 = (values[name] for name in ("x1", "x2", "x3"))
    y = math.sin(x1) + a * math.sin(x2) ** 2 + b * x3 ** 4 * math.sin(x1)
    return {**values, "y": y, "error": None}


def format_table(frame, digits: int = 3) -> str:
    """A data frame as aligned text for the terminal."""
    return frame.to_string(index=False, float_format=lambda value: f"{value:.{digits}f}")
