"""The story model: conviction grows under pressure and fades under doubt."""

from __future__ import annotations

import math

import numpy as np

from adoption.compiled import inline, kernel
from adoption.rules.base import Pressure, Rule
from adoption.rules.outside import against, doubts


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
        n = len(state.conviction)
        new = np.empty(n)
        _relax(state.conviction, pressure.peer, pressure.leader, pressure.customer, state.threshold,
               doubts(pressure.doubt, n), state.committed, params.persuasion_rate, params.forgetting, new)
        return new


def relax_reference(conviction, peer, leader, customer, threshold, doubt, committed, rate, forgetting):
    """The conviction week in numpy (the statement of :func:`_relax`; ``math.exp``, the C library's, as in
    the kernel: numpy's vectorised exp may differ in the last bit)."""
    push = rate * (peer + leader + customer)
    speed = push + rate * (threshold + doubt) + forgetting
    balance = np.divide(push, speed, out=conviction.copy(), where=speed > 0)
    new = balance + (conviction - balance) * np.array([math.exp(-s) for s in speed])
    new[committed] = 1.0
    return new


@kernel
def _relax(conviction, peer, leader, customer, threshold, doubt, committed, rate, forgetting, new):
    """One conviction week, employee by employee, into ``new`` (see :func:`relax_reference`; ``doubt`` from
    :func:`adoption.rules.outside.doubts`)."""
    for who in range(conviction.size):
        new[who] = relaxed(conviction[who], peer[who], leader[who], customer[who], threshold[who], against(doubt, who),
                           committed[who], rate, forgetting)


@inline
def relaxed(conviction, peer, leader, customer, threshold, doubt, committed, rate, forgetting):
    """One employee's conviction after the week (:func:`relax_reference`); the model's compiled week
    (``adoption.model``) calls it too."""
    if committed:
        return 1.0
    push = rate * (peer + leader + customer)
    speed = push + rate * (threshold + doubt) + forgetting
    balance = push / speed if speed > 0 else conviction
    return balance + (conviction - balance) * np.exp(-speed)
