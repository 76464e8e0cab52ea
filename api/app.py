"""Flask application factory: API blueprints, Socket.IO, and the built PWA from one origin."""

import gc
import logging
import mimetypes
from pathlib import Path

import socketio as socketio_lib
import swagger_ui_bundle
from flask import Flask, Response, g, request, send_from_directory
from sqlalchemy.orm import Session, sessionmaker
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import PathConverter

from api import observability
from api.errors import error_response, register_error_handlers
from api.extensions import FiberNodeApi, cors, jwt, limiter, socketio
from api.input import FiberNodeJSONProvider, FiberNodeRequest
from shared.config import Settings, get_settings
from shared.db import get_sessionmaker
from shared.wa.events import SOCKETIO_CHANNEL

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}
# The SPA is self-hosted; Swagger UI's inline initialiser needs 'unsafe-inline' on /api/docs only.
CSP_APP = ("default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; "
           "script-src 'self'; connect-src 'self' ws: wss:; font-src 'self' data:; frame-ancestors 'none'; "
           "base-uri 'self'; object-src 'none'")
CSP_DOCS = CSP_APP.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")
# Sent only on https: browsers ignore it over plain http. No includeSubDomains: other hosts of the operator's
# domain may still be plain http. compose/nginx/default.conf ($fibernode_hsts) sends the same on nginx's own pages.
HSTS = "max-age=31536000"
REDIS_TIMEOUT_SECONDS = 2


def _socket_origin_check(*configured: str):
    """Socket.IO origins: the page's own origin (the SPA is served by this app) plus the configured ones."""
    allowed = {origin.rstrip("/") for origin in configured if origin}

    def check(origin, environ) -> bool:
        own = f"{environ.get('wsgi.url_scheme', 'http')}://{environ.get('HTTP_HOST', '')}"
        return origin is None or origin == own or origin in allowed

    return check


# What a PWA on another origin reads from API responses: downloads' file names, the request id of an error report,
# the limiter's retry hints.
CORS_EXPOSED_HEADERS = ["Content-Disposition", "X-Request-ID", "Retry-After", "X-RateLimit-Limit",
                        "X-RateLimit-Remaining", "X-RateLimit-Reset"]
CORS_MAX_AGE_SECONDS = 600


def _configure_cors(app: Flask, settings: Settings) -> None:
    """Let the configured origins (CORS_ORIGINS: a PWA built with VITE_API_URL elsewhere) call /api.

    With credentials, so the login's device cookie (fn_device) travels too; never `*`, which credentials forbid.
    No origin configured: no CORS header at all, the browser keeps every other origin out (same-origin only).
    """
    if not settings.cors_origins:
        return
    cors.init_app(app, resources={r"/api/*": {"origins": settings.cors_origins}}, supports_credentials=True,
                  allow_headers=["Authorization", "Content-Type", "X-Request-ID"], expose_headers=CORS_EXPOSED_HEADERS,
                  methods=["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"], max_age=CORS_MAX_AGE_SECONDS,
                  vary_header=True)


def _socket_queue(settings: Settings) -> socketio_lib.RedisManager | None:
    """The Redis message queue that workers emit through, or None for the in-process manager (tests).

    While Redis is down, emits reach only this process's sockets and the listener retries with a backoff; the
    browser's polling covers the gap. No read timeout: the listener waits on Redis for as long as it is quiet.
    """
    if not settings.socketio_message_queue:
        return None
    return socketio_lib.RedisManager(settings.redis_url, channel=SOCKETIO_CHANNEL, redis_options={
        "socket_connect_timeout": REDIS_TIMEOUT_SECONDS, "socket_keepalive": True})


def _configure_logging(settings: Settings) -> None:
    # Neither gunicorn nor `python -m api` sets up the root logger; without a handler there, warnings such as the
    # limiter's "falling back to in-memory storage" would go nowhere. A host that configured logging (pytest) keeps
    # its own handlers. JSON in production, console lines in development (shared/logs.py).
    from shared.logs import configure_from_settings

    configure_from_settings(settings, install_handler=not logging.getLogger().handlers)


def freeze_startup_heap() -> None:
    """Move what the process built at start (the app, its models, schemas and imported modules: ~230k objects)
    out of the garbage collector's view (gc.freeze), once the app is created.

    They live as long as the process, yet every full collection walked them all: 181 ms in the middle of one
    request in 320 (bench_reports' endpoints, measured with gc.callbacks), a p99 of its own. Frozen, a full
    collection walks only what requests allocate. The api's entry points call this (api/wsgi.py); so do the
    benches that time its requests in process.
    """
    gc.collect()
    gc.freeze()


def create_app(settings: Settings | None = None, *, session_factory: sessionmaker[Session] | None = None) -> Flask:
    settings = settings or get_settings()
    if settings.is_production and not settings.signs_tokens:
        # SIGNS_TOKENS=false skipped the JWT_SECRET check (workers): the api would sign with the placeholder.
        raise RuntimeError("SIGNS_TOKENS=false is for the workers: the api signs tokens and needs its JWT_SECRET")
    _configure_logging(settings)
    app = Flask(__name__, static_folder=None)
    app.request_class = FiberNodeRequest  # bad JSON and lone surrogates: 400 invalid_json (api/input.py)
    app.json = FiberNodeJSONProvider(app)
    app.config.update(
        SETTINGS=settings,
        MAX_CONTENT_LENGTH=settings.max_request_mb * 1024 * 1024,
        JSON_SORT_KEYS=False,
        JWT_SECRET_KEY=settings.jwt_secret,
        JWT_ACCESS_TOKEN_EXPIRES=settings.access_token_ttl,
        JWT_TOKEN_LOCATION=["headers"],
        API_TITLE="FiberNode Internet API",
        API_VERSION=settings.app_version,
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/api",
        OPENAPI_JSON_PATH="openapi.json",
        OPENAPI_SWAGGER_UI_PATH="/docs",
        OPENAPI_SWAGGER_UI_URL="/api/docs/assets/",
        RATELIMIT_ENABLED=settings.rate_limit_enabled,
        RATELIMIT_STORAGE_URI=settings.redis_url,
        # Redis down must not take login and the public pages with it: limits move to this process's memory (a
        # warning "falling back to in-memory storage" is logged) and back to Redis once it answers again, which
        # flask-limiter re-checks with a backoff of 1, 2, 4 ... 32 s. The timeouts bound a Redis that hangs.
        RATELIMIT_IN_MEMORY_FALLBACK_ENABLED=True,
        RATELIMIT_STORAGE_OPTIONS={"socket_connect_timeout": REDIS_TIMEOUT_SECONDS,
                                   "socket_timeout": REDIS_TIMEOUT_SECONDS},
        RATELIMIT_STRATEGY="moving-window",
        RATELIMIT_HEADERS_ENABLED=True,
    )
    app.extensions["db_sessionmaker"] = session_factory or get_sessionmaker()

    openapi = FiberNodeApi(app, spec_kwargs={
        "info": {"description": "Billing dan notifikasi WhatsApp untuk RT/RW Net."},
        "components": {"securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer",
                                                          "bearerFormat": "JWT"}}},
        "security": [{"bearerAuth": []}],
    })
    jwt.init_app(app)
    _configure_cors(app, settings)
    limiter.init_app(app)
    socketio.init_app(app, async_mode="threading", client_manager=_socket_queue(settings),
                      cors_allowed_origins=_socket_origin_check(*settings.cors_origins, settings.public_base_url))
    register_error_handlers(app)
    from api import socket_events

    socket_events.register(socketio)
    _register_jwt_errors()
    for blueprint in _blueprints():
        openapi.register_blueprint(blueprint)
    _register_test_routes(app, settings)
    app.extensions["openapi"] = openapi
    observability.register(app)  # first: its after-request runs last, so it logs and counts the final answer
    _register_session_lifecycle(app)
    _register_security_headers(app)
    _register_static(app, settings.frontend_dist)
    _trust_proxies(app, settings.trusted_proxy_hops)
    return app


def _trust_proxies(app: Flask, hops: int) -> None:
    """Take the client's address and scheme from the last `hops` proxies' X-Forwarded-For / -Proto.

    Applied last, so it wraps the Socket.IO middleware too. The Host header is the client's own (nginx passes
    it on), so X-Forwarded-Host is not believed: nginx forwards a client's copy of it untouched. With 0 hops no
    forwarded header is read, so nobody can name their own IP to the limiter, the login throttle or the logs.
    """
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=0, x_port=0, x_prefix=0)


def _register_test_routes(app: Flask, settings: Settings) -> None:
    """Test-only helpers (a simulated WhatsApp clock) exist only under APP_ENV=test/e2e, outside the API document."""
    from shared.wa import testclock

    if settings.app_env in testclock.ENVIRONMENTS:
        from api.routes import testclock as testclock_routes

        app.register_blueprint(testclock_routes.blp)


def _blueprints():
    from api.routes import BLUEPRINTS

    return BLUEPRINTS


def _register_jwt_errors() -> None:
    @jwt.unauthorized_loader
    def _missing(reason: str):
        return error_response(401, "unauthorized", "Silakan login terlebih dahulu.")

    @jwt.invalid_token_loader
    def _invalid(reason: str):
        return error_response(401, "invalid_token", "Token tidak valid. Silakan login kembali.")

    @jwt.expired_token_loader
    def _expired(header, payload):
        return error_response(401, "token_expired", "Sesi telah berakhir. Silakan login kembali.")


def _register_session_lifecycle(app: Flask) -> None:
    @app.after_request
    def _commit(response):
        # Commit once, at the boundary: only a successful request keeps its writes.
        session = g.pop("db", None)
        if session is not None:
            try:
                if response.status_code < 400 or g.pop("keep_writes", False):
                    session.commit()
                else:
                    session.rollback()
            finally:
                session.close()
        return response

    @app.teardown_request
    def _close(exc):
        session = g.pop("db", None)
        if session is not None:
            session.rollback()
            session.close()


def _register_security_headers(app: Flask) -> None:
    from flask import request

    @app.after_request
    def _headers(response):
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        docs = request.path.startswith("/api/docs")
        response.headers.setdefault("Content-Security-Policy", CSP_DOCS if docs else CSP_APP)
        if request.path.startswith("/api/") and not docs:
            response.headers.setdefault("Cache-Control", "no-store")
        if request.is_secure:
            response.headers.setdefault("Strict-Transport-Security", HSTS)
        return response


HASHED_CACHE = "public, max-age=31536000, immutable"  # Vite's assets/ names are content hashes


class SpaPathConverter(PathConverter):
    """A `path` that does not start with `api/` or `socket.io`."""

    regex = r"(?!api(?:/|$)|socket\.io(?:/|$))[^/].*?"


def _register_static(app: Flask, dist: Path) -> None:
    assets = Path(swagger_ui_bundle.swagger_ui_path)

    @app.get("/api/docs/assets/<path:filename>")
    def _swagger_assets(filename: str):
        return send_from_directory(assets, filename)

    # The shell's catch-all never matches /api: an API path then answers 405 with an `Allow` of its own methods
    # (not 404 from here, nor a GET in `Allow`), and an unknown /api path is a JSON 404 from the router.
    app.url_map.converters["spa_path"] = SpaPathConverter

    @app.get("/", defaults={"path": ""})
    @app.get("/<spa_path:path>")
    def _spa(path: str):
        # Everything but the API is the PWA shell (client-side routing).
        if path and (dist / path).is_file():
            response = _send_precompressed(dist, path)
            # Vite's hashed output never changes under its name; the rest (sw.js, theme-init.js, icons) keeps its
            # name across releases, so it is revalidated or phones would run last release's copy.
            response.headers["Cache-Control"] = HASHED_CACHE if path.startswith("assets/") else "no-cache"
            return response
        if not (dist / "index.html").is_file():
            return error_response(503, "frontend_not_built",
                                  "Frontend belum di-build. Jalankan `make run` atau `npm run build` di frontend/.")
        response = _send_precompressed(dist, "index.html")
        response.headers["Cache-Control"] = "no-cache"
        return response


# What frontend/scripts/compress.mjs writes beside a built file, best first: NAME.br, then NAME.gz.
PRECOMPRESSED = (("br", ".br"), ("gzip", ".gz"))


def _send_precompressed(dist: Path, path: str) -> Response:
    """The built file, or its precompressed copy (`npm run build` makes them) when the browser accepts that encoding.

    The copy is sent as it is, with the original's type and `Content-Encoding`, its own ETag and length. Every
    answer for a file that has a copy says `Vary: Accept-Encoding`, so a cache never hands br to a client that
    cannot read it. `send_from_directory` keeps its safe join for the copy as for the original.
    """
    variants = [(coding, suffix) for coding, suffix in PRECOMPRESSED if (dist / f"{path}{suffix}").is_file()]
    for coding, suffix in variants:
        if request.accept_encodings[coding] > 0:
            mimetype = mimetypes.guess_type(path)[0] or "application/octet-stream"
            response = send_from_directory(dist, f"{path}{suffix}", mimetype=mimetype)
            response.headers["Content-Encoding"] = coding
            break
    else:
        response = send_from_directory(dist, path)
    if variants:
        response.vary.add("Accept-Encoding")
    return response
