"""WSGI entry point: `gunicorn api.wsgi:app` (and `python -m api`)."""

from api.app import create_app, freeze_startup_heap

app = create_app()
freeze_startup_heap()
