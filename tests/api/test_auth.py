from datetime import timedelta

from sqlalchemy import func, select, update

from shared.models import ActivityLog, LoginAttempt, RefreshToken
from shared.security import token_digest


def login(client, username, password="Rahasia123!", ip="10.0.0.1"):
    return client.post("/api/auth/login", json={"username": username, "password": password},
                       environ_base={"REMOTE_ADDR": ip})


def test_login_returns_token_pair_and_user(client, mitra):
    res = login(client, mitra.username)
    assert res.status_code == 200, res.json
    body = res.json
    assert body["user"]["username"] == mitra.username
    assert body["user"]["businessName"] == mitra.business_name
    assert "passwordHash" not in body["user"]
    me = client.get("/api/auth/me", headers={"Authorization": f"Bearer {body['accessToken']}"})
    assert me.status_code == 200 and me.json["id"] == str(mitra.id)


def test_login_records_every_attempt(client, db, mitra):
    login(client, mitra.username, "salah-password")
    login(client, mitra.username)
    attempts = db.scalars(select(LoginAttempt).where(LoginAttempt.username == mitra.username)
                          .order_by(LoginAttempt.created_at)).all()
    assert [a.success for a in attempts] == [False, True]
    assert attempts[0].ip_address == "10.0.0.1"


def test_wrong_password_is_401_with_indonesian_message(client, mitra):
    res = login(client, mitra.username, "salah")
    assert res.status_code == 401
    assert res.json["error"]["code"] == "invalid_credentials"
    assert "salah" in res.json["error"]["message"]


def test_five_failures_lock_the_username_for_15_minutes(client, mitra):
    for _ in range(4):
        assert login(client, mitra.username, "salah").status_code == 401
    fifth = login(client, mitra.username, "salah")  # spec: 5 failures are allowed, then the lock
    assert fifth.status_code == 401 and "dikunci sementara selama 15 menit" in fifth.json["error"]["message"]
    res = login(client, mitra.username)  # the 6th attempt, even with the right password, is refused
    assert res.status_code == 423
    assert res.json["error"]["details"]["retryAfterMinutes"] == 15
    assert "15 menit" in res.json["error"]["message"]


def test_lockout_expires_after_the_window(client, db, mitra):
    for _ in range(5):
        login(client, mitra.username, "salah")
    for attempt in db.scalars(select(LoginAttempt).where(LoginAttempt.username == mitra.username)):
        attempt.created_at = attempt.created_at - timedelta(minutes=16)
    db.flush()
    assert login(client, mitra.username).status_code == 200


def test_lockout_of_one_username_does_not_lock_another_on_the_same_ip(client, mitra, other_mitra):
    for _ in range(5):
        login(client, mitra.username, "salah", ip="10.9.9.9")
    assert login(client, other_mitra.username, ip="10.9.9.9").status_code == 200


def test_deactivated_user_cannot_log_in(client, db, mitra):
    mitra.is_active = False
    db.flush()
    res = login(client, mitra.username)
    assert res.status_code == 401
    assert "dinonaktifkan" in res.json["error"]["message"]


def test_refresh_rotates_and_reuse_revokes_the_family(client, db, mitra):
    first = login(client, mitra.username).json["refreshToken"]
    res = client.post("/api/auth/refresh", json={"refreshToken": first})
    assert res.status_code == 200
    second = res.json["refreshToken"]
    assert second != first
    # Reusing the rotated token after the grace window is treated as theft: that session (family) is revoked.
    db.execute(update(RefreshToken).where(RefreshToken.token == token_digest(first))
               .values(revoked_at=RefreshToken.revoked_at - timedelta(seconds=31)))
    reuse = client.post("/api/auth/refresh", json={"refreshToken": first})
    assert reuse.status_code == 401 and reuse.json["error"]["code"] == "refresh_token_reused"
    assert client.post("/api/auth/refresh", json={"refreshToken": second}).status_code == 401
    active = db.scalar(select(func.count()).where(RefreshToken.user_id == mitra.id, RefreshToken.revoked_at.is_(None)))
    assert active == 0


def test_refresh_tokens_are_stored_hashed_with_agent_and_ip(client, db, mitra):
    token = client.post("/api/auth/login", json={"username": mitra.username, "password": "Rahasia123!"},
                        headers={"User-Agent": "HP Android"}, environ_base={"REMOTE_ADDR": "10.1.2.3"}
                        ).json["refreshToken"]
    stored = db.scalar(select(RefreshToken).where(RefreshToken.user_id == mitra.id))
    assert stored.token == token_digest(token) and stored.token != token
    assert stored.user_agent == "HP Android" and stored.ip_address == "10.1.2.3"
    assert timedelta(days=6, hours=23) < stored.expires_at - stored.created_at <= timedelta(days=7, minutes=1)


def test_deactivated_user_cannot_refresh(client, db, mitra):
    token = login(client, mitra.username).json["refreshToken"]
    mitra.is_active = False
    db.flush()
    assert client.post("/api/auth/refresh", json={"refreshToken": token}).status_code == 401


def test_deactivated_user_access_token_stops_working(mitra_client, db, mitra):
    mitra.is_active = False
    db.flush()
    assert mitra_client.get("/api/auth/me").status_code == 401


def test_logout_revokes_the_refresh_token(client, mitra):
    token = login(client, mitra.username).json["refreshToken"]
    assert client.post("/api/auth/logout", json={"refreshToken": token}).status_code == 204
    assert client.post("/api/auth/refresh", json={"refreshToken": token}).status_code == 401


def test_access_token_expires_after_15_minutes(app):
    assert app.config["JWT_ACCESS_TOKEN_EXPIRES"] == timedelta(minutes=15)


def test_change_password_requires_current_password(mitra_client, client, mitra):
    res = mitra_client.patch("/api/auth/me", json={"currentPassword": "keliru", "newPassword": "BaruSekali9"})
    assert res.status_code == 422
    assert "currentPassword" in res.json["error"]["details"]["fields"]
    res = mitra_client.patch("/api/auth/me", json={"currentPassword": "Rahasia123!", "newPassword": "BaruSekali9"})
    assert res.status_code == 200
    assert login(client, mitra.username, "BaruSekali9").status_code == 200


def test_mitra_updates_own_bank_details_and_it_is_audited(mitra_client, db, mitra):
    res = mitra_client.patch("/api/auth/me", json={"bankName": "BRI", "bankAccount": "0123456789",
                                                  "bankHolder": "Budi Santoso", "name": "Budi S."})
    assert res.status_code == 200
    assert res.json["bankName"] == "BRI" and res.json["name"] == "Budi S."
    log = db.scalar(select(ActivityLog).where(ActivityLog.action == "profile.update",
                                              ActivityLog.user_id == mitra.id))
    assert set(log.metadata_["fields"]) == {"bank_name", "bank_account", "bank_holder", "name"}


def test_profile_rejects_unknown_fields(mitra_client):
    res = mitra_client.patch("/api/auth/me", json={"role": "superadmin"})
    assert res.status_code == 422
    assert "role" in res.json["error"]["details"]["fields"]


def test_login_is_rate_limited_per_ip_and_username(client, mitra):
    statuses = [login(client, "tidak-ada", "x", ip="10.7.7.7").status_code for _ in range(12)]
    assert 429 in statuses
    # Another username from the same IP still gets through the per-username limit.
    assert login(client, mitra.username, ip="10.7.7.7").status_code == 200
