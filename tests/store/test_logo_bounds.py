"""A logo is bounded: refused over 5 MB when it is chosen and when a document is rendered
(a 400 MB logo was read whole by every render), and the renderer never reads more than
its limit of any file."""

from __future__ import annotations

from pathlib import Path

import pytest

from quote_builder.documents.render import MAX_FETCH_BYTES, LockedURLFetcher
from quote_builder.paths import resources_dir, templates_dir
from quote_builder.services import quotes as quote_service
from quote_builder.services.core import InvalidInputError, RefusedError
from quote_builder.services.documents import render_saved_quote
from quote_builder.services.settings import get_settings, update_settings
from quote_builder.store.database import Database

from .helpers import customer, document

PNG = b"\x89PNG\r\n\x1a\n"


def sparse(path: Path, size: int) -> Path:
    with path.open("wb") as handle:  # takes no disk space
        handle.write(PNG)
        handle.truncate(size)
    return path


def test_an_oversized_logo_is_refused_when_chosen(sqlite_db: Database, tmp_path: Path) -> None:
    logo = sparse(tmp_path / "huge.png", 400 * 1024 * 1024)
    with pytest.raises(InvalidInputError, match=r"logo_path: the file is 400.0 MB; a logo may"):
        update_settings(sqlite_db, expected_version=0, actor="alice", logo_path=str(logo))
    with pytest.raises(InvalidInputError, match="logo_path: no such file"):
        update_settings(
            sqlite_db, expected_version=0, actor="alice", logo_path=str(tmp_path / "none.png")
        )
    assert get_settings(sqlite_db).logo_path == ""


def test_a_logo_that_grew_after_it_was_chosen_is_refused_at_render(
    sqlite_db: Database, tmp_path: Path
) -> None:
    logo = tmp_path / "logo.png"
    logo.write_bytes(PNG)
    update_settings(sqlite_db, expected_version=0, actor="alice", logo_path=str(logo))
    customer(sqlite_db)
    row = quote_service.create_quote(sqlite_db, document(), actor="alice").value
    sparse(logo, 400 * 1024 * 1024)
    with pytest.raises(
        RefusedError, match=r"the logo in the settings cannot be printed \(the file"
    ):
        render_saved_quote(sqlite_db, row.number, kind="proposal")


def test_the_renderer_reads_no_file_past_its_limit(tmp_path: Path) -> None:
    logo = sparse(tmp_path / "huge.png", MAX_FETCH_BYTES + 1)
    fetcher = LockedURLFetcher([templates_dir(), resources_dir()], [logo])
    with pytest.raises(ValueError, match="refused"):
        fetcher.fetch(logo.as_uri())
    assert fetcher.refused == [logo.as_uri()]
    small = sparse(tmp_path / "small.png", MAX_FETCH_BYTES)
    fetcher = LockedURLFetcher([templates_dir(), resources_dir()], [small])
    assert len(fetcher.fetch(small.as_uri()).read()) == MAX_FETCH_BYTES
