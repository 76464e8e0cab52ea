"""Schemathesis over the whole OpenAPI document (the app's own /api/openapi.json, in-process via WSGI).

Every operation, as a superadmin and as a mitra, in the examples, coverage and fuzzing phases, positive and
negative data, with every built-in check of schemathesis 4.x left on (`call_and_validate` with no list):
not_a_server_error, status_code / content_type / response_headers / response_schema conformance,
positive_data_acceptance (its expected statuses widened below, with the reason), negative_data_rejection,
missing_required_header, unsupported_method (405 + Allow), allow_header_conformance (OPTIONS), ignored_auth.
Not applicable here, so they pass without comparing anything: use_after_free, ensure_resource_availability and
object_level_authorization compare the responses of several calls in a stateful run (this is one case per call;
the stateful phase needs OpenAPI links the document does not have), and max_response_time is off unless given
a limit (none is set: the machine is shared, timings are not this gate's question).

The bounded run is part of `make test`; `make fuzz` runs it with many more examples (FUZZ_MAX_EXAMPLES). Nothing
leaves the machine: the API only queues WhatsApp messages (no WA worker runs, the transport is the simulator),
jobs only reach the test Redis (no Celery worker consumes them), and tests/conftest.py blocks any non-loopback
connect. Nothing is excluded: a fresh access token per call means a fuzzed logout, password change or
deactivation cannot end the run's session, and each test's writes are rolled back.
"""

import hashlib

import pytest
import schemathesis
from flask_jwt_extended import create_access_token
from hypothesis import HealthCheck, settings

from api.app import create_app
from shared.config import get_settings
from tests.fuzz.conftest import MAX_EXAMPLES, STATS

CONFIG = schemathesis.Config.from_dict({
    # The run's own bearer token on every case (security parameters are not generated: a random token would only
    # measure the 401 path); ignored_auth still re-sends each case without and with a wrong token itself.
    "generation": {"max-examples": MAX_EXAMPLES, "deterministic": MAX_EXAMPLES <= 10,
                   "with-security-parameters": False},
    # Business rules answer 4xx to requests the document calls well formed: 403 a mitra on a superadmin route,
    # 404 an id of no row the caller sees, 409 already paid / version conflict, 410 an expired export, 422 a rule
    # the schema cannot say (a phone number's format, a discount above the price), 423 a locked account, 429 a
    # rate limit; and on the two uploads (documented as any `binary`) 413/415 for a file too large or of the
    # wrong type. Those are refusals on purpose; 400 (malformed input) and anything else still fail it.
    "checks": {"positive_data_acceptance": {"expected-statuses": ["2xx", "401", "403", "404", "409", "410", "413",
                                                                   "415", "422", "423", "429"]}},
})


@pytest.fixture
def fuzz_app(bound_app, monkeypatch):
    # The API only queues messages (no WA worker runs here); the simulator also opens POST /api/wa/simulator/scan.
    monkeypatch.setattr(get_settings(), "wa_transport", "simulator")
    return bound_app


# The document is read once at collection from an app of its own (it needs no database); each case is sent to
# the test's app, whose sessions join the test's rolled-back transaction. (`schemathesis.pytest.from_fixture`
# would read it per test, but its lazy loader sets `Function._nodeid`, which pytest 9 no longer has.)
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", create_app(get_settings()), config=CONFIG)


def _use_real_ids(case, ids: dict[str, list[str]]) -> None:
    """Most generated path ids are swapped for a real row's, so handlers run past their lookup too."""
    for name, value in list((case.path_parameters or {}).items()):
        choices = ids.get(name)
        if not choices:
            continue
        bucket = int(hashlib.sha256(repr(value).encode()).hexdigest(), 16) % (len(choices) + 1)
        if bucket < len(choices):  # one bucket in len+1 keeps the generated (usually unknown) id
            case.path_parameters[name] = choices[bucket]


FUZZ_SETTINGS = settings(max_examples=MAX_EXAMPLES, deadline=None, database=None,
                         suppress_health_check=list(HealthCheck))


@schema.parametrize()
@FUZZ_SETTINGS
def test_api_as_superadmin(case, fuzz_app, fuzz_world):
    _call_and_validate(case, fuzz_app, fuzz_world, fuzz_world.superadmin)


@schema.parametrize()
@FUZZ_SETTINGS
def test_api_as_mitra(case, fuzz_app, fuzz_world):
    _call_and_validate(case, fuzz_app, fuzz_world, fuzz_world.mitra)


def _call_and_validate(case, fuzz_app, fuzz_world, user) -> None:
    _use_real_ids(case, fuzz_world.ids)
    # A fresh access token per call: a fuzzed password change or logout cannot end the run's session.
    with fuzz_app.app_context():
        token = create_access_token(identity=str(user.id), additional_claims={"role": user.role.value})
    headers = {"Authorization": f"Bearer {token}"}
    STATS.requests += 1
    try:
        response = case.call_and_validate(headers=headers, app=fuzz_app)
    except Exception as exc:
        for failure in getattr(exc, "exceptions", [exc]):
            STATS.failures[type(failure).__name__] += 1
        raise
    STATS.statuses[response.status_code] += 1
    if response.status_code >= 500:
        STATS.server_errors += 1
