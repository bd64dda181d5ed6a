"""The leader signal: staff watch their unit's managers and the executives; leaders watch the executives."""

import numpy as np
import pytest

from agents.employees import Organisation
from agents.roles import BACK_OFFICE, FRONT_LINE, LEADER, MANAGER
from agents.leaders import leader_signal
from tiny import tiny_model


def test_staff_average_their_managers_and_the_executives(tmp_path):
    """Unit a's manager (1) believes, unit b's (4) does not, the executive (0) does not; unit c has no manager."""
    model = tiny_model(tmp_path, believers=[1])
    signal = leader_signal(model.organisation, model.state.believes)
    #                        exec  mgr a  staff a    mgr b  staff b  unit c (no manager)
    np.testing.assert_allclose(signal, [0.0, 0.0, 0.5, 0.5, 0.0, 0.0, 0.0, 0.0])


def test_the_executives_are_watched_by_everyone(tmp_path):
    model = tiny_model(tmp_path, believers=[0])
    signal = leader_signal(model.organisation, model.state.believes)
    np.testing.assert_allclose(signal, [1.0, 1.0, 0.5, 0.5, 1.0, 0.5, 1.0, 1.0])


def test_two_managers_of_one_unit_count_half_each():
    # executives 0, 1 (one believes); unit 1: managers 2 (believes) and 3, staff 4; unit 2: staff 5, no manager
    org = Organisation(role=np.array([LEADER, LEADER, MANAGER, MANAGER, FRONT_LINE, BACK_OFFICE], dtype=np.int8),
                       unit=np.array([0, 0, 1, 1, 1, 2]))
    believes = np.array([True, False, True, False, False, False])
    top = 0.5
    expected = [top, top, top, top, (0.5 + top) / 2, top]
    np.testing.assert_allclose(leader_signal(org, believes), expected)


def test_an_organisation_without_executives_hears_only_its_managers():
    org = Organisation(role=np.array([MANAGER, FRONT_LINE, FRONT_LINE], dtype=np.int8), unit=np.array([0, 0, 0]))
    np.testing.assert_allclose(leader_signal(org, np.array([True, False, False])), [0.0, 0.5, 0.5])


@pytest.mark.parametrize("person, watchers", [(0, 8), (1, 2), (4, 1)])
def test_a_leader_view_counts_who_watches_them(tmp_path, person, watchers):
    model = tiny_model(tmp_path)
    assert model.employee(person).watched_by == watchers


@pytest.mark.parametrize("seed", range(4))
def test_the_compiled_signal_is_its_numpy_statement(seed):
    """Units with none, one or several managers, with or without executives, random believers."""
    from agents.leaders import leader_signal_reference

    rng = np.random.default_rng(seed)
    n = 300
    executives = 0.02 * (seed % 2)  # none in every other organisation
    role = rng.choice([LEADER, MANAGER, FRONT_LINE, BACK_OFFICE], n, p=[executives, 0.1, 0.5, 0.4 - executives])
    org = Organisation(role=role.astype(np.int8), unit=rng.integers(0, 30, n))
    believes = rng.random(n) < 0.3
    assert leader_signal(org, believes).tolist() == leader_signal_reference(org, believes).tolist()
