import uuid

from shared.jobs import create_job, update_job


def test_job_shows_state_progress_result_and_error(mitra_client, mitra):
    job_id = create_job("customer_import.validate", user_id=mitra.id)
    res = mitra_client.get(f"/api/jobs/{job_id}")
    assert res.status_code == 200
    assert res.json == {"id": job_id, "type": "customer_import.validate", "state": "queued", "progress": 0,
                        "result": None, "error": None}
    update_job(job_id, state="done", progress=100, result={"imported": 3, "skipped": 1})
    res = mitra_client.get(f"/api/jobs/{job_id}")
    assert res.json["state"] == "done" and res.json["result"] == {"imported": 3, "skipped": 1}


def test_another_users_job_is_404(mitra_client, other_mitra):
    job_id = create_job("customer_import.validate", user_id=other_mitra.id)
    res = mitra_client.get(f"/api/jobs/{job_id}")
    assert res.status_code == 404
    assert res.json["error"]["code"] == "not_found"


def test_unknown_job_is_404(mitra_client):
    assert mitra_client.get(f"/api/jobs/{uuid.uuid4()}").status_code == 404
    assert mitra_client.get("/api/jobs/not-a-job").status_code == 404


def test_jobs_need_login(client, mitra):
    job_id = create_job("customer_import.validate", user_id=mitra.id)
    assert client.get(f"/api/jobs/{job_id}").status_code == 401
