"""whatsapp engine: session states, desired link, QR, pauses; outbox columns; per-owner logs; number checks

- `wa_session_status` gains `logged_out`, `banned` and `outdated` so the UI can tell a user why a session
  stopped (the spec's three states cannot).
- `wa_sessions.enabled` is the user's wish ("keep this number linked"): the WA worker reconciles clients to
  it, so a connect made while the worker is down still happens, and a restart resumes exactly these.
  `qr_code`/`qr_updated_at` serve the polling fallback; `status_reason` says why (ban, logout, outdated);
  `paused_until`/`pause_reason` stop paced sends after a 463 or a temporary ban; `worker_id`/`heartbeat_at`
  show which WA worker owns the number and that it is alive.
- `wa_message_queue` is the outbox for everything the WA worker sends. `kind` is `paced` (reminders and bulk
  sends, under the anti-ban pacing) or `direct` (receipt, isolation notice, manual send, resend, test: sent
  at once, never behind the pacing). `wa_message_id` is chosen before the first attempt so a retry after a
  crash reuses it; `due_date` is a reminder's due date; one paced reminder per invoice (partial unique).
- `wa_message_logs.user_id` is the number's owner (tenancy for the log, also for test sends to no
  customer); `queue_id` links an attempt to its outbox row.
- `wa_number_checks` caches `is_on_whatsapp` per number and phone, so a number is checked before its first
  message and never messaged when WhatsApp does not know it.

Revision ID: 0006_whatsapp
Revises: 0005_dashboard_list_indexes
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0006_whatsapp"
down_revision = "0005_dashboard_list_indexes"
branch_labels = None
depends_on = None

NEW_STATES = ("logged_out", "banned", "outdated")


def upgrade() -> None:
    for state in NEW_STATES:
        op.execute(f"ALTER TYPE wa_session_status ADD VALUE IF NOT EXISTS '{state}'")

    op.add_column("wa_sessions", sa.Column("enabled", sa.Boolean(), server_default=sa.false(), nullable=False))
    op.add_column("wa_sessions", sa.Column("qr_code", sa.Text(), nullable=True))
    op.add_column("wa_sessions", sa.Column("qr_updated_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("wa_sessions", sa.Column("status_reason", sa.Text(), nullable=True))
    op.add_column("wa_sessions", sa.Column("paused_until", sa.DateTime(timezone=True), nullable=True))
    op.add_column("wa_sessions", sa.Column("pause_reason", sa.Text(), nullable=True))
    op.add_column("wa_sessions", sa.Column("worker_id", sa.String(100), nullable=True))
    op.add_column("wa_sessions", sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=True))

    op.add_column("wa_message_queue", sa.Column("kind", sa.String(10), server_default="paced", nullable=False))
    op.add_column("wa_message_queue", sa.Column("wa_message_id", sa.String(64), nullable=True))
    op.add_column("wa_message_queue", sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("wa_message_queue", sa.Column("due_date", sa.Date(), nullable=True))
    op.add_column("wa_message_queue", sa.Column(
        "created_by", postgresql.UUID(as_uuid=True), sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True))
    op.create_check_constraint("ck_wa_queue_kind", "wa_message_queue", "kind IN ('paced', 'direct')")
    op.create_check_constraint("ck_wa_queue_status", "wa_message_queue",
                               "status IN ('pending', 'sending', 'sent', 'failed', 'cancelled')")
    op.create_index("idx_wa_queue_claim", "wa_message_queue", ["session_id", "status", "kind", "scheduled_at"])
    op.create_index("idx_wa_queue_sent", "wa_message_queue", ["session_id", "sent_at"],
                    postgresql_where=sa.text("status = 'sent'"))
    op.create_index("uq_wa_queue_reminder_invoice", "wa_message_queue", ["invoice_id"], unique=True,
                    postgresql_where=sa.text("message_type = 'reminder' AND kind = 'paced' AND invoice_id IS NOT NULL"))

    op.add_column("wa_message_logs", sa.Column(
        "user_id", postgresql.UUID(as_uuid=True), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=True))
    op.add_column("wa_message_logs", sa.Column(
        "queue_id", postgresql.UUID(as_uuid=True), sa.ForeignKey("wa_message_queue.id", ondelete="SET NULL"),
        nullable=True))
    op.add_column("wa_message_logs", sa.Column("wa_message_id", sa.String(64), nullable=True))
    op.create_index("idx_wa_logs_user_sent", "wa_message_logs", ["user_id", "sent_at"])
    op.create_index("idx_wa_logs_queue", "wa_message_logs", ["queue_id"])

    op.create_table(
        "wa_number_checks",
        sa.Column("session_id", postgresql.UUID(as_uuid=True), sa.ForeignKey("wa_sessions.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("phone", sa.String(20), primary_key=True),
        sa.Column("on_whatsapp", sa.Boolean(), nullable=False),
        sa.Column("jid", sa.String(100), nullable=True),
        sa.Column("checked_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("wa_number_checks")
    op.drop_index("idx_wa_logs_queue", table_name="wa_message_logs")
    op.drop_index("idx_wa_logs_user_sent", table_name="wa_message_logs")
    for column in ("wa_message_id", "queue_id", "user_id"):
        op.drop_column("wa_message_logs", column)
    op.drop_index("uq_wa_queue_reminder_invoice", table_name="wa_message_queue")
    op.drop_index("idx_wa_queue_sent", table_name="wa_message_queue")
    op.drop_index("idx_wa_queue_claim", table_name="wa_message_queue")
    op.drop_constraint("ck_wa_queue_status", "wa_message_queue", type_="check")
    op.drop_constraint("ck_wa_queue_kind", "wa_message_queue", type_="check")
    for column in ("created_by", "due_date", "claimed_at", "wa_message_id", "kind"):
        op.drop_column("wa_message_queue", column)
    for column in ("heartbeat_at", "worker_id", "pause_reason", "paused_until", "status_reason", "qr_updated_at",
                   "qr_code", "enabled"):
        op.drop_column("wa_sessions", column)
    # PostgreSQL cannot drop enum values: rebuild the type with the spec's three.
    op.execute("UPDATE wa_sessions SET status = 'disconnected' WHERE status::text IN ('logged_out', 'banned', "
               "'outdated')")
    op.execute("ALTER TABLE wa_sessions ALTER COLUMN status DROP DEFAULT")
    op.execute("ALTER TYPE wa_session_status RENAME TO wa_session_status_old")
    op.execute("CREATE TYPE wa_session_status AS ENUM ('disconnected', 'connecting', 'connected')")
    op.execute("ALTER TABLE wa_sessions ALTER COLUMN status TYPE wa_session_status "
               "USING status::text::wa_session_status")
    op.execute("ALTER TABLE wa_sessions ALTER COLUMN status SET DEFAULT 'disconnected'")
    op.execute("DROP TYPE wa_session_status_old")
