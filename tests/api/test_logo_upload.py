"""Logo upload: PNG/JPEG/WebP recognised by content, everything else refused clearly; stored as WebP, served."""

import io
import struct
import zlib

import pytest
from PIL import Image
from sqlalchemy import select

from shared.config import get_settings
from shared.models import ActivityLog
from shared.services import branding_assets


@pytest.fixture(autouse=True)
def upload_dir(monkeypatch, tmp_path):
    monkeypatch.setattr(get_settings(), "data_dir", tmp_path)
    return tmp_path / "uploads"


def image_bytes(fmt: str, size=(300, 120), mode="RGB", **save) -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, (200, 30, 30) if mode == "RGB" else (200, 30, 30, 128)).save(buffer, format=fmt, **save)
    return buffer.getvalue()


def upload(client, data: bytes, filename="logo.png", content_type="image/png", target: str | None = None):
    # A hand-built body: the test client would spool a large file dict to a temp file it never closes.
    boundary = "fibernode-logo-boundary"
    body = b""
    if target is not None:
        body += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"target\"\r\n\r\n{target}\r\n").encode()
    body += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\n"
             f"Content-Type: {content_type}\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
    return client.post("/api/settings/upload-logo", data=body, content_type=f"multipart/form-data; boundary={boundary}")


def with_dimensions(png: bytes, width: int, height: int) -> bytes:
    """A PNG whose header claims other dimensions (valid checksum): a decompression bomb's calling card."""
    ihdr = png[12:29]
    data = struct.pack(">II", width, height) + ihdr[12:]
    chunk = b"IHDR" + data
    return png[:8] + struct.pack(">I", len(data)) + chunk + struct.pack(">I", zlib.crc32(chunk)) + png[33:]


@pytest.mark.parametrize("fmt, extra", [("PNG", {}), ("JPEG", {"quality": 90}), ("WEBP", {})])
def test_png_jpeg_and_webp_become_a_webp_logo_at_a_stable_url(superadmin_client, client, db, fmt, extra):
    res = upload(superadmin_client, image_bytes(fmt, **extra), filename="apa saja.bin", content_type="text/plain")
    assert res.status_code == 200, res.json
    body = res.json
    assert body["url"].startswith("/uploads/logo-") and body["url"].endswith(".webp")
    assert (body["target"], body["setting"], body["sourceFormat"], body["width"], body["height"]) == (
        "logo", "logo_url", fmt, 300, 120)
    assert superadmin_client.get("/api/settings").json["logo_url"] == body["url"]
    assert client.get("/api/settings/branding").json["logo_url"] == body["url"]
    served = client.get(body["url"])
    assert served.status_code == 200 and served.mimetype == "image/webp"
    assert served.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert Image.open(io.BytesIO(served.get_data())).format == "WEBP"
    served.close()


def test_logo_change_is_audit_logged(superadmin_client, db, superadmin):
    url = upload(superadmin_client, image_bytes("PNG")).json["url"]
    entry = db.scalars(select(ActivityLog).where(ActivityLog.user_id == superadmin.id,
                                                 ActivityLog.action == "settings.update")).one()
    assert entry.metadata_["changes"]["logo_url"]["new"] == url


def test_large_images_are_shrunk_and_metadata_stripped(superadmin_client, upload_dir):
    exif = Image.Exif()
    exif[0x010F] = "KameraRahasia"  # Make
    exif[0x0131] = "EditorRahasia"  # Software
    data = image_bytes("JPEG", size=(3000, 1500), exif=exif.tobytes())
    body = upload(superadmin_client, data, content_type="image/jpeg").json
    assert (body["width"], body["height"]) == (1024, 512)
    stored = (upload_dir / body["url"].removeprefix("/uploads/")).read_bytes()
    image = Image.open(io.BytesIO(stored))
    assert image.size == (1024, 512) and not image.getexif() and "icc_profile" not in image.info
    assert b"KameraRahasia" not in stored and b"EditorRahasia" not in stored


def test_transparency_is_kept(superadmin_client, upload_dir):
    body = upload(superadmin_client, image_bytes("PNG", mode="RGBA")).json
    with Image.open(upload_dir / body["url"].removeprefix("/uploads/")) as stored:
        assert stored.mode == "RGBA"


@pytest.mark.parametrize("target, setting", [("splash", "splash_logo_url"), ("favicon", "favicon_url")])
def test_target_selects_the_setting(superadmin_client, target, setting):
    body = upload(superadmin_client, image_bytes("PNG"), target=target).json
    assert body["url"].startswith(f"/uploads/{target}-") and body["setting"] == setting
    assert superadmin_client.get("/api/settings").json[setting] == body["url"]
    assert superadmin_client.get("/api/settings").json["logo_url"] == ""
    if target == "favicon":
        assert body["width"] == body["height"] == 300  # padded to a square


def test_unknown_target_is_422(superadmin_client):
    res = upload(superadmin_client, image_bytes("PNG"), target="banner")
    assert res.status_code == 422 and "target" in res.json["error"]["details"]["fields"]


def test_same_image_twice_gives_the_same_url(superadmin_client, upload_dir):
    first = upload(superadmin_client, image_bytes("PNG")).json["url"]
    assert upload(superadmin_client, image_bytes("PNG")).json["url"] == first
    assert len(list(upload_dir.iterdir())) == 1


GIF = image_bytes("GIF")
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>'
BMP = image_bytes("BMP")


@pytest.mark.parametrize("data, filename, content_type", [
    (GIF, "logo.gif", "image/gif"),
    (SVG, "logo.svg", "image/svg+xml"),
    (SVG, "logo.png", "image/png"),
    (b"ini bukan gambar, hanya teks yang diganti namanya", "logo.png", "image/png"),
    (BMP, "logo.png", "image/png"),
    (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", "logo.png", "image/png"),
])
def test_other_files_are_415_whatever_their_name(superadmin_client, data, filename, content_type):
    res = upload(superadmin_client, data, filename=filename, content_type=content_type)
    assert res.status_code == 415, res.json
    assert res.json["error"]["code"] == "unsupported_file_type"
    assert "PNG, JPEG, atau WebP" in res.json["error"]["message"]
    assert superadmin_client.get("/api/settings").json["logo_url"] == ""


def test_empty_file_is_422(superadmin_client):
    res = upload(superadmin_client, b"")
    assert res.status_code == 422 and "kosong" in res.json["error"]["message"]


@pytest.mark.parametrize("cut", [0.5, 0.9])
def test_truncated_png_is_422(superadmin_client, cut):
    noisy = io.BytesIO()
    Image.effect_noise((400, 400), 80).convert("RGB").save(noisy, format="PNG")
    data = noisy.getvalue()
    res = upload(superadmin_client, data[:int(len(data) * cut)])
    assert res.status_code == 422, res.json
    assert res.json["error"]["code"] == "corrupt_image" and "rusak" in res.json["error"]["message"]


def test_file_over_two_megabytes_is_413_with_the_limit_in_the_message(superadmin_client):
    big = image_bytes("PNG") + b"\0" * (branding_assets.MAX_BYTES + 1)
    res = upload(superadmin_client, big)
    assert res.status_code == 413 and res.json["error"]["code"] == "file_too_large"
    assert "2 MB" in res.json["error"]["message"]
    png = image_bytes("PNG")
    just_over = png + b"\0" * (branding_assets.MAX_BYTES + 1 - len(png))  # passes the early Content-Length check
    res = upload(superadmin_client, just_over)
    assert res.status_code == 413 and "2 MB" in res.json["error"]["message"]


def test_too_many_pixels_is_422(superadmin_client):
    res = upload(superadmin_client, image_bytes("PNG", size=(4097, 10)))
    assert res.status_code == 422 and res.json["error"]["code"] == "image_too_large"
    assert "4096" in res.json["error"]["message"]


@pytest.mark.parametrize("side", [12_000, 40_000])
def test_decompression_bomb_is_422_without_decoding(superadmin_client, side):
    res = upload(superadmin_client, with_dimensions(image_bytes("PNG", size=(8, 8)), side, side))
    assert res.status_code == 422, res.json
    assert res.json["error"]["code"] == "image_too_large"


def test_missing_file_field_is_422(superadmin_client):
    res = superadmin_client.post("/api/settings/upload-logo", data={"target": "logo"},
                                 content_type="multipart/form-data")
    assert res.status_code == 422 and "file" in res.json["error"]["details"]["fields"]


def test_only_superadmin_uploads(mitra_client, client):
    assert upload(mitra_client, image_bytes("PNG")).status_code == 403
    assert upload(client, image_bytes("PNG")).status_code == 401


@pytest.mark.parametrize("name", ["logo-123.webp", "logo-0123456789ab.webp", "logo-0123456789ab.png", "nope"])
def test_unknown_or_odd_upload_names_are_404(client, name):
    assert client.get(f"/uploads/{name}").status_code == 404
