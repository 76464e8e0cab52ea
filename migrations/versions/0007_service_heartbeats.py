"""service heartbeats: each long-running process (Celery worker, beat, WA worker) records that it is alive

Kept in PostgreSQL so `/api/health` and the container healthchecks still know who is alive while Redis is
down. One row per (service, instance); `info` carries what the process reports (numbers owned, last tick).

Revision ID: 0007_service_heartbeats
Revises: 0006_whatsapp
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0007_service_heartbeats"
down_revision = "0006_whatsapp"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "service_heartbeats",
        sa.Column("service", sa.String(30), nullable=False),
        sa.Column("instance", sa.String(200), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("beat_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("info", postgresql.JSONB(), server_default="{}", nullable=False),
        sa.PrimaryKeyConstraint("service", "instance", name=op.f("pk_service_heartbeats")),
    )


def downgrade() -> None:
    op.drop_table("service_heartbeats")
