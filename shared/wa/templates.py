"""Every WhatsApp text the system sends, in one place (spec "Jenis Pesan Otomatis").

The `render_*` functions are pure: they take a context and a random source and return the text. The
`*_text` functions load that context for an invoice or a customer. Greetings and closings are drawn from
pools so that consecutive messages are not identical (spec "Variasi Konten"); pass a seeded
`random.Random` for repeatable output.

Money is `Rp 100.000`, months are Indonesian, times are WIB. The receipt shows exactly the fields the
superadmin's receipt toggles switch on, the same ones as the public receipt page (`receipts.receipt_fields`).
The bank details are the owner's (the mitra's own account for a mitra's customers).
"""

import random
import re
import uuid
from dataclasses import dataclass, replace
from datetime import date, datetime

from sqlalchemy import any_, literal, select
from sqlalchemy.dialects.postgresql import ARRAY, UUID
from sqlalchemy.orm import Session, aliased, raiseload

from shared.config import get_settings
from shared.errors import NotFound
from shared.models import Customer, Invoice, Package, User
from shared.services.periods import MONTH_NAMES, period_label
from shared.services.receipts import invoice_payments, receipt_fields
from shared.services.settings import all_settings
from shared.timeutil import WIB, today_wib, utcnow

# The spec's pool ("Variasi Konten"), with "Selamat pagi/siang" replaced by the one that fits the hour in WIB.
NEUTRAL_GREETINGS = ("Halo", "Hai", "Assalamualaikum")
CLOSINGS = ("Terima kasih 🙏", "Terima kasih banyak", "Salam hangat", "Terima kasih atas kerjasamanya",
            "Hormat kami")
NAME_PLACEHOLDER = "{nama}"
# WIB hour boundaries as Indonesians use them: pagi until 11, siang until 15, sore until 18 (maghrib), then malam.
DAY_PARTS = ((4, "pagi"), (11, "siang"), (15, "sore"), (18, "malam"))
_TIMED_GREETING = re.compile(r"^Selamat (pagi|siang|sore|malam)(?= \*)", re.MULTILINE)
# How an operator's own text already greets or signs off (then the bulk send adds none of its own).
_OPENS_WITH_GREETING = re.compile(
    r"^\W*(halo|hallo|hai|hi|assalamu\w*|selamat (pagi|siang|sore|malam)|yth|kepada|dear|pagi|siang|sore|malam)\b",
    re.IGNORECASE)
_ENDS_WITH_CLOSING = re.compile(
    r"^\W*(terima ?kasih|makasih|salam|hormat|wassalam|tks|thanks|thank you)\b", re.IGNORECASE)


def day_part(moment: datetime) -> str:
    """"pagi", "siang", "sore" or "malam" for a moment, in WIB (06:00 is pagi, 13:00 siang, 16:00 sore)."""
    hour = moment.astimezone(WIB).hour
    part = "malam"
    for start, name in DAY_PARTS:
        if hour >= start:
            part = name
    return part


def greetings_at(moment: datetime | None = None) -> tuple[str, ...]:
    """The greetings that fit `moment` (default now): the neutral ones and "Selamat <time of day>"."""
    return (*NEUTRAL_GREETINGS, f"Selamat {day_part(moment or utcnow())}")


# The pool at import time, for callers that only want to know the shape of a greeting.
GREETINGS = (*NEUTRAL_GREETINGS, "Selamat pagi", "Selamat siang", "Selamat sore", "Selamat malam")


def fit_greeting(content: str, moment: datetime) -> str:
    """A message's own "Selamat pagi *Nama*," moved to the time of day of `moment` (it is sent later than planned).

    Only the greeting line the templates write (bold name after it) is touched, once, never an operator's text.
    """
    return _TIMED_GREETING.sub(f"Selamat {day_part(moment)}", content, count=1)


def rupiah(amount: int | None) -> str:
    """12500 → "Rp 12.500"."""
    return "Rp " + f"{int(amount or 0):,}".replace(",", ".")


def tanggal(day: date) -> str:
    """date(2026, 3, 5) → "5 Maret 2026"."""
    return f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


def waktu(moment: datetime) -> str:
    """A UTC timestamp as WIB: "24 November 2026 14:05 WIB"."""
    local = moment.astimezone(WIB)
    return f"{tanggal(local.date())} {local:%H:%M} WIB"


def absolute_url(path: str | None) -> str:
    """The receipt link a customer can open: PUBLIC_BASE_URL + the invoice's relative receipt URL."""
    if not path:
        return ""
    if path.startswith(("http://", "https://")):
        return path
    return get_settings().public_base_url.rstrip("/") + "/" + path.lstrip("/")


@dataclass(frozen=True)
class Bank:
    name: str | None
    account: str | None
    holder: str | None

    @classmethod
    def of(cls, owner: User) -> "Bank":
        return cls(owner.bank_name, owner.bank_account, owner.bank_holder)

    @property
    def complete(self) -> bool:
        return bool(self.name and self.account)


@dataclass(frozen=True)
class ReminderContext:
    customer_name: str
    package_name: str
    package_speed: str
    period: str
    total_amount: int
    due_date: date
    bank: Bank
    business_name: str
    today: date
    paid_amount: int = 0  # partial payments so far

    @property
    def remaining(self) -> int:
        return self.total_amount - self.paid_amount


@dataclass(frozen=True)
class IsolationContext:
    customer_name: str
    bank: Bank
    business_name: str


@dataclass(frozen=True)
class ReminderMessage:
    """A reminder ready to queue: who gets it, from whose number, and its text."""

    invoice_id: uuid.UUID
    customer_id: uuid.UUID
    owner_id: uuid.UUID
    phone: str
    due_date: date
    content: str
    context: ReminderContext | None = None

    def render_at(self, at: datetime, rng: random.Random | None = None) -> str:
        """The text for sending at `at`: greeting for that hour, the due date counted from that day."""
        if self.context is None:
            return fit_greeting(self.content, at)
        return render_reminder(replace(self.context, today=at.astimezone(WIB).date()), rng, at=at)


def _pick(pool: tuple[str, ...], rng: random.Random | None) -> str:
    return (rng or random).choice(pool)


def _bank_lines(bank: Bank, *, amount: int | None = None) -> list[str]:
    if not bank.complete:
        return ["💳 *Pembayaran:*", "Silakan hubungi kami untuk informasi pembayaran."]
    lines = ["💳 *Pembayaran via Transfer:*", f"Bank: {bank.name}", f"No. Rek: {bank.account}"]
    if bank.holder:
        lines.append(f"A/N: {bank.holder}")
    if amount is not None:
        lines.append(f"Nominal: {rupiah(amount)}")
    return lines


def _when_due(due: date, today: date) -> str:
    days = (due - today).days
    if days == 1:
        return "besok"
    if days == 0:
        return "hari ini"
    return f"pada {tanggal(due)}"


def render_reminder(ctx: ReminderContext, rng: random.Random | None = None, *, at: datetime | None = None) -> str:
    label = period_label(ctx.period)
    lines = [
        "🔔 *Pengingat Tagihan WiFi*",
        "",
        f"{_pick(greetings_at(at), rng)} *{ctx.customer_name}*,",
        "",
        f"Tagihan WiFi Anda untuk *{label}* (pra-bayar) akan jatuh tempo {_when_due(ctx.due_date, ctx.today)}:",
        "",
        "📋 *Detail Tagihan:*",
        f"• Paket: {ctx.package_name} ({ctx.package_speed})",
        f"• Periode: {label} (pra-bayar)",
        f"• Nominal: {rupiah(ctx.total_amount)}",
        # A part-paid invoice: the customer is reminded of what is left, not of the whole bill.
        *([f"• Sudah Dibayar: {rupiah(ctx.paid_amount)}", f"• Sisa Tagihan: *{rupiah(ctx.remaining)}*"]
          if ctx.paid_amount else []),
        f"• Jatuh Tempo: {tanggal(ctx.due_date)}",
        "",
        *_bank_lines(ctx.bank, amount=ctx.remaining),
        "",
        _pick(CLOSINGS, rng),
        f"_{ctx.business_name}_",
    ]
    return "\n".join(lines)


def render_receipt(receipt: dict, *, business_name: str, rng: random.Random | None = None,
                   at: datetime | None = None) -> str:
    """The WhatsApp receipt from `receipts.receipt_fields` output: a field switched off is absent there."""
    confirmed = "Pembayaran Anda telah dikonfirmasi" if receipt["status"] == "paid" else \
        "Pembayaran sebagian Anda telah kami terima"
    confirmed += f" oleh *{receipt['paid_by_name']}*." if receipt.get("paid_by_name") else "."
    details = [f"• Nama: {receipt['customer_name']}"]
    if receipt.get("nik"):
        details.append(f"• NIK: {receipt['nik']}")
    if "area" in receipt:
        details.append(f"• Area: {receipt['area']}")
    if "package_name" in receipt:
        details.append(f"• Paket: {receipt['package_name']} ({receipt['package_speed']})")
    details.append(f"• Periode: {receipt['period_label']} (pra-bayar)")
    if receipt.get("discount"):  # toggled on and not zero: "Diskon: Rp 0" tells the customer nothing
        details.append(f"• Diskon: {rupiah(receipt['discount'])}")
    payment = receipt.get("payment")
    # One payment of several (or a part payment): what was paid now, in all, and what is left.
    instalment = payment is not None and (receipt["status"] != "paid" or len(receipt.get("payments", ())) > 1)
    if instalment:
        details.append(f"• Total Tagihan: {rupiah(receipt['total_amount'])}")
        details.append(f"• Dibayar Sekarang: *{rupiah(payment['amount'])}*")
        details.append(f"• Total Dibayar: {rupiah(receipt['paid_amount'])}")
        details.append(f"• Sisa Tagihan: *{rupiah(receipt['remaining_amount'])}*"
                       + (" (LUNAS)" if receipt["remaining_amount"] == 0 else ""))
        if payment.get("payment_method_label"):
            details.append(f"• Metode: {payment['payment_method_label']}")
        details.append(f"• Tanggal Bayar: {waktu(payment['paid_at'])}")
    else:
        details.append(f"• Total Bayar: *{rupiah(receipt['total_amount'])}*")
        if receipt.get("payment_method_label"):
            details.append(f"• Metode: {receipt['payment_method_label']}")
        if receipt.get("paid_at"):
            details.append(f"• Tanggal Bayar: {waktu(receipt['paid_at'])}")
    title = "✅ *Nota Pembayaran WiFi*" if receipt["status"] == "paid" else "🧾 *Nota Pembayaran Sebagian WiFi*"
    lines = [
        title,
        "",
        f"{_pick(greetings_at(at), rng)} *{receipt['customer_name']}*,",
        "",
        confirmed,
        "",
        "📋 *Detail Pembayaran:*",
        *details,
    ]
    link = absolute_url(receipt.get("receipt_url"))
    if link:
        lines += ["", f"🧾 Lihat nota lengkap: {link}"]
    lines += ["", _pick(CLOSINGS, rng), f"_{business_name}_"]
    return "\n".join(lines)


def render_isolation(ctx: IsolationContext, rng: random.Random | None = None, *, at: datetime | None = None) -> str:
    lines = [
        "⚠️ *Pemberitahuan Isolir*",
        "",
        f"{_pick(greetings_at(at), rng)} *{ctx.customer_name}*,",
        "",
        "Layanan WiFi Anda telah di-*isolir* karena tunggakan pembayaran.",
        "",
        "Silakan segera lakukan pembayaran untuk mengaktifkan kembali layanan Anda.",
        "",
        *_bank_lines(ctx.bank),
        "",
        "Hubungi kami jika ada pertanyaan.",
        f"_{ctx.business_name}_",
    ]
    return "\n".join(lines)


def render_reactivation(customer_name: str, *, business_name: str, rng: random.Random | None = None,
                        at: datetime | None = None) -> str:
    lines = [
        "✅ *Layanan WiFi Aktif Kembali*",
        "",
        f"{_pick(greetings_at(at), rng)} *{customer_name}*,",
        "",
        "Layanan WiFi Anda sudah aktif kembali. Selamat menikmati internet Anda.",
        "",
        _pick(CLOSINGS, rng),
        f"_{business_name}_",
    ]
    return "\n".join(lines)


def custom_text(message: str, *, customer_name: str) -> str:
    """A message the user wrote; `{nama}` becomes the customer's name, so bulk messages differ per person."""
    return message.replace(NAME_PLACEHOLDER, customer_name).strip()


def render_bulk_custom(message: str, *, customer_name: str, business_name: str, rng: random.Random | None = None,
                       at: datetime | None = None) -> str:
    """A bulk custom message: the operator's text unchanged, between a greeting and a closing drawn per recipient.

    The spec's variation (no two recipients get the identical text). A text that already greets ("Halo ...")
    gets no second greeting, one that already signs off ("Terima kasih ...") no second closing.
    """
    body = custom_text(message, customer_name=customer_name)
    lines = body.splitlines() or [""]
    last = next((line for line in reversed(lines) if line.strip()), "")
    parts = []
    if not _OPENS_WITH_GREETING.match(body):
        parts += [f"{_pick(greetings_at(at), rng)} *{customer_name}*,", ""]
    parts.append(body)
    if not _ENDS_WITH_CLOSING.match(last):
        parts += ["", _pick(CLOSINGS, rng)]
        if business_name:
            parts.append(f"_{business_name}_")
    return "\n".join(parts)


# ---------------------------------------------------------------------------------------------
# Loading the context


def _invoice_rows(session: Session, invoice_ids: list[uuid.UUID]):
    owner = aliased(User)
    return session.execute(
        select(Invoice, Customer, owner, Package)
        .join(Customer, Customer.id == Invoice.customer_id)
        .join(owner, owner.id == Invoice.owner_id)
        .join(Package, Package.id == Customer.package_id)
        # One array parameter however many ids (an IN list of 1,000 binds cost psycopg ~40 ms to split per chunk).
        .where(Invoice.id == any_(literal(list(invoice_ids), ARRAY(UUID(as_uuid=True)))))
        .options(raiseload(Customer.owner), raiseload(Customer.package))
    ).all()


def _one_invoice(session: Session, invoice_id: uuid.UUID):
    rows = _invoice_rows(session, [invoice_id])
    if not rows:
        raise NotFound("Tagihan tidak ditemukan.")
    return rows[0]


def reminder_texts(session: Session, invoice_ids: list[uuid.UUID], *, rng: random.Random | None = None,
                   today: date | None = None) -> dict[uuid.UUID, ReminderMessage]:
    """Reminders for many invoices at once (one query), keyed by invoice id."""
    today = today or today_wib()
    messages = {}
    for invoice, customer, owner, package in _invoice_rows(session, invoice_ids):
        ctx = ReminderContext(customer_name=customer.name, package_name=package.name,
                              package_speed=package.speed, period=invoice.period,
                              total_amount=invoice.total_amount, paid_amount=invoice.paid_amount,
                              due_date=invoice.due_date, bank=Bank.of(owner),
                              business_name=owner.business_name, today=today)
        messages[invoice.id] = ReminderMessage(invoice_id=invoice.id, customer_id=customer.id, owner_id=owner.id,
                                               phone=customer.phone, due_date=invoice.due_date,
                                               content=render_reminder(ctx, rng), context=ctx)
    return messages


def reminder_text(session: Session, invoice_id: uuid.UUID, *, rng: random.Random | None = None,
                  today: date | None = None) -> str:
    messages = reminder_texts(session, [invoice_id], rng=rng, today=today)
    if invoice_id not in messages:
        raise NotFound("Tagihan tidak ditemukan.")
    return messages[invoice_id].content


def receipt_text(session: Session, invoice_id: uuid.UUID, *, payment_id: uuid.UUID | None = None,
                 rng: random.Random | None = None) -> str:
    """The receipt of an invoice, or of one payment toward it (`payment_id`: paid now, paid in all, remaining)."""
    invoice, customer, owner, package = _one_invoice(session, invoice_id)
    payments = invoice_payments(session, invoice.id)
    payment = next((p for p in payments if p.id == payment_id), None)
    payer_id = payment.paid_by if payment else invoice.paid_by
    paid_by_name = session.scalar(select(User.name).where(User.id == payer_id)) if payer_id else None
    receipt = receipt_fields(invoice, customer=customer, owner=owner, package=package, paid_by_name=paid_by_name,
                             settings=all_settings(session), payments=payments)
    if payment is not None:
        receipt["payment"] = next(p for p in receipt["payments"] if p["id"] == payment.id)
    return render_receipt(receipt, business_name=owner.business_name, rng=rng)


def _customer_and_owner(session: Session, customer_id: uuid.UUID) -> tuple[Customer, User]:
    row = session.execute(select(Customer, User).join(User, User.id == Customer.owner_id)
                          .where(Customer.id == customer_id)
                          .options(raiseload(Customer.owner), raiseload(Customer.package))).one_or_none()
    if row is None:
        raise NotFound("Pelanggan tidak ditemukan.")
    return row[0], row[1]


def isolation_text(session: Session, customer_id: uuid.UUID, *, rng: random.Random | None = None) -> str:
    customer, owner = _customer_and_owner(session, customer_id)
    return render_isolation(IsolationContext(customer_name=customer.name, bank=Bank.of(owner),
                                             business_name=owner.business_name), rng)


def reactivation_text(session: Session, customer_id: uuid.UUID, *, rng: random.Random | None = None) -> str:
    customer, owner = _customer_and_owner(session, customer_id)
    return render_reactivation(customer.name, business_name=owner.business_name, rng=rng)
