"""invoice payments: part payments, invoices.paid_amount, and money received per WIB day

Why: the spec's `partial` status could not happen: an invoice was either unpaid or paid in full. Now each payment
is a row of `invoice_payments`; `invoices.paid_amount` is their sum, kept by the pay UPDATE that locks the invoice
row (shared.services.invoices), and bounded by a CHECK so no race can overpay. `paid_at`, `paid_by` and
`payment_method` keep meaning "fully paid" (the payment that completed the invoice).

- Every invoice already paid gets one payment row (its total, when, by whom, how) and paid_amount = total.
- invoice_monthly_totals gains paid_amount (the invoices' paid money per due month, partials included); the
  0004 trigger function is replaced to sum it too.
- payment_daily_totals: money received per owner and WIB payment day, kept by statement-level triggers on
  invoice_payments like 0004's, so "received this month / today" reads a few rows, not every payment.

Revision ID: 0013_invoice_payments
Revises: 0012_backup_runs
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0013_invoice_payments"
down_revision = "0012_backup_runs"
branch_labels = None
depends_on = None

_KEYS = "owner_id, due_month, period, status"


def _monthly_apply(with_paid: bool) -> str:
    """0004's invoice_monthly_totals_apply, with or without the paid_amount sums."""
    paid = ", paid_amount" if with_paid else ""
    upsert = f"""
    INSERT INTO invoice_monthly_totals AS t ({_KEYS}, invoice_count, total_amount{paid})
    SELECT owner_id, due_month, period, status, n, amount{", paid" if with_paid else ""} FROM delta ORDER BY {_KEYS}
    ON CONFLICT ({_KEYS}) DO UPDATE
    SET invoice_count = t.invoice_count + excluded.invoice_count,
        total_amount = t.total_amount + excluded.total_amount{
        ", paid_amount = t.paid_amount + excluded.paid_amount" if with_paid else ""};"""
    sum_paid = ", sum(paid_amount) AS paid" if with_paid else ""
    neg_paid = ", -sum(paid_amount) AS paid" if with_paid else ""
    having_paid = " OR sum(paid) <> 0" if with_paid else ""
    return f"""
CREATE OR REPLACE FUNCTION invoice_monthly_totals_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        WITH delta AS (
            SELECT owner_id, date_trunc('month', due_date)::date AS due_month, period, status,
                   count(*) AS n, sum(total_amount) AS amount{sum_paid}
            FROM new_rows GROUP BY 1, 2, 3, 4)
        {upsert}
    ELSIF TG_OP = 'DELETE' THEN
        WITH delta AS (
            SELECT owner_id, date_trunc('month', due_date)::date AS due_month, period, status,
                   -count(*) AS n, -sum(total_amount) AS amount{neg_paid}
            FROM old_rows GROUP BY 1, 2, 3, 4)
        {upsert}
    ELSE
        WITH delta AS (
            SELECT owner_id, date_trunc('month', due_date)::date AS due_month, period, status,
                   sum(n) AS n, sum(amount) AS amount{", sum(paid) AS paid" if with_paid else ""}
            FROM (SELECT owner_id, due_date, period, status, 1 AS n, total_amount AS amount{
                  ", paid_amount AS paid" if with_paid else ""} FROM new_rows
                  UNION ALL
                  SELECT owner_id, due_date, period, status, -1, -total_amount{
                  ", -paid_amount" if with_paid else ""} FROM old_rows) change
            GROUP BY 1, 2, 3, 4
            HAVING sum(n) <> 0 OR sum(amount) <> 0{having_paid})
        {upsert}
    END IF;
    RETURN NULL;
END
$$"""


_DAY = "(paid_at AT TIME ZONE 'Asia/Jakarta')::date"
_DAILY_UPSERT = """
    INSERT INTO payment_daily_totals AS t (owner_id, day, payment_count, amount)
    SELECT owner_id, day, n, amount FROM delta ORDER BY owner_id, day
    ON CONFLICT (owner_id, day) DO UPDATE
    SET payment_count = t.payment_count + excluded.payment_count, amount = t.amount + excluded.amount;"""
_DAILY_APPLY = f"""
CREATE FUNCTION payment_daily_totals_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        WITH delta AS (SELECT owner_id, {_DAY} AS day, count(*) AS n, sum(amount) AS amount
                       FROM new_rows GROUP BY 1, 2)
        {_DAILY_UPSERT}
    ELSIF TG_OP = 'DELETE' THEN
        WITH delta AS (SELECT owner_id, {_DAY} AS day, -count(*) AS n, -sum(amount) AS amount
                       FROM old_rows GROUP BY 1, 2)
        {_DAILY_UPSERT}
    ELSE
        WITH delta AS (
            SELECT owner_id, day, sum(n) AS n, sum(amount) AS amount
            FROM (SELECT owner_id, {_DAY} AS day, 1 AS n, amount FROM new_rows
                  UNION ALL
                  SELECT owner_id, {_DAY}, -1, -amount FROM old_rows) change
            GROUP BY 1, 2 HAVING sum(n) <> 0 OR sum(amount) <> 0)
        {_DAILY_UPSERT}
    END IF;
    RETURN NULL;
END
$$"""
_DAILY_CLEAR = """
CREATE FUNCTION payment_daily_totals_clear() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM payment_daily_totals;
    RETURN NULL;
END
$$"""
_DAILY_TRIGGERS = [
    ("payment_daily_totals_insert", "INSERT", "REFERENCING NEW TABLE AS new_rows", "payment_daily_totals_apply"),
    ("payment_daily_totals_update", "UPDATE", "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
     "payment_daily_totals_apply"),
    ("payment_daily_totals_delete", "DELETE", "REFERENCING OLD TABLE AS old_rows", "payment_daily_totals_apply"),
    ("payment_daily_totals_truncate", "TRUNCATE", "", "payment_daily_totals_clear"),
]


def upgrade() -> None:
    op.add_column("invoices", sa.Column("paid_amount", sa.Integer(), server_default=sa.text("0"), nullable=False))
    op.add_column("invoice_monthly_totals",
                  sa.Column("paid_amount", sa.BigInteger(), server_default=sa.text("0"), nullable=False))
    op.execute(_monthly_apply(with_paid=True))
    # Through the replaced trigger: the rollup's paid_amount is filled by the same statement.
    op.execute("UPDATE invoices SET paid_amount = total_amount WHERE status = 'paid'")
    op.create_check_constraint("paid_amount_within_total", "invoices",
                               "paid_amount >= 0 AND paid_amount <= total_amount")

    op.create_table(
        "invoice_payments",
        sa.Column("id", postgresql.UUID(as_uuid=True), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("invoice_id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("owner_id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("payment_method", sa.String(50), nullable=False),
        sa.Column("payment_note", sa.Text(), nullable=True),
        sa.Column("paid_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("paid_by", postgresql.UUID(as_uuid=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.CheckConstraint("amount > 0", name=op.f("ck_invoice_payments_amount_positive")),
        sa.ForeignKeyConstraint(["invoice_id"], ["invoices.id"], name="fk_invoice_payments_invoice_id_invoices",
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["owner_id"], ["users.id"], name="fk_invoice_payments_owner_id_users",
                                ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["paid_by"], ["users.id"], name="fk_invoice_payments_paid_by_users",
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name="pk_invoice_payments"),
    )
    op.create_index("ix_invoice_payments_invoice_id", "invoice_payments", ["invoice_id"])
    op.create_index("ix_invoice_payments_owner_paid_at", "invoice_payments", ["owner_id", "paid_at"])

    op.create_table(
        "payment_daily_totals",
        sa.Column("owner_id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("payment_count", sa.BigInteger(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["owner_id"], ["users.id"], name="fk_payment_daily_totals_owner_id_users",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("owner_id", "day", name="pk_payment_daily_totals"),
    )
    op.execute(_DAILY_APPLY)
    op.execute(_DAILY_CLEAR)
    for name, event, transition_tables, function in _DAILY_TRIGGERS:
        op.execute(f"CREATE TRIGGER {name} AFTER {event} ON invoice_payments {transition_tables} "
                   f"FOR EACH STATEMENT EXECUTE FUNCTION {function}()")
    # One payment per invoice already paid; the insert trigger fills payment_daily_totals.
    op.execute("""
        INSERT INTO invoice_payments (invoice_id, owner_id, amount, payment_method, payment_note, paid_at, paid_by)
        SELECT id, owner_id, total_amount, coalesce(payment_method, 'other'), payment_note,
               coalesce(paid_at, updated_at), paid_by
        FROM invoices WHERE status = 'paid' AND total_amount > 0""")


def downgrade() -> None:
    for name, *_ in reversed(_DAILY_TRIGGERS):
        op.execute(f"DROP TRIGGER {name} ON invoice_payments")
    op.execute("DROP FUNCTION payment_daily_totals_clear()")
    op.execute("DROP FUNCTION payment_daily_totals_apply()")
    op.drop_table("payment_daily_totals")
    op.drop_table("invoice_payments")
    # Before 0013 an invoice was unpaid or paid: a part-paid one goes back to unpaid (its payments are gone).
    op.execute("UPDATE invoices SET status = 'unpaid' WHERE status = 'partial'")
    op.drop_constraint(op.f("ck_invoices_paid_amount_within_total"), "invoices", type_="check")
    op.execute(_monthly_apply(with_paid=False))
    op.drop_column("invoice_monthly_totals", "paid_amount")
    op.drop_column("invoices", "paid_amount")
