"""Complex contagion: belief needs reinforcement from several distinct colleagues."""

from __future__ import annotations

import numpy as np

from adoption.rules.base import Pressure, Rule
from adoption.rules.outside import lapsed, outside_pressure


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
        contacts = network.neighbour_sum(believes) + outside_pressure(pressure) * network.degree
        new = believes | (contacts >= params.min_contacts - 1e-9)  # tolerate rounding in pressure × degree
        new &= ~lapsed(new, model.state.committed, params.forgetting, rng)
        return new.astype(np.float64)
