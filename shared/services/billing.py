"""Invoice generation (set-based, idempotent) and the daily 06:00 H-1 run with its once-only catch-up."""

import uuid
from datetime import date, datetime, time, timedelta

from sqlalchemy import bindparam, func, select, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from shared.errors import Invalid
from shared.models import BillingRun, Customer, CustomerStatus, Invoice, PaymentStatus, User, WaMessageQueue
from shared.services.activity import record_activity
from shared.services.periods import (
    add_months,
    check_generation_period,
    default_manual_period,
    h1_target,
    parse_period,
)
from shared.timeutil import WIB, utcnow
from shared.wa import planner

DAILY_RUN_HOUR = 6
CATCH_UP_DAYS = 7
# pg_advisory_xact_lock key for the daily run: beat's run and a worker's start-up catch-up take turns.
DAILY_RUN_LOCK = 0x46_4E_42_49  # "FNBI"

# One statement: pick the eligible customers, insert their invoices, count what happened.
# - Only active customers are billed; isolated and inactive ones are counted, not billed.
# - ON CONFLICT on the (customer_id, period) unique index makes a rerun, or a run beside the cron, a no-op.
# - Rows are inserted in customer id order so two concurrent generations wait on each other in the same
#   order instead of deadlocking on each other's half-inserted keys.
# - Ids and receipt tokens start with the time (ms), so each statement's new keys land at the right-hand end of
#   the primary key and the receipt-token index instead of on a random page of each: at 1M customers (11.9M
#   invoices, 1.8 GB of those two indexes against 128 MB of shared buffers) a 950k-row generation wrote
#   16.5 GB of WAL (2.3M full-page images) in 228 s, and 3.2 GB in 125 s with time-ordered keys.
#   The id is a UUIDv7 (RFC 9562: 48-bit ms timestamp, version 7, the rest random; PostgreSQL 18's uuidv7(),
#   written out for 15 and 16). The token is 64 hex digits: the ms timestamp in 12, then 52 of two random
#   UUIDs (~200 random bits from the server's CSPRNG, as unguessable as before; it reveals only when the
#   invoice was made). It is computed in a subquery so it is drawn per row, once, and used for token and URL.
# - Amount, discount and total are snapshots; a discount above a since-lowered package price is capped.
_GENERATE_SQL = text("""
WITH scope AS (
    SELECT c.id, c.owner_id, c.billing_date, c.discount, c.status, p.price
    FROM customers c JOIN packages p ON p.id = c.package_id
    WHERE (CAST(:owner_id AS uuid) IS NULL OR c.owner_id = CAST(:owner_id AS uuid))
      AND (CAST(:billing_date AS integer) IS NULL OR c.billing_date = CAST(:billing_date AS integer))
),
source AS (
    SELECT s.*, lpad(to_hex(floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint), 12, '0')
                || left(replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''), 52) AS token
    FROM scope s
    WHERE s.status = 'active'
),
inserted AS (
    INSERT INTO invoices (id, customer_id, owner_id, period, amount, discount, total_amount, due_date,
                          receipt_token, receipt_url)
    SELECT encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid()) PLACING
               substring(int8send(floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint) FROM 3) FROM 1 FOR 6),
               52, 1), 53, 1), 'hex')::uuid,
           id, owner_id, :period, price, LEAST(discount, price), price - LEAST(discount, price),
           CAST(:previous_month AS date) + (billing_date - 1), token, '/receipt/' || token
    FROM source
    ORDER BY id
    ON CONFLICT (customer_id, period) DO NOTHING
    RETURNING id
)
SELECT (SELECT count(*) FROM inserted) AS created,
       count(*) FILTER (WHERE status = 'active') AS eligible,
       count(*) FILTER (WHERE status = 'isolated') AS isolated,
       count(*) FILTER (WHERE status = 'inactive') AS inactive
FROM scope
""").bindparams(bindparam("owner_id"), bindparam("billing_date"))


def generate_invoices(session: Session, *, period: str, owner_id: uuid.UUID | str | None = None,
                      billing_date: int | None = None) -> dict:
    """Ensure every active customer (of one owner, or on one billing date) has an invoice for `period`.

    Returns `{period, created, skipped, isolated, inactive}`: skipped are eligible customers whose invoice
    already existed; isolated and inactive customers get no invoice and are only counted.
    """
    first_day = parse_period(period)
    row = session.execute(_GENERATE_SQL, {
        "period": period, "previous_month": add_months(first_day, -1),
        "owner_id": str(owner_id) if owner_id else None, "billing_date": billing_date,
    }).one()
    return {"period": period, "created": row.created, "skipped": row.eligible - row.created,
            "isolated": row.isolated, "inactive": row.inactive}


def prepare_generation(session: Session, *, actor: User, period: str | None,
                       owner_id: uuid.UUID | None) -> tuple[str, uuid.UUID | None]:
    """Check and audit a manual generation request before it is queued: the period (default next month), the owner."""
    period = check_generation_period(period or default_manual_period())
    if owner_id is not None and session.get(User, owner_id) is None:
        raise Invalid.field("ownerId", "Pemilik (mitra) tidak ditemukan.")
    record_activity(session, actor=actor, action="invoices.generate", resource="invoices",
                    metadata={"period": period, "ownerId": str(owner_id) if owner_id else None})
    return period, owner_id


def invoices_due_on(session: Session, due_date: date, *, unreminded: bool = False) -> list[uuid.UUID]:
    """Unpaid invoices of active customers due on `due_date`: the ones an H-1 reminder is for (not yet queued)."""
    stmt = (select(Invoice.id).join(Customer, Customer.id == Invoice.customer_id)
            .where(Invoice.due_date == due_date, Invoice.status != PaymentStatus.paid,
                   Customer.status == CustomerStatus.active)
            .order_by(Invoice.owner_id, Invoice.id))
    if unreminded:
        stmt = stmt.where(~select(WaMessageQueue.id).where(
            WaMessageQueue.invoice_id == Invoice.id, WaMessageQueue.message_type == "reminder",
            WaMessageQueue.kind == "paced").exists())
    return list(session.scalars(stmt))


def schedule_reminders(session: Session, *, invoice_ids: list[uuid.UUID], due_date: date,
                       start: datetime | None = None, now: datetime | None = None) -> list[uuid.UUID]:
    """Queue the H-1 WhatsApp reminders for these invoices from each owner's number; return the invoices queued.

    Paced `wa_message_queue` rows, staggered from `start` (default now), in this same transaction; an invoice
    already reminded (an earlier run, or started early) is skipped.
    """
    return planner.queue_reminders(session, list(invoice_ids), start=start or now or utcnow(), now=now)


def run_h1_day(session: Session, *, run_date: date, remind: bool = True, now: datetime | None = None) -> dict:
    """Do one day's 06:00 work: invoices due tomorrow exist, their reminders are queued, big days start early."""
    billing_date, due_date, period = h1_target(run_date)
    generated = generate_invoices(session, period=period, billing_date=billing_date) if billing_date <= 28 else {
        "created": 0, "skipped": 0, "isolated": 0, "inactive": 0}
    start = planner.run_start(run_date, now)
    reminded, early = [], {}
    if remind:
        reminded = schedule_reminders(session, invoice_ids=invoices_due_on(session, due_date), due_date=due_date,
                                      start=start, now=now)
        # The queue just grew by a day's reminders inside this transaction; with statistics from when it was
        # small (a new install, the bench) the planner probes it by sequential scan once per invoice in
        # start_early's "not reminded yet" anti-joins: 5 s per owner at 20k customers. ANALYZE counts this
        # transaction's own rows; it only needs the table's owner (else PostgreSQL warns and skips).
        session.execute(text("ANALYZE wa_message_queue"))
        # A number whose later due dates will not fit in the days left starts part of them today.
        early = planner.start_early(session, run_date=run_date, start=start, now=now)
    started_early = sum(early.values())
    return {"runDate": run_date.isoformat(), "dueDate": due_date.isoformat(), "period": period,
            "billingDate": billing_date, "created": generated["created"], "skipped": generated["skipped"],
            "reminders": len(reminded), "queued": len(reminded) + started_early, "startedEarly": started_early,
            "startedEarlyByDueDate": {due.isoformat(): count for due, count in sorted(early.items())}}


def days_to_run(session: Session, *, now: datetime | None = None, scheduled: bool = True) -> list[date]:
    """The days whose 06:00 work is still owed, oldest first, looking back at most CATCH_UP_DAYS.

    `scheduled` is beat's 06:00 call, which always owes today. A start-up catch-up owes today only once
    06:00 WIB has passed. Days after the last completed run are owed; a fresh install owes only the latest.
    """
    local = (now or utcnow()).astimezone(WIB)
    latest = local.date()
    if not scheduled and local.time() < time(DAILY_RUN_HOUR):
        latest -= timedelta(days=1)
    last_done = session.scalar(select(func.max(BillingRun.run_date)).where(BillingRun.run_date <= latest))
    if last_done is None:
        return [latest]
    first = max(last_done + timedelta(days=1), latest - timedelta(days=CATCH_UP_DAYS - 1))
    return [first + timedelta(days=offset) for offset in range((latest - first).days + 1)]


def run_daily_billing(session: Session, *, now: datetime | None = None, scheduled: bool = True) -> list[dict]:
    """Run the 06:00 H-1 work for today and every day missed since the last run, each exactly once.

    A caught-up day whose due date has already passed still gets its invoices (the money is owed) but no
    reminder. Call in one transaction: the days are recorded with their invoices, so a crash redoes both.
    """
    # Concurrent runs (beat plus a worker's start-up catch-up, or two beats) queue here; the second one
    # then finds the days recorded and has nothing to do.
    session.execute(select(func.pg_advisory_xact_lock(DAILY_RUN_LOCK)))
    today = (now or utcnow()).astimezone(WIB).date()
    results = []
    for run_date in days_to_run(session, now=now, scheduled=scheduled):
        _, due_date, period = h1_target(run_date)
        # Claim the day before doing it: the primary key, not the lock alone, guarantees once.
        claimed = session.execute(insert(BillingRun).values(
            run_date=run_date, due_date=due_date, period=period, created_count=0, reminder_count=0,
        ).on_conflict_do_nothing().returning(BillingRun.run_date)).scalar()
        if claimed is None:
            continue
        result = run_h1_day(session, run_date=run_date, remind=due_date >= today, now=now)
        session.execute(update(BillingRun).where(BillingRun.run_date == run_date).values(
            created_count=result["created"], reminder_count=result["reminders"]))
        results.append(result)
    return results


def sweep_h1(session: Session, *, now: datetime | None = None) -> list[dict]:
    """Bill and remind what the 06:00 runs of yesterday and today missed: customers due within a day, added since.

    Only days whose 06:00 run is recorded are swept (the run itself stays the one that starts a day), and only due
    dates from today on. Idempotent like the run: invoices ON CONFLICT DO NOTHING, reminders once per invoice.
    """
    session.execute(select(func.pg_advisory_xact_lock(DAILY_RUN_LOCK)))  # not beside a daily run
    today = (now or utcnow()).astimezone(WIB).date()
    run_dates = session.scalars(select(BillingRun.run_date).where(
        BillingRun.run_date.in_([today - timedelta(days=1), today])).order_by(BillingRun.run_date)).all()
    results = []
    for run_date in run_dates:
        billing_date, due_date, period = h1_target(run_date)
        if due_date < today or billing_date > 28:
            continue
        created = generate_invoices(session, period=period, billing_date=billing_date)["created"]
        reminded = schedule_reminders(session, invoice_ids=invoices_due_on(session, due_date, unreminded=True),
                                      due_date=due_date, start=planner.run_start(run_date, now), now=now)
        if created or reminded:
            session.execute(update(BillingRun).where(BillingRun.run_date == run_date).values(
                created_count=BillingRun.created_count + created,
                reminder_count=BillingRun.reminder_count + len(reminded)))
        results.append({"runDate": run_date.isoformat(), "dueDate": due_date.isoformat(), "period": period,
                        "created": created, "reminders": len(reminded)})
    return results
