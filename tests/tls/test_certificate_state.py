"""GET /api/settings/certificate: what the settings page says about the certificate nginx serves."""

from __future__ import annotations

import datetime as dt

import pytest

from shared.services.settings import update_settings
from tests.tls.certs import write_self_signed

NOW = dt.datetime.now(dt.UTC)


@pytest.fixture
def certs_dir(bound_app, tmp_path):
    original = bound_app.config["SETTINGS"]
    bound_app.config["SETTINGS"] = original.model_copy(update={
        "certs_dir": tmp_path / "live", "tls_domain": "env.fibernode.test", "tls_ssl_method": "letsencrypt"})
    yield tmp_path / "live"
    bound_app.config["SETTINGS"] = original


def set_domain(db, superadmin, domain: str) -> None:
    update_settings(db, actor=superadmin, changes={"domain": domain})


def test_no_certificate_file_is_state_none_with_the_deployments_values(superadmin_client, certs_dir):
    res = superadmin_client.get("/api/settings/certificate")
    assert res.status_code == 200
    # The stored domain is empty (the default): the deployment's DOMAIN is the one looked up.
    assert res.json == {"domain": "env.fibernode.test", "state": "none", "notAfter": None, "issuer": None,
                        "serial": None, "configuredDomain": "env.fibernode.test",
                        "configuredSslMethod": "letsencrypt"}


@pytest.mark.parametrize(("days", "state"), [(60, "valid"), (10, "expiring"), (-1, "expired")])
def test_the_certificate_for_the_stored_domain_is_read(superadmin_client, superadmin, db, certs_dir, days, state):
    set_domain(db, superadmin, "wifi.fibernode.test")
    cert = write_self_signed(certs_dir / "wifi.fibernode.test", names=["wifi.fibernode.test"],
                             not_after=NOW + dt.timedelta(days=days), issuer="Pebble Intermediate CA")
    res = superadmin_client.get("/api/settings/certificate")
    assert res.status_code == 200
    body = res.json
    assert (body["domain"], body["state"], body["issuer"]) == ("wifi.fibernode.test", state, "Pebble Intermediate CA")
    assert body["serial"] == format(cert.serial_number, "x")
    assert dt.datetime.fromisoformat(body["notAfter"]) == cert.not_valid_after_utc


def test_a_file_that_is_not_a_certificate_is_invalid(superadmin_client, superadmin, db, certs_dir):
    set_domain(db, superadmin, "wifi.fibernode.test")
    (certs_dir / "wifi.fibernode.test").mkdir(parents=True)
    (certs_dir / "wifi.fibernode.test" / "fullchain.pem").write_text("not a certificate\n")
    assert superadmin_client.get("/api/settings/certificate").json["state"] == "invalid"


def test_a_domain_cannot_point_outside_the_certs_dir(superadmin_client, db, certs_dir, tmp_path):
    from shared.services.certificate import certificate_state

    write_self_signed(tmp_path / "secret", names=["x.test"], not_after=NOW + dt.timedelta(days=60))
    assert certificate_state(certs_dir, "../secret")["state"] == "none"
    assert certificate_state(certs_dir, "/etc")["state"] == "none"


def test_only_the_superadmin_sees_it(mitra_client, client, certs_dir):
    assert mitra_client.get("/api/settings/certificate").status_code == 403
    assert client.get("/api/settings/certificate").status_code == 401
