"""The header search: customers and invoices matching a name or phone, the same way their lists search."""

from sqlalchemy.orm import Session

from shared.models import User
from shared.services.customers import CustomerFilters, list_customers
from shared.services.invoices import InvoiceFilters, list_invoices

MIN_QUERY = 2
GROUP_SIZE = 5


def search_everything(session: Session, *, actor: User, q: str, limit: int = GROUP_SIZE) -> dict:
    """The first customers (by name) and invoices (newest due date first) the actor may see that match `q`."""
    term = q.strip()
    customers = list_customers(session, actor=actor, filters=CustomerFilters(q=term), per_page=limit)
    invoices = list_invoices(session, actor=actor, filters=InvoiceFilters(q=term, sort="-dueDate"), per_page=limit)
    return {"q": term,
            "customers": {"items": customers.items, "total": customers.total, "total_capped": customers.total_capped},
            "invoices": {"items": invoices.items, "total": invoices.total, "total_capped": invoices.total_capped}}
