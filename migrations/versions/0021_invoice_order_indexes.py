"""invoice order indexes: due date then id, for everyone, per owner and per customer

Why: at 1M customers (12M invoices) the invoice list's default page (by due date, ties by id) took 0.3–0.5 s:
idx_invoices_due_date had no id, so the first due date's ~36k invoices were sorted for 20 rows, and a mitra's
list sorted all ~240k of the owner's invoices off idx_invoices_owner. One day's invoices by customer name
(finance by date) probed each customer's invoices without the due date. Each old index is replaced by one that
starts with the same columns (so every query it served it still serves):

- idx_invoices_due_date (due_date)    → idx_invoices_due_date_id (due_date, id)
- idx_invoices_owner (owner_id)       → idx_invoices_owner_due_date (owner_id, due_date, id)
- idx_invoices_customer (customer_id) → idx_invoices_customer_due_date (customer_id, due_date, id)

Revision ID: 0021_invoice_order_indexes
Revises: 0020_customer_monthly_counts
"""
from alembic import op

revision = "0021_invoice_order_indexes"
down_revision = "0020_customer_monthly_counts"
branch_labels = None
depends_on = None

_REPLACED = [  # old name, old columns, new name, new columns
    ("idx_invoices_due_date", ["due_date"], "idx_invoices_due_date_id", ["due_date", "id"]),
    ("idx_invoices_owner", ["owner_id"], "idx_invoices_owner_due_date", ["owner_id", "due_date", "id"]),
    ("idx_invoices_customer", ["customer_id"], "idx_invoices_customer_due_date", ["customer_id", "due_date", "id"]),
]


def upgrade() -> None:
    for old, _, new, columns in _REPLACED:
        op.create_index(new, "invoices", columns)
        op.drop_index(old, table_name="invoices")


def downgrade() -> None:
    for old, columns, new, _ in reversed(_REPLACED):
        op.create_index(old, "invoices", columns)
        op.drop_index(new, table_name="invoices")
