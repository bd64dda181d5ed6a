"""Customers and their moments of truth: who meets whom, which moments are good, how customers' belief moves."""

import numpy as np
import pytest

from adoption import Model, run
from agents.customers import Customers

STAFF = np.array([1, 3, 4])  # the front line of a five-person organisation
EMPLOYEES = 5


def customers(count=4000, contacts_per_year=52.0, openness=0.6, disappointment=0.05, belief=0.0) -> Customers:
    """A population that meets the front line about once a week each (``contacts_per_year`` / 52 a week)."""
    population = Customers(count, contacts_per_year / 52, openness, disappointment)
    population.belief[:] = belief
    population.believers = int((population.belief >= 0.5).sum())
    return population


def test_only_the_front_line_meets_customers():
    moments = customers().meet(STAFF, np.ones(EMPLOYEES), EMPLOYEES, np.random.default_rng(0))
    assert moments.served.sum() == moments.count > 0
    assert set(np.flatnonzero(moments.served)) == set(STAFF.tolist())


def test_a_moment_is_good_with_the_servers_chance():
    population, rng = customers(), np.random.default_rng(1)
    nobody = population.meet(STAFF, np.zeros(EMPLOYEES), EMPLOYEES, rng)
    assert nobody.good == 0 and nobody.count > 0
    everyone = population.meet(STAFF, np.ones(EMPLOYEES), EMPLOYEES, rng)
    assert everyone.good == everyone.count
    half = population.meet(STAFF, np.full(EMPLOYEES, 0.5), EMPLOYEES, rng)
    share, error = half.good / half.count, 0.5 / np.sqrt(half.count)
    assert abs(share - 0.5) < 4 * error, (share, half.count)


def test_a_genuine_good_moment_moves_a_customer_by_openness():
    """One genuine good moment: belief b becomes 1 − (1 − b)(1 − openness); with openness 1, every visitor believes."""
    population = customers(openness=1.0)
    moments = population.meet(STAFF, np.ones(EMPLOYEES), EMPLOYEES, np.random.default_rng(2))
    visited = population.belief > 0
    assert visited.sum() > 0 and np.all(population.belief[visited] == 1.0)
    assert population.believers == visited.sum()
    assert moments.convinced.sum() == moments.count  # every moment was a believer's good moment


def test_a_scripted_good_moment_satisfies_without_convincing():
    population = customers(openness=1.0, belief=0.3)
    moments = population.meet(STAFF, np.ones(EMPLOYEES), EMPLOYEES, np.random.default_rng(3),
                              convincing=np.zeros(EMPLOYEES, dtype=bool))
    assert moments.good == moments.count > 0
    assert np.all(population.belief == np.float32(0.3)) and moments.convinced.sum() == 0


def test_a_poor_moment_moves_a_customer_away_by_disappointment():
    """belief × (1 − disappointment) per poor moment: with disappointment ½, a visitor's 0.8 becomes 0.8 / 2^k."""
    population = customers(disappointment=0.5, belief=0.8)
    population.meet(STAFF, np.zeros(EMPLOYEES), EMPLOYEES, np.random.default_rng(4))
    moments_had = np.round(np.log2(0.8 / population.belief)).astype(int)
    assert (moments_had >= 1).sum() > 0
    np.testing.assert_allclose(population.belief, 0.8 / 2.0 ** moments_had, rtol=1e-6)
    assert population.believers == int((population.belief >= 0.5).sum())


def test_believing_customers_press_the_staff_who_serve_them():
    believing = customers(belief=1.0).meet(STAFF, np.ones(EMPLOYEES), EMPLOYEES, np.random.default_rng(5))
    np.testing.assert_array_equal(believing.pressed, believing.served)
    doubting = customers(belief=0.0).meet(STAFF, np.ones(EMPLOYEES), EMPLOYEES, np.random.default_rng(5))
    assert doubting.pressed.sum() == 0 and doubting.served.sum() > 0


def test_moments_of_truth_match_contacts_per_customer_per_year():
    results = run(employees=200, customers=20_000, contacts_per_customer=5, steps=52, seed=3)
    assert results.moments_of_truth == pytest.approx(100_000, rel=0.02)


def test_the_believer_count_is_kept_exactly():
    model = Model(employees=100, customers=3000, contacts_per_customer=40, seed=9)
    for _ in range(10):
        model.step()
        assert model.customers.believers == int((model.customers.belief >= 0.5).sum())


def test_no_customers_none_believing():
    nobody = Customers(0, 0.1, 0.6, 0.05)
    assert nobody.believer_share == 0.0 and len(nobody) == 0


@pytest.mark.parametrize("count", [20_000, 3_000_000])  # one chunk of travellers, and many (over 65,536 a week)
def test_the_weeks_travellers_are_distinct_and_as_many_as_the_visit_chance_says(count):
    """Each customer travels with chance 1 − exp(−moments a week): customers at 2 moments a year."""
    population = customers(count=count, contacts_per_year=2.0)
    travellers = population.visitors(np.random.default_rng(6))
    chance = 1 - np.exp(-2.0 / 52)
    assert (np.diff(travellers) > 0).all() and 0 <= travellers.min() and travellers.max() < count
    expected, spread = count * chance, np.sqrt(count * chance * (1 - chance))
    assert abs(len(travellers) - expected) < 4 * spread, (len(travellers), expected)
    # the travellers spread over the whole population: each tenth holds its share
    tenths = np.bincount(travellers * 10 // count, minlength=10)
    assert (np.abs(tenths - expected / 10) < 4 * np.sqrt(expected / 10)).all(), tenths


def test_nobody_on_the_front_line_no_moments_of_truth():
    moments = customers().meet(np.zeros(0, dtype=np.int64), np.ones(EMPLOYEES), EMPLOYEES, np.random.default_rng(7))
    assert (moments.count, moments.good) == (0, 0) and moments.served.sum() == 0


def test_customers_who_never_travel_have_no_moments():
    """contacts_per_customer = 0: nobody travels, no moment of truth, nobody's belief moves."""
    population = customers(contacts_per_year=0.0, belief=0.7)
    assert len(population.visitors(np.random.default_rng(8))) == 0
    moments = population.meet(STAFF, np.ones(EMPLOYEES), EMPLOYEES, np.random.default_rng(8))
    assert (moments.count, moments.good) == (0, 0) and moments.served.sum() == 0
    assert np.all(population.belief == np.float32(0.7))
    assert run(employees=50, customers=500, contacts_per_customer=0, steps=3, seed=1).moments_of_truth == 0
