"""The header bell: notifications derived from state, scoped to the user, with read marks that stick."""

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest

from shared import backups
from shared.models import BillingRun, Job, WaMessageLog, WaSession, WaSessionStatus
from shared.services import notifications
from shared.timeutil import utcnow

NOW = datetime(2026, 11, 15, 2, 0, tzinfo=UTC)  # 09:00 WIB


@pytest.fixture(autouse=True)
def fixed_now(monkeypatch):
    monkeypatch.setattr(notifications, "utcnow", lambda: NOW)


@pytest.fixture
def make_session(db):
    def factory(user, **fields):
        wa = WaSession(user_id=user.id, **fields)
        db.add(wa)
        db.flush()
        return wa
    return factory


@pytest.fixture
def fail_messages(db):
    def factory(user, n, at=NOW - timedelta(hours=1)):
        for _ in range(n):
            db.add(WaMessageLog(user_id=user.id, message_type="reminder", phone="6281234567890", content="x",
                                status="failed", error_message="not connected", sent_at=at))
        db.flush()
    return factory


@pytest.fixture
def make_export(db):
    def factory(user, *, state="done", finished=NOW - timedelta(minutes=5), expires=NOW + timedelta(hours=20)):
        job_id = uuid.uuid4()
        result = {"downloadUrl": f"/api/exports/{job_id}/download", "filename": "tagihan-2026-11.xlsx", "rows": 1234,
                  "format": "xlsx", "expiresAt": expires.isoformat()} if state == "done" else None
        job = Job(id=job_id, type="export.invoices", task="exports.run", user_id=user.id, state=state,
                  result=result, error="Ekspor gagal." if state == "failed" else None, finished_at=finished)
        db.add(job)
        db.flush()
        return job
    return factory


def kinds(body):
    return [item["kind"] for item in body["items"]]


def test_empty_bell_for_a_new_mitra(mitra_client):
    res = mitra_client.get("/api/notifications")
    assert res.status_code == 200
    assert res.json == {"items": [], "unreadCount": 0}


def test_lost_session_is_a_danger_item_linking_to_whatsapp(mitra_client, mitra, make_session):
    make_session(mitra, status=WaSessionStatus.disconnected, enabled=True,
                 last_connected_at=NOW - timedelta(hours=3), status_reason="Koneksi putus.")
    body = mitra_client.get("/api/notifications").json
    assert body["unreadCount"] == 1
    [item] = body["items"]
    assert item["kind"] == "wa_session_lost" and item["severity"] == "danger" and item["read"] is False
    assert item["title"] == "Sesi WhatsApp terputus" and "Koneksi putus." in item["body"]
    assert item["link"] == {"to": "/whatsapp", "search": {"tab": "koneksi"}}


def test_disconnecting_on_purpose_or_never_connected_is_not_news(mitra_client, other_mitra, mitra, make_session,
                                                                 as_user):
    make_session(mitra, status=WaSessionStatus.disconnected, enabled=False, last_connected_at=NOW - timedelta(hours=3))
    make_session(other_mitra, status=WaSessionStatus.disconnected, enabled=True, last_connected_at=None)
    assert mitra_client.get("/api/notifications").json["items"] == []
    assert as_user(other_mitra).get("/api/notifications").json["items"] == []


def test_banned_and_paused_sessions(mitra_client, mitra, make_session):
    make_session(mitra, status=WaSessionStatus.banned, last_connected_at=NOW - timedelta(days=1),
                 paused_until=NOW + timedelta(hours=2), pause_reason="Ditolak WhatsApp (463).")
    body = mitra_client.get("/api/notifications").json
    assert sorted(kinds(body)) == ["wa_session_banned", "wa_session_paused"]
    paused = next(i for i in body["items"] if i["kind"] == "wa_session_paused")
    assert "11:00 WIB" in paused["body"] and "463" in paused["body"]


def test_failures_show_from_five_in_24_hours(mitra_client, mitra, fail_messages):
    fail_messages(mitra, 4)
    fail_messages(mitra, 3, at=NOW - timedelta(hours=30))  # too old
    assert mitra_client.get("/api/notifications").json["items"] == []
    fail_messages(mitra, 1)
    [item] = mitra_client.get("/api/notifications").json["items"]
    assert item["kind"] == "wa_failures" and item["title"] == "5 pesan WhatsApp gagal dalam 24 jam"
    assert item["link"] == {"to": "/whatsapp", "search": {"tab": "log"}}


def test_failures_piling_up_make_the_item_unread_again(mitra_client, mitra, fail_messages):
    fail_messages(mitra, 6)
    first = mitra_client.get("/api/notifications").json["items"][0]
    mitra_client.post("/api/notifications/read", json={"ids": [first["id"]]})
    assert mitra_client.get("/api/notifications").json["unreadCount"] == 0
    fail_messages(mitra, 6)  # 12: the next tier
    body = mitra_client.get("/api/notifications").json
    assert body["unreadCount"] == 1 and body["items"][0]["id"] != first["id"]


def test_export_ready_carries_its_download_and_failed_export_says_so(mitra_client, mitra, make_export):
    ready = make_export(mitra)
    make_export(mitra, state="failed", finished=NOW - timedelta(minutes=1))
    make_export(mitra, expires=NOW - timedelta(minutes=1))  # file gone: nothing to download
    make_export(mitra, finished=NOW - timedelta(days=3))  # old news
    body = mitra_client.get("/api/notifications").json
    assert kinds(body) == ["export_failed", "export_ready"]  # newest first
    item = body["items"][1]
    assert item["id"] == f"job:{ready.id}" and item["title"] == "Ekspor tagihan siap diunduh"
    assert item["download"] == {"url": ready.result["downloadUrl"], "filename": "tagihan-2026-11.xlsx"}
    assert "1.234 baris" in item["body"] and item["link"]["to"] == "/invoices"


def test_mitra_never_sees_another_mitras_or_system_notifications(mitra_client, other_mitra, superadmin, as_user,
                                                               make_session, fail_messages, make_export, db):
    make_session(other_mitra, status=WaSessionStatus.logged_out, last_connected_at=NOW - timedelta(hours=1))
    fail_messages(other_mitra, 10)
    theirs = make_export(other_mitra)
    make_export(superadmin)
    backups.record(db, source="make", ok=False, started_at=NOW - timedelta(days=3), error="disk penuh")
    # No billing run today either: the superadmin would see that, a mitra not.
    body = mitra_client.get("/api/notifications").json
    assert body == {"items": [], "unreadCount": 0}
    # Marking another user's notification read neither fails loudly nor touches theirs.
    res = mitra_client.post("/api/notifications/read", json={"ids": [f"job:{theirs.id}"]})
    assert res.status_code == 200 and res.json["items"] == []
    other_body = as_user(other_mitra).get("/api/notifications").json
    assert {"wa_session_lost", "wa_failures", "export_ready"} == set(kinds(other_body))
    assert other_body["unreadCount"] == 3


def test_superadmin_sees_backups_late(superadmin_client, db):
    backups.record(db, source="make", ok=True, started_at=NOW - timedelta(hours=40))
    run = db.query(backups.BackupRun).one()
    run.finished_at = NOW - timedelta(hours=40)
    db.add(BillingRun(run_date=date(2026, 11, 15), due_date=date(2026, 11, 16), period="2026-12", created_count=0,
                      reminder_count=0, completed_at=NOW - timedelta(hours=3)))
    db.flush()
    body = superadmin_client.get("/api/notifications").json
    backup = next(i for i in body["items"] if i["kind"] == "backup_late")
    assert backup["severity"] == "danger" and backup["link"] == {"to": "/admin/settings", "search": {}}
    assert "Cadangan terakhir yang berhasil: 13/11/2026 17:00 WIB." in backup["body"]


def test_superadmin_sees_the_billing_run_done(superadmin_client, db):
    db.add(BillingRun(run_date=date(2026, 11, 15), due_date=date(2026, 11, 16), period="2026-12",
                      created_count=1200, reminder_count=1180, completed_at=NOW - timedelta(hours=3)))
    db.flush()
    [item] = superadmin_client.get("/api/notifications").json["items"]
    assert item["kind"] == "billing_run_done" and item["severity"] == "success"
    assert item["body"] == "1.200 tagihan baru (jatuh tempo 16/11/2026), 1.180 pengingat dijadwalkan."
    assert item["link"] == {"to": "/invoices", "search": {"month": "2026-11", "day": 16}}


def test_superadmin_is_told_when_the_billing_run_did_not_happen(superadmin_client, monkeypatch):
    monkeypatch.setattr(notifications, "utcnow", lambda: datetime(2026, 11, 14, 23, 20, tzinfo=UTC))  # 06:20 WIB
    assert superadmin_client.get("/api/notifications").json["items"] == []
    monkeypatch.setattr(notifications, "utcnow", lambda: NOW)
    [item] = superadmin_client.get("/api/notifications").json["items"]
    assert item["kind"] == "billing_run_failed" and item["title"] == "Tagihan otomatis 06:00 belum berjalan"


def test_mark_read_and_mark_all(mitra_client, mitra, make_session, fail_messages, make_export):
    make_session(mitra, status=WaSessionStatus.logged_out, last_connected_at=NOW - timedelta(hours=1))
    fail_messages(mitra, 5)
    make_export(mitra)
    items = mitra_client.get("/api/notifications").json["items"]
    res = mitra_client.post("/api/notifications/read", json={"ids": [items[0]["id"]]})
    assert res.status_code == 200 and res.json["unreadCount"] == 2
    assert [i["read"] for i in res.json["items"]] == [True, False, False]
    assert mitra_client.get("/api/notifications").json["unreadCount"] == 2  # stored, not just echoed
    assert mitra_client.post("/api/notifications/read", json={"all": True}).json["unreadCount"] == 0
    assert mitra_client.get("/api/notifications").json["unreadCount"] == 0
    # Marking again is harmless.
    assert mitra_client.post("/api/notifications/read", json={"all": True}).status_code == 200


def test_a_new_occurrence_is_unread_again(mitra_client, mitra, make_session, db):
    wa = make_session(mitra, status=WaSessionStatus.disconnected, enabled=True,
                      last_connected_at=NOW - timedelta(hours=3))
    mitra_client.post("/api/notifications/read", json={"all": True})
    assert mitra_client.get("/api/notifications").json["unreadCount"] == 0
    wa.last_connected_at = NOW - timedelta(minutes=10)  # reconnected, then dropped again
    db.flush()
    assert mitra_client.get("/api/notifications").json["unreadCount"] == 1


@pytest.mark.parametrize("body", [{}, {"ids": []}, {"ids": "semua"}, {"ids": [""]}, {"all": "ya"},
                                  {"ids": ["x" * 201]}, {"unknown": 1}])
def test_bad_mark_read_input_is_422(mitra_client, body):
    res = mitra_client.post("/api/notifications/read", json=body)
    assert res.status_code == 422, res.json


def test_notifications_need_a_login(client):
    assert client.get("/api/notifications").status_code == 401
    assert client.post("/api/notifications/read", json={"all": True}).status_code == 401


def test_read_marks_use_utc_now_by_default(db, mitra, make_session):
    make_session(mitra, status=WaSessionStatus.logged_out, last_connected_at=utcnow() - timedelta(hours=1))
    result = notifications.mark_read(db, actor=mitra, all_=True, now=NOW)
    assert result["unread_count"] == 0 and result["items"][0].read
