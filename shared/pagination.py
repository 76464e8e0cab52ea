"""List pagination shared by every list endpoint."""

from dataclasses import dataclass

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

DEFAULT_PER_PAGE = 20
MAX_PER_PAGE = 100


@dataclass
class Page:
    items: list
    total: int
    page: int
    per_page: int


def paginate(session: Session, stmt: Select, *, page: int = 1, per_page: int = DEFAULT_PER_PAGE) -> Page:
    page = max(page, 1)
    per_page = min(max(per_page, 1), MAX_PER_PAGE)
    total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    items = list(session.scalars(stmt.limit(per_page).offset((page - 1) * per_page)).unique())
    return Page(items=items, total=total, page=page, per_page=per_page)
