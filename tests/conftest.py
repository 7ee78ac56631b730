"""Shared by every test: key files are made with a low scrypt cost (2^10 instead of 2^17,
a millisecond instead of a second per key); files carry their own cost, so every code path
is the same. tests/approvals/test_keyfile.py checks the real cost once."""

from __future__ import annotations

import pytest

from quote_builder.approvals import keyfile


@pytest.fixture(autouse=True)
def fast_key_derivation(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(keyfile, "SCRYPT_N", 2**10)
