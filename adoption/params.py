"""The one validated parameter object of a run.

Every parameter is declared once, here, with its default, unit, allowed range
and meaning. The CLI ``--set``, scenario files, sweep specs, the app's controls
and the README's parameter table are all generated from these declarations.

Rates that depend on time say their unit: one step is one week, and
``contacts_per_customer`` is per *year* (the SAS figure), so a parameter means
the same thing at every scale.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

WEEKS_PER_YEAR = 52
BUILTIN_NETWORKS = ("org_chart", "small_world", "erdos_renyi", "scale_free", "complete", "karate")


class ParamError(ValueError):
    """A parameter value that is not allowed; the message names parameter, value and rule."""


def _param(default, meaning, unit="", *, low=None, high=None, choices=None, integer=False, group="organisation",
           kind=None):
    """Declare a parameter. ``kind`` is "flag" (true/false) or "weeks" (a list of step numbers) where not
    implied by ``low``/``choices``."""
    return field(
        default=default,
        metadata=dict(meaning=meaning, unit=unit, low=low, high=high, choices=choices, integer=integer, group=group,
                      kind=kind),
    )


@dataclass(frozen=True)
class Params:
    """All parameters of one run; validated at construction.

    Examples
    --------
    >>> Params(employees=200).employees
    200
    >>> Params(employees=-3)
    Traceback (most recent call last):
    ...
    adoption.params.ParamError: employees=-3: must be an integer from 2 to 10000000
    """

    # --- organisation -------------------------------------------------------
    employees: int = _param(300, "number of employees", "people", low=2, high=10_000_000, integer=True)
    network: str = _param(
        "org_chart",
        "organisation network: a built-in name or a GraphML/GML/edge-list file",
        choices=BUILTIN_NETWORKS,
    )
    people: str = _param(
        "", "your organisation: a people file (HR export: CSV, Parquet or XLSX; see docs/organisations.md) or a "
        "built-in one; empty for a synthetic organisation", choices=("example_org", "medical_innovation"),
    )
    ties: str = _param("", "who works with whom: a ties file (source, target[, weight, relation]) for the people "
                       "file; empty for reporting lines and units only")
    weight_reporting: float = _param(1.0, "people file: weight of a reporting line in peer pressure", "weight",
                                     low=0.0, high=100.0)
    weight_unit: float = _param(1.0, "people file: weight of a tie between colleagues of one unit", "weight",
                                low=0.0, high=100.0)
    weight_ties: float = _param(1.0, "people file: weight of an average tie of the ties file (its weights scaled "
                                "to mean 1)", "weight", low=0.0, high=100.0)
    mean_degree: float = _param(8.0, "average number of colleagues each employee talks to", "ties", low=1.0,
                                high=1000.0)
    rewiring: float = _param(0.1, "small_world: share of ties rewired at random", "probability", low=0.0, high=1.0)
    unit_size: int = _param(12, "people per unit (team), manager included", "people", low=2, high=100_000, integer=True)
    leaders_share: float = _param(0.02, "share of employees who are executives", "share", low=0.0, high=0.5)
    frontline_share: float = _param(
        0.6, "share of employees on the front line (the staff customers meet)", "share", low=0.0, high=1.0
    )
    # --- the value and how it spreads among staff ----------------------------
    initial_believers: float = _param(
        0.05, "share of employees who believe the value at step 0 (committed)", "share", low=0.0, high=1.0,
        group="spread",
    )
    seeding: str = _param("random", "whom to convince first (rollout strategy)", group="spread")
    rule: str = _param("conviction", "influence rule that turns pressure into belief", group="spread")
    threshold: float = _param(
        0.4, "mean persuasion pressure an employee needs before believing (doubt)", "pressure", low=0.0, high=10.0,
        group="spread",
    )
    threshold_sd: float = _param(0.3, "spread of thresholds across employees", "pressure", low=0.0, high=10.0,
                                 group="spread")
    peer_influence: float = _param(0.6, "conviction rule: weight of the believing share of one's colleagues",
                                   "pressure", low=0.0, high=10.0, group="spread")
    leader_influence: float = _param(0.3, "weight of one's leaders believing (unit manager and executives)",
                                     "pressure", low=0.0, high=10.0, group="spread")
    persuasion_rate: float = _param(0.8, "how fast conviction moves toward its balance point", "per week",
                                    low=0.0, high=10.0, group="spread")
    forgetting: float = _param(0.0, "conviction lost each week without reinforcement", "per week", low=0.0,
                               high=1.0, group="spread")
    # --- literature rules (rule = cascade, bass, naming_game, complex, voter; see docs/rules.md) -------------
    transmission: float = _param(
        0.1, "cascade: chance a new believer convinces each non-believing colleague (one try each)", "probability",
        low=0.0, high=1.0, group="rules",
    )
    innovation: float = _param(
        0.03, "bass: chance a non-believer adopts on their own in a week (p, external influence)", "per week",
        low=0.0, high=1.0, group="rules",
    )
    imitation: float = _param(
        0.38, "bass: extra weekly adoption chance when all one's colleagues believe (q, imitation)", "per week",
        low=0.0, high=1.0, group="rules",
    )
    committed: float = _param(
        1.0, "share of the initial believers who never change their mind (the committed minority is "
        "initial_believers × committed)", "share", low=0.0, high=1.0, group="spread",
    )
    min_contacts: int = _param(
        2, "complex: distinct believing colleagues needed before one believes", "people", low=1, high=1000,
        integer=True, group="rules",
    )
    # --- customers and moments of truth ---------------------------------------
    customers: int = _param(5000, "number of customers", "people", low=0, high=100_000_000, integer=True,
                            group="customers")
    contacts_per_customer: float = _param(
        5.0, "moments of truth per customer per year (SAS: about 5)", "per year", low=0.0, high=1000.0,
        group="customers",
    )
    empowerment: float = _param(
        0.8, "chance a front-line employee who acts on the value may resolve the problem alone", "probability",
        low=0.0, high=1.0, group="customers",
    )
    customer_openness: float = _param(
        0.6, "how far one good moment of truth moves a customer toward expecting the value", "share", low=0.0,
        high=1.0, group="customers",
    )
    customer_disappointment: float = _param(
        0.05, "how far one poor moment of truth moves a customer away from it", "share", low=0.0, high=1.0,
        group="customers",
    )
    customer_feedback: float = _param(
        1.0, "weight of believing customers pressing the staff who serve them ('do it for me now')",
        "pressure", low=0.0, high=10.0, group="customers",
    )
    # --- leadership levers (defaults switch each off: zero strength is the baseline) ---
    leader_consistency: float = _param(
        1.0, "leaders' word-deed consistency: 1 lives the value, 0 says A and writes B (watchers lose conviction)",
        "share", low=0.0, high=1.0, group="levers",
    )
    recognition: float = _param(
        0.0, "weight of leaders publicly thanking staff for value-driven acts (good moments of truth)", "pressure",
        low=0.0, high=10.0, group="levers",
    )
    recognition_reach: str = _param("unit", "who sees a public thank-you: the unit, or the whole organisation",
                                    choices=("unit", "organisation"), group="levers")
    communication: float = _param(
        0.0, "360-degree internal communication: share of what staff hear that comes from the whole organisation "
        "rather than their own colleagues", "share", low=0.0, high=1.0, group="levers",
    )
    turnover: float = _param(0.0, "share of staff who leave each year and are replaced by hires", "per year",
                             low=0.0, high=1.0, group="levers")
    hiring_fit: float = _param(
        0.0, "selection for cultural fit: chance a hire already shares the value (and lowers hires' doubt)",
        "probability", low=0.0, high=1.0, group="levers",
    )
    training: float = _param(0.0, "empowerment each training wave adds to the trained (belief rises a quarter as much)",
                             "probability", low=0.0, high=1.0, group="levers")
    training_weeks: tuple = _param((4, 12), "weeks at which training waves happen", "weeks", group="levers",
                                   kind="weeks")
    training_group: str = _param("front_line", "who is trained", group="levers",
                                 choices=("front_line", "manager", "leader", "back_office", "everyone"))
    compliance_rules: float = _param(
        0.0, "scripted rules: chance a supervised non-believer acts by the rules this week (compliance, not "
        "conviction)", "probability", low=0.0, high=1.0, group="levers",
    )
    economics: bool = _param(False, "economic loop: service quality -> customers kept -> profit -> pay and morale "
                             "-> service quality", group="levers", kind="flag")
    horizon: int = _param(
        156, "leadership's investment horizon (economics): shorter cuts investment in people", "weeks", low=1,
        high=100_000, integer=True, group="levers",
    )
    interventions: tuple = _param(
        (), "changes during the run, each WEEK:NAME=VALUE (from that week on), e.g. 20:recognition=0.5",
        "weeks", group="levers", kind="schedule",
    )
    # --- the run ---------------------------------------------------------------
    steps: int = _param(52, "weeks to simulate", "weeks", low=0, high=100_000, integer=True, group="run")
    seed: int = _param(0, "root random seed; the same seed gives the same numbers", low=0, high=2**63 - 1,
                       integer=True, group="run")

    def __post_init__(self):
        for f in FIELDS:
            object.__setattr__(self, f.name, _checked(f, getattr(self, f.name)))
        if self.ties and not self.people:  # it would be ignored without a word
            raise ParamError(f"ties={self.ties[:80]}: a ties file needs a people file (people=FILE): its ids are "
                             f"the people's")
        if self.people:  # the people file decides the head count (read once per process)
            from adoption.organisations import head_count

            object.__setattr__(self, "employees", head_count(self.people, self.ties))
        late = [entry for entry in self.interventions if int(entry.partition(":")[0]) > self.steps]
        if late:  # it would never apply: say so rather than run without it
            raise ParamError(f"interventions: {late[0][:80]}: week {int(late[0].partition(':')[0]):,} is after the "
                             f"last week of the run (steps={self.steps})")

    # ------------------------------------------------------------------------
    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> "Params":
        """Parameters from a mapping (a scenario file, a sweep point); unknown names are errors."""
        known = SPECS
        for name in values:
            if name not in known:
                raise ParamError(f"{name}: unknown parameter{_did_you_mean(name, known)}; "
                                 f"see `adoption params` for the list")
        return cls(**values)

    def replace(self, **changes) -> "Params":
        """A copy with some parameters changed (validated again)."""
        return self.from_dict({**self.to_dict(), **changes})

    def to_dict(self) -> dict[str, Any]:
        """Plain data (lists, not tuples), as written to JSON, TOML and Parquet."""
        values = ((f.name, getattr(self, f.name)) for f in FIELDS)  # plain values: no deep copy needed
        return {name: list(value) if isinstance(value, tuple) else value for name, value in values}

    def interventions_at(self, week: int) -> dict[str, Any]:
        """The parameter changes scheduled for ``week`` (validated values)."""
        changes = {}
        for entry in self.interventions:
            at, _, assignment = entry.partition(":")
            if int(at) == week:
                name, value = parse_assignment(assignment)
                changes[name] = _checked(SPECS[name], value)
        return changes

    @property
    def moments_per_customer_per_week(self) -> float:
        return self.contacts_per_customer / WEEKS_PER_YEAR


def parse_assignment(text: str) -> tuple[str, Any]:
    """``NAME=VALUE`` from the command line, the value converted to the parameter's type."""
    if "=" not in text:
        raise ParamError(f"--set {text}: expected NAME=VALUE, e.g. --set employees=500")
    name, raw = (part.strip() for part in text.split("=", 1))
    spec = SPECS.get(name)
    if spec is None:
        raise ParamError(f"{name}: unknown parameter{_did_you_mean(name, SPECS)}; see `adoption params` for the list")
    return name, _convert(spec, raw)


def as_text(name: str, value) -> str:
    """A value as ``--set NAME=...`` reads it back (the inverse of :func:`parse_assignment`).

    Examples
    --------
    >>> as_text("training_weeks", (4, 12)), as_text("interventions", ("20:recognition=0.5", "30:turnover=0.1"))
    ('4,12', '20:recognition=0.5;30:turnover=0.1')
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (tuple, list)):
        return (";" if SPECS[name].metadata["kind"] == "schedule" else ",").join(str(v) for v in value)
    return str(value)


def _convert(spec: dataclasses.Field, raw: str):
    if spec.metadata["kind"] == "flag":
        return {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False}.get(raw.lower(), raw)
    if spec.metadata["kind"] == "schedule":
        return tuple(part.strip() for part in raw.split(";") if part.strip())
    if spec.metadata["kind"] == "weeks":
        try:
            return tuple(int(part) for part in raw.replace(" ", "").split(",") if part)
        except ValueError:
            raise ParamError(f"{spec.name}={raw}: must be week numbers separated by commas, e.g. 4,12") from None
    if spec.type in ("int", int) or spec.metadata["integer"]:
        try:
            number = float(raw)
        except ValueError:
            raise ParamError(f"{spec.name}={raw}: must be an integer") from None
        return int(number) if number.is_integer() else number  # a non-integer fails validation clearly
    if spec.type in ("float", float):
        try:
            return float(raw)
        except ValueError:
            raise ParamError(f"{spec.name}={raw}: must be a number") from None
    return raw


def _checked(spec: dataclasses.Field, value):
    meta, name = spec.metadata, spec.name
    if meta["kind"] == "flag":
        if not isinstance(value, bool):
            raise ParamError(f"{name}={value!r}: must be true or false")
        return value
    if meta["kind"] == "schedule":
        entries = tuple(value) if isinstance(value, (list, tuple)) else None
        if entries is None:
            raise ParamError(f"{name}={value!r}: must be a list of WEEK:NAME=VALUE entries, e.g. [\"20:recognition=0.5\"]")
        return tuple(sorted((_checked_intervention(entry) for entry in entries), key=lambda e: int(e.split(":")[0])))
    if meta["kind"] == "weeks":
        weeks = tuple(value) if isinstance(value, (list, tuple)) else None
        if weeks is None or not all(isinstance(w, int) and not isinstance(w, bool) and w >= 1 for w in weeks):
            raise ParamError(f"{name}={value!r}: must be a list of week numbers >= 1, e.g. [4, 12]")
        return tuple(sorted(set(weeks)))
    if meta["integer"]:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int) or not meta["low"] <= value <= meta["high"]:
            raise ParamError(f"{name}={value!r}: must be an integer from {meta['low']} to {meta['high']}")
        return value
    if meta["low"] is not None:  # a real number
        if isinstance(value, bool) or not isinstance(value, (int, float)) or math.isnan(value):
            raise ParamError(f"{name}={value!r}: must be a number from {meta['low']} to {meta['high']}")
        if not meta["low"] <= value <= meta["high"]:
            raise ParamError(f"{name}={value!r}: must be from {meta['low']} to {meta['high']} ({meta['unit']})")
        return float(value)
    if not isinstance(value, str):
        raise ParamError(f"{name}={value!r}: must be text, one of {', '.join(_choices(name))}")
    if name == "network":
        return _checked_network(value)
    if name in ("people", "ties"):
        return _checked_table(name, value)
    allowed = _choices(name)
    if value not in allowed:
        raise ParamError(f"{name}={value}: unknown; allowed: {', '.join(allowed)}{_did_you_mean(value, allowed)}")
    return value


# parameters the model reads afresh every week, so that an intervention can change them mid-run
CHANGEABLE = ("peer_influence", "leader_influence", "persuasion_rate", "forgetting", "customer_feedback", "empowerment",
              "leader_consistency", "recognition", "recognition_reach", "communication", "turnover", "hiring_fit",
              "training", "training_group", "compliance_rules", "horizon")


def _checked_intervention(entry) -> str:
    """``WEEK:NAME=VALUE``, the value validated as the parameter's own; returned in a normal form."""
    week, _, assignment = str(entry).partition(":")
    if not week.strip().isdecimal() or int(week) < 1 or "=" not in assignment:
        raise ParamError(f"interventions: {entry!r}: must be WEEK:NAME=VALUE with WEEK >= 1, e.g. 20:recognition=0.5")
    try:
        name, value = parse_assignment(assignment)
        if name not in CHANGEABLE:
            raise ParamError(f"{name} cannot change during a run; changeable: {', '.join(CHANGEABLE)}")
        value = _checked(SPECS[name], value)
    except ParamError as error:
        raise ParamError(f"interventions: {entry!r}: {error}") from None
    return f"{int(week)}:{name}={value}"


def _checked_network(value: str) -> str:
    if value in BUILTIN_NETWORKS:
        return value
    looks_like_file = any(sep in value for sep in "/\\") or Path(value).suffix
    if not looks_like_file:
        raise ParamError(f"network={value}: unknown; allowed: {', '.join(BUILTIN_NETWORKS)} or a graph file "
                         f"(.graphml, .gml, .edgelist){_did_you_mean(value, BUILTIN_NETWORKS)}")
    try:
        found = Path(value).is_file()
    except (OSError, ValueError):  # a name too long for the file system, a NUL character
        found = False
    if not found:
        raise ParamError(f"network: file not found: {value[:80]}")
    return value


REGISTERED = ("rule", "seeding")  # parameters whose allowed names are their registry's keys


def _checked_table(name: str, value: str) -> str:
    """A built-in organisation's name, a table file that exists, or empty."""
    from adoption.organisations import BUILTIN, TABLE_SUFFIXES

    if value == "" or (value in BUILTIN and name == "people"):
        return value
    shown = value if len(value) <= 80 else value[:79] + "…"
    try:
        exists = Path(value).is_file()
    except (OSError, ValueError):  # a name too long for the file system, a NUL byte
        exists = False
    if not exists:
        if name == "people" and not any(sep in value for sep in "/\\") and not Path(value).suffix:
            raise ParamError(f"people={shown}: unknown; allowed: {', '.join(BUILTIN)} or a people file "
                             f"({', '.join(TABLE_SUFFIXES)}){_did_you_mean(value, BUILTIN)}")
        raise ParamError(f"{name}: file not found: {shown}")
    if Path(value).suffix.lower() not in TABLE_SUFFIXES:
        raise ParamError(f"{name}={shown}: unknown file type; allowed: {', '.join(TABLE_SUFFIXES)}")
    return value


def _choices(name: str) -> tuple[str, ...]:
    """Allowed names: for rules and seedings the registry's (plug-ins included), never a copy of it."""
    if name == "rule":
        from adoption.rules import RULES

        return tuple(RULES)
    if name == "seeding":
        from adoption.seeding import SEEDINGS

        return tuple(SEEDINGS)
    return SPECS[name].metadata["choices"] or ()


def _did_you_mean(name: str, known) -> str:
    import difflib

    close = difflib.get_close_matches(name, list(known), n=1)
    return f" (did you mean {close[0]}?)" if close else ""


FIELDS = dataclasses.fields(Params)  # worked out once: validation and to_dict run for every model
SPECS: dict[str, dataclasses.Field] = {f.name: f for f in FIELDS}


def describe(name: str) -> dict[str, Any]:
    """A parameter's declaration as plain data (for tables, sliders and docs)."""
    spec = SPECS[name]
    meta = dict(spec.metadata)
    if meta["choices"] is not None or name in REGISTERED:
        meta["choices"] = _choices(name)
    return dict(name=name, default=spec.default, **meta)
