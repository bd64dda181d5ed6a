"""Role codes and the belief line: constants that parameter checks and file readers need without Mesa.

``agents.employees`` (the Mesa agent views) re-exports them; importing this
module alone keeps ``adoption params`` and the rejection of bad input fast.
"""

LEADER, MANAGER, FRONT_LINE, BACK_OFFICE = 0, 1, 2, 3
ROLES = ("leader", "manager", "front_line", "back_office")
BELIEF = 0.5  # conviction at or above which an employee (or a customer) counts as a believer
