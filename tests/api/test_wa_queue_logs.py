# ruff: noqa: F811 — the imported wa_bus / wa_state / make_invoice fixtures are requested as parameters
"""The queue and the logs of the caller's own number: lists, detail, retry, cancel, filters, tenancy."""

from datetime import UTC, date, datetime, timedelta

import pytest

from shared.models import WaMessageLog, WaMessageQueue
from shared.timeutil import utcnow
from tests.fixtures.invoices import make_invoice  # noqa: F401
from tests.fixtures.wa import wa_bus, wa_state  # noqa: F401


@pytest.fixture
def add_row(db):
    def factory(wa, *, status="pending", kind="paced", message_type="custom", customer=None, **fields):
        row = WaMessageQueue(session_id=wa.id, kind=kind, status=status, message_type=message_type,
                             phone=fields.pop("phone", "6281200000001"), content=fields.pop("content", "Halo"),
                             customer_id=customer.id if customer else None,
                             scheduled_at=fields.pop("scheduled_at", utcnow()), **fields)
        db.add(row)
        db.flush()
        return row

    return factory


@pytest.fixture
def add_log(db):
    def factory(user, *, status="delivered", message_type="custom", sent_at=None, **fields):
        entry = WaMessageLog(user_id=user.id, status=status, message_type=message_type,
                             phone=fields.pop("phone", "6281200000001"), content=fields.pop("content", "Halo"),
                             sent_at=sent_at or utcnow(), **fields)
        db.add(entry)
        db.flush()
        return entry

    return factory


@pytest.fixture
def numbers(mitra, other_mitra, wa_state, wa_bus):
    return {"mine": wa_state(mitra, "connected"), "theirs": wa_state(other_mitra, "connected")}


def test_queue_lists_only_the_callers_rows_with_counts(mitra_client, numbers, add_row, make_customer, mitra):
    ani = make_customer(owner=mitra, name="Ani")
    add_row(numbers["mine"], customer=ani)
    add_row(numbers["mine"], status="failed", error_message="Nomor tidak terdaftar di WhatsApp")
    add_row(numbers["theirs"], content="Rahasia orang lain")
    res = mitra_client.get("/api/wa/queue")
    assert res.status_code == 200
    body = res.json
    assert body["counts"] == {"pending": 1, "sending": 0, "sent": 0, "failed": 1, "cancelled": 0}
    assert (body["total"], body["page"], body["perPage"]) == (2, 1, 20)
    assert "Rahasia orang lain" not in res.get_data(as_text=True)
    assert {item["customerName"] for item in body["items"]} == {"Ani", None}
    failed = mitra_client.get("/api/wa/queue", query_string={"status": "failed"}).json
    assert [item["errorMessage"] for item in failed["items"]] == ["Nomor tidak terdaftar di WhatsApp"]
    assert mitra_client.get("/api/wa/queue", query_string={"status": "lost"}).status_code == 422


def test_queue_plan_shows_the_callers_reminders_per_due_date(mitra_client, numbers, add_row, mitra, make_customer,
                                                             make_invoice):
    customer = make_customer(owner=mitra)
    due = date.today() + timedelta(days=20)
    invoice = make_invoice(customer=customer, due=due)
    add_row(numbers["mine"], message_type="reminder", invoice_id=invoice.id, due_date=due,
            scheduled_at=datetime.now(UTC))
    plan = mitra_client.get("/api/wa/queue").json["plan"]
    assert len(plan) == 1
    assert (plan[0]["dueDate"], plan[0]["total"], plan[0]["queued"]) == (due.isoformat(), 1, 1)
    assert plan[0]["startedEarly"] is True


def test_queue_item_detail_retry_and_cancel(mitra_client, numbers, add_row, db, mitra):
    failed = add_row(numbers["mine"], kind="direct", status="failed", error_message="Gagal")
    pending = add_row(numbers["mine"])
    sent = add_row(numbers["mine"], status="sent")
    assert mitra_client.get(f"/api/wa/queue/{failed.id}").json["status"] == "failed"

    res = mitra_client.post(f"/api/wa/queue/{failed.id}/retry")
    assert res.status_code == 200 and res.json["status"] == "pending" and res.json["errorMessage"] is None
    assert mitra_client.post(f"/api/wa/queue/{sent.id}/retry").status_code == 409

    assert mitra_client.delete(f"/api/wa/queue/{pending.id}").status_code == 204
    assert mitra_client.delete(f"/api/wa/queue/{sent.id}").status_code == 409
    db.expire_all()
    assert (db.get(WaMessageQueue, failed.id).status, db.get(WaMessageQueue, pending.id).status,
            db.get(WaMessageQueue, sent.id).status) == ("pending", "cancelled", "sent")


def test_mitra_cannot_see_retry_or_cancel_another_numbers_rows(mitra_client, numbers, add_row, db):
    failed = add_row(numbers["theirs"], status="failed", content="Milik orang lain")
    pending = add_row(numbers["theirs"])
    for method, url in [("get", f"/api/wa/queue/{failed.id}"), ("post", f"/api/wa/queue/{failed.id}/retry"),
                        ("delete", f"/api/wa/queue/{pending.id}"), ("get", "/api/wa/queue/not-an-id")]:
        res = getattr(mitra_client, method)(url)
        assert res.status_code == 404, (method, url, res.status_code)
        assert "Milik orang lain" not in res.get_data(as_text=True)
    db.expire_all()
    assert (db.get(WaMessageQueue, failed.id).status, db.get(WaMessageQueue, pending.id).status) == ("failed",
                                                                                                      "pending")


def test_superadmin_sees_only_their_own_numbers_queue(superadmin_client, superadmin, numbers, add_row, wa_state):
    row = add_row(numbers["mine"])
    wa_state(superadmin, "connected")
    assert superadmin_client.get("/api/wa/queue").json["total"] == 0
    assert superadmin_client.get(f"/api/wa/queue/{row.id}").status_code == 404


def test_logs_are_the_callers_own_filtered_and_counted(mitra_client, mitra, other_mitra, add_log):
    now = utcnow()
    add_log(mitra, message_type="reminder", status="sent", sent_at=now - timedelta(hours=1))
    add_log(mitra, message_type="receipt", status="failed", error_message="Session WA tidak terkoneksi",
            sent_at=now - timedelta(hours=2))
    add_log(mitra, message_type="receipt", status="failed", sent_at=now - timedelta(days=3))
    add_log(other_mitra, status="failed", content="Milik orang lain")
    res = mitra_client.get("/api/wa/logs")
    assert res.status_code == 200
    assert (res.json["total"], res.json["failedLast24h"]) == (3, 1)
    assert "Milik orang lain" not in res.get_data(as_text=True)
    assert [item["messageType"] for item in res.json["items"]] == ["reminder", "receipt", "receipt"]  # newest first
    assert mitra_client.get("/api/wa/logs", query_string={"type": "receipt"}).json["total"] == 2
    assert mitra_client.get("/api/wa/logs", query_string={"status": "failed"}).json["total"] == 2
    paged = mitra_client.get("/api/wa/logs", query_string={"perPage": 2, "page": 2}).json
    assert (len(paged["items"]), paged["total"], paged["page"]) == (1, 3, 2)


def test_log_dates_are_wib_days(mitra_client, mitra, add_log):
    # 2030-03-04 23:30 WIB is 16:30 UTC: it belongs to the 4th in Jakarta, whatever UTC says.
    add_log(mitra, sent_at=datetime(2030, 3, 4, 16, 30, tzinfo=UTC))
    add_log(mitra, sent_at=datetime(2030, 3, 4, 17, 30, tzinfo=UTC))  # 00:30 WIB on the 5th
    on_4th = mitra_client.get("/api/wa/logs", query_string={"dateFrom": "2030-03-04", "dateTo": "2030-03-04"}).json
    on_5th = mitra_client.get("/api/wa/logs", query_string={"dateFrom": "2030-03-05"}).json
    assert (on_4th["total"], on_5th["total"]) == (1, 1)
    assert mitra_client.get("/api/wa/logs", query_string={"dateFrom": "2030-03-05",
                                                          "dateTo": "2030-03-04"}).status_code == 422

