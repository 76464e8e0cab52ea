"""Dashboard figures, computed in one round trip and scoped to what the actor may see."""

import uuid

from sqlalchemy import ColumnElement, func, literal, select
from sqlalchemy.orm import Session

from shared.errors import NotFound
from shared.models import Customer, CustomerStatus, Package, User, UserRole
from shared.services.tenancy import scope_to_actor


def _customer_figures() -> dict[str, ColumnElement]:
    """Aggregates over the (scoped) customers table; add money figures here or beside it."""
    def with_status(status: CustomerStatus) -> ColumnElement:
        return func.count().filter(Customer.status == status)

    return {
        "total_customers": func.count(),
        "active_customers": with_status(CustomerStatus.active),
        "isolated_customers": with_status(CustomerStatus.isolated),
        "inactive_customers": with_status(CustomerStatus.inactive),
    }


def _global_figures(actor: User) -> dict[str, ColumnElement]:
    """Figures that do not depend on the owner filter; mitra counts are the superadmin's business only."""
    mitra_count = (select(func.count()).where(User.role == UserRole.mitra, User.is_active.is_(True))
                   .scalar_subquery() if actor.is_superadmin else literal(None))
    return {
        "package_count": select(func.count()).where(Package.is_active.is_(True)).scalar_subquery(),
        "mitra_count": mitra_count,
    }


def dashboard_stats(session: Session, *, actor: User, owner_id: uuid.UUID | None = None) -> dict:
    """Customer counts by status (own customers for a mitra; one owner's when the superadmin asks)."""
    # A mitra asking for another owner learns nothing more than from a missing id.
    foreign = owner_id is not None and owner_id != actor.id
    if foreign and (not actor.is_superadmin or session.get(User, owner_id) is None):
        raise NotFound("Mitra tidak ditemukan.")
    columns = {**_customer_figures(), **_global_figures(actor)}
    stmt = scope_to_actor(select(*(expr.label(name) for name, expr in columns.items())).select_from(Customer),
                          Customer, actor)
    if owner_id is not None:
        stmt = stmt.where(Customer.owner_id == owner_id)
    return dict(session.execute(stmt).one()._mapping)
