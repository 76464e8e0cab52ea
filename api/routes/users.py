from api.deps import current_user, db, superadmin_required
from api.input import Blueprint
from api.schemas.users import MitraIn, MitraUpdateIn, UserOut, UserPage, UserQueryArgs
from shared.services import users as users_service

blp = Blueprint("users", __name__, url_prefix="/api/users", description="Mitra accounts (superadmin only)")


@blp.get("")
@superadmin_required
@blp.arguments(UserQueryArgs, location="query", as_kwargs=True)
@blp.response(200, UserPage)
def list_users(**args):
    """List mitra (role=all adds superadmins), each with its customer count."""
    return users_service.list_users(db(), actor=current_user(), **args)


@blp.post("")
@superadmin_required
@blp.arguments(MitraIn)
@blp.response(201, UserOut)
def create_user(body):
    """Create a mitra account."""
    return users_service.create_mitra(db(), actor=current_user(), data=body)


@blp.get("/<uuid:user_id>")
@superadmin_required
@blp.response(200, UserOut)
def get_user(user_id):
    """One account with its customer count."""
    return users_service.get_user(db(), actor=current_user(), user_id=user_id)


@blp.patch("/<uuid:user_id>")
@superadmin_required
@blp.arguments(MitraUpdateIn)
@blp.response(200, UserOut)
def update_user(body, user_id):
    """Edit a mitra, reset their password, or (de)activate them."""
    return users_service.update_user(db(), actor=current_user(), user_id=user_id, changes=body)


@blp.delete("/<uuid:user_id>")
@superadmin_required
@blp.response(204)
def deactivate_user(user_id):
    """Deactivate a mitra (refused while they own customers); their sessions end."""
    users_service.deactivate_user(db(), actor=current_user(), user_id=user_id)
