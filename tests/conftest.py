"""Shared test setup: keys for encrypted case stores go to a temporary folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(autouse=True, scope="session")
def _key_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    mp = pytest.MonkeyPatch()
    d = tmp_path_factory.mktemp("keys")
    mp.setenv("BREACHSCOPE_KEY_DIR", str(d))
    yield d
    mp.undo()
