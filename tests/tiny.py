"""Tiny hand-built organisations for exact-formula tests: a handful of people, a known network,
known roles and units, and state set by hand. Each model is built in milliseconds."""

from pathlib import Path

import networkx as nx
import numpy as np

from adoption import Model

# a small organisation:    executive 0
#   unit "a": manager 1, front line 2, 3          (ties: 1-2, 1-3, 2-3)
#   unit "b": manager 4, back office 5            (tie 4-5)
#   unit "c": front line 6, 7, no manager         (tie 6-7)
# and the executive knows both managers (0-1, 0-4)
ROLES = ["leader", "manager", "front_line", "front_line", "manager", "back_office", "front_line", "front_line"]
UNITS = ["top", "a", "a", "a", "b", "b", "c", "c"]
TIES = [(0, 1), (0, 4), (1, 2), (1, 3), (2, 3), (4, 5), (6, 7)]
QUIET = dict(customers=0, leader_influence=0.0, peer_influence=0.0, customer_feedback=0.0)  # no pressure at all


def organisation_file(folder: Path, roles=ROLES, units=UNITS, ties=TIES) -> str:
    """A GraphML file of the organisation (roles and units as node attributes); returns its path."""
    graph = nx.Graph()
    for person, (role, unit) in enumerate(zip(roles, units)):
        graph.add_node(str(person), role=role, unit=unit)
    graph.add_edges_from((str(a), str(b)) for a, b in ties)
    path = Path(folder) / "organisation.graphml"
    nx.write_graphml(graph, path)
    return str(path)


def tiny_model(folder: Path, believers=(), roles=ROLES, units=UNITS, ties=TIES, **params) -> Model:
    """A model of the tiny organisation with exactly ``believers`` believing (and committed) at the start."""
    return Model(network=organisation_file(folder, roles, units, ties),
                 believers=np.asarray(believers, dtype=np.int64), **params)
