"""Fifty admins pay one invoice at once through the real API (separate connections, real commits): one wins."""

import threading
from collections import Counter

import pytest
from flask_jwt_extended import create_access_token
from sqlalchemy import select

from shared.db import get_sessionmaker, session_scope
from shared.models import ActivityLog, Customer, Invoice, InvoicePayment, Package, PaymentStatus
from shared.services import billing
from tests.fixtures.imports import committed_world  # noqa: F401  (committed owners, cleaned up afterwards)

PAYERS = 50


@pytest.fixture
def committed_invoice(committed_world):  # noqa: F811
    with session_scope() as session:
        package = session.scalars(select(Package).where(Package.name == committed_world.package_name)).one()
        customer = Customer(owner_id=committed_world.mitra_id, package_id=package.id, name="Rebutan",
                            phone="6281377770001", billing_date=9, discount=0, total_bill=package.price)
        session.add(customer)
        session.flush()
        billing.generate_invoices(session, period="2030-03", owner_id=committed_world.mitra_id)
        invoice_id = session.scalars(select(Invoice.id).where(Invoice.customer_id == customer.id)).one()
    return invoice_id


@pytest.fixture
def real_app(app):
    """The app with real sessions (committed), unlike the rolled-back `client` fixtures."""
    rolled_back = app.extensions["db_sessionmaker"]
    app.extensions["db_sessionmaker"] = get_sessionmaker()
    yield app
    app.extensions["db_sessionmaker"] = rolled_back


def test_fifty_concurrent_pays_of_one_invoice_one_succeeds_the_rest_conflict(real_app, committed_world,  # noqa: F811
                                                                              committed_invoice):
    with real_app.app_context():
        tokens = [create_access_token(identity=str(user_id), additional_claims={"role": role})
                  for user_id, role in [(committed_world.mitra_id, "mitra"),
                                        (committed_world.superadmin_id, "superadmin")]]
    start = threading.Barrier(PAYERS)
    responses = [None] * PAYERS

    def pay(n: int) -> None:
        client = real_app.test_client()
        start.wait()
        res = client.patch(f"/api/invoices/{committed_invoice}/pay", json={"version": 1, "paymentMethod": "cash"},
                           headers={"Authorization": f"Bearer {tokens[n % 2]}"})
        responses[n] = (res.status_code, res.json)

    threads = [threading.Thread(target=pay, args=(n,)) for n in range(PAYERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    statuses = Counter(status for status, _ in responses)
    assert statuses == {200: 1, 409: PAYERS - 1}, statuses
    conflicts = [body["error"] for status, body in responses if status == 409]
    assert {error["code"] for error in conflicts} == {"version_conflict"}
    assert {error["message"] for error in conflicts} == {"Data sudah diubah oleh user lain, silakan refresh."}
    assert {error["details"]["currentVersion"] for error in conflicts} == {2}
    with session_scope() as session:
        invoice = session.get(Invoice, committed_invoice)
        assert (invoice.status, invoice.version) == (PaymentStatus.paid, 2)
        logs = session.scalars(select(ActivityLog).where(ActivityLog.resource_id == committed_invoice)).all()
        assert [log.action for log in logs] == ["invoice.pay"]  # the losers' writes were rolled back


def test_two_concurrent_part_payments_above_the_remainder_one_succeeds_the_other_conflicts(
        real_app, committed_world, committed_invoice):  # noqa: F811
    with real_app.app_context():
        token = create_access_token(identity=str(committed_world.mitra_id), additional_claims={"role": "mitra"})
    with session_scope() as session:
        total = session.get(Invoice, committed_invoice).total_amount
    amount = total * 2 // 3  # either alone fits, both together would overpay
    start = threading.Barrier(2)
    responses = [None, None]

    def pay(n: int) -> None:
        client = real_app.test_client()
        start.wait()
        res = client.post(f"/api/invoices/{committed_invoice}/payments",
                          json={"version": 1, "amount": amount, "paymentMethod": "cash"},
                          headers={"Authorization": f"Bearer {token}"})
        responses[n] = (res.status_code, res.json)

    threads = [threading.Thread(target=pay, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert sorted(status for status, _ in responses) == [200, 409], responses
    [(_, conflict)] = [(status, body) for status, body in responses if status == 409]
    assert conflict["error"]["code"] == "version_conflict"
    with session_scope() as session:
        invoice = session.get(Invoice, committed_invoice)
        assert (invoice.status, invoice.paid_amount, invoice.version) == (PaymentStatus.partial, amount, 2)
        paid = session.scalars(select(InvoicePayment.amount).where(InvoicePayment.invoice_id == committed_invoice))
        assert list(paid) == [amount]  # never overpaid: the loser's payment row was rolled back
