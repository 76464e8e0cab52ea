"""The site's TLS certificate as the settings page shows it: present, valid, expiring soon or expired.

nginx serves, and certbot renews, the certificate in the `certs` volume (README, "TLS"); the api mounts that
volume read-only and reads <CERTS_DIR>/<domain>/fullchain.pem, the leaf certificate first as certbot writes it.
The api never writes or requests certificates: this only tells the superadmin what the site is serving.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import TypedDict

from cryptography import x509
from cryptography.x509.oid import NameOID

# Let's Encrypt certificates last 90 days and certbot renews from 30 days before expiry: a certificate still
# this close to its end means renewal has been failing for a fortnight or more.
EXPIRING_DAYS = 14
# A hostname as a path component: nothing that could climb out of CERTS_DIR.
_DOMAIN = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$")


class CertificateState(TypedDict):
    domain: str
    state: str  # none | valid | expiring | expired | invalid
    not_after: dt.datetime | None
    issuer: str | None
    serial: str | None


def certificate_path(certs_dir: Path, domain: str) -> Path | None:
    """Where certbot keeps the chain for `domain` (also where an operator puts their own, SSL_METHOD=manual)."""
    if not domain or ".." in domain or not _DOMAIN.match(domain):
        return None
    return certs_dir / domain / "fullchain.pem"


def certificate_state(certs_dir: Path, domain: str, *, now: dt.datetime | None = None) -> CertificateState:
    """Read the leaf certificate for `domain`; "none" when there is no file, "invalid" when it is not PEM."""
    result = CertificateState(domain=domain, state="none", not_after=None, issuer=None, serial=None)
    path = certificate_path(certs_dir, domain)
    if path is None or not path.is_file():
        return result
    try:
        leaf = x509.load_pem_x509_certificates(path.read_bytes())[0]
    except (ValueError, IndexError, OSError):
        result["state"] = "invalid"
        return result
    now = now or dt.datetime.now(dt.UTC)
    not_after = leaf.not_valid_after_utc
    names = leaf.issuer.get_attributes_for_oid(NameOID.COMMON_NAME) or leaf.issuer.get_attributes_for_oid(
        NameOID.ORGANIZATION_NAME)
    result.update(not_after=not_after, serial=format(leaf.serial_number, "x"),
                  issuer=str(names[0].value) if names else leaf.issuer.rfc4514_string())
    if not_after <= now:
        result["state"] = "expired"
    elif not_after - now <= dt.timedelta(days=EXPIRING_DAYS):
        result["state"] = "expiring"
    else:
        result["state"] = "valid"
    return result
