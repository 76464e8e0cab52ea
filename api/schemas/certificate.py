"""The site's TLS certificate as the settings page shows it (shared/services/certificate.py)."""

import marshmallow as ma

from api.schemas.common import CamelSchema

CERT_STATES = ["none", "valid", "expiring", "expired", "invalid"]


class CertificateOut(CamelSchema):
    domain = ma.fields.String(metadata={"description": "the hostname whose certificate was read (setting `domain`, "
                                                       "else the DOMAIN nginx and certbot run with)"})
    state = ma.fields.String(metadata={"enum": CERT_STATES, "description": "none: no certificate file; expiring: "
                                                                           "14 days or less left"})
    not_after = ma.fields.AwareDateTime(allow_none=True)
    issuer = ma.fields.String(allow_none=True)
    serial = ma.fields.String(allow_none=True, metadata={"description": "hex"})
    configured_domain = ma.fields.String(metadata={"description": "DOMAIN of the deployment (nginx, certbot)"})
    configured_ssl_method = ma.fields.String(metadata={"description": "SSL_METHOD of the deployment"})
