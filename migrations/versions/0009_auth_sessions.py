"""auth sessions: per-client login lockout and refresh-token families as sessions

`login_attempts.client_key` says who tried: `d:<device id>` for a browser holding the user's signed device cookie,
else `ip:<address>`; lockouts count per username and client key, so failures from elsewhere cannot lock the
owner's known device out. One login is one refresh-token family; the family id is the access token's `sid`
claim and is looked up on every request, hence its index. Tokens from before families existed get one each.

Revision ID: 0009_auth_sessions
Revises: 0008_durable_jobs
"""
import sqlalchemy as sa
from alembic import op

revision = "0009_auth_sessions"
down_revision = "0008_durable_jobs"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("login_attempts", sa.Column("client_key", sa.String(100), nullable=True))
    op.create_index("idx_login_attempts_lower_username_created", "login_attempts",
                    [sa.text("lower(username)"), "created_at"])
    op.execute("UPDATE refresh_tokens SET family_id = gen_random_uuid() WHERE family_id IS NULL")
    op.alter_column("refresh_tokens", "family_id", nullable=False)
    op.create_index("idx_refresh_tokens_family_id", "refresh_tokens", ["family_id"])


def downgrade() -> None:
    op.drop_index("idx_refresh_tokens_family_id", table_name="refresh_tokens")
    op.alter_column("refresh_tokens", "family_id", nullable=True)
    op.drop_index("idx_login_attempts_lower_username_created", table_name="login_attempts")
    op.drop_column("login_attempts", "client_key")
