"""Leaders: executives and unit managers, whose belief everyone watches.

Employees look up to their unit's manager and to the executive team. The
leader pressure on an employee is the believing share of the leaders they
watch: a value lived at the top is a value staff take seriously.
"""

from __future__ import annotations

import numpy as np

from agents.employees import LEADER, Employee, Organisation


def leader_signal(org: Organisation, believes: np.ndarray) -> np.ndarray:
    """Per employee, the believing share of the leaders they watch (0..1).

    Staff in a unit with a manager average the manager's belief with the
    executives'; managers and executives watch the executives only.
    """
    watching = org.watching
    top = believes[watching.executives].mean() if len(watching.executives) else 0.0
    per_unit = np.bincount(watching.manager_units, weights=believes[watching.managers], minlength=org.units)
    signal = np.full(len(believes), top)
    staff = watching.staff
    signal[staff] = (per_unit[watching.staff_units] * watching.staff_weight + top) / 2
    return signal


class Leader(Employee):
    """An executive or a manager: an employee whose belief others watch."""

    @property
    def watched_by(self) -> int:
        """How many employees look up to this leader."""
        org = self.model.organisation
        if org.role[self.index] == LEADER:
            return len(org.role)
        return int((org.unit == org.unit[self.index]).sum()) - 1
