from api.deps import current_user, db, login_required
from api.input import Blueprint
from api.schemas.collector import CollectorTodayOut
from api.schemas.dashboard import DashboardQueryArgs
from shared.services.collector import collector_today

blp = Blueprint("collector", __name__, url_prefix="/api/dashboard", description="A collector's day")


@blp.get("/today")
@login_required()
@blp.arguments(DashboardQueryArgs, location="query", as_kwargs=True)
@blp.response(200, CollectorTodayOut)
def today(**args):
    """Unpaid invoices due today and overdue (first 20 each, with counts and sums) and money collected today (WIB)."""
    return collector_today(db(), actor=current_user(), **args)
