"""What a confirmed import writes: every column of each row as validated, the NIK sealed like the ORM seals it."""

from datetime import date

from sqlalchemy import select, text

from shared import crypto
from shared.models import Customer, CustomerStatus
from shared.services.customer_import import confirm, validate_upload

HEADER = "nama,telepon,diskon,tanggal,area,paket_nama,paket_tarif,total_bayar,nik,tanggal_register"


def test_confirmed_rows_hold_the_validated_values_and_a_sealed_nik(db, import_world):
    w = import_world
    rows = [HEADER,
            (f"Ani,0812-1111-2222,10.000,7,{w.sukamaju.business_name},{w.paket20.name},150000,140000,"
             f"3201234567890001,2025-01-15"),
            f"Budi,081233334444,0,28,{w.mekarjaya.business_name},{w.paket10.name},Rp 100.000,100000,,"]
    preview = validate_upload(db, data=("\n".join(rows) + "\n").encode(), filename="nilai.csv",
                              user_id=w.superadmin.id)
    assert (preview["validCount"], preview["invalidCount"]) == (2, 0)
    assert confirm(db, import_id=preview["importId"], user_id=w.superadmin.id) == {"imported": 2, "skipped": 0}
    db.expire_all()
    found = {c.name: c for c in db.scalars(select(Customer).where(Customer.name.in_(["Ani", "Budi"])))}
    ani, budi = found["Ani"], found["Budi"]
    assert (ani.owner_id, ani.package_id, ani.phone, ani.billing_date, ani.discount, ani.total_bill) == (
        w.sukamaju.id, w.paket20.id, "6281211112222", 7, 10_000, 140_000)
    assert (ani.status, ani.register_date, ani.nik) == (CustomerStatus.active, date(2025, 1, 15), "3201234567890001")
    assert (budi.owner_id, budi.package_id, budi.discount, budi.total_bill, budi.nik) == (
        w.mekarjaya.id, w.paket10.id, 0, 100_000, None)
    assert budi.id and ani.created_at and ani.updated_at  # server defaults
    stored = db.scalar(text("SELECT nik FROM customers WHERE id = :id"), {"id": ani.id})
    assert crypto.is_encrypted(stored) and "3201234567890001" not in stored  # at rest, never the plain NIK
    assert crypto.keyring().decrypt(stored, purpose=crypto.NIK_PURPOSE) == "3201234567890001"


def test_a_phone_taken_meanwhile_is_skipped_not_an_error(db, import_world):
    w = import_world
    rows = [HEADER, f"Citra,081255556666,0,5,{w.sukamaju.business_name},{w.paket10.name},100000,100000,,",
            f"Dedi,081277778888,0,5,{w.sukamaju.business_name},{w.paket10.name},100000,100000,,"]
    preview = validate_upload(db, data=("\n".join(rows) + "\n").encode(), filename="sela.csv",
                              user_id=w.superadmin.id)
    db.add(Customer(owner_id=w.sukamaju.id, package_id=w.paket10.id, name="Lebih dulu", phone="6281255556666",
                    billing_date=5, discount=0, total_bill=100_000))
    db.flush()
    assert confirm(db, import_id=preview["importId"], user_id=w.superadmin.id) == {"imported": 1, "skipped": 1}
