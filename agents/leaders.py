"""Leaders: executives and unit managers, whose belief everyone watches.

Employees look up to their unit's manager and to the executive team. The
leader pressure on an employee is the believing share of the leaders they
watch: a value lived at the top is a value staff take seriously.
"""

from __future__ import annotations

import numpy as np

from adoption.compiled import inline, kernel
from agents.employees import Employee, Organisation
from agents.roles import LEADER


def leader_signal(org: Organisation, believes: np.ndarray) -> np.ndarray:
    """Per employee, the believing share of the leaders they watch (0..1).

    Staff in a unit with a manager average the manager's belief with the
    executives'; managers and executives watch the executives only.
    :func:`leader_signal_reference` states it in numpy; this is its compiled pass.
    """
    watching = org.watching
    return _signal(believes, watching.executives, watching.managers, watching.manager_units, watching.staff,
                   watching.staff_units, watching.staff_weight, org.units)


def leader_signal_reference(org: Organisation, believes: np.ndarray) -> np.ndarray:
    """The statement of :func:`leader_signal` in numpy."""
    watching = org.watching
    top = believes[watching.executives].mean() if len(watching.executives) else 0.0
    per_unit = np.bincount(watching.manager_units, weights=believes[watching.managers], minlength=org.units)
    signal = np.full(len(believes), top)
    staff = watching.staff
    signal[staff] = (per_unit[watching.staff_units] * watching.staff_weight + top) / 2
    return signal


@kernel
def _signal(believes, executives, managers, manager_units, staff, staff_units, staff_weight, units):
    """:func:`leader_signal_reference` in one pass (believing counts are whole numbers: the same floats)."""
    return watched(believes, executives, managers, manager_units, staff, staff_units, staff_weight, units)


@inline
def watched(believes, executives, managers, manager_units, staff, staff_units, staff_weight, units):
    """The body of :func:`_signal`, for kernels that fold the leader signal into a larger pass."""
    top = 0.0
    for executive in executives:
        top += believes[executive]
    if executives.size:
        top /= executives.size
    per_unit = np.zeros(units)
    for manager, unit in zip(managers, manager_units):
        per_unit[unit] += believes[manager]
    signal = np.full(believes.size, top)
    for who, unit, weight in zip(staff, staff_units, staff_weight):
        signal[who] = (per_unit[unit] * weight + top) / 2
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
