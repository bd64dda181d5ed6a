"""Leaders: executives and unit managers, whose belief everyone watches.

Employees look up to their unit's manager and to the executive team. The
leader pressure on an employee is the believing share of the leaders they
watch: a value lived at the top is a value staff take seriously.
"""

from __future__ import annotations

import numpy as np

from agents.employees import LEADER, MANAGER, Employee, Organisation


def leader_signal(org: Organisation, believes: np.ndarray) -> np.ndarray:
    """Per employee, the believing share of the leaders they watch (0..1).

    Staff in a unit with a manager average the manager's belief with the
    executives'; managers and executives watch the executives only.
    """
    executives = org.role == LEADER
    top = believes[executives].mean() if executives.any() else 0.0
    managers = org.role == MANAGER
    per_unit = np.bincount(org.unit[managers], weights=believes[managers], minlength=org.units)
    led = np.bincount(org.unit[managers], minlength=org.units)
    has_manager = led[org.unit] > 0
    unit_share = per_unit[org.unit] / np.maximum(led[org.unit], 1)
    staff = has_manager & ~managers & ~executives
    return np.where(staff, (unit_share + top) / 2, top)


class Leader(Employee):
    """An executive or a manager: an employee whose belief others watch."""

    @property
    def watched_by(self) -> int:
        """How many employees look up to this leader."""
        org = self.model.organisation
        if org.role[self.index] == LEADER:
            return len(org.role)
        return int((org.unit == org.unit[self.index]).sum()) - 1
