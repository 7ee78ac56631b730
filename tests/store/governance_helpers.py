"""An organisation for the governance tests: its key and two approvers on the deal desk's
machine, a rep's machine with its own key folder, and signed policy bundles."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from quote_builder.services import keys as key_svc
from quote_builder.services import policy as policy_svc

PASS = "deal desk passphrase"
TODAY = dt.date.today()


@dataclass
class Org:
    desk_keys: Path
    rep_keys: Path
    monkeypatch: pytest.MonkeyPatch
    org: key_svc.KeyInfo
    dana: key_svc.KeyInfo
    """Dana Whitfield, deal desk (authority 100 %)."""
    max: key_svc.KeyInfo
    """Max Moreno, manager (authority 20 %)."""

    @contextmanager
    def on_desk(self) -> Iterator[None]:
        """Key operations as the deal desk (its key folder)."""
        self.monkeypatch.setenv(key_svc.KEYS_ENV, str(self.desk_keys))
        try:
            yield
        finally:
            self.monkeypatch.setenv(key_svc.KEYS_ENV, str(self.rep_keys))

    def source(
        self,
        *,
        serial: int = 1,
        valid_from: dt.date | None = None,
        valid_until: dt.date | None = None,
        approvers: list[dict[str, str]] | None = None,
        **rules: Any,
    ) -> dict[str, Any]:
        data: dict[str, Any] = {
            "organisation": "Acme Analytics",
            "serial": serial,
            "valid_from": (valid_from or TODAY - dt.timedelta(days=30)).isoformat(),
            "valid_until": (valid_until or TODAY + dt.timedelta(days=335)).isoformat(),
            "discount_authority": {"rep": "10", "manager": "20", "deal_desk": "100"},
            "margin_floor_percent": "60",
            "max_term_months": 36,
            "min_escalator_percent": "3",
            "max_payment_terms_days": 30,
            "custom_attribution_needs_approval": True,
            "outcome_without_minimum_needs_approval": True,
            "approvers": approvers
            if approvers is not None
            else [
                {
                    "name": "Dana Whitfield",
                    "role": "deal_desk",
                    "public_key": self.dana.public_line,
                },
                {"name": "Max Moreno", "role": "manager", "public_key": self.max.public_line},
            ],
        }
        data.update(rules)
        return data

    def bundle(self, key_name: str = "acme-org", **changes: Any) -> str:
        """A signed bundle (the deal desk signs with the organisation key)."""
        return policy_svc.sign_policy_source(
            json.dumps(self.source(**changes)),
            key_name=key_name,
            passphrase=PASS,
            key_directory=self.desk_keys,
        )


def make_org(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Org:
    desk, rep = tmp_path / "desk-keys", tmp_path / "rep-keys"
    org = key_svc.create_key("acme-org", PASS, directory=desk)
    dana = key_svc.create_key("dana", PASS, directory=desk)
    max_ = key_svc.create_key("max", PASS, directory=desk)
    monkeypatch.setenv(key_svc.KEYS_ENV, str(rep))
    return Org(desk, rep, monkeypatch, org, dana, max_)
