"""Invoices through the API: list and filters, one invoice, pay/unpay with optimistic locking, generation."""

import uuid

import pytest
from sqlalchemy import event, select

from shared.models import ActivityLog, CustomerStatus, Invoice, PaymentStatus
from shared.services import billing
from shared.services.invoices import VERSION_CONFLICT

ITEM_KEYS = {"id", "customerId", "customer", "ownerId", "area", "packageName", "packageSpeed", "period", "amount",
             "discount", "totalAmount", "paidAmount", "remainingAmount", "payments", "status", "paidAt", "paidBy",
             "paidByName", "paymentMethod", "paymentNote",
             "dueDate", "receiptToken", "receiptUrl", "reminderSentAt", "receiptSentAt", "isolirSentAt", "version",
             "createdAt", "updatedAt"}


@pytest.fixture
def world(db, superadmin, mitra, other_mitra, make_customer, make_package):
    package = make_package(name="Paket 20 Mbps", speed="20 Mbps", price=150_000)
    customers = {
        "ani": make_customer(owner=mitra, package=package, name="Ani Lestari", phone="6281211110001",
                             billing_date=5, discount=10_000),
        "budi": make_customer(owner=mitra, package=package, name="Budi Santoso", phone="6281211110002",
                              billing_date=20),
        "theirs": make_customer(owner=other_mitra, package=package, name="Milik Orang Lain", billing_date=5),
        "admins": make_customer(owner=superadmin, package=package, name="Milik Superadmin", billing_date=10),
    }
    for owner in (mitra, other_mitra, superadmin):
        billing.generate_invoices(db, period="2030-03", owner_id=owner.id)
        billing.generate_invoices(db, period="2030-04", owner_id=owner.id)
    invoices = {f"{key}:{inv.period}": inv for key, c in customers.items()
                for inv in db.scalars(select(Invoice).where(Invoice.customer_id == c.id))}
    return {"customers": customers, "invoices": invoices, "package": package}


def invoice_id(world, key):
    return str(world["invoices"][key].id)


def pay(client, inv_id, version=1, method="cash", **extra):
    return client.patch(f"/api/invoices/{inv_id}/pay", json={"version": version, "paymentMethod": method, **extra})


# ---------------------------------------------------------------------------------------------
# List and get


def test_mitra_lists_only_own_invoices_with_full_item_shape(mitra_client, mitra, world):
    res = mitra_client.get("/api/invoices", query_string={"period": "2030-03"})
    assert res.status_code == 200
    body = res.json
    assert (body["total"], body["page"], body["perPage"]) == (2, 1, 20)
    first = body["items"][0]
    assert set(first) == ITEM_KEYS
    assert first["customer"] == {"id": str(world["customers"]["ani"].id), "name": "Ani Lestari",
                                 "phone": "6281211110001", "status": "active"}
    assert first["area"] == mitra.business_name
    assert (first["packageName"], first["packageSpeed"]) == ("Paket 20 Mbps", "20 Mbps")
    assert (first["amount"], first["discount"], first["totalAmount"]) == (150_000, 10_000, 140_000)
    assert (first["dueDate"], first["status"], first["version"]) == ("2030-02-05", "unpaid", 1)
    assert first["receiptUrl"] == f"/receipt/{first['receiptToken']}"
    assert [item["customer"]["name"] for item in body["items"]] == ["Ani Lestari", "Budi Santoso"]  # by due date


def test_mitra_asking_for_another_owner_gets_nothing(mitra_client, other_mitra, superadmin, world):
    for owner in (other_mitra, superadmin):
        res = mitra_client.get("/api/invoices", query_string={"ownerId": str(owner.id)})
        assert res.status_code == 200 and res.json["total"] == 0


def test_superadmin_sees_every_owner_and_filters_by_owner(superadmin_client, mitra, world):
    names = {i["customer"]["name"] for i in superadmin_client.get(
        "/api/invoices", query_string={"period": "2030-03", "perPage": 100}).json["items"]}
    assert {"Ani Lestari", "Budi Santoso", "Milik Orang Lain", "Milik Superadmin"} <= names
    res = superadmin_client.get("/api/invoices", query_string={"ownerId": str(mitra.id)})
    assert res.json["total"] == 4 and {i["ownerId"] for i in res.json["items"]} == {str(mitra.id)}


def test_filters_status_customer_due_range_and_search(mitra_client, mitra, world):
    pay(mitra_client, invoice_id(world, "ani:2030-03"))

    def names(**params):
        res = mitra_client.get("/api/invoices", query_string=params)
        assert res.status_code == 200, res.json
        return [(i["customer"]["name"], i["period"]) for i in res.json["items"]]

    assert names(status="paid") == [("Ani Lestari", "2030-03")]
    assert len(names(status="unpaid")) == 3
    assert names(status="partial") == []
    assert names(customerId=str(world["customers"]["budi"].id)) == [("Budi Santoso", "2030-03"),
                                                                     ("Budi Santoso", "2030-04")]
    assert names(**{"from": "2030-02-01", "to": "2030-02-28"}) == [("Ani Lestari", "2030-03"),
                                                                   ("Budi Santoso", "2030-03")]
    assert names(**{"from": "2030-03-10"}) == [("Budi Santoso", "2030-04")]
    assert names(to="2030-02-05") == [("Ani Lestari", "2030-03")]
    assert {n for n, _ in names(q="budi")} == {"Budi Santoso"}
    assert {n for n, _ in names(q="0812-1111-0001")} == {"Ani Lestari"}  # local phone format
    assert names(q="%") == []


def test_sorts(mitra_client, world):
    pay(mitra_client, invoice_id(world, "budi:2030-04"))

    def order(sort):
        return [(i["customer"]["name"][:4], i["period"]) for i in mitra_client.get(
            "/api/invoices", query_string={"sort": sort}).json["items"]]

    assert order("dueDate") == [("Ani ", "2030-03"), ("Budi", "2030-03"), ("Ani ", "2030-04"), ("Budi", "2030-04")]
    assert order("-dueDate")[0] == ("Budi", "2030-04")
    assert order("-paidAt")[0] == ("Budi", "2030-04")  # unpaid ones (no paidAt) go last
    assert [n for n, _ in order("customerName")] == ["Ani ", "Ani ", "Budi", "Budi"]
    assert [n for n, _ in order("-totalAmount")][:2] == ["Budi", "Budi"]


@pytest.mark.parametrize("params", [{"period": "2030-3"}, {"status": "lunas"}, {"from": "kemarin"},
                                    {"from": "2030-03-01", "to": "2030-02-01"}, {"sort": "hacker"},
                                    {"perPage": 101}, {"ownerId": "abc"}])
def test_bad_list_parameters_are_422(mitra_client, params):
    res = mitra_client.get("/api/invoices", query_string=params)
    assert res.status_code == 422
    assert res.json["error"]["code"] == "validation_error"


def test_list_needs_login(client):
    assert client.get("/api/invoices").status_code == 401


def test_a_page_of_20_takes_the_same_queries_as_a_page_of_1(superadmin_client, mitra, db, make_customer, engine):
    for n in range(25):
        make_customer(owner=mitra, name=f"Banyak {n:02d}", billing_date=n % 28 + 1)
    billing.generate_invoices(db, period="2030-06", owner_id=mitra.id)
    statements = []

    def count(conn, cursor, statement, *args):
        if not statement.startswith(("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")):
            statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        superadmin_client.get("/api/invoices", query_string={"period": "2030-06", "perPage": 1})
        one = len(statements)
        statements.clear()
        res = superadmin_client.get("/api/invoices", query_string={"period": "2030-06", "perPage": 20})
        twenty = len(statements)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert len(res.json["items"]) == 20
    assert twenty == one == 4, statements  # the user, the count, the page, the page's payments


def test_get_one_invoice(mitra_client, world):
    res = mitra_client.get(f"/api/invoices/{invoice_id(world, 'ani:2030-03')}")
    assert res.status_code == 200
    assert set(res.json) == ITEM_KEYS and res.json["period"] == "2030-03"


@pytest.mark.parametrize("bad", [str(uuid.uuid4()), "not-a-uuid", "1"])
def test_unknown_or_malformed_invoice_id_is_404(mitra_client, bad):
    res = mitra_client.get(f"/api/invoices/{bad}")
    assert res.status_code == 404 and res.json["error"]["code"] == "not_found"


def test_mitra_gets_404_for_get_pay_and_unpay_of_another_owners_invoice(mitra_client, superadmin_client, world, db):
    for key in ("theirs:2030-03", "admins:2030-03"):
        inv = invoice_id(world, key)
        assert mitra_client.get(f"/api/invoices/{inv}").status_code == 404
        res = pay(mitra_client, inv)
        assert res.status_code == 404 and "Milik" not in res.get_data(as_text=True)
        assert superadmin_client.patch(f"/api/invoices/{inv}/pay", json={"version": 1, "paymentMethod": "cash"}
                                       ).status_code == 200
        assert mitra_client.patch(f"/api/invoices/{inv}/unpay", json={"version": 2}).status_code == 404
        db.expire_all()
        assert db.get(Invoice, uuid.UUID(inv)).status == PaymentStatus.paid


# ---------------------------------------------------------------------------------------------
# Pay and unpay


def test_mitra_pays_own_invoice_and_who_when_how_are_recorded(mitra_client, mitra, world, db):
    inv = invoice_id(world, "ani:2030-03")
    res = pay(mitra_client, inv, method="transfer", paymentNote="  BCA a.n. Ani  ")
    assert res.status_code == 200, res.json
    body = res.json
    assert body["status"] == "paid" and body["version"] == 2
    assert (body["paidBy"], body["paidByName"]) == (str(mitra.id), mitra.name)
    assert (body["paymentMethod"], body["paymentNote"]) == ("transfer", "BCA a.n. Ani")
    assert body["paidAt"] is not None
    logs = db.scalars(select(ActivityLog).where(ActivityLog.resource_id == uuid.UUID(inv))).all()
    assert [log.action for log in logs] == ["invoice.pay"]
    assert logs[0].metadata_["paymentMethod"] == "transfer" and logs[0].user_id == mitra.id


def test_stale_version_is_409_with_the_spec_message_and_current_version(mitra_client, superadmin_client, world):
    inv = invoice_id(world, "ani:2030-03")
    assert pay(superadmin_client, inv).status_code == 200
    res = pay(mitra_client, inv, version=1)
    assert res.status_code == 409
    error = res.json["error"]
    assert error["code"] == "version_conflict"
    assert error["message"] == "Data sudah diubah oleh user lain, silakan refresh." == VERSION_CONFLICT
    assert error["details"]["currentVersion"] == 2


def test_paying_a_paid_invoice_is_409_already_paid(mitra_client, world):
    inv = invoice_id(world, "ani:2030-03")
    pay(mitra_client, inv)
    res = pay(mitra_client, inv, version=2)
    assert res.status_code == 409 and res.json["error"]["code"] == "already_paid"
    assert res.json["error"]["details"] == {"currentVersion": 2, "status": "paid", "remainingAmount": 0}


def test_unpay_clears_payment_and_bumps_version(mitra_client, world, db):
    inv = invoice_id(world, "ani:2030-03")
    pay(mitra_client, inv, paymentNote="catatan")
    res = mitra_client.patch(f"/api/invoices/{inv}/unpay", json={"version": 2})
    assert res.status_code == 200, res.json
    body = res.json
    assert body["status"] == "unpaid" and body["version"] == 3
    assert [body[k] for k in ("paidAt", "paidBy", "paidByName", "paymentMethod", "paymentNote")] == [None] * 5
    actions = db.scalars(select(ActivityLog.action).where(ActivityLog.resource_id == uuid.UUID(inv))
                         .order_by(ActivityLog.created_at)).all()
    assert sorted(actions) == ["invoice.pay", "invoice.unpay"]
    assert pay(mitra_client, inv, version=3).json["version"] == 4  # paid again


def test_unpay_of_unpaid_is_409_not_paid_and_stale_unpay_is_version_conflict(mitra_client, world):
    inv = invoice_id(world, "ani:2030-03")
    res = mitra_client.patch(f"/api/invoices/{inv}/unpay", json={"version": 1})
    assert res.status_code == 409 and res.json["error"]["code"] == "not_paid"
    pay(mitra_client, inv)
    res = mitra_client.patch(f"/api/invoices/{inv}/unpay", json={"version": 1})
    assert res.status_code == 409 and res.json["error"]["code"] == "version_conflict"


@pytest.mark.parametrize("body", [{"paymentMethod": "cash"}, {"version": 1}, {"version": 1, "paymentMethod": "emas"},
                                  {"version": "1", "paymentMethod": "cash"}, {"version": 0, "paymentMethod": "cash"},
                                  {"version": 1, "paymentMethod": "cash", "paymentNote": "x" * 501},
                                  {"version": 1, "paymentMethod": "cash", "status": "paid"}])
def test_bad_pay_bodies_are_422(mitra_client, world, body):
    res = mitra_client.patch(f"/api/invoices/{invoice_id(world, 'ani:2030-03')}/pay", json=body)
    assert res.status_code == 422, res.json


def test_isolated_customers_unpaid_invoice_stays_visible_and_payable(mitra_client, world, db):
    world["customers"]["ani"].status = CustomerStatus.isolated
    db.flush()
    listed = mitra_client.get("/api/invoices", query_string={"customerId": str(world["customers"]["ani"].id)})
    assert listed.json["total"] == 2 and listed.json["items"][0]["customer"]["status"] == "isolated"
    assert pay(mitra_client, invoice_id(world, "ani:2030-03")).status_code == 200


def test_discount_change_on_customer_does_not_touch_existing_invoices(mitra_client, world):
    customer = world["customers"]["ani"]
    res = mitra_client.patch(f"/api/customers/{customer.id}", json={"discount": 50_000})
    assert res.status_code == 200 and res.json["totalBill"] == 100_000
    inv = mitra_client.get(f"/api/invoices/{invoice_id(world, 'ani:2030-03')}").json
    assert (inv["discount"], inv["totalAmount"]) == (10_000, 140_000)


# ---------------------------------------------------------------------------------------------
# Generation request


def test_superadmin_queues_a_generation_job(superadmin_client, superadmin, mitra, db):
    from shared.jobs import get_job
    from shared.services.periods import default_manual_period

    period = default_manual_period()
    res = superadmin_client.post("/api/invoices/generate", json={"period": period, "ownerId": str(mitra.id)})
    assert res.status_code == 202, res.json
    job = get_job(db, res.json["jobId"], user_id=superadmin.id)
    assert job["state"] == "queued" and job["type"] == "invoices.generate"
    assert job["meta"] == {"period": period, "ownerId": str(mitra.id)}


def test_generation_defaults_to_next_month(superadmin_client, superadmin, db):
    from shared.jobs import get_job
    from shared.services.periods import default_manual_period

    res = superadmin_client.post("/api/invoices/generate", json={})
    assert res.status_code == 202
    assert get_job(db, res.json["jobId"], user_id=superadmin.id)["meta"]["period"] == default_manual_period()


def test_mitra_cannot_generate(mitra_client):
    assert mitra_client.post("/api/invoices/generate", json={}).status_code == 403


@pytest.mark.parametrize("body", [{"period": "2030-13"}, {"period": "maret"}, {"period": "2099-01"},
                                  {"period": "2001-01"}, {"ownerId": str(uuid.UUID(int=7))}, {"extra": 1}])
def test_bad_generation_requests_are_422(superadmin_client, body):
    assert superadmin_client.post("/api/invoices/generate", json=body).status_code == 422


def test_generation_period_window_follows_today(superadmin_client):
    from shared.services.periods import add_months
    from shared.timeutil import today_wib

    # Today in WIB, as the API counts: the machine's date.today() (UTC here) is still the last day of the previous
    # month from 00:00 to 07:00 WIB on the 1st, and 13 months from it is only 12 from the API's today.
    far = add_months(today_wib(), 13)
    res = superadmin_client.post("/api/invoices/generate", json={"period": f"{far.year}-{far.month:02d}"})
    assert res.status_code == 422 and "period" in res.json["error"]["details"]["fields"]


def test_list_total_from_the_rollup_equals_a_raw_count_for_whole_month_filters(superadmin_client, mitra_client,
                                                                                  mitra, other_mitra, make_customer,
                                                                                  db):
    from datetime import date

    from sqlalchemy import func, select

    from shared.models import Invoice, PaymentStatus

    for owner, due in ((mitra, date(2031, 1, 5)), (mitra, date(2031, 2, 5)), (other_mitra, date(2031, 1, 9))):
        customer = make_customer(owner=owner)
        db.add(Invoice(customer_id=customer.id, owner_id=owner.id, period=f"{due.year}-{due.month + 1:02d}",
                       amount=100_000, total_amount=100_000, due_date=due, receipt_token=f"tok-{customer.id}"))
    db.flush()
    db.execute(Invoice.__table__.update().where(Invoice.due_date == date(2031, 2, 5)).values(status="paid"))

    def raw(**where):
        stmt = select(func.count()).select_from(Invoice).where(Invoice.due_date.between(date(2031, 1, 1),
                                                                                        date(2031, 2, 28)))
        for column, value in where.items():
            stmt = stmt.where(getattr(Invoice, column) == value)
        return db.scalar(stmt)

    cases = [
        (superadmin_client, {"from": "2031-01-01", "to": "2031-02-28"}, raw()),
        (superadmin_client, {"from": "2031-01-01", "to": "2031-02-28", "status": "paid"},
         raw(status=PaymentStatus.paid)),
        (superadmin_client, {"from": "2031-01-01", "to": "2031-02-28", "ownerId": str(other_mitra.id)},
         raw(owner_id=other_mitra.id)),
        (mitra_client, {"from": "2031-01-01", "to": "2031-02-28"}, raw(owner_id=mitra.id)),
        (mitra_client, {"from": "2031-01-01", "to": "2031-01-31"}, 1),
        # not month-aligned: counted from the invoices themselves
        (superadmin_client, {"from": "2031-01-06", "to": "2031-02-28"}, 2),
    ]
    for client, params, expected in cases:
        res = client.get("/api/invoices", query_string={**params, "perPage": 100})
        assert res.status_code == 200
        assert res.json["total"] == expected == len(res.json["items"]), params
