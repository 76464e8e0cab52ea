"""The header bell: what needs the operator's attention, derived from state, with per-user read marks.

Nothing is written when a condition arises; each read asks the sources below (the actor's WhatsApp session and
failed sends, their export jobs; for the superadmin also the 06:00 billing run and backup health). Each item's
`id` names one occurrence (the session that dropped at a given time, the export job, the backup that went late),
so marking it read lasts until something new happens. Everything is scoped to the actor: a mitra only ever sees
its own session, sends and jobs; billing runs and backups are the superadmin's business.
"""

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from shared import backups
from shared.models import BillingRun, Job, NotificationRead, User, WaMessageLog, WaSession, WaSessionStatus
from shared.timeutil import WIB, utcnow

# The dashboard's WhatsApp alert uses the same threshold (frontend FAILURE_ALERT_THRESHOLD).
FAILURE_THRESHOLD = 5
FAILURE_WINDOW = timedelta(hours=24)
EXPORTS_WINDOW = timedelta(days=2)
# The 06:00 WIB run takes seconds; a day without its row half an hour later did not run or failed.
BILLING_RUN_GRACE = time(6, 30)
READ_MARKS_KEPT = timedelta(days=60)
MAX_ITEMS = 50

EXPORT_LABELS = {"export.customers": "pelanggan", "export.invoices": "tagihan", "export.finance": "keuangan"}


@dataclass
class Notification:
    id: str
    kind: str
    severity: str  # info | success | warning | danger
    title: str
    body: str
    created_at: datetime
    link: dict  # {"to": route path, "search": {...}}: where the operator acts on it
    download: dict | None = None  # an export file: {"url", "filename"} (the download needs the bearer token)
    read: bool = False
    extra: dict = field(default_factory=dict)


def _number(value: int) -> str:
    """1200 → "1.200", as Indonesian writes it."""
    return f"{value:,}".replace(",", ".")


def _when(value: datetime) -> str:
    return value.astimezone(WIB).strftime("%d/%m/%Y %H:%M WIB")


def _wa_session(session: Session, actor: User, now: datetime) -> list[Notification]:
    """The actor's own number: lost (a link that worked and dropped), logged out, banned, outdated, paused."""
    wa = session.scalars(select(WaSession).where(WaSession.user_id == actor.id)).first()
    if wa is None:
        return []
    items = []
    since = wa.last_connected_at or wa.created_at
    stamp = int(since.timestamp())
    reason = f" {wa.status_reason}" if wa.status_reason else ""
    link = {"to": "/whatsapp", "search": {"tab": "koneksi"}}
    if wa.status == WaSessionStatus.disconnected and wa.enabled and wa.last_connected_at is not None:
        # Disconnecting on purpose clears `enabled`: only a drop the user did not ask for is news.
        items.append(Notification(f"wa-lost:{wa.id}:{stamp}", "wa_session_lost", "danger", "Sesi WhatsApp terputus",
                                  f"Nota dan pengingat tidak terkirim sampai terhubung lagi.{reason}",
                                  wa.updated_at, link))
    elif wa.status == WaSessionStatus.logged_out:
        items.append(Notification(f"wa-logged-out:{wa.id}:{stamp}", "wa_session_lost", "danger",
                                  "WhatsApp keluar dari perangkat",
                                  f"Scan ulang QR agar nota dan pengingat terkirim.{reason}", wa.updated_at, link))
    elif wa.status == WaSessionStatus.banned:
        items.append(Notification(f"wa-banned:{wa.id}:{stamp}", "wa_session_banned", "danger",
                                  "WhatsApp diblokir sementara", f"Pengiriman dihentikan.{reason}", wa.updated_at, link))
    elif wa.status == WaSessionStatus.outdated:
        items.append(Notification(f"wa-outdated:{wa.id}:{stamp}", "wa_session_lost", "danger", "Versi WhatsApp usang",
                                  "WhatsApp menolak versi klien ini; scan ulang setelah server diperbarui.",
                                  wa.updated_at, link))
    if wa.paused_until is not None and wa.paused_until > now:
        why = f" {wa.pause_reason}" if wa.pause_reason else ""
        items.append(Notification(f"wa-paused:{wa.id}:{int(wa.paused_until.timestamp())}", "wa_session_paused",
                                  "warning", "Pengiriman WhatsApp dijeda",
                                  f"Pesan terjadwal menunggu sampai {_when(wa.paused_until)}.{why}",
                                  wa.updated_at, link))
    return items


def _failure_tier(count: int) -> int:
    """5, 10, 20, 40, ...: the bell speaks again when failures keep piling up, not on every single one."""
    tier = FAILURE_THRESHOLD
    while tier * 2 <= count:
        tier *= 2
    return tier


def _wa_failures(session: Session, actor: User, now: datetime) -> list[Notification]:
    """Failed message attempts from the actor's number in the last 24 hours, once there are at least five."""
    count, last = session.execute(select(func.count(), func.max(WaMessageLog.sent_at)).where(
        WaMessageLog.user_id == actor.id, WaMessageLog.status == "failed",
        WaMessageLog.sent_at >= now - FAILURE_WINDOW)).one()
    if count < FAILURE_THRESHOLD:
        return []
    tier = _failure_tier(count)
    day = now.astimezone(WIB).date().isoformat()
    return [Notification(f"wa-failed:{actor.id}:{day}:{tier}", "wa_failures", "warning",
                         f"{_number(count)} pesan WhatsApp gagal dalam 24 jam",
                         "Periksa log dan antrian, lalu kirim ulang bila perlu.", last,
                         {"to": "/whatsapp", "search": {"tab": "log"}}, extra={"failed": count})]


def _billing_run(session: Session, now: datetime) -> list[Notification]:
    """Today's 06:00 run: done (with its counts), or missing half an hour later (it failed or never ran)."""
    local = now.astimezone(WIB)
    run = session.get(BillingRun, local.date())
    if run is not None:
        body = (f"{_number(run.created_count)} tagihan baru (jatuh tempo {run.due_date:%d/%m/%Y}), "
                f"{_number(run.reminder_count)} pengingat dijadwalkan.")
        return [Notification(f"billing-done:{run.run_date.isoformat()}", "billing_run_done", "success",
                             "Tagihan otomatis 06:00 selesai", body, run.completed_at,
                             {"to": "/invoices", "search": {"month": run.due_date.strftime("%Y-%m"),
                                                            "day": run.due_date.day}})]
    if local.time() < BILLING_RUN_GRACE:
        return []
    due_at = datetime.combine(local.date(), BILLING_RUN_GRACE, tzinfo=WIB)
    return [Notification(f"billing-missing:{local.date().isoformat()}", "billing_run_failed", "danger",
                         "Tagihan otomatis 06:00 belum berjalan",
                         "Tagihan jatuh tempo besok belum dibuat dan pengingat belum dijadwalkan. Periksa worker dan "
                         "beat, atau buat tagihan secara manual.", due_at, {"to": "/invoices", "search": {}})]


def _exports(session: Session, actor: User, now: datetime) -> list[Notification]:
    """The actor's own exports of the last two days: ready to download (until the file expires) or failed."""
    jobs = session.scalars(select(Job).where(
        Job.user_id == actor.id, Job.type.in_(EXPORT_LABELS), Job.state.in_(("done", "failed")),
        Job.finished_at >= now - EXPORTS_WINDOW).order_by(Job.finished_at.desc()).limit(10)).all()
    items = []
    for job in jobs:
        what = EXPORT_LABELS[job.type]
        if job.state == "failed":
            items.append(Notification(f"job:{job.id}", "export_failed", "danger", f"Ekspor {what} gagal",
                                      job.error or "Coba ekspor lagi.", job.finished_at,
                                      {"to": _export_page(job.type), "search": {}}))
            continue
        result = job.result or {}
        expires = result.get("expiresAt")
        if not result.get("downloadUrl") or (expires and datetime.fromisoformat(expires) <= now):
            continue
        rows = _number(int(result.get("rows") or 0))
        items.append(Notification(f"job:{job.id}", "export_ready", "info", f"Ekspor {what} siap diunduh",
                                  f"{result.get('filename', '')} · {rows} baris", job.finished_at,
                                  {"to": _export_page(job.type), "search": {}},
                                  download={"url": result["downloadUrl"], "filename": result.get("filename")}))
    return items


def _export_page(job_type: str) -> str:
    return {"export.customers": "/customers", "export.invoices": "/invoices"}.get(job_type, "/finance")


def _backups(session: Session, now: datetime) -> list[Notification]:
    """The newest good backup is over 36 hours old (or there is none but failures)."""
    part = backups.health_part(session, detail=True, now=now)
    if part["status"] != "down":
        return []
    good = part.get("last_success_at")
    body = (f"Cadangan terakhir yang berhasil: {_when(good)}." if good else "Belum ada cadangan yang berhasil.")
    if part.get("last_error"):
        body += f" Galat terakhir: {part['last_error'][:200]}"
    since = good + backups.STALE_AFTER if good else part["last_run_at"]
    key = f"backup-late:{int(good.timestamp()) if good else 'none'}"
    return [Notification(key, "backup_late", "danger", "Cadangan database terlambat", body, since,
                         {"to": "/admin/settings", "search": {}})]


def current_notifications(session: Session, *, actor: User, now: datetime | None = None) -> list[Notification]:
    """Every notification the actor may see now, newest first, each with its read flag."""
    now = now or utcnow()
    items = [*_wa_session(session, actor, now), *_wa_failures(session, actor, now), *_exports(session, actor, now)]
    if actor.is_superadmin:
        items += [*_billing_run(session, now), *_backups(session, now)]
    items.sort(key=lambda n: n.created_at, reverse=True)
    items = items[:MAX_ITEMS]
    if items:
        read = set(session.scalars(select(NotificationRead.key).where(
            NotificationRead.user_id == actor.id, NotificationRead.key.in_([n.id for n in items]))))
        for item in items:
            item.read = item.id in read
    return items


def list_notifications(session: Session, *, actor: User, now: datetime | None = None) -> dict:
    """The bell's list and its unread count."""
    items = current_notifications(session, actor=actor, now=now)
    return {"items": items, "unread_count": sum(not n.read for n in items)}


def mark_read(session: Session, *, actor: User, ids: list[str] | None = None, all_: bool = False,
              now: datetime | None = None) -> dict:
    """Mark some (or all) of the actor's current notifications read; ids that are not theirs are ignored."""
    now = now or utcnow()
    items = current_notifications(session, actor=actor, now=now)
    wanted = {n.id for n in items} if all_ else {n.id for n in items} & set(ids or ())
    if wanted:
        # Two tabs marking the same item at once: the second insert is a no-op.
        session.execute(insert(NotificationRead).values([{"user_id": actor.id, "key": key, "read_at": now}
                                                         for key in sorted(wanted)]).on_conflict_do_nothing())
    # Marks of long-gone occurrences only take space.
    session.execute(delete(NotificationRead).where(NotificationRead.user_id == actor.id,
                                                   NotificationRead.read_at < now - READ_MARKS_KEPT))
    session.flush()
    for item in items:
        item.read = item.read or item.id in wanted
    return {"items": items, "unread_count": sum(not n.read for n in items)}
