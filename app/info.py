"""The Info tab: what the model is, its loop as a diagram, how it works, things to try, sources.

Plain HTML (no Markdown component: it would load maths fonts) and an inline
SVG diagram, so the tab needs nothing from the internet. The full description
is docs/model.md in the repository; this tab is the version for a class.
"""

from __future__ import annotations

import solara

from experiments import palette

LOOP_SVG = f"""
<svg viewBox="0 0 760 300" width="100%" style="max-width: 760px" role="img"
     aria-label="The loop: staff who believe give good moments of truth, customers come to expect the value,
     customers press the remaining staff">
  <defs>
    <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" orient="auto">
      <path d="M0,0 L10,5 L0,10 z" fill="{palette.INK}"/>
    </marker>
  </defs>
  <g font-family="sans-serif" font-size="17" text-anchor="middle">
    <rect x="20" y="110" width="200" height="80" rx="14" fill="{palette.BELIEVER}" opacity="0.92"/>
    <text x="120" y="145" fill="white" font-weight="bold">Staff who believe</text>
    <text x="120" y="170" fill="white" font-size="14">5% → 20% → majority</text>
    <rect x="280" y="10" width="200" height="80" rx="14" fill="{palette.SATISFACTION}"/>
    <text x="380" y="45" fill="white" font-weight="bold">Moments of truth</text>
    <text x="380" y="70" fill="white" font-size="14">15-second service encounters</text>
    <rect x="540" y="110" width="200" height="80" rx="14" fill="{palette.CUSTOMER}"/>
    <text x="640" y="145" fill="white" font-weight="bold">Customers</text>
    <text x="640" y="170" fill="white" font-size="14">come to expect the value</text>
    <rect x="280" y="210" width="200" height="80" rx="14" fill="#f1f3f6" stroke="{palette.CUSTOMER}"
          stroke-width="2"/>
    <text x="380" y="245" fill="{palette.INK}" font-weight="bold">“Do it for me now”</text>
    <text x="380" y="270" fill="{palette.INK}" font-size="14">customers press the doubters</text>
    <path d="M170,110 C200,60 240,50 278,50" fill="none" stroke="{palette.INK}" stroke-width="2.5"
          marker-end="url(#arrow)"/>
    <path d="M482,50 C530,50 580,70 610,108" fill="none" stroke="{palette.INK}" stroke-width="2.5"
          marker-end="url(#arrow)"/>
    <path d="M610,192 C580,240 530,250 482,250" fill="none" stroke="{palette.INK}" stroke-width="2.5"
          marker-end="url(#arrow)"/>
    <path d="M278,250 C230,250 190,240 160,192" fill="none" stroke="{palette.INK}" stroke-width="2.5"
          marker-end="url(#arrow)"/>
    <path d="M60,108 C20,60 60,20 100,60 C110,75 112,90 110,108" fill="none" stroke="{palette.PEER}"
          stroke-width="2.5" marker-end="url(#arrow)"/>
    <text x="40" y="30" fill="{palette.PEER}" font-size="14" text-anchor="start">peers and leaders persuade</text>
  </g>
</svg>
"""

SECTIONS = [
    ("What the model is",
     "<p>An agent-based model of how a value, “the customer comes first”, spreads through an organisation. "
     "Each employee has a role (executive, manager, front line, back office), a team and colleagues; each "
     "believes the value or doubts it. Customers meet the front line in <b>moments of truth</b>, short service "
     "encounters in which they judge the company (Jan Carlzon's 50 million a year at SAS). One step is one "
     "week.</p>"),
    ("How it works",
     "<ol><li>About 5% believe at first; they persuade colleagues, and leaders persuade their teams "
     "(purple and gold bars). With patience this makes an active 20%.</li>"
     "<li>Believers on the front line serve customers well when they are empowered to solve problems; "
     "customers served well by believers come to expect the value (green curve).</li>"
     "<li>Customers then press the staff who serve them: late believers find their customers accepted the "
     "value before they did (green bars). Step by step the value becomes the culture.</li>"
     "<li>Levers change this: leaders whose words and deeds differ, recognition, 360° communication, "
     "hiring for fit, training, rules (which make people act, not believe), and an optional economic loop "
     "(service → customers kept → profit → pay and morale → service).</li></ol>"
     "<p>Every new believer is credited to the channel that convinced them, so the charts show <i>why</i> the "
     "value spread, not only that it did.</p>"),
    ("Things to try",
     "<ul><li><b>Story mode</b> on the default scenario: the arc in five stops.</li>"
     "<li>Choose the scenario <code>no_customer_voice</code>: how far do staff get alone?</li>"
     "<li>Lower <i>empowerment</i> to 0.3: staff with a good attitude who cannot solve the problem.</li>"
     "<li>Set <i>leader consistency</i> to 0.3 (<code>say_a_write_b</code>): leaders who say A and write B.</li>"
     "<li>Switch on <i>economics</i> and compare <code>sas_turnaround</code> with <code>short_termism</code>.</li>"
     "<li>During a run, move a lever: it becomes an intervention from next week, written into the command "
     "below the charts. “Is this run typical?” shades what 20 other seeds do.</li>"
     "<li>In <b>Compare strategies</b>: which first 5% wins the majority soonest, and what each intervention "
     "buys, with the spread of many runs.</li></ul>"),
    ("Sources",
     "<ul><li>Jan Carlzon, <i>Moments of Truth</i> (1987): the SAS turnaround, 50 million moments of truth a "
     "year, the front line as the key people.</li>"
     "<li>A panel discussion on moments of truth at IBM (the brief's source documents).</li>"
     "<li>Diffusion research behind the influence rules: Granovetter (1978) thresholds, Bass (1969) "
     "diffusion, Centola &amp; Macy (2007) complex contagion, Xie et al. (2011) committed minorities.</li>"
     "</ul>"),
    ("More",
     "<p>The model mechanism by mechanism, with the parameter, code and test for each: "
     "<code>docs/model.md</code> in the repository (also <code>docs/rules.md</code> for the influence rules "
     "and <code>docs/performance.md</code>). Every run in this app can be repeated on the command line: the "
     "command is under the live charts. <code>adoption params</code> lists every parameter with its unit and "
     "range.</p>"),
]


@solara.component
def InfoTab():
    with solara.Div(classes=["info-tab"], style={"max-width": "900px", "font-size": "17px", "line-height": "1.5"}):
        solara.HTML(tag="h2", unsafe_innerHTML="The loop: staff → moments of truth → customers → staff")
        solara.HTML(tag="div", unsafe_innerHTML=LOOP_SVG, classes=["loop-diagram"])
        for title, body in SECTIONS:
            solara.HTML(tag="h3", unsafe_innerHTML=title, style={"margin-top": "14px"})
            solara.HTML(tag="div", unsafe_innerHTML=body)
