"""Every API blueprint, registered by the app factory in this order."""

from api.routes import (
    auth,
    customers,
    dashboard,
    exports,
    finance,
    health,
    invoices,
    jobs,
    packages,
    receipts,
    settings,
    users,
    wa,
)

BLUEPRINTS = [health.blp, auth.blp, users.blp, packages.blp, customers.blp, invoices.blp, receipts.blp, finance.blp,
              exports.blp, jobs.blp, settings.blp, dashboard.blp,
              wa.blp]
