"""The test-only simulated clock of one number: set through the API under APP_ENV=test/e2e, absent otherwise."""

from datetime import datetime, timedelta

from shared.config import get_settings
from shared.timeutil import WIB, utcnow
from shared.wa import outbox, testclock

NIGHT = datetime(2030, 3, 4, 22, 0, tzinfo=WIB)


def test_a_user_moves_only_their_own_numbers_clock(mitra_client, db, mitra, other_mitra):
    res = mitra_client.put("/api/test/wa-clock", json={"at": NIGHT.isoformat()})
    assert res.status_code == 200, res.json
    mine = outbox.get_or_create_session(db, mitra.id).id
    theirs = outbox.get_or_create_session(db, other_mitra.id).id
    try:
        assert res.json["sessionId"] == str(mine)
        assert abs(testclock.now(mine) - NIGHT) < timedelta(seconds=5)
        assert abs(testclock.now(theirs) - utcnow()) < timedelta(seconds=5)
        assert abs(testclock.clock_for(mine)() - NIGHT) < timedelta(seconds=5)
        assert mitra_client.put("/api/test/wa-clock", json={"at": "2030-03-04T22:00"}).status_code == 422
        assert mitra_client.put("/api/test/wa-clock", json={"at": "besok"}).status_code == 422
    finally:
        assert mitra_client.delete("/api/test/wa-clock").status_code == 200
    assert abs(testclock.now(mine) - utcnow()) < timedelta(seconds=5)


def test_the_route_needs_a_login(client):
    assert client.put("/api/test/wa-clock", json={"at": NIGHT.isoformat()}).status_code == 401


def test_outside_test_and_e2e_there_is_no_route_and_no_simulated_time(session_factory, monkeypatch, db, mitra):
    from api.app import create_app

    production_like = get_settings().model_copy(update={"app_env": "development"})
    app = create_app(production_like, session_factory=session_factory)
    assert app.test_client().put("/api/test/wa-clock", json={"at": NIGHT.isoformat()}).status_code == 404
    assert "/api/test/wa-clock" not in app.extensions["openapi"].spec.to_dict()["paths"]
    session_id = outbox.get_or_create_session(db, mitra.id).id
    testclock.set_time(session_id, NIGHT)  # as if a test had left one behind
    try:
        monkeypatch.setattr(testclock, "get_settings", lambda: production_like)
        assert testclock.clock_for(session_id) is utcnow
        assert abs(testclock.now(session_id) - utcnow()) < timedelta(seconds=5)
    finally:
        monkeypatch.undo()
        testclock.reset(session_id)
