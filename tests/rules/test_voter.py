"""The voter rule as in the literature: asynchronous updates reach consensus on every finite connected
network, and on the complete network the believers win with probability equal to their initial share."""

import math

import networkx as nx
import numpy as np
import pytest

from adoption import Model
from adoption.rules.voter import _copy_views, copy_views_reference

TEXTBOOK = dict(rule="voter", customers=0, leader_influence=0, committed=0.0, initial_believers=0.3, steps=2000)


def consensus(model: Model) -> bool:
    believes = model.state.believes
    return bool(believes.all() or not believes.any())


@pytest.mark.parametrize("graph", [nx.star_graph(20), nx.full_rary_tree(3, 40), nx.cycle_graph(20)],
                         ids=["star of 21", "ternary tree of 40", "even ring of 20"])
def test_voter_reaches_consensus_on_bipartite_networks(graph, tmp_path):
    """Copying all at once, the two sides of these bipartite networks swapped forever in 12 of 30 runs
    on the star and 10 of 30 on the tree. Asynchronous updates: consensus in every run."""
    path = tmp_path / "organisation.graphml"
    nx.write_graphml(nx.relabel_nodes(graph, str), path)
    weeks = [Model(network=str(path), seed=seed, **TEXTBOOK).run_until(consensus) for seed in range(30)]
    print("weeks to consensus:", weeks)
    assert None not in weeks, f"no consensus within 2,000 weeks in {weeks.count(None)} of 30 runs"


@pytest.mark.slow
def test_voter_exit_probability_equals_the_initial_share_on_the_complete_network():
    """Holley & Liggett (1975): the believing share is a martingale, so with 30% believers the value
    wins in 30% of runs. 600 runs of 20 employees: standard error 1.9 points; tolerance 3 of them."""
    runs, share = 600, 0.3
    wins = 0
    for seed in range(runs):
        model = Model(network="complete", employees=20, seed=seed, **TEXTBOOK)
        assert model.state.believes.sum() == 6
        assert model.run_until(consensus) is not None
        wins += bool(model.state.believes.all())
    measured, se = wins / runs, math.sqrt(share * (1 - share) / runs)
    print(f"believers won {measured:.3f} of {runs} runs (expected {share}, standard error {se:.3f})")
    assert abs(measured - share) <= 3 * se


@pytest.mark.parametrize("graph", ["path", "star", "complete"])
def test_compiled_voter_week_equals_the_plain_rule(graph):
    """Same uniforms, same week: outside voices for and against, a committed employee, an isolated one."""
    rng = np.random.default_rng(7)
    n = 9
    if graph == "complete":
        colleagues = [[j for j in range(n) if j != i] for i in range(n)]
        indptr, indices = np.zeros(n + 1, dtype=np.int64), np.zeros(0, dtype=np.int32)
    else:
        g = nx.path_graph(n - 1) if graph == "path" else nx.star_graph(n - 2)
        g.add_node(n - 1)  # isolated: keeps its view unless an outside voice speaks
        colleagues = [sorted(g.neighbors(i)) for i in range(n)]
        indptr = np.concatenate([[0], np.cumsum([len(c) for c in colleagues])]).astype(np.int64)
        indices = np.array([j for c in colleagues for j in c], dtype=np.int64)
    pro, con = rng.random(n) * 0.5, rng.random(n) * 0.4
    committed = np.zeros(n, dtype=bool)
    committed[2] = True
    for week in range(20):
        believes = rng.random(n) < 0.5
        believes[2] = True
        draws = rng.random(n)
        expected = believes.copy()
        copy_views_reference(expected, draws, colleagues, pro, con, committed)
        same, once = believes.copy(), believes.copy()
        _copy_views(believes, draws, indptr, indices, graph == "complete", pro, con, committed)
        assert believes.tolist() == expected.tolist(), week
        # levers' doubt the same for everyone, given once (as voices() gives it): the same week
        _copy_views(same, draws, indptr, indices, graph == "complete", pro, np.full(n, con[0]), committed)
        _copy_views(once, draws, indptr, indices, graph == "complete", pro, con[:1], committed)
        assert same.tolist() == once.tolist(), week


def test_a_view_is_copied_from_colleagues_only(tmp_path):
    """Two pairs with no tie between them (0–1 believe, 2–3 do not): however long they talk, a view never
    crosses to the other pair; with a tie between 1 and 2 it does."""
    from tiny import QUIET, tiny_model

    two_pairs = dict(roles=["front_line"] * 4, units=["a", "a", "b", "b"], rule="voter", **QUIET)
    apart = tiny_model(tmp_path, believers=[0, 1], ties=[(0, 1), (2, 3)], **two_pairs)
    apart.run(50)
    assert apart.state.believes.tolist() == [True, True, False, False]
    joined = tiny_model(tmp_path, believers=[0, 1], ties=[(0, 1), (1, 2), (2, 3)], committed=0.0, **two_pairs)
    changed = False
    for _ in range(200):
        joined.step()
        changed |= joined.state.believes[2:].any() or not joined.state.believes[:2].all()
    assert changed
