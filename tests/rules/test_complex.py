"""Complex contagion (Centola & Macy 2007): belief needs min_contacts distinct believing colleagues."""

from tiny import QUIET, tiny_model


def test_an_employee_adopts_with_exactly_min_contacts_believing_colleagues(tmp_path):
    """Believers 1 and 2: person 3 has two believing colleagues, person 0 one (manager 1)."""
    two = tiny_model(tmp_path, believers=[1, 2], rule="complex", min_contacts=2, **QUIET)
    two.step()
    assert two.state.believes.tolist() == [False, True, True, True, False, False, False, False]
    one = tiny_model(tmp_path, believers=[1, 2], rule="complex", min_contacts=1, **QUIET)
    one.step()
    assert one.state.believes[[0, 3]].all() and not one.state.believes[[5, 6, 7]].any()
    three = tiny_model(tmp_path, believers=[1, 2], rule="complex", min_contacts=3, **QUIET)
    three.step()
    assert three.state.believes.sum() == 2
