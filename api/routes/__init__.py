"""Every API blueprint, registered by the app factory in this order."""

from api.routes import (
    auth,
    collector,
    customers,
    dashboard,
    exports,
    finance,
    health,
    invoices,
    jobs,
    notifications,
    packages,
    receipts,
    search,
    settings,
    users,
    wa,
)

BLUEPRINTS = [health.blp, auth.blp, users.blp, packages.blp, customers.blp, invoices.blp, receipts.blp, finance.blp,
              exports.blp, jobs.blp, settings.blp, dashboard.blp,
              wa.blp, collector.blp, notifications.blp, search.blp]
