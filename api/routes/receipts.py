from api.deps import client_ip, db
from api.extensions import limiter
from api.input import Blueprint
from api.schemas.invoices import ReceiptOut
from shared.services import receipts

blp = Blueprint("receipts", __name__, url_prefix="/api/receipt", description="Public payment receipts (no login)")


@blp.get("/<token>")
@blp.doc(security=[])
@limiter.limit("60 per minute", key_func=client_ip)
@blp.response(200, ReceiptOut)
def get_receipt(token):
    """A payment receipt by its unguessable token; shows only the fields the receipt settings allow."""
    return receipts.public_receipt(db(), token=token)
