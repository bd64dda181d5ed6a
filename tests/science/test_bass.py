"""Bass (1969) diffusion on the complete network: the mean adoption curve against the closed form.

Discrete-time correction. The rule updates everyone once a week from last
week's believer share, so its expected curve is the forward-Euler recursion
F(t+1) = F(t) + (1 − F(t)) (p + q F(t)). For p = 0.03, q = 0.38 that recursion
lags the continuous closed form by half a week: max_t |D(t) − F(t)| = 0.071,
but max_t |D(t) − F(t − ½)| = 0.017. The test compares the simulated mean with
F(t − ½) (tolerance 0.03) and with the recursion itself (tolerance 0.015).
"""

import numpy as np

from adoption import run

P, Q = 0.03, 0.38  # Bass's innovation and imitation coefficients, as in the issue
WEEKS = 30
SEEDS = range(12)
BASS = dict(employees=2000, network="complete", rule="bass", innovation=P, imitation=Q, customers=0,
            leader_influence=0, initial_believers=0.0, steps=WEEKS)


def closed_form(t):
    """Bass's F(t) = (1 − e^{−(p+q)t}) / (1 + (q/p) e^{−(p+q)t})."""
    decay = np.exp(-(P + Q) * np.asarray(t, dtype=float))
    return (1 - decay) / (1 + Q / P * decay)


def discrete_recursion(weeks):
    shares = [0.0]
    for _ in range(weeks):
        shares.append(shares[-1] + (1 - shares[-1]) * (P + Q * shares[-1]))
    return np.array(shares)


def mean_curve():
    return np.mean([run(seed=seed, **BASS).series["believers"] for seed in SEEDS], axis=0)


def test_bass_on_complete_follows_the_closed_form_half_a_week_late():
    weeks = np.arange(WEEKS + 1)
    simulated = mean_curve()
    lagged = closed_form(np.maximum(weeks - 0.5, 0))
    error = np.abs(simulated - lagged).max()
    raw = np.abs(simulated - closed_form(weeks)).max()
    recursion = np.abs(simulated - discrete_recursion(WEEKS)).max()
    assert error <= 0.03, f"max |mean − F(t − ½)| = {error:.4f} (vs F(t): {raw:.4f})"
    assert recursion <= 0.015, f"max |mean − discrete Bass recursion| = {recursion:.4f}"
    assert simulated[-1] > 0.98, f"final adoption {simulated[-1]:.3f}: Bass saturates"


def test_bass_without_imitation_is_pure_innovation():
    """q = 0: every non-adopter adopts at rate p regardless of others, F(t) = 1 − (1 − p)^t."""
    simulated = np.mean([run(seed=seed, **{**BASS, "imitation": 0.0}).series["believers"] for seed in SEEDS], axis=0)
    expected = 1 - (1 - P) ** np.arange(WEEKS + 1)
    error = np.abs(simulated - expected).max()
    assert error <= 0.01, f"max |mean − (1 − (1 − p)^t)| = {error:.4f}"
