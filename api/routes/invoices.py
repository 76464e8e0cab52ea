from api.deps import current_user, db, login_required, superadmin_required
from api.input import Blueprint
from api.schemas.common import JobAccepted
from api.schemas.invoices import (
    GenerateIn,
    InvoiceOut,
    InvoicePage,
    InvoiceQueryArgs,
    PayIn,
    PaymentIn,
    UndoPaymentArgs,
    UnpayIn,
)
from api.schemas.wa import PaidInvoiceOut
from shared import jobs, tasknames
from shared.services import invoices, whatsapp
from shared.services.billing import prepare_generation
from shared.services.invoices import InvoiceFilters

blp = Blueprint("invoices", __name__, url_prefix="/api/invoices",
                description="Prepaid invoices: list, generate, pay and unpay")


@blp.get("")
@blp.arguments(InvoiceQueryArgs, location="query")
@blp.response(200, InvoicePage)
@login_required()
def list_invoices(args):
    """List the invoices the user may see (a mitra: only their own); from/to filter the due date."""
    page, per_page = args.pop("page"), args.pop("per_page")
    return invoices.list_invoices(db(), actor=current_user(), filters=InvoiceFilters(**args), page=page,
                                  per_page=per_page)


@blp.post("/generate")
@blp.arguments(GenerateIn)
@blp.response(202, JobAccepted)
@superadmin_required
def generate_invoices(body):
    """Generate a period's invoices (default next month) for every owner or one; a job reports the counts."""
    user = current_user()
    period, owner_id = prepare_generation(db(), actor=user, period=body.get("period"), owner_id=body.get("owner_id"))
    owner = str(owner_id) if owner_id else None
    job_id = jobs.submit(db(), tasknames.GENERATE_INVOICES, job_type="invoices.generate", user_id=user.id,
                         meta={"period": period, "ownerId": owner}, period=period, owner_id=owner)
    return {"job_id": job_id}


@blp.get("/<uuid:invoice_id>")
@blp.response(200, InvoiceOut)
@login_required()
def get_invoice(invoice_id):
    """One invoice."""
    return invoices.get_invoice(db(), actor=current_user(), invoice_id=invoice_id)


@blp.patch("/<uuid:invoice_id>/pay")
@blp.arguments(PayIn)
@blp.response(200, PaidInvoiceOut)
@login_required()
def pay_invoice(body, invoice_id):
    """Mark an invoice paid and queue its WhatsApp receipt from the owner's number (waReceipt says how it went).

    A stale version is 409 version_conflict, a paid invoice 409 already_paid. The receipt row is written in the
    payment's transaction; when the owner's WhatsApp is not connected the failure is logged and the payment stands.
    """
    session, actor = db(), current_user()
    invoice = invoices.mark_paid(session, actor=actor, invoice_id=invoice_id, version=body["version"],
                                 payment_method=body["payment_method"], payment_note=body.get("payment_note"))
    return _with_receipt(session, actor, invoice)


@blp.post("/<uuid:invoice_id>/payments")
@blp.arguments(PaymentIn)
@blp.response(200, PaidInvoiceOut)
@login_required()
def record_payment(body, invoice_id):
    """Record a payment of part (or all) of what is left; below the remainder the invoice is partial.

    More than the remainder is 422 amount_exceeds_remaining, a stale version 409 version_conflict, a paid invoice
    409 already_paid. Each payment queues its own WhatsApp receipt (paid now, paid in all, remaining).
    """
    session, actor = db(), current_user()
    invoice = invoices.record_payment(session, actor=actor, invoice_id=invoice_id, version=body["version"],
                                      amount=body["amount"], payment_method=body["payment_method"],
                                      payment_note=body.get("payment_note"))
    return _with_receipt(session, actor, invoice)


@blp.delete("/<uuid:invoice_id>/payments/<uuid:payment_id>")
@blp.arguments(UndoPaymentArgs, location="query")
@blp.response(200, InvoiceOut)
@login_required()
def undo_payment(args, invoice_id, payment_id):
    """Undo one payment (?version=N): the invoice goes back to partial, or unpaid when none is left."""
    return invoices.undo_payment(db(), actor=current_user(), invoice_id=invoice_id, payment_id=payment_id,
                                 version=args["version"])


def _with_receipt(session, actor, invoice: dict) -> dict:
    payment_id = invoice.pop("payment_id")
    receipt = whatsapp.send_receipt_on_payment(session, actor=actor, invoice_id=invoice["id"], payment_id=payment_id)
    return {**invoice, "wa_receipt": receipt}


@blp.patch("/<uuid:invoice_id>/unpay")
@blp.arguments(UnpayIn)
@blp.response(200, InvoiceOut)
@login_required()
def unpay_invoice(body, invoice_id):
    """Undo every payment (back to unpaid); a stale version is 409 version_conflict, an unpaid invoice 409 not_paid."""
    return invoices.mark_unpaid(db(), actor=current_user(), invoice_id=invoice_id, version=body["version"])
