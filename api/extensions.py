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

    ERROR_SCHEMA = ErrorEnvelope  # documents DEFAULT_ERROR / UNPROCESSABLE_ENTITY as the real envelope

    def handle_http_exception(self, error):
        data = getattr(error, "data", None) or {}
        messages = data.get("errors") or data.get("messages")
        if error.code == 422 and messages:
            fields: dict = {}
            for location_errors in messages.values():
                if isinstance(location_errors, dict):
                    fields.update(location_errors)
            return error_response(422, "validation_error", "Data yang dikirim tidak valid.", {"fields": fields})
        if error.code == 404 and request.url_rule is None:  # no route at all, not a missing row
            return error_response(404, "not_found", "Endpoint tidak ditemukan.")
        headers = dict(data.get("headers") or {})
        if isinstance(error, MethodNotAllowed) and error.valid_methods:
            headers["Allow"] = ", ".join(sorted(error.valid_methods))  # RFC 9110: a 405 names the valid methods
        return error_response(error.code or 500, _code_for(error.code), data.get("message") or _message_for(error),
                              headers=headers)


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
