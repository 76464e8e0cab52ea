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
