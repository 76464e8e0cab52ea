"""Socket.IO pushes to one user's room (`user:<id>`) from any process, through the Redis message queue.

The API's Flask-SocketIO server listens on the Redis channel `flask-socketio` (its default); this module
publishes there with python-socketio's write-only `RedisManager`, which is what `SocketIO(message_queue=...)`
builds without an app, minus the Flask import that `shared/` must not have. The emitter is created lazily, once
per process.

When `settings.socketio_message_queue` is false (tests; the in-process test client cannot use a queue) nothing
is published: every emit is appended to `recorded` as `(event, payload, room)` instead, so tests can assert what
would have reached the browser. `listeners` (callables taking the same three arguments) are called for every
emit in both modes.
"""

import logging
import threading
import uuid
from collections.abc import Callable
from typing import Any

from shared.config import get_settings

log = logging.getLogger(__name__)

SOCKETIO_CHANNEL = "flask-socketio"

recorded: list[tuple[str, dict, str]] = []
listeners: list[Callable[[str, dict, str], None]] = []

_lock = threading.Lock()
_manager: Any = None


def user_room(user_id: uuid.UUID | str) -> str:
    """The room a user's sockets join (the same as api.socket_events.user_room, which shared/ cannot import)."""
    return f"user:{user_id}"


def _emitter() -> Any:
    global _manager
    with _lock:
        if _manager is None:
            import socketio

            # Timeouts: an emit must not hold up its request or task when Redis hangs instead of refusing.
            _manager = socketio.RedisManager(get_settings().redis_url, channel=SOCKETIO_CHANNEL, write_only=True,
                                             redis_options={"socket_connect_timeout": 2, "socket_timeout": 2})
        return _manager


def emit(event: str, payload: dict, user_id: uuid.UUID | str) -> None:
    """Push `event` to the user's room; never raises (a missed push is caught up by the UI's polling)."""
    room = user_room(user_id)
    for listener in listeners:
        listener(event, payload, room)
    if not get_settings().socketio_message_queue:
        recorded.append((event, payload, room))
        return
    try:
        _emitter().emit(event, payload, namespace="/", room=room)
    except Exception:
        log.warning("Socket.IO emit %s to %s failed", event, room, exc_info=True)
