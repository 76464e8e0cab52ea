"""Commands to the WA worker over Redis pub/sub (channel `wa:commands`), and replies through Redis lists.

Messages are JSON with camelCase keys: `{"cmd": "scan", "sessionId": "..."}` (docs/whatsapp-engine.md).
Pub/sub is fire-and-forget, so commands only hurry the worker along: the database stays the truth and the
worker reconciles to it on its own every few seconds. A question that needs an answer (`check_number`) goes
with `reply=<list key>`; the worker `LPUSH`es the answer there and the asker `BLPOP`s it.
"""

import json
import logging
import uuid
from collections.abc import Iterator
from typing import Any

import redis
from sqlalchemy import event
from sqlalchemy.orm import Session

from shared.errors import ServiceUnavailable
from shared.jobs import redis_client
from shared.naming import camelcase

log = logging.getLogger(__name__)

CHANNEL = "wa:commands"
REPLY_PREFIX = "wa:reply:"
REPLY_TTL_SECONDS = 60
WORKER_UNAVAILABLE = "WA worker tidak merespons. Coba lagi sebentar lagi."


def _unavailable() -> ServiceUnavailable:
    return ServiceUnavailable(WORKER_UNAVAILABLE, code="wa_worker_unavailable")


def publish(cmd: str, **fields: Any) -> int:
    """Publish a command; return how many subscribers (WA workers) received it. snake_case keys become camelCase."""
    message = {"cmd": cmd, **{camelcase(key): str(value) if isinstance(value, uuid.UUID) else value
                              for key, value in fields.items()}}
    try:
        return int(redis_client().publish(CHANNEL, json.dumps(message)))
    except redis.RedisError as exc:
        raise _unavailable() from exc


def publish_after_commit(session: Session, cmd: str, **fields: Any) -> None:
    """Publish a command once `session`'s transaction commits (never for a rolled-back one).

    A command that cannot be published is only logged: the worker reconciles to the database on its own, so a lost
    command delays it by a few seconds and never breaks the caller.
    """

    def publish_now(_session: Session) -> None:
        try:
            publish(cmd, **fields)
        except Exception:
            log.warning("WA command %s not published; the worker reconciles on its own", cmd, exc_info=True)

    event.listen(session, "after_commit", publish_now, once=True)


def request(cmd: str, *, timeout: float = 15.0, **fields: Any) -> dict:
    """Publish a command with a reply key and wait for the worker's answer; 503 when no worker answers."""
    key = f"{REPLY_PREFIX}{uuid.uuid4()}"
    if publish(cmd, reply=key, **fields) == 0:
        raise _unavailable()
    try:
        # BLPOP takes whole seconds on old servers; a float works on Redis/Valkey ≥ 6.
        answer = redis_client().blpop([key], timeout=max(timeout, 0.01))
    except redis.RedisError as exc:
        raise _unavailable() from exc
    if answer is None:
        raise _unavailable()
    return json.loads(answer[1])


def reply(key: str, payload: dict) -> None:
    """Answer a request: the asker is BLPOPing `key`; the list expires if nobody is waiting any more."""
    client = redis_client()
    with client.pipeline() as pipe:
        pipe.lpush(key, json.dumps(payload))
        pipe.expire(key, REPLY_TTL_SECONDS)
        pipe.execute()


class Subscription:
    """The worker's end of the channel: iterate for commands, `close()` to stop."""

    def __init__(self) -> None:
        self._pubsub = redis_client().pubsub(ignore_subscribe_messages=True)
        self._pubsub.subscribe(CHANNEL)

    def get(self, timeout: float = 1.0) -> dict | None:
        """The next command, or None after `timeout` seconds without one (malformed messages are dropped)."""
        message = self._pubsub.get_message(timeout=timeout)
        if not message or message.get("type") != "message":
            return None
        try:
            command = json.loads(message["data"])
        except (TypeError, ValueError):
            return None
        return command if isinstance(command, dict) and "cmd" in command else None

    def __iter__(self) -> Iterator[dict]:
        while True:
            command = self.get()
            if command is not None:
                yield command

    def close(self) -> None:
        self._pubsub.close()


def subscribe() -> Subscription:
    """Subscribe to the command channel (the WA worker does this once at start)."""
    return Subscription()
