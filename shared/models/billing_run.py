from datetime import date, datetime

from sqlalchemy import Date, DateTime, Integer, String, func
from sqlalchemy.orm import Mapped, mapped_column

from shared.models.base import Base


class BillingRun(Base):
    """A day whose 06:00 H-1 work is done; the primary key lets a missed day be caught up exactly once."""

    __tablename__ = "billing_runs"

    run_date: Mapped[date] = mapped_column(Date, primary_key=True)
    due_date: Mapped[date] = mapped_column(Date)
    period: Mapped[str] = mapped_column(String(7))
    created_count: Mapped[int] = mapped_column(Integer)
    reminder_count: Mapped[int] = mapped_column(Integer)
    completed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
