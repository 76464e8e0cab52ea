"""Mitra accounts, managed by the superadmin: list, create, edit, deactivate and reactivate."""

import uuid
from collections.abc import Iterable

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from shared.errors import Conflict, Forbidden, Invalid
from shared.models import Customer, User, UserRole
from shared.pagination import DEFAULT_PER_PAGE, Page, paginate
from shared.phone import require_phone
from shared.security import hash_password, validate_password_strength
from shared.services.activity import record_activity
from shared.services.auth import revoke_all_refresh_tokens
from shared.services.tenancy import get_by_id

USER_NOT_FOUND = "Mitra tidak ditemukan."
EDITABLE_FIELDS = ("username", "name", "phone", "business_name", "bank_name", "bank_account", "bank_holder")
OPTIONAL_FIELDS = ("phone", "bank_name", "bank_account", "bank_holder")
UNIQUE_NAMES_LOCK = 0x5553_4E41  # pg advisory lock key serialising username/businessName checks


def like_pattern(text: str) -> str:
    """An ILIKE pattern matching `text` anywhere, with the user's % and _ taken literally."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def list_users(session: Session, *, actor: User, q: str | None = None, is_active: bool | None = None,
               role: str = "mitra", page: int = 1, per_page: int = DEFAULT_PER_PAGE) -> Page:
    """List user accounts (mitra by default; role="all" adds superadmins), each with its customer count."""
    _require_superadmin(actor)
    stmt = select(User)
    if role != "all":
        stmt = stmt.where(User.role == UserRole(role))
    if q:
        pattern = like_pattern(q)
        stmt = stmt.where(or_(User.name.ilike(pattern, escape="\\"), User.username.ilike(pattern, escape="\\"),
                              User.business_name.ilike(pattern, escape="\\")))
    if is_active is not None:
        stmt = stmt.where(User.is_active.is_(is_active))
    stmt = stmt.order_by(func.lower(User.business_name), User.id)
    result = paginate(session, stmt, page=page, per_page=per_page)
    attach_customer_counts(session, result.items)
    return result


def attach_customer_counts(session: Session, users: Iterable[User]) -> None:
    """Set `customer_count` on each user with one grouped query (no query per row)."""
    users = list(users)
    if not users:
        return
    counts = dict(session.execute(
        select(Customer.owner_id, func.count()).where(Customer.owner_id.in_([u.id for u in users]))
        .group_by(Customer.owner_id)).all())
    for user in users:
        user.customer_count = counts.get(user.id, 0)


def get_user(session: Session, *, actor: User, user_id: uuid.UUID | str, for_update: bool = False) -> User:
    _require_superadmin(actor)
    user = get_by_id(session, User, user_id, message=USER_NOT_FOUND, for_update=for_update)
    attach_customer_counts(session, [user])
    return user


def create_mitra(session: Session, *, actor: User, data: dict) -> User:
    """Create a mitra account with an Argon2id-hashed password."""
    _require_superadmin(actor)
    data = _clean(data)
    if problem := validate_password_strength(data["password"]):
        raise Invalid.field("password", problem)
    _ensure_unique(session, username=data["username"], business_name=data["business_name"])
    user = User(username=data["username"], password_hash=hash_password(data["password"]), name=data["name"],
                role=UserRole.mitra, business_name=data["business_name"],
                **{field: data.get(field) for field in OPTIONAL_FIELDS})
    session.add(user)
    session.flush()
    user.customer_count = 0
    record_activity(session, actor=actor, action="user.create", resource="users", resource_id=user.id,
                    metadata={"username": user.username, "businessName": user.business_name})
    return user


def update_user(session: Session, *, actor: User, user_id: uuid.UUID | str, changes: dict) -> User:
    """Edit an account's details, reset its password, or (de)activate it."""
    user = get_user(session, actor=actor, user_id=user_id, for_update=True)
    changes = _clean(changes)
    new_password = changes.pop("password", None)
    is_active = changes.pop("is_active", None)
    if user.is_superadmin and new_password is not None:
        raise Forbidden("Password superadmin hanya dapat diganti oleh pemiliknya melalui menu Profil.")
    _ensure_unique(session, username=changes.get("username"), business_name=changes.get("business_name"),
                   exclude_id=user.id)
    changed = [field for field in EDITABLE_FIELDS if field in changes and getattr(user, field) != changes[field]]
    for field in changed:
        setattr(user, field, changes[field])
    if new_password is not None:
        if problem := validate_password_strength(new_password):
            raise Invalid.field("password", problem)
        user.password_hash = hash_password(new_password)
        # A reset password ends every session opened with the old one.
        revoke_all_refresh_tokens(session, user_id=user.id)
        changed.append("password")
    if changed:
        record_activity(session, actor=actor, action="user.update", resource="users", resource_id=user.id,
                        metadata={"fields": changed})
    if is_active is False:
        deactivate_user(session, actor=actor, user_id=user.id)
    elif is_active is True and not user.is_active:
        user.is_active = True
        record_activity(session, actor=actor, action="user.reactivate", resource="users", resource_id=user.id)
    session.flush()
    return user


def deactivate_user(session: Session, *, actor: User, user_id: uuid.UUID | str) -> User:
    """Soft-delete a mitra; refused while they still own customers. Their sessions end at once."""
    user = get_user(session, actor=actor, user_id=user_id, for_update=True)
    if user.id == actor.id:
        raise Conflict("Anda tidak dapat menonaktifkan akun Anda sendiri.", code="cannot_deactivate_self")
    if user.is_superadmin:
        raise Forbidden("Akun superadmin tidak dapat dinonaktifkan.")
    if user.customer_count:
        raise Conflict(f"Mitra masih memiliki {user.customer_count} pelanggan. Pindahkan atau hapus pelanggan "
                       f"tersebut terlebih dahulu sebelum menonaktifkan mitra.", code="mitra_has_customers",
                       details={"customerCount": user.customer_count})
    if user.is_active:
        user.is_active = False
        revoke_all_refresh_tokens(session, user_id=user.id)
        record_activity(session, actor=actor, action="user.deactivate", resource="users", resource_id=user.id)
        session.flush()
    return user


def _require_superadmin(actor: User) -> None:
    if not actor.is_superadmin:
        raise Forbidden("Anda tidak memiliki akses untuk tindakan ini.")


def _clean(data: dict) -> dict:
    """Empty optional fields become NULL; a phone number is normalised to 62…"""
    data = dict(data)
    for field in OPTIONAL_FIELDS:
        if field in data and not data[field]:
            data[field] = None
    if data.get("phone"):
        data["phone"] = require_phone(data["phone"])
    return data


def _ensure_unique(session: Session, *, username: str | None, business_name: str | None,
                   exclude_id: uuid.UUID | None = None) -> None:
    """Usernames and business names are unique ignoring case (the business name is the customers' area)."""
    # The unique constraints are case-sensitive; this transaction lock makes the case-insensitive check
    # race-free (two "Net Maju"/"net maju" creates cannot both pass). Account edits are rare, so it is cheap.
    session.execute(select(func.pg_advisory_xact_lock(UNIQUE_NAMES_LOCK)))
    fields: dict[str, list[str]] = {}
    others = select(User.id).where(User.id != exclude_id) if exclude_id else select(User.id)
    if username and session.scalar(others.where(func.lower(User.username) == username.lower()).limit(1)):
        fields["username"] = ["Username sudah dipakai."]
    if business_name and session.scalar(
            others.where(func.lower(User.business_name) == business_name.lower()).limit(1)):
        fields["businessName"] = ["Nama usaha sudah dipakai."]
    if fields:
        message = fields.get("businessName", fields.get("username"))[0]
        raise Conflict(message, code="duplicate", details={"fields": fields})
