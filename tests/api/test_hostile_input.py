"""Hostile input answers 4xx, never 500: each case here was a 500 (or a silently accepted empty body) once.

The fuzz suite (tests/fuzz/) finds such inputs at random; these are the ones it, or the issue, found, kept as
plain tests so they fail loudly if the input layer that refuses them regresses.
"""

# ruff: noqa: F811 — the imported fixtures are requested as parameters

from datetime import date

import pytest
from flask_jwt_extended import create_access_token

from tests.fixtures.imports import csv_bytes, import_world  # noqa: F401 — a fixture, used as a parameter
from tests.fixtures.invoices import make_invoice  # noqa: F401 — a fixture, used as a parameter

LONE_SURROGATE = '"\\ud800"'  # JSON text for a string holding one unpaired UTF-16 surrogate


def _raw_json(client, method: str, path: str, text: str):
    return getattr(client, method)(path, data=text.encode(), content_type="application/json")


def _error_code(res) -> str:
    return res.get_json()["error"]["code"]


@pytest.mark.parametrize("path,body", [
    ("/api/auth/login", f'{{"username": {LONE_SURROGATE}, "password": "x"}}'),
    ("/api/auth/refresh", f'{{"refreshToken": {LONE_SURROGATE}}}'),
    ("/api/auth/logout", f'{{"refreshToken": {LONE_SURROGATE}}}'),
])
def test_a_lone_surrogate_in_public_json_is_400_invalid_json(client, path, body):
    res = _raw_json(client, "post", path, body)
    assert res.status_code == 400, res.get_data(as_text=True)
    assert _error_code(res) == "invalid_json"


def test_a_lone_surrogate_nested_in_an_authenticated_body_is_400(superadmin_client):
    res = _raw_json(superadmin_client, "post", "/api/packages",
                    '{"name": "Paket \\udfff", "speed": "10 Mbps", "price": 1000}')
    assert res.status_code == 400, res.get_data(as_text=True)
    assert _error_code(res) == "invalid_json"


# Query strings, form fields and paths cannot carry one: werkzeug decodes them with errors="replace".


@pytest.mark.parametrize("body", ['[1]', '{"username": 5, "password": "x"}', '"text"'])
def test_a_login_body_that_is_not_an_object_of_strings_is_refused_not_500(client, body):
    # The per-username rate-limit key reads the body before the schema does.
    res = _raw_json(client, "post", "/api/auth/login", body)
    assert res.status_code == 422, res.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/api/finance/summary?period=0000-01", "/api/finance/by-mitra?period=0000-01",
                                  "/api/invoices/export?period=0000-01", "/api/invoices?period=0000-01",
                                  "/api/finance/summary?period=9999-12"])
def test_a_period_outside_the_calendar_is_422(superadmin_client, path):
    res = superadmin_client.get(path)
    assert res.status_code == 422, res.get_data(as_text=True)
    assert "period" in res.get_json()["error"]["details"]["fields"]


def test_a_valid_period_still_works(superadmin_client):
    assert superadmin_client.get("/api/finance/summary?period=2026-03").status_code == 200


@pytest.mark.parametrize("path,field", [("/api/invoices?to=9999-12-31", "to"),
                                        ("/api/wa/logs?dateTo=9999-12-31", "dateTo"),
                                        ("/api/finance/summary?from=0001-01-01", "from"),
                                        ("/api/finance/by-date?date=9999-12-31", "date")])
def test_a_date_at_the_end_of_the_calendar_is_422(superadmin_client, path, field):
    res = superadmin_client.get(path)
    assert res.status_code == 422, res.get_data(as_text=True)
    assert field in res.get_json()["error"]["details"]["fields"]


@pytest.mark.parametrize("action,body", [
    ("pay", {"version": 2147483648, "paymentMethod": "cash"}),
    ("unpay", {"version": 2147483648}),
])
def test_a_version_beyond_int32_is_422(superadmin_client, superadmin, make_customer, make_invoice, action, body):
    invoice = make_invoice(customer=make_customer(owner=superadmin), due=date(2030, 1, 5),
                           status="paid" if action == "unpay" else "unpaid")
    res = superadmin_client.patch(f"/api/invoices/{invoice.id}/{action}", json=body)
    assert res.status_code == 422, res.get_data(as_text=True)
    assert "version" in res.get_json()["error"]["details"]["fields"]


def _upload(client, data: bytes):
    boundary = "fibernode-test-boundary"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"p.csv\"\r\n"
            f"Content-Type: text/csv\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
    return client.post("/api/customers/import", data=body, content_type=f"multipart/form-data; boundary={boundary}")


def test_a_csv_field_beyond_the_csv_module_limit_is_422(as_user, import_world):
    header, first_row = csv_bytes("valid.csv").decode("utf-8-sig").splitlines()[:2]
    huge = first_row.split(",", 1)[0] + "x" * 140_000
    data = f"{header}\n{huge},{first_row.split(',', 1)[1]}\n".encode()
    res = _upload(as_user(import_world.superadmin), data)
    assert res.status_code == 422, res.get_data(as_text=True)
    assert _error_code(res) == "invalid_csv"
    assert res.get_json()["error"]["details"]["line"] == 2


@pytest.mark.parametrize("sub", ["not-a-uuid", "123", ""])
def test_a_signed_token_whose_subject_is_not_a_uuid_is_401(bound_app, sub):
    with bound_app.app_context():
        token = create_access_token(identity=sub, additional_claims={"role": "superadmin"})
    res = bound_app.test_client().get("/api/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert res.status_code == 401, res.get_data(as_text=True)
    assert _error_code(res) == "invalid_token"


@pytest.mark.parametrize("method,path", [("patch", "/api/settings"), ("patch", "/api/auth/me"),
                                         ("post", "/api/packages"), ("post", "/api/invoices/generate"),
                                         ("post", "/api/auth/login")])
def test_a_request_without_a_body_is_refused(superadmin_client, method, path):
    res = getattr(superadmin_client, method)(path)
    assert res.status_code in (400, 422), res.get_data(as_text=True)
    assert _error_code(res) == "missing_body"
    assert "isi JSON" in res.get_json()["error"]["message"]


def test_a_patch_without_a_body_changes_nothing_on_a_customer(superadmin_client, superadmin, make_customer):
    customer = make_customer(owner=superadmin)
    res = superadmin_client.patch(f"/api/customers/{customer.id}")
    assert res.status_code in (400, 422), res.get_data(as_text=True)
    assert _error_code(res) == "missing_body"


def test_an_empty_json_object_is_still_a_body(superadmin_client):
    # `{}` is an explicit (empty) change set: the settings answer as before.
    assert superadmin_client.patch("/api/settings", json={}).status_code == 200


def test_405_carries_an_allow_header(superadmin_client):
    res = superadmin_client.put("/api/settings", json={})
    assert res.status_code == 405
    assert set(res.headers["Allow"].replace(" ", "").split(",")) >= {"GET", "PATCH"}
    assert _error_code(res) == "method_not_allowed"


def test_a_wrong_method_on_an_api_path_is_405_not_the_spa_catch_all(client):
    # GET /api/auth/login fell through to the PWA's catch-all route: a 404 and `Allow: GET, POST` on OPTIONS.
    res = client.get("/api/auth/login")
    assert res.status_code == 405
    assert res.headers["Allow"].replace(" ", "").split(",") == ["OPTIONS", "POST"]
    unknown = client.get("/api/no-such-endpoint")
    assert unknown.status_code == 404 and _error_code(unknown) == "not_found"


def test_a_word_under_an_id_route_is_not_taken_for_an_id(superadmin_client):
    # /api/customers/export also matched /api/customers/<customer_id>: OPTIONS advertised PATCH and DELETE.
    res = superadmin_client.options("/api/customers/export")
    assert set(res.headers["Allow"].replace(" ", "").split(",")) == {"GET", "HEAD", "OPTIONS"}


def test_a_text_longer_than_documented_is_refused_even_if_it_trims_shorter(superadmin_client):
    # maxLength is of the text as sent; the server trimmed first and took 70 characters of which 31 were spaces.
    speed = "\x1d" * 31 + "10 Mbps" + " " * 31
    res = superadmin_client.post("/api/packages", json={"name": "Paket Panjang", "speed": speed, "price": 1000})
    assert res.status_code == 422, res.get_data(as_text=True)
    assert "speed" in res.get_json()["error"]["details"]["fields"]


def test_an_unknown_form_field_on_the_customer_import_is_refused(as_user, import_world):
    boundary = "fibernode-test-boundary"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"extra\"\r\n\r\nx\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"p.csv\"\r\n"
            f"Content-Type: text/csv\r\n\r\n").encode() + csv_bytes("valid.csv") + f"\r\n--{boundary}--\r\n".encode()
    res = as_user(import_world.superadmin).post("/api/customers/import", data=body,
                                                content_type=f"multipart/form-data; boundary={boundary}")
    assert res.status_code == 422, res.get_data(as_text=True)
    assert "extra" in res.get_json()["error"]["details"]["fields"]


def test_a_nameless_multipart_part_is_a_422_not_500(as_user, import_world):
    # werkzeug reads the part's name "\r" as none; the unknown-field error was keyed None and jsonify failed.
    boundary = "fibernode-test-boundary"
    body = f'--{boundary}\r\nContent-Disposition: form-data; name="\r"\r\n\r\nnull\r\n--{boundary}--\r\n'.encode()
    res = as_user(import_world.superadmin).post("/api/customers/import", data=body,
                                                content_type=f"multipart/form-data; boundary={boundary}")
    assert res.status_code == 422, res.get_data(as_text=True)
    assert "file" in res.get_json()["error"]["details"]["fields"]
