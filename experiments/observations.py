"""What an organisation observed: pulse surveys, customer surveys and individual adoption times.

Three kinds of file (CSV, Parquet or XLSX), each read into *waves*: one row per
survey week and group with ``respondents`` asked and ``agree`` who said yes.

- a staff pulse survey, ``week, respondents, agree`` ("I believe we put the
  customer first"), optionally per ``unit`` or per ``role`` (one group column);
- a customer survey, ``week, respondents, expect`` (customers who expect the
  value);
- individual adoption times, ``person, week`` (empty week: never adopted), as in
  the medical-innovation study: a census, read as "adopted by week w" out of
  everyone listed, for every week up to the last adoption.

Week ``w`` is compared with the model after ``w`` steps (week 0 is the start).
Bad rows raise :class:`adoption.params.ParamError` naming the file, the row (as a
spreadsheet shows it: the header is row 1) and what is wrong.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from adoption.params import ParamError

STAFF, CUSTOMERS = "staff", "customers"
GROUP_COLUMNS = ("unit", "role")
COLUMNS = ("source", "group_by", "group", "week", "respondents", "agree")  # one row per wave


@dataclass(frozen=True)
class Observations:
    """Survey waves to fit: a table with the :data:`COLUMNS` (``group_by`` is "" for the whole
    organisation, else ``unit`` or ``role``; ``source`` is ``staff`` or ``customers``).

    Examples
    --------
    >>> waves = Observations.from_counts(weeks=[4, 8], respondents=[50, 50], agree=[5, 12])
    >>> waves.last_week, len(waves), waves.shares.tolist()
    (8, 2, [0.1, 0.24])
    """

    waves: pd.DataFrame

    def __post_init__(self):
        missing = [name for name in COLUMNS if name not in self.waves.columns]
        if missing:
            raise ParamError(f"observations: missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)}")
        if self.waves.empty:
            raise ParamError("observations: no survey waves")
        counts = self.waves[["week", "respondents", "agree"]]
        if counts.isna().any().any() or (counts["week"] < 0).any() or (counts["respondents"] < 1).any() \
                or (counts["agree"] < 0).any() or (counts["agree"] > counts["respondents"]).any():
            raise ParamError("observations: every wave needs week ≥ 0, respondents ≥ 1 and "
                             "0 ≤ agree ≤ respondents")
        waves = self.waves.loc[:, list(COLUMNS)].sort_values(["source", "group_by", "group", "week"])
        object.__setattr__(self, "waves", waves.reset_index(drop=True).astype(
            {"source": str, "group_by": str, "group": str, "week": np.int64, "respondents": np.int64,
             "agree": np.int64}))

    @classmethod
    def from_counts(cls, weeks, respondents, agree, source: str = STAFF) -> "Observations":
        """Waves of the whole organisation from plain lists (a notebook, a test)."""
        weeks = list(weeks)
        return cls(pd.DataFrame({"source": source, "group_by": "", "group": "", "week": weeks,
                                 "respondents": list(respondents), "agree": list(agree)}))

    @classmethod
    def read(cls, staff=None, customers=None, adoption=None) -> "Observations":
        """Waves from any of the three kinds of file; at least one is needed."""
        parts = []
        if staff is not None:
            parts.append(read_pulse(staff))
        if customers is not None:
            parts.append(read_customer_survey(customers))
        if adoption is not None:
            parts.append(read_adoption_times(adoption))
        if not parts:
            raise ParamError("observations: give a pulse survey, a customer survey or adoption times")
        return cls(pd.concat(parts, ignore_index=True))

    def __len__(self) -> int:
        return len(self.waves)

    @property
    def last_week(self) -> int:
        return int(self.waves["week"].max())

    @property
    def shares(self) -> np.ndarray:
        return self.waves["agree"].to_numpy() / self.waves["respondents"].to_numpy()

    def until(self, week: int) -> "Observations":
        """Only the waves up to ``week`` (fit the past, hold out the rest)."""
        kept = self.waves[self.waves["week"] <= week]
        if kept.empty:
            raise ParamError(f"observations: no wave at or before week {week}")
        return Observations(kept)

    def after(self, week: int) -> "Observations":
        return Observations(self.waves[self.waves["week"] > week])

    def labels(self) -> list[str]:
        """A readable name per wave, e.g. ``staff week 8`` or ``staff role=front_line week 8``."""
        return [f"{row.source}{f' {row.group_by}={row.group}' if row.group_by else ''} week {row.week}"
                for row in self.waves.itertuples()]


def read_table(path) -> tuple[pd.DataFrame, int]:
    """A CSV, Parquet or XLSX file as a table, and the row number its first data row has for a person
    (2 in a spreadsheet or CSV, where the header is row 1; 1 in Parquet)."""
    path = Path(path)
    if not path.is_file():
        raise ParamError(f"{path}: file not found")
    suffix = path.suffix.lower()
    try:
        if suffix in (".csv", ".txt"):
            return pd.read_csv(path, skipinitialspace=True), 2
        if suffix == ".parquet":
            return pd.read_parquet(path), 1
        if suffix in (".xlsx", ".xlsm"):
            return pd.read_excel(path, engine="openpyxl"), 2
    except (ValueError, OSError, pd.errors.ParserError) as error:
        raise ParamError(f"{path}: cannot read it as {suffix[1:].upper()}: {str(error).splitlines()[0]}") from None
    raise ParamError(f"{path}: unknown file type {suffix or '(none)'}; use .csv, .parquet or .xlsx")


def read_pulse(path) -> pd.DataFrame:
    """A staff pulse survey: ``week, respondents, agree`` and optionally ``unit`` or ``role``."""
    return _read_waves(path, STAFF, "agree")


def read_customer_survey(path) -> pd.DataFrame:
    """A customer survey: ``week, respondents, expect``."""
    return _read_waves(path, CUSTOMERS, "expect")


def read_adoption_times(path) -> pd.DataFrame:
    """Individual adoption times ``person, week`` as census waves: adopted by week w of everyone listed."""
    table, first = read_table(path)
    table.columns = [str(name).strip().lower() for name in table.columns]
    _require(path, table, ("person", "week"))
    if table.empty:
        raise ParamError(f"{path}: no rows")
    seen = set()
    weeks = []
    for i, (person, week) in enumerate(zip(table["person"], table["week"])):
        row = i + first
        if _missing(person):
            raise ParamError(f"{path}, row {row}: person is empty")
        if person in seen:
            raise ParamError(f"{path}, row {row}: person {person} appears twice")
        seen.add(person)
        weeks.append(math.inf if _missing(week) else _count(path, row, "week", week, low=0))
    if not np.isfinite(weeks).any():
        raise ParamError(f"{path}: nobody has an adoption week; nothing to fit")
    return adoption_waves(weeks)


def adoption_waves(weeks) -> pd.DataFrame:
    """Census waves from each person's adoption week (``inf`` or NaN: never): adopted by week w of all,
    for every week from 1 to the last adoption.

    Examples
    --------
    >>> adoption_waves([1, 3, float("nan"), 3])["agree"].tolist()
    [1, 1, 3]
    """
    weeks = np.asarray(weeks, dtype=float)
    adopted = weeks[np.isfinite(weeks)]
    span = np.arange(1, int(adopted.max()) + 1)
    return pd.DataFrame({"source": STAFF, "group_by": "", "group": "", "week": span, "respondents": len(weeks),
                         "agree": [int((weeks <= week).sum()) for week in span]})


def _read_waves(path, source: str, count: str) -> pd.DataFrame:
    table, first = read_table(path)
    table.columns = [str(name).strip().lower() for name in table.columns]
    _require(path, table, ("week", "respondents", count))
    groups = [name for name in GROUP_COLUMNS if name in table.columns]
    if len(groups) > 1:
        raise ParamError(f"{path}: both unit and role columns; a survey is per unit or per role (or neither)")
    if groups and source == CUSTOMERS:
        raise ParamError(f"{path}: a customer survey has no {groups[0]} column (customers are one group)")
    if table.empty:
        raise ParamError(f"{path}: no rows")
    group_by = groups[0] if groups else ""
    rows = []
    for i, record in enumerate(table.to_dict("records")):
        row = i + first
        week = _count(path, row, "week", record["week"], low=0)
        respondents = _count(path, row, "respondents", record["respondents"], low=1)
        agree = _count(path, row, count, record[count], low=0)
        if agree > respondents:
            raise ParamError(f"{path}, row {row}: {count}={agree} is more than respondents={respondents}")
        group = ""
        if group_by:
            if _missing(record[group_by]):
                raise ParamError(f"{path}, row {row}: {group_by} is empty")
            group = _group_name(record[group_by])
            if group_by == "role":
                from agents.roles import ROLES

                if group not in ROLES:
                    raise ParamError(f"{path}, row {row}: role={group}: unknown; allowed: {', '.join(ROLES)}")
        rows.append((source, group_by, group, week, respondents, agree))
    waves = pd.DataFrame(rows, columns=list(COLUMNS))
    repeated = waves.duplicated(["group", "week"])
    if repeated.any():
        i = int(np.flatnonzero(repeated)[0])
        raise ParamError(f"{path}, row {i + first}: week {waves['week'][i]} appears twice"
                         + (f" for {group_by} {waves['group'][i]}" if group_by else ""))
    return waves


def _require(path, table: pd.DataFrame, names) -> None:
    missing = [name for name in names if name not in table.columns]
    if missing:
        raise ParamError(f"{path}: missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)}; "
                         f"expected {', '.join(names)} (found {', '.join(map(str, table.columns)) or 'none'})")


def _count(path, row: int, name: str, value, low: int) -> int:
    """A whole number ≥ ``low`` from a cell (``12``, ``12.0`` and ``"12"`` all read as 12)."""
    if _missing(value):
        raise ParamError(f"{path}, row {row}: {name} is empty")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ParamError(f"{path}, row {row}: {name}={value!r}: must be a whole number") from None
    if not number.is_integer() or number < low:
        raise ParamError(f"{path}, row {row}: {name}={value!r}: must be a whole number ≥ {low}")
    return int(number)


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or \
        (isinstance(value, str) and not value.strip())


def _group_name(value) -> str:
    """Unit and role names as text; a unit number read as 3.0 from a spreadsheet is unit ``3``."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()
