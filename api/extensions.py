"""Flask extensions, created once and bound in the app factory."""

from flask import request
from flask_cors import CORS
from flask_jwt_extended import JWTManager
from flask_limiter import Limiter
from flask_smorest import Api
from flask_socketio import SocketIO
from werkzeug.exceptions import MethodNotAllowed

from api.errors import error_response
from api.schemas.common import ErrorEnvelope


class FiberNodeApi(Api):
    """flask-smorest Api whose HTTP errors use the project's error envelope."""

    ERROR_SCHEMA = ErrorEnvelope  # documents UNPROCESSABLE_ENTITY as the real envelope
    # No catch-all `default` response: each operation names the error statuses it can answer (document_errors),
    # so the fuzz gate's status-code conformance check means something.
    DEFAULT_ERROR_RESPONSE_NAME = None

    def register_blueprint(self, blp, **options):
        super().register_blueprint(blp, **options)
        document_errors(self.spec)

    def handle_http_exception(self, error):
        data = getattr(error, "data", None) or {}
        messages = data.get("errors") or data.get("messages")
        if error.code == 422 and messages:
            fields: dict = {}
            for location_errors in messages.values():
                if isinstance(location_errors, dict):
                    fields.update(location_errors)
            return error_response(422, "validation_error", "Data yang dikirim tidak valid.",
                                  {"fields": _string_keys(fields)})
        if error.code == 404 and request.url_rule is None:  # no route at all, not a missing row
            return error_response(404, "not_found", "Endpoint tidak ditemukan.")
        headers = dict(data.get("headers") or {})
        if isinstance(error, MethodNotAllowed) and error.valid_methods:
            headers["Allow"] = ", ".join(sorted(error.valid_methods))  # RFC 9110: a 405 names the valid methods
        return error_response(error.code or 500, _code_for(error.code), data.get("message") or _message_for(error),
                              headers=headers)


def _string_keys(messages):
    """marshmallow keys errors by list index (int) or, for a nameless multipart part, None: JSON keys are text,
    and jsonify's sorting fails on None next to a string."""
    if isinstance(messages, dict):
        return {"" if key is None else str(key): _string_keys(value) for key, value in messages.items()}
    return messages


ERROR_DESCRIPTIONS = {
    400: "invalid_json / missing_body: the body is no valid JSON, or there is none",
    401: "unauthorized / invalid_token / token_expired / inactive_user (login, refresh: bad credentials)",
    403: "forbidden: the role or owner may not do this",
    404: "not_found: no such row visible to the caller",
    409: "conflict: the row's state does not allow it (version_conflict, already_paid ...)",
    410: "gone: the export has expired",
    413: "payload_too_large / file_too_large",
    415: "unsupported_media_type: the body is not JSON (or not the file type asked for)",
    422: "validation_error: details.fields names each bad field",
    423: "account_locked: too many failed logins",
    429: "rate_limited",
    503: "database_unavailable / service_unavailable (e.g. the WhatsApp worker)",
}
HTTP_METHODS = ("get", "post", "put", "patch", "delete")


def _error_statuses(path: str, method: str, operation: dict) -> set[int]:
    """What an operation can answer besides success, from what it takes: the error layer is shared, so this is
    the same rule for every route (each source: api/errors.py, api/input.py, the services' DomainErrors)."""
    statuses = {429, 503}  # any route: a rate limit, the database down
    if operation.get("security") != []:
        statuses |= {401, 403}
    if "requestBody" in operation:
        statuses |= {400, 413, 415, 422}
    if operation.get("parameters"):
        statuses |= {422}
    refers_to_rows = any(p.get("schema", {}).get("format") == "uuid" for p in operation.get("parameters", []))
    if "{" in path or method != "get" or refers_to_rows:  # an id (path, ownerId ...) of no row the caller sees
        statuses |= {404}
    if method != "get":
        statuses |= {409}
    if path in ("/api/auth/login", "/api/auth/refresh", "/api/auth/logout"):
        statuses |= {401, 423}
    if path.endswith("/download"):
        statuses |= {410}
    return statuses


def document_errors(spec) -> None:
    """Add the error envelope under each status an operation can answer (idempotent; keeps what a route set)."""
    for status, description in ERROR_DESCRIPTIONS.items():
        if _error_response_name(status) not in spec.components.responses:
            spec.components.response(_error_response_name(status), {"description": description, "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/ErrorEnvelope"}}}})
    for path, operations in spec._paths.items():  # apispec has no public way to edit a registered path
        for method, operation in operations.items():
            if method not in HTTP_METHODS:
                continue
            responses = operation.setdefault("responses", {})
            for status in sorted(_error_statuses(path, method, operation)):
                responses.setdefault(str(status), {"$ref": f"#/components/responses/{_error_response_name(status)}"})


def _error_response_name(status: int) -> str:
    return f"Error{status}"


def _code_for(status: int | None) -> str:
    return {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
            409: "conflict", 413: "payload_too_large", 415: "unsupported_media_type", 429: "rate_limited"
            }.get(status or 500, "server_error")


def _message_for(error) -> str:
    return {400: "Permintaan tidak valid.", 401: "Silakan login terlebih dahulu.", 403: "Anda tidak memiliki akses.",
            404: "Data tidak ditemukan.", 405: "Metode tidak diizinkan.",
            413: "Ukuran data terlalu besar.", 415: "Format data tidak didukung.",
            429: "Terlalu banyak permintaan. Coba lagi nanti.", 500: "Terjadi kesalahan pada server.",
            }.get(error.code or 500, error.description or "Terjadi kesalahan.")


def _client_ip() -> str:
    return request.remote_addr or "unknown"


jwt = JWTManager()
cors = CORS()
limiter = Limiter(key_func=_client_ip, default_limits=[], headers_enabled=True)
socketio = SocketIO()
