"""retention indexes: login attempts and WhatsApp logs by age alone, for the nightly purge and the newest-first lists

The retention job deletes login attempts and message logs older than N days in batches; without an index on the age
column each batch scanned the whole table. The superadmin's WhatsApp log list (all owners, newest first) uses the
same index.

Revision ID: 0017_retention_indexes
Revises: 0016_search_indexes
"""
from alembic import op

revision = "0017_retention_indexes"
down_revision = "0016_search_indexes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("idx_login_attempts_created", "login_attempts", ["created_at"])
    op.create_index("idx_wa_logs_sent", "wa_message_logs", ["sent_at"])


def downgrade() -> None:
    op.drop_index("idx_wa_logs_sent", table_name="wa_message_logs")
    op.drop_index("idx_login_attempts_created", table_name="login_attempts")
