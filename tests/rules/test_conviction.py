"""The story rule, exactly: dc/dt = r (P (1 − c) − (θ + doubt) c) − f c, solved over the week (docs/model.md)."""

import dataclasses
import math

import numpy as np
import pytest

from tiny import tiny_model


def expected(c, pressure, threshold, doubt, rate, forgetting):
    """The week's solution written from the equation: c moves toward its balance point rP / (r(P + θ + doubt) + f)
    at the speed r(P + θ + doubt) + f."""
    speed = rate * (pressure + threshold + doubt) + forgetting
    if speed == 0:
        return c
    balance = rate * pressure / speed
    return balance + (c - balance) * math.exp(-speed)


@pytest.mark.parametrize("rate, forgetting, doubt", [(0.8, 0.0, 0.0), (0.8, 0.05, 0.1), (3.0, 0.2, 0.0), (0.0, 0.0, 0.0)])
def test_conviction_moves_toward_its_balance_point_exactly(tmp_path, rate, forgetting, doubt):
    model = tiny_model(tmp_path, persuasion_rate=rate, forgetting=forgetting)
    conviction = np.array([0.0, 0.2, 0.45, 0.9, 0.6, 0.3, 0.0, 1.0])
    threshold = np.array([0.4, 0.3, 0.1, 0.7, 0.5, 0.0, 0.2, 0.4])
    peer, leader, customer = (np.linspace(0, 0.7, 8), np.full(8, 0.1), np.array([0, 0, 0.3, 0, 0, 0.2, 0, 0.5]))
    model.state.conviction, model.state.threshold = conviction.copy(), threshold.copy()
    pressure = dataclasses.replace(model.pressure(), peer=peer, leader=leader, customer=customer, doubt=doubt)
    new = model.rule.update(model, pressure, np.random.default_rng(0))
    want = [expected(c, p, t, doubt, rate, forgetting)
            for c, p, t in zip(conviction, peer + leader + customer, threshold)]
    np.testing.assert_allclose(new, want, rtol=1e-12)


def test_without_forgetting_an_employee_comes_to_believe_exactly_when_pressure_exceeds_the_threshold(tmp_path):
    model = tiny_model(tmp_path, persuasion_rate=2.0)
    model.state.threshold[:] = 0.5
    pushed = np.array([0.0, 0.3, 0.49, 0.51, 0.7, 1.0, 2.0, 0.5])
    pressure = dataclasses.replace(model.pressure(), peer=pushed, leader=np.zeros(8), customer=np.zeros(8))
    for _ in range(60):
        model.state.conviction = model.rule.update(model, pressure, np.random.default_rng(0))
    assert model.state.believes.tolist() == [False, False, False, True, True, True, True, True]  # ½ exactly: c* = ½


def test_committed_believers_keep_conviction_one(tmp_path):
    model = tiny_model(tmp_path, believers=[3], forgetting=1.0)
    model.state.conviction[6] = 1.0  # a believer who is not committed
    pressure = dataclasses.replace(model.pressure(), doubt=5.0)
    new = model.rule.update(model, pressure, np.random.default_rng(0))
    assert new[3] == 1.0 and new[6] < 0.01
