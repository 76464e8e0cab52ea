"""One logging setup for every process (API, Celery worker and beat, WA worker): structlog in front, stdlib behind.

Production (APP_ENV=production, or LOG_FORMAT=json) writes one JSON object per line, so a log shipper can index
`request_id`, `job_id`, `level` ...; development writes structlog's coloured console lines. Records from stdlib
loggers (werkzeug, celery, sqlalchemy, flask-limiter, our own `logging.getLogger`) go through the same
`ProcessorFormatter`, so they carry the same fields, the request id bound for the current request or job included.

Secrets never reach the output: the last step before rendering masks values of secret-named keys, bearer tokens,
JWTs and secret query parameters, whichever logger wrote them (README, "Observability").
"""

import logging
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, Any

import structlog
from structlog.types import EventDict, Processor

REDACTED = "[redacted]"
SECRET_KEY = re.compile(r"password|passwd|secret|token|authorization|cookie|api[_-]?key", re.IGNORECASE)
SECRET_PATTERNS = (
    (re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]+"), rf"\1 {REDACTED}"),
    (re.compile(r"\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*"), REDACTED),  # a JWT anywhere
    (re.compile(r"(?i)\b((?:[a-z_]*token|password|passwd|secret|api_?key)=)[^&\s\"']+"), rf"\1{REDACTED}"),
    # "password": "..." in a logged JSON body or dict repr
    (re.compile(r"(?i)([\"'](?:[a-z_]*token|[a-z_]*password|secret)[\"']\s*:\s*[\"'])[^\"']*"), rf"\1{REDACTED}"),
)
# Our own handler on the root logger is marked with this, so a second configure replaces it instead of doubling.
HANDLER_NAME = "fibernode"
# Loggers that come with a handler of their own; they are sent to the root handler instead.
OWN_HANDLER_LOGGERS = ("gunicorn.error", "gunicorn.access", "celery", "celery.task", "celery.redirected")
# werkzeug's request line repeats the API's access line, with the full query string: dropped.
WERKZEUG_REQUEST_LINE = '"%s" %s %s'


def wants_json(app_env: str, log_format: str) -> bool:
    """JSON unless asked otherwise outside production: `auto` means JSON in production, console elsewhere."""
    if log_format in ("json", "console"):
        return log_format == "json"
    return app_env == "production"


def redact_text(text: str) -> str:
    for pattern, replacement in SECRET_PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def _redact_value(key: str, value: Any) -> Any:
    if SECRET_KEY.search(key) and value not in (None, "", False):
        return REDACTED
    if isinstance(value, str):
        return redact_text(value)
    if isinstance(value, dict):
        return {k: _redact_value(str(k), v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_redact_value(key, v) for v in value]
    return value


def redact(_logger, _method: str, event_dict: EventDict) -> EventDict:
    """Mask secrets in every field (the rendered traceback included): the last line of defence, not the only one."""
    return {key: value if key.startswith("_") else _redact_value(key, value) for key, value in event_dict.items()}


def _drop_werkzeug_request_lines(record: logging.LogRecord) -> bool:
    # werkzeug prefixes the format with the client address and date: '127.0.0.1 - - [date] "%s" %s %s'.
    return not (record.name == "werkzeug" and WERKZEUG_REQUEST_LINE in str(record.msg))


def _shared_processors() -> list[Processor]:
    return [
        structlog.contextvars.merge_contextvars,  # request_id / job_id bound for this request or job
        structlog.stdlib.add_logger_name,
        structlog.stdlib.add_log_level,
        structlog.stdlib.ExtraAdder(),
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]


def formatter(*, json: bool, colors: bool = False) -> structlog.stdlib.ProcessorFormatter:
    """The formatter every line goes through, structlog's and stdlib's alike; colours only on a terminal."""
    renderer: Processor
    if json:
        renderer = structlog.processors.JSONRenderer()
        final: list[Processor] = [structlog.processors.format_exc_info, redact, renderer]
    else:
        # The console renderer prints exc_info itself; redact still sees the event and its fields.
        final = [redact, structlog.dev.ConsoleRenderer(colors=colors)]
    return structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=_shared_processors(),
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, *final],
    )


def configure_structlog() -> None:
    """Send structlog's lines into stdlib logging, to whatever handlers the root logger has."""
    structlog.configure(
        processors=[structlog.stdlib.filter_by_level, *_shared_processors(),
                    structlog.processors.StackInfoRenderer(),
                    structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=False,  # reconfigurable (tests switch formats); the cost is one lookup a line
    )


def configure_logging(level: str = "INFO", *, json: bool, stream: IO[str] | None = None,
                      install_handler: bool = True) -> logging.Handler | None:
    """Route structlog and stdlib logging through one handler on the root logger; return that handler.

    Idempotent: a second call (a second app in one process, a test) replaces our handler. Handlers another host
    put on the root logger (pytest's capture) are left alone; with `install_handler=False` only structlog is set up.
    """
    configure_structlog()
    if not install_handler:
        return None
    stream = stream or sys.stdout
    handler = logging.StreamHandler(stream)
    handler.name = HANDLER_NAME
    handler.setFormatter(formatter(json=json, colors=bool(getattr(stream, "isatty", lambda: False)())))
    handler.addFilter(_drop_werkzeug_request_lines)
    root = logging.getLogger()
    for old in [h for h in root.handlers if h.name == HANDLER_NAME]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level.upper())
    # Even at LOG_LEVEL=DEBUG: SQLAlchemy's INFO lines are every statement with its parameters (password and token
    # hashes, message texts, customers' numbers). Set this logger's level yourself to see them on a dev machine.
    logging.getLogger("sqlalchemy.engine").setLevel(max(root.level, logging.WARNING))
    for name in OWN_HANDLER_LOGGERS:
        own = logging.getLogger(name)
        own.handlers.clear()
        own.propagate = True
        # gunicorn sets gunicorn.error to its --log-level: LOG_LEVEL decides, through the root logger.
        own.setLevel(logging.NOTSET)
    # werkzeug (the dev server) raises an unset level of its own to INFO at its first line: pin it to LOG_LEVEL.
    logging.getLogger("werkzeug").setLevel(root.level)
    return handler


def configure_from_settings(settings=None, *, install_handler: bool = True) -> logging.Handler | None:
    """configure_logging with LOG_LEVEL, APP_ENV and LOG_FORMAT: what each process calls at start."""
    from shared.config import get_settings

    settings = settings or get_settings()
    return configure_logging(settings.log_level, json=wants_json(settings.app_env, settings.log_format),
                             install_handler=install_handler)


def current_request_id() -> str | None:
    """The request id bound for this request or job (structlog contextvars), None outside one."""
    return structlog.contextvars.get_contextvars().get("request_id")


@contextmanager
def bound(**values: Any) -> Iterator[None]:
    """Bind fields (job_id, request_id) to every line logged inside, restoring the previous ones after."""
    values = {key: value for key, value in values.items() if value is not None}
    tokens = structlog.contextvars.bind_contextvars(**values)
    try:
        yield
    finally:
        structlog.contextvars.reset_contextvars(**tokens)
