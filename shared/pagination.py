"""List pagination shared by every list endpoint, with a capped total.

A list's `total` is counted up to COUNT_CAP rows (`SELECT count(*) FROM (… LIMIT COUNT_CAP + 1)`), never over the
whole match: beyond it the page says `total_capped` and `total` is the cap (the UI shows "10.000+"). A search
counts up to SEARCH_COUNT_CAP ("1.000+": nobody pages through a thousand hits, they type more), so a word most
names share costs a thousand rows, not ten thousand. The cap grows with the page asked for, so a deep page still
knows whether a next one exists.
"""

from dataclasses import dataclass

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

DEFAULT_PER_PAGE = 20
MAX_PER_PAGE = 100
COUNT_CAP = 10_000
SEARCH_COUNT_CAP = 1_000


@dataclass
class Page:
    items: list
    total: int
    page: int
    per_page: int
    total_capped: bool = False


def clamp(page: int, per_page: int) -> tuple[int, int]:
    return max(page, 1), min(max(per_page, 1), MAX_PER_PAGE)


def count_cap(page: int, per_page: int, *, search: bool = False) -> int:
    """How far to count for this page: COUNT_CAP (SEARCH_COUNT_CAP for a search), or to the end of a deeper page."""
    return max(SEARCH_COUNT_CAP if search else COUNT_CAP, page * per_page)


def capped_count(session: Session, stmt: Select, cap: int = COUNT_CAP) -> tuple[int, bool]:
    """(rows of `stmt` up to `cap`, whether there are more): reads at most cap + 1 rows."""
    limited = stmt.order_by(None).limit(cap + 1).subquery()
    counted = session.scalar(select(func.count()).select_from(limited)) or 0
    return (cap, True) if counted > cap else (counted, False)


def page_of(session: Session, stmt: Select, *, total: int, total_capped: bool, page: int, per_page: int) -> Page:
    """One page of an ordered `stmt` whose total is already known."""
    items = list(session.scalars(stmt.limit(per_page).offset((page - 1) * per_page)).unique())
    return Page(items=items, total=total, page=page, per_page=per_page, total_capped=total_capped)


def paginate(session: Session, stmt: Select, *, page: int = 1, per_page: int = DEFAULT_PER_PAGE) -> Page:
    page, per_page = clamp(page, per_page)
    total, capped = capped_count(session, stmt, count_cap(page, per_page))
    return page_of(session, stmt, total=total, total_capped=capped, page=page, per_page=per_page)
