"""Hostile and careless input, table-driven: every case is one clear line, exit code 2, no traceback.

Over two hundred bad inputs across the command line (every parameter, every
option), scenario TOML files, sweep specs, network files, output paths and
results folders, most of them from a trial that attacked the project (issue 15).
Each must be refused before any work with one line that names the input,
never quoting a file's contents nor more than ~80 characters of a value.
A property test (hypothesis) adds random text for every parameter.
"""

import re
import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adoption.cli import main, one_line
from adoption.params import SPECS, ParamError, Params, describe, parse_assignment

SECRET = "SECRET-CONTENT-7f3a"  # written into every bad file: no message may quote it
HUGE = "x" * 100_000
LONG_NAME = "n" * 300  # longer than a file name may be


def numeric_values(name):
    meta = describe(name)
    low, high = meta["low"], meta["high"]
    values = ["abc", "nan", "1e400", "-1e400", "", HUGE, f"{high * 10 + 1}"]
    if low > 0:
        values.append(f"{low / 2 if not meta['integer'] else low - 1}")
    else:
        values.append("-1")
    if meta["integer"]:
        values.append(f"{low + 0.5}")
    return values


def set_cases():
    """``run --set NAME=VALUE`` with values outside each parameter's rule."""
    cases = []
    for name in SPECS:
        meta = describe(name)
        if meta["kind"] == "flag":
            values = ["maybe", "2", HUGE]
        elif meta["kind"] == "weeks":
            values = ["a,b", "0", "-3", "4;12", HUGE]
        elif meta["kind"] == "schedule":
            values = ["x", "0:recognition=0.5", "²:recognition=0.5", "5:employees=3",
                      "5:recognition=99", "5:recognition",
                      "100000000000000000000:recognition=0.5", "53:recognition=0.5", f"5:{HUGE}=1"]
        elif meta["choices"] or meta["low"] is None:  # a name, or a file (people, ties, network)
            values = ["nonsense", HUGE, "/etc/passwd", f"{LONG_NAME}.csv"] + ([""] if meta["default"] else [])
        else:
            values = numeric_values(name)
        cases += [(f"set-{name}-{index}", ["run", "--set", f"{name}={value}"]) for index, value in enumerate(values)]
    return cases


OPTION_CASES = [
    ("set-no-equals", ["run", "--set", "employees"]),
    ("set-unknown", ["run", "--set", "employes=3"]),
    ("set-unknown-huge", ["run", "--set", f"{HUGE}=3"]),
    ("steps-text", ["run", "--steps", "abc"]),
    ("steps-negative", ["run", "--steps", "-1"]),
    ("steps-huge", ["run", "--steps", "100000000"]),
    ("seed-float", ["run", "--seed", "1.5"]),
    ("seed-negative", ["run", "--seed", "-5"]),
    ("seed-huge-text", ["run", "--seed", HUGE]),
    ("unknown-option", ["run", "--colour", "red"]),
    ("unknown-command", ["fly"]),
    ("scenario-missing", ["run", "nope"]),
    ("scenario-huge-name", ["run", HUGE]),
    ("scenario-long-name", ["run", LONG_NAME + ".toml"]),
    ("scenario-traversal", ["run", "../../../../etc/hostname"]),
    ("memory-staff-ties", ["run", "--set", "employees=10000000", "--set", "mean_degree=1000"]),
    ("memory-customers", ["run", "--set", "customers=100000000", "--set", "employees=10000000", "--set",
                          "mean_degree=100"]),
    ("memory-units", ["run", "--set", "employees=1000000", "--set", "unit_size=100000"]),
    ("complete-too-big", ["run", "--set", "network=complete", "--set", "employees=50000"]),
    ("sweep-no-out", ["sweep", "demo"]),
    ("sweep-missing-spec", ["sweep", "nothing_here", "--out", "x"]),
    ("sweep-huge-spec-name", ["sweep", HUGE, "--out", "x"]),
    ("sweep-workers-zero", ["sweep", "demo", "--out", "{tmp}/w0", "--workers", "0"]),
    ("sweep-workers-huge", ["sweep", "demo", "--out", "{tmp}/w1", "--workers", "100000"]),
    ("sweep-workers-text", ["sweep", "demo", "--out", "{tmp}/w2", "--workers", "many"]),
    ("sweep-scheduler-not-url", ["sweep", "demo", "--out", "{tmp}/s0", "--scheduler", "not a url"]),
    ("sweep-scheduler-http", ["sweep", "demo", "--out", "{tmp}/s1", "--scheduler", "http://127.0.0.1:8786"]),
    ("sweep-scheduler-closed-port", ["sweep", "demo", "--out", "{tmp}/s2", "--scheduler", "tcp://127.0.0.1:1"]),
    ("sweep-scheduler-bad-port", ["sweep", "demo", "--out", "{tmp}/s3", "--scheduler", "tcp://127.0.0.1:99999"]),
    ("sweep-scheduler-bad-host", ["sweep", "demo", "--out", "{tmp}/s4", "--scheduler", "tcp://not a host!!:8786"]),
    ("sweep-scheduler-huge", ["sweep", "demo", "--out", "{tmp}/s5", "--scheduler", HUGE]),
    ("sweep-out-under-file", ["sweep", "demo", "--out", "{tmp}/a_file/sub"]),
    ("sweep-out-is-file", ["sweep", "demo", "--out", "{tmp}/a_file"]),
    ("sweep-out-long-name", ["sweep", "demo", "--out", "{tmp}/" + LONG_NAME]),
    ("sweep-out-not-a-sweep", ["sweep", "demo", "--out", "{tmp}/full_folder"]),
    ("sweep-out-already", ["sweep", "{tmp}/tiny.toml", "--out", "{tmp}/results_ok"]),
    ("sweep-resume-other-spec", ["sweep", "demo", "--out", "{tmp}/results_ok", "--resume"]),
    ("compare-no-strategies", ["compare"]),
    ("compare-empty-strategies", ["compare", "--strategies", ","]),
    ("compare-unknown-seeding", ["compare", "--strategies", "leaders,bosses"]),
    ("compare-passwd-network", ["compare", "--strategies", "baseline,network=/etc/passwd"]),
    ("compare-bad-package", ["compare", "--strategies", "recognition=0.5+training"]),
    ("compare-bad-value", ["compare", "--strategies", "baseline,recognition=abc"]),
    ("compare-unknown-name", ["compare", "--strategies", "baseline,foo=1"]),
    ("compare-out-of-range", ["compare", "--strategies", "baseline,recognition=50"]),
    ("compare-unknown-parameter", ["compare", "--strategies", "a,b", "--parameter", "colour"]),
    ("compare-replicates-zero", ["compare", "--strategies", "random", "--replicates", "0"]),
    ("compare-replicates-billion", ["compare", "--strategies", "random", "--replicates", "1000000000"]),
    ("compare-replicates-text", ["compare", "--strategies", "random", "--replicates", "lots"]),
    ("compare-workers-huge", ["compare", "--strategies", "random", "--workers", "100000"]),
    ("compare-plot-under-file", ["compare", "--strategies", "random", "--replicates", "2", "--plot",
                                 "{tmp}/a_file/x.png"]),
    ("compare-plot-is-folder", ["compare", "--strategies", "random", "--replicates", "2", "--plot", "{tmp}"]),
    ("compare-plot-long-name", ["compare", "--strategies", "random", "--replicates", "2", "--plot",
                                "{tmp}/" + LONG_NAME + ".png"]),
    ("results-missing", ["results", "{tmp}/nowhere"]),
    ("results-a-file", ["results", "{tmp}/a_file"]),
    ("results-long-name", ["results", "{tmp}/" + LONG_NAME]),
    ("results-not-a-sweep", ["results", "{tmp}/full_folder"]),
    ("results-by-unknown", ["results", "{tmp}/results_ok", "--by", "colour"]),
    ("analyse-missing", ["analyse", "{tmp}/nowhere"]),
    ("analyse-grid-no-phase", ["analyse", "{tmp}/results_ok"]),
    ("analyse-unknown-output", ["analyse", "{tmp}/results_ok", "--output", "happiness", "--phase",
                                "initial_believers", "seed"]),
    ("analyse-unknown-phase", ["analyse", "{tmp}/results_ok", "--phase", "colour", "seed"]),
    ("analyse-where-unknown", ["analyse", "{tmp}/results_ok", "--phase", "initial_believers", "seed", "--where",
                               "initial_believers=0.7"]),
    ("analyse-plots-under-file", ["analyse", "{tmp}/results_ok", "--phase", "initial_believers", "seed",
                                  "--plots", "{tmp}/a_file/x"]),
    ("analyse-plots-long-name", ["analyse", "{tmp}/results_ok", "--phase", "initial_believers", "seed",
                                 "--plots", "{tmp}/" + LONG_NAME]),
    ("network-huge-run", ["run", "--set", "network={tmp}/huge_sparse.edgelist"]),
    ("network-huge-compare", ["compare", "--strategies", "baseline,network={tmp}/huge_sparse.edgelist"]),
    ("network-huge-sweep", ["sweep", "{tmp}/spec_huge_network.toml", "--out", "{tmp}/never"]),
    ("app-bad-scenario", ["app", "nope"]),
    ("app-port-zero", ["app", "--port", "0"]),
    ("app-port-huge", ["app", "--port", "70000"]),
    ("app-port-text", ["app", "--port", "http"]),
    ("app-port-in-use", ["app", "--host", "127.0.0.1", "--port", "{port}"]),
    ("app-host-not-a-host", ["app", "--host", "not a host!!"]),
    ("app-host-huge", ["app", "--host", HUGE]),
    ("app-host-foreign", ["app", "--host", "192.0.2.1"]),
    ("app-binary-scenario", ["app", "{tmp}/binary.toml"]),
]

# scenario files: (name, bytes)
SCENARIO_FILES = [
    ("binary.toml", b"\xff\xfe\x00\x01" + SECRET.encode() + b"\x80\x81"),
    ("utf16.toml", f"employees = 80 # {SECRET}\n".encode("utf-16")),
    ("invalid.toml", f"employees = [{SECRET}\n".encode()),
    ("unknown_key.toml", b"employes = 80\n"),
    ("wrong_type.toml", b"employees = \"many\"\n"),
    ("float_count.toml", b"employees = 80.5\n"),
    ("bool_number.toml", b"threshold = true\n"),
    ("table.toml", b"[organisation]\nemployees = 80\n"),
    ("array.toml", b"employees = [80, 90]\n"),
    ("nan.toml", b"threshold = nan\n"),
    ("inf.toml", b"customers = inf\n"),
    ("huge_int.toml", b"employees = 9223372036854775807\n"),
    ("negative.toml", b"customers = -5\n"),
    ("bad_network.toml", b"network = \"missing.graphml\"\n"),
    ("passwd_network.toml", b"network = \"/etc/passwd\"\n"),
    ("late_intervention.toml", b"steps = 10\ninterventions = [\"20:recognition=0.5\"]\n"),
    ("bad_intervention.toml", b"interventions = \"20:recognition=0.5\"\n"),
    ("weeks_text.toml", b"training_weeks = \"4,12\"\n"),
    ("huge_value.toml", f"rule = \"{HUGE}\"\n".encode()),
    ("empty_name.toml", b"seeding = \"\"\n"),
    ("nul_network.toml", b"network = \"net\\u0000work.graphml\"\n"),
    ("nul_people.toml", b"people = \"peo\\u0000ple.csv\"\n"),
]

# network files: (name, text); each used through --set network=, a scenario and a sweep spec
NETWORK_FILES = [
    ("broken.graphml", f"<graphml><not closed {SECRET}"),
    ("undeclared.graphml", '<?xml version="1.0"?><graphml xmlns="http://graphml.graphdrawing.org/xmlns">'
     '<graph edgedefault="undirected"><node id="a"/><node id="b"/><edge source="a" target="b"/>'
     f'<edge source="a" target="{SECRET}"/></graph></graphml>'),
    ("one_node.graphml", '<?xml version="1.0"?><graphml xmlns="http://graphml.graphdrawing.org/xmlns">'
     '<graph edgedefault="undirected"><node id="a"/></graph></graphml>'),
    ("roles.graphml", '<?xml version="1.0"?><graphml xmlns="http://graphml.graphdrawing.org/xmlns">'
     '<key id="r" for="node" attr.name="role" attr.type="string"/><graph edgedefault="undirected">'
     '<node id="a"><data key="r">pilot</data></node><node id="b"><data key="r">leader</data></node>'
     '<edge source="a" target="b"/></graph></graphml>'),
    ("broken.gml", f"graph [ node [ id 1 label {SECRET} ] edge [ source 1 target 9 ] ]"),
    ("pajek.net", f"*Vertices 2000000000\n1 \"{SECRET}\"\n"),
    ("one_id.edgelist", f"1 2\n{SECRET}\n"),
    ("passwd", f"root:x:0:0:{SECRET}:/root:/bin/bash\n"),
    ("words.txt", f"a b c {SECRET}\n"),
    ("empty.edgelist", ""),
    ("comment_only.edgelist", "# nothing but a comment\n"),
]

# people and ties files (HR exports): (name, text); used through --set people= / ties= and a scenario
GOOD_PEOPLE = "id,manager_id\nceo,\na,ceo\nb,ceo\nc,a\n"
PEOPLE_FILES = [
    ("people_binary.csv", None),
    ("people_empty.csv", ""),
    ("people_header_only.csv", "id,manager_id\n"),
    ("people_no_id.csv", f"name,boss\n{SECRET},x\n"),
    ("people_one.csv", "id\nceo\n"),
    ("people_duplicate.csv", "id\na\na\nb\n"),
    ("people_empty_id.csv", "id\na\n\"\"\nb\n"),
    ("people_unknown_manager.csv", "id,manager_id\nceo,\na,ghost\n"),
    ("people_own_manager.csv", "id,manager_id\nceo,\na,a\n"),
    ("people_cycle.csv", "id,manager_id\na,b\nb,a\nc,a\n"),
    ("people_bad_role.csv", "id,role\na,pilot\nb,leader\n"),
    ("people_bad_threshold.csv", "id,threshold\na,abc\nb,0.3\n"),
    ("people_threshold_range.csv", "id,threshold\na,50\nb,0.3\n"),
    ("people_bad_flag.csv", "id,believes\na,perhaps\nb,yes\n"),
    ("people.txt", GOOD_PEOPLE),
    ("people_not_parquet.parquet", f"{SECRET}\n"),
    ("people_not_xlsx.xlsx", f"{SECRET}\n"),
]
TIES_FILES = [
    ("ties_binary.csv", None),
    ("ties_no_target.csv", "source\nceo\n"),
    ("ties_unknown_id.csv", f"source,target\nceo,ghost\n"),
    ("ties_bad_weight.csv", "source,target,weight\nceo,a,heavy\n"),
    ("ties_negative_weight.csv", "source,target,weight\nceo,a,-2\n"),
    ("ties_empty.csv", ""),
]

SPEC_TEXTS = [
    ("spec_binary.toml", None),
    ("spec_invalid.toml", f"[sweep\n{SECRET}"),
    ("spec_unknown_table.toml", "[sweeps]\nreplicates = 2\n"),
    ("spec_unknown_key.toml", "[sweep]\nreplicats = 2\n"),
    ("spec_replicates_zero.toml", "[sweep]\nreplicates = 0\n"),
    ("spec_replicates_huge.toml", "[sweep]\nreplicates = 10000000000\n"),
    ("spec_replicates_text.toml", "[sweep]\nreplicates = \"two\"\n"),
    ("spec_seed_negative.toml", "[sweep]\nseed = -1\n"),
    ("spec_scenario_missing.toml", "[sweep]\nscenario = \"nope\"\n"),
    ("spec_scenario_number.toml", "[sweep]\nscenario = 3\n"),
    ("spec_scenario_binary.toml", "[sweep]\nscenario = \"binary.toml\"\n"),
    ("spec_scenario_nul.toml", "[sweep]\nscenario = \"sce\\u0000nario.toml\"\n"),
    ("spec_base_nul_network.toml", "[base]\nnetwork = \"a\\u0000b.gml\"\n"),
    ("spec_series_unknown.toml", "[sweep]\nseries = [\"belivers\"]\n"),
    ("spec_series_text.toml", "[sweep]\nseries = \"believers\"\n"),
    ("spec_outputs_unknown.toml", "[sweep]\noutputs = [\"weeks_to_60\"]\n"),
    ("spec_base_unknown.toml", "[base]\nemployes = 50\n"),
    ("spec_base_bad.toml", "[base]\nemployees = -3\n"),
    ("spec_base_not_table.toml", "base = 3\n"),
    ("spec_vary_unknown.toml", "[vary]\ncustomer_feedbak = [1.0]\n"),
    ("spec_vary_empty.toml", "[vary]\nthreshold = []\n"),
    ("spec_vary_bad_value.toml", "[vary]\ninitial_believers = [0.1, 2.0]\n"),
    ("spec_vary_seed.toml", "[vary]\nseed = [1, 2]\n"),
    ("spec_vary_choice.toml", "[vary]\nseeding = [\"leaders\", \"bosses\"]\n"),
    ("spec_range_inf.toml", "[vary]\nthreshold = {from = 0, to = inf, step = 1}\n"),
    ("spec_range_nan.toml", "[vary]\nthreshold = {from = nan, to = 1, num = 3}\n"),
    ("spec_range_reversed.toml", "[vary]\nthreshold = {from = 2, to = 1, num = 3}\n"),
    ("spec_range_both.toml", "[vary]\nthreshold = {from = 0, to = 1, num = 3, step = 0.5}\n"),
    ("spec_range_neither.toml", "[vary]\nthreshold = {from = 0, to = 1}\n"),
    ("spec_range_step_zero.toml", "[vary]\nthreshold = {from = 0, to = 1, step = 0}\n"),
    ("spec_range_tiny_step.toml", "[vary]\nthreshold = {from = 0, to = 10, step = 1e-9}\n"),
    ("spec_range_num_huge.toml", "[vary]\nthreshold = {from = 0, to = 1, num = 1000000000}\n"),
    ("spec_range_log_zero.toml", "[vary]\nthreshold = {from = 0, to = 1, num = 3, log = true}\n"),
    ("spec_range_unknown_key.toml", "[vary]\nthreshold = {from = 0, to = 1, num = 3, stride = 1}\n"),
    ("spec_grid_billion.toml", "[vary]\nthreshold = {from = 0, to = 1, num = 1000}\n"
                               "empowerment = {from = 0, to = 1, num = 1000}\nrecognition = {from = 0, to = 1, num = 1000}\n"),
    ("spec_vary_and_sample.toml", "[vary]\nthreshold = [0.3]\n[sample]\nmethod = \"latin\"\nn = 4\n"
                                  "[sample.bounds]\nthreshold = [0.2, 0.6]\n"),
    ("spec_sample_method.toml", "[sample]\nmethod = \"halton\"\nn = 8\n[sample.bounds]\nthreshold = [0.2, 0.6]\n"),
    ("spec_sample_n_text.toml", "[sample]\nmethod = \"latin\"\nn = \"8\"\n[sample.bounds]\nthreshold = [0.2, 0.6]\n"),
    ("spec_sample_not_pow2.toml", "[sample]\nmethod = \"sobol\"\nn = 100\n[sample.bounds]\nthreshold = [0.2, 0.6]\n"),
    ("spec_sample_sobol_huge.toml", "[sample]\nmethod = \"sobol\"\nn = 134217728\n[sample.bounds]\n"
                                    "threshold = [0.2, 0.6]\nempowerment = [0.3, 1.0]\n"),
    ("spec_sample_latin_huge.toml", "[sample]\nmethod = \"latin\"\nn = 1000000000\n[sample.bounds]\n"
                                    "threshold = [0.2, 0.6]\n"),
    ("spec_sample_morris_huge.toml", "[sample]\nmethod = \"morris\"\nn = 500000000\n[sample.bounds]\n"
                                     "threshold = [0.2, 0.6]\n"),
    ("spec_sample_no_bounds.toml", "[sample]\nmethod = \"latin\"\nn = 8\n"),
    ("spec_sample_bounds_reversed.toml", "[sample]\nmethod = \"latin\"\nn = 8\n[sample.bounds]\nthreshold = [0.6, 0.2]\n"),
    ("spec_sample_bounds_outside.toml", "[sample]\nmethod = \"latin\"\nn = 8\n[sample.bounds]\nempowerment = [0.5, 1.5]\n"),
    ("spec_sample_bounds_choice.toml", "[sample]\nmethod = \"latin\"\nn = 8\n[sample.bounds]\nseeding = [0, 1]\n"),
    ("spec_sample_bounds_text.toml", "[sample]\nmethod = \"latin\"\nn = 8\n[sample.bounds]\nthreshold = [\"a\", \"b\"]\n"),
    ("spec_sample_levels.toml", "[sample]\nmethod = \"morris\"\nn = 8\nlevels = 1\n[sample.bounds]\nthreshold = [0.2, 0.6]\n"),
    ("spec_sample_unknown_key.toml", "[sample]\nmethod = \"latin\"\nn = 8\nsize = 3\n[sample.bounds]\nthreshold = [0.2, 0.6]\n"),
    ("spec_huge_value.toml", f"[vary]\nrule = [\"{HUGE}\"]\n"),
]

RESULTS_DAMAGE = ["torn_part", "empty_part", "flipped_part", "no_run_part", "text_run_part", "foreign_runs_part",
                  "torn_results", "sweep_json_text", "sweep_json_list", "sweep_json_missing_keys", "no_sweep_json"]


@pytest.fixture(scope="module")
def place(tmp_path_factory):
    """A folder with every bad file of the tables above, a good sweep and its damaged copies."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from experiments.spec import Spec
    from experiments.store import Store
    from experiments.sweep import run_sweep

    tmp = tmp_path_factory.mktemp("bad_inputs")
    (tmp / "a_file").write_text(SECRET)
    (tmp / "full_folder").mkdir()
    (tmp / "full_folder" / "notes.txt").write_text(SECRET)
    for name, data in SCENARIO_FILES:
        (tmp / name).write_bytes(data)
    for name, text in NETWORK_FILES:
        (tmp / name).write_text(text)
    from adoption.cost import available_memory

    with open(tmp / "huge_sparse.edgelist", "wb") as sparse:  # its size, without the disk space
        sparse.truncate(int(available_memory() / 20))  # reading it would take ~3× the memory there is
    (tmp / "spec_huge_network.toml").write_text(f"[base]\nnetwork = \"{tmp / 'huge_sparse.edgelist'}\"\n")
    (tmp / "people_good.csv").write_text(GOOD_PEOPLE)
    for name, text in PEOPLE_FILES + TIES_FILES:
        (tmp / name).write_bytes(b"\xff\xfe\x00\x80" + SECRET.encode() if text is None else text.encode())
    for name, text in SPEC_TEXTS:
        (tmp / name).write_bytes(b"\xff\xfe\x00" + SECRET.encode() if text is None else text.encode())
    tiny = "[sweep]\nreplicates = 2\n[base]\nemployees = 40\ncustomers = 100\nsteps = 6\n" \
           "[vary]\ninitial_believers = [0.05, 0.2]\n"
    (tmp / "tiny.toml").write_text(tiny)
    spec = Spec.from_dict({"sweep": {"replicates": 2}, "base": {"employees": 40, "customers": 100, "steps": 6},
                           "vary": {"initial_believers": [0.05, 0.2]}})
    run_sweep(spec, tmp / "results_ok", workers=1, progress=False, spec_text=tiny)
    for damage in RESULTS_DAMAGE:
        folder = tmp / f"results_{damage}"
        if damage.endswith("_part"):  # a sweep killed before compaction: one part per run
            store = Store.create(folder, spec)
            for row in Store(tmp / "results_ok").table().to_pylist():
                store.append([row])
            part = sorted((folder / "parts").glob("part-*.parquet"))[1]
            data = part.read_bytes()
            if damage == "torn_part":
                part.write_bytes(data[: len(data) // 2])
            elif damage == "empty_part":
                part.write_bytes(b"")
            elif damage == "flipped_part":
                part.write_bytes(data[: len(data) // 3] + bytes([data[len(data) // 3] ^ 0xFF]) + data[len(data) // 3 + 1:])
            elif damage == "no_run_part":
                pq.write_table(pq.read_table(part).drop_columns(["run"]), part)
            elif damage == "text_run_part":
                table = pq.read_table(part)
                pq.write_table(table.set_column(0, "run", pa.array(["one"] * table.num_rows)), part)
            else:
                table = pq.read_table(part)
                pq.write_table(table.set_column(0, "run", pa.array([10 ** 9] * table.num_rows)), part)
            continue
        shutil.copytree(tmp / "results_ok", folder)
        if damage == "torn_results":
            data = (folder / "results.parquet").read_bytes()
            (folder / "results.parquet").write_bytes(data[: len(data) // 2])
        elif damage == "sweep_json_text":
            (folder / "sweep.json").write_text(f"{{{SECRET}")
        elif damage == "sweep_json_list":
            (folder / "sweep.json").write_text(f"[\"{SECRET}\"]")
        elif damage == "sweep_json_missing_keys":
            (folder / "sweep.json").write_text(f"{{\"name\": \"{SECRET}\", \"runs\": \"many\"}}")
        else:
            (folder / "sweep.json").unlink()
    return tmp


@pytest.fixture(scope="module")
def taken_port():
    """A port something already listens on."""
    import socket

    with socket.socket() as listening:
        listening.bind(("127.0.0.1", 0))
        listening.listen()
        yield listening.getsockname()[1]


def file_cases():
    cases = [(f"scenario-{name}", ["run", "{tmp}/" + name]) for name, _ in SCENARIO_FILES]
    cases += [(f"sweep-scenario-{name}", ["sweep", "{tmp}/spec_scenario_binary.toml", "--out", "{tmp}/never"])
              for name, _ in SCENARIO_FILES[:1]]
    for name, _ in NETWORK_FILES:
        cases.append((f"network-set-{name}", ["run", "--set", "network={tmp}/" + name]))
        cases.append((f"network-compare-{name}", ["compare", "--strategies", "baseline,network={tmp}/" + name,
                                                  "--replicates", "2"]))
    for name, _ in PEOPLE_FILES:
        cases.append((f"people-set-{name}", ["run", "--set", "people={tmp}/" + name]))
    cases.append(("people-compare-binary", ["compare", "--strategies", "baseline,people={tmp}/people_binary.csv",
                                            "--replicates", "2"]))
    for name, _ in TIES_FILES:
        cases.append((f"ties-set-{name}", ["run", "--set", "people={tmp}/people_good.csv", "--set",
                                           "ties={tmp}/" + name]))
    cases.append(("ties-without-people", ["run", "--set", "ties={tmp}/ties_unknown_id.csv"]))
    cases.append(("ties-other-network", ["run", "--set", "people={tmp}/people_good.csv", "--set",
                                         "network=small_world", "--set", "ties={tmp}/ties_bad_weight.csv"]))
    cases += [(f"spec-{name}", ["sweep", "{tmp}/" + name, "--out", "{tmp}/never"]) for name, _ in SPEC_TEXTS]
    cases += [(f"results-{damage}", ["results", "{tmp}/results_" + damage]) for damage in RESULTS_DAMAGE]
    cases += [(f"analyse-{damage}", ["analyse", "{tmp}/results_" + damage, "--phase", "initial_believers", "seed"])
              for damage in RESULTS_DAMAGE]
    return cases


CASES = set_cases() + OPTION_CASES + file_cases()


def test_the_table_holds_over_two_hundred_bad_inputs():
    assert len(CASES) >= 200 and len({name for name, _ in CASES}) == len(CASES)


@pytest.mark.parametrize("argv", [argv for _, argv in CASES], ids=[name for name, _ in CASES])
def test_bad_input_is_one_clear_line_and_exit_2(argv, place, taken_port, capsys):
    argv = [arg.replace("{tmp}", str(place)).replace("{port}", str(taken_port)) for arg in argv]
    code = main(argv)
    out, err = capsys.readouterr()
    assert code == 2, f"exit {code} for {[arg[:60] for arg in argv]}: {err[-400:]!r} {out[-200:]!r}"
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("adoption: "), err[-600:]
    assert "Traceback" not in err and SECRET not in err, err
    assert len(lines[0]) <= 320, lines[0]
    assert not re.search(r"([^ ])\1{80}", err), "a value echoed beyond 80 characters"
    assert not (place / "never").exists(), "a folder was made before the input was checked"


# --- random text for every parameter: validation never raises anything but ParamError ---------------
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.sampled_from(sorted(SPECS)), raw=st.text(max_size=40))
def test_random_text_for_any_parameter_is_accepted_or_one_clear_error(name, raw):
    try:
        _, value = parse_assignment(f"{name}={raw}")
        Params.from_dict({name: value, "employees": 50, "customers": 100})
    except ParamError as error:
        line = one_line(str(error))  # as the command line prints it
        assert name in line and len(line) <= 320, line
