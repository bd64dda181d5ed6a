"""The story model: conviction grows under pressure and fades under doubt."""

from __future__ import annotations

import numpy as np

from adoption.rules.base import Pressure, Rule


class Conviction(Rule):
    """Conviction relaxes toward the balance of persuasion and doubt.

    For employee *i* with conviction *c*, this week's pressure *P* (peers +
    leaders + customers) and threshold θᵢ (their doubt), conviction follows ::

        dc/dt = r · (P · (1 − c) − θᵢ · c) − f · c

    with ``r = persuasion_rate`` and ``f = forgetting`` (per week; levers' doubt
    adds to θᵢ), solved
    exactly over the week so that large rates never overshoot. Its balance
    point is c* = rP / (r(P + θᵢ) + f): without forgetting an employee comes to
    believe (c ≥ ½) exactly when the pressure on them exceeds their threshold,
    as in Granovetter's (1978) threshold model, but gradually: persuasion takes
    patience, and belief that loses its support fades. Committed believers
    (the initial ones) keep conviction 1.
    """

    name = "conviction"
    parameters = ("threshold", "threshold_sd", "persuasion_rate", "forgetting")

    def update(self, model, pressure: Pressure, rng: np.random.Generator) -> np.ndarray:
        state, params = model.state, model.params
        push = params.persuasion_rate * pressure.total
        speed = push + params.persuasion_rate * (state.threshold + pressure.doubt) + params.forgetting
        balance = np.divide(push, speed, out=state.conviction.copy(), where=speed > 0)
        new = balance + (state.conviction - balance) * np.exp(-speed)
        new[state.committed] = 1.0
        return new
