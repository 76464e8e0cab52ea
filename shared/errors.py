"""Domain errors raised by services; the API maps them to HTTP in one place (api/errors.py)."""


class DomainError(Exception):
    code = "error"
    status = 400

    def __init__(self, message: str, *, code: str | None = None, details: dict | None = None,
                 keep_writes: bool = False):
        super().__init__(message)
        self.message = message
        # Some refusals must still be recorded (a failed login, a revoked token family).
        self.keep_writes = keep_writes
        if code:
            self.code = code
        self.details = details or {}


class Invalid(DomainError):
    """Bad input; `details["fields"]` maps field names to lists of messages."""

    code = "validation_error"
    status = 422

    @classmethod
    def field(cls, field: str, message: str) -> "Invalid":
        return cls(message, details={"fields": {field: [message]}})


class Unauthorized(DomainError):
    code = "unauthorized"
    status = 401


class Forbidden(DomainError):
    code = "forbidden"
    status = 403


class NotFound(DomainError):
    code = "not_found"
    status = 404


class Conflict(DomainError):
    code = "conflict"
    status = 409


class FileTooLarge(DomainError):
    code = "file_too_large"
    status = 413


class UnsupportedFileType(DomainError):
    code = "unsupported_file_type"
    status = 415


class Locked(DomainError):
    code = "account_locked"
    status = 423


class TooManyRequests(DomainError):
    code = "rate_limited"
    status = 429


class ServiceUnavailable(DomainError):
    code = "service_unavailable"
    status = 503
