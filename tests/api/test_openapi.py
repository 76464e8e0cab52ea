"""The OpenAPI document covers every API route, and Swagger UI is served without a CDN."""

import re

import pytest

NOT_OPERATIONS = {"/api/openapi.json", "/api/docs", "/api/docs/assets/<path:filename>"}
# Action endpoints whose whole input is the path (toggle, confirm, connect...): no request body.
BODYLESS_ACTION = re.compile(r"/(isolate|confirm|connect|disconnect|retry|scan|unpay|pay)$")
WRITE_METHODS = {"post", "put", "patch"}
# Test-only helpers (APP_ENV=test/e2e, api/routes/testclock.py): deliberately not part of the API document.
TEST_ONLY_PREFIX = "/api/test/"


def api_operations(app):
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/") or rule.rule in NOT_OPERATIONS or rule.rule.startswith(TEST_ONLY_PREFIX):
            continue
        path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield path, method.lower()


@pytest.fixture(scope="module")
def spec(app):
    return app.test_client().get("/api/openapi.json").json


def test_openapi_json_is_served_publicly(client):
    res = client.get("/api/openapi.json")
    assert res.status_code == 200 and res.json["openapi"].startswith("3.")
    assert res.json["info"]["title"] == "FiberNode Internet API"


def test_every_api_route_is_documented_with_schemas(app, spec):
    operations = list(api_operations(app))
    assert len(operations) >= 20
    problems = []
    for path, method in operations:
        operation = spec["paths"].get(path, {}).get(method)
        if operation is None:
            problems.append(f"{method.upper()} {path}: not documented")
            continue
        if not operation.get("summary"):
            problems.append(f"{method.upper()} {path}: no summary (view docstring)")
        successes = {code: body for code, body in operation["responses"].items() if code.startswith("2")}
        if not successes:
            problems.append(f"{method.upper()} {path}: no success response")
        for code, body in successes.items():
            # JSON, or a file download documented with its media types (exports)
            if code != "204" and not any("schema" in media for media in body.get("content", {}).values()):
                problems.append(f"{method.upper()} {path}: {code} response without a schema")
        if method in WRITE_METHODS and "requestBody" not in operation and not BODYLESS_ACTION.search(path):
            problems.append(f"{method.upper()} {path}: no request body schema")
    assert problems == []


def test_errors_are_documented_as_the_project_envelope(spec):
    for name in ("UNPROCESSABLE_ENTITY", "Error400", "Error401", "Error404", "Error429", "Error503"):
        schema = spec["components"]["responses"][name]["content"]["application/json"]["schema"]
        assert schema == {"$ref": "#/components/schemas/ErrorEnvelope"}
    assert set(spec["components"]["schemas"]["ErrorBody"]["properties"]) == {"code", "message", "details"}


def test_every_operation_names_its_error_statuses_and_no_catch_all(spec):
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if method == "parameters":
                continue
            responses = operation["responses"]
            assert "default" not in responses, (method, path)
            assert {"429", "503"} <= set(responses), (method, path)
            if operation.get("security") != []:
                assert {"401", "403"} <= set(responses), (method, path)
            if "requestBody" in operation:
                assert {"400", "415", "422"} <= set(responses), (method, path)
    assert "423" in spec["paths"]["/api/auth/login"]["post"]["responses"]


def test_bearer_auth_is_the_default_and_public_endpoints_opt_out(spec):
    assert spec["security"] == [{"bearerAuth": []}]
    for path, method in [("/api/auth/login", "post"), ("/api/settings/branding", "get"), ("/api/health", "get")]:
        assert spec["paths"][path][method]["security"] == [], path


def test_documented_field_names_are_camel_case_except_settings(spec):
    snake = [f"{name}.{prop}" for name, schema in spec["components"]["schemas"].items()
             if not name.startswith(("Settings", "Branding")) and name != "PaginationMetadata"
             for prop in schema.get("properties", {}) if "_" in prop]
    assert snake == []


def test_settings_schema_lists_every_setting_key(spec):
    from shared.services.settings_defaults import DEFAULT_SETTINGS

    assert set(spec["components"]["schemas"]["SettingsOut"]["properties"]) == set(DEFAULT_SETTINGS)
    assert set(spec["components"]["schemas"]["SettingsIn"]["properties"]) == set(DEFAULT_SETTINGS)


def test_swagger_ui_is_served_from_local_assets(client):
    res = client.get("/api/docs")
    assert res.status_code == 200
    html = res.get_data(as_text=True)
    assert "swagger-ui" in html
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources and all(src.startswith("/api/docs/assets/") for src in sources), sources
    assert "cdn" not in html.lower() and "unpkg" not in html.lower()
    for src in sources:
        asset = client.get(src)
        try:
            assert asset.status_code == 200, src
            assert len(asset.get_data()) > 1000
        finally:
            asset.close()


def test_swagger_ui_page_may_run_its_inline_initialiser_but_nothing_else_may(client):
    docs_csp = client.get("/api/docs").headers["Content-Security-Policy"]
    assert "script-src 'self' 'unsafe-inline'" in docs_csp
    api_csp = client.get("/api/openapi.json").headers["Content-Security-Policy"]
    assert "unsafe-inline" not in api_csp.split("script-src")[1].split(";")[0]
