"""Rollout strategies: the same number of seeds for each, placed where the strategy says, and the
well-connected starts beat a random one on an organisation with clear hubs."""

import numpy as np
import pytest

from adoption import Model, ParamError, run
from adoption.seeding import SEEDINGS
from agents.roles import FRONT_LINE
from replicates import milestone_means

FAST = [name for name in SEEDINGS if name not in ("greedy", "file")]  # file: tests/test_organisations.py


@pytest.mark.parametrize("strategy", FAST)
def test_every_strategy_seeds_the_same_number_and_is_deterministic(strategy):
    first = Model(seeding=strategy, employees=240, customers=500, seed=3)
    again = Model(seeding=strategy, employees=240, customers=500, seed=3)
    assert first.state.committed.sum() == 12
    assert np.array_equal(first.state.committed, again.state.committed)
    assert run(seeding=strategy, employees=240, customers=500, steps=10, seed=3).to_json(series=True) == \
        run(seeding=strategy, employees=240, customers=500, steps=10, seed=3).to_json(series=True)


def test_hubs_are_the_best_connected():
    model = Model(seeding="hubs", network="scale_free", employees=500, customers=0, seed=1)
    degree = model.network.degree
    assert degree[model.state.committed].min() >= np.sort(degree)[-25]


def test_brokers_bridge_units():
    """In an org chart, managers and executives carry the paths between units."""
    model = Model(seeding="brokers", employees=300, customers=0, seed=2)
    assert (model.organisation.role[model.state.committed] <= 1).mean() > 0.5


def test_a_pilot_unit_is_whole():
    model = Model(seeding="unit", employees=300, customers=0, unit_size=15, seed=5)
    units, counts = np.unique(model.organisation.unit[model.state.committed], return_counts=True)
    full = np.bincount(model.organisation.unit)
    assert (counts == full[units]).sum() >= len(units) - 1  # whole units; only the last may be cut to fit
    assert len(units) <= 3


def test_a_customer_facing_pilot_is_on_the_front_line():
    model = Model(seeding="customer_facing_unit", employees=300, customers=0, seed=5)
    chosen = model.state.committed
    assert (model.organisation.role[chosen] == FRONT_LINE).mean() > 0.8


@pytest.mark.replicates
def test_hubs_beat_random_on_an_organisation_with_clear_hubs():
    common = dict(network="scale_free", employees=300, customers=3000, steps=52)
    seeds = range(8)
    random_start, hub_start = milestone_means(seeds, **common), milestone_means(seeds, seeding="hubs", **common)
    print("t50 random / hubs on a scale-free organisation:", random_start["0.5"], hub_start["0.5"])
    assert random_start["0.5"] - hub_start["0.5"] >= 3


@pytest.mark.replicates
@pytest.mark.slow
def test_greedy_is_at_least_as_good_as_hubs_and_beats_random():
    common = dict(network="scale_free", employees=120, customers=1200, steps=40)
    seeds = range(4)
    greedy, hubs, randomly = (milestone_means(seeds, seeding=name, **common) for name in ("greedy", "hubs", "random"))
    print("t50 greedy / hubs / random:", greedy["0.5"], hubs["0.5"], randomly["0.5"])
    assert greedy["0.5"] <= hubs["0.5"] + 1
    assert randomly["0.5"] - greedy["0.5"] >= 3
    assert run(seeding="greedy", seed=1, **common).to_json() == run(seeding="greedy", seed=1, **common).to_json()


def test_greedy_refuses_large_organisations_clearly():
    with pytest.raises(ParamError, match="seeding=greedy: at most 2000 employees"):
        Model(seeding="greedy", employees=5000, customers=0)


def test_explicit_believers_override_the_strategy():
    model = Model(believers=np.array([1, 2, 3]), employees=100, customers=0)
    assert np.flatnonzero(model.state.committed).tolist() == [1, 2, 3]


def test_a_replicate_keeps_the_organisation_and_redraws_the_luck():
    base, other = Model(seed=7), Model(seed=7, replicate=1)
    assert np.array_equal(base.state.threshold, other.state.threshold)
    assert np.array_equal(base.state.committed, other.state.committed)
    assert base.run().to_json(series=True) != other.run().to_json(series=True)
