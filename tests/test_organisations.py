"""People and ties files: a real organisation as input (adoption.organisations)."""

import subprocess
import sys
import warnings

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from adoption import Model, Params
from adoption.organisations import read_people, read_ties
from adoption.params import ParamError

ROLE = {"leader": 0, "manager": 1, "front_line": 2, "back_office": 3}  # written from the docs, not imported


def write(path, text):
    path.write_text(text)
    return str(path)


def riot(tmp_path, thresholds):
    """Granovetter's (1978) riot: 100 people, everyone sees everyone, thresholds as shares."""
    people = pd.DataFrame({"id": [f"p{i}" for i in range(100)], "threshold": thresholds})
    path = tmp_path / "riot.csv"
    people.to_csv(path, index=False)
    return Model(people=str(path), network="complete", rule="threshold", initial_believers=0.0, customers=0,
                 leader_influence=0.0, steps=101, seed=3)


def test_granovetter_riot_from_a_people_file(tmp_path):
    """Thresholds 0, 1, ..., 99 (percent): the instigator sets off one more person each week, until all riot."""
    model = riot(tmp_path, [i / 100 for i in range(100)])
    believers = model.run().series["believers"]
    assert believers[-1] == 1.0
    assert believers[1] == 0.01 and believers[2] == 0.02  # one more each week: a chain, not a jump


def test_granovetter_riot_stops_when_the_second_threshold_moves(tmp_path):
    """Change the person with threshold 1 to 2: only the instigator riots (Granovetter's example)."""
    thresholds = [i / 100 for i in range(100)]
    thresholds[1] = 0.02
    assert riot(tmp_path, thresholds).run().series["believers"][-1] == 0.01


def test_roles_and_units_are_inferred_from_the_reporting_lines(tmp_path):
    path = write(tmp_path / "people.csv", "id,manager_id,customer_facing\nboss,,false\nm1,boss,true\n"
                 "a,m1,true\nb,m1,false\nm2,boss,false\nc,m2,true\n")
    people = read_people(path)
    assert people.role.tolist() == [ROLE[r] for r in
                                    ["leader", "manager", "front_line", "back_office", "manager", "front_line"]]
    units = people.unit
    assert units[1] == units[2] == units[3] and units[4] == units[5] and len(set(units.tolist())) == 3
    assert people.customer_facing.tolist() == [False, True, True, False, False, True]


def test_without_a_hierarchy_everyone_is_front_line_in_one_unit(tmp_path):
    people = read_people(write(tmp_path / "p.csv", "id\na\nb\nc\n"))
    assert people.role.tolist() == [ROLE["front_line"]] * 3 and people.unit.tolist() == [0, 0, 0]


def test_the_network_is_reporting_lines_units_and_ties_each_weighted(tmp_path):
    people = write(tmp_path / "p.csv", "id,manager_id,unit\nboss,,top\na,boss,x\nb,boss,x\nc,boss,y\n")
    ties = write(tmp_path / "t.csv", "source,target,weight\na,c,2\nb,c,6\n")
    model = Model(people=people, ties=ties, weight_reporting=1.0, weight_unit=3.0, weight_ties=0.5, customers=0)
    adjacency = model.network.adjacency.toarray()
    # boss-a: reporting 1; a-b: same unit 3; a-c: file weight 2/mean 4 * 0.5 = 0.25; b-c: 6/4 * 0.5 = 0.75
    assert adjacency[0, 1] == 1.0 and adjacency[0, 3] == 1.0 and adjacency[0, 2] == 1.0
    assert adjacency[1, 2] == 3.0 and adjacency[1, 3] == 0.25 and adjacency[2, 3] == 0.75
    assert (adjacency == adjacency.T).all()


def test_peer_pressure_is_the_weighted_share_of_believing_colleagues(tmp_path):
    people = write(tmp_path / "p.csv", "id,unit\na,1\nb,2\nc,3\n")
    ties = write(tmp_path / "t.csv", "source,target,weight\na,b,3\na,c,1\n")
    model = Model(people=people, ties=ties, customers=0)
    share = model.network.neighbour_share(np.array([False, True, False]))
    assert share[0] == pytest.approx(3 / 4 / 1)  # weights 3/2 and 1/2 after scaling: b holds 3/4 of a's ties
    assert share[2] == 0.0 and share[1] == 0.0


def test_a_pair_tied_in_two_relations_is_stronger_and_repeats_are_dropped_with_a_count(tmp_path):
    people = write(tmp_path / "p.csv", "id\na\nb\nc\n")
    ties = write(tmp_path / "t.csv", "source,target,relation\na,b,advice\nb,a,advice\na,b,friendship\n"
                 "c,c,chat\nb,c,chat\n")
    with pytest.warns(UserWarning, match="dropped 1 self-ties and 1 repeated ties"):
        model = Model(people=people, ties=ties, weight_unit=0.0, customers=0)
    adjacency = model.network.adjacency.toarray()
    assert adjacency[0, 1] == 2 * adjacency[1, 2] > 0


def test_seeding_file_starts_exactly_the_marked_believers(tmp_path):
    people = write(tmp_path / "p.csv", "id,believes,committed\na,true,false\nb,no,yes\nc,0,0\nd,1,0\n")
    model = Model(people=people, seeding="file", customers=0)
    assert model.state.believes.tolist() == [True, True, False, True]
    assert model.state.committed.tolist() == [False, True, False, False]


def test_seeding_file_without_a_believes_column_is_a_clear_error():
    with pytest.raises(ParamError, match="seeding=file: the organisation has no `believes` column"):
        Model(seeding="file")


@pytest.mark.parametrize("network", ["org_chart", "small_world", "scale_free"])
def test_seeding_cluster_is_one_connected_pilot_group(network):
    model = Model(employees=400, customers=0, network=network, seeding="cluster", initial_believers=0.1, seed=2)
    pilots = np.flatnonzero(model.state.believes)
    assert len(pilots) == 40
    graph = model.network.to_networkx().subgraph(pilots.tolist())
    assert nx.is_connected(graph)


def test_seeding_cluster_on_the_example_organisation_is_connected_and_not_random():
    model = Model(people="example_org", seeding="cluster", initial_believers=0.05, seed=4)
    pilots = np.flatnonzero(model.state.believes)
    assert nx.is_connected(model.network.to_networkx().subgraph(pilots.tolist()))
    # a random 5% of 1,249 people is almost never connected: the pilots share few units
    assert len(np.unique(model.organisation.unit[pilots])) <= len(pilots) / 3


def test_own_thresholds_override_the_drawn_ones_only_where_given(tmp_path):
    people = write(tmp_path / "p.csv", "id,threshold\na,0.25\nb,\nc,7\n")
    model = Model(people=people, threshold=0.4, threshold_sd=0.0, customers=0)
    assert model.state.threshold.tolist() == [0.25, 0.4, 7.0]


def test_extra_columns_are_kept_and_the_real_adoption_month_comes_with_the_physicians():
    model = Model(people="medical_innovation", steps=1)
    assert len(model.people) == model.network.n == 125
    months = pd.to_numeric(model.people["adoption_month"], errors="coerce")
    assert months.notna().sum() == 109 and months.min() == 1 and months.max() == 17
    assert model.organisation.units == 4  # the four cities
    assert model.people["id"].iloc[0] == model.network.attributes["ids"][0]


def test_the_example_organisation_is_a_realistic_hr_export():
    model = Model(people="example_org", steps=1)
    people, role = model.people, model.organisation.role
    assert 1_100 <= len(people) <= 1_300
    assert abs((role == ROLE["front_line"]).mean() - 0.6) <= 0.03
    reports = people["manager_id"].value_counts()
    spans = reports[reports.index.isin(people.loc[people["job_title"] == "team lead", "id"])]
    assert spans.min() >= 5 and spans.max() <= 12
    assert 300 <= model.network.attributes["ids"].size and {"job_title", "location"} <= set(people.columns)
    assert (people["believes"] == "true").mean() == pytest.approx(0.05, abs=0.005)


@pytest.mark.parametrize("suffix", [".parquet", ".xlsx"])
def test_parquet_and_xlsx_read_like_csv(tmp_path, suffix):
    frame = pd.DataFrame({"id": ["a", "b", "c"], "manager_id": ["", "a", "a"], "threshold": [0.1, 0.2, None],
                          "customer_facing": [False, True, True], "note": ["x", "y", "z"]})
    csv = tmp_path / "p.csv"
    frame.to_csv(csv, index=False)
    other = tmp_path / f"p{suffix}"
    frame.to_parquet(other) if suffix == ".parquet" else frame.to_excel(other, index=False)
    a, b = read_people(csv), read_people(other)
    for name in ("role", "unit", "manager", "customer_facing"):
        assert getattr(a, name).tolist() == getattr(b, name).tolist()
    assert np.array_equal(a.threshold, b.threshold, equal_nan=True) and "note" in b.table.columns


def test_graphml_node_attributes_are_read_like_people_columns(tmp_path):
    graph = nx.path_graph(4)
    nx.set_node_attributes(graph, {0: 0.0, 1: 0.3, 2: 0.3, 3: 9.0}, "threshold")
    nx.set_node_attributes(graph, {0: True, 1: False, 2: False, 3: False}, "believes")
    path = tmp_path / "g.graphml"
    nx.write_graphml(graph, path)
    model = Model(network=str(path), seeding="file", customers=0)
    assert model.state.threshold.tolist() == [0.0, 0.3, 0.3, 9.0]
    assert model.state.believes.tolist() == [True, False, False, False]


def test_a_dataframe_or_a_graph_can_be_passed_in_python():
    frame = pd.DataFrame({"id": ["a", "b", "c"], "believes": [True, False, False]})
    ties = pd.DataFrame({"source": ["a", "b"], "target": ["b", "c"]})
    model = Model(people=frame, ties=ties, seeding="file", customers=0, steps=2)
    assert model.network.n == 3 and model.state.believes.tolist() == [True, False, False]
    assert "in memory" in model.run().params["people"]
    graph = nx.star_graph(5)
    assert Model(network=graph, customers=0).network.n == 6


def test_a_scenario_file_names_its_people_file_relative_to_itself(tmp_path):
    from experiments.scenarios import load

    write(tmp_path / "people.csv", "id,manager_id\nboss,\na,boss\nb,boss\n")
    scenario = write(tmp_path / "ours.toml", '# our organisation\npeople = "people.csv"\nsteps = 3\n')
    params = Params.from_dict(load(scenario))
    assert Model(params).network.n == 3


BAD = [  # (people file text, ties file text or None, expected message)
    ("id,manager_id\na,\nb,a\na,b\n", None, r"row 4: duplicate id 'a' \(first on row 2\)"),
    ("id,manager_id\na,\nb,zed\n", None, r"row 3 \(id b\): manager_id 'zed' is not an id in the file"),
    ("id,manager_id\ntop,\na,c\nb,a\nc,b\n", None, r"reporting cycle: a → c → b → a|reporting cycle: .*→"),
    ("id\na\nb\n", "source,target\na,nobody\n", r"ties: .*row 2: target 'nobody' is not an id in the people file"),
    ("id,role\na,leader\nb,pilot\n", None, r"row 3 \(id b\): role='pilot' is unknown; allowed: leader, manager"),
    ("id,believes\na,true\nb,maybe\n", None, r"row 3 \(id b\): believes='maybe' is not true/false"),
    ("", None, r"people: .* is empty"),
    ("name,age\nann,3\nbob,4\n", None, r"no `id` column; found columns: name, age"),
    ("id,threshold\na,0.2\nb,11\n", None, r"row 3 \(id b\): threshold=11 is out of range; allowed: 0 to 10"),
    ("id,threshold\na,0.2\nb,high\n", None, r"row 3 \(id b\): threshold='high' is not a number"),
    ("id\n", None, r"has a header but no rows"),
    ("id,manager_id\na,a\nb,a\n", None, r"row 2 \(id a\) is their own manager"),
    ("id\na\nb\n", "from,to\na,b\n", r"ties: .*no `source` column"),
    ("id\na\nb\n", "source,target,weight\na,b,-1\n", r"row 2: weight=-1 must be a positive number"),
]


@pytest.mark.parametrize("people,ties,message", BAD)
def test_bad_organisation_files_are_one_clear_error(tmp_path, people, ties, message):
    values = {"people": write(tmp_path / "people.csv", people)}
    if ties is not None:
        values["ties"] = write(tmp_path / "ties.csv", ties)
    with pytest.raises(ParamError, match=message):
        Model(**values)


def test_a_file_that_is_not_a_table_is_a_clear_error(tmp_path):
    binary = tmp_path / "people.xlsx"
    binary.write_bytes(b"\x00\x01 this is no spreadsheet \xff" * 20)
    with pytest.raises(ParamError, match=r"people: .*people.xlsx is not a readable XLSX table"):
        Model(people=str(binary))
    utf16 = tmp_path / "people.csv"
    utf16.write_text("id\na\nb\n", encoding="utf-16")
    with pytest.raises(ParamError, match="people: .*people.csv is not a UTF-8 text table|no `id` column"):
        Model(people=str(utf16))


def test_the_cli_reports_bad_files_in_one_line_with_exit_code_2(tmp_path):
    people = write(tmp_path / "people.csv", "id,manager_id\na,b\nb,a\n")
    done = subprocess.run([sys.executable, "-m", "adoption.cli", "run", "--set", f"people={people}"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.strip().count("\n") == 0 and "reporting cycle" in done.stderr


def test_the_cli_runs_the_example_organisation_with_its_ties(tmp_path):
    done = subprocess.run([sys.executable, "-m", "adoption.cli", "run", "--set", "people=example_org",
                           "--steps", "10"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "1,249 employees" in done.stdout



@pytest.mark.parametrize("name", ["example_org", "medical_innovation"])
def test_a_people_file_written_back_reads_as_the_same_organisation(tmp_path, name):
    from adoption.organisations import BUILTIN

    first = read_people(BUILTIN[name][0], BUILTIN[name][2])
    path = tmp_path / "again.csv"
    first.to_frame().to_csv(path, index=False)
    again = read_people(path)
    for field in ("ids", "manager", "role", "customer_facing", "believes", "committed"):
        assert np.array_equal(getattr(first, field), getattr(again, field)), field
    assert np.array_equal(first.threshold, again.threshold, equal_nan=True)
    assert (first.unit_names[first.unit] == again.unit_names[again.unit]).all()
    extras = [c for c in first.table.columns if c not in ("id", "manager_id", "unit", "role", "customer_facing",
                                                          "believes", "committed", "threshold")]
    assert extras and first.table[extras].fillna("").astype(str).equals(again.table[extras].fillna("").astype(str))


def test_a_sweep_and_a_comparison_run_on_an_organisation_from_files(tmp_path):
    from experiments.compare import compare
    from experiments.spec import Spec
    from experiments.sweep import run_sweep

    spec = Spec.from_dict({"sweep": {"replicates": 2, "seed": 1},
                           "vary": {"people": ["example_org", "medical_innovation"], "steps": [5]}})
    run_sweep(spec, tmp_path / "sweep", workers=1, progress=False)
    table = pd.read_parquet(tmp_path / "sweep" / "results.parquet")
    assert sorted(table["people"].unique().tolist()) == ["example_org", "medical_innovation"] and len(table) == 4
    assert set(table["employees"]) == {1249, 125}
    comparison = compare(Params(people="example_org", steps=8, customers=1000), ["random", "cluster"], replicates=2)
    assert set(comparison.strategies) == {"random", "cluster"}


@pytest.mark.replicates
def test_a_connected_pilot_beats_a_scattered_start_on_the_example_airline():
    """The airline_pilot scenario's claim: a connected 5% reaches a majority sooner than a random 5%
    (measured 9.2 ± 1.8 weeks sooner, paired over 30 seeds)."""
    from replicates import assert_effect, milestone_weeks

    seeds = range(30)
    gains = milestone_weeks("0.5", seeds, people="example_org") - \
        milestone_weeks("0.5", seeds, people="example_org", seeding="cluster")
    assert_effect(gains, 2, "weeks to 50% saved by a connected pilot group on the example airline")


def test_tie_weights_shape_the_weighted_share_but_the_literature_rules_count_colleagues(tmp_path):
    people = write(tmp_path / "p.csv", "id,unit\na,1\nb,2\nc,3\n")
    ties = write(tmp_path / "t.csv", "source,target,weight\na,b,9\na,c,1\n")
    network = Model(people=people, ties=ties, customers=0).network
    flags = np.array([False, True, True])
    assert network.neighbour_count(flags).tolist() == [2, 0, 0]
    assert network.neighbour_count(np.array([False, True, False])).tolist() == [1, 0, 0]
    assert network.neighbour_share(np.array([False, True, False]))[0] == pytest.approx(0.9)


def test_each_unit_of_a_file_organisation_is_followed_by_name(tmp_path):
    people = write(tmp_path / "p.csv", "id,unit,believes,committed\na,sales,true,true\nb,sales,false,false\n"
                   "c,sales,true,true\nd,it,false,false\ne,it,false,false\n")
    model = Model(people=people, seeding="file", customers=0, steps=2, leader_influence=0.0, peer_influence=0.0)
    units = {unit["unit"]: unit for unit in model.run().units}
    assert units["sales"]["people"] == 3 and units["sales"]["final_believers"] == pytest.approx(2 / 3)
    assert units["sales"]["weeks_to_50"] == 0
    assert units["it"]["final_believers"] == 0.0 and units["it"]["weeks_to_50"] is None
    assert Model(employees=50, steps=1).run().units is None  # synthetic organisations have no unit names


def test_the_cli_names_the_lagging_units_of_a_file_organisation():
    done = subprocess.run([sys.executable, "-m", "adoption.cli", "run", "--set", "people=example_org", "--steps", "6"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and "lagging units" in done.stdout and "of 134 units" in done.stdout


def test_a_large_unit_is_no_clique_but_mean_degree_random_colleagues_each(tmp_path):
    rows = "\n".join(f"p{i},ops" for i in range(120))
    people = write(tmp_path / "p.csv", "id,unit\n" + rows + "\n")
    network = Model(people=people, mean_degree=6.0, customers=0).network
    assert 300 <= network.edges <= 360  # 120 × 6 / 2 drawn pairs, less self-pairs and repeats; a clique has 7,140
    small = write(tmp_path / "s.csv", "id,unit\n" + "\n".join(f"p{i},ops" for i in range(50)) + "\n")
    assert Model(people=small, mean_degree=6.0, customers=0).network.edges == 50 * 49 // 2


def test_a_cluster_that_uses_up_its_part_of_the_network_grows_on_from_another_person(tmp_path):
    """Teams of 5 with no ties between them: a pilot of 12 is two whole teams and two of a third."""
    rows = "\n".join(f"p{i},team{i // 5}" for i in range(40))
    people = write(tmp_path / "p.csv", "id,unit\n" + rows + "\n")
    model = Model(people=people, seeding="cluster", initial_believers=0.3, customers=0, seed=3)
    pilots = np.flatnonzero(model.state.believes)
    per_team = sorted(np.bincount(model.organisation.unit[pilots]).tolist(), reverse=True)
    assert len(pilots) == 12 and per_team[:3] == [5, 5, 2]
