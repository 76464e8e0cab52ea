"""The header search: customers and invoices matching a name or phone, the same way their lists search."""

from sqlalchemy.orm import Session

from shared.models import User
from shared.pagination import count_cap
from shared.services.customers import CustomerFilters, list_customers, search_matches
from shared.services.invoices import InvoiceFilters, list_invoices

MIN_QUERY = 2
GROUP_SIZE = 5


def search_everything(session: Session, *, actor: User, q: str, limit: int = GROUP_SIZE) -> dict:
    """The first customers (by name) and invoices (newest due date first) the actor may see that match `q`."""
    term = q.strip()
    # One first pass (common-word probe, count, the few matching ids) serves both lists.
    matches = search_matches(session, actor, CustomerFilters(q=term), count_cap(1, limit, search=True))
    customers = list_customers(session, actor=actor, filters=CustomerFilters(q=term), per_page=limit,
                               matches=matches)
    invoices = list_invoices(session, actor=actor, filters=InvoiceFilters(q=term, sort="-dueDate"), per_page=limit,
                             matches=matches)
    return {"q": term,
            "customers": {"items": customers.items, "total": customers.total, "total_capped": customers.total_capped},
            "invoices": {"items": invoices.items, "total": invoices.total, "total_capped": invoices.total_capped}}
