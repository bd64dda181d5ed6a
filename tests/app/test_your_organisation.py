"""The "Your organisation" tab: the example files; the sidebar's parameters with the uploaded organisation.
Uploads themselves are app.inputs.Uploads (tests/app/test_app_logic.py)."""

import pytest

from adoption import ParamError, Params
from app.your_organisation import EXAMPLE_SURVEY, base_params, example_files


def test_the_example_files_are_shipped_and_readable():
    from experiments.observations import read_pulse

    assert example_files() == {"survey": EXAMPLE_SURVEY, "people": "example_org"}
    waves = read_pulse(EXAMPLE_SURVEY)
    assert waves["week"].tolist() == [4, 8, 12, 16, 20]


def test_uploaded_people_and_ties_replace_the_sidebar_organisation(tmp_path):
    people = tmp_path / "people.csv"
    people.write_text("id,manager_id\nceo,\nann,ceo\nbob,ann\n")
    params = base_params(Params(employees=300), {"people": people, "survey": tmp_path / "pulse.csv"})
    assert params.people == str(people)
    with pytest.raises(ParamError, match="fix the parameters"):
        base_params(None, {})
