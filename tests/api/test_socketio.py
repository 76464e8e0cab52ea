from flask_jwt_extended import create_access_token

from api.extensions import socketio


def test_socket_connection_without_token_is_refused(app):
    client = socketio.test_client(app, auth={})
    assert not client.is_connected()


def test_socket_connection_with_bad_token_is_refused(app):
    client = socketio.test_client(app, auth={"token": "bukan-token"})
    assert not client.is_connected()


def test_socket_connection_joins_the_users_room_and_receives_its_events(app, mitra, other_mitra):
    with app.app_context():
        token = create_access_token(identity=str(mitra.id))
        other = create_access_token(identity=str(other_mitra.id))
    mine = socketio.test_client(app, auth={"token": token})
    theirs = socketio.test_client(app, auth={"token": other})
    assert mine.is_connected() and theirs.is_connected()
    socketio.emit("wa:status", {"status": "connected"}, to=f"user:{mitra.id}")
    assert [e["name"] for e in mine.get_received()] == ["wa:status"]
    assert theirs.get_received() == []
    mine.disconnect()
    theirs.disconnect()


def _login(client, username, password="Rahasia123!"):
    res = client.post("/api/auth/login", json={"username": username, "password": password})
    assert res.status_code == 200, res.json
    return res.json


def test_logout_closes_that_sessions_open_socket_at_once(app, client, mitra):
    session = _login(client, mitra.username)
    other = _login(client, mitra.username)  # the same mitra on a second phone
    mine = socketio.test_client(app, auth={"token": session["accessToken"]})
    second_phone = socketio.test_client(app, auth={"token": other["accessToken"]})
    assert mine.is_connected() and second_phone.is_connected()

    assert client.post("/api/auth/logout", json={"refreshToken": session["refreshToken"]}).status_code == 204

    assert not mine.is_connected()
    assert second_phone.is_connected()  # only the session that logged out
    socketio.emit("wa:status", {"status": "connected"}, to=f"user:{mitra.id}")
    assert [e["name"] for e in second_phone.get_received()] == ["wa:status"]
    second_phone.disconnect()


def test_deactivation_closes_every_socket_of_the_user(app, client, superadmin_client, mitra):
    sockets = [socketio.test_client(app, auth={"token": _login(client, mitra.username)["accessToken"]})
               for _ in range(2)]
    assert all(s.is_connected() for s in sockets)
    assert superadmin_client.delete(f"/api/users/{mitra.id}").status_code in (200, 204)
    assert not any(s.is_connected() for s in sockets)


def test_a_password_change_closes_the_other_sessions_sockets_but_not_its_own(app, client, mitra):
    own = _login(client, mitra.username)
    stolen = _login(client, mitra.username)
    own_socket = socketio.test_client(app, auth={"token": own["accessToken"]})
    stolen_socket = socketio.test_client(app, auth={"token": stolen["accessToken"]})
    res = client.patch("/api/auth/me", headers={"Authorization": f"Bearer {own['accessToken']}"},
                       json={"currentPassword": "Rahasia123!", "newPassword": "GantiBaru456!"})
    assert res.status_code == 200, res.json
    assert own_socket.is_connected()
    assert not stolen_socket.is_connected()
    own_socket.disconnect()


def test_a_closed_socket_is_forgotten(app, client, mitra):
    from flask_jwt_extended import decode_token

    from api.socket_events import session_sockets_key
    from shared.jobs import redis_client

    session = _login(client, mitra.username)
    with app.app_context():
        sid = decode_token(session["accessToken"])["sid"]
    sock = socketio.test_client(app, auth={"token": session["accessToken"]})
    assert redis_client().scard(session_sockets_key(sid)) == 1
    sock.disconnect()
    assert redis_client().scard(session_sockets_key(sid)) == 0
