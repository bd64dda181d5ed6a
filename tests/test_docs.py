"""The README's parameter table is generated from the one parameter declaration and must not go stale."""

from pathlib import Path

from adoption.cli import main

ROOT = Path(__file__).resolve().parents[1]


def test_readme_parameter_table_is_current(capsys):
    assert main(["params", "--markdown"]) == 0
    table = capsys.readouterr().out.strip()
    assert table in (ROOT / "README.md").read_text(), "regenerate it: adoption params --markdown"


def test_readme_quick_start_is_the_two_make_targets_and_ci_calls_the_test_one():
    readme = (ROOT / "README.md").read_text()
    assert "make app" in readme and "make test" in readme
    assert "make test" in (ROOT / ".ci/run").read_text()


def test_readme_shows_what_adoption_run_prints(capsys):
    assert main(["run"]) == 0
    assert capsys.readouterr().out.strip() in (ROOT / "README.md").read_text(), "paste the new `adoption run` output"
