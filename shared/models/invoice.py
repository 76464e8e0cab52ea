import uuid
from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, DateTime, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shared.models.base import Base, created_at, updated_at, uuid_pk
from shared.models.customer import Customer
from shared.models.enums import PaymentStatus, payment_status


class Invoice(Base):
    """A prepaid monthly bill; amount, discount and total are snapshots taken at generation."""

    __tablename__ = "invoices"
    __table_args__ = (
        # Payments never exceed the bill (migration 0013); the pay UPDATE's own condition says so first.
        CheckConstraint("paid_amount >= 0 AND paid_amount <= total_amount", name="paid_amount_within_total"),
        # The list's default order (due date, then id) for everyone and per owner, and a customer's invoices by
        # due date (migration 0021).
        Index("idx_invoices_customer_due_date", "customer_id", "due_date", "id"),
        Index("idx_invoices_owner_due_date", "owner_id", "due_date", "id"),
        Index("idx_invoices_period", "period"),
        Index("idx_invoices_status", "status"),
        Index("idx_invoices_due_date_id", "due_date", "id"),
        Index("idx_invoices_customer_period", "customer_id", "period", unique=True),
        # The invoice list's first page of a month (due date, then id), for everyone or one owner (migration 0003).
        Index("idx_invoices_period_due_date", "period", "due_date", "id"),
        Index("idx_invoices_owner_period_due_date", "owner_id", "period", "due_date", "id"),
        # Unpaid invoices by due date, counted and summed (what is still owed) from the index alone: the
        # dashboard's due soon and the collector's day (migrations 0005, 0018).
        Index("idx_invoices_due_date_unpaid", "due_date",
              postgresql_include=["owner_id", "total_amount", "paid_amount"], postgresql_where=text("status <> 'paid'")),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    customer_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True),
                                                   ForeignKey("customers.id", ondelete="CASCADE"))
    owner_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), ForeignKey("users.id", ondelete="RESTRICT"))
    period: Mapped[str] = mapped_column(String(7))
    amount: Mapped[int] = mapped_column(Integer)
    discount: Mapped[int] = mapped_column(Integer, server_default=text("0"), default=0)
    total_amount: Mapped[int] = mapped_column(Integer)
    status: Mapped[PaymentStatus] = mapped_column(payment_status, server_default=text("'unpaid'"),
                                                  default=PaymentStatus.unpaid)
    # The sum of the invoice's payments (invoice_payments); status is partial while 0 < paid_amount < total_amount.
    paid_amount: Mapped[int] = mapped_column(Integer, server_default=text("0"), default=0)
    # paid_at, paid_by and payment_method describe the payment that completed the invoice: set only when paid.
    paid_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    paid_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True), ForeignKey("users.id"))
    payment_method: Mapped[str | None] = mapped_column(String(50))
    payment_note: Mapped[str | None] = mapped_column(Text)
    due_date: Mapped[date] = mapped_column(Date)
    receipt_url: Mapped[str | None] = mapped_column(String(500))
    receipt_token: Mapped[str | None] = mapped_column(String(100), unique=True)
    reminder_sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    receipt_sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    isolir_sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    version: Mapped[int] = mapped_column(Integer, server_default=text("1"), default=1)
    created_at: Mapped[datetime] = created_at()
    updated_at: Mapped[datetime] = updated_at()

    customer: Mapped[Customer] = relationship(lazy="raise")
