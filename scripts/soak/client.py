"""A small JSON client for the soak's operators: counts every answer, logs in again when a token lapses."""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from dataclasses import dataclass, field


@dataclass
class Answer:
    status: int  # 0: no answer at all (connection refused or reset, timeout)
    body: dict | list | None
    at: float = field(default_factory=time.monotonic)


class Stats:
    """Answers by status and by route, and the 500s with when they happened (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.by_status: Counter[int] = Counter()
        self.server_errors: list[tuple[float, str, int, str]] = []  # (monotonic, route, status, body excerpt)

    def count(self, route: str, answer: Answer, raw: bytes) -> None:
        with self._lock:
            self.by_status[answer.status] += 1
            if answer.status >= 500:
                self.server_errors.append((answer.at, route, answer.status, raw[:200].decode(errors="replace")))

    @property
    def requests(self) -> int:
        return sum(self.by_status.values())


class Client:
    """One operator's session against the API."""

    def __init__(self, base_url: str, stats: Stats, *, username: str | None = None, password: str | None = None):
        self.base_url = base_url
        self.stats = stats
        self.username, self.password = username, password
        self.token: str | None = None
        self.logged_in_at = 0.0

    def call(self, method: str, path: str, body: dict | None = None, *, route: str | None = None,
             auth: bool = True, timeout: float = 20.0) -> Answer:
        if auth and self.username and (self.token is None or time.monotonic() - self.logged_in_at > 600):
            self.login()
        answer = self._send(method, path, body, route=route, auth=auth, timeout=timeout)
        if answer.status == 401 and auth and self.username:
            self.login()
            answer = self._send(method, path, body, route=route, auth=auth, timeout=timeout)
        return answer

    def login(self) -> bool:
        self.token = None
        answer = self._send("POST", "/api/auth/login", {"username": self.username, "password": self.password},
                            route="POST /api/auth/login", auth=False, timeout=20.0)
        if answer.status == 200 and isinstance(answer.body, dict):
            self.token = answer.body["accessToken"]
            self.logged_in_at = time.monotonic()
            return True
        return False

    def _send(self, method: str, path: str, body: dict | None, *, route: str | None, auth: bool,
              timeout: float) -> Answer:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.base_url + path, data=data, method=method)
        request.add_header("Accept", "application/json")
        if data is not None:
            request.add_header("Content-Type", "application/json")
        if auth and self.token:
            request.add_header("Authorization", f"Bearer {self.token}")
        raw = b""
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                status, raw = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, raw = error.code, error.read()
        except (urllib.error.URLError, OSError, TimeoutError):
            status = 0
        try:
            parsed = json.loads(raw) if raw else None
        except ValueError:
            parsed = None
        answer = Answer(status, parsed)
        self.stats.count(route or f"{method} {path.split('?')[0]}", answer, raw)
        return answer
