"""Forecast: exact statistics on hand-made runs, and a forecast that continues the accepted runs and
compares strategies on common random numbers."""

import math

import numpy as np
import pytest

from adoption import ParamError, Params
from experiments.calibrate import calibrate, group_arcs
from experiments.forecast import Forecast, forecast
from experiments.observations import Observations


def _made(baseline, strategy, horizon=40):
    runs = len(baseline)
    flat = np.zeros((runs, horizon + 1))
    return Forecast(None, horizon, {"baseline": flat, "s": flat}, flat,
                    {"baseline": {0.5: np.array(baseline, float)}, "s": {0.5: np.array(strategy, float)}})


def test_paired_difference_counts_never_as_after_the_horizon():
    result = _made([10, 12, math.inf, 20], [8, 12, 30, math.inf])
    # capped at 41: deltas -2, 0, 30-41 = -11, 41-20 = 21
    difference = result.difference("s")
    assert (difference["low"], difference["median"], difference["high"]) == (-11, -2, 21)
    assert difference["p_helps"] == 0.5 and difference["p_hurts"] == 0.25


def test_milestone_quantiles_keep_never_as_infinite():
    result = _made([10, 12, math.inf, 20], [8, 12, 30, math.inf])
    milestone = result.milestone(0.5)
    assert (milestone["low"], milestone["median"], milestone["high"]) == (10, 12, math.inf)
    assert milestone["reached"] == 0.75
    assert result.p_majority_by(12) == 0.5 and result.p_majority_by(9) == 0.0
    assert result.headline() == "majority expected in week 12 [10, >40]; s brings it 2 weeks earlier [-21, 11], " \
                                "P(helps) = 0.50"


SMALL = Params(employees=60, customers=400, steps=15)
SURVEY = Observations.from_counts([5, 10, 15], [30, 30, 30], [3, 8, 16])


@pytest.fixture(scope="module")
def tiny_fit(tmp_path_factory):
    return calibrate(SURVEY, SMALL, ["leader_influence=0:2"], tmp_path_factory.mktemp("fit"), population=20,
                     generations=1, workers=1, seed=1, figure=False)


def test_forecast_continues_the_accepted_runs_and_strategies_share_them_until_they_start(tiny_fit):
    result = forecast(tiny_fit, draws=6, horizon=40, strategies=["communication=1.0"])
    last = SURVEY.last_week
    for i, (theta, seed) in enumerate(tiny_fit.draws(6, seed=0)):
        accepted, _ = group_arcs(SMALL.replace(**theta, seed=seed), SURVEY.waves, last)
        assert result.believers["baseline"][i, :last + 1].tolist() == pytest.approx(accepted[0].tolist())
    strategy, baseline = result.believers["communication=1.0"], result.believers["baseline"]
    assert np.array_equal(strategy[:, :last + 1], baseline[:, :last + 1])
    assert not np.array_equal(strategy[:, last + 1:], baseline[:, last + 1:])
    again = forecast(tiny_fit, draws=6, horizon=40, strategies=["communication=1.0"])
    assert np.array_equal(again.believers["communication=1.0"], strategy)


def test_strategies_that_cannot_start_mid_run_or_touch_fitted_parameters_are_refused(tiny_fit):
    with pytest.raises(ParamError, match="seeding cannot change during a run.*--start 0"):
        forecast(tiny_fit, draws=2, strategies=["leaders"])
    with pytest.raises(ParamError, match="sets leader_influence, a fitted parameter"):
        forecast(tiny_fit, draws=2, strategies=["leader_influence=1"])
    result = forecast(tiny_fit, draws=2, horizon=20, strategies=["leaders"], start=0)
    assert result.believers["leaders"].shape == (2, 21)


def test_forecast_command_prints_json_and_writes_its_figure(tiny_fit, tmp_path, capsys):
    import json

    from adoption.cli import main

    figure = tmp_path / "forecast.png"
    code = main(["forecast", str(tiny_fit.folder), "--draws", "4", "--horizon", "30", "--workers", "1",
                 "--strategies", "communication=1.0", "--week", "20", "--json", "--plot", str(figure)])
    report = json.loads(capsys.readouterr().out)
    assert code == 0 and figure.stat().st_size > 0
    assert set(report["milestones"]) == {"weeks_to_20", "weeks_to_50", "weeks_to_80"}
    assert list(report["p_majority_by"]) == ["20"] and report["draws"] == 4
    assert [row["strategy"] for row in report["strategies"]] == ["communication=1.0"]
    assert 0 <= report["strategies"][0]["p_helps"] <= 1
