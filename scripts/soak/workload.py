"""The scripted operators: a superadmin and a mitra doing a day's work over and over, and the job poller.

Every answer is counted (Stats); every accepted job (202 with a jobId) is followed to the end (Jobs).
"""

from __future__ import annotations

import random
import threading
import time
from dataclasses import dataclass, field
from datetime import date

from scripts.soak.client import Client, Stats

PASSWORDS = {"superadmin": "Admin123!", "mitra1": "Mitra123!"}


@dataclass
class Job:
    id: str
    kind: str
    accepted_at: float
    state: str = "queued"
    error: str | None = None
    missing_since: float | None = None  # first 404 while the API answered


@dataclass
class Jobs:
    """Accepted jobs and where they stand; a job is lost when the API says it does not exist."""

    items: dict[str, Job] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def accept(self, kind: str, body) -> None:
        if isinstance(body, dict) and body.get("jobId"):
            with self.lock:
                self.items[body["jobId"]] = Job(body["jobId"], kind, time.monotonic())

    def unfinished(self) -> list[Job]:
        with self.lock:
            return [job for job in self.items.values() if job.state not in ("done", "failed")]

    def poll(self, client: Client) -> None:
        for job in self.unfinished():
            answer = client.call("GET", f"/api/jobs/{job.id}", route="GET /api/jobs/{id}")
            if answer.status == 200 and isinstance(answer.body, dict):
                job.state, job.error, job.missing_since = answer.body.get("state", job.state), \
                    answer.body.get("error"), None
            elif answer.status == 404:
                job.missing_since = job.missing_since or time.monotonic()

    def summary(self) -> dict[str, int]:
        with self.lock:
            jobs = list(self.items.values())
        return {"accepted": len(jobs), "done": sum(j.state == "done" for j in jobs),
                "failed": sum(j.state == "failed" for j in jobs),
                "lost": sum(j.missing_since is not None for j in jobs),
                "unfinished": sum(j.state not in ("done", "failed") and j.missing_since is None for j in jobs)}


def _phone(rng: random.Random) -> str:
    return "62812" + "".join(rng.choice("123456789") for _ in range(8))  # never ends in 0000 (simulator: not on WA)


def _next_periods(count: int) -> list[str]:
    today = date.today()
    return [f"{(today.year * 12 + today.month - 1 + k) // 12}-{(today.month - 1 + k) % 12 + 1:02d}"
            for k in range(1, count + 1)]


class Operators:
    """Threads that keep the product busy until stop is set."""

    def __init__(self, base_url: str, stats: Stats, jobs: Jobs, *, seed: int = 8):
        self.base_url, self.stats, self.jobs = base_url, stats, jobs
        self.rng = random.Random(seed)
        self.stop = threading.Event()
        self.admin = Client(base_url, stats, username="superadmin", password=PASSWORDS["superadmin"])
        self.mitra = Client(base_url, stats, username="mitra1", password=PASSWORDS["mitra1"])
        self.customer_ids: list[str] = []
        self.receipt_tokens: list[str] = []
        self.wa_connected = False
        self.threads: list[threading.Thread] = []

    # --- setup --------------------------------------------------------------------------------

    def prepare(self, customers: int = 30) -> None:
        """Link mitra1's WhatsApp on the simulator and give mitra1 customers to work with."""
        packages = self.admin.call("GET", "/api/packages?perPage=100").body or {}
        package_id = (packages.get("items") or [{}])[0].get("id")
        users = self.admin.call("GET", "/api/users?perPage=100").body or {}
        mitra_id = next(u["id"] for u in users.get("items", []) if u.get("username") == "mitra1")
        for n in range(customers):
            answer = self.admin.call("POST", "/api/customers", {
                "ownerId": mitra_id, "packageId": package_id, "name": f"Pelanggan Soak {n:03d}",
                "phone": _phone(self.rng), "billingDate": 1 + n % 28, "address": f"Jl. Uji Tahan No. {n}"})
            if answer.status == 201 and isinstance(answer.body, dict):
                self.customer_ids.append(answer.body["id"])
        self.connect_wa()

    def connect_wa(self, timeout: float = 90.0) -> None:
        self.mitra.call("POST", "/api/wa/connect")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            status = self.mitra.call("GET", "/api/wa/status").body or {}
            if status.get("status") == "connected":
                self.wa_connected = True
                return
            if status.get("qr"):
                self.mitra.call("POST", "/api/wa/simulator/scan")
            time.sleep(2)

    # --- work ---------------------------------------------------------------------------------

    def start(self) -> None:
        for target in (self._admin_loop, self._mitra_loop, self._poll_loop):
            thread = threading.Thread(target=self._guard(target), daemon=True, name=target.__name__)
            thread.start()
            self.threads.append(thread)

    def join(self) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(60)

    def _guard(self, loop):
        def run() -> None:
            while not self.stop.is_set():
                try:
                    loop()
                except Exception as exc:  # noqa: BLE001 — an operator that trips keeps working
                    print(f"soak: {loop.__name__} tripped: {exc!r}", flush=True)
                    self.stop.wait(2)
        return run

    def _pause(self, low: float = 0.3, high: float = 1.2) -> None:
        self.stop.wait(self.rng.uniform(low, high))

    def _admin_loop(self) -> None:
        rng, admin = self.rng, self.admin
        periods = _next_periods(3)
        actions = [
            (6, lambda: admin.call("GET", f"/api/customers?page={rng.randint(1, 2)}&perPage=20")),
            (3, lambda: admin.call("GET", "/api/dashboard/stats")),
            (3, lambda: admin.call("GET", "/api/finance/summary")),
            (3, lambda: admin.call("GET", "/api/invoices?perPage=20")),
            (3, self._edit_customer_as_admin),
            (2, lambda: self.jobs.accept("generate", admin.call(
                "POST", "/api/invoices/generate", {"period": rng.choice(periods)}).body)),
            (1, lambda: self.jobs.accept("export-invoices", admin.call(
                "GET", "/api/invoices/export?format=csv", route="GET /api/invoices/export").body)),
            (1, lambda: self.jobs.accept("export-customers", admin.call(
                "GET", "/api/customers/export?format=xlsx", route="GET /api/customers/export").body)),
            (1, lambda: self.jobs.accept("export-finance", admin.call(
                "GET", "/api/finance/export?format=csv", route="GET /api/finance/export").body)),
            (2, lambda: admin.call("GET", "/api/settings/branding", auth=False)),
            (2, self._open_receipt),
            (1, lambda: Client(self.base_url, self.stats, username="superadmin",
                               password=PASSWORDS["superadmin"]).login()),
        ]
        rng.choices([a for _, a in actions], weights=[w for w, _ in actions])[0]()
        self._pause()

    def _mitra_loop(self) -> None:
        rng = self.rng
        actions = [
            (5, lambda: self.mitra.call("GET", "/api/invoices?status=unpaid&perPage=20")),
            (4, self._pay_one),
            (1, self._unpay_one),
            (3, self._edit_customer_as_mitra),
            (2, self._send_manual),
            (1, self._send_bulk),
            (2, lambda: self.mitra.call("GET", "/api/wa/queue?perPage=20")),
        ]
        rng.choices([a for _, a in actions], weights=[w for w, _ in actions])[0]()
        self._pause()

    def _poll_loop(self) -> None:
        self.jobs.poll(self.admin)
        self.stop.wait(2)

    def _customer(self) -> str | None:
        return self.rng.choice(self.customer_ids) if self.customer_ids else None

    def _edit_customer_as_admin(self) -> None:
        if (customer := self._customer()) is not None:
            self.admin.call("PATCH", f"/api/customers/{customer}", {"address": f"Jl. Uji {self.rng.randint(1, 999)}"},
                            route="PATCH /api/customers/{id}")

    def _edit_customer_as_mitra(self) -> None:
        if (customer := self._customer()) is not None:
            self.mitra.call("PATCH", f"/api/customers/{customer}", {"discount": self.rng.choice([0, 5000, 10000])},
                            route="PATCH /api/customers/{id}")

    def _invoices(self, status: str) -> list[dict]:
        body = self.mitra.call("GET", f"/api/invoices?status={status}&perPage=20").body
        return body.get("items", []) if isinstance(body, dict) else []

    def _pay_one(self) -> None:
        if items := self._invoices("unpaid"):
            invoice = self.rng.choice(items)
            answer = self.mitra.call("PATCH", f"/api/invoices/{invoice['id']}/pay",
                                     {"version": invoice["version"], "paymentMethod": "cash"},
                                     route="PATCH /api/invoices/{id}/pay")
            if answer.status == 200 and isinstance(answer.body, dict) and answer.body.get("receiptToken"):
                self.receipt_tokens.append(answer.body["receiptToken"])

    def _unpay_one(self) -> None:
        if items := self._invoices("paid"):
            invoice = self.rng.choice(items)
            self.mitra.call("PATCH", f"/api/invoices/{invoice['id']}/unpay", {"version": invoice["version"]},
                            route="PATCH /api/invoices/{id}/unpay")

    def _open_receipt(self) -> None:
        if self.receipt_tokens:
            token = self.rng.choice(self.receipt_tokens)
            self.admin.call("GET", f"/api/receipt/{token}", auth=False, route="GET /api/receipt/{token}")

    def _send_manual(self) -> None:
        if self.wa_connected and (customer := self._customer()) is not None:
            self.mitra.call("POST", "/api/wa/send-manual", {"customerId": customer, "template": "custom",
                                                            "message": f"Info gangguan #{self.rng.randint(1, 9999)}"})

    def _send_bulk(self) -> None:
        if self.wa_connected and len(self.customer_ids) >= 3:
            picked = self.rng.sample(self.customer_ids, 3)
            self.mitra.call("POST", "/api/wa/send-bulk", {"customerIds": picked, "template": "custom",
                                                          "message": f"Pemberitahuan {self.rng.randint(1, 9999)}"})
