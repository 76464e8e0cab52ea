"""Re-encrypt customers' NIK under the current ENCRYPTION_KEY: `python -m shared.rotate_encryption_key [--check]`.

Rotation (README, "Encryption at rest"): put the new key in ENCRYPTION_KEY and the old one in
ENCRYPTION_KEY_PREVIOUS, restart, run this, then drop the old key. Every NIK not sealed by the current key (an older
key's, or plaintext left by raw SQL) is rewritten, BATCH rows per transaction, each row only if it still holds the
value read (a concurrent edit wins; the edit was sealed with the current key anyway). `--check` changes nothing and
exits 1 when some value is under a key this process does not have, or still in plaintext.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine

from shared.crypto import NIK_PURPOSE, EncryptionKeyError, Keyring, is_encrypted

BATCH = 500


@dataclass
class Report:
    rewritten: int = 0
    by_key: Counter = field(default_factory=Counter)  # key id (or "plaintext") -> rows, before any rewrite
    unknown: Counter = field(default_factory=Counter)  # key ids this keyring lacks -> rows


@contextmanager
def _transaction(bind: Engine | Connection) -> Iterator[Connection]:
    """A transaction of its own on an engine; a savepoint on a connection (a caller's transaction, tests)."""
    if isinstance(bind, Engine):
        with bind.begin() as conn:
            yield conn
    else:
        with bind.begin_nested():
            yield bind


def survey(bind: Engine | Connection, keys: Keyring) -> Report:
    """How many NIKs each key sealed (and how many are plaintext); the unknown keys apart."""
    report = Report()
    with _transaction(bind) as conn:
        for value, count in conn.execute(text(
                "SELECT CASE WHEN nik ~ '^enc1:[0-9a-f]{8}:' THEN substr(nik, 6, 8) ELSE 'plaintext' END, count(*) "
                "FROM customers WHERE nik IS NOT NULL GROUP BY 1")):
            report.by_key[value] += count
            if value != "plaintext" and value not in keys.by_id:
                report.unknown[value] += count
    return report


def rotate(bind: Engine | Connection, keys: Keyring, *, batch: int = BATCH, progress=None) -> Report:
    """Rewrite every NIK not under `keys.current`; refuse up front if some are under a key it does not have."""
    report = survey(bind, keys)
    if report.unknown:
        raise EncryptionKeyError(f"NIKs encrypted with unknown key(s) {dict(report.unknown)}: add the key they were "
                                 f"written with to ENCRYPTION_KEY_PREVIOUS and run again; nothing was changed")
    current = keys.current_id
    last = None
    while True:
        with _transaction(bind) as conn:
            rows = conn.execute(text(
                "SELECT id, nik FROM customers WHERE nik IS NOT NULL AND nik NOT LIKE :current"
                + (" AND id > :last" if last else "") + " ORDER BY id LIMIT :batch FOR UPDATE"),
                {"current": f"enc1:{current}:%", "last": last, "batch": batch}).all()
            if not rows:
                return report
            for row in rows:
                plain = keys.decrypt(row.nik, purpose=NIK_PURPOSE) if is_encrypted(row.nik) else row.nik
                done = conn.execute(text("UPDATE customers SET nik = :new WHERE id = :id AND nik = :old"),
                                    {"new": keys.encrypt(plain, purpose=NIK_PURPOSE), "id": row.id, "old": row.nik})
                report.rewritten += done.rowcount
            last = rows[-1].id
        if progress:
            progress(report.rewritten)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m shared.rotate_encryption_key", description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="only report which keys sealed the NIKs")
    parser.add_argument("--batch", type=int, default=BATCH, help=f"rows per transaction (default {BATCH})")
    args = parser.parse_args(argv)

    from shared.config import get_settings
    from shared.crypto import keyring_from_settings
    from shared.db import get_engine

    try:
        keys = keyring_from_settings(get_settings())
        engine = get_engine()
        before = survey(engine, keys)
        print(f"current key {keys.current_id}; NIKs by key: {dict(before.by_key) or 'none'}")
        if args.check:
            stale = sum(n for kid, n in before.by_key.items() if kid != keys.current_id)
            if before.unknown:
                print(f"unknown keys (add them to ENCRYPTION_KEY_PREVIOUS): {dict(before.unknown)}", file=sys.stderr)
            print(f"{stale} NIK(s) not under the current key")
            return 1 if stale else 0
        report = rotate(engine, keys, batch=args.batch, progress=lambda n: print(f"re-encrypted {n}", flush=True))
    except EncryptionKeyError as exc:
        print(f"rotate_encryption_key: {exc}", file=sys.stderr)
        return 2
    after = survey(engine, keys)
    print(f"done: {report.rewritten} NIK(s) re-encrypted; now by key: {dict(after.by_key) or 'none'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
