import json
import subprocess
import sys

import pytest

from adoption.cli import main


def run_cli(*args):
    """The real console script in a subprocess: exit code, stdout, stderr."""
    done = subprocess.run([sys.executable, "-m", "adoption.cli", *args], capture_output=True, text=True, timeout=120)
    return done.returncode, done.stdout, done.stderr


def test_json_run_prints_the_contract():
    code, out, err = run_cli("run", "--json", "--set", "employees=100", "--set", "customers=1000", "--seed", "3")
    assert code == 0, err
    data = json.loads(out)
    assert data["params"]["employees"] == 100 and data["params"]["seed"] == 3
    assert set(data["milestones"]) == {"0.05", "0.2", "0.5", "0.8"}
    assert "series" not in data
    assert data["moments_of_truth"] > 0


def test_json_is_identical_for_the_same_seed(capsys):
    outputs = []
    for _ in range(2):
        assert main(["run", "--json", "--series", "--steps", "10", "--seed", "5"]) == 0
        outputs.append(capsys.readouterr().out)
    assert outputs[0] == outputs[1]
    assert len(json.loads(outputs[0])["series"]["believers"]) == 11


def test_human_summary_names_milestones_and_sources(capsys):
    assert main(["run", "--steps", "20"]) == 0
    out = capsys.readouterr().out
    assert "believers reached" in out and "convinced by" in out and "customer" in out


@pytest.mark.parametrize("args, message", [
    (["run", "--set", "employees=-3"], "employees=-3: must be an integer"),
    (["run", "--set", "employes=3"], "employes: unknown parameter (did you mean employees?)"),
    (["run", "--set", "network=missing.graphml"], "network: file not found: missing.graphml"),
    (["run", "--set", "network=grid"], "network=grid: unknown"),
    (["run", "--set", "rule=magic"], "rule=magic: unknown"),
    (["run", "nope"], "scenario: no built-in scenario or file named 'nope'"),
    (["run", "--set", "employees"], "expected NAME=VALUE"),
])
def test_bad_input_is_one_clear_line_and_exit_2(args, message, capsys):
    assert main(args) == 2
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_the_console_script_exits_2_without_a_traceback():
    code, out, err = run_cli("run", "--set", "employees=-3")
    assert code == 2 and err.strip() == "adoption: employees=-3: must be an integer from 2 to 10000000"


@pytest.mark.parametrize("args", [
    ["run", "--set", "employees=-3"],
    ["run", "--set", "seeding=nope"],
    ["run", "nope"],
    ["compare", "--strategies", "random,leaders", "--set", "employees=-3"],
    ["sweep", "nope.toml", "--out", "results"],
    ["params"],
])
def test_listings_and_bad_input_answer_without_importing_the_model(args, tmp_path):
    """A typo is refused, and the parameters listed, before Mesa (and pandas, scipy, numba) are imported:
    in a fresh process, a fraction of a second instead of the second those imports take."""
    probe = ("import sys\nfrom adoption.cli import main\n"
             f"code = main({args!r})\n"
             "print(sorted(name for name in ('mesa', 'numba', 'pandas', 'adoption.model') if name in sys.modules))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=tmp_path)
    assert done.stdout.strip().splitlines()[-1] == "[]", done.stderr


def test_scenario_file_and_listing(tmp_path, capsys):
    path = tmp_path / "mine.toml"
    path.write_text("# my org\nemployees = 80\ncustomers = 400\nsteps = 4\n")
    assert main(["run", str(path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["params"]["employees"] == 80
    assert main(["scenarios"]) == 0
    listing = capsys.readouterr().out
    assert "default" in listing and "no_customer_voice" in listing
    bad = tmp_path / "bad.toml"
    bad.write_text("employees = [")
    assert main(["run", str(bad)]) == 2


def test_a_scenario_loads_as_its_file_says_now_and_each_caller_gets_its_own_copy(tmp_path):
    from experiments import scenarios

    path = tmp_path / "mine.toml"
    path.write_text("employees = 80\ninterventions = ['3:recognition=0.5']\n")
    first = scenarios.load(str(path))
    first["employees"], first["interventions"][0] = 1, "changed by the caller"
    assert scenarios.load(str(path)) == {"employees": 80, "interventions": ["3:recognition=0.5"]}
    path.write_text("employees = 120\nsteps = 5\n")  # edited on disk: read anew
    assert scenarios.load(str(path)) == {"employees": 120, "steps": 5}
    assert scenarios.load("default")["employees"] == 300


def test_params_table_lists_every_parameter(capsys):
    from adoption.params import SPECS

    assert main(["params", "--markdown"]) == 0
    table = capsys.readouterr().out
    assert all(f"`{name}`" in table for name in SPECS)


def test_params_columns_stay_apart_on_long_allowed_lists():
    """Long allowed lists ran into the meaning column; they wrap within their own column now."""
    from adoption.cli import params_text
    from adoption.params import SPECS, describe

    text = params_text([describe(name) for name in SPECS], width=100)
    lines = text.splitlines()
    assert all(len(line) <= 100 for line in lines), max(lines, key=len)
    network = next(i for i, line in enumerate(lines) if line.startswith("network "))
    assert lines[network][37:38] == " " and lines[network][68:69] == " ", lines[network]
    assert "karate" in "".join(line[38:68] for line in lines[network:network + 4])
    for line in lines:  # every row and continuation keeps the four columns' starts
        assert line[24] == " " and (len(line) <= 37 or line[37] == " "), line


def test_a_server_address_is_checked_before_serving():
    """`app --port` in use, `--host 'not a host!!'` and another machine's address exited 3 after
    "serving at ..." had been printed; they are one clear line before anything starts."""
    import socket

    from adoption.arguments import listenable
    from adoption.params import ParamError

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(ParamError, match=f"--port {port}: already in use"):
            listenable("127.0.0.1", port)
    for host in ("not a host!!", "x" * 300):
        with pytest.raises(ParamError, match="--host .*: not a host name"):
            listenable(host, 8765)
    with pytest.raises(ParamError, match="--host 192.0.2.1: cannot listen there"):
        listenable("192.0.2.1", 8765)  # TEST-NET-1: never an address of this machine
    with pytest.raises(ParamError, match="--port 70000: must be from 1 to 65535"):
        listenable("127.0.0.1", 70000)
    listenable("127.0.0.1", port)  # free again


def test_human_summary_shows_the_economics_when_the_loop_is_on(capsys):
    assert main(["run", "--set", "economics=true", "--set", "employees=100", "--set", "customers=500",
                 "--steps", "10"]) == 0
    line = next(line for line in capsys.readouterr().out.splitlines() if line.startswith("economics"))
    assert "of revenue" in line and "staff morale" in line and "customers kept" in line
    assert main(["run", "--set", "employees=100", "--set", "customers=500", "--steps", "10"]) == 0
    assert "economics" not in capsys.readouterr().out
