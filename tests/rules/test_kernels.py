"""Each compiled rule is its plain statement: the numba kernel and the few lines of numpy or Python
beside it, given the same random numbers, give the same week (cascade, bass, complex, naming game;
the voter rule's is in test_voter.py)."""

import networkx as nx
import numpy as np
import pytest

import adoption  # noqa: F401  (the model first: the rules import it)
from adoption.rules.bass import _adopt, adopt_reference
from adoption.rules.cascade import _chances, _transmit, transmit_reference
from adoption.rules.complex import _reinforce, reinforce_reference
from adoption.rules.naming_game import OLD, UNDECIDED, VALUE, _play_week, play_week_reference

N = 30


def organisation(kind: str, seed: int):
    """Colleague lists and CSR arrays of a small network with an isolated employee (or the complete one)."""
    if kind == "complete":
        colleagues = [[j for j in range(N) if j != i] for i in range(N)]
        return colleagues, np.zeros(N + 1, dtype=np.int64), np.zeros(0, dtype=np.int32), True
    graph = nx.gnp_random_graph(N - 1, 0.15, seed=seed)
    graph.add_node(N - 1)
    colleagues = [sorted(graph.neighbors(i)) for i in range(N)]
    indptr = np.concatenate([[0], np.cumsum([len(c) for c in colleagues])]).astype(np.int64)
    return colleagues, indptr, np.array([j for c in colleagues for j in c], dtype=np.int64), False


def week_inputs(seed: int):
    rng = np.random.default_rng(seed)
    believes = rng.random(N) < 0.3
    committed = believes & (rng.random(N) < 0.5)
    pro = rng.random(N) * 0.4 * (rng.random(N) < 0.5)
    doubt = 0.1 * (seed % 2)  # levers' doubt: one value for everyone (as voices() gives it) or one each
    con = np.array([doubt]) if seed >= 2 else doubt * 2 * rng.random(N)
    return rng, believes, committed, pro, con


def colleague_counts(colleagues, believes):
    """Each person's colleagues, and how many of them believe (the rules' network inputs)."""
    degree = np.array([len(c) for c in colleagues])
    return degree, np.array([believes[c].sum() for c in colleagues], dtype=np.float64)


CASES = [(kind, seed, forgetting) for kind in ("random", "complete") for seed in range(4) for forgetting in (0.0, 0.2)]


@pytest.mark.parametrize("kind,seed,forgetting", CASES)
def test_compiled_bass_week_equals_its_statement(kind, seed, forgetting):
    colleagues, *_ = organisation(kind, seed)
    rng, believes, committed, pro, con = week_inputs(seed)
    degree, count = colleague_counts(colleagues, believes)
    draws, lapse_draws = rng.random(N), rng.random(N)
    new, innovators = np.empty(N), np.empty(N, dtype=bool)
    _adopt(believes, count, degree, pro, con, draws, 0.05, 0.6, lapse_draws, forgetting, committed, new, innovators)
    expected, expected_innovators = adopt_reference(believes, count, degree, pro, con, draws, 0.05, 0.6,
                                                    lapse_draws, forgetting, committed)
    assert (new == 1).tolist() == expected.tolist() and innovators.tolist() == expected_innovators.tolist()
    assert expected.sum() > believes.sum() - (forgetting > 0) * N


@pytest.mark.parametrize("kind,seed,forgetting", CASES)
def test_compiled_complex_week_equals_its_statement(kind, seed, forgetting):
    colleagues, *_ = organisation(kind, seed)
    rng, believes, committed, pro, con = week_inputs(seed)
    degree, count = colleague_counts(colleagues, believes)
    lapse_draws = rng.random(N)
    new = np.empty(N)
    _reinforce(believes, count, degree, pro, con, 2, lapse_draws, forgetting, committed, new)
    expected = reinforce_reference(believes, count, degree, pro, con, 2, lapse_draws, forgetting, committed)
    assert (new == 1).tolist() == expected.tolist()


@pytest.mark.parametrize("kind,seed,forgetting", CASES)
def test_compiled_cascade_week_equals_its_statement(kind, seed, forgetting):
    colleagues, indptr, indices, complete = organisation(kind, seed)
    rng, believes, committed, pro, con = week_inputs(seed)
    degree = np.array([len(c) for c in colleagues])
    pressed = believes & (rng.random(N) < 0.5)
    draws, lapse_draws = rng.random(N), rng.random(N)
    new, pressed_after, chances = np.empty(N), pressed.copy(), np.empty(N)
    _chances(believes, pressed_after, indptr, indices, complete, degree, pro, con, chances)
    _transmit(believes, pressed_after, draws, np.exp(chances * np.log1p(-0.3)), lapse_draws, forgetting, committed,
              new)
    expected_pressed = pressed.copy()
    expected = transmit_reference(believes, expected_pressed, colleagues, pro, con, draws, 0.3, lapse_draws,
                                  forgetting, committed)
    assert (new == 1).tolist() == expected.tolist() and pressed_after.tolist() == expected_pressed.tolist()


@pytest.mark.parametrize("kind,seed", [(kind, seed) for kind in ("random", "complete") for seed in range(4)])
def test_compiled_naming_game_week_equals_its_statement(kind, seed):
    colleagues, indptr, indices, complete = organisation(kind, seed)
    rng, believes, committed, pro, con = week_inputs(seed)
    for week in range(5):
        holds = rng.choice(np.array([OLD, UNDECIDED, VALUE], dtype=np.int8), N)
        holds[committed] = VALUE
        outside_draws, draws = rng.random(N), rng.random(N)
        expected = holds.copy()
        play_week_reference(expected, believes, outside_draws, draws, colleagues, pro, con, committed)
        _play_week(holds, believes, outside_draws, draws, indptr, indices, complete, pro, con, committed)
        assert holds.tolist() == expected.tolist(), week


@pytest.mark.parametrize("seed", range(4))
def test_compiled_conviction_week_equals_its_statement(seed):
    from adoption.rules.conviction import _relax, relax_reference

    rng, believes, committed, pro, con = week_inputs(seed)
    con = np.broadcast_to(con, (N,)).copy()  # levers' doubt per employee (one value for everyone is the other form)
    conviction, threshold = rng.random(N), np.clip(rng.normal(0.4, 0.3, N), 0, None)
    peer, leader, customer = rng.random(N) * 0.5, pro, rng.random(N) * (rng.random(N) < 0.5)
    threshold[:3] = 0.0  # no pressure and no threshold: nothing moves (speed 0 only without forgetting)
    peer[:3] = leader[:3] = customer[:3] = 0.0
    for forgetting in (0.0, 0.05):
        new = np.empty(N)
        _relax(conviction, peer, leader, customer, threshold, con, committed, 0.5, forgetting, new)
        expected = relax_reference(conviction, peer, leader, customer, threshold, con, committed, 0.5, forgetting)
        assert new.tolist() == expected.tolist()
