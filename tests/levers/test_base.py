"""What every lever shares: off by default, the baseline exactly at zero strength, its own random stream."""

import numpy as np
import pytest

from adoption import Model, run


@pytest.mark.parametrize("idle", [
    dict(recognition=0.0, recognition_reach="organisation"),
    dict(turnover=0.0, hiring_fit=0.7),
    dict(training=0.0, training_weeks=[1, 2, 3], training_group="everyone"),
    dict(economics=False, horizon=10),
    dict(leader_consistency=1.0),
    dict(communication=0.0),
    dict(compliance_rules=0.0),
])
def test_a_lever_at_zero_strength_is_the_baseline_exactly(idle):
    for seed in range(3):
        baseline = run(seed=seed).to_dict(series=True)
        lever_off = run(seed=seed, **idle).to_dict(series=True)
        assert lever_off["series"] == baseline["series"], idle


def test_an_active_lever_does_not_reshuffle_the_organisation():
    plain, levered = Model(seed=4), Model(seed=4, turnover=0.5, recognition=1.0, training=0.3)
    assert np.array_equal(plain.state.threshold, levered.state.threshold)
    assert np.array_equal(plain.state.committed, levered.state.committed)
    assert np.array_equal(plain.network.indices, levered.network.indices)
