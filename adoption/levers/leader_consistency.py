"""Leadership word–deed consistency: a value lived at the top persuades; "say A, write B" breeds doubt."""

from __future__ import annotations

import numpy as np

from adoption.levers.base import Lever
from adoption.rules.base import Pressure


class LeaderConsistency(Lever):
    """Leaders who say the value but do otherwise lower the conviction of those who watch them.

    Carlzon: if the top says A and writes B, the moment of truth fails; values
    must be lived, not posted on walls. With consistency *k*, the leader
    channel keeps the share *k* of its persuasion, and the gap between word and
    deed, ``leader_influence · (1 − k)``, is doubt felt by everyone who watches
    a leader (all staff watch the executives), whatever the leaders believe.
    """

    name = "leader_consistency"
    parameters = ("leader_consistency", "leader_influence")

    @classmethod
    def active(cls, params) -> bool:
        return params.leader_consistency < 1 and params.leader_influence > 0

    def adjust(self, model, pressure: Pressure, moments) -> Pressure:
        consistency = model.params.leader_consistency
        pressure.leader = pressure.leader * consistency
        pressure.doubt = pressure.doubt + model.params.leader_influence * (1 - consistency)
        return pressure
