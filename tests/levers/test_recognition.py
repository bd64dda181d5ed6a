"""Recognition: leaders who believe publicly thank staff for value-driven acts; staff watch their reaction."""

import numpy as np
import pytest

from agents.customers import Moments
from replicates import assert_effect, milestone_weeks
from tiny import tiny_model

SEEDS = range(20)


def thanked_person_2(model):
    """A week in which only person 2 (unit a: people 1, 2, 3) gave a believer's good moment of truth."""
    convinced = np.zeros(8)
    convinced[2] = 1
    return Moments(1, 1, convinced.copy(), np.zeros(8), convinced)


def test_a_thank_you_is_seen_by_the_unit_and_weighed_by_the_leaders_believing(tmp_path):
    """leader += recognition × (thanked share of one's unit) × (believing share of one's leaders)."""
    model = tiny_model(tmp_path, believers=[0], recognition=2.0, recognition_reach="unit")
    lever = next(lever for lever in model.levers if lever.name == "recognition")
    pressure = model.pressure()
    before, watching = pressure.leader.copy(), pressure.leaders_believing.copy()
    np.testing.assert_allclose(watching, [1, 1, 0.5, 0.5, 1, 0.5, 1, 1])
    after = lever.adjust(model, pressure, thanked_person_2(model))
    seen = np.array([0, 1 / 3, 1 / 3, 1 / 3, 0, 0, 0, 0])
    np.testing.assert_allclose(after.leader - before, 2.0 * seen * watching)


def test_organisation_wide_recognition_is_seen_by_everyone(tmp_path):
    model = tiny_model(tmp_path, believers=[0], recognition=2.0, recognition_reach="organisation")
    lever = next(lever for lever in model.levers if lever.name == "recognition")
    pressure = model.pressure()
    before, watching = pressure.leader.copy(), pressure.leaders_believing.copy()
    after = lever.adjust(model, pressure, thanked_person_2(model))
    np.testing.assert_allclose(after.leader - before, 2.0 * (1 / 8) * watching)


def test_no_believing_leader_no_thanks(tmp_path):
    model = tiny_model(tmp_path, believers=[2], recognition=2.0)
    lever = next(lever for lever in model.levers if lever.name == "recognition")
    pressure = model.pressure()
    before = pressure.leader.copy()
    np.testing.assert_array_equal(lever.adjust(model, pressure, thanked_person_2(model)).leader, before)


@pytest.mark.replicates
def test_public_recognition_speeds_the_majority():
    """Measured (20 seeds): organisation-wide recognition 1.0 reaches 80% 4.9 ± 1.0 weeks sooner; within
    units it reaches 50% 1.7 ± 0.2 weeks sooner; organisation-wide beats unit-only by 3.1 ± 1.1 weeks at 80%."""
    base = milestone_weeks("0.8", SEEDS)
    organisation = milestone_weeks("0.8", SEEDS, recognition=1.0, recognition_reach="organisation")
    assert_effect(base - organisation, 1.5, "weeks to 80% saved by organisation-wide recognition")
    assert_effect(milestone_weeks("0.5", SEEDS) - milestone_weeks("0.5", SEEDS, recognition=1.0), 0.5,
                  "weeks to 50% saved by recognition within units")
    assert_effect(milestone_weeks("0.8", SEEDS, recognition=1.0) - organisation, 0.5,
                  "weeks to 80% saved by organisation-wide over unit recognition")
