"""360-degree communication: treat employees as the first customers and talk in every direction."""

from __future__ import annotations

from adoption.levers.base import Lever
from adoption.rules.base import Pressure


class Communication(Lever):
    """Internal communication across units and levels widens whom staff hear from.

    With intensity *w*, the share *w* of what an employee hears comes from the
    whole organisation (town halls, open channels, skip-level talks) rather
    than from their own colleagues, so the peer channel becomes
    ``peer_influence · ((1 − w) · colleagues' believing share + w · organisation's
    believing share)``. Believers in one corner are heard everywhere.
    """

    name = "communication"
    parameters = ("communication",)

    @classmethod
    def active(cls, params) -> bool:
        return params.communication > 0

    def adjust(self, model, pressure: Pressure, moments) -> Pressure:
        w, params = model.params.communication, model.params
        everyone = model.state.believes.mean()
        pressure.peer = (1 - w) * pressure.peer + w * params.peer_influence * everyone
        return pressure
