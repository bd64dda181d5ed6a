"""Make the example organisation: a synthetic HR export of an airline of about 1,200 people.

Run ``python adoption/data/example_org/generate.py`` to rewrite ``people.csv``
and ``ties.csv`` beside this file; the seed makes them identical every time.

What it is (nobody real): a chief executive; eight departments, each led by an
executive; sections of team leads under section heads where a department is
large; teams of 5 to 12 people under each team lead (spans of control 5–12).
Ground operations, cabin service, the customer service centre and sales face
customers (about 60% of staff are front line); maintenance, finance, IT and
HR are back office. About 5% answer "yes" to a first pulse survey (the
``believes`` column, used by ``seeding=file``). The ties file holds a few
hundred collaboration ties from project rooms, chat and advice, weighted by
meetings a month. Extra columns (job title, department, location, tenure)
are kept by the model and ignored.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

SEED = 1953
HERE = Path(__file__).parent
DEPARTMENTS = [  # name, headcount, faces customers, staff job title
    ("Ground Operations", 320, True, "check-in and gate agent"),
    ("Cabin Service", 270, True, "cabin attendant"),
    ("Customer Service Centre", 130, True, "customer service agent"),
    ("Sales", 90, True, "sales agent"),
    ("Maintenance", 150, False, "technician"),
    ("Finance", 75, False, "accountant"),
    ("IT", 100, False, "engineer"),
    ("HR", 55, False, "HR partner"),
]
LOCATIONS = ("Copenhagen", "Oslo", "Stockholm")
TEAMS_PER_SECTION = 8  # section heads above this many teams


def generate(seed: int = SEED) -> tuple[list[dict], list[dict]]:
    rng = np.random.default_rng(seed)
    people: list[dict] = []

    def hire(manager, unit, role, title, department, facing):
        person = {"id": f"E{len(people) + 1:04d}", "manager_id": manager, "unit": unit, "role": role,
                  "customer_facing": "true" if facing else "false", "job_title": title,
                  "department": department, "location": str(rng.choice(LOCATIONS)),
                  "tenure_years": int(rng.geometric(0.15)), "believes": "false"}
        people.append(person)
        return person["id"]

    ceo = hire("", "Executive board", "leader", "chief executive", "Board", False)
    for name, headcount, facing, title in DEPARTMENTS:
        leadership = f"{name} · leadership"
        executive = hire(ceo, "Executive board", "leader", f"executive vice president, {name.lower()}", name, False)
        spans = []
        while sum(spans) + len(spans) < headcount - 1:
            spans.append(int(rng.integers(5, 13)))
        sections = -(-len(spans) // TEAMS_PER_SECTION) if len(spans) > 12 else 0
        heads = [hire(executive, leadership, "manager", f"head of section, {name.lower()}", name, False)
                 for _ in range(sections)]
        for team, span in enumerate(spans, start=1):
            unit = f"{name} · team {team:02d}"
            boss = heads[team % sections] if sections else executive
            lead = hire(boss, unit, "manager", "team lead", name, facing)
            for _ in range(span):
                hire(lead, unit, "front_line" if facing else "back_office", title, name, facing)
    believers = rng.choice(len(people), size=round(0.05 * len(people)), replace=False)
    for i in believers:
        people[i]["believes"] = "true"
    return people, collaboration(people, rng)


def collaboration(people: list[dict], rng: np.random.Generator, count: int = 400) -> list[dict]:
    """Ties across teams: most within a department, some across; weight = meetings a month."""
    by_department: dict[str, list[int]] = {}
    for i, person in enumerate(people):
        by_department.setdefault(person["department"], []).append(i)
    departments = list(by_department)
    ties, seen = [], set()
    while len(ties) < count:
        a = int(rng.integers(len(people)))
        pool = by_department[people[a]["department"]] if rng.random() < 0.7 else \
            by_department[departments[rng.integers(len(departments))]]
        b = int(rng.choice(pool))
        pair = (min(a, b), max(a, b))
        if a == b or pair in seen or people[a]["unit"] == people[b]["unit"]:
            continue
        seen.add(pair)
        ties.append({"source": people[a]["id"], "target": people[b]["id"],
                     "weight": int(rng.geometric(0.2)), "relation": str(rng.choice(["project", "chat", "advice"]))})
    return ties


def write(rows: list[dict], path: Path) -> None:
    with path.open("w", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


if __name__ == "__main__":
    people, ties = generate()
    write(people, HERE / "people.csv")
    write(ties, HERE / "ties.csv")
    front = sum(p["role"] == "front_line" for p in people)
    print(f"{len(people)} people ({front / len(people):.0%} front line), {len(ties)} ties")
