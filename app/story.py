"""Story mode: the seed story in five stops, each tied to what the charts show at that moment.

The run plays until the next stop's condition holds, then pauses with one or
two sentences for the class. The sentences quote the run's own numbers, so the
story stays true when a teacher changes a parameter (and says so when a stop
is never reached).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from adoption.params import Params
from app.charts import Snapshot


@dataclass(frozen=True)
class Stop:
    title: str
    chart: str  # the chart the text talks about: the page scrolls it into view and highlights it
    reached: Callable[[Snapshot], bool]
    text: Callable[[Snapshot, Params], str]


def _sums(snapshot: Snapshot) -> dict[str, int]:
    return {source: int(sum(snapshot.series[f"conversions_{source}"])) for source in ("peer", "leader", "customer")}


def _start(s: Snapshot, p: Params) -> str:
    return (f"A new value is announced: the customer comes first. Only {s.believers:.0%} of the staff truly "
            f"believe it (the few blue dots); most doubt it (orange). Press Continue and watch the blue spread.")


def _active_fifth(s: Snapshot, p: Params) -> str:
    made = _sums(s)
    return (f"Week {s.step}: {s.believers:.0%} believe. The first believers persuaded colleagues: so far "
            f"{made['peer']} were convinced by peers (purple bars) and {made['leader']} by leaders (gold). "
            f"This is the active 20%.")


def _customers(s: Snapshot, p: Params) -> str:
    satisfaction = s.series["satisfaction"][-1]
    served = (f"believers on the front line give customers good moments of truth ({satisfaction:.0%} served well "
              f"this week), and now {s.customers:.0%} of customers expect the new way (green curve).")
    if p.customer_feedback > 0:
        return f"Week {s.step}: {served} They start pressing the staff who serve them: watch for green bars."
    return (f"Week {s.step}: {served} In this run customer feedback is off, so customers cannot press the staff: "
            f"there will be no green bars.")


def _majority(s: Snapshot, p: Params) -> str:
    made = _sums(s)
    if made["customer"] > 0:
        return (f"Week {s.step}: a majority ({s.believers:.0%}) believes. Many late believers found that their "
                f"customers accepted the value before they did: {made['customer']} staff were convinced by "
                f"customers, {made['peer']} by colleagues and {made['leader']} by leaders.")
    return (f"Week {s.step}: a majority ({s.believers:.0%}) believes, convinced by colleagues ({made['peer']}) and "
            f"leaders ({made['leader']}) alone: no one was convinced by customers in this run.")


def _culture(s: Snapshot, p: Params) -> str:
    if s.believers >= 0.8:
        lever = ("Try switching customer feedback off and replay." if p.customer_feedback > 0
                 else "Try switching customer feedback on and replay: how much sooner does it come?")
        return (f"Week {s.step}: {s.believers:.0%} of staff and {s.customers:.0%} of customers hold the value: an "
                f"environment, then a shared view, now a culture. {lever}")
    missing = _missing(s, p)
    return (f"The run ended at week {s.step} with {s.believers:.0%} of staff believing: the value did not become "
            f"the culture. {missing}")


def _missing(s: Snapshot, p: Params) -> str:
    """Which channel stayed quiet, read from the run and its settings."""
    made = _sums(s)
    if p.customer_feedback == 0:
        return "Customer feedback is off: the customers' pressure on the staff (green bars) never came."
    if made["customer"] == 0:
        return "No one was convinced by customers: look at the moments of truth and at empowerment."
    if made["leader"] == 0:
        return "Leaders convinced no one: try more leader influence or consistency."
    return "Look at which bars are thin and which lever would add to them."


STOPS = (
    Stop("Only a few believe", "organisation", lambda s: True, _start),
    Stop("The active 20%", "conversions", lambda s: s.believers >= 0.2, _active_fifth),
    Stop("Customers come to expect it", "arc", lambda s: s.customers >= 0.2, _customers),
    Stop("A majority believes", "conversions", lambda s: s.believers >= 0.5, _majority),
    Stop("A culture", "arc", lambda s: s.believers >= 0.8, _culture),
)


def next_stop(current: int, snapshot: Snapshot, finished: bool) -> int | None:
    """The stop to pause at after this week, if any: the next one reached, or the last when the run ends."""
    following = current + 1
    if following >= len(STOPS):
        return None
    if STOPS[following].reached(snapshot):
        return following
    if finished:
        return len(STOPS) - 1
    return None
