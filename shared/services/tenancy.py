"""The one place that decides which owners' rows an actor may see, and how rows are loaded by id."""

import uuid
from typing import TypeVar

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from shared.errors import NotFound
from shared.models import User

T = TypeVar("T")


def scope_to_actor(stmt: Select, model, actor: User) -> Select:
    """Limit a query on an owner_id-bearing model to the rows the actor may see."""
    if actor.is_superadmin:
        return stmt
    return stmt.where(model.owner_id == actor.id)


def parse_id(value: uuid.UUID | str, message: str) -> uuid.UUID:
    """An id from a URL; a malformed one is reported exactly like a missing row."""
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise NotFound(message) from None


def get_by_id(session: Session, model: type[T], obj_id: uuid.UUID | str, *, message: str,
              actor: User | None = None, for_update: bool = False) -> T:
    """Load one row by id, limited to what `actor` may see when one is given; raise NotFound otherwise."""
    stmt = select(model).where(model.id == parse_id(obj_id, message))
    if actor is not None:
        stmt = scope_to_actor(stmt, model, actor)
    if for_update:
        stmt = stmt.with_for_update(of=model)
    obj = session.scalars(stmt).unique().one_or_none()
    if obj is None:
        raise NotFound(message)
    return obj


def get_visible(session: Session, model: type[T], obj_id: uuid.UUID | str, actor: User, *,
                message: str = "Data tidak ditemukan.", for_update: bool = False) -> T:
    """Load one row the actor may see; another owner's row is reported exactly like a missing one."""
    return get_by_id(session, model, obj_id, message=message, actor=actor, for_update=for_update)
