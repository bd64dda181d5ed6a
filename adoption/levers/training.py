"""Training waves: skill and empowerment for a group at given weeks, a little belief as well."""

from __future__ import annotations

from adoption.levers.base import Lever
from agents.roles import ROLES


class Training(Lever):
    """At each week in ``training_weeks`` the ``training_group`` is trained.

    Training adds ``training`` to the trained staff's empowerment (capped at 1)
    — the ground staff who can now re-book a late VIP without asking — and a
    quarter as much to their conviction: training builds skill more than belief.
    """

    name = "training"
    parameters = ("training", "training_weeks", "training_group")

    @classmethod
    def active(cls, params) -> bool:
        return params.training > 0 and len(params.training_weeks) > 0

    def before_week(self, model) -> None:
        params = model.params
        if model.steps not in params.training_weeks:
            return
        role = model.organisation.role
        group = slice(None) if params.training_group == "everyone" else role == ROLES.index(params.training_group)
        model.train(group, empowerment=params.training, conviction=params.training / 4)
