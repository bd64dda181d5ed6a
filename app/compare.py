"""The compare tab: rollout strategies or interventions over common seeds, with their spread and time
to a majority.

A thin page over ``experiments.compare.compare``: every strategy runs the same
replicate seeds, so differences come from the strategy and not from luck. A
leadership team asks two questions here: whom to convince first (seeding
strategies) and what to fund (intervention packages against the baseline).
"""

from __future__ import annotations

import html
import math

import solara

from adoption.params import ParamError, Params, describe
from app import charts, inputs

DEFAULT_STRATEGIES = ("random", "leaders", "frontline", "hubs", "brokers", "unit")
DEFAULT_INTERVENTIONS = "baseline, recognition=0.5, communication=0.3, turnover=0.25+hiring_fit=0.5, training=0.3"
WHOM, WHAT = "whom to convince first", "what to fund"
MAX_REPLICATES = 40  # runs per strategy the page allows (the command line allows more)


def _weeks(estimate) -> str:
    if not estimate.reached:
        return "never"
    if math.isnan(estimate.low):
        return f"{estimate.mean:.1f}"
    return f"{estimate.mean:.1f} [{estimate.low:.1f}–{estimate.high:.1f}]"


@solara.component
def Compare(params: Params | None):
    choices = list(describe("seeding")["choices"])
    strategies = solara.use_reactive([name for name in DEFAULT_STRATEGIES if name in choices][:4] or choices[:2])
    question = solara.use_reactive(WHOM)
    interventions = solara.use_reactive(DEFAULT_INTERVENTIONS)
    replicates = solara.use_reactive(8)
    progress = solara.use_reactive(0.0)

    def run_comparison():
        """The comparison's charts and table, or {"error": one line}: never an exception (no traceback page)."""
        try:
            chosen = chosen_strategies(question.value, strategies.value, interventions.value)
            return comparison_result(params, chosen, replicates.value, progress)
        except ParamError as error:
            return {"error": str(error)}
        except Exception as error:  # a failed run: say what failed, keep the page
            return {"error": f"compare: {inputs.short(error)}"}

    def choose_question(value):
        if value in (WHOM, WHAT):  # a toggle sends only its own values; anything else is ignored
            question.value = value

    def choose_strategies(values):
        strategies.value = [value for value in values if value in choices]

    task = solara.lab.use_task(run_comparison, dependencies=None)

    solara.Text("Which first 5% wins the majority soonest, and what does each intervention buy? Each "
                "strategy below runs the same organisations (same seeds), so the difference you see is the "
                "strategy's. The parameters on the left apply.",
                style={"font-size": "16px", "display": "block", "margin": "8px 0"})
    with solara.Row(style={"align-items": "center", "flex-wrap": "wrap"}):
        with solara.Div(classes=["compare-question"]):
            solara.ToggleButtonsSingle(value=question.value, values=[WHOM, WHAT], on_value=choose_question)
        if question.value == WHOM:
            with solara.Tooltip(describe("seeding")["meaning"]):
                with solara.Div(classes=["compare-strategies"], style={"min-width": "320px"}):
                    solara.SelectMultiple("strategies (whom to convince first)", values=strategies.value,
                                          all_values=choices, on_value=choose_strategies)
        else:
            with solara.Tooltip("Comma-separated packages of parameter changes; join changes with + "
                                "(e.g. training=0.3+empowerment=0.9); 'baseline' is the run on the left unchanged."):
                with solara.Div(classes=["compare-interventions"], style={"flex": "1 1 520px", "min-width": "420px"}):
                    solara.InputTextArea("interventions (the first is the reference)", value=interventions,
                                         continuous_update=False, rows=1, auto_grow=True)
        with solara.Div(style={"min-width": "240px"}):
            solara.SliderInt(f"runs per strategy: {replicates.value}", value=replicates.value, min=2,
                             max=MAX_REPLICATES, thumb_label=True,
                             on_value=lambda v: replicates.set(min(max(int(v), 2), MAX_REPLICATES)))
        solara.Button("Compare strategies", color="primary", icon_name="mdi-scale-balance", on_click=task,
                      disabled=task.pending or len(strategies.value) < 1, classes=["compare-run"])
    if task.pending:
        solara.ProgressLinear(progress.value * 100 if progress.value else True)
    if task.error:  # not expected (run_comparison returns its errors), but never a traceback page
        solara.Error(f"compare: {inputs.short(task.exception)}", classes=["compare-error"])
    if task.finished and task.value and "error" in task.value:
        solara.Error(task.value["error"], classes=["compare-error"])
    elif task.finished and task.value:
        result = task.value
        solara.Text(result["summary"], style={"font-size": "15px"})
        with solara.Div(style={"max-width": "900px"}):  # one under the other: legible on a projector
            with solara.Div(classes=["chart-bands"]):
                solara.Image(result["bands"], width="100%")
                Caption(charts.CAPTIONS["bands"])
            with solara.Div(classes=["chart-majority"]):
                solara.Image(result["majority"], width="100%")
                Caption(charts.CAPTIONS["majority"])
        StrategyTable(result["table"], result["first"])
        solara.FileDownload(result["bands"], filename="adoption-compare.png", label="Compare chart (PNG)",
                            mime_type="image/png")


def chosen_strategies(question: str, strategies: list, interventions: str) -> list[str]:
    """The strategies to compare, each checked as the browser sent it (no server path, no unknown name)."""
    if question == WHOM:
        chosen = [inputs.checked("seeding", name) for name in strategies]
    else:
        chosen = [part.strip() for part in str(interventions).split(",") if part.strip()]
        for package in chosen:
            inputs.package(package)  # built-in names only: a package never names a file
    if not chosen:
        raise ParamError("compare: choose at least one strategy")
    return chosen


def comparison_result(params: Params | None, chosen: list[str], replicates: int, progress) -> dict:
    """Run the comparison; its charts (PNG), table rows and summary line."""
    from experiments.compare import compare, variant

    if params is None:
        raise ParamError("compare: fix the parameters on the left first")
    for strategy in chosen:
        params.replace(**variant(strategy))  # values in range, with the command line's message
    progress.value = 0.0

    def report(done, total):
        progress.value = done / max(total, 1)

    comparison = compare(params, chosen, replicates=min(max(int(replicates), 2), MAX_REPLICATES), progress=report)
    first = chosen[0]
    table = [{**row, "paired": comparison.difference(row["strategy"], first),
              "profit": comparison[row["strategy"]].final_profit} for row in comparison.table((0.2, 0.5))]
    return {"bands": charts.png(charts.strategy_bands(comparison)),
            "majority": charts.png(charts.time_to_majority(comparison)),
            "table": table, "first": first,
            "summary": f"{params.employees:,} employees, {params.customers:,} customers, {params.steps} weeks; "
                       f"{comparison.replicates} runs per strategy with the same seeds"}


@solara.component
def Caption(text: str):
    solara.Text(text, classes=["caption"], style={"font-size": "15px", "color": "#333", "display": "block",
                                                 "margin": "2px 8px 14px 8px", "line-height": "1.35"})


@solara.component
def StrategyTable(table: list[dict], first: str):
    """Weeks to 20% and 50% per strategy, as a plain HTML table (no Markdown: it would load maths fonts)."""
    number = '<td style="white-space: nowrap; padding: 0 6px">'
    economics = any(row["profit"] is not None for row in table)
    cells = "".join(
        f"<tr><td>{html.escape(row['strategy']).replace('+', '+<br>')}</td>{number}{_weeks(row['to_20'])}</td>"
        f"{number}{_weeks(row['to_50'])}</td>{number}{row['to_50'].reached} of {row['to_50'].runs}</td>"
        f"{number}{_paired(row, first)}</td>"
        + (f"{number}{_profit(row['profit'])}</td>" if economics else "") + "</tr>" for row in table)
    solara.HTML(tag="table", classes=["strategy-table"], unsafe_innerHTML=(
        "<tr><th>strategy</th><th>weeks to 20%</th><th>weeks to 50%</th><th>runs reaching 50%</th>"
        f"<th>vs {html.escape(first)}</th>" + ("<th>final weekly profit</th>" if economics else "") + "</tr>"
        + cells))
    solara.Text(f"Weeks: mean [95% interval] over the runs that got there. The last column is the change in weeks "
                f"to 50% against {first}, run by run on the same seeds (negative: sooner).", style={"font-size": "14px"})


def _paired(row: dict, first: str) -> str:
    mean, low, high, pairs = row["paired"]
    if row["strategy"] == first:
        return "reference"
    if pairs == 0:
        return "-"
    return f"{mean:+.1f}" + (f" [{low:+.1f} to {high:+.1f}]" if not math.isnan(low) else "")


def _profit(profit) -> str:
    """Mean final weekly profit as a share of the starting weekly revenue, with its 95% interval."""
    if profit is None:
        return "-"
    mean, low, high = profit
    return f"{mean:+.1%}" + (f" [{low:+.1%} to {high:+.1%}]" if not math.isnan(low) else "")
