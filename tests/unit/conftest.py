"""Fixtures of the unit tests (their helpers are in tests/helpers.py)."""

from __future__ import annotations

import pytest

from tests.helpers import GIT_IDENTITY, Installed


@pytest.fixture
def installed(monkeypatch, tmp_path) -> Installed:
    """Two template versions in test bundles; ``installed.use(N)`` makes version N the installed one."""
    for name, value in GIT_IDENTITY.items():
        monkeypatch.setenv(name, value)
    return Installed(monkeypatch, tmp_path)
