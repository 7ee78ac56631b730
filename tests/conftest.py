"""Fixtures shared by every test folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.faults import mount_tmpfs


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """An empty 2 MB tmpfs for this test (tests.faults fills it or makes it read-only)."""
    yield from mount_tmpfs(tmp_path / "disk")
