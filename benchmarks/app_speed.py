"""Weeks per second in the web page at the classroom default (300 employees), in real headless Chromium.

Runs the browser tests that play at 10 weeks/s (counter week minus chart week),
at 20 weeks/s and "fastest" on 20,000 staff, and a year at the fastest speed, and prints what it
measured: the page's rate (counter updates seen by the browser) beside the
model's own rate on the server in the same run, so the ratio survives a busy
machine. The issue's floor is 10 weeks per second in the page.

    python benchmarks/app_speed.py
"""

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

if __name__ == "__main__":
    sys.exit(pytest.main([str(ROOT / "tests/browser/test_app.py"), "-k", "fastest or keep_up", "-s", "-q", "-p", "no:xdist",
                          "--rootdir", str(ROOT)]))
