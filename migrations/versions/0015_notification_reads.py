"""notification reads: which derived notifications (bell in the header) each user has marked read

Notifications are computed from state on every read; only the per-user read marks are stored.

Revision ID: 0015_notification_reads
Revises: 0014_encrypt_customer_nik
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0015_notification_reads"
down_revision = "0014_encrypt_customer_nik"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "notification_reads",
        sa.Column("user_id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="fk_notification_reads_user_id_users",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id", "key", name="pk_notification_reads"),
    )


def downgrade() -> None:
    op.drop_table("notification_reads")
