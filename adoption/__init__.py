"""adoption: an agent-based model of how "the customer comes first" spreads through an organisation.

The public API is :class:`Params` (validated parameters), :class:`Model` (a
Mesa model) and :class:`Results`; :func:`run` does all three in one call.
"""

from adoption.params import ParamError, Params
from adoption.model import Model, run
from adoption.results import Results

__all__ = ["Model", "ParamError", "Params", "Results", "run"]
