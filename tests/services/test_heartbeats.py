"""Process heartbeats: the last beat counts, stale ones are not alive, old ones are pruned."""

from datetime import timedelta

from sqlalchemy import update

from shared import heartbeats
from shared.models import ServiceHeartbeat
from shared.timeutil import utcnow


def test_a_beat_marks_the_instance_alive_and_keeps_its_start(db):
    heartbeats.beat(db, "worker", instance="host-a:1", info={"queues": ["billing"]})
    first = db.get(ServiceHeartbeat, ("worker", "host-a:1"))
    started = first.started_at
    heartbeats.beat(db, "worker", instance="host-a:1", info={"queues": ["billing", "exports"]})
    db.expire_all()
    row = db.get(ServiceHeartbeat, ("worker", "host-a:1"))
    assert row.started_at == started
    assert row.info == {"queues": ["billing", "exports"]}
    assert [r.instance for r in heartbeats.alive(db, "worker")] == ["host-a:1"]


def test_a_stale_beat_is_not_alive_and_the_host_filter_applies(db):
    heartbeats.beat(db, "wa", instance="host-a:1")
    heartbeats.beat(db, "wa", instance="host-b:2")
    db.execute(update(ServiceHeartbeat).where(ServiceHeartbeat.instance == "host-a:1")
               .values(beat_at=utcnow() - timedelta(seconds=heartbeats.STALE_SECONDS + 1)))
    assert [r.instance for r in heartbeats.alive(db, "wa")] == ["host-b:2"]
    assert heartbeats.alive(db, "wa", host="host-a") == []
    assert [r.instance for r in heartbeats.alive(db, "wa", host="host-b")] == ["host-b:2"]


def test_forget_and_prune_remove_rows(db):
    heartbeats.beat(db, "beat", instance="host-a:1")
    heartbeats.beat(db, "beat", instance="host-a:2")
    heartbeats.forget(db, "beat", instance="host-a:1")
    db.execute(update(ServiceHeartbeat).where(ServiceHeartbeat.instance.startswith("host-a:"))
               .values(beat_at=utcnow() - timedelta(days=2)))
    heartbeats.beat(db, "beat", instance="host-a:3")  # fresh: kept
    assert heartbeats.prune(db) >= 1  # other tests' real workers may have left stale rows too
    assert [r.instance for r in db.query(ServiceHeartbeat).filter(ServiceHeartbeat.instance.startswith("host-a:"))] \
        == ["host-a:3"]
