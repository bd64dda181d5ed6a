"""Independent cascade (Kempe, Kleinberg & Tardos 2003): one chance per new believer and colleague."""

import numpy as np

from adoption import Model
from tiny import QUIET, tiny_model

PATH = [(0, 1), (1, 2), (2, 3), (3, 4), (4, 5), (5, 6), (6, 7)]  # eight people in a line


def test_a_sure_transmission_moves_one_colleague_a_week_and_none_never_does(tmp_path):
    sure = tiny_model(tmp_path, believers=[0], ties=PATH, rule="cascade", transmission=1.0, **QUIET)
    for week in range(1, 4):
        sure.step()
        assert np.flatnonzero(sure.state.believes).tolist() == list(range(week + 1))
    never = tiny_model(tmp_path, believers=[0], ties=PATH, rule="cascade", transmission=0.0, **QUIET)
    never.run(5)
    assert np.flatnonzero(never.state.believes).tolist() == [0]


def test_a_believing_hire_gets_their_own_chances(tmp_path):
    model = tiny_model(tmp_path, believers=[0], ties=PATH, rule="cascade", transmission=1.0, **QUIET)
    model.run(3)  # 0..3 believe; 0, 1, 2 have had their chance
    model.hire(np.array([1]), believing=np.array([True]), threshold=np.array([0.4]))
    model.state.conviction[[2, 3]] = 0.0  # 1's colleague 2 stops believing: only the hire can convince them now
    model.step()
    assert model.state.believes[2]


def test_a_cascade_gives_each_believer_one_chance():
    """On a ring, a front dies as soon as one try fails: mean final size 1 + 2T/(1 − T) = 3 at T = ½ (one seed)."""
    sizes = []
    for seed in range(60):
        model = Model(rule="cascade", network="small_world", rewiring=0.0, mean_degree=2, employees=200, customers=0,
                      leader_influence=0, initial_believers=1 / 200, transmission=0.5, steps=200, seed=seed)
        quiet_weeks = 0  # five quiet weeks in a row: over (repeated chances would restart a stalled front)
        while quiet_weeks < 5 and model.steps < 200:
            believers = model.state.believes.sum()
            model.step()
            quiet_weeks = quiet_weeks + 1 if model.state.believes.sum() == believers else 0
        sizes.append(int(model.state.believes.sum()))
    assert 2.0 <= np.mean(sizes) <= 4.5, f"mean final cascade size {np.mean(sizes):.2f} (theory 3)"


