import uuid
from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    func,
)
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from shared.models.base import Base, created_at, uuid_pk


class InvoicePayment(Base):
    """One payment toward an invoice (part or all of it); `invoices.paid_amount` is the sum of its payments.

    Rows are written and deleted only while the invoice's row is locked by the pay UPDATE (shared.services.invoices),
    so the sum and the invoice never disagree. `owner_id` is the invoice's owner, for tenancy without a join.
    """

    __tablename__ = "invoice_payments"
    __table_args__ = (
        CheckConstraint("amount > 0", name="amount_positive"),
        Index("ix_invoice_payments_invoice_id", "invoice_id"),
        Index("ix_invoice_payments_owner_paid_at", "owner_id", "paid_at"),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    invoice_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), ForeignKey("invoices.id", ondelete="CASCADE"))
    owner_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), ForeignKey("users.id", ondelete="RESTRICT"))
    amount: Mapped[int] = mapped_column(Integer)
    payment_method: Mapped[str] = mapped_column(String(50))
    payment_note: Mapped[str | None] = mapped_column(Text)
    paid_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    paid_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True), ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = created_at()


class PaymentDailyTotal(Base):
    """Money received per owner and WIB payment day; read-only for the app.

    Statement-level triggers on `invoice_payments` (migration 0013) keep it equal to the GROUP BY over the payments,
    in the same transaction as each payment and each undo, so "money received" over any range of days is a few
    hundred rows instead of every payment.
    """

    __tablename__ = "payment_daily_totals"

    owner_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), ForeignKey("users.id", ondelete="CASCADE"),
                                                primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)  # the payment's date in Asia/Jakarta
    payment_count: Mapped[int] = mapped_column(BigInteger)
    amount: Mapped[int] = mapped_column(BigInteger)
