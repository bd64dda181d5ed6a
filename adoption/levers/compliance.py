"""Compliance rules: scripted behaviour raises acting, not conviction. Rules are not culture."""

from __future__ import annotations

import numpy as np

from adoption.levers.base import Lever
from agents.roles import MANAGER

UNSUPERVISED = 0.5  # without a manager in the unit, compliance lapses half the time


class ComplianceRules(Lever):
    """Each week a non-believer acts by the rules with probability ``compliance_rules``, halved
    where no manager supervises the unit and lapsing under customers' pressure.

    Compliers act: their moments of truth can satisfy a customer (if empowered),
    but a scripted moment does not convince the customer of anything, and
    acting by the rules adds nothing to the complier's own conviction. So
    satisfaction rises while belief, staff's and customers', does not
    (job descriptions alone do not create belief). Under pressure the script
    gives way: the chance to comply falls with the believing share of the
    customers one has served lately, whose "do it for me now" no script covers.
    """

    name = "compliance_rules"
    parameters = ("compliance_rules",)

    @classmethod
    def active(cls, params) -> bool:
        return params.compliance_rules > 0

    def __init__(self, model, rng):
        super().__init__(model, rng)
        org = model.organisation
        managed_units = np.bincount(org.unit[org.role == MANAGER], minlength=org.units) > 0
        self.supervision = np.where(managed_units[org.unit], 1.0, UNSUPERVISED)

    def before_week(self, model) -> None:
        chance = model.params.compliance_rules * self.supervision * (1 - model.state.customers_pressing)
        model.comply(self.rng.random(model.network.n) < chance)
