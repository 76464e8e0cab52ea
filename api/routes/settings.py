from flask import abort, current_app, request, send_file

from api.deps import client_ip, current_user, db, superadmin_required
from api.extensions import limiter
from api.input import Blueprint
from api.schemas.branding import LogoUpload, LogoUploadOut
from api.schemas.certificate import CertificateOut
from api.schemas.settings import BrandingOut, SettingsIn, SettingsOut
from shared.services import branding_assets
from shared.services import certificate as certificate_service
from shared.services import settings as settings_service

UPLOAD_CACHE = "public, max-age=31536000, immutable"  # names are content hashes: a new logo is a new URL


blp = Blueprint("settings", __name__, url_prefix="/api/settings",
                 description="Website, branding and receipt settings (superadmin; branding is public)")


def serve_upload(filename: str):
    """A stored logo by its content-addressed name (public, cached for a year)."""
    path = branding_assets.stored_upload(filename)
    if path is None:
        abort(404)
    response = send_file(path, mimetype="image/webp", max_age=31536000, conditional=True)
    response.headers["Cache-Control"] = UPLOAD_CACHE
    return response


# The uploads live outside /api (stable public URLs like /uploads/logo-1a2b3c4d5e6f.webp).
blp.record_once(lambda state: state.app.add_url_rule("/uploads/<filename>", "uploads", serve_upload))


@blp.before_request
def _refuse_oversized_logo():
    # Checked before the body is read, so an oversized file gets the message naming the limit.
    if request.endpoint == "settings.upload_logo" and \
            (request.content_length or 0) > min(current_app.config["MAX_CONTENT_LENGTH"],
                                                branding_assets.MAX_BYTES + 64 * 1024):
        raise branding_assets.too_large()


@blp.get("")
@superadmin_required
@blp.response(200, SettingsOut)
def get_settings():
    """Every setting as one flat object (missing keys show their default)."""
    return settings_service.all_settings(db())


@blp.patch("")
@superadmin_required
@blp.arguments(SettingsIn)
@blp.response(200, SettingsOut)
def update_settings(body):
    """Update some settings at once; unknown keys are refused. Returns every setting."""
    return settings_service.update_settings(db(), actor=current_user(), changes=body)


@blp.get("/certificate")
@superadmin_required
@blp.response(200, CertificateOut)
def get_certificate():
    """The TLS certificate nginx serves for the domain: state, expiry, issuer (read from CERTS_DIR).

    The domain is the stored setting `domain`, else the DOMAIN the deployment runs with; both configured values
    are returned so the page can show when the setting and the deployment disagree (README, "TLS").
    """
    config = current_app.config["SETTINGS"]
    domain = (settings_service.all_settings(db()).get("domain") or "").strip() or config.tls_domain
    state = certificate_service.certificate_state(config.certs_dir, domain)
    return {**state, "configured_domain": config.tls_domain, "configured_ssl_method": config.tls_ssl_method}


@blp.get("/branding")
@blp.doc(security=[])
@limiter.limit("120 per minute", key_func=client_ip)
@blp.response(200, BrandingOut)
def get_branding():
    """Public branding for the splash screen and login page (no login needed)."""
    return settings_service.branding(db())


@blp.post("/upload-logo")
@superadmin_required
@blp.arguments(LogoUpload, location="files")
@blp.response(200, LogoUploadOut)
def upload_logo(form):
    """Upload the logo, splash logo or favicon (PNG/JPEG/WebP, max 2 MB); stored as WebP, its setting updated."""
    data = form["file"].read(branding_assets.MAX_BYTES + 1)
    return branding_assets.upload_logo(db(), actor=current_user(), data=data, target=form["target"])
