"""Run real WA worker processes on the simulator: many numbers on one, shared by three, one killed, no duplicates.

    python -m scripts.devenv exec -- .venv/bin/python -m bench.bench_wa_scale [--single 200] [--shared 300] [--workers 3]

Starts `python -m worker.wa` (WA_TRANSPORT=simulator) as separate processes and measures:
1. one worker, `--single` linked numbers: seconds until all are connected, the connections it holds
   (pg_stat_activity by application name), one direct message per number, and its SIGTERM stop time;
2. `--workers` workers, `--shared` numbers, started together: how the numbers are spread; with direct messages
   queued all along and two paced ones per number, `kill -9` of the busiest worker: seconds until all of its
   numbers are connected again elsewhere; then sends per wa_message_id (duplicates must be 0) and SIGTERM times.

3. waking hours: paced messages queued now must fall inside the default send window (07.00–21.00 WIB); queued
   at night they wait for the next morning. So that 2. measures pacing at any hour, its scratch database's window
   is widened to the whole day (00.00–23.59 WIB) for the run; a paced queue that does not drain is a failure.

It uses the scratch database `<name>_wa_bench` next to DATABASE_URL's (created and migrated when missing): a
simulator worker on the development database would take over its linked numbers and mark their queued messages
delivered without sending them. Its own users (`wabench_*`) with their sessions, queue rows and logs are deleted
at the end (and at the start, after an interrupted run); nothing else is touched.
"""

import argparse
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import datetime, timedelta

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, delete, func, make_url, select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from shared.config import REPO_ROOT, get_settings
from shared.models import Setting, User, UserRole, WaMessageLog, WaMessageQueue, WaSession, WaSessionStatus
from shared.models.heartbeat import ServiceHeartbeat
from shared.timeutil import utcnow
from shared.wa import outbox, pacing
from shared.wa.outbox import PacedItem

PREFIX = "wabench_"
STARTED: list["Worker"] = []
failures: list[str] = []


def scratch_url():
    url = make_url(get_settings().sqlalchemy_url)
    return url.set(database=f"{url.database}_wa_bench")


def prepare_database() -> Engine:
    url = scratch_url()
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if not conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": url.database}):
            conn.execute(text(f'CREATE DATABASE "{url.database}"'))
    admin.dispose()
    engine = create_engine(url, pool_size=4, connect_args={"options": "-c timezone=UTC"})
    config = Config(str(REPO_ROOT / "alembic.ini"))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
    return engine


def cleanup(engine: Engine) -> None:
    """Delete this benchmark's users and everything hanging from them; nothing else."""
    with Session(engine) as db:
        users = select(User.id).where(User.username.startswith(PREFIX))
        sessions = select(WaSession.id).where(WaSession.user_id.in_(users))
        db.execute(delete(WaMessageQueue).where(WaMessageQueue.session_id.in_(sessions)))
        db.execute(delete(WaMessageLog).where(WaMessageLog.user_id.in_(users)))
        db.execute(delete(User).where(User.id.in_(users)))
        for worker in STARTED:  # a killed worker leaves its heartbeat behind
            db.execute(delete(ServiceHeartbeat).where(ServiceHeartbeat.service == "wa",
                                                      ServiceHeartbeat.instance.like(f"%:{worker.pid}:%")))
        db.commit()


def set_window(engine: Engine, start: str | None, end: str | None) -> None:
    """The scratch database's send window (None: the default, 07.00–21.00 WIB)."""
    with Session(engine) as db:
        db.execute(delete(Setting).where(Setting.key.in_(outbox.WINDOW_KEYS)))
        if start and end:
            db.execute(insert(Setting), [{"key": "wa_send_window_start", "value": start},
                                         {"key": "wa_send_window_end", "value": end}])
        db.commit()
    outbox.forget_send_window()


def waking_hours(engine: Engine) -> None:
    """Paced rows queued now, under the default window, start inside it: now if it is open, else next morning."""
    set_window(engine, None, None)
    owner = create_numbers(engine, 1, 900)[0]
    now = utcnow()
    window = pacing.DEFAULT_WINDOW
    with Session(engine) as db:
        owner_id = db.scalar(select(WaSession.user_id).where(WaSession.id == owner))
        rows = outbox.queue_paced(db, owner_id=owner_id, items=[PacedItem(phone=f"6281399{n:05d}", content="Pesan")
                                                                for n in range(350)], now=now)
        times = [row.scheduled_at for row in rows]
        db.rollback()  # measured, not sent
    outside = [at for at in times if not window.contains(at)]
    first = min(times).astimezone(pacing.WIB)
    expected = window.next_open(now)
    print(f"\nwaking hours (default window {window.label()}), 350 paced messages queued at "
          f"{now.astimezone(pacing.WIB):%H.%M} WIB: first at {first:%d-%m %H.%M}, last at "
          f"{max(times).astimezone(pacing.WIB):%d-%m %H.%M} WIB; outside the window: {len(outside)}")
    if outside or first < expected - timedelta(seconds=1):
        raise SystemExit(f"paced messages planned outside waking hours: {len(outside)} (first {first})")


def create_numbers(engine: Engine, count: int, start: int) -> list[uuid.UUID]:
    """`count` mitra with a linked number each (the simulator resumes them without a QR)."""
    ids = []
    with Session(engine) as db:
        for n in range(start, start + count):
            user = User(username=f"{PREFIX}{n:04d}", password_hash="x", name=f"WA Bench {n}", role=UserRole.mitra,
                        business_name=f"WA Bench {n}", phone=f"628139{n:06d}")
            db.add(user)
            db.flush()
            wa = WaSession(user_id=user.id, enabled=True, status=WaSessionStatus.connected,
                           phone_number=f"628139{n:06d}", last_connected_at=utcnow())
            db.add(wa)
            db.flush()
            ids.append(wa.id)
        db.commit()
    return ids


class Worker:
    """One `python -m worker.wa` process on the simulator, logging to a file."""

    def __init__(self, log_dir: str, name: str):
        env = dict(os.environ, DATABASE_URL=scratch_url().render_as_string(hide_password=False),
                   WA_TRANSPORT="simulator", LOG_LEVEL="INFO", PYTHONUNBUFFERED="1")
        self.log_path = os.path.join(log_dir, f"{name}.log")
        self.log = open(self.log_path, "w")  # noqa: SIM115 — open for the process's life
        self.process = subprocess.Popen([sys.executable, "-m", "worker.wa"], env=env, cwd=REPO_ROOT,
                                        stdout=self.log, stderr=subprocess.STDOUT)
        self.pid = self.process.pid
        self.name = name
        STARTED.append(self)

    def owns(self, worker_id: str | None) -> bool:
        return worker_id is not None and worker_id.split(":")[1:2] == [str(self.pid)]

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 30.0) -> float:
        """Send `sig`; return the seconds until the process exited."""
        if self.process.poll() is not None:
            return 0.0
        started = time.monotonic()
        self.process.send_signal(sig)
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()
        return time.monotonic() - started


class Probe:
    """Samples the database while workers run: who holds what, and how many connections each worker has."""

    def __init__(self, engine: Engine, ids: list[uuid.UUID]):
        self.engine = engine
        self.ids = ids
        self.peak_connections: dict[int, int] = {}

    def sample_connections(self) -> dict[int, int]:
        with self.engine.connect() as conn:
            rows = conn.execute(text("SELECT application_name, count(*) FROM pg_stat_activity "
                                     "WHERE application_name LIKE 'fibernode-wa %' GROUP BY 1")).all()
        now = {int(name.split()[1]): n for name, n in rows}
        for pid, n in now.items():
            self.peak_connections[pid] = max(self.peak_connections.get(pid, 0), n)
        return now

    def holders(self, since: datetime) -> dict[uuid.UUID, tuple[str | None, bool]]:
        """Number → (worker_id, connected since `since`)."""
        with Session(self.engine) as db:
            rows = db.execute(select(WaSession.id, WaSession.worker_id, WaSession.status,
                                     WaSession.last_connected_at).where(WaSession.id.in_(self.ids))).all()
        return {sid: (worker, status == WaSessionStatus.connected and seen is not None and seen >= since)
                for sid, worker, status, seen in rows}

    def wait(self, done, timeout: float, interval: float = 0.25) -> float | None:
        """Seconds until `done()` holds (sampling connections meanwhile), or None after `timeout`."""
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            self.sample_connections()
            if done():
                return time.monotonic() - started
            time.sleep(interval)
        return None


class Traffic(threading.Thread):
    """Queues direct messages at `rate` per second from random numbers, as pays and manual sends would."""

    def __init__(self, engine: Engine, owners: list[uuid.UUID], rate: float):
        super().__init__(daemon=True)
        self.engine, self.owners, self.rate = engine, owners, rate
        self.stop = threading.Event()
        self.queued = self.refused = 0

    def run(self) -> None:
        rng = random.Random(8)
        while not self.stop.wait(1 / self.rate):
            with Session(self.engine) as db:
                try:
                    outbox.queue_direct(db, owner_id=rng.choice(self.owners), message_type="test",
                                        phone=f"62812{rng.randrange(10**7):07d}1", content="Nota bench")
                    db.commit()
                    self.queued += 1
                except outbox.WaNotConnected:
                    db.commit()  # the refusal's log row, as the API keeps it
                    self.refused += 1


def owners_of(engine: Engine, ids: list[uuid.UUID]) -> list[uuid.UUID]:
    with Session(engine) as db:
        return list(db.scalars(select(WaSession.user_id).where(WaSession.id.in_(ids))))


def outcome(engine: Engine, ids: list[uuid.UUID]) -> dict:
    with Session(engine) as db:
        statuses = dict(db.execute(select(WaMessageQueue.status, func.count()).where(
            WaMessageQueue.session_id.in_(ids)).group_by(WaMessageQueue.status)).all())
        per_message = select(WaMessageLog.wa_message_id, func.count().label("n")).where(
            WaMessageLog.session_id.in_(ids), WaMessageLog.status.in_(["delivered", "sent"])
        ).group_by(WaMessageLog.wa_message_id).subquery()
        duplicates = db.scalar(select(func.count()).select_from(per_message).where(per_message.c.n > 1))
        abandoned = db.scalar(select(func.count()).where(WaMessageQueue.session_id.in_(ids),
                                                         WaMessageQueue.error_message == outbox.ABANDONED))
    return {"statuses": statuses, "duplicates": duplicates, "abandoned": abandoned}


def settle(engine: Engine, ids: list[uuid.UUID], timeout: float, kinds=("direct",)) -> float | None:
    """Seconds until no row of `kinds` is pending or sending."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        with Session(engine) as db:
            left = db.scalar(select(func.count()).where(WaMessageQueue.session_id.in_(ids),
                                                        WaMessageQueue.kind.in_(kinds),
                                                        WaMessageQueue.status.in_(["pending", "sending"])))
        if not left:
            return time.monotonic() - started
        time.sleep(0.5)
    return None


def connect_span(engine: Engine, ids: list[uuid.UUID]) -> float:
    """Seconds from the first number connected to the last (the one-at-a-time starts)."""
    with Session(engine) as db:
        first, last = db.execute(select(func.min(WaSession.last_connected_at), func.max(WaSession.last_connected_at))
                                 .where(WaSession.id.in_(ids))).one()
    return (last - first).total_seconds()


def handovers(workers: list["Worker"]) -> int:
    """Numbers the workers handed to each other to even out the shares (from their logs)."""
    count = 0
    for worker in workers:
        with open(worker.log_path) as log:
            count += sum(1 for line in log if "handing the number to another worker" in line)
    return count


def fmt(seconds: float | None) -> str:
    return "timed out" if seconds is None else f"{seconds:.1f} s"


def one_worker(engine: Engine, log_dir: str, count: int) -> None:
    ids = create_numbers(engine, count, 0)
    probe = Probe(engine, ids)
    since = utcnow()
    worker = Worker(log_dir, "single")
    took = probe.wait(lambda: all(worker.owns(w) and ok for w, ok in probe.holders(since).values()), timeout=300)
    print(f"1 worker, {count} numbers: all connected {fmt(took)} after the process started, the starts one at a "
          f"time over {connect_span(engine, ids):.1f} s (pool size {get_settings().wa_db_pool_size})")
    with Session(engine) as db:
        for owner in owners_of(engine, ids):
            outbox.queue_direct(db, owner_id=owner, message_type="test", phone="6281299990001", content="Tes")
        db.commit()
    sent = settle(engine, ids, timeout=120)
    probe.sample_connections()
    print(f"  {count} direct messages (one per number) sent in {fmt(sent)}; "
          f"peak connections held by the worker: {probe.peak_connections.get(worker.pid, 0)}")
    stopped = worker.stop()
    released = all(w is None for w, _ in probe.holders(since).values())
    print(f"  SIGTERM → exited in {stopped:.1f} s; every number released at once: {'yes' if released else 'NO'}")
    result = outcome(engine, ids)
    print(f"  sends per wa_message_id > 1 (duplicates): {result['duplicates']}")


def shared_workers(engine: Engine, log_dir: str, count: int, workers: int) -> None:
    ids = create_numbers(engine, count, 10_000)
    owners = owners_of(engine, ids)
    probe = Probe(engine, ids)
    since = utcnow()
    running = [Worker(log_dir, f"shared-{n}") for n in range(workers)]

    def spread() -> list[int]:
        holders = probe.holders(since).values()
        return [sum(1 for w, ok in holders if ok and r.owns(w)) for r in running]

    took = probe.wait(lambda: sum(spread()) == count and max(spread()) - min(spread()) <= 4, timeout=300)
    print(f"\n{workers} workers started together, {count} numbers: all connected and spread evenly in {fmt(took)}: "
          f"{' / '.join(map(str, spread()))} ({handovers(running)} handed over to even out); peak connections per "
          f"worker: {' / '.join(str(probe.peak_connections.get(r.pid, 0)) for r in running)}")
    traffic = Traffic(engine, owners, rate=10)
    traffic.start()
    with Session(engine) as db:
        for owner in owners:
            outbox.queue_paced(db, owner_id=owner, items=[PacedItem(phone=f"6281377{n:04d}1", content=f"Pesan {n}")
                                                          for n in range(2)])
        db.commit()
    time.sleep(5)
    counts = spread()
    victim = running[counts.index(max(counts))]
    theirs = [sid for sid, (w, _) in probe.holders(since).items() if victim.owns(w)]
    killed_at = utcnow()
    victim.stop(signal.SIGKILL)
    survivors = [r for r in running if r is not victim]
    lost = Probe(engine, theirs)
    took = lost.wait(lambda: all(any(r.owns(w) for r in survivors) and ok
                                 for w, ok in lost.holders(killed_at).values()), timeout=180)
    holders = probe.holders(since).values()
    now = [sum(1 for w, _ in holders if r.owns(w)) for r in survivors]
    print(f"  kill -9 {victim.name} ({len(theirs)} numbers) while messages flow: all of them connected again on "
          f"the others {fmt(took)} after the kill; now {' / '.join(map(str, now))}")
    time.sleep(5)
    traffic.stop.set()
    traffic.join()
    sent = settle(engine, ids, timeout=120)
    paced = settle(engine, ids, timeout=120, kinds=("direct", "paced"))
    if paced is None:
        failures.append(f"the {2 * count} paced messages did not drain within 120 s")
    result = outcome(engine, ids)
    statuses = ", ".join(f"{status} {n}" for status, n in sorted(result["statuses"].items()))
    print(f"  {traffic.queued} direct messages queued during the run ({traffic.refused} refused: number shown "
          f"not connected) and {2 * count} paced; direct queue drained {fmt(sent)} after the traffic stopped, "
          f"the paced ones (8-15 s apart per number) {fmt(paced)}; queue rows: {statuses}")
    print(f"  in flight at the kill, failed for review (never resent): {result['abandoned']}; "
          f"sends per wa_message_id > 1 (duplicates): {result['duplicates']}")
    times = [r.stop() for r in survivors]
    print(f"  SIGTERM → survivors exited in {' / '.join(f'{t:.1f} s' for t in times)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--single", type=int, default=200, help="numbers on one worker")
    parser.add_argument("--shared", type=int, default=300, help="numbers shared by --workers")
    parser.add_argument("--workers", type=int, default=3)
    args = parser.parse_args()
    engine = prepare_database()
    cleanup(engine)
    log_dir = tempfile.mkdtemp(prefix="wa_bench_")
    print(f"WA worker scale on the simulator (database {scratch_url().database}, worker logs in {log_dir})\n")
    try:
        waking_hours(engine)
        cleanup(engine)
        set_window(engine, "00:00", "23:59")  # pacing measured at any hour of the run
        one_worker(engine, log_dir, args.single)
        cleanup(engine)
        shared_workers(engine, log_dir, args.shared, args.workers)
        if failures:
            raise SystemExit("; ".join(failures))
    finally:
        set_window(engine, None, None)
        for worker in STARTED:
            worker.stop(signal.SIGKILL)  # only after a failure: each one was stopped already
        cleanup(engine)
        engine.dispose()


if __name__ == "__main__":
    main()
