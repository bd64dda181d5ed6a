"""The naming game with committed agents on the complete network (Xie et al. 2011).

Xie, Sreenivasan, Korniss, Zhang, Lim & Szymanski (2011), "Social consensus
through the influence of committed minorities", Phys. Rev. E 84, 011130: on the
complete graph a committed minority holding A converts the whole population
when its share exceeds p_c ≈ 0.0979, in a time that falls as the committed
share grows; below p_c the majority view B survives for a time exponential in
N. With N = 1000 (here) we require: 0.05 and 0.08 never reach consensus in 300
weeks (one week = N exchanges, the paper's unit of time), 0.12, 0.15 and 0.20
always do, and their mean consensus times fall strictly.
"""

import numpy as np
import pytest

from adoption import Model

EMPLOYEES = 1000
HORIZON = 300  # weeks: far beyond the consensus time above p_c (about 20–40 weeks here)
SEEDS = range(6)


def consensus_week(committed: float, seed: int, employees: int = EMPLOYEES, horizon: int = HORIZON) -> int | None:
    """First week everyone holds only A, or None within the horizon."""
    model = Model(employees=employees, network="complete", rule="naming_game", initial_believers=committed,
                  customers=0, leader_influence=0, steps=horizon, seed=seed)
    return model.run_until(lambda m: m.state.believes.all())


@pytest.mark.parametrize("committed", [0.05, 0.08])
def test_a_committed_minority_below_the_tipping_point_never_wins(committed):
    weeks = [consensus_week(committed, seed) for seed in SEEDS]
    assert weeks == [None] * len(SEEDS), f"committed {committed}: consensus weeks {weeks}"


def test_consensus_time_falls_as_the_committed_minority_grows_above_the_tipping_point():
    times = {}
    for committed in (0.12, 0.15, 0.20):
        weeks = [consensus_week(committed, seed) for seed in SEEDS]
        assert None not in weeks, f"committed {committed}: consensus weeks {weeks} (None = not within {HORIZON})"
        times[committed] = float(np.mean(weeks))
    means = list(times.values())
    assert means[0] > means[1] > means[2], f"mean consensus weeks by committed share: {times}"


@pytest.mark.slow
def test_the_tipping_point_on_complete_is_near_xie_et_al_0_098():
    """Bracket p_c with N = 2000 and a 600-week horizon: 0.09 stays B, 0.105 tips to A (Xie et al.: 0.0979)."""
    below = [consensus_week(0.09, seed, employees=2000, horizon=600) for seed in range(4)]
    above = [consensus_week(0.105, seed, employees=2000, horizon=600) for seed in range(4)]
    assert below == [None] * 4, f"committed 0.09 reached consensus in weeks {below}"
    assert None not in above, f"committed 0.105 consensus weeks {above}"
