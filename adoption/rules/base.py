"""What every influence rule shares: the pressure it reads and the interface it offers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

import numpy as np

if TYPE_CHECKING:
    from adoption.model import Model

SOURCES = ("peer", "leader", "customer")  # channels of persuasion, in attribution order


@dataclass
class Pressure:
    """This week's persuasion on each employee, by channel, already weighted.

    ``peer`` is ``peer_influence`` × the believing share of colleagues,
    ``leader`` is ``leader_influence`` × the believing share of one's leaders,
    ``customer`` is ``customer_feedback`` × the believing share of the customers
    one has served lately. Each is an array over employees. ``doubt`` (array
    or scalar, ≥ 0) is pressure *against* the value that levers add (leaders
    who say A and write B, low morale): every rule treats it as extra threshold.
    ``leaders_believing`` is the unweighted believing share of the leaders each
    employee watches, which levers acting through leaders read (recognition).
    """

    peer: np.ndarray
    leader: np.ndarray
    customer: np.ndarray
    doubt: np.ndarray | float = 0.0
    leaders_believing: np.ndarray = field(kw_only=True)

    @property
    def total(self) -> np.ndarray:
        return self.peer + self.leader + self.customer

    def strongest(self, who: np.ndarray) -> np.ndarray:
        """Index into ``SOURCES`` of the largest channel for each employee in ``who``."""
        return np.argmax(np.stack([self.peer[who], self.leader[who], self.customer[who]]), axis=0)


class Rule:
    """An influence rule: reads the model's state and this week's pressure, returns new conviction.

    A rule never writes model state; the model applies what it returns and
    attributes every new believer to the strongest channel of pressure.
    Subclasses set ``name``, ``parameters`` (the ``Params`` they read) and
    implement :meth:`update`; per-run arrays are prepared in :meth:`setup`.
    """

    name: ClassVar[str]
    parameters: ClassVar[tuple[str, ...]] = ()

    def setup(self, model: "Model", rng: np.random.Generator) -> None:
        """Prepare per-run state (called once, after the initial believers are placed)."""

    def forget(self, leavers: np.ndarray) -> None:
        """Forget what the rule remembers about ``leavers``: hires take their places (turnover)."""

    def update(self, model: "Model", pressure: Pressure, rng: np.random.Generator) -> np.ndarray:
        raise NotImplementedError

    def direct_conversions(self) -> dict[str, np.ndarray]:
        """This week's converts who owe nothing to pressure, by source name (a mask each).

        The model credits them to that source instead of the strongest channel;
        the name must be one of ``adoption.results.DIRECT_SOURCES``.
        """
        return {}
