"""A real organisation in: people and ties from HR exports, each person with their own attributes.

A **people file** (CSV, Parquet or XLSX, one row per employee) says who is who;
an optional **ties file** says who works with whom. From them the model builds
its network and per-person state:

========================  ==========================================================
people column             meaning (all optional but ``id``)
========================  ==========================================================
``id``                    unique employee id (also read as ``person``, ``employee_id``)
``manager_id``            the id of the person's manager; empty for the top
``unit``                  team or department label
``role``                  leader, manager, front_line or back_office
``customer_facing``       true/false: meets customers (moments of truth)
``believes``              true/false: believes at the start (``seeding=file``)
``committed``             true/false: a believer who never wavers (``seeding=file``)
``threshold``             the person's own doubt, 0 to 10 (pressure units)
========================  ==========================================================

Where a column is missing it is inferred: people at the top of the chart (no
manager) are leaders, people with reports are managers, everybody else is
front line unless ``customer_facing`` says otherwise; a unit is a manager's
team (the manager and their direct reports); ``customer_facing`` follows the
role. Extra columns are kept (``People.table``) and ignored by the model.

The **ties file** has ``source, target`` (ids) and optionally ``weight`` (e.g.
meeting counts) and ``relation`` (chat, advice, ...); ties are undirected, and
a pair named again in the same relation is a repeat (dropped, with a warning),
while a pair tied in two relations (advice and friendship) is a stronger tie. The network is the
reporting lines, plus ties within each unit, plus the file's ties; each part
carries its weight (``weight_reporting``, ``weight_unit``, ``weight_ties``)
and a pair tied in several ways carries the sum. Peer pressure is the
weighted share of believing colleagues.

Examples
--------
>>> import pandas as pd
>>> people = people_from_frame(pd.DataFrame({"id": ["ceo", "ann", "bob", "cy"],
...                                          "manager_id": ["", "ceo", "ann", "ann"]}))
>>> [ROLES[r] for r in people.role]
['leader', 'manager', 'front_line', 'front_line']
>>> people.unit_names[people.unit].tolist()  # a unit is a manager's team, named after the manager
['ceo', 'ann', 'ann', 'ann']
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from adoption.params import ParamError, Params
from agents.roles import BACK_OFFICE, FRONT_LINE, LEADER, MANAGER, ROLES

DATA = Path(__file__).parent / "data"
# built-in organisations: name -> (people file, ties file, columns renamed to the standard ones)
BUILTIN = {
    "example_org": (DATA / "example_org" / "people.csv", DATA / "example_org" / "ties.csv", {}),
    "medical_innovation": (DATA / "medical_innovation" / "people.csv", DATA / "medical_innovation" / "ties.csv",
                           {"city": "unit"}),
}
TABLE_SUFFIXES = (".csv", ".parquet", ".xlsx")
ID_NAMES = ("id", "person", "employee_id")
ROLE_WORDS = {"leader": LEADER, "executive": LEADER, "manager": MANAGER, "front_line": FRONT_LINE,
              "frontline": FRONT_LINE, "back_office": BACK_OFFICE, "backoffice": BACK_OFFICE}
TRUE_WORDS = {"true", "1", "yes", "y", "t", "1.0"}
FALSE_WORDS = {"false", "0", "no", "n", "f", "0.0", ""}
THRESHOLD_MAX = 10.0  # the same range as the ``threshold`` parameter
UNIT_CLIQUE_MAX = 50  # units up to this size are tied all-to-all; larger ones get mean_degree random ties each
MODEL_COLUMNS = ("id", "manager_id", "unit", "role", "customer_facing", "believes", "committed", "threshold")


@dataclass
class People:
    """Validated people of an organisation, one entry per employee (in file order).

    ``manager`` is the index of each person's manager (-1 at the top);
    ``threshold`` is NaN where the file gives none (then drawn as usual);
    ``believes``/``committed`` are None when the file has no such column.
    ``table`` is the file as read, extra columns included.
    """

    ids: np.ndarray
    manager: np.ndarray
    role: np.ndarray
    unit: np.ndarray
    unit_names: np.ndarray
    customer_facing: np.ndarray
    threshold: np.ndarray
    believes: np.ndarray | None
    committed: np.ndarray | None
    table: object  # pandas.DataFrame
    source: str = "people"

    def __len__(self) -> int:
        return len(self.ids)

    def to_frame(self):
        """The people as a people file, the model's columns first, then the extras: reading it
        back gives the same organisation (the app's export, the round-trip tests)."""
        frame = self.table.copy()
        frame["id"] = self.ids
        frame["manager_id"] = np.where(self.manager >= 0, self.ids[np.maximum(self.manager, 0)], "")
        frame["unit"] = self.unit_names[self.unit]
        frame["role"] = np.array(ROLES)[self.role]
        frame["customer_facing"] = np.where(self.customer_facing, "true", "false")
        frame["threshold"] = np.where(np.isnan(self.threshold), "", self.threshold.astype(str))
        for name in ("believes", "committed"):
            if getattr(self, name) is not None:
                frame[name] = np.where(getattr(self, name), "true", "false")
        first = [c for c in MODEL_COLUMNS if c in frame.columns]
        return frame[first + [c for c in frame.columns if c not in first]]

    def attributes(self) -> dict:
        """Per-person arrays as the model reads them from a network's attributes."""
        values = {"role": self.role, "unit": self.unit, "unit_names": self.unit_names,
                  "customer_facing": self.customer_facing, "threshold": self.threshold, "ids": self.ids,
                  "people": self.table}
        if self.believes is not None:
            values["believes"] = self.believes
        if self.committed is not None:
            values["committed"] = self.committed
        return values


@dataclass
class Ties:
    """Ties between people (indices into ``People``), with their weights and relation labels."""

    source: np.ndarray
    target: np.ndarray
    weight: np.ndarray
    relation: np.ndarray | None


# --- reading tables ------------------------------------------------------------

def read_table(path: str | Path, what: str):
    """A CSV, Parquet or XLSX file as a DataFrame of text-or-number columns; a clear error otherwise."""
    import pandas as pd

    file = Path(path)
    shown = _short_path(path)
    try:
        exists = file.is_file()
    except OSError:  # e.g. a name too long for the file system
        exists = False
    if not exists:
        raise ParamError(f"{what}: file not found: {shown}")
    suffix = file.suffix.lower()
    if suffix not in TABLE_SUFFIXES:
        raise ParamError(f"{what}: {shown}: unknown file type {suffix or '(none)'!r}; allowed: "
                         f"{', '.join(TABLE_SUFFIXES)}")
    if file.stat().st_size == 0:
        raise ParamError(f"{what}: {shown} is empty; expected a table with a header row")
    try:
        if suffix == ".csv":
            header = pd.read_csv(file, nrows=0).columns
            numbers = {"weight", "threshold"}  # read as numbers; every other column (ids!) as text
            frame = pd.read_csv(file, dtype={c: str for c in header if c.strip() not in numbers},
                                engine="pyarrow")  # multi-threaded: 5× the C parser
        elif suffix == ".parquet":
            frame = pd.read_parquet(file)
        else:
            frame = pd.read_excel(file, dtype=object, engine="openpyxl")
    except UnicodeDecodeError:
        raise ParamError(f"{what}: {shown} is not a UTF-8 text table") from None
    except Exception as error:  # pandas, pyarrow and openpyxl raise many kinds for damaged files
        if "utf8" in str(error).lower().replace("-", ""):
            raise ParamError(f"{what}: {shown} is not a UTF-8 text table") from None
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise ParamError(f"{what}: {shown} is not a readable {suffix[1:].upper()} table ({_short(reason)})") from None
    frame.columns = [str(c).strip() for c in frame.columns]
    if len(frame) == 0:
        raise ParamError(f"{what}: {shown} has a header but no rows")
    return frame


def _short(text, limit: int = 80) -> str:
    """A value cut to ``limit`` characters for messages (never echo a whole file line)."""
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _short_path(path) -> str:
    """A file name for messages: its end (the name) kept when the path is long."""
    text = str(path)
    return text if len(text) <= 80 else "…" + text[-79:]


def _text(column) -> np.ndarray:
    """A column as stripped strings, vectorised (numbers like 7.0 from spreadsheets read as "7";
    missing cells as "")."""
    import pandas as pd

    if pd.api.types.is_bool_dtype(column):
        return np.where(column.to_numpy(), "true", "false").astype(object)
    if pd.api.types.is_numeric_dtype(column):
        values = column.to_numpy(dtype=float)
        whole = np.isfinite(values) & (values == np.round(values))
        text = column.astype(str).to_numpy(dtype=object)
        text[whole] = values[whole].astype(np.int64).astype(str)
        text[np.isnan(values)] = ""
        return text
    if column.dtype == object and not column.map(lambda v: isinstance(v, str)).all():  # mixed cells (XLSX)
        column = column.map(lambda v: "" if v is None or (isinstance(v, float) and np.isnan(v)) else
                            str(int(v)) if isinstance(v, float) and v.is_integer() else str(v))
    return column.astype("string").str.strip().fillna("").to_numpy(dtype=object)


def _strings(column):
    """A column as a pandas string Series (Arrow-backed: hashing a million ids is fast), stripped."""
    if column.dtype != "string":
        column = _text(column)
        import pandas as pd

        return pd.Series(column, dtype="string")
    return column.str.strip().fillna("")


def _lower(column) -> np.ndarray:
    import pandas as pd

    return pd.Series(_text(column), dtype="string").str.lower().to_numpy(dtype=object)


def _flags(column, name: str, ids: np.ndarray, source: str) -> np.ndarray:
    words = _lower(column)
    truth = np.isin(words, list(TRUE_WORDS))
    bad = ~truth & ~np.isin(words, list(FALSE_WORDS))
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise ParamError(f"{source}: row {row + 2} (id {_short(ids[row], 40)}): {name}={_short(words[row], 40)!r} "
                         f"is not true/false")
    return truth


# --- people --------------------------------------------------------------------

def read_people(path: str | Path, rename: dict | None = None) -> People:
    """The people of an organisation from an HR export (see the module docstring for the columns)."""
    frame = read_table(path, "people")
    if rename:
        frame = frame.rename(columns=rename)
    return people_from_frame(frame, source=f"people: {_short_path(path)}")


def people_from_frame(frame, source: str = "people") -> People:
    """Validated :class:`People` from a DataFrame with the people-file columns."""
    import pandas as pd

    if not isinstance(frame, pd.DataFrame):
        raise ParamError(f"{source}: expected a table (DataFrame), got {type(frame).__name__}")
    id_column = next((name for name in ID_NAMES if name in frame.columns), None)
    if id_column is None:
        raise ParamError(f"{source}: no `id` column; found columns: {_short(', '.join(map(str, frame.columns)))}")
    frame = frame.reset_index(drop=True).rename(columns={id_column: "id"})
    ids = _text(frame["id"])
    n = len(ids)
    if n < 2:
        raise ParamError(f"{source}: {n} person; need at least 2")
    empty = np.flatnonzero(ids == "")
    if len(empty):
        raise ParamError(f"{source}: row {empty[0] + 2}: empty id")
    repeated = np.flatnonzero(pd.Index(ids).duplicated())
    if len(repeated):
        row = int(repeated[0])
        first = int(np.flatnonzero(ids == ids[row])[0])
        raise ParamError(f"{source}: row {row + 2}: duplicate id {_short(ids[row], 40)!r} (first on row {first + 2})")
    index = _indexer(ids)
    manager = _managers(frame, ids, index, source)
    has_reports = np.zeros(n, dtype=bool)
    has_reports[manager[manager >= 0]] = True
    role = _roles(frame, ids, manager, has_reports, source)
    if "customer_facing" in frame.columns:
        customer_facing = _flags(frame["customer_facing"], "customer_facing", ids, source)
        inferred = _text(frame["role"]) == "" if "role" in frame.columns else np.ones(n, dtype=bool)
        role[inferred & (role == FRONT_LINE) & ~customer_facing] = BACK_OFFICE  # inferred roles follow it
    else:
        customer_facing = role == FRONT_LINE
    unit, unit_names = _units(frame, ids, manager, has_reports)
    threshold = np.full(n, np.nan)
    if "threshold" in frame.columns:
        text = _text(frame["threshold"])
        given = text != ""
        try:
            threshold[given] = text[given].astype(float)
        except ValueError:
            row = next(i for i in np.flatnonzero(given) if not _is_number(text[i]))
            raise ParamError(f"{source}: row {row + 2} (id {_short(ids[row], 40)}): threshold="
                             f"{_short(text[row], 40)!r} is not a number") from None
        bad = given & ~((threshold >= 0) & (threshold <= THRESHOLD_MAX))
        if bad.any():
            row = int(np.flatnonzero(bad)[0])
            raise ParamError(f"{source}: row {row + 2} (id {_short(ids[row], 40)}): threshold={text[row]} is out of "
                             f"range; allowed: 0 to {THRESHOLD_MAX:g}")
    believes = _flags(frame["believes"], "believes", ids, source) if "believes" in frame.columns else None
    committed = _flags(frame["committed"], "committed", ids, source) if "committed" in frame.columns else None
    return People(ids.astype(str), manager, role, unit, unit_names, customer_facing, threshold, believes, committed,
                  frame, source)


def _is_number(text: str) -> bool:
    try:
        float(text)
        return True
    except ValueError:
        return False


def _indexer(ids: np.ndarray):
    """Map ids to row indices with a hash table (-1 for unknown ids)."""
    import pandas as pd

    table = pd.Index(ids)
    return lambda values: table.get_indexer(values)


def _managers(frame, ids, index, source: str) -> np.ndarray:
    n = len(ids)
    column = next((c for c in ("manager_id", "manager") if c in frame.columns), None)
    if column is None:
        return np.full(n, -1, dtype=np.int64)
    wanted = _text(frame[column])
    manager = np.full(n, -1, dtype=np.int64)
    named = wanted != ""
    manager[named] = index(wanted[named])
    unknown = named & (manager < 0)
    if unknown.any():
        row = int(np.flatnonzero(unknown)[0])
        raise ParamError(f"{source}: row {row + 2} (id {_short(ids[row], 40)}): manager_id "
                         f"{_short(wanted[row], 40)!r} is not an id in the file")
    own = np.flatnonzero(manager == np.arange(n))
    if len(own):
        raise ParamError(f"{source}: row {own[0] + 2} (id {_short(ids[own[0]], 40)}) is their own manager")
    _check_no_cycle(manager, ids, source)
    return manager


def _check_no_cycle(manager: np.ndarray, ids: np.ndarray, source: str) -> None:
    """Everyone's chain of managers must reach the top; name a cycle if one does not."""
    n = len(manager)
    top = manager < 0
    reached = top.copy()
    pointer = np.where(top, np.arange(n), manager)
    for _ in range(int(np.ceil(np.log2(n + 1))) + 1):  # pointer doubling: log-many vectorised rounds
        reached = reached | reached[pointer]
        pointer = pointer[pointer]
    if reached.all():
        return
    start = int(np.flatnonzero(~reached)[0])
    seen, person = [], start
    while person not in seen:
        seen.append(person)
        person = int(manager[person])
    cycle = seen[seen.index(person):]
    names = " → ".join(_short(ids[i], 20) for i in cycle[:6]) + (" → …" if len(cycle) > 6 else "")
    raise ParamError(f"{source}: reporting cycle: {names} → {_short(ids[cycle[0]], 20)}")


def _roles(frame, ids, manager, has_reports, source: str) -> np.ndarray:
    """Roles as given; where the file is silent, the top of the chart leads and people with reports manage."""
    role = np.full(len(ids), FRONT_LINE, dtype=np.int8)
    if (manager >= 0).any():  # a hierarchy
        role[has_reports] = MANAGER
        role[manager < 0] = LEADER
    if "role" not in frame.columns:
        return role
    words = _lower(frame["role"])
    words = np.array([w.replace(" ", "_").replace("-", "_") for w in words], dtype=object) if len(words) else words
    given = words != ""
    for word, code in ROLE_WORDS.items():
        role[words == word] = code
    bad = given & ~np.isin(words, list(ROLE_WORDS))
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise ParamError(f"{source}: row {row + 2} (id {_short(ids[row], 40)}): role={_short(words[row], 40)!r} "
                         f"is unknown; allowed: leader, manager, front_line, back_office")
    return role


def _units(frame, ids, manager, has_reports) -> tuple[np.ndarray, np.ndarray]:
    import pandas as pd

    if "unit" in frame.columns:
        labels = _text(frame["unit"])
        labels[labels == ""] = "(no unit)"
    elif (manager >= 0).any():  # a unit is a manager's team: the manager and their direct reports
        labels = np.where(has_reports | (manager < 0), ids, ids[np.maximum(manager, 0)])
    else:
        labels = np.full(len(ids), "everyone", dtype=object)
    unit, names = pd.factorize(labels, sort=True)
    return unit.astype(np.int64), np.asarray(names, dtype=object)


# --- ties ------------------------------------------------------------------------

def read_ties(path: str | Path, people: People) -> Ties:
    """Ties between the people from a ties file (``source, target[, weight, relation]``)."""
    return ties_from_frame(read_table(path, "ties"), people, source=f"ties: {_short_path(path)}")


def ties_from_frame(frame, people: People, source: str = "ties") -> Ties:
    """Validated :class:`Ties`; self-ties and repeated ties are dropped with a warning that counts them."""
    import pandas as pd

    for column in ("source", "target"):
        if column not in frame.columns:
            raise ParamError(f"{source}: no `{column}` column; found columns: "
                             f"{_short(', '.join(map(str, frame.columns)))}")
    frame = frame.reset_index(drop=True)
    n = len(people)
    named = [_strings(frame[column]) for column in ("source", "target")]
    # one hash pass: the ids come first and are distinct, so their codes are 0..n-1 in order
    codes = pd.concat([pd.Series(people.ids, dtype="string"), *named], ignore_index=True).factorize()[0]
    ends = []
    for column, names, found in zip(("source", "target"), named, np.split(codes[n:], 2)):
        found = np.where(found < n, found, -1)
        if (found < 0).any():
            row = int(np.flatnonzero(found < 0)[0])
            raise ParamError(f"{source}: row {row + 2}: {column} {_short(names.iloc[row], 40)!r} is not an id in "
                             f"the people file")
        ends.append(found)
    weight = np.ones(len(frame))
    if "weight" in frame.columns and pd.api.types.is_numeric_dtype(frame["weight"]) \
            and not pd.api.types.is_bool_dtype(frame["weight"]):
        weight = frame["weight"].fillna(1).to_numpy(dtype=float)
        text = weight  # shown only for a bad row
    elif "weight" in frame.columns:
        text = _text(frame["weight"])
        try:
            weight = pd.to_numeric(pd.Series(np.where(text == "", "1", text)), errors="raise").to_numpy(float)
        except ValueError:
            row = next(i for i, t in enumerate(text) if t and not _is_number(t))
            raise ParamError(f"{source}: row {row + 2}: weight={_short(text[row], 40)!r} is not a number") from None
    if "weight" in frame.columns:
        bad = ~np.isfinite(weight) | (weight <= 0)
        if bad.any():
            row = int(np.flatnonzero(bad)[0])
            raise ParamError(f"{source}: row {row + 2}: weight={text[row]:g} must be a positive number"
                             if isinstance(text[row], float) else
                             f"{source}: row {row + 2}: weight={_short(text[row], 40)} must be a positive number")
    relation = _text(frame["relation"]) if "relation" in frame.columns else None
    src, dst = ends
    self_ties = src == dst
    low, high = np.minimum(src, dst), np.maximum(src, dst)
    kinds = pd.factorize(relation)[0] if relation is not None else np.zeros(len(src), np.int64)
    codes = (low * len(people) + high) * (int(kinds.max(initial=0)) + 1) + kinds
    order = np.argsort(codes, kind="stable")
    repeated = np.zeros(len(codes), dtype=bool)
    repeated[order[1:]] = codes[order[1:]] == codes[order[:-1]]
    repeated &= ~self_ties
    if self_ties.any() or repeated.any():
        warnings.warn(f"{source}: dropped {int(self_ties.sum())} self-ties and {int(repeated.sum())} repeated ties "
                      f"(a pair named twice in one relation, in either direction, counts once)", stacklevel=2)
    keep = ~self_ties & ~repeated
    return Ties(src[keep], dst[keep], weight[keep], relation[keep] if relation is not None else None)


# --- the organisation's network -------------------------------------------------------

def network(people: People, ties: Ties | None, params: Params, rng: np.random.Generator):
    """The network the model uses: reporting lines + ties within units + the ties file, weighted.

    File weights are scaled to a mean of 1 so that ``weight_ties`` sets the
    weight of an average file tie relative to a reporting or unit tie.
    """
    from adoption.networks import from_edges

    n = len(people)
    src, dst, weight = [], [], []
    reports = np.flatnonzero(people.manager >= 0)
    if params.weight_reporting > 0:
        src.append(reports), dst.append(people.manager[reports])
        weight.append(np.full(len(reports), params.weight_reporting))
    if params.weight_unit > 0:
        a, b = _unit_ties(people.unit, params.mean_degree, rng)
        src.append(a), dst.append(b), weight.append(np.full(len(a), params.weight_unit))
    if ties is not None and len(ties.source) and params.weight_ties > 0:
        src.append(ties.source), dst.append(ties.target)
        weight.append(params.weight_ties * ties.weight / ties.weight.mean())
    if not src:
        src, dst, weight = [np.zeros(0, np.int64)], [np.zeros(0, np.int64)], [np.zeros(0)]
    return from_edges(n, np.concatenate(src), np.concatenate(dst), people.attributes(),
                      weights=np.concatenate(weight))


def _unit_ties(unit: np.ndarray, mean_degree: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Colleagues in one unit know each other: all pairs in units of up to ``UNIT_CLIQUE_MAX`` people,
    ``mean_degree`` random colleagues each in larger ones (a 5,000-person department is no clique)."""
    order = np.argsort(unit, kind="stable")
    size = np.bincount(unit)
    starts = np.concatenate([[0], np.cumsum(size)[:-1]])
    src, dst = [], []
    for s in np.unique(size[(size > 1) & (size <= UNIT_CLIQUE_MAX)]):
        i, j = np.triu_indices(s, 1)
        first = starts[size == s][:, None]
        src.append(order[(first + i).ravel()]), dst.append(order[(first + j).ravel()])
    for u in np.flatnonzero(size > UNIT_CLIQUE_MAX):
        members = order[starts[u]: starts[u] + size[u]]
        m = int(round(size[u] * mean_degree / 2))
        src.append(rng.choice(members, m)), dst.append(rng.choice(members, m))
    if not src:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    return np.concatenate(src), np.concatenate(dst)


def resolve(name: str, what: str = "people") -> tuple[Path, dict]:
    """A built-in organisation's file (with its column renames) or the user's file."""
    if name in BUILTIN:
        people_file, ties_file, rename = BUILTIN[name]
        return (people_file if what == "people" else ties_file), rename
    return Path(name), {}


def as_people(people) -> People:
    """People from a DataFrame (or already validated)."""
    return people if isinstance(people, People) else people_from_frame(people, "people (table)")


def as_ties(ties, people) -> Ties | None:
    """Ties from a DataFrame (or already validated), for ``people``."""
    if ties is None or isinstance(ties, Ties):
        return ties
    return ties_from_frame(ties, as_people(people), "ties (table)")


def load(params: Params, rng: np.random.Generator):
    """The network (with per-person attributes) of the organisation named by ``params.people``/``ties``."""
    people, ties = _read(params.people, params.ties or (params.people if params.people in BUILTIN else ""))
    return build(people, ties, params, rng)


def _read(people_name: str, ties_name: str) -> tuple[People, Ties | None]:
    """The validated files, read once per process while they are unchanged: a sweep or a calibration
    runs the same organisation thousands of times."""
    key = tuple((str(path), path.stat().st_mtime_ns, path.stat().st_size) if name else None
                for name, path in ((people_name, resolve(people_name, "people")[0]),
                                   (ties_name, resolve(ties_name, "ties")[0])))
    if key not in _READ:
        people = read_people(*resolve(people_name, "people"))
        with warnings.catch_warnings():
            if ties_name in BUILTIN:  # nomination data: mutual nominations are expected, not worth a warning
                warnings.simplefilter("ignore")
            ties = read_ties(resolve(ties_name, "ties")[0], people) if ties_name else None
        for value in (*vars(people).values(), *(vars(ties).values() if ties else ())):
            if isinstance(value, np.ndarray):
                value.setflags(write=False)  # shared by every run of this process: nobody may write into it
        _READ.clear()  # one organisation at a time is what sweeps and calibrations use
        _READ[key] = people, ties
    return _READ[key]


_READ: dict = {}


def head_count(people: str, ties: str = "") -> int:
    """How many people the named organisation has (its files read and validated, once)."""
    return len(_read(people, ties or (people if people in BUILTIN else ""))[0])


def build(people: People, ties: Ties | None, params: Params, rng: np.random.Generator):
    """The organisation's network, or a built-in generator's ties among its people (``network`` other than
    org_chart, e.g. ``complete`` for a well-mixed group)."""
    if params.network == "org_chart":
        return network(people, ties, params, rng)
    from adoption.networks import BUILDERS

    if ties is not None:
        raise ParamError(f"ties: a ties file needs network=org_chart (the organisation's own network); "
                         f"got network={params.network}")
    generated = BUILDERS[params.network](params.replace(employees=len(people)), rng)
    generated.attributes = people.attributes()
    return generated


def graph_attributes(nodes: list, data: list[dict], source: str) -> dict:
    """Per-person arrays from GraphML/GML node attributes (role, unit, customer_facing, believes,
    committed, threshold), validated as a people file's columns; only the attributes the graph has."""
    import pandas as pd

    columns = sorted({key for attributes in data for key in attributes} & set(MODEL_COLUMNS[2:]))
    if not columns:
        return {}
    frame = pd.DataFrame([{key: attributes.get(key, "") for key in columns} for attributes in data])
    frame.insert(0, "id", [str(node) for node in nodes])
    people = people_from_frame(frame, source)
    given = people.attributes()
    keep = set(columns) | {"ids"} | ({"customer_facing"} if "role" in columns else set()) \
        | ({"unit_names"} if "unit" in columns else set())
    return {name: value for name, value in given.items() if name in keep}
