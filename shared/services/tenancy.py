"""The one place that decides which owners' rows an actor may see."""

import uuid
from typing import TypeVar

from sqlalchemy import Select
from sqlalchemy.orm import Session

from shared.errors import NotFound
from shared.models import User

T = TypeVar("T")


def scope_to_actor(stmt: Select, model, actor: User) -> Select:
    """Limit a query on an owner_id-bearing model to the rows the actor may see."""
    if actor.is_superadmin:
        return stmt
    return stmt.where(model.owner_id == actor.id)


def get_visible(session: Session, model: type[T], obj_id: uuid.UUID | str, actor: User, *,
                message: str = "Data tidak ditemukan.", for_update: bool = False) -> T:
    """Load one row the actor may see; another owner's row is reported exactly like a missing one."""
    try:
        key = obj_id if isinstance(obj_id, uuid.UUID) else uuid.UUID(str(obj_id))
    except ValueError:
        raise NotFound(message) from None
    from sqlalchemy import select

    stmt = scope_to_actor(select(model).where(model.id == key), model, actor)
    if for_update:
        stmt = stmt.with_for_update(of=model)
    obj = session.scalars(stmt).unique().one_or_none()
    if obj is None:
        raise NotFound(message)
    return obj
