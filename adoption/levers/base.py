"""What every leadership lever shares: when it acts, and on what."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

import numpy as np

from adoption.params import Params
from adoption.rules.base import Pressure

if TYPE_CHECKING:
    from adoption.model import Model
    from agents.customers import Moments


class Lever:
    """A leadership lever: a mechanism a leadership team can fund or change.

    A lever acts at three points of the week, each optional:

    - :meth:`before_week` changes parameters or state at a time (training waves,
      leavers and hires, who complies this week), through the model's methods;
    - :meth:`adjust` adds to this week's pressure (a channel or doubt), after the
      moments of truth and before the influence rule;
    - :meth:`after_week` observes the week's outcome (the economic loop).

    A lever never reaches into a rule's internals. It is only built when
    :meth:`active` says the parameters switch it on, so a lever at zero
    strength reproduces the baseline exactly, random numbers included; each
    active lever gets its own random stream.
    """

    name: ClassVar[str]
    parameters: ClassVar[tuple[str, ...]] = ()

    @classmethod
    def active(cls, params: Params) -> bool:
        raise NotImplementedError

    def __init__(self, model: "Model", rng: np.random.Generator):
        self.rng = rng

    def before_week(self, model: "Model") -> None:
        """Change parameters or state before the week's moments of truth."""

    def adjust(self, model: "Model", pressure: Pressure, moments: "Moments") -> Pressure:
        """This week's pressure with the lever's effect added."""
        return pressure

    def after_week(self, model: "Model", moments: "Moments") -> None:
        """Observe the week's outcome."""
