"""Calibration: the survey distance and survey draw exactly, reading surveys with clear errors, and a
tiny ABC-SMC fit that is deterministic whatever the workers and resumes where it stopped."""

import math

import numpy as np
import pandas as pd
import pytest

from adoption import ParamError, Params
from adoption.cli import main
from experiments.calibrate import (Fit, binomial_deviance, calibrate, draw_survey, group_arcs, parse_prior,
                                   survey_truth)
from experiments.observations import Observations, read_adoption_times, read_pulse


# --- the distance: binomial deviance, by hand ---------------------------------------------------
def test_deviance_of_three_against_seven_of_ten():
    # pooled share 1/2: expected 5 in every cell; 2 Σ O ln(O/E) over 3, 7 | 7, 3
    by_hand = 2 * (3 * math.log(3 / 5) + 7 * math.log(7 / 5) + 7 * math.log(7 / 5) + 3 * math.log(3 / 5))
    assert binomial_deviance([3], [7], [10]) == pytest.approx(by_hand, rel=1e-12)
    assert by_hand == pytest.approx(3.2913, abs=1e-4)


def test_deviance_is_zero_for_equal_counts_and_symmetric():
    assert binomial_deviance([0, 4, 10], [0, 4, 10], [10, 10, 10]) == 0.0
    assert binomial_deviance([2, 9], [5, 6], [20, 20]) == pytest.approx(binomial_deviance([5, 6], [2, 9], [20, 20]))


def test_deviance_weighs_a_gap_by_its_sampling_error():
    """The same gap in shares counts twice as much with twice the respondents, and more near 0% than 50%."""
    assert binomial_deviance([20], [40], [100]) == pytest.approx(2 * binomial_deviance([10], [20], [50]))
    assert binomial_deviance([1], [11], [100]) > 2 * binomial_deviance([45], [55], [100])


def test_deviance_with_an_empty_cell():
    # 0 of 10 against 10 of 10: pooled 1/2, cells 0 (contributes 0) and 10 against 5
    assert binomial_deviance([0], [10], [10]) == pytest.approx(2 * 2 * 10 * math.log(2))


# --- the simulated survey -------------------------------------------------------------------------
def test_a_census_survey_counts_exactly():
    rng = np.random.default_rng(1)
    assert draw_survey([37, 0, 120], [120, 80, 120], [120, 80, 120], rng).tolist() == [37, 0, 120]


def test_a_sample_survey_is_hypergeometric():
    rng = np.random.default_rng(2)
    draws = np.array([draw_survey([30], [100], [50], rng)[0] for _ in range(4000)])
    assert draws.max() <= 30 and draws.min() >= 0
    assert draws.mean() == pytest.approx(15, abs=0.2)
    # without replacement: variance n p (1-p) (N-n)/(N-1) = 50·0.3·0.7·50/99 ≈ 5.30, not the binomial 10.5
    assert draws.var() == pytest.approx(50 * 0.3 * 0.7 * 50 / 99, rel=0.1)


def test_more_respondents_than_the_simulated_group_draws_binomially_from_its_share():
    rng = np.random.default_rng(3)
    draws = np.array([draw_survey([10], [20], [200], rng)[0] for _ in range(2000)])
    assert draws.mean() == pytest.approx(100, abs=1.5) and draws.var() == pytest.approx(50, rel=0.15)


def test_group_arcs_record_the_model_week_by_week(small):
    from adoption import Model

    params = Params(**small, seed=5)
    waves = pd.DataFrame({"source": ["staff", "staff", "customers"], "group_by": ["", "role", ""],
                          "group": ["", "front_line", ""], "week": [3, 3, 3], "respondents": [10, 10, 10],
                          "agree": [1, 1, 1]})
    arcs, sizes = group_arcs(params, waves, 6)
    series = Model(params).run(6).series
    assert arcs[0].tolist() == pytest.approx(series["believers"])
    assert arcs[1].tolist() == pytest.approx(series["believers_front_line"])
    assert arcs[2].tolist() == pytest.approx(series["customers_believing"])
    assert sizes[0] == small["employees"] and sizes[2] == small["customers"]


def test_a_simulated_survey_reads_each_wave_s_group_at_its_week(small):
    """The truth a simulated survey samples: for each wave, the believers of its group at its week (the
    group's share that week times its size, rounded), in the waves' own order, groups interleaved."""
    from adoption import Model

    params = Params(**small, seed=5)
    waves = pd.DataFrame({"source": ["staff", "staff", "customers", "staff"], "group_by": ["", "role", "", ""],
                          "group": ["", "front_line", "", ""], "week": [2, 6, 4, 5], "respondents": [10] * 4,
                          "agree": [1] * 4})
    believing, size = survey_truth(params, waves)
    model = Model(params)
    series = model.run(6).series
    front_line = int((model.organisation.role == 2).sum())  # role code 2: front line
    assert size.tolist() == [small["employees"], front_line, small["customers"], small["employees"]]
    shares = [series["believers"][2], series["believers_front_line"][6], series["customers_believing"][4],
              series["believers"][5]]
    assert believing.tolist() == [round(share * people) for share, people in zip(shares, size.tolist())]


def test_unit_waves_are_the_people_file_units(tmp_path):
    people = tmp_path / "people.csv"
    people.write_text("id,manager_id,unit\nceo,,Board\nann,ceo,Sales\nbob,ann,Sales\ncy,ann,Sales\n"
                      "dee,ceo,Cargo\ned,dee,Cargo\n")
    waves = pd.DataFrame({"source": "staff", "group_by": "unit", "group": ["Sales", "Cargo"], "week": [2, 2],
                          "respondents": [3, 2], "agree": [1, 1]})
    _, sizes = group_arcs(Params(people=str(people), customers=50, steps=2), waves, 2)
    assert sizes.tolist() == [3, 2]
    waves.loc[1, "group"] = "Finance"
    with pytest.raises(ParamError, match="unit Finance is not a unit of this organisation"):
        group_arcs(Params(people=str(people), customers=50, steps=2), waves, 2)


# --- priors -----------------------------------------------------------------------------------------
def test_a_prior_defaults_to_the_declared_range():
    assert parse_prior("empowerment") == parse_prior("empowerment=0:1")
    assert (parse_prior("leader_influence").low, parse_prior("leader_influence").high) == (0.0, 10.0)


@pytest.mark.parametrize("text, message", [
    ("employees", "only real-valued"), ("leader_influenc", "did you mean leader_influence"),
    ("empowerment=0:2", "within 0.0:1.0"), ("empowerment=a:b", "LOW:HIGH"), ("empowerment=0.5:0.5", "below"),
])
def test_bad_priors_say_what_is_wrong(text, message):
    with pytest.raises(ParamError, match=message):
        parse_prior(text)


# --- reading surveys --------------------------------------------------------------------------------
def test_pulse_survey_from_csv_xlsx_and_parquet_read_alike(tmp_path):
    table = pd.DataFrame({"week": [4, 8, 4, 8], "respondents": [20, 22, 30, 31], "agree": [2, 5, 3, 9],
                          "role": ["front_line", "front_line", "back_office", "back_office"]})
    table.to_csv(tmp_path / "pulse.csv", index=False)
    table.to_excel(tmp_path / "pulse.xlsx", index=False)
    table.to_parquet(tmp_path / "pulse.parquet")
    frames = [read_pulse(tmp_path / name) for name in ("pulse.csv", "pulse.xlsx", "pulse.parquet")]
    for frame in frames[1:]:
        pd.testing.assert_frame_equal(frame, frames[0])
    waves = Observations(frames[0]).waves
    assert waves["group_by"].unique().tolist() == ["role"]
    assert waves[waves["group"] == "back_office"]["agree"].tolist() == [3, 9]


@pytest.mark.parametrize("content, message", [
    ("week,respondents,agree\n4,10,3\n8,10,12\n", r"pulse.csv, row 3: agree=12 is more than respondents=10"),
    ("week,respondents\n4,10\n", "missing column agree"),
    ("week,respondents,agree\n4,10,3\n-1,10,2\n", r"row 3: week=-1: must be a whole number ≥ 0"),
    ("week,respondents,agree\n4,0,0\n", r"row 2: respondents=0"),
    ("week,respondents,agree\n4,10,2.5\n", r"row 2: agree=2.5"),
    ("week,respondents,agree\n4,10,\n", r"row 2: agree is empty"),
    ("week,respondents,agree\n4,10,3\n4,10,2\n", r"row 3: week 4 appears twice"),
    ("week,respondents,agree,role\n4,10,3,pilots\n", r"role=pilots: unknown"),
    ("week,respondents,agree,role,unit\n4,10,3,manager,2\n", "both unit and role"),
    ("week,respondents,agree\n", "no rows"),
])
def test_bad_pulse_rows_are_named(tmp_path, content, message):
    path = tmp_path / "pulse.csv"
    path.write_text(content)
    with pytest.raises(ParamError, match=message):
        read_pulse(path)


def test_customer_survey_waves_and_staff_waves_read_together(tmp_path):
    (tmp_path / "customers.csv").write_text("week,respondents,expect\n6,200,30\n12,200,70\n")
    (tmp_path / "pulse.csv").write_text("week,respondents,agree\n6,50,5\n")
    waves = Observations.read(staff=tmp_path / "pulse.csv", customers=tmp_path / "customers.csv").waves
    assert waves[["source", "week", "agree"]].values.tolist() == [["customers", 6, 30], ["customers", 12, 70],
                                                                  ["staff", 6, 5]]
    (tmp_path / "customers.csv").write_text("week,respondents,expect,unit\n6,200,30,A\n")
    with pytest.raises(ParamError, match="a customer survey has no unit column"):
        Observations.read(customers=tmp_path / "customers.csv")
    with pytest.raises(ParamError, match="give a pulse survey"):
        Observations.read()


def test_unknown_file_type_and_missing_file(tmp_path):
    (tmp_path / "pulse.json").write_text("{}")
    with pytest.raises(ParamError, match="unknown file type .json"):
        read_pulse(tmp_path / "pulse.json")
    with pytest.raises(ParamError, match="file not found"):
        read_pulse(tmp_path / "none.csv")


def test_adoption_times_become_census_waves(tmp_path):
    path = tmp_path / "adoption.csv"
    path.write_text("person,week\na,1\nb,3\nc,\nd,3\n")
    waves = read_adoption_times(path)
    assert waves["week"].tolist() == [1, 2, 3]
    assert waves["agree"].tolist() == [1, 1, 3]
    assert waves["respondents"].tolist() == [4, 4, 4]
    path.write_text("person,week\na,1\na,2\n")
    with pytest.raises(ParamError, match="row 3: person a appears twice"):
        read_adoption_times(path)


def test_cli_bad_survey_is_one_line_and_exit_2(tmp_path, capsys):
    path = tmp_path / "pulse.csv"
    path.write_text("week,respondents,agree\n4,10,30\n")
    code = main(["calibrate", "--survey", str(path), "--fit", "leader_influence", "--out", str(tmp_path / "fit")])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "row 2: agree=30 is more than respondents=10" in err
    assert main(["forecast", str(tmp_path)]) == 2
    assert "not a finished calibration" in capsys.readouterr().err


# --- a tiny fit ---------------------------------------------------------------------------------------
TINY = Params(employees=60, customers=400, steps=15)
TINY_SURVEY = Observations.from_counts([5, 10, 15], [30, 30, 30], [3, 8, 16])


def _tiny(folder, generations, workers=1):
    return calibrate(TINY_SURVEY, TINY, ["leader_influence=0:2"], folder, population=20, generations=generations,
                     workers=workers, seed=3, figure=False)


def test_same_seed_same_posterior_on_one_or_two_workers_and_after_resuming(tmp_path):
    whole = _tiny(tmp_path / "one_worker", 2).posterior
    assert len(whole) == 20 and whole["weight"].sum() == pytest.approx(1)
    pd.testing.assert_frame_equal(_tiny(tmp_path / "two_workers", 2, workers=2).posterior, whole)
    _tiny(tmp_path / "resumed", 1)  # as if killed after the first generation
    resumed = _tiny(tmp_path / "resumed", 2)
    pd.testing.assert_frame_equal(resumed.posterior, whole)
    assert [g["generation"] for g in resumed.generations] == [0, 1]
    loaded = Fit.load(tmp_path / "resumed")
    pd.testing.assert_frame_equal(loaded.posterior, whole)
    assert loaded.summary() == resumed.summary()


def test_a_generation_abandoned_below_the_acceptance_floor_is_reported(tmp_path):
    """pyabc drops a generation that cannot accept its particles within population / min_acceptance
    simulations, and keeps no record of it: the fit says which generation stopped and what it cost (the
    calibration's time includes it), and keeps saying so when loaded again."""
    fit = calibrate(TINY_SURVEY, TINY, ["leader_influence=0:2"], tmp_path / "fit", population=20, generations=8,
                    min_acceptance=0.4, workers=1, seed=3, figure=False)
    assert len(fit.generations) < 8 and fit.stopped is not None
    assert fit.stopped["generation"] == len(fit.generations)  # the one after the last kept (counted from 0)
    assert fit.stopped["simulations"] <= 20 / 0.4 and fit.stopped["accepted"] < 20
    assert Fit.load(tmp_path / "fit").stopped == fit.stopped
    assert (f"stopped: generation {len(fit.generations) + 1} accepted {fit.stopped['accepted']} of "
            f"{fit.stopped['simulations']:,} simulations") in fit.to_text()
    assert _tiny(tmp_path / "complete", 1).stopped is None  # a run that ends at its generations stops nothing


def test_a_dask_cluster_gives_the_same_posterior(tmp_path):
    from dask.distributed import Client, LocalCluster

    with LocalCluster(n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        on_dask = calibrate(TINY_SURVEY, TINY, ["leader_influence=0:2"], tmp_path / "dask", population=20,
                            generations=1, scheduler=client, seed=3, figure=False)
    pd.testing.assert_frame_equal(on_dask.posterior, _tiny(tmp_path / "local", 1).posterior)


def test_a_folder_of_another_calibration_is_refused(tmp_path):
    _tiny(tmp_path / "fit", 1)
    with pytest.raises(ParamError, match="holds a different calibration .*priors"):
        calibrate(TINY_SURVEY, TINY, ["leader_influence=0:1"], tmp_path / "fit", population=20, generations=1,
                  workers=1, seed=3, figure=False)


def test_accepted_particles_carry_the_seed_of_their_run(tmp_path):
    """A particle is a run whose survey looked like the real one: re-running its seed reproduces it."""
    fit = _tiny(tmp_path / "fit", 1)
    theta, seed = fit.draws(1, seed=0)[0]
    arcs, _ = group_arcs(TINY.replace(**theta, seed=seed), TINY_SURVEY.waves, 15)
    again, _ = group_arcs(TINY.replace(**theta, seed=seed, steps=40), TINY_SURVEY.waves, 15)
    assert arcs.tolist() == again.tolist()


def test_a_survey_of_a_unit_the_organisation_lacks_fails_before_any_work(tmp_path):
    waves = Observations(pd.DataFrame({"source": "staff", "group_by": "unit", "group": ["no such unit"],
                                       "week": [4], "respondents": [10], "agree": [2]}))
    with pytest.raises(ParamError, match="unit no such unit is not a unit"):
        calibrate(waves, TINY, ["leader_influence=0:2"], tmp_path / "fit", population=20, generations=1, workers=2)
    assert not (tmp_path / "fit").exists()  # nothing claimed: the corrected survey may use the same folder


def test_waves_built_in_code_are_checked_too():
    with pytest.raises(ParamError, match="0 ≤ agree ≤ respondents"):
        Observations.from_counts([4, 8], [80, 80], [10, 90])
    with pytest.raises(ParamError, match="no survey waves"):
        Observations.from_counts([], [], [])


def test_calibrate_command_writes_its_folder_and_prints_json(tmp_path, capsys):
    import json

    survey = tmp_path / "pulse.xlsx"
    pd.DataFrame({"week": [5, 10, 15], "respondents": [30, 30, 30], "agree": [3, 8, 16]}).to_excel(survey, index=False)
    code = main(["calibrate", "--set", "employees=60", "--set", "customers=400", "--steps", "15", "--survey",
                 str(survey), "--fit", "leader_influence=0:2", "--population", "20", "--generations", "1",
                 "--workers", "1", "--out", str(tmp_path / "fit"), "--json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 0 and [row["parameter"] for row in report["parameters"]] == ["leader_influence"]
    for name in ("posterior.parquet", "summary.json", "summary.txt", "fit.png", "history.sqlite"):
        assert (tmp_path / "fit" / name).is_file(), name
    assert Fit.load(tmp_path / "fit").summary() == report["parameters"]


def test_a_killed_calibration_resumes_to_the_same_posterior(tmp_path):
    import os
    import signal
    import sqlite3
    import subprocess
    import sys
    import time

    survey = tmp_path / "pulse.csv"
    survey.write_text("week,respondents,agree\n5,30,3\n10,30,8\n15,30,16\n")
    command = [sys.executable, "-m", "adoption.cli", "calibrate", "--set", "employees=60", "--set", "customers=400",
               "--steps", "15", "--survey", str(survey), "--fit", "leader_influence=0:2", "--population", "20",
               "--generations", "4", "--workers", "2", "--out", str(tmp_path / "fit"), "--json"]
    run = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    stored, deadline = 0, time.monotonic() + 300
    while stored < 1 and run.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
        try:
            with sqlite3.connect(tmp_path / "fit" / "history.sqlite") as db:
                stored = db.execute("select count(*) from populations where t >= 0").fetchone()[0]
        except sqlite3.Error:
            pass
    os.killpg(run.pid, signal.SIGKILL)
    run.wait()
    assert 1 <= stored < 4, f"killed after {stored} generations: not in the middle of the run"
    assert subprocess.run(command, capture_output=True).returncode == 0
    whole = calibrate(Observations.read(staff=survey), Params(employees=60, customers=400, steps=15),
                      ["leader_influence=0:2"], tmp_path / "whole", population=20, generations=4, workers=1,
                      figure=False)
    pd.testing.assert_frame_equal(Fit.load(tmp_path / "fit").posterior, whole.posterior)


@pytest.mark.parametrize("overrides", [{"seed": 3}, {"seed": 4, "recognition": 0.5, "rule": "naming_game"}])
def test_group_arcs_from_the_weekly_record_equal_a_week_by_week_reading(overrides):
    """The whole staff, roles and the customers are read from one run's record; a unit makes the arcs be
    read from the organisation week by week: the same numbers either way."""
    waves = pd.DataFrame({"source": ["staff", "staff", "customers", "staff"], "group_by": ["", "role", "", "role"],
                          "group": ["", "front_line", "", "manager"], "week": [5, 10, 30, 40],
                          "respondents": [50] * 4, "agree": [5] * 4})
    unit = pd.DataFrame({"source": ["staff"], "group_by": ["unit"], "group": ["1"], "week": [1], "respondents": [1],
                         "agree": [0]})
    recorded, sizes = group_arcs(Params(**overrides), waves, 40)
    stepped, _ = group_arcs(Params(**overrides), pd.concat([waves, unit]), 40)
    assert recorded.shape == (4, 41) and len(set(recorded[0])) > 5  # the arcs move
    assert np.array_equal(recorded, stepped[:4]) and sizes.tolist()[2] == Params().customers
