"""Turnover and hiring for fit: leavers replaced in their roles by hires selected (or not) for the culture."""

import numpy as np
import pytest

from adoption import Model, run
from adoption.model import stream
from replicates import assert_effect, final_values, milestone_weeks

SEEDS = range(20)
WEEKS_PER_YEAR = 52


def test_a_week_replaces_the_share_turnover_over_52_and_hires_fit_with_chance_hiring_fit():
    """Leavers are the draws below turnover / 52 of the lever's own stream, believing hires those below
    hiring_fit; every hire's threshold is the organisation's (sd 0 here: 0.4) times 1 − hiring_fit. Small
    weeks too: a week with a single leaver replaces them."""
    for employees, weeks in ((1040, 1), (52, 40)):
        model = Model(employees=employees, customers=0, turnover=0.8, hiring_fit=0.3, threshold=0.4,
                      threshold_sd=0.0, initial_believers=0.0, seed=7)
        draws, sizes = stream(7, "turnover", 0), []
        for _ in range(weeks):
            leavers = np.flatnonzero(draws.random(employees) < 0.8 / WEEKS_PER_YEAR)
            fits = draws.random(len(leavers)) < 0.3 if len(leavers) else np.zeros(0, dtype=bool)
            model.state.heard[:], model.state.conviction[:], model.state.threshold[:] = 1.0, 0.0, 0.4
            model.levers[0].before_week(model)  # a hire has heard nothing yet: marks who was replaced
            assert np.flatnonzero(model.state.heard == 0).tolist() == leavers.tolist()
            np.testing.assert_array_equal(model.state.believes[leavers], fits)
            np.testing.assert_allclose(model.state.threshold[leavers], 0.4 * (1 - 0.3))
            stayed = np.setdiff1d(np.arange(employees), leavers)
            np.testing.assert_allclose(model.state.threshold[stayed], 0.4)
            sizes.append(len(leavers))
        assert max(sizes) > 5 if weeks == 1 else 1 in sizes, sizes


@pytest.mark.replicates
def test_hiring_for_fit_turns_turnover_into_an_ally():
    """Measured (20 seeds, turnover 0.3): hiring fit 0.5 reaches 50% 6.5 ± 1.1 weeks sooner."""
    gains = milestone_weeks("0.5", SEEDS, turnover=0.3) - milestone_weeks("0.5", SEEDS, turnover=0.3, hiring_fit=0.5)
    assert_effect(gains, 2, "weeks to 50% saved by hiring for fit")
    results = run(seed=1, turnover=0.3, hiring_fit=0.5)
    assert results.conversions["hiring"] > 0 and results.summary()["departures"] > 0


@pytest.mark.replicates
def test_turnover_without_selection_drains_believers():
    """Measured (20 seeds, no customer feedback): turnover 1.0 a year ends 24 ± 7 points lower."""
    assert_effect(final_values("believers", SEEDS, customer_feedback=0.0)
                  - final_values("believers", SEEDS, turnover=1.0, customer_feedback=0.0), 0.05,
                  "final believers lost to unselected turnover")
