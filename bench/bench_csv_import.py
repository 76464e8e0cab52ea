"""Time the validation of a 10,000-row customer CSV (budget < 2 s) and its confirmation (budget < 3 s).

    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/fibernode python -m bench.bench_csv_import [--rows N]

Works in a scratch database of its own next to DATABASE_URL's (`<name>_bench_import`, recreated and migrated at
the start, dropped at the end), so neither the development data nor the seeded `<name>_bench` data set the other
scripts read is ever touched.
"""

import argparse
import random
import time

from sqlalchemy import insert
from sqlalchemy.orm import Session

from bench._budget import budget
from bench.seed_large import bench_url, drop_database, recreate_database
from shared.models import Customer, Package, User, UserRole
from shared.services.customer_import import check_upload, confirm, validate_upload

OWNERS = 20
EXISTING_CUSTOMERS = 20_000
PACKAGES = [("Paket 10 Mbps", 100_000), ("Paket 20 Mbps", 150_000), ("Paket 30 Mbps", 200_000),
            ("Paket 50 Mbps", 250_000), ("Paket 100 Mbps", 350_000)]
HEADER = "nama,telepon,diskon,tanggal,area,paket_nama,paket_tarif,total_bayar,nik,tanggal_register"


SCRATCH = "bench_import"
# Issue 12: a 10k-row file validated in < 2 s (upload check + validation + storing) and committed in < 3 s.
VALIDATE_BUDGET_S = 2
COMMIT_BUDGET_S = 3


def seed(session: Session) -> tuple[User, list[User]]:
    superadmin = User(username="bench_admin", password_hash="x", name="Bench", role=UserRole.superadmin,
                      business_name="FiberNode Pusat")
    owners = [superadmin] + [User(username=f"bench_mitra{i}", password_hash="x", name=f"Mitra {i}",
                                  role=UserRole.mitra, business_name=f"WiFi Area {i}") for i in range(OWNERS)]
    packages = [Package(name=name, speed=name.removeprefix("Paket "), price=price) for name, price in PACKAGES]
    session.add_all(owners + packages)
    session.flush()
    rng = random.Random(1)
    session.execute(insert(Customer), [
        {"owner_id": rng.choice(owners).id, "package_id": packages[0].id, "name": f"Lama {i}",
         "phone": f"62811{i:08d}", "billing_date": 5, "discount": 0, "total_bill": 100_000}
        for i in range(EXISTING_CUSTOMERS)])
    session.commit()
    return superadmin, owners


def make_csv(rows: int, owners: list[User]) -> bytes:
    """Mostly valid rows, with about 3% carrying one of the usual mistakes."""
    rng = random.Random(2)
    lines = [HEADER]
    for i in range(rows):
        owner = rng.choice(owners)
        name, price = rng.choice(PACKAGES)
        discount = rng.choice([0, 0, 0, 5_000, 10_000])
        phone = f"62812{i:08d}"
        tarif, total = price, price - discount
        roll = rng.random()
        if roll < 0.01:
            phone = f"62811{rng.randrange(EXISTING_CUSTOMERS):08d}"  # maybe already in the database
        elif roll < 0.02:
            total += 1_000
        elif roll < 0.03:
            name = "Paket Entah"
        lines.append(f"Pelanggan {i},{phone},{discount},{rng.randint(1, 28)},{owner.business_name},{name},"
                     f"{tarif},{total},32{i:014d},2024-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}")
    return ("\n".join(lines) + "\n").encode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args()
    engine = recreate_database(bench_url(SCRATCH))
    with Session(engine, expire_on_commit=False) as session:
        superadmin, owners = seed(session)
        data = make_csv(args.rows, owners)
        started = time.perf_counter()
        check_upload(data)
        checked = time.perf_counter()
        preview = validate_upload(session, data=data, filename="bench.csv", user_id=superadmin.id)
        session.commit()
        finished = time.perf_counter()
        result = confirm(session, import_id=preview["importId"], user_id=superadmin.id)
        session.commit()
        confirmed = time.perf_counter()
    engine.dispose()
    drop_database(bench_url(SCRATCH))
    seconds = finished - started
    print(f"rows:          {args.rows}")
    print(f"file size:     {len(data) / 1024:.0f} KiB")
    print(f"valid/invalid: {preview['validCount']}/{preview['invalidCount']}")
    print(f"upload check:  {checked - started:.3f} s")
    print(f"validation:    {finished - checked:.3f} s (incl. storing the import)")
    print(f"total:         {seconds:.3f} s, {args.rows / seconds:,.0f} rows/s")
    print(f"confirm:       {confirmed - finished:.3f} s ({result['imported']} imported, {result['skipped']} skipped)")
    scale = f"{args.rows // 1000}k" if args.rows % 1000 == 0 else str(args.rows)
    budget(f"import.validate.{scale}", seconds, VALIDATE_BUDGET_S, unit="s")
    budget(f"import.commit.{scale}", confirmed - finished, COMMIT_BUDGET_S, unit="s")


if __name__ == "__main__":
    main()
