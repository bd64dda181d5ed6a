"""The service circle: quality → customers kept → profit → pay and morale → quality.

Carlzon's SAS went from an $8M loss to $71M gross profit in one year by
turning this circle; run backwards it is the vicious circle of poor service,
low profit, low pay and worse service. A leadership team that only aims at an
IPO a few years out (a short ``horizon``) cuts investment in people.
"""

from __future__ import annotations

import numpy as np

from adoption.levers.base import Lever
from adoption.rules.base import Pressure

# All money is per week, in units of the starting weekly revenue.
START_COSTS = 1.05  # operating costs: the organisation starts at a 5% operating loss (SAS: an $8M loss)
INVESTMENT = 0.04  # full investment in people (pay, development), as a share of starting revenue
FULL_HORIZON = 156  # a horizon of three years or more funds people fully
QUALITY_MEMORY = 0.8  # weekly decay of the remembered service quality
STABLE_QUALITY = 0.1  # the share of satisfied moments at which the customer base neither shrinks nor grows
CUSTOMER_GROWTH = 0.03  # weekly change of the customer base per unit of quality above STABLE_QUALITY
MARKET = 1.5  # the customer base can grow to at most this multiple of its start (growth slows as it nears)
PAY_SENSITIVITY = 2.0  # how much morale follows the operating margin (pay follows profit)
PEOPLE_MORALE = 0.3  # how much morale follows investment in people
MORALE_SPEED = 0.1  # weekly approach of morale to what pay and investment justify
MORALE_DOUBT = 0.6  # doubt added per unit of morale below ½ (cynicism of the underpaid)


class Economics(Lever):
    """Service quality, customers, profit and morale as one loop (``economics = true``).

    Each week: remembered quality *q* follows the share of satisfied moments of
    truth; the customer base *B* changes by ``CUSTOMER_GROWTH · (q − STABLE_QUALITY)``
    per week (growth slowing logistically toward ``MARKET``);
    revenue is *B*; profit is revenue − costs − investment, with investment in
    people ``INVESTMENT · min(1, horizon / 156)``; morale approaches
    ``½ + PAY_SENSITIVITY · operating margin + PEOPLE_MORALE · (invested share − ½)``. Morale below ½
    makes staff cut corners (their moments of truth succeed less often, by the
    factor 2 · morale) and adds doubt to everyone's conviction.
    """

    name = "economics"
    parameters = ("economics", "horizon")

    @classmethod
    def active(cls, params) -> bool:
        return params.economics

    def __init__(self, model, rng):
        super().__init__(model, rng)
        self.quality = STABLE_QUALITY  # the organisation has been limping along at this quality
        self._publish(model, customer_base=1.0, morale=0.5)

    def adjust(self, model, pressure: Pressure, moments) -> Pressure:
        pressure.doubt = pressure.doubt + MORALE_DOUBT * max(0.0, 0.5 - model.economy["morale"])
        return pressure

    def after_week(self, model, moments) -> None:
        economy = model.economy
        if moments.count:
            self.quality = QUALITY_MEMORY * self.quality + (1 - QUALITY_MEMORY) * moments.good / moments.count
        growth = CUSTOMER_GROWTH * (self.quality - STABLE_QUALITY)
        if growth > 0:
            growth *= max(0.0, 1 - economy["customer_base"] / MARKET)
        customer_base = economy["customer_base"] * (1 + growth)
        operating = customer_base - START_COSTS
        invested = invested_share(model.params.horizon)  # read weekly: a new horizon acts at once
        target = np.clip(0.5 + PAY_SENSITIVITY * operating + PEOPLE_MORALE * (invested - 0.5), 0, 1)
        self._publish(model, customer_base, economy["morale"] + MORALE_SPEED * (target - economy["morale"]))

    @staticmethod
    def _publish(model, customer_base: float, morale: float) -> None:
        """Hand the week's economy to the model: profit after investment, and the service morale affords."""
        profit = customer_base - START_COSTS - INVESTMENT * invested_share(model.params.horizon)
        model.set_economy(customer_base=customer_base, profit=profit, morale=float(morale),
                          service=min(1.0, 2 * float(morale)))


def invested_share(horizon: int) -> float:
    """The share of full investment in people a leadership with this horizon (weeks) makes."""
    return min(1.0, horizon / FULL_HORIZON)
