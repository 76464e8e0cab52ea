"""Request ids, the access log and GET /metrics: registered on the app with `register(app)`.

Every request gets an id (a sane incoming X-Request-ID, e.g. nginx's $request_id, or a fresh one), bound to every
line logged while it runs, returned in the X-Request-ID header and stored with the jobs it enqueues, whose worker
lines carry it too. /metrics is Prometheus text, outside the OpenAPI document (README, "Observability").
"""

import hmac
import logging
import os
import re
import time
import uuid

import structlog
from flask import Flask, Response, current_app, g, request
from flask_jwt_extended import get_jwt, verify_jwt_in_request
from flask_jwt_extended.exceptions import JWTExtendedException
from jwt import PyJWTError
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)

from api.errors import error_response
from shared.errors import DomainError

REQUEST_ID_HEADER = "X-Request-ID"
# Letters, digits and . _ - only, 8 to 64 of them: anything else (a log-injection attempt, a novel) is replaced.
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{7,63}")
METRICS_PATH = "/metrics"
UNMATCHED_ROUTE = "<unmatched>"  # 404s: one label value, never the raw path a scanner invents
# Any token is a method to werkzeug: a scanner's inventions count as one label value, not one series each.
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})

access_log = structlog.get_logger("api.access")

REQUESTS = Counter("fibernode_http_requests_total", "HTTP requests answered by the API",
                   ["method", "route", "status"])
LATENCY = Histogram("fibernode_http_request_duration_seconds", "Time to answer an HTTP request", ["method", "route"],
                    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30))


def register(app: Flask) -> None:
    """Bind a request id first thing, log and count every answer, serve /metrics."""
    # First of the before-request functions: the limiter's and the routes' own lines carry the id too.
    app.before_request_funcs.setdefault(None, []).insert(0, _start)
    app.after_request(_finish)
    app.teardown_request(_forget)
    app.add_url_rule(METRICS_PATH, "metrics", metrics, methods=["GET"])


def request_id_from(header: str | None) -> str:
    """The caller's id when it is a sane short token (nginx's $request_id is 32 hex digits), else a new one."""
    if header and SANE_REQUEST_ID.fullmatch(header):
        return header
    return uuid.uuid4().hex


def _start() -> None:
    structlog.contextvars.clear_contextvars()  # a pool thread may still hold the previous request's fields
    g.request_id = request_id_from(request.headers.get(REQUEST_ID_HEADER))
    g.request_started = time.perf_counter()
    structlog.contextvars.bind_contextvars(request_id=g.request_id)


def _finish(response: Response) -> Response:
    request_id = g.get("request_id")
    if request_id is None:  # a request the before-request functions never saw (an early failure)
        return response
    response.headers[REQUEST_ID_HEADER] = request_id
    seconds = time.perf_counter() - g.get("request_started", time.perf_counter())
    route = request.url_rule.rule if request.url_rule is not None else UNMATCHED_ROUTE
    method = request.method if request.method in METHODS else "other"
    REQUESTS.labels(method, route, str(response.status_code)).inc()
    LATENCY.labels(method, route).observe(seconds)
    # The path only: query strings may hold tokens. remote_addr is the client (ProxyFix, TRUSTED_PROXY_HOPS).
    access_log.info("request", method=request.method, path=request.path, route=route,
                    status=response.status_code, duration_ms=round(seconds * 1000, 1),
                    client_ip=request.remote_addr, bytes=response.calculate_content_length())
    return response


def _forget(_exc) -> None:
    structlog.contextvars.clear_contextvars()


# ---------------------------------------------------------------------------------------------
# GET /metrics


def metrics():
    """Prometheus text: request counters and latency, durable jobs, Redis queue depth, WA sends per number."""
    status = _scrape_refusal()
    if status == 401:
        return error_response(401, "unauthorized", "Token metrics tidak valid.")
    if status == 403:
        return error_response(403, "forbidden", "Anda tidak memiliki akses untuk tindakan ini.")
    from shared.metrics import StateCollector

    state = CollectorRegistry(auto_describe=False)
    state.register(StateCollector(current_app.extensions["db_sessionmaker"]))
    body = generate_latest(_request_registry()) + generate_latest(state)
    return Response(body, mimetype=CONTENT_TYPE_LATEST, headers={"Cache-Control": "no-store"})


def _request_registry() -> CollectorRegistry:
    """This process's registry; with PROMETHEUS_MULTIPROC_DIR, the sum over all gunicorn workers' files."""
    if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        return REGISTRY
    from prometheus_client import multiprocess

    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)
    return registry


def _scrape_refusal() -> int | None:
    """None for METRICS_TOKEN as a bearer token (a scraper) or a superadmin's access token; else 401 or 403."""
    header = request.headers.get("Authorization", "")
    token = header[7:].strip() if header[:7].lower() == "bearer " else ""
    configured = current_app.config["SETTINGS"].metrics_token
    if configured and token and hmac.compare_digest(token.encode(), configured.encode()):
        return None
    if not token:
        return 401
    try:
        verify_jwt_in_request()
        from api.deps import current_user

        user = current_user()  # still active, its session not revoked
    except (JWTExtendedException, PyJWTError, DomainError, ValueError):
        # Expired, forged, revoked, or neither a JWT nor METRICS_TOKEN: all the same 401.
        logging.getLogger(__name__).info("metrics scrape refused: token not accepted")
        return 401
    return None if user.role.value == "superadmin" and get_jwt().get("role") == "superadmin" else 403

