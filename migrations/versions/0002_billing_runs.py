"""billing_runs: the days whose 06:00 H-1 billing work is done

Why: the daily job must catch up a day missed while the system was down, exactly once, even when beat's
run and a worker's start-up catch-up race each other. The day is recorded in the same transaction as
its invoices; the primary key on run_date makes a second recording (and so a second run) impossible.

Revision ID: 0002_billing_runs
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

revision = "0002_billing_runs"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "billing_runs",
        sa.Column("run_date", sa.Date(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("created_count", sa.Integer(), nullable=False),
        sa.Column("reminder_count", sa.Integer(), nullable=False),
        sa.Column("completed_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("run_date", name=op.f("pk_billing_runs")),
    )


def downgrade() -> None:
    op.drop_table("billing_runs")
