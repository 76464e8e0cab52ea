from api.deps import current_user, db, login_required, superadmin_required
from api.input import Blueprint
from api.schemas.packages import PackageIn, PackageOut, PackagePage, PackageQueryArgs, PackageUpdateIn
from shared.services import packages as packages_service

blp = Blueprint("packages", __name__, url_prefix="/api/packages",
                description="Internet packages (read: every role; write: superadmin)")


@blp.get("")
@login_required()
@blp.arguments(PackageQueryArgs, location="query", as_kwargs=True)
@blp.response(200, PackagePage)
def list_packages(**args):
    """List packages, active only unless includeInactive=true."""
    return packages_service.list_packages(db(), actor=current_user(), **args)


@blp.post("")
@superadmin_required
@blp.arguments(PackageIn)
@blp.response(201, PackageOut)
def create_package(body):
    """Create a package."""
    return packages_service.create_package(db(), actor=current_user(), data=body)


@blp.get("/<uuid:package_id>")
@login_required()
@blp.response(200, PackageOut)
def get_package(package_id):
    """One package (inactive ones included)."""
    return packages_service.get_package(db(), actor=current_user(), package_id=package_id)


@blp.patch("/<uuid:package_id>")
@superadmin_required
@blp.arguments(PackageUpdateIn)
@blp.response(200, PackageOut)
def update_package(body, package_id):
    """Edit a package; a new price re-totals its customers' bills (409 if a discount would exceed it)."""
    return packages_service.update_package(db(), actor=current_user(), package_id=package_id, changes=body)


@blp.delete("/<uuid:package_id>")
@superadmin_required
@blp.response(204)
def deactivate_package(package_id):
    """Soft-delete a package; customers already on it keep it."""
    packages_service.deactivate_package(db(), actor=current_user(), package_id=package_id)
