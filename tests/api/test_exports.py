# ruff: noqa: F811 — the imported `make_invoice` fixture is requested as a parameter
"""Exports: queued as jobs, written by the task, read back with openpyxl and csv, downloaded by their owner only."""

import csv
import io
import os
import re
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from functools import partial

import openpyxl
import pytest

from shared import jobs, tasknames
from shared.config import get_settings
from shared.db import session_scope
from shared.jobs import redis_client
from shared.models import Job
from shared.services import exports, finance
from shared.services.spreadsheet import DATE_FORMAT, MONEY_FORMAT
from tests.fixtures.invoices import make_invoice, raw_money  # noqa: F401 — make_invoice is a fixture

NOV = {"from": "2026-11-01", "to": "2026-11-30"}
EVIL = ["=HYPERLINK(\"http://x\",\"klik\")", "+6281", "-2+3", "@SUM(A1)", "\tTab", "\rCR"]


@pytest.fixture(autouse=True)
def export_dir(monkeypatch, tmp_path):
    monkeypatch.setattr(get_settings(), "data_dir", tmp_path)
    monkeypatch.setattr(finance, "today_wib", lambda: date(2026, 11, 15))
    return tmp_path / "exports"


@pytest.fixture
def tasks(monkeypatch, session_factory):
    """The export task module, its transactions joined to the test's rolled-back connection."""
    from worker.tasks import exports as export_tasks

    monkeypatch.setattr(export_tasks, "session_scope", partial(session_scope, session_factory))
    return export_tasks


@pytest.fixture
def world(superadmin, mitra, other_mitra, make_customer, make_package, make_invoice):
    package = make_package(name="Rumah 20", speed="20 Mbps", price=150_000)
    ani = make_customer(owner=mitra, package=package, name="Ani", discount=10_000, nik="3201", address="Jl. Mawar")
    evil = [make_customer(owner=mitra, package=package, name=name) for name in EVIL]
    citra = make_customer(owner=other_mitra, package=package, name="Citra")
    dedi = make_customer(owner=superadmin, package=package, name="Dedi")
    make_invoice(customer=ani, due=date(2026, 11, 5), status="paid", paid_by=mitra,
                 paid_at=datetime(2026, 11, 5, 2, 30, tzinfo=UTC), payment_method="transfer",
                 payment_note="=cmd|' /C calc'!A0")
    make_invoice(customer=ani, due=date(2026, 10, 5), status="unpaid")  # outside November
    for index, customer in enumerate(evil):
        make_invoice(customer=customer, due=date(2026, 11, 10 + index), status="partial" if index == 0 else "unpaid")
    make_invoice(customer=citra, due=date(2026, 11, 7), status="paid")
    make_invoice(customer=dedi, due=date(2026, 11, 30), status="unpaid")
    return {"ani": ani, "citra": citra, "dedi": dedi}


def run(client, tasks, url: str, task, params=None):
    """Request an export, run its task as the worker would, and download the file."""
    queued = redis_client().llen("exports")
    res = client.get(url, query_string=params or {})
    assert res.status_code == 202, res.json
    job_id = res.json["jobId"]
    assert client.get(f"/api/jobs/{job_id}").json["state"] == "queued"
    assert redis_client().llen("exports") == queued + 1
    message_kwargs = dict(user_id=str(client.user.id), **_task_args(job_id))
    task(job_id=job_id, **message_kwargs)
    job = client.get(f"/api/jobs/{job_id}").json
    assert job["state"] == "done", job
    download = client.get(job["result"]["downloadUrl"])
    assert download.status_code == 200, download.get_data(as_text=True)[:300]
    download.get_data()  # read the streamed file, then let go of it
    download.close()
    return job, download


def _task_args(job_id):
    import base64
    import json

    # The message the worker would get: the last one sent to the exports queue.
    message = json.loads(redis_client().lindex("exports", 0))
    assert message["headers"]["id"] == job_id
    kwargs = json.loads(base64.b64decode(message["body"]))[1]
    return {"fmt": kwargs["fmt"], "params": kwargs["params"]}


def xlsx_rows(download):
    sheet = openpyxl.load_workbook(io.BytesIO(download.get_data())).active
    return sheet, [list(row) for row in sheet.iter_rows()]


def test_finance_recap_xlsx_has_typed_cells_and_summary_rows_equal_to_sql(superadmin_client, tasks, db, mitra,
                                                                          world):
    job, download = run(superadmin_client, tasks, "/api/finance/export", tasks.export_finance,
                        {"format": "xlsx", **NOV})
    assert job["result"]["filename"] == "rekap-keuangan-2026-11-01_2026-11-30.xlsx"
    assert 'filename=rekap-keuangan-2026-11-01_2026-11-30.xlsx' in download.headers["Content-Disposition"]
    assert download.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet, rows = xlsx_rows(download)
    header = [cell.value for cell in rows[0]]
    assert header[:6] == ["Nama", "Telepon", "Area", "Paket", "Periode", "Jatuh Tempo"]
    assert {"Total", "Status", "Tanggal Bayar", "Dicatat Oleh", "Metode"} <= set(header)
    assert all(cell.font.b for cell in rows[0]) and sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["A"].width == 28
    data = rows[1:10]
    assert len(data) == 9 == job["result"]["rows"]
    col = {name: header.index(name) for name in header}
    ani = next(row for row in data if row[0].value == "Ani")
    assert ani[col["Total"]].value == 140_000 and ani[col["Total"]].data_type == "n"
    assert ani[col["Total"]].number_format == MONEY_FORMAT
    assert ani[col["Jatuh Tempo"]].value == datetime(2026, 11, 5) and ani[col["Jatuh Tempo"]].number_format == DATE_FORMAT
    assert ani[col["Tanggal Bayar"]].value == datetime(2026, 11, 5, 9, 30)  # shown in WIB
    assert (ani[col["Status"]].value, ani[col["Metode"]].value, ani[col["Paket"]].value) == (
        "Lunas", "Transfer", "Rumah 20 (20 Mbps)")
    assert ani[col["Periode"]].value in {f"{month} 2026" for month in exports.MONTHS}
    assert ani[col["Telepon"]].data_type == "s" and re.fullmatch(r"08\d{2}-\d{4}-\d+", ani[col["Telepon"]].value)
    assert ani[col["Dicatat Oleh"]].value == mitra.name
    summary = {row[0].value: (row[1].value, row[2].value) for row in rows[11:] if row[0].value}
    sql = raw_money(db, "due_date BETWEEN '2026-11-01' AND '2026-11-30'")
    assert summary["Total"] == (sql["invoiceCount"], sql["totalAmount"])
    assert summary["Terbayar"] == (sql["paidCount"], sql["paidAmount"])
    assert summary["Belum Terbayar"] == (sql["unpaidCount"], sql["unpaidAmount"])
    assert rows[12][2].number_format == MONEY_FORMAT


def test_formula_like_text_stays_plain_text(superadmin_client, tasks, world):
    _, download = run(superadmin_client, tasks, "/api/finance/export", tasks.export_finance, {"format": "xlsx", **NOV})
    _, rows = xlsx_rows(download)
    names = {row[0].value: row[0] for row in rows[1:10]}
    for name in EVIL:
        name = name.replace("\r", "\n")  # XML keeps line ends as LF
        assert names[name].data_type == "s", name  # not a formula
    note = next(row for row in rows if row[0].value == "Ani")[-1]
    assert note.value == "=cmd|' /C calc'!A0" and note.data_type == "s"

    _, download = run(superadmin_client, tasks, "/api/finance/export", tasks.export_finance, {"format": "csv", **NOV})
    text = download.get_data().decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    names = [line[0] for line in lines[1:10]]
    for name in EVIL:
        assert "'" + name in names, name
    assert any(line[-1] == "'=cmd|' /C calc'!A0" for line in lines)


def test_finance_recap_csv_has_bom_crlf_and_summary(superadmin_client, tasks, db, world):
    job, download = run(superadmin_client, tasks, "/api/finance/export", tasks.export_finance, {"format": "csv", **NOV})
    raw = download.get_data()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw and raw.count(b"\r\n") == raw.count(b"\n")
    assert download.mimetype == "text/csv" and job["result"]["filename"].endswith(".csv")
    # `;` separated: Excel set to Indonesian splits on `;`; a `,` file opened as one column.
    assert raw.decode("utf-8-sig").splitlines()[0].startswith("Nama;Telepon;Area;")
    lines = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert lines[0][:3] == ["Nama", "Telepon", "Area"]
    assert all(len(line) == len(lines[0]) for line in lines[1:10])
    ani = dict(zip(lines[0], next(line for line in lines if line[0] == "Ani"), strict=True))
    assert ani["Total"] == "140000" and ani["Jatuh Tempo"] == "05/11/2026" and ani["Tanggal Bayar"] == "05/11/2026 09:30"
    # Indonesian values, as the UI shows them; the phone as 0812-3456-7890, which Excel keeps as text.
    assert (ani["Status"], ani["Metode"]) == ("Lunas", "Transfer")
    assert ani["Periode"] in {f"{month} 2026" for month in exports.MONTHS}
    assert re.fullmatch(r"08\d{2}-\d{4}-\d+", ani["Telepon"]), ani["Telepon"]
    statuses = {line[0]: line[lines[0].index("Status")] for line in lines[1:10]}
    assert statuses["'" + EVIL[0]] == "Sebagian" and statuses["'" + EVIL[1]] == "Belum Bayar"
    summary = {line[0]: line[1:3] for line in lines if line and line[0] in ("Total", "Terbayar", "Belum Terbayar")}
    sql = raw_money(db, "due_date BETWEEN '2026-11-01' AND '2026-11-30'")
    assert summary["Total"] == [str(sql["invoiceCount"]), str(sql["totalAmount"])]
    assert summary["Terbayar"] == [str(sql["paidCount"]), str(sql["paidAmount"])]
    assert summary["Belum Terbayar"] == [str(sql["unpaidCount"]), str(sql["unpaidAmount"])]


def test_finance_recap_defaults_to_this_collection_month(superadmin_client, tasks, world):
    job, _ = run(superadmin_client, tasks, "/api/finance/export", tasks.export_finance)
    assert job["result"]["filename"] == "rekap-keuangan-2026-11-01_2026-11-30.xlsx" and job["result"]["rows"] == 9


def test_mitra_recap_holds_only_own_invoices(mitra_client, mitra, tasks, db, world):
    job, download = run(mitra_client, tasks, "/api/finance/export", tasks.export_finance, {"format": "xlsx", **NOV})
    _, rows = xlsx_rows(download)
    names = {row[0].value for row in rows[1:job["result"]["rows"] + 1]}
    assert names == {"Ani", *(name.replace("\r", "\n") for name in EVIL)}
    total = next(row for row in rows if row[0].value == "Total")
    sql = raw_money(db, "due_date BETWEEN '2026-11-01' AND '2026-11-30' AND owner_id = :o", o=mitra.id)
    assert (total[1].value, total[2].value) == (sql["invoiceCount"], sql["totalAmount"])


def test_mitra_cannot_export_another_owners_recap_invoices_or_customers(mitra_client, other_mitra, world):
    res = mitra_client.get("/api/finance/export", query_string={"ownerId": str(other_mitra.id)})
    assert res.status_code == 404
    assert mitra_client.get("/api/invoices/export").status_code == 403
    assert mitra_client.get("/api/customers/export").status_code == 403
    assert redis_client().llen("exports") == 0


def test_superadmin_recap_for_one_mitra_is_named_after_its_area(superadmin_client, tasks, mitra, make_user):
    area = make_user(business_name="WiFi Sukamaju Jaya")
    job, _ = run(superadmin_client, tasks, "/api/finance/export", tasks.export_finance,
                 {"ownerId": str(area.id), **NOV})
    assert job["result"]["filename"] == "rekap-keuangan-wifi-sukamaju-jaya-2026-11-01_2026-11-30.xlsx"
    assert job["result"]["rows"] == 0


def test_invoices_export_filters_by_status_and_period(superadmin_client, tasks, world):
    job, download = run(superadmin_client, tasks, "/api/invoices/export", tasks.export_invoices,
                        {"format": "csv", "status": "paid", **NOV})
    lines = list(csv.reader(io.StringIO(download.get_data().decode("utf-8-sig"), newline=""), delimiter=";"))
    assert sorted(line[0] for line in lines[1:]) == ["Ani", "Citra"]  # no summary rows in the invoice list
    assert job["result"]["filename"] == "tagihan-2026-11-01_2026-11-30.csv"
    job, _ = run(superadmin_client, tasks, "/api/invoices/export", tasks.export_invoices, {"period": "2026-11"})
    assert job["result"]["filename"] == "tagihan-periode-2026-11.xlsx" and job["result"]["rows"] == 1


def test_customers_export_with_list_filters(superadmin_client, tasks, mitra, world):
    job, download = run(superadmin_client, tasks, "/api/customers/export", tasks.export_customers,
                        {"ownerId": str(mitra.id), "q": "Ani"})
    _, rows = xlsx_rows(download)
    header = [cell.value for cell in rows[0]]
    assert header[:5] == ["Nama", "Telepon", "NIK", "Alamat", "Area"]
    assert len(rows) == 2 and job["result"]["rows"] == 1
    ani = dict(zip(header, rows[1], strict=True))
    assert (ani["Nama"].value, ani["NIK"].value, ani["Area"].value, ani["Status"].value) == (
        "Ani", "3201", mitra.business_name, "Aktif")
    assert ani["Total Tagihan"].value == 140_000 and ani["Total Tagihan"].number_format == MONEY_FORMAT
    assert ani["Tanggal Register"].is_date and ani["Telepon"].data_type == "s"
    assert job["result"]["filename"].startswith("pelanggan-")


def test_customers_csv_opens_in_indonesian_excel(superadmin_client, tasks, mitra, world):
    _, download = run(superadmin_client, tasks, "/api/customers/export", tasks.export_customers,
                      {"format": "csv", "ownerId": str(mitra.id), "q": "Ani"})
    raw = download.get_data()
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=";"))
    ani = dict(zip(lines[0], lines[1], strict=True))
    assert (ani["Nama"], ani["Status"], ani["Total Tagihan"]) == ("Ani", "Aktif", "140000")
    assert re.fullmatch(r"08\d{2}-\d{4}-\d+", ani["Telepon"]), ani["Telepon"]
    assert re.fullmatch(r"\d{2}/\d{2}/\d{4}", ani["Tanggal Register"])


def test_csv_delimiter_can_be_chosen(superadmin_client, tasks, world):
    _, download = run(superadmin_client, tasks, "/api/invoices/export", tasks.export_invoices,
                      {"format": "csv", "delimiter": ",", **NOV})
    text = download.get_data().decode("utf-8-sig")
    assert text.startswith("Nama,Telepon,Area,")
    lines = list(csv.reader(io.StringIO(text, newline="")))
    assert any(line[0] == "Ani" and "Lunas" in line for line in lines)
    res = superadmin_client.get("/api/invoices/export", query_string={"format": "csv", "delimiter": "|"})
    assert res.status_code == 422 and "Pemisah CSV" in str(res.json)


def test_phone_and_period_are_written_as_the_ui_shows_them():
    assert exports.format_phone("6281234567890") == "0812-3456-7890"
    assert exports.format_phone("628123456789") == "0812-3456-789"
    assert exports.format_phone(None) is None and exports.format_phone("12345") == "12345"
    assert exports.format_period("2026-01") == "Januari 2026" and exports.format_period("2026-13") == "2026-13"


def test_export_routes_are_not_captured_as_ids(app, superadmin_client, world):
    adapter = app.url_map.bind("localhost")
    assert adapter.match("/api/invoices/export")[0] == "exports.export_invoices"
    assert adapter.match("/api/customers/export")[0] == "customers.export_customers"
    assert superadmin_client.get("/api/invoices/export").status_code == 202
    assert superadmin_client.get("/api/customers/export?format=csv").status_code == 202


@pytest.mark.parametrize("url", ["/api/finance/export", "/api/invoices/export", "/api/customers/export"])
def test_bad_format_or_filters_are_422(superadmin_client, url):
    assert superadmin_client.get(url, query_string={"format": "pdf"}).status_code == 422
    if url != "/api/customers/export":
        res = superadmin_client.get(url, query_string={"from": "2026-11-30", "to": "2026-11-01"})
        assert res.status_code == 422


def test_only_the_user_who_started_an_export_may_download_it(superadmin_client, as_user, mitra, tasks, world):
    job, _ = run(superadmin_client, tasks, "/api/finance/export", tasks.export_finance, NOV)
    other = as_user(mitra).get(job["result"]["downloadUrl"])
    assert other.status_code == 404 and other.json["error"]["code"] == "not_found"


def test_download_before_done_is_409_and_unknown_is_404(superadmin_client, superadmin, db):
    job_id = jobs.submit(db, tasknames.EXPORT_FINANCE, job_type="export.finance", user_id=superadmin.id)
    res = superadmin_client.get(f"/api/exports/{job_id}/download")
    assert res.status_code == 409 and res.json["error"]["code"] == "export_not_ready"
    assert superadmin_client.get(f"/api/exports/{uuid.uuid4()}/download").status_code == 404
    assert superadmin_client.get("/api/exports/..%2F..%2Fetc/download").status_code == 404
    other_job = jobs.submit(db, tasknames.VALIDATE_CUSTOMER_IMPORT, job_type="customer_import.validate",
                            user_id=superadmin.id)
    jobs.finish(db, jobs.claim(db, other_job), result={"format": "csv"})
    assert superadmin_client.get(f"/api/exports/{other_job}/download").status_code == 404


def test_expired_export_is_410_and_its_file_deleted(superadmin_client, tasks, export_dir, world, db):
    job, _ = run(superadmin_client, tasks, "/api/finance/export", tasks.export_finance, NOV)
    path = export_dir / f"{job['id']}.xlsx"
    assert path.is_file()
    past = (datetime.now(UTC) - timedelta(minutes=1)).isoformat()
    db.get(Job, uuid.UUID(job["id"])).result = {**job["result"], "expiresAt": past}
    db.flush()
    res = superadmin_client.get(job["result"]["downloadUrl"])
    assert res.status_code == 410 and res.json["error"]["code"] == "export_expired"
    assert "24 jam" in res.json["error"]["message"] and not path.exists()


def test_missing_file_is_410(superadmin_client, tasks, export_dir, world):
    job, _ = run(superadmin_client, tasks, "/api/finance/export", tasks.export_finance, NOV)
    (export_dir / f"{job['id']}.xlsx").unlink()
    res = superadmin_client.get(job["result"]["downloadUrl"])
    assert res.status_code == 410 and res.json["error"]["code"] == "export_missing"


def test_old_files_are_purged(export_dir):
    export_dir.mkdir(parents=True)
    old, fresh = export_dir / f"{uuid.uuid4()}.csv", export_dir / f"{uuid.uuid4()}.xlsx"
    old.write_text("x")
    fresh.write_text("y")
    # Both ages from this process's clock, not the file system's (which stamped `fresh`; they can disagree).
    now = time.time()
    os.utime(fresh, (now, now))
    day_ago = now - 25 * 3600
    os.utime(old, (day_ago, day_ago))
    assert exports.purge_expired_exports() == 1
    assert not old.exists() and fresh.exists()


def test_progress_is_reported_while_rows_are_written(monkeypatch, db, superadmin, world, export_dir):
    monkeypatch.setattr(exports, "PROGRESS_EVERY", 2)
    seen = []
    result = exports.run_export(db, job_id=str(uuid.uuid4()), user_id=str(superadmin.id), kind="finance",
                                fmt="csv", params=NOV, progress=seen.append)
    assert result["rows"] == 9 and seen == sorted(seen) and len(seen) == 4 and all(5 <= p <= 99 for p in seen)


def test_export_of_a_deactivated_user_fails_with_a_message(superadmin_client, superadmin, tasks, db, world):
    res = superadmin_client.get("/api/finance/export")
    superadmin.is_active = False
    db.flush()
    job_id = res.json["jobId"]
    tasks.export_finance(job_id=job_id, user_id=str(superadmin.id), **_task_args(job_id))
    superadmin.is_active = True
    db.flush()
    job = superadmin_client.get(f"/api/jobs/{job_id}").json
    assert job["state"] == "failed" and job["error"]


@pytest.mark.parametrize("url", ["/api/finance/export", "/api/invoices/export", "/api/customers/export",
                                 f"/api/exports/{uuid.uuid4()}/download"])
def test_exports_need_login(client, url):
    assert client.get(url).status_code == 401


def test_xlsx_text_over_excels_cell_limit_is_cut_not_dropped(tmp_path):
    from shared.services.spreadsheet import XLSX_MAX_CELL_CHARS, Column, open_sheet

    path = tmp_path / "panjang.xlsx"
    with open_sheet(path, "xlsx", [Column("Catatan"), Column("Total", "money")], title="Uji") as sheet:
        sheet.write(["x" * (XLSX_MAX_CELL_CHARS + 10), 5_000])
        sheet.write(["baris\r\ndua\rtiga\x07", None])
    rows = [list(row) for row in openpyxl.load_workbook(path).active.iter_rows(values_only=True)]
    assert rows[0] == ["Catatan", "Total"]
    assert rows[1] == ["x" * XLSX_MAX_CELL_CHARS, 5_000]
    assert rows[2] == ["baris\ndua\ntiga", None]
