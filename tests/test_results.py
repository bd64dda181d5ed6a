"""The results of a run: milestones read off the series, the JSON contract."""

import json

from adoption import Params, run
from adoption.results import MILESTONES


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


def test_json_contract_keys(small):
    data = json.loads(run(seed=1, **small).to_json())
    assert set(data) >= {"params", "milestones", "final", "conversions", "moments_of_truth"}
    assert set(data["milestones"]) == {"0.05", "0.2", "0.5", "0.8"}
    assert set(data["final"]) == {"employees", "customers"}
    assert set(data["conversions"]) == {"peer", "leader", "customer", "hiring", "training", "innovation"}
    assert data["params"]["seed"] == 1 and data["params"]["employees"] == small["employees"]
    assert set(data["params"]) == set(Params.__dataclass_fields__)


def test_a_milestone_is_the_first_week_at_or_above_its_share():
    from adoption.results import SERIES, Results

    results = Results(params={})
    for share in (0.05, 0.1, 0.2, 0.49, 0.5, 0.79, 0.3):
        results.record(**{**dict.fromkeys(SERIES, 0), "believers": share})
    assert results.milestones == {"0.05": 0, "0.2": 2, "0.5": 4, "0.8": None}
    row = results.row()
    assert (row["weeks_to_5"], row["weeks_to_20"], row["weeks_to_50"], row["weeks_to_80"]) == (0, 2, 4, None)
    assert results.final["employees"] == 0.3 and results.steps == 6
