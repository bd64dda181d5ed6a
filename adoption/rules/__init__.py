"""Influence rules, registered by name (the ``rule`` parameter).

Adding a rule is adding one file with a :class:`Rule` subclass and one line here.
"""

from adoption.rules.base import SOURCES, Pressure, Rule
from adoption.rules.conviction import Conviction
from adoption.rules.threshold import Threshold

RULES: dict[str, type[Rule]] = {rule.name: rule for rule in (Conviction, Threshold)}

__all__ = ["RULES", "SOURCES", "Pressure", "Rule"]
