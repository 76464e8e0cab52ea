"""The one layer where a request's JSON body is read: every JSON-body endpoint refuses bad input the same way.

- A lone UTF-16 surrogate (`"\\ud800"`) is valid JSON text but no valid Unicode: Python decodes it, then psycopg,
  Redis and `jsonify` fail to encode it (a 500 anywhere the string travels). The app's JSON provider refuses it
  when the body is decoded, so `request.get_json()` (the rate-limit keys read it too) and the argument parser see
  the same 400 `invalid_json`.
- webargs treats a missing or non-JSON body as `{}`, so `PATCH /api/settings` with no body was a silent no-op
  200. `Blueprint` here parses with `FiberNodeParser`, which answers 400 `missing_body` / 415 instead.

Query strings, form fields and path segments cannot carry surrogates: werkzeug decodes them with `replace`.
"""

import json
from typing import Any, ClassVar

import flask
import flask_smorest
from flask.json.provider import DefaultJSONProvider
from webargs.flaskparser import FlaskParser, is_json_request
from werkzeug.datastructures import CombinedMultiDict

from shared.errors import DomainError

INVALID_JSON = "Isi permintaan bukan JSON yang valid."
INVALID_TEXT = "Teks berisi karakter Unicode yang tidak valid (surrogate tanpa pasangan)."
MISSING_BODY = "Permintaan tidak memiliki isi JSON."
NOT_JSON = "Isi permintaan harus berformat JSON (Content-Type: application/json)."


class InvalidJson(DomainError):
    code = "invalid_json"
    status = 400


class MissingBody(DomainError):
    code = "missing_body"
    status = 400


class UnsupportedMediaType(DomainError):
    code = "unsupported_media_type"
    status = 415


class LoneSurrogateError(ValueError):
    """Raised while decoding, so `get_json(silent=True)` treats it as any other undecodable body."""


def has_lone_surrogate(value: Any) -> bool:
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return True
        return False
    if isinstance(value, dict):
        return any(has_lone_surrogate(k) or has_lone_surrogate(v) for k, v in value.items())
    if isinstance(value, list):
        return any(has_lone_surrogate(item) for item in value)
    return False


class FiberNodeJSONProvider(DefaultJSONProvider):
    """Flask's JSON provider, refusing decoded text that no encoder downstream could write back."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        data = json.loads(s, **kwargs)
        if has_lone_surrogate(data):
            raise LoneSurrogateError(INVALID_TEXT)
        return data


class FiberNodeRequest(flask.Request):
    def on_json_loading_failed(self, e: ValueError | None) -> Any:
        if e is None:  # get_json() on a non-JSON content type
            raise UnsupportedMediaType(NOT_JSON)
        raise InvalidJson(INVALID_TEXT if isinstance(e, LoneSurrogateError) else INVALID_JSON)


class FiberNodeParser(FlaskParser):
    """A JSON-body argument is required: no body is 400 `missing_body`, another content type 415 (not `{}`).

    A multipart body is its file parts and its form fields together, as flask-smorest documents one body: a
    schema that refuses unknown fields then refuses an unknown form field too (webargs reads only the files).
    """

    # webargs would EXCLUDE unknown file parts whatever the schema says; the schema's own `unknown` decides.
    DEFAULT_UNKNOWN_BY_LOCATION: ClassVar[dict[str, str | None]] = {**FlaskParser.DEFAULT_UNKNOWN_BY_LOCATION, "files": None}

    def load_files(self, req: flask.Request, schema) -> Any:
        return self._makeproxy(CombinedMultiDict([req.files, req.form]), schema)

    def _raw_load_json(self, req: flask.Request) -> Any:
        if not req.get_data(cache=True).strip():
            raise MissingBody(MISSING_BODY)
        if not is_json_request(req):
            raise UnsupportedMediaType(NOT_JSON)
        return req.get_json()


class Blueprint(flask_smorest.Blueprint):
    """flask-smorest's Blueprint reading arguments through FiberNodeParser; every route module uses this one."""

    ARGUMENTS_PARSER = FiberNodeParser()
