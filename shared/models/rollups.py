import uuid
from datetime import date

from sqlalchemy import BigInteger, Date, ForeignKey, String, text
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from shared.models.base import Base
from shared.models.enums import CustomerStatus, PaymentStatus, customer_status, payment_status


class InvoiceMonthlyTotal(Base):
    """Invoice count, total and paid money per owner, due month, period and status; read-only for the app.

    Statement-level triggers on `invoices` (migration 0004) keep it equal to the GROUP BY over invoices, in the
    same transaction as every insert, update and delete; the application never writes it.
    """

    __tablename__ = "invoice_monthly_totals"

    owner_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), ForeignKey("users.id", ondelete="CASCADE"),
                                                primary_key=True)
    due_month: Mapped[date] = mapped_column(Date, primary_key=True)  # the first day of the due date's month
    period: Mapped[str] = mapped_column(String(7), primary_key=True)
    status: Mapped[PaymentStatus] = mapped_column(payment_status, primary_key=True)
    invoice_count: Mapped[int] = mapped_column(BigInteger)
    total_amount: Mapped[int] = mapped_column(BigInteger)
    # The invoices' paid_amount (partial payments included), migration 0013.
    paid_amount: Mapped[int] = mapped_column(BigInteger, server_default=text("0"))


class InvoiceDailyTotal(Base):
    """Invoice count, total and paid money per due date, owner and status; read-only for the app.

    Kept by statement-level triggers on `invoices` (migration 0019) like InvoiceMonthlyTotal: what cuts a month
    (a range from the 11th, one day, the next 7 days) is read from here instead of from the invoices.
    """

    __tablename__ = "invoice_daily_totals"

    due_date: Mapped[date] = mapped_column(Date, primary_key=True)
    owner_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), ForeignKey("users.id", ondelete="CASCADE"),
                                                primary_key=True)
    status: Mapped[PaymentStatus] = mapped_column(payment_status, primary_key=True)
    invoice_count: Mapped[int] = mapped_column(BigInteger)
    total_amount: Mapped[int] = mapped_column(BigInteger)
    paid_amount: Mapped[int] = mapped_column(BigInteger)


class CustomerMonthlyCount(Base):
    """Customers per owner, register month and status; read-only for the app.

    Kept by statement-level triggers on `customers` (migration 0020): the dashboard's customer cards and growth
    series are sums of these rows, not a count over every customer.
    """

    __tablename__ = "customer_monthly_counts"

    owner_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), ForeignKey("users.id", ondelete="CASCADE"),
                                                primary_key=True)
    register_month: Mapped[date] = mapped_column(Date, primary_key=True)  # the first day of the register month
    status: Mapped[CustomerStatus] = mapped_column(customer_status, primary_key=True)
    customer_count: Mapped[int] = mapped_column(BigInteger)
