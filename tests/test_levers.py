"""Every lever of MODEL.md acts through its mechanism, in the right direction, by a non-trivial amount;
at zero strength it reproduces the baseline exactly. Means over 10 seeds; a run that never reaches
a milestone counts as week steps + 1."""

import re

import numpy as np
import pytest

from adoption import Model, run
from replicates import assert_effect, milestone_means, milestone_weeks

SEEDS = range(10)


def mean_final(series="believers", seeds=SEEDS, week=-1, **overrides) -> float:
    return float(np.mean([run(seed=s, **overrides).series[series][week] for s in seeds]))


@pytest.mark.parametrize("idle", [
    dict(recognition=0.0, recognition_reach="organisation"),
    dict(turnover=0.0, hiring_fit=0.7),
    dict(training=0.0, training_weeks=[1, 2, 3], training_group="everyone"),
    dict(economics=False, horizon=10),
    dict(leader_consistency=1.0),
    dict(communication=0.0),
    dict(compliance_rules=0.0),
])
def test_a_lever_at_zero_strength_is_the_baseline_exactly(idle):
    for seed in range(3):
        baseline = run(seed=seed).to_dict(series=True)
        lever_off = run(seed=seed, **idle).to_dict(series=True)
        assert lever_off["series"] == baseline["series"], idle


def test_an_active_lever_does_not_reshuffle_the_organisation():
    plain, levered = Model(seed=4), Model(seed=4, turnover=0.5, recognition=1.0, training=0.3)
    assert np.array_equal(plain.state.threshold, levered.state.threshold)
    assert np.array_equal(plain.state.committed, levered.state.committed)
    assert np.array_equal(plain.network.indices, levered.network.indices)


def test_empowerment_lets_good_attitude_become_good_service():
    """Believers who may not resolve problems disappoint: lower empowerment delays the majority."""
    weak, strong = milestone_means(SEEDS, empowerment=0.4), milestone_means(SEEDS, empowerment=0.8)
    print("t50 empowerment 0.4 vs 0.8:", weak["0.5"], strong["0.5"])
    assert weak["0.5"] - strong["0.5"] >= 3
    assert mean_final("satisfaction", empowerment=0.4) < mean_final("satisfaction", empowerment=0.8) - 0.2


def test_say_a_write_b_stalls_the_culture():
    """Inconsistent leaders breed doubt: the value never reaches a majority."""
    stalled = mean_final(leader_consistency=0.3)
    consistent = mean_final()
    print("final believers, consistency 0.3 vs 1:", stalled, consistent)
    assert consistent - stalled > 0.4
    assert milestone_means(SEEDS, leader_consistency=0.3)["0.5"] == 53


def test_inconsistency_lowers_conviction_below_no_leadership_at_all():
    """Backfire, not just absence: say-A-write-B is worse than leaders staying silent."""
    silent = mean_final("conviction", leader_influence=0.0)
    inconsistent = mean_final("conviction", leader_consistency=0.0)
    print("mean conviction, silent vs inconsistent leaders:", silent, inconsistent)
    assert inconsistent < silent - 0.2


def test_public_recognition_speeds_the_late_majority():
    base, thanked = milestone_means(SEEDS), milestone_means(SEEDS, recognition=1.0, recognition_reach="organisation")
    print("t80 without / with organisation-wide recognition:", base["0.8"], thanked["0.8"])
    assert base["0.8"] - thanked["0.8"] >= 3
    unit_only = milestone_means(SEEDS, recognition=1.0, recognition_reach="unit")
    assert unit_only["0.8"] <= base["0.8"]
    assert thanked["0.8"] <= unit_only["0.8"]


def test_three_sixty_communication_carries_belief_across_units():
    seeds = range(20)
    gains = milestone_weeks("0.8", seeds) - milestone_weeks("0.8", seeds, communication=0.5)
    assert_effect(gains, 2, "weeks to 80% saved by 360 communication 0.5")
    assert mean_final(communication=0.5) > mean_final() + 0.05


def test_hiring_for_fit_turns_turnover_into_an_ally():
    churn = milestone_means(SEEDS, turnover=0.3)
    fit = milestone_means(SEEDS, turnover=0.3, hiring_fit=0.5)
    print("t50 turnover 0.3 without / with hiring for fit:", churn["0.5"], fit["0.5"])
    assert churn["0.5"] - fit["0.5"] >= 3
    results = run(seed=1, turnover=0.3, hiring_fit=0.5)
    assert results.conversions["hiring"] > 0 and results.summary()["departures"] > 0


def test_turnover_without_selection_drains_believers():
    departures = sum(run(seed=s, turnover=0.5).summary()["departures"] for s in SEEDS)
    assert departures > 0
    assert mean_final(turnover=0.5, customer_feedback=0.0) < mean_final(customer_feedback=0.0)


def test_training_builds_skill_more_than_belief():
    untrained = milestone_means(SEEDS, empowerment=0.5)
    trained = milestone_means(SEEDS, empowerment=0.5, training=0.2)
    print("t50 untrained / trained front line:", untrained["0.5"], trained["0.5"])
    assert untrained["0.5"] - trained["0.5"] >= 2
    model = Model(seed=2, empowerment=0.5, training=0.2, training_weeks=[1])
    front = model.front_line
    conviction_before = model.state.conviction[front].copy()
    model.step()
    gained_empowerment = model.state.empowerment[front].mean() - 0.5
    assert gained_empowerment == pytest.approx(0.2)


def test_rules_raise_acting_not_conviction():
    """Scripts make staff act; they do not make them believe (MODEL.md: rules are not culture)."""
    acting = mean_final("acting", compliance_rules=0.9, leader_consistency=0.5)
    believing = mean_final("believers", compliance_rules=0.9, leader_consistency=0.5)
    without = mean_final("believers", leader_consistency=0.5)
    print("acting / believing with rules, believing without:", acting, believing, without)
    assert acting - believing > 0.25
    assert abs(believing - without) < 0.1
    assert mean_final("satisfaction", week=10, compliance_rules=0.9) > mean_final("satisfaction", week=10) + 0.2


def test_compliance_lapses_without_supervision_and_under_customer_pressure():
    model = Model(seed=3, compliance_rules=1.0)
    lever = next(lever for lever in model.levers if lever.name == "compliance_rules")
    assert set(np.unique(lever.supervision)) <= {0.5, 1.0}
    model.state.heard[:] = 10
    model.state.heard_believing[:] = 10  # every customer presses for more than the script
    lever.before_week(model)
    assert not model.state.complies.any()


def test_economics_turns_a_loss_into_profit_with_patient_leadership():
    """The SAS turnaround: a loss at week 0, a profit within the year, when leaders invest for the long term."""
    start = mean_final("profit", week=1, economics=True)
    end = mean_final("profit", economics=True)
    print("profit week 1 / week 52:", start, end)
    assert start < 0 < end


def test_short_termism_runs_the_service_circle_backwards():
    patient = milestone_means(SEEDS, economics=True)
    short = milestone_means(SEEDS, economics=True, horizon=26)
    print("t50 patient / short-term leadership:", patient["0.5"], short["0.5"])
    assert short["0.5"] - patient["0.5"] >= 10
    assert mean_final("morale", economics=True, horizon=26) < mean_final("morale", economics=True) - 0.2


def test_an_intervention_changes_the_run_from_its_week_on():
    """Scheduled changes (``interventions``): identical weeks before, a different course after."""
    import json

    def series(**overrides):
        return json.loads(run(seed=3, **overrides).to_json(series=True))["series"]

    plain = series()
    later = series(interventions=["20:recognition=1.0", "20:recognition_reach=organisation"])
    assert all(later[name][:20] == plain[name][:20] for name in plain)
    assert later["believers"][-1] > plain["believers"][-1]
    assert series(interventions=["1:recognition=0.5"]) == series(recognition=0.5)


def test_a_lever_switched_off_mid_run_stops_acting():
    stopped = Model(seed=2, turnover=0.5, initial_believers=0.5, interventions=["10:turnover=0"])
    stopped.run()
    departures = stopped.results.series["departures"]
    assert sum(departures[1:10]) > 0 and sum(departures[10:]) == 0


def test_empowerment_changed_mid_run_keeps_what_training_added():
    model = Model(seed=1, empowerment=0.5, training=0.2, training_weeks=[1], interventions=["5:empowerment=0.6"])
    model.run(5)
    front = model.front_line
    assert model.state.empowerment[front] == pytest.approx(0.8)


@pytest.mark.parametrize("entries, message", [
    (["20:employees=5"], "employees cannot change during a run"),
    (["recognition=1"], "must be WEEK:NAME=VALUE"),
    (["20:recognition=-1"], "interventions: '20:recognition=-1': recognition=-1.0: must be from 0.0"),
])
def test_bad_interventions_are_clear_errors(entries, message):
    from adoption import ParamError

    with pytest.raises(ParamError, match=re.escape(message)):
        run(interventions=entries)


def test_intervening_by_hand_equals_the_scheduled_intervention():
    """What the app does when a lever moves mid-run (Model.intervene before week 4) is what the reproducing
    command schedules (interventions = ["4:..."])."""
    import json

    by_hand = Model(seed=5)
    by_hand.run(3)
    by_hand.intervene(customer_feedback=0.5, recognition=0.4)
    by_hand.run()
    scheduled = Model(seed=5, interventions=["4:customer_feedback=0.5", "4:recognition=0.4"])
    scheduled.run()
    assert json.loads(by_hand.results.to_json(series=True))["series"] == \
        json.loads(scheduled.results.to_json(series=True))["series"]
    assert by_hand.changes == scheduled.changes == [(4, {"customer_feedback": 0.5, "recognition": 0.4})]
