"""Celery task names, the only link between the API and the workers (the API never imports worker/)."""

VALIDATE_CUSTOMER_IMPORT = "imports.validate_customers"
CONFIRM_CUSTOMER_IMPORT = "imports.confirm_customers"
GENERATE_INVOICES = "billing.generate_invoices"
DAILY_BILLING = "billing.daily_h1"
EXPORT_CUSTOMERS = "exports.customers"
EXPORT_INVOICES = "exports.invoices"
EXPORT_FINANCE = "exports.finance"
RETENTION = "maintenance.retention"
SWEEP_JOBS = "jobs.sweep"
SWEEP_BILLING = "billing.sweep_h1"

QUEUES = {
    VALIDATE_CUSTOMER_IMPORT: "imports",
    CONFIRM_CUSTOMER_IMPORT: "imports",
    GENERATE_INVOICES: "billing",
    DAILY_BILLING: "billing",
    EXPORT_CUSTOMERS: "exports",
    EXPORT_INVOICES: "exports",
    EXPORT_FINANCE: "exports",
    RETENTION: "default",
    SWEEP_JOBS: "default",
    SWEEP_BILLING: "billing",
}
