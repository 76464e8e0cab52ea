"""CSV and XLSX import of customers (superadmin only): check the upload, validate into a preview, confirm once.

An upload is an .xlsx workbook when its bytes are a zip archive (whatever its name), else CSV text. Both give the
same rows (line/row number, cells) to the same validation. Excel's own types are turned into the text a CSV would
have held: a phone typed as a number (81234567890) becomes "81234567890", a date cell or an Excel serial date
in `tanggal_register` becomes YYYY-MM-DD.
"""

import csv
import io
import itertools
import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time

from openpyxl.utils.datetime import from_excel
from sqlalchemy import String, any_, bindparam, select, text, update
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from shared import crypto
from shared.config import get_settings
from shared.errors import (
    Conflict,
    DomainError,
    FileTooLarge,
    Forbidden,
    Invalid,
    NotFound,
    UnsupportedFileType,
)
from shared.models import Customer, CustomerImport, CustomerStatus, Package, User
from shared.phone import PHONE_ERROR, normalize_phone
from shared.services import spreadsheet
from shared.services.activity import record_activity
from shared.services.tenancy import parse_id
from shared.timeutil import today_wib, utcnow
from shared.wa.templates import rupiah

REQUIRED_COLUMNS = ("nama", "telepon", "diskon", "tanggal", "area", "paket_nama", "paket_tarif", "total_bayar")
OPTIONAL_COLUMNS = ("nik", "tanggal_register")
COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
PREVIEW_VALID_ROWS = 500
PROGRESS_EVERY = 1000
NOT_CSV = ("File harus berformat CSV (teks dipisahkan koma atau titik koma) atau Excel (.xlsx), "
           "bukan file lain.")
EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls")
NOT_FOUND = "Data import tidak ditemukan."

_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_BINARY_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8")
_MONEY_PREFIX = re.compile(r"^rp\.?\s*", re.IGNORECASE)
_THOUSANDS = re.compile(r"^\d{1,3}([.,]\d{3})+$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Excel serial days that are plausible register dates (1954-10-14 .. 2173-10-14), nothing else is taken as one.
_SERIAL_DATES = range(20_000, 100_000)
_SPACES = re.compile(r"\s+")


ProgressCallback = Callable[[int], None]


# ---------------------------------------------------------------------------------------------
# The upload, checked before a job is enqueued


def max_upload_bytes() -> int:
    return get_settings().max_upload_mb * 1024 * 1024


def too_large_error() -> FileTooLarge:
    limit = get_settings().max_upload_mb
    return FileTooLarge(f"Ukuran file melebihi batas {limit} MB. Pecah file menjadi beberapa bagian.",
                          details={"maxMb": limit})


def decode_csv(data: bytes) -> str:
    """The text of an uploaded CSV (UTF-8 with or without BOM, else Windows-1252); refuses binary files."""
    if not data.strip():
        raise Invalid("File CSV kosong.", code="empty_file")
    if data.startswith(_BINARY_MAGIC) or b"\x00" in data:
        raise UnsupportedFileType(NOT_CSV)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise UnsupportedFileType(NOT_CSV) from None
    if _CONTROL_CHARS.search(text):
        raise UnsupportedFileType(NOT_CSV)
    return text


def check_upload(data: bytes, filename: str = "") -> None:
    """Refuse an upload that is too large, not a CSV or XLSX, or has too many rows, before any job starts."""
    if len(data) > max_upload_bytes():
        raise too_large_error()
    limit = get_settings().import_max_rows
    # The header plus one row over the limit is enough to refuse; a workbook is not parsed further than that.
    records = itertools.islice(read_records(data, filename), limit + 2) if spreadsheet.is_xlsx(data) \
        else read_records(data, filename)
    rows = sum(1 for _ in records) - 1
    if rows > limit:
        _too_many_rows(rows, limit, exact=not spreadsheet.is_xlsx(data))


def _too_many_rows(rows: int, limit: int, *, exact: bool = True):
    count = f"{rows:,}" if exact else f"lebih dari {limit:,}"
    raise Invalid(f"File berisi {count} baris; maksimal {limit:,} baris per import.".replace(",", "."),
                  code="too_many_rows", details={"rows": rows, "maxRows": limit})


def read_records(data: bytes, filename: str = "") -> Iterator[tuple[int, list]]:
    """(line or row number, cells) of every non-blank record of a CSV or XLSX upload, the header first.

    A workbook that cannot be read is a 422 naming the problem; a binary file of another kind stays a 415.
    """
    if not data.strip():
        raise Invalid("File kosong.", code="empty_file")
    if spreadsheet.is_old_excel(data):
        raise Invalid(spreadsheet.OLD_XLS, code="invalid_xlsx")
    if spreadsheet.is_xlsx(data):
        return _xlsx_records(data)
    if filename.lower().endswith(EXCEL_SUFFIXES):
        raise Invalid(spreadsheet.CORRUPT_XLSX, code="invalid_xlsx")
    return _data_rows(decode_csv(data))


def _xlsx_records(data: bytes) -> Iterator[tuple[int, list]]:
    try:
        for number, values in spreadsheet.read_xlsx_rows(data):
            if any(not _blank(value) for value in values):
                yield number, values
    except spreadsheet.UnreadableWorkbook as exc:
        raise Invalid(str(exc), code="invalid_xlsx") from None


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _sniff_delimiter(text: str) -> str:
    header = next((line for line in text.splitlines() if line.strip()), "")
    return ";" if header.count(";") > header.count(",") else ","


def _data_rows(text: str) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells) for every non-blank record, the header first; handles quotes and CRLF."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(text))
    start = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:  # a cell over csv.field_size_limit() (131,072 characters), or a stray NUL
            raise _unreadable_record(start, exc) from None
        if any(cell.strip() for cell in cells):
            yield start, cells
        start = reader.line_num + 1


def _unreadable_record(line: int, exc: csv.Error) -> Invalid:
    """The whole file is refused at the first record the csv module cannot read, naming its line."""
    if "field larger than field limit" in str(exc):
        limit = f"{csv.field_size_limit():,}".replace(",", ".")
        message = f"Baris {line}: isi satu kolom lebih dari {limit} karakter. Periksa tanda kutip di baris itu."
    else:
        message = f"Baris {line}: baris CSV tidak dapat dibaca ({exc})."
    return Invalid(message, code="invalid_csv", details={"line": line})


def _header_key(cell) -> str:
    return _SPACES.sub("_", _text(cell).strip().lower().replace("-", "_"))


def _text(value, column: str | None = None) -> str:
    """A cell as the text a CSV would hold; Excel numbers and dates are written back the way people type them."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int | float):
        if isinstance(value, float) and not value.is_integer():
            return repr(value)  # 100000.5 stays visibly fractional, and is refused as Rupiah
        number = int(value)
        if column == "tanggal_register" and number in _SERIAL_DATES:
            return from_excel(number).date().isoformat()  # a date typed in a General-formatted cell
        return str(number)  # 81234567890 (a phone Excel stored as a number) -> "81234567890"
    return str(value)


# ---------------------------------------------------------------------------------------------
# Validation job


@dataclass
class _Lookups:
    owners: dict[str, User]
    packages: dict[str, Package]
    existing: set[tuple[uuid.UUID, str]]
    today: date


@dataclass
class _Row:
    line: int
    data: dict
    errors: list[dict] = field(default_factory=list)
    record: dict | None = None

    def error(self, column: str, message: str) -> None:
        self.errors.append({"field": column, "message": message})


def validate_upload(session: Session, *, data: bytes, filename: str, user_id: uuid.UUID | str,
                    progress: ProgressCallback | None = None) -> dict:
    """Validate every row of an uploaded CSV and keep the valid ones for confirmation; returns the preview."""
    actor = _require_superadmin(session, user_id)
    progress = progress or (lambda pct: None)
    records = list(read_records(data, filename))
    if not records:
        raise Invalid("File kosong.", code="empty_file")
    limit = get_settings().import_max_rows
    if len(records) - 1 > limit:  # checked by the API already; the limit may have been lowered since
        _too_many_rows(len(records) - 1, limit)
    (_, header), lines = records[0], records[1:]
    positions = _column_positions(header)
    raw_rows = [(line, {col: _cell(cells, idx, col) for col, idx in positions.items()}) for line, cells in lines]

    lookups = _load_lookups(session, raw_rows)
    seen: dict[tuple[uuid.UUID, str], int] = {}
    rows: list[_Row] = []
    for index, (line, raw) in enumerate(raw_rows, start=1):
        rows.append(_validate_row(line, raw, lookups, seen))
        if index % PROGRESS_EVERY == 0:
            progress(5 + int(85 * index / len(raw_rows)))

    valid = [row for row in rows if not row.errors]
    invalid = [row for row in rows if row.errors]
    batch = CustomerImport(created_by=actor.id, filename=filename[:255], status="validated",
                           valid_rows=[_sealed(row.record) for row in valid], valid_count=len(valid),
                           invalid_count=len(invalid))
    session.add(batch)
    session.flush()
    record_activity(session, actor=actor, action="customer.import.validate", resource="customer_imports",
                    resource_id=batch.id, metadata={"filename": batch.filename, "validCount": len(valid),
                                                    "invalidCount": len(invalid)})
    shown = sorted(invalid + valid[:PREVIEW_VALID_ROWS], key=lambda row: row.line)
    return {
        "importId": str(batch.id),
        "filename": batch.filename,
        "validCount": len(valid),
        "invalidCount": len(invalid),
        "validRowsOmitted": max(0, len(valid) - PREVIEW_VALID_ROWS),
        "rows": [{"line": row.line, "valid": not row.errors, "data": row.data, "errors": row.errors}
                 for row in shown],
    }


def _column_positions(header: list[str]) -> dict[str, int]:
    positions: dict[str, int] = {}
    for idx, cell in enumerate(header):
        key = _header_key(cell)
        if key in COLUMNS and key not in positions:
            positions[key] = idx
    missing = [col for col in REQUIRED_COLUMNS if col not in positions]
    if missing:
        raise Invalid(f"Kolom wajib tidak ditemukan: {', '.join(missing)}. Baris pertama harus berisi judul "
                      f"kolom: {','.join(COLUMNS)}.", code="missing_columns",
                      details={"missing": missing, "expected": list(COLUMNS)})
    return positions


def _cell(cells: list, idx: int, column: str | None = None) -> str:
    return _SPACES.sub(" ", _text(cells[idx], column)).strip() if idx < len(cells) else ""


def _load_lookups(session: Session, raw_rows: list[tuple[int, dict]]) -> _Lookups:
    """Everything the rows are checked against, loaded set-based: no query per row."""
    owners = {user.business_name.strip().lower(): user for user in session.scalars(select(User))}
    packages: dict[str, Package] = {}
    for package in session.scalars(select(Package).order_by(Package.is_active, Package.created_at.desc())):
        # Names are not unique: an active package wins over an inactive one of the same name.
        packages[package.name.strip().lower()] = package
    phones = sorted({phone for _, raw in raw_rows if (phone := normalize_phone(raw["telepon"]))})
    # One array parameter rather than an IN list: a 50,000-row file would exceed the driver's parameter limit.
    existing = {(owner_id, phone) for owner_id, phone in session.execute(
        select(Customer.owner_id, Customer.phone)
        .where(Customer.phone == any_(bindparam("phones", phones, type_=ARRAY(String)))))}
    return _Lookups(owners=owners, packages=packages, existing=existing, today=today_wib())


def _validate_row(line: int, raw: dict, lookups: _Lookups, seen: dict[tuple[uuid.UUID, str], int]) -> _Row:
    row = _Row(line=line, data=dict(raw))
    data = row.data
    for optional in OPTIONAL_COLUMNS:
        data[optional] = data.get(optional) or None

    name = raw["nama"]
    if not name:
        row.error("nama", "Nama pelanggan wajib diisi.")
    elif len(name) > 255:
        row.error("nama", "Nama pelanggan maksimal 255 karakter.")

    phone = normalize_phone(raw["telepon"])
    if phone is None:
        row.error("telepon", PHONE_ERROR)
    else:
        data["telepon"] = phone

    owner = lookups.owners.get(raw["area"].lower())
    if owner is None:
        row.error("area", f"Area \"{raw['area']}\" tidak cocok dengan nama usaha mitra atau superadmin manapun."
                  if raw["area"] else "Area wajib diisi.")
    elif not owner.is_active:
        row.error("area", f"Pemilik area \"{owner.business_name}\" sudah dinonaktifkan.")
    else:
        data["area"] = owner.business_name

    package = lookups.packages.get(raw["paket_nama"].lower())
    if package is None:
        row.error("paket_nama", f"Paket \"{raw['paket_nama']}\" tidak ditemukan." if raw["paket_nama"]
                  else "Nama paket wajib diisi.")
    elif not package.is_active:
        row.error("paket_nama", f"Paket tidak aktif: \"{package.name}\".")
    else:
        data["paket_nama"] = package.name

    billing_date = _parse_int(raw["tanggal"])
    if billing_date is None or not 1 <= billing_date <= 28:
        row.error("tanggal", "Tanggal tagihan harus bilangan bulat 1–28.")
    else:
        data["tanggal"] = billing_date

    discount = _parse_money(raw["diskon"]) if raw["diskon"] else 0
    if discount is None:
        row.error("diskon", "Diskon harus bilangan bulat tidak negatif (Rupiah).")
    else:
        data["diskon"] = discount
    tarif = _parse_money(raw["paket_tarif"])
    if tarif is None:
        row.error("paket_tarif", "Tarif paket harus berupa angka Rupiah.")
    else:
        data["paket_tarif"] = tarif
    total = _parse_money(raw["total_bayar"])
    if total is None:
        row.error("total_bayar", "Total bayar harus berupa angka Rupiah.")
    else:
        data["total_bayar"] = total
    if package is not None and tarif is not None and tarif != package.price:
        row.error("paket_tarif", f"Tarif {rupiah(tarif)} tidak sama dengan harga {package.name} "
                                 f"({rupiah(package.price)}).")
    if discount is not None and package is not None and discount > package.price:
        row.error("diskon", f"Diskon {rupiah(discount)} melebihi harga paket ({rupiah(package.price)}).")
    if tarif is not None and discount is not None and total is not None and total != tarif - discount:
        row.error("total_bayar", f"Total bayar {rupiah(total)} tidak sama dengan tarif dikurangi diskon "
                                 f"({rupiah(tarif - discount)}).")

    nik = data["nik"]
    if nik is not None and not (nik.isdigit() and len(nik) <= 20):
        row.error("nik", "NIK harus berupa angka (maksimal 20 digit).")

    register_date = lookups.today
    if data["tanggal_register"]:
        parsed = _parse_date(data["tanggal_register"])
        if parsed is None:
            row.error("tanggal_register", "Tanggal register harus berformat YYYY-MM-DD, contoh 2025-01-15.")
        elif parsed > lookups.today:
            row.error("tanggal_register", "Tanggal register tidak boleh di masa depan.")
        else:
            register_date = parsed
    else:
        data["tanggal_register"] = register_date.isoformat()

    if owner is not None and phone is not None:
        key = (owner.id, phone)
        if key in lookups.existing:
            row.error("telepon", f"Nomor telepon sudah terdaftar untuk pelanggan lain di area {owner.business_name}.")
        elif key in seen:
            row.error("telepon", f"Nomor telepon sama dengan baris {seen[key]} untuk area {owner.business_name}.")
        else:
            seen[key] = line

    if not row.errors:
        row.record = {"line": line, "owner_id": str(owner.id), "package_id": str(package.id), "name": name,
                      "phone": phone, "nik": nik, "billing_date": billing_date, "discount": discount,
                      "register_date": register_date.isoformat()}
    return row


def _parse_int(value: str) -> int | None:
    return int(value) if value.isdigit() else None


def _parse_money(value: str) -> int | None:
    """Whole Rupiah from `100000`, `100.000` or `Rp 100.000`; None when it is not one."""
    text = _MONEY_PREFIX.sub("", value.strip()).replace(" ", "")
    if _THOUSANDS.match(text):
        text = text.replace(".", "").replace(",", "")
    return int(text) if text.isdigit() else None


def _parse_date(value: str) -> date | None:
    if not _ISO_DATE.match(value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


# ---------------------------------------------------------------------------------------------
# Confirmation job


def get_import_for_confirm(session: Session, *, actor: User, import_id: uuid.UUID | str) -> CustomerImport:
    """The actor's own validated import, checked before a confirm job is enqueued.

    Only a superadmin can have imports, so for a mitra every id is reported missing (404), like other owners' rows.
    """
    batch = _own_import(session, actor_id=actor.id, import_id=import_id)
    if not actor.is_superadmin:
        raise Forbidden("Hanya superadmin yang dapat mengimpor pelanggan.")
    if batch.status != "validated":
        raise Conflict("Import ini sudah dikonfirmasi sebelumnya.", code="import_already_confirmed",
                       details={"status": batch.status, "imported": batch.imported_count,
                                "skipped": batch.skipped_count})
    return batch


def confirm(session: Session, *, import_id: uuid.UUID | str, user_id: uuid.UUID | str) -> dict:
    """Insert the valid rows of an import in one transaction; a second confirmation imports nothing."""
    actor = _require_superadmin(session, user_id)
    import_id = _own_import(session, actor_id=actor.id, import_id=import_id).id
    # Atomic claim: of two concurrent confirmations only one sees status 'validated'; the other waits on the
    # row lock, re-checks after the first commits, and claims nothing.
    claimed = session.execute(
        update(CustomerImport)
        .where(CustomerImport.id == import_id, CustomerImport.status == "validated")
        .values(status="importing")
        .returning(CustomerImport.valid_rows)
    ).scalar_one_or_none()
    if claimed is None:
        return {"imported": 0, "skipped": 0, "alreadyImported": True}

    rows = _rows_to_insert(session, claimed)
    imported = len(session.execute(_INSERT_ROWS, _as_arrays(rows)).all()) if rows else 0
    skipped = len(claimed) - imported
    session.execute(update(CustomerImport).where(CustomerImport.id == import_id)
                    .values(status="imported", imported_count=imported, skipped_count=skipped,
                            confirmed_at=utcnow()))
    record_activity(session, actor=actor, action="customer.import.confirm", resource="customer_imports",
                    resource_id=import_id, metadata={"imported": imported, "skipped": skipped})
    return {"imported": imported, "skipped": skipped}


# The staged rows wait in customer_imports.valid_rows (JSONB) until confirmed: their NIK is sealed like the column's
# (shared/crypto.py); a batch staged before that reads as it is.
def _sealed(record: dict) -> dict:
    nik = record.get("nik")
    return {**record, "nik": crypto.keyring().encrypt(nik, purpose=crypto.NIK_PURPOSE) if nik else nik}


def _opened(nik: str | None) -> str | None:
    return crypto.keyring().decrypt(nik, purpose=crypto.NIK_PURPOSE) if crypto.is_encrypted(nik) else nik


# Every row in one statement: each column is one array parameter and unnest() turns them back into rows, so
# neither SQLAlchemy nor psycopg handles 10 parameters per row (a 10k-row file: 100,000). A multi-row VALUES list
# compiled per batch of 1,000 took 4.7 s for 10k rows, insertmanyvalues 1.1-4.5 s, this well under one.
# id, created_at and updated_at take their server defaults; the NIK is sealed here (EncryptedString's job for
# an ORM or Core insert of the column), as the column stores it.
_COLUMN_ARRAYS = (("owner_id", "uuid[]"), ("package_id", "uuid[]"), ("name", "varchar[]"), ("phone", "varchar[]"),
                  ("nik", "varchar[]"), ("billing_date", "integer[]"), ("discount", "integer[]"),
                  ("total_bill", "integer[]"), ("status", "customer_status[]"), ("register_date", "date[]"))
_INSERT_ROWS = text(
    f"INSERT INTO customers ({', '.join(name for name, _ in _COLUMN_ARRAYS)}) "
    f"SELECT * FROM unnest({', '.join(f'CAST(:{name} AS {kind})' for name, kind in _COLUMN_ARRAYS)}) "
    "ON CONFLICT ON CONSTRAINT uq_customers_owner_phone DO NOTHING RETURNING id")


def _as_arrays(rows: list[dict]) -> dict[str, list]:
    keyring = crypto.keyring()
    arrays = {name: [row[name] for row in rows] for name, _ in _COLUMN_ARRAYS}
    arrays["nik"] = [keyring.encrypt(nik, purpose=crypto.NIK_PURPOSE) if nik is not None else None
                     for nik in arrays["nik"]]
    arrays["status"] = [status.value for status in arrays["status"]]
    return arrays


def _rows_to_insert(session: Session, valid_rows: list[dict]) -> list[dict]:
    """Customer values for the stored rows, priced at today's package prices; rows no longer valid are left out."""
    packages = {package.id: package for package in session.scalars(select(Package))}
    active_owners = set(session.scalars(select(User.id).where(User.is_active.is_(True))))
    rows = []
    for record in valid_rows:
        package = packages.get(uuid.UUID(record["package_id"]))
        owner_id = uuid.UUID(record["owner_id"])
        if package is None or not package.is_active or record["discount"] > package.price \
                or owner_id not in active_owners:
            continue
        rows.append({"owner_id": owner_id, "package_id": package.id, "name": record["name"],
                     "phone": record["phone"], "nik": _opened(record["nik"]), "billing_date": record["billing_date"],
                     "discount": record["discount"], "total_bill": package.price - record["discount"],
                     "status": CustomerStatus.active, "register_date": date.fromisoformat(record["register_date"])})
    return rows


def _own_import(session: Session, *, actor_id: uuid.UUID, import_id: uuid.UUID | str) -> CustomerImport:
    batch = session.get(CustomerImport, parse_id(import_id, NOT_FOUND))
    # Another superadmin's import is reported as missing: only its creator saw the preview.
    if batch is None or batch.created_by != actor_id:
        raise NotFound(NOT_FOUND)
    return batch


def _require_superadmin(session: Session, user_id: uuid.UUID | str) -> User:
    actor = session.get(User, uuid.UUID(str(user_id)))
    if actor is None or not actor.is_active or not actor.is_superadmin:
        raise Forbidden("Hanya superadmin yang dapat mengimpor pelanggan.")
    return actor


def describe_error(exc: BaseException) -> str:
    """The message a job shows when it fails: domain errors as they are, anything else generic."""
    if isinstance(exc, DomainError):
        return exc.message
    return "Terjadi kesalahan saat memproses import. Coba lagi atau hubungi admin."


# ---------------------------------------------------------------------------------------------
# Template to fill in


TEMPLATE_NAME = "template-import-pelanggan"
COLUMN_HELP = {
    "nama": "Nama pelanggan (wajib, maks. 255 karakter).",
    "telepon": "Nomor WhatsApp: 0812-3456-7890, 081234567890 atau 6281234567890 (wajib).",
    "diskon": "Diskon bulanan dalam Rupiah, 0 bila tidak ada (wajib).",
    "tanggal": "Tanggal tagihan setiap bulan, 1–28 (wajib).",
    "area": "Nama usaha mitra (atau superadmin) pemilik pelanggan, persis seperti di aplikasi (wajib).",
    "paket_nama": "Nama paket internet yang aktif, persis seperti di aplikasi (wajib).",
    "paket_tarif": "Harga paket dalam Rupiah, harus sama dengan harga paket (wajib).",
    "total_bayar": "Tarif dikurangi diskon, dalam Rupiah (wajib).",
    "nik": "NIK 16 digit (opsional). Di Excel tulis sebagai teks agar digit terakhir tidak hilang.",
    "tanggal_register": "Tanggal mulai berlangganan: sel tanggal Excel atau teks YYYY-MM-DD (opsional; kosong = "
                        "hari ini).",
}


def template_example(session: Session, actor: User) -> list:
    """One example row that validates as it is: a real active owner and package of this installation."""
    owner = session.scalars(select(User).where(User.is_active.is_(True), User.id != actor.id)
                            .order_by(User.business_name)).first() or actor
    package = session.scalars(select(Package).where(Package.is_active.is_(True))
                              .order_by(Package.price, Package.name)).first()
    name, price = (package.name, package.price) if package else ("Paket 10 Mbps", 100_000)
    return ["Ahmad Fauzi", "0812-3456-7890", 0, 5, owner.business_name, name, price, price, "3201234567890001",
            date(2025, 1, 15)]


def import_template(session: Session, *, actor: User, fmt: str) -> tuple[bytes, str, str]:
    """The import template as (bytes, download name, MIME type): the header row and one example row."""
    example = template_example(session, actor)
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=spreadsheet.DEFAULT_CSV_DELIMITER)  # opens in Indonesian Excel
        writer.writerow(COLUMNS)
        # NIK left out: Excel turns 16 digits in a CSV into 3,20123E+15 and loses the last ones.
        writer.writerow([value.isoformat() if isinstance(value, date) else value
                         for value in example[:-2]] + ["", example[-1].isoformat()])
        return buffer.getvalue().encode("utf-8-sig"), f"{TEMPLATE_NAME}.csv", spreadsheet.MIME_TYPES["csv"]
    return spreadsheet.template_workbook(COLUMNS, example, COLUMN_HELP, text_columns=("telepon", "nik"),
                                         date_columns=("tanggal_register",)), \
        f"{TEMPLATE_NAME}.xlsx", spreadsheet.MIME_TYPES["xlsx"]
