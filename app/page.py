"""The web page: watch the value spread live, walk through the story, compare rollout plans, read about the model.

Served by ``adoption app``. State lives in ``solara.reactive`` values (one set
per browser tab). While playing, one thread steps the model at the chosen
speed and publishes a snapshot at most ten times a second; the counters and
every chart are drawn from that one snapshot (the browser draws the charts
from data), so the charts show the week on the counter.

Every value the browser sends goes through ``app.inputs`` first. A bad value
shows one line (the command line's message) in the sidebar, disables Play and
keeps everything else as it was.

Adding a tab: append ``(title, css class, component)`` to :data:`TABS`.
"""

from __future__ import annotations

import html
import os
import threading
import time

import solara
import solara.lab
from solara.server import kernel_context

from adoption import cost
from adoption.params import CHANGEABLE, SPECS, ParamError, Params, as_text
from app import charts, export, info, inputs, live_charts, story
from app.browser import BrowserHelper
from app.compare import Caption, Compare
from app.controls import Files, ParameterPanel
from app.runner import PNG_CHARTS, LiveRun, png
from app.your_organisation import YourOrganisation
from experiments import scenarios

SPEEDS = {"1 week/s": 1, "2 weeks/s": 2, "5 weeks/s": 5, "10 weeks/s": 10, "20 weeks/s": 20, "fastest": 0}
STATUS_INTERVAL = 0.1  # seconds between published snapshots while playing (counters and charts together)
CATCH_UP = 0.5  # seconds of lateness the stepper makes up by stepping without pause
DRAW_WAIT = 1.0  # seconds the publisher waits at most for the browser to draw a week
NARROW = 1200  # px: below this window width the sidebar starts folded away (a classroom projector)
BAND_RUNS = 20  # runs behind the "is this run typical?" band
HEIGHTS = {"organisation": 420}  # px per chart (others 340)

scenario = solara.reactive(os.environ.get("ADOPTION_APP_SCENARIO", "default"))
values = solara.reactive({})  # parameter values: the scenario's, then the user's changes
changed = solara.reactive({})  # values changed during the live run (shown on the controls; in `interventions`)
problem = solara.reactive(None)  # a ParamError message for the user; Play is disabled while it stands
live = solara.reactive(None)  # the LiveRun on screen
status = solara.reactive(None)  # the snapshot on screen: the counters and every chart
playing = solara.reactive(False)
speed = solara.reactive("10 weeks/s")
stop = solara.reactive(None)  # story mode: the index of the story stop on screen, None outside story mode
measured = solara.reactive("")  # weeks per second of the last play, shown small for the curious
band = solara.reactive(None)  # the band of BAND_RUNS runs of the current settings, or None
width = solara.reactive(0)  # the browser window's width (px), 0 until the browser said
drawn = solara.reactive(-1)  # the week every chart in the browser has drawn (the browser says)
_publish_lock = threading.Lock()


def scenario_values(name: str) -> dict:
    defaults = {field: SPECS[field].default for field in SPECS}
    return {**defaults, **scenarios.load(name)}


def start(new_values: dict) -> None:
    """Build a run from parameter values (or report why not, keeping the run on screen) and show its week 0."""
    playing.value = False
    values.value = new_values
    changed.value = {}
    try:
        params = Params.from_dict(new_values)
        cost.check(cost.estimate([params.to_dict()]), what="this run")  # refuse what would exhaust the server
        run = LiveRun(params)
    except ParamError as error:
        problem.value = str(error).replace(", use fewer --workers, or add --force", "")  # (command-line advice)
        return
    except Exception as error:  # e.g. an uploaded file that is not what it claims: one line, never a traceback
        problem.value = f"this organisation could not be built: {inputs.short(error)}"
        return
    problem.value = None
    band.value = None
    live.value = run
    if stop.value is not None:
        stop.value = 0  # a new run in story mode starts the story again
    publish(run, run.snapshot())


def publish(run: LiveRun, snapshot: charts.Snapshot) -> None:
    """Show ``snapshot`` (counters and charts) unless a newer week or another run is on screen."""
    with _publish_lock:
        if live.value is not run:
            return
        shown = status.value
        if shown is None or shown.run is not run or shown.snapshot.step <= snapshot.step:
            status.value = Shown(run, snapshot)


class Shown:
    """The run and week on screen (a new object per publication, so Solara redraws)."""

    def __init__(self, run: LiveRun, snapshot: charts.Snapshot):
        self.run, self.snapshot = run, snapshot


def play() -> None:
    run = live.value
    if run is None or run.finished or problem.value:
        return
    playing.value = True
    measured.value = ""
    context = kernel_context.get_current_context()
    latest = Latest()
    threading.Thread(target=_stepper, args=(context, run, latest), daemon=True).start()
    threading.Thread(target=_publisher, args=(context, run, latest), daemon=True).start()


class Latest:
    """The newest snapshot of a playing run, handed from the stepping thread to the publishing one."""

    def __init__(self):
        self.snapshot: charts.Snapshot | None = None
        self.new = threading.Event()
        self.done = False


def _stepper(context, run: LiveRun, latest: Latest) -> None:
    """Step the model at the chosen speed and pause at story stops. It never draws: drawing (the
    publisher's work) can take longer than a week, and the weeks must keep their pace."""
    with context:
        first_week, began = run.week, time.perf_counter()
        due = began  # when the next week is due: lateness is caught up
        try:
            while playing.value and live.value is run:
                rate = SPEEDS.get(speed.value, 10)
                snapshot = run.step()
                if snapshot is None:
                    break
                latest.snapshot = snapshot
                latest.new.set()
                if stop.value is not None:
                    following = story.next_stop(stop.value, snapshot, run.finished)
                    if following is not None:
                        publish(run, snapshot)  # the card, the counters and the charts show the stop's week
                        stop.value = following
                        break
                now = time.perf_counter()
                if rate:
                    due = max(due + 1 / rate, now - CATCH_UP)
                    time.sleep(max(due - time.perf_counter(), 0.0005))
                else:
                    time.sleep(0)  # fastest: only let the web server have its turn
        finally:
            elapsed = time.perf_counter() - began
            if run.week - first_week >= 10 and elapsed > 0:  # a few weeks to a story stop say little
                measured.value = f"{(run.week - first_week) / elapsed:.0f} weeks/s"
            latest.done = True
            latest.new.set()


def _publisher(context, run: LiveRun, latest: Latest) -> None:
    """Show the newest week (counters and charts from one snapshot) at most ten times a second, and
    only once the browser has drawn the week before: weeks that pass meanwhile are skipped, never
    queued, so the charts never fall behind the counter however slow the browser."""
    with context:
        while True:
            latest.new.wait()
            latest.new.clear()
            began = time.perf_counter()
            if latest.done:
                if live.value is run:
                    publish(run, run.snapshot())
                    playing.value = False
                return
            week = latest.snapshot.step
            publish(run, latest.snapshot)
            deadline = began + DRAW_WAIT
            while drawn.value < week and time.perf_counter() < deadline and not latest.done:
                time.sleep(0.005)
            time.sleep(max(STATUS_INTERVAL - (time.perf_counter() - began), 0))


def step_once() -> None:
    run = live.value
    if run is None or playing.value or problem.value:
        return
    snapshot = run.step()
    if snapshot is not None:
        publish(run, snapshot)


def reset() -> None:
    """Back to the scenario's own parameters: every change and intervention made here is dropped."""
    start(scenario_values(scenario.value))


def replay() -> None:
    """The same settings from week 0, with the changes made here (interventions included)."""
    start(dict(values.value))


def begin_story() -> None:
    stop.value = 0
    start(dict(values.value))


_uploads: dict[str, inputs.Uploads] = {}  # browser session (kernel) id -> the files it uploaded


def session_uploads() -> inputs.Uploads:
    """This browser session's uploads (a private temporary folder, deleted when the session ends)."""
    return _uploads.setdefault(kernel_context.get_current_context().id, inputs.Uploads())


def _forget_uploads():
    """At a session's start, arrange for its uploads to be deleted at its end."""
    session = kernel_context.get_current_context().id

    def closed():
        files = _uploads.pop(session, None)
        if files is not None:
            files.close()
    return closed


solara.lab.on_kernel_start(_forget_uploads)


def upload(name: str, filename: str, data: bytes) -> None:
    """A file dropped on the page: kept in this session's folder, then chosen for ``name``."""
    try:
        label = session_uploads().add(filename, data)
    except ParamError as error:
        problem.value = str(error)
        return
    change(name, label)


def change(name: str, value) -> None:
    """A browser changed ``name``: check it, then a new run from week 0, or, for a lever moved while a run
    is under way, an intervention from next week."""
    try:
        value = inputs.checked(name, value, session_uploads())
    except ParamError as error:
        problem.value = str(error)
        return
    run = live.value
    if run is not None and 0 < run.week and not run.finished and name in CHANGEABLE and not problem.value:
        intervene(run, name, value)
    else:
        start({**values.value, name: value})


def change_text(name: str, text: str) -> None:
    """A value typed in a field: read as the command line reads ``--set NAME=TEXT``, then :func:`change`."""
    try:
        _, value = inputs.assignment(f"{name}={text}")
    except ParamError as error:
        values.value = {**values.value, name: text}  # the field keeps what was typed, beside the message
        problem.value = str(error)
        return
    change(name, value)


def change_seed(text) -> None:
    try:
        change("seed", inputs.seed(text))
    except ParamError as error:
        values.value = {**values.value, "seed": text}
        problem.value = str(error)


def intervene(run: LiveRun, name: str, value) -> None:
    """Change ``name`` from the next week on, and write it into ``interventions`` so that the
    reproducing command and "replay with my changes" give this very run."""
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


def choose_scenario(name) -> None:
    if name not in scenarios.available():  # a select sends only its options; anything else is refused
        problem.value = f"scenario={inputs.short(name)}: unknown; built-in: {', '.join(scenarios.available())}"
        return
    scenario.value = name
    stop.value = None
    start(scenario_values(name))


def show_band() -> None:
    """Run the current settings BAND_RUNS times (other seeds) and draw their middle 80% behind this run."""
    run = live.value
    if run is None:
        return
    from experiments.compare import compare

    try:
        cost.check(cost.estimate([run.params.to_dict()], runs_per_point=BAND_RUNS), what="the band")
        result = compare(run.params, ["baseline"], replicates=BAND_RUNS)["baseline"]
    except ParamError as error:
        problem.value = str(error)
        return
    bands = result.band(0.1, 0.9)
    band.value = {"low": bands["low"].tolist(), "high": bands["high"].tolist(), "runs": BAND_RUNS,
                  "run": run}


# --- components ------------------------------------------------------------------

@solara.component
def Status():
    shown = status.value
    if shown is None:
        return
    snapshot, run = shown.snapshot, shown.run
    with solara.Row(style={"align-items": "center", "flex-wrap": "wrap"}):
        solara.Text(f"Week {snapshot.step} of {run.params.steps}", classes=["week-counter", "chip"])
        solara.Text(f"Staff believing {snapshot.believers:.0%}", classes=["believer-share", "chip"],
                    style={"color": charts.palette.BELIEVER, "font-weight": "600"})
        solara.Text(f"Customers expecting it {snapshot.customers:.0%}", classes=["customer-share", "chip"],
                    style={"color": charts.palette.CUSTOMER, "font-weight": "600"})
        if measured.value:
            solara.Text(f"last play: {measured.value}", classes=["measured-speed"],
                        style={"font-size": "13px", "color": "#666"})
    if run.params.economics:
        Economics(snapshot)


@solara.component
def Economics(snapshot: charts.Snapshot):
    """Profit, morale and customers kept this week: the economic loop, when it is on."""
    series = snapshot.series
    profit, morale, kept = series["profit"][-1], series["morale"][-1], series["customer_base"][-1]
    verdict = "profit" if profit >= 0 else "loss"
    with solara.Row(classes=["economics-panel"], style={"align-items": "center", "flex-wrap": "wrap"}):
        solara.Text(f"Weekly {verdict} {profit:+.1%} of revenue", classes=["economics-profit", "chip"],
                    style={"color": "#1b7837" if profit >= 0 else "#b2182b", "font-weight": "600"})
        solara.Text(f"Staff morale {morale:.0%}", classes=["economics-morale", "chip"])
        solara.Text(f"Customers kept {kept:.0%}", classes=["economics-customers", "chip"])


@solara.component
def RunButtons():
    run = live.value
    finished = run is None or run.finished
    blocked = bool(problem.value)
    with solara.Row(style={"align-items": "center", "flex-wrap": "wrap", "gap": "6px"}):
        if playing.value:
            solara.Button("Pause", icon_name="mdi-pause", color="primary", on_click=lambda: playing.set(False),
                          classes=["run-pause"])
        else:
            solara.Button("Play", icon_name="mdi-play", color="primary", on_click=play,
                          disabled=finished or blocked, classes=["run-play"])
        solara.Button("Step", icon_name="mdi-step-forward", on_click=step_once,
                      disabled=playing.value or finished or blocked, classes=["run-step"])
        with solara.Tooltip("Back to the scenario's own settings: your changes and interventions are dropped."):
            solara.Button("Reset", icon_name="mdi-restore", on_click=reset, classes=["run-reset"])
        with solara.Tooltip("Week 0 again with your changes, including the levers you moved during the run."):
            solara.Button("Replay with my changes", icon_name="mdi-replay", on_click=replay,
                          disabled=blocked, classes=["run-replay"])
        with solara.Div(classes=["speed-select"], style={"width": "140px"}):
            solara.Select("speed", values=list(SPEEDS), value=speed.value,
                          on_value=lambda v: speed.set(v) if v in SPEEDS else None)
        if stop.value is None:
            solara.Button("Story mode", icon_name="mdi-school", color="secondary", on_click=begin_story,
                          disabled=blocked, classes=["story-start"])
        with solara.Tooltip(f"Run these settings {BAND_RUNS} more times with other seeds and shade the middle "
                            f"80% behind this run on the arc: is this run typical?"):
            solara.Button("Is this run typical?", icon_name="mdi-chart-bell-curve", on_click=show_band, text=True,
                          disabled=blocked or playing.value, classes=["band-show"])


@solara.component
def StoryCard():
    index = stop.value
    shown = status.value
    if index is None or shown is None:
        return
    current = story.STOPS[index]
    last = index == len(story.STOPS) - 1
    with solara.Card(classes=["story-card"]):
        solara.Text(f"Story {index + 1} of {len(story.STOPS)}: {current.title}", classes=["story-title"])
        solara.Text(current.text(shown.snapshot, shown.run.params), classes=["story-text"])
        with solara.Row():
            if not last and not playing.value and not shown.run.finished:
                solara.Button("Continue", icon_name="mdi-play", color="primary", on_click=play,
                              disabled=bool(problem.value), classes=["story-continue"])
            if playing.value:
                solara.Text("playing to the next stop…", style={"font-size": "16px", "color": "#555"})
            solara.Button("Leave story mode", text=True, on_click=lambda: stop.set(None), classes=["story-leave"])


@solara.component
def Chart(name: str, caption: str, option: dict, week: int, highlighted: bool, backdrop: str = ""):
    """One live chart: ECharts on top of an optional static SVG backdrop (the organisation's ties)."""
    classes = [f"chart-{name}", "live-chart"] + (["highlighted"] if highlighted else [])
    with solara.Div(classes=classes):
        with solara.Div(style={"position": "relative"}):
            if backdrop:
                solara.HTML(tag="div", unsafe_innerHTML=backdrop, classes=["chart-backdrop"],
                            style={"position": "absolute", "inset": "0"})
            solara.FigureEcharts(option=option, attributes={
                "style": f"height: {HEIGHTS.get(name, 340)}px; width: 100%", "data-week": str(week),
                "class": "echart"}, responsive=True)
        Caption(caption)
        with solara.Row(style={"justify-content": "flex-end"}):
            if name in PNG_CHARTS:
                run = live.value
                solara.FileDownload(lambda: png(run, name), filename=f"adoption-{name}.png",
                                    label=f"{name} (PNG)", mime_type="image/png")


@solara.component
def Charts():
    shown = status.value
    if shown is None:
        return
    run, snapshot = shown.run, shown.snapshot
    focus = story.STOPS[stop.value].chart if stop.value is not None else None
    typical = band.value if band.value is not None and band.value["run"] is run else None
    units = run.view.kind == "units"
    figures = [
        ("organisation", charts.CAPTIONS["organisation_units" if units else "organisation"],
         live_charts.organisation(run.view, snapshot)),
        ("arc", charts.CAPTIONS["arc"] + (" The pale band is the middle 80% of "
                                          f"{BAND_RUNS} runs with other seeds." if typical else ""),
         live_charts.arc(snapshot, typical)),
        ("conversions", charts.CAPTIONS["conversions"], live_charts.conversions(snapshot)),
        ("moments", charts.CAPTIONS["moments"], live_charts.moments(snapshot)),
    ]
    if run.params.economics:
        figures.insert(2, ("economics", charts.CAPTIONS["economics"], live_charts.economics(snapshot)))
    with solara.Div(classes=["chart-grid"]):
        for name, caption, option in figures:
            Chart(name, caption, option, snapshot.step, highlighted=name == focus,
                  backdrop=run.ties_svg if name == "organisation" else "")
    BrowserHelper.element(target=f".chart-{focus}#{stop.value}" if focus else "")


@solara.component
def Export():
    run = live.value
    values.value  # redrawn when values change: an intervention changes run.params in place
    if run is None:
        return
    with solara.Card("Export and reproduce", classes=["export-card"]):
        solara.FileDownload(lambda: export.series_csv(run.snapshot().series), filename="adoption-run.csv",
                            label="Series (CSV)", mime_type="text/csv")
        solara.Text("The same run on the command line (the numbers are identical):", style={"font-size": "15px"})
        command = export.command(scenario.value, scenarios.load(scenario.value), run.params)
        for shown, path in session_uploads().files.items():  # an upload by its own name, not the server's copy
            command = command.replace(str(path), shown.removeprefix("upload:"))
        solara.HTML(tag="pre", unsafe_innerHTML=html.escape(command),
                    classes=["cli-command"], style={"white-space": "pre-wrap", "font-size": "14px",
                                                    "background": "#f4f4f4", "padding": "8px"})


@solara.component
def LiveTab():
    # The counters come after the charts in the page's tree (CSS shows them on top): the browser
    # applies updates in that order, so a counter never shows a week before the charts do.
    with solara.Div(classes=["live-tab"]):
        Charts()
        Export()
        with solara.Div(classes=["live-top"]):
            RunButtons()
            Status()
            StoryCard()


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
            solara.InputText("seed", value=str(current.get("seed", 0)), continuous_update=False,
                             on_value=change_seed)
    with solara.Div(classes=["problem-slot"]):  # always here, so the controls below never move or fold
        if problem.value:
            solara.Error(problem.value, classes=["param-problem"])
    ParameterPanel(current, change, change_text, Files(session_uploads(), upload))


@solara.component
def CompareTab():
    run = live.value
    Compare(run.params if run is not None and problem.value is None else None)


@solara.component
def YourOrganisationTab():
    run = live.value
    YourOrganisation(run.params if run is not None and problem.value is None else None, session_uploads())


TABS = [("Live run", "tab-live", LiveTab), ("Compare strategies", "tab-compare", CompareTab),
        ("Your organisation", "tab-your-organisation", YourOrganisationTab), ("Info", "tab-info", info.InfoTab)]


@solara.component
def Page():
    solara.Title("adoption: the customer comes first")
    solara.Style(CSS)
    if live.value is None and problem.value is None:
        start(scenario_values(scenario.value))
    BrowserHelper.element(on_width=width.set, on_drawn=drawn.set)
    with solara.AppBarTitle():
        solara.Text("How a value spreads: “the customer comes first”")
    with solara.Sidebar():
        Sidebar()
    with solara.lab.Tabs():
        for title, css, component in TABS:
            with solara.lab.Tab(title, classes=[css]):
                component()


@solara.component
def Layout(children=[]):
    """Solara's app layout, its sidebar folded away on a narrow window (a classroom projector)."""
    return solara.AppLayout(children=children, sidebar_open=width.value == 0 or width.value >= NARROW)


CSS = """
.caption { font-size: 15px; }
.v-application .v-label { font-size: 15px; }
.param-control { margin-bottom: 2px; }
.chip { font-size: 19px; padding: 3px 12px; border-radius: 16px; background: #f1f3f6; margin: 2px 8px 2px 0;
        white-space: nowrap; }
.chart-grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(460px, 1fr)); gap: 4px 16px; }
.live-chart { border: 3px solid transparent; border-radius: 6px; padding: 2px; }
.live-chart.highlighted { border-color: #e69f00; box-shadow: 0 0 10px rgba(230, 159, 0, 0.6); }
.live-tab { display: flex; flex-direction: column; }
.live-top { order: -1; position: sticky; top: 0; z-index: 5; background: white; padding-bottom: 4px; }
.story-card { border-left: 6px solid #0b5fa5 !important; margin: 6px 0; padding: 6px 12px !important; }
.story-title { font-size: 21px; font-weight: 600; display: block; }
.story-text { font-size: 18px; line-height: 1.4; display: block; margin: 4px 0; }
@media (max-width: 1100px) {
  .chart-grid { grid-template-columns: 1fr; }
  .chip { font-size: 17px; }
  .story-text { font-size: 17px; }
}
"""
