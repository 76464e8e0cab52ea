"""Seed the spec's development data idempotently: `python -m shared.seed`."""

import logging
import sys
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from shared.config import DEFAULT_ADMIN_PASSWORD, Settings, get_settings
from shared.db import session_scope
from shared.models import Customer, Package, Setting, User, UserRole
from shared.security import hash_password, validate_password_strength
from shared.services.settings import record_app_version
from shared.services.settings_defaults import DEFAULT_SETTINGS
from shared.timeutil import today_wib

log = logging.getLogger(__name__)

PACKAGES = [
    {"name": "Paket 10 Mbps", "speed": "10 Mbps", "price": 100_000},
    {"name": "Paket 20 Mbps", "speed": "20 Mbps", "price": 150_000},
    {"name": "Paket 30 Mbps", "speed": "30 Mbps", "price": 200_000},
    {"name": "Paket 50 Mbps", "speed": "50 Mbps", "price": 250_000},
    {"name": "Paket 100 Mbps", "speed": "100 Mbps", "price": 350_000},
]
MITRAS = [
    {"username": "mitra1", "password": "Mitra123!", "name": "Budi Santoso", "business_name": "WiFi Sukamaju"},
    {"username": "mitra2", "password": "Mitra123!", "name": "Siti Rahayu", "business_name": "Net Mekarjaya"},
]
CUSTOMERS = [
    {"name": "Ahmad Fauzi", "phone": "6281234567890", "owner": "mitra1", "billing_date": 5,
     "package": "Paket 10 Mbps", "discount": 0},
    {"name": "Dewi Lestari", "phone": "6289876543210", "owner": "mitra1", "billing_date": 10,
     "package": "Paket 20 Mbps", "discount": 10_000},
    {"name": "Rudi Hartono", "phone": "6281333444555", "owner": "superadmin", "billing_date": 15,
     "package": "Paket 50 Mbps", "discount": 0},
]


class SeedRefused(RuntimeError):
    """The seed would create an account anyone can log in to; the message tells the operator what to set."""


def refuse_published_passwords(settings: Settings) -> None:
    """In production, refuse the README's superadmin password and the demo accounts (their passwords are public)."""
    if not settings.is_production:
        return
    if settings.admin_password in ("", DEFAULT_ADMIN_PASSWORD):
        raise SeedRefused(
            f"ADMIN_PASSWORD is not set (or is the published default {DEFAULT_ADMIN_PASSWORD}): production will not "
            f"create the superadmin with it. Set ADMIN_PASSWORD in .env to a strong password of your own and run "
            f"the seed again. / ADMIN_PASSWORD belum diisi (atau masih bawaan): isi ADMIN_PASSWORD di .env dengan "
            f"password yang kuat, lalu jalankan seed lagi.")
    if problem := validate_password_strength(settings.admin_password):
        raise SeedRefused(f"ADMIN_PASSWORD is too weak for production: {problem}")
    if settings.seed_demo_data:
        raise SeedRefused("SEED_DEMO_DATA=true in production would create the demo mitra accounts, whose passwords "
                          "are in the README: set SEED_DEMO_DATA=false. / SEED_DEMO_DATA harus false di produksi.")


def ensure_settings(session: Session) -> None:
    stmt = insert(Setting).values([{"key": k, "value": v} for k, v in DEFAULT_SETTINGS.items()])
    session.execute(stmt.on_conflict_do_nothing(index_elements=["key"]))


def _record_version(session: Session, version: str) -> None:
    """The api's start-up step stores the release it runs, so open PWAs on an older build offer the update."""
    try:
        if record_app_version(session, version):
            log.info("app_version is now %s", version)
    except ValueError:
        log.warning("APP_VERSION %r is not a version (e.g. 1.4.2): app_version left as it was", version)


def _ensure_user(session: Session, *, username: str, password: str, name: str, business_name: str,
                 role: UserRole) -> User:
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        user = User(username=username, password_hash=hash_password(password), name=name, role=role,
                    business_name=business_name)
        session.add(user)
        session.flush()
    return user


SEED_LOCK_KEY = 0x46_4E_53_45_45_44  # "FNSEED"


def seed(session: Session, *, demo: bool = True, settings: Settings | None = None,
         now: datetime | None = None) -> None:
    """`now` (default: the clock) dates the demo customers' registerDate, in WIB like every business date."""
    settings = settings or get_settings()
    refuse_published_passwords(settings)
    # Replicas seed at the same time at start-up: the second waits here, then finds everything in place.
    session.execute(select(func.pg_advisory_xact_lock(SEED_LOCK_KEY)))
    ensure_settings(session)
    _record_version(session, settings.app_version)
    users = {"superadmin": _ensure_user(session, username=settings.admin_username, password=settings.admin_password,
                                        name=settings.admin_name, business_name=settings.admin_business_name,
                                        role=UserRole.superadmin)}
    if not demo:
        return
    packages = {}
    for spec in PACKAGES:
        package = session.scalar(select(Package).where(Package.name == spec["name"]))
        if package is None:
            package = Package(**spec)
            session.add(package)
            session.flush()
        packages[spec["name"]] = package
    for spec in MITRAS:
        users[spec["username"]] = _ensure_user(session, username=spec["username"], password=spec["password"],
                                               name=spec["name"], business_name=spec["business_name"],
                                               role=UserRole.mitra)
    for spec in CUSTOMERS:
        owner = users[spec["owner"]]
        exists = session.scalar(select(Customer.id).where(Customer.owner_id == owner.id,
                                                          Customer.phone == spec["phone"]))
        if exists is None:
            package = packages[spec["package"]]
            session.add(Customer(owner_id=owner.id, package_id=package.id, name=spec["name"], phone=spec["phone"],
                                 billing_date=spec["billing_date"], discount=spec["discount"],
                                 total_bill=package.price - spec["discount"],
                                 # Not the column's default, the database's (UTC) date: 06:30 WIB is still
                                 # yesterday in UTC.
                                 register_date=today_wib(now)))
    session.flush()


def main() -> None:
    logging.basicConfig(level=logging.INFO)
    settings = get_settings()
    try:
        refuse_published_passwords(settings)  # before touching the database
    except SeedRefused as refused:
        sys.exit(f"seed refused: {refused}")
    with session_scope() as session:
        seed(session, demo=settings.seed_demo_data, settings=settings)
    log.info("seed data ensured")


if __name__ == "__main__":
    main()
