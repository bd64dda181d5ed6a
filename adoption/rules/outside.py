"""What the literature rules share: outside voices and lapses.

The literature rules take their peer mechanism from their paper (imitation,
transmission, distinct contacts, copying a neighbour, the naming game), so they
read the believing colleagues from the network themselves and do not use
``peer_influence``. Leaders and customers are voices from *outside* the peer
network. Their pressure is measured in the unit of the peer channel: a pressure
of 1 persuades like every colleague believing. Each rule feeds that
colleague-share equivalent into its own mechanism; levers' ``doubt`` counts
against it. With ``leader_influence = 0`` and ``customers = 0`` (and no doubt)
the outside pressure is zero and every rule is its textbook self.
"""

from __future__ import annotations

import numpy as np

from adoption.compiled import inline
from adoption.rules.base import Pressure


def outside_pressure(pressure: Pressure) -> np.ndarray:
    """Leaders' and customers' pressure net of doubt, in colleague-share units (may be negative)."""
    return pressure.leader + pressure.customer - pressure.doubt


def voices(pressure: Pressure, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Per employee, the weight of the outside voices for the value and against it (contiguous float64
    arrays for the compiled rules; the one against holds a single value when levers' doubt is the same for
    everyone, read by :func:`against`).

    Under the voter rule and the naming game an employee heeds one voice at a
    time: colleagues together weigh 1, leaders and customers weigh their
    pressure, doubt weighs its amount, so the voice is an outside believer
    with probability (leader + customer) / (1 + leader + customer + doubt)
    and a doubter with probability doubt / (the same).
    """
    pro = np.ascontiguousarray(pressure.leader + pressure.customer, dtype=np.float64)
    return pro, doubts(pressure.doubt, n)


def doubts(doubt: np.ndarray | float, n: int) -> np.ndarray:
    """Levers' doubt as the kernels read it (:func:`against`): one float64 when it is the same for everyone
    (no array of ``n`` copies), else one per employee, contiguous."""
    doubt = np.asarray(doubt, dtype=np.float64)
    return np.ascontiguousarray(doubt.reshape(1) if doubt.ndim == 0 else np.broadcast_to(doubt, (n,)))


@inline
def against(con, who):
    """The voice against the value heard by ``who``: ``con`` from :func:`voices` (one value for everyone,
    or one per employee)."""
    return con[0] if con.size == 1 else con[who]


def lapsed(believes: np.ndarray, committed: np.ndarray, forgetting: float, rng: np.random.Generator) -> np.ndarray:
    """Believers who lose the value this week (probability ``forgetting`` each); the committed never do."""
    if forgetting <= 0:
        return np.zeros_like(believes)
    return believes & ~committed & (rng.random(len(believes)) < forgetting)
