"""Stored photos carry no metadata (GPS above all), stay upright, and decode to the same pixels."""

from __future__ import annotations

import io
import struct
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from core.config import Settings
from core.db import Database, migrate
from core.errors import ImageRejected
from core.images.intake import IntakeLimits, load_image
from core.images.scrub import strip_metadata
from core.orders.service import OrderService
from core.payments import FreePayments
from core.storage import LocalStorage
from tests.conftest import encode
from tests.images.test_intake import BLUE, RED, halves, near
from tests.orders.fixtures import RecordingJobs

# Byte strings the fixtures plant; none may survive in a stored photo.
TELLING = (b"52.52N", b"GPSLatitude", b"shot at home", b"own GPS track", b"PhoneMaker")
EXTENSIONS = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp", "HEIF": ".heic"}
PETS = sorted((Path(__file__).resolve().parents[1] / "data" / "pets").glob("*.jpg"))
GPS_IFD, ORIENTATION = 0x8825, 0x0112
XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-'
    b'syntax-ns#"><rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" '
    b'exif:GPSLatitude="52,31.2N" exif:GPSLongitude="13,24.6E"/></rdf:RDF></x:xmpmeta>'
)


def located_exif(orientation: int = 1) -> Image.Exif:
    """EXIF as a phone writes it: camera, date, GPS position (and the orientation)."""
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0132] = "2026:05:01 10:00:00"  # DateTime
    if orientation != 1:
        exif[ORIENTATION] = orientation
    gps = exif.get_ifd(GPS_IFD)
    gps.update({1: "N", 2: (52.0, 31.0, 12.0), 3: "E", 4: (13.0, 24.0, 36.0)})
    return exif


def phone_jpeg(image: Image.Image, orientation: int = 6) -> bytes:
    """A JPEG with GPS EXIF, XMP, a comment, an IPTC block and a motion-photo tail after EOI."""
    data = encode(image, "JPEG", quality=90, exif=located_exif(orientation).tobytes(), xmp=XMP,
                  comment=b"shot at home")  # fmt: skip
    iptc = b"Photoshop 3.0\0" + b"8BIM\x04\x04\0\0\0\0\0\x0fHome, 52.52N 13.4E"
    app13 = b"\xff\xed" + struct.pack(">H", len(iptc) + 2) + iptc
    return data[:2] + app13 + data[2:] + b"ftypmp42 ... a video with its own GPS track ..."


def located(data: bytes) -> list[str]:
    """Every trace of a location or other personal detail Pillow can read from the file."""
    with Image.open(io.BytesIO(data)) as img:
        exif = img.getexif()
        found = [f"EXIF tag {tag:#x}" for tag in exif if tag != ORIENTATION]
        found += ["GPS IFD"] if exif.get_ifd(GPS_IFD) else []
        found += [k for k in ("comment", "photoshop") if img.info.get(k)]
        xmps = [
            img.info.get(k) or b"" for k in ("xmp", "XML:com.adobe.xmp")
        ]  # an empty packet is fine
        found += [
            "XMP" for xmp in xmps if b"rdf:RDF" in (xmp if isinstance(xmp, bytes) else xmp.encode())
        ]
        found += [k for k in ("Comment", "Author", "Location") if k in img.info]
    return found + [text.decode() for text in TELLING if text in data]


def pixels(data: bytes) -> np.ndarray:
    with Image.open(io.BytesIO(data)) as img:
        return np.asarray(img.convert("RGBA"))


def test_a_phone_jpeg_loses_gps_and_everything_else_but_its_orientation() -> None:
    original = phone_jpeg(halves((400, 300)), orientation=6)
    assert len(located(original)) >= 6  # the fixture really carries all of it
    clean = strip_metadata(original, "JPEG", orientation=6)
    assert located(clean) == []
    assert clean.endswith(b"\xff\xd9")
    assert np.array_equal(pixels(clean), pixels(original))  # lossless: not re-encoded
    upright = load_image(clean, IntakeLimits()).image  # the orientation still applies
    assert upright.size == (300, 400)
    assert near(upright.getpixel((150, 20)), RED)
    assert near(upright.getpixel((150, 380)), BLUE)


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_png_and_webp_lose_exif_and_xmp_but_keep_pixels_and_orientation(fmt: str) -> None:
    image = halves((400, 300)).convert("RGBA")
    image.putpixel((0, 0), (0, 0, 0, 0))  # real alpha: the transparency must survive too
    if fmt == "PNG":
        from PIL import PngImagePlugin

        text = PngImagePlugin.PngInfo()
        text.add_text("Location", "52.52N 13.4E home")
        text.add_itxt("XML:com.adobe.xmp", XMP.decode())
        original = encode(image, "PNG", exif=located_exif(8).tobytes(), pnginfo=text)
    else:
        original = encode(image, "WEBP", lossless=True, exif=located_exif(8).tobytes(), xmp=XMP)
    assert located(original)
    clean = strip_metadata(original, fmt, orientation=8)
    assert located(clean) == []
    assert np.array_equal(pixels(clean), pixels(original))
    upright = load_image(clean, IntakeLimits()).image
    assert upright.size == (300, 400)
    assert upright.mode == "RGBA"
    assert near(upright.getpixel((150, 380)), RED)


def test_heic_exif_and_xmp_items_are_emptied_in_place() -> None:
    original = encode(halves((400, 300)), "HEIF", exif=located_exif(6).tobytes(), xmp=XMP)
    assert located(original)
    clean = strip_metadata(original, "HEIF")
    assert len(clean) == len(original)  # overwritten, so every item offset still holds
    assert located(clean) == []
    assert np.array_equal(pixels(clean), pixels(original))
    assert load_image(clean, IntakeLimits()).image.size == (300, 400)  # HEIF's own rotation


@pytest.mark.parametrize("path", PETS[::6], ids=lambda p: p.stem)
def test_real_photos_decode_to_the_same_pixels_and_working_image(path: Path) -> None:
    original = path.read_bytes()
    clean = strip_metadata(original, "JPEG")
    assert np.array_equal(pixels(clean), pixels(original))
    before, after = load_image(original, IntakeLimits()), load_image(clean, IntakeLimits())
    assert after.image.tobytes() == before.image.tobytes()
    assert located(clean) == []


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP", "HEIF"])
def test_a_file_cut_short_is_refused_never_stored_as_is(fmt: str) -> None:
    data = encode(halves(), fmt, exif=located_exif().tobytes())
    with pytest.raises(ImageRejected) as caught:
        strip_metadata(data[: len(data) // 3], fmt)
    assert caught.value.code == "corrupt_image"


@pytest.fixture
def svc(settings: Settings, tmp_path: Path) -> OrderService:
    url = f"sqlite:///{tmp_path / 'orders.db'}"
    migrate(url)
    return OrderService(settings=settings, db=Database(url), jobs=RecordingJobs(),
                        storage=LocalStorage(tmp_path / "storage", "http://files.test"),
                        payments=FreePayments())  # fmt: skip


def test_the_stored_order_photo_has_no_location_and_shows_upright(svc: OrderService) -> None:
    original = phone_jpeg(halves((600, 400)), orientation=6)
    user = svc.create_user(display_name="web")
    order = svc.create_order(user_id=user.id, photo=original)
    stored = svc.storage.get(f"orders/{order.id}/photo.jpg")
    assert located(stored) == []
    assert np.array_equal(pixels(stored), pixels(original))
    upright = load_image(stored, IntakeLimits()).image
    assert upright.size == (400, 600)
    assert near(upright.getpixel((200, 20)), RED)


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP", "HEIF"])
def test_mangled_files_are_stored_clean_or_refused(svc: OrderService, fmt: str) -> None:
    """Byte flips that intake still decodes must scrub too: a clean photo or ImageRejected."""
    original = encode(halves((300, 260)), fmt, exif=located_exif(3).tobytes())
    rng = np.random.default_rng(len(original))
    user = svc.create_user(display_name="web")
    for _ in range(8):
        data = bytearray(original)
        for pos in rng.integers(len(original) // 4, len(data), size=3):
            data[pos] = int(rng.integers(0, 256))
        try:
            order = svc.create_order(user_id=user.id, photo=bytes(data))
        except ImageRejected:
            continue  # anything else escapes and fails the test
        assert located(svc.storage.get(f"orders/{order.id}/photo{EXTENSIONS[fmt]}")) == []
