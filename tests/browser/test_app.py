"""The web app in a real headless Chromium: what a teacher or a leadership team does with it."""

from __future__ import annotations

import csv
import io
import time

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]  # one server and browser per worker



def test_page_loads_without_console_errors_or_internet(visit):
    visit.page.wait_for_timeout(500)
    visit.screenshot("01-loaded")
    assert visit.week() == 0
    assert visit.believers() == pytest.approx(0.05, abs=0.005)
    for chart in ("organisation", "arc", "conversions", "moments"):
        assert visit.page.locator(f".chart-{chart} img").count() == 1, f"chart {chart} missing"
        assert len(visit.text(f".chart-{chart} .caption")) > 40, f"chart {chart} has no caption"
    assert visit.console_errors == [], f"console errors: {visit.console_errors}"
    assert visit.outside == [], f"the page tried to reach the internet: {visit.outside}"


def test_play_advances_the_week_and_the_believer_share(visit):
    visit.page.click(".run-play")
    visit.wait_until(lambda: visit.week() >= 20, what="week 20")
    assert visit.believers() > 0.05
    visit.page.click(".run-pause")
    visit.page.wait_for_timeout(400)
    paused_at = visit.week()
    visit.page.wait_for_timeout(600)
    assert visit.week() == paused_at, "pause should stop the weeks"
    assert paused_at < 52, "paused before the end"
    visit.screenshot("02-paused")
    assert visit.console_errors == [], f"console errors: {visit.console_errors}"


def test_playing_at_the_fastest_speed_runs_the_year_and_stops(visit):
    """Play runs to the last week and stops there. The weeks per second it prints are measured by
    `python benchmarks/app_speed.py` (speed is a benchmark, not a pass/fail test on a shared machine)."""
    visit.choose("speed-select", "fastest")
    began = time.monotonic()
    visit.page.click(".run-play")
    visit.wait_until(lambda: visit.week() == 52, timeout=60, what="week 52")
    elapsed = time.monotonic() - began
    print(f"\nclassroom default: 52 weeks in {elapsed:.2f} s = {52 / elapsed:.1f} weeks/s in the page "
          f"(model alone, server-side: {visit.text('.measured-speed')})")
    assert visit.page.locator(".run-play").is_disabled(), "a finished run cannot be played on"
    visit.page.wait_for_timeout(300)
    assert visit.week() == 52, "the run stops at its last week"


def test_reset_returns_to_week_zero(visit):
    for _ in range(3):
        visit.page.click(".run-step")
        visit.page.wait_for_timeout(150)
    visit.wait_until(lambda: visit.week() == 3, what="week 3 after three steps")
    visit.page.click(".run-reset")
    visit.wait_until(lambda: visit.week() == 0, what="week 0 after reset")
    assert visit.believers() == pytest.approx(0.05, abs=0.005)


def test_changing_a_slider_changes_the_run(visit):
    before = visit.text(".cli-command")
    thumb = visit.page.locator(".param-initial_believers [role=slider]")
    thumb.focus()
    for expected in ("0.06", "0.07", "0.08", "0.09", "0.1"):
        thumb.press("ArrowRight")
        visit.wait_for_text(".param-initial_believers", f"initial believers (share): {expected}")
    visit.wait_until(lambda: abs(visit.believers() - 0.10) < 0.005, what="10% initial believers")
    assert visit.week() == 0
    visit.wait_for_text(".cli-command", "--set initial_believers=0.1")  # the command follows the run it describes
    assert visit.text(".cli-command") != before
    visit.screenshot("03-slider-changed")


def test_a_lever_changed_mid_run_is_an_intervention_not_a_restart(visit):
    for _ in range(3):
        visit.page.click(".run-step")
        visit.page.wait_for_timeout(150)
    visit.wait_until(lambda: visit.week() == 3, what="week 3 after three steps")
    thumb = visit.page.locator(".param-customer_feedback [role=slider]")
    thumb.focus()
    thumb.press("ArrowRight")
    visit.wait_for_text(".cli-command", "interventions=4:customer_feedback=1.01")
    assert visit.week() == 3, "the run goes on from where it was"
    visit.wait_for_text(".param-customer_feedback", "customer feedback (pressure): 1.01")
    visit.page.click(".run-step")
    visit.wait_until(lambda: visit.week() == 4, what="week 4 with the new customer feedback")
    visit.page.click(".run-reset")
    visit.wait_until(lambda: visit.week() == 0, what="week 0 after reset")
    assert "interventions=4:customer_feedback=1.01" in visit.text(".cli-command"), "reset replays the intervention"


def test_story_mode_walks_through_the_stops(visit):
    visit.page.click(".story-start")
    visit.wait_for_text(".story-title", "Story 1 of 5")
    assert "5%" in visit.text(".story-text")
    visit.screenshot("04-story-start")
    visit.page.click(".story-continue")
    visit.wait_for_text(".story-title", "Story 2 of 5")
    assert visit.believers() >= 0.2, "the second stop is the active 20%"
    assert "Week" in visit.text(".story-text")
    visit.page.click(".story-continue")
    visit.wait_for_text(".story-title", "Story 3 of 5")
    visit.screenshot("05-story-customers")


def test_compare_shows_the_strategies(visit):
    visit.page.click(".tab-compare")
    visit.page.click(".compare-run")
    visit.page.wait_for_selector(".strategy-table", timeout=60_000)
    table = visit.text(".strategy-table")
    for strategy in ("random", "leaders", "frontline"):
        assert strategy in table, f"{strategy} missing from the comparison:\n{table}"
    assert visit.page.locator(".chart-bands img").count() == 1
    assert visit.page.locator(".chart-majority img").count() == 1
    visit.screenshot("06-compare")
    assert visit.console_errors == [], f"console errors: {visit.console_errors}"


def test_compare_prices_interventions_against_the_baseline(visit):
    visit.page.click(".tab-compare")
    visit.page.click(".compare-question >> text=what to fund")
    field = visit.page.locator(".compare-interventions input")
    field.fill("baseline, empowerment=0.4, turnover=0.25+hiring_fit=0.5")
    field.press("Enter")
    visit.page.click(".compare-run")
    visit.page.wait_for_selector(".strategy-table", timeout=60_000)
    table = visit.text(".strategy-table")
    for strategy in ("baseline", "empowerment=0.4", "turnover=0.25", "hiring_fit=0.5", "reference", "vs baseline"):
        assert strategy in table, f"{strategy} missing from the comparison:\n{table}"
    visit.screenshot("07-compare-interventions")
    assert visit.console_errors == [], f"console errors: {visit.console_errors}"


def test_csv_download_has_the_series(visit):
    for _ in range(4):
        visit.page.click(".run-step")
        visit.page.wait_for_timeout(150)
    visit.wait_until(lambda: visit.week() == 4, what="week 4")
    with visit.page.expect_download() as download:
        visit.page.get_by_text("Series (CSV)").click()
    text = open(download.value.path()).read()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [int(row["week"]) for row in rows] == [0, 1, 2, 3, 4]
    for column in ("believers", "customers_believing", "satisfaction", "moments_of_truth", "conversions_peer",
                   "conversions_leader", "conversions_customer"):
        assert column in rows[0], f"{column} missing from the CSV header {list(rows[0])}"
    assert float(rows[0]["believers"]) == pytest.approx(0.05, abs=0.005)
    assert float(rows[-1]["believers"]) == pytest.approx(visit.believers(), abs=0.006)


def test_scenario_picker_loads_the_scenario(visit):
    visit.choose("scenario-select", "no_customer_voice")
    visit.wait_for_text(".cli-command", "adoption run no_customer_voice")
    visit.wait_for_text(".param-customer_feedback", "customer feedback (pressure): 0")
    assert visit.week() == 0


def test_a_parameter_says_what_it_means_on_hover(visit):
    from adoption.params import describe

    visit.page.hover(".param-customer_feedback")
    tooltip = visit.page.locator(".v-tooltip__content.menuable__content__active")
    tooltip.wait_for(timeout=5_000)
    assert describe("customer_feedback")["meaning"] in tooltip.inner_text()
