"""The linear threshold rule (Granovetter 1978; Watts 2002), exactly, on the tiny organisation of tests/tiny.py."""

import dataclasses

import numpy as np

from tiny import QUIET, tiny_model


def week(model, **pressure_changes):
    """The rule's new beliefs for this week's pressure (with changes), as a list of True/False."""
    pressure = dataclasses.replace(model.pressure(), **pressure_changes)
    return (model.rule.update(model, pressure, np.random.default_rng(0)) >= 0.5).tolist()


def test_an_employee_adopts_when_the_believing_share_reaches_the_threshold_exactly(tmp_path):
    """Believers 1 and 2: person 0 sees 1 of 2 colleagues believe (½), person 3 sees 2 of 2, person 5 none."""
    model = tiny_model(tmp_path, believers=[1, 2], rule="threshold", **QUIET)
    model.state.threshold[:] = [0.5, 9, 9, 1.0 + 1e-9, 9, 1e-9, 9, 9]
    assert week(model) == [True, True, True, False, False, False, False, False]
    model.state.threshold[0] = 0.5 + 1e-9
    assert week(model)[0] is False


def test_leaders_and_customers_add_to_the_share_and_doubt_adds_to_the_threshold(tmp_path):
    model = tiny_model(tmp_path, believers=[1, 2], rule="threshold", **QUIET)
    model.state.threshold[:] = [0.75, 9, 9, 9, 9, 0.3, 9, 9]
    outside = np.array([0.25, 0, 0, 0, 0, 0.3, 0, 0])
    assert week(model, leader=outside)[0] is True  # ½ from colleagues + ¼ from leaders = ¾
    assert week(model, customer=outside)[5] is True  # no believing colleague, customers press 0.3
    assert week(model, customer=outside, doubt=0.01) == [False, True, True, False, False, False, False, False]


def test_adoption_is_permanent_and_the_committed_never_lapse(tmp_path):
    model = tiny_model(tmp_path, believers=[1, 2], rule="threshold", committed=0.5, forgetting=0.0, **QUIET)
    model.state.threshold[:] = 9.0  # nobody else is persuadable
    model.state.conviction[6] = 1.0  # an uncommitted believer
    for _ in range(5):
        model.step()
    assert np.flatnonzero(model.state.believes).tolist() == [1, 2, 6]
    forgetful = tiny_model(tmp_path, believers=[1, 2], rule="threshold", committed=0.5, forgetting=1.0, **QUIET)
    forgetful.state.threshold[:] = 9.0
    forgetful.step()
    assert forgetful.state.believes.sum() == 1 and forgetful.state.believes[forgetful.state.committed].all()
