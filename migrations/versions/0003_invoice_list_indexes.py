"""invoice list indexes: a month's invoices in due-date order, for everyone and per owner

Why: `GET /api/invoices?period=YYYY-MM` sorted by due date (the list's default) walked the whole due-date
index and filtered the period out of 1.2M rows (≈700 ms at 100k customers / 12 months). With (period,
due_date, id) and (owner_id, period, due_date, id) — the list's exact order, id breaking ties — the first page
is read straight off an index (≈1 ms), for the superadmin and for a mitra, and the page count is an
index-only scan of one month.

Revision ID: 0003_invoice_list_indexes
Revises: 0002_billing_runs
"""
from alembic import op

revision = "0003_invoice_list_indexes"
down_revision = "0002_billing_runs"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("idx_invoices_period_due_date", "invoices", ["period", "due_date", "id"], unique=False)
    op.create_index("idx_invoices_owner_period_due_date", "invoices", ["owner_id", "period", "due_date", "id"],
                    unique=False)


def downgrade() -> None:
    op.drop_index("idx_invoices_owner_period_due_date", table_name="invoices")
    op.drop_index("idx_invoices_period_due_date", table_name="invoices")
