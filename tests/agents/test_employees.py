"""Employees: thin Mesa views over the model's arrays."""

import pytest

from adoption import Model
from agents.employees import ROLES
from tiny import tiny_model


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


def test_a_view_knows_role_unit_colleagues_and_whether_one_only_complies(tmp_path):
    model = tiny_model(tmp_path, believers=[2])
    model.comply(model.state.conviction < 0.5)
    person, believer = model.employee(3), model.employee(2)
    assert (person.role, person.colleagues) == ("front_line", [1, 2])
    assert person.unit == believer.unit != model.employee(5).unit
    assert person.acts is False  # acting is this week's: set when the week runs
    model.step()
    assert person.complies_only and person.acts and not person.believes
    assert believer.acts and not believer.complies_only


def test_hidden_instigators_are_gone_from_the_drawn_thresholds():
    """Thresholds are log-normal with the declared mean and spread: nobody at 0, where a normal clipped at 0
    put 9% of staff (hidden instigators) with the defaults."""
    model = Model(employees=20_000, customers=0, threshold=0.4, threshold_sd=0.3, seed=1)
    doubt = model.state.threshold
    assert doubt.min() > 0.01
    assert doubt.mean() == pytest.approx(0.4, abs=0.01) and doubt.std() == pytest.approx(0.3, abs=0.02)
