import uuid
from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    cast,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shared.crypto import NIK_PURPOSE, EncryptedString
from shared.models.base import Base, created_at, updated_at, uuid_pk
from shared.models.enums import CustomerStatus, customer_status
from shared.models.package import Package
from shared.models.user import User


class Customer(Base):
    """A WiFi subscriber owned by a superadmin or a mitra; has no login."""

    __tablename__ = "customers"
    __table_args__ = (
        Index("idx_customers_owner", "owner_id"),
        Index("idx_customers_phone", "phone"),
        Index("idx_customers_billing_date", "billing_date"),
        Index("idx_customers_status", "status"),
        # The list's default order (name, then id) read off an index; dashboard counts and growth (migration 0005).
        Index("idx_customers_name", "name", "id"),
        Index("idx_customers_register_date_status", "register_date", "status"),
        # The search (shared.services.customers.customer_matches, migration 0016): name word prefixes by full
        # text, phone prefixes and suffixes by btree pattern ranges on the number and its reverse; and a mitra's
        # list in name order.
        Index("idx_customers_name_search", text("to_tsvector('simple'::regconfig, name::text)"),
              postgresql_using="gin"),
        # Covers a mitra's scope and the name order, so many prefix matches are paged index-only (0022).
        Index("idx_customers_phone_prefix", "phone", postgresql_ops={"phone": "varchar_pattern_ops"},
              postgresql_include=["owner_id", "name", "id"]),
        Index("idx_customers_owner_name", "owner_id", "name", "id"),
        # One subscriber line per phone per owner: CSV imports and double-submitted forms cannot duplicate.
        UniqueConstraint("owner_id", "phone", name="uq_customers_owner_phone"),
        CheckConstraint("billing_date BETWEEN 1 AND 28", name="billing_date_range"),
        CheckConstraint("discount >= 0", name="discount_not_negative"),
        CheckConstraint("total_bill >= 0", name="total_bill_not_negative"),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    owner_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), ForeignKey("users.id", ondelete="RESTRICT"))
    package_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True),
                                                  ForeignKey("packages.id", ondelete="RESTRICT"))
    name: Mapped[str] = mapped_column(String(255))
    phone: Mapped[str] = mapped_column(String(20))
    # National ID (personal data, PDP law): AES-GCM at rest, plain str here (shared/crypto.py, migration 0014).
    # Never filtered on in SQL: each encryption of the same NIK differs.
    nik: Mapped[str | None] = mapped_column(EncryptedString(255, purpose=NIK_PURPOSE))
    address: Mapped[str | None] = mapped_column(Text)
    billing_date: Mapped[int] = mapped_column(Integer)
    discount: Mapped[int] = mapped_column(Integer, server_default=text("0"), default=0)
    total_bill: Mapped[int] = mapped_column(Integer)
    status: Mapped[CustomerStatus] = mapped_column(customer_status, server_default=text("'active'"),
                                                   default=CustomerStatus.active)
    register_date: Mapped[date] = mapped_column(Date, server_default=func.current_date())
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = created_at()
    updated_at: Mapped[datetime] = updated_at()

    owner: Mapped[User] = relationship(lazy="joined", innerjoin=True)
    package: Mapped[Package] = relationship(lazy="joined", innerjoin=True)

    @property
    def area(self) -> str:
        return self.owner.business_name


# The phone suffix search: the number reversed, so its last digits are a prefix (LIKE '7654%' as a range).
Index("idx_customers_phone_suffix", func.reverse(cast(Customer.phone, Text)).label("phone_reversed"),
      postgresql_ops={"phone_reversed": "text_pattern_ops"})
