"""Fixtures shared by every test folder.

Key files are made with a low scrypt cost (2^10 instead of 2^17, a millisecond instead of a
second per key); files carry their own cost, so every code path is the same.
tests/approvals/test_keyfile.py checks the real cost once."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from quote_builder.approvals import keyfile
from tests.faults import mount_tmpfs


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """An empty 2 MB tmpfs for this test (tests.faults fills it or makes it read-only)."""
    yield from mount_tmpfs(tmp_path / "disk")


@pytest.fixture(autouse=True)
def private_data_folder(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No test reads or writes the user's real data folder (its default database, drafts,
    logs): on a shared machine another checkout may have upgraded that database to a
    newer schema, and a developer's own quotes are not test data. Tests that want a
    folder of their own set ``QUOTE_BUILDER_DATA_DIR`` themselves (tests/ui/conftest.py)."""
    monkeypatch.setenv("QUOTE_BUILDER_DATA_DIR", str(tmp_path_factory.mktemp("data")))
    monkeypatch.delenv("QUOTE_BUILDER_DB", raising=False)


@pytest.fixture(autouse=True)
def fast_key_derivation(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(keyfile, "SCRYPT_N", 2**10)


@pytest.fixture(autouse=True)
def private_certificates(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No test reads or writes the user's own signing certificate (issue 15)."""
    monkeypatch.setenv(
        "QUOTE_BUILDER_CERTIFICATES_DIR", str(tmp_path_factory.mktemp("certificates"))
    )


@pytest.fixture(autouse=True)
def own_data_folder(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No test reads the machine's default database: on a machine where the app (of this
    or another version) made one, a command without --db opened it (and refused one of a
    newer schema). tests/ui/conftest.py gives each UI test its own folder as well."""
    monkeypatch.setenv("QUOTE_BUILDER_DATA_DIR", str(tmp_path_factory.mktemp("data")))
    monkeypatch.delenv("QUOTE_BUILDER_DB", raising=False)


@pytest.fixture(autouse=True)
def no_pinned_organisation_key(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """No test reads the machine's own pinned organisation key (/etc/xdg/quote-builder/
    organisation.pub): a test that pins one writes the file this returns (a folder of its
    own, empty until then), or sets ``QUOTE_BUILDER_ORG_KEY_FILE``."""
    from quote_builder.services import policy

    pin = tmp_path_factory.mktemp("system-config") / policy.PIN_FILE_NAME
    monkeypatch.setattr(policy, "system_pin_files", lambda: [pin])
    monkeypatch.delenv(policy.PIN_ENV, raising=False)
    return pin
