"""Remove a photo's hidden details (GPS position, camera, dates, thumbnails) without re-encoding it.

Phones write where and when a photo was taken into its EXIF and XMP; an order's stored photo must
carry none of it. Re-encoding would also drop it, but would change the pixels the pipeline reads
and cost a full-size decode, so the metadata is cut out of the file instead:

- JPEG: only the segments needed to decode are kept (JFIF, the ICC colour profile, Adobe's colour
  transform, tables, frames and scans); EXIF, XMP, IPTC, comments, maker segments and anything after
  the end of the image (multi-picture extras, motion-photo videos) go.
- PNG: only chunks that describe the pixels are kept; text, time and eXIf chunks go.
- WebP: the EXIF and XMP chunks go and the VP8X flags say so.
- HEIC: the Exif and XMP items are overwritten in place with empty ones of the same length, so the
  file's item offsets stay true.

The pixels decode exactly as before. Orientation is the one detail kept: a new EXIF holding only
the orientation tag is written when the photo is turned, so it still shows upright everywhere.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterator

from core.errors import ImageRejected

# JPEG application segments kept, by marker and the start of their payload.
JPEG_KEEP_APP = {0xE0: b"JFIF\0", 0xE2: b"ICC_PROFILE\0", 0xEE: b"Adobe"}
JPEG_STANDALONE = {0x01, *range(0xD0, 0xD8)}
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PNG_KEEP = {
    b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"cHRM", b"gAMA", b"iCCP", b"sBIT", b"sRGB",
    b"cICP", b"mDCV", b"cLLI", b"bKGD", b"pHYs", b"acTL", b"fcTL", b"fdAT",
}  # fmt: skip
WEBP_KEEP = {b"VP8X", b"VP8 ", b"VP8L", b"ALPH", b"ANIM", b"ANMF", b"ICCP"}
WEBP_EXIF_FLAG, WEBP_XMP_FLAG = 0x08, 0x04
EMPTY_XMP = (
    b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>'
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"/><?xpacket end="w"?>'
)


class _Malformed(ValueError):
    """The file's structure is not what its format says."""


def strip_metadata(data: bytes, fmt: str, *, orientation: int = 1) -> bytes:
    """The same photo without metadata; `fmt` is intake's source_format, `orientation` the EXIF
    orientation intake applied (kept in a one-tag EXIF when not 1)."""
    scrub = {"JPEG": _jpeg, "PNG": _png, "WEBP": _webp, "HEIF": _heif}[fmt]
    try:
        return scrub(data, orientation)
    except (_Malformed, IndexError, struct.error):
        raise ImageRejected(
            "We couldn't remove the hidden details (such as the location) from this file, so we"
            " won't store it. Please send the photo again as a JPEG.",
            code="corrupt_image",
        ) from None


def orientation_tiff(orientation: int) -> bytes:
    """A big-endian TIFF block (EXIF's body) holding only the orientation tag."""
    entry = struct.pack(">HHIHH", 0x0112, 3, 1, orientation, 0)  # SHORT, 1 value, padded
    return b"MM\0*" + struct.pack(">IH", 8, 1) + entry + struct.pack(">I", 0)


# --- JPEG -----------------------------------------------------------------------------------------


def _jpeg(data: bytes, orientation: int) -> bytes:
    if not data.startswith(b"\xff\xd8"):
        raise _Malformed("no SOI")
    kept = [segment for marker, segment in _jpeg_segments(data) if _keep_jpeg(marker, segment)]
    if orientation != 1:
        exif = b"Exif\0\0" + orientation_tiff(orientation)
        at = 1 if kept and kept[0][1] == 0xE0 else 0  # after JFIF, which wants to come first
        kept.insert(at, b"\xff\xe1" + struct.pack(">H", len(exif) + 2) + exif)
    return b"\xff\xd8" + b"".join(kept)


def _keep_jpeg(marker: int, segment: bytes) -> bool:
    if 0xE0 <= marker <= 0xEF:
        prefix = JPEG_KEEP_APP.get(marker)
        return prefix is not None and segment[4:].startswith(prefix)
    return marker != 0xFE  # COM


def _jpeg_segments(data: bytes) -> Iterator[tuple[int, bytes]]:
    """(marker, bytes) for each segment after SOI up to EOI; a scan includes its coded data."""
    pos = 2
    while pos < len(data):
        pos = data.index(b"\xff", pos)  # libjpeg skips stray bytes before a marker too
        while data[pos] == 0xFF:
            pos += 1
        marker = data[pos]
        start, pos = pos - 1, pos + 1
        if marker == 0xD9:  # EOI: whatever follows is not part of this image
            yield marker, b"\xff\xd9"
            return
        if marker in JPEG_STANDALONE:
            yield marker, b"\xff" + bytes([marker])
            continue
        (length,) = struct.unpack(">H", data[pos : pos + 2])
        if length < 2:
            raise _Malformed("segment length")
        pos += length
        if marker == 0xDA:  # SOS: the entropy-coded data runs to the next real marker
            pos = _end_of_scan(data, pos)
        yield marker, b"\xff" + data[start + 1 : pos]
    raise _Malformed("no EOI")


def _end_of_scan(data: bytes, pos: int) -> int:
    while True:
        pos = data.find(b"\xff", pos)
        if pos < 0 or pos + 1 >= len(data):
            raise _Malformed("scan runs past the end")
        follower = data[pos + 1]
        if follower == 0x00 or 0xD0 <= follower <= 0xD7:  # stuffed byte or restart marker
            pos += 2
        elif follower == 0xFF:  # fill byte before a marker
            pos += 1
        else:
            return pos


# --- PNG ------------------------------------------------------------------------------------------


def _png(data: bytes, orientation: int) -> bytes:
    if not data.startswith(PNG_SIGNATURE):
        raise _Malformed("no PNG signature")
    out, pos, wrote_exif = [PNG_SIGNATURE], len(PNG_SIGNATURE), False
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, end = data[pos + 4 : pos + 8], pos + 12 + length
        if end > len(data):
            raise _Malformed("chunk runs past the end")
        if kind == b"IDAT" and orientation != 1 and not wrote_exif:
            out.append(_png_chunk(b"eXIf", orientation_tiff(orientation)))  # read at open
            wrote_exif = True
        if kind in PNG_KEEP:
            out.append(data[pos:end])
        pos = end
        if kind == b"IEND":
            return b"".join(out)
    raise _Malformed("no IEND")


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    crc = zlib.crc32(kind + body) & 0xFFFFFFFF
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)


# --- WebP -----------------------------------------------------------------------------------------


def _webp(data: bytes, orientation: int) -> bytes:
    if data[:4] != b"RIFF" or data[8:12] != b"WEBP":
        raise _Malformed("no RIFF WEBP header")
    (riff_size,) = struct.unpack("<I", data[4:8])
    if 8 + riff_size > len(data):
        raise _Malformed("RIFF runs past the end")
    body, pos, chunks = data[: 8 + riff_size], 12, []
    while pos + 8 <= len(body):
        kind, (size,) = body[pos : pos + 4], struct.unpack("<I", body[pos + 4 : pos + 8])
        end = pos + 8 + size + (size & 1)
        if pos + 8 + size > len(body):
            raise _Malformed("chunk runs past the end")
        if kind in WEBP_KEEP:
            chunks.append(bytearray(body[pos:end]))
        pos = end
    if not chunks:
        raise _Malformed("no image chunk")
    if chunks[0][:4] == b"VP8X":  # the extended format: its flags must match the chunks
        flags = chunks[0][8] & ~(WEBP_EXIF_FLAG | WEBP_XMP_FLAG)
        if orientation != 1:
            tiff = orientation_tiff(orientation)
            chunks.append(bytearray(b"EXIF" + struct.pack("<I", len(tiff)) + tiff))
            flags |= WEBP_EXIF_FLAG
        chunks[0][8] = flags
    payload = b"WEBP" + b"".join(chunks)
    return b"RIFF" + struct.pack("<I", len(payload)) + payload


# --- HEIC -----------------------------------------------------------------------------------------


def _heif(data: bytes, orientation: int) -> bytes:
    """Orientation needs nothing here: HEIF keeps it in the image's own irot/imir properties."""
    del orientation
    meta = _child(data, 0, len(data), b"meta")
    if meta is None:
        raise _Malformed("no meta box")
    inside = meta[0] + 12  # a full box: version and flags first
    items = _metadata_items(data, _child(data, inside, meta[1], b"iinf"))
    if not items:
        return data
    out = bytearray(data)
    idat = _child(data, inside, meta[1], b"idat")
    for extents in _item_extents(data, _child(data, inside, meta[1], b"iloc"), items, idat):
        for kind, start, length in extents:
            if start + length > len(out):
                raise _Malformed("item runs past the end")
            out[start : start + length] = _blank(kind, length)
    return bytes(out)


def _blank(kind: str, length: int) -> bytes:
    """An empty Exif (4-byte TIFF offset, a TIFF with no tags) or XMP packet, padded to length."""
    empty = (
        (b"\0\0\0\0" + orientation_tiff(1)[:8] + b"\0\0\0\0\0\0") if kind == "Exif" else EMPTY_XMP
    )
    pad = b"\0" if kind == "Exif" else b" "
    return empty + pad * (length - len(empty)) if len(empty) <= length else pad * length


def _boxes(data: bytes, start: int, end: int) -> Iterator[tuple[bytes, int, int]]:
    """(type, start, end) of each ISO-BMFF box between start and end."""
    pos = start
    while pos + 8 <= end:
        size, kind = struct.unpack(">I4s", data[pos : pos + 8])
        if size == 1:
            (size,) = struct.unpack(">Q", data[pos + 8 : pos + 16])
        elif size == 0:
            size = end - pos
        if size < 8 or pos + size > end:
            raise _Malformed("box size")
        yield kind, pos, pos + size
        pos += size


def _child(data: bytes, start: int, end: int, kind: bytes) -> tuple[int, int] | None:
    return next(((s, e) for k, s, e in _boxes(data, start, end) if k == kind), None)


def _metadata_items(data: bytes, iinf: tuple[int, int] | None) -> dict[int, str]:
    """item_ID -> "Exif" or "XMP" for the items that carry metadata."""
    if iinf is None:
        return {}
    version = data[iinf[0] + 8]
    first = iinf[0] + 12 + (2 if version == 0 else 4)
    found: dict[int, str] = {}
    for kind, start, end in _boxes(data, first, iinf[1]):
        if kind != b"infe" or data[start + 8] < 2:
            continue  # infe versions 0 and 1 have no item type: never Exif or XMP
        pos = start + 12
        id_size = 2 if data[start + 8] == 2 else 4
        item_id = int.from_bytes(data[pos : pos + id_size], "big")
        item_type = data[pos + id_size + 2 : pos + id_size + 6]
        name_end = data.index(b"\0", pos + id_size + 6, end)
        content_type = data[name_end + 1 : end].split(b"\0", 1)[0].lower()
        if item_type == b"Exif":
            found[item_id] = "Exif"
        elif item_type == b"mime" and (b"xmp" in content_type or b"rdf+xml" in content_type):
            found[item_id] = "XMP"
    return found


def _item_extents(
    data: bytes, iloc: tuple[int, int] | None, items: dict[int, str], idat: tuple[int, int] | None
) -> Iterator[list[tuple[str, int, int]]]:
    """For each metadata item: (kind, file offset, length) of its extents."""
    if iloc is None:
        raise _Malformed("no iloc box")
    version, pos = data[iloc[0] + 8], iloc[0] + 12
    offset_size, length_size = data[pos] >> 4, data[pos] & 15
    base_size, index_size = data[pos + 1] >> 4, (data[pos + 1] & 15 if version in (1, 2) else 0)
    count_size = 2 if version < 2 else 4
    count, pos = int.from_bytes(data[pos + 2 : pos + 2 + count_size], "big"), pos + 2 + count_size
    read = _Reader(data, pos)
    for _ in range(count):
        item_id = read.int(count_size)
        method = read.int(2) & 15 if version in (1, 2) else 0
        read.int(2)  # data_reference_index
        base = read.int(base_size)
        extents = []
        for _ in range(read.int(2)):
            read.int(index_size)
            extents.append((base + read.int(offset_size), read.int(length_size)))
        if item_id not in items:
            continue
        if method == 1 and idat is not None:
            extents = [(idat[0] + 8 + offset, length) for offset, length in extents]
        elif method != 0:
            raise _Malformed("metadata stored by reference")
        yield [(items[item_id], offset, length) for offset, length in extents]


class _Reader:
    """Big-endian integers of varying width, read in sequence."""

    def __init__(self, data: bytes, pos: int) -> None:
        self.data, self.pos = data, pos

    def int(self, size: int) -> int:
        value = int.from_bytes(self.data[self.pos : self.pos + size], "big")
        self.pos += size
        return value
