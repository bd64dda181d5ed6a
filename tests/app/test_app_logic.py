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
from adoption.params import SPECS, ParamError, describe
from app import charts, controls, export, inputs, live_charts, organisation, story
from app.runner import PNG_CHARTS, LiveRun, png


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
    assert "did not become" in story.STOPS[-1].text(snapshot, stalled)
    assert "Customer feedback is off" in story.STOPS[-1].text(snapshot, stalled), "it names the missing channel"


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


def test_the_classroom_default_runs_to_its_last_week_and_charts_export_as_pngs():
    """Weeks per second are measured by benchmarks/app_speed.py, not asserted here."""
    run = LiveRun(Params())
    while run.step() is not None:
        pass
    assert run.week == Params().steps
    for name in PNG_CHARTS:
        assert png(run, name).startswith(b"\x89PNG"), name
    assert set(charts.CAPTIONS) >= {"organisation", "arc", "conversions", "moments", "bands", "majority", "economics"}


def test_app_command_rejects_an_unknown_scenario_in_one_line(capsys):
    assert main(["app", "no_such_scenario", "--port", "8999"]) == 2
    error = capsys.readouterr().err
    assert "no_such_scenario" in error and "Traceback" not in error


def test_app_command_serves_solara_without_a_browser_or_internet():
    from app.commands import server_command, server_environment

    command = server_command("127.0.0.1", 8999)
    assert "--no-open" in command and "--production" in command and "--no-check-version" in command
    assert server_environment("default")["SOLARA_TELEMETRY_MIXPANEL_ENABLE"] == "False"


def _font_sizes(option) -> list[float]:
    if isinstance(option, dict):
        return [value for key, value in option.items() if key == "fontSize"] + \
            [size for value in option.values() for size in _font_sizes(value)]
    if isinstance(option, list):
        return [size for value in option for size in _font_sizes(value)]
    return []


def test_live_charts_carry_the_counters_week_legible_text_and_data_not_pictures():
    params = Params(economics=True, employees=200, customers=1000, steps=30)
    run = LiveRun(params)
    for _ in range(12):
        run.step()
    snapshot = run.snapshot()
    options = {"organisation": live_charts.organisation(run.view, snapshot), "arc": live_charts.arc(snapshot),
               "conversions": live_charts.conversions(snapshot), "moments": live_charts.moments(snapshot),
               "economics": live_charts.economics(snapshot)}
    for name, option in options.items():
        json.dumps(option)  # plain data for the browser
        assert "week 12" in option["title"]["text"], f"{name}: {option['title']['text']}"
        sizes = _font_sizes(option)
        assert sizes and min(sizes) >= 11, f"{name}: font sizes {sorted(set(sizes))}"
        if name != "organisation":
            assert option["legend"]["top"] + 26 <= option["grid"]["top"], f"{name}: the legend overlaps the plot"
    believers = options["arc"]["series"][0]["data"]
    assert [week for week, _ in believers] == list(range(13))
    assert believers[-1][1] == pytest.approx(100 * snapshot.believers, abs=0.01)
    dots = sorted(tuple(dot) for one in options["organisation"]["series"] for dot in one["data"])
    expected = sorted(zip(run.view.xy[:, 0].round(4), run.view.xy[:, 1].round(4),
                          snapshot.conviction[run.view.members].round(3)))
    assert len(dots) == 200, "one dot per employee"
    np.testing.assert_allclose(np.array(dots), np.array(expected), atol=1e-3)  # where they sit, their conviction
    svg = live_charts.ties_svg(run.view)
    assert svg.count("M") == len(run.view.links) and svg.startswith("<svg"), "every drawn tie once, in the SVG"
    profit = options["economics"]["series"][0]["data"]
    assert profit[-1][1] == pytest.approx(100 * snapshot.series["profit"][-1], abs=0.01)


def test_story_texts_follow_the_settings():
    """No "watch for green bars" or "switch customer feedback off" when it is off (the run says what happened)."""
    on, off = Params(employees=150, customers=1000), Params(employees=150, customers=1000, customer_feedback=0.0)
    for params in (on, off):
        run = LiveRun(params)
        while run.step() is not None:
            pass
        snapshot = run.snapshot()
        texts = " ".join(stop.text(snapshot, params) for stop in story.STOPS)
        if params.customer_feedback == 0:
            assert "watch for green bars" not in texts and "switching customer feedback off" not in texts
            assert "customer feedback is off" in texts
        else:
            assert "watch for green bars" in texts
    assert {stop.chart for stop in story.STOPS} <= {"organisation", "arc", "conversions", "moments"}


@pytest.mark.parametrize("text, message", [
    ("network=/etc/passwd", "network=/etc/passwd: the app reads only built-in names"),
    ("network=../../../../etc/hostname", "never a path"),
    ("recognition=abc", "recognition=abc: must be a number"),
    ("foo=1", "foo: unknown parameter"),
    ("seeding=ceo", "seeding=ceo: unknown; allowed"),
    ("x" * 500 + "=1", "…: unknown parameter"),
    ("training=0.3 empowerment", "training=0.3 empowerment: must be a number"),
])
def test_packages_typed_in_the_browser_are_refused_without_opening_anything(text, message):
    with pytest.raises(ParamError) as refused:
        inputs.package(text)
    assert message in str(refused.value)
    assert len(str(refused.value)) < 200, "a refused value is shortened, never echoed whole"


def test_packages_of_built_in_values_pass():
    assert inputs.package("baseline") == {}
    assert inputs.package("network=karate+recognition=0.5") == {"network": "karate", "recognition": 0.5}


def test_uploads_live_in_a_private_folder_under_names_the_server_chose(tmp_path):
    uploads = inputs.Uploads()
    try:
        shown = uploads.add("../../etc/evil name.csv", b"id,role\n1,leader\n")
        assert shown == "upload:evil_name.csv"
        path = uploads.files[shown]
        assert path.parent == uploads.folder and path.read_bytes().startswith(b"id,role")
        assert inputs.checked("people", shown, uploads) == str(path) if "people" in SPECS else True
        assert inputs.checked("network", shown, uploads) == str(path)
        with pytest.raises(ParamError, match="never a path"):
            inputs.checked("network", str(path), uploads)  # the server's own path, typed back: refused
        with pytest.raises(ParamError, match="limit"):
            uploads.add("big.csv", b"x" * (inputs.UPLOAD_LIMIT + 1))
        with pytest.raises(ParamError, match="allowed file types"):
            uploads.add("script.py", b"print(1)")
    finally:
        uploads.close()
    assert not path.exists()


def test_seed_typed_as_text_is_read_like_the_command_line():
    assert inputs.seed("1e3") == 1000 and inputs.seed(" 7 ") == 7
    with pytest.raises(ParamError, match="seed=abc: must be an integer"):
        inputs.seed("abc")


@pytest.mark.parametrize("name, value", [("people", "/etc/passwd"), ("people", "../adoption/data/example_org/people.csv"),
                                         ("ties", "/etc/hostname"), ("ties", "ties.csv"), ("network", "x.graphml")])
def test_file_parameters_accept_only_built_in_names_and_uploads(name, value):
    with pytest.raises(ParamError, match="never a path"):
        inputs.checked(name, value, inputs.Uploads())


def test_file_parameters_offer_none_built_ins_and_this_sessions_uploads():
    uploads = inputs.Uploads()
    try:
        assert inputs.checked("people", "", uploads) == "" and inputs.checked("ties", "", uploads) == ""
        assert inputs.checked("people", "example_org", uploads) == "example_org"
        label = uploads.add("staff.csv", b"id\n1\n")
        assert inputs.choices("people", uploads) == ["", "example_org", "medical_innovation", label]
        assert inputs.checked("ties", label, uploads) == str(uploads.files[label])
        assert inputs.shown("ties", str(uploads.files[label]), uploads) == label
        other = inputs.Uploads()  # another browser session cannot name this one's files
        with pytest.raises(ParamError):
            inputs.checked("people", label, other)
    finally:
        uploads.close()
