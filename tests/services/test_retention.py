# ruff: noqa: F811 — the imported fixture is requested as a parameter
"""Retention: each table is purged past its window and kept within it; money and work in flight never go."""

import uuid
from datetime import date, timedelta

import pytest
from sqlalchemy import func, inspect, select
from sqlalchemy.dialects.postgresql import insert

import shared.jobs
from shared import heartbeats
from shared.models import (
    ActivityLog,
    Invoice,
    LoginAttempt,
    RefreshToken,
    ServiceHeartbeat,
    Setting,
    WaMessageLog,
    WaMessageQueue,
)
from shared.services import retention
from shared.services.settings_defaults import DEFAULT_SETTINGS, RETENTION_MIN_DAYS
from shared.timeutil import WIB, utcnow
from shared.wa import outbox
from tests.fixtures.invoices import make_invoice  # noqa: F401  (fixture)

NOW = utcnow()


def ago(days: float):
    return NOW - timedelta(days=days)


def set_retention(db, **days: int) -> None:
    """Store retention windows, e.g. set_retention(db, retention_wa_logs_days=30)."""
    values = {**{key: DEFAULT_SETTINGS[key] for key in RETENTION_MIN_DAYS}, **{k: str(v) for k, v in days.items()}}
    stmt = insert(Setting).values([{"key": key, "value": value} for key, value in values.items()])
    db.execute(stmt.on_conflict_do_update(index_elements=[Setting.key], set_={"value": stmt.excluded.value}))


def exists(db, model, row) -> bool:
    key = inspect(row).identity  # read without loading: the row may be gone
    db.expire_all()
    return db.get(model, key) is not None


@pytest.fixture
def wa(db, mitra):
    return outbox.get_or_create_session(db, mitra.id)


@pytest.fixture
def make_queue(db, wa):
    def factory(*, status: str, age: float, **fields) -> WaMessageQueue:
        at = ago(age)
        row = WaMessageQueue(session_id=wa.id, kind=fields.pop("kind", "direct"), phone="6281234567890",
                             content="Halo", status=status, scheduled_at=at, created_at=at, updated_at=at,
                             claimed_at=at if status != "pending" else None,
                             sent_at=at if status == "sent" else None, **fields)
        db.add(row)
        db.flush()
        return row

    return factory


@pytest.fixture
def make_log(db, wa):
    def factory(*, age: float, queue: WaMessageQueue | None = None) -> WaMessageLog:
        row = WaMessageLog(session_id=wa.id, user_id=wa.user_id, queue_id=queue.id if queue else None,
                           message_type="custom", phone="6281234567890", content="Halo", status="sent",
                           sent_at=ago(age))
        db.add(row)
        db.flush()
        return row

    return factory


def activity(db, *, age: float, action: str = "customer.update", resource: str | None = "customers") -> ActivityLog:
    row = ActivityLog(action=action, resource=resource, created_at=ago(age))
    db.add(row)
    db.flush()
    return row


def attempt(db, *, age: float) -> LoginAttempt:
    row = LoginAttempt(username=f"u{uuid.uuid4().hex[:8]}", ip_address="10.0.0.1", success=False,
                       created_at=ago(age))
    db.add(row)
    db.flush()
    return row


def token(db, user, *, expired: float, revoked: float | None = None) -> RefreshToken:
    """A refresh token that expired `expired` days ago (negative: still valid), revoked `revoked` days ago."""
    row = RefreshToken(user_id=user.id, token=uuid.uuid4().hex, user_agent="pytest", ip_address="10.0.0.1",
                       expires_at=ago(expired), revoked_at=ago(revoked) if revoked is not None else None,
                       created_at=ago(expired + 7))
    db.add(row)
    db.flush()
    return row


def test_each_table_is_purged_past_its_window_and_kept_within_it(db, mitra, make_queue, make_log):
    set_retention(db, retention_wa_logs_days=180, retention_wa_queue_days=30, retention_activity_days=365,
                  retention_login_attempts_days=30, retention_refresh_tokens_days=30)
    rows = {
        "wa_message_queue": [(make_queue(status=s, age=31), make_queue(status=s, age=29))
                             for s in ("sent", "failed", "cancelled")],
        "wa_message_logs": [(make_log(age=181), make_log(age=179))],
        "activity_logs": [(activity(db, age=366), activity(db, age=364)),
                          (activity(db, age=366, resource=None, action="auth.login"), activity(db, age=1))],
        "login_attempts": [(attempt(db, age=31), attempt(db, age=29))],
        "refresh_tokens": [(token(db, mitra, expired=31), token(db, mitra, expired=29)),
                           (token(db, mitra, expired=31, revoked=35), token(db, mitra, expired=31, revoked=29))],
    }
    counts = retention.purge(db, now=NOW)
    for table, pairs in rows.items():
        for old, recent in pairs:
            model = type(old)
            assert not exists(db, model, old), f"{table}: a row past its window survived"
            assert exists(db, model, recent), f"{table}: a row within its window was deleted"
        assert counts[table] >= len(pairs)


def test_pending_and_sending_queue_rows_are_never_deleted(db, make_queue):
    set_retention(db, retention_wa_queue_days=14)
    pending = make_queue(status="pending", age=400, kind="paced")
    sending = make_queue(status="sending", age=400)
    retention.purge(db, now=NOW)
    assert exists(db, WaMessageQueue, pending) and exists(db, WaMessageQueue, sending)


def test_logs_of_a_message_still_in_flight_are_kept(db, make_queue, make_log):
    set_retention(db, retention_wa_logs_days=30)
    retrying = make_queue(status="pending", age=400, kind="paced", retry_count=1)
    earlier_attempt = make_log(age=400, queue=retrying)
    retention.purge(db, now=NOW)
    assert exists(db, WaMessageLog, earlier_attempt)


def test_a_deleted_queue_row_leaves_its_log_unlinked_not_deleted(db, make_queue, make_log):
    set_retention(db, retention_wa_queue_days=14, retention_wa_logs_days=365)
    sent = make_queue(status="sent", age=60)
    entry = make_log(age=60, queue=sent)
    retention.purge(db, now=NOW)
    assert not exists(db, WaMessageQueue, sent)
    assert exists(db, WaMessageLog, entry) and db.get(WaMessageLog, entry.id).queue_id is None


def test_a_reminder_row_stays_while_the_billing_catch_up_can_still_see_its_due_date(db, make_queue):
    # A reminder sent long ago (an invoice due far ahead, say) must still block a second reminder.
    set_retention(db, retention_wa_queue_days=14)
    today = NOW.astimezone(WIB).date()
    recent_due = make_queue(status="sent", age=60, kind="paced", message_type="reminder", due_date=today)
    old_due = make_queue(status="sent", age=60, kind="paced", message_type="reminder",
                         due_date=today - timedelta(days=30))
    retention.purge(db, now=NOW)
    assert exists(db, WaMessageQueue, recent_due)
    assert not exists(db, WaMessageQueue, old_due)


def test_invoices_and_the_payment_audit_trail_are_never_deleted(db, mitra, make_customer, make_invoice,
                                                                make_queue):
    set_retention(db, retention_activity_days=90, retention_wa_queue_days=14)
    customer = make_customer(owner=mitra)
    paid = make_invoice(customer=customer, due=date(2015, 1, 5), status="paid", created_at=ago(4000))
    unpaid = make_invoice(customer=customer, due=date(2015, 2, 5), created_at=ago(4000))
    receipt = make_queue(status="sent", age=4000, invoice_id=paid.id, customer_id=customer.id,
                         message_type="receipt")
    kept = [activity(db, age=4000, action=action, resource=resource) for action, resource in [
        ("invoice.pay", "invoices"), ("invoice.unpay", "invoices"), ("invoices.generate", "invoices"),
        ("invoice.generate", "invoices"), ("customer.delete", "customers"), ("settings.update", "settings")]]
    invoices_before = db.scalar(select(func.count()).select_from(Invoice))

    retention.purge(db, now=NOW)

    assert all(exists(db, ActivityLog, row) for row in kept)
    assert exists(db, Invoice, paid) and exists(db, Invoice, unpaid)
    assert db.scalar(select(func.count()).select_from(Invoice)) == invoices_before
    assert not exists(db, WaMessageQueue, receipt)  # the message may go; the invoice it was about stays


def test_zero_days_keeps_a_table_forever(db, make_log):
    set_retention(db, retention_wa_logs_days=0, retention_login_attempts_days=0)
    old_log, old_attempt = make_log(age=5000), attempt(db, age=5000)
    counts = retention.purge(db, now=NOW)
    assert exists(db, WaMessageLog, old_log) and exists(db, LoginAttempt, old_attempt)
    assert "wa_message_logs" not in counts and "login_attempts" not in counts


def test_a_revoked_token_that_has_not_expired_is_kept_for_reuse_detection(db, mitra):
    set_retention(db, retention_refresh_tokens_days=1)
    revoked_live = token(db, mitra, expired=-3, revoked=40)
    retention.purge(db, now=NOW)
    assert exists(db, RefreshToken, revoked_live)


def test_deletes_run_in_batches_until_nothing_is_left(db):
    set_retention(db, retention_login_attempts_days=7)
    old = [attempt(db, age=30) for _ in range(11)]
    batches = []
    counts = retention.purge(db, now=NOW, batch_size=3, on_batch=lambda: batches.append(1))
    assert counts["login_attempts"] >= 11
    assert not any(exists(db, LoginAttempt, row) for row in old)
    assert len(batches) >= 4  # 11 rows in batches of 3, one step per batch


def test_a_stored_value_below_its_minimum_or_garbled_is_made_safe(db):
    values = {**DEFAULT_SETTINGS, "retention_login_attempts_days": "1", "retention_wa_logs_days": "lama"}
    days = retention.retention_days(values)
    assert days["retention_login_attempts_days"] == RETENTION_MIN_DAYS["retention_login_attempts_days"]
    assert days["retention_wa_logs_days"] == int(DEFAULT_SETTINGS["retention_wa_logs_days"])


def test_finished_jobs_are_purged_when_the_jobs_table_offers_it(db, monkeypatch):
    set_retention(db, retention_jobs_days=7)
    calls = []
    monkeypatch.setattr(shared.jobs, "purge_finished",
                        lambda session, *, older_than: calls.append(older_than) or 4, raising=False)
    counts = retention.purge(db, now=NOW)
    assert calls == [timedelta(days=7)] and counts["jobs"] == 4


def test_heartbeats_of_long_gone_processes_are_pruned(db):
    heartbeats.beat(db, "worker", instance="gone:1")
    heartbeats.beat(db, "worker", instance="alive:1")
    db.flush()
    db.get(ServiceHeartbeat, ("worker", "gone:1")).beat_at = ago(3)
    db.flush()
    counts = retention.purge(db, now=NOW)
    assert counts["service_heartbeats"] >= 1
    assert db.get(ServiceHeartbeat, ("worker", "alive:1")) is not None
    db.expire_all()
    assert db.get(ServiceHeartbeat, ("worker", "gone:1")) is None
