"""adoption: an agent-based model of how "the customer comes first" spreads through an organisation.

The public API is :class:`Params` (validated parameters), :class:`Model` (a
Mesa model) and :class:`Results`; :func:`run` does all three in one call.
"""

from adoption.params import ParamError, Params

__all__ = ["Model", "ParamError", "Params", "Results", "run"]


def __getattr__(name: str):
    """``Model``, ``run`` and ``Results`` on first use: the populations in ``agents`` import
    ``adoption``'s kernels, and an eager import of the model would import them back half-built."""
    if name in ("Model", "run"):
        from adoption import model

        return getattr(model, name)
    if name == "Results":
        from adoption.results import Results

        return Results
    raise AttributeError(f"module 'adoption' has no attribute {name!r}")
