"""The service circle: quality → customers kept → profit → pay and morale → quality (docs/model.md)."""

import numpy as np
import pytest

from agents.customers import Moments
from replicates import assert_effect, final_values, milestone_weeks
from tiny import tiny_model

SEEDS = range(20)
# written from docs/model.md ("The economic loop")
COSTS, INVESTMENT, FULL_HORIZON = 1.05, 0.04, 156
STABLE_QUALITY, GROWTH, MARKET, QUALITY_MEMORY = 0.1, 0.03, 1.5, 0.8
PAY, PEOPLE, MORALE_SPEED, MORALE_DOUBT = 2.0, 0.3, 0.1, 0.6


def a_week(good: int, count: int) -> Moments:
    return Moments(count, good, np.zeros(8), np.zeros(8), np.zeros(8))


@pytest.mark.parametrize("horizon, good", [(156, 0), (26, 0), (300, 90), (52, 40)])
def test_one_week_of_the_loop_exactly(tmp_path, horizon, good):
    model = tiny_model(tmp_path, economics=True, horizon=horizon)
    lever = next(lever for lever in model.levers if lever.name == "economics")
    invested = min(1.0, horizon / FULL_HORIZON)
    assert model.economy == pytest.approx(dict(customer_base=1.0, profit=1 - COSTS - INVESTMENT * invested,
                                               morale=0.5))
    lever.after_week(model, a_week(good, 100))
    quality = QUALITY_MEMORY * STABLE_QUALITY + (1 - QUALITY_MEMORY) * good / 100
    growth = GROWTH * (quality - STABLE_QUALITY)
    base = 1.0 * (1 + growth * (1 - 1.0 / MARKET if growth > 0 else 1))
    target = np.clip(0.5 + PAY * (base - COSTS) + PEOPLE * (invested - 0.5), 0, 1)
    morale = 0.5 + MORALE_SPEED * (target - 0.5)
    assert model.economy == pytest.approx(dict(customer_base=base, profit=base - COSTS - INVESTMENT * invested,
                                               morale=morale))
    assert model.service_factor == pytest.approx(min(1.0, 2 * morale))


def test_low_morale_cuts_service_and_adds_doubt(tmp_path):
    model = tiny_model(tmp_path, economics=True, horizon=1)
    lever = next(lever for lever in model.levers if lever.name == "economics")
    for _ in range(30):
        lever.after_week(model, a_week(0, 100))
    morale = model.economy["morale"]
    assert morale < 0.4
    assert model.service_factor == pytest.approx(2 * morale)
    pressure = lever.adjust(model, model.pressure(), None)
    assert pressure.doubt == pytest.approx(MORALE_DOUBT * (0.5 - morale))


def test_the_service_the_economy_affords_scales_every_good_moment():
    from adoption import Model

    model = Model(employees=100, customers=20_000, initial_believers=1.0, empowerment=1.0, seed=2)
    model.set_economy(customer_base=1.0, profit=0.0, morale=0.0, service=0.0)
    model.step()
    assert model.results.series["satisfaction"][-1] == 0.0
    model.set_economy(customer_base=1.0, profit=0.0, morale=0.25, service=0.5)
    model.step()
    satisfaction, moments = model.results.series["satisfaction"][-1], model.results.series["moments_of_truth"][-1]
    assert abs(satisfaction - 0.5) < 4 * 0.5 / np.sqrt(moments)


@pytest.mark.replicates
def test_economics_turns_a_loss_into_profit_with_patient_leadership():
    """The SAS turnaround: a loss at week 1 (−9% of revenue), a profit at week 52 (measured +2.7 ± 0.9%)."""
    assert (final_values("profit", SEEDS, week=1, economics=True) < 0).all()
    assert_effect(final_values("profit", SEEDS, economics=True), 0.005, "profit at week 52, patient leadership")


@pytest.mark.replicates
def test_short_termism_runs_the_service_circle_backwards():
    """Measured (20 seeds): a 26-week horizon reaches 50% 23 ± 1.6 weeks later, morale 0.50 ± 0.01 lower."""
    assert_effect(milestone_weeks("0.5", SEEDS, economics=True, horizon=26)
                  - milestone_weeks("0.5", SEEDS, economics=True), 10, "weeks to 50% lost to a 26-week horizon")
    assert_effect(final_values("morale", SEEDS, economics=True)
                  - final_values("morale", SEEDS, economics=True, horizon=26), 0.2, "morale lost to a 26-week horizon")
