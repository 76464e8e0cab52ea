from api.deps import current_user, db, login_required
from api.input import Blueprint
from api.schemas.notifications import MarkReadIn, NotificationListOut
from shared.services import notifications

blp = Blueprint("notifications", __name__, url_prefix="/api/notifications",
                description="The header bell: what needs attention, per user")


@blp.get("")
@blp.response(200, NotificationListOut)
@login_required()
def list_notifications():
    """The caller's notifications (own WhatsApp, sends, exports; superadmin: billing run, backups), newest first."""
    return notifications.list_notifications(db(), actor=current_user())


@blp.post("/read")
@blp.arguments(MarkReadIn)
@blp.response(200, NotificationListOut)
@login_required()
def mark_read(body):
    """Mark some notifications (`ids`) or all of them (`all: true`) read; returns the list afresh."""
    return notifications.mark_read(db(), actor=current_user(), ids=body.get("ids"), all_=body["all"])
