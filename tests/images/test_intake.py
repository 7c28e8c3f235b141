"""Intake: accepted formats, EXIF orientation, and one stable code per refusal."""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Callable

import numpy as np
import pytest
from PIL import Image

from core.config import MB, Settings
from core.errors import ImageRejected
from core.images.intake import IntakeLimits, load_image, sniff_format
from tests.conftest import encode

LIMITS = IntakeLimits()
RED, BLUE = (220, 20, 20), (20, 20, 220)


def halves(size: tuple[int, int] = (400, 300)) -> Image.Image:
    """Left half red, right half blue: shows where a rotation put the stored left edge."""
    arr = np.zeros((size[1], size[0], 3), np.uint8)
    arr[:, : size[0] // 2] = RED
    arr[:, size[0] // 2 :] = BLUE
    return Image.fromarray(arr)


def with_orientation(image: Image.Image, orientation: int, fmt: str = "JPEG") -> bytes:
    exif = Image.Exif()
    exif[0x0112] = orientation
    return encode(image, fmt, exif=exif.tobytes())


def near(pixel: tuple[int, ...], colour: tuple[int, int, int], tol: int = 40) -> bool:
    return all(abs(int(a) - b) <= tol for a, b in zip(pixel, colour, strict=False))


def png_header_only(width: int, height: int) -> bytes:
    """A PNG whose IHDR claims width x height: what a decompression bomb looks like up front."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\0" * 64)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP", "HEIF"])
def test_accepted_formats_decode_to_rgb(fmt: str) -> None:
    data = encode(halves(), fmt, quality=90)
    result = load_image(data, LIMITS)
    assert result.source_format == fmt
    assert result.image.mode == "RGB"
    assert result.image.size == result.original_size == (400, 300)
    assert near(result.image.getpixel((20, 150)), RED)
    assert near(result.image.getpixel((380, 150)), BLUE)


def test_sniffing_ignores_the_name_and_reads_the_bytes() -> None:
    # A PNG saved as "photo.jpg" is still a PNG: nothing but the bytes decides.
    assert sniff_format(encode(halves(), "PNG")) == "PNG"
    assert sniff_format(encode(halves(), "WEBP")) == "WEBP"


@pytest.mark.parametrize(
    ("orientation", "size", "red_at"),
    [
        (1, (400, 300), (20, 150)),  # as stored: red on the left
        (3, (400, 300), (380, 150)),  # 180 degrees: red on the right
        (6, (300, 400), (150, 20)),  # 90 cw: the stored left edge is on top
        (8, (300, 400), (150, 380)),  # 90 ccw: the stored left edge is at the bottom
    ],
)
def test_exif_orientation_is_applied(
    orientation: int, size: tuple[int, int], red_at: tuple[int, int]
) -> None:
    result = load_image(with_orientation(halves(), orientation), LIMITS)
    assert result.image.size == size
    assert result.original_size == size
    assert near(result.image.getpixel(red_at), RED)
    assert "exif" not in result.image.info or result.image.getexif().get(0x0112, 1) == 1


def test_big_rotated_jpeg_is_shrunk_to_working_size_but_reports_full_size() -> None:
    photo = halves((3000, 2000))
    result = load_image(with_orientation(photo, 6), LIMITS, max_working_side=1024)
    assert result.original_size == (2000, 3000)
    assert max(result.image.size) <= 1024
    assert result.image.height > result.image.width  # rotated, then shrunk
    assert near(result.image.getpixel((result.image.width // 2, 10)), RED)


def test_real_alpha_is_kept_and_opaque_alpha_dropped() -> None:
    rgba = halves().convert("RGBA")
    assert load_image(encode(rgba, "PNG"), LIMITS).image.mode == "RGB"
    alpha = np.full((300, 400), 255, np.uint8)
    alpha[:50] = 0
    rgba.putalpha(Image.fromarray(alpha))
    result = load_image(encode(rgba, "PNG"), LIMITS)
    assert result.image.mode == "RGBA"
    assert result.image.getpixel((10, 10))[3] == 0


def test_sixteen_bit_grey_png_is_scaled_not_clipped() -> None:
    ramp = np.tile(np.linspace(0, 65535, 400, dtype=np.uint16), (300, 1))
    result = load_image(encode(Image.fromarray(ramp), "PNG"), LIMITS)
    grey = np.asarray(result.image.convert("L"))
    assert grey[0, 0] < 10
    assert grey[0, 200] in range(100, 156)  # mid-grey, not clipped to white
    assert grey[0, -1] > 245


@pytest.mark.parametrize("fmt", ["WEBP", "PNG"])
def test_animated_files_use_the_first_frame(fmt: str) -> None:
    # Decision (documented in core/images/intake.py and the README): take frame 1, report the count.
    frames = [Image.new("RGB", (300, 300), c) for c in [RED, (20, 200, 20), BLUE]]
    buf = io.BytesIO()
    frames[0].save(buf, format=fmt, save_all=True, append_images=frames[1:], duration=100, loop=0)
    result = load_image(buf.getvalue(), LIMITS)
    assert result.frames == 3
    assert near(result.image.getpixel((150, 150)), RED)


def _jpeg() -> bytes:
    return encode(halves(), "JPEG", quality=90)


def _animated_gif() -> bytes:
    frames = [Image.new("RGB", (300, 300), c) for c in [RED, BLUE]]
    buf = io.BytesIO()
    frames[0].save(buf, format="GIF", save_all=True, append_images=frames[1:])
    return buf.getvalue()


def _corrupt_png() -> bytes:
    data = bytearray(encode(halves(), "PNG"))
    data[len(data) // 2 : len(data) // 2 + 32] = b"\xa5" * 32  # damages IDAT; its CRC fails
    return bytes(data)


def _bomb_pixels() -> bytes:
    # 8000 x 7000 = 56 MP: over our 50 MP limit yet under Pillow's own bomb threshold.
    return encode(Image.new("1", (8000, 7000)), "PNG")


REFUSALS: list[tuple[str, Callable[[], bytes], str, str]] = [
    ("empty", lambda: b"", "empty_file", "empty"),
    ("pdf named .jpg", lambda: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "unsupported_type", "PDF"),
    ("gif", _animated_gif, "unsupported_type", "GIF"),
    ("text", lambda: b"hello, this is my cat\n" * 20, "unsupported_type", "text"),
    ("mp4", lambda: b"\0\0\0\x18ftypmp42\0\0\0\0mp42isom", "unsupported_type", "video"),
    ("bmp", lambda: encode(halves(), "BMP"), "unsupported_type", "BMP"),
    ("over 10 MB", lambda: _jpeg() + b"\0" * (10 * MB), "file_too_large", "10 MB"),
    ("bomb header", lambda: png_header_only(40_000, 40_000), "image_too_large", "megapixels"),
    ("bomb 56 MP", _bomb_pixels, "image_too_large", "megapixels"),
    ("truncated jpeg", lambda: _jpeg()[: len(_jpeg()) // 2], "corrupt_image", "JPEG"),
    ("corrupt png", _corrupt_png, "corrupt_image", "PNG"),
    ("header only", lambda: _jpeg()[:20], "corrupt_image", "damaged"),
    ("too small", lambda: encode(halves((400, 200)), "PNG"), "image_too_small", "256"),
]


@pytest.mark.parametrize(
    ("make", "code", "fragment"),
    [pytest.param(make, code, frag, id=name) for name, make, code, frag in REFUSALS],
)
def test_each_refusal_has_its_code_and_a_helpful_message(
    make: Callable[[], bytes], code: str, fragment: str
) -> None:
    with pytest.raises(ImageRejected) as caught:
        load_image(make(), LIMITS)
    assert caught.value.code == code
    assert fragment.lower() in caught.value.message.lower()
    assert caught.value.as_dict() == {"code": code, "message": caught.value.message}


def test_refusal_codes_are_distinct_per_kind_of_problem() -> None:
    """What intake answers, not the table: six codes, and no message shared by two of them."""
    messages: dict[str, set[str]] = {}
    for _, make, _, _ in REFUSALS:
        with pytest.raises(ImageRejected) as caught:
            load_image(make(), LIMITS)
        messages.setdefault(caught.value.code, set()).add(caught.value.message)
    assert set(messages) == {
        "empty_file",
        "unsupported_type",
        "file_too_large",
        "image_too_large",
        "corrupt_image",
        "image_too_small",
    }
    every = [message for kind in messages.values() for message in kind]
    assert len(every) == len(set(every))


@pytest.mark.parametrize("first_brand", [b"avif", b"mif1"])
def test_an_avif_is_an_unsupported_type_not_a_damaged_heic(first_brand: bytes) -> None:
    """Some encoders name the generic mif1 brand first and avif only among the compatible ones;
    that file used to go to the HEIC decoder, which has no AV1 codec, and escape as RuntimeError."""
    data = bytearray(encode(halves(), "AVIF"))
    assert data[4:8] == b"ftyp"
    assert b"avif" in data[16:32]
    data[8:12] = first_brand
    with pytest.raises(ImageRejected) as caught:
        load_image(bytes(data), LIMITS)
    assert caught.value.code == "unsupported_type"
    assert "AVIF" in caught.value.message


def test_a_heic_naming_the_generic_brand_first_is_still_a_heic() -> None:
    data = bytearray(encode(halves(), "HEIF"))
    assert b"heic" in data[8:32]
    data[8:12] = b"mif1"  # major brand generic; heic stays among the compatible brands
    assert load_image(bytes(data), LIMITS).source_format == "HEIF"


def test_the_working_image_carries_none_of_the_files_metadata() -> None:
    exif = Image.Exif()
    exif[0x0112] = 6
    exif.get_ifd(0x8825)[2] = (52.0, 31.0, 12.0)  # a GPS latitude
    image = load_image(encode(halves(), "JPEG", exif=exif.tobytes()), LIMITS).image
    assert image.info == {}
    assert type(image) is Image.Image  # a plain image, not the open file


def _lossless_webp(side: int) -> bytes:
    return encode(Image.new("RGB", (side, side), RED), "WEBP", lossless=True)


def test_a_file_too_costly_to_decode_is_refused_before_decoding() -> None:
    """A 2 KB WebP of 49 MP would take ~750 MB to decode (libwebp's buffers beside Pillow's)."""
    data = _lossless_webp(7000)
    assert len(data) < 10_000
    with pytest.raises(ImageRejected) as caught:
        load_image(data, LIMITS)
    assert caught.value.code == "image_too_large"
    assert "MB to open" in caught.value.message
    assert "WebP" in caught.value.message
    assert load_image(_lossless_webp(2000), LIMITS).image.size == (2000, 2000)  # 4 MP is fine


def test_the_decode_budget_comes_from_settings() -> None:
    photo = encode(halves((3000, 2000)), "PNG")  # 6 MP: ~120 MB to open, turn and resample
    assert load_image(photo, LIMITS).original_size == (3000, 2000)
    tight = IntakeLimits.from_settings(Settings(max_decode_mb=64))
    assert tight.max_decode_bytes == 64 * MB
    with pytest.raises(ImageRejected, match="over our 64 MB limit"):
        load_image(photo, tight)


def test_limits_come_from_settings() -> None:
    limits = IntakeLimits.from_settings(Settings(min_image_side=100, max_upload_bytes=1000))
    assert limits.min_image_side == 100
    with pytest.raises(ImageRejected, match="limit is 0 MB") as caught:
        load_image(_jpeg(), limits)
    assert caught.value.code == "file_too_large"
    small = encode(halves((150, 120)), "PNG")
    assert load_image(small, IntakeLimits(min_image_side=100)).image.size == (150, 120)


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP", "HEIF"])
def test_mangled_files_never_escape_as_raw_exceptions(fmt: str) -> None:
    """Truncations and byte flips of each accepted format: a result or ImageRejected, never else."""
    original = encode(halves((300, 260)), fmt, quality=85)
    rng = np.random.default_rng(len(original))
    variants = [original[:cut] for cut in np.linspace(1, len(original) - 1, 12).astype(int)]
    for _ in range(12):
        data = bytearray(original)
        for pos in rng.integers(0, len(data), size=4):
            data[pos] = int(rng.integers(0, 256))
        variants.append(bytes(data))
    outcomes = set()
    for data in variants:
        try:
            load_image(data, LIMITS)
            outcomes.add("ok")
        except ImageRejected as exc:  # anything else escapes and fails the test
            outcomes.add(exc.code)
    assert outcomes & {"corrupt_image", "unsupported_type", "image_too_small", "empty_file"}
