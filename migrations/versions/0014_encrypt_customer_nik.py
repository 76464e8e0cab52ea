"""encrypt customers' NIK at rest: the column widens to hold AES-GCM values and existing NIKs are encrypted

The NIK (national ID) is personal data under Indonesia's PDP law. Values become `enc1:<key id>:<base64>` sealed
with ENCRYPTION_KEY (shared/crypto.py), so the migration needs the key the app runs with (compose's api has it;
outside production the development key). Existing plaintext is encrypted in batches; the activity log's earlier
NIK edits keep only the last digits. Downgrade decrypts (it needs every key the values were written with) and
narrows the column back; the masked activity entries stay masked.

Revision ID: 0014_encrypt_customer_nik
Revises: 0013_invoice_payments
"""
import json

import sqlalchemy as sa
from alembic import op

revision = "0014_encrypt_customer_nik"
down_revision = "0013_invoice_payments"
branch_labels = None
depends_on = None

BATCH = 1000
NIK_PURPOSE = "customers.nik"  # shared.crypto.NIK_PURPOSE, written out: a migration's meaning must not drift


def _keyring():
    from shared.config import get_settings
    from shared.crypto import keyring_from_settings

    return keyring_from_settings(get_settings())


def _rewrite(conn, convert, needs) -> None:
    """Rewrite every NIK for which `needs(value)` holds with `convert(value)`, BATCH rows at a time (by id)."""
    last = None
    while True:
        query = "SELECT id, nik FROM customers WHERE nik IS NOT NULL" + (" AND id > :last" if last else "") + \
            " ORDER BY id LIMIT :batch"
        rows = conn.execute(sa.text(query), {"last": last, "batch": BATCH}).all()
        if not rows:
            return
        changed = [{"id": row.id, "nik": convert(row.nik)} for row in rows if needs(row.nik)]
        if changed:
            conn.execute(sa.text("UPDATE customers SET nik = :nik WHERE id = :id"), changed)
        last = rows[-1].id


def _mask(value: str) -> str:
    digits = "".join(ch for ch in value if ch.isdigit())
    return "*" * len(digits) if len(digits) <= 4 else "*" * (len(digits) - 4) + digits[-4:]


def upgrade() -> None:
    op.alter_column("customers", "nik", type_=sa.String(255), existing_type=sa.String(20), existing_nullable=True)
    from shared.crypto import is_encrypted

    conn = op.get_bind()
    keys = _keyring()
    _rewrite(conn, lambda nik: keys.encrypt(nik, purpose=NIK_PURPOSE), lambda nik: not is_encrypted(nik))
    # Earlier edits of a NIK were logged in full ({"changes": {"nik": {"old": ..., "new": ...}}}).
    rows = conn.execute(sa.text(
        "SELECT id, metadata -> 'changes' -> 'nik' AS nik FROM activity_logs "
        "WHERE action = 'customer.update' AND metadata -> 'changes' ? 'nik'")).all()
    for row in rows:
        masked = {side: _mask(value) if isinstance(value, str) else value for side, value in (row.nik or {}).items()}
        conn.execute(sa.text("UPDATE activity_logs SET metadata = jsonb_set(metadata, '{changes,nik}', "
                             "CAST(:masked AS jsonb)) WHERE id = :id"),
                     {"id": row.id, "masked": json.dumps(masked)})


def downgrade() -> None:
    from shared.crypto import is_encrypted

    conn = op.get_bind()
    keys = _keyring()
    _rewrite(conn, lambda nik: keys.decrypt(nik, purpose=NIK_PURPOSE), is_encrypted)
    op.alter_column("customers", "nik", type_=sa.String(20), existing_type=sa.String(255), existing_nullable=True)
