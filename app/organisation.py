"""Where each employee (or unit) sits in the organisation view: computed once per organisation.

Laying out a network is the expensive part of drawing it, so a layout is made
once when a model is built and every step only recolours the nodes. Small
organisations get a seeded spring layout of the real ties (teams appear as
clusters); mid-sized ones a cheaper unit-clustered layout; large ones are shown
as one node per unit, coloured by the share of the unit that believes, so the
page never hangs on tens of thousands of dots.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import numpy as np

from agents.roles import BELIEF

SPRING_MAX = 600  # employees: a spring layout of the real ties stays under ~0.3 s
EMPLOYEE_MAX = 1500  # employees: above this, one dot per unit instead of per person
UNIT_MAX = 400  # units drawn in the aggregate view (the largest ones)
EDGE_MAX = 4000  # ties drawn; a random (seeded) subset beyond this keeps the picture legible
LAYOUT_SEED = 0  # the picture is the same for the same organisation


@dataclass(frozen=True)
class OrganisationView:
    """A fixed picture of one organisation: node positions, what each node stands for, and ties.

    ``kind`` is ``"employees"`` (one node per person, ``members[k]`` is the
    employee) or ``"units"`` (one node per unit, ``members[k]`` is the unit and
    ``size[k]`` its head count).
    """

    kind: str
    xy: np.ndarray  # (nodes, 2)
    members: np.ndarray
    role: np.ndarray  # role code per node (employees view) or the unit's most common role
    size: np.ndarray  # people per node
    links: np.ndarray  # (ties, 2) node indices of the ties drawn
    employees: int
    units: int

    @property
    def segments(self) -> np.ndarray:
        """(ties, 2, 2) line ends in layout coordinates."""
        return self.xy[self.links] if len(self.links) else np.zeros((0, 2, 2))

    def shares(self, conviction: np.ndarray, unit: np.ndarray) -> np.ndarray:
        """Colour value per node: conviction (employees) or the believing share of the unit."""
        if self.kind == "employees":
            return conviction[self.members]
        believing = np.bincount(unit, weights=conviction >= BELIEF, minlength=self.units)
        return believing[self.members] / np.maximum(self.size, 1)


def build_view(model) -> OrganisationView:
    """The picture of ``model``'s organisation (call once per model, not per step)."""
    n = model.network.n
    role, unit = model.organisation.role, model.organisation.unit
    units = int(unit.max()) + 1
    src, dst = _ties(model.network)
    if n <= EMPLOYEE_MAX:
        members = np.arange(n)
        if n <= SPRING_MAX:
            xy = _spring(n, src, dst)
        else:
            xy = _unit_clusters(unit, units, src, dst)
        return OrganisationView("employees", xy, members, role, np.ones(n), _links(src, dst), n, units)
    size = np.bincount(unit, minlength=units)
    members = np.argsort(-size, kind="stable")[:UNIT_MAX]
    members = members[size[members] > 0]
    index = np.full(units, -1)
    index[members] = np.arange(len(members))
    a, b = index[unit[src]], index[unit[dst]]
    keep = (a >= 0) & (b >= 0) & (a != b)
    pairs = np.unique(np.sort(np.stack([a[keep], b[keep]]), axis=0), axis=1)
    xy = _spring(len(members), pairs[0], pairs[1])
    unit_role = np.array([np.bincount(role[unit == u]).argmax() for u in members]) if len(members) < 2_000 \
        else np.zeros(len(members), int)
    return OrganisationView("units", xy, members, unit_role, size[members], _links(pairs[0], pairs[1]), n, units)


def _ties(network) -> tuple[np.ndarray, np.ndarray]:
    """Each undirected tie once (complete graphs: a seeded sample, never n² pairs)."""
    rng = np.random.default_rng(LAYOUT_SEED)
    if network.complete:
        m = min(EDGE_MAX, network.n * 4)
        src, dst = rng.integers(0, network.n, m), rng.integers(0, network.n, m)
        keep = src != dst
        return src[keep], dst[keep]
    src = np.repeat(np.arange(network.n), np.diff(network.indptr))
    keep = src < network.indices
    return src[keep], network.indices[keep].astype(np.int64)


def _spring(n: int, src: np.ndarray, dst: np.ndarray) -> np.ndarray:
    graph = nx.Graph()
    graph.add_nodes_from(range(n))
    graph.add_edges_from(zip(src.tolist(), dst.tolist()))
    pos = nx.spring_layout(graph, seed=LAYOUT_SEED, iterations=50)
    return np.array([pos[i] for i in range(n)], dtype=float).reshape(n, 2)


def _unit_clusters(unit: np.ndarray, units: int, src: np.ndarray, dst: np.ndarray) -> np.ndarray:
    """Units placed by a spring layout of the unit graph, members on a sunflower inside each unit."""
    a, b = unit[src], unit[dst]
    keep = a != b
    centres = _spring(units, a[keep], b[keep]) * np.sqrt(units)
    order = np.argsort(unit, kind="stable")
    size = np.bincount(unit, minlength=units)
    rank = np.empty(len(unit), dtype=float)
    rank[order] = np.arange(len(unit)) - np.repeat(np.cumsum(size) - size, size)
    golden = np.pi * (3 - np.sqrt(5))
    radius = 0.12 * np.sqrt(rank + 0.5)
    angle = rank * golden
    return centres[unit] + np.stack([radius * np.cos(angle), radius * np.sin(angle)], axis=1)


def _links(src: np.ndarray, dst: np.ndarray) -> np.ndarray:
    """The ties to draw as node index pairs: all of them, or a seeded sample of :data:`EDGE_MAX`."""
    if len(src) > EDGE_MAX:
        pick = np.sort(np.random.default_rng(LAYOUT_SEED).choice(len(src), EDGE_MAX, replace=False))
        src, dst = src[pick], dst[pick]
    return np.stack([src, dst], axis=1).astype(np.int64) if len(src) else np.zeros((0, 2), np.int64)
