"""The "Your organisation" tab's uploads: kept under names of our own in a session folder, never a
browser's path; the example files; the sidebar's parameters with the uploaded organisation."""

import gc

import pytest

from adoption import ParamError, Params
from app.your_organisation import EXAMPLE_SURVEY, Uploads, base_params


def test_an_upload_is_saved_under_our_own_name_in_the_session_folder():
    uploads = Uploads()
    path = uploads.keep("survey", "../../etc/Pulse Q3.CSV", b"week,respondents,agree\n4,10,2\n")
    assert path == uploads.folder / "survey.csv" and path.read_bytes().startswith(b"week,")
    assert uploads.files == {"survey": path}
    with pytest.raises(ParamError, match="unknown file type .exe"):
        uploads.keep("people", "people.exe", b"")
    folder = uploads.folder
    del uploads
    gc.collect()
    assert not folder.exists(), "the session's uploads outlive it"


def test_the_example_files_are_shipped_and_readable():
    from experiments.observations import read_pulse

    uploads = Uploads()
    uploads.take_example()
    assert uploads.files == {"survey": EXAMPLE_SURVEY, "people": "example_org"}
    waves = read_pulse(EXAMPLE_SURVEY)
    assert waves["week"].tolist() == [4, 8, 12, 16, 20]


def test_uploaded_people_and_ties_replace_the_sidebar_organisation(tmp_path):
    people = tmp_path / "people.csv"
    people.write_text("id,manager_id\nceo,\nann,ceo\nbob,ann\n")
    params = base_params(Params(employees=300), {"people": people, "survey": tmp_path / "pulse.csv"})
    assert params.people == str(people)
    with pytest.raises(ParamError, match="fix the parameters"):
        base_params(None, {})
