import json

import numpy as np
import pytest

from adoption import Model, Params, run
from adoption.results import MILESTONES, SERIES
from agents.employees import ROLES


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
])
def test_conversions_add_up_with_lapses_departures_hires_and_training(small, overrides, outflow):
    model = Model(seed=6, **small, **overrides)
    expected, end = believers_accounted_for(model)
    assert expected == end, overrides
    if outflow:
        assert model.results.summary()[outflow] > 0, overrides


def test_milestones_are_monotone_and_match_the_series(small):
    for seed in range(5):
        results = run(seed=seed, **small)
        reached = [results.milestones[str(level)] for level in MILESTONES]
        weeks = [week for week in reached if week is not None]
        assert weeks == sorted(weeks)
        assert all(b is None for a, b in zip(reached, reached[1:]) if a is None)
        for level, week in zip(MILESTONES, reached):
            shares = results.series["believers"]
            if week is not None:
                assert shares[week] >= level - 1e-9 and all(s < level - 1e-9 for s in shares[:week])


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


def test_moments_of_truth_match_contacts_per_customer_per_year():
    results = run(employees=200, customers=20_000, contacts_per_customer=5, steps=52, seed=3)
    assert results.moments_of_truth == pytest.approx(100_000, rel=0.02)


def test_front_line_alone_meets_customers():
    model = Model(employees=200, customers=5000, seed=2)
    moments = model.customers.meet(model.front_line, np.ones(200), 200, np.random.default_rng(0))
    assert moments.served.sum() == moments.count > 0
    assert set(np.flatnonzero(moments.served)) <= set(model.front_line.tolist())


def test_good_moments_need_acting_and_empowerment():
    model = Model(employees=200, customers=5000, seed=2)
    nobody = model.customers.meet(model.front_line, np.zeros(200), 200, np.random.default_rng(0))
    assert nobody.good == 0
    everyone = model.customers.meet(model.front_line, np.ones(200), 200, np.random.default_rng(0))
    assert everyone.good == everyone.count


def test_customer_believer_count_is_kept_exactly():
    model = Model(employees=100, customers=3000, contacts_per_customer=40, seed=9)
    for _ in range(10):
        model.step()
        assert model.customers.believers == int((model.customers.belief >= 0.5).sum())


def test_agent_views_read_the_arrays():
    model = Model(employees=60, customers=500, seed=1)
    model.run(5)
    assert len(model.employees) == 60
    for person in model.employees:
        assert person.conviction == model.state.conviction[person.index]
        assert person.believes == bool(model.state.believes[person.index])
        assert person.role == ROLES[model.organisation.role[person.index]]
    model.step()
    person = model.employee(7)
    assert person.conviction == model.state.conviction[7]


def test_mesa_bookkeeping():
    model = Model(employees=50, customers=100, steps=3, seed=0)
    while model.running:
        model.step()
    assert model.steps == 3 and model.results.steps == 3


def test_json_contract_keys(small):
    data = json.loads(run(seed=1, **small).to_json())
    assert set(data) >= {"params", "milestones", "final", "conversions", "moments_of_truth"}
    assert set(data["milestones"]) == {"0.05", "0.2", "0.5", "0.8"}
    assert set(data["final"]) == {"employees", "customers"}
    assert set(data["conversions"]) == {"peer", "leader", "customer", "hiring", "training", "innovation"}
    assert data["params"] == Params(seed=1, **small).to_dict()
