"""Turnover and hiring for fit: leavers are replaced by hires selected (or not) for the culture."""

from __future__ import annotations

import numpy as np

from adoption.levers.base import Lever
from adoption.params import WEEKS_PER_YEAR
from agents.employees import draw_thresholds


class Turnover(Lever):
    """Each week a share ``turnover / 52`` of staff leave and are replaced in the same role.

    A hire shares the value on arrival with probability ``hiring_fit`` (a
    "hiring" conversion); selection for fit also lowers every hire's doubt:
    their threshold is drawn like everyone's and scaled by ``1 − hiring_fit``.
    Without selection, hires arrive as doubters, so turnover alone slowly
    dilutes a culture (and drains away committed believers).
    """

    name = "turnover"
    parameters = ("turnover", "hiring_fit")

    @classmethod
    def active(cls, params) -> bool:
        return params.turnover > 0

    def before_week(self, model) -> None:
        params, n = model.params, model.network.n
        leavers = np.flatnonzero(self.rng.random(n) < params.turnover / WEEKS_PER_YEAR)
        if len(leavers) == 0:
            return
        fits = self.rng.random(len(leavers)) < params.hiring_fit
        thresholds = draw_thresholds(params, len(leavers), self.rng)
        model.hire(leavers, believing=fits, threshold=thresholds * (1 - params.hiring_fit))
