"""Bass diffusion as an agent rule (Bass 1969): innovation p from outside, imitation q of adopters."""

from adoption import Model
from tiny import QUIET, tiny_model


def test_adoption_chance_is_p_plus_q_times_the_believing_share_of_colleagues(tmp_path):
    """p = 0, q = 1: person 3 (both colleagues believe) surely adopts, person 5 (none) never; p = 1: everyone."""
    imitators = tiny_model(tmp_path, believers=[1, 2], rule="bass", innovation=0.0, imitation=1.0, **QUIET)
    imitators.step()
    assert imitators.state.believes[3] and not imitators.state.believes[[5, 6, 7]].any()
    innovators = tiny_model(tmp_path, rule="bass", innovation=1.0, imitation=0.0, **QUIET)
    innovators.step()
    assert innovators.state.believes.all() and innovators.results.series["conversions_innovation"][-1] == 8


def test_bass_innovators_are_the_draws_below_p():
    model = Model(rule="bass", network="complete", employees=2000, customers=0, leader_influence=0,
                  initial_believers=0.0, innovation=0.05, imitation=0.0, seed=1)
    model.step()
    converted = model.state.believes
    assert (model.rule.innovators == converted).all() and abs(converted.mean() - 0.05) < 0.015


