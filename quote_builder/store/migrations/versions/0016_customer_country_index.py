"""An index on the customers' country and archived flag, for the list sorted by country.

The Customers page sorted by its Country column ordered every customer to show one page
(0.3 s a page at 100,000 customers, more the further down the list). With this index the
list counts the customers of each country from the index alone, puts the countries in the
interface's order, and reads a page from the one or few countries it covers, each in id
order (``repositories._customers_by_country``). Nothing stored changes; an older version
reading this database ignores the index.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02
"""

from __future__ import annotations

from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_customer_country", "customer", ["country", "archived"])


def downgrade() -> None:
    op.drop_index("ix_customer_country", table_name="customer")
