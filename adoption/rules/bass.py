"""Bass diffusion as an agent rule: innovation from outside, imitation of adopters."""

from __future__ import annotations

import numpy as np

from adoption.compiled import kernel
from adoption.rules.base import Pressure, Rule
from adoption.rules.outside import against, voices


class Bass(Rule):
    """Adopt each week with probability p + q × the believing share of one's colleagues.

    ``innovation`` (p) is adoption from outside the organisation's talk (the
    announcement, the press, one's own reflection); ``imitation`` (q) scales the
    pull of believing colleagues. On the ``complete`` network the share is the
    whole organisation's and the expected believer share follows the discrete
    Bass recursion F(t+1) = F(t) + (1 − F(t)) (p + q F(t)), the forward-Euler
    step of Bass's (1969) dF/dt = (p + q F)(1 − F). Leaders and customers add to
    the believing share in colleague-share units (:mod:`adoption.rules.outside`).
    Adoption is permanent unless ``forgetting`` > 0.

    Attribution: an innovator (a draw below p) has no social cause and is
    credited to the ``innovation`` source; imitators go to the strongest
    pressure channel, as under every rule.

    References
    ----------
    Bass, F. M. (1969). A new product growth for model consumer durables.
    Management Science 15(5), 215–227.
    """

    name = "bass"
    parameters = ("innovation", "imitation", "forgetting", "committed")

    def setup(self, model, rng: np.random.Generator) -> None:
        self.innovators = np.zeros(model.network.n, dtype=bool)

    def update(self, model, pressure: Pressure, rng: np.random.Generator) -> np.ndarray:
        params, network, believes = model.params, model.network, model.state.believes
        draws = rng.random(network.n)
        lapse_draws = rng.random(network.n) if params.forgetting > 0 else draws[:0]
        new = np.empty(network.n)
        self.innovators = np.empty(network.n, dtype=bool)
        _adopt(believes, network.neighbour_count(believes), network.degree, *voices(pressure, network.n), draws,
               params.innovation, params.imitation, lapse_draws, params.forgetting, model.state.committed, new,
               self.innovators)
        return new

    def direct_conversions(self) -> dict[str, np.ndarray]:
        return {"innovation": self.innovators}


def adopt_reference(believes, colleagues_believing, degree, pro, con, draws, p, q, lapse_draws, forgetting,
                    committed):
    """The Bass week in numpy (the statement of :func:`_adopt`): new believers and this week's innovators."""
    social = np.maximum(colleagues_believing / np.maximum(degree, 1) + (pro - con), 0.0)
    adopting = ~believes & (draws < p + q * social)
    new = believes | adopting
    if forgetting > 0:
        new &= ~(~committed & (lapse_draws < forgetting))
    return new, adopting & (draws < p)


@kernel
def _adopt(believes, colleagues_believing, degree, pro, con, draws, p, q, lapse_draws, forgetting, committed,
           new, innovators):
    """One Bass week, employee by employee (see :func:`adopt_reference`): writes ``new`` (conviction 0 or 1)
    and ``innovators``."""
    for who in range(believes.size):
        believing = believes[who]
        innovators[who] = False
        if not believing:
            social = max(colleagues_believing[who] / max(degree[who], 1) + (pro[who] - against(con, who)), 0.0)
            believing = draws[who] < p + q * social
            innovators[who] = believing and draws[who] < p
        if forgetting > 0 and believing and not committed[who] and lapse_draws[who] < forgetting:
            believing = False
        new[who] = 1.0 if believing else 0.0
