"""Leaders: executives and unit managers, whose belief everyone watches.

Employees look up to their unit's manager and to the executive team. The
leader pressure on an employee is the believing share of the leaders they
watch: a value lived at the top is a value staff take seriously. Roles and
units do not change during a run, so who watches whom is worked out once.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from agents.employees import LEADER, MANAGER, Employee, Organisation


def leader_signal(org: Organisation, believes: np.ndarray) -> np.ndarray:
    """Per employee, the believing share of the leaders they watch (0..1).

    Staff in a unit with a manager average the manager's belief with the
    executives'; managers and executives watch the executives only.
    """
    watching = _watching(org)
    top = believes[watching.executives].mean() if len(watching.executives) else 0.0
    per_unit = np.bincount(watching.manager_units, weights=believes[watching.managers], minlength=org.units)
    signal = np.full(len(believes), top)
    staff = watching.staff
    signal[staff] = (per_unit[watching.staff_units] * watching.staff_weight + top) / 2
    return signal


class _Watching(NamedTuple):
    """Who watches whom, from roles and units (computed once per organisation)."""

    role: np.ndarray  # the arrays it was computed from, to notice a replaced organisation
    unit: np.ndarray
    executives: np.ndarray  # indices
    managers: np.ndarray  # indices
    manager_units: np.ndarray  # unit of each manager
    staff: np.ndarray  # indices of staff in a unit with a manager
    staff_units: np.ndarray  # their units
    staff_weight: np.ndarray  # 1 / managers in their unit


def _watching(org: Organisation) -> _Watching:
    cached = org.__dict__.get("_watching")
    if cached is not None and cached.role is org.role and cached.unit is org.unit:
        return cached
    executives = np.flatnonzero(org.role == LEADER)
    managers = np.flatnonzero(org.role == MANAGER)
    led = np.bincount(org.unit[managers], minlength=org.units)
    staff = np.flatnonzero((led[org.unit] > 0) & (org.role != MANAGER) & (org.role != LEADER))
    watching = _Watching(org.role, org.unit, executives, managers, org.unit[managers], staff, org.unit[staff],
                         1.0 / led[org.unit[staff]])
    org.__dict__["_watching"] = watching
    return watching


class Leader(Employee):
    """An executive or a manager: an employee whose belief others watch."""

    @property
    def watched_by(self) -> int:
        """How many employees look up to this leader."""
        org = self.model.organisation
        if org.role[self.index] == LEADER:
            return len(org.role)
        return int((org.unit == org.unit[self.index]).sum()) - 1
