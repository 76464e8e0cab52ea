"""Customers: list with filters, create, edit (a mitra only phone and discount), isolate, delete."""

import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    any_,
    cast,
    exists,
    false,
    func,
    literal,
    literal_column,
    or_,
    select,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, UUID
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from shared.errors import Conflict, Forbidden, Invalid
from shared.models import Customer, CustomerStatus, Invoice, Package, PaymentStatus, User
from shared.naming import camelcase
from shared.pagination import DEFAULT_PER_PAGE, Page, clamp, count_cap, page_of, paginate
from shared.phone import require_phone
from shared.services.activity import record_activity
from shared.services.tenancy import get_visible, scope_to_actor
from shared.timeutil import today_wib

NOT_FOUND = "Pelanggan tidak ditemukan."
MITRA_EDITABLE = frozenset({"phone", "discount"})
EDITABLE = frozenset({"name", "phone", "nik", "address", "package_id", "billing_date", "discount", "status",
                      "register_date", "notes", "owner_id"})
FIELD_LABELS = {"name": "nama", "phone": "nomor telepon", "nik": "NIK", "address": "alamat", "package_id": "paket",
                "billing_date": "tanggal tagihan", "discount": "diskon", "status": "status",
                "register_date": "tanggal register", "notes": "catatan", "owner_id": "pemilik"}
# Encrypted at rest (shared/crypto.py): the activity log keeps only the last digits, as the receipts show them.
ENCRYPTED_FIELDS = frozenset({"nik"})
SORTS = {
    "name": (Customer.name,),
    "createdAt": (Customer.created_at,),
    "billingDate": (Customer.billing_date, Customer.name),
    "totalBill": (Customer.total_bill, Customer.name),
}
_PHONE_QUERY = re.compile(r"^\s*\+?[\d\s\-().]+$")
MIN_PHONE_DIGITS = 4
# A search matching at most this many customers is resolved to their ids first (list_customers).
FEW_MATCHES = 2_000
# A name search tests this many of the list's first rows (name order) first: when at least half match, the word
# is one most names share (name_probe).
PROBE_ROWS = 400
MAX_SEARCH_WORDS = 10
MAX_WORD_LENGTH = 100
# The name search's configuration and vector: the same expression as the GIN index (migration 0016), so the
# planner uses it. `'simple'::regconfig` is a literal: to_tsvector(regconfig, text) is immutable, a bound
# parameter would not match the index expression.
SEARCH_CONFIG = literal_column("'simple'::regconfig")
NAME_SEARCH_VECTOR = func.to_tsvector(SEARCH_CONFIG, Customer.name)


@dataclass
class CustomerFilters:
    q: str | None = None
    status: CustomerStatus | None = None
    package_id: uuid.UUID | None = None
    owner_id: uuid.UUID | None = None
    area: str | None = None
    billing_date: int | None = None
    sort: str = "name"
    # Typed words that alone match most names (NameProbe.common_words): tested on each row the rarer words'
    # index entries find, not through the index. Set by the search itself, never from a request.
    common_words: frozenset[str] = frozenset()


def _tsquery_word(word: str) -> str:
    """One typed word as a quoted tsquery operand with the prefix flag: `O'Brien` → `'O''Brien':*`.

    Inside quotes every character is literal (a quote is doubled, a backslash escaped), so `& | ! ( ) : * '`
    typed by a user are never tsquery syntax. PostgreSQL then splits the operand with the same parser that
    split the names (`O'Brien` → o, brien as a phrase; punctuation alone → nothing, which matches nothing).
    """
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "':*"


def search_words(term: str) -> list[str]:
    """The words of a name search, as its tsquery takes them (at most MAX_SEARCH_WORDS of MAX_WORD_LENGTH)."""
    return [word[:MAX_WORD_LENGTH] for word in term.split()[:MAX_SEARCH_WORDS]]


def words_tsquery(words) -> str | None:
    """The `to_tsquery('simple', …)` text of some words: each is a prefix, all must match."""
    return " & ".join(_tsquery_word(word) for word in words) or None


def _name_vector_matches(vector: ColumnElement, words) -> ColumnElement[bool]:
    return vector.op("@@")(func.to_tsquery(SEARCH_CONFIG, words_tsquery(words)))


def phone_patterns(term: str) -> tuple[str | None, str | None] | None:
    """(prefix, suffix) digits to look for when a term looks like (part of) a phone number, else None.

    Stored numbers are digits starting with 62. A term of digits (spaces, dashes, dots, brackets and one
    leading + allowed) with at least MIN_PHONE_DIGITS digits matches a number that
    - starts with it read as a number: `0812…` → `62812…`, `62812…` and `+62 812…` as typed, `812…` → `62812…`;
      other digits (`1234`) have no prefix form;
    - or ends with the digits as typed (`4567`: the last four digits), unless it starts with `+` (a full
      international number is only ever a prefix).
    """
    if not _PHONE_QUERY.match(term):
        return None
    digits = re.sub(r"\D", "", term)
    if len(digits) < MIN_PHONE_DIGITS:
        return None
    if term.lstrip().startswith("+"):
        return digits, None
    if digits.startswith("0"):
        prefix = "62" + digits[1:]
    elif digits.startswith("62"):
        prefix = digits
    elif digits.startswith("8"):
        prefix = "62" + digits
    else:
        prefix = None
    return prefix, digits


def customer_matches(term: str, common_words: frozenset[str] = frozenset()) -> ColumnElement[bool]:
    """The search condition on Customer for a typed term (customer and invoice lists, header search, exports).

    Names: full-text word prefixes with the built-in `simple` configuration (lower-cased, no stemming, no
    stop words, accents kept: `jose` does not find `José`), served by the GIN index idx_customers_name_search:
    every typed word must be the start of some word of the name, in any order (`bud san` finds
    "Budi Santoso"; `udi` does not). Phones: see phone_patterns, served by btree indexes on the number and on
    its reverse (idx_customers_phone_prefix, idx_customers_phone_suffix). A term that is a phone search
    (4+ digits and only phone punctuation) searches phones only, not names: testing the name of every number
    matched (an OR) costs more than the search. The same SQL runs on every PostgreSQL (no pg_trgm needed); a
    term with neither words nor phone digits matches nothing.

    `common_words` (NameProbe.common_words: typed words most names start a word with) are tested on the rows the
    other words' index entries find, through an expression the index does not serve (`name || ''`): the GIN
    index answers a prefix word with a bitmap of every row holding it before anything can stop it (all 1M rows
    for a word every name has, ~10 ms), and `v @@ (a & b)` is `v @@ a AND v @@ b`, so the matches are the same.
    """
    if patterns := phone_patterns(term):
        prefix, suffix = patterns
        conditions = []
        # Inlined, not bound (they are digits only): with `LIKE $1` a prepared statement's generic plan (psycopg
        # prepares a statement run 5 times) could not turn the prefix into an index range and would scan.
        if prefix:
            conditions.append(Customer.phone.like(literal_column(f"'{prefix}%'")))
        if suffix:
            conditions.append(func.reverse(Customer.phone).like(literal_column(f"'{suffix[::-1]}%'")))
        return or_(*conditions) if conditions else false()
    words = search_words(term)
    if not words:
        return false()
    rare = [word for word in words if word not in common_words]
    if not rare:  # every word is common: nothing rarer to look up first
        return _name_vector_matches(NAME_SEARCH_VECTOR, words)
    condition = _name_vector_matches(NAME_SEARCH_VECTOR, rare)
    if common := [word for word in words if word in common_words]:
        condition = and_(condition, _name_vector_matches(func.to_tsvector(SEARCH_CONFIG, unindexed(Customer.name)),
                                                         common))
    return condition


def unindexed(column: ColumnElement) -> ColumnElement:
    """The same sort key through an expression no index provides: `name || ''`, `n + 0`, `t + interval '0'`."""
    kind = column.type.python_type
    if kind is str:
        return column.op("||")(literal(""))
    if kind is datetime:
        return column + timedelta(0)
    return column + 0  # integers, dates


def customer_query(actor: User, filters: CustomerFilters, *, index_order: bool = True) -> Select:
    """Customers the actor may see, filtered and sorted; owner and package come joined-loaded.

    `index_order=False` sorts by the same keys through an expression no index provides (`name || ''`), so the
    planner collects the matches first (by the search indexes) and sorts them, instead of walking the name
    index in order and testing every row until a page is full — which it would choose on a search it
    misjudges as common, and which reads the whole table when the matches are few.
    """
    stmt = scope_to_actor(select(Customer), Customer, actor)
    if filters.q:
        stmt = stmt.where(customer_matches(filters.q.strip(), filters.common_words))
    if filters.status is not None:
        stmt = stmt.where(Customer.status == filters.status)
    if filters.package_id is not None:
        stmt = stmt.where(Customer.package_id == filters.package_id)
    if filters.owner_id is not None:
        stmt = stmt.where(Customer.owner_id == filters.owner_id)
    if filters.area:
        owners = select(User.id).where(func.lower(User.business_name) == filters.area.strip().lower())
        stmt = stmt.where(Customer.owner_id.in_(owners))
    if filters.billing_date is not None:
        stmt = stmt.where(Customer.billing_date == filters.billing_date)
    descending = filters.sort.startswith("-")
    primary, *ties = SORTS.get(filters.sort.lstrip("-"), SORTS["name"])
    if not index_order:
        primary = unindexed(primary)
    # Ties break by name, then id, so pages never overlap or skip rows.
    return stmt.order_by(primary.desc() if descending else primary.asc(), *ties, Customer.id)


@dataclass(frozen=True)
class NameProbe:
    """What testing a name search on the first PROBE_ROWS names it would list found.

    `common`: its words together match at least half of them (a word most names share, `pelanggan`): the search
    is counted and paged walking the list's order index (walking_indexes). Else `common_words`: the typed words
    that alone match at least half (`pelanggan` of `pelanggan 123`), looked up through the other words' index
    entries (customer_matches); empty when none is, or when every word is (then none is rarer).
    """

    common: bool = False
    common_words: frozenset[str] = frozenset()


NOT_COMMON = NameProbe()


def name_probe(session: Session, actor: User, filters: CustomerFilters) -> NameProbe:
    """Test a name search on the first PROBE_ROWS customers it would list (name order), all words and each alone.

    The name index (GIN) answers any word with a bitmap of every row holding it, before a LIMIT can stop it: for
    a word most names share that is the whole table (~60 ms per 1M rows, on each count and page). Such a search
    is found by walking the list's own order index and testing each name, where matches come at once; such a
    word beside a rarer one is tested on the rarer one's matches. Testing PROBE_ROWS names costs ~0.5 ms in one
    statement; phone searches (btree ranges) keep their index.
    """
    term = (filters.q or "").strip()
    words = [] if phone_patterns(term) else search_words(term)
    if not words:
        return NOT_COMMON
    # Each name's vector once (a vector per FILTER would be computed per FILTER).
    first = (customer_query(actor, replace(filters, q=None, sort="name"))
             .with_only_columns(func.to_tsvector(SEARCH_CONFIG, Customer.name).label("vector"))
             .limit(PROBE_ROWS).subquery())
    vector = first.c.vector
    alone = list(dict.fromkeys(words)) if len(words) > 1 else []
    rows, matches, *each = session.execute(select(
        func.count(), func.count().filter(_name_vector_matches(vector, words)),
        *[func.count().filter(_name_vector_matches(vector, [word])) for word in alone]).select_from(first)).one()
    if rows == 0:
        return NOT_COMMON
    if matches * 2 >= rows:
        return NameProbe(common=True)
    common_words = frozenset(word for word, count in zip(alone, each, strict=True) if count * 2 >= rows)
    return NameProbe(common_words=common_words if len(common_words) < len(alone) else frozenset())


@contextmanager
def planner_off(session: Session, setting: str, off: bool = True) -> Iterator[None]:
    """With `off`, the statements inside run with the planner setting `setting` (enable_sort, enable_bitmapscan)
    off in this transaction (SET LOCAL), restored after."""
    if not off:
        yield
        return
    session.execute(text(f"SET LOCAL {setting} = off"))
    try:
        yield
    finally:
        session.execute(text(f"SET LOCAL {setting} = on"))


def walking_indexes(session: Session, walk: bool = True):
    """With `walk`, the statements inside read indexes in order instead of building bitmaps (enable_bitmapscan
    off): for a search name_probe found common."""
    return planner_off(session, "enable_bitmapscan", walk)


# A search's few matching ids travel as one string, `id,id,…` (the text of a uuid[] without its braces): read by
# array_to_string and bound back as `CAST(:ids AS uuid[])`. As a Python list, psycopg would parse each of up to
# FEW_MATCHES UUIDs and dump them back one by one (with a regex each), ~1 ms per 100 ids on every statement.
MatchIds = str


def _joined_ids(ids: ColumnElement) -> ColumnElement[str]:
    return func.coalesce(func.array_to_string(ids, ","), "")


def few_matching_ids(session: Session, stmt: Select) -> MatchIds | None:
    """The ids of a search's matches (`stmt` selects customers) when there are at most FEW_MATCHES, else None.

    Read through the search indexes alone (no order, no limit but FEW_MATCHES + 1), so the next query knows
    exactly which rows it wants: the planner's guess of how many a word prefix matches cannot mislead it.
    """
    matches = stmt.order_by(None).with_only_columns(Customer.id).limit(FEW_MATCHES + 1).subquery()
    counted, ids = session.execute(select(func.count(), _joined_ids(func.array_agg(matches.c.id)))
                                   .select_from(matches)).one()
    return ids if counted <= FEW_MATCHES else None


def id_in(column, ids: MatchIds) -> ColumnElement[bool]:
    """`column = ANY(CAST(:ids AS uuid[]))`: one text parameter however many ids (see MatchIds)."""
    return column == any_(cast(literal("{" + ids + "}"), ARRAY(UUID(as_uuid=True))))


def count_and_few_ids(session: Session, stmt: Select, cap: int, *,
                      few: int | None = None) -> tuple[int, bool, MatchIds | None]:
    """(total, capped, ids) of a search in one pass over its matches: when at most `few` (FEW_MATCHES) match,
    their ids and the exact total; else the total up to `cap` and ids None. `few=0` only counts.

    `SELECT count(*), (array_agg(id))[1:few + 1] FROM (… LIMIT max(cap, few) + 1)`: the capped count and, for a
    rare term, exactly which rows match, read once through the search indexes (whose bitmap costs the same
    whatever the LIMIT).
    """
    few = FEW_MATCHES if few is None else few
    matches = stmt.order_by(None).with_only_columns(Customer.id).limit(max(cap, few) + 1).subquery()
    counted, ids = session.execute(select(
        func.count(), _joined_ids(func.array_agg(matches.c.id)[1:few + 1])).select_from(matches)).one()
    if counted <= few:  # every match is known: the exact total, whatever the cap
        return counted, False, ids
    if counted > cap:
        return cap, True, None
    return counted, False, None


@dataclass(frozen=True)
class SearchMatches:
    """What a search's first pass learned: how common its words are (NameProbe), its (capped) total, and every
    matching customer's id when at most FEW_MATCHES match (else None). The header search shares it between its
    lists."""

    probe: NameProbe
    total: int
    capped: bool
    ids: MatchIds | None

    @property
    def common(self) -> bool:
        return self.probe.common


def search_matches(session: Session, actor: User, filters: CustomerFilters, cap: int) -> SearchMatches:
    """The first pass of a customer search (filters.q set): the common-word probe, then the count and ids."""
    probe = name_probe(session, actor, filters)
    with walking_indexes(session, probe.common):
        # A common word is counted walking the order index, where reading FEW_MATCHES ids would cost more.
        total, capped, ids = count_and_few_ids(
            session, customer_query(actor, replace(filters, common_words=probe.common_words)), cap,
            few=0 if probe.common else None)
    return SearchMatches(probe, total, capped, ids)


def list_customers(session: Session, *, actor: User, filters: CustomerFilters, page: int = 1,
                   per_page: int = DEFAULT_PER_PAGE, matches: SearchMatches | None = None) -> Page:
    """One page of the customers the actor may see; the total is capped (shared.pagination).

    A search first counts its matches (capped at SEARCH_COUNT_CAP) and, when at most FEW_MATCHES, takes all their
    ids (search_matches, or `matches` already found for these filters): the page is then sorted from exactly
    those rows. With more, a name search's page is read in index order, where matches come quickly; a phone
    prefix's is sorted from its matches through the covering prefix index. A word most names share
    (name_probe) is counted and paged walking the list's order index, not through the name index.

    Sorted from the matches means by customer_query(index_order=False): otherwise the planner, misjudging
    how common a word prefix is, may walk the name index testing every row — the whole table for a rare one.
    """
    if not filters.q:
        return paginate(session, customer_query(actor, filters), page=page, per_page=per_page)
    page, per_page = clamp(page, per_page)
    found = matches or search_matches(session, actor, filters, count_cap(page, per_page, search=True))
    total, capped, ids = found.total, found.capped, found.ids
    filters = replace(filters, common_words=found.probe.common_words)
    if ids is None and not phone_patterns(filters.q.strip()):
        with walking_indexes(session, found.common):
            return page_of(session, customer_query(actor, filters), total=total, total_capped=capped, page=page,
                           per_page=per_page)
    # Many phone matches are sorted from the matches too: a number prefix's matches can all sit late in name
    # order (+62 810 000 4: 10k numbers, 333k rows walked at 1M), and the prefix index covers the narrow sort.
    # Sort the matches narrow — (sort key, id) only, by an expression no index provides — then load the page's
    # rows: sorting 2k whole rows with their owner and package costs ~4x more. Known ids need no search.
    unsearched = replace(filters, q=None)
    condition = (id_in(Customer.id, ids) if ids is not None
                 else customer_matches(filters.q.strip(), filters.common_words))
    chosen = (customer_query(actor, unsearched, index_order=False).where(condition).with_only_columns(Customer.id)
              .limit(per_page).offset((page - 1) * per_page).subquery())
    stmt = customer_query(actor, unsearched, index_order=False).where(Customer.id.in_(select(chosen.c.id)))
    items = list(session.scalars(stmt).unique())
    return Page(items=items, total=total, page=page, per_page=per_page, total_capped=capped)


def get_customer(session: Session, *, actor: User, customer_id: uuid.UUID | str, for_update: bool = False) -> Customer:
    """One customer the actor may see; another owner's customer is reported as missing."""
    return get_visible(session, Customer, customer_id, actor, message=NOT_FOUND, for_update=for_update)


def create_customer(session: Session, *, actor: User, data: dict) -> Customer:
    """Add a customer for the actor (a superadmin may name any owner) on an active package."""
    owner_id = data.get("owner_id") or actor.id
    if not actor.is_superadmin and owner_id != actor.id:
        raise Forbidden("Mitra hanya dapat menambahkan pelanggan miliknya sendiri.", code="field_not_allowed",
                        details={"fields": ["ownerId"]})
    owner = _require_owner(session, owner_id)
    package = _require_package(session, data["package_id"], must_be_active=True)
    phone = require_phone(data["phone"])
    discount = data.get("discount") or 0
    _check_billing_date(data["billing_date"])
    _check_discount(discount, package)
    _refuse_duplicate_phone(session, owner=owner, phone=phone)
    customer = Customer(
        owner_id=owner.id, package_id=package.id, name=data["name"], phone=phone, nik=data.get("nik") or None,
        address=data.get("address") or None, billing_date=data["billing_date"], discount=discount,
        total_bill=package.price - discount, status=CustomerStatus.active,
        register_date=data.get("register_date") or today_wib(), notes=data.get("notes") or None,
    )
    session.add(customer)
    _flush_or_duplicate(session, owner=owner)
    record_activity(session, actor=actor, action="customer.create", resource="customers", resource_id=customer.id,
                    metadata={"name": customer.name, "ownerId": str(owner.id), "packageId": str(package.id)})
    return customer


def update_customer(session: Session, *, actor: User, customer_id: uuid.UUID | str, changes: dict) -> Customer:
    """Edit a customer: a superadmin any field, a mitra only phone and discount of their own customers.

    A refused field refuses the whole request, so nothing changes. `totalBill` follows the package price and
    the discount; invoices already generated keep their snapshots.
    """
    customer = get_customer(session, actor=actor, customer_id=customer_id, for_update=True)
    allowed = EDITABLE if actor.is_superadmin else MITRA_EDITABLE
    refused = sorted(field for field in changes if field not in allowed)
    if refused:
        labels = ", ".join(FIELD_LABELS.get(field, field) for field in refused)
        raise Forbidden(f"Anda tidak boleh mengubah {labels}. Mitra hanya dapat mengubah nomor telepon dan diskon.",
                        code="field_not_allowed", details={"fields": [camelcase(field) for field in refused]})

    new = dict(changes)
    if "name" in new and not (new["name"] or "").strip():
        raise Invalid.field("name", "Nama pelanggan wajib diisi.")
    if "phone" in new:
        new["phone"] = require_phone(new["phone"])
    for optional in ("nik", "address", "notes"):
        if optional in new:
            new[optional] = new[optional] or None
    package = customer.package
    if "package_id" in new and new["package_id"] != customer.package_id:
        # Keeping an inactive package is fine; moving a customer onto one is not.
        package = _require_package(session, new["package_id"], must_be_active=True)
    owner = customer.owner
    if "owner_id" in new and new["owner_id"] != customer.owner_id:
        owner = _require_owner(session, new["owner_id"])
    if "billing_date" in new:
        _check_billing_date(new["billing_date"])
    if "status" in new and new["status"] == CustomerStatus.isolated:
        raise Invalid.field("status", "Gunakan tombol isolir untuk mengisolir pelanggan.")
    discount = new.get("discount", customer.discount)
    _check_discount(discount, package)
    new["total_bill"] = package.price - discount
    phone = new.get("phone", customer.phone)
    if owner.id != customer.owner_id or phone != customer.phone:
        _refuse_duplicate_phone(session, owner=owner, phone=phone, exclude_id=customer.id)

    diff = {}
    for field, value in new.items():
        old = getattr(customer, field)
        if old != value:
            diff[camelcase(field)] = ({"old": _masked(old), "new": _masked(value)} if field in ENCRYPTED_FIELDS
                                      else {"old": _plain(old), "new": _plain(value)})
            setattr(customer, field, value)
    if not diff:
        return customer
    _flush_or_duplicate(session, owner=owner)
    if "ownerId" in diff or "packageId" in diff:
        session.refresh(customer)  # the joined owner/package objects still describe the old ones
    record_activity(session, actor=actor, action="customer.update", resource="customers", resource_id=customer.id,
                    metadata={"changes": diff})
    return customer


def _masked(value: str | None) -> str | None:
    from shared.services.receipts import mask_digits

    return mask_digits(value) if value else None


def toggle_isolation(session: Session, *, actor: User, customer_id: uuid.UUID | str) -> Customer:
    """Isolate an active customer or lift the isolation (superadmin only); returns the customer, new status set."""
    customer = get_customer(session, actor=actor, customer_id=customer_id, for_update=True)
    _require_superadmin(actor, "Hanya superadmin yang dapat mengisolir pelanggan.")
    if customer.status == CustomerStatus.inactive:
        raise Conflict("Pelanggan nonaktif tidak dapat diisolir.", code="customer_inactive",
                       details={"hint": "Aktifkan pelanggan terlebih dahulu (ubah status menjadi aktif)."})
    old = customer.status
    customer.status = CustomerStatus.active if old == CustomerStatus.isolated else CustomerStatus.isolated
    session.flush()
    action = "customer.isolate" if customer.status == CustomerStatus.isolated else "customer.unisolate"
    record_activity(session, actor=actor, action=action, resource="customers", resource_id=customer.id,
                    metadata={"changes": {"status": {"old": old.value, "new": customer.status.value}}})
    return customer


def delete_customer(session: Session, *, actor: User, customer_id: uuid.UUID | str) -> None:
    """Delete a customer and their invoices (superadmin only); refused once money has been received."""
    customer = get_customer(session, actor=actor, customer_id=customer_id, for_update=True)
    _require_superadmin(actor, "Hanya superadmin yang dapat menghapus pelanggan.")
    has_payments = session.scalar(select(exists().where(
        Invoice.customer_id == customer.id, Invoice.status.in_([PaymentStatus.paid, PaymentStatus.partial]))))
    if has_payments:
        raise Conflict("Pelanggan ini memiliki tagihan yang sudah dibayar sehingga tidak dapat dihapus.",
                       code="customer_has_paid_invoices",
                       details={"hint": "Ubah status pelanggan menjadi nonaktif (inactive) sebagai gantinya."})
    record_activity(session, actor=actor, action="customer.delete", resource="customers", resource_id=customer.id,
                    metadata={"name": customer.name, "phone": customer.phone, "ownerId": str(customer.owner_id)})
    session.delete(customer)  # unpaid invoices go with it (ON DELETE CASCADE)
    session.flush()


def _require_superadmin(actor: User, message: str) -> None:
    if not actor.is_superadmin:
        raise Forbidden(message)


def _require_owner(session: Session, owner_id: uuid.UUID) -> User:
    owner = session.get(User, owner_id)
    if owner is None:
        raise Invalid.field("ownerId", "Pemilik (mitra) tidak ditemukan.")
    if not owner.is_active:
        raise Invalid.field("ownerId", "Pemilik (mitra) sudah dinonaktifkan.")
    return owner


def _require_package(session: Session, package_id: uuid.UUID, *, must_be_active: bool) -> Package:
    package = session.get(Package, package_id)
    if package is None:
        raise Invalid.field("packageId", "Paket tidak ditemukan.")
    if must_be_active and not package.is_active:
        raise Invalid("Paket tidak aktif. Pilih paket lain yang masih aktif.", code="package_inactive",
                      details={"fields": {"packageId": ["Paket tidak aktif."]}})
    return package


def _check_billing_date(billing_date: int) -> None:
    if not 1 <= billing_date <= 28:
        raise Invalid.field("billingDate", "Tanggal tagihan harus antara 1 dan 28.")


def _check_discount(discount: int, package: Package) -> None:
    if not 0 <= discount <= package.price:
        raise Invalid.field("discount", f"Diskon harus antara 0 dan harga paket (Rp {package.price:,})."
                            .replace(",", "."))


def _duplicate_phone(owner: User) -> Conflict:
    message = f"Nomor telepon sudah terdaftar untuk pelanggan lain di area {owner.business_name}."
    return Conflict(message, code="duplicate_phone", details={"fields": {"phone": [message]}})


def _refuse_duplicate_phone(session: Session, *, owner: User, phone: str,
                            exclude_id: uuid.UUID | None = None) -> None:
    condition = exists().where(Customer.owner_id == owner.id, Customer.phone == phone)
    if exclude_id is not None:
        condition = condition.where(Customer.id != exclude_id)
    if session.scalar(select(condition)):
        raise _duplicate_phone(owner)


def _flush_or_duplicate(session: Session, *, owner: User) -> None:
    # A concurrent request may insert the same phone after our check; the unique constraint decides.
    try:
        session.flush()
    except IntegrityError as exc:
        if "uq_customers_owner_phone" in str(exc.orig):
            raise _duplicate_phone(owner) from None
        raise


def _plain(value):
    """A JSON-friendly form of a column value for the activity log."""
    if isinstance(value, uuid.UUID | date):
        return str(value) if isinstance(value, uuid.UUID) else value.isoformat()
    if isinstance(value, CustomerStatus):
        return value.value
    return value
