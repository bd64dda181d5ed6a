"""The literature rules: one interface, every channel, the committed minority, and their textbook mechanics."""

import dataclasses

import numpy as np
import pytest

from adoption import Model, run
from adoption.rules import RULES

LITERATURE = ("cascade", "bass", "naming_game", "complex", "voter")
QUIET = dict(employees=400, network="erdos_renyi", customers=0, leader_influence=0, initial_believers=0.2,
             committed=0.0)


def believers_after_one_update(rule: str, *, customer=0.0, doubt=0.0, seeds=range(5)) -> int:
    """Believers a fresh rule returns from the initial state, with extra customer pressure or doubt."""
    total = 0
    for seed in seeds:
        model = Model(rule=rule, seed=seed, **QUIET)
        base = model.pressure()
        pressure = dataclasses.replace(base, customer=base.customer + customer, doubt=doubt)
        fresh = RULES[rule]()
        fresh.setup(model, np.random.default_rng(seed))
        total += int((fresh.update(model, pressure, np.random.default_rng(seed)) >= 0.5).sum())
    return total


@pytest.mark.parametrize("rule", LITERATURE)
def test_every_literature_rule_is_registered_and_returns_convictions_in_range(rule):
    model = Model(rule=rule, employees=150, customers=1500, steps=5, seed=2)
    assert isinstance(model.rule, RULES[rule])
    new = model.rule.update(model, model.pressure(), np.random.default_rng(0))
    assert new.shape == (150,) and new.dtype == np.float64 and ((new >= 0) & (new <= 1)).all()
    results = model.run()
    assert results.steps == 5 and all(p in model.params.to_dict() for p in RULES[rule].parameters)


@pytest.mark.parametrize("rule", LITERATURE)
def test_believing_customers_convert_staff_under_every_rule(rule):
    without, pressed = believers_after_one_update(rule), believers_after_one_update(rule, customer=1.0)
    assert pressed > without, f"{rule}: believers after a week without customers {without}, with {pressed}"


@pytest.mark.parametrize("rule", LITERATURE)
def test_doubt_holds_back_belief_under_every_rule(rule):
    without, doubting = believers_after_one_update(rule), believers_after_one_update(rule, doubt=5.0)
    assert doubting < without, f"{rule}: believers after a week without doubt {without}, with doubt {doubting}"


@pytest.mark.parametrize("rule", ["naming_game", "voter"])
def test_the_committed_minority_never_wavers(rule):
    model = Model(rule=rule, employees=300, network="small_world", customers=0, leader_influence=0,
                  initial_believers=0.1, committed=0.5, seed=4)
    initial, fixed = model.state.believes.copy(), model.state.committed.copy()
    assert initial.sum() == 30 and fixed.sum() == 15 and (fixed <= initial).all()
    for _ in range(30):
        model.step()
        assert model.state.believes[fixed].all()
    assert not model.state.believes[initial & ~fixed].all(), "uncommitted initial believers can lapse"


@pytest.mark.parametrize("rule", LITERATURE)
def test_same_seed_same_numbers(rule):
    first, again = (run(rule=rule, employees=200, customers=2000, steps=15, seed=9) for _ in range(2))
    np.testing.assert_equal(first.series, again.series)  # NaN-aware: weeks without moments of truth


def test_voter_model_conserves_the_believer_share_and_fixes_with_that_probability():
    """Complete network, no zealots: the believer share is a martingale, so P(consensus on the value) = initial share."""
    outcomes = []
    for seed in range(120):
        model = Model(rule="voter", network="complete", employees=20, customers=0, leader_influence=0,
                      initial_believers=0.3, committed=0.0, steps=400, seed=seed)
        while 0 < model.state.believes.sum() < 20 and model.steps < 400:
            model.step()
        outcomes.append(model.state.believes.mean())
    assert abs(np.mean(outcomes) - 0.3) <= 0.13, f"mean final believer share {np.mean(outcomes):.3f}, expected 0.3"
    assert set(np.round(outcomes, 6)) <= {0.0, 1.0}, "every run ends in consensus"


@pytest.mark.parametrize("rule", LITERATURE)
def test_the_command_line_runs_every_rule(rule, capsys):
    from adoption.cli import main

    assert main(["run", "--set", f"rule={rule}", "--set", "employees=120", "--set", "customers=1000",
                 "--steps", "8", "--json"]) == 0
    assert f'"rule": "{rule}"' in capsys.readouterr().out


def test_the_rules_listing_names_every_rule_and_its_parameters(capsys):
    from adoption.cli import main

    assert main(["rules"]) == 0
    listing = capsys.readouterr().out
    for name, rule in RULES.items():
        assert name in listing and all(parameter in listing for parameter in rule.parameters)


def test_an_unknown_rule_is_a_clear_error_listing_the_allowed_ones(capsys):
    from adoption.cli import main

    assert main(["run", "--set", "rule=bas"]) == 2
    error = capsys.readouterr().err
    assert "rule=bas" in error and "naming_game" in error and "did you mean bass" in error
