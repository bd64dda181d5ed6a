"""The "Your organisation" tab: upload your people, ties and pulse survey, fit the model, see the forecast.

A thin page over ``experiments.calibrate`` and ``experiments.forecast``, the
same API as ``adoption calibrate`` and ``adoption forecast``. Uploaded files
are written to a temporary folder of this browser session and only those
files (or the shipped example files) are ever opened: never a path the
browser sent.
"""

from __future__ import annotations

import html
from pathlib import Path

import solara

from adoption.params import ParamError, Params
from app import charts, inputs

EXAMPLE_SURVEY = Path(__file__).resolve().parent.parent / "experiments" / "surveys" / "example_pulse.csv"
FITTABLE = {  # parameters a leadership team asks about, with prior ranges that keep the fit quick
    "leader_influence": (0.0, 1.5), "peer_influence": (0.0, 1.5), "customer_feedback": (0.0, 3.0),
    "threshold": (0.1, 0.8),
}
DEFAULT_FIT = ["leader_influence", "customer_feedback"]
DEFAULT_STRATEGIES = "recognition=0.5, communication=0.3, training=0.3"
FORECAST_DRAWS = 60  # posterior draws per strategy: enough for a median and a 90% interval, quick on a server
KINDS = {"people": "people file (CSV/XLSX/Parquet)", "ties": "ties file (optional)",
         "survey": "pulse survey: week, respondents, agree"}


def example_files() -> dict:
    """The shipped example organisation and its pulse survey, as the tab's chosen files."""
    return {"survey": EXAMPLE_SURVEY, "people": "example_org"}


def base_params(params: Params | None, files: dict) -> Params:
    """The sidebar's parameters with the uploaded organisation (people and ties files) in place."""
    if params is None:
        raise ParamError("fix the parameters on the left first")
    changes = {kind: str(files[kind]) for kind in ("people", "ties") if kind in files}
    return params.replace(**changes) if changes else params


@solara.component
def YourOrganisation(params: Params | None, uploads: inputs.Uploads):
    """``uploads`` is this browser session's folder of uploaded files (shared with the live tab's picker)."""
    files = solara.use_reactive({})
    chosen = solara.use_reactive(list(DEFAULT_FIT))
    population = solara.use_reactive(40)
    generations = solara.use_reactive(4)
    strategies = solara.use_reactive(DEFAULT_STRATEGIES)
    progress = solara.use_reactive((0, 0.0, ""))
    problem = solara.use_reactive(None)

    def upload(kind):
        def receive(file: dict):
            try:
                shown = uploads.add(file["name"], file["data"])  # type and size checked, our own file name
                files.value = {**files.value, kind: uploads.files[shown]}
                problem.value = None
            except ParamError as error:
                problem.value = str(error)
        return receive

    def choose_example():
        files.value = example_files()
        problem.value = None

    def fit_and_forecast():
        from experiments.calibrate import Prior, calibrate
        from experiments.forecast import forecast
        from experiments.observations import Observations

        if "survey" not in files.value:
            raise ParamError("upload a pulse survey first (or use the example files)")
        if not chosen.value:
            raise ParamError("choose at least one parameter to fit")
        base = base_params(params, files.value)
        observations = Observations.read(staff=files.value["survey"])
        total = generations.value

        def report(generation, accepted, size, simulations):
            done = (generation + 1 + accepted / max(size, 1)) / (total + 1)
            label = "sampling the prior" if generation < 0 else f"generation {generation + 1} of at most {total}"
            progress.value = (generation, done, f"{label}: {accepted} of {size} particles ({simulations} runs)")

        folder = uploads.workspace()
        out = folder / f"fit-{len(list(folder.glob('fit-*')))}"
        fit = calibrate(observations, base, [Prior(name, *FITTABLE[name]) for name in chosen.value], out,
                        population=population.value, generations=total, workers=1, progress=report,
                        figure=False)
        packages = [part.strip() for part in strategies.value.split(",") if part.strip()]

        def report_forecast(done, runs):
            progress.value = (total, done / max(runs, 1), f"forecast: {done} of {runs} runs (baseline and "
                                                          f"{len(packages)} interventions on the same draws)")

        result = forecast(fit, draws=FORECAST_DRAWS, horizon=max(52, 2 * observations.last_week),
                          strategies=packages, progress=report_forecast)
        return {"summary": fit.summary(), "fit": charts.png(fit.plot(draws=40)), "forecast": charts.png(result.plot()),
                "text": result.to_text(), "headline": result.headline(),
                "waves": len(observations)}

    task = solara.lab.use_task(fit_and_forecast, dependencies=None)

    solara.Text("Fit the model to your own organisation: upload who works where (people, ties) and what your "
                "pulse survey found, and the model learns how strongly your staff follow leaders, colleagues "
                "and customers — with honest uncertainty. Then it forecasts when the majority will believe, "
                "and what each intervention would buy.",
                style={"font-size": "16px", "display": "block", "margin": "8px 0"})
    with solara.Row(style={"align-items": "flex-start", "flex-wrap": "wrap"}):
        for kind, label in KINDS.items():
            with solara.Div(classes=[f"upload-{kind}"], style={"min-width": "220px", "margin-right": "12px"}):
                solara.FileDrop(label=f"Drop your {label} here", on_file=upload(kind), lazy=False)
                shown = files.value.get(kind)
                solara.Text(f"{kind}: {Path(str(shown)).name if shown else 'none yet'}",
                            classes=[f"file-{kind}"], style={"font-size": "14px"})
        solara.Button("Use the example files", icon_name="mdi-folder-star", on_click=choose_example,
                      classes=["use-example"])
    with solara.Row(style={"align-items": "center", "flex-wrap": "wrap"}):
        with solara.Div(classes=["fit-parameters"], style={"min-width": "360px"}):
            solara.SelectMultiple("parameters to fit", values=chosen.value, all_values=list(FITTABLE),
                                  on_value=chosen.set)
        with solara.Div(classes=["fit-particles"], style={"min-width": "200px"}):
            solara.SliderInt(f"particles: {population.value}", value=population, min=20, max=200, step=10)
        with solara.Div(classes=["fit-generations"], style={"min-width": "200px"}):
            solara.SliderInt(f"generations: {generations.value}", value=generations, min=1, max=8)
        with solara.Tooltip("Comma-separated intervention packages, each starting the week after your last "
                            "survey; join changes with + (e.g. training=0.3+empowerment=0.9)."):
            with solara.Div(classes=["fit-strategies"], style={"min-width": "420px"}):
                solara.InputText("interventions to rank", value=strategies, continuous_update=False)
        solara.Button("Fit and forecast", color="primary", icon_name="mdi-chart-bell-curve", on_click=task,
                      disabled=task.pending, classes=["fit-run"])
    if problem.value:
        solara.Error(problem.value, classes=["upload-problem"])
    if task.pending:
        solara.ProgressLinear(progress.value[1] * 100 if progress.value[1] else True)
        solara.Text(progress.value[2], classes=["fit-progress"], style={"font-size": "14px"})
    if task.error:
        solara.Error(str(task.exception), classes=["fit-error"])
    if task.finished and task.value:
        result = task.value
        solara.Success(result["headline"], classes=["forecast-headline"], text=True, dense=True)
        SummaryTable(result["summary"], result["waves"])
        with solara.Columns([2, 3]):
            with solara.Div(classes=["chart-fit"]):
                solara.Image(result["fit"], width="100%")
                _caption("Each dot is a survey wave with its 95% interval; the bands are where the fitted model "
                         "puts the believing share (50% and 90%). Dots inside the bands: the model can tell "
                         "your story.")
            with solara.Div(classes=["chart-forecast"]):
                solara.Image(result["forecast"], width="100%")
                _caption("Left: the forecast fan from your last survey on (50% and 90% bands). Right: weeks to "
                         "a majority gained by each intervention, paired run by run against doing nothing.")
        solara.HTML(tag="pre", unsafe_innerHTML=html.escape(result["text"]), classes=["forecast-text"],
                    style={"white-space": "pre-wrap", "font-size": "14px", "background": "#f4f4f4",
                           "padding": "8px"})


@solara.component
def SummaryTable(summary: list[dict], waves: int):
    rows = "".join(
        f"<tr><td>{html.escape(row['parameter'])}</td><td>{row['prior_low']:g}–{row['prior_high']:g}</td>"
        f"<td>{row['median']:.3g}</td><td>[{row['low']:.3g}, {row['high']:.3g}]</td>"
        f"<td>{'yes' if row['pinned'] else 'no: the survey cannot tell (posterior ≈ prior)'}</td></tr>"
        for row in summary)
    solara.HTML(tag="table", classes=["fit-summary"], unsafe_innerHTML=(
        "<tr><th>parameter</th><th>prior range</th><th>median</th><th>90% interval</th><th>pinned down?</th></tr>"
        + rows))
    _caption(f"What {waves} survey waves say about each parameter: the middle value and the range that holds it "
             f"with 90% probability.")


def _caption(text: str):
    solara.Text(text, classes=["caption"], style={"font-size": "15px", "color": "#333", "display": "block",
                                                 "margin": "2px 8px 14px 8px", "line-height": "1.35"})
