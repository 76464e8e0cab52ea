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
    empty = {"items": [], "total": 0, "totalCapped": False}
    assert body["customers"] == empty and body["invoices"] == empty
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


# --- the search semantics (shared.services.customers.customer_matches) -------------------------------------


def _customer_names(client, q):
    res = client.get("/api/customers", query_string={"q": q, "perPage": 100})
    assert res.status_code == 200, res.json
    return sorted(item["name"] for item in res.json["items"])


@pytest.fixture
def people(mitra, make_customer):
    make_customer(owner=mitra, name="Budi Santoso", phone="6281234567890")
    make_customer(owner=mitra, name="Siti Aminah", phone="6285700001111")
    make_customer(owner=mitra, name="Ahmad O'Brien-Susanto", phone="6289911112222")
    make_customer(owner=mitra, name="BUDIMAN", phone="6281300004567")
    make_customer(owner=mitra, name="Rumah 2026", phone="6281300009999")


@pytest.mark.parametrize("q, expected", [
    ("budi", ["BUDIMAN", "Budi Santoso"]),             # prefix of a word, any case
    ("SANT", ["Budi Santoso"]),                         # prefix of the second word
    ("udi", []),                                        # inside a word: not a prefix
    ("budi san", ["Budi Santoso"]),                     # every word must match
    ("san budi", ["Budi Santoso"]),                     # in any order
    ("budi aminah", []),                                # one word matching is not enough
    ("  siti   ami  ", ["Siti Aminah"]),                # extra spaces
    ("o'brien", ["Ahmad O'Brien-Susanto"]),             # punctuation splits words as in the name
    ("brien susan", ["Ahmad O'Brien-Susanto"]),          # parts of a hyphenated word
])
def test_name_search_is_word_prefix(mitra_client, people, q, expected):
    assert _customer_names(mitra_client, q) == expected


@pytest.mark.parametrize("q, expected", [
    ("0812-3456", ["Budi Santoso"]),                    # local form: 0 stands for 62
    ("62812 345", ["Budi Santoso"]),                    # international form without +
    ("+62 857 0000", ["Siti Aminah"]),                  # with +
    ("857000", ["Siti Aminah"]),                        # local number without its 0
    ("7890", ["Budi Santoso"]),                         # the last digits
    ("4567", ["BUDIMAN"]),                              # suffix of BUDIMAN's, inside Budi's: only the suffix
    ("(0899) 1111-2222", ["Ahmad O'Brien-Susanto"]),    # separators are ignored
    ("+2222", []),                                      # with + it is the start of a number, never its end
    ("345", []),                                        # fewer than 4 digits: not a phone search
    ("3456", []),                                       # inside every number: neither prefix nor suffix
    ("2026", []),                                       # a phone search never looks at names ("Rumah 2026")
    ("202", ["Rumah 2026"]),                            # fewer than 4 digits: a name word prefix
])
def test_phone_search_is_prefix_or_suffix(mitra_client, people, q, expected):
    assert _customer_names(mitra_client, q) == expected


@pytest.mark.parametrize("q", ["&|!():*'\\", "budi & siti", "budi | siti", "!budi", "budi:*", "(budi", "'budi'",
                               "b\\udi", "budi:A", "<->", "budi <-> santoso", "%", "_", "''", "\\'", ":*", "*",
                               "-- ; DROP TABLE customers", "'); SELECT 1; --"])
def test_tsquery_syntax_in_a_term_is_literal(mitra_client, people, make_invoice, q):
    res = mitra_client.get("/api/customers", query_string={"q": q})
    assert res.status_code == 200, res.json
    names = {item["name"] for item in res.json["items"]}
    # Operators are never operators: "budi | siti" never finds Siti; "!budi" never finds everyone but Budi.
    assert "Siti Aminah" not in names and "Ahmad O'Brien-Susanto" not in names
    assert mitra_client.get("/api/invoices", query_string={"q": q}).status_code == 200
    assert mitra_client.get("/api/search", query_string={"q": q + "x"}).status_code == 200


def test_special_characters_around_words_still_find_them(mitra_client, people):
    assert _customer_names(mitra_client, "budi & san") == ["Budi Santoso"]   # the & is no word
    assert _customer_names(mitra_client, "(siti)") == ["Siti Aminah"]
    assert _customer_names(mitra_client, "&|!():*'\\") == []                 # nothing to look for: nothing


@pytest.mark.parametrize("q", ["", "   "])
def test_empty_or_blank_term_lists_everyone(mitra_client, people, q):
    assert len(_customer_names(mitra_client, q)) == 5


def test_invoices_are_searched_the_same_way(mitra_client, mitra, make_customer, make_invoice):
    budi = make_customer(owner=mitra, name="Budi Santoso", phone="6281234567890")
    make_invoice(customer=budi, due=date(2026, 11, 5))
    make_invoice(customer=make_customer(owner=mitra, name="Rudi Budiman", phone="6285700001111"),
                 due=date(2026, 11, 5))

    def names(q):
        return sorted(i["customer"]["name"] for i in mitra_client.get("/api/invoices", query_string={"q": q}).json["items"])

    assert names("budi") == ["Budi Santoso", "Rudi Budiman"]
    assert names("udi") == []
    assert names("bud sant") == ["Budi Santoso"]
    assert names("0812 3456") == ["Budi Santoso"] and names("1111") == ["Rudi Budiman"]


def test_one_pass_over_the_name_index_serves_both_groups(mitra_client, mitra, make_customer, make_invoice,
                                                         statements):
    for i in range(3):
        make_invoice(customer=make_customer(owner=mitra, name=f"Rina {i}"), due=date(2026, 11, 5))
    for i in range(30):
        make_customer(owner=mitra, name=f"Warga {i}")
    statements.clear()
    body = mitra_client.get("/api/search?q=rina").json
    assert body["customers"]["total"] == 3 and body["invoices"]["total"] == 3
    # The matching customers are looked up through the name index once (the count with their ids), not again
    # for the invoices; the pages then use those ids.
    searched = [s for s in statements if "to_tsvector('simple'::regconfig, customers.name) @@" in s]
    assert len(searched) == 1, searched
