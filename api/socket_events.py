"""Socket.IO: clients authenticate with their access token and join a room of their own.

A connection is remembered under its login session (the token's `sid`) in Redis, so that ending the session
(logout, a stolen refresh token, deactivation, a password change) closes the connection at once on whichever API
replica holds it, instead of letting it receive pushes until the socket happens to drop.
"""

import logging
import threading
import uuid
from datetime import timedelta

import redis
from flask import current_app, request
from flask_jwt_extended import decode_token
from flask_socketio import SocketIO, join_room
from jwt import PyJWTError

from shared.config import get_settings
from shared.jobs import redis_client

log = logging.getLogger(__name__)

SESSION_SOCKETS_PREFIX = "socketio:session:"
_lock = threading.Lock()
_local_sessions: dict[str, str] = {}  # socket sid -> session id, for this process's connections


def session_sockets_key(session_id: uuid.UUID | str) -> str:
    return f"{SESSION_SOCKETS_PREFIX}{session_id}"


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
    if claims.get("sid"):
        _remember(claims["sid"], request.sid)
    return True


def _remember(session_id: str, socket_sid: str) -> None:
    with _lock:
        _local_sessions[socket_sid] = session_id
    key = session_sockets_key(session_id)
    ttl = int(timedelta(days=get_settings().refresh_token_days).total_seconds())
    try:
        with redis_client().pipeline() as pipe:
            pipe.sadd(key, socket_sid).expire(key, ttl).execute()
    except redis.RedisError:
        # Without Redis the connection still works; only an early close on revocation is lost.
        log.warning("could not record socket %s of session %s", socket_sid, session_id, exc_info=True)


def on_disconnect(*_reason):
    with _lock:
        session_id = _local_sessions.pop(request.sid, None)
    if session_id is None:
        return
    try:
        redis_client().srem(session_sockets_key(session_id), request.sid)
    except redis.RedisError:
        pass  # a stale member is harmless: disconnecting a socket that is gone does nothing


def close_sessions(socketio: SocketIO, session_ids: list[uuid.UUID]) -> None:
    """Disconnect every socket of these sessions, on this replica or (through the message queue) another."""
    try:
        client = redis_client()
        with client.pipeline() as pipe:
            for session_id in session_ids:
                pipe.smembers(session_sockets_key(session_id))
                pipe.delete(session_sockets_key(session_id))
            replies = pipe.execute()
    except redis.RedisError:
        log.warning("could not look up the sockets of ended sessions %s", session_ids, exc_info=True)
        return
    for socket_sids in replies[::2]:
        for socket_sid in socket_sids:
            socketio.server.disconnect(socket_sid, namespace="/")


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
    from shared.services.auth import session_end_listeners

    socketio.on_event("connect", on_connect)
    socketio.on_event("disconnect", on_disconnect)
    session_end_listeners[:] = [lambda session_ids: close_sessions(socketio, session_ids)]
