"""Test-only: move the caller's WhatsApp number's clock (shared/wa/testclock.py), for browser tests of waking hours.

Registered only when APP_ENV is test or e2e (api/app.py) and kept out of the OpenAPI document: in development and
production these URLs do not exist (404).
"""

from datetime import datetime

from flask import Blueprint, jsonify, request

from api.deps import current_user, db, login_required
from shared.errors import Invalid
from shared.wa import outbox, testclock

blp = Blueprint("testclock", __name__, url_prefix="/api/test")


def _answer(session_id):
    return jsonify({"sessionId": str(session_id), "now": testclock.now(session_id).isoformat()})


@blp.get("/wa-clock")
@login_required()
def get_clock():
    return _answer(outbox.get_or_create_session(db(), current_user().id).id)


@blp.put("/wa-clock")
@login_required()
def set_clock():
    """Body `{"at": "2030-03-04T22:00:00+07:00"}`: the caller's number now lives at that moment (and runs on)."""
    try:
        at = datetime.fromisoformat(str((request.get_json(silent=True) or {}).get("at")))
    except ValueError:
        raise Invalid.field("at", "Isi waktu ISO 8601 dengan zona waktu.") from None
    if at.tzinfo is None:
        raise Invalid.field("at", "Isi waktu ISO 8601 dengan zona waktu.")
    session_id = outbox.get_or_create_session(db(), current_user().id).id
    testclock.set_time(session_id, at)
    return _answer(session_id)


@blp.delete("/wa-clock")
@login_required()
def reset_clock():
    session_id = outbox.get_or_create_session(db(), current_user().id).id
    testclock.reset(session_id)
    return _answer(session_id)
