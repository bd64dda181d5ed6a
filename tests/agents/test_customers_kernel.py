"""The compiled customers' week is the plain moment-of-truth rule, number for number.

``agents.customers._serve`` (one fused numba pass) and ``serve_reference``
(one traveller at a time in plain Python) are given the same random numbers
and must return the same tallies and counts, and the same beliefs up to
float32 rounding (the kernel reads the belief update from two small tables,
the reference computes it from the formula).
"""

import numpy as np
import pytest

import adoption  # noqa: F401  (imports the model before the customers module)
from agents.customers import Customers, _serve, serve_reference

OPENNESS, DISAPPOINTMENT = 0.3, 0.1


def case(seed: int, customers: int = 400, staff: int = 7, moments_per_week: float = 0.8):
    """A small week: beliefs across [0, 1], good chances including 0 and 1, some servers scripted."""
    rng = np.random.default_rng(seed)
    population = Customers(customers, moments_per_week, OPENNESS, DISAPPOINTMENT)
    population.belief[:] = rng.random(customers).astype(np.float32)
    population.believers = int((population.belief >= 0.5).sum())
    chance = np.concatenate([[0.0, 1.0], rng.random(staff - 2)])
    genuine = rng.random(staff) < 0.6
    with np.errstate(divide="ignore"):
        log_uniforms = np.log(rng.random(customers, dtype=np.float32))
    log_uniforms[3] = -np.inf  # a uniform of exactly 0
    draws = rng.random(4 * customers)
    return population, chance, genuine, log_uniforms, draws


def compiled(population, chance, genuine, log_uniforms, draws, pieces=1):
    """Run the kernel over the week, handing it ``draws`` in ``pieces`` successive slices."""
    tally, counts = np.zeros((len(chance), 3), dtype=np.int64), np.zeros(3, dtype=np.int64)
    edge = np.arange(len(chance)) + chance
    gap, position, start = 0, -1, 0
    bounds = np.linspace(0, len(draws), pieces + 1).astype(int)
    for end in bounds[1:]:
        gap, used, position, done = _serve(population.belief, log_uniforms, population._per_log_gap, gap,
                                           draws[start:end], 0, position, population._moments_cdf, edge, genuine,
                                           population._scale, population._offset, population._update_width,
                                           tally, counts, np.arange(len(chance)), np.zeros((3, len(chance))))
        start += used
        if done:
            break
    assert done, "the week's draws were enough for every traveller"
    return tally.T, counts


@pytest.mark.parametrize("seed", range(6))
def test_compiled_week_equals_the_plain_rule(seed):
    population, chance, genuine, log_uniforms, draws = case(seed)
    before = population.belief.copy()
    tally, counts = compiled(population, chance, genuine, log_uniforms, draws)
    belief = before.copy()
    expected_tally, expected_counts = serve_reference(belief, log_uniforms, population._visit_chance, draws,
                                                      population._moments_cdf, chance, genuine, OPENNESS,
                                                      DISAPPOINTMENT)
    assert counts[0] > 50 and (tally[0] > 0).all(), "the case exercises every slot"
    assert tally.tolist() == expected_tally.tolist()
    assert counts.tolist() == list(expected_counts)
    np.testing.assert_allclose(population.belief, belief, rtol=1e-6, atol=1e-7)
    assert (population.belief != before).sum() > 20


def test_a_week_resumes_where_its_draws_ran_short():
    """Handed its uniforms in slices, the kernel stops before a traveller it cannot serve and carries on
    with the next slice: the same week as in one pass."""
    whole, *rest = case(11)
    split, *_ = case(11)
    tally, counts = compiled(whole, *rest)
    tally_split, counts_split = compiled(split, *rest, pieces=9)
    assert tally.tolist() == tally_split.tolist() and counts.tolist() == counts_split.tolist()
    assert (whole.belief == split.belief).all()


def test_several_moments_and_scripted_servers_are_exercised():
    """The cases above include travellers with several moments and good moments that do not convince."""
    population, chance, genuine, log_uniforms, draws = case(0)
    tally, counts = compiled(population, chance, genuine, log_uniforms, draws)
    steps = np.where(np.isfinite(log_uniforms), log_uniforms * population._per_log_gap, 0).astype(int) + 1
    travellers = int((np.cumsum(steps) <= len(population)).sum())
    assert counts[0] >= travellers + 20  # mean 0.8 moments a week: many travellers have several
    scripted = ~genuine & (chance > 0)
    assert tally[0][scripted].sum() > 0 and tally[2][scripted].sum() == 0
