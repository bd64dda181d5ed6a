"""The app's logic without a browser: story stops, export, the organisation picture, generated controls."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import shlex

import numpy as np
import pytest

from adoption import Model, Params
from adoption.cli import main
from adoption.params import SPECS, describe
from app import charts, controls, export, organisation, story
from app.runner import LiveRun, draw


def _walk_story(params: Params) -> list[tuple[int, int]]:
    """(stop, week) pairs at which story mode would pause, playing the run to its end."""
    run, stops, current = LiveRun(params), [], 0
    while True:
        snapshot = run.step()
        if snapshot is None:
            return stops
        following = story.next_stop(current, snapshot, run.finished)
        if following is not None:
            stops.append((following, snapshot.step))
            current = following


def test_story_pauses_at_each_stop_of_the_seed_story_in_order():
    stops = _walk_story(Params())
    assert [stop for stop, _ in stops] == [1, 2, 3, 4], f"stops reached (stop, week): {stops}"
    weeks = [week for _, week in stops]
    assert weeks == sorted(weeks), stops
    series = Model(Params()).run().series["believers"]
    assert series[stops[0][1]] >= 0.2 and series[stops[0][1] - 1] < 0.2, "stop 2 is the week 20% is reached"


def test_story_ends_honestly_when_the_value_never_takes_hold():
    stalled = Params(peer_influence=0.0, leader_influence=0.0, customer_feedback=0.0, steps=20)
    stops = _walk_story(stalled)
    assert stops == [(len(story.STOPS) - 1, 20)], f"only the last stop, at the end of the run: {stops}"
    snapshot = LiveRun(stalled).snapshot()
    assert "did not become" in story.STOPS[-1].text(snapshot)


def test_exported_command_reproduces_the_run():
    params = Params(employees=150, customers=1500, peer_influence=0.9, seeding="frontline", steps=30, seed=4)
    command = export.command("default", {"employees": 300, "customers": 5000}, params)
    assert "--set peer_influence=0.9" in command and "--seed 4" in command and "--steps 30" in command
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        assert main(shlex.split(command)[1:] + ["--json"]) == 0
    assert json.loads(printed.getvalue())["milestones"] == Model(params).run().milestones


def test_series_csv_has_a_row_per_week_and_a_column_per_series():
    results = Model(Params(employees=100, customers=500, steps=6)).run()
    rows = list(csv.DictReader(io.StringIO(export.series_csv(results.series))))
    assert [int(row["week"]) for row in rows] == list(range(7))
    assert set(results.series) <= set(rows[0])
    assert rows[0]["satisfaction"] == "", "a week without moments of truth has no satisfaction (blank, not nan)"
    assert float(rows[-1]["believers"]) == results.series["believers"][-1]


def test_large_organisations_are_drawn_by_team():
    """(How fast the picture is built is a benchmark's business, not a pass/fail test on a shared machine.)"""
    model = Model(Params(employees=5000, customers=2000))
    view = organisation.build_view(model)
    assert view.kind == "units" and len(view.members) <= organisation.UNIT_MAX
    model.run(5)
    shares = view.shares(model.state.conviction, model.organisation.unit)
    believing = model.state.believes
    unit = view.members[0]
    assert shares[0] == pytest.approx(believing[model.organisation.unit == unit].mean())
    assert ((shares >= 0) & (shares <= 1)).all()


def test_small_organisation_layout_is_computed_once_and_recoloured():
    model = Model(Params(employees=200, customers=500))
    view = organisation.build_view(model)
    again = organisation.build_view(Model(Params(employees=200, customers=500)))
    np.testing.assert_array_equal(view.xy, again.xy)  # a seeded layout: the same picture every time
    assert view.kind == "employees" and view.xy.shape == (200, 2)
    before = view.shares(model.state.conviction, model.organisation.unit).copy()
    model.run(20)
    assert not np.array_equal(before, view.shares(model.state.conviction, model.organisation.unit))


def test_every_parameter_gets_a_control_with_its_meaning():
    values = Params().to_dict()
    for name in SPECS:
        row = describe(name)
        assert row["meaning"] in controls.tooltip(row)
        if row["low"] is not None and row.get("kind") is None:
            low, high, step = controls.slider_range(row, row["default"])
            assert low <= row["default"] <= high and step > 0, name
    shown = {name for name in SPECS if controls.visible(name, values)}
    assert "transmission" not in shown, "a cascade parameter is hidden while the conviction rule runs"
    assert "transmission" in {name for name in SPECS if controls.visible(name, {**values, "rule": "cascade"})}


def test_slider_range_widens_to_a_value_set_elsewhere():
    row = describe("employees")
    assert controls.slider_range(row, 8000)[1] == 8000


def test_the_classroom_default_runs_to_its_last_week_and_charts_are_pngs():
    """Weeks per second are measured by benchmarks/app_speed.py, not asserted here."""
    run = LiveRun(Params())
    while run.step() is not None:
        pass
    assert run.week == Params().steps
    images = draw(run, run.snapshot())
    assert set(images) == {"organisation", "arc", "conversions", "moments"}
    assert all(image.startswith(b"\x89PNG") for image in images.values())
    assert set(charts.CAPTIONS) >= {"organisation", "arc", "conversions", "moments", "bands", "majority"}


def test_app_command_rejects_an_unknown_scenario_in_one_line(capsys):
    assert main(["app", "no_such_scenario", "--port", "8999"]) == 2
    error = capsys.readouterr().err
    assert "no_such_scenario" in error and "Traceback" not in error


def test_app_command_serves_solara_without_a_browser_or_internet():
    from app.commands import server_command, server_environment

    command = server_command("127.0.0.1", 8999)
    assert "--no-open" in command and "--production" in command and "--no-check-version" in command
    assert server_environment("default")["SOLARA_TELEMETRY_MIXPANEL_ENABLE"] == "False"
