"""A hostile browser against the app: it must never open a path the browser sent, accept a value outside a
select's options, fetch from the internet, show diagnostics, or outlive a SIGTERM."""

from __future__ import annotations

import os
import signal
import time
import urllib.error
import urllib.request

import psutil
import pytest

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]  # one server and browser per worker


def status(url: str) -> int:
    try:
        return urllib.request.urlopen(url, timeout=20).status
    except urllib.error.HTTPError as error:
        return error.code


def fire_select(visit, select_class: str, value: str):
    """What a user with developer tools does: make the select send a value that is not among its options."""
    visit.page.evaluate("""([selector, value]) => {
        const select = document.querySelector(selector + ' .v-select').__vue__;
        select.$emit('change', value);
        select.$emit('input', value);
    }""", [f".{select_class}", value])


def test_compare_never_opens_a_path_typed_into_a_package(visit, tmp_path):
    """`baseline, network=/etc/passwd` opened the file and showed a line of it in a traceback; a path to a
    real graph loaded and ran it; the messages told whether a file exists."""
    graph = tmp_path / "graph.edgelist"
    graph.write_text("0 1\n1 2\n2 0\n")
    visit.page.click(".tab-compare")
    visit.page.click(".compare-question >> text=what to fund")
    messages = []
    for path in ("/etc/passwd", str(graph), "/no/such/file.graphml", "../../../../etc/hostname"):
        visit.type_into(".compare-interventions", f"baseline, network={path}")
        visit.page.click(".compare-run")
        visit.wait_for_text(".compare-error", f"network={path[:40]}")
        message = visit.text(".compare-error")
        assert "the app reads only built-in names" in message and "root:" not in message, message
        messages.append(message.split(": ", 1)[1])  # what follows the (shortened) value
    assert len(set(messages)) == 1, f"the messages differ by whether the file exists: {messages}"
    assert visit.page.locator(".strategy-table").count() == 0, "nothing ran"
    assert "Traceback" not in visit.page.inner_text("body")


@pytest.mark.parametrize("select_class, value", [("scenario-select", "../../../../etc/hostname"),
                                                 ("scenario-select", "/etc/passwd.toml"),
                                                 ("param-network", "/etc/passwd"),
                                                 ("param-seeding", "ceo"),
                                                 ("param-people .file-select", "/etc/passwd"),
                                                 ("param-people .file-select", "adoption/data/example_org/people.csv")])
def test_selects_accept_only_their_options(visit, select_class, value):
    """A select's event fired from developer tools with a value outside its options is refused."""
    if select_class == "param-network":
        visit.open_group("Organisation")
    before = visit.text(".cli-command")
    fire_select(visit, select_class, value)
    visit.wait_until(lambda: value[:30] in visit.problem(), what="the refusal")
    assert "unknown" in visit.problem() or "only built-in" in visit.problem()
    assert visit.text(".cli-command") == before, "the run on screen is unchanged"
    assert "root:" not in visit.page.inner_text("body")


def test_the_server_fetches_nothing_and_shows_no_diagnostics(app_url, tripwire):
    """`/_solara/cdn/<path>` made the server fetch from a public CDN; `/resourcez` showed CPU, memory and
    threads to anyone. The server's proxy is the tripwire: any outbound HTTP would connect to it."""
    assert status(f"{app_url}_solara/cdn/echarts@5.4.0/dist/echarts.min.js") == 200, "local assets are served"
    for path in ("_solara/cdn/left-pad@1.3.0/index.js", "_solara/cdn/some-package", "resourcez",
                 "resourcez?verbose"):
        began = time.monotonic()
        assert status(f"{app_url}{path}") == 404, path
        assert time.monotonic() - began < 5, f"{path}: no retries against a CDN"
    assert tripwire.connections == 0, "the server tried to reach the internet"


def test_sigterm_ends_the_whole_process_tree(tmp_path, browser_context, app_starter):
    """SIGTERM to `adoption app` (as a service manager sends) left the Solara server answering."""
    server, url = app_starter(tmp_path / "server.log")
    try:
        page = browser_context.new_page()  # a session: the server starts its per-page machinery
        page.goto(url)
        page.wait_for_selector(".week-counter")
        page.close()
        tree = [server.pid, *(child.pid for child in psutil.Process(server.pid).children(recursive=True))]
        assert len(tree) >= 2, "`adoption app` runs the server as its child"
        os.kill(server.pid, signal.SIGTERM)
        server.wait(timeout=60)  # a busy machine's slowest exit; a quiet one takes about a second
        deadline = time.monotonic() + 30
        alive = [pid for pid in tree if psutil.pid_exists(pid) and psutil.Process(pid).status() != "zombie"]
        while alive and time.monotonic() < deadline:
            time.sleep(0.2)
            alive = [pid for pid in alive if psutil.pid_exists(pid) and psutil.Process(pid).status() != "zombie"]
        assert alive == [], f"still running after SIGTERM: {alive}"
        with pytest.raises(OSError):
            urllib.request.urlopen(f"{url}readyz", timeout=2)
    finally:
        try:
            os.killpg(server.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
