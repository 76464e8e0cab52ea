# ruff: noqa: F811 — the imported wa_bus / wa_state / make_invoice fixtures are requested as parameters
"""Sends from the caller's number: test, manual (and its preview), resend, bulk; refusals when not connected."""

from datetime import date

import pytest
from sqlalchemy import select

from shared.models import CustomerStatus, PaymentStatus, WaMessageLog, WaMessageQueue, WaSession
from shared.wa import outbox
from tests.fixtures.invoices import make_invoice  # noqa: F401
from tests.fixtures.wa import wa_bus, wa_state  # noqa: F401


@pytest.fixture
def ani(make_customer, mitra, make_package):
    return make_customer(owner=mitra, package=make_package(name="Paket Rumah", speed="20 Mbps", price=150_000),
                         name="Ani Lestari", phone="6281211110001")


@pytest.fixture
def connected(mitra, wa_state, wa_bus):
    return wa_state(mitra, "connected", phone_number="6281299990000")


def _rows(db, *owners, **where):
    """Queue rows, of these owners' numbers when given (the database may hold other tests' committed rows)."""
    db.expire_all()
    stmt = select(WaMessageQueue)
    if owners:
        stmt = stmt.join(WaSession, WaSession.id == WaMessageQueue.session_id).where(
            WaSession.user_id.in_([owner.id for owner in owners]))
    for name, value in where.items():
        stmt = stmt.where(getattr(WaMessageQueue, name) == value)
    return list(db.scalars(stmt.order_by(WaMessageQueue.scheduled_at)))


def _logs(db, user):
    db.expire_all()
    return list(db.scalars(select(WaMessageLog).where(WaMessageLog.user_id == user.id)))


# ---------------------------------------------------------------------------------------------
# send-test


def test_send_test_queues_a_direct_row_with_the_default_text(mitra_client, mitra, db, connected, wa_bus):
    res = mitra_client.post("/api/wa/send-test", json={"phone": "0812 3456 7890"})
    assert res.status_code == 202, res.json
    assert (res.json["status"], res.json["kind"]) == ("pending", "direct")
    [row] = _rows(db, session_id=connected.id)
    assert str(row.id) == res.json["queueId"]
    assert (row.message_type, row.phone, row.kind) == ("test", "6281234567890", "direct")
    assert row.content.startswith("Tes pesan dari FiberNode Internet ✅") and "WIB" in row.content
    assert wa_bus.commands("wake") == [{"session_id": connected.id}]


def test_send_test_when_disconnected_is_409_and_the_failure_is_logged(mitra_client, mitra, db, wa_bus):
    res = mitra_client.post("/api/wa/send-test", json={"phone": "081234567890", "message": "Halo"})
    assert res.status_code == 409
    assert res.json["error"] == {"code": "wa_not_connected", "message": "Hubungkan WhatsApp terlebih dahulu.",
                                 "details": {}}
    [entry] = _logs(db, mitra)
    assert (entry.status, entry.error_message, entry.content) == ("failed", "Session WA tidak terkoneksi", "Halo")
    assert _rows(db, mitra) == [] and wa_bus.published == []


def test_send_test_refuses_an_invalid_phone(mitra_client, connected):
    assert mitra_client.post("/api/wa/send-test", json={"phone": "555"}).status_code == 422


# ---------------------------------------------------------------------------------------------
# send-manual and preview


def test_preview_fills_the_reminder_from_the_latest_unpaid_invoice(mitra_client, ani, make_invoice):
    make_invoice(customer=ani, due=date(2030, 2, 5))
    make_invoice(customer=ani, due=date(2030, 3, 5))
    make_invoice(customer=ani, due=date(2030, 4, 5), status="paid")
    res = mitra_client.post("/api/wa/preview", json={"customerId": str(ani.id), "template": "reminder"})
    assert res.status_code == 200, res.json
    assert (res.json["phone"], res.json["customerName"]) == ("6281211110001", "Ani Lestari")
    assert "Pengingat Tagihan" in res.json["message"] and "5 Maret 2030" in res.json["message"]
    assert "Rp 150.000" in res.json["message"]


def test_preview_of_each_template(mitra_client, ani, make_invoice, mitra):
    make_invoice(customer=ani, due=date(2030, 3, 5), status="paid")
    texts = {}
    for template in ("receipt", "isolation"):
        res = mitra_client.post("/api/wa/preview", json={"customerId": str(ani.id), "template": template})
        assert res.status_code == 200, (template, res.json)
        texts[template] = res.json["message"]
    assert "Nota Pembayaran" in texts["receipt"] and "Tanggal Bayar: 5 Maret 2030" in texts["receipt"]
    assert "Isolir" in texts["isolation"] and mitra.business_name in texts["isolation"]
    res = mitra_client.post("/api/wa/preview", json={"customerId": str(ani.id), "template": "custom",
                                                      "message": "Halo {nama}, ada gangguan malam ini."})
    assert res.json["message"] == "Halo Ani Lestari, ada gangguan malam ini."


def test_preview_refusals(mitra_client, ani, make_invoice, db):
    unpaid = make_invoice(customer=ani, due=date(2030, 3, 5))
    res = mitra_client.post("/api/wa/preview", json={"customerId": str(ani.id), "template": "receipt",
                                                      "invoiceId": str(unpaid.id)})
    assert (res.status_code, res.json["error"]["code"]) == (409, "invoice_not_paid")
    unpaid.status = PaymentStatus.paid
    db.flush()
    res = mitra_client.post("/api/wa/preview", json={"customerId": str(ani.id), "template": "reminder"})
    assert (res.status_code, res.json["error"]["code"]) == (409, "wa_no_unpaid_invoice")
    res = mitra_client.post("/api/wa/preview", json={"customerId": str(ani.id), "template": "custom"})
    assert res.status_code == 422
    res = mitra_client.post("/api/wa/preview", json={"customerId": str(ani.id), "template": "custom",
                                                      "message": "x" * 4097})
    assert res.status_code == 422
    res = mitra_client.post("/api/wa/preview", json={"customerId": str(ani.id), "template": "promo"})
    assert res.status_code == 422


def test_send_manual_sends_the_edited_text_as_is(mitra_client, mitra, db, ani, make_invoice, connected):
    invoice = make_invoice(customer=ani, due=date(2030, 3, 5))
    edited = "Bu Ani, tagihan Maret Rp 150.000 ya. {nama} tetap begini."
    res = mitra_client.post("/api/wa/send-manual", json={"customerId": str(ani.id), "template": "reminder",
                                                          "invoiceId": str(invoice.id), "message": edited})
    assert res.status_code == 202, res.json
    [row] = _rows(db, session_id=connected.id)
    assert (row.message_type, row.kind, row.content, row.phone) == ("manual", "direct", edited, ani.phone)
    assert (row.customer_id, row.invoice_id, row.created_by) == (ani.id, invoice.id, mitra.id)


def test_send_manual_custom_replaces_the_name(mitra_client, db, ani, connected):
    res = mitra_client.post("/api/wa/send-manual", json={"customerId": str(ani.id), "template": "custom",
                                                          "message": "Halo {nama}!"})
    assert res.status_code == 202
    assert _rows(db, session_id=connected.id)[0].content == "Halo Ani Lestari!"


def test_send_manual_when_disconnected_is_409_with_the_failed_log_kept(mitra_client, mitra, db, ani, wa_bus):
    res = mitra_client.post("/api/wa/send-manual", json={"customerId": str(ani.id), "template": "isolation"})
    assert (res.status_code, res.json["error"]["code"]) == (409, "wa_not_connected")
    assert res.json["error"]["message"] == "Hubungkan WhatsApp terlebih dahulu."
    [entry] = _logs(db, mitra)
    assert (entry.message_type, entry.status, entry.customer_id) == ("manual", "failed", ani.id)
    assert entry.error_message == outbox.NOT_CONNECTED_LOG
    assert _rows(db, mitra) == []


def test_send_manual_to_another_owners_customer_or_invoice_is_404(mitra_client, mitra, db, ani, other_mitra,
                                                                  make_customer, make_invoice, connected):
    theirs = make_customer(owner=other_mitra, name="Milik Orang Lain")
    their_invoice = make_invoice(customer=theirs, due=date(2030, 3, 5))
    for body in ({"customerId": str(theirs.id), "template": "custom", "message": "Hai"},
                 {"customerId": str(ani.id), "template": "reminder", "invoiceId": str(their_invoice.id)}):
        for url in ("/api/wa/send-manual", "/api/wa/preview"):
            res = mitra_client.post(url, json=body)
            assert res.status_code == 404, (url, body, res.json)
            assert "Milik" not in res.get_data(as_text=True)
    assert _rows(db, mitra, other_mitra) == []


def test_superadmin_sends_to_any_customer_from_the_customers_owners_number(superadmin_client, superadmin, ani,
                                                                         make_customer, db, mitra, wa_state, wa_bus):
    own_wa = wa_state(superadmin, "connected")
    own = make_customer(owner=superadmin, name="Pelanggan Pusat")
    body = {"template": "custom", "customMessage": "Info {nama}"}
    # The mitra's number is not connected: the superadmin's own connected number is never used instead.
    res = superadmin_client.post("/api/wa/send-manual", json={**body, "customerId": str(ani.id)})
    assert (res.status_code, res.json["error"]["code"]) == (409, "wa_not_connected")
    [failed] = _logs(db, mitra)
    assert (failed.customer_id, failed.status) == (ani.id, "failed")
    mitra_wa = wa_state(mitra, "connected")
    assert superadmin_client.post("/api/wa/send-manual", json={**body, "customerId": str(ani.id)}).status_code == 202
    assert superadmin_client.post("/api/wa/send-manual", json={**body, "customerId": str(own.id)}).status_code == 202
    [to_ani] = _rows(db, session_id=mitra_wa.id)
    assert (to_ani.customer_id, to_ani.content, to_ani.created_by) == (ani.id, "Info Ani Lestari", superadmin.id)
    assert [row.customer_id for row in _rows(db, session_id=own_wa.id)] == [own.id]


# ---------------------------------------------------------------------------------------------
# resend


def test_resend_receipt_and_reminder(mitra_client, db, ani, make_invoice, connected):
    paid = make_invoice(customer=ani, due=date(2030, 3, 5), status="paid")
    unpaid = make_invoice(customer=ani, due=date(2030, 4, 5))
    assert mitra_client.post(f"/api/wa/invoices/{paid.id}/resend", json={"kind": "receipt"}).status_code == 202
    assert mitra_client.post(f"/api/wa/invoices/{unpaid.id}/resend", json={"kind": "reminder"}).status_code == 202
    receipt, reminder = _rows(db, session_id=connected.id)
    assert (receipt.message_type, receipt.invoice_id, receipt.kind) == ("receipt", paid.id, "direct")
    assert "Nota Pembayaran" in receipt.content
    assert (reminder.message_type, reminder.invoice_id, reminder.kind) == ("reminder", unpaid.id, "direct")
    res = mitra_client.post(f"/api/wa/invoices/{unpaid.id}/resend", json={"kind": "receipt"})
    assert (res.status_code, res.json["error"]["code"]) == (409, "invoice_not_paid")
    res = mitra_client.post(f"/api/wa/invoices/{paid.id}/resend", json={"kind": "reminder"})
    assert (res.status_code, res.json["error"]["code"]) == (409, "invoice_paid")


def test_resend_of_another_owners_invoice_is_404(mitra_client, mitra, other_mitra, make_customer, make_invoice, db,
                                                 connected):
    invoice = make_invoice(customer=make_customer(owner=other_mitra), due=date(2030, 3, 5), status="paid")
    assert mitra_client.post(f"/api/wa/invoices/{invoice.id}/resend", json={"kind": "receipt"}).status_code == 404
    assert mitra_client.post("/api/wa/invoices/nope/resend", json={"kind": "receipt"}).status_code == 404
    assert _rows(db, mitra, other_mitra) == []


# ---------------------------------------------------------------------------------------------
# send-bulk


@pytest.fixture
def crowd(mitra, make_customer, make_invoice, make_package, db):
    package = make_package(price=100_000)
    people = {name: make_customer(owner=mitra, package=package, name=name)
              for name in ("Ani", "Budi", "Cici", "Dodi", "Euis")}
    for name in ("Ani", "Budi", "Cici"):
        make_invoice(customer=people[name], due=date(2030, 3, 5))
    make_invoice(customer=people["Dodi"], due=date(2030, 3, 5), status="paid")
    people["Cici"].status = CustomerStatus.isolated
    db.flush()
    return people


def test_bulk_reminders_queue_paced_rows_and_count_skips(mitra_client, db, crowd, connected):
    ids = [str(c.id) for c in crowd.values()]
    res = mitra_client.post("/api/wa/send-bulk", json={"customerIds": ids, "template": "reminder"})
    assert res.status_code == 202, res.json
    assert (res.json["queued"], res.json["skipped"]) == (2, 3)
    assert res.json["skippedReasons"] == {"notActive": 1, "noUnpaidInvoice": 2}
    rows = _rows(db, session_id=connected.id)
    assert {row.customer_id for row in rows} == {crowd["Ani"].id, crowd["Budi"].id}
    # The operator's bulk reminder is `manual`, not the 06:00 run's automatic `reminder`.
    assert {(row.kind, row.message_type, row.due_date) for row in rows} == {("paced", "manual", date(2030, 3, 5))}
    assert res.json["firstAt"] and res.json["lastAt"] and res.json["firstAt"] <= res.json["lastAt"]
    assert rows[1].scheduled_at > rows[0].scheduled_at  # paced, not all at once

    again = mitra_client.post("/api/wa/send-bulk", json={"customerIds": ids, "template": "reminder"})
    assert (again.json["queued"], again.json["skippedReasons"].get("alreadyQueued")) == (0, 2)
    assert len(_rows(db, session_id=connected.id)) == 2


def test_bulk_custom_by_filter_reaches_customers_with_unpaid_invoices_once(mitra_client, db, crowd, connected,
                                                                           make_invoice, mitra):
    make_invoice(customer=crowd["Ani"], due=date(2030, 4, 5))
    res = mitra_client.post("/api/wa/send-bulk", json={"filter": {"invoiceStatus": "unpaid"}, "template": "custom",
                                                        "message": "Halo {nama}, jaringan sedang dirawat."})
    assert res.status_code == 202, res.json
    assert res.json["queued"] == 3
    rows = _rows(db, session_id=connected.id)
    # The text greets already: it stays first, unchanged; a closing from the spec's pool follows it.
    assert sorted(row.content.split("\n")[0] for row in rows) == [f"Halo {name}, jaringan sedang dirawat." for name in
                                                                 ("Ani", "Budi", "Cici")]
    assert all(row.content.endswith(f"_{mitra.business_name}_") for row in rows)
    assert {(row.kind, row.message_type) for row in rows} == {("paced", "custom")}
    by_due = mitra_client.post("/api/wa/send-bulk", json={"filter": {"dueDate": "2030-04-05"}, "template": "custom",
                                                           "message": "Tes"})
    assert by_due.json["queued"] == 1


def test_bulk_refusals(mitra_client, mitra, db, crowd, other_mitra, make_customer, wa_state, wa_bus):
    theirs = make_customer(owner=other_mitra)
    ids = [str(crowd["Ani"].id)]
    res = mitra_client.post("/api/wa/send-bulk", json={"customerIds": ids, "template": "reminder"})
    assert (res.status_code, res.json["error"]["code"]) == (409, "wa_not_connected")
    wa_state(mitra, "connected")
    res = mitra_client.post("/api/wa/send-bulk", json={"customerIds": [*ids, str(theirs.id)], "template": "reminder"})
    assert res.status_code == 422 and res.json["error"]["details"]["unknownIds"] == [str(theirs.id)]
    assert mitra_client.post("/api/wa/send-bulk", json={"customerIds": ids, "template": "custom"}).status_code == 422
    both = {"customerIds": ids, "filter": {}, "template": "reminder"}
    assert mitra_client.post("/api/wa/send-bulk", json=both).status_code == 422
    too_many = {"customerIds": [str(crowd["Ani"].id)] * 5001, "template": "reminder"}
    assert mitra_client.post("/api/wa/send-bulk", json=too_many).status_code == 422
    assert _rows(db, mitra, other_mitra) == []
