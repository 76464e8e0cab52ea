"""Celery task names, the only link between the API and the workers (the API never imports worker/)."""

VALIDATE_CUSTOMER_IMPORT = "imports.validate_customers"
CONFIRM_CUSTOMER_IMPORT = "imports.confirm_customers"

QUEUES = {
    VALIDATE_CUSTOMER_IMPORT: "imports",
    CONFIRM_CUSTOMER_IMPORT: "imports",
}
