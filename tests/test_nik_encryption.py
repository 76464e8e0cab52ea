"""Customers' NIK encrypted at rest (ENCRYPTION_KEY, shared/crypto.py): raw SQL never shows it, the API does."""

import base64
import secrets

import pytest
from pydantic import ValidationError
from sqlalchemy import text

from shared import crypto
from shared.config import Settings
from shared.crypto import DEVELOPMENT_KEY, NIK_PURPOSE, EncryptionKeyError, Keyring, decode_key, key_id
from shared.rotate_encryption_key import main as rotate_main
from shared.rotate_encryption_key import rotate, survey

NIK = "3201234567890001"
NEW_KEY = secrets.token_hex(32)


def raw_nik(db, customer_id) -> str | None:
    return db.execute(text("SELECT nik FROM customers WHERE id = :id"), {"id": customer_id}).scalar_one()


def test_a_value_is_sealed_with_its_key_id_and_opens_again():
    keys = Keyring.from_texts(NEW_KEY)
    one, two = keys.encrypt(NIK, purpose=NIK_PURPOSE), keys.encrypt(NIK, purpose=NIK_PURPOSE)
    assert one.startswith(f"enc1:{key_id(bytes.fromhex(NEW_KEY))}:") and NIK not in one
    assert one != two  # a fresh nonce each time: equal NIKs do not look equal
    assert keys.decrypt(one, purpose=NIK_PURPOSE) == keys.decrypt(two, purpose=NIK_PURPOSE) == NIK


def test_a_wrong_key_an_altered_value_or_another_column_is_a_clear_error():
    sealed = Keyring.from_texts(NEW_KEY).encrypt(NIK, purpose=NIK_PURPOSE)
    other = Keyring.from_texts(secrets.token_hex(32))
    with pytest.raises(EncryptionKeyError, match=f"key {sealed[5:13]}, which is neither ENCRYPTION_KEY"):
        other.decrypt(sealed, purpose=NIK_PURPOSE)
    keys = Keyring.from_texts(NEW_KEY)
    altered = sealed[:-2] + ("AA" if sealed[-2:] != "AA" else "BB")
    with pytest.raises(EncryptionKeyError, match="altered"):
        keys.decrypt(altered, purpose=NIK_PURPOSE)
    with pytest.raises(EncryptionKeyError, match="altered"):
        keys.decrypt(sealed, purpose="users.secret")


def test_keys_are_64_hex_characters_or_base64_of_32_bytes():
    raw = secrets.token_bytes(32)
    assert decode_key(raw.hex()) == decode_key(base64.b64encode(raw).decode()) == raw
    assert decode_key(base64.urlsafe_b64encode(raw).decode().rstrip("=")) == raw
    for bad in ("kunci-rahasia", "ab" * 16, "ab" * 33):
        with pytest.raises(EncryptionKeyError, match="openssl rand -hex 32"):
            decode_key(bad)
    with pytest.raises(ValidationError, match="ENCRYPTION_KEY_PREVIOUS"):
        Settings(encryption_key=NEW_KEY, encryption_key_previous=f"{DEVELOPMENT_KEY},bukan-kunci")


@pytest.mark.parametrize("key", ["", DEVELOPMENT_KEY, "00" * 32, "0123456789abcdef" * 4])
def test_production_refuses_a_missing_or_weak_key(key):
    with pytest.raises(ValidationError, match="ENCRYPTION_KEY"):
        Settings(app_env="production", jwt_secret=secrets.token_hex(32), encryption_key=key)


def test_production_accepts_a_random_key_and_processes_without_personal_data_need_none():
    assert Settings(app_env="production", jwt_secret=secrets.token_hex(32), encryption_key=NEW_KEY).encryption_key
    flower = Settings(app_env="production", signs_tokens=False, handles_personal_data=False)
    with pytest.raises(EncryptionKeyError, match="ENCRYPTION_KEY is not set"):
        crypto.keyring_from_settings(flower)  # never the development key in production


def test_development_uses_the_public_key_with_a_warning(caplog):
    with caplog.at_level("WARNING", logger="shared.crypto"):
        keys = crypto.keyring_from_settings(Settings(app_env="development"))
    assert keys.current == bytes.fromhex(DEVELOPMENT_KEY)
    assert "ENCRYPTION_KEY is not set" in caplog.text


def test_raw_sql_shows_no_nik_and_the_api_returns_it(db, superadmin_client, superadmin, make_customer):
    customer = make_customer(owner=superadmin, nik=NIK)
    stored = raw_nik(db, customer.id)
    assert stored.startswith("enc1:") and NIK not in stored and NIK[-4:] not in stored
    res = superadmin_client.get(f"/api/customers/{customer.id}")
    assert res.status_code == 200 and res.json["nik"] == NIK
    listed = superadmin_client.get("/api/customers", query_string={"q": customer.name, "perPage": 100})
    assert NIK in {row["nik"] for row in listed.json["items"]}
    # An edit through the API stores ciphertext too; the activity log keeps only the last digits.
    res = superadmin_client.patch(f"/api/customers/{customer.id}", json={"nik": "3201999988887777"})
    assert res.status_code == 200, res.json
    assert res.json["nik"] == "3201999988887777"
    assert "3201999988887777" not in raw_nik(db, customer.id)
    logged = db.execute(text("SELECT metadata::text FROM activity_logs WHERE resource_id = :id"),
                        {"id": customer.id}).scalars().all()
    assert logged and not any(NIK in line or "3201999988887777" in line for line in logged)
    assert any("************7777" in line for line in logged)


def test_a_process_with_the_wrong_key_answers_a_clear_error(db, superadmin_client, superadmin, make_customer,
                                                            monkeypatch):
    customer_id = make_customer(owner=superadmin, nik=NIK).id
    db.expire_all()
    monkeypatch.setattr(crypto, "keyring", lambda: Keyring.from_texts(secrets.token_hex(32)))
    res = superadmin_client.get(f"/api/customers/{customer_id}")
    assert res.status_code == 500 and res.json["error"]["code"] == "encryption_key_mismatch"
    assert "kunci enkripsi" in res.json["error"]["message"]


def test_rotation_re_encrypts_every_nik_under_the_new_key(db, connection, superadmin, make_customer, monkeypatch):
    customers = [make_customer(owner=superadmin, nik=f"320100000000{i:04d}") for i in range(7)]
    ids = [c.id for c in customers]
    empty = make_customer(owner=superadmin)
    db.execute(text("UPDATE customers SET nik = '3201777700000000' WHERE id = :id"), {"id": ids[0]})
    db.flush()
    old = crypto.keyring()
    new = Keyring.from_texts(NEW_KEY, DEVELOPMENT_KEY)
    before = survey(connection, new)
    assert before.by_key[old.current_id] >= 6 and before.by_key["plaintext"] >= 1 and not before.unknown

    report = rotate(connection, new, batch=3)
    assert report.rewritten >= 7
    stored = {i: raw_nik(db, i) for i in ids}
    assert all(value.startswith(f"enc1:{new.current_id}:") for value in stored.values())
    assert raw_nik(db, empty.id) is None
    assert survey(connection, new).by_key.keys() == {new.current_id}
    # The app, restarted with only the new key, reads them all; the old key no longer opens any.
    monkeypatch.setattr(crypto, "keyring", lambda: Keyring.from_texts(NEW_KEY))
    db.expire_all()
    from shared.models import Customer

    assert [db.get(Customer, i).nik for i in ids] == ["3201777700000000"] + \
        [f"320100000000{i:04d}" for i in range(1, 7)]
    with pytest.raises(EncryptionKeyError):
        old.decrypt(stored[ids[1]], purpose=NIK_PURPOSE)


def test_rotation_refuses_values_under_a_key_it_does_not_have(db, connection, superadmin, make_customer, capsys,
                                                              monkeypatch):
    customer = make_customer(owner=superadmin, nik=NIK)
    stranger = Keyring.from_texts(secrets.token_hex(32))
    with pytest.raises(EncryptionKeyError, match="unknown key"):
        rotate(connection, stranger)
    assert raw_nik(db, customer.id).startswith(f"enc1:{crypto.keyring().current_id}:")  # untouched
    # The command line says the same, and --check exits non-zero while a NIK is not under the current key.
    import shared.db

    monkeypatch.setattr(shared.db, "get_engine", lambda: connection)
    monkeypatch.setattr(crypto, "keyring_from_settings", lambda _settings: stranger)
    assert rotate_main([]) == 2
    assert "ENCRYPTION_KEY_PREVIOUS" in capsys.readouterr().err
    assert rotate_main(["--check"]) == 1
