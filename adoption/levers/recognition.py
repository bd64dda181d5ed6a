"""Recognition: leaders publicly thank staff who acted on the value; staff watch how leaders react."""

from __future__ import annotations

import numpy as np

from adoption.levers.base import Lever
from adoption.rules.base import Pressure


class Recognition(Lever):
    """A public thank-you for a value-driven act persuades those who see it.

    SAS: the president personally thanked the ground-staff employee who solved
    a lost-ticket case on her own. Each week the value-driven acts are the good
    moments of truth given by believers; leaders who themselves believe
    recognise them. Employee *i* feels ``recognition`` × (the share of staff in
    their unit — or in the whole organisation with
    ``recognition_reach = "organisation"`` — who were thanked this week) ×
    (the believing share of the leaders *i* watches). It adds to the leader
    channel: it is leaders' reaction that staff watch.
    """

    name = "recognition"
    parameters = ("recognition", "recognition_reach")

    @classmethod
    def active(cls, params) -> bool:
        return params.recognition > 0

    def adjust(self, model, pressure: Pressure, moments) -> Pressure:
        org, params = model.organisation, model.params
        thanked = moments.convinced > 0
        if params.recognition_reach == "organisation":
            seen = np.full(model.network.n, thanked.mean())
        else:
            per_unit = np.bincount(org.unit, weights=thanked, minlength=org.units)
            seen = (per_unit / np.maximum(np.bincount(org.unit, minlength=org.units), 1))[org.unit]
        pressure.leader = pressure.leader + params.recognition * seen * pressure.leaders_believing
        return pressure
