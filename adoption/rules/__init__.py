"""Influence rules, registered by name (the ``rule`` parameter).

Adding a rule is adding one file with a :class:`Rule` subclass and one line here.
"""

from adoption.rules.base import SOURCES, Pressure, Rule
from adoption.rules.bass import Bass
from adoption.rules.cascade import Cascade
from adoption.rules.complex import Complex
from adoption.rules.conviction import Conviction
from adoption.rules.naming_game import NamingGame
from adoption.rules.threshold import Threshold
from adoption.rules.voter import Voter

RULES: dict[str, type[Rule]] = {
    rule.name: rule for rule in (Conviction, Threshold, Cascade, Bass, NamingGame, Complex, Voter)
}

__all__ = ["RULES", "SOURCES", "Pressure", "Rule"]
