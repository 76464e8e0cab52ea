"""Lockout per username AND client: an anonymous attacker cannot lock the owner out, but is still throttled."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from shared.models import ActivityLog, UserRole

OWNER_IP = "10.0.0.1"


def login(client, username, password="Rahasia123!", ip=OWNER_IP):
    return client.post("/api/auth/login", json={"username": username, "password": password},
                       environ_base={"REMOTE_ADDR": ip})


@pytest.fixture
def owner(make_user):
    return make_user(role=UserRole.superadmin)


def attack(app, username, ips, per_ip=1):
    """Wrong passwords from fresh clients (no cookies), `per_ip` from each address; the statuses."""
    statuses = []
    for ip in ips:
        attacker = app.test_client()
        statuses += [login(attacker, username, "tebakan-salah", ip=ip).status_code for _ in range(per_ip)]
    return statuses


def test_anonymous_failures_from_another_ip_do_not_lock_the_owner_out(bound_app, client, owner):
    # Today's attack: 5 requests from anywhere locked the superadmin out for 15 minutes.
    statuses = attack(bound_app, owner.username, ["203.0.113.5"], per_ip=6)
    assert statuses == [401] * 5 + [423]  # 5 failures allowed, the 6th attempt refused: the attacker is locked
    assert login(client, owner.username).status_code == 200  # the owner, elsewhere, logs in


def test_the_sixth_attempt_is_refused_even_with_the_right_password(client, owner):
    assert [login(client, owner.username, "salah").status_code for _ in range(5)] == [401] * 5
    res = login(client, owner.username)
    assert res.status_code == 423 and res.json["error"]["code"] == "account_locked"


def test_an_ip_rotating_attacker_is_throttled_but_the_owners_known_browser_gets_in(bound_app, client, db, owner):
    assert login(client, owner.username).status_code == 200  # the owner's browser gets its device cookie
    statuses = attack(bound_app, owner.username, [f"198.51.100.{n}" for n in range(25)])
    assert statuses[:20] == [401] * 20 and set(statuses[20:]) == {423}  # every unknown client is now locked
    assert login(bound_app.test_client(), owner.username, ip="192.0.2.77").status_code == 423
    # The owner's browser, from the very IP an attacker used too, still gets in.
    assert login(client, owner.username, ip="198.51.100.3").status_code == 200
    logs = db.scalars(select(ActivityLog).where(ActivityLog.action == "auth.lockout",
                                                ActivityLog.resource_id == owner.id)).all()
    assert [log.metadata_["scope"] for log in logs] == ["account"]


def test_the_device_cookie_is_httponly_strict_and_long_lived(client, owner):
    res = login(client, owner.username)
    cookie = next(h for h in res.headers.getlist("Set-Cookie") if h.startswith("fn_device="))
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/api/auth" in cookie
    assert "Max-Age=31536000" in cookie
    assert "Secure" not in cookie  # plain http here; over https (request.is_secure) it is Secure
    secure = client.post("/api/auth/login", json={"username": owner.username, "password": "Rahasia123!"},
                         base_url="https://localhost", environ_base={"REMOTE_ADDR": OWNER_IP})
    assert "Secure" in next(h for h in secure.headers.getlist("Set-Cookie") if h.startswith("fn_device="))


def test_a_device_cookie_is_bound_to_its_user_and_cannot_be_forged(bound_app, client, owner, mitra):
    assert login(client, mitra.username).status_code == 200  # this browser is known for the mitra only
    attack(bound_app, owner.username, [f"198.51.100.{n}" for n in range(20)])
    assert login(client, owner.username).status_code == 423  # not transferable to another username
    genuine = client.get_cookie("fn_device", path="/api/auth").value
    forged = bound_app.test_client()
    forged.set_cookie("fn_device", genuine[:-3] + ("AAA" if not genuine.endswith("AAA") else "BBB"),
                      path="/api/auth")
    assert login(forged, owner.username).status_code == 423


def test_a_known_browser_is_still_limited_to_five_guesses_of_its_own(client, owner):
    assert login(client, owner.username).status_code == 200
    assert [login(client, owner.username, "salah").status_code for _ in range(5)] == [401] * 5
    assert login(client, owner.username).status_code == 423


def test_a_lockout_is_recorded_for_the_owner(bound_app, db, owner):
    attack(bound_app, owner.username, ["203.0.113.9"], per_ip=5)
    log = db.scalar(select(ActivityLog).where(ActivityLog.action == "auth.lockout",
                                              ActivityLog.resource_id == owner.id))
    assert log is not None and log.user_id is None
    assert log.metadata_ == {"username": owner.username, "ip": "203.0.113.9", "scope": "client",
                             "lockoutMinutes": 15}
    assert log.ip_address == "203.0.113.9"


def test_after_an_attack_the_owner_is_told_once_on_login(bound_app, client, owner):
    assert login(client, owner.username).status_code == 200
    attack(bound_app, owner.username, ["203.0.113.4"], per_ip=2)
    attack(bound_app, owner.username, ["203.0.113.5"], per_ip=5)
    first = login(client, owner.username)
    assert first.status_code == 200
    notice = first.json["securityNotice"]
    assert notice["failedAttempts"] == 7 and notice["lastFailedIp"] == "203.0.113.5"
    assert notice["message"].startswith("Ada 7 percobaan login gagal ke akun Anda sejak login terakhir "
                                        "(terakhir dari 203.0.113.5, ")
    assert notice["message"].endswith(" WIB).")
    assert login(client, owner.username).json["securityNotice"] is None  # shown once


def test_the_owners_own_typos_on_a_known_browser_raise_no_alarm(client, owner):
    assert login(client, owner.username).status_code == 200
    login(client, owner.username, "salah")
    assert login(client, owner.username).json["securityNotice"] is None


def test_the_notice_time_is_wib_in_indonesian():
    from shared.services.auth import format_local_datetime

    assert format_local_datetime(datetime(2026, 12, 2, 3, 15, tzinfo=UTC)) == "2 Des 2026 10.15 WIB"


def test_the_per_ip_throttle_still_applies_to_unknown_clients(bound_app, monkeypatch, make_user):
    from shared.config import get_settings

    monkeypatch.setattr(get_settings(), "login_ip_max_failures", 3)
    victims = [make_user() for _ in range(4)]
    statuses = [login(bound_app.test_client(), v.username, "salah", ip="203.0.113.50").status_code for v in victims]
    assert statuses == [401, 401, 401, 429]

