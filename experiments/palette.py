"""The one colour palette of the app, the experiment plots and the docs figures: a colour means the
same thing on every chart.

Belief runs from doubter (orange) to believer (blue); customers are green
wherever they appear (their belief curve and the conversions they cause);
colleagues (peer) are purple and leaders gold. The hues are distinguishable
with the common colour-vision deficiencies (after the Okabe–Ito set).
"""

from __future__ import annotations

from matplotlib.colors import LinearSegmentedColormap

DOUBTER = "#d55e00"  # vermilion: an employee who doubts the value
UNDECIDED = "#e8e4dc"  # warm grey: conviction about one half
BELIEVER = "#0b5fa5"  # blue: an employee who believes
CUSTOMER = "#009e73"  # bluish green: customers and what customers cause
PEER = "#8e5ea2"  # purple: persuasion by colleagues
LEADER = "#e69f00"  # orange-gold: persuasion by leaders
HIRING = "#6f4e37"  # brown: hires who arrive believing
TRAINING = "#cc79a7"  # reddish purple: belief from training waves
INNOVATION = "#f0e442"  # yellow: Bass innovators, convinced from outside the organisation's talk
SATISFACTION = "#56a0d3"  # sky blue: share of good moments of truth
MOMENTS = "#7f7f7f"  # grey: counts of moments of truth
MILESTONE = "#555555"  # dark grey: the 5/20/50/80% reference lines
EDGE = "#9a9a9a"  # ties between colleagues
INK = "#222222"  # text and outlines

SOURCE_COLOURS = {"peer": PEER, "leader": LEADER, "customer": CUSTOMER, "hiring": HIRING, "training": TRAINING,
                  "innovation": INNOVATION}
SOURCE_LABELS = {"peer": "colleagues (peer)", "leader": "leaders", "customer": "customers", "hiring": "hired believing",
                 "training": "training", "innovation": "innovators (Bass)"}

# rollout strategies on the compare charts: hues kept apart from the belief, customer and source colours
STRATEGY_COLOURS = ("#332288", "#cc6677", "#999933", "#6f4e37", "#882255", "#88ccee", "#ddcc77")  # after Tol muted

CONVICTION = LinearSegmentedColormap.from_list("conviction", [DOUBTER, UNDECIDED, BELIEVER])

# shape by role: leaders stand out, the front line (who meet customers) is a
# filled circle with a dark ring, back office a plain triangle
ROLE_MARKERS = {"leader": "*", "manager": "s", "front_line": "o", "back_office": "^"}
ROLE_SIZES = {"leader": 260, "manager": 70, "front_line": 46, "back_office": 40}
ROLE_LABELS = {"leader": "executive", "manager": "manager", "front_line": "front line (meets customers)",
               "back_office": "back office"}


def strategy_colour(index: int) -> str:
    return STRATEGY_COLOURS[index % len(STRATEGY_COLOURS)]
