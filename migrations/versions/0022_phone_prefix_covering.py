"""phone prefix index covers owner, name and id: a phone prefix with many matches is paged from the index alone

Why: at 1M customers `+62 810 000 4` matches 100k numbers, all of them late in name order; the list's page
walked the name index testing each phone and read 333k rows (61 ms). The page is now sorted from the matches
(customers.list_customers), narrow and index-only: the prefix index carries what that sort and a mitra's
scope need.

Revision ID: 0022_phone_prefix_covering
Revises: 0021_invoice_order_indexes
"""
from alembic import op

revision = "0022_phone_prefix_covering"
down_revision = "0021_invoice_order_indexes"
branch_labels = None
depends_on = None

NAME = "idx_customers_phone_prefix"


def upgrade() -> None:
    op.drop_index(NAME, table_name="customers")
    op.create_index(NAME, "customers", ["phone"], postgresql_ops={"phone": "varchar_pattern_ops"},
                    postgresql_include=["owner_id", "name", "id"])


def downgrade() -> None:
    op.drop_index(NAME, table_name="customers")
    op.create_index(NAME, "customers", ["phone"], postgresql_ops={"phone": "varchar_pattern_ops"})
