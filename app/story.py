"""Story mode: the seed story in five stops, each tied to what the charts show at that moment.

The run plays until the next stop's condition holds, then pauses with one or
two sentences for the class. The sentences quote the run's own numbers, so the
story stays true when a teacher changes a parameter (and says so when a stop
is never reached).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from app.charts import Snapshot


@dataclass(frozen=True)
class Stop:
    title: str
    reached: Callable[[Snapshot], bool]
    text: Callable[[Snapshot], str]


def _sums(snapshot: Snapshot) -> dict[str, int]:
    return {source: int(sum(snapshot.series[f"conversions_{source}"])) for source in ("peer", "leader", "customer")}


def _start(s: Snapshot) -> str:
    return (f"A new value is announced: the customer comes first. Only {s.believers:.0%} of the staff truly "
            f"believe it (the few blue dots); most doubt it (orange). Press Continue and watch the blue spread.")


def _active_fifth(s: Snapshot) -> str:
    made = _sums(s)
    return (f"Week {s.step}: {s.believers:.0%} believe. With patience the first believers persuaded colleagues; "
            f"so far {made['peer']} were convinced by peers (purple bars) and {made['leader']} by leaders (gold). "
            f"This is the active 20%.")


def _customers(s: Snapshot) -> str:
    satisfaction = s.series["satisfaction"][-1]
    return (f"Week {s.step}: believers on the front line give customers good moments of truth "
            f"({satisfaction:.0%} served well this week). Now {s.customers:.0%} of customers expect the new way "
            f"(green curve) and they start pressing the staff who serve them: watch the green bars.")


def _majority(s: Snapshot) -> str:
    made = _sums(s)
    return (f"Week {s.step}: a majority ({s.believers:.0%}) believes. Many of the late believers found that "
            f"their customers accepted the value before they did: {made['customer']} staff have been convinced "
            f"by customers so far.")


def _culture(s: Snapshot) -> str:
    if s.believers >= 0.8:
        return (f"Week {s.step}: {s.believers:.0%} of staff and {s.customers:.0%} of customers hold the value: an "
                f"environment, then a shared view, now a culture. Try switching customer feedback off and replay.")
    return (f"The run ended at week {s.step} with {s.believers:.0%} of staff believing: the value did not become "
            f"the culture. Look at which bars are missing and which lever would add them.")


STOPS = (
    Stop("Only a few believe", lambda s: True, _start),
    Stop("The active 20%", lambda s: s.believers >= 0.2, _active_fifth),
    Stop("Customers come to expect it", lambda s: s.customers >= 0.2, _customers),
    Stop("Customers persuade the rest", lambda s: s.believers >= 0.5, _majority),
    Stop("A culture", lambda s: s.believers >= 0.8, _culture),
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
