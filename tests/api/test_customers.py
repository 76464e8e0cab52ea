import uuid
from datetime import date

import pytest
from sqlalchemy import event, select

from shared.models import ActivityLog, Customer, CustomerStatus, Invoice, PaymentStatus
from shared.timeutil import today_wib


@pytest.fixture
def package(make_package):
    return make_package(name="Paket 20 Mbps", speed="20 Mbps", price=150_000)


def new_customer(package, **fields):
    body = {"packageId": str(package.id), "name": "Ahmad Fauzi", "phone": "0812-3456-7890", "billingDate": 5}
    body.update(fields)
    return body


def make_invoice(db, customer, *, period="2025-02", status=PaymentStatus.unpaid):
    invoice = Invoice(customer_id=customer.id, owner_id=customer.owner_id, period=period,
                      amount=customer.package.price, discount=customer.discount, total_amount=customer.total_bill,
                      status=status, due_date=date(2025, 1, 5), receipt_token=uuid.uuid4().hex)
    db.add(invoice)
    db.flush()
    return invoice


def activity(db, customer_id, action):
    return db.scalars(select(ActivityLog).where(ActivityLog.resource_id == customer_id,
                                                ActivityLog.action == action)).all()


# ---------------------------------------------------------------------------------------------
# Create


def test_mitra_creates_own_customer_with_normalised_phone_and_total(mitra_client, mitra, package, db):
    res = mitra_client.post("/api/customers", json=new_customer(package, discount=10_000))
    assert res.status_code == 201, res.json
    body = res.json
    assert body["ownerId"] == str(mitra.id)
    assert body["area"] == mitra.business_name
    assert body["phone"] == "6281234567890"
    assert body["totalBill"] == 140_000
    assert body["status"] == "active"
    assert body["registerDate"] == today_wib().isoformat()
    assert body["package"] == {"id": str(package.id), "name": "Paket 20 Mbps", "speed": "20 Mbps",
                               "price": 150_000, "isActive": True}
    assert len(activity(db, uuid.UUID(body["id"]), "customer.create")) == 1


@pytest.mark.parametrize("raw", ["0812-3456-7890", "+62 812 3456 7890", "6281234567890", "(0812) 3456.7890",
                                 "812 3456 7890"])
def test_phone_inputs_are_normalised_to_62_digits(mitra_client, package, raw):
    res = mitra_client.post("/api/customers", json=new_customer(package, phone=raw))
    assert res.status_code == 201, res.json
    assert res.json["phone"] == "6281234567890"


@pytest.mark.parametrize("raw", ["12345", "0812-abc-7890", "+1 202 555 0100", "62812345678901234"])
def test_bad_phone_is_a_field_error(mitra_client, package, raw):
    res = mitra_client.post("/api/customers", json=new_customer(package, phone=raw))
    assert res.status_code == 422
    assert "phone" in res.json["error"]["details"]["fields"]


def test_superadmin_creates_customer_for_a_mitra(superadmin_client, mitra, package):
    res = superadmin_client.post("/api/customers", json=new_customer(package, ownerId=str(mitra.id)))
    assert res.status_code == 201
    assert res.json["ownerId"] == str(mitra.id)
    assert res.json["area"] == mitra.business_name


def test_superadmin_creates_own_customer_when_owner_omitted(superadmin_client, superadmin, package):
    res = superadmin_client.post("/api/customers", json=new_customer(package))
    assert res.status_code == 201
    assert res.json["ownerId"] == str(superadmin.id)


def test_mitra_cannot_create_customer_for_another_owner(mitra_client, other_mitra, package, db):
    res = mitra_client.post("/api/customers", json=new_customer(package, ownerId=str(other_mitra.id)))
    assert res.status_code == 403
    assert db.scalar(select(Customer).where(Customer.owner_id == other_mitra.id)) is None


def test_new_customer_needs_an_active_package(mitra_client, make_package):
    inactive = make_package(is_active=False)
    res = mitra_client.post("/api/customers", json=new_customer(inactive))
    assert res.status_code == 422
    assert res.json["error"]["code"] == "package_inactive"
    assert "Paket tidak aktif" in res.json["error"]["message"]


def test_unknown_package_is_a_field_error(mitra_client, package):
    res = mitra_client.post("/api/customers", json=new_customer(package, packageId=str(uuid.uuid4())))
    assert res.status_code == 422
    assert "packageId" in res.json["error"]["details"]["fields"]


@pytest.mark.parametrize("billing_date", [0, 29, 31])
def test_billing_date_must_be_1_to_28(mitra_client, package, billing_date):
    res = mitra_client.post("/api/customers", json=new_customer(package, billingDate=billing_date))
    assert res.status_code == 422
    assert "billingDate" in res.json["error"]["details"]["fields"]


@pytest.mark.parametrize("discount", [-1, 150_001])
def test_discount_must_be_between_zero_and_package_price(mitra_client, package, discount):
    res = mitra_client.post("/api/customers", json=new_customer(package, discount=discount))
    assert res.status_code == 422
    assert "discount" in res.json["error"]["details"]["fields"]


def test_discount_equal_to_price_is_allowed(mitra_client, package):
    res = mitra_client.post("/api/customers", json=new_customer(package, discount=150_000))
    assert res.status_code == 201
    assert res.json["totalBill"] == 0


def test_duplicate_phone_for_same_owner_is_409(mitra_client, mitra, make_customer, package):
    make_customer(owner=mitra, package=package, phone="6281234567890")
    res = mitra_client.post("/api/customers", json=new_customer(package, phone="0812 3456 7890"))
    assert res.status_code == 409
    assert res.json["error"]["code"] == "duplicate_phone"
    assert "sudah terdaftar" in res.json["error"]["message"]


def test_same_phone_under_another_owner_is_allowed(mitra_client, other_mitra, make_customer, package):
    make_customer(owner=other_mitra, package=package, phone="6281234567890")
    assert mitra_client.post("/api/customers", json=new_customer(package)).status_code == 201


def test_unknown_body_field_is_rejected(mitra_client, package):
    res = mitra_client.post("/api/customers", json=new_customer(package, totalBill=1))
    assert res.status_code == 422


# ---------------------------------------------------------------------------------------------
# Read and list


def test_get_customer_returns_full_shape(mitra_client, mitra, make_customer, package):
    customer = make_customer(owner=mitra, package=package, nik="3201", address="Jl. Mawar", notes="tiang 3")
    res = mitra_client.get(f"/api/customers/{customer.id}")
    assert res.status_code == 200
    assert set(res.json) == {"id", "ownerId", "area", "packageId", "package", "name", "phone", "nik", "address",
                             "billingDate", "discount", "totalBill", "status", "registerDate", "notes",
                             "createdAt", "updatedAt"}
    assert res.json["nik"] == "3201" and res.json["notes"] == "tiang 3"


@pytest.mark.parametrize("verb, suffix", [("get", ""), ("patch", ""), ("delete", ""), ("patch", "/isolate")])
def test_other_owners_customer_is_404_for_every_verb(mitra_client, other_mitra, make_customer, verb, suffix, db):
    customer = make_customer(owner=other_mitra)
    kwargs = {"json": {"discount": 1}} if verb == "patch" and not suffix else {}
    res = getattr(mitra_client, verb)(f"/api/customers/{customer.id}{suffix}", **kwargs)
    assert res.status_code == 404
    assert res.json["error"]["message"] == "Pelanggan tidak ditemukan."
    db.refresh(customer)
    assert customer.discount == 0 and customer.status == CustomerStatus.active


@pytest.mark.parametrize("verb, suffix", [("get", ""), ("patch", ""), ("delete", ""), ("patch", "/isolate")])
def test_malformed_or_unknown_id_is_404(superadmin_client, verb, suffix):
    for customer_id in ("not-a-uuid", str(uuid.uuid4())):
        kwargs = {"json": {"discount": 1}} if verb == "patch" and not suffix else {}
        res = getattr(superadmin_client, verb)(f"/api/customers/{customer_id}{suffix}", **kwargs)
        assert res.status_code == 404, (customer_id, res.json)


def test_mitra_lists_only_own_customers(mitra_client, mitra, other_mitra, make_customer):
    mine = make_customer(owner=mitra)
    make_customer(owner=other_mitra)
    res = mitra_client.get("/api/customers")
    assert res.status_code == 200
    assert [item["id"] for item in res.json["items"]] == [str(mine.id)]
    assert res.json["total"] == 1 and res.json["page"] == 1 and res.json["perPage"] == 20


def test_mitra_filtering_by_another_owner_gets_an_empty_list(mitra_client, mitra, other_mitra, make_customer):
    make_customer(owner=mitra)
    make_customer(owner=other_mitra)
    res = mitra_client.get(f"/api/customers?ownerId={other_mitra.id}")
    assert res.status_code == 200
    assert res.json["items"] == [] and res.json["total"] == 0


def test_superadmin_filters_by_owner_and_area(superadmin_client, mitra, other_mitra, make_customer):
    mine = make_customer(owner=mitra)
    theirs = make_customer(owner=other_mitra)
    res = superadmin_client.get(f"/api/customers?ownerId={mitra.id}")
    assert [item["id"] for item in res.json["items"]] == [str(mine.id)]
    res = superadmin_client.get("/api/customers", query_string={"area": other_mitra.business_name.upper()})
    assert [item["id"] for item in res.json["items"]] == [str(theirs.id)]
    assert res.json["items"][0]["area"] == other_mitra.business_name


def test_search_matches_name_or_phone_in_local_format(mitra_client, mitra, make_customer):
    budi = make_customer(owner=mitra, name="Budi Santoso", phone="6281111222333")
    siti = make_customer(owner=mitra, name="Siti Aminah", phone="6285555666777")
    def ids(q):
        return [item["id"] for item in mitra_client.get("/api/customers", query_string={"q": q}).json["items"]]

    assert ids("budi") == [str(budi.id)]
    assert ids("0855-5566") == [str(siti.id)]
    assert ids("+62 811 1122") == [str(budi.id)]
    assert ids("6777") == [str(siti.id)]  # the last digits
    assert ids("6677") == []  # inside the number: not a prefix, not a suffix
    assert ids("100%") == []


def test_filters_by_status_package_and_billing_date(superadmin_client, mitra, make_customer, make_package):
    other_package = make_package()
    target = make_customer(owner=mitra, package=other_package, billing_date=12, status=CustomerStatus.isolated)
    make_customer(owner=mitra, billing_date=12)
    make_customer(owner=mitra, package=other_package, billing_date=3, status=CustomerStatus.isolated)
    res = superadmin_client.get("/api/customers", query_string={
        "status": "isolated", "packageId": str(other_package.id), "billingDate": 12, "ownerId": str(mitra.id)})
    assert [item["id"] for item in res.json["items"]] == [str(target.id)]


def test_list_sorts_and_paginates(mitra_client, mitra, make_customer, make_package):
    cheap, dear = make_package(price=100_000), make_package(price=300_000)
    for name, package in (("Citra", cheap), ("Adi", dear), ("Bayu", cheap)):
        make_customer(owner=mitra, name=name, package=package)

    def names(**query):
        return [item["name"] for item in mitra_client.get("/api/customers", query_string=query).json["items"]]

    assert names() == ["Adi", "Bayu", "Citra"]
    assert names(sort="-name") == ["Citra", "Bayu", "Adi"]
    assert names(sort="-totalBill") == ["Adi", "Bayu", "Citra"]
    assert names(sort="totalBill") == ["Bayu", "Citra", "Adi"]
    res = mitra_client.get("/api/customers", query_string={"perPage": 2, "page": 2})
    assert [item["name"] for item in res.json["items"]] == ["Citra"]
    assert res.json["total"] == 3 and res.json["perPage"] == 2 and res.json["page"] == 2


@pytest.mark.parametrize("query", [{"perPage": 101}, {"perPage": 0}, {"sort": "phone"}, {"status": "gone"},
                                   {"billingDate": 40}])
def test_bad_list_arguments_are_422(mitra_client, query):
    assert mitra_client.get("/api/customers", query_string=query).status_code == 422


def test_list_loads_owner_and_package_without_n_plus_one(mitra_client, mitra, make_customer, connection):
    for _ in range(15):
        make_customer(owner=mitra)
    statements = []

    def count(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append(statement)

    event.listen(connection, "before_cursor_execute", count)
    try:
        res = mitra_client.get("/api/customers")
    finally:
        event.remove(connection, "before_cursor_execute", count)
    assert len(res.json["items"]) == 15
    # The user lookup, the count and the page itself.
    assert len(statements) <= 3, statements


# ---------------------------------------------------------------------------------------------
# Update


def test_mitra_changes_phone_and_discount_of_own_customer(mitra_client, mitra, make_customer, package, db):
    customer = make_customer(owner=mitra, package=package)
    res = mitra_client.patch(f"/api/customers/{customer.id}", json={"phone": "0899 1234 5678", "discount": 25_000})
    assert res.status_code == 200, res.json
    assert res.json["phone"] == "6289912345678"
    assert res.json["discount"] == 25_000
    assert res.json["totalBill"] == 125_000
    log = activity(db, customer.id, "customer.update")[0]
    assert log.user_id == mitra.id
    assert log.metadata_["changes"]["discount"] == {"old": 0, "new": 25_000}
    assert log.metadata_["changes"]["totalBill"] == {"old": 150_000, "new": 125_000}
    assert log.metadata_["changes"]["phone"]["new"] == "6289912345678"


def test_mitra_cannot_change_package_of_own_customer(mitra_client, mitra, make_customer, make_package, db):
    customer = make_customer(owner=mitra)
    res = mitra_client.patch(f"/api/customers/{customer.id}", json={"packageId": str(make_package().id)})
    assert res.status_code == 403
    assert res.json["error"]["code"] == "field_not_allowed"
    assert res.json["error"]["details"]["fields"] == ["packageId"]


def test_mitra_refused_field_leaves_allowed_fields_unchanged_too(mitra_client, mitra, make_customer, db):
    customer = make_customer(owner=mitra, name="Asli", billing_date=5)
    before = (customer.name, customer.phone, customer.discount, customer.billing_date, customer.total_bill)
    res = mitra_client.patch(f"/api/customers/{customer.id}", json={
        "discount": 5_000, "phone": "081299998888", "name": "Baru", "billingDate": 9, "notes": "x"})
    assert res.status_code == 403
    assert res.json["error"]["details"]["fields"] == ["billingDate", "name", "notes"]
    assert "tanggal tagihan, nama, catatan" in res.json["error"]["message"]
    db.refresh(customer)
    assert (customer.name, customer.phone, customer.discount, customer.billing_date, customer.total_bill) == before
    assert activity(db, customer.id, "customer.update") == []


@pytest.mark.parametrize("field, value", [("status", "inactive"), ("ownerId", None), ("registerDate", "2024-01-01"),
                                          ("nik", "123"), ("address", "Jl. Baru")])
def test_mitra_cannot_change_other_fields(mitra_client, mitra, make_customer, field, value):
    customer = make_customer(owner=mitra)
    value = str(mitra.id) if field == "ownerId" else value
    res = mitra_client.patch(f"/api/customers/{customer.id}", json={field: value})
    assert res.status_code == 403
    assert res.json["error"]["details"]["fields"] == [field]


def test_mitra_discount_above_price_is_422(mitra_client, mitra, make_customer, package):
    customer = make_customer(owner=mitra, package=package)
    res = mitra_client.patch(f"/api/customers/{customer.id}", json={"discount": 150_001})
    assert res.status_code == 422


def test_discount_change_recalculates_total_but_not_existing_invoices(mitra_client, mitra, make_customer,
                                                                        package, db):
    customer = make_customer(owner=mitra, package=package)
    invoice = make_invoice(db, customer)
    res = mitra_client.patch(f"/api/customers/{customer.id}", json={"discount": 50_000})
    assert res.json["totalBill"] == 100_000
    db.refresh(invoice)
    assert (invoice.amount, invoice.discount, invoice.total_amount) == (150_000, 0, 150_000)


def test_superadmin_package_change_recalculates_total_but_not_invoices(superadmin_client, mitra, make_customer,
                                                                      make_package, db):
    customer = make_customer(owner=mitra, package=make_package(price=100_000), discount=10_000)
    invoice = make_invoice(db, customer)
    bigger = make_package(name="Paket 50 Mbps", price=250_000)
    res = superadmin_client.patch(f"/api/customers/{customer.id}", json={"packageId": str(bigger.id)})
    assert res.status_code == 200, res.json
    assert res.json["totalBill"] == 240_000
    assert res.json["package"]["name"] == "Paket 50 Mbps"
    db.refresh(invoice)
    assert invoice.total_amount == 90_000
    changes = activity(db, customer.id, "customer.update")[0].metadata_["changes"]
    assert changes["packageId"]["new"] == str(bigger.id)


def test_superadmin_edits_every_field(superadmin_client, mitra, other_mitra, make_customer, db):
    customer = make_customer(owner=mitra)
    res = superadmin_client.patch(f"/api/customers/{customer.id}", json={
        "name": "Nama Baru", "phone": "+62 813 0000 1111", "nik": "3201", "address": "Jl. Melati",
        "billingDate": 28, "discount": 1_000, "status": "inactive", "registerDate": "2024-02-29",
        "notes": "pindah", "ownerId": str(other_mitra.id)})
    assert res.status_code == 200, res.json
    body = res.json
    assert body["ownerId"] == str(other_mitra.id) and body["area"] == other_mitra.business_name
    assert (body["name"], body["phone"], body["nik"], body["billingDate"], body["status"], body["registerDate"]) == (
        "Nama Baru", "6281300001111", "3201", 28, "inactive", "2024-02-29")


def test_changing_to_an_inactive_package_is_refused(superadmin_client, mitra, make_customer, make_package):
    customer = make_customer(owner=mitra)
    res = superadmin_client.patch(f"/api/customers/{customer.id}",
                                  json={"packageId": str(make_package(is_active=False).id)})
    assert res.status_code == 422
    assert res.json["error"]["code"] == "package_inactive"


def test_keeping_an_inactive_package_is_fine(superadmin_client, mitra, make_customer, make_package, db):
    package = make_package(price=120_000)
    customer = make_customer(owner=mitra, package=package)
    package.is_active = False
    db.flush()
    res = superadmin_client.patch(f"/api/customers/{customer.id}",
                                  json={"packageId": str(package.id), "discount": 20_000})
    assert res.status_code == 200, res.json
    assert res.json["totalBill"] == 100_000


def test_status_isolated_cannot_be_set_through_patch(superadmin_client, mitra, make_customer):
    customer = make_customer(owner=mitra)
    assert superadmin_client.patch(f"/api/customers/{customer.id}", json={"status": "isolated"}).status_code == 422


def test_phone_change_to_a_duplicate_is_409(mitra_client, mitra, make_customer):
    make_customer(owner=mitra, phone="6281200000001")
    customer = make_customer(owner=mitra, phone="6281200000002")
    res = mitra_client.patch(f"/api/customers/{customer.id}", json={"phone": "081200000001"})
    assert res.status_code == 409
    assert res.json["error"]["code"] == "duplicate_phone"


def test_moving_to_an_owner_with_the_same_phone_is_409(superadmin_client, mitra, other_mitra, make_customer):
    make_customer(owner=other_mitra, phone="6281200000009")
    customer = make_customer(owner=mitra, phone="6281200000009")
    res = superadmin_client.patch(f"/api/customers/{customer.id}", json={"ownerId": str(other_mitra.id)})
    assert res.status_code == 409


# ---------------------------------------------------------------------------------------------
# Isolate


def test_superadmin_isolate_toggles_active_and_isolated(superadmin_client, mitra, make_customer, db):
    customer = make_customer(owner=mitra)
    res = superadmin_client.patch(f"/api/customers/{customer.id}/isolate")
    assert res.status_code == 200 and res.json["status"] == "isolated"
    res = superadmin_client.patch(f"/api/customers/{customer.id}/isolate")
    assert res.status_code == 200 and res.json["status"] == "active"
    assert len(activity(db, customer.id, "customer.isolate")) == 1
    assert len(activity(db, customer.id, "customer.unisolate")) == 1


def test_mitra_cannot_isolate_own_customer(mitra_client, mitra, make_customer, db):
    customer = make_customer(owner=mitra)
    assert mitra_client.patch(f"/api/customers/{customer.id}/isolate").status_code == 403
    db.refresh(customer)
    assert customer.status == CustomerStatus.active


def test_isolating_an_inactive_customer_is_409_with_hint(superadmin_client, mitra, make_customer):
    customer = make_customer(owner=mitra, status=CustomerStatus.inactive)
    res = superadmin_client.patch(f"/api/customers/{customer.id}/isolate")
    assert res.status_code == 409
    assert res.json["error"]["code"] == "customer_inactive"
    assert res.json["error"]["details"]["hint"]


# ---------------------------------------------------------------------------------------------
# Delete


def test_superadmin_deletes_customer_and_unpaid_invoices(superadmin_client, mitra, make_customer, db):
    customer = make_customer(owner=mitra)
    invoice = make_invoice(db, customer)
    customer_id, invoice_id = customer.id, invoice.id
    res = superadmin_client.delete(f"/api/customers/{customer_id}")
    assert res.status_code == 204
    db.expunge_all()
    assert db.get(Customer, customer_id) is None
    assert db.get(Invoice, invoice_id) is None
    assert len(activity(db, customer_id, "customer.delete")) == 1


def test_delete_is_refused_when_customer_has_paid_invoices(superadmin_client, mitra, make_customer, db):
    customer = make_customer(owner=mitra)
    make_invoice(db, customer, status=PaymentStatus.paid)
    res = superadmin_client.delete(f"/api/customers/{customer.id}")
    assert res.status_code == 409
    assert res.json["error"]["code"] == "customer_has_paid_invoices"
    assert "inactive" in res.json["error"]["details"]["hint"]
    assert db.get(Customer, customer.id) is not None


def test_mitra_cannot_delete_own_customer(mitra_client, mitra, make_customer, db):
    customer = make_customer(owner=mitra)
    assert mitra_client.delete(f"/api/customers/{customer.id}").status_code == 403
    assert db.get(Customer, customer.id) is not None


def test_register_date_default_is_today_in_wib(mitra_client, package):
    res = mitra_client.post("/api/customers", json=new_customer(package))
    assert date.fromisoformat(res.json["registerDate"]) == today_wib()


def test_unauthenticated_requests_are_401(client):
    assert client.get("/api/customers").status_code == 401
