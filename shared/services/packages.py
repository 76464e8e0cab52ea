"""Internet packages: global, managed by the superadmin, soft-deleted; price changes re-total customers."""

import uuid
from collections.abc import Iterable

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from shared.errors import Conflict, Forbidden
from shared.models import Customer, Package, User
from shared.pagination import DEFAULT_PER_PAGE, Page, paginate
from shared.services.activity import record_activity
from shared.services.tenancy import get_by_id
from shared.services.users import like_pattern

MAX_PRICE = 100_000_000
PACKAGE_NOT_FOUND = "Paket tidak ditemukan."
EDITABLE_FIELDS = ("name", "speed", "price", "description", "is_active")
UNIQUE_NAME_LOCK = 0x504B_474E  # pg advisory lock key serialising package name checks


def list_packages(session: Session, *, actor: User, q: str | None = None, include_inactive: bool = False,
                  page: int = 1, per_page: int = DEFAULT_PER_PAGE) -> Page:
    """List packages (active ones unless asked); the superadmin also sees how many customers use each."""
    stmt = select(Package)
    if not include_inactive:
        stmt = stmt.where(Package.is_active.is_(True))
    if q:
        pattern = like_pattern(q)
        stmt = stmt.where(or_(Package.name.ilike(pattern, escape="\\"), Package.speed.ilike(pattern, escape="\\")))
    stmt = stmt.order_by(Package.is_active.desc(), Package.price, func.lower(Package.name), Package.id)
    result = paginate(session, stmt, page=page, per_page=per_page)
    _attach_customer_counts(session, actor, result.items)
    return result


def get_package(session: Session, *, actor: User, package_id: uuid.UUID | str, for_update: bool = False) -> Package:
    """One package, inactive ones included (customers may still use them)."""
    package = get_by_id(session, Package, package_id, message=PACKAGE_NOT_FOUND, for_update=for_update)
    _attach_customer_counts(session, actor, [package])
    return package


def create_package(session: Session, *, actor: User, data: dict) -> Package:
    _require_superadmin(actor)
    package = Package(name=data["name"], speed=data["speed"], price=data["price"],
                      description=data.get("description") or None, is_active=data.get("is_active", True))
    if package.is_active:
        _ensure_name_free(session, package.name)
    session.add(package)
    session.flush()
    package.customer_count = 0
    record_activity(session, actor=actor, action="package.create", resource="packages", resource_id=package.id,
                    metadata={"name": package.name, "price": package.price})
    return package


def update_package(session: Session, *, actor: User, package_id: uuid.UUID | str, changes: dict) -> Package:
    """Edit a package; a new price re-totals its customers' bills (never their existing invoices)."""
    _require_superadmin(actor)
    # Row lock: a concurrent price change cannot interleave with the re-total below.
    package = get_package(session, actor=actor, package_id=package_id, for_update=True)
    if "description" in changes:
        changes["description"] = changes["description"] or None
    changed = {field: (getattr(package, field), changes[field]) for field in EDITABLE_FIELDS
               if field in changes and getattr(package, field) != changes[field]}
    if not changed:
        return package
    name = changes.get("name", package.name)
    if changes.get("is_active", package.is_active) and ("name" in changed or "is_active" in changed):
        _ensure_name_free(session, name, exclude_id=package.id)
    metadata: dict = {"changes": {field: {"old": old, "new": new} for field, (old, new) in changed.items()}}
    if "price" in changed:
        metadata["customersRetotalled"] = _retotal_customers(session, package, changes["price"])
    for field, (_, new) in changed.items():
        setattr(package, field, new)
    session.flush()
    record_activity(session, actor=actor, action="package.update", resource="packages", resource_id=package.id,
                    metadata=metadata)
    return package


def deactivate_package(session: Session, *, actor: User, package_id: uuid.UUID | str) -> Package:
    """Soft-delete: hidden from new customers; customers already on it keep it."""
    _require_superadmin(actor)
    package = get_package(session, actor=actor, package_id=package_id, for_update=True)
    if package.is_active:
        package.is_active = False
        session.flush()
        record_activity(session, actor=actor, action="package.deactivate", resource="packages",
                        resource_id=package.id, metadata={"name": package.name})
    return package


def _retotal_customers(session: Session, package: Package, new_price: int) -> int:
    """Set total_bill = new price − discount for every customer on the package, in one UPDATE.

    Refused when a discount would exceed the new price, since total_bill may never go negative.
    Invoices are snapshots and are left alone.
    """
    too_discounted = session.scalar(select(func.count()).where(Customer.package_id == package.id,
                                                               Customer.discount > new_price)) or 0
    if too_discounted:
        raise Conflict(f"Harga baru lebih kecil dari diskon {too_discounted} pelanggan yang memakai paket ini. "
                       f"Kurangi diskon mereka terlebih dahulu atau pilih harga yang lebih tinggi.",
                       code="discount_exceeds_price", details={"customerCount": too_discounted})
    result = session.execute(update(Customer).where(Customer.package_id == package.id)
                             .values(total_bill=new_price - Customer.discount)
                             .execution_options(synchronize_session="fetch"))
    return result.rowcount


def _attach_customer_counts(session: Session, actor: User, packages: Iterable[Package]) -> None:
    """Customer counts span every owner, so only the superadmin gets them (None for a mitra)."""
    packages = list(packages)
    counts: dict = {}
    if actor.is_superadmin and packages:
        counts = dict(session.execute(
            select(Customer.package_id, func.count()).where(Customer.package_id.in_([p.id for p in packages]))
            .group_by(Customer.package_id)).all())
    for package in packages:
        package.customer_count = counts.get(package.id, 0) if actor.is_superadmin else None


def _ensure_name_free(session: Session, name: str, *, exclude_id: uuid.UUID | None = None) -> None:
    # No constraint covers "unique among active, ignoring case"; the lock makes check-then-write race-free.
    session.execute(select(func.pg_advisory_xact_lock(UNIQUE_NAME_LOCK)))
    stmt = select(Package.id).where(Package.is_active.is_(True), func.lower(Package.name) == name.lower())
    if exclude_id:
        stmt = stmt.where(Package.id != exclude_id)
    if session.scalar(stmt.limit(1)):
        message = "Nama paket sudah dipakai oleh paket aktif lain."
        raise Conflict(message, code="duplicate", details={"fields": {"name": [message]}})


def _require_superadmin(actor: User) -> None:
    if not actor.is_superadmin:
        raise Forbidden("Hanya superadmin yang dapat mengelola paket.")
