"""Sessions (one login = one refresh-token family): revocation reaches the access tokens; reuse has a grace window."""

import threading
from datetime import timedelta

import pytest
from sqlalchemy import delete, func, select, update

from shared.db import get_sessionmaker, session_scope
from shared.models import ActivityLog, LoginAttempt, RefreshToken, User
from shared.security import token_digest
from shared.services.auth import issue_refresh_token
from tests.fixtures.imports import committed_world  # noqa: F401  (committed users, removed afterwards)


@pytest.fixture
def real_app(app):
    """The app with real sessions (committed), unlike the rolled-back `client` fixtures."""
    rolled_back = app.extensions["db_sessionmaker"]
    app.extensions["db_sessionmaker"] = get_sessionmaker()
    yield app
    app.extensions["db_sessionmaker"] = rolled_back


def login(client, username, password="Rahasia123!", ip="10.0.0.1"):
    res = client.post("/api/auth/login", json={"username": username, "password": password},
                      environ_base={"REMOTE_ADDR": ip})
    assert res.status_code == 200, res.json
    return res.json


def bearer(pair):
    return {"Authorization": f"Bearer {pair['accessToken']}"}


def refresh(client, token):
    return client.post("/api/auth/refresh", json={"refreshToken": token})


def age_rotation(db, token, seconds=31):
    """Pretend `token` was rotated `seconds` ago (past the grace window)."""
    db.execute(update(RefreshToken).where(RefreshToken.token == token_digest(token))
               .values(revoked_at=RefreshToken.revoked_at - timedelta(seconds=seconds)))


def reuse_logs(db, user):
    return db.scalar(select(func.count()).where(ActivityLog.action == "auth.refresh_token_reuse",
                                                ActivityLog.resource_id == user.id))


def test_a_password_change_ends_the_other_sessions_but_not_its_own(client, mitra):
    session_a = login(client, mitra.username)
    session_b = login(client, mitra.username)
    res = client.patch("/api/auth/me", json={"currentPassword": "Rahasia123!", "newPassword": "BaruSekali9"},
                       headers=bearer(session_b))
    assert res.status_code == 200
    # Session A (someone who knew the old password) is out: its refresh token and its access token.
    assert refresh(client, session_a["refreshToken"]).status_code == 401
    me = client.get("/api/auth/me", headers=bearer(session_a))
    assert me.status_code == 401 and me.json["error"]["code"] == "session_revoked"
    # Session B, which changed it, carries on.
    assert client.get("/api/auth/me", headers=bearer(session_b)).status_code == 200
    assert refresh(client, session_b["refreshToken"]).status_code == 200


def test_an_admin_password_reset_ends_the_mitras_access_tokens_too(client, superadmin_client, mitra):
    session = login(client, mitra.username)
    assert superadmin_client.patch(f"/api/users/{mitra.id}", json={"password": "Direset123"}).status_code == 200
    assert client.get("/api/auth/me", headers=bearer(session)).status_code == 401


def test_deactivation_ends_every_session_and_a_later_refresh_is_not_a_reuse_attack(
        client, db, superadmin_client, mitra):
    sessions = [login(client, mitra.username) for _ in range(2)]
    assert superadmin_client.delete(f"/api/users/{mitra.id}").status_code in (200, 204)
    assert db.scalar(select(func.count()).where(RefreshToken.user_id == mitra.id,
                                                RefreshToken.revoked_at.is_(None))) == 0
    for session in sessions:
        res = refresh(client, session["refreshToken"])
        assert res.status_code == 401 and res.json["error"]["code"] == "inactive_user"
        assert client.get("/api/auth/me", headers=bearer(session)).status_code == 401
    assert reuse_logs(db, mitra) == 0


def test_logout_ends_the_sessions_access_token(client, mitra):
    session = login(client, mitra.username)
    assert client.post("/api/auth/logout", json={"refreshToken": session["refreshToken"]}).status_code == 204
    assert client.get("/api/auth/me", headers=bearer(session)).status_code == 401
    # Presented again at once, a logged-out token gets no successor (the grace window is for rotations only).
    res = refresh(client, session["refreshToken"])
    assert res.status_code == 401 and res.json["error"]["code"] == "session_revoked"


def test_a_reused_token_within_the_grace_window_gets_the_same_successor(client, db, mitra):
    first = login(client, mitra.username)["refreshToken"]
    tab_a = refresh(client, first)
    tab_b = refresh(client, first)  # the second tab, or a retry after a lost response
    assert tab_a.status_code == tab_b.status_code == 200
    assert tab_a.json["refreshToken"] == tab_b.json["refreshToken"] != first
    assert client.get("/api/auth/me", headers=bearer(tab_b.json)).status_code == 200
    assert reuse_logs(db, mitra) == 0
    # Tab A rotated again meanwhile: tab B's stale token still lands on the family's live token.
    third = refresh(client, tab_a.json["refreshToken"]).json["refreshToken"]
    assert refresh(client, first).json["refreshToken"] == third
    # No plaintext successor is stored: only digests.
    stored = db.scalars(select(RefreshToken.token).where(RefreshToken.user_id == mitra.id)).all()
    assert third not in stored and token_digest(third) in stored


def test_reuse_after_the_grace_window_revokes_that_login_only(client, db, mitra):
    phone = login(client, mitra.username)
    laptop = login(client, mitra.username)
    rotated = refresh(client, phone["refreshToken"]).json
    age_rotation(db, phone["refreshToken"])
    res = refresh(client, phone["refreshToken"])  # the stolen copy, replayed later
    assert res.status_code == 401 and res.json["error"]["code"] == "refresh_token_reused"
    assert reuse_logs(db, mitra) == 1
    # That family is gone, refresh and access tokens alike ...
    assert refresh(client, rotated["refreshToken"]).status_code == 401
    assert client.get("/api/auth/me", headers=bearer(rotated)).status_code == 401
    # ... the user's other device is untouched.
    assert client.get("/api/auth/me", headers=bearer(laptop)).status_code == 200
    assert refresh(client, laptop["refreshToken"]).status_code == 200


def test_two_concurrent_refreshes_of_one_token_both_get_the_same_successor(real_app, committed_world):  # noqa: F811
    with session_scope() as session:
        user = session.get(User, committed_world.mitra_id)
        token = issue_refresh_token(session, user=user, ip="10.0.0.1", user_agent="uji")
    start = threading.Barrier(2)
    results = [None, None]

    def spend(n: int) -> None:
        client = real_app.test_client()
        start.wait()
        res = client.post("/api/auth/refresh", json={"refreshToken": token})
        results[n] = (res.status_code, res.json.get("refreshToken"), res.json.get("accessToken"))

    threads = [threading.Thread(target=spend, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    try:
        assert [status for status, _, _ in results] == [200, 200], results
        assert results[0][1] == results[1][1] != token
        with session_scope() as session:
            live = session.scalars(select(RefreshToken).where(RefreshToken.user_id == committed_world.mitra_id,
                                                              RefreshToken.revoked_at.is_(None))).all()
            assert [row.token for row in live] == [token_digest(results[0][1])]
    finally:
        with session_scope() as session:
            session.execute(delete(LoginAttempt).where(LoginAttempt.user_agent == "uji"))


def test_a_logged_out_sessions_access_token_cannot_open_a_socket(bound_app, client, mitra):
    from api.extensions import socketio

    session = login(client, mitra.username)
    live = socketio.test_client(bound_app, auth={"token": session["accessToken"]})
    assert live.is_connected()
    live.disconnect()
    client.post("/api/auth/logout", json={"refreshToken": session["refreshToken"]})
    assert not socketio.test_client(bound_app, auth={"token": session["accessToken"]}).is_connected()
