"""Logo, splash logo and favicon uploads: checked by content, re-encoded to WebP, served from a stable URL.

The file is trusted for nothing: its name and Content-Type are ignored, Pillow decides what it is, and what is
kept is a fresh WebP encoding (no metadata, at most 1024 px on its longest side) named after its own hash, so
its URL never changes meaning and can be cached for a year.
"""

import hashlib
import io
import os
import re
import warnings
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy.orm import Session

from shared.config import get_settings
from shared.errors import FileTooLarge, Forbidden, Invalid, UnsupportedFileType
from shared.models import User
from shared.services import settings as settings_service

MAX_BYTES = 2 * 1024 * 1024
MAX_SIDE = 4096  # refuse anything larger before decoding it
OUTPUT_SIDE = 1024
ACCEPTED_FORMATS = {"PNG", "JPEG", "WEBP"}
TARGET_SETTINGS = {"logo": "logo_url", "splash": "splash_logo_url", "favicon": "favicon_url"}
URL_PREFIX = "/uploads/"
STORED_NAME = re.compile(r"^(logo|splash|favicon)-[0-9a-f]{12}\.webp$")
UNSUPPORTED = "Format file tidak didukung. Unggah gambar PNG, JPEG, atau WebP."


def too_large() -> FileTooLarge:
    return FileTooLarge(f"Ukuran file maksimal {MAX_BYTES // (1024 * 1024)} MB.",
                        details={"maxBytes": MAX_BYTES})


def uploads_dir() -> Path:
    return get_settings().data_dir / "uploads"


def upload_logo(session: Session, *, actor: User, data: bytes, target: str = "logo") -> dict:
    """Store an uploaded logo as WebP and point the target's setting at it (audit-logged with the settings)."""
    if not actor.is_superadmin:
        raise Forbidden("Hanya superadmin yang dapat mengganti logo.")
    if target not in TARGET_SETTINGS:
        raise Invalid.field("target", "Target harus salah satu dari: logo, splash, favicon.")
    image, source_format = _open_checked(data)
    encoded, size = _reencode(image, square=target == "favicon")
    name = f"{target}-{hashlib.sha256(encoded).hexdigest()[:12]}.webp"
    _write_atomically(uploads_dir() / name, encoded)
    url = URL_PREFIX + name
    key = TARGET_SETTINGS[target]
    settings_service.update_settings(session, actor=actor, changes={key: url})
    return {"target": target, "setting": key, "url": url, "width": size[0], "height": size[1],
            "bytes": len(encoded), "source_format": source_format}


def stored_upload(name: str) -> Path | None:
    """The path of a stored upload by its public name, or None (names are checked: no path tricks)."""
    if not STORED_NAME.match(name):
        return None
    path = uploads_dir() / name
    return path if path.is_file() else None


def _open_checked(data: bytes) -> tuple[Image.Image, str]:
    if not data:
        raise Invalid.field("file", "File kosong. Pilih gambar logo yang akan diunggah.")
    if len(data) > MAX_BYTES:
        raise too_large()
    with warnings.catch_warnings():
        # Pillow only warns between MAX_IMAGE_PIXELS and twice that; treat a warning as the bomb it may be.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data)) as probe:
                source_format = probe.format
                if source_format not in ACCEPTED_FORMATS:
                    raise UnsupportedFileType(UNSUPPORTED, details={"detected": source_format})
                _check_dimensions(probe.size)
                probe.verify()  # structure and checksums, without decoding the pixels
            image = Image.open(io.BytesIO(data))
            image.load()  # a truncated file fails here
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _too_many_pixels() from None
        except UnidentifiedImageError:
            raise UnsupportedFileType(UNSUPPORTED) from None
        except (OSError, SyntaxError, ValueError) as exc:
            raise Invalid("File gambar rusak atau tidak lengkap. Simpan ulang gambar lalu unggah kembali.",
                          code="corrupt_image", details={"fields": {"file": [str(exc)[:200]]}}) from None
    return image, source_format


def _check_dimensions(size: tuple[int, int]) -> None:
    if max(size) > MAX_SIDE:
        raise _too_many_pixels()


def _too_many_pixels() -> Invalid:
    return Invalid(f"Dimensi gambar terlalu besar. Maksimal {MAX_SIDE}×{MAX_SIDE} piksel.", code="image_too_large",
                   details={"fields": {"file": [f"Maksimal {MAX_SIDE}×{MAX_SIDE} piksel."]}})


def _reencode(image: Image.Image, *, square: bool) -> tuple[bytes, tuple[int, int]]:
    """A metadata-free WebP of the first frame, upright, at most OUTPUT_SIDE px (favicons padded to a square)."""
    image.seek(0)
    image = ImageOps.exif_transpose(image)
    has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    image = image.convert("RGBA" if has_alpha or square else "RGB")
    image.thumbnail((OUTPUT_SIDE, OUTPUT_SIDE), Image.Resampling.LANCZOS)
    if square and image.width != image.height:
        side = max(image.size)
        canvas = Image.new("RGBA", (side, side), (0, 0, 0, 0))
        canvas.paste(image, ((side - image.width) // 2, (side - image.height) // 2))
        image = canvas
    buffer = io.BytesIO()
    image.save(buffer, format="WEBP", quality=90, method=4)  # no exif/icc passed: metadata is dropped
    return buffer.getvalue(), image.size


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():  # same content, same name
        return
    partial = path.with_name(path.name + ".part")
    partial.write_bytes(data)
    os.replace(partial, path)
