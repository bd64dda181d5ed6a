"""The same week written the idiomatic Mesa way: one agent object per employee and per customer.

This is the baseline ``benchmarks/scale.py`` measures the vectorised model
against: what a user would write first from the Mesa tutorials. Every customer
is an ``Agent``; each week every customer is stepped (``shuffle_do``), draws
its Poisson number of moments of truth, picks a front-line employee object for
each, and updates its belief; then every employee weighs peers, leaders and
customers and updates its conviction. The organisation (network, roles,
thresholds, first believers) is taken from :class:`adoption.Model` so that the
two compute the same science; only the way the week is computed differs.

Run it alone: ``python benchmarks/mesa_reference.py`` (1,000 staff, 50,000
customers, a few weeks) prints seconds per week.
"""

from __future__ import annotations

import math
import sys
import time

import mesa
import numpy as np

from adoption import Model, Params
from adoption.model import CUSTOMER_MEMORY
from agents.roles import BELIEF, LEADER, MANAGER


class Customer(mesa.Agent):
    """A passenger: their belief that the company puts customers first."""

    def __init__(self, model: "MesaOrganisation"):
        super().__init__(model)
        self.belief = 0.0

    def step(self) -> None:
        model, params = self.model, self.model.params
        believed = self.belief >= BELIEF
        genuine = poor = 0
        for _ in range(model.rng.poisson(model.moments_per_week)):
            server = self.random.choice(model.front_line)
            server.served += 1
            server.pressed += believed
            good = self.random.random() < server.acting * server.empowerment
            genuine += good and server.believes
            poor += not good
        self.belief = 1 - (1 - self.belief) * (1 - params.customer_openness) ** genuine
        self.belief *= (1 - params.customer_disappointment) ** poor


class Staff(mesa.Agent):
    """An employee with conviction, doubt (threshold), colleagues and a unit."""

    def __init__(self, model: "MesaOrganisation", index: int):
        super().__init__(model)
        state = model.vectorised.state
        self.index = index
        self.role = int(model.vectorised.organisation.role[index])
        self.unit = int(model.vectorised.organisation.unit[index])
        self.conviction = float(state.conviction[index])
        self.threshold = float(state.threshold[index])
        self.committed = bool(state.committed[index])
        self.empowerment = float(state.empowerment[index])
        self.heard = self.heard_believing = 0.0
        self.served = self.pressed = 0
        self.colleagues: list[Staff] = []
        self.manager: Staff | None = None
        self.next_conviction = self.conviction

    @property
    def believes(self) -> bool:
        return self.conviction >= BELIEF

    @property
    def acting(self) -> bool:
        return self.believes

    def weigh(self) -> None:
        """Hear the week's customers, feel the pressure, and decide next week's conviction."""
        model, params = self.model, self.model.params
        self.heard = self.heard * CUSTOMER_MEMORY + self.served
        self.heard_believing = self.heard_believing * CUSTOMER_MEMORY + self.pressed
        self.served = self.pressed = 0
        peer = sum(c.believes for c in self.colleagues) / max(len(self.colleagues), 1)
        staff = self.role not in (LEADER, MANAGER) and self.manager is not None
        leader = (self.manager.believes + model.top) / 2 if staff else model.top
        customer = self.heard_believing / max(self.heard, 1e-12)
        push = params.persuasion_rate * (params.peer_influence * peer + params.leader_influence * leader
                                         + params.customer_feedback * customer)
        speed = push + params.persuasion_rate * self.threshold + params.forgetting
        balance = push / speed if speed > 0 else self.conviction
        self.next_conviction = 1.0 if self.committed else balance + (self.conviction - balance) * math.exp(-speed)

    def commit(self) -> None:
        self.conviction = self.next_conviction


class MesaOrganisation(mesa.Model):
    """The organisation and its customers as Mesa agents (the per-agent baseline)."""

    def __init__(self, params: Params | None = None, /, **overrides):
        params = (params or Params()).replace(**overrides) if overrides else (params or Params())
        super().__init__(rng=params.seed)
        self.params = params
        self.vectorised = Model(params)  # the same organisation and first believers
        self.moments_per_week = params.moments_per_customer_per_week
        staff = [Staff(self, i) for i in range(self.vectorised.network.n)]
        net = self.vectorised.network
        managers = {s.unit: s for s in staff if s.role == MANAGER}
        for person in staff:
            person.colleagues = [staff[j] for j in net.indices[net.indptr[person.index]: net.indptr[person.index + 1]]]
            person.manager = managers.get(person.unit)
        self.staff = mesa.agent.AgentSet(staff, random=self.random)
        self.executives = [s for s in staff if s.role == LEADER]
        self.front_line = [staff[i] for i in self.vectorised.front_line]
        self.customers = mesa.agent.AgentSet([Customer(self) for _ in range(params.customers)], random=self.random)
        self.top = 0.0

    def step(self) -> None:
        self.customers.shuffle_do("step")
        self.top = (sum(e.believes for e in self.executives) / len(self.executives)) if self.executives else 0.0
        self.staff.shuffle_do("weigh")
        self.staff.do("commit")

    @property
    def believers(self) -> float:
        return float(np.mean([s.believes for s in self.staff]))


def seconds_per_week(employees: int = 1_000, customers: int = 50_000, weeks: int = 3, seed: int = 0) -> float:
    """Median seconds per week of the per-agent model (after building it)."""
    model = MesaOrganisation(Params(employees=employees, customers=customers, seed=seed))
    times = []
    for _ in range(weeks):
        start = time.perf_counter()
        model.step()
        times.append(time.perf_counter() - start)
    return float(np.median(times))


if __name__ == "__main__":
    weeks = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    print(f"idiomatic Mesa, 1,000 staff / 50,000 customers: {seconds_per_week(weeks=weeks):.3f} s per week")
