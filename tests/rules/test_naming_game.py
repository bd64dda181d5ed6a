"""The binary naming game (Baronchelli et al. 2007) with a committed minority (Xie et al. 2011)."""

import numpy as np

from adoption.rules.naming_game import OLD, UNDECIDED, VALUE, NamingGame
from tiny import QUIET, tiny_model

ALONE = []  # no ties: nobody talks, so an update shows only what the rule keeps


def test_a_listener_keeps_an_agreed_word_and_adds_a_new_one():
    """A: the value, B: the old way, AB: both. Hearing A: B → AB, AB → A, A → A; hearing B: the mirror."""
    committed = np.zeros(3, dtype=bool)
    holds = np.array([OLD, UNDECIDED, VALUE], dtype=np.int8)
    NamingGame._listen(holds, np.arange(3), VALUE, committed)
    assert holds.tolist() == [UNDECIDED, VALUE, VALUE]
    holds = np.array([OLD, UNDECIDED, VALUE], dtype=np.int8)
    NamingGame._listen(holds, np.arange(3), OLD, committed)
    assert holds.tolist() == [OLD, OLD, UNDECIDED]
    holds = np.array([OLD, UNDECIDED, VALUE], dtype=np.int8)
    NamingGame._listen(holds, np.arange(3), OLD, np.array([False, False, True]))
    assert holds.tolist() == [OLD, OLD, VALUE]  # the committed never change


def test_only_the_value_word_counts_as_belief_and_the_undecided_are_remembered(tmp_path):
    model = tiny_model(tmp_path, believers=[0], ties=ALONE, rule="naming_game", **QUIET)
    model.rule.vocabulary[1] = UNDECIDED
    model.step()
    assert model.state.conviction.tolist() == [1.0] + [0.0] * 7
    assert model.rule.vocabulary.tolist() == [VALUE, UNDECIDED] + [OLD] * 6


def test_belief_changed_by_others_sets_the_word_and_a_hire_starts_afresh(tmp_path):
    model = tiny_model(tmp_path, believers=[0], ties=ALONE, rule="naming_game", **QUIET)
    model.rule.vocabulary[[5, 6]] = UNDECIDED
    model.state.conviction[6] = 0.6  # training carried person 6 over ½
    model.hire(np.array([5]), believing=np.array([False]), threshold=np.array([0.4]))
    model.step()
    assert model.rule.vocabulary[[5, 6]].tolist() == [OLD, VALUE] and model.state.believes[6]


def test_a_committed_speaker_brings_a_lone_colleague_round(tmp_path):
    for seed in range(10):
        model = tiny_model(tmp_path, believers=[0], ties=[(0, 1)], rule="naming_game", seed=seed, **QUIET)
        model.run(10)
        assert model.state.believes[1], seed
