"""The culture-adoption model: a value spreads through staff, to customers, and back.

One step is one week. Each week:

1. active levers (``adoption.levers``) act before the week: hires, training, compliance;
2. customers have their moments of truth with the front line (``agents.customers``);
3. every employee feels pressure from believing colleagues, believing leaders
   and the believing customers they served lately ("do it for me now"), to
   which levers add (recognition, communication) or oppose doubt;
4. the influence rule (``adoption.rules``) turns pressure into conviction;
5. the model writes the new state, attributes each new believer to the
   strongest channel (or to a lever's or rule's own source), and records the week.
"""

from __future__ import annotations

import hashlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import mesa
import numpy as np

from adoption import networks
from adoption.networks import recounted, share_of
from adoption.compiled import inline, kernel, threads
from adoption.levers import LEVERS
from adoption.params import ParamError, Params
from adoption.results import DIRECT_SOURCES, Results
from adoption.rules import RULES, SOURCES, Pressure
from adoption.rules.conviction import Conviction, relaxed
from adoption.seeding import SEEDINGS
from agents.customers import Customers, Moments
from agents.employees import Employee, draw_thresholds, organisation
from agents.roles import BELIEF, LEADER, MANAGER, ROLES
from agents.leaders import Leader, leader_signal, watched

PARALLEL_STAFF = 100_000  # employees per thread from which the staff's week runs on several threads
CUSTOMER_MEMORY = 0.75  # weekly decay of what an employee has heard from customers (about a month's memory)
STRUCTURE = ("network", "organisation", "thresholds", "seeding")  # who the organisation is
DYNAMICS = ("customers", "rule", *LEVERS)  # the week-to-week luck


def stream(seed: int, name: str, replicate: int | None = None) -> np.random.Generator:
    """The random stream of one concern (``name``) of the run with root ``seed``.

    Its key is derived from the name alone, never from a position in a list, so
    adding a lever or a concern never reshuffles another's numbers (common
    random numbers for fair comparisons). The week-to-week luck (``DYNAMICS``)
    also carries the ``replicate``; the structure (``STRUCTURE``) does not.
    """
    key = int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(), "little")
    spawn_key = (key,) if replicate is None else (key, replicate)
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=spawn_key))


class Streams(dict):
    """The random stream of each concern by name (:func:`stream`), made on first use: a classroom run
    uses six of them, and making one costs ~25 µs."""

    def __init__(self, seed: int, replicate: int):
        super().__init__()
        self.seed, self.replicate = seed, replicate

    def __missing__(self, name: str) -> np.random.Generator:
        if name not in STRUCTURE and name not in DYNAMICS:
            raise KeyError(name)
        made = self[name] = stream(self.seed, name, self.replicate if name in DYNAMICS else None)
        return made


@dataclass
class State:
    """Employee state, one entry per employee. Only the model writes it."""

    conviction: np.ndarray  # 0..1, belief in the value
    threshold: np.ndarray  # pressure needed to believe (doubt)
    committed: np.ndarray  # the committed share of the initial believers, who never waver
    acting: np.ndarray  # acts on the value: believers, and this week's compliers
    complies: np.ndarray  # acts by the rules this week without believing (compliance_rules)
    empowerment: np.ndarray  # chance of resolving a customer's problem alone (training raises it)
    heard: np.ndarray  # customers served lately (decaying count)
    heard_believing: np.ndarray  # of which believing customers

    @property
    def believes(self) -> np.ndarray:
        return self.conviction >= BELIEF

    @property
    def customers_pressing(self) -> np.ndarray:
        """The believing share of the customers each employee has served lately (0 if none)."""
        return self.heard_believing / np.maximum(self.heard, 1e-12)


class Model(mesa.Model):
    """A run of the culture-adoption model.

    Parameters
    ----------
    params : Params, optional
        All parameters; defaults tell the seed story.
    **overrides
        Parameters to change from ``params`` (validated).
    believers : array of int, optional
        Start with exactly these employees as the committed believers instead
        of asking the ``seeding`` strategy.
    replicate : int, optional
        Another draw of the week-to-week luck (customers, rule, levers) for the
        same organisation: the network, roles and thresholds stay those of
        ``params.seed``.
    people, ties : DataFrame or People/Ties, optional
        An organisation held in memory instead of files (``adoption.organisations``);
        ``network`` may likewise be a networkx graph (node attributes as a people file's columns).

    Examples
    --------
    >>> model = Model(employees=200, customers=2000, seed=7)
    >>> model.state.believes.mean()
    np.float64(0.05)
    >>> results = model.run()
    >>> model.steps, results.steps
    (52, 52)
    """

    def __init__(self, params: Params | None = None, /, *, believers: np.ndarray | None = None, replicate: int = 0,
                 **overrides):
        in_memory = {name: overrides.pop(name) for name in ("people", "ties", "network")
                     if name in overrides and not isinstance(overrides[name], str)}
        if params is None:
            params = Params.from_dict(overrides)
        elif overrides:
            params = params.replace(**overrides)
        super().__init__(rng=params.seed)
        # one stream per concern, keyed by its name: changing one never reshuffles the others
        self.streams = Streams(params.seed, replicate)
        self._believers = believers
        self.network = networks.build(params, self.streams["network"], **in_memory)
        if self.network.n != params.employees:  # a file or the karate club decides the size
            params = params.replace(employees=self.network.n)
        self.params = params
        self.organisation = organisation(params, self.network.attributes, self.streams["organisation"])
        self.front_line = self.organisation.front_line
        self.customers = Customers(params.customers, params.moments_per_customer_per_week,
                                   params.customer_openness, params.customer_disappointment)
        self.state = self._initial_state()
        self.rule = RULES[params.rule]()
        self.rule.setup(self, self.streams["rule"])
        self.service_factor = 1.0  # share of empowered service staff can afford to give (economics)
        self.economy = {"customer_base": float("nan"), "profit": float("nan"), "morale": float("nan")}
        self.levers = [lever(self, self.streams[name]) for name, lever in LEVERS.items() if lever.active(params)]
        self.results = Results(params.to_dict())
        self._role_sizes = np.maximum(np.bincount(self.organisation.role, minlength=len(ROLES)), 1)
        # the week's tallies, filled afresh by the kernels each week
        self._per_role, self._by_source = np.zeros(len(ROLES)), np.zeros(len(SOURCES), dtype=np.int64)
        self._by_direct_source = np.zeros(len(DIRECT_SOURCES), dtype=np.int64)
        self._moments_total = 0
        if "unit_names" in self.network.attributes:  # an organisation from files: follow each unit by name
            self.results.unit_names = [str(name) for name in self.network.attributes["unit_names"]]
            self.results.unit_sizes = np.bincount(self.organisation.unit, minlength=len(self.results.unit_names))
        for name in in_memory:  # what made this run cannot be written down as a file name
            self.results.params[name] = f"(in memory: {type(in_memory[name]).__name__})"
        self._employees: mesa.agent.AgentSet | None = None
        self._direct = dict.fromkeys(DIRECT_SOURCES, 0)  # this week's conversions made by levers
        self._departures = 0
        self.changes: list[tuple[int, dict]] = []  # (week, parameter changes) applied during the run
        self._record(Moments(0, 0, None, None, None), np.zeros(len(SOURCES), int), 0)

    def _initial_state(self) -> State:
        n, params, given = self.network.n, self.params, self.network.attributes
        thresholds = draw_thresholds(params, n, self.streams["thresholds"])
        if "threshold" in given:  # a people file's own thresholds, where it gives them
            own = np.isfinite(given["threshold"])
            thresholds[own] = given["threshold"][own]
        if self._believers is not None:
            initial = np.asarray(self._believers, dtype=np.int64)
        else:
            k = int(round(params.initial_believers * n))
            initial = SEEDINGS[params.seeding](self, k, self.streams["seeding"])
        conviction = np.zeros(n)
        conviction[initial] = 1.0
        committed = None
        if self._believers is None and params.seeding == "file" and "committed" in given:
            committed = given["committed"].copy()  # the file says who never wavers
        else:  # only a share of the first believers is committed
            committed = np.zeros(n, dtype=bool)
            keep = int(round(params.committed * len(initial)))
            if keep < len(initial):
                initial = self.streams["seeding"].choice(initial, keep, replace=False)
            committed[initial] = True
        return State(conviction, thresholds, committed, acting=conviction >= BELIEF, complies=np.zeros(n, dtype=bool),
                     empowerment=np.full(n, params.empowerment), heard=np.zeros(n), heard_believing=np.zeros(n))

    # --- the week ------------------------------------------------------------
    def step(self) -> None:
        if self.params.interventions:
            changes = self.params.interventions_at(self.steps)
            if changes:
                self._change(self.steps, changes)
        state, params, n = self.state, self.params, self.network.n
        for lever in self.levers:
            lever.before_week(self)
        before, state.acting, good_chance = np.empty(n, dtype=bool), np.empty(n, dtype=bool), np.empty(n)
        _ready(state.conviction, state.complies, state.empowerment, self.service_factor, BELIEF, before,
               state.acting, good_chance)
        moments = self.customers.meet(self.front_line, good_chance, n, self.streams["customers"], convincing=before)
        if not self.levers and type(self.rule) is Conviction and not self.network.complete:  # one compiled pass
            self._record(moments, self._by_source, *self._conviction_week(before, moments))
            if self.steps >= params.steps:
                self.running = False
            return
        pressure = self._pressure(before, moments.served, moments.pressed)  # what staff heard, then the pressure
        for lever in self.levers:
            pressure = lever.adjust(self, pressure, moments)
        state.conviction = self.rule.update(self, pressure, self.streams["rule"])
        state.acting, by_source, direct = np.empty(n, dtype=bool), self._by_source, self._by_direct_source
        lapses, *census = _settle(state.conviction, before, state.complies, pressure.peer, pressure.leader,
                                  pressure.customer, self._credited(), BELIEF, state.acting, by_source, direct,
                                  self.organisation.role, self._role_sizes, self._per_role)
        if direct.any():
            for source, count in zip(DIRECT_SOURCES, direct.tolist()):
                self._direct[source] += count
        for lever in self.levers:
            lever.after_week(self, moments)
        self._record(moments, by_source, lapses, None if self.levers else census)  # levers may change who believes
        if self.steps >= params.steps:
            self.running = False

    def _conviction_week(self, before: np.ndarray, moments: Moments) -> tuple[int, tuple[int, int]]:
        """The rest of the week under the conviction rule when no lever acts, in one compiled pass
        (:func:`_conviction_week`), or for a large organisation in parts on several threads (the same
        numbers); returns the lapses and the census."""
        state, params, n, watching = self.state, self.params, self.network.n, self.organisation.watching
        new, state.acting = np.empty(n), np.empty(n, dtype=bool)
        workers = min(threads(), n // PARALLEL_STAFF) if n >= 2 * PARALLEL_STAFF else 1
        last, counts, indptr, indices, weights, denominator = self.network.counting(before)
        # what every employee's part of the week reads and writes (the arguments the kernels share, in order)
        staff_week = (state.heard, state.heard_believing, moments.served, moments.pressed, CUSTOMER_MEMORY,
                      params.peer_influence, params.leader_influence, params.customer_feedback, state.conviction,
                      state.threshold, state.committed, params.persuasion_rate, params.forgetting, before,
                      state.complies, BELIEF, new, state.acting)
        role = self.organisation.role
        if workers < 2:
            lapses, *census = _conviction_week(last, counts, indptr, indices, weights, denominator, *watching,
                                               self.organisation.units, *staff_week, self._by_source, role,
                                               self._role_sizes, self._per_role)
            state.conviction = new
            return lapses, census
        # a large organisation: colleagues and leaders first, then the employees in parts on several threads
        leaders_believing = _colleagues_and_leaders(last, counts, indptr, indices, weights, before, *watching,
                                                    self.organisation.units)
        bounds, by_source = np.linspace(0, n, workers + 1).astype(np.int64), np.zeros((workers, 3), dtype=np.int64)

        def part(worker: int) -> int:
            return _staff_part(bounds[worker], bounds[worker + 1], counts, denominator, leaders_believing,
                               *staff_week, by_source[worker])
        with ThreadPoolExecutor(workers - 1) as pool:  # this thread serves the first part
            others = [pool.submit(part, worker) for worker in range(1, workers)]
            lapses = part(0) + sum(other.result() for other in others)
        self._by_source[:] = by_source.sum(axis=0)  # counts: the same whatever the parts
        state.conviction = new
        return lapses, _census(new, state.acting, role, self._role_sizes, BELIEF, self._per_role)

    def _credited(self) -> np.ndarray:
        """Per employee, the index into ``DIRECT_SOURCES`` of the rule's own source a conversion this week
        would be credited to (e.g. Bass innovators), else -1; empty when the rule credits none."""
        direct = self.rule.direct_conversions()
        if not direct:
            return _NO_CREDIT
        credited = np.full(self.network.n, -1, dtype=np.int8)
        for source, mask in reversed(direct.items()):  # the first source named wins
            credited[mask] = DIRECT_SOURCES.index(source)
        return credited

    def pressure(self) -> Pressure:
        """This week's persuasion on every employee, by channel."""
        return self._pressure(self.state.believes, _NO_CUSTOMERS, _NO_CUSTOMERS)

    def _pressure(self, believes: np.ndarray, served: np.ndarray, pressed: np.ndarray) -> Pressure:
        """The pressure on staff who believe as ``believes`` says, once this week's customers (``served``
        and ``pressed`` per employee; none if empty) are added to what they heard (one compiled pass)."""
        state, params = self.state, self.params
        leaders_believing = leader_signal(self.organisation, believes)
        return Pressure(*_channels(self.network.neighbour_share(believes), leaders_believing, state.heard,
                                   state.heard_believing, served, pressed, CUSTOMER_MEMORY, params.peer_influence,
                                   params.leader_influence, params.customer_feedback),
                        leaders_believing=leaders_believing)

    # --- what levers and interventions may change ------------------------------
    def intervene(self, **changes) -> None:
        """Change parameters from the next week on (``interventions`` schedules this): levers switched
        on start then, with their own random streams; levers switched off stop."""
        self._change(self.steps + 1, changes)

    def _change(self, week: int, changes: dict) -> None:
        from adoption.params import CHANGEABLE

        for name in changes:
            if name not in CHANGEABLE:
                raise ParamError(f"{name} cannot change during a run; changeable: {', '.join(CHANGEABLE)}")
        old, self.params = self.params, self.params.replace(**changes)
        if "empowerment" in changes:  # a policy change on top of what training added
            self.state.empowerment = np.clip(self.state.empowerment + self.params.empowerment - old.empowerment, 0, 1)
        running = {lever.name: lever for lever in self.levers}
        self.levers = [running.get(name) or lever(self, self.streams[name])
                       for name, lever in LEVERS.items() if lever.active(self.params)]
        self.changes.append((week, dict(changes)))

    def hire(self, leavers: np.ndarray, believing: np.ndarray, threshold: np.ndarray) -> None:
        """Replace ``leavers`` by hires in the same roles: believing ones count as "hiring" conversions."""
        state = self.state
        self._departures += int(state.believes[leavers].sum())
        self._direct["hiring"] += int(believing.sum())
        state.conviction[leavers] = np.where(believing, 1.0, 0.0)
        state.threshold[leavers] = threshold
        state.committed[leavers] = False
        state.empowerment[leavers] = self.params.empowerment
        state.heard[leavers] = 0
        state.heard_believing[leavers] = 0
        self.rule.forget(leavers)

    def train(self, group, empowerment: float, conviction: float) -> None:
        """Raise the ``group``'s empowerment and (less) conviction; crossings count as "training" conversions."""
        state = self.state
        before = state.believes
        state.empowerment[group] = np.minimum(1.0, state.empowerment[group] + empowerment)
        state.conviction[group] += conviction * (1 - state.conviction[group])
        self._direct["training"] += int((state.believes & ~before).sum())

    def comply(self, complies: np.ndarray) -> None:
        """Who acts by the rules this week without believing (compliance_rules); believers act anyway."""
        self.state.complies = complies & ~self.state.believes

    def set_economy(self, *, customer_base: float, profit: float, morale: float, service: float) -> None:
        """The economic loop's week (economics): what is recorded, and the share of empowered service
        staff can afford to give from now on."""
        self.economy.update(customer_base=customer_base, profit=profit, morale=morale)
        self.service_factor = service

    def run_until(self, reached, steps: int | None = None) -> int | None:
        """Step until ``reached(model)`` holds (e.g. consensus) and return that week, or None if it does not
        within ``steps`` more weeks (default: up to ``params.steps``). Stopping early saves long horizons."""
        todo = self.params.steps - self.steps if steps is None else steps
        for _ in range(max(todo, 0)):
            self.step()
            if reached(self):
                return self.steps
        return None

    def run(self, steps: int | None = None) -> Results:
        """Run ``steps`` more weeks (default: up to ``params.steps``) and return the results."""
        todo = self.params.steps - self.steps if steps is None else steps
        if todo > 0 and self._only_weekly_steps():
            self._steps_without_events(todo)
        else:
            for _ in range(max(todo, 0)):
                self.step()
        return self.results

    def _only_weekly_steps(self) -> bool:
        """Whether Mesa's clock holds nothing but the weekly step (no event or simulator of a user's)."""
        schedule = self._default_schedule
        return (self._simulator is None and schedule.is_active and len(self._event_list) == 1
                and schedule.next_scheduled_time == self.time + 1)

    def _steps_without_events(self, weeks: int) -> None:
        """``weeks`` steps as Mesa's ``step()`` makes them (``steps`` counted, ``time`` advanced), without
        scheduling an event for each: Mesa's event per step costs ~20 µs, a fifth of a classroom week.
        The weekly step is paused meanwhile (``_default_schedule`` is how Mesa's own examples reach it)."""
        schedule, week = self._default_schedule, type(self).step
        schedule.pause()
        done = 0
        try:
            for done in range(1, weeks + 1):
                self.steps += 1
                week(self)
        finally:
            self.time += done
            schedule.resume()

    # --- records and views ---------------------------------------------------
    def _record(self, moments: Moments, by_source: np.ndarray, lapses: int, census=None) -> None:
        """Record the week: one row of ``Results``, in the order of ``adoption.results.SERIES``. ``census``:
        believers and those acting, already counted (with ``_per_role``) if nothing changed since."""
        state, n, per_role, economy = self.state, len(self.state.conviction), self._per_role, self.economy
        believers, acting, conviction = census or _census(state.conviction, state.acting, self.organisation.role,
                                                          self._role_sizes, BELIEF, per_role)
        self._moments_total += moments.count
        self.results.record_row([
            believers / n, *per_role.tolist(), acting / n, conviction / n, self.customers.believer_share,
            moments.good / moments.count if moments.count else float("nan"), moments.count, self._moments_total,
            *by_source.tolist(), *self._direct.values(), lapses,  # _direct: in the order of DIRECT_SOURCES
            self._departures, economy["customer_base"], economy["profit"], economy["morale"]])
        self._direct = dict.fromkeys(DIRECT_SOURCES, 0)
        self._departures = 0
        if self.results.unit_names is not None:
            self.results.unit_believers.append(np.bincount(self.organisation.unit, weights=state.believes,
                                                           minlength=len(self.results.unit_names)))

    @property
    def employees(self) -> mesa.agent.AgentSet:
        """Every employee as a Mesa agent view (built on first use: sweeps never pay for objects)."""
        if self._employees is None:
            role = self.organisation.role
            views = [(Leader if role[i] in (LEADER, MANAGER) else Employee)(self, i) for i in range(self.network.n)]
            self._employees = mesa.agent.AgentSet(views, random=self.random)
        return self._employees

    @property
    def people(self):
        """The people table of an organisation read from files (extra columns included), else None."""
        return self.network.attributes.get("people")

    def employee(self, index: int) -> Employee:
        """The view of one employee (leaders and managers are :class:`Leader` views)."""
        return self.employees.to_list()[index]


_NO_CREDIT = np.zeros(0, dtype=np.int8)  # no employee is credited to a rule's own source


@kernel
def _ready(conviction, complies, empowerment, service, belief, believes, acting, good_chance):
    """Before the customers come: who believes, who acts on the value (believers and compliers) and the
    chance that a moment with each employee serves the customer well (acting × empowerment × service)."""
    for who in range(conviction.size):
        believes[who] = conviction[who] >= belief
        acting[who] = believes[who] | complies[who]
        good_chance[who] = acting[who] * empowerment[who] * service


_NO_CUSTOMERS = np.zeros(0)


@kernel
def _channels(peer_share, leaders_believing, heard, heard_believing, served, pressed, memory, peer_influence,
              leader_influence, customer_feedback):
    """The weighted channels of pressure: colleagues, leaders and the believing share of the customers
    served lately (:attr:`State.customers_pressing`). First, unless ``served`` is empty, what each
    employee heard from customers fades by ``memory`` and this week's are added (in place)."""
    n = peer_share.size
    if served.size:
        for who in range(n):
            _hear(who, heard, heard_believing, served, pressed, memory)
    peer, leader, customer = np.empty(n), np.empty(n), np.empty(n)
    for who in range(n):
        peer[who], leader[who], customer[who] = _channels_of(peer_share[who], leaders_believing[who], heard[who],
                                                            heard_believing[who], peer_influence, leader_influence,
                                                            customer_feedback)
    return peer, leader, customer


@inline
def _hear(who, heard, heard_believing, served, pressed, memory):
    """What ``who`` heard from customers: last weeks' fading by ``memory``, plus this week's."""
    heard[who] = heard[who] * memory + served[who]
    heard_believing[who] = heard_believing[who] * memory + pressed[who]


@inline
def _channels_of(peer_share, leaders_believing, heard, heard_believing, peer_influence, leader_influence,
                 customer_feedback):
    """The three weighted channels of pressure on one employee (peer, leader, customer), from their
    believing shares of colleagues and leaders and what they heard from customers."""
    return (peer_influence * peer_share, leader_influence * leaders_believing,
            customer_feedback * (heard_believing / max(heard, 1e-12)))


@kernel
def _settle(conviction, before, complies, peer, leader, customer, credited, belief, acting, by_source, direct, role,
            role_sizes, per_role):
    """After the rule: who acts (believers and this week's compliers) and whom each new believer is
    credited to (counted afresh into ``by_source`` and ``direct``): a rule's own source where ``credited``
    names one, else the strongest channel of pressure (:meth:`Pressure.strongest`: peer, then leader,
    on a tie). Returns the lapses and the week's census (:func:`_census`)."""
    lapses = 0
    by_source[:] = 0
    direct[:] = 0
    for who in range(conviction.size):
        lapses += _credit(who, conviction[who] >= belief, before, complies, peer[who], leader[who], customer[who],
                          credited, acting, by_source, direct)
    return (lapses, *_count(conviction, acting, role, role_sizes, belief, per_role))


@inline
def _credit(who, believes, before, complies, peer, leader, customer, credited, acting, by_source, direct):
    """Whether ``who`` acts, and the credit if they came to believe (see :func:`_settle`); 1 if they lapsed.
    (Bitwise ``|`` and ``&`` on the flags: numba compiles ``or`` on a flag argument into a slow branch.)"""
    acting[who] = believes | complies[who]
    lapsed = 0
    if believes & ~before[who]:
        if credited.size and credited[who] >= 0:
            direct[credited[who]] += 1
        else:
            channel, strongest = 0, peer
            if leader > strongest:
                channel, strongest = 1, leader
            if customer > strongest:
                channel = 2
            by_source[channel] += 1
    elif before[who] & ~believes:
        lapsed = 1
    return lapsed


@kernel
def _conviction_week(last, counts, indptr, indices, weights, denominator, executives, managers, manager_units, staff,
                     staff_units, staff_weight, units, heard, heard_believing, served, pressed, memory,
                     peer_influence, leader_influence, customer_feedback, conviction, threshold, committed, rate,
                     forgetting, before, complies, belief, new, acting, by_source, role, role_sizes, per_role):
    """The staff's week under the conviction rule when no lever acts (no doubt, no credit of its own), in one
    pass: believing colleagues (``adoption.networks.recounted``, ``share_of``: ``Network.counting``), the
    leader signal (``agents.leaders.watched``), what each heard (:func:`_hear`), the channels
    (:func:`_channels_of`), the rule (``adoption.rules.conviction.relaxed``), the credit (:func:`_credit`) and
    the census (:func:`_count`): the same numbers as :meth:`Model._pressure`, ``Conviction.update`` and
    :func:`_settle` one after another. New conviction into ``new``; returns lapses, believers, those acting."""
    recounted(before, last, counts, indptr, indices, weights)
    leaders_believing = watched(before, executives, managers, manager_units, staff, staff_units, staff_weight, units)
    by_source[:] = 0
    lapses = _staff_range(0, conviction.size, counts, denominator, leaders_believing, heard, heard_believing, served,
                          pressed, memory, peer_influence, leader_influence, customer_feedback, conviction, threshold,
                          committed, rate, forgetting, before, complies, belief, new, acting, by_source)
    return (lapses, *_count(new, acting, role, role_sizes, belief, per_role))


@kernel
def _colleagues_and_leaders(last, counts, indptr, indices, weights, before, executives, managers, manager_units, staff,
                            staff_units, staff_weight, units):
    """The first part of :func:`_conviction_week` for a large organisation, whose employees are then served
    on several threads (:func:`_staff_part`): believing colleagues counted, and the leader signal."""
    recounted(before, last, counts, indptr, indices, weights)
    return watched(before, executives, managers, manager_units, staff, staff_units, staff_weight, units)


@kernel
def _staff_part(lo, hi, counts, denominator, leaders_believing, heard, heard_believing, served, pressed, memory,
                peer_influence, leader_influence, customer_feedback, conviction, threshold, committed, rate,
                forgetting, before, complies, belief, new, acting, by_source):
    """Employees ``lo`` to ``hi`` of :func:`_conviction_week` (one thread's part); credits into its own
    ``by_source``; returns its lapses."""
    by_source[:] = 0
    return _staff_range(lo, hi, counts, denominator, leaders_believing, heard, heard_believing, served, pressed,
                        memory, peer_influence, leader_influence, customer_feedback, conviction, threshold,
                        committed, rate, forgetting, before, complies, belief, new, acting, by_source)


@inline
def _staff_range(lo, hi, counts, denominator, leaders_believing, heard, heard_believing, served, pressed, memory,
                 peer_influence, leader_influence, customer_feedback, conviction, threshold, committed, rate,
                 forgetting, before, complies, belief, new, acting, by_source):
    """Each employee from ``lo`` to ``hi`` (colleagues' counts and the leader signal done): what they heard,
    the channels, the rule and the credit; returns the lapses. Employees are independent here, so parts
    of the staff may run on several threads with the same numbers."""
    lapses = 0
    for who in range(lo, hi):
        _hear(who, heard, heard_believing, served, pressed, memory)
        peer, leader, customer = _channels_of(share_of(who, counts, denominator), leaders_believing[who], heard[who],
                                              heard_believing[who], peer_influence, leader_influence,
                                              customer_feedback)
        new[who] = relaxed(conviction[who], peer, leader, customer, threshold[who], 0.0, committed[who], rate,
                           forgetting)
        lapses += _credit(who, new[who] >= belief, before, complies, peer, leader, customer, _NO_CREDIT, acting,
                          by_source, by_source)
    return lapses


@kernel
def _census(conviction, acting, role, role_sizes, belief, per_role):
    """Believers and those acting on the value, counted; the believing share of each role into ``per_role``
    (overwritten)."""
    return _count(conviction, acting, role, role_sizes, belief, per_role)


@inline
def _count(conviction, acting, role, role_sizes, belief, per_role):
    """The census of :func:`_census`."""
    believers = acting_count = 0
    per_role[:] = 0
    for who in range(conviction.size):
        believes = conviction[who] >= belief
        believers += believes
        per_role[role[who]] += believes
        acting_count += acting[who]
    for code in range(per_role.size):
        per_role[code] /= role_sizes[code]
    return believers, acting_count, _numpy_sum(conviction)


@inline
def _numpy_sum(values):
    """``values.sum()`` added in numpy's order, so the same float: pairwise, halving at multiples of eight
    down to blocks of at most 128, each added in eight interleaved partial sums (numpy's ``pairwise_sum``,
    here without recursion: a stack of halves, each waiting for its left sum, then its right)."""
    starts, sizes, waiting, lefts = (np.zeros(64, dtype=np.int64), np.zeros(64, dtype=np.int64),
                                     np.zeros(64, dtype=np.int64), np.zeros(64))
    sizes[0], depth, total = values.size, 0, 0.0
    while depth >= 0:
        start, size = starts[depth], sizes[depth]
        if size <= 128:  # a block: ``total`` goes back to the half that asked for it
            total = _block_sum(values, start, size)
            depth -= 1
            continue
        half = size // 2 - (size // 2) % 8
        if waiting[depth] == 0:  # the left half first
            waiting[depth] = 1
            starts[depth + 1], sizes[depth + 1], waiting[depth + 1] = start, half, 0
            depth += 1
        elif waiting[depth] == 1:  # the left sum is in: the right half
            lefts[depth], waiting[depth] = total, 2
            starts[depth + 1], sizes[depth + 1], waiting[depth + 1] = start + half, size - half, 0
            depth += 1
        else:
            total = lefts[depth] + total
            depth -= 1
    return total


@inline
def _block_sum(values, start, size):
    """A block of :func:`_numpy_sum`: in order below eight values, else eight partial sums added in pairs."""
    if size < 8:
        total = 0.0
        for at in range(start, start + size):
            total += values[at]
        return total
    partial = values[start: start + 8].copy()
    end = start + size - size % 8
    for at in range(start + 8, end, 8):
        for lane in range(8):
            partial[lane] += values[at + lane]
    total = ((partial[0] + partial[1]) + (partial[2] + partial[3])) + ((partial[4] + partial[5]) +
                                                                      (partial[6] + partial[7]))
    for at in range(end, start + size):
        total += values[at]
    return total


def run(params: Params | None = None, /, **overrides) -> Results:
    """Build a model and run it to ``params.steps``: the one-line API.

    Examples
    --------
    >>> run(employees=100, customers=1000, steps=3, seed=1).steps
    3
    """
    return Model(params, **overrides).run()
