"""The experiment subcommands: sweep, results, analyse, compare; bad input is one line and exit 2."""

import json

from adoption.cli import main

SPEC = """# A tiny sweep for the command tests.
[sweep]
replicates = 2
[base]
employees = 60
customers = 300
steps = 20
[vary]
initial_believers = [0.05, 0.2]
customer_feedback = [0.0, 2.0]
"""


def test_sweep_results_analyse_from_the_command_line(tmp_path, capsys):
    spec = tmp_path / "tiny.toml"
    spec.write_text(SPEC)
    out = tmp_path / "out"
    assert main(["sweep", str(spec), "--out", str(out), "--workers", "1", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["runs"] == report["new"] == 8 and report["failed"] == 0
    assert (out / "results.parquet").is_file() and (out / "spec.toml").read_text() == SPEC

    assert main(["results", str(out)]) == 0
    text = capsys.readouterr().out
    assert "8 of 8 runs stored, 0 failed" in text and "initial_believers" in text

    assert main(["analyse", str(out), "--phase", "initial_believers", "customer_feedback",
                 "--output", "final_employees", "--json"]) == 0
    analysed = json.loads(capsys.readouterr().out)
    assert len(analysed["phase"]["values"]) == 2 and all(path.endswith(".png") for path in analysed["plots"])


def test_compare_prints_intervals_and_saves_a_plot(tmp_path, capsys):
    plot = tmp_path / "compare.png"
    code = main(["compare", "--strategies", "random,leaders", "--replicates", "4", "--set", "employees=60",
                 "--set", "customers=300", "--steps", "20", "--plot", str(plot)])
    out = capsys.readouterr().out
    assert code == 0 and "weeks to 20%" in out and "reached majority" in out and "leaders" in out
    assert plot.read_bytes()[:4] == b"\x89PNG"


def test_bad_input_is_one_line_and_exit_2(tmp_path, capsys):
    spec = tmp_path / "bad.toml"
    spec.write_text("[vary]\ncustomer_feedbak = [1.0]\n")
    assert main(["sweep", str(spec), "--out", str(tmp_path / "out")]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and "customer_feedbak: unknown parameter (did you mean customer_feedback?)" in error
    assert main(["compare", "--strategies", "leaders,bosses", "--replicates", "2"]) == 2
    assert "seeding=bosses: unknown; allowed:" in capsys.readouterr().err
    assert main(["results", str(tmp_path / "nowhere")]) == 2
    assert "no such sweep folder" in capsys.readouterr().err
