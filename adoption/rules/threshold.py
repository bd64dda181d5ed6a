"""Granovetter–Watts linear threshold rule."""

from __future__ import annotations

import numpy as np

from adoption.rules.base import Pressure, Rule


class Threshold(Rule):
    """Adopt once the pressure reaches one's threshold; adoption is permanent.

    With only peers (``leader_influence = 0``, ``customers = 0``,
    ``peer_influence = 1``) this is the linear threshold model of Granovetter
    (1978) as studied on random networks by Watts (2002): an employee adopts
    when the believing share of their colleagues reaches θᵢ. With
    ``forgetting > 0``, each believer who is not committed lapses with that
    probability per week.

    References
    ----------
    Granovetter, M. (1978). Threshold models of collective behavior. AJS 83(6).
    Watts, D. J. (2002). A simple model of global cascades on random networks. PNAS 99(9).
    """

    name = "threshold"
    parameters = ("threshold", "threshold_sd", "forgetting")

    def update(self, model, pressure: Pressure, rng: np.random.Generator) -> np.ndarray:
        state = model.state
        believes = state.believes | (pressure.total >= state.threshold + pressure.doubt)
        if model.params.forgetting > 0:
            lapse = rng.random(len(believes)) < model.params.forgetting
            believes &= ~(lapse & ~state.committed)
        return believes.astype(np.float64)
