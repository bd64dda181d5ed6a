"""Independent cascade: each new believer gets one chance to convince each colleague."""

from __future__ import annotations

import numpy as np

from adoption.rules.base import Pressure, Rule
from adoption.rules.outside import lapsed, outside_pressure


class Cascade(Rule):
    """Each new believer convinces each non-believing colleague once, with probability transmission.

    A colleague with k new believers around them this week stays unconvinced
    with probability (1 − T)^k, T = ``transmission``; a believer who has had
    their chance stays a believer but presses no more (Kempe, Kleinberg & Tardos
    2003). On a random network this is bond percolation: a cascade from one
    seed reaches a finite share of the organisation only when T exceeds the
    epidemic threshold ⟨k⟩ / (⟨k²⟩ − ⟨k⟩) (1 / mean degree on ``erdos_renyi``),
    and then its final share S solves S = 1 − exp(−⟨k⟩ T S) (Newman 2002).

    Leaders and customers keep pressing every week: their pressure, in
    colleague-share units, counts as that share of one's colleagues being new
    believers again this week, and levers' doubt cancels as many chances
    (:mod:`adoption.rules.outside`). Adoption is
    permanent unless ``forgetting`` > 0; a believer who lapses and is convinced
    again gets a new chance to pass it on.

    References
    ----------
    Goldenberg, J., Libai, B. & Muller, E. (2001). Talk of the network. Marketing Letters 12(3).
    Kempe, D., Kleinberg, J. & Tardos, É. (2003). Maximizing the spread of influence
    through a social network. KDD '03.
    Newman, M. E. J. (2002). Spread of epidemic disease on networks. Phys. Rev. E 66, 016128.
    """

    name = "cascade"
    parameters = ("transmission", "forgetting", "committed")

    def setup(self, model, rng: np.random.Generator) -> None:
        self.pressed = np.zeros(model.network.n, dtype=bool)  # believers who have had their chance

    def update(self, model, pressure: Pressure, rng: np.random.Generator) -> np.ndarray:
        params, network, believes = model.params, model.network, model.state.believes
        fresh = believes & ~self.pressed
        chances = np.maximum(network.neighbour_sum(fresh) + outside_pressure(pressure) * network.degree, 0.0)
        convinced = rng.random(len(believes)) >= (1.0 - params.transmission) ** chances
        new = believes | convinced
        new &= ~lapsed(new, model.state.committed, params.forgetting, rng)
        self.pressed = new & believes  # this week's believers have now pressed; lapsed ones start afresh
        return new.astype(np.float64)

    def forget(self, leavers: np.ndarray) -> None:
        self.pressed[leavers] = False  # a believing hire gets their own chances
