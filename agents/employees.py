"""Employees: roles and units as arrays, and a thin Mesa agent view per person.

The model owns all employee state as numpy arrays indexed by employee; an
:class:`Employee` object only reads them, so the step stays vectorised while
users, tutorials and the app can still inspect people one by one.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, NamedTuple

import mesa
import numpy as np

from agents.roles import BACK_OFFICE, FRONT_LINE, LEADER, MANAGER, ROLES

if TYPE_CHECKING:  # adoption imports the agents: a run-time import here would be circular
    from adoption.params import Params



class Watching(NamedTuple):
    """Who watches which leaders: staff watch their unit's managers and the executives."""

    executives: np.ndarray  # indices
    managers: np.ndarray  # indices
    manager_units: np.ndarray  # unit of each manager
    staff: np.ndarray  # indices of staff in a unit with a manager
    staff_units: np.ndarray  # their units
    staff_weight: np.ndarray  # 1 / managers in their unit


@dataclass
class Organisation:
    """Who is who: each employee's role and unit (unit 0 is the executive team for org charts).

    Roles and units never change during a run (a hire takes the leaver's
    place), so what is derived from them is worked out once.
    """

    role: np.ndarray  # int8 codes into ROLES
    unit: np.ndarray  # int, 0..units-1
    customer_facing: np.ndarray | None = None  # meets customers; None: the front line does

    @cached_property
    def front_line(self) -> np.ndarray:
        """Indices of the customer-facing staff (where moments of truth happen)."""
        if self.customer_facing is not None:
            return np.flatnonzero(self.customer_facing)
        return np.flatnonzero(self.role == FRONT_LINE)

    @cached_property
    def units(self) -> int:
        return int(self.unit.max()) + 1

    @cached_property
    def watching(self) -> Watching:
        executives = np.flatnonzero(self.role == LEADER)
        managers = np.flatnonzero(self.role == MANAGER)
        led = np.bincount(self.unit[managers], minlength=self.units)
        staff = np.flatnonzero((led[self.unit] > 0) & (self.role != MANAGER) & (self.role != LEADER))
        return Watching(executives, managers, self.unit[managers], staff, self.unit[staff],
                        1.0 / led[self.unit[staff]])


def org_structure(params: Params) -> tuple[np.ndarray, np.ndarray]:
    """Roles and units in index order: executives, then units each led by a manager.

    Units are either customer-facing (all members front line) or back office,
    so that a pilot unit (``seeding=unit``) is a real team of one kind.
    """
    n = params.employees
    executives = min(n - 1, max(1, round(params.leaders_share * n))) if params.leaders_share > 0 else 0
    rest = n - executives
    units = -(-rest // params.unit_size)  # ceil
    sizes = np.full(units, rest // units if units else 0)
    sizes[: rest - sizes.sum()] += 1
    role = np.full(n, BACK_OFFICE, dtype=np.int8)
    role[:executives] = LEADER
    unit = np.zeros(n, dtype=np.int64)
    starts = executives + np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)
    unit[executives:] = np.repeat(np.arange(1, units + 1), sizes)
    role[starts] = MANAGER
    # customer-facing units first, until the front line reaches its share of all staff
    front_target = round(params.frontline_share * n)
    members = sizes - 1
    front_units = int(np.searchsorted(np.cumsum(members), front_target, side="left")) + 1 if front_target else 0
    front_units = min(front_units, units)
    front = (unit >= 1) & (unit <= front_units) & (role == BACK_OFFICE)
    role[front] = FRONT_LINE
    return role, unit


def draw_thresholds(params: Params, size: int, rng: np.random.Generator) -> np.ndarray:
    """Each employee's doubt: log-normal with mean ``threshold`` and standard deviation ``threshold_sd``.

    Log-normal rather than a normal clipped at 0, which put about 9% of staff at
    exactly 0 with the defaults (0.4, 0.3): hidden instigators who believe at the
    first touch of pressure, so that the "5% start" was really a larger one.
    Here nobody has zero doubt unless ``threshold`` is 0.
    """
    mean, sd = params.threshold, params.threshold_sd
    if mean == 0 or sd == 0:
        return np.full(size, float(mean))
    spread = np.log1p((sd / mean) ** 2)  # variance of the log
    return rng.lognormal(np.log(mean) - spread / 2, np.sqrt(spread), size)


def organisation(params: Params, network_attributes: dict, rng: np.random.Generator) -> Organisation:
    """The organisation for a network: its own roles/units if it has them, else a seeded assignment."""
    facing = network_attributes.get("customer_facing")
    if "role" in network_attributes and "unit" in network_attributes:  # the org chart and files: worked out there
        return Organisation(network_attributes["role"].astype(np.int8), network_attributes["unit"], facing)
    # generic graphs: deal the standard structure out to nodes at random
    role, unit = org_structure(params)
    order = rng.permutation(params.employees)
    role, unit = role[order], unit[order]
    if "leaders" in network_attributes:  # e.g. the karate club's instructor and president
        leaders = network_attributes["leaders"]
        role[role == LEADER] = FRONT_LINE
        role[leaders] = LEADER
    if "role" in network_attributes:
        role = network_attributes["role"].astype(np.int8)
    if "unit" in network_attributes:
        unit = network_attributes["unit"]
    return Organisation(role, unit, facing)


class Employee(mesa.Agent):
    """One employee, as a view on the model's arrays (nothing is copied).

    Examples
    --------
    >>> from adoption import Model
    >>> model = Model(employees=50, customers=100, seed=1)
    >>> person = model.employee(0)
    >>> person.role in ROLES, 0.0 <= person.conviction <= 1.0
    (True, True)
    """

    def __init__(self, model, index: int):
        super().__init__(model)
        self.index = index

    @property
    def role(self) -> str:
        return ROLES[self.model.organisation.role[self.index]]

    @property
    def unit(self) -> int:
        return int(self.model.organisation.unit[self.index])

    @property
    def conviction(self) -> float:
        """Belief in the value, 0 (doubter) to 1 (convinced)."""
        return float(self.model.state.conviction[self.index])

    @property
    def believes(self) -> bool:
        return bool(self.model.state.believes[self.index])

    @property
    def acts(self) -> bool:
        """Acts on the value: from conviction, or only by the rules (compliance)."""
        return bool(self.model.state.acting[self.index])

    @property
    def complies_only(self) -> bool:
        """Acts by the rules without believing: compliance, not conviction."""
        return self.acts and not self.believes

    @property
    def colleagues(self) -> list[int]:
        net = self.model.network
        if net.complete:
            return [i for i in range(net.n) if i != self.index]
        return net.indices[net.indptr[self.index]: net.indptr[self.index + 1]].tolist()

    def __repr__(self) -> str:
        return f"Employee({self.index}, {self.role}, unit {self.unit}, conviction {self.conviction:.2f})"
