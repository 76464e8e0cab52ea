"""customer_monthly_counts: customers per owner, register month and status, kept by triggers

Why: the dashboard counted every customer the actor may see on each request (total, active, isolated, inactive,
and how many registered before the growth window): ~100 ms over 1M customers. This rollup holds those counts per
(owner, register month, status) — a few rows per owner and month — so the cards and the growth series are sums of
a few thousand rows, exact in the same transaction as every write.

Kept like invoice_monthly_totals (migration 0004): statement-level triggers on `customers` with transition tables
add each statement's net change; an UPDATE that changes none of owner, register month or status nets to zero and
touches nothing (a name or package edit never locks a rollup row); rows are upserted in key order so concurrent
statements queue instead of deadlocking; rows at zero stay (they count nothing).

Revision ID: 0020_customer_monthly_counts
Revises: 0019_invoice_daily_totals
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0020_customer_monthly_counts"
down_revision = "0019_invoice_daily_totals"
branch_labels = None
depends_on = None

_KEYS = "owner_id, register_month, status"
_MONTH = "date_trunc('month', register_date)::date"
_UPSERT = f"""
    INSERT INTO customer_monthly_counts AS t ({_KEYS}, customer_count)
    SELECT {_KEYS}, n FROM delta ORDER BY {_KEYS}
    ON CONFLICT ({_KEYS}) DO UPDATE SET customer_count = t.customer_count + excluded.customer_count;"""

_APPLY = f"""
CREATE FUNCTION customer_monthly_counts_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        WITH delta AS (SELECT owner_id, {_MONTH} AS register_month, status, count(*) AS n
                       FROM new_rows GROUP BY 1, 2, 3)
        {_UPSERT}
    ELSIF TG_OP = 'DELETE' THEN
        WITH delta AS (SELECT owner_id, {_MONTH} AS register_month, status, -count(*) AS n
                       FROM old_rows GROUP BY 1, 2, 3)
        {_UPSERT}
    ELSE
        WITH delta AS (
            SELECT owner_id, register_month, status, sum(n) AS n
            FROM (SELECT owner_id, {_MONTH} AS register_month, status, 1 AS n FROM new_rows
                  UNION ALL
                  SELECT owner_id, {_MONTH}, status, -1 FROM old_rows) change
            GROUP BY 1, 2, 3 HAVING sum(n) <> 0)
        {_UPSERT}
    END IF;
    RETURN NULL;
END
$$"""

_CLEAR = """
CREATE FUNCTION customer_monthly_counts_clear() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM customer_monthly_counts;
    RETURN NULL;
END
$$"""

# name, event, transition tables, function
_TRIGGERS = [
    ("customer_monthly_counts_insert", "INSERT", "REFERENCING NEW TABLE AS new_rows", "customer_monthly_counts_apply"),
    ("customer_monthly_counts_update", "UPDATE", "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
     "customer_monthly_counts_apply"),
    ("customer_monthly_counts_delete", "DELETE", "REFERENCING OLD TABLE AS old_rows", "customer_monthly_counts_apply"),
    ("customer_monthly_counts_truncate", "TRUNCATE", "", "customer_monthly_counts_clear"),
]

BACKFILL = f"""
INSERT INTO customer_monthly_counts ({_KEYS}, customer_count)
SELECT owner_id, {_MONTH}, status, count(*) FROM customers GROUP BY 1, 2, 3"""


def upgrade() -> None:
    op.create_table(
        "customer_monthly_counts",
        sa.Column("owner_id", sa.UUID(), nullable=False),
        sa.Column("register_month", sa.Date(), nullable=False),
        sa.Column("status", postgresql.ENUM(name="customer_status", create_type=False), nullable=False),
        sa.Column("customer_count", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["owner_id"], ["users.id"], name=op.f("fk_customer_monthly_counts_owner_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("owner_id", "register_month", "status", name=op.f("pk_customer_monthly_counts")),
    )
    op.execute(_APPLY)
    op.execute(_CLEAR)
    # CREATE TRIGGER locks customers against writes until this transaction commits: the backfill sees them all.
    for name, event, transition_tables, function in _TRIGGERS:
        op.execute(f"CREATE TRIGGER {name} AFTER {event} ON customers {transition_tables} "
                   f"FOR EACH STATEMENT EXECUTE FUNCTION {function}()")
    op.execute(BACKFILL)


def downgrade() -> None:
    for name, *_ in reversed(_TRIGGERS):
        op.execute(f"DROP TRIGGER {name} ON customers")
    op.execute("DROP FUNCTION customer_monthly_counts_clear()")
    op.execute("DROP FUNCTION customer_monthly_counts_apply()")
    op.drop_table("customer_monthly_counts")
