from api.deps import current_user, db, login_required
from api.input import Blueprint
from api.schemas.dashboard import DashboardQueryArgs, DashboardStatsOut
from shared.services import dashboard as dashboard_service

blp = Blueprint("dashboard", __name__, url_prefix="/api/dashboard", description="Dashboard figures")


@blp.get("/stats")
@login_required()
@blp.arguments(DashboardQueryArgs, location="query", as_kwargs=True)
@blp.response(200, DashboardStatsOut)
def stats(**args):
    """Customer counts, this month's money, 12-month revenue and customer growth, invoices due soon."""
    return dashboard_service.dashboard_stats(db(), actor=current_user(), **args)
