"""The compiled customers' week is the plain moment-of-truth rule, number for number.

``agents.customers._serve`` (one fused numba pass) and ``serve_reference``
(one traveller at a time in plain Python) are given the same random words
and must return the same tallies and counts, and the same beliefs up to
float32 rounding (the kernel reads the belief update from two small tables,
the reference computes it from the formula).
"""


import numpy as np
import pytest

import adoption  # noqa: F401  (imports the model before the customers module)
from adoption import Model
from agents.customers import FIELD_MAX, Customers, _low_bits, _serve, _to_employees, serve_reference

OPENNESS, DISAPPOINTMENT = 0.3, 0.1


def case(seed: int, customers: int = 400, staff: int = 7, moments_per_week: float = 0.8):
    """A small week: beliefs across [0, 1], good chances including 0 and 1, some servers scripted."""
    rng = np.random.default_rng(seed)
    population = Customers(customers, moments_per_week, OPENNESS, DISAPPOINTMENT)
    population.belief[:] = rng.random(customers).astype(np.float32)
    population.believers = int((population.belief >= 0.5).sum())
    chance = np.concatenate([[0.0, 1.0], rng.random(staff - 2)])
    genuine = rng.random(staff) < 0.6
    words = rng.bit_generator.random_raw(4 * customers)
    words[3] &= ~np.uint64((1 << 24) - 1)  # low bits of 0: a uniform of exactly 0, which counts as 1
    logs = np.empty(len(words), dtype=np.float32)
    _low_bits(words, logs)
    return population, chance, genuine, words, np.log(logs)


def compiled(population, chance, genuine, words, logs, pieces=1, unpack_every=0):
    """Run the kernel over the week, handing it the words in ``pieces`` successive slices: it stops before a
    traveller whose moments do not fit and is called again from there. ``unpack_every`` k-th call unpacks
    the packed counts first (as the week does before a field could overflow)."""
    staff = len(chance)
    packed, tally, counts = np.zeros((1, staff), dtype=np.int64), np.zeros((1, staff, 3), dtype=np.int64), \
        np.zeros(3, dtype=np.int64)
    edge = np.where(genuine, 1, -1) * (np.arange(staff) + chance)
    position, start, done = -1, 0, False
    for call, end in enumerate(np.linspace(0, len(words), pieces + 1).astype(int)[1:]):
        unpack = bool(unpack_every) and call % unpack_every == 0
        used, position, done = _serve(population.belief, words[start:end], logs[start:end],
                                      population._per_log_gap, population._log_offset, position,
                                      population._moments_cdf, edge, population._scale, population._offset,
                                      population._update_width, packed[0], tally[0], unpack, counts)
        start += used
        if done:
            break
    assert done, "the week's words were enough for every traveller"
    per_slot = np.zeros((3, staff))
    _to_employees(packed, tally, bool(unpack_every), np.arange(staff), per_slot)
    return per_slot.astype(np.int64), counts


@pytest.mark.parametrize("seed", range(6))
def test_compiled_week_equals_the_plain_rule(seed):
    population, chance, genuine, words, logs = case(seed)
    before = population.belief.copy()
    tally, counts = compiled(population, chance, genuine, words, logs)
    belief = before.copy()
    expected_tally, expected_counts = serve_reference(belief, words, logs, population._visit_chance,
                                                      population._moments_cdf, chance, genuine, OPENNESS,
                                                      DISAPPOINTMENT)
    assert counts[0] > 50 and (tally[0] > 0).all(), "the case exercises every slot"
    assert tally.tolist() == expected_tally.tolist()
    assert counts.tolist() == list(expected_counts)
    np.testing.assert_allclose(population.belief, belief, rtol=1e-6, atol=1e-7)
    assert (population.belief != before).sum() > 20


def test_a_week_resumes_where_its_words_ran_short():
    """Handed its words in slices, the kernel stops before a traveller it cannot serve and carries on
    with the next slice: the same week as in one pass."""
    whole, *rest = case(11)
    split, *_ = case(11)
    tally, counts = compiled(whole, *rest)
    tally_split, counts_split = compiled(split, *rest, pieces=9)
    assert tally.tolist() == tally_split.tolist() and counts.tolist() == counts_split.tolist()
    assert (whole.belief == split.belief).all()


def test_several_moments_and_scripted_servers_are_exercised():
    """The cases above include travellers with several moments and good moments that do not convince."""
    population, chance, genuine, words, logs = case(0)
    tally, counts = compiled(population, chance, genuine, words, logs)
    several = (words >> np.uint64(24)) * 2.0 ** -40 >= population._moments_cdf[0]
    assert several[:200].sum() >= 20  # mean 0.8 moments a week: many travellers have several
    assert counts[0] >= 250
    scripted = ~genuine & (chance > 0)
    assert tally[0][scripted].sum() > 0 and tally[2][scripted].sum() == 0


def test_low_bits_of_zero_count_as_a_uniform_of_one():
    """m = 0 gives 2^24 (log 0 after the offset: the next customer travels); the others are m itself."""
    words = np.array([0, 5 + (7 << 24), (1 << 24) - 1, 1 << 40], dtype=np.uint64)
    out = np.empty(4, dtype=np.float32)
    _low_bits(words, out)
    assert out.tolist() == [2.0 ** 24, 5.0, 2.0 ** 24 - 1, 2.0 ** 24]


def test_a_packed_tally_unpacks_to_its_three_counts():
    """served | pressed << 21 | convinced << 42, each field up to its largest value, plus what was unpacked
    before, summed over threads into the employees' rows; all cleared for next week."""
    top = FIELD_MAX
    assert top == 2 ** 21 - 1
    packed = np.array([[5 + (3 << 21) + (2 << 42), top + (top << 21) + (top << 42), 0],
                       [1 + (1 << 42), 0, 7]], dtype=np.int64)
    tally = np.ones((2, 3, 3), dtype=np.int64)
    per_employee = np.full((3, 5), -1.0)
    _to_employees(packed, tally, True, np.array([4, 0, 2]), per_employee)
    assert per_employee[:, 4].tolist() == [5 + 1 + 2, 3 + 2, 2 + 1 + 2]
    assert per_employee[:, 0].tolist() == [top + 2] * 3
    assert per_employee[:, 2].tolist() == [7 + 2, 2, 2]
    assert (packed == 0).all() and (tally == 0).all()
    packed[1, 1], tally[:] = 4 + (3 << 21), 9  # no unpacking this week: the tally is not read
    _to_employees(packed, tally, False, np.array([4, 0, 2]), per_employee)
    assert per_employee[:, 0].tolist() == [4, 3, 0] and per_employee[:, 4].tolist() == [0, 0, 0]


def test_unpacking_midweek_changes_nothing():
    """The week unpacks its counts before a field could overflow: unpacked at every call or never, the same
    tallies."""
    never, *rest = case(5)
    often, *_ = case(5)
    assert compiled(never, *rest, pieces=9)[0].tolist() == compiled(often, *rest, pieces=9, unpack_every=1)[0].tolist()


@pytest.mark.parametrize("threads", ["1", "2", "3"])
def test_a_large_population_gives_the_same_numbers_on_any_number_of_threads(threads, monkeypatch):
    """Three blocks of customers (2,500,000 > 2 blocks of 2^20), each with its own stream: the run is the
    same on 1, 2 or 3 threads, number for number."""
    def week(threads):
        monkeypatch.setenv("ADOPTION_THREADS", threads)
        model = Model(employees=200, customers=2_500_000, contacts_per_customer=20, steps=3, seed=4)
        model.run()
        return model.customers.belief.copy(), model.results.series

    one_belief, one_series = week("1")
    belief, series = week(threads)
    assert one_series["moments_of_truth_total"][-1] > 2_500_000 * 20 / 52 * 3 * 0.98
    assert (belief == one_belief).all()
    np.testing.assert_equal(series, one_series)  # (nan equals nan here: the economy is off)


def test_drawing_visitors_leaves_the_weeks_streams_alone():
    """``visitors()`` (the scale benchmark's floor) with another generator does not change a large
    population's next weeks."""
    def weeks(peek: bool):
        model = Model(employees=100, customers=2_200_000, contacts_per_customer=2, steps=2, seed=3)
        model.step()
        if peek:
            assert len(model.customers.visitors(np.random.default_rng(9))) > 50_000
        model.step()
        return model.customers.belief.copy()

    assert (weeks(peek=True) == weeks(peek=False)).all()
