"""The development seed dates its demo customers in WIB, not by the database's UTC date."""

from datetime import UTC, date, datetime

from sqlalchemy import select

from shared.config import Settings
from shared.models import Customer
from shared.seed import CUSTOMERS, seed


def test_seeded_register_date_is_the_wib_date(db):
    # 23:30 UTC on 2 Dec is 06:30 WIB on 3 Dec: PostgreSQL's current_date (UTC) would say the 2nd.
    seed(db, demo=True, settings=Settings(app_env="development"), now=datetime(2026, 12, 2, 23, 30, tzinfo=UTC))
    phones = [spec["phone"] for spec in CUSTOMERS]
    dates = set(db.scalars(select(Customer.register_date).where(Customer.phone.in_(phones))))
    assert dates == {date(2026, 12, 3)}


def test_before_midnight_wib_it_is_still_the_same_day(db):
    seed(db, demo=True, settings=Settings(app_env="development"), now=datetime(2026, 12, 2, 16, 59, tzinfo=UTC))
    dates = set(db.scalars(select(Customer.register_date).where(Customer.phone.in_([c["phone"] for c in CUSTOMERS]))))
    assert dates == {date(2026, 12, 2)}  # 23:59 WIB
