"""search indexes: customer names by full-text word prefix, phones by prefix and suffix, a mitra's list by name

Why, measured at 100k customers (bench/bench_reports.py): the name/phone search was a substring scan
(`name ILIKE '%…%' OR phone LIKE '%…%'`) over every customer, 40–85 ms of SQL per statement for the superadmin,
done twice (count, page). The search is now word-prefix on names and prefix/suffix on phones
(shared.services.customers.customer_matches), each served by an index:
- idx_customers_name_search: GIN on to_tsvector('simple', name) (built in, no contrib: the embedded
  PostgreSQL ships none, so no pg_trgm; the same index and query run on PostgreSQL 16 of compose);
- idx_customers_phone_prefix: btree varchar_pattern_ops on phone (LIKE '62812%' as a range, any collation);
- idx_customers_phone_suffix: btree text_pattern_ops on reverse(phone) (the last digits as a prefix);
- idx_customers_owner_name: a mitra's customers in the list's default order (name, id) off the index.

Revision ID: 0016_search_indexes
Revises: 0015_notification_reads
"""
import sqlalchemy as sa
from alembic import op

revision = "0016_search_indexes"
down_revision = "0015_notification_reads"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("idx_customers_name_search", "customers", [sa.text("to_tsvector('simple'::regconfig, (name)::text)")],
                    postgresql_using="gin")
    op.create_index("idx_customers_phone_prefix", "customers", ["phone"],
                    postgresql_ops={"phone": "varchar_pattern_ops"})
    op.create_index("idx_customers_phone_suffix", "customers", [sa.text("reverse((phone)::text) text_pattern_ops")])
    op.create_index("idx_customers_owner_name", "customers", ["owner_id", "name", "id"])


def downgrade() -> None:
    op.drop_index("idx_customers_owner_name", table_name="customers")
    op.drop_index("idx_customers_phone_suffix", table_name="customers")
    op.drop_index("idx_customers_phone_prefix", table_name="customers")
    op.drop_index("idx_customers_name_search", table_name="customers")
