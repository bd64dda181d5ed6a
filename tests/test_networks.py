import networkx as nx
import numpy as np
import pytest

from adoption import Model, ParamError, Params
from adoption.networks import build, from_edges, read
from agents.roles import FRONT_LINE, LEADER, MANAGER


def rng():
    return np.random.default_rng(0)


@pytest.mark.parametrize("network", ["org_chart", "small_world", "erdos_renyi", "scale_free"])
@pytest.mark.parametrize("employees", [50, 1000])
def test_builders_have_the_requested_size_and_mean_degree(network, employees):
    net = build(Params(network=network, employees=employees, mean_degree=8), rng())
    assert net.n == employees
    assert abs(net.degree.mean() - 8) < 1.5, net.degree.mean()
    # symmetric, no self-loops, no repeated ties
    src = np.repeat(np.arange(net.n), net.degree)
    pairs = set(zip(src.tolist(), net.indices.tolist()))
    assert all((b, a) in pairs for a, b in pairs)
    assert not any(a == b for a, b in pairs)
    assert len(pairs) == len(net.indices)


@pytest.mark.parametrize("mean_degree", [4, 8, 20])
def test_org_chart_has_as_many_ties_as_asked(mean_degree):
    """Hierarchy, team and cross-unit ties add up to employees × mean_degree / 2: team ties that repeat a
    reporting line are not counted twice (cross-unit ties make up the rest; a few land on existing ties)."""
    net = build(Params(network="org_chart", employees=5000, mean_degree=mean_degree), rng())
    assert abs(net.degree.mean() - mean_degree) < 0.02 * mean_degree, net.degree.mean()


def test_org_chart_is_dense_within_units_and_sparse_across():
    model = Model(employees=600, customers=0, seed=3)
    net, unit = model.network, model.organisation.unit
    src = np.repeat(np.arange(net.n), net.degree)
    within = (unit[src] == unit[net.indices]).mean()
    assert within > 0.6, within
    role = model.organisation.role
    assert (role == LEADER).sum() == 12 and (role == MANAGER).sum() == unit.max()
    assert abs((role == FRONT_LINE).mean() - 0.6) < 0.05


def test_karate_is_zacharys_club():
    net = build(Params(network="karate"), rng())
    assert (net.n, net.edges) == (34, 78)
    model = Model(network="karate", customers=100, seed=1)
    assert model.params.employees == 34
    assert set(np.flatnonzero(model.organisation.role == LEADER)) == {0, 33}


def test_complete_network_shares_are_exact():
    net = build(Params(network="complete", employees=10), rng())
    flags = np.zeros(10, dtype=bool)
    flags[:3] = True
    share = net.neighbour_share(flags)
    assert share[0] == pytest.approx(2 / 9) and share[5] == pytest.approx(3 / 9)


@pytest.mark.parametrize("n, ties", [(2, 3), (30, 200), (500, 6000)])
def test_from_edges_is_the_graph_of_its_ties(n, ties):
    """Symmetrised, each row sorted, self-loops dropped and repeated ties (both ways) kept once: the
    colleagues networkx finds in the same ties."""
    rng = np.random.default_rng(n)
    src, dst = rng.integers(0, n, ties), rng.integers(0, n, ties)
    graph = nx.Graph()
    graph.add_nodes_from(range(n))
    graph.add_edges_from((a, b) for a, b in zip(src.tolist(), dst.tolist()) if a != b)
    net = from_edges(n, src, dst)
    assert net.indptr.tolist() == np.concatenate([[0], np.cumsum([graph.degree(i) for i in range(n)])]).tolist()
    assert net.indices.tolist() == [j for i in range(n) for j in sorted(graph.neighbors(i))]
    assert (src == dst).any() and net.edges < ties  # the case has self-loops and repeats


def test_org_chart_team_ties_drawn_a_block_at_a_time_are_those_drawn_at_once(monkeypatch):
    """Team ties are drawn a block of units at a time to stay in the cache: any block size gives the
    same organisation (the same random numbers in the same order)."""
    from adoption import networks

    params = Params(employees=600, network="org_chart", seed=5)
    monkeypatch.setattr(networks, "TEAM_DRAWS", 10**9)
    at_once = build(params, np.random.default_rng(1))
    monkeypatch.setattr(networks, "TEAM_DRAWS", 100)  # about two units of 12 a block
    in_blocks = build(params, np.random.default_rng(1))
    assert at_once.edges > 2000
    assert at_once.indptr.tolist() == in_blocks.indptr.tolist()
    assert at_once.indices.tolist() == in_blocks.indices.tolist()


def test_neighbour_share_handles_isolated_nodes():
    net = from_edges(4, np.array([0]), np.array([1]))
    share = net.neighbour_share(np.array([True, False, True, True]))
    assert share.tolist() == [0.0, 1.0, 0.0, 0.0]


def test_weighted_believing_colleagues_are_kept_up_to_date_week_by_week():
    """Flag changes (a few, then many, then back) update the weighted counts as a fresh sum over every tie."""
    rng = np.random.default_rng(3)
    src, dst = rng.integers(0, 200, 1500), rng.integers(0, 200, 1500)
    net = from_edges(200, src, dst, weights=rng.choice([0.25, 1.0, 2.5], 1500))
    flags = rng.random(200) < 0.1
    for week in range(10):
        flags = flags ^ (rng.random(200) < (0.4 if week % 4 == 3 else 0.02))
        expected = [sum(w for j, w in zip(net.indices[net.indptr[i]:net.indptr[i + 1]],
                                          net.weights[net.indptr[i]:net.indptr[i + 1]]) if flags[j])
                    for i in range(200)]
        assert net.neighbour_sum(flags) == pytest.approx(expected, abs=1e-12), week
        assert net.neighbour_share(flags) == pytest.approx(np.divide(expected, net.strength), abs=1e-12), week


@pytest.mark.parametrize("suffix, writer", [(".graphml", nx.write_graphml), (".gml", nx.write_gml),
                                            (".edgelist", lambda g, p: nx.write_edgelist(g, p, data=False))])
def test_a_real_organisation_file_loads(tmp_path, suffix, writer):
    graph = nx.les_miserables_graph() if suffix != ".gml" else nx.convert_node_labels_to_integers(
        nx.les_miserables_graph())
    path = tmp_path / f"org{suffix}"
    writer(graph, str(path))
    net = read(str(path))
    assert (net.n, net.edges) == (graph.number_of_nodes(), graph.number_of_edges())
    results = Model(network=str(path), customers=200, steps=3, seed=0).run()
    assert results.params["employees"] == graph.number_of_nodes()


def test_file_roles_and_units_are_used(tmp_path):
    graph = nx.path_graph(6)
    for node, role in zip(graph.nodes, ["leader", "manager", "front_line", "front_line", "manager", "back_office"]):
        graph.nodes[node]["role"] = role
        graph.nodes[node]["unit"] = "sales" if node < 4 else "it"
    path = tmp_path / "org.graphml"
    nx.write_graphml(graph, path)
    model = Model(network=str(path), customers=10, seed=0)
    assert model.organisation.role.tolist() == [0, 1, 2, 2, 1, 3]
    assert len(set(model.organisation.unit.tolist())) == 2


def test_a_bad_file_is_a_clear_error(tmp_path):
    path = tmp_path / "broken.graphml"
    path.write_text("<graphml><not closed")
    with pytest.raises(ParamError, match="network: cannot read .*broken.graphml as GRAPHML"):
        Model(network=str(path))
    bad_role = tmp_path / "roles.graphml"
    graph = nx.path_graph(3)
    nx.set_node_attributes(graph, "pilot", "role")
    nx.write_graphml(graph, bad_role)
    with pytest.raises(ParamError, match=r"row 2 \(id 0\): role='pilot' is unknown"):
        Model(network=str(bad_role))


def test_complete_refuses_huge_organisations():
    with pytest.raises(ParamError, match="network=complete: at most"):
        Model(network="complete", employees=50_000)


@pytest.mark.parametrize("name, text, message", [
    ("undeclared.graphml", '<?xml version="1.0"?><graphml xmlns="http://graphml.graphdrawing.org/xmlns">'
     '<graph edgedefault="undirected"><node id="a"/><node id="b"/><edge source="a" target="b"/>'
     '<edge source="a" target="ghost"/></graph></graphml>', "to an id no <node> declares"),
    ("pajek.edgelist", "*Vertices 2000000000\n1 2\n", r"line 1 is a header \(\*Vertices\)"),
    ("lonely.edgelist", "1 2\n3\n", "line 2 has one id"),
    ("passwd", "root:x:0:0:root:/root:/bin/bash\n", "line 1 has one id"),
    ("words", "root x 0 0 secret:words\n", r"not readable \(\w+\)"),
])
def test_files_networkx_would_misread_are_refused_without_quoting_them(tmp_path, name, text, message):
    """GraphML edges to undeclared ids added employees silently; a Pajek header became two employees;
    a file that is not a network had a line of it quoted in the error."""
    path = tmp_path / name
    path.write_text(text)
    with pytest.raises(ParamError, match=message) as error:
        Model(network=str(path))
    assert "secret" not in str(error.value) and "root:x" not in str(error.value)
