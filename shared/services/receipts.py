"""Payment receipts: the fields a receipt shows, chosen by the superadmin's `receipt_*` toggles.

Two readers: the WhatsApp receipt goes to the customer's own number and renders `receipt_fields` as is; the public
web page (`public_receipt`) is open to anyone holding the link, so it is cut down further by `public_view`.
"""

import re

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased, raiseload

from shared.errors import NotFound
from shared.models import Customer, Invoice, InvoicePayment, Package, User
from shared.services.periods import period_label
from shared.services.settings import all_settings

NOT_FOUND = "Nota tidak ditemukan."
# Tokens are made by generation (64 hex characters); anything unlike a token is not looked up at all.
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,100}$")
PAYMENT_METHOD_LABELS = {"cash": "Tunai", "transfer": "Transfer bank", "qris": "QRIS", "ewallet": "E-wallet",
                         "other": "Lainnya"}


def invoice_number(invoice: Invoice) -> str:
    """A short, stable number to quote on the phone: INV-202603-1A2B3C4D."""
    return f"INV-{invoice.period.replace('-', '')}-{invoice.id.hex[:8].upper()}"


def invoice_payments(session: Session, invoice_id) -> list[InvoicePayment]:
    """An invoice's payments, oldest first."""
    return list(session.scalars(select(InvoicePayment).where(InvoicePayment.invoice_id == invoice_id)
                                .order_by(InvoicePayment.paid_at, InvoicePayment.created_at, InvoicePayment.id)))


def receipt_fields(invoice: Invoice, *, customer: Customer, owner: User, package: Package, paid_by_name: str | None,
                   settings: dict[str, str], payments: list[InvoicePayment] = ()) -> dict:
    """The receipt as shown to the customer: always-on fields plus those whose toggle is "true".

    A field switched off is left out of the dict entirely (not set to None); the web receipt and the
    WhatsApp receipt text both render from this.
    """
    def on(key: str) -> bool:
        return settings.get(key) == "true"

    receipt = {
        "invoice_number": invoice_number(invoice),
        "period": invoice.period,
        "period_label": period_label(invoice.period),
        "due_date": invoice.due_date,
        "total_amount": invoice.total_amount,
        "status": invoice.status.value,
        "paid_at": invoice.paid_at,
        "paid_amount": invoice.paid_amount,
        "remaining_amount": invoice.total_amount - invoice.paid_amount,
        "payments": [{"id": payment.id, "amount": payment.amount, "paid_at": payment.paid_at,
                      "payment_method": payment.payment_method} for payment in payments],
        "customer_name": customer.name,
        "receipt_url": invoice.receipt_url,
        "footer_text": settings.get("receipt_footer_text") or "",
    }
    if on("receipt_show_company_name"):
        receipt["company_name"] = settings.get("app_name") or ""
        receipt["business_name"] = owner.business_name
    if on("receipt_logo_enabled"):
        receipt["logo_url"] = settings.get("logo_url") or None
    if on("receipt_show_customer_phone"):
        receipt["customer_phone"] = customer.phone
    if on("receipt_show_nik"):
        receipt["nik"] = customer.nik
    if on("receipt_show_area"):
        receipt["area"] = owner.business_name
    if on("receipt_show_package"):
        receipt["package_name"] = package.name
        receipt["package_speed"] = package.speed
    if on("receipt_show_discount"):
        receipt["amount"] = invoice.amount
        receipt["discount"] = invoice.discount
    if on("receipt_show_payment_method"):
        receipt["payment_method"] = invoice.payment_method
        receipt["payment_method_label"] = PAYMENT_METHOD_LABELS.get(invoice.payment_method or "")
        for payment in receipt["payments"]:
            payment["payment_method_label"] = PAYMENT_METHOD_LABELS.get(payment["payment_method"], "Lainnya")
    if on("receipt_show_paid_by"):
        receipt["paid_by_name"] = paid_by_name
    return receipt


# Shown on the public page of a paid invoice only: an unpaid bill's link says how much and by when, never how,
# when or by whom an earlier payment was (or was not yet) recorded.
PAYMENT_FIELDS = ("paid_at", "payment_method", "payment_method_label", "paid_by_name")
# Never shown in full to a stranger holding the link; a paid receipt with the toggle on shows the last digits.
PERSONAL_FIELDS = ("customer_phone", "nik")
_MASK = "***"


def mask_name(name: str) -> str:
    """ "Budi Santoso" → "Bu***i Sa***o": each word keeps its first two letters and its last, so the customer still
    recognises the name; three stars whatever the length, so the length is not told either. Short words keep
    less: "Ani" → "A***i", "Al" → "A***", an initial ("M." or "M") stays.
    """
    def word(part: str) -> str:
        if len(part) == 1 or (len(part) == 2 and part.endswith(".")):
            return part
        if len(part) >= 4:
            return part[:2] + _MASK + part[-1]
        if len(part) == 3:
            return part[0] + _MASK + part[-1]
        return part[0] + _MASK
    return " ".join(word(part) for part in name.split())


def mask_digits(value: str, *, keep: int = 4) -> str:
    """All but the last `keep` digits starred: enough for the customer to recognise their own number or NIK."""
    digits = "".join(ch for ch in value if ch.isdigit())
    if len(digits) <= keep:
        return "*" * len(digits)
    return "*" * (len(digits) - keep) + digits[-keep:]


def public_view(receipt: dict, *, settings: dict[str, str]) -> dict:
    """What a stranger holding the link may see of `receipt_fields` output.

    An invoice that is not paid (unpaid or partial) loses every payment field and every personal field: it is a
    bill, not a receipt; a partial one still lists its payments' amounts and dates and what remains. A paid one keeps the toggled payment fields; the phone and NIK, when toggled on, are
    masked to their last digits (the spec's toggles stay meaningful, the full numbers never leave in public).
    The superadmin's `receipt_mask_customer_name` masks the name here, in the JSON, not only on screen.
    """
    paid = receipt["status"] == "paid"
    view = {key: value for key, value in receipt.items() if key not in PAYMENT_FIELDS + PERSONAL_FIELDS}
    # Each payment's amount and date (and method when toggled on): the customer's own record of what was paid.
    view["payments"] = [{key: payment[key] for key in ("amount", "paid_at", "payment_method_label") if key in payment}
                        for payment in receipt["payments"]]
    if paid:
        view.update({key: receipt[key] for key in PAYMENT_FIELDS if key in receipt})
        view.update({key: mask_digits(receipt[key]) for key in PERSONAL_FIELDS if receipt.get(key)})
    if settings.get("receipt_mask_customer_name") == "true":
        view["customer_name"] = mask_name(view["customer_name"])
    return view


def public_receipt(session: Session, *, token: str) -> dict:
    """The public receipt behind a token; an unknown or malformed token is one and the same 404."""
    if not _TOKEN.match(token or ""):
        raise NotFound(NOT_FOUND)
    owner, payer = aliased(User), aliased(User)
    row = session.execute(
        select(Invoice, Customer, owner, Package, payer.name)
        .join(Customer, Customer.id == Invoice.customer_id)
        .join(owner, owner.id == Invoice.owner_id)
        .join(Package, Package.id == Customer.package_id)
        .outerjoin(payer, payer.id == Invoice.paid_by)
        .where(Invoice.receipt_token == token)
        .options(raiseload(Customer.owner), raiseload(Customer.package))  # joined above, not loaded twice
    ).one_or_none()
    if row is None:
        raise NotFound(NOT_FOUND)
    invoice, customer, owner_user, package, paid_by_name = row
    settings = all_settings(session)
    receipt = receipt_fields(invoice, customer=customer, owner=owner_user, package=package, paid_by_name=paid_by_name,
                             settings=settings, payments=invoice_payments(session, invoice.id))
    return public_view(receipt, settings=settings)
