"""Role codes and the belief line: constants that parameter checks and file readers need without Mesa.

They live apart from ``agents.employees`` (the Mesa agent views) so that
``adoption params`` and the rejection of bad input never import Mesa.
"""

LEADER, MANAGER, FRONT_LINE, BACK_OFFICE = 0, 1, 2, 3
ROLES = ("leader", "manager", "front_line", "back_office")
BELIEF = 0.5  # conviction at or above which an employee (or a customer) counts as a believer
