"""Every API blueprint, registered by the app factory in this order."""

from api.routes import auth, customers, dashboard, health, jobs, packages, settings, users

BLUEPRINTS = [health.blp, auth.blp, users.blp, packages.blp, customers.blp, jobs.blp, settings.blp, dashboard.blp]
