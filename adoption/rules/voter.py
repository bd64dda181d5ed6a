"""Voter model: each week, take the view of one colleague picked at random."""

from __future__ import annotations

import numpy as np

from adoption.rules.base import Pressure, Rule
from adoption.rules.outside import outside_voices


class Voter(Rule):
    """Every employee copies the belief of one randomly chosen colleague (synchronously, once a week).

    The voter model (Clifford & Sudbury 1973; Holley & Liggett 1975) has no
    thresholds and no conviction: opinion is imitation. On the ``complete``
    network the expected believer share is conserved week to week, and the
    organisation ends in consensus on the value with probability equal to the
    initial believer share. A ``committed`` share of the initial believers are
    zealots who never copy anyone (Mobilia 2003); with ``committed = 0`` the
    model is the textbook one. Leaders and customers are outside voices the
    employee may heed instead of a colleague (:func:`adoption.rules.outside.outside_voices`).

    References
    ----------
    Clifford, P. & Sudbury, A. (1973). A model for spatial conflict. Biometrika 60(3), 581–588.
    Holley, R. A. & Liggett, T. M. (1975). Ergodic theorems for weakly interacting
    infinite systems and the voter model. Annals of Probability 3(4), 643–663.
    Mobilia, M. (2003). Does a single zealot affect an infinite group of voters?
    Phys. Rev. Lett. 91, 028701.
    """

    name = "voter"
    parameters = ("committed",)

    def update(self, model, pressure: Pressure, rng: np.random.Generator) -> np.ndarray:
        believes, n = model.state.believes, model.network.n
        copied = believes[model.network.random_neighbour(np.arange(n), rng)]
        for_value, against = outside_voices(pressure, rng)
        new = np.where(for_value, True, np.where(against, False, copied)) | model.state.committed
        return new.astype(np.float64)
