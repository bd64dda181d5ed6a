"""Shared fixtures."""

import pytest


@pytest.fixture
def small():
    """Parameters of a small, fast organisation."""
    return dict(employees=120, customers=1500, steps=30)
