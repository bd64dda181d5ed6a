"""The live page's charts as ECharts options: data for the browser to draw, not pictures.

Each function takes a :class:`~app.charts.Snapshot` (a copy of the run at one
week) and returns an ECharts option (plain JSON-able data). The browser draws
it with the ECharts copy that ``solara-assets`` ships (served from this
machine, never a CDN), so a redraw costs the server a few milliseconds and the
charts show the week on the counter. ``app.charts`` keeps the matplotlib
versions for PNG export and the docs.

Every chart keeps its legend above the plotting area (never over the data) and
its text at 12 px or more (legible on a classroom projector).
"""

from __future__ import annotations

import math

import numpy as np

from adoption.results import DIRECT_SOURCES, MILESTONES
from adoption.rules.base import SOURCES
from agents.roles import ROLES
from experiments import palette

TEXT = {"fontSize": 13, "color": palette.INK}
TITLE = {"left": 8, "top": 4, "textStyle": {"fontSize": 15, "fontWeight": "bold", "color": palette.INK}}
LEGEND = {"type": "scroll", "top": 30, "left": 8, "right": 8, "textStyle": {"fontSize": 13}, "itemGap": 14}  # one line
# ECharts symbols for the roles of the organisation picture (after palette.ROLE_MARKERS)
SYMBOLS = {"leader": "path://M50,0 L61,35 L98,35 L68,57 L79,91 L50,70 L21,91 L32,57 L2,35 L39,35 Z",
           "manager": "rect", "front_line": "circle", "back_office": "triangle"}
SYMBOL_SIZES = {"leader": 20, "manager": 9, "front_line": 8, "back_office": 7}
ROLE_NAMES = {"leader": "executive", "manager": "manager", "front_line": "front line", "back_office": "back office"}


def _base(title: str, top: int = 62) -> dict:
    """Options every chart shares: no animation (a live chart must keep up), title, legend room, fonts."""
    return {"animation": False, "textStyle": TEXT, "title": {**TITLE, "text": title},
            "grid": {"left": 64, "right": 72, "top": top, "bottom": 48, "containLabel": False},
            "tooltip": {"trigger": "axis"}}


def _weeks_axis(planned: int) -> dict:
    return {"type": "value", "min": 0, "max": planned, "name": "week", "nameLocation": "middle", "nameGap": 28,
            "minInterval": 1, "axisLabel": {"fontSize": 12, "showMaxLabel": False}, "nameTextStyle": {"fontSize": 13}}


def _percent_axis(name: str, high: float = 1.0, **extra) -> dict:
    return {"type": "value", "min": 0, "max": high, "name": name, "nameLocation": "middle", "nameGap": 44,
            "axisLabel": {"fontSize": 12, "formatter": "{value}"}, "nameTextStyle": {"fontSize": 13},
            "splitLine": {"lineStyle": {"opacity": 0.3}}, **extra}


def _points(values) -> list:
    """[week, value] pairs; NaN (no value that week) as a gap."""
    return [[week, None if value is None or (isinstance(value, float) and math.isnan(value)) else round(float(value), 4)]
            for week, value in enumerate(values)]


def _percent(values) -> list:
    return [[week, None if value is None else round(100 * value, 2)] for week, value in _points(values)]


def arc(snapshot, band: dict | None = None) -> dict:
    """Staff and customers who believe, the 5/20/50/80% milestones, interventions, and optionally the band
    of many runs of the same settings (is this run typical?)."""
    option = _base(f"The arc: week {snapshot.step}")
    series = snapshot.series
    milestone_lines = []
    for level in MILESTONES:
        week = snapshot.milestones.get(str(level))
        label = f"{level:.0%}" + (f" · wk {week}" if week is not None else "")
        milestone_lines.append({"yAxis": 100 * level, "label": {"formatter": label, "fontSize": 12,
                                                                "position": "end"}})
    for week, changes in snapshot.changes:
        milestone_lines.append({"xAxis": week - 0.5, "lineStyle": {"type": "dashed", "color": palette.INK},
                                "label": {"formatter": ", ".join(f"{k}={v}" for k, v in changes.items()),
                                          "fontSize": 11, "position": "insideEndTop"}})
    reached = [{"coord": [week, 100 * float(level)], "value": ""} for level, week in snapshot.milestones.items()
               if week is not None]
    lines = [
        {"name": "staff who believe", "type": "line", "data": _percent(series["believers"]), "showSymbol": False,
         "lineStyle": {"width": 3}, "color": palette.BELIEVER, "z": 3,
         "markLine": {"silent": True, "symbol": "none", "lineStyle": {"type": "dotted", "color": palette.MILESTONE},
                      "data": milestone_lines},
         "markPoint": {"symbol": "circle", "symbolSize": 9, "data": reached, "itemStyle": {"color": palette.BELIEVER}}},
        {"name": "customers who expect it", "type": "line", "data": _percent(series["customers_believing"]),
         "showSymbol": False, "lineStyle": {"width": 2.5}, "color": palette.CUSTOMER, "z": 3},
    ]
    if band is not None:
        low = [[w, round(100 * v, 2)] for w, v in enumerate(band["low"])]
        width = [[w, round(100 * (h - l), 2)] for w, (l, h) in enumerate(zip(band["low"], band["high"]))]
        lines += [
            {"name": "band", "type": "line", "data": low, "stack": "band", "showSymbol": False,
             "lineStyle": {"opacity": 0}, "tooltip": {"show": False}, "silent": True},
            {"name": f"middle 80% of {band['runs']} runs", "type": "line", "data": width, "stack": "band",
             "showSymbol": False, "lineStyle": {"opacity": 0}, "areaStyle": {"color": palette.BELIEVER, "opacity": 0.15},
             "color": "#9bbcdc", "silent": True, "tooltip": {"show": False}},
        ]
    option.update(xAxis=_weeks_axis(snapshot.planned), yAxis=_percent_axis("share of people (%)", 100),
                  series=lines, legend={**LEGEND, "data": [s["name"] for s in lines if s["name"] != "band"]})
    return option


def conversions(snapshot) -> dict:
    """New believers per week, stacked by who convinced them; totals in the legend."""
    option = _base(f"Who convinced the new believers: week {snapshot.step}")
    bars, tallest = [], np.zeros(len(snapshot.series["believers"]))
    for source in (*SOURCES, *DIRECT_SOURCES):
        counts = np.asarray(snapshot.series[f"conversions_{source}"], dtype=float)
        if source in DIRECT_SOURCES and counts.sum() == 0:
            continue  # hires, training and innovators appear only where a lever or rule makes them
        tallest += counts
        bars.append({"name": f"{palette.SOURCE_LABELS[source]}: {int(counts.sum())}", "type": "bar",
                     "stack": "sources", "barCategoryGap": "15%", "color": palette.SOURCE_COLOURS[source],
                     "data": [[week, int(c)] for week, c in enumerate(counts)]})
    option.update(xAxis=_weeks_axis(snapshot.planned),
                  yAxis={"type": "value", "min": 0, "max": int(max(4, math.ceil(tallest.max() * 1.15))),
                         "minInterval": 1, "name": "new believers per week", "nameLocation": "middle", "nameGap": 40,
                         "axisLabel": {"fontSize": 12}, "nameTextStyle": {"fontSize": 13},
                         "splitLine": {"lineStyle": {"opacity": 0.3}}},
                  series=bars, legend={**LEGEND, "data": [bar["name"] for bar in bars]})
    option["grid"]["top"] = 72
    return option


def moments(snapshot) -> dict:
    """Moments of truth per week (bars) and the share that served the customer well (line, right axis)."""
    total = int(snapshot.series["moments_of_truth_total"][-1])
    option = _base(f"Moments of truth: {total:,} so far (week {snapshot.step})")
    counts = [int(c) for c in snapshot.series["moments_of_truth"]]
    satisfaction = _percent(snapshot.series["satisfaction"])
    option.update(
        xAxis=_weeks_axis(snapshot.planned),
        yAxis=[{"type": "value", "min": 0, "name": "moments per week", "nameLocation": "middle", "nameGap": 52,
                "axisLabel": {"fontSize": 12}, "nameTextStyle": {"fontSize": 13},
                "splitLine": {"lineStyle": {"opacity": 0.3}}},
               _percent_axis("served well (%)", 100, position="right", splitLine={"show": False})],
        series=[{"name": "moments of truth", "type": "bar", "data": [[w, c] for w, c in enumerate(counts)],
                 "color": palette.MOMENTS, "itemStyle": {"opacity": 0.5}, "barCategoryGap": "15%"},
                {"name": "served well (%)", "type": "line", "yAxisIndex": 1, "data": satisfaction,
                 "color": palette.SATISFACTION, "lineStyle": {"width": 2.5}, "symbolSize": 4}],
        legend={**LEGEND, "data": ["moments of truth", "served well (%)"]})
    option["grid"]["left"] = 76
    return option


def economics(snapshot) -> dict:
    """The economic loop: weekly profit (share of the starting revenue), staff morale and customers kept."""
    series = snapshot.series
    option = _base(f"The business: week {snapshot.step}")
    option.update(
        xAxis=_weeks_axis(snapshot.planned),
        yAxis=[{"type": "value", "name": "profit (% of revenue)", "nameLocation": "middle", "nameGap": 44,
                "axisLabel": {"fontSize": 12}, "nameTextStyle": {"fontSize": 13},
                "splitLine": {"lineStyle": {"opacity": 0.3}}},
               _percent_axis("morale, customers kept (%)", None, position="right", splitLine={"show": False},
                             min=0, scale=False)],
        series=[{"name": "weekly profit", "type": "line", "data": _percent(series["profit"]), "showSymbol": False,
                 "color": palette.INK, "lineStyle": {"width": 3},
                 "markLine": {"silent": True, "symbol": "none", "data": [{"yAxis": 0}],
                              "lineStyle": {"color": palette.MILESTONE}, "label": {"show": False}}},
                {"name": "staff morale", "type": "line", "yAxisIndex": 1, "data": _percent(series["morale"]),
                 "showSymbol": False, "color": palette.PEER, "lineStyle": {"width": 2.5}},
                {"name": "customers kept", "type": "line", "yAxisIndex": 1, "data": _percent(series["customer_base"]),
                 "showSymbol": False, "color": palette.CUSTOMER, "lineStyle": {"width": 2.5, "type": "dashed"}}],
        legend={**LEGEND, "data": ["weekly profit", "staff morale", "customers kept"]})
    option["yAxis"][1].pop("max")
    return option


ORG_GRID = {"left": 12, "right": 84, "top": 72, "bottom": 12}  # px: the ties' SVG sits in the same box


def _bounds(view) -> tuple[float, float, float, float]:
    low, high = view.xy.min(axis=0), view.xy.max(axis=0)
    pad = 0.03 * max(float((high - low).max()), 1e-9)
    return float(low[0] - pad), float(high[0] + pad), float(low[1] - pad), float(high[1] + pad)


def organisation(view, snapshot) -> dict:
    """The organisation: one dot per employee (or per team when large), coloured by belief.

    Only the dots change from week to week; the ties are drawn once per run by
    :func:`ties_svg` under the chart (redrawing a thousand ties every week
    would cost the browser more than a week lasts).
    """
    values = np.round(view.shares(snapshot.conviction, snapshot.unit), 3)
    xy = np.round(view.xy, 4)
    x0, x1, y0, y1 = _bounds(view)
    series = []
    if view.kind == "employees":
        shrink = min(1.0, math.sqrt(400 / max(view.employees, 1))) ** 0.5
        for code, role in enumerate(ROLES):
            members = np.flatnonzero(view.role == code)
            if not len(members):
                continue
            members = members[np.argsort(values[members], kind="stable")]  # believers drawn on top
            series.append({"name": ROLE_NAMES[role], "type": "scatter", "symbol": SYMBOLS[role],
                           "symbolSize": round(SYMBOL_SIZES[role] * shrink, 1),
                           "z": 3 if role in ("leader", "manager") else 2,
                           "itemStyle": {"borderColor": palette.INK,
                                         "borderWidth": 1.2 if role in ("leader", "front_line") else 0.3},
                           "data": [[float(xy[i, 0]), float(xy[i, 1]), float(values[i])] for i in members]})
        title = f"Who believes, week {snapshot.step}: {view.employees:,} employees"
        scale = "conviction (0 doubts, 1 believes)"
    else:
        top = max(float(view.size.max()), 1.0)
        front = view.role == ROLES.index("front_line")
        for name, chosen, border in (("front-line team", front, 1.4),
                                     ("other team", ~front, 0.3)):
            series.append({"name": name, "type": "scatter", "symbol": "circle",
                           "itemStyle": {"borderColor": palette.INK, "borderWidth": border},
                           "data": [{"value": [float(xy[i, 0]), float(xy[i, 1]), float(values[i])],
                                     "symbolSize": round(6 + 22 * math.sqrt(view.size[i] / top), 1)}
                                    for i in np.flatnonzero(chosen)]})
        shown = f"{len(view.members)} largest teams" if len(view.members) < view.units else f"{view.units} teams"
        title = f"Who believes, week {snapshot.step}: {shown} of {view.employees:,}"
        scale = "share of the team who believe"
    option = _base(title)
    hidden = {"show": False}
    option.update(
        backgroundColor="transparent", tooltip={"show": False}, grid={**ORG_GRID, "containLabel": False},
        xAxis={"type": "value", "min": x0, "max": x1, "show": False, "splitLine": hidden},
        yAxis={"type": "value", "min": y0, "max": y1, "show": False, "splitLine": hidden},
        legend={**LEGEND, "data": [{"name": one["name"], "icon": one["symbol"]} for one in series],
                "itemStyle": {"color": "#ffffff", "borderColor": palette.INK, "borderWidth": 1}},
        visualMap={"type": "continuous", "min": 0, "max": 1, "dimension": 2, "calculable": False,
                   "seriesIndex": list(range(len(series))), "orient": "vertical", "right": 6, "top": "middle",
                   "itemHeight": 140, "precision": 1, "text": ["believes", "doubts"], "textStyle": {"fontSize": 12},
                   "inRange": {"color": [palette.DOUBTER, palette.UNDECIDED, palette.BELIEVER]}},
        series=series)
    option["title"]["subtext"] = f"colour: {scale}"
    option["title"]["subtextStyle"] = {"fontSize": 12}
    return option


def ties_svg(view) -> str:
    """The ties between the dots of :func:`organisation` as an SVG drawn once per run, placed in the
    chart's plotting box (same data bounds; SVG's y axis points down)."""
    x0, x1, y0, y1 = _bounds(view)
    xy = view.xy
    lines = "".join(f"M{xy[a, 0]:.4f} {y1 + y0 - xy[a, 1]:.4f}L{xy[b, 0]:.4f} {y1 + y0 - xy[b, 1]:.4f}"
                    for a, b in view.links)
    box = ORG_GRID
    return (f'<svg viewBox="{x0:.4f} {y0:.4f} {x1 - x0:.4f} {y1 - y0:.4f}" preserveAspectRatio="none" '
            f'style="position: absolute; left: {box["left"]}px; right: {box["right"]}px; top: {box["top"]}px; '
            f'bottom: {box["bottom"]}px; width: calc(100% - {box["left"] + box["right"]}px); '
            f'height: calc(100% - {box["top"] + box["bottom"]}px)">'
            f'<path d="{lines}" stroke="{palette.EDGE}" stroke-opacity="0.35" stroke-width="0.6" fill="none" '
            f'vector-effect="non-scaling-stroke"/></svg>')
