from flask_smorest import Blueprint

from api.deps import client_ip, current_user, db, superadmin_required
from api.extensions import limiter
from api.schemas.settings import BrandingOut, SettingsIn, SettingsOut
from shared.services import settings as settings_service

blp = Blueprint("settings", __name__, url_prefix="/api/settings",
                description="Website, branding and receipt settings (superadmin; branding is public)")


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


@blp.get("/branding")
@blp.doc(security=[])
@limiter.limit("120 per minute", key_func=client_ip)
@blp.response(200, BrandingOut)
def get_branding():
    """Public branding for the splash screen and login page (no login needed)."""
    return settings_service.branding(db())
