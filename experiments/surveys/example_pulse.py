"""Make the example pulse survey of the example organisation: what its staff would have answered.

Nobody real. The example organisation (``adoption/data/example_org``, 1,249
people) is run at known parameter values with a fixed seed; every fourth week
from week 4 to week 20 a pulse survey asks a random share of the staff (a
response rate between 30% and 40%) "I believe we put the customer first", and
the survey's answers are drawn from the simulated organisation without
replacement, as a real survey samples its staff. Running the script again
writes the same file.

The values it was made with are the ``TRUTH`` below: a calibration that finds
them again (within its intervals) is working; see docs/calibration.md.

    python experiments/surveys/example_pulse.py      # rewrites example_pulse.csv beside this file
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from adoption import Model, Params
from experiments.calibrate import draw_survey, survey_truth
from experiments.observations import Observations

TRUTH = {"leader_influence": 0.3, "customer_feedback": 1.0}  # the declared defaults: the seed story
SEED = 2026
WEEKS = [4, 8, 12, 16, 20]
RESPONSE_RATE = (0.30, 0.40)


def make() -> pd.DataFrame:
    rng = np.random.default_rng(SEED)
    params = Params(people="example_org", **TRUTH, seed=SEED, steps=max(WEEKS))
    staff = Model(params).network.n  # the people file decides the size
    respondents = [int(rng.uniform(*RESPONSE_RATE) * staff) for _ in WEEKS]
    plan = Observations.from_counts(WEEKS, respondents, [0] * len(WEEKS))
    believing, size = survey_truth(params, plan.waves)
    agree = draw_survey(believing, size, respondents, rng)
    return pd.DataFrame({"week": WEEKS, "respondents": respondents, "agree": agree})


if __name__ == "__main__":
    path = Path(__file__).with_name("example_pulse.csv")
    make().to_csv(path, index=False)
    print(f"wrote {path}")
