# ruff: noqa: F811 — the imported wa_bus / wa_state / make_invoice fixtures are requested as parameters
"""The superadmin messages any customer, one or in bulk, always from the customer's owner's number (DESIGN §7);
the form learns beforehand whose number that is, whether it is connected, and which templates fit."""

from datetime import date

import pytest
from sqlalchemy import select

from shared.models import CustomerStatus, WaMessageQueue, WaSession
from tests.fixtures.invoices import make_invoice  # noqa: F401
from tests.fixtures.wa import wa_bus, wa_state  # noqa: F401


@pytest.fixture
def people(mitra, other_mitra, superadmin, make_customer, make_invoice):
    made = {"ani": make_customer(owner=mitra, name="Ani"), "budi": make_customer(owner=mitra, name="Budi"),
            "cici": make_customer(owner=other_mitra, name="Cici"), "pusat": make_customer(owner=superadmin,
                                                                                      name="Pusat")}
    for name in ("ani", "cici", "pusat"):
        make_invoice(customer=made[name], due=date(2030, 3, 5))
    return made


def _rows_by_owner(db):
    db.expire_all()
    rows = db.execute(select(WaSession.user_id, WaMessageQueue.customer_id, WaMessageQueue.created_by)
                      .join(WaSession, WaSession.id == WaMessageQueue.session_id))
    return {(owner, customer, by) for owner, customer, by in rows}


def test_superadmin_bulk_goes_out_from_each_customers_owners_number(superadmin_client, superadmin, mitra,
                                                                    other_mitra, people, db, wa_state, wa_bus):
    wa_state(mitra, "connected")
    wa_state(other_mitra, "connected")
    ids = [str(people[name].id) for name in ("ani", "budi", "cici", "pusat")]
    # The superadmin's own number is not connected: only its own customer is skipped.
    res = superadmin_client.post("/api/wa/send-bulk", json={"customerIds": ids, "template": "custom",
                                                            "customMessage": "Info {nama}"})
    assert res.status_code == 202, res.json
    assert (res.json["queued"], res.json["skippedReasons"]) == (3, {"senderNotConnected": 1})
    assert _rows_by_owner(db) == {(mitra.id, people["ani"].id, superadmin.id),
                                  (mitra.id, people["budi"].id, superadmin.id),
                                  (other_mitra.id, people["cici"].id, superadmin.id)}


def test_superadmin_bulk_reminders_by_filter_reach_every_owners_unpaid(superadmin_client, superadmin, mitra,
                                                                        other_mitra, people, db, wa_state, wa_bus):
    for user in (superadmin, mitra, other_mitra):
        wa_state(user, "connected")
    res = superadmin_client.post("/api/wa/send-bulk", json={"filter": {"invoiceStatus": "unpaid"},
                                                            "template": "reminder"})
    assert (res.status_code, res.json["queued"]) == (202, 3), res.json
    assert {(owner, customer) for owner, customer, _ in _rows_by_owner(db)} == {
        (mitra.id, people["ani"].id), (other_mitra.id, people["cici"].id), (superadmin.id, people["pusat"].id)}


def test_superadmin_bulk_when_no_sending_number_is_connected_is_409(superadmin_client, superadmin, people, db,
                                                                     wa_state, wa_bus):
    wa_state(superadmin, "connected")  # its own number does not help the mitra's customers
    res = superadmin_client.post("/api/wa/send-bulk", json={"customerIds": [str(people["ani"].id)],
                                                            "template": "custom", "customMessage": "Hai"})
    assert (res.status_code, res.json["error"]["code"]) == (409, "wa_not_connected")
    assert _rows_by_owner(db) == set()


def test_a_mitras_bulk_cannot_reach_another_mitras_customer(mitra_client, mitra, people, db, wa_state, wa_bus):
    wa_state(mitra, "connected")
    res = mitra_client.post("/api/wa/send-bulk", json={"customerIds": [str(people["cici"].id)],
                                                       "template": "custom", "customMessage": "Hai"})
    assert res.status_code == 422 and res.json["error"]["details"]["unknownIds"] == [str(people["cici"].id)]
    res = mitra_client.post("/api/wa/send-bulk", json={"filter": {"invoiceStatus": "unpaid"}, "template": "reminder"})
    assert res.json["queued"] == 1
    assert {customer for _, customer, _ in _rows_by_owner(db)} == {people["ani"].id}


def test_superadmin_resend_goes_out_from_the_invoices_owners_number(superadmin_client, mitra, people, db,
                                                                     make_invoice, wa_state, wa_bus):
    wa_state(mitra, "connected")
    paid = make_invoice(customer=people["ani"], due=date(2030, 2, 5), status="paid")
    res = superadmin_client.post(f"/api/wa/invoices/{paid.id}/resend", json={"kind": "receipt"})
    assert res.status_code == 202, res.json
    assert {(owner, customer) for owner, customer, _ in _rows_by_owner(db)} == {(mitra.id, people["ani"].id)}


def test_superadmin_follows_a_send_it_made_through_a_mitras_number(superadmin_client, mitra_client, other_mitra,
                                                                    mitra, people, db, wa_state, wa_bus, as_user):
    wa_state(mitra, "connected")
    queued = superadmin_client.post("/api/wa/send-manual", json={"customerId": str(people["ani"].id),
                                                                 "template": "custom", "customMessage": "Hai"}).json
    assert superadmin_client.get(f"/api/wa/queue/{queued['queueId']}").json["customerName"] == "Ani"
    assert mitra_client.get(f"/api/wa/queue/{queued['queueId']}").status_code == 200  # the mitra's own number
    assert as_user(other_mitra).get(f"/api/wa/queue/{queued['queueId']}").status_code == 404


# ---------------------------------------------------------------------------------------------
# Whose number: GET /customers/<id>/send-options and POST /senders


def test_send_options_name_the_owners_number_and_whether_it_is_connected(superadmin_client, mitra, people,
                                                                         wa_state, wa_bus):
    url = f"/api/wa/customers/{people['ani'].id}/send-options"
    sender = superadmin_client.get(url).json["sender"]
    assert (sender["ownerId"], sender["businessName"], sender["isOwn"]) == (str(mitra.id), mitra.business_name,
                                                                             False)
    assert (sender["status"], sender["connected"], sender["phoneNumber"]) == ("disconnected", False, None)
    wa_state(mitra, "connected", phone_number="6281299990000")
    sender = superadmin_client.get(url).json["sender"]
    assert (sender["connected"], sender["phoneNumber"], sender["username"]) == (True, "6281299990000",
                                                                                mitra.username)


def test_send_options_pick_the_default_template_from_the_customers_state(mitra_client, mitra, people, db,
                                                                        make_invoice):
    def options(customer, **query):
        res = mitra_client.get(f"/api/wa/customers/{customer.id}/send-options", query_string=query)
        assert res.status_code == 200, res.json
        return res.json["defaultTemplate"], {t["template"]: t["reason"] for t in res.json["templates"]}

    # Ani owes an invoice: the reminder; nothing paid yet, not isolated.
    assert options(people["ani"]) == ("reminder", {"reminder": None, "receipt": "Belum ada tagihan yang lunas.",
                                                   "isolation": "Pelanggan tidak sedang diisolir.", "custom": None})
    # Budi owes nothing: custom, and the reminder says why it cannot be used.
    budi = people["budi"]
    paid = make_invoice(customer=budi, due=date(2030, 2, 5), status="paid")
    budi.status = CustomerStatus.isolated
    db.flush()
    assert options(budi) == ("custom", {"reminder": "Tidak ada tagihan yang belum dibayar.", "receipt": None,
                                        "isolation": None, "custom": None})
    # From an invoice's page: that invoice decides.
    assert options(budi, invoiceId=str(paid.id))[0] == "receipt"
    assert options(budi, invoiceId=str(paid.id))[1]["reminder"] == "Tagihan ini sudah dibayar."


def test_send_options_of_another_mitras_customer_or_invoice_is_404(mitra_client, people, make_invoice):
    cici = people["cici"]
    res = mitra_client.get(f"/api/wa/customers/{cici.id}/send-options")
    assert res.status_code == 404 and "Cici" not in res.get_data(as_text=True)
    theirs = make_invoice(customer=cici, due=date(2030, 2, 5))
    res = mitra_client.get(f"/api/wa/customers/{people['ani'].id}/send-options", query_string={"invoiceId": theirs.id})
    assert res.status_code == 404
    assert mitra_client.get("/api/wa/customers/not-an-id/send-options").status_code == 404


def test_senders_of_a_bulk_send_per_owner(superadmin_client, mitra_client, superadmin, mitra, other_mitra, people,
                                          wa_state, wa_bus):
    wa_state(mitra, "connected", phone_number="6281299990000")
    ids = [str(people[name].id) for name in ("ani", "budi", "cici")]
    items = superadmin_client.post("/api/wa/senders", json={"customerIds": ids}).json["items"]
    assert {(i["ownerId"], i["customerCount"], i["connected"]) for i in items} == {
        (str(mitra.id), 2, True), (str(other_mitra.id), 1, False)}
    by_filter = superadmin_client.post("/api/wa/senders", json={"filter": {"invoiceStatus": "unpaid"}}).json["items"]
    assert {(i["ownerId"], i["customerCount"]) for i in by_filter} == {
        (str(mitra.id), 1), (str(other_mitra.id), 1), (str(superadmin.id), 1)}
    # A mitra: only its own number, whatever ids it sends.
    mine = mitra_client.post("/api/wa/senders", json={"customerIds": ids}).json["items"]
    assert [(i["ownerId"], i["customerCount"], i["isOwn"]) for i in mine] == [(str(mitra.id), 2, True)]
    assert mitra_client.post("/api/wa/senders", json={}).status_code == 422
