"""Exports of customers, invoices and the finance recap as CSV or XLSX, written by a job and downloaded once ready.

Who may export what: customers and invoices the superadmin only; the finance recap both roles, a mitra only
their own invoices. Files live in `data_dir/exports/<jobId>.<ext>` for 24 hours; only the user who started the
job may download it. Rows are streamed from a server-side cursor, so memory does not grow with the row count.
"""

import os
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from shared import jobs, tasknames
from shared.config import get_settings
from shared.errors import Conflict, DomainError, Forbidden, Invalid, NotFound
from shared.models import Customer, CustomerStatus, Invoice, Package, PaymentStatus, User
from shared.services import finance
from shared.services.customers import CustomerFilters, customer_query
from shared.services.spreadsheet import (
    CSV_DELIMITERS,
    DEFAULT_CSV_DELIMITER,
    FORMATS,
    MIME_TYPES,
    Column,
    open_sheet,
)
from shared.timeutil import today_wib, utcnow

EXPORT_TTL = timedelta(hours=24)
STREAM_BATCH = 2000
PROGRESS_EVERY = 5000
# Values as the UI shows them (frontend/src/features/invoices/types.ts), never the API's English codes.
STATUS_LABELS = {PaymentStatus.paid: "Lunas", PaymentStatus.unpaid: "Belum Bayar", PaymentStatus.partial: "Sebagian"}
PAYMENT_METHOD_LABELS = {"cash": "Tunai", "transfer": "Transfer", "qris": "QRIS", "ewallet": "E-Wallet",
                         "other": "Lainnya"}
MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
          "November", "Desember")
_PERIOD = re.compile(r"^(\d{4})-(\d{2})$")
_STORED_PHONE = re.compile(r"^62\d{8,13}$")
CUSTOMER_STATUS_LABELS = {CustomerStatus.active: "Aktif", CustomerStatus.isolated: "Isolir",
                          CustomerStatus.inactive: "Nonaktif"}

CUSTOMER_COLUMNS = [
    Column("Nama", width=28), Column("Telepon", width=16), Column("NIK", width=18), Column("Alamat", width=32),
    Column("Area", width=22), Column("Paket", width=20), Column("Kecepatan", width=12),
    Column("Harga Paket", "money", 14), Column("Diskon", "money", 12), Column("Total Tagihan", "money", 14),
    Column("Tanggal Tagihan", "int", 10), Column("Status", width=10), Column("Tanggal Register", "date", 14),
    Column("Catatan", width=30),
]
INVOICE_COLUMNS = [
    Column("Nama", width=28), Column("Telepon", width=16), Column("Area", width=22), Column("Paket", width=22),
    Column("Periode", width=10), Column("Jatuh Tempo", "date", 13), Column("Harga", "money", 13),
    Column("Diskon", "money", 12), Column("Total", "money", 13), Column("Status", width=12),
    Column("Tanggal Bayar", "datetime", 17), Column("Metode", width=12), Column("Dicatat Oleh", width=20),
    Column("Catatan Pembayaran", width=28),
]
SUMMARY_KINDS = ["text", "int", "money"]


class ExportGone(DomainError):
    code = "export_expired"
    status = 410


@dataclass
class ExportRequest:
    """What to export, as JSON-safe values (it travels to the worker)."""

    kind: str  # customers | invoices | finance
    fmt: str
    params: dict


# ---------------------------------------------------------------------------------------------
# Starting an export (API side)


def start_export(session: Session, *, actor: User, request: ExportRequest) -> str:
    """Check who may export what with which filters, then accept the job (sent after commit); returns its id."""
    if request.fmt not in FORMATS:
        raise Invalid.field("format", "Format harus csv atau xlsx.")
    if request.params.get("delimiter", DEFAULT_CSV_DELIMITER) not in CSV_DELIMITERS:
        raise Invalid.field("delimiter", "Pemisah CSV harus ; atau ,.")
    if request.kind in ("customers", "invoices") and not actor.is_superadmin:
        raise Forbidden("Hanya superadmin yang dapat mengekspor data pelanggan dan tagihan.")
    if request.kind in ("invoices", "finance"):
        finance.invoice_filter(session, actor=actor, filters=_finance_filters(request.params))
    task = {"customers": tasknames.EXPORT_CUSTOMERS, "invoices": tasknames.EXPORT_INVOICES,
            "finance": tasknames.EXPORT_FINANCE}[request.kind]
    return jobs.submit(session, task, job_type=f"export.{request.kind}", user_id=actor.id,
                       meta={"format": request.fmt, "params": request.params}, fmt=request.fmt, params=request.params)


def _finance_filters(params: dict) -> finance.FinanceFilters:
    return finance.FinanceFilters(period=params.get("period"), date_from=_date(params.get("from")),
                                  date_to=_date(params.get("to")), owner_id=_uuid(params.get("ownerId")))


# ---------------------------------------------------------------------------------------------
# Writing the file (worker side)


def run_export(session: Session, *, job_id: str, user_id: str, kind: str, fmt: str, params: dict,
               progress: Callable[[int], None] = lambda pct: None) -> dict:
    """Write one export file and describe it: `{downloadUrl, filename, rows, format, expiresAt}`."""
    purge_expired_exports()
    actor = session.get(User, uuid.UUID(user_id))
    if actor is None or not actor.is_active:
        raise Forbidden("Pengguna tidak aktif.")
    plan = _plan(session, actor=actor, kind=kind, params=params)
    total = session.scalar(select(func.count()).select_from(plan.query.order_by(None).subquery())) or 0
    directory = exports_dir()
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{uuid.UUID(job_id)}.{fmt}"
    partial = path.with_name(path.name + ".part")
    sums = finance.no_money()
    written = 0
    delimiter = params.get("delimiter") or DEFAULT_CSV_DELIMITER
    with open_sheet(partial, fmt, plan.columns, title=plan.title, delimiter=delimiter) as sheet:
        for row in session.execute(plan.query, execution_options={"yield_per": STREAM_BATCH}):
            sheet.write(plan.to_row(row))
            written += 1
            if plan.summary:
                _add(sums, row)
            if written % PROGRESS_EVERY == 0:
                progress(min(99, 5 + written * 90 // max(total, 1)))
        if plan.summary:
            _write_summary(sheet, sums)
    os.replace(partial, path)  # a half-written file is never offered for download
    return {"downloadUrl": f"/api/exports/{job_id}/download", "filename": f"{plan.filename}.{fmt}", "rows": written,
            "format": fmt, "expiresAt": (utcnow() + EXPORT_TTL).isoformat()}


@dataclass
class _Plan:
    query: Select
    columns: list[Column]
    to_row: Callable
    filename: str
    title: str
    summary: bool = False


def _plan(session: Session, *, actor: User, kind: str, params: dict) -> _Plan:
    """The query, columns and names of one export, checked again for the actor (roles may change meanwhile)."""
    if kind in ("customers", "invoices") and not actor.is_superadmin:
        raise Forbidden("Hanya superadmin yang dapat mengekspor data pelanggan dan tagihan.")
    if kind == "customers":
        return _Plan(_customer_rows(actor, params), CUSTOMER_COLUMNS, _customer_row,
                     f"pelanggan-{today_wib().isoformat()}", "Pelanggan")
    filters = _finance_filters(params)
    conditions, described = finance.invoice_filter(session, actor=actor, filters=filters)
    if kind == "invoices" and params.get("status"):
        conditions.append(Invoice.status == PaymentStatus(params["status"]))
    query = finance.detail_query(conditions).order_by(Invoice.due_date, finance.OWNER.business_name, Customer.name,
                                                      Invoice.id)
    prefix, title = ("rekap-keuangan", "Rekap Keuangan") if kind == "finance" else ("tagihan", "Tagihan")
    filename = f"{prefix}{_owner_slug(session, filters.owner_id)}-{_range_name(described)}"
    return _Plan(query, INVOICE_COLUMNS, _invoice_row, filename, title, summary=kind == "finance")


def _customer_rows(actor: User, params: dict) -> Select:
    filters = CustomerFilters(q=params.get("q"), status=CustomerStatus(params["status"]) if params.get("status")
                              else None, package_id=_uuid(params.get("packageId")), owner_id=_uuid(params.get("ownerId")),
                              area=params.get("area"), billing_date=params.get("billingDate"),
                              sort=params.get("sort") or "name")
    owner = finance.OWNER
    return (customer_query(actor, filters)
            .with_only_columns(Customer.name, Customer.phone, Customer.nik, Customer.address,
                               owner.business_name.label("area"), Package.name.label("package_name"), Package.speed,
                               Package.price, Customer.discount, Customer.total_bill, Customer.billing_date,
                               Customer.status, Customer.register_date, Customer.notes, maintain_column_froms=False)
            .select_from(Customer).join(owner, owner.id == Customer.owner_id)
            .join(Package, Package.id == Customer.package_id))


def format_phone(phone: str | None) -> str | None:
    """`6281234567890` -> `0812-3456-7890`, as the UI shows it (frontend formatPhone). The dashes also keep Excel
    from reading the number as 81234567890 or 8,12346E+10."""
    if not phone or not _STORED_PHONE.match(phone):
        return phone
    local = "0" + phone[2:]
    return f"{local[:4]}-{local[4:8]}-{local[8:]}"


def format_period(period: str | None) -> str | None:
    """`2026-12` -> `Desember 2026` (Excel would turn `2026-12` into a date)."""
    match = _PERIOD.match(period or "")
    if not match or not 1 <= int(match[2]) <= 12:
        return period
    return f"{MONTHS[int(match[2]) - 1]} {match[1]}"


def _customer_row(row) -> list:
    return [row.name, format_phone(row.phone), row.nik, row.address, row.area, row.package_name, row.speed, row.price,
            row.discount, row.total_bill, row.billing_date, CUSTOMER_STATUS_LABELS[row.status], row.register_date,
            row.notes]


def _invoice_row(row) -> list:
    package = f"{row.package_name} ({row.package_speed})" if row.package_speed else row.package_name
    method = PAYMENT_METHOD_LABELS.get(row.payment_method, row.payment_method)
    return [row.customer_name, format_phone(row.customer_phone), row.area, package, format_period(row.period),
            row.due_date, row.amount, row.discount, row.total_amount, STATUS_LABELS[row.status], row.paid_at, method,
            row.paid_by_name, row.payment_note]


def _add(sums: dict, row) -> None:
    paid = row.status == PaymentStatus.paid
    sums["total_amount"] += row.total_amount
    sums["invoice_count"] += 1
    sums["paid_amount" if paid else "unpaid_amount"] += row.total_amount
    sums["paid_count" if paid else "unpaid_count"] += 1


def _write_summary(sheet, sums: dict) -> None:
    """The recap's last rows: total, paid and unpaid, each as a count and an amount."""
    sheet.write([], kinds=[])
    sheet.write(["Ringkasan", "Jumlah Tagihan", "Nominal"], kinds=["text"] * 3, bold=True)
    sheet.write(["Total", sums["invoice_count"], sums["total_amount"]], kinds=SUMMARY_KINDS, bold=True)
    sheet.write(["Terbayar", sums["paid_count"], sums["paid_amount"]], kinds=SUMMARY_KINDS)
    sheet.write(["Belum Terbayar", sums["unpaid_count"], sums["unpaid_amount"]], kinds=SUMMARY_KINDS)
    rate = finance.collection_rate(sums["paid_amount"], sums["total_amount"])
    sheet.write(["Persentase Terkumpul", f"{rate:.1f}%".replace(".", ",")], kinds=["text", "text"])


def _range_name(described: dict) -> str:
    if described["period"]:
        return f"periode-{described['period']}"
    start, end = described["date_from"], described["date_to"]
    return f"{start.isoformat() if start else 'awal'}_{end.isoformat() if end else 'akhir'}"


def _owner_slug(session: Session, owner_id: uuid.UUID | None) -> str:
    if owner_id is None:
        return ""
    owner = session.get(User, owner_id)
    slug = re.sub(r"[^a-z0-9]+", "-", owner.business_name.lower()).strip("-") if owner else ""
    return f"-{slug[:40]}" if slug else ""


# ---------------------------------------------------------------------------------------------
# Files: where they live, download, expiry


def exports_dir() -> Path:
    return get_settings().data_dir / "exports"


def export_file(session: Session, *, job_id: str, actor: User, now: datetime | None = None) -> tuple[Path, str, str]:
    """The file of a finished export of the actor's: (path, download name, MIME type)."""
    try:
        key = uuid.UUID(job_id)
    except ValueError:
        raise NotFound("Tugas tidak ditemukan atau sudah kedaluwarsa.") from None
    job = jobs.get_job(session, str(key), user_id=actor.id)  # another user's job is "not found"
    if not job.get("type", "").startswith("export.") or job.get("state") == "failed":
        raise NotFound("File ekspor tidak ditemukan.")
    if job.get("state") != "done":
        raise Conflict("Ekspor belum selesai. Tunggu hingga progres 100%.", code="export_not_ready")
    result = job["result"]
    path = exports_dir() / f"{key}.{result['format']}"
    if (now or utcnow()) >= datetime.fromisoformat(result["expiresAt"]):
        path.unlink(missing_ok=True)
        raise ExportGone("File ekspor sudah kedaluwarsa (berlaku 24 jam). Silakan buat ekspor baru.")
    if not path.is_file():
        raise ExportGone("File ekspor sudah tidak tersedia. Silakan buat ekspor baru.", code="export_missing")
    return path, result["filename"], MIME_TYPES[result["format"]]


def purge_expired_exports(now: datetime | None = None) -> int:
    """Delete export files older than 24 hours (and abandoned partial files); returns how many."""
    directory = exports_dir()
    if not directory.is_dir():
        return 0
    cutoff = (now or utcnow()).timestamp() - EXPORT_TTL.total_seconds()
    removed = 0
    for path in directory.iterdir():
        if path.is_file() and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _uuid(value: str | None) -> uuid.UUID | None:
    return uuid.UUID(value) if value else None
