from datetime import date

import pytest
from sqlalchemy import select

from shared import crypto
from shared.errors import FileTooLarge, Forbidden, Invalid, UnsupportedFileType
from shared.models import ActivityLog, CustomerImport
from shared.services import customer_import
from shared.services.customer_import import validate_upload
from shared.timeutil import today_wib
from tests.fixtures.imports import csv_bytes

EXPECTED_VALID = [
    {"nama": "Ahmad Fauzi", "telepon": "6281234567890", "diskon": 0, "tanggal": 5, "area": "Uji Sukamaju",
     "paket_nama": "Uji 10 Mbps", "paket_tarif": 100_000, "total_bayar": 100_000, "nik": "3201234567890001",
     "tanggal_register": "2025-01-15"},
    {"nama": "Siti Nurhaliza", "telepon": "6289876543210", "diskon": 10_000, "tanggal": 10, "area": "Uji Sukamaju",
     "paket_nama": "Uji 20 Mbps", "paket_tarif": 150_000, "total_bayar": 140_000, "nik": "3201234567890002",
     "tanggal_register": "2025-02-01"},
    {"nama": "Budi Santoso", "telepon": "6281122334455", "diskon": 0, "tanggal": 15, "area": "Uji Mekarjaya",
     "paket_nama": "Uji 50 Mbps", "paket_tarif": 250_000, "total_bayar": 250_000, "nik": None,
     "tanggal_register": "2025-03-10"},
    {"nama": "Dewi Lestari", "telepon": "6287766554433", "diskon": 20_000, "tanggal": 20, "area": "Uji Pusat",
     "paket_nama": "Uji 10 Mbps", "paket_tarif": 100_000, "total_bayar": 80_000, "nik": "3201234567890004",
     "tanggal_register": None},
]


def validate(db, world, name, **kwargs):
    return validate_upload(db, data=csv_bytes(name), filename=name, user_id=world.superadmin.id, **kwargs)


def errors_by_line(preview):
    return {row["line"]: {(e["field"], e["message"]) for e in row["errors"]} for row in preview["rows"]
            if row["errors"]}


def fields_by_line(preview):
    return {line: {field for field, _ in errs} for line, errs in errors_by_line(preview).items()}


@pytest.mark.parametrize("name", ["valid.csv", "bom.csv", "semicolon.csv", "crlf.csv", "trailing_blank_lines.csv"])
def test_spec_example_validates_in_every_file_dialect(db, import_world, name):
    preview = validate(db, import_world, name)
    assert preview["validCount"] == 4 and preview["invalidCount"] == 0, preview["rows"]
    assert [row["line"] for row in preview["rows"]] == [2, 3, 4, 5]
    expected = [dict(row, tanggal_register=row["tanggal_register"] or today_wib().isoformat())
                for row in EXPECTED_VALID]
    assert [row["data"] for row in preview["rows"]] == expected


def test_valid_rows_are_stored_normalised_on_the_import(db, import_world):
    preview = validate(db, import_world, "valid.csv")
    batch = db.get(CustomerImport, preview["importId"])
    assert batch.status == "validated" and batch.created_by == import_world.superadmin.id
    assert (batch.valid_count, batch.invalid_count, batch.filename) == (4, 0, "valid.csv")
    first = dict(batch.valid_rows[0])
    # The staged NIK is sealed like the customers column (shared/crypto.py): no plaintext waits in the JSONB.
    sealed = first.pop("nik")
    assert "3201234567890001" not in sealed
    assert crypto.keyring().decrypt(sealed, purpose=crypto.NIK_PURPOSE) == "3201234567890001"
    assert first == {"line": 2, "owner_id": str(import_world.sukamaju.id), "package_id": str(import_world.paket10.id),
                     "name": "Ahmad Fauzi", "phone": "6281234567890", "billing_date": 5,
                     "discount": 0, "register_date": "2025-01-15"}
    assert batch.valid_rows[3]["owner_id"] == str(import_world.superadmin.id)
    assert db.scalar(select(ActivityLog).where(ActivityLog.resource_id == batch.id)).action == \
        "customer.import.validate"


def test_quoted_fields_with_commas_and_quotes_survive(db, import_world):
    preview = validate(db, import_world, "quoted_commas.csv")
    assert preview["invalidCount"] == 0, preview["rows"]
    names = [row["data"]["nama"] for row in preview["rows"]]
    assert names == ["Fauzi, Ahmad", 'Siti "Ina" Nurhaliza']
    assert preview["rows"][0]["data"]["paket_tarif"] == 100_000
    assert preview["rows"][1]["data"]["diskon"] == 10_000


def test_extra_spaces_and_header_case_are_tolerated(db, import_world):
    preview = validate(db, import_world, "extra_spaces.csv")
    assert preview["invalidCount"] == 0, preview["rows"]
    first, second = (row["data"] for row in preview["rows"])
    assert first["nama"] == "Ahmad Fauzi" and first["telepon"] == "6281234567890"
    assert first["area"] == "Uji Sukamaju" and first["paket_nama"] == "Uji 10 Mbps" and first["nik"] is None
    assert second["telepon"] == "6289876543210" and second["diskon"] == 10_000 and second["paket_tarif"] == 150_000


def test_columns_may_come_in_any_order_and_optional_ones_may_be_absent(db, import_world):
    preview = validate(db, import_world, "header_order.csv")
    assert preview["validCount"] == 1, preview["rows"]
    assert preview["rows"][0]["data"]["nik"] is None


def test_money_cells_accept_thousand_dots_and_rp_prefix(db, import_world):
    preview = validate(db, import_world, "money_formats.csv")
    assert preview["invalidCount"] == 0, preview["rows"]
    assert [(r["data"]["diskon"], r["data"]["paket_tarif"], r["data"]["total_bayar"]) for r in preview["rows"]] == [
        (10_000, 100_000, 90_000), (10_000, 100_000, 90_000), (0, 100_000, 100_000), (0, 100_000, 100_000)]


def test_windows_1252_file_is_decoded(db, import_world):
    preview = validate(db, import_world, "cp1252.csv")
    assert preview["rows"][0]["data"]["nama"] == "José Müller"


def test_missing_required_columns_is_one_error_naming_them(db, import_world):
    with pytest.raises(Invalid) as exc:
        validate(db, import_world, "missing_columns.csv")
    assert exc.value.code == "missing_columns"
    assert exc.value.details["missing"] == ["telepon", "area"]
    assert "telepon, area" in exc.value.message


def test_header_only_file_has_no_rows(db, import_world):
    preview = validate(db, import_world, "header_only.csv")
    assert (preview["validCount"], preview["invalidCount"], preview["rows"]) == (0, 0, [])


@pytest.mark.parametrize("name", ["binary.csv", "nul_bytes.csv"])
def test_non_csv_content_is_refused(name):
    with pytest.raises(UnsupportedFileType) as exc:
        customer_import.check_upload(csv_bytes(name))
    assert "File harus berformat CSV" in exc.value.message


def test_excel_file_named_csv_is_read_as_the_workbook_it_is(db, import_world):
    # The format is told by the content: a real .xlsx renamed .csv is imported, not refused.
    customer_import.check_upload(csv_bytes("excel_renamed.csv"), "excel_renamed.csv")
    preview = validate(db, import_world, "excel_renamed.csv")
    assert (preview["validCount"], preview["invalidCount"]) == (1, 0)
    assert preview["rows"][0]["data"]["nama"] == "Ahmad Fauzi"


def test_empty_file_is_refused():
    with pytest.raises(Invalid):
        customer_import.check_upload(b"\n\n")


def test_row_limit_is_checked_before_validation(monkeypatch):
    from shared.config import get_settings

    monkeypatch.setattr(get_settings(), "import_max_rows", 3)
    with pytest.raises(Invalid) as exc:
        customer_import.check_upload(csv_bytes("valid.csv"))
    assert exc.value.code == "too_many_rows" and exc.value.details == {"rows": 4, "maxRows": 3}  # data rows, not the header


def test_upload_size_limit_names_the_limit(monkeypatch):
    from shared.config import get_settings

    monkeypatch.setattr(get_settings(), "max_upload_mb", 1)
    with pytest.raises(FileTooLarge) as exc:
        customer_import.check_upload(b"a," * (600 * 1024))
    assert "1 MB" in exc.value.message


@pytest.fixture
def invalid_preview(db, import_world, make_customer):
    make_customer(owner=import_world.sukamaju, package=import_world.paket10, phone="6281200000015")
    return validate(db, import_world, "invalid_rows.csv")


def test_each_invalid_reason_is_reported_on_its_line(invalid_preview):
    fields = fields_by_line(invalid_preview)
    assert fields == {
        2: {"area"}, 3: {"paket_nama"}, 4: {"paket_nama"}, 5: {"paket_tarif"}, 6: {"total_bayar"},
        7: {"telepon"}, 8: {"tanggal"}, 9: {"tanggal"}, 10: {"tanggal_register"}, 11: {"tanggal_register"},
        12: {"diskon"}, 13: {"diskon", "total_bayar"}, 14: {"nama"}, 15: {"telepon"}, 17: {"telepon"},
        19: {"telepon", "paket_nama", "tanggal_register"}, 20: {"nik"},
    }
    assert invalid_preview["validCount"] == 2 and invalid_preview["invalidCount"] == 17


def test_invalid_reasons_are_explained_in_indonesian(invalid_preview):
    messages = {line: " ".join(m for _, m in errs) for line, errs in errors_by_line(invalid_preview).items()}
    assert "Area \"Area Entah\" tidak cocok" in messages[2]
    assert "Paket \"Paket Entah\" tidak ditemukan" in messages[3]
    assert "Paket tidak aktif" in messages[4]
    assert "Rp 120.000 tidak sama dengan harga Uji 10 Mbps (Rp 100.000)" in messages[5]
    assert "tidak sama dengan tarif dikurangi diskon (Rp 100.000)" in messages[6]
    assert "Nomor telepon tidak valid" in messages[7]
    assert "1–28" in messages[8] and "1–28" in messages[9]
    assert "YYYY-MM-DD" in messages[10]
    assert "masa depan" in messages[11]
    assert "tidak negatif" in messages[12]
    assert "melebihi harga paket" in messages[13]
    assert "Nama pelanggan wajib diisi" in messages[14]
    assert "sudah terdaftar" in messages[15]
    assert "sama dengan baris 16" in messages[17]


def test_duplicate_phone_is_per_owner(invalid_preview):
    valid_lines = [row["line"] for row in invalid_preview["rows"] if not row["errors"]]
    assert valid_lines == [16, 18]


def test_invalid_rows_keep_what_was_written(invalid_preview):
    row = next(row for row in invalid_preview["rows"] if row["line"] == 10)
    assert row["data"]["tanggal_register"] == "15/01/2025"
    assert row["valid"] is False


def test_only_valid_rows_are_stored(db, invalid_preview):
    batch = db.get(CustomerImport, invalid_preview["importId"])
    assert [row["line"] for row in batch.valid_rows] == [16, 18]


def test_preview_caps_valid_rows_but_stores_all(db, import_world, monkeypatch):
    monkeypatch.setattr(customer_import, "PREVIEW_VALID_ROWS", 2)
    preview = validate(db, import_world, "valid.csv")
    assert preview["validCount"] == 4 and len(preview["rows"]) == 2 and preview["validRowsOmitted"] == 2
    assert len(db.get(CustomerImport, preview["importId"]).valid_rows) == 4


def test_progress_is_reported_every_thousand_rows(db, import_world):
    header = "nama,telepon,diskon,tanggal,area,paket_nama,paket_tarif,total_bayar\n"
    body = "".join(f"P{i},62813{i:08d},0,5,Uji Sukamaju,Uji 10 Mbps,100000,100000\n" for i in range(2500))
    seen = []
    preview = validate_upload(db, data=(header + body).encode(), filename="big.csv",
                              user_id=import_world.superadmin.id, progress=seen.append)
    assert preview["validCount"] == 2500
    assert len(seen) == 2 and seen == sorted(seen) and all(0 < pct < 100 for pct in seen)


def test_inactive_package_with_active_namesake_uses_the_active_one(db, import_world, make_package):
    make_package(name="Uji 10 Mbps", price=100_000, is_active=False)
    preview = validate(db, import_world, "valid.csv")
    assert preview["invalidCount"] == 0


def test_only_a_superadmin_may_validate(db, import_world):
    with pytest.raises(Forbidden):
        validate_upload(db, data=csv_bytes("valid.csv"), filename="x.csv", user_id=import_world.sukamaju.id)


def test_register_date_today_is_allowed(db, import_world):
    text = ("nama,telepon,diskon,tanggal,area,paket_nama,paket_tarif,total_bayar,tanggal_register\n"
            f"A,6281234567890,0,5,Uji Pusat,Uji 10 Mbps,100000,100000,{today_wib().isoformat()}\n")
    preview = validate_upload(db, data=text.encode(), filename="t.csv", user_id=import_world.superadmin.id)
    assert preview["validCount"] == 1
    assert date.fromisoformat(preview["rows"][0]["data"]["tanggal_register"]) == today_wib()


def test_an_imported_nik_is_stored_encrypted_and_reads_back(db, import_world):
    from sqlalchemy import text

    from shared.models import Customer

    preview = validate(db, import_world, "valid.csv")
    customer_import.confirm(db, import_id=preview["importId"], user_id=import_world.superadmin.id)
    customer = db.scalars(select(Customer).where(Customer.phone == "6281234567890",
                                                 Customer.owner_id == import_world.sukamaju.id)).one()
    assert customer.nik == "3201234567890001"
    raw = db.execute(text("SELECT nik FROM customers WHERE id = :id"), {"id": customer.id}).scalar_one()
    assert raw.startswith("enc1:") and "3201234567890001" not in raw
