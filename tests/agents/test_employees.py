"""Employees: thin Mesa views over the model's arrays."""

import numpy as np
import pytest

from adoption import Model
from agents.roles import ROLES
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


def test_the_standard_structure_exactly():
    """50 staff, 2% executives (1), units of at most 12 (49 → 5 units of 10, 10, 10, 10, 9, each led by a
    manager), customer-facing units first until the front line reaches 60% of staff (30: 4 units, 36 people)."""
    from adoption import Params
    from agents.employees import org_structure

    role, unit = org_structure(Params(employees=50, leaders_share=0.02, unit_size=12, frontline_share=0.6))
    assert [int((role == code).sum()) for code in range(4)] == [1, 5, 36, 8]  # executives, managers, front, back
    assert np.bincount(unit).tolist() == [1, 10, 10, 10, 10, 9]
    assert set(role[unit == 5].tolist()) == {1, 3} and set(role[unit == 4].tolist()) == {1, 2}
    small_role, _ = org_structure(Params(employees=20, leaders_share=0.02, unit_size=12, frontline_share=0.6))
    assert [int((small_role == code).sum()) for code in range(4)] == [1, 2, 17, 0]  # 2% of 20 still makes one


def test_no_doubt_on_average_means_no_doubt_at_all():
    from adoption import Params
    from agents.employees import draw_thresholds

    rng = np.random.default_rng(0)
    assert (draw_thresholds(Params(threshold=0.0, threshold_sd=0.3), 5, rng) == 0).all()
    assert (draw_thresholds(Params(threshold=0.4, threshold_sd=0.0), 5, rng) == 0.4).all()


def test_no_front_line_share_means_no_front_line_and_the_karate_club_has_two_leaders():
    from adoption import Params
    from agents.employees import org_structure
    from agents.roles import FRONT_LINE, LEADER

    role, _ = org_structure(Params(employees=50, frontline_share=0.0))
    assert not (role == FRONT_LINE).any()
    karate = Model(network="karate", customers=0)
    assert np.flatnonzero(karate.organisation.role == LEADER).tolist() == [0, 33]  # the instructor and president


def test_on_the_complete_network_everyone_else_is_a_colleague():
    model = Model(network="complete", employees=5, customers=0)
    assert model.employee(2).colleagues == [0, 1, 3, 4]
