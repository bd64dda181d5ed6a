"""Independent cascade above and below the epidemic threshold (bond percolation on random networks).

Newman, M. E. J. (2002), "Spread of epidemic disease on networks", Phys. Rev.
E 66, 016128: on a random network with Poisson degrees of mean z a cascade in
which each new adopter passes it on along each tie once with probability T
percolates only for T > T_c = 1/z, and then its final share S solves
S = 1 − exp(−z T S). Below T_c each seed starts a finite cascade of mean size
1 / (1 − zT). Here z = 8 (T_c = 0.125) with 2000 employees and 1% seeds.
"""

import numpy as np
import pytest
from scipy.optimize import brentq

from adoption import run

MEAN_DEGREE = 8.0
SEEDED = 0.01
CASCADE = dict(employees=2000, network="erdos_renyi", mean_degree=MEAN_DEGREE, rule="cascade", customers=0,
               leader_influence=0, initial_believers=SEEDED, steps=60)


def mean_final_share(transmission: float, seeds=range(10)) -> float:
    return float(np.mean([run(transmission=transmission, seed=seed, **CASCADE).final["employees"]
                          for seed in seeds]))


def percolation_share(transmission: float) -> float:
    """The giant-outbreak share S = 1 − exp(−z T S), S > 0 (above threshold only)."""
    spread = MEAN_DEGREE * transmission
    return brentq(lambda s: s - (1 - np.exp(-spread * s)), 1e-9, 1.0)


@pytest.mark.parametrize("transmission", [0.25, 0.4])
def test_above_the_epidemic_threshold_the_cascade_reaches_the_percolation_share(transmission):
    measured, expected = mean_final_share(transmission), percolation_share(transmission)
    assert abs(measured - expected) <= 0.03, f"T={transmission}: final share {measured:.3f}, theory {expected:.3f}"


def test_below_the_epidemic_threshold_the_cascade_stays_small():
    transmission = 0.05  # zT = 0.4 < 1
    measured = mean_final_share(transmission)
    branching = SEEDED / (1 - MEAN_DEGREE * transmission)  # seeds × mean finite cascade size
    assert measured <= 2 * branching, f"T={transmission}: final share {measured:.3f}, branching estimate {branching:.3f}"
    assert measured < 0.05, f"T={transmission}: final share {measured:.3f} is not small"
