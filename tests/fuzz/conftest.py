"""The fuzz run's world (two owners with customers and invoices) and its figures, printed after the run."""

# ruff: noqa: F811 — the imported `make_invoice` fixture is requested as a parameter

import os
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

import pytest

from shared.models import Customer, Invoice, Package, User, UserRole
from tests.fixtures.invoices import make_invoice  # noqa: F401 — a fixture, used as a parameter

# `make test` runs the bounded run; `make fuzz` sets FUZZ_MAX_EXAMPLES (and FUZZ_LONG=1) for a long one.
MAX_EXAMPLES = int(os.environ.get("FUZZ_MAX_EXAMPLES", "3"))


@dataclass
class FuzzStats:
    started: float = field(default_factory=time.monotonic)
    requests: int = 0
    statuses: Counter = field(default_factory=Counter)
    server_errors: int = 0
    failures: Counter = field(default_factory=Counter)  # check name → failing cases

    def summary(self) -> str:
        elapsed = time.monotonic() - self.started
        statuses = ", ".join(f"{code}: {n}" for code, n in sorted(self.statuses.items()))
        failures = ", ".join(f"{name}: {n}" for name, n in sorted(self.failures.items())) or "none"
        return (f"fuzz: {self.requests} requests in {elapsed:.1f} s (max_examples={MAX_EXAMPLES}); "
                f"server errors: {self.server_errors}; failed checks: {failures}\n"
                f"fuzz: statuses {statuses}")


STATS = FuzzStats()


def pytest_terminal_summary(terminalreporter):
    if STATS.requests:
        terminalreporter.write_line(STATS.summary())


@dataclass
class FuzzWorld:
    """Real rows for path ids: the fuzzer swaps a generated id for one of these in most cases."""

    superadmin: User
    mitra: User
    ids: dict[str, list[str]]


@pytest.fixture
def fuzz_world(db, make_user, make_customer, make_invoice) -> FuzzWorld:
    superadmin = make_user(role=UserRole.superadmin)
    mitra = make_user(role=UserRole.mitra)
    package = Package(name="Paket Fuzz", speed="20 Mbps", price=150_000)
    db.add(package)
    db.flush()
    customers: list[Customer] = []
    invoices: list[Invoice] = []
    for owner in (superadmin, mitra):
        for n in range(3):
            customer = make_customer(owner=owner, package=package, name=f"Pelanggan {n}", billing_date=n + 5)
            customers.append(customer)
            invoices.append(make_invoice(customer=customer, due=date(2030, 1, n + 5),
                                         status="paid" if n == 0 else "unpaid"))
    ids = {
        "customer_id": [str(c.id) for c in customers],
        "invoice_id": [str(i.id) for i in invoices],
        "package_id": [str(package.id)],
        "user_id": [str(superadmin.id), str(mitra.id)],
        "token": [i.receipt_token for i in invoices],
    }
    return FuzzWorld(superadmin=superadmin, mitra=mitra, ids=ids)
