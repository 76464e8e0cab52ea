"""Run the API with Socket.IO: `python -m api`."""

from api.extensions import socketio
from api.wsgi import app
from shared.config import get_settings

if __name__ == "__main__":
    settings = get_settings()
    # Werkzeug's threaded server carries Socket.IO websockets through simple-websocket (DESIGN.md §7);
    # production runs the same app under gunicorn's gthread worker. It listens on HOST: loopback unless asked
    # (HOST=0.0.0.0 for phones on the LAN).
    socketio.run(app, host=settings.host, port=settings.port, allow_unsafe_werkzeug=True, use_reloader=False,
                 log_output=settings.app_env != "production")
