"""Leadership levers, registered by name; each switched on by its own parameters.

Adding a lever is adding one file with a :class:`Lever` subclass and one entry here.
"""

from adoption.levers.base import Lever
from adoption.levers.communication import Communication
from adoption.levers.compliance import ComplianceRules
from adoption.levers.economics import Economics
from adoption.levers.leader_consistency import LeaderConsistency
from adoption.levers.recognition import Recognition
from adoption.levers.training import Training
from adoption.levers.turnover import Turnover

LEVERS: dict[str, type[Lever]] = {lever.name: lever for lever in (
    LeaderConsistency, Recognition, Communication, Turnover, Training, ComplianceRules, Economics)}

__all__ = ["LEVERS", "Lever"]
