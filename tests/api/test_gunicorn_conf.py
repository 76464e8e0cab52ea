"""api/gunicorn_conf.py: workers from the usable CPUs (affinity, cgroup quota), threads, and the env overrides."""

import importlib
import os
import re

import pytest

from api import gunicorn_conf
from shared.config import REPO_ROOT


def test_usable_cpus_is_the_affinity_without_a_quota(tmp_path):
    cpu_max = tmp_path / "cpu.max"
    cpu_max.write_text("max 100000\n")
    assert gunicorn_conf.usable_cpus(cpu_max) == len(os.sched_getaffinity(0))
    assert gunicorn_conf.usable_cpus(tmp_path / "missing") == len(os.sched_getaffinity(0))


@pytest.mark.parametrize(("quota", "expected"), [("50000 100000", 1), ("150000 100000", 2), ("100000 100000", 1)])
def test_a_cgroup_quota_lowers_the_cpus_rounded_up(tmp_path, monkeypatch, quota, expected):
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: set(range(8)))
    cpu_max = tmp_path / "cpu.max"
    cpu_max.write_text(quota + "\n")
    assert gunicorn_conf.usable_cpus(cpu_max) == expected


def test_a_quota_above_the_affinity_does_not_raise_it(tmp_path, monkeypatch):
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1})
    cpu_max = tmp_path / "cpu.max"
    cpu_max.write_text("400000 100000\n")
    assert gunicorn_conf.usable_cpus(cpu_max) == 2


def test_one_worker_per_cpu():
    assert [gunicorn_conf.default_workers(cpus) for cpus in (1, 2, 4)] == [1, 2, 4]


def _reloaded(monkeypatch, **env):
    for name in ("GUNICORN_WORKERS", "GUNICORN_THREADS", "GUNICORN_HOST", "PORT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return importlib.reload(gunicorn_conf)


def test_defaults_come_from_the_cpus(monkeypatch):
    conf = _reloaded(monkeypatch)
    try:
        assert conf.worker_class == "gthread"
        assert conf.workers == conf.default_workers(conf.usable_cpus())
        assert conf.threads == conf.DEFAULT_THREADS == 8
        assert conf.bind == ["0.0.0.0:8000"]
        assert conf.forwarded_allow_ips == "" and conf.accesslog is None
    finally:
        _reloaded(monkeypatch)


def test_env_overrides_and_refuses_nonsense(monkeypatch):
    conf = _reloaded(monkeypatch, GUNICORN_WORKERS="3", GUNICORN_THREADS="16", GUNICORN_HOST="127.0.0.1", PORT="9001")
    try:
        assert (conf.workers, conf.threads, conf.bind) == (3, 16, ["127.0.0.1:9001"])
        with pytest.raises(ValueError, match="GUNICORN_WORKERS"):
            _reloaded(monkeypatch, GUNICORN_WORKERS="0")
    finally:
        _reloaded(monkeypatch)


def test_the_image_runs_gunicorn_with_this_config_and_compose_keeps_socketio_in_one_worker():
    dockerfile = (REPO_ROOT / "compose" / "python.Dockerfile").read_text()
    assert re.search(r'^CMD \["sh", "-c", "exec gunicorn -c python:api.gunicorn_conf --log-level \$\{LOG_LEVEL:-info\} '
                     r'api.wsgi:app"\]$', dockerfile,
                     re.MULTILINE)
    compose = (REPO_ROOT / "docker-compose.yml").read_text()
    # The api serves /socket.io/ too: its Engine.IO sessions need one process (see the config's docstring).
    assert "GUNICORN_WORKERS: ${GUNICORN_WORKERS:-1}" in compose
