"""All tables; import from here so Alembic and the app see the same metadata."""

from shared.models.backup_run import BackupRun
from shared.models.base import Base
from shared.models.billing_run import BillingRun
from shared.models.customer import Customer
from shared.models.enums import CustomerStatus, PaymentStatus, UserRole, WaSessionStatus
from shared.models.heartbeat import ServiceHeartbeat
from shared.models.invoice import Invoice
from shared.models.job import Job, JobBlob
from shared.models.notification import NotificationRead
from shared.models.package import Package
from shared.models.payment import InvoicePayment, PaymentDailyTotal
from shared.models.rollups import CustomerMonthlyCount, InvoiceDailyTotal, InvoiceMonthlyTotal
from shared.models.system import ActivityLog, CustomerImport, LoginAttempt, RefreshToken, Setting
from shared.models.user import User
from shared.models.whatsapp import WaMessageLog, WaMessageQueue, WaNumberCheck, WaSession

__all__ = [
    "ActivityLog", "BackupRun", "Base", "BillingRun", "Customer", "CustomerImport", "CustomerMonthlyCount",
    "CustomerStatus", "Invoice", "InvoiceDailyTotal", "InvoiceMonthlyTotal", "InvoicePayment", "Job", "JobBlob", "LoginAttempt", "NotificationRead",
    "Package", "PaymentDailyTotal", "PaymentStatus", "RefreshToken", "ServiceHeartbeat", "Setting", "User", "UserRole",
    "WaMessageLog", "WaMessageQueue",
    "WaNumberCheck", "WaSession", "WaSessionStatus",
]
