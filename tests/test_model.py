import json
import re

import numpy as np
import pytest

from adoption import Model, run
from adoption.model import stream
from adoption.results import SERIES
from agents.roles import ROLES
from replicates import assert_effect, final_values, milestone_weeks
from tiny import QUIET, tiny_model


def test_same_seed_same_numbers(small):
    first = run(seed=11, **small).to_json(series=True)
    assert first == run(seed=11, **small).to_json(series=True)
    assert first != run(seed=12, **small).to_json(series=True)


def test_shares_stay_in_unit_interval_and_series_align(small):
    results = run(seed=4, **small)
    for name in SERIES:
        assert len(results.series[name]) == small["steps"] + 1, name
    for name in ["believers", "acting", "conviction", "customers_believing",
                 *(f"believers_{role}" for role in ROLES)]:
        values = np.asarray(results.series[name])
        assert ((values >= 0) & (values <= 1)).all(), name


def believers_accounted_for(model) -> tuple[int, int]:
    """(believers at the start + conversions − lapses − departures, believers at the end) after a run."""
    start = int(model.state.believes.sum())
    summary = model.run().summary()
    flow = sum(summary["conversions"].values()) - summary["lapses"] - summary["departures"]
    return start + flow, int(model.state.believes.sum())


def test_conversions_add_up_to_the_change_in_believers(small):
    expected, end = believers_accounted_for(Model(seed=5, **small))
    assert expected == end


@pytest.mark.parametrize("overrides, outflow", [
    ({"rule": "threshold", "forgetting": 0.2}, "lapses"),
    ({"turnover": 0.8, "hiring_fit": 0.3}, "departures"),
    ({"leader_consistency": 0.0, "initial_believers": 0.3}, "lapses"),
    ({"training": 0.5, "training_weeks": [2, 5]}, None),
    ({"rule": "bass", "innovation": 0.05}, None),  # innovators credited to their own source, once
])
def test_conversions_add_up_with_lapses_departures_hires_and_training(small, overrides, outflow):
    model = Model(seed=6, **small, **overrides)
    expected, end = believers_accounted_for(model)
    assert expected == end, overrides
    if outflow:
        assert model.results.summary()[outflow] > 0, overrides


def test_initial_believers_are_placed_by_the_seeding_strategy():
    params = dict(employees=400, customers=0, initial_believers=0.05)
    assert Model(seed=1, **params).state.believes.sum() == 20
    leaders = Model(seed=1, seeding="leaders", **params)
    role = leaders.organisation.role
    chosen = role[leaders.state.committed]
    assert (chosen <= 1).all()  # executives and managers only
    assert (role[leaders.state.committed] == 0).sum() == (role == 0).sum()  # every executive first
    front = Model(seed=1, seeding="frontline", **params)
    assert (front.organisation.role[front.state.committed] == 2).all()


def test_no_customers_means_no_customer_conversions_and_no_moments():
    for seed in range(5):
        results = run(employees=200, customers=0, seed=seed)
        assert results.conversions["customer"] == 0
        assert results.moments_of_truth == 0


def test_mesa_bookkeeping():
    model = Model(employees=50, customers=100, steps=3, seed=0)
    while model.running:
        model.step()
    assert model.steps == 3 and model.results.steps == 3


def test_run_steps_as_mesa_steps_and_keeps_a_users_events():
    stepped = Model(employees=60, customers=600, steps=8, seed=3)
    for _ in range(8):
        stepped.step()
    ran = Model(employees=60, customers=600, steps=8, seed=3)
    ran.run(5)
    assert (ran.steps, ran.time) == (5, 5.0)
    ran.run()
    assert (ran.steps, ran.time, ran.running) == (stepped.steps, stepped.time, stepped.running) == (8, 8.0, False)
    assert ran.results.to_json(series=True) == stepped.results.to_json(series=True)
    ran.step()  # Mesa's own step goes on from where run() left Mesa's clock
    assert (ran.steps, ran.time) == (9, 9.0)
    seen = []
    watched = Model(employees=60, customers=600, steps=4, seed=3)

    def look():  # a user's event (Mesa refuses lambdas) between weeks 2 and 3
        seen.append((watched.time, watched.steps))

    watched.schedule_event(look, at=2.5)
    watched.run()
    assert seen == [(2.5, 2)] and watched.steps == 4


def test_counts_are_whole_numbers_and_shares_fractions_in_the_series(small):
    series = run(seed=2, **small).series
    assert all(type(value) is int for value in series["moments_of_truth"] + series["conversions_peer"])
    assert all(type(value) is float for value in series["believers"] + series["satisfaction"][1:])
    assert series["moments_of_truth_total"][-1] == sum(series["moments_of_truth"])


# --- the week's formulas, exactly, on the tiny organisation of tests/tiny.py ---------------------------------
# Constants are written from docs/model.md, never imported from the code they check.
BELIEF = 0.5  # "an employee believes (conviction ≥ ½)"
CUSTOMER_MEMORY = 0.75  # "what an employee has heard from customers decays by a quarter a week"


def test_pressure_is_the_weighted_believing_share_of_each_channel(tmp_path):
    """Manager 1 and front-line 2 believe; person 3 has served 4 customers lately, 1 of them believing."""
    model = tiny_model(tmp_path, believers=[1, 2], peer_influence=0.6, leader_influence=0.3, customer_feedback=4.0)
    model.state.heard[3], model.state.heard_believing[3] = 4.0, 1.0
    pressure = model.pressure()
    colleagues_believing = [1 / 2, 1 / 3, 1 / 2, 2 / 2, 0, 0, 0, 0]  # ties of tests/tiny.py
    leaders_believing = [0, 0, 1 / 2, 1 / 2, 0, 0, 0, 0]  # only unit a's manager believes, no executive
    np.testing.assert_allclose(pressure.peer, 0.6 * np.array(colleagues_believing))
    np.testing.assert_allclose(pressure.leader, 0.3 * np.array(leaders_believing))
    np.testing.assert_allclose(pressure.leaders_believing, leaders_believing)
    np.testing.assert_allclose(pressure.customer, [0, 0, 0, 4.0 * 1 / 4, 0, 0, 0, 0])
    np.testing.assert_allclose(pressure.total, pressure.peer + pressure.leader + pressure.customer)
    assert pressure.strongest(np.array([0, 3])).tolist() == [0, 2]  # peer for 0, customer for 3 (1.0 > 0.6)


@pytest.mark.parametrize("seed", range(3))
def test_each_new_believer_is_credited_as_the_week_states_it(seed):
    """The compiled end of the week against its statement: a new believer goes to the rule's own source
    if it names them (the first source named wins), else to Pressure.strongest; lapses are believers lost."""
    from adoption.model import _settle
    from adoption.results import DIRECT_SOURCES
    from adoption.rules import Pressure

    rng = np.random.default_rng(seed)
    n = 400
    before, conviction, complies = rng.random(n) < 0.4, rng.random(n), rng.random(n) < 0.1
    pressure = Pressure(*(rng.integers(0, 3, (3, n)) / 4), leaders_believing=np.zeros(n))  # many ties
    innovators, trained = rng.random(n) < 0.1 * seed, rng.random(n) < 0.1 * seed
    credited = np.full(n, -1, dtype=np.int8)
    credited[trained], credited[innovators] = DIRECT_SOURCES.index("training"), DIRECT_SOURCES.index("innovation")
    acting, by_source, direct = np.empty(n, dtype=bool), np.full(3, 7, dtype=np.int64), np.full(3, 7, dtype=np.int64)
    role, per_role = rng.integers(0, 4, n), np.full(4, 7.0)
    role_sizes = np.bincount(role, minlength=4)
    lapses, believers, acts, total = _settle(conviction, before, complies, pressure.peer, pressure.leader,
                                             pressure.customer, credited if seed else np.zeros(0, dtype=np.int8),
                                             BELIEF, acting, by_source, direct, role, role_sizes, per_role)
    after = conviction >= BELIEF
    converted = after & ~before
    assert acting.tolist() == (after | complies).tolist()
    assert lapses == (before & ~after).sum()
    assert (believers, acts, total) == (after.sum(), (after | complies).sum(), conviction.sum())
    assert per_role.tolist() == (np.bincount(role, weights=after, minlength=4) / role_sizes).tolist()
    assert direct.tolist() == [0, (converted & trained & ~innovators).sum(), (converted & innovators).sum()]
    pressured = converted & ~trained & ~innovators
    assert by_source.tolist() == np.bincount(pressure.strongest(np.flatnonzero(pressured)), minlength=3).tolist()


@pytest.mark.parametrize("overrides", [
    {}, {"forgetting": 0.1, "committed": 0.5, "initial_believers": 0.2}, {"network": "small_world", "threshold_sd": 0.0},
    {"customers": 0}, {"persuasion_rate": 5.0, "customer_feedback": 3.0, "leaders_share": 0.0}, {"weighted": True},
])
def test_the_compiled_conviction_week_is_the_week_step_by_step(monkeypatch, overrides):
    """Without levers, the conviction rule's week runs in one compiled pass: the same numbers as pressure,
    rule and credit one after another (the path every other rule and any lever takes)."""
    import networkx as nx

    import adoption.model

    if overrides.pop("weighted", False):  # ties of unequal weight, some people without ties
        graph = nx.gnm_random_graph(150, 500, seed=2)
        graph.add_nodes_from(range(150))
        nx.set_edge_attributes(graph, {edge: 0.5 + (i % 4) for i, edge in enumerate(graph.edges)}, "weight")
        overrides["network"] = graph
    params = {"employees": 150, "customers": 2500, "steps": 25, "seed": 4, **overrides}
    fused = Model(**params)
    assert not fused.levers and type(fused.rule) is adoption.model.Conviction
    fused.run()
    monkeypatch.setattr(adoption.model, "Conviction", type("NotConviction", (), {}))
    step_by_step = Model(**params)
    step_by_step.run()
    assert fused.results.to_json(series=True) == step_by_step.results.to_json(series=True)
    for name in ("conviction", "acting", "heard", "heard_believing"):
        assert getattr(fused.state, name).tolist() == getattr(step_by_step.state, name).tolist(), name


@pytest.mark.parametrize("threads", ["2", "3"])
def test_a_large_staff_s_week_in_parts_on_several_threads_is_the_one_pass_week(monkeypatch, threads):
    """A large organisation's staff week runs in parts on several threads (colleagues and leaders first,
    then the employees, each thread crediting its own): the same numbers as the one-pass week. Here "large"
    is lowered to 40 employees a thread so that a 150-person week is cut in parts."""
    import adoption.model

    params = {"employees": 150, "customers": 2500, "steps": 25, "seed": 6, "network": "small_world"}
    one_pass = Model(**params)
    one_pass.run()
    monkeypatch.setattr(adoption.model, "PARALLEL_STAFF", 40)
    monkeypatch.setenv("ADOPTION_THREADS", threads)
    parts = Model(**params)
    calls = []
    real = adoption.model._staff_part
    monkeypatch.setattr(adoption.model, "_staff_part",
                        lambda lo, hi, *rest: calls.append((lo, hi)) or real(lo, hi, *rest))
    parts.run()
    assert len(calls) == 25 * int(threads) and sorted(set(calls))[0][0] == 0 and sorted(set(calls))[-1][1] == 150
    assert one_pass.results.to_json(series=True) == parts.results.to_json(series=True)
    for name in ("conviction", "acting", "heard", "heard_believing"):
        assert getattr(one_pass.state, name).tolist() == getattr(parts.state, name).tolist(), name


def test_the_census_adds_conviction_up_as_numpy_does():
    """The recorded mean conviction is numpy's sum to the last bit, whatever the head count (numpy adds
    pairwise in blocks; another order would change the series in its last digits)."""
    from adoption.model import _census

    rng = np.random.default_rng(8)
    for n in [*range(1, 300), 1000, 1024, 2049, 5000, 100_003]:
        conviction = rng.random(n) ** rng.integers(1, 6)
        role = rng.integers(0, 4, n)
        *_, total = _census(conviction, np.zeros(n, dtype=bool), role, np.ones(4, dtype=np.int64), BELIEF,
                            np.zeros(4))
        assert total == conviction.sum(), n


def test_believers_are_counted_by_role_and_an_empty_role_counts_zero(tmp_path):
    """Roles of tests/tiny.py without back office: executive 0, managers 1 and 4, front line 2, 3, 5, 6, 7."""
    roles = ["leader", "manager", "front_line", "front_line", "manager", "front_line", "front_line", "front_line"]
    model = tiny_model(tmp_path, believers=[0, 1, 2], roles=roles, **QUIET)
    series = model.results.series
    assert (series["believers_leader"][0], series["believers_manager"][0], series["believers_front_line"][0],
            series["believers_back_office"][0]) == (1.0, 0.5, 0.2, 0.0)
    assert series["believers"][0] == 3 / 8


def test_customers_heard_are_remembered_for_about_a_month(tmp_path):
    model = tiny_model(tmp_path, **QUIET)
    model.state.heard[:], model.state.heard_believing[:] = 8.0, 4.0
    model.step()
    np.testing.assert_allclose(model.state.heard, 8.0 * CUSTOMER_MEMORY)
    np.testing.assert_allclose(model.state.heard_believing, 4.0 * CUSTOMER_MEMORY)


def test_an_employee_believes_from_conviction_one_half(tmp_path):
    model = tiny_model(tmp_path)
    model.state.conviction[:3] = [BELIEF, BELIEF - 1e-9, 1.0]
    assert model.state.believes[:3].tolist() == [True, False, True]


def test_a_hire_takes_the_leavers_place_with_a_fresh_state(tmp_path):
    model = tiny_model(tmp_path, believers=[2, 5], empowerment=0.7)
    model.state.empowerment[:] = 1.0
    model.state.heard[:] = 3.0
    model.hire(np.array([2, 5, 6]), believing=np.array([False, True, False]), threshold=np.array([0.1, 0.2, 0.3]))
    np.testing.assert_array_equal(model.state.conviction[[2, 5, 6]], [0.0, 1.0, 0.0])
    np.testing.assert_array_equal(model.state.threshold[[2, 5, 6]], [0.1, 0.2, 0.3])
    assert not model.state.committed[[2, 5, 6]].any() and model.state.committed.sum() == 0
    np.testing.assert_array_equal(model.state.empowerment[[2, 5, 6, 7]], [0.7, 0.7, 0.7, 1.0])
    np.testing.assert_array_equal(model.state.heard[[2, 5, 6, 7]], [0.0, 0.0, 0.0, 3.0])
    model.step()
    assert model.results.series["departures"][-1] == 2  # believers 2 and 5 left
    assert model.results.series["conversions_hiring"][-1] == 1


def test_training_adds_empowerment_up_to_one_and_conviction_toward_one(tmp_path):
    model = tiny_model(tmp_path, empowerment=0.5)
    model.state.conviction[:] = [0.0, 0.2, 0.4, 0.48, 0.0, 0.0, 0.0, 0.0]
    model.state.empowerment[3] = 0.9
    model.train(np.array([1, 2, 3]), empowerment=0.2, conviction=0.1)
    np.testing.assert_allclose(model.state.empowerment[:5], [0.5, 0.7, 0.7, 1.0, 0.5])
    np.testing.assert_allclose(model.state.conviction[:5], [0.0, 0.28, 0.46, 0.532, 0.0])
    model.step()
    assert model.results.series["conversions_training"][-1] == 1  # person 3 crossed ½


def test_only_non_believers_count_as_compliers(tmp_path):
    model = tiny_model(tmp_path, believers=[0, 1])
    model.comply(np.ones(8, dtype=bool))
    assert model.state.complies.tolist() == [False, False] + [True] * 6


def test_a_good_moment_needs_acting_and_empowerment():
    """Good-moment chance = acting × empowerment (× the service the economy affords, 1 without it)."""
    everyone = dict(employees=100, customers=20_000, initial_believers=1.0, steps=1)
    assert run(seed=1, **everyone, empowerment=1.0).series["satisfaction"][1] == 1.0
    assert run(seed=1, **everyone, empowerment=0.0).series["satisfaction"][1] == 0.0
    nobody_acts = run(seed=1, **{**everyone, "initial_believers": 0.0}, empowerment=1.0)
    assert nobody_acts.series["satisfaction"][1] == 0.0
    half = run(seed=1, **everyone, empowerment=0.5)
    moments = half.series["moments_of_truth"][1]
    assert abs(half.series["satisfaction"][1] - 0.5) < 4 * 0.5 / np.sqrt(moments), moments


# --- random streams: one per concern, keyed by its name --------------------------------------------------------
def test_a_stream_is_fixed_by_seed_name_and_replicate():
    first = stream(5, "customers", 0).random(3)
    np.testing.assert_array_equal(first, stream(5, "customers", 0).random(3))
    for other in (stream(6, "customers", 0), stream(5, "rule", 0), stream(5, "customers", 1), stream(5, "customers")):
        assert not np.array_equal(first, other.random(3))


def test_adding_a_concern_never_shifts_the_others_streams(monkeypatch):
    import adoption.model

    baseline = run(seed=3, employees=150, customers=2000, steps=20, turnover=0.5).to_json(series=True)
    monkeypatch.setattr(adoption.model, "DYNAMICS", ("a_new_lever", *adoption.model.DYNAMICS))
    monkeypatch.setattr(adoption.model, "STRUCTURE", ("a_new_concern", *adoption.model.STRUCTURE))
    assert run(seed=3, employees=150, customers=2000, steps=20, turnover=0.5).to_json(series=True) == baseline


@pytest.mark.parametrize("negligible", [
    dict(turnover=1e-12),  # draws leavers every week, none leave
    dict(compliance_rules=1e-300),  # draws compliers every week, none comply
    dict(rule="threshold", forgetting=1e-12),  # the rule draws lapses every week, none lapse
])
def test_customers_rule_and_levers_do_not_share_a_stream(negligible):
    """A mechanism that draws random numbers but changes nothing leaves every series identical: its draws
    come from its own stream, not the customers' (or anyone else's)."""
    base = {"rule": negligible.get("rule", "conviction")}
    for seed in range(2):
        baseline = run(seed=seed, employees=150, customers=3000, steps=25, **base).to_dict(series=True)["series"]
        assert run(seed=seed, employees=150, customers=3000, steps=25, **negligible).to_dict(series=True)["series"] \
            == baseline


@pytest.mark.replicates
def test_empowerment_lets_good_attitude_become_good_service():
    """Believers who may not resolve problems disappoint. Measured (20 seeds): empowerment 0.4 instead of 0.8
    reaches 50% 6.8 ± 0.9 weeks later, with 42 ± 1 points fewer satisfied moments at week 52."""
    seeds = range(20)
    assert_effect(milestone_weeks("0.5", seeds, empowerment=0.4) - milestone_weeks("0.5", seeds, empowerment=0.8), 2,
                  "weeks to 50% lost to empowerment 0.4")
    assert_effect(final_values("satisfaction", seeds, empowerment=0.8)
                  - final_values("satisfaction", seeds, empowerment=0.4), 0.2, "satisfied moments lost")


# --- interventions: parameters changed during a run ---------------------------------------------------------------
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
