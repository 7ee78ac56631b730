"""The reasons of an approval request as codes and values (issue 18: the app in the user's
language), beside the English sentences.

``approval_request.reason_details_json`` holds, for each sentence of ``reasons_json`` in the
same order, its code and values (``approvals.policy.Reason.to_json``), so that the banner
and the Approvals page write the reasons in the interface's language. ``reasons_json``
stays the English record it always was (signed decisions and request files quote it).
Requests stored before this upgrade have none (NULL): the app shows their English
sentences as stored. Follows 0011 (document languages).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-08
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("approval_request") as batch:
        batch.add_column(sa.Column("reason_details_json", sa.Text, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("approval_request", reflect_kwargs={"resolve_fks": False}) as batch:
        batch.drop_column("reason_details_json")
    from quote_builder.store.migrations import after_rebuild

    after_rebuild(op.get_bind(), "approval_request")
