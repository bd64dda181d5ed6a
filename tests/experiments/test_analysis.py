"""Analysis: SALib through the sweep → store → analysis path on a function with known indices; phase diagrams."""

import math

import numpy as np
import pytest

from adoption import ParamError
from experiments import analysis, plots
from experiments.analysis import ISHIGAMI, ishigami
from experiments.spec import Spec
from experiments.sweep import run_sweep

BOUNDS = {name: [-math.pi, math.pi] for name in ISHIGAMI}


def test_sobol_recovers_the_ishigami_indices(tmp_path):
    """Ishigami & Homma (1990), a=7, b=0.1: S1 = (0.314, 0.442, 0), ST = (0.558, 0.442, 0.244).
    Tolerance 0.06 at n = 1024 (bootstrap intervals are about ±0.06)."""
    spec = Spec.from_dict({"sweep": {"seed": 1}, "sample": {"method": "sobol", "n": 1024, "bounds": BOUNDS}},
                          parameters=ISHIGAMI)
    run_sweep(spec, tmp_path, workers=2, runner=ishigami, progress=False)
    table = analysis.sobol(tmp_path, "y").set_index("parameter")
    expected = {"x1": (0.314, 0.558), "x2": (0.442, 0.442), "x3": (0.0, 0.244)}
    for name, (first, total) in expected.items():
        assert abs(table.loc[name, "S1"] - first) < 0.06, table
        assert abs(table.loc[name, "ST"] - total) < 0.06, table
        assert table.loc[name, "S1_conf"] > 0
    assert list(table.index) == ["x1", "x2", "x3"]  # sorted by total effect
    figure = plots.sensitivity_bars(table.reset_index(), "y", tmp_path / "bars.png")
    assert (tmp_path / "bars.png").stat().st_size > 0 and figure.axes


def test_morris_ranks_the_ishigami_inputs(tmp_path):
    """Morris μ* on Ishigami: x1 and x2 matter far more than x3 alone; x3 acts only with x1 (σ > 0)."""
    spec = Spec.from_dict({"sample": {"method": "morris", "n": 60, "bounds": BOUNDS}}, parameters=ISHIGAMI)
    run_sweep(spec, tmp_path, workers=1, runner=ishigami, progress=False)
    table = analysis.morris(tmp_path, "y").set_index("parameter")
    assert table.loc["x3", "mu_star"] < min(table.loc["x1", "mu_star"], table.loc["x2", "mu_star"]), table
    assert table.loc["x3", "sigma"] > 0, table


def test_phase_diagram_averages_replicates_on_the_grid(tmp_path):
    spec = Spec.from_dict({"base": {"employees": 60, "customers": 300, "steps": 20}, "sweep": {"replicates": 2},
                           "vary": {"initial_believers": [0.05, 0.5], "customer_feedback": [0.0, 2.0]}})
    run_sweep(spec, tmp_path, workers=1, progress=False)
    grid = analysis.phase(tmp_path, "initial_believers", "customer_feedback", "final_employees")
    assert grid.values.shape == (2, 2) and np.all(grid.counts == 2)
    from experiments.store import Store

    table = Store(tmp_path).table()
    rows = [row for row in table.to_pylist() if row["initial_believers"] == 0.5 and row["customer_feedback"] == 2.0]
    assert grid.values[1, 1] == pytest.approx(np.mean([row["final_employees"] for row in rows]))
    assert grid.values[1, 1] > grid.values[0, 0], grid.values  # more believers and customer voice tip further
    plots.phase_diagram(grid, tmp_path / "phase.png")
    assert (tmp_path / "phase.png").read_bytes()[:4] == b"\x89PNG"


def test_never_reached_counts_as_the_horizon_plus_one(tmp_path):
    spec = Spec.from_dict({"base": {"employees": 60, "customers": 300, "steps": 5},
                           "vary": {"customer_feedback": [0.0]}})
    run_sweep(spec, tmp_path, workers=1, progress=False)
    from experiments.store import Store

    table = Store(tmp_path).table()
    assert table["weeks_to_80"].to_pylist() == [None]
    assert analysis.outcome(table, "weeks_to_80", 5).tolist() == [6.0]


def test_analysis_errors_are_plain(tmp_path):
    spec = Spec.from_dict({"base": {"employees": 60, "customers": 300, "steps": 5}, "vary": {"threshold": [0.3]}})
    run_sweep(spec, tmp_path, workers=1, progress=False)
    with pytest.raises(ParamError, match="needs a sobol sample"):
        analysis.sobol(tmp_path)
    with pytest.raises(ParamError, match="weeks_to_55: not a column .*did you mean weeks_to_5"):
        analysis.phase(tmp_path, "threshold", "threshold", "weeks_to_55")
    with pytest.raises(ParamError, match="no such sweep folder"):
        analysis.sobol(tmp_path / "nothing")
