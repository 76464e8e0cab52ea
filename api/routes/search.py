from api.deps import current_user, db, login_required
from api.input import Blueprint
from api.schemas.search import SearchArgs, SearchOut
from shared.services.search import search_everything

blp = Blueprint("search", __name__, url_prefix="/api/search", description="Header search over customers and invoices")


@blp.get("")
@blp.arguments(SearchArgs, location="query")
@blp.response(200, SearchOut)
@login_required()
def search(args):
    """The first customers and invoices the caller may see whose customer name or phone matches `q` (2+ chars)."""
    return search_everything(db(), actor=current_user(), q=args["q"])
