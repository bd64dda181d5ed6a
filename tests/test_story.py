"""The seed story of MODEL.md: 5% → 20% → majority, and the customer loop matters by mechanism."""

import numpy as np

from adoption import run
from replicates import milestone_means

SEEDS = range(10)


def test_default_tells_the_arc():
    """5% at week 0, 20% and a majority within the default 52 weeks (mean of 10 seeds)."""
    weeks = milestone_means(SEEDS)
    print("default milestones:", weeks)
    assert weeks["0.05"] == 0
    assert 5 <= weeks["0.2"] <= 30
    assert weeks["0.5"] <= 40
    reached_majority = [run(seed=s).milestones["0.5"] is not None for s in SEEDS]
    assert all(reached_majority)


def test_customers_convert_a_visible_share_of_staff():
    shares = []
    for seed in SEEDS:
        conversions = run(seed=seed).conversions
        shares.append(conversions["customer"] / sum(conversions.values()))
    print("customer share of conversions:", np.round(shares, 2))
    assert np.mean(shares) > 0.15


def test_after_the_first_twenty_percent_customers_press_the_rest():
    """Phase 4 of the story: past 20%, a large share of new believers are convinced by customers,
    and by the majority week a good part of the customers already expect the value."""
    late_shares, customers_at_majority = [], []
    for seed in SEEDS:
        results = run(seed=seed)
        t20, t50 = results.milestones["0.2"], results.milestones["0.5"]
        late = {source: sum(results.series[f"conversions_{source}"][t20 + 1:]) for source in results.conversions}
        late_shares.append(late["customer"] / sum(late.values()))
        customers_at_majority.append(results.series["customers_believing"][t50])
    print("customer share of conversions after 20%:", np.round(late_shares, 2))
    print("customers believing at the majority week:", np.round(customers_at_majority, 2))
    assert np.mean(late_shares) > 0.25
    assert np.mean(customers_at_majority) > 0.25


def test_switching_off_customer_feedback_slows_or_stalls_the_majority():
    with_voice = milestone_means(SEEDS)
    without = milestone_means(SEEDS, customer_feedback=0.0)
    print("with feedback:", with_voice, "without:", without)
    # a run that never reaches 50% counts as week 53
    assert without["0.5"] - with_voice["0.5"] >= 10
    finals_on = np.mean([run(seed=s).final["employees"] for s in SEEDS])
    finals_off = np.mean([run(seed=s, customer_feedback=0.0).final["employees"] for s in SEEDS])
    assert finals_on - finals_off > 0.2, (finals_on, finals_off)


def test_customer_feedback_acts_through_customers_not_a_special_case():
    """With feedback on but no customers, nothing changes: the channel needs real customers."""
    for seed in range(3):
        on = run(seed=seed, customers=0).to_dict(series=True)
        off = run(seed=seed, customers=0, customer_feedback=0.0).to_dict(series=True)
        assert on["series"] == off["series"]
