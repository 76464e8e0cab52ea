# ruff: noqa: F811 — the imported wa_bus / wa_state / make_invoice fixtures are requested as parameters
"""POST /api/wa/remind-invoices: reminders for the invoices picked on the invoice list.

A mitra names only its own invoices; the superadmin any, each reminded from its owner's number."""

from datetime import date

import pytest
from sqlalchemy import select

from shared.models import CustomerStatus, WaMessageQueue, WaSession
from shared.timeutil import utcnow
from tests.fixtures.invoices import make_invoice  # noqa: F401
from tests.fixtures.wa import wa_bus, wa_state  # noqa: F401


def _rows(db, *owners):
    db.expire_all()
    return list(db.scalars(select(WaMessageQueue).join(WaSession, WaSession.id == WaMessageQueue.session_id)
                           .where(WaSession.user_id.in_([owner.id for owner in owners]))
                           .order_by(WaMessageQueue.scheduled_at)))


@pytest.fixture
def picked(mitra, make_customer, make_invoice, make_package, db):
    package = make_package(price=100_000)
    ani, budi, cici = (make_customer(owner=mitra, package=package, name=name) for name in ("Ani", "Budi", "Cici"))
    invoices = {
        "ani_march": make_invoice(customer=ani, due=date(2030, 3, 5)),
        "ani_april": make_invoice(customer=ani, due=date(2030, 4, 5)),
        "budi_paid": make_invoice(customer=budi, due=date(2030, 3, 5), status="paid"),
        "cici": make_invoice(customer=cici, due=date(2030, 3, 5)),
    }
    cici.status = CustomerStatus.isolated
    db.flush()
    return invoices


def test_each_named_unpaid_invoice_gets_its_own_paced_reminder(mitra_client, mitra, db, picked, wa_state, wa_bus):
    wa_state(mitra, "connected")
    ids = [str(inv.id) for inv in picked.values()]
    res = mitra_client.post("/api/wa/remind-invoices", json={"invoiceIds": ids})
    assert res.status_code == 202, res.json
    assert (res.json["queued"], res.json["skipped"]) == (2, 2)
    assert res.json["skippedReasons"] == {"alreadyPaid": 1, "notActive": 1}
    rows = _rows(db, mitra)
    # Both of Ani's invoices, not only her latest one (send-bulk by customer would pick one).
    assert {row.invoice_id for row in rows} == {picked["ani_march"].id, picked["ani_april"].id}
    # The operator's reminders (`manual`): the automatic H-1 `reminder` is still owed.
    assert {(row.kind, row.message_type) for row in rows} == {("paced", "manual")}
    assert res.json["firstAt"] <= res.json["lastAt"]

    again = mitra_client.post("/api/wa/remind-invoices", json={"invoiceIds": ids[:1]})
    assert (again.json["queued"], again.json["skippedReasons"]) == (0, {"alreadyQueued": 1})
    assert len(_rows(db, mitra)) == 2


def test_another_owners_invoice_is_refused_and_nothing_is_queued(mitra_client, mitra, other_mitra, db, picked,
                                                                 make_customer, make_invoice, wa_state, wa_bus,
                                                                 superadmin_client, superadmin):
    wa_state(mitra, "connected")
    wa_state(other_mitra, "connected")
    theirs = make_invoice(customer=make_customer(owner=other_mitra), due=date(2030, 3, 5))
    res = mitra_client.post("/api/wa/remind-invoices",
                            json={"invoiceIds": [str(picked["ani_march"].id), str(theirs.id)]})
    assert res.status_code == 422
    assert res.json["error"]["details"]["unknownIds"] == [str(theirs.id)]
    assert "invoiceIds" in res.json["error"]["details"]["fields"]
    assert _rows(db, mitra, other_mitra, superadmin) == []


def test_the_superadmin_reminds_any_invoice_from_its_owners_number(superadmin_client, superadmin, mitra,
                                                                   other_mitra, db, picked, make_customer,
                                                                   make_invoice, wa_state, wa_bus):
    wa_state(superadmin, "connected")
    wa_state(mitra, "connected")  # other_mitra's number is not connected
    theirs = make_invoice(customer=make_customer(owner=other_mitra), due=date(2030, 3, 5))
    res = superadmin_client.post("/api/wa/remind-invoices",
                                 json={"invoiceIds": [str(picked["ani_march"].id), str(theirs.id)]})
    assert res.status_code == 202, res.json
    assert (res.json["queued"], res.json["skippedReasons"]) == (1, {"senderNotConnected": 1})
    assert [row.invoice_id for row in _rows(db, mitra)] == [picked["ani_march"].id]  # from mitra's own number
    assert _rows(db, superadmin, other_mitra) == []


def test_refusals(mitra_client, mitra, db, picked, wa_bus):
    one = {"invoiceIds": [str(picked["ani_march"].id)]}
    res = mitra_client.post("/api/wa/remind-invoices", json=one)
    assert (res.status_code, res.json["error"]["code"]) == (409, "wa_not_connected")
    assert mitra_client.post("/api/wa/remind-invoices", json={"invoiceIds": []}).status_code == 422
    assert mitra_client.post("/api/wa/remind-invoices", json={"invoiceIds": ["nope"]}).status_code == 422
    assert mitra_client.post("/api/wa/remind-invoices", json={}).status_code == 422
    assert mitra_client.post("/api/wa/remind-invoices", json={"invoiceIds": [str(picked["ani_march"].id)] * 5001}
                             ).status_code == 422
    assert _rows(db, mitra) == []


def test_an_invoice_reminded_today_is_not_reminded_again(mitra_client, mitra, db, picked, wa_state, wa_bus):
    wa_state(mitra, "connected")
    one = {"invoiceIds": [str(picked["ani_march"].id)]}
    assert mitra_client.post("/api/wa/remind-invoices", json=one).json["queued"] == 1
    row = _rows(db, mitra)[0]
    row.status, row.sent_at = "sent", utcnow()  # the simulator was quick
    db.flush()
    again = mitra_client.post("/api/wa/remind-invoices", json=one)
    assert (again.json["queued"], again.json["skippedReasons"]) == (0, {"sentToday": 1})
