"""PATCH /api/settings for the retention windows: whole days, 0 keeps forever, a minimum per key."""

import pytest

from shared.services.settings_defaults import DEFAULT_SETTINGS, RETENTION_MAX_DAYS, RETENTION_MIN_DAYS

RETENTION_KEYS = sorted(RETENTION_MIN_DAYS)


def test_defaults_are_served_until_changed(superadmin_client):
    body = superadmin_client.get("/api/settings").json
    assert {key: body[key] for key in RETENTION_KEYS} == {key: DEFAULT_SETTINGS[key] for key in RETENTION_KEYS}
    assert all(int(DEFAULT_SETTINGS[key]) >= RETENTION_MIN_DAYS[key] for key in RETENTION_KEYS)


def test_days_are_stored_as_strings_from_text_or_integers(superadmin_client):
    res = superadmin_client.patch("/api/settings", json={
        "retention_wa_logs_days": " 90 ", "retention_activity_days": 730, "retention_jobs_days": "0"})
    assert res.status_code == 200, res.json
    assert res.json["retention_wa_logs_days"] == "90"
    assert res.json["retention_activity_days"] == "730"
    assert res.json["retention_jobs_days"] == "0"  # keep forever
    assert superadmin_client.get("/api/settings").json["retention_activity_days"] == "730"


@pytest.mark.parametrize("key", RETENTION_KEYS)
def test_each_key_accepts_its_minimum_and_refuses_one_day_less(superadmin_client, key):
    minimum = RETENTION_MIN_DAYS[key]
    assert superadmin_client.patch("/api/settings", json={key: str(minimum)}).status_code == 200
    if minimum > 1:
        res = superadmin_client.patch("/api/settings", json={key: str(minimum - 1)})
        assert res.status_code == 422
        message, = res.json["error"]["details"]["fields"][key]
        assert f"{minimum}–{RETENTION_MAX_DAYS} hari" in message and "simpan selamanya" in message


@pytest.mark.parametrize("value", ["abc", "-1", "1.5", 1.5, "", None, True, "٣٠", str(RETENTION_MAX_DAYS + 1), [30]])
def test_invalid_days_are_a_field_error(superadmin_client, value):
    res = superadmin_client.patch("/api/settings", json={"retention_login_attempts_days": value})
    assert res.status_code == 422, res.json
    message, = res.json["error"]["details"]["fields"]["retention_login_attempts_days"]
    assert message.startswith("Isi jumlah hari berupa bilangan bulat")


def test_login_attempts_cannot_be_kept_shorter_than_a_week(superadmin_client):
    res = superadmin_client.patch("/api/settings", json={"retention_login_attempts_days": "1"})
    assert res.status_code == 422


def test_only_superadmin_sets_retention(mitra_client):
    assert mitra_client.patch("/api/settings", json={"retention_wa_logs_days": "30"}).status_code == 403
