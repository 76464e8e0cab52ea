from api.deps import current_user, db, login_required
from api.input import Blueprint
from api.schemas.finance import (
    ByDateArgs,
    ByDateOut,
    ByMitraOut,
    ByPeriodArgs,
    ByPeriodOut,
    FinanceQueryArgs,
    FinanceSummaryOut,
)
from shared.services import finance
from shared.services.finance import FinanceFilters

blp = Blueprint("finance", __name__, url_prefix="/api/finance",
                description="Money billed, paid and unpaid (a mitra: own invoices only)")


@blp.get("/summary")
@login_required()
@blp.arguments(FinanceQueryArgs, location="query")
@blp.response(200, FinanceSummaryOut)
def summary(args):
    """Totals for an invoice period, a due-date range, or (by default) this collection month."""
    return finance.summary(db(), actor=current_user(), filters=FinanceFilters(**args))


@blp.get("/by-period")
@login_required()
@blp.arguments(ByPeriodArgs, location="query", as_kwargs=True)
@blp.response(200, ByPeriodOut)
def by_period(**args):
    """Totals per due month of a year (view=month, 12 rows) or per year (view=year)."""
    return finance.by_period(db(), actor=current_user(), **args)


@blp.get("/by-date")
@login_required()
@blp.arguments(ByDateArgs, location="query")
@blp.response(200, ByDateOut)
def by_date(args):
    """Invoices due on one day, paid or not, with the day's totals."""
    return finance.by_date(db(), actor=current_user(), day=args.pop("date"), **args)


@blp.get("/by-mitra")
@login_required()
@blp.arguments(FinanceQueryArgs, location="query")
@blp.response(200, ByMitraOut)
def by_mitra(args):
    """Totals per owner, the superadmin's own customers included (superadmin only)."""
    return finance.by_mitra(db(), actor=current_user(), filters=FinanceFilters(**args))
