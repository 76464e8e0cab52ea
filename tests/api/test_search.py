# ruff: noqa: F811 — the imported `make_invoice` fixture is requested as a parameter
"""Header search: customers and invoices by customer name or phone, scoped like their lists."""

from datetime import date

import pytest

from tests.fixtures.invoices import make_invoice  # noqa: F401 — a fixture


def test_finds_customers_and_their_invoices_by_name(mitra_client, mitra, make_customer, make_invoice):
    budi = make_customer(owner=mitra, name="Budi Santoso")
    make_customer(owner=mitra, name="Siti Aminah")
    make_invoice(customer=budi, due=date(2026, 10, 5))
    newer = make_invoice(customer=budi, due=date(2026, 11, 5))
    res = mitra_client.get("/api/search?q=budi")
    assert res.status_code == 200
    body = res.json
    assert [c["name"] for c in body["customers"]["items"]] == ["Budi Santoso"] and body["customers"]["total"] == 1
    assert body["invoices"]["total"] == 2
    assert body["invoices"]["items"][0]["id"] == str(newer.id)  # newest due date first
    assert body["invoices"]["items"][0]["customer"]["name"] == "Budi Santoso"


def test_finds_by_local_phone_number(mitra_client, mitra, make_customer):
    make_customer(owner=mitra, name="Ani", phone="6281299887766")
    body = mitra_client.get("/api/search", query_string={"q": "0812-9988"}).json
    assert [c["name"] for c in body["customers"]["items"]] == ["Ani"]


def test_groups_show_five_but_count_all(mitra_client, mitra, make_customer):
    for i in range(7):
        make_customer(owner=mitra, name=f"Warga {i}")
    body = mitra_client.get("/api/search?q=warga").json
    assert len(body["customers"]["items"]) == 5 and body["customers"]["total"] == 7


def test_mitra_never_finds_another_mitras_customers(mitra_client, other_mitra, superadmin_client, make_customer,
                                                    make_invoice):
    theirs = make_customer(owner=other_mitra, name="Rahasia Tetangga")
    make_invoice(customer=theirs, due=date(2026, 11, 5))
    body = mitra_client.get("/api/search?q=rahasia").json
    assert body["customers"] == {"items": [], "total": 0} and body["invoices"] == {"items": [], "total": 0}
    # The superadmin sees everyone's.
    admin = superadmin_client.get("/api/search?q=rahasia").json
    assert admin["customers"]["total"] == 1 and admin["invoices"]["total"] == 1


@pytest.mark.parametrize("q", ["", "a", " b ", "x" * 101])
def test_too_short_or_long_query_is_422(mitra_client, q):
    res = mitra_client.get("/api/search", query_string={"q": q})
    assert res.status_code == 422
    assert res.json["error"]["details"]


def test_missing_query_is_422_and_wildcards_are_literal(mitra_client, mitra, make_customer):
    assert mitra_client.get("/api/search").status_code == 422
    make_customer(owner=mitra, name="Pak Joko")
    assert mitra_client.get("/api/search?q=%25%25").json["customers"]["total"] == 0


def test_search_needs_a_login(client):
    assert client.get("/api/search?q=budi").status_code == 401
