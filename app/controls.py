"""Parameter controls generated from the declarations in ``adoption.params``.

Nothing here names a model parameter except the short list of the ones shown
first: every other parameter (levers, rule parameters added later) gets a
control from its declaration (meaning, unit, range, choices, group), with the
meaning on hover. Rule parameters are shown only when their rule is chosen.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import solara

from adoption.params import SPECS, as_text, describe
from app import inputs

# shown at the top, in this order, when they exist; everything else is grouped below
MAIN = ("people", "ties", "seeding", "initial_believers", "peer_influence", "leader_influence", "customer_feedback", "empowerment",
        "employees")
HIDDEN = ("seed",)  # has its own control next to the run buttons (people, ties: a select of built-ins and uploads)
GROUP_TITLES = {"organisation": "Organisation", "spread": "How belief spreads", "rules": "Rule settings",
                "customers": "Customers and moments of truth", "levers": "Levers (interventions)",
                "run": "Run length"}


def label(row: dict) -> str:
    unit = f" ({row['unit']})" if row["unit"] else ""
    return row["name"].replace("_", " ") + unit


def tooltip(row: dict) -> str:
    """What the parameter means, its unit and what is allowed: shown on hover."""
    if row["choices"]:
        allowed = "one of " + ", ".join(row["choices"])
    elif row.get("kind") == "flag":
        allowed = "on or off"
    elif row.get("kind") == "weeks":
        allowed = "week numbers separated by commas, e.g. 4, 12"
    elif row.get("kind") == "schedule":
        allowed = "WEEK:NAME=VALUE entries separated by semicolons, e.g. 20:recognition=0.5; 30:communication=0.3"
    elif row["low"] is not None:
        allowed = f"{row['low']:g} to {row['high']:g}"
    else:
        allowed = "text"
    default = as_text(row["name"], row["default"]) or "none"
    return f"{row['meaning']}. Unit: {row['unit'] or '–'}; allowed: {allowed}; default {default}."


def slider_range(row: dict, value) -> tuple[float, float, float]:
    """A practical slider range inside the allowed one (10 million employees is allowed, not useful to drag)."""
    low, high = row["low"], row["high"]
    if row["integer"]:
        top = min(high, max(10 * row["default"], low + 20))
        top = max(top, value)
        return low, top, 1
    if high <= 1:
        return low, high, 0.01
    top = max(min(high, max(3 * row["default"], 2.0)), value)
    step = 10 ** math.floor(math.log10(max(top - low, 1e-9) / 100))
    return low, top, step


def visible(name: str, values: dict) -> bool:
    row = describe(name)
    if name in HIDDEN:
        return False
    if name in ("ties", "weight_reporting", "weight_unit", "weight_ties"):
        return bool(values.get("people"))  # only with a people file
    if row["group"] == "rules":
        from adoption.rules import RULES

        rule = RULES.get(values.get("rule", "conviction"))
        return rule is not None and name in getattr(rule, "parameters", ())
    return True


SLOW = {"employees": 100_000, "customers": 2_000_000}  # sizes from which a week takes visibly longer to play


def slow_note(name: str, value) -> str:
    """A warning under a size that will play slowly ('' when it will not)."""
    limit = SLOW.get(name)
    if limit is None or not isinstance(value, (int, float)) or value < limit:
        return ""
    return f"{value:,.0f} {name}: building and each week take longer; expect fewer weeks per second"


NONE = "none"  # how a select shows the empty value of a file parameter (no file: synthetic organisation)
FILE_LABELS = {"people": "organisation (people file)", "ties": "ties between people (ties file)"}
UPLOADS = {"people": "a people file (CSV, Parquet, XLSX)", "ties": "a ties file (CSV, Parquet, XLSX)"}


@dataclass(frozen=True)
class Files:
    """What the file controls need: this session's uploads and what to do with a new one."""

    uploads: inputs.Uploads | None
    on_upload: Callable[[str, str, bytes], None]


@solara.component
def FileControl(name: str, value, on_change: Callable[[str, object], None], files: Files | None):
    """A select of the built-in names and this session's uploads, and (people, ties) a drop zone: the
    browser sends a file's contents, never a path."""
    row = describe(name)
    uploads = files.uploads if files else None
    offered = [choice or NONE for choice in inputs.choices(name, uploads)]
    shown = inputs.shown(name, value, uploads) or NONE
    with solara.Div(classes=["file-select"]):
        solara.Select(label=FILE_LABELS.get(name, label(row)), value=shown, values=offered,
                      on_value=lambda v: on_change(name, "" if v == NONE else v))
    if files is not None and name in UPLOADS:
        solara.FileDrop(label=f"or drop {UPLOADS[name]} here", lazy=False,
                        on_file=lambda file: files.on_upload(name, file["name"], file["data"]))


@solara.component
def ParameterControl(name: str, value, on_change: Callable[[str, object], None],
                     on_text: Callable[[str, str], None], files: Files | None = None):
    """One control for one parameter, chosen by its declaration; a number also gets a typed field
    that accepts the parameter's whole allowed range (the slider covers a practical part of it)."""
    row = describe(name)
    text = tooltip(row)
    with solara.Tooltip(text):
        with solara.Div(classes=["param-control", f"param-{name}"]):
            if name in inputs.FILE_PARAMETERS:
                FileControl(name, value, on_change, files)
            elif row.get("kind") == "flag" or isinstance(row["default"], bool):
                solara.Switch(label=label(row), value=bool(value), on_value=lambda v: on_change(name, v))
            elif row["choices"]:
                solara.Select(label=label(row), value=value, values=list(row["choices"]),
                              on_value=lambda v: on_change(name, v))
            elif row.get("kind") in ("weeks", "schedule") or row["low"] is None:
                solara.InputTextArea(label=label(row), value=as_text(name, value), continuous_update=False,
                                     rows=2, auto_grow=True, on_value=lambda v: on_text(name, v))
            else:
                number = isinstance(value, (int, float)) and not isinstance(value, bool)
                low, high, step = slider_range(row, value if number else row["default"])
                # A value typed outside the slider's ends (shown with its message) puts the thumb at the
                # nearest end: a slider given a value beyond its ends moves there and sends that value,
                # which replaced the run on screen and hid the message.
                at = min(max(value, low), high) if number else row["default"]
                slider = solara.SliderInt if row["integer"] else solara.SliderFloat
                with solara.Row(style={"align-items": "center", "gap": "8px"}):
                    with solara.Div(style={"flex": "1 1 auto"}):
                        slider(label=label(row), value=at, min=low, max=high,
                               step=step, thumb_label=True, on_value=lambda v: on_change(name, v))
                    with solara.Div(classes=["typed"], style={"width": "96px"}):
                        solara.InputText("value", value=as_text(name, value), continuous_update=False,
                                         on_value=lambda v: on_text(name, v))
                note = slow_note(name, value)
                if note:
                    solara.Text(note, classes=["slow-note"], style={"font-size": "13px", "color": "#8a5a00"})


@solara.component
def ParameterPanel(values: dict, on_change: Callable[[str, object], None], on_text: Callable[[str, str], None],
                   files: Files | None = None):
    """The main parameters first, then every other one grouped as declared."""
    for name in MAIN:
        if name in SPECS and visible(name, values):
            ParameterControl(name, values.get(name, SPECS[name].default), on_change, on_text, files)
    groups: dict[str, list[str]] = {}
    for name in SPECS:
        if name not in MAIN and visible(name, values):
            groups.setdefault(describe(name)["group"], []).append(name)
    for group, names in groups.items():
        with solara.Details(GROUP_TITLES.get(group, group.replace("_", " ").capitalize())):
            for name in names:
                ParameterControl(name, values.get(name, SPECS[name].default), on_change, on_text, files)
