import uuid

from shared import jobs, tasknames


def accept(db, user, job_type="customer_import.validate"):
    return jobs.submit(db, tasknames.VALIDATE_CUSTOMER_IMPORT, job_type=job_type, user_id=user.id, filename="a.csv")


def test_job_shows_state_progress_result_and_error(mitra_client, mitra, db):
    job_id = accept(db, mitra)
    res = mitra_client.get(f"/api/jobs/{job_id}")
    assert res.status_code == 200
    assert res.json == {"id": job_id, "type": "customer_import.validate", "state": "queued", "progress": 0,
                        "result": None, "error": None, "notice": None, "attempts": 0}
    jobs.finish(db, jobs.claim(db, job_id), result={"imported": 3, "skipped": 1})
    res = mitra_client.get(f"/api/jobs/{job_id}")
    assert res.json["state"] == "done" and res.json["result"] == {"imported": 3, "skipped": 1}
    assert res.json["progress"] == 100 and res.json["attempts"] == 1


def test_another_users_job_is_404(mitra_client, other_mitra, db):
    job_id = accept(db, other_mitra)
    res = mitra_client.get(f"/api/jobs/{job_id}")
    assert res.status_code == 404
    assert res.json["error"]["code"] == "not_found"


def test_unknown_job_is_404(mitra_client):
    assert mitra_client.get(f"/api/jobs/{uuid.uuid4()}").status_code == 404
    assert mitra_client.get("/api/jobs/not-a-job").status_code == 404


def test_jobs_need_login(client, mitra, db):
    job_id = accept(db, mitra)
    assert client.get(f"/api/jobs/{job_id}").status_code == 401
