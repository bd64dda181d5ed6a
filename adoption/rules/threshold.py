"""Granovetter–Watts linear threshold rule."""

from __future__ import annotations

import numpy as np

from adoption.rules.base import Pressure, Rule
from adoption.rules.outside import lapsed, outside_pressure


class Threshold(Rule):
    """Adopt once the believing share of one's colleagues reaches one's threshold; adoption is permanent.

    The linear threshold model of Granovetter (1978) as studied on random
    networks by Watts (2002): an employee adopts when the believing share of
    their colleagues, plus leaders' and customers' pressure in the same unit
    (:mod:`adoption.rules.outside`), reaches θᵢ + doubt. With
    ``leader_influence = 0`` and ``customers = 0`` it is the textbook rule.
    With ``forgetting > 0``, each believer who is not committed lapses with
    that probability per week.

    References
    ----------
    Granovetter, M. (1978). Threshold models of collective behavior. AJS 83(6).
    Watts, D. J. (2002). A simple model of global cascades on random networks. PNAS 99(9).
    """

    name = "threshold"
    parameters = ("threshold", "threshold_sd", "forgetting")

    def update(self, model, pressure: Pressure, rng: np.random.Generator) -> np.ndarray:
        state = model.state
        share = model.network.neighbour_share(state.believes) + outside_pressure(pressure)
        believes = state.believes | (share >= state.threshold)
        believes &= ~lapsed(believes, state.committed, model.params.forgetting, rng)
        return believes.astype(np.float64)
