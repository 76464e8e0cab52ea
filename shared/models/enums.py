"""PostgreSQL enums of the spec."""

import enum

from sqlalchemy import Enum


class UserRole(str, enum.Enum):
    superadmin = "superadmin"
    mitra = "mitra"


class PaymentStatus(str, enum.Enum):
    unpaid = "unpaid"
    paid = "paid"
    partial = "partial"


class CustomerStatus(str, enum.Enum):
    active = "active"
    isolated = "isolated"
    inactive = "inactive"


class WaSessionStatus(str, enum.Enum):
    disconnected = "disconnected"
    connecting = "connecting"
    connected = "connected"
    logged_out = "logged_out"  # unlinked from the phone: scan again
    banned = "banned"  # WhatsApp's temporary ban
    outdated = "outdated"  # WhatsApp refuses this client version


def pg_enum(py_enum: type[enum.Enum], name: str) -> Enum:
    return Enum(py_enum, name=name, values_callable=lambda e: [m.value for m in e], validate_strings=True)


user_role = pg_enum(UserRole, "user_role")
payment_status = pg_enum(PaymentStatus, "payment_status")
customer_status = pg_enum(CustomerStatus, "customer_status")
wa_session_status = pg_enum(WaSessionStatus, "wa_session_status")
