"""Bass diffusion as an agent rule: innovation from outside, imitation of adopters."""

from __future__ import annotations

import numpy as np

from adoption.rules.base import Pressure, Rule
from adoption.rules.outside import lapsed, outside_pressure


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
        params, believes = model.params, model.state.believes
        social = np.maximum(model.network.neighbour_share(believes) + outside_pressure(pressure), 0.0)
        draw = rng.random(len(believes))
        adopting = ~believes & (draw < params.innovation + params.imitation * social)
        self.innovators = adopting & (draw < params.innovation)
        believes = believes | adopting
        believes &= ~lapsed(believes, model.state.committed, params.forgetting, rng)
        return believes.astype(np.float64)

    def direct_conversions(self) -> dict[str, np.ndarray]:
        return {"innovation": self.innovators}
