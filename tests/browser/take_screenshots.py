"""Fresh screenshots of the app for docs/screenshots/, at a desktop (1440×900) and a classroom projector
(1024×768): the live run, a story stop, compare, and the Info tab.

    .venv/bin/python tests/browser/take_screenshots.py

Starts ``adoption app`` on a free port, drives Debian's Chromium (as the browser
tests do) and writes ``docs/screenshots/<view>-<width>.png``. Look at them
before committing.
"""

from __future__ import annotations

import os
import signal
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from conftest import CHROMIUM, CHROMIUM_ARGS, start_app  # noqa: E402

FOLDER = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
SIZES = ((1440, 900), (1024, 768))


def wait_for_charts(page):
    page.wait_for_function("""() => {
        const counter = document.querySelector('.week-counter');
        const charts = [...document.querySelectorAll('.live-chart .echart')];
        return counter && charts.length && charts.every(c => c.dataset.week === counter.innerText.split(' ')[1]);
    }""", timeout=30_000)
    page.wait_for_timeout(600)


def shoot(page, name: str, width: int):
    page.screenshot(path=str(FOLDER / f"{name}-{width}.png"))
    print(f"wrote {FOLDER / f'{name}-{width}.png'}")


def main() -> None:
    from playwright.sync_api import sync_playwright

    FOLDER.mkdir(parents=True, exist_ok=True)
    server, url = start_app(Path(tempfile.mkdtemp()) / "server.log")
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for width, height in SIZES:
                page = browser.new_page(viewport={"width": width, "height": height})
                page.goto(url)
                page.wait_for_selector(".chart-arc .echart canvas", timeout=60_000)
                for _ in range(24):
                    page.click(".run-step")
                    page.wait_for_timeout(60)
                wait_for_charts(page)
                shoot(page, "live-run", width)
                page.click(".run-reset")
                page.click(".story-start")
                page.wait_for_selector(".story-continue")
                page.click(".story-continue")
                page.locator(".story-title", has_text="Story 2").wait_for(timeout=30_000)
                page.click(".story-continue")
                page.locator(".story-title", has_text="Story 3").wait_for(timeout=30_000)
                wait_for_charts(page)
                page.wait_for_timeout(500)
                shoot(page, "story-stop", width)
                page.click(".story-leave")
                page.click(".tab-compare")
                page.click(".compare-question >> text=what to fund")
                page.click(".compare-run")
                page.wait_for_selector(".strategy-table", timeout=120_000)
                page.locator(".compare-question").scroll_into_view_if_needed()
                page.wait_for_timeout(500)
                shoot(page, "compare", width)
                page.click(".tab-info")
                page.wait_for_selector(".loop-diagram svg")
                page.wait_for_timeout(300)
                shoot(page, "info", width)
                page.close()
            browser.close()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=15)


if __name__ == "__main__":
    main()
