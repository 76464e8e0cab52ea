"""unpaid invoices by due date also carry paid_amount, so what is still owed is summed from the index alone

idx_invoices_due_date_unpaid (migration 0005) included owner_id and total_amount for the dashboard's sums. Since
part payments (0013) what is owed is total_amount - paid_amount, and the collector's day read every unpaid
invoice's row to get paid_amount. The index is rebuilt with paid_amount included.

Revision ID: 0018_unpaid_index_paid_amount
Revises: 0017_retention_indexes
"""
import sqlalchemy as sa
from alembic import op

revision = "0018_unpaid_index_paid_amount"
down_revision = "0017_retention_indexes"
branch_labels = None
depends_on = None

NAME = "idx_invoices_due_date_unpaid"


def _create(include: list[str]) -> None:
    op.create_index(NAME, "invoices", ["due_date"], unique=False, postgresql_include=include,
                    postgresql_where=sa.text("status <> 'paid'"))


def upgrade() -> None:
    op.drop_index(NAME, table_name="invoices")
    _create(["owner_id", "total_amount", "paid_amount"])


def downgrade() -> None:
    op.drop_index(NAME, table_name="invoices")
    _create(["owner_id", "total_amount"])
