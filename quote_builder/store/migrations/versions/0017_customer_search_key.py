"""A ``search_key`` column on customer: the name as search compares it.

Search compared the name key of duplicate detection (case folded, accents kept), so a rep
typing "mueller" or "muller" did not find "Müller GmbH", nor "cafe" "Café" or "orsted"
"Ørsted". The key of search drops the accents and also writes the umlauts out
(``models.customer_search_key``); duplicates are still compared by ``name_key`` (accents
count there). This upgrade fills the key of every customer; rows written outside the app
later get theirs when the app opens the database (``database.fill_missing_name_keys``) and
are found by their name until then. An older version writing a customer leaves the column
empty, which the next open fills.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-02
"""

from __future__ import annotations

import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

# As models.customer_search_key does today (frozen here: a migration keeps its meaning).
_PLAIN = str.maketrans(
    {
        "ø": "o",
        "đ": "d",
        "ł": "l",
        "ħ": "h",
        "ı": "i",
        "ŀ": "l",
        "ŧ": "t",
        "æ": "ae",
        "œ": "oe",
        "þ": "th",
        "ð": "d",
        "ĳ": "ij",
    }
)
_SPELLED = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ø": "oe", "å": "aa"})


def _plain(text: str) -> str:
    parts = unicodedata.normalize("NFKD", text.translate(_PLAIN))
    return "".join(ch for ch in parts if not unicodedata.combining(ch))


def _key(name: str) -> str:
    folded = " ".join(unicodedata.normalize("NFKC", name).split()).casefold()
    folded = unicodedata.normalize("NFC", folded)
    variants = [_plain(folded), _plain(folded.translate(_SPELLED))]
    return "\n".join(dict.fromkeys(variants))


def upgrade() -> None:
    op.add_column("customer", sa.Column("search_key", sa.Text, nullable=True))
    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT id, name FROM customer ORDER BY id")).all()
    if rows:
        bind.execute(
            sa.text("UPDATE customer SET search_key = :key WHERE id = :id"),
            [{"key": _key(name or ""), "id": customer_id} for customer_id, name in rows],
        )


def downgrade() -> None:
    with op.batch_alter_table("customer") as batch:
        batch.drop_column("search_key")
