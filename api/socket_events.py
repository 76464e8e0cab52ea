"""Socket.IO: clients authenticate with their access token and join a room of their own."""

import uuid

from flask import current_app, request
from flask_jwt_extended import decode_token
from flask_socketio import SocketIO, join_room
from jwt import PyJWTError


def user_room(user_id: str) -> str:
    return f"user:{user_id}"


def on_connect(auth):
    """Accept a connection only with a valid access token in the `auth` payload."""
    token = (auth or {}).get("token") if isinstance(auth, dict) else None
    if not token:
        return False
    try:
        claims = decode_token(token)
    except PyJWTError:
        return False
    if _session_ended(claims):
        return False
    # Workers emit to this room through the Redis message queue (DESIGN.md §7).
    join_room(user_room(claims["sub"]), sid=request.sid)
    return True


def _session_ended(claims: dict) -> bool:
    """A token of a logged-out or revoked session (its `sid`), or of a deactivated user, may not subscribe."""
    from shared.models import User
    from shared.services.auth import session_is_alive

    if not claims.get("sid"):
        return False  # minted without a session (scripts, tests): the signature is all there is to check
    session = current_app.extensions["db_sessionmaker"]()
    try:
        user = session.get(User, uuid.UUID(claims["sub"]))
        return user is None or not user.is_active or not session_is_alive(session, uuid.UUID(claims["sid"]))
    except ValueError:
        return True
    finally:
        session.close()


def register(socketio: SocketIO) -> None:
    """Attach the handlers to the server `socketio.init_app` just built (a decorator would bind only the first)."""
    socketio.on_event("connect", on_connect)
