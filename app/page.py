"""The web page: watch the value spread live, walk through the story, compare rollout plans, export.

Served by ``adoption app``. State lives in ``solara.reactive`` values (one set
per browser tab). While playing, one thread steps the model at the chosen
speed and updates the counters at most ten times a second; another asks the
drawing process (``app.runner``) for the charts of a copy of the run every
render interval, so a step never waits on a plot.
"""

from __future__ import annotations

import html
import os
import threading
import time
from dataclasses import dataclass

import solara
import solara.lab
from solara.server import kernel_context

from adoption.params import CHANGEABLE, SPECS, ParamError, Params, as_text
from app import charts, export, story
from app.compare import Caption, Compare
from app.controls import ParameterPanel
from app.runner import LiveRun, draw, warm_up
from app.your_organisation import YourOrganisation
from experiments import scenarios

SPEEDS = {"1 week/s": 1, "2 weeks/s": 2, "5 weeks/s": 5, "10 weeks/s": 10, "20 weeks/s": 20, "fastest": 0}
REDRAWS = {"4 per second": 0.25, "2 per second": 0.5, "every second": 1.0}
STATUS_INTERVAL = 0.1  # seconds between counter updates while playing
CATCH_UP = 0.5  # seconds of lateness the stepper makes up by stepping without pause


@dataclass(frozen=True)
class Frame:
    """Drawn charts of one week of one run."""

    run: LiveRun
    snapshot: charts.Snapshot
    images: dict


scenario = solara.reactive(os.environ.get("ADOPTION_APP_SCENARIO", "default"))
values = solara.reactive({})  # parameter values: the scenario's, then the user's changes
changed = solara.reactive({})  # values changed during the live run (shown on the controls; in `interventions`)
problem = solara.reactive(None)  # a ParamError message for the user
live = solara.reactive(None)  # the LiveRun on screen
frame = solara.reactive(None)  # the charts on screen
status = solara.reactive(None)  # the latest snapshot, for the counters
playing = solara.reactive(False)
speed = solara.reactive("10 weeks/s")
redraw = solara.reactive("2 per second")
stop = solara.reactive(None)  # story mode: the index of the story stop on screen, None outside story mode
measured = solara.reactive("")  # steps per second of the last play, shown small for the curious
_publish_lock = threading.Lock()


def scenario_values(name: str) -> dict:
    defaults = {field: SPECS[field].default for field in SPECS}
    return {**defaults, **scenarios.load(name)}


def start(new_values: dict) -> None:
    """Build a run from parameter values (or report why not) and show its week 0."""
    playing.value = False
    values.value = new_values
    changed.value = {}
    try:
        params = Params.from_dict(new_values)
    except ParamError as error:
        problem.value = str(error)
        return
    problem.value = None
    warm_up()
    run = LiveRun(params)
    live.value = run
    if stop.value is not None:
        stop.value = 0  # a new run in story mode starts the story again
    with _publish_lock:
        status.value = run.snapshot()
    if frame.value is None:
        paint(run)  # the first page: draw before showing
    else:
        paint_soon(run)  # a changed parameter: the controls answer at once, the charts follow


def paint(run: LiveRun) -> None:
    snapshot = run.snapshot()
    publish(Frame(run, snapshot, draw(run, snapshot)))


def publish(new: Frame) -> None:
    """Show a drawn frame unless a newer one of the same run is already on screen."""
    with _publish_lock:
        if live.value is not new.run:
            return
        old = frame.value
        if old is None or old.run is not new.run or old.snapshot.step <= new.snapshot.step:
            frame.value = new
        shown = status.value  # always of the live run: start() sets it before any drawing of a new run
        if shown is None or shown.step <= new.snapshot.step:
            status.value = new.snapshot


def play() -> None:
    run = live.value
    if run is None or run.finished:
        return
    playing.value = True
    context = kernel_context.get_current_context()
    threading.Thread(target=_stepper, args=(context, run), daemon=True).start()
    threading.Thread(target=_painter, args=(context, run), daemon=True).start()


def _stepper(context, run: LiveRun) -> None:
    """Step the model at the chosen speed; pause at story stops; counters at most ten times a second."""
    with context:
        last_status, first_week, began = 0.0, run.week, time.perf_counter()
        due = began  # when the next week is due: lateness (a redraw holding the GIL) is caught up
        while playing.value and live.value is run:
            rate = SPEEDS.get(speed.value, 10)
            snapshot = run.step()
            if snapshot is None:
                break
            if stop.value is not None:
                following = story.next_stop(stop.value, snapshot, run.finished)
                if following is not None:
                    with _publish_lock:
                        status.value = snapshot  # the counters agree with the story card
                    stop.value = following
                    break
            now = time.perf_counter()
            if now - last_status >= STATUS_INTERVAL:
                with _publish_lock:
                    if live.value is run:
                        status.value = snapshot
                last_status = now
            due = max(due + (1 / rate if rate else 0), now - CATCH_UP)
            time.sleep(max(due - time.perf_counter(), 0.0005))  # always yield a little: the page stays responsive
        elapsed = time.perf_counter() - began
        if run.week > first_week and elapsed > 0:
            measured.value = f"{(run.week - first_week) / elapsed:.0f} weeks/s"
        if live.value is not run:  # replaced by a new run (a parameter changed): leave the new one alone
            return
        with _publish_lock:
            status.value = run.snapshot()  # the counters first; the final drawing follows
        playing.value = False
        paint(run)


def _painter(context, run: LiveRun) -> None:
    """Redraw the charts every render interval while playing (never faster than drawing takes)."""
    with context:
        drawn = -1
        while playing.value and live.value is run:
            began = time.perf_counter()
            snapshot = run.snapshot()
            if snapshot.step != drawn:
                publish(Frame(run, snapshot, draw(run, snapshot)))
                drawn = snapshot.step
            spent = time.perf_counter() - began
            time.sleep(max(REDRAWS.get(redraw.value, 0.5), 2 * spent) - spent)  # drawing takes at most half


def step_once() -> None:
    """One week: the counters at once, the charts as soon as they are drawn (quick clicks never queue up)."""
    run = live.value
    if run is None or playing.value:
        return
    snapshot = run.step()
    if snapshot is not None:
        with _publish_lock:
            status.value = snapshot
        paint_soon(run)


def paint_soon(run: LiveRun) -> None:
    """Draw the latest week in the background; one drawing at a time per run, catching up with the steps."""
    context = kernel_context.get_current_context()

    def drawing():
        with context:
            while run.drawing.acquire(blocking=False):
                try:
                    snapshot = run.snapshot()
                    publish(Frame(run, snapshot, draw(run, snapshot)))
                finally:
                    run.drawing.release()
                if run.week == snapshot.step or live.value is not run:
                    return

    threading.Thread(target=drawing, daemon=True).start()


def reset() -> None:
    start(dict(values.value))


def begin_story() -> None:
    start(dict(values.value))
    stop.value = 0


def change(name: str, value) -> None:
    """A new run from week 0, or, for a lever changed while a run is under way, an intervention from next week."""
    run = live.value
    if run is not None and 0 < run.week and not run.finished and name in CHANGEABLE:
        intervene(run, name, value)
    else:
        start({**values.value, name: value})


def intervene(run: LiveRun, name: str, value) -> None:
    """Change ``name`` from the next week on, and write it into ``interventions`` so that the
    reproducing command and Reset give this very run."""
    entry = f"{run.week + 1}:{name}={as_text(name, value)}"
    new_values = {**values.value, "interventions": [*values.value.get("interventions", ()), entry]}
    try:
        params = Params.from_dict(new_values)
        with run.lock:
            run.model.intervene(**params.interventions_at(run.week + 1))
            run.params = params
    except ParamError as error:
        problem.value = str(error)
        return
    problem.value = None
    values.value = new_values
    changed.value = {**changed.value, name: getattr(run.model.params, name)}


def choose_scenario(name: str) -> None:
    scenario.value = name
    stop.value = None
    start(scenario_values(name))


# --- components ------------------------------------------------------------------

@solara.component
def Status():
    snapshot = status.value
    run = live.value
    if snapshot is None or run is None:
        return
    chip = {"font-size": "20px", "padding": "4px 14px", "border-radius": "16px", "background": "#f1f3f6",
            "margin-right": "8px", "white-space": "nowrap"}
    with solara.Row(style={"align-items": "center", "flex-wrap": "wrap"}):
        solara.Text(f"Week {snapshot.step} of {run.params.steps}", classes=["week-counter"], style=chip)
        solara.Text(f"Staff believing {snapshot.believers:.0%}", classes=["believer-share"],
                    style={**chip, "color": charts.palette.BELIEVER, "font-weight": "600"})
        solara.Text(f"Customers expecting it {snapshot.customers:.0%}", classes=["customer-share"],
                    style={**chip, "color": charts.palette.CUSTOMER, "font-weight": "600"})
        if measured.value:
            solara.Text(f"last play: {measured.value}", classes=["measured-speed"],
                        style={"font-size": "13px", "color": "#666"})


@solara.component
def RunButtons():
    run = live.value
    finished = run is None or run.finished
    with solara.Row(style={"align-items": "center", "flex-wrap": "wrap", "gap": "6px"}):
        if playing.value:
            solara.Button("Pause", icon_name="mdi-pause", color="primary", on_click=lambda: playing.set(False),
                          classes=["run-pause"])
        else:
            solara.Button("Play", icon_name="mdi-play", color="primary", on_click=play, disabled=finished,
                          classes=["run-play"])
        solara.Button("Step", icon_name="mdi-step-forward", on_click=step_once, disabled=playing.value or finished,
                      classes=["run-step"])
        solara.Button("Reset", icon_name="mdi-restore", on_click=reset, classes=["run-reset"])
        with solara.Div(style={"width": "150px"}):
            solara.Select("speed", values=list(SPEEDS), value=speed, classes=["speed-select"])
        with solara.Div(style={"width": "150px"}):
            with solara.Tooltip("How often the charts are redrawn while playing; the model keeps stepping "
                                "between redraws."):
                solara.Select("redraw charts", values=list(REDRAWS), value=redraw)
        if stop.value is None:
            solara.Button("Story mode", icon_name="mdi-school", color="secondary", on_click=begin_story,
                          classes=["story-start"])


@solara.component
def StoryCard():
    index = stop.value
    snapshot = status.value
    if index is None or snapshot is None:
        return
    current = story.STOPS[index]
    last = index == len(story.STOPS) - 1
    with solara.Card(style={"border-left": f"6px solid {charts.palette.BELIEVER}", "margin": "8px 0"},
                     classes=["story-card"]):
        solara.Text(f"Story {index + 1} of {len(story.STOPS)}: {current.title}", classes=["story-title"],
                    style={"font-size": "22px", "font-weight": "600", "display": "block"})
        solara.Text(current.text(snapshot), classes=["story-text"],
                    style={"font-size": "19px", "line-height": "1.45", "display": "block", "margin": "6px 0"})
        with solara.Row():
            if not last and not playing.value and not (live.value and live.value.finished):
                solara.Button("Continue", icon_name="mdi-play", color="primary", on_click=play,
                              classes=["story-continue"])
            if playing.value:
                solara.Text("playing to the next stop…", style={"font-size": "16px", "color": "#555"})
            solara.Button("Leave story mode", text=True, on_click=lambda: stop.set(None), classes=["story-leave"])


@solara.component
def Chart(name: str, caption: str):
    shown = frame.value
    if shown is None:
        return
    with solara.Div(classes=[f"chart-{name}"]):
        solara.Image(shown.images[name], width="100%")
        solara.Text(str(shown.snapshot.step), classes=["chart-week"], style={"display": "none"})
        Caption(caption)


@solara.component
def Export():
    shown = frame.value
    run = live.value
    if shown is None or run is None:
        return
    with solara.Card("Export and reproduce", classes=["export-card"]):
        with solara.Row(style={"flex-wrap": "wrap"}):
            solara.FileDownload(lambda: export.series_csv(run.snapshot().series), filename="adoption-run.csv",
                                label="Series (CSV)", mime_type="text/csv")
            for name in ("organisation", "arc", "conversions", "moments"):
                solara.FileDownload(shown.images[name], filename=f"adoption-{name}.png", label=f"{name} (PNG)",
                                    mime_type="image/png")
        solara.Text("The same run on the command line (the numbers are identical):", style={"font-size": "15px"})
        solara.HTML(tag="pre", unsafe_innerHTML=html.escape(export.command(scenario.value,
                                                                           scenarios.load(scenario.value),
                                                                           run.params)),
                    classes=["cli-command"], style={"white-space": "pre-wrap", "font-size": "14px",
                                                    "background": "#f4f4f4", "padding": "8px"})


@solara.component
def LiveTab():
    RunButtons()
    Status()
    StoryCard()
    units = live.value is not None and live.value.view.kind == "units"
    with solara.Columns([1, 1]):
        with solara.Column():
            Chart("organisation", charts.CAPTIONS["organisation_units" if units else "organisation"])
            Chart("moments", charts.CAPTIONS["moments"])
        with solara.Column():
            Chart("arc", charts.CAPTIONS["arc"])
            Chart("conversions", charts.CAPTIONS["conversions"])
            Export()


@solara.component
def Sidebar():
    names = scenarios.available()
    with solara.Tooltip(names.get(scenario.value, "")):
        with solara.Div(classes=["scenario-select"]):
            solara.Select("scenario", values=list(names), value=scenario.value, on_value=choose_scenario)
    solara.Text(names.get(scenario.value, ""), style={"font-size": "14px", "color": "#444", "display": "block",
                                                      "margin-bottom": "8px"})
    current = {**values.value, **changed.value}
    with solara.Tooltip(SPECS["seed"].metadata["meaning"]):
        with solara.Div(classes=["param-seed"]):
            solara.InputInt("seed", value=current.get("seed", 0),
                            on_value=lambda v: change("seed", v if v is not None else 0))
    if problem.value:
        solara.Error(problem.value, classes=["param-problem"])
    ParameterPanel(current, change)


@solara.component
def Page():
    solara.Title("adoption: the customer comes first")
    solara.Style(CSS)
    if live.value is None and problem.value is None:
        start(scenario_values(scenario.value))
    with solara.AppBarTitle():
        solara.Text("How a value spreads: “the customer comes first”")
    with solara.Sidebar():
        Sidebar()
    with solara.lab.Tabs():
        with solara.lab.Tab("Live run", classes=["tab-live"]):
            LiveTab()
        with solara.lab.Tab("Compare strategies", classes=["tab-compare"]):
            Compare(live.value.params if live.value is not None and problem.value is None else None)
        with solara.lab.Tab("Your organisation", classes=["tab-your-organisation"]):
            YourOrganisation(live.value.params if live.value is not None and problem.value is None else None)


CSS = """
.caption { font-size: 15px; }
.v-application .v-label { font-size: 15px; }
.param-control { margin-bottom: 2px; }
"""
