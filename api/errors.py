"""The one place where domain errors become HTTP responses."""

from flask import Flask, jsonify

from shared.errors import DomainError


def error_response(status: int, code: str, message: str, details: dict | None = None, headers=None):
    body = {"error": {"code": code, "message": message, "details": details or {}}}
    return jsonify(body), status, headers or {}


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def _domain_error(exc: DomainError):
        from flask import g

        g.keep_writes = exc.keep_writes
        return error_response(exc.status, exc.code, exc.message, exc.details)

    from sqlalchemy.exc import OperationalError

    @app.errorhandler(OperationalError)
    def _database_down(exc):
        app.logger.error("database unavailable: %s", exc)
        return error_response(503, "database_unavailable", "Database sedang tidak dapat dihubungi. Coba lagi nanti.")

    from shared.crypto import EncryptionKeyError

    @app.errorhandler(EncryptionKeyError)
    def _encryption_key(exc):
        # The operator's message (which key is missing) goes to the log; the user gets a plain 500 with a code.
        app.logger.error("encrypted personal data cannot be read: %s", exc)
        return error_response(500, "encryption_key_mismatch", "Data pribadi terenkripsi tidak dapat dibuka: kunci "
                              "enkripsi server tidak cocok. Hubungi administrator.")

    from flask_limiter.errors import RateLimitExceeded

    @app.errorhandler(RateLimitExceeded)
    def _rate_limited(exc):
        return error_response(429, "rate_limited", "Terlalu banyak percobaan. Silakan coba lagi dalam beberapa saat.",
                              {"limit": str(exc.description)})
