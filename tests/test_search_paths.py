# ruff: noqa: F811 — the imported `make_invoice` fixture is requested as a parameter
"""The search's two query paths (few matches resolved to ids, many read through the indexes) and the capped count
give the same answers; the count stops at the cap and says so."""

from datetime import date

import pytest
from sqlalchemy import select, text

from shared import pagination
from shared.models import Customer
from shared.services import customers as customer_service
from shared.services.customers import (
    CustomerFilters,
    list_customers,
    phone_patterns,
    search_words,
    words_tsquery,
)
from shared.services.invoices import InvoiceFilters, list_invoices
from tests.fixtures.invoices import make_invoice  # noqa: F401 — a fixture

TERMS = ["warga", "warga 1", "arga", "0812 0000", "62812", "+62 812 0000 01", "0001", "&|!", "warga | x"]


@pytest.fixture
def crowd(mitra, other_mitra, make_customer):
    for i in range(12):
        make_customer(owner=mitra if i % 3 else other_mitra, name=f"Warga {i}", phone=f"62812000000{i:02d}")
    make_customer(owner=mitra, name="Pak Joko", phone="6285711110001")


def _listing(db, actor, term, **page):
    result = list_customers(db, actor=actor, filters=CustomerFilters(q=term), **page)
    return [c.name for c in result.items], result.total, result.total_capped


@pytest.mark.parametrize("term", TERMS)
@pytest.mark.parametrize("who", ["superadmin", "mitra"])
def test_few_and_many_match_paths_agree(db, request, crowd, monkeypatch, term, who):
    actor = request.getfixturevalue(who)
    few = _listing(db, actor, term, per_page=5), _listing(db, actor, term, page=2, per_page=5)
    monkeypatch.setattr(customer_service, "FEW_MATCHES", 0)  # every search takes the "many matches" path
    many = _listing(db, actor, term, per_page=5), _listing(db, actor, term, page=2, per_page=5)
    assert few == many


def test_invoice_search_paths_agree(db, mitra, crowd, make_invoice, monkeypatch):
    for customer in db.scalars(select(Customer)):
        make_invoice(customer=customer, due=date(2026, 11, 5))

    def listing(term):
        page = list_invoices(db, actor=mitra, filters=InvoiceFilters(q=term, sort="customerName"), per_page=50)
        return [i["customer"]["name"] for i in page.items], page.total

    few = [listing(term) for term in TERMS]
    monkeypatch.setattr(customer_service, "FEW_MATCHES", 0)
    assert [listing(term) for term in TERMS] == few
    assert few[0][1] == 8  # the mitra's eight Warga
    # The many-customers path reads in index order for its one statement; the transaction sorts again after.
    assert db.execute(text("SHOW enable_sort")).scalar() == "on"


def test_count_is_capped_and_says_so(db, superadmin, crowd, monkeypatch):
    monkeypatch.setattr(pagination, "SEARCH_COUNT_CAP", 5)  # a search's cap (plain lists: COUNT_CAP)
    # Few matches: their ids are the exact total, whatever the cap.
    assert _listing(db, superadmin, "warga")[1:] == (12, False)
    monkeypatch.setattr(customer_service, "FEW_MATCHES", 0)
    names, total, capped = _listing(db, superadmin, "warga", per_page=2)
    assert (names, total, capped) == (["Warga 0", "Warga 1"], 5, True)  # at least 5: "5+"
    # A page beyond the cap counts to its end, so whether a next page exists is still known.
    names, total, capped = _listing(db, superadmin, "warga", page=4, per_page=2)
    assert (names, total, capped) == (["Warga 4", "Warga 5"], 8, True)
    names, total, capped = _listing(db, superadmin, "warga", page=3, per_page=5)
    assert (names, total, capped) == (["Warga 8", "Warga 9"], 12, False)


def test_plain_lists_are_capped_too(superadmin_client, crowd, monkeypatch):
    monkeypatch.setattr(pagination, "COUNT_CAP", 5)
    body = superadmin_client.get("/api/customers", query_string={"perPage": 2}).json
    assert (body["total"], body["totalCapped"]) == (5, True)
    body = superadmin_client.get("/api/customers", query_string={"perPage": 20}).json
    assert (body["total"], body["totalCapped"], len(body["items"])) == (13, False, 13)


def test_the_tsquery_quotes_every_word():
    assert words_tsquery(search_words("O'Brien  a\\b & c")) == "'O''Brien':* & 'a\\\\b':* & '&':* & 'c':*"
    assert words_tsquery(search_words("   ")) is None


@pytest.mark.parametrize("term, expected", [
    ("0812-3456", ("628123456", "08123456")),
    ("+62 812 3456", ("628123456", None)),
    ("62812", ("62812", "62812")),
    ("8123", ("628123", "8123")),
    ("1234", (None, "1234")),
    ("123", None),
    ("12a4", None),
])
def test_phone_patterns(term, expected):
    assert phone_patterns(term) == expected


def test_a_word_most_names_share_is_found_walking_the_order_index(db, superadmin, mitra, crowd):
    from shared.services.customers import NameProbe, name_probe

    def probe(actor, term):
        return name_probe(db, actor, CustomerFilters(q=term))

    assert probe(superadmin, "warga").common and probe(mitra, "WARGA").common  # 12 of 13 names; the mitra's 8 of 9
    assert probe(superadmin, "joko") == NameProbe()
    assert probe(superadmin, "0812 0000") == NameProbe() and probe(superadmin, "&|!") == NameProbe()  # phones; none
    # Beside a rarer word, the common one is tested on the rarer one's matches; every word common: none rarer.
    assert probe(superadmin, "warga 1") == NameProbe(common_words=frozenset({"warga"}))
    assert probe(mitra, "1 WARGA warga") == NameProbe(common_words=frozenset({"WARGA", "warga"}))
    assert probe(superadmin, "pak warga") == NameProbe(common_words=frozenset({"warga"}))
    assert probe(superadmin, "warga Warga").common  # together as common as alone


def test_every_word_common_but_not_together_keeps_the_index(db, mitra, make_customer):
    from shared.services.customers import NameProbe, name_probe

    for i in range(6):
        make_customer(owner=mitra, name=["Ani Warga", "Budi Warga", "Ani Budi"][i % 3], phone=f"6281300000{i:02d}")
    # "ani" and "budi" each match 4 of 6 names, both together 2 of 6: neither is rarer than the other.
    assert name_probe(db, mitra, CustomerFilters(q="ani budi")) == NameProbe()


@pytest.mark.parametrize("term, split", [("warga 1", True), ("1 warga", True), ("warga", False), ("joko", False),
                                         ("pak warga", True), ("0812 0000", False)])
def test_a_common_word_beside_a_rarer_one_is_not_looked_up_in_the_index(db, superadmin, crowd, make_invoice,
                                                                          statements, term, split):
    """The common word is tested through `name || ''` (no index serves it), on the rarer word's matches only."""
    for customer in db.scalars(select(Customer)):
        make_invoice(customer=customer, due=date(2026, 11, 5))
    statements.clear()
    customers = list_customers(db, actor=superadmin, filters=CustomerFilters(q=term))
    invoices = list_invoices(db, actor=superadmin, filters=InvoiceFilters(q=term))
    unindexed_name = [sql for sql in statements if "to_tsvector('simple'::regconfig, customers.name || " in sql]
    assert bool(unindexed_name) is split
    expected = {c.name for c in db.scalars(select(Customer)) if all(
        any(word.lower().startswith(typed.lower()) for word in c.name.split()) for typed in term.split())}
    if not phone_patterns(term):
        assert {c.name for c in customers.items} == expected
        assert {i["customer"]["name"] for i in invoices.items} == expected
@pytest.mark.parametrize("term", TERMS)
@pytest.mark.parametrize("who", ["superadmin", "mitra"])
def test_walking_and_index_paths_agree(db, request, crowd, make_invoice, monkeypatch, term, who):
    import shared.services.invoices as invoice_service

    actor = request.getfixturevalue(who)
    for customer in db.scalars(select(Customer)):
        make_invoice(customer=customer, due=date(2026, 11, 5))

    def listing():
        invoices = list_invoices(db, actor=actor, filters=InvoiceFilters(q=term), per_page=4)
        return (_listing(db, actor, term, per_page=4), _listing(db, actor, term, page=2, per_page=4),
                [i["customer"]["name"] for i in invoices.items], invoices.total)

    for module in (customer_service, invoice_service):
        monkeypatch.setattr(module, "name_probe", lambda *args: customer_service.NameProbe())
    indexed = listing()
    for module in (customer_service, invoice_service):
        monkeypatch.setattr(module, "name_probe", lambda *args: customer_service.NameProbe(common=True))
    assert listing() == indexed
    words = frozenset(term.split()[:1])  # the first word tested without the index, the others through it
    for module in (customer_service, invoice_service):
        monkeypatch.setattr(module, "name_probe", lambda *args: customer_service.NameProbe(common_words=words))
    assert listing() == indexed
    assert db.execute(text("SHOW enable_bitmapscan")).scalar() == "on"  # restored after the walk
