# ruff: noqa: F811 — the imported `import_world` fixture is requested as a parameter

from functools import partial

import pytest
from sqlalchemy import delete, func, select

from shared.db import session_scope
from shared.jobs import redis_client
from shared.models import ActivityLog, Customer, CustomerImport, JobBlob, UserRole
from tests.fixtures.imports import csv_bytes, import_world  # noqa: F401 — a fixture, used as a parameter


@pytest.fixture
def tasks(monkeypatch, session_factory):
    """The import task module, its transactions joined to the test's rolled-back connection."""
    from worker.tasks import imports

    monkeypatch.setattr(imports, "session_scope", partial(session_scope, session_factory))
    return imports


@pytest.fixture
def admin(as_user, import_world):
    return as_user(import_world.superadmin)


def upload(client, data: bytes, filename="pelanggan.csv"):
    # A hand-built body: the test client would spool a large file dict to a temp file it never closes.
    boundary = "fibernode-test-boundary"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\n"
            f"Content-Type: text/csv\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
    return client.post("/api/customers/import", data=body, content_type=f"multipart/form-data; boundary={boundary}")


def job(client, job_id):
    res = client.get(f"/api/jobs/{job_id}")
    assert res.status_code == 200, res.json
    return res.json


def validated(client, tasks, world, name="valid.csv"):
    job_id = upload(client, csv_bytes(name), name).json["jobId"]
    tasks.validate_customers(job_id=job_id, user_id=str(world.superadmin.id), filename=name)
    return job(client, job_id)


def confirmed(client, tasks, world, import_id):
    res = client.post(f"/api/customers/import/{import_id}/confirm")
    assert res.status_code == 202, res.json
    job_id = res.json["jobId"]
    assert job(client, job_id)["state"] == "queued"
    tasks.confirm_customers(job_id=job_id, user_id=str(world.superadmin.id), import_id=import_id)
    return job(client, job_id)


def test_upload_returns_202_with_a_queued_job_and_enqueues_validation(admin):
    res = upload(admin, csv_bytes("valid.csv"))
    assert res.status_code == 202, res.json
    record = job(admin, res.json["jobId"])
    assert record["state"] == "queued" and record["progress"] == 0 and record["type"] == "customer_import.validate"
    assert redis_client().llen("imports") == 1


def test_import_flow_validates_previews_and_confirms(admin, tasks, import_world, db):
    preview_job = validated(admin, tasks, import_world)
    assert preview_job["state"] == "done" and preview_job["progress"] == 100 and preview_job["error"] is None
    preview = preview_job["result"]
    assert (preview["validCount"], preview["invalidCount"], preview["filename"]) == (4, 0, "valid.csv")
    assert preview["rows"][0] == {"line": 2, "valid": True, "errors": [], "data": preview["rows"][0]["data"]}

    result_job = confirmed(admin, tasks, import_world, preview["importId"])
    assert result_job["state"] == "done"
    assert result_job["result"] == {"imported": 4, "skipped": 0}
    customers = {c.phone: c for c in db.scalars(select(Customer).where(Customer.phone.in_(
        ["6281234567890", "6289876543210", "6281122334455", "6287766554433"])))}
    assert customers["6289876543210"].owner_id == import_world.sukamaju.id
    assert customers["6289876543210"].total_bill == 140_000
    assert customers["6287766554433"].owner_id == import_world.superadmin.id
    batch = db.get(CustomerImport, preview["importId"])
    db.refresh(batch)
    assert (batch.status, batch.imported_count, batch.skipped_count) == ("imported", 4, 0)
    assert batch.confirmed_at is not None
    assert db.scalar(select(func.count()).select_from(ActivityLog).where(
        ActivityLog.action == "customer.import.confirm", ActivityLog.resource_id == batch.id)) == 1


def test_second_confirm_is_409_before_enqueueing(admin, tasks, import_world):
    import_id = validated(admin, tasks, import_world)["result"]["importId"]
    confirmed(admin, tasks, import_world, import_id)
    redis_client().delete("imports")
    res = admin.post(f"/api/customers/import/{import_id}/confirm")
    assert res.status_code == 409
    assert res.json["error"]["code"] == "import_already_confirmed"
    assert res.json["error"]["details"]["imported"] == 4
    assert redis_client().llen("imports") == 0


def test_a_confirm_job_that_loses_the_claim_imports_nothing(admin, tasks, import_world, db):
    import_id = validated(admin, tasks, import_world)["result"]["importId"]
    first = admin.post(f"/api/customers/import/{import_id}/confirm").json["jobId"]
    second = admin.post(f"/api/customers/import/{import_id}/confirm").json["jobId"]  # both enqueued before either ran
    for job_id in (first, second):
        tasks.confirm_customers(job_id=job_id, user_id=str(import_world.superadmin.id), import_id=import_id)
    assert job(admin, first)["result"] == {"imported": 4, "skipped": 0}
    assert job(admin, second)["result"] == {"imported": 0, "skipped": 0, "alreadyImported": True}
    assert db.scalar(select(func.count()).select_from(Customer).where(
        Customer.owner_id.in_([import_world.sukamaju.id, import_world.mekarjaya.id, import_world.superadmin.id]))) == 4


def test_confirm_skips_rows_whose_phone_was_taken_meanwhile(admin, tasks, import_world, make_customer):
    import_id = validated(admin, tasks, import_world)["result"]["importId"]
    make_customer(owner=import_world.sukamaju, phone="6281234567890")
    assert confirmed(admin, tasks, import_world, import_id)["result"] == {"imported": 3, "skipped": 1}


def test_confirm_uses_package_prices_of_confirm_time(admin, tasks, import_world, db):
    import_id = validated(admin, tasks, import_world)["result"]["importId"]
    import_world.paket20.price = 175_000
    db.flush()
    confirmed(admin, tasks, import_world, import_id)
    siti = db.scalar(select(Customer).where(Customer.phone == "6289876543210"))
    assert siti.total_bill == 165_000


def test_invalid_rows_are_previewed_and_never_imported(admin, tasks, import_world, db):
    preview = validated(admin, tasks, import_world, "invalid_rows.csv")["result"]
    # Line 15's phone is not in this test's database, so three rows are valid.
    assert (preview["validCount"], preview["invalidCount"]) == (3, 16)
    line5 = next(row for row in preview["rows"] if row["line"] == 5)
    assert line5["errors"][0]["field"] == "paket_tarif"
    result = confirmed(admin, tasks, import_world, preview["importId"])["result"]
    assert result == {"imported": 3, "skipped": 0}
    assert db.scalar(select(func.count()).select_from(Customer).where(Customer.phone.like("628120000%"))) == 3


def test_missing_columns_fail_the_job_with_one_clear_error(admin, tasks, import_world):
    record = validated(admin, tasks, import_world, "missing_columns.csv")
    assert record["state"] == "failed" and record["result"] is None
    assert "Kolom wajib tidak ditemukan: telepon, area" in record["error"]


def test_expired_upload_fails_the_job(admin, tasks, import_world, db):
    job_id = upload(admin, csv_bytes("valid.csv")).json["jobId"]
    db.execute(delete(JobBlob).where(JobBlob.job_id == job_id))
    tasks.validate_customers(job_id=job_id, user_id=str(import_world.superadmin.id), filename="valid.csv")
    record = job(admin, job_id)
    assert record["state"] == "failed" and "kedaluwarsa" in record["error"]


def test_upload_without_file_is_422(admin):
    res = admin.post("/api/customers/import", data={}, content_type="multipart/form-data")
    assert res.status_code == 422
    assert res.json["error"]["details"]["fields"]["file"] == ["Pilih file CSV atau Excel yang akan diimpor (field `file`)."]


@pytest.mark.parametrize("name", ["binary.csv", "nul_bytes.csv"])
def test_non_csv_upload_is_415(admin, name):
    res = upload(admin, csv_bytes(name), name)
    assert res.status_code == 415
    assert "File harus berformat CSV" in res.json["error"]["message"]
    assert redis_client().llen("imports") == 0


def test_upload_over_the_size_limit_is_413_naming_it(admin, monkeypatch):
    from shared.config import get_settings

    monkeypatch.setattr(get_settings(), "max_upload_mb", 1)
    res = upload(admin, b"a,b\n" * 300_000)
    assert res.status_code == 413
    assert res.json["error"]["code"] == "file_too_large"
    assert "1 MB" in res.json["error"]["message"]


def test_request_over_the_body_limit_is_413_naming_the_upload_limit(admin):
    # Refused on Content-Length alone, before the body is read.
    res = admin.post("/api/customers/import", data=b"a,b\n" * (2 * 1024 * 1024),
                     content_type="multipart/form-data; boundary=x")
    assert res.status_code == 413
    assert "5 MB" in res.json["error"]["message"]


def test_upload_over_the_row_limit_is_422(admin, monkeypatch):
    from shared.config import get_settings

    monkeypatch.setattr(get_settings(), "import_max_rows", 2)
    res = upload(admin, csv_bytes("valid.csv"))
    assert res.status_code == 422
    assert res.json["error"]["code"] == "too_many_rows"


def test_mitra_cannot_import(mitra_client):
    assert upload(mitra_client, csv_bytes("valid.csv")).status_code == 403


def test_mitra_confirming_any_import_gets_404(admin, tasks, import_world, mitra_client):
    import_id = validated(admin, tasks, import_world)["result"]["importId"]
    assert mitra_client.post(f"/api/customers/import/{import_id}/confirm").status_code == 404


def test_only_the_creating_superadmin_can_confirm(admin, tasks, import_world, make_user, as_user):
    import_id = validated(admin, tasks, import_world)["result"]["importId"]
    other = as_user(make_user(role=UserRole.superadmin))
    res = other.post(f"/api/customers/import/{import_id}/confirm")
    assert res.status_code == 404


@pytest.mark.parametrize("import_id", ["nope", "00000000-0000-0000-0000-000000000000"])
def test_unknown_import_is_404(admin, import_id):
    assert admin.post(f"/api/customers/import/{import_id}/confirm").status_code == 404
