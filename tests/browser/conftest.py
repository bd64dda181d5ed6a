"""A real headless Chromium against the app served on localhost by the tests themselves.

The server is ``adoption app`` on a free port (one per test module); the
browser is Debian's ``/usr/bin/chromium`` driven by Playwright with a fresh
profile (never a downloaded browser build). Every request that leaves
localhost is refused and recorded: the app must work without internet.
Screenshots go to ``test-output/browser/``.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-output" / "browser"
SERVER_START_TIMEOUT = 180  # seconds; a cold start on a 2-core machine busy with the rest of the suite
PATIENCE = 60  # seconds any wait for the page may take on a busy machine (a quiet one takes well under 5)
PAINTED = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"  # a frame drawn
LOCAL = ("http://127.0.0.1", "http://localhost", "ws://127.0.0.1", "ws://localhost", "data:", "blob:")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Tripwire:
    """A local socket standing in for an HTTP proxy: every connection to it is an outbound fetch."""

    def __init__(self):
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen()
        self.socket.settimeout(0.2)
        self.connections = 0
        self.running = True
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.socket.getsockname()[1]}"

    def _accept(self):
        while self.running:
            try:
                connection, _ = self.socket.accept()
            except OSError:
                continue
            self.connections += 1
            connection.close()

    def close(self):
        self.running = False
        self.thread.join()
        self.socket.close()


@pytest.fixture(scope="session")
def tripwire():
    wire = Tripwire()
    yield wire
    wire.close()


def start_app(log: Path, *extra: str, env: dict | None = None) -> tuple[subprocess.Popen, str]:
    """``adoption app`` on a free port in its own session; returns the process and its address once it answers."""
    port = _free_port()
    with open(log, "w") as out:
        server = subprocess.Popen([sys.executable, "-m", "adoption.cli", "app", *extra, "--host", "127.0.0.1",
                                   "--port", str(port)], stdout=out, stderr=subprocess.STDOUT,
                                  start_new_session=True, env=env)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while True:
        try:
            urllib.request.urlopen(f"{url}readyz", timeout=2).read()
            return server, url
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                os.killpg(server.pid, signal.SIGKILL)
                pytest.fail(f"adoption app did not start on {url}:\n{log.read_text()}")
            time.sleep(0.3)


@pytest.fixture(scope="session")
def app_starter():
    """:func:`start_app`, for a test that needs a server of its own (e.g. to stop it)."""
    return start_app


@pytest.fixture(scope="session")
def app_url(tmp_path_factory, tripwire):
    """``adoption app`` on a free port, its outbound HTTP sent to the tripwire; stopped (its whole process
    group) after the tests."""
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} not found: run `make chromium` (Debian's chromium) before the browser tests")
    log = tmp_path_factory.mktemp("server") / "server.log"
    proxy = {name: tripwire.url for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy")}
    server, url = start_app(log, env={**os.environ, **proxy, "NO_PROXY": "", "no_proxy": ""})
    port = url.rsplit(":", 1)[1].rstrip("/")
    yield url
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
    printed = log.read_text()
    assert f"http://127.0.0.1:{port}/" in printed, f"`adoption app` should print its address; printed:\n{printed}"


@pytest.fixture(scope="session")
def browser_context(tmp_path_factory):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")), executable_path=CHROMIUM, args=CHROMIUM_ARGS,
            headless=True, viewport={"width": 1440, "height": 1000}, accept_downloads=True)
        context.set_default_timeout(PATIENCE * 1000)  # every click, read and wait (Playwright's own: 30 s)
        context.set_default_navigation_timeout(2 * PATIENCE * 1000)
        yield context
        context.close()


class Visit:
    """One browser tab on the app, with what it logged and what it tried to fetch from outside."""

    def __init__(self, page, url):
        self.page = page
        self.console_errors: list[str] = []
        self.outside: list[str] = []
        page.on("console", lambda message: message.type == "error" and self.console_errors.append(message.text))
        page.on("pageerror", lambda error: self.console_errors.append(str(error)))
        page.route("**/*", self._only_local)
        page.goto(url)
        page.wait_for_selector(".week-counter", timeout=2 * PATIENCE * 1000)
        page.wait_for_selector(".chart-arc .echart canvas", timeout=2 * PATIENCE * 1000)

    def _only_local(self, route):
        if route.request.url.startswith(LOCAL):
            route.continue_()
        else:
            self.outside.append(route.request.url)
            route.abort()

    def text(self, selector: str) -> str:
        return self.page.inner_text(selector).strip()

    def week(self) -> int:
        return int(self.text(".week-counter").split()[1])

    def believers(self) -> float:
        return float(self.text(".believer-share").split()[-1].rstrip("%")) / 100

    def wait_for_text(self, selector: str, text: str, timeout: float = PATIENCE * 1000):
        self.page.locator(selector, has_text=text).first.wait_for(timeout=timeout)

    def wait_until(self, condition, timeout: float = PATIENCE, what: str = "condition"):
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out after {timeout} s waiting for {what}; week {self.week()}, "
                                     f"believers {self.believers():.0%}")
            self.page.wait_for_timeout(100)

    def settle(self, condition, timeout: float = PATIENCE):
        """Wait up to ``timeout`` for ``condition`` without failing: the assertions that follow say what is wrong."""
        deadline = time.monotonic() + timeout
        while not condition() and time.monotonic() < deadline:
            self.page.wait_for_timeout(100)

    def holds(self, condition, seconds: float = 2.0, what: str = "condition"):
        """``condition`` stays true for ``seconds``: what a test that something does NOT happen (a week after
        a pause, a message replaced) needs, once the page has shown the state that would set it off."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            assert condition(), f"{what} stopped holding within {seconds} s; week {self.week()}"
            self.page.wait_for_timeout(100)

    def steady_week(self, seconds: float = 2.0, timeout: float = PATIENCE) -> list[int]:
        """The weeks seen until the counter has stood still for ``seconds`` (it never does if a run plays on)."""
        weeks, since = [self.week()], time.monotonic()
        deadline = since + timeout
        while time.monotonic() - since < seconds:
            if time.monotonic() > deadline:
                raise AssertionError(f"the week never stood still for {seconds} s in {timeout} s: {weeks}")
            self.page.wait_for_timeout(100)
            week = self.week()
            if week != weeks[-1]:
                weeks.append(week)
                since = time.monotonic()
        return weeks

    def chart_weeks(self) -> list[int]:
        """The week each chart on screen shows."""
        return [int(week) for week in self.page.eval_on_selector_all(
            ".live-chart .echart", "charts => charts.map(chart => chart.dataset.week)")]

    def wait_for_charts(self, timeout: float = PATIENCE):
        """Until every chart shows the week on the counter."""
        self.wait_until(lambda: set(self.chart_weeks()) == {self.week()}, timeout=timeout,
                        what="the charts to show the counter's week")

    def problem(self) -> str:
        shown = self.page.locator(".param-problem").all_inner_texts()  # no waiting: it may just have gone
        return shown[0].strip() if shown else ""

    def type_into(self, selector: str, text: str):
        """Type into a text field and commit it (Enter, or leaving a text area), as a user does."""
        field = self.page.locator(f"{selector} input, {selector} textarea").first
        field.fill(text)
        if field.evaluate("element => element.tagName") == "TEXTAREA":
            field.blur()
        else:
            field.press("Enter")

    def open_group(self, title: str):
        """Open a folded group of parameters in the sidebar."""
        self.page.get_by_text(title, exact=True).first.click()

    def choose(self, select_class: str, option: str):
        """Pick ``option`` in a Vuetify select (the menu is attached to the page, not the select)."""
        self.page.click(f".{select_class}")
        self.page.locator(".v-menu__content.menuable__content__active .v-list-item", has_text=option).first.click()
        self.wait_for_text(f".{select_class}", option)

    def screenshot(self, name: str, full_page: bool = True, folder: Path = SCREENSHOTS):
        self.wait_for_charts()
        self.page.evaluate(PAINTED)  # the canvas paints on the frame after the data arrives
        folder.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(folder / f"{name}.png"), full_page=full_page)


def _tab(app_url, browser_context, viewport: dict | None = None):
    page = browser_context.new_page()
    if viewport:
        page.set_viewport_size(viewport)
    yield Visit(page, app_url)
    page.close()


@pytest.fixture
def visit(app_url, browser_context):
    yield from _tab(app_url, browser_context)


@pytest.fixture
def projector(app_url, browser_context):
    """A tab on a classroom projector's 1024×768 window."""
    yield from _tab(app_url, browser_context, {"width": 1024, "height": 768})
