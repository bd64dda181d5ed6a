"""Compliance rules: scripted acting without conviction, halved without supervision, lapsing under customers."""

import numpy as np
import pytest

from adoption.model import stream
from replicates import assert_effect, final_values
from tiny import QUIET, tiny_model

SEEDS = range(20)
UNSUPERVISED = 0.5  # docs/model.md: without a manager in the unit, compliance lapses half the time


def test_the_chance_to_comply_is_rules_times_supervision_times_customers_not_pressing(tmp_path):
    """Units a and b have managers, unit c (people 6, 7) and the top team (0) none; person 3 has served 4
    customers lately, 1 believing. chance = compliance_rules × supervision × (1 − believing share served)."""
    model = tiny_model(tmp_path, believers=[2], compliance_rules=0.9, seed=3, **QUIET)
    model.state.heard[3], model.state.heard_believing[3] = 4.0, 1.0
    chance = 0.9 * np.array([UNSUPERVISED, 1, 1, 1 * (1 - 1 / 4), 1, 1, UNSUPERVISED, UNSUPERVISED])
    draws = stream(3, "compliance_rules", 0)  # the lever's own stream
    for week in range(30):
        expected = draws.random(8) < chance
        expected[2] = False  # a believer acts from conviction, not by the rules
        model.levers[0].before_week(model)
        assert model.state.complies.tolist() == expected.tolist(), week


def test_customers_pressing_for_more_break_the_script(tmp_path):
    model = tiny_model(tmp_path, compliance_rules=1.0, **QUIET)
    model.state.heard[:], model.state.heard_believing[:] = 10.0, 10.0
    model.levers[0].before_week(model)
    assert not model.state.complies.any()


@pytest.mark.replicates
def test_rules_raise_acting_not_conviction():
    """Scripts make staff act; they do not make them believe (MODEL.md: rules are not culture). Measured (20 seeds,
    consistency 0.5, rules 0.9): acting − believing 0.44 ± 0.02 at week 52; belief +0.05 ± 0.005 over no rules;
    satisfied moments at week 10 +0.63 ± 0.01."""
    rules = dict(compliance_rules=0.9, leader_consistency=0.5)
    assert_effect(final_values("acting", SEEDS, **rules) - final_values("believers", SEEDS, **rules), 0.25,
                  "acting without believing under rules")
    assert_effect(0.1 - np.abs(final_values("believers", SEEDS, **rules)
                               - final_values("believers", SEEDS, leader_consistency=0.5)), 0.0,
                  "belief stays within 10 points of no rules (0.1 − |difference|)")
    assert_effect(final_values("satisfaction", SEEDS, week=10, compliance_rules=0.9)
                  - final_values("satisfaction", SEEDS, week=10), 0.2, "satisfied moments added by rules at week 10")
