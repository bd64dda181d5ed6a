"""Independent cascade: each new believer gets one chance to convince each colleague."""

from __future__ import annotations

import numpy as np

from adoption.compiled import kernel
from adoption.rules.base import Pressure, Rule
from adoption.rules.outside import against, voices


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
        draws = rng.random(network.n)
        lapse_draws = rng.random(network.n) if params.forgetting > 0 else draws[:0]
        chances, new = np.empty(network.n), np.empty(network.n)
        _chances(believes, self.pressed, network.indptr, network.indices, network.complete, network.degree,
                 *voices(pressure, network.n), chances)
        unconvinced = chances  # (1 - T)^chances by numpy's vectorised exp, in place
        with np.errstate(divide="ignore", invalid="ignore"):  # T = 1: 0 chances give nan, which convinces nobody
            np.exp(np.multiply(chances, np.log1p(-params.transmission), out=unconvinced), out=unconvinced)
        _transmit(believes, self.pressed, draws, unconvinced, lapse_draws, params.forgetting, model.state.committed,
                  new)
        return new

    def forget(self, leavers: np.ndarray) -> None:
        self.pressed[leavers] = False  # a believing hire gets their own chances


def transmit_reference(believes, pressed, colleagues: list, pro, con, draws, transmission, lapse_draws, forgetting,
                       committed):
    """The cascade week in numpy (the statement of :func:`_transmit`): new believers; ``pressed`` updated."""
    fresh = believes & ~pressed  # believers who have not yet had their chance
    degree = np.array([len(c) for c in colleagues])
    fresh_colleagues = np.array([fresh[c].sum() for c in colleagues], dtype=np.float64)
    chances = np.maximum(fresh_colleagues + (pro - con) * degree, 0.0)
    new = believes | (draws >= np.exp(chances * np.log1p(-transmission)))  # (1 - T)^chances
    if forgetting > 0:
        new &= ~(~committed & (lapse_draws < forgetting))
    pressed[:] = new & believes  # this week's believers have now pressed; lapsed ones start afresh
    return new


@kernel
def _chances(believes, pressed, indptr, indices, complete, degree, pro, con, chances):
    """Each non-believer's chances this week (0 for believers: they need none), see
    :func:`transmit_reference`: fresh believers' ties are walked (a week has few), outside pressure added."""
    n = believes.size
    fresh_colleagues = np.zeros(n)
    fresh_total = 0
    for who in range(n):
        if believes[who] and not pressed[who]:
            fresh_total += 1
            if not complete:
                for tie in range(indptr[who], indptr[who + 1]):
                    fresh_colleagues[indices[tie]] += 1
    for who in range(n):
        fresh = fresh_total if complete else fresh_colleagues[who]
        chances[who] = 0.0 if believes[who] else max(fresh + (pro[who] - against(con, who)) * degree[who], 0.0)


@kernel
def _transmit(believes, pressed, draws, unconvinced, lapse_draws, forgetting, committed, new):
    """Each employee convinced or not (a draw at or above ``unconvinced``, the chance of resisting every
    chance), lapses, and ``pressed`` updated, in one pass (see :func:`transmit_reference`)."""
    for who in range(believes.size):
        believing = believes[who] or draws[who] >= unconvinced[who]
        if forgetting > 0 and believing and not committed[who] and lapse_draws[who] < forgetting:
            believing = False
        new[who] = 1.0 if believing else 0.0
        pressed[who] = believing and believes[who]
