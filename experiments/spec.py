"""Sweep specs: which runs an experiment is made of, and the seed of each.

Seeds derive from one root seed with :class:`numpy.random.SeedSequence`
spawn keys, so replicate ``i`` gets the same seed however many replicates,
points or workers there are.
"""

from __future__ import annotations

import numpy as np


def replicate_seed(root: int, replicate: int) -> int:
    """The model seed of replicate ``replicate`` under ``root``: a SeedSequence child, as a 63-bit integer.

    Every point (and every strategy) of an experiment uses the same seed for the
    same replicate: common random numbers, so differences come from the
    parameters, not from luck.

    Examples
    --------
    >>> replicate_seed(0, 3) == replicate_seed(0, 3) != replicate_seed(1, 3)
    True
    """
    state = np.random.SeedSequence(root, spawn_key=(replicate,)).generate_state(1, np.uint64)[0]
    return int(state >> np.uint64(1))
