"""Complex contagion: belief needs reinforcement from several distinct colleagues."""

from __future__ import annotations

import numpy as np

from adoption.compiled import kernel
from adoption.rules.base import Pressure, Rule
from adoption.rules.outside import against, voices


class Complex(Rule):
    """Believe once at least min_contacts distinct colleagues believe.

    One believing colleague is not enough: a costly or controversial value
    needs social reinforcement. Centola & Macy (2007) showed that such complex
    contagions spread through clustered networks (wide bridges of overlapping
    ties) and stall on randomised networks of the same degree, where long ties
    reach people who have only one believing contact: clustering helps, the
    reverse of simple contagion. Leaders and customers add their pressure ×
    degree to the count of believing contacts (colleague-share units, see
    :mod:`adoption.rules.outside`). Adoption is permanent unless ``forgetting`` > 0.

    References
    ----------
    Centola, D. & Macy, M. (2007). Complex contagions and the weakness of long ties.
    American Journal of Sociology 113(3), 702–734.
    """

    name = "complex"
    parameters = ("min_contacts", "forgetting", "committed")

    def update(self, model, pressure: Pressure, rng: np.random.Generator) -> np.ndarray:
        params, network, believes = model.params, model.network, model.state.believes
        lapse_draws = rng.random(network.n) if params.forgetting > 0 else np.zeros(0)
        new = np.empty(network.n)
        _reinforce(believes, network.neighbour_count(believes), network.degree, *voices(pressure, network.n),
                   params.min_contacts, lapse_draws, params.forgetting, model.state.committed, new)
        return new


def reinforce_reference(believes, colleagues_believing, degree, pro, con, min_contacts, lapse_draws, forgetting,
                        committed):
    """The complex-contagion week in numpy (the statement of :func:`_reinforce`)."""
    contacts = colleagues_believing + (pro - con) * degree
    new = believes | (contacts >= min_contacts - 1e-9)  # tolerate rounding in pressure × degree
    if forgetting > 0:
        new &= ~(~committed & (lapse_draws < forgetting))
    return new


@kernel
def _reinforce(believes, colleagues_believing, degree, pro, con, min_contacts, lapse_draws, forgetting, committed,
               new):
    """One complex-contagion week, employee by employee (see :func:`reinforce_reference`)."""
    for who in range(believes.size):
        believing = believes[who] or \
            colleagues_believing[who] + (pro[who] - against(con, who)) * degree[who] >= min_contacts - 1e-9
        if forgetting > 0 and believing and not committed[who] and lapse_draws[who] < forgetting:
            believing = False
        new[who] = 1.0 if believing else 0.0
