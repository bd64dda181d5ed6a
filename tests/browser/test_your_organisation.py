"""The "Your organisation" tab in a real browser: the example files fitted and forecast, with a progress
bar, the fit and the forecast charts, and the ranking of interventions."""

from pathlib import Path

import pytest

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-output" / "browser"

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]  # one server and browser per worker


def _slider_to_minimum(visit, css_class: str):
    thumb = visit.page.locator(f".{css_class} [role=slider]")
    thumb.focus()
    thumb.press("Home")


def test_the_example_organisation_is_fitted_and_forecast(visit):
    page = visit.page
    page.click(".tab-your-organisation")
    page.click(".use-example")
    visit.wait_for_text(".file-survey", "example_pulse.csv")
    visit.wait_for_text(".file-people", "example_org")
    _slider_to_minimum(visit, "fit-particles")
    visit.wait_for_text(".fit-particles", "particles: 20")
    _slider_to_minimum(visit, "fit-generations")
    visit.wait_for_text(".fit-generations", "generations: 1")
    strategies = page.locator(".fit-strategies input")
    strategies.fill("recognition=0.5")
    strategies.press("Enter")
    page.click(".fit-run")
    page.wait_for_selector(".fit-progress", timeout=60_000)  # the bar and what it is doing
    page.wait_for_selector(".chart-forecast img", timeout=600_000)
    summary = visit.text(".fit-summary")
    assert "leader_influence" in summary and "customer_feedback" in summary and "90% interval" in summary
    text = visit.text(".forecast-text")
    assert "majority expected in week" in text and "recognition=0.5" in text and "P(helps)" in text
    headline = visit.text(".forecast-headline")
    assert headline.startswith("majority expected in week") and "recognition=0.5" in headline
    assert page.locator(".chart-fit img").count() == 1
    assert not visit.console_errors and not visit.outside
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "your-organisation.png"), full_page=True)
