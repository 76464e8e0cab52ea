# ruff: noqa: F811 — the imported `import_world` fixture is requested as a parameter
"""XLSX import beside CSV, and the import template: real workbooks made with openpyxl in the test."""

import csv
import io
import zipfile
from datetime import date, datetime

import openpyxl
import pytest
from sqlalchemy import select

from shared.jobs import redis_client
from shared.models import Customer
from shared.services import customer_import
from tests.api.test_customer_import import admin, confirmed, job, tasks, upload  # noqa: F401 — fixtures
from tests.fixtures.imports import import_world  # noqa: F401 — a fixture, used as a parameter

HEADER = list(customer_import.COLUMNS)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook(*rows, header=HEADER, cell_formats: dict[int, str] | None = None) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    for column, fmt in (cell_formats or {}).items():
        for cells in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
            cells[0].number_format = fmt
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def validate_xlsx(client, tasks, world, data: bytes, name="pelanggan.xlsx"):
    res = upload(client, data, name)
    assert res.status_code == 202, res.json
    tasks.validate_customers(job_id=res.json["jobId"], user_id=str(world.superadmin.id), filename=name)
    return job(client, res.json["jobId"])


def test_xlsx_with_excel_types_is_validated_and_imported_like_csv(admin, tasks, import_world, db):
    data = workbook(
        # a phone typed as a number (Excel drops the 0), a real date cell
        ["Ahmad Fauzi", 81234567890, 0, 5, "Uji Sukamaju", "Uji 10 Mbps", 100000, 100000, "3201234567890001",
         date(2025, 1, 15)],
        # 62… stored as a float, a serial date in a General cell, money as floats
        ["Siti Nurhaliza", 6289876543210.0, 10000.0, 10.0, "Uji Sukamaju", "Uji 20 Mbps", 150000.0, 140000.0, None,
         45689],
        # text everywhere, as a CSV would hold it; a datetime at midnight
        ["Budi Santoso", "0811-2233-4455", "0", "15", "Uji Mekarjaya", "Uji 50 Mbps", "Rp 250.000", "250.000", "",
         datetime(2025, 3, 10)],
        [None, None, None, None, None, None, None, None, None, None],  # a blank row is skipped
        ["Rusak", 812, 0, 40, "Area Entah", "Uji 10 Mbps", 100000.5, 100000, None, None],
    )
    record = validate_xlsx(admin, tasks, import_world, data)
    assert record["state"] == "done", record
    preview = record["result"]
    assert (preview["validCount"], preview["invalidCount"]) == (3, 1)
    rows = {row["line"]: row for row in preview["rows"]}
    assert rows[2]["data"]["telepon"] == "6281234567890" and rows[2]["data"]["tanggal_register"] == "2025-01-15"
    assert rows[3]["data"]["telepon"] == "6289876543210" and rows[3]["data"]["tanggal_register"] == "2025-02-01"
    assert rows[3]["data"]["diskon"] == 10000 and rows[3]["data"]["total_bayar"] == 140000
    assert rows[4]["data"]["tanggal_register"] == "2025-03-10"
    bad = {error["field"] for error in rows[6]["errors"]}  # row numbers are the sheet's, blank row included
    assert bad == {"telepon", "tanggal", "area", "paket_tarif"}
    assert rows[6]["data"]["paket_tarif"] == "100000.5"

    assert confirmed(admin, tasks, import_world, preview["importId"])["result"] == {"imported": 3, "skipped": 0}
    ahmad = db.scalar(select(Customer).where(Customer.phone == "6281234567890"))
    assert (ahmad.name, ahmad.nik, ahmad.register_date, ahmad.billing_date) == (
        "Ahmad Fauzi", "3201234567890001", date(2025, 1, 15), 5)
    siti = db.scalar(select(Customer).where(Customer.phone == "6289876543210"))
    assert (siti.discount, siti.total_bill, siti.register_date) == (10000, 140000, date(2025, 2, 1))


def test_xlsx_formula_is_never_stored_as_formula_text(admin, tasks, import_world):
    # openpyxl saves no cached value, as a file never opened in Excel: the cell reads as empty, not "=…".
    data = workbook(['=HYPERLINK("http://x","klik")', "6281234567890", 0, 5, "Uji Sukamaju", "Uji 10 Mbps",
                     100000, "=G2-C2", None, None])
    preview = validate_xlsx(admin, tasks, import_world, data)["result"]
    row = preview["rows"][0]
    assert {error["field"] for error in row["errors"]} == {"nama", "total_bayar"}
    assert "=" not in str(row["data"])


def test_xlsx_missing_columns_fail_the_job_in_indonesian(admin, tasks, import_world):
    record = validate_xlsx(admin, tasks, import_world, workbook(["A"], header=["nama", "telepon"]))
    assert record["state"] == "failed" and "Kolom wajib tidak ditemukan: diskon" in record["error"]


def corrupt_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook><sheets><sheet name='x' r:id='rId1'")  # broken XML
    return buffer.getvalue()


def plain_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("foto.jpg", b"\xff\xd8\xff")
    return buffer.getvalue()


@pytest.mark.parametrize(("data", "name", "says"), [
    (lambda: workbook(["x"])[:2000], "pelanggan.xlsx", "rusak"),  # truncated download
    (corrupt_zip, "pelanggan.xlsx", "rusak"),
    (plain_zip, "arsip.xlsx", "rusak"),  # a zip, but no workbook in it
    (lambda: b"nama,telepon\nbukan excel", "pelanggan.xlsx", "rusak"),  # text renamed .xlsx
    (lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "lama.xls", ".xls"),  # Excel 97-2003 / password
])
def test_unreadable_workbook_is_a_clear_422_never_a_500(admin, data, name, says):
    res = upload(admin, data(), name)
    assert res.status_code == 422, res.json
    error = res.json["error"]
    assert error["code"] == "invalid_xlsx" and says in error["message"] and "Excel" in error["message"]
    assert redis_client().llen("imports") == 0


def test_zip_bomb_workbook_is_refused(admin, monkeypatch):
    from shared.services import spreadsheet

    monkeypatch.setattr(spreadsheet, "MAX_XLSX_EXPANDED_BYTES", 10_000)
    res = upload(admin, workbook(*[["Nama " * 50, "6281234567890"]] * 200), "besar.xlsx")
    assert res.status_code == 422 and "terlalu besar" in res.json["error"]["message"]


def test_xlsx_row_limit_is_checked_at_upload(admin, monkeypatch):
    from shared.config import get_settings

    monkeypatch.setattr(get_settings(), "import_max_rows", 2)
    rows = [[f"P{i}", f"62812000000{i:02d}", 0, 5, "Uji Sukamaju", "Uji 10 Mbps", 100000, 100000] for i in range(5)]
    res = upload(admin, workbook(*rows), "banyak.xlsx")
    assert res.status_code == 422 and res.json["error"]["code"] == "too_many_rows"
    assert "lebih dari 2 baris" in res.json["error"]["message"]
    monkeypatch.setattr(get_settings(), "import_max_rows", 5)
    assert upload(admin, workbook(*rows), "banyak.xlsx").status_code == 202


def test_long_xlsx_cell_gets_the_same_length_check(admin, tasks, import_world):
    data = workbook(["N" * 300, "6281234567890", 0, 5, "Uji Sukamaju", "Uji 10 Mbps", 100000, 100000])
    row = validate_xlsx(admin, tasks, import_world, data)["result"]["rows"][0]
    assert row["errors"] == [{"field": "nama", "message": "Nama pelanggan maksimal 255 karakter."}]


def test_mitra_cannot_import_xlsx(mitra_client):
    assert upload(mitra_client, workbook(), "pelanggan.xlsx").status_code == 403


# ---------------------------------------------------------------------------------------------
# Template


def test_xlsx_template_has_the_columns_and_an_example_row_that_validates(admin, tasks, import_world):
    res = admin.get("/api/customers/import/template?format=xlsx")
    assert res.status_code == 200 and res.mimetype == XLSX
    assert "template-import-pelanggan.xlsx" in res.headers["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(res.data))
    sheet = book.worksheets[0]
    assert [cell.value for cell in sheet[1]] == HEADER
    example = dict(zip(HEADER, sheet[2], strict=True))
    assert example["telepon"].data_type == "s" and example["telepon"].number_format == "@"
    assert example["nik"].number_format == "@" and example["tanggal_register"].is_date
    assert "Petunjuk" in book.sheetnames
    preview = validate_xlsx(admin, tasks, import_world, res.data)["result"]
    assert (preview["validCount"], preview["invalidCount"]) == (1, 0), preview


def test_csv_template_is_semicolon_separated_with_bom_and_validates(admin, tasks, import_world):
    res = admin.get("/api/customers/import/template?format=csv")
    assert res.status_code == 200 and res.mimetype == "text/csv"
    assert res.data.startswith(b"\xef\xbb\xbf")
    lines = list(csv.reader(io.StringIO(res.data.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert lines[0] == HEADER and len(lines) == 2 and len(lines[1]) == len(HEADER)
    preview = validate_xlsx(admin, tasks, import_world, res.data, "template.csv")["result"]
    assert (preview["validCount"], preview["invalidCount"]) == (1, 0), preview


def test_template_is_for_the_superadmin_only(mitra_client, admin):
    assert mitra_client.get("/api/customers/import/template").status_code == 403
    assert admin.get("/api/customers/import/template?format=pdf").status_code == 422
