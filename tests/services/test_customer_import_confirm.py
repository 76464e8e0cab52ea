"""Confirming an import twice, even at the same moment, inserts every row once (committed data, real sessions)."""

import threading

from sqlalchemy import func, select

from shared.db import get_sessionmaker, session_scope
from shared.models import Customer, CustomerImport
from shared.services.customer_import import confirm, validate_upload


def validated_import(world, rows=5) -> str:
    with session_scope() as session:
        preview = validate_upload(session, data=world.csv(rows), filename="race.csv", user_id=world.superadmin_id)
    assert preview["validCount"] == rows
    return preview["importId"]


def customer_count(world) -> int:
    with session_scope() as session:
        return session.scalar(select(func.count()).select_from(Customer).where(Customer.owner_id == world.mitra_id))


def test_two_confirms_racing_in_threads_import_each_row_once(committed_world):
    import_id = validated_import(committed_world)
    barrier = threading.Barrier(2)
    results, errors = [], []

    def run():
        try:
            barrier.wait(timeout=10)
            with session_scope() as session:
                results.append(confirm(session, import_id=import_id, user_id=committed_world.superadmin_id))
        except Exception as exc:  # noqa: BLE001 — reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert sorted(result["imported"] for result in results) == [0, 5]
    assert customer_count(committed_world) == 5


def test_a_confirm_waiting_on_an_uncommitted_claim_imports_nothing(committed_world):
    import_id = validated_import(committed_world, rows=3)
    first = get_sessionmaker()()
    try:
        assert confirm(first, import_id=import_id, user_id=committed_world.superadmin_id)["imported"] == 3
        second_result = []

        def second():
            with session_scope() as session:
                second_result.append(confirm(session, import_id=import_id, user_id=committed_world.superadmin_id))

        thread = threading.Thread(target=second)
        thread.start()
        thread.join(0.5)
        assert thread.is_alive(), "the second confirm must wait on the first one's row lock"
        first.commit()
        thread.join(10)
    finally:
        first.close()
    assert second_result == [{"imported": 0, "skipped": 0, "alreadyImported": True}]
    assert customer_count(committed_world) == 3
    with session_scope() as session:
        assert session.get(CustomerImport, import_id).imported_count == 3


def test_a_failed_confirm_leaves_the_import_confirmable(committed_world):
    import_id = validated_import(committed_world, rows=2)
    session = get_sessionmaker()()
    try:
        confirm(session, import_id=import_id, user_id=committed_world.superadmin_id)
        session.rollback()  # e.g. the worker died before committing
    finally:
        session.close()
    with session_scope() as session:
        assert confirm(session, import_id=import_id, user_id=committed_world.superadmin_id)["imported"] == 2
